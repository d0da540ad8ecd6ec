/* seen_text.c — the contract tests' record of what an iteration handed over. */
#include "seen_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void seen_text_add(struct seen_text *s, const char *fmt, ...)
{
	size_t len = strlen(s->text);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->text + len, sizeof(s->text) - len, fmt, ap);
	va_end(ap);
}

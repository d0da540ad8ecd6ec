/* textbuf.c — doubling growth from 4 KiB. */
#include "core/textbuf.h"

#include <stdlib.h>
#include <string.h>

/* Room for n more bytes and the terminating NUL, within max. */
static bool reserve(struct textbuf *t, size_t n, size_t max)
{
	if (n > max || t->len > max - n)
		return false;
	if (t->len + n + 1 <= t->cap)
		return true;
	size_t cap = t->cap ? t->cap : 4096;
	while (cap < t->len + n + 1)
		cap *= 2;
	char *s = realloc(t->s, cap);
	if (!s)
		return false;
	t->s = s;
	t->cap = cap;
	return true;
}

bool textbuf_append(struct textbuf *t, const char *s, size_t n, size_t max)
{
	if (!reserve(t, n, max))
		return false;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return true;
}

bool textbuf_add_key(struct textbuf *t, const char *s, size_t n, size_t max, size_t *off)
{
	if (!reserve(t, n + 1, max))
		return false;
	*off = t->len;
	memcpy(t->s + t->len, s, n);
	t->s[t->len + n] = '\0';
	t->len += n + 1;
	t->s[t->len] = '\0';
	return true;
}

void textbuf_free(struct textbuf *t)
{
	free(t->s);
	t->s = NULL;
	t->len = t->cap = 0;
}

/* csv_cell.c — a CSV cell of outside text, guarded against formula
 * injection (OWASP: prefix ' and quote) and against breaking out of its
 * cell (quotes doubled, the cell quoted). */
#include "core/csv_cell.h"

#include <string.h>

bool csv_cell_dangerous(const char *s)
{
	static const char *const full_width[] = {"\xEF\xBC\x9D" /* ＝ */, "\xEF\xBC\x8B" /* ＋ */,
						 "\xEF\xBC\x8D" /* － */, "\xEF\xBC\xA0" /* ＠ */};
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	    s[0] == '\r')
		return true;
	for (size_t i = 0; i < sizeof(full_width) / sizeof(full_width[0]); i++)
		if (strncmp(s, full_width[i], 3) == 0)
			return true;
	return false;
}

bool csv_cell_append(struct textbuf *b, const char *s, bool always_quote, size_t max)
{
	size_t was = b->len;
	bool guard = csv_cell_dangerous(s);
	bool quote = always_quote || guard || strpbrk(s, ",\"\r\n") != NULL;
	bool ok = (!quote || textbuf_append(b, "\"", 1, max)) &&
		  (!guard || textbuf_append(b, "'", 1, max));
	for (const char *p = s; ok && *p;) {
		size_t run = strcspn(p, "\""); /* up to the next quote, which is doubled */
		ok = textbuf_append(b, p, run, max);
		p += run;
		if (ok && *p == '"') {
			ok = textbuf_append(b, "\"\"", 2, max);
			p++;
		}
	}
	if (ok && quote)
		ok = textbuf_append(b, "\"", 1, max);
	if (!ok && b->s) { /* leave b as it was */
		b->len = was;
		b->s[was] = '\0';
	}
	return ok;
}

/* utf8.c — decoding and checking UTF-8 (RFC 3629). */
#include "core/utf8.h"

bool utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = *i;
	if (k >= len)
		return false;
	uint32_t c = u[k];
	int n;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		*i = k + 1;
		return true;
	} else if ((c & 0xE0) == 0xC0) {
		n = 1, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3, c &= 0x07, min = 0x10000;
	} else {
		return false;
	}
	if (len - k < (size_t)n + 1)
		return false;
	for (int j = 1; j <= n; j++) {
		if ((u[k + (size_t)j] & 0xC0) != 0x80)
			return false;
		c = (c << 6) | (u[k + (size_t)j] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return false;
	*cp = c;
	*i = k + (size_t)n + 1;
	return true;
}

size_t utf8_invalid_at(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) { /* the common case, no decoding */
			i++;
			continue;
		}
		if (!utf8_next(s, len, &i, &cp))
			return i;
	}
	return len;
}

/* utf8.h — UTF-8 as RFC 3629 defines it (what PostgreSQL's text accepts):
 * decoding one code point, and where a text stops being UTF-8.  Outside
 * bytes are checked with it before they can reach a text column, so that
 * both backends take and refuse the same input. */
#ifndef TK_UTF8_H
#define TK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[*i] (i < len) into *cp and moves *i past it.
 * False for a byte that starts no valid sequence: a stray continuation
 * byte, a sequence cut short, an overlong form, a surrogate or a value
 * beyond U+10FFFF; *i is then unchanged. */
bool utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp);

/* The offset of the first byte of s[0..len) that is not valid UTF-8, or
 * len when all of it is. */
size_t utf8_invalid_at(const char *s, size_t len);

#endif

/* textbuf.h — a growable byte buffer, always NUL-terminated, with a bound
 * on what it may hold: a request body, a line of a file, an arena of keys
 * (each key NUL-terminated in turn, found again by its offset). */
#ifndef TK_TEXTBUF_H
#define TK_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct textbuf {
	char *s; /* NULL until the first append */
	size_t len, cap;
};

/* Appends n bytes of s.  False, with t unchanged, when out of memory or
 * when t would then hold more than max bytes. */
bool textbuf_append(struct textbuf *t, const char *s, size_t n, size_t max);

/* Appends n bytes of s and a NUL that the next append keeps (a key of an
 * arena); *off gets where the key begins.  Bounded and failing as
 * textbuf_append, the NUL counted. */
bool textbuf_add_key(struct textbuf *t, const char *s, size_t n, size_t max, size_t *off);

void textbuf_free(struct textbuf *t);

#endif

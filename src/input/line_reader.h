/* line_reader.h — the one way tuike reads a text file line by line: orders
 * (JSON Lines, CSV, union replies), members, products and links.  The line
 * limit is enforced while reading, so a 2 GB line never reaches memory. */
#ifndef TK_LINE_READER_H
#define TK_LINE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

#define LINE_READER_BLOCK 65536 /* bytes read from the file at a time */

/* What line_reader_next() found. */
enum line_got {
	LINE_GOT,    /* a line: r->s, r->len, numbered r->lineno */
	LINE_END,    /* no more lines */
	LINE_BAD,    /* line r->lineno is refused (longer than the limit, or holds a
		      * NUL byte); err says why, with FILE:LINE.  It has been read to
		      * its end: the next call reads the line after it. */
	LINE_FAILED, /* reading cannot go on (read error, out of memory); err */
};

/* Ownership: the reader owns r->s (valid until the next call or
 * line_reader_free) and reads `in` ahead of the line it returns, so nothing
 * else may read `in` while the reader is in use.  It never closes `in`. */
struct line_reader {
	/* what the caller reads */
	const char *s; /* the line without its "\n" or "\r\n", NUL-terminated */
	size_t len;
	long lineno;   /* 1-based number of the line last returned; 0 before */
	/* the reader's own */
	FILE *in;
	const char *name; /* the file, in errors */
	size_t max;       /* longest line accepted, in bytes without its line end */
	char *line;       /* at most max + 2 bytes: the line, a '\r', a NUL */
	size_t cap;
	char *block;      /* LINE_READER_BLOCK bytes read ahead from in */
	size_t pos, end;
	bool eof;
};

/* Prepares r to read `in` (named `name` in errors; the string must outlive
 * r) with lines of at most max bytes (max >= 1).  Allocates nothing yet. */
void line_reader_init(struct line_reader *r, FILE *in, const char *name, size_t max);

/* Reads the next line.  Never holds more than max + 2 bytes of a line plus
 * one block: a longer line is read past, not stored, and refused as
 * "FILE:LINE: line is longer than N bytes".  Empty lines are returned
 * (the caller decides what a blank line means); a last line without a
 * newline is returned as any other. */
enum line_got line_reader_next(struct line_reader *r, struct tk_error *err);

void line_reader_free(struct line_reader *r);

#endif

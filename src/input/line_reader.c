/* line_reader.c — lines out of blocks read with fread: memchr finds each
 * newline, and a line is copied out only while it is within the limit, so
 * an over-long line costs time, never memory. */
#include "input/line_reader.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void line_reader_init(struct line_reader *r, FILE *in, const char *name, size_t max)
{
	assert(max >= 1 && max < (size_t)-1 / 2);
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->name = name;
	r->max = max;
	r->s = "";
}

void line_reader_free(struct line_reader *r)
{
	free(r->line);
	free(r->block);
	r->line = r->block = NULL;
	r->s = "";
	r->len = r->cap = r->pos = r->end = 0;
}

/* Room for n more bytes of the line and its NUL.  The line never needs
 * more than max + 2: its bytes, a '\r' that may end it, the NUL. */
static bool reserve(struct line_reader *r, size_t n)
{
	size_t need = r->len + n + 1, limit = r->max + 2;
	assert(need <= limit);
	if (need <= r->cap)
		return true;
	size_t cap = r->cap ? r->cap : 256;
	while (cap < need)
		cap *= 2;
	if (cap > limit)
		cap = limit;
	char *line = realloc(r->line, cap);
	if (!line)
		return false;
	r->line = line;
	r->cap = cap;
	return true;
}

/* Refills the block; false at the end of the input or on a read error
 * (ferror tells which). */
static bool refill(struct line_reader *r)
{
	if (r->eof)
		return false;
	if (!r->block && !(r->block = malloc(LINE_READER_BLOCK))) {
		errno = ENOMEM;
		return false;
	}
	r->pos = 0;
	r->end = fread(r->block, 1, LINE_READER_BLOCK, r->in);
	/* a short read is the end (or an error): asking again could block on
	 * a terminal or a pipe that has nothing more to say */
	if (r->end < LINE_READER_BLOCK)
		r->eof = true;
	return r->end > 0;
}

static enum line_got failed(struct line_reader *r, enum tk_rc rc, struct tk_error *err)
{
	if (rc == TK_ENOMEM)
		tk_fail(err, TK_ENOMEM, "", "out of memory");
	else
		tk_fail(err, TK_EIO, "", "cannot read: %s", strerror(errno ? errno : EIO));
	tk_error_where(err, r->name, r->lineno + 1);
	r->s = "";
	r->len = 0;
	return LINE_FAILED;
}

enum line_got line_reader_next(struct line_reader *r, struct tk_error *err)
{
	bool any = false, too_long = false, eol = false;
	r->len = 0;
	r->s = "";
	while (!eol) {
		if (r->pos == r->end) {
			errno = 0;
			if (!refill(r)) {
				if (!r->block)
					return failed(r, TK_ENOMEM, err);
				if (ferror(r->in))
					return failed(r, TK_EIO, err);
				break; /* the end of the input */
			}
		}
		const char *from = r->block + r->pos;
		size_t avail = r->end - r->pos;
		const char *nl = memchr(from, '\n', avail);
		size_t n = nl ? (size_t)(nl - from) : avail;
		any = true;
		eol = nl != NULL;
		r->pos += n + eol;
		if (too_long)
			continue; /* read past the rest of it */
		if (n > r->max + 1 - r->len) {
			too_long = true;
			continue;
		}
		if (!reserve(r, n))
			return failed(r, TK_ENOMEM, err);
		memcpy(r->line + r->len, from, n);
		r->len += n;
	}
	if (!any)
		return LINE_END;
	r->lineno++;
	if (!too_long && r->len > 0 && r->line[r->len - 1] == '\r')
		r->len--; /* "\r\n" */
	if (too_long || r->len > r->max) {
		r->len = 0;
		tk_fail(err, TK_ELIMIT, "", "line is longer than %zu bytes", r->max);
		tk_error_where(err, r->name, r->lineno);
		return LINE_BAD;
	}
	if (!reserve(r, 0))
		return failed(r, TK_ENOMEM, err);
	r->line[r->len] = '\0';
	const char *nul = memchr(r->line, '\0', r->len);
	if (nul) {
		tk_fail(err, TK_EINVAL, "", "line has a NUL byte at byte %zu",
			(size_t)(nul - r->line) + 1);
		tk_error_where(err, r->name, r->lineno);
		r->len = 0;
		return LINE_BAD;
	}
	r->s = r->line;
	return LINE_GOT;
}

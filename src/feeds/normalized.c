/* normalized.c — the normalized order item as JSON Lines or CSV.
 *
 * One table of fields drives both formats, so the two accept exactly the
 * same columns with the same rules.  JSON values must have the right type
 * (money is an integer number of fen, never "9.95" or 9.95). */
#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/textbuf.h"
#include "core/utf8.h"
#include "core/tktime.h"
#include "feeds/feeds.h"
#include "input/line_reader.h"

enum field_kind { F_STR, F_INT, F_TIME, F_STATUS };

struct field {
	const char *name;
	enum field_kind kind;
	size_t offset;
	size_t size; /* F_STR: buffer size; F_INT: 4 or 8 */
	bool required;
};

#define STR(n, m, req) {n, F_STR, offsetof(struct order_row, m), sizeof(((struct order_row *)0)->m), req}
#define INT(n, m, req) {n, F_INT, offsetof(struct order_row, m), sizeof(((struct order_row *)0)->m), req}
#define TIME(n, m, req) {n, F_TIME, offsetof(struct order_row, m), 8, req}

static const struct field fields[] = {
	STR("union", union_, true),
	STR("item", item, true),
	STR("order", order, false),
	{"status", F_STATUS, offsetof(struct order_row, status), 0, true},
	TIME("modified_at", modified_at, true),
	TIME("paid_at", paid_at, false),
	TIME("settled_at", settled_at, false),
	INT("amount", amount, false),
	INT("commission", commission, true),
	INT("quantity", quantity, false),
	STR("product", product, false),
	STR("title", title, false),
	STR("buyer", buyer, false),
	STR("member", member, false),
	STR("link", link, false),
	STR("channel", channel, false),
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct field *field_named(const char *name, size_t len)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strlen(fields[i].name) == len && memcmp(fields[i].name, name, len) == 0)
			return &fields[i];
	return NULL;
}

static enum tk_rc set_int(struct order_row *row, const struct field *f, long long v,
			  struct tk_error *err)
{
	char *base = (char *)row + f->offset;
	if (f->size == 8) {
		int64_t x = v;
		memcpy(base, &x, sizeof(x));
		return TK_OK;
	}
	if (v < INT32_MIN || v > INT32_MAX)
		return tk_fail(err, TK_EINVAL, f->name, "is out of range: %lld", v);
	int32_t x = (int32_t)v;
	memcpy(base, &x, sizeof(x));
	return TK_OK;
}

/* Sets a field from text (CSV cells, JSON strings). */
static enum tk_rc set_text(struct order_row *row, const struct field *f, const char *s,
			   size_t len, struct tk_error *err)
{
	char *base = (char *)row + f->offset;
	char buf[64];
	switch (f->kind) {
	case F_STR:
		if (len >= f->size)
			return tk_fail(err, TK_ELIMIT, f->name, "is longer than %zu bytes", f->size - 1);
		if (memchr(s, '\0', len))
			return tk_fail(err, TK_EINVAL, f->name, "contains a NUL byte");
		size_t bad = utf8_invalid_at(s, len);
		if (bad < len)
			return tk_fail(err, TK_EINVAL, f->name,
				       "is not UTF-8: byte %zu is 0x%02X (save the file as UTF-8)",
				       bad + 1, (unsigned)(unsigned char)s[bad]);
		memcpy(base, s, len);
		base[len] = '\0';
		return TK_OK;
	case F_STATUS:
		if (len >= sizeof(buf))
			return tk_fail(err, TK_EINVAL, f->name, "is not a status");
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (!order_status_parse(buf, &row->status))
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be unpaid, paid, received, settled or invalid, got \"%s\"",
				       buf);
		return TK_OK;
	case F_TIME: {
		if (len >= sizeof(buf))
			return tk_fail(err, TK_EINVAL, f->name, "is not an ISO 8601 time");
		memcpy(buf, s, len);
		buf[len] = '\0';
		int64_t t;
		if (!tktime_parse_iso8601(buf, &t))
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be ISO 8601 with an offset (2026-11-01T10:00:00+08:00), "
				       "got \"%s\"", buf);
		memcpy(base, &t, sizeof(t));
		return TK_OK;
	}
	case F_INT: {
		if (len == 0 || len >= sizeof(buf))
			return tk_fail(err, TK_EINVAL, f->name, "must be an integer");
		memcpy(buf, s, len);
		buf[len] = '\0';
		char *end;
		errno = 0;
		long long v = strtoll(buf, &end, 10);
		if (errno || *end || end == buf)
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be an integer%s, got \"%s\"",
				       f->size == 8 ? " number of fen" : "", buf);
		return set_int(row, f, v, err);
	}
	}
	return TK_OK;
}

static void row_defaults(struct order_row *row)
{
	memset(row, 0, sizeof(*row));
	row->quantity = 1;
}

static enum tk_rc check_required(const bool *seen, struct tk_error *err)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].required && !seen[i])
			return tk_fail(err, TK_EINVAL, fields[i].name, "is required");
	return TK_OK;
}

/* ---- JSON Lines ---- */

static enum tk_rc parse_json_row(const char *line, size_t len, struct order_row *row,
				 struct tk_error *err)
{
	json_error_t jerr;
	bool seen[N_FIELDS] = {0};
	enum tk_rc rc = TK_OK;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	row_defaults(row);
	if (!o)
		return tk_fail(err, TK_EINVAL, "", "not valid JSON (column %d: %s)", jerr.column,
			       jerr.text);
	if (!json_is_object(o)) {
		rc = tk_fail(err, TK_EINVAL, "", "must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		const struct field *f = field_named(key, strlen(key));
		if (!f) {
			rc = tk_fail(err, TK_EINVAL, key, "is not a field of an order item");
			goto out;
		}
		if (json_is_null(v))
			continue;
		if (f->kind == F_INT) {
			if (!json_is_integer(v)) {
				rc = tk_fail(err, TK_EINVAL, f->name, "must be an integer%s",
					     f->size == 8 ? " number of fen (no decimals, no quotes)" : "");
				goto out;
			}
			if ((rc = set_int(row, f, (long long)json_integer_value(v), err)))
				goto out;
		} else {
			if (!json_is_string(v)) {
				rc = tk_fail(err, TK_EINVAL, f->name, "must be a string");
				goto out;
			}
			if ((rc = set_text(row, f, json_string_value(v), json_string_length(v), err)))
				goto out;
		}
		seen[f - fields] = true;
	}
	rc = check_required(seen, err);
out:
	json_decref(o);
	return rc;
}

static enum tk_rc read_jsonl(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			     void *ctx, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct line_reader lr;
	enum line_got got;
	struct order_row *row = malloc(sizeof(*row));
	if (!row)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	line_reader_init(&lr, in, name, FEED_LINE_MAX);
	for (;;) {
		struct tk_error lerr = {0};
		if ((got = line_reader_next(&lr, &lerr)) == LINE_END)
			break;
		if (got == LINE_FAILED) {
			*err = lerr;
			rc = lerr.rc;
			goto out;
		}
		if (got == LINE_BAD) {
			reject(ctx, &lerr); /* and the rest of the file goes on */
			continue;
		}
		if (lr.len == 0)
			continue;
		if (!(rc = parse_json_row(lr.s, lr.len, row, &lerr)))
			rc = cb(ctx, row, lr.lineno, &lerr);
		if (rc == TK_EIO || rc == TK_ENOMEM) {
			*err = lerr;
			tk_error_where(err, name, lr.lineno);
			goto out;
		}
		if (rc) {
			tk_error_where(&lerr, name, lr.lineno);
			reject(ctx, &lerr);
		}
	}
	rc = TK_OK;
out:
	line_reader_free(&lr);
	free(row);
	return rc;
}

/* ---- CSV (RFC 4180) ---- */

/* A record is one line, or more when a quoted cell holds line breaks; it
 * may span at most CSV_RECORD_LINES lines and FEED_LINE_MAX bytes.  A
 * record whose quoting is broken (a quote never closed within that
 * distance, text after a closing quote, too many cells, a cell count other
 * than the header's) is refused on its first line, and reading starts
 * again at the line after that one: a stray quote costs one record, never
 * the rest of the file.  The lines a record read past that line are kept
 * (CSV_RECORD_LINES at most) to be read again. */
#define CSV_MAX_CELLS 64
#define CSV_RECORD_LINES 16

/* The cells of one record, each NUL-terminated in buf. */
struct csv_record {
	char *buf;
	size_t cap;
	size_t off[CSV_MAX_CELLS];
	size_t len[CSV_MAX_CELLS];
	int n;
	long line; /* the line it starts on */
	int lines; /* the lines it spans */
};

/* The lines of the record being read, then those read past it that must
 * be read again: v[0 .. used) and v[used .. used + ahead), their text back
 * to back in `text`. */
struct csv_lines {
	struct line_reader lr;
	struct textbuf text;
	struct csv_held {
		size_t off, len;
		long lineno;
		enum line_got got; /* LINE_GOT, or LINE_BAD with err */
		struct tk_error err;
	} v[CSV_RECORD_LINES];
	int used, ahead;
};

/* Held text stays within two records' worth: a record is broken off as soon
 * as its lines pass FEED_LINE_MAX, and the line that passed it is kept too. */
#define CSV_HELD_MAX (2 * (size_t)FEED_LINE_MAX + 2 * CSV_RECORD_LINES)

/* Forgets the first n held lines; the rest are read next. */
static void csv_drop(struct csv_lines *L, int n)
{
	int total = L->used + L->ahead;
	assert(n >= 0 && n <= total);
	size_t cut = n < total ? L->v[n].off : L->text.len;
	if (cut < L->text.len)
		memmove(L->text.s, L->text.s + cut, L->text.len - cut);
	L->text.len -= cut;
	if (n < total)
		memmove(&L->v[0], &L->v[n], (size_t)(total - n) * sizeof(L->v[0]));
	for (int i = 0; i < total - n; i++)
		L->v[i].off -= cut;
	L->used = 0;
	L->ahead = total - n;
}

/* The record just read is refused as broken: read again from its second
 * line. */
static void csv_resync(struct csv_lines *L)
{
	if (L->used > 0)
		csv_drop(L, 1);
}

/* The next line of the record: one read before, or a new one. */
static enum line_got csv_line(struct csv_lines *L, struct csv_held **out, struct tk_error *err)
{
	assert(L->used < CSV_RECORD_LINES);
	struct csv_held *h = &L->v[L->used];
	*out = h;
	if (L->ahead > 0) {
		L->ahead--;
	} else {
		tk_error_clear(&h->err);
		h->got = line_reader_next(&L->lr, &h->err);
		if (h->got == LINE_END || h->got == LINE_FAILED) {
			*err = h->err;
			return h->got;
		}
		h->lineno = L->lr.lineno;
		h->off = L->text.len;
		h->len = L->lr.len;
		if (!textbuf_append(&L->text, L->lr.s, L->lr.len, CSV_HELD_MAX)) {
			tk_fail(err, TK_ENOMEM, "", "out of memory");
			tk_error_where(err, L->lr.name, h->lineno);
			return LINE_FAILED;
		}
	}
	L->used++;
	if (h->got == LINE_BAD)
		*err = h->err;
	return h->got;
}

/* The name of cell i in errors: its column, or its position. */
static const char *csv_cell_name(const struct field *const *cols, int ncols, int i, char *buf,
				 size_t size)
{
	if (cols && i < ncols)
		return cols[i]->name;
	snprintf(buf, size, "column %d", i + 1);
	return buf;
}

enum csv_got {
	CSV_RECORD, /* a record in r: the caller may still refuse it as broken
		     * (csv_resync) */
	CSV_END,
	CSV_BROKEN, /* refused (err, with FILE:LINE); reading goes on after its
		     * first line */
	CSV_FAILED, /* reading cannot go on (err) */
};

/* Reads one record; cols name the cells in errors (NULL for the header). */
static enum csv_got csv_read(struct csv_lines *L, struct csv_record *r,
			     const struct field *const *cols, int ncols, struct tk_error *err)
{
	bool quoted = false, after_quote = false, in_cell = true;
	size_t used = 0, raw = 0;
	enum tk_rc rc = TK_EINVAL;
	char why[128];

	if (L->used > 0)
		csv_drop(L, L->used); /* the previous record is done with */
	r->n = 0;
	r->off[0] = 0;
	r->lines = 0;
	for (;;) {
		struct csv_held *h;
		if (r->lines == CSV_RECORD_LINES) {
			snprintf(why, sizeof(why), "the quoted cell is not closed within %d lines",
				 CSV_RECORD_LINES);
			goto broken;
		}
		enum line_got got = csv_line(L, &h, err);
		if (got == LINE_FAILED)
			return CSV_FAILED;
		if (got == LINE_END) {
			if (r->lines == 0)
				return CSV_END;
			snprintf(why, sizeof(why), "the quoted cell is not closed by the end of the file");
			goto broken;
		}
		if (r->lines++ == 0)
			r->line = h->lineno;
		if (got == LINE_BAD) {
			if (r->lines == 1) { /* refused in the line reader's words */
				csv_resync(L);
				return CSV_BROKEN;
			}
			snprintf(why, sizeof(why), "the quoted cell runs into line %ld, which is refused",
				 h->lineno);
			goto broken;
		}
		raw += h->len + 1;
		if (raw > (size_t)FEED_LINE_MAX + 1) {
			rc = TK_ELIMIT;
			in_cell = false;
			snprintf(why, sizeof(why), "the record is longer than %d bytes", FEED_LINE_MAX);
			goto broken;
		}
		/* every byte of the line lands in a cell or ends one (its NUL) */
		if (used + h->len + 2 > r->cap) {
			size_t cap = r->cap ? r->cap : 4096;
			while (cap < used + h->len + 2)
				cap *= 2;
			char *b = realloc(r->buf, cap);
			if (!b) {
				tk_fail(err, TK_ENOMEM, "", "out of memory");
				tk_error_where(err, L->lr.name, h->lineno);
				return CSV_FAILED;
			}
			r->buf = b;
			r->cap = cap;
		}
		if (r->lines > 1)
			r->buf[used++] = '\n'; /* the line break inside the quotes */
		const char *s = L->text.s + h->off;
		for (size_t i = 0; i < h->len; i++) {
			char c = s[i];
			if (quoted) {
				if (c != '"') {
					r->buf[used++] = c;
				} else if (i + 1 < h->len && s[i + 1] == '"') {
					r->buf[used++] = '"';
					i++;
				} else {
					quoted = false;
					after_quote = true;
				}
				continue;
			}
			if (c == ',') {
				if (r->n == CSV_MAX_CELLS - 1) {
					rc = TK_ELIMIT;
					in_cell = false;
					snprintf(why, sizeof(why), "more than %d cells", CSV_MAX_CELLS - 1);
					goto broken;
				}
				r->len[r->n] = used - r->off[r->n];
				r->buf[used++] = '\0';
				r->off[++r->n] = used;
				after_quote = false;
				continue;
			}
			if (after_quote) {
				if (r->lines == 1)
					snprintf(why, sizeof(why), "text after the closing quote");
				else
					snprintf(why, sizeof(why),
						 "text after a closing quote on line %ld "
						 "(the quoted cell opens here)",
						 h->lineno);
				goto broken;
			}
			if (c == '"' && used == r->off[r->n])
				quoted = true;
			else
				r->buf[used++] = c;
		}
		if (!quoted)
			break;
	}
	r->len[r->n] = used - r->off[r->n];
	r->buf[used] = '\0';
	r->n++;
	return CSV_RECORD;
broken: {
	char cell[32];
	tk_fail(err, rc, in_cell ? csv_cell_name(cols, ncols, r->n, cell, sizeof(cell)) : "", "%s",
		why);
	tk_error_where(err, L->lr.name, r->line);
	csv_resync(L);
	return CSV_BROKEN;
}
}

static enum tk_rc read_csv(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			   void *ctx, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct csv_record rec = {0};
	struct csv_lines *L = calloc(1, sizeof(*L));
	const struct field *cols[CSV_MAX_CELLS];
	int ncols = 0;
	enum csv_got got;
	struct order_row *row = malloc(sizeof(*row));
	if (!row || !L) {
		free(row);
		free(L);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	line_reader_init(&L->lr, in, name, FEED_LINE_MAX);

	/* the header names the columns */
	got = csv_read(L, &rec, NULL, 0, err);
	if (got != CSV_RECORD) {
		if (got == CSV_END) {
			tk_fail(err, TK_EINVAL, "", "no header line");
			tk_error_where(err, name, 1);
		}
		rc = err->rc;
		goto out;
	}
	bool have[N_FIELDS] = {0};
	for (int i = 0; i < rec.n; i++) {
		const char *cell = rec.buf + rec.off[i];
		size_t clen = rec.len[i];
		if (i == 0 && clen >= 3 && memcmp(cell, "\xEF\xBB\xBF", 3) == 0)
			cell += 3, clen -= 3; /* byte order mark from spreadsheet exports */
		cols[i] = field_named(cell, clen);
		if (!cols[i]) {
			rc = tk_fail(err, TK_EINVAL, "header", "unknown column \"%.*s\"", (int)clen, cell);
			tk_error_where(err, name, rec.line);
			goto out;
		}
		if (have[cols[i] - fields]) {
			rc = tk_fail(err, TK_EINVAL, "header", "column \"%s\" appears twice", cols[i]->name);
			tk_error_where(err, name, rec.line);
			goto out;
		}
		have[cols[i] - fields] = true;
	}
	ncols = rec.n;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].required && !have[i]) {
			rc = tk_fail(err, TK_EINVAL, "header", "the required column \"%s\" is missing",
				     fields[i].name);
			tk_error_where(err, name, rec.line);
			goto out;
		}

	for (;;) {
		struct tk_error lerr = {0};
		got = csv_read(L, &rec, cols, ncols, &lerr);
		if (got == CSV_END)
			break;
		if (got == CSV_FAILED) {
			*err = lerr;
			rc = lerr.rc;
			goto out;
		}
		if (got == CSV_BROKEN) {
			reject(ctx, &lerr); /* reading goes on at its next line */
			continue;
		}
		if (rec.n == 1 && rec.len[0] == 0 && rec.lines == 1)
			continue; /* blank line */
		if (rec.n != ncols) {
			/* a misplaced quote as often as a missing cell: read again
			 * from the next line, so that no line is lost in it */
			if (rec.lines == 1)
				tk_fail(&lerr, TK_EINVAL, "", "has %d cells, the header has %d", rec.n,
					ncols);
			else
				tk_fail(&lerr, TK_EINVAL, "",
					"has %d cells, the header has %d (a quoted cell runs on to line %ld)",
					rec.n, ncols, rec.line + rec.lines - 1);
			tk_error_where(&lerr, name, rec.line);
			csv_resync(L);
			reject(ctx, &lerr);
			continue;
		}
		bool seen[N_FIELDS] = {0};
		row_defaults(row);
		rc = TK_OK;
		for (int i = 0; i < rec.n && !rc; i++) {
			if (rec.len[i] == 0)
				continue; /* empty cell = null */
			rc = set_text(row, cols[i], rec.buf + rec.off[i], rec.len[i], &lerr);
			seen[cols[i] - fields] = true;
		}
		if (!rc)
			rc = check_required(seen, &lerr);
		if (!rc)
			rc = cb(ctx, row, rec.line, &lerr);
		if (rc == TK_EIO || rc == TK_ENOMEM) {
			*err = lerr;
			tk_error_where(err, name, rec.line);
			goto out;
		}
		if (rc) {
			tk_error_where(&lerr, name, rec.line);
			reject(ctx, &lerr);
		}
	}
	rc = TK_OK;
out:
	line_reader_free(&L->lr);
	textbuf_free(&L->text);
	free(L);
	free(rec.buf);
	free(row);
	return rc;
}

/* ---- dispatch ---- */

#include "feeds/union_readers.h"

static const char *const format_names[] = {"jsonl", "csv", "jd", "taobao", "taobao-refund", "pdd"};

bool feed_format_parse(const char *s, enum feed_format *out)
{
	for (int i = 0; i <= FEED_PDD; i++)
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum feed_format)i;
			return true;
		}
	return false;
}

const char *feed_format_name(enum feed_format f)
{
	return (unsigned)f <= FEED_PDD ? format_names[f] : "unknown";
}

enum tk_rc feed_read(enum feed_format fmt, FILE *in, const char *name, feed_row_cb cb,
		     feed_reject_cb reject, void *ctx, struct tk_error *err)
{
	switch (fmt) {
	case FEED_JSONL: return read_jsonl(in, name, cb, reject, ctx, err);
	case FEED_CSV: return read_csv(in, name, cb, reject, ctx, err);
	case FEED_JD: return feed_read_jd(in, name, cb, reject, ctx, err);
	case FEED_TAOBAO: return feed_read_taobao(in, name, cb, reject, ctx, err);
	case FEED_TAOBAO_REFUND: return feed_read_taobao_refund(in, name, cb, reject, ctx, err);
	case FEED_PDD: return feed_read_pdd(in, name, cb, reject, ctx, err);
	}
	return tk_fail(err, TK_EINVAL, "format", "unknown format");
}

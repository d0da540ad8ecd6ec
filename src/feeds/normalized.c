/* normalized.c — the normalized order item as JSON Lines or CSV.
 *
 * One table of fields drives both formats, so the two accept exactly the
 * same columns with the same rules.  JSON values must have the right type
 * (money is an integer number of fen, never "9.95" or 9.95). */
#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/tktime.h"
#include "feeds/feeds.h"

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
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	struct order_row *row = malloc(sizeof(*row));
	if (!row)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	while ((len = getline(&line, &cap, in)) > 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		struct tk_error lerr = {0};
		if (len > FEED_LINE_MAX)
			rc = tk_fail(&lerr, TK_ELIMIT, "", "line is longer than %d bytes", FEED_LINE_MAX);
		else if (!(rc = parse_json_row(line, (size_t)len, row, &lerr)))
			rc = cb(ctx, row, lineno, &lerr);
		if (rc == TK_EIO || rc == TK_ENOMEM) {
			*err = lerr;
			tk_error_where(err, name, lineno);
			goto out;
		}
		if (rc) {
			tk_error_where(&lerr, name, lineno);
			reject(ctx, &lerr);
		}
	}
	rc = ferror(in) ? tk_fail(err, TK_EIO, "", "%s: read error", name) : TK_OK;
out:
	free(line);
	free(row);
	return rc;
}

/* ---- CSV (RFC 4180) ---- */

#define CSV_MAX_CELLS 64

struct csv_record {
	char *buf;  /* cells, each NUL-terminated */
	size_t cap;
	size_t off[CSV_MAX_CELLS];
	size_t len[CSV_MAX_CELLS];
	int n;
};

/* Reads one record (which may span lines inside quotes).  Returns 1 on a
 * record, 0 at end of input, -1 on a malformed record (message in err). */
static int csv_read(FILE *in, struct csv_record *r, long *lineno, struct tk_error *err)
{
	size_t used = 0;
	int c;
	bool quoted = false, any = false, after_quote = false;
	r->n = 0;
	r->off[0] = 0;
	for (;;) {
		c = fgetc(in);
		if (c == EOF && !any)
			return 0;
		if (used + 2 > r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 4096;
			if (cap > FEED_LINE_MAX) {
				tk_fail(err, TK_ELIMIT, "", "record is longer than %d bytes", FEED_LINE_MAX);
				return -1;
			}
			char *b = realloc(r->buf, cap);
			if (!b) {
				tk_fail(err, TK_ENOMEM, "", "out of memory");
				return -1;
			}
			r->buf = b;
			r->cap = cap;
		}
		any = true;
		if (quoted) {
			if (c == EOF) {
				tk_fail(err, TK_EINVAL, "", "a quoted cell is not closed");
				return -1;
			}
			if (c == '"') {
				int next = fgetc(in);
				if (next == '"') {
					r->buf[used++] = '"';
					continue;
				}
				ungetc(next, in);
				quoted = false;
				after_quote = true;
				continue;
			}
			if (c == '\n')
				(*lineno)++;
			r->buf[used++] = (char)c;
			continue;
		}
		if (c == '"' && used == r->off[r->n] && !after_quote) {
			quoted = true;
			continue;
		}
		if (c == ',' || c == '\n' || c == EOF) {
			if (r->n == CSV_MAX_CELLS - 1) {
				tk_fail(err, TK_ELIMIT, "", "more than %d cells", CSV_MAX_CELLS - 1);
				return -1;
			}
			size_t end = used;
			if (c != ',' && end > r->off[r->n] && r->buf[end - 1] == '\r')
				end--;
			r->len[r->n] = end - r->off[r->n];
			r->buf[end] = '\0';
			used = end + 1;
			r->n++;
			r->off[r->n] = used;
			after_quote = false;
			if (c != ',')
				return 1;
			continue;
		}
		if (after_quote && c != '\r') {
			tk_fail(err, TK_EINVAL, "", "text after a closing quote");
			return -1;
		}
		r->buf[used++] = (char)c;
	}
}

static enum tk_rc read_csv(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			   void *ctx, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct csv_record rec = {0};
	const struct field *cols[CSV_MAX_CELLS];
	int ncols = 0;
	long lineno = 0, start;
	struct order_row *row = malloc(sizeof(*row));
	if (!row)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");

	/* the header names the columns */
	start = ++lineno;
	int got = csv_read(in, &rec, &lineno, err);
	if (got <= 0) {
		rc = got == 0 ? tk_fail(err, TK_EINVAL, "", "no header line") : TK_EINVAL;
		tk_error_where(err, name, start);
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
			tk_error_where(err, name, start);
			goto out;
		}
		if (have[cols[i] - fields]) {
			rc = tk_fail(err, TK_EINVAL, "header", "column \"%s\" appears twice", cols[i]->name);
			tk_error_where(err, name, start);
			goto out;
		}
		have[cols[i] - fields] = true;
	}
	ncols = rec.n;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].required && !have[i]) {
			rc = tk_fail(err, TK_EINVAL, "header", "the required column \"%s\" is missing",
				     fields[i].name);
			tk_error_where(err, name, start);
			goto out;
		}

	for (;;) {
		struct tk_error lerr = {0};
		start = ++lineno;
		got = csv_read(in, &rec, &lineno, &lerr);
		if (got == 0)
			break;
		if (got > 0 && rec.n == 1 && rec.len[0] == 0)
			continue; /* blank line */
		if (got < 0) {
			rc = lerr.rc;
		} else if (rec.n != ncols) {
			rc = tk_fail(&lerr, TK_EINVAL, "", "has %d cells, the header has %d", rec.n, ncols);
		} else {
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
				rc = cb(ctx, row, start, &lerr);
		}
		if (rc == TK_EIO || rc == TK_ENOMEM || (got < 0 && rc == TK_ELIMIT)) {
			*err = lerr;
			tk_error_where(err, name, start);
			goto out;
		}
		if (rc) {
			tk_error_where(&lerr, name, start);
			reject(ctx, &lerr);
			if (got < 0) /* the rest of a broken record is unreadable */
				break;
		}
	}
	rc = ferror(in) ? tk_fail(err, TK_EIO, "", "%s: read error", name) : TK_OK;
out:
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

/* union_page.c — what the union adapters share: the page of rows parsed
 * from one reply body, exact field conversions, and reading a file of one
 * reply body or JSON Lines of bodies. */
#include "feeds/union_page.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/textbuf.h"
#include "core/tktime.h"
#include "feeds/union_scan.h"
#include "input/line_reader.h"

/* Unix seconds accepted from a union: 1970-01-01 .. 9999-12-31. */
#define UNION_TIME_MAX INT64_C(253402300799)

void union_page_init(struct union_page *p)
{
	memset(p, 0, sizeof(*p));
	p->total = -1;
}

void union_page_reset(struct union_page *p)
{
	union_page_drop_rows(p);
	p->has_next = false;
	p->total = -1;
	p->position[0] = '\0';
	memset(&p->fault, 0, sizeof(p->fault));
}

void union_page_drop_rows(struct union_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].raw);
	p->n = 0;
}

void union_page_free(struct union_page *p)
{
	union_page_reset(p);
	free(p->v);
	memset(p, 0, sizeof(*p));
	p->total = -1;
}

enum tk_rc union_page_add(struct union_page *p, struct union_entry **out, struct tk_error *err)
{
	if (p->n >= UNION_PAGE_ROWS_MAX)
		return tk_fail(err, TK_ELIMIT, "rows", "a reply holds at most %d rows",
			       UNION_PAGE_ROWS_MAX);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct union_entry *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return tk_fail(err, TK_ENOMEM, "rows", "out of memory for %zu rows", cap);
		p->v = v;
		p->cap = cap;
	}
	struct union_entry *e = &p->v[p->n++];
	memset(e, 0, sizeof(*e));
	*out = e;
	return TK_OK;
}

enum tk_rc union_json_load(const char *body, size_t len, json_t **out, struct tk_error *err)
{
	json_error_t je;
	if (len > UNION_BODY_MAX)
		return tk_fail(err, TK_ELIMIT, "body", "a reply body is at most %d bytes, got %zu",
			       UNION_BODY_MAX, len);
	json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return tk_fail(err, TK_EINVAL, "body", "not JSON (line %d column %d: %s)", je.line,
			       je.column, je.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return tk_fail(err, TK_EINVAL, "body", "must be a JSON object");
	}
	*out = doc;
	return TK_OK;
}

enum tk_rc union_entry_keep_raw(struct union_entry *e, json_t *row, struct tk_error *err)
{
	char *raw = json_dumps(row, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (!raw)
		return tk_fail(err, TK_ENOMEM, "raw", "out of memory");
	size_t len = strlen(raw);
	if (len >= ORDER_RAW_MAX) {
		free(raw);
		return tk_fail(err, TK_ELIMIT, "raw", "a row is at most %d bytes of JSON, got %zu",
			       ORDER_RAW_MAX - 1, len);
	}
	e->raw = raw;
	e->row.raw = raw;
	return TK_OK;
}

enum tk_rc union_page_fill(struct union_page *p, json_t *rows, const char *name,
			   union_row_fn fn, struct tk_error *err)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		struct union_entry *e;
		struct tk_error raw_err;
		char path[48];
		enum tk_rc rc = union_page_add(p, &e, err);
		if (rc != TK_OK)
			return rc;
		snprintf(path, sizeof(path), "%s[%zu]", name, i);
		if (!json_is_object(row))
			union_fail(&e->err, TK_EINVAL, path, "", "must be an object");
		else
			fn(row, path, &e->row, &e->err);
		/* A refused row keeps its text too: sync records it for the
		 * operator. */
		if (union_entry_keep_raw(e, row, &raw_err) != TK_OK && e->err.rc == TK_OK)
			e->err = raw_err;
	}
	return TK_OK;
}

struct span_fill {
	struct union_page *p;
	const char *name;
	union_row_fn fn;
	struct tk_error *err;
	enum tk_rc rc;
};

static bool fill_one(void *ctx, size_t i, struct union_span elem)
{
	struct span_fill *f = ctx;
	struct union_entry *e;
	char path[48];
	if ((f->rc = union_page_add(f->p, &e, f->err)) != TK_OK)
		return false;
	snprintf(path, sizeof(path), "%s[%zu]", f->name, i);
	if (elem.n >= ORDER_RAW_MAX) {
		union_fail(&e->err, TK_ELIMIT, path, "", "a row is at most %d bytes of JSON, got %zu",
			   ORDER_RAW_MAX - 1, elem.n);
		return true;
	}
	json_error_t je;
	json_t *row = json_loadb(elem.s, elem.n, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(row))
		union_fail(&e->err, TK_EINVAL, path, "", "must be an object%s%s", row ? "" : ": ",
			   row ? "" : je.text);
	else
		f->fn(row, path, &e->row, &e->err);
	json_decref(row);
	if (!(e->raw = malloc(elem.n + 1))) {
		f->rc = tk_fail(f->err, TK_ENOMEM, "rows", "out of memory");
		return false;
	}
	memcpy(e->raw, elem.s, elem.n);
	e->raw[elem.n] = '\0';
	e->row.raw = e->raw;
	return true;
}

enum tk_rc union_page_fill_spans(struct union_page *p, const struct union_span *rows,
				 const char *name, union_row_fn fn, struct tk_error *err)
{
	struct span_fill f = {p, name, fn, err, TK_OK};
	if (!union_scan_array(*rows, fill_one, &f) && f.rc == TK_OK)
		f.rc = tk_fail(err, TK_EINVAL, name, "must be an array of rows");
	return f.rc;
}

bool union_copy(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);
	if (n >= size)
		return false;
	memcpy(buf, s, n + 1);
	return true;
}

enum tk_rc union_fail(struct tk_error *err, enum tk_rc rc, const char *path, const char *key,
		      const char *fmt, ...)
{
	if (!err)
		return rc;
	va_list ap;
	char field[sizeof(err->field)], raw[sizeof(err->msg)];
	err->rc = rc;
	snprintf(field, sizeof(field), "%s%s%s", path, path[0] && key[0] ? "." : "", key);
	tk_escape_controls(err->field, sizeof(err->field), field);
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	tk_escape_controls(err->msg, sizeof(err->msg), raw); /* the union's words are input */
	return rc;
}

/* A short, printable rendering of a JSON value for error messages. */
static void show_value(json_t *v, char *buf, size_t size)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	snprintf(buf, size, "%s", s ? s : "?");
	if (s && strlen(s) >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
	free(s);
}

/* obj[key], or NULL when absent or null. */
static json_t *field_get(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return v && !json_is_null(v) ? v : NULL;
}

static enum tk_rc missing(const char *path, const char *key, bool required,
			  struct tk_error *err)
{
	return required ? union_fail(err, TK_EINVAL, path, key, "is required") : TK_OK;
}

enum tk_rc union_field_text(json_t *obj, const char *path, const char *key, bool required,
			    char *buf, size_t size, struct tk_error *err)
{
	json_t *v = field_get(obj, key);
	char shown[64];
	buf[0] = '\0';
	if (!v)
		return missing(path, key, required, err);
	if (json_is_integer(v)) {
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return TK_OK;
	}
	if (!json_is_string(v)) {
		show_value(v, shown, sizeof(shown));
		return union_fail(err, TK_EINVAL, path, key, "must be a string or an integer, got %s",
				  shown);
	}
	const char *s = json_string_value(v);
	if (json_string_length(v) != strlen(s))
		return union_fail(err, TK_EINVAL, path, key, "must not contain NUL bytes");
	if (!union_copy(buf, size, s)) {
		show_value(v, shown, sizeof(shown));
		return union_fail(err, TK_ELIMIT, path, key, "is at most %zu bytes, got %zu: %s",
				  size - 1, json_string_length(v), shown);
	}
	if (required && !buf[0])
		return union_fail(err, TK_EINVAL, path, key, "must not be empty");
	return TK_OK;
}

void union_field_title(json_t *obj, const char *key, char *buf, size_t size)
{
	json_t *v = field_get(obj, key);
	buf[0] = '\0';
	if (!v || !json_is_string(v))
		return;
	const char *s = json_string_value(v);
	size_t n = strlen(s);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* do not cut a UTF-8 character in two */
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Decimal digits with an optional sign, fitting int64_t. */
static bool parse_int_text(const char *s, int64_t *out)
{
	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

enum tk_rc union_field_int(json_t *obj, const char *path, const char *key, bool required,
			   int64_t *out, struct tk_error *err)
{
	json_t *v = field_get(obj, key);
	char shown[64];
	*out = 0;
	if (!v)
		return missing(path, key, required, err);
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return TK_OK;
	}
	if (json_is_string(v) && parse_int_text(json_string_value(v), out))
		return TK_OK;
	if (json_is_string(v) && !json_string_value(v)[0])
		return missing(path, key, required, err);
	show_value(v, shown, sizeof(shown));
	return union_fail(err, TK_EINVAL, path, key, "must be an integer, got %s", shown);
}

/* A JSON real to fen: "%.15g" gives back the decimal text the double was
 * read from (up to 15 significant digits), which money_parse_yuan then
 * reads exactly.  The double itself never enters the arithmetic. */
static bool real_to_fen(double d, int64_t *fen)
{
	char text[64];
	snprintf(text, sizeof(text), "%.15g", d);
	return money_parse_yuan(text, fen);
}

enum tk_rc union_field_yuan(json_t *obj, const char *path, const char *key, bool required,
			    int64_t *fen, struct tk_error *err)
{
	json_t *v = field_get(obj, key);
	char shown[64];
	bool ok = false;
	*fen = 0;
	if (!v)
		return missing(path, key, required, err);
	if (json_is_string(v) && !json_string_value(v)[0])
		return missing(path, key, required, err);
	if (json_is_integer(v)) {
		json_int_t y = json_integer_value(v);
		ok = y >= -MONEY_MAX_FEN / 100 && y <= MONEY_MAX_FEN / 100;
		*fen = ok ? (int64_t)y * 100 : 0;
	} else if (json_is_real(v)) {
		ok = real_to_fen(json_real_value(v), fen);
	} else if (json_is_string(v)) {
		ok = money_parse_yuan_n(json_string_value(v), json_string_length(v), fen);
	}
	if (ok)
		return TK_OK;
	*fen = 0;
	show_value(v, shown, sizeof(shown));
	return union_fail(err, TK_EINVAL, path, key,
			  "must be yuan with at most two decimals, got %s", shown);
}

enum tk_rc union_field_fen(json_t *obj, const char *path, const char *key, bool required,
			   int64_t *fen, struct tk_error *err)
{
	json_t *v = field_get(obj, key);
	char shown[64];
	*fen = 0;
	if (!v)
		return missing(path, key, required, err);
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= MONEY_MAX_FEN) {
		*fen = json_integer_value(v);
		return TK_OK;
	}
	show_value(v, shown, sizeof(shown));
	return union_fail(err, TK_EINVAL, path, key, "must be an integer number of fen, got %s",
			  shown);
}

enum tk_rc union_field_beijing(json_t *obj, const char *path, const char *key, bool required,
			       int64_t *unix_s, struct tk_error *err)
{
	json_t *v = field_get(obj, key);
	char shown[64];
	*unix_s = 0;
	if (!v || (json_is_string(v) && !json_string_value(v)[0]))
		return missing(path, key, required, err);
	if (json_is_string(v) &&
	    tktime_parse_local(json_string_value(v), TKTIME_BEIJING_OFFSET, unix_s))
		return TK_OK;
	*unix_s = 0;
	show_value(v, shown, sizeof(shown));
	return union_fail(err, TK_EINVAL, path, key,
			  "must be Beijing time \"yyyy-MM-dd HH:mm:ss\", got %s", shown);
}

enum tk_rc union_field_unix(json_t *obj, const char *path, const char *key, bool required,
			    int64_t *unix_s, struct tk_error *err)
{
	char shown[64];
	int64_t v;
	enum tk_rc rc = union_field_int(obj, path, key, required, &v, err);
	*unix_s = 0;
	if (rc != TK_OK)
		return rc;
	if (v == 0)
		return missing(path, key, required, err);
	if (v > 0 && v <= UNION_TIME_MAX) {
		*unix_s = v;
		return TK_OK;
	}
	show_value(json_object_get(obj, key), shown, sizeof(shown));
	return union_fail(err, TK_EINVAL, path, key, "must be unix seconds, got %s", shown);
}

void union_row_tag(struct order_row *row, const char *kind, const char *value)
{
	if (!value[0] || strcmp(value, "0") == 0 || row->n_tags >= ORDER_TAGS_MAX)
		return;
	struct order_tag *t = &row->tags[row->n_tags];
	if (!union_copy(t->kind, sizeof(t->kind), kind) ||
	    !union_copy(t->value, sizeof(t->value), value))
		return; /* callers pass values read into ORDER_KEY_MAX buffers */
	row->n_tags++;
}

/* ---- reading a file of reply bodies ---- */

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

struct reader {
	const char *name;
	union_parse_fn parse;
	feed_row_cb cb;
	feed_reject_cb reject;
	void *ctx;
	struct union_page page;
};

static void report(struct reader *r, struct tk_error *e, long line)
{
	tk_error_where(e, r->name, line);
	if (r->reject)
		r->reject(r->ctx, e);
}

/* Parses one body and hands its rows on.  Only TK_EIO from the callback
 * (or running out of memory) stops the reading. */
static enum tk_rc one_body(struct reader *r, const char *body, size_t len, long line,
			   struct tk_error *err)
{
	struct tk_error e;
	tk_error_clear(&e);
	union_page_reset(&r->page);
	enum tk_rc rc = r->parse(body, len, &r->page, &e);
	if (rc != TK_OK) {
		if (rc == TK_ENOMEM) {
			*err = e;
			return rc;
		}
		report(r, &e, line);
		return TK_OK;
	}
	for (size_t i = 0; i < r->page.n; i++) {
		struct union_entry *en = &r->page.v[i];
		if (en->err.rc != TK_OK) {
			report(r, &en->err, line);
			continue;
		}
		tk_error_clear(&e);
		rc = r->cb(r->ctx, &en->row, line, &e);
		if (rc == TK_EIO) {
			tk_error_where(&e, r->name, line);
			*err = e;
			return rc;
		}
		if (rc != TK_OK)
			report(r, &e, line);
	}
	return TK_OK;
}

enum tk_rc union_read(FILE *in, const char *name, union_parse_fn parse, feed_row_cb cb,
		      feed_reject_cb reject, void *ctx, struct tk_error *err)
{
	struct reader r = {.name = name, .parse = parse, .cb = cb, .reject = reject, .ctx = ctx};
	struct line_reader lr;
	struct textbuf body = {0};
	struct tk_error e;
	enum tk_rc rc = TK_OK;
	enum line_got got;

	union_page_init(&r.page);
	line_reader_init(&lr, in, name, FEED_LINE_MAX);
	do
		got = line_reader_next(&lr, &e);
	while (got == LINE_GOT && blank(lr.s, lr.len));

	/* The first non-blank line decides: a complete JSON value by itself
	 * means JSON Lines; a value still open at its end means one body
	 * spread over the whole file. */
	if (got == LINE_GOT) {
		json_error_t je;
		json_t *probe = json_loadb(lr.s, lr.len, 0, &je);
		bool open = !probe && json_error_code(&je) == json_error_premature_end_of_input;
		json_decref(probe);
		if (open) {
			long first = lr.lineno;
			bool fits = textbuf_append(&body, lr.s, lr.len, UNION_BODY_MAX);
			while (fits && (got = line_reader_next(&lr, &e)) == LINE_GOT)
				fits = textbuf_append(&body, "\n", 1, UNION_BODY_MAX) &&
				       textbuf_append(&body, lr.s, lr.len, UNION_BODY_MAX);
			if (got == LINE_FAILED)
				goto failed;
			if (!fits || (got == LINE_BAD && e.rc == TK_ELIMIT)) {
				rc = tk_fail(err, TK_ELIMIT, "body", "a reply body is at most %d bytes",
					     UNION_BODY_MAX);
				tk_error_where(err, name, first);
				goto out;
			}
			if (got == LINE_BAD) /* a NUL byte: one body, refused whole */
				goto failed;
			rc = one_body(&r, body.s, body.len, first, err);
			goto out;
		}
	}
	/* JSON Lines: every non-blank line is one body. */
	for (; got != LINE_END; got = line_reader_next(&lr, &e)) {
		if (got == LINE_FAILED)
			goto failed;
		if (got == LINE_BAD) {
			if (r.reject) /* already FILE:LINE: refused, and the rest goes on */
				r.reject(r.ctx, &e);
		} else if (!blank(lr.s, lr.len)) {
			rc = one_body(&r, lr.s, lr.len, lr.lineno, err);
			if (rc != TK_OK)
				goto out;
		}
	}
	goto out;
failed:
	*err = e;
	rc = e.rc;
out:
	union_page_free(&r.page);
	line_reader_free(&lr);
	textbuf_free(&body);
	return rc;
}

json_t *union_envelope(json_t *doc)
{
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v) {
		size_t n = strlen(key);
		if (n > 9 && strcmp(key, "error_response") != 0 && json_is_object(v) &&
		    (strcmp(key + n - 9, "_response") == 0 || strcmp(key + n - 9, "_responce") == 0))
			return v;
	}
	return NULL;
}

const char *union_text_of(json_t *obj, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);
	buf[0] = '\0';
	if (json_is_string(v))
		snprintf(buf, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	return buf;
}

/* ---- a union's refusal ---- */

static const char *const union_titles[SYNC_UNIONS] = {"JD", "Taobao", "Pinduoduo"};

enum tk_rc union_refuse(enum sync_union u, const char *what, const char *code, const char *msg,
			bool transient, bool rate_limited, struct union_refusal *r,
			struct tk_error *err)
{
	r->refused = true;
	r->transient = transient || rate_limited;
	r->rate_limited = rate_limited;
	snprintf(r->code, sizeof(r->code), "%s", code);
	return tk_fail(err, TK_EINVAL, sync_union_name(u), "%s refused %s: error %s: %.300s",
		       (unsigned)u < SYNC_UNIONS ? union_titles[u] : "?", what, code,
		       msg[0] ? msg : "(no message)");
}

static enum tk_rc top_refusal(json_t *er, const char *what, struct union_refusal *r,
			      struct tk_error *err)
{
	char code[32], sub_code[64], msg[256], sub_msg[256], both[96], text[520];
	union_text_of(er, "code", code, sizeof(code));
	union_text_of(er, "sub_code", sub_code, sizeof(sub_code));
	union_text_of(er, "msg", msg, sizeof(msg));
	union_text_of(er, "sub_msg", sub_msg, sizeof(sub_msg));
	snprintf(both, sizeof(both), "%s%s%s", code, sub_code[0] ? "/" : "", sub_code);
	snprintf(text, sizeof(text), "%s%s%s", msg, sub_msg[0] ? ": " : "", sub_msg);
	/* 7: call limit; isp.* sub-codes and code 10 are Taobao's own trouble;
	 * everything else (isv.*, 11 permission, 25 signature) is ours. */
	bool transient = strcmp(code, "10") == 0 || strncmp(sub_code, "isp.", 4) == 0;
	return union_refuse(SYNC_TAOBAO, what, both, text, transient, strcmp(code, "7") == 0, r,
			    err);
}

static enum tk_rc pdd_refusal(json_t *er, const char *what, struct union_refusal *r,
			      struct tk_error *err)
{
	char code[32], msg[256], sub_msg[256], text[520];
	union_text_of(er, "error_code", code, sizeof(code));
	union_text_of(er, "error_msg", msg, sizeof(msg));
	union_text_of(er, "sub_msg", sub_msg, sizeof(sub_msg));
	snprintf(text, sizeof(text), "%s%s%s", msg, sub_msg[0] ? ": " : "", sub_msg);
	long n = strtol(code, NULL, 10);
	/* 70031/70032: over the call limit; 5xxxx: Pinduoduo's own trouble */
	return union_refuse(SYNC_PDD, what, code, text, n >= 50000 && n <= 59999,
			    n == 70031 || n == 70032, r, err);
}

enum tk_rc union_error_reply(enum sync_union u, json_t *doc, const char *what,
			     struct union_refusal *r, struct tk_error *err)
{
	char code[64], msg[512];
	json_t *er = json_object_get(doc, "error_response");
	if (!json_is_object(er))
		return TK_OK;
	switch (u) {
	case SYNC_JD:
		union_text_of(er, "zh_desc", msg, sizeof(msg));
		if (!msg[0])
			union_text_of(er, "en_desc", msg, sizeof(msg));
		union_text_of(er, "code", code, sizeof(code));
		/* gateway codes: 19 signature, 29/30 app key, 22 method; all permanent */
		return union_refuse(SYNC_JD, what, code, msg, false, strstr(msg, "频") != NULL, r,
				    err);
	case SYNC_TAOBAO: return top_refusal(er, what, r, err);
	default: return pdd_refusal(er, what, r, err);
	}
}

/* ---- the head's rows (docs/promotion-head.md) ---- */

enum tk_rc union_row_make_head(struct order_row *r, const char *path, struct tk_error *err)
{
	size_t n = strlen(r->item);
	if (!order_row_make_head(r))
		return union_fail(err, TK_ELIMIT, path, "id",
				  "a head row's key is at most %zu bytes before \"" UNION_HEAD_SUFFIX
				  "\", got %zu",
				  sizeof(r->item) - sizeof(UNION_HEAD_SUFFIX), n);
	return TK_OK;
}

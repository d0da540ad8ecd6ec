/* union_page.h — one reply body of a union's order query, read whole.
 *
 * A union adapter (jd.c, taobao.c, pdd.c) turns a reply body into a
 * union_page: every row of the body normalized (or, for a row it cannot
 * read, the reason), plus the paging facts sync needs.  A body that is not
 * a usable reply (not JSON, wrong envelope, the union's error answer) fails
 * as a whole and yields no row, so that nothing of it is half-applied.
 *
 * Ownership: a page owns its entries and their raw texts; entry.row.raw
 * points into the entry and lives until union_page_reset/free. */
#ifndef TK_UNION_PAGE_H
#define TK_UNION_PAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/order.h"
#include "feeds/feeds.h"
#include "feeds/sync_config.h"

/* Largest reply body accepted, in bytes, whether it comes from a file or
 * over HTTP.  A full JD page (500 rows) is about 1 MiB. */
#define UNION_BODY_MAX (16 * 1024 * 1024)
/* Most rows one body may hold: the unions' own page limits are 500 (JD)
 * and 100 (Taobao, Pinduoduo). */
#define UNION_PAGE_ROWS_MAX 5000
#define UNION_POSITION_MAX 256

/* The union's own error answer, when the body is one. */
struct union_fault {
	bool present;
	bool rate_limited;  /* the union asks us to slow down */
	bool permanent;     /* retrying cannot help (signature, app key, arguments) */
	int retry_after_s;  /* the wait the union names, 0 when it names none */
	char code[96];      /* the union's code, e.g. "7" or "isv.invalid-parameter" */
};

struct union_entry {
	struct order_row row; /* meaningful when err.rc == TK_OK */
	struct tk_error err;  /* why the row was rejected; field names the row */
	char *raw;            /* the row as JSON (owned); row.raw points here */
};

struct union_page {
	struct union_entry *v;
	size_t n, cap;
	bool has_next;                      /* JD hasMore, Taobao has_next */
	int64_t total;                      /* Pinduoduo total_count; -1 unknown */
	char position[UNION_POSITION_MAX];  /* Taobao position_index */
	struct union_fault fault;
};

void union_page_init(struct union_page *p);
/* Empties the page for reuse, keeping its memory. */
void union_page_reset(struct union_page *p);
/* Drops the entries only (a failed body keeps its fault). */
void union_page_drop_rows(struct union_page *p);
void union_page_free(struct union_page *p);

/* Reads one reply body (len bytes, need not be NUL-terminated) into an
 * empty page.  On error the page holds no entry; a union error answer also
 * fills page->fault. */
typedef enum tk_rc (*union_parse_fn)(const char *body, size_t len, struct union_page *page,
				     struct tk_error *err);

enum tk_rc jd_reply_parse(const char *body, size_t len, struct union_page *page,
			  struct tk_error *err);
enum tk_rc taobao_reply_parse(const char *body, size_t len, struct union_page *page,
			      struct tk_error *err);
enum tk_rc taobao_refund_reply_parse(const char *body, size_t len, struct union_page *page,
				     struct tk_error *err);
enum tk_rc pdd_reply_parse(const char *body, size_t len, struct union_page *page,
			   struct tk_error *err);

/* Reads a file that holds one reply body (pretty-printed or not), or JSON
 * Lines with one reply body per line: the file is JSON Lines when its first
 * non-blank line is a complete JSON value by itself.  Every row goes to cb
 * and every rejected row or body to reject, as feeds.h describes. */
enum tk_rc union_read(FILE *in, const char *name, union_parse_fn parse, feed_row_cb cb,
		      feed_reject_cb reject, void *ctx, struct tk_error *err);

/* ---- for the adapters: building a page ---- */

/* Appends an entry for row `index` of the body and returns it, zeroed.
 * TK_ELIMIT past UNION_PAGE_ROWS_MAX. */
enum tk_rc union_page_add(struct union_page *p, struct union_entry **out,
			  struct tk_error *err);
/* Maps one row object of a reply to a normalized row; `path` names the row
 * in errors, e.g. "data[3]". */
typedef enum tk_rc (*union_row_fn)(json_t *row, const char *path, struct order_row *out,
				   struct tk_error *err);
/* Appends an entry per element of `rows` (an array, or NULL for none),
 * named "<name>[i]": the mapped row, or why it was refused; either way
 * with the row's JSON text.  Fails only on a page limit or no memory. */
enum tk_rc union_page_fill(struct union_page *p, json_t *rows, const char *name,
			   union_row_fn fn, struct tk_error *err);
/* The same for rows given as the span of a JSON array inside a valid text
 * (union_scan.h): each row is parsed alone and its raw text is the row
 * exactly as the union sent it. */
struct union_span;
enum tk_rc union_page_fill_spans(struct union_page *p, const struct union_span *rows,
				 const char *name, union_row_fn fn, struct tk_error *err);
/* Parses body text as a JSON object; the error names the line and column. */
enum tk_rc union_json_load(const char *body, size_t len, json_t **out, struct tk_error *err);
/* The one member of a gateway's reply named "*_response" / "*_responce"
 * (its name follows the method; JD misspells it), error_response aside;
 * NULL when none. */
json_t *union_envelope(json_t *doc);
/* The text of obj[key] (a string or an integer) into buf, "" when absent;
 * returns buf. */
const char *union_text_of(json_t *obj, const char *key, char *buf, size_t size);

/* ---- a union's refusal, read one way for every call to a gateway ---- */

/* What a refusal says beyond its words. */
struct union_refusal {
	bool refused;
	bool rate_limited; /* the union asks us to slow down */
	bool transient;    /* retrying may help (rate limit, the union's own trouble) */
	char code[96];     /* the union's code, e.g. "19", "15/isv.item-not-exist", "70031" */
};

/* The union's error reply in doc, if it is one (JD's gateway, TOP's or
 * Pinduoduo's error_response): fills r and fails with TK_EINVAL, field the
 * union's name, "<Union> refused <what>: error <code>: <message>" (what:
 * "the conversion", "the product query", ...); TK_OK, r untouched, when
 * doc holds none.  Codes: JD's gateway refusals are permanent (a message
 * with 频 is its rate limit); Taobao 7 is the call limit, 10 and isp.* its
 * own trouble; Pinduoduo 70031/70032 the call limit, 5xxxx its trouble. */
enum tk_rc union_error_reply(enum sync_union u, json_t *doc, const char *what,
			     struct union_refusal *r, struct tk_error *err);
/* A refusal found elsewhere in a reply (e.g. JD's result code), in the
 * same words. */
enum tk_rc union_refuse(enum sync_union u, const char *what, const char *code, const char *msg,
			bool transient, bool rate_limited, struct union_refusal *r,
			struct tk_error *err);
/* Keeps the row's JSON text with the entry (numbers keep their decimal
 * value: reals print with 15 significant digits, the precision at which a
 * double reproduces any decimal it was read from). */
enum tk_rc union_entry_keep_raw(struct union_entry *e, json_t *row, struct tk_error *err);

/* ---- for the adapters: reading fields of a row ----
 * Each reads obj[key]; `path` names the row in errors (e.g. "data[3]").
 * A missing or null field is an error when required, else gives the empty
 * value (0 or ""). */

/* A key or id: a JSON string or integer, as text (at most size - 1 bytes). */
enum tk_rc union_field_text(json_t *obj, const char *path, const char *key, bool required,
			    char *buf, size_t size, struct tk_error *err);
/* Free text (a title): like union_field_text, but cut at a UTF-8 character
 * boundary to fit instead of failing; the raw row keeps all of it. */
void union_field_title(json_t *obj, const char *key, char *buf, size_t size);
/* An integer: a JSON integer or a string of decimal digits. */
enum tk_rc union_field_int(json_t *obj, const char *path, const char *key, bool required,
			   int64_t *out, struct tk_error *err);
/* Yuan as a decimal string ("9.95") or a JSON number (9.95, 10), to fen
 * exactly; more than two decimals is an error. */
enum tk_rc union_field_yuan(json_t *obj, const char *path, const char *key, bool required,
			    int64_t *fen, struct tk_error *err);
/* Fen as a JSON integer (Pinduoduo), 0..MONEY_MAX_FEN. */
enum tk_rc union_field_fen(json_t *obj, const char *path, const char *key, bool required,
			   int64_t *fen, struct tk_error *err);
/* Beijing local time "yyyy-MM-dd HH:mm:ss" to unix seconds; "" counts as
 * missing. */
enum tk_rc union_field_beijing(json_t *obj, const char *path, const char *key, bool required,
			       int64_t *unix_s, struct tk_error *err);
/* Unix seconds (Pinduoduo); 0 counts as missing. */
enum tk_rc union_field_unix(json_t *obj, const char *path, const char *key, bool required,
			    int64_t *unix_s, struct tk_error *err);

/* Fails naming the field as "data[3].estimateFee" (path "data[3]", key
 * "estimateFee"; an empty path gives just the key).  err may be NULL. */
enum tk_rc union_fail(struct tk_error *err, enum tk_rc rc, const char *path, const char *key,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Adds a union tag to the row unless the value is empty or "0" (what the
 * unions send for "none"). */
void union_row_tag(struct order_row *row, const char *kind, const char *value);

/* Copies s into a fixed buffer; false if it does not fit. */
bool union_copy(char *buf, size_t size, const char *s);

/* Makes a row the investment-promotion head's (docs/promotion-head.md): its
 * key gets UNION_HEAD_SUFFIX, a state row's commission becomes its
 * service_fee (and the commission 0), its tags and channel are dropped.
 * TK_ELIMIT (naming path.id) when the key would not fit. */
#define UNION_HEAD_SUFFIX ORDER_HEAD_SUFFIX
enum tk_rc union_row_make_head(struct order_row *r, const char *path, struct tk_error *err);

#endif

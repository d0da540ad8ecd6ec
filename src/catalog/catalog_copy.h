/* catalog_copy.h — copy text (文案): templates with placeholders rendered
 * for one product and one kind of channel, within that channel's length
 * limit.
 *
 * Template syntax: {name} inserts a value; {?name}...{/name} keeps the
 * text between only when the value is present (a non-empty string, an
 * amount above 0; {coupon} only while the coupon is valid); {{ and }} are
 * literal braces.  Sections do not nest.  Values are escaped for the
 * channel (Telegram HTML entities; WeCom markdown characters replaced by
 * full-width look-alikes), the template's own markup is kept as written.
 * Pure: no I/O, no SQL. */
#ifndef TK_CATALOG_COPY_H
#define TK_CATALOG_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog_score.h"
#include "core/error.h"

enum catalog_channel { CHANNEL_TEXT, CHANNEL_WECOM, CHANNEL_TELEGRAM };

bool catalog_channel_parse(const char *s, enum catalog_channel *out);
const char *catalog_channel_name(enum catalog_channel c);

/* Length limits of a rendered message.  Plain text: 2048 bytes (the WeCom
 * text message limit, the strictest common plain-text outlet).  WeCom
 * markdown: 4096 bytes.  Telegram HTML: 4096 characters counted as UTF-16
 * code units over the HTML as sent (tags and entities included, which is
 * never less than what Telegram counts). */
#define CATALOG_TEXT_LIMIT 2048
#define CATALOG_WECOM_LIMIT 4096
#define CATALOG_TELEGRAM_LIMIT 4096
/* Enough for any rendered message (4096 UTF-16 units of at most 3 bytes). */
#define CATALOG_COPY_BUF 16384

#define CATALOG_TEMPLATE_MAX 4096     /* bytes of a template */
#define CATALOG_TEMPLATE_NAME_MAX 32  /* bytes of a name, NUL included */

/* The values a template can use.  Money in fen, formatted as yuan. */
struct catalog_copy_values {
	const char *title, *brand, *shop;
	int64_t price;        /* {price} list price */
	int64_t coupon;       /* {coupon} amount off, 0 when not valid now */
	int64_t final_price;  /* {final_price} what the buyer pays now */
	int64_t commission;   /* {commission} what the union pays per unit */
	int64_t sales;        /* {sales} 30-day sales */
	const char *link;     /* {link} */
	const char *lowest_note; /* {lowest_note}, e.g. "近90天最低价", or "" */
};

/* The length of s as the channel counts it. */
size_t catalog_copy_measure(enum catalog_channel ch, const char *s);
size_t catalog_copy_limit(enum catalog_channel ch);

/* Checks a template's syntax and placeholders; err names the problem. */
enum tk_rc catalog_template_check(const char *body, struct tk_error *err);

/* Renders body into out (CATALOG_COPY_BUF bytes).  When the message is
 * over the channel's limit the title is shortened (ending in "…") until it
 * fits, and *title_cut says so; when even an empty title does not fit,
 * TK_ELIMIT. */
enum tk_rc catalog_copy_render(const char *body, enum catalog_channel ch,
			       const struct catalog_copy_values *v, char *out, bool *title_cut,
			       struct tk_error *err);

/* The built-in template of a name for a channel ("default", "short",
 * "promoter"), or NULL. */
const char *catalog_template_builtin(const char *name, enum catalog_channel ch);
/* Names of the built-in templates, NULL-terminated. */
extern const char *const catalog_template_builtin_names[];

/* The {lowest_note} of a price history: "近N天最低价" when today's price
 * is the lowest of the window (N = the window, or the days tracked when
 * fewer; at least 7 days tracked, and the price must have moved), else "".
 * buf holds 64 bytes. */
const char *catalog_copy_lowest_note(const struct catalog_history_summary *h, char *buf);

#endif

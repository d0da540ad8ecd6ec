/* push_settings.h — a group's sending settings (schedule, quiet hours,
 * jitter, selection filter, de-duplication, template, rate): the JSON a
 * member writes, read into a struct with every default filled, checked
 * against its limits, and written back in one canonical form.
 * Pure: no I/O, no clock. */
#ifndef TK_PUSH_SETTINGS_H
#define TK_PUSH_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog_product.h"
#include "core/error.h"
#include "core/order.h"

/* Limits on what a member may write. */
#define PUSH_SETTINGS_JSON_MAX 16384   /* bytes of the settings JSON */
#define PUSH_TIMES_MAX 48              /* fixed times a day */
#define PUSH_EVERY_MIN 5               /* every_minutes bounds */
#define PUSH_EVERY_MAX 1440
#define PUSH_JITTER_MAX 1800           /* seconds */
#define PUSH_FILTER_MAX 50             /* categories, keywords */
#define PUSH_FILTER_BYTES 64           /* bytes of one category or keyword */
#define PUSH_PRODUCTS_MAX 500          /* selection.products */
#define PUSH_DEDUP_DAYS_MAX 90
#define PUSH_COOLDOWN_HOURS_MAX 720    /* shop and category cooldowns: 30 days */
#define PUSH_RATE_MAX 1000             /* rate_per_minute; a kind lowers it further */

enum push_template { PUSH_TEMPLATE_TEXT, PUSH_TEMPLATE_MARKDOWN, PUSH_TEMPLATE_NEWS };
enum push_rule { PUSH_RULE_RANKING, PUSH_RULE_LIST };

struct push_product_ref {
	char union_[ORDER_UNION_MAX];
	char product[CATALOG_PRODUCT_MAX];
};

/* Times of day are minutes after Beijing midnight (0..1439). */
struct push_settings {
	bool every;           /* false: times[]; true: every_minutes within [from, to] */
	int ntimes;
	int times[PUSH_TIMES_MAX]; /* ascending, no duplicates */
	int every_minutes, from, to; /* to inclusive, from <= to */
	int jitter_seconds;
	int quiet_from, quiet_to;    /* [from, to) may wrap midnight; equal = no quiet hours */
	int ncategories, nkeywords;
	char categories[PUSH_FILTER_MAX][PUSH_FILTER_BYTES + 1];
	char keywords[PUSH_FILTER_MAX][PUSH_FILTER_BYTES + 1];
	int64_t price_min, price_max; /* fen after coupon; 0 = no bound */
	enum push_rule rule;
	int nproducts;
	struct push_product_ref products[PUSH_PRODUCTS_MAX];
	int dedup_days;
	int shop_cooldown_hours, category_cooldown_hours;
	enum push_template template_;
	int rate_per_minute;  /* 0 = the platform's default */
};
/* The struct is about 70 KB: allocate it rather than put it on a small stack. */

/* Fills s with every default: times 09:00, 12:30, 20:00; jitter 120 s;
 * quiet 23:00-07:30; no filter; ranking; dedup 7 days; shop cooldown 6 h;
 * template text; the platform's rate. */
void push_settings_default(struct push_settings *s);

/* Parses settings JSON (len bytes; "" or "{}" give the defaults) into s.
 * Unknown keys are refused by name; every limit above is checked.  On
 * error err names the field as a path ("settings.schedule.times[2]") with
 * the value, and s is unspecified. */
enum tk_rc push_settings_parse(const char *json, size_t len, struct push_settings *s,
			       struct tk_error *err);

/* Checks the limits and consistency of s (run by push_settings_parse too). */
enum tk_rc push_settings_validate(const struct push_settings *s, struct tk_error *err);

/* The canonical JSON of s (every field, fixed key order, compact), which
 * push_settings_parse reads back to the same struct.  malloc'd; NULL when
 * out of memory. */
char *push_settings_emit(const struct push_settings *s);

/* "09:00" of a minute of the day (0..1439); buf holds 6 bytes. */
char *push_hhmm_format(int minute, char *buf);
/* Reads exactly "HH:MM" (00:00..23:59) into minutes after midnight. */
bool push_hhmm_parse(const char *s, int *minute);

const char *push_template_name(enum push_template t);
bool push_template_parse(const char *s, enum push_template *t);

#endif

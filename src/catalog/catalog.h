/* catalog.h — the product library's operations, as the command line and
 * the HTTP API call them: import, search, worth-pushing ranking, a
 * product's price history and substitutes, category fit, copy text, and a
 * demo catalogue.
 *
 * Each takes the store (engine_store()) and the time `now` (unix seconds;
 * engine_now() in the shell, so TUIKE_NOW makes runs reproducible).
 * Results are plain structs; catalog_json.h turns them into JSON.  Writes
 * run in store transactions: on error nothing of the failed part is kept.
 * Whatever a function allocates in a result is freed by its *_free. */
#ifndef TK_CATALOG_H
#define TK_CATALOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "catalog/catalog_copy.h"
#include "catalog/catalog_product.h"
#include "catalog/catalog_score.h"
#include "catalog/catalog_text.h"
#include "core/error.h"
#include "store/catalog_store.h"
#include "store/store.h"

/* Limits on requests from outside. */
#define CATALOG_PER_PAGE_MAX 100
#define CATALOG_DEPTH_MAX 10000        /* page * per_page */
#define CATALOG_COUNT_CAP 1000         /* matches counted exactly up to this */
#define CATALOG_TOP_MAX 1000
#define CATALOG_SUBSTITUTES_MAX 50
#define CATALOG_SIMILAR_CANDIDATES 2000 /* products compared for substitutes */
#define CATALOG_SIMILAR_MIN 400        /* per mille: less is not a substitute */
#define CATALOG_SIMILAR_PRICE_BAND 3   /* a substitute costs 1/3x..3x as much */
#define CATALOG_IMPORT_LINES_MAX 10000000
#define CATALOG_IMPORT_CHUNK 10000     /* lines per transaction */
#define CATALOG_GENERATE_MAX 5000000
#define CATALOG_GENERATE_DAYS_MAX 365

/* ---- import ---- */

enum catalog_put_outcome { CATALOG_INSERTED, CATALOG_UPDATED, CATALOG_UNCHANGED };

/* Stores one product as its full current state, inside the caller's
 * transaction: inserts it, or replaces the stored one; appends a price
 * point when the price after coupon at `now` differs from the last one
 * (also for an unchanged record whose coupon began or ended meanwhile).
 * *price_changed says whether a point was added to existing history. */
enum tk_rc catalog_put(struct store *st, const struct catalog_product *p, int64_t now,
		       enum catalog_put_outcome *outcome, bool *price_changed,
		       struct tk_error *err);

struct catalog_import_stats {
	int64_t read, inserted, updated, unchanged, rejected, price_changes;
	bool rolled_back; /* atomic import with rejected lines: nothing kept */
};
typedef void (*catalog_reject_cb)(void *ctx, const struct tk_error *err);

/* Imports JSON Lines (one product a line, catalog_product_parse) from in,
 * named `name` in errors.  A bad line is reported through `reject` (file,
 * line, field, value) and applies nothing; the others are applied, in
 * transactions of CATALOG_IMPORT_CHUNK lines.  With `atomic`, the whole
 * file is one transaction and any bad line leaves the library untouched.
 * Fails (TK_EIO, TK_ELIMIT) only when it cannot go on; then the lines
 * after the last committed chunk are not applied (stats say how many
 * were). */
enum tk_rc catalog_import(struct store *st, FILE *in, const char *name, int64_t now,
			  bool atomic, struct catalog_import_stats *stats,
			  catalog_reject_cb reject, void *ctx, struct tk_error *err);

/* ---- product feeds ---- */

struct catalog_feed_stats {
	int64_t inserted, updated, unchanged, price_changes;
	int64_t returned; /* listed again after being marked gone */
	int64_t gone;     /* newly marked gone */
};

/* Most products one pull of a union's feed may hold. */
#define CATALOG_FEED_MAX 100000

/* One pull of a union's product feed, applied a page at a time. */
struct catalog_feed {
	char union_[ORDER_UNION_MAX];
	int64_t now;
	int64_t *seen;    /* ids of the products pulled so far (owned) */
	size_t n_seen, cap;
	struct catalog_feed_stats stats;
};

void catalog_feed_init(struct catalog_feed *f, const char *union_, int64_t now);
void catalog_feed_free(struct catalog_feed *f);
/* Applies one page of the pull in one transaction: every product of v
 * (all of the feed's union) is stored as catalog_put does and is listed
 * again if it was gone.  Each page is the products' full current state,
 * so a page applied twice changes nothing.  On error the page is not
 * applied. */
enum tk_rc catalog_feed_page(struct store *st, struct catalog_feed *f,
			     const struct catalog_product *v, size_t n, struct tk_error *err);
/* Ends the pull: when it was `complete` (every page of every list read,
 * no row refused), each product the feed listed before and this pull
 * lacks is marked gone at f->now, with its history kept.  An incomplete
 * pull marks nothing. */
enum tk_rc catalog_feed_finish(struct store *st, struct catalog_feed *f, bool complete,
			       struct tk_error *err);

/* ---- search ---- */

struct catalog_search_request {
	const char *query;
	const char *union_, *category;  /* NULL or "" = any */
	int64_t min_price, max_price;   /* fen after coupon now; -1 = any */
	int64_t min_commission;         /* fen per unit now; -1 = any */
	bool coupon_valid;
	enum catalog_sort sort;
	int64_t page, per_page;         /* 1-based; per_page <= CATALOG_PER_PAGE_MAX */
	int64_t now;
};

struct catalog_search_result {
	struct catalog_terms terms;
	int64_t page, per_page;
	int64_t total;
	bool total_exact;               /* false: at least `total` matches */
	int n;
	struct catalog_product *items;  /* n of them */
};

bool catalog_sort_parse(const char *s, enum catalog_sort *out);
const char *catalog_sort_name(enum catalog_sort s);

enum tk_rc catalog_search(struct store *st, const struct catalog_search_request *req,
			  struct catalog_search_result *res, struct tk_error *err);
void catalog_search_result_free(struct catalog_search_result *res);

/* ---- worth pushing ---- */

struct catalog_scored {
	struct catalog_product product;
	struct catalog_history_summary history;
	struct catalog_team_stats team_product, team_category;
	struct catalog_score score;
};

/* The `limit` products (of `category` unless NULL/"") most worth pushing,
 * best first.  *out is malloc'd (free()). */
enum tk_rc catalog_top(struct store *st, const char *category, int limit, int64_t now,
		       const struct catalog_weights *w, struct catalog_scored **out, int *n,
		       struct tk_error *err);

/* ---- one product: history, score, substitutes ---- */

struct catalog_substitute {
	struct catalog_product product;
	int64_t final_price, earn;  /* now */
	int32_t similarity;         /* per mille, titles without brands */
};

struct catalog_detail {
	struct catalog_scored scored;
	int n_points;
	struct catalog_price_point *points; /* ascending, the latest CATALOG_HISTORY_MAX */
	int n_subs;
	struct catalog_substitute *subs;
};

/* A product with its price history summary, score and up to n_subs
 * substitutes: same category, price after coupon within
 * CATALOG_SIMILAR_PRICE_BAND times of this one's either way, title
 * similarity (without brand and marketing words) >= CATALOG_SIMILAR_MIN;
 * most commission per unit first, then lowest price, then most similar. */
enum tk_rc catalog_show(struct store *st, const char *union_, const char *product, int n_subs,
			int64_t now, const struct catalog_weights *w, struct catalog_detail *out,
			struct tk_error *err);
void catalog_detail_free(struct catalog_detail *d);

/* ---- category fit ---- */

struct catalog_fit {
	int n;
	struct catalog_category_stats *cats;  /* most team orders first */
	struct catalog_uncatalogued uncatalogued;
	int64_t products, orders;             /* totals over the categories */
};

enum tk_rc catalog_category_fit(struct store *st, struct catalog_fit *out, struct tk_error *err);
void catalog_fit_free(struct catalog_fit *f);

/* Orders at or above which a category's fit is judged. */
#define CATALOG_FIT_MIN_ORDERS 20
/* Fit index: the category's share of the team's orders over its share of
 * the catalogue, x100 (100 = sells in proportion to its size); -1 when
 * there are no products. */
int64_t catalog_fit_index(const struct catalog_category_stats *c, int64_t products,
			  int64_t orders);
/* "sells" (index >= 150), "does_not_sell" (<= 50), "average", or
 * "not_enough_orders" when the category has fewer than
 * CATALOG_FIT_MIN_ORDERS orders. */
const char *catalog_fit_verdict(const struct catalog_category_stats *c, int64_t products,
				int64_t orders);

/* ---- copy text ---- */

struct catalog_copy_request {
	const char *union_, *product;
	const char *template_name;      /* NULL = "default" */
	enum catalog_channel channel;
	const char *invite_code;        /* NULL, or appended to the link as tk=CODE */
	const char *link;               /* a tracking link to put in the text instead of
					 * the product's address (invite_code unused) */
	int64_t now;
	int32_t window_days;            /* for {lowest_note} */
};

/* The template body for a name and channel: the operator's, else the
 * built-in; TK_ENOTFOUND naming both when neither exists.  body holds
 * CATALOG_TEMPLATE_MAX + 1 bytes. */
enum tk_rc catalog_template_find(struct store *st, const char *name, enum catalog_channel ch,
				 char *body, bool *builtin, struct tk_error *err);
/* Checks and stores an operator template (name: letters, digits, '-' and
 * '_', at most CATALOG_TEMPLATE_NAME_MAX - 1 bytes). */
enum tk_rc catalog_template_set(struct store *st, const char *name, enum catalog_channel ch,
				const char *body, int64_t now, struct tk_error *err);

/* Renders the copy text of a product into out (CATALOG_COPY_BUF bytes). */
enum tk_rc catalog_copy(struct store *st, const struct catalog_copy_request *req, char *out,
			bool *title_cut, struct tk_error *err);

/* The product url with "tk=CODE" added as a query parameter (before any
 * '#fragment'), into out (CATALOG_URL_MAX + 32 bytes). */
#define CATALOG_LINK_MAX (CATALOG_URL_MAX + 32)
enum tk_rc catalog_link(const char *url, const char *invite_code, char *out,
			struct tk_error *err);

/* ---- demo catalogue ---- */

struct catalog_generate_stats {
	int64_t products, points;
};

/* Writes `count` realistic products straight into the library with
 * `days` days of daily price history ending at `now`, deterministic for a
 * seed.  The k-th product of a union gets the id the demo order generator
 * gives its k-th product (jd 100000000000 + 37k, taobao 600000000000 +
 * 53k, pdd 300000000 + 41k), so demo orders match demo products.
 * Products that exist already are kept as they are. */
enum tk_rc catalog_generate(struct store *st, int64_t count, int days, uint64_t seed,
			    int64_t now, struct catalog_generate_stats *stats,
			    struct tk_error *err);

#endif

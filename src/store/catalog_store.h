/* catalog_store.h — storage for the product library: products, their price
 * history, the search index, copy templates, and the team's own order
 * figures per product and category (read from the money core's items).
 * Implemented for SQLite in sqlite_catalog.c, for PostgreSQL in
 * pg_catalog.c.
 *
 * Same contract as store.h: TK_OK, or an error with err filled and nothing
 * changed outside the caller's transaction.  Writes only between tx_begin
 * and tx_commit.  The search index is kept in step with products inside
 * the same transaction by product_insert and product_update. */
#ifndef TK_CATALOG_STORE_H
#define TK_CATALOG_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/catalog_copy.h"
#include "catalog/catalog_product.h"
#include "catalog/catalog_score.h"
#include "catalog/catalog_text.h"
#include "store/store.h"

/* Internal product ids stay below 2^32: the search index keys a row by
 * (popularity << 32 | id) so that it can hand back best sellers first
 * without sorting every match. */
#define CATALOG_ID_MAX (INT64_C(1) << 32)

enum catalog_sort {
	CATALOG_SORT_POPULAR,    /* 30-day sales, coarse (the index order): fastest */
	CATALOG_SORT_RELEVANCE,  /* bm25 as SQLite's FTS5 computes it (docs/catalog.md) */
	CATALOG_SORT_SALES,      /* exact 30-day sales */
	CATALOG_SORT_COMMISSION, /* commission per unit now, highest first */
	CATALOG_SORT_PRICE,      /* price after coupon now, lowest first */
	CATALOG_SORT_COUNT_
};

/* A search as the store runs it.  Empty strings and -1 mean "any".  A
 * product matches when each term (compact form, see catalog_text.h) is a
 * substring of the compact form of its title, brand or shop; each backend
 * answers that with its own index. */
struct catalog_search_query {
	const struct catalog_terms *terms;
	const char *union_;
	const char *category;
	int64_t min_price, max_price;  /* fen, price after coupon now */
	int64_t min_commission;        /* fen per unit now */
	bool coupon_valid;             /* only products whose coupon applies now */
	int64_t now;
	enum catalog_sort sort;
	int64_t offset;
	int limit;
	int64_t count_cap;             /* count matches up to this many */
};

typedef bool (*catalog_product_cb)(void *ctx, const struct catalog_product *p);
/* A product with its latest price points (ascending, at most
 * CATALOG_HISTORY_MAX) and the team's figures for it. */
typedef bool (*catalog_history_cb)(void *ctx, const struct catalog_product *p,
				   const struct catalog_price_point *pts, int n,
				   const struct catalog_team_stats *team);

/* Per category: the catalogue and the team's own orders in it. */
struct catalog_category_stats {
	char category[CATALOG_NAME_MAX];  /* "" for products without one */
	int64_t products;                 /* in the catalogue */
	int64_t orders;                   /* items paid at some time */
	int64_t refunds;                  /* of those, invalidated or refunded */
	int64_t units, gmv, commission;   /* quantity, fen paid, fen commission */
	int64_t buyers, repeat_buyers;    /* distinct buyers; with >= 2 orders */
	int64_t repurchase_gaps;          /* intervals between a buyer's orders */
	int64_t repurchase_seconds;       /* their sum */
	int64_t clicks;                   /* on its products' tracking links */
};

/* Orders of the team whose product is not in the catalogue. */
struct catalog_uncatalogued {
	int64_t orders, gmv, commission;
};

#define CATALOG_CATEGORIES_MAX 1000

struct catalog_store_ops {
	/* TK_ENOTFOUND when absent. */
	enum tk_rc (*product_get)(struct store *st, const char *union_, const char *product,
				  struct catalog_product *out, struct tk_error *err);
	/* Inserts p (setting p->id) and indexes it; TK_ECONFLICT if it exists. */
	enum tk_rc (*product_insert)(struct store *st, struct catalog_product *p,
				     struct tk_error *err);
	/* Replaces the product p->id and re-indexes it. */
	enum tk_rc (*product_update)(struct store *st, const struct catalog_product *p,
				     struct tk_error *err);
	enum tk_rc (*product_count)(struct store *st, int64_t *products, int64_t *points,
				    struct tk_error *err);

	/* Price history: a point per change of the price after coupon. */
	enum tk_rc (*history_append)(struct store *st, int64_t product,
				     const struct catalog_price_point *pt, struct tk_error *err);
	/* TK_ENOTFOUND when the product has no history. */
	enum tk_rc (*history_last)(struct store *st, int64_t product,
				   struct catalog_price_point *out, struct tk_error *err);
	/* The latest `max` points, ascending by time. */
	enum tk_rc (*history_get)(struct store *st, int64_t product,
				  struct catalog_price_point *pts, int max, int *n,
				  struct tk_error *err);

	/* Runs a search: cb per product of the page, in order; *total is the
	 * number of matches up to q->count_cap, *exact false when capped. */
	enum tk_rc (*search)(struct store *st, const struct catalog_search_query *q,
			     catalog_product_cb cb, void *ctx, int64_t *total, bool *exact,
			     struct tk_error *err);
	/* Candidates for substitutes: products of `category` other than
	 * `exclude` whose title, brand or shop (compact) contains one of the
	 * trigrams `any` (or, when it has none, the category's best sellers),
	 * best sellers first (the search index's order), at most max. */
	enum tk_rc (*similar_candidates)(struct store *st, const char *category,
					 const struct catalog_grams *any, int64_t exclude, int max,
					 catalog_product_cb cb, void *ctx, struct tk_error *err);
	/* Every product (of `category` unless empty) with its history and the
	 * team's figures, in id order. */
	enum tk_rc (*scan)(struct store *st, const char *category, catalog_history_cb cb,
			   void *ctx, struct tk_error *err);

	/* The team's figures for one product and for one category. */
	enum tk_rc (*team_product)(struct store *st, const char *union_, const char *product,
				   struct catalog_team_stats *out, struct tk_error *err);
	enum tk_rc (*team_category)(struct store *st, const char *category,
				    struct catalog_team_stats *out, struct tk_error *err);
	/* Category fit: up to max categories, most team orders first. */
	enum tk_rc (*category_stats)(struct store *st, struct catalog_category_stats *out, int max,
				     int *n, struct catalog_uncatalogued *unc, struct tk_error *err);

	/* Product feeds: cb per product of the union its feed lists (feed
	 * set, not gone), in id order; and marking one gone at `at`. */
	enum tk_rc (*feed_listed)(struct store *st, const char *union_,
				  bool (*cb)(void *ctx, int64_t id), void *ctx,
				  struct tk_error *err);
	enum tk_rc (*feed_gone)(struct store *st, int64_t id, int64_t at, struct tk_error *err);

	/* Copy templates kept by the operator (they override built-ins). */
	enum tk_rc (*template_put)(struct store *st, const char *name, enum catalog_channel ch,
				   const char *body, int64_t at, struct tk_error *err);
	/* TK_ENOTFOUND when absent; body holds CATALOG_TEMPLATE_MAX + 1 bytes. */
	enum tk_rc (*template_get)(struct store *st, const char *name, enum catalog_channel ch,
				   char *body, struct tk_error *err);
	enum tk_rc (*template_each)(struct store *st,
				    bool (*cb)(void *ctx, const char *name, enum catalog_channel ch,
					       const char *body, int64_t at),
				    void *ctx, struct tk_error *err);
};

extern const struct catalog_store_ops sqlite_catalog_ops;

#endif

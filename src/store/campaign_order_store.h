/* campaign_order_store.h — storage of the head's campaign orders: matching
 * an order row to a campaign and its product, a channel id to a partner
 * channel, and the campaign_orders rows (promo-0001) with their fee
 * position.  Implemented for SQLite in sqlite_campaign_orders.c and
 * PostgreSQL in pg_campaign_orders.c (same rows, same order).
 * The contract of store.h holds: on error nothing changes outside the
 * caller's open transaction; absent is TK_ENOTFOUND. */
#ifndef TK_CAMPAIGN_ORDER_STORE_H
#define TK_CAMPAIGN_ORDER_STORE_H

#include "core/campaign_pick.h"
#include "store/store.h"

#define CO_SOURCE_MAX 8 /* union, rate, none */
#define CO_LIST_MAX 1000 /* rows one listing page holds at most */

/* One campaign order.  The fields after `updated_at` are read from its
 * item (items) and ignored on writes. */
struct campaign_order_rec {
	int64_t item;
	char union_[ORDER_UNION_MAX];
	char ext_id[ORDER_KEY_MAX];
	bool head;
	int64_t campaign, campaign_item, channel; /* 0: not (yet) matched */
	char channel_kind[ORDER_TAG_KIND_MAX];
	char channel_ref[ORDER_KEY_MAX];
	char shop[ORDER_KEY_MAX];
	char category[ORDER_KEY_MAX];
	char buyer[ORDER_KEY_MAX];
	int64_t clicked_at, ordered_at;
	char fee_source[CO_SOURCE_MAX]; /* union, rate, none */
	int service_pm;
	int64_t fee;        /* the fee before refunds: the union's figure or the rate's */
	int fee_bucket;     /* enum fee_bucket (core/service_fee.h) */
	int64_t fee_amount; /* where the fee stands in the ledger */
	int64_t month;      /* yyyymm of the paid time, Beijing */
	int64_t updated_at;
	/* read from the item */
	char key[ORDER_KEY_MAX];
	char product[ORDER_KEY_MAX];
	enum order_status status;
	int64_t amount, paid_at, settled_at;
	int64_t merchant; /* the campaign's merchant, 0 none */
};

/* Which campaign orders a listing shows (0 / "" / -1 status: any), item
 * ascending from `after` (exclusive). */
struct co_filter {
	int64_t campaign, merchant, channel;
	int64_t month;          /* yyyymm, 0 any */
	int64_t paid_from, paid_to; /* unix seconds, inclusive; 0 open */
	char union_[ORDER_UNION_MAX];
	int head;               /* -1 any, 0 own rows, 1 head rows */
	int status;             /* enum order_status, -1 any */
	bool unlinked;          /* only rows with no campaign, or a channel ref but no channel */
	int64_t updated_from;   /* updated_at >= this; 0 any */
	int64_t after;          /* item id cursor */
};

/* Totals over a filter (after is ignored). */
struct co_totals {
	int64_t orders, gmv;
	int64_t fee_estimated, fee_settled;
	int64_t fee_clawed; /* settled fee taken back: ACCT_SERVICE -> union transfers */
};

typedef bool (*store_campaign_order_cb)(void *ctx, const struct campaign_order_rec *co);

struct campaign_order_store_ops {
	/* Whether any campaign exists: nothing to match otherwise. */
	enum tk_rc (*campaign_any)(struct store *st, bool *out, struct tk_error *err);
	/* The campaigns of `union_` holding `product` a row may belong to
	 * (campaign_pick() picks among them): ext non-empty, those with that
	 * ext_id (any status); ext empty, the approved and ended ones.  By
	 * promote_from, then id, both descending; at most max (the latest),
	 * *n how many (0: none, not an error). */
	enum tk_rc (*campaign_candidates)(struct store *st, const char *union_, const char *ext,
					  const char *product, struct co_candidate *out, int max,
					  int *n, struct tk_error *err);
	/* Whether a campaign of `union_` has the union's id `ext` (any status):
	 * a PDD zs_duo_id that is this platform's head's. */
	enum tk_rc (*campaign_ext_known)(struct store *st, const char *union_, const char *ext,
					 bool *out, struct tk_error *err);
	/* The partner channel (union_, kind, value) is registered to;
	 * TK_ENOTFOUND when none. */
	enum tk_rc (*channel_find)(struct store *st, const char *union_, const char *kind,
				   const char *value, int64_t *channel, struct tk_error *err);
	enum tk_rc (*get)(struct store *st, int64_t item, struct campaign_order_rec *out,
			  struct tk_error *err);
	/* Inserts or replaces the row of co->item (its item must exist). */
	enum tk_rc (*put)(struct store *st, const struct campaign_order_rec *co,
			  struct tk_error *err);
	/* Rows matching f, item ascending, at most limit (<= 0: all); cb
	 * returns false to stop.  Whole-table walks stream (the audit). */
	enum tk_rc (*each)(struct store *st, const struct co_filter *f, int64_t limit,
			   store_campaign_order_cb cb, void *ctx, struct tk_error *err);
	enum tk_rc (*totals)(struct store *st, const struct co_filter *f, struct co_totals *out,
			     struct tk_error *err);
};

extern const struct campaign_order_store_ops sqlite_campaign_order_ops;
extern const struct campaign_order_store_ops pg_campaign_order_ops;

#endif

/* channel_match.h — which partner channels suit a campaign product, and
 * which campaign products suit a channel: a pure ranking (no I/O) of the
 * figures the store reads (channel_store.h), with each verdict's reasons
 * as {key, params}, and the marks of brushed figures (few buyers, orders
 * seconds after the click, refunds on one day, one busy hour, slot fees far
 * above the sales they bought) that rank a channel down. */
#ifndef TK_CHANNEL_MATCH_H
#define TK_CHANNEL_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CM_REASONS_MAX 14
#define CM_PARAMS_MAX 3
#define CM_RANK_MAX 1000   /* channels ranked for one product at most */
#define CM_PRODUCTS_MAX 200 /* campaign products suggested for one channel */

/* A campaign product: what a channel is matched on. */
struct cm_product {
	int64_t id;            /* campaign_items.id */
	char category[96];
	int64_t price;         /* fen, 0 unknown: no price band */
	char union_[8];
	int64_t service_pm;    /* the head's service fee, per mille */
	int64_t commission_pm;
	int64_t campaign;
	char title[192];       /* shown, not matched on */
};

/* One channel's figures over the window (campaign orders the store linked
 * to it).  "orders" are placed orders; the rest as said. */
struct cm_figures {
	int64_t id;
	char name[129];
	char state[16];        /* active, paused (blocked never reach here) */
	bool declared;         /* its categories name the product's category */
	bool has_union_id;     /* it holds an id on the product's union */
	int64_t orders;        /* placed */
	int64_t paid;          /* of them paid (paid_at set) */
	int64_t gmv;           /* fen paid */
	int64_t cat_orders, cat_gmv;    /* paid, in the product's category */
	int64_t band_orders, band_gmv;  /* paid, unit price in the product's band */
	int64_t refunded;      /* paid orders refunded or made invalid */
	int64_t buyer_orders;  /* orders that name a buyer */
	int64_t top3;          /* of them, the orders of the 3 busiest buyers */
	int64_t timed;         /* orders with both click and order time */
	int64_t fast;          /* of them, placed within CM_FAST_SECONDS of the click */
	int64_t refund_day_max;/* refunds of the day with the most */
	int64_t hour_max;      /* orders of the hour with the most */
	int64_t slot_fen;      /* slot fees booked or collected (not waived) */
	int64_t slot_gmv;      /* fen paid on orders of those slot-fee campaigns */
};

struct cm_reason {
	const char *key;       /* "match.category_sales", "flag.few_buyers", ... */
	int n;
	struct {
		const char *name;
		int64_t v;
	} p[CM_PARAMS_MAX];
};

struct cm_ranked {
	int64_t id;
	int64_t score;
	bool paused;
	int flags;             /* flag.* reasons */
	int n;
	struct cm_reason r[CM_REASONS_MAX];
};

/* Thresholds (the why next to each in channel_match.c). */
#define CM_FAST_SECONDS 15
#define CM_MIN_BUYER_ORDERS 20
#define CM_FEW_BUYERS_PM 500
#define CM_MIN_TIMED 20
#define CM_FAST_PM 300
#define CM_MIN_REFUNDS 10
#define CM_REFUND_SPIKE_PM 500
#define CM_MIN_BURST_ORDERS 30
#define CM_BURST_PM 400
#define CM_SLOT_ROI_MIN 3
#define CM_FLAG_DIVISOR 4

/* Whether an order of `quantity` units paying `amount` fen falls in the
 * band of a product priced `price` fen: unit price within price/2 .. 2×price
 * (the store's SQL says the same in integers). */
bool cm_in_band(int64_t price, int64_t amount, int64_t quantity);

/* Whether a comma list ("a,b,c") holds cat as one whole entry ("" never). */
bool cm_list_has(const char *list, const char *cat);

/* Scores one channel for a product (fills out). */
void cm_score(const struct cm_product *p, const struct cm_figures *f, struct cm_ranked *out);

/* Scores and orders n channels: active before paused, score descending,
 * id ascending among equals. */
void cm_rank(const struct cm_product *p, const struct cm_figures *f, size_t n,
	     struct cm_ranked *out);

/* ---- the reverse: products for one channel ---- */

/* A candidate product with the channel's own figures for it. */
struct cm_candidate {
	struct cm_product p;
	bool declared;         /* the channel's categories name its category */
	int64_t cat_orders;    /* the channel's paid orders in its category */
	int64_t cat_gmv;
};

struct cm_suited {
	int64_t id;            /* campaign_items.id */
	int64_t score;
	int n;
	struct cm_reason r[CM_REASONS_MAX];
};

/* The candidates that suit a channel whose paid orders average avg_price fen
 * a unit (0: none yet): those in a category it declares or has sold, scored
 * and ordered by score descending, id ascending; returns how many (≤ n). */
size_t cm_suits(const struct cm_candidate *c, size_t n, int64_t avg_price, struct cm_suited *out);

#endif

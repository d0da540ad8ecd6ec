/* promo_store.h — storage for the investment-promotion head's registry:
 * merchants and their shops, campaigns, the products of a campaign and the
 * slot fees booked on it (tables of promo-0001).  Implemented for SQLite in
 * sqlite_promo.c and PostgreSQL in pg_promo.c.
 * The contract of store.h holds: on error nothing changes outside the
 * caller's open transaction; a single-row get answers TK_ENOTFOUND. */
#ifndef TK_PROMO_STORE_H
#define TK_PROMO_STORE_H

#include "store/store.h"

#define PROMO_NAME_MAX 129   /* 1..128 bytes and the NUL */
#define PROMO_ID_MAX 96      /* an id from outside: 1..95 bytes and the NUL */
#define PROMO_TEXT_MAX 2001  /* notes, terms, a coupon's URL: 2000 bytes and the NUL */
#define PROMO_TITLE_MAX 257  /* a product's title: 256 bytes and the NUL */
#define PROMO_UNION_MAX 8    /* jd, taobao, pdd */
#define PROMO_STATE_MAX 16

struct merchant_rec {
	int64_t id;
	char name[PROMO_NAME_MAX];
	char contact[PROMO_NAME_MAX];
	char phone[PROMO_NAME_MAX];
	char wechat[PROMO_NAME_MAX];
	char terms[PROMO_TEXT_MAX];
	char note[PROMO_TEXT_MAX];
	char state[PROMO_STATE_MAX]; /* active, archived */
	int64_t created_at, updated_at;
};

/* Which merchants a listing shows: newest first (id descending). */
struct merchant_filter {
	const char *q;     /* NULL or "": any name; else a byte substring of it */
	const char *state; /* NULL or "": every state */
	int64_t before;    /* only ids below it (the previous page's last); 0 none */
	int limit;         /* rows at most; <= 0 none */
};

struct shop_rec {
	int64_t id;
	int64_t merchant;
	char union_[PROMO_UNION_MAX];
	char shop[PROMO_ID_MAX];
	char name[PROMO_NAME_MAX];
};

struct campaign_rec {
	int64_t id;
	int64_t merchant;
	char union_[PROMO_UNION_MAX];
	char ext_id[PROMO_ID_MAX]; /* JD cpActId, PDD plan, Taobao event; "" none */
	char name[PROMO_NAME_MAX];
	char status[PROMO_STATE_MAX]; /* pending, approved, rejected, ended */
	int64_t apply_from, apply_to; /* 0: not given */
	int64_t promote_from, promote_to;
	char note[PROMO_TEXT_MAX];
	int64_t created_at, updated_at;
	char merchant_name[PROMO_NAME_MAX]; /* read only: joined from merchants */
};

/* Which campaigns: newest first.  [from, to] selects campaigns whose
 * promotion window overlaps it (0: open on that side). */
struct campaign_filter {
	int64_t merchant;   /* 0: every merchant */
	const char *status; /* NULL or "": every status */
	const char *union_; /* NULL or "": every union */
	int64_t from, to;
	int64_t before;
	int limit;
};

struct campaign_item_rec {
	int64_t id;
	int64_t campaign;
	char product[PROMO_ID_MAX];
	char title[PROMO_TITLE_MAX];
	char category[PROMO_NAME_MAX];
	int64_t price;  /* fen */
	int64_t commission_pm, service_pm;
	int64_t coupon; /* fen */
	char coupon_url[PROMO_TEXT_MAX];
	char status[PROMO_STATE_MAX]; /* pending, approved, rejected, ended */
	int64_t created_at, updated_at;
};

struct slot_fee_rec {
	int64_t id;
	int64_t campaign;
	int64_t channel; /* promo_channels.id */
	int64_t amount;  /* fen, 1..10^9 */
	char state[PROMO_STATE_MAX]; /* booked, collected, waived */
	int64_t booked_at, collected_at, waived_at;
	char note[PROMO_TEXT_MAX];
	/* read only, joined so that a listing names what its ids are */
	char channel_name[PROMO_NAME_MAX]; /* "" when the channel is gone */
	char campaign_name[PROMO_NAME_MAX];
	int64_t merchant; /* the campaign's */
};

/* Which slot fees: newest first; merchant selects through the campaign. */
struct slot_fee_filter {
	int64_t campaign, channel, merchant; /* 0: any */
	const char *state;                   /* NULL or "": every state */
	int64_t before;
	int limit;
};

typedef bool (*store_merchant_cb)(void *ctx, const struct merchant_rec *m);
typedef bool (*store_shop_cb)(void *ctx, const struct shop_rec *s);
typedef bool (*store_campaign_cb)(void *ctx, const struct campaign_rec *c);
typedef bool (*store_campaign_item_cb)(void *ctx, const struct campaign_item_rec *i);
typedef bool (*store_slot_fee_cb)(void *ctx, const struct slot_fee_rec *f);

struct promo_store_ops {
	/* Sets m->id (the newest + 1, as SQLite hands ids out). */
	enum tk_rc (*merchant_insert)(struct store *st, struct merchant_rec *m,
				      struct tk_error *err);
	/* Writes every field but id and created_at; TK_ENOTFOUND when absent. */
	enum tk_rc (*merchant_update)(struct store *st, const struct merchant_rec *m,
				      struct tk_error *err);
	enum tk_rc (*merchant_get)(struct store *st, int64_t id, struct merchant_rec *m,
				   struct tk_error *err);
	enum tk_rc (*merchant_list)(struct store *st, const struct merchant_filter *f,
				    store_merchant_cb cb, void *ctx, struct tk_error *err);

	/* Sets s->id; TK_ECONFLICT when (union, shop) is registered already
	 * (shop_find says whose). */
	enum tk_rc (*shop_add)(struct store *st, struct shop_rec *s, struct tk_error *err);
	/* The shop (union, shop) whoever holds it; TK_ENOTFOUND when none. */
	enum tk_rc (*shop_find)(struct store *st, const char *union_, const char *shop,
				struct shop_rec *s, struct tk_error *err);
	/* Removes the merchant's shop; TK_ENOTFOUND when it has no such shop. */
	enum tk_rc (*shop_remove)(struct store *st, int64_t merchant, const char *union_,
				  const char *shop, struct tk_error *err);
	/* A merchant's shops by id. */
	enum tk_rc (*shop_list)(struct store *st, int64_t merchant, store_shop_cb cb, void *ctx,
				struct tk_error *err);

	enum tk_rc (*campaign_insert)(struct store *st, struct campaign_rec *c,
				      struct tk_error *err);
	/* Writes every field but id, merchant, union and created_at. */
	enum tk_rc (*campaign_update)(struct store *st, const struct campaign_rec *c,
				      struct tk_error *err);
	enum tk_rc (*campaign_get)(struct store *st, int64_t id, struct campaign_rec *c,
				   struct tk_error *err);
	enum tk_rc (*campaign_list)(struct store *st, const struct campaign_filter *f,
				    store_campaign_cb cb, void *ctx, struct tk_error *err);

	/* The campaign's product; TK_ENOTFOUND when absent. */
	enum tk_rc (*item_get)(struct store *st, int64_t campaign, const char *product,
			       struct campaign_item_rec *i, struct tk_error *err);
	/* Inserts i, or rewrites the product's row (its id, status and
	 * created_at kept): *created says which, i->id is the row's. */
	enum tk_rc (*item_upsert)(struct store *st, struct campaign_item_rec *i, bool *created,
				  struct tk_error *err);
	/* item_upsert for n products of campaign items[0].campaign, in order
	 * (a product at most once among them), new ones pending, times `now`:
	 * a product sheet in few round trips.  *added how many were new. */
	enum tk_rc (*item_upsert_many)(struct store *st, const struct campaign_item_rec *items,
				       size_t n, int64_t now, int64_t *added, struct tk_error *err);
	/* The campaign's products by id. */
	enum tk_rc (*item_list)(struct store *st, int64_t campaign, store_campaign_item_cb cb,
				void *ctx, struct tk_error *err);
	enum tk_rc (*item_set_status)(struct store *st, int64_t id, const char *status,
				      int64_t now, struct tk_error *err);
	enum tk_rc (*item_remove)(struct store *st, int64_t id, struct tk_error *err);

	/* Sets f->id; TK_ECONFLICT when the campaign has a fee for the channel. */
	enum tk_rc (*slot_insert)(struct store *st, struct slot_fee_rec *f, struct tk_error *err);
	enum tk_rc (*slot_get)(struct store *st, int64_t id, struct slot_fee_rec *f,
			       struct tk_error *err);
	/* Writes state, collected_at, waived_at and note. */
	enum tk_rc (*slot_update)(struct store *st, const struct slot_fee_rec *f,
				  struct tk_error *err);
	enum tk_rc (*slot_list)(struct store *st, const struct slot_fee_filter *f,
				store_slot_fee_cb cb, void *ctx, struct tk_error *err);

	/* The name of partner channel `id` (promo_channels, kept by the
	 * channels' module); TK_ENOTFOUND when there is none. */
	enum tk_rc (*channel_name)(struct store *st, int64_t id, char name[PROMO_NAME_MAX],
				   struct tk_error *err);
};

extern const struct promo_store_ops sqlite_promo_ops;
extern const struct promo_store_ops pg_promo_ops;

#endif

/* channel_store.h — storage for the head's partner channels: the channels
 * (promo_channels), their union ids (promo_channel_ids), the linking of
 * campaign orders to a channel by its ids, its history per month and slot
 * fees, and the figures channel matching ranks (core/channel_match.h).
 * Implemented for SQLite in sqlite_channels.c and PostgreSQL in
 * pg_channels.c over promo-0001; store.h's contract holds. */
#ifndef TK_CHANNEL_STORE_H
#define TK_CHANNEL_STORE_H

#include "core/channel_match.h"
#include "store/store.h"

#define CHANNEL_NAME_MAX 129      /* 128 bytes and the NUL */
#define CHANNEL_KIND_MAX 16
#define CHANNEL_CONTACT_MAX 257   /* 256 bytes */
#define CHANNEL_CATS_MAX (32 * 65 + 1) /* 32 categories of 64 bytes, commas */
#define CHANNEL_NOTE_MAX 1025     /* 1024 bytes */
#define CHANNEL_STATE_MAX 16
#define CHANNEL_ID_KIND_MAX 16
#define CHANNEL_ID_VALUE_MAX 96   /* 95 bytes, as the table's CHECK */

struct channel_rec {
	int64_t id;
	char name[CHANNEL_NAME_MAX];
	char kind[CHANNEL_KIND_MAX];   /* team talent app wechat weibo zhihu guide other */
	char contact[CHANNEL_CONTACT_MAX];
	char categories[CHANNEL_CATS_MAX]; /* "a,b,c": names without commas */
	char note[CHANNEL_NOTE_MAX];
	char state[CHANNEL_STATE_MAX]; /* active paused blocked */
	int64_t created_at, updated_at;
};

/* A listing: newest first (id descending); text filters exact (NULL or "":
 * any) but `name`, a byte substring, and `category`, one of the list. */
struct channel_filter {
	const char *kind, *state, *category, *name;
	int64_t before; /* ids below it; 0 none */
	int limit;      /* <= 0 none */
};

struct channel_id_rec {
	int64_t channel;
	char union_[8];
	char kind[CHANNEL_ID_KIND_MAX];
	char value[CHANNEL_ID_VALUE_MAX];
};

/* One month of a channel's campaign orders (campaign_orders.month). */
struct channel_month {
	int64_t month;
	int64_t orders;    /* placed */
	int64_t paid;      /* of them paid */
	int64_t gmv;       /* fen paid */
	int64_t fee;       /* fen of the head's service fee (fee_amount) */
	int64_t refunded;  /* paid orders refunded or invalid */
};

struct channel_slot_fee {
	int64_t id, campaign;
	char campaign_name[CHANNEL_NAME_MAX];
	int64_t amount;
	char state[16];
	int64_t booked_at, collected_at, waived_at;
};

/* What matching a product asks the store for. */
struct channel_figures_query {
	const char *category;  /* the product's */
	int64_t price;         /* fen, 0: no band */
	const char *union_;
	int64_t since;         /* orders placed at or after (unix s) */
	int64_t fast_seconds;  /* CM_FAST_SECONDS */
	int limit;             /* channels at most (CM_RANK_MAX) */
};

typedef bool (*channel_cb)(void *ctx, const struct channel_rec *c);
typedef bool (*channel_id_cb)(void *ctx, const struct channel_id_rec *r);
typedef bool (*channel_month_cb)(void *ctx, const struct channel_month *m);
typedef bool (*channel_slot_cb)(void *ctx, const struct channel_slot_fee *s);
typedef bool (*channel_figures_cb)(void *ctx, const struct cm_figures *f);
typedef bool (*channel_candidate_cb)(void *ctx, const struct cm_candidate *c);

struct channel_store_ops {
	/* Inserts c (its id set). */
	enum tk_rc (*channel_insert)(struct store *st, struct channel_rec *c, struct tk_error *err);
	/* Writes every field but id and created_at; TK_ENOTFOUND when absent. */
	enum tk_rc (*channel_update)(struct store *st, const struct channel_rec *c,
				     struct tk_error *err);
	/* TK_ENOTFOUND when absent. */
	enum tk_rc (*channel_get)(struct store *st, int64_t id, struct channel_rec *c,
				  struct tk_error *err);
	enum tk_rc (*channel_each)(struct store *st, const struct channel_filter *f, channel_cb cb,
				   void *ctx, struct tk_error *err);
	/* The channel that holds (union, kind, value): TK_ENOTFOUND when none. */
	enum tk_rc (*channel_id_owner)(struct store *st, const char *union_, const char *kind,
				       const char *value, int64_t *channel, struct tk_error *err);
	/* Adds r; TK_ECONFLICT when the id is held already (the transaction
	 * can go on). */
	enum tk_rc (*channel_id_insert)(struct store *st, const struct channel_id_rec *r,
					struct tk_error *err);
	/* Removes r (of r->channel); TK_ENOTFOUND when it holds no such id. */
	enum tk_rc (*channel_id_delete)(struct store *st, const struct channel_id_rec *r,
					struct tk_error *err);
	/* A channel's ids ordered by union, kind, value. */
	enum tk_rc (*channel_ids)(struct store *st, int64_t channel, channel_id_cb cb, void *ctx,
				  struct tk_error *err);
	/* Links the campaign orders of (union, kind, value) that no channel
	 * holds yet to r->channel; *linked says how many. */
	enum tk_rc (*channel_link_orders)(struct store *st, const struct channel_id_rec *r,
					  int64_t *linked, struct tk_error *err);
	/* The channel's campaign orders per month, newest month first. */
	enum tk_rc (*channel_months)(struct store *st, int64_t channel, int limit,
				     channel_month_cb cb, void *ctx, struct tk_error *err);
	/* Its slot fees, newest first. */
	enum tk_rc (*channel_slot_fees)(struct store *st, int64_t channel, int limit,
					channel_slot_cb cb, void *ctx, struct tk_error *err);
	/* Every channel not blocked, id ascending, at most q->limit, with its
	 * figures over the window: one statement over campaign_orders ⋈ items. */
	enum tk_rc (*channel_figures)(struct store *st, const struct channel_figures_query *q,
				      channel_figures_cb cb, void *ctx, struct tk_error *err);
	/* The channel's average paid unit price in fen over orders since
	 * `since` (0 none). */
	enum tk_rc (*channel_avg_price)(struct store *st, int64_t channel, int64_t since,
					int64_t *avg, struct tk_error *err);
	/* Approved campaign products of approved campaigns whose promotion
	 * window holds `now`, id ascending, at most `limit`, each with the
	 * channel's paid orders in its category since `since` and whether the
	 * channel declares that category. */
	enum tk_rc (*channel_candidates)(struct store *st, int64_t channel, int64_t now,
					 int64_t since, int limit, channel_candidate_cb cb,
					 void *ctx, struct tk_error *err);
	/* A campaign product as matching reads it: TK_ENOTFOUND when absent. */
	enum tk_rc (*campaign_product)(struct store *st, int64_t id, struct cm_product *p,
				       struct tk_error *err);
};

extern const struct channel_store_ops sqlite_channel_ops;
extern const struct channel_store_ops pg_channel_ops;

#endif

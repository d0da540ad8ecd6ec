/* statement_store.h — storage for the merchants' monthly statements: the
 * month's campaign orders and slot fees of one merchant (what the figures
 * are computed from, in one query each), and the statements themselves
 * (table statements, migration promo-0002).  Implemented for SQLite in
 * sqlite_statements.c and PostgreSQL in pg_statements.c.
 * The contract of store.h holds: on error nothing changes outside the
 * caller's open transaction. */
#ifndef TK_STATEMENT_STORE_H
#define TK_STATEMENT_STORE_H

#include "store/store.h"

#define STMT_NAME_MAX 129     /* merchant, campaign, channel names: 128 bytes */
#define STMT_KEY_MAX 96       /* product ids, item keys, union refs: 95 bytes */
#define STMT_TITLE_MAX 256    /* a product's title, cut to fit */
#define STMT_STATE_MAX 16
#define STMT_INVOICE_MAX 65   /* an invoice number: 64 bytes */
#define STMT_REASON_MAX 501   /* a reopening's reason: 500 bytes */
#define STMT_SNAPSHOT_MAX (8 * 1024 * 1024) /* bytes of a frozen figures document */

/* One campaign order of the month as the figures and the orders sheet use
 * it: campaign_orders ⋈ campaigns ⋈ items, with the campaign product's
 * terms (campaign_items) and the channel's name when known. */
struct statement_order {
	int64_t item;                      /* items.id */
	char union_[16];
	char item_key[STMT_KEY_MAX];
	char order_no[STMT_KEY_MAX];
	int status;                        /* enum order_status */
	int64_t amount, commission, refunded, paid_at, settled_at;
	int64_t campaign;
	char campaign_name[STMT_NAME_MAX];
	char product[STMT_KEY_MAX];        /* the campaign product's, else the item's */
	char title[STMT_TITLE_MAX];
	int64_t commission_pm, service_pm; /* the campaign product's terms (0 without one;
					    * service_pm then the order's) */
	int64_t fee, fee_bucket;           /* campaign_orders.fee and its bucket */
	int64_t channel;                   /* promo_channels.id, 0 unknown */
	char channel_name[STMT_NAME_MAX];  /* "" when unknown */
	char channel_ref[STMT_KEY_MAX];    /* the union's channel value as sold */
};

/* One slot fee of the month (booked then, not waived). */
struct statement_slot {
	int64_t id, campaign;
	char campaign_name[STMT_NAME_MAX];
	int64_t channel;
	char channel_name[STMT_NAME_MAX];
	int64_t amount;
	char state[STMT_STATE_MAX];        /* booked (outstanding) or collected */
	int64_t booked_at, collected_at;
};

struct statement_rec {
	int64_t id, merchant;
	char merchant_name[STMT_NAME_MAX]; /* filled on reads */
	int64_t month;                     /* YYYYMM */
	char state[STMT_STATE_MAX];        /* draft sent confirmed invoiced */
	char invoice[STMT_INVOICE_MAX];    /* "" until invoiced */
	char reason[STMT_REASON_MAX];      /* the last reopening's reason, "" none */
	int64_t created_at, updated_at, sent_at, confirmed_at, invoiced_at; /* 0: not yet */
	char *snapshot; /* the figures frozen when sent (JSON), NULL for a draft;
			 * stmt_get mallocs it (the caller frees), listings leave it NULL */
};

/* Which statements a listing shows: newest (id descending) first. */
struct statement_filter {
	int64_t month;       /* 0: every month */
	int64_t merchant;    /* 0: every merchant */
	const char *state;   /* NULL or "": every state */
	int64_t before;      /* only ids below it (the previous page's last); 0 none */
	int limit;           /* rows at most; <= 0 none */
};

typedef bool (*store_statement_order_cb)(void *ctx, const struct statement_order *o);
typedef bool (*store_statement_slot_cb)(void *ctx, const struct statement_slot *s);
typedef bool (*store_statement_cb)(void *ctx, const struct statement_rec *s);
typedef bool (*store_statement_id_cb)(void *ctx, int64_t id);

struct statement_store_ops {
	/* The merchant's name; TK_ENOTFOUND when there is no such merchant. */
	enum tk_rc (*merchant_name)(struct store *st, int64_t merchant, char *name, size_t size,
				    struct tk_error *err);
	/* The campaign orders of the merchant's campaigns whose month is
	 * `month`, by campaign id, product (bytes), item id. */
	enum tk_rc (*orders_each)(struct store *st, int64_t merchant, int64_t month,
				  store_statement_order_cb cb, void *ctx, struct tk_error *err);
	/* The slot fees of the merchant's campaigns booked in [from, to) and
	 * not waived, by campaign id, channel id. */
	enum tk_rc (*slots_each)(struct store *st, int64_t merchant, int64_t from, int64_t to,
				 store_statement_slot_cb cb, void *ctx, struct tk_error *err);
	/* The merchants with a campaign order in `month` or a slot fee (not
	 * waived) booked in [from, to), by id. */
	enum tk_rc (*active_merchants)(struct store *st, int64_t month, int64_t from, int64_t to,
				       store_statement_id_cb cb, void *ctx, struct tk_error *err);

	/* Inserts a draft for (merchant, month) unless one exists: *id its id
	 * either way, *created whether it was made now.  TK_ECONFLICT for an
	 * unknown merchant. */
	enum tk_rc (*stmt_upsert_draft)(struct store *st, int64_t merchant, int64_t month,
					int64_t now, int64_t *id, bool *created,
					struct tk_error *err);
	/* TK_ENOTFOUND when absent; s->snapshot malloc'd (NULL when none). */
	enum tk_rc (*stmt_get)(struct store *st, int64_t id, struct statement_rec *s,
			       struct tk_error *err);
	enum tk_rc (*stmt_list)(struct store *st, const struct statement_filter *f,
				store_statement_cb cb, void *ctx, struct tk_error *err);
	/* Writes state, snapshot (NULL: none), invoice, reason and the times
	 * of s->id; TK_ENOTFOUND when absent. */
	enum tk_rc (*stmt_update)(struct store *st, const struct statement_rec *s,
				  struct tk_error *err);
};

extern const struct statement_store_ops sqlite_statement_ops;
extern const struct statement_store_ops pg_statement_ops;

#endif

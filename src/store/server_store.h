/* server_store.h — storage for the HTTP server: operator API keys, member
 * passwords and sessions, idempotency records, tracking links and their
 * clicks, and the paged listings and report queries the API serves.
 * Implemented for SQLite in sqlite_server.c.
 *
 * The contract of store.h holds: every operation returns TK_OK, or an error
 * with err filled and nothing changed outside the caller's open transaction.
 * Secrets are never stored in the clear: keys and tokens as BLAKE2b hashes,
 * passwords as argon2id strings. */
#ifndef TK_SERVER_STORE_H
#define TK_SERVER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/member_query.h"
#include "store/store.h"

#define SERVER_HASH_BYTES 32      /* BLAKE2b-256 of a key or token */
#define APIKEY_NAME_MAX 64
#define APIKEY_PREFIX_MAX 16      /* the start of a key, shown to tell keys apart */
#define APIKEY_ROLE_MAX 16        /* bytes of a key's role name, NUL included */
#define PASSWORD_HASH_MAX 128     /* crypto_pwhash_STRBYTES */
#define IDEM_KEY_MAX 128          /* bytes of an Idempotency-Key, NUL included */
#define IDEM_PRINCIPAL_MAX 48
#define LINK_CODE_MAX 16          /* bytes of a link code, NUL included */
#define LINK_TARGET_MAX 2304      /* a product URL (2048) plus the tags appended */
#define CLICK_IP_HASH_BYTES 16
#define CLICK_UA_HASH_BYTES 8
#define CLICK_REFERRER_MAX 64     /* the referrer's host, cut */
#define CLICK_NODE_MAX 64         /* bytes of a serve node's name, NUL included */

struct apikey_rec {
	int64_t id;
	char name[APIKEY_NAME_MAX];
	char prefix[APIKEY_PREFIX_MAX];
	char role[APIKEY_ROLE_MAX];  /* admin, finance, operations or viewer (auth/roles.h) */
	int64_t created_at;
	int64_t revoked_at; /* 0 while valid */
};

struct idem_rec {
	uint8_t request_hash[SERVER_HASH_BYTES];
	int status;
	char *body;         /* malloc'd by idem_get, caller frees; borrowed by idem_put */
	int64_t created_at;
};

struct link_rec {
	int64_t id;
	char code[LINK_CODE_MAX];
	int64_t member;                /* internal id */
	char member_ext[ORDER_KEY_MAX];
	char union_[ORDER_UNION_MAX];  /* "" for a plain URL */
	char product[ORDER_KEY_MAX];   /* "" for a plain URL */
	char channel[ORDER_KEY_MAX];   /* "" when none */
	char target[LINK_TARGET_MAX];
	int64_t created_at;
	int64_t revoked_at;            /* 0 while it redirects */
	int64_t clicks, unique_clicks, bot_clicks;
	/* the union's conversion the target comes from (0: a plain target),
	 * when it expires and whether it was made locally in demo mode */
	int64_t conversion;
	int64_t expires_at;
	bool demo;
	/* who made it (enum link_origin), and whether an operator let its
	 * address through past the allowed hosts (link_host.h) */
	int origin;
	bool host_override;
};

/* Who made a link: member quotas count the links members make themselves;
 * links made before origins were recorded are LINK_ORIGIN_UNKNOWN. */
enum link_origin {
	LINK_ORIGIN_UNKNOWN = 0,
	LINK_ORIGIN_MEMBER = 1,   /* a member, through its session */
	LINK_ORIGIN_OPERATOR = 2, /* an operator's key or the command line */
	LINK_ORIGIN_PUSHER = 3,   /* the group pusher, for a group's owner */
};

#define CONV_URL_MAX 1024
#define CONV_TPWD_MAX 256

/* A union's promotion link made for one member and product (转链), kept
 * so that further links to the product reuse it until it nears expiry. */
struct conversion_rec {
	int64_t id;
	int64_t member;                /* internal id */
	char union_[ORDER_UNION_MAX];
	char product[ORDER_KEY_MAX];
	char coupon[CONV_URL_MAX];     /* JD's coupon URL it was made with, "" none */
	char channel[ORDER_KEY_MAX];   /* a chat group's key it was made for (with the
					* group's tags), "" the member's own */
	char url[CONV_URL_MAX];        /* what links point at: the short URL when given */
	char long_url[CONV_URL_MAX];
	char tpwd[CONV_TPWD_MAX];      /* Taobao's 淘口令, "" for the others */
	bool demo;                     /* made locally, not by the union */
	int64_t converted_at;
	int64_t expires_at;
};

/* A member's authorization with a union under way (the OAuth state): who
 * started it, for which tag kind, until when it may come back. */
#define OAUTH_KIND_MAX 32
struct oauth_state_rec {
	int64_t member;                 /* internal id */
	char union_[ORDER_UNION_MAX];
	char kind[OAUTH_KIND_MAX];      /* the tag to register: relation_id, special_id */
	int64_t created_at;
	int64_t expires_at;
	int64_t used_at;                /* 0 until it came back once */
};

struct click_rec {
	int64_t at;
	int64_t link;
	uint8_t ip_hash[CLICK_IP_HASH_BYTES];
	uint8_t ua_hash[CLICK_UA_HASH_BYTES];
	char referrer[CLICK_REFERRER_MAX];
	bool bot;
	bool unique; /* the first from this IP on this link within the hour */
};

/* One transfer touching a member's accounts, with the item it belongs to. */
struct ledger_entry {
	struct transfer t;
	char union_[ORDER_UNION_MAX]; /* "" when the transfer has no item */
	char item_key[ORDER_KEY_MAX];
	/* what the item's order row says, for history in plain words */
	char product[ORDER_KEY_MAX];
	char title[ORDER_TITLE_MAX];
	int64_t item_amount;          /* fen the buyer paid for the item */
};

typedef bool (*server_apikey_cb)(void *ctx, const struct apikey_rec *k);
typedef bool (*server_link_cb)(void *ctx, const struct link_rec *l);
/* A member of the members list, with its sales over the list's period. */
typedef bool (*server_member_sales_cb)(void *ctx, const struct member_rec *m, int64_t sales);
typedef bool (*server_conversion_cb)(void *ctx, const struct conversion_rec *c);
typedef bool (*server_link_sum_cb)(void *ctx, int64_t link, int64_t clicks,
				   int64_t unique_clicks, int64_t bot_clicks);
typedef bool (*server_recent_cb)(void *ctx, int64_t link, const uint8_t *ip_hash, int64_t at);
typedef bool (*server_ledger_cb)(void *ctx, const struct ledger_entry *e);
typedef bool (*server_withdrawal_cb)(void *ctx, const struct withdrawal_rec *w,
				     const char *member_ext, const char *member_name);
typedef bool (*server_tag_cb)(void *ctx, const char *union_, const char *kind,
			      const char *value);
typedef bool (*server_link_host_cb)(void *ctx, const char *domain, int64_t added_at);
/* One state an order item went through (item_events). */
struct item_event_rec {
	int64_t id;
	int status;               /* enum order_status */
	int64_t commission;
	int64_t modified_at;      /* the union's time of the state */
	int64_t applied_at;       /* when tuike applied it */
	char note[160];           /* why, when tuike re-attributed it; "" else */
};
typedef bool (*server_item_event_cb)(void *ctx, const struct item_event_rec *ev);
typedef bool (*server_item_key_cb)(void *ctx, const char *union_, const char *item_key);
typedef bool (*server_stats_cb)(void *ctx, int64_t day, const char *key,
				const int64_t v[STAT_N]);

/* A filtered, sorted page of order items (item_list): the orders list of
 * the console and the promoter page's 我的订单.  Every filter is optional;
 * the order is (key, id) in one direction, so that a page after a cursor
 * (after_key, after_id) neither repeats nor skips items that tie. */
enum item_sort { ITEM_SORT_PAID, ITEM_SORT_AMOUNT, ITEM_SORT_COMMISSION };
struct item_query {
	int64_t paid_from, paid_to;     /* paid_at in [from, to); both 0: any time */
	char union_[ORDER_UNION_MAX];   /* "" any */
	unsigned status_mask;           /* bit (1 << enum order_status); 0 any */
	unsigned attribution_mask;      /* bit (1 << enum attribution); 0 any */
	int64_t sharer;                 /* the chain's first member (internal id), 0 any */
	int64_t payee;                  /* a member anywhere in the chain, 0 any */
	char channel[ORDER_KEY_MAX];    /* "" any (a group's is "g<id>") */
	char product[ORDER_KEY_MAX];    /* "" any; of union_, or of any union */
	enum item_sort sort;
	bool asc;
	bool after;                     /* a cursor: rows past (after_key, after_id) */
	int64_t after_key, after_id;
	int limit;                      /* >= 1 */
};
struct item_list_row {
	int64_t id;
	char union_[ORDER_UNION_MAX];
	char item[ORDER_KEY_MAX];
	char order[ORDER_KEY_MAX];
	char product[ORDER_KEY_MAX];
	char title[ORDER_TITLE_MAX];
	char channel[ORDER_KEY_MAX];
	char sharer_ext[ORDER_KEY_MAX]; /* "" when unattributed */
	int status;                     /* enum order_status */
	int attribution;                /* enum attribution */
	int64_t paid_at, amount, commission;
	int n_chain;
	int64_t member[3];              /* the chain's members (internal ids) */
	int64_t share[3];               /* their fen */
	int64_t key;                    /* the sort key's value (the cursor) */
};
typedef bool (*server_item_row_cb)(void *ctx, const struct item_list_row *r);
/* The sums over every item a query matches (its sort, cursor and limit
 * aside): share is the payee's own when q->payee is set, else the
 * sharer's. */
struct item_totals {
	int64_t items, amount, commission, share;
};

struct server_store_ops {
	/* A named random secret of `len` bytes (<= 64), created on first use. */
	enum tk_rc (*secret_get)(struct store *st, const char *name, uint8_t *out, size_t len,
				 struct tk_error *err);

	/* ---- operator API keys ---- */
	enum tk_rc (*apikey_insert)(struct store *st, struct apikey_rec *k,
				    const uint8_t hash[SERVER_HASH_BYTES], struct tk_error *err);
	/* The key with this hash; TK_ENOTFOUND when unknown or revoked. */
	enum tk_rc (*apikey_find)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				  struct apikey_rec *k, struct tk_error *err);
	enum tk_rc (*apikey_each)(struct store *st, server_apikey_cb cb, void *ctx,
				  struct tk_error *err);
	/* TK_ENOTFOUND when no such key; revoking twice keeps the first time. */
	enum tk_rc (*apikey_revoke)(struct store *st, int64_t id, int64_t at,
				    struct tk_error *err);
	/* Gives key `id` another role; TK_ENOTFOUND when no such key,
	 * TK_ECONFLICT when it is revoked. */
	enum tk_rc (*apikey_set_role)(struct store *st, int64_t id, const char *role,
				      struct tk_error *err);

	/* ---- operator sessions (the console's, opened with a key) ---- */
	enum tk_rc (*opsession_insert)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				       int64_t key, const char *role, int64_t created_at,
				       int64_t expires_at, struct tk_error *err);
	/* The key of a session valid at `now`: TK_ENOTFOUND when the session
	 * is unknown or expired, or its key was revoked or changed role since
	 * the session opened. */
	enum tk_rc (*opsession_get)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				    int64_t now, struct apikey_rec *k, int64_t *expires_at,
				    struct tk_error *err);
	enum tk_rc (*opsession_delete)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				       struct tk_error *err);
	/* Ends every session opened with key `key` (revoked, or another role). */
	enum tk_rc (*opsession_delete_key)(struct store *st, int64_t key, struct tk_error *err);

	/* ---- member passwords and sessions ---- */
	enum tk_rc (*password_set)(struct store *st, int64_t member, const char *hash, int64_t at,
				   struct tk_error *err);
	/* TK_ENOTFOUND when the member has no password. */
	enum tk_rc (*password_get)(struct store *st, int64_t member,
				   char hash[PASSWORD_HASH_MAX], struct tk_error *err);
	enum tk_rc (*session_insert)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				     int64_t member, int64_t created_at, int64_t expires_at,
				     struct tk_error *err);
	/* The member of a session valid at `now`; TK_ENOTFOUND otherwise. */
	enum tk_rc (*session_get)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				  int64_t now, int64_t *member, int64_t *expires_at,
				  struct tk_error *err);
	enum tk_rc (*session_delete)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				     struct tk_error *err);
	/* Ends every session of a member (its password changed). */
	enum tk_rc (*session_delete_member)(struct store *st, int64_t member,
					    struct tk_error *err);

	/* ---- idempotency records, per principal and key ---- */
	enum tk_rc (*idem_get)(struct store *st, const char *principal, const char *key,
			       struct idem_rec *out, struct tk_error *err);
	enum tk_rc (*idem_put)(struct store *st, const char *principal, const char *key,
			       const struct idem_rec *r, struct tk_error *err);
	enum tk_rc (*idem_delete)(struct store *st, const char *principal, const char *key,
				  struct tk_error *err);

	/* ---- union authorizations under way (OAuth states, by hash) ---- */
	enum tk_rc (*oauth_state_insert)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
					 const struct oauth_state_rec *r, struct tk_error *err);
	/* Reads the state into *r and marks it used at `now` when it was not:
	 * a state comes back once.  r->used_at is the earlier use when it had
	 * come back before (left as it was); TK_ENOTFOUND when unknown. */
	enum tk_rc (*oauth_state_take)(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				       int64_t now, struct oauth_state_rec *r, struct tk_error *err);

	/* Deletes sessions (members' and operators') expired at `now`,
	 * idempotency records created before `idem_before` and authorization
	 * states expired a day before `now` (kept that long to tell a reused
	 * state from an unknown one). */
	enum tk_rc (*purge)(struct store *st, int64_t now, int64_t idem_before,
			    struct tk_error *err);

	/* ---- tracking links ---- */
	/* Fills l->id; TK_ECONFLICT when the code is taken. */
	enum tk_rc (*link_insert)(struct store *st, struct link_rec *l, struct tk_error *err);
	enum tk_rc (*link_get)(struct store *st, const char *code, struct link_rec *l,
			       struct tk_error *err);
	enum tk_rc (*link_get_id)(struct store *st, int64_t id, struct link_rec *l,
				  struct tk_error *err);
	/* Stops a link redirecting from `at` on; revoking twice keeps the
	 * first time. */
	enum tk_rc (*link_revoke)(struct store *st, int64_t id, int64_t at, struct tk_error *err);
	/* The member's newest link to a product through a channel;
	 * TK_ENOTFOUND when it has none. */
	enum tk_rc (*link_find)(struct store *st, int64_t member, const char *union_,
				const char *product, const char *channel, struct link_rec *l,
				struct tk_error *err);
	/* Every link, revoked ones too, in id order (loading the redirect
	 * table). */
	enum tk_rc (*link_each)(struct store *st, server_link_cb cb, void *ctx,
				struct tk_error *err);
	/* Links of a member (0 = all), newest first, ids below `before` (0 = from
	 * the newest), at most `limit`. */
	enum tk_rc (*link_page)(struct store *st, int64_t member, int64_t before, int limit,
				server_link_cb cb, void *ctx, struct tk_error *err);

	/* ---- where member links may lead, and how many they may make ---- */
	/* Adds a domain (normalized by the caller) to the allowed hosts;
	 * *added false when it was there already (nothing changes).  Every
	 * change leaves a CHANGE_LINK_HOSTS in the change log. */
	enum tk_rc (*link_host_add)(struct store *st, const char *domain, int64_t at, bool *added,
				    struct tk_error *err);
	/* TK_ENOTFOUND when the domain is not on the list. */
	enum tk_rc (*link_host_remove)(struct store *st, const char *domain,
				       struct tk_error *err);
	/* The domains operators added, by domain (bytes). */
	enum tk_rc (*link_host_each)(struct store *st, server_link_host_cb cb, void *ctx,
				     struct tk_error *err);
	/* How many links the member made itself (LINK_ORIGIN_MEMBER) created
	 * at or after `since`, and the creation time of the oldest of them
	 * (0 when none). */
	enum tk_rc (*link_count_since)(struct store *st, int64_t member, int64_t since,
				       int64_t *n, int64_t *oldest, struct tk_error *err);
	/* A member's own link quota; TK_ENOTFOUND when the defaults apply. */
	enum tk_rc (*link_quota_get)(struct store *st, int64_t member, int64_t *per_hour,
				     int64_t *per_day, struct tk_error *err);
	/* Sets a member's own quota (both >= 1), or, with both 0, drops it
	 * (the defaults apply again). */
	enum tk_rc (*link_quota_set)(struct store *st, int64_t member, int64_t per_hour,
				     int64_t per_day, int64_t at, struct tk_error *err);

	/* ---- the unions' conversions behind links ---- */
	/* The conversion of (member, union, product, coupon, channel);
	 * TK_ENOTFOUND when there is none. */
	enum tk_rc (*conversion_get)(struct store *st, int64_t member, const char *union_,
				     const char *product, const char *coupon, const char *channel,
				     struct conversion_rec *c, struct tk_error *err);
	/* Saves a conversion (a new one, or a fresh one for the same member,
	 * union, product, coupon and channel, keeping its id) and fills c->id; every
	 * link made from it that still redirects gets its URL as the target
	 * (the change log tells the running servers) — both in the caller's
	 * transaction, or in one of their own when none is open. */
	enum tk_rc (*conversion_put)(struct store *st, struct conversion_rec *c,
				     struct tk_error *err);
	/* Conversions expiring before `before` that a link still redirecting
	 * uses, soonest first, at most `limit`. */
	enum tk_rc (*conversion_expiring)(struct store *st, int64_t before, int limit,
					  server_conversion_cb cb, void *ctx, struct tk_error *err);

	/* ---- clicks ---- */
	/* Appends n clicks recorded by serve node `node` (in as few
	 * statements as it can). */
	enum tk_rc (*click_insert)(struct store *st, const char *node, const struct click_rec *c,
				   size_t n, struct tk_error *err);
	/* The id of the last click, 0 when there is none. */
	enum tk_rc (*click_last_id)(struct store *st, int64_t *id, struct tk_error *err);
	/* The clicks of serve node `node` after click `after`, summed per
	 * link, in link order (crash recovery of that node's link counters). */
	enum tk_rc (*click_sums_after)(struct store *st, const char *node, int64_t after,
				       server_link_sum_cb cb, void *ctx, struct tk_error *err);
	enum tk_rc (*link_counts_add)(struct store *st, int64_t link, int64_t clicks,
				      int64_t unique_clicks, int64_t bot_clicks,
				      struct tk_error *err);
	/* Unique clicks at or after `since`, newest first (to rebuild the
	 * unique-click window after a restart). */
	enum tk_rc (*click_recent)(struct store *st, int64_t since, server_recent_cb cb,
				   void *ctx, struct tk_error *err);
	/* A named integer of the server's own bookkeeping (0 when unset). */
	enum tk_rc (*state_get)(struct store *st, const char *name, int64_t *value,
				struct tk_error *err);
	enum tk_rc (*state_set)(struct store *st, const char *name, int64_t value,
				struct tk_error *err);

	/* ---- listings over the money core ---- */
	/* The union tags registered to a member for itself (tags table, no
	 * group's channel), by union, kind, value. */
	enum tk_rc (*member_tags)(struct store *st, int64_t member, server_tag_cb cb, void *ctx,
				  struct tk_error *err);
	/* Direct invitees of `parent`, ids above `after`, in id order. */
	enum tk_rc (*team_page)(struct store *st, int64_t parent, int64_t after, int limit,
				store_member_cb cb, void *ctx, struct tk_error *err);
	/* Members matching `q`: the one whose id is q, the one with invite code
	 * `invite_id` (its internal id, 0: none), ids starting with q, then
	 * names containing q; at most `limit`, each once. */
	enum tk_rc (*member_search)(struct store *st, const char *q, int64_t invite_id, int limit,
				    store_member_cb cb, void *ctx, struct tk_error *err);
	/* The members list: the members matching f in its order, after its
	 * cursor, at most `limit`, each with its sales over f's period (fen). */
	enum tk_rc (*member_list)(struct store *st, const struct member_query *f, int limit,
				  server_member_sales_cb cb, void *ctx, struct tk_error *err);
	/* How many members match f (cursor ignored), counted up to cap + 1 at
	 * most: *n > cap means "more than cap". */
	enum tk_rc (*member_count)(struct store *st, const struct member_query *f, int64_t cap,
				   int64_t *n, struct tk_error *err);
	/* The items of order `order_no` (of union `union_`, or of any when
	 * NULL), by union and item key, at most `limit`. */
	enum tk_rc (*order_items)(struct store *st, const char *order_no, const char *union_,
				  int limit, server_item_key_cb cb, void *ctx, struct tk_error *err);
	/* The items matching q, in its order, at most q->limit. */
	enum tk_rc (*item_list)(struct store *st, const struct item_query *q,
				server_item_row_cb cb, void *ctx, struct tk_error *err);
	enum tk_rc (*item_totals)(struct store *st, const struct item_query *q,
				  struct item_totals *out, struct tk_error *err);
	/* An item's states, newest first, from its newest event `last` back
	 * along the chain, at most `limit`. */
	enum tk_rc (*item_events)(struct store *st, int64_t last, int limit, server_item_event_cb cb,
				  void *ctx, struct tk_error *err);
	/* Transfers touching the member's accounts, newest first, ids below
	 * `before` (0 = from the newest). */
	enum tk_rc (*ledger_page)(struct store *st, int64_t member, int64_t before, int limit,
				  server_ledger_cb cb, void *ctx, struct tk_error *err);
	/* Withdrawals of a member (0 = all) in a status (-1 = any), requested
	 * at or after `from` and at or before `to` (0 = unbounded), newest
	 * first, ids below `before` (0 = from the newest). */
	enum tk_rc (*withdrawal_page)(struct store *st, int64_t member, int status, int64_t from,
				      int64_t to, int64_t before, int limit,
				      server_withdrawal_cb cb, void *ctx, struct tk_error *err);

	/* ---- reports, from the daily statistics ---- */
	/* The days from..to (inclusive) of one (dim, key) that have figures. */
	enum tk_rc (*stats_series)(struct store *st, int dim, const char *key, int64_t from,
				   int64_t to, server_stats_cb cb, void *ctx, struct tk_error *err);
	/* The keys of a dimension with the largest sum of `metric` over the
	 * days, largest first (day is 0 in the callback). */
	enum tk_rc (*stats_top)(struct store *st, int dim, int64_t from, int64_t to,
				enum day_stat metric, int limit, server_stats_cb cb, void *ctx,
				struct tk_error *err);
};

extern const struct server_store_ops sqlite_server_ops;

#endif

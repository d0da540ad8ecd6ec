/* store.h — the storage interface.  All SQL lives behind it.
 *
 * A backend fills a struct store_ops (and one operations table per module);
 * the application calls only these.  store_open picks the backend from a
 * URI: a path is embedded SQLite (WAL, synchronous=FULL), postgresql://...
 * is PostgreSQL on libpq.
 *
 * Contract for every operation, on every backend:
 * - It returns TK_OK, or an error code with err filled and nothing changed
 *   outside the caller's open transaction.  A write inside a transaction
 *   may be queued (PostgreSQL's pipeline): its failure is then reported,
 *   with the same code and message, by a later operation of the same
 *   transaction or by tx_commit at the latest, and the transaction can only
 *   be rolled back — as after any failed write.
 * - "Absent" is TK_ENOTFOUND for a single-row get, and never an error for
 *   an iterator (it simply calls back no times).
 * - Out-parameters belong to the caller; a char ** result (plan_get's json)
 *   is the caller's to free.  Iterator callbacks get rows valid only for
 *   the call, and may run other operations of the same store between rows.
 * - Writes happen only between tx_begin and tx_commit; a failed transaction
 *   is rolled back whole by tx_rollback.  Transactions do not nest.
 * - TK_EBUSY: the writer lock stayed taken past the wait (10 s); nothing
 *   was applied and the same call may be retried.
 *
 * Isolation: write transactions are serializable in the plainest sense —
 * they run one at a time across every process and node sharing the
 * database, each seeing everything committed before it (SQLite: BEGIN
 * IMMEDIATE; PostgreSQL: a transaction-level advisory lock taken by
 * tx_begin).  A withdrawal's balance check and its debit therefore see no
 * concurrent change, and the change log's numbers follow commit order.
 * Reads outside a transaction see the latest committed state and never wait
 * for a writer.  A connection opened as an appender (clicks) writes only
 * rows no one else writes and takes no writer lock. */
#ifndef TK_STORE_H
#define TK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/ledger.h"
#include "core/order.h"
#include "core/plan.h"

#define MEMBER_NAME_MAX 128

struct member_rec {
	int64_t id;                     /* internal, > 0 */
	char ext[ORDER_KEY_MAX];        /* the operator's id for the member */
	int64_t parent;                 /* internal id, 0 = none */
	char level[PLAN_KEY_MAX];
	char name[MEMBER_NAME_MAX];
	int32_t depth;                  /* 0 for a root */
	int64_t direct_count;           /* direct invitees */
	int64_t team_count;             /* all descendants */
	int64_t created_at;
};

enum attribution { ATTR_NONE, ATTR_SELF, ATTR_BINDING, ATTR_LINK, ATTR_TAG };

/* A buyer bound to a promoter (lifetime lock): the promoter of the buyer's
 * earliest attributed order, by the union's order time.  Buyers live in
 * namespaces: "" the platform's own, "UNION:KIND" a union's ids. */
#define BUYER_NS_MAX (ORDER_UNION_MAX + ORDER_TAG_KIND_MAX)
struct binding_rec {
	int64_t member; /* internal id */
	int64_t item;   /* the order item that made it */
	int64_t at;     /* that item's order time */
};

struct item_rec {
	int64_t id;
	struct order_row row;     /* latest applied state (raw not loaded) */
	enum attribution attribution;
	int64_t plan_version;     /* fixed when first seen */
	struct plan_chain chain;  /* fixed when first seen */
	struct item_money money;  /* where its money stands now */
	int64_t first_seen_at;
	int64_t seen_seq;         /* the change log's newest number at first sight */
	int64_t last_event;       /* its newest event (item_event_insert), 0 if none */
};

enum wd_status { WD_REQUESTED, WD_APPROVED, WD_PAID, WD_REJECTED };
#define WD_METHOD_MAX 16
#define WD_ACCOUNT_MAX 128
#define WD_PAYEE_MAX 128
#define WD_REASON_CHARS 200                   /* a rejection's reason, in characters */
#define WD_REASON_MAX (4 * WD_REASON_CHARS + 1) /* ... and its bytes of UTF-8 */
#define WD_BANK_MAX 128                       /* a bank's name, its branch's */

struct withdrawal_rec {
	int64_t id;
	int64_t member;
	int64_t amount;           /* fen taken from available */
	int64_t fee;              /* fen kept by the platform */
	int64_t available_before; /* the available balance when requested */
	char method[WD_METHOD_MAX];
	char account[WD_ACCOUNT_MAX];
	char payee[WD_PAYEE_MAX]; /* the payee's real name for the payout file, "" = the
				   * member's name */
	char bank[WD_BANK_MAX];   /* for method bank: the bank's name, "" = not given */
	char branch[WD_BANK_MAX]; /* ... and the branch (开户支行) */
	char reason[WD_REASON_MAX]; /* why it was rejected, "" otherwise */
	enum wd_status status;
	int64_t requested_at, decided_at, paid_at;
	int64_t approved_after;   /* the ledger's newest transfer when approved (the
				   * store sets it), 0 when unknown */
};

/* The figures of the daily statistics (table daily_stats), per day and
 * dimension: the platform total, a sharer, a product or a channel. */
enum stat_dim { DIM_TOTAL = 0, DIM_MEMBER = 1, DIM_PRODUCT = 2, DIM_CHANNEL = 3, DIM_N_ };
enum day_stat {
	STAT_ORDERS,            /* items that earn (paid, received, settled) */
	STAT_GMV,
	STAT_COMMISSION,        /* net of refunds */
	STAT_MEMBERS_SHARE,
	STAT_PLATFORM_SHARE,
	STAT_SETTLED_ORDERS,
	STAT_SETTLED_COMMISSION,
	STAT_INVALID_ORDERS,
	STAT_NEW_MEMBERS,
	STAT_CLICKS,
	STAT_UNIQUE_CLICKS,
	STAT_LINK_ORDERS,       /* of STAT_ORDERS, those attributed through a tracked
				 * link: the orders its clicks led to */
	STAT_N
};
extern const char *const stat_columns[STAT_N];

struct report_totals {
	int64_t items, gmv, commission, members_share, platform_share;
	int64_t unattributed_items, unattributed_commission, invalid_items;
};

/* What the change log (changes_since) says changed: the id is a member's,
 * a plan's version or a link's (0 for the allowed link hosts: the list
 * is read again whole). */
enum change_what { CHANGE_MEMBER = 1, CHANGE_PLAN = 2, CHANGE_LINK = 3, CHANGE_LINK_HOSTS = 4 };

struct store;

/* Callbacks of the *_each iterators return false to stop early. */
typedef bool (*store_member_cb)(void *ctx, const struct member_rec *m);
typedef bool (*store_item_cb)(void *ctx, const struct item_rec *it);
typedef bool (*store_transfer_cb)(void *ctx, const struct transfer *t);
/* One stored plan version: its number, when it was set, its document. */
typedef bool (*store_plan_cb)(void *ctx, int64_t version, int64_t created_at, const char *json);
typedef bool (*store_balance_cb)(void *ctx, int64_t account, int64_t balance);
typedef bool (*store_withdrawal_cb)(void *ctx, const struct withdrawal_rec *w);
typedef bool (*store_change_cb)(void *ctx, enum change_what what, int64_t id);

struct store_ops {
	void (*close)(struct store *st);
	enum tk_rc (*tx_begin)(struct store *st, struct tk_error *err);
	/* A read-only transaction: one consistent snapshot that takes no
	 * writer lock and so never waits for a writer; ended by tx_rollback
	 * (or tx_commit).  Nothing may be written in it. */
	enum tk_rc (*tx_begin_read)(struct store *st, struct tk_error *err);
	enum tk_rc (*tx_commit)(struct store *st, struct tk_error *err);
	void (*tx_rollback)(struct store *st);

	/* The change log: every write of a member, a plan or a link leaves a
	 * numbered change, whoever made it.  changes_since hands the changes
	 * numbered after `after` to cb, oldest first, up to `max` of them, and
	 * sets *upto to the number of the last one handed (after, when none).
	 * *whole is set instead, with *upto the newest number and no callback,
	 * when more than `max` changed or when changes after `after` were
	 * pruned: the caller then reloads whatever it keeps.  One consistent
	 * snapshot, inside or outside a transaction. */
	enum tk_rc (*changes_since)(struct store *st, int64_t after, int64_t max,
				    store_change_cb cb, void *ctx, int64_t *upto, bool *whole,
				    struct tk_error *err);
	/* The number of the newest change (0 when none). */
	enum tk_rc (*changes_newest)(struct store *st, int64_t *seq, struct tk_error *err);
	/* Deletes all but the newest `keep` (>= 1) changes (inside a
	 * transaction). */
	enum tk_rc (*changes_prune)(struct store *st, int64_t keep, struct tk_error *err);

	/* plans: each insert is a new version (1, 2, ...); version 0 = latest */
	enum tk_rc (*plan_insert)(struct store *st, const char *json, int64_t at,
				  int64_t *version, struct tk_error *err);
	enum tk_rc (*plan_get)(struct store *st, int64_t version, char **json,
			       int64_t *version_out, struct tk_error *err);
	/* The versions below `before` (0: from the newest), newest first, at
	 * most `limit` (>= 1); cb returns false to stop. */
	enum tk_rc (*plan_each)(struct store *st, int64_t before, int64_t limit,
				store_plan_cb cb, void *ctx, struct tk_error *err);

	/* members */
	enum tk_rc (*member_insert)(struct store *st, struct member_rec *m, struct tk_error *err);
	enum tk_rc (*member_get)(struct store *st, const char *ext, struct member_rec *m,
				 struct tk_error *err);
	enum tk_rc (*member_get_id)(struct store *st, int64_t id, struct member_rec *m,
				    struct tk_error *err);
	enum tk_rc (*member_each)(struct store *st, store_member_cb cb, void *ctx,
				  struct tk_error *err);
	enum tk_rc (*member_set_level)(struct store *st, int64_t id, const char *level,
				       struct tk_error *err);
	enum tk_rc (*member_counts_add)(struct store *st, int64_t id, int64_t direct,
					int64_t team, struct tk_error *err);
	enum tk_rc (*member_counts_set)(struct store *st, int64_t id, int64_t direct,
					int64_t team, struct tk_error *err);

	/* buyer bindings: TK_ENOTFOUND when the buyer is bound to nobody;
	 * binding_put creates or moves one (the engine decides when) */
	enum tk_rc (*binding_get)(struct store *st, const char *ns, const char *buyer,
				  struct binding_rec *out, struct tk_error *err);
	enum tk_rc (*binding_put)(struct store *st, const char *ns, const char *buyer,
				  const struct binding_rec *b, struct tk_error *err);

	/* order items */
	enum tk_rc (*item_get)(struct store *st, const char *union_, const char *key,
			       struct item_rec *it, struct tk_error *err);
	enum tk_rc (*item_get_id)(struct store *st, int64_t id, struct item_rec *it,
				  struct tk_error *err);
	/* The items of one buyer, in id order: `kind` "" for the platform's
	 * buyers (every union), else the buyer's union and kind. */
	enum tk_rc (*item_each_buyer)(struct store *st, const char *union_, const char *kind,
				      const char *buyer, store_item_cb cb, void *ctx,
				      struct tk_error *err);
	/* The unattributed items first seen at or after `since`, in id order. */
	enum tk_rc (*item_each_unattributed)(struct store *st, int64_t since, store_item_cb cb,
					     void *ctx, struct tk_error *err);
	enum tk_rc (*item_insert)(struct store *st, struct item_rec *it, struct tk_error *err);
	/* `was` is the item as stored: only what differs needs writing */
	enum tk_rc (*item_update)(struct store *st, const struct item_rec *was,
				  const struct item_rec *it, struct tk_error *err);
	/* appends an event after the item's event `prev` (0 for its first),
	 * with an optional note (NULL: none) saying why; the caller keeps the
	 * new id as the item's last_event */
	enum tk_rc (*item_event_insert)(struct store *st, int64_t prev,
					const struct order_row *row, int64_t at, const char *note,
					int64_t *id, struct tk_error *err);
	/* rewrites only where the item's money stands (settlement) */
	enum tk_rc (*item_set_money)(struct store *st, const struct item_rec *it,
				     struct tk_error *err);
	/* refund records: TK_ENOTFOUND when the item has none */
	enum tk_rc (*refund_get)(struct store *st, const char *union_, const char *key,
				 int64_t *refunded, int64_t *modified_at, struct tk_error *err);
	enum tk_rc (*refund_put)(struct store *st, const struct order_row *row,
				 struct tk_error *err);
	/* whether any refund record exists at all */
	enum tk_rc (*refund_any)(struct store *st, bool *any, struct tk_error *err);
	/* the ids of up to `max` items with frozen money due at or before
	 * `now`, in no particular order */
	enum tk_rc (*item_due_ids)(struct store *st, int64_t now, int64_t *ids, int64_t max,
				   int64_t *n, struct tk_error *err);
	/* where an item's money stands (money and its due time only) */
	enum tk_rc (*item_money_get)(struct store *st, int64_t id, struct item_money *money,
				     struct tk_error *err);
	enum tk_rc (*item_each)(struct store *st, store_item_cb cb, void *ctx,
				struct tk_error *err);

	/* ledger */
	enum tk_rc (*transfer_insert)(struct store *st, struct transfer *t, struct tk_error *err);
	enum tk_rc (*transfer_each)(struct store *st, store_transfer_cb cb, void *ctx,
				    struct tk_error *err);
	enum tk_rc (*balance_add)(struct store *st, int64_t account, int64_t delta,
				  struct tk_error *err);
	enum tk_rc (*balance_get)(struct store *st, int64_t account, int64_t *balance,
				  struct tk_error *err);
	enum tk_rc (*balance_each)(struct store *st, store_balance_cb cb, void *ctx,
				   struct tk_error *err);

	/* withdrawals */
	enum tk_rc (*withdrawal_insert)(struct store *st, struct withdrawal_rec *w,
					struct tk_error *err);
	enum tk_rc (*withdrawal_get)(struct store *st, int64_t id, struct withdrawal_rec *w,
				     struct tk_error *err);
	enum tk_rc (*withdrawal_update)(struct store *st, const struct withdrawal_rec *w,
					struct tk_error *err);
	enum tk_rc (*withdrawal_each)(struct store *st, store_withdrawal_cb cb, void *ctx,
				      struct tk_error *err);

	/* reports: adds v[] to the daily statistics of (day, dim, key) */
	enum tk_rc (*stats_add)(struct store *st, int64_t day, int dim, const char *key,
				const int64_t v[STAT_N], struct tk_error *err);
	/* adds to a product's order and refund counts (table product_sales) */
	enum tk_rc (*product_sales_add)(struct store *st, const char *union_, const char *product,
					int64_t orders, int64_t refunds, struct tk_error *err);
	enum tk_rc (*report_totals)(struct store *st, struct report_totals *out,
				    struct tk_error *err);

	/* A hint, inside a write transaction: item_get and binding_get are
	 * about to be asked for the items of these rows (an import's next
	 * rows) and for the bindings of their buyers, in namespace ns[i] (""
	 * the platform's).  A backend whose every read is a round trip may read
	 * them all at once and answer from that read, each answer still what
	 * the get would read at its call.  May be NULL (SQLite: a read is as
	 * cheap). */
	enum tk_rc (*rows_ahead)(struct store *st, const struct order_row *rows,
				 const char (*ns)[BUYER_NS_MAX], int n, struct tk_error *err);
};

/* Each subsystem's storage has its own operations table, declared in its
 * own header (store/feed_store.h, store/catalog_store.h, ...), so that a
 * backend implements them module by module. */
struct feed_store_ops;
struct catalog_store_ops;
struct server_store_ops;
struct growth_store_ops;
struct group_store_ops;
struct action_store_ops;
struct statement_store_ops;
struct channel_store_ops;
struct campaign_order_store_ops;
struct promo_store_ops;

struct store {
	const struct store_ops *ops;
	const struct feed_store_ops *feeds;
	const struct catalog_store_ops *catalog;
	const struct server_store_ops *server;
	const struct growth_store_ops *growth;
	const struct group_store_ops *groups; /* chat groups and their sends */
	const struct action_store_ops *actions; /* the operators' action log */
	const struct statement_store_ops *statements; /* merchants' monthly statements */
	const struct channel_store_ops *channels; /* the head's partner channels */
	const struct campaign_order_store_ops *campaign_orders; /* the head's campaign orders */
	const struct promo_store_ops *promo; /* the promotion head's registry */
};

/* How a connection will be used. */
struct store_options {
	int cache_kib;  /* SQLite's page cache; 0 = STORE_CACHE_KIB */
	bool appender;  /* writes only its own rows (clicks): no writer lock */
};

/* Ends the caller's write transaction: commits it when rc is TK_OK, else
 * (or when the commit fails) rolls it back; returns the first error.  The
 * application's operations end their transactions with it. */
enum tk_rc store_tx_end(struct store *st, enum tk_rc rc, struct tk_error *err);

/* Opens the database `uri` names — NULL or "" means $TUIKE_DB, else
 * "tuike.db" — and brings its schema up to date: postgresql:// or
 * postgres:// URIs open PostgreSQL, anything else is a SQLite file.
 * o may be NULL.  Messages show a URI without its password. */
enum tk_rc store_open(const char *uri, const struct store_options *o, struct store **out,
		      struct tk_error *err);
/* The database a URI names: uri itself, or for NULL or "" $TUIKE_DB,
 * else "tuike.db" (what store_open opens). */
const char *store_default_uri(const char *uri);
/* Whether a URI names PostgreSQL. */
bool store_uri_is_pg(const char *uri);
/* The URI with its password replaced by ***, for messages and logs. */
void store_uri_redact(const char *uri, char *out, size_t size);
/* Claims the name of a running node (tuike serve --node) on the database
 * uri names, until store_node_unlock or the process's end: TK_ECONFLICT
 * "node \"X\" is already running against this database" while another
 * live process holds it.  PostgreSQL: a session-level advisory lock on a
 * connection of its own; SQLite: an flock on <db>.node-<name>.lock. */
struct store_node_lock;
enum tk_rc store_node_lock(const char *uri, const char *name, struct store_node_lock **out,
			   struct tk_error *err);
void store_node_unlock(struct store_node_lock *l); /* NULL: nothing */
/* The same for the pusher (tuike push run): one per database; TK_ECONFLICT
 * "another pusher is already running against this database".  SQLite: an
 * flock on <db>.push.lock.  Released with store_node_unlock. */
enum tk_rc store_push_lock(const char *uri, struct store_node_lock **out, struct tk_error *err);
enum tk_rc store_pg_open(const char *uri, const struct store_options *o, struct store **out,
			 struct tk_error *err);

/* Opens (creating if needed) a SQLite database and brings its schema up to
 * date by running the numbered migrations not yet applied. */
enum tk_rc store_sqlite_open(const char *path, struct store **out, struct tk_error *err);

/* The same with a page cache of cache_kib KiB instead of the default
 * STORE_CACHE_KIB: a connection that only appends (the click writer) has
 * no use for a large one, whose pages it would fill once and never read. */
#define STORE_CACHE_KIB 262144
enum tk_rc store_sqlite_open_cache(const char *path, int cache_kib, struct store **out,
				   struct tk_error *err);

#endif

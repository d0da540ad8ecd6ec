/* sqlite_schema.c — the money core's schema, as numbered migrations.
 *
 * Transfers are append-only: triggers refuse UPDATE and DELETE, so not even
 * a bug in tuike can edit a posted transfer.  Balances are a cache of the
 * transfers, kept in the same transaction and checked by `tuike audit`. */
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_core[] = {
	{"core-0001",
	 "CREATE TABLE plans ("
	 " version INTEGER PRIMARY KEY,"
	 " json TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL);"

	 "CREATE TABLE members ("
	 " id INTEGER PRIMARY KEY,"
	 " ext TEXT NOT NULL UNIQUE,"
	 " parent INTEGER REFERENCES members(id),"
	 " level TEXT NOT NULL,"
	 " name TEXT NOT NULL DEFAULT '',"
	 " depth INTEGER NOT NULL,"
	 " direct_count INTEGER NOT NULL DEFAULT 0,"
	 " team_count INTEGER NOT NULL DEFAULT 0,"
	 " created_at INTEGER NOT NULL,"
	 " CHECK (parent IS NULL OR parent <> id));"
	 "CREATE INDEX members_parent ON members(parent);"

	 /* lifetime lock: the first binding of a buyer wins forever */
	 "CREATE TABLE bindings ("
	 " buyer TEXT PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " item INTEGER,"
	 " bound_at INTEGER NOT NULL) WITHOUT ROWID;"

	 /* One row per order item: its latest state, the plan version and chain
	  * it was first seen with, and where each share of its money stands
	  * (slot k: member mk at level index lk, amount ak in bucket bk). */
	 "CREATE TABLE items ("
	 " id INTEGER PRIMARY KEY,"
	 " union_ TEXT NOT NULL,"
	 " item_key TEXT NOT NULL,"
	 " order_no TEXT NOT NULL DEFAULT '',"
	 " status INTEGER NOT NULL,"
	 " modified_at INTEGER NOT NULL,"
	 " paid_at INTEGER NOT NULL DEFAULT 0,"
	 " settled_at INTEGER NOT NULL DEFAULT 0,"
	 " amount INTEGER NOT NULL,"
	 " commission INTEGER NOT NULL,"
	 " quantity INTEGER NOT NULL,"
	 " refunded INTEGER NOT NULL DEFAULT 0,"
	 " product TEXT NOT NULL DEFAULT '',"
	 " title TEXT NOT NULL DEFAULT '',"
	 " buyer TEXT NOT NULL DEFAULT '',"
	 " member TEXT NOT NULL DEFAULT '',"
	 " link TEXT NOT NULL DEFAULT '',"
	 " channel TEXT NOT NULL DEFAULT '',"
	 " attribution INTEGER NOT NULL,"
	 " plan_version INTEGER NOT NULL,"
	 " self_purchase INTEGER NOT NULL,"
	 " n_chain INTEGER NOT NULL CHECK (n_chain BETWEEN 0 AND 3),"
	 " m1 INTEGER, l1 INTEGER, a1 INTEGER NOT NULL DEFAULT 0, b1 INTEGER NOT NULL DEFAULT 0,"
	 " m2 INTEGER, l2 INTEGER, a2 INTEGER NOT NULL DEFAULT 0, b2 INTEGER NOT NULL DEFAULT 0,"
	 " m3 INTEGER, l3 INTEGER, a3 INTEGER NOT NULL DEFAULT 0, b3 INTEGER NOT NULL DEFAULT 0,"
	 " platform INTEGER NOT NULL,"
	 " due_at INTEGER," /* set while some share is frozen */
	 " first_seen_at INTEGER NOT NULL,"
	 " last_event INTEGER NOT NULL DEFAULT 0," /* newest row of item_events */
	 " UNIQUE (union_, item_key));"
	 "CREATE INDEX items_due ON items(due_at) WHERE due_at IS NOT NULL;"

	 /* refund records (e.g. taobao.tbk.relation.refund), kept apart from the
	  * item's state so that they apply whichever arrives first */
	 "CREATE TABLE item_refunds ("
	 " union_ TEXT NOT NULL,"
	 " item_key TEXT NOT NULL,"
	 " refunded INTEGER NOT NULL CHECK (refunded >= 0),"
	 " modified_at INTEGER NOT NULL,"
	 " raw TEXT,"
	 " PRIMARY KEY (union_, item_key)) WITHOUT ROWID;"

	 /* every state an item went through, with the union's raw row.  Only
	  * ever appended: each event points to the item's previous one and the
	  * item row to its newest, so an item's life is a short walk and no
	  * index is kept on write */
	 "CREATE TABLE item_events ("
	 " id INTEGER PRIMARY KEY,"
	 " prev INTEGER NOT NULL," /* the item's previous event, 0 for its first */
	 " status INTEGER NOT NULL,"
	 " commission INTEGER NOT NULL,"
	 " modified_at INTEGER NOT NULL,"
	 " applied_at INTEGER NOT NULL,"
	 " raw TEXT);"

	 "CREATE TABLE transfers ("
	 " id INTEGER PRIMARY KEY,"
	 " debit INTEGER NOT NULL,"
	 " credit INTEGER NOT NULL,"
	 " amount INTEGER NOT NULL CHECK (amount > 0),"
	 " code INTEGER NOT NULL,"
	 " item INTEGER,"
	 " withdrawal INTEGER,"
	 " at INTEGER NOT NULL,"
	 " CHECK (debit <> credit));"
	 "CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers"
	 " BEGIN SELECT RAISE(ABORT, 'transfers are immutable'); END;"
	 "CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers"
	 " BEGIN SELECT RAISE(ABORT, 'transfers are immutable'); END;"

	 /* report rollups kept current on write: day = days since 1970-01-01
	  * in Beijing time; dim 0 platform total (key ''), 1 sharer (member
	  * id), 2 product ("union:product"), 3 channel */
	 "CREATE TABLE daily_stats ("
	 " day INTEGER NOT NULL,"
	 " dim INTEGER NOT NULL,"
	 " key TEXT NOT NULL,"
	 " orders INTEGER NOT NULL DEFAULT 0,"
	 " gmv INTEGER NOT NULL DEFAULT 0,"
	 " commission INTEGER NOT NULL DEFAULT 0,"
	 " members_share INTEGER NOT NULL DEFAULT 0,"
	 " platform_share INTEGER NOT NULL DEFAULT 0,"
	 " settled_orders INTEGER NOT NULL DEFAULT 0,"
	 " settled_commission INTEGER NOT NULL DEFAULT 0,"
	 " invalid_orders INTEGER NOT NULL DEFAULT 0,"
	 " new_members INTEGER NOT NULL DEFAULT 0,"
	 " clicks INTEGER NOT NULL DEFAULT 0,"
	 " unique_clicks INTEGER NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (day, dim, key)) WITHOUT ROWID;"

	 "CREATE TABLE balances ("
	 " account INTEGER PRIMARY KEY,"
	 " balance INTEGER NOT NULL);"

	 "CREATE TABLE withdrawals ("
	 " id INTEGER PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " amount INTEGER NOT NULL CHECK (amount > 0),"
	 " fee INTEGER NOT NULL CHECK (fee >= 0 AND fee <= amount),"
	 " available_before INTEGER NOT NULL,"
	 " method TEXT NOT NULL,"
	 " account TEXT NOT NULL DEFAULT '',"
	 " status INTEGER NOT NULL,"
	 " requested_at INTEGER NOT NULL,"
	 " decided_at INTEGER NOT NULL DEFAULT 0,"
	 " paid_at INTEGER NOT NULL DEFAULT 0);"
	 "CREATE INDEX withdrawals_member ON withdrawals(member);"},
	/* The change log: every process keeps parts of the database in memory
	 * (the member tree, the active plan, the tracking links) and, before
	 * each unit of work, reads what changed since it last looked.  Rows are
	 * written by triggers, so no writer can forget one.  A new row is
	 * numbered one past the newest (a rolled-back insert rolls its number
	 * back too, and pruning deletes only the oldest rows, never the newest:
	 * no AUTOINCREMENT needed, whose bookkeeping would cost every member
	 * write a third more), so the numbers are contiguous and a reader that
	 * finds a hole after its last number knows it slept past a prune and
	 * must reload whole.  what: 1 member, 2 plan, 3 link (server-0006).  A
	 * member's team counts are left out: every change to them comes with
	 * a member added or moved, from which a reader derives them, and a
	 * bulk import rewrites them for every ancestor it touches. */
	{"core-0002",
	 "CREATE TABLE changes ("
	 " seq INTEGER PRIMARY KEY,"
	 " what INTEGER NOT NULL,"
	 " id INTEGER NOT NULL);"
	 "CREATE TRIGGER members_changed_insert AFTER INSERT ON members"
	 " BEGIN INSERT INTO changes(what, id) VALUES (1, NEW.id); END;"
	 "CREATE TRIGGER members_changed_update AFTER UPDATE OF parent, level, depth ON members"
	 " BEGIN INSERT INTO changes(what, id) VALUES (1, NEW.id); END;"
	 "CREATE TRIGGER plans_changed AFTER INSERT ON plans"
	 " BEGIN INSERT INTO changes(what, id) VALUES (2, NEW.version); END;"},
	/* Buyer namespaces: a union-side buyer id (Taobao's special_id) is not a
	 * member id, and its binding is kept apart from the platform's own
	 * buyers (ns "" platform-wide; "UNION:KIND" for the union's ids).  The
	 * rows a Taobao reply brought are told by their raw text.  An item
	 * keeps the tags it came with (for re-attribution) and its buyer is
	 * indexed, so that a binding that moves finds the items it governs.
	 * An item event may carry a note (why it was re-attributed). */
	{"core-0003",
	 "ALTER TABLE items ADD COLUMN buyer_kind TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE items ADD COLUMN tags TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE items ADD COLUMN seen_seq INTEGER NOT NULL DEFAULT 0;"
	 "UPDATE items SET buyer_kind = 'special_id' WHERE union_ = 'taobao' AND buyer <> '' AND"
	 " (SELECT raw FROM item_events WHERE id = items.last_event) LIKE '%\"trade_id\"%';"
	 "CREATE INDEX items_buyer ON items(buyer, buyer_kind) WHERE buyer <> '';"
	 "CREATE TABLE bindings_ns ("
	 " ns TEXT NOT NULL,"
	 " buyer TEXT NOT NULL,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " item INTEGER,"
	 " bound_at INTEGER NOT NULL,"
	 " PRIMARY KEY (ns, buyer)) WITHOUT ROWID;"
	 "INSERT INTO bindings_ns SELECT"
	 " CASE WHEN i.buyer_kind <> '' THEN i.union_ || ':' || i.buyer_kind ELSE '' END,"
	 " b.buyer, b.member, b.item, b.bound_at"
	 " FROM bindings b LEFT JOIN items i ON i.id = b.item;"
	 "DROP TABLE bindings;"
	 "ALTER TABLE bindings_ns RENAME TO bindings;"
	 "ALTER TABLE item_events ADD COLUMN note TEXT;"
	 /* where the ledger stood (its newest transfer) when a withdrawal was
	  * approved: the audit replays the member's available balance to
	  * exactly that point */
	 "ALTER TABLE withdrawals ADD COLUMN approved_after INTEGER NOT NULL DEFAULT 0;"},
	/* the payee's real name as the member gave it with the request: the
	 * payment channel checks it against the account's owner */
	{"core-0004", "ALTER TABLE withdrawals ADD COLUMN payee TEXT NOT NULL DEFAULT '';"},
	/* the orders a tracked link led to: kept apart
	 * so that a conversion divides only them by the links' clicks; the
	 * items already applied are counted in (an item earns while paid,
	 * received or settled; its day is its payment's, else its last
	 * change's, in Beijing time) */
	{"core-0005",
	 "ALTER TABLE daily_stats ADD COLUMN link_orders INTEGER NOT NULL DEFAULT 0;"
	 "WITH li AS (SELECT (CASE WHEN i.paid_at <> 0 THEN i.paid_at ELSE i.modified_at END"
	 "  + 28800) / 86400 AS day, i.union_ || ':' || i.product AS product, i.product AS bare,"
	 "  i.channel, m.ext AS sharer"
	 "  FROM items i LEFT JOIN members m ON m.id = i.m1"
	 "  WHERE i.attribution = 3 AND i.status IN (1, 2, 3)),"
	 " agg AS (SELECT day, 0 AS dim, '' AS key, count(*) AS n FROM li GROUP BY day"
	 "  UNION ALL SELECT day, 1, sharer, count(*) FROM li WHERE sharer IS NOT NULL GROUP BY day, sharer"
	 "  UNION ALL SELECT day, 2, product, count(*) FROM li WHERE bare <> '' GROUP BY day, product"
	 "  UNION ALL SELECT day, 3, channel, count(*) FROM li WHERE channel <> '' GROUP BY day, channel)"
	 " UPDATE daily_stats SET link_orders = agg.n FROM agg"
	 " WHERE daily_stats.day = agg.day AND daily_stats.dim = agg.dim AND daily_stats.key = agg.key;"},
	/* why a withdrawal was rejected, shown to its member; the bank and
	 * branch of a bank withdrawal, for the bank's payout template */
	{"core-0006",
	 "ALTER TABLE withdrawals ADD COLUMN reason TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE withdrawals ADD COLUMN bank TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE withdrawals ADD COLUMN branch TEXT NOT NULL DEFAULT '';"},
	/* the members list (GET /api/v1/members): newest first, by team size
	 * and one level newest first without a scan, a rare level's members
	 * counted without one, and a member's sales over a period as a seek
	 * (the rollups' key leads with the day, for the reports); the rowid
	 * ends every index, so the id is there */
	{"core-0007",
	 "CREATE INDEX members_joined ON members(created_at);"
	 "CREATE INDEX members_team ON members(team_count);"
	 "CREATE INDEX members_level ON members(level, created_at);"
	 "CREATE INDEX daily_stats_key ON daily_stats(dim, key, day);"},
	/* core-0008: a slot fee's transfers name their slot fee (slot_fees.id) */
	{"core-0008", "ALTER TABLE transfers ADD COLUMN slot INTEGER;"},
	{NULL, NULL},
};

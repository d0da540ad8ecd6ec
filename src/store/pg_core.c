/* pg_core.c — the money core's storage on PostgreSQL: the change log,
 * plans, members, bindings, items, the ledger, withdrawals and the daily
 * statistics (see store.h; the SQLite twin is sqlite.c and
 * sqlite_schema.c).  Every answer is the SQLite twin's: same rows, same
 * order, same absent cases, same codes and messages.  Ids are SQLite's
 * too: each insert takes the newest id + 1 (writers are serial under the
 * writer lock), so a rolled-back insert leaves no gap and an id set by hand
 * moves the next one, as a rowid does. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/item_tags.h"
#include "store/pg_internal.h"

/* The end state of sqlite_schema.c's core-0001..0003 in one migration.
 * Every text column compares and sorts by bytes (COLLATE "C"), as SQLite's
 * BINARY does, whatever the database's own collation.  Ids are SQLite's
 * rowids: the newest + 1 (writers are serial under the writer lock), given
 * by the inserts themselves, and by a trigger (tk_rowid) to a row an
 * operator's SQL inserts without one — so a rolled-back insert leaves no
 * gap, and an id set by hand moves the next one. */
const struct pg_migration pg_migrations_core[] = {
	{"core-0001",
	 "CREATE TABLE plans ("
	 " version BIGINT PRIMARY KEY,"
	 " json TEXT NOT NULL,"
	 " created_at BIGINT NOT NULL);"

	 "CREATE TABLE members ("
	 " id BIGINT PRIMARY KEY,"
	 " ext TEXT COLLATE \"C\" NOT NULL UNIQUE,"
	 " parent BIGINT REFERENCES members(id),"
	 " level TEXT COLLATE \"C\" NOT NULL,"
	 " name TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " depth BIGINT NOT NULL,"
	 " direct_count BIGINT NOT NULL DEFAULT 0,"
	 " team_count BIGINT NOT NULL DEFAULT 0,"
	 " created_at BIGINT NOT NULL,"
	 " CHECK (parent IS NULL OR parent <> id));"
	 "CREATE INDEX members_parent ON members(parent);"

	 /* buyers in namespaces: "" the platform's own, "UNION:KIND" a union's */
	 "CREATE TABLE bindings ("
	 " ns TEXT COLLATE \"C\" NOT NULL,"
	 " buyer TEXT COLLATE \"C\" NOT NULL,"
	 " member BIGINT NOT NULL REFERENCES members(id),"
	 " item BIGINT,"
	 " bound_at BIGINT NOT NULL,"
	 " PRIMARY KEY (ns, buyer));"

	 /* slot k: member mk at level index lk, amount ak in bucket bk */
	 "CREATE TABLE items ("
	 " id BIGINT PRIMARY KEY,"
	 " union_ TEXT COLLATE \"C\" NOT NULL,"
	 " item_key TEXT COLLATE \"C\" NOT NULL,"
	 " order_no TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " status BIGINT NOT NULL,"
	 " modified_at BIGINT NOT NULL,"
	 " paid_at BIGINT NOT NULL DEFAULT 0,"
	 " settled_at BIGINT NOT NULL DEFAULT 0,"
	 " amount BIGINT NOT NULL,"
	 " commission BIGINT NOT NULL,"
	 " quantity BIGINT NOT NULL,"
	 " refunded BIGINT NOT NULL DEFAULT 0,"
	 " product TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " title TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " buyer TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " member TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " link TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " channel TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " attribution BIGINT NOT NULL,"
	 " plan_version BIGINT NOT NULL,"
	 " self_purchase BIGINT NOT NULL,"
	 " n_chain BIGINT NOT NULL CHECK (n_chain BETWEEN 0 AND 3),"
	 " m1 BIGINT, l1 BIGINT, a1 BIGINT NOT NULL DEFAULT 0, b1 BIGINT NOT NULL DEFAULT 0,"
	 " m2 BIGINT, l2 BIGINT, a2 BIGINT NOT NULL DEFAULT 0, b2 BIGINT NOT NULL DEFAULT 0,"
	 " m3 BIGINT, l3 BIGINT, a3 BIGINT NOT NULL DEFAULT 0, b3 BIGINT NOT NULL DEFAULT 0,"
	 " platform BIGINT NOT NULL,"
	 " due_at BIGINT,"
	 " first_seen_at BIGINT NOT NULL,"
	 " last_event BIGINT NOT NULL DEFAULT 0,"
	 " buyer_kind TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " tags TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " seen_seq BIGINT NOT NULL DEFAULT 0,"
	 " UNIQUE (union_, item_key));"
	 "CREATE INDEX items_due ON items(due_at) WHERE due_at IS NOT NULL;"
	 "CREATE INDEX items_buyer ON items(buyer, buyer_kind) WHERE buyer <> '';"

	 "CREATE TABLE item_refunds ("
	 " union_ TEXT COLLATE \"C\" NOT NULL,"
	 " item_key TEXT COLLATE \"C\" NOT NULL,"
	 " refunded BIGINT NOT NULL CHECK (refunded >= 0),"
	 " modified_at BIGINT NOT NULL,"
	 " raw TEXT,"
	 " PRIMARY KEY (union_, item_key));"

	 "CREATE TABLE item_events ("
	 " id BIGINT PRIMARY KEY,"
	 " prev BIGINT NOT NULL,"
	 " status BIGINT NOT NULL,"
	 " commission BIGINT NOT NULL,"
	 " modified_at BIGINT NOT NULL,"
	 " applied_at BIGINT NOT NULL,"
	 " raw TEXT,"
	 " note TEXT);"

	 "CREATE TABLE transfers ("
	 " id BIGINT PRIMARY KEY,"
	 " debit BIGINT NOT NULL,"
	 " credit BIGINT NOT NULL,"
	 " amount BIGINT NOT NULL CHECK (amount > 0),"
	 " code BIGINT NOT NULL,"
	 " item BIGINT,"
	 " withdrawal BIGINT,"
	 " at BIGINT NOT NULL,"
	 " CHECK (debit <> credit));"
	 /* append-only, as in SQLite: refused as a constraint violation (class
	  * 23, TK_ECONFLICT), like SQLite's RAISE(ABORT) */
	 "CREATE FUNCTION tk_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$"
	 " BEGIN RAISE EXCEPTION 'transfers are immutable'"
	 "  USING ERRCODE = 'integrity_constraint_violation'; END $$;"
	 "CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers"
	 " FOR EACH ROW EXECUTE FUNCTION tk_transfers_immutable();"
	 "CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers"
	 " FOR EACH ROW EXECUTE FUNCTION tk_transfers_immutable();"
	 "CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers"
	 " FOR EACH STATEMENT EXECUTE FUNCTION tk_transfers_immutable();"

	 "CREATE TABLE daily_stats ("
	 " day BIGINT NOT NULL,"
	 " dim BIGINT NOT NULL,"
	 " key TEXT COLLATE \"C\" NOT NULL,"
	 " orders BIGINT NOT NULL DEFAULT 0,"
	 " gmv BIGINT NOT NULL DEFAULT 0,"
	 " commission BIGINT NOT NULL DEFAULT 0,"
	 " members_share BIGINT NOT NULL DEFAULT 0,"
	 " platform_share BIGINT NOT NULL DEFAULT 0,"
	 " settled_orders BIGINT NOT NULL DEFAULT 0,"
	 " settled_commission BIGINT NOT NULL DEFAULT 0,"
	 " invalid_orders BIGINT NOT NULL DEFAULT 0,"
	 " new_members BIGINT NOT NULL DEFAULT 0,"
	 " clicks BIGINT NOT NULL DEFAULT 0,"
	 " unique_clicks BIGINT NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (day, dim, key));"

	 "CREATE TABLE balances ("
	 " account BIGINT PRIMARY KEY,"
	 " balance BIGINT NOT NULL);"

	 "CREATE TABLE withdrawals ("
	 " id BIGINT PRIMARY KEY,"
	 " member BIGINT NOT NULL REFERENCES members(id),"
	 " amount BIGINT NOT NULL CHECK (amount > 0),"
	 " fee BIGINT NOT NULL CHECK (fee >= 0 AND fee <= amount),"
	 " available_before BIGINT NOT NULL,"
	 " method TEXT COLLATE \"C\" NOT NULL,"
	 " account TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " status BIGINT NOT NULL,"
	 " requested_at BIGINT NOT NULL,"
	 " decided_at BIGINT NOT NULL DEFAULT 0,"
	 " paid_at BIGINT NOT NULL DEFAULT 0,"
	 " approved_after BIGINT NOT NULL DEFAULT 0);"
	 "CREATE INDEX withdrawals_member ON withdrawals(member);"

	 /* rowids for inserts that give none (an operator's SQL) */
	 "CREATE FUNCTION tk_rowid() RETURNS trigger LANGUAGE plpgsql AS $$"
	 " BEGIN IF NEW.id IS NULL THEN"
	 "  EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME) INTO NEW.id;"
	 " END IF; RETURN NEW; END $$;"
	 "CREATE FUNCTION tk_plan_version() RETURNS trigger LANGUAGE plpgsql AS $$"
	 " BEGIN IF NEW.version IS NULL THEN"
	 "  SELECT coalesce(max(version), 0) + 1 INTO NEW.version FROM plans;"
	 " END IF; RETURN NEW; END $$;"
	 "CREATE TRIGGER plans_rowid BEFORE INSERT ON plans"
	 " FOR EACH ROW EXECUTE FUNCTION tk_plan_version();"
	 "DO $do$ DECLARE t text; BEGIN"
	 " FOREACH t IN ARRAY ARRAY['members', 'items', 'item_events', 'transfers', 'withdrawals']"
	 " LOOP EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I"
	 " FOR EACH ROW EXECUTE FUNCTION tk_rowid()', t || '_rowid', t); END LOOP; END $do$;"

	 /* The change log (what: 1 member, 2 plan, 3 link).  A new row is
	  * numbered one past the newest, as SQLite's rowid is: writers hold
	  * the writer lock, so no two number at once, and a rolled-back row
	  * takes its number with it — the numbers stay contiguous, and a hole
	  * means a prune.  Other modules' triggers (links) call tk_change. */
	 "CREATE TABLE changes ("
	 " seq BIGINT PRIMARY KEY,"
	 " what BIGINT NOT NULL,"
	 " id BIGINT NOT NULL);"
	 "CREATE FUNCTION tk_change(what integer, id bigint) RETURNS void LANGUAGE plpgsql AS $$"
	 " BEGIN INSERT INTO changes(seq, what, id)"
	 "  SELECT coalesce(max(c.seq), 0) + 1, $1, $2 FROM changes c; END $$;"
	 "CREATE FUNCTION tk_members_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
	 " BEGIN PERFORM tk_change(1, NEW.id); RETURN NULL; END $$;"
	 "CREATE FUNCTION tk_plans_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
	 " BEGIN PERFORM tk_change(2, NEW.version); RETURN NULL; END $$;"
	 /* team counts are left out, as in SQLite: readers derive them */
	 "CREATE TRIGGER members_changed_insert AFTER INSERT ON members"
	 " FOR EACH ROW EXECUTE FUNCTION tk_members_changed();"
	 "CREATE TRIGGER members_changed_update AFTER UPDATE OF parent, level, depth ON members"
	 " FOR EACH ROW EXECUTE FUNCTION tk_members_changed();"
	 "CREATE TRIGGER plans_changed AFTER INSERT ON plans"
	 " FOR EACH ROW EXECUTE FUNCTION tk_plans_changed();"},
	/* The rowid triggers fire only for a row given no id: the store's own
	 * inserts give one, and a plpgsql call per row was a good part of an
	 * import's time on the server. */
	{"core-0002",
	 "DO $do$ DECLARE t text; BEGIN"
	 " FOREACH t IN ARRAY ARRAY['members', 'items', 'item_events', 'transfers', 'withdrawals']"
	 " LOOP EXECUTE format('DROP TRIGGER %I ON %I', t || '_rowid', t);"
	 " EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW"
	 " WHEN (NEW.id IS NULL) EXECUTE FUNCTION tk_rowid()', t || '_rowid', t); END LOOP;"
	 " END $do$;"
	 "DROP TRIGGER plans_rowid ON plans;"
	 "CREATE TRIGGER plans_rowid BEFORE INSERT ON plans"
	 " FOR EACH ROW WHEN (NEW.version IS NULL) EXECUTE FUNCTION tk_plan_version();"},
	/* The refusal of a batched additive upsert whose sum leaves 64 bits
	 * (pg.c's batches): its message names the key, and its SQLSTATE
	 * (PG_LIMIT_STATE) makes it TK_ELIMIT. */
	{"core-0003",
	 "CREATE FUNCTION tk_limit(msg text) RETURNS bigint LANGUAGE plpgsql AS $$"
	 " BEGIN RAISE EXCEPTION USING MESSAGE = msg, ERRCODE = '" PG_LIMIT_STATE "'; END $$;"},
	/* the payee's real name as the member gave it (SQLite's core-0004) */
	{"core-0004", "ALTER TABLE withdrawals ADD COLUMN payee text NOT NULL DEFAULT '';"},
	/* the orders a tracked link led to (SQLite's core-0005): kept apart
	 * so that a conversion divides only them by the links' clicks; the
	 * items already applied are counted in (an item earns while paid,
	 * received or settled; its day is its payment's, else its last
	 * change's, in Beijing time) */
	{"core-0005",
	 "ALTER TABLE daily_stats ADD COLUMN link_orders BIGINT NOT NULL DEFAULT 0;"
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
	/* a rejection's reason, a bank withdrawal's bank and branch (SQLite's
	 * core-0006) */
	{"core-0006",
	 "ALTER TABLE withdrawals ADD COLUMN reason text NOT NULL DEFAULT '';"
	 "ALTER TABLE withdrawals ADD COLUMN bank text NOT NULL DEFAULT '';"
	 "ALTER TABLE withdrawals ADD COLUMN branch text NOT NULL DEFAULT '';"},
	/* the members list (GET /api/v1/members): newest first, by team size
	 * and one level newest first without a scan, a rare level's members
	 * counted without one, and a member's sales over a period as a seek
	 * (the rollups' key leads with the day, for the reports) */
	{"core-0007",
	 "CREATE INDEX members_joined ON members(created_at, id);"
	 "CREATE INDEX members_team ON members(team_count, id);"
	 "CREATE INDEX members_level ON members(level, created_at, id);"
	 "CREATE INDEX daily_stats_key ON daily_stats(dim, key, day);"},
	/* core-0008: a slot fee's transfers name their slot fee (slot_fees.id) */
	{"core-0008", "ALTER TABLE transfers ADD COLUMN slot BIGINT;"},
	{NULL, NULL},
};

/* ---- shared helpers ---- */

/* The code err holds after pg_run failed (TK_EIO when unset). */
static enum tk_rc failed(const struct tk_error *err)
{
	return err && err->rc ? err->rc : TK_EIO;
}

/* ---- the change log ---- */

static enum tk_rc changes_newest(struct store *st, int64_t *seq, struct tk_error *err)
{
	return pg_int_of(pg_of(st), "core.changes_newest", "SELECT coalesce(max(seq), 0) FROM changes",
			 NULL, 0, seq, "reading the change log", err);
}

/* One statement reads the rows and the newest number (one snapshot), and
 * all of them are in hand before the first callback, which reads the
 * database itself. */
static enum tk_rc changes_since(struct store *st, int64_t after, int64_t max,
				store_change_cb cb, void *ctx, int64_t *upto, bool *whole,
				struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	assert(max > 0 && after >= 0);
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, after);
	pg_p_int(&p, max + 1);
	PGresult *r = pg_run(s, "core.changes_since",
			     "SELECT seq, what, id, (SELECT coalesce(max(seq), 0) FROM changes) "
			     "FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
			     &p, "reading the change log", err);
	if (!r)
		return failed(err);
	int64_t n = PQntuples(r);
	enum tk_rc rc = TK_OK;
	*whole = false;
	*upto = after;
	/* numbers are contiguous: a hole after `after` is a prune */
	if (n > 0 && (n > max || pg_int(r, 0, 0) != after + 1)) {
		*whole = true;
		*upto = pg_int(r, 0, 3);
	}
	for (int i = 0; !*whole && i < n; i++) {
		if (!cb(ctx, (enum change_what)pg_int(r, i, 1), pg_int(r, i, 2))) {
			rc = tk_fail(err, TK_EIO, "", "catching up with change %lld failed",
				     (long long)pg_int(r, i, 0));
			break;
		}
		*upto = pg_int(r, i, 0);
	}
	PQclear(r);
	return rc;
}

static enum tk_rc changes_prune(struct store *st, int64_t keep, struct tk_error *err)
{
	assert(keep >= 1); /* the newest row numbers the next one */
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, keep);
	return pg_exec(pg_of(st), "core.changes_prune",
		       "DELETE FROM changes WHERE seq <= "
		       "(SELECT coalesce(max(seq), 0) FROM changes) - $1",
		       &p, "pruning the change log", err);
}

/* ---- plans ---- */

static enum tk_rc plan_insert(struct store *st, const char *json, int64_t at, int64_t *version,
			      struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, json);
	pg_p_int(&p, at);
	return pg_int_of(pg_of(st), "core.plan_insert",
			 "INSERT INTO plans(version, json, created_at) SELECT coalesce(max(version), 0) + 1, "
			 "$1, $2 FROM plans RETURNING version", &p,
			 0, version, "saving a plan", err);
}

static enum tk_rc plan_get(struct store *st, int64_t version, char **json, int64_t *version_out,
			   struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	struct pg_params p;
	pg_params_init(&p);
	PGresult *r;
	if (version) {
		pg_p_int(&p, version);
		r = pg_run(s, "core.plan_get", "SELECT version, json FROM plans WHERE version = $1",
			   &p, "reading a plan", err);
	} else {
		r = pg_run(s, "core.plan_get.latest",
			   "SELECT version, json FROM plans ORDER BY version DESC LIMIT 1", NULL,
			   "reading a plan", err);
	}
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0) {
		*version_out = pg_int(r, 0, 0);
		*json = strdup(PQgetvalue(r, 0, 1));
		if (!*json)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	} else {
		rc = version ? tk_fail(err, TK_ENOTFOUND, "version", "no plan version %lld",
				       (long long)version)
			     : tk_fail(err, TK_ENOTFOUND, "plan",
				       "no plan is set; run `tuike plan set FILE` first");
	}
	PQclear(r);
	return rc;
}

struct plan_walk {
	store_plan_cb cb;
	void *ctx;
};

static bool plan_row(void *ctx, const PGresult *r, int row)
{
	struct plan_walk *w = ctx;
	return w->cb(w->ctx, pg_int(r, row, 0), pg_int(r, row, 1), PQgetvalue(r, row, 2));
}

static enum tk_rc plan_each(struct store *st, int64_t before, int64_t limit, store_plan_cb cb,
			    void *ctx, struct tk_error *err)
{
	struct plan_walk w = {cb, ctx};
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, before);
	pg_p_int(&p, limit);
	return pg_each_row(pg_of(st),
			   "SELECT version, created_at, json FROM plans "
			   "WHERE $1 = 0 OR version < $1 ORDER BY version DESC LIMIT $2",
			   &p, plan_row, &w, "reading plan versions", err);
}

/* ---- members ---- */

#define MEMBER_COLS "id, ext, parent, level, name, depth, direct_count, team_count, created_at"

static void member_read(const PGresult *r, int row, struct member_rec *m)
{
	memset(m, 0, sizeof(*m));
	m->id = pg_int(r, row, 0);
	pg_copy(r, row, 1, m->ext, sizeof(m->ext));
	m->parent = pg_int(r, row, 2);
	pg_copy(r, row, 3, m->level, sizeof(m->level));
	pg_copy(r, row, 4, m->name, sizeof(m->name));
	m->depth = (int32_t)pg_int(r, row, 5);
	m->direct_count = pg_int(r, row, 6);
	m->team_count = pg_int(r, row, 7);
	m->created_at = pg_int(r, row, 8);
}

/* A duplicate is an answer, not a failed statement: the insert selects no
 * row when the id is taken (the writer lock keeps that check and the
 * insert one step), so the transaction goes on and no identity is spent. */
static enum tk_rc member_insert(struct store *st, struct member_rec *m, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, m->ext);
	pg_p_int_or_null(&p, m->parent);
	pg_p_text(&p, m->level);
	pg_p_text(&p, m->name);
	pg_p_int(&p, m->depth);
	pg_p_int(&p, m->direct_count);
	pg_p_int(&p, m->team_count);
	pg_p_int(&p, m->created_at);
	int64_t id = 0;
	enum tk_rc rc = pg_int_of(
		pg_of(st), "core.member_insert",
		"INSERT INTO members(id, ext, parent, level, name, depth, direct_count, team_count, "
		"created_at) SELECT (SELECT coalesce(max(id), 0) + 1 FROM members), $1::text, $2::bigint, $3::text, $4::text, $5::bigint, "
		"$6::bigint, $7::bigint, $8::bigint "
		"WHERE NOT EXISTS (SELECT 1 FROM members WHERE ext = $1::text) RETURNING id",
		&p, 0, &id, "adding a member", err);
	if (rc == TK_ECONFLICT || (!rc && !id)) {
		tk_fail_key(err, TK_ECONFLICT, "id", "member.id_taken",
			    "member \"%s\" already exists", m->ext);
		tk_error_str(err, "id", m->ext);
		return TK_ECONFLICT;
	}
	if (!rc)
		m->id = id;
	return rc;
}

static enum tk_rc member_get_by(struct pg_store *s, const char *name, const char *sql,
				const struct pg_params *p, struct member_rec *m, const char *what,
				struct tk_error *err)
{
	PGresult *r = pg_run(s, name, sql, p, "reading a member", err);
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0)
		member_read(r, 0, m);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "member", "no member %s", what);
	PQclear(r);
	return rc;
}

static enum tk_rc member_get(struct store *st, const char *ext, struct member_rec *m,
			     struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, ext);
	char what[ORDER_KEY_MAX + 4];
	snprintf(what, sizeof(what), "\"%s\"", ext);
	return member_get_by(pg_of(st), "core.member_get",
			     "SELECT " MEMBER_COLS " FROM members WHERE ext = $1", &p, m, what, err);
}

static enum tk_rc member_get_id(struct store *st, int64_t id, struct member_rec *m,
				struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	char what[32];
	snprintf(what, sizeof(what), "#%lld", (long long)id);
	return member_get_by(pg_of(st), "core.member_get_id",
			     "SELECT " MEMBER_COLS " FROM members WHERE id = $1", &p, m, what, err);
}

struct member_walk {
	store_member_cb cb;
	void *ctx;
};

static bool member_row(void *ctx, const PGresult *r, int row)
{
	struct member_walk *w = ctx;
	struct member_rec m;
	member_read(r, row, &m);
	return w->cb(w->ctx, &m);
}

static enum tk_rc member_each(struct store *st, store_member_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct member_walk w = {cb, ctx};
	return pg_each_row(pg_of(st), "SELECT " MEMBER_COLS " FROM members ORDER BY id", NULL,
			   member_row, &w, "reading members", err);
}

static enum tk_rc member_set_level(struct store *st, int64_t id, const char *level,
				   struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, level);
	pg_p_int(&p, id);
	return pg_queue(pg_of(st), "core.member_set_level",
		       "UPDATE members SET level = $1 WHERE id = $2", &p, "setting a level", NULL, err);
}

static enum tk_rc member_counts_add(struct store *st, int64_t id, int64_t direct, int64_t team,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, direct);
	pg_p_int(&p, team);
	pg_p_int(&p, id);
	return pg_queue(pg_of(st), "core.member_counts_add",
		       "UPDATE members SET direct_count = direct_count + $1, "
		       "team_count = team_count + $2 WHERE id = $3",
		       &p, "updating team counts", NULL, err);
}

static enum tk_rc member_counts_set(struct store *st, int64_t id, int64_t direct, int64_t team,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, direct);
	pg_p_int(&p, team);
	pg_p_int(&p, id);
	return pg_queue(pg_of(st), "core.member_counts_set",
		       "UPDATE members SET direct_count = $1, team_count = $2 WHERE id = $3", &p,
		       "updating team counts", NULL, err);
}

/* ---- bindings ---- */

/* What rows_ahead read: see there. */
#define AHEAD_KEY (BUYER_NS_MAX + ORDER_KEY_MAX + 2)
#define AHEAD_BUYER_KEY (ORDER_TAG_KIND_MAX + ORDER_UNION_MAX + ORDER_KEY_MAX + 3)
#define AHEAD_ABSENT (-1)          /* by_key: the table holds no such item */
/* The buyers' items a chunk reads ahead at most: beyond, a buyer's items
 * are asked for one buyer at a time. */
#define AHEAD_BUYER_ITEMS_MAX 20000

struct pg_item_ahead {
	struct item_rec *items; /* every item known, as the table holds it now */
	int n_items, cap_items;
	struct strmap by_key;   /* "union\x1fkey" -> index + 1, or AHEAD_ABSENT */
	struct strmap by_id;    /* the id in decimal -> index + 1 */
	struct strmap complete; /* buyer keys (ahead_buyer_key) whose items are all here */
	struct strmap buyers;   /* "ns\x1fbuyer" -> slot + 1 */
	struct binding_rec *binds;
	bool *bound;            /* by slot: false, the buyer is bound to nobody */
	int n_buyers;
};

/* An import's item writes held back: see item_hold. */
struct pg_item_writes {
	struct item_rec *its;
	bool *insert;
	int n, cap;
	struct strmap by_id; /* the id in decimal -> index + 1 */
};

static int64_t ahead_binding(struct pg_store *s, const char *ns, const char *buyer);

static enum tk_rc binding_get(struct store *st, const char *ns, const char *buyer,
			      struct binding_rec *out, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	int64_t slot = ahead_binding(s, ns, buyer);
	if (slot >= 0) {
		if (!s->ahead->bound[slot])
			return TK_ENOTFOUND;
		*out = s->ahead->binds[slot];
		return TK_OK;
	}
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, ns);
	pg_p_text(&p, buyer);
	/* the bindings held back first (no other batch reads or writes them) */
	enum tk_rc rc = pg_batch_send(s, PG_BATCH_BINDINGS, err);
	if (rc)
		return rc;
	PGresult *r = pg_run_apart(s, "core.binding_get",
			     "SELECT member, coalesce(item, 0), bound_at FROM bindings "
			     "WHERE ns = $1 AND buyer = $2",
			     &p, "reading a binding", err);
	if (!r)
		return failed(err);
	if (PQntuples(r) > 0) {
		out->member = pg_int(r, 0, 0);
		out->item = pg_int(r, 0, 1);
		out->at = pg_int(r, 0, 2);
	} else {
		rc = TK_ENOTFOUND; /* not an error worth a message: most buyers are new */
	}
	PQclear(r);
	return rc;
}

/* SQLite's INSERT OR REPLACE: the row ends as given, new or not. */
static enum tk_rc binding_put(struct store *st, const char *ns, const char *buyer,
			      const struct binding_rec *b, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	int64_t slot = ahead_binding(s, ns, buyer);
	if (slot >= 0) { /* what binding_get reads back: the row as given */
		s->ahead->binds[slot] = *b;
		s->ahead->bound[slot] = true;
	}
	if (pg_batching(s)) {
		/* an import's bindings: one statement per flush, the last put of
		 * a buyer in it winning as it would one statement each */
		static const struct pg_batch_def def = {
			PG_BATCH_BINDINGS, "core.binding_put.batch",
			"INSERT INTO bindings AS t (ns, buyer, member, item, bound_at) "
			"SELECT DISTINCT ON (n, b) n, b, m, i, a FROM unnest($1::text[], $2::text[], "
			"$3::bigint[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS u(n, b, m, i, a, o) "
			"ORDER BY n, b, o DESC ON CONFLICT (ns, buyer) DO UPDATE SET "
			"member = EXCLUDED.member, item = EXCLUDED.item, bound_at = EXCLUDED.bound_at",
			"binding a buyer", 5};
		enum tk_rc rc = pg_batch_row(s, &def, err);
		if (rc)
			return rc;
		pg_b_text(s, &def, ns);
		pg_b_text(s, &def, buyer);
		pg_b_int(s, &def, b->member);
		pg_b_int(s, &def, b->item);
		pg_b_int(s, &def, b->at);
		return pg_batch_end(s, &def, err);
	}
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, ns);
	pg_p_text(&p, buyer);
	pg_p_int(&p, b->member);
	pg_p_int(&p, b->item);
	pg_p_int(&p, b->at);
	return pg_queue_apart(s, "core.binding_put",
		       "INSERT INTO bindings(ns, buyer, member, item, bound_at) "
		       "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ns, buyer) DO UPDATE SET "
		       "member = EXCLUDED.member, item = EXCLUDED.item, bound_at = EXCLUDED.bound_at",
		       &p, "binding a buyer", NULL, err);
}

/* ---- items ---- */

/* The chain and its money: read by money_read from its first column. */
#define ITEM_MONEY_COLS                                                         \
	"n_chain, m1, l1, a1, b1, m2, l2, a2, b2, m3, l3, a3, b3, platform, due_at"
#define ITEM_COLS                                                                         \
	"id, union_, item_key, order_no, status, modified_at, paid_at, settled_at, amount, " \
	"commission, quantity, refunded, product, title, buyer, member, link, channel, "     \
	"attribution, plan_version, self_purchase, " ITEM_MONEY_COLS ", first_seen_at, "     \
	"last_event, buyer_kind, tags, seen_seq"
#define ITEM_MONEY_AT 21 /* ITEM_MONEY_COLS's first column in ITEM_COLS */

static void money_read(const PGresult *r, int row, int base, struct item_money *m)
{
	m->n = (int)pg_int(r, row, base);
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		m->member[k] = pg_int(r, row, base + 1 + 4 * k);
		m->amount[k] = pg_int(r, row, base + 3 + 4 * k);
		m->bucket[k] = (enum bucket)pg_int(r, row, base + 4 + 4 * k);
	}
	m->platform = pg_int(r, row, base + 13);
	m->due_at = pg_int(r, row, base + 14);
	assert(item_money_valid(m)); /* as written: see item_written */
}

/* What every write of the money core's tables holds: a write transaction
 * is open (an operation owns it), and an item's position is one an item
 * can hold.  Programmer errors, so asserted. */
static void item_written(struct store *st, const struct item_rec *it)
{
	assert(pg_of(st)->tx_depth >= 1);
	assert(item_money_valid(&it->money));
}

static void item_read(const PGresult *q, int row, struct item_rec *it)
{
	struct order_row *r = &it->row;
	memset(it, 0, sizeof(*it));
	it->id = pg_int(q, row, 0);
	pg_copy(q, row, 1, r->union_, sizeof(r->union_));
	pg_copy(q, row, 2, r->item, sizeof(r->item));
	pg_copy(q, row, 3, r->order, sizeof(r->order));
	r->status = (enum order_status)pg_int(q, row, 4);
	r->modified_at = pg_int(q, row, 5);
	r->paid_at = pg_int(q, row, 6);
	r->settled_at = pg_int(q, row, 7);
	r->amount = pg_int(q, row, 8);
	r->commission = pg_int(q, row, 9);
	r->quantity = (int32_t)pg_int(q, row, 10);
	r->refunded = pg_int(q, row, 11);
	pg_copy(q, row, 12, r->product, sizeof(r->product));
	pg_copy(q, row, 13, r->title, sizeof(r->title));
	pg_copy(q, row, 14, r->buyer, sizeof(r->buyer));
	pg_copy(q, row, 15, r->member, sizeof(r->member));
	pg_copy(q, row, 16, r->link, sizeof(r->link));
	pg_copy(q, row, 17, r->channel, sizeof(r->channel));
	it->attribution = (enum attribution)pg_int(q, row, 18);
	it->plan_version = pg_int(q, row, 19);
	it->chain.self_purchase = pg_int(q, row, 20) != 0;
	money_read(q, row, ITEM_MONEY_AT, &it->money);
	it->chain.n = it->money.n;
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		it->chain.member[k] = it->money.member[k];
		it->chain.level[k] = (int)pg_int(q, row, ITEM_MONEY_AT + 2 + 4 * k);
	}
	it->first_seen_at = pg_int(q, row, 36);
	it->last_event = pg_int(q, row, 37);
	pg_copy(q, row, 38, r->buyer_kind, sizeof(r->buyer_kind));
	item_tags_read(pg_is_null(q, row, 39) ? NULL : PQgetvalue(q, row, 39), r);
	it->seen_seq = pg_int(q, row, 40);
}

/* The item's columns 2..41 of ITEM_COLS (all but the id) as $1..$40;
 * `tags` is the caller's buffer, sent without a copy. */
static void item_params(struct pg_params *p, const struct item_rec *it,
			char tags[ITEM_TAGS_TEXT])
{
	const struct order_row *r = &it->row;
	pg_p_text(p, r->union_);
	pg_p_text(p, r->item);
	pg_p_text(p, r->order);
	pg_p_int(p, (int64_t)r->status);
	pg_p_int(p, r->modified_at);
	pg_p_int(p, r->paid_at);
	pg_p_int(p, r->settled_at);
	pg_p_int(p, r->amount);
	pg_p_int(p, r->commission);
	pg_p_int(p, r->quantity);
	pg_p_int(p, r->refunded);
	pg_p_text(p, r->product);
	pg_p_text(p, r->title);
	pg_p_text(p, r->buyer);
	pg_p_text(p, r->member);
	pg_p_text(p, r->link);
	pg_p_text(p, r->channel);
	pg_p_int(p, (int64_t)it->attribution);
	pg_p_int(p, it->plan_version);
	pg_p_int(p, it->chain.self_purchase);
	pg_p_int(p, it->chain.n);
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		if (k < it->chain.n) {
			pg_p_int(p, it->chain.member[k]);
			pg_p_int(p, it->chain.level[k]);
		} else {
			pg_p_null(p);
			pg_p_null(p);
		}
		pg_p_int(p, k < it->money.n ? it->money.amount[k] : 0);
		pg_p_int(p, k < it->money.n ? (int64_t)it->money.bucket[k] : 0);
	}
	pg_p_int(p, it->money.platform);
	pg_p_int_or_null(p, it->money.due_at);
	pg_p_int(p, it->first_seen_at);
	pg_p_int(p, it->last_event);
	pg_p_text(p, r->buyer_kind);
	item_tags_write(r, tags, ITEM_TAGS_TEXT);
	pg_p_text(p, tags);
	pg_p_int(p, it->seen_seq);
}

/* The one item a query selects: TK_ENOTFOUND (err left for the caller to
 * fill) when none. */
static PGresult *items_run(struct pg_store *s, const char *name, const char *sql,
			   const struct pg_params *p, const char *what, struct tk_error *err);

static enum tk_rc item_one(struct pg_store *s, const char *name, const char *sql,
			   const struct pg_params *p, struct item_rec *it, struct tk_error *err)
{
	PGresult *r = items_run(s, name, sql, p, "reading an order item", err);
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0)
		item_read(r, 0, it);
	else
		rc = TK_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- read ahead: an import's next items and bindings ---- */

/* What rows_ahead read for a chunk of an import's rows, in one statement
 * each, for item_get, item_get_id, item_each_buyer and binding_get to
 * answer from without a round trip:
 *  - the items of the chunk's keys (a key not found is known absent);
 *  - every item of every buyer of the chunk's new items (buyer, kind and,
 *    for a union's kind, union: item_each_buyer's key; a new item is what
 *    binds its buyer and reads the buyer's items), when they are not too
 *    many — those buyers are then "complete": every item of theirs the
 *    table holds is in the cache;
 *  - the bindings of the chunk's buyers.
 * The transaction's own writes keep it current: item_insert and
 * item_update put the item in as it now stands, normalised exactly as a
 * read would give it back (item_normal), item_set_money moves its money,
 * binding_put writes what binding_get reads.  Nobody else writes (the
 * writer lock); the reads come after every write of the transaction sent
 * before them, and the item writes still held back (the last chunk's,
 * sent only after the reads so that the server applies them while the
 * chunk is computed) are put in over their answer — so an answer from
 * here is always what the table holds, and a complete buyer's items are
 * all the items the table would answer.  Dropped at the next chunk,
 * commit and rollback. */

static size_t ahead_key(const char *a, const char *b, char out[AHEAD_KEY])
{
	int n = snprintf(out, AHEAD_KEY, "%s\x1f%s", a, b);
	return n < 0 ? 0 : (size_t)n < AHEAD_KEY ? (size_t)n : AHEAD_KEY - 1;
}

/* item_each_buyer's key: the union counts only for a union's kind. */
static size_t ahead_buyer_key(const char *union_, const char *kind, const char *buyer,
			      char out[AHEAD_BUYER_KEY])
{
	int n = snprintf(out, AHEAD_BUYER_KEY, "%s\x1f%s\x1f%s", kind, kind[0] ? union_ : "",
			 buyer);
	return n < 0 ? 0 : (size_t)n < AHEAD_BUYER_KEY ? (size_t)n : AHEAD_BUYER_KEY - 1;
}

static size_t ahead_id_key(int64_t id, char out[24])
{
	int n = snprintf(out, 24, "%lld", (long long)id);
	return n < 0 ? 0 : (size_t)n;
}

static void ahead_free(struct pg_item_ahead *a)
{
	if (!a)
		return;
	strmap_free(&a->by_key);
	strmap_free(&a->by_id);
	strmap_free(&a->complete);
	strmap_free(&a->buyers);
	free(a->items);
	free(a->binds);
	free(a->bound);
	free(a);
}

void pg_item_ahead_drop(struct pg_store *s)
{
	ahead_free(s->ahead);
	s->ahead = NULL;
}

/* The item as a read of the table gives it back after item_params wrote
 * it: what no column holds is zero, the chain's and the money's slots
 * beyond the chain empty, the money's count the chain's, the tags as their
 * column's text reads. */
static void item_normal(const struct item_rec *in, struct item_rec *out)
{
	const struct order_row *a = &in->row;
	struct order_row *r = &out->row;
	char tags[ITEM_TAGS_TEXT];
	memset(out, 0, sizeof(*out));
	out->id = in->id;
	snprintf(r->union_, sizeof(r->union_), "%s", a->union_);
	snprintf(r->item, sizeof(r->item), "%s", a->item);
	snprintf(r->order, sizeof(r->order), "%s", a->order);
	r->status = a->status;
	r->modified_at = a->modified_at;
	r->paid_at = a->paid_at;
	r->settled_at = a->settled_at;
	r->amount = a->amount;
	r->commission = a->commission;
	r->quantity = a->quantity;
	r->refunded = a->refunded;
	snprintf(r->product, sizeof(r->product), "%s", a->product);
	snprintf(r->title, sizeof(r->title), "%s", a->title);
	snprintf(r->buyer, sizeof(r->buyer), "%s", a->buyer);
	snprintf(r->member, sizeof(r->member), "%s", a->member);
	snprintf(r->link, sizeof(r->link), "%s", a->link);
	snprintf(r->channel, sizeof(r->channel), "%s", a->channel);
	out->attribution = in->attribution;
	out->plan_version = in->plan_version;
	out->chain.self_purchase = in->chain.self_purchase;
	int n = in->chain.n;
	out->chain.n = out->money.n = n;
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		out->chain.member[k] = out->money.member[k] = k < n ? in->chain.member[k] : 0;
		out->chain.level[k] = k < n ? in->chain.level[k] : 0;
		out->money.amount[k] = k < in->money.n ? in->money.amount[k] : 0;
		out->money.bucket[k] = k < in->money.n ? in->money.bucket[k] : (enum bucket)0;
	}
	out->money.platform = in->money.platform;
	out->money.due_at = in->money.due_at;
	out->first_seen_at = in->first_seen_at;
	out->last_event = in->last_event;
	snprintf(r->buyer_kind, sizeof(r->buyer_kind), "%s", a->buyer_kind);
	item_tags_write(a, tags, sizeof(tags));
	item_tags_read(tags, r);
	out->seen_seq = in->seen_seq;
}

/* The index of item `id` in the cache, or -1. */
static int ahead_find_id(const struct pg_item_ahead *a, int64_t id)
{
	char k[24];
	uint64_t entry;
	size_t len = ahead_id_key(id, k);
	if (!a || !strmap_find(&a->by_id, k, len, &entry))
		return -1;
	return (int)strmap_value(&a->by_id, entry) - 1;
}

/* Puts the item in as the table now holds it: as read (`as_read`), or as
 * just written whole, normalised.  When memory runs out the cache is
 * dropped: every question then goes to the table. */
static void ahead_put(struct pg_store *s, const struct item_rec *it, bool as_read)
{
	struct pg_item_ahead *a = s->ahead;
	if (!a)
		return;
	char k[AHEAD_KEY], idk[24];
	uint64_t entry;
	int i = ahead_find_id(a, it->id);
	if (i < 0) {
		if (a->n_items == a->cap_items) {
			int cap = a->cap_items ? 2 * a->cap_items : 64;
			struct item_rec *m = realloc(a->items, (size_t)cap * sizeof(*m));
			if (!m)
				goto lost;
			a->items = m;
			a->cap_items = cap;
		}
		i = a->n_items;
		if (!strmap_put(&a->by_id, idk, ahead_id_key(it->id, idk), i + 1, NULL))
			goto lost;
		a->n_items++;
	} else {
		/* a key it leaves holds nothing now (keys are unique) */
		const struct order_row *was = &a->items[i].row;
		size_t len = ahead_key(was->union_, was->item, k);
		if ((strcmp(was->union_, it->row.union_) || strcmp(was->item, it->row.item)) &&
		    strmap_find(&a->by_key, k, len, &entry) &&
		    strmap_value(&a->by_key, entry) == i + 1)
			a->by_key.entries[entry].value = AHEAD_ABSENT;
	}
	if (as_read)
		a->items[i] = *it;
	else
		item_normal(it, &a->items[i]);
	if (!strmap_put(&a->by_key, k, ahead_key(it->row.union_, it->row.item, k), i + 1, NULL))
		goto lost;
	return;
lost:
	pg_item_ahead_drop(s);
}

/* Appends `v` to a PostgreSQL array literal, quoted. */
static bool array_put(struct textbuf *t, const char *v, bool first)
{
	char q[2 * AHEAD_BUYER_KEY + 4];
	size_t n = 0;
	if (!first)
		q[n++] = ',';
	q[n++] = '"';
	for (; *v && n < sizeof(q) - 3; v++) {
		if (*v == '"' || *v == '\\')
			q[n++] = '\\';
		q[n++] = *v;
	}
	q[n++] = '"';
	return textbuf_append(t, q, n, (size_t)1 << 24);
}

/* Two array literals of the distinct pairs (a[i], b[i]) with b[i] not
 * empty, each pair numbered in `map` (slot + 1); the count in *n. */
static bool pairs_collect(struct strmap *map, const char *a0, size_t a_stride, const char *b0,
			  size_t b_stride, int rows, struct textbuf *as, struct textbuf *bs, int *n)
{
	*n = 0;
	if (!textbuf_append(as, "{", 1, 2) || !textbuf_append(bs, "{", 1, 2))
		return false;
	for (int i = 0; i < rows; i++) {
		const char *a = a0 + (size_t)i * a_stride, *b = b0 + (size_t)i * b_stride;
		char k[AHEAD_KEY];
		uint64_t entry;
		size_t len = ahead_key(a, b, k);
		if (!b[0] || strmap_find(map, k, len, &entry))
			continue;
		if (!strmap_put(map, k, len, *n + 1, &entry) || !array_put(as, a, *n == 0) ||
		    !array_put(bs, b, *n == 0))
			return false;
		(*n)++;
	}
	return textbuf_append(as, "}", 1, (size_t)1 << 24) &&
	       textbuf_append(bs, "}", 1, (size_t)1 << 24);
}

/* Three array literals (buyer, kind, union) of the distinct buyer keys of
 * the rows whose item `items` (by_key) says the table does not hold — a
 * new item is what binds its buyer and reads the buyer's items — each
 * recorded in `map`; the count in *n. */
static bool buyers_collect(struct strmap *map, const struct strmap *items,
			   const struct order_row *rows, int n_rows, struct textbuf *bs,
			   struct textbuf *ks, struct textbuf *us, int *n)
{
	*n = 0;
	if (!textbuf_append(bs, "{", 1, 2) || !textbuf_append(ks, "{", 1, 2) ||
	    !textbuf_append(us, "{", 1, 2))
		return false;
	for (int i = 0; i < n_rows; i++) {
		const struct order_row *r = &rows[i];
		char k[AHEAD_BUYER_KEY];
		uint64_t entry;
		char ik[AHEAD_KEY];
		if (!r->buyer[0] ||
		    (strmap_find(items, ik, ahead_key(r->union_, r->item, ik), &entry) &&
		     strmap_value(items, entry) != AHEAD_ABSENT))
			continue;
		size_t len = ahead_buyer_key(r->union_, r->buyer_kind, r->buyer, k);
		if (strmap_find(map, k, len, &entry))
			continue;
		if (!strmap_put(map, k, len, 1, &entry) || !array_put(bs, r->buyer, *n == 0) ||
		    !array_put(ks, r->buyer_kind, *n == 0) ||
		    !array_put(us, r->buyer_kind[0] ? r->union_ : "", *n == 0))
			return false;
		(*n)++;
	}
	return textbuf_append(bs, "}", 1, (size_t)1 << 24) &&
	       textbuf_append(ks, "}", 1, (size_t)1 << 24) &&
	       textbuf_append(us, "}", 1, (size_t)1 << 24);
}

static enum tk_rc items_send(struct pg_store *s, struct tk_error *err);

/* pg_run_apart for a statement that reads items: the items held back are
 * sent first (the other tables' batches stay). */
static PGresult *items_run(struct pg_store *s, const char *name, const char *sql,
			   const struct pg_params *p, const char *what, struct tk_error *err)
{
	if (s->n_item_writes && items_send(s, err))
		return NULL;
	return pg_run_apart(s, name, sql, p, what, err);
}

/* The item writes held back, over what the table answered: each as it
 * was last written (ahead_put moves it off a key it left). */
static void ahead_put_held(struct pg_store *s)
{
	const struct pg_item_writes *w = s->item_writes;
	for (int i = 0; w && i < w->n && s->ahead; i++)
		ahead_put(s, &w->its[i], false);
}

static enum tk_rc rows_ahead(struct store *st, const struct order_row *rows,
			     const char (*ns)[BUYER_NS_MAX], int n, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	pg_item_ahead_drop(s);
	if (!pg_pipelining(s) || n <= 0)
		return TK_OK; /* a hint for a write transaction only */
	s->bulk = true; /* an import: its append-and-add writes are batched */
	enum tk_rc rc = TK_OK;
	struct textbuf t1 = {0}, t2 = {0}, t3 = {0}, t4 = {0}, t5 = {0}, t6 = {0}, t7 = {0};
	PGresult *r = NULL;
	struct item_rec *it = malloc(sizeof(*it));
	struct pg_item_ahead *a = calloc(1, sizeof(*a));
	int n_keys = 0, n_buyer_keys = 0;
	if (!it || !a || !(a->binds = calloc((size_t)n, sizeof(*a->binds))) ||
	    !(a->bound = calloc((size_t)n, sizeof(*a->bound))) ||
	    !pairs_collect(&a->by_key, rows[0].union_, sizeof(*rows), rows[0].item, sizeof(*rows),
			   n, &t1, &t2, &n_keys) ||
	    !pairs_collect(&a->buyers, ns[0], sizeof(*ns), rows[0].buyer, sizeof(*rows), n, &t3,
			   &t4, &a->n_buyers)) {
		ahead_free(a);
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	/* every key asked for holds nothing until an item is read or put there */
	for (uint64_t e = 0; e < a->by_key.n_entries; e++)
		a->by_key.entries[e].value = AHEAD_ABSENT;
	/* from here on s->ahead: ahead_put drops it when memory runs out, and
	 * then every question goes to the table (no more than a hint) */
	s->ahead = a;
	a = NULL;
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, t1.s);
	pg_p_text(&p, t2.s);
	/* read before the item writes held back are sent (they then reach
	 * the server behind the reads and run while the chunk is computed):
	 * the table's answer lacks them, so they are put in over it — the
	 * item as last written wins over the item as the table held it */
	r = pg_run_apart(s, "core.rows_ahead.items",
			 "SELECT " ITEM_COLS " FROM unnest($1::text[], $2::text[]) AS k(u, k) "
			 "JOIN items ON union_ = k.u COLLATE \"C\" AND item_key = k.k COLLATE \"C\"",
			 &p, "reading order items", err);
	if (!r)
		goto failed;
	for (int i = 0, rn = PQntuples(r); i < rn; i++) {
		item_read(r, i, it);
		ahead_put(s, it, true);
	}
	PQclear(r);
	r = NULL;
	ahead_put_held(s);
	if (s->ahead && !buyers_collect(&s->ahead->complete, &s->ahead->by_key, rows, n, &t5, &t6,
					&t7, &n_buyer_keys)) {
		pg_item_ahead_drop(s); /* out of memory: every question to the table */
		n_buyer_keys = 0;
	}
	if (n_buyer_keys) {
		/* item_each_buyer's condition, for every buyer of the chunk at once:
		 * one index look-up per buyer (OFFSET 0 keeps the planner from
		 * joining the whole table by hash instead) */
		pg_params_init(&p);
		pg_p_text(&p, t5.s);
		pg_p_text(&p, t6.s);
		pg_p_text(&p, t7.s);
		pg_p_int(&p, AHEAD_BUYER_ITEMS_MAX + 1);
		r = pg_run_apart(s, "core.rows_ahead.buyer_items",
			   "SELECT i.* FROM unnest($1::text[], $2::text[], $3::text[]) "
			   "AS k(b, kind, u) CROSS JOIN LATERAL (SELECT " ITEM_COLS " FROM items "
			   "WHERE buyer = k.b COLLATE \"C\" AND buyer_kind = k.kind COLLATE \"C\" AND "
			   "(k.kind = '' OR union_ = k.u COLLATE \"C\") AND buyer <> '' OFFSET 0) i "
			   "LIMIT $4",
			   &p, "reading order items", err);
		if (!r)
			goto failed;
		int rn = PQntuples(r);
		if (rn > AHEAD_BUYER_ITEMS_MAX && s->ahead) {
			/* too many: each buyer's items are asked for at need */
			strmap_free(&s->ahead->complete);
			memset(&s->ahead->complete, 0, sizeof(s->ahead->complete));
			rn = 0;
		}
		for (int i = 0; i < rn; i++) {
			item_read(r, i, it);
			if (ahead_find_id(s->ahead, it->id) < 0)
				ahead_put(s, it, true);
		}
		PQclear(r);
		r = NULL;
	}
	if (s->ahead && s->ahead->n_buyers) {
		/* the bindings held back go first: the read waits for them */
		if ((rc = pg_batch_send(s, PG_BATCH_BINDINGS, err))) {
			pg_item_ahead_drop(s);
			goto out;
		}
		pg_params_init(&p);
		pg_p_text(&p, t3.s);
		pg_p_text(&p, t4.s);
		r = pg_run_apart(s, "core.rows_ahead.bindings",
			   "SELECT b.ns, b.buyer, b.member, coalesce(b.item, 0), b.bound_at "
			   "FROM unnest($1::text[], $2::text[]) AS k(ns, buyer) JOIN bindings b "
			   "ON b.ns = k.ns COLLATE \"C\" AND b.buyer = k.buyer COLLATE \"C\"",
			   &p, "reading bindings", err);
		if (!r)
			goto failed;
		struct pg_item_ahead *h = s->ahead;
		for (int i = 0, rn = PQntuples(r); i < rn; i++) {
			char k[AHEAD_KEY];
			uint64_t entry;
			size_t len = ahead_key(PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), k);
			if (!strmap_find(&h->buyers, k, len, &entry))
				continue;
			int64_t slot = strmap_value(&h->buyers, entry) - 1;
			h->binds[slot] = (struct binding_rec){pg_int(r, i, 2), pg_int(r, i, 3),
							      pg_int(r, i, 4)};
			h->bound[slot] = true;
		}
	}
	/* the last chunk's writes out, not waited for */
	if ((rc = pg_batches_push(s, err)))
		pg_item_ahead_drop(s);
	goto out;
failed:
	rc = failed(err);
	pg_item_ahead_drop(s);
out:
	PQclear(r);
	free(it);
	textbuf_free(&t1);
	textbuf_free(&t2);
	textbuf_free(&t3);
	textbuf_free(&t4);
	textbuf_free(&t5);
	textbuf_free(&t6);
	textbuf_free(&t7);
	return rc;
}

/* What the cache knows of the item: 1 it exists (in *it), 0 it does not,
 * -1 nothing is known (the table must be asked). */
static int ahead_item(struct pg_store *s, const char *union_, const char *key,
		      struct item_rec *it)
{
	char k[AHEAD_KEY];
	uint64_t entry;
	size_t len = ahead_key(union_, key, k);
	if (!s->ahead || !strmap_find(&s->ahead->by_key, k, len, &entry))
		return -1;
	int64_t v = strmap_value(&s->ahead->by_key, entry);
	if (v == AHEAD_ABSENT)
		return 0;
	*it = s->ahead->items[v - 1];
	return 1;
}

/* The binding rows_ahead read (kept current by binding_put): its slot, or
 * -1 when nothing is known. */
static int64_t ahead_binding(struct pg_store *s, const char *ns, const char *buyer)
{
	char k[AHEAD_KEY];
	uint64_t entry;
	size_t len = ahead_key(ns, buyer, k);
	if (!s->ahead || !strmap_find(&s->ahead->buyers, k, len, &entry))
		return -1;
	return strmap_value(&s->ahead->buyers, entry) - 1;
}

static enum tk_rc item_get(struct store *st, const char *union_, const char *key,
			   struct item_rec *it, struct tk_error *err)
{
	int known = ahead_item(pg_of(st), union_, key, it);
	if (known == 1)
		return TK_OK;
	if (known == 0)
		return tk_fail(err, TK_ENOTFOUND, "item", "no %s order item \"%s\"", union_, key);
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, key);
	enum tk_rc rc = item_one(pg_of(st), "core.item_get",
				 "SELECT " ITEM_COLS " FROM items WHERE union_ = $1 AND item_key = $2",
				 &p, it, err);
	return rc == TK_ENOTFOUND
		       ? tk_fail(err, TK_ENOTFOUND, "item", "no %s order item \"%s\"", union_, key)
		       : rc;
}

static enum tk_rc item_get_id(struct store *st, int64_t id, struct item_rec *it,
			      struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	int i = ahead_find_id(s->ahead, id);
	if (i >= 0) {
		*it = s->ahead->items[i];
		return TK_OK;
	}
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	enum tk_rc rc = item_one(s, "core.item_get_id",
				 "SELECT " ITEM_COLS " FROM items WHERE id = $1", &p, it, err);
	return rc == TK_ENOTFOUND
		       ? tk_fail(err, TK_ENOTFOUND, "item", "no order item #%lld", (long long)id)
		       : rc;
}

#define ITEM_INSERT_COLS                                                                    \
	"union_, item_key, order_no, status, modified_at, paid_at, settled_at, amount, "     \
	"commission, quantity, refunded, product, title, buyer, member, link, channel, "     \
	"attribution, plan_version, self_purchase, n_chain, m1, l1, a1, b1, m2, l2, a2, b2, " \
	"m3, l3, a3, b3, platform, due_at, first_seen_at, last_event, buyer_kind, tags, "    \
	"seen_seq"
#define ITEM_INSERT_VALUES                                                                \
	"$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23," \
	"$24,$25,$26,$27,$28,$29,$30,$31,$32,$33,$34,$35,$36,$37,$38,$39,$40"
/* The same columns and the id, one array each, as rows. */
#define ITEM_UNNEST                                                                       \
	"unnest($1::text[],$2::text[],$3::text[],$4::bigint[],$5::bigint[],$6::bigint[],"    \
	"$7::bigint[],$8::bigint[],$9::bigint[],$10::bigint[],$11::bigint[],$12::text[],"    \
	"$13::text[],$14::text[],$15::text[],$16::text[],$17::text[],$18::bigint[],"         \
	"$19::bigint[],$20::bigint[],$21::bigint[],$22::bigint[],$23::bigint[],$24::bigint[]," \
	"$25::bigint[],$26::bigint[],$27::bigint[],$28::bigint[],$29::bigint[],$30::bigint[]," \
	"$31::bigint[],$32::bigint[],$33::bigint[],$34::bigint[],$35::bigint[],$36::bigint[]," \
	"$37::bigint[],$38::text[],$39::text[],$40::bigint[],$41::bigint[])"

/* ---- item writes held back in a bulk transaction ---- */

/* An import's item inserts and updates, one row per id (the item as last
 * written; an insert stays an insert), sent as one multi-row INSERT and
 * one multi-row UPDATE with the other batches (pg.c): before a statement
 * that may read items, at commit, and when PG_ITEM_WRITES_MAX are held. */

/* (struct pg_item_writes: defined with the read-ahead, which reads it) */

static const struct pg_batch_def items_new_def = {
	PG_BATCH_ITEMS_NEW, "core.item_insert.batch",
	"INSERT INTO items(" ITEM_INSERT_COLS ", id) SELECT * FROM " ITEM_UNNEST,
	"adding order items", 41};
static const struct pg_batch_def items_set_def = {
	PG_BATCH_ITEMS_SET, "core.item_update.batch",
	"UPDATE items SET union_=v.union_, item_key=v.item_key, order_no=v.order_no, "
	"status=v.status, modified_at=v.modified_at, paid_at=v.paid_at, settled_at=v.settled_at, "
	"amount=v.amount, commission=v.commission, quantity=v.quantity, refunded=v.refunded, "
	"product=v.product, title=v.title, buyer=v.buyer, member=v.member, link=v.link, "
	"channel=v.channel, attribution=v.attribution, plan_version=v.plan_version, "
	"self_purchase=v.self_purchase, n_chain=v.n_chain, m1=v.m1, l1=v.l1, a1=v.a1, b1=v.b1, "
	"m2=v.m2, l2=v.l2, a2=v.a2, b2=v.b2, m3=v.m3, l3=v.l3, a3=v.a3, b3=v.b3, "
	"platform=v.platform, due_at=v.due_at, first_seen_at=v.first_seen_at, "
	"last_event=v.last_event, buyer_kind=v.buyer_kind, tags=v.tags, seen_seq=v.seen_seq "
	"FROM " ITEM_UNNEST " AS v(" ITEM_INSERT_COLS ", id) WHERE items.id = v.id",
	"updating order items", 41};

/* One item as a row of def's batch: item_params's values, then the id. */
static enum tk_rc item_batch_row(struct pg_store *s, const struct pg_batch_def *d,
				 const struct item_rec *it, struct tk_error *err)
{
	const struct order_row *r = &it->row;
	char tags[ITEM_TAGS_TEXT];
	enum tk_rc rc = pg_batch_row(s, d, err);
	if (rc)
		return rc;
	pg_b_text(s, d, r->union_);
	pg_b_text(s, d, r->item);
	pg_b_text(s, d, r->order);
	pg_b_int(s, d, (int64_t)r->status);
	pg_b_int(s, d, r->modified_at);
	pg_b_int(s, d, r->paid_at);
	pg_b_int(s, d, r->settled_at);
	pg_b_int(s, d, r->amount);
	pg_b_int(s, d, r->commission);
	pg_b_int(s, d, r->quantity);
	pg_b_int(s, d, r->refunded);
	pg_b_text(s, d, r->product);
	pg_b_text(s, d, r->title);
	pg_b_text(s, d, r->buyer);
	pg_b_text(s, d, r->member);
	pg_b_text(s, d, r->link);
	pg_b_text(s, d, r->channel);
	pg_b_int(s, d, (int64_t)it->attribution);
	pg_b_int(s, d, it->plan_version);
	pg_b_int(s, d, it->chain.self_purchase);
	pg_b_int(s, d, it->chain.n);
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		if (k < it->chain.n) {
			pg_b_int(s, d, it->chain.member[k]);
			pg_b_int(s, d, it->chain.level[k]);
		} else {
			pg_b_int_or_null(s, d, 0); /* NULL */
			pg_b_int_or_null(s, d, 0);
		}
		pg_b_int(s, d, k < it->money.n ? it->money.amount[k] : 0);
		pg_b_int(s, d, k < it->money.n ? (int64_t)it->money.bucket[k] : 0);
	}
	pg_b_int(s, d, it->money.platform);
	pg_b_int_or_null(s, d, it->money.due_at);
	pg_b_int(s, d, it->first_seen_at);
	pg_b_int(s, d, it->last_event);
	pg_b_text(s, d, r->buyer_kind);
	item_tags_write(r, tags, sizeof(tags));
	pg_b_text(s, d, tags);
	pg_b_int(s, d, it->seen_seq);
	pg_b_int(s, d, it->id);
	return pg_batch_end(s, d, err);
}

void pg_item_writes_drop(struct pg_store *s)
{
	struct pg_item_writes *w = s->item_writes;
	if (w) {
		strmap_free(&w->by_id);
		memset(&w->by_id, 0, sizeof(w->by_id));
		w->n = 0;
	}
	s->n_item_writes = 0;
}

void pg_item_writes_free(struct pg_store *s)
{
	pg_item_writes_drop(s);
	if (s->item_writes) {
		free(s->item_writes->its);
		free(s->item_writes->insert);
		free(s->item_writes);
		s->item_writes = NULL;
	}
}

enum tk_rc pg_item_writes_fill(struct pg_store *s, struct tk_error *err)
{
	struct pg_item_writes *w = s->item_writes;
	enum tk_rc rc = TK_OK;
	for (int i = 0; w && i < w->n && !rc; i++)
		rc = item_batch_row(s, w->insert[i] ? &items_new_def : &items_set_def, &w->its[i],
				    err);
	pg_item_writes_drop(s);
	return rc;
}

/* The items held back, into the pipeline (the other batches stay). */
static enum tk_rc items_send(struct pg_store *s, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = pg_item_writes_fill(s, err)) ||
	    (rc = pg_batch_send(s, PG_BATCH_ITEMS_NEW, err)) ||
	    (rc = pg_batch_send(s, PG_BATCH_ITEMS_SET, err)))
		return rc;
	return TK_OK;
}

/* Holds an item write back: the item as written replaces what is held for
 * its id (an insert stays an insert). */
static enum tk_rc item_hold(struct pg_store *s, const struct item_rec *it, bool insert,
			    struct tk_error *err)
{
	struct pg_item_writes *w = s->item_writes;
	char k[24];
	uint64_t entry;
	size_t len = ahead_id_key(it->id, k);
	if (!w && !(w = s->item_writes = calloc(1, sizeof(*w))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (strmap_find(&w->by_id, k, len, &entry)) {
		w->its[strmap_value(&w->by_id, entry) - 1] = *it;
		return TK_OK;
	}
	if (w->n == w->cap) {
		int cap = w->cap ? 2 * w->cap : 64;
		struct item_rec *its = realloc(w->its, (size_t)cap * sizeof(*its));
		if (its)
			w->its = its;
		bool *ins = its ? realloc(w->insert, (size_t)cap * sizeof(*ins)) : NULL;
		if (!ins)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		w->insert = ins;
		w->cap = cap;
	}
	if (!strmap_put(&w->by_id, k, len, w->n + 1, NULL))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	w->its[w->n] = *it;
	w->its[w->n].row.raw = NULL; /* not the caller's to keep */
	w->insert[w->n] = insert;
	s->n_item_writes = ++w->n;
	return w->n >= PG_ITEM_WRITES_MAX ? items_send(s, err) : TK_OK;
}

/* Inside a write transaction the id is handed out here and the insert
 * queued (pg_queue) or, in a bulk transaction, held back; outside one the
 * statement numbers the row itself. */
static enum tk_rc item_insert(struct store *st, struct item_rec *it, struct tk_error *err)
{
	item_written(st, it);
	struct pg_store *s = pg_of(st);
	struct pg_params p;
	char tags[ITEM_TAGS_TEXT];
	if (!pg_pipelining(s)) {
		pg_params_init(&p);
		item_params(&p, it, tags);
		return pg_int_of(s, "core.item_insert",
				 "INSERT INTO items(id, " ITEM_INSERT_COLS ") VALUES ("
				 "(SELECT coalesce(max(id), 0) + 1 FROM items), " ITEM_INSERT_VALUES
				 ") RETURNING id",
				 &p, 0, &it->id, "adding an order item", err);
	}
	int64_t id;
	enum tk_rc rc = pg_next_id(s, PG_ID_ITEMS, "core.items_newest", "SELECT max(id) FROM items",
				   &id, err);
	if (rc)
		return rc;
	it->id = id;
	if (pg_batching(s)) {
		if (!(rc = item_hold(s, it, true, err)))
			ahead_put(s, it, false);
		return rc;
	}
	pg_params_init(&p);
	item_params(&p, it, tags);
	pg_p_int(&p, id);
	return pg_queue_apart(s, "core.item_insert.queued",
			      "INSERT INTO items(" ITEM_INSERT_COLS ", id) VALUES (" ITEM_INSERT_VALUES
			      ", $41)",
			      &p, "adding an order item", NULL, err);
}

/* The whole row is written: PostgreSQL writes a new row version either
 * way, and keeps it on its page without index entries (HOT) whenever no
 * indexed column changed, which is what SQLite's state-only variant saves.
 * The row ends as `it` says, as in SQLite, whatever `was` held. */
static enum tk_rc item_update(struct store *st, const struct item_rec *was,
			      const struct item_rec *it, struct tk_error *err)
{
	(void)was;
	item_written(st, it);
	struct pg_store *s = pg_of(st);
	if (pg_batching(s)) {
		enum tk_rc rc = item_hold(s, it, false, err);
		if (!rc)
			ahead_put(s, it, false);
		return rc;
	}
	ahead_put(s, it, false);
	struct pg_params p;
	char tags[ITEM_TAGS_TEXT];
	pg_params_init(&p);
	item_params(&p, it, tags);
	pg_p_int(&p, it->id);
	return pg_queue_apart(s, "core.item_update",
		       "UPDATE items SET union_=$1, item_key=$2, order_no=$3, status=$4, "
		       "modified_at=$5, paid_at=$6, settled_at=$7, amount=$8, commission=$9, "
		       "quantity=$10, refunded=$11, product=$12, title=$13, buyer=$14, member=$15, "
		       "link=$16, channel=$17, attribution=$18, plan_version=$19, "
		       "self_purchase=$20, n_chain=$21, m1=$22, l1=$23, a1=$24, b1=$25, m2=$26, "
		       "l2=$27, a2=$28, b2=$29, m3=$30, l3=$31, a3=$32, b3=$33, platform=$34, "
		       "due_at=$35, first_seen_at=$36, last_event=$37, buyer_kind=$38, tags=$39, "
		       "seen_seq=$40 WHERE id=$41",
		       &p, "updating an order item", NULL, err);
}

static enum tk_rc item_set_money(struct store *st, const struct item_rec *it,
				 struct tk_error *err)
{
	item_written(st, it);
	struct pg_store *s = pg_of(st);
	int i = ahead_find_id(s->ahead, it->id);
	if (i >= 0) { /* what a read gives back after the statement below */
		struct item_money *m = &s->ahead->items[i].money;
		for (int k = 0; k < PLAN_MAX_TIERS; k++) {
			m->amount[k] = k < it->money.n ? it->money.amount[k] : 0;
			m->bucket[k] = k < it->money.n ? it->money.bucket[k] : (enum bucket)0;
		}
		m->platform = it->money.platform;
		m->due_at = it->money.due_at;
	}
	struct pg_params p;
	pg_params_init(&p);
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		pg_p_int(&p, k < it->money.n ? it->money.amount[k] : 0);
		pg_p_int(&p, k < it->money.n ? (int64_t)it->money.bucket[k] : 0);
	}
	pg_p_int(&p, it->money.platform);
	pg_p_int_or_null(&p, it->money.due_at);
	pg_p_int(&p, it->id);
	return pg_queue(s, "core.item_set_money",
		       "UPDATE items SET a1=$1, b1=$2, a2=$3, b2=$4, a3=$5, b3=$6, platform=$7, "
		       "due_at=$8 WHERE id=$9",
		       &p, "updating an item's money", NULL, err);
}

static enum tk_rc item_event_insert(struct store *st, int64_t prev, const struct order_row *row,
				    int64_t at, const char *note, int64_t *id,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, prev);
	pg_p_int(&p, (int64_t)row->status);
	pg_p_int(&p, row->commission);
	pg_p_int(&p, row->modified_at);
	pg_p_int(&p, at);
	pg_p_text_or_null(&p, row->raw);
	pg_p_text_or_null(&p, note);
	struct pg_store *s = pg_of(st);
	if (!pg_pipelining(s))
		return pg_int_of(s, "core.item_event_insert",
				 "INSERT INTO item_events(id, prev, status, commission, modified_at, "
				 "applied_at, raw, note) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM "
				 "item_events), $1, $2, $3, $4, $5, $6, $7) RETURNING id",
				 &p, 0, id, "recording an item event", err);
	int64_t next;
	enum tk_rc rc = pg_next_id(s, PG_ID_EVENTS, "core.item_events_newest",
				   "SELECT max(id) FROM item_events", &next, err);
	if (rc)
		return rc;
	if (pg_batching(s)) {
		static const struct pg_batch_def def = {
			PG_BATCH_EVENTS, "core.item_event_insert.batch",
			"INSERT INTO item_events(prev, status, commission, modified_at, applied_at, raw, "
			"note, id) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], "
			"$4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::bigint[])",
			"recording an item event", 8};
		if ((rc = pg_batch_row(s, &def, err)))
			return rc;
		pg_b_int(s, &def, prev);
		pg_b_int(s, &def, (int64_t)row->status);
		pg_b_int(s, &def, row->commission);
		pg_b_int(s, &def, row->modified_at);
		pg_b_int(s, &def, at);
		pg_b_text_or_null(s, &def, row->raw);
		pg_b_text_or_null(s, &def, note);
		pg_b_int(s, &def, next);
		if (!(rc = pg_batch_end(s, &def, err)))
			*id = next;
		return rc;
	}
	pg_p_int(&p, next);
	rc = pg_queue(s, "core.item_event_insert.queued",
		      "INSERT INTO item_events(prev, status, commission, modified_at, applied_at, raw, "
		      "note, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		      &p, "recording an item event", NULL, err);
	if (!rc)
		*id = next;
	return rc;
}

static enum tk_rc refund_get(struct store *st, const char *union_, const char *key,
			     int64_t *refunded, int64_t *modified_at, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, key);
	PGresult *r = pg_run_apart(pg_of(st), "core.refund_get",
			     "SELECT refunded, modified_at FROM item_refunds "
			     "WHERE union_ = $1 AND item_key = $2",
			     &p, "reading a refund", err);
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0) {
		*refunded = pg_int(r, 0, 0);
		*modified_at = pg_int(r, 0, 1);
	} else {
		rc = TK_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

/* SQLite's INSERT OR REPLACE: the newest record is the one kept. */
static enum tk_rc refund_put(struct store *st, const struct order_row *row,
			     struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, row->union_);
	pg_p_text(&p, row->item);
	pg_p_int(&p, row->refunded);
	pg_p_int(&p, row->modified_at);
	pg_p_text_or_null(&p, row->raw);
	return pg_queue_apart(pg_of(st), "core.refund_put",
		       "INSERT INTO item_refunds(union_, item_key, refunded, modified_at, raw) "
		       "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (union_, item_key) DO UPDATE SET "
		       "refunded = EXCLUDED.refunded, modified_at = EXCLUDED.modified_at, "
		       "raw = EXCLUDED.raw",
		       &p, "recording a refund", NULL, err);
}

static enum tk_rc refund_any(struct store *st, bool *any, struct tk_error *err)
{
	int64_t v = 0;
	enum tk_rc rc = pg_int_of(pg_of(st), "core.refund_any",
				  "SELECT EXISTS (SELECT 1 FROM item_refunds)::int", NULL, 0, &v,
				  "reading refunds", err);
	if (!rc)
		*any = v != 0;
	return rc;
}

struct item_walk {
	store_item_cb cb;
	void *ctx;
	struct item_rec *it; /* large: on the heap, not the stack */
};

static bool item_row(void *ctx, const PGresult *r, int row)
{
	struct item_walk *w = ctx;
	item_read(r, row, w->it);
	return w->cb(w->ctx, w->it);
}

/* Whole-table walks go through a cursor (pg_each_row). */
static enum tk_rc item_iterate(struct pg_store *s, const char *sql, const struct pg_params *p,
			       store_item_cb cb, void *ctx, struct tk_error *err)
{
	struct item_walk w = {cb, ctx, malloc(sizeof(struct item_rec))};
	if (!w.it)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = pg_each_row(s, sql, p, item_row, &w, "reading order items", err);
	free(w.it);
	return rc;
}

/* The items due come from the partial index items_due alone. */
static enum tk_rc item_due_ids(struct store *st, int64_t now, int64_t *ids, int64_t max,
			       int64_t *n, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, now);
	pg_p_int(&p, max);
	*n = 0;
	PGresult *r = pg_run(pg_of(st), "core.item_due_ids",
			     "SELECT id FROM items WHERE due_at IS NOT NULL AND due_at <= $1 LIMIT $2",
			     &p, "reading the items due", err);
	if (!r)
		return failed(err);
	int rows = PQntuples(r);
	for (int i = 0; i < rows && *n < max; i++)
		ids[(*n)++] = pg_int(r, i, 0);
	PQclear(r);
	return TK_OK;
}

static enum tk_rc item_money_get(struct store *st, int64_t id, struct item_money *m,
				 struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	PGresult *r = pg_run(pg_of(st), "core.item_money_get",
			     "SELECT " ITEM_MONEY_COLS " FROM items WHERE id = $1", &p,
			     "reading an item's money", err);
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0) {
		memset(m, 0, sizeof(*m));
		money_read(r, 0, 0, m);
	} else {
		rc = tk_fail(err, TK_ENOTFOUND, "item", "no order item #%lld", (long long)id);
	}
	PQclear(r);
	return rc;
}

static int item_id_cmp(const void *x, const void *y)
{
	const struct item_rec *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The buyer's items from the cache, when rows_ahead read every item of
 * the buyer (a complete buyer): a copy in id order in *out (NULL for none),
 * their count in *n; false when the table must be asked. */
static bool ahead_buyer_items(struct pg_store *s, const char *union_, const char *kind,
			      const char *buyer, struct item_rec **out, int *n, bool *oom)
{
	char k[AHEAD_BUYER_KEY];
	uint64_t entry;
	struct pg_item_ahead *a = s->ahead;
	*out = NULL;
	*n = 0;
	*oom = false;
	if (!a || !strmap_find(&a->complete, k, ahead_buyer_key(union_, kind, buyer, k), &entry))
		return false;
	int count = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0, j = 0; i < a->n_items; i++) {
			const struct order_row *r = &a->items[i].row;
			if (strcmp(r->buyer, buyer) || strcmp(r->buyer_kind, kind) ||
			    (kind[0] && strcmp(r->union_, union_)))
				continue;
			if (pass == 0)
				count++;
			else
				(*out)[j++] = a->items[i];
		}
		if (pass == 0 && count && !(*out = malloc((size_t)count * sizeof(**out)))) {
			*oom = true;
			return true;
		}
		if (!count)
			break;
	}
	if (count > 1)
		qsort(*out, (size_t)count, sizeof(**out), item_id_cmp);
	*n = count;
	return true;
}

/* A buyer's items are few: one prepared statement, read whole before the
 * first callback (which may run other statements) — or, for a buyer of the
 * import's chunk, the copies the cache holds. */
static enum tk_rc item_each_buyer(struct store *st, const char *union_, const char *kind,
				  const char *buyer, store_item_cb cb, void *ctx,
				  struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	struct item_rec *its = NULL;
	int n = 0;
	bool oom;
	if (!buyer[0]) /* the statement's `buyer <> ''`: nobody's items */
		return TK_OK;
	if (ahead_buyer_items(s, union_, kind, buyer, &its, &n, &oom)) {
		if (oom)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		for (int i = 0; i < n && cb(ctx, &its[i]); i++)
			;
		free(its);
		return TK_OK;
	}
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, buyer);
	pg_p_text(&p, kind);
	pg_p_text(&p, union_);
	PGresult *r = items_run(s, "core.item_each_buyer",
			     "SELECT " ITEM_COLS " FROM items WHERE buyer = $1 AND buyer <> '' AND "
			     "buyer_kind = $2 AND ($2 = '' OR union_ = $3) ORDER BY id",
			     &p, "reading order items", err);
	if (!r)
		return failed(err);
	struct item_rec *it = malloc(sizeof(*it));
	enum tk_rc rc = TK_OK;
	if (!it) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	int rows = PQntuples(r);
	for (int i = 0; i < rows; i++) {
		item_read(r, i, it);
		if (!cb(ctx, it))
			break;
	}
out:
	free(it);
	PQclear(r);
	return rc;
}

static enum tk_rc item_each_unattributed(struct store *st, int64_t since, store_item_cb cb,
					 void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, since);
	return item_iterate(pg_of(st),
			    "SELECT " ITEM_COLS " FROM items WHERE attribution = 0 AND "
			    "first_seen_at >= $1::bigint ORDER BY id",
			    &p, cb, ctx, err);
}

static enum tk_rc item_each(struct store *st, store_item_cb cb, void *ctx, struct tk_error *err)
{
	return item_iterate(pg_of(st), "SELECT " ITEM_COLS " FROM items ORDER BY id", NULL, cb, ctx,
			    err);
}

/* ---- ledger ---- */

static enum tk_rc transfer_insert(struct store *st, struct transfer *t, struct tk_error *err)
{
	assert(pg_of(st)->tx_depth >= 1); /* a bad amount is the database's to refuse */
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, t->debit);
	pg_p_int(&p, t->credit);
	pg_p_int(&p, t->amount);
	pg_p_int(&p, (int64_t)t->code);
	pg_p_int_or_null(&p, t->item);
	pg_p_int_or_null(&p, t->withdrawal);
	pg_p_int(&p, t->at);
	pg_p_int_or_null(&p, t->slot);
	struct pg_store *s = pg_of(st);
	if (!pg_pipelining(s))
		return pg_int_of(s, "core.transfer_insert",
				 "INSERT INTO transfers(id, debit, credit, amount, code, item, withdrawal, "
				 "at, slot) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM transfers), $1, $2, "
				 "$3, $4, $5, $6, $7, $8) RETURNING id",
				 &p, 0, &t->id, "posting a transfer", err);
	int64_t id;
	enum tk_rc rc = pg_next_id(s, PG_ID_TRANSFERS, "core.transfers_newest",
				   "SELECT max(id) FROM transfers", &id, err);
	if (rc)
		return rc;
	if (pg_batching(s)) {
		static const struct pg_batch_def def = {
			PG_BATCH_TRANSFERS, "core.transfer_insert.batch",
			"INSERT INTO transfers(debit, credit, amount, code, item, withdrawal, at, slot, "
			"id) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], "
			"$5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])",
			"posting a transfer", 9};
		if ((rc = pg_batch_row(s, &def, err)))
			return rc;
		pg_b_int(s, &def, t->debit);
		pg_b_int(s, &def, t->credit);
		pg_b_int(s, &def, t->amount);
		pg_b_int(s, &def, (int64_t)t->code);
		pg_b_int_or_null(s, &def, t->item);
		pg_b_int_or_null(s, &def, t->withdrawal);
		pg_b_int(s, &def, t->at);
		pg_b_int_or_null(s, &def, t->slot);
		pg_b_int(s, &def, id);
		if (!(rc = pg_batch_end(s, &def, err)))
			t->id = id;
		return rc;
	}
	pg_p_int(&p, id);
	rc = pg_queue(s, "core.transfer_insert.queued",
		      "INSERT INTO transfers(debit, credit, amount, code, item, withdrawal, at, slot, "
		      "id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		      &p, "posting a transfer", NULL, err);
	if (!rc)
		t->id = id;
	return rc;
}

struct transfer_walk {
	store_transfer_cb cb;
	void *ctx;
};

static bool transfer_row(void *ctx, const PGresult *r, int row)
{
	struct transfer_walk *w = ctx;
	struct transfer t = {
		.id = pg_int(r, row, 0),
		.debit = pg_int(r, row, 1),
		.credit = pg_int(r, row, 2),
		.amount = pg_int(r, row, 3),
		.code = (enum transfer_code)pg_int(r, row, 4),
		.item = pg_int(r, row, 5),
		.withdrawal = pg_int(r, row, 6),
		.at = pg_int(r, row, 7),
		.slot = pg_int(r, row, 8),
	};
	return w->cb(w->ctx, &t);
}

static enum tk_rc transfer_each(struct store *st, store_transfer_cb cb, void *ctx,
				struct tk_error *err)
{
	struct transfer_walk w = {cb, ctx};
	return pg_each_row(pg_of(st),
			   "SELECT id, debit, credit, amount, code, item, withdrawal, at, slot "
			   "FROM transfers ORDER BY id",
			   NULL, transfer_row, &w, "reading transfers", err);
}

/* An upsert's "col = col + delta" that yields NULL, which the column's NOT
 * NULL refuses (a constraint violation: TK_ECONFLICT from pg_fail), where
 * the sum would leave 64 bits — as sqlite.c's CHECKED_SUM does, so that
 * the caller gets the same TK_ELIMIT (bigint's own overflow error would be
 * a plain TK_EIO).  The sum is tested in numeric, which cannot overflow;
 * the delta is the row the upsert proposed (EXCLUDED). */
#define CHECKED_SUM(table, col)                                                     \
	col " = CASE WHEN " table "." col "::numeric + EXCLUDED." col                    \
	    " BETWEEN -9223372036854775808 AND 9223372036854775807 THEN " table "." col \
	    " + EXCLUDED." col " END"

/* A sum in numeric (`expr`) as a bigint, or tk_limit(msg) beyond 64 bits:
 * the batched upserts' CHECKED_SUM, which names the key that overflowed. */
#define LIMITED(expr, msg)                                                                \
	"CASE WHEN " expr " BETWEEN -9223372036854775808 AND 9223372036854775807 THEN (" expr \
	")::bigint ELSE tk_limit(" msg ") END"
/* t.col + EXCLUDED.col as a bigint, or tk_limit(msg) beyond 64 bits, by
 * comparing bigints (no sum in numeric: per row of an upsert, that cost
 * the daily statistics' batch as much as the upsert itself). */
#define ADDED(col, msg)                                                                     \
	"CASE WHEN CASE WHEN EXCLUDED." col " >= 0 THEN t." col " <= 9223372036854775807 - " \
	"EXCLUDED." col " ELSE t." col " >= (-9223372036854775807 - 1) - EXCLUDED." col      \
	" END THEN t." col " + EXCLUDED." col " ELSE tk_limit(" msg ") END"
#define BALANCE_LIMIT(t) \
	"format('the balance of account %s would go beyond the 64-bit range: refused', " t ".account)"

static enum tk_rc balance_add(struct store *st, int64_t account, int64_t delta,
			      struct tk_error *err)
{
	assert(pg_of(st)->tx_depth >= 1);
	struct pg_store *s = pg_of(st);
	if (pg_batching(s)) {
		/* the sums per account, in account order (as the engine writes
		 * them one by one): the first account beyond 64 bits is named */
		static const struct pg_batch_def plain = {
			PG_BATCH_BALANCES, "core.balance_add.batch.plain",
			"INSERT INTO balances AS t (account, balance) "
			"SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS u(account, delta) "
			"ORDER BY account ON CONFLICT (account) DO UPDATE SET balance = "
			ADDED("balance", BALANCE_LIMIT("t")),
			"updating a balance", 2};
		static const struct pg_batch_def def = {
			PG_BATCH_BALANCES, "core.balance_add.batch",
			"INSERT INTO balances AS t (account, balance) "
			"SELECT g.account, " LIMITED("g.delta", BALANCE_LIMIT("g")) " FROM "
			"(SELECT account, sum(delta) AS delta FROM unnest($1::bigint[], $2::bigint[]) "
			"AS u(account, delta) GROUP BY account) g ORDER BY g.account "
			"ON CONFLICT (account) DO UPDATE SET balance = "
			ADDED("balance", BALANCE_LIMIT("t")),
			"updating a balance", 2};
		char k[24];
		int kn = snprintf(k, sizeof(k), "%lld", (long long)account);
		enum tk_rc rc = pg_batch_row_keyed(s, &plain, &def, k, (size_t)kn, err);
		if (rc)
			return rc;
		pg_b_int(s, &def, account);
		pg_b_int(s, &def, delta);
		return pg_batch_end(s, &def, err);
	}
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, account);
	pg_p_int(&p, delta);
	char limit[PG_PIPE_LIMIT];
	snprintf(limit, sizeof(limit),
		 "the balance of account %lld would go beyond the 64-bit range: refused",
		 (long long)account);
	return pg_queue(pg_of(st), "core.balance_add",
			"INSERT INTO balances(account, balance) VALUES ($1, $2) "
			"ON CONFLICT (account) DO UPDATE SET " CHECKED_SUM("balances", "balance"),
			&p, "updating a balance", limit, err);
}

static enum tk_rc balance_get(struct store *st, int64_t account, int64_t *balance,
			      struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, account);
	return pg_int_of(pg_of(st), "core.balance_get",
			 "SELECT balance FROM balances WHERE account = $1", &p, 0, balance,
			 "reading a balance", err);
}

struct balance_walk {
	store_balance_cb cb;
	void *ctx;
};

static bool balance_row(void *ctx, const PGresult *r, int row)
{
	struct balance_walk *w = ctx;
	return w->cb(w->ctx, pg_int(r, row, 0), pg_int(r, row, 1));
}

static enum tk_rc balance_each(struct store *st, store_balance_cb cb, void *ctx,
			       struct tk_error *err)
{
	struct balance_walk w = {cb, ctx};
	return pg_each_row(pg_of(st), "SELECT account, balance FROM balances ORDER BY account",
			   NULL, balance_row, &w, "reading balances", err);
}

/* ---- withdrawals ---- */

#define WD_COLS                                                                        \
	"id, member, amount, fee, available_before, method, account, status, requested_at, " \
	"decided_at, paid_at, approved_after, payee, reason, bank, branch"

static void wd_read(const PGresult *r, int row, struct withdrawal_rec *w)
{
	memset(w, 0, sizeof(*w));
	w->id = pg_int(r, row, 0);
	w->member = pg_int(r, row, 1);
	w->amount = pg_int(r, row, 2);
	w->fee = pg_int(r, row, 3);
	w->available_before = pg_int(r, row, 4);
	pg_copy(r, row, 5, w->method, sizeof(w->method));
	pg_copy(r, row, 6, w->account, sizeof(w->account));
	w->status = (enum wd_status)pg_int(r, row, 7);
	w->requested_at = pg_int(r, row, 8);
	w->decided_at = pg_int(r, row, 9);
	w->paid_at = pg_int(r, row, 10);
	w->approved_after = pg_int(r, row, 11);
	pg_copy(r, row, 12, w->payee, sizeof(w->payee));
	pg_copy(r, row, 13, w->reason, sizeof(w->reason));
	pg_copy(r, row, 14, w->bank, sizeof(w->bank));
	pg_copy(r, row, 15, w->branch, sizeof(w->branch));
}

static enum tk_rc withdrawal_insert(struct store *st, struct withdrawal_rec *w,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, w->member);
	pg_p_int(&p, w->amount);
	pg_p_int(&p, w->fee);
	pg_p_int(&p, w->available_before);
	pg_p_text(&p, w->method);
	pg_p_text(&p, w->account);
	pg_p_int(&p, (int64_t)w->status);
	pg_p_int(&p, w->requested_at);
	pg_p_int(&p, w->decided_at);
	pg_p_int(&p, w->paid_at);
	pg_p_text(&p, w->payee);
	pg_p_text(&p, w->bank);
	pg_p_text(&p, w->branch);
	return pg_int_of(pg_of(st), "core.withdrawal_insert",
			 "INSERT INTO withdrawals(id, member, amount, fee, available_before, method, "
			 "account, status, requested_at, decided_at, paid_at, payee, bank, branch) "
			 "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM withdrawals), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
			 &p, 0, &w->id, "recording a withdrawal", err);
}

static enum tk_rc withdrawal_get(struct store *st, int64_t id, struct withdrawal_rec *w,
				 struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	PGresult *r = pg_run(pg_of(st), "core.withdrawal_get",
			     "SELECT " WD_COLS " FROM withdrawals WHERE id = $1", &p,
			     "reading a withdrawal", err);
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0)
		wd_read(r, 0, w);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "withdrawal", "no withdrawal %lld", (long long)id);
	PQclear(r);
	return rc;
}

/* Approval records where the ledger stands (its newest transfer), read in
 * the same statement, as SQLite does. */
static enum tk_rc withdrawal_update(struct store *st, const struct withdrawal_rec *w,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, (int64_t)w->status);
	pg_p_int(&p, w->decided_at);
	pg_p_int(&p, w->paid_at);
	pg_p_int(&p, w->id);
	pg_p_int(&p, WD_APPROVED);
	pg_p_text(&p, w->reason);
	return pg_exec(pg_of(st), "core.withdrawal_update",
		       "UPDATE withdrawals SET status = $1::bigint, decided_at = $2, paid_at = $3, "
		       "reason = $6, "
		       "approved_after = CASE WHEN $1::bigint = $5::bigint THEN "
		       "(SELECT coalesce(max(id), 0) FROM transfers) ELSE approved_after END "
		       "WHERE id = $4",
		       &p, "updating a withdrawal", err);
}

struct withdrawal_walk {
	store_withdrawal_cb cb;
	void *ctx;
};

static bool withdrawal_row(void *ctx, const PGresult *r, int row)
{
	struct withdrawal_walk *w = ctx;
	struct withdrawal_rec rec;
	wd_read(r, row, &rec);
	return w->cb(w->ctx, &rec);
}

static enum tk_rc withdrawal_each(struct store *st, store_withdrawal_cb cb, void *ctx,
				  struct tk_error *err)
{
	struct withdrawal_walk w = {cb, ctx};
	return pg_each_row(pg_of(st), "SELECT " WD_COLS " FROM withdrawals ORDER BY id", NULL,
			   withdrawal_row, &w, "reading withdrawals", err);
}

/* ---- reports ---- */

/* sum() of bigint is numeric in PostgreSQL: the casts back fail on a sum
 * beyond int64, as SQLite's sum() does, rather than hand over a number
 * that no longer fits. */
static enum tk_rc report_totals(struct store *st, struct report_totals *out,
				struct tk_error *err)
{
	PGresult *r = pg_run(
		pg_of(st), "core.report_totals",
		"SELECT count(*) FILTER (WHERE status <> 4), "
		" coalesce(sum(amount) FILTER (WHERE status <> 4), 0)::bigint, "
		" coalesce(sum(GREATEST(commission - refunded, 0)) FILTER (WHERE status <> 4), 0)"
		"  ::bigint, "
		" coalesce(sum(a1 + a2 + a3) FILTER (WHERE status <> 4), 0)::bigint, "
		" coalesce(sum(platform) FILTER (WHERE status <> 4), 0)::bigint, "
		" count(*) FILTER (WHERE status <> 4 AND n_chain = 0), "
		" coalesce(sum(GREATEST(commission - refunded, 0)) "
		"  FILTER (WHERE status <> 4 AND n_chain = 0), 0)::bigint, "
		" count(*) FILTER (WHERE status = 4) FROM items",
		NULL, "computing totals", err);
	if (!r)
		return failed(err);
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) == 1) {
		out->items = pg_int(r, 0, 0);
		out->gmv = pg_int(r, 0, 1);
		out->commission = pg_int(r, 0, 2);
		out->members_share = pg_int(r, 0, 3);
		out->platform_share = pg_int(r, 0, 4);
		out->unattributed_items = pg_int(r, 0, 5);
		out->unattributed_commission = pg_int(r, 0, 6);
		out->invalid_items = pg_int(r, 0, 7);
	} else {
		rc = tk_fail(err, TK_EIO, "", "database error while computing totals: no row");
	}
	PQclear(r);
	return rc;
}

#define STATS_LIMIT(t)                                                                   \
	"format('the daily statistics of day %s, key \"%s\" would go beyond the 64-bit range: " \
	"refused', " t ".day, " t ".key)"

/* Additive: safe from the click writer, which holds no writer lock, since
 * PostgreSQL's upsert adds to the row's newest version under its row lock. */
static enum tk_rc stats_add(struct store *st, int64_t day, int dim, const char *key,
			    const int64_t v[STAT_N], struct tk_error *err)
{
	_Static_assert(STAT_N == 12, "stats_add lists the statistics' columns");
	struct pg_store *s = pg_of(st);
	if (pg_batching(s)) {
		/* in key order (the engine's, and the click writer's: row locks
		 * are taken in one order); summed per key once a key came twice */
		static const struct pg_batch_def plain = {
			PG_BATCH_STATS, "core.stats_add.batch.plain",
			"INSERT INTO daily_stats AS t (day, dim, key, orders, gmv, commission, members_share, platform_share, settled_orders, settled_commission, invalid_orders, new_members, clicks, unique_clicks, link_orders) "
			"SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[]) AS u(day, dim, key, orders, gmv, commission, members_share, platform_share, settled_orders, settled_commission, invalid_orders, new_members, clicks, unique_clicks, link_orders) "
			"ORDER BY day, dim, key COLLATE \"C\" "
			"ON CONFLICT (day, dim, key) DO UPDATE SET " "orders = " ADDED("orders", STATS_LIMIT("t")) ", " "gmv = " ADDED("gmv", STATS_LIMIT("t")) ", " "commission = " ADDED("commission", STATS_LIMIT("t")) ", " "members_share = " ADDED("members_share", STATS_LIMIT("t")) ", " "platform_share = " ADDED("platform_share", STATS_LIMIT("t")) ", " "settled_orders = " ADDED("settled_orders", STATS_LIMIT("t")) ", " "settled_commission = " ADDED("settled_commission", STATS_LIMIT("t")) ", " "invalid_orders = " ADDED("invalid_orders", STATS_LIMIT("t")) ", " "new_members = " ADDED("new_members", STATS_LIMIT("t")) ", " "clicks = " ADDED("clicks", STATS_LIMIT("t")) ", " "unique_clicks = " ADDED("unique_clicks", STATS_LIMIT("t")) ", " "link_orders = " ADDED("link_orders", STATS_LIMIT("t")),
			"updating daily statistics", 15};
		static const struct pg_batch_def def = {
			PG_BATCH_STATS, "core.stats_add.batch",
			"INSERT INTO daily_stats AS t (day, dim, key, orders, gmv, commission, members_share, platform_share, settled_orders, settled_commission, invalid_orders, new_members, clicks, unique_clicks, link_orders) "
			"SELECT g.day, g.dim, g.key, " LIMITED("g.orders", STATS_LIMIT("g")) ", " LIMITED("g.gmv", STATS_LIMIT("g")) ", " LIMITED("g.commission", STATS_LIMIT("g")) ", " LIMITED("g.members_share", STATS_LIMIT("g")) ", " LIMITED("g.platform_share", STATS_LIMIT("g")) ", " LIMITED("g.settled_orders", STATS_LIMIT("g")) ", " LIMITED("g.settled_commission", STATS_LIMIT("g")) ", " LIMITED("g.invalid_orders", STATS_LIMIT("g")) ", " LIMITED("g.new_members", STATS_LIMIT("g")) ", " LIMITED("g.clicks", STATS_LIMIT("g")) ", " LIMITED("g.unique_clicks", STATS_LIMIT("g")) ", " LIMITED("g.link_orders", STATS_LIMIT("g"))
			" FROM (SELECT day, dim, key COLLATE \"C\" AS key, sum(orders) AS orders, sum(gmv) AS gmv, sum(commission) AS commission, sum(members_share) AS members_share, sum(platform_share) AS platform_share, sum(settled_orders) AS settled_orders, sum(settled_commission) AS settled_commission, sum(invalid_orders) AS invalid_orders, sum(new_members) AS new_members, sum(clicks) AS clicks, sum(unique_clicks) AS unique_clicks, sum(link_orders) AS link_orders "
			"FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[]) AS u(day, dim, key, orders, gmv, commission, members_share, platform_share, settled_orders, settled_commission, invalid_orders, new_members, clicks, unique_clicks, link_orders) "
			"GROUP BY 1, 2, 3) g ORDER BY g.day, g.dim, g.key "
			"ON CONFLICT (day, dim, key) DO UPDATE SET " "orders = " ADDED("orders", STATS_LIMIT("t")) ", " "gmv = " ADDED("gmv", STATS_LIMIT("t")) ", " "commission = " ADDED("commission", STATS_LIMIT("t")) ", " "members_share = " ADDED("members_share", STATS_LIMIT("t")) ", " "platform_share = " ADDED("platform_share", STATS_LIMIT("t")) ", " "settled_orders = " ADDED("settled_orders", STATS_LIMIT("t")) ", " "settled_commission = " ADDED("settled_commission", STATS_LIMIT("t")) ", " "invalid_orders = " ADDED("invalid_orders", STATS_LIMIT("t")) ", " "new_members = " ADDED("new_members", STATS_LIMIT("t")) ", " "clicks = " ADDED("clicks", STATS_LIMIT("t")) ", " "unique_clicks = " ADDED("unique_clicks", STATS_LIMIT("t")) ", " "link_orders = " ADDED("link_orders", STATS_LIMIT("t")),
			"updating daily statistics", 15};
		char k[256]; /* a longer key: not known, grouped */
		int kn = snprintf(k, sizeof(k), "%lld\x1f%d\x1f%s", (long long)day, dim, key);
		enum tk_rc rc = pg_batch_row_keyed(s, &plain, &def, kn >= 0 && (size_t)kn < sizeof(k) ? k : NULL,
						   kn > 0 ? (size_t)kn : 0, err);
		if (rc)
			return rc;
		pg_b_int(s, &def, day);
		pg_b_int(s, &def, dim);
		pg_b_text(s, &def, key);
		for (int i = 0; i < STAT_N; i++)
			pg_b_int(s, &def, v[i]);
		return pg_batch_end(s, &def, err);
	}
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, day);
	pg_p_int(&p, dim);
	pg_p_text(&p, key);
	for (int i = 0; i < STAT_N; i++)
		pg_p_int(&p, v[i]);
	char limit[PG_PIPE_LIMIT];
	snprintf(limit, sizeof(limit),
		 "the daily statistics of day %lld, key \"%s\" would go beyond the 64-bit "
		 "range: refused",
		 (long long)day, key);
	return pg_queue(
		pg_of(st), "core.stats_add",
		"INSERT INTO daily_stats(day, dim, key, orders, gmv, commission, members_share, "
		"platform_share, settled_orders, settled_commission, invalid_orders, new_members, "
		"clicks, unique_clicks, link_orders) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) "
		"ON CONFLICT (day, dim, key) DO UPDATE SET "
		CHECKED_SUM("daily_stats", "orders") ", "
		CHECKED_SUM("daily_stats", "gmv") ", "
		CHECKED_SUM("daily_stats", "commission") ", "
		CHECKED_SUM("daily_stats", "members_share") ", "
		CHECKED_SUM("daily_stats", "platform_share") ", "
		CHECKED_SUM("daily_stats", "settled_orders") ", "
		CHECKED_SUM("daily_stats", "settled_commission") ", "
		CHECKED_SUM("daily_stats", "invalid_orders") ", "
		CHECKED_SUM("daily_stats", "new_members") ", "
		CHECKED_SUM("daily_stats", "clicks") ", "
		CHECKED_SUM("daily_stats", "unique_clicks") ", "
		CHECKED_SUM("daily_stats", "link_orders"),
		&p, "updating daily statistics", limit, err);
}

/* The table is the catalog module's (catalog-0001, after SQLite's
 * catalog-0003); the money core adds to it on import. */
static enum tk_rc product_sales_add(struct store *st, const char *union_, const char *product,
				    int64_t orders, int64_t refunds, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, product);
	pg_p_int(&p, orders);
	pg_p_int(&p, refunds);
	struct pg_store *s = pg_of(st);
	if (pg_batching(s)) {
		static const struct pg_batch_def plain = {
			PG_BATCH_SALES, "core.product_sales_add.batch.plain",
			"INSERT INTO product_sales AS t (union_, product, orders, refunds) "
			"SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) "
			"AS x(u, p, o, r) ORDER BY u COLLATE \"C\", p COLLATE \"C\" "
			"ON CONFLICT (union_, product) DO UPDATE SET "
			"orders = t.orders + EXCLUDED.orders, refunds = t.refunds + EXCLUDED.refunds",
			"updating a product's sales", 4};
		static const struct pg_batch_def def = {
			PG_BATCH_SALES, "core.product_sales_add.batch",
			"INSERT INTO product_sales AS t (union_, product, orders, refunds) "
			"SELECT u COLLATE \"C\", p COLLATE \"C\", sum(o)::bigint, sum(r)::bigint "
			"FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS x(u, p, o, r) "
			"GROUP BY 1, 2 ORDER BY 1, 2 ON CONFLICT (union_, product) DO UPDATE SET "
			"orders = t.orders + EXCLUDED.orders, refunds = t.refunds + EXCLUDED.refunds",
			"updating a product's sales", 4};
		char k[256]; /* a longer key: not known, grouped */
		int kn = snprintf(k, sizeof(k), "%s\x1f%s", union_, product);
		enum tk_rc rc = pg_batch_row_keyed(s, &plain, &def,
						   kn >= 0 && (size_t)kn < sizeof(k) ? k : NULL,
						   kn > 0 ? (size_t)kn : 0, err);
		if (rc)
			return rc;
		pg_b_text(s, &def, union_);
		pg_b_text(s, &def, product);
		pg_b_int(s, &def, orders);
		pg_b_int(s, &def, refunds);
		return pg_batch_end(s, &def, err);
	}
	return pg_queue(pg_of(st), "core.product_sales_add",
		       "INSERT INTO product_sales(union_, product, orders, refunds) "
		       "VALUES ($1, $2, $3, $4) ON CONFLICT (union_, product) DO UPDATE SET "
		       "orders = product_sales.orders + EXCLUDED.orders, "
		       "refunds = product_sales.refunds + EXCLUDED.refunds",
		       &p, "updating a product's sales", NULL, err);
}

const struct store_ops pg_core_ops = {
	.close = pg_close,
	.tx_begin = pg_tx_begin,
	.tx_begin_read = pg_tx_begin_read,
	.tx_commit = pg_tx_commit,
	.tx_rollback = pg_tx_rollback,
	.changes_since = changes_since,
	.changes_newest = changes_newest,
	.changes_prune = changes_prune,
	.plan_insert = plan_insert,
	.plan_get = plan_get,
	.plan_each = plan_each,
	.member_insert = member_insert,
	.member_get = member_get,
	.member_get_id = member_get_id,
	.member_each = member_each,
	.member_set_level = member_set_level,
	.member_counts_add = member_counts_add,
	.member_counts_set = member_counts_set,
	.binding_get = binding_get,
	.binding_put = binding_put,
	.item_get = item_get,
	.item_get_id = item_get_id,
	.item_each_buyer = item_each_buyer,
	.item_each_unattributed = item_each_unattributed,
	.item_insert = item_insert,
	.item_update = item_update,
	.item_event_insert = item_event_insert,
	.item_set_money = item_set_money,
	.refund_get = refund_get,
	.refund_put = refund_put,
	.refund_any = refund_any,
	.item_due_ids = item_due_ids,
	.item_money_get = item_money_get,
	.item_each = item_each,
	.transfer_insert = transfer_insert,
	.transfer_each = transfer_each,
	.balance_add = balance_add,
	.balance_get = balance_get,
	.balance_each = balance_each,
	.withdrawal_insert = withdrawal_insert,
	.withdrawal_get = withdrawal_get,
	.withdrawal_update = withdrawal_update,
	.withdrawal_each = withdrawal_each,
	.report_totals = report_totals,
	.stats_add = stats_add,
	.product_sales_add = product_sales_add,
	.rows_ahead = rows_ahead,
};

/* pg_actions.c — PostgreSQL: the action log's table (append-only by
 * trigger, as the ledger's transfers are), its insert and its filtered
 * listing newest first; the SQLite twin is sqlite_actions.c, whose rows
 * and order these match. */
#include <string.h>

#include "store/action_store.h"
#include "store/pg_internal.h"

const struct pg_migration pg_migrations_actions[] = {
	{"actions-0001",
	 "CREATE TABLE actions ("
	 " id BIGINT PRIMARY KEY,"
	 " at BIGINT NOT NULL,"
	 " actor TEXT COLLATE \"C\" NOT NULL CHECK (actor <> ''),"
	 " role TEXT NOT NULL DEFAULT '',"
	 " source TEXT NOT NULL DEFAULT '',"
	 " what TEXT COLLATE \"C\" NOT NULL CHECK (what <> ''),"
	 " subject TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	 " before_json TEXT NOT NULL DEFAULT 'null',"
	 " after_json TEXT NOT NULL DEFAULT 'null',"
	 " reason TEXT NOT NULL DEFAULT '',"
	 " request_id TEXT NOT NULL DEFAULT '');"
	 "CREATE INDEX actions_at ON actions(at, id);"
	 "CREATE INDEX actions_subject ON actions(subject, id);"
	 "CREATE INDEX actions_actor ON actions(actor, id);"
	 /* refused as a constraint violation (TK_ECONFLICT), like SQLite's
	  * RAISE(ABORT) and the transfers' triggers */
	 "CREATE FUNCTION tk_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
	 " BEGIN RAISE EXCEPTION 'the action log is append-only'"
	 "  USING ERRCODE = 'integrity_constraint_violation'; END $$;"
	 "CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions"
	 " FOR EACH ROW EXECUTE FUNCTION tk_actions_append_only();"
	 "CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions"
	 " FOR EACH ROW EXECUTE FUNCTION tk_actions_append_only();"
	 "CREATE TRIGGER actions_no_truncate BEFORE TRUNCATE ON actions"
	 " FOR EACH STATEMENT EXECUTE FUNCTION tk_actions_append_only();"},
	{NULL, NULL},
};

#define NO_LIMIT 9000000000000000000LL

static enum tk_rc action_insert(struct store *st, struct action_rec *a, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, a->at);
	pg_p_text(&p, a->actor);
	pg_p_text(&p, a->role);
	pg_p_text(&p, a->source);
	pg_p_text(&p, a->what);
	pg_p_text(&p, a->subject);
	pg_p_text(&p, a->before[0] ? a->before : "null");
	pg_p_text(&p, a->after[0] ? a->after : "null");
	pg_p_text(&p, a->reason);
	pg_p_text(&p, a->request);
	/* ids as SQLite hands them out (newest + 1, none lost to a rollback):
	 * writers hold the writer lock, so nobody inserts meanwhile */
	int64_t id = 0;
	enum tk_rc rc = pg_int_of(
		pg_of(st), "actions.insert",
		"INSERT INTO actions(id, at, actor, role, source, what, subject, before_json,"
		" after_json, reason, request_id)"
		" SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10"
		" FROM actions RETURNING id",
		&p, 0, &id, "writing the action log", err);
	if (!rc)
		a->id = id;
	return rc;
}

struct action_walk {
	store_action_cb cb;
	void *ctx;
};

static bool action_row(void *ctx, const PGresult *r, int row)
{
	struct action_walk *w = ctx;
	struct action_rec a;
	a.id = pg_int(r, row, 0);
	a.at = pg_int(r, row, 1);
	pg_copy(r, row, 2, a.actor, sizeof(a.actor));
	pg_copy(r, row, 3, a.role, sizeof(a.role));
	pg_copy(r, row, 4, a.source, sizeof(a.source));
	pg_copy(r, row, 5, a.what, sizeof(a.what));
	pg_copy(r, row, 6, a.subject, sizeof(a.subject));
	pg_copy(r, row, 7, a.before, sizeof(a.before));
	pg_copy(r, row, 8, a.after, sizeof(a.after));
	pg_copy(r, row, 9, a.reason, sizeof(a.reason));
	pg_copy(r, row, 10, a.request, sizeof(a.request));
	return w->cb(w->ctx, &a);
}

static enum tk_rc action_each(struct store *st, const struct action_filter *f, int64_t limit,
			      store_action_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct action_walk w = {cb, ctx};
	pg_params_init(&p);
	pg_p_int(&p, f->from);
	pg_p_int(&p, f->to);
	pg_p_text_or_null(&p, f->actor);
	pg_p_text_or_null(&p, f->what);
	pg_p_text_or_null(&p, f->subject);
	pg_p_int(&p, f->before);
	pg_p_int(&p, limit > 0 ? limit : NO_LIMIT);
	return pg_each_row(pg_of(st),
			   "SELECT id, at, actor, role, source, what, subject, before_json,"
			   " after_json, reason, request_id FROM actions"
			   " WHERE ($1::bigint = 0 OR at >= $1) AND ($2::bigint = 0 OR at <= $2)"
			   " AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR what = $4)"
			   " AND ($5::text IS NULL OR subject = $5) AND ($6::bigint = 0 OR id < $6)"
			   " ORDER BY id DESC LIMIT $7",
			   &p, action_row, &w, "reading the action log", err);
}

const struct action_store_ops pg_action_ops = {
	.action_insert = action_insert,
	.action_each = action_each,
};

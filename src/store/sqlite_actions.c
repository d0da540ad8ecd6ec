/* sqlite_actions.c — SQLite: the action log's table (append-only by
 * trigger, as the ledger's transfers are), its insert and its filtered
 * listing newest first (action_store.h says what each answers). */
#include <string.h>

#include "store/action_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_actions[] = {
	{"actions-0001",
	 "CREATE TABLE actions ("
	 " id INTEGER PRIMARY KEY,"
	 " at INTEGER NOT NULL,"
	 " actor TEXT NOT NULL CHECK (actor <> ''),"
	 " role TEXT NOT NULL DEFAULT '',"
	 " source TEXT NOT NULL DEFAULT '',"
	 " what TEXT NOT NULL CHECK (what <> ''),"
	 " subject TEXT NOT NULL DEFAULT '',"
	 " before_json TEXT NOT NULL DEFAULT 'null',"
	 " after_json TEXT NOT NULL DEFAULT 'null',"
	 " reason TEXT NOT NULL DEFAULT '',"
	 " request_id TEXT NOT NULL DEFAULT '');"
	 /* listings by time, and by whom or what an entry is about */
	 "CREATE INDEX actions_at ON actions(at, id);"
	 "CREATE INDEX actions_subject ON actions(subject, id);"
	 "CREATE INDEX actions_actor ON actions(actor, id);"
	 "CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions"
	 " BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;"
	 "CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions"
	 " BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;"},
	{NULL, NULL},
};

enum { S_ACTION_INSERT, S_ACTION_EACH, S_ACTIONS_N_ };
_Static_assert(S_ACTIONS_N_ <= SQLITE_STMT_SLOTS, "too many action statements");

#define NO_LIMIT 9000000000000000000LL

static enum tk_rc action_insert(struct store *st, struct action_rec *a, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->actions[S_ACTION_INSERT],
		"INSERT INTO actions(at, actor, role, source, what, subject, before_json,"
		" after_json, reason, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, a->at);
	sqlite3_bind_text(q, 2, a->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, a->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, a->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, a->what, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, a->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, a->before[0] ? a->before : "null", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, a->after[0] ? a->after : "null", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, a->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, a->request, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "writing the action log", err);
	if (!rc)
		a->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

struct action_walk {
	store_action_cb cb;
	void *ctx;
};

static bool action_row(void *ctx, sqlite3_stmt *q)
{
	struct action_walk *w = ctx;
	struct action_rec a;
	a.id = sqlite3_column_int64(q, 0);
	a.at = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, a.actor, sizeof(a.actor));
	sqlite_column_copy(q, 3, a.role, sizeof(a.role));
	sqlite_column_copy(q, 4, a.source, sizeof(a.source));
	sqlite_column_copy(q, 5, a.what, sizeof(a.what));
	sqlite_column_copy(q, 6, a.subject, sizeof(a.subject));
	sqlite_column_copy(q, 7, a.before, sizeof(a.before));
	sqlite_column_copy(q, 8, a.after, sizeof(a.after));
	sqlite_column_copy(q, 9, a.reason, sizeof(a.reason));
	sqlite_column_copy(q, 10, a.request, sizeof(a.request));
	return w->cb(w->ctx, &a);
}

static enum tk_rc action_each(struct store *st, const struct action_filter *f, int64_t limit,
			      store_action_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->actions[S_ACTION_EACH],
		"SELECT id, at, actor, role, source, what, subject, before_json, after_json,"
		" reason, request_id FROM actions"
		" WHERE (?1 = 0 OR at >= ?1) AND (?2 = 0 OR at <= ?2)"
		" AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR what = ?4)"
		" AND (?5 IS NULL OR subject = ?5) AND (?6 = 0 OR id < ?6)"
		" ORDER BY id DESC LIMIT ?7",
		err);
	if (!q)
		return TK_EIO;
	struct action_walk w = {cb, ctx};
	sqlite3_bind_int64(q, 1, f->from);
	sqlite3_bind_int64(q, 2, f->to);
	sqlite_bind_text_or_null(q, 3, f->actor);
	sqlite_bind_text_or_null(q, 4, f->what);
	sqlite_bind_text_or_null(q, 5, f->subject);
	sqlite3_bind_int64(q, 6, f->before);
	sqlite3_bind_int64(q, 7, limit > 0 ? limit : NO_LIMIT);
	return sqlite_each_row(s, q, action_row, &w, "reading the action log", err);
}

const struct action_store_ops sqlite_action_ops = {
	.action_insert = action_insert,
	.action_each = action_each,
};

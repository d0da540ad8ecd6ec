/* sqlite_feeds.c — SQLite storage for union feeds: tags and sync cursors. */
#include <string.h>

#include "store/feed_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_feeds[] = {
	{"feeds-0001",
	 "CREATE TABLE tags ("
	 " union_ TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " created_at INTEGER NOT NULL,"
	 " PRIMARY KEY (union_, kind, value)) WITHOUT ROWID;"
	 "CREATE INDEX tags_member ON tags(member);"},
	/* One row per union and stream: how far its sync has applied. */
	{"feeds-0002",
	 "CREATE TABLE sync_cursors ("
	 " union_ TEXT NOT NULL, stream TEXT NOT NULL,"
	 " applied_to INTEGER NOT NULL," /* update time, unix seconds */
	 " updated_at INTEGER NOT NULL,"
	 " PRIMARY KEY (union_, stream)) WITHOUT ROWID;"
	 /* Union rows sync could not apply, with the union's text of them. */
	 "CREATE TABLE sync_rejects ("
	 " id INTEGER PRIMARY KEY,"
	 " union_ TEXT NOT NULL, item TEXT NOT NULL,"
	 " window_from INTEGER NOT NULL, window_to INTEGER NOT NULL,"
	 " error TEXT NOT NULL, raw TEXT, at INTEGER NOT NULL);"},
	/* a tag registered to a chat group carries the group's channel key */
	{"feeds-0003",
	 "ALTER TABLE tags ADD COLUMN channel TEXT NOT NULL DEFAULT '';"
	 "CREATE INDEX tags_channel ON tags(channel) WHERE channel <> '';"},
	{NULL, NULL},
};

enum {
	S_TAG_LOOKUP,
	S_TAG_SET,
	S_TAG_DELETE,
	S_TAG_EACH_ALL,
	S_TAG_EACH_UNION,
	S_CURSOR_GET,
	S_CURSOR_SET,
	S_REJECT_INSERT,
	S_REJECT_EACH_ALL,
	S_REJECT_EACH_UNION,
};

static enum tk_rc tag_lookup(struct store *st, const char *union_, const char *kind,
			     const char *value, int64_t *member, char channel[ORDER_KEY_MAX],
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[S_TAG_LOOKUP],
		"SELECT member, channel FROM tags WHERE union_=? AND kind=? AND value=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, value, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc out = sqlite_step_one(s, q, &found, "looking up a tag", err);
	if (!out && found) {
		*member = sqlite3_column_int64(q, 0);
		if (channel)
			sqlite_column_copy(q, 1, channel, ORDER_KEY_MAX);
	} else if (!out)
		out = tk_fail(err, TK_ENOTFOUND, "tag", "unknown %s tag %s=%s", union_, kind, value);
	sqlite3_reset(q);
	return out;
}

static enum tk_rc tag_set(struct store *st, const char *union_, const char *kind,
			  const char *value, int64_t member, const char *channel, int64_t at,
			  int64_t *previous, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	int64_t prev = 0;
	enum tk_rc rc = tag_lookup(st, union_, kind, value, &prev, NULL, err);
	if (rc != TK_OK && rc != TK_ENOTFOUND)
		return rc;
	*previous = rc == TK_OK ? prev : 0;
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[S_TAG_SET],
		"INSERT INTO tags(union_, kind, value, member, created_at, channel)"
		" VALUES (?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (union_, kind, value) DO UPDATE SET member=excluded.member,"
		" created_at=excluded.created_at, channel=excluded.channel",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, member);
	sqlite3_bind_int64(q, 5, at);
	sqlite3_bind_text(q, 6, channel ? channel : "", -1, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "registering a tag", err);
}

static enum tk_rc tag_delete(struct store *st, const char *union_, const char *kind,
			     const char *value, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->feeds[S_TAG_DELETE],
				      "DELETE FROM tags WHERE union_=? AND kind=? AND value=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, value, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "removing a tag", err);
	if (rc == TK_OK && sqlite3_changes(s->db) == 0)
		rc = tk_fail(err, TK_ENOTFOUND, "tag", "no %s tag %s=%s is registered", union_, kind,
			     value);
	return rc;
}

struct tag_rows {
	store_tag_cb cb;
	void *ctx;
};

static bool tag_row(void *ctx, sqlite3_stmt *q)
{
	struct tag_rows *w = ctx;
	struct tag_rec t;
	sqlite_column_copy(q, 0, t.union_, sizeof(t.union_));
	sqlite_column_copy(q, 1, t.kind, sizeof(t.kind));
	sqlite_column_copy(q, 2, t.value, sizeof(t.value));
	t.member = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, t.member_ext, sizeof(t.member_ext));
	t.created_at = sqlite3_column_int64(q, 5);
	sqlite_column_copy(q, 6, t.channel, sizeof(t.channel));
	return w->cb(w->ctx, &t);
}

static enum tk_rc tag_each(struct store *st, const char *union_, store_tag_cb cb, void *ctx,
			   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	bool all = !union_[0];
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[all ? S_TAG_EACH_ALL : S_TAG_EACH_UNION],
		all ? "SELECT t.union_, t.kind, t.value, t.member, m.ext, t.created_at, t.channel"
		      " FROM tags t JOIN members m ON m.id = t.member"
		      " ORDER BY t.union_, t.kind, t.value"
		    : "SELECT t.union_, t.kind, t.value, t.member, m.ext, t.created_at, t.channel"
		      " FROM tags t JOIN members m ON m.id = t.member WHERE t.union_ = ?"
		      " ORDER BY t.union_, t.kind, t.value",
		err);
	if (!q)
		return TK_EIO;
	if (!all)
		sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	struct tag_rows w = {cb, ctx};
	enum tk_rc out = sqlite_each_row(s, q, tag_row, &w, "listing tags", err);
	sqlite3_clear_bindings(q);
	return out;
}

static enum tk_rc cursor_get(struct store *st, const char *union_, const char *stream,
			     int64_t *at, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[S_CURSOR_GET],
		"SELECT applied_to FROM sync_cursors WHERE union_=? AND stream=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, stream, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	enum tk_rc out = TK_OK;
	*at = 0;
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_int64(q, 0);
	else if (rc != SQLITE_DONE)
		out = sqlite_fail(s, err, "reading a sync cursor");
	sqlite3_reset(q);
	return out;
}

static enum tk_rc cursor_set(struct store *st, const char *union_, const char *stream,
			     int64_t at, int64_t now, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[S_CURSOR_SET],
		"INSERT INTO sync_cursors(union_, stream, applied_to, updated_at) VALUES (?, ?, ?, ?)"
		" ON CONFLICT (union_, stream) DO UPDATE SET applied_to=excluded.applied_to,"
		" updated_at=excluded.updated_at",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, stream, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, at);
	sqlite3_bind_int64(q, 4, now);
	return sqlite_exec_stmt(s, q, "writing a sync cursor", err);
}

static enum tk_rc sync_reject_insert(struct store *st, const struct sync_reject_rec *r,
				     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[S_REJECT_INSERT],
		"INSERT INTO sync_rejects(union_, item, window_from, window_to, error, raw, at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, r->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->item, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, r->window_from);
	sqlite3_bind_int64(q, 4, r->window_to);
	sqlite3_bind_text(q, 5, r->error, -1, SQLITE_STATIC);
	if (r->raw)
		sqlite3_bind_text(q, 6, r->raw, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 6);
	sqlite3_bind_int64(q, 7, r->at);
	return sqlite_exec_stmt(s, q, "recording a refused union row", err);
}

struct reject_rows {
	store_sync_reject_cb cb;
	void *ctx;
};

static bool reject_row(void *ctx, sqlite3_stmt *q)
{
	struct reject_rows *w = ctx;
	struct sync_reject_rec r;
	r.id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, r.union_, sizeof(r.union_));
	sqlite_column_copy(q, 2, r.item, sizeof(r.item));
	r.window_from = sqlite3_column_int64(q, 3);
	r.window_to = sqlite3_column_int64(q, 4);
	sqlite_column_copy(q, 5, r.error, sizeof(r.error));
	r.raw = (const char *)sqlite3_column_text(q, 6);
	r.at = sqlite3_column_int64(q, 7);
	return w->cb(w->ctx, &r);
}

static enum tk_rc sync_reject_each(struct store *st, const char *union_,
				   store_sync_reject_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	bool all = !union_[0];
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->feeds[all ? S_REJECT_EACH_ALL : S_REJECT_EACH_UNION],
		all ? "SELECT id, union_, item, window_from, window_to, error, raw, at"
		      " FROM sync_rejects ORDER BY id"
		    : "SELECT id, union_, item, window_from, window_to, error, raw, at"
		      " FROM sync_rejects WHERE union_ = ? ORDER BY id",
		err);
	if (!q)
		return TK_EIO;
	if (!all)
		sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	struct reject_rows w = {cb, ctx};
	enum tk_rc out = sqlite_each_row(s, q, reject_row, &w, "listing refused union rows", err);
	sqlite3_clear_bindings(q);
	return out;
}

const struct feed_store_ops sqlite_feed_ops = {
	.tag_lookup = tag_lookup,
	.tag_set = tag_set,
	.tag_delete = tag_delete,
	.tag_each = tag_each,
	.cursor_get = cursor_get,
	.cursor_set = cursor_set,
	.sync_reject_insert = sync_reject_insert,
	.sync_reject_each = sync_reject_each,
};

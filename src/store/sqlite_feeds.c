/* sqlite_feeds.c — SQLite storage for union feeds: tags and sync cursors. */
#include "store/feed_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_feeds[] = {
	{"feeds-0001",
	 "CREATE TABLE tags ("
	 " union_ TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " created_at INTEGER NOT NULL,"
	 " PRIMARY KEY (union_, kind, value)) WITHOUT ROWID;"},
	{NULL, NULL},
};

enum { S_TAG_LOOKUP };

static enum tk_rc tag_lookup(struct store *st, const char *union_, const char *kind,
			     const char *value, int64_t *member, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->feeds[S_TAG_LOOKUP],
				      "SELECT member FROM tags WHERE union_=? AND kind=? AND value=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	enum tk_rc out = TK_OK;
	if (rc == SQLITE_ROW)
		*member = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_DONE)
		out = tk_fail(err, TK_ENOTFOUND, "tag", "unknown %s tag %s=%s", union_, kind, value);
	else
		out = sqlite_fail(s, err, "looking up a tag");
	sqlite3_reset(q);
	return out;
}

const struct feed_store_ops sqlite_feed_ops = {
	.tag_lookup = tag_lookup,
};

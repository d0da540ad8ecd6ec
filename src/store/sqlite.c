/* sqlite.c — the embedded SQLite backend of the store interface.
 *
 * WAL mode with synchronous=FULL: a committed transaction survives a power
 * cut.  Every statement is prepared once and cached in a slot.  Writers use
 * BEGIN IMMEDIATE so that two processes never interleave a read-check-write
 * (two withdrawals can never spend the same money). */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/catalog_store.h"
#include "store/feed_store.h"
#include "store/group_store.h"
#include "store/action_store.h"
#include "store/statement_store.h"
#include "store/channel_store.h"
#include "store/campaign_order_store.h"
#include "store/promo_store.h"
#include "store/growth_store.h"
#include "store/item_tags.h"
#include "store/server_store.h"
#include "store/sqlite_internal.h"

/* Statement slots of the core module (struct sqlite_store.core). */
enum {
	S_PLAN_INSERT, S_PLAN_GET, S_PLAN_LATEST, S_PLAN_EACH,
	S_MEMBER_INSERT, S_MEMBER_GET, S_MEMBER_GET_ID, S_MEMBER_EACH, S_MEMBER_LEVEL,
	S_MEMBER_COUNTS, S_MEMBER_COUNTS_SET,
	S_BINDING_GET, S_BINDING_INSERT,
	S_REFUND_GET, S_REFUND_PUT, S_REFUND_ANY, S_ITEM_MONEY, S_ITEM_GET_ID, S_DATA_VERSION,
	S_ITEM_GET, S_ITEM_INSERT, S_ITEM_UPDATE, S_ITEM_UPDATE_STATE, S_ITEM_EVENT, S_ITEM_DUE,
	S_ITEM_MONEY_GET, S_ITEM_EACH, S_ITEM_BUYER, S_ITEM_UNATTRIBUTED,
	S_TRANSFER_INSERT, S_TRANSFER_EACH,
	S_BALANCE_ADD, S_BALANCE_GET, S_BALANCE_EACH,
	S_WD_INSERT, S_WD_GET, S_WD_UPDATE, S_WD_EACH,
	S_TOTALS, S_STATS_ADD, S_PRODUCT_SALES_ADD,
	S_CHANGES_SINCE, S_CHANGES_NEWEST, S_CHANGES_PRUNE,
	S_COUNT_
};

/* ---- shared helpers ---- */

sqlite3_stmt *sqlite_stmt(struct sqlite_store *s, sqlite3_stmt **slot, const char *sql,
			  struct tk_error *err)
{
	if (!*slot && sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) !=
			      SQLITE_OK) {
		sqlite_fail(s, err, "preparing a statement");
		*slot = NULL;
	}
	return *slot;
}

enum tk_rc sqlite_fail(struct sqlite_store *s, struct tk_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	enum tk_rc rc = (code & 0xff) == SQLITE_CONSTRAINT ? TK_ECONFLICT
			: (code & 0xff) == SQLITE_BUSY	   ? TK_EBUSY
							   : TK_EIO;
	return tk_fail(err, rc, "", "database error while %s: %s", what, sqlite3_errmsg(s->db));
}

enum tk_rc sqlite_exec_stmt(struct sqlite_store *s, sqlite3_stmt *stmt, const char *what,
			    struct tk_error *err)
{
	int rc = sqlite3_step(stmt);
	enum tk_rc out = rc == SQLITE_DONE || rc == SQLITE_ROW ? TK_OK : sqlite_fail(s, err, what);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return out;
}

enum tk_rc sqlite_step_one(struct sqlite_store *s, sqlite3_stmt *q, bool *found,
			   const char *what, struct tk_error *err)
{
	int rc = sqlite3_step(q);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return TK_OK;
	enum tk_rc out = sqlite_fail(s, err, what);
	sqlite3_reset(q);
	return out;
}

enum tk_rc sqlite_each_row(struct sqlite_store *s, sqlite3_stmt *q,
			   bool (*row)(void *ctx, sqlite3_stmt *q), void *ctx, const char *what,
			   struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (!row(ctx, q))
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, what);
	sqlite3_reset(q);
	return rc;
}

void sqlite_bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, idx);
}

void sqlite_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);
	int n = sqlite3_column_bytes(stmt, col);
	if (!t || size == 0) {
		if (size)
			buf[0] = '\0';
		return;
	}
	size_t len = (size_t)n < size - 1 ? (size_t)n : size - 1;
	memcpy(buf, t, len);
	buf[len] = '\0';
}

static enum tk_rc exec_sql(struct sqlite_store *s, const char *sql, const char *what,
			   struct tk_error *err)
{
	char *msg = NULL;
	int code = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (code != SQLITE_OK) {
		/* busy: another writer kept the lock past the wait (busy_wait) */
		enum tk_rc rc = tk_fail(err, (code & 0xff) == SQLITE_BUSY ? TK_EBUSY : TK_EIO, "",
					"database error while %s: %s", what, msg ? msg : "unknown");
		sqlite3_free(msg);
		return rc;
	}
	return TK_OK;
}

/* ---- the item key cache ---- */

/* Lookups before the keys are worth loading; TUIKE_ITEM_CACHE_AFTER
 * overrides it (0 turns the cache off). */
#define ITEM_KEYS_AFTER 10000

static size_t item_key(char *buf, size_t size, const char *union_, const char *key)
{
	int n = snprintf(buf, size, "%s\x1f%s", union_, key);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static void item_keys_drop(struct sqlite_store *s)
{
	strmap_free(&s->item_keys);
	s->item_keys_loaded = false;
	s->item_lookups = 0;
}

static int64_t data_version(struct sqlite_store *s)
{
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_DATA_VERSION], "PRAGMA data_version", NULL);
	int64_t v = -1;
	if (q && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	if (q)
		sqlite3_reset(q);
	return v;
}

/* Loads every item key; on any failure the cache simply stays off. */
static void item_keys_load(struct sqlite_store *s)
{
	sqlite3_stmt *q = NULL;
	char k[2 * ORDER_KEY_MAX];
	if (sqlite3_prepare_v2(s->db, "SELECT id, union_, item_key FROM items", -1, &q, NULL) !=
	    SQLITE_OK)
		return;
	s->data_version = data_version(s);
	bool ok = s->data_version >= 0;
	while (ok && sqlite3_step(q) == SQLITE_ROW) {
		size_t n = item_key(k, sizeof(k), (const char *)sqlite3_column_text(q, 1),
				    (const char *)sqlite3_column_text(q, 2));
		ok = strmap_put(&s->item_keys, k, n, sqlite3_column_int64(q, 0), NULL);
	}
	sqlite3_finalize(q);
	if (ok)
		s->item_keys_loaded = true;
	else
		item_keys_drop(s);
}

/* ---- transactions ---- */

/* How long a writer waits for another's write lock before TK_EBUSY. */
#define BUSY_WAIT_MS 10000
#define BUSY_POLL_MS 2

/* The busy handler: polls the lock every BUSY_POLL_MS for BUSY_WAIT_MS.
 * SQLite's own (busy_timeout) sleeps up to 100 ms between tries, so a
 * writer that commits and begins again at once (an import, batch after
 * batch) would win every race against it; polled this often, a waiter
 * gets the lock in the short pause an import makes between batches. */
static int busy_wait(void *ctx, int tries)
{
	(void)ctx;
	if ((int64_t)tries * BUSY_POLL_MS >= BUSY_WAIT_MS)
		return 0;
	struct timespec ts = {0, BUSY_POLL_MS * 1000000L};
	nanosleep(&ts, NULL);
	return 1;
}

static enum tk_rc tx_begin(struct store *st, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	if (s->tx_depth++ > 0)
		return tk_fail(err, TK_EIO, "", "nested transaction");
	enum tk_rc rc = exec_sql(s, "BEGIN IMMEDIATE", "starting a transaction", err);
	if (rc)
		s->tx_depth = 0;
	else if (s->item_keys_loaded && data_version(s) != s->data_version)
		item_keys_drop(s); /* another connection committed */
	return rc;
}

/* A read transaction: a deferred BEGIN, whose first read takes a WAL
 * snapshot.  It takes no lock a writer holds, so it never waits for one
 * (a long import included), and it sees one committed state throughout. */
static enum tk_rc tx_begin_read(struct store *st, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	if (s->tx_depth++ > 0)
		return tk_fail(err, TK_EIO, "", "nested transaction");
	enum tk_rc rc = exec_sql(s, "BEGIN DEFERRED", "starting a read transaction", err);
	if (rc)
		s->tx_depth = 0;
	return rc;
}

static enum tk_rc tx_commit(struct store *st, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	enum tk_rc rc = exec_sql(s, "COMMIT", "committing", err);
	if (rc) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		item_keys_drop(s);
	}
	s->tx_depth = 0;
	return rc;
}

static void tx_rollback(struct store *st)
{
	struct sqlite_store *s = sqlite_of(st);
	if (s->tx_depth > 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->tx_depth = 0;
	item_keys_drop(s); /* it may hold rows that were just rolled back */
}

/* ---- the change log ---- */

struct change_row {
	int64_t seq, id;
	int what;
};

static enum tk_rc changes_newest(struct store *st, int64_t *seq, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_CHANGES_NEWEST],
				      "SELECT coalesce(max(seq), 0) FROM changes", err);
	if (!q)
		return TK_EIO;
	int step = sqlite3_step(q);
	*seq = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return step == SQLITE_ROW ? TK_OK : sqlite_fail(s, err, "reading the change log");
}

/* The rows are read whole by one statement (one snapshot) before any is
 * handed over, since the callback reads the database itself. */
static enum tk_rc changes_since(struct store *st, int64_t after, int64_t max,
				store_change_cb cb, void *ctx, int64_t *upto, bool *whole,
				struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	assert(max > 0 && after >= 0);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_CHANGES_SINCE],
				      "SELECT seq, what, id FROM changes WHERE seq > ? ORDER BY seq "
				      "LIMIT ?",
				      err);
	if (!q)
		return TK_EIO;
	/* grown as rows come: the usual answer is none, or a few */
	struct change_row *rows = NULL;
	int64_t n = 0, cap = 0;
	int step;
	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_int64(q, 2, max + 1);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t c = cap ? 2 * cap : 64;
			struct change_row *r = realloc(rows, (size_t)c * sizeof(*r));
			if (!r) {
				sqlite3_reset(q);
				free(rows);
				return tk_fail(err, TK_ENOMEM, "", "out of memory for the change log");
			}
			rows = r;
			cap = c;
		}
		rows[n].seq = sqlite3_column_int64(q, 0);
		rows[n].what = sqlite3_column_int(q, 1);
		rows[n++].id = sqlite3_column_int64(q, 2);
	}
	sqlite3_reset(q);
	enum tk_rc rc = step == SQLITE_DONE ? TK_OK : sqlite_fail(s, err, "reading the change log");
	*whole = false;
	*upto = after;
	/* numbers are contiguous: a hole after `after` is a prune */
	if (!rc && n > 0 && (n > max || rows[0].seq != after + 1)) {
		*whole = true;
		rc = changes_newest(st, upto, err);
	}
	for (int64_t i = 0; !rc && !*whole && i < n; i++) {
		if (!cb(ctx, (enum change_what)rows[i].what, rows[i].id)) {
			rc = tk_fail(err, TK_EIO, "", "catching up with change %lld failed",
				     (long long)rows[i].seq);
			break;
		}
		*upto = rows[i].seq;
	}
	free(rows);
	return rc;
}

static enum tk_rc changes_prune(struct store *st, int64_t keep, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	assert(keep >= 1); /* the newest row numbers the next one */
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_CHANGES_PRUNE],
				      "DELETE FROM changes WHERE seq <= "
				      "(SELECT coalesce(max(seq), 0) FROM changes) - ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, keep);
	return sqlite_exec_stmt(s, q, "pruning the change log", err);
}

/* ---- migrations ---- */

static enum tk_rc migrate_module(struct sqlite_store *s, const struct sqlite_migration *m,
				 struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM schema_migrations WHERE name=?", -1, &q,
			       NULL) != SQLITE_OK)
		return sqlite_fail(s, err, "reading the schema version");
	for (; m->name; m++) {
		sqlite3_bind_text(q, 1, m->name, -1, SQLITE_STATIC);
		int step = sqlite3_step(q);
		sqlite3_reset(q);
		if (step == SQLITE_ROW)
			continue;
		if (step != SQLITE_DONE) {
			rc = sqlite_fail(s, err, "reading the schema version");
			goto out;
		}
		if ((rc = exec_sql(s, "BEGIN IMMEDIATE", "starting a migration", err)))
			goto out;
		char ins[256];
		snprintf(ins, sizeof(ins),
			 "INSERT INTO schema_migrations(name, applied_at) VALUES ('%s', "
			 "strftime('%%s','now'))",
			 m->name);
		if ((rc = exec_sql(s, m->sql, m->name, err)) ||
		    (rc = exec_sql(s, ins, m->name, err)) ||
		    (rc = exec_sql(s, "COMMIT", m->name, err))) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
	}
out:
	sqlite3_finalize(q);
	return rc;
}

static enum tk_rc migrate(struct sqlite_store *s, struct tk_error *err)
{
	static const struct sqlite_migration *const modules[] = {
		sqlite_migrations_core, sqlite_migrations_feeds, sqlite_migrations_catalog,
		sqlite_migrations_server, sqlite_migrations_growth, sqlite_migrations_groups,
		sqlite_migrations_actions, sqlite_migrations_promo,
	};
	enum tk_rc rc = exec_sql(s,
				 "CREATE TABLE IF NOT EXISTS schema_migrations ("
				 " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
				 "creating the migrations table", err);
	for (size_t i = 0; !rc && i < sizeof(modules) / sizeof(modules[0]); i++)
		rc = migrate_module(s, modules[i], err);
	return rc;
}

/* ---- plans ---- */


static enum tk_rc plan_insert(struct store *st, const char *json, int64_t at, int64_t *version,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_PLAN_INSERT],
				      "INSERT INTO plans(json, created_at) VALUES (?, ?)", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "saving a plan", err);
	if (!rc)
		*version = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum tk_rc plan_get(struct store *st, int64_t version, char **json, int64_t *version_out,
			   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = version
		? sqlite_stmt(s, &s->core[S_PLAN_GET],
			      "SELECT version, json FROM plans WHERE version=?", err)
		: sqlite_stmt(s, &s->core[S_PLAN_LATEST],
			      "SELECT version, json FROM plans ORDER BY version DESC LIMIT 1", err);
	if (!q)
		return TK_EIO;
	if (version)
		sqlite3_bind_int64(q, 1, version);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		*version_out = sqlite3_column_int64(q, 0);
		*json = strdup((const char *)sqlite3_column_text(q, 1));
		if (!*json)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	} else if (step == SQLITE_DONE) {
		rc = version ? tk_fail(err, TK_ENOTFOUND, "version", "no plan version %lld",
				       (long long)version)
			     : tk_fail(err, TK_ENOTFOUND, "plan",
				       "no plan is set; run `tuike plan set FILE` first");
	} else {
		rc = sqlite_fail(s, err, "reading a plan");
	}
	sqlite3_reset(q);
	return rc;
}

struct plan_walk {
	store_plan_cb cb;
	void *ctx;
};

static bool plan_row(void *ctx, sqlite3_stmt *q)
{
	struct plan_walk *w = ctx;
	return w->cb(w->ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
		     (const char *)sqlite3_column_text(q, 2));
}

static enum tk_rc plan_each(struct store *st, int64_t before, int64_t limit, store_plan_cb cb,
			    void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct plan_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_PLAN_EACH],
				      "SELECT version, created_at, json FROM plans "
				      "WHERE ?1 = 0 OR version < ?1 ORDER BY version DESC LIMIT ?2",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, before);
	sqlite3_bind_int64(q, 2, limit);
	return sqlite_each_row(s, q, plan_row, &w, "reading plan versions", err);
}

/* ---- members ---- */

#define MEMBER_COLS "id, ext, parent, level, name, depth, direct_count, team_count, created_at"

static void member_read(sqlite3_stmt *q, struct member_rec *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, m->ext, sizeof(m->ext));
	m->parent = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, m->level, sizeof(m->level));
	sqlite_column_copy(q, 4, m->name, sizeof(m->name));
	m->depth = sqlite3_column_int(q, 5);
	m->direct_count = sqlite3_column_int64(q, 6);
	m->team_count = sqlite3_column_int64(q, 7);
	m->created_at = sqlite3_column_int64(q, 8);
}

static enum tk_rc member_insert(struct store *st, struct member_rec *m, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_INSERT],
				      "INSERT INTO members(ext, parent, level, name, depth, "
				      "direct_count, team_count, created_at) VALUES (?,?,?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, m->ext, -1, SQLITE_STATIC);
	if (m->parent)
		sqlite3_bind_int64(q, 2, m->parent);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_text(q, 3, m->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, m->depth);
	sqlite3_bind_int64(q, 6, m->direct_count);
	sqlite3_bind_int64(q, 7, m->team_count);
	sqlite3_bind_int64(q, 8, m->created_at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "adding a member", err);
	if (rc == TK_ECONFLICT) {
		tk_fail_key(err, TK_ECONFLICT, "id", "member.id_taken",
			    "member \"%s\" already exists", m->ext);
		tk_error_str(err, "id", m->ext);
		return TK_ECONFLICT;
	}
	if (!rc)
		m->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum tk_rc member_get_by(struct sqlite_store *s, sqlite3_stmt *q, struct member_rec *m,
				const char *what, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		member_read(q, m);
	else if (step == SQLITE_DONE)
		rc = tk_fail(err, TK_ENOTFOUND, "member", "no member %s", what);
	else
		rc = sqlite_fail(s, err, "reading a member");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc member_get(struct store *st, const char *ext, struct member_rec *m,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_GET],
				      "SELECT " MEMBER_COLS " FROM members WHERE ext=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, ext, -1, SQLITE_STATIC);
	char what[ORDER_KEY_MAX + 4];
	snprintf(what, sizeof(what), "\"%s\"", ext);
	return member_get_by(s, q, m, what, err);
}

static enum tk_rc member_get_id(struct store *st, int64_t id, struct member_rec *m,
				struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_GET_ID],
				      "SELECT " MEMBER_COLS " FROM members WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	char what[32];
	snprintf(what, sizeof(what), "#%lld", (long long)id);
	return member_get_by(s, q, m, what, err);
}

struct member_walk {
	store_member_cb cb;
	void *ctx;
};

static bool member_row(void *ctx, sqlite3_stmt *q)
{
	struct member_walk *w = ctx;
	struct member_rec m;
	member_read(q, &m);
	return w->cb(w->ctx, &m);
}

static enum tk_rc member_each(struct store *st, store_member_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct member_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_EACH],
				      "SELECT " MEMBER_COLS " FROM members ORDER BY id", err);
	return q ? sqlite_each_row(s, q, member_row, &w, "reading members", err) : TK_EIO;
}

static enum tk_rc member_set_level(struct store *st, int64_t id, const char *level,
				   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_LEVEL],
				      "UPDATE members SET level=? WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, level, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, id);
	return sqlite_exec_stmt(s, q, "setting a level", err);
}

static enum tk_rc member_counts_add(struct store *st, int64_t id, int64_t direct, int64_t team,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_COUNTS],
				      "UPDATE members SET direct_count=direct_count+?, "
				      "team_count=team_count+? WHERE id=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, direct);
	sqlite3_bind_int64(q, 2, team);
	sqlite3_bind_int64(q, 3, id);
	return sqlite_exec_stmt(s, q, "updating team counts", err);
}

static enum tk_rc member_counts_set(struct store *st, int64_t id, int64_t direct, int64_t team,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_MEMBER_COUNTS_SET],
				      "UPDATE members SET direct_count=?, team_count=? WHERE id=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, direct);
	sqlite3_bind_int64(q, 2, team);
	sqlite3_bind_int64(q, 3, id);
	return sqlite_exec_stmt(s, q, "updating team counts", err);
}

/* ---- bindings ---- */

static enum tk_rc binding_get(struct store *st, const char *ns, const char *buyer,
			      struct binding_rec *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_BINDING_GET],
				      "SELECT member, coalesce(item, 0), bound_at FROM bindings "
				      "WHERE ns=? AND buyer=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, buyer, -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		out->member = sqlite3_column_int64(q, 0);
		out->item = sqlite3_column_int64(q, 1);
		out->at = sqlite3_column_int64(q, 2);
	} else if (step == SQLITE_DONE)
		rc = TK_ENOTFOUND; /* not an error worth a message: most buyers are new */
	else
		rc = sqlite_fail(s, err, "reading a binding");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc binding_put(struct store *st, const char *ns, const char *buyer,
			      const struct binding_rec *b, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_BINDING_INSERT],
				      "INSERT OR REPLACE INTO bindings(ns, buyer, member, item, "
				      "bound_at) VALUES (?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, buyer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, b->member);
	sqlite3_bind_int64(q, 4, b->item);
	sqlite3_bind_int64(q, 5, b->at);
	return sqlite_exec_stmt(s, q, "binding a buyer", err);
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

/* What every write of the money core's tables holds: a write transaction
 * is open (an operation owns it), and an item's position is one an item
 * can hold.  Programmer errors, so asserted. */
static void item_written(const struct sqlite_store *s, const struct item_rec *it)
{
	assert(s->tx_depth >= 1);
	assert(item_money_valid(&it->money));
}

/* The money of ITEM_MONEY_COLS, starting at column `base`. */
static void money_read(sqlite3_stmt *q, int base, struct item_money *m)
{
	m->n = sqlite3_column_int(q, base);
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		m->member[k] = sqlite3_column_int64(q, base + 1 + 4 * k);
		m->amount[k] = sqlite3_column_int64(q, base + 3 + 4 * k);
		m->bucket[k] = (enum bucket)sqlite3_column_int(q, base + 4 + 4 * k);
	}
	m->platform = sqlite3_column_int64(q, base + 13);
	m->due_at = sqlite3_column_int64(q, base + 14);
	assert(item_money_valid(m)); /* as written: see item_written */
}


static void item_read(sqlite3_stmt *q, struct item_rec *it)
{
	struct order_row *r = &it->row;
	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, r->union_, sizeof(r->union_));
	sqlite_column_copy(q, 2, r->item, sizeof(r->item));
	sqlite_column_copy(q, 3, r->order, sizeof(r->order));
	r->status = (enum order_status)sqlite3_column_int(q, 4);
	r->modified_at = sqlite3_column_int64(q, 5);
	r->paid_at = sqlite3_column_int64(q, 6);
	r->settled_at = sqlite3_column_int64(q, 7);
	r->amount = sqlite3_column_int64(q, 8);
	r->commission = sqlite3_column_int64(q, 9);
	r->quantity = sqlite3_column_int(q, 10);
	r->refunded = sqlite3_column_int64(q, 11);
	sqlite_column_copy(q, 12, r->product, sizeof(r->product));
	sqlite_column_copy(q, 13, r->title, sizeof(r->title));
	sqlite_column_copy(q, 14, r->buyer, sizeof(r->buyer));
	sqlite_column_copy(q, 15, r->member, sizeof(r->member));
	sqlite_column_copy(q, 16, r->link, sizeof(r->link));
	sqlite_column_copy(q, 17, r->channel, sizeof(r->channel));
	it->attribution = (enum attribution)sqlite3_column_int(q, 18);
	it->plan_version = sqlite3_column_int64(q, 19);
	it->chain.self_purchase = sqlite3_column_int(q, 20) != 0;
	money_read(q, ITEM_MONEY_AT, &it->money);
	it->chain.n = it->money.n;
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		it->chain.member[k] = it->money.member[k];
		it->chain.level[k] = sqlite3_column_int(q, ITEM_MONEY_AT + 2 + 4 * k);
	}
	it->first_seen_at = sqlite3_column_int64(q, 36);
	it->last_event = sqlite3_column_int64(q, 37);
	sqlite_column_copy(q, 38, r->buyer_kind, sizeof(r->buyer_kind));
	item_tags_read((const char *)sqlite3_column_text(q, 39), r);
	it->seen_seq = sqlite3_column_int64(q, 40);
}

/* Binds the item's columns 2..38 in ITEM_COLS order as ?1..?37, then the
 * buyer's kind, the tags and seen_seq as ?39..?41 (?38: an update's id).
 * `tags` is the caller's buffer, bound without a copy. */
static void item_bind(sqlite3_stmt *q, const struct item_rec *it, char tags[ITEM_TAGS_TEXT])
{
	const struct order_row *r = &it->row;
	sqlite3_bind_text(q, 1, r->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->item, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->order, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, (int)r->status);
	sqlite3_bind_int64(q, 5, r->modified_at);
	sqlite3_bind_int64(q, 6, r->paid_at);
	sqlite3_bind_int64(q, 7, r->settled_at);
	sqlite3_bind_int64(q, 8, r->amount);
	sqlite3_bind_int64(q, 9, r->commission);
	sqlite3_bind_int(q, 10, r->quantity);
	sqlite3_bind_int64(q, 11, r->refunded);
	sqlite3_bind_text(q, 12, r->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 13, r->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 14, r->buyer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 15, r->member, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 16, r->link, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 17, r->channel, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 18, (int)it->attribution);
	sqlite3_bind_int64(q, 19, it->plan_version);
	sqlite3_bind_int(q, 20, it->chain.self_purchase);
	sqlite3_bind_int(q, 21, it->chain.n);
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		if (k < it->chain.n) {
			sqlite3_bind_int64(q, 22 + 4 * k, it->chain.member[k]);
			sqlite3_bind_int(q, 23 + 4 * k, it->chain.level[k]);
		} else {
			sqlite3_bind_null(q, 22 + 4 * k);
			sqlite3_bind_null(q, 23 + 4 * k);
		}
		sqlite3_bind_int64(q, 24 + 4 * k, k < it->money.n ? it->money.amount[k] : 0);
		sqlite3_bind_int(q, 25 + 4 * k, k < it->money.n ? (int)it->money.bucket[k] : 0);
	}
	sqlite3_bind_int64(q, 34, it->money.platform);
	if (it->money.due_at)
		sqlite3_bind_int64(q, 35, it->money.due_at);
	else
		sqlite3_bind_null(q, 35);
	sqlite3_bind_int64(q, 36, it->first_seen_at);
	sqlite3_bind_int64(q, 37, it->last_event);
	sqlite3_bind_text(q, 39, r->buyer_kind, -1, SQLITE_STATIC);
	item_tags_write(r, tags, ITEM_TAGS_TEXT);
	sqlite3_bind_text(q, 40, tags, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 41, it->seen_seq);
}

/* The one item a bound query selects: TK_ENOTFOUND (err left for the
 * caller to fill) when none.  The query is reset. */
static enum tk_rc item_one(struct sqlite_store *s, sqlite3_stmt *q, struct item_rec *it,
			   struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		item_read(q, it);
	else if (step == SQLITE_DONE)
		rc = TK_ENOTFOUND;
	else
		rc = sqlite_fail(s, err, "reading an order item");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc item_get(struct store *st, const char *union_, const char *key,
			   struct item_rec *it, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q;
	if (!s->item_keys_loaded && s->item_keys_after > 0 &&
	    ++s->item_lookups == s->item_keys_after)
		item_keys_load(s);
	if (s->item_keys_loaded) {
		char k[2 * ORDER_KEY_MAX];
		uint64_t e;
		if (!strmap_find(&s->item_keys, k, item_key(k, sizeof(k), union_, key), &e))
			return tk_fail(err, TK_ENOTFOUND, "item", "no %s order item \"%s\"", union_,
				       key);
		q = sqlite_stmt(s, &s->core[S_ITEM_GET_ID],
				"SELECT " ITEM_COLS " FROM items WHERE id=?", err);
		if (!q)
			return TK_EIO;
		sqlite3_bind_int64(q, 1, strmap_value(&s->item_keys, e));
	} else {
		q = sqlite_stmt(s, &s->core[S_ITEM_GET],
				"SELECT " ITEM_COLS " FROM items WHERE union_=? AND item_key=?", err);
		if (!q)
			return TK_EIO;
		sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	}
	enum tk_rc rc = item_one(s, q, it, err);
	return rc == TK_ENOTFOUND
		       ? tk_fail(err, TK_ENOTFOUND, "item", "no %s order item \"%s\"", union_, key)
		       : rc;
}

static enum tk_rc item_insert(struct store *st, struct item_rec *it, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	item_written(s, it);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->core[S_ITEM_INSERT],
		"INSERT INTO items(union_, item_key, order_no, status, modified_at, paid_at, "
		"settled_at, amount, commission, quantity, refunded, product, title, buyer, member, "
		"link, channel, attribution, plan_version, self_purchase, n_chain, m1, l1, a1, b1, "
		"m2, l2, a2, b2, m3, l3, a3, b3, platform, due_at, first_seen_at, last_event, "
		"buyer_kind, tags, seen_seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
		"?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,"
		"?35,?36,?37,?39,?40,?41)",
		err);
	if (!q)
		return TK_EIO;
	char tags[ITEM_TAGS_TEXT];
	item_bind(q, it, tags);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "adding an order item", err);
	if (rc)
		return rc;
	it->id = sqlite3_last_insert_rowid(s->db);
	if (s->item_keys_loaded) {
		char k[2 * ORDER_KEY_MAX];
		if (!strmap_put(&s->item_keys, k,
				item_key(k, sizeof(k), it->row.union_, it->row.item), it->id, NULL))
			item_keys_drop(s);
	}
	return TK_OK;
}

/* Whether two states of an item describe the same order: everything but
 * its state (status, times, figures) and money is equal. */
static bool item_same_description(const struct item_rec *a, const struct item_rec *b)
{
	const struct order_row *x = &a->row, *y = &b->row;
	return x->paid_at == y->paid_at && x->quantity == y->quantity &&
	       strcmp(x->order, y->order) == 0 && strcmp(x->product, y->product) == 0 &&
	       strcmp(x->title, y->title) == 0 && strcmp(x->buyer, y->buyer) == 0 &&
	       strcmp(x->member, y->member) == 0 && strcmp(x->link, y->link) == 0 &&
	       strcmp(x->channel, y->channel) == 0 && strcmp(x->buyer_kind, y->buyer_kind) == 0 &&
	       x->n_tags == y->n_tags &&
	       memcmp(x->tags, y->tags, (size_t)x->n_tags * sizeof(x->tags[0])) == 0 &&
	       a->attribution == b->attribution && a->plan_version == b->plan_version &&
	       memcmp(&a->chain, &b->chain, sizeof(a->chain)) == 0;
}

/* A new state of a stored item.  The item's key and plan version never
 * change, its chain only when it is re-attributed, and a union's later rows
 * rarely change its description: the
 * common update writes the state and money columns only, so that SQLite
 * leaves the indexes on the other columns (key, order number) alone. */
static enum tk_rc item_update(struct store *st, const struct item_rec *was,
			      const struct item_rec *it, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	item_written(s, it);
	sqlite3_stmt *q =
		item_same_description(was, it)
			? sqlite_stmt(s, &s->core[S_ITEM_UPDATE_STATE],
				      "UPDATE items SET status=?4, modified_at=?5, settled_at=?7, "
				      "amount=?8, commission=?9, refunded=?11, a1=?24, b1=?25, a2=?28, "
				      "b2=?29, a3=?32, b3=?33, platform=?34, due_at=?35, last_event=?37 "
				      "WHERE id=?38",
				      err)
			: sqlite_stmt(s, &s->core[S_ITEM_UPDATE],
				      "UPDATE items SET union_=?1, item_key=?2, order_no=?3, status=?4, "
				      "modified_at=?5, paid_at=?6, settled_at=?7, amount=?8, "
				      "commission=?9, quantity=?10, refunded=?11, product=?12, title=?13, "
				      "buyer=?14, member=?15, link=?16, channel=?17, attribution=?18, "
				      "plan_version=?19, self_purchase=?20, n_chain=?21, m1=?22, l1=?23, "
				      "a1=?24, b1=?25, m2=?26, l2=?27, a2=?28, b2=?29, m3=?30, l3=?31, "
				      "a3=?32, b3=?33, platform=?34, due_at=?35, first_seen_at=?36, "
				      "last_event=?37, buyer_kind=?39, tags=?40, seen_seq=?41 WHERE id=?38",
				      err);
	if (!q)
		return TK_EIO;
	char tags[ITEM_TAGS_TEXT];
	item_bind(q, it, tags);
	sqlite3_bind_int64(q, 38, it->id);
	return sqlite_exec_stmt(s, q, "updating an order item", err);
}

static enum tk_rc item_set_money(struct store *st, const struct item_rec *it,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	item_written(s, it);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_MONEY],
				      "UPDATE items SET a1=?, b1=?, a2=?, b2=?, a3=?, b3=?, platform=?, "
				      "due_at=? WHERE id=?",
				      err);
	if (!q)
		return TK_EIO;
	for (int k = 0; k < PLAN_MAX_TIERS; k++) {
		sqlite3_bind_int64(q, 1 + 2 * k, k < it->money.n ? it->money.amount[k] : 0);
		sqlite3_bind_int(q, 2 + 2 * k, k < it->money.n ? (int)it->money.bucket[k] : 0);
	}
	sqlite3_bind_int64(q, 7, it->money.platform);
	if (it->money.due_at)
		sqlite3_bind_int64(q, 8, it->money.due_at);
	else
		sqlite3_bind_null(q, 8);
	sqlite3_bind_int64(q, 9, it->id);
	return sqlite_exec_stmt(s, q, "updating an item's money", err);
}

static enum tk_rc item_event_insert(struct store *st, int64_t prev, const struct order_row *row,
				    int64_t at, const char *note, int64_t *id,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_EVENT],
				      "INSERT INTO item_events(prev, status, commission, modified_at, "
				      "applied_at, raw, note) VALUES (?,?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, prev);
	sqlite3_bind_int(q, 2, (int)row->status);
	sqlite3_bind_int64(q, 3, row->commission);
	sqlite3_bind_int64(q, 4, row->modified_at);
	sqlite3_bind_int64(q, 5, at);
	sqlite_bind_text_or_null(q, 6, row->raw);
	sqlite_bind_text_or_null(q, 7, note);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "recording an item event", err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum tk_rc refund_get(struct store *st, const char *union_, const char *key,
			     int64_t *refunded, int64_t *modified_at, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_REFUND_GET],
				      "SELECT refunded, modified_at FROM item_refunds "
				      "WHERE union_=? AND item_key=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		*refunded = sqlite3_column_int64(q, 0);
		*modified_at = sqlite3_column_int64(q, 1);
	} else if (step == SQLITE_DONE) {
		rc = TK_ENOTFOUND;
	} else {
		rc = sqlite_fail(s, err, "reading a refund");
	}
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc refund_put(struct store *st, const struct order_row *row,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_REFUND_PUT],
				      "INSERT OR REPLACE INTO item_refunds(union_, item_key, refunded, "
				      "modified_at, raw) VALUES (?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, row->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, row->item, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, row->refunded);
	sqlite3_bind_int64(q, 4, row->modified_at);
	sqlite_bind_text_or_null(q, 5, row->raw);
	return sqlite_exec_stmt(s, q, "recording a refund", err);
}

static enum tk_rc refund_any(struct store *st, bool *any, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_REFUND_ANY],
				      "SELECT EXISTS (SELECT 1 FROM item_refunds)", err);
	if (!q)
		return TK_EIO;
	enum tk_rc rc = TK_OK;
	if (sqlite3_step(q) == SQLITE_ROW)
		*any = sqlite3_column_int(q, 0) != 0;
	else
		rc = sqlite_fail(s, err, "reading refunds");
	sqlite3_reset(q);
	return rc;
}

struct item_walk {
	store_item_cb cb;
	void *ctx;
	struct item_rec *it; /* large: on the heap, not the stack */
};

static bool item_row(void *ctx, sqlite3_stmt *q)
{
	struct item_walk *w = ctx;
	item_read(q, w->it);
	return w->cb(w->ctx, w->it);
}

static enum tk_rc item_iterate(struct sqlite_store *s, sqlite3_stmt *q, store_item_cb cb,
			       void *ctx, struct tk_error *err)
{
	struct item_walk w = {cb, ctx, malloc(sizeof(struct item_rec))};
	if (!w.it) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	enum tk_rc rc = sqlite_each_row(s, q, item_row, &w, "reading order items", err);
	free(w.it);
	return rc;
}

static enum tk_rc item_due_ids(struct store *st, int64_t now, int64_t *ids, int64_t max,
			       int64_t *n, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	/* from the partial index items_due alone: no item row is read */
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_DUE],
				      "SELECT id FROM items WHERE due_at IS NOT NULL AND due_at <= ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now);
	int step;
	*n = 0;
	while (*n < max && (step = sqlite3_step(q)) == SQLITE_ROW)
		ids[(*n)++] = sqlite3_column_int64(q, 0);
	enum tk_rc rc = *n == max || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading the items due");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc item_money_get(struct store *st, int64_t id, struct item_money *m,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_MONEY_GET],
				      "SELECT " ITEM_MONEY_COLS " FROM items WHERE id = ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		memset(m, 0, sizeof(*m));
		money_read(q, 0, m);
	} else if (step == SQLITE_DONE) {
		rc = tk_fail(err, TK_ENOTFOUND, "item", "no order item #%lld", (long long)id);
	} else {
		rc = sqlite_fail(s, err, "reading an item's money");
	}
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc item_get_id(struct store *st, int64_t id, struct item_rec *it,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_GET_ID],
				      "SELECT " ITEM_COLS " FROM items WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	enum tk_rc rc = item_one(s, q, it, err);
	return rc == TK_ENOTFOUND
		       ? tk_fail(err, TK_ENOTFOUND, "item", "no order item #%lld", (long long)id)
		       : rc;
}

static enum tk_rc item_each_buyer(struct store *st, const char *union_, const char *kind,
				  const char *buyer, store_item_cb cb, void *ctx,
				  struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_BUYER],
				      "SELECT " ITEM_COLS " FROM items WHERE buyer=?1 AND "
				      "buyer <> '' AND buyer_kind=?2 AND (?2='' OR union_=?3) "
				      "ORDER BY id",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, buyer, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, union_, -1, SQLITE_STATIC);
	return item_iterate(s, q, cb, ctx, err);
}

static enum tk_rc item_each_unattributed(struct store *st, int64_t since, store_item_cb cb,
					 void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_UNATTRIBUTED],
				      "SELECT " ITEM_COLS " FROM items WHERE attribution=0 AND "
				      "first_seen_at>=? ORDER BY id",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, since);
	return item_iterate(s, q, cb, ctx, err);
}

static enum tk_rc item_each(struct store *st, store_item_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_ITEM_EACH],
				      "SELECT " ITEM_COLS " FROM items ORDER BY id", err);
	if (!q)
		return TK_EIO;
	return item_iterate(s, q, cb, ctx, err);
}

/* ---- ledger ---- */

static enum tk_rc transfer_insert(struct store *st, struct transfer *t, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	assert(s->tx_depth >= 1); /* a bad amount is the database's to refuse */
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_TRANSFER_INSERT],
				      "INSERT INTO transfers(debit, credit, amount, code, item, "
				      "withdrawal, at, slot) VALUES (?,?,?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, t->debit);
	sqlite3_bind_int64(q, 2, t->credit);
	sqlite3_bind_int64(q, 3, t->amount);
	sqlite3_bind_int(q, 4, (int)t->code);
	if (t->item)
		sqlite3_bind_int64(q, 5, t->item);
	if (t->withdrawal)
		sqlite3_bind_int64(q, 6, t->withdrawal);
	sqlite3_bind_int64(q, 7, t->at);
	if (t->slot)
		sqlite3_bind_int64(q, 8, t->slot);
	else
		sqlite3_bind_null(q, 8); /* the statement is reused: no stale slot */
	enum tk_rc rc = sqlite_exec_stmt(s, q, "posting a transfer", err);
	if (!rc)
		t->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

struct transfer_walk {
	store_transfer_cb cb;
	void *ctx;
};

static bool transfer_row(void *ctx, sqlite3_stmt *q)
{
	struct transfer_walk *w = ctx;
	struct transfer t = {
		.id = sqlite3_column_int64(q, 0),
		.debit = sqlite3_column_int64(q, 1),
		.credit = sqlite3_column_int64(q, 2),
		.amount = sqlite3_column_int64(q, 3),
		.code = (enum transfer_code)sqlite3_column_int(q, 4),
		.item = sqlite3_column_int64(q, 5),
		.withdrawal = sqlite3_column_int64(q, 6),
		.at = sqlite3_column_int64(q, 7),
		.slot = sqlite3_column_int64(q, 8),
	};
	return w->cb(w->ctx, &t);
}

static enum tk_rc transfer_each(struct store *st, store_transfer_cb cb, void *ctx,
				struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct transfer_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_TRANSFER_EACH],
				      "SELECT id, debit, credit, amount, code, item, withdrawal, at, "
				      "slot FROM transfers ORDER BY id",
				      err);
	return q ? sqlite_each_row(s, q, transfer_row, &w, "reading transfers", err) : TK_EIO;
}

/* An upsert's "col = col + delta" that yields NULL, which the column's
 * NOT NULL refuses, where the sum would leave 64 bits: SQLite would
 * otherwise turn it into a rounded float, and a balance or a statistic
 * must never be rounded.  (The check in the statement costs next to
 * nothing, where RETURNING the result's type would double each upsert.) */
#define CHECKED_SUM(col, delta)                                                   \
	col " = CASE WHEN typeof(" col " + " delta ") = 'integer' THEN " col " + " delta \
	    " END"

/* Runs an upsert made of CHECKED_SUMs: TK_ELIMIT, for the caller to say
 * which sum, when one would leave int64 (the caller's transaction must
 * then be rolled back). */
static enum tk_rc exec_sum(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
			   struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_NOTNULL
			     ? TK_ELIMIT
			     : sqlite_fail(s, err, what);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

static enum tk_rc balance_add(struct store *st, int64_t account, int64_t delta,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	assert(s->tx_depth >= 1);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_BALANCE_ADD],
				      "INSERT INTO balances(account, balance) VALUES (?1, ?2) "
				      "ON CONFLICT(account) DO UPDATE SET " CHECKED_SUM("balance", "?2"),
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, account);
	sqlite3_bind_int64(q, 2, delta);
	enum tk_rc rc = exec_sum(s, q, "updating a balance", err);
	if (rc == TK_ELIMIT)
		tk_fail(err, rc, "", "the balance of account %lld would go beyond the 64-bit range: "
			"refused", (long long)account);
	return rc;
}

static enum tk_rc balance_get(struct store *st, int64_t account, int64_t *balance,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_BALANCE_GET],
				      "SELECT balance FROM balances WHERE account=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, account);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	*balance = 0;
	if (step == SQLITE_ROW)
		*balance = sqlite3_column_int64(q, 0);
	else if (step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading a balance");
	sqlite3_reset(q);
	return rc;
}

struct balance_walk {
	store_balance_cb cb;
	void *ctx;
};

static bool balance_row(void *ctx, sqlite3_stmt *q)
{
	struct balance_walk *w = ctx;
	return w->cb(w->ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1));
}

static enum tk_rc balance_each(struct store *st, store_balance_cb cb, void *ctx,
			       struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct balance_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_BALANCE_EACH],
				      "SELECT account, balance FROM balances ORDER BY account", err);
	return q ? sqlite_each_row(s, q, balance_row, &w, "reading balances", err) : TK_EIO;
}

/* ---- withdrawals ---- */

#define WD_COLS                                                                        \
	"id, member, amount, fee, available_before, method, account, status, requested_at, " \
	"decided_at, paid_at, approved_after, payee, reason, bank, branch"

static void wd_read(sqlite3_stmt *q, struct withdrawal_rec *w)
{
	memset(w, 0, sizeof(*w));
	w->id = sqlite3_column_int64(q, 0);
	w->member = sqlite3_column_int64(q, 1);
	w->amount = sqlite3_column_int64(q, 2);
	w->fee = sqlite3_column_int64(q, 3);
	w->available_before = sqlite3_column_int64(q, 4);
	sqlite_column_copy(q, 5, w->method, sizeof(w->method));
	sqlite_column_copy(q, 6, w->account, sizeof(w->account));
	w->status = (enum wd_status)sqlite3_column_int(q, 7);
	w->requested_at = sqlite3_column_int64(q, 8);
	w->decided_at = sqlite3_column_int64(q, 9);
	w->paid_at = sqlite3_column_int64(q, 10);
	w->approved_after = sqlite3_column_int64(q, 11);
	sqlite_column_copy(q, 12, w->payee, sizeof(w->payee));
	sqlite_column_copy(q, 13, w->reason, sizeof(w->reason));
	sqlite_column_copy(q, 14, w->bank, sizeof(w->bank));
	sqlite_column_copy(q, 15, w->branch, sizeof(w->branch));
}

static enum tk_rc withdrawal_insert(struct store *st, struct withdrawal_rec *w,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_WD_INSERT],
				      "INSERT INTO withdrawals(member, amount, fee, available_before, "
				      "method, account, status, requested_at, decided_at, paid_at, payee, "
				      "bank, branch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, w->member);
	sqlite3_bind_int64(q, 2, w->amount);
	sqlite3_bind_int64(q, 3, w->fee);
	sqlite3_bind_int64(q, 4, w->available_before);
	sqlite3_bind_text(q, 5, w->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, w->account, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, (int)w->status);
	sqlite3_bind_int64(q, 8, w->requested_at);
	sqlite3_bind_int64(q, 9, w->decided_at);
	sqlite3_bind_int64(q, 10, w->paid_at);
	sqlite3_bind_text(q, 11, w->payee, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 12, w->bank, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 13, w->branch, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "recording a withdrawal", err);
	if (!rc)
		w->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum tk_rc withdrawal_get(struct store *st, int64_t id, struct withdrawal_rec *w,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_WD_GET],
				      "SELECT " WD_COLS " FROM withdrawals WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		wd_read(q, w);
	else if (step == SQLITE_DONE)
		rc = tk_fail(err, TK_ENOTFOUND, "withdrawal", "no withdrawal %lld", (long long)id);
	else
		rc = sqlite_fail(s, err, "reading a withdrawal");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc withdrawal_update(struct store *st, const struct withdrawal_rec *w,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_WD_UPDATE],
				      "UPDATE withdrawals SET status=?1, decided_at=?2, paid_at=?3, reason=?6, "
				      "approved_after=CASE WHEN ?1=?5 THEN (SELECT coalesce(max(id), 0) "
				      "FROM transfers) ELSE approved_after END WHERE id=?4",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int(q, 1, (int)w->status);
	sqlite3_bind_int64(q, 2, w->decided_at);
	sqlite3_bind_int64(q, 3, w->paid_at);
	sqlite3_bind_int64(q, 4, w->id);
	sqlite3_bind_int(q, 5, WD_APPROVED);
	sqlite3_bind_text(q, 6, w->reason, -1, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "updating a withdrawal", err);
}

struct withdrawal_walk {
	store_withdrawal_cb cb;
	void *ctx;
};

static bool withdrawal_row(void *ctx, sqlite3_stmt *q)
{
	struct withdrawal_walk *w = ctx;
	struct withdrawal_rec rec;
	wd_read(q, &rec);
	return w->cb(w->ctx, &rec);
}

static enum tk_rc withdrawal_each(struct store *st, store_withdrawal_cb cb, void *ctx,
				  struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct withdrawal_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->core[S_WD_EACH],
				      "SELECT " WD_COLS " FROM withdrawals ORDER BY id", err);
	return q ? sqlite_each_row(s, q, withdrawal_row, &w, "reading withdrawals", err) : TK_EIO;
}

/* ---- reports ---- */

static enum tk_rc report_totals(struct store *st, struct report_totals *out,
				struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->core[S_TOTALS],
		"SELECT count(*) FILTER (WHERE status<>4), "
		" coalesce(sum(amount) FILTER (WHERE status<>4),0), "
		" coalesce(sum(max(commission-refunded,0)) FILTER (WHERE status<>4),0), "
		" coalesce(sum(a1+a2+a3) FILTER (WHERE status<>4),0), "
		" coalesce(sum(platform) FILTER (WHERE status<>4),0), "
		" count(*) FILTER (WHERE status<>4 AND n_chain=0), "
		" coalesce(sum(max(commission-refunded,0)) FILTER (WHERE status<>4 AND n_chain=0),0), "
		" count(*) FILTER (WHERE status=4) FROM items",
		err);
	if (!q)
		return TK_EIO;
	enum tk_rc rc = TK_OK;
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->items = sqlite3_column_int64(q, 0);
		out->gmv = sqlite3_column_int64(q, 1);
		out->commission = sqlite3_column_int64(q, 2);
		out->members_share = sqlite3_column_int64(q, 3);
		out->platform_share = sqlite3_column_int64(q, 4);
		out->unattributed_items = sqlite3_column_int64(q, 5);
		out->unattributed_commission = sqlite3_column_int64(q, 6);
		out->invalid_items = sqlite3_column_int64(q, 7);
	} else {
		rc = sqlite_fail(s, err, "computing totals");
	}
	sqlite3_reset(q);
	return rc;
}

const char *const stat_columns[STAT_N] = {
	"orders", "gmv", "commission", "members_share", "platform_share", "settled_orders",
	"settled_commission", "invalid_orders", "new_members", "clicks", "unique_clicks",
	"link_orders",
};

static enum tk_rc stats_add(struct store *st, int64_t day, int dim, const char *key,
			    const int64_t v[STAT_N], struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->core[S_STATS_ADD],
		"INSERT INTO daily_stats(day, dim, key, orders, gmv, commission, members_share, "
		"platform_share, settled_orders, settled_commission, invalid_orders, new_members, "
		"clicks, unique_clicks, link_orders) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
		"ON CONFLICT(day, dim, key) DO UPDATE SET "
		CHECKED_SUM("orders", "excluded.orders") ", "
		CHECKED_SUM("gmv", "excluded.gmv") ", "
		CHECKED_SUM("commission", "excluded.commission") ", "
		CHECKED_SUM("members_share", "excluded.members_share") ", "
		CHECKED_SUM("platform_share", "excluded.platform_share") ", "
		CHECKED_SUM("settled_orders", "excluded.settled_orders") ", "
		CHECKED_SUM("settled_commission", "excluded.settled_commission") ", "
		CHECKED_SUM("invalid_orders", "excluded.invalid_orders") ", "
		CHECKED_SUM("new_members", "excluded.new_members") ", "
		CHECKED_SUM("clicks", "excluded.clicks") ", "
		CHECKED_SUM("unique_clicks", "excluded.unique_clicks") ", "
		CHECKED_SUM("link_orders", "excluded.link_orders"),
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, day);
	sqlite3_bind_int(q, 2, dim);
	sqlite3_bind_text(q, 3, key, -1, SQLITE_STATIC);
	for (int i = 0; i < STAT_N; i++)
		sqlite3_bind_int64(q, 4 + i, v[i]);
	enum tk_rc rc = exec_sum(s, q, "updating daily statistics", err);
	if (rc == TK_ELIMIT)
		tk_fail(err, rc, "", "the daily statistics of day %lld, key \"%s\" would go beyond "
			"the 64-bit range: refused", (long long)day, key);
	return rc;
}

static enum tk_rc product_sales_add(struct store *st, const char *union_, const char *product,
				    int64_t orders, int64_t refunds, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->core[S_PRODUCT_SALES_ADD],
		"INSERT INTO product_sales(union_, product, orders, refunds) VALUES (?,?,?,?) "
		"ON CONFLICT(union_, product) DO UPDATE SET orders=orders+excluded.orders, "
		"refunds=refunds+excluded.refunds",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, product, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, orders);
	sqlite3_bind_int64(q, 4, refunds);
	return sqlite_exec_stmt(s, q, "updating a product's sales", err);
}

/* ---- open / close ---- */

static void sqlite_close(struct store *st)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt **groups[] = {s->core, s->feeds, s->catalog, s->server, s->growth,
				    s->groups, s->actions, s->statements, s->channels,
				    s->campaign_orders, s->promo};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (int i = 0; i < SQLITE_STMT_SLOTS; i++)
			sqlite3_finalize(groups[g][i]);
	sqlite3_close(s->db);
	item_keys_drop(s);
	free(s);
}

static const struct store_ops sqlite_ops = {
	.close = sqlite_close,
	.tx_begin = tx_begin,
	.tx_begin_read = tx_begin_read,
	.changes_since = changes_since,
	.changes_newest = changes_newest,
	.changes_prune = changes_prune,
	.tx_commit = tx_commit,
	.tx_rollback = tx_rollback,
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
	.item_insert = item_insert,
	.item_update = item_update,
	.item_event_insert = item_event_insert,
	.refund_get = refund_get,
	.refund_put = refund_put,
	.refund_any = refund_any,
	.item_set_money = item_set_money,
	.item_due_ids = item_due_ids,
	.item_money_get = item_money_get,
	.item_each = item_each,
	.item_get_id = item_get_id,
	.item_each_buyer = item_each_buyer,
	.item_each_unattributed = item_each_unattributed,
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
};

enum tk_rc store_sqlite_open(const char *path, struct store **out, struct tk_error *err)
{
	return store_sqlite_open_cache(path, STORE_CACHE_KIB, out, err);
}

/* The database holds password hashes, session and key hashes, the
 * server's secrets and payout accounts: it is created owner-only (0600)
 * whatever the umask, and one found open to others is tightened, with a
 * line on stderr saying so.  SQLite creates the -wal and -shm files with
 * the database's own mode, so they follow; any left from before are
 * tightened too.  Only a new file is opened here (O_EXCL); an existing one
 * is looked at and changed by its path alone: closing any descriptor of a
 * database drops every POSIX lock this process holds on it, and another
 * connection of this process (a server has several) may hold some.  A
 * file that can't be made here is left to SQLite, whose error is the one
 * to show. */
static void private_files(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	if (!path[0] || strcmp(path, ":memory:") == 0)
		return;
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		char file[4096];
		struct stat sb;
		int n = snprintf(file, sizeof(file), "%s%s", path, suffix[i]);
		if (n < 0 || (size_t)n >= sizeof(file))
			return;
		if (i == 0) {
			int fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			if (fd >= 0) { /* new and empty: SQLite makes it a database */
				close(fd);
				continue;
			}
		}
		if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 077))
			continue;
		if (chmod(file, sb.st_mode & 0700) == 0)
			fprintf(stderr, "tuike: %s was open to other users (mode %03o): made it "
				"owner-only (%03o)\n", file, (unsigned)(sb.st_mode & 0777),
				(unsigned)(sb.st_mode & 0700));
		else
			fprintf(stderr, "tuike: %s is open to other users (mode %03o) and can't be "
				"changed: %s\n", file, (unsigned)(sb.st_mode & 0777), strerror(errno));
	}
}

enum tk_rc store_sqlite_open_cache(const char *path, int cache_kib, struct store **out,
				   struct tk_error *err)
{
	_Static_assert(S_COUNT_ <= SQLITE_STMT_SLOTS, "too many core statements");
	enum tk_rc rc;
	struct sqlite_store *s = calloc(1, sizeof(*s));
	if (!s)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	s->base.ops = &sqlite_ops;
	s->item_keys_after = ITEM_KEYS_AFTER;
	const char *after = getenv("TUIKE_ITEM_CACHE_AFTER");
	if (after && *after)
		s->item_keys_after = strtoll(after, NULL, 10);
	s->base.feeds = &sqlite_feed_ops;
	s->base.catalog = &sqlite_catalog_ops;
	s->base.server = &sqlite_server_ops;
	s->base.growth = &sqlite_growth_ops;
	s->base.groups = &sqlite_group_ops;
	s->base.actions = &sqlite_action_ops;
	s->base.statements = &sqlite_statement_ops;
	s->base.channels = &sqlite_channel_ops;
	s->base.campaign_orders = &sqlite_campaign_order_ops;
	s->base.promo = &sqlite_promo_ops;
	private_files(path);
	/* NOMUTEX: a store (connection) is used by one thread at a time, so
	 * SQLite's per-call locking is pure overhead. */
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = tk_fail(err, TK_EIO, "db", "cannot open database \"%s\": %s", path,
			     s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_handler(s->db, busy_wait, NULL);
	sqlite3_extended_result_codes(s->db, 1);
	char pragmas[256];
	snprintf(pragmas, sizeof(pragmas),
		 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		 "PRAGMA foreign_keys=ON; PRAGMA cache_size=-%d; "
		 "PRAGMA mmap_size=4294967296; PRAGMA temp_store=MEMORY;",
		 cache_kib);
	if ((rc = exec_sql(s, pragmas, "configuring the database", err)))
		goto fail;
	if ((rc = migrate(s, err)))
		goto fail;
	*out = &s->base;
	return TK_OK;
fail:
	sqlite3_close(s->db);
	free(s);
	return rc;
}

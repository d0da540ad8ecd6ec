/* sqlite_server.c — SQLite storage for the HTTP server: API keys, member
 * passwords and sessions, idempotency records, tracking links and clicks,
 * and the paged reads the API serves over the money core's tables.
 *
 * Reads of the core tables (members, transfers, withdrawals, daily_stats)
 * live here rather than in sqlite.c because only the server pages them. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/server_store.h"
#include "store/item_list_sql.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_server[] = {
	{"server-0001",
	 /* random secrets the server keys its hashes with (click IPs) */
	 "CREATE TABLE server_secrets ("
	 " name TEXT PRIMARY KEY,"
	 " value BLOB NOT NULL) WITHOUT ROWID;"
	 /* the server's own bookkeeping, e.g. up to which click the link
	  * counters are written */
	 "CREATE TABLE server_state ("
	 " name TEXT PRIMARY KEY,"
	 " value INTEGER NOT NULL) WITHOUT ROWID;"

	 "CREATE TABLE api_keys ("
	 " id INTEGER PRIMARY KEY,"
	 " name TEXT NOT NULL,"
	 " prefix TEXT NOT NULL,"
	 " hash BLOB NOT NULL UNIQUE,"
	 " created_at INTEGER NOT NULL,"
	 " revoked_at INTEGER NOT NULL DEFAULT 0);"

	 "CREATE TABLE member_passwords ("
	 " member INTEGER PRIMARY KEY REFERENCES members(id),"
	 " hash TEXT NOT NULL,"
	 " updated_at INTEGER NOT NULL);"

	 "CREATE TABLE sessions ("
	 " hash BLOB PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " created_at INTEGER NOT NULL,"
	 " expires_at INTEGER NOT NULL) WITHOUT ROWID;"

	 "CREATE TABLE idempotency ("
	 " principal TEXT NOT NULL,"
	 " key TEXT NOT NULL,"
	 " request_hash BLOB NOT NULL,"
	 " status INTEGER NOT NULL,"
	 " body TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL,"
	 " PRIMARY KEY (principal, key)) WITHOUT ROWID;"

	 "CREATE TABLE links ("
	 " id INTEGER PRIMARY KEY,"
	 " code TEXT NOT NULL UNIQUE,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " union_ TEXT NOT NULL DEFAULT '',"
	 " product TEXT NOT NULL DEFAULT '',"
	 " channel TEXT NOT NULL DEFAULT '',"
	 " target TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL,"
	 /* the counters: in link_counts since server-0005 */
	 " clicks INTEGER NOT NULL DEFAULT 0,"
	 " unique_clicks INTEGER NOT NULL DEFAULT 0,"
	 " bot_clicks INTEGER NOT NULL DEFAULT 0);"
	 "CREATE INDEX links_member ON links(member);"

	 /* one row per click, appended in batches; no index but the rowid so
	  * that recording stays cheap (the last hour is read newest first) */
	 "CREATE TABLE clicks ("
	 " id INTEGER PRIMARY KEY,"
	 " at INTEGER NOT NULL,"
	 " link INTEGER NOT NULL,"
	 " ip_hash BLOB NOT NULL,"
	 " ua_hash BLOB NOT NULL,"
	 " referrer TEXT NOT NULL DEFAULT '',"
	 " bot INTEGER NOT NULL,"
	 " uniq INTEGER NOT NULL);"

	 /* the operator's queue of withdrawals to decide */
	 "CREATE INDEX withdrawals_status ON withdrawals(status);"},
	/* A member's ledger history pages through the transfers touching its
	 * accounts (member*8 + kind): without these a page scans every
	 * transfer (half a second at 8 million).  Partial, over member
	 * accounts only: the platform's own transfers (union -> revenue) are
	 * left out, and the money core's queries never use them. */
	{"server-0002",
	 "CREATE INDEX transfers_debit_member ON transfers(debit) WHERE debit >= 8;"
	 "CREATE INDEX transfers_credit_member ON transfers(credit) WHERE credit >= 8;"},
	/* Operators look orders up by the union's order number (a buyer's
	 * question names it); items are otherwise keyed by item. */
	{"server-0003", "CREATE INDEX items_order ON items(order_no);"},
	/* A transfer touches at most one member (the platform's accounts are
	 * member 0's, kinds below 8): one index by that member serves its
	 * ledger history and costs each transfer one index entry, where the
	 * two indexes of server-0002 cost a move between a member's own
	 * accounts two.  The audit checks the premise. */
	{"server-0004",
	 "DROP INDEX transfers_debit_member;"
	 "DROP INDEX transfers_credit_member;"
	 "CREATE INDEX transfers_member ON transfers(" SQL_TRANSFER_MEMBER ")"
	 " WHERE max(debit, credit) >= 8;"},
	/* A link's counters in a table of their own: the click writer adds to
	 * every clicked link's counters every 30 s, and a row of three numbers
	 * costs a fraction of rewriting the link's row with its target (100,000
	 * links under load: 0.15-0.2 s instead of 0.5-0.8 s, a tenth of the
	 * pages).  A link never clicked has no row. */
	{"server-0005",
	 "CREATE TABLE link_counts ("
	 " link INTEGER PRIMARY KEY,"
	 " clicks INTEGER NOT NULL DEFAULT 0,"
	 " unique_clicks INTEGER NOT NULL DEFAULT 0,"
	 " bot_clicks INTEGER NOT NULL DEFAULT 0);"
	 "INSERT INTO link_counts SELECT id, clicks, unique_clicks, bot_clicks FROM links"
	 " WHERE clicks <> 0 OR unique_clicks <> 0 OR bot_clicks <> 0;"
	 "ALTER TABLE links DROP COLUMN clicks;"
	 "ALTER TABLE links DROP COLUMN unique_clicks;"
	 "ALTER TABLE links DROP COLUMN bot_clicks;"},
	/* Links can be revoked, and every server follows new and revoked links
	 * through the change log (core-0002), whoever made them. */
	{"server-0006",
	 "ALTER TABLE links ADD COLUMN revoked_at INTEGER NOT NULL DEFAULT 0;"
	 "CREATE TRIGGER links_changed_insert AFTER INSERT ON links"
	 " BEGIN INSERT INTO changes(what, id) VALUES (3, NEW.id); END;"
	 "CREATE TRIGGER links_changed_update AFTER UPDATE OF target, revoked_at ON links"
	 " BEGIN INSERT INTO changes(what, id) VALUES (3, NEW.id); END;"},
	/* The unions' own promotion links (转链) a product link points at, one
	 * per member, union, product and coupon, kept until near their expiry
	 * and shared by every link to the product the member makes.  A link
	 * names the conversion its target came from (0: a plain target), so
	 * that a fresh conversion re-targets its links. */
	{"server-0007",
	 "CREATE TABLE conversions ("
	 " id INTEGER PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " union_ TEXT NOT NULL,"
	 " product TEXT NOT NULL,"
	 " coupon TEXT NOT NULL DEFAULT '',"
	 " url TEXT NOT NULL,"
	 " long_url TEXT NOT NULL DEFAULT '',"
	 " tpwd TEXT NOT NULL DEFAULT '',"
	 " demo INTEGER NOT NULL DEFAULT 0,"
	 " converted_at INTEGER NOT NULL,"
	 " expires_at INTEGER NOT NULL,"
	 " UNIQUE (member, union_, product, coupon));"
	 "CREATE INDEX conversions_expires ON conversions(expires_at);"
	 "ALTER TABLE links ADD COLUMN conversion INTEGER NOT NULL DEFAULT 0;"
	 "CREATE INDEX links_conversion ON links(conversion) WHERE conversion <> 0;"},
	/* A member's authorization with a union under way (the promoter page's
	 * "bind Taobao"): the OAuth state's hash, never the state itself, with
	 * who started it, for which tag and until when; used once. */
	{"server-0008",
	 "CREATE TABLE oauth_states ("
	 " hash BLOB PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " union_ TEXT NOT NULL,"
	 " kind TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL,"
	 " expires_at INTEGER NOT NULL,"
	 " used_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	 "CREATE INDEX oauth_states_expires ON oauth_states(expires_at);"},
	/* Several serve nodes on one database: each click names the node that
	 * recorded it, and each node's link counters cover its own clicks up
	 * to its own mark ("link_counts_upto:NODE"), so that one node's crash
	 * recovery recounts only its clicks.  The clicks the single writer
	 * before had not yet counted (a crash before the upgrade) are counted
	 * here, and its mark goes. */
	{"server-0009",
	 "ALTER TABLE clicks ADD COLUMN node TEXT NOT NULL DEFAULT '';"
	 "INSERT INTO link_counts(link, clicks, unique_clicks, bot_clicks)"
	 " SELECT link, sum(bot = 0), sum(uniq), sum(bot) FROM clicks"
	 " WHERE id > coalesce((SELECT value FROM server_state WHERE name = 'link_counts_upto'), 0)"
	 " GROUP BY link"
	 " ON CONFLICT(link) DO UPDATE SET clicks = clicks + excluded.clicks,"
	 " unique_clicks = unique_clicks + excluded.unique_clicks,"
	 " bot_clicks = bot_clicks + excluded.bot_clicks;"
	 "DELETE FROM server_state WHERE name = 'link_counts_upto';"},
	/* A conversion made for a member's chat group (with the group's tags)
	 * is the group's: the channel joins the key.  SQLite changes a key by
	 * copying the table (ids kept: links name them). */
	{"server-0010",
	 "CREATE TABLE conversions_new ("
	 " id INTEGER PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " union_ TEXT NOT NULL,"
	 " product TEXT NOT NULL,"
	 " coupon TEXT NOT NULL DEFAULT '',"
	 " url TEXT NOT NULL,"
	 " long_url TEXT NOT NULL DEFAULT '',"
	 " tpwd TEXT NOT NULL DEFAULT '',"
	 " demo INTEGER NOT NULL DEFAULT 0,"
	 " converted_at INTEGER NOT NULL,"
	 " expires_at INTEGER NOT NULL,"
	 " channel TEXT NOT NULL DEFAULT '',"
	 " UNIQUE (member, union_, product, coupon, channel));"
	 "INSERT INTO conversions_new(id, member, union_, product, coupon, url, long_url, tpwd,"
	 " demo, converted_at, expires_at)"
	 " SELECT id, member, union_, product, coupon, url, long_url, tpwd, demo, converted_at,"
	 " expires_at FROM conversions;"
	 "DROP TABLE conversions;"
	 "ALTER TABLE conversions_new RENAME TO conversions;"
	 "CREATE INDEX conversions_expires ON conversions(expires_at);"},
	/* Operator keys carry a role (auth/roles.h); the keys made before
	 * roles could do everything, and stay admin so that a deployment
	 * keeps working.  The console trades its key for an operator session
	 * that expires: stored by hash like a member's, with the key and the
	 * role it opened with (a key revoked or given another role ends it). */
	{"server-0011",
	 "ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'"
	 " CHECK (role IN ('admin', 'finance', 'operations', 'viewer'));"
	 "CREATE TABLE operator_sessions ("
	 " hash BLOB PRIMARY KEY,"
	 " key INTEGER NOT NULL REFERENCES api_keys(id),"
	 " role TEXT NOT NULL,"
	 " created_at INTEGER NOT NULL,"
	 " expires_at INTEGER NOT NULL) WITHOUT ROWID;"
	 "CREATE INDEX operator_sessions_key ON operator_sessions(key);"
	 "CREATE INDEX operator_sessions_expires ON operator_sessions(expires_at);"},
	/* Where member links may lead and how many they may make: the
	 * domains operators allow beside the unions' own (every server follows
	 * the list through the change log, what 4), each link's origin (only
	 * the links members make themselves count against their quota, by
	 * creation time) and whether an operator let its host through, and
	 * the members whose quota an operator set. */
	{"server-0012",
	 "ALTER TABLE links ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE links ADD COLUMN host_override INTEGER NOT NULL DEFAULT 0;"
	 "CREATE INDEX links_member_made ON links(member, created_at) WHERE origin = 1;"
	 "CREATE TABLE link_hosts ("
	 " domain TEXT PRIMARY KEY,"
	 " added_at INTEGER NOT NULL) WITHOUT ROWID;"
	 "CREATE TRIGGER link_hosts_changed_insert AFTER INSERT ON link_hosts"
	 " BEGIN INSERT INTO changes(what, id) VALUES (4, 0); END;"
	 "CREATE TRIGGER link_hosts_changed_delete AFTER DELETE ON link_hosts"
	 " BEGIN INSERT INTO changes(what, id) VALUES (4, 0); END;"
	 "CREATE TABLE link_quotas ("
	 " member INTEGER PRIMARY KEY REFERENCES members(id),"
	 " per_hour INTEGER NOT NULL CHECK (per_hour > 0),"
	 " per_day INTEGER NOT NULL CHECK (per_day > 0),"
	 " updated_at INTEGER NOT NULL);"},
	/* The orders list (item_list): its default order is by paid time,
	 * newest first; a member's 我的订单 takes the items whose chain holds
	 * it at any of its three places, and the console's member filter the
	 * sharer's (m1).  Partial: an unattributed item has no chain. */
	{"server-0013",
	 "CREATE INDEX items_paid ON items(paid_at);"
	 "CREATE INDEX items_m1_paid ON items(m1, paid_at) WHERE m1 IS NOT NULL;"
	 "CREATE INDEX items_m2_paid ON items(m2, paid_at) WHERE m2 IS NOT NULL;"
	 "CREATE INDEX items_m3_paid ON items(m3, paid_at) WHERE m3 IS NOT NULL;"},
	{NULL, NULL},
};

enum {
	S_SECRET_GET, S_SECRET_PUT,
	S_KEY_INSERT, S_KEY_FIND, S_KEY_EACH, S_KEY_REVOKE, S_KEY_EXISTS, S_KEY_ROLE,
	S_OPS_INSERT, S_OPS_GET, S_OPS_DELETE, S_OPS_DELETE_KEY, S_PURGE_OPS,
	S_PW_SET, S_PW_GET,
	S_SESSION_INSERT, S_SESSION_GET, S_SESSION_DELETE, S_SESSION_DELETE_MEMBER,
	S_IDEM_GET, S_IDEM_PUT, S_IDEM_DELETE,
	S_PURGE_SESSIONS, S_PURGE_IDEM,
	S_LINK_INSERT, S_LINK_GET, S_LINK_GET_ID, S_LINK_REVOKE, S_LINK_FIND, S_LINK_EACH, S_LINK_PAGE_ALL, S_LINK_PAGE_MEMBER,
	S_CLICK_INSERT, S_CLICK_INSERT_MANY, S_CLICK_LAST, S_CLICK_SUMS, S_LINK_COUNTS,
	S_CLICK_RECENT, S_STATE_GET, S_STATE_SET,
	S_MEMBER_TAGS, S_TEAM_PAGE, S_LEDGER_PAGE,
	S_SEARCH_EXT, S_SEARCH_ID, S_SEARCH_PREFIX, S_SEARCH_NAME,
	S_ORDER_ITEMS, S_ORDER_ITEMS_UNION, S_ITEM_EVENT,
	S_WD_PAGE,
	S_STATS_SERIES, S_STATS_TOP,
	S_CONV_GET, S_CONV_PUT, S_CONV_ID, S_CONV_RETARGET, S_CONV_EXPIRING,
	S_OAUTH_INSERT, S_OAUTH_GET, S_OAUTH_USE, S_PURGE_OAUTH,
	S_HOST_ADD, S_HOST_REMOVE, S_HOST_EACH, S_LINK_COUNT_SINCE, S_QUOTA_GET, S_QUOTA_SET,
	S_QUOTA_DELETE,
	S_COUNT_
};

_Static_assert(S_COUNT_ <= SQLITE_STMT_SLOTS, "too many server statements");

static struct sqlite_store *sq(struct store *st)
{
	return sqlite_of(st);
}

/* ---- secrets ---- */

static enum tk_rc secret_get(struct store *st, const char *name, uint8_t *out, size_t len,
			     struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	enum tk_rc rc;
	if (len == 0 || len > 64)
		return tk_fail(err, TK_EINVAL, "secret", "length must be 1..64, got %zu", len);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_SECRET_GET],
				      "SELECT value FROM server_secrets WHERE name=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite_step_one(s, q, &found, "reading a secret", err)))
		return rc;
	if (found && (size_t)sqlite3_column_bytes(q, 0) == len) {
		memcpy(out, sqlite3_column_blob(q, 0), len);
		sqlite3_reset(q);
		return TK_OK;
	}
	sqlite3_reset(q);
	/* INSERT OR IGNORE then read back: two processes starting at once agree */
	uint8_t fresh[64];
	randombytes_buf(fresh, len);
	sqlite3_stmt *w = sqlite_stmt(s, &s->server[S_SECRET_PUT],
				      "INSERT OR IGNORE INTO server_secrets(name, value) VALUES (?,?)",
				      err);
	if (!w)
		return TK_EIO;
	sqlite3_bind_text(w, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(w, 2, fresh, (int)len, SQLITE_STATIC);
	if ((rc = sqlite_exec_stmt(s, w, "saving a secret", err)))
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite_step_one(s, q, &found, "reading a secret", err)))
		return rc;
	if (!found || (size_t)sqlite3_column_bytes(q, 0) != len)
		rc = tk_fail(err, TK_EIO, "secret", "secret \"%s\" has the wrong length", name);
	else
		memcpy(out, sqlite3_column_blob(q, 0), len);
	sqlite3_reset(q);
	return rc;
}

/* ---- API keys ---- */

#define KEY_COLS "id, name, prefix, created_at, revoked_at, role"

static void apikey_read(sqlite3_stmt *q, struct apikey_rec *k)
{
	memset(k, 0, sizeof(*k));
	k->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, k->name, sizeof(k->name));
	sqlite_column_copy(q, 2, k->prefix, sizeof(k->prefix));
	k->created_at = sqlite3_column_int64(q, 3);
	k->revoked_at = sqlite3_column_int64(q, 4);
	sqlite_column_copy(q, 5, k->role, sizeof(k->role));
}

static enum tk_rc apikey_insert(struct store *st, struct apikey_rec *k,
				const uint8_t hash[SERVER_HASH_BYTES], struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_KEY_INSERT],
				      "INSERT INTO api_keys(name, prefix, hash, created_at, role) "
				      "VALUES (?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, k->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, k->prefix, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, k->created_at);
	sqlite3_bind_text(q, 5, k->role, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "saving an API key", err);
	if (!rc)
		k->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum tk_rc apikey_find(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
			      struct apikey_rec *k, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_KEY_FIND],
				      "SELECT " KEY_COLS " FROM api_keys "
				      "WHERE hash=? AND revoked_at=0",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading an API key", err);
	if (rc)
		return rc;
	if (found)
		apikey_read(q, k);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "authorization", "unknown or revoked API key");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc apikey_each(struct store *st, server_apikey_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_KEY_EACH],
				      "SELECT " KEY_COLS " FROM api_keys "
				      "ORDER BY id",
				      err);
	if (!q)
		return TK_EIO;
	struct apikey_rec k;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		apikey_read(q, &k);
		if (!cb(ctx, &k))
			break;
	}
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading API keys");
	sqlite3_reset(q);
	return rc;
}

/* Whether key `id` exists and when it was revoked (0: valid). */
static enum tk_rc key_state(struct sqlite_store *s, int64_t id, bool *found, int64_t *revoked_at,
			    struct tk_error *err)
{
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_KEY_EXISTS],
				      "SELECT revoked_at FROM api_keys WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	enum tk_rc rc = sqlite_step_one(s, q, found, "reading an API key", err);
	if (rc)
		return rc;
	*revoked_at = *found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return TK_OK;
}

static enum tk_rc apikey_revoke(struct store *st, int64_t id, int64_t at, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	int64_t revoked;
	enum tk_rc rc = key_state(s, id, &found, &revoked, err);
	if (rc)
		return rc;
	if (!found)
		return tk_fail(err, TK_ENOTFOUND, "id", "no API key %lld", (long long)id);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_KEY_REVOKE],
				      "UPDATE api_keys SET revoked_at=? WHERE id=? AND revoked_at=0",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sqlite_exec_stmt(s, q, "revoking an API key", err);
}

static enum tk_rc apikey_set_role(struct store *st, int64_t id, const char *role,
				  struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	int64_t revoked;
	enum tk_rc rc = key_state(s, id, &found, &revoked, err);
	if (rc)
		return rc;
	if (!found)
		return tk_fail(err, TK_ENOTFOUND, "id", "no API key %lld", (long long)id);
	if (revoked)
		return tk_fail(err, TK_ECONFLICT, "id", "API key %lld is revoked", (long long)id);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_KEY_ROLE],
				      "UPDATE api_keys SET role=? WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, id);
	return sqlite_exec_stmt(s, q, "changing an API key's role", err);
}

/* ---- operator sessions ---- */

static enum tk_rc opsession_insert(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				   int64_t key, const char *role, int64_t created_at,
				   int64_t expires_at, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_OPS_INSERT],
				      "INSERT INTO operator_sessions(hash, key, role, created_at, "
				      "expires_at) VALUES (?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, key);
	sqlite3_bind_text(q, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, created_at);
	sqlite3_bind_int64(q, 5, expires_at);
	return sqlite_exec_stmt(s, q, "saving an operator session", err);
}

static enum tk_rc opsession_get(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				int64_t now, struct apikey_rec *k, int64_t *expires_at,
				struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	/* the key as it is now: a revoked key, or one given another role,
	 * ends its sessions even where nobody deleted them */
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_OPS_GET],
				      "SELECT k.id, k.name, k.prefix, k.created_at, k.revoked_at, "
				      "k.role, o.expires_at FROM operator_sessions o "
				      "JOIN api_keys k ON k.id = o.key "
				      "WHERE o.hash=? AND o.expires_at>? AND k.revoked_at=0 "
				      "AND k.role = o.role",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading an operator session", err);
	if (rc)
		return rc;
	if (found) {
		apikey_read(q, k);
		*expires_at = sqlite3_column_int64(q, 6);
	} else {
		rc = tk_fail(err, TK_ENOTFOUND, "authorization",
			     "unknown or expired operator session; log in with the key again");
	}
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc opsession_delete(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				   struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_OPS_DELETE],
				      "DELETE FROM operator_sessions WHERE hash=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "ending an operator session", err);
}

static enum tk_rc opsession_delete_key(struct store *st, int64_t key, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_OPS_DELETE_KEY],
				      "DELETE FROM operator_sessions WHERE key=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, key);
	return sqlite_exec_stmt(s, q, "ending a key's operator sessions", err);
}

/* ---- passwords and sessions ---- */

static enum tk_rc password_set(struct store *st, int64_t member, const char *hash, int64_t at,
			       struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_PW_SET],
				      "INSERT INTO member_passwords(member, hash, updated_at) "
				      "VALUES (?1,?2,?3) ON CONFLICT(member) DO UPDATE SET "
				      "hash=?2, updated_at=?3",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_text(q, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, at);
	return sqlite_exec_stmt(s, q, "saving a password", err);
}

static enum tk_rc password_get(struct store *st, int64_t member, char hash[PASSWORD_HASH_MAX],
			       struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_PW_GET],
				      "SELECT hash FROM member_passwords WHERE member=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a password", err);
	if (rc)
		return rc;
	if (found)
		sqlite_column_copy(q, 0, hash, PASSWORD_HASH_MAX);
	else
		rc = TK_ENOTFOUND; /* the caller answers as for a wrong password */
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc session_insert(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				 int64_t member, int64_t created_at, int64_t expires_at,
				 struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_SESSION_INSERT],
				      "INSERT INTO sessions(hash, member, created_at, expires_at) "
				      "VALUES (?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, member);
	sqlite3_bind_int64(q, 3, created_at);
	sqlite3_bind_int64(q, 4, expires_at);
	return sqlite_exec_stmt(s, q, "saving a session", err);
}

static enum tk_rc session_get(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
			      int64_t now, int64_t *member, int64_t *expires_at,
			      struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_SESSION_GET],
				      "SELECT member, expires_at FROM sessions "
				      "WHERE hash=? AND expires_at>?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a session", err);
	if (rc)
		return rc;
	if (found) {
		*member = sqlite3_column_int64(q, 0);
		*expires_at = sqlite3_column_int64(q, 1);
	} else {
		rc = tk_fail(err, TK_ENOTFOUND, "authorization", "unknown or expired session");
	}
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc session_delete(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				 struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_SESSION_DELETE],
				      "DELETE FROM sessions WHERE hash=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "ending a session", err);
}

static enum tk_rc session_delete_member(struct store *st, int64_t member, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_SESSION_DELETE_MEMBER],
				      "DELETE FROM sessions WHERE member=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	return sqlite_exec_stmt(s, q, "ending a member's sessions", err);
}

/* ---- idempotency ---- */

static enum tk_rc idem_get(struct store *st, const char *principal, const char *key,
			   struct idem_rec *out, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_IDEM_GET],
				      "SELECT request_hash, status, body, created_at FROM idempotency "
				      "WHERE principal=? AND key=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, principal, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading an idempotency record", err);
	if (rc)
		return rc;
	if (!found) {
		sqlite3_reset(q);
		return TK_ENOTFOUND;
	}
	memset(out, 0, sizeof(*out));
	if (sqlite3_column_bytes(q, 0) == SERVER_HASH_BYTES)
		memcpy(out->request_hash, sqlite3_column_blob(q, 0), SERVER_HASH_BYTES);
	out->status = sqlite3_column_int(q, 1);
	const char *body = (const char *)sqlite3_column_text(q, 2);
	out->body = strdup(body ? body : "");
	out->created_at = sqlite3_column_int64(q, 3);
	sqlite3_reset(q);
	if (!out->body)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	return TK_OK;
}

static enum tk_rc idem_put(struct store *st, const char *principal, const char *key,
			   const struct idem_rec *r, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_IDEM_PUT],
				      "INSERT OR REPLACE INTO idempotency(principal, key, request_hash, "
				      "status, body, created_at) VALUES (?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, principal, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, r->request_hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, r->status);
	sqlite3_bind_text(q, 5, r->body ? r->body : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, r->created_at);
	return sqlite_exec_stmt(s, q, "saving an idempotency record", err);
}

static enum tk_rc idem_delete(struct store *st, const char *principal, const char *key,
			      struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_IDEM_DELETE],
				      "DELETE FROM idempotency WHERE principal=? AND key=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, principal, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "forgetting an idempotency record", err);
}

static enum tk_rc purge(struct store *st, int64_t now, int64_t idem_before,
			struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_PURGE_SESSIONS],
				      "DELETE FROM sessions WHERE expires_at<=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "purging sessions", err);
	if (rc)
		return rc;
	q = sqlite_stmt(s, &s->server[S_PURGE_OPS],
			"DELETE FROM operator_sessions WHERE expires_at<=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now);
	if ((rc = sqlite_exec_stmt(s, q, "purging operator sessions", err)))
		return rc;
	q = sqlite_stmt(s, &s->server[S_PURGE_IDEM],
			"DELETE FROM idempotency WHERE created_at<?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, idem_before);
	if ((rc = sqlite_exec_stmt(s, q, "purging idempotency records", err)))
		return rc;
	q = sqlite_stmt(s, &s->server[S_PURGE_OAUTH],
			"DELETE FROM oauth_states WHERE expires_at<=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now - 86400);
	return sqlite_exec_stmt(s, q, "purging authorization states", err);
}

/* ---- union authorizations under way ---- */

static enum tk_rc oauth_state_insert(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				     const struct oauth_state_rec *r, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_OAUTH_INSERT],
				      "INSERT INTO oauth_states(hash, member, union_, kind, created_at, "
				      "expires_at) VALUES (?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, r->member);
	sqlite3_bind_text(q, 3, r->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, r->created_at);
	sqlite3_bind_int64(q, 6, r->expires_at);
	return sqlite_exec_stmt(s, q, "saving an authorization state", err);
}

static enum tk_rc oauth_state_take(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				   int64_t now, struct oauth_state_rec *r, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_OAUTH_GET],
				      "SELECT member, union_, kind, created_at, expires_at, used_at "
				      "FROM oauth_states WHERE hash=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_blob(q, 1, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading an authorization state", err);
	if (rc)
		return rc;
	if (!found) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOTFOUND, "state", "unknown authorization state");
	}
	memset(r, 0, sizeof(*r));
	r->member = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, r->union_, sizeof(r->union_));
	sqlite_column_copy(q, 2, r->kind, sizeof(r->kind));
	r->created_at = sqlite3_column_int64(q, 3);
	r->expires_at = sqlite3_column_int64(q, 4);
	r->used_at = sqlite3_column_int64(q, 5);
	sqlite3_reset(q);
	if (r->used_at)
		return TK_OK;
	q = sqlite_stmt(s, &s->server[S_OAUTH_USE],
			"UPDATE oauth_states SET used_at=? WHERE hash=? AND used_at=0", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now > 0 ? now : 1);
	sqlite3_bind_blob(q, 2, hash, SERVER_HASH_BYTES, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "using an authorization state", err);
}

/* ---- links ---- */

#define LINK_COLS                                                                     \
	"l.id, l.code, l.member, m.ext, l.union_, l.product, l.channel, l.target, "   \
	"l.created_at, coalesce(c.clicks, 0), coalesce(c.unique_clicks, 0), "           \
	"coalesce(c.bot_clicks, 0), l.revoked_at, l.conversion, coalesce(v.expires_at, 0), " \
	"coalesce(v.demo, 0), l.origin, l.host_override"
#define LINK_FROM                                                                     \
	" FROM links l JOIN members m ON m.id = l.member "                            \
	"LEFT JOIN link_counts c ON c.link = l.id "                                     \
	"LEFT JOIN conversions v ON v.id = l.conversion "

static void link_read(sqlite3_stmt *q, struct link_rec *l)
{
	memset(l, 0, sizeof(*l));
	l->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, l->code, sizeof(l->code));
	l->member = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, l->member_ext, sizeof(l->member_ext));
	sqlite_column_copy(q, 4, l->union_, sizeof(l->union_));
	sqlite_column_copy(q, 5, l->product, sizeof(l->product));
	sqlite_column_copy(q, 6, l->channel, sizeof(l->channel));
	sqlite_column_copy(q, 7, l->target, sizeof(l->target));
	l->created_at = sqlite3_column_int64(q, 8);
	l->clicks = sqlite3_column_int64(q, 9);
	l->unique_clicks = sqlite3_column_int64(q, 10);
	l->bot_clicks = sqlite3_column_int64(q, 11);
	l->revoked_at = sqlite3_column_int64(q, 12);
	l->conversion = sqlite3_column_int64(q, 13);
	l->expires_at = sqlite3_column_int64(q, 14);
	l->demo = sqlite3_column_int64(q, 15) != 0;
	l->origin = sqlite3_column_int(q, 16);
	l->host_override = sqlite3_column_int(q, 17) != 0;
}

static enum tk_rc link_insert(struct store *st, struct link_rec *l, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_INSERT],
				      "INSERT INTO links(code, member, union_, product, channel, "
				      "target, created_at, conversion, origin, host_override) "
				      "VALUES (?,?,?,?,?,?,?,?,?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, l->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, l->member);
	sqlite3_bind_text(q, 3, l->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, l->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, l->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, l->target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, l->created_at);
	sqlite3_bind_int64(q, 8, l->conversion);
	sqlite3_bind_int(q, 9, l->origin);
	sqlite3_bind_int(q, 10, l->host_override);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "saving a link", err);
	if (rc == TK_ECONFLICT)
		return tk_fail(err, TK_ECONFLICT, "code", "link code \"%s\" is taken", l->code);
	if (!rc)
		l->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* The one link a bound query selects, if any; the query is reset. */
static enum tk_rc link_one(struct sqlite_store *s, sqlite3_stmt *q, struct link_rec *l,
			   bool *found, struct tk_error *err)
{
	enum tk_rc rc = sqlite_step_one(s, q, found, "reading a link", err);
	if (!rc && *found)
		link_read(q, l);
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc link_get(struct store *st, const char *code, struct link_rec *l,
			   struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_GET],
				      "SELECT " LINK_COLS LINK_FROM "WHERE l.code=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = link_one(s, q, l, &found, err);
	return rc || found ? rc : tk_fail(err, TK_ENOTFOUND, "code", "no link \"%s\"", code);
}

static enum tk_rc link_get_id(struct store *st, int64_t id, struct link_rec *l,
			      struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_GET_ID],
				      "SELECT " LINK_COLS LINK_FROM "WHERE l.id=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = link_one(s, q, l, &found, err);
	return rc || found ? rc : tk_fail(err, TK_ENOTFOUND, "link", "no link %lld", (long long)id);
}

static enum tk_rc link_revoke(struct store *st, int64_t id, int64_t at, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_REVOKE],
				      "UPDATE links SET revoked_at=? WHERE id=? AND revoked_at=0", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sqlite_exec_stmt(s, q, "revoking a link", err);
}

static enum tk_rc link_find(struct store *st, int64_t member, const char *union_,
			    const char *product, const char *channel, struct link_rec *l,
			    struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_FIND],
				      "SELECT " LINK_COLS LINK_FROM "WHERE l.member=? AND l.union_=? "
				      "AND l.product=? AND l.channel=? AND l.revoked_at=0 ORDER BY l.id DESC LIMIT 1",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_text(q, 2, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, channel, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = link_one(s, q, l, &found, err);
	return rc || found ? rc : tk_fail(err, TK_ENOTFOUND, "product", "no link yet");
}

static enum tk_rc link_iterate(struct sqlite_store *s, sqlite3_stmt *q, server_link_cb cb,
			       void *ctx, struct tk_error *err)
{
	struct link_rec *l = malloc(sizeof(*l));
	if (!l) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		link_read(q, l);
		if (!cb(ctx, l))
			break;
	}
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading links");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	free(l);
	return rc;
}

static enum tk_rc link_each(struct store *st, server_link_cb cb, void *ctx,
			    struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_EACH],
				      "SELECT " LINK_COLS LINK_FROM "ORDER BY l.id", err);
	return q ? link_iterate(s, q, cb, ctx, err) : TK_EIO;
}

static enum tk_rc link_page(struct store *st, int64_t member, int64_t before, int limit,
			    server_link_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = member
		? sqlite_stmt(s, &s->server[S_LINK_PAGE_MEMBER],
			      "SELECT " LINK_COLS LINK_FROM "WHERE l.member=?1 AND l.id<?2 "
			      "ORDER BY l.id DESC LIMIT ?3",
			      err)
		: sqlite_stmt(s, &s->server[S_LINK_PAGE_ALL],
			      "SELECT " LINK_COLS LINK_FROM "WHERE l.id<?2 "
			      "ORDER BY l.id DESC LIMIT ?3",
			      err);
	if (!q)
		return TK_EIO;
	if (member)
		sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int64(q, 2, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(q, 3, limit);
	return link_iterate(s, q, cb, ctx, err);
}

/* ---- allowed link hosts and member link quotas ---- */

static enum tk_rc link_host_add(struct store *st, const char *domain, int64_t at, bool *added,
				struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_HOST_ADD],
				      "INSERT INTO link_hosts(domain, added_at) VALUES (?, ?) "
				      "ON CONFLICT(domain) DO NOTHING",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "adding an allowed link host", err);
	*added = !rc && sqlite3_changes(s->db) > 0;
	return rc;
}

static enum tk_rc link_host_remove(struct store *st, const char *domain, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_HOST_REMOVE],
				      "DELETE FROM link_hosts WHERE domain = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, domain, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "removing an allowed link host", err);
	if (!rc && sqlite3_changes(s->db) == 0)
		return tk_fail(err, TK_ENOTFOUND, "domain", "\"%s\" is not on the allowed list",
			       domain);
	return rc;
}

struct host_rows {
	server_link_host_cb cb;
	void *ctx;
};

static bool host_row(void *ctx, sqlite3_stmt *q)
{
	struct host_rows *h = ctx;
	return h->cb(h->ctx, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1));
}

static enum tk_rc link_host_each(struct store *st, server_link_host_cb cb, void *ctx,
				 struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_HOST_EACH],
				      "SELECT domain, added_at FROM link_hosts ORDER BY domain", err);
	struct host_rows h = {cb, ctx};
	return q ? sqlite_each_row(s, q, host_row, &h, "reading the allowed link hosts", err)
		 : TK_EIO;
}

static enum tk_rc link_count_since(struct store *st, int64_t member, int64_t since, int64_t *n,
				   int64_t *oldest, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_COUNT_SINCE],
				      "SELECT count(*), coalesce(min(created_at), 0) FROM links "
				      "WHERE member = ? AND origin = 1 AND created_at >= ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int64(q, 2, since);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "counting a member's links", err);
	*n = !rc && found ? sqlite3_column_int64(q, 0) : 0;
	*oldest = !rc && found ? sqlite3_column_int64(q, 1) : 0;
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc link_quota_get(struct store *st, int64_t member, int64_t *per_hour,
				 int64_t *per_day, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_QUOTA_GET],
				      "SELECT per_hour, per_day FROM link_quotas WHERE member = ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a member's link quota", err);
	if (!rc && found) {
		*per_hour = sqlite3_column_int64(q, 0);
		*per_day = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	if (!rc && !found)
		return tk_fail(err, TK_ENOTFOUND, "member", "member %lld has no link quota of its own",
			       (long long)member);
	return rc;
}

static enum tk_rc link_quota_set(struct store *st, int64_t member, int64_t per_hour,
				 int64_t per_day, int64_t at, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool drop = per_hour == 0 && per_day == 0;
	sqlite3_stmt *q = drop
		? sqlite_stmt(s, &s->server[S_QUOTA_DELETE],
			      "DELETE FROM link_quotas WHERE member = ?1", err)
		: sqlite_stmt(s, &s->server[S_QUOTA_SET],
			      "INSERT INTO link_quotas(member, per_hour, per_day, updated_at) "
			      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(member) DO UPDATE SET "
			      "per_hour = excluded.per_hour, per_day = excluded.per_day, "
			      "updated_at = excluded.updated_at",
			      err);
	if (!q)
		return TK_EIO;
	if (!drop && (per_hour < 1 || per_day < 1)) {
		return tk_fail(err, TK_EINVAL, per_hour < 1 ? "links_per_hour" : "links_per_day",
			       "must be at least 1");
	}
	sqlite3_bind_int64(q, 1, member);
	if (!drop) {
		sqlite3_bind_int64(q, 2, per_hour);
		sqlite3_bind_int64(q, 3, per_day);
		sqlite3_bind_int64(q, 4, at);
	}
	return sqlite_exec_stmt(s, q, "setting a member's link quota", err);
}

/* ---- conversions ---- */

#define CONV_COLS                                                                     \
	"id, member, union_, product, coupon, url, long_url, tpwd, demo, converted_at, "  \
	"expires_at, channel"

static void conv_read(sqlite3_stmt *q, struct conversion_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(q, 0);
	c->member = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, c->union_, sizeof(c->union_));
	sqlite_column_copy(q, 3, c->product, sizeof(c->product));
	sqlite_column_copy(q, 4, c->coupon, sizeof(c->coupon));
	sqlite_column_copy(q, 5, c->url, sizeof(c->url));
	sqlite_column_copy(q, 6, c->long_url, sizeof(c->long_url));
	sqlite_column_copy(q, 7, c->tpwd, sizeof(c->tpwd));
	c->demo = sqlite3_column_int64(q, 8) != 0;
	c->converted_at = sqlite3_column_int64(q, 9);
	c->expires_at = sqlite3_column_int64(q, 10);
	sqlite_column_copy(q, 11, c->channel, sizeof(c->channel));
}

static enum tk_rc conversion_get(struct store *st, int64_t member, const char *union_,
				 const char *product, const char *coupon, const char *channel,
				 struct conversion_rec *c, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_CONV_GET],
				      "SELECT " CONV_COLS " FROM conversions WHERE member=? AND "
				      "union_=? AND product=? AND coupon=? AND channel=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_text(q, 2, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, coupon, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, channel, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a conversion", err);
	if (!rc && found)
		conv_read(q, c);
	sqlite3_reset(q);
	return rc || found ? rc : tk_fail(err, TK_ENOTFOUND, "product", "no conversion yet");
}

static enum tk_rc conversion_put_in_tx(struct store *st, struct conversion_rec *c,
				       struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_CONV_PUT],
				      "INSERT INTO conversions(member, union_, product, coupon, url, "
				      "long_url, tpwd, demo, converted_at, expires_at, channel) "
				      "VALUES (?,?,?,?,?,?,?,?,?,?,?) "
				      "ON CONFLICT(member, union_, product, coupon, channel) DO UPDATE SET "
				      "url=excluded.url, long_url=excluded.long_url, tpwd=excluded.tpwd, "
				      "demo=excluded.demo, converted_at=excluded.converted_at, "
				      "expires_at=excluded.expires_at",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, c->member);
	sqlite3_bind_text(q, 2, c->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->coupon, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, c->long_url, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, c->tpwd, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 8, c->demo);
	sqlite3_bind_int64(q, 9, c->converted_at);
	sqlite3_bind_int64(q, 10, c->expires_at);
	sqlite3_bind_text(q, 11, c->channel, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "saving a conversion", err);
	if (rc)
		return rc;
	/* the id: the new row's, or the one the upsert updated */
	q = sqlite_stmt(s, &s->server[S_CONV_ID],
			"SELECT id FROM conversions WHERE member=? AND union_=? AND product=? "
			"AND coupon=? AND channel=?",
			err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, c->member);
	sqlite3_bind_text(q, 2, c->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->coupon, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->channel, -1, SQLITE_STATIC);
	bool found;
	if ((rc = sqlite_step_one(s, q, &found, "reading a conversion", err)))
		return rc;
	c->id = found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (!found)
		return tk_fail(err, TK_EIO, "conversion", "saved conversion not found");
	/* its links follow it; the change log's trigger tells the servers */
	q = sqlite_stmt(s, &s->server[S_CONV_RETARGET],
			"UPDATE links SET target=?1 WHERE conversion=?2 AND revoked_at=0 "
			"AND target<>?1",
			err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, c->url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, c->id);
	return sqlite_exec_stmt(s, q, "re-targeting links", err);
}

/* The conversion and its links' new target go together: inside the
 * caller's transaction, or in one of its own. */
static enum tk_rc conversion_put(struct store *st, struct conversion_rec *c,
				 struct tk_error *err)
{
	if (sq(st)->tx_depth > 0)
		return conversion_put_in_tx(st, c, err);
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	rc = conversion_put_in_tx(st, c, err);
	rc = rc ? rc : st->ops->tx_commit(st, err);
	if (rc)
		st->ops->tx_rollback(st);
	return rc;
}

/* A conversion a row: read into one record on the heap (it is large). */
struct conv_walk {
	server_conversion_cb cb;
	void *ctx;
	struct conversion_rec *rec;
};

static bool conv_row(void *ctx, sqlite3_stmt *q)
{
	struct conv_walk *w = ctx;
	conv_read(q, w->rec);
	return w->cb(w->ctx, w->rec);
}

static enum tk_rc conversion_expiring(struct store *st, int64_t before, int limit,
				      server_conversion_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_CONV_EXPIRING],
				      "SELECT " CONV_COLS " FROM conversions v WHERE expires_at<? AND "
				      "EXISTS (SELECT 1 FROM links l WHERE l.conversion=v.id AND "
				      "l.revoked_at=0) ORDER BY expires_at, id LIMIT ?",
				      err);
	if (!q)
		return TK_EIO;
	struct conv_walk w = {cb, ctx, malloc(sizeof(*w.rec))};
	if (!w.rec)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	sqlite3_bind_int64(q, 1, before);
	sqlite3_bind_int(q, 2, limit);
	enum tk_rc rc = sqlite_each_row(s, q, conv_row, &w, "reading conversions", err);
	free(w.rec);
	return rc;
}

/* ---- clicks ---- */

#define CLICK_COLS 8
#define CLICKS_PER_STATEMENT 256

static void click_bind(sqlite3_stmt *q, int base, const char *node, const struct click_rec *c)
{
	sqlite3_bind_int64(q, base + 1, c->at);
	sqlite3_bind_int64(q, base + 2, c->link);
	sqlite3_bind_blob(q, base + 3, c->ip_hash, CLICK_IP_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(q, base + 4, c->ua_hash, CLICK_UA_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(q, base + 5, c->referrer, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, base + 6, c->bot);
	sqlite3_bind_int(q, base + 7, c->unique);
	sqlite3_bind_text(q, base + 8, node, -1, SQLITE_STATIC);
}

/* "INSERT INTO clicks(...) VALUES (?,...),(?,...)..." for n rows. */
static sqlite3_stmt *click_statement(struct sqlite_store *s, sqlite3_stmt **slot, int n,
				     struct tk_error *err)
{
	if (*slot)
		return *slot;
	char sql[80 + CLICKS_PER_STATEMENT * 20];
	size_t o = (size_t)snprintf(sql, sizeof(sql),
				    "INSERT INTO clicks(at, link, ip_hash, ua_hash, referrer, bot, "
				    "uniq, node) VALUES ");
	for (int i = 0; i < n && o < sizeof(sql); i++)
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s(?,?,?,?,?,?,?,?)", i ? "," : "");
	return sqlite_stmt(s, slot, sql, err);
}

static enum tk_rc click_insert(struct store *st, const char *node, const struct click_rec *c,
			       size_t n, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	enum tk_rc rc = TK_OK;
	/* many rows per statement: a batch of clicks costs a fraction of the
	 * statement overhead it would one row at a time */
	sqlite3_stmt *many = click_statement(s, &s->server[S_CLICK_INSERT_MANY],
					     CLICKS_PER_STATEMENT, err);
	sqlite3_stmt *one = click_statement(s, &s->server[S_CLICK_INSERT], 1, err);
	if (!many || !one)
		return TK_EIO;
	size_t i = 0;
	for (; !rc && i + CLICKS_PER_STATEMENT <= n; i += CLICKS_PER_STATEMENT) {
		for (int k = 0; k < CLICKS_PER_STATEMENT; k++)
			click_bind(many, k * CLICK_COLS, node, &c[i + (size_t)k]);
		rc = sqlite_exec_stmt(s, many, "recording clicks", err);
	}
	for (; !rc && i < n; i++) {
		click_bind(one, 0, node, &c[i]);
		rc = sqlite_exec_stmt(s, one, "recording a click", err);
	}
	return rc;
}

static enum tk_rc click_last_id(struct store *st, int64_t *id, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_CLICK_LAST],
				      "SELECT coalesce(max(id), 0) FROM clicks", err);
	if (!q)
		return TK_EIO;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading the last click", err);
	if (rc)
		return rc;
	*id = found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return TK_OK;
}

/* The rows after `after` by the rowid (every node's since the mark, a few
 * seconds' worth unless the node was down), the node's kept. */
static enum tk_rc click_sums_after(struct store *st, const char *node, int64_t after,
				   server_link_sum_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_CLICK_SUMS],
				      "SELECT link, sum(bot = 0), sum(uniq), sum(bot) FROM clicks "
				      "WHERE id > ? AND node = ? GROUP BY link ORDER BY link",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_text(q, 2, node, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (!cb(ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
			sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3)))
			break;
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "summing recent clicks");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc state_get(struct store *st, const char *name, int64_t *value,
			    struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	bool found;
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_STATE_GET],
				      "SELECT value FROM server_state WHERE name=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading the server state", err);
	if (rc)
		return rc;
	*value = found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return TK_OK;
}

static enum tk_rc state_set(struct store *st, const char *name, int64_t value,
			    struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_STATE_SET],
				      "INSERT OR REPLACE INTO server_state(name, value) VALUES (?,?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, value);
	return sqlite_exec_stmt(s, q, "saving the server state", err);
}

static enum tk_rc link_counts_add(struct store *st, int64_t link, int64_t clicks,
				  int64_t unique_clicks, int64_t bot_clicks, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_LINK_COUNTS],
				      "INSERT INTO link_counts(link, clicks, unique_clicks, bot_clicks) "
				      "VALUES (?,?,?,?) ON CONFLICT(link) DO UPDATE SET "
				      "clicks=clicks+excluded.clicks, "
				      "unique_clicks=unique_clicks+excluded.unique_clicks, "
				      "bot_clicks=bot_clicks+excluded.bot_clicks",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, link);
	sqlite3_bind_int64(q, 2, clicks);
	sqlite3_bind_int64(q, 3, unique_clicks);
	sqlite3_bind_int64(q, 4, bot_clicks);
	return sqlite_exec_stmt(s, q, "counting clicks", err);
}

static enum tk_rc click_recent(struct store *st, int64_t since, server_recent_cb cb, void *ctx,
			       struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	/* newest first by rowid, stopping at the first row older than `since`:
	 * rows are appended in time order, so this reads only the window */
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_CLICK_RECENT],
				      "SELECT link, ip_hash, at, uniq FROM clicks ORDER BY id DESC",
				      err);
	if (!q)
		return TK_EIO;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(q, 2);
		if (at < since)
			break;
		if (!sqlite3_column_int(q, 3) ||
		    sqlite3_column_bytes(q, 1) != CLICK_IP_HASH_BYTES)
			continue;
		if (!cb(ctx, sqlite3_column_int64(q, 0), sqlite3_column_blob(q, 1), at))
			break;
	}
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading recent clicks");
	sqlite3_reset(q);
	return rc;
}

/* ---- listings over the money core ---- */

static enum tk_rc member_tags(struct store *st, int64_t member, server_tag_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_MEMBER_TAGS],
				      "SELECT union_, kind, value FROM tags WHERE member=? "
				      "AND channel='' ORDER BY union_, kind, value",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (!cb(ctx, (const char *)sqlite3_column_text(q, 0),
			(const char *)sqlite3_column_text(q, 1),
			(const char *)sqlite3_column_text(q, 2)))
			break;
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading a member's tags");
	sqlite3_reset(q);
	return rc;
}

#define MEMBER_COLS "id, ext, parent, level, name, depth, direct_count, team_count, created_at"

struct member_rows {
	store_member_cb cb;
	void *ctx;
	int64_t seen[100]; /* ids handed out (member_search: each once) */
	int n, limit;
};

static bool member_row(void *ctx, sqlite3_stmt *q)
{
	struct member_rows *r = ctx;
	struct member_rec m;
	memset(&m, 0, sizeof(m));
	m.id = sqlite3_column_int64(q, 0);
	for (int i = 0; i < r->n && r->limit; i++)
		if (r->seen[i] == m.id)
			return true;
	sqlite_column_copy(q, 1, m.ext, sizeof(m.ext));
	m.parent = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, m.level, sizeof(m.level));
	sqlite_column_copy(q, 4, m.name, sizeof(m.name));
	m.depth = sqlite3_column_int(q, 5);
	m.direct_count = sqlite3_column_int64(q, 6);
	m.team_count = sqlite3_column_int64(q, 7);
	m.created_at = sqlite3_column_int64(q, 8);
	if (r->limit) {
		r->seen[r->n++] = m.id;
		if (!r->cb(r->ctx, &m))
			r->limit = r->n; /* the caller has enough */
		return r->n < r->limit;
	}
	return r->cb(r->ctx, &m);
}

static enum tk_rc team_page(struct store *st, int64_t parent, int64_t after, int limit,
			    store_member_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_TEAM_PAGE],
				      "SELECT " MEMBER_COLS " FROM members WHERE parent=? AND id>? "
				      "ORDER BY id LIMIT ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, parent);
	sqlite3_bind_int64(q, 2, after);
	sqlite3_bind_int(q, 3, limit);
	struct member_rows r = {.cb = cb, .ctx = ctx};
	return sqlite_each_row(s, q, member_row, &r, "reading a team", err);
}

static enum tk_rc member_search(struct store *st, const char *text, int64_t invite_id,
				int limit, store_member_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	/* the id, the invite code, an id prefix (GLOB uses the unique index
	 * on ext; a q with GLOB's own characters only matches whole), then a
	 * name containing q (a scan, stopped at the limit) */
	static const char *const sql[] = {
		"SELECT " MEMBER_COLS " FROM members WHERE ext=?1",
		"SELECT " MEMBER_COLS " FROM members WHERE id=?1",
		"SELECT " MEMBER_COLS " FROM members WHERE ext GLOB ?1 ORDER BY ext LIMIT ?2",
		"SELECT " MEMBER_COLS " FROM members WHERE instr(name, ?1) > 0 ORDER BY id LIMIT ?2",
	};
	static const int slot[] = {S_SEARCH_EXT, S_SEARCH_ID, S_SEARCH_PREFIX, S_SEARCH_NAME};
	char prefix[ORDER_KEY_MAX + 2];
	bool globbable = !strpbrk(text, "*?[");
	snprintf(prefix, sizeof(prefix), "%s*", text);
	if (limit > 100)
		limit = 100;
	struct member_rows r = {.cb = cb, .ctx = ctx, .limit = limit};
	enum tk_rc rc = TK_OK;
	for (int i = 0; i < 4 && !rc && r.n < r.limit; i++) {
		if ((i == 1 && !invite_id) || (i == 2 && !globbable))
			continue;
		sqlite3_stmt *q = sqlite_stmt(s, &s->server[slot[i]], sql[i], err);
		if (!q)
			return TK_EIO;
		if (i == 1)
			sqlite3_bind_int64(q, 1, invite_id);
		else
			sqlite3_bind_text(q, 1, i == 2 ? prefix : text, -1, SQLITE_TRANSIENT);
		if (i >= 2)
			sqlite3_bind_int(q, 2, limit);
		rc = sqlite_each_row(s, q, member_row, &r, "searching members", err);
	}
	return rc;
}

/* ---- the members list: one SQL text per filter set (member_query.c),
 * prepared per request, since the filters change its shape ---- */

static sqlite3_stmt *member_query_prepare(struct sqlite_store *s, const struct member_query *f,
					  int limit, int64_t cap, struct tk_error *err)
{
	struct member_query_sql b;
	sqlite3_stmt *q = NULL;
	if (!member_query_build(&b, f, false, limit, cap)) {
		member_query_sql_free(&b);
		tk_fail(err, TK_ENOMEM, "", "out of memory");
		return NULL;
	}
	if (sqlite3_prepare_v2(s->db, b.sql.s, -1, &q, NULL) != SQLITE_OK) {
		sqlite_fail(s, err, "listing members");
		member_query_sql_free(&b);
		return NULL;
	}
	for (int i = 0; i < b.n; i++) {
		if (b.args[i].s)
			sqlite3_bind_text(q, i + 1, b.args[i].s, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(q, i + 1, b.args[i].i);
	}
	member_query_sql_free(&b);
	return q;
}

struct member_sales_rows {
	server_member_sales_cb cb;
	void *ctx;
};

static bool member_sales_row(void *ctx, sqlite3_stmt *q)
{
	struct member_sales_rows *r = ctx;
	struct member_rec m;
	memset(&m, 0, sizeof(m));
	m.id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, m.ext, sizeof(m.ext));
	m.parent = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, m.level, sizeof(m.level));
	sqlite_column_copy(q, 4, m.name, sizeof(m.name));
	m.depth = sqlite3_column_int(q, 5);
	m.direct_count = sqlite3_column_int64(q, 6);
	m.team_count = sqlite3_column_int64(q, 7);
	m.created_at = sqlite3_column_int64(q, 8);
	return r->cb(r->ctx, &m, sqlite3_column_int64(q, 9));
}

static enum tk_rc member_list(struct store *st, const struct member_query *f, int limit,
			      server_member_sales_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	assert(limit > 0);
	sqlite3_stmt *q = member_query_prepare(s, f, limit, 0, err);
	if (!q)
		return err->rc ? err->rc : TK_EIO;
	struct member_sales_rows r = {cb, ctx};
	enum tk_rc rc = sqlite_each_row(s, q, member_sales_row, &r, "listing members", err);
	sqlite3_finalize(q);
	return rc;
}

static enum tk_rc member_count(struct store *st, const struct member_query *f, int64_t cap,
			       int64_t *n, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = member_query_prepare(s, f, 0, cap, err);
	if (!q)
		return err->rc ? err->rc : TK_EIO;
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "counting members", err);
	*n = !rc && found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return rc;
}

struct key_rows {
	server_item_key_cb cb;
	void *ctx;
};

static bool item_key_row(void *ctx, sqlite3_stmt *q)
{
	struct key_rows *r = ctx;
	return r->cb(r->ctx, (const char *)sqlite3_column_text(q, 0),
		     (const char *)sqlite3_column_text(q, 1));
}

static enum tk_rc order_items(struct store *st, const char *order_no, const char *union_,
			      int limit, server_item_key_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q =
		union_ ? sqlite_stmt(s, &s->server[S_ORDER_ITEMS_UNION],
				     "SELECT union_, item_key FROM items WHERE order_no=?1 AND "
				     "union_=?3 ORDER BY union_, item_key LIMIT ?2",
				     err)
		       : sqlite_stmt(s, &s->server[S_ORDER_ITEMS],
				     "SELECT union_, item_key FROM items WHERE order_no=?1 "
				     "ORDER BY union_, item_key LIMIT ?2",
				     err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, order_no, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 2, limit);
	if (union_)
		sqlite3_bind_text(q, 3, union_, -1, SQLITE_TRANSIENT);
	struct key_rows r = {cb, ctx};
	return sqlite_each_row(s, q, item_key_row, &r, "reading an order", err);
}

/* Prepared per call: its text depends on the filters set (item_list_sql.c). */
static enum tk_rc item_list(struct store *st, const struct item_query *q, server_item_row_cb cb,
			    void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	struct textbuf sql = {0};
	struct item_list_param p[ITEM_LIST_PARAMS_MAX];
	int n;
	sqlite3_stmt *stmt = NULL;
	enum tk_rc rc = TK_OK;
	if (!item_list_sql(q, false, &sql, p, &n)) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, sql.s, -1, &stmt, NULL) != SQLITE_OK) {
		rc = sqlite_fail(s, err, "listing order items");
		goto out;
	}
	for (int k = 0; k < n; k++)
		if (p[k].s)
			sqlite3_bind_text(stmt, k + 1, p[k].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(stmt, k + 1, p[k].v);
	struct item_list_row *r = malloc(sizeof(*r));
	if (!r) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(stmt, ILC_ID);
		sqlite_column_copy(stmt, ILC_UNION, r->union_, sizeof(r->union_));
		sqlite_column_copy(stmt, ILC_ITEM, r->item, sizeof(r->item));
		sqlite_column_copy(stmt, ILC_ORDER, r->order, sizeof(r->order));
		sqlite_column_copy(stmt, ILC_PRODUCT, r->product, sizeof(r->product));
		sqlite_column_copy(stmt, ILC_TITLE, r->title, sizeof(r->title));
		sqlite_column_copy(stmt, ILC_CHANNEL, r->channel, sizeof(r->channel));
		sqlite_column_copy(stmt, ILC_SHARER, r->sharer_ext, sizeof(r->sharer_ext));
		r->status = sqlite3_column_int(stmt, ILC_STATUS);
		r->attribution = sqlite3_column_int(stmt, ILC_ATTRIBUTION);
		r->paid_at = sqlite3_column_int64(stmt, ILC_PAID_AT);
		r->amount = sqlite3_column_int64(stmt, ILC_AMOUNT);
		r->commission = sqlite3_column_int64(stmt, ILC_COMMISSION);
		r->n_chain = sqlite3_column_int(stmt, ILC_N_CHAIN);
		for (int k = 0; k < 3; k++) {
			r->member[k] = sqlite3_column_int64(stmt, ILC_M1 + 2 * k);
			r->share[k] = sqlite3_column_int64(stmt, ILC_A1 + 2 * k);
		}
		r->key = sqlite3_column_int64(stmt, ILC_KEY);
		if (!cb(ctx, r))
			break;
	}
	free(r);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "listing order items");
out:
	sqlite3_finalize(stmt);
	textbuf_free(&sql);
	return rc;
}

static enum tk_rc item_totals(struct store *st, const struct item_query *q,
			      struct item_totals *out, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	struct textbuf sql = {0};
	struct item_list_param p[ITEM_LIST_PARAMS_MAX];
	int n;
	sqlite3_stmt *stmt = NULL;
	enum tk_rc rc = TK_OK;
	memset(out, 0, sizeof(*out));
	if (!item_totals_sql(q, false, &sql, p, &n)) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, sql.s, -1, &stmt, NULL) != SQLITE_OK) {
		rc = sqlite_fail(s, err, "summing order items");
		goto out;
	}
	for (int k = 0; k < n; k++)
		if (p[k].s)
			sqlite3_bind_text(stmt, k + 1, p[k].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(stmt, k + 1, p[k].v);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = sqlite_fail(s, err, "summing order items");
		goto out;
	}
	out->items = sqlite3_column_int64(stmt, 0);
	out->amount = sqlite3_column_int64(stmt, 1);
	out->commission = sqlite3_column_int64(stmt, 2);
	out->share = sqlite3_column_int64(stmt, 3);
out:
	sqlite3_finalize(stmt);
	textbuf_free(&sql);
	return rc;
}

static enum tk_rc item_events(struct store *st, int64_t last, int limit, server_item_event_cb cb,
			      void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_ITEM_EVENT],
				      "SELECT prev, status, commission, modified_at, applied_at, note "
				      "FROM item_events WHERE id=?",
				      err);
	if (!q)
		return TK_EIO;
	/* a walk back along the chain: one seek a state */
	for (int n = 0; last > 0 && n < limit; n++) {
		sqlite3_bind_int64(q, 1, last);
		int step = sqlite3_step(q);
		if (step != SQLITE_ROW) {
			sqlite3_reset(q);
			return step == SQLITE_DONE ? TK_OK : sqlite_fail(s, err, "reading an item's life");
		}
		struct item_event_rec ev = {
			.id = last,
			.status = sqlite3_column_int(q, 1),
			.commission = sqlite3_column_int64(q, 2),
			.modified_at = sqlite3_column_int64(q, 3),
			.applied_at = sqlite3_column_int64(q, 4),
		};
		sqlite_column_copy(q, 5, ev.note, sizeof(ev.note));
		last = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		if (!cb(ctx, &ev))
			break;
	}
	return TK_OK;
}

static enum tk_rc ledger_page(struct store *st, int64_t member, int64_t before, int limit,
			      server_ledger_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	/* The member's transfers by the index server-0004, newest first from
	 * `before`: a seek and LIMIT rows, however long its history.  The title
	 * the order row gave, else the library's (orders through a link may
	 * come without one): one lookup by (union_, product) a row. */
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->server[S_LEDGER_PAGE],
		"SELECT t.id, t.debit, t.credit, t.amount, t.code, t.item, t.withdrawal, t.at, "
		" i.union_, i.item_key, i.product, coalesce(nullif(i.title, ''), p.title, ''),"
		" i.amount FROM transfers t LEFT JOIN items i ON i.id = t.item"
		" LEFT JOIN products p ON p.union_ = i.union_ AND p.product = i.product"
		" WHERE max(t.debit, t.credit) >= 8 AND " SQL_TRANSFER_MEMBER_T " = ?1"
		" AND t.id < ?2 ORDER BY t.id DESC LIMIT ?3",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int64(q, 2, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(q, 3, limit);
	struct ledger_entry e;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.t.id = sqlite3_column_int64(q, 0);
		e.t.debit = sqlite3_column_int64(q, 1);
		e.t.credit = sqlite3_column_int64(q, 2);
		e.t.amount = sqlite3_column_int64(q, 3);
		e.t.code = (enum transfer_code)sqlite3_column_int(q, 4);
		e.t.item = sqlite3_column_int64(q, 5);
		e.t.withdrawal = sqlite3_column_int64(q, 6);
		e.t.at = sqlite3_column_int64(q, 7);
		sqlite_column_copy(q, 8, e.union_, sizeof(e.union_));
		sqlite_column_copy(q, 9, e.item_key, sizeof(e.item_key));
		sqlite_column_copy(q, 10, e.product, sizeof(e.product));
		sqlite_column_copy(q, 11, e.title, sizeof(e.title));
		e.item_amount = sqlite3_column_int64(q, 12);
		if (!cb(ctx, &e))
			break;
	}
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading the ledger");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc withdrawal_page(struct store *st, int64_t member, int status, int64_t from,
				  int64_t to, int64_t before, int limit, server_withdrawal_cb cb,
				  void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	/* ?1 = 0, ?2 = -1, ?5 = 0 and ?6 = 0 switch their filters off */
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->server[S_WD_PAGE],
		"SELECT w.id, w.member, w.amount, w.fee, w.available_before, w.method, w.account, "
		" w.status, w.requested_at, w.decided_at, w.paid_at, m.ext, w.payee, m.name, "
		" w.reason, w.bank, w.branch "
		"FROM withdrawals w JOIN members m ON m.id = w.member "
		"WHERE (?1 = 0 OR w.member = ?1) AND (?2 = -1 OR w.status = ?2) AND w.id < ?3 "
		"AND (?5 = 0 OR w.requested_at >= ?5) AND (?6 = 0 OR w.requested_at <= ?6) "
		"ORDER BY w.id DESC LIMIT ?4",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int(q, 2, status);
	sqlite3_bind_int64(q, 3, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(q, 4, limit);
	sqlite3_bind_int64(q, 5, from);
	sqlite3_bind_int64(q, 6, to);
	struct withdrawal_rec w;
	char ext[ORDER_KEY_MAX], name[MEMBER_NAME_MAX];
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&w, 0, sizeof(w));
		w.id = sqlite3_column_int64(q, 0);
		w.member = sqlite3_column_int64(q, 1);
		w.amount = sqlite3_column_int64(q, 2);
		w.fee = sqlite3_column_int64(q, 3);
		w.available_before = sqlite3_column_int64(q, 4);
		sqlite_column_copy(q, 5, w.method, sizeof(w.method));
		sqlite_column_copy(q, 6, w.account, sizeof(w.account));
		w.status = (enum wd_status)sqlite3_column_int(q, 7);
		w.requested_at = sqlite3_column_int64(q, 8);
		w.decided_at = sqlite3_column_int64(q, 9);
		w.paid_at = sqlite3_column_int64(q, 10);
		sqlite_column_copy(q, 11, ext, sizeof(ext));
		sqlite_column_copy(q, 12, w.payee, sizeof(w.payee));
		sqlite_column_copy(q, 13, name, sizeof(name));
		sqlite_column_copy(q, 14, w.reason, sizeof(w.reason));
		sqlite_column_copy(q, 15, w.bank, sizeof(w.bank));
		sqlite_column_copy(q, 16, w.branch, sizeof(w.branch));
		if (!cb(ctx, &w, ext, name))
			break;
	}
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading withdrawals");
	sqlite3_reset(q);
	return rc;
}

/* ---- reports ---- */

#define STAT_COLS                                                                     \
	"orders, gmv, commission, members_share, platform_share, settled_orders, "   \
	"settled_commission, invalid_orders, new_members, clicks, unique_clicks, link_orders"
#define STAT_SUMS                                                                     \
	"sum(orders), sum(gmv), sum(commission), sum(members_share), "               \
	"sum(platform_share), sum(settled_orders), sum(settled_commission), "        \
	"sum(invalid_orders), sum(new_members), sum(clicks), sum(unique_clicks), "     \
	"sum(link_orders)"
/* The days of a range as a table, so that every read of daily_stats is a
 * seek on its primary key (day, dim, key) and never a scan of other
 * dimensions' rows. */
#define STAT_DAYS "WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL SELECT day+1 FROM d " \
		  "WHERE day < ?2) "

static enum tk_rc stats_iterate(struct sqlite_store *s, sqlite3_stmt *q, bool has_day,
				server_stats_cb cb, void *ctx, struct tk_error *err)
{
	int64_t v[STAT_N];
	char key[ORDER_KEY_MAX * 2];
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int c = 0;
		int64_t day = has_day ? sqlite3_column_int64(q, c) : 0;
		c += has_day;
		sqlite_column_copy(q, c++, key, sizeof(key));
		for (int i = 0; i < STAT_N; i++)
			v[i] = sqlite3_column_int64(q, c + i);
		if (!cb(ctx, day, key, v))
			break;
	}
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading statistics");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

static enum tk_rc stats_series(struct store *st, int dim, const char *key, int64_t from,
			       int64_t to, server_stats_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_STATS_SERIES],
				      STAT_DAYS "SELECT s.day, s.key, " STAT_COLS
				      " FROM d JOIN daily_stats s ON s.day = d.day AND s.dim = ?3 "
				      "AND s.key = ?4 ORDER BY s.day",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	sqlite3_bind_int(q, 3, dim);
	sqlite3_bind_text(q, 4, key, -1, SQLITE_STATIC);
	return stats_iterate(s, q, true, cb, ctx, err);
}

static enum tk_rc stats_top(struct store *st, int dim, int64_t from, int64_t to,
			    enum day_stat metric, int limit, server_stats_cb cb, void *ctx,
			    struct tk_error *err)
{
	struct sqlite_store *s = sq(st);
	if ((int)metric < 0 || metric >= STAT_N)
		return tk_fail(err, TK_EINVAL, "metric", "unknown metric %d", (int)metric);
	sqlite3_stmt *q = sqlite_stmt(s, &s->server[S_STATS_TOP],
				      STAT_DAYS "SELECT s.key, " STAT_SUMS
				      " FROM d JOIN daily_stats s ON s.day = d.day AND s.dim = ?3 "
				      "GROUP BY s.key ORDER BY (CASE ?4 WHEN 0 THEN sum(orders) "
				      "WHEN 1 THEN sum(gmv) WHEN 2 THEN sum(commission) "
				      "WHEN 3 THEN sum(members_share) WHEN 4 THEN sum(platform_share) "
				      "WHEN 5 THEN sum(settled_orders) "
				      "WHEN 6 THEN sum(settled_commission) "
				      "WHEN 7 THEN sum(invalid_orders) WHEN 8 THEN sum(new_members) "
				      "WHEN 9 THEN sum(clicks) WHEN 10 THEN sum(unique_clicks) "
				      "ELSE sum(link_orders) END) DESC, "
				      "s.key LIMIT ?5",
				      err);
	if (!q)
		return TK_EIO;
	_Static_assert(STAT_ORDERS == 0 && STAT_GMV == 1 && STAT_COMMISSION == 2 &&
			       STAT_MEMBERS_SHARE == 3 && STAT_PLATFORM_SHARE == 4 &&
			       STAT_SETTLED_ORDERS == 5 && STAT_SETTLED_COMMISSION == 6 &&
			       STAT_INVALID_ORDERS == 7 && STAT_NEW_MEMBERS == 8 &&
			       STAT_CLICKS == 9 && STAT_UNIQUE_CLICKS == 10 && STAT_LINK_ORDERS == 11 &&
			       STAT_N == 12,
		       "the CASE above follows enum day_stat");
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	sqlite3_bind_int(q, 3, dim);
	sqlite3_bind_int(q, 4, (int)metric);
	sqlite3_bind_int(q, 5, limit);
	return stats_iterate(s, q, false, cb, ctx, err);
}

const struct server_store_ops sqlite_server_ops = {
	.secret_get = secret_get,
	.apikey_insert = apikey_insert,
	.apikey_find = apikey_find,
	.apikey_each = apikey_each,
	.apikey_revoke = apikey_revoke,
	.apikey_set_role = apikey_set_role,
	.opsession_insert = opsession_insert,
	.opsession_get = opsession_get,
	.opsession_delete = opsession_delete,
	.opsession_delete_key = opsession_delete_key,
	.password_set = password_set,
	.password_get = password_get,
	.session_insert = session_insert,
	.session_get = session_get,
	.session_delete = session_delete,
	.session_delete_member = session_delete_member,
	.idem_get = idem_get,
	.idem_put = idem_put,
	.idem_delete = idem_delete,
	.purge = purge,
	.oauth_state_insert = oauth_state_insert,
	.oauth_state_take = oauth_state_take,
	.link_insert = link_insert,
	.link_get = link_get,
	.link_get_id = link_get_id,
	.link_revoke = link_revoke,
	.link_find = link_find,
	.link_each = link_each,
	.link_page = link_page,
	.link_host_add = link_host_add,
	.link_host_remove = link_host_remove,
	.link_host_each = link_host_each,
	.link_count_since = link_count_since,
	.link_quota_get = link_quota_get,
	.link_quota_set = link_quota_set,
	.conversion_get = conversion_get,
	.conversion_put = conversion_put,
	.conversion_expiring = conversion_expiring,
	.click_insert = click_insert,
	.click_last_id = click_last_id,
	.click_sums_after = click_sums_after,
	.state_get = state_get,
	.state_set = state_set,
	.link_counts_add = link_counts_add,
	.click_recent = click_recent,
	.member_tags = member_tags,
	.team_page = team_page,
	.member_search = member_search,
	.member_list = member_list,
	.member_count = member_count,
	.order_items = order_items,
	.item_list = item_list,
	.item_totals = item_totals,
	.item_events = item_events,
	.ledger_page = ledger_page,
	.withdrawal_page = withdrawal_page,
	.stats_series = stats_series,
	.stats_top = stats_top,
};

/* sqlite_growth.c — SQLite storage for growth (growth_store.h): per-level
 * team counts, daily own and team sales, level history, member moves,
 * gift-pack holdings, team listings and the compliance figures.
 *
 * The migrations fill the kept-current tables (and the history) from what
 * an existing database already holds, so that a database created before
 * them reads the same as one that had them from the start. */
#include <stdio.h>
#include <string.h>

#include "store/growth_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_growth[] = {
	{"growth-0001",
	 /* direct and whole-team member counts per level, kept on write for
	  * every level but the implicit one (growth_store.h) */
	 "CREATE TABLE growth_settings ("
	 " name TEXT PRIMARY KEY,"
	 " value TEXT NOT NULL) WITHOUT ROWID;"
	 "INSERT INTO growth_settings(name, value)"
	 " SELECT 'implicit_level', level FROM members GROUP BY level"
	 " ORDER BY count(*) DESC, level LIMIT 1;"
	 "CREATE TABLE team_levels ("
	 " member INTEGER NOT NULL,"
	 " level TEXT NOT NULL,"
	 " direct INTEGER NOT NULL DEFAULT 0,"
	 " team INTEGER NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (member, level)) WITHOUT ROWID;"

	 /* per member and Beijing day: own = orders it is tier 1 of, team =
	  * the member and everyone under it; gift packs are not sales */
	 "CREATE TABLE team_daily ("
	 " member INTEGER NOT NULL,"
	 " day INTEGER NOT NULL,"
	 " own_gmv INTEGER NOT NULL DEFAULT 0,"
	 " own_commission INTEGER NOT NULL DEFAULT 0,"
	 " team_gmv INTEGER NOT NULL DEFAULT 0,"
	 " team_commission INTEGER NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (member, day)) WITHOUT ROWID;"

	 "CREATE TABLE level_history ("
	 " id INTEGER PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " from_level TEXT NOT NULL,"
	 " to_level TEXT NOT NULL,"
	 " rule TEXT NOT NULL,"
	 " item INTEGER,"
	 " at INTEGER NOT NULL);"
	 "CREATE INDEX level_history_member ON level_history(member, id);"

	 /* the audit trail of moves: who moved whom, from where, to where, why */
	 "CREATE TABLE member_moves ("
	 " id INTEGER PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " from_parent INTEGER,"
	 " to_parent INTEGER,"
	 " moved_by TEXT NOT NULL,"
	 " reason TEXT NOT NULL,"
	 " at INTEGER NOT NULL);"
	 "CREATE INDEX member_moves_member ON member_moves(member, id);"
	 "CREATE TRIGGER member_moves_no_update BEFORE UPDATE ON member_moves"
	 " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	 "CREATE TRIGGER member_moves_no_delete BEFORE DELETE ON member_moves"
	 " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"

	 "CREATE TABLE gift_pack_items ("
	 " item INTEGER PRIMARY KEY,"
	 " member INTEGER NOT NULL REFERENCES members(id),"
	 " product TEXT NOT NULL,"
	 " level TEXT NOT NULL,"
	 " held INTEGER NOT NULL,"
	 " level_before TEXT NOT NULL,"
	 " review_due INTEGER NOT NULL DEFAULT 0,"
	 " at INTEGER NOT NULL);"
	 "CREATE INDEX gift_pack_items_member ON gift_pack_items(member);"

	 /* fill the counts from the members already there */
	 "INSERT INTO team_levels(member, level, direct, team)"
	 " WITH RECURSIVE up(id, level, anc, first) AS ("
	 "  SELECT id, level, parent, 1 FROM members WHERE parent IS NOT NULL"
	 "  UNION ALL SELECT up.id, up.level, m.parent, 0 FROM up JOIN members m ON m.id = up.anc"
	 "  WHERE m.parent IS NOT NULL)"
	 " SELECT anc, level, sum(first), count(*) FROM up"
	 " WHERE level NOT IN (SELECT value FROM growth_settings WHERE name = 'implicit_level')"
	 " GROUP BY anc, level;"

	 /* and the daily sums from the items already there */
	 "INSERT INTO team_daily(member, day, own_gmv, own_commission, team_gmv, team_commission)"
	 " WITH RECURSIVE own(member, day, gmv, comm) AS ("
	 "  SELECT m1, (CASE WHEN paid_at > 0 THEN paid_at ELSE modified_at END + 28800) / 86400,"
	 "   sum(amount), sum(max(commission - refunded, 0))"
	 "  FROM items WHERE status IN (1, 2, 3) AND n_chain > 0 GROUP BY 1, 2),"
	 " up(member, anc, day, gmv, comm) AS ("
	 "  SELECT member, member, day, gmv, comm FROM own"
	 "  UNION ALL SELECT up.member, m.parent, up.day, up.gmv, up.comm"
	 "  FROM up JOIN members m ON m.id = up.anc WHERE m.parent IS NOT NULL)"
	 " SELECT anc, day, sum(CASE WHEN anc = member THEN gmv ELSE 0 END),"
	 "  sum(CASE WHEN anc = member THEN comm ELSE 0 END), sum(gmv), sum(comm)"
	 " FROM up GROUP BY anc, day;"},
	{"growth-0002",
	 /* A member created at another level than the default was granted it;
	  * creation now leaves that in the history (from '', rule operator or
	  * import) for the review and corrections to read.  Members created
	  * before get it here: the level they were created at (the first
	  * change's from, else their level) when it is not the active plan's
	  * default, unless a later grant already stands. */
	 "INSERT INTO level_history(member, from_level, to_level, rule, item, at)"
	 " SELECT id, '', created, 'operator', NULL, created_at FROM ("
	 "  SELECT m.id, m.created_at, coalesce((SELECT h.from_level FROM level_history h"
	 "   WHERE h.member = m.id ORDER BY h.id LIMIT 1), m.level) AS created"
	 "  FROM members m WHERE NOT EXISTS (SELECT 1 FROM level_history h"
	 "   WHERE h.member = m.id AND h.rule IN ('operator', 'import')))"
	 " WHERE created <> coalesce((SELECT json_extract(json, '$.default_level') FROM plans"
	 "  ORDER BY version DESC LIMIT 1), 'member')"
	 " ORDER BY id;"},
	/* The change-log number a move or level change was made at: what an
	 * item saw at its first sight is then exact even within one second. */
	{"growth-0003",
	 "ALTER TABLE level_history ADD COLUMN seq INTEGER;"
	 "ALTER TABLE member_moves ADD COLUMN seq INTEGER;"},
	{NULL, NULL},
};

enum {
	G_IMPLICIT_GET, G_IMPLICIT_SET, G_COUNT_ADD, G_COUNT_EACH,
	G_DAY_ADD, G_DAY_SUM, G_DAY_EACH, G_OWN_SUMS,
	G_HIST_INSERT, G_HIST_EACH, G_HIST_ALL,
	G_REPARENT, G_REDEPTH, G_MOVE_INSERT, G_MOVE_EACH, G_MOVE_ALL,
	G_PACK_GET, G_PACK_PUT, G_PACK_EACH, G_PACK_ALL, G_PACK_DONE,
	G_DEPTH, G_FIG_ITEMS, G_FIG_EARNERS, G_FIG_SAMPLE,
	G_MEMBER_AT,
	G_COUNT_
};

/* ---- per-level counts ---- */

static enum tk_rc implicit_level_get(struct store *st, char level[PLAN_KEY_MAX],
				     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_IMPLICIT_GET],
				      "SELECT value FROM growth_settings WHERE name = 'implicit_level'",
				      err);
	if (!q)
		return TK_EIO;
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading the implicit level", err);
	if (!rc && found)
		sqlite_column_copy(q, 0, level, PLAN_KEY_MAX);
	else if (!rc)
		rc = tk_fail(err, TK_ENOTFOUND, "", "no implicit level chosen yet");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc implicit_level_set(struct store *st, const char *level, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_IMPLICIT_SET],
				      "INSERT INTO growth_settings(name, value)"
				      " VALUES ('implicit_level', ?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, level, -1, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "choosing the implicit level", err);
}

static enum tk_rc level_count_add(struct store *st, int64_t member, const char *level,
				  int64_t direct, int64_t team, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->growth[G_COUNT_ADD],
		"INSERT INTO team_levels(member, level, direct, team) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (member, level) DO UPDATE SET direct = direct + ?3, team = team + ?4",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_text(q, 2, level, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, direct);
	sqlite3_bind_int64(q, 4, team);
	return sqlite_exec_stmt(s, q, "updating per-level team counts", err);
}

struct count_walk {
	store_level_count_cb cb;
	void *ctx;
};

static bool count_row(void *ctx, sqlite3_stmt *q)
{
	struct count_walk *w = ctx;
	char level[PLAN_KEY_MAX];
	sqlite_column_copy(q, 0, level, sizeof(level));
	return w->cb(w->ctx, level, sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2));
}

static enum tk_rc level_count_each(struct store *st, int64_t member, store_level_count_cb cb,
				   void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct count_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_COUNT_EACH],
				      "SELECT level, direct, team FROM team_levels WHERE member=?"
				      " AND (direct <> 0 OR team <> 0) ORDER BY level",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	return sqlite_each_row(s, q, count_row, &w, "reading per-level team counts", err);
}

/* ---- daily sums ---- */

static enum tk_rc team_day_add(struct store *st, int64_t member, int64_t day,
			       const int64_t v[TD_N], struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->growth[G_DAY_ADD],
		"INSERT INTO team_daily(member, day, own_gmv, own_commission, team_gmv,"
		" team_commission) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (member, day) DO"
		" UPDATE SET own_gmv = own_gmv + ?3, own_commission = own_commission + ?4,"
		" team_gmv = team_gmv + ?5, team_commission = team_commission + ?6",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int64(q, 2, day);
	for (int i = 0; i < TD_N; i++)
		sqlite3_bind_int64(q, 3 + i, v[i]);
	return sqlite_exec_stmt(s, q, "updating team sales", err);
}

static enum tk_rc team_day_sum(struct store *st, int64_t member, int64_t from, int64_t to,
			       int64_t out[TD_N], struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->growth[G_DAY_SUM],
		"SELECT coalesce(sum(own_gmv), 0), coalesce(sum(own_commission), 0),"
		" coalesce(sum(team_gmv), 0), coalesce(sum(team_commission), 0)"
		" FROM team_daily WHERE member=? AND day BETWEEN ? AND ?",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	enum tk_rc rc = TK_OK;
	if (sqlite3_step(q) == SQLITE_ROW) {
		for (int i = 0; i < TD_N; i++)
			out[i] = sqlite3_column_int64(q, i);
	} else {
		rc = sqlite_fail(s, err, "reading team sales");
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

struct day_walk {
	store_team_day_cb cb;
	void *ctx;
};

static bool day_row(void *ctx, sqlite3_stmt *q)
{
	struct day_walk *w = ctx;
	int64_t v[TD_N];
	for (int i = 0; i < TD_N; i++)
		v[i] = sqlite3_column_int64(q, 1 + i);
	return w->cb(w->ctx, sqlite3_column_int64(q, 0), v);
}

static enum tk_rc team_day_each(struct store *st, int64_t member, store_team_day_cb cb,
				void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct day_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_DAY_EACH],
				      "SELECT day, own_gmv, own_commission, team_gmv, team_commission"
				      " FROM team_daily WHERE member=? ORDER BY day",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	return sqlite_each_row(s, q, day_row, &w, "reading team sales", err);
}

struct own_walk {
	store_own_sum_cb cb;
	void *ctx;
};

static bool own_row(void *ctx, sqlite3_stmt *q)
{
	struct own_walk *w = ctx;
	return w->cb(w->ctx, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1),
		     sqlite3_column_int64(q, 2));
}

static enum tk_rc own_sum_each(struct store *st, int64_t from, int64_t to, store_own_sum_cb cb,
			       void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct own_walk w = {cb, ctx};
	/* daily_stats is keyed (day, dim, key): a day range is one index range */
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_OWN_SUMS],
				      "SELECT key, sum(gmv), sum(commission) FROM daily_stats"
				      " WHERE day BETWEEN ? AND ? AND dim = 1 GROUP BY key",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	return sqlite_each_row(s, q, own_row, &w, "reading sales per member", err);
}

/* ---- level history ---- */

static enum tk_rc history_insert(struct store *st, struct level_change_rec *c,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_HIST_INSERT],
				      "INSERT INTO level_history(member, from_level, to_level, rule,"
				      " item, at, seq) VALUES (?, ?, ?, ?, ?, ?,"
				      " (SELECT coalesce(max(seq), 0) FROM changes))",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, c->member);
	sqlite3_bind_text(q, 2, c->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->rule, -1, SQLITE_STATIC);
	if (c->item)
		sqlite3_bind_int64(q, 5, c->item);
	else
		sqlite3_bind_null(q, 5);
	sqlite3_bind_int64(q, 6, c->at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "recording a level change", err);
	if (!rc)
		c->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

#define HIST_COLS \
	"h.id, h.member, m.ext, h.from_level, h.to_level, h.rule, coalesce(h.item, 0), h.at," \
	" coalesce(h.seq, 0)"

static void history_read(sqlite3_stmt *q, struct level_change_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(q, 0);
	c->member = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, c->member_ext, sizeof(c->member_ext));
	sqlite_column_copy(q, 3, c->from, sizeof(c->from));
	sqlite_column_copy(q, 4, c->to, sizeof(c->to));
	sqlite_column_copy(q, 5, c->rule, sizeof(c->rule));
	c->item = sqlite3_column_int64(q, 6);
	c->at = sqlite3_column_int64(q, 7);
	c->seq = sqlite3_column_int64(q, 8);
}

struct hist_walk {
	store_level_change_cb cb;
	void *ctx;
};

static bool hist_row(void *ctx, sqlite3_stmt *q)
{
	struct hist_walk *w = ctx;
	struct level_change_rec c;
	history_read(q, &c);
	return w->cb(w->ctx, &c);
}

static enum tk_rc history_each(struct store *st, int64_t member, store_level_change_cb cb,
			       void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct hist_walk w = {cb, ctx};
	sqlite3_stmt *q =
		member ? sqlite_stmt(s, &s->growth[G_HIST_EACH],
				     "SELECT " HIST_COLS " FROM level_history h JOIN members m"
				     " ON m.id = h.member WHERE h.member=? ORDER BY h.id",
				     err)
		       : sqlite_stmt(s, &s->growth[G_HIST_ALL],
				     "SELECT " HIST_COLS " FROM level_history h JOIN members m"
				     " ON m.id = h.member ORDER BY h.id",
				     err);
	if (!q)
		return TK_EIO;
	if (member)
		sqlite3_bind_int64(q, 1, member);
	return sqlite_each_row(s, q, hist_row, &w, "reading the level history", err);
}

/* ---- moves ---- */

static enum tk_rc member_reparent(struct store *st, int64_t member, int64_t parent,
				  int32_t depth_delta, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	enum tk_rc rc;
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_REPARENT],
				      "UPDATE members SET parent=? WHERE id=?", err);
	if (!q)
		return TK_EIO;
	sqlite_bind_text_or_null(q, 1, NULL);
	if (parent)
		sqlite3_bind_int64(q, 1, parent);
	sqlite3_bind_int64(q, 2, member);
	if ((rc = sqlite_exec_stmt(s, q, "moving a member", err)) || depth_delta == 0)
		return rc;
	q = sqlite_stmt(s, &s->growth[G_REDEPTH],
			"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL"
			" SELECT m.id FROM members m JOIN sub ON m.parent = sub.id)"
			" UPDATE members SET depth = depth + ?2 WHERE id IN sub",
			err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int(q, 2, depth_delta);
	return sqlite_exec_stmt(s, q, "updating the depth of a moved team", err);
}

static enum tk_rc move_insert(struct store *st, struct member_move_rec *m, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_MOVE_INSERT],
				      "INSERT INTO member_moves(member, from_parent, to_parent,"
				      " moved_by, reason, at, seq) VALUES (?, ?, ?, ?, ?, ?,"
				      " (SELECT coalesce(max(seq), 0) FROM changes))",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, m->member);
	if (m->from_parent)
		sqlite3_bind_int64(q, 2, m->from_parent);
	else
		sqlite3_bind_null(q, 2);
	if (m->to_parent)
		sqlite3_bind_int64(q, 3, m->to_parent);
	else
		sqlite3_bind_null(q, 3);
	sqlite3_bind_text(q, 4, m->by, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, m->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, m->at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "recording a move", err);
	if (!rc)
		m->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

#define MOVE_COLS                                                                           \
	"v.id, v.member, m.ext, coalesce(v.from_parent, 0), coalesce(f.ext, ''),"           \
	" coalesce(v.to_parent, 0), coalesce(t.ext, ''), v.moved_by, v.reason, v.at,"        \
	" coalesce(v.seq, 0)"                                                                 \
	" FROM member_moves v JOIN members m ON m.id = v.member"                             \
	" LEFT JOIN members f ON f.id = v.from_parent LEFT JOIN members t ON t.id = v.to_parent"

struct move_walk {
	store_move_cb cb;
	void *ctx;
};

static bool move_row(void *ctx, sqlite3_stmt *q)
{
	struct move_walk *w = ctx;
	struct member_move_rec m;
	memset(&m, 0, sizeof(m));
	m.id = sqlite3_column_int64(q, 0);
	m.member = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, m.member_ext, sizeof(m.member_ext));
	m.from_parent = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, m.from_ext, sizeof(m.from_ext));
	m.to_parent = sqlite3_column_int64(q, 5);
	sqlite_column_copy(q, 6, m.to_ext, sizeof(m.to_ext));
	sqlite_column_copy(q, 7, m.by, sizeof(m.by));
	sqlite_column_copy(q, 8, m.reason, sizeof(m.reason));
	m.at = sqlite3_column_int64(q, 9);
	m.seq = sqlite3_column_int64(q, 10);
	return w->cb(w->ctx, &m);
}

static enum tk_rc move_each(struct store *st, int64_t member, store_move_cb cb, void *ctx,
			    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct move_walk w = {cb, ctx};
	sqlite3_stmt *q =
		member ? sqlite_stmt(s, &s->growth[G_MOVE_EACH],
				     "SELECT " MOVE_COLS " WHERE v.member=? ORDER BY v.id", err)
		       : sqlite_stmt(s, &s->growth[G_MOVE_ALL],
				     "SELECT " MOVE_COLS " ORDER BY v.id", err);
	if (!q)
		return TK_EIO;
	if (member)
		sqlite3_bind_int64(q, 1, member);
	return sqlite_each_row(s, q, move_row, &w, "reading member moves", err);
}

/* Before its first move a member had the parent the first move took it
 * from; after its last, the one that move gave it (likewise levels).  A
 * change is made by a moment when its change-log number is at most the
 * moment's (both known), else when its time is at most the moment's; ids
 * follow both. */
#define MADE_BY "(CASE WHEN ?3 > 0 AND seq > 0 THEN seq <= ?3 ELSE at <= ?2 END)"
static enum tk_rc member_at(struct store *st, int64_t member, int64_t at, int64_t seq,
			    int64_t *parent, char level[PLAN_KEY_MAX], struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->growth[G_MEMBER_AT],
		"SELECT coalesce("
		" (SELECT coalesce(to_parent, 0) FROM member_moves WHERE member=m.id AND " MADE_BY
		"  ORDER BY id DESC LIMIT 1),"
		" (SELECT coalesce(from_parent, 0) FROM member_moves WHERE member=m.id AND NOT "
		MADE_BY "  ORDER BY id LIMIT 1),"
		" coalesce(m.parent, 0)), coalesce("
		" (SELECT to_level FROM level_history WHERE member=m.id AND " MADE_BY
		"  ORDER BY id DESC LIMIT 1),"
		" (SELECT from_level FROM level_history WHERE member=m.id AND NOT " MADE_BY
		"  ORDER BY id LIMIT 1),"
		" m.level) FROM members m WHERE m.id=?1",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	sqlite3_bind_int64(q, 2, at);
	sqlite3_bind_int64(q, 3, seq);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		*parent = sqlite3_column_int64(q, 0);
		sqlite_column_copy(q, 1, level, PLAN_KEY_MAX);
	} else if (step == SQLITE_DONE) {
		rc = tk_fail(err, TK_ENOTFOUND, "member", "no member #%lld", (long long)member);
	} else {
		rc = sqlite_fail(s, err, "reading a member's past");
	}
	sqlite3_reset(q);
	return rc;
}

/* ---- gift-pack holdings ---- */

#define PACK_COLS "item, member, product, level, held, level_before, review_due, at"

static void pack_read(sqlite3_stmt *q, struct pack_holding_rec *h)
{
	memset(h, 0, sizeof(*h));
	h->item = sqlite3_column_int64(q, 0);
	h->member = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, h->product, sizeof(h->product));
	sqlite_column_copy(q, 3, h->level, sizeof(h->level));
	h->held = sqlite3_column_int(q, 4) != 0;
	sqlite_column_copy(q, 5, h->level_before, sizeof(h->level_before));
	h->review_due = sqlite3_column_int(q, 6) != 0;
	h->at = sqlite3_column_int64(q, 7);
}

static enum tk_rc pack_get(struct store *st, int64_t item, struct pack_holding_rec *h,
			   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_PACK_GET],
				      "SELECT " PACK_COLS " FROM gift_pack_items WHERE item=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, item);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		pack_read(q, h);
	else if (step == SQLITE_DONE)
		rc = tk_fail(err, TK_ENOTFOUND, "item", "not a gift-pack item");
	else
		rc = sqlite_fail(s, err, "reading a gift-pack holding");
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc pack_put(struct store *st, const struct pack_holding_rec *h,
			   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_PACK_PUT],
				      "INSERT OR REPLACE INTO gift_pack_items(" PACK_COLS
				      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, h->item);
	sqlite3_bind_int64(q, 2, h->member);
	sqlite3_bind_text(q, 3, h->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, h->level, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, h->held);
	sqlite3_bind_text(q, 6, h->level_before, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, h->review_due);
	sqlite3_bind_int64(q, 8, h->at);
	return sqlite_exec_stmt(s, q, "recording a gift-pack holding", err);
}

struct pack_walk {
	store_pack_cb cb;
	void *ctx;
};

static bool pack_row(void *ctx, sqlite3_stmt *q)
{
	struct pack_walk *w = ctx;
	struct pack_holding_rec h;
	pack_read(q, &h);
	return w->cb(w->ctx, &h);
}

static enum tk_rc pack_each(struct store *st, int64_t member, store_pack_cb cb, void *ctx,
			    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct pack_walk w = {cb, ctx};
	sqlite3_stmt *q =
		member ? sqlite_stmt(s, &s->growth[G_PACK_EACH],
				     "SELECT " PACK_COLS " FROM gift_pack_items WHERE member=?"
				     " ORDER BY item",
				     err)
		       : sqlite_stmt(s, &s->growth[G_PACK_ALL],
				     "SELECT " PACK_COLS " FROM gift_pack_items"
				     " WHERE held <> 0 OR review_due <> 0 ORDER BY item",
				     err);
	if (!q)
		return TK_EIO;
	if (member)
		sqlite3_bind_int64(q, 1, member);
	return sqlite_each_row(s, q, pack_row, &w, "reading gift-pack holdings", err);
}

static enum tk_rc pack_review_done(struct store *st, int64_t member, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_PACK_DONE],
				      "UPDATE gift_pack_items SET review_due = 0"
				      " WHERE member=? AND review_due <> 0",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, member);
	return sqlite_exec_stmt(s, q, "clearing a gift-pack review", err);
}

/* ---- team listing ---- */

struct team_walk {
	store_team_row_cb cb;
	void *ctx;
};

static bool team_row(void *ctx, sqlite3_stmt *q)
{
	struct team_walk *w = ctx;
	struct team_row r;
	memset(&r, 0, sizeof(r));
	r.m.id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, r.m.ext, sizeof(r.m.ext));
	r.m.parent = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, r.m.level, sizeof(r.m.level));
	sqlite_column_copy(q, 4, r.m.name, sizeof(r.m.name));
	r.m.depth = sqlite3_column_int(q, 5);
	r.m.direct_count = sqlite3_column_int64(q, 6);
	r.m.team_count = sqlite3_column_int64(q, 7);
	r.m.created_at = sqlite3_column_int64(q, 8);
	r.own_gmv_month = sqlite3_column_int64(q, 9);
	r.team_gmv_month = sqlite3_column_int64(q, 10);
	r.team_commission_month = sqlite3_column_int64(q, 11);
	return w->cb(w->ctx, &r);
}

static enum tk_rc team_list(struct store *st, const struct team_query *tq, store_team_row_cb cb,
			    void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	static const char *const order_cols[] = {
		[TEAM_SORT_TEAM] = "m.team_count",
		[TEAM_SORT_DIRECT] = "m.direct_count",
		[TEAM_SORT_JOINED] = "m.created_at",
		[TEAM_SORT_GMV] = "team_gmv",
	};
	if ((unsigned)tq->sort > TEAM_SORT_GMV)
		return tk_fail(err, TK_EINVAL, "sort", "unknown sort order");
	/* The sort column comes from the fixed list above, never from input. */
	char sql[1400];
	const char *dir = tq->ascending ? "ASC" : "DESC";
	snprintf(sql, sizeof(sql),
		 "%s SELECT m.id, m.ext, coalesce(m.parent, 0), m.level, m.name, m.depth,"
		 " m.direct_count, m.team_count, m.created_at,"
		 " coalesce(d.own_gmv, 0), coalesce(d.team_gmv, 0) AS team_gmv,"
		 " coalesce(d.team_commission, 0)"
		 " FROM %s"
		 " LEFT JOIN (SELECT member, sum(own_gmv) AS own_gmv, sum(team_gmv) AS team_gmv,"
		 "  sum(team_commission) AS team_commission FROM team_daily"
		 "  WHERE member IN (SELECT id FROM %s) AND day BETWEEN ?2 AND ?3 GROUP BY member) d"
		 " ON d.member = m.id"
		 " ORDER BY %s %s, m.id LIMIT ?4 OFFSET ?5",
		 tq->whole ? "WITH RECURSIVE sub(id) AS (SELECT id FROM members WHERE parent = ?1"
			     " UNION ALL SELECT c.id FROM members c JOIN sub ON c.parent = sub.id)"
			   : "WITH sub(id) AS (SELECT id FROM members WHERE parent = ?1)",
		 "sub JOIN members m ON m.id = sub.id", "sub", order_cols[tq->sort], dir);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return sqlite_fail(s, err, "preparing the team listing");
	sqlite3_bind_int64(q, 1, tq->member);
	sqlite3_bind_int64(q, 2, tq->month_from);
	sqlite3_bind_int64(q, 3, tq->month_to);
	sqlite3_bind_int64(q, 4, tq->limit);
	sqlite3_bind_int64(q, 5, tq->offset);
	struct team_walk w = {cb, ctx};
	enum tk_rc rc = sqlite_each_row(s, q, team_row, &w, "listing a team", err);
	sqlite3_finalize(q);
	return rc;
}

/* ---- compliance ---- */

struct depth_walk {
	store_depth_cb cb;
	void *ctx;
};

static bool depth_row(void *ctx, sqlite3_stmt *q)
{
	struct depth_walk *w = ctx;
	return w->cb(w->ctx, sqlite3_column_int(q, 0), sqlite3_column_int64(q, 1));
}

static enum tk_rc depth_each(struct store *st, store_depth_cb cb, void *ctx,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct depth_walk w = {cb, ctx};
	sqlite3_stmt *q = sqlite_stmt(s, &s->growth[G_DEPTH],
				      "SELECT depth, count(*) FROM members GROUP BY depth"
				      " ORDER BY depth",
				      err);
	return q ? sqlite_each_row(s, q, depth_row, &w, "reading the tree depth", err) : TK_EIO;
}

/* Each member's income from an item slot, by kind: 0 its own and its
 * customers' purchases (tier 1), 1 tiers 2-3, 2 gift-pack margins. */
#define INCOME_CTE                                                                          \
	"WITH slot(member, kind, amount) AS ("                                              \
	" SELECT i.m1, CASE WHEN g.item IS NULL THEN 0 ELSE 2 END, i.a1 FROM items i"       \
	"  LEFT JOIN gift_pack_items g ON g.item = i.id WHERE i.a1 <> 0"                    \
	" UNION ALL SELECT i.m2, CASE WHEN g.item IS NULL THEN 1 ELSE 2 END, i.a2 FROM items i" \
	"  LEFT JOIN gift_pack_items g ON g.item = i.id WHERE i.a2 <> 0"                    \
	" UNION ALL SELECT i.m3, CASE WHEN g.item IS NULL THEN 1 ELSE 2 END, i.a3 FROM items i" \
	"  LEFT JOIN gift_pack_items g ON g.item = i.id WHERE i.a3 <> 0),"                  \
	" per(member, sales, team, packs) AS (SELECT member,"                               \
	"  sum(CASE kind WHEN 0 THEN amount ELSE 0 END),"                                   \
	"  sum(CASE kind WHEN 1 THEN amount ELSE 0 END),"                                   \
	"  sum(CASE kind WHEN 2 THEN amount ELSE 0 END) FROM slot GROUP BY member) "

static enum tk_rc compliance_figures(struct store *st, struct compliance_figures *f,
				     int sample, store_earner_cb cb, void *ctx,
				     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	enum tk_rc rc = TK_OK;
	int step;
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->growth[G_FIG_ITEMS],
		"SELECT g.item IS NOT NULL, coalesce(sum(i.a1), 0), coalesce(sum(i.a2), 0),"
		" coalesce(sum(i.a3), 0),"
		" coalesce(sum(CASE WHEN i.status IN (1, 2, 3) THEN i.amount END), 0),"
		" coalesce(sum(CASE WHEN i.status IN (1, 2, 3)"
		"  THEN max(i.commission - i.refunded, 0) END), 0)"
		" FROM items i LEFT JOIN gift_pack_items g ON g.item = i.id GROUP BY 1",
		err);
	if (!q)
		return TK_EIO;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		bool pack = sqlite3_column_int(q, 0) != 0;
		int64_t *tier = pack ? f->pack_by_tier : f->ordinary_by_tier;
		for (int t = 0; t < PLAN_MAX_TIERS; t++)
			tier[t] = sqlite3_column_int64(q, 1 + t);
		*(pack ? &f->pack_sales : &f->gmv) = sqlite3_column_int64(q, 4);
		*(pack ? &f->pack_margin : &f->commission) = sqlite3_column_int64(q, 5);
	}
	if (step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading income by tier");
	sqlite3_reset(q);
	if (rc)
		return rc;

	q = sqlite_stmt(s, &s->growth[G_FIG_EARNERS],
			INCOME_CTE
			"SELECT count(*), coalesce(sum(sales = 0 AND team = 0), 0),"
			" coalesce(sum(sales = 0), 0) FROM per WHERE sales + team + packs > 0",
			err);
	if (!q)
		return TK_EIO;
	if ((step = sqlite3_step(q)) == SQLITE_ROW) {
		f->earners = sqlite3_column_int64(q, 0);
		f->earners_pack_only = sqlite3_column_int64(q, 1);
		f->earners_upline_only = sqlite3_column_int64(q, 2);
	} else {
		rc = sqlite_fail(s, err, "reading earners");
	}
	sqlite3_reset(q);
	if (rc || sample <= 0)
		return rc;

	q = sqlite_stmt(s, &s->growth[G_FIG_SAMPLE],
			INCOME_CTE
			"SELECT m.ext, per.packs FROM per JOIN members m ON m.id = per.member"
			" WHERE per.sales = 0 AND per.team = 0 AND per.packs > 0"
			" ORDER BY per.packs DESC, per.member LIMIT ?",
			err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int(q, 1, sample);
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (!cb(ctx, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1)))
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading recruitment-only earners");
	sqlite3_reset(q);
	return rc;
}

const struct growth_store_ops sqlite_growth_ops = {
	.member_at = member_at,
	.implicit_level_get = implicit_level_get,
	.implicit_level_set = implicit_level_set,
	.level_count_add = level_count_add,
	.level_count_each = level_count_each,
	.team_day_add = team_day_add,
	.team_day_sum = team_day_sum,
	.team_day_each = team_day_each,
	.own_sum_each = own_sum_each,
	.history_insert = history_insert,
	.history_each = history_each,
	.member_reparent = member_reparent,
	.move_insert = move_insert,
	.move_each = move_each,
	.pack_get = pack_get,
	.pack_put = pack_put,
	.pack_each = pack_each,
	.pack_review_done = pack_review_done,
	.team_list = team_list,
	.depth_each = depth_each,
	.compliance_figures = compliance_figures,
};

_Static_assert(G_COUNT_ <= SQLITE_STMT_SLOTS, "too many growth statements");

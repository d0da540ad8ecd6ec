/* sqlite_groups.c — SQLite storage for chat groups, their credentials and
 * their send queue (group_store.h says what each operation does; the
 * PostgreSQL twin is pg_groups.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/group_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_groups[] = {
	{"groups-0001",
	 "CREATE TABLE groups ("
	 " id INTEGER PRIMARY KEY,"
	 " channel TEXT NOT NULL UNIQUE," /* "g<id>": what its links, tags and items carry */
	 " owner INTEGER NOT NULL REFERENCES members(id),"
	 " name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 64),"
	 " kind TEXT NOT NULL CHECK (kind IN ('wecom','dingtalk','feishu','telegram','manual')),"
	 " settings TEXT NOT NULL,"
	 " state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active','paused','archived')),"
	 " paused_until INTEGER NOT NULL DEFAULT 0, pause_reason TEXT NOT NULL DEFAULT '',"
	 " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	 "CREATE INDEX groups_owner ON groups(owner, id);"
	 "CREATE TABLE group_secrets ("
	 " grp INTEGER PRIMARY KEY REFERENCES groups(id),"
	 " credential TEXT NOT NULL DEFAULT '', sign_secret TEXT NOT NULL DEFAULT '',"
	 " chat_id TEXT NOT NULL DEFAULT '', hint TEXT NOT NULL DEFAULT '');"
	 "CREATE TABLE send_jobs ("
	 " id INTEGER PRIMARY KEY,"
	 " grp INTEGER NOT NULL REFERENCES groups(id),"
	 " slot INTEGER NOT NULL, due_at INTEGER NOT NULL,"
	 " union_ TEXT NOT NULL, product TEXT NOT NULL,"
	 " shop TEXT NOT NULL DEFAULT '', category TEXT NOT NULL DEFAULT '',"
	 " origin TEXT NOT NULL DEFAULT 'schedule' CHECK (origin IN ('schedule','now')),"
	 " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sending','sent',"
	 "  'failed','unknown','ready','cancelled')),"
	 " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
	 " link TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',"
	 " code TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '',"
	 " created_at INTEGER NOT NULL, claimed_at INTEGER NOT NULL DEFAULT 0,"
	 " sent_at INTEGER NOT NULL DEFAULT 0,"
	 " UNIQUE (grp, slot));"
	 /* SQLite uses a partial index only for queries that repeat its
	  * WHERE term: the queue's queries say "state IN ('pending',
	  * 'sending') AND state = ..." */
	 "CREATE INDEX send_jobs_due ON send_jobs(state, next_at)"
	 " WHERE state IN ('pending','sending');"
	 "CREATE INDEX send_jobs_grp_slot ON send_jobs(grp, slot);"
	 "CREATE INDEX send_jobs_grp_product ON send_jobs(grp, product);"
	 /* per-group figures of the items */
	 "CREATE INDEX items_channel ON items(channel) WHERE channel <> '';"},
	{NULL, NULL},
};

enum {
	S_GROUP_INSERT,
	S_GROUP_GET,
	S_GROUP_GET_CHANNEL,
	S_GROUP_LIST,
	S_GROUP_COUNT,
	S_GROUP_UPDATE,
	S_GROUP_TAGS,
	S_SECRET_SET,
	S_SECRET_GET,
	S_JOB_INSERT,
	S_JOB_FIND,
	S_JOB_GET,
	S_JOB_LIST,
	S_JOB_DUE,
	S_JOB_CLAIM,
	S_JOB_FINISH,
	S_JOB_STALE,
	S_JOB_CANCEL,
	S_JOB_RECENT,
	S_JOB_COUNT_SENT,
	S_JOB_DUE_LIST,
	S_JOB_CLAIM_ONE,
	S_JOB_REQUEUE,
	S_JOB_LAST,
	S_GROUPS_N_
};
/* the last two slots are the reports' (sqlite_group_report.c) */
_Static_assert(S_GROUPS_N_ <= SQLITE_STMT_SLOTS - 2, "too many group statements");

#define NO_LIMIT 9000000000000000000LL

#define GROUP_COLS                                                                         \
	"g.id, g.channel, g.owner, m.ext, g.name, g.kind, g.settings, g.state, "           \
	"g.paused_until, g.pause_reason, g.created_at, g.updated_at, "                     \
	"CASE WHEN s.credential <> '' THEN 1 ELSE 0 END, coalesce(s.hint, ''), "            \
	"coalesce(s.chat_id, '') "                                                         \
	"FROM groups g JOIN members m ON m.id = g.owner LEFT JOIN group_secrets s ON s.grp = g.id "

#define JOB_COLS                                                                           \
	"id, grp, slot, due_at, union_, product, shop, category, origin, state, attempts, "  \
	"next_at, link, body, code, message, created_at, claimed_at, sent_at "

static void group_read(sqlite3_stmt *q, struct group_rec *g)
{
	g->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, g->channel, sizeof(g->channel));
	g->owner = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, g->owner_ext, sizeof(g->owner_ext));
	sqlite_column_copy(q, 4, g->name, sizeof(g->name));
	sqlite_column_copy(q, 5, g->kind, sizeof(g->kind));
	sqlite_column_copy(q, 6, g->settings, sizeof(g->settings));
	sqlite_column_copy(q, 7, g->state, sizeof(g->state));
	g->paused_until = sqlite3_column_int64(q, 8);
	sqlite_column_copy(q, 9, g->pause_reason, sizeof(g->pause_reason));
	g->created_at = sqlite3_column_int64(q, 10);
	g->updated_at = sqlite3_column_int64(q, 11);
	g->secret_set = sqlite3_column_int64(q, 12) != 0;
	sqlite_column_copy(q, 13, g->hint, sizeof(g->hint));
	sqlite_column_copy(q, 14, g->chat_id, sizeof(g->chat_id));
}

static void job_read(sqlite3_stmt *q, struct send_job_rec *j)
{
	j->id = sqlite3_column_int64(q, 0);
	j->grp = sqlite3_column_int64(q, 1);
	j->slot = sqlite3_column_int64(q, 2);
	j->due_at = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, j->union_, sizeof(j->union_));
	sqlite_column_copy(q, 5, j->product, sizeof(j->product));
	sqlite_column_copy(q, 6, j->shop, sizeof(j->shop));
	sqlite_column_copy(q, 7, j->category, sizeof(j->category));
	sqlite_column_copy(q, 8, j->origin, sizeof(j->origin));
	sqlite_column_copy(q, 9, j->state, sizeof(j->state));
	j->attempts = sqlite3_column_int64(q, 10);
	j->next_at = sqlite3_column_int64(q, 11);
	sqlite_column_copy(q, 12, j->link, sizeof(j->link));
	sqlite_column_copy(q, 13, j->body, sizeof(j->body));
	sqlite_column_copy(q, 14, j->code, sizeof(j->code));
	sqlite_column_copy(q, 15, j->message, sizeof(j->message));
	j->created_at = sqlite3_column_int64(q, 16);
	j->claimed_at = sqlite3_column_int64(q, 17);
	j->sent_at = sqlite3_column_int64(q, 18);
}

/* ---- groups ---- */

static enum tk_rc group_insert(struct store *st, struct group_rec *g, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	/* the id is the newest + 1, as SQLite would give it, so that the
	 * channel key can be written with the row */
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_GROUP_INSERT],
		"INSERT INTO groups(id, channel, owner, name, kind, settings, state, paused_until,"
		" pause_reason, created_at, updated_at)"
		" SELECT n, 'g' || n, ?, ?, ?, ?, ?, ?, ?, ?, ?"
		" FROM (SELECT coalesce(max(id), 0) + 1 AS n FROM groups)",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, g->owner);
	sqlite3_bind_text(q, 2, g->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, g->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, g->settings, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, g->state[0] ? g->state : "active", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, g->paused_until);
	sqlite3_bind_text(q, 7, g->pause_reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, g->created_at);
	sqlite3_bind_int64(q, 9, g->updated_at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "adding a group", err);
	if (rc)
		return rc;
	g->id = sqlite3_last_insert_rowid(s->db);
	snprintf(g->channel, sizeof(g->channel), "g%lld", (long long)g->id);
	if (!g->state[0])
		snprintf(g->state, sizeof(g->state), "active");
	return TK_OK;
}

static enum tk_rc group_one(struct sqlite_store *s, sqlite3_stmt *q, struct group_rec *g,
			    const char *what, const char *shown, struct tk_error *err)
{
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, what, err);
	if (!rc && found)
		group_read(q, g);
	else if (!rc)
		rc = tk_fail(err, TK_ENOTFOUND, "group", "no group %s", shown);
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc group_get(struct store *st, int64_t id, struct group_rec *g,
			    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_GROUP_GET],
				      "SELECT " GROUP_COLS "WHERE g.id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	char shown[32];
	snprintf(shown, sizeof(shown), "%lld", (long long)id);
	return group_one(s, q, g, "reading a group", shown, err);
}

static enum tk_rc group_get_channel(struct store *st, const char *channel, struct group_rec *g,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_GROUP_GET_CHANNEL],
				      "SELECT " GROUP_COLS "WHERE g.channel = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, channel, -1, SQLITE_STATIC);
	return group_one(s, q, g, "reading a group", channel, err);
}

struct group_rows {
	store_group_cb cb;
	void *ctx;
	struct group_rec *g;
};

static bool group_row(void *ctx, sqlite3_stmt *q)
{
	struct group_rows *w = ctx;
	group_read(q, w->g);
	return w->cb(w->ctx, w->g);
}

static enum tk_rc group_list(struct store *st, const struct group_filter *f, store_group_cb cb,
			     void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_GROUP_LIST],
				      "SELECT " GROUP_COLS
				      "WHERE (?1 = 0 OR g.owner = ?1) AND (?2 = '' OR g.state = ?2)"
				      " AND (?3 = 0 OR g.id < ?3) ORDER BY g.id DESC LIMIT ?4",
				      err);
	if (!q)
		return TK_EIO;
	struct group_rows w = {cb, ctx, malloc(sizeof(struct group_rec))};
	if (!w.g) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	sqlite3_bind_int64(q, 1, f->owner);
	sqlite3_bind_text(q, 2, f->state ? f->state : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, f->before);
	sqlite3_bind_int64(q, 4, f->limit > 0 ? f->limit : NO_LIMIT);
	enum tk_rc rc = sqlite_each_row(s, q, group_row, &w, "listing groups", err);
	sqlite3_clear_bindings(q);
	free(w.g);
	return rc;
}

static enum tk_rc group_count_owner(struct store *st, int64_t owner, int64_t *n,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_GROUP_COUNT],
				      "SELECT count(*) FROM groups WHERE owner = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, owner);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "counting a member's groups", err);
	if (!rc) {
		*n = found ? sqlite3_column_int64(q, 0) : 0;
		sqlite3_reset(q);
	}
	return rc;
}

static enum tk_rc group_update(struct store *st, const struct group_rec *g, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_GROUP_UPDATE],
				      "UPDATE groups SET name=?, settings=?, state=?, paused_until=?,"
				      " pause_reason=?, updated_at=? WHERE id=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, g->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, g->settings, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, g->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, g->paused_until);
	sqlite3_bind_text(q, 5, g->pause_reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, g->updated_at);
	sqlite3_bind_int64(q, 7, g->id);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "updating a group", err);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = tk_fail(err, TK_ENOTFOUND, "group", "no group %lld", (long long)g->id);
	return rc;
}

static enum tk_rc group_tags(struct store *st, const char *channel, store_group_tag_cb cb,
			     void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_GROUP_TAGS],
				      "SELECT union_, kind, value FROM tags WHERE channel = ?"
				      " ORDER BY union_, kind, value",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, channel, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (!cb(ctx, (const char *)sqlite3_column_text(q, 0),
			(const char *)sqlite3_column_text(q, 1),
			(const char *)sqlite3_column_text(q, 2)))
			break;
	enum tk_rc rc = step == SQLITE_ROW || step == SQLITE_DONE
				? TK_OK : sqlite_fail(s, err, "reading a group's tags");
	sqlite3_reset(q);
	return rc;
}

/* ---- credentials ---- */

static enum tk_rc secret_set(struct store *st, int64_t grp, const struct group_secret *c,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_SECRET_SET],
		"INSERT INTO group_secrets(grp, credential, sign_secret, chat_id, hint)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT (grp) DO UPDATE SET"
		" credential=excluded.credential, sign_secret=excluded.sign_secret,"
		" chat_id=excluded.chat_id, hint=excluded.hint",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, grp);
	sqlite3_bind_text(q, 2, c->credential, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->sign_secret, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->chat_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->hint, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "setting a group's credentials", err);
	sqlite3_clear_bindings(q); /* the secret stays bound no longer than needed */
	return rc;
}

static enum tk_rc secret_get(struct store *st, int64_t grp, struct group_secret *c,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_SECRET_GET],
				      "SELECT credential, sign_secret, chat_id, hint FROM group_secrets"
				      " WHERE grp = ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, grp);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a group's credentials", err);
	if (rc)
		return rc;
	if (found) {
		sqlite_column_copy(q, 0, c->credential, sizeof(c->credential));
		sqlite_column_copy(q, 1, c->sign_secret, sizeof(c->sign_secret));
		sqlite_column_copy(q, 2, c->chat_id, sizeof(c->chat_id));
		sqlite_column_copy(q, 3, c->hint, sizeof(c->hint));
	} else {
		rc = tk_fail(err, TK_ENOTFOUND, "credentials", "group %lld has no credentials",
			     (long long)grp);
	}
	sqlite3_reset(q);
	return rc;
}

/* ---- send jobs ---- */

static enum tk_rc job_insert(struct store *st, struct send_job_rec *j, bool *created,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_JOB_INSERT],
		"INSERT INTO send_jobs(grp, slot, due_at, union_, product, shop, category, origin,"
		" state, attempts, next_at, link, body, code, message, created_at, claimed_at,"
		" sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, '', '', ?, 0, 0)"
		" ON CONFLICT (grp, slot) DO NOTHING",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, j->grp);
	sqlite3_bind_int64(q, 2, j->slot);
	sqlite3_bind_int64(q, 3, j->due_at);
	sqlite3_bind_text(q, 4, j->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, j->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, j->shop, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, j->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, j->origin[0] ? j->origin : "schedule", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, j->state[0] ? j->state : "pending", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 10, j->next_at);
	sqlite3_bind_text(q, 11, j->link, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 12, j->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 13, j->created_at);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "queueing a send", err);
	if (rc)
		return rc;
	*created = sqlite3_changes(s->db) > 0;
	if (*created) {
		j->id = sqlite3_last_insert_rowid(s->db);
		return TK_OK;
	}
	q = sqlite_stmt(s, &s->groups[S_JOB_FIND],
			"SELECT id FROM send_jobs WHERE grp = ? AND slot = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, j->grp);
	sqlite3_bind_int64(q, 2, j->slot);
	bool found;
	if ((rc = sqlite_step_one(s, q, &found, "reading a queued send", err)))
		return rc;
	j->id = found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return TK_OK;
}

static enum tk_rc job_get(struct store *st, int64_t id, struct send_job_rec *j,
			  struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_GET],
				      "SELECT " JOB_COLS "FROM send_jobs WHERE id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a send", err);
	if (rc)
		return rc;
	if (found)
		job_read(q, j);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "job", "no send job %lld", (long long)id);
	sqlite3_reset(q);
	return rc;
}

struct job_rows {
	store_send_job_cb cb;
	void *ctx;
	struct send_job_rec *j;
};

static bool job_row(void *ctx, sqlite3_stmt *q)
{
	struct job_rows *w = ctx;
	job_read(q, w->j);
	return w->cb(w->ctx, w->j);
}

static enum tk_rc job_rows_run(struct sqlite_store *s, sqlite3_stmt *q, store_send_job_cb cb,
			       void *ctx, const char *what, struct tk_error *err)
{
	struct job_rows w = {cb, ctx, malloc(sizeof(struct send_job_rec))};
	if (!w.j) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	enum tk_rc rc = sqlite_each_row(s, q, job_row, &w, what, err);
	sqlite3_clear_bindings(q);
	free(w.j);
	return rc;
}

static enum tk_rc job_list(struct store *st, const struct send_job_filter *f,
			   store_send_job_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_LIST],
				      "SELECT " JOB_COLS "FROM send_jobs WHERE grp = ?1"
				      " AND (?2 = '' OR state = ?2) AND (?3 = 0 OR slot < ?3)"
				      " ORDER BY slot DESC, id DESC LIMIT ?4",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, f->grp);
	sqlite3_bind_text(q, 2, f->state ? f->state : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, f->before_slot);
	sqlite3_bind_int64(q, 4, f->limit > 0 ? f->limit : NO_LIMIT);
	return job_rows_run(s, q, cb, ctx, "listing a group's sends", err);
}

static enum tk_rc job_due(struct store *st, int64_t now, int limit, store_send_job_cb cb,
			  void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	if (limit <= 0 || limit > SEND_CLAIM_MAX)
		limit = SEND_CLAIM_MAX;
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_DUE_LIST],
				      "SELECT " JOB_COLS "FROM send_jobs WHERE state IN ('pending', 'sending')"
				      " AND state = 'pending'"
				      " AND next_at <= ? ORDER BY next_at, id LIMIT ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, limit);
	return job_rows_run(s, q, cb, ctx, "finding due sends", err);
}

static enum tk_rc job_claim(struct store *st, int64_t id, int64_t now, bool *claimed,
			    struct send_job_rec *j, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	*claimed = false;
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_CLAIM_ONE],
				      "UPDATE send_jobs SET state = 'sending', attempts = attempts + 1,"
				      " claimed_at = ? WHERE id = ? AND state = 'pending'",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, id);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "claiming a send", err);
	if (rc)
		return rc;
	*claimed = sqlite3_changes(s->db) > 0;
	return job_get(st, id, j, err);
}

static enum tk_rc job_requeue(struct store *st, int64_t id, int64_t now, bool *done,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	*done = false;
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_REQUEUE],
				      "UPDATE send_jobs SET state = 'pending', next_at = ?, attempts = 0,"
				      " code = '', message = '' WHERE id = ?"
				      " AND state IN ('unknown', 'failed')",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, id);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "re-queueing a send", err);
	if (rc)
		return rc;
	*done = sqlite3_changes(s->db) > 0;
	if (!*done) {
		struct send_job_rec *j = malloc(sizeof(*j));
		if (!j)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		rc = job_get(st, id, j, err);
		free(j);
	}
	return rc;
}

static enum tk_rc job_last_time(struct store *st, int64_t *t, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_LAST],
				      "SELECT max(coalesce(max(claimed_at), 0), coalesce(max(sent_at), 0))"
				      " FROM send_jobs",
				      err);
	if (!q)
		return TK_EIO;
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading the queue's last time", err);
	*t = !rc && found ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc;
}

static enum tk_rc job_finish(struct store *st, int64_t id, const struct send_job_end *e,
			     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_JOB_FINISH],
		"UPDATE send_jobs SET state = ?1, code = ?2, message = ?3,"
		" body = coalesce(?4, body), link = coalesce(?5, link),"
		" next_at = CASE WHEN ?1 = 'pending' THEN ?6 ELSE next_at END,"
		" sent_at = CASE WHEN ?1 = 'sent' THEN ?7 ELSE sent_at END,"
		" attempts = CASE WHEN ?9 AND attempts > 0 THEN attempts - 1 ELSE attempts END"
		" WHERE id = ?8",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, e->state, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, e->code ? e->code : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, e->message ? e->message : "", -1, SQLITE_STATIC);
	if (e->body)
		sqlite3_bind_text(q, 4, e->body, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 4);
	if (e->link)
		sqlite3_bind_text(q, 5, e->link, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 5);
	sqlite3_bind_int64(q, 6, e->next_at);
	sqlite3_bind_int64(q, 7, e->at);
	sqlite3_bind_int64(q, 8, id);
	sqlite3_bind_int(q, 9, e->not_attempt ? 1 : 0);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "recording a send", err);
	sqlite3_clear_bindings(q);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = tk_fail(err, TK_ENOTFOUND, "job", "no send job %lld", (long long)id);
	return rc;
}

static enum tk_rc job_mark_stale(struct store *st, int64_t claimed_before, int64_t now,
				 int64_t *n, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	(void)now;
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_JOB_STALE],
		"UPDATE send_jobs SET state = 'unknown', code = 'lease',"
		" message = 'claimed but not finished: may or may not have been sent'"
		" WHERE state IN ('pending', 'sending') AND state = 'sending' AND claimed_at < ?",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, claimed_before);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "marking unfinished sends", err);
	*n = rc ? 0 : sqlite3_changes(s->db);
	return rc;
}

static enum tk_rc job_cancel_group(struct store *st, int64_t grp, const char *message,
				   int64_t *n, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_CANCEL],
				      "UPDATE send_jobs SET state = 'cancelled', message = ?"
				      " WHERE grp = ? AND state IN ('pending', 'ready')",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, message, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, grp);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "cancelling a group's sends", err);
	*n = rc ? 0 : sqlite3_changes(s->db);
	return rc;
}

static enum tk_rc job_recent(struct store *st, int64_t grp, int64_t since, store_send_job_cb cb,
			     void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	/* the body is not read: dedup and cooldowns look at what was sent */
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_JOB_RECENT],
		"SELECT id, grp, slot, due_at, union_, product, shop, category, origin, state,"
		" attempts, next_at, link, '', code, message, created_at, claimed_at, sent_at"
		" FROM (SELECT *, CASE WHEN state = 'sent' THEN sent_at ELSE due_at END AS t"
		"  FROM send_jobs WHERE grp = ?1"
		"  AND state IN ('sent', 'sending', 'unknown', 'ready', 'pending'))"
		" WHERE t >= ?2 ORDER BY t DESC, id DESC",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, grp);
	sqlite3_bind_int64(q, 2, since);
	return job_rows_run(s, q, cb, ctx, "reading a group's recent sends", err);
}

struct count_rows {
	store_group_count_cb cb;
	void *ctx;
};

static bool count_row(void *ctx, sqlite3_stmt *q)
{
	struct count_rows *w = ctx;
	return w->cb(w->ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1));
}

static enum tk_rc job_count_sent(struct store *st, int64_t since, store_group_count_cb cb,
				 void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->groups[S_JOB_COUNT_SENT],
				      "SELECT grp, count(*) FROM send_jobs WHERE state = 'sent'"
				      " AND sent_at >= ? GROUP BY grp ORDER BY grp",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, since);
	struct count_rows w = {cb, ctx};
	return sqlite_each_row(s, q, count_row, &w, "counting sends", err);
}

/* sqlite_group_report.c */
enum tk_rc sqlite_group_report_days(struct store *st, const struct group_report_filter *f,
				    store_group_day_cb cb, void *ctx, struct tk_error *err);
enum tk_rc sqlite_group_report_sends(struct store *st, const struct group_report_filter *f,
				     store_group_send_cb cb, void *ctx, struct tk_error *err);

const struct group_store_ops sqlite_group_ops = {
	.group_insert = group_insert,
	.group_get = group_get,
	.group_get_channel = group_get_channel,
	.group_list = group_list,
	.group_count_owner = group_count_owner,
	.group_update = group_update,
	.group_tags = group_tags,
	.secret_set = secret_set,
	.secret_get = secret_get,
	.job_insert = job_insert,
	.job_get = job_get,
	.job_list = job_list,
	.job_due = job_due,
	.job_claim = job_claim,
	.job_requeue = job_requeue,
	.job_last_time = job_last_time,
	.job_finish = job_finish,
	.job_mark_stale = job_mark_stale,
	.job_cancel_group = job_cancel_group,
	.job_recent = job_recent,
	.job_count_sent = job_count_sent,
	.report_days = sqlite_group_report_days,
	.report_sends = sqlite_group_report_sends,
};

/* catch_up.c — one current state across processes.
 *
 * Several processes share one database (serve, sync --every, cron'd
 * commands); each keeps parts of it in memory.  Before each unit of work
 * the engine reads the change log (store.h, changes_since) and brings
 * those parts up to date: a changed member is read again into the tree,
 * a new plan makes the active one be read again.  A process that fell far
 * behind (or slept past a prune) drops what it keeps and reloads it on
 * next use, which is cheaper than replaying a million changes one by one. */
#include "engine/engine_internal.h"

/* Changes replayed one by one; past this, the tree is reloaded whole. */
#define CATCH_UP_MAX 65536

/* Adds `n` members to the team of every ancestor from `parent` up (and
 * one to the direct count of `parent`). */
static void team_add(struct member_tree *t, int64_t parent, int64_t n, int64_t direct)
{
	for (int64_t a = parent, first = 1; a > 0 && member_tree_has(t, a);
	     a = t->parent[a], first = 0) {
		t->direct[a] += first * direct;
		t->team[a] += n;
	}
}

/* A member as the database holds it now.  Team counts are not in the log
 * (core-0002): they follow from the members added and moved, replayed in
 * order, as the engine keeps them for its own writes. */
static bool member_changed(struct engine *e, int64_t id)
{
	struct tk_error err;
	struct member_rec m;
	struct member_tree *t = &e->tree;
	if (e->st->ops->member_get_id(e->st, id, &m, &err))
		return false;
	if (!member_tree_has(t, id)) {
		if (member_tree_put(t, m.id, m.ext, m.parent, m.level, m.depth, 0, 0, &err))
			return false;
		team_add(t, m.parent, 1, 1);
		return true;
	}
	int64_t was = t->parent[id], team = t->team[id], direct = t->direct[id];
	if (was != m.parent) { /* moved: its whole team goes with it */
		team_add(t, was, -(1 + team), -1);
		team_add(t, m.parent, 1 + team, 1);
	}
	return member_tree_put(t, m.id, m.ext, m.parent, m.level, m.depth, direct, team, &err) ==
	       TK_OK;
}

static bool apply_change(void *ctx, enum change_what what, int64_t id)
{
	struct engine *e = ctx;
	switch (what) {
	case CHANGE_MEMBER:
		/* not loaded: it is loaded current on first use */
		return !e->tree_loaded || member_changed(e, id);
	case CHANGE_PLAN:
		e->active_version = 0; /* read again on next use */
		return true;
	case CHANGE_LINK:
	case CHANGE_LINK_HOSTS:
		return true; /* the server's link table follows the log itself */
	}
	return true;
}

static void forget(struct engine *e)
{
	member_tree_free(&e->tree);
	e->tree_loaded = false;
	e->active_version = 0;
}

enum tk_rc engine_catch_up(struct engine *e, struct tk_error *err)
{
	int64_t upto;
	bool whole;
	enum tk_rc rc = e->st->ops->changes_since(e->st, e->seen_seq, CATCH_UP_MAX, apply_change,
						  e, &upto, &whole, err);
	if (rc || whole)
		forget(e);
	if (!rc)
		e->seen_seq = upto;
	return rc;
}

enum tk_rc engine_tx_begin(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc = e->st->ops->tx_begin(e->st, err);
	if (!rc && (rc = engine_catch_up(e, err)))
		e->st->ops->tx_rollback(e->st);
	return rc;
}

enum tk_rc engine_read_begin(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc = e->st->ops->tx_begin_read(e->st, err);
	if (!rc && (rc = engine_catch_up(e, err)))
		e->st->ops->tx_rollback(e->st);
	return rc;
}

enum tk_rc engine_mark_current(struct engine *e, struct tk_error *err)
{
	return e->st->ops->changes_newest(e->st, &e->seen_seq, err);
}

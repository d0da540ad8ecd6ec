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

static bool apply_change(void *ctx, enum change_what what, int64_t id)
{
	struct engine *e = ctx;
	struct tk_error err;
	struct member_rec m;
	switch (what) {
	case CHANGE_MEMBER:
		if (!e->tree_loaded)
			return true; /* loaded current on first use */
		if (e->st->ops->member_get_id(e->st, id, &m, &err))
			return false;
		return member_tree_put(&e->tree, m.id, m.ext, m.parent, m.level, m.depth,
				       m.direct_count, m.team_count, &err) == TK_OK;
	case CHANGE_PLAN:
		e->active_version = 0; /* read again on next use */
		return true;
	case CHANGE_LINK:
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

enum tk_rc engine_mark_current(struct engine *e, struct tk_error *err)
{
	return e->st->ops->changes_newest(e->st, &e->seen_seq, err);
}

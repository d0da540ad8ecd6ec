/* growth_members.c — the invitation tree as it grows: an operator's move of a member to another inviter, the
 * per-level counts kept on every registration and level change, team
 * statistics and listings, the path to the root, and the histories.
 *
 * A move is the one thing that changes an inviter.  It keeps the tree a
 * tree (never under the member itself or its own team) and carries
 * everything kept on write: depths, direct and team counts, per-level
 * counts and team sales leave the old inviters and join the new ones. */
#include "engine/growth_internal.h"
#include "actions/actions.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"

/* ---- hooks: counts on registration and level changes ---- */

/* Adds `n` members at `level` to the counts of `from` and its ancestors:
 * `from` gets them as direct invitees when `direct`. */
static enum tk_rc count_up(struct engine *e, int64_t from, const char *level, int64_t n,
			   bool direct, struct tk_error *err)
{
	enum tk_rc rc;
	for (int64_t a = from, steps = 0; a > 0; steps++) {
		if ((rc = growth_count(e, a, level, direct ? n : 0, n, err)))
			return rc;
		direct = false;
		if (steps > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		if ((rc = growth_parent(e, a, &a, err)))
			return rc;
	}
	return TK_OK;
}

/* A member created at another level than the plan's default was granted
 * it: its history says so (from "", rule operator or import), so that a
 * review or a correction knows the level was not earned.  No count moves:
 * the member was counted at its level when added. */
static enum tk_rc created_at_level(struct engine *e, int64_t id, const char *level,
				   const char *rule, int64_t at, struct tk_error *err)
{
	const struct plan *p = growth_plan(e);
	if (strcmp(level, p ? p->levels[p->default_level].key : "member") == 0)
		return TK_OK;
	struct level_change_rec c = {.member = id, .at = at};
	snprintf(c.to, sizeof(c.to), "%s", level);
	snprintf(c.rule, sizeof(c.rule), "%s", rule);
	return e->st->growth->history_insert(e->st, &c, err);
}

static enum tk_rc member_added(struct engine *e, const struct member_rec *m,
			       struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = created_at_level(e, m->id, m->level, "operator", m->created_at, err)) ||
	    (rc = count_up(e, m->parent, m->level, 1, true, err)) ||
	    (rc = growth_mark(e, m->id, err)) ||
	    (rc = growth_mark_inputs(e, m->id,
				     GROWTH_IN_DIRECT | GROWTH_IN_DIRECT_LEVEL | GROWTH_IN_TEAM,
				     err)))
		return rc;
	return growth_commit(e, err);
}

static enum tk_rc level_set(struct engine *e, const struct member_rec *m, const char *to,
			   struct tk_error *err)
{
	enum tk_rc rc;
	if (strcmp(m->level, to) == 0)
		return TK_OK;
	if ((rc = growth_record_level(e, m->id, m->level, to, "operator", 0, err)))
		return rc;
	return growth_commit(e, err);
}

static enum tk_rc import_added(struct engine *e, int64_t id, int64_t parent, const char *level,
			       struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = created_at_level(e, id, level, "import", e->batch_now, err)) ||
	    (rc = count_up(e, parent, level, 1, true, err)))
		return rc;
	return growth_mark_inputs(e, id,
				  GROWTH_IN_DIRECT | GROWTH_IN_DIRECT_LEVEL | GROWTH_IN_TEAM, err);
}

static enum tk_rc import_level(struct engine *e, int64_t id, const char *from, const char *to,
			       struct tk_error *err)
{
	if (strcmp(from, to) == 0)
		return TK_OK;
	return growth_record_level(e, id, from, to, "import", 0, err);
}

enum tk_rc growth_on_member_event(struct engine *e, const struct member_event *ev,
				  struct tk_error *err)
{
	switch (ev->kind) {
	case MEMBER_EV_ADDED:
		return member_added(e, ev->m, err);
	case MEMBER_EV_LEVEL_SET:
		return level_set(e, ev->m, ev->to, err);
	case MEMBER_EV_IMPORTED:
		return import_added(e, ev->m->id, ev->m->parent, ev->m->level, err);
	case MEMBER_EV_IMPORT_LEVEL:
		return import_level(e, ev->id, ev->from, ev->to, err);
	case MEMBER_EV_FLUSH:
		return growth_flush(e, err);
	case MEMBER_EV_COMMIT:
		return growth_commit(e, err);
	case MEMBER_EV_ROLLBACK:
		growth_drop(e);
		return TK_OK;
	}
	assert(!"unknown member event");
	return tk_fail(err, TK_EIO, "", "unknown member event %d", (int)ev->kind);
}

/* ---- moves ---- */

static enum tk_rc check_text(const char *field, const char *s, size_t max,
			     struct tk_error *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return tk_fail(err, TK_EINVAL, field, "is required for the audit trail");
	if (n >= max)
		return tk_fail(err, TK_ELIMIT, field, "is longer than %zu bytes", max - 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return tk_fail(err, TK_EINVAL, field, "must not contain control characters");
	return TK_OK;
}

struct subtree_levels {
	int n;
	struct {
		char key[PLAN_KEY_MAX];
		int64_t team;
	} l[TEAM_STATS_LEVELS];
	bool overflow;
};

static bool subtree_level_cb(void *ctx, const char *level, int64_t direct, int64_t team)
{
	struct subtree_levels *s = ctx;
	(void)direct;
	if (s->n == TEAM_STATS_LEVELS)
		return !(s->overflow = true);
	snprintf(s->l[s->n].key, PLAN_KEY_MAX, "%s", level);
	s->l[s->n++].team = team;
	return true;
}

struct day_rows {
	int64_t n, cap;
	struct {
		int64_t day, v[TD_N];
	} *r;
	bool oom;
};

static bool day_row_cb(void *ctx, int64_t day, const int64_t v[TD_N])
{
	struct day_rows *d = ctx;
	if (d->n == d->cap) {
		int64_t cap = d->cap ? d->cap * 2 : 64;
		void *r = realloc(d->r, (size_t)cap * sizeof(*d->r));
		if (!r)
			return !(d->oom = true);
		d->r = r;
		d->cap = cap;
	}
	d->r[d->n].day = day;
	memcpy(d->r[d->n].v, v, sizeof(d->r[d->n].v));
	d->n++;
	return true;
}

/* Adds (sign) a moved team to the inviters from `from` up: member counts,
 * per-level counts and team sales. */
static enum tk_rc carry_team(struct engine *e, const struct member_rec *x, int64_t from,
			     int sign, const struct subtree_levels *sub, const struct day_rows *days,
			     struct tk_error *err)
{
	enum tk_rc rc;
	int64_t size = 1 + x->team_count;
	for (int64_t a = from, first = 1, steps = 0; a > 0; first = 0, steps++) {
		if ((rc = e->st->ops->member_counts_add(e->st, a, sign * first, sign * size, err)) ||
		    (rc = growth_count(e, a, x->level, sign * first, sign, err)))
			return rc;
		for (int i = 0; i < sub->n; i++)
			if ((rc = growth_count(e, a, sub->l[i].key, 0, sign * sub->l[i].team, err)))
				return rc;
		for (int64_t i = 0; i < days->n; i++) {
			int64_t v[TD_N] = {0, 0, sign * days->r[i].v[TD_TEAM_GMV],
					   sign * days->r[i].v[TD_TEAM_COMMISSION]};
			if ((rc = growth_team_day(e, a, days->r[i].day, v, err)))
				return rc;
		}
		if (steps > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		if ((rc = growth_parent(e, a, &a, err)))
			return rc;
	}
	return TK_OK;
}

/* The action log's entry of a move: the inviter before and after (null: a
 * root). */
static enum tk_rc log_move(struct engine *e, const struct member_rec *x, const char *to_ext,
			   int64_t now, struct tk_error *err)
{
	struct member_rec from = {0};
	enum tk_rc rc = x->parent ? e->st->ops->member_get_id(e->st, x->parent, &from, err) : TK_OK;
	if (rc)
		return rc;
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "member:%s", x->ext);
	json_t *b = json_pack("{s:s?}", "parent", x->parent ? from.ext : NULL);
	json_t *a = json_pack("{s:s?}", "parent", to_ext);
	rc = actions_record(e->st, now, "member.move", subject, b, a, err);
	json_decref(b);
	json_decref(a);
	return rc;
}

enum tk_rc engine_member_move(struct engine *e, const char *ext, const char *to_ext,
			      const char *by, const char *reason, struct member_move_rec *out,
			      struct tk_error *err)
{
	enum tk_rc rc;
	struct member_rec x, to = {0};
	struct subtree_levels sub = {0};
	struct day_rows days = {0};
	struct member_move_rec mv = {0};
	bool root = !to_ext || !*to_ext;
	if ((rc = check_text("by", by, MOVE_BY_MAX, err)) ||
	    (rc = check_text("reason", reason, MOVE_REASON_MAX, err)))
		return rc;
	/* the in-memory tree is rebuilt on next use rather than patched */
	if (e->tree_loaded) {
		member_tree_free(&e->tree);
		e->tree_loaded = false;
	}
	if ((rc = engine_tx_begin(e, err)))
		return rc;
	if ((rc = e->st->ops->member_get(e->st, ext, &x, err)))
		goto fail;
	if (!root) {
		rc = e->st->ops->member_get(e->st, to_ext, &to, err);
		if (rc == TK_ENOTFOUND)
			rc = tk_fail(err, TK_EINVAL, "to", "no member \"%s\"", to_ext);
		if (rc)
			goto fail;
		if (to.id == x.id) {
			rc = tk_fail(err, TK_EINVAL, "to", "a member cannot be its own inviter (\"%s\")",
				     ext);
			goto fail;
		}
		/* refuse a cycle: the new inviter must not be in the member's team */
		for (int64_t a = to.parent, steps = 0; a > 0; steps++) {
			struct member_rec anc;
			if (a == x.id) {
				rc = tk_fail(err, TK_EINVAL, "to",
					     "\"%s\" is in the team of \"%s\": moving \"%s\" under it "
					     "would make a cycle",
					     to_ext, ext, ext);
				goto fail;
			}
			if (steps > MEMBER_DEPTH_GUARD) {
				rc = tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
					     MEMBER_DEPTH_GUARD);
				goto fail;
			}
			if ((rc = e->st->ops->member_get_id(e->st, a, &anc, err)))
				goto fail;
			a = anc.parent;
		}
	}
	if (x.parent == to.id) {
		rc = tk_fail(err, TK_EINVAL, "to", root ? "\"%s\" is already a root"
						       : "\"%s\" is already invited by \"%s\"",
			     ext, to_ext);
		goto fail;
	}
	if ((rc = e->st->growth->level_count_each(e->st, x.id, subtree_level_cb, &sub, err)) ||
	    (rc = e->st->growth->team_day_each(e->st, x.id, day_row_cb, &days, err)))
		goto fail;
	if (sub.overflow) {
		rc = tk_fail(err, TK_ELIMIT, "", "the team has more than %d level keys",
			     TEAM_STATS_LEVELS);
		goto fail;
	}
	if (days.oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory for the team's sales");
		goto fail;
	}
	/* who may move: the old inviters lose a member, the new ones gain one */
	unsigned changed = GROWTH_IN_DIRECT | GROWTH_IN_DIRECT_LEVEL | GROWTH_IN_TEAM |
			   GROWTH_IN_TEAM_SALES;
	if ((rc = growth_mark_inputs(e, x.id, changed, err)) ||
	    (rc = carry_team(e, &x, x.parent, -1, &sub, &days, err)) ||
	    (rc = carry_team(e, &x, to.id, +1, &sub, &days, err)) ||
	    (rc = e->st->growth->member_reparent(e->st, x.id, to.id,
						 (root ? 0 : to.depth + 1) - x.depth, err)) ||
	    (rc = growth_mark_inputs(e, x.id, changed, err)))
		goto fail;
	mv.member = x.id;
	mv.from_parent = x.parent;
	mv.to_parent = to.id;
	snprintf(mv.by, sizeof(mv.by), "%s", by);
	snprintf(mv.reason, sizeof(mv.reason), "%s", reason);
	mv.at = engine_now();
	if ((rc = e->st->growth->move_insert(e->st, &mv, err)) ||
	    (rc = log_move(e, &x, root ? NULL : to_ext, mv.at, err)) || (rc = growth_commit(e, err)) ||
	    (rc = e->st->ops->tx_commit(e->st, err)))
		goto fail;
	growth_end(e);
	free(days.r);
	if (out) {
		*out = mv;
		snprintf(out->member_ext, sizeof(out->member_ext), "%s", x.ext);
		snprintf(out->to_ext, sizeof(out->to_ext), "%s", root ? "" : to.ext);
		if (x.parent) {
			struct member_rec old;
			if (e->st->ops->member_get_id(e->st, x.parent, &old, err) == TK_OK)
				snprintf(out->from_ext, sizeof(out->from_ext), "%s", old.ext);
		}
	}
	return TK_OK;
fail:
	e->st->ops->tx_rollback(e->st);
	growth_drop(e);
	free(days.r);
	return rc;
}

/* ---- reading ---- */

static enum tk_rc member_id(struct engine *e, const char *ext, int64_t *id,
			    struct tk_error *err)
{
	struct member_rec m;
	enum tk_rc rc = e->st->ops->member_get(e->st, ext, &m, err);
	if (!rc)
		*id = m.id;
	return rc;
}

enum tk_rc engine_member_moves(struct engine *e, const char *ext, store_move_cb cb, void *ctx,
			       struct tk_error *err)
{
	int64_t id = 0;
	enum tk_rc rc = ext && *ext ? member_id(e, ext, &id, err) : TK_OK;
	return rc ? rc : e->st->growth->move_each(e->st, id, cb, ctx, err);
}

enum tk_rc engine_level_history(struct engine *e, const char *ext, store_level_change_cb cb,
				void *ctx, struct tk_error *err)
{
	int64_t id = 0;
	enum tk_rc rc = ext && *ext ? member_id(e, ext, &id, err) : TK_OK;
	return rc ? rc : e->st->growth->history_each(e->st, id, cb, ctx, err);
}

enum tk_rc engine_member_path(struct engine *e, const char *ext, store_member_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct member_rec m;
	enum tk_rc rc = e->st->ops->member_get(e->st, ext, &m, err);
	for (int64_t steps = 0; !rc; steps++) {
		if (!cb(ctx, &m) || !m.parent)
			break;
		if (steps > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		rc = e->st->ops->member_get_id(e->st, m.parent, &m, err);
	}
	return rc;
}

/* The first and last day of the month `back` months before today's. */
static void month_range(int64_t today, int back, int64_t *from, int64_t *to, char name[8])
{
	int y, m, d;
	tktime_civil_from_days(today, &y, &m, &d);
	m -= back;
	while (m < 1) {
		m += 12;
		y--;
	}
	*from = tktime_days_from_civil(y, m, 1);
	*to = (m == 12 ? tktime_days_from_civil(y + 1, 1, 1) : tktime_days_from_civil(y, m + 1, 1)) - 1;
	snprintf(name, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

static bool stats_level_cb(void *ctx, const char *level, int64_t direct, int64_t team)
{
	struct team_stats *s = ctx;
	if (s->n_levels == TEAM_STATS_LEVELS)
		return false;
	snprintf(s->levels[s->n_levels].key, PLAN_KEY_MAX, "%s", level);
	s->levels[s->n_levels].direct = direct;
	s->levels[s->n_levels].team = team;
	s->n_levels++;
	return true;
}

enum tk_rc engine_team_stats(struct engine *e, const char *ext, struct team_stats *out,
			     struct tk_error *err)
{
	enum tk_rc rc;
	int64_t today = growth_today();
	memset(out, 0, sizeof(*out));
	if ((rc = e->st->ops->member_get(e->st, ext, &out->m, err)))
		return rc;
	for (int back = 0; back < 2; back++) {
		int64_t from, to, v[TD_N];
		month_range(today, back, &from, &to, back ? out->last_month : out->month);
		if ((rc = e->st->growth->team_day_sum(e->st, out->m.id, from, to, v, err)))
			return rc;
		out->own_gmv[back] = v[TD_OWN_GMV];
		out->own_commission[back] = v[TD_OWN_COMMISSION];
		out->team_gmv[back] = v[TD_TEAM_GMV];
		out->team_commission[back] = v[TD_TEAM_COMMISSION];
	}
	const char *implicit;
	if ((rc = e->st->growth->level_count_each(e->st, out->m.id, stats_level_cb, out, err)) ||
	    (rc = growth_implicit_level(e, &implicit, err)))
		goto out;
	/* the implicit level holds the members the written counts leave over */
	int64_t direct = out->m.direct_count, team = out->m.team_count;
	for (int i = 0; i < out->n_levels; i++) {
		direct -= out->levels[i].direct;
		team -= out->levels[i].team;
	}
	if (implicit[0] && (direct || team) && out->n_levels < TEAM_STATS_LEVELS) {
		snprintf(out->levels[out->n_levels].key, PLAN_KEY_MAX, "%s", implicit);
		out->levels[out->n_levels].direct = direct;
		out->levels[out->n_levels].team = team;
		out->n_levels++;
	}
out:
	growth_end(e); /* the implicit level read is cached per operation */
	return rc;
}

enum tk_rc engine_team_list(struct engine *e, const char *ext, struct team_query *q,
			    store_team_row_cb cb, void *ctx, struct tk_error *err)
{
	char month[8];
	if (q->limit < 1 || q->limit > TEAM_PAGE_MAX)
		return tk_fail(err, TK_ELIMIT, "limit", "must be 1..%d, got %lld", TEAM_PAGE_MAX,
			       (long long)q->limit);
	if (q->offset < 0)
		return tk_fail(err, TK_EINVAL, "offset", "must be >= 0, got %lld",
			       (long long)q->offset);
	enum tk_rc rc = member_id(e, ext, &q->member, err);
	if (rc)
		return rc;
	month_range(growth_today(), 0, &q->month_from, &q->month_to, month);
	return e->st->growth->team_list(e->st, q, cb, ctx, err);
}

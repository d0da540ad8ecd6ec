/* growth_eval.c — evaluating members' levels against the active plan.
 *
 * Two ways to the same answer.  Incremental: for a few marked members,
 * read each one's facts from the kept-current tables (team_levels,
 * team_daily, gift_pack_items) and, when its level changes, evaluate its
 * inviter next.  Bulk: load the tree, read every sharer's own sales with
 * one grouped query on the daily statistics, add them up bottom-up, and
 * decide every member deepest first, so that each sees its invitees' new
 * levels — O(N).  The scenario tests check that both agree. */
#include "engine/growth_internal.h"
#include "actions/actions.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct eval {
	struct engine *e;
	const struct plan *p;
	struct growth_windows w;
	int64_t today;
	unsigned inputs;
	struct growth_eval_stats *stats;
};

/* What a member's gift packs say. */
struct member_packs {
	bool holds;
	int level;                   /* highest level a held pack grants, -1 */
	int64_t item;                /* the item of that pack */
	char product[PLAN_PRODUCT_MAX];
	bool due;                    /* a pack was lost since the last evaluation */
	int floor;                   /* the lowest level such a pack was bought at */
	char lost[PLAN_PRODUCT_MAX]; /* the product lost */
};

static void packs_init(struct member_packs *pk)
{
	memset(pk, 0, sizeof(*pk));
	pk->level = -1;
}

static void packs_add(const struct plan *p, struct member_packs *pk,
		      const struct pack_holding_rec *h)
{
	if (h->held) {
		int li = plan_level_index(p, h->level); /* a level the plan no longer has grants nothing */
		pk->holds = true;
		if (li > pk->level) {
			pk->level = li;
			pk->item = h->item;
			snprintf(pk->product, sizeof(pk->product), "%s", h->product);
		}
	}
	if (h->review_due) {
		int before = growth_level_of(p, h->level_before);
		if (!pk->due || before < pk->floor) {
			pk->floor = before;
			snprintf(pk->lost, sizeof(pk->lost), "%s", h->product);
		}
		pk->due = true;
	}
}

/* Window k ending on `day`. */
static void window_range(const struct eval *ev, int k, int64_t day, int64_t *from, int64_t *to)
{
	*to = day;
	*from = day - ev->w.days[k] + 1;
}

static bool eval_init(struct eval *ev, struct engine *e, struct growth_eval_stats *stats)
{
	memset(ev, 0, sizeof(*ev));
	ev->e = e;
	ev->stats = stats;
	ev->p = growth_plan(e);
	if (!ev->p || !growth_plan_has_rules(ev->p))
		return false;
	ev->inputs = growth_plan_inputs(ev->p);
	growth_windows(ev->p, &ev->w);
	ev->today = growth_today();
	return true;
}

struct past_walk {
	const struct plan *p;
	struct growth_past *past;
};

static bool past_cb(void *ctx, const struct level_change_rec *c)
{
	struct past_walk *w = ctx;
	int from = c->from[0] ? plan_level_index(w->p, c->from) : -1; /* "": created at `to` */
	growth_past_add(w->past, from, plan_level_index(w->p, c->to), growth_rule_source(c->rule),
			rollup_day(c->at));
	return true;
}

/* Where a member's levels came from: its history, read only for the few
 * members a review or a correction would take down. */
static enum tk_rc read_past(struct eval *ev, int64_t id, struct growth_past *past,
			    struct tk_error *err)
{
	struct past_walk w = {ev->p, past};
	growth_past_init(past);
	return ev->e->st->growth->history_each(ev->e->st, id, past_cb, &w, err);
}

static enum tk_rc change(struct eval *ev, int64_t id, char key[PLAN_KEY_MAX],
			 const struct growth_decision *d, const char *product, int64_t item,
			 struct tk_error *err)
{
	char rule[GROWTH_RULE_MAX];
	const char *to = ev->p->levels[d->level].key;
	growth_rule_text(ev->p, d, product, rule, sizeof(rule));
	enum tk_rc rc = growth_apply_level(ev->e, id, key, to, rule, item, err);
	if (!rc)
		snprintf(key, PLAN_KEY_MAX, "%s", to);
	return rc;
}

/* Decides and applies one member's level: a lost pack's review first, the
 * monthly review when asked, then upgrades.  *final is the level after. */
static enum tk_rc decide(struct eval *ev, int64_t id, const char *level,
			 const struct growth_facts *f, const struct member_packs *pk, bool review,
			 int *final, struct tk_error *err)
{
	const struct plan *p = ev->p;
	struct growth_decision d;
	struct growth_past past;
	char key[PLAN_KEY_MAX];
	enum tk_rc rc;
	int cur = growth_level_of(p, level);
	snprintf(key, sizeof(key), "%s", level);
	ev->stats->evaluated++;

	/* Each way down is decided once without the member's history, then,
	 * only if it would go down, again with its granted level as a floor. */
	if (pk->due) {
		growth_review(p, &ev->w, cur, pk->floor, false, GROWTH_PACK_REFUND, f, &d);
		if (d.cause != GROWTH_UNCHANGED) {
			if ((rc = read_past(ev, id, &past, err)))
				return rc;
			growth_review(p, &ev->w, cur, growth_floor(p, &past, pk->floor, true), false,
				      GROWTH_PACK_REFUND, f, &d);
		}
		if (d.cause != GROWTH_UNCHANGED) {
			if ((rc = change(ev, id, key, &d, pk->lost, 0, err)))
				return rc;
			cur = d.level;
			ev->stats->downgraded++;
		}
		if ((rc = ev->e->st->growth->pack_review_done(ev->e->st, id, err)))
			return rc;
	}
	if (review) {
		growth_review(p, &ev->w, cur, p->default_level, true, GROWTH_REVIEW, f, &d);
		if (d.cause != GROWTH_UNCHANGED && !p->review_granted) {
			if ((rc = read_past(ev, id, &past, err)))
				return rc;
			growth_review(p, &ev->w, cur, growth_floor(p, &past, -1, true), true,
				      GROWTH_REVIEW, f, &d);
		}
		if (d.cause != GROWTH_UNCHANGED) {
			if ((rc = change(ev, id, key, &d, NULL, 0, err)))
				return rc;
			cur = d.level;
			ev->stats->downgraded++;
		}
	}
	growth_upgrade(p, &ev->w, cur, f, &d);
	if (d.cause != GROWTH_UNCHANGED) {
		bool pack = d.cause == GROWTH_PACK;
		if ((rc = change(ev, id, key, &d, pack ? pk->product : NULL, pack ? pk->item : 0,
				 err)))
			return rc;
		cur = d.level;
		ev->stats->upgraded++;
	}
	*final = cur;
	return TK_OK;
}

/* ---- incremental ---- */

struct fact_walk {
	const struct plan *p;
	struct growth_facts *f;
	struct member_packs *pk;
	int64_t counted; /* direct invitees at levels with written counts */
};

static bool direct_level_cb(void *ctx, const char *level, int64_t direct, int64_t team)
{
	struct fact_walk *w = ctx;
	(void)team;
	w->f->direct_at[growth_level_of(w->p, level)] += direct;
	w->counted += direct;
	return true;
}

static bool pack_cb(void *ctx, const struct pack_holding_rec *h)
{
	struct fact_walk *w = ctx;
	packs_add(w->p, w->pk, h);
	return true;
}

/* A member's own and team sales in each window ending on `day`. */
static enum tk_rc gather_sales(struct eval *ev, int64_t id, int64_t day, struct growth_facts *f,
			       struct tk_error *err)
{
	struct store *st = ev->e->st;
	if (!(ev->inputs & (GROWTH_IN_OWN_SALES | GROWTH_IN_TEAM_SALES)))
		return TK_OK;
	for (int k = 0; k < ev->w.n; k++) {
		int64_t from, to, v[TD_N];
		window_range(ev, k, day, &from, &to);
		enum tk_rc rc = st->growth->team_day_sum(st, id, from, to, v, err);
		if (rc)
			return rc;
		f->own_gmv[k] = v[TD_OWN_GMV];
		f->own_commission[k] = v[TD_OWN_COMMISSION];
		f->team_gmv[k] = v[TD_TEAM_GMV];
		f->team_commission[k] = v[TD_TEAM_COMMISSION];
	}
	return TK_OK;
}

static enum tk_rc gather(struct eval *ev, const struct member_rec *m, struct growth_facts *f,
			 struct member_packs *pk, struct tk_error *err)
{
	struct store *st = ev->e->st;
	struct fact_walk w = {ev->p, f, pk, 0};
	enum tk_rc rc;
	growth_facts_init(f);
	packs_init(pk);
	f->direct = m->direct_count;
	f->team = m->team_count;
	if (ev->inputs & GROWTH_IN_DIRECT_LEVEL) {
		const char *implicit;
		if ((rc = st->growth->level_count_each(st, m->id, direct_level_cb, &w, err)) ||
		    (rc = growth_implicit_level(ev->e, &implicit, err)))
			return rc;
		/* the rest are at the implicit level */
		f->direct_at[growth_level_of(ev->p, implicit)] += m->direct_count - w.counted;
	}
	if ((rc = gather_sales(ev, m->id, ev->today, f, err)) ||
	    (rc = st->growth->pack_each(st, m->id, pack_cb, &w, err)))
		return rc;
	f->holds_pack = pk->holds;
	f->pack_level = pk->level;
	return TK_OK;
}

enum tk_rc engine_level_progress(struct engine *e, const char *ext, struct level_progress *out,
				 struct tk_error *err)
{
	struct eval ev;
	struct growth_facts f;
	struct member_packs pk;
	enum tk_rc rc;
	memset(out, 0, sizeof(*out));
	memset(&ev, 0, sizeof(ev));
	if ((rc = e->st->ops->member_get(e->st, ext, &out->m, err)))
		return rc;
	ev.e = e;
	ev.p = growth_plan(e);
	if (!ev.p) {
		rc = growth_plan_failed(e, err);
		if (!rc)
			rc = tk_fail(err, TK_ENOTFOUND, "plan", "no plan is active");
		goto out;
	}
	const struct plan *p = ev.p;
	int cur = growth_level_of(p, out->m.level);
	snprintf(out->level, sizeof(out->level), "%s", p->levels[cur].key);
	if (cur + 1 >= p->n_levels)
		goto out; /* the top: nothing above */
	const struct plan_level *next = &p->levels[cur + 1];
	snprintf(out->next, sizeof(out->next), "%s", next->key);
	snprintf(out->next_name, sizeof(out->next_name), "%s", next->name);
	out->match_any = next->upgrade.match_any;
	if (next->upgrade.n == 0)
		goto out; /* only an operator or a gift pack gives it */
	/* every input, whatever the plan's rules look at elsewhere */
	ev.inputs = GROWTH_IN_DIRECT | GROWTH_IN_TEAM | GROWTH_IN_OWN_SALES | GROWTH_IN_TEAM_SALES |
		    GROWTH_IN_DIRECT_LEVEL | GROWTH_IN_PACK;
	growth_windows(p, &ev.w);
	ev.today = growth_today();
	if ((rc = gather(&ev, &out->m, &f, &pk, err)))
		goto out;
	out->n = growth_progress(p, &ev.w, cur + 1, &f, out->have, out->met);
	for (int i = 0; i < out->n; i++) {
		out->cond[i] = next->upgrade.cond[i];
		out->need[i] = growth_condition_need(&out->cond[i]);
		if (out->cond[i].kind == COND_DIRECT_AT_LEVEL)
			snprintf(out->cond_level[i], PLAN_KEY_MAX, "%s",
				 p->levels[out->cond[i].level].key);
	}
out:
	growth_end(e); /* the plan and the implicit level are cached per operation */
	return rc;
}

/* A max-heap of (depth, id): the deepest member comes out first. */
struct heap {
	struct heap_node {
		int32_t depth;
		int64_t id;
	} *n;
	int64_t len, cap;
};

static bool heap_push(struct heap *h, int32_t depth, int64_t id)
{
	if (h->len == h->cap) {
		int64_t cap = h->cap ? h->cap * 2 : 256;
		struct heap_node *n = realloc(h->n, (size_t)cap * sizeof(*n));
		if (!n)
			return false;
		h->n = n;
		h->cap = cap;
	}
	int64_t i = h->len++;
	while (i > 0 && h->n[(i - 1) / 2].depth < depth) {
		h->n[i] = h->n[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->n[i] = (struct heap_node){depth, id};
	return true;
}

static struct heap_node heap_pop(struct heap *h)
{
	struct heap_node top = h->n[0], last = h->n[--h->len];
	int64_t i = 0;
	for (;;) {
		int64_t c = 2 * i + 1;
		if (c >= h->len)
			break;
		if (c + 1 < h->len && h->n[c + 1].depth > h->n[c].depth)
			c++;
		if (h->n[c].depth <= last.depth)
			break;
		h->n[i] = h->n[c];
		i = c;
	}
	if (h->len > 0)
		h->n[i] = last;
	return top;
}

/* Moves the members marked since the last call into the heap, once each. */
static enum tk_rc take_marked(struct eval *ev, struct heap *h, struct sum_map *queued,
			      struct tk_error *err)
{
	struct growth_batch *g = &ev->e->growth;
	for (uint64_t i = 0; i < g->dirty.n_slots; i++) {
		int64_t id = g->dirty.key[i];
		if (id == INT64_MIN || sum_map_get(queued, id))
			continue;
		struct member_rec m;
		enum tk_rc rc = ev->e->st->ops->member_get_id(ev->e->st, id, &m, err);
		if (rc)
			return rc;
		if (!sum_map_add(queued, id, 1) || !heap_push(h, m.depth, id))
			return tk_fail(err, TK_ENOMEM, "", "out of memory for members to evaluate");
	}
	sum_map_clear(&g->dirty);
	g->n_dirty = 0;
	return TK_OK;
}

enum tk_rc growth_evaluate_marked(struct engine *e, struct growth_eval_stats *stats,
				  struct tk_error *err)
{
	struct eval ev;
	struct heap h = {0};
	struct sum_map queued = {0};
	enum tk_rc rc = TK_OK;
	if (!eval_init(&ev, e, stats)) {
		sum_map_clear(&e->growth.dirty);
		e->growth.n_dirty = 0;
		return TK_OK;
	}
	if ((rc = take_marked(&ev, &h, &queued, err)))
		goto out;
	while (h.len > 0) {
		struct heap_node top = heap_pop(&h);
		struct member_rec m;
		struct growth_facts f;
		struct member_packs pk;
		int final;
		/* counts changed by the members decided so far must be visible */
		if ((rc = growth_flush(e, err)) ||
		    (rc = e->st->ops->member_get_id(e->st, top.id, &m, err)) ||
		    (rc = gather(&ev, &m, &f, &pk, err)) ||
		    (rc = decide(&ev, m.id, m.level, &f, &pk, false, &final, err)) ||
		    (rc = take_marked(&ev, &h, &queued, err)))
			goto out;
	}
out:
	free(h.n);
	sum_map_free(&queued);
	return rc;
}

/* The action log's entry of an evaluation an operator ran: what it
 * changed, in sum (each member's change is in its level history), and
 * the members it was asked for (ext NULL: all). */
static enum tk_rc log_evaluate(struct engine *e, bool review, const char *const *ext, int n,
			       const struct growth_eval_stats *s, struct tk_error *err)
{
	json_t *a = json_pack("{s:b, s:I, s:I, s:I}", "review", review, "evaluated",
			      (json_int_t)s->evaluated, "upgraded", (json_int_t)s->upgraded,
			      "downgraded", (json_int_t)s->downgraded);
	json_t *who = ext ? json_array() : NULL;
	for (int i = 0; who && i < n; i++)
		json_array_append_new(who, json_string(ext[i]));
	if (a && who)
		json_object_set_new(a, "members", who);
	else
		json_decref(who);
	enum tk_rc rc = actions_record(e->st, engine_now(), "levels.evaluate", "members", NULL, a,
				       err);
	json_decref(a);
	return rc;
}

enum tk_rc engine_levels_evaluate_members(struct engine *e, const char *const *ext, int n,
					  struct growth_eval_stats *out, struct tk_error *err)
{
	enum tk_rc rc;
	memset(out, 0, sizeof(*out));
	if ((rc = engine_tx_begin(e, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		struct member_rec m;
		if ((rc = e->st->ops->member_get(e->st, ext[i], &m, err)) ||
		    (rc = growth_mark(e, m.id, err)))
			goto fail;
	}
	e->growth.tree_touched = false;
	if ((rc = growth_evaluate_marked(e, out, err)) || (rc = growth_flush(e, err)) ||
	    (rc = log_evaluate(e, false, ext, n, out, err)) ||
	    (rc = e->st->ops->tx_commit(e->st, err)))
		goto fail;
	growth_end(e);
	return TK_OK;
fail:
	e->st->ops->tx_rollback(e->st);
	growth_drop(e);
	return rc;
}

/* ---- corrections ---- */

/* A member's level, depth and parent: from the tree when it is loaded (an
 * order batch), else from the store. */
static enum tk_rc member_place(struct engine *e, int64_t id, char level[PLAN_KEY_MAX],
			       int32_t *depth, int64_t *parent, struct tk_error *err)
{
	if (e->tree_loaded && member_tree_has(&e->tree, id)) {
		snprintf(level, PLAN_KEY_MAX, "%s", member_tree_level(&e->tree, id));
		*depth = e->tree.depth[id];
		*parent = e->tree.parent[id];
		return TK_OK;
	}
	struct member_rec m;
	enum tk_rc rc = e->st->ops->member_get_id(e->st, id, &m, err);
	if (!rc) {
		snprintf(level, PLAN_KEY_MAX, "%s", m.level);
		*depth = m.depth;
		*parent = m.parent;
	}
	return rc;
}

/* One member whose order figures went down: takes back the levels its
 * rules no longer give it (growth_correct), naming `why`.  The cheap
 * questions come first — the default level, then its history (granted or
 * not earned by a rule: nothing to take back) — and only then its figures.
 * *lowered says whether its level went down. */
static enum tk_rc correct(struct eval *ev, int64_t id, const char *level,
			  const struct growth_revoked *why, bool *lowered, struct tk_error *err)
{
	const struct plan *p = ev->p;
	struct member_rec m;
	struct growth_facts now;
	struct member_packs pk;
	struct growth_past past;
	struct growth_decision d;
	enum tk_rc rc;
	int cur = growth_level_of(p, level);
	*lowered = false;
	ev->stats->evaluated++;
	if (cur <= p->default_level)
		return TK_OK; /* most members: nothing to take back */
	if ((rc = read_past(ev, id, &past, err)))
		return rc;
	int floor = growth_floor(p, &past, -1, true);
	if (cur <= floor || !past.by_rule[cur])
		return TK_OK;
	if ((rc = ev->e->st->ops->member_get_id(ev->e->st, id, &m, err)) ||
	    (rc = gather(ev, &m, &now, &pk, err)))
		return rc;
	if (pk.level >= cur || growth_rule_met(p, &ev->w, cur, &now))
		return TK_OK;
	/* the figures of the days it rose by a rule, as they stand now */
	struct growth_facts at[PLAN_MAX_LEVELS];
	const struct growth_facts *then[PLAN_MAX_LEVELS] = {0};
	for (int i = cur; i > floor; i--) {
		if (!past.by_rule[i])
			continue;
		for (int j = cur; j > i && !then[i]; j--)
			if (then[j] && past.day[j] == past.day[i])
				then[i] = then[j];
		if (then[i])
			continue;
		at[i] = now;
		if ((rc = gather_sales(ev, id, past.day[i], &at[i], err)))
			return rc;
		then[i] = &at[i];
	}
	growth_correct(p, &ev->w, cur, floor, &past, &now, then, &d);
	if (d.cause == GROWTH_UNCHANGED)
		return TK_OK;
	char key[PLAN_KEY_MAX], what[ORDER_UNION_MAX + ORDER_KEY_MAX];
	snprintf(key, sizeof(key), "%s", level);
	snprintf(what, sizeof(what), "%s:%s", why->union_, why->key);
	if ((rc = change(ev, id, key, &d, what, why->item, err)))
		return rc;
	ev->stats->downgraded++;
	*lowered = true;
	return TK_OK;
}

enum tk_rc growth_correct_marked(struct engine *e, struct growth_eval_stats *stats,
				 struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	struct eval ev;
	struct heap h = {0};
	struct sum_map queued = {0};
	char level[PLAN_KEY_MAX];
	int32_t depth;
	int64_t parent;
	enum tk_rc rc = TK_OK;
	if (!eval_init(&ev, e, stats) ||
	    !(ev.inputs & (GROWTH_IN_OWN_SALES | GROWTH_IN_TEAM_SALES)))
		goto out;
	for (uint64_t i = 0; i < g->shrunk.n_slots; i++) {
		int64_t id = g->shrunk.key[i];
		if (id == INT64_MIN)
			continue;
		if ((rc = member_place(e, id, level, &depth, &parent, err)))
			goto out;
		if (!sum_map_add(&queued, id, 1) || !heap_push(&h, depth, id)) {
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory for corrections");
			goto out;
		}
	}
	while (h.len > 0) {
		struct heap_node top = heap_pop(&h);
		bool lowered;
		const int64_t *at = sum_map_get(&g->shrunk, top.id);
		assert(at && *at >= 1 && *at <= g->n_revoked);
		int64_t ref = *at;
		struct growth_revoked why = g->revoked[ref - 1];
		/* counts changed by the members corrected so far must be visible */
		if ((rc = growth_flush(e, err)) ||
		    (rc = member_place(e, top.id, level, &depth, &parent, err)) ||
		    (rc = correct(&ev, top.id, level, &why, &lowered, err)))
			goto out;
		/* its inviter may have risen on it (direct_at_level) */
		if (!lowered || !(ev.inputs & GROWTH_IN_DIRECT_LEVEL) || parent <= 0 ||
		    sum_map_get(&queued, parent))
			continue;
		if (!sum_map_add(&g->shrunk, parent, ref) || !sum_map_add(&queued, parent, 1) ||
		    !heap_push(&h, depth - 1, parent)) {
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory for corrections");
			goto out;
		}
	}
out:
	free(h.n);
	sum_map_free(&queued);
	sum_map_clear(&g->shrunk);
	return rc;
}

/* ---- bulk ---- */

struct bulk {
	struct eval *ev;
	struct member_tree *t;
	int64_t n;                 /* ids 0..n-1 */
	int64_t *order;            /* ids, deepest first */
	int64_t n_order;
	int64_t *sales[4][PLAN_MAX_WINDOWS]; /* own gmv, own commission, team gmv, team commission */
	int32_t *direct_at;        /* [id * n_levels + level] */
	struct sum_map pack_of;    /* member -> index in packs */
	struct member_packs *packs;
	int64_t n_packs, cap_packs;
	int window;                /* the window being read */
	bool oom;
};

static void bulk_free(struct bulk *b)
{
	free(b->order);
	for (int s = 0; s < 4; s++)
		for (int k = 0; k < PLAN_MAX_WINDOWS; k++)
			free(b->sales[s][k]);
	free(b->direct_at);
	sum_map_free(&b->pack_of);
	free(b->packs);
}

/* Counting sort of the members by depth, deepest first. */
static enum tk_rc bulk_order(struct bulk *b, struct tk_error *err)
{
	int32_t max_depth = 0;
	for (int64_t id = 1; id < b->n; id++)
		if (member_tree_has(b->t, id) && b->t->depth[id] > max_depth)
			max_depth = b->t->depth[id];
	int64_t *start = calloc((size_t)max_depth + 2, sizeof(*start));
	b->order = malloc((size_t)b->n * sizeof(*b->order));
	if (!start || !b->order) {
		free(start);
		return tk_fail(err, TK_ENOMEM, "", "out of memory for the member order");
	}
	for (int64_t id = 1; id < b->n; id++)
		if (member_tree_has(b->t, id))
			start[max_depth - b->t->depth[id] + 1]++;
	for (int32_t d = 1; d <= max_depth + 1; d++)
		start[d] += start[d - 1];
	for (int64_t id = 1; id < b->n; id++)
		if (member_tree_has(b->t, id))
			b->order[start[max_depth - b->t->depth[id]]++] = id;
	b->n_order = start[max_depth];
	free(start);
	return TK_OK;
}

static bool own_sum_cb(void *ctx, const char *ext, int64_t gmv, int64_t commission)
{
	struct bulk *b = ctx;
	int64_t id = member_tree_find(b->t, ext);
	if (id > 0 && id < b->n) {
		b->sales[0][b->window][id] += gmv;
		b->sales[1][b->window][id] += commission;
	}
	return true;
}

static enum tk_rc bulk_sales(struct bulk *b, struct tk_error *err)
{
	struct eval *ev = b->ev;
	enum tk_rc rc;
	if (!(ev->inputs & (GROWTH_IN_OWN_SALES | GROWTH_IN_TEAM_SALES)))
		return TK_OK;
	for (int k = 0; k < ev->w.n; k++) {
		for (int s = 0; s < 4; s++)
			if (!(b->sales[s][k] = calloc((size_t)b->n, sizeof(int64_t))))
				return tk_fail(err, TK_ENOMEM, "", "out of memory for sales");
		int64_t from, to;
		window_range(ev, k, ev->today, &from, &to);
		b->window = k;
		if ((rc = ev->e->st->growth->own_sum_each(ev->e->st, from, to, own_sum_cb, b, err)))
			return rc;
		/* team = own + the teams below, children before parents */
		memcpy(b->sales[2][k], b->sales[0][k], (size_t)b->n * sizeof(int64_t));
		memcpy(b->sales[3][k], b->sales[1][k], (size_t)b->n * sizeof(int64_t));
		for (int64_t i = 0; i < b->n_order; i++) {
			int64_t id = b->order[i], parent = b->t->parent[id];
			if (parent > 0) {
				b->sales[2][k][parent] += b->sales[2][k][id];
				b->sales[3][k][parent] += b->sales[3][k][id];
			}
		}
	}
	return TK_OK;
}

static bool bulk_pack_cb(void *ctx, const struct pack_holding_rec *h)
{
	struct bulk *b = ctx;
	const int64_t *at = sum_map_get(&b->pack_of, h->member);
	int64_t k;
	if (at) {
		k = *at;
	} else {
		if (b->n_packs == b->cap_packs) {
			int64_t cap = b->cap_packs ? b->cap_packs * 2 : 64;
			struct member_packs *p = realloc(b->packs, (size_t)cap * sizeof(*p));
			if (!p)
				return !(b->oom = true);
			b->packs = p;
			b->cap_packs = cap;
		}
		k = b->n_packs++;
		packs_init(&b->packs[k]);
		if (!sum_map_add(&b->pack_of, h->member, k))
			return !(b->oom = true);
	}
	packs_add(b->ev->p, &b->packs[k], h);
	return true;
}

enum tk_rc growth_evaluate_tree(struct engine *e, bool review, struct growth_eval_stats *stats,
				struct tk_error *err)
{
	struct eval ev;
	struct bulk b = {0};
	enum tk_rc rc = TK_OK;
	struct growth_batch *g = &e->growth;
	stats->bulk = true;
	if (!eval_init(&ev, e, stats))
		return TK_OK;
	/* every member is decided here: marks made on the way are moot */
	g->dirty_all = true;
	sum_map_free(&g->dirty);
	g->n_dirty = 0;
	b.ev = &ev;
	b.t = &e->tree;
	b.n = e->tree.max_id + 1;
	int L = ev.p->n_levels;
	if ((rc = bulk_order(&b, err)) || (rc = bulk_sales(&b, err)))
		goto out;
	if ((ev.inputs & GROWTH_IN_DIRECT_LEVEL) &&
	    !(b.direct_at = calloc((size_t)b.n * (size_t)L, sizeof(int32_t)))) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory for per-level counts");
		goto out;
	}
	if ((rc = e->st->growth->pack_each(e->st, 0, bulk_pack_cb, &b, err)))
		goto out;
	if (b.oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory for gift packs");
		goto out;
	}
	struct member_packs none;
	packs_init(&none);
	for (int64_t i = 0; i < b.n_order; i++) {
		int64_t id = b.order[i];
		struct growth_facts f;
		growth_facts_init(&f);
		f.direct = e->tree.direct[id];
		f.team = e->tree.team[id];
		for (int k = 0; b.sales[0][0] && k < ev.w.n; k++) {
			f.own_gmv[k] = b.sales[0][k][id];
			f.own_commission[k] = b.sales[1][k][id];
			f.team_gmv[k] = b.sales[2][k][id];
			f.team_commission[k] = b.sales[3][k][id];
		}
		if (b.direct_at)
			for (int l = 0; l < L; l++)
				f.direct_at[l] = b.direct_at[id * L + l];
		const int64_t *pi = b.n_packs ? sum_map_get(&b.pack_of, id) : NULL;
		const struct member_packs *pk = pi ? &b.packs[*pi] : &none;
		f.holds_pack = pk->holds;
		f.pack_level = pk->level;
		int final;
		if ((rc = decide(&ev, id, member_tree_level(&e->tree, id), &f, pk, review, &final,
				 err)))
			goto out;
		int64_t parent = e->tree.parent[id];
		if (b.direct_at && parent > 0)
			b.direct_at[parent * L + final]++;
	}
out:
	bulk_free(&b);
	return rc;
}

enum tk_rc engine_levels_evaluate(struct engine *e, bool review, struct growth_eval_stats *out,
				  struct tk_error *err)
{
	enum tk_rc rc;
	memset(out, 0, sizeof(*out));
	const struct plan *p = growth_plan(e);
	if (review && p && p->downgrade != PLAN_DOWNGRADE_MONTHLY) {
		growth_drop(e);
		return tk_fail(err, TK_EINVAL, "review",
			       "the active plan never downgrades (set \"downgrade\": \"monthly\" "
			       "to review levels)");
	}
	if ((rc = engine_tx_begin(e, err)))
		goto fail_early;
	if ((rc = engine_tree_load(e, err)))
		goto fail;
	e->growth.tree_touched = false;
	if ((rc = growth_plan_failed(e, err)) ||
	    (rc = growth_evaluate_tree(e, review, out, err)) || (rc = growth_flush(e, err)) ||
	    (rc = log_evaluate(e, review, NULL, 0, out, err)) || (rc = e->st->ops->tx_commit(e->st, err)))
		goto fail;
	growth_end(e);
	return TK_OK;
fail:
	e->st->ops->tx_rollback(e->st);
fail_early:
	growth_drop(e);
	return rc;
}

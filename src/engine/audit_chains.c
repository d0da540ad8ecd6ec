/* audit_chains.c — the audit's check that every item's chain is the one
 * its first sight gave it: the sharer, its parent and grandparent and
 * their levels as they were when tuike first saw the item (an item
 * re-attributed later carries the chain it would have had then).  The
 * past is rebuilt in memory from the member moves and the level history,
 * so that a million items cost a million binary searches, not queries. */
#include "engine/audit_chains.h"

#include <stdlib.h>
#include <string.h>

#include "store/growth_store.h"

/* One change of a member's parent or level, sorted by member and id (the
 * order they were made in). */
struct past_change {
	int64_t member, at, seq, id;
	int64_t from_parent, to_parent;        /* moves */
	char from[PLAN_KEY_MAX], to[PLAN_KEY_MAX]; /* level changes */
};

struct past_list {
	struct past_change *v;
	size_t n, cap;
	struct sum_map first; /* member -> index of its first change + 1 */
	bool oom;
};

static bool push(struct past_list *l, const struct past_change *c)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		struct past_change *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return !(l->oom = true);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return true;
}

static bool on_level(void *ctx, const struct level_change_rec *r)
{
	struct past_change c = {.member = r->member, .at = r->at, .seq = r->seq, .id = r->id};
	memcpy(c.from, r->from, sizeof(c.from));
	memcpy(c.to, r->to, sizeof(c.to));
	return push(ctx, &c);
}

static bool on_move(void *ctx, const struct member_move_rec *r)
{
	struct past_change c = {.member = r->member, .at = r->at, .seq = r->seq, .id = r->id,
				.from_parent = r->from_parent, .to_parent = r->to_parent};
	return push(ctx, &c);
}

static int change_cmp(const void *a, const void *b)
{
	const struct past_change *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool index_list(struct past_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), change_cmp);
	for (size_t i = 0; i < l->n; i++)
		if ((i == 0 || l->v[i - 1].member != l->v[i].member) &&
		    !sum_map_add(&l->first, l->v[i].member, (int64_t)i + 1))
			return !(l->oom = true);
	return true;
}

enum tk_rc audit_chains_load(struct audit_chains *c, struct engine *e, struct tk_error *err)
{
	enum tk_rc rc;
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->levels = calloc(1, sizeof(*c->levels));
	c->moves = calloc(1, sizeof(*c->moves));
	if (!c->levels || !c->moves)
		return tk_fail(err, TK_ENOMEM, "", "out of memory while auditing");
	if ((rc = engine_tree_load(e, err)) ||
	    (rc = e->st->growth->history_each(e->st, 0, on_level, c->levels, err)) ||
	    (rc = e->st->growth->move_each(e->st, 0, on_move, c->moves, err)))
		return rc;
	if (!index_list(c->levels) || !index_list(c->moves) || c->levels->oom || c->moves->oom)
		return tk_fail(err, TK_ENOMEM, "", "out of memory while auditing");
	return TK_OK;
}

static void list_free(struct past_list *l)
{
	if (!l)
		return;
	free(l->v);
	sum_map_free(&l->first);
	free(l);
}

void audit_chains_free(struct audit_chains *c)
{
	list_free(c->levels);
	list_free(c->moves);
	memset(c, 0, sizeof(*c));
}

/* Whether change c was made by the moment (seq, at): by the change log's
 * numbers when both are known (exact), else by time (with `strict`, made
 * before the second `at`, else within it too). */
static bool made_by(const struct past_change *c, int64_t seq, int64_t at, bool strict)
{
	if (seq > 0 && c->seq > 0)
		return c->seq <= seq;
	return strict ? c->at < at : c->at <= at;
}

/* The member's change in effect at the moment (the last one made by
 * then), or with *before set, its first change when none was made by
 * then; NULL when it has none. */
static const struct past_change *in_effect(const struct past_list *l, int64_t member,
					   int64_t seq, int64_t at, bool strict, bool *before)
{
	const int64_t *f = sum_map_get(&l->first, member);
	*before = false;
	if (!f)
		return NULL;
	size_t lo = (size_t)(*f - 1), hi = lo;
	while (hi < l->n && l->v[hi].member == member)
		hi++;
	size_t first = lo;
	/* the first change made after `at` (or at it, with strict) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (made_by(&l->v[mid], seq, at, strict))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > first)
		return &l->v[lo - 1];
	*before = true;
	return &l->v[first];
}

static void chain_then(const struct audit_chains *c, const struct plan *p, int64_t sharer,
		       int64_t seq, int64_t at, bool strict, struct plan_chain *out)
{
	const struct member_tree *t = &c->e->tree;
	memset(out, 0, sizeof(*out));
	for (int64_t m = sharer; m > 0 && out->n < p->max_tiers && member_tree_has(t, m);) {
		bool before;
		const struct past_change *lv = in_effect(c->levels, m, seq, at, strict, &before);
		const char *level = !lv ? member_tree_level(t, m) : before ? lv->from : lv->to;
		int li = plan_level_index(p, level);
		out->member[out->n] = m;
		out->level[out->n] = li >= 0 ? li : p->default_level;
		out->n++;
		const struct past_change *mv = in_effect(c->moves, m, seq, at, strict, &before);
		m = !mv ? t->parent[m] : before ? mv->from_parent : mv->to_parent;
	}
}

static bool same(const struct plan_chain *a, const struct plan_chain *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (a->member[i] != b->member[i] || a->level[i] != b->level[i])
			return false;
	return true;
}

bool audit_chain_ok(const struct audit_chains *c, const struct plan *p,
		    const struct item_rec *it, struct plan_chain *want)
{
	if (it->chain.n == 0 || plan_chain_pack(&it->chain) >= 0)
		return true; /* unattributed, or a gift pack's inviters */
	/* without the change log's numbers (items and changes recorded before
	 * them), a change in the very second of the first sight may have come
	 * just before it or just after: either is the chain of that second */
	chain_then(c, p, it->chain.member[0], it->seen_seq, it->first_seen_at, false, want);
	if (same(want, &it->chain))
		return true;
	chain_then(c, p, it->chain.member[0], it->seen_seq, it->first_seen_at, true, want);
	return same(want, &it->chain);
}

/* growth_batch.c — growth figures summed in memory during a batch and
 * written once: per-level team counts, daily own and team sales, and the
 * members to evaluate again; plus the level change every evaluation and
 * operator action goes through.
 *
 * Summing first matters on ingest: an order item changes the team sales of
 * every ancestor of its sharer, and a batch touches the same ancestors
 * (the roots above all) again and again. */
#include "engine/growth_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"

/* Members marked one by one up to this many; past it the whole tree is
 * evaluated at once, which is cheaper than that many single evaluations
 * (about 30 us each, against 1.4 s for a tree of 1,000,000).  A smaller
 * tree goes bulk sooner: past GROWTH_MARK_BULK marks and a twentieth of
 * its members. */
#define GROWTH_MARK_MAX 50000
#define GROWTH_MARK_BULK 5000

const struct plan *growth_plan(struct engine *e)
{
	struct growth_batch *g = &e->growth;
	if (!g->plan_read) {
		struct tk_error perr;
		const struct plan *p = NULL;
		enum tk_rc rc = engine_plan_get(e, 0, &p, NULL, &perr);
		if (rc) {
			p = NULL;
			if (rc != TK_ENOTFOUND) { /* not "no plan": a failed read */
				g->plan_rc = rc;
				g->plan_err = perr;
			}
		}
		g->plan = p;
		g->inputs = p && growth_plan_has_rules(p) ? growth_plan_inputs(p) : 0;
		g->plan_read = true;
	}
	return g->plan;
}

enum tk_rc growth_plan_failed(struct engine *e, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	if (g->plan_rc && err)
		*err = g->plan_err;
	return g->plan_rc;
}

int64_t growth_today(void)
{
	return rollup_day(engine_now());
}

int growth_level_of(const struct plan *p, const char *key)
{
	int i = plan_level_index(p, key);
	return i >= 0 ? i : p->default_level;
}

enum tk_rc growth_parent(struct engine *e, int64_t id, int64_t *parent, struct tk_error *err)
{
	if (e->tree_loaded && member_tree_has(&e->tree, id)) {
		*parent = e->tree.parent[id];
		return TK_OK;
	}
	struct member_rec m;
	enum tk_rc rc = e->st->ops->member_get_id(e->st, id, &m, err);
	if (!rc)
		*parent = m.parent;
	return rc;
}

/* ---- members to evaluate ---- */

enum tk_rc growth_mark(struct engine *e, int64_t id, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	if (g->dirty_all || id <= 0)
		return TK_OK;
	if (!sum_map_add(&g->dirty, id, 1))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for members to evaluate");
	g->n_dirty = (int64_t)g->dirty.n_used;
	if (g->n_dirty > GROWTH_MARK_MAX) {
		g->dirty_all = true;
		sum_map_free(&g->dirty);
		g->n_dirty = 0;
	}
	return TK_OK;
}

enum tk_rc growth_mark_inputs(struct engine *e, int64_t id, unsigned changed,
			      struct tk_error *err)
{
	enum tk_rc rc;
	struct growth_batch *g = &e->growth;
	if (!growth_plan(e))
		return TK_OK;
	changed &= g->inputs;
	if (!changed || g->dirty_all)
		return TK_OK;
	if ((changed & (GROWTH_IN_OWN_SALES | GROWTH_IN_PACK | GROWTH_IN_TEAM_SALES)) &&
	    (rc = growth_mark(e, id, err)))
		return rc;
	unsigned up = changed & (GROWTH_IN_TEAM | GROWTH_IN_TEAM_SALES);
	bool parent = changed & (GROWTH_IN_DIRECT | GROWTH_IN_DIRECT_LEVEL);
	if (!up && !parent)
		return TK_OK;
	int64_t a;
	if ((rc = growth_parent(e, id, &a, err)))
		return rc;
	for (int n = 0; a > 0 && !g->dirty_all; n++) {
		if ((rc = growth_mark(e, a, err)))
			return rc;
		if (!up)
			break;
		if (n > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		if ((rc = growth_parent(e, a, &a, err)))
			return rc;
	}
	return TK_OK;
}

/* ---- per-level counts ---- */

static int level_key_index(struct growth_batch *g, const char *level)
{
	for (int i = 0; i < g->n_level_keys; i++)
		if (strcmp(g->level_keys[i], level) == 0)
			return i;
	if (g->n_level_keys == GROWTH_LEVEL_KEYS)
		return -1;
	snprintf(g->level_keys[g->n_level_keys], PLAN_KEY_MAX, "%s", level);
	return g->n_level_keys++;
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool grow_counts(struct growth_batch *g)
{
	uint64_t n = g->n_count_slots ? g->n_count_slots * 2 : 4096;
	struct growth_count_entry *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (uint64_t i = 0; i < g->n_count_slots; i++) {
		struct growth_count_entry *c = &g->counts[i];
		if (!c->key)
			continue;
		uint64_t h = mix64((uint64_t)c->key) & (n - 1);
		while (slots[h].key)
			h = (h + 1) & (n - 1);
		slots[h] = *c;
	}
	free(g->counts);
	g->counts = slots;
	g->n_count_slots = n;
	return true;
}

enum tk_rc growth_implicit_level(struct engine *e, const char **level, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	if (!g->implicit_read) {
		enum tk_rc rc = e->st->growth->implicit_level_get(e->st, g->implicit, err);
		if (rc == TK_ENOTFOUND)
			g->implicit[0] = '\0';
		else if (rc)
			return rc;
		g->implicit_read = true;
	}
	*level = g->implicit;
	return TK_OK;
}

enum tk_rc growth_count(struct engine *e, int64_t member, const char *level, int64_t direct,
			int64_t team, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	const char *implicit;
	enum tk_rc rc = growth_implicit_level(e, &implicit, err);
	if (rc)
		return rc;
	if (!implicit[0]) {
		/* No count was ever written, so any level may become the implicit
		 * one: the plan's default level, which most members hold. */
		const struct plan *p = growth_plan(e);
		const char *pick = p ? p->levels[p->default_level].key : level;
		if ((rc = e->st->growth->implicit_level_set(e->st, pick, err)))
			return rc;
		snprintf(g->implicit, sizeof(g->implicit), "%s", pick);
	}
	if (strcmp(level, g->implicit) == 0)
		return TK_OK;
	int li = level_key_index(g, level);
	if (li < 0)
		return tk_fail(err, TK_ELIMIT, "level", "more than %d distinct level keys in one batch",
			       GROWTH_LEVEL_KEYS);
	if ((g->n_counts + 1) * 4 > g->n_count_slots * 3 && !grow_counts(g))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for team counts");
	/* member ids stay far below 2^57 */
	int64_t key = member << 6 | li;
	uint64_t h = mix64((uint64_t)key) & (g->n_count_slots - 1);
	while (g->counts[h].key && g->counts[h].key != key)
		h = (h + 1) & (g->n_count_slots - 1);
	if (!g->counts[h].key) {
		g->counts[h].key = key;
		g->n_counts++;
	}
	g->counts[h].direct += direct;
	g->counts[h].team += team;
	return TK_OK;
}

enum tk_rc growth_count_move(struct engine *e, int64_t id, const char *from, const char *to,
			     struct tk_error *err)
{
	enum tk_rc rc;
	int64_t a;
	if ((rc = growth_parent(e, id, &a, err)))
		return rc;
	for (int first = 1, n = 0; a > 0; first = 0, n++) {
		if ((rc = growth_count(e, a, from, -first, -1, err)) ||
		    (rc = growth_count(e, a, to, first, 1, err)))
			return rc;
		if (n > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		if ((rc = growth_parent(e, a, &a, err)))
			return rc;
	}
	return TK_OK;
}

static int count_cmp(const void *a, const void *b)
{
	const struct growth_count_entry *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Writes the counts in member order (see flush_days). */
static enum tk_rc flush_counts(struct engine *e, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	uint64_t n = 0;
	if (!g->n_counts)
		return TK_OK;
	for (uint64_t i = 0; i < g->n_count_slots; i++) {
		struct growth_count_entry *c = &g->counts[i];
		if (c->key && (c->direct || c->team))
			g->counts[n++] = *c; /* compact in place: n <= i */
	}
	qsort(g->counts, n, sizeof(*g->counts), count_cmp);
	for (uint64_t i = 0; i < n; i++) {
		struct growth_count_entry *c = &g->counts[i];
		enum tk_rc rc = e->st->growth->level_count_add(e->st, c->key >> 6,
							       g->level_keys[c->key & 63], c->direct,
							       c->team, err);
		if (rc)
			return rc; /* the batch is rolled back and dropped */
	}
	memset(g->counts, 0, g->n_count_slots * sizeof(*g->counts));
	g->n_counts = 0;
	return TK_OK;
}

/* ---- daily sales ---- */

static uint64_t day_hash(int64_t member, int64_t day)
{
	return mix64((uint64_t)member * 0x9E3779B97F4A7C15ULL ^ (uint64_t)day * 0xC2B2AE3D27D4EB4FULL);
}

static bool grow_days(struct growth_batch *g)
{
	uint64_t n = g->n_day_slots ? g->n_day_slots * 2 : 4096;
	struct growth_day_entry *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (uint64_t i = 0; i < g->n_day_slots; i++) {
		struct growth_day_entry *d = &g->days[i];
		if (!d->used)
			continue;
		uint64_t h = day_hash(d->member, d->day) & (n - 1);
		while (slots[h].used)
			h = (h + 1) & (n - 1);
		slots[h] = *d;
	}
	free(g->days);
	g->days = slots;
	g->n_day_slots = n;
	return true;
}

static struct growth_day_entry *day_entry(struct growth_batch *g, int64_t member, int64_t day)
{
	if ((g->n_days + 1) * 4 > g->n_day_slots * 3 && !grow_days(g))
		return NULL;
	uint64_t h = day_hash(member, day) & (g->n_day_slots - 1);
	for (;; h = (h + 1) & (g->n_day_slots - 1)) {
		struct growth_day_entry *d = &g->days[h];
		if (!d->used) {
			memset(d, 0, sizeof(*d));
			d->used = true;
			d->member = member;
			d->day = day;
			g->n_days++;
			return d;
		}
		if (d->member == member && d->day == day)
			return d;
	}
}

enum tk_rc growth_team_day(struct engine *e, int64_t member, int64_t day, const int64_t v[TD_N],
			   struct tk_error *err)
{
	struct growth_day_entry *d = day_entry(&e->growth, member, day);
	if (!d)
		return tk_fail(err, TK_ENOMEM, "", "out of memory for team sales");
	for (int i = 0; i < TD_N; i++)
		d->v[i] += v[i];
	return TK_OK;
}

/* An item's sales figures: GMV and commission while it earns. */
static void item_sales(const struct item_rec *it, int64_t *day, int64_t *gmv,
		       int64_t *commission)
{
	const struct order_row *row = &it->row;
	bool earns = order_earns(row->status);
	*gmv = earns ? row->amount : 0;
	*commission = earns ? order_net_commission(row->commission, row->refunded) : 0;
	/* the report rollup's day, so that bulk evaluation (from the rollup)
	 * and incremental evaluation (from team_daily) agree */
	*day = rollup_row_day(row);
}

/* Adds (gmv, commission) on `day` to the own sales of `sharer` and to the
 * team sales of it and everyone above. */
static enum tk_rc add_sales(struct engine *e, int64_t sharer, int64_t day, int64_t gmv,
			    int64_t commission, struct tk_error *err)
{
	enum tk_rc rc;
	int64_t a = sharer;
	for (int n = 0; a > 0; n++) {
		struct growth_day_entry *d = day_entry(&e->growth, a, day);
		if (!d)
			return tk_fail(err, TK_ENOMEM, "", "out of memory for team sales");
		if (n == 0) {
			d->v[TD_OWN_GMV] += gmv;
			d->v[TD_OWN_COMMISSION] += commission;
		}
		d->v[TD_TEAM_GMV] += gmv;
		d->v[TD_TEAM_COMMISSION] += commission;
		if (n > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		if ((rc = growth_parent(e, a, &a, err)))
			return rc;
	}
	return TK_OK;
}

/* Marks the members whose order figures an item lowered, for a
 * correction at commit: its tier-1 member (own sales) and, when the rules
 * look at team sales, everyone above.  A walk stops at a member already
 * marked, whose inviters the earlier walk marked: a batch marks each
 * member once. */
static enum tk_rc mark_shrunk(struct engine *e, int64_t sharer, const struct item_rec *it,
			      struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	enum tk_rc rc;
	if (!growth_plan(e) || !(g->inputs & (GROWTH_IN_OWN_SALES | GROWTH_IN_TEAM_SALES)) ||
	    sum_map_get(&g->shrunk, sharer))
		return TK_OK;
	if (g->n_revoked == g->cap_revoked) {
		int64_t cap = g->cap_revoked ? g->cap_revoked * 2 : 64;
		struct growth_revoked *r = realloc(g->revoked, (size_t)cap * sizeof(*r));
		if (!r)
			return tk_fail(err, TK_ENOMEM, "", "out of memory for corrections");
		g->revoked = r;
		g->cap_revoked = cap;
	}
	struct growth_revoked *r = &g->revoked[g->n_revoked++];
	r->item = it->id;
	snprintf(r->union_, sizeof(r->union_), "%s", it->row.union_);
	snprintf(r->key, sizeof(r->key), "%s", it->row.item);
	int64_t a = sharer;
	for (int n = 0; a > 0 && !sum_map_get(&g->shrunk, a); n++) {
		if (!sum_map_add(&g->shrunk, a, g->n_revoked))
			return tk_fail(err, TK_ENOMEM, "", "out of memory for corrections");
		if (!(g->inputs & GROWTH_IN_TEAM_SALES))
			break;
		if (n > MEMBER_DEPTH_GUARD)
			return tk_fail(err, TK_EIO, "", "the invitation tree is deeper than %d",
				       MEMBER_DEPTH_GUARD);
		if ((rc = growth_parent(e, a, &a, err)))
			return rc;
	}
	return TK_OK;
}

enum tk_rc growth_item(struct engine *e, const struct item_rec *was, const struct item_rec *it,
		       struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	int pack;
	if ((rc = growth_item_pack(e, it, &p, &pack, err)))
		return rc;
	if (pack >= 0) /* a gift pack is not a sale */
		return growth_pack_changed(e, it, err);
	if (it->chain.n == 0)
		return TK_OK;
	int64_t sharer = it->chain.member[0];
	int64_t day0 = 0, gmv0 = 0, com0 = 0, day, gmv, com;
	item_sales(it, &day, &gmv, &com);
	if (was)
		item_sales(was, &day0, &gmv0, &com0);
	if (was && day0 == day) {
		/* the common change (received, settled): same figures, nothing to do */
		if (gmv == gmv0 && com == com0)
			return TK_OK;
		rc = add_sales(e, sharer, day, gmv - gmv0, com - com0, err);
	} else {
		rc = (gmv0 || com0) ? add_sales(e, sharer, day0, -gmv0, -com0, err) : TK_OK;
		if (!rc && (gmv || com))
			rc = add_sales(e, sharer, day, gmv, com, err);
	}
	/* less than before on some day (invalid, refunded, repriced, moved to
	 * another day): levels earned with it may have to be taken back */
	bool lower = (gmv0 || com0) && (day0 != day || gmv < gmv0 || com < com0);
	if (!rc && lower)
		rc = mark_shrunk(e, sharer, it, err);
	if (rc || (!gmv && !com))
		return rc;
	return growth_mark_inputs(e, sharer, GROWTH_IN_OWN_SALES | GROWTH_IN_TEAM_SALES, err);
}

static int day_cmp(const void *a, const void *b)
{
	const struct growth_day_entry *x = a, *y = b;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->day < y->day ? -1 : x->day > y->day;
}

/* Writes the day sums in key order: the upserts then walk the table's
 * B-tree forward instead of jumping around it. */
static enum tk_rc flush_days(struct engine *e, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	uint64_t n = 0;
	if (!g->n_days)
		return TK_OK;
	for (uint64_t i = 0; i < g->n_day_slots; i++) {
		struct growth_day_entry *d = &g->days[i];
		if (d->used && (d->v[0] | d->v[1] | d->v[2] | d->v[3]))
			g->days[n++] = *d; /* compact in place: n <= i */
	}
	qsort(g->days, n, sizeof(*g->days), day_cmp);
	for (uint64_t i = 0; i < n; i++) {
		struct growth_day_entry *d = &g->days[i];
		enum tk_rc rc = e->st->growth->team_day_add(e->st, d->member, d->day, d->v, err);
		if (rc)
			return rc; /* the batch is rolled back and dropped */
	}
	memset(g->days, 0, g->n_day_slots * sizeof(*g->days));
	g->n_days = 0;
	return TK_OK;
}

/* ---- level changes ---- */

enum tk_rc growth_record_level(struct engine *e, int64_t id, const char *from, const char *to,
			       const char *rule, int64_t item, struct tk_error *err)
{
	enum tk_rc rc;
	struct level_change_rec c = {.member = id, .item = item, .at = engine_now()};
	snprintf(c.from, sizeof(c.from), "%s", from);
	snprintf(c.to, sizeof(c.to), "%s", to);
	snprintf(c.rule, sizeof(c.rule), "%s", rule);
	if ((rc = e->st->growth->history_insert(e->st, &c, err)) ||
	    (rc = growth_count_move(e, id, from, to, err)))
		return rc;
	return growth_mark_inputs(e, id, GROWTH_IN_DIRECT_LEVEL, err);
}

enum tk_rc growth_apply_level(struct engine *e, int64_t id, const char *from, const char *to,
			      const char *rule, int64_t item, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = e->st->ops->member_set_level(e->st, id, to, err)) ||
	    (rc = growth_record_level(e, id, from, to, rule, item, err)))
		return rc;
	if (e->tree_loaded && member_tree_has(&e->tree, id)) {
		if ((rc = member_tree_set_level(&e->tree, id, to, err)))
			return rc;
		e->growth.tree_touched = true;
	}
	return TK_OK;
}

/* ---- batch ends ---- */

enum tk_rc growth_flush(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc = flush_counts(e, err);
	return rc ? rc : flush_days(e, err);
}

static void release(struct growth_batch *g)
{
	bool touched = g->tree_touched;
	free(g->days);
	free(g->counts);
	sum_map_free(&g->dirty);
	sum_map_free(&g->shrunk);
	free(g->revoked);
	memset(g, 0, sizeof(*g));
	g->tree_touched = touched;
}

enum tk_rc growth_commit(struct engine *e, struct tk_error *err)
{
	struct growth_batch *g = &e->growth;
	struct growth_eval_stats stats = {0};
	enum tk_rc rc;
	g->tree_touched = false; /* earlier transactions are committed */
	if ((rc = growth_flush(e, err)))
		goto out;
	/* corrections first: what no longer holds goes down, then anyone may
	 * rise on what does */
	if (g->shrunk.n_used && (rc = growth_correct_marked(e, &stats, err)))
		goto out;
	if (growth_plan(e) && g->inputs && (g->n_dirty || g->dirty_all)) {
		if (g->dirty_all || (e->tree_loaded && g->n_dirty > GROWTH_MARK_BULK &&
				     g->n_dirty * 20 > e->tree.max_id)) {
			if ((rc = engine_tree_load(e, err)) ||
			    (rc = growth_evaluate_tree(e, false, &stats, err)))
				goto out;
		} else if ((rc = growth_evaluate_marked(e, &stats, err))) {
			goto out;
		}
	}
	rc = growth_flush(e, err);
out:
	if (!rc)
		rc = growth_plan_failed(e, err);
	release(g);
	return rc;
}

void growth_end(struct engine *e)
{
	release(&e->growth);
	e->growth.tree_touched = false;
}

void growth_drop(struct engine *e)
{
	struct growth_batch *g = &e->growth;
	if (g->tree_touched && e->tree_loaded) {
		member_tree_free(&e->tree);
		e->tree_loaded = false;
	}
	release(g);
	g->tree_touched = false;
}

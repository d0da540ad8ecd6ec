/* group_plan.c — planning the sends of a window (group_plan.h): the ranking
 * computed once per run per category and shared by every group, each
 * group's recent sends indexed by product, shop and category so that a
 * pick is checked in constant time, and one transaction per chunk of
 * groups so that the writer lock is never held for long. */
#include "groups/group_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_score.h"
#include "push/push_schedule.h"
#include "store/catalog_store.h"

/* A product as planning needs it: what the filters and cooldowns read. */
struct cand {
	char union_[ORDER_UNION_MAX];
	char product[CATALOG_PRODUCT_MAX];
	char title[CATALOG_TITLE_MAX];
	char category[CATALOG_NAME_MAX];
	char shop[CATALOG_NAME_MAX];
	int64_t final_price;
	int32_t score;
	int64_t id;
	bool gone; /* absent from the library or left the union's lists */
};

/* The ranking of one category ("" every category), best first. */
struct ranking {
	char category[CATALOG_NAME_MAX];
	struct cand *c;
	int n;
};

/* Products looked up by (union, product) for hand-picked lists. */
struct prod_cache {
	uint64_t *keys;
	struct cand *c;
	size_t cap, n;
};

/* What one group has sent or will send: (key, time) pairs in an open
 * addressing table; a key may appear several times. */
struct recent {
	uint64_t *keys;
	int64_t *times;
	size_t cap, n;
};

struct planner {
	struct store *st;
	int64_t now;
	struct ranking *rk;
	int nrk, caprk;
	struct prod_cache pc;
	struct recent rec;
	struct tk_error *err;
};

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL; /* a separator: "ab"+"c" differs from "a"+"bc" */
}

static uint64_t key_of(char kind, const char *a, const char *b)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = (h ^ (unsigned char)kind) * 0x100000001b3ULL;
	h = hash_str(h, a);
	if (b)
		h = hash_str(h, b);
	return h ? h : 1; /* 0 marks an empty cell */
}

/* ---- the recent sends of one group ---- */

static enum tk_rc recent_reset(struct recent *r, size_t want, struct tk_error *err)
{
	size_t cap = 1024;
	while (cap < want * 4)
		cap *= 2;
	if (cap > r->cap) {
		free(r->keys);
		free(r->times);
		r->keys = malloc(cap * sizeof(*r->keys));
		r->times = malloc(cap * sizeof(*r->times));
		r->cap = r->keys && r->times ? cap : 0;
		if (!r->cap)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	memset(r->keys, 0, r->cap * sizeof(*r->keys));
	r->n = 0;
	return TK_OK;
}

static enum tk_rc recent_add(struct recent *r, uint64_t key, int64_t t, struct tk_error *err)
{
	if ((r->n + 1) * 2 > r->cap) {
		/* grow: rehash every entry */
		struct recent bigger = {0};
		if (recent_reset(&bigger, r->cap, err))
			return TK_ENOMEM;
		for (size_t i = 0; i < r->cap; i++)
			if (r->keys[i])
				(void)recent_add(&bigger, r->keys[i], r->times[i], err);
		free(r->keys);
		free(r->times);
		*r = bigger;
	}
	size_t i = key & (r->cap - 1);
	while (r->keys[i])
		i = (i + 1) & (r->cap - 1);
	r->keys[i] = key;
	r->times[i] = t;
	r->n++;
	return TK_OK;
}

/* Whether key was (or will be) sent within `window` seconds of t. */
static bool recent_near(const struct recent *r, uint64_t key, int64_t t, int64_t window)
{
	if (window <= 0 || !r->cap)
		return false;
	for (size_t i = key & (r->cap - 1); r->keys[i]; i = (i + 1) & (r->cap - 1))
		if (r->keys[i] == key && r->times[i] > t - window && r->times[i] < t + window)
			return true;
	return false;
}

static enum tk_rc recent_note(struct recent *r, const char *union_, const char *product,
			      const char *shop, const char *category, int64_t t,
			      struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = recent_add(r, key_of('p', union_, product), t, err)))
		return rc;
	if (*shop && (rc = recent_add(r, key_of('s', shop, NULL), t, err)))
		return rc;
	if (*category && (rc = recent_add(r, key_of('c', category, NULL), t, err)))
		return rc;
	return TK_OK;
}

struct recent_load {
	struct recent *r;
	struct tk_error *err;
	enum tk_rc rc;
	/* the list rotation: the product sent or queued last before `at` */
	int64_t at, last_t;
	char last_union[ORDER_UNION_MAX];
	char last_product[CATALOG_PRODUCT_MAX];
};

/* The key saying "the group has a job at this slot". */
static uint64_t slot_key(int64_t slot)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)slot);
	return key_of('t', buf, NULL);
}

static bool recent_row(void *ctx, const struct send_job_rec *j)
{
	struct recent_load *l = ctx;
	int64_t t = strcmp(j->state, "sent") == 0 ? j->sent_at : j->slot;
	if ((l->rc = recent_note(l->r, j->union_, j->product, j->shop, j->category, t, l->err)) ||
	    (l->rc = recent_add(l->r, slot_key(j->slot), j->slot, l->err)))
		return false;
	if (t < l->at && t >= l->last_t) {
		l->last_t = t;
		memcpy(l->last_union, j->union_, sizeof(l->last_union));
		memcpy(l->last_product, j->product, sizeof(l->last_product));
	}
	return true;
}

/* ---- products ---- */

static void cand_from(struct cand *c, const struct catalog_product *p, int64_t now)
{
	memcpy(c->union_, p->union_, sizeof(c->union_));
	memcpy(c->product, p->product, sizeof(c->product));
	memcpy(c->title, p->title, sizeof(c->title));
	memcpy(c->category, p->category, sizeof(c->category));
	memcpy(c->shop, p->shop, sizeof(c->shop));
	c->final_price = catalog_final_price(p, now);
	c->id = p->id;
	c->gone = p->gone_at != 0;
}

/* The ranking of category ("" every one), computed once per planner. */
static enum tk_rc ranking_get(struct planner *p, const char *category, const struct ranking **out)
{
	for (int i = 0; i < p->nrk; i++)
		if (strcmp(p->rk[i].category, category) == 0) {
			*out = &p->rk[i];
			return TK_OK;
		}
	if (p->nrk == p->caprk) {
		int cap = p->caprk ? p->caprk * 2 : 8;
		struct ranking *rk = realloc(p->rk, (size_t)cap * sizeof(*rk));
		if (!rk)
			return tk_fail(p->err, TK_ENOMEM, "", "out of memory");
		p->rk = rk;
		p->caprk = cap;
	}
	struct catalog_scored *top = NULL;
	int n = 0;
	enum tk_rc rc = catalog_top(p->st, *category ? category : NULL, GROUP_PLAN_RANKING, p->now,
				    &catalog_weights_default, &top, &n, p->err);
	if (rc)
		return rc;
	struct ranking *r = &p->rk[p->nrk];
	memset(r, 0, sizeof(*r));
	snprintf(r->category, sizeof(r->category), "%s", category);
	r->c = calloc((size_t)(n ? n : 1), sizeof(*r->c));
	if (!r->c) {
		free(top);
		return tk_fail(p->err, TK_ENOMEM, "", "out of memory");
	}
	for (int i = 0; i < n; i++) {
		cand_from(&r->c[i], &top[i].product, p->now);
		r->c[i].score = top[i].score.total;
	}
	r->n = n;
	free(top);
	p->nrk++;
	*out = r;
	return TK_OK;
}

/* A product of the library by (union, product), cached for the run;
 * *c NULL when absent. */
static enum tk_rc product_find(struct planner *p, const char *union_, const char *product,
			       const struct cand **c)
{
	struct prod_cache *pc = &p->pc;
	uint64_t key = key_of('p', union_, product);
	if (!pc->cap) {
		pc->cap = 256;
		pc->keys = calloc(pc->cap, sizeof(*pc->keys));
		pc->c = malloc(pc->cap * sizeof(*pc->c));
		if (!pc->keys || !pc->c)
			return tk_fail(p->err, TK_ENOMEM, "", "out of memory");
	}
	size_t i = key & (pc->cap - 1);
	for (; pc->keys[i]; i = (i + 1) & (pc->cap - 1))
		if (pc->keys[i] == key && strcmp(pc->c[i].union_, union_) == 0 &&
		    strcmp(pc->c[i].product, product) == 0) {
			*c = pc->c[i].gone && !pc->c[i].id ? NULL : &pc->c[i];
			return TK_OK;
		}
	if ((pc->n + 1) * 2 > pc->cap) {
		/* full enough: start again (the cache is only a shortcut) */
		memset(pc->keys, 0, pc->cap * sizeof(*pc->keys));
		pc->n = 0;
		i = key & (pc->cap - 1);
	}
	struct catalog_product *prod = malloc(sizeof(*prod));
	if (!prod)
		return tk_fail(p->err, TK_ENOMEM, "", "out of memory");
	struct cand *slot = &pc->c[i];
	enum tk_rc rc = p->st->catalog->product_get(p->st, union_, product, prod, p->err);
	if (rc == TK_OK) {
		cand_from(slot, prod, p->now);
	} else if (rc == TK_ENOTFOUND) {
		memset(slot, 0, sizeof(*slot));
		snprintf(slot->union_, sizeof(slot->union_), "%s", union_);
		snprintf(slot->product, sizeof(slot->product), "%s", product);
		slot->gone = true;
		rc = TK_OK;
	}
	free(prod);
	if (rc)
		return rc;
	pc->keys[i] = key;
	pc->n++;
	*c = slot->gone && !slot->id ? NULL : slot;
	return TK_OK;
}

/* ---- picking ---- */

static bool passes_filter(const struct push_settings *s, const struct cand *c)
{
	if (s->price_min && c->final_price < s->price_min)
		return false;
	if (s->price_max && c->final_price > s->price_max)
		return false;
	if (!s->nkeywords)
		return true;
	for (int i = 0; i < s->nkeywords; i++)
		if (strstr(c->title, s->keywords[i]))
			return true;
	return false;
}

static bool passes_cooldowns(const struct recent *r, const struct push_settings *s,
			     const struct cand *c, int64_t t)
{
	if (c->gone)
		return false;
	if (recent_near(r, key_of('p', c->union_, c->product), t, (int64_t)s->dedup_days * 86400))
		return false;
	if (*c->shop &&
	    recent_near(r, key_of('s', c->shop, NULL), t, (int64_t)s->shop_cooldown_hours * 3600))
		return false;
	if (*c->category && recent_near(r, key_of('c', c->category, NULL), t,
					(int64_t)s->category_cooldown_hours * 3600))
		return false;
	return true;
}

/* One group's state while planning: its rankings (one per category of
 * its filter, or the whole one) and the list rotation. */
struct group_pick {
	const struct ranking *rk[PUSH_FILTER_MAX];
	int nrk;
	int list_next; /* index of the list to try first */
};

static enum tk_rc pick_init(struct planner *p, const struct push_settings *s,
			    struct group_pick *gp, const char *last_union, const char *last_product)
{
	enum tk_rc rc;
	memset(gp, 0, sizeof(*gp));
	if (s->rule == PUSH_RULE_LIST) {
		for (int i = 0; i < s->nproducts; i++)
			if (strcmp(s->products[i].union_, last_union) == 0 &&
			    strcmp(s->products[i].product, last_product) == 0)
				gp->list_next = (i + 1) % s->nproducts;
		return TK_OK;
	}
	if (!s->ncategories)
		return ranking_get(p, "", &gp->rk[gp->nrk++]);
	for (int i = 0; i < s->ncategories; i++)
		if ((rc = ranking_get(p, s->categories[i], &gp->rk[gp->nrk++])))
			return rc;
	return TK_OK;
}

/* The candidate for a slot at t, NULL when none fits. */
static enum tk_rc pick_one(struct planner *p, const struct push_settings *s,
			   struct group_pick *gp, int64_t t, const struct cand **out)
{
	*out = NULL;
	if (s->rule == PUSH_RULE_LIST) {
		for (int k = 0; k < s->nproducts; k++) {
			int i = (gp->list_next + k) % s->nproducts;
			const struct cand *c = NULL;
			enum tk_rc rc = product_find(p, s->products[i].union_,
						     s->products[i].product, &c);
			if (rc)
				return rc;
			if (c && passes_cooldowns(&p->rec, s, c, t)) {
				gp->list_next = (i + 1) % s->nproducts;
				*out = c;
				return TK_OK;
			}
		}
		return TK_OK;
	}
	/* the rankings of the group's categories merged, best first */
	int pos[PUSH_FILTER_MAX] = {0};
	for (;;) {
		int best = -1;
		for (int i = 0; i < gp->nrk; i++) {
			if (pos[i] >= gp->rk[i]->n)
				continue;
			const struct cand *c = &gp->rk[i]->c[pos[i]];
			const struct cand *b = best >= 0 ? &gp->rk[best]->c[pos[best]] : NULL;
			if (!b || c->score > b->score || (c->score == b->score && c->id < b->id))
				best = i;
		}
		if (best < 0)
			return TK_OK;
		const struct cand *c = &gp->rk[best]->c[pos[best]++];
		if (passes_filter(s, c) && passes_cooldowns(&p->rec, s, c, t)) {
			*out = c;
			return TK_OK;
		}
	}
}

static int64_t recent_window(const struct push_settings *s)
{
	int64_t w = (int64_t)s->dedup_days * 86400;
	if ((int64_t)s->shop_cooldown_hours * 3600 > w)
		w = (int64_t)s->shop_cooldown_hours * 3600;
	if ((int64_t)s->category_cooldown_hours * 3600 > w)
		w = (int64_t)s->category_cooldown_hours * 3600;
	return w;
}

/* Loads group g's sends around [t0, ...) into p->rec and sets up gp. */
static enum tk_rc group_load(struct planner *p, const struct group_rec *g,
			     const struct push_settings *s, int64_t t0, struct group_pick *gp)
{
	enum tk_rc rc;
	if ((rc = recent_reset(&p->rec, 256, p->err)))
		return rc;
	struct recent_load l = {.r = &p->rec, .err = p->err, .at = t0, .last_t = INT64_MIN};
	int64_t since = t0 - recent_window(s);
	if (s->rule == PUSH_RULE_LIST && since > t0 - 30 * 86400)
		since = t0 - 30 * 86400; /* far enough back to find where the rotation is */
	if ((rc = p->st->groups->job_recent(p->st, g->id, since, recent_row, &l, p->err)))
		return rc;
	if (l.rc)
		return l.rc;
	return pick_init(p, s, gp, l.last_t == INT64_MIN ? "" : l.last_union,
			 l.last_t == INT64_MIN ? "" : l.last_product);
}

static void job_from(struct send_job_rec *j, const struct group_rec *g, const struct cand *c)
{
	memset(j, 0, sizeof(*j));
	j->grp = g->id;
	snprintf(j->union_, sizeof(j->union_), "%s", c->union_);
	snprintf(j->product, sizeof(j->product), "%s", c->product);
	snprintf(j->shop, sizeof(j->shop), "%s", c->shop);
	snprintf(j->category, sizeof(j->category), "%s", c->category);
}

/* Plans the slots of one group into jobs (inside the caller's transaction). */
static enum tk_rc plan_group(struct planner *p, const struct group_rec *g,
			     const struct push_settings *s, const struct push_slot *slots, int n,
			     struct send_job_rec *j, struct group_plan_stats *st)
{
	struct group_pick gp;
	enum tk_rc rc;
	if (!n)
		return TK_OK;
	if ((rc = group_load(p, g, s, slots[0].slot, &gp)))
		return rc;
	for (int i = 0; i < n; i++) {
		const struct cand *c;
		if (recent_near(&p->rec, slot_key(slots[i].slot), slots[i].slot, 1)) {
			st->existing++; /* planned before: its job stands */
			continue;
		}
		if ((rc = pick_one(p, s, &gp, slots[i].slot, &c)))
			return rc;
		if (!c) {
			st->no_product++;
			continue;
		}
		job_from(j, g, c);
		j->slot = slots[i].slot;
		j->due_at = slots[i].due_at;
		j->next_at = slots[i].due_at;
		j->created_at = p->now;
		snprintf(j->origin, sizeof(j->origin), "schedule");
		snprintf(j->state, sizeof(j->state), "pending");
		bool created;
		if ((rc = p->st->groups->job_insert(p->st, j, &created, p->err)))
			return rc;
		if (!created) {
			st->existing++;
			continue;
		}
		st->created++;
		if ((rc = recent_note(&p->rec, c->union_, c->product, c->shop, c->category,
				      slots[i].slot, p->err)))
			return rc;
	}
	return TK_OK;
}

static void planner_free(struct planner *p)
{
	for (int i = 0; i < p->nrk; i++)
		free(p->rk[i].c);
	free(p->rk);
	free(p->pc.keys);
	free(p->pc.c);
	free(p->rec.keys);
	free(p->rec.times);
}

struct ids {
	int64_t *v;
	size_t n, cap;
	bool oom;
};

static bool collect_id(void *ctx, const struct group_rec *g)
{
	struct ids *ids = ctx;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 256;
		int64_t *v = realloc(ids->v, cap * sizeof(*v));
		if (!v) {
			ids->oom = true;
			return false;
		}
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = g->id;
	return true;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

enum tk_rc group_plan(struct store *st, int64_t from, int64_t to, int64_t now,
		      struct group_plan_stats *out, struct tk_error *err)
{
	memset(out, 0, sizeof(*out));
	if (to <= from || to - from > GROUP_PLAN_WINDOW_MAX)
		return tk_fail(err, TK_EINVAL, "window", "must be from < to, at most %d days",
			       GROUP_PLAN_WINDOW_MAX / 86400);
	struct planner p = {.st = st, .now = now, .err = err};
	struct ids ids = {0};
	struct group_filter f = {.state = "active"};
	int max_slots = PUSH_SLOTS_DAY_MAX * (GROUP_PLAN_WINDOW_MAX / 86400 + 1);
	struct push_slot *slots = malloc((size_t)max_slots * sizeof(*slots));
	struct push_settings *s = malloc(sizeof(*s));
	struct group_rec *g = malloc(sizeof(*g));
	struct send_job_rec *j = malloc(sizeof(*j));
	enum tk_rc rc = TK_OK;
	if (!slots || !s || !g || !j) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((rc = st->ops->tx_begin_read(st, err)))
		goto out;
	rc = st->groups->group_list(st, &f, collect_id, &ids, err);
	st->ops->tx_rollback(st);
	if (!rc && ids.oom)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (rc)
		goto out;
	qsort(ids.v, ids.n, sizeof(*ids.v), cmp_id);
	for (size_t at = 0; at < ids.n && !rc; at += GROUP_PLAN_CHUNK) {
		if ((rc = st->ops->tx_begin(st, err)))
			break;
		for (size_t k = at; k < ids.n && k < at + GROUP_PLAN_CHUNK && !rc; k++) {
			if ((rc = st->groups->group_get(st, ids.v[k], g, err)))
				break;
			if (strcmp(g->state, "active") != 0)
				continue; /* paused or archived meanwhile */
			struct tk_error perr = {0};
			if (push_settings_parse(g->settings, strlen(g->settings), s, &perr)) {
				out->bad_settings++;
				continue;
			}
			int n = 0;
			if (push_schedule_window(s, g->id, from, to, slots, max_slots, &n, &perr)) {
				out->bad_settings++;
				continue;
			}
			out->groups++;
			out->slots += n;
			rc = plan_group(&p, g, s, slots, n, j, out);
		}
		if (!rc)
			rc = st->ops->tx_commit(st, err);
		else
			st->ops->tx_rollback(st);
	}
out:
	planner_free(&p);
	free(ids.v);
	free(slots);
	free(s);
	free(g);
	free(j);
	return rc;
}

enum tk_rc group_plan_pick(struct store *st, const struct group_rec *g,
			   const struct push_settings *s, int64_t t, int64_t now,
			   struct send_job_rec *out, bool *found, struct tk_error *err)
{
	struct planner p = {.st = st, .now = now, .err = err};
	struct group_pick gp;
	const struct cand *c = NULL;
	enum tk_rc rc = group_load(&p, g, s, t, &gp);
	if (!rc)
		rc = pick_one(&p, s, &gp, t, &c);
	*found = !rc && c;
	if (*found)
		job_from(out, g, c);
	planner_free(&p);
	return rc;
}

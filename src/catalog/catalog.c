/* catalog.c — the product library's operations: the imperative shell that
 * reads files, runs store transactions and feeds the pure parts (product
 * records, text, score, copy) with what the store holds. */
#include "catalog/catalog.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "input/line_reader.h"

/* ---- import ---- */

/* catalog_put, and for a feed also the listing: a product the feed
 * carries is listed (feed set, gone_at 0); an import keeps the listing
 * as it is.  *returned: a product the feed had marked gone is back. */
static enum tk_rc put(struct store *st, const struct catalog_product *in, bool from_feed,
		      int64_t now, enum catalog_put_outcome *outcome, bool *price_changed,
		      bool *returned, struct tk_error *err)
{
	const struct catalog_store_ops *ops = st->catalog;
	struct catalog_product *old = malloc(2 * sizeof(*old));
	enum tk_rc rc;
	bool exists;
	if (!old)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	struct catalog_product *p = old + 1;
	*p = *in;
	*price_changed = false;
	*returned = false;
	p->feed = from_feed;
	p->gone_at = 0;

	rc = ops->product_get(st, in->union_, in->product, old, err);
	if (rc && rc != TK_ENOTFOUND)
		goto out;
	exists = rc == TK_OK;
	tk_error_clear(err);
	if (!exists) {
		p->first_seen_at = p->updated_at = now;
		if ((rc = ops->product_insert(st, p, err)))
			goto out;
		*outcome = CATALOG_INSERTED;
	} else {
		p->id = old->id;
		p->first_seen_at = old->first_seen_at;
		if (!from_feed) {
			p->feed = old->feed;
			p->gone_at = old->gone_at;
		}
		*returned = from_feed && old->gone_at != 0;
		if (catalog_product_same(old, p) && p->feed == old->feed &&
		    p->gone_at == old->gone_at) {
			*outcome = CATALOG_UNCHANGED;
		} else {
			p->updated_at = now;
			if ((rc = ops->product_update(st, p, err)))
				goto out;
			*outcome = CATALOG_UPDATED;
		}
	}

	/* A point whenever what a buyer pays changes. */
	struct catalog_price_point last, pt = {
		.at = now,
		.final_price = catalog_final_price(p, now),
		.price = p->price,
		.coupon = catalog_coupon_valid(p, now) ? p->coupon : 0,
	};
	rc = exists ? ops->history_last(st, p->id, &last, err) : TK_ENOTFOUND;
	if (rc == TK_ENOTFOUND) {
		tk_error_clear(err);
		rc = ops->history_append(st, p->id, &pt, err);
		*price_changed = exists;
	} else if (rc == TK_OK && last.final_price != pt.final_price && now >= last.at) {
		/* (a clock behind the last point would rewrite the past: skip) */
		rc = ops->history_append(st, p->id, &pt, err);
		*price_changed = true;
	}
out:
	free(old);
	return rc;
}

enum tk_rc catalog_put(struct store *st, const struct catalog_product *in, int64_t now,
		       enum catalog_put_outcome *outcome, bool *price_changed,
		       struct tk_error *err)
{
	bool returned;
	return put(st, in, false, now, outcome, price_changed, &returned, err);
}

/* ---- product feeds ---- */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

struct gone_scan {
	const int64_t *seen; /* sorted */
	size_t n_seen;
	int64_t *gone;
	size_t n, cap;
	bool nomem;
};

static bool collect_gone(void *ctx, int64_t id)
{
	struct gone_scan *g = ctx;
	if (g->n_seen && bsearch(&id, g->seen, g->n_seen, sizeof(id), cmp_id))
		return true;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		int64_t *v = realloc(g->gone, cap * sizeof(*v));
		if (!v) {
			g->nomem = true;
			return false;
		}
		g->gone = v;
		g->cap = cap;
	}
	g->gone[g->n++] = id;
	return true;
}

void catalog_feed_init(struct catalog_feed *f, const char *union_, int64_t now)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->union_, sizeof(f->union_), "%s", union_);
	f->now = now;
}

void catalog_feed_free(struct catalog_feed *f)
{
	free(f->seen);
	f->seen = NULL;
	f->n_seen = f->cap = 0;
}

enum tk_rc catalog_feed_page(struct store *st, struct catalog_feed *f,
			     const struct catalog_product *v, size_t n, struct tk_error *err)
{
	const struct catalog_store_ops *ops = st->catalog;
	struct catalog_feed_stats add = {0};
	size_t had = f->n_seen;
	enum tk_rc rc;
	if (f->n_seen + n > CATALOG_FEED_MAX)
		return tk_fail(err, TK_ELIMIT, "products", "a pull holds at most %d products",
			       CATALOG_FEED_MAX);
	if (f->n_seen + n > f->cap) {
		size_t cap = f->cap ? f->cap : 256;
		while (cap < f->n_seen + n)
			cap *= 2;
		int64_t *seen = realloc(f->seen, cap * sizeof(*seen));
		if (!seen)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		f->seen = seen;
		f->cap = cap;
	}
	struct catalog_product *stored = malloc(sizeof(*stored));
	if (!stored)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->ops->tx_begin(st, err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		enum catalog_put_outcome outcome;
		bool changed, returned;
		assert(strcmp(v[i].union_, f->union_) == 0);
		if ((rc = put(st, &v[i], true, f->now, &outcome, &changed, &returned, err)) ||
		    (rc = ops->product_get(st, v[i].union_, v[i].product, stored, err))) {
			char where[160];
			snprintf(where, sizeof(where), "%s product %s", f->union_, v[i].product);
			tk_error_where(err, where, 0);
			st->ops->tx_rollback(st);
			f->n_seen = had;
			goto out;
		}
		f->seen[f->n_seen++] = stored->id;
		add.inserted += outcome == CATALOG_INSERTED;
		add.updated += outcome == CATALOG_UPDATED;
		add.unchanged += outcome == CATALOG_UNCHANGED;
		add.price_changes += changed;
		add.returned += returned;
	}
	if ((rc = st->ops->tx_commit(st, err))) {
		f->n_seen = had;
		goto out;
	}
	f->stats.inserted += add.inserted;
	f->stats.updated += add.updated;
	f->stats.unchanged += add.unchanged;
	f->stats.price_changes += add.price_changes;
	f->stats.returned += add.returned;
out:
	free(stored);
	return rc;
}

enum tk_rc catalog_feed_finish(struct store *st, struct catalog_feed *f, bool complete,
			       struct tk_error *err)
{
	const struct catalog_store_ops *ops = st->catalog;
	struct gone_scan g = {0};
	enum tk_rc rc;
	/* Only a whole pull says what the union no longer lists: one cut short
	 * by a limit or a failure proves nothing about the rest. */
	if (!complete)
		return TK_OK;
	qsort(f->seen, f->n_seen, sizeof(*f->seen), cmp_id);
	g.seen = f->seen;
	g.n_seen = f->n_seen;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = ops->feed_listed(st, f->union_, collect_gone, &g, err)))
		goto rollback;
	if (g.nomem) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto rollback;
	}
	for (size_t i = 0; i < g.n; i++)
		if ((rc = ops->feed_gone(st, g.gone[i], f->now, err)))
			goto rollback;
	if ((rc = st->ops->tx_commit(st, err)))
		goto out;
	f->stats.gone = (int64_t)g.n;
	goto out;
rollback:
	st->ops->tx_rollback(st);
out:
	free(g.gone);
	return rc;
}

enum tk_rc catalog_import(struct store *st, FILE *in, const char *name, int64_t now,
			  bool atomic, struct catalog_import_stats *stats,
			  catalog_reject_cb reject, void *ctx, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct line_reader lr;
	enum line_got got;
	struct catalog_product *p = malloc(sizeof(*p));
	struct catalog_import_stats pending = {0}; /* of the open transaction */
	bool open = false;

	memset(stats, 0, sizeof(*stats));
	line_reader_init(&lr, in, name, CATALOG_LINE_MAX);
	if (!p) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	for (;;) {
		struct tk_error lerr = {0};
		if ((got = line_reader_next(&lr, &lerr)) == LINE_END)
			break;
		if (got == LINE_FAILED) {
			*err = lerr;
			rc = lerr.rc;
			goto out;
		}
		if (lr.lineno > CATALOG_IMPORT_LINES_MAX) {
			rc = tk_fail(err, TK_ELIMIT, "", "more than %d lines in one file; split it",
				     CATALOG_IMPORT_LINES_MAX);
			tk_error_where(err, name, lr.lineno);
			goto out;
		}
		if (got == LINE_GOT && lr.len == 0)
			continue; /* blank line */
		pending.read++;
		enum tk_rc lrc = got == LINE_BAD ? lerr.rc
						 : catalog_product_parse(lr.s, lr.len, p, &lerr);
		if (lrc) {
			tk_error_where(&lerr, name, lr.lineno);
			pending.rejected++;
			if (reject)
				reject(ctx, &lerr);
			continue;
		}
		if (!open) {
			if ((rc = st->ops->tx_begin(st, err)))
				goto out;
			open = true;
		}
		enum catalog_put_outcome outcome;
		bool changed;
		if ((rc = catalog_put(st, p, now, &outcome, &changed, err))) {
			/* storage failed: the open transaction is lost */
			tk_error_where(err, name, lr.lineno);
			goto out;
		}
		pending.inserted += outcome == CATALOG_INSERTED;
		pending.updated += outcome == CATALOG_UPDATED;
		pending.unchanged += outcome == CATALOG_UNCHANGED;
		pending.price_changes += changed;
		if (!atomic && pending.read >= CATALOG_IMPORT_CHUNK) {
			if ((rc = st->ops->tx_commit(st, err)))
				goto out;
			open = false;
			stats->read += pending.read;
			stats->inserted += pending.inserted;
			stats->updated += pending.updated;
			stats->unchanged += pending.unchanged;
			stats->rejected += pending.rejected;
			stats->price_changes += pending.price_changes;
			memset(&pending, 0, sizeof(pending));
		}
	}
	if (atomic && pending.rejected > 0) {
		if (open)
			st->ops->tx_rollback(st);
		open = false;
		stats->read = pending.read;
		stats->rejected = pending.rejected;
		stats->rolled_back = true;
		goto out;
	}
	if (open) {
		if ((rc = st->ops->tx_commit(st, err)))
			goto out;
		open = false;
	}
	stats->read += pending.read;
	stats->inserted += pending.inserted;
	stats->updated += pending.updated;
	stats->unchanged += pending.unchanged;
	stats->rejected += pending.rejected;
	stats->price_changes += pending.price_changes;
out:
	if (open)
		st->ops->tx_rollback(st);
	line_reader_free(&lr);
	free(p);
	return rc;
}

/* ---- search ---- */

static const char *const sort_names[CATALOG_SORT_COUNT_] = {
	"popular", "relevance", "sales", "commission", "price",
};

bool catalog_sort_parse(const char *s, enum catalog_sort *out)
{
	for (int i = 0; i < CATALOG_SORT_COUNT_; i++)
		if (strcmp(s, sort_names[i]) == 0) {
			*out = (enum catalog_sort)i;
			return true;
		}
	return false;
}

const char *catalog_sort_name(enum catalog_sort s)
{
	return s >= 0 && s < CATALOG_SORT_COUNT_ ? sort_names[s] : "?";
}

static bool collect_page(void *ctx, const struct catalog_product *p)
{
	struct catalog_search_result *res = ctx;
	if (res->n >= res->per_page)
		return false;
	res->items[res->n++] = *p;
	return true;
}

enum tk_rc catalog_search(struct store *st, const struct catalog_search_request *req,
			  struct catalog_search_result *res, struct tk_error *err)
{
	enum tk_rc rc;
	memset(res, 0, sizeof(*res));
	if ((rc = catalog_terms_parse(req->query ? req->query : "", &res->terms, err)))
		return rc;
	if (req->per_page < 1 || req->per_page > CATALOG_PER_PAGE_MAX)
		return tk_fail(err, TK_ELIMIT, "per-page", "must be 1..%d, got %lld",
			       CATALOG_PER_PAGE_MAX, (long long)req->per_page);
	if (req->page < 1 || req->page > CATALOG_DEPTH_MAX)
		return tk_fail(err, TK_ELIMIT, "page", "must be 1..%d, got %lld", CATALOG_DEPTH_MAX,
			       (long long)req->page);
	if (req->page * req->per_page > CATALOG_DEPTH_MAX)
		return tk_fail(err, TK_ELIMIT, "page",
			       "page %lld of %lld goes past the first %d results; narrow the search",
			       (long long)req->page, (long long)req->per_page, CATALOG_DEPTH_MAX);
	if (req->min_price > CATALOG_PRICE_MAX || req->max_price > CATALOG_PRICE_MAX ||
	    req->min_commission > CATALOG_PRICE_MAX)
		return tk_fail(err, TK_EINVAL, "price", "must be at most %lld fen",
			       (long long)CATALOG_PRICE_MAX);
	if (req->min_price >= 0 && req->max_price >= 0 && req->min_price > req->max_price)
		return tk_fail(err, TK_EINVAL, "min-price", "%lld is above max-price %lld",
			       (long long)req->min_price, (long long)req->max_price);
	if (req->union_ && req->union_[0] && !order_union_valid(req->union_))
		return tk_fail(err, TK_EINVAL, "union", "must be jd, taobao, pdd or own, got \"%.16s\"",
			       req->union_);
	if (req->category && strlen(req->category) >= CATALOG_NAME_MAX)
		return tk_fail(err, TK_ELIMIT, "category", "is longer than %d bytes",
			       CATALOG_NAME_MAX - 1);
	res->page = req->page;
	res->per_page = req->per_page;
	res->items = malloc((size_t)req->per_page * sizeof(*res->items));
	if (!res->items)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	struct catalog_search_query q = {
		.terms = &res->terms,
		.union_ = req->union_,
		.category = req->category,
		.min_price = req->min_price,
		.max_price = req->max_price,
		.min_commission = req->min_commission,
		.coupon_valid = req->coupon_valid,
		.now = req->now,
		.sort = req->sort,
		.offset = (req->page - 1) * req->per_page,
		.limit = (int)req->per_page,
		.count_cap = CATALOG_COUNT_CAP,
	};
	rc = st->catalog->search(st, &q, collect_page, res, &res->total, &res->total_exact, err);
	if (rc)
		catalog_search_result_free(res);
	return rc;
}

void catalog_search_result_free(struct catalog_search_result *res)
{
	free(res->items);
	res->items = NULL;
	res->n = 0;
}

/* ---- worth pushing ---- */

/* The team's figures per category, looked up once per category. */
#define CAT_CACHE_MAX 256
struct cat_cache {
	int n;
	struct {
		char name[CATALOG_NAME_MAX];
		struct catalog_team_stats stats;
	} e[CAT_CACHE_MAX];
};

static enum tk_rc category_team(struct store *st, struct cat_cache *c, const char *category,
				struct catalog_team_stats *out, struct tk_error *err)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, category) == 0) {
			*out = c->e[i].stats;
			return TK_OK;
		}
	enum tk_rc rc = st->catalog->team_category(st, category, out, err);
	if (rc || c->n == CAT_CACHE_MAX)
		return rc; /* a library of very many categories asks each time */
	snprintf(c->e[c->n].name, sizeof(c->e[c->n].name), "%s", category);
	c->e[c->n++].stats = *out;
	return TK_OK;
}

static void score_one(const struct catalog_product *p, const struct catalog_price_point *pts,
		      int n, const struct catalog_team_stats *tp, const struct catalog_team_stats *tc,
		      int64_t now, const struct catalog_weights *w, struct catalog_scored *out)
{
	out->product = *p;
	out->team_product = *tp;
	out->team_category = *tc;
	catalog_history_summarize(pts, n, catalog_final_price(p, now), now, w->window_days,
				  &out->history);
	struct catalog_score_input in = {
		.p = &out->product,
		.now = now,
		.history = &out->history,
		.product = *tp,
		.category = *tc,
	};
	catalog_score(&in, w, &out->score);
}

struct top_ctx {
	struct store *st;
	const struct catalog_weights *w;
	int64_t now;
	int limit, n;
	struct catalog_scored *heap; /* the worst kept at [0] */
	struct catalog_scored *tmp;
	struct cat_cache *cats;
	enum tk_rc rc;
	struct tk_error *err;
};

/* Whether a ranks after b (is worse). */
static bool worse(const struct catalog_scored *a, const struct catalog_scored *b)
{
	return catalog_score_cmp(&a->score, a->product.id, &b->score, b->product.id) > 0;
}

static void swap_scored(struct catalog_scored *a, struct catalog_scored *b,
			struct catalog_scored *tmp)
{
	*tmp = *a;
	*a = *b;
	*b = *tmp;
}

static void heap_down(struct top_ctx *t, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->n && worse(&t->heap[l], &t->heap[m]))
			m = l;
		if (r < t->n && worse(&t->heap[r], &t->heap[m]))
			m = r;
		if (m == i)
			return;
		swap_scored(&t->heap[i], &t->heap[m], t->tmp);
		i = m;
	}
}

static void heap_up(struct top_ctx *t, int i)
{
	while (i > 0) {
		int parent = (i - 1) / 2;
		if (!worse(&t->heap[i], &t->heap[parent]))
			return;
		swap_scored(&t->heap[i], &t->heap[parent], t->tmp);
		i = parent;
	}
}

static bool top_visit(void *ctx, const struct catalog_product *p,
		      const struct catalog_price_point *pts, int n,
		      const struct catalog_team_stats *team)
{
	struct top_ctx *t = ctx;
	struct catalog_team_stats tc;
	if ((t->rc = category_team(t->st, t->cats, p->category, &tc, t->err)))
		return false;
	score_one(p, pts, n, team, &tc, t->now, t->w, t->tmp + 1);
	struct catalog_scored *cand = t->tmp + 1;
	if (t->n < t->limit) {
		t->heap[t->n++] = *cand;
		heap_up(t, t->n - 1);
	} else if (worse(&t->heap[0], cand)) {
		t->heap[0] = *cand;
		heap_down(t, 0);
	}
	return true;
}

static int cmp_scored(const void *a, const void *b)
{
	const struct catalog_scored *x = a, *y = b;
	return catalog_score_cmp(&x->score, x->product.id, &y->score, y->product.id);
}

enum tk_rc catalog_top(struct store *st, const char *category, int limit, int64_t now,
		       const struct catalog_weights *w, struct catalog_scored **out, int *n,
		       struct tk_error *err)
{
	enum tk_rc rc;
	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > CATALOG_TOP_MAX)
		return tk_fail(err, TK_ELIMIT, "limit", "must be 1..%d, got %d", CATALOG_TOP_MAX,
			       limit);
	if ((rc = catalog_weights_validate(w, err)))
		return rc;
	struct top_ctx t = {
		.st = st, .w = w, .now = now, .limit = limit, .err = err,
		.heap = malloc((size_t)limit * sizeof(struct catalog_scored)),
		.tmp = malloc(2 * sizeof(struct catalog_scored)),
		.cats = calloc(1, sizeof(struct cat_cache)),
	};
	if (!t.heap || !t.tmp || !t.cats) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	rc = st->catalog->scan(st, category, top_visit, &t, err);
	if (!rc)
		rc = t.rc;
	if (rc)
		goto out;
	qsort(t.heap, (size_t)t.n, sizeof(*t.heap), cmp_scored);
	*out = t.heap;
	*n = t.n;
	t.heap = NULL;
out:
	free(t.heap);
	free(t.tmp);
	free(t.cats);
	return rc;
}

/* ---- one product ---- */

struct sim_ctx {
	int64_t now;
	int64_t price_lo, price_hi;   /* the price band of a substitute */
	char key[CATALOG_TITLE_MAX];  /* compact title without its brand */
	int n, cap;
	struct catalog_substitute *subs;
	bool oom;
};

/* The compact title of p without its brand and marketing words: what the
 * product is. */
static void title_key(const struct catalog_product *p, char *out, size_t size)
{
	char brand[CATALOG_NAME_MAX];
	if (!catalog_text_compact(p->title, strlen(p->title), out, size))
		out[0] = '\0';
	if (catalog_text_compact(p->brand, strlen(p->brand), brand, sizeof(brand)))
		catalog_text_remove(out, brand);
	catalog_text_strip_noise(out);
}

static bool sim_visit(void *ctx, const struct catalog_product *p)
{
	struct sim_ctx *s = ctx;
	char key[CATALOG_TITLE_MAX];
	int64_t final = catalog_final_price(p, s->now);
	if (final < s->price_lo || final > s->price_hi)
		return true;
	title_key(p, key, sizeof(key));
	int sim = catalog_text_similarity(s->key, key);
	if (sim < CATALOG_SIMILAR_MIN)
		return true;
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 32;
		struct catalog_substitute *m = realloc(s->subs, (size_t)cap * sizeof(*m));
		if (!m) {
			s->oom = true;
			return false;
		}
		s->subs = m;
		s->cap = cap;
	}
	struct catalog_substitute *sub = &s->subs[s->n++];
	sub->product = *p;
	sub->final_price = final;
	sub->earn = catalog_commission_per_unit(p, s->now);
	sub->similarity = sim;
	return true;
}

static int cmp_subs(const void *a, const void *b)
{
	const struct catalog_substitute *x = a, *y = b;
	if (x->earn != y->earn)
		return x->earn > y->earn ? -1 : 1;
	if (x->final_price != y->final_price)
		return x->final_price < y->final_price ? -1 : 1;
	if (x->similarity != y->similarity)
		return x->similarity > y->similarity ? -1 : 1;
	return x->product.id < y->product.id ? -1 : x->product.id > y->product.id;
}

enum tk_rc catalog_show(struct store *st, const char *union_, const char *product, int n_subs,
			int64_t now, const struct catalog_weights *w, struct catalog_detail *out,
			struct tk_error *err)
{
	const struct catalog_store_ops *ops = st->catalog;
	enum tk_rc rc;
	struct sim_ctx *sim = NULL;
	struct catalog_product *p = malloc(sizeof(*p));

	memset(out, 0, sizeof(*out));
	if (!p)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (n_subs < 0 || n_subs > CATALOG_SUBSTITUTES_MAX) {
		rc = tk_fail(err, TK_ELIMIT, "substitutes", "must be 0..%d, got %d",
			     CATALOG_SUBSTITUTES_MAX, n_subs);
		goto out;
	}
	if ((rc = catalog_weights_validate(w, err)))
		goto out;
	if ((rc = ops->product_get(st, union_, product, p, err)))
		goto out;
	out->points = malloc(CATALOG_HISTORY_MAX * sizeof(*out->points));
	if (!out->points) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((rc = ops->history_get(st, p->id, out->points, CATALOG_HISTORY_MAX, &out->n_points,
				   err)))
		goto out;
	struct catalog_team_stats tp, tc = {0};
	if ((rc = ops->team_product(st, p->union_, p->product, &tp, err)))
		goto out;
	if ((rc = ops->team_category(st, p->category, &tc, err)))
		goto out;
	score_one(p, out->points, out->n_points, &tp, &tc, now, w, &out->scored);

	if (n_subs == 0 || !p->category[0])
		goto out;
	if (!(sim = calloc(1, sizeof(*sim)))) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	sim->now = now;
	sim->price_lo = out->scored.score.final_price / CATALOG_SIMILAR_PRICE_BAND;
	sim->price_hi = out->scored.score.final_price * CATALOG_SIMILAR_PRICE_BAND;
	title_key(p, sim->key, sizeof(sim->key));
	struct catalog_grams grams;
	catalog_text_trigrams(sim->key, &grams);
	if ((rc = ops->similar_candidates(st, p->category, &grams, p->id,
					  CATALOG_SIMILAR_CANDIDATES, sim_visit, sim, err)))
		goto out;
	if (sim->oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if (sim->n > 0)
		qsort(sim->subs, (size_t)sim->n, sizeof(*sim->subs), cmp_subs);
	out->subs = sim->subs;
	out->n_subs = sim->n < n_subs ? sim->n : n_subs;
	sim->subs = NULL;
out:
	if (sim)
		free(sim->subs);
	free(sim);
	free(p);
	if (rc)
		catalog_detail_free(out);
	return rc;
}

void catalog_detail_free(struct catalog_detail *d)
{
	free(d->points);
	free(d->subs);
	d->points = NULL;
	d->subs = NULL;
	d->n_points = d->n_subs = 0;
}

/* ---- category fit ---- */

enum tk_rc catalog_category_fit(struct store *st, struct catalog_fit *out, struct tk_error *err)
{
	memset(out, 0, sizeof(*out));
	out->cats = malloc(CATALOG_CATEGORIES_MAX * sizeof(*out->cats));
	if (!out->cats)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = st->catalog->category_stats(st, out->cats, CATALOG_CATEGORIES_MAX, &out->n,
						     &out->uncatalogued, err);
	if (rc) {
		catalog_fit_free(out);
		return rc;
	}
	for (int i = 0; i < out->n; i++) {
		out->products += out->cats[i].products;
		out->orders += out->cats[i].orders;
	}
	return TK_OK;
}

void catalog_fit_free(struct catalog_fit *f)
{
	free(f->cats);
	f->cats = NULL;
	f->n = 0;
}

int64_t catalog_fit_index(const struct catalog_category_stats *c, int64_t products,
			  int64_t orders)
{
	if (c->products <= 0 || products <= 0 || orders <= 0)
		return -1;
	/* (orders_c / orders) / (products_c / products) * 100 */
	return c->orders * products * 100 / (orders * c->products);
}

const char *catalog_fit_verdict(const struct catalog_category_stats *c, int64_t products,
				int64_t orders)
{
	if (c->orders < CATALOG_FIT_MIN_ORDERS)
		return "not_enough_orders";
	int64_t idx = catalog_fit_index(c, products, orders);
	if (idx >= 150)
		return "sells";
	if (idx >= 0 && idx <= 50)
		return "does_not_sell";
	return "average";
}

/* ---- copy text ---- */

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CATALOG_TEMPLATE_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

enum tk_rc catalog_template_find(struct store *st, const char *name, enum catalog_channel ch,
				 char *body, bool *builtin, struct tk_error *err)
{
	if (!name_ok(name))
		return tk_fail(err, TK_EINVAL, "template",
			       "name must be 1..%d letters, digits, '-' or '_', got \"%.40s\"",
			       CATALOG_TEMPLATE_NAME_MAX - 1, name);
	enum tk_rc rc = st->catalog->template_get(st, name, ch, body, err);
	*builtin = false;
	if (rc != TK_ENOTFOUND)
		return rc;
	const char *b = catalog_template_builtin(name, ch);
	if (!b)
		return tk_fail(err, TK_ENOTFOUND, "template",
			       "no template \"%s\" for %s (built-in: default, short, promoter)",
			       name, catalog_channel_name(ch));
	tk_error_clear(err);
	snprintf(body, CATALOG_TEMPLATE_MAX + 1, "%s", b);
	*builtin = true;
	return TK_OK;
}

enum tk_rc catalog_template_set(struct store *st, const char *name, enum catalog_channel ch,
				const char *body, int64_t now, struct tk_error *err)
{
	enum tk_rc rc;
	if (!name_ok(name))
		return tk_fail(err, TK_EINVAL, "template",
			       "name must be 1..%d letters, digits, '-' or '_', got \"%.40s\"",
			       CATALOG_TEMPLATE_NAME_MAX - 1, name);
	if ((rc = catalog_template_check(body, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->catalog->template_put(st, name, ch, body, now, err))) {
		st->ops->tx_rollback(st);
		return rc;
	}
	return st->ops->tx_commit(st, err);
}

enum tk_rc catalog_link(const char *url, const char *invite_code, char *out,
			struct tk_error *err)
{
	size_t ulen = strlen(url);
	if (ulen >= CATALOG_URL_MAX)
		return tk_fail(err, TK_ELIMIT, "url", "is longer than %d bytes", CATALOG_URL_MAX - 1);
	if (!invite_code || !invite_code[0] || ulen == 0) {
		memcpy(out, url, ulen + 1);
		return TK_OK;
	}
	for (const char *c = invite_code; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return tk_fail(err, TK_EINVAL, "member", "invite code is not alphanumeric");
	const char *hash = strchr(url, '#');
	size_t base = hash ? (size_t)(hash - url) : ulen;
	const char *q = memchr(url, '?', base);
	const char *sep = !q ? "?" : (url[base - 1] == '?' || url[base - 1] == '&') ? "" : "&";
	int w = snprintf(out, CATALOG_LINK_MAX, "%.*s%stk=%s%s", (int)base, url, sep, invite_code,
			 hash ? hash : "");
	if (w < 0 || w >= CATALOG_LINK_MAX)
		return tk_fail(err, TK_ELIMIT, "url", "too long with the invite code");
	return TK_OK;
}

enum tk_rc catalog_copy(struct store *st, const struct catalog_copy_request *req, char *out,
			bool *title_cut, struct tk_error *err)
{
	enum tk_rc rc;
	struct catalog_product *p = malloc(sizeof(*p));
	struct catalog_price_point *pts = malloc(CATALOG_HISTORY_MAX * sizeof(*pts));
	char *body = malloc(CATALOG_TEMPLATE_MAX + 1);
	char link[CATALOG_LINK_MAX], note[64];
	bool builtin;
	int n = 0;

	if (!p || !pts || !body) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((rc = catalog_template_find(st, req->template_name ? req->template_name : "default",
					req->channel, body, &builtin, err)))
		goto out;
	if ((rc = st->catalog->product_get(st, req->union_, req->product, p, err)))
		goto out;
	if ((rc = st->catalog->history_get(st, p->id, pts, CATALOG_HISTORY_MAX, &n, err)))
		goto out;
	if (req->link)
		snprintf(link, sizeof(link), "%s", req->link);
	else if ((rc = catalog_link(p->url, req->invite_code, link, err)))
		goto out;
	struct catalog_history_summary h;
	catalog_history_summarize(pts, n, catalog_final_price(p, req->now), req->now,
				  req->window_days > 0 ? req->window_days : 90, &h);
	struct catalog_copy_values v = {
		.title = p->title,
		.brand = p->brand,
		.shop = p->shop,
		.price = p->price,
		.coupon = catalog_coupon_valid(p, req->now) ? p->coupon : 0,
		.final_price = catalog_final_price(p, req->now),
		.commission = catalog_commission_per_unit(p, req->now),
		.sales = p->sales,
		.link = link,
		.lowest_note = catalog_copy_lowest_note(&h, note),
	};
	rc = catalog_copy_render(body, req->channel, &v, out, title_cut, err);
out:
	free(p);
	free(pts);
	free(body);
	return rc;
}

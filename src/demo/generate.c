/* generate.c — builds the demo dataset: teams of heavy-tailed sizes grown
 * into invitation trees, levels that follow team size, buyers who come back
 * to the member who first brought them, and each order item's feed history
 * written in update-time order, as a union's order query returns it. */
#include "demo/generate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"
#include "demo/names.h"
#include "demo/prng.h"

const char *const demo_level_keys[4] = {"member", "super", "mentor", "partner"};

enum { LV_MEMBER, LV_SUPER, LV_MENTOR, LV_PARTNER };

/* Every kind of entity draws from its own stream (prng.h). */
enum domain { D_TEAMS = 1, D_TREE, D_LEVEL, D_NAME, D_ORDER, D_ITEM, D_PRODUCT, D_BUYER };

enum union_id { U_JD, U_TAOBAO, U_PDD };
static const char *const union_keys[] = {"jd", "taobao", "pdd"};
static const char union_prefix[] = {'J', 'T', 'P'};

/* The rows of one item's history, in the order they happen. */
enum stage { SG_UNPAID, SG_PAID, SG_REPRICE, SG_RECEIVED, SG_SETTLED, SG_ADJUST, SG_INVALID,
	     SG_N };
static const int stage_status[SG_N] = {0, 1, 1, 2, 3, 3, 4}; /* index of status_keys */
static const char *const status_keys[5] = {"unpaid", "paid", "received", "settled", "invalid"};

#define MINUTE INT64_C(60)
#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)
#define PAID_WINDOW_DAYS 75    /* live feed: orders paid over the last 75 days */
#define SETTLED_WINDOW_DAYS 60 /* settle_all: settlements over the last 60 days */

/* A handful of big teams, in bps of all members; the rest of the members
 * form teams of Pareto-like sizes (most of one or two people). */
#define BIG_TEAMS 5
static const int64_t big_team_bps[BIG_TEAMS] = {800, 600, 450, 350, 300};

/* When orders are paid, by local hour: evenings are busiest. */
static const uint32_t hour_weight[24] = {3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6,
					 7, 6, 5, 5, 5, 6, 7, 8, 9, 10, 9, 6};

struct gen {
	const struct demo_params *p;
	int64_t n;          /* members */
	int32_t *parent;    /* -1 for a root */
	uint8_t *level;
	int32_t *sharers;   /* members who can share, oldest first */
	int64_t n_sharers;
	int64_t n_items, n_orders;
	uint32_t *item_order;  /* item -> order */
	uint32_t *order_first; /* order -> its first item; [n_orders] = n_items */
	uint32_t n_buyers;     /* outside buyers b1..bN */
	uint32_t n_products;   /* per union */
	int64_t today0;        /* local midnight (Beijing) of the day of now */
};

struct order {
	int union_;
	int size;
	bool self;            /* the buyer is the member */
	int32_t buyer_member; /* self-purchase: the member */
	uint32_t buyer;       /* otherwise an outside buyer */
	int32_t sharer;       /* member whose link brought the buyer, or -1 */
	bool has_unpaid, has_received;
	int64_t placed, paid, received, settled;
};

struct item {
	uint32_t product;
	int32_t quantity;
	int64_t amount;
	bool has[SG_N];
	int64_t t[SG_N];
	int64_t commission[SG_N];
	int64_t settled_at; /* on rows from settlement on; 0 = null */
	int last;           /* the stage of the latest row */
};

/* ---- arithmetic and memory ---- */

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static void *alloc_array(size_t n, size_t size, struct tk_error *err)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		tk_fail(err, TK_ENOMEM, "", "out of memory allocating %zu entries of %zu bytes", n,
			size);
	return p;
}

/* ---- the member tree ---- */

/* Team sizes summing to n: the big teams first, then a tail where a team of
 * size >= x is about 1/x as likely as a team of one (capped at n/100). */
static enum tk_rc team_sizes(struct gen *g, int32_t **sizes_out, int64_t *n_out,
			     int64_t *n_big, struct tk_error *err)
{
	struct prng r = prng_stream(g->p->seed, D_TEAMS, 0);
	/* Small datasets still get trees worth looking at. */
	int64_t cap = g->n >= 10000 ? g->n / 100 : g->n / 10 > 1 ? g->n / 10 : 1;
	int64_t left = g->n, n = 0, room = 64;
	int32_t *sizes = alloc_array((size_t)room, sizeof(*sizes), err);
	if (!sizes)
		return TK_ENOMEM;
	*n_big = 0;
	while (left > 0) {
		int64_t s;
		if (n < BIG_TEAMS && g->n >= 100)
			s = g->n * big_team_bps[n] / 10000;
		else
			s = cap / (1 + prng_below(&r, (uint32_t)cap));
		s = clamp64(s, 1, left);
		if (n == room) {
			room *= 2;
			int32_t *grown = realloc(sizes, (size_t)room * sizeof(*sizes));
			if (!grown) {
				free(sizes);
				return tk_fail(err, TK_ENOMEM, "", "out of memory for team sizes");
			}
			sizes = grown;
		}
		sizes[n++] = (int32_t)s;
		if (n <= BIG_TEAMS && g->n >= 100)
			(*n_big)++;
		left -= s;
	}
	*sizes_out = sizes;
	*n_out = n;
	return TK_OK;
}

/* Grows every team as its members join, in id order.  A newcomer's inviter
 * is an active recruiter 55% of the time (preferential attachment: each
 * member weighs 1 + 2 * its invitees, so a few recruiters gather hundreds),
 * any member of the team 30%, or one of the last few to join 15% (chains of
 * friends, which give the depth its long tail). */
static enum tk_rc build_tree(struct gen *g, struct demo_stats *st, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	int32_t *sizes = NULL, *label = NULL, *filled = NULL, *pool_n = NULL;
	int32_t *members = NULL, *pool = NULL, *depth = NULL;
	int64_t *off = NULL;
	int64_t n_teams = 0, n_big = 0, n = g->n;

	if ((rc = team_sizes(g, &sizes, &n_teams, &n_big, err)))
		goto out;
	rc = TK_ENOMEM;
	if (!(label = alloc_array((size_t)n, sizeof(*label), err)) ||
	    !(filled = alloc_array((size_t)n_teams, sizeof(*filled), err)) ||
	    !(pool_n = alloc_array((size_t)n_teams, sizeof(*pool_n), err)) ||
	    !(off = alloc_array((size_t)n_teams + 1, sizeof(*off), err)) ||
	    !(members = alloc_array((size_t)n, sizeof(*members), err)) ||
	    !(pool = alloc_array((size_t)n * 3, sizeof(*pool), err)) ||
	    !(depth = alloc_array((size_t)n, sizeof(*depth), err)))
		goto out;
	rc = TK_OK;

	/* Who joins when: the big teams' founders first (m1..m5), everyone
	 * else in shuffled order, so teams grow side by side. */
	int64_t pos = 0;
	for (int64_t t = 0; t < n_big; t++)
		label[pos++] = (int32_t)t;
	for (int64_t t = 0; t < n_teams; t++) {
		off[t + 1] = off[t] + sizes[t];
		for (int32_t j = t < n_big ? 1 : 0; j < sizes[t]; j++)
			label[pos++] = (int32_t)t;
	}
	struct prng r = prng_stream(g->p->seed, D_TREE, 0);
	for (int64_t i = n - 1; i > n_big; i--) {
		int64_t j = n_big + prng_below(&r, (uint32_t)(i - n_big + 1));
		int32_t tmp = label[i];
		label[i] = label[j];
		label[j] = tmp;
	}

	for (int64_t i = 0; i < n; i++) {
		int32_t t = label[i];
		int32_t j = filled[t];
		int32_t *tm = members + off[t], *tp = pool + 3 * off[t];
		int32_t par = -1;
		if (j > 0) {
			uint32_t how = prng_below(&r, 100);
			if (how < 55) {
				par = tp[prng_below(&r, (uint32_t)pool_n[t])];
			} else if (how < 85) {
				par = tm[prng_below(&r, (uint32_t)j)];
			} else {
				uint32_t recent = j < 8 ? (uint32_t)j : 8;
				par = tm[j - 1 - (int32_t)prng_below(&r, recent)];
			}
			tp[pool_n[t]++] = par;
			tp[pool_n[t]++] = par;
		}
		tm[filled[t]++] = (int32_t)i;
		tp[pool_n[t]++] = (int32_t)i;
		g->parent[i] = par;
		depth[i] = par < 0 ? 0 : depth[par] + 1;
	}

	/* Team (subtree) sizes and direct invitees, children before parents. */
	int32_t *sub = members, *direct = pool; /* reused */
	for (int64_t i = 0; i < n; i++) {
		sub[i] = 1;
		direct[i] = 0;
	}
	for (int64_t i = n - 1; i >= 0; i--)
		if (g->parent[i] >= 0) {
			sub[g->parent[i]] += sub[i];
			direct[g->parent[i]]++;
		}

	/* Leaders rank higher: a big team's founder is a partner; the larger a
	 * member's team, the likelier a higher level.  A few members without a
	 * team bought a membership upgrade anyway. */
	for (int64_t i = 0; i < n; i++) {
		struct prng lr = prng_stream(g->p->seed, D_LEVEL, (uint64_t)i);
		uint32_t roll = prng_below(&lr, 1000);
		int lv;
		int32_t s = sub[i];
		if (i < n_big)
			lv = LV_PARTNER;
		else if (s >= 500)
			lv = roll < 600 ? LV_PARTNER : LV_MENTOR;
		else if (s >= 100)
			lv = roll < 100 ? LV_PARTNER : roll < 700 ? LV_MENTOR : LV_SUPER;
		else if (s >= 20)
			lv = roll < 350 ? LV_MENTOR : LV_SUPER;
		else if (s >= 4 || direct[i] >= 2)
			lv = roll < 550 ? LV_SUPER : LV_MEMBER;
		else
			lv = roll < 3 ? LV_MENTOR : roll < 60 ? LV_SUPER : LV_MEMBER;
		g->level[i] = (uint8_t)lv;
		st->levels[lv]++;
		st->depth[depth[i] < DEMO_DEPTH_BUCKETS ? depth[i] : DEMO_DEPTH_BUCKETS - 1]++;
		if (depth[i] > st->max_depth)
			st->max_depth = depth[i];
		if (g->parent[i] < 0) {
			st->roots++;
			if (s > st->largest_team)
				st->largest_team = s;
			if (s > 1000)
				st->teams_over_1000++;
		}
	}
	st->members = n;

out:
	free(sizes);
	free(label);
	free(filled);
	free(pool_n);
	free(off);
	free(members);
	free(pool);
	free(depth);
	return rc;
}

/* ---- orders ---- */

/* A sharer for a sale: mostly a member who can share, the older ones more
 * active; now and then anyone (whose uplines then earn the difference). */
static int32_t pick_sharer(const struct gen *g, struct prng *r)
{
	if (g->n_sharers > 0 && prng_chance(r, 900))
		return g->sharers[prng_skewed(r, (uint32_t)g->n_sharers)];
	return (int32_t)prng_below(r, (uint32_t)g->n);
}

/* The member an outside buyer first came through, the same every time. */
static int32_t home_sharer(const struct gen *g, uint32_t buyer)
{
	struct prng r = prng_stream(g->p->seed, D_BUYER, buyer);
	return pick_sharer(g, &r);
}

static int64_t pick_time_of_day(struct prng *r)
{
	uint32_t total = 0;
	for (int h = 0; h < 24; h++)
		total += hour_weight[h];
	uint32_t x = prng_below(r, total);
	int h = 0;
	while (x >= hour_weight[h])
		x -= hour_weight[h++];
	return h * HOUR + prng_below(r, (uint32_t)HOUR);
}

/* Everything shared by the items of order o.  The first two draws (union,
 * size) are all the partition into orders needs. */
static void order_make(const struct gen *g, int64_t o, struct order *od)
{
	struct prng r = prng_stream(g->p->seed, D_ORDER, (uint64_t)o);
	uint32_t u = prng_below(&r, 100);
	od->union_ = u < 45 ? U_JD : u < 80 ? U_TAOBAO : U_PDD;
	uint32_t s = prng_below(&r, 100);
	od->size = od->union_ == U_PDD ? 1 : s < 75 ? 1 : s < 93 ? 2 : 3;

	od->self = prng_chance(&r, 220);
	od->buyer_member = -1;
	od->buyer = 0;
	if (od->self) {
		od->buyer_member = (int32_t)prng_below(&r, (uint32_t)g->n);
		od->sharer = od->buyer_member;
	} else {
		od->buyer = prng_skewed(&r, g->n_buyers);
		uint32_t how = prng_below(&r, 100);
		od->sharer = how < 85 ? home_sharer(g, od->buyer) : how < 97 ? pick_sharer(g, &r) : -1;
	}

	int64_t now = g->p->now;
	if (g->p->settle_all) {
		od->settled = now - HOUR - prng_range(&r, 0, SETTLED_WINDOW_DAYS * DAY - 2 * HOUR);
		od->received = od->settled - prng_range(&r, 5 * DAY, 25 * DAY);
		od->paid = od->received - prng_range(&r, DAY, 8 * DAY);
	} else {
		int64_t day = prng_below(&r, PAID_WINDOW_DAYS);
		od->paid = g->today0 - day * DAY + pick_time_of_day(&r);
		if (od->paid > now - MINUTE) /* leave room for the items' jitter */
			od->paid -= DAY;
		od->received = od->paid + prng_range(&r, DAY, 8 * DAY);
		od->settled = od->received + prng_range(&r, 5 * DAY, 25 * DAY);
	}
	od->has_unpaid = prng_chance(&r, 60);
	od->placed = od->paid - prng_range(&r, MINUTE, 30 * MINUTE);
	od->has_received = prng_chance(&r, 920);
}

/* A product's price (fen) and commission rate (bps), and its title when
 * title is not NULL: a pure function of (seed, union, index). */
static void product_make(const struct gen *g, int union_, uint32_t idx, int64_t *price,
			 int32_t *rate_bps, char *title)
{
	struct prng r = prng_stream(g->p->seed, D_PRODUCT, ((uint64_t)union_ << 32) | idx);
	static const struct { int64_t lo, hi; uint32_t permille; } bands[] = {
		{500, 2000, 200}, {2000, 6000, 300}, {6000, 15000, 250},
		{15000, 50000, 170}, {50000, 300000, 80},
	};
	uint32_t x = prng_below(&r, 1000), b = 0;
	while (b + 1 < sizeof(bands) / sizeof(bands[0]) && x >= bands[b].permille)
		x -= bands[b++].permille;
	int64_t p = prng_range(&r, bands[b].lo, bands[b].hi) / 100 * 100; /* whole yuan */
	if (prng_chance(&r, 600))
		p -= 10; /* 19.90 rather than 20.00 */
	*price = p;
	/* Commission rates (bps): most products pay little, a quarter pay well;
	 * Pinduoduo pays the most, JD the least. */
	static const int32_t rates[3][2][2] = {
		{{200, 1000}, {1000, 2500}}, /* jd: usual, high */
		{{150, 1500}, {1500, 3000}}, /* taobao */
		{{500, 2000}, {2000, 4000}}, /* pdd */
	};
	int high = prng_chance(&r, 250);
	*rate_bps = (int32_t)prng_range(&r, rates[union_][high][0], rates[union_][high][1]);
	if (title)
		demo_title(&r, title);
}

static uint32_t item_product_draw(const struct gen *g, int64_t k)
{
	struct prng r = prng_stream(g->p->seed, D_ITEM, (uint64_t)k);
	return prng_skewed(&r, g->n_products);
}

/* Applies `ratio` per mille to an amount of fen, exactly (no floating point). */
static int64_t per_mille(int64_t amount, int64_t ratio)
{
	return amount * ratio / 1000;
}

/* The history of item k (position pos in order od): which rows exist, when,
 * and with which commission. */
static void item_make(const struct gen *g, const struct order *od, int64_t k, int pos,
		      struct item *it)
{
	struct prng r = prng_stream(g->p->seed, D_ITEM, (uint64_t)k);
	int64_t now = g->p->now;
	memset(it, 0, sizeof(*it));

	/* A JD item is keyed by order and SKU: the SKUs of one order differ. */
	uint32_t prod = prng_skewed(&r, g->n_products);
	if (od->union_ == U_JD)
		for (int again = 1; again;) {
			again = 0;
			for (int q = 0; q < pos; q++)
				if (item_product_draw(g, k - pos + q) == prod) {
					prod = (prod + 1) % g->n_products;
					again = 1;
				}
		}
	it->product = prod;
	int64_t price;
	int32_t rate;
	product_make(g, od->union_, prod, &price, &rate, NULL);
	uint32_t qroll = prng_below(&r, 1000);
	it->quantity = qroll < 880 ? 1 : qroll < 970 ? 2 : (int32_t)prng_range(&r, 3, 5);
	it->amount = price * it->quantity;
	int64_t estimate = it->amount * rate / 10000;
	int64_t jitter = prng_below(&r, 60); /* the union updates items a few seconds apart */

	it->has[SG_UNPAID] = od->has_unpaid;
	it->t[SG_UNPAID] = od->placed;
	it->commission[SG_UNPAID] = estimate;
	it->has[SG_PAID] = true;
	it->t[SG_PAID] = od->paid;
	it->commission[SG_PAID] = estimate;
	if (prng_chance(&r, 40)) { /* the estimate changes: price protection, coupon */
		it->has[SG_REPRICE] = true;
		it->t[SG_REPRICE] = od->paid + prng_range(&r, 10 * MINUTE, 20 * HOUR);
		int64_t changed = per_mille(estimate, prng_range(&r, 900, 1100));
		it->has[SG_REPRICE] = changed != estimate;
		estimate = changed;
		it->commission[SG_REPRICE] = estimate;
	}
	it->has[SG_RECEIVED] = od->has_received;
	it->t[SG_RECEIVED] = od->received;
	it->commission[SG_RECEIVED] = estimate;
	int64_t actual = prng_chance(&r, 220) ? per_mille(estimate, prng_range(&r, 850, 1050))
					      : estimate;
	it->has[SG_SETTLED] = true;
	it->t[SG_SETTLED] = od->settled;
	it->commission[SG_SETTLED] = actual;

	/* About a quarter are refunded: in a live feed mostly before the union
	 * settles; with settle_all only after. */
	bool refund = prng_chance(&r, 270);
	bool before = !g->p->settle_all && prng_chance(&r, 800);
	int64_t refund_at = 0;
	if (refund && before) {
		refund_at = od->paid + HOUR + prng_below(&r, (uint32_t)(od->settled - od->paid - 2 * HOUR));
	} else if (refund) {
		int64_t room = g->p->settle_all ? now - od->settled - HOUR : 20 * DAY;
		if (room > HOUR)
			refund_at = od->settled + prng_range(&r, HOUR, room < 20 * DAY ? room : 20 * DAY);
	}
	if (refund_at) {
		it->has[SG_INVALID] = true;
		it->t[SG_INVALID] = refund_at;
		for (int s = SG_REPRICE; s < SG_INVALID; s++)
			if (it->t[s] >= refund_at)
				it->has[s] = false;
	} else if (prng_chance(&r, 30)) { /* a negative adjustment after settlement */
		it->has[SG_ADJUST] = true;
		it->t[SG_ADJUST] = od->settled + prng_range(&r, DAY, 30 * DAY);
		it->commission[SG_ADJUST] = per_mille(actual, prng_range(&r, 300, 900));
		it->has[SG_ADJUST] = it->commission[SG_ADJUST] != actual;
	}

	for (int s = 0; s < SG_N; s++) {
		it->t[s] += jitter;
		if (it->t[s] > now)
			it->has[s] = false; /* has not happened yet */
		if (it->has[s])
			it->last = s;
	}
	if (it->has[SG_SETTLED])
		it->settled_at = it->t[SG_SETTLED];
}

/* ---- writing ---- */

struct line {
	char buf[2048];
	size_t len;
};

static void put_n(struct line *l, const char *s, size_t n)
{
	if (l->len + n > sizeof(l->buf))
		n = sizeof(l->buf) - l->len; /* cannot happen: every field is bounded */
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void put_s(struct line *l, const char *s)
{
	put_n(l, s, strlen(s));
}

static void put_i(struct line *l, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[sizeof(tmp) - 1 - n++] = '-';
	put_n(l, tmp + sizeof(tmp) - n, (size_t)n);
}

/* A string value: every string generated here is JSON-safe as it is. */
static void put_q(struct line *l, char prefix, int64_t num)
{
	put_n(l, "\"", 1);
	if (prefix)
		put_n(l, &prefix, 1);
	put_i(l, num);
	put_n(l, "\"", 1);
}

static void two(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* "2026-11-01T10:00:00+08:00", quoted; written by hand because there are
 * millions of them. */
static void put_time(struct line *l, int64_t unix_s)
{
	int64_t local = unix_s + TKTIME_BEIJING_OFFSET;
	int64_t days = floor_div(local, DAY), secs = local - days * DAY;
	int y, m, d;
	tktime_civil_from_days(days, &y, &m, &d);
	char b[] = "\"0000-00-00T00:00:00+08:00\"";
	two(b + 1, y / 100);
	two(b + 3, y % 100);
	two(b + 6, m);
	two(b + 9, d);
	two(b + 12, (int)(secs / HOUR));
	two(b + 15, (int)(secs % HOUR / MINUTE));
	two(b + 18, (int)(secs % MINUTE));
	put_n(l, b, sizeof(b) - 1);
}

static void put_member(struct line *l, int32_t m)
{
	if (m < 0)
		put_s(l, "null");
	else
		put_q(l, 'm', (int64_t)m + 1);
}

struct out {
	char path[4096], tmp[4096];
	FILE *f;
	char *buf;
};

static enum tk_rc out_open(struct out *o, const char *dir, const char *name, struct tk_error *err)
{
	int a = snprintf(o->path, sizeof(o->path), "%s/%s", dir, name);
	int b = snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.tmp", dir, name);
	if (a < 0 || b < 0 || (size_t)b >= sizeof(o->tmp))
		return tk_fail(err, TK_ELIMIT, "out", "directory path is longer than %zu bytes",
			       sizeof(o->path) - 64);
	o->f = fopen(o->tmp, "w");
	if (!o->f)
		return tk_fail(err, TK_EIO, "out", "cannot write %s: %s", o->tmp, strerror(errno));
	o->buf = malloc(1 << 20);
	if (o->buf)
		setvbuf(o->f, o->buf, _IOFBF, 1 << 20);
	return TK_OK;
}

static enum tk_rc out_line(struct out *o, struct line *l, struct tk_error *err)
{
	put_n(l, "\n", 1);
	if (fwrite(l->buf, 1, l->len, o->f) != l->len)
		return tk_fail(err, TK_EIO, "out", "cannot write %s: %s", o->tmp, strerror(errno));
	return TK_OK;
}

/* Closes the file and, when ok, moves it to its final name; otherwise
 * removes it. */
static enum tk_rc out_close(struct out *o, bool ok, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	if (!o->f)
		return TK_OK;
	if (fclose(o->f) != 0 && ok) {
		rc = tk_fail(err, TK_EIO, "out", "cannot write %s: %s", o->tmp, strerror(errno));
		ok = false;
	}
	o->f = NULL;
	free(o->buf);
	o->buf = NULL;
	if (ok && rename(o->tmp, o->path) != 0) {
		rc = tk_fail(err, TK_EIO, "out", "cannot rename %s to %s: %s", o->tmp, o->path,
			     strerror(errno));
		ok = false;
	}
	if (!ok)
		remove(o->tmp);
	return rc;
}

static const char plan_json[] =
	"{\n"
	"  \"name\": \"demo\",\n"
	"  \"mode\": \"differential\",\n"
	"  \"max_tiers\": 3,\n"
	"  \"platform_min_bps\": 1000,\n"
	"  \"peer_bonus_bps\": 500,\n"
	"  \"tiers_bps\": [1000, 500],\n"
	"  \"hold_days\": 7,\n"
	"  \"default_level\": \"member\",\n"
	"  \"withdraw_min\": 1000,\n"
	"  \"withdraw_fee_bps\": 0,\n"
	"  \"levels\": [\n"
	"    {\"key\": \"member\", \"name\": \"Registered member\", "
	"\"names\": {\"zh-CN\": \"注册会员\", \"en\": \"Registered member\"}, "
	"\"rate_bps\": 3000, \"can_share\": false},\n"
	"    {\"key\": \"super\", \"name\": \"Super member\", "
	"\"names\": {\"zh-CN\": \"超级会员\", \"en\": \"Super member\"}, "
	"\"rate_bps\": 5000, \"can_share\": true},\n"
	"    {\"key\": \"mentor\", \"name\": \"Mentor\", "
	"\"names\": {\"zh-CN\": \"导师\", \"en\": \"Mentor\"}, "
	"\"rate_bps\": 7000, \"can_share\": true},\n"
	"    {\"key\": \"partner\", \"name\": \"Partner\", "
	"\"names\": {\"zh-CN\": \"合伙人\", \"en\": \"Partner\"}, "
	"\"rate_bps\": 8000, \"can_share\": true}\n"
	"  ]\n"
	"}\n";

static enum tk_rc write_plan(const char *dir, struct tk_error *err)
{
	struct out o = {0};
	enum tk_rc rc = out_open(&o, dir, "plan.json", err);
	if (rc)
		return rc;
	bool ok = fwrite(plan_json, 1, sizeof(plan_json) - 1, o.f) == sizeof(plan_json) - 1;
	if (!ok)
		rc = tk_fail(err, TK_EIO, "out", "cannot write %s: %s", o.tmp, strerror(errno));
	enum tk_rc crc = out_close(&o, ok, err);
	return rc ? rc : crc;
}

static enum tk_rc write_members(const struct gen *g, const char *dir, struct tk_error *err)
{
	struct out o = {0};
	enum tk_rc rc = out_open(&o, dir, "members.jsonl", err);
	if (rc)
		return rc;
	struct line l;
	char name[DEMO_NAME_MAX];
	for (int64_t i = 0; i < g->n && !rc; i++) {
		struct prng r = prng_stream(g->p->seed, D_NAME, (uint64_t)i);
		demo_nickname(&r, name);
		l.len = 0;
		put_s(&l, "{\"id\":");
		put_q(&l, 'm', i + 1);
		put_s(&l, ",\"parent\":");
		put_member(&l, g->parent[i]);
		put_s(&l, ",\"level\":\"");
		put_s(&l, demo_level_keys[g->level[i]]);
		put_s(&l, "\",\"name\":\"");
		put_s(&l, name);
		put_s(&l, "\"}");
		rc = out_line(&o, &l, err);
	}
	enum tk_rc crc = out_close(&o, rc == TK_OK, err);
	return rc ? rc : crc;
}

/* One row of the feed: the sort key is the row's own update time, then
 * item and stage, so the file reads like successive polls by update time
 * and is the same on every run. */
struct event {
	int64_t t;
	uint32_t item;
	uint32_t stage;
};

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return (x->stage > y->stage) - (x->stage < y->stage);
}

static void product_key(int union_, uint32_t idx, struct line *l)
{
	static const int64_t base[] = {INT64_C(100000000000), INT64_C(600000000000),
				       INT64_C(300000000)};
	static const int64_t step[] = {37, 53, 41};
	put_q(l, 0, base[union_] + (int64_t)idx * step[union_]);
}

static void write_row(const struct gen *g, const struct order *od, int64_t o, int pos,
		      const struct item *it, int stage, struct line *l)
{
	char title[DEMO_TITLE_MAX];
	int64_t price;
	int32_t rate;
	product_make(g, od->union_, it->product, &price, &rate, title);
	char pfx = union_prefix[od->union_];
	l->len = 0;
	put_s(l, "{\"union\":\"");
	put_s(l, union_keys[od->union_]);
	put_s(l, "\",\"item\":\"");
	put_n(l, &pfx, 1);
	put_i(l, o + 1);
	if (od->union_ == U_JD) {
		put_n(l, "-", 1);
		struct line k = {.len = 0};
		product_key(od->union_, it->product, &k);
		put_n(l, k.buf + 1, k.len - 2);
	} else if (od->union_ == U_TAOBAO) {
		put_n(l, "-", 1);
		put_i(l, pos + 1);
	}
	put_s(l, "\",\"order\":");
	put_q(l, pfx, o + 1);
	put_s(l, ",\"status\":\"");
	put_s(l, status_keys[stage_status[stage]]);
	put_s(l, "\",\"modified_at\":");
	put_time(l, it->t[stage]);
	put_s(l, ",\"paid_at\":");
	if (stage == SG_UNPAID)
		put_s(l, "null");
	else
		put_time(l, it->t[SG_PAID]);
	put_s(l, ",\"settled_at\":");
	if (stage >= SG_SETTLED && it->settled_at && it->t[stage] >= it->settled_at)
		put_time(l, it->settled_at);
	else
		put_s(l, "null");
	put_s(l, ",\"amount\":");
	put_i(l, it->amount);
	put_s(l, ",\"commission\":");
	put_i(l, stage == SG_INVALID ? 0 : it->commission[stage]);
	put_s(l, ",\"quantity\":");
	put_i(l, it->quantity);
	put_s(l, ",\"product\":");
	product_key(od->union_, it->product, l);
	put_s(l, ",\"title\":\"");
	put_s(l, title);
	put_s(l, "\",\"buyer\":");
	if (od->self)
		put_member(l, od->buyer_member);
	else
		put_q(l, 'b', (int64_t)od->buyer + 1);
	put_s(l, ",\"member\":");
	put_member(l, od->sharer);
	put_s(l, ",\"link\":null}");
}

static enum tk_rc make_orders(struct gen *g, struct tk_error *err)
{
	int64_t k = 0, o = 0;
	/* Orders hold 1..3 items, so there are at most as many orders as items. */
	g->item_order = alloc_array((size_t)g->n_items, sizeof(*g->item_order), err);
	g->order_first = alloc_array((size_t)g->n_items + 1, sizeof(*g->order_first), err);
	if (!g->item_order || !g->order_first)
		return TK_ENOMEM;
	while (k < g->n_items) {
		struct order od;
		order_make(g, o, &od);
		g->order_first[o] = (uint32_t)k;
		for (int i = 0; i < od.size && k < g->n_items; i++)
			g->item_order[k++] = (uint32_t)o;
		o++;
	}
	g->order_first[o] = (uint32_t)k;
	g->n_orders = o;
	return TK_OK;
}

static enum tk_rc write_orders(struct gen *g, const char *dir, struct demo_stats *st,
			       struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct event *ev = NULL;
	/* 2.7 rows an item in a live feed, 3.3 with settle_all; 6 at most. */
	size_t n_ev = 0, room = (size_t)g->n_items * 7 / 2 + 16;
	struct out o = {0};

	if (!(ev = alloc_array(room, sizeof(*ev), err)))
		return TK_ENOMEM;
	st->first_at = INT64_MAX;
	st->last_at = INT64_MIN;
	for (int64_t oi = 0; oi < g->n_orders; oi++) {
		struct order od;
		order_make(g, oi, &od);
		if (od.self)
			st->self_purchases += g->order_first[oi + 1] - g->order_first[oi];
		else if (od.sharer < 0)
			st->unattributed += g->order_first[oi + 1] - g->order_first[oi];
		for (uint32_t k = g->order_first[oi]; k < g->order_first[oi + 1]; k++) {
			struct item it;
			item_make(g, &od, k, (int)(k - g->order_first[oi]), &it);
			for (int s = 0; s < SG_N; s++) {
				if (!it.has[s])
					continue;
				if (n_ev == room) {
					room *= 2;
					struct event *grown = realloc(ev, room * sizeof(*ev));
					if (!grown) {
						rc = tk_fail(err, TK_ENOMEM, "", "out of memory for %zu rows", room);
						goto out;
					}
					ev = grown;
				}
				ev[n_ev++] = (struct event){it.t[s], k, (uint32_t)s};
				st->rows_by_status[stage_status[s]]++;
				if (it.t[s] < st->first_at)
					st->first_at = it.t[s];
				if (it.t[s] > st->last_at)
					st->last_at = it.t[s];
			}
			st->final_by_status[stage_status[it.last]]++;
			if (stage_status[it.last] == 3)
				st->commission_settled += it.commission[it.last];
		}
	}
	st->orders = g->n_orders;
	st->items = g->n_items;
	st->rows = (int64_t)n_ev;
	if (n_ev == 0)
		st->first_at = st->last_at = 0;
	qsort(ev, n_ev, sizeof(*ev), event_cmp);

	if ((rc = out_open(&o, dir, "orders.jsonl", err)))
		goto out;
	struct line l;
	int64_t cached = -1;
	struct order od;
	struct item it;
	for (size_t i = 0; i < n_ev && !rc; i++) {
		uint32_t k = ev[i].item;
		int64_t oi = g->item_order[k];
		if (cached != oi) {
			order_make(g, oi, &od);
			cached = oi;
		}
		item_make(g, &od, k, (int)(k - g->order_first[oi]), &it);
		write_row(g, &od, oi, (int)(k - g->order_first[oi]), &it, (int)ev[i].stage, &l);
		rc = out_line(&o, &l, err);
	}
out:
	{
		enum tk_rc crc = out_close(&o, rc == TK_OK, err);
		if (!rc)
			rc = crc;
	}
	free(ev);
	return rc;
}

enum tk_rc demo_generate(const struct demo_params *p, const char *dir, struct demo_stats *st,
			 struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct gen g = {.p = p, .n = p->members};
	memset(st, 0, sizeof(*st));

	if (p->members < 1 || p->members > DEMO_MEMBERS_MAX)
		return tk_fail(err, TK_EINVAL, "members", "must be 1..%lld, got %lld",
			       (long long)DEMO_MEMBERS_MAX, (long long)p->members);
	if (p->items_per_member < 0 || p->items_per_member > DEMO_ITEMS_PER_MEMBER_MAX)
		return tk_fail(err, TK_EINVAL, "items", "must be 0..%d per member, got %lld",
			       DEMO_ITEMS_PER_MEMBER_MAX, (long long)p->items_per_member);
	if (p->members * p->items_per_member > DEMO_ITEMS_MAX)
		return tk_fail(err, TK_ELIMIT, "items",
			       "members * items must be at most %lld, got %lld",
			       (long long)DEMO_ITEMS_MAX, (long long)(p->members * p->items_per_member));
	/* Dates before 2000 or after 9000 would leave the calendar range. */
	if (p->now < INT64_C(946684800) || p->now > INT64_C(221845392000))
		return tk_fail(err, TK_EINVAL, "now", "must be between 2000 and 9000, got %lld",
			       (long long)p->now);

	g.n_items = p->members * p->items_per_member;
	g.n_buyers = (uint32_t)clamp64(g.n_items / 4, 20, INT32_MAX);
	g.n_products = (uint32_t)clamp64(g.n_items / 5, 100, 200000);
	g.today0 = floor_div(p->now + TKTIME_BEIJING_OFFSET, DAY) * DAY - TKTIME_BEIJING_OFFSET;

	rc = TK_ENOMEM;
	if (!(g.parent = alloc_array((size_t)g.n, sizeof(*g.parent), err)) ||
	    !(g.level = alloc_array((size_t)g.n, sizeof(*g.level), err)) ||
	    !(g.sharers = alloc_array((size_t)g.n, sizeof(*g.sharers), err)))
		goto out;
	if ((rc = build_tree(&g, st, err)))
		goto out;
	for (int64_t i = 0; i < g.n; i++)
		if (g.level[i] != LV_MEMBER)
			g.sharers[g.n_sharers++] = (int32_t)i;
	if ((rc = make_orders(&g, err)))
		goto out;
	st->outside_buyers = g.n_buyers;

	if ((rc = write_plan(dir, err)) || (rc = write_members(&g, dir, err)) ||
	    (rc = write_orders(&g, dir, st, err)))
		goto out;
out:
	free(g.parent);
	free(g.level);
	free(g.sharers);
	free(g.item_order);
	free(g.order_first);
	return rc;
}

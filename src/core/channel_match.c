/* channel_match.c — the channel ranking for a campaign product and the
 * products for a channel (channel_match.h): integer points from sales in
 * the product's category and price band, scaled by conversion and by the
 * share of sales that stayed (not refunded), then divided for every mark of
 * brushed figures.  No I/O: the store reads the figures. */
#include "core/channel_match.h"

#include <stdlib.h>
#include <string.h>

/* Why each threshold (channel_match.h) is what it is:
 * - CM_FAST_SECONDS 15: a shopper who follows a link reads the page, picks a
 *   size, fills an address; an order 15 s after the click is a script or a
 *   paid clicker working a list.
 * - CM_MIN_BUYER_ORDERS 20, CM_FEW_BUYERS_PM 500: below 20 orders three
 *   loyal buyers are normal; above, half of the orders from three buyers is
 *   the same few accounts ordering again and again.
 * - CM_MIN_TIMED 20, CM_FAST_PM 300: a few impulse buyers are fast; a third
 *   of the orders is not impulse.
 * - CM_MIN_REFUNDS 10, CM_REFUND_SPIKE_PM 500: honest refunds spread over the
 *   weeks after a sale; half of them on one day is a batch of brushed
 *   orders cancelled once the figures were shown.
 * - CM_MIN_BURST_ORDERS 30, CM_BURST_PM 400: a live session bunches orders,
 *   but 40 % of a channel's whole window in one hour is an order farm.
 * - CM_SLOT_ROI_MIN 3: a slot fee that did not bring three times its amount
 *   in sales cost the merchant more than the sales earn back ("300,000 yuan
 *   on an anchor and 30,000 of goods did not sell").
 * - CM_FLAG_DIVISOR 4: each mark divides the score by 4, so one mark puts a
 *   channel behind an honest one with a quarter of its sales, and three
 *   marks (1/64) behind nearly anyone with real sales. */

#define POINTS_CATEGORY 10 /* a paid order in the product's category */
#define POINTS_BAND 5      /* a paid order in the product's price band */
#define POINTS_DECLARED 100 /* the channel says it sells the category */
#define POINTS_FIT_BAND 50 /* suits: the channel's average price fits */
#define COUNT_CAP 1000000  /* orders counted at most: no overflow below */

bool cm_in_band(int64_t price, int64_t amount, int64_t quantity)
{
	if (price <= 0 || amount < 0)
		return false;
	if (quantity < 1)
		quantity = 1;
	/* price/2 <= amount/quantity <= 2*price, without division */
	return 2 * amount >= price * quantity && amount <= 2 * price * quantity;
}

bool cm_list_has(const char *list, const char *cat)
{
	size_t n = strlen(cat);
	if (!n)
		return false;
	for (const char *p = list; *p;) {
		if (strncmp(p, cat, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
		const char *comma = strchr(p, ',');
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

static int64_t cap(int64_t v)
{
	return v < 0 ? 0 : v > COUNT_CAP ? COUNT_CAP : v;
}

static struct cm_reason *add(int *n, struct cm_reason *r, const char *key)
{
	if (*n >= CM_REASONS_MAX)
		return NULL;
	struct cm_reason *x = &r[(*n)++];
	memset(x, 0, sizeof(*x));
	x->key = key;
	return x;
}

static void param(struct cm_reason *x, const char *name, int64_t v)
{
	if (x && x->n < CM_PARAMS_MAX) {
		x->p[x->n].name = name;
		x->p[x->n].v = v;
		x->n++;
	}
}

static int64_t pm(int64_t part, int64_t whole)
{
	return whole > 0 ? cap(part) * 1000 / cap(whole) : 0;
}

void cm_score(const struct cm_product *p, const struct cm_figures *f, struct cm_ranked *out)
{
	struct cm_reason *x;
	memset(out, 0, sizeof(*out));
	out->id = f->id;
	out->paused = strcmp(f->state, "paused") == 0;
	if (f->declared)
		add(&out->n, out->r, "match.declared_category");
	if (f->orders <= 0) {
		/* nothing to judge by: what it declares is all there is */
		out->score = f->declared ? POINTS_DECLARED : 0;
		add(&out->n, out->r, "match.no_history");
		if (!f->has_union_id)
			add(&out->n, out->r, "match.no_union_id");
		return;
	}
	int64_t score = cap(f->cat_orders) * POINTS_CATEGORY +
			(p->price > 0 ? cap(f->band_orders) * POINTS_BAND : 0) +
			(f->declared ? POINTS_DECLARED : 0);
	if (f->cat_orders > 0) {
		x = add(&out->n, out->r, "match.category_sales");
		param(x, "orders", f->cat_orders);
		param(x, "gmv_fen", f->cat_gmv);
	}
	if (p->price > 0 && f->band_orders > 0) {
		x = add(&out->n, out->r, "match.price_band");
		param(x, "orders", f->band_orders);
		param(x, "gmv_fen", f->band_gmv);
	}
	/* conversion: what share of placed orders was paid */
	x = add(&out->n, out->r, "match.conversion");
	param(x, "paid", f->paid);
	param(x, "placed", f->orders);
	score = score * pm(f->paid, f->orders) / 1000;
	/* what stayed sold: the share of paid orders not refunded */
	if (f->paid > 0) {
		int64_t kept = f->paid - f->refunded;
		x = add(&out->n, out->r, "match.refund_rate");
		param(x, "refunded", f->refunded);
		param(x, "orders", f->paid);
		score = score * pm(kept < 0 ? 0 : kept, f->paid) / 1000;
	}
	/* the marks of brushed figures, each only with enough to judge by */
	if (f->buyer_orders >= CM_MIN_BUYER_ORDERS &&
	    pm(f->top3, f->buyer_orders) > CM_FEW_BUYERS_PM) {
		x = add(&out->n, out->r, "flag.few_buyers");
		param(x, "top3_share_permille", pm(f->top3, f->buyer_orders));
		param(x, "orders", f->buyer_orders);
		out->flags++;
	}
	if (f->timed >= CM_MIN_TIMED && pm(f->fast, f->timed) > CM_FAST_PM) {
		x = add(&out->n, out->r, "flag.fast_orders");
		param(x, "fast", f->fast);
		param(x, "timed", f->timed);
		param(x, "seconds", CM_FAST_SECONDS);
		out->flags++;
	}
	if (f->refunded >= CM_MIN_REFUNDS && pm(f->refund_day_max, f->refunded) > CM_REFUND_SPIKE_PM) {
		x = add(&out->n, out->r, "flag.refund_spike");
		param(x, "day_refunds", f->refund_day_max);
		param(x, "refunded", f->refunded);
		out->flags++;
	}
	if (f->orders >= CM_MIN_BURST_ORDERS && pm(f->hour_max, f->orders) > CM_BURST_PM) {
		x = add(&out->n, out->r, "flag.burst");
		param(x, "hour_orders", f->hour_max);
		param(x, "orders", f->orders);
		out->flags++;
	}
	if (f->slot_fen > 0 && f->slot_gmv < f->slot_fen * CM_SLOT_ROI_MIN) {
		x = add(&out->n, out->r, "flag.slot_roi");
		param(x, "slot_fen", f->slot_fen);
		param(x, "gmv_fen", f->slot_gmv);
		out->flags++;
	}
	for (int i = 0; i < out->flags; i++)
		score /= CM_FLAG_DIVISOR;
	if (!f->has_union_id)
		add(&out->n, out->r, "match.no_union_id");
	out->score = score;
}

static int rank_cmp(const void *a, const void *b)
{
	const struct cm_ranked *x = a, *y = b;
	if (x->paused != y->paused)
		return x->paused ? 1 : -1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

void cm_rank(const struct cm_product *p, const struct cm_figures *f, size_t n,
	     struct cm_ranked *out)
{
	for (size_t i = 0; i < n; i++)
		cm_score(p, &f[i], &out[i]);
	if (n > 1)
		qsort(out, n, sizeof(*out), rank_cmp);
}

static int suit_cmp(const void *a, const void *b)
{
	const struct cm_suited *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t cm_suits(const struct cm_candidate *c, size_t n, int64_t avg_price, struct cm_suited *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].declared && c[i].cat_orders <= 0)
			continue; /* neither said nor shown to sell the category */
		struct cm_suited *s = &out[k++];
		struct cm_reason *x;
		memset(s, 0, sizeof(*s));
		s->id = c[i].p.id;
		if (c[i].declared) {
			add(&s->n, s->r, "match.declared_category");
			s->score += POINTS_DECLARED;
		}
		if (c[i].cat_orders > 0) {
			x = add(&s->n, s->r, "match.category_sales");
			param(x, "orders", c[i].cat_orders);
			param(x, "gmv_fen", c[i].cat_gmv);
			s->score += cap(c[i].cat_orders) * POINTS_CATEGORY;
		}
		if (avg_price > 0 && cm_in_band(c[i].p.price, avg_price, 1)) {
			x = add(&s->n, s->r, "match.price_fit");
			param(x, "avg_price_fen", avg_price);
			param(x, "price_fen", c[i].p.price);
			s->score += POINTS_FIT_BAND;
		}
		/* the head's own income from the product: a tie-breaker in points */
		x = add(&s->n, s->r, "match.service_fee");
		param(x, "service_pm", c[i].p.service_pm);
		s->score += c[i].p.service_pm / 10;
	}
	if (k > 1)
		qsort(out, k, sizeof(*out), suit_cmp);
	return k;
}

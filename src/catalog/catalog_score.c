/* catalog_score.c — price history summary and the worth-pushing score.
 * Pure: no I/O, no SQL.  docs/catalog.md explains every term; keep the two
 * in step. */
#include "catalog/catalog_score.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/tktime.h"

/* The one place the score's defaults live. */
const struct catalog_weights catalog_weights_default = {
	.w_earn = 30,
	.w_price_position = 15,
	.w_price_rarity = 10,
	.w_sales = 20,
	.w_coupon = 10,
	.w_conversion = 8,
	.w_refund = 7,
	.earn_half_fen = 500,         /* 5.00 yuan per unit earns half marks */
	.sales_half = 3000,           /* 100 a day */
	.window_days = 90,
	.rarity_full_days = 60,
	.coupon_full_bps = 3000,      /* a coupon of 30% of the price or more */
	.conversion_half_bps = 300,   /* 3% of clicks become orders */
	.conversion_prior_bps = 300,
	.refund_zero_bps = 3000,      /* 30% refunded scores nothing */
	.refund_prior_bps = 800,
	.shrink_orders = 20,
	.shrink_clicks = 200,
};

static const char *const term_names[TERM_COUNT] = {
	"earn", "price_position", "price_rarity", "sales", "coupon", "conversion", "refund",
};

const char *catalog_term_name(enum catalog_term_id t)
{
	return t < TERM_COUNT ? term_names[t] : "?";
}

/* ---- price history ---- */

void catalog_history_summarize(const struct catalog_price_point *pts, int n, int64_t current,
			       int64_t now, int32_t window_days,
			       struct catalog_history_summary *out)
{
	memset(out, 0, sizeof(*out));
	while (n > 0 && pts[n - 1].at > now) /* the future is not history */
		n--;
	int64_t ws = now - (int64_t)window_days * CATALOG_DAY;
	out->n_points = n;
	out->current = current;
	out->window_days = window_days;
	out->lowest = out->highest = current;
	out->window_low = out->window_high = current;
	out->lowest_last_at = now;
	out->tracked_since = n > 0 ? pts[0].at : now;
	out->tracked_days = (now - out->tracked_since) / CATALOG_DAY;

	for (int k = 0; k < n; k++) {
		int64_t v = pts[k].final_price;
		int64_t end = k + 1 < n ? pts[k + 1].at : now; /* this price held until */
		if (v < out->lowest)
			out->lowest = v;
		if (v > out->highest)
			out->highest = v;
		if (end >= ws) { /* held at some time inside the window */
			if (v < out->window_low)
				out->window_low = v;
			if (v > out->window_high)
				out->window_high = v;
		}
	}
	/* The last moment at the lowest price: now if today is the lowest,
	 * else the end of the latest stretch at it. */
	if (current > out->lowest) {
		for (int k = n - 1; k >= 0; k--)
			if (pts[k].final_price == out->lowest) {
				out->lowest_last_at = k + 1 < n ? pts[k + 1].at : now;
				break;
			}
	}
	out->at_window_low = current <= out->window_low;
	out->at_lowest = current <= out->lowest;

	/* When did the price come to today's level?  The trailing points at
	 * today's price; when the last point differs (a coupon ended since the
	 * last import), today's level began now. */
	int k = n;
	while (k > 0 && pts[k - 1].final_price == current)
		k--;
	out->run_start = k < n ? pts[k].at : now;
	/* Before that: the latest point at or below today's price. */
	int j = k - 1;
	while (j >= 0 && pts[j].final_price > current)
		j--;
	if (j >= 0) {
		int64_t ended = j + 1 < n ? pts[j + 1].at : now;
		out->rarity_days = (out->run_start - ended) / CATALOG_DAY;
		out->never_this_low = false;
	} else {
		out->rarity_days = (out->run_start - out->tracked_since) / CATALOG_DAY;
		out->never_this_low = true;
	}
	if (out->rarity_days < 0)
		out->rarity_days = 0;
}

/* ---- weights ---- */

struct wfield {
	const char *name;
	size_t off;
	bool wide; /* int64_t, else int32_t */
	int64_t min, max;
};

#define W32(n, lo, hi) {#n, offsetof(struct catalog_weights, w_##n), false, lo, hi}
#define C32(n, lo, hi) {#n, offsetof(struct catalog_weights, n), false, lo, hi}
#define C64(n, lo, hi) {#n, offsetof(struct catalog_weights, n), true, lo, hi}

static const struct wfield wfields[] = {
	W32(earn, 0, 100),
	W32(price_position, 0, 100),
	W32(price_rarity, 0, 100),
	W32(sales, 0, 100),
	W32(coupon, 0, 100),
	W32(conversion, 0, 100),
	W32(refund, 0, 100),
	C64(earn_half_fen, 1, 100000000),
	C64(sales_half, 1, 1000000000),
	C32(window_days, 1, 3650),
	C32(rarity_full_days, 1, 3650),
	C32(coupon_full_bps, 1, 10000),
	C32(conversion_half_bps, 1, 10000),
	C32(conversion_prior_bps, 0, 10000),
	C32(refund_zero_bps, 1, 10000),
	C32(refund_prior_bps, 0, 10000),
	C32(shrink_orders, 1, 1000000),
	C32(shrink_clicks, 1, 100000000),
};
#define N_WFIELDS (sizeof(wfields) / sizeof(wfields[0]))

static int64_t wget(const struct catalog_weights *w, const struct wfield *f)
{
	const char *base = (const char *)w;
	if (f->wide) {
		int64_t v;
		memcpy(&v, base + f->off, sizeof(v));
		return v;
	}
	int32_t v;
	memcpy(&v, base + f->off, sizeof(v));
	return v;
}

static void wset(struct catalog_weights *w, const struct wfield *f, int64_t v)
{
	char *base = (char *)w;
	if (f->wide) {
		memcpy(base + f->off, &v, sizeof(v));
	} else {
		int32_t x = (int32_t)v;
		memcpy(base + f->off, &x, sizeof(x));
	}
}

enum tk_rc catalog_weights_validate(const struct catalog_weights *w, struct tk_error *err)
{
	int64_t sum = 0;
	for (size_t i = 0; i < N_WFIELDS; i++) {
		int64_t v = wget(w, &wfields[i]);
		if (v < wfields[i].min || v > wfields[i].max)
			return tk_fail(err, TK_EINVAL, wfields[i].name, "must be %lld..%lld, got %lld",
				       (long long)wfields[i].min, (long long)wfields[i].max,
				       (long long)v);
		if (i < TERM_COUNT)
			sum += v;
	}
	if (sum == 0)
		return tk_fail(err, TK_EINVAL, "weights", "at least one weight must be above 0");
	return TK_OK;
}

enum tk_rc catalog_weights_parse(const char *json, size_t len, struct catalog_weights *w,
				 struct tk_error *err)
{
	json_error_t jerr;
	enum tk_rc rc = TK_OK;
	struct catalog_weights nw = *w;
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return tk_fail(err, TK_EINVAL, "", "not valid JSON (line %d column %d: %s)",
			       jerr.line, jerr.column, jerr.text);
	if (!json_is_object(o)) {
		rc = tk_fail(err, TK_EINVAL, "", "weights must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		size_t i;
		for (i = 0; i < N_WFIELDS; i++)
			if (strcmp(wfields[i].name, key) == 0)
				break;
		if (i == N_WFIELDS) {
			rc = tk_fail(err, TK_EINVAL, "", "\"%.48s\" is not a score setting "
				     "(see docs/catalog.md)", key);
			goto out;
		}
		if (!json_is_integer(v)) {
			rc = tk_fail(err, TK_EINVAL, wfields[i].name, "must be an integer");
			goto out;
		}
		int64_t x = (int64_t)json_integer_value(v);
		if (x < wfields[i].min || x > wfields[i].max) {
			rc = tk_fail(err, TK_EINVAL, wfields[i].name, "must be %lld..%lld, got %lld",
				     (long long)wfields[i].min, (long long)wfields[i].max,
				     (long long)x);
			goto out;
		}
		wset(&nw, &wfields[i], x);
	}
	if ((rc = catalog_weights_validate(&nw, err)))
		goto out;
	*w = nw;
out:
	json_decref(o);
	return rc;
}

/* ---- the score ---- */

/* 1000 * x / (x + half): 0 at 0, 500 at `half`, approaching 1000. */
static int32_t saturate(int64_t x, int64_t half)
{
	if (x <= 0)
		return 0;
	if (x > INT64_C(1000000000000000))
		x = INT64_C(1000000000000000);
	return (int32_t)(x * 1000 / (x + half));
}

static void reason(struct catalog_score *s, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reason(struct catalog_score *s, const char *code, const char *fmt, ...)
{
	s->reason_dropped = s->n_reasons == CATALOG_REASONS_MAX;
	if (s->reason_dropped)
		return;
	struct catalog_reason *r = &s->reasons[s->n_reasons++];
	snprintf(r->code, sizeof(r->code), "%s", code);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
}

/* Adds a named value to the last reason (one past the room is dropped). */
static void param(struct catalog_score *s, const char *name, int64_t v)
{
	if (s->n_reasons == 0 || s->reason_dropped)
		return;
	struct catalog_reason *r = &s->reasons[s->n_reasons - 1];
	if (r->n_params == CATALOG_REASON_PARAMS)
		return;
	struct catalog_reason_param *p = &r->params[r->n_params++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->num = v;
}

static void param_str(struct catalog_score *s, const char *name, const char *v)
{
	if (s->n_reasons == 0 || s->reason_dropped)
		return;
	struct catalog_reason *r = &s->reasons[s->n_reasons - 1];
	if (r->n_params == CATALOG_REASON_PARAMS)
		return;
	struct catalog_reason_param *p = &r->params[r->n_params++];
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->str, sizeof(p->str), "%s", v);
}

/* "12.3%" from basis points. */
static const char *pct(int32_t bps, char *buf, size_t size)
{
	snprintf(buf, size, "%d.%d%%", bps / 100, (bps % 100) / 10);
	return buf;
}

/* Shrinks a rate measured on n events toward a prior: with k events of
 * evidence the measurement counts half.  All in basis points. */
static int32_t shrink(int64_t hits, int64_t n, int64_t prior_bps, int64_t k)
{
	if (n <= 0)
		return (int32_t)prior_bps;
	if (hits > n)
		hits = n;
	return (int32_t)((hits * BPS_ONE + prior_bps * k) / (n + k));
}

static void price_terms(const struct catalog_score_input *in, const struct catalog_weights *w,
			struct catalog_score *s)
{
	const struct catalog_history_summary *h = in->history;
	char a[MONEY_YUAN_BUF];

	if (h->window_high > h->window_low)
		s->value[TERM_PRICE_POSITION] =
			(int32_t)((h->window_high - h->current) * 1000 /
				  (h->window_high - h->window_low));
	else
		s->value[TERM_PRICE_POSITION] = 500; /* no movement: neither deal nor not */
	int64_t rd = h->rarity_days < w->rarity_full_days ? h->rarity_days : w->rarity_full_days;
	s->value[TERM_PRICE_RARITY] = (int32_t)(rd * 1000 / w->rarity_full_days);

	if (h->n_points == 0 || (h->window_high == h->window_low && h->tracked_days == 0)) {
		reason(s, "new_price", "price %s, no history yet", money_format_yuan(h->current, a));
		param(s, "price_fen", h->current);
	} else if (h->window_high == h->window_low) {
		int64_t days = h->tracked_days < h->window_days ? h->tracked_days : h->window_days;
		reason(s, "steady_price", "price %s unchanged for %lld days",
		       money_format_yuan(h->current, a), (long long)days);
		param(s, "price_fen", h->current);
		param(s, "days", days);
	} else if (h->at_window_low && h->tracked_days >= h->window_days) {
		reason(s, "lowest_window", "lowest price in %d days", (int)h->window_days);
		param(s, "days", h->window_days);
	} else if (h->at_window_low) {
		reason(s, "lowest_tracked", "lowest price since tracking began %lld days ago",
		       (long long)h->tracked_days);
		param(s, "days", h->tracked_days);
	} else {
		int64_t over = (h->current - h->window_low) * 1000 / (h->window_low ? h->window_low : 1);
		reason(s, "above_low", "price %lld.%lld%% above its %d-day low of %s",
		       (long long)(over / 10), (long long)(over % 10), (int)h->window_days,
		       money_format_yuan(h->window_low, a));
		param(s, "above_bps", over * 10);
		param(s, "days", h->window_days);
		param(s, "low_fen", h->window_low);
	}
	if (h->rarity_days >= 7 && h->n_points > 0)
		reason(s, "rare_price", h->never_this_low ? "never this low before (%lld days tracked)"
							   : "first time this low in %lld days",
		       (long long)h->rarity_days);
	if (h->rarity_days >= 7 && h->n_points > 0) {
		param(s, "days", h->rarity_days);
		param(s, "never", h->never_this_low ? 1 : 0);
	}
}

void catalog_score(const struct catalog_score_input *in, const struct catalog_weights *w,
		   struct catalog_score *out)
{
	const struct catalog_product *p = in->p;
	char a[MONEY_YUAN_BUF], b[MONEY_YUAN_BUF], r1[16];
	struct catalog_score *s = out;

	memset(s, 0, sizeof(*s));
	s->final_price = catalog_final_price(p, in->now);
	s->earn = catalog_commission_per_unit(p, in->now);

	/* what the promoter earns per unit */
	s->value[TERM_EARN] = saturate(s->earn, w->earn_half_fen);
	reason(s, "commission", "commission %s per unit (%s of %s)", money_format_yuan(s->earn, a),
	       pct(p->commission_bps, r1, sizeof(r1)), money_format_yuan(s->final_price, b));
	param(s, "earn_fen", s->earn);
	param(s, "rate_bps", p->commission_bps);
	param(s, "price_fen", s->final_price);

	price_terms(in, w, s);

	/* sales velocity: the union's 30-day sales */
	s->value[TERM_SALES] = saturate(p->sales, w->sales_half);
	if (p->sales >= 30) {
		reason(s, "sales", "sells %lld a day (%lld in 30 days)", (long long)(p->sales / 30),
		       (long long)p->sales);
		param(s, "per_day", p->sales / 30);
	} else {
		reason(s, "slow_sales", "only %lld sold in 30 days", (long long)p->sales);
	}
	param(s, "sold", p->sales);

	/* coupon valid now */
	if (catalog_coupon_valid(p, in->now)) {
		int64_t share = p->price > 0 ? p->coupon * BPS_ONE / p->price : 0;
		if (share > w->coupon_full_bps)
			share = w->coupon_full_bps;
		s->value[TERM_COUPON] = (int32_t)(500 + 500 * share / w->coupon_full_bps);
		if (p->coupon_end) {
			char d[16];
			int64_t left = p->coupon_end - in->now;
			if (left < CATALOG_DAY) {
				reason(s, "coupon", "coupon %s off, ends in %lld hours",
				       money_format_yuan(p->coupon, a), (long long)(left / 3600));
				param(s, "hours", left / 3600);
			} else {
				reason(s, "coupon", "coupon %s off until %s",
				       money_format_yuan(p->coupon, a),
				       tktime_format_date(p->coupon_end, TKTIME_BEIJING_OFFSET, d));
				param_str(s, "until", d);
			}
		} else {
			reason(s, "coupon", "coupon %s off", money_format_yuan(p->coupon, a));
		}
		param(s, "coupon_fen", p->coupon);
	} else {
		s->value[TERM_COUPON] = 0;
		reason(s, "no_coupon", p->coupon > 0 ? "coupon not valid now" : "no coupon");
		param(s, "expired", p->coupon > 0 ? 1 : 0);
	}

	/* the team's clicks -> orders conversion: category shrunk toward the
	 * prior, the product toward its category; no clicks = the prior */
	int32_t conv_cat = shrink(in->category.orders, in->category.clicks, w->conversion_prior_bps,
				  w->shrink_clicks);
	int32_t conv = shrink(in->product.orders, in->product.clicks, conv_cat, w->shrink_clicks);
	s->conversion_bps = conv;
	s->conversion_known = in->product.clicks > 0 || in->category.clicks > 0;
	s->value[TERM_CONVERSION] = saturate(conv, w->conversion_half_bps);
	if (s->conversion_known)
		reason(s, "conversion", "team conversion %s (%lld orders / %lld clicks)",
		       pct(conv, r1, sizeof(r1)), (long long)in->product.orders,
		       (long long)in->product.clicks);
	if (s->conversion_known) {
		param(s, "conversion_bps", conv);
		param(s, "orders", in->product.orders);
		param(s, "clicks", in->product.clicks);
	}

	/* the team's refund rate, shrunk the same way */
	int32_t ref_cat = shrink(in->category.refunds, in->category.orders, w->refund_prior_bps,
				 w->shrink_orders);
	int32_t ref = shrink(in->product.refunds, in->product.orders, ref_cat, w->shrink_orders);
	s->refund_bps = ref;
	s->refund_known = in->product.orders > 0 || in->category.orders > 0;
	s->value[TERM_REFUND] = ref >= w->refund_zero_bps
		? 0 : (int32_t)((int64_t)(w->refund_zero_bps - ref) * 1000 / w->refund_zero_bps);
	if (in->product.orders > 0) {
		reason(s, ref > w->refund_prior_bps ? "refunds_high" : "refunds",
		       "team refund rate %s (%lld of %lld orders)", pct(ref, r1, sizeof(r1)),
		       (long long)in->product.refunds, (long long)in->product.orders);
		param(s, "refund_bps", ref);
		param(s, "refunds", in->product.refunds);
		param(s, "orders", in->product.orders);
	} else if (in->category.orders > 0) {
		reason(s, "category_refunds", "no team orders yet; category refund rate %s",
		       pct(ref_cat, r1, sizeof(r1)));
		param(s, "refund_bps", ref_cat);
	}

	/* The total is the sum of the contributions, so that they add up. */
	const int32_t wt[TERM_COUNT] = {
		w->w_earn, w->w_price_position, w->w_price_rarity, w->w_sales, w->w_coupon,
		w->w_conversion, w->w_refund,
	};
	int64_t sum = 0;
	for (int t = 0; t < TERM_COUNT; t++)
		sum += wt[t];
	for (int t = 0; t < TERM_COUNT; t++) {
		s->contribution[t] = sum > 0 ? (int32_t)((int64_t)wt[t] * s->value[t] * 10 / sum) : 0;
		s->total += s->contribution[t];
	}
}

int catalog_score_cmp(const struct catalog_score *a, int64_t a_id, const struct catalog_score *b,
		      int64_t b_id)
{
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if (a->earn != b->earn)
		return a->earn > b->earn ? -1 : 1;
	if (a->final_price != b->final_price)
		return a->final_price < b->final_price ? -1 : 1;
	return a_id < b_id ? -1 : a_id > b_id;
}

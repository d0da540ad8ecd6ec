/* test_catalog_score.c — price history summaries (lowest price detection)
 * and the worth-pushing score's ordering on constructed cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_score.h"

#define DAY CATALOG_DAY
static const int64_t T0 = INT64_C(1790000000); /* some day in 2026 */

static struct catalog_price_point pt(int day, int64_t final)
{
	struct catalog_price_point p = {T0 + (int64_t)day * DAY, final, final, 0};
	return p;
}

static void test_history_empty(void **state)
{
	(void)state;
	struct catalog_history_summary h;
	catalog_history_summarize(NULL, 0, 1000, T0, 90, &h);
	assert_int_equal(h.lowest, 1000);
	assert_int_equal(h.highest, 1000);
	assert_int_equal(h.tracked_days, 0);
	assert_int_equal(h.rarity_days, 0);
	assert_true(h.at_window_low);
}

static void test_history_new_low(void **state)
{
	(void)state;
	/* 20.00 for 80 days, then down to 15.00 ten days ago */
	struct catalog_price_point pts[] = {pt(0, 2000), pt(80, 1500)};
	struct catalog_history_summary h;
	catalog_history_summarize(pts, 2, 1500, T0 + 90 * DAY, 90, &h);
	assert_int_equal(h.lowest, 1500);
	assert_int_equal(h.highest, 2000);
	assert_int_equal(h.current, 1500);
	assert_true(h.at_lowest);
	assert_true(h.at_window_low);
	assert_int_equal(h.window_low, 1500);
	assert_int_equal(h.window_high, 2000);
	assert_int_equal(h.tracked_days, 90);
	assert_int_equal(h.run_start, T0 + 80 * DAY);
	assert_true(h.never_this_low);
	assert_int_equal(h.rarity_days, 80);
	assert_int_equal(h.lowest_last_at, T0 + 90 * DAY);
}

static void test_history_back_to_low(void **state)
{
	(void)state;
	/* 15.00 for 30 days, 20.00 for 30 days, then 15.00 again today (the
	 * coupon came back after the last import: current differs from the
	 * last point) */
	struct catalog_price_point pts[] = {pt(0, 2000), pt(30, 1500), pt(60, 2000)};
	struct catalog_history_summary h;
	catalog_history_summarize(pts, 3, 1500, T0 + 90 * DAY, 90, &h);
	assert_true(h.at_window_low);
	assert_false(h.never_this_low);
	assert_int_equal(h.run_start, T0 + 90 * DAY);
	assert_int_equal(h.rarity_days, 30); /* above 15.00 from day 60 to day 90 */
}

static void test_history_above_low(void **state)
{
	(void)state;
	struct catalog_price_point pts[] = {pt(0, 1000), pt(10, 2000)};
	struct catalog_history_summary h;
	catalog_history_summarize(pts, 2, 2000, T0 + 90 * DAY, 90, &h);
	assert_false(h.at_window_low);
	assert_false(h.at_lowest);
	assert_int_equal(h.window_low, 1000);
	assert_int_equal(h.lowest_last_at, T0 + 10 * DAY); /* 10.00 held until day 10 */
	assert_int_equal(h.rarity_days, 0);

	/* the low fell out of the 90-day window */
	catalog_history_summarize(pts, 2, 2000, T0 + 200 * DAY, 90, &h);
	assert_int_equal(h.window_low, 2000);
	assert_true(h.at_window_low);
	assert_false(h.at_lowest);
	assert_int_equal(h.lowest, 1000);
}

static void test_history_future_ignored(void **state)
{
	(void)state;
	struct catalog_price_point pts[] = {pt(0, 1000), pt(100, 500)};
	struct catalog_history_summary h;
	catalog_history_summarize(pts, 2, 1000, T0 + 50 * DAY, 90, &h);
	assert_int_equal(h.n_points, 1);
	assert_int_equal(h.lowest, 1000);
}

/* ---- the score ---- */

struct scase {
	struct catalog_product p;
	struct catalog_price_point pts[4];
	int n;
	struct catalog_team_stats tp, tc;
	struct catalog_history_summary h;
	struct catalog_score s;
};

static const int64_t NOW = T0 + 90 * DAY;

static void base(struct scase *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->p.union_, sizeof(c->p.union_), "jd");
	snprintf(c->p.product, sizeof(c->p.product), "1");
	snprintf(c->p.title, sizeof(c->p.title), "洗发水");
	c->p.price = 10000;
	c->p.commission_bps = 2000;
	c->p.sales = 3000;
	c->pts[0] = pt(0, 10000);
	c->n = 1;
}

static int32_t score(struct scase *c, const struct catalog_weights *w)
{
	catalog_history_summarize(c->pts, c->n, catalog_final_price(&c->p, NOW), NOW,
				  w->window_days, &c->h);
	struct catalog_score_input in = {&c->p, NOW, &c->h, c->tp, c->tc};
	catalog_score(&in, w, &c->s);
	int32_t sum = 0;
	for (int t = 0; t < TERM_COUNT; t++) {
		assert_true(c->s.value[t] >= 0 && c->s.value[t] <= 1000);
		sum += c->s.contribution[t];
	}
	assert_int_equal(sum, c->s.total);
	assert_true(c->s.total >= 0 && c->s.total <= 10000);
	return c->s.total;
}

static bool has_reason(const struct catalog_score *s, const char *text)
{
	for (int i = 0; i < s->n_reasons; i++)
		if (strstr(s->reasons[i].text, text))
			return true;
	return false;
}

static void test_score_commission(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase a, b;
	base(&a);
	base(&b);
	b.p.commission_bps = 1850; /* 18.50 per unit on 100.00 */
	a.p.commission_bps = 3000;
	assert_true(score(&a, w) > score(&b, w));
	assert_true(has_reason(&b.s, "commission 18.50 per unit"));
	assert_int_equal(b.s.earn, 1850);
}

static void test_score_lowest_price(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase low, high;
	base(&low);
	base(&high);
	/* same price now (80.00); one is at its 90-day low, one came down
	 * from nothing and went back up */
	low.p.price = 8000;
	low.pts[0] = pt(0, 10000);
	low.pts[1] = pt(60, 8000);
	low.n = 2;
	high.p.price = 8000;
	high.pts[0] = pt(0, 6000);
	high.pts[1] = pt(60, 8000);
	high.n = 2;
	assert_true(score(&low, w) > score(&high, w));
	assert_true(has_reason(&low.s, "lowest price in 90 days"));
	assert_true(has_reason(&high.s, "above its 90-day low of 60.00"));
	assert_int_equal(low.s.value[TERM_PRICE_POSITION], 1000);
	assert_int_equal(high.s.value[TERM_PRICE_POSITION], 0);
}

static void test_score_coupon(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase valid, expired;
	base(&valid);
	base(&expired);
	valid.p.coupon = expired.p.coupon = 2000;
	valid.p.coupon_end = NOW + DAY * 3;
	expired.p.coupon_end = NOW - 1;
	/* make the price terms equal: both histories at today's price */
	valid.pts[0] = pt(0, 8000);
	assert_true(score(&valid, w) > score(&expired, w));
	assert_int_equal(expired.s.value[TERM_COUPON], 0);
	assert_true(valid.s.value[TERM_COUPON] > 500);
	assert_true(has_reason(&valid.s, "coupon 20.00 off"));
	assert_true(has_reason(&expired.s, "coupon not valid now"));
}

static void test_score_sales(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase fast, slow;
	base(&fast);
	base(&slow);
	fast.p.sales = 9000;
	slow.p.sales = 10;
	assert_true(score(&fast, w) > score(&slow, w));
	assert_true(has_reason(&fast.s, "sells 300 a day"));
}

static void test_score_team_neutral_without_data(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase a, b;
	base(&a);
	base(&b);
	b.p.commission_bps = 100;
	score(&a, w);
	score(&b, w);
	/* no clicks and no orders: the team terms are the same for every
	 * product, so they cannot reorder them */
	assert_int_equal(a.s.value[TERM_CONVERSION], b.s.value[TERM_CONVERSION]);
	assert_int_equal(a.s.value[TERM_REFUND], b.s.value[TERM_REFUND]);
	assert_false(a.s.conversion_known);
	assert_false(a.s.refund_known);
	/* orders without clicks do not move the conversion term */
	b.tp.orders = 50;
	score(&b, w);
	assert_int_equal(a.s.value[TERM_CONVERSION], b.s.value[TERM_CONVERSION]);
}

static void test_score_refunds(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase good, bad;
	base(&good);
	base(&bad);
	good.tp.orders = bad.tp.orders = 40;
	bad.tp.refunds = 12;
	assert_true(score(&good, w) > score(&bad, w));
	assert_true(bad.s.refund_bps > good.s.refund_bps);
	assert_true(has_reason(&bad.s, "team refund rate"));
	/* few orders count little: 1 refund of 2 orders is not 50% */
	struct scase few;
	base(&few);
	few.tp.orders = 2;
	few.tp.refunds = 1;
	score(&few, w);
	assert_true(few.s.refund_bps < 2000);
	/* a category's refunds move a product without orders of its own */
	struct scase cat;
	base(&cat);
	cat.tc.orders = 1000;
	cat.tc.refunds = 300;
	score(&cat, w);
	score(&good, w);
	assert_true(cat.s.refund_bps > catalog_weights_default.refund_prior_bps);
}

static void test_score_conversion(void **state)
{
	(void)state;
	const struct catalog_weights *w = &catalog_weights_default;
	struct scase hi, lo;
	base(&hi);
	base(&lo);
	hi.tp.clicks = lo.tp.clicks = 2000;
	hi.tp.orders = 200;
	lo.tp.orders = 4;
	assert_true(score(&hi, w) > score(&lo, w));
	assert_true(hi.s.conversion_known);
	assert_true(has_reason(&hi.s, "team conversion"));
}

static void test_score_weights(void **state)
{
	(void)state;
	struct catalog_weights w = catalog_weights_default;
	struct tk_error err = {0};
	const char *only_sales = "{\"earn\":0,\"price_position\":0,\"price_rarity\":0,"
				 "\"coupon\":0,\"conversion\":0,\"refund\":0,\"sales\":100}";
	assert_int_equal(catalog_weights_parse(only_sales, strlen(only_sales), &w, &err), TK_OK);
	struct scase rich, popular;
	base(&rich);
	base(&popular);
	rich.p.commission_bps = 5000;
	popular.p.sales = 9000;
	assert_true(score(&popular, &w) > score(&rich, &w));
	/* with only sales weighted, the total is the sales term scaled */
	assert_int_equal(popular.s.total, popular.s.value[TERM_SALES] * 10);

	w = catalog_weights_default;
	assert_int_equal(catalog_weights_parse("{\"earn\":101}", 12, &w, &err), TK_EINVAL);
	assert_string_equal(err.field, "earn");
	assert_int_equal(w.w_earn, catalog_weights_default.w_earn); /* unchanged on error */
	assert_int_equal(catalog_weights_parse("{\"bogus\":1}", 11, &w, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "bogus"));
	const char *zero = "{\"earn\":0,\"price_position\":0,\"price_rarity\":0,\"sales\":0,"
			   "\"coupon\":0,\"conversion\":0,\"refund\":0}";
	assert_int_equal(catalog_weights_parse(zero, strlen(zero), &w, &err), TK_EINVAL);
	assert_int_equal(catalog_weights_parse("{\"window_days\":0}", 17, &w, &err), TK_EINVAL);
	assert_int_equal(catalog_weights_validate(&catalog_weights_default, &err), TK_OK);
	/* the defaults sum to 100 points */
	const struct catalog_weights *d = &catalog_weights_default;
	assert_int_equal(d->w_earn + d->w_price_position + d->w_price_rarity + d->w_sales +
				 d->w_coupon + d->w_conversion + d->w_refund,
			 100);
}

static void test_score_cmp(void **state)
{
	(void)state;
	struct catalog_score a = {0}, b = {0};
	a.total = b.total = 5000;
	a.earn = 100;
	b.earn = 200;
	assert_true(catalog_score_cmp(&a, 1, &b, 2) > 0);
	b.earn = 100;
	a.final_price = 900;
	b.final_price = 1000;
	assert_true(catalog_score_cmp(&a, 1, &b, 2) < 0);
	b.final_price = 900;
	assert_true(catalog_score_cmp(&a, 1, &b, 2) < 0);
	assert_int_equal(catalog_score_cmp(&a, 1, &a, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_empty),
		cmocka_unit_test(test_history_new_low),
		cmocka_unit_test(test_history_back_to_low),
		cmocka_unit_test(test_history_above_low),
		cmocka_unit_test(test_history_future_ignored),
		cmocka_unit_test(test_score_commission),
		cmocka_unit_test(test_score_lowest_price),
		cmocka_unit_test(test_score_coupon),
		cmocka_unit_test(test_score_sales),
		cmocka_unit_test(test_score_team_neutral_without_data),
		cmocka_unit_test(test_score_refunds),
		cmocka_unit_test(test_score_conversion),
		cmocka_unit_test(test_score_weights),
		cmocka_unit_test(test_score_cmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

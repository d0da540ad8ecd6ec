/* test_channel_match.c — the channel ranking for a campaign product, worked
 * out by hand on a constructed history: a strong pet channel, a weak one, a
 * brushed one that leads on raw sales but carries the marks of brushing, a
 * new one without history and a paused one; and the reverse (the products
 * that suit one channel), the price band and the category list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/channel_match.h"

/* The product: pet food at 50 yuan (5000 fen) on JD: the band is
 * 25..100 yuan a unit. */
static const struct cm_product pet = {
	.id = 7, .category = "pet", .price = 5000, .union_ = "jd", .service_pm = 50};

static struct cm_figures fig(int64_t id, const char *state)
{
	struct cm_figures f;
	memset(&f, 0, sizeof(f));
	f.id = id;
	snprintf(f.state, sizeof(f.state), "%s", state);
	f.has_union_id = true;
	return f;
}

/* 1 PetTeam: declared pet; 40 placed, 38 paid, 30 in pet (1,500 yuan),
 * 25 in the band, 2 refunded; buyers spread, few fast orders.
 *   points 30*10 + 25*5 + 100 = 525
 *   conversion 38*1000/40 = 950 ‰ -> 525*950/1000 = 498 (498.75)
 *   kept (38-2)*1000/38 = 947 ‰ -> 498*947/1000 = 471 (471.6)  => 471 */
static struct cm_figures strong(int64_t id, const char *state)
{
	struct cm_figures f = fig(id, state);
	f.declared = true;
	f.orders = 40, f.paid = 38, f.gmv = 190000;
	f.cat_orders = 30, f.cat_gmv = 150000, f.band_orders = 25, f.band_gmv = 125000;
	f.refunded = 2, f.buyer_orders = 38, f.top3 = 6, f.timed = 30, f.fast = 2;
	f.refund_day_max = 1, f.hour_max = 4;
	return f;
}

/* 2 SmallGuide: not declared; 10 placed, 6 paid, 3 in pet, 4 in band,
 * 1 refunded; 6 buyer orders, 4 of them from three buyers (too few orders
 * to judge: no flag).
 *   points 3*10 + 4*5 = 50; conversion 600 ‰ -> 30;
 *   kept 5*1000/6 = 833 ‰ -> 30*833/1000 = 24 (24.99)  => 24 */
static struct cm_figures weak(void)
{
	struct cm_figures f = fig(2, "active");
	f.orders = 10, f.paid = 6, f.gmv = 30000;
	f.cat_orders = 3, f.cat_gmv = 15000, f.band_orders = 4, f.band_gmv = 20000;
	f.refunded = 1, f.buyer_orders = 6, f.top3 = 4, f.refund_day_max = 1, f.hour_max = 2;
	return f;
}

/* 3 HotAnchor: declared pet and the most sales (180 pet orders, 9,000
 * yuan), but: 120 of 190 buyer orders from three buyers (631 ‰ > 500),
 * 90 of 150 timed orders within 15 s of the click (600 ‰ > 300), 30 of
 * its 40 refunds on one day (750 ‰ > 500), and 300,000 yuan of slot fees
 * for 30,000 yuan of sales (< 3×).  The busiest hour holds 50 of 200
 * (250 ‰ <= 400: no burst).
 *   points 180*10 + 170*5 + 100 = 2750; conversion 950 ‰ -> 2612 (2612.5)
 *   kept 150*1000/190 = 789 ‰ -> 2612*789/1000 = 2060 (2060.9) — first on
 *   raw sales — then four marks: 2060/4 = 515, /4 = 128, /4 = 32, /4 = 8 */
static struct cm_figures brushed(void)
{
	struct cm_figures f = fig(3, "active");
	f.declared = true;
	f.orders = 200, f.paid = 190, f.gmv = 950000;
	f.cat_orders = 180, f.cat_gmv = 900000, f.band_orders = 170, f.band_gmv = 850000;
	f.refunded = 40, f.buyer_orders = 190, f.top3 = 120, f.timed = 150, f.fast = 90;
	f.refund_day_max = 30, f.hour_max = 50, f.slot_fen = 30000000, f.slot_gmv = 3000000;
	return f;
}

/* 4 NewZhihu: declared pet, no orders, no JD id: 100 points (declared). */
static struct cm_figures fresh(void)
{
	struct cm_figures f = fig(4, "active");
	f.declared = true;
	f.has_union_id = false;
	return f;
}

static const struct cm_reason *reason(const struct cm_ranked *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->r[i].key, key) == 0)
			return &r->r[i];
	return NULL;
}

static int64_t param(const struct cm_reason *x, const char *name)
{
	assert_non_null(x);
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->p[i].name, name) == 0)
			return x->p[i].v;
	fail_msg("no param %s in %s", name, x->key);
	return -1;
}

static void test_scores_by_hand(void **state)
{
	(void)state;
	struct cm_ranked r;
	struct cm_figures f = strong(1, "active");
	cm_score(&pet, &f, &r);
	assert_int_equal(r.score, 471);
	assert_int_equal(r.flags, 0);
	assert_int_equal(param(reason(&r, "match.category_sales"), "orders"), 30);
	assert_int_equal(param(reason(&r, "match.category_sales"), "gmv_fen"), 150000);
	assert_int_equal(param(reason(&r, "match.price_band"), "orders"), 25);
	assert_int_equal(param(reason(&r, "match.conversion"), "paid"), 38);
	assert_int_equal(param(reason(&r, "match.conversion"), "placed"), 40);
	assert_int_equal(param(reason(&r, "match.refund_rate"), "refunded"), 2);
	assert_non_null(reason(&r, "match.declared_category"));

	f = weak();
	cm_score(&pet, &f, &r);
	assert_int_equal(r.score, 24);
	assert_null(reason(&r, "flag.few_buyers")); /* 6 buyer orders: too few to judge */
	assert_null(reason(&r, "match.declared_category"));

	f = brushed();
	cm_score(&pet, &f, &r);
	assert_int_equal(r.score, 8);
	assert_int_equal(r.flags, 4);
	assert_int_equal(param(reason(&r, "flag.few_buyers"), "top3_share_permille"), 631);
	assert_int_equal(param(reason(&r, "flag.fast_orders"), "fast"), 90);
	assert_int_equal(param(reason(&r, "flag.fast_orders"), "seconds"), 15);
	assert_int_equal(param(reason(&r, "flag.refund_spike"), "day_refunds"), 30);
	assert_int_equal(param(reason(&r, "flag.slot_roi"), "slot_fen"), 30000000);
	assert_int_equal(param(reason(&r, "flag.slot_roi"), "gmv_fen"), 3000000);
	assert_null(reason(&r, "flag.burst"));
	/* the same figures without the marks would lead: 2060 */
	f.buyer_orders = 0, f.timed = 0, f.slot_fen = 0; /* nothing to judge by */
	f.refund_day_max = 20;                           /* 500 ‰: not above */
	cm_score(&pet, &f, &r);
	assert_int_equal(r.flags, 0);
	assert_int_equal(r.score, 2060);

	f = fresh();
	cm_score(&pet, &f, &r);
	assert_int_equal(r.score, 100);
	assert_non_null(reason(&r, "match.no_history"));
	assert_non_null(reason(&r, "match.no_union_id"));
}

static void test_rank_order(void **state)
{
	(void)state;
	struct cm_figures f[] = {brushed(), strong(5, "paused"), fresh(), weak(), strong(1, "active")};
	struct cm_ranked r[5];
	cm_rank(&pet, f, 5, r);
	/* 471, 100, 24, 8, then the paused one whatever its score */
	int64_t ids[] = {1, 4, 2, 3, 5};
	for (int i = 0; i < 5; i++)
		assert_int_equal(r[i].id, ids[i]);
	assert_true(r[4].paused);
	assert_int_equal(r[4].score, 471);
}

static void test_ties_by_id(void **state)
{
	(void)state;
	struct cm_figures f[] = {fresh(), fresh(), fresh()};
	f[0].id = 9, f[1].id = 3, f[2].id = 6;
	struct cm_ranked r[3];
	cm_rank(&pet, f, 3, r);
	assert_int_equal(r[0].id, 3);
	assert_int_equal(r[1].id, 6);
	assert_int_equal(r[2].id, 9);
}

static void test_thresholds_edges(void **state)
{
	(void)state;
	struct cm_ranked r;
	struct cm_figures f = strong(1, "active");
	/* exactly half of 40 buyer orders from three buyers: not above 500 ‰ */
	f.buyer_orders = 40, f.top3 = 20;
	cm_score(&pet, &f, &r);
	assert_null(reason(&r, "flag.few_buyers"));
	f.top3 = 21; /* 525 ‰ */
	cm_score(&pet, &f, &r);
	assert_int_equal(param(reason(&r, "flag.few_buyers"), "top3_share_permille"), 525);
	assert_int_equal(r.score, 471 / 4);
	/* a burst: 20 of 40 orders in one hour (500 ‰) */
	f = strong(1, "active");
	f.hour_max = 20;
	cm_score(&pet, &f, &r);
	assert_int_equal(param(reason(&r, "flag.burst"), "hour_orders"), 20);
	/* a slot fee earned back three times: no mark */
	f = strong(1, "active");
	f.slot_fen = 1000, f.slot_gmv = 3000;
	cm_score(&pet, &f, &r);
	assert_null(reason(&r, "flag.slot_roi"));
	f.slot_gmv = 2999;
	cm_score(&pet, &f, &r);
	assert_non_null(reason(&r, "flag.slot_roi"));
	/* no price: no band points or reason (525 - 125 = 400 -> 380 -> 359) */
	struct cm_product free_price = pet;
	free_price.price = 0;
	f = strong(1, "active");
	cm_score(&free_price, &f, &r);
	assert_null(reason(&r, "match.price_band"));
	assert_int_equal(r.score, 359);
}

static void test_band_and_list(void **state)
{
	(void)state;
	assert_true(cm_in_band(5000, 2500, 1));
	assert_false(cm_in_band(5000, 2499, 1));
	assert_true(cm_in_band(5000, 20000, 2)); /* 100 yuan a unit */
	assert_false(cm_in_band(5000, 20001, 2));
	assert_false(cm_in_band(0, 100, 1));
	assert_true(cm_list_has("pet,猫粮,toys", "猫粮"));
	assert_true(cm_list_has("pet", "pet"));
	assert_false(cm_list_has("petfood,toys", "pet"));
	assert_false(cm_list_has("pet,toys", ""));
	assert_false(cm_list_has("", "pet"));
}

/* The channel's paid orders average 40 yuan a unit.
 *   10 pet 50 yuan, declared, 30 pet orders: 100 + 300 + 50 (band) + 5 = 455
 *   11 toys: neither declared nor sold: left out
 *   12 food 30 yuan, 2 food orders: 20 + 50 (40 in 15..60) + 10 = 80
 *    9 pet 500 yuan, declared, 30 orders: 100 + 300 + 0 (40 < 250) + 0 = 400 */
static void test_suits(void **state)
{
	(void)state;
	struct cm_candidate c[4];
	memset(c, 0, sizeof(c));
	c[0].p = (struct cm_product){.id = 9, .category = "pet", .price = 50000};
	c[0].declared = true, c[0].cat_orders = 30;
	c[1].p = (struct cm_product){.id = 10, .category = "pet", .price = 5000, .service_pm = 50};
	c[1].declared = true, c[1].cat_orders = 30, c[1].cat_gmv = 150000;
	c[2].p = (struct cm_product){.id = 11, .category = "toys", .price = 100000, .service_pm = 200};
	c[3].p = (struct cm_product){.id = 12, .category = "food", .price = 3000, .service_pm = 100};
	c[3].cat_orders = 2, c[3].cat_gmv = 6000;
	struct cm_suited s[4];
	size_t n = cm_suits(c, 4, 4000, s);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].id, 10);
	assert_int_equal(s[0].score, 455);
	assert_int_equal(s[1].id, 9);
	assert_int_equal(s[1].score, 400);
	assert_int_equal(s[2].id, 12);
	assert_int_equal(s[2].score, 80);
	assert_string_equal(s[0].r[2].key, "match.price_fit");
	assert_int_equal(s[0].r[2].p[0].v, 4000);
	assert_string_equal(s[0].r[3].key, "match.service_fee");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scores_by_hand),
		cmocka_unit_test(test_rank_order),
		cmocka_unit_test(test_ties_by_id),
		cmocka_unit_test(test_thresholds_edges),
		cmocka_unit_test(test_band_and_list),
		cmocka_unit_test(test_suits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_catalog_reasons.c — each score reason keeps its code and English
 * text and carries the text's values as named params (money in fen, rates
 * in bps, days, counts), so a page can say it in the reader's language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_score.h"

#define DAY CATALOG_DAY
static const int64_t T0 = INT64_C(1790000000);
static const int64_t NOW = INT64_C(1790000000) + 90 * CATALOG_DAY;

static const struct catalog_reason *find(const struct catalog_score *s, const char *code)
{
	for (int i = 0; i < s->n_reasons; i++)
		if (!strcmp(s->reasons[i].code, code))
			return &s->reasons[i];
	return NULL;
}

/* The param name of r: its number (fails the test when absent or a string). */
static int64_t num(const struct catalog_reason *r, const char *name)
{
	for (int i = 0; i < r->n_params; i++)
		if (!strcmp(r->params[i].name, name)) {
			assert_string_equal(r->params[i].str, "");
			return r->params[i].num;
		}
	fail_msg("reason %s has no param %s", r->code, name);
	return -1;
}

static void score_of(struct catalog_product *p, struct catalog_price_point *pts, int n,
		     struct catalog_score *s)
{
	struct catalog_history_summary h;
	const struct catalog_weights *w = &catalog_weights_default;
	catalog_history_summarize(pts, n, catalog_final_price(p, NOW), NOW, w->window_days, &h);
	struct catalog_team_stats none = {0};
	struct catalog_score_input in = {p, NOW, &h, none, none};
	catalog_score(&in, w, s);
}

static void steady_price_and_commission_carry_fen_and_days(void **state)
{
	(void)state;
	struct catalog_product p = {0};
	snprintf(p.union_, sizeof(p.union_), "jd");
	p.price = 129900; /* ¥1,299.00 */
	p.commission_bps = 1500;
	p.sales = 3000;
	struct catalog_price_point pts[] = {{T0 + 60 * DAY, 129900, 129900, 0}};
	struct catalog_score s;
	score_of(&p, pts, 1, &s);

	const struct catalog_reason *r = find(&s, "steady_price");
	assert_non_null(r);
	assert_non_null(strstr(r->text, "unchanged for 30 days")); /* the CLI's text stays */
	assert_int_equal(num(r, "price_fen"), 129900);
	assert_int_equal(num(r, "days"), 30);

	r = find(&s, "commission");
	assert_non_null(r);
	assert_int_equal(num(r, "earn_fen"), 19485);
	assert_int_equal(num(r, "rate_bps"), 1500);
	assert_int_equal(num(r, "price_fen"), 129900);

	r = find(&s, "sales");
	assert_non_null(r);
	assert_int_equal(num(r, "per_day"), 100);
	assert_int_equal(num(r, "sold"), 3000);

	r = find(&s, "no_coupon");
	assert_non_null(r);
	assert_int_equal(num(r, "expired"), 0);
}

static void coupon_until_is_a_date_and_low_is_fen(void **state)
{
	(void)state;
	struct catalog_product p = {0};
	snprintf(p.union_, sizeof(p.union_), "jd");
	p.price = 8000;
	p.coupon = 500;
	p.coupon_end = NOW + 3 * DAY;
	p.commission_bps = 2000;
	p.sales = 10;
	struct catalog_price_point pts[] = {{T0, 6000, 6000, 0}, {T0 + 60 * DAY, 7500, 7500, 0}};
	struct catalog_score s;
	score_of(&p, pts, 2, &s);

	const struct catalog_reason *r = find(&s, "coupon");
	assert_non_null(r);
	assert_int_equal(num(r, "coupon_fen"), 500);
	bool until = false;
	for (int i = 0; i < r->n_params; i++)
		if (!strcmp(r->params[i].name, "until")) {
			until = true;
			assert_int_equal(strlen(r->params[i].str), 10); /* YYYY-MM-DD */
		}
	assert_true(until);

	r = find(&s, "above_low");
	assert_non_null(r);
	assert_int_equal(num(r, "low_fen"), 6000);
	assert_int_equal(num(r, "above_bps"), 2500); /* 75.00 over 60.00 */
	assert_int_equal(num(r, "days"), 90);

	r = find(&s, "slow_sales");
	assert_non_null(r);
	assert_int_equal(num(r, "sold"), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steady_price_and_commission_carry_fen_and_days),
		cmocka_unit_test(coupon_until_is_a_date_and_low_is_fen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

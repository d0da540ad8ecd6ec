/* test_promo_rules.c — the head's registry rules: rates read exactly (an
 * integer per mille or a percentage with one decimal, "20.55" refused),
 * the campaign status machine, unions and JD campaign ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/promo_rules.h"

static int64_t rate(const char *s)
{
	int64_t pm = -1;
	return promo_rate_parse(s, &pm) ? pm : -1;
}

static void rates(void **state)
{
	(void)state;
	assert_int_equal(rate("205"), 205);
	assert_int_equal(rate("0"), 0);
	assert_int_equal(rate("1000"), 1000);
	assert_int_equal(rate("20.5"), 205);
	assert_int_equal(rate("20.5%"), 205);
	assert_int_equal(rate("20%"), 200);
	assert_int_equal(rate("20.50"), 205);
	assert_int_equal(rate("100.0"), 1000);
	assert_int_equal(rate("0.1"), 1);
	/* no exact per mille, or not a rate */
	assert_int_equal(rate("20.55"), -1);
	assert_int_equal(rate("20.05"), -1);
	assert_int_equal(rate("1001"), -1);
	assert_int_equal(rate("100.1"), -1);
	assert_int_equal(rate(""), -1);
	assert_int_equal(rate("."), -1);
	assert_int_equal(rate("20."), -1);
	assert_int_equal(rate(".5"), -1);
	assert_int_equal(rate("-1"), -1);
	assert_int_equal(rate("1e2"), -1);
	assert_int_equal(rate("20 "), -1);
	assert_int_equal(rate("99999999999999999999"), -1);
	assert_int_equal(rate("20.5000"), -1);
}

static void statuses(void **state)
{
	(void)state;
	assert_true(promo_status_move("pending", "approved"));
	assert_true(promo_status_move("pending", "rejected"));
	assert_true(promo_status_move("approved", "ended"));
	assert_true(promo_status_move("rejected", "pending"));
	assert_false(promo_status_move("approved", "pending"));
	assert_false(promo_status_move("ended", "approved"));
	assert_false(promo_status_move("pending", "ended"));
	assert_false(promo_status_move("pending", "pending"));
	assert_false(promo_status_move("rejected", "approved"));
	assert_true(promo_status_valid("ended"));
	assert_false(promo_status_valid("done"));
}

static void unions_and_ids(void **state)
{
	(void)state;
	assert_true(promo_union_valid("jd"));
	assert_true(promo_union_valid("pdd"));
	assert_false(promo_union_valid("own"));
	assert_true(promo_ext_id_valid("jd", "123456"));
	assert_false(promo_ext_id_valid("jd", "12a"));
	assert_true(promo_ext_id_valid("taobao", "ev-1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates),
		cmocka_unit_test(statuses),
		cmocka_unit_test(unions_and_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

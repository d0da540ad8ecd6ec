/* test_campaign_pick.c — which campaign a campaign order belongs to among
 * the candidates of its product: the window holding the paid time first
 * (the latest such), else the latest when the row named its campaign, else
 * none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/campaign_pick.h"

/* by promote_from descending, as the store gives them */
static const struct co_candidate c[] = {
	{.campaign = 3, .promote_from = 3000, .promote_to = 4000},
	{.campaign = 2, .promote_from = 1500, .promote_to = 2500},
	{.campaign = 1, .promote_from = 1000, .promote_to = 2000},
};

static void test_pick(void **state)
{
	(void)state;
	assert_int_equal(campaign_pick(c, 3, false, 1200), 2);
	assert_int_equal(campaign_pick(c, 3, false, 1800), 1); /* two hold it: the latest */
	assert_int_equal(campaign_pick(c, 3, false, 2000), 1);
	assert_int_equal(campaign_pick(c, 3, false, 3000), 0); /* the window's bounds hold */
	assert_int_equal(campaign_pick(c, 3, false, 4000), 0);
	assert_int_equal(campaign_pick(c, 3, false, 4001), -1); /* by window only: none */
	assert_int_equal(campaign_pick(c, 3, false, 2700), -1);
	assert_int_equal(campaign_pick(c, 3, true, 2700), 0); /* named: the latest */
	assert_int_equal(campaign_pick(c, 3, true, 1200), 2);
	assert_int_equal(campaign_pick(c, 0, true, 1200), -1);
	assert_int_equal(campaign_pick(c, 0, false, 1200), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_pick)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

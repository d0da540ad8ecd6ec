/* test_money_limits.c — amounts that cannot overflow: an item's money is
 * refused beyond ORDER_MONEY_MAX, the sums the engine keeps (balance
 * changes, report statistics) refuse to leave int64 instead of wrapping,
 * and a batch of items at the per-item maximum lands on exact balances,
 * statistics and totals (run under UndefinedBehaviorSanitizer, which
 * stops on any signed overflow). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/order.h"
#include "engine/engine.h"
#include "engine/rollup.h"
#include "engine/sum_map.h"
#include "fresh_db.h"

static struct order_row row_at(int64_t amount, int64_t commission)
{
	struct order_row r = {.kind = ORDER_ROW_STATE, .status = ST_PAID,
			      .modified_at = INT64_C(1790000000), .amount = amount,
			      .commission = commission, .quantity = 1};
	snprintf(r.union_, sizeof(r.union_), "jd");
	snprintf(r.item, sizeof(r.item), "J1-1");
	return r;
}

static void test_item_money_limits(void **state)
{
	(void)state;
	struct tk_error err;
	struct order_row r = row_at(ORDER_MONEY_MAX, ORDER_MONEY_MAX);
	assert_int_equal(order_row_validate(&r, &err), TK_OK);

	r = row_at(ORDER_MONEY_MAX + 1, 0);
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);
	assert_string_equal(err.field, "amount");
	r = row_at(0, ORDER_MONEY_MAX + 1);
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);
	assert_string_equal(err.field, "commission");
	/* the old limit, 10^14 fen, wrapped the platform's balance at 92,234 items */
	r = row_at(0, INT64_C(100000000000000));
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);

	r = row_at(0, 0);
	r.kind = ORDER_ROW_REFUND;
	r.refunded = ORDER_MONEY_MAX + 1;
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);
	assert_string_equal(err.field, "refunded");

	/* the arithmetic the limits rest on */
	assert_true(ORDER_ITEMS_TOTAL_MAX <= INT64_MAX / ORDER_MONEY_MAX / 8);
	assert_true(ORDER_ITEMS_TOTAL_MAX < (INT64_C(1) << 31)); /* the audit's item keys */
}

static void test_sum_map_checked(void **state)
{
	(void)state;
	struct sum_map m = {0};
	bool overflow;
	assert_true(sum_map_add_checked(&m, 7, INT64_MAX - 1, &overflow));
	assert_true(sum_map_add_checked(&m, 7, 1, &overflow));
	assert_false(sum_map_add_checked(&m, 7, 1, &overflow));
	assert_true(overflow);
	assert_int_equal(*sum_map_get(&m, 7), INT64_MAX); /* unchanged */
	assert_true(sum_map_add_checked(&m, 8, INT64_MIN + 1, &overflow));
	assert_false(sum_map_add_checked(&m, 8, -2, &overflow));
	assert_true(overflow);
	assert_int_equal(*sum_map_get(&m, 8), INT64_MIN + 1);
	sum_map_free(&m);
}

static void test_rollup_checked(void **state)
{
	(void)state;
	struct rollup r = {0};
	struct tk_error err;
	assert_int_equal(rollup_add(&r, 20000, DIM_TOTAL, "", STAT_GMV, INT64_MAX - 5, &err), TK_OK);
	assert_int_equal(rollup_add(&r, 20000, DIM_TOTAL, "", STAT_GMV, 5, &err), TK_OK);
	assert_int_equal(rollup_add(&r, 20000, DIM_TOTAL, "", STAT_GMV, 1, &err), TK_ELIMIT);
	assert_non_null(strstr(err.msg, "64-bit"));
	int64_t gmv = 0;
	for (uint64_t i = 0; i < r.n_slots; i++)
		if (r.slots[i].used)
			gmv = r.slots[i].v[STAT_GMV];
	assert_int_equal(gmv, INT64_MAX);
	rollup_free(&r);
}

static const char plan_json[] =
	"{\"name\":\"p\",\"mode\":\"differential\",\"max_tiers\":3,\"platform_min_bps\":1000,"
	"\"peer_bonus_bps\":500,\"tiers_bps\":[1000,500],\"hold_days\":0,"
	"\"levels\":[{\"key\":\"super\",\"rate_bps\":5000,\"can_share\":true},"
	"{\"key\":\"mentor\",\"rate_bps\":7000,\"can_share\":true}]}";

#define N_AT_MAX 3000

/* N_AT_MAX items at the per-item maximum, settled and released in one
 * batch: every balance, the statistics and the totals are exact sums. */
static void test_items_at_the_maximum(void **state)
{
	(void)state;
	char path[256];
	assert_true(test_db_fresh(path, sizeof(path)));
	struct engine *e;
	struct tk_error err;
	int64_t version;
	struct store *opened;
	assert_int_equal(store_open(path, NULL, &opened, &err), TK_OK);
	assert_int_equal(engine_open(opened, &e, &err), TK_OK);
	assert_int_equal(engine_plan_set(e, plan_json, strlen(plan_json), &version, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "gp", NULL, "mentor", "", NULL, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "p", "gp", "mentor", "", NULL, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "s", "p", "super", "", NULL, &err), TK_OK);

	assert_int_equal(engine_import_begin(e, &err), TK_OK);
	for (int i = 0; i < N_AT_MAX; i++) {
		struct order_row r = row_at(ORDER_MONEY_MAX, ORDER_MONEY_MAX);
		r.status = ST_SETTLED;
		r.paid_at = r.settled_at = r.modified_at;
		snprintf(r.item, sizeof(r.item), "J%d-1", i);
		snprintf(r.member, sizeof(r.member), "s");
		enum import_outcome out;
		assert_int_equal(engine_import_row(e, &r, &out, &err), TK_OK);
	}
	assert_int_equal(engine_import_commit(e, &err), TK_OK);
	int64_t items, fen;
	assert_int_equal(engine_settle(e, engine_now(), &items, &fen, &err), TK_OK);
	assert_int_equal(items, N_AT_MAX);

	/* s 50%, p 20% (differential), gp 5% (peer bonus), the platform 25% */
	const int64_t n = N_AT_MAX, c = ORDER_MONEY_MAX;
	struct balance b;
	assert_int_equal(engine_balance(e, "s", &b, &err), TK_OK);
	assert_int_equal(b.available, n * (c / 2));
	assert_int_equal(engine_balance(e, "gp", &b, &err), TK_OK);
	assert_int_equal(b.available, n * (c / 20));
	struct store *st = engine_store(e);
	int64_t v;
	assert_int_equal(st->ops->balance_get(st, ACCOUNT(0, ACCT_UNION), &v, &err), TK_OK);
	assert_int_equal(v, -n * c);
	assert_int_equal(st->ops->balance_get(st, ACCOUNT(0, ACCT_REVENUE), &v, &err), TK_OK);
	assert_int_equal(v, n * (c / 4));
	struct report_totals t;
	assert_int_equal(engine_report_totals(e, &t, &err), TK_OK);
	assert_int_equal(t.gmv, n * c);
	assert_int_equal(t.commission, n * c);
	assert_int_equal(t.platform_share, n * (c / 4));

	static struct audit_report rep;
	assert_int_equal(engine_audit(e, &rep, &err), TK_OK);
	if (rep.n_failed)
		fail_msg("audit: %s", rep.findings[0]);
	engine_close(e);
	test_db_remove(path);
}

int main(void)
{
	setenv("TUIKE_NOW", "2026-11-01T00:00:00+08:00", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_money_limits),
		cmocka_unit_test(test_sum_map_checked),
		cmocka_unit_test(test_rollup_checked),
		cmocka_unit_test(test_items_at_the_maximum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

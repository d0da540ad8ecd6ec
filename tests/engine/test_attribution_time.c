/* test_attribution_time.c — a buyer's binding when an order's time moves.
 * A row not yet paid is timed by its modification, a paid one by its
 * payment, so an order's time changes when it is paid (or modified again
 * unpaid); the buyer's earliest attributed order by the final times binds,
 * as if the rows had come in that order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "fresh_db.h"

#define T0 INT64_C(1793500000) /* 2026-11-01; times below are hours after it */
#define HOUR 3600

static char path[256];
static struct engine *e;

static int setup(void **state)
{
	(void)state;
	struct tk_error err = {0};
	int64_t version;
	const char *plan = "{\"name\":\"p\",\"mode\":\"differential\",\"max_tiers\":1,"
			   "\"platform_min_bps\":0,\"peer_bonus_bps\":0,\"tiers_bps\":[0,0],"
			   "\"hold_days\":0,\"levels\":[{\"key\":\"l0\",\"rate_bps\":5000,"
			   "\"can_share\":true}]}";
	assert_true(test_db_fresh(path, sizeof(path)));
	struct store *st;
	assert_int_equal(store_open(path, NULL, &st, &err), TK_OK);
	assert_int_equal(engine_open(st, &e, &err), TK_OK);
	assert_int_equal(engine_plan_set(e, plan, strlen(plan), &version, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "P", NULL, "l0", NULL, NULL, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "Q", NULL, "l0", NULL, NULL, &err), TK_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	engine_close(e);
	test_db_remove(path);
	return 0;
}

/* Imports one row of item `key`: unpaid when paid_at is 0, else paid. */
static void import(const char *key, const char *buyer, const char *member, int64_t paid_at,
		   int64_t modified_at)
{
	struct order_row r = {.kind = ORDER_ROW_STATE, .quantity = 1, .amount = 10000,
			      .commission = 1000};
	struct tk_error err = {0};
	enum import_outcome out;
	snprintf(r.union_, sizeof(r.union_), "jd");
	snprintf(r.item, sizeof(r.item), "%s", key);
	snprintf(r.order, sizeof(r.order), "O%s", key);
	snprintf(r.buyer, sizeof(r.buyer), "%s", buyer);
	snprintf(r.member, sizeof(r.member), "%s", member);
	r.status = paid_at ? ST_PAID : ST_UNPAID;
	r.paid_at = paid_at;
	r.modified_at = modified_at;
	assert_int_equal(engine_import_begin(e, &err), TK_OK);
	if (engine_import_row(e, &r, &out, &err))
		fail_msg("%s: %s %s", key, err.field, err.msg);
	assert_int_equal(engine_import_commit(e, &err), TK_OK);
}

/* The item's attribution and sharer ("" for nobody). */
static void expect(const char *key, enum attribution how, const char *sharer)
{
	static struct item_view v;
	struct tk_error err = {0};
	assert_int_equal(engine_order_show(e, "jd", key, &v, &err), TK_OK);
	const char *got = v.item.chain.n ? v.member_ext[0] : "";
	if (v.item.attribution != how || strcmp(got, sharer) != 0)
		fail_msg("%s: attribution %d to \"%s\", want %d to \"%s\"", key,
			 (int)v.item.attribution, got, (int)how, sharer);
}

static void audit_holds(void)
{
	static struct audit_report rep;
	struct tk_error err = {0};
	assert_int_equal(engine_audit(e, &rep, &err), TK_OK);
	if (rep.n_failed)
		fail_msg("audit: %s", rep.findings[0]);
}

/* An order first seen unpaid, then paid earlier than the order that bound
 * its buyer meanwhile: it binds now. */
static void test_paid_earlier_binds(void **state)
{
	(void)state;
	struct balance p, q;
	struct tk_error err = {0};
	import("A1", "x", "Q", 0, T0 + 12 * HOUR); /* unpaid at +12: binds x to Q */
	import("A2", "x", "P", T0 + 11 * HOUR, T0 + 11 * HOUR); /* paid at +11: binds x to P */
	expect("A1", ATTR_BINDING, "P");
	expect("A2", ATTR_TAG, "P");
	import("A1", "x", "Q", T0 + 10 * HOUR, T0 + 13 * HOUR); /* paid at +10 */
	expect("A1", ATTR_TAG, "Q");
	expect("A2", ATTR_BINDING, "Q");
	assert_int_equal(engine_balance(e, "P", &p, &err), TK_OK);
	assert_int_equal(engine_balance(e, "Q", &q, &err), TK_OK);
	assert_int_equal(p.pending, 0);
	assert_int_equal(q.pending, 2 * 500);
	audit_holds();
}

/* The binding order itself, modified again unpaid, moves after another
 * attributed order of its buyer: that one binds. */
static void test_binding_order_moves_later(void **state)
{
	(void)state;
	import("B1", "y", "P", 0, T0 + 9 * HOUR); /* unpaid at +9: binds y to P */
	import("B2", "y", "Q", T0 + 10 * HOUR, T0 + 10 * HOUR); /* paid at +10: P's */
	expect("B2", ATTR_BINDING, "P");
	import("B1", "y", "P", 0, T0 + 11 * HOUR); /* still unpaid, at +11 */
	expect("B2", ATTR_TAG, "Q");
	expect("B1", ATTR_BINDING, "Q");
	audit_holds();
}

/* An order a binding governed moves before the binding's order and names
 * nobody itself: unattributed. */
static void test_moved_before_binding_unattributed(void **state)
{
	(void)state;
	import("C1", "z", "P", T0 + 10 * HOUR, T0 + 10 * HOUR); /* binds z to P */
	import("C2", "z", "", 0, T0 + 11 * HOUR); /* governed by P */
	expect("C2", ATTR_BINDING, "P");
	import("C2", "z", "", T0 + 9 * HOUR, T0 + 12 * HOUR); /* paid at +9 */
	expect("C2", ATTR_NONE, "");
	expect("C1", ATTR_TAG, "P");
	audit_holds();
}

int main(void)
{
	setenv("TUIKE_NOW", "2026-11-10T00:00:00+08:00", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paid_earlier_binds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binding_order_moves_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moved_before_binding_unattributed, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

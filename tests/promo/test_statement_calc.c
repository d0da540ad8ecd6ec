/* test_statement_calc.c — a statement's pure rules: per mille exactly,
 * the GMV a refund takes back, what each campaign order adds to the
 * figures (the scenario's month, by hand), the state machine, months at
 * Beijing time and what changed since a statement was sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/order.h"
#include "core/tktime.h"
#include "promo/statement_calc.h"

static void test_per_mille(void **state)
{
	(void)state;
	assert_int_equal(stmt_per_mille(19900, 200), 3980);
	assert_int_equal(stmt_per_mille(12345, 50), 617);   /* 617.25 */
	assert_int_equal(stmt_per_mille(4321, 40), 172);    /* 172.84: floor */
	assert_int_equal(stmt_per_mille(999, 1), 0);
	assert_int_equal(stmt_per_mille(1000, 1), 1);
	assert_int_equal(stmt_per_mille(0, 1000), 0);
	assert_int_equal(stmt_per_mille(12345, 1000), 12345);
	/* no overflow for the largest amounts: amount × pm would leave int64 */
	assert_int_equal(stmt_per_mille(INT64_MAX, 1000), INT64_MAX);
	assert_int_equal(stmt_per_mille(INT64_MAX, 500), INT64_MAX / 2);
}

static struct stmt_order_terms order(int status, int64_t amount, int64_t commission,
				     int64_t refunded, int64_t fee, int64_t bucket)
{
	struct stmt_order_terms o = {.status = status, .paid_at = 1, .amount = amount,
				     .commission = commission, .refunded = refunded,
				     .fee = fee, .fee_bucket = bucket};
	return o;
}

static void test_refund_gmv(void **state)
{
	(void)state;
	struct stmt_order_terms o = order(ST_SETTLED, 8888, 1333, 666, 266, 2);
	assert_int_equal(stmt_refund_gmv(&o), 4440); /* 8888 × 666 / 1333 = 4440.66 */
	o.refunded = 1333;
	assert_int_equal(stmt_refund_gmv(&o), 8888); /* all taken back */
	o.refunded = 5000;
	assert_int_equal(stmt_refund_gmv(&o), 8888); /* never more than the amount */
	o.refunded = 0;
	assert_int_equal(stmt_refund_gmv(&o), 0);
	o = order(ST_INVALID, 5000, 1000, 0, 0, 0);
	assert_int_equal(stmt_refund_gmv(&o), 5000); /* invalid after paid */
	o.paid_at = 0;
	assert_int_equal(stmt_refund_gmv(&o), 0);    /* never paid: no refund */
	o = order(ST_PAID, 700, 0, 5, 0, 0);
	assert_int_equal(stmt_refund_gmv(&o), 700);  /* nothing to share by */
	/* a head row: commission 0, its fee 300 after 100 was taken back of 400 */
	o = order(ST_SETTLED, 9999, 0, 100, 300, 2);
	assert_int_equal(stmt_refund_gmv(&o), 2499); /* 9999 × 100 / 400 = 2499.75 */
	o = order(ST_UNPAID, 700, 70, 5, 0, 0);
	assert_int_equal(stmt_refund_gmv(&o), 0);
	/* the product amount × refunded leaves int64; the result is exact */
	o = order(ST_SETTLED, INT64_C(4000000000000000), INT64_C(3000000000000000),
		  INT64_C(1000000000000000), 0, 0);
	assert_int_equal(stmt_refund_gmv(&o), INT64_C(1333333333333333));
}

/* The scenario's merchant 1, line by line (tests/scenario/statements.sh). */
static void test_month_by_hand(void **state)
{
	(void)state;
	struct stmt_figures p100 = {0}, p200 = {0}, total = {0};
	struct stmt_order_terms j1 = order(ST_PAID, 19900, 3980, 0, 995, 1);
	struct stmt_order_terms j2 = order(ST_SETTLED, 12345, 2469, 0, 617, 2);
	struct stmt_order_terms j3 = order(ST_SETTLED, 8888, 1333, 666, 266, 2);
	struct stmt_order_terms j4 = order(ST_INVALID, 5000, 1000, 0, 0, 0);
	j1.commission_pm = j2.commission_pm = 200;
	j1.service_pm = j2.service_pm = 50;
	j3.commission_pm = j4.commission_pm = 150;
	j3.service_pm = j4.service_pm = 30;
	stmt_figures_add_order(&p100, &j1);
	stmt_figures_add_order(&p100, &j2);
	stmt_figures_add_order(&p200, &j3);
	stmt_figures_add_order(&p200, &j4);
	assert_int_equal(p100.orders, 2);
	assert_int_equal(p100.gmv, 32245);
	assert_int_equal(p100.commission, 6449);
	assert_int_equal(p100.fee, 1612);
	assert_int_equal(p100.fee_settled, 617);
	assert_int_equal(p100.fee_estimated, 995);
	assert_int_equal(p100.refunds, 0);
	assert_int_equal(p200.orders, 1);
	assert_int_equal(p200.gmv, 8888);
	assert_int_equal(p200.commission, 1333);
	assert_int_equal(p200.fee, 266);
	assert_int_equal(p200.refunds, 2);
	assert_int_equal(p200.refund_gmv, 9440);
	assert_int_equal(p200.refund_fee, 283);
	stmt_figures_add(&total, &p100);
	stmt_figures_add(&total, &p200);
	assert_int_equal(total.orders, 3);
	assert_int_equal(total.gmv, 41133);
	assert_int_equal(total.commission, 7782);
	assert_int_equal(total.fee, 1878);
	assert_int_equal(total.fee_settled, 883);
	assert_int_equal(total.fee_estimated, 995);
	assert_int_equal(total.refund_gmv, 9440);
	/* an unpaid order adds nothing */
	struct stmt_figures none = {0};
	struct stmt_order_terms u = order(ST_UNPAID, 100, 10, 0, 5, 1);
	u.paid_at = 0;
	stmt_figures_add_order(&none, &u);
	struct stmt_figures zero = {0};
	assert_memory_equal(&none, &zero, sizeof(zero));
}

static void test_states(void **state)
{
	(void)state;
	/* every (state, move): only the four moves lead anywhere */
	const int want[4][4] = {
		/* send confirm invoice reopen */
		{STMT_SENT, -1, -1, -1},                /* draft */
		{-1, STMT_CONFIRMED, -1, STMT_DRAFT},   /* sent */
		{-1, -1, STMT_INVOICED, -1},            /* confirmed */
		{-1, -1, -1, -1},                       /* invoiced */
	};
	for (int s = 0; s < 4; s++)
		for (int m = 0; m < 4; m++) {
			enum stmt_state to = STMT_DRAFT;
			bool ok = stmt_move_to((enum stmt_state)s, (enum stmt_move)m, &to);
			assert_int_equal(ok, want[s][m] >= 0);
			if (ok)
				assert_int_equal(to, want[s][m]);
		}
	enum stmt_state st;
	enum stmt_move mv;
	assert_true(stmt_state_parse("confirmed", &st));
	assert_int_equal(st, STMT_CONFIRMED);
	assert_string_equal(stmt_state_name(STMT_INVOICED), "invoiced");
	assert_false(stmt_state_parse("Draft", &st));
	assert_true(stmt_move_parse("reopen", &mv));
	assert_int_equal(mv, STMT_REOPEN);
	assert_false(stmt_move_parse("generate", &mv));
}

static void test_months(void **state)
{
	(void)state;
	int64_t m = 0, from, to, t;
	assert_true(stmt_month_parse("202611", &m));
	assert_int_equal(m, 202611);
	assert_true(stmt_month_parse("2026-12", &m));
	assert_int_equal(m, 202612);
	const char *bad[] = {"202613", "202600", "199912", "210001", "2026-1", "20261", "2026_11",
			     "2026111", "", "abcdef", "2026-1x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(stmt_month_parse(bad[i], &m));
	stmt_month_bounds(202611, &from, &to);
	assert_true(tktime_parse_iso8601("2026-11-01T00:00:00+08:00", &t));
	assert_int_equal(from, t);
	assert_true(tktime_parse_iso8601("2026-12-01T00:00:00+08:00", &t));
	assert_int_equal(to, t);
	stmt_month_bounds(202612, &from, &to); /* the year turns */
	assert_true(tktime_parse_iso8601("2027-01-01T00:00:00+08:00", &t));
	assert_int_equal(to, t);
}

static json_t *doc(int64_t orders, int64_t gmv, int slots, const char *product)
{
	json_t *line = json_pack("{s:I, s:s}", "campaign", (json_int_t)1, "product", product);
	struct stmt_figures f = {.orders = orders, .gmv = gmv};
	stmt_figures_json(line, &f);
	json_t *totals = json_object();
	stmt_figures_json(totals, &f);
	json_object_set_new(totals, "slot_fee_collected", json_integer(100));
	json_object_set_new(totals, "slot_fee_outstanding", json_integer(0));
	json_t *sl = json_array();
	for (int i = 0; i < slots; i++)
		json_array_append_new(sl, json_object());
	return json_pack("{s:[o], s:o, s:o}", "lines", line, "totals", totals, "slot_fees", sl);
}

static void test_diff(void **state)
{
	(void)state;
	json_t *a = doc(2, 500, 1, "P1"), *b = doc(2, 500, 1, "P1");
	json_t *d = stmt_figures_diff(a, b);
	assert_int_equal(json_array_size(d), 0);
	json_decref(d);
	json_decref(b);
	b = doc(3, 700, 1, "P1");
	d = stmt_figures_diff(a, b);
	char *s = json_dumps(d, JSON_COMPACT);
	assert_string_equal(s, "[{\"what\":\"totals.orders\",\"sent\":2,\"now\":3},"
			       "{\"what\":\"totals.gmv\",\"sent\":500,\"now\":700},"
			       "{\"what\":\"line 1/P1.orders\",\"sent\":2,\"now\":3},"
			       "{\"what\":\"line 1/P1.gmv\",\"sent\":500,\"now\":700}]");
	free(s);
	json_decref(d);
	json_decref(b);
	/* a line gone and one new, and a slot fee more */
	b = doc(2, 500, 2, "P2");
	d = stmt_figures_diff(a, b);
	s = json_dumps(d, JSON_COMPACT);
	assert_string_equal(s, "[{\"what\":\"line 1/P1\",\"sent\":500,\"now\":null},"
			       "{\"what\":\"line 1/P2\",\"sent\":null,\"now\":500},"
			       "{\"what\":\"slot_fees\",\"sent\":1,\"now\":2}]");
	free(s);
	json_decref(d);
	json_decref(b);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_mille),   cmocka_unit_test(test_refund_gmv),
		cmocka_unit_test(test_month_by_hand), cmocka_unit_test(test_states),
		cmocka_unit_test(test_months),	    cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

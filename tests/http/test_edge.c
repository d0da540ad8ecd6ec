/* test_edge.c — the network edge's decision (edge_decide): which
 * connections a sweep closes, and why — deadlines, and early closing under
 * pressure, the longest waiting first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/edge.h"

#define S 1000000 /* microseconds in a second */
#define NOW (100 * (int64_t)S)

static const struct edge_limits lim = {
	.head_s = 10, .body_s = 30, .per_ip = 64, .pressure_pct = 75, .grace_ms = 200};

/* a connection waiting for its head since `ago` microseconds */
static struct edge_view waiting(int64_t ago)
{
	return (struct edge_view){EDGE_WAITING, NOW - ago, NOW - ago + 10 * S};
}

static void deadlines_close_reading_connections_only(void **state)
{
	(void)state;
	struct edge_view v[] = {
		waiting(11 * S),                            /* head overdue */
		waiting(9 * S),                             /* head in time */
		{EDGE_BODY, NOW - 40 * S, NOW - 1},         /* body overdue */
		{EDGE_BODY, NOW - 40 * S, NOW + S},         /* body in time */
		{EDGE_BUSY, NOW - 999 * S, 0},              /* answered: never */
		{EDGE_WAITING, NOW - 999 * S, 0},           /* no deadline set */
	};
	enum edge_verdict why[6];
	struct edge_cand scratch[6];
	/* share 100: far below the pressure mark */
	assert_int_equal(edge_decide(&lim, v, 6, 100, 0, NOW, why, scratch), 2);
	assert_int_equal(why[0], EDGE_CLOSE_HEAD);
	assert_int_equal(why[1], EDGE_KEEP);
	assert_int_equal(why[2], EDGE_CLOSE_BODY);
	assert_int_equal(why[3], EDGE_KEEP);
	assert_int_equal(why[4], EDGE_KEEP);
	assert_int_equal(why[5], EDGE_KEEP);
}

static void pressure_closes_the_longest_waiting_back_to_the_mark(void **state)
{
	(void)state;
	/* share 8, mark 6: 8 open, two must go */
	struct edge_view v[8] = {
		waiting(3 * S), waiting(1 * S), waiting(5 * S), waiting(100000), /* in grace */
		{EDGE_BUSY, NOW - 9 * S, 0}, {EDGE_BODY, NOW - 9 * S, NOW + S},
		waiting(2 * S), waiting(4 * S),
	};
	enum edge_verdict why[8];
	struct edge_cand scratch[8];
	assert_int_equal(edge_decide(&lim, v, 8, 8, 0, NOW, why, scratch), 2);
	for (int i = 0; i < 8; i++)
		assert_int_equal(why[i], i == 2 || i == 7 ? EDGE_CLOSE_PRESSURE : EDGE_KEEP);
	/* clients at the door: room for them too, as far as candidates go */
	assert_int_equal(edge_decide(&lim, v, 8, 8, 3, NOW, why, scratch), 5);
	for (int i = 0; i < 8; i++)
		assert_int_equal(why[i], i == 3 || i == 4 || i == 5 ? EDGE_KEEP
								    : EDGE_CLOSE_PRESSURE);
	assert_int_equal(edge_decide(&lim, v, 8, 8, 1000, NOW, why, scratch), 5);
}

static void no_pressure_at_or_below_the_mark_or_when_off(void **state)
{
	(void)state;
	struct edge_view v[6];
	for (int i = 0; i < 6; i++)
		v[i] = waiting(5 * S);
	enum edge_verdict why[6];
	struct edge_cand scratch[6];
	/* share 8, mark 6: 6 open is at the mark */
	assert_int_equal(edge_decide(&lim, v, 6, 8, 50, NOW, why, scratch), 0);
	struct edge_limits off = lim;
	off.pressure_pct = 0;
	assert_int_equal(edge_decide(&off, v, 6, 6, 50, NOW, why, scratch), 0);
	/* a deadline already closing one brings the count back to the mark */
	v[0] = waiting(11 * S);
	assert_int_equal(edge_decide(&lim, v, 6, 7, 0, NOW, why, scratch), 1);
	assert_int_equal(why[0], EDGE_CLOSE_HEAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deadlines_close_reading_connections_only),
		cmocka_unit_test(pressure_closes_the_longest_waiting_back_to_the_mark),
		cmocka_unit_test(no_pressure_at_or_below_the_mark_or_when_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

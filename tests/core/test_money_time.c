/* test_money_time.c — exact fen parsing and formatting, and times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/money.h"
#include "core/tktime.h"

static void test_parse_yuan(void **state)
{
	(void)state;
	struct {
		const char *s;
		int64_t fen;
	} ok[] = {{"9.95", 995}, {"9.9", 990}, {"9", 900}, {"0.07", 7}, {"0.1", 10},
		  {"-3.20", -320}, {"+1.01", 101}, {"1234567.89", 123456789}, {"9.950", 995},
		  {"0.00", 0}, {"1000000000000.00", INT64_C(100000000000000)}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v = -999;
		assert_true(money_parse_yuan(ok[i].s, &v));
		assert_int_equal(v, ok[i].fen);
	}
	const char *bad[] = {"", ".5", "9.", "9.951", "1e3", "abc", "9,95", " 9", "--1",
			     "10000000000000", "1000000000000.01", "NaN"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v;
		if (money_parse_yuan(bad[i], &v))
			fail_msg("\"%s\" was accepted as %lld fen", bad[i], (long long)v);
	}
}

static void test_format_yuan(void **state)
{
	(void)state;
	char buf[MONEY_YUAN_BUF];
	assert_string_equal(money_format_yuan(995, buf), "9.95");
	assert_string_equal(money_format_yuan(5, buf), "0.05");
	assert_string_equal(money_format_yuan(-5, buf), "-0.05");
	assert_string_equal(money_format_yuan(0, buf), "0.00");
	assert_string_equal(money_format_yuan(INT64_MIN, buf), "-92233720368547758.08");
	assert_int_equal(money_share(999, 3333), 332);
	assert_int_equal(money_share(MONEY_MAX_FEN, 10000), MONEY_MAX_FEN);
}

static void test_iso8601(void **state)
{
	(void)state;
	int64_t t;
	assert_true(tktime_parse_iso8601("2026-11-01T10:00:00+08:00", &t));
	assert_int_equal(t, 1793498400);
	assert_true(tktime_parse_iso8601("2026-11-01T02:00:00Z", &t));
	assert_int_equal(t, 1793498400);
	assert_true(tktime_parse_iso8601("2026-11-01T02:00:00.123Z", &t));
	assert_int_equal(t, 1793498400);
	assert_true(tktime_parse_iso8601("2026-10-31T21:00:00-0500", &t));
	assert_int_equal(t, 1793498400);
	assert_true(tktime_parse_iso8601("2024-02-29T00:00:00Z", &t));
	assert_false(tktime_parse_iso8601("2026-11-01T10:00:00", &t)); /* no offset */
	assert_false(tktime_parse_iso8601("2025-02-29T00:00:00Z", &t));
	assert_false(tktime_parse_iso8601("2026-13-01T00:00:00Z", &t));
	assert_false(tktime_parse_iso8601("2026-11-01T24:00:00Z", &t));
	assert_false(tktime_parse_iso8601("2026-11-01T10:00:00+08:00x", &t));
	char buf[TKTIME_BUF];
	assert_string_equal(tktime_format_iso8601(1793498400, 8 * 3600, buf),
			    "2026-11-01T10:00:00+08:00");
	assert_string_equal(tktime_format_iso8601(1793498400, 0, buf), "2026-11-01T02:00:00Z");
}

static void test_beijing_local(void **state)
{
	(void)state;
	int64_t t;
	assert_true(tktime_parse_local("2026-11-01 10:00:00", TKTIME_BEIJING_OFFSET, &t));
	assert_int_equal(t, 1793498400);
	assert_false(tktime_parse_local("2026-11-01 10:00", TKTIME_BEIJING_OFFSET, &t));
	char d[11];
	assert_string_equal(tktime_format_date(1793498400 - 11 * 3600, TKTIME_BEIJING_OFFSET, d),
			    "2026-10-31");
	/* the calendar round-trips over four centuries */
	for (int64_t days = -1000; days < 146097 * 2; days += 17) {
		int y, m, dd;
		tktime_civil_from_days(days, &y, &m, &dd);
		assert_int_equal(tktime_days_from_civil(y, m, dd), days);
	}
}

/* Days at an offset: floor division, also before 1970 and across midnight
 * at the offset rather than in UTC. */
static void test_day(void **state)
{
	(void)state;
	assert_int_equal(tktime_day(0, 0), 0);
	assert_int_equal(tktime_day(86399, 0), 0);
	assert_int_equal(tktime_day(86400, 0), 1);
	assert_int_equal(tktime_day(-1, 0), -1);
	assert_int_equal(tktime_day(-86400, 0), -1);
	assert_int_equal(tktime_day(-86401, 0), -2);
	/* 16:00 UTC on 1970-01-01 is midnight of the 2nd in Beijing */
	assert_int_equal(tktime_day(16 * 3600 - 1, TKTIME_BEIJING_OFFSET), 0);
	assert_int_equal(tktime_day(16 * 3600, TKTIME_BEIJING_OFFSET), 1);
	int64_t t;
	assert_true(tktime_parse_iso8601("2026-11-23T00:00:00+08:00", &t));
	assert_int_equal(tktime_day(t, TKTIME_BEIJING_OFFSET), tktime_days_from_civil(2026, 11, 23));
	assert_int_equal(tktime_day(t - 1, TKTIME_BEIJING_OFFSET),
			 tktime_days_from_civil(2026, 11, 22));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_yuan),
		cmocka_unit_test(test_format_yuan),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_beijing_local),
		cmocka_unit_test(test_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

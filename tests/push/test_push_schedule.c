/* test_push_schedule.c — the slots of a Beijing day, quiet hours that wrap
 * midnight, deterministic jitter, windows across days, and a property
 * test against a minute-by-minute model of the same settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/tktime.h"
#include "push/push_schedule.h"

static struct push_settings *S;

static void settings(const char *json)
{
	struct tk_error err = {0};
	if (push_settings_parse(json, strlen(json), S, &err))
		fail_msg("%s: %s", err.field, err.msg);
}

static int64_t at(const char *iso)
{
	int64_t t;
	assert_true(tktime_parse_iso8601(iso, &t));
	return t;
}

static void test_fixed_times(void **state)
{
	(void)state;
	int64_t out[PUSH_SLOTS_DAY_MAX];
	settings("{\"schedule\":{\"times\":[\"00:00\",\"06:00\",\"07:30\",\"09:00\",\"23:30\"]}}");
	int64_t day = tktime_day(at("2026-11-01T12:00:00+08:00"), TKTIME_BEIJING_OFFSET);
	/* quiet 23:00-07:30 (the default) removes 23:30, 00:00 and 06:00; 07:30 is outside */
	assert_int_equal(push_schedule_day(S, day, out), 2);
	assert_int_equal(out[0], at("2026-11-01T07:30:00+08:00"));
	assert_int_equal(out[1], at("2026-11-01T09:00:00+08:00"));
	/* a Beijing day starts at 16:00 UTC the day before */
	settings("{\"schedule\":{\"times\":[\"00:00\"]},\"quiet\":null}");
	assert_int_equal(push_schedule_day(S, day, out), 1);
	assert_int_equal(out[0], at("2026-10-31T16:00:00Z"));
}

static void test_every_and_quiet(void **state)
{
	(void)state;
	int64_t out[PUSH_SLOTS_DAY_MAX];
	int64_t day = tktime_day(at("2026-11-01T12:00:00+08:00"), TKTIME_BEIJING_OFFSET);
	/* 08:00..23:00 every 30 minutes: 31 slots; quiet 22:00-08:30 takes 08:00 and 22:00..23:00 */
	settings("{\"schedule\":{\"every_minutes\":30},\"quiet\":{\"from\":\"22:00\",\"to\":\"08:30\"}}");
	int n = push_schedule_day(S, day, out);
	assert_int_equal(n, 31 - 1 - 3);
	assert_int_equal(out[0], at("2026-11-01T08:30:00+08:00"));
	assert_int_equal(out[n - 1], at("2026-11-01T21:30:00+08:00"));
	/* quiet inside the day (no wrap) */
	settings("{\"schedule\":{\"every_minutes\":60,\"from\":\"10:00\",\"to\":\"14:00\"},"
		 "\"quiet\":{\"from\":\"12:00\",\"to\":\"13:00\"}}");
	assert_int_equal(push_schedule_day(S, day, out), 4);
	assert_int_equal(out[2], at("2026-11-01T13:00:00+08:00"));
	/* every 5 minutes all day: the most a day holds */
	settings("{\"schedule\":{\"every_minutes\":5,\"from\":\"00:00\",\"to\":\"23:59\"},\"quiet\":null}");
	assert_int_equal(push_schedule_day(S, day, out), PUSH_SLOTS_DAY_MAX);
	assert_false(push_quiet(S, 0));
}

static void test_jitter(void **state)
{
	(void)state;
	int64_t slot = at("2026-11-01T09:00:00+08:00");
	assert_int_equal(push_jitter(7, slot, 0), 0);
	/* the same on every call; within [0, jitter]; spread over the range */
	int lo = 1 << 30, hi = -1, differ = 0;
	for (int g = 1; g <= 2000; g++) {
		int j = push_jitter(g, slot, 120);
		assert_int_equal(j, push_jitter(g, slot, 120));
		assert_in_range(j, 0, 120);
		lo = j < lo ? j : lo;
		hi = j > hi ? j : hi;
		differ += j != push_jitter(g, slot + 60, 120);
	}
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 120);
	assert_true(differ > 1900); /* another slot of the same group: another jitter */
	/* pinned: a change of the hash or its key would move every planned
	 * job of every group, which must be seen here */
	assert_int_equal(push_jitter(42, 1793494800, 1800), 1297);
}

static void test_window(void **state)
{
	(void)state;
	struct push_slot out[16];
	struct tk_error err = {0};
	int n;
	settings("{\"schedule\":{\"times\":[\"09:00\",\"20:00\"]},\"jitter_seconds\":300}");
	/* from 12:00 on the 1st to 12:00 on the 3rd: 20:00, 09:00, 20:00, 09:00 */
	assert_int_equal(push_schedule_window(S, 9, at("2026-11-01T12:00:00+08:00"),
					      at("2026-11-03T12:00:00+08:00"), out, 16, &n, &err),
			 TK_OK);
	assert_int_equal(n, 4);
	assert_int_equal(out[0].slot, at("2026-11-01T20:00:00+08:00"));
	assert_int_equal(out[3].slot, at("2026-11-03T09:00:00+08:00"));
	for (int i = 0; i < n; i++) {
		assert_int_equal(out[i].due_at - out[i].slot, push_jitter(9, out[i].slot, 300));
		assert_true(i == 0 || out[i].slot > out[i - 1].slot);
	}
	/* [t0, t1): a slot at t1 is the next window's */
	assert_int_equal(push_schedule_window(S, 9, at("2026-11-01T09:00:00+08:00"),
					      at("2026-11-01T20:00:00+08:00"), out, 16, &n, &err),
			 TK_OK);
	assert_int_equal(n, 1);
	assert_int_equal(push_schedule_window(S, 9, 100, 100, out, 16, &n, &err), TK_OK);
	assert_int_equal(n, 0);
	assert_int_equal(push_schedule_window(S, 9, 100, 99, out, 16, &n, &err), TK_EINVAL);
	assert_string_equal(err.field, "window");
	assert_int_equal(push_schedule_window(S, 9, at("2026-11-01T00:00:00+08:00"),
					      at("2026-11-05T00:00:00+08:00"), out, 3, &n, &err),
			 TK_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 3 slots"));
}

/* ---- property: against a minute-by-minute model ---- */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static int below(int n)
{
	return (int)(next() % (uint64_t)n);
}

/* Whether the Beijing minute of the day m is a slot, read straight from
 * the settings' meaning. */
static bool model_slot(const struct push_settings *s, int m)
{
	bool on = false;
	if (s->every)
		on = m >= s->from && m <= s->to && (m - s->from) % s->every_minutes == 0;
	else
		for (int i = 0; i < s->ntimes; i++)
			on |= s->times[i] == m;
	bool quiet = s->quiet_from < s->quiet_to ? m >= s->quiet_from && m < s->quiet_to
		   : s->quiet_from > s->quiet_to ? m >= s->quiet_from || m < s->quiet_to
						 : false;
	return on && !quiet;
}

static void test_property_model(void **state)
{
	(void)state;
	static struct push_slot out[4 * PUSH_SLOTS_DAY_MAX];
	struct tk_error err = {0};
	int64_t base = at("2026-01-01T00:00:00+08:00");
	for (int round = 0; round < 400; round++) {
		push_settings_default(S);
		if (below(2)) {
			S->every = true;
			S->every_minutes = PUSH_EVERY_MIN + below(round % 3 ? 200 : 1436);
			S->from = below(1440);
			S->to = S->from + below(1440 - S->from);
		} else {
			S->ntimes = 0;
			for (int m = 0; m < 1440 && S->ntimes < PUSH_TIMES_MAX; m++)
				if (below(30) == 0)
					S->times[S->ntimes++] = m;
			if (S->ntimes == 0)
				S->times[S->ntimes++] = below(1440);
		}
		S->quiet_from = below(1440);
		S->quiet_to = below(4) ? below(1440) : S->quiet_from;
		S->jitter_seconds = below(PUSH_JITTER_MAX + 1);
		assert_int_equal(push_settings_validate(S, &err), TK_OK);
		/* a window of up to three days, starting at any second */
		int64_t t0 = base + (int64_t)below(400) * 86400 + below(86400);
		int64_t t1 = t0 + below(3 * 86400);
		int n;
		assert_int_equal(push_schedule_window(S, round, t0, t1, out, 4 * PUSH_SLOTS_DAY_MAX, &n,
						      &err),
				 TK_OK);
		int k = 0;
		int64_t first = t0 % 60 == 0 ? t0 : t0 + (60 - ((t0 % 60) + 60) % 60);
		for (int64_t t = first; t < t1; t += 60) {
			int64_t local = t + TKTIME_BEIJING_OFFSET;
			int m = (int)((local % 86400) / 60);
			if (!model_slot(S, m))
				continue;
			if (k >= n || out[k].slot != t)
				fail_msg("round %d: the model has a slot at %lld, the schedule %s", round,
					 (long long)t, k < n ? "another" : "none");
			assert_in_range(out[k].due_at - t, 0, S->jitter_seconds);
			k++;
		}
		assert_int_equal(k, n);
	}
}

int main(void)
{
	S = malloc(sizeof(*S));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_times),
		cmocka_unit_test(test_every_and_quiet),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_property_model),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(S);
	return rc;
}

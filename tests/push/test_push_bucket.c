/* test_push_bucket.c — the rate limits of a robot: several limits at once,
 * the wait they give, a seed after a restart, a pause, and a property test
 * that no limit is ever exceeded in any sliding window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "push/push_bucket.h"

static struct push_bucket B;

static void init(const struct push_limit *l, int n)
{
	struct tk_error err = {0};
	if (push_bucket_init(&B, l, n, &err))
		fail_msg("%s: %s", err.field, err.msg);
}

static void test_feishu(void **state)
{
	(void)state;
	const struct push_limit feishu[] = {{100, 60000}, {5, 1000}};
	init(feishu, 2);
	/* 5 a second */
	for (int i = 0; i < 5; i++)
		assert_int_equal(push_bucket_take(&B, 0), 0);
	assert_int_equal(push_bucket_take(&B, 0), 1000);
	assert_int_equal(push_bucket_take(&B, 400), 600);
	assert_int_equal(push_bucket_wait(&B, 999), 1);
	assert_int_equal(push_bucket_take(&B, 1000), 0);
	/* 100 a minute: 5 every second for 20 seconds, then wait for the minute */
	int64_t t = 1000;
	int sent = 6;
	while (sent < 100) {
		int64_t w = push_bucket_take(&B, t);
		if (w)
			t += w;
		else
			sent++;
	}
	assert_true(t < 60000);
	assert_int_equal(push_bucket_take(&B, t), 60000 - t);
	assert_int_equal(push_bucket_take(&B, 60000), 0);
}

static void test_telegram_chat(void **state)
{
	(void)state;
	const struct push_limit tg[] = {{20, 60000}, {1, 1000}};
	init(tg, 2);
	assert_int_equal(push_bucket_take(&B, 5000), 0);
	assert_int_equal(push_bucket_take(&B, 5500), 500);
	assert_int_equal(push_bucket_take(&B, 6000), 0);
}

static void test_seed_and_pause(void **state)
{
	(void)state;
	const struct push_limit wecom[] = {{20, 60000}};
	init(wecom, 1);
	/* after a restart: 20 went out in the last minute, times unknown */
	push_bucket_seed(&B, 20, 100000);
	assert_int_equal(push_bucket_wait(&B, 100000), 60000);
	assert_int_equal(push_bucket_take(&B, 160000), 0);
	/* fewer than the limit: the rest may go */
	init(wecom, 1);
	push_bucket_seed(&B, 19, 0);
	assert_int_equal(push_bucket_take(&B, 0), 0);
	assert_int_equal(push_bucket_take(&B, 1), 59999);
	/* the platform said limit: nothing until then; an earlier pause changes nothing */
	init(wecom, 1);
	push_bucket_pause(&B, 600000);
	push_bucket_pause(&B, 1000);
	assert_int_equal(push_bucket_take(&B, 0), 600000);
	assert_int_equal(push_bucket_take(&B, 599999), 1);
	assert_int_equal(push_bucket_take(&B, 600000), 0);
}

static void test_init_limits(void **state)
{
	(void)state;
	struct tk_error err = {0};
	const struct push_limit bad[] = {{20, 60000}, {0, 1000}};
	assert_int_equal(push_bucket_init(&B, bad, 2, &err), TK_EINVAL);
	assert_string_equal(err.field, "limits[1].count");
	const struct push_limit bad2[] = {{20, 0}};
	assert_int_equal(push_bucket_init(&B, bad2, 1, &err), TK_EINVAL);
	assert_string_equal(err.field, "limits[0].period_ms");
	assert_int_equal(push_bucket_init(&B, bad, 0, &err), TK_EINVAL);
	assert_int_equal(push_bucket_init(&B, bad, PUSH_LIMITS_MAX + 1, &err), TK_EINVAL);
}

/* ---- property ---- */

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 100k takes at random times (bursts and gaps): in every window of each
 * limit's period no more than its count went; a wait given is exact (a
 * take after it succeeds, a take 1 ms before it fails). */
static void test_property_sliding_window(void **state)
{
	(void)state;
	const struct push_limit sets[][3] = {
		{{100, 60000}, {5, 1000}},
		{{20, 60000}, {1, 1000}},
		{{20, 60000}},
		{{7, 333}, {30, 10000}, {3, 97}},
	};
	const int nl[] = {2, 2, 1, 3};
	enum { TAKES = 100000 };
	int64_t *ok = malloc(TAKES * sizeof(*ok));
	for (int set = 0; set < 4; set++) {
		init(sets[set], nl[set]);
		int64_t now = 0;
		int n = 0;
		for (int i = 0; i < TAKES; i++) {
			uint64_t r = next();
			/* mostly bursts at the same ms, sometimes long gaps */
			now += r % 4 == 0 ? 0 : r % 97 == 0 ? (int64_t)(r >> 20) % 120000
							  : (int64_t)(r >> 20) % 200;
			if (r % 1000 == 0)
				push_bucket_pause(&B, now + (int64_t)(r >> 30) % 5000);
			int64_t w = push_bucket_take(&B, now);
			if (w == 0) {
				ok[n++] = now;
				continue;
			}
			assert_true(w > 0);
			if (w > 1)
				assert_int_equal(push_bucket_wait(&B, now + w - 1), 1);
			if (r % 3 == 0) { /* wait exactly as told: then it goes */
				now += w;
				assert_int_equal(push_bucket_take(&B, now), 0);
				ok[n++] = now;
			}
		}
		assert_true(n > 1000);
		for (int l = 0; l < nl[set]; l++) {
			/* two pointers: the takes in (ok[j] - period, ok[j]] */
			int i = 0;
			for (int j = 0; j < n; j++) {
				while (ok[i] <= ok[j] - sets[set][l].period_ms)
					i++;
				if (j - i + 1 > sets[set][l].count)
					fail_msg("set %d limit %d: %d takes in %lld ms up to %lld", set, l,
						 j - i + 1, (long long)sets[set][l].period_ms,
						 (long long)ok[j]);
			}
		}
	}
	free(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feishu),
		cmocka_unit_test(test_telegram_chat),
		cmocka_unit_test(test_seed_and_pause),
		cmocka_unit_test(test_init_limits),
		cmocka_unit_test(test_property_sliding_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

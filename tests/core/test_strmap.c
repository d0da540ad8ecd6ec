/* test_strmap.c — the string map: put, replace, find, growth, entry order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/strmap.h"

static void test_put_find_replace(void **state)
{
	(void)state;
	struct strmap m = {0};
	uint64_t e;
	assert_false(strmap_find(&m, "a", 1, &e)); /* empty map */
	assert_true(strmap_put(&m, "jd\x1f" "1", 4, 10, &e));
	assert_int_equal(e, 0);
	assert_true(strmap_put(&m, "jd\x1f" "12", 5, 20, NULL));
	assert_true(strmap_find(&m, "jd\x1f" "1", 4, &e));
	assert_int_equal(strmap_value(&m, e), 10);
	assert_false(strmap_find(&m, "jd\x1f", 3, &e)); /* a prefix is not a key */
	assert_true(strmap_put(&m, "jd\x1f" "1", 4, 11, &e)); /* replace keeps the entry */
	assert_int_equal(e, 0);
	assert_int_equal(m.n_entries, 2);
	assert_true(strmap_find(&m, "jd\x1f" "1", 4, &e));
	assert_int_equal(strmap_value(&m, e), 11);
	assert_string_equal(strmap_key(&m, 1), "jd\x1f" "12");
	strmap_free(&m);
}

static void test_many_keys(void **state)
{
	(void)state;
	struct strmap m = {0};
	char k[32];
	for (int i = 0; i < 200000; i++) {
		int n = snprintf(k, sizeof(k), "m%d", i);
		assert_true(strmap_put(&m, k, (size_t)n, i * 3, NULL));
	}
	for (int i = 0; i < 200000; i += 7) {
		uint64_t e;
		int n = snprintf(k, sizeof(k), "m%d", i);
		assert_true(strmap_find(&m, k, (size_t)n, &e));
		assert_int_equal(e, (uint64_t)i); /* entries are numbered in insertion order */
		assert_int_equal(strmap_value(&m, e), i * 3);
		assert_string_equal(strmap_key(&m, e), k);
	}
	uint64_t e;
	assert_false(strmap_find(&m, "m200000", 7, &e));
	strmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_find_replace),
		cmocka_unit_test(test_many_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_strmap.c — the string map: put, replace, find, growth, entry order;
 * the text buffer its keys live in: bounds, keys, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/strmap.h"
#include "core/textbuf.h"

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

static void test_textbuf_bound(void **state)
{
	(void)state;
	struct textbuf t = {0};
	assert_true(textbuf_append(&t, "", 0, 8)); /* an empty text is still a string */
	assert_non_null(t.s);
	assert_string_equal(t.s, "");
	assert_true(textbuf_append(&t, "abcde", 5, 8));
	assert_false(textbuf_append(&t, "xyzw", 4, 8)); /* 9 bytes: over the bound */
	assert_int_equal(t.len, 5);                     /* and nothing of it kept */
	assert_string_equal(t.s, "abcde");
	assert_true(textbuf_append(&t, "xyz", 3, 8)); /* exactly the bound */
	assert_string_equal(t.s, "abcdexyz");
	assert_false(textbuf_append(&t, "", 1, 8));
	textbuf_free(&t);
	assert_null(t.s);
	assert_int_equal(t.len, 0);
}

static void test_textbuf_keys(void **state)
{
	(void)state;
	struct textbuf t = {0};
	size_t off[3000];
	char k[32];
	for (int i = 0; i < 3000; i++) { /* past the first 4 KiB: grown in between */
		int n = snprintf(k, sizeof(k), "key-%d", i);
		assert_true(textbuf_add_key(&t, k, (size_t)n, SIZE_MAX, &off[i]));
	}
	for (int i = 0; i < 3000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		assert_string_equal(t.s + off[i], k); /* each key kept whole, NUL-terminated */
	}
	/* the bound counts each key's NUL */
	struct textbuf b = {0};
	size_t o;
	assert_true(textbuf_add_key(&b, "abc", 3, 8, &o));
	assert_int_equal(o, 0);
	assert_false(textbuf_add_key(&b, "abcd", 4, 8, &o)); /* 4 + 5 > 8 */
	assert_true(textbuf_add_key(&b, "abc", 3, 8, &o));   /* 4 + 4 = 8 */
	assert_int_equal(o, 4);
	assert_int_equal(b.len, 8);
	textbuf_free(&b);
	textbuf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_find_replace),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_textbuf_bound),
		cmocka_unit_test(test_textbuf_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

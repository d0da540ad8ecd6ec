/* test_union_scan.c — the validating JSON scanner: what it accepts and
 * refuses (checked against jansson on the same texts), member and element
 * spans, and string decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "feeds/union_scan.h"

static void test_valid_and_invalid_agree_with_jansson(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"{}", "[]", " {\"a\" : [1, -2.5e+3, true, false, null, \"x\\u00e9\\n\"]} ",
		"0", "-0.0", "\"\\ud83d\\ude00\"", "{\"a\":{\"b\":{\"c\":[]}}}",
		"", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "[1 2]", "{\"a\":1,}", "01", "1.",
		"-", "1e", ".5", "tru", "nul", "\"abc", "\"a\\x\"", "\"a\\u12g4\"", "\"tab\there\"",
		"{} {}", "[1]x", "{'a':1}", "{\"a\":1}}", "[\"\\\"]",
		/* strings that are not UTF-8 (PostgreSQL's text would refuse them) */
		"\"洗发水\"", "[\"\xff\"]", "{\"t\":\"\xcf\xb4\xb7\"}", "\"\xed\xa0\x80\"",
		"\"\xc0\xaf\"", "\"cut \xe6\xb4\"", "\"\xf0\x9f\x98\x80\"",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *j = json_loads(texts[i], JSON_DECODE_ANY, NULL);
		bool want = j != NULL;
		json_decref(j);
		if (union_scan_valid(texts[i], strlen(texts[i])) != want)
			fail_msg("\"%s\": scanner says %s", texts[i], want ? "invalid" : "valid");
	}
}

static void test_depth_limit(void **state)
{
	(void)state;
	char text[2 * UNION_SCAN_DEPTH + 8];
	size_t n = 0;
	for (int i = 0; i < UNION_SCAN_DEPTH; i++)
		text[n++] = '[';
	for (int i = 0; i < UNION_SCAN_DEPTH; i++)
		text[n++] = ']';
	assert_true(union_scan_valid(text, n));
	memmove(text + 1, text, n);
	text[0] = '[';
	text[n + 1] = ']';
	assert_false(union_scan_valid(text, n + 2));
}

struct elems {
	int n;
	char text[8][32];
};

static bool collect(void *ctx, size_t index, struct union_span elem)
{
	struct elems *e = ctx;
	assert_int_equal(index, (size_t)e->n);
	snprintf(e->text[e->n++], sizeof(e->text[0]), "%.*s", (int)elem.n, elem.s);
	return true;
}

static void test_members_and_elements(void **state)
{
	(void)state;
	const char *text = "{\"code\": 200, \"data\": [ {\"id\":\"a\"}, 9.95 ,\"x,]\", [] ],"
			   " \"more\":{\"data\":1}, \"code\": 201}";
	struct union_span all = {text, strlen(text)}, v;
	assert_true(union_scan_valid(text, strlen(text)));
	assert_true(union_scan_member(all, "code", &v));
	assert_int_equal(v.n, 3);
	assert_memory_equal(v.s, "201", 3); /* the last duplicate, as jansson */
	assert_false(union_scan_member(all, "missing", &v));
	assert_false(union_scan_member(all, "cod", &v));
	assert_true(union_scan_member(all, "data", &v));
	struct elems e = {0};
	assert_true(union_scan_array(v, collect, &e));
	assert_int_equal(e.n, 4);
	assert_string_equal(e.text[0], "{\"id\":\"a\"}");
	assert_string_equal(e.text[1], "9.95");
	assert_string_equal(e.text[2], "\"x,]\"");
	assert_string_equal(e.text[3], "[]");
	assert_false(union_scan_array(all, collect, &e)); /* an object is no array */
	struct union_span num = {"5", 1};
	assert_false(union_scan_member(num, "a", &v));
}

static void test_string_decoding(void **state)
{
	(void)state;
	static const struct {
		const char *json, *want;
	} ok[] = {
		{"\"plain\"", "plain"},
		{"\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"", "q\"b\\s/n\nt\tr\rb\bf\f"},
		{"\"\\u00e9\\u4eac\\ud83d\\ude00\"", "\xc3\xa9\xe4\xba\xac\xf0\x9f\x98\x80"},
		{"\"京东{\\\"code\\\":200}\"", "京东{\"code\":200}"},
		{"\"\"", ""},
	};
	char buf[128];
	size_t n;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct union_span s = {ok[i].json, strlen(ok[i].json)};
		assert_true(union_scan_valid(s.s, s.n));
		assert_true(union_scan_string(s, buf, &n));
		assert_int_equal(n, strlen(ok[i].want));
		assert_string_equal(buf, ok[i].want);
	}
	static const char *const bad[] = {"\"\\u0000\"", "\"\\ud83d\"", "\"\\ude00\"",
					  "\"\\ud83d\\u0041\""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct union_span s = {bad[i], strlen(bad[i])};
		if (union_scan_string(s, buf, &n))
			fail_msg("%s decoded", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_and_invalid_agree_with_jansson),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_members_and_elements),
		cmocka_unit_test(test_string_decoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

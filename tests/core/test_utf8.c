/* test_utf8.c — where a text stops being UTF-8 (RFC 3629), as PostgreSQL
 * judges its text: checked against a table of known sequences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

static size_t bad_at(const char *s)
{
	return utf8_invalid_at(s, strlen(s));
}

static void valid_texts(void **state)
{
	(void)state;
	const char *ok[] = {"", "plain ASCII", "洗发水 400ml", "ｉＰｈｏｎｅ", "\xC2\x80",
			    "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
			    "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "emoji \xF0\x9F\x98\x80 end"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(bad_at(ok[i]), strlen(ok[i]));
}

static void invalid_texts(void **state)
{
	(void)state;
	const struct {
		const char *s;
		size_t at;
	} bad[] = {
		{"\xFF", 0},
		{"ab\x80", 2},               /* a stray continuation byte */
		{"\xC0\xAF", 0},             /* overlong '/' */
		{"\xC1\xBF", 0},             /* overlong */
		{"\xE0\x9F\xBF", 0},         /* overlong three bytes */
		{"\xF0\x8F\xBF\xBF", 0},     /* overlong four bytes */
		{"x\xED\xA0\x80", 1},        /* a surrogate */
		{"\xF4\x90\x80\x80", 0},     /* beyond U+10FFFF */
		{"\xF8\x88\x80\x80\x80", 0}, /* five bytes */
		{"ok\xE6\xB4", 2},           /* cut short at the end */
		{"\xE6\xB4x", 0},            /* cut short by ASCII */
		{"\xCF\xB4\xB7\xA2", 2},     /* GBK bytes: a valid pair, then not */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(bad_at(bad[i].s), bad[i].at);
}

static void next_decodes(void **state)
{
	(void)state;
	const char *s = "a洗\xF0\x9F\x98\x80";
	size_t i = 0;
	uint32_t cp;
	assert_true(utf8_next(s, strlen(s), &i, &cp));
	assert_int_equal(cp, 'a');
	assert_true(utf8_next(s, strlen(s), &i, &cp));
	assert_int_equal(cp, 0x6D17);
	assert_true(utf8_next(s, strlen(s), &i, &cp));
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(i, strlen(s));
	assert_false(utf8_next(s, strlen(s), &i, &cp)); /* at the end */
	size_t j = 0;
	assert_false(utf8_next("\xED\xA0\x80", 3, &j, &cp));
	assert_int_equal(j, 0); /* unchanged on failure */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_texts),
		cmocka_unit_test(invalid_texts),
		cmocka_unit_test(next_decodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

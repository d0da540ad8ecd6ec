/* test_error.c — errors quote input, and input can hold control
 * characters: an error's message, field and place carry them escaped,
 * never raw into a terminal or a log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"

static void escapes_controls(void **state)
{
	(void)state;
	char out[128];
	tk_escape_controls(out, sizeof(out), "a\x1b[31mred\x1b[0m\nnext\r\ttab\x7f\x01");
	assert_string_equal(out, "a\\x1b[31mred\\x1b[0m\\nnext\\r\\ttab\\x7f\\x01");
	tk_escape_controls(out, sizeof(out), "c1 \xC2\x9B" "31m \xC2\x85 and 张三 \xC2\xA9");
	assert_string_equal(out, "c1 \\u009b31m \\u0085 and 张三 \xC2\xA9");
	/* an escape that does not fit is left out whole */
	assert_int_equal(tk_escape_controls(out, 6, "abc\x1b"), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(tk_escape_controls(out, 1, "x"), 0);
	assert_string_equal(out, "");
}

static void fail_escapes_values(void **state)
{
	(void)state;
	struct tk_error err = {0};
	const char *hostile = "x\x1b]0;owned\x07\nERROR: fake";
	assert_int_equal(tk_fail(&err, TK_EINVAL, "na\nme", "must be a number, got \"%s\"", hostile),
			 TK_EINVAL);
	assert_string_equal(err.msg, "must be a number, got \"x\\x1b]0;owned\\x07\\nERROR: fake\"");
	assert_string_equal(err.field, "na\\nme");
	tk_error_where(&err, "evil\x1b[2J.csv", 7);
	assert_string_equal(err.where, "evil\\x1b[2J.csv:7");
	char buf[600];
	tk_error_format(&err, buf, sizeof(buf));
	for (const char *p = buf; *p; p++)
		assert_false((unsigned char)*p < 0x20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_controls),
		cmocka_unit_test(fail_escapes_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

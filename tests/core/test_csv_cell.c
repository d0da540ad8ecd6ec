/* test_csv_cell.c — the one CSV cell writer every export uses: hostile
 * texts (formulas, their full-width forms, quotes, line breaks) come out
 * as one cell of text that a spreadsheet shows and never runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv_cell.h"

static void expect_cell(const char *in, bool always, const char *want)
{
	struct textbuf b = {0};
	assert_true(csv_cell_append(&b, in, always, 1 << 20));
	assert_string_equal(b.s ? b.s : "", want);
	textbuf_free(&b);
}

static void hostile_values(void **state)
{
	(void)state;
	expect_cell("=HYPERLINK(\"http://evil\")", false, "\"'=HYPERLINK(\"\"http://evil\"\")\"");
	expect_cell("+1+1", false, "\"'+1+1\"");
	expect_cell("-2", false, "\"'-2\"");
	expect_cell("@SUM(A1)", false, "\"'@SUM(A1)\"");
	expect_cell("\t=1", false, "\"'\t=1\"");
	expect_cell("\r=1", false, "\"'\r=1\"");
	expect_cell("＝1+1", false, "\"'＝1+1\"");
	expect_cell("＋86 138", false, "\"'＋86 138\"");
	expect_cell("－5", false, "\"'－5\"");
	expect_cell("＠x", false, "\"'＠x\"");
	/* a line break or a quote cannot end the cell or the row */
	expect_cell("a\r\nb,c", false, "\"a\r\nb,c\"");
	expect_cell("say \"hi\"", false, "\"say \"\"hi\"\"\"");
	expect_cell("\"", false, "\"\"\"\"");
}

static void harmless_values(void **state)
{
	(void)state;
	expect_cell("", false, "");
	expect_cell("alice@example.com", false, "alice@example.com"); /* @ inside is fine */
	expect_cell("a-b=c", false, "a-b=c");
	expect_cell("张三", false, "张三");
	expect_cell("张三", true, "\"张三\"");
	expect_cell("", true, "\"\"");
	expect_cell("'already", false, "'already");
	assert_false(csv_cell_dangerous("1-2"));
	assert_true(csv_cell_dangerous("=1"));
	assert_false(csv_cell_dangerous("\xEF\xBC")); /* a cut sequence is not ＝ */
}

static void bounded(void **state)
{
	(void)state;
	struct textbuf b = {0};
	assert_true(csv_cell_append(&b, "abc", false, 16));
	assert_false(csv_cell_append(&b, "=0123456789abcdef", false, 16));
	assert_string_equal(b.s, "abc"); /* left as it was */
	assert_int_equal(b.len, 3);
	textbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_values),
		cmocka_unit_test(harmless_values),
		cmocka_unit_test(bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_line_reader.c — the bounded line reader: the limit exactly at N and
 * N + 1 (with and without "\r\n"), empty lines, no final newline, NUL
 * bytes, lines across blocks, an over-long line that is skipped without
 * being held, and a read error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/line_reader.h"

/* A FILE over the n bytes of text (NULs included). */
static FILE *text_file(const char *text, size_t n)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	rewind(f);
	return f;
}

static void expect_line(struct line_reader *r, const char *want, long lineno)
{
	struct tk_error err = {0};
	enum line_got got = line_reader_next(r, &err);
	if (got != LINE_GOT)
		fail_msg("line %ld: got %d (%s: %s)", lineno, got, err.where, err.msg);
	assert_int_equal(r->len, strlen(want));
	assert_memory_equal(r->s, want, r->len);
	assert_int_equal(r->s[r->len], '\0');
	assert_int_equal(r->lineno, lineno);
}

static void expect_bad(struct line_reader *r, const char *where, const char *msg)
{
	struct tk_error err = {0};
	assert_int_equal(line_reader_next(r, &err), LINE_BAD);
	assert_string_equal(err.where, where);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, msg);
	assert_int_equal(r->len, 0);
}

static void expect_end(struct line_reader *r)
{
	struct tk_error err = {0};
	long lineno = r->lineno;
	assert_int_equal(line_reader_next(r, &err), LINE_END);
	assert_int_equal(line_reader_next(r, &err), LINE_END); /* and stays there */
	assert_int_equal(r->lineno, lineno);
	assert_int_equal(err.rc, TK_OK);
}

static void test_limit_exactly(void **state)
{
	(void)state;
	static const char text[] = "12345678\n123456789\nok\n1234567\r\n12345678\r\n123456789\r\n"
				   "\r\n123\r5678\n";
	FILE *f = text_file(text, sizeof(text) - 1);
	struct line_reader r;
	line_reader_init(&r, f, "t.jsonl", 8);
	expect_line(&r, "12345678", 1);                              /* N */
	expect_bad(&r, "t.jsonl:2", "line is longer than 8 bytes"); /* N + 1 */
	expect_line(&r, "ok", 3);                                    /* the rest goes on */
	expect_line(&r, "1234567", 4);
	expect_line(&r, "12345678", 5); /* N and "\r\n" */
	expect_bad(&r, "t.jsonl:6", "line is longer than 8 bytes");
	expect_line(&r, "", 7);
	expect_line(&r, "123\r5678", 8); /* a '\r' inside a line is the line's */
	expect_end(&r);
	line_reader_free(&r);
	fclose(f);
}

static void test_empty_lines_and_no_final_newline(void **state)
{
	(void)state;
	static const char text[] = "\n\na\n\n\r\nlast";
	FILE *f = text_file(text, sizeof(text) - 1);
	struct line_reader r;
	line_reader_init(&r, f, "t", 100);
	expect_line(&r, "", 1);
	expect_line(&r, "", 2);
	expect_line(&r, "a", 3);
	expect_line(&r, "", 4);
	expect_line(&r, "", 5);
	expect_line(&r, "last", 6);
	expect_end(&r);
	line_reader_free(&r);
	fclose(f);

	f = text_file("", 0);
	line_reader_init(&r, f, "t", 100);
	expect_end(&r);
	assert_int_equal(r.lineno, 0);
	line_reader_free(&r);
	fclose(f);

	/* an over-long last line without a newline */
	f = text_file("ok\n0123456789", 13);
	line_reader_init(&r, f, "t", 4);
	expect_line(&r, "ok", 1);
	expect_bad(&r, "t:2", "line is longer than 4 bytes");
	expect_end(&r);
	line_reader_free(&r);
	fclose(f);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char text[] = "a\0b\nc\n\0\n";
	FILE *f = text_file(text, sizeof(text) - 1);
	struct line_reader r;
	line_reader_init(&r, f, "t.csv", 100);
	expect_bad(&r, "t.csv:1", "line has a NUL byte at byte 2");
	expect_line(&r, "c", 2);
	expect_bad(&r, "t.csv:3", "line has a NUL byte at byte 1");
	expect_end(&r);
	line_reader_free(&r);
	fclose(f);
}

/* Lines longer than a block come back whole; a line far over the limit is
 * read past without being held: the reader's buffer stays at max + 2. */
static void test_long_lines_across_blocks(void **state)
{
	(void)state;
	size_t big = 3 * LINE_READER_BLOCK + 17, huge = 8 * 1024 * 1024;
	size_t n = big + 1 + huge + 1 + 3 + big + 1;
	char *text = malloc(n), *p = text;
	assert_non_null(text);
	memset(p, 'a', big), p += big, *p++ = '\n';
	memset(p, 'h', huge), p += huge, *p++ = '\n';
	memcpy(p, "ok\n", 3), p += 3;
	memset(p, 'b', big), p += big, *p++ = '\n';
	assert_int_equal((size_t)(p - text), n);
	FILE *f = text_file(text, n);

	struct line_reader r;
	struct tk_error err = {0};
	line_reader_init(&r, f, "big", big);
	assert_int_equal(line_reader_next(&r, &err), LINE_GOT);
	assert_int_equal(r.len, big);
	assert_memory_equal(r.s, text, big);
	char msg[64];
	snprintf(msg, sizeof(msg), "line is longer than %zu bytes", big);
	expect_bad(&r, "big:2", msg);
	assert_true(r.cap <= big + 2);
	expect_line(&r, "ok", 3);
	assert_int_equal(line_reader_next(&r, &err), LINE_GOT);
	assert_int_equal(r.lineno, 4);
	assert_int_equal(r.len, big);
	assert_int_equal(r.s[0], 'b');
	assert_int_equal(r.s[big - 1], 'b');
	expect_end(&r);
	line_reader_free(&r);
	fclose(f);

	/* a small limit: a line of 8 MiB never grows the buffer past it */
	f = text_file(text, n);
	line_reader_init(&r, f, "small", 100);
	expect_bad(&r, "small:1", "line is longer than 100 bytes");
	expect_bad(&r, "small:2", "line is longer than 100 bytes");
	assert_true(r.cap <= 102);
	expect_line(&r, "ok", 3);
	expect_bad(&r, "small:4", "line is longer than 100 bytes");
	expect_end(&r);
	line_reader_free(&r);
	fclose(f);
	free(text);
}

static void test_read_error(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/null", "w"); /* not open for reading */
	assert_non_null(f);
	struct line_reader r;
	struct tk_error err = {0};
	line_reader_init(&r, f, "w.jsonl", 100);
	assert_int_equal(line_reader_next(&r, &err), LINE_FAILED);
	assert_int_equal(err.rc, TK_EIO);
	assert_string_equal(err.where, "w.jsonl:1");
	assert_non_null(strstr(err.msg, "cannot read"));
	line_reader_free(&r);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_exactly),
		cmocka_unit_test(test_empty_lines_and_no_final_newline),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_long_lines_across_blocks),
		cmocka_unit_test(test_read_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

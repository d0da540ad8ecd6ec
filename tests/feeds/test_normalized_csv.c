/* test_normalized_csv.c — the CSV reader's records and how it starts again
 * after a broken one: a quoted cell over exactly 16 lines and over 17,
 * "\r\n" files, an over-long line inside a quoted cell, too many cells,
 * and a broken header (which stops the file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feeds/feeds.h"

#define MAX_SEEN 64
#define HEADER "union,item,status,modified_at,commission,title\n"
#define ROW(item, title) "jd," item ",paid,2026-11-02T10:00:00+08:00,100," title "\n"

struct seen {
	int n_rows, n_rejects;
	char items[MAX_SEEN][ORDER_KEY_MAX];
	char titles[MAX_SEEN][ORDER_TITLE_MAX];
	long lines[MAX_SEEN];
	struct tk_error rejects[MAX_SEEN];
};

static enum tk_rc on_row(void *ctx, const struct order_row *row, long line,
			 struct tk_error *err)
{
	struct seen *s = ctx;
	(void)err;
	assert_true(s->n_rows < MAX_SEEN);
	snprintf(s->items[s->n_rows], ORDER_KEY_MAX, "%s", row->item);
	snprintf(s->titles[s->n_rows], ORDER_TITLE_MAX, "%s", row->title);
	s->lines[s->n_rows++] = line;
	return TK_OK;
}

static void on_reject(void *ctx, const struct tk_error *err)
{
	struct seen *s = ctx;
	assert_true(s->n_rejects < MAX_SEEN);
	s->rejects[s->n_rejects++] = *err;
}

/* Reads text as CSV; the reader's own result in *rc. */
static struct seen *read_csv_text(const char *text, size_t n, enum tk_rc *rc,
				  struct tk_error *err)
{
	static struct seen s;
	memset(&s, 0, sizeof(s));
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	rewind(f);
	*rc = feed_read(FEED_CSV, f, "t.csv", on_row, on_reject, &s, err);
	fclose(f);
	return &s;
}

static struct seen *read_ok(const char *text)
{
	struct tk_error err = {0};
	enum tk_rc rc;
	struct seen *s = read_csv_text(text, strlen(text), &rc, &err);
	if (rc)
		fail_msg("%s: %s: %s", err.where, err.field, err.msg);
	return s;
}

static void assert_reject(const struct tk_error *e, const char *where, const char *field,
			  const char *msg)
{
	assert_string_equal(e->where, where);
	assert_string_equal(e->field, field);
	assert_string_equal(e->msg, msg);
}

/* A quoted cell may hold 15 line breaks (16 lines); at 17 lines the record
 * is refused on its first line and reading starts again on its second. */
static void test_record_lines_bound(void **state)
{
	(void)state;
	char text[4096];
	size_t n = (size_t)snprintf(text, sizeof(text), HEADER "jd,A,paid,2026-11-02T10:00:00+08:00,100,\"1");
	for (int i = 2; i <= 16; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\n%d", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\"\n" ROW("B", "b"));
	struct seen *s = read_ok(text);
	assert_int_equal(s->n_rejects, 0);
	assert_int_equal(s->n_rows, 2);
	assert_string_equal(s->items[0], "A");
	assert_string_equal(s->titles[0], "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16");
	assert_int_equal(s->lines[0], 2);
	assert_int_equal(s->lines[1], 18);

	/* 17 lines: over the bound.  The lines after the first are read again
	 * as records of their own ("3" .. "16" as one-cell records), so none
	 * is lost unseen, and the row after them is read. */
	n = (size_t)snprintf(text, sizeof(text), HEADER "jd,A,paid,2026-11-02T10:00:00+08:00,100,\"1");
	for (int i = 2; i <= 17; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\n%d", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\"\n" ROW("B", "b"));
	s = read_ok(text);
	assert_int_equal(s->n_rows, 1);
	assert_string_equal(s->items[0], "B");
	assert_int_equal(s->lines[0], 19);
	assert_reject(&s->rejects[0], "t.csv:2", "title",
		      "the quoted cell is not closed within 16 lines");
	assert_reject(&s->rejects[1], "t.csv:3", "", "has 1 cells, the header has 6");
	assert_int_equal(s->n_rejects, 17); /* lines 2 .. 18 */
	assert_string_equal(s->rejects[16].where, "t.csv:18");
}

static void test_crlf(void **state)
{
	(void)state;
	struct seen *s = read_ok("union,item,status,modified_at,commission,title\r\n"
				 "jd,A,paid,2026-11-02T10:00:00+08:00,100,\"two\r\nlines\"\r\n"
				 "jd,B,paid,2026-11-02T10:00:00+08:00,100,\"q \"\"x\"\"\"\r\n"
				 "\r\n"
				 "jd,C,paid,2026-11-02T10:00:00+08:00,100,last");
	assert_int_equal(s->n_rejects, 0);
	assert_int_equal(s->n_rows, 3);
	assert_string_equal(s->titles[0], "two\nlines");
	assert_string_equal(s->titles[1], "q \"x\"");
	assert_string_equal(s->titles[2], "last");
	assert_int_equal(s->lines[2], 6);
}

/* An over-long line inside a quoted cell: the record is refused, then the
 * line itself, and the row after it is read. */
static void test_overlong_line_inside_a_record(void **state)
{
	(void)state;
	size_t big = FEED_LINE_MAX + 1;
	const char *head = HEADER "jd,A,paid,2026-11-02T10:00:00+08:00,100,\"open\n";
	const char *tail = "\n" ROW("B", "b");
	size_t n = strlen(head) + big + strlen(tail);
	char *text = malloc(n);
	assert_non_null(text);
	memcpy(text, head, strlen(head));
	memset(text + strlen(head), 'x', big);
	memcpy(text + strlen(head) + big, tail, strlen(tail));
	struct tk_error err = {0};
	enum tk_rc rc;
	struct seen *s = read_csv_text(text, n, &rc, &err);
	free(text);
	assert_int_equal(rc, TK_OK);
	assert_int_equal(s->n_rows, 1);
	assert_string_equal(s->items[0], "B");
	assert_int_equal(s->lines[0], 4);
	assert_int_equal(s->n_rejects, 2);
	assert_reject(&s->rejects[0], "t.csv:2", "title",
		      "the quoted cell runs into line 3, which is refused");
	assert_reject(&s->rejects[1], "t.csv:3", "", "line is longer than 4194304 bytes");
	assert_int_equal(s->rejects[1].rc, TK_ELIMIT);
}

static void test_too_many_cells_is_one_record(void **state)
{
	(void)state;
	char text[1024];
	size_t n = (size_t)snprintf(text, sizeof(text), HEADER "jd,A");
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, ",");
	snprintf(text + n, sizeof(text) - n, "\n" ROW("B", "b"));
	struct seen *s = read_ok(text);
	assert_int_equal(s->n_rejects, 1);
	assert_reject(&s->rejects[0], "t.csv:2", "", "more than 63 cells");
	assert_int_equal(s->rejects[0].rc, TK_ELIMIT);
	assert_int_equal(s->n_rows, 1);
	assert_string_equal(s->items[0], "B");
}

static void test_broken_header_stops_the_file(void **state)
{
	(void)state;
	struct tk_error err = {0};
	enum tk_rc rc;
	const char *text = "union,\"item\"x,status\n" ROW("A", "a");
	struct seen *s = read_csv_text(text, strlen(text), &rc, &err);
	assert_int_equal(rc, TK_EINVAL);
	assert_reject(&err, "t.csv:1", "column 2", "text after the closing quote");
	assert_int_equal(s->n_rows, 0);

	s = read_csv_text("", 0, &rc, &err);
	assert_int_equal(rc, TK_EINVAL);
	assert_reject(&err, "t.csv:1", "", "no header line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_lines_bound),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_overlong_line_inside_a_record),
		cmocka_unit_test(test_too_many_cells_is_one_record),
		cmocka_unit_test(test_broken_header_stops_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_item_list_sql.c — the orders list's one statement for both
 * backends: only the filters set appear, each value is a numbered
 * parameter of the backend's spelling (never text pasted into the SQL),
 * the cursor continues after (key, id), and SQLite is steered off the
 * paid-time index only when an indexed equality narrows the list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/item_list_sql.h"

struct built {
	struct textbuf sql;
	struct item_list_param p[ITEM_LIST_PARAMS_MAX];
	int n;
};

static void build(struct built *b, const struct item_query *q, bool pg)
{
	memset(b, 0, sizeof(*b));
	assert_true(item_list_sql(q, pg, &b->sql, b->p, &b->n));
}

static void only_what_is_set(void **state)
{
	(void)state;
	struct item_query q = {.limit = 20};
	struct built b;
	build(&b, &q, false);
	assert_int_equal(b.n, 1); /* the limit alone */
	assert_int_equal(b.p[0].v, 20);
	assert_null(strstr(b.sql.s, "paid_at >="));
	assert_null(strstr(b.sql.s, "status IN"));
	assert_non_null(strstr(b.sql.s, "ORDER BY i.paid_at DESC, i.id DESC LIMIT ?1"));
	textbuf_free(&b.sql);

	q.status_mask = (1u << 1) | (1u << 3);
	q.attribution_mask = 1u << 0;
	q.paid_from = 100;
	q.paid_to = 200;
	build(&b, &q, false);
	assert_non_null(strstr(b.sql.s, "i.status IN (1,3)"));
	assert_non_null(strstr(b.sql.s, "i.attribution IN (0)"));
	assert_non_null(strstr(b.sql.s, "i.paid_at >= ?1 AND i.paid_at < ?2"));
	assert_int_equal(b.n, 3);
	textbuf_free(&b.sql);
}

static void texts_are_parameters(void **state)
{
	(void)state;
	struct item_query q = {.limit = 5};
	strcpy(q.union_, "jd");
	strcpy(q.channel, "g1' OR 1=1 --");
	strcpy(q.product, "100012043978");
	struct built b;
	build(&b, &q, true);
	assert_null(strstr(b.sql.s, "OR 1=1"));
	assert_non_null(strstr(b.sql.s, "i.union_ = $1"));
	assert_non_null(strstr(b.sql.s, "i.product = $2"));
	assert_non_null(strstr(b.sql.s, "i.channel <> '' AND i.channel = $3"));
	assert_string_equal(b.p[2].s, q.channel);
	assert_null(strstr(b.sql.s, "?"));
	textbuf_free(&b.sql);
}

static void cursor_and_direction(void **state)
{
	(void)state;
	struct item_query q = {.limit = 10, .sort = ITEM_SORT_AMOUNT, .asc = true, .after = true,
			       .after_key = 1990, .after_id = 7};
	struct built b;
	build(&b, &q, false);
	assert_non_null(strstr(b.sql.s, "(i.amount, i.id) > (?1, ?2)"));
	assert_non_null(strstr(b.sql.s, "ORDER BY i.amount ASC, i.id ASC LIMIT ?3"));
	assert_int_equal(b.p[0].v, 1990);
	assert_int_equal(b.p[1].v, 7);
	textbuf_free(&b.sql);
	q.asc = false;
	build(&b, &q, false);
	assert_non_null(strstr(b.sql.s, "(i.amount, i.id) < (?1, ?2)"));
	textbuf_free(&b.sql);
}

static void narrowing_on_sqlite_only(void **state)
{
	(void)state;
	struct item_query q = {.limit = 10, .payee = 42};
	struct built b;
	build(&b, &q, false);
	assert_non_null(strstr(b.sql.s, "(i.m1 = ?1 OR i.m2 = ?1 OR i.m3 = ?1)"));
	assert_non_null(strstr(b.sql.s, "ORDER BY +i.paid_at DESC"));
	textbuf_free(&b.sql);
	build(&b, &q, true);
	assert_null(strstr(b.sql.s, "+i.paid_at"));
	textbuf_free(&b.sql);
	q.payee = 0;
	build(&b, &q, false);
	assert_null(strstr(b.sql.s, "+i.paid_at"));
	textbuf_free(&b.sql);
}

static void totals_share_the_filters(void **state)
{
	(void)state;
	struct item_query q = {.limit = 1, .payee = 9, .status_mask = 1u << 3};
	struct built b;
	memset(&b, 0, sizeof(b));
	assert_true(item_totals_sql(&q, false, &b.sql, b.p, &b.n));
	assert_non_null(strstr(b.sql.s, "WHEN i.m1 = ?1 THEN i.a1"));
	assert_non_null(strstr(b.sql.s, "i.status IN (3)"));
	assert_null(strstr(b.sql.s, "ORDER BY"));
	assert_null(strstr(b.sql.s, "LIMIT"));
	for (int k = 0; k < b.n; k++)
		assert_int_equal(b.p[k].v, 9);
	textbuf_free(&b.sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_what_is_set),
		cmocka_unit_test(texts_are_parameters),
		cmocka_unit_test(cursor_and_direction),
		cmocka_unit_test(narrowing_on_sqlite_only),
		cmocka_unit_test(totals_share_the_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

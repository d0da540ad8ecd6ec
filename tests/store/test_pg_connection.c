/* test_pg_connection.c — the PostgreSQL backend's connection layer on the
 * suite's throwaway server: migrations once, parameters and bytea, cursors
 * that let the callback run statements, a failed statement failing its
 * transaction's commit, the writer lock between two connections, and URIs
 * shown without their password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fresh_db.h"
#include "store/pg_internal.h"

static struct store *open_fresh(char *uri, size_t size)
{
	return test_store_fresh(TEST_FRESH_PG, uri, size);
}

static void test_migrations_once(void **state)
{
	(void)state;
	char uri[512];
	struct store *st = open_fresh(uri, sizeof(uri));
	struct tk_error err = {0};
	int64_t n1 = 0, n2 = 0;
	assert_int_equal(pg_int_of(pg_of(st), NULL, "SELECT count(*) FROM schema_migrations", NULL,
				   -1, &n1, "counting", &err),
			 TK_OK);
	st->ops->close(st);
	/* a second open finds every migration applied */
	assert_int_equal(store_open(uri, NULL, &st, &err), TK_OK);
	assert_int_equal(pg_int_of(pg_of(st), NULL, "SELECT count(*) FROM schema_migrations", NULL,
				   -1, &n2, "counting", &err),
			 TK_OK);
	assert_int_equal(n1, n2);
	st->ops->close(st);
}

struct sums {
	struct pg_store *s;
	int64_t sum, rows, inner;
};

static bool add_row(void *ctx, const PGresult *r, int row)
{
	struct sums *c = ctx;
	struct tk_error err = {0};
	int64_t one = 0;
	c->sum += pg_int(r, row, 0);
	c->rows++;
	/* another statement on the same connection, between rows */
	if (pg_int_of(c->s, "t.one", "SELECT 1", NULL, 0, &one, "one", &err) == TK_OK)
		c->inner += one;
	return true;
}

static void test_params_cursor_bytes(void **state)
{
	(void)state;
	char uri[512];
	struct store *st = open_fresh(uri, sizeof(uri));
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	assert_int_equal(pg_exec_script(s, "CREATE TABLE t (x bigint, b bytea, s text)", "t", &err),
			 TK_OK);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	for (int i = 1; i <= 2500; i++) {
		struct pg_params p;
		pg_params_init(&p);
		uint8_t h[3] = {(uint8_t)i, 0xab, 0};
		pg_p_int(&p, i);
		pg_p_bytes(&p, h, 3);
		pg_p_text_or_null(&p, i % 2 ? "" : "二");
		assert_int_equal(pg_exec(s, "t.ins", "INSERT INTO t VALUES ($1, $2, $3)", &p, "ins",
					 &err),
				 TK_OK);
	}
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);

	struct sums c = {.s = s};
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, 100);
	assert_int_equal(pg_each_row(s, "SELECT x FROM t WHERE x > $1 ORDER BY x", &p, add_row, &c,
				     "each", &err),
			 TK_OK);
	assert_int_equal(c.rows, 2400); /* more than two fetches' worth */
	assert_int_equal(c.sum, 2500 * 2501 / 2 - 100 * 101 / 2);
	assert_int_equal(c.inner, 2400);

	PGresult *r = pg_run(s, NULL, "SELECT b, s FROM t WHERE x = 3", NULL, "b", &err);
	assert_non_null(r);
	uint8_t out[8];
	assert_int_equal(pg_bytes(r, 0, 0, out, sizeof(out)), 3);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 0xab);
	assert_int_equal(out[2], 0);
	assert_true(pg_is_null(r, 0, 1)); /* "" went in as NULL */
	PQclear(r);
	st->ops->close(st);
}

static void test_failed_statement_fails_commit(void **state)
{
	(void)state;
	char uri[512];
	struct store *st = open_fresh(uri, sizeof(uri));
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	assert_int_equal(pg_exec_script(s, "CREATE TABLE u (k text PRIMARY KEY)", "u", &err), TK_OK);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(pg_exec(s, NULL, "INSERT INTO u VALUES ('a')", NULL, "a", &err), TK_OK);
	/* a duplicate key is a conflict, and it spoils the transaction */
	assert_int_equal(pg_exec(s, NULL, "INSERT INTO u VALUES ('a')", NULL, "a again", &err),
			 TK_ECONFLICT);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_EIO);
	int64_t n = -1;
	assert_int_equal(pg_int_of(s, NULL, "SELECT count(*) FROM u", NULL, -1, &n, "n", &err), TK_OK);
	assert_int_equal(n, 0);
	/* nested transactions are refused */
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_EIO);
	st->ops->tx_rollback(st);
	st->ops->close(st);
}

static void test_writer_lock(void **state)
{
	(void)state;
	char uri[512];
	struct store *a = open_fresh(uri, sizeof(uri)), *b = NULL, *clicks = NULL;
	struct tk_error err = {0};
	assert_int_equal(store_open(uri, NULL, &b, &err), TK_OK);
	assert_int_equal(store_open(uri, &(struct store_options){.appender = true}, &clicks, &err),
			 TK_OK);
	assert_int_equal(pg_exec_script(pg_of(b), "SET lock_timeout = '200ms'", "t", &err), TK_OK);
	assert_int_equal(a->ops->tx_begin(a, &err), TK_OK);
	/* a second writer waits for the first, here past its lock timeout */
	assert_int_equal(b->ops->tx_begin(b, &err), TK_EIO);
	assert_non_null(strstr(err.msg, "lock"));
	/* an appender does not wait, nor does a reader */
	assert_int_equal(clicks->ops->tx_begin(clicks, &err), TK_OK);
	assert_int_equal(clicks->ops->tx_commit(clicks, &err), TK_OK);
	int64_t seq = -1;
	assert_int_equal(pg_int_of(pg_of(b), NULL, "SELECT 7", NULL, 0, &seq, "read", &err), TK_OK);
	assert_int_equal(seq, 7);
	assert_int_equal(a->ops->tx_commit(a, &err), TK_OK);
	assert_int_equal(b->ops->tx_begin(b, &err), TK_OK);
	assert_int_equal(b->ops->tx_commit(b, &err), TK_OK);
	a->ops->close(a);
	b->ops->close(b);
	clicks->ops->close(clicks);
}

static void test_uri_redacted(void **state)
{
	(void)state;
	char out[256];
	store_uri_redact("postgresql://app:s3cret@db.internal:5432/tuike", out, sizeof(out));
	assert_string_equal(out, "postgresql://app:***@db.internal:5432/tuike");
	store_uri_redact("postgresql://app@db/tuike", out, sizeof(out));
	assert_string_equal(out, "postgresql://app@db/tuike");
	assert_true(store_uri_is_pg("postgres://x/y"));
	assert_false(store_uri_is_pg("/var/lib/tuike/tuike.db"));
	struct store *st = NULL;
	struct tk_error err = {0};
	assert_int_equal(store_open("postgresql://app:s3cret@/nosuchdb?host=/nonexistent", NULL, &st,
				    &err),
			 TK_EIO);
	assert_null(strstr(err.msg, "s3cret"));
	assert_non_null(strstr(err.msg, "app:***@"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_once),
		cmocka_unit_test(test_params_cursor_bytes),
		cmocka_unit_test(test_failed_statement_fails_commit),
		cmocka_unit_test(test_writer_lock),
		cmocka_unit_test(test_uri_redacted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

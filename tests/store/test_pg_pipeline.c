/* test_pg_pipeline.c — PostgreSQL's write path on the suite's throwaway
 * server: writes queued in libpq's pipeline inside a write transaction,
 * a statement failing in the middle of a queued batch (its own words in the
 * error, nothing applied, the store still working, ids without a gap),
 * reads that see the queue, the read-ahead of an import's items and
 * bindings answering what the tables hold, and an import's batched writes
 * (one multi-row statement per table) seen by every read, dropped whole by
 * a rollback, and refusing a sum beyond 64 bits with the key named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fresh_db.h"
#include "store/pg_internal.h"

#define OK(call)                                                   \
	do {                                                       \
		enum tk_rc rc_ = (call);                           \
		if (rc_ != TK_OK)                                  \
			fail_msg("%s: %d %s", #call, rc_, err.msg); \
	} while (0)

static struct store *open_fresh(void)
{
	char uri[512];
	return test_store_fresh(TEST_FRESH_PG, uri, sizeof(uri));
}

static int64_t count(struct store *st, const char *sql)
{
	struct tk_error err = {0};
	int64_t n = -1;
	OK(pg_int_of(pg_of(st), NULL, sql, NULL, -1, &n, "counting", &err));
	return n;
}

static struct transfer transfer_of(int64_t debit, int64_t credit, int64_t amount)
{
	return (struct transfer){.debit = debit, .credit = credit, .amount = amount,
				 .code = TR_ADJUST, .at = 1000};
}

/* A batch of writes is queued, not waited for; a read in the same
 * transaction sees all of it; ids come one past the newest, in order. */
static void test_queued_writes_seen_by_reads(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	OK(st->ops->tx_begin(st, &err));
	struct transfer t1 = transfer_of(1, 2, 10), t2 = transfer_of(2, 3, 20);
	OK(st->ops->transfer_insert(st, &t1, &err));
	OK(st->ops->transfer_insert(st, &t2, &err));
	OK(st->ops->balance_add(st, 2, 10, &err));
	OK(st->ops->balance_add(st, 2, 5, &err));
	assert_int_equal(t1.id, 1);
	assert_int_equal(t2.id, 2);
	/* queued since the last statement prepared on this connection drained */
	assert_int_equal(s->n_pending, 2);
	int64_t v = 0;
	OK(st->ops->balance_get(st, 2, &v, &err));
	assert_int_equal(v, 15);
	assert_int_equal(s->n_pending, 0);
	assert_int_equal(PQpipelineStatus(s->conn), PQ_PIPELINE_OFF);
	/* more than the queue holds: drained on the way, all of it applied */
	for (int i = 0; i < 3 * PG_PIPE_MAX; i++)
		OK(st->ops->balance_add(st, 100 + i % 7, 1, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT sum(balance) FROM balances WHERE account >= 100"),
			 3 * PG_PIPE_MAX);
	assert_int_equal(count(st, "SELECT max(id) FROM transfers"), 2);
	/* after the commit nothing is left queued, and all of it is there */
	assert_int_equal(s->n_pending, 0);
	assert_int_equal(count(st, "SELECT balance FROM balances WHERE account = 2"), 15);
	st->ops->close(st);
}

/* A statement fails in the middle of a queued batch: the next read reports
 * it in its own words, nothing of the transaction is applied, and the store
 * goes on (the next transaction numbers its rows from the same place). */
static void test_failure_in_the_middle(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	OK(st->ops->tx_begin(st, &err));
	struct transfer t = transfer_of(1, 2, 10);
	OK(st->ops->transfer_insert(st, &t, &err));
	OK(st->ops->tx_commit(st, &err));

	OK(st->ops->tx_begin(st, &err));
	struct transfer ok1 = transfer_of(1, 2, 5), bad = transfer_of(1, 2, 0),
			ok2 = transfer_of(2, 1, 7);
	OK(st->ops->balance_add(st, 1, -5, &err));
	OK(st->ops->transfer_insert(st, &ok1, &err));
	OK(st->ops->transfer_insert(st, &bad, &err)); /* amount 0: the table refuses it */
	OK(st->ops->transfer_insert(st, &ok2, &err));
	OK(st->ops->balance_add(st, 2, 5, &err));
	assert_int_equal(s->n_pending, 4);
	int64_t v = 0;
	struct tk_error rerr = {0};
	assert_int_equal(st->ops->balance_get(st, 1, &v, &rerr), TK_ECONFLICT);
	assert_non_null(strstr(rerr.msg, "database error while posting a transfer"));
	assert_non_null(strstr(rerr.msg, "transfers_amount_check"));
	assert_int_equal(s->n_pending, 0);
	st->ops->tx_rollback(st);
	assert_int_equal(count(st, "SELECT count(*) FROM transfers"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM balances"), 0);

	/* found at commit: the commit fails with it, and rolls back */
	OK(st->ops->tx_begin(st, &err));
	struct transfer ok3 = transfer_of(1, 2, 5);
	OK(st->ops->transfer_insert(st, &ok3, &err));
	assert_int_equal(ok3.id, 2);
	OK(st->ops->balance_add(st, 3, INT64_MAX, &err));
	OK(st->ops->balance_add(st, 3, 1, &err)); /* beyond 64 bits */
	OK(st->ops->balance_add(st, 4, 1, &err));
	assert_int_equal(st->ops->tx_commit(st, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg,
			    "the balance of account 3 would go beyond the 64-bit range: refused");
	st->ops->tx_rollback(st); /* as callers do: harmless after a failed commit */
	assert_int_equal(count(st, "SELECT count(*) FROM transfers"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM balances"), 0);

	/* the store keeps working, and the rolled-back ids are given again */
	OK(st->ops->tx_begin(st, &err));
	struct transfer again = transfer_of(1, 2, 9);
	OK(st->ops->transfer_insert(st, &again, &err));
	OK(st->ops->balance_add(st, 2, 9, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(again.id, 2);
	assert_int_equal(count(st, "SELECT count(*) FROM transfers"), 2);
	assert_int_equal(count(st, "SELECT balance FROM balances WHERE account = 2"), 9);

	/* a rollback with writes still queued drops them */
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->balance_add(st, 2, 100, &err));
	assert_int_equal(s->n_pending, 1);
	st->ops->tx_rollback(st);
	assert_int_equal(s->n_pending, 0);
	assert_int_equal(count(st, "SELECT balance FROM balances WHERE account = 2"), 9);
	st->ops->close(st);
}

static struct order_row row_of(const char *union_, const char *key, const char *buyer)
{
	struct order_row r;
	memset(&r, 0, sizeof(r));
	snprintf(r.union_, sizeof(r.union_), "%s", union_);
	snprintf(r.item, sizeof(r.item), "%s", key);
	snprintf(r.buyer, sizeof(r.buyer), "%s", buyer);
	r.status = ST_PAID;
	r.modified_at = 1000;
	r.amount = 100;
	r.commission = 10;
	r.quantity = 1;
	return r;
}

/* The read-ahead answers item_get and binding_get with what the tables
 * hold: an item written since is read again, a binding put since is the
 * one given, and nothing is kept past the transaction. */
static void test_read_ahead(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct item_rec it, got;
	memset(&it, 0, sizeof(it));
	it.row = row_of("jd", "k\"1\\", "b1");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_insert(st, &it, &err));
	OK(st->ops->tx_commit(st, &err));

	struct order_row rows[4] = {row_of("jd", "k\"1\\", "b1"), row_of("jd", "k2", "b1"),
				    row_of("pdd", "k\"1\\", ""), row_of("jd", "k\"1\\", "b2")};
	const char ns[4][BUYER_NS_MAX] = {"", "", "", "jd:openid"};
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->rows_ahead(st, rows, ns, 4, &err));
	assert_non_null(s->ahead);
	OK(st->ops->item_get(st, "jd", "k\"1\\", &got, &err));
	assert_int_equal(got.id, it.id);
	assert_string_equal(got.row.buyer, "b1");
	assert_int_equal(st->ops->item_get(st, "jd", "k2", &got, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no jd order item \"k2\"");
	assert_int_equal(st->ops->item_get(st, "pdd", "k\"1\\", &got, &err), TK_ENOTFOUND);
	/* written since: the next answer is the table's */
	struct item_rec was = it;
	it.row.status = ST_SETTLED;
	it.row.settled_at = 2000;
	OK(st->ops->item_update(st, &was, &it, &err));
	OK(st->ops->item_get(st, "jd", "k\"1\\", &got, &err));
	assert_int_equal(got.row.status, ST_SETTLED);
	struct item_rec k2;
	memset(&k2, 0, sizeof(k2));
	k2.row = rows[1];
	OK(st->ops->item_insert(st, &k2, &err));
	assert_int_equal(k2.id, it.id + 1);
	OK(st->ops->item_get(st, "jd", "k2", &got, &err));
	assert_int_equal(got.id, k2.id);
	/* bindings: absent, then as put, in their namespace */
	struct binding_rec bind;
	assert_int_equal(st->ops->binding_get(st, "", "b1", &bind, &err), TK_ENOTFOUND);
	struct binding_rec put = {.member = 0, .item = k2.id, .at = 1500};
	/* a member to bind to */
	struct member_rec m;
	memset(&m, 0, sizeof(m));
	snprintf(m.ext, sizeof(m.ext), "m1");
	snprintf(m.level, sizeof(m.level), "member");
	OK(st->ops->member_insert(st, &m, &err));
	put.member = m.id;
	OK(st->ops->binding_put(st, "", "b1", &put, &err));
	OK(st->ops->binding_get(st, "", "b1", &bind, &err));
	assert_int_equal(bind.member, m.id);
	assert_int_equal(bind.item, k2.id);
	assert_int_equal(bind.at, 1500);
	assert_int_equal(st->ops->binding_get(st, "jd:openid", "b1", &bind, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err));
	assert_null(s->ahead);

	/* read ahead again: the binding and both items as committed */
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->rows_ahead(st, rows, ns, 2, &err));
	OK(st->ops->binding_get(st, "", "b1", &bind, &err));
	assert_int_equal(bind.member, m.id);
	assert_int_equal(bind.item, k2.id);
	OK(st->ops->item_get(st, "jd", "k2", &got, &err));
	assert_int_equal(got.id, k2.id);
	st->ops->tx_rollback(st);
	assert_null(s->ahead);
	/* outside a write transaction it is no more than a hint */
	OK(st->ops->rows_ahead(st, rows, ns, 2, &err));
	assert_null(s->ahead);
	st->ops->close(st);
}

/* Opens a bulk transaction: rows_ahead says an import runs. */
static void bulk_begin(struct store *st)
{
	struct tk_error err = {0};
	struct order_row row = row_of("jd", "none", "");
	const char ns[1][BUYER_NS_MAX] = {""};
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->rows_ahead(st, &row, ns, 1, &err));
	assert_true(pg_batching(pg_of(st)));
}

/* An import's writes to the append-and-add tables wait in batches, none
 * in the pipeline; a read of any of them sees all of it (the same key
 * twice summed, text of every kind exact); a rollback in the middle leaves
 * nothing behind for the next transaction; a sum beyond 64 bits names its
 * key, as the single-row statements do. */
static void test_batched_writes(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	int64_t v = 0, ev = 0;
	bulk_begin(st);
	struct transfer t1 = transfer_of(1, 2, 10), t2 = transfer_of(2, 3, 20);
	OK(st->ops->transfer_insert(st, &t1, &err));
	OK(st->ops->transfer_insert(st, &t2, &err));
	assert_int_equal(t1.id, 1);
	assert_int_equal(t2.id, 2);
	OK(st->ops->balance_add(st, 2, 10, &err));
	OK(st->ops->balance_add(st, 2, 5, &err)); /* the same account twice: summed */
	int64_t stat[STAT_N] = {1, 100};
	OK(st->ops->stats_add(st, 20000, 1, "m\"1\\", stat, &err));
	OK(st->ops->stats_add(st, 20000, 1, "m\"1\\", stat, &err));
	OK(st->ops->product_sales_add(st, "jd", "p,{1}", 2, 1, &err));
	OK(st->ops->product_sales_add(st, "jd", "p,{1}", 1, 0, &err));
	struct order_row raw = row_of("jd", "k1", "");
	raw.raw = "{\"title\":\"a \\\"b\\\" c\\\\ 鼠标, {NULL}\"}";
	OK(st->ops->item_event_insert(st, 0, &raw, 1000, "NULL", &ev, &err));
	assert_int_equal(ev, 1);
	assert_true(s->n_batched > 0);
	assert_int_equal(s->n_pending, 0); /* nothing sent yet */
	OK(st->ops->balance_get(st, 2, &v, &err));
	assert_int_equal(v, 15);
	assert_int_equal(s->n_batched, 0);
	assert_int_equal(count(st, "SELECT count(*) FROM transfers"), 2);
	assert_int_equal(count(st, "SELECT sum(amount) FROM transfers WHERE id = 2"), 20);
	assert_int_equal(count(st, "SELECT orders * 1000 + gmv FROM daily_stats "
				   "WHERE key = 'm\"1\\' AND day = 20000 AND dim = 1"),
			 2200);
	assert_int_equal(count(st, "SELECT orders * 10 + refunds FROM product_sales "
				   "WHERE union_ = 'jd' AND product = 'p,{1}'"),
			 31);
	PGresult *r = pg_run(s, NULL, "SELECT raw, note FROM item_events WHERE id = 1", NULL,
			     "reading", &err);
	assert_non_null(r);
	assert_string_equal(PQgetvalue(r, 0, 0), raw.raw);
	assert_string_equal(PQgetvalue(r, 0, 1), "NULL"); /* the text, not SQL's NULL */
	PQclear(r);
	/* batched again after the read; the commit sends it */
	OK(st->ops->balance_add(st, 3, 7, &err));
	assert_int_equal(s->n_batched, 1);
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(s->n_batched, 0);
	assert_false(pg_batching(s));
	assert_int_equal(count(st, "SELECT balance FROM balances WHERE account = 3"), 7);

	/* a rollback in the middle of a batch: nothing of it is left */
	bulk_begin(st);
	struct transfer t3 = transfer_of(1, 2, 5);
	OK(st->ops->transfer_insert(st, &t3, &err));
	assert_int_equal(t3.id, 3);
	OK(st->ops->balance_add(st, 3, 100, &err));
	st->ops->tx_rollback(st);
	assert_int_equal(s->n_batched, 0);
	OK(st->ops->tx_begin(st, &err)); /* not bulk: one statement per write */
	struct transfer t4 = transfer_of(1, 2, 6);
	OK(st->ops->transfer_insert(st, &t4, &err));
	assert_int_equal(t4.id, 3);
	assert_int_equal(s->n_batched, 0);
	OK(st->ops->balance_get(st, 3, &v, &err));
	assert_int_equal(v, 7);
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT count(*) FROM transfers"), 3);

	/* beyond 64 bits: the account named, TK_ELIMIT, nothing applied */
	bulk_begin(st);
	OK(st->ops->balance_add(st, 2, 1, &err));
	OK(st->ops->balance_add(st, 9, INT64_MAX, &err));
	OK(st->ops->balance_add(st, 9, 1, &err));
	struct tk_error rerr = {0};
	assert_int_equal(st->ops->tx_commit(st, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg,
			    "the balance of account 9 would go beyond the 64-bit range: refused");
	st->ops->tx_rollback(st);
	assert_int_equal(count(st, "SELECT balance FROM balances WHERE account = 2"), 15);
	bulk_begin(st);
	OK(st->ops->balance_add(st, 3, INT64_MAX, &err)); /* 7 stored: beyond */
	assert_int_equal(st->ops->balance_get(st, 3, &v, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg,
			    "the balance of account 3 would go beyond the 64-bit range: refused");
	st->ops->tx_rollback(st);
	int64_t big[STAT_N] = {0, INT64_MAX};
	bulk_begin(st);
	OK(st->ops->stats_add(st, 20000, 1, "m\"1\\", big, &err));
	assert_int_equal(st->ops->tx_commit(st, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg, "the daily statistics of day 20000, key \"m\"1\\\" would go "
				      "beyond the 64-bit range: refused");
	st->ops->tx_rollback(st);
	assert_int_equal(count(st, "SELECT gmv FROM daily_stats WHERE day = 20000"), 200);
	st->ops->close(st);
}

/* A batched upsert's sum with what the row holds, checked in 64 bits:
 * exactly the edges are taken, one past either edge is refused with the
 * key named (TK_ELIMIT), and nothing of the refused transaction stays. */
static void test_sums_at_the_edges(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct tk_error err = {0}, rerr = {0};
	int64_t v;
	bulk_begin(st);
	OK(st->ops->balance_add(st, 5, -10, &err));
	OK(st->ops->balance_add(st, 6, 10, &err));
	OK(st->ops->tx_commit(st, &err));
	bulk_begin(st);
	OK(st->ops->balance_add(st, 5, INT64_MIN + 10, &err));
	OK(st->ops->balance_add(st, 6, INT64_MAX - 10, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->balance_get(st, 5, &v, &err));
	assert_true(v == INT64_MIN);
	OK(st->ops->balance_get(st, 6, &v, &err));
	assert_true(v == INT64_MAX);
	bulk_begin(st);
	OK(st->ops->balance_add(st, 5, -1, &err));
	assert_int_equal(st->ops->tx_commit(st, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg,
			    "the balance of account 5 would go beyond the 64-bit range: refused");
	st->ops->tx_rollback(st);
	bulk_begin(st);
	OK(st->ops->balance_add(st, 6, 1, &err));
	assert_int_equal(st->ops->tx_commit(st, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg,
			    "the balance of account 6 would go beyond the 64-bit range: refused");
	st->ops->tx_rollback(st);
	OK(st->ops->balance_get(st, 5, &v, &err));
	assert_true(v == INT64_MIN);
	/* the daily statistics the same, below zero */
	int64_t low[STAT_N] = {0, -5}, lowest[STAT_N] = {0, INT64_MIN + 5}, one[STAT_N] = {0, -1};
	bulk_begin(st);
	OK(st->ops->stats_add(st, 30000, 1, "k", low, &err));
	OK(st->ops->tx_commit(st, &err));
	bulk_begin(st);
	OK(st->ops->stats_add(st, 30000, 1, "k", lowest, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_true(count(st, "SELECT gmv FROM daily_stats WHERE day = 30000") == INT64_MIN);
	bulk_begin(st);
	OK(st->ops->stats_add(st, 30000, 1, "k", one, &err));
	assert_int_equal(st->ops->tx_commit(st, &rerr), TK_ELIMIT);
	assert_string_equal(rerr.msg, "the daily statistics of day 30000, key \"k\" would go "
				      "beyond the 64-bit range: refused");
	st->ops->tx_rollback(st);
	st->ops->close(st);
}

/* An additive upsert's batch is sent row for row while its keys are all
 * new to it, and summed per key from the first key that comes again (a
 * statement must not touch a row twice): the sums are the same. */
static void test_keys_twice_summed(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	int64_t v;
	int64_t one[STAT_N] = {1, 10}, two[STAT_N] = {2, 20};
	bulk_begin(st);
	OK(st->ops->stats_add(st, 40000, 1, "a", one, &err));
	OK(st->ops->stats_add(st, 40000, 1, "b", two, &err));
	OK(st->ops->stats_add(st, 40000, 2, "a", two, &err));
	OK(st->ops->balance_add(st, 4, 5, &err));
	OK(st->ops->balance_add(st, 5, 6, &err));
	OK(st->ops->product_sales_add(st, "jd", "p1", 1, 0, &err));
	assert_string_equal(s->batch[PG_BATCH_STATS].def->name, "core.stats_add.batch.plain");
	assert_string_equal(s->batch[PG_BATCH_BALANCES].def->name, "core.balance_add.batch.plain");
	assert_string_equal(s->batch[PG_BATCH_SALES].def->name,
			    "core.product_sales_add.batch.plain");
	OK(st->ops->tx_commit(st, &err));
	bulk_begin(st);
	OK(st->ops->stats_add(st, 40000, 1, "a", one, &err));
	OK(st->ops->stats_add(st, 40000, 1, "b", two, &err));
	assert_string_equal(s->batch[PG_BATCH_STATS].def->name, "core.stats_add.batch.plain");
	OK(st->ops->stats_add(st, 40000, 1, "a", two, &err));
	assert_string_equal(s->batch[PG_BATCH_STATS].def->name, "core.stats_add.batch");
	OK(st->ops->stats_add(st, 40000, 1, "c", one, &err)); /* grouped to the end */
	assert_string_equal(s->batch[PG_BATCH_STATS].def->name, "core.stats_add.batch");
	OK(st->ops->balance_add(st, 4, 5, &err));
	OK(st->ops->balance_add(st, 4, -1, &err));
	assert_string_equal(s->batch[PG_BATCH_BALANCES].def->name, "core.balance_add.batch");
	OK(st->ops->product_sales_add(st, "jd", "p1", 1, 0, &err));
	OK(st->ops->product_sales_add(st, "jd", "p1", 0, 1, &err));
	OK(st->ops->tx_commit(st, &err));
	/* a new batch starts row for row again */
	bulk_begin(st);
	OK(st->ops->stats_add(st, 40000, 1, "a", one, &err));
	assert_string_equal(s->batch[PG_BATCH_STATS].def->name, "core.stats_add.batch.plain");
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT orders FROM daily_stats WHERE day = 40000 AND dim = 1 "
				   "AND key = 'a'"),
			 1 + 1 + 2 + 1);
	assert_int_equal(count(st, "SELECT gmv FROM daily_stats WHERE day = 40000 AND dim = 1 "
				   "AND key = 'a'"),
			 10 + 10 + 20 + 10);
	assert_int_equal(count(st, "SELECT gmv FROM daily_stats WHERE day = 40000 AND dim = 1 "
				   "AND key = 'b'"),
			 40);
	assert_int_equal(count(st, "SELECT gmv FROM daily_stats WHERE day = 40000 AND dim = 2 "
				   "AND key = 'a'"),
			 20);
	assert_int_equal(count(st, "SELECT orders FROM daily_stats WHERE day = 40000 AND "
				   "key = 'c'"),
			 1);
	OK(st->ops->balance_get(st, 4, &v, &err));
	assert_int_equal(v, 9);
	OK(st->ops->balance_get(st, 5, &v, &err));
	assert_int_equal(v, 6);
	assert_int_equal(count(st, "SELECT orders * 10 + refunds FROM product_sales"), 21);
	st->ops->close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queued_writes_seen_by_reads),
		cmocka_unit_test(test_failure_in_the_middle),
		cmocka_unit_test(test_read_ahead),
		cmocka_unit_test(test_batched_writes),
		cmocka_unit_test(test_sums_at_the_edges),
		cmocka_unit_test(test_keys_twice_summed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

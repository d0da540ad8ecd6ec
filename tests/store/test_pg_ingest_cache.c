/* test_pg_ingest_cache.c — what an import's chunk answers on PostgreSQL
 * without asking the table: a buyer's items (complete only for the
 * chunk's buyers, kept current by the transaction's inserts and updates,
 * a buyer moved away or in), an item written earlier in the chunk
 * (normalised exactly as the table gives it back), and the item writes
 * held back per id (an insert and its updates one insert; sent before a
 * statement that reads items, at commit and at the cap; dropped by a
 * rollback).  Every answer from the cache is checked against the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
	struct store *st = NULL;
	struct tk_error err = {0};
	assert_true(test_pg_fresh(uri, sizeof(uri)));
	if (store_open(uri, NULL, &st, &err))
		fail_msg("open: %s", err.msg);
	return st;
}

static int64_t count(struct store *st, const char *sql)
{
	struct tk_error err = {0};
	int64_t n = -1;
	OK(pg_int_of(pg_of(st), NULL, sql, NULL, -1, &n, "counting", &err));
	return n;
}

static struct order_row row_of(const char *union_, const char *key, const char *kind,
			       const char *buyer)
{
	struct order_row r;
	memset(&r, 0, sizeof(r));
	snprintf(r.union_, sizeof(r.union_), "%s", union_);
	snprintf(r.item, sizeof(r.item), "%s", key);
	snprintf(r.buyer_kind, sizeof(r.buyer_kind), "%s", kind);
	snprintf(r.buyer, sizeof(r.buyer), "%s", buyer);
	r.status = ST_PAID;
	r.modified_at = 1000;
	r.amount = 100;
	r.commission = 10;
	r.quantity = 1;
	return r;
}

static struct item_rec item_of(const char *union_, const char *key, const char *kind,
			       const char *buyer)
{
	struct item_rec it;
	memset(&it, 0, sizeof(it));
	it.row = row_of(union_, key, kind, buyer);
	return it;
}

/* The ids item_each_buyer gives, in its order, as "1,2,3". */
struct ids {
	char text[256];
};

static bool ids_add(void *ctx, const struct item_rec *it)
{
	struct ids *b = ctx;
	size_t n = strlen(b->text);
	snprintf(b->text + n, sizeof(b->text) - n, "%s%lld", n ? "," : "", (long long)it->id);
	return true;
}

static const char *buyer_ids(struct store *st, const char *union_, const char *kind,
			     const char *buyer, struct ids *b)
{
	struct tk_error err = {0};
	b->text[0] = '\0';
	OK(st->ops->item_each_buyer(st, union_, kind, buyer, ids_add, b, &err));
	return b->text;
}

/* The same question put to the table itself (every held-back write sent). */
static const char *table_ids(struct store *st, const char *union_, const char *kind,
			     const char *buyer, struct ids *b)
{
	struct tk_error err = {0};
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, buyer);
	pg_p_text(&p, kind);
	pg_p_text(&p, union_);
	PGresult *r = pg_run(pg_of(st), NULL,
			     "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM items "
			     "WHERE buyer = $1 AND buyer <> '' AND buyer_kind = $2 AND "
			     "($2 = '' OR union_ = $3)",
			     &p, "reading", &err);
	assert_non_null(r);
	snprintf(b->text, sizeof(b->text), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return b->text;
}

/* Opens a bulk transaction reading ahead for `rows`, all in the
 * platform's namespace. */
static void chunk_begin(struct store *st, const struct order_row *rows, int n)
{
	struct tk_error err = {0};
	char(*ns)[BUYER_NS_MAX] = calloc((size_t)n, sizeof(*ns));
	assert_non_null(ns);
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->rows_ahead(st, rows, (const char(*)[BUYER_NS_MAX])ns, n, &err));
	free(ns);
	assert_true(pg_batching(pg_of(st)));
	assert_non_null(pg_of(st)->ahead);
}

/* A buyer's items come from the chunk's read-ahead for the chunk's buyers
 * (no statement: the held-back writes stay held back), in id order, with
 * the transaction's own inserts and updates in them — a new item of the
 * buyer, an item whose buyer moved away — and are what the table answers;
 * a buyer the chunk did not read ahead is asked of the table. */
static void test_buyer_items(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct ids a, b;
	struct item_rec i1 = item_of("jd", "k1", "", "b1"), i2 = item_of("pdd", "k2", "", "b1"),
			i3 = item_of("tb", "k3", "special_id", "b1"),
			i4 = item_of("jd", "k4", "", "b2"), i5 = item_of("jd", "k5", "", "b2");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_insert(st, &i1, &err));
	OK(st->ops->item_insert(st, &i2, &err));
	OK(st->ops->item_insert(st, &i3, &err));
	OK(st->ops->item_insert(st, &i4, &err));
	OK(st->ops->item_insert(st, &i5, &err));
	OK(st->ops->tx_commit(st, &err));

	struct order_row rows[3] = {row_of("jd", "k6", "", "b1"),
				    row_of("tb", "k7", "special_id", "b1"),
				    row_of("jd", "k8", "", "b3")};
	chunk_begin(st, rows, 3);
	/* a write held back: any statement would send it */
	struct item_rec i6 = item_of("jd", "k6", "", "b1");
	OK(st->ops->item_insert(st, &i6, &err));
	assert_int_equal(i6.id, 6);
	assert_int_equal(s->n_item_writes, 1);
	assert_string_equal(buyer_ids(st, "jd", "", "b1", &a), "1,2,6");
	assert_string_equal(buyer_ids(st, "tb", "special_id", "b1", &a), "3");
	assert_string_equal(buyer_ids(st, "jd", "", "b3", &a), "");
	assert_string_equal(buyer_ids(st, "jd", "", "", &a), "");
	assert_int_equal(s->n_item_writes, 1); /* none of these asked the table */

	/* i1's buyer moves to b3, i4's (not read ahead) from b2 to b1 */
	struct item_rec was = i1;
	snprintf(i1.row.buyer, sizeof(i1.row.buyer), "b3");
	OK(st->ops->item_update(st, &was, &i1, &err));
	was = i4;
	snprintf(i4.row.buyer, sizeof(i4.row.buyer), "b1");
	OK(st->ops->item_update(st, &was, &i4, &err));
	struct item_rec i8 = item_of("jd", "k8", "", "b3");
	OK(st->ops->item_insert(st, &i8, &err));
	assert_int_equal(s->n_item_writes, 4);
	assert_string_equal(buyer_ids(st, "jd", "", "b1", &a), "2,4,6");
	assert_string_equal(buyer_ids(st, "jd", "", "b3", &a), "1,7");
	assert_int_equal(s->n_item_writes, 4);
	/* the table says the same */
	assert_string_equal(table_ids(st, "jd", "", "b1", &b), "2,4,6");
	assert_int_equal(s->n_item_writes, 0);
	assert_string_equal(table_ids(st, "jd", "", "b3", &b), "1,7");
	assert_string_equal(table_ids(st, "tb", "special_id", "b1", &b), "3");

	/* not read ahead: b2 (one item the chunk never saw), and b1 of kind
	 * special_id on another union */
	struct item_rec i9 = item_of("jd", "k9", "", "b2");
	OK(st->ops->item_insert(st, &i9, &err));
	assert_int_equal(s->n_item_writes, 1);
	assert_string_equal(buyer_ids(st, "jd", "", "b2", &a), "5,8");
	assert_int_equal(s->n_item_writes, 0); /* asked the table, held writes first */
	assert_string_equal(buyer_ids(st, "jd", "special_id", "b1", &a), "");
	/* a union's kind: the same buyer on another union is another buyer */
	struct item_rec i10 = item_of("jd", "k10", "special_id", "b1");
	OK(st->ops->item_insert(st, &i10, &err));
	assert_string_equal(buyer_ids(st, "tb", "special_id", "b1", &a), "3");
	assert_int_equal(s->n_item_writes, 1);
	assert_string_equal(buyer_ids(st, "jd", "special_id", "b1", &a), "9");
	OK(st->ops->tx_commit(st, &err));
	assert_null(s->ahead);

	/* the next chunk reads what was committed; its items are no longer
	 * new, so their buyers' items are asked of the table */
	chunk_begin(st, rows, 3);
	struct item_rec i11 = item_of("jd", "k11", "", "b4");
	OK(st->ops->item_insert(st, &i11, &err));
	assert_string_equal(buyer_ids(st, "jd", "", "b1", &a), "2,4,6");
	assert_int_equal(s->n_item_writes, 0);
	assert_string_equal(buyer_ids(st, "jd", "", "b3", &a), "1,7");
	st->ops->tx_rollback(st);
	st->ops->close(st);
}

/* An item with every column of an odd value: quotes, backslashes, braces,
 * commas, the word NULL, empty text, a chain shorter than its slots with
 * something left in the unused ones, tags, a due time. */
static struct item_rec odd_item(const char *key)
{
	struct item_rec it = item_of("jd", key, "special_id", "b\"1\\,{x}");
	struct order_row *r = &it.row;
	snprintf(r->order, sizeof(r->order), "NULL");
	snprintf(r->product, sizeof(r->product), "p,{1}");
	snprintf(r->title, sizeof(r->title), "a \"b\" c\\ 鼠标, {NULL}");
	snprintf(r->member, sizeof(r->member), "%s", "");
	snprintf(r->link, sizeof(r->link), "L1");
	snprintf(r->channel, sizeof(r->channel), "ch");
	r->status = ST_RECEIVED;
	r->paid_at = 900;
	r->settled_at = 0;
	r->quantity = 3;
	r->refunded = 4;
	r->n_tags = 2;
	snprintf(r->tags[0].kind, sizeof(r->tags[0].kind), "subUnionId");
	snprintf(r->tags[0].value, sizeof(r->tags[0].value), "s\"1");
	snprintf(r->tags[1].kind, sizeof(r->tags[1].kind), "positionId");
	snprintf(r->tags[1].value, sizeof(r->tags[1].value), "p{2}");
	r->raw = "{\"raw\": 1}";
	r->kind = ORDER_ROW_STATE;
	it.attribution = ATTR_LINK;
	it.plan_version = 1;
	it.chain.n = 1;
	it.chain.self_purchase = true;
	it.chain.member[0] = 7;
	it.chain.level[0] = 0;
	it.chain.member[1] = 99; /* beyond the chain: not kept */
	it.chain.level[1] = 5;
	it.money.n = 1;
	it.money.member[0] = 7;
	it.money.amount[0] = 6;
	it.money.bucket[0] = BUCKET_FROZEN;
	it.money.platform = 4;
	it.money.due_at = 5000;
	it.first_seen_at = 800;
	it.last_event = 12;
	it.seen_seq = 3;
	return it;
}

/* The item as the table holds it, asked outside any chunk. */
static void table_item(struct store *st, int64_t id, struct item_rec *it)
{
	struct tk_error err = {0};
	assert_null(pg_of(st)->ahead);
	OK(st->ops->item_get_id(st, id, it, &err));
}

static void assert_same_item(const struct item_rec *a, const struct item_rec *b)
{
	assert_int_equal(a->id, b->id);
	assert_string_equal(a->row.title, b->row.title);
	assert_string_equal(a->row.buyer, b->row.buyer);
	assert_int_equal(a->row.n_tags, b->row.n_tags);
	assert_int_equal(a->chain.n, b->chain.n);
	assert_int_equal(a->money.n, b->money.n);
	assert_int_equal(a->chain.member[1], b->chain.member[1]);
	assert_null(a->row.raw);
	/* and every byte: what a read would have given, nothing more */
	assert_memory_equal(a, b, sizeof(*a));
}

/* An item written earlier in the chunk is answered from the chunk's cache
 * (by key and by id, no statement: the write is still held back), exactly
 * as the table gives it back once written; an insert and the updates after
 * it are one row held back, and the table ends with the last. */
static void test_written_item(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct item_rec it = odd_item("k\"1\\"), got, got_id, db;
	struct order_row rows[1] = {it.row};
	chunk_begin(st, rows, 1);
	assert_int_equal(st->ops->item_get(st, "jd", "k\"1\\", &got, &err), TK_ENOTFOUND);
	OK(st->ops->item_insert(st, &it, &err));
	OK(st->ops->item_get(st, "jd", "k\"1\\", &got, &err));
	OK(st->ops->item_get_id(st, it.id, &got_id, &err));
	assert_int_equal(s->n_item_writes, 1);
	OK(st->ops->tx_commit(st, &err));
	table_item(st, it.id, &db);
	assert_same_item(&got, &db);
	assert_same_item(&got_id, &db);

	/* updated twice and its money moved: the cache follows each write */
	chunk_begin(st, rows, 1);
	OK(st->ops->item_get(st, "jd", "k\"1\\", &got, &err));
	assert_same_item(&got, &db);
	struct item_rec was = got;
	it = got;
	it.row.status = ST_SETTLED;
	it.row.settled_at = 3000;
	snprintf(it.row.title, sizeof(it.row.title), "second");
	OK(st->ops->item_update(st, &was, &it, &err));
	was = it;
	it.row.n_tags = 0;
	it.money.bucket[0] = BUCKET_AVAILABLE;
	it.money.due_at = 0;
	OK(st->ops->item_update(st, &was, &it, &err));
	assert_int_equal(s->n_item_writes, 1); /* one row for the id */
	OK(st->ops->item_get(st, "jd", "k\"1\\", &got, &err));
	assert_string_equal(got.row.title, "second");
	assert_int_equal(got.row.n_tags, 0);
	it.money.amount[0] = 5;
	it.money.platform = 5;
	OK(st->ops->item_set_money(st, &it, &err)); /* sends the held-back update first */
	assert_int_equal(s->n_item_writes, 0);
	OK(st->ops->item_get_id(st, it.id, &got, &err));
	OK(st->ops->tx_commit(st, &err));
	table_item(st, it.id, &db);
	assert_same_item(&got, &db);
	assert_int_equal(db.money.amount[0], 5);
	assert_int_equal(db.row.status, ST_SETTLED);

	/* inserted and updated in one chunk: one insert, the last state */
	struct item_rec n2 = odd_item("k2");
	struct order_row rows2[1] = {n2.row};
	chunk_begin(st, rows2, 1);
	OK(st->ops->item_insert(st, &n2, &err));
	was = n2;
	n2.row.status = ST_INVALID;
	n2.row.order[0] = '\0';
	OK(st->ops->item_update(st, &was, &n2, &err));
	assert_int_equal(s->n_item_writes, 1);
	OK(st->ops->item_get(st, "jd", "k2", &got, &err));
	OK(st->ops->tx_commit(st, &err));
	table_item(st, n2.id, &db);
	assert_same_item(&got, &db);
	assert_int_equal(db.row.status, ST_INVALID);
	assert_int_equal(count(st, "SELECT count(*) FROM items WHERE order_no = ''"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM items"), 2);
	st->ops->close(st);
}

/* Held-back item writes are sent before a statement that reads items
 * (a key the chunk did not read ahead, any other statement), at the cap,
 * and at commit; a rollback drops them with the cache, and the next
 * transaction numbers and sees the table as it was. */
static void test_item_writes_flush(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct item_rec got;
	struct order_row rows[1] = {row_of("jd", "a", "", "b1")};
	chunk_begin(st, rows, 1);
	struct item_rec a = item_of("jd", "a", "", "b1"), x = item_of("jd", "x", "", "b1");
	OK(st->ops->item_insert(st, &a, &err));
	OK(st->ops->item_insert(st, &x, &err));
	assert_int_equal(s->n_item_writes, 2);
	/* "x" was not read ahead, but written here: known */
	OK(st->ops->item_get(st, "jd", "x", &got, &err));
	assert_int_equal(got.id, x.id);
	assert_int_equal(s->n_item_writes, 2);
	/* "y" neither: the table is asked, the writes sent first */
	assert_int_equal(st->ops->item_get(st, "jd", "y", &got, &err), TK_ENOTFOUND);
	assert_int_equal(s->n_item_writes, 0);
	assert_int_equal(count(st, "SELECT count(*) FROM items"), 2);
	struct item_rec was = a;
	a.row.status = ST_SETTLED;
	OK(st->ops->item_update(st, &was, &a, &err));
	assert_int_equal(count(st, "SELECT status FROM items WHERE item_key = 'a'"), ST_SETTLED);
	/* the cap: sent on the way, all of it there */
	for (int i = 0; i < PG_ITEM_WRITES_MAX + 10; i++) {
		char key[32];
		snprintf(key, sizeof(key), "many%d", i);
		struct item_rec m = item_of("pdd", key, "", "");
		OK(st->ops->item_insert(st, &m, &err));
		assert_true(s->n_item_writes < PG_ITEM_WRITES_MAX);
	}
	assert_int_equal(s->n_item_writes, 10);
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(s->n_item_writes, 0);
	assert_int_equal(count(st, "SELECT count(*) FROM items"), PG_ITEM_WRITES_MAX + 12);

	/* a rollback in the middle: nothing of it left, cached or held */
	chunk_begin(st, rows, 1);
	struct item_rec r1 = item_of("jd", "r1", "", "b1");
	OK(st->ops->item_insert(st, &r1, &err));
	was = a;
	a.row.status = ST_INVALID;
	OK(st->ops->item_update(st, &was, &a, &err));
	assert_int_equal(s->n_item_writes, 2);
	st->ops->tx_rollback(st);
	assert_int_equal(s->n_item_writes, 0);
	assert_null(s->ahead);
	chunk_begin(st, rows, 1);
	OK(st->ops->item_get(st, "jd", "a", &got, &err));
	assert_int_equal(got.row.status, ST_SETTLED);
	struct ids ids;
	assert_string_equal(buyer_ids(st, "jd", "", "b1", &ids), "1,2");
	struct item_rec r2 = item_of("jd", "r1", "", "b1");
	OK(st->ops->item_insert(st, &r2, &err));
	assert_int_equal(r2.id, r1.id); /* the rolled-back id given again */
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT count(*) FROM items WHERE item_key = 'r1'"), 1);
	st->ops->close(st);
}

/* A transaction of several chunks: the next chunk's read-ahead sends what
 * the last one held back first, and reads it; a key an item left (its key
 * rewritten) holds nothing. */
static void test_chunks_in_one_transaction(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct item_rec got;
	struct ids ids;
	struct order_row rows1[1] = {row_of("jd", "c1", "", "b1")};
	struct order_row rows2[2] = {row_of("jd", "c1", "", "b1"), row_of("jd", "c2", "", "b1")};
	chunk_begin(st, rows1, 1);
	struct item_rec c1 = item_of("jd", "c1", "", "b1");
	OK(st->ops->item_insert(st, &c1, &err));
	struct item_rec was = c1;
	c1.row.status = ST_RECEIVED;
	OK(st->ops->item_update(st, &was, &c1, &err));
	assert_int_equal(s->n_item_writes, 1);
	const char ns[2][BUYER_NS_MAX] = {"", ""};
	OK(st->ops->rows_ahead(st, rows2, ns, 2, &err));
	assert_int_equal(s->n_item_writes, 0);
	OK(st->ops->item_get(st, "jd", "c1", &got, &err));
	assert_int_equal(got.row.status, ST_RECEIVED);
	assert_int_equal(st->ops->item_get(st, "jd", "c2", &got, &err), TK_ENOTFOUND);
	assert_string_equal(buyer_ids(st, "jd", "", "b1", &ids), "1");
	/* its key rewritten: the old key is empty, the new one is it */
	was = c1;
	snprintf(c1.row.item, sizeof(c1.row.item), "c2");
	OK(st->ops->item_update(st, &was, &c1, &err));
	assert_int_equal(st->ops->item_get(st, "jd", "c1", &got, &err), TK_ENOTFOUND);
	OK(st->ops->item_get(st, "jd", "c2", &got, &err));
	assert_int_equal(got.id, c1.id);
	assert_int_equal(s->n_item_writes, 1);
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT count(*) FROM items WHERE item_key = 'c2' AND "
				   "status = 2"),
			 1);
	st->ops->close(st);
}

/* The next chunk is read ahead before the last chunk's held item writes
 * are sent (they go out behind the reads, with every other batch, and are
 * not waited for): its answers are the table's with those writes put in
 * over them — an item inserted, updated, moved to another buyer or to
 * another key in the last chunk is seen as written, and a buyer's items
 * are complete — and then the table, once everything is sent, agrees. */
static void test_next_chunk_over_held_writes(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct item_rec got;
	struct ids a, b;
	/* in the table before: e1 of buyer b1, e2 under key "old" */
	struct item_rec e1 = item_of("jd", "e1", "", "b1"), e2 = item_of("jd", "old", "", "b4");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_insert(st, &e1, &err));
	OK(st->ops->item_insert(st, &e2, &err));
	OK(st->ops->tx_commit(st, &err));

	struct order_row rows1[1] = {row_of("jd", "n1", "", "b2")};
	chunk_begin(st, rows1, 1);
	/* first the newest ids are read (which sends everything) */
	struct item_rec x = item_of("jd", "x", "", "bx");
	OK(st->ops->item_insert(st, &x, &err));
	struct transfer t = {.debit = 1, .credit = 2, .amount = 5, .code = TR_ADJUST, .at = 1000};
	OK(st->ops->transfer_insert(st, &t, &err));
	OK(st->ops->transfer_insert(st, &t, &err));
	struct item_rec n1 = item_of("jd", "n1", "", "b2");
	OK(st->ops->item_insert(st, &n1, &err));
	struct item_rec was = n1;
	n1.row.status = ST_RECEIVED;
	OK(st->ops->item_update(st, &was, &n1, &err));
	was = e1; /* e1 moves from b1 to b2 */
	snprintf(e1.row.buyer, sizeof(e1.row.buyer), "b2");
	OK(st->ops->item_update(st, &was, &e1, &err));
	was = e2; /* e2 leaves key "old" for "new" */
	snprintf(e2.row.item, sizeof(e2.row.item), "new");
	OK(st->ops->item_update(st, &was, &e2, &err));
	assert_int_equal(s->n_item_writes, 3);
	assert_true(s->n_batched > 0);

	/* the next chunk: n1 again, a new item of b2 (b2 read ahead), the
	 * keys "old" and "new" */
	struct order_row rows2[4] = {row_of("jd", "n1", "", "b2"), row_of("jd", "n2", "", "b2"),
				     row_of("jd", "old", "", "b4"), row_of("jd", "new", "", "b4")};
	const char ns[4][BUYER_NS_MAX] = {"", "", "", ""};
	OK(st->ops->rows_ahead(st, rows2, ns, 4, &err));
	/* everything sent, none of it waited for */
	assert_int_equal(s->n_item_writes, 0);
	assert_int_equal(s->n_batched, 0);
	assert_true(s->n_pending > 0);
	int pending = s->n_pending;
	OK(st->ops->item_get(st, "jd", "n1", &got, &err));
	assert_int_equal(got.id, n1.id);
	assert_int_equal(got.row.status, ST_RECEIVED);
	assert_int_equal(st->ops->item_get(st, "jd", "n2", &got, &err), TK_ENOTFOUND);
	assert_int_equal(st->ops->item_get(st, "jd", "old", &got, &err), TK_ENOTFOUND);
	OK(st->ops->item_get(st, "jd", "new", &got, &err));
	assert_int_equal(got.id, e2.id);
	assert_string_equal(buyer_ids(st, "jd", "", "b2", &a), "1,4");
	assert_int_equal(s->n_pending, pending); /* all of it from the cache */
	/* the table, now that it has everything, says the same */
	assert_string_equal(table_ids(st, "jd", "", "b2", &b), "1,4");
	assert_string_equal(table_ids(st, "jd", "", "b1", &b), "");
	assert_int_equal(count(st, "SELECT status FROM items WHERE item_key = 'n1'"), ST_RECEIVED);
	assert_int_equal(count(st, "SELECT count(*) FROM items WHERE item_key = 'old'"), 0);
	assert_int_equal(count(st, "SELECT count(*) FROM transfers"), 2);
	OK(st->ops->tx_commit(st, &err));
	st->ops->close(st);
}

/* An import's bindings are held in a batch, the last put of a buyer
 * winning: binding_get of a buyer the chunk did not read ahead sends them
 * first, the next chunk's read-ahead reads them as put, and a rollback
 * leaves none. */
static void test_bindings_batched(void **state)
{
	(void)state;
	struct store *st = open_fresh();
	struct pg_store *s = pg_of(st);
	struct tk_error err = {0};
	struct binding_rec got;
	struct member_rec m1, m2;
	memset(&m1, 0, sizeof(m1));
	snprintf(m1.ext, sizeof(m1.ext), "m1");
	snprintf(m1.level, sizeof(m1.level), "member");
	m2 = m1;
	snprintf(m2.ext, sizeof(m2.ext), "m2");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->member_insert(st, &m1, &err));
	OK(st->ops->member_insert(st, &m2, &err));
	OK(st->ops->tx_commit(st, &err));

	struct order_row rows1[1] = {row_of("jd", "a", "", "b1")};
	chunk_begin(st, rows1, 1);
	struct binding_rec first = {.member = m1.id, .item = 1, .at = 100},
			   last = {.member = m2.id, .item = 2, .at = 200};
	OK(st->ops->binding_put(st, "", "b1", &first, &err));
	OK(st->ops->binding_put(st, "", "b1", &last, &err));
	OK(st->ops->binding_put(st, "jd:openid", "b\"2\\", &first, &err));
	assert_int_equal(s->n_batched, 1);
	assert_int_equal(s->n_pending, 0);
	OK(st->ops->binding_get(st, "", "b1", &got, &err)); /* read ahead: as put */
	assert_int_equal(got.member, m2.id);
	assert_int_equal(s->n_batched, 1);
	/* not read ahead: the table asked, the bindings sent first */
	OK(st->ops->binding_get(st, "jd:openid", "b\"2\\", &got, &err));
	assert_int_equal(got.member, m1.id);
	assert_int_equal(got.at, 100);
	assert_int_equal(s->n_batched, 0);
	OK(st->ops->binding_put(st, "jd:openid", "b\"2\\", &last, &err));
	/* the next chunk reads them as put */
	struct order_row rows2[2] = {row_of("jd", "a", "", "b1"), row_of("jd", "c", "", "b\"2\\")};
	const char ns[2][BUYER_NS_MAX] = {"", "jd:openid"};
	OK(st->ops->rows_ahead(st, rows2, ns, 2, &err));
	int pending = s->n_pending;
	OK(st->ops->binding_get(st, "", "b1", &got, &err));
	assert_int_equal(got.member, m2.id);
	assert_int_equal(got.item, 2);
	OK(st->ops->binding_get(st, "jd:openid", "b\"2\\", &got, &err));
	assert_int_equal(got.member, m2.id);
	assert_int_equal(got.at, 200);
	assert_int_equal(s->n_pending, pending); /* from the read-ahead */
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT count(*) FROM bindings"), 2);
	assert_int_equal(count(st, "SELECT member FROM bindings WHERE ns = ''"), m2.id);

	/* a rollback: the batch is dropped, the table as it was */
	chunk_begin(st, rows1, 1);
	OK(st->ops->binding_put(st, "", "b1", &first, &err));
	OK(st->ops->binding_put(st, "", "b9", &first, &err));
	st->ops->tx_rollback(st);
	assert_int_equal(s->n_batched, 0);
	chunk_begin(st, rows1, 1);
	OK(st->ops->binding_get(st, "", "b1", &got, &err));
	assert_int_equal(got.member, m2.id);
	assert_int_equal(st->ops->binding_get(st, "", "b9", &got, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(count(st, "SELECT count(*) FROM bindings"), 2);
	st->ops->close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buyer_items),
		cmocka_unit_test(test_written_item),
		cmocka_unit_test(test_item_writes_flush),
		cmocka_unit_test(test_chunks_in_one_transaction),
		cmocka_unit_test(test_next_chunk_over_held_writes),
		cmocka_unit_test(test_bindings_batched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

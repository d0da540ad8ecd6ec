/* test_pg_core.c — the money core's store contract, run as one sequence on
 * a fresh SQLite store and on a fresh PostgreSQL store: every operation of
 * struct store_ops, its absent cases, duplicates, limits, iteration order
 * and early stops, each checked against the values expected (not only
 * against the other backend). */
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
#include "store/sqlite_internal.h"

struct backend {
	struct store *st;
	bool pg;
	char uri[512];
};

/* an operation that must succeed; `err` is the caller's */
#define OK(expr)                                                             \
	do {                                                                 \
		enum tk_rc rc_ = (expr);                                     \
		if (rc_ != TK_OK)                                            \
			fail_msg("%s: rc %d: %s", #expr, (int)rc_, err.msg); \
	} while (0)

/* ---- raw SQL on either backend, for what no operation reads back ---- */

static int64_t sql_int(struct backend *b, const char *sql)
{
	int64_t v = -1;
	if (b->pg) {
		struct tk_error err = {0};
		if (pg_int_of(pg_of(b->st), NULL, sql, NULL, -1, &v, "test", &err))
			fail_msg("%s: %s", sql, err.msg);
		return v;
	}
	sqlite3 *db = sqlite_of(b->st)->db;
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* TK_ECONFLICT for a constraint violation, as the stores answer */
static enum tk_rc sql_exec(struct backend *b, const char *sql)
{
	if (b->pg) {
		struct tk_error err = {0};
		return pg_exec(pg_of(b->st), NULL, sql, NULL, "test", &err);
	}
	sqlite3 *db = sqlite_of(b->st)->db;
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return TK_OK;
	return (sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT ? TK_ECONFLICT : TK_EIO;
}

/* How a write that fails inside a transaction is answered: by the call
 * itself (SQLite), or — a write queued in PostgreSQL's pipeline — by the
 * commit at the latest, with the same code and message.  Ends the
 * transaction either way; nothing of it is applied. */
static enum tk_rc failed_write(struct store *st, enum tk_rc rc, struct tk_error *err)
{
	if (rc != TK_OK) {
		st->ops->tx_rollback(st);
		return rc;
	}
	return st->ops->tx_commit(st, err);
}

/* ---- collecting iterator callbacks ---- */

#define SEEN_MAX 16

struct seen {
	int n, stop_after; /* stop_after 0: never stop */
	int64_t a[SEEN_MAX], b[SEEN_MAX];
	struct store *st;  /* when set, each callback reads the store too */
	int inner_ok;
};

static bool seen_add(struct seen *s, int64_t a, int64_t b)
{
	if (s->n < SEEN_MAX) {
		s->a[s->n] = a;
		s->b[s->n] = b;
	}
	s->n++;
	return !s->stop_after || s->n < s->stop_after;
}

static bool on_change(void *ctx, enum change_what what, int64_t id)
{
	return seen_add(ctx, what, id);
}

static bool on_change_fail(void *ctx, enum change_what what, int64_t id)
{
	seen_add(ctx, what, id);
	return false;
}

static bool on_member(void *ctx, const struct member_rec *m)
{
	struct seen *s = ctx;
	if (s->st) { /* another operation between rows */
		struct member_rec again;
		struct tk_error err = {0};
		if (s->st->ops->member_get_id(s->st, m->id, &again, &err) == TK_OK &&
		    strcmp(again.ext, m->ext) == 0)
			s->inner_ok++;
	}
	return seen_add(s, m->id, m->depth);
}

static bool on_item(void *ctx, const struct item_rec *it)
{
	struct seen *s = ctx;
	if (s->st) {
		struct item_money m;
		struct tk_error err = {0};
		if (s->st->ops->item_money_get(s->st, it->id, &m, &err) == TK_OK &&
		    m.platform == it->money.platform)
			s->inner_ok++;
	}
	return seen_add(s, it->id, it->row.status);
}

static bool on_transfer(void *ctx, const struct transfer *t)
{
	return seen_add(ctx, t->id, t->amount);
}

static bool on_balance(void *ctx, int64_t account, int64_t balance)
{
	return seen_add(ctx, account, balance);
}

static bool on_withdrawal(void *ctx, const struct withdrawal_rec *w)
{
	return seen_add(ctx, w->id, w->status);
}

/* ---- fixtures ---- */

static void item_make(struct item_rec *it, const char *union_, const char *key, int64_t status,
		      int64_t amount, int64_t commission)
{
	memset(it, 0, sizeof(*it));
	snprintf(it->row.union_, sizeof(it->row.union_), "%s", union_);
	snprintf(it->row.item, sizeof(it->row.item), "%s", key);
	snprintf(it->row.order, sizeof(it->row.order), "o-%s", key);
	it->row.status = (enum order_status)status;
	it->row.modified_at = 1000;
	it->row.amount = amount;
	it->row.commission = commission;
	it->row.quantity = 1;
	it->money.platform = commission;
}

static void assert_item_equal(const struct item_rec *want, const struct item_rec *got)
{
	const struct order_row *x = &want->row, *y = &got->row;
	assert_int_equal(want->id, got->id);
	assert_string_equal(x->union_, y->union_);
	assert_string_equal(x->item, y->item);
	assert_string_equal(x->order, y->order);
	assert_int_equal(x->status, y->status);
	assert_int_equal(x->modified_at, y->modified_at);
	assert_int_equal(x->paid_at, y->paid_at);
	assert_int_equal(x->settled_at, y->settled_at);
	assert_int_equal(x->amount, y->amount);
	assert_int_equal(x->commission, y->commission);
	assert_int_equal(x->quantity, y->quantity);
	assert_int_equal(x->refunded, y->refunded);
	assert_string_equal(x->product, y->product);
	assert_string_equal(x->title, y->title);
	assert_string_equal(x->buyer, y->buyer);
	assert_string_equal(x->buyer_kind, y->buyer_kind);
	assert_string_equal(x->member, y->member);
	assert_string_equal(x->link, y->link);
	assert_string_equal(x->channel, y->channel);
	assert_int_equal(x->n_tags, y->n_tags);
	for (int i = 0; i < x->n_tags; i++) {
		assert_string_equal(x->tags[i].kind, y->tags[i].kind);
		assert_string_equal(x->tags[i].value, y->tags[i].value);
	}
	assert_int_equal(want->attribution, got->attribution);
	assert_int_equal(want->plan_version, got->plan_version);
	assert_int_equal(want->chain.n, got->chain.n);
	assert_int_equal(want->chain.self_purchase, got->chain.self_purchase);
	for (int k = 0; k < want->chain.n; k++) {
		assert_int_equal(want->chain.member[k], got->chain.member[k]);
		assert_int_equal(want->chain.level[k], got->chain.level[k]);
	}
	assert_int_equal(want->money.n, got->money.n);
	for (int k = 0; k < want->money.n; k++) {
		assert_int_equal(want->money.member[k], got->money.member[k]);
		assert_int_equal(want->money.amount[k], got->money.amount[k]);
		assert_int_equal(want->money.bucket[k], got->money.bucket[k]);
	}
	assert_int_equal(want->money.platform, got->money.platform);
	assert_int_equal(want->money.due_at, got->money.due_at);
	assert_int_equal(want->first_seen_at, got->first_seen_at);
	assert_int_equal(want->seen_seq, got->seen_seq);
	assert_int_equal(want->last_event, got->last_event);
}

static void open_backend(struct backend *b, bool pg)
{
	b->pg = pg;
	b->st = test_store_fresh(pg ? TEST_FRESH_PG : TEST_FRESH_SQLITE, b->uri, sizeof(b->uri));
	/* product_sales is the catalog module's table: present here once the
	 * catalog's PostgreSQL migration makes it, made here until then */
	if (pg && sql_int(b, "SELECT (to_regclass('product_sales') IS NULL)::int") == 1)
		assert_int_equal(sql_exec(b, "CREATE TABLE product_sales (union_ TEXT NOT NULL,"
					     " product TEXT NOT NULL, orders BIGINT NOT NULL DEFAULT 0,"
					     " refunds BIGINT NOT NULL DEFAULT 0,"
					     " PRIMARY KEY (union_, product))"),
				 TK_OK);
}

/* ---- the contract, in steps sharing one store ---- */

struct ids {
	int64_t a, b, c, item1, item2, item3, e1, e2, t1, t2;
};

static void absent_on_fresh(struct backend *bk)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	int64_t v = -1, x = -1;
	bool whole = true, any = true;
	char *json = NULL;
	struct member_rec m;
	struct item_rec it;
	struct item_money money;
	struct withdrawal_rec w;
	struct binding_rec bind;
	struct report_totals t;
	struct seen s = {0};

	OK(st->ops->changes_newest(st, &v, &err));
	assert_int_equal(v, 0);
	OK(st->ops->changes_since(st, 0, 10, on_change, &s, &v, &whole, &err));
	assert_int_equal(s.n, 0);
	assert_int_equal(v, 0);
	assert_false(whole);
	assert_int_equal(st->ops->plan_get(st, 0, &json, &v, &err), TK_ENOTFOUND);
	assert_string_equal(err.field, "plan");
	assert_string_equal(err.msg, "no plan is set; run `tuike plan set FILE` first");
	assert_int_equal(st->ops->plan_get(st, 3, &json, &v, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no plan version 3");
	assert_int_equal(st->ops->member_get(st, "nobody", &m, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no member \"nobody\"");
	assert_int_equal(st->ops->member_get_id(st, 42, &m, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no member #42");
	assert_int_equal(st->ops->item_get(st, "jd", "x", &it, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no jd order item \"x\"");
	assert_int_equal(st->ops->item_get_id(st, 7, &it, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no order item #7");
	assert_int_equal(st->ops->item_money_get(st, 7, &money, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no order item #7");
	assert_int_equal(st->ops->withdrawal_get(st, 5, &w, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no withdrawal 5");
	assert_int_equal(st->ops->binding_get(st, "", "b1", &bind, &err), TK_ENOTFOUND);
	assert_int_equal(st->ops->refund_get(st, "jd", "x", &v, &x, &err), TK_ENOTFOUND);
	OK(st->ops->refund_any(st, &any, &err));
	assert_false(any);
	OK(st->ops->balance_get(st, 99, &v, &err));
	assert_int_equal(v, 0);
	OK(st->ops->report_totals(st, &t, &err));
	assert_int_equal(t.items + t.gmv + t.commission + t.invalid_items, 0);
	int64_t ids[4];
	OK(st->ops->item_due_ids(st, INT64_MAX, ids, 4, &v, &err));
	assert_int_equal(v, 0);
	OK(st->ops->member_each(st, on_member, &s, &err));
	OK(st->ops->item_each(st, on_item, &s, &err));
	OK(st->ops->transfer_each(st, on_transfer, &s, &err));
	OK(st->ops->balance_each(st, on_balance, &s, &err));
	OK(st->ops->withdrawal_each(st, on_withdrawal, &s, &err));
	assert_int_equal(s.n, 0);
}

static void plans_and_members(struct backend *bk, struct ids *id)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	int64_t v1 = 0, v2 = 0, v = 0;
	char *json = NULL;

	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->plan_insert(st, "{\"a\":1}", 100, &v1, &err));
	OK(st->ops->plan_insert(st, "{\"b\":\"二\"}", 101, &v2, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(v1, 1);
	assert_int_equal(v2, 2);
	OK(st->ops->plan_get(st, 0, &json, &v, &err));
	assert_int_equal(v, 2);
	assert_string_equal(json, "{\"b\":\"二\"}");
	free(json);
	OK(st->ops->plan_get(st, 1, &json, &v, &err));
	assert_int_equal(v, 1);
	assert_string_equal(json, "{\"a\":1}");
	free(json);

	struct member_rec a = {.level = "member", .name = "甲", .created_at = 10};
	struct member_rec b = {.level = "member", .depth = 1, .created_at = 11};
	struct member_rec c = {.level = "vip", .depth = 2, .created_at = 12};
	struct member_rec dup = {.level = "member"};
	snprintf(a.ext, sizeof(a.ext), "a");
	snprintf(b.ext, sizeof(b.ext), "b");
	snprintf(c.ext, sizeof(c.ext), "c");
	snprintf(dup.ext, sizeof(dup.ext), "a");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->member_insert(st, &a, &err));
	b.parent = a.id;
	OK(st->ops->member_insert(st, &b, &err));
	/* a duplicate is an answer: the unit of work goes on after it */
	assert_int_equal(st->ops->member_insert(st, &dup, &err), TK_ECONFLICT);
	assert_string_equal(err.field, "id");
	assert_string_equal(err.msg, "member \"a\" already exists");
	c.parent = b.id;
	OK(st->ops->member_insert(st, &c, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(a.id, 1);
	assert_int_equal(b.id, 2);
	assert_int_equal(c.id, 3);
	id->a = a.id;
	id->b = b.id;
	id->c = c.id;

	struct member_rec m;
	OK(st->ops->member_get(st, "a", &m, &err));
	assert_int_equal(m.id, a.id);
	assert_int_equal(m.parent, 0);
	assert_string_equal(m.name, "甲");
	assert_string_equal(m.level, "member");
	assert_int_equal(m.created_at, 10);
	OK(st->ops->member_get(st, "c", &m, &err));
	assert_int_equal(m.parent, b.id);
	assert_int_equal(m.depth, 2);
	assert_string_equal(m.level, "vip");

	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->member_set_level(st, b.id, "gold", &err));
	OK(st->ops->member_counts_add(st, a.id, 1, 2, &err));
	OK(st->ops->member_counts_add(st, a.id, 1, 2, &err));
	OK(st->ops->member_counts_set(st, b.id, 1, 1, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->member_get_id(st, a.id, &m, &err));
	assert_int_equal(m.direct_count, 2);
	assert_int_equal(m.team_count, 4);
	OK(st->ops->member_get_id(st, b.id, &m, &err));
	assert_string_equal(m.level, "gold");
	assert_int_equal(m.direct_count, 1);
	assert_int_equal(m.team_count, 1);

	/* id order; another read between rows; an early stop */
	struct seen s = {.st = st};
	OK(st->ops->member_each(st, on_member, &s, &err));
	assert_int_equal(s.n, 3);
	assert_int_equal(s.inner_ok, 3);
	assert_int_equal(s.a[0], a.id);
	assert_int_equal(s.a[2], c.id);
	assert_int_equal(s.b[2], 2);
	struct seen stop = {.stop_after = 2};
	OK(st->ops->member_each(st, on_member, &stop, &err));
	assert_int_equal(stop.n, 2);

	/* a rolled-back member leaves nothing behind */
	struct member_rec gone = {.level = "member"};
	snprintf(gone.ext, sizeof(gone.ext), "gone");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->member_insert(st, &gone, &err));
	st->ops->tx_rollback(st);
	assert_int_equal(st->ops->member_get(st, "gone", &m, &err), TK_ENOTFOUND);
}

static void change_log(struct backend *bk, const struct ids *id)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	int64_t upto = -1, v = -1;
	bool whole = true;

	/* two plans, three members, one level: six, contiguous (the
	 * rolled-back member took its number with it) */
	OK(st->ops->changes_newest(st, &v, &err));
	assert_int_equal(v, 6);
	struct seen s = {0};
	OK(st->ops->changes_since(st, 0, 100, on_change, &s, &upto, &whole, &err));
	assert_false(whole);
	assert_int_equal(upto, 6);
	assert_int_equal(s.n, 6);
	const int64_t what[6] = {CHANGE_PLAN, CHANGE_PLAN, CHANGE_MEMBER, CHANGE_MEMBER,
				 CHANGE_MEMBER, CHANGE_MEMBER};
	const int64_t ids[6] = {1, 2, id->a, id->b, id->c, id->b};
	for (int i = 0; i < 6; i++) {
		assert_int_equal(s.a[i], what[i]);
		assert_int_equal(s.b[i], ids[i]);
	}
	/* more than max: reload whole, no callback */
	struct seen none = {0};
	OK(st->ops->changes_since(st, 0, 3, on_change, &none, &upto, &whole, &err));
	assert_true(whole);
	assert_int_equal(upto, 6);
	assert_int_equal(none.n, 0);
	/* exactly max */
	struct seen two = {0};
	OK(st->ops->changes_since(st, 4, 2, on_change, &two, &upto, &whole, &err));
	assert_false(whole);
	assert_int_equal(upto, 6);
	assert_int_equal(two.n, 2);
	assert_int_equal(two.b[0], id->c);
	OK(st->ops->changes_since(st, 6, 2, on_change, &none, &upto, &whole, &err));
	assert_false(whole);
	assert_int_equal(upto, 6);
	assert_int_equal(none.n, 0);
	/* a callback that fails stops the catch-up where it was */
	struct seen fail = {0};
	assert_int_equal(st->ops->changes_since(st, 3, 10, on_change_fail, &fail, &upto, &whole,
						&err),
			 TK_EIO);
	assert_int_equal(fail.n, 1);
	assert_int_equal(upto, 3);
	assert_string_equal(err.msg, "catching up with change 4 failed");

	/* pruned: a reader from before the hole reloads whole */
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->changes_prune(st, 2, &err));
	OK(st->ops->tx_commit(st, &err));
	struct seen after = {0};
	OK(st->ops->changes_since(st, 0, 100, on_change, &after, &upto, &whole, &err));
	assert_true(whole);
	assert_int_equal(upto, 6);
	assert_int_equal(after.n, 0);
	OK(st->ops->changes_since(st, 4, 100, on_change, &after, &upto, &whole, &err));
	assert_false(whole);
	assert_int_equal(after.n, 2);
	/* numbering goes on past the pruned rows */
	struct member_rec d = {.level = "member", .parent = id->c, .depth = 3};
	snprintf(d.ext, sizeof(d.ext), "d");
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->member_insert(st, &d, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_true(d.id > id->c);
	struct seen last = {0};
	OK(st->ops->changes_since(st, 6, 100, on_change, &last, &upto, &whole, &err));
	assert_int_equal(upto, 7);
	assert_int_equal(last.n, 1);
	assert_int_equal(last.a[0], CHANGE_MEMBER);
	assert_int_equal(last.b[0], d.id);
	assert_int_equal(sql_int(bk, "SELECT count(*) FROM changes"), 3);
}

static void bindings(struct backend *bk, const struct ids *id)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	struct binding_rec got;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->binding_put(st, "", "buyer1", &(struct binding_rec){id->a, 0, 50}, &err));
	OK(st->ops->binding_put(st, "taobao:special_id", "buyer1",
				&(struct binding_rec){id->c, 4, 70}, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->binding_get(st, "", "buyer1", &got, &err));
	assert_int_equal(got.member, id->a);
	assert_int_equal(got.item, 0);
	assert_int_equal(got.at, 50);
	/* a binding that moves */
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->binding_put(st, "", "buyer1", &(struct binding_rec){id->b, 9, 40}, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->binding_get(st, "", "buyer1", &got, &err));
	assert_int_equal(got.member, id->b);
	assert_int_equal(got.item, 9);
	assert_int_equal(got.at, 40);
	OK(st->ops->binding_get(st, "taobao:special_id", "buyer1", &got, &err));
	assert_int_equal(got.member, id->c);
	assert_int_equal(got.at, 70);
	assert_int_equal(st->ops->binding_get(st, "", "BUYER1", &got, &err), TK_ENOTFOUND);
	assert_int_equal(sql_int(bk, "SELECT count(*) FROM bindings"), 2);
}

static void items(struct backend *bk, struct ids *id)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	struct item_rec *it1 = calloc(1, sizeof(*it1)), *it2 = calloc(1, sizeof(*it2)),
			*it3 = calloc(1, sizeof(*it3)), *got = calloc(1, sizeof(*got)),
			*was = calloc(1, sizeof(*was));
	assert_true(it1 && it2 && it3 && got && was);

	item_make(it1, "jd", "k1", ST_PAID, 10000, 1000);
	it1->row.paid_at = 900;
	it1->row.quantity = 2;
	snprintf(it1->row.product, sizeof(it1->row.product), "p1");
	snprintf(it1->row.title, sizeof(it1->row.title), "标题 'quoted'");
	snprintf(it1->row.buyer, sizeof(it1->row.buyer), "buyer1");
	snprintf(it1->row.member, sizeof(it1->row.member), "a");
	snprintf(it1->row.link, sizeof(it1->row.link), "L1");
	snprintf(it1->row.channel, sizeof(it1->row.channel), "ch");
	it1->row.n_tags = 2;
	snprintf(it1->row.tags[0].kind, sizeof(it1->row.tags[0].kind), "subUnionId");
	snprintf(it1->row.tags[0].value, sizeof(it1->row.tags[0].value), "s1");
	snprintf(it1->row.tags[1].kind, sizeof(it1->row.tags[1].kind), "positionId");
	snprintf(it1->row.tags[1].value, sizeof(it1->row.tags[1].value), "p9");
	it1->attribution = ATTR_LINK;
	it1->plan_version = 2;
	it1->chain = (struct plan_chain){.n = 2, .member = {id->a, id->b}, .level = {0, -1}};
	it1->money = (struct item_money){.n = 2, .member = {id->a, id->b}, .amount = {500, 200},
					 .bucket = {BUCKET_FROZEN, BUCKET_FROZEN},
					 .platform = 300, .due_at = 3000};
	it1->first_seen_at = 1000;
	it1->seen_seq = 6;
	it1->row.raw = "{\"raw\":1}";

	item_make(it2, "taobao", "k2", ST_SETTLED, 5000, 800);
	it2->row.settled_at = 1900;
	it2->row.refunded = 900; /* more than the commission: counts as none */
	snprintf(it2->row.buyer, sizeof(it2->row.buyer), "sp1");
	snprintf(it2->row.buyer_kind, sizeof(it2->row.buyer_kind), "special_id");
	it2->plan_version = 2;
	it2->money.due_at = 5000;
	it2->first_seen_at = 2000;

	item_make(it3, "pdd", "k3", ST_INVALID, 700, 70);
	snprintf(it3->row.buyer, sizeof(it3->row.buyer), "buyer1");
	it3->plan_version = 1;
	it3->first_seen_at = 500;

	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_event_insert(st, 0, &it1->row, 1000, NULL, &id->e1, &err));
	it1->last_event = id->e1;
	OK(st->ops->item_insert(st, it1, &err));
	OK(st->ops->item_insert(st, it2, &err));
	OK(st->ops->item_insert(st, it3, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_true(it1->id > 0 && it2->id > it1->id && it3->id > it2->id);
	id->item1 = it1->id;
	id->item2 = it2->id;
	id->item3 = it3->id;
	it1->row.raw = NULL;

	OK(st->ops->item_get(st, "jd", "k1", got, &err));
	assert_item_equal(it1, got);
	OK(st->ops->item_get_id(st, it2->id, got, &err));
	assert_item_equal(it2, got);
	assert_int_equal(st->ops->item_get(st, "jd", "k2", got, &err), TK_ENOTFOUND);
	assert_string_equal(err.msg, "no jd order item \"k2\"");

	/* a duplicate key is refused */
	OK(st->ops->tx_begin(st, &err));
	int64_t it3_id = it3->id; /* a queued insert numbers the row before it fails */
	assert_int_equal(failed_write(st, st->ops->item_insert(st, it3, &err), &err), TK_ECONFLICT);
	it3->id = it3_id;

	/* a new state that changes the description too, then one that does not */
	*was = *it1;
	it1->row.status = ST_SETTLED;
	it1->row.settled_at = 1500;
	it1->row.modified_at = 1600;
	it1->row.commission = 900;
	it1->row.refunded = 100;
	snprintf(it1->row.title, sizeof(it1->row.title), "new title");
	it1->row.n_tags = 1;
	it1->money.amount[0] = 450;
	it1->money.amount[1] = 180;
	it1->money.platform = 270;
	it1->money.due_at = 3100;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_event_insert(st, id->e1, &it1->row, 1600, "re-attributed", &id->e2, &err));
	it1->last_event = id->e2;
	OK(st->ops->item_update(st, was, it1, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_true(id->e2 > id->e1);
	OK(st->ops->item_get_id(st, it1->id, got, &err));
	assert_item_equal(it1, got);
	*was = *it1;
	it1->row.modified_at = 1700;
	it1->money.due_at = 3200;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_update(st, was, it1, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->item_get(st, "jd", "k1", got, &err));
	assert_item_equal(it1, got);

	char q[256];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM item_events WHERE id = %lld AND prev = %lld AND "
		 "note = 're-attributed' AND raw IS NULL AND status = 3 AND commission = 900",
		 (long long)id->e2, (long long)id->e1);
	assert_int_equal(sql_int(bk, q), 1);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM item_events WHERE id = %lld AND prev = 0 AND "
		 "note IS NULL AND raw = '{\"raw\":1}' AND applied_at = 1000",
		 (long long)id->e1);
	assert_int_equal(sql_int(bk, q), 1);

	/* items due: bounded, in no particular order */
	int64_t due[4], n = -1;
	OK(st->ops->item_due_ids(st, 4000, due, 4, &n, &err));
	assert_int_equal(n, 1);
	assert_int_equal(due[0], it1->id);
	OK(st->ops->item_due_ids(st, 6000, due, 4, &n, &err));
	assert_int_equal(n, 2);
	assert_true((due[0] == it1->id && due[1] == it2->id) ||
		    (due[0] == it2->id && due[1] == it1->id));
	OK(st->ops->item_due_ids(st, 6000, due, 1, &n, &err));
	assert_int_equal(n, 1);
	OK(st->ops->item_due_ids(st, 2999, due, 4, &n, &err));
	assert_int_equal(n, 0);

	/* settlement rewrites the money alone */
	it1->money.bucket[0] = BUCKET_AVAILABLE;
	it1->money.bucket[1] = BUCKET_AVAILABLE;
	it1->money.due_at = 0;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->item_set_money(st, it1, &err));
	OK(st->ops->tx_commit(st, &err));
	struct item_money money;
	OK(st->ops->item_money_get(st, it1->id, &money, &err));
	assert_int_equal(money.n, 2);
	assert_int_equal(money.member[1], id->b);
	assert_int_equal(money.amount[0], 450);
	assert_int_equal(money.bucket[1], BUCKET_AVAILABLE);
	assert_int_equal(money.platform, 270);
	assert_int_equal(money.due_at, 0);
	OK(st->ops->item_get_id(st, it1->id, got, &err));
	assert_item_equal(it1, got);
	OK(st->ops->item_due_ids(st, 6000, due, 4, &n, &err));
	assert_int_equal(n, 1);
	assert_int_equal(due[0], it2->id);

	/* walks: id order, reads between rows, early stop */
	struct seen s = {.st = st};
	OK(st->ops->item_each(st, on_item, &s, &err));
	assert_int_equal(s.n, 3);
	assert_int_equal(s.inner_ok, 3);
	assert_int_equal(s.a[0], it1->id);
	assert_int_equal(s.a[1], it2->id);
	assert_int_equal(s.b[2], ST_INVALID);
	struct seen stop = {.stop_after = 1};
	OK(st->ops->item_each(st, on_item, &stop, &err));
	assert_int_equal(stop.n, 1);
	/* the platform's buyer across unions; a union's buyer in its union */
	struct seen buyer = {.st = st};
	OK(st->ops->item_each_buyer(st, "jd", "", "buyer1", on_item, &buyer, &err));
	assert_int_equal(buyer.n, 2);
	assert_int_equal(buyer.inner_ok, 2);
	assert_int_equal(buyer.a[0], it1->id);
	assert_int_equal(buyer.a[1], it3->id);
	struct seen sp = {0};
	OK(st->ops->item_each_buyer(st, "taobao", "special_id", "sp1", on_item, &sp, &err));
	assert_int_equal(sp.n, 1);
	assert_int_equal(sp.a[0], it2->id);
	struct seen none = {0};
	OK(st->ops->item_each_buyer(st, "jd", "special_id", "sp1", on_item, &none, &err));
	OK(st->ops->item_each_buyer(st, "jd", "", "", on_item, &none, &err));
	OK(st->ops->item_each_buyer(st, "jd", "", "sp1", on_item, &none, &err));
	assert_int_equal(none.n, 0);
	struct seen first = {.stop_after = 1};
	OK(st->ops->item_each_buyer(st, "jd", "", "buyer1", on_item, &first, &err));
	assert_int_equal(first.n, 1);
	struct seen un = {0};
	OK(st->ops->item_each_unattributed(st, 1000, on_item, &un, &err));
	assert_int_equal(un.n, 1);
	assert_int_equal(un.a[0], it2->id);
	struct seen un0 = {0};
	OK(st->ops->item_each_unattributed(st, 0, on_item, &un0, &err));
	assert_int_equal(un0.n, 2);
	assert_int_equal(un0.a[1], it3->id);

	/* refund records: the newest replaces */
	bool any = false;
	int64_t refunded = -1, at = -1;
	struct order_row r1 = {.kind = ORDER_ROW_REFUND, .union_ = "jd", .item = "k9",
			       .modified_at = 1200, .refunded = 100, .raw = "{}"};
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->refund_put(st, &r1, &err));
	r1.modified_at = 1300;
	r1.refunded = 150;
	r1.raw = NULL;
	OK(st->ops->refund_put(st, &r1, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->refund_get(st, "jd", "k9", &refunded, &at, &err));
	assert_int_equal(refunded, 150);
	assert_int_equal(at, 1300);
	OK(st->ops->refund_any(st, &any, &err));
	assert_true(any);
	assert_int_equal(sql_int(bk, "SELECT count(*) FROM item_refunds WHERE raw IS NULL"), 1);
	/* a negative refund is refused by the table */
	r1.refunded = -1;
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(failed_write(st, st->ops->refund_put(st, &r1, &err), &err), TK_ECONFLICT);

	/* the totals leave invalid items out and never count a refund beyond
	 * the commission */
	struct report_totals t;
	OK(st->ops->report_totals(st, &t, &err));
	assert_int_equal(t.items, 2);
	assert_int_equal(t.gmv, 15000);
	assert_int_equal(t.commission, 800);
	assert_int_equal(t.members_share, 630);
	assert_int_equal(t.platform_share, 1070);
	assert_int_equal(t.unattributed_items, 1);
	assert_int_equal(t.unattributed_commission, 0);
	assert_int_equal(t.invalid_items, 1);

	free(it1);
	free(it2);
	free(it3);
	free(got);
	free(was);
}

static void ledger(struct backend *bk, struct ids *id)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	int64_t acct_a = ACCOUNT(id->a, ACCT_AVAILABLE);
	struct transfer t1 = {.debit = PLATFORM_UNION, .credit = acct_a, .amount = 500,
			      .code = TR_ACCRUE, .item = id->item1, .at = 1000};
	struct transfer t2 = {.debit = acct_a, .credit = PLATFORM_REVENUE, .amount = 200,
			      .code = TR_ADJUST, .at = 1001};
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->transfer_insert(st, &t1, &err));
	OK(st->ops->transfer_insert(st, &t2, &err));
	OK(st->ops->balance_add(st, acct_a, 500, &err));
	OK(st->ops->balance_add(st, acct_a, -200, &err));
	OK(st->ops->balance_add(st, PLATFORM_UNION, -500, &err));
	OK(st->ops->balance_add(st, PLATFORM_REVENUE, 200, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_true(t1.id > 0 && t2.id > t1.id);
	id->t1 = t1.id;
	id->t2 = t2.id;

	struct seen s = {0};
	OK(st->ops->transfer_each(st, on_transfer, &s, &err));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.a[0], t1.id);
	assert_int_equal(s.b[0], 500);
	assert_int_equal(s.b[1], 200);
	char q[200];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM transfers WHERE id = %lld AND item IS NULL AND "
		 "withdrawal IS NULL AND code = 2 AND at = 1001",
		 (long long)t2.id);
	assert_int_equal(sql_int(bk, q), 1);

	/* transfers are immutable, and never of nothing or to themselves */
	assert_int_equal(sql_exec(bk, "UPDATE transfers SET amount = 1"), TK_ECONFLICT);
	assert_int_equal(sql_exec(bk, "DELETE FROM transfers"), TK_ECONFLICT);
	assert_int_equal(sql_int(bk, "SELECT sum(amount) FROM transfers"), 700);
	struct transfer bad = {.debit = 1, .credit = 2, .amount = 0, .code = TR_ADJUST};
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(failed_write(st, st->ops->transfer_insert(st, &bad, &err), &err),
			 TK_ECONFLICT);
	bad.amount = 1;
	bad.credit = 1;
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(failed_write(st, st->ops->transfer_insert(st, &bad, &err), &err),
			 TK_ECONFLICT);

	/* balances: account order, absent is 0, a sum beyond 64 bits refused */
	int64_t v = -1;
	OK(st->ops->balance_get(st, acct_a, &v, &err));
	assert_int_equal(v, 300);
	struct seen b = {0};
	OK(st->ops->balance_each(st, on_balance, &b, &err));
	assert_int_equal(b.n, 3);
	assert_true(b.a[0] < b.a[1] && b.a[1] < b.a[2]);
	assert_int_equal(b.a[2], acct_a);
	assert_int_equal(b.b[2], 300);
	struct seen b1 = {.stop_after = 1};
	OK(st->ops->balance_each(st, on_balance, &b1, &err));
	assert_int_equal(b1.n, 1);
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(failed_write(st, st->ops->balance_add(st, acct_a, INT64_MAX, &err), &err),
			 TK_ELIMIT);
	char want[160];
	snprintf(want, sizeof(want),
		 "the balance of account %lld would go beyond the 64-bit range: refused",
		 (long long)acct_a);
	assert_string_equal(err.msg, want);
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(
		failed_write(st, st->ops->balance_add(st, PLATFORM_UNION, INT64_MIN, &err), &err),
		TK_ELIMIT);
	OK(st->ops->balance_get(st, acct_a, &v, &err));
	assert_int_equal(v, 300);
	OK(st->ops->balance_get(st, PLATFORM_UNION, &v, &err));
	assert_int_equal(v, -500);
}

static void withdrawals(struct backend *bk, const struct ids *id)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	struct withdrawal_rec w = {.member = id->a, .amount = 100, .fee = 2,
				   .available_before = 300, .method = "alipay", .account = "acct 1",
				   .payee = "王小明", .status = WD_REQUESTED, .requested_at = 2000};
	struct withdrawal_rec w2 = {.member = id->b, .amount = 50, .method = "bank",
				    .status = WD_REQUESTED, .requested_at = 2001};
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->withdrawal_insert(st, &w, &err));
	OK(st->ops->withdrawal_insert(st, &w2, &err));
	OK(st->ops->tx_commit(st, &err));
	assert_int_equal(w.id, 1);
	assert_int_equal(w2.id, 2);
	struct withdrawal_rec got;
	OK(st->ops->withdrawal_get(st, w.id, &got, &err));
	assert_int_equal(got.member, id->a);
	assert_int_equal(got.amount, 100);
	assert_int_equal(got.fee, 2);
	assert_int_equal(got.available_before, 300);
	assert_string_equal(got.method, "alipay");
	assert_string_equal(got.account, "acct 1");
	assert_string_equal(got.payee, "王小明");
	assert_int_equal(got.status, WD_REQUESTED);
	assert_int_equal(got.requested_at, 2000);
	assert_int_equal(got.approved_after, 0);

	/* approval records the ledger's newest transfer; later steps keep it */
	w.status = WD_APPROVED;
	w.decided_at = 2100;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->withdrawal_update(st, &w, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->withdrawal_get(st, w.id, &got, &err));
	assert_int_equal(got.status, WD_APPROVED);
	assert_int_equal(got.decided_at, 2100);
	assert_int_equal(got.approved_after, id->t2);
	struct transfer t3 = {.debit = ACCOUNT(id->a, ACCT_AVAILABLE),
			      .credit = ACCOUNT(id->a, ACCT_WITHDRAWING), .amount = 100,
			      .code = TR_WITHDRAW, .withdrawal = w.id, .at = 2150};
	w.status = WD_PAID;
	w.paid_at = 2200;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->transfer_insert(st, &t3, &err));
	OK(st->ops->withdrawal_update(st, &w, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->withdrawal_get(st, w.id, &got, &err));
	assert_int_equal(got.status, WD_PAID);
	assert_int_equal(got.paid_at, 2200);
	assert_int_equal(got.approved_after, id->t2);
	w2.status = WD_REJECTED;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->withdrawal_update(st, &w2, &err));
	OK(st->ops->tx_commit(st, &err));
	OK(st->ops->withdrawal_get(st, w2.id, &got, &err));
	assert_int_equal(got.approved_after, 0);
	assert_string_equal(got.account, "");

	struct seen s = {0};
	OK(st->ops->withdrawal_each(st, on_withdrawal, &s, &err));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.a[0], w.id);
	assert_int_equal(s.b[0], WD_PAID);
	assert_int_equal(s.b[1], WD_REJECTED);
	struct seen one = {.stop_after = 1};
	OK(st->ops->withdrawal_each(st, on_withdrawal, &one, &err));
	assert_int_equal(one.n, 1);
	/* a withdrawal of nobody, or beyond its amount in fees, is refused */
	struct withdrawal_rec bad = w2;
	bad.member = 999;
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(st->ops->withdrawal_insert(st, &bad, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	bad.member = id->a;
	bad.fee = bad.amount + 1;
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(st->ops->withdrawal_insert(st, &bad, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
}

static void statistics(struct backend *bk)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	int64_t v[STAT_N];
	for (int i = 0; i < STAT_N; i++)
		v[i] = i + 1;
	OK(st->ops->tx_begin(st, &err));
	OK(st->ops->stats_add(st, 10, DIM_TOTAL, "", v, &err));
	OK(st->ops->stats_add(st, 10, DIM_TOTAL, "", v, &err));
	OK(st->ops->stats_add(st, 10, DIM_MEMBER, "1", v, &err));
	OK(st->ops->product_sales_add(st, "jd", "p1", 1, 0, &err));
	OK(st->ops->product_sales_add(st, "jd", "p1", 1, 1, &err));
	OK(st->ops->product_sales_add(st, "pdd", "p1", 0, 1, &err));
	OK(st->ops->tx_commit(st, &err));
	char q[200];
	for (int i = 0; i < STAT_N; i++) {
		snprintf(q, sizeof(q), "SELECT %s FROM daily_stats WHERE day = 10 AND dim = 0 AND "
				       "key = ''", stat_columns[i]);
		assert_int_equal(sql_int(bk, q), 2 * (i + 1));
		snprintf(q, sizeof(q), "SELECT %s FROM daily_stats WHERE day = 10 AND dim = 1 AND "
				       "key = '1'", stat_columns[i]);
		assert_int_equal(sql_int(bk, q), i + 1);
	}
	assert_int_equal(sql_int(bk, "SELECT count(*) FROM daily_stats"), 2);
	assert_int_equal(sql_int(bk, "SELECT orders * 10 + refunds FROM product_sales WHERE "
				     "union_ = 'jd' AND product = 'p1'"),
			 21);
	assert_int_equal(sql_int(bk, "SELECT orders * 10 + refunds FROM product_sales WHERE "
				     "union_ = 'pdd'"),
			 1);

	/* a figure beyond 64 bits is refused, naming the row */
	int64_t big[STAT_N] = {0};
	big[STAT_GMV] = INT64_MAX;
	OK(st->ops->tx_begin(st, &err));
	assert_int_equal(failed_write(st, st->ops->stats_add(st, 10, DIM_TOTAL, "", big, &err), &err),
			 TK_ELIMIT);
	assert_string_equal(err.msg, "the daily statistics of day 10, key \"\" would go beyond the "
				     "64-bit range: refused");
	assert_int_equal(sql_int(bk, "SELECT gmv FROM daily_stats WHERE dim = 0"), 4);

	if (!bk->pg)
		return;
	/* the click writer adds without the writer lock, while a writer holds it */
	struct store *clicks = NULL;
	OK(store_open(bk->uri, &(struct store_options){.appender = true}, &clicks, &err));
	int64_t c[STAT_N] = {0};
	c[STAT_CLICKS] = 5;
	c[STAT_UNIQUE_CLICKS] = 3;
	OK(st->ops->tx_begin(st, &err));
	OK(clicks->ops->tx_begin(clicks, &err));
	OK(clicks->ops->stats_add(clicks, 10, DIM_TOTAL, "", c, &err));
	OK(clicks->ops->stats_add(clicks, 10, DIM_CHANNEL, "ch", c, &err));
	OK(clicks->ops->tx_commit(clicks, &err));
	OK(st->ops->tx_commit(st, &err));
	clicks->ops->close(clicks);
	assert_int_equal(sql_int(bk, "SELECT clicks * 100 + unique_clicks FROM daily_stats WHERE "
				     "dim = 0"),
			 (2 * 10 + 5) * 100 + 2 * 11 + 3);
	assert_int_equal(sql_int(bk, "SELECT clicks FROM daily_stats WHERE dim = 3 AND "
				     "key = 'ch'"),
			 5);
}

/* a total beyond int64 is an error, never a number that does not fit */
static void totals_overflow(struct backend *bk)
{
	struct store *st = bk->st;
	struct tk_error err = {0};
	struct item_rec *it = calloc(1, sizeof(*it));
	assert_non_null(it);
	OK(st->ops->tx_begin(st, &err));
	item_make(it, "jd", "big1", ST_PAID, INT64_MAX / 2 + 1, 1);
	OK(st->ops->item_insert(st, it, &err));
	item_make(it, "jd", "big2", ST_PAID, INT64_MAX / 2 + 1, 1);
	OK(st->ops->item_insert(st, it, &err));
	OK(st->ops->tx_commit(st, &err));
	struct report_totals t;
	assert_int_equal(st->ops->report_totals(st, &t, &err), TK_EIO);
	free(it);
}

static void contract(bool pg)
{
	struct backend bk = {0};
	struct ids id = {0};
	open_backend(&bk, pg);
	absent_on_fresh(&bk);
	plans_and_members(&bk, &id);
	change_log(&bk, &id);
	bindings(&bk, &id);
	items(&bk, &id);
	ledger(&bk, &id);
	withdrawals(&bk, &id);
	statistics(&bk);
	totals_overflow(&bk);
	bk.st->ops->close(bk.st);
	if (!pg)
		remove(bk.uri);
}

static void test_contract_sqlite(void **state)
{
	(void)state;
	contract(false);
}

static void test_contract_pg(void **state)
{
	(void)state;
	contract(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract_sqlite),
		cmocka_unit_test(test_contract_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_pg_statements.c — the statements module's store operations, the
 * same on a fresh SQLite store and a fresh PostgreSQL store (one whose
 * default collation is not bytes): a merchant's name, the month's campaign
 * orders (joins, terms of the campaign product or the order's, an unknown
 * channel, order by campaign, product bytes, item; early stop), the slot
 * fees of a month (bounds, waived left out), the month's merchants, the
 * statements' upsert, get, list (filters, cursor, limit) and update, and
 * the application's generate / send / show on top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_standin.h"
#include "fresh_db.h"
#include "promo/statements.h"
#include "seen_text.h"
#include "store/statement_store.h"

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

static void sql(struct store *st, const char *text)
{
	struct tk_error err = {0};
	if (test_sql(st, text, &err))
		fail_msg("%s: %s", text, err.msg);
}

/* November 2026 at Beijing time is [NOV, DEC) */
#define NOV 1793462400
#define DEC 1796054400

static void seed(struct store *st)
{
	sql(st, "INSERT INTO merchants(name, created_at, updated_at) VALUES"
		" ('甲', 1, 1), ('乙', 1, 1), ('丙', 1, 1)");
	sql(st, "INSERT INTO promo_channels(name, kind, created_at, updated_at) VALUES"
		" ('达人', 'talent', 1, 1), ('团长', 'team', 1, 1)");
	sql(st, "INSERT INTO campaigns(merchant, union_, name, promote_from, promote_to,"
		" created_at, updated_at) VALUES (1, 'jd', 'C1', 1, 2, 1, 1),"
		" (2, 'pdd', 'C2', 1, 2, 1, 1), (1, 'jd', 'C3', 1, 2, 1, 1)");
	/* "B1" sorts before "a2" by bytes, after it in a linguistic collation */
	sql(st, "INSERT INTO campaign_items(campaign, product, title, commission_pm, service_pm,"
		" created_at, updated_at) VALUES (1, 'a2', 'lower', 200, 50, 1, 1),"
		" (1, 'B1', 'upper', 150, 30, 1, 1), (2, 'Q', 'q', 100, 40, 1, 1)");
	sql(st, "INSERT INTO items(union_, item_key, order_no, status, modified_at, paid_at,"
		" settled_at, amount, commission, quantity, refunded, product, title, attribution,"
		" plan_version, self_purchase, n_chain, platform, first_seen_at) VALUES"
		" ('jd', 'i1', 'o1', 1, 1, 1793500000, 0, 1000, 100, 1, 0, 'x', 'x', 0, 1, 0, 0, 0, 1),"
		" ('jd', 'i2', 'o2', 3, 1, 1793600000, 1793700000, 2000, 200, 1, 50, 'x', 'x', 0, 1, 0, 0, 0, 1),"
		" ('jd', 'i3', 'o3', 4, 1, 1793600000, 0, 3000, 300, 1, 0, 'raw3', 'raw title', 0, 1, 0, 0, 0, 1),"
		" ('pdd', 'i4', 'o4', 2, 1, 1793600000, 0, 4000, 400, 1, 0, 'x', 'x', 0, 1, 0, 0, 0, 1),"
		" ('jd', 'i5', 'o5', 1, 1, 1796100000, 0, 5000, 500, 1, 0, 'x', 'x', 0, 1, 0, 0, 0, 1),"
		" ('jd', 'i6', 'o6', 1, 1, 1793600000, 0, 6000, 600, 1, 0, 'x', 'x', 0, 1, 0, 0, 0, 1)");
	/* campaign_item 2 is "B1"; i3 has no campaign product (its own product
	 * and the order's rate); i2 of a channel not in the registry */
	sql(st, "INSERT INTO campaign_orders(item, union_, head, campaign, campaign_item, channel,"
		" channel_ref, service_pm, fee, fee_bucket, month, updated_at) VALUES"
		" (1, 'jd', 1, 1, 1, 1, 'r1', 0, 50, 1, 202611, 1),"
		" (2, 'jd', 1, 1, 2, NULL, 'r-unknown', 0, 60, 2, 202611, 1),"
		" (3, 'jd', 1, 1, NULL, 2, 'r2', 25, 0, 0, 202611, 1),"
		" (4, 'pdd', 1, 2, 3, 2, 'r2', 0, 160, 1, 202611, 1),"
		" (5, 'jd', 1, 1, 1, 1, 'r1', 0, 250, 1, 202612, 1),"
		" (6, 'jd', 1, 3, NULL, 1, 'r1', 0, 0, 0, 202611, 1)");
	/* slot fees: on the bounds of November, one waived, one of December */
	sql(st, "INSERT INTO slot_fees(campaign, channel, amount, state, booked_at, collected_at,"
		" waived_at) VALUES (1, 1, 100, 'collected', 1793462400, 1793470000, 0),"
		" (1, 2, 200, 'booked', 1796054399, 0, 0),"
		" (2, 1, 300, 'waived', 1793500000, 0, 1793600000),"
		" (3, 2, 400, 'booked', 1796054400, 0, 0)");
}

static bool order_cb(void *ctx, const struct statement_order *o)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s/%s/%s:%d:%lld/%lld/%lld:%lld/%lld:c%lld=%s:%s/%s:%lld/%lld:%lld/%lld:ch%lld=%s/%s;",
		      (long long)o->item, o->union_, o->item_key, o->order_no, o->status,
		      (long long)o->amount, (long long)o->commission, (long long)o->refunded,
		      (long long)o->paid_at, (long long)o->settled_at, (long long)o->campaign,
		      o->campaign_name, o->product, o->title, (long long)o->commission_pm,
		      (long long)o->service_pm, (long long)o->fee, (long long)o->fee_bucket,
		      (long long)o->channel, o->channel_name, o->channel_ref);
	return ++s->n != s->stop_after;
}

static bool slot_cb(void *ctx, const struct statement_slot *sl)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:c%lld=%s:ch%lld=%s:%lld:%s:%lld/%lld;", (long long)sl->id,
		      (long long)sl->campaign, sl->campaign_name, (long long)sl->channel,
		      sl->channel_name, (long long)sl->amount, sl->state, (long long)sl->booked_at,
		      (long long)sl->collected_at);
	return ++s->n != s->stop_after;
}

static bool id_cb(void *ctx, int64_t id)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld;", (long long)id);
	return ++s->n != s->stop_after;
}

static bool stmt_cb(void *ctx, const struct statement_rec *r)
{
	struct seen_text *s = ctx;
	assert_null(r->snapshot);
	seen_text_add(s, "%lld:%lld=%s:%lld:%s:%s:%s:%lld/%lld/%lld;", (long long)r->id,
		      (long long)r->merchant, r->merchant_name, (long long)r->month, r->state,
		      r->invoice, r->reason, (long long)r->created_at, (long long)r->updated_at,
		      (long long)r->sent_at);
	return ++s->n != s->stop_after;
}

static const char *orders(struct store *st, int64_t merchant, int64_t month, int stop,
			  struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	OK(st->statements->orders_each(st, merchant, month, order_cb, s, &err_));
	return s->text;
}

static const char *slots(struct store *st, int64_t merchant, int64_t from, int64_t to,
			 struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	OK(st->statements->slots_each(st, merchant, from, to, slot_cb, s, &err_));
	return s->text;
}

static const char *active(struct store *st, int64_t month, int64_t from, int64_t to, int stop,
			  struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	OK(st->statements->active_merchants(st, month, from, to, id_cb, s, &err_));
	return s->text;
}

static const char *stmts(struct store *st, struct statement_filter f, int stop,
			 struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	OK(st->statements->stmt_list(st, &f, stmt_cb, s, &err_));
	return s->text;
}

static void contract(struct store *st)
{
	struct seen_text s;
	struct tk_error err = {0};
	char name[STMT_NAME_MAX];
	seed(st);
	const struct statement_store_ops *o = st->statements;

	OK(o->merchant_name(st, 2, name, sizeof(name), &err_));
	assert_string_equal(name, "乙");
	assert_int_equal(o->merchant_name(st, 9, name, sizeof(name), &err), TK_ENOTFOUND);

	/* by campaign, product bytes ("B1" < "a2" < "raw3"), item */
	assert_string_equal(
		orders(st, 1, 202611, 0, &s),
		"2:jd/i2/o2:3:2000/200/50:1793600000/1793700000:c1=C1:B1/upper:150/30:60/2:ch0=/r-unknown;"
		"1:jd/i1/o1:1:1000/100/0:1793500000/0:c1=C1:a2/lower:200/50:50/1:ch1=达人/r1;"
		"3:jd/i3/o3:4:3000/300/0:1793600000/0:c1=C1:raw3/raw title:0/25:0/0:ch2=团长/r2;"
		"6:jd/i6/o6:1:6000/600/0:1793600000/0:c3=C3:x/x:0/0:0/0:ch1=达人/r1;");
	assert_string_equal(orders(st, 1, 202612, 0, &s),
			    "5:jd/i5/o5:1:5000/500/0:1796100000/0:c1=C1:a2/lower:200/50:250/1:ch1=达人/r1;");
	assert_string_equal(orders(st, 2, 202611, 0, &s),
			    "4:pdd/i4/o4:2:4000/400/0:1793600000/0:c2=C2:Q/q:100/40:160/1:ch2=团长/r2;");
	assert_string_equal(orders(st, 3, 202611, 0, &s), "");
	assert_string_equal(orders(st, 9, 202611, 0, &s), "");
	orders(st, 1, 202611, 2, &s); /* an early stop */
	assert_int_equal(s.n, 2);

	/* [from, to): the first second in, the last second of the month in,
	 * the next month's first second out; waived left out */
	assert_string_equal(slots(st, 1, NOV, DEC, &s),
			    "1:c1=C1:ch1=达人:100:collected:1793462400/1793470000;"
			    "2:c1=C1:ch2=团长:200:booked:1796054399/0;");
	assert_string_equal(slots(st, 2, NOV, DEC, &s), "");
	assert_string_equal(slots(st, 1, DEC, DEC + 86400 * 31, &s),
			    "4:c3=C3:ch2=团长:400:booked:1796054400/0;");

	/* merchants of the month: by orders or by slot fees, each once */
	assert_string_equal(active(st, 202611, NOV, DEC, 0, &s), "1;2;");
	assert_string_equal(active(st, 202612, DEC, DEC + 86400 * 31, 0, &s), "1;");
	assert_string_equal(active(st, 202610, NOV - 86400 * 31, NOV, 0, &s), "");
	active(st, 202611, NOV, DEC, 1, &s);
	assert_int_equal(s.n, 1);
	sql(st, "UPDATE slot_fees SET state = 'booked' WHERE id = 3"); /* merchant 2's, now counted */
	sql(st, "DELETE FROM campaign_orders WHERE item = 4");
	assert_string_equal(active(st, 202611, NOV, DEC, 0, &s), "1;2;");
	sql(st, "UPDATE slot_fees SET state = 'waived' WHERE id = 3");
	assert_string_equal(active(st, 202611, NOV, DEC, 0, &s), "1;");

	/* statements: upsert, ids in order (a rolled-back one is taken again) */
	int64_t id = 0;
	bool created = false;
	OK(st->ops->tx_begin(st, &err_));
	OK(o->stmt_upsert_draft(st, 1, 202611, 100, &id, &created, &err_));
	assert_int_equal(id, 1);
	assert_true(created);
	OK(o->stmt_upsert_draft(st, 1, 202611, 101, &id, &created, &err_));
	assert_int_equal(id, 1);
	assert_false(created);
	OK(st->ops->tx_commit(st, &err_));
	OK(st->ops->tx_begin(st, &err_));
	OK(o->stmt_upsert_draft(st, 2, 202611, 102, &id, &created, &err_));
	assert_int_equal(id, 2);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	OK(o->stmt_upsert_draft(st, 2, 202611, 103, &id, &created, &err_));
	assert_int_equal(id, 2);
	OK(o->stmt_upsert_draft(st, 1, 202612, 104, &id, &created, &err_));
	assert_int_equal(id, 3);
	OK(st->ops->tx_commit(st, &err_));

	/* a merchant that is none: refused, nothing written */
	OK(st->ops->tx_begin(st, &err_));
	assert_int_equal(o->stmt_upsert_draft(st, 99, 202611, 105, &id, &created, &err),
			 TK_ECONFLICT);
	st->ops->tx_rollback(st);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM statements"), 3);

	struct statement_rec r;
	assert_int_equal(o->stmt_get(st, 9, &r, &err), TK_ENOTFOUND);
	OK(o->stmt_get(st, 1, &r, &err_));
	assert_string_equal(r.merchant_name, "甲");
	assert_string_equal(r.state, "draft");
	assert_int_equal(r.month, 202611);
	assert_int_equal(r.created_at, 100);
	assert_null(r.snapshot);

	/* update: state, snapshot, invoice, reason, times */
	snprintf(r.state, sizeof(r.state), "sent");
	r.snapshot = strdup("{\"totals\":{\"gmv\":1}}");
	r.updated_at = r.sent_at = 200;
	OK(st->ops->tx_begin(st, &err_));
	OK(o->stmt_update(st, &r, &err_));
	OK(st->ops->tx_commit(st, &err_));
	free(r.snapshot);
	OK(o->stmt_get(st, 1, &r, &err_));
	assert_string_equal(r.state, "sent");
	assert_string_equal(r.snapshot, "{\"totals\":{\"gmv\":1}}");
	assert_int_equal(r.sent_at, 200);
	free(r.snapshot);
	r.id = 9;
	r.snapshot = NULL;
	OK(st->ops->tx_begin(st, &err_));
	assert_int_equal(o->stmt_update(st, &r, &err), TK_ENOTFOUND);
	st->ops->tx_rollback(st);

	/* listings: newest first, each filter, a cursor, a limit, an early stop */
	assert_string_equal(stmts(st, (struct statement_filter){0}, 0, &s),
			    "3:1=甲:202612:draft:::104/104/0;"
			    "2:2=乙:202611:draft:::103/103/0;"
			    "1:1=甲:202611:sent:::100/200/200;");
	assert_string_equal(stmts(st, (struct statement_filter){.month = 202611}, 0, &s),
			    "2:2=乙:202611:draft:::103/103/0;1:1=甲:202611:sent:::100/200/200;");
	assert_string_equal(stmts(st, (struct statement_filter){.merchant = 1, .state = "draft"}, 0, &s),
			    "3:1=甲:202612:draft:::104/104/0;");
	assert_string_equal(stmts(st, (struct statement_filter){.state = "sent"}, 0, &s),
			    "1:1=甲:202611:sent:::100/200/200;");
	assert_string_equal(stmts(st, (struct statement_filter){.before = 3, .limit = 1}, 0, &s),
			    "2:2=乙:202611:draft:::103/103/0;");
	stmts(st, (struct statement_filter){0}, 2, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(stmts(st, (struct statement_filter){.state = "invoiced"}, 0, &s), "");
}

/* The application on top, through the same store: generate, send, a new
 * order, show with what changed. */
static void application(struct store *st)
{
	struct tk_error err = {0};
	json_t *out = NULL;
	seed(st);
	OK(statements_generate(st, 202611, 0, 100, &out, &err_));
	char *t = json_dumps(out, JSON_COMPACT);
	assert_string_equal(t, "{\"month\":202611,\"created\":[1,2],\"existing\":[]}");
	free(t);
	json_decref(out);
	assert_int_equal(statements_generate(st, 202611, 9, 100, &out, &err), TK_ENOTFOUND);
	OK(statements_move(st, 1, STMT_SEND, NULL, 200, &out, &err_));
	json_decref(out);
	assert_int_equal(statements_move(st, 1, STMT_INVOICE, "N-1", 201, &out, &err), TK_ECONFLICT);
	assert_string_equal(err.key, "statement.illegal_move");
	/* i5 moves into November: the snapshot stays, the change shows */
	sql(st, "UPDATE campaign_orders SET month = 202611 WHERE item = 5");
	OK(statements_show(st, 1, &out, &err_));
	json_t *totals = json_object_get(out, "totals");
	/* orders live: i1 (paid), i2 (settled), i6 (paid); i3 invalid */
	assert_int_equal(json_integer_value(json_object_get(totals, "orders")), 3);
	assert_int_equal(json_integer_value(json_object_get(totals, "gmv")), 9000);
	assert_int_equal(json_integer_value(json_object_get(totals, "refunds")), 2);
	/* i2: 2000 × 50 / 200 = 500; i3: 3000 */
	assert_int_equal(json_integer_value(json_object_get(totals, "refund_gmv")), 3500);
	/* floor(500 × 30‰) = 15, floor(3000 × 25‰) = 75 */
	assert_int_equal(json_integer_value(json_object_get(totals, "refund_service_fee")), 90);
	assert_true(json_is_true(json_object_get(out, "changed_since_sent")));
	t = json_dumps(json_array_get(json_object_get(out, "changes"), 0), JSON_COMPACT);
	assert_string_equal(t, "{\"what\":\"totals.orders\",\"sent\":3,\"now\":4}");
	free(t);
	json_decref(out);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM actions WHERE subject = 'statement:1'"),
			 1);
}

/* One export holds at most STMT_EXPORT_ORDERS_MAX campaign orders: one
 * more is refused with its key, exactly that many is written.  On SQLite
 * only: the count is the application's over orders_each, whose rows the
 * contract above checks on both backends, and seeding 100,001 items costs
 * the test PostgreSQL some 40 s. */
static void export_limit(struct store *st)
{
	struct tk_error err = {0};
	char *data = NULL, name[64];
	size_t len = 0;
	const char *type;
	json_t *out;
	sql(st, "INSERT INTO merchants(name, created_at, updated_at) VALUES ('甲', 1, 1)");
	sql(st, "INSERT INTO campaigns(merchant, union_, name, promote_from, promote_to,"
		" created_at, updated_at) VALUES (1, 'jd', 'C1', 1, 2, 1, 1)");
	sql(st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100001)"
		" INSERT INTO items(union_, item_key, status, modified_at, paid_at, amount, commission,"
		" quantity, attribution, plan_version, self_purchase, n_chain, platform, first_seen_at)"
		" SELECT 'jd', 'k' || i, 1, 1, 1793500000, 100, 10, 1, 0, 1, 0, 0, 0, 1 FROM n");
	sql(st, "INSERT INTO campaign_orders(item, union_, head, campaign, month, updated_at)"
		" SELECT id, 'jd', 1, 1, 202611, 1 FROM items");
	OK(statements_generate(st, 202611, 1, 100, &out, &err_));
	json_decref(out);
	assert_int_equal(statements_export(st, 1, STMT_CSV, STMT_EN, &data, &len, name, &type, &err),
			 TK_ELIMIT);
	assert_string_equal(err.key, "statement.export_too_large");
	assert_null(data);
	sql(st, "DELETE FROM campaign_orders WHERE item = 100001");
	OK(statements_export(st, 1, STMT_CSV, STMT_EN, &data, &len, name, &type, &err_));
	assert_string_equal(name, "statement-1-202611.csv");
	/* the total row: 100000 orders, 100 fen each */
	assert_non_null(strstr(data, "\r\ntotal,,,,,,,100000,100000.00,10000000,"));
	free(data);
}

static void run(enum test_fresh_kind kind, void (*body)(struct store *))
{
	char uri[512];
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	body(st);
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_store_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE, contract);
}

static void test_store_pg(void **state)
{
	(void)state;
	run(TEST_FRESH_PG_ICU, contract);
}

static void test_application_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE, application);
}

static void test_application_pg(void **state)
{
	(void)state;
	run(TEST_FRESH_PG, application);
}

static void test_limit_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE, export_limit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_sqlite),
		cmocka_unit_test(test_store_sqlite),
		cmocka_unit_test(test_store_pg),
		cmocka_unit_test(test_application_sqlite),
		cmocka_unit_test(test_application_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

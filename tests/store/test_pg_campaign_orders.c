/* test_pg_campaign_orders.c — the campaign order store's contract, run
 * alike on a fresh SQLite store and a fresh PostgreSQL store: matching a
 * row to a campaign (the candidates of a product, by ext id or by status,
 * their order and limit; the pick by window among them, the absent case), finding a channel, get/put (insert,
 * replace, absent), listing with every filter, a limit, the cursor and an
 * early stop, and the totals with the settled fee clawed back — asserted
 * against the expected values on each backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fresh_db.h"
#include "seen_text.h"
#include "store/campaign_order_store.h"
#include "store/pg_internal.h"
#include "store/sqlite_internal.h"

struct backend {
	bool pg;
	char uri[512];
	struct store *st;
};

static void exec_sql(struct backend *b, const char *sql)
{
	struct tk_error err = {0};
	if (b->pg) {
		if (pg_exec_script(pg_of(b->st), sql, "seeding", &err))
			fail_msg("%s: %s", sql, err.msg);
		return;
	}
	char *msg = NULL;
	if (sqlite3_exec(sqlite_of(b->st)->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

static const struct campaign_order_store_ops *ops(struct backend *b)
{
	return b->st->campaign_orders;
}

/* The candidates as "campaign:from-to,..." (at most max). */
static const char *cands(struct backend *b, const char *u, const char *ext, const char *product,
			 int max, char *buf)
{
	struct co_candidate c[CAMPAIGN_CANDIDATES_MAX];
	int n = -1;
	OK(ops(b)->campaign_candidates(b->st, u, ext, product, c, max, &n, &err_));
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		sprintf(buf + strlen(buf), "%s%lld:%lld-%lld", i ? "," : "", (long long)c[i].campaign,
			(long long)c[i].promote_from, (long long)c[i].promote_to);
	return buf;
}

/* campaign id / campaign item id / rate of the pick, or "-" when none */
static const char *match(struct backend *b, const char *u, const char *ext, const char *product,
			 int64_t at, char *buf)
{
	struct co_candidate c[CAMPAIGN_CANDIDATES_MAX];
	int n = -1;
	OK(ops(b)->campaign_candidates(b->st, u, ext, product, c, CAMPAIGN_CANDIDATES_MAX, &n,
				       &err_));
	int k = campaign_pick(c, n, ext[0] != '\0', at);
	if (k < 0)
		return "-";
	sprintf(buf, "%lld/%lld/%d", (long long)c[k].campaign, (long long)c[k].campaign_item,
		c[k].service_pm);
	return buf;
}

static bool seen_cb(void *ctx, const struct campaign_order_rec *co)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s:%s:%d:%lld/%lld/%lld:%s=%s:%s:%lld:%d:%lld:%lld:%lld:%s:%d:%lld:%lld;",
		      (long long)co->item, co->key, co->ext_id, co->head, (long long)co->campaign,
		      (long long)co->campaign_item, (long long)co->channel, co->channel_kind,
		      co->channel_ref, co->fee_source, (long long)co->fee, co->fee_bucket,
		      (long long)co->fee_amount, (long long)co->month, (long long)co->merchant,
		      co->product, (int)co->status, (long long)co->amount, (long long)co->paid_at);
	return ++s->n != s->stop_after;
}

static const char *list(struct backend *b, const struct co_filter *f, int64_t limit, int stop,
			struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	OK(ops(b)->each(b->st, f, limit, seen_cb, s, &err_));
	return s->text;
}

static void put(struct backend *b, int64_t item, const char *ext, bool head, int64_t campaign,
		int64_t citem, int64_t channel, const char *source, int64_t fee, int bucket,
		int64_t amount, int64_t month)
{
	struct campaign_order_rec co = {.item = item, .head = head, .campaign = campaign,
					.campaign_item = citem, .channel = channel, .fee = fee,
					.fee_bucket = bucket, .fee_amount = amount, .month = month,
					.updated_at = 100 + item, .service_pm = 50};
	snprintf(co.union_, sizeof(co.union_), "jd");
	snprintf(co.ext_id, sizeof(co.ext_id), "%s", ext);
	snprintf(co.fee_source, sizeof(co.fee_source), "%s", source);
	snprintf(co.channel_kind, sizeof(co.channel_kind), "rid");
	snprintf(co.channel_ref, sizeof(co.channel_ref), "r%lld", (long long)item);
	snprintf(co.shop, sizeof(co.shop), "shop");
	OK(ops(b)->put(b->st, &co, &err_));
}

static void contract(struct backend *b)
{
	char buf[64];
	struct seen_text s;
	bool any = true;
	OK(ops(b)->campaign_any(b->st, &any, &err_));
	assert_false(any);

	exec_sql(b,
		 "INSERT INTO merchants(id, name, created_at, updated_at) VALUES (1, 'm1', 1, 1),"
		 " (2, 'm2', 1, 1);"
		 "INSERT INTO campaigns(id, merchant, union_, ext_id, name, status, promote_from,"
		 " promote_to, created_at, updated_at) VALUES"
		 " (1, 1, 'jd', '5001', 'a', 'approved', 1000, 2000, 1, 1),"
		 " (2, 1, 'jd', '5001', 'b', 'pending', 3000, 4000, 1, 1),"
		 " (3, 2, 'taobao', '', 'c', 'approved', 1000, 2000, 1, 1),"
		 " (4, 2, 'taobao', '', 'd', 'ended', 1500, 2500, 1, 1),"
		 " (5, 2, 'taobao', '', 'e', 'rejected', 1000, 9000, 1, 1);"
		 "INSERT INTO campaign_items(id, campaign, product, commission_pm, service_pm,"
		 " created_at, updated_at) VALUES (1, 1, 'p1', 100, 50, 1, 1), (2, 2, 'p1', 100, 70, 1, 1),"
		 " (3, 3, 't1', 100, 30, 1, 1), (4, 4, 't1', 100, 20, 1, 1), (5, 5, 't1', 100, 90, 1, 1);"
		 "INSERT INTO promo_channels(id, name, kind, created_at, updated_at) VALUES"
		 " (1, 'c1', 'team', 1, 1), (2, 'c2', 'app', 1, 1);"
		 "INSERT INTO promo_channel_ids(channel, union_, kind, value) VALUES"
		 " (1, 'jd', 'rid', '880'), (2, 'jd', 'channelId', '880');"
		 "INSERT INTO items(id, union_, item_key, order_no, status, modified_at, paid_at,"
		 " amount, commission, quantity, attribution, plan_version, self_purchase, n_chain,"
		 " platform, first_seen_at, product) VALUES"
		 " (1, 'jd', 'J1#head', 'O1', 1, 10, 1500, 20000, 0, 1, 0, 1, 0, 0, 0, 10, 'p1'),"
		 " (2, 'jd', 'J2', 'O2', 3, 10, 1600, 10000, 0, 1, 0, 1, 0, 0, 0, 10, 'p1'),"
		 " (3, 'jd', 'J3#head', 'O3', 4, 10, 1700, 5000, 0, 1, 0, 1, 0, 0, 0, 10, 'x'),"
		 " (4, 'jd', 'J4', 'O4', 1, 10, 1800, 7000, 0, 1, 0, 1, 0, 0, 0, 10, 'p1');");
	OK(ops(b)->campaign_any(b->st, &any, &err_));
	assert_true(any);

	/* candidates: latest promote_from first, at most max, none absent */
	char buf2[256];
	assert_string_equal(cands(b, "jd", "5001", "p1", CAMPAIGN_CANDIDATES_MAX, buf2),
			    "2:3000-4000,1:1000-2000");
	assert_string_equal(cands(b, "jd", "5001", "p1", 1, buf2), "2:3000-4000");
	assert_string_equal(cands(b, "jd", "5001", "p1", 0, buf2), "");
	assert_string_equal(cands(b, "taobao", "", "t1", CAMPAIGN_CANDIDATES_MAX, buf2),
			    "4:1500-2500,3:1000-2000"); /* not the rejected */
	assert_string_equal(cands(b, "jd", "", "p1", CAMPAIGN_CANDIDATES_MAX, buf2),
			    "1:1000-2000"); /* not the pending */
	assert_string_equal(cands(b, "jd", "5002", "p1", CAMPAIGN_CANDIDATES_MAX, buf2), "");
	assert_string_equal(cands(b, "pdd", "5001", "p1", CAMPAIGN_CANDIDATES_MAX, buf2), "");
	/* by ext id: the campaign whose window holds the time first, then the
	 * latest promote_from; any status */
	assert_string_equal(match(b, "jd", "5001", "p1", 1500, buf), "1/1/50");
	assert_string_equal(match(b, "jd", "5001", "p1", 3500, buf), "2/2/70");
	assert_string_equal(match(b, "jd", "5001", "p1", 9999, buf), "2/2/70");
	assert_string_equal(match(b, "jd", "5002", "p1", 1500, buf), "-");
	assert_string_equal(match(b, "jd", "5001", "p2", 1500, buf), "-");
	assert_string_equal(match(b, "pdd", "5001", "p1", 1500, buf), "-");
	/* by product and window: approved or ended only, latest promote_from */
	assert_string_equal(match(b, "taobao", "", "t1", 1200, buf), "3/3/30");
	assert_string_equal(match(b, "taobao", "", "t1", 1800, buf), "4/4/20");
	assert_string_equal(match(b, "taobao", "", "t1", 2400, buf), "4/4/20");
	assert_string_equal(match(b, "taobao", "", "t1", 5000, buf), "-"); /* only rejected */
	assert_string_equal(match(b, "jd", "", "p1", 1500, buf), "1/1/50");

	int64_t ch = 0;
	OK(ops(b)->channel_find(b->st, "jd", "rid", "880", &ch, &err_));
	assert_int_equal(ch, 1);
	OK(ops(b)->channel_find(b->st, "jd", "channelId", "880", &ch, &err_));
	assert_int_equal(ch, 2);
	struct tk_error err = {0};
	assert_int_equal(ops(b)->channel_find(b->st, "jd", "rid", "881", &ch, &err), TK_ENOTFOUND);
	assert_int_equal(ops(b)->channel_find(b->st, "pdd", "rid", "880", &ch, &err), TK_ENOTFOUND);

	struct campaign_order_rec co;
	assert_int_equal(ops(b)->get(b->st, 1, &co, &err), TK_ENOTFOUND);
	OK(b->st->ops->tx_begin(b->st, &err_));
	put(b, 2, "5001", false, 1, 1, 0, "none", 0, 2, 0, 202601);
	put(b, 1, "5001", true, 1, 1, 1, "union", 1000, 1, 1000, 202601);
	put(b, 3, "9999", true, 0, 0, 0, "union", 300, 0, 0, 202602);
	put(b, 4, "", true, 0, 0, 2, "rate", 350, 2, 350, 202602);
	OK(b->st->ops->tx_commit(b->st, &err_));
	OK(ops(b)->get(b->st, 1, &co, &err_));
	assert_string_equal(co.key, "J1#head");
	assert_string_equal(co.ext_id, "5001");
	assert_true(co.head);
	assert_int_equal(co.campaign, 1);
	assert_int_equal(co.channel, 1);
	assert_string_equal(co.channel_kind, "rid");
	assert_string_equal(co.channel_ref, "r1");
	assert_string_equal(co.fee_source, "union");
	assert_int_equal(co.fee, 1000);
	assert_int_equal(co.fee_bucket, 1);
	assert_int_equal(co.fee_amount, 1000);
	assert_int_equal(co.service_pm, 50);
	assert_int_equal(co.month, 202601);
	assert_int_equal(co.updated_at, 101);
	assert_int_equal(co.merchant, 1);
	assert_int_equal(co.amount, 20000);
	assert_int_equal(co.paid_at, 1500);
	assert_int_equal(co.status, ST_PAID);
	assert_string_equal(co.product, "p1");
	/* replaced whole */
	OK(b->st->ops->tx_begin(b->st, &err_));
	put(b, 1, "5001", true, 1, 1, 1, "union", 900, 2, 900, 202601);
	OK(b->st->ops->tx_commit(b->st, &err_));
	OK(ops(b)->get(b->st, 1, &co, &err_));
	assert_int_equal(co.fee_bucket, 2);
	assert_int_equal(co.fee_amount, 900);
	/* a campaign order of no item is refused: by the write, or (a queued
	 * write on PostgreSQL) by the commit, and nothing of it stays */
	OK(b->st->ops->tx_begin(b->st, &err_));
	struct campaign_order_rec bad = {.item = 99, .month = 1};
	snprintf(bad.fee_source, sizeof(bad.fee_source), "none");
	enum tk_rc brc = ops(b)->put(b->st, &bad, &err);
	if (brc)
		b->st->ops->tx_rollback(b->st);
	else
		brc = b->st->ops->tx_commit(b->st, &err);
	assert_int_equal(brc, TK_ECONFLICT);
	assert_int_equal(ops(b)->get(b->st, 99, &co, &err), TK_ENOTFOUND);

	const char *row1 = "1:J1#head:5001:1:1/1/1:rid=r1:union:900:2:900:202601:1:p1:1:20000:1500;",
		   *row2 = "2:J2:5001:0:1/1/0:rid=r2:none:0:2:0:202601:1:p1:3:10000:1600;",
		   *row3 = "3:J3#head:9999:1:0/0/0:rid=r3:union:300:0:0:202602:0:x:4:5000:1700;",
		   *row4 = "4:J4::1:0/0/2:rid=r4:rate:350:2:350:202602:0:p1:1:7000:1800;";
	char want[1024];
	struct co_filter all = {.head = -1, .status = -1};
	snprintf(want, sizeof(want), "%s%s%s%s", row1, row2, row3, row4);
	assert_string_equal(list(b, &all, 0, 0, &s), want);
	snprintf(want, sizeof(want), "%s%s", row1, row2);
	assert_string_equal(list(b, &all, 2, 0, &s), want); /* limit */
	assert_string_equal(list(b, &all, 0, 1, &s), row1); /* early stop */
	struct co_filter f = all;
	f.after = 2; /* cursor */
	snprintf(want, sizeof(want), "%s%s", row3, row4);
	assert_string_equal(list(b, &f, 0, 0, &s), want);
	f = all, f.campaign = 1;
	snprintf(want, sizeof(want), "%s%s", row1, row2);
	assert_string_equal(list(b, &f, 0, 0, &s), want);
	f = all, f.merchant = 1;
	assert_string_equal(list(b, &f, 0, 0, &s), want);
	f = all, f.merchant = 2;
	assert_string_equal(list(b, &f, 0, 0, &s), "");
	f = all, f.channel = 2;
	assert_string_equal(list(b, &f, 0, 0, &s), row4);
	f = all, f.month = 202602;
	snprintf(want, sizeof(want), "%s%s", row3, row4);
	assert_string_equal(list(b, &f, 0, 0, &s), want);
	f = all, f.paid_from = 1600, f.paid_to = 1700;
	snprintf(want, sizeof(want), "%s%s", row2, row3);
	assert_string_equal(list(b, &f, 0, 0, &s), want);
	f = all, snprintf(f.union_, sizeof(f.union_), "pdd");
	assert_string_equal(list(b, &f, 0, 0, &s), "");
	f = all, snprintf(f.union_, sizeof(f.union_), "jd"), f.head = 0;
	assert_string_equal(list(b, &f, 0, 0, &s), row2);
	f = all, f.status = ST_INVALID;
	assert_string_equal(list(b, &f, 0, 0, &s), row3);
	f = all, f.unlinked = true; /* no campaign, or a ref but no channel */
	snprintf(want, sizeof(want), "%s%s%s", row2, row3, row4);
	assert_string_equal(list(b, &f, 0, 0, &s), want);
	f = all, f.updated_from = 103;
	snprintf(want, sizeof(want), "%s%s", row3, row4);
	assert_string_equal(list(b, &f, 0, 0, &s), want);

	/* totals, with 120 + 30 of the settled fee clawed back on item 4 */
	exec_sql(b, "INSERT INTO transfers(id, debit, credit, amount, code, item, at) VALUES"
		    " (1, 5, 1, 120, 6, 4, 1), (2, 5, 1, 30, 6, 4, 2), (3, 4, 1, 7, 3, 1, 3),"
		    " (4, 5, 1, 11, 6, 3, 4);");
	struct co_totals t;
	OK(ops(b)->totals(b->st, &all, &t, &err_));
	assert_int_equal(t.orders, 4);
	assert_int_equal(t.gmv, 42000);
	assert_int_equal(t.fee_estimated, 0);
	assert_int_equal(t.fee_settled, 1250);
	assert_int_equal(t.fee_clawed, 161);
	f = all, f.channel = 2, f.after = 99; /* the cursor does not narrow totals */
	OK(ops(b)->totals(b->st, &f, &t, &err_));
	assert_int_equal(t.orders, 1);
	assert_int_equal(t.gmv, 7000);
	assert_int_equal(t.fee_settled, 350);
	assert_int_equal(t.fee_clawed, 150);
	f = all, f.merchant = 2;
	OK(ops(b)->totals(b->st, &f, &t, &err_));
	assert_int_equal(t.orders, 0);
	assert_int_equal(t.gmv, 0);
	assert_int_equal(t.fee_clawed, 0);
}

static void run(bool pg)
{
	struct backend b = {.pg = pg};
	b.st = test_store_fresh(pg ? TEST_FRESH_PG : TEST_FRESH_SQLITE, b.uri, sizeof(b.uri));
	contract(&b);
	b.st->ops->close(b.st);
	test_db_remove(b.uri);
}

static void test_campaign_orders_sqlite(void **state)
{
	(void)state;
	run(false);
}

static void test_campaign_orders_pg(void **state)
{
	(void)state;
	run(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_campaign_orders_sqlite),
		cmocka_unit_test(test_campaign_orders_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

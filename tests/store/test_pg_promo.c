/* test_pg_promo.c — the promotion head's registry store (promo_store.h),
 * the same on a fresh SQLite store and a fresh PostgreSQL store: ids in
 * insert order (a rolled-back insert takes none), every get's absent case,
 * a duplicate shop or slot fee answered as a conflict the transaction
 * survives, listings with every filter, their order, limit, cursor and
 * early stop; transfers carrying their slot fee; and a slot fee booked and
 * waived through the registry, its two transfers naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fresh_db.h"
#include "promo/promo_registry.h"
#include "seen_text.h"
#include "store/promo_store.h"

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)
#define RC(want, call)                                              \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_ != (want))                                  \
			fail_msg("%s: rc %d, want %d: %s", #call, rc_, want, err_.msg); \
	} while (0)

static bool merchant_cb(void *ctx, const struct merchant_rec *m)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s:%s;", (long long)m->id, m->name, m->state);
	return ++s->n != s->stop_after;
}

static bool shop_cb(void *ctx, const struct shop_rec *r)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%lld:%s/%s:%s;", (long long)r->id, (long long)r->merchant, r->union_,
		      r->shop, r->name);
	return ++s->n != s->stop_after;
}

static bool campaign_cb(void *ctx, const struct campaign_rec *c)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s:%s:%lld-%lld;", (long long)c->id, c->union_, c->status,
		      (long long)c->promote_from, (long long)c->promote_to);
	return ++s->n != s->stop_after;
}

/* the names the reads join beside the ids */
static bool campaign_named_cb(void *ctx, const struct campaign_rec *c)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%lld=%s;", (long long)c->id, (long long)c->merchant, c->merchant_name);
	return ++s->n != s->stop_after;
}

static bool slot_named_cb(void *ctx, const struct slot_fee_rec *f)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s/%s/%lld;", (long long)f->id, f->channel_name, f->campaign_name,
		      (long long)f->merchant);
	return ++s->n != s->stop_after;
}

static bool item_cb(void *ctx, const struct campaign_item_rec *i)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s:%lld/%lld:%s:%s;", (long long)i->id, i->product,
		      (long long)i->commission_pm, (long long)i->service_pm, i->status, i->title);
	return ++s->n != s->stop_after;
}

static bool slot_cb(void *ctx, const struct slot_fee_rec *f)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%lld/%lld:%lld:%s;", (long long)f->id, (long long)f->campaign,
		      (long long)f->channel, (long long)f->amount, f->state);
	return ++s->n != s->stop_after;
}

static bool transfer_cb(void *ctx, const struct transfer *t)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%d:%lld>%lld:%lld:slot%lld;", (long long)t->id, (int)t->code,
		      (long long)t->debit, (long long)t->credit, (long long)t->amount,
		      (long long)t->slot);
	return ++s->n != s->stop_after;
}

#define SEEN(s, stop) (memset(&(s), 0, sizeof(s)), (s).stop_after = (stop), &(s))

static void merchant(struct store *st, const char *name, int64_t want_id)
{
	struct merchant_rec m = {.created_at = 100, .updated_at = 100};
	snprintf(m.name, sizeof(m.name), "%s", name);
	snprintf(m.state, sizeof(m.state), "active");
	OK(st->promo->merchant_insert(st, &m, &err_));
	assert_int_equal(m.id, want_id);
}

static void campaign(struct store *st, int64_t merchant, const char *u, int64_t from, int64_t to,
		     int64_t want_id)
{
	struct campaign_rec c = {.merchant = merchant, .promote_from = from, .promote_to = to,
				 .created_at = 100, .updated_at = 100};
	snprintf(c.union_, sizeof(c.union_), "%s", u);
	snprintf(c.name, sizeof(c.name), "c%lld", (long long)want_id);
	snprintf(c.status, sizeof(c.status), "pending");
	OK(st->promo->campaign_insert(st, &c, &err_));
	assert_int_equal(c.id, want_id);
}

static void contract(struct store *st)
{
	struct seen_text s;
	struct tk_error err;
	struct merchant_rec m;
	/* merchants: ids in order, a rolled-back one takes none */
	OK(st->ops->tx_begin(st, &err_));
	merchant(st, "好物旗舰店", 1);
	merchant(st, "Other Co", 2);
	OK(st->ops->tx_commit(st, &err_));
	OK(st->ops->tx_begin(st, &err_));
	merchant(st, "gone", 3);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	merchant(st, "好物二店", 3);
	OK(st->promo->merchant_get(st, 2, &m, &err_));
	snprintf(m.state, sizeof(m.state), "archived");
	snprintf(m.terms, sizeof(m.terms), "月结");
	m.updated_at = 200;
	OK(st->promo->merchant_update(st, &m, &err_));
	m.id = 99;
	RC(TK_ENOTFOUND, st->promo->merchant_update(st, &m, &err_));
	OK(st->ops->tx_commit(st, &err_));
	RC(TK_ENOTFOUND, st->promo->merchant_get(st, 99, &m, &err));
	OK(st->promo->merchant_get(st, 2, &m, &err_));
	assert_string_equal(m.terms, "月结");
	assert_int_equal(m.updated_at, 200);
	assert_int_equal(m.created_at, 100);

	struct merchant_filter mf = {0};
	OK(st->promo->merchant_list(st, &mf, merchant_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:好物二店:active;2:Other Co:archived;1:好物旗舰店:active;");
	mf = (struct merchant_filter){.q = "好物"};
	OK(st->promo->merchant_list(st, &mf, merchant_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:好物二店:active;1:好物旗舰店:active;");
	mf = (struct merchant_filter){.q = "other"}; /* bytes: case counts */
	OK(st->promo->merchant_list(st, &mf, merchant_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "");
	mf = (struct merchant_filter){.state = "active", .before = 3};
	OK(st->promo->merchant_list(st, &mf, merchant_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:好物旗舰店:active;");
	mf = (struct merchant_filter){.limit = 2};
	OK(st->promo->merchant_list(st, &mf, merchant_cb, SEEN(s, 0), &err_));
	assert_int_equal(s.n, 2);
	mf = (struct merchant_filter){0};
	OK(st->promo->merchant_list(st, &mf, merchant_cb, SEEN(s, 1), &err_));
	assert_string_equal(s.text, "3:好物二店:active;");

	/* shops: a duplicate is an answer the transaction survives */
	struct shop_rec sh = {.merchant = 1, .union_ = "jd", .shop = "10086", .name = "京东店"};
	OK(st->ops->tx_begin(st, &err_));
	OK(st->promo->shop_add(st, &sh, &err_));
	assert_int_equal(sh.id, 1);
	struct shop_rec dup = {.merchant = 2, .union_ = "jd", .shop = "10086"};
	RC(TK_ECONFLICT, st->promo->shop_add(st, &dup, &err_));
	struct shop_rec other = {.merchant = 1, .union_ = "pdd", .shop = "10086"};
	OK(st->promo->shop_add(st, &other, &err_));
	assert_int_equal(other.id, 2);
	OK(st->ops->tx_commit(st, &err_));
	struct shop_rec got;
	OK(st->promo->shop_find(st, "jd", "10086", &got, &err_));
	assert_int_equal(got.merchant, 1);
	assert_string_equal(got.name, "京东店");
	RC(TK_ENOTFOUND, st->promo->shop_find(st, "taobao", "10086", &got, &err_));
	OK(st->promo->shop_list(st, 1, shop_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:1:jd/10086:京东店;2:1:pdd/10086:;");
	OK(st->promo->shop_list(st, 1, shop_cb, SEEN(s, 1), &err_));
	assert_int_equal(s.n, 1);
	OK(st->ops->tx_begin(st, &err_));
	RC(TK_ENOTFOUND, st->promo->shop_remove(st, 2, "pdd", "10086", &err_));
	OK(st->promo->shop_remove(st, 1, "pdd", "10086", &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(st->promo->shop_list(st, 1, shop_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:1:jd/10086:京东店;");

	/* campaigns */
	OK(st->ops->tx_begin(st, &err_));
	campaign(st, 1, "jd", 1000, 2000, 1);
	campaign(st, 1, "pdd", 3000, 4000, 2);
	campaign(st, 3, "jd", 1500, 3500, 3);
	struct campaign_rec c;
	OK(st->promo->campaign_get(st, 2, &c, &err_));
	snprintf(c.status, sizeof(c.status), "approved");
	snprintf(c.ext_id, sizeof(c.ext_id), "zs-1");
	OK(st->promo->campaign_update(st, &c, &err_));
	c.id = 42;
	RC(TK_ENOTFOUND, st->promo->campaign_update(st, &c, &err_));
	OK(st->ops->tx_commit(st, &err_));
	RC(TK_ENOTFOUND, st->promo->campaign_get(st, 42, &c, &err_));
	OK(st->promo->campaign_get(st, 2, &c, &err_));
	assert_string_equal(c.ext_id, "zs-1");
	assert_string_equal(c.merchant_name, "好物旗舰店");
	struct campaign_filter cf = {0};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:jd:pending:1500-3500;2:pdd:approved:3000-4000;"
				    "1:jd:pending:1000-2000;");
	OK(st->promo->campaign_list(st, &cf, campaign_named_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:3=好物二店;2:1=好物旗舰店;1:1=好物旗舰店;");
	cf = (struct campaign_filter){.merchant = 1, .union_ = "jd"};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:jd:pending:1000-2000;");
	cf = (struct campaign_filter){.status = "approved"};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "2:pdd:approved:3000-4000;");
	/* windows overlapping [2500, 2600]; then from 3600 on; to 1200 */
	cf = (struct campaign_filter){.from = 2500, .to = 2600};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:jd:pending:1500-3500;");
	cf = (struct campaign_filter){.from = 3600};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "2:pdd:approved:3000-4000;");
	cf = (struct campaign_filter){.to = 1200};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:jd:pending:1000-2000;");
	cf = (struct campaign_filter){.before = 3, .limit = 1};
	OK(st->promo->campaign_list(st, &cf, campaign_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "2:pdd:approved:3000-4000;");

	/* products: an upsert keeps id, status and created_at */
	struct campaign_item_rec it = {.campaign = 1, .product = "P1", .title = "杯",
				       .commission_pm = 205, .service_pm = 50, .created_at = 10,
				       .updated_at = 10};
	bool created;
	OK(st->ops->tx_begin(st, &err_));
	OK(st->promo->item_upsert(st, &it, &created, &err_));
	assert_true(created);
	assert_int_equal(it.id, 1);
	assert_string_equal(it.status, "pending");
	struct campaign_item_rec it2 = {.campaign = 1, .product = "P2", .commission_pm = 1,
					.service_pm = 2, .created_at = 10, .updated_at = 10};
	OK(st->promo->item_upsert(st, &it2, &created, &err_));
	assert_int_equal(it2.id, 2);
	OK(st->promo->item_set_status(st, 1, "approved", 20, &err_));
	RC(TK_ENOTFOUND, st->promo->item_set_status(st, 9, "approved", 20, &err_));
	struct campaign_item_rec again = {.campaign = 1, .product = "P1", .title = "大杯",
					  .commission_pm = 300, .service_pm = 60,
					  .created_at = 30, .updated_at = 30};
	OK(st->promo->item_upsert(st, &again, &created, &err_));
	assert_false(created);
	assert_int_equal(again.id, 1);
	assert_string_equal(again.status, "approved");
	assert_int_equal(again.created_at, 10);
	OK(st->ops->tx_commit(st, &err_));
	struct campaign_item_rec gi;
	OK(st->promo->item_get(st, 1, "P1", &gi, &err_));
	assert_int_equal(gi.updated_at, 30);
	assert_int_equal(gi.created_at, 10);
	RC(TK_ENOTFOUND, st->promo->item_get(st, 2, "P1", &gi, &err_));
	OK(st->promo->item_list(st, 1, item_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:P1:300/60:approved:大杯;2:P2:1/2:pending:;");
	OK(st->promo->item_list(st, 1, item_cb, SEEN(s, 1), &err_));
	assert_int_equal(s.n, 1);
	OK(st->ops->tx_begin(st, &err_));
	OK(st->promo->item_remove(st, 2, &err_));
	RC(TK_ENOTFOUND, st->promo->item_remove(st, 2, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(st->promo->item_list(st, 1, item_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:P1:300/60:approved:大杯;");

	/* many at once: one existing (its status and id kept), two new with
	 * the next ids in the given order (the newest + 1: P2's id again, as
	 * SQLite hands it out) */
	struct campaign_item_rec many[3] = {
		{.product = "P9", .commission_pm = 9, .service_pm = 9},
		{.product = "P1", .title = "杯", .commission_pm = 100, .service_pm = 10},
		{.product = "P5", .coupon_url = "https://u.jd.com/x", .commission_pm = 5, .service_pm = 5},
	};
	many[0].campaign = 1;
	int64_t added = -1;
	OK(st->ops->tx_begin(st, &err_));
	OK(st->promo->item_upsert_many(st, many, 3, 50, &added, &err_));
	OK(st->ops->tx_commit(st, &err_));
	assert_int_equal(added, 2);
	OK(st->promo->item_list(st, 1, item_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:P1:100/10:approved:杯;2:P9:9/9:pending:;3:P5:5/5:pending:;");
	OK(st->promo->item_get(st, 1, "P5", &gi, &err_));
	assert_string_equal(gi.coupon_url, "https://u.jd.com/x");
	assert_int_equal(gi.created_at, 50);
	OK(st->promo->item_get(st, 1, "P1", &gi, &err_));
	assert_int_equal(gi.created_at, 10);
	assert_int_equal(gi.updated_at, 50);

	/* channels are another module's rows: none yet */
	char name[PROMO_NAME_MAX];
	RC(TK_ENOTFOUND, st->promo->channel_name(st, 1, name, &err_));
}

/* The channels' rows, as their module writes them: a statement per
 * backend is the test's to know. */
static void channels(const char *uri, bool pg)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 pg ? "psql -X -q -v ON_ERROR_STOP=1 '%s' -c \"%s\" >/dev/null"
		    : "sqlite3 '%s' \"%s\"",
		 uri,
		 "INSERT INTO promo_channels(id, name, kind, created_at, updated_at) VALUES "
		 "(1, 'talent A', 'talent', 0, 0), (2, 'app B', 'app', 0, 0)");
	assert_int_equal(system(cmd), 0);
}

static void slots(struct store *st)
{
	struct seen_text s;
	struct tk_error err = {0};
	char name[PROMO_NAME_MAX];
	OK(st->promo->channel_name(st, 2, name, &err_));
	assert_string_equal(name, "app B");
	struct slot_fee_rec f;
	OK(promo_slot_book(st, 1, 1, 50000, "首页", 500, &f, &err_));
	assert_int_equal(f.id, 1);
	RC(TK_ECONFLICT, promo_slot_book(st, 1, 1, 10, NULL, 500, &f, &err_));
	RC(TK_ENOTFOUND, promo_slot_book(st, 1, 9, 10, NULL, 500, &f, &err_));
	RC(TK_EINVAL, promo_slot_book(st, 1, 2, 0, NULL, 500, &f, &err_));
	OK(promo_slot_book(st, 3, 2, 20000, NULL, 600, &f, &err_));
	assert_int_equal(f.id, 2); /* the refused bookings took no id */
	OK(promo_slot_book(st, 1, 2, 700, NULL, 650, &f, &err_));
	OK(promo_slot_waive(st, 2, 700, &f, &err_));
	OK(promo_slot_collect(st, 1, 800, &f, &err_));
	assert_int_equal(f.collected_at, 800);
	RC(TK_ECONFLICT, promo_slot_collect(st, 2, 900, &f, &err));
	assert_string_equal(err.key, "promo.slot_waived");
	RC(TK_ECONFLICT, promo_slot_waive(st, 1, 900, &f, &err_));
	RC(TK_ENOTFOUND, st->promo->slot_get(st, 9, &f, &err_));
	OK(st->promo->slot_get(st, 2, &f, &err_));
	assert_string_equal(f.state, "waived");
	assert_int_equal(f.waived_at, 700);
	assert_string_equal(f.channel_name, "app B");
	assert_string_equal(f.campaign_name, "c3");
	assert_int_equal(f.merchant, 3);
	OK(st->ops->transfer_each(st, transfer_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:14:6>7:50000:slot1;2:14:6>7:20000:slot2;"
				    "3:14:6>7:700:slot3;4:15:7>6:20000:slot2;");
	int64_t bal;
	OK(st->ops->balance_get(st, PLATFORM_SLOT, &bal, &err_));
	assert_int_equal(bal, 50700);
	OK(st->ops->balance_get(st, PLATFORM_SLOT_DUE, &bal, &err_));
	assert_int_equal(bal, -50700);

	struct slot_fee_filter sf = {0};
	OK(st->promo->slot_list(st, &sf, slot_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:1/2:700:booked;2:3/2:20000:waived;1:1/1:50000:collected;");
	OK(st->promo->slot_list(st, &sf, slot_named_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:app B/c1/1;2:app B/c3/3;1:talent A/c1/1;");
	sf = (struct slot_fee_filter){.merchant = 3};
	OK(st->promo->slot_list(st, &sf, slot_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "2:3/2:20000:waived;");
	sf = (struct slot_fee_filter){.channel = 2, .state = "booked"};
	OK(st->promo->slot_list(st, &sf, slot_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "3:1/2:700:booked;");
	sf = (struct slot_fee_filter){.campaign = 1, .before = 3, .limit = 5};
	OK(st->promo->slot_list(st, &sf, slot_cb, SEEN(s, 0), &err_));
	assert_string_equal(s.text, "1:1/1:50000:collected;");
	sf = (struct slot_fee_filter){0};
	OK(st->promo->slot_list(st, &sf, slot_cb, SEEN(s, 2), &err_));
	assert_int_equal(s.n, 2);
	/* a direct insert of a duplicate: the store's own conflict */
	struct slot_fee_rec d = {.campaign = 1, .channel = 1, .amount = 5, .booked_at = 1};
	OK(st->ops->tx_begin(st, &err_));
	RC(TK_ECONFLICT, st->promo->slot_insert(st, &d, &err_));
	OK(st->ops->tx_commit(st, &err_)); /* the transaction survived it */
}

static void run(enum test_fresh_kind kind)
{
	char uri[512];
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	contract(st);
	channels(uri, kind != TEST_FRESH_SQLITE);
	slots(st);
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_promo_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE);
}

static void test_promo_pg(void **state)
{
	(void)state;
	if (!test_pg_available())
		skip();
	run(TEST_FRESH_PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_promo_sqlite),
		cmocka_unit_test(test_promo_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

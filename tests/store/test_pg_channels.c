/* test_pg_channels.c — the channel store (channel_store.h), the same on a
 * fresh SQLite store and a fresh PostgreSQL store: channels added, read,
 * changed, listed with every filter, a cursor, a limit and an early stop;
 * union ids (a duplicate refused without spoiling the transaction, an
 * absent one, their order); campaign orders linked by an id; a channel's
 * months and slot fees; the figures matching ranks on a seeded history,
 * every field worked out by hand; the average price, a campaign product
 * and the candidates for a channel. */
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
#include "seen_text.h"
#include "store/channel_store.h"

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

#define NOW 1800000000LL
#define DAY 86400LL

static bool chan_cb(void *ctx, const struct channel_rec *c)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s/%s/%s/%s;", (long long)c->id, c->name, c->kind, c->state,
		      c->categories);
	return ++s->n != s->stop_after;
}

static const char *list(struct store *st, struct channel_filter f, int stop, struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	OK(st->channels->channel_each(st, &f, chan_cb, s, &err_));
	return s->text;
}

static void add(struct store *st, const char *name, const char *kind, const char *cats,
		const char *state, int64_t want)
{
	struct channel_rec c = {.created_at = 10, .updated_at = 10};
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.kind, sizeof(c.kind), "%s", kind);
	snprintf(c.categories, sizeof(c.categories), "%s", cats);
	snprintf(c.state, sizeof(c.state), "%s", state);
	OK(st->channels->channel_insert(st, &c, &err_));
	assert_int_equal(c.id, want);
}

static bool id_cb(void *ctx, const struct channel_id_rec *r)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s/%s/%s;", (long long)r->channel, r->union_, r->kind, r->value);
	return true;
}

static bool month_cb(void *ctx, const struct channel_month *m)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%lld/%lld/%lld/%lld/%lld;", (long long)m->month, (long long)m->orders,
		      (long long)m->paid, (long long)m->gmv, (long long)m->fee,
		      (long long)m->refunded);
	return true;
}

static bool slot_cb(void *ctx, const struct channel_slot_fee *f)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%lld/%s/%lld/%s;", (long long)f->id, (long long)f->campaign,
		      f->campaign_name, (long long)f->amount, f->state);
	return true;
}

static bool fig_cb(void *ctx, const struct cm_figures *f)
{
	struct seen_text *s = ctx;
	seen_text_add(s,
		      "%lld %s:%lld/%lld/%lld c%lld/%lld b%lld/%lld r%lld u%lld/%lld t%lld/%lld "
		      "d%lld h%lld s%lld/%lld %d%d;",
		      (long long)f->id, f->state, (long long)f->orders, (long long)f->paid,
		      (long long)f->gmv, (long long)f->cat_orders, (long long)f->cat_gmv,
		      (long long)f->band_orders, (long long)f->band_gmv, (long long)f->refunded,
		      (long long)f->buyer_orders, (long long)f->top3, (long long)f->timed,
		      (long long)f->fast, (long long)f->refund_day_max, (long long)f->hour_max,
		      (long long)f->slot_fen, (long long)f->slot_gmv, f->declared, f->has_union_id);
	return ++s->n != s->stop_after;
}

static bool cand_cb(void *ctx, const struct cm_candidate *c)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s/%s/%lld/%lld/%d/%lld/%lld;", (long long)c->p.id, c->p.title,
		      c->p.category, (long long)c->p.price, (long long)c->p.service_pm, c->declared,
		      (long long)c->cat_orders, (long long)c->cat_gmv);
	return true;
}

/* items: id, status, paid_at, modified_at, amount, quantity; then their
 * campaign orders: channel (0: none), ref, category, buyer, clicked,
 * ordered, month, fee */
static void seed(struct store *st)
{
	static const struct {
		int id, status;
		long long paid, modified, amount, quantity;
		int channel, campaign;
		const char *ref, *cat, *buyer;
		long long clicked, ordered;
		int month;
		long long fee;
	} rows[] = {
		/* PetTeam: two paid pet orders in one hour (the second 2 units
		 * of 60 yuan), one never paid, one pet-toy order refunded */
		{1, 1, NOW - 2 * DAY, NOW - 2 * DAY, 5000, 1, 1, 1, "R0", "pet", "a",
		 NOW - 2 * DAY - 600, NOW - 2 * DAY - 60, 202611, 100},
		{2, 3, NOW - 2 * DAY + 60, NOW - 2 * DAY, 12000, 2, 1, 1, "R0", "pet", "a",
		 NOW - 2 * DAY - 500, NOW - 2 * DAY - 30, 202611, 0},
		{3, 0, 0, NOW - 100, 5000, 1, 1, 1, "R0", "pet", "", 0, 0, 202611, 0},
		{4, 4, NOW - DAY, NOW - 3600, 5000, 1, 1, 1, "R0", "toys", "b", NOW - DAY - 700,
		 NOW - DAY - 60, 202610, 0},
		/* hot anchor: one order 3 s after the click; one out of the window */
		{5, 1, NOW - DAY, NOW - DAY, 5000, 1, 2, 1, "R0", "pet", "c", NOW - DAY - 63,
		 NOW - DAY - 60, 202611, 0},
		{6, 1, NOW - 400 * DAY, NOW - 400 * DAY, 5000, 1, 2, 1, "R0", "pet", "c",
		 NOW - 400 * DAY - 100, NOW - 400 * DAY - 60, 202510, 0},
		/* not linked yet: stored under jd rid R1 */
		{7, 1, NOW - DAY, NOW - DAY, 5000, 1, 0, 1, "R1", "pet", "", 0, 0, 202611, 0},
		/* the blocked channel's */
		{8, 1, NOW - DAY, NOW - DAY, 5000, 1, 3, 1, "R0", "pet", "d", 0, 0, 202611, 0},
	};
	char sql[2048];
	struct tk_error err = {0};
	OK(test_sql(st,
		    "INSERT INTO merchants(id, name, created_at, updated_at) VALUES (1, 'M', 0, 0);"
		    "INSERT INTO campaigns(id, merchant, union_, name, status, promote_from,"
		    " promote_to, created_at, updated_at) VALUES"
		    " (1, 1, 'jd', 'Nov', 'approved', 1799000000, 1801000000, 0, 0),"
		    " (2, 1, 'jd', 'Dec', 'pending', 1799000000, 1801000000, 0, 0),"
		    " (3, 1, 'jd', 'Old', 'approved', 1700000000, 1799999999, 0, 0);"
		    "INSERT INTO campaign_items(id, campaign, product, title, category, price,"
		    " commission_pm, service_pm, status, created_at, updated_at) VALUES"
		    " (1, 1, 'p1', 'Cat food', 'pet', 5000, 200, 60, 'approved', 0, 0),"
		    " (2, 1, 'p2', 'Ball', 'toys', 2000, 200, 50, 'approved', 0, 0),"
		    " (3, 2, 'p3', 'Dog food', 'pet', 5000, 200, 60, 'approved', 0, 0),"
		    " (4, 3, 'p4', 'Old food', 'pet', 5000, 200, 60, 'approved', 0, 0),"
		    " (5, 1, 'p5', 'Bowl', 'pet', 900, 200, 60, 'pending', 0, 0);",
		    &err_));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char ch[16];
		snprintf(ch, sizeof(ch), rows[i].channel ? "%d" : "NULL", rows[i].channel);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO items(id, union_, item_key, status, modified_at, paid_at,"
			 " amount, commission, quantity, attribution, plan_version, self_purchase,"
			 " n_chain, platform, first_seen_at) VALUES (%d, 'jd', 'k%d', %d, %lld, %lld,"
			 " %lld, 100, %lld, 0, 0, 0, 0, 0, %lld);"
			 "INSERT INTO campaign_orders(item, union_, head, campaign, campaign_item,"
			 " channel, channel_kind, channel_ref, category, buyer, clicked_at, ordered_at,"
			 " month, fee_amount, updated_at) VALUES (%d, 'jd', 1, %d, 1, %s, 'rid', '%s',"
			 " '%s', '%s', %lld, %lld, %d, %lld, 0);",
			 rows[i].id, rows[i].id, rows[i].status, rows[i].modified, rows[i].paid,
			 rows[i].amount, rows[i].quantity, rows[i].modified - 10, rows[i].id,
			 rows[i].campaign, ch, rows[i].ref, rows[i].cat, rows[i].buyer,
			 rows[i].clicked, rows[i].ordered, rows[i].month, rows[i].fee);
		if (test_sql(st, sql, &err))
			fail_msg("seeding row %zu: %s", i, err.msg);
	}
	OK(test_sql(st,
		    "INSERT INTO slot_fees(id, campaign, channel, amount, state, booked_at) VALUES"
		    " (1, 1, 2, 100000, 'booked', 5), (2, 1, 1, 500, 'waived', 6);",
		    &err_));
}

static void contract(struct store *st)
{
	struct seen_text s;
	struct tk_error err = {0};
	struct channel_rec c;
	/* ---- channels */
	assert_string_equal(list(st, (struct channel_filter){0}, 0, &s), "");
	OK(st->ops->tx_begin(st, &err_));
	add(st, "PetTeam", "team", "pet,猫粮", "active", 1);
	add(st, "hot anchor", "talent", "pet", "active", 2);
	add(st, "Blocked", "other", "pet", "blocked", 3);
	add(st, "Quiet", "zhihu", "petfood", "paused", 4);
	OK(st->ops->tx_commit(st, &err_));
	assert_int_equal(st->channels->channel_get(st, 9, &c, &err), TK_ENOTFOUND);
	OK(st->channels->channel_get(st, 1, &c, &err_));
	assert_string_equal(c.categories, "pet,猫粮");
	assert_int_equal(c.created_at, 10);
	snprintf(c.contact, sizeof(c.contact), "wx: pets");
	c.updated_at = 20;
	OK(st->ops->tx_begin(st, &err_));
	OK(st->channels->channel_update(st, &c, &err_));
	c.id = 9;
	assert_int_equal(st->channels->channel_update(st, &c, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err_));
	OK(st->channels->channel_get(st, 1, &c, &err_));
	assert_string_equal(c.contact, "wx: pets");
	assert_int_equal(c.updated_at, 20);
	assert_int_equal(c.created_at, 10);

	assert_string_equal(list(st, (struct channel_filter){0}, 0, &s),
			    "4:Quiet/zhihu/paused/petfood;3:Blocked/other/blocked/pet;"
			    "2:hot anchor/talent/active/pet;1:PetTeam/team/active/pet,猫粮;");
	/* a category is a whole entry: "pet" is not "petfood" */
	assert_string_equal(list(st, (struct channel_filter){.category = "pet"}, 0, &s),
			    "3:Blocked/other/blocked/pet;2:hot anchor/talent/active/pet;"
			    "1:PetTeam/team/active/pet,猫粮;");
	assert_string_equal(list(st, (struct channel_filter){.category = "猫粮"}, 0, &s),
			    "1:PetTeam/team/active/pet,猫粮;");
	assert_string_equal(list(st, (struct channel_filter){.category = "pe"}, 0, &s), "");
	/* a name part, in bytes: "hot" is not "Hot" */
	assert_string_equal(list(st, (struct channel_filter){.name = "hot"}, 0, &s),
			    "2:hot anchor/talent/active/pet;");
	assert_string_equal(list(st, (struct channel_filter){.name = "Hot"}, 0, &s), "");
	assert_string_equal(list(st, (struct channel_filter){.kind = "team"}, 0, &s),
			    "1:PetTeam/team/active/pet,猫粮;");
	assert_string_equal(list(st, (struct channel_filter){.state = "paused"}, 0, &s),
			    "4:Quiet/zhihu/paused/petfood;");
	assert_string_equal(list(st, (struct channel_filter){.before = 3, .limit = 1}, 0, &s),
			    "2:hot anchor/talent/active/pet;");
	list(st, (struct channel_filter){0}, 2, &s);
	assert_int_equal(s.n, 2);

	/* ---- union ids */
	int64_t owner = 0, linked = -1;
	assert_int_equal(st->channels->channel_id_owner(st, "jd", "rid", "R1", &owner, &err),
			 TK_ENOTFOUND);
	OK(st->ops->tx_begin(st, &err_));
	struct channel_id_rec r1 = {1, "taobao", "pub_id", "9"}, r2 = {1, "jd", "rid", "b"},
			      r3 = {1, "jd", "channelId", "a"}, dup = {2, "jd", "rid", "b"};
	OK(st->channels->channel_id_insert(st, &r1, &err_));
	OK(st->channels->channel_id_insert(st, &r2, &err_));
	/* a duplicate is an answer: the transaction goes on */
	assert_int_equal(st->channels->channel_id_insert(st, &dup, &err), TK_ECONFLICT);
	OK(st->channels->channel_id_insert(st, &r3, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(st->channels->channel_id_owner(st, "jd", "rid", "b", &owner, &err_));
	assert_int_equal(owner, 1);
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_ids(st, 1, id_cb, &s, &err_));
	assert_string_equal(s.text, "1:jd/channelId/a;1:jd/rid/b;1:taobao/pub_id/9;");
	OK(st->ops->tx_begin(st, &err_));
	OK(st->channels->channel_id_delete(st, &r1, &err_));
	assert_int_equal(st->channels->channel_id_delete(st, &r1, &err), TK_ENOTFOUND);
	assert_int_equal(st->channels->channel_id_delete(st, &dup, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err_));
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_ids(st, 1, id_cb, &s, &err_));
	assert_string_equal(s.text, "1:jd/channelId/a;1:jd/rid/b;");

	/* ---- history and figures on the seeded orders */
	seed(st);
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_months(st, 1, 0, month_cb, &s, &err_));
	assert_string_equal(s.text, "202611:3/2/17000/100/0;202610:1/1/5000/0/1;");
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_months(st, 2, 1, month_cb, &s, &err_));
	assert_string_equal(s.text, "202611:1/1/5000/0/0;");
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_slot_fees(st, 1, 0, slot_cb, &s, &err_));
	assert_string_equal(s.text, "2:1/Nov/500/waived;");

	/* PetTeam: 4 placed, 3 paid (22,000 fen), 2 paid pet orders (17,000),
	 * all 3 paid in the 25..100 yuan band (60 yuan a unit too), 1
	 * refunded, 3 orders with a buyer (a twice), 3 timed, none fast, 1
	 * refund on its day, 2 orders in the busiest hour, its slot fee waived.
	 * hot anchor: the order of 400 days ago is out of the window but in
	 * the slot fee's sales (10,000 fen for 100,000 of fees); 3 s: fast.
	 * Blocked is left out; Quiet has nothing. */
	struct channel_figures_query q = {.category = "pet", .price = 5000, .union_ = "jd",
					  .since = NOW - 180 * DAY, .fast_seconds = 15, .limit = 0};
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_figures(st, &q, fig_cb, &s, &err_));
	assert_string_equal(s.text,
			    "1 active:4/3/22000 c2/17000 b3/22000 r1 u3/3 t3/0 d1 h2 s0/0 11;"
			    "2 active:1/1/5000 c1/5000 b1/5000 r0 u1/1 t1/1 d0 h1 s100000/10000 10;"
			    "4 paused:0/0/0 c0/0 b0/0 r0 u0/0 t0/0 d0 h0 s0/0 00;");
	/* no price: no band; another union: no id; a limit and an early stop */
	q.price = 0;
	q.union_ = "pdd";
	q.limit = 1;
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_figures(st, &q, fig_cb, &s, &err_));
	assert_string_equal(s.text,
			    "1 active:4/3/22000 c2/17000 b0/0 r1 u3/3 t3/0 d1 h2 s0/0 10;");
	/* the band's edges, in whole units: at 110 yuan (55..220) only the
	 * 60-yuan units are in; at 25 yuan (12.50..50) the 50-yuan ones are,
	 * the 60-yuan ones not */
	q.union_ = "jd";
	q.price = 11000;
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_figures(st, &q, fig_cb, &s, &err_));
	assert_non_null(strstr(s.text, " b1/12000 "));
	q.price = 2500;
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_figures(st, &q, fig_cb, &s, &err_));
	assert_non_null(strstr(s.text, " b2/10000 "));
	q.limit = 0;
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	OK(st->channels->channel_figures(st, &q, fig_cb, &s, &err_));
	assert_int_equal(s.n, 2);

	int64_t avg = -1;
	OK(st->channels->channel_avg_price(st, 1, NOW - 180 * DAY, &avg, &err_));
	assert_int_equal(avg, 5500); /* 22,000 fen for 4 units */
	OK(st->channels->channel_avg_price(st, 4, 0, &avg, &err_));
	assert_int_equal(avg, 0);

	struct cm_product p;
	OK(st->channels->campaign_product(st, 1, &p, &err_));
	assert_string_equal(p.category, "pet");
	assert_string_equal(p.union_, "jd");
	assert_string_equal(p.title, "Cat food");
	assert_int_equal(p.price, 5000);
	assert_int_equal(p.service_pm, 60);
	assert_int_equal(p.campaign, 1);
	assert_int_equal(st->channels->campaign_product(st, 99, &p, &err), TK_ENOTFOUND);

	/* the open, approved campaign's approved products only */
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_candidates(st, 1, NOW, NOW - 180 * DAY, 0, cand_cb, &s, &err_));
	assert_string_equal(s.text, "1:Cat food/pet/5000/60/1/2/17000;2:Ball/toys/2000/50/0/1/5000;");
	memset(&s, 0, sizeof(s));
	OK(st->channels->channel_candidates(st, 4, NOW, NOW - 180 * DAY, 1, cand_cb, &s, &err_));
	assert_string_equal(s.text, "1:Cat food/pet/5000/60/0/0/0;");

	/* ---- linking: the orders under R1 with no channel */
	OK(st->ops->tx_begin(st, &err_));
	struct channel_id_rec r4 = {4, "jd", "rid", "R1"};
	OK(st->channels->channel_id_insert(st, &r4, &err_));
	OK(st->channels->channel_link_orders(st, &r4, &linked, &err_));
	assert_int_equal(linked, 1);
	OK(st->channels->channel_link_orders(st, &r4, &linked, &err_));
	assert_int_equal(linked, 0);
	OK(st->ops->tx_commit(st, &err_));
	assert_int_equal(test_sql_int(st, "SELECT channel FROM campaign_orders WHERE item = 7"), 4);
	/* a linked order is never taken over by another id's linking */
	OK(st->ops->tx_begin(st, &err_));
	struct channel_id_rec r5 = {2, "jd", "rid", "R0"};
	OK(st->channels->channel_link_orders(st, &r5, &linked, &err_));
	assert_int_equal(linked, 0);
	st->ops->tx_rollback(st);
}

static void run(enum test_fresh_kind kind)
{
	char uri[512];
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	contract(st);
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_channels_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE);
}

static void test_channels_pg(void **state)
{
	(void)state;
	run(TEST_FRESH_PG_ICU);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channels_sqlite),
		cmocka_unit_test(test_channels_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

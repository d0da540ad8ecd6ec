/* test_pg_group_report.c — the figures per group, the same on a fresh
 * SQLite store and a fresh PostgreSQL store: per group and Beijing day
 * (sends, failures, clicks without bots, distinct orders by paid day with
 * invalid items left out, GMV, commission net of refunds, the owner's
 * share), filtered by group, owner and range, with early stop; per send
 * (its link's clicks and the group's orders of its product within 48
 * hours); and the report built on them (totals, the dormant flag and its
 * suggestions, sums per owner). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/tktime.h"
#include "core_standin.h"
#include "fresh_db.h"
#include "seen_text.h"
#include "groups/group_report.h"
#include "store/group_store.h"

static int64_t D; /* 2026-11-10, the first day */
static int64_t T0; /* its Beijing midnight */

static void figures_text(struct seen_text *s, const struct group_figures *f)
{
	seen_text_add(s, "%lld/%lld/%lld/%lld/%lld/%lld/%lld/%lld", (long long)f->sends,
		 (long long)f->failures, (long long)f->clicks, (long long)f->unique_clicks,
		 (long long)f->orders, (long long)f->gmv, (long long)f->commission,
		 (long long)f->owner_share);
}

static bool day_cb(void *ctx, int64_t grp, int64_t day, const struct group_figures *f)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "g%lld@%lld:", (long long)grp, (long long)(day - D));
	figures_text(s, f);
	seen_text_add(s, ";");
	return ++s->n != s->stop_after;
}

static bool send_cb(void *ctx, const struct group_send_rec *r)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "j%lld:g%lld@%lld:%s/%s:%s:", (long long)r->job, (long long)r->grp,
		 (long long)(r->sent_at - T0), r->union_, r->product, r->link);
	figures_text(s, &r->f);
	seen_text_add(s, ";");
	return ++s->n != s->stop_after;
}

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

static void sql(struct store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql(struct store *st, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	OK(test_sql(st, buf, &err_));
}

static void add_group(struct store *st, int64_t owner, const char *name)
{
	struct group_rec *g = calloc(1, sizeof(*g));
	g->owner = owner;
	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->kind, sizeof(g->kind), "wecom");
	snprintf(g->settings, sizeof(g->settings), "{}");
	g->created_at = g->updated_at = 1;
	OK(st->groups->group_insert(st, g, &err_));
	free(g);
}

/* A job of group grp in `state` at time t (sent_at for a sent one,
 * claimed_at for a failed one). */
static void job(struct store *st, int64_t grp, const char *state, int64_t t, const char *product,
		const char *link)
{
	bool sent = strcmp(state, "sent") == 0;
	sql(st,
	    "INSERT INTO send_jobs(grp, slot, due_at, union_, product, state, next_at, created_at,"
	    " claimed_at, sent_at, link) VALUES (%lld, %lld, %lld, 'jd', '%s', '%s', %lld, 1, %lld,"
	    " %lld, '%s')",
	    (long long)grp, (long long)t, (long long)t, product, state, (long long)t,
	    (long long)t, sent ? (long long)t : 0LL, link);
}

static void click(struct store *st, int64_t link, int64_t at, int bot, int uniq)
{
	sql(st,
	    "INSERT INTO clicks(at, link, ip_hash, ua_hash, referrer, bot, uniq)"
	    " VALUES (%lld, %lld, '', '', '', %d, %d)",
	    (long long)at, (long long)link, bot, uniq);
}

/* An item: channel, product, order, status, paid time, amount,
 * commission, refunded, and tiers (m1 a1, m2 a2). */
static void item(struct store *st, const char *key, const char *channel, const char *product,
		 const char *order, int status, int64_t paid, int64_t amount, int64_t commission,
		 int64_t refunded, int64_t m1, int64_t a1, int64_t m2, int64_t a2)
{
	char m2s[24];
	snprintf(m2s, sizeof(m2s), "%lld", (long long)m2);
	sql(st,
	    "INSERT INTO items(union_, item_key, order_no, status, modified_at, paid_at, amount,"
	    " commission, quantity, refunded, product, channel, attribution, plan_version,"
	    " self_purchase, n_chain, m1, l1, a1, m2, l2, a2, platform, first_seen_at)"
	    " VALUES ('jd', '%s', '%s', %d, 1, %lld, %lld, %lld, 1, %lld, '%s', '%s', 1, 1, 0, %d,"
	    " %lld, 0, %lld, %s, %s, %lld, 0, 1)",
	    key, order, status, (long long)paid, (long long)amount, (long long)commission,
	    (long long)refunded, product, channel, m2 ? 2 : 1, (long long)m1, (long long)a1,
	    m2 ? m2s : "NULL", m2 ? "0" : "NULL", (long long)a2);
}

static const int64_t DAY_S = 86400;

static void fill(struct store *st)
{
	sql(st, "INSERT INTO members(ext, level, depth, created_at) VALUES ('ann', 'member', 0, 1);"
		"INSERT INTO members(ext, level, depth, created_at) VALUES ('bob', 'member', 0, 2);");
	add_group(st, 1, "g-one");   /* 1: ann */
	add_group(st, 1, "g-two");   /* 2: ann */
	add_group(st, 2, "g-three"); /* 3: bob */
	job(st, 2, "sent", T0 + 50, "p1", "");
	job(st, 1, "sent", T0 + 3600, "p1", "L1");
	job(st, 1, "failed", T0 + 7200, "p5", "");
	job(st, 1, "sent", T0 + DAY_S + 100, "p2", "L2");
	job(st, 1, "pending", T0 + DAY_S + 200, "p6", "");
	job(st, 2, "sent", T0 + 2 * DAY_S + 10, "p7", "");
	job(st, 3, "sent", T0 + 2 * DAY_S + 20, "p7", "");
	job(st, 1, "sent", T0 + 3 * DAY_S + 10, "p3", "");
	job(st, 2, "sent", T0 + 3 * DAY_S + 30, "p8", "");
	job(st, 3, "sent", T0 + 3 * DAY_S + 40, "p8", "");
	job(st, 3, "sent", T0 + 5 * DAY_S, "p9", ""); /* after the range */
	sql(st, "INSERT INTO links(code, member, union_, product, channel, target, created_at) VALUES"
		" ('L1', 1, 'jd', 'p1', 'g1', 'https://x/1', 1),"
		" ('L2', 1, 'jd', 'p2', 'g1', 'https://x/2', 1),"
		" ('L3', 1, 'jd', 'p1', '', 'https://x/3', 1),"
		" ('L4', 2, 'jd', 'p1', 'g3', 'https://x/4', 1)");
	click(st, 1, T0 + 3700, 0, 1);
	click(st, 1, T0 + 3800, 0, 0);
	click(st, 1, T0 + 3900, 1, 1); /* a bot */
	click(st, 1, T0 + 3 * DAY_S + 5, 0, 1); /* after the 48 hours of its send */
	click(st, 3, T0 + 4000, 0, 1);          /* the member's own link */
	click(st, 4, T0 + 4100, 0, 1);
	click(st, 1, T0 - 10, 0, 1);            /* the day before */
	item(st, "i1", "g1", "p1", "O1", 1, T0 + 5000, 1000, 100, 0, 1, 50, 2, 20);
	item(st, "i2", "g1", "p1", "O1", 3, T0 + 5000, 500, 40, 50, 1, 10, 0, 0);
	item(st, "i3", "g1", "p1", "O9", 4, T0 + 5000, 900, 90, 0, 1, 45, 0, 0);  /* invalid */
	item(st, "i4", "g1", "p9", "O2", 2, T0 + DAY_S + 200, 2000, 200, 0, 2, 80, 0, 0);
	item(st, "i5", "", "p1", "O5", 1, T0 + 5000, 100, 10, 0, 1, 5, 0, 0);      /* no group */
	item(st, "i6", "g3", "p1", "O3", 1, T0 + 100, 300, 30, 0, 2, 15, 0, 0);
	item(st, "i7", "g1", "p1", "O4", 1, T0 + 3600 + 48 * 3600, 700, 70, 0, 1, 35, 0, 0);
	item(st, "i8", "g1", "p1", "", 1, T0 + 6000, 10, 1, 0, 1, 1, 0, 0);        /* no order no */
	item(st, "i9", "g1", "p1", "", 0, 0, 10, 1, 0, 1, 1, 0, 0);                 /* unpaid */
}

static void report_contract(struct store *st)
{
	const struct group_store_ops *o = st->groups;
	struct group_report_filter f = {.from = T0, .to = T0 + 4 * DAY_S - 1};
	struct seen_text s;
	struct tk_error err = {0};

	/* empty store: nothing */
	memset(&s, 0, sizeof(s));
	OK(o->report_days(st, &f, day_cb, &s, &err_));
	assert_string_equal(s.text, "");

	fill(st);
	memset(&s, 0, sizeof(s));
	OK(o->report_days(st, &f, day_cb, &s, &err_));
	assert_string_equal(s.text,
			    "g1@0:1/1/2/1/2/1510/101/61;"  /* O1 (i1+i2), i8; the bot left out */
			    "g1@1:1/0/0/0/1/2000/200/0;"   /* bob shared i4: not the owner's */
			    "g1@2:0/0/0/0/1/700/70/35;"
			    "g1@3:1/0/1/1/0/0/0/0;"
			    "g2@0:1/0/0/0/0/0/0/0;"
			    "g2@2:1/0/0/0/0/0/0/0;"
			    "g2@3:1/0/0/0/0/0/0/0;"
			    "g3@0:0/0/1/1/1/300/30/15;"
			    "g3@2:1/0/0/0/0/0/0/0;"
			    "g3@3:1/0/0/0/0/0/0/0;");

	/* one group; one owner; a narrower range; early stop */
	memset(&s, 0, sizeof(s));
	f.grp = 3;
	OK(o->report_days(st, &f, day_cb, &s, &err_));
	assert_string_equal(s.text, "g3@0:0/0/1/1/1/300/30/15;g3@2:1/0/0/0/0/0/0/0;"
				    "g3@3:1/0/0/0/0/0/0/0;");
	memset(&s, 0, sizeof(s));
	f.grp = 0;
	f.owner = 1;
	f.from = T0 + DAY_S;
	OK(o->report_days(st, &f, day_cb, &s, &err_));
	assert_string_equal(s.text, "g1@1:1/0/0/0/1/2000/200/0;g1@2:0/0/0/0/1/700/70/35;"
				    "g1@3:1/0/1/1/0/0/0/0;g2@2:1/0/0/0/0/0/0/0;"
				    "g2@3:1/0/0/0/0/0/0/0;");
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	OK(o->report_days(st, &f, day_cb, &s, &err_));
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof(s));
	f.grp = 99;
	f.owner = 0;
	OK(o->report_days(st, &f, day_cb, &s, &err_));
	assert_string_equal(s.text, "");

	/* per send: its link's clicks and its product's orders in 48 hours */
	f = (struct group_report_filter){.from = T0, .to = T0 + 4 * DAY_S - 1};
	memset(&s, 0, sizeof(s));
	OK(o->report_sends(st, &f, send_cb, &s, &err_));
	assert_string_equal(s.text,
			    "j1:g2@50:jd/p1::1/0/0/0/0/0/0/0;"
			    "j2:g1@3600:jd/p1:L1:1/0/2/1/2/1510/101/61;"
			    "j4:g1@86500:jd/p2:L2:1/0/0/0/0/0/0/0;"
			    "j6:g2@172810:jd/p7::1/0/0/0/0/0/0/0;"
			    "j7:g3@172820:jd/p7::1/0/0/0/0/0/0/0;"
			    "j8:g1@259210:jd/p3::1/0/0/0/0/0/0/0;"
			    "j9:g2@259230:jd/p8::1/0/0/0/0/0/0/0;"
			    "j10:g3@259240:jd/p8::1/0/0/0/0/0/0/0;");
	memset(&s, 0, sizeof(s));
	f.owner = 2;
	OK(o->report_sends(st, &f, send_cb, &s, &err_));
	assert_string_equal(s.text, "j7:g3@172820:jd/p7::1/0/0/0/0/0/0/0;"
				    "j10:g3@259240:jd/p8::1/0/0/0/0/0/0/0;");
	memset(&s, 0, sizeof(s));
	f.owner = 0;
	f.grp = 1;
	s.stop_after = 1;
	OK(o->report_sends(st, &f, send_cb, &s, &err_));
	assert_string_equal(s.text, "j2:g1@3600:jd/p1:L1:1/0/2/1/2/1510/101/61;");

	/* the report: totals, the last N days, dormant groups, owners */
	struct group_report r;
	struct group_report_req q = {.from = D, .to = D + 3, .dormant_days = 2};
	OK(group_report_run(st, &q, &r, &err_));
	assert_int_equal(r.n_groups, 3);
	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < r.n_groups; i++) {
		const struct group_result *g = &r.groups[i];
		seen_text_add(&s, "%s %s:", g->channel, g->owner_ext);
		figures_text(&s, &g->total);
		seen_text_add(&s, " last ");
		figures_text(&s, &g->recent);
		seen_text_add(&s, " %s[%s];", g->dormant ? "dormant" : "-", g->suggestion);
	}
	assert_string_equal(s.text,
			    "g1 ann:3/1/3/2/4/4210/371/96 last 1/0/1/1/1/700/70/35 -[];"
			    "g2 ann:3/0/0/0/0/0/0/0 last 2/0/0/0/0/0/0/0 dormant[archive];"
			    "g3 bob:2/0/1/1/1/300/30/15 last 2/0/0/0/0/0/0/0 dormant[send less];");
	assert_int_equal(r.total.orders, 5);
	assert_int_equal(r.n_days, 10);
	assert_int_equal(r.n_members, 2);
	assert_string_equal(r.members[0].owner_ext, "ann");
	assert_int_equal(r.members[0].groups, 2);
	assert_int_equal(r.members[0].dormant_groups, 1);
	assert_int_equal(r.members[0].total.gmv, 4210);
	assert_int_equal(r.members[1].total.owner_share, 15);
	struct group_figures series[4];
	group_report_series(&r, 1, series);
	assert_int_equal(series[0].clicks, 2);
	assert_int_equal(series[1].orders, 1);
	assert_int_equal(series[3].sends, 1);
	group_report_free(&r);

	/* one day back: clicks but no order is "change categories" */
	q.dormant_days = 1;
	OK(group_report_run(st, &q, &r, &err_));
	assert_string_equal(r.groups[0].suggestion, GROUP_SUGGEST_CATEGORIES);
	assert_false(r.groups[0].dormant);
	group_report_free(&r);

	/* a member's own; an unknown group; another's group; a range too long */
	q = (struct group_report_req){.from = D, .to = D + 3, .owner = 2, .dormant_days = 2};
	OK(group_report_run(st, &q, &r, &err_));
	assert_int_equal(r.n_groups, 1);
	assert_string_equal(r.groups[0].channel, "g3");
	group_report_free(&r);
	q.grp = 1;
	assert_int_equal(group_report_run(st, &q, &r, &err), TK_ENOTFOUND);
	q.owner = 0;
	q.grp = 42;
	assert_int_equal(group_report_run(st, &q, &r, &err), TK_ENOTFOUND);
	q.grp = 0;
	q.from = D - 366;
	assert_int_equal(group_report_run(st, &q, &r, &err), TK_ELIMIT);
	assert_non_null(strstr(err.msg, "at most 366 days"));
}

static void run(enum test_fresh_kind kind)
{
	char uri[512];
	D = tktime_days_from_civil(2026, 11, 10);
	T0 = D * DAY_S - TKTIME_BEIJING_OFFSET;
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	report_contract(st);
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_report_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE);
}

static void test_report_pg(void **state)
{
	(void)state;
	run(TEST_FRESH_PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_sqlite),
		cmocka_unit_test(test_report_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

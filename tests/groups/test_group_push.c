/* test_group_push.c — the pusher's decisions (src/groups/group_push.c) on a
 * fresh store (SQLite, and PostgreSQL as the _pg twin) with the scripted
 * transport (tests/support/push_http_fake.h): each platform answer → the
 * job's state, the robot's pause, the group's fatal pause, the buckets
 * seeded after a restart, and the jobs that are never sent (product gone,
 * manual group, paused or archived group). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_product.h"
#include "engine/engine.h"
#include "fresh_db.h"
#include "groups/group_push.h"
#include "groups/groups.h"
#include "push_http_fake.h"
#include "store/catalog_store.h"
#include "store/group_store.h"
#include "tracking/tracking.h"

#define T0 INT64_C(1793500000) /* 2026-11-01 */
#define MS(s) ((int64_t)(s) * 1000)

static char path[256];
static struct engine *e;
static struct store *st;
static struct push_http_fake fake;
static struct group_pusher *pusher;
static struct send_job_rec jr;
static struct group_rec gr;

#define OK(call)                                                          \
	do {                                                              \
		struct tk_error err_ = {0};                               \
		if ((call) != TK_OK)                                      \
			fail_msg("%s: %s %s", #call, err_.field, err_.msg); \
	} while (0)

static void add_product(const char *id, const char *shop, int64_t gone_at)
{
	struct catalog_product p = {.price = 9900, .commission_bps = 2000, .sales = 100};
	snprintf(p.union_, sizeof(p.union_), "jd");
	snprintf(p.product, sizeof(p.product), "%s", id);
	snprintf(p.title, sizeof(p.title), "product %s", id);
	snprintf(p.shop, sizeof(p.shop), "%s", shop);
	snprintf(p.category, sizeof(p.category), "home");
	snprintf(p.url, sizeof(p.url), "https://item.jd.com/%s.html", id);
	OK(st->ops->tx_begin(st, &err_));
	OK(st->catalog->product_insert(st, &p, &err_));
	if (gone_at) {
		p.feed = true;
		p.gone_at = gone_at;
		OK(st->catalog->product_update(st, &p, &err_));
	}
	OK(st->ops->tx_commit(st, &err_));
}

static int setup(void **state)
{
	(void)state;
	struct tk_error err = {0};
	int64_t version;
	struct member_rec m;
	char replaced[ORDER_KEY_MAX];
	const char *plan = "{\"name\":\"p\",\"mode\":\"differential\",\"max_tiers\":1,"
			   "\"platform_min_bps\":0,\"peer_bonus_bps\":0,\"tiers_bps\":[0,0],"
			   "\"hold_days\":0,\"levels\":[{\"key\":\"l0\",\"rate_bps\":5000,"
			   "\"can_share\":true}]}";
	assert_true(test_db_fresh(path, sizeof(path)));
	assert_int_equal(store_open(path, NULL, &st, &err), TK_OK);
	assert_int_equal(engine_open(st, &e, &err), TK_OK);
	assert_int_equal(engine_plan_set(e, plan, strlen(plan), &version, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "ann", NULL, "l0", NULL, &m, &err), TK_OK);
	assert_int_equal(tracking_tag_set(st, "jd", "subUnionId", "a1", m.id, NULL, T0 - 100,
					  replaced, &err),
			 TK_OK);
	add_product("p1", "s1", 0);
	add_product("p2", "s2", 0);
	add_product("gone", "s3", T0 - 10);
	memset(&fake, 0, sizeof(fake));
	pusher = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	group_pusher_close(pusher);
	push_http_fake_clear(&fake);
	engine_close(e);
	test_db_remove(path);
	return 0;
}

/* A group of kind with its credential (NULL: none); its id. */
static int64_t add_group(const char *kind, const char *cred, const char *chat)
{
	struct group_add_req r = {.owner = "ann", .kind = kind, .name = kind};
	OK(groups_add(st, &r, T0 - 100, &gr, &err_));
	int64_t id = gr.id;
	if (cred) {
		struct group_creds_req c = {.credential = cred, .chat_id = chat};
		OK(groups_credentials_set(st, id, 0, &c, T0 - 100, &gr, &err_));
	}
	return id;
}

/* A pending job of group grp at slot (due then) for product; its id. */
static int64_t add_job(int64_t grp, int64_t slot, const char *product)
{
	struct send_job_rec j = {.grp = grp, .slot = slot, .due_at = slot, .next_at = slot,
				 .created_at = T0 - 100};
	bool created;
	snprintf(j.union_, sizeof(j.union_), "jd");
	snprintf(j.product, sizeof(j.product), "%s", product);
	snprintf(j.origin, sizeof(j.origin), "schedule");
	snprintf(j.state, sizeof(j.state), "pending");
	OK(st->ops->tx_begin(st, &err_));
	OK(st->groups->job_insert(st, &j, &created, &err_));
	OK(st->ops->tx_commit(st, &err_));
	assert_true(created);
	return j.id;
}

static const struct send_job_rec *job(int64_t id)
{
	OK(st->groups->job_get(st, id, &jr, &err_));
	return &jr;
}

static const struct group_rec *group(int64_t id)
{
	OK(st->groups->group_get(st, id, &gr, &err_));
	return &gr;
}

/* Opens the pusher at now (s) answering with script. */
static void open_pusher(const struct push_http_fake_step *script, size_t n, int64_t now)
{
	struct group_push_conf conf = {.link_base = "http://t.example"};
	push_http_fake_clear(&fake);
	push_http_fake_init(&fake, script, n);
	group_pusher_close(pusher);
	pusher = NULL;
	OK(group_pusher_open(e, &fake.base, &conf, MS(now), &pusher, &err_));
}

/* One round at now (s); the time the pusher would wake next (ms). */
static int64_t round_at(int64_t now)
{
	int64_t next;
	bool progress;
	OK(group_push_round(pusher, MS(now), 0, &next, &progress, &err_));
	return next;
}

static const struct push_http_fake_step ok_wecom = {.status = 200, .body = "{\"errcode\":0,\"errmsg\":\"ok\"}"};
static const struct push_http_fake_step bad_gateway = {.status = 502, .body = "<html>bad gateway</html>"};
static const struct push_http_fake_step limit_wecom = {
	.status = 200, .body = "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"};

/* ok → sent, with the body as POSTed, the link, sent_at, the code. */
static void test_ok_is_sent(void **state)
{
	(void)state;
	int64_t g = add_group("wecom", "wk1", NULL);
	int64_t id = add_job(g, T0, "p1");
	open_pusher(&ok_wecom, 1, T0);
	round_at(T0 + 5);
	assert_int_equal(fake.n_calls, 1);
	const struct send_job_rec *j = job(id);
	assert_string_equal(j->state, "sent");
	assert_string_equal(j->code, "0");
	assert_int_equal(j->attempts, 1);
	assert_int_equal(j->sent_at, T0 + 5);
	assert_true(j->link[0] != '\0');
	assert_string_equal(j->body, fake.calls[0].body);
	char want[128];
	snprintf(want, sizeof(want), "http://t.example/s/%s", j->link);
	assert_non_null(strstr(j->body, want));
	assert_non_null(strstr(fake.calls[0].url, "key=wk1"));
	/* sent is final: later rounds never claim it again */
	round_at(T0 + 3600);
	assert_int_equal(fake.n_calls, 1);
}

/* A retryable answer → pending again after the backoff, the attempt counted;
 * the fifth failure → failed, never tried again. */
static void test_retry_then_give_up(void **state)
{
	(void)state;
	const struct push_http_fake_step script[] = {bad_gateway, bad_gateway, bad_gateway,
						     bad_gateway, bad_gateway};
	int64_t g = add_group("wecom", "wk1", NULL);
	int64_t id = add_job(g, T0, "p1");
	open_pusher(script, 5, T0);
	int64_t now = T0;
	for (int i = 1; i <= 4; i++) {
		round_at(now);
		const struct send_job_rec *j = job(id);
		assert_string_equal(j->state, "pending");
		assert_string_equal(j->code, "http_502");
		assert_int_equal(j->attempts, i);
		assert_int_equal(j->next_at, now + group_push_backoff_s(i));
		/* not before its time */
		round_at(j->next_at - 1);
		assert_int_equal(fake.n_calls, (size_t)i);
		now = j->next_at;
	}
	assert_int_equal(group_push_backoff_s(1), 30);
	assert_int_equal(group_push_backoff_s(2), 60);
	assert_int_equal(group_push_backoff_s(20), 1800);
	round_at(now);
	const struct send_job_rec *j = job(id);
	assert_string_equal(j->state, "failed");
	assert_int_equal(j->attempts, 5);
	assert_non_null(strstr(j->message, "gave up after 5 attempts"));
	round_at(now + 86400);
	assert_int_equal(fake.n_calls, 5);
	assert_string_equal(group(g)->state, "active"); /* a message's failure, not the group's */
}

/* A limit reply → the robot paused (groups.paused_until, reason), the job
 * pending at that time, no attempt counted: pauses again and again never
 * fail the job; meanwhile the robot sends nothing. */
static void test_limit_pauses_robot(void **state)
{
	(void)state;
	const struct push_http_fake_step script[] = {limit_wecom, limit_wecom, limit_wecom,
						     limit_wecom, limit_wecom, limit_wecom,
						     ok_wecom};
	int64_t g = add_group("wecom", "wk1", NULL);
	int64_t id = add_job(g, T0, "p1");
	open_pusher(script, 7, T0);
	int64_t now = T0 + 1;
	for (int i = 1; i <= 6; i++) {
		round_at(now);
		assert_int_equal(fake.n_calls, (size_t)i);
		const struct send_job_rec *j = job(id);
		assert_string_equal(j->state, "pending");
		assert_string_equal(j->code, "45009");
		assert_int_equal(j->attempts, 0);
		assert_int_equal(j->next_at, now + 60);
		const struct group_rec *gg = group(g);
		assert_string_equal(gg->state, "active");
		assert_int_equal(gg->paused_until, now + 60);
		assert_non_null(strstr(gg->pause_reason, "45009"));
		/* the robot waits out its pause */
		assert_true(round_at(now + 59) >= MS(now + 60));
		assert_int_equal(fake.n_calls, (size_t)i);
		now += 60;
	}
	round_at(now);
	assert_string_equal(job(id)->state, "sent");
	assert_int_equal(job(id)->attempts, 1);
}

/* A robot paused by the platform (as stored, seen by a new pusher) waits. */
static void test_paused_robot_waits(void **state)
{
	(void)state;
	int64_t g = add_group("wecom", "wk1", NULL);
	int64_t id = add_job(g, T0, "p1");
	group(g);
	gr.paused_until = T0 + 100;
	snprintf(gr.pause_reason, sizeof(gr.pause_reason), "api freq out of limit (45009)");
	OK(st->ops->tx_begin(st, &err_));
	OK(st->groups->group_update(st, &gr, &err_));
	OK(st->ops->tx_commit(st, &err_));
	open_pusher(&ok_wecom, 1, T0);
	assert_int_equal(round_at(T0 + 10), MS(T0 + 100));
	assert_int_equal(fake.n_calls, 0);
	assert_string_equal(job(id)->state, "pending");
	round_at(T0 + 100);
	assert_int_equal(fake.n_calls, 1);
	assert_string_equal(job(id)->state, "sent");
}

/* A fatal answer about the group's set-up → the job failed at once, the
 * group paused with the reason, its other jobs cancelled; per platform. */
static void test_fatal_pauses_group(void **state)
{
	(void)state;
	const struct {
		const char *kind, *cred, *chat;
		struct push_http_fake_step step;
		const char *code;
	} cases[] = {
		{"wecom", "wk1", NULL, {.status = 200, .body = "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}"},
		 "93000"},
		{"feishu", "fs1", NULL,
		 {.status = 200, .body = "{\"code\":19001,\"msg\":\"param invalid: incoming webhook access token "
		       "invalid\"}"},
		 "19001"},
		{"telegram", "1001:TOKEN", "-1001",
		 {.status = 401, .body = "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"}, "401"},
		{"telegram", "1002:TOKEN", "-1002",
		 {.status = 404, .body = "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"}, "404"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t g = add_group(cases[i].kind, cases[i].cred, cases[i].chat);
		int64_t id = add_job(g, T0, "p1");
		int64_t later = add_job(g, T0 + 3600, "p2");
		open_pusher(&cases[i].step, 1, T0);
		round_at(T0);
		const struct send_job_rec *j = job(id);
		if (strcmp(j->state, "failed") != 0 || strcmp(j->code, cases[i].code) != 0 ||
		    j->attempts != 1)
			fail_msg("case %zu (%s): job %s code %s attempts %lld", i, cases[i].kind,
				 j->state, j->code, (long long)j->attempts);
		const struct group_rec *gg = group(g);
		assert_string_equal(gg->state, "paused");
		assert_non_null(strstr(gg->pause_reason, cases[i].code));
		assert_string_equal(job(later)->state, "cancelled");
		round_at(T0 + 7200);
		assert_int_equal(fake.n_calls, 1);
	}
}

/* The request went out and no answer came → unknown, never retried by
 * itself; a request that never left (refused) is retried. */
static void test_no_answer_is_unknown(void **state)
{
	(void)state;
	const struct push_http_fake_step script[] = {
		{.error = "operation timed out", .maybe_sent = true},
		{.error = "connection refused", .maybe_sent = false},
	};
	int64_t g = add_group("wecom", "wk1", NULL);
	int64_t id = add_job(g, T0, "p1");
	int64_t id2 = add_job(g, T0 + 1, "p2");
	open_pusher(script, 2, T0);
	round_at(T0 + 1);
	assert_int_equal(fake.n_calls, 2);
	const struct send_job_rec *j = job(id);
	assert_string_equal(j->state, "unknown");
	assert_string_equal(j->code, "transport");
	assert_non_null(strstr(j->message, "timed out"));
	j = job(id2);
	assert_string_equal(j->state, "pending");
	assert_int_equal(j->attempts, 1);
	assert_true(j->next_at > T0 + 1);
	/* a day later: the refused one is tried again, the unknown one never */
	push_http_fake_clear(&fake);
	push_http_fake_init(&fake, &ok_wecom, 1);
	round_at(T0 + 86400);
	assert_int_equal(fake.n_calls, 1);
	assert_non_null(strstr(fake.calls[0].body, "p2"));
	assert_string_equal(job(id)->state, "unknown");
	assert_string_equal(job(id2)->state, "sent");
}

/* A restart: the sends of the last minute count against the robot's
 * bucket, so the new pusher never bursts over the limit (WeCom 20/min). */
static void test_restart_seeds_buckets(void **state)
{
	(void)state;
	struct push_http_fake_step script[20];
	for (size_t i = 0; i < 20; i++)
		script[i] = ok_wecom;
	int64_t g = add_group("wecom", "wk1", NULL);
	/* 15 sent 30 s before the restart */
	for (int i = 0; i < 15; i++) {
		int64_t id = add_job(g, T0 - 1000 + i, "p1");
		struct send_job_end end = {.state = "sent", .code = "0", .at = T0 - 30};
		OK(st->ops->tx_begin(st, &err_));
		OK(st->groups->job_finish(st, id, &end, &err_));
		OK(st->ops->tx_commit(st, &err_));
	}
	for (int i = 0; i < 10; i++)
		add_job(g, T0 + i, i % 2 ? "p1" : "p2");
	open_pusher(script, 20, T0 + 10);
	round_at(T0 + 10);
	assert_int_equal(fake.n_calls, 5); /* 20 a minute, 15 of them taken */
	int64_t next = round_at(T0 + 10);  /* again: the robot waits */
	assert_int_equal(fake.n_calls, 5);
	assert_true(next > MS(T0 + 10) && next <= MS(T0 + 70));
	/* a minute on, the rest */
	round_at(T0 + 70);
	assert_int_equal(fake.n_calls, 10);
}

/* A product gone from the library before sending → cancelled, not sent. */
static void test_product_gone_cancelled(void **state)
{
	(void)state;
	int64_t g = add_group("wecom", "wk1", NULL);
	int64_t id = add_job(g, T0, "gone");
	open_pusher(NULL, 0, T0);
	round_at(T0);
	assert_int_equal(fake.n_calls, 0);
	const struct send_job_rec *j = job(id);
	assert_string_equal(j->state, "cancelled");
	assert_string_equal(j->code, "product");
	assert_non_null(strstr(j->message, "gone"));
}

/* A manual group's job at its time → ready, with the copy text and link. */
static void test_manual_ready(void **state)
{
	(void)state;
	int64_t g = add_group("manual", NULL, NULL);
	int64_t id = add_job(g, T0, "p1");
	open_pusher(NULL, 0, T0);
	round_at(T0 - 1);
	assert_string_equal(job(id)->state, "pending"); /* not before its time */
	round_at(T0);
	assert_int_equal(fake.n_calls, 0);
	const struct send_job_rec *j = job(id);
	assert_string_equal(j->state, "ready");
	assert_true(j->link[0] != '\0');
	assert_non_null(strstr(j->body, j->link));
	assert_non_null(strstr(j->body, "http://t.example/s/"));
}

/* A group paused or archived by the operator → its due jobs cancelled. */
static void test_group_off_cancelled(void **state)
{
	(void)state;
	int64_t paused = add_group("wecom", "wk1", NULL);
	int64_t archived = add_group("wecom", "wk2", NULL);
	int64_t a = add_job(paused, T0, "p1");
	int64_t b = add_job(archived, T0, "p1");
	OK(groups_set_state(st, paused, 0, "pause", T0 - 50, &gr, NULL, &err_));
	/* archived behind the operation's back (its own cancelling skipped):
	 * the pusher still never sends for it */
	group(archived);
	snprintf(gr.state, sizeof(gr.state), "archived");
	OK(st->ops->tx_begin(st, &err_));
	OK(st->groups->group_update(st, &gr, &err_));
	OK(st->ops->tx_commit(st, &err_));
	open_pusher(NULL, 0, T0);
	round_at(T0);
	assert_int_equal(fake.n_calls, 0);
	assert_string_equal(job(a)->state, "cancelled");
	assert_non_null(strstr(job(a)->message, "paused"));
	assert_string_equal(job(b)->state, "cancelled");
	assert_non_null(strstr(job(b)->message, "archived"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok_is_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_then_give_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_pauses_robot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paused_robot_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fatal_pauses_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_answer_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_seeds_buckets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_product_gone_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manual_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_off_cancelled, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

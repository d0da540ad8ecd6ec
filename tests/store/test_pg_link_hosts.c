/* test_pg_link_hosts.c — the storage of where member links may lead and
 * how many they may make, run alike on a fresh SQLite store and a fresh
 * PostgreSQL store: the allowed hosts (added once, in byte order, removed,
 * absent, each change in the change log), a link's origin and host
 * override kept, the count of a member's own links in a window with the
 * oldest, and member quotas set, replaced, refused and dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fresh_db.h"
#include "store/pg_internal.h"
#include "store/server_store.h"
#include "store/sqlite_internal.h"

#define OK(x)                                                              \
	do {                                                               \
		enum tk_rc rc_ = (x);                                      \
		if (rc_ != TK_OK)                                          \
			fail_msg("%s: %s (%s)", #x, err.msg, tk_rc_name(rc_)); \
	} while (0)

static void exec_sql(bool pg, struct store *st, const char *sql)
{
	struct tk_error err = {0};
	if (pg) {
		if (pg_exec_script(pg_of(st), sql, "seeding", &err))
			fail_msg("%s: %s", sql, err.msg);
		return;
	}
	char *msg = NULL;
	if (sqlite3_exec(sqlite_of(st)->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

struct seen {
	char text[512];
	int n;
	int stop_after; /* 0: never */
};

static bool host_cb(void *ctx, const char *domain, int64_t added_at)
{
	struct seen *s = ctx;
	size_t used = strlen(s->text);
	snprintf(s->text + used, sizeof(s->text) - used, "%s%s@%lld", used ? "," : "", domain,
		 (long long)added_at);
	return ++s->n != s->stop_after;
}

struct changes {
	int hosts, other;
};

static bool change_cb(void *ctx, enum change_what what, int64_t id)
{
	struct changes *c = ctx;
	if (what == CHANGE_LINK_HOSTS) {
		assert_int_equal(id, 0);
		c->hosts++;
	} else {
		c->other++;
	}
	return true;
}

static void add_link(struct store *st, const char *code, int64_t member, int origin, bool override,
		 int64_t at)
{
	struct tk_error err = {0};
	struct link_rec l = {.member = member, .origin = origin, .host_override = override,
			     .created_at = at};
	snprintf(l.code, sizeof(l.code), "%s", code);
	snprintf(l.target, sizeof(l.target), "https://item.jd.com/%s", code);
	OK(st->server->link_insert(st, &l, &err));
}

static void contract(bool pg)
{
	char uri[512];
	struct store *st = test_store_fresh(pg ? TEST_FRESH_PG : TEST_FRESH_SQLITE, uri, sizeof(uri));
	struct tk_error err = {0};
	bool added;
	exec_sql(pg, st,
		 "INSERT INTO members(id, ext, parent, level, name, depth, direct_count, team_count,"
		 " created_at) VALUES (1, 'alice', NULL, 'L1', 'A', 0, 0, 0, 100),"
		 " (2, 'bob', NULL, 'L1', 'B', 0, 0, 0, 100)");

	/* ---- allowed hosts ---- */
	int64_t seq0;
	OK(st->ops->changes_newest(st, &seq0, &err));
	struct seen s = {0};
	OK(st->server->link_host_each(st, host_cb, &s, &err));
	assert_int_equal(s.n, 0);
	OK(st->ops->tx_begin(st, &err));
	OK(st->server->link_host_add(st, "shop.example.org", 50, &added, &err));
	assert_true(added);
	OK(st->server->link_host_add(st, "shop.example.org", 60, &added, &err)); /* again */
	assert_false(added);
	/* the transaction goes on after the duplicate (PostgreSQL's aborts on
	 * a failed statement) */
	OK(st->server->link_host_add(st, "a.example", 70, &added, &err));
	assert_true(added);
	OK(st->server->link_host_add(st, "B.example", 80, &added, &err)); /* bytes: upper first */
	assert_true(added);
	OK(st->ops->tx_commit(st, &err));
	memset(&s, 0, sizeof(s));
	OK(st->server->link_host_each(st, host_cb, &s, &err));
	assert_string_equal(s.text, "B.example@80,a.example@70,shop.example.org@50");
	memset(&s, 0, sizeof(s));
	s.stop_after = 2; /* an early stop */
	OK(st->server->link_host_each(st, host_cb, &s, &err));
	assert_string_equal(s.text, "B.example@80,a.example@70");
	OK(st->server->link_host_remove(st, "a.example", &err));
	assert_int_equal(st->server->link_host_remove(st, "a.example", &err), TK_ENOTFOUND);
	assert_string_equal(err.field, "domain");
	assert_int_equal(st->server->link_host_remove(st, "never.example", &err), TK_ENOTFOUND);
	memset(&s, 0, sizeof(s));
	OK(st->server->link_host_each(st, host_cb, &s, &err));
	assert_string_equal(s.text, "B.example@80,shop.example.org@50");
	/* every change is in the change log (three adds, one removal; the
	 * duplicate changed nothing) */
	struct changes c = {0};
	int64_t upto;
	bool whole;
	OK(st->ops->changes_since(st, seq0, 100, change_cb, &c, &upto, &whole, &err));
	assert_false(whole);
	assert_int_equal(c.hosts, 4);
	assert_int_equal(c.other, 0);

	/* ---- origins and counts ---- */
	add_link(st, "m1", 1, LINK_ORIGIN_MEMBER, false, 1000);
	add_link(st, "m2", 1, LINK_ORIGIN_MEMBER, false, 4000);
	add_link(st, "m3", 1, LINK_ORIGIN_MEMBER, false, 4600);
	add_link(st, "o1", 1, LINK_ORIGIN_OPERATOR, true, 4700);  /* not the member's own */
	add_link(st, "p1", 1, LINK_ORIGIN_PUSHER, false, 4700);
	add_link(st, "u1", 1, LINK_ORIGIN_UNKNOWN, false, 4700);
	add_link(st, "b1", 2, LINK_ORIGIN_MEMBER, false, 4700);  /* another member's */
	struct link_rec l;
	OK(st->server->link_get(st, "o1", &l, &err));
	assert_int_equal(l.origin, LINK_ORIGIN_OPERATOR);
	assert_true(l.host_override);
	OK(st->server->link_get(st, "m2", &l, &err));
	assert_int_equal(l.origin, LINK_ORIGIN_MEMBER);
	assert_false(l.host_override);
	OK(st->server->link_get(st, "u1", &l, &err));
	assert_int_equal(l.origin, LINK_ORIGIN_UNKNOWN);
	int64_t n, oldest;
	OK(st->server->link_count_since(st, 1, 0, &n, &oldest, &err));
	assert_int_equal(n, 3);
	assert_int_equal(oldest, 1000);
	OK(st->server->link_count_since(st, 1, 4000, &n, &oldest, &err)); /* at `since` counts */
	assert_int_equal(n, 2);
	assert_int_equal(oldest, 4000);
	OK(st->server->link_count_since(st, 1, 4601, &n, &oldest, &err));
	assert_int_equal(n, 0);
	assert_int_equal(oldest, 0);
	OK(st->server->link_count_since(st, 2, 0, &n, &oldest, &err));
	assert_int_equal(n, 1);
	OK(st->server->link_count_since(st, 9, 0, &n, &oldest, &err)); /* no such member */
	assert_int_equal(n, 0);

	/* ---- quotas ---- */
	int64_t hour = -1, day = -1;
	assert_int_equal(st->server->link_quota_get(st, 1, &hour, &day, &err), TK_ENOTFOUND);
	assert_int_equal(hour, -1); /* untouched */
	OK(st->server->link_quota_set(st, 1, 5, 50, 10, &err));
	OK(st->server->link_quota_get(st, 1, &hour, &day, &err));
	assert_int_equal(hour, 5);
	assert_int_equal(day, 50);
	OK(st->server->link_quota_set(st, 1, 7, 70, 20, &err)); /* replaced */
	OK(st->server->link_quota_get(st, 1, &hour, &day, &err));
	assert_int_equal(hour, 7);
	assert_int_equal(day, 70);
	assert_int_equal(st->server->link_quota_get(st, 2, &hour, &day, &err), TK_ENOTFOUND);
	assert_int_equal(st->server->link_quota_set(st, 1, -1, 5, 30, &err), TK_EINVAL);
	assert_string_equal(err.field, "links_per_hour");
	assert_int_equal(st->server->link_quota_set(st, 1, 5, 0, 30, &err), TK_EINVAL);
	assert_string_equal(err.field, "links_per_day");
	OK(st->server->link_quota_get(st, 1, &hour, &day, &err)); /* the refusals changed nothing */
	assert_int_equal(hour, 7);
	OK(st->server->link_quota_set(st, 1, 0, 0, 40, &err)); /* dropped */
	assert_int_equal(st->server->link_quota_get(st, 1, &hour, &day, &err), TK_ENOTFOUND);
	OK(st->server->link_quota_set(st, 2, 0, 0, 40, &err)); /* dropping none is fine */

	st->ops->close(st);
	if (!pg)
		unlink(uri);
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

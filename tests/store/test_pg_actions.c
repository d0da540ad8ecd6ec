/* test_pg_actions.c — the action log, the same on a fresh SQLite store and
 * a fresh PostgreSQL store: entries appended with ids in commit order (a
 * rolled-back one takes no id), listed newest first with every filter
 * (day range, actor, kind, subject, cursor), a limit and an early stop;
 * the table refusing UPDATE and DELETE; and the application module's
 * entry (the thread's actor, a document too long to keep, the reason's
 * checks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "actions/actions.h"
#include "core_standin.h"
#include "groups/group_report.h"
#include "fresh_db.h"
#include "seen_text.h"
#include "store/action_store.h"

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

static bool seen_cb(void *ctx, const struct action_rec *a)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld@%lld:%s/%s/%s/%s:%s>%s:%s:%s;", (long long)a->id, (long long)a->at,
		      a->actor, a->source, a->what, a->subject, a->before, a->after, a->reason,
		      a->request);
	return ++s->n != s->stop_after;
}

static const char *list(struct store *st, const struct action_filter *f, int64_t limit,
			int stop_after, struct seen_text *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_after = stop_after;
	OK(actions_list(st, f, limit, seen_cb, s, &err_));
	return s->text;
}

static void put(struct store *st, int64_t at, const char *actor, const char *what,
		const char *subject, const char *before, const char *after, int64_t want_id)
{
	struct action_rec a = {.at = at};
	snprintf(a.actor, sizeof(a.actor), "%s", actor);
	snprintf(a.source, sizeof(a.source), "cli");
	snprintf(a.what, sizeof(a.what), "%s", what);
	snprintf(a.subject, sizeof(a.subject), "%s", subject);
	snprintf(a.before, sizeof(a.before), "%s", before);
	snprintf(a.after, sizeof(a.after), "%s", after);
	OK(st->actions->action_insert(st, &a, &err_));
	assert_int_equal(a.id, want_id);
}

static void contract(struct store *st)
{
	struct seen_text s;
	struct action_filter all = {0};
	assert_string_equal(list(st, &all, 0, 0, &s), "");

	OK(st->ops->tx_begin(st, &err_));
	put(st, 1000, "key:a", "member.level", "member:m1", "{\"level\":\"member\"}",
	    "{\"level\":\"super\"}", 1);
	put(st, 2000, "key:b", "plan.set", "plan", "", "{\"version\":1}", 2);
	put(st, 3000, "key:a", "member.level", "member:m2", "{\"level\":\"super\"}",
	    "{\"level\":\"mentor\"}", 3);
	OK(st->ops->tx_commit(st, &err_));
	/* a rolled-back entry leaves nothing, and its id is taken again */
	OK(st->ops->tx_begin(st, &err_));
	put(st, 3500, "key:a", "settle", "ledger", "", "{}", 4);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	put(st, 4000, "cli:root@h", "key.create", "key:1", "", "{\"name\":\"ops\"}", 4);
	OK(st->ops->tx_commit(st, &err_));

	assert_string_equal(
		list(st, &all, 0, 0, &s),
		"4@4000:cli:root@h/cli/key.create/key:1:null>{\"name\":\"ops\"}::;"
		"3@3000:key:a/cli/member.level/member:m2:{\"level\":\"super\"}>{\"level\":\"mentor\"}::;"
		"2@2000:key:b/cli/plan.set/plan:null>{\"version\":1}::;"
		"1@1000:key:a/cli/member.level/member:m1:{\"level\":\"member\"}>{\"level\":\"super\"}::;");
	/* a limit, a cursor, an early stop */
	assert_string_equal(list(st, &all, 1, 0, &s),
			    "4@4000:cli:root@h/cli/key.create/key:1:null>{\"name\":\"ops\"}::;");
	struct action_filter f = {.before = 3};
	list(st, &f, 0, 0, &s);
	assert_int_equal(s.n, 2);
	assert_true(strncmp(s.text, "2@", 2) == 0);
	list(st, &all, 0, 2, &s);
	assert_int_equal(s.n, 2);
	/* each filter alone, and together */
	f = (struct action_filter){.actor = "key:a"};
	list(st, &f, 0, 0, &s);
	assert_int_equal(s.n, 2);
	assert_true(strncmp(s.text, "3@", 2) == 0);
	f = (struct action_filter){.what = "plan.set"};
	list(st, &f, 0, 0, &s);
	assert_int_equal(s.n, 1);
	assert_true(strncmp(s.text, "2@", 2) == 0);
	f = (struct action_filter){.subject = "member:m1"};
	list(st, &f, 0, 0, &s);
	assert_int_equal(s.n, 1);
	assert_true(strncmp(s.text, "1@", 2) == 0);
	f = (struct action_filter){.from = 2000, .to = 3000};
	list(st, &f, 0, 0, &s);
	assert_int_equal(s.n, 2);
	assert_true(strncmp(s.text, "3@", 2) == 0);
	f = (struct action_filter){.from = 2000, .actor = "key:a", .what = "member.level"};
	list(st, &f, 0, 0, &s);
	assert_int_equal(s.n, 1);
	f = (struct action_filter){.actor = "KEY:A"}; /* exact, bytes */
	assert_string_equal(list(st, &f, 0, 0, &s), "");
	f = (struct action_filter){.to = 999};
	assert_string_equal(list(st, &f, 0, 0, &s), "");

	/* append-only: the database itself refuses a change or a removal */
	struct tk_error err = {0};
	assert_int_equal(test_sql(st, "UPDATE actions SET reason = 'x' WHERE id = 1", &err),
			 TK_ECONFLICT);
	assert_non_null(strstr(err.msg, "append-only"));
	assert_int_equal(test_sql(st, "DELETE FROM actions WHERE id = 2", &err), TK_ECONFLICT);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM actions"), 4);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM actions WHERE reason = ''"), 4);

	/* the application module: the thread's actor, its reason and key */
	struct action_actor who = {0};
	snprintf(who.who, sizeof(who.who), "key:ops-anna");
	snprintf(who.source, sizeof(who.source), "203.0.113.9");
	snprintf(who.reason, sizeof(who.reason), "合同 ticket 42");
	snprintf(who.request, sizeof(who.request), "req-1");
	actions_actor_set(&who);
	json_t *before = json_pack("{s:s}", "level", "vip");
	json_t *after = json_pack("{s:s}", "level", "partner");
	OK(st->ops->tx_begin(st, &err_));
	OK(actions_record(st, 5000, "member.level", "member:m13", before, after, &err_));
	/* a document beyond the column's limit is replaced by a note */
	json_t *big = json_object();
	char filler[ACTION_JSON_MAX];
	memset(filler, 'x', sizeof(filler) - 1);
	filler[sizeof(filler) - 1] = '\0';
	json_object_set_new(big, "text", json_string(filler));
	OK(actions_record(st, 5001, "group.update", "group:1", NULL, big, &err_));
	OK(st->ops->tx_commit(st, &err_));
	json_decref(before);
	json_decref(after);
	json_decref(big);
	actions_actor_set(NULL);
	OK(st->ops->tx_begin(st, &err_));
	OK(actions_record_text(st, 5002, "hosts.set", "hosts", "", "[\"jd.com\"]", &err_));
	assert_int_equal(actions_record_text(st, 5003, "hosts.set", "hosts", "{", "", &err),
			 TK_EINVAL);
	OK(st->ops->tx_commit(st, &err_));
	f = (struct action_filter){.from = 5000};
	assert_string_equal(
		list(st, &f, 0, 0, &s),
		"7@5002:system//hosts.set/hosts:null>[\"jd.com\"]::;"
		"6@5001:key:ops-anna/203.0.113.9/group.update/group:1:null>"
		"{\"note\":\"too long to keep (2058 bytes)\"}:合同 ticket 42:req-1;"
		"5@5000:key:ops-anna/203.0.113.9/member.level/member:m13:{\"level\":\"vip\"}>"
		"{\"level\":\"partner\"}:合同 ticket 42:req-1;");
}

static void run(enum test_fresh_kind kind)
{
	char uri[512];
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	contract(st);
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_actions_sqlite(void **state)
{
	(void)state;
	run(TEST_FRESH_SQLITE);
}

static void test_actions_pg(void **state)
{
	(void)state;
	run(TEST_FRESH_PG);
}

/* What a reason from outside may be: one line of UTF-8 within the limit. */
static void test_reason_check(void **state)
{
	(void)state;
	struct tk_error err = {0};
	char long_reason[ACTION_REASON_LIMIT + 2];
	assert_int_equal(actions_reason_check("", "X-Reason", &err), TK_OK);
	assert_int_equal(actions_reason_check("退款纠纷 #42, per ops", "X-Reason", &err), TK_OK);
	assert_int_equal(actions_reason_check("a\tb", "X-Reason", &err), TK_EINVAL);
	assert_string_equal(err.field, "X-Reason");
	assert_int_equal(actions_reason_check("a\nb", "--reason", &err), TK_EINVAL);
	assert_int_equal(actions_reason_check("a\x7f", "--reason", &err), TK_EINVAL);
	assert_int_equal(actions_reason_check("caf\xc3", "--reason", &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "UTF-8"));
	memset(long_reason, 'r', sizeof(long_reason) - 1);
	long_reason[sizeof(long_reason) - 1] = '\0';
	assert_int_equal(actions_reason_check(long_reason, "--reason", &err), TK_EINVAL);
	long_reason[ACTION_REASON_LIMIT] = '\0';
	assert_int_equal(actions_reason_check(long_reason, "--reason", &err), TK_OK);
}

/* The CSV export's cells: quoted when they must be, formulas made inert. */
static void test_csv_cells(void **state)
{
	(void)state;
	struct group_csv b = {0};
	struct action_rec a = {.id = 9, .at = 0};
	snprintf(a.actor, sizeof(a.actor), "=HYPERLINK(\"x\")");
	snprintf(a.source, sizeof(a.source), "cli");
	snprintf(a.what, sizeof(a.what), "member.level");
	snprintf(a.subject, sizeof(a.subject), "member:m1");
	snprintf(a.before, sizeof(a.before), "{\"level\":\"a\"}");
	snprintf(a.after, sizeof(a.after), "null");
	snprintf(a.reason, sizeof(a.reason), "+1, -2 @3");
	actions_csv_header(&b);
	actions_csv_row(&b, &a);
	assert_false(b.failed);
	assert_string_equal(b.b.s, "id,at,actor,role,source,what,subject,before,after,reason,"
				   "request_id\r\n"
				   "9,1970-01-01T08:00:00+08:00,\"'=HYPERLINK(\"\"x\"\")\",,cli,"
				   "member.level,member:m1,\"{\"\"level\"\":\"\"a\"\"}\",null,"
				   "\"'+1, -2 @3\",\r\n");
	textbuf_free(&b.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions_sqlite),
		cmocka_unit_test(test_actions_pg),
		cmocka_unit_test(test_reason_check),
		cmocka_unit_test(test_csv_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_pg_groups.c — the groups store's contract, run the same on a fresh
 * SQLite store and a fresh PostgreSQL store: groups (channel keys, reads by
 * id and channel, listings by owner and state, paged newest first, updates,
 * absent cases), credentials (never in a group's read) and the send queue
 * (insert-if-absent by slot, listing, claiming in due order, finishing,
 * stale leases, cancelling, recent sends, counts). */
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
#include "store/feed_store.h"
#include "store/group_store.h"

static bool group_cb(void *ctx, const struct group_rec *g)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:%s:%s:%s:%s:%s%s;", (long long)g->id, g->channel, g->owner_ext, g->name,
		 g->state, g->secret_set ? "set/" : "", g->hint);
	return ++s->n != s->stop_after;
}

static bool job_cb(void *ctx, const struct send_job_rec *j)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld:g%lld@%lld:%s:%s:a%lld", (long long)j->id, (long long)j->grp,
		 (long long)j->slot, j->product, j->state, (long long)j->attempts);
	if (j->claimed_at)
		seen_text_add(s, ":c%lld", (long long)j->claimed_at);
	seen_text_add(s, ";");
	return ++s->n != s->stop_after;
}

struct ids_ctx {
	int64_t *v;
	int *n;
};

static bool due_ids(void *ctx, const struct send_job_rec *j)
{
	struct ids_ctx *c = ctx;
	if (*c->n < 16)
		c->v[(*c->n)++] = j->id;
	return true;
}

static bool count_cb(void *ctx, int64_t grp, int64_t n)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld=%lld;", (long long)grp, (long long)n);
	return ++s->n != s->stop_after;
}

static bool tag_cb(void *ctx, const char *union_, const char *kind, const char *value)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%s/%s/%s;", union_, kind, value);
	return ++s->n != s->stop_after;
}

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

/* The pusher's way of claiming: the due jobs, then each claimed while
 * still pending; the claimed ones handed to job_cb. */
static void claim_due(struct store *st, int64_t now, int limit, struct seen_text *s)
{
	int64_t ids[16];
	int n = 0;
	OK(st->groups->job_due(st, now, limit, due_ids, &(struct ids_ctx){ids, &n}, &err_));
	struct send_job_rec *j = malloc(sizeof(*j));
	assert_non_null(j);
	for (int i = 0; i < n; i++) {
		bool claimed = false;
		OK(st->groups->job_claim(st, ids[i], now, &claimed, j, &err_));
		if (claimed)
			job_cb(s, j);
	}
	free(j);
}

static void add_group(struct store *st, int64_t owner, const char *name, const char *kind,
		      int64_t at, struct group_rec *g)
{
	memset(g, 0, sizeof(*g));
	g->owner = owner;
	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->kind, sizeof(g->kind), "%s", kind);
	snprintf(g->settings, sizeof(g->settings), "{}");
	g->created_at = g->updated_at = at;
	OK(st->groups->group_insert(st, g, &err_));
}

static void job(struct send_job_rec *j, int64_t grp, int64_t slot, const char *product,
		const char *shop)
{
	memset(j, 0, sizeof(*j));
	j->grp = grp;
	j->slot = slot;
	j->due_at = slot + 5;
	j->next_at = slot + 5;
	snprintf(j->union_, sizeof(j->union_), "jd");
	snprintf(j->product, sizeof(j->product), "%s", product);
	snprintf(j->shop, sizeof(j->shop), "%s", shop);
	j->created_at = 1;
}

static void groups_contract(struct store *st)
{
	const struct group_store_ops *o = st->groups;
	struct tk_error err = {0};
	struct group_rec *g = calloc(1, sizeof(*g));
	struct send_job_rec *j = calloc(1, sizeof(*j));
	assert_non_null(o);

	OK(test_sql(st,
		    "INSERT INTO members(ext, level, depth, created_at) VALUES ('ann', 'member', 0, 1);"
		    "INSERT INTO members(ext, level, depth, created_at) VALUES ('bob', 'member', 0, 2);",
		    &err_));

	/* absent */
	assert_int_equal(o->group_get(st, 1, g, &err), TK_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no group 1"));
	assert_int_equal(o->group_get_channel(st, "g1", g, &err), TK_ENOTFOUND);
	struct group_secret sec;
	assert_int_equal(o->secret_get(st, 1, &sec, &err), TK_ENOTFOUND);
	assert_int_equal(o->job_get(st, 1, j, &err), TK_ENOTFOUND);
	struct seen_text none = {0};
	struct group_filter all = {0};
	OK(o->group_list(st, &all, group_cb, &none, &err_));
	assert_int_equal(none.n, 0);
	int64_t n = -1;
	OK(o->group_count_owner(st, 1, &n, &err_));
	assert_int_equal(n, 0);

	/* inserts: ids in order, channel "g<id>" */
	OK(st->ops->tx_begin(st, &err_));
	add_group(st, 1, "早安群", "wecom", 100, g);
	assert_int_equal(g->id, 1);
	assert_string_equal(g->channel, "g1");
	assert_string_equal(g->state, "active");
	add_group(st, 2, "bob's", "telegram", 101, g);
	assert_string_equal(g->channel, "g2");
	add_group(st, 1, "night", "manual", 102, g);
	assert_int_equal(g->id, 3);
	OK(st->ops->tx_commit(st, &err_));

	/* an unknown owner or kind is refused; nothing stays, no id is used */
	OK(st->ops->tx_begin(st, &err_));
	memset(g, 0, sizeof(*g));
	g->owner = 99;
	snprintf(g->name, sizeof(g->name), "x");
	snprintf(g->kind, sizeof(g->kind), "wecom");
	snprintf(g->settings, sizeof(g->settings), "{}");
	assert_int_equal(o->group_insert(st, g, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	g->owner = 1;
	snprintf(g->kind, sizeof(g->kind), "qq");
	assert_int_equal(o->group_insert(st, g, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	add_group(st, 1, "fourth", "feishu", 103, g);
	assert_int_equal(g->id, 4);
	OK(st->ops->tx_commit(st, &err_));

	OK(o->group_get(st, 1, g, &err_));
	assert_string_equal(g->name, "早安群");
	assert_string_equal(g->owner_ext, "ann");
	assert_string_equal(g->kind, "wecom");
	assert_string_equal(g->settings, "{}");
	assert_int_equal(g->created_at, 100);
	assert_false(g->secret_set);
	OK(o->group_get_channel(st, "g2", g, &err_));
	assert_int_equal(g->id, 2);
	assert_string_equal(g->owner_ext, "bob");
	OK(o->group_count_owner(st, 1, &n, &err_));
	assert_int_equal(n, 3);

	/* listings: newest first, by owner, by state, paged, early stop */
	struct seen_text ls = {0};
	OK(o->group_list(st, &all, group_cb, &ls, &err_));
	assert_string_equal(ls.text, "4:g4:ann:fourth:active:;3:g3:ann:night:active:;"
				     "2:g2:bob:bob's:active:;1:g1:ann:早安群:active:;");
	struct seen_text page = {0};
	struct group_filter pf = {.owner = 1, .before = 4, .limit = 1};
	OK(o->group_list(st, &pf, group_cb, &page, &err_));
	assert_string_equal(page.text, "3:g3:ann:night:active:;");

	/* update; absent */
	OK(st->ops->tx_begin(st, &err_));
	OK(o->group_get(st, 3, g, &err_));
	snprintf(g->state, sizeof(g->state), "paused");
	snprintf(g->settings, sizeof(g->settings), "{\"dedup_days\":3}");
	g->paused_until = 500;
	snprintf(g->pause_reason, sizeof(g->pause_reason), "45009 over the limit");
	g->updated_at = 200;
	OK(o->group_update(st, g, &err_));
	g->id = 42;
	assert_int_equal(o->group_update(st, g, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err_));
	OK(o->group_get(st, 3, g, &err_));
	assert_string_equal(g->state, "paused");
	assert_string_equal(g->settings, "{\"dedup_days\":3}");
	assert_int_equal(g->paused_until, 500);
	assert_string_equal(g->pause_reason, "45009 over the limit");
	assert_int_equal(g->updated_at, 200);
	struct seen_text paused = {0};
	struct group_filter sf = {.state = "paused"};
	OK(o->group_list(st, &sf, group_cb, &paused, &err_));
	assert_string_equal(paused.text, "3:g3:ann:night:paused:;");

	/* credentials: set, replace; a group's read shows the hint only */
	OK(st->ops->tx_begin(st, &err_));
	memset(&sec, 0, sizeof(sec));
	snprintf(sec.credential, sizeof(sec.credential), "KEY-0001-abcd");
	snprintf(sec.hint, sizeof(sec.hint), "abcd");
	OK(o->secret_set(st, 1, &sec, &err_));
	snprintf(sec.credential, sizeof(sec.credential), "123:TOKEN-wxyz");
	snprintf(sec.chat_id, sizeof(sec.chat_id), "-1001");
	snprintf(sec.hint, sizeof(sec.hint), "wxyz");
	OK(o->secret_set(st, 2, &sec, &err_));
	snprintf(sec.sign_secret, sizeof(sec.sign_secret), "SEC");
	snprintf(sec.credential, sizeof(sec.credential), "123:TOKEN-wxy2");
	snprintf(sec.hint, sizeof(sec.hint), "wxy2");
	OK(o->secret_set(st, 2, &sec, &err_));
	OK(st->ops->tx_commit(st, &err_));
	memset(&sec, 0, sizeof(sec));
	OK(o->secret_get(st, 2, &sec, &err_));
	assert_string_equal(sec.credential, "123:TOKEN-wxy2");
	assert_string_equal(sec.sign_secret, "SEC");
	assert_string_equal(sec.chat_id, "-1001");
	OK(o->group_get(st, 2, g, &err_));
	assert_true(g->secret_set);
	assert_string_equal(g->hint, "wxy2");
	assert_string_equal(g->chat_id, "-1001");
	struct seen_text owned = {0};
	struct group_filter of = {.owner = 2};
	OK(o->group_list(st, &of, group_cb, &owned, &err_));
	assert_string_equal(owned.text, "2:g2:bob:bob's:active:set/wxy2;");

	/* a group's tags: those registered with its channel, byte order */
	OK(st->ops->tx_begin(st, &err_));
	int64_t prev;
	OK(st->feeds->tag_set(st, "jd", "positionId", "p9", 1, "g1", 10, &prev, &err_));
	OK(st->feeds->tag_set(st, "jd", "positionId", "P8", 1, "g1", 10, &prev, &err_));
	OK(st->feeds->tag_set(st, "jd", "positionId", "own", 1, "", 10, &prev, &err_));
	OK(st->ops->tx_commit(st, &err_));
	struct seen_text tags = {0};
	OK(o->group_tags(st, "g1", tag_cb, &tags, &err_));
	assert_string_equal(tags.text, "jd/positionId/P8;jd/positionId/p9;");
	struct seen_text notags = {0};
	OK(o->group_tags(st, "g2", tag_cb, &notags, &err_));
	assert_int_equal(notags.n, 0);

	/* send jobs: insert if absent by (group, slot) */
	bool created = false;
	OK(st->ops->tx_begin(st, &err_));
	job(j, 1, 1000, "A", "s1");
	OK(o->job_insert(st, j, &created, &err_));
	assert_true(created);
	assert_int_equal(j->id, 1);
	job(j, 1, 1000, "OTHER", "");
	OK(o->job_insert(st, j, &created, &err_)); /* the same slot: the transaction goes on */
	assert_false(created);
	assert_int_equal(j->id, 1);
	job(j, 1, 2000, "B", "s2");
	OK(o->job_insert(st, j, &created, &err_));
	assert_int_equal(j->id, 2);
	job(j, 2, 1000, "A", "s1");
	j->next_at = 900; /* due before group 1's */
	OK(o->job_insert(st, j, &created, &err_));
	assert_int_equal(j->id, 3);
	job(j, 1, 3000, "C", "s3");
	OK(o->job_insert(st, j, &created, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(o->job_get(st, 1, j, &err_));
	assert_string_equal(j->product, "A");
	assert_string_equal(j->state, "pending");
	assert_string_equal(j->origin, "schedule");
	assert_int_equal(j->due_at, 1005);

	struct seen_text jl = {0};
	struct send_job_filter jf = {.grp = 1};
	OK(o->job_list(st, &jf, job_cb, &jl, &err_));
	assert_string_equal(jl.text, "4:g1@3000:C:pending:a0;2:g1@2000:B:pending:a0;"
				     "1:g1@1000:A:pending:a0;");
	struct seen_text jp = {0};
	struct send_job_filter jpf = {.grp = 1, .before_slot = 3000, .limit = 1};
	OK(o->job_list(st, &jpf, job_cb, &jp, &err_));
	assert_string_equal(jp.text, "2:g1@2000:B:pending:a0;");

	/* claim: due ones only, by next_at then id, marked sending (as the
	 * pusher claims: due, then each while pending) */
	OK(st->ops->tx_begin(st, &err_));
	struct seen_text cl = {0};
	claim_due(st, 2005, 10, &cl);
	assert_string_equal(cl.text, "3:g2@1000:A:sending:a1:c2005;1:g1@1000:A:sending:a1:c2005;"
				     "2:g1@2000:B:sending:a1:c2005;");
	struct seen_text again = {0};
	claim_due(st, 2005, 10, &again);
	assert_int_equal(again.n, 0);
	OK(st->ops->tx_commit(st, &err_));

	/* finish: sent, retry later, failed; absent */
	OK(st->ops->tx_begin(st, &err_));
	struct send_job_end sent = {.state = "sent", .code = "0", .message = "ok",
				    .body = "{\"msgtype\":\"text\"}", .link = "Lk1", .at = 2010};
	OK(o->job_finish(st, 1, &sent, &err_));
	/* a limit reply: pending again, the claim's attempt given back */
	struct send_job_end retry = {.state = "pending", .next_at = 2100, .code = "45009",
				     .message = "over the limit", .not_attempt = true};
	OK(o->job_finish(st, 2, &retry, &err_));
	struct send_job_end fatal = {.state = "failed", .code = "93000", .message = "bad key"};
	assert_int_equal(o->job_finish(st, 99, &fatal, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err_));
	OK(o->job_get(st, 1, j, &err_));
	assert_string_equal(j->state, "sent");
	assert_int_equal(j->sent_at, 2010);
	assert_string_equal(j->body, "{\"msgtype\":\"text\"}");
	assert_string_equal(j->link, "Lk1");
	assert_string_equal(j->code, "0");
	OK(o->job_get(st, 2, j, &err_));
	assert_string_equal(j->state, "pending");
	assert_int_equal(j->next_at, 2100);
	assert_string_equal(j->message, "over the limit");
	assert_string_equal(j->body, "");
	assert_int_equal(j->attempts, 0);

	/* a paused job is claimed again when due: attempts 1 (the pause was none) */
	OK(st->ops->tx_begin(st, &err_));
	struct seen_text cl2 = {0};
	claim_due(st, 2100, 1, &cl2);
	assert_string_equal(cl2.text, "2:g1@2000:B:sending:a1:c2100;");
	OK(st->ops->tx_commit(st, &err_));

	/* stale leases: sending since before 2050 (job 3) become unknown */
	OK(st->ops->tx_begin(st, &err_));
	OK(o->job_mark_stale(st, 2050, 2200, &n, &err_));
	assert_int_equal(n, 1);
	OK(st->ops->tx_commit(st, &err_));
	OK(o->job_get(st, 3, j, &err_));
	assert_string_equal(j->state, "unknown");
	OK(o->job_get(st, 2, j, &err_));
	assert_string_equal(j->state, "sending");
	struct seen_text unk = {0};
	struct send_job_filter uf = {.grp = 2, .state = "unknown"};
	OK(o->job_list(st, &uf, job_cb, &unk, &err_));
	assert_string_equal(unk.text, "3:g2@1000:A:unknown:a1:c2005;");

	/* recent sends of group 1 since 1500: the sent one by sent_at, the
	 * pending and sending ones by due time, newest first (2010 > 2005) */
	struct seen_text rc1 = {0};
	OK(o->job_recent(st, 1, 1500, job_cb, &rc1, &err_));
	assert_string_equal(rc1.text, "4:g1@3000:C:pending:a0;1:g1@1000:A:sent:a1:c2005;"
				      "2:g1@2000:B:sending:a1:c2100;");
	struct seen_text rc2 = {0};
	OK(o->job_recent(st, 1, 2011, job_cb, &rc2, &err_));
	assert_string_equal(rc2.text, "4:g1@3000:C:pending:a0;");

	/* sent counts per group */
	struct seen_text cnt = {0};
	OK(o->job_count_sent(st, 0, count_cb, &cnt, &err_));
	assert_string_equal(cnt.text, "1=1;");
	struct seen_text cnt2 = {0};
	OK(o->job_count_sent(st, 2011, count_cb, &cnt2, &err_));
	assert_int_equal(cnt2.n, 0);

	/* cancelling a group: its pending (and ready) jobs only */
	OK(st->ops->tx_begin(st, &err_));
	OK(o->job_cancel_group(st, 1, "group archived", &n, &err_));
	assert_int_equal(n, 1);
	OK(o->job_cancel_group(st, 1, "group archived", &n, &err_));
	assert_int_equal(n, 0);
	OK(st->ops->tx_commit(st, &err_));
	OK(o->job_get(st, 4, j, &err_));
	assert_string_equal(j->state, "cancelled");
	assert_string_equal(j->message, "group archived");

	/* the queue's last claim or send: job 2 claimed at 2100 */
	int64_t last = 0;
	OK(o->job_last_time(st, &last, &err_));
	assert_int_equal(last, 2100);

	/* requeue: an unknown job back to pending; a sending one is not
	 * touched; absent */
	bool done = false;
	OK(st->ops->tx_begin(st, &err_));
	OK(o->job_requeue(st, 3, 2300, &done, &err_));
	assert_true(done);
	OK(o->job_requeue(st, 2, 2300, &done, &err_));
	assert_false(done);
	assert_int_equal(o->job_requeue(st, 99, 2300, &done, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err_));
	OK(o->job_get(st, 3, j, &err_));
	assert_string_equal(j->state, "pending");
	assert_int_equal(j->next_at, 2300);
	assert_int_equal(j->attempts, 0);
	assert_string_equal(j->code, "");

	/* due without claiming: only pending ones at or before now */
	struct seen_text du = {0};
	OK(o->job_due(st, 2299, 10, job_cb, &du, &err_));
	assert_int_equal(du.n, 0);
	OK(o->job_due(st, INT64_MAX, 10, job_cb, &du, &err_));
	assert_string_equal(du.text, "3:g2@1000:A:pending:a0:c2005;");

	/* claim one: while pending only */
	bool claimed = false;
	OK(st->ops->tx_begin(st, &err_));
	OK(o->job_claim(st, 3, 2300, &claimed, j, &err_));
	assert_true(claimed);
	assert_string_equal(j->state, "sending");
	assert_int_equal(j->attempts, 1);
	assert_int_equal(j->claimed_at, 2300);
	OK(o->job_claim(st, 3, 2301, &claimed, j, &err_));
	assert_false(claimed);
	assert_int_equal(j->claimed_at, 2300);
	assert_int_equal(o->job_claim(st, 99, 2301, &claimed, j, &err), TK_ENOTFOUND);
	OK(st->ops->tx_commit(st, &err_));
	free(g);
	free(j);
}

static void test_groups_sqlite(void **state)
{
	(void)state;
	char path[512];
	struct store *st = NULL;
	struct tk_error err = {0};
	test_sqlite_fresh(path, sizeof(path));
	if (store_open(path, NULL, &st, &err))
		fail_msg("open: %s", err.msg);
	groups_contract(st);
	st->ops->close(st);
	remove(path);
}

static void test_groups_pg(void **state)
{
	(void)state;
	char uri[512];
	struct store *st = NULL;
	struct tk_error err = {0};
	assert_true(test_pg_fresh_icu(uri, sizeof(uri)));
	assert_true(test_pg_core_standin(uri));
	if (store_open(uri, NULL, &st, &err))
		fail_msg("open: %s", err.msg);
	groups_contract(st);
	st->ops->close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_sqlite),
		cmocka_unit_test(test_groups_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

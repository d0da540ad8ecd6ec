/* test_pg_feeds.c — the feeds store's contract, run the same on a fresh
 * SQLite store and a fresh PostgreSQL store: tags (lookup, replace with the
 * previous owner, delete, byte-ordered listing, early stop, a tag for no
 * member refused), sync cursors and the refused rows (raw text kept,
 * NULL apart from ""). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core_standin.h"
#include "fresh_db.h"
#include "seen_text.h"
#include "store/feed_store.h"

static bool tag_cb(void *ctx, const struct tag_rec *t)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%s/%s/%s=%lld:%s%s%s@%lld;", t->union_, t->kind, t->value, (long long)t->member,
		 t->member_ext, t->channel[0] ? "/" : "", t->channel, (long long)t->created_at);
	return ++s->n != s->stop_after;
}

static bool reject_cb(void *ctx, const struct sync_reject_rec *r)
{
	struct seen_text *s = ctx;
	seen_text_add(s, "%lld %s %s %lld-%lld %s raw=%s at=%lld;", (long long)r->id, r->union_, r->item,
		 (long long)r->window_from, (long long)r->window_to, r->error,
		 r->raw ? r->raw : "NULL", (long long)r->at);
	return ++s->n != s->stop_after;
}

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

static void feeds_contract(struct store *st)
{
	const struct feed_store_ops *f = st->feeds;
	struct tk_error err = {0};
	int64_t member = -1, prev = -1, at = -1;
	char channel[ORDER_KEY_MAX] = "x";

	OK(test_sql(st,
		    "INSERT INTO members(ext, level, depth, created_at) VALUES ('ann', 'member', 0, 1);"
		    "INSERT INTO members(ext, level, depth, created_at) VALUES ('bob', 'member', 0, 2);",
		    &err_));

	/* absent */
	assert_int_equal(f->tag_lookup(st, "jd", "pid", "p1", &member, channel, &err), TK_ENOTFOUND);
	assert_non_null(strstr(err.msg, "unknown jd tag pid=p1"));
	struct seen_text none = {0};
	OK(f->tag_each(st, "", tag_cb, &none, &err_));
	assert_int_equal(none.n, 0);

	OK(st->ops->tx_begin(st, &err_));
	OK(f->tag_set(st, "jd", "pid", "p1", 1, "", 100, &prev, &err_));
	assert_int_equal(prev, 0);
	/* the same tag for another member replaces the owner and says who it was */
	OK(f->tag_set(st, "jd", "pid", "p1", 2, "", 101, &prev, &err_));
	assert_int_equal(prev, 1);
	OK(f->tag_set(st, "jd", "pid", "B1", 1, "", 102, &prev, &err_));
	assert_int_equal(prev, 0);
	OK(f->tag_set(st, "jd", "pid", "a2", 1, "", 103, &prev, &err_));
	OK(f->tag_set(st, "jd", "pid", "二", 2, "g7", 104, &prev, &err_));
	OK(f->tag_set(st, "jd", "Sub", "z", 2, "", 105, &prev, &err_));
	OK(f->tag_set(st, "taobao", "rid", "r9", 1, "", 106, &prev, &err_));
	OK(st->ops->tx_commit(st, &err_));

	/* a tag for a member that does not exist is a conflict; nothing stays */
	OK(st->ops->tx_begin(st, &err_));
	assert_int_equal(f->tag_set(st, "jd", "pid", "ghost", 99, "", 107, &prev, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	assert_int_equal(f->tag_lookup(st, "jd", "pid", "ghost", &member, channel, &err), TK_ENOTFOUND);

	OK(f->tag_lookup(st, "jd", "pid", "p1", &member, channel, &err_));
	assert_int_equal(member, 2);
	assert_string_equal(channel, "");
	/* a group's tag answers its channel key; NULL asks for none */
	OK(f->tag_lookup(st, "jd", "pid", "二", &member, channel, &err_));
	assert_string_equal(channel, "g7");
	OK(f->tag_lookup(st, "jd", "pid", "二", &member, NULL, &err_));
	assert_int_equal(member, 2);
	OK(f->tag_lookup(st, "taobao", "rid", "r9", &member, channel, &err_));
	assert_int_equal(member, 1);

	/* byte order (C), as SQLite compares: upper case before lower, UTF-8 last */
	struct seen_text all = {0};
	OK(f->tag_each(st, "", tag_cb, &all, &err_));
	assert_string_equal(all.text, "jd/Sub/z=2:bob@105;"
				      "jd/pid/B1=1:ann@102;"
				      "jd/pid/a2=1:ann@103;"
				      "jd/pid/p1=2:bob@101;"
				      "jd/pid/二=2:bob/g7@104;"
				      "taobao/rid/r9=1:ann@106;");
	struct seen_text tb = {0};
	OK(f->tag_each(st, "taobao", tag_cb, &tb, &err_));
	assert_string_equal(tb.text, "taobao/rid/r9=1:ann@106;");
	struct seen_text first = {.stop_after = 2};
	OK(f->tag_each(st, "jd", tag_cb, &first, &err_));
	assert_int_equal(first.n, 2);
	assert_string_equal(first.text, "jd/Sub/z=2:bob@105;jd/pid/B1=1:ann@102;");

	OK(st->ops->tx_begin(st, &err_));
	OK(f->tag_delete(st, "jd", "pid", "a2", &err_));
	/* deleting again: not registered; the transaction goes on */
	assert_int_equal(f->tag_delete(st, "jd", "pid", "a2", &err), TK_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no jd tag pid=a2 is registered"));
	OK(f->tag_set(st, "jd", "pid", "c3", 2, "", 108, &prev, &err_));
	OK(st->ops->tx_commit(st, &err_));
	assert_int_equal(f->tag_lookup(st, "jd", "pid", "a2", &member, channel, &err), TK_ENOTFOUND);
	OK(f->tag_lookup(st, "jd", "pid", "c3", &member, channel, &err_));
	assert_int_equal(member, 2);

	/* cursors: 0 until set, then the latest */
	OK(f->cursor_get(st, "jd", "orders", &at, &err_));
	assert_int_equal(at, 0);
	OK(st->ops->tx_begin(st, &err_));
	OK(f->cursor_set(st, "jd", "orders", 1700000000, 5, &err_));
	OK(f->cursor_set(st, "jd", "refunds", 1600000000, 5, &err_));
	OK(f->cursor_set(st, "jd", "orders", 1700003600, 6, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(f->cursor_get(st, "jd", "orders", &at, &err_));
	assert_int_equal(at, 1700003600);
	OK(f->cursor_get(st, "jd", "refunds", &at, &err_));
	assert_int_equal(at, 1600000000);
	OK(f->cursor_get(st, "pdd", "orders", &at, &err_));
	assert_int_equal(at, 0);
	assert_int_equal(test_sql_int(st, "SELECT updated_at FROM sync_cursors"
					  " WHERE union_ = 'jd' AND stream = 'orders'"),
			 6);

	/* refused rows, oldest first; raw NULL stays NULL and "" stays "" */
	struct seen_text rj = {0};
	OK(f->sync_reject_each(st, "", reject_cb, &rj, &err_));
	assert_int_equal(rj.n, 0);
	OK(st->ops->tx_begin(st, &err_));
	struct sync_reject_rec r = {.window_from = 10, .window_to = 20, .at = 30};
	snprintf(r.union_, sizeof(r.union_), "jd");
	snprintf(r.item, sizeof(r.item), "i1");
	snprintf(r.error, sizeof(r.error), "amount: must be >= 0, got -1");
	r.raw = "{\"a\":\"二\"}";
	OK(f->sync_reject_insert(st, &r, &err_));
	snprintf(r.union_, sizeof(r.union_), "pdd");
	r.item[0] = '\0';
	r.raw = NULL;
	r.at = 31;
	OK(f->sync_reject_insert(st, &r, &err_));
	snprintf(r.union_, sizeof(r.union_), "jd");
	snprintf(r.item, sizeof(r.item), "i3");
	r.raw = "";
	OK(st->ops->tx_commit(st, &err_));
	/* a rolled-back window leaves no gap in the numbers */
	OK(st->ops->tx_begin(st, &err_));
	r.at = 33;
	OK(f->sync_reject_insert(st, &r, &err_));
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	r.at = 32;
	OK(f->sync_reject_insert(st, &r, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(f->sync_reject_each(st, "", reject_cb, &rj, &err_));
	assert_string_equal(rj.text,
			    "1 jd i1 10-20 amount: must be >= 0, got -1 raw={\"a\":\"二\"} at=30;"
			    "2 pdd  10-20 amount: must be >= 0, got -1 raw=NULL at=31;"
			    "3 jd i3 10-20 amount: must be >= 0, got -1 raw= at=32;");
	struct seen_text jd = {0};
	OK(f->sync_reject_each(st, "jd", reject_cb, &jd, &err_));
	assert_int_equal(jd.n, 2);
	assert_non_null(strstr(jd.text, "3 jd i3"));
	assert_null(strstr(jd.text, "pdd"));
	struct seen_text one = {.stop_after = 1};
	OK(f->sync_reject_each(st, "", reject_cb, &one, &err_));
	assert_int_equal(one.n, 1);
}

static void test_feeds_sqlite(void **state)
{
	(void)state;
	char path[512];
	struct store *st = test_store_fresh(TEST_FRESH_SQLITE, path, sizeof(path));
	feeds_contract(st);
	st->ops->close(st);
	remove(path);
}

static void test_feeds_pg(void **state)
{
	(void)state;
	char uri[512];
	struct store *st = test_store_fresh(TEST_FRESH_PG_ICU, uri, sizeof(uri));
	feeds_contract(st);
	st->ops->close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feeds_sqlite),
		cmocka_unit_test(test_feeds_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

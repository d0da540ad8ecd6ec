/* test_pg_server.c — the server module's storage contract, run alike on a
 * fresh SQLite store and a fresh PostgreSQL store: every operation of
 * server_store.h with its absent cases, duplicates, limits, iteration
 * order and early stops, asserted against the expected values on each
 * backend; and, on PostgreSQL, the click writer appending beside a writer
 * that holds the writer lock. */
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

struct backend {
	bool pg;
	char uri[512];
	struct store *st;
};

/* ---- raw SQL on either backend (seeding the money core's tables, which
 * other modules own, and looking at what the operations wrote) ---- */

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

static int64_t query_int(struct backend *b, const char *sql)
{
	struct tk_error err = {0};
	int64_t v = -1;
	if (b->pg) {
		if (pg_int_of(pg_of(b->st), NULL, sql, NULL, -1, &v, "query", &err))
			fail_msg("%s: %s", sql, err.msg);
		return v;
	}
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(sqlite_of(b->st)->db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void query_text(struct backend *b, const char *sql, char *out, size_t size)
{
	struct tk_error err = {0};
	out[0] = '\0';
	if (b->pg) {
		PGresult *r = pg_run(pg_of(b->st), NULL, sql, NULL, "query", &err);
		if (!r)
			fail_msg("%s: %s", sql, err.msg);
		if (PQntuples(r) > 0)
			pg_copy(r, 0, 0, out, size);
		PQclear(r);
		return;
	}
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(sqlite_of(b->st)->db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
}

static void open_backend(struct backend *b, bool pg)
{
	memset(b, 0, sizeof(*b));
	b->pg = pg;
	b->st = test_store_fresh(pg ? TEST_FRESH_PG : TEST_FRESH_SQLITE, b->uri, sizeof(b->uri));
}

static void close_backend(struct backend *b)
{
	b->st->ops->close(b->st);
	if (!b->pg) {
		char side[600];
		unlink(b->uri);
		snprintf(side, sizeof(side), "%s-wal", b->uri);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", b->uri);
		unlink(side);
	}
}

/* Rows every backend gets the same, in plain SQL both understand. */
static void seed(struct backend *b)
{
	exec_sql(b,
		 "INSERT INTO members(id, ext, parent, level, name, depth, direct_count, team_count,"
		 " created_at) VALUES"
		 " (1, 'alice', NULL, 'L1', 'Alice Wang', 0, 2, 3, 100),"
		 " (2, 'bob', 1, 'L2', 'Bob', 1, 1, 1, 101),"
		 " (3, 'carol', 1, 'L1', 'Carol alice fan', 1, 0, 0, 102),"
		 " (4, 'dave', 2, 'L1', 'Dave', 2, 0, 0, 103),"
		 " (5, 'al%ice', NULL, 'L1', 'Percent', 0, 0, 0, 104),"
		 " (6, 'alpha', NULL, 'L1', 'Zed', 0, 0, 0, 105),"
		 " (7, 'Alps', NULL, 'L1', 'Upper', 0, 0, 0, 106)");
	exec_sql(b,
		 "INSERT INTO items(id, union_, item_key, order_no, status, modified_at, amount,"
		 " commission, quantity, attribution, plan_version, self_purchase, n_chain, platform,"
		 " first_seen_at) VALUES"
		 " (1, 'jd', 'k2', 'O1', 1, 10, 1000, 100, 1, 3, 1, 0, 1, 10, 10),"
		 " (2, 'jd', 'k1', 'O1', 1, 10, 1000, 100, 1, 3, 1, 0, 1, 10, 10),"
		 " (3, 'taobao', 'k0', 'O1', 1, 10, 1000, 100, 1, 3, 1, 0, 1, 10, 10),"
		 " (4, 'jd', 'K3', 'O1', 1, 10, 1000, 100, 1, 3, 1, 0, 1, 10, 10),"
		 " (5, 'jd', 'k9', 'O2', 1, 10, 1000, 100, 1, 3, 1, 0, 1, 10, 10)");
	exec_sql(b,
		 "INSERT INTO item_events(id, prev, status, commission, modified_at, applied_at, note)"
		 " VALUES (1, 0, 0, 100, 10, 11, NULL), (2, 1, 1, 100, 20, 21, 'moved'),"
		 " (3, 2, 2, 90, 30, 31, NULL), (4, 0, 0, 7, 40, 41, NULL)");
	/* member m's accounts are m*8 .. m*8+7; the platform's 0..7 */
	exec_sql(b,
		 "INSERT INTO transfers(id, debit, credit, amount, code, item, withdrawal, at) VALUES"
		 " (1, 1, 2, 100, 1, NULL, NULL, 50),"
		 " (2, 1, 8, 60, 1, 2, NULL, 51),"
		 " (3, 8, 9, 60, 2, 2, NULL, 52),"
		 " (4, 1, 16, 30, 1, 1, NULL, 53),"
		 " (5, 10, 3, 20, 3, NULL, 1, 54)");
	exec_sql(b,
		 "INSERT INTO withdrawals(id, member, amount, fee, available_before, method, account,"
		 " status, requested_at, decided_at, paid_at, payee, reason, bank, branch) VALUES"
		 " (1, 1, 500, 10, 1000, 'alipay', 'acc', 0, 200, 0, 0, '王小明', '', '', ''),"
		 " (2, 2, 300, 0, 300, 'bank', '6222', 2, 201, 202, 203, '', '', '招商银行', '科技园支行'),"
		 " (3, 1, 100, 0, 500, 'alipay', 'acc', 3, 204, 205, 0, '', '账号与实名不符', '', '')");
	exec_sql(b,
		 "INSERT INTO daily_stats(day, dim, key, orders, gmv, commission, clicks,"
		 " unique_clicks) VALUES"
		 " (100, 1, '1', 2, 500, 50, 5, 4), (101, 1, '1', 1, 100, 10, 1, 1),"
		 " (100, 1, '2', 3, 50, 5, 0, 0), (102, 1, '2', 0, 0, 0, 9, 2),"
		 " (101, 1, 'B', 3, 40, 4, 0, 0), (100, 1, 'a', 3, 30, 3, 0, 0),"
		 " (103, 1, 'z', 9, 9, 9, 9, 9), (100, 2, 'jd:1', 7, 7, 7, 7, 7)");
	exec_sql(b,
		 "INSERT INTO tags(union_, kind, value, member, created_at) VALUES"
		 " ('jd', 'pid', 'p2', 1, 1), ('jd', 'pid', 'P1', 1, 1),"
		 " ('taobao', 'adzone', 'a', 1, 1), ('jd', 'sub', 'x', 2, 1)");
}

/* ---- collecting callbacks ---- */

#define MAX_SEEN 64

struct seen {
	int n, stop_after; /* 0: never stop */
	int64_t id[MAX_SEEN];
	char text[MAX_SEEN][4096];
};

static bool keep(struct seen *s, int64_t id, const char *text)
{
	if (s->n < MAX_SEEN) {
		s->id[s->n] = id;
		snprintf(s->text[s->n], sizeof(s->text[0]), "%s", text ? text : "");
	}
	s->n++;
	return !s->stop_after || s->n < s->stop_after;
}

static bool apikey_cb(void *ctx, const struct apikey_rec *k)
{
	char t[512];
	snprintf(t, sizeof(t), "%s/%s/%lld", k->name, k->prefix, (long long)k->revoked_at);
	return keep(ctx, k->id, t);
}

static bool link_cb(void *ctx, const struct link_rec *l)
{
	char t[512];
	snprintf(t, sizeof(t), "%s %s %lld/%lld/%lld r%lld", l->code, l->member_ext,
		 (long long)l->clicks, (long long)l->unique_clicks, (long long)l->bot_clicks,
		 (long long)l->revoked_at);
	return keep(ctx, l->id, t);
}

static bool conv_cb(void *ctx, const struct conversion_rec *c)
{
	return keep(ctx, c->id, c->product);
}

static bool sum_cb(void *ctx, int64_t link, int64_t clicks, int64_t unique_clicks,
		   int64_t bot_clicks)
{
	char t[512];
	snprintf(t, sizeof(t), "%lld/%lld/%lld", (long long)clicks, (long long)unique_clicks,
		 (long long)bot_clicks);
	return keep(ctx, link, t);
}

static bool recent_cb(void *ctx, int64_t link, const uint8_t *ip_hash, int64_t at)
{
	char t[512];
	snprintf(t, sizeof(t), "%lld ip%d", (long long)at, ip_hash[0]);
	return keep(ctx, link, t);
}

static bool tag_cb(void *ctx, const char *union_, const char *kind, const char *value)
{
	char t[512];
	snprintf(t, sizeof(t), "%s/%s/%s", union_, kind, value);
	return keep(ctx, 0, t);
}

static bool member_cb(void *ctx, const struct member_rec *m)
{
	char t[512];
	snprintf(t, sizeof(t), "%s p%lld %s d%d %lld/%lld", m->ext, (long long)m->parent, m->level,
		 (int)m->depth, (long long)m->direct_count, (long long)m->team_count);
	return keep(ctx, m->id, t);
}

static bool item_key_cb(void *ctx, const char *union_, const char *item_key)
{
	char t[512];
	snprintf(t, sizeof(t), "%s:%s", union_, item_key);
	return keep(ctx, 0, t);
}

static bool event_cb(void *ctx, const struct item_event_rec *ev)
{
	char t[512];
	snprintf(t, sizeof(t), "s%d c%lld m%lld a%lld '%s'", ev->status, (long long)ev->commission,
		 (long long)ev->modified_at, (long long)ev->applied_at, ev->note);
	return keep(ctx, ev->id, t);
}

static bool ledger_cb(void *ctx, const struct ledger_entry *e)
{
	char t[512];
	snprintf(t, sizeof(t), "%lld>%lld %lld c%d i%lld w%lld @%lld %s:%s", (long long)e->t.debit,
		 (long long)e->t.credit, (long long)e->t.amount, (int)e->t.code,
		 (long long)e->t.item, (long long)e->t.withdrawal, (long long)e->t.at, e->union_,
		 e->item_key);
	return keep(ctx, e->t.id, t);
}

static bool wd_cb(void *ctx, const struct withdrawal_rec *w, const char *ext, const char *name)
{
	char t[4096];
	snprintf(t, sizeof(t), "%s(%s) %lld-%lld b%lld %s/%s/%s%s%s%s%s s%d %lld/%lld/%lld%s%s", ext,
		 name, (long long)w->amount, (long long)w->fee, (long long)w->available_before,
		 w->method, w->account, w->payee, w->bank[0] ? "/" : "", w->bank,
		 w->branch[0] ? "/" : "", w->branch, (int)w->status, (long long)w->requested_at,
		 (long long)w->decided_at, (long long)w->paid_at, w->reason[0] ? " why:" : "",
		 w->reason);
	return keep(ctx, w->id, t);
}

static bool stats_cb(void *ctx, int64_t day, const char *key, const int64_t v[STAT_N])
{
	char t[512];
	snprintf(t, sizeof(t), "%lld %s o%lld g%lld c%lld k%lld u%lld", (long long)day, key,
		 (long long)v[STAT_ORDERS], (long long)v[STAT_GMV], (long long)v[STAT_COMMISSION],
		 (long long)v[STAT_CLICKS], (long long)v[STAT_UNIQUE_CLICKS]);
	return keep(ctx, day, t);
}

/* "id text|id text|..." of what a walk saw, to compare at a glance */
static const char *seen_str(const struct seen *s)
{
	static char out[16384];
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < s->n && i < MAX_SEEN && o < sizeof(out); i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%lld %s", i ? "|" : "",
				      (long long)s->id[i], s->text[i]);
	return out;
}

static const char *texts(const struct seen *s)
{
	static char out[16384];
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < s->n && i < MAX_SEEN && o < sizeof(out); i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? "|" : "", s->text[i]);
	return out;
}

static void hash_of(uint8_t h[SERVER_HASH_BYTES], int v)
{
	memset(h, 0, SERVER_HASH_BYTES);
	h[0] = (uint8_t)v;
	h[31] = 0xee;
}

#define OK(call)                                                                      \
	do {                                                                          \
		struct tk_error e_ = {0};                                             \
		struct tk_error *err = &e_;                                           \
		enum tk_rc rc_ = (call);                                              \
		if (rc_)                                                              \
			fail_msg("%s: %s", #call, err->msg);                          \
	} while (0)
#define RC(want, call)                                                        \
	do {                                                                  \
		struct tk_error e_ = {0};                                     \
		struct tk_error *err = &e_;                                   \
		assert_int_equal((call), (want));                             \
	} while (0)

/* ---- the contract ---- */

static void secrets(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	uint8_t a[32], a2[32], c[16];
	RC(TK_EINVAL, o->secret_get(st, "k", a, 0, err));
	RC(TK_EINVAL, o->secret_get(st, "k", a, 65, err));
	OK(o->secret_get(st, "click-key", a, sizeof(a), err));
	OK(o->secret_get(st, "click-key", a2, sizeof(a2), err));
	assert_memory_equal(a, a2, sizeof(a)); /* created once */
	OK(o->secret_get(st, "other", c, sizeof(c), err));
	assert_memory_not_equal(a, c, sizeof(c));
	/* a secret asked for with another length is refused, not replaced */
	struct tk_error e = {0};
	assert_int_equal(o->secret_get(st, "other", a, sizeof(a), &e), TK_EIO);
	assert_non_null(strstr(e.msg, "wrong length"));
	assert_int_equal(query_int(b, "SELECT count(*) FROM server_secrets"), 2);
}

static void apikeys(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	uint8_t h1[32], h2[32], h3[32];
	hash_of(h1, 1);
	hash_of(h2, 2);
	hash_of(h3, 3);
	struct apikey_rec k = {.created_at = 10, .role = "admin"};
	snprintf(k.name, sizeof(k.name), "ops");
	snprintf(k.prefix, sizeof(k.prefix), "tk_aaaa");
	OK(o->apikey_insert(st, &k, h1, err));
	assert_int_equal(k.id, 1);
	snprintf(k.name, sizeof(k.name), "cron");
	snprintf(k.prefix, sizeof(k.prefix), "tk_bbbb");
	k.created_at = 11;
	OK(o->apikey_insert(st, &k, h2, err));
	assert_int_equal(k.id, 2);
	/* a hash is unique */
	RC(TK_ECONFLICT, o->apikey_insert(st, &k, h2, err));

	struct apikey_rec f;
	OK(o->apikey_find(st, h2, &f, err));
	assert_int_equal(f.id, 2);
	assert_string_equal(f.name, "cron");
	assert_string_equal(f.prefix, "tk_bbbb");
	assert_int_equal(f.created_at, 11);
	assert_int_equal(f.revoked_at, 0);
	struct tk_error e = {0};
	assert_int_equal(o->apikey_find(st, h3, &f, &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "authorization");

	OK(o->apikey_revoke(st, 1, 50, err));
	OK(o->apikey_revoke(st, 1, 60, err)); /* keeps the first time */
	RC(TK_ENOTFOUND, o->apikey_find(st, h1, &f, err));
	assert_int_equal(o->apikey_revoke(st, 99, 60, &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "id");

	struct seen s = {0};
	OK(o->apikey_each(st, apikey_cb, &s, err));
	assert_string_equal(seen_str(&s), "1 ops/tk_aaaa/50|2 cron/tk_bbbb/0");
	struct seen one = {.stop_after = 1};
	OK(o->apikey_each(st, apikey_cb, &one, err));
	assert_int_equal(one.n, 1);
}

static void passwords_sessions(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	char hash[PASSWORD_HASH_MAX];
	RC(TK_ENOTFOUND, o->password_get(st, 1, hash, err));
	OK(o->password_set(st, 1, "$argon2id$v=19$m=65536,t=2,p=1$first", 10, err));
	OK(o->password_get(st, 1, hash, err));
	assert_string_equal(hash, "$argon2id$v=19$m=65536,t=2,p=1$first");
	OK(o->password_set(st, 1, "$argon2id$v=19$second", 20, err));
	OK(o->password_get(st, 1, hash, err));
	assert_string_equal(hash, "$argon2id$v=19$second");
	assert_int_equal(query_int(b, "SELECT updated_at FROM member_passwords WHERE member = 1"), 20);
	RC(TK_ENOTFOUND, o->password_get(st, 2, hash, err));
	/* a member that does not exist is refused */
	RC(TK_ECONFLICT, o->password_set(st, 999, "$argon2id$x", 10, err));
	RC(TK_ENOTFOUND, o->password_get(st, 999, hash, err));

	uint8_t s1[32], s2[32], s3[32];
	hash_of(s1, 11);
	hash_of(s2, 12);
	hash_of(s3, 13);
	OK(o->session_insert(st, s1, 1, 100, 200, err));
	OK(o->session_insert(st, s2, 1, 100, 300, err));
	OK(o->session_insert(st, s3, 2, 100, 150, err));
	RC(TK_ECONFLICT, o->session_insert(st, s3, 2, 100, 150, err));
	int64_t member = 0, expires = 0;
	OK(o->session_get(st, s1, 199, &member, &expires, err));
	assert_int_equal(member, 1);
	assert_int_equal(expires, 200);
	struct tk_error e = {0};
	assert_int_equal(o->session_get(st, s1, 200, &member, &expires, &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "authorization");
	OK(o->session_delete(st, s1, err));
	RC(TK_ENOTFOUND, o->session_get(st, s1, 0, &member, &expires, err));
	OK(o->session_delete(st, s1, err)); /* deleting what is gone is fine */
	OK(o->session_insert(st, s1, 1, 100, 200, err));
	OK(o->session_delete_member(st, 1, err));
	RC(TK_ENOTFOUND, o->session_get(st, s2, 0, &member, &expires, err));
	OK(o->session_get(st, s3, 0, &member, &expires, err));
	assert_int_equal(member, 2);

	/* idempotency records, per principal and key */
	struct idem_rec r = {.status = 201, .body = "{\"id\":1}", .created_at = 1000}, got;
	hash_of(r.request_hash, 21);
	RC(TK_ENOTFOUND, o->idem_get(st, "key:1", "abc", &got, err));
	OK(o->idem_put(st, "key:1", "abc", &r, err));
	struct idem_rec bare = {.status = 200, .created_at = 900};
	OK(o->idem_put(st, "key:2", "abc", &bare, err));
	OK(o->idem_get(st, "key:1", "abc", &got, err));
	assert_int_equal(got.status, 201);
	assert_string_equal(got.body, "{\"id\":1}");
	assert_int_equal(got.created_at, 1000);
	assert_memory_equal(got.request_hash, r.request_hash, SERVER_HASH_BYTES);
	free(got.body);
	r.status = 409;
	r.body = "{\"error\":\"已存在\"}";
	r.created_at = 1001;
	OK(o->idem_put(st, "key:1", "abc", &r, err)); /* replaces */
	OK(o->idem_get(st, "key:1", "abc", &got, err));
	assert_int_equal(got.status, 409);
	assert_string_equal(got.body, "{\"error\":\"已存在\"}");
	free(got.body);
	OK(o->idem_get(st, "key:2", "abc", &got, err));
	assert_string_equal(got.body, "");
	free(got.body);
	OK(o->idem_delete(st, "key:1", "abc", err));
	RC(TK_ENOTFOUND, o->idem_get(st, "key:1", "abc", &got, err));
	OK(o->idem_put(st, "key:1", "abc", &r, err));

	/* purge: sessions expired at now, records created before the cut */
	OK(o->purge(st, 150, 1000, err));
	RC(TK_ENOTFOUND, o->session_get(st, s3, 0, &member, &expires, err));
	RC(TK_ENOTFOUND, o->idem_get(st, "key:2", "abc", &got, err));
	OK(o->idem_get(st, "key:1", "abc", &got, err));
	free(got.body);
}

static struct link_rec *new_link(const char *code, int64_t member, const char *union_,
				 const char *product, const char *channel, int64_t at)
{
	static struct link_rec l;
	memset(&l, 0, sizeof(l));
	snprintf(l.code, sizeof(l.code), "%s", code);
	l.member = member;
	snprintf(l.union_, sizeof(l.union_), "%s", union_);
	snprintf(l.product, sizeof(l.product), "%s", product);
	snprintf(l.channel, sizeof(l.channel), "%s", channel);
	snprintf(l.target, sizeof(l.target), "https://item.jd.com/%s.html", product);
	l.created_at = at;
	return &l;
}

static void links(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	int64_t changes0 = query_int(b, "SELECT count(*) FROM changes WHERE what = 3");
	assert_int_equal(changes0, 0);

	/* a taken code is an answer: the transaction goes on and commits */
	OK(st->ops->tx_begin(st, err));
	struct link_rec *l = new_link("aaaa", 1, "jd", "100", "", 10);
	OK(o->link_insert(st, l, err));
	assert_int_equal(l->id, 1);
	l = new_link("aaaa", 2, "jd", "200", "", 11);
	struct tk_error e = {0};
	assert_int_equal(o->link_insert(st, l, &e), TK_ECONFLICT);
	assert_string_equal(e.field, "code");
	assert_non_null(strstr(e.msg, "\"aaaa\" is taken"));
	snprintf(l->code, sizeof(l->code), "bbbb");
	OK(o->link_insert(st, l, err));
	assert_int_equal(l->id, 2); /* no id spent on the refused row */
	OK(o->link_insert(st, new_link("cccc", 1, "jd", "100", "", 12), err));
	OK(o->link_insert(st, new_link("dddd", 1, "jd", "100", "wx", 13), err));
	OK(o->link_insert(st, new_link("eeee", 1, "", "", "", 14), err));
	OK(st->ops->tx_commit(st, err));
	assert_int_equal(query_int(b, "SELECT count(*) FROM links"), 5);
	/* every new link is in the change log, in order */
	assert_int_equal(query_int(b, "SELECT count(*) FROM changes WHERE what = 3"), 5);
	assert_int_equal(query_int(b, "SELECT id FROM changes WHERE what = 3 ORDER BY seq DESC LIMIT 1"),
			 5);

	struct link_rec g;
	OK(o->link_get(st, "bbbb", &g, err));
	assert_int_equal(g.id, 2);
	assert_int_equal(g.member, 2);
	assert_string_equal(g.member_ext, "bob");
	assert_string_equal(g.union_, "jd");
	assert_string_equal(g.product, "200");
	assert_string_equal(g.target, "https://item.jd.com/200.html");
	assert_int_equal(g.created_at, 11);
	assert_int_equal(g.clicks + g.unique_clicks + g.bot_clicks + g.revoked_at + g.conversion, 0);
	assert_false(g.demo);
	assert_int_equal(o->link_get(st, "zzzz", &g, &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "code");
	assert_string_equal(e.msg, "no link \"zzzz\"");
	OK(o->link_get_id(st, 3, &g, err));
	assert_string_equal(g.code, "cccc");
	assert_int_equal(o->link_get_id(st, 42, &g, &e), TK_ENOTFOUND);
	assert_string_equal(e.msg, "no link 42");

	/* the newest live link to a product through a channel */
	OK(o->link_find(st, 1, "jd", "100", "", &g, err));
	assert_int_equal(g.id, 3);
	OK(o->link_find(st, 1, "jd", "100", "wx", &g, err));
	assert_int_equal(g.id, 4);
	assert_int_equal(o->link_find(st, 2, "jd", "100", "", &g, &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "product");

	OK(st->ops->tx_begin(st, err));
	OK(o->link_revoke(st, 3, 70, err));
	OK(o->link_revoke(st, 3, 80, err)); /* keeps the first time */
	OK(st->ops->tx_commit(st, err));
	OK(o->link_get_id(st, 3, &g, err));
	assert_int_equal(g.revoked_at, 70);
	OK(o->link_find(st, 1, "jd", "100", "", &g, err));
	assert_int_equal(g.id, 1); /* the revoked one no longer */
	/* the revoke is logged once: the second matched no row */
	assert_int_equal(query_int(b, "SELECT count(*) FROM changes WHERE what = 3"), 6);

	struct seen s = {0};
	OK(o->link_each(st, link_cb, &s, err));
	assert_string_equal(seen_str(&s), "1 aaaa alice 0/0/0 r0|2 bbbb bob 0/0/0 r0|"
					  "3 cccc alice 0/0/0 r70|4 dddd alice 0/0/0 r0|"
					  "5 eeee alice 0/0/0 r0");
	struct seen two = {.stop_after = 2};
	OK(o->link_each(st, link_cb, &two, err));
	assert_int_equal(two.n, 2);

	struct seen p = {0};
	OK(o->link_page(st, 0, 0, 3, link_cb, &p, err));
	assert_string_equal(texts(&p), "eeee alice 0/0/0 r0|dddd alice 0/0/0 r0|"
				       "cccc alice 0/0/0 r70");
	memset(&p, 0, sizeof(p));
	OK(o->link_page(st, 0, 3, 10, link_cb, &p, err));
	assert_int_equal(p.n, 2);
	assert_int_equal(p.id[0], 2);
	assert_int_equal(p.id[1], 1);
	memset(&p, 0, sizeof(p));
	OK(o->link_page(st, 1, 5, 10, link_cb, &p, err));
	assert_int_equal(p.n, 3);
	assert_int_equal(p.id[0], 4);
	assert_int_equal(p.id[2], 1);
	memset(&p, 0, sizeof(p));
	OK(o->link_page(st, 2, 0, 0, link_cb, &p, err));
	assert_int_equal(p.n, 0);
	OK(o->link_page(st, 99, 0, 10, link_cb, &p, err));
	assert_int_equal(p.n, 0);
}

static struct conversion_rec *new_conv(int64_t member, const char *product, const char *url,
				       int64_t expires)
{
	static struct conversion_rec c;
	memset(&c, 0, sizeof(c));
	c.member = member;
	snprintf(c.union_, sizeof(c.union_), "jd");
	snprintf(c.product, sizeof(c.product), "%s", product);
	snprintf(c.url, sizeof(c.url), "%s", url);
	snprintf(c.long_url, sizeof(c.long_url), "%s?long", url);
	c.converted_at = 100;
	c.expires_at = expires;
	return &c;
}

static void conversions(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	struct conversion_rec got;
	struct tk_error e = {0};
	assert_int_equal(o->conversion_get(st, 1, "jd", "300", "", "", &got, &e), TK_ENOTFOUND);
	assert_string_equal(e.msg, "no conversion yet");

	/* outside a transaction: it opens its own */
	struct conversion_rec *c = new_conv(1, "300", "https://u.jd.com/one", 5000);
	snprintf(c->tpwd, sizeof(c->tpwd), "￥AbC￥");
	c->demo = true;
	OK(o->conversion_put(st, c, err));
	assert_int_equal(c->id, 1);
	OK(o->conversion_get(st, 1, "jd", "300", "", "", &got, err));
	assert_int_equal(got.id, 1);
	assert_string_equal(got.url, "https://u.jd.com/one");
	assert_string_equal(got.long_url, "https://u.jd.com/one?long");
	assert_string_equal(got.tpwd, "￥AbC￥");
	assert_true(got.demo);
	assert_int_equal(got.expires_at, 5000);
	RC(TK_ENOTFOUND, o->conversion_get(st, 1, "jd", "300", "coupon", "", &got, err));

	/* links made from it; one revoked */
	OK(st->ops->tx_begin(st, err));
	struct link_rec *l = new_link("conv1", 1, "jd", "300", "", 20);
	snprintf(l->target, sizeof(l->target), "https://u.jd.com/one");
	l->conversion = 1;
	OK(o->link_insert(st, l, err));
	l = new_link("conv2", 1, "jd", "300", "wx", 21);
	snprintf(l->target, sizeof(l->target), "https://u.jd.com/one");
	l->conversion = 1;
	OK(o->link_insert(st, l, err));
	OK(o->link_revoke(st, l->id, 22, err));
	OK(st->ops->tx_commit(st, err));
	struct link_rec g;
	OK(o->link_get(st, "conv1", &g, err));
	assert_int_equal(g.conversion, 1);
	assert_int_equal(g.expires_at, 5000);
	assert_true(g.demo);

	int64_t logged = query_int(b, "SELECT count(*) FROM changes WHERE what = 3");
	/* a fresh one for the same key keeps its id and re-targets the live
	 * link only, in the caller's transaction */
	OK(st->ops->tx_begin(st, err));
	c = new_conv(1, "300", "https://u.jd.com/two", 9000);
	OK(o->conversion_put(st, c, err));
	OK(st->ops->tx_commit(st, err));
	assert_int_equal(c->id, 1);
	OK(o->conversion_get(st, 1, "jd", "300", "", "", &got, err));
	assert_string_equal(got.url, "https://u.jd.com/two");
	assert_string_equal(got.tpwd, "");
	assert_false(got.demo);
	OK(o->link_get(st, "conv1", &g, err));
	assert_string_equal(g.target, "https://u.jd.com/two");
	assert_int_equal(g.expires_at, 9000);
	OK(o->link_get(st, "conv2", &g, err));
	assert_string_equal(g.target, "https://u.jd.com/one");
	assert_int_equal(query_int(b, "SELECT count(*) FROM changes WHERE what = 3"), logged + 1);
	/* the same URL again re-targets nothing */
	OK(o->conversion_put(st, c, err));
	assert_int_equal(query_int(b, "SELECT count(*) FROM changes WHERE what = 3"), logged + 1);

	/* the next new one gets the next id: the refreshes spent none */
	c = new_conv(1, "400", "https://u.jd.com/three", 3000);
	OK(o->conversion_put(st, c, err));
	assert_int_equal(c->id, 2);
	c = new_conv(2, "500", "https://u.jd.com/four", 3000);
	OK(o->conversion_put(st, c, err));
	assert_int_equal(c->id, 3);
	c = new_conv(2, "600", "https://u.jd.com/five", 100);
	OK(o->conversion_put(st, c, err)); /* no link uses it */
	OK(st->ops->tx_begin(st, err));
	const char *codes[] = {"conv3", "conv4"};
	for (int i = 0; i < 2; i++) {
		l = new_link(codes[i], i + 1, "jd", i ? "500" : "400", "", 30);
		l->conversion = i + 2;
		OK(o->link_insert(st, l, err));
	}
	OK(st->ops->tx_commit(st, err));

	struct seen s = {0};
	OK(o->conversion_expiring(st, 10000, 10, conv_cb, &s, err));
	assert_string_equal(seen_str(&s), "2 400|3 500|1 300"); /* soonest, then id */
	memset(&s, 0, sizeof(s));
	OK(o->conversion_expiring(st, 9000, 1, conv_cb, &s, err));
	assert_string_equal(seen_str(&s), "2 400");
	memset(&s, 0, sizeof(s));
	OK(o->conversion_expiring(st, 3000, 10, conv_cb, &s, err));
	assert_int_equal(s.n, 0);

	/* a chat group's conversion of the same product is its own */
	c = new_conv(1, "300", "https://u.jd.com/group", 7000);
	snprintf(c->channel, sizeof(c->channel), "g1");
	OK(o->conversion_put(st, c, err));
	assert_int_equal(c->id, 5);
	OK(o->conversion_get(st, 1, "jd", "300", "", "g1", &got, err));
	assert_string_equal(got.url, "https://u.jd.com/group");
	assert_string_equal(got.channel, "g1");
	OK(o->conversion_get(st, 1, "jd", "300", "", "", &got, err));
	assert_string_equal(got.url, "https://u.jd.com/two");
	assert_string_equal(got.channel, "");
	RC(TK_ENOTFOUND, o->conversion_get(st, 1, "jd", "300", "", "g2", &got, err));
}

static void clicks(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	int64_t last = -1, v = -1;
	OK(o->click_last_id(st, &last, err));
	assert_int_equal(last, 0);
	OK(o->state_get(st, "link_counts_upto", &v, err));
	assert_int_equal(v, 0);

	/* more than one statement's worth on either backend */
	size_t n = 5003;
	struct click_rec *c = calloc(n, sizeof(*c));
	assert_non_null(c);
	for (size_t i = 0; i < n; i++) {
		c[i].at = 1000 + (int64_t)i / 10;
		c[i].link = 1 + (int64_t)(i % 3);
		c[i].ip_hash[0] = (uint8_t)(i % 7);
		c[i].ip_hash[15] = 0x5a;
		c[i].ua_hash[7] = (uint8_t)i;
		c[i].bot = i % 5 == 0;
		c[i].unique = i % 2 == 0;
		snprintf(c[i].referrer, sizeof(c[i].referrer), "%s", i % 4 ? "m.jd.com" : "");
	}
	snprintf(c[4].referrer, sizeof(c[4].referrer), "we\"ird\\host,{x}");
	OK(st->ops->tx_begin(st, err));
	OK(o->click_insert(st, "web-1:8080", c, n, err));
	OK(o->click_insert(st, "web-1:8080", c, 0, err));
	OK(st->ops->tx_commit(st, err));
	OK(o->click_last_id(st, &last, err));
	assert_int_equal(last, (int64_t)n);
	assert_int_equal(query_int(b, "SELECT count(*) FROM clicks"), (int64_t)n);
	assert_int_equal(query_int(b, "SELECT count(*) FROM clicks WHERE node = 'web-1:8080'"),
			 (int64_t)n);
	/* ids follow the batch's order */
	assert_int_equal(query_int(b, "SELECT at FROM clicks WHERE id = 5003"), 1000 + 5002 / 10);
	assert_int_equal(query_int(b, "SELECT link FROM clicks WHERE id = 4097"), 1 + 4096 % 3);
	assert_int_equal(query_int(b, "SELECT length(ua_hash) FROM clicks WHERE id = 2"), 8);
	char ref[96];
	query_text(b, "SELECT referrer FROM clicks WHERE id = 5", ref, sizeof(ref));
	assert_string_equal(ref, "we\"ird\\host,{x}");
	query_text(b, "SELECT referrer FROM clicks WHERE id = 1", ref, sizeof(ref));
	assert_string_equal(ref, "");

	/* another node's clicks after them: 5004 and 5005 on link 2, 5006 on 9 */
	struct click_rec other[3] = {{.at = 1600, .link = 2, .unique = true},
				     {.at = 1600, .link = 2, .bot = true},
				     {.at = 1601, .link = 9}};
	OK(st->ops->tx_begin(st, err));
	OK(o->click_insert(st, "web-2:8080", other, 3, err));
	OK(st->ops->tx_commit(st, err));
	OK(o->click_last_id(st, &last, err));
	assert_int_equal(last, (int64_t)n + 3);
	assert_int_equal(query_int(b, "SELECT count(*) FROM clicks WHERE node = 'web-2:8080'"), 3);

	/* the sums after click 5000: clicks 5001..5003 are i = 5000..5002,
	 * the other node's left out */
	struct seen s = {0};
	OK(o->click_sums_after(st, "web-1:8080", 5000, sum_cb, &s, err));
	/* i=5000: link 3, bot, unique; 5001: link 1; 5002: link 2, unique */
	assert_string_equal(seen_str(&s), "1 1/0/0|2 1/1/0|3 0/1/1");
	memset(&s, 0, sizeof(s));
	OK(o->click_sums_after(st, "web-2:8080", 5000, sum_cb, &s, err));
	assert_string_equal(seen_str(&s), "2 1/1/1|9 1/0/0");
	memset(&s, 0, sizeof(s));
	OK(o->click_sums_after(st, "web-2:8080", 5004, sum_cb, &s, err));
	assert_string_equal(seen_str(&s), "2 0/0/1|9 1/0/0");
	memset(&s, 0, sizeof(s));
	OK(o->click_sums_after(st, "web-3:8080", 0, sum_cb, &s, err));
	assert_int_equal(s.n, 0);
	OK(o->click_sums_after(st, "web-1:8080", 0, sum_cb, &s, err));
	assert_int_equal(s.n, 3);
	int64_t bots = 0;
	for (size_t i = 0; i < n; i++)
		bots += c[i].link == 1 && c[i].bot;
	char want[64];
	int64_t ones = 0, uniq = 0;
	for (size_t i = 0; i < n; i++) {
		ones += c[i].link == 1 && !c[i].bot;
		uniq += c[i].link == 1 && c[i].unique;
	}
	snprintf(want, sizeof(want), "%lld/%lld/%lld", (long long)ones, (long long)uniq,
		 (long long)bots);
	assert_string_equal(s.text[0], want);
	struct seen one = {.stop_after = 1};
	OK(o->click_sums_after(st, "web-1:8080", 0, sum_cb, &one, err));
	assert_int_equal(one.n, 1);
	memset(&s, 0, sizeof(s));
	OK(o->click_sums_after(st, "web-1:8080", 6000, sum_cb, &s, err));
	assert_int_equal(s.n, 0);

	/* unique clicks from `since` on, newest first: at 1500 are i = 5000..5002 */
	memset(&s, 0, sizeof(s));
	OK(o->click_recent(st, 1500, recent_cb, &s, err));
	assert_string_equal(seen_str(&s), "2 1600 ip0|2 1500 ip4|3 1500 ip2");
	memset(&s, 0, sizeof(s));
	OK(o->click_recent(st, 1499, recent_cb, &s, err));
	assert_int_equal(s.n, 1 + 2 + 5);
	struct seen first = {.stop_after = 1};
	OK(o->click_recent(st, 0, recent_cb, &first, err));
	assert_int_equal(first.n, 1);
	memset(&s, 0, sizeof(s));
	OK(o->click_recent(st, 1700, recent_cb, &s, err));
	assert_int_equal(s.n, 0);
	free(c);

	/* the counters add up, and show on the link */
	OK(st->ops->tx_begin(st, err));
	OK(o->link_counts_add(st, 2, 10, 4, 1, err));
	OK(o->link_counts_add(st, 2, 5, 1, 2, err));
	OK(o->link_counts_add(st, 4, 1, 1, 0, err));
	OK(o->state_set(st, "link_counts_upto", 5003, err));
	OK(st->ops->tx_commit(st, err));
	struct link_rec g;
	OK(o->link_get_id(st, 2, &g, err));
	assert_int_equal(g.clicks, 15);
	assert_int_equal(g.unique_clicks, 5);
	assert_int_equal(g.bot_clicks, 3);
	OK(o->link_get_id(st, 1, &g, err));
	assert_int_equal(g.clicks, 0);
	OK(o->state_get(st, "link_counts_upto", &v, err));
	assert_int_equal(v, 5003);
	OK(o->state_set(st, "link_counts_upto", 7, err));
	OK(o->state_get(st, "link_counts_upto", &v, err));
	assert_int_equal(v, 7);
	OK(o->state_get(st, "other", &v, err));
	assert_int_equal(v, 0);
}

static void listings(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	struct seen s = {0};
	OK(o->member_tags(st, 1, tag_cb, &s, err));
	assert_string_equal(texts(&s), "jd/pid/P1|jd/pid/p2|taobao/adzone/a");
	struct seen one = {.stop_after = 1};
	OK(o->member_tags(st, 1, tag_cb, &one, err));
	assert_int_equal(one.n, 1);
	memset(&s, 0, sizeof(s));
	OK(o->member_tags(st, 6, tag_cb, &s, err));
	assert_int_equal(s.n, 0);

	memset(&s, 0, sizeof(s));
	OK(o->team_page(st, 1, 0, 10, member_cb, &s, err));
	assert_string_equal(seen_str(&s), "2 bob p1 L2 d1 1/1|3 carol p1 L1 d1 0/0");
	memset(&s, 0, sizeof(s));
	OK(o->team_page(st, 1, 2, 10, member_cb, &s, err));
	assert_string_equal(seen_str(&s), "3 carol p1 L1 d1 0/0");
	memset(&s, 0, sizeof(s));
	OK(o->team_page(st, 1, 0, 1, member_cb, &s, err));
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof(s));
	OK(o->team_page(st, 0, 0, 10, member_cb, &s, err)); /* roots have no parent row */
	assert_int_equal(s.n, 0);

	/* the id, the invite code, ext prefixes (bytewise: 'Alps' is not
	 * 'al...'), then names; each member once */
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "alice", 0, 20, member_cb, &s, err));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 1);
	assert_int_equal(s.id[1], 3);
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "al", 4, 20, member_cb, &s, err));
	assert_int_equal(s.n, 5);
	int64_t want[] = {4, 5, 1, 6, 3};
	for (int i = 0; i < 5; i++)
		assert_int_equal(s.id[i], want[i]);
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "al", 4, 3, member_cb, &s, err));
	assert_int_equal(s.n, 3);
	assert_int_equal(s.id[2], 1);
	struct seen two = {.stop_after = 2};
	OK(o->member_search(st, "al", 4, 20, member_cb, &two, err));
	assert_int_equal(two.n, 2);
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "al%", 0, 20, member_cb, &s, err)); /* % is no wildcard */
	assert_string_equal(seen_str(&s), "5 al%ice p0 L1 d0 0/0");
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "a_", 0, 20, member_cb, &s, err));
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "al*", 0, 20, member_cb, &s, err)); /* GLOB's own: no prefix */
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "Wang", 0, 20, member_cb, &s, err));
	assert_string_equal(seen_str(&s), "1 alice p0 L1 d0 2/3");
	memset(&s, 0, sizeof(s));
	OK(o->member_search(st, "nobody", 0, 20, member_cb, &s, err));
	assert_int_equal(s.n, 0);

	memset(&s, 0, sizeof(s));
	OK(o->order_items(st, "O1", NULL, 10, item_key_cb, &s, err));
	assert_string_equal(texts(&s), "jd:K3|jd:k1|jd:k2|taobao:k0");
	memset(&s, 0, sizeof(s));
	OK(o->order_items(st, "O1", "taobao", 10, item_key_cb, &s, err));
	assert_string_equal(texts(&s), "taobao:k0");
	memset(&s, 0, sizeof(s));
	OK(o->order_items(st, "O1", "jd", 2, item_key_cb, &s, err));
	assert_string_equal(texts(&s), "jd:K3|jd:k1");
	memset(&s, 0, sizeof(s));
	OK(o->order_items(st, "O9", NULL, 10, item_key_cb, &s, err));
	assert_int_equal(s.n, 0);

	memset(&s, 0, sizeof(s));
	OK(o->item_events(st, 3, 10, event_cb, &s, err));
	assert_string_equal(seen_str(&s), "3 s2 c90 m30 a31 ''|2 s1 c100 m20 a21 'moved'|"
					  "1 s0 c100 m10 a11 ''");
	memset(&s, 0, sizeof(s));
	OK(o->item_events(st, 3, 2, event_cb, &s, err));
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof(s));
	OK(o->item_events(st, 3, 0, event_cb, &s, err));
	assert_int_equal(s.n, 0);
	struct seen ev1 = {.stop_after = 1};
	OK(o->item_events(st, 3, 10, event_cb, &ev1, err));
	assert_int_equal(ev1.n, 1);
	memset(&s, 0, sizeof(s));
	OK(o->item_events(st, 4, 10, event_cb, &s, err));
	assert_int_equal(s.n, 1);
	memset(&s, 0, sizeof(s));
	OK(o->item_events(st, 0, 10, event_cb, &s, err));
	OK(o->item_events(st, 99, 10, event_cb, &s, err));
	assert_int_equal(s.n, 0);

	memset(&s, 0, sizeof(s));
	OK(o->ledger_page(st, 1, 0, 10, ledger_cb, &s, err));
	assert_string_equal(seen_str(&s), "5 10>3 20 c3 i0 w1 @54 :|3 8>9 60 c2 i2 w0 @52 jd:k1|"
					  "2 1>8 60 c1 i2 w0 @51 jd:k1");
	memset(&s, 0, sizeof(s));
	OK(o->ledger_page(st, 1, 5, 1, ledger_cb, &s, err));
	assert_string_equal(seen_str(&s), "3 8>9 60 c2 i2 w0 @52 jd:k1");
	memset(&s, 0, sizeof(s));
	OK(o->ledger_page(st, 2, 0, 10, ledger_cb, &s, err));
	assert_string_equal(seen_str(&s), "4 1>16 30 c1 i1 w0 @53 jd:k2");
	memset(&s, 0, sizeof(s));
	OK(o->ledger_page(st, 0, 0, 10, ledger_cb, &s, err)); /* the platform's are not a member's */
	assert_int_equal(s.n, 0);
	struct seen l1 = {.stop_after = 1};
	OK(o->ledger_page(st, 1, 0, 10, ledger_cb, &l1, err));
	assert_int_equal(l1.n, 1);

	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, -1, 0, 0, 0, 10, wd_cb, &s, err));
	assert_string_equal(seen_str(&s),
			    "3 alice(Alice Wang) 100-0 b500 alipay/acc/ s3 204/205/0 why:账号与实名不符|"
			    "2 bob(Bob) 300-0 b300 bank/6222//招商银行/科技园支行 s2 201/202/203|"
			    "1 alice(Alice Wang) 500-10 b1000 alipay/acc/王小明 s0 200/0/0");
	/* requested in [from, to], each bound inclusive, 0 open */
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, -1, 201, 204, 0, 10, wd_cb, &s, err));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 3);
	assert_int_equal(s.id[1], 2);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, -1, 0, 201, 0, 10, wd_cb, &s, err));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 2);
	assert_int_equal(s.id[1], 1);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, -1, 202, 203, 0, 10, wd_cb, &s, err));
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, -1, 0, -1, 0, 10, wd_cb, &s, err)); /* before the epoch */
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 1, -1, 0, 0, 0, 10, wd_cb, &s, err));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 3);
	assert_int_equal(s.id[1], 1);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, 0, 0, 0, 0, 10, wd_cb, &s, err));
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], 1);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 0, -1, 0, 0, 3, 1, wd_cb, &s, err));
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], 2);
	memset(&s, 0, sizeof(s));
	OK(o->withdrawal_page(st, 2, 3, 0, 0, 0, 10, wd_cb, &s, err));
	assert_int_equal(s.n, 0);
}

static void reports(struct backend *b)
{
	struct server_store_ops const *o = b->st->server;
	struct store *st = b->st;
	struct seen s = {0};
	OK(o->stats_series(st, 1, "1", 100, 102, stats_cb, &s, err));
	assert_string_equal(texts(&s), "100 1 o2 g500 c50 k5 u4|101 1 o1 g100 c10 k1 u1");
	memset(&s, 0, sizeof(s));
	OK(o->stats_series(st, 1, "1", 101, 101, stats_cb, &s, err));
	assert_string_equal(texts(&s), "101 1 o1 g100 c10 k1 u1");
	/* a range ending before it starts still holds its first day */
	memset(&s, 0, sizeof(s));
	OK(o->stats_series(st, 1, "1", 101, 50, stats_cb, &s, err));
	assert_string_equal(texts(&s), "101 1 o1 g100 c10 k1 u1");
	memset(&s, 0, sizeof(s));
	OK(o->stats_series(st, 2, "1", 100, 102, stats_cb, &s, err));
	assert_int_equal(s.n, 0);
	struct seen one = {.stop_after = 1};
	OK(o->stats_series(st, 1, "1", 100, 102, stats_cb, &one, err));
	assert_int_equal(one.n, 1);

	/* largest first; ties by key, bytewise ('B' before 'a') */
	memset(&s, 0, sizeof(s));
	OK(o->stats_top(st, 1, 100, 102, STAT_ORDERS, 10, stats_cb, &s, err));
	assert_string_equal(texts(&s), "0 1 o3 g600 c60 k6 u5|0 2 o3 g50 c5 k9 u2|"
				       "0 B o3 g40 c4 k0 u0|0 a o3 g30 c3 k0 u0");
	memset(&s, 0, sizeof(s));
	OK(o->stats_top(st, 1, 100, 102, STAT_CLICKS, 2, stats_cb, &s, err));
	assert_string_equal(texts(&s), "0 2 o3 g50 c5 k9 u2|0 1 o3 g600 c60 k6 u5");
	memset(&s, 0, sizeof(s));
	OK(o->stats_top(st, 1, 100, 102, STAT_UNIQUE_CLICKS, 1, stats_cb, &s, err));
	assert_string_equal(texts(&s), "0 1 o3 g600 c60 k6 u5");
	memset(&s, 0, sizeof(s));
	OK(o->stats_top(st, 1, 103, 103, STAT_GMV, 10, stats_cb, &s, err));
	assert_string_equal(texts(&s), "0 z o9 g9 c9 k9 u9");
	memset(&s, 0, sizeof(s));
	OK(o->stats_top(st, 3, 100, 103, STAT_GMV, 10, stats_cb, &s, err));
	assert_int_equal(s.n, 0);
	struct tk_error e = {0};
	assert_int_equal(o->stats_top(st, 1, 100, 102, STAT_N, 10, stats_cb, &s, &e), TK_EINVAL);
	assert_string_equal(e.field, "metric");
}

static void contract(bool pg)
{
	struct backend b;
	open_backend(&b, pg);
	seed(&b);
	if (pg) /* the indexes the listings stand on, on the core's tables */
		assert_int_equal(query_int(&b, "SELECT count(*) FROM pg_indexes WHERE indexname IN"
					       " ('withdrawals_status', 'items_order', 'transfers_member')"),
				 3);
	secrets(&b);
	apikeys(&b);
	passwords_sessions(&b);
	links(&b);
	conversions(&b);
	clicks(&b);
	listings(&b);
	reports(&b);
	close_backend(&b);
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

/* The click writer is an appender: it records clicks and adds to the
 * counters while an engine writer holds the writer lock, and the two
 * writers' additions to one counter both count. */
static void test_appender_beside_writer(void **state)
{
	(void)state;
	struct backend b;
	open_backend(&b, true);
	seed(&b);
	struct store *st = b.st, *ap = NULL;
	struct tk_error e = {0};
	assert_int_equal(store_open(b.uri, &(struct store_options){.appender = true}, &ap, &e),
			 TK_OK);
	OK(st->ops->tx_begin(st, err));
	OK(st->server->link_insert(st, new_link("live", 1, "", "", "", 5), err));
	OK(st->server->link_counts_add(st, 1, 1, 1, 0, err));

	assert_int_equal(pg_exec_script(pg_of(ap), "SET lock_timeout = '2s'", "t", &e), TK_OK);
	OK(ap->ops->tx_begin(ap, err));
	struct click_rec c[3] = {{.at = 9, .link = 1, .unique = true},
				 {.at = 9, .link = 1, .bot = true},
				 {.at = 10, .link = 1}};
	OK(ap->server->click_insert(ap, "web-1:8080", c, 3, err));
	OK(ap->server->link_counts_add(ap, 2, 3, 1, 1, err)); /* a row nobody holds */
	int64_t upto = 0;
	OK(ap->server->click_last_id(ap, &upto, err));
	assert_int_equal(upto, 3);
	OK(ap->server->state_set(ap, "link_counts_upto", upto, err));
	OK(ap->ops->tx_commit(ap, err));
	OK(st->ops->tx_commit(st, err));

	/* the same counter from both, one after the other: additive */
	OK(ap->server->link_counts_add(ap, 1, 2, 0, 1, err));
	struct link_rec g;
	OK(st->server->link_get_id(st, 1, &g, err));
	assert_int_equal(g.clicks, 3);
	assert_int_equal(g.unique_clicks, 1);
	assert_int_equal(g.bot_clicks, 1);
	assert_int_equal(query_int(&b, "SELECT clicks FROM link_counts WHERE link = 2"), 3);
	int64_t v = 0;
	OK(st->server->state_get(st, "link_counts_upto", &v, err));
	assert_int_equal(v, 3);
	/* the new link reached the change log, the appender's rows did not */
	assert_int_equal(query_int(&b, "SELECT count(*) FROM changes WHERE what = 3"), 1);
	/* both processes agree on a secret made by either */
	uint8_t k1[32], k2[32];
	OK(ap->server->secret_get(ap, "click-key", k1, sizeof(k1), err));
	OK(st->server->secret_get(st, "click-key", k2, sizeof(k2), err));
	assert_memory_equal(k1, k2, sizeof(k1));
	ap->ops->close(ap);
	close_backend(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract_sqlite),
		cmocka_unit_test(test_contract_pg),
		cmocka_unit_test(test_appender_beside_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

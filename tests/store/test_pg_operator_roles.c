/* test_pg_operator_roles.c — operator keys' roles and operator sessions,
 * run alike on a fresh SQLite store and a fresh PostgreSQL store: the
 * store operations (a key's role, changing it, sessions by hash with their
 * expiry, a revoked key or another role ending them, deleting one or all of
 * a key's, the purge), a key made before roles being admin, and the auth
 * module over them (a session acting as its key, ended by revoke, by
 * another role and by logout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "fresh_db.h"
#include "store/pg_internal.h"
#include "store/server_store.h"
#include "store/sqlite_internal.h"

#define OK(call)                                                              \
	do {                                                                  \
		struct tk_error e_ = {0};                                     \
		struct tk_error *err = &e_;                                   \
		enum tk_rc rc_ = (call);                                      \
		if (rc_)                                                      \
			fail_msg("%s: %s", #call, err->msg);                  \
	} while (0)
#define RC(want, call)                                                        \
	do {                                                                  \
		struct tk_error e_ = {0};                                     \
		struct tk_error *err = &e_;                                   \
		assert_int_equal((call), (want));                             \
	} while (0)

static void hash_of(uint8_t h[SERVER_HASH_BYTES], int v)
{
	memset(h, 0, SERVER_HASH_BYTES);
	h[0] = (uint8_t)v;
	h[31] = 0x5a;
}

static int64_t sql_i64(const char *uri, const char *sql)
{
	struct test_db *d = test_db_connect(uri);
	int64_t v = -1;
	assert_non_null(d);
	assert_true(test_db_i64(d, sql, NULL, &v));
	test_db_close(d);
	return v;
}

/* Raw SQL through the store's own connection (the test's is read-only). */
static void exec_sql(struct store *st, enum test_fresh_kind kind, const char *sql)
{
	struct tk_error err = {0};
	char *msg = NULL;
	if (kind != TEST_FRESH_SQLITE) {
		if (pg_exec_script(pg_of(st), sql, "seeding", &err))
			fail_msg("%s: %s", sql, err.msg);
	} else if (sqlite3_exec(sqlite_of(st)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
}

static void insert_key(struct store *st, const char *name, const char *role, int v,
		       int64_t want_id)
{
	uint8_t h[SERVER_HASH_BYTES];
	struct apikey_rec k = {.created_at = 10};
	hash_of(h, v);
	snprintf(k.name, sizeof(k.name), "%s", name);
	snprintf(k.prefix, sizeof(k.prefix), "tk_%s", name);
	snprintf(k.role, sizeof(k.role), "%s", role);
	OK(st->server->apikey_insert(st, &k, h, err));
	assert_int_equal(k.id, want_id);
}

static bool list_cb(void *ctx, const struct apikey_rec *k)
{
	char *buf = ctx;
	size_t n = strlen(buf);
	snprintf(buf + n, 256 - n, "%s%lld %s/%s", n ? "|" : "", (long long)k->id, k->name, k->role);
	return true;
}

static void store_contract(enum test_fresh_kind kind)
{
	char uri[512];
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	const struct server_store_ops *o = st->server;
	uint8_t h[SERVER_HASH_BYTES], s1[SERVER_HASH_BYTES], s2[SERVER_HASH_BYTES],
		s3[SERVER_HASH_BYTES], s4[SERVER_HASH_BYTES], s5[SERVER_HASH_BYTES];
	struct apikey_rec k;
	int64_t expires = 0;
	struct tk_error e = {0};

	/* a key made before roles (no role given) is admin */
	exec_sql(st, kind, "INSERT INTO api_keys(name, prefix, hash, created_at) "
			   "VALUES ('old', 'tk_old', 'x', 1)");
	assert_int_equal(sql_i64(uri, "SELECT count(*) FROM api_keys WHERE role = 'admin'"), 1);

	insert_key(st, "look", "viewer", 2, 2);
	insert_key(st, "books", "finance", 3, 3);
	hash_of(h, 2);
	OK(o->apikey_find(st, h, &k, err));
	assert_string_equal(k.role, "viewer");
	/* a role the schema does not know is refused, and nothing is added */
	struct apikey_rec bad = {.created_at = 1, .name = "x", .prefix = "tk_x", .role = "root"};
	hash_of(h, 9);
	assert_int_not_equal(o->apikey_insert(st, &bad, h, &e), TK_OK);
	assert_int_equal(sql_i64(uri, "SELECT count(*) FROM api_keys"), 3);
	char list[256] = "";
	OK(o->apikey_each(st, list_cb, list, err));
	assert_string_equal(list, "1 old/admin|2 look/viewer|3 books/finance");

	/* another role */
	OK(o->apikey_set_role(st, 2, "operations", err));
	hash_of(h, 2);
	OK(o->apikey_find(st, h, &k, err));
	assert_string_equal(k.role, "operations");
	memset(&e, 0, sizeof(e));
	assert_int_equal(o->apikey_set_role(st, 99, "viewer", &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "id");
	OK(o->apikey_revoke(st, 1, 50, err));
	memset(&e, 0, sizeof(e));
	assert_int_equal(o->apikey_set_role(st, 1, "viewer", &e), TK_ECONFLICT);
	assert_non_null(strstr(e.msg, "revoked"));

	/* sessions: valid before their expiry, as their key is now */
	hash_of(s1, 11);
	hash_of(s2, 12);
	hash_of(s3, 13);
	hash_of(s4, 14);
	hash_of(s5, 15);
	OK(o->opsession_insert(st, s1, 2, "operations", 100, 200, err));
	RC(TK_ECONFLICT, o->opsession_insert(st, s1, 2, "operations", 100, 200, err));
	RC(TK_ECONFLICT, o->opsession_insert(st, s5, 999, "viewer", 100, 200, err)); /* no key */
	OK(o->opsession_get(st, s1, 199, &k, &expires, err));
	assert_int_equal(k.id, 2);
	assert_string_equal(k.name, "look");
	assert_string_equal(k.role, "operations");
	assert_int_equal(expires, 200);
	memset(&e, 0, sizeof(e));
	assert_int_equal(o->opsession_get(st, s1, 200, &k, &expires, &e), TK_ENOTFOUND);
	assert_string_equal(e.field, "authorization");
	/* the key given another role: the session opened with the old one is over */
	OK(o->apikey_set_role(st, 2, "viewer", err));
	RC(TK_ENOTFOUND, o->opsession_get(st, s1, 150, &k, &expires, err));
	/* a revoked key's session is over */
	OK(o->opsession_insert(st, s2, 1, "admin", 100, 200, err));
	RC(TK_ENOTFOUND, o->opsession_get(st, s2, 150, &k, &expires, err));

	/* ending one, and all of a key's */
	OK(o->opsession_insert(st, s3, 3, "finance", 100, 300, err));
	OK(o->opsession_insert(st, s4, 3, "finance", 100, 400, err));
	OK(o->opsession_insert(st, s5, 2, "viewer", 100, 250, err));
	OK(o->opsession_delete(st, s3, err));
	RC(TK_ENOTFOUND, o->opsession_get(st, s3, 150, &k, &expires, err));
	OK(o->opsession_delete(st, s3, err)); /* what is gone is fine */
	OK(o->opsession_get(st, s4, 150, &k, &expires, err));
	OK(o->opsession_delete_key(st, 3, err));
	RC(TK_ENOTFOUND, o->opsession_get(st, s4, 150, &k, &expires, err));
	OK(o->opsession_get(st, s5, 150, &k, &expires, err)); /* another key's stays */
	assert_string_equal(k.role, "viewer");

	/* the purge takes the expired ones */
	OK(o->opsession_insert(st, s3, 3, "finance", 100, 400, err));
	assert_int_equal(sql_i64(uri, "SELECT count(*) FROM operator_sessions"), 4);
	OK(o->purge(st, 250, 0, err));
	assert_int_equal(sql_i64(uri, "SELECT count(*) FROM operator_sessions"), 1);
	OK(o->opsession_get(st, s3, 260, &k, &expires, err));
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_store_sqlite(void **state)
{
	(void)state;
	store_contract(TEST_FRESH_SQLITE);
}

static void test_store_pg(void **state)
{
	(void)state;
	store_contract(TEST_FRESH_PG);
}

/* The auth module over the store: keys with roles, a session acting as its
 * key, and what ends it. */
static void auth_flow(enum test_fresh_kind kind)
{
	char uri[512], key[AUTH_TOKEN_MAX], tok[AUTH_TOKEN_MAX], tok2[AUTH_TOKEN_MAX];
	struct store *st = test_store_fresh(kind, uri, sizeof(uri));
	struct apikey_rec rec;
	struct principal who, sess;
	int64_t expires;
	struct tk_error e = {0};

	OK(auth_apikey_create(st, "floor", ROLE_OPERATIONS, 1000, key, &rec, err));
	assert_string_equal(rec.role, "operations");
	assert_int_equal(auth_apikey_create(st, "x", ROLE_COUNT_, 1000, tok, &rec, &e), TK_EINVAL);
	assert_string_equal(e.field, "role");
	OK(auth_resolve(st, key, 1000, &who, err));
	assert_int_equal(who.kind, PRINCIPAL_OPERATOR);
	assert_int_equal(who.role, ROLE_OPERATIONS);
	assert_false(who.session);

	OK(auth_operator_session_create(st, &who, 1000, 8 * 3600, tok, &expires, err));
	assert_int_equal(expires, 1000 + 8 * 3600);
	assert_memory_equal(tok, AUTH_OPSESSION_PREFIX, strlen(AUTH_OPSESSION_PREFIX));
	OK(auth_resolve(st, tok, 2000, &sess, err));
	assert_int_equal(sess.kind, PRINCIPAL_OPERATOR);
	assert_true(sess.session);
	assert_int_equal(sess.id, who.id);
	assert_string_equal(sess.name, "floor");
	assert_int_equal(sess.role, ROLE_OPERATIONS);
	assert_int_equal(sess.expires_at, expires);
	/* a session never opens another */
	memset(&e, 0, sizeof(e));
	assert_int_equal(auth_operator_session_create(st, &sess, 2000, 3600, tok2, &expires, &e),
			 TK_EINVAL);
	RC(TK_ENOTFOUND, auth_resolve(st, tok, 1000 + 8 * 3600, &sess, err)); /* expired */

	/* another role ends it, and the next session has the new role */
	OK(auth_apikey_set_role(st, who.id, ROLE_VIEWER, 1700000000, err));
	RC(TK_ENOTFOUND, auth_resolve(st, tok, 2000, &sess, err));
	assert_int_equal(sql_i64(uri, "SELECT count(*) FROM operator_sessions"), 0);
	OK(auth_resolve(st, key, 2000, &who, err));
	assert_int_equal(who.role, ROLE_VIEWER);
	OK(auth_operator_session_create(st, &who, 2000, 3600, tok, &expires, err));
	OK(auth_resolve(st, tok, 2001, &sess, err));
	assert_int_equal(sess.role, ROLE_VIEWER);
	/* logout ends that one */
	OK(auth_operator_session_end(st, sess.token_hash, err));
	RC(TK_ENOTFOUND, auth_resolve(st, tok, 2001, &sess, err));
	/* revoking the key ends the rest */
	OK(auth_operator_session_create(st, &who, 2000, 3600, tok2, &expires, err));
	OK(auth_apikey_revoke(st, who.id, 2002, err));
	RC(TK_ENOTFOUND, auth_resolve(st, tok2, 2003, &sess, err));
	RC(TK_ENOTFOUND, auth_resolve(st, key, 2003, &who, err));
	assert_int_equal(sql_i64(uri, "SELECT count(*) FROM operator_sessions"), 0);
	st->ops->close(st);
	test_db_remove(uri);
}

static void test_auth_sqlite(void **state)
{
	(void)state;
	auth_flow(TEST_FRESH_SQLITE);
}

static void test_auth_pg(void **state)
{
	(void)state;
	auth_flow(TEST_FRESH_PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_sqlite),
		cmocka_unit_test(test_store_pg),
		cmocka_unit_test(test_auth_sqlite),
		cmocka_unit_test(test_auth_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

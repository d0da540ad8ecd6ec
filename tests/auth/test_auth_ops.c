/* test_auth_ops.c — the auth module's operations own their transactions:
 * a registration whose password cannot be stored leaves no member behind
 * (and can be made again), a new password ends the old sessions, and a
 * read-only operation answers while another connection holds the write
 * lock (an import's batch). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "engine/engine.h"
#include "engine/growth.h"
#include "fresh_db.h"
#include "store/server_store.h"
#include "store/store.h"

struct world {
	char path[512];
	struct engine *e;
	struct store *st;
	struct member_rec root;
	char invite[16];
};

static int setup(void **state)
{
	static struct world w;
	struct tk_error err = {0};
	memset(&w, 0, sizeof(w));
	test_sqlite_fresh(w.path, sizeof(w.path));
	assert_int_equal(store_open(w.path, NULL, &w.st, &err), TK_OK);
	assert_int_equal(engine_open(w.st, &w.e, &err), TK_OK);
	assert_int_equal(engine_member_add(w.e, "root", NULL, NULL, "Root", &w.root, &err), TK_OK);
	engine_invite_code(w.root.id, w.invite);
	*state = &w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	engine_close(w->e);
	unlink(w->path);
	return 0;
}

/* A password store that fails, as a full disk or a broken connection
 * would between the member and its password. */
static enum tk_rc password_set_fails(struct store *st, int64_t member, const char *hash,
				     int64_t at, struct tk_error *err)
{
	(void)st, (void)member, (void)hash, (void)at;
	return tk_fail(err, TK_EIO, "", "injected: the password could not be stored");
}

static void registration_is_one_transaction(void **state)
{
	struct world *w = *state;
	struct tk_error err = {0};
	struct member_rec m, root;
	char hash[PASSWORD_HASH_MAX], stored[PASSWORD_HASH_MAX];
	assert_int_equal(auth_password_hash("correct horse", hash, &err), TK_OK);

	const struct server_store_ops *real = w->st->server;
	struct server_store_ops broken = *real;
	broken.password_set = password_set_fails;
	w->st->server = &broken;
	assert_int_equal(auth_member_register(w->e, "alice", w->invite, "Alice", hash, 1000, &m,
					      &err),
			 TK_EIO);
	w->st->server = real;

	/* nothing of it stayed: no member, no count on the inviter */
	assert_int_equal(engine_member_get(w->e, "alice", &m, &err), TK_ENOTFOUND);
	assert_int_equal(engine_member_get(w->e, "root", &root, &err), TK_OK);
	assert_int_equal(root.direct_count, 0);
	assert_int_equal(root.team_count, 0);

	/* the same registration succeeds afterwards, with its password */
	assert_int_equal(auth_member_register(w->e, "alice", w->invite, "Alice", hash, 1000, &m,
					      &err),
			 TK_OK);
	assert_int_equal(m.parent, w->root.id);
	assert_int_equal(w->st->server->password_get(w->st, m.id, stored, &err), TK_OK);
	assert_string_equal(stored, hash);
	assert_int_equal(engine_member_get(w->e, "root", &root, &err), TK_OK);
	assert_int_equal(root.direct_count, 1);
}

static void password_set_ends_sessions(void **state)
{
	struct world *w = *state;
	struct tk_error err = {0};
	struct principal who;
	char token[AUTH_TOKEN_MAX], hash[PASSWORD_HASH_MAX];
	int64_t expires, now = engine_now();
	assert_int_equal(auth_session_create(w->st, w->root.id, now, 3600, token, &expires, &err),
			 TK_OK);
	assert_int_equal(auth_resolve(w->st, token, now, &who, &err), TK_OK);
	assert_int_equal(auth_password_hash("a new password", hash, &err), TK_OK);
	assert_int_equal(auth_password_set(w->st, w->root.id, hash, now, &err), TK_OK);
	assert_int_equal(auth_resolve(w->st, token, now, &who, &err), TK_ENOTFOUND);

	/* logout ends one session */
	assert_int_equal(auth_session_create(w->st, w->root.id, now, 3600, token, &expires, &err),
			 TK_OK);
	assert_int_equal(auth_resolve(w->st, token, now, &who, &err), TK_OK);
	assert_int_equal(auth_session_end(w->st, who.token_hash, &err), TK_OK);
	assert_int_equal(auth_resolve(w->st, token, now, &who, &err), TK_ENOTFOUND);
}

/* The audit only reads: it runs on a snapshot and does not wait for a
 * writer that holds the lock (before, it took the write lock and waited
 * up to 10 s, then failed). */
static void reads_do_not_wait_for_a_writer(void **state)
{
	struct world *w = *state;
	struct tk_error err = {0};
	struct store *other;
	struct audit_report r;
	struct balance b;
	assert_int_equal(store_open(w->path, NULL, &other, &err), TK_OK);
	assert_int_equal(other->ops->tx_begin(other, &err), TK_OK);
	int64_t t0 = engine_now();
	assert_int_equal(engine_audit(w->e, &r, &err), TK_OK);
	assert_int_equal(r.n_failed, 0);
	assert_int_equal(engine_balance(w->e, "root", &b, &err), TK_OK);
	assert_true(engine_now() - t0 <= 2);
	other->ops->tx_rollback(other);
	other->ops->close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(registration_is_one_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(password_set_ends_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(reads_do_not_wait_for_a_writer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

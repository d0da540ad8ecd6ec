/* test_oauth_states.c — the server store's union authorization states: a
 * state is found by its hash, comes back once (a second take says when it
 * was used and changes nothing), keeps its member, kind and expiry, and is
 * purged a day after it expired. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "store/server_store.h"

static char path[64];
static struct engine *e;
static struct store *st;
static int64_t member;

static int setup(void **state)
{
	(void)state;
	struct tk_error err = {0};
	int64_t version;
	struct member_rec m;
	const char *plan = "{\"name\":\"p\",\"mode\":\"differential\",\"max_tiers\":1,"
			   "\"platform_min_bps\":0,\"peer_bonus_bps\":0,\"tiers_bps\":[0,0],"
			   "\"hold_days\":0,\"levels\":[{\"key\":\"l0\",\"rate_bps\":5000,"
			   "\"can_share\":true}]}";
	snprintf(path, sizeof(path), "/tmp/tuike-oauth-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(store_open(path, NULL, &st, &err), TK_OK);
	assert_int_equal(engine_open(st, &e, &err), TK_OK);
	assert_int_equal(engine_plan_set(e, plan, strlen(plan), &version, &err), TK_OK);
	assert_int_equal(engine_member_add(e, "alice", NULL, "l0", NULL, &m, &err), TK_OK);
	member = m.id;
	st = engine_store(e);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char side[80];
	engine_close(e);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}

static void insert(const uint8_t *hash, const char *kind, int64_t at)
{
	struct tk_error err = {0};
	struct oauth_state_rec r = {.member = member, .created_at = at, .expires_at = at + 600};
	snprintf(r.union_, sizeof(r.union_), "taobao");
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(st->server->oauth_state_insert(st, hash, &r, &err), TK_OK);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
}

static enum tk_rc take(const uint8_t *hash, int64_t now, struct oauth_state_rec *r)
{
	struct tk_error err = {0};
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	enum tk_rc rc = st->server->oauth_state_take(st, hash, now, r, &err);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	return rc;
}

static void test_once(void **state)
{
	(void)state;
	uint8_t h1[SERVER_HASH_BYTES], h2[SERVER_HASH_BYTES];
	struct oauth_state_rec r;
	memset(h1, 1, sizeof(h1));
	memset(h2, 2, sizeof(h2));
	insert(h1, "relation_id", 1000);
	insert(h2, "special_id", 1000);
	/* first take: what was started, not used before */
	assert_int_equal(take(h1, 1100, &r), TK_OK);
	assert_int_equal(r.member, member);
	assert_string_equal(r.union_, "taobao");
	assert_string_equal(r.kind, "relation_id");
	assert_int_equal(r.created_at, 1000);
	assert_int_equal(r.expires_at, 1600);
	assert_int_equal(r.used_at, 0);
	/* second take: used at the first, and that time kept */
	assert_int_equal(take(h1, 1200, &r), TK_OK);
	assert_int_equal(r.used_at, 1100);
	assert_int_equal(take(h1, 1300, &r), TK_OK);
	assert_int_equal(r.used_at, 1100);
	/* the other state is untouched */
	assert_int_equal(take(h2, 1400, &r), TK_OK);
	assert_string_equal(r.kind, "special_id");
	assert_int_equal(r.used_at, 0);
	/* the same hash cannot be started twice */
	struct tk_error err = {0};
	struct oauth_state_rec dup = {.member = member, .created_at = 1, .expires_at = 2};
	snprintf(dup.union_, sizeof(dup.union_), "taobao");
	snprintf(dup.kind, sizeof(dup.kind), "relation_id");
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_not_equal(st->server->oauth_state_insert(st, h1, &dup, &err), TK_OK);
	st->ops->tx_rollback(st);
}

static void test_unknown_and_purge(void **state)
{
	(void)state;
	uint8_t h[SERVER_HASH_BYTES], none[SERVER_HASH_BYTES];
	struct oauth_state_rec r;
	struct tk_error err = {0};
	memset(h, 3, sizeof(h));
	memset(none, 9, sizeof(none));
	assert_int_equal(take(none, 1000, &r), TK_ENOTFOUND);
	insert(h, "relation_id", 5000); /* expires at 5600 */
	/* kept for a day after its expiry, to tell a reused state from an unknown one */
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(st->server->purge(st, 5600 + 86399, 0, &err), TK_OK);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	assert_int_equal(take(h, 9000, &r), TK_OK);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(st->server->purge(st, 5600 + 86400, 0, &err), TK_OK);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	assert_int_equal(take(h, 9000, &r), TK_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_unknown_and_purge),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_store_asserts.c — the invariants the engine and the SQLite store
 * assert (they stay on in every build): no money written outside a
 * transaction, no item slot below zero when written or when read back, no
 * import batch committed that was never begun.  Each violation is made in a
 * child process, which must die of the assertion (SIGABRT); the same call
 * done right must not. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/ledger.h"
#include "core/order.h"
#include "engine/engine.h"
#include "fresh_db.h"
#include "store/sqlite_internal.h"

/* Runs fn(st) on a fresh SQLite store in a child; its exit status. */
static int in_child(void (*fn)(struct store *st))
{
	char path[512];
	test_sqlite_fresh(path, sizeof(path));
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st;
		struct tk_error err = {0};
		if (store_open(path, NULL, &st, &err))
			_exit(3);
		fn(st);
		st->ops->close(st);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	test_db_remove(path);
	return status;
}

static bool aborted(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static bool exited_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static struct transfer a_transfer(void)
{
	return (struct transfer){.debit = ACCOUNT(0, ACCT_UNION),
				 .credit = ledger_bucket_account(7, BUCKET_PENDING),
				 .amount = 100,
				 .code = TR_ACCRUE,
				 .at = 1};
}

static void transfer_outside_tx(struct store *st)
{
	struct tk_error err = {0};
	struct transfer t = a_transfer();
	(void)st->ops->transfer_insert(st, &t, &err);
}

static void transfer_inside_tx(struct store *st)
{
	struct tk_error err = {0};
	struct transfer t = a_transfer();
	if (st->ops->tx_begin(st, &err) || st->ops->transfer_insert(st, &t, &err) ||
	    st->ops->balance_add(st, t.debit, -t.amount, &err) ||
	    st->ops->balance_add(st, t.credit, t.amount, &err) || st->ops->tx_commit(st, &err))
		_exit(4);
}

static void balance_outside_tx(struct store *st)
{
	struct tk_error err = {0};
	(void)st->ops->balance_add(st, ledger_bucket_account(7, BUCKET_PENDING), 100, &err);
}

static void test_money_written_only_in_a_transaction(void **state)
{
	(void)state;
	assert_true(aborted(in_child(transfer_outside_tx)));
	assert_true(aborted(in_child(balance_outside_tx)));
	assert_true(exited_ok(in_child(transfer_inside_tx)));
}

static struct item_rec an_item(void)
{
	struct item_rec it;
	memset(&it, 0, sizeof(it));
	snprintf(it.row.union_, sizeof(it.row.union_), "jd");
	snprintf(it.row.item, sizeof(it.row.item), "o1-1");
	snprintf(it.row.order, sizeof(it.row.order), "o1");
	it.row.status = ST_PAID;
	it.row.commission = 1000;
	it.row.quantity = 1;
	it.money.n = 1;
	it.money.member[0] = 7;
	it.money.amount[0] = 300;
	it.money.bucket[0] = BUCKET_PENDING;
	it.money.platform = 700;
	it.chain.n = 1;
	it.chain.member[0] = 7;
	return it;
}

static void negative_slot_written(struct store *st)
{
	struct tk_error err = {0};
	struct item_rec it = an_item();
	if (st->ops->tx_begin(st, &err) || st->ops->item_insert(st, &it, &err))
		_exit(4);
	it.money.amount[0] = -1;
	(void)st->ops->item_set_money(st, &it, &err);
}

/* A slot made negative behind the store's back is refused when read. */
static void negative_slot_read(struct store *st)
{
	struct tk_error err = {0};
	struct item_rec it = an_item();
	if (st->ops->tx_begin(st, &err) || st->ops->item_insert(st, &it, &err) ||
	    st->ops->tx_commit(st, &err))
		_exit(4);
	if (sqlite3_exec(sqlite_of(st)->db, "UPDATE items SET a1 = -5", NULL, NULL, NULL) !=
	    SQLITE_OK)
		_exit(5);
	(void)st->ops->item_get(st, "jd", "o1-1", &it, &err);
}

static void good_slot_round_trip(struct store *st)
{
	struct tk_error err = {0};
	struct item_rec it = an_item(), back;
	if (st->ops->tx_begin(st, &err) || st->ops->item_insert(st, &it, &err) ||
	    st->ops->tx_commit(st, &err) || st->ops->item_get(st, "jd", "o1-1", &back, &err))
		_exit(4);
	if (back.money.amount[0] != 300 || back.money.platform != 700)
		_exit(6);
}

static void test_item_slots_never_negative(void **state)
{
	(void)state;
	assert_true(aborted(in_child(negative_slot_written)));
	assert_true(aborted(in_child(negative_slot_read)));
	assert_true(exited_ok(in_child(good_slot_round_trip)));
}

static void commit_without_begin(struct store *st)
{
	struct tk_error err = {0};
	struct engine *e;
	if (engine_open(st, &e, &err))
		_exit(4);
	(void)engine_import_commit(e, &err);
	_exit(0); /* not reached */
}

static void test_import_commit_pairs_with_begin(void **state)
{
	(void)state;
	assert_true(aborted(in_child(commit_without_begin)));
}

static void test_item_money_valid(void **state)
{
	(void)state;
	struct item_rec it = an_item();
	assert_true(item_money_valid(&it.money));
	it.money.amount[0] = -1;
	assert_false(item_money_valid(&it.money));
	it = an_item();
	it.money.platform = -1;
	assert_false(item_money_valid(&it.money));
	it = an_item();
	it.money.n = PLAN_MAX_TIERS + 1;
	assert_false(item_money_valid(&it.money));
	it = an_item();
	it.money.bucket[0] = (enum bucket)9;
	assert_false(item_money_valid(&it.money));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_money_valid),
		cmocka_unit_test(test_money_written_only_in_a_transaction),
		cmocka_unit_test(test_item_slots_never_negative),
		cmocka_unit_test(test_import_commit_pairs_with_begin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

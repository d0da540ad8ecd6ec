/* test_order_ledger.c — every state-machine transition of an item and the
 * ledger transfers it posts: balanced, positive, and landing exactly on
 * the target position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/ledger.h"
#include "core/order.h"
#include "core/plan.h"

static struct plan test_plan(void)
{
	struct plan p = {.mode = PLAN_DIFFERENTIAL, .max_tiers = 3, .platform_min_bps = 1000,
			 .peer_bonus_bps = 500, .hold_days = 7, .n_levels = 3};
	p.levels[0] = (struct plan_level){.key = "member", .rate_bps = 3000, .can_share = false};
	p.levels[1] = (struct plan_level){.key = "super", .rate_bps = 5000, .can_share = true};
	p.levels[2] = (struct plan_level){.key = "mentor", .rate_bps = 7000, .can_share = true};
	assert_int_equal(plan_validate(&p, NULL), TK_OK);
	return p;
}

/* A tiny ledger: balances of the accounts one item touches. */
struct book {
	int64_t acct[32];
	int64_t bal[32];
	int n;
};

static int64_t *slot(struct book *b, int64_t acct)
{
	for (int i = 0; i < b->n; i++)
		if (b->acct[i] == acct)
			return &b->bal[i];
	b->acct[b->n] = acct;
	b->bal[b->n] = 0;
	return &b->bal[b->n++];
}

static int64_t bal(struct book *b, int64_t acct)
{
	return *slot(b, acct);
}

struct item {
	struct plan plan;
	struct plan_chain chain;
	struct item_money money;
	struct book book;
};

static struct item new_item(void)
{
	struct item it = {.plan = test_plan()};
	it.chain = (struct plan_chain){.n = 3, .member = {7, 8, 9}, .level = {1, 2, 2}};
	it.money.n = 3;
	memcpy(it.money.member, it.chain.member, sizeof(it.money.member));
	return it;
}

/* Moves the item to a state and checks the transfers. Returns their count. */
static int go(struct item *it, enum order_status st, int64_t commission, int64_t settled_at)
{
	struct item_money target;
	struct plan_split split;
	struct transfer tr[LEDGER_DIFF_MAX];
	order_target(&it->plan, &it->chain, st, commission, settled_at, &it->money, &target, &split);
	int n = ledger_diff(&it->money, &target, tr);
	assert_true(n <= LEDGER_DIFF_MAX);
	for (int i = 0; i < n; i++) {
		assert_true(tr[i].amount > 0);
		assert_true(tr[i].debit != tr[i].credit);
		*slot(&it->book, tr[i].debit) -= tr[i].amount;
		*slot(&it->book, tr[i].credit) += tr[i].amount;
	}
	it->money = target;
	/* the book equals the position, and sums to zero */
	int64_t sum = 0, members = 0;
	for (int i = 0; i < it->book.n; i++)
		sum += it->book.bal[i];
	assert_int_equal(sum, 0);
	for (int i = 0; i < target.n; i++) {
		for (int k = ACCT_PENDING; k <= ACCT_AVAILABLE; k++) {
			int64_t want = target.bucket[i] != BUCKET_NONE &&
						       ledger_bucket_account(target.member[i], target.bucket[i]) ==
							       ACCOUNT(target.member[i], k)
					       ? target.amount[i] : 0;
			assert_int_equal(bal(&it->book, ACCOUNT(target.member[i], k)), want);
		}
		members += target.amount[i];
	}
	assert_int_equal(bal(&it->book, PLATFORM_REVENUE), target.platform);
	assert_int_equal(bal(&it->book, PLATFORM_UNION), -(members + target.platform));
	return n;
}

static void release(struct item *it)
{
	struct item_money target = it->money;
	struct transfer tr[LEDGER_DIFF_MAX];
	for (int i = 0; i < target.n; i++)
		if (target.bucket[i] == BUCKET_FROZEN)
			target.bucket[i] = BUCKET_AVAILABLE;
	int n = ledger_diff(&it->money, &target, tr);
	for (int i = 0; i < n; i++) {
		assert_int_equal(tr[i].code, TR_RELEASE);
		*slot(&it->book, tr[i].debit) -= tr[i].amount;
		*slot(&it->book, tr[i].credit) += tr[i].amount;
	}
	it->money = target;
}

static void test_unpaid_posts_nothing(void **state)
{
	(void)state;
	struct item it = new_item();
	assert_int_equal(go(&it, ST_UNPAID, 1000, 0), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(it.money.bucket[i], BUCKET_NONE);
}

static void test_paid_received_settled_released(void **state)
{
	(void)state;
	struct item it = new_item();
	assert_int_equal(go(&it, ST_PAID, 1000, 0), 4); /* three members + platform */
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_PENDING)), 500);
	assert_int_equal(bal(&it.book, ACCOUNT(8, ACCT_PENDING)), 200);
	assert_int_equal(bal(&it.book, ACCOUNT(9, ACCT_PENDING)), 50);
	assert_int_equal(go(&it, ST_RECEIVED, 1000, 0), 0); /* no money moves */
	assert_int_equal(go(&it, ST_PAID, 1200, 0), 4);     /* a changed estimate */
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_PENDING)), 600);
	go(&it, ST_SETTLED, 900, 86400);                     /* actual below estimate */
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_PENDING)), 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_FROZEN)), 450);
	assert_int_equal(it.money.due_at, 86400 + 7 * 86400);
	release(&it);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_FROZEN)), 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_AVAILABLE)), 450);
}

static void test_invalid_before_available_reverses(void **state)
{
	(void)state;
	struct item it = new_item();
	go(&it, ST_PAID, 1000, 0);
	go(&it, ST_INVALID, 1000, 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_PENDING)), 0);
	assert_int_equal(bal(&it.book, PLATFORM_REVENUE), 0);
	assert_int_equal(bal(&it.book, PLATFORM_UNION), 0);

	it = new_item();
	go(&it, ST_SETTLED, 1000, 5);
	go(&it, ST_INVALID, 0, 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_FROZEN)), 0);
	assert_int_equal(bal(&it.book, PLATFORM_UNION), 0);
}

static void test_refund_after_available_is_a_clawback(void **state)
{
	(void)state;
	struct item it = new_item();
	go(&it, ST_SETTLED, 1000, 5);
	release(&it);
	struct item_money before = it.money;
	struct item_money target;
	struct plan_split split;
	struct transfer tr[LEDGER_DIFF_MAX];
	order_target(&it.plan, &it.chain, ST_INVALID, 1000, 0, &before, &target, &split);
	int n = ledger_diff(&before, &target, tr);
	assert_int_equal(n, 4);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tr[i].code, TR_CLAWBACK);
		assert_int_equal(tr[i].debit, ACCOUNT(7 + i, ACCT_AVAILABLE));
		assert_int_equal(tr[i].credit, PLATFORM_UNION);
	}
	go(&it, ST_INVALID, 1000, 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_AVAILABLE)), 0);
	/* the slot stays in available, at zero */
	assert_int_equal(it.money.bucket[0], BUCKET_AVAILABLE);
}

static void test_adjustments_after_available(void **state)
{
	(void)state;
	struct item it = new_item();
	go(&it, ST_SETTLED, 1000, 5);
	release(&it);
	go(&it, ST_SETTLED, 800, 5); /* commission reduced after settlement */
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_AVAILABLE)), 400);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_FROZEN)), 0);
	go(&it, ST_SETTLED, 1100, 5); /* raised: a top-up into available */
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_AVAILABLE)), 550);
}

static void test_settled_back_to_paid_unfreezes(void **state)
{
	(void)state;
	struct item it = new_item();
	go(&it, ST_SETTLED, 1000, 5);
	go(&it, ST_PAID, 1000, 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_FROZEN)), 0);
	assert_int_equal(bal(&it.book, ACCOUNT(7, ACCT_PENDING)), 500);
	assert_int_equal(it.money.due_at, 0);
}

static void test_unattributed_item_goes_to_platform(void **state)
{
	(void)state;
	struct item it = new_item();
	it.chain.n = 0;
	it.money.n = 0;
	go(&it, ST_PAID, 999, 0);
	assert_int_equal(bal(&it.book, PLATFORM_REVENUE), 999);
	go(&it, ST_INVALID, 999, 0);
	assert_int_equal(bal(&it.book, PLATFORM_REVENUE), 0);
}

/* Whatever path an item takes, its final position depends only on its last
 * state (short of a release, which only moves frozen to available). */
static void test_position_depends_only_on_last_state(void **state)
{
	(void)state;
	const enum order_status sts[] = {ST_UNPAID, ST_PAID, ST_RECEIVED, ST_SETTLED, ST_INVALID};
	uint64_t x = 0x1234567;
	for (int run = 0; run < 5000; run++) {
		struct item it = new_item();
		enum order_status last = ST_UNPAID;
		int64_t c = 0;
		for (int step = 0; step < 6; step++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			last = sts[x % 5];
			c = (int64_t)(x >> 8) % 50000;
			go(&it, last, c, 100);
		}
		struct item fresh = new_item();
		go(&fresh, last, c, 100);
		assert_memory_equal(&fresh.money, &it.money, sizeof(it.money));
	}
}

static void test_order_decide(void **state)
{
	(void)state;
	struct order_row r = {.modified_at = 100, .status = ST_PAID, .commission = 50};
	assert_int_equal(order_decide(99, ST_SETTLED, 0, &r), ORDER_APPLY);
	assert_int_equal(order_decide(101, ST_UNPAID, 0, &r), ORDER_STALE);
	/* same time: a later status wins, then a larger commission, else stale */
	assert_int_equal(order_decide(100, ST_UNPAID, 90, &r), ORDER_APPLY);
	assert_int_equal(order_decide(100, ST_SETTLED, 0, &r), ORDER_STALE);
	assert_int_equal(order_decide(100, ST_PAID, 40, &r), ORDER_APPLY);
	assert_int_equal(order_decide(100, ST_PAID, 50, &r), ORDER_STALE); /* a duplicate */
	assert_int_equal(order_decide(100, ST_PAID, 60, &r), ORDER_STALE);
}

static void test_row_validation(void **state)
{
	(void)state;
	struct order_row r = {.union_ = "jd", .item = "1", .modified_at = 5, .status = ST_SETTLED};
	struct tk_error err = {0};
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);
	assert_string_equal(err.field, "settled_at");
	r.settled_at = 5;
	assert_int_equal(order_row_validate(&r, &err), TK_OK);
	r.commission = -1;
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);
	assert_string_equal(err.field, "commission");
	r.commission = 0;
	memcpy(r.union_, "ebay", 5);
	assert_int_equal(order_row_validate(&r, &err), TK_EINVAL);
	assert_string_equal(err.field, "union");
	assert_int_equal(order_net_commission(100, 30), 70);
	assert_int_equal(order_net_commission(100, 130), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unpaid_posts_nothing),
		cmocka_unit_test(test_paid_received_settled_released),
		cmocka_unit_test(test_invalid_before_available_reverses),
		cmocka_unit_test(test_refund_after_available_is_a_clawback),
		cmocka_unit_test(test_adjustments_after_available),
		cmocka_unit_test(test_settled_back_to_paid_unfreezes),
		cmocka_unit_test(test_unattributed_item_goes_to_platform),
		cmocka_unit_test(test_position_depends_only_on_last_state),
		cmocka_unit_test(test_order_decide),
		cmocka_unit_test(test_row_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

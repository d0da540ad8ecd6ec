/* test_service_fee.c — the head's service fee: the position each state
 * asks, the transfers between every pair of positions (positive, zero-sum,
 * landing exactly on the target, with the documented codes), and the fee
 * by rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/service_fee.h"

/* Balances after applying transfers: union, estimate, settled. */
struct book {
	int64_t uni, est, set;
};

static int64_t *acct(struct book *b, int64_t a)
{
	if (a == PLATFORM_UNION)
		return &b->uni;
	if (a == PLATFORM_SERVICE_EST)
		return &b->est;
	if (a == PLATFORM_SERVICE)
		return &b->set;
	fail_msg("transfer to an account outside the head's books: %lld", (long long)a);
	return NULL;
}

static void apply(struct book *b, const struct transfer *t, int n)
{
	for (int i = 0; i < n; i++) {
		assert_true(t[i].amount > 0);
		assert_true(t[i].debit != t[i].credit);
		*acct(b, t[i].debit) -= t[i].amount;
		*acct(b, t[i].credit) += t[i].amount;
	}
}

static void book_of(const struct fee_position *p, struct book *b)
{
	b->est = service_fee_in(p, PLATFORM_SERVICE_EST);
	b->set = service_fee_in(p, PLATFORM_SERVICE);
	b->uni = -(b->est + b->set);
}

static const int64_t amounts[] = {0, 1, 250, 999};

/* Every pair of positions: the transfers move the books of `from` exactly
 * to those of `to`, every amount positive, the sum stays zero. */
static void test_every_pair(void **state)
{
	(void)state;
	int pairs = 0;
	for (int fb = FEE_NONE; fb <= FEE_SETTLED; fb++)
		for (size_t fa = 0; fa < 4; fa++)
			for (int tb = FEE_NONE; tb <= FEE_SETTLED; tb++)
				for (size_t ta = 0; ta < 4; ta++) {
					struct fee_position f = {fb, fb == FEE_NONE ? 0 : amounts[fa]};
					struct fee_position t = {tb, tb == FEE_NONE ? 0 : amounts[ta]};
					struct transfer tr[SERVICE_FEE_DIFF_MAX + 1];
					struct book b, want;
					book_of(&f, &b);
					book_of(&t, &want);
					int n = service_fee_diff(&f, &t, tr);
					assert_in_range(n, 0, SERVICE_FEE_DIFF_MAX);
					apply(&b, tr, n);
					assert_int_equal(b.uni, want.uni);
					assert_int_equal(b.est, want.est);
					assert_int_equal(b.set, want.set);
					assert_int_equal(b.uni + b.est + b.set, 0);
					if (fb == tb && f.amount == t.amount)
						assert_int_equal(n, 0);
					pairs++;
				}
	assert_int_equal(pairs, 144);
}

static int diff(struct fee_position f, struct fee_position t, struct transfer *tr)
{
	return service_fee_diff(&f, &t, tr);
}

/* The codes the documentation promises. */
static void test_codes(void **state)
{
	(void)state;
	struct transfer t[SERVICE_FEE_DIFF_MAX];
	assert_int_equal(diff((struct fee_position){FEE_NONE, 0}, (struct fee_position){FEE_ESTIMATED, 500}, t), 1);
	assert_int_equal(t[0].code, TR_ACCRUE);
	assert_int_equal(t[0].debit, PLATFORM_UNION);
	assert_int_equal(t[0].credit, PLATFORM_SERVICE_EST);

	assert_int_equal(diff((struct fee_position){FEE_ESTIMATED, 500}, (struct fee_position){FEE_ESTIMATED, 300}, t), 1);
	assert_int_equal(t[0].code, TR_ADJUST);
	assert_int_equal(t[0].amount, 200);
	assert_int_equal(t[0].debit, PLATFORM_SERVICE_EST);

	assert_int_equal(diff((struct fee_position){FEE_ESTIMATED, 500}, (struct fee_position){FEE_NONE, 0}, t), 1);
	assert_int_equal(t[0].code, TR_REVERSE);

	assert_int_equal(diff((struct fee_position){FEE_ESTIMATED, 500}, (struct fee_position){FEE_SETTLED, 500}, t), 1);
	assert_int_equal(t[0].code, TR_SERVICE_SETTLE);
	assert_int_equal(t[0].debit, PLATFORM_SERVICE_EST);
	assert_int_equal(t[0].credit, PLATFORM_SERVICE);

	assert_int_equal(diff((struct fee_position){FEE_ESTIMATED, 500}, (struct fee_position){FEE_SETTLED, 450}, t), 2);
	assert_int_equal(t[0].code, TR_ADJUST);
	assert_int_equal(t[0].amount, 50);
	assert_int_equal(t[1].code, TR_SERVICE_SETTLE);
	assert_int_equal(t[1].amount, 450);

	assert_int_equal(diff((struct fee_position){FEE_SETTLED, 500}, (struct fee_position){FEE_SETTLED, 200}, t), 1);
	assert_int_equal(t[0].code, TR_CLAWBACK);
	assert_int_equal(t[0].debit, PLATFORM_SERVICE);
	assert_int_equal(t[0].credit, PLATFORM_UNION);
	assert_int_equal(t[0].amount, 300);

	assert_int_equal(diff((struct fee_position){FEE_SETTLED, 200}, (struct fee_position){FEE_SETTLED, 260}, t), 1);
	assert_int_equal(t[0].code, TR_TOPUP);
	assert_int_equal(t[0].amount, 60);

	assert_int_equal(diff((struct fee_position){FEE_SETTLED, 500}, (struct fee_position){FEE_ESTIMATED, 500}, t), 1);
	assert_int_equal(t[0].code, TR_UNFREEZE);
	assert_int_equal(t[0].debit, PLATFORM_SERVICE);
	assert_int_equal(t[0].credit, PLATFORM_SERVICE_EST);
}

/* The position each state asks. */
static void test_target(void **state)
{
	(void)state;
	struct fee_position none = {FEE_NONE, 0}, est = {FEE_ESTIMATED, 700},
			    set = {FEE_SETTLED, 700}, t;
	service_fee_target(ST_UNPAID, 700, &none, &t);
	assert_int_equal(t.bucket, FEE_NONE);
	assert_int_equal(t.amount, 0);
	service_fee_target(ST_PAID, 700, &none, &t);
	assert_int_equal(t.bucket, FEE_ESTIMATED);
	assert_int_equal(t.amount, 700);
	service_fee_target(ST_RECEIVED, 650, &est, &t);
	assert_int_equal(t.bucket, FEE_ESTIMATED);
	assert_int_equal(t.amount, 650);
	service_fee_target(ST_SETTLED, 640, &est, &t);
	assert_int_equal(t.bucket, FEE_SETTLED);
	assert_int_equal(t.amount, 640);
	service_fee_target(ST_INVALID, 700, &est, &t); /* before settlement: reversed */
	assert_int_equal(t.bucket, FEE_NONE);
	assert_int_equal(t.amount, 0);
	service_fee_target(ST_INVALID, 700, &set, &t); /* after: clawed back where it is */
	assert_int_equal(t.bucket, FEE_SETTLED);
	assert_int_equal(t.amount, 0);
	service_fee_target(ST_PAID, 700, &set, &t); /* settlement taken back */
	assert_int_equal(t.bucket, FEE_ESTIMATED);
}

static void test_by_rate(void **state)
{
	(void)state;
	assert_int_equal(service_fee_by_rate(9990, 50), 499); /* 499.5 floors */
	assert_int_equal(service_fee_by_rate(1, 999), 0);
	assert_int_equal(service_fee_by_rate(ORDER_MONEY_MAX, 1000), ORDER_MONEY_MAX);
	assert_int_equal(service_fee_by_rate(12345, 0), 0);
	assert_int_equal(service_fee_by_rate(100000, 125), 12500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_by_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

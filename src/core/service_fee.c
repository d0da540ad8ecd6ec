/* service_fee.c — the head's service fee position and its transfers
 * (service_fee.h).  A fee moves like a commission share, between the
 * union's receivable and the head's two platform accounts. */
#include "core/service_fee.h"

#include <assert.h>
#include <string.h>

int64_t service_fee_by_rate(int64_t amount, int service_pm)
{
	assert(amount >= 0 && amount <= ORDER_MONEY_MAX && service_pm >= 0 && service_pm <= 1000);
	return amount * service_pm / 1000; /* both >= 0: truncation is floor */
}

void service_fee_target(enum order_status status, int64_t fee, const struct fee_position *cur,
			struct fee_position *target)
{
	assert(fee >= 0);
	switch (status) {
	case ST_SETTLED:
		*target = (struct fee_position){FEE_SETTLED, fee};
		break;
	case ST_PAID:
	case ST_RECEIVED:
		/* a settlement the union took back returns to the estimate */
		*target = (struct fee_position){FEE_ESTIMATED, fee};
		break;
	default:
		/* settled money is clawed back where it is; held money reversed */
		*target = cur->bucket == FEE_SETTLED ? (struct fee_position){FEE_SETTLED, 0}
						     : (struct fee_position){FEE_NONE, 0};
		break;
	}
}

static int put(struct transfer *out, int n, int64_t debit, int64_t credit, int64_t amount,
	       enum transfer_code code)
{
	if (amount <= 0)
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].debit = debit;
	out[n].credit = credit;
	out[n].amount = amount;
	out[n].code = code;
	return n + 1;
}

/* One account's change by amount `d` against the union: up is `up`,
 * down is `down`. */
static int change(struct transfer *out, int n, int64_t account, int64_t d,
		  enum transfer_code up, enum transfer_code down)
{
	return d > 0 ? put(out, n, PLATFORM_UNION, account, d, up)
		     : put(out, n, account, PLATFORM_UNION, -d, down);
}

int service_fee_diff(const struct fee_position *cur, const struct fee_position *target,
		     struct transfer *out)
{
	int n = 0;
	int64_t a = cur->bucket == FEE_NONE ? 0 : cur->amount;
	int64_t b = target->bucket == FEE_NONE ? 0 : target->amount;
	assert(a >= 0 && b >= 0);
	if (cur->bucket != FEE_SETTLED && target->bucket != FEE_SETTLED) {
		/* none/estimated to none/estimated: on the estimate */
		if (cur->bucket == FEE_NONE)
			return put(out, n, PLATFORM_UNION, PLATFORM_SERVICE_EST, b, TR_ACCRUE);
		if (target->bucket == FEE_NONE)
			return put(out, n, PLATFORM_SERVICE_EST, PLATFORM_UNION, a, TR_REVERSE);
		return change(out, n, PLATFORM_SERVICE_EST, b - a, TR_ADJUST, TR_ADJUST);
	}
	if (cur->bucket != FEE_SETTLED) {
		/* settling: the estimate first becomes the figure, then moves */
		if (cur->bucket == FEE_NONE)
			n = put(out, n, PLATFORM_UNION, PLATFORM_SERVICE_EST, b, TR_ACCRUE);
		else
			n = change(out, n, PLATFORM_SERVICE_EST, b - a, TR_ADJUST, TR_ADJUST);
		return put(out, n, PLATFORM_SERVICE_EST, PLATFORM_SERVICE, b, TR_SERVICE_SETTLE);
	}
	if (target->bucket == FEE_SETTLED) /* changed after settlement */
		return change(out, n, PLATFORM_SERVICE, b - a, TR_TOPUP, TR_CLAWBACK);
	if (target->bucket == FEE_ESTIMATED) {
		/* the union took the settlement back: back to the estimate */
		n = put(out, n, PLATFORM_SERVICE, PLATFORM_SERVICE_EST, a, TR_UNFREEZE);
		return change(out, n, PLATFORM_SERVICE_EST, b - a, TR_ADJUST, TR_ADJUST);
	}
	/* settled to nothing (service_fee_target never asks it): clawed back */
	return put(out, n, PLATFORM_SERVICE, PLATFORM_UNION, a, TR_CLAWBACK);
}

int64_t service_fee_in(const struct fee_position *p, int64_t account)
{
	if (account == PLATFORM_SERVICE_EST)
		return p->bucket == FEE_ESTIMATED ? p->amount : 0;
	if (account == PLATFORM_SERVICE)
		return p->bucket == FEE_SETTLED ? p->amount : 0;
	return 0;
}

/* service_fee.h — where the head's service fee on one campaign order must
 * stand, and the ledger transfers between two such positions.
 *
 * Pure (no I/O): the engine (engine/campaign_orders.c) stores the position
 * with the campaign order and posts the difference, as items do with
 * order_target() and ledger_diff(); docs/promotion-head.md. */
#ifndef TK_SERVICE_FEE_H
#define TK_SERVICE_FEE_H

#include <stdint.h>

#include "core/ledger.h"
#include "core/order.h"

/* Stored as campaign_orders.fee_bucket (0, 1, 2). */
enum fee_bucket {
	FEE_NONE = 0,      /* nothing accrued: unpaid, invalid */
	FEE_ESTIMATED = 1, /* in ACCT_SERVICE_EST: paid or received */
	FEE_SETTLED = 2,   /* in ACCT_SERVICE: the union settled the item */
};

struct fee_position {
	enum fee_bucket bucket;
	int64_t amount; /* fen, >= 0; 0 when bucket is FEE_NONE */
};

/* The fee a campaign product's rate gives: floor(amount x service_pm /
 * 1000), exact in integers (amount <= ORDER_MONEY_MAX, pm 0..1000). */
int64_t service_fee_by_rate(int64_t amount, int service_pm);

/* The position for an item in `status` with service fee `fee` (>= 0):
 * estimated while paid or received, settled once settled; nothing while
 * unpaid or invalid — except that money already settled stays in the
 * settled account and shrinks there (a clawback), as released commission
 * stays available.  `cur` is where it stands now. */
void service_fee_target(enum order_status status, int64_t fee, const struct fee_position *cur,
			struct fee_position *target);

/* At most: settle or take back a settlement, plus one adjustment. */
#define SERVICE_FEE_DIFF_MAX 2

/* The transfers that take the fee from cur to target, each amount > 0,
 * item and at left 0 for the caller: TR_ACCRUE / TR_ADJUST / TR_REVERSE on
 * the estimate (against the union), TR_SERVICE_SETTLE estimate -> settled,
 * TR_UNFREEZE settled -> estimate, TR_CLAWBACK / TR_TOPUP on the settled
 * fee.  Returns how many were written to out. */
int service_fee_diff(const struct fee_position *cur, const struct fee_position *target,
		     struct transfer *out);

/* How much the position puts in an account (PLATFORM_SERVICE_EST,
 * PLATFORM_SERVICE; 0 for any other). */
int64_t service_fee_in(const struct fee_position *p, int64_t account);

#endif

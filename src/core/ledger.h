/* ledger.h — accounts and immutable two-account transfers.
 *
 * Following TigerBeetle's model, money only moves by a transfer of a
 * positive amount from a debit account to a credit account; a balance is
 * credits minus debits, so the sum over all accounts is always zero.
 * Nothing edits a posted transfer: corrections are new transfers. */
#ifndef TK_LEDGER_H
#define TK_LEDGER_H

#include <stdint.h>

#include "core/order.h"

/* Account ids are derived, not looked up: member m's account of kind k is
 * m * ACCT_KINDS + k; the platform is member 0. */
enum acct_kind {
	/* member accounts */
	ACCT_PENDING = 1,
	ACCT_FROZEN = 2,
	ACCT_AVAILABLE = 3,
	ACCT_WITHDRAWING = 4,
	ACCT_PAID = 5,
	/* platform accounts (member 0) */
	ACCT_UNION = 1,   /* union receivable: the source of every commission */
	ACCT_REVENUE = 2, /* the platform's share of commissions */
	ACCT_FEES = 3,    /* withdrawal fees */
	/* the investment-promotion head's books (member 0), apart from the
	 * commission split: docs/promotion-head.md */
	ACCT_SERVICE_EST = 4, /* service fees on campaign sales, estimated */
	ACCT_SERVICE = 5,     /* service fees the union settled */
	ACCT_SLOT_DUE = 6,    /* slot fees billed to merchants (their receivable) */
	ACCT_SLOT = 7,        /* slot fees earned */
};
#define ACCT_KINDS 8
#define ACCOUNT(member, kind) ((int64_t)(member) * ACCT_KINDS + (kind))
#define ACCOUNT_MEMBER(acct) ((acct) / ACCT_KINDS)
#define ACCOUNT_KIND(acct) ((int)((acct) % ACCT_KINDS))
#define PLATFORM_UNION ACCOUNT(0, ACCT_UNION)
#define PLATFORM_REVENUE ACCOUNT(0, ACCT_REVENUE)
#define PLATFORM_FEES ACCOUNT(0, ACCT_FEES)
#define PLATFORM_SERVICE_EST ACCOUNT(0, ACCT_SERVICE_EST)
#define PLATFORM_SERVICE ACCOUNT(0, ACCT_SERVICE)
#define PLATFORM_SLOT_DUE ACCOUNT(0, ACCT_SLOT_DUE)
#define PLATFORM_SLOT ACCOUNT(0, ACCT_SLOT)

enum transfer_code {
	TR_ACCRUE = 1,     /* union -> pending/revenue: commission estimated */
	TR_ADJUST = 2,     /* a changed commission, either direction */
	TR_REVERSE = 3,    /* pending/frozen -> union: item invalid */
	TR_FREEZE = 4,     /* pending -> frozen: union settled */
	TR_RELEASE = 5,    /* frozen -> available: hold passed */
	TR_CLAWBACK = 6,   /* available -> union: refund after release */
	TR_TOPUP = 7,      /* union -> available: raised after release */
	TR_WITHDRAW = 8,   /* available -> withdrawing */
	TR_RETURN = 9,     /* withdrawing -> available: rejected */
	TR_PAYOUT = 10,    /* withdrawing -> paid */
	TR_FEE = 11,       /* withdrawing -> platform fees */
	TR_UNFREEZE = 12,  /* frozen -> pending: union took back a settlement */
	/* the head's books: a service fee moves like a share (TR_ACCRUE,
	 * TR_ADJUST, TR_REVERSE, TR_CLAWBACK, TR_TOPUP, TR_UNFREEZE between the
	 * union and ACCT_SERVICE_EST / ACCT_SERVICE) and is settled by: */
	TR_SERVICE_SETTLE = 13, /* service estimated -> service: union settled */
	TR_SLOT_BOOK = 14,      /* slot due -> slot: a slot fee billed */
	TR_SLOT_WAIVE = 15,     /* slot -> slot due: a slot fee waived */
};

struct transfer {
	int64_t id;     /* assigned by the store */
	int64_t debit;  /* account the money leaves */
	int64_t credit; /* account the money reaches */
	int64_t amount; /* fen, > 0 */
	enum transfer_code code;
	int64_t item;       /* order item id, or 0 */
	int64_t withdrawal; /* withdrawal id, or 0 */
	int64_t slot;       /* slot fee id (slot_fees), or 0 */
	int64_t at;         /* unix seconds */
};

/* At most: per slot a move and an adjustment, plus the platform share. */
#define LEDGER_DIFF_MAX (2 * PLAN_MAX_TIERS + 1)

/* The transfers that take an item's money from cur to target (same chain).
 * Returns how many were written to out (<= LEDGER_DIFF_MAX); each has
 * amount > 0, item and at left 0 for the caller to fill. */
int ledger_diff(const struct item_money *cur, const struct item_money *target,
		struct transfer *out);

/* The account a slot's bucket lives in. */
int64_t ledger_bucket_account(int64_t member, enum bucket b);

const char *transfer_code_name(enum transfer_code c);
const char *acct_kind_name(int64_t acct);

#endif

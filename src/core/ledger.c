/* ledger.c — the transfers that move an item's money between positions. */
#include "core/ledger.h"

#include <assert.h>

int64_t ledger_bucket_account(int64_t member, enum bucket b)
{
	switch (b) {
	case BUCKET_PENDING: return ACCOUNT(member, ACCT_PENDING);
	case BUCKET_FROZEN: return ACCOUNT(member, ACCT_FROZEN);
	case BUCKET_AVAILABLE: return ACCOUNT(member, ACCT_AVAILABLE);
	case BUCKET_NONE: break;
	}
	return PLATFORM_UNION;
}

static void put(struct transfer *out, int *n, int64_t debit, int64_t credit, int64_t amount,
		enum transfer_code code)
{
	assert(amount > 0 && debit != credit);
	struct transfer *t = &out[(*n)++];
	*t = (struct transfer){.debit = debit, .credit = credit, .amount = amount, .code = code};
}

/* The code for moving a slot's whole amount from one bucket to another. */
static enum transfer_code move_code(enum bucket from, enum bucket to)
{
	if (to == BUCKET_FROZEN)
		return from == BUCKET_PENDING ? TR_FREEZE : TR_ADJUST;
	if (to == BUCKET_PENDING)
		return TR_UNFREEZE;
	return TR_RELEASE;
}

int ledger_diff(const struct item_money *cur, const struct item_money *tgt, struct transfer *out)
{
	int n = 0;
	int slots = cur->n > tgt->n ? cur->n : tgt->n;
	for (int i = 0; i < slots; i++) {
		int64_t member = i < tgt->n ? tgt->member[i] : cur->member[i];
		int64_t have = i < cur->n ? cur->amount[i] : 0;
		enum bucket hb = i < cur->n ? cur->bucket[i] : BUCKET_NONE;
		int64_t want = i < tgt->n ? tgt->amount[i] : 0;
		enum bucket wb = i < tgt->n ? tgt->bucket[i] : BUCKET_NONE;
		assert(have >= 0 && want >= 0);
		assert(i >= cur->n || i >= tgt->n || cur->member[i] == tgt->member[i]);

		if (wb == BUCKET_NONE) { /* the share goes away entirely */
			if (have > 0)
				put(out, &n, ledger_bucket_account(member, hb), PLATFORM_UNION, have,
				    hb == BUCKET_AVAILABLE ? TR_CLAWBACK : TR_REVERSE);
			continue;
		}
		if (have > 0 && hb != wb) { /* move what is there, then adjust */
			put(out, &n, ledger_bucket_account(member, hb),
			    ledger_bucket_account(member, wb), have, move_code(hb, wb));
		}
		int64_t acct = ledger_bucket_account(member, wb);
		if (want > have)
			put(out, &n, PLATFORM_UNION, acct, want - have,
			    wb == BUCKET_AVAILABLE ? TR_TOPUP : have == 0 && hb == BUCKET_NONE ? TR_ACCRUE : TR_ADJUST);
		else if (want < have)
			put(out, &n, acct, PLATFORM_UNION, have - want,
			    wb == BUCKET_AVAILABLE ? TR_CLAWBACK : TR_ADJUST);
	}
	if (tgt->platform > cur->platform)
		put(out, &n, PLATFORM_UNION, PLATFORM_REVENUE, tgt->platform - cur->platform,
		    cur->platform == 0 ? TR_ACCRUE : TR_ADJUST);
	else if (tgt->platform < cur->platform)
		put(out, &n, PLATFORM_REVENUE, PLATFORM_UNION, cur->platform - tgt->platform,
		    tgt->platform == 0 ? TR_REVERSE : TR_ADJUST);
	assert(n <= LEDGER_DIFF_MAX);
	return n;
}

const char *transfer_code_name(enum transfer_code c)
{
	switch (c) {
	case TR_ACCRUE: return "accrue";
	case TR_ADJUST: return "adjust";
	case TR_REVERSE: return "reverse";
	case TR_FREEZE: return "freeze";
	case TR_RELEASE: return "release";
	case TR_CLAWBACK: return "clawback";
	case TR_TOPUP: return "topup";
	case TR_WITHDRAW: return "withdraw";
	case TR_RETURN: return "return";
	case TR_PAYOUT: return "payout";
	case TR_FEE: return "fee";
	case TR_UNFREEZE: return "unfreeze";
	case TR_SERVICE_SETTLE: return "service_settle";
	case TR_SLOT_BOOK: return "slot_book";
	case TR_SLOT_WAIVE: return "slot_waive";
	}
	return "unknown";
}

const char *acct_kind_name(int64_t acct)
{
	int k = ACCOUNT_KIND(acct);
	if (ACCOUNT_MEMBER(acct) == 0) {
		switch (k) {
		case ACCT_UNION: return "union";
		case ACCT_REVENUE: return "revenue";
		case ACCT_FEES: return "fees";
		case ACCT_SERVICE_EST: return "service_estimated";
		case ACCT_SERVICE: return "service";
		case ACCT_SLOT_DUE: return "slot_due";
		case ACCT_SLOT: return "slot";
		}
		return "unknown";
	}
	switch (k) {
	case ACCT_PENDING: return "pending";
	case ACCT_FROZEN: return "frozen";
	case ACCT_AVAILABLE: return "available";
	case ACCT_WITHDRAWING: return "withdrawing";
	case ACCT_PAID: return "paid";
	}
	return "unknown";
}

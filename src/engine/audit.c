/* audit.c — checking every invariant of the ledger, and the totals report.
 *
 *  1. every transfer is well formed: amount > 0, two distinct known accounts,
 *     of at most one member (money moves between the platform and a member
 *     or within a member's accounts, never from member to member), and
 *     belongs to an item or a withdrawal;
 *  2. every stored balance equals the sum of its transfers, and no account
 *     has transfers without a balance;
 *  3. all balances sum to zero;
 *  4. for every item, the member splits plus the platform share equal its
 *     commission (zero when it earns nothing), the splits are what its plan
 *     version computes for its chain, and its ledger entries net to exactly
 *     its stored position;
 *  5. nothing is paid beyond tier 3 or the plan's max_tiers;
 *  6. no withdrawal was larger than what was available, and each member's
 *     withdrawing balance equals its open withdrawals;
 *  7. no balance is impossible: a member's pending, frozen, withdrawing and
 *     paid are never negative, its available is negative at most by what
 *     clawbacks took from it, the platform's revenue and fees are never
 *     negative nor the union's receivable positive, and no balance is
 *     larger than all the commission the union ever paid in.  Every sum
 *     here is a checked add: a sum beyond int64 is a finding, not a wrap;
 *  8. every item's chain is the tree and levels at its first sight
 *     (audit_chains.c);
 * 10. the head's campaign orders (audit_campaign_orders): each one's
 *     ledger entries on the service fee accounts net to its stored fee
 *     position, the union owes each item its splits, platform share and
 *     service fee (check 4), and a head row carries no split;
 *  9. no withdrawal was approved or paid while its member's available
 *     balance was negative: replayed from the transfers in id order, to
 *     the payout's own transfer, and to where the ledger stood when it was
 *     approved (approved_after);
 * 10. slot fees (the promotion head's): a transfer naming a slot fee is a
 *     TR_SLOT_BOOK or TR_SLOT_WAIVE between the slot accounts, the ledger's
 *     net on (fee, PLATFORM_SLOT) is the fee's amount while it is booked or
 *     collected and 0 once waived, and PLATFORM_SLOT holds exactly the
 *     non-waived fees. */
#include "engine/audit_chains.h"
#include "engine/campaign_orders.h"
#include "core/service_fee.h"
#include "engine/sum_map.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/promo_store.h"

struct audit {
	struct engine *e;
	struct audit_report *r;
	struct sum_map acct;      /* account -> sum of its transfers */
	struct sum_map item_acct; /* (item, slot-account) -> net, for item checks */
	struct sum_map open_wd;   /* member -> sum of open withdrawals */
	struct sum_map seen;      /* account -> 1 when a balance row exists */
	struct audit_chains chains;
	/* approvals by where the ledger stood, replayed (check 9) */
	struct wd_decision {
		int64_t after, id, member;
	} *decided;
	size_t n_decided, cap_decided, next_decided;
	struct sum_map clawed;    /* member -> what went from its available to the union */
	struct sum_map slot_net;  /* slot fee -> its transfers' net on PLATFORM_SLOT */
	int64_t union_paid_in;    /* every transfer out of the union: all commission ever */
	struct sum_map fee;       /* item -> its service fee position (check 10) */
	struct sum_map head;      /* item -> 1 for the head's rows */
	bool oom;
};

static void finding(struct audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(struct audit *a, const char *fmt, ...)
{
	struct audit_report *r = a->r;
	if (r->n_findings < AUDIT_MAX_FINDINGS) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->findings[r->n_findings++], sizeof(r->findings[0]), fmt, ap);
		va_end(ap);
	}
	r->n_failed++;
}

static bool known_account(int64_t acct)
{
	int k = ACCOUNT_KIND(acct);
	if (acct <= 0)
		return false;
	if (ACCOUNT_MEMBER(acct) == 0)
		return k == ACCT_UNION || k == ACCT_REVENUE || k == ACCT_FEES || k == ACCT_SERVICE_EST ||
		       k == ACCT_SERVICE || k == ACCT_SLOT_DUE || k == ACCT_SLOT;
	return k >= ACCT_PENDING && k <= ACCT_PAID;
}

/* Key of an (item, account) pair: items and accounts both stay far below
 * 2^31 and 2^32 in any real deployment; the assertion in the caller keeps
 * the packing honest. */
static int64_t item_acct_key(int64_t item, int64_t acct)
{
	return item << 32 | (acct & 0xffffffff);
}

/* Adds to a sum of the audit: false when out of memory (a->oom) or when
 * the sum would leave int64, which no ledger within the limits can reach
 * (core/order.h) and which is then a finding rather than a wrap. */
static bool add(struct audit *a, struct sum_map *m, int64_t key, int64_t delta)
{
	bool overflow;
	if (sum_map_add_checked(m, key, delta, &overflow))
		return true;
	if (!overflow)
		a->oom = true;
	else
		finding(a, "the sums of key %lld go beyond the 64-bit range: the ledger is damaged",
			(long long)key);
	return false;
}

/* The member's available balance as replayed so far. */
static int64_t available_now(const struct audit *a, int64_t member)
{
	const int64_t *v = sum_map_get(&a->acct, ACCOUNT(member, ACCT_AVAILABLE));
	return v ? *v : 0;
}

/* Check 9 for the approvals made when the ledger's newest transfer was
 * before `transfer` (INT64_MAX: all that are left): called before that
 * transfer is replayed. */
static void approvals_until(struct audit *a, int64_t transfer)
{
	for (; a->next_decided < a->n_decided && a->decided[a->next_decided].after < transfer;
	     a->next_decided++) {
		const struct wd_decision *d = &a->decided[a->next_decided];
		int64_t avail = available_now(a, d->member);
		if (avail < 0)
			finding(a, "withdrawal %lld was approved while member #%lld's available was "
				   "%lld fen",
				(long long)d->id, (long long)d->member, (long long)avail);
	}
}

/* Check 10, per transfer: a slot fee's transfers move between the slot
 * accounts only, and only they do; their net per fee is kept. */
static bool slot_transfer(struct audit *a, const struct transfer *t)
{
	bool slots = (t->debit == PLATFORM_SLOT_DUE && t->credit == PLATFORM_SLOT &&
		      t->code == TR_SLOT_BOOK) ||
		     (t->debit == PLATFORM_SLOT && t->credit == PLATFORM_SLOT_DUE &&
		      t->code == TR_SLOT_WAIVE);
	bool touches = t->debit == PLATFORM_SLOT || t->credit == PLATFORM_SLOT ||
		       t->debit == PLATFORM_SLOT_DUE || t->credit == PLATFORM_SLOT_DUE;
	if (t->slot && (!slots || t->item || t->withdrawal))
		finding(a, "transfer %lld names slot fee %lld but is a %s from %lld to %lld",
			(long long)t->id, (long long)t->slot, transfer_code_name(t->code),
			(long long)t->debit, (long long)t->credit);
	else if (!t->slot && touches)
		finding(a, "transfer %lld (%s, %lld fen) moves slot fee money but names no slot fee",
			(long long)t->id, transfer_code_name(t->code), (long long)t->amount);
	if (!t->slot)
		return true;
	int64_t net = t->credit == PLATFORM_SLOT ? t->amount : t->debit == PLATFORM_SLOT ? -t->amount : 0;
	return add(a, &a->slot_net, t->slot, net);
}

struct slot_audit {
	struct audit *a;
	int64_t booked; /* the non-waived fees */
	struct sum_map seen;
};

static bool on_slot_fee(void *ctx, const struct slot_fee_rec *f)
{
	struct slot_audit *s = ctx;
	struct audit *a = s->a;
	const int64_t *v = sum_map_get(&a->slot_net, f->id);
	int64_t net = v ? *v : 0;
	bool waived = strcmp(f->state, "waived") == 0;
	int64_t want = waived ? 0 : f->amount;
	if (net != want)
		finding(a, "slot fee %lld (%s, %lld fen): the ledger holds %lld fen for it on the "
			   "slot account, not %lld",
			(long long)f->id, f->state, (long long)f->amount, (long long)net,
			(long long)want);
	if (!waived && __builtin_add_overflow(s->booked, f->amount, &s->booked))
		finding(a, "the slot fees sum beyond the 64-bit range at fee %lld", (long long)f->id);
	if (!add(a, &s->seen, f->id, 1))
		return !a->oom;
	return true;
}

/* Check 10, per fee, once the transfers are summed. */
static enum tk_rc slot_fees_check(struct audit *a, struct tk_error *err)
{
	struct store *st = a->e->st;
	struct slot_audit s = {.a = a};
	struct slot_fee_filter f = {0};
	enum tk_rc rc = TK_OK;
	if (st->promo && (rc = st->promo->slot_list(st, &f, on_slot_fee, &s, err)))
		goto out;
	const int64_t *bal = sum_map_get(&a->acct, PLATFORM_SLOT);
	if ((bal ? *bal : 0) != s.booked)
		finding(a, "the slot account holds %lld fen but the fees not waived sum to %lld",
			(long long)(bal ? *bal : 0), (long long)s.booked);
	for (uint64_t i = 0; i < a->slot_net.n_slots; i++)
		if (a->slot_net.key[i] != INT64_MIN && !sum_map_get(&s.seen, a->slot_net.key[i]))
			finding(a, "transfers name slot fee %lld, which does not exist",
				(long long)a->slot_net.key[i]);
out:
	sum_map_free(&s.seen);
	return rc;
}

static bool on_transfer(void *ctx, const struct transfer *t)
{
	struct audit *a = ctx;
	a->r->transfers++;
	approvals_until(a, t->id);
	if (t->code == TR_PAYOUT && t->withdrawal &&
	    available_now(a, ACCOUNT_MEMBER(t->debit)) < 0)
		finding(a, "withdrawal %lld was paid while member #%lld's available was %lld fen",
			(long long)t->withdrawal, (long long)ACCOUNT_MEMBER(t->debit),
			(long long)available_now(a, ACCOUNT_MEMBER(t->debit)));
	if (t->amount <= 0 || t->debit == t->credit || !known_account(t->debit) ||
	    !known_account(t->credit))
		finding(a, "transfer %lld is malformed (debit %lld, credit %lld, amount %lld)",
			(long long)t->id, (long long)t->debit, (long long)t->credit,
			(long long)t->amount);
	int64_t md = ACCOUNT_MEMBER(t->debit), mc = ACCOUNT_MEMBER(t->credit);
	if (md > 0 && mc > 0 && md != mc)
		finding(a, "transfer %lld moves money from member #%lld to member #%lld",
			(long long)t->id, (long long)md, (long long)mc);
	if (!t->item && !t->withdrawal && !t->slot)
		finding(a, "transfer %lld (%s, %lld fen) belongs to no item and no withdrawal",
			(long long)t->id, transfer_code_name(t->code), (long long)t->amount);
	if (!slot_transfer(a, t))
		return !a->oom;
	if (!add(a, &a->acct, t->debit, -t->amount) || !add(a, &a->acct, t->credit, t->amount))
		return !a->oom;
	if (t->debit == PLATFORM_UNION &&
	    __builtin_add_overflow(a->union_paid_in, t->amount, &a->union_paid_in))
		finding(a, "the union's payments sum beyond the 64-bit range at transfer %lld",
			(long long)t->id);
	if (md > 0 && ACCOUNT_KIND(t->debit) == ACCT_AVAILABLE && t->credit == PLATFORM_UNION &&
	    !add(a, &a->clawed, md, t->amount))
		return !a->oom;
	if (t->item) {
		if (t->item >= (INT64_C(1) << 31) || t->debit >= (INT64_C(1) << 32) ||
		    t->credit >= (INT64_C(1) << 32)) {
			finding(a, "transfer %lld is beyond the audit's id range", (long long)t->id);
			return true;
		}
		if (!add(a, &a->item_acct, item_acct_key(t->item, t->debit), -t->amount) ||
		    !add(a, &a->item_acct, item_acct_key(t->item, t->credit), t->amount))
			return !a->oom;
	}
	return true;
}

/* Check 7: a balance no sequence of transfers tuike makes could leave. */
static void impossible_balance(struct audit *a, int64_t account, int64_t balance)
{
	int64_t member = ACCOUNT_MEMBER(account);
	int kind = ACCOUNT_KIND(account);
	const char *name = acct_kind_name(account);
	/* slot fees are billed to merchants, not paid in by the union: the
	 * receivable is never positive, what was earned never negative */
	if (account == PLATFORM_SLOT_DUE || account == PLATFORM_SLOT) {
		if ((account == PLATFORM_SLOT_DUE) == (balance > 0) && balance != 0)
			finding(a, "account %lld (%s) is %lld: it is %s", (long long)account, name,
				(long long)balance,
				account == PLATFORM_SLOT ? "never negative" : "never positive");
		return;
	}
	if (member > 0 && kind == ACCT_AVAILABLE) {
		const int64_t *c = sum_map_get(&a->clawed, member);
		int64_t clawed = c ? *c : 0;
		if (balance < 0 && -balance > clawed)
			finding(a, "account %lld (available of member #%lld) is %lld but clawbacks took "
				"only %lld from it: nothing else can make it negative",
				(long long)account, (long long)member, (long long)balance,
				(long long)clawed);
	} else if ((member > 0 || kind != ACCT_UNION) && balance < 0) {
		finding(a, "account %lld (%s of member #%lld) is %lld: it can never be negative",
			(long long)account, name, (long long)member, (long long)balance);
	} else if (member == 0 && kind == ACCT_UNION && balance > 0) {
		finding(a, "account %lld (union) is %lld: it is minus the commission the union "
			"owes, never positive", (long long)account, (long long)balance);
	}
	/* every fen any account holds came from the union, once */
	if (balance > a->union_paid_in || (balance < 0 && -balance > a->union_paid_in))
		finding(a, "account %lld (%s of member #%lld) holds %lld, more than the %lld fen "
			"of commission the union ever paid",
			(long long)account, name, (long long)member, (long long)balance,
			(long long)a->union_paid_in);
}

static bool on_balance(void *ctx, int64_t account, int64_t balance)
{
	struct audit *a = ctx;
	a->r->accounts++;
	if (__builtin_add_overflow(a->r->total, balance, &a->r->total))
		finding(a, "the balances sum beyond the 64-bit range at account %lld",
			(long long)account);
	impossible_balance(a, account, balance);
	const int64_t *sum = sum_map_get(&a->acct, account);
	int64_t expect = sum ? *sum : 0;
	if (balance != expect)
		finding(a, "account %lld (%s of member #%lld) has balance %lld but its transfers sum to %lld",
			(long long)account, acct_kind_name(account),
			(long long)ACCOUNT_MEMBER(account), (long long)balance, (long long)expect);
	if (!add(a, &a->seen, account, 1))
		return !a->oom;
	return true;
}

static int64_t item_net(struct audit *a, int64_t item, int64_t acct)
{
	const int64_t *v = sum_map_get(&a->item_acct, item_acct_key(item, acct));
	return v ? *v : 0;
}

static bool on_item(void *ctx, const struct item_rec *it)
{
	struct audit *a = ctx;
	const struct plan *p;
	struct tk_error err;
	const char *u = it->row.union_, *k = it->row.item;
	a->r->items++;
	if (engine_plan_version(a->e, it->plan_version, &p, &err)) {
		finding(a, "item %s/%s: plan version %lld cannot be read: %s", u, k,
			(long long)it->plan_version, err.msg);
		return true;
	}
	if (it->chain.n > PLAN_MAX_TIERS || it->chain.n > p->max_tiers || it->money.n != it->chain.n) {
		finding(a, "item %s/%s is split over %d tiers (max_tiers %d, legal limit 3)", u, k,
			it->chain.n, p->max_tiers);
		return true;
	}
	int64_t want_total = order_earns(it->row.status) ? order_net_commission(it->row.commission, it->row.refunded) : 0;
	int64_t total = it->money.platform;
	for (int i = 0; i < it->money.n; i++)
		total += it->money.amount[i];
	if (total != want_total)
		finding(a, "item %s/%s: splits plus platform share are %lld, commission is %lld", u, k,
			(long long)total, (long long)want_total);
	struct plan_chain then;
	if (!audit_chain_ok(&a->chains, p, it, &then)) {
		char got[96] = "", want[96] = "";
		for (int i = 0; i < it->chain.n; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s#%lld/%d",
				 i ? " " : "", (long long)it->chain.member[i], it->chain.level[i]);
		for (int i = 0; i < then.n; i++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s#%lld/%d",
				 i ? " " : "", (long long)then.member[i], then.level[i]);
		finding(a, "item %s/%s: chain [%s] is not the tree at its first sight [%s]", u, k,
			got, want);
	}
	struct plan_split split;
	plan_split(p, &it->chain, want_total, &split);
	for (int i = 0; i < it->money.n; i++)
		if (split.line[i].amount != it->money.amount[i])
			finding(a, "item %s/%s: tier %d holds %lld but plan version %lld computes %lld",
				u, k, i + 1, (long long)it->money.amount[i], (long long)it->plan_version,
				(long long)split.line[i].amount);
	/* its ledger entries net to its position */
	if (item_net(a, it->id, PLATFORM_REVENUE) != it->money.platform)
		finding(a, "item %s/%s: platform share %lld but the ledger holds %lld", u, k,
			(long long)it->money.platform,
			(long long)item_net(a, it->id, PLATFORM_REVENUE));
	int64_t member_sum = 0;
	for (int i = 0; i < it->money.n; i++) {
		for (int kind = ACCT_PENDING; kind <= ACCT_AVAILABLE; kind++) {
			int64_t acct = ACCOUNT(it->money.member[i], kind);
			int64_t want = 0;
			for (int j = 0; j < it->money.n; j++)
				if (it->money.member[j] == it->money.member[i] &&
				    ledger_bucket_account(it->money.member[j], it->money.bucket[j]) == acct &&
				    it->money.bucket[j] != BUCKET_NONE)
					want += it->money.amount[j];
			if (item_net(a, it->id, acct) != want)
				finding(a, "item %s/%s: member #%lld %s holds %lld in the ledger, %lld in the item",
					u, k, (long long)it->money.member[i], acct_kind_name(acct),
					(long long)item_net(a, it->id, acct), (long long)want);
		}
		member_sum += it->money.amount[i];
	}
	const int64_t *fee = sum_map_get(&a->fee, it->id);
	int64_t owed = member_sum + it->money.platform + (fee ? *fee : 0);
	if (item_net(a, it->id, PLATFORM_UNION) != -owed)
		finding(a, "item %s/%s: the union owes %lld by the ledger but %lld by the item", u, k,
			(long long)-item_net(a, it->id, PLATFORM_UNION), (long long)owed);
	if (sum_map_get(&a->head, it->id) && (it->row.commission != 0 || member_sum != 0 ||
					      it->money.platform != 0))
		finding(a, "item %s/%s is the head's service fee row but carries commission %lld "
			"split %lld", u, k, (long long)it->row.commission,
			(long long)(member_sum + it->money.platform));
	return true;
}

/* Check 10: a campaign order's service fee in the ledger. */
static bool on_campaign_order(void *ctx, const struct campaign_order_rec *co)
{
	struct audit *a = ctx;
	struct fee_position p = {(enum fee_bucket)co->fee_bucket, co->fee_amount};
	if (co->fee_bucket < FEE_NONE || co->fee_bucket > FEE_SETTLED || co->fee_amount < 0 ||
	    (co->fee_bucket == FEE_NONE && co->fee_amount != 0)) {
		finding(a, "campaign order %s/%s has an impossible fee position (%d, %lld)",
			co->union_, co->key, co->fee_bucket, (long long)co->fee_amount);
		return true;
	}
	for (int64_t acct = PLATFORM_SERVICE_EST; acct <= PLATFORM_SERVICE; acct++)
		if (item_net(a, co->item, acct) != service_fee_in(&p, acct))
			finding(a, "campaign order %s/%s: %s holds %lld in the ledger, %lld in the "
				"order", co->union_, co->key, acct_kind_name(acct),
				(long long)item_net(a, co->item, acct),
				(long long)service_fee_in(&p, acct));
	if (!add(a, &a->fee, co->item, co->fee_amount) ||
	    (co->head && !add(a, &a->head, co->item, 1)))
		return !a->oom;
	return true;
}

static bool on_decided(void *ctx, const struct withdrawal_rec *w)
{
	struct audit *a = ctx;
	if ((w->status != WD_APPROVED && w->status != WD_PAID) || !w->approved_after)
		return true; /* approved before tuike kept where the ledger stood: unknown */
	if (a->n_decided == a->cap_decided) {
		size_t cap = a->cap_decided ? 2 * a->cap_decided : 256;
		struct wd_decision *d = realloc(a->decided, cap * sizeof(*d));
		if (!d)
			return !(a->oom = true);
		a->decided = d;
		a->cap_decided = cap;
	}
	a->decided[a->n_decided++] = (struct wd_decision){w->approved_after, w->id, w->member};
	return true;
}

static int decision_cmp(const void *x, const void *y)
{
	const struct wd_decision *a = x, *b = y;
	if (a->after != b->after)
		return a->after < b->after ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static bool on_withdrawal(void *ctx, const struct withdrawal_rec *w)
{
	struct audit *a = ctx;
	a->r->withdrawals++;
	if (w->amount <= 0)
		finding(a, "withdrawal %lld is of %lld fen", (long long)w->id, (long long)w->amount);
	if (w->amount > w->available_before)
		finding(a, "withdrawal %lld of %lld fen exceeds the %lld fen that were available",
			(long long)w->id, (long long)w->amount, (long long)w->available_before);
	if (w->fee < 0 || w->fee > w->amount)
		finding(a, "withdrawal %lld has a fee of %lld on %lld fen", (long long)w->id,
			(long long)w->fee, (long long)w->amount);
	if (w->status == WD_REQUESTED || w->status == WD_APPROVED) {
		if (!add(a, &a->open_wd, w->member, w->amount))
			return !a->oom;
	}
	return true;
}

enum tk_rc engine_audit(struct engine *e, struct audit_report *r, struct tk_error *err)
{
	enum tk_rc rc;
	struct audit a = {.e = e, .r = r};
	const struct co_filter all_orders = {.head = -1, .status = -1};
	memset(r, 0, sizeof(*r));
	/* one read transaction: a consistent snapshot even while others write */
	if ((rc = engine_read_begin(e, err)))
		return rc;
	if ((rc = audit_chains_load(&a.chains, e, err)) ||
	    (rc = e->st->ops->withdrawal_each(e->st, on_decided, &a, err)))
		goto out;
	if (a.n_decided)
		qsort(a.decided, a.n_decided, sizeof(*a.decided), decision_cmp);
	if ((rc = e->st->ops->transfer_each(e->st, on_transfer, &a, err)) ||
	    (rc = e->st->ops->balance_each(e->st, on_balance, &a, err)) ||
	    (rc = e->st->campaign_orders->each(e->st, &all_orders, 0, on_campaign_order, &a, err)) ||
	    (rc = e->st->ops->item_each(e->st, on_item, &a, err)) ||
	    (rc = e->st->ops->withdrawal_each(e->st, on_withdrawal, &a, err)))
		goto out;
	if (a.oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory while auditing");
		goto out;
	}
	approvals_until(&a, INT64_MAX);
	if ((rc = slot_fees_check(&a, err)))
		goto out;
	if (r->total != 0)
		finding(&a, "the balances of all accounts sum to %lld, not 0", (long long)r->total);
	for (uint64_t i = 0; i < a.acct.n_slots; i++) {
		int64_t acct = a.acct.key[i];
		if (acct == INT64_MIN)
			continue;
		if (!sum_map_get(&a.seen, acct) && a.acct.sum[i] != 0)
			finding(&a, "account %lld has transfers summing to %lld but no balance",
				(long long)acct, (long long)a.acct.sum[i]);
		if (ACCOUNT_MEMBER(acct) != 0 && ACCOUNT_KIND(acct) == ACCT_WITHDRAWING) {
			const int64_t *open = sum_map_get(&a.open_wd, ACCOUNT_MEMBER(acct));
			int64_t want = open ? *open : 0;
			if (a.acct.sum[i] != want)
				finding(&a, "member #%lld has %lld withdrawing but %lld in open withdrawals",
					(long long)ACCOUNT_MEMBER(acct), (long long)a.acct.sum[i],
					(long long)want);
		}
	}
	for (uint64_t i = 0; i < a.open_wd.n_slots; i++)
		if (a.open_wd.key[i] != INT64_MIN &&
		    !sum_map_get(&a.acct, ACCOUNT(a.open_wd.key[i], ACCT_WITHDRAWING)))
			finding(&a, "member #%lld has open withdrawals but nothing withdrawing",
				(long long)a.open_wd.key[i]);
out:
	e->st->ops->tx_rollback(e->st);
	sum_map_free(&a.acct);
	sum_map_free(&a.item_acct);
	sum_map_free(&a.open_wd);
	sum_map_free(&a.seen);
	audit_chains_free(&a.chains);
	free(a.decided);
	sum_map_free(&a.clawed);
	sum_map_free(&a.fee);
	sum_map_free(&a.head);
	sum_map_free(&a.slot_net);
	return rc;
}

enum tk_rc engine_report_totals(struct engine *e, struct report_totals *out,
				struct tk_error *err)
{
	memset(out, 0, sizeof(*out));
	return e->st->ops->report_totals(e->st, out, err);
}

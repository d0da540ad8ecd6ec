/* withdraw.c — withdrawals: request, approve, pay, reject.
 *
 * A request moves the money from available to withdrawing at once, inside
 * the same write transaction that checked the balance (BEGIN IMMEDIATE), so
 * two requests can never spend the same money.  A negative available
 * balance (a clawback after release) blocks every request, and the approval
 * and payment of one made before the clawback, until it is covered: else
 * buy, withdraw, refund would pay out money the member no longer has. */
#include "engine/engine_internal.h"

#include <assert.h>
#include <string.h>

#include "actions/actions.h"
#include "core/money.h"
#include "core/utf8.h"

const char *wd_status_name(enum wd_status s)
{
	switch (s) {
	case WD_REQUESTED: return "requested";
	case WD_APPROVED: return "approved";
	case WD_PAID: return "paid";
	case WD_REJECTED: return "rejected";
	}
	return "unknown";
}

static bool valid_method(const char *m)
{
	return strcmp(m, "alipay") == 0 || strcmp(m, "wechat") == 0 || strcmp(m, "bank") == 0;
}

/* A member's text (payee, bank, branch) goes into a file a payment channel
 * reads and a person checks: valid UTF-8, no control characters (a line
 * break would make the row two). */
static enum tk_rc check_text(const char *field, const char *s, size_t max,
			     struct tk_error *err)
{
	size_t n = strlen(s);
	if (n >= max) {
		tk_fail_key(err, TK_ELIMIT, field, "field.too_long", "is longer than %zu bytes",
			    max - 1);
		tk_error_int(err, "max", (long long)(max - 1));
		return TK_ELIMIT;
	}
	if (utf8_invalid_at(s, n) != n)
		return tk_fail(err, TK_EINVAL, field, "is not valid UTF-8 (at byte %zu)",
			       utf8_invalid_at(s, n));
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			if (strcmp(field, "payee") == 0)
				return tk_fail_key(err, TK_EINVAL, field, "withdraw.payee_invalid",
						   "must not hold control characters, got \"%s\"", s);
			return tk_fail_key(err, TK_EINVAL, field, "field.control_chars",
					   "must not hold control characters, got \"%s\"", s);
		}
	return TK_OK;
}

/* A rejection's reason is read by the member on the promoter page: words,
 * not a blank, bounded in characters (what the member sees) and bytes. */
static enum tk_rc check_reason(const char *reason, struct tk_error *err)
{
	size_t n = reason ? strlen(reason) : 0, i = 0, chars = 0;
	bool words = false;
	uint32_t cp;
	if (n == 0)
		return tk_fail_key(err, TK_EINVAL, "reason", "field.required",
				   "is required to reject: the member is shown why");
	while (i < n) {
		size_t at = i;
		if (!utf8_next(reason, n, &i, &cp))
			return tk_fail(err, TK_EINVAL, "reason", "is not valid UTF-8 (at byte %zu)",
				       at);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
			return tk_fail_key(err, TK_EINVAL, "reason", "field.control_chars",
					   "must not hold control characters or line breaks (U+%04X at "
				       "byte %zu)",
				       (unsigned)cp, at);
		if (cp != ' ' && cp != 0x3000)
			words = true;
		if (++chars > WD_REASON_CHARS)
			return tk_fail(err, TK_ELIMIT, "reason", "is longer than %d characters",
				       WD_REASON_CHARS);
	}
	if (!words)
		return tk_fail_key(err, TK_EINVAL, "reason", "field.required",
				   "must say something, got only spaces");
	assert(n < WD_REASON_MAX);
	return TK_OK;
}

enum tk_rc engine_withdraw_request(struct engine *e, const char *ext, int64_t amount,
				   const char *method, const char *account,
				   struct withdrawal_rec *out, struct tk_error *err)
{
	return engine_withdraw_request_to(e, ext, amount, method, account, NULL, out, err);
}

enum tk_rc engine_withdraw_request_to(struct engine *e, const char *ext, int64_t amount,
				      const char *method, const char *account, const char *payee,
				      struct withdrawal_rec *out, struct tk_error *err)
{
	struct wd_target to = {.method = method, .account = account, .payee = payee};
	return engine_withdraw_ask(e, ext, amount, &to, out, err);
}

enum tk_rc engine_withdraw_ask(struct engine *e, const char *ext, int64_t amount,
			       const struct wd_target *to, struct withdrawal_rec *out,
			       struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	struct member_rec m;
	struct withdrawal_rec w = {0};
	char a[MONEY_YUAN_BUF], b[MONEY_YUAN_BUF];
	const char *method = to->method, *account = to->account, *payee = to->payee;
	const char *bank = to->bank ? to->bank : "", *branch = to->branch ? to->branch : "";

	if (!method || !*method)
		method = "alipay";
	if (!valid_method(method)) {
		tk_fail_key(err, TK_EINVAL, "method", "withdraw.method",
			    "must be alipay, wechat or bank, got \"%s\"", method);
		tk_error_str(err, "value", method);
		return TK_EINVAL;
	}
	if (account && strlen(account) >= WD_ACCOUNT_MAX) {
		tk_fail_key(err, TK_ELIMIT, "account", "field.too_long", "is longer than %d bytes",
			    WD_ACCOUNT_MAX - 1);
		tk_error_int(err, "max", WD_ACCOUNT_MAX - 1);
		return TK_ELIMIT;
	}
	if (payee && (rc = check_text("payee", payee, WD_PAYEE_MAX, err)))
		return rc;
	if ((rc = check_text("bank", bank, WD_BANK_MAX, err)) ||
	    (rc = check_text("branch", branch, WD_BANK_MAX, err)))
		return rc;
	if (strcmp(method, "bank") != 0 && (*bank || *branch))
		return tk_fail(err, TK_EINVAL, *bank ? "bank" : "branch",
			       "is only for method bank, got method \"%s\"", method);
	if (amount <= 0 || amount > MONEY_MAX_FEN)
		return tk_fail_key(err, TK_EINVAL, "amount", "withdraw.amount_positive",
				   "must be a positive number of fen, got %lld", (long long)amount);
	/* the minimum and the fee of the plan active once caught up under the
	 * write lock: a plan set while this process waited for it applies */
	if ((rc = engine_tx_begin(e, err)))
		return rc;
	if ((rc = engine_plan_get(e, 0, &p, NULL, err)))
		goto out;
	if (amount < p->withdraw_min) {
		rc = tk_fail_key(err, TK_EINVAL, "amount", "withdraw.below_minimum",
				 "%s yuan is below the plan's minimum withdrawal of %s yuan",
				 money_format_yuan(amount, a), money_format_yuan(p->withdraw_min, b));
		tk_error_int(err, "amount_fen", amount);
		tk_error_int(err, "minimum_fen", p->withdraw_min);
		goto out;
	}
	if ((rc = e->st->ops->member_get(e->st, ext, &m, err)) ||
	    (rc = e->st->ops->balance_get(e->st, ACCOUNT(m.id, ACCT_AVAILABLE),
					  &w.available_before, err)))
		goto out;
	if (amount > w.available_before) {
		rc = tk_fail_key(err, TK_EFUNDS, "amount", "withdraw.over_available",
				 "%s yuan is more than the available balance of %s yuan",
				 money_format_yuan(amount, a),
				 money_format_yuan(w.available_before, b));
		tk_error_int(err, "amount_fen", amount);
		tk_error_int(err, "available_fen", w.available_before);
		goto out;
	}
	w.member = m.id;
	w.amount = amount;
	w.fee = money_share(amount, p->withdraw_fee_bps);
	w.status = WD_REQUESTED;
	w.requested_at = engine_now();
	snprintf(w.method, sizeof(w.method), "%s", method);
	snprintf(w.account, sizeof(w.account), "%s", account ? account : "");
	snprintf(w.payee, sizeof(w.payee), "%s", payee ? payee : "");
	snprintf(w.bank, sizeof(w.bank), "%s", bank);
	snprintf(w.branch, sizeof(w.branch), "%s", branch);
	if ((rc = e->st->ops->withdrawal_insert(e->st, &w, err)))
		goto out;
	struct transfer t = {.debit = ACCOUNT(m.id, ACCT_AVAILABLE),
			     .credit = ACCOUNT(m.id, ACCT_WITHDRAWING),
			     .amount = amount, .code = TR_WITHDRAW, .withdrawal = w.id,
			     .at = w.requested_at};
	if ((rc = engine_post(e, &t, 1, err)))
		goto out;
	rc = e->st->ops->tx_commit(e->st, err);
out:
	if (rc) {
		e->st->ops->tx_rollback(e->st);
		return rc;
	}
	if (out)
		*out = w;
	return TK_OK;
}

bool wd_blocked(enum wd_status s, int64_t available)
{
	return (s == WD_REQUESTED || s == WD_APPROVED) && available < 0;
}

enum tk_rc engine_withdraw_standing(struct engine *e, const struct withdrawal_rec *w,
				    int64_t *available, bool *blocked, struct tk_error *err)
{
	enum tk_rc rc = e->st->ops->balance_get(e->st, ACCOUNT(w->member, ACCT_AVAILABLE),
						available, err);
	*blocked = !rc && wd_blocked(w->status, *available);
	return rc;
}

/* Refuses to approve or pay a withdrawal of a member who owes money after
 * a clawback (available < 0); rejecting it stays open, as that returns the
 * money and so pays the debt down. */
static enum tk_rc refuse_debt(struct engine *e, const struct withdrawal_rec *w,
			      const char *step, struct tk_error *err)
{
	int64_t available;
	bool blocked;
	struct member_rec m;
	char owes[MONEY_YUAN_BUF];
	enum tk_rc rc = engine_withdraw_standing(e, w, &available, &blocked, err);
	if (rc || !blocked)
		return rc;
	if ((rc = e->st->ops->member_get_id(e->st, w->member, &m, err)))
		return rc;
	tk_fail_key(err, TK_ECONFLICT, WD_DEBT_FIELD, "withdraw.in_debt",
		    "member %s owes %s yuan after a clawback (available %lld fen): withdrawal "
		    "%lld can't be %s until that is covered (rejecting it returns its money)",
		    m.ext, money_format_yuan(-available, owes), (long long)available,
		    (long long)w->id, step);
	tk_error_str(err, "member", m.ext);
	tk_error_int(err, "owes_fen", -available);
	tk_error_int(err, "withdrawal", w->id);
	return TK_ECONFLICT;
}

/* The action log's entry of a decision: the status before and after, and
 * the money it is about. */
static enum tk_rc log_decision(struct engine *e, const struct withdrawal_rec *w,
			       enum wd_status was, enum wd_action action, int64_t now,
			       struct tk_error *err)
{
	static const char *const what[] = {[WD_APPROVE] = "withdrawal.approve",
					   [WD_PAY] = "withdrawal.pay",
					   [WD_REJECT] = "withdrawal.reject"};
	struct member_rec m = {0};
	enum tk_rc rc = e->st->ops->member_get_id(e->st, w->member, &m, err);
	if (rc)
		return rc;
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "withdrawal:%lld", (long long)w->id);
	json_t *before = json_pack("{s:s, s:s, s:I, s:I}", "status", wd_status_name(was), "member",
				   m.ext, "amount", (json_int_t)w->amount, "fee", (json_int_t)w->fee);
	json_t *after = json_pack("{s:s, s:s, s:I, s:I}", "status", wd_status_name(w->status),
				  "member", m.ext, "amount", (json_int_t)w->amount, "fee",
				  (json_int_t)w->fee);
	if (after && w->reason[0]) /* why, as the member is shown it */
		json_object_set_new(after, "reason", json_string(w->reason));
	rc = actions_record(e->st, now, what[action], subject, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum tk_rc engine_withdraw_decide(struct engine *e, int64_t id, enum wd_action action,
				  const char *reason, struct withdrawal_rec *out,
				  struct tk_error *err)
{
	enum tk_rc rc;
	struct withdrawal_rec w;
	struct transfer t[2];
	int n = 0;
	int64_t now = engine_now();

	if (action == WD_REJECT && (rc = check_reason(reason, err)))
		return rc;
	if (action != WD_REJECT && reason && *reason)
		return tk_fail(err, TK_EINVAL, "reason", "is only for a rejection");

	if ((rc = e->st->ops->tx_begin(e->st, err)))
		return rc;
	if ((rc = e->st->ops->withdrawal_get(e->st, id, &w, err)))
		goto out;
	bool open = w.status == WD_REQUESTED || w.status == WD_APPROVED;
	int64_t from = ACCOUNT(w.member, ACCT_WITHDRAWING);
	enum wd_status was = w.status;
	switch (action) {
	case WD_APPROVE:
		if (w.status != WD_REQUESTED) {
			rc = tk_fail(err, TK_ECONFLICT, "status",
				     "withdrawal %lld is %s; only a requested one can be approved",
				     (long long)id, wd_status_name(w.status));
			goto out;
		}
		if ((rc = refuse_debt(e, &w, "approved", err)))
			goto out;
		w.status = WD_APPROVED;
		w.decided_at = now;
		break;
	case WD_PAY:
		if (w.status != WD_APPROVED) {
			rc = tk_fail(err, TK_ECONFLICT, "status",
				     "withdrawal %lld is %s; only an approved one can be paid",
				     (long long)id, wd_status_name(w.status));
			goto out;
		}
		if ((rc = refuse_debt(e, &w, "paid", err)))
			goto out;
		w.status = WD_PAID;
		w.paid_at = now;
		if (w.amount > w.fee)
			t[n++] = (struct transfer){.debit = from,
						   .credit = ACCOUNT(w.member, ACCT_PAID),
						   .amount = w.amount - w.fee, .code = TR_PAYOUT};
		if (w.fee > 0)
			t[n++] = (struct transfer){.debit = from, .credit = PLATFORM_FEES,
						   .amount = w.fee, .code = TR_FEE};
		break;
	case WD_REJECT:
		if (!open) {
			rc = tk_fail(err, TK_ECONFLICT, "status",
				     "withdrawal %lld is %s and can no longer be rejected",
				     (long long)id, wd_status_name(w.status));
			goto out;
		}
		w.status = WD_REJECTED;
		w.decided_at = now;
		snprintf(w.reason, sizeof(w.reason), "%s", reason);
		t[n++] = (struct transfer){.debit = from,
					   .credit = ACCOUNT(w.member, ACCT_AVAILABLE),
					   .amount = w.amount, .code = TR_RETURN};
		break;
	}
	for (int i = 0; i < n; i++) {
		t[i].withdrawal = w.id;
		t[i].at = now;
	}
	if ((rc = engine_post(e, t, n, err)) || (rc = e->st->ops->withdrawal_update(e->st, &w, err)) ||
	    (rc = log_decision(e, &w, was, action, now, err)))
		goto out;
	rc = e->st->ops->tx_commit(e->st, err);
out:
	if (rc) {
		e->st->ops->tx_rollback(e->st);
		return rc;
	}
	if (out)
		*out = w;
	return TK_OK;
}

/* ---- balances ---- */

enum tk_rc engine_balance(struct engine *e, const char *ext, struct balance *out,
			  struct tk_error *err)
{
	enum tk_rc rc;
	struct member_rec m;
	if ((rc = e->st->ops->member_get(e->st, ext, &m, err)))
		return rc;
	int64_t *dst[] = {&out->pending, &out->frozen, &out->available, &out->withdrawing,
			  &out->paid};
	for (int k = ACCT_PENDING; k <= ACCT_PAID; k++)
		if ((rc = e->st->ops->balance_get(e->st, ACCOUNT(m.id, k), dst[k - 1], err)))
			return rc;
	return TK_OK;
}

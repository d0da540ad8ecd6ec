/* api_money.c — balances, ledger history, settlement and withdrawals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/tktime.h"
#include "engine/payout.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "store/server_store.h"

enum tk_rc h_balance(struct api_call *c)
{
	struct member_rec m;
	struct balance b;
	enum tk_rc rc;
	if ((rc = api_member_money(c, api_param(c, 0), &m)) ||
	    (rc = engine_balance(c->e, m.ext, &b, &c->err)))
		return rc;
	return api_reply(c, 200, api_json_balance(m.ext, &b));
}

/* ---- ledger history ---- */

struct ledger_page {
	json_t *list;
	int64_t member, last;
	int n;
};

static bool ledger_cb(void *ctx, const struct ledger_entry *e)
{
	struct ledger_page *p = ctx;
	json_array_append_new(p->list, api_json_ledger_entry(e, p->member));
	p->last = e->t.id;
	p->n++;
	return true;
}

static json_t *next_cursor(int64_t last, int n, int limit)
{
	char buf[24];
	if (n < limit)
		return json_null();
	snprintf(buf, sizeof(buf), "%lld", (long long)last);
	return json_string(buf);
}

enum tk_rc h_ledger(struct api_call *c)
{
	struct member_rec m;
	int64_t before;
	int limit;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = api_member_money(c, api_param(c, 0), &m)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	struct ledger_page p = {.list = json_array(), .member = m.id};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->server->ledger_page(st, m.id, before, limit, ledger_cb, &p, &c->err))) {
		json_decref(p.list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:s, s:o, s:o}", "member", m.ext, "entries", p.list,
					   "next", next_cursor(p.last, p.n, limit)));
}

/* ---- settlement ---- */

enum tk_rc h_settle(struct api_call *c)
{
	static const char *const fields[] = {NULL};
	json_t *body;
	int64_t items, fen;
	enum tk_rc rc;
	/* Settlement runs by the server's clock alone: a caller's "now" would
	 * release money before its hold has passed. */
	if (c->body_len) {
		if ((rc = api_body(c, &body)))
			return rc;
		if (json_object_get(body, "now"))
			return tk_fail(&c->err, TK_EINVAL, "now",
				       "is not accepted: settlement releases what is due by the "
				       "server's clock, never earlier");
		if ((rc = api_body_only(c, fields)))
			return rc;
	}
	if ((rc = engine_settle(c->e, c->now, &items, &fen, &c->err)))
		return rc;
	return api_reply(c, 200, json_pack("{s:I, s:I, s:o}", "released_items", (json_int_t)items,
					   "released", (json_int_t)fen, "as_of",
					   api_json_time(c->now)));
}

/* ---- withdrawals ---- */

/* A withdrawal as the API shows it: the record, and how its member stands
 * now: `available` (may be negative after a clawback) and `blocked`
 * ("member_in_debt" while an open withdrawal can be neither approved nor
 * paid, else null), so that the queue says why before anyone clicks. */
static enum tk_rc withdrawal_doc(struct api_call *c, const struct withdrawal_rec *w,
				 const char *member_ext, const char *member_name, json_t **out)
{
	int64_t available;
	bool blocked;
	enum tk_rc rc = engine_withdraw_standing(c->e, w, &available, &blocked, &c->err);
	if (rc)
		return rc;
	json_t *doc = api_json_withdrawal(w, member_ext);
	if (!doc)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	json_object_set_new(doc, "available", json_integer(available));
	json_object_set_new(doc, "blocked", blocked ? json_string(WD_BLOCKED_DEBT) : json_null());
	json_object_set_new(doc, "member_name", json_string(member_name));
	*out = doc;
	return TK_OK;
}

static enum tk_rc reply_withdrawal(struct api_call *c, int status, const struct withdrawal_rec *w,
				   const struct member_rec *m)
{
	json_t *doc;
	enum tk_rc rc = withdrawal_doc(c, w, m->ext, m->name, &doc);
	return rc ? rc : api_reply(c, status, doc);
}

enum tk_rc h_withdrawal_request(struct api_call *c)
{
	static const char *const fields[] = {"member", "amount", "method", "account",
					     "payee",  "bank",   "branch", NULL};
	const char *member;
	struct wd_target to;
	int64_t amount;
	struct member_rec m;
	struct withdrawal_rec w;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "member", api_is_operator(c), ORDER_KEY_MAX - 1, &member)) ||
	    (rc = api_body_i64(c, "amount", true, 0, 1, MONEY_MAX_FEN, &amount)) ||
	    (rc = api_body_str(c, "method", false, WD_METHOD_MAX - 1, &to.method)) ||
	    (rc = api_body_str(c, "account", false, WD_ACCOUNT_MAX - 1, &to.account)) ||
	    (rc = api_body_str(c, "payee", false, WD_PAYEE_MAX - 1, &to.payee)) ||
	    (rc = api_body_str(c, "bank", false, WD_BANK_MAX - 1, &to.bank)) ||
	    (rc = api_body_str(c, "branch", false, WD_BANK_MAX - 1, &to.branch)) ||
	    (rc = api_member_money(c, member ? member : c->who.name, &m)) ||
	    (rc = engine_withdraw_ask(c->e, m.ext, amount, &to, &w, &c->err)))
		return rc;
	return reply_withdrawal(c, 201, &w, &m);
}

static enum tk_rc withdrawal_id(struct api_call *c, int64_t *id)
{
	const char *s = api_param(c, 0);
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || v <= 0)
		return tk_fail(&c->err, TK_EINVAL, "id", "must be a withdrawal number, got \"%s\"", s);
	*id = v;
	return TK_OK;
}

enum tk_rc h_withdrawal_show(struct api_call *c)
{
	int64_t id;
	struct withdrawal_rec w;
	struct member_rec m;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = withdrawal_id(c, &id)) || (rc = st->ops->withdrawal_get(st, id, &w, &c->err)) ||
	    (rc = st->ops->member_get_id(st, w.member, &m, &c->err)))
		return rc;
	if (!api_is_operator(c) && w.member != c->who.id)
		return api_deny(c, "withdrawal %lld is not yours", (long long)id);
	return reply_withdrawal(c, 200, &w, &m);
}

static enum tk_rc decide(struct api_call *c, enum wd_action action)
{
	int64_t id;
	struct withdrawal_rec w;
	struct member_rec m;
	struct store *st = api_store(c);
	const char *reason = NULL;
	enum tk_rc rc;
	if ((rc = withdrawal_id(c, &id)))
		return rc;
	/* a rejection says why, in the body ({"reason": "..."}): its member
	 * is shown it; the engine checks it (required, characters, controls) */
	if (action == WD_REJECT) {
		static const char *const fields[] = {"reason", NULL};
		if (!c->body_len)
			return tk_fail(&c->err, TK_EINVAL, "reason",
				       "is required to reject: send {\"reason\": \"...\"}, which "
				       "the member is shown");
		if ((rc = api_body_only(c, fields)) ||
		    (rc = api_body_str(c, "reason", true, WD_REASON_MAX - 1, &reason)))
			return rc;
	} else if (c->body_len) {
		static const char *const none[] = {NULL}; /* approve and paid take nothing */
		if ((rc = api_body_only(c, none)))
			return rc;
	}
	rc = engine_withdraw_decide(c->e, id, action, reason, &w, &c->err);
	if (rc == TK_ECONFLICT && strcmp(c->err.field, WD_DEBT_FIELD) == 0) {
		/* a code of its own: the console tells it from a changed status */
		c->err_status = 409;
		c->err_code = WD_BLOCKED_DEBT;
	}
	if (rc || (rc = st->ops->member_get_id(st, w.member, &m, &c->err)))
		return rc;
	return reply_withdrawal(c, 200, &w, &m);
}

enum tk_rc h_withdrawal_approve(struct api_call *c)
{
	return decide(c, WD_APPROVE);
}

enum tk_rc h_withdrawal_reject(struct api_call *c)
{
	return decide(c, WD_REJECT);
}

enum tk_rc h_withdrawal_paid(struct api_call *c)
{
	return decide(c, WD_PAY);
}

struct wd_page {
	struct api_call *c;
	json_t *list;
	int64_t last;
	int n;
	enum tk_rc rc;
};

static bool wd_cb(void *ctx, const struct withdrawal_rec *w, const char *member_ext,
		  const char *member_name)
{
	struct wd_page *p = ctx;
	json_t *doc;
	if ((p->rc = withdrawal_doc(p->c, w, member_ext, member_name, &doc)))
		return false;
	json_array_append_new(p->list, doc);
	p->last = w->id;
	p->n++;
	return true;
}

static bool status_parse(const char *s, int *out)
{
	static const enum wd_status all[] = {WD_REQUESTED, WD_APPROVED, WD_PAID, WD_REJECTED};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, wd_status_name(all[i])) == 0) {
			*out = (int)all[i];
			return true;
		}
	return false;
}

enum tk_rc h_withdrawal_list(struct api_call *c)
{
	char mbuf[ORDER_KEY_MAX], sbuf[16];
	const char *member, *status;
	int64_t before, member_id = 0, from_day, to_day, from = 0, to = 0;
	int limit, st_filter = -1;
	struct member_rec m;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)) ||
	    (rc = api_query(c, "status", sbuf, sizeof(sbuf), &status)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_day(c, "from", -1, &from_day)) ||
	    (rc = api_query_day(c, "to", -1, &to_day)) || (rc = api_query_limit(c, &limit)))
		return rc;
	/* Beijing days of the request, inclusive: [from 00:00, to 24:00) */
	if (from_day >= 0 && to_day >= 0 && to_day < from_day)
		return tk_fail(&c->err, TK_EINVAL, "to", "is before from");
	if (from_day >= 0)
		from = from_day * 86400 - TKTIME_BEIJING_OFFSET;
	if (to_day >= 0)
		to = (to_day + 1) * 86400 - TKTIME_BEIJING_OFFSET - 1;
	if (from_day >= 0 && from <= 0)
		from = 1; /* day 0 begins before the epoch in Beijing: "from the start" */
	if (to_day >= 0 && to <= 0)
		to = -1; /* a day before the epoch: nothing was requested then */
	if (status && !status_parse(status, &st_filter))
		return tk_fail(&c->err, TK_EINVAL, "status",
			       "must be requested, approved, paid or rejected, got \"%s\"", status);
	if (!member && !api_is_operator(c))
		member = c->who.name; /* a member lists its own */
	if (member) {
		if ((rc = api_member_money(c, member, &m)))
			return rc;
		member_id = m.id;
	}
	struct wd_page p = {.c = c, .list = json_array()};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->server->withdrawal_page(st, member_id, st_filter, from, to, before, limit,
					      wd_cb, &p, &c->err)) ||
	    (rc = p.rc)) {
		json_decref(p.list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:o, s:o}", "withdrawals", p.list, "next",
					   next_cursor(p.last, p.n, limit)));
}

/* What a request is held to now: the active plan's minimum and fee, so
 * that the promoter page shows them and checks an amount before sending
 * (the engine checks again, under the write lock, with the plan then). */
enum tk_rc h_withdrawal_terms(struct api_call *c)
{
	const struct plan *p;
	int64_t version;
	enum tk_rc rc = engine_plan_get(c->e, 0, &p, &version, &c->err);
	if (rc)
		return rc;
	return api_reply(c, 200, json_pack("{s:I, s:I, s:I}", "min", (json_int_t)p->withdraw_min,
					   "fee_bps", (json_int_t)p->withdraw_fee_bps,
					   "plan_version", (json_int_t)version));
}

/* The payout file as a download (engine_payout_file), with its own content
 * type (GBK for the channels' templates) and file name. */
enum tk_rc h_payout_file(struct api_call *c)
{
	char fbuf[16];
	const char *fs;
	enum payout_format f = PAYOUT_PLAIN;
	struct payout_file p;
	enum tk_rc rc;
	if ((rc = api_query(c, "format", fbuf, sizeof(fbuf), &fs)))
		return rc;
	if (fs && !payout_format_parse(fs, &f))
		return tk_fail(&c->err, TK_EINVAL, "format", "must be plain, alipay or bank, got "
			       "\"%s\"", fs);
	if ((rc = engine_payout_file(c->e, f, c->now, &p, &c->err)))
		return rc;
	c->status = 200;
	c->raw_out = p.text; /* the call owns it now */
	c->content_type = p.content_type;
	snprintf(c->download, sizeof(c->download), "%s", p.filename);
	return TK_OK;
}

/* order.c — validation of normalized rows and the item state machine. */
#include "core/order.h"

#include <string.h>

static const char *const status_names[] = {"unpaid", "paid", "received", "settled",
					    "invalid"};

const char *order_status_name(enum order_status s)
{
	return (unsigned)s <= ST_INVALID ? status_names[s] : "unknown";
}

bool order_status_parse(const char *s, enum order_status *out)
{
	for (int i = 0; i <= ST_INVALID; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum order_status)i;
			return true;
		}
	return false;
}

bool order_union_valid(const char *u)
{
	return strcmp(u, "jd") == 0 || strcmp(u, "taobao") == 0 || strcmp(u, "pdd") == 0 ||
	       strcmp(u, "own") == 0;
}

const char *bucket_name(enum bucket b)
{
	switch (b) {
	case BUCKET_NONE: return "none";
	case BUCKET_PENDING: return "pending";
	case BUCKET_FROZEN: return "frozen";
	case BUCKET_AVAILABLE: return "available";
	}
	return "none";
}

enum tk_rc order_row_validate(const struct order_row *r, struct tk_error *err)
{
	if (!order_union_valid(r->union_))
		return tk_fail(err, TK_EINVAL, "union",
			       "must be jd, taobao, pdd or own, got \"%s\"", r->union_);
	if (!r->item[0])
		return tk_fail(err, TK_EINVAL, "item", "is required");
	if (r->modified_at <= 0)
		return tk_fail(err, TK_EINVAL, "modified_at", "is required");
	if (r->kind == ORDER_ROW_REFUND) {
		if (r->refunded < 0 || r->refunded > ORDER_MONEY_MAX)
			return tk_fail(err, TK_EINVAL, "refunded", "must be 0..%lld fen, got %lld",
				       (long long)ORDER_MONEY_MAX, (long long)r->refunded);
		return TK_OK;
	}
	if (r->amount < 0 || r->amount > ORDER_MONEY_MAX)
		return tk_fail(err, TK_EINVAL, "amount", "must be 0..%lld fen, got %lld",
			       (long long)ORDER_MONEY_MAX, (long long)r->amount);
	if (r->commission < 0 || r->commission > ORDER_MONEY_MAX)
		return tk_fail(err, TK_EINVAL, "commission", "must be 0..%lld fen, got %lld",
			       (long long)ORDER_MONEY_MAX, (long long)r->commission);
	if (r->quantity < 0 || r->quantity > 1000000)
		return tk_fail(err, TK_EINVAL, "quantity", "must be 0..1000000, got %d",
			       r->quantity);
	if (r->status == ST_SETTLED && r->settled_at <= 0)
		return tk_fail(err, TK_EINVAL, "settled_at", "is required when status is settled");
	return TK_OK;
}

int64_t order_net_commission(int64_t commission, int64_t refunded)
{
	return commission > refunded ? commission - refunded : 0;
}

enum order_verdict order_decide(int64_t stored_modified_at, enum order_status stored_status,
				int64_t stored_commission, const struct order_row *row)
{
	if (row->modified_at > stored_modified_at)
		return ORDER_APPLY;
	if (row->modified_at < stored_modified_at)
		return ORDER_STALE;
	/* Same time: the later status, then the larger commission, wins, so two
	 * same-time rows end in one state whatever their arrival order. */
	if (row->status != stored_status)
		return row->status > stored_status ? ORDER_APPLY : ORDER_STALE;
	return row->commission > stored_commission ? ORDER_APPLY : ORDER_STALE;
}

bool item_money_valid(const struct item_money *m)
{
	if (m->n < 0 || m->n > PLAN_MAX_TIERS || m->platform < 0 || m->due_at < 0)
		return false;
	for (int k = 0; k < m->n; k++)
		if (m->amount[k] < 0 || (unsigned)m->bucket[k] > BUCKET_AVAILABLE)
			return false;
	return true;
}

bool order_item_is_head(const char *item)
{
	size_t n = strlen(item), k = sizeof(ORDER_HEAD_SUFFIX) - 1;
	return n > k && memcmp(item + n - k, ORDER_HEAD_SUFFIX, k) == 0;
}

bool order_row_make_head(struct order_row *r)
{
	/* The same order line can come back twice on one union: once in the
	 * head's role (his service fee) and once as a promoter's own row (a
	 * commission, when the head's own channel sold it).  Items are keyed
	 * by (union, key), so the head's row takes its own key and neither
	 * overwrites the other. */
	size_t n = strlen(r->item);
	if (n + sizeof(ORDER_HEAD_SUFFIX) > sizeof(r->item))
		return false;
	memcpy(r->item + n, ORDER_HEAD_SUFFIX, sizeof(ORDER_HEAD_SUFFIX));
	r->campaign.head = true;
	if (r->kind == ORDER_ROW_STATE) {
		/* the union's figure is the head's fee, never a commission to
		 * split: the split, reports and audit see none */
		r->campaign.service_fee = r->commission;
		r->commission = 0;
	}
	/* the tags and channel name the other channel's promoter, never one
	 * of the platform's members */
	r->n_tags = 0;
	r->channel[0] = '\0';
	return true;
}

bool order_earns(enum order_status s)
{
	return s == ST_PAID || s == ST_RECEIVED || s == ST_SETTLED;
}

void order_target(const struct plan *p, const struct plan_chain *chain,
		  enum order_status status, int64_t commission, int64_t settled_at,
		  const struct item_money *cur, struct item_money *t, struct plan_split *split)
{
	bool earns = order_earns(status);
	memset(t, 0, sizeof(*t));
	plan_split(p, chain, earns ? commission : 0, split);
	t->n = split->n;
	t->platform = split->platform;
	for (int i = 0; i < t->n; i++) {
		t->member[i] = split->line[i].member;
		t->amount[i] = split->line[i].amount;
		if (cur->n > i && cur->bucket[i] == BUCKET_AVAILABLE)
			t->bucket[i] = BUCKET_AVAILABLE; /* released: adjust in place */
		else if (!earns || t->amount[i] == 0)
			t->bucket[i] = BUCKET_NONE;
		else if (status == ST_SETTLED)
			t->bucket[i] = BUCKET_FROZEN;
		else
			t->bucket[i] = BUCKET_PENDING;
	}
	if (status == ST_SETTLED)
		t->due_at = settled_at + (int64_t)p->hold_days * 86400;
}

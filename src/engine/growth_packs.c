/* growth_packs.c — gift packs (礼包) in the order flow.
 *
 * A gift pack is an `own` union item whose product is one of the plan's
 * gift_packs.  Its commission is its margin, (price - cost) x quantity, set
 * by tuike whatever the row says; its chain is the buyer's inviter and the
 * inviters above, paid by the pack's own fixed tiers (plan_split); and the
 * buyer holds the pack while it is paid and not refunded.  Gaining a pack
 * upgrades the buyer at the batch's commit; losing it (invalid, or refunded
 * in full) reverses the upgrade, while the order machinery reverses the
 * money. */
#include "engine/growth_internal.h"

#include <string.h>

#include "core/money.h"

enum tk_rc growth_item_pack(struct engine *e, const struct item_rec *it, const struct plan **p,
			    int *pack, struct tk_error *err)
{
	*pack = -1;
	*p = NULL;
	if (strcmp(it->row.union_, "own") != 0)
		return TK_OK;
	enum tk_rc rc = engine_plan_version(e, it->plan_version, p, err);
	if (rc)
		return rc;
	*pack = plan_gift_pack_index(*p, it->row.union_, it->row.product);
	return TK_OK;
}

enum tk_rc growth_pack_row(struct engine *e, const struct item_rec *it,
			   const struct order_row **row, struct order_row *buf,
			   struct tk_error *err)
{
	const struct order_row *r = *row;
	const struct plan *p;
	enum tk_rc rc;
	if (strcmp(r->union_, "own") != 0 || r->kind != ORDER_ROW_STATE)
		return TK_OK;
	rc = it ? engine_plan_version(e, it->plan_version, &p, err)
		: engine_plan_get(e, 0, &p, NULL, err);
	if (rc)
		return TK_EIO;
	int k = plan_gift_pack_index(p, r->union_, r->product);
	if (k < 0)
		return TK_OK;
	const struct plan_gift_pack *g = &p->gift_packs[k];
	if (!it && (!r->buyer[0] || !member_tree_find(&e->tree, r->buyer)))
		return tk_fail(err, TK_EINVAL, "buyer",
			       "gift pack %s must be bought by a registered member, got \"%s\"",
			       g->product, r->buyer);
	int64_t margin = g->price - g->cost;
	if (r->quantity > 0 && margin > ORDER_MONEY_MAX / r->quantity)
		return tk_fail(err, TK_EINVAL, "quantity",
			       "%d gift packs %s would earn more than %lld fen, an item's most",
			       r->quantity, g->product, (long long)ORDER_MONEY_MAX);
	*buf = *r;
	buf->commission = margin * r->quantity;
	*row = buf;
	return TK_OK;
}

void growth_pack_chain(struct engine *e, const struct plan *p, const struct order_row *row,
		       struct item_rec *it)
{
	int k = plan_gift_pack_index(p, row->union_, row->product);
	if (k < 0)
		return;
	const struct plan_gift_pack *g = &p->gift_packs[k];
	struct plan_chain *c = &it->chain;
	memset(c, 0, sizeof(*c));
	int64_t m = member_tree_find(&e->tree, row->buyer); /* checked by growth_pack_row */
	for (m = member_tree_has(&e->tree, m) ? e->tree.parent[m] : 0; m > 0 && c->n < g->n_tiers;
	     m = e->tree.parent[m]) {
		c->member[c->n] = m;
		c->level[c->n] = PLAN_LEVEL_PACK(k);
		c->n++;
	}
	/* the buyer buys for itself; its inviters earn on the margin */
	it->attribution = ATTR_SELF;
}

enum tk_rc growth_pack_changed(struct engine *e, const struct item_rec *it,
			       struct tk_error *err)
{
	const struct plan *p;
	struct pack_holding_rec prev, h;
	enum tk_rc rc;
	int k;
	if ((rc = growth_item_pack(e, it, &p, &k, err)))
		return rc;
	const struct order_row *r = &it->row;
	int64_t buyer = member_tree_find(&e->tree, r->buyer);
	if (k < 0 || buyer <= 0)
		return tk_fail(err, TK_EIO, "buyer", "gift-pack item %s has no member as its buyer",
			       r->item);
	bool held = order_earns(r->status) && (r->refunded == 0 || r->refunded < r->commission);
	rc = e->st->growth->pack_get(e->st, it->id, &prev, err);
	bool known = rc == TK_OK;
	if (rc && rc != TK_ENOTFOUND)
		return rc;
	if (known && prev.held == held)
		return TK_OK;

	memset(&h, 0, sizeof(h));
	h.item = it->id;
	h.member = buyer;
	snprintf(h.product, sizeof(h.product), "%s", p->gift_packs[k].product);
	snprintf(h.level, sizeof(h.level), "%s", p->levels[p->gift_packs[k].level].key);
	h.held = held;
	h.at = e->batch_now;
	if (held && known && prev.review_due) {
		/* lost and regained before anyone looked: nothing to undo */
		snprintf(h.level_before, sizeof(h.level_before), "%s", prev.level_before);
	} else if (held || !known) {
		snprintf(h.level_before, sizeof(h.level_before), "%s",
			 member_tree_level(&e->tree, buyer));
	} else {
		snprintf(h.level_before, sizeof(h.level_before), "%s", prev.level_before);
		h.review_due = true;
	}
	if ((rc = e->st->growth->pack_put(e->st, &h, err)))
		return rc;
	return growth_mark_inputs(e, buyer, GROWTH_IN_PACK, err);
}

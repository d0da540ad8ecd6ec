/* orders.c — applying normalized order rows: attribution, splits, ledger.
 *
 * For each row: validate it (nothing is written for a bad row), find the
 * stored item, let order_decide() drop stale rows, attribute a new item and
 * fix its plan version and chain, compute the target money position with
 * order_target(), and let the batch post the difference with ledger_diff()
 * at commit (one net movement per item and batch).  The money of an item
 * thus depends only on its latest state. */
#include "engine/attribution.h"
#include "engine/campaign_orders.h"
#include "engine/growth_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/campaign_order_store.h"
#include "store/feed_store.h"

enum tk_rc engine_import_begin(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	assert(!e->in_batch); /* batches do not nest: begin and commit pair */
	/* An import needs a plan and, for attribution, the member tree, both
	 * as the database holds them now: read inside the transaction, under
	 * the write lock, so that no other process can change them before the
	 * batch commits. */
	if ((rc = engine_tx_begin(e, err)))
		return rc;
	if ((rc = engine_plan_get(e, 0, &p, NULL, err)) || (rc = engine_tree_load(e, err)) ||
	    (rc = e->st->ops->refund_any(e->st, &e->refunds_exist, err)) ||
	    (rc = campaign_orders_begin(e, err))) {
		e->st->ops->tx_rollback(e->st);
		return rc;
	}
	e->in_batch = true;
	e->batch_now = engine_now();
	e->batch_started_ms = engine_mono_ms();
	return TK_OK;
}

bool engine_import_due(const struct engine *e)
{
	return e->in_batch && engine_mono_ms() - e->batch_started_ms >= ENGINE_BATCH_MS;
}

enum tk_rc engine_import_ahead(struct engine *e, const struct order_row *rows, int n,
			       struct tk_error *err)
{
	if (!e->in_batch || n <= 0 || !e->st->ops->rows_ahead)
		return TK_OK;
	char (*ns)[BUYER_NS_MAX] = malloc((size_t)n * sizeof(*ns));
	if (!ns) {
		tk_fail(err, TK_ENOMEM, "", "out of memory");
		return TK_EIO;
	}
	for (int i = 0; i < n; i++)
		attribution_buyer_ns(&rows[i], ns[i]);
	enum tk_rc rc = e->st->ops->rows_ahead(e->st, rows, (const char(*)[BUYER_NS_MAX])ns, n, err);
	free(ns);
	return rc ? TK_EIO : TK_OK;
}

enum tk_rc engine_import_commit(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc;
	assert(e->in_batch); /* commit only what engine_import_begin opened */
	/* growth: team sales, gift packs, then the levels the batch moved */
	if ((rc = engine_flush_batch(e, err)) || (rc = growth_commit(e, err)) ||
	    (rc = e->st->ops->tx_commit(e->st, err))) {
		engine_import_rollback(e);
		return rc;
	}
	e->in_batch = false;
	/* A batch that held the write lock a while leaves it free for a
	 * moment before the next begins, so that a writer waiting for it (an
	 * API call polls every few ms) gets its turn instead of waiting out
	 * every batch of a long import. */
	if (engine_mono_ms() - e->batch_started_ms >= ENGINE_BATCH_YIELD_AFTER_MS) {
		struct timespec ts = {0, ENGINE_BATCH_YIELD_MS * 1000000L};
		nanosleep(&ts, NULL);
	}
	return TK_OK;
}

void engine_import_rollback(struct engine *e)
{
	if (!e->in_batch)
		return;
	e->st->ops->tx_rollback(e->st);
	engine_drop_batch(e);
	growth_drop(e);
	e->in_batch = false;
	/* bindings made in the batch are gone; the tree itself is unchanged */
}

/* Moves an item's contribution to the report statistics and to the growth
 * figures (team sales, gift packs) from its stored state `was` (NULL for a
 * new item) to its new state.  A gift pack is not a sale of its tier-1
 * member (the buyer's inviter): it counts in the platform totals, not in
 * the per-sharer statistics. */
static enum tk_rc item_account(struct engine *e, const struct item_rec *was,
			       const struct item_rec *it, struct tk_error *err)
{
	enum tk_rc rc;
	/* a head row is another channel's sale: its service fee is the head's
	 * (campaign orders), the sale is not the platform's */
	if (order_item_is_head(it->row.item))
		return TK_OK;
	if (plan_chain_pack(&it->chain) >= 0) {
		struct item_rec pack = *it, pack_was;
		pack.chain.n = 0;
		if (was) {
			pack_was = *was;
			pack_was.chain.n = 0;
		}
		rc = rollup_item(&e->rollup, &e->tree, was ? &pack_was : NULL, &pack, err);
	} else {
		rc = rollup_item(&e->rollup, &e->tree, was, it, err);
	}
	return rc ? rc : growth_item(e, was, it, err);
}

static bool same_state(const struct item_rec *it, const struct order_row *row)
{
	return it->row.status == row->status && it->row.commission == row->commission &&
	       it->row.settled_at == row->settled_at && it->row.amount == row->amount;
}

/* Moves an item's money to where its state, commission and refunds say,
 * posts the transfers and records the event.  `was` is the item as stored,
 * NULL for a new one; `row` is the row that caused the change (for the
 * event and its raw text).  Errors here break the batch. */
static enum tk_rc settle_position(struct engine *e, struct item_rec *it,
				  const struct item_rec *was, const struct order_row *row,
				  struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	struct item_money target;
	struct plan_split split;

	if ((rc = engine_plan_version(e, it->plan_version, &p, err)))
		return TK_EIO;
	order_target(p, &it->chain, it->row.status,
		     order_net_commission(it->row.commission, it->row.refunded), it->row.settled_at,
		     &it->money, &target, &split);
	bool frozen = false;
	for (int i = 0; i < target.n; i++)
		frozen |= target.bucket[i] == BUCKET_FROZEN;
	if (!frozen)
		target.due_at = 0;
	struct item_money from = it->money;
	it->money = target;

	/* the event first: the item row then records it as its newest */
	struct order_row ev = it->row;
	ev.modified_at = row->modified_at;
	ev.commission = order_net_commission(it->row.commission, it->row.refunded);
	ev.raw = row->raw;
	if ((rc = e->st->ops->item_event_insert(e->st, it->last_event, &ev, e->batch_now, NULL,
						&it->last_event, err)))
		return TK_EIO;

	if (!was) {
		if ((rc = e->st->ops->item_insert(e->st, it, err)))
			return TK_EIO;
		if (it->id > ORDER_ITEMS_TOTAL_MAX) { /* ids count the items: sums stay in range */
			tk_fail(err, TK_ELIMIT, "item",
				"the database holds %lld items, the most tuike keeps sums over "
				"within range",
				(long long)ORDER_ITEMS_TOTAL_MAX);
			return TK_EIO;
		}
	} else if ((rc = e->st->ops->item_update(e->st, was, it, err))) {
		return TK_EIO;
	}
	if (engine_move_item(e, it->id, &from, &it->money, err) ||
	    campaign_orders_item(e, it, row, !was, err)) /* the head's service fee */
		return TK_EIO;
	return TK_OK;
}

/* A refund record: kept on its own (newest wins), and applied to the item
 * if the item is already known; otherwise it applies when the item comes. */
static enum tk_rc import_refund(struct engine *e, const struct order_row *row,
				enum import_outcome *outcome, struct tk_error *err)
{
	int64_t refunded, at;
	struct item_rec it, was;
	enum tk_rc rc = e->st->ops->refund_get(e->st, row->union_, row->item, &refunded, &at, err);
	if (rc == TK_OK && (row->modified_at < at ||
			    (row->modified_at == at && row->refunded <= refunded)))
		return TK_OK; /* stale or duplicate */
	if (rc && rc != TK_ENOTFOUND)
		return TK_EIO;
	if ((rc = e->st->ops->refund_put(e->st, row, err)))
		return TK_EIO;
	e->refunds_exist = true;
	*outcome = IMPORT_APPLIED;
	rc = e->st->ops->item_get(e->st, row->union_, row->item, &it, err);
	if (rc == TK_ENOTFOUND)
		return TK_OK;
	if (rc)
		return TK_EIO;
	was = it;
	it.row.refunded = row->refunded;
	if ((rc = settle_position(e, &it, &was, row, err)) ||
	    (rc = item_account(e, &was, &it, err)))
		return TK_EIO;
	return TK_OK;
}

enum tk_rc engine_import_row(struct engine *e, const struct order_row *row,
			     enum import_outcome *outcome, struct tk_error *err)
{
	enum tk_rc rc;
	struct item_rec it, was;
	const struct plan *p;
	struct order_row pack_row;
	struct attribution_res how = {0};

	*outcome = IMPORT_UNCHANGED;
	if (!e->in_batch)
		return tk_fail(err, TK_EIO, "", "no import batch is open");
	if ((rc = order_row_validate(row, err)))
		return rc;
	if (row->kind == ORDER_ROW_REFUND)
		return import_refund(e, row, outcome, err);
	/* PDD: another duoduoke's sale under a zs_duo_id that is this
	 * platform's head's (a campaign registered with it) is the head's row;
	 * under anyone else's plan it is the platform's own sale */
	struct order_row head_row;
	if (row->campaign.other_promoter && !row->campaign.head) {
		bool ours;
		if ((rc = campaign_orders_ext_known(e, row->union_, row->campaign.ext, &ours, err)))
			return TK_EIO;
		if (ours) {
			head_row = *row;
			if (!order_row_make_head(&head_row))
				return tk_fail(err, TK_ELIMIT, "item",
					       "a head row's key is at most %zu bytes before \"" ORDER_HEAD_SUFFIX
					       "\", got %zu",
					       sizeof(row->item) - sizeof(ORDER_HEAD_SUFFIX),
					       strlen(row->item));
			head_row.campaign.service_fee = -1; /* PDD gives none: the product's rate */
			row = &head_row;
		}
	}

	rc = e->st->ops->item_get(e->st, row->union_, row->item, &it, err);
	bool is_new = rc == TK_ENOTFOUND;
	if (rc && !is_new)
		return TK_EIO;
	/* growth: a gift pack earns its margin, whatever the row says */
	if ((rc = growth_pack_row(e, is_new ? NULL : &it, &row, &pack_row, err)))
		return rc;
	int64_t refunded = 0, refund_at;
	if (!is_new) {
		/* A head row's money is its service fee (its commission is 0): two
		 * head rows of the same time and status are decided by the fee,
		 * so that their arrival order does not matter either. */
		int64_t stored = it.row.commission;
		struct order_row tie;
		const struct order_row *decide = row;
		if (row->campaign.head && row->campaign.service_fee >= 0 &&
		    row->modified_at == it.row.modified_at) {
			struct campaign_order_rec co;
			rc = e->st->campaign_orders->get(e->st, it.id, &co, err);
			if (rc && rc != TK_ENOTFOUND)
				return TK_EIO;
			if (rc == TK_OK) {
				stored = co.fee;
				tie = *row;
				tie.commission = row->campaign.service_fee;
				decide = &tie;
			}
		}
		if (order_decide(it.row.modified_at, it.row.status, stored, decide) == ORDER_STALE)
			return TK_OK;
		refunded = it.row.refunded;
	} else {
		memset(&it, 0, sizeof(it));
		if ((rc = engine_plan_get(e, 0, &p, &it.plan_version, err)) ||
		    (rc = attribution_decide(e, row, &how, err)))
			return TK_EIO;
		it.attribution = how.how;
		member_tree_chain(&e->tree, p, how.sharer, how.how == ATTR_SELF, &it.chain);
		growth_pack_chain(e, p, row, &it); /* a gift pack pays the buyer's inviters */
		it.money.n = it.chain.n;
		for (int i = 0; i < it.chain.n; i++)
			it.money.member[i] = it.chain.member[i];
		it.first_seen_at = e->batch_now;
		it.seen_seq = e->seen_seq; /* the tree it is attributed by is that state */
		if (e->refunds_exist) {
			rc = e->st->ops->refund_get(e->st, row->union_, row->item, &refunded,
						    &refund_at, err);
			if (rc && rc != TK_ENOTFOUND)
				return TK_EIO;
		}
	}
	bool changed = is_new || !same_state(&it, row);
	e->co_changed = false;
	if (!is_new)
		was = it;
	it.row = *row;
	it.row.raw = NULL;
	it.row.refunded = refunded;
	/* the link's or the group's channel, found at first sight, stays */
	if (is_new ? !it.row.channel[0] || how.group : !it.row.channel[0] || was.row.channel[0])
		snprintf(it.row.channel, sizeof(it.row.channel), "%s",
			 is_new ? how.channel : was.row.channel);
	if ((rc = settle_position(e, &it, is_new ? NULL : &was, row, err)) ||
	    (rc = item_account(e, is_new ? NULL : &was, &it, err)) ||
	    (how.binds && it.chain.n && (rc = attribution_bind(e, &it, err))) ||
	    (!is_new && (rc = attribution_retime(e, &was, &it, err))))
		return TK_EIO;
	*outcome = changed || e->co_changed || memcmp(&was.money, &it.money, sizeof(was.money))
			   ? IMPORT_APPLIED
			   : IMPORT_UNCHANGED;
	return TK_OK;
}

/* ---- showing an item ---- */

enum tk_rc engine_order_show(struct engine *e, const char *union_, const char *key,
			     struct item_view *out, struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	memset(out, 0, sizeof(*out));
	if ((rc = e->st->ops->item_get(e->st, union_, key, &out->item, err)) ||
	    (rc = engine_plan_version(e, out->item.plan_version, &p, err)))
		return rc;
	const struct item_rec *it = &out->item;
	plan_split(p, &it->chain,
		   order_earns(it->row.status) ? order_net_commission(it->row.commission, it->row.refunded) : 0,
		   &out->split);
	for (int i = 0; i < it->chain.n; i++) {
		struct member_rec m;
		if ((rc = e->st->ops->member_get_id(e->st, it->chain.member[i], &m, err)))
			return rc;
		snprintf(out->member_ext[i], sizeof(out->member_ext[i]), "%s", m.ext);
		snprintf(out->level_key[i], sizeof(out->level_key[i]), "%s",
			 it->chain.level[i] < 0 ? "gift_pack" : p->levels[it->chain.level[i]].key);
	}
	return TK_OK;
}

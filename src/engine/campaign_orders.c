/* campaign_orders.c — the head's campaign orders: each item whose row
 * names a campaign (JD cpActId, PDD zs_duo_id, a head row) or whose product
 * a campaign of its union promotes at its paid time is matched to the
 * campaign, its product and the partner channel, and its service fee is
 * kept in ACCT_SERVICE_EST / ACCT_SERVICE where the item's state says
 * (core/service_fee.h).  The position is stored with the campaign order
 * and only its difference is posted, in the item's transaction: the same
 * feed twice changes nothing, and the money depends only on the item's
 * latest state, as the commission's does. */
#include "engine/campaign_orders.h"

#include <stdlib.h>
#include <string.h>

#include "core/campaign_pick.h"
#include "core/service_fee.h"
#include "core/strmap.h"
#include "core/tktime.h"
#include "engine/engine_internal.h"

/* What one import batch looked up, so that a product or channel is asked
 * of the database once per batch, not once per row: a row costs no round
 * trip to PostgreSQL then.  Kept for one batch only (campaign_orders_begin
 * starts afresh), as campaigns and channels may be registered between. */
struct campaign_cache {
	struct strmap products; /* "union\x1fext\x1fproduct" -> first << 8 | count */
	struct co_candidate *cands;
	size_t n_cands, cap_cands;
	struct strmap channels; /* "union\x1fkind\x1fvalue" -> channel id, 0 none */
	struct strmap exts;     /* "union\x1fext\x1f" -> 1 a campaign has it, 0 none */
};

void campaign_orders_free(struct engine *e)
{
	struct campaign_cache *c = e->campaign_cache;
	if (!c)
		return;
	strmap_free(&c->products);
	strmap_free(&c->channels);
	strmap_free(&c->exts);
	free(c->cands);
	free(c);
	e->campaign_cache = NULL;
}

enum tk_rc campaign_orders_begin(struct engine *e, struct tk_error *err)
{
	campaign_orders_free(e);
	if (!(e->campaign_cache = calloc(1, sizeof(*e->campaign_cache))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	return e->st->campaign_orders->campaign_any(e->st, &e->campaigns_exist, err);
}

/* "a\x1fb\x1fc" into buf; false when it does not fit. */
static bool cache_key(char *buf, size_t size, const char *a, const char *b, const char *c,
		      size_t *len)
{
	int n = snprintf(buf, size, "%s\x1f%s\x1f%s", a, b, c);
	*len = (size_t)n;
	return n >= 0 && (size_t)n < size;
}

/* The candidates of (union, ext, product), from the batch's cache or the
 * store; *out points into the cache. */
static enum tk_rc candidates(struct engine *e, const char *union_, const char *ext,
			     const char *product, const struct co_candidate **out, int *n,
			     struct tk_error *err)
{
	struct campaign_cache *c = e->campaign_cache;
	char key[3 * ORDER_KEY_MAX];
	size_t len;
	uint64_t at;
	if (!c || !cache_key(key, sizeof(key), union_, ext, product, &len))
		return tk_fail(err, TK_EIO, "", "no campaign look-up cache: no batch is open");
	if (strmap_find(&c->products, key, len, &at)) {
		int64_t v = strmap_value(&c->products, at);
		*out = c->cands + (v >> 8);
		*n = (int)(v & 0xff);
		return TK_OK;
	}
	if (c->cap_cands - c->n_cands < CAMPAIGN_CANDIDATES_MAX) {
		size_t cap = c->cap_cands ? 2 * c->cap_cands : 256;
		struct co_candidate *a = realloc(c->cands, cap * sizeof(*a));
		if (!a)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		c->cands = a;
		c->cap_cands = cap;
	}
	enum tk_rc rc = e->st->campaign_orders->campaign_candidates(
		e->st, union_, ext, product, c->cands + c->n_cands, CAMPAIGN_CANDIDATES_MAX, n, err);
	if (rc)
		return rc;
	if (!strmap_put(&c->products, key, len, (int64_t)c->n_cands << 8 | *n, NULL))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	*out = c->cands + c->n_cands;
	c->n_cands += (size_t)*n;
	return TK_OK;
}

/* The channel (union, kind, value) is registered to, 0 none. */
static enum tk_rc channel_of(struct engine *e, const char *union_, const char *kind,
			     const char *value, int64_t *channel, struct tk_error *err)
{
	struct campaign_cache *c = e->campaign_cache;
	char key[3 * ORDER_KEY_MAX];
	size_t len;
	uint64_t at;
	if (!c || !cache_key(key, sizeof(key), union_, kind, value, &len))
		return tk_fail(err, TK_EIO, "", "no campaign look-up cache: no batch is open");
	if (strmap_find(&c->channels, key, len, &at)) {
		*channel = strmap_value(&c->channels, at);
		return TK_OK;
	}
	enum tk_rc rc = e->st->campaign_orders->channel_find(e->st, union_, kind, value, channel,
							     err);
	if (rc == TK_ENOTFOUND)
		*channel = 0;
	else if (rc)
		return rc;
	if (!strmap_put(&c->channels, key, len, *channel, NULL))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	return TK_OK;
}

enum tk_rc campaign_orders_ext_known(struct engine *e, const char *union_, const char *ext,
				     bool *known, struct tk_error *err)
{
	struct campaign_cache *c = e->campaign_cache;
	char key[3 * ORDER_KEY_MAX];
	size_t len;
	uint64_t at;
	if (!c || !cache_key(key, sizeof(key), union_, ext, "", &len))
		return tk_fail(err, TK_EIO, "", "no campaign look-up cache: no batch is open");
	if (strmap_find(&c->exts, key, len, &at)) {
		*known = strmap_value(&c->exts, at) != 0;
		return TK_OK;
	}
	enum tk_rc rc = e->st->campaign_orders->campaign_ext_known(e->st, union_, ext, known, err);
	if (rc)
		return rc;
	if (!strmap_put(&c->exts, key, len, *known, NULL))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	return TK_OK;
}

/* yyyymm of a time in Beijing. */
static int64_t beijing_month(int64_t t)
{
	int y, m, d;
	tktime_civil_from_days((t + TKTIME_BEIJING_OFFSET) / 86400, &y, &m, &d);
	return (int64_t)y * 100 + m;
}

/* Finds the campaign product and channel of a campaign order not yet
 * linked (both may stay 0: registered later, linked by rematch). */
static enum tk_rc co_link(struct engine *e, const struct item_rec *it,
			  struct campaign_order_rec *co, struct tk_error *err)
{
	enum tk_rc rc;
	if (!co->campaign && e->campaigns_exist && it->row.product[0]) {
		const struct co_candidate *c;
		int n, k;
		int64_t at = it->row.paid_at ? it->row.paid_at : co->ordered_at;
		if ((rc = candidates(e, co->union_, co->ext_id, it->row.product, &c, &n, err)))
			return rc;
		if ((k = campaign_pick(c, n, co->ext_id[0] != '\0', at)) >= 0) {
			co->campaign = c[k].campaign;
			co->campaign_item = c[k].campaign_item;
			co->service_pm = c[k].service_pm;
		}
	}
	if (!co->channel && co->channel_kind[0] && co->channel_ref[0])
		return channel_of(e, co->union_, co->channel_kind, co->channel_ref, &co->channel,
				  err);
	return TK_OK;
}

/* The fee before refunds: the union's figure on a head row, the product's
 * rate when the union gives none (PDD) and the product is matched,
 * nothing on a row of the head's own sale (that is commission). */
static void co_fee(const struct item_rec *it, const struct order_row *row,
		   struct campaign_order_rec *co)
{
	if (row && row->kind == ORDER_ROW_STATE && co->head && row->campaign.service_fee >= 0) {
		memcpy(co->fee_source, "union", 6);
		co->fee = row->campaign.service_fee;
	} else if (co->head && strcmp(co->fee_source, "union") != 0 && co->campaign_item) {
		memcpy(co->fee_source, "rate", 5);
		co->fee = service_fee_by_rate(it->row.amount, co->service_pm);
	} else if (!co->head || strcmp(co->fee_source, "union") != 0) {
		memcpy(co->fee_source, "none", 5);
		co->fee = 0;
	}
}

/* Moves the fee to where the item's state says and writes the order. */
static enum tk_rc co_settle(struct engine *e, const struct item_rec *it,
			    struct campaign_order_rec *co, struct tk_error *err)
{
	enum tk_rc rc;
	struct fee_position cur = {(enum fee_bucket)co->fee_bucket, co->fee_amount}, target;
	/* refund records take back from a head row's fee (its commission is 0) */
	int64_t net = co->head ? order_net_commission(co->fee, it->row.refunded) : co->fee;
	service_fee_target(it->row.status, net, &cur, &target);
	struct transfer t[SERVICE_FEE_DIFF_MAX];
	int n = service_fee_diff(&cur, &target, t);
	for (int i = 0; i < n; i++) {
		t[i].item = it->id;
		t[i].at = e->batch_now;
	}
	co->fee_bucket = (int)target.bucket;
	co->fee_amount = target.amount;
	co->updated_at = e->batch_now;
	if ((n && (rc = engine_post(e, t, n, err))) ||
	    (rc = e->st->campaign_orders->put(e->st, co, err)))
		return rc;
	return TK_OK;
}

enum tk_rc campaign_orders_item(struct engine *e, const struct item_rec *it,
				const struct order_row *row, bool is_new, struct tk_error *err)
{
	struct store *st = e->st;
	struct campaign_order_rec co = {0};
	const struct order_campaign *c = &row->campaign;
	bool names = c->ext[0] || c->head;
	enum tk_rc rc;
	if (!names && !e->campaigns_exist)
		return TK_OK; /* no campaign anywhere: the common case costs nothing */
	rc = is_new ? TK_ENOTFOUND : st->campaign_orders->get(st, it->id, &co, err);
	if (rc && rc != TK_ENOTFOUND)
		return rc;
	bool stored = rc == TK_OK;
	struct campaign_order_rec before = co;
	if (!stored) {
		if (row->kind == ORDER_ROW_REFUND && !names)
			return TK_OK;
		memset(&co, 0, sizeof(co));
		co.item = it->id;
		memcpy(co.union_, it->row.union_, sizeof(co.union_));
		memcpy(co.fee_source, "none", 5);
	}
	if (row->kind == ORDER_ROW_STATE) {
		/* the row's latest word on the campaign fields */
		memcpy(co.ext_id, c->ext, sizeof(co.ext_id));
		co.head = c->head;
		if (strcmp(co.channel_kind, c->channel_kind) || strcmp(co.channel_ref, c->channel)) {
			co.channel = 0;
			memcpy(co.channel_kind, c->channel_kind, sizeof(co.channel_kind));
			memcpy(co.channel_ref, c->channel, sizeof(co.channel_ref));
		}
		memcpy(co.shop, c->shop, sizeof(co.shop));
		memcpy(co.category, c->category, sizeof(co.category));
		memcpy(co.buyer, it->row.buyer, sizeof(co.buyer));
		if (c->clicked_at)
			co.clicked_at = c->clicked_at;
		if (c->ordered_at)
			co.ordered_at = c->ordered_at;
	}
	if ((rc = co_link(e, it, &co, err)))
		return rc;
	if (!stored && !co.campaign && !names)
		return TK_OK; /* no campaign promotes it: an ordinary order */
	int64_t when = it->row.paid_at ? it->row.paid_at
		       : co.ordered_at  ? co.ordered_at
					: it->row.modified_at;
	co.month = beijing_month(when);
	co_fee(it, row, &co);
	/* a head row's money is its fee: a new fee is a change of the item */
	e->co_changed |= !stored || co.fee != before.fee || co.campaign != before.campaign ||
			 co.channel != before.channel || co.campaign_item != before.campaign_item;
	return co_settle(e, it, &co, err);
}

/* ---- re-matching ---- */

struct co_page {
	struct campaign_order_rec *rows;
	int n, cap;
};

static bool co_collect(void *ctx, const struct campaign_order_rec *co)
{
	struct co_page *p = ctx;
	if (p->n < p->cap)
		p->rows[p->n++] = *co;
	return p->n < p->cap;
}

#define REMATCH_PAGE 256

enum tk_rc engine_campaign_rematch(struct engine *e, int64_t since, int64_t *linked,
				   struct tk_error *err)
{
	enum tk_rc rc;
	struct co_filter f = {.head = -1, .status = -1, .unlinked = true, .updated_from = since};
	struct co_page page = {.cap = REMATCH_PAGE};
	*linked = 0;
	if (!(page.rows = malloc(REMATCH_PAGE * sizeof(*page.rows))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (;;) {
		page.n = 0;
		if ((rc = engine_import_begin(e, err)))
			break;
		rc = e->st->campaign_orders->each(e->st, &f, REMATCH_PAGE, co_collect, &page, err);
		for (int i = 0; i < page.n && !rc; i++) {
			struct campaign_order_rec *co = &page.rows[i], was = page.rows[i];
			struct item_rec it;
			if ((rc = e->st->ops->item_get(e->st, co->union_, co->key, &it, err)) ||
			    (rc = co_link(e, &it, co, err)))
				break;
			if (co->campaign == was.campaign && co->channel == was.channel)
				continue;
			co_fee(&it, NULL, co);
			if ((rc = co_settle(e, &it, co, err)))
				break;
			(*linked)++;
		}
		if (rc) {
			engine_import_rollback(e);
			break;
		}
		if ((rc = engine_import_commit(e, err)) || page.n < REMATCH_PAGE)
			break;
		f.after = page.rows[page.n - 1].item;
	}
	free(page.rows);
	return rc;
}

/* ---- reading ---- */

enum tk_rc engine_campaign_orders_list(struct engine *e, const struct co_filter *f,
				       int64_t limit, store_campaign_order_cb cb, void *ctx,
				       struct tk_error *err)
{
	enum tk_rc rc = engine_read_begin(e, err);
	if (rc)
		return rc;
	rc = e->st->campaign_orders->each(e->st, f, limit, cb, ctx, err);
	e->st->ops->tx_rollback(e->st);
	return rc;
}

enum tk_rc engine_campaign_orders_totals(struct engine *e, const struct co_filter *f,
					 struct co_totals *out, struct tk_error *err)
{
	enum tk_rc rc = engine_read_begin(e, err);
	if (rc)
		return rc;
	rc = e->st->campaign_orders->totals(e->st, f, out, err);
	e->st->ops->tx_rollback(e->st);
	return rc;
}

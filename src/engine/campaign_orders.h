/* campaign_orders.h — the head's campaign orders in the engine: matching
 * an item to its campaign, product and channel, and keeping its service
 * fee in the ledger where the item's state says (docs/promotion-head.md). */
#ifndef TK_ENGINE_CAMPAIGN_ORDERS_H
#define TK_ENGINE_CAMPAIGN_ORDERS_H

#include "engine/engine.h"
#include "store/campaign_order_store.h"

struct item_rec;

/* At the start of an import batch: whether any campaign exists (only then
 * is a row without campaign fields looked up by its product). */
enum tk_rc campaign_orders_begin(struct engine *e, struct tk_error *err);
/* Frees what the engine keeps for campaign orders (at engine_close). */
void campaign_orders_free(struct engine *e);

/* Whether a campaign of `union_` has the union's id `ext` (asked once per
 * batch): a PDD row another duoduoke sold under that zs_duo_id is then the
 * head's (order_campaign.other_promoter). */
enum tk_rc campaign_orders_ext_known(struct engine *e, const char *union_, const char *ext,
				     bool *known, struct tk_error *err);

/* After an item's state changed (a new row, an update, a refund record):
 * matches or updates its campaign order and posts the service fee's
 * difference as transfers of the item, in the open batch.  Nothing for an
 * item that names no campaign. */
enum tk_rc campaign_orders_item(struct engine *e, const struct item_rec *it,
				const struct order_row *row, bool is_new, struct tk_error *err);

/* Links campaign orders updated at or after `since` whose campaign or
 * channel was registered after their rows came; a PDD head row that gains
 * its product's rate gets its fee posted.  *linked counts the orders
 * changed. */
enum tk_rc engine_campaign_rematch(struct engine *e, int64_t since, int64_t *linked,
				   struct tk_error *err);

/* The campaign orders of a filter, a page of at most limit, and totals
 * (one read transaction each). */
enum tk_rc engine_campaign_orders_list(struct engine *e, const struct co_filter *f,
				       int64_t limit, store_campaign_order_cb cb, void *ctx,
				       struct tk_error *err);
enum tk_rc engine_campaign_orders_totals(struct engine *e, const struct co_filter *f,
					 struct co_totals *out, struct tk_error *err);

#endif

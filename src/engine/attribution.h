/* attribution.h — who an order item is attributed to (attribution.c): the
 * order of DESIGN (self-purchase, lifetime binding, link, tag), bindings
 * that are order-independent, and re-attribution by new transfers. */
#ifndef TK_ATTRIBUTION_H
#define TK_ATTRIBUTION_H

#include "engine/engine_internal.h"

struct attribution_res {
	int64_t sharer;               /* 0: nobody */
	enum attribution how;
	char channel[ORDER_KEY_MAX];  /* the link's, when the row names none, or
				       * the sharer's chat group's (group set) */
	bool group;                   /* channel is a group's, from its union tag:
				       * it stands over the union's own channel */
	bool bound;                   /* the buyer had a binding ... */
	struct binding_rec binding;   /* ... this one */
	bool binds;                   /* this order binds the buyer (first, or earlier) */
};

/* The namespace of a row's buyer: "" or "UNION:KIND" (order.h, buyer_kind). */
void attribution_buyer_ns(const struct order_row *row, char ns[BUYER_NS_MAX]);
/* The union's order time of a row: when it was paid, else its state's time. */
int64_t attribution_order_time(const struct order_row *row);

/* The attribution of a new item, inside the open batch (tree loaded). */
enum tk_rc attribution_decide(struct engine *e, const struct order_row *row,
			      struct attribution_res *r, struct tk_error *err);

/* After a new item `src` that binds its buyer was stored: binds the buyer
 * to src's sharer (creating or moving the binding) and re-attributes the
 * buyer's later orders to it. */
enum tk_rc attribution_bind(struct engine *e, const struct item_rec *src,
			    struct tk_error *err);

/* After a stored item's row changed its order time (`was` is the item
 * before, `it` after; a row not yet paid is timed by its modification,
 * a paid one by its payment): when that moves the item across its buyer's
 * binding, or moves the binding's own order, walks the buyer's orders in
 * order-time order again, so that the earliest attributed one binds and
 * each order is attributed as if the rows had come in that order. */
enum tk_rc attribution_retime(struct engine *e, const struct item_rec *was,
			      const struct item_rec *it, struct tk_error *err);

/* The chain [sharer, parent, grandparent] as the tree and levels were at
 * a moment (the change log's number `seq`, 0 when unknown, and the time
 * `at`), cut at the plan's tiers. */
enum tk_rc engine_chain_at(struct engine *e, const struct plan *p, int64_t sharer,
			   bool self_purchase, int64_t at, int64_t seq, struct plan_chain *chain);

/* Re-attributes a stored item to `sharer` by `how` with the plan version
 * it was first seen with and the chain it would have had then: its money
 * moves by new transfers, its report and growth figures move, and its
 * history gets an event with `note`; an item without a channel takes
 * `channel` (a link's; NULL: none).  Nothing when nothing changes; gift
 * packs are never re-attributed.  Inside the open batch. */
enum tk_rc engine_item_reattribute(struct engine *e, struct item_rec *it, int64_t sharer,
				   enum attribution how, const char *channel, const char *note,
				   struct tk_error *err);

#endif

/* settle.c — releasing frozen money whose hold has passed.
 *
 * Due items are read in chunks and each chunk is released in one
 * transaction; a released item has no frozen share left, so it drops out
 * of the due index and a crash between chunks loses nothing: the next run
 * picks up where this one stopped. */
#include "engine/engine_internal.h"

#include <stdlib.h>
#include <string.h>

#define SETTLE_CHUNK 50000

struct due_chunk {
	struct item_rec *items;
	int n;
};

static bool collect_due(void *ctx, const struct item_rec *it)
{
	struct due_chunk *c = ctx;
	c->items[c->n++] = *it;
	return c->n < SETTLE_CHUNK;
}

enum tk_rc engine_settle(struct engine *e, int64_t now, int64_t *released_items,
			 int64_t *released_fen, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct due_chunk c = {.items = malloc(SETTLE_CHUNK * sizeof(struct item_rec))};
	*released_items = *released_fen = 0;
	if (!c.items)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (;;) {
		c.n = 0;
		if ((rc = e->st->ops->tx_begin(e->st, err)))
			break;
		e->in_batch = true;
		e->batch_now = now;
		if ((rc = e->st->ops->item_each_due(e->st, now, collect_due, &c, err)))
			goto fail;
		for (int k = 0; k < c.n; k++) {
			struct item_rec *it = &c.items[k];
			struct item_money target = it->money;
			struct transfer tr[LEDGER_DIFF_MAX];
			for (int i = 0; i < target.n; i++)
				if (target.bucket[i] == BUCKET_FROZEN) {
					target.bucket[i] = BUCKET_AVAILABLE;
					*released_fen += target.amount[i];
				}
			target.due_at = 0;
			int n = ledger_diff(&it->money, &target, tr);
			for (int i = 0; i < n; i++) {
				tr[i].item = it->id;
				tr[i].at = now;
			}
			it->money = target;
			if ((rc = engine_post(e, tr, n, err)) ||
			    (rc = e->st->ops->item_set_money(e->st, it, err)))
				goto fail;
		}
		if ((rc = engine_flush_batch(e, err)) || (rc = e->st->ops->tx_commit(e->st, err)))
			goto fail;
		e->in_batch = false;
		*released_items += c.n;
		if (c.n < SETTLE_CHUNK)
			break;
	}
	free(c.items);
	return rc;
fail:
	e->st->ops->tx_rollback(e->st);
	engine_drop_batch(e);
	e->in_batch = false;
	free(c.items);
	return rc;
}

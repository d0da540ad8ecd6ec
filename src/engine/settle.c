/* settle.c — releasing frozen money whose hold has passed.
 *
 * The ids of the due items are read from the due index, sorted, and
 * released in chunks of consecutive ids, each chunk in one transaction:
 * the item rows a chunk rewrites sit side by side, so each page of the
 * items table is written about once, where due-date order would rewrite
 * every page in every chunk.  A released item has no frozen share left,
 * so it drops out of the due index and a crash between chunks loses
 * nothing: the next run picks up where this one stopped.  Each item's
 * money is read again inside its chunk's transaction, so an item another
 * process changed meanwhile is released only if it is still due. */
#include "engine/engine_internal.h"

#include <assert.h>
#include <stdlib.h>

#include "actions/actions.h"
#include "core/tktime.h"

#define SETTLE_CHUNK 200000 /* items per transaction: about 3 s of lock at 1M items */
#define SETTLE_PASS 4000000  /* due ids held in memory at once (32 MB) */

/* The action log's entry of one chunk's release (one per transaction that
 * moved money): the items and fen released as of `now`. */
static enum tk_rc log_release(struct engine *e, int64_t now, int64_t items, int64_t fen,
			      struct tk_error *err)
{
	char as_of[TKTIME_BUF];
	json_t *after = json_pack("{s:s, s:I, s:I}", "as_of",
				  tktime_format_iso8601(now, TKTIME_BEIJING_OFFSET, as_of),
				  "released_items", (json_int_t)items, "released_fen", (json_int_t)fen);
	enum tk_rc rc = actions_record(e->st, engine_now(), "settle", "ledger", NULL, after, err);
	json_decref(after);
	return rc;
}

/* Releases the items of ids[0..n) that are still due, in one transaction. */
static enum tk_rc release_chunk(struct engine *e, const int64_t *ids, int64_t n, int64_t now,
				int64_t *items, int64_t *fen, struct tk_error *err)
{
	enum tk_rc rc;
	struct item_rec it;
	assert(!e->in_batch); /* settlement runs on its own, never inside an import */
	if ((rc = e->st->ops->tx_begin(e->st, err)))
		return rc;
	e->in_batch = true;
	e->batch_now = now;
	int64_t released_items = 0, released_fen = 0;
	for (int64_t k = 0; k < n; k++) {
		it.id = ids[k];
		if ((rc = e->st->ops->item_money_get(e->st, it.id, &it.money, err)))
			goto fail;
		if (!it.money.due_at || it.money.due_at > now)
			continue; /* changed since the ids were read */
		struct item_money from = it.money;
		for (int i = 0; i < it.money.n; i++)
			if (it.money.bucket[i] == BUCKET_FROZEN) {
				it.money.bucket[i] = BUCKET_AVAILABLE;
				released_fen += it.money.amount[i];
			}
		it.money.due_at = 0;
		/* the transfers are posted at commit, with the chunk's others */
		if ((rc = engine_move_item(e, it.id, &from, &it.money, err)) ||
		    (rc = e->st->ops->item_set_money(e->st, &it, err)))
			goto fail;
		released_items++;
	}
	if ((rc = engine_flush_batch(e, err)) ||
	    (released_items && (rc = log_release(e, now, released_items, released_fen, err))) ||
	    (rc = e->st->ops->tx_commit(e->st, err)))
		goto fail;
	e->in_batch = false;
	*items += released_items;
	*fen += released_fen;
	return TK_OK;
fail:
	e->st->ops->tx_rollback(e->st);
	engine_drop_batch(e);
	e->in_batch = false;
	return rc;
}

enum tk_rc engine_settle(struct engine *e, int64_t now, int64_t *released_items,
			 int64_t *released_fen, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	*released_items = *released_fen = 0;
	/* Settling as of a later time would release money before its hold has
	 * passed: the clock (TUIKE_NOW in tests and replays) is the latest. */
	int64_t clock = engine_now();
	if (now > clock) {
		char a[TKTIME_BUF], b[TKTIME_BUF];
		return tk_fail(err, TK_EINVAL, "now",
			       "%s is later than the clock (%s): settlement never releases money "
			       "before its hold has passed",
			       tktime_format_iso8601(now, TKTIME_BEIJING_OFFSET, a),
			       tktime_format_iso8601(clock, TKTIME_BEIJING_OFFSET, b));
	}
	int64_t *ids = malloc(SETTLE_PASS * sizeof(*ids));
	if (!ids)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (;;) {
		int64_t n = 0, before = *released_items;
		if ((rc = e->st->ops->item_due_ids(e->st, now, ids, SETTLE_PASS, &n, err)))
			break;
		qsort(ids, (size_t)n, sizeof(*ids), engine_i64_cmp);
		for (int64_t k = 0; k < n && !rc; k += SETTLE_CHUNK)
			rc = release_chunk(e, ids + k, n - k < SETTLE_CHUNK ? n - k : SETTLE_CHUNK, now,
					   released_items, released_fen, err);
		/* a full pass may have left more; a pass that released nothing
		 * found only items changed under it */
		if (rc || n < SETTLE_PASS || *released_items == before)
			break;
	}
	free(ids);
	return rc;
}

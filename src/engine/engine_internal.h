/* engine_internal.h — the engine's state, shared by its modules. */
#ifndef TK_ENGINE_INTERNAL_H
#define TK_ENGINE_INTERNAL_H

#include "engine/engine.h"
#include "engine/growth_batch.h"
#include "engine/member_tree.h"
#include "engine/rollup.h"
#include "engine/sum_map.h"

struct engine {
	struct store *st;
	/* plans by version, loaded on first use */
	struct plan **plans;
	int64_t n_plans;
	int64_t active_version;
	/* the member tree, loaded on first bulk use */
	struct member_tree tree;
	bool tree_loaded;
	/* the newest change of the change log reflected in memory */
	int64_t seen_seq;
	/* the open import batch */
	bool in_batch;
	/* balance changes and report statistics of the open batch, written
	 * once per account and per (day, dim, key) at commit */
	struct sum_map deltas;
	struct rollup rollup;
	/* where each item's money stood when the batch first moved it and
	 * where it stands now (first-moved order; move_index: item -> index):
	 * the ledger gets each item's net movement once, at commit */
	struct item_move {
		int64_t item;
		struct item_money from, to;
	} *moves;
	uint64_t n_moves, cap_moves;
	struct sum_map move_index;
	int64_t batch_now;
	int64_t batch_started_ms; /* engine_mono_ms() when the batch began */
	bool refunds_exist; /* any refund record: only then look them up */
	bool campaigns_exist; /* any campaign: only then match rows by product */
	struct campaign_cache *campaign_cache; /* the batch's look-ups (campaign_orders.c) */
	bool co_changed; /* the last item's campaign order changed (its import's outcome) */
	/* growth figures and members to re-evaluate, of the open batch or
	 * operation (engine/growth_internal.h) */
	struct growth_batch growth;
};

/* Begins a store transaction and catches up with the change log inside it
 * (engine_catch_up): the writer holds the write lock, so nothing changes
 * between what it reads from memory and what it writes. */
enum tk_rc engine_tx_begin(struct engine *e, struct tk_error *err);

/* Begins a read-only transaction (one snapshot, no writer lock: it never
 * waits for a writer, however long its batch) and catches up inside it;
 * ended with tx_rollback.  For operations that only read. */
enum tk_rc engine_read_begin(struct engine *e, struct tk_error *err);

/* Inside a write transaction whose every change the engine also made in
 * memory (a member import): the log's newest change is reflected, so the
 * next catch-up need not read the transaction's own changes back.  Sound
 * because the write lock keeps every other writer out until commit. */
enum tk_rc engine_mark_current(struct engine *e, struct tk_error *err);

/* Loads the member tree if it is not yet in memory. */
enum tk_rc engine_tree_load(struct engine *e, struct tk_error *err);

/* Posts transfers (filling item/withdrawal/at), adding their effect to the
 * batch's balance deltas; outside a batch the balances are written now. */
enum tk_rc engine_post(struct engine *e, struct transfer *t, int n, struct tk_error *err);

/* Moves an item's money from `from` to `to` within the open batch: the
 * transfers for its net movement over the batch are posted at commit. */
enum tk_rc engine_move_item(struct engine *e, int64_t item, const struct item_money *from,
			    const struct item_money *to, struct tk_error *err);
/* Gives an item's money to a new chain (re-attribution): the shares of
 * `from` go back (reversed while held, clawed back once released) and the
 * shares of `to` (a position reached from nothing, same plan) are made,
 * by transfers posted now; the batch's record of the item, if any, is
 * posted first and then stands at `to`. */
enum tk_rc engine_rechain_item(struct engine *e, int64_t item, const struct item_money *from,
			       const struct item_money *to, struct tk_error *err);

/* Posts the batch's item moves, writes its balance deltas and statistics
 * to the store and clears them; engine_drop_batch() forgets them (on
 * rollback). */
enum tk_rc engine_flush_batch(struct engine *e, struct tk_error *err);
void engine_drop_batch(struct engine *e);

/* A monotonic clock in milliseconds, for how long a batch holds the lock. */
int64_t engine_mono_ms(void);

/* After a batch that held the write lock at least this long, the import
 * pauses this long before the next (engine_import_commit). */
#define ENGINE_BATCH_YIELD_AFTER_MS 100
#define ENGINE_BATCH_YIELD_MS 10

/* qsort's order of int64 values, or of records that begin with one. */
int engine_i64_cmp(const void *a, const void *b);

/* The plan of a stored version (cached). */
enum tk_rc engine_plan_version(struct engine *e, int64_t version, const struct plan **out,
			       struct tk_error *err);

#endif

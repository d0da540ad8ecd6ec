/* growth_batch.h — the growth figures an open batch changes, summed in
 * memory and written once at the end (like the report rollup): daily own
 * and team sales per (member, day), per-level team counts, the members
 * whose level must be evaluated again, and those whose order figures went
 * down (their rule-earned levels are checked for a correction).  Part of the engine's state; the
 * memory is released when the batch ends (growth_commit / growth_drop). */
#ifndef TK_GROWTH_BATCH_H
#define TK_GROWTH_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/order.h"
#include "engine/sum_map.h"
#include "store/growth_store.h"

#define GROWTH_LEVEL_KEYS 64 /* distinct level keys in one batch's counts */

struct growth_day_entry {
	int64_t member, day;
	int64_t v[TD_N];
	bool used;
};

struct growth_count_entry {
	int64_t key; /* member << 6 | level key index; 0 = empty */
	int64_t direct, team;
};

/* An item that lowered members' order figures: the reason a correction
 * names in the level history. */
struct growth_revoked {
	int64_t item;
	char union_[ORDER_UNION_MAX];
	char key[ORDER_KEY_MAX];
};

struct growth_batch {
	/* (member, day) -> sums */
	struct growth_day_entry *days;
	uint64_t n_day_slots, n_days;
	/* (member, level key) -> count deltas */
	struct growth_count_entry *counts;
	uint64_t n_count_slots, n_counts;
	char level_keys[GROWTH_LEVEL_KEYS][PLAN_KEY_MAX];
	int n_level_keys;
	/* the level whose counts are implicit ("" until chosen), read once */
	bool implicit_read;
	char implicit[PLAN_KEY_MAX];
	/* members to evaluate at the end; past a limit, everyone is */
	struct sum_map dirty;
	int64_t n_dirty;
	bool dirty_all;
	/* members whose order figures went down -> 1 + the index in `revoked`
	 * of the first item that lowered them; never collapsed to "everyone":
	 * corrections stay incremental (one per member whose figures moved) */
	struct sum_map shrunk;
	struct growth_revoked *revoked;
	int64_t n_revoked, cap_revoked;
	/* levels changed in the in-memory tree by this transaction */
	bool tree_touched;
	/* the active plan and what its rules look at, read once per batch */
	bool plan_read;
	const struct plan *plan;
	/* why the plan could not be read (TK_OK: it was, or none is set):
	 * the batch must fail rather than go on as if there were no plan */
	enum tk_rc plan_rc;
	struct tk_error plan_err;
	unsigned inputs;
};

#endif

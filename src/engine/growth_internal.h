/* growth_internal.h — how the rest of the engine tells growth that its
 * inputs changed, and what the growth modules share.
 *
 * members.c tells growth what happened to members through one hook
 * (growth_on_member_event, member_event.h), orders.c through the order
 * hooks below, each inside its own transaction; the batched ones (imported
 * members, growth_item) sum in e->growth and are
 * written by growth_flush / growth_commit.  growth_drop forgets them when
 * the transaction is rolled back. */
#ifndef TK_GROWTH_INTERNAL_H
#define TK_GROWTH_INTERNAL_H

#include "engine/engine_internal.h"
#include "engine/growth.h"
#include "engine/member_event.h"

/* No real tree is this deep; walking further means a cycle, which moves
 * refuse, so it is reported as a broken store. */
#define MEMBER_DEPTH_GUARD 10000000

/* ---- hooks ---- */

/* The members' hook (member_event.h) is
 * growth_on_member_event: a new member's grant and per-level counts, a
 * level change's history and counts, the marks of whom it can move, and
 * the batch's flush, commit and rollback. */

/* Order import.  A gift pack's row: when `*row` is a gift pack of the
 * item's plan version (`it` NULL for a new item: the active plan), *row is
 * pointed at `buf`, a copy whose commission is the pack's margin times the
 * quantity.  TK_EINVAL (the row is rejected) when a new pack's buyer is
 * not a member or the margin overflows. */
enum tk_rc growth_pack_row(struct engine *e, const struct item_rec *it,
			   const struct order_row **row, struct order_row *buf,
			   struct tk_error *err);
/* A new gift-pack item's chain: the buyer's inviter and the inviters above,
 * cut at the pack's tiers, marked with PLAN_LEVEL_PACK. */
void growth_pack_chain(struct engine *e, const struct plan *p, const struct order_row *row,
		       struct item_rec *it);
/* Moves an item's contribution to the daily own and team sales of its
 * tier-1 member and everyone above from its stored state `was` (NULL for
 * a new item) to `it`, and marks whom the change may move; a gift pack's
 * item records the pack's holding instead. */
enum tk_rc growth_item(struct engine *e, const struct item_rec *was, const struct item_rec *it,
		       struct tk_error *err);

/* A gift-pack item changed (after its new state was stored): records the
 * holding and marks the buyer when the pack was gained or lost. */
enum tk_rc growth_pack_changed(struct engine *e, const struct item_rec *it,
			       struct tk_error *err);

/* Writes the batch's counts and sales (keeping the members to evaluate). */
enum tk_rc growth_flush(struct engine *e, struct tk_error *err);
/* growth_flush, then evaluates the marked members (the whole tree when
 * there are many), then releases the batch's memory. */
enum tk_rc growth_commit(struct engine *e, struct tk_error *err);
/* Forgets the batch; reloads the member tree on next use if this
 * transaction changed levels in it. */
void growth_drop(struct engine *e);
/* Releases the batch after its transaction committed. */
void growth_end(struct engine *e);

/* ---- shared by the growth modules ---- */

/* Marks a member to be evaluated at growth_commit. */
enum tk_rc growth_mark(struct engine *e, int64_t id, struct tk_error *err);
/* Marks the members an event can move, by what the plan's rules look at:
 * the member itself (own sales, packs), its inviter (direct counts, a
 * level change) and every ancestor (team size, team sales). */
enum tk_rc growth_mark_inputs(struct engine *e, int64_t id, unsigned changed,
			      struct tk_error *err);
/* The parent of a member (tree when loaded, else the store); 0 for a root. */
enum tk_rc growth_parent(struct engine *e, int64_t id, int64_t *parent, struct tk_error *err);
/* The level whose per-level counts are implicit (growth_store.h), "" when
 * none is chosen yet (then no counts exist at all). */
enum tk_rc growth_implicit_level(struct engine *e, const char **level, struct tk_error *err);
/* Adds to (member, level)'s counts in the batch (nothing for the implicit
 * level, which the first count ever written chooses when none is). */
enum tk_rc growth_count(struct engine *e, int64_t member, const char *level, int64_t direct,
			int64_t team, struct tk_error *err);
/* Moves one member from level `from` to `to` in its inviters' counts: the
 * parent's direct count and every ancestor's team count. */
enum tk_rc growth_count_move(struct engine *e, int64_t id, const char *from, const char *to,
			     struct tk_error *err);
/* Records a level change already written to the member: the history
 * entry, the move in its inviters' counts (batched) and the mark of its
 * inviter. */
enum tk_rc growth_record_level(struct engine *e, int64_t id, const char *from, const char *to,
			       const char *rule, int64_t item, struct tk_error *err);
/* Adds v[] to a member's day in the batch. */
enum tk_rc growth_team_day(struct engine *e, int64_t member, int64_t day, const int64_t v[TD_N],
			   struct tk_error *err);
/* The gift pack (index in p->gift_packs) an item is, or -1; p is the
 * plan of the item's version, filled when the item is an `own` one. */
enum tk_rc growth_item_pack(struct engine *e, const struct item_rec *it, const struct plan **p,
			    int *pack, struct tk_error *err);
/* Sets a member's level (store, tree) and records it (growth_record_level). */
enum tk_rc growth_apply_level(struct engine *e, int64_t id, const char *from, const char *to,
			      const char *rule, int64_t item, struct tk_error *err);
/* Incremental evaluation of the marked members, then of their inviters
 * when a level changed.  Counts are flushed as it goes. */
enum tk_rc growth_evaluate_marked(struct engine *e, struct growth_eval_stats *stats,
				  struct tk_error *err);
/* Corrections of the members whose order figures went down in this batch
 * (growth_batch.shrunk), deepest first: a level earned by a rule that no
 * longer holds on what still earns goes down (growth_correct), recorded
 * as "revoked:UNION:ITEM"; an inviter whose direct_at_level rule counted
 * such a member is checked in turn.  Empties the set. */
enum tk_rc growth_correct_marked(struct engine *e, struct growth_eval_stats *stats,
				 struct tk_error *err);
/* Bulk evaluation of the whole tree (tree loaded), inside the caller's
 * transaction. */
enum tk_rc growth_evaluate_tree(struct engine *e, bool review, struct growth_eval_stats *stats,
				struct tk_error *err);
/* The active plan, or NULL when none is set or it could not be read: then
 * growth_plan_failed says why, and growth_commit fails with it. */
const struct plan *growth_plan(struct engine *e);
/* The error reading the plan met in this batch or operation, TK_OK when
 * none: an operation that used growth_plan checks it before committing. */
enum tk_rc growth_plan_failed(struct engine *e, struct tk_error *err);
/* Today, in Beijing days. */
int64_t growth_today(void);
/* The level index of a key in a plan (the default level when absent). */
int growth_level_of(const struct plan *p, const char *key);

#endif

/* member_tree.h — the invitation tree held in memory for bulk work.
 *
 * Attribution walks [sharer, parent, grandparent] for every order item;
 * doing that through SQL costs three lookups per item.  The tree keeps, per
 * internal id, the parent and level, and maps external ids to internal ones
 * with an open-addressing hash.  Loaded once from the store, then kept in
 * step by the engine's own writes. */
#ifndef TK_MEMBER_TREE_H
#define TK_MEMBER_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/plan.h"
#include "core/strmap.h"

#define MEMBER_TREE_LEVEL_KEYS 64

struct member_tree {
	int64_t max_id;       /* highest id present */
	int64_t cap;          /* entries allocated in the per-id arrays */
	int64_t *parent;      /* [id] parent id, 0 = none, -1 = no such member */
	uint8_t *level;       /* [id] index into level_keys */
	int32_t *depth;       /* [id] */
	int64_t *direct;      /* [id] direct invitees */
	int64_t *team;        /* [id] all descendants */
	struct strmap ext;    /* external id -> id */
	uint64_t *ext_entry;  /* [id] the member's entry in `ext` */
	char level_keys[MEMBER_TREE_LEVEL_KEYS][PLAN_KEY_MAX];
	int n_level_keys;
};

void member_tree_init(struct member_tree *t);
void member_tree_free(struct member_tree *t);

/* Adds (or replaces) a member.  TK_ENOMEM or TK_ELIMIT (too many distinct
 * level keys) on failure. */
enum tk_rc member_tree_put(struct member_tree *t, int64_t id, const char *ext, int64_t parent,
			   const char *level, int32_t depth, int64_t direct, int64_t team,
			   struct tk_error *err);
enum tk_rc member_tree_set_level(struct member_tree *t, int64_t id, const char *level,
				 struct tk_error *err);

/* The id of an external id, or 0. */
int64_t member_tree_find(const struct member_tree *t, const char *ext);
bool member_tree_has(const struct member_tree *t, int64_t id);
const char *member_tree_ext(const struct member_tree *t, int64_t id);
const char *member_tree_level(const struct member_tree *t, int64_t id);

/* Fills the chain [id, parent, grandparent] cut at plan->max_tiers, with
 * each member's level as an index in the plan (the plan's default level
 * when the member's key is not in it). */
void member_tree_chain(const struct member_tree *t, const struct plan *p, int64_t id,
		       bool self_purchase, struct plan_chain *chain);

#endif

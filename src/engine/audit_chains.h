/* audit_chains.h — the audit's check of every item's chain against the
 * tree and levels at its first sight (audit_chains.c). */
#ifndef TK_AUDIT_CHAINS_H
#define TK_AUDIT_CHAINS_H

#include "engine/engine_internal.h"

struct past_list;

struct audit_chains {
	struct engine *e;
	struct past_list *levels, *moves;
};

/* Loads the tree and every member's moves and level changes (inside the
 * audit's read transaction).  audit_chains_free() in every case. */
enum tk_rc audit_chains_load(struct audit_chains *c, struct engine *e, struct tk_error *err);
void audit_chains_free(struct audit_chains *c);

/* Whether the item's chain is the one its first sight gave it; *want is
 * that chain when not. */
bool audit_chain_ok(const struct audit_chains *c, const struct plan *p,
		    const struct item_rec *it, struct plan_chain *want);

#endif

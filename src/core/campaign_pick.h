/* campaign_pick.h — which campaign a campaign order belongs to, among the
 * campaigns of its union that hold its product (docs/promotion-head.md):
 * pure, so that the engine can keep the candidates of a product for a
 * whole import batch and pick for each row's paid time without asking the
 * database again. */
#ifndef TK_CAMPAIGN_PICK_H
#define TK_CAMPAIGN_PICK_H

#include <stdbool.h>
#include <stdint.h>

/* The most candidates kept per (union, campaign id, product): the latest
 * by promote_from.  A product in more campaigns than this is matched
 * among the latest only. */
#define CAMPAIGN_CANDIDATES_MAX 32

struct co_candidate {
	int64_t campaign, campaign_item;
	int service_pm;
	int64_t promote_from, promote_to;
};

/* The index of the candidate for a row paid (or ordered) at `at`, among
 * candidates ordered by promote_from then id, both descending: the first
 * whose promotion window holds `at`; else, when the row named its
 * campaign (by_ext), the first; else -1 (a product matched by window
 * only needs the window). */
int campaign_pick(const struct co_candidate *c, int n, bool by_ext, int64_t at);

#endif

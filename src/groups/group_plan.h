/* group_plan.h — planning the sends: for every active group, the slots of a
 * window (its schedule) and for each slot not yet planned the product its
 * selection picks (the worth-pushing ranking filtered by the group's
 * categories, keywords and price band, or its hand-picked list in
 * rotation), skipping what de-duplication and the shop and category
 * cooldowns forbid.  Each chunk of groups is one transaction of its own. */
#ifndef TK_GROUP_PLAN_H
#define TK_GROUP_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "push/push_settings.h"
#include "store/group_store.h"

#define GROUP_PLAN_WINDOW_MAX (7 * 86400) /* the longest window one run plans */
#define GROUP_PLAN_RANKING 500            /* products of the ranking looked at */
#define GROUP_PLAN_CHUNK 50               /* groups per transaction */

struct group_plan_stats {
	int64_t groups;        /* active groups looked at */
	int64_t slots;         /* their slots in the window */
	int64_t created;       /* jobs added */
	int64_t existing;      /* slots planned before (nothing added) */
	int64_t no_product;    /* slots no product fits (no job) */
	int64_t bad_settings;  /* groups skipped: settings unreadable */
};

/* Plans [from, to) (at most GROUP_PLAN_WINDOW_MAX) for every active group at
 * `now` (prices and the ranking are taken at now).  Planning twice adds
 * nothing: jobs are unique per (group, slot).  TK_EINVAL for a bad window. */
enum tk_rc group_plan(struct store *st, int64_t from, int64_t to, int64_t now,
		      struct group_plan_stats *out, struct tk_error *err);

/* What group g's selection picks for a send at time t (the next product it
 * would send: "send now" without a product): *found false when none fits.
 * Reads only (inside the caller's transaction, if any). */
enum tk_rc group_plan_pick(struct store *st, const struct group_rec *g,
			   const struct push_settings *s, int64_t t, int64_t now,
			   struct send_job_rec *out, bool *found, struct tk_error *err);

#endif

/* growth.h — growth operations: registration by invite code, moving a
 * member to another inviter, level evaluation and its history, team
 * statistics and listings, the path to the root and the compliance report.
 *
 * Each operation that writes runs in one store transaction: on error
 * nothing of it is applied.  Level changes are always recorded in the
 * history (from, to, rule, time).  See docs/growth.md. */
#ifndef TK_ENGINE_GROWTH_H
#define TK_ENGINE_GROWTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/growth.h"
#include "engine/engine.h"
#include "store/growth_store.h"

#define TEAM_PAGE_MAX 1000     /* members in one page of a team listing */
#define GROWTH_DEPTH_BUCKETS 64 /* depth histogram: 0..62, then 63 and deeper */
#define COMPLIANCE_SAMPLE 20   /* recruitment-only earners listed by name */

/* Moves member `ext` and its whole team under `to_ext` (NULL or "": makes
 * it a root).  Refuses a move under the member itself or anyone in its
 * team (a cycle).  `by` (who, 1..63 bytes) and `reason` (1..255 bytes) go
 * to the audit trail with the time.  Depths, direct and team counts,
 * per-level counts and team sales follow the team; order items already
 * attributed keep their chain.  out (optional) is the trail entry. */
enum tk_rc engine_member_move(struct engine *e, const char *ext, const char *to_ext,
			      const char *by, const char *reason, struct member_move_rec *out,
			      struct tk_error *err);
/* The audit trail of moves, oldest first: of one member, or of all (NULL). */
enum tk_rc engine_member_moves(struct engine *e, const char *ext, store_move_cb cb, void *ctx,
			       struct tk_error *err);

struct growth_eval_stats {
	int64_t evaluated;  /* members looked at */
	int64_t upgraded, downgraded;
	bool bulk;          /* the whole tree at once */
};

/* Evaluates every member against the active plan, deepest first so that a
 * member sees its invitees' new levels; with `review` (plans with
 * "downgrade": "monthly" only), members that no longer meet their level's
 * rule go down.  All changes and their history commit together. */
enum tk_rc engine_levels_evaluate(struct engine *e, bool review, struct growth_eval_stats *out,
				  struct tk_error *err);
/* Evaluates some members (and, on a change, their inviters in turn), the
 * way registrations and orders do. */
enum tk_rc engine_levels_evaluate_members(struct engine *e, const char *const *ext, int n,
					  struct growth_eval_stats *out, struct tk_error *err);
/* A member's level changes, oldest first (ext NULL: everyone's). */
enum tk_rc engine_level_history(struct engine *e, const char *ext, store_level_change_cb cb,
				void *ctx, struct tk_error *err);

/* How far a member is from the level above its own: each condition of
 * that level's upgrade rule with the member's figure now (the same facts
 * and the same judgement as an evaluation; nothing is written). */
struct level_progress {
	struct member_rec m;
	char level[PLAN_KEY_MAX];       /* its level now */
	char next[PLAN_KEY_MAX];        /* the level above; "" at the top */
	char next_name[PLAN_NAME_MAX];
	bool match_any;                 /* any one condition is enough */
	int n;                          /* conditions of next's rule; 0: no rule */
	struct plan_condition cond[PLAN_MAX_CONDITIONS];
	char cond_level[PLAN_MAX_CONDITIONS][PLAN_KEY_MAX]; /* direct_at_level's level */
	int64_t have[PLAN_MAX_CONDITIONS], need[PLAN_MAX_CONDITIONS];
	bool met[PLAN_MAX_CONDITIONS];
};
/* TK_ENOTFOUND when the member does not exist or no plan is active. */
enum tk_rc engine_level_progress(struct engine *e, const char *ext, struct level_progress *out,
				 struct tk_error *err);

#define TEAM_STATS_LEVELS 64

/* A member's team figures, kept current on write.  Months are calendar
 * months in Beijing time; "team" sums cover the member and its whole
 * team; gift packs are not sales. */
struct team_stats {
	struct member_rec m;
	char month[8], last_month[8]; /* "2026-11" */
	int64_t own_gmv[2], own_commission[2];   /* [0] this month, [1] last month */
	int64_t team_gmv[2], team_commission[2];
	int n_levels;
	struct {
		char key[PLAN_KEY_MAX];
		int64_t direct, team;
	} levels[TEAM_STATS_LEVELS];
};
enum tk_rc engine_team_stats(struct engine *e, const char *ext, struct team_stats *out,
			     struct tk_error *err);

/* One page of a member's team (q->member, month_from and month_to are
 * filled here; limit 1..TEAM_PAGE_MAX, offset >= 0). */
enum tk_rc engine_team_list(struct engine *e, const char *ext, struct team_query *q,
			    store_team_row_cb cb, void *ctx, struct tk_error *err);

/* The member and its inviters up to the root, nearest first. */
enum tk_rc engine_member_path(struct engine *e, const char *ext, store_member_cb cb, void *ctx,
			      struct tk_error *err);

struct compliance_report {
	struct compliance_figures f;
	int64_t depth[GROWTH_DEPTH_BUCKETS]; /* members per depth */
	int n_checks;
	struct compliance_check checks[COMPLIANCE_MAX_CHECKS];
	int n_sample;
	struct {
		char ext[ORDER_KEY_MAX];
		int64_t pack_income;
	} sample[COMPLIANCE_SAMPLE]; /* recruitment-only earners, largest first */
};
enum tk_rc engine_compliance_report(struct engine *e, struct compliance_report *out,
				    struct tk_error *err);

#endif

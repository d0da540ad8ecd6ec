/* growth.h — levels by rules: which level a member qualifies for given its
 * facts (team counts, sales over day windows, gift packs), and the
 * compliance checks on a plan and its figures.
 *
 * Pure functions over plain structs: no I/O.  The engine gathers the facts
 * (src/engine/growth*.c) and applies the decisions.  Levels rank by their
 * order in the plan's `levels` (later = higher). */
#ifndef TK_GROWTH_H
#define TK_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/plan.h"

/* The distinct day windows of a plan's upgrade rules, in first-use order;
 * facts hold one figure per window, at the same index. */
struct growth_windows {
	int n;
	int32_t days[PLAN_MAX_WINDOWS];
};
void growth_windows(const struct plan *p, struct growth_windows *w);
/* The index of a window, or -1. */
int growth_window_index(const struct growth_windows *w, int32_t days);

/* What a member's level is decided on.  Sums are in fen over the last
 * `days` days (today included, Beijing days); "team" sums cover the member
 * and its whole team. */
struct growth_facts {
	int64_t direct;                 /* direct invitees */
	int64_t team;                   /* all descendants */
	int64_t own_gmv[PLAN_MAX_WINDOWS];
	int64_t own_commission[PLAN_MAX_WINDOWS];
	int64_t team_gmv[PLAN_MAX_WINDOWS];
	int64_t team_commission[PLAN_MAX_WINDOWS];
	int64_t direct_at[PLAN_MAX_LEVELS]; /* direct invitees at exactly level i */
	bool holds_pack;                /* holds some gift pack */
	int pack_level;                 /* highest level a held gift pack grants, -1 */
};
void growth_facts_init(struct growth_facts *f);

/* The inputs a plan's rules look at, so that an event only re-evaluates
 * the members it can move. */
enum growth_input {
	GROWTH_IN_DIRECT = 1,       /* direct_invites */
	GROWTH_IN_TEAM = 2,         /* team_size */
	GROWTH_IN_OWN_SALES = 4,    /* own_gmv, own_commission */
	GROWTH_IN_TEAM_SALES = 8,   /* team_gmv, team_commission */
	GROWTH_IN_DIRECT_LEVEL = 16,/* direct_at_level */
	GROWTH_IN_PACK = 32,        /* gift_pack conditions or packs granting levels */
};
unsigned growth_plan_inputs(const struct plan *p);
/* Whether any level can change by evaluation at all. */
bool growth_plan_has_rules(const struct plan *p);

bool growth_condition_met(const struct growth_windows *w, const struct plan_condition *c,
			  const struct growth_facts *f);
/* The figure a condition is judged on: the count, the fen over its
 * window, or for gift_pack 1 when a pack is held (then `min` counts as 1).
 * growth_condition_met is this figure against the condition's minimum. */
int64_t growth_condition_figure(const struct growth_windows *w, const struct plan_condition *c,
				const struct growth_facts *f);
/* The minimum a condition asks: `min`, or 1 for gift_pack. */
int64_t growth_condition_need(const struct plan_condition *c);

/* How far a member is from each condition of level `level`'s rule: for
 * condition i of the rule, have[i] (growth_condition_figure) and met[i].
 * Returns the number of conditions (0: the level has no rule, reached
 * only by an operator or a gift pack).  Pure: what the level progress
 * the promoter page shows is computed from. */
int growth_progress(const struct plan *p, const struct growth_windows *w, int level,
		    const struct growth_facts *f, int64_t have[PLAN_MAX_CONDITIONS],
		    bool met[PLAN_MAX_CONDITIONS]);

/* Whether level `level` has an upgrade rule and the facts meet it. */
bool growth_rule_met(const struct plan *p, const struct growth_windows *w, int level,
		     const struct growth_facts *f);

enum growth_cause {
	GROWTH_UNCHANGED,
	GROWTH_RULE,        /* the upgrade rule of the new level is met */
	GROWTH_PACK,        /* a held gift pack grants the new level */
	GROWTH_REVIEW,      /* monthly review: the old level is no longer met */
	GROWTH_PACK_REFUND, /* a gift pack was refunded: its upgrade is undone */
	GROWTH_REVOKED,     /* orders it was earned with stopped earning */
};

struct growth_decision {
	int level;               /* where the member should be */
	enum growth_cause cause;
};

/* Upgrades only: the highest level above `current` whose rule is met or
 * that a held pack grants; a pack wins a tie (so that its refund can be
 * traced).  cause GROWTH_UNCHANGED and level == current otherwise. */
void growth_upgrade(const struct plan *p, const struct growth_windows *w, int current,
		    const struct growth_facts *f, struct growth_decision *out);

/* Downward check: the member keeps `current` when it still qualifies for
 * it (its rule is met, a held pack grants it or more, or — with
 * keep_ruleless — the level has no rule at all, i.e. was granted);
 * otherwise it goes to the highest lower level it qualifies for (rule,
 * pack, or the plan's default level), never below `floor`.  cause is
 * `why` when the level goes down, GROWTH_UNCHANGED otherwise. */
void growth_review(const struct plan *p, const struct growth_windows *w, int current,
		   int floor, bool keep_ruleless, enum growth_cause why,
		   const struct growth_facts *f, struct growth_decision *out);

/* The rule of a level change as kept in the history: "upgrade:mentor",
 * "gift_pack:GP399", "review", "gift_pack_refund:GP399", "revoked:jd:J1-1"
 * (`what` names the pack for the pack causes, UNION:ITEM for a
 * revocation). */
void growth_rule_text(const struct plan *p, const struct growth_decision *d,
		      const char *what, char *buf, size_t size);

/* How a level change came about, from its rule in the history. */
enum growth_source {
	GROWTH_SRC_RULE,  /* upgrade:KEY — earned */
	GROWTH_SRC_GRANT, /* operator, import — granted, at creation or later */
	GROWTH_SRC_OTHER, /* gift packs, reviews, revocations */
};
enum growth_source growth_rule_source(const char *rule);

/* Where a member's levels came from, read from its level history oldest
 * first: the level last granted to it, and for each level the last change
 * that took the member up to or through it — whether an upgrade rule did,
 * and on which Beijing day. */
struct growth_past {
	int granted;                     /* level index; -1 when never granted */
	bool by_rule[PLAN_MAX_LEVELS];   /* the last rise to level i was by a rule */
	int64_t day[PLAN_MAX_LEVELS];    /* ... on this day */
};
void growth_past_init(struct growth_past *g);
/* One history entry, as level indexes (from -1: a creation, or a level the
 * plan no longer has, i.e. below everything). */
void growth_past_add(struct growth_past *g, int from, int to, enum growth_source src,
		     int64_t day);

/* The level a review or a correction may not go below: the highest of the
 * plan's default level, `floor` (the level before a lost gift pack; -1
 * none) and, with keep_granted, the level last granted. */
int growth_floor(const struct plan *p, const struct growth_past *past, int floor,
		 bool keep_granted);

/* A correction, after orders a member's figures counted stopped earning
 * (invalid, refunded): only levels earned by a rule can be taken back.
 * The member keeps level L (and so `current`) when a held pack grants L
 * or more, when L's rule holds on today's figures (`now`), when it did not
 * rise to L by a rule (a grant, a pack), or when L's rule still holds on
 * the figures of the day it rose to L as they stand now (`then[L]`, facts
 * whose sales windows end on past->day[L]; NULL when not gathered, which
 * keeps L).  Otherwise it goes to the highest lower level it keeps, or
 * the plan's default level, never below `floor` (growth_floor).  cause
 * GROWTH_REVOKED when the level goes down, GROWTH_UNCHANGED otherwise. */
void growth_correct(const struct plan *p, const struct growth_windows *w, int current,
		    int floor, const struct growth_past *past, const struct growth_facts *now,
		    const struct growth_facts *const then[PLAN_MAX_LEVELS],
		    struct growth_decision *out);

/* ---- compliance ---- */

/* Figures of a whole platform, gathered by the engine.  "Ordinary" items
 * are union orders (and own products that are not gift packs); gift-pack
 * items are the packs' margins. */
struct compliance_figures {
	int64_t members, roots, max_depth;
	int64_t gmv;                 /* earning ordinary items, fen paid by buyers */
	int64_t commission;          /* their net commission */
	int64_t pack_sales;          /* earning gift-pack items: fen paid */
	int64_t pack_margin;         /* their margin (the pack items' commission) */
	int64_t ordinary_by_tier[PLAN_MAX_TIERS]; /* members' income by tier */
	int64_t pack_by_tier[PLAN_MAX_TIERS];
	int64_t earners;             /* members with any income */
	int64_t earners_pack_only;   /* ... all of it from gift-pack margins */
	int64_t earners_upline_only; /* ... none of it from their own or their customers' purchases */
};

#define COMPLIANCE_MAX_CHECKS 32
#define COMPLIANCE_MESSAGE_MAX 256

struct compliance_check {
	char name[48];
	bool warning;
	int64_t value;     /* the figure checked (bps for shares, else a count) */
	int64_t threshold; /* the figure at which it warns */
	char message[COMPLIANCE_MESSAGE_MAX];
};

/* Warning thresholds, in bps of the figure's whole (docs/growth.md). */
#define COMPLIANCE_RECRUITMENT_SHARE_BPS 5000 /* pack margins in members' income */
#define COMPLIANCE_UPLINE_SHARE_BPS 5000      /* tiers 2-3 + packs in members' income */
#define COMPLIANCE_PACK_ONLY_EARNERS_BPS 2000 /* earners living on pack margins alone */
#define COMPLIANCE_PACK_REVENUE_BPS 5000      /* pack sales in all sales */
#define COMPLIANCE_PACK_GOODS_BPS 5000        /* a pack's cost below this share of its price */

/* value * 10000 / whole, 0 when whole is 0. */
int64_t growth_share_bps(int64_t value, int64_t whole);

/* Runs every check on a plan and its figures; returns how many were
 * written to out (at most max). */
int growth_compliance_checks(const struct plan *p, const struct compliance_figures *f,
			     struct compliance_check *out, int max);

#endif

/* plan.h — commission plans: parsing, validation and splitting one
 * commission between the sharer and at most two uplines.
 *
 * A plan is plain data (no pointers), so it can be copied, cached per
 * version and compared with memcmp-free field checks.  plan_split() is the
 * single place where money is divided; it is exact and never pays beyond
 * tier 3 or more than the plan's validated maximum. */
#ifndef TK_PLAN_H
#define TK_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "core/error.h"

#define PLAN_MAX_TIERS 3  /* 三级以内: the legal ceiling, never configurable */
#define PLAN_MAX_LEVELS 16
#define PLAN_KEY_MAX 32   /* bytes of a level key, NUL included */
#define PLAN_NAME_MAX 64
#define PLAN_JSON_MAX 65536

enum plan_mode { PLAN_DIFFERENTIAL, PLAN_FIXED };

struct plan_level {
	char key[PLAN_KEY_MAX];
	char name[PLAN_NAME_MAX];
	int32_t rate_bps;
	bool can_share;
};

struct plan {
	char name[PLAN_NAME_MAX];
	enum plan_mode mode;
	int max_tiers;            /* 1..3 */
	int32_t platform_min_bps; /* the platform keeps at least this much */
	int32_t peer_bonus_bps;   /* differential: 平级奖 */
	int32_t tiers_bps[PLAN_MAX_TIERS - 1]; /* fixed: tier 2 and tier 3 */
	int n_tiers_bps;
	int32_t hold_days;
	int default_level;        /* index into levels */
	struct plan_level levels[PLAN_MAX_LEVELS];
	int n_levels;
	int64_t withdraw_min;     /* fen */
	int32_t withdraw_fee_bps;
};

/* Parses and validates a plan document.  On failure err names the field
 * ("levels[2].rate_bps") and value, and out is unspecified. */
enum tk_rc plan_parse(const char *json, size_t len, struct plan *out,
		      struct tk_error *err);

/* Checks every rule of a plan, including that it can never pay more than
 * 10000 - platform_min_bps of a commission nor beyond tier 3. */
enum tk_rc plan_validate(const struct plan *p, struct tk_error *err);

/* The most a plan can pay out of one commission, in bps. */
int32_t plan_max_payout_bps(const struct plan *p);

/* Canonical JSON of a plan (malloc'd, caller frees), parseable by plan_parse. */
char *plan_to_json(const struct plan *p);

/* Index of a level key, or -1. */
int plan_level_index(const struct plan *p, const char *key);

/* The members an item is split between: tier 1 (the sharer, or the buyer on
 * a self-purchase) and its uplines, with their levels when first seen. */
struct plan_chain {
	int n;                          /* 0 = unattributed */
	bool self_purchase;             /* tier 1 is the buyer */
	int64_t member[PLAN_MAX_TIERS]; /* internal member ids */
	int level[PLAN_MAX_TIERS];      /* level indexes in the plan */
};

enum split_role {
	ROLE_NONE,        /* in the chain but earns nothing */
	ROLE_SELF,        /* tier 1 on a self-purchase */
	ROLE_SHARER,      /* tier 1 on someone else's purchase */
	ROLE_DIFFERENTIAL,/* an upline earning the rate difference (级差) */
	ROLE_PEER_BONUS,  /* an upline at the same rate (平级奖) */
	ROLE_TIER,        /* fixed mode: an upline's tier rate */
};

struct plan_split_line {
	int tier;        /* 1..3 */
	int64_t member;
	enum split_role role;
	int32_t rate_bps; /* the rate this line was paid at */
	int64_t amount;   /* fen, >= 0 */
};

struct plan_split {
	int n;           /* == chain->n */
	struct plan_split_line line[PLAN_MAX_TIERS];
	int64_t platform; /* commission - sum(line.amount), >= 0 */
};

/* Splits a commission (0..MONEY_MAX_FEN fen) along a chain.  Each share is
 * floor(C * bps / 10000); the platform keeps the rest, so the lines plus
 * the platform share equal C exactly.  The chain is cut at max_tiers. */
void plan_split(const struct plan *p, const struct plan_chain *chain,
		int64_t commission, struct plan_split *out);

const char *plan_role_name(enum split_role role);
const char *plan_mode_name(enum plan_mode mode);

#endif

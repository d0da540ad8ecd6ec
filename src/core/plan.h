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
/* The languages a level's name may be given in (plan_locales: "zh-CN",
 * "en"), for the pages to say it in the reader's. */
#define PLAN_LOCALES 2
#define PLAN_JSON_MAX 65536
#define PLAN_MAX_CONDITIONS 16  /* per level's upgrade rule */
#define PLAN_MAX_WINDOWS 8      /* distinct day windows over all upgrade rules */
#define PLAN_WINDOW_DAYS_MAX 366
#define PLAN_COUNT_MAX INT64_C(1000000000) /* the largest member-count threshold */
#define PLAN_MAX_GIFT_PACKS 32
#define PLAN_PRODUCT_MAX 96     /* bytes of a gift pack's product id, NUL included */

enum plan_mode { PLAN_DIFFERENTIAL, PLAN_FIXED };

/* One condition of an upgrade rule (see docs/growth.md). */
enum plan_cond_kind {
	COND_DIRECT_INVITES,  /* direct invitees >= min */
	COND_TEAM_SIZE,       /* whole team (all descendants) >= min */
	COND_OWN_GMV,         /* own paid GMV over the last `days` days >= min fen */
	COND_OWN_COMMISSION,  /* commission of own orders over `days` >= min fen */
	COND_TEAM_GMV,        /* the same over the member and its whole team */
	COND_TEAM_COMMISSION,
	COND_DIRECT_AT_LEVEL, /* direct invitees at `level` or higher >= min */
	COND_GIFT_PACK,       /* holds a gift pack (bought, not refunded) */
	COND_KIND_N
};

struct plan_condition {
	enum plan_cond_kind kind;
	int32_t days; /* windowed kinds: today and the days before, 1..366; else 0 */
	int level;    /* COND_DIRECT_AT_LEVEL: index into levels; else -1 */
	int64_t min;  /* a count or fen, >= 0 */
};

/* How a member reaches a level by itself: all (or any) conditions hold.
 * n == 0: the level is never reached by rules (only by an operator or a
 * gift pack). */
struct plan_upgrade {
	bool match_any;
	int n;
	struct plan_condition cond[PLAN_MAX_CONDITIONS];
};

struct plan_level {
	char key[PLAN_KEY_MAX];
	char name[PLAN_NAME_MAX];
	char names[PLAN_LOCALES][PLAN_NAME_MAX]; /* per plan_locales; "" not given */
	int32_t rate_bps;
	bool can_share;
	struct plan_upgrade upgrade;
};

/* Whether levels ever go down by themselves: never, or at the monthly
 * review (`tuike levels evaluate --review`). */
enum plan_downgrade { PLAN_DOWNGRADE_NEVER, PLAN_DOWNGRADE_MONTHLY };

/* A gift pack (礼包): an own-platform product of real goods that grants a
 * level.  Its margin (price - cost) per unit is split by the pack's own
 * fixed tiers: tier 1 the buyer's inviter, tier 2 the inviter's inviter,
 * never beyond tier 3; the rest stays with the platform. */
struct plan_gift_pack {
	char product[PLAN_PRODUCT_MAX]; /* product id of the `own` union */
	int64_t price, cost;            /* fen, 0 <= cost <= price */
	int level;                      /* the level it grants: index into levels */
	int n_tiers;                    /* 0..max_tiers */
	int32_t tiers_bps[PLAN_MAX_TIERS];
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
	enum plan_downgrade downgrade;
	bool review_granted;      /* the monthly review also takes down granted levels */
	struct plan_gift_pack gift_packs[PLAN_MAX_GIFT_PACKS];
	int n_gift_packs;
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

/* Canonical JSON of a plan (malloc'd, caller frees), parseable by plan_parse
 * (both in plan_json.c). */
char *plan_to_json(const struct plan *p);

/* Index of a level key, or -1. */
int plan_level_index(const struct plan *p, const char *key);

extern const char *const plan_locales[PLAN_LOCALES];

/* Index in p->gift_packs of an item's product, or -1 when it is not a gift
 * pack (only `own` union products are). */
int plan_gift_pack_index(const struct plan *p, const char *union_, const char *product);

const char *plan_cond_kind_name(enum plan_cond_kind k);
/* Whether a condition kind looks at a window of days. */
bool plan_cond_windowed(enum plan_cond_kind k);

/* The members an item is split between: tier 1 (the sharer, or the buyer on
 * a self-purchase) and its uplines, with their levels when first seen. */
struct plan_chain {
	int n;                          /* 0 = unattributed */
	bool self_purchase;             /* tier 1 is the buyer */
	int64_t member[PLAN_MAX_TIERS]; /* internal member ids */
	int level[PLAN_MAX_TIERS];      /* level indexes in the plan */
};

/* A gift-pack item is split by its pack's fixed tiers, not by levels: its
 * chain holds PLAN_LEVEL_PACK(k) (k = index in gift_packs) in every level
 * slot, so the item's stored chain alone says how it splits. */
#define PLAN_LEVEL_PACK(k) (-1 - (k))
/* The pack index of a chain, or -1 for an ordinary item. */
int plan_chain_pack(const struct plan_chain *chain);

enum split_role {
	ROLE_NONE,        /* in the chain but earns nothing */
	ROLE_SELF,        /* tier 1 on a self-purchase */
	ROLE_SHARER,      /* tier 1 on someone else's purchase */
	ROLE_DIFFERENTIAL,/* an upline earning the rate difference (级差) */
	ROLE_PEER_BONUS,  /* an upline at the same rate (平级奖) */
	ROLE_TIER,        /* fixed mode: an upline's tier rate */
	ROLE_GIFT_PACK,   /* a share of a gift pack's margin */
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
 * the platform share equal C exactly.  The chain is cut at max_tiers.  A
 * gift-pack chain (plan_chain_pack) is split by the pack's tiers_bps. */
void plan_split(const struct plan *p, const struct plan_chain *chain,
		int64_t commission, struct plan_split *out);

const char *plan_role_name(enum split_role role);
const char *plan_mode_name(enum plan_mode mode);

#endif

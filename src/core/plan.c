/* plan.c — the commission plan: the model, validation, and the split (its
 * JSON in and out is plan_json.c).
 *
 * Two modes are supported (see docs/plans.md):
 *   differential (级差): walking up the chain, each member earns the part of
 *     its rate above the highest rate already paid; the first upline at the
 *     same (non-zero) rate earns peer_bonus_bps once (平级奖).
 *   fixed: tier 1 earns its level rate, tiers 2 and 3 earn tiers_bps.
 * A level that cannot share earns only on its own purchases. */
#include "core/plan.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"

const char *plan_role_name(enum split_role role)
{
	switch (role) {
	case ROLE_NONE: return "none";
	case ROLE_SELF: return "self";
	case ROLE_SHARER: return "sharer";
	case ROLE_DIFFERENTIAL: return "differential";
	case ROLE_PEER_BONUS: return "peer_bonus";
	case ROLE_TIER: return "tier";
	case ROLE_GIFT_PACK: return "gift_pack";
	}
	return "none";
}

const char *plan_mode_name(enum plan_mode mode)
{
	return mode == PLAN_FIXED ? "fixed" : "differential";
}

const char *const plan_locales[PLAN_LOCALES] = {"zh-CN", "en"};

int plan_level_index(const struct plan *p, const char *key)
{
	for (int i = 0; i < p->n_levels; i++)
		if (strcmp(p->levels[i].key, key) == 0)
			return i;
	return -1;
}

int plan_gift_pack_index(const struct plan *p, const char *union_, const char *product)
{
	if (strcmp(union_, "own") != 0 || !product[0])
		return -1;
	for (int i = 0; i < p->n_gift_packs; i++)
		if (strcmp(p->gift_packs[i].product, product) == 0)
			return i;
	return -1;
}

int plan_chain_pack(const struct plan_chain *chain)
{
	return chain->n > 0 && chain->level[0] < 0 ? -1 - chain->level[0] : -1;
}

static const char *const cond_names[COND_KIND_N] = {
	"direct_invites", "team_size", "own_gmv", "own_commission",
	"team_gmv", "team_commission", "direct_at_level", "gift_pack",
};

const char *plan_cond_kind_name(enum plan_cond_kind k)
{
	return (unsigned)k < COND_KIND_N ? cond_names[k] : "unknown";
}

bool plan_cond_windowed(enum plan_cond_kind k)
{
	return k == COND_OWN_GMV || k == COND_OWN_COMMISSION || k == COND_TEAM_GMV ||
	       k == COND_TEAM_COMMISSION;
}

int32_t plan_max_payout_bps(const struct plan *p)
{
	int32_t max_rate = 0;
	for (int i = 0; i < p->n_levels; i++)
		if (p->levels[i].rate_bps > max_rate)
			max_rate = p->levels[i].rate_bps;
	int32_t total = max_rate;
	if (p->mode == PLAN_DIFFERENTIAL) {
		if (p->max_tiers > 1)
			total += p->peer_bonus_bps;
	} else {
		for (int t = 0; t < p->max_tiers - 1 && t < p->n_tiers_bps; t++)
			total += p->tiers_bps[t];
	}
	return total;
}

static bool valid_key(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		      *k == '_' || *k == '-'))
			return false;
	return true;
}

static enum tk_rc check_bps(const char *field, int32_t v, struct tk_error *err)
{
	if (v < 0 || v > BPS_ONE) {
		tk_fail_key(err, TK_EINVAL, field, "plan.bps_range",
			    "must be a rate in basis points 0..10000, got %d", v);
		tk_error_int(err, "value_bps", v);
		return TK_EINVAL;
	}
	return TK_OK;
}

/* Upgrade rules: known kinds, sane thresholds, windows of 1..366 days
 * (at most PLAN_MAX_WINDOWS distinct ones), levels that exist. */
static enum tk_rc validate_upgrades(const struct plan *p, struct tk_error *err)
{
	char field[96];
	int32_t windows[PLAN_MAX_WINDOWS];
	int n_windows = 0;
	if (p->downgrade != PLAN_DOWNGRADE_NEVER && p->downgrade != PLAN_DOWNGRADE_MONTHLY)
		return tk_fail_key(err, TK_EINVAL, "downgrade", "plan.downgrade",
				   "must be \"never\" or \"monthly\"");
	/* without a review there is nothing for it to change: a plan saying
	 * so is a plan that was meant differently */
	if (p->review_granted && p->downgrade != PLAN_DOWNGRADE_MONTHLY)
		return tk_fail_key(err, TK_EINVAL, "review_granted", "plan.review_granted",
				   "applies only to the monthly review: set \"downgrade\": \"monthly\" "
				   "or leave review_granted out");
	for (int i = 0; i < p->n_levels; i++) {
		const struct plan_upgrade *u = &p->levels[i].upgrade;
		if (u->n < 0 || u->n > PLAN_MAX_CONDITIONS) {
			tk_fail_key(err, TK_ELIMIT, "upgrade", "plan.too_many_conditions",
				    "levels[%d] has %d conditions; at most %d are allowed", i, u->n,
				    PLAN_MAX_CONDITIONS);
			tk_error_int(err, "max", PLAN_MAX_CONDITIONS);
			return TK_ELIMIT;
		}
		for (int c = 0; c < u->n; c++) {
			const struct plan_condition *k = &u->cond[c];
			snprintf(field, sizeof(field), "levels[%d].upgrade.conditions[%d]", i, c);
			if ((unsigned)k->kind >= COND_KIND_N)
				return tk_fail_key(err, TK_EINVAL, field, "plan.condition_kind",
						   "has an unknown kind");
			bool money = k->kind == COND_OWN_GMV || k->kind == COND_OWN_COMMISSION ||
				     k->kind == COND_TEAM_GMV || k->kind == COND_TEAM_COMMISSION;
			int64_t hi = money ? MONEY_MAX_FEN : PLAN_COUNT_MAX;
			if (k->min < 0 || k->min > hi) {
				/* money is said as money, a count as a count */
				tk_fail_key(err, TK_EINVAL, field,
					    money ? "plan.condition_min_money" : "plan.condition_min",
					    "min must be 0..%lld, got %lld", (long long)hi,
					    (long long)k->min);
				tk_error_int(err, money ? "max_fen" : "max", hi);
				tk_error_int(err, money ? "value_fen" : "value", k->min);
				return TK_EINVAL;
			}
			if (plan_cond_windowed(k->kind)) {
				if (k->days < 1 || k->days > PLAN_WINDOW_DAYS_MAX) {
					tk_fail_key(err, TK_EINVAL, field, "plan.condition_days",
						    "days must be 1..%d, got %d",
						    PLAN_WINDOW_DAYS_MAX, k->days);
					tk_error_int(err, "max", PLAN_WINDOW_DAYS_MAX);
					tk_error_int(err, "value", k->days);
					return TK_EINVAL;
				}
				int w = 0;
				while (w < n_windows && windows[w] != k->days)
					w++;
				if (w == n_windows) {
					if (n_windows == PLAN_MAX_WINDOWS) {
						tk_fail_key(err, TK_ELIMIT, field,
							    "plan.too_many_windows",
							    "more than %d distinct day windows in "
							    "the upgrade rules",
							    PLAN_MAX_WINDOWS);
						tk_error_int(err, "max", PLAN_MAX_WINDOWS);
						return TK_ELIMIT;
					}
					windows[n_windows++] = k->days;
				}
			}
			if (k->kind == COND_DIRECT_AT_LEVEL &&
			    (k->level < 0 || k->level >= p->n_levels))
				return tk_fail_key(err, TK_EINVAL, field, "plan.level_ref",
						   "level must name one of the levels");
		}
	}
	return TK_OK;
}

/* Gift packs: unique products, 0 <= cost <= price, a level that exists,
 * at most max_tiers (and never more than 3) tiers paying together no more
 * than the margin. */
static enum tk_rc validate_gift_packs(const struct plan *p, struct tk_error *err)
{
	char field[64];
	if (p->n_gift_packs < 0 || p->n_gift_packs > PLAN_MAX_GIFT_PACKS) {
		tk_fail_key(err, TK_ELIMIT, "gift_packs", "plan.too_many_gift_packs",
			    "has %d packs; at most %d are allowed", p->n_gift_packs,
			    PLAN_MAX_GIFT_PACKS);
		tk_error_int(err, "max", PLAN_MAX_GIFT_PACKS);
		return TK_ELIMIT;
	}
	for (int i = 0; i < p->n_gift_packs; i++) {
		const struct plan_gift_pack *g = &p->gift_packs[i];
		snprintf(field, sizeof(field), "gift_packs[%d].product", i);
		if (!g->product[0])
			return tk_fail_key(err, TK_EINVAL, field, "field.required", "is required");
		for (int j = 0; j < i; j++)
			if (strcmp(p->gift_packs[j].product, g->product) == 0) {
				tk_fail_key(err, TK_EINVAL, field, "plan.duplicate_gift_pack",
					    "duplicate gift pack \"%s\"", g->product);
				tk_error_str(err, "product", g->product);
				return TK_EINVAL;
			}
		snprintf(field, sizeof(field), "gift_packs[%d].price", i);
		if (g->price < 0 || g->price > MONEY_MAX_FEN) {
			tk_fail_key(err, TK_EINVAL, field, "plan.money_range",
				    "must be 0..%lld fen, got %lld", (long long)MONEY_MAX_FEN,
				    (long long)g->price);
			tk_error_int(err, "max_fen", MONEY_MAX_FEN);
			tk_error_int(err, "value_fen", g->price);
			return TK_EINVAL;
		}
		snprintf(field, sizeof(field), "gift_packs[%d].cost", i);
		if (g->cost < 0 || g->cost > g->price) {
			tk_fail_key(err, TK_EINVAL, field, "plan.cost_over_price",
				    "must be 0..price (%lld fen): a pack is never sold below its "
				    "cost, got %lld",
				    (long long)g->price, (long long)g->cost);
			tk_error_int(err, "price_fen", g->price);
			tk_error_int(err, "value_fen", g->cost);
			return TK_EINVAL;
		}
		snprintf(field, sizeof(field), "gift_packs[%d].level", i);
		if (g->level < 0 || g->level >= p->n_levels)
			return tk_fail_key(err, TK_EINVAL, field, "plan.level_ref",
					   "must name one of the levels");
		snprintf(field, sizeof(field), "gift_packs[%d].tiers_bps", i);
		if (g->n_tiers < 0 || g->n_tiers > PLAN_MAX_TIERS) {
			tk_fail_key(err, TK_EINVAL, field, "plan.tiers_beyond_3",
				    "has %d entries; at most 3: nothing is ever paid beyond tier 3",
				    g->n_tiers);
			tk_error_int(err, "count", g->n_tiers);
			return TK_EINVAL;
		}
		if (g->n_tiers > p->max_tiers) {
			tk_fail_key(err, TK_EINVAL, field, "plan.tiers_over_max",
				    "has %d entries but the plan pays at most %d tiers (max_tiers)",
				    g->n_tiers, p->max_tiers);
			tk_error_int(err, "count", g->n_tiers);
			tk_error_int(err, "max_tiers", p->max_tiers);
			return TK_EINVAL;
		}
		int32_t sum = 0;
		for (int t = 0; t < g->n_tiers; t++) {
			snprintf(field, sizeof(field), "gift_packs[%d].tiers_bps[%d]", i, t);
			enum tk_rc rc = check_bps(field, g->tiers_bps[t], err);
			if (rc)
				return rc;
			sum += g->tiers_bps[t];
		}
		if (sum > BPS_ONE) {
			snprintf(field, sizeof(field), "gift_packs[%d].tiers_bps", i);
			tk_fail_key(err, TK_EINVAL, field, "plan.over_margin",
				    "pays %d bps of the margin in total; more than the margin "
				    "(10000) is never paid",
				    sum);
			tk_error_int(err, "sum_bps", sum);
			return TK_EINVAL;
		}
	}
	return TK_OK;
}

enum tk_rc plan_validate(const struct plan *p, struct tk_error *err)
{
	enum tk_rc rc;
	char field[64];

	if (p->max_tiers < 1 || p->max_tiers > PLAN_MAX_TIERS) {
		tk_fail_key(err, TK_EINVAL, "max_tiers", "plan.max_tiers",
			    "must be 1..3 (nothing is ever paid beyond tier 3), got %d", p->max_tiers);
		tk_error_int(err, "value", p->max_tiers);
		return TK_EINVAL;
	}
	if ((rc = check_bps("platform_min_bps", p->platform_min_bps, err)) ||
	    (rc = check_bps("peer_bonus_bps", p->peer_bonus_bps, err)) ||
	    (rc = check_bps("withdraw_fee_bps", p->withdraw_fee_bps, err)))
		return rc;
	if (p->n_tiers_bps < 0 || p->n_tiers_bps > PLAN_MAX_TIERS - 1) {
		tk_fail_key(err, TK_EINVAL, "tiers_bps", "plan.tiers_bps_count",
			    "has %d entries; at most 2 (tiers 2 and 3) are allowed", p->n_tiers_bps);
		tk_error_int(err, "count", p->n_tiers_bps);
		return TK_EINVAL;
	}
	for (int t = 0; t < p->n_tiers_bps; t++) {
		snprintf(field, sizeof(field), "tiers_bps[%d]", t);
		if ((rc = check_bps(field, p->tiers_bps[t], err)))
			return rc;
	}
	if (p->mode == PLAN_FIXED && p->n_tiers_bps < p->max_tiers - 1) {
		tk_fail_key(err, TK_EINVAL, "tiers_bps", "plan.tiers_bps_fixed",
			    "fixed mode with max_tiers %d needs %d entries, got %d", p->max_tiers,
			    p->max_tiers - 1, p->n_tiers_bps);
		tk_error_int(err, "max_tiers", p->max_tiers);
		tk_error_int(err, "need", p->max_tiers - 1);
		tk_error_int(err, "count", p->n_tiers_bps);
		return TK_EINVAL;
	}
	if (p->hold_days < 0 || p->hold_days > 365) {
		tk_fail_key(err, TK_EINVAL, "hold_days", "plan.hold_days",
			    "must be 0..365, got %d", p->hold_days);
		tk_error_int(err, "max", 365);
		tk_error_int(err, "value", p->hold_days);
		return TK_EINVAL;
	}
	if (p->withdraw_min < 0 || p->withdraw_min > MONEY_MAX_FEN) {
		tk_fail_key(err, TK_EINVAL, "withdraw_min", "plan.money_range",
			    "must be 0..%lld fen, got %lld", (long long)MONEY_MAX_FEN,
			    (long long)p->withdraw_min);
		tk_error_int(err, "max_fen", MONEY_MAX_FEN);
		tk_error_int(err, "value_fen", p->withdraw_min);
		return TK_EINVAL;
	}
	if (p->n_levels < 1 || p->n_levels > PLAN_MAX_LEVELS) {
		tk_fail_key(err, TK_EINVAL, "levels", "plan.levels_count",
			    "must have 1..%d levels, got %d", PLAN_MAX_LEVELS, p->n_levels);
		tk_error_int(err, "max", PLAN_MAX_LEVELS);
		tk_error_int(err, "count", p->n_levels);
		return TK_EINVAL;
	}
	for (int i = 0; i < p->n_levels; i++) {
		const struct plan_level *l = &p->levels[i];
		snprintf(field, sizeof(field), "levels[%d].key", i);
		if (!valid_key(l->key)) {
			tk_fail_key(err, TK_EINVAL, field, "plan.level_key",
				    "must be 1..31 characters of a-z 0-9 _ -, got \"%s\"", l->key);
			tk_error_str(err, "value", l->key);
			return TK_EINVAL;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(p->levels[j].key, l->key) == 0) {
				tk_fail_key(err, TK_EINVAL, field, "plan.duplicate_level",
					    "duplicate level key \"%s\"", l->key);
				tk_error_str(err, "level", l->key);
				return TK_EINVAL;
			}
		snprintf(field, sizeof(field), "levels[%d].rate_bps", i);
		if ((rc = check_bps(field, l->rate_bps, err)))
			return rc;
	}
	if (p->default_level < 0 || p->default_level >= p->n_levels)
		return tk_fail_key(err, TK_EINVAL, "default_level", "plan.default_level",
				   "must name one of the levels");
	if ((rc = validate_upgrades(p, err)) || (rc = validate_gift_packs(p, err)))
		return rc;
	int32_t max_pay = plan_max_payout_bps(p);
	if (max_pay > BPS_ONE - p->platform_min_bps) {
		tk_fail_key(err, TK_EINVAL, "platform_min_bps", "plan.over_budget",
			    "the plan could pay %d bps of a commission (%s), more than "
			    "10000 - platform_min_bps = %d",
			    max_pay,
			    p->mode == PLAN_FIXED ? "highest level rate + sum of tiers_bps"
						  : "highest level rate + peer_bonus_bps",
			    BPS_ONE - p->platform_min_bps);
		tk_error_int(err, "pay_bps", max_pay);
		tk_error_int(err, "max_bps", BPS_ONE - p->platform_min_bps);
		return TK_EINVAL;
	}
	return TK_OK;
}

/* ---- the split ---- */

/* What a chain member's level pays at a tier: a level that cannot share
 * earns only on its own purchase (tier 1 of a self-purchase). */
static int32_t effective_rate(const struct plan *p, const struct plan_chain *c, int t)
{
	const struct plan_level *l = &p->levels[c->level[t]];
	if (t == 0 && c->self_purchase)
		return l->rate_bps;
	return l->can_share ? l->rate_bps : 0;
}

static bool can_earn(const struct plan *p, const struct plan_chain *c, int t)
{
	return (t == 0 && c->self_purchase) || p->levels[c->level[t]].can_share;
}

/* A gift pack's margin: tier k earns the pack's tiers_bps[k-1], whatever
 * its level; tiers beyond the pack's own are cut. */
static void split_gift_pack(const struct plan *p, const struct plan_chain *chain, int pack,
			    int64_t commission, struct plan_split *out)
{
	assert(pack < p->n_gift_packs);
	const struct plan_gift_pack *g = &p->gift_packs[pack];
	int n = chain->n < g->n_tiers ? chain->n : g->n_tiers;
	int64_t paid = 0;
	out->n = n;
	for (int t = 0; t < n; t++) {
		struct plan_split_line *ln = &out->line[t];
		ln->tier = t + 1;
		ln->member = chain->member[t];
		ln->role = g->tiers_bps[t] > 0 ? ROLE_GIFT_PACK : ROLE_NONE;
		ln->rate_bps = g->tiers_bps[t];
		ln->amount = money_share(commission, ln->rate_bps);
		paid += ln->amount;
	}
	out->platform = commission - paid;
	assert(out->platform >= 0);
}

void plan_split(const struct plan *p, const struct plan_chain *chain, int64_t commission,
		struct plan_split *out)
{
	assert(commission >= 0 && commission <= MONEY_MAX_FEN);
	memset(out, 0, sizeof(*out));
	int pack = plan_chain_pack(chain);
	if (pack >= 0) {
		split_gift_pack(p, chain, pack, commission, out);
		return;
	}
	int n = chain->n < p->max_tiers ? chain->n : p->max_tiers;
	assert(n >= 0 && n <= PLAN_MAX_TIERS);
	out->n = n;

	int32_t highest = 0;
	bool peer_paid = false;
	int64_t paid = 0;
	for (int t = 0; t < n; t++) {
		struct plan_split_line *ln = &out->line[t];
		assert(chain->level[t] >= 0 && chain->level[t] < p->n_levels);
		ln->tier = t + 1;
		ln->member = chain->member[t];
		ln->role = ROLE_NONE;
		int32_t r = effective_rate(p, chain, t);
		if (p->mode == PLAN_FIXED) {
			int32_t rate = t == 0 ? r : (can_earn(p, chain, t) ? p->tiers_bps[t - 1] : 0);
			if (rate > 0) {
				ln->role = t == 0 ? (chain->self_purchase ? ROLE_SELF : ROLE_SHARER)
						  : ROLE_TIER;
				ln->rate_bps = rate;
			}
		} else if (r > highest) {
			ln->role = t == 0 ? (chain->self_purchase ? ROLE_SELF : ROLE_SHARER)
					  : ROLE_DIFFERENTIAL;
			ln->rate_bps = r - highest;
			highest = r;
		} else if (t > 0 && r == highest && r > 0 && !peer_paid && p->peer_bonus_bps > 0) {
			ln->role = ROLE_PEER_BONUS;
			ln->rate_bps = p->peer_bonus_bps;
			peer_paid = true;
		}
		ln->amount = money_share(commission, ln->rate_bps);
		paid += ln->amount;
	}
	out->platform = commission - paid;
	assert(out->platform >= 0);
}

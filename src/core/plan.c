/* plan.c — the commission plan: JSON in and out, validation, and the split.
 *
 * Two modes are supported (see docs/plans.md):
 *   differential (级差): walking up the chain, each member earns the part of
 *     its rate above the highest rate already paid; the first upline at the
 *     same (non-zero) rate earns peer_bonus_bps once (平级奖).
 *   fixed: tier 1 earns its level rate, tiers 2 and 3 earn tiers_bps.
 * A level that cannot share earns only on its own purchases. */
#include "core/plan.h"

#include <assert.h>
#include <jansson.h>
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
	if (v < 0 || v > BPS_ONE)
		return tk_fail(err, TK_EINVAL, field,
			       "must be a rate in basis points 0..10000, got %d", v);
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
		return tk_fail(err, TK_EINVAL, "downgrade", "must be \"never\" or \"monthly\"");
	/* without a review there is nothing for it to change: a plan saying
	 * so is a plan that was meant differently */
	if (p->review_granted && p->downgrade != PLAN_DOWNGRADE_MONTHLY)
		return tk_fail(err, TK_EINVAL, "review_granted",
			       "applies only to the monthly review: set \"downgrade\": \"monthly\" "
			       "or leave review_granted out");
	for (int i = 0; i < p->n_levels; i++) {
		const struct plan_upgrade *u = &p->levels[i].upgrade;
		if (u->n < 0 || u->n > PLAN_MAX_CONDITIONS)
			return tk_fail(err, TK_ELIMIT, "upgrade",
				       "levels[%d] has %d conditions; at most %d are allowed", i, u->n,
				       PLAN_MAX_CONDITIONS);
		for (int c = 0; c < u->n; c++) {
			const struct plan_condition *k = &u->cond[c];
			snprintf(field, sizeof(field), "levels[%d].upgrade.conditions[%d]", i, c);
			if ((unsigned)k->kind >= COND_KIND_N)
				return tk_fail(err, TK_EINVAL, field, "has an unknown kind");
			bool money = k->kind == COND_OWN_GMV || k->kind == COND_OWN_COMMISSION ||
				     k->kind == COND_TEAM_GMV || k->kind == COND_TEAM_COMMISSION;
			int64_t hi = money ? MONEY_MAX_FEN : PLAN_COUNT_MAX;
			if (k->min < 0 || k->min > hi)
				return tk_fail(err, TK_EINVAL, field, "min must be 0..%lld, got %lld",
					       (long long)hi, (long long)k->min);
			if (plan_cond_windowed(k->kind)) {
				if (k->days < 1 || k->days > PLAN_WINDOW_DAYS_MAX)
					return tk_fail(err, TK_EINVAL, field,
						       "days must be 1..%d, got %d",
						       PLAN_WINDOW_DAYS_MAX, k->days);
				int w = 0;
				while (w < n_windows && windows[w] != k->days)
					w++;
				if (w == n_windows) {
					if (n_windows == PLAN_MAX_WINDOWS)
						return tk_fail(err, TK_ELIMIT, field,
							       "more than %d distinct day windows in "
							       "the upgrade rules",
							       PLAN_MAX_WINDOWS);
					windows[n_windows++] = k->days;
				}
			}
			if (k->kind == COND_DIRECT_AT_LEVEL &&
			    (k->level < 0 || k->level >= p->n_levels))
				return tk_fail(err, TK_EINVAL, field, "level must name one of the levels");
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
	if (p->n_gift_packs < 0 || p->n_gift_packs > PLAN_MAX_GIFT_PACKS)
		return tk_fail(err, TK_ELIMIT, "gift_packs", "has %d packs; at most %d are allowed",
			       p->n_gift_packs, PLAN_MAX_GIFT_PACKS);
	for (int i = 0; i < p->n_gift_packs; i++) {
		const struct plan_gift_pack *g = &p->gift_packs[i];
		snprintf(field, sizeof(field), "gift_packs[%d].product", i);
		if (!g->product[0])
			return tk_fail(err, TK_EINVAL, field, "is required");
		for (int j = 0; j < i; j++)
			if (strcmp(p->gift_packs[j].product, g->product) == 0)
				return tk_fail(err, TK_EINVAL, field, "duplicate gift pack \"%s\"",
					       g->product);
		snprintf(field, sizeof(field), "gift_packs[%d].price", i);
		if (g->price < 0 || g->price > MONEY_MAX_FEN)
			return tk_fail(err, TK_EINVAL, field, "must be 0..%lld fen, got %lld",
				       (long long)MONEY_MAX_FEN, (long long)g->price);
		snprintf(field, sizeof(field), "gift_packs[%d].cost", i);
		if (g->cost < 0 || g->cost > g->price)
			return tk_fail(err, TK_EINVAL, field,
				       "must be 0..price (%lld fen): a pack is never sold below its "
				       "cost, got %lld",
				       (long long)g->price, (long long)g->cost);
		snprintf(field, sizeof(field), "gift_packs[%d].level", i);
		if (g->level < 0 || g->level >= p->n_levels)
			return tk_fail(err, TK_EINVAL, field, "must name one of the levels");
		snprintf(field, sizeof(field), "gift_packs[%d].tiers_bps", i);
		if (g->n_tiers < 0 || g->n_tiers > PLAN_MAX_TIERS)
			return tk_fail(err, TK_EINVAL, field,
				       "has %d entries; at most 3: nothing is ever paid beyond tier 3",
				       g->n_tiers);
		if (g->n_tiers > p->max_tiers)
			return tk_fail(err, TK_EINVAL, field,
				       "has %d entries but the plan pays at most %d tiers (max_tiers)",
				       g->n_tiers, p->max_tiers);
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
			return tk_fail(err, TK_EINVAL, field,
				       "pays %d bps of the margin in total; more than the margin "
				       "(10000) is never paid",
				       sum);
		}
	}
	return TK_OK;
}

enum tk_rc plan_validate(const struct plan *p, struct tk_error *err)
{
	enum tk_rc rc;
	char field[64];

	if (p->max_tiers < 1 || p->max_tiers > PLAN_MAX_TIERS)
		return tk_fail(err, TK_EINVAL, "max_tiers",
			       "must be 1..3 (nothing is ever paid beyond tier 3), got %d",
			       p->max_tiers);
	if ((rc = check_bps("platform_min_bps", p->platform_min_bps, err)) ||
	    (rc = check_bps("peer_bonus_bps", p->peer_bonus_bps, err)) ||
	    (rc = check_bps("withdraw_fee_bps", p->withdraw_fee_bps, err)))
		return rc;
	if (p->n_tiers_bps < 0 || p->n_tiers_bps > PLAN_MAX_TIERS - 1)
		return tk_fail(err, TK_EINVAL, "tiers_bps",
			       "has %d entries; at most 2 (tiers 2 and 3) are allowed",
			       p->n_tiers_bps);
	for (int t = 0; t < p->n_tiers_bps; t++) {
		snprintf(field, sizeof(field), "tiers_bps[%d]", t);
		if ((rc = check_bps(field, p->tiers_bps[t], err)))
			return rc;
	}
	if (p->mode == PLAN_FIXED && p->n_tiers_bps < p->max_tiers - 1)
		return tk_fail(err, TK_EINVAL, "tiers_bps",
			       "fixed mode with max_tiers %d needs %d entries, got %d",
			       p->max_tiers, p->max_tiers - 1, p->n_tiers_bps);
	if (p->hold_days < 0 || p->hold_days > 365)
		return tk_fail(err, TK_EINVAL, "hold_days", "must be 0..365, got %d",
			       p->hold_days);
	if (p->withdraw_min < 0 || p->withdraw_min > MONEY_MAX_FEN)
		return tk_fail(err, TK_EINVAL, "withdraw_min",
			       "must be 0..%lld fen, got %lld", (long long)MONEY_MAX_FEN,
			       (long long)p->withdraw_min);
	if (p->n_levels < 1 || p->n_levels > PLAN_MAX_LEVELS)
		return tk_fail(err, TK_EINVAL, "levels", "must have 1..%d levels, got %d",
			       PLAN_MAX_LEVELS, p->n_levels);
	for (int i = 0; i < p->n_levels; i++) {
		const struct plan_level *l = &p->levels[i];
		snprintf(field, sizeof(field), "levels[%d].key", i);
		if (!valid_key(l->key))
			return tk_fail(err, TK_EINVAL, field,
				       "must be 1..31 characters of a-z 0-9 _ -, got \"%s\"", l->key);
		for (int j = 0; j < i; j++)
			if (strcmp(p->levels[j].key, l->key) == 0)
				return tk_fail(err, TK_EINVAL, field, "duplicate level key \"%s\"",
					       l->key);
		snprintf(field, sizeof(field), "levels[%d].rate_bps", i);
		if ((rc = check_bps(field, l->rate_bps, err)))
			return rc;
	}
	if (p->default_level < 0 || p->default_level >= p->n_levels)
		return tk_fail(err, TK_EINVAL, "default_level", "must name one of the levels");
	if ((rc = validate_upgrades(p, err)) || (rc = validate_gift_packs(p, err)))
		return rc;
	int32_t max_pay = plan_max_payout_bps(p);
	if (max_pay > BPS_ONE - p->platform_min_bps)
		return tk_fail(err, TK_EINVAL, "platform_min_bps",
			       "the plan could pay %d bps of a commission (%s), more than "
			       "10000 - platform_min_bps = %d",
			       max_pay,
			       p->mode == PLAN_FIXED ? "highest level rate + sum of tiers_bps"
						     : "highest level rate + peer_bonus_bps",
			       BPS_ONE - p->platform_min_bps);
	return TK_OK;
}

/* ---- JSON ---- */

static enum tk_rc get_int(json_t *obj, const char *key, bool required, int64_t lo,
			  int64_t hi, int64_t *out, struct tk_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return tk_fail(err, TK_EINVAL, key, "is required");
		return TK_OK;
	}
	if (!json_is_integer(v))
		return tk_fail(err, TK_EINVAL, key, "must be an integer");
	json_int_t n = json_integer_value(v);
	if (n < lo || n > hi)
		return tk_fail(err, TK_EINVAL, key, "must be %lld..%lld, got %lld",
			       (long long)lo, (long long)hi, (long long)n);
	*out = n;
	return TK_OK;
}

static enum tk_rc get_str(json_t *obj, const char *key, const char *field, bool required,
			  char *out, size_t size, struct tk_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return tk_fail(err, TK_EINVAL, field, "is required");
		return TK_OK;
	}
	if (!json_is_string(v))
		return tk_fail(err, TK_EINVAL, field, "must be a string");
	if (json_string_length(v) >= size)
		return tk_fail(err, TK_ELIMIT, field, "is longer than %zu bytes", size - 1);
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return TK_OK;
}

static const char *const top_keys[] = {
	"name", "mode", "max_tiers", "platform_min_bps", "peer_bonus_bps", "tiers_bps",
	"hold_days", "default_level", "levels", "withdraw_min", "withdraw_fee_bps",
	"downgrade", "review_granted", "gift_packs", NULL,
};

/* Refuses a key of obj that is not in `known`, naming it under `where`. */
static enum tk_rc only_keys(json_t *obj, const char *const *known, const char *where,
			    struct tk_error *err)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		bool ok = false;
		for (int i = 0; known[i]; i++)
			ok |= strcmp(known[i], key) == 0;
		if (!ok) {
			char field[128];
			snprintf(field, sizeof(field), "%s.%s", where, key);
			return tk_fail(err, TK_EINVAL, field, "is not a known field");
		}
	}
	return TK_OK;
}

/* An integer member of obj; *out untouched when absent and not required. */
static enum tk_rc get_field_int(json_t *obj, const char *key, const char *where, bool required,
				int64_t *out, struct tk_error *err)
{
	char field[128];
	json_t *v = json_object_get(obj, key);
	snprintf(field, sizeof(field), "%s.%s", where, key);
	if (!v)
		return required ? tk_fail(err, TK_EINVAL, field, "is required") : TK_OK;
	if (!json_is_integer(v))
		return tk_fail(err, TK_EINVAL, field, "must be an integer");
	*out = json_integer_value(v);
	return TK_OK;
}

static enum tk_rc parse_condition(json_t *c, const struct plan *p, const char *where,
				  struct plan_condition *out, struct tk_error *err)
{
	static const char *const keys[] = {"kind", "min", "days", "level", NULL};
	char field[128];
	enum tk_rc rc;
	if (!json_is_object(c))
		return tk_fail(err, TK_EINVAL, where, "must be an object");
	if ((rc = only_keys(c, keys, where, err)))
		return rc;
	snprintf(field, sizeof(field), "%s.kind", where);
	json_t *k = json_object_get(c, "kind");
	if (!json_is_string(k))
		return tk_fail(err, TK_EINVAL, field, "is required and must be a string");
	int kind = 0;
	while (kind < COND_KIND_N && strcmp(cond_names[kind], json_string_value(k)) != 0)
		kind++;
	if (kind == COND_KIND_N)
		return tk_fail(err, TK_EINVAL, field,
			       "must be direct_invites, team_size, own_gmv, own_commission, "
			       "team_gmv, team_commission, direct_at_level or gift_pack, got \"%.40s\"",
			       json_string_value(k));
	out->kind = (enum plan_cond_kind)kind;
	out->level = -1;
	out->days = 0;
	out->min = 0;
	bool windowed = plan_cond_windowed(out->kind);
	int64_t v = 0;
	if ((rc = get_field_int(c, "min", where, out->kind != COND_GIFT_PACK, &out->min, err)))
		return rc;
	if (out->kind == COND_GIFT_PACK && json_object_get(c, "min"))
		return tk_fail(err, TK_EINVAL, where, "a gift_pack condition takes no min");
	if ((rc = get_field_int(c, "days", where, windowed, &v, err)))
		return rc;
	snprintf(field, sizeof(field), "%s.days", where);
	if (!windowed && json_object_get(c, "days"))
		return tk_fail(err, TK_EINVAL, field, "only own_gmv, own_commission, team_gmv and "
						      "team_commission look at days");
	if (v < INT32_MIN || v > INT32_MAX)
		return tk_fail(err, TK_EINVAL, field, "must be 1..%d, got %lld",
			       PLAN_WINDOW_DAYS_MAX, (long long)v);
	out->days = (int32_t)v;
	snprintf(field, sizeof(field), "%s.level", where);
	json_t *l = json_object_get(c, "level");
	if (out->kind == COND_DIRECT_AT_LEVEL) {
		if (!json_is_string(l))
			return tk_fail(err, TK_EINVAL, field, "is required and must be a level key");
		out->level = plan_level_index(p, json_string_value(l));
		if (out->level < 0)
			return tk_fail(err, TK_EINVAL, field, "\"%.40s\" is not one of the levels",
				       json_string_value(l));
	} else if (l) {
		return tk_fail(err, TK_EINVAL, field, "only direct_at_level names a level");
	}
	return TK_OK;
}

/* The optional "upgrade" of each level; run after every level key is known,
 * since a condition may name a later level. */
static enum tk_rc parse_upgrades(json_t *arr, struct plan *p, struct tk_error *err)
{
	static const char *const keys[] = {"match", "conditions", NULL};
	char where[64], field[96];
	enum tk_rc rc;
	for (int i = 0; i < p->n_levels; i++) {
		json_t *u = json_object_get(json_array_get(arr, (size_t)i), "upgrade");
		struct plan_upgrade *pu = &p->levels[i].upgrade;
		if (!u)
			continue;
		snprintf(where, sizeof(where), "levels[%d].upgrade", i);
		if (!json_is_object(u))
			return tk_fail(err, TK_EINVAL, where, "must be an object");
		if ((rc = only_keys(u, keys, where, err)))
			return rc;
		json_t *m = json_object_get(u, "match");
		snprintf(field, sizeof(field), "%s.match", where);
		if (m && !(json_is_string(m) && (strcmp(json_string_value(m), "all") == 0 ||
						 strcmp(json_string_value(m), "any") == 0)))
			return tk_fail(err, TK_EINVAL, field, "must be \"all\" or \"any\"");
		pu->match_any = m && strcmp(json_string_value(m), "any") == 0;
		json_t *cs = json_object_get(u, "conditions");
		snprintf(field, sizeof(field), "%s.conditions", where);
		if (!json_is_array(cs) || json_array_size(cs) == 0)
			return tk_fail(err, TK_EINVAL, field, "must be an array of 1..%d conditions",
				       PLAN_MAX_CONDITIONS);
		if (json_array_size(cs) > PLAN_MAX_CONDITIONS)
			return tk_fail(err, TK_ELIMIT, field,
				       "has %zu conditions; at most %d are allowed",
				       json_array_size(cs), PLAN_MAX_CONDITIONS);
		pu->n = (int)json_array_size(cs);
		for (int c = 0; c < pu->n; c++) {
			snprintf(field, sizeof(field), "%s.conditions[%d]", where, c);
			if ((rc = parse_condition(json_array_get(cs, (size_t)c), p, field,
						  &pu->cond[c], err)))
				return rc;
		}
	}
	return TK_OK;
}

static enum tk_rc parse_gift_packs(json_t *arr, struct plan *p, struct tk_error *err)
{
	static const char *const keys[] = {"product", "price", "cost", "level", "tiers_bps",
					   NULL};
	char where[48], field[96];
	enum tk_rc rc;
	if (!arr)
		return TK_OK;
	if (!json_is_array(arr))
		return tk_fail(err, TK_EINVAL, "gift_packs", "must be an array");
	if (json_array_size(arr) > PLAN_MAX_GIFT_PACKS)
		return tk_fail(err, TK_ELIMIT, "gift_packs", "has %zu packs; at most %d are allowed",
			       json_array_size(arr), PLAN_MAX_GIFT_PACKS);
	p->n_gift_packs = (int)json_array_size(arr);
	for (int i = 0; i < p->n_gift_packs; i++) {
		json_t *g = json_array_get(arr, (size_t)i);
		struct plan_gift_pack *pg = &p->gift_packs[i];
		snprintf(where, sizeof(where), "gift_packs[%d]", i);
		if (!json_is_object(g))
			return tk_fail(err, TK_EINVAL, where, "must be an object");
		if ((rc = only_keys(g, keys, where, err)))
			return rc;
		snprintf(field, sizeof(field), "%s.product", where);
		if ((rc = get_str(g, "product", field, true, pg->product, sizeof(pg->product), err)))
			return rc;
		pg->price = pg->cost = -1;
		if ((rc = get_field_int(g, "price", where, true, &pg->price, err)) ||
		    (rc = get_field_int(g, "cost", where, true, &pg->cost, err)))
			return rc;
		char level[PLAN_KEY_MAX] = "";
		snprintf(field, sizeof(field), "%s.level", where);
		if ((rc = get_str(g, "level", field, true, level, sizeof(level), err)))
			return rc;
		pg->level = plan_level_index(p, level);
		if (pg->level < 0)
			return tk_fail(err, TK_EINVAL, field, "\"%s\" is not one of the levels", level);
		json_t *t = json_object_get(g, "tiers_bps");
		snprintf(field, sizeof(field), "%s.tiers_bps", where);
		if (!t)
			continue;
		if (!json_is_array(t))
			return tk_fail(err, TK_EINVAL, field, "must be an array of integers");
		if (json_array_size(t) > PLAN_MAX_TIERS)
			return tk_fail(err, TK_EINVAL, field,
				       "has %zu entries; at most 3: nothing is ever paid beyond tier 3",
				       json_array_size(t));
		pg->n_tiers = (int)json_array_size(t);
		for (int k = 0; k < pg->n_tiers; k++) {
			json_t *e = json_array_get(t, (size_t)k);
			snprintf(field, sizeof(field), "%s.tiers_bps[%d]", where, k);
			if (!json_is_integer(e) || json_integer_value(e) < INT32_MIN ||
			    json_integer_value(e) > INT32_MAX)
				return tk_fail(err, TK_EINVAL, field, "must be an integer");
			pg->tiers_bps[k] = (int32_t)json_integer_value(e);
		}
	}
	return TK_OK;
}

static enum tk_rc parse_levels(json_t *arr, struct plan *p, struct tk_error *err)
{
	char field[64];
	enum tk_rc rc;
	if (!json_is_array(arr))
		return tk_fail(err, TK_EINVAL, "levels", "must be an array");
	if (json_array_size(arr) < 1 || json_array_size(arr) > PLAN_MAX_LEVELS)
		return tk_fail(err, TK_ELIMIT, "levels", "must have 1..%d levels, got %zu",
			       PLAN_MAX_LEVELS, json_array_size(arr));
	p->n_levels = (int)json_array_size(arr);
	for (int i = 0; i < p->n_levels; i++) {
		json_t *l = json_array_get(arr, (size_t)i);
		struct plan_level *pl = &p->levels[i];
		int64_t rate = -1;
		snprintf(field, sizeof(field), "levels[%d]", i);
		if (!json_is_object(l))
			return tk_fail(err, TK_EINVAL, field, "must be an object");
		snprintf(field, sizeof(field), "levels[%d].key", i);
		if ((rc = get_str(l, "key", field, true, pl->key, sizeof(pl->key), err)))
			return rc;
		snprintf(field, sizeof(field), "levels[%d].name", i);
		if ((rc = get_str(l, "name", field, false, pl->name, sizeof(pl->name), err)))
			return rc;
		if (!pl->name[0]) /* the key is shorter than the name buffer */
			memcpy(pl->name, pl->key, strlen(pl->key) + 1);
		snprintf(field, sizeof(field), "levels[%d].rate_bps", i);
		json_t *r = json_object_get(l, "rate_bps");
		if (!json_is_integer(r))
			return tk_fail(err, TK_EINVAL, field, "is required and must be an integer");
		rate = json_integer_value(r);
		if (rate < 0 || rate > BPS_ONE)
			return tk_fail(err, TK_EINVAL, field,
				       "must be a rate in basis points 0..10000, got %lld",
				       (long long)rate);
		pl->rate_bps = (int32_t)rate;
		json_t *cs = json_object_get(l, "can_share");
		snprintf(field, sizeof(field), "levels[%d].can_share", i);
		if (cs && !json_is_boolean(cs))
			return tk_fail(err, TK_EINVAL, field, "must be true or false");
		pl->can_share = cs ? json_is_true(cs) : true;
	}
	return TK_OK;
}

enum tk_rc plan_parse(const char *text, size_t len, struct plan *p, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	json_error_t jerr;
	json_t *root = NULL;
	int64_t v;

	memset(p, 0, sizeof(*p));
	if (len > PLAN_JSON_MAX)
		return tk_fail(err, TK_ELIMIT, "plan", "is larger than %d bytes", PLAN_JSON_MAX);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return tk_fail(err, TK_EINVAL, "plan", "is not valid JSON (line %d: %s)",
			       jerr.line, jerr.text);
	if (!json_is_object(root)) {
		rc = tk_fail(err, TK_EINVAL, "plan", "must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		bool known = false;
		for (int i = 0; top_keys[i]; i++)
			known |= strcmp(top_keys[i], key) == 0;
		if (!known) {
			rc = tk_fail(err, TK_EINVAL, key, "is not a plan field");
			goto out;
		}
	}
	if ((rc = get_str(root, "name", "name", true, p->name, sizeof(p->name), err)))
		goto out;
	char mode[32] = "";
	if ((rc = get_str(root, "mode", "mode", true, mode, sizeof(mode), err)))
		goto out;
	if (strcmp(mode, "differential") == 0)
		p->mode = PLAN_DIFFERENTIAL;
	else if (strcmp(mode, "fixed") == 0)
		p->mode = PLAN_FIXED;
	else {
		rc = tk_fail(err, TK_EINVAL, "mode", "must be \"differential\" or \"fixed\", got \"%s\"",
			     mode);
		goto out;
	}
	/* Wide bounds here; plan_validate() gives the precise reasons. */
	if ((rc = get_int(root, "max_tiers", true, INT32_MIN, INT32_MAX, &v, err)))
		goto out;
	p->max_tiers = (int)v;
	if (p->max_tiers < 1 || p->max_tiers > PLAN_MAX_TIERS) {
		rc = plan_validate(p, err);
		goto out;
	}
	v = 0;
	if ((rc = get_int(root, "platform_min_bps", false, INT32_MIN, INT32_MAX, &v, err)))
		goto out;
	p->platform_min_bps = (int32_t)v;
	v = 0;
	if ((rc = get_int(root, "peer_bonus_bps", false, INT32_MIN, INT32_MAX, &v, err)))
		goto out;
	p->peer_bonus_bps = (int32_t)v;
	v = 0;
	if ((rc = get_int(root, "hold_days", false, INT32_MIN, INT32_MAX, &v, err)))
		goto out;
	p->hold_days = (int32_t)v;
	v = 0;
	if ((rc = get_int(root, "withdraw_min", false, INT64_MIN, INT64_MAX, &v, err)))
		goto out;
	p->withdraw_min = v;
	v = 0;
	if ((rc = get_int(root, "withdraw_fee_bps", false, INT32_MIN, INT32_MAX, &v, err)))
		goto out;
	p->withdraw_fee_bps = (int32_t)v;

	json_t *tiers = json_object_get(root, "tiers_bps");
	if (tiers) {
		if (!json_is_array(tiers)) {
			rc = tk_fail(err, TK_EINVAL, "tiers_bps", "must be an array of integers");
			goto out;
		}
		if (json_array_size(tiers) > PLAN_MAX_TIERS - 1) {
			rc = tk_fail(err, TK_EINVAL, "tiers_bps",
				     "has %zu entries; at most 2 (tiers 2 and 3) are allowed, "
				     "nothing is ever paid beyond tier 3",
				     json_array_size(tiers));
			goto out;
		}
		p->n_tiers_bps = (int)json_array_size(tiers);
		for (int t = 0; t < p->n_tiers_bps; t++) {
			json_t *e = json_array_get(tiers, (size_t)t);
			char field[32];
			snprintf(field, sizeof(field), "tiers_bps[%d]", t);
			if (!json_is_integer(e) || json_integer_value(e) < INT32_MIN ||
			    json_integer_value(e) > INT32_MAX) {
				rc = tk_fail(err, TK_EINVAL, field, "must be an integer");
				goto out;
			}
			p->tiers_bps[t] = (int32_t)json_integer_value(e);
		}
	}
	if ((rc = parse_levels(json_object_get(root, "levels"), p, err)))
		goto out;
	char def[PLAN_KEY_MAX] = "";
	if ((rc = get_str(root, "default_level", "default_level", false, def, sizeof(def), err)))
		goto out;
	p->default_level = def[0] ? plan_level_index(p, def) : 0;
	if (p->default_level < 0) {
		rc = tk_fail(err, TK_EINVAL, "default_level", "\"%s\" is not one of the levels", def);
		goto out;
	}
	char down[16] = "";
	if ((rc = get_str(root, "downgrade", "downgrade", false, down, sizeof(down), err)))
		goto out;
	if (down[0] && strcmp(down, "never") != 0 && strcmp(down, "monthly") != 0) {
		rc = tk_fail(err, TK_EINVAL, "downgrade", "must be \"never\" or \"monthly\", got \"%s\"",
			     down);
		goto out;
	}
	p->downgrade = strcmp(down, "monthly") == 0 ? PLAN_DOWNGRADE_MONTHLY : PLAN_DOWNGRADE_NEVER;
	json_t *rg = json_object_get(root, "review_granted");
	if (rg && !json_is_boolean(rg)) {
		rc = tk_fail(err, TK_EINVAL, "review_granted", "must be true or false");
		goto out;
	}
	p->review_granted = rg && json_is_true(rg);
	if ((rc = parse_upgrades(json_object_get(root, "levels"), p, err)) ||
	    (rc = parse_gift_packs(json_object_get(root, "gift_packs"), p, err)))
		goto out;
	rc = plan_validate(p, err);
out:
	json_decref(root);
	return rc;
}

static json_t *upgrade_json(const struct plan *p, const struct plan_upgrade *u)
{
	json_t *conds = json_array();
	for (int c = 0; c < u->n; c++) {
		const struct plan_condition *k = &u->cond[c];
		json_t *o = json_pack("{s:s}", "kind", plan_cond_kind_name(k->kind));
		if (k->kind == COND_DIRECT_AT_LEVEL)
			json_object_set_new(o, "level", json_string(p->levels[k->level].key));
		if (plan_cond_windowed(k->kind))
			json_object_set_new(o, "days", json_integer(k->days));
		if (k->kind != COND_GIFT_PACK)
			json_object_set_new(o, "min", json_integer(k->min));
		json_array_append_new(conds, o);
	}
	return json_pack("{s:s, s:o}", "match", u->match_any ? "any" : "all", "conditions", conds);
}

static json_t *gift_packs_json(const struct plan *p)
{
	json_t *packs = json_array();
	for (int i = 0; i < p->n_gift_packs; i++) {
		const struct plan_gift_pack *g = &p->gift_packs[i];
		json_t *tiers = json_array();
		for (int t = 0; t < g->n_tiers; t++)
			json_array_append_new(tiers, json_integer(g->tiers_bps[t]));
		json_array_append_new(packs, json_pack("{s:s, s:I, s:I, s:s, s:o}", "product",
						       g->product, "price", (json_int_t)g->price,
						       "cost", (json_int_t)g->cost, "level",
						       p->levels[g->level].key, "tiers_bps", tiers));
	}
	return packs;
}

char *plan_to_json(const struct plan *p)
{
	json_t *levels = json_array();
	for (int i = 0; i < p->n_levels; i++) {
		json_t *l = json_pack("{s:s, s:s, s:i, s:b}", "key", p->levels[i].key, "name",
				      p->levels[i].name, "rate_bps", (int)p->levels[i].rate_bps,
				      "can_share", p->levels[i].can_share);
		/* growth fields only when set, so plans without them read as before */
		if (p->levels[i].upgrade.n > 0)
			json_object_set_new(l, "upgrade", upgrade_json(p, &p->levels[i].upgrade));
		json_array_append_new(levels, l);
	}
	json_t *tiers = json_array();
	for (int t = 0; t < p->n_tiers_bps; t++)
		json_array_append_new(tiers, json_integer(p->tiers_bps[t]));
	json_t *root = json_pack(
		"{s:s, s:s, s:i, s:i, s:i, s:o, s:i, s:s, s:o, s:I, s:i}", "name", p->name,
		"mode", plan_mode_name(p->mode), "max_tiers", p->max_tiers, "platform_min_bps",
		(int)p->platform_min_bps, "peer_bonus_bps", (int)p->peer_bonus_bps, "tiers_bps",
		tiers, "hold_days", (int)p->hold_days, "default_level",
		p->levels[p->default_level].key, "levels", levels, "withdraw_min",
		(json_int_t)p->withdraw_min, "withdraw_fee_bps", (int)p->withdraw_fee_bps);
	if (p->downgrade == PLAN_DOWNGRADE_MONTHLY)
		json_object_set_new(root, "downgrade", json_string("monthly"));
	if (p->review_granted)
		json_object_set_new(root, "review_granted", json_true());
	if (p->n_gift_packs > 0)
		json_object_set_new(root, "gift_packs", gift_packs_json(p));
	char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	json_decref(root);
	return s;
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

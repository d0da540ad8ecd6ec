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
	"hold_days", "default_level", "levels", "withdraw_min", "withdraw_fee_bps", NULL,
};

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
	rc = plan_validate(p, err);
out:
	json_decref(root);
	return rc;
}

char *plan_to_json(const struct plan *p)
{
	json_t *levels = json_array();
	for (int i = 0; i < p->n_levels; i++)
		json_array_append_new(levels,
				      json_pack("{s:s, s:s, s:i, s:b}", "key", p->levels[i].key,
						"name", p->levels[i].name, "rate_bps",
						(int)p->levels[i].rate_bps, "can_share",
						p->levels[i].can_share));
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

void plan_split(const struct plan *p, const struct plan_chain *chain, int64_t commission,
		struct plan_split *out)
{
	assert(commission >= 0 && commission <= MONEY_MAX_FEN);
	memset(out, 0, sizeof(*out));
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

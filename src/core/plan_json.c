/* plan_json.c — a commission plan from and to JSON: every field checked
 * and named on error ("levels[2].rate_bps"), then the plan validated
 * (plan.c); the canonical JSON written back is what plan_parse reads. */
#include "core/plan.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"

static enum tk_rc get_int(json_t *obj, const char *key, bool required, int64_t lo,
			  int64_t hi, int64_t *out, struct tk_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return tk_fail_key(err, TK_EINVAL, key, "field.required", "is required");
		return TK_OK;
	}
	if (!json_is_integer(v))
		return tk_fail_key(err, TK_EINVAL, key, "field.not_integer", "must be an integer");
	json_int_t n = json_integer_value(v);
	if (n < lo || n > hi) {
		tk_fail_key(err, TK_EINVAL, key, "field.range", "must be %lld..%lld, got %lld",
			    (long long)lo, (long long)hi, (long long)n);
		tk_error_int(err, "min", lo);
		tk_error_int(err, "max", hi);
		tk_error_int(err, "value", n);
		return TK_EINVAL;
	}
	*out = n;
	return TK_OK;
}

static enum tk_rc get_str(json_t *obj, const char *key, const char *field, bool required,
			  char *out, size_t size, struct tk_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return tk_fail_key(err, TK_EINVAL, field, "field.required", "is required");
		return TK_OK;
	}
	if (!json_is_string(v))
		return tk_fail_key(err, TK_EINVAL, field, "field.not_string", "must be a string");
	if (json_string_length(v) >= size) {
		tk_fail_key(err, TK_ELIMIT, field, "field.too_long", "is longer than %zu bytes",
			    size - 1);
		tk_error_int(err, "max", (long long)size - 1);
		return TK_ELIMIT;
	}
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return TK_OK;
}

/* A level's "names": {"zh-CN": "合伙人", "en": "Partner"}, each optional;
 * only the locales of plan_locales, each 1..PLAN_NAME_MAX-1 bytes of text
 * without control characters (a page shows it as it is). */
static enum tk_rc get_names(json_t *l, int i, struct plan_level *pl, struct tk_error *err)
{
	char field[96];
	const char *loc;
	json_t *v, *names = json_object_get(l, "names");
	snprintf(field, sizeof(field), "levels[%d].names", i);
	if (!names || json_is_null(names))
		return TK_OK;
	if (!json_is_object(names))
		return tk_fail_key(err, TK_EINVAL, field, "field.not_object", "must be an object");
	json_object_foreach(names, loc, v) {
		int k = 0;
		while (k < PLAN_LOCALES && strcmp(plan_locales[k], loc) != 0)
			k++;
		snprintf(field, sizeof(field), "levels[%d].names.%.16s", i, loc);
		if (k == PLAN_LOCALES) {
			tk_fail_key(err, TK_EINVAL, field, "plan.name_locale",
				    "is not a locale a name is given in (zh-CN, en)");
			tk_error_str(err, "locale", loc);
			return TK_EINVAL;
		}
		if (!json_is_string(v))
			return tk_fail_key(err, TK_EINVAL, field, "field.not_string", "must be a string");
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (n == 0 || n >= PLAN_NAME_MAX || strlen(s) != n) {
			tk_fail_key(err, TK_EINVAL, field, "plan.name_length", "must be 1..%d bytes",
				    PLAN_NAME_MAX - 1);
			tk_error_int(err, "max", PLAN_NAME_MAX - 1);
			return TK_EINVAL;
		}
		for (size_t j = 0; j < n; j++)
			if ((unsigned char)s[j] < 0x20 || s[j] == 0x7f)
				return tk_fail_key(err, TK_EINVAL, field, "field.control_chars",
						   "must not contain control characters");
		memcpy(pl->names[k], s, n + 1);
	}
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
			return tk_fail_key(err, TK_EINVAL, field, "field.unknown", "is not a known field");
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
		return required ? tk_fail_key(err, TK_EINVAL, field, "field.required", "is required") : TK_OK;
	if (!json_is_integer(v))
		return tk_fail_key(err, TK_EINVAL, field, "field.not_integer", "must be an integer");
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
		return tk_fail_key(err, TK_EINVAL, where, "field.not_object", "must be an object");
	if ((rc = only_keys(c, keys, where, err)))
		return rc;
	snprintf(field, sizeof(field), "%s.kind", where);
	json_t *k = json_object_get(c, "kind");
	if (!json_is_string(k))
		return tk_fail_key(err, TK_EINVAL, field, "field.not_string", "is required and must be a string");
	int kind = 0;
	while (kind < COND_KIND_N &&
	       strcmp(plan_cond_kind_name((enum plan_cond_kind)kind), json_string_value(k)) != 0)
		kind++;
	if (kind == COND_KIND_N)
		return tk_fail_key(err, TK_EINVAL, field, "plan.condition_kind",
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
		return tk_fail_key(err, TK_EINVAL, where, "plan.condition_no_min",
				   "a gift_pack condition takes no min");
	if ((rc = get_field_int(c, "days", where, windowed, &v, err)))
		return rc;
	snprintf(field, sizeof(field), "%s.days", where);
	if (!windowed && json_object_get(c, "days"))
		return tk_fail_key(err, TK_EINVAL, field, "plan.condition_no_days", "only own_gmv, own_commission, team_gmv and "
				   "team_commission look at days");
	if (v < INT32_MIN || v > INT32_MAX) {
		tk_fail_key(err, TK_EINVAL, field, "plan.condition_days", "must be 1..%d, got %lld",
			    PLAN_WINDOW_DAYS_MAX, (long long)v);
		tk_error_int(err, "max", PLAN_WINDOW_DAYS_MAX);
		tk_error_int(err, "value", v);
		return TK_EINVAL;
	}
	out->days = (int32_t)v;
	snprintf(field, sizeof(field), "%s.level", where);
	json_t *l = json_object_get(c, "level");
	if (out->kind == COND_DIRECT_AT_LEVEL) {
		if (!json_is_string(l))
			return tk_fail_key(err, TK_EINVAL, field, "field.not_string", "is required and must be a level key");
		out->level = plan_level_index(p, json_string_value(l));
		if (out->level < 0) {
			tk_fail_key(err, TK_EINVAL, field, "plan.unknown_level",
				    "\"%.40s\" is not one of the levels", json_string_value(l));
			tk_error_str(err, "level", json_string_value(l));
			return TK_EINVAL;
		}
	} else if (l) {
		return tk_fail_key(err, TK_EINVAL, field, "plan.condition_no_level",
				   "only direct_at_level names a level");
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
			return tk_fail_key(err, TK_EINVAL, where, "field.not_object", "must be an object");
		if ((rc = only_keys(u, keys, where, err)))
			return rc;
		json_t *m = json_object_get(u, "match");
		snprintf(field, sizeof(field), "%s.match", where);
		if (m && !(json_is_string(m) && (strcmp(json_string_value(m), "all") == 0 ||
						 strcmp(json_string_value(m), "any") == 0)))
			return tk_fail_key(err, TK_EINVAL, field, "plan.match",
					   "must be \"all\" or \"any\"");
		pu->match_any = m && strcmp(json_string_value(m), "any") == 0;
		json_t *cs = json_object_get(u, "conditions");
		snprintf(field, sizeof(field), "%s.conditions", where);
		if (!json_is_array(cs) || json_array_size(cs) == 0) {
			tk_fail_key(err, TK_EINVAL, field, "plan.too_many_conditions",
				    "must be an array of 1..%d conditions", PLAN_MAX_CONDITIONS);
			tk_error_int(err, "max", PLAN_MAX_CONDITIONS);
			return TK_EINVAL;
		}
		if (json_array_size(cs) > PLAN_MAX_CONDITIONS) {
			tk_fail_key(err, TK_ELIMIT, field, "plan.too_many_conditions",
				    "has %zu conditions; at most %d are allowed",
				    json_array_size(cs), PLAN_MAX_CONDITIONS);
			tk_error_int(err, "max", PLAN_MAX_CONDITIONS);
			return TK_ELIMIT;
		}
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
		return tk_fail_key(err, TK_EINVAL, "gift_packs", "field.not_array", "must be an array");
	if (json_array_size(arr) > PLAN_MAX_GIFT_PACKS) {
		tk_fail_key(err, TK_ELIMIT, "gift_packs", "plan.too_many_gift_packs",
			    "has %zu packs; at most %d are allowed", json_array_size(arr),
			    PLAN_MAX_GIFT_PACKS);
		tk_error_int(err, "max", PLAN_MAX_GIFT_PACKS);
		return TK_ELIMIT;
	}
	p->n_gift_packs = (int)json_array_size(arr);
	for (int i = 0; i < p->n_gift_packs; i++) {
		json_t *g = json_array_get(arr, (size_t)i);
		struct plan_gift_pack *pg = &p->gift_packs[i];
		snprintf(where, sizeof(where), "gift_packs[%d]", i);
		if (!json_is_object(g))
			return tk_fail_key(err, TK_EINVAL, where, "field.not_object", "must be an object");
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
		if (pg->level < 0) {
			tk_fail_key(err, TK_EINVAL, field, "plan.unknown_level",
				    "\"%s\" is not one of the levels", level);
			tk_error_str(err, "level", level);
			return TK_EINVAL;
		}
		json_t *t = json_object_get(g, "tiers_bps");
		snprintf(field, sizeof(field), "%s.tiers_bps", where);
		if (!t)
			continue;
		if (!json_is_array(t))
			return tk_fail_key(err, TK_EINVAL, field, "field.not_array", "must be an array of integers");
		if (json_array_size(t) > PLAN_MAX_TIERS) {
			tk_fail_key(err, TK_EINVAL, field, "plan.tiers_beyond_3",
				    "has %zu entries; at most 3: nothing is ever paid beyond tier 3",
				    json_array_size(t));
			tk_error_int(err, "count", (long long)json_array_size(t));
			return TK_EINVAL;
		}
		pg->n_tiers = (int)json_array_size(t);
		for (int k = 0; k < pg->n_tiers; k++) {
			json_t *e = json_array_get(t, (size_t)k);
			snprintf(field, sizeof(field), "%s.tiers_bps[%d]", where, k);
			if (!json_is_integer(e) || json_integer_value(e) < INT32_MIN ||
			    json_integer_value(e) > INT32_MAX)
				return tk_fail_key(err, TK_EINVAL, field, "field.not_integer", "must be an integer");
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
		return tk_fail_key(err, TK_EINVAL, "levels", "field.not_array", "must be an array");
	if (json_array_size(arr) < 1 || json_array_size(arr) > PLAN_MAX_LEVELS) {
		tk_fail_key(err, TK_ELIMIT, "levels", "plan.levels_count",
			    "must have 1..%d levels, got %zu", PLAN_MAX_LEVELS, json_array_size(arr));
		tk_error_int(err, "max", PLAN_MAX_LEVELS);
		tk_error_int(err, "count", (long long)json_array_size(arr));
		return TK_ELIMIT;
	}
	p->n_levels = (int)json_array_size(arr);
	for (int i = 0; i < p->n_levels; i++) {
		json_t *l = json_array_get(arr, (size_t)i);
		struct plan_level *pl = &p->levels[i];
		int64_t rate = -1;
		snprintf(field, sizeof(field), "levels[%d]", i);
		if (!json_is_object(l))
			return tk_fail_key(err, TK_EINVAL, field, "field.not_object", "must be an object");
		snprintf(field, sizeof(field), "levels[%d].key", i);
		if ((rc = get_str(l, "key", field, true, pl->key, sizeof(pl->key), err)))
			return rc;
		snprintf(field, sizeof(field), "levels[%d].name", i);
		if ((rc = get_str(l, "name", field, false, pl->name, sizeof(pl->name), err)))
			return rc;
		if (!pl->name[0]) /* the key is shorter than the name buffer */
			memcpy(pl->name, pl->key, strlen(pl->key) + 1);
		if ((rc = get_names(l, i, pl, err)))
			return rc;
		snprintf(field, sizeof(field), "levels[%d].rate_bps", i);
		json_t *r = json_object_get(l, "rate_bps");
		if (!json_is_integer(r))
			return tk_fail_key(err, TK_EINVAL, field, "field.not_integer", "is required and must be an integer");
		rate = json_integer_value(r);
		if (rate < 0 || rate > BPS_ONE) {
			tk_fail_key(err, TK_EINVAL, field, "plan.bps_range",
				    "must be a rate in basis points 0..10000, got %lld", (long long)rate);
			tk_error_int(err, "value_bps", rate);
			return TK_EINVAL;
		}
		pl->rate_bps = (int32_t)rate;
		json_t *cs = json_object_get(l, "can_share");
		snprintf(field, sizeof(field), "levels[%d].can_share", i);
		if (cs && !json_is_boolean(cs))
			return tk_fail_key(err, TK_EINVAL, field, "field.not_boolean", "must be true or false");
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
	if (len > PLAN_JSON_MAX) {
		tk_fail_key(err, TK_ELIMIT, "plan", "field.too_long", "is larger than %d bytes",
			    PLAN_JSON_MAX);
		tk_error_int(err, "max", PLAN_JSON_MAX);
		return TK_ELIMIT;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		tk_fail_key(err, TK_EINVAL, "plan", "plan.bad_json", "is not valid JSON (line %d: %s)",
			    jerr.line, jerr.text);
		tk_error_int(err, "line", jerr.line);
		return TK_EINVAL;
	}
	if (!json_is_object(root)) {
		rc = tk_fail_key(err, TK_EINVAL, "plan", "field.not_object", "must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		bool known = false;
		for (int i = 0; top_keys[i]; i++)
			known |= strcmp(top_keys[i], key) == 0;
		if (!known) {
			rc = tk_fail_key(err, TK_EINVAL, key, "field.unknown", "is not a plan field");
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
		rc = tk_fail_key(err, TK_EINVAL, "mode", "plan.mode",
				 "must be \"differential\" or \"fixed\", got \"%s\"", mode);
		tk_error_str(err, "value", mode);
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
			rc = tk_fail_key(err, TK_EINVAL, "tiers_bps", "field.not_array", "must be an array of integers");
			goto out;
		}
		if (json_array_size(tiers) > PLAN_MAX_TIERS - 1) {
			rc = tk_fail_key(err, TK_EINVAL, "tiers_bps", "plan.tiers_bps_count",
					 "has %zu entries; at most 2 (tiers 2 and 3) are allowed, "
					 "nothing is ever paid beyond tier 3",
					 json_array_size(tiers));
			tk_error_int(err, "count", (long long)json_array_size(tiers));
			goto out;
		}
		p->n_tiers_bps = (int)json_array_size(tiers);
		for (int t = 0; t < p->n_tiers_bps; t++) {
			json_t *e = json_array_get(tiers, (size_t)t);
			char field[32];
			snprintf(field, sizeof(field), "tiers_bps[%d]", t);
			if (!json_is_integer(e) || json_integer_value(e) < INT32_MIN ||
			    json_integer_value(e) > INT32_MAX) {
				rc = tk_fail_key(err, TK_EINVAL, field, "field.not_integer", "must be an integer");
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
		rc = tk_fail_key(err, TK_EINVAL, "default_level", "plan.unknown_level",
				 "\"%s\" is not one of the levels", def);
		tk_error_str(err, "level", def);
		goto out;
	}
	char down[16] = "";
	if ((rc = get_str(root, "downgrade", "downgrade", false, down, sizeof(down), err)))
		goto out;
	if (down[0] && strcmp(down, "never") != 0 && strcmp(down, "monthly") != 0) {
		rc = tk_fail_key(err, TK_EINVAL, "downgrade", "plan.downgrade",
				 "must be \"never\" or \"monthly\", got \"%s\"", down);
		goto out;
	}
	p->downgrade = strcmp(down, "monthly") == 0 ? PLAN_DOWNGRADE_MONTHLY : PLAN_DOWNGRADE_NEVER;
	json_t *rg = json_object_get(root, "review_granted");
	if (rg && !json_is_boolean(rg)) {
		rc = tk_fail_key(err, TK_EINVAL, "review_granted", "field.not_boolean", "must be true or false");
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
		/* names and growth fields only when set, so plans without them
		 * read as before */
		json_t *names = json_object();
		for (int k = 0; k < PLAN_LOCALES; k++)
			if (p->levels[i].names[k][0])
				json_object_set_new(names, plan_locales[k],
						    json_string(p->levels[i].names[k]));
		if (json_object_size(names))
			json_object_set_new(l, "names", names);
		else
			json_decref(names);
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

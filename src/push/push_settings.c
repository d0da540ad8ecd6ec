/* push_settings.c — reading, checking and writing a group's sending
 * settings JSON.  Every error names the field as a path from "settings" so
 * that a member can find it in what they wrote. */
#include "push/push_settings.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "catalog/catalog_text.h"

#define F "settings"

void push_settings_default(struct push_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->every = false;
	s->ntimes = 3;
	s->times[0] = 9 * 60;
	s->times[1] = 12 * 60 + 30;
	s->times[2] = 20 * 60;
	s->every_minutes = 30;
	s->from = 8 * 60;
	s->to = 23 * 60;
	s->jitter_seconds = 120;
	s->quiet_from = 23 * 60;
	s->quiet_to = 7 * 60 + 30;
	s->rule = PUSH_RULE_RANKING;
	s->dedup_days = 7;
	s->shop_cooldown_hours = 6;
	s->category_cooldown_hours = 0;
	s->template_ = PUSH_TEMPLATE_TEXT;
	s->rate_per_minute = 0;
}

char *push_hhmm_format(int minute, char *buf)
{
	if (minute < 0 || minute >= 1440)
		minute = 0;
	snprintf(buf, 6, "%02d:%02d", minute / 60, minute % 60);
	return buf;
}

bool push_hhmm_parse(const char *s, int *minute)
{
	if (strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return false;
	*minute = h * 60 + m;
	return true;
}

static const char *const template_names[] = {"text", "markdown", "news"};

const char *push_template_name(enum push_template t)
{
	return (unsigned)t < 3 ? template_names[t] : "?";
}

bool push_template_parse(const char *s, enum push_template *t)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, template_names[i]) == 0) {
			*t = (enum push_template)i;
			return true;
		}
	return false;
}

/* ---- reading ---- */

/* A short, printable rendering of a JSON value for an error message. */
static void value_text(const json_t *v, char *buf, size_t size)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = strlen(s);
		snprintf(buf, size, "\"%.*s%s\"", n > 40 ? 40 : (int)n, s, n > 40 ? "..." : "");
		return;
	}
	char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!d) {
		snprintf(buf, size, "?");
		return;
	}
	size_t n = strlen(d);
	snprintf(buf, size, "%.*s%s", n > 40 ? 40 : (int)n, d, n > 40 ? "..." : "");
	free(d);
}

static enum tk_rc bad(struct tk_error *err, const char *field, const char *want, const json_t *v)
{
	char got[64];
	value_text(v, got, sizeof(got));
	return tk_fail(err, TK_EINVAL, field, "must be %s, got %s", want, got);
}

/* Refuses any key of obj not in `known` (NULL-terminated). */
static enum tk_rc only_keys(const json_t *obj, const char *path, const char *const *known,
			    struct tk_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(*k, key) == 0;
		if (!ok) {
			char list[256] = "";
			size_t off = 0;
			for (const char *const *k = known; *k; k++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							k == known ? "" : ", ", *k);
			return tk_fail(err, TK_EINVAL, path, "unknown key \"%.40s\"; known: %s", key,
				       list);
		}
	}
	return TK_OK;
}

static enum tk_rc get_int(const json_t *v, const char *field, int64_t lo, int64_t hi, int64_t *out,
			  struct tk_error *err)
{
	char want[64];
	snprintf(want, sizeof(want), "an integer %lld..%lld", (long long)lo, (long long)hi);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return bad(err, field, want, v);
	*out = json_integer_value(v);
	return TK_OK;
}

static enum tk_rc get_small(const json_t *obj, const char *key, int lo, int hi, int *out,
			    struct tk_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return TK_OK;
	char field[64];
	snprintf(field, sizeof(field), F ".%s", key);
	int64_t n;
	enum tk_rc rc = get_int(v, field, lo, hi, &n, err);
	if (!rc)
		*out = (int)n;
	return rc;
}

static enum tk_rc get_hhmm(const json_t *v, const char *field, int *out, struct tk_error *err)
{
	if (!json_is_string(v) || !push_hhmm_parse(json_string_value(v), out))
		return bad(err, field, "HH:MM", v);
	return TK_OK;
}

static enum tk_rc read_schedule(const json_t *v, struct push_settings *s, struct tk_error *err)
{
	static const char *const keys[] = {"times", "every_minutes", "from", "to", NULL};
	enum tk_rc rc;
	if (!json_is_object(v))
		return bad(err, F ".schedule", "an object", v);
	if ((rc = only_keys(v, F ".schedule", keys, err)))
		return rc;
	json_t *times = json_object_get(v, "times"), *every = json_object_get(v, "every_minutes");
	if (times && every)
		return tk_fail(err, TK_EINVAL, F ".schedule",
			       "has both times and every_minutes; give one of them");
	if (times) {
		if (json_object_get(v, "from") || json_object_get(v, "to"))
			return tk_fail(err, TK_EINVAL, F ".schedule",
				       "from and to go with every_minutes, not with times");
		if (!json_is_array(times) || json_array_size(times) < 1)
			return bad(err, F ".schedule.times", "a non-empty array of HH:MM", times);
		if (json_array_size(times) > PUSH_TIMES_MAX)
			return tk_fail(err, TK_ELIMIT, F ".schedule.times",
				       "has %zu times; the limit is %d a day", json_array_size(times),
				       PUSH_TIMES_MAX);
		s->every = false;
		s->ntimes = 0;
		size_t i;
		json_t *t;
		json_array_foreach(times, i, t) {
			char field[64];
			int m;
			snprintf(field, sizeof(field), F ".schedule.times[%zu]", i);
			if ((rc = get_hhmm(t, field, &m, err)))
				return rc;
			/* kept ascending: the canonical form and the schedule want it */
			int j = s->ntimes;
			while (j > 0 && s->times[j - 1] > m)
				j--;
			if (j > 0 && s->times[j - 1] == m)
				return tk_fail(err, TK_EINVAL, field, "\"%s\" is given twice",
					       json_string_value(t));
			memmove(s->times + j + 1, s->times + j, (size_t)(s->ntimes - j) * sizeof(int));
			s->times[j] = m;
			s->ntimes++;
		}
		return TK_OK;
	}
	if (!every)
		return tk_fail(err, TK_EINVAL, F ".schedule", "needs times or every_minutes");
	int64_t n;
	if ((rc = get_int(every, F ".schedule.every_minutes", PUSH_EVERY_MIN, PUSH_EVERY_MAX, &n,
			  err)))
		return rc;
	s->every = true;
	s->every_minutes = (int)n;
	json_t *from = json_object_get(v, "from"), *to = json_object_get(v, "to");
	if (from && (rc = get_hhmm(from, F ".schedule.from", &s->from, err)))
		return rc;
	if (to && (rc = get_hhmm(to, F ".schedule.to", &s->to, err)))
		return rc;
	return TK_OK;
}

static enum tk_rc read_quiet(const json_t *v, struct push_settings *s, struct tk_error *err)
{
	static const char *const keys[] = {"from", "to", NULL};
	enum tk_rc rc;
	if (json_is_null(v)) { /* no quiet hours */
		s->quiet_from = s->quiet_to = 0;
		return TK_OK;
	}
	if (!json_is_object(v))
		return bad(err, F ".quiet", "an object {\"from\", \"to\"} or null", v);
	if ((rc = only_keys(v, F ".quiet", keys, err)))
		return rc;
	json_t *from = json_object_get(v, "from"), *to = json_object_get(v, "to");
	if (!from || !to)
		return tk_fail(err, TK_EINVAL, F ".quiet", "needs both from and to");
	if ((rc = get_hhmm(from, F ".quiet.from", &s->quiet_from, err)) ||
	    (rc = get_hhmm(to, F ".quiet.to", &s->quiet_to, err)))
		return rc;
	return TK_OK;
}

static enum tk_rc read_words(const json_t *v, const char *key, char (*out)[PUSH_FILTER_BYTES + 1],
			     int *n, struct tk_error *err)
{
	char field[64];
	snprintf(field, sizeof(field), F ".%s", key);
	if (!json_is_array(v))
		return bad(err, field, "an array of strings", v);
	if (json_array_size(v) > PUSH_FILTER_MAX)
		return tk_fail(err, TK_ELIMIT, field, "has %zu entries; the limit is %d",
			       json_array_size(v), PUSH_FILTER_MAX);
	size_t i;
	json_t *w;
	*n = 0;
	json_array_foreach(v, i, w) {
		snprintf(field, sizeof(field), F ".%s[%zu]", key, i);
		if (!json_is_string(w))
			return bad(err, field, "a string", w);
		const char *s = json_string_value(w);
		size_t len = json_string_length(w);
		if (len == 0 || len > PUSH_FILTER_BYTES)
			return tk_fail(err, TK_ELIMIT, field, "must be 1..%d bytes, got %zu",
				       PUSH_FILTER_BYTES, len);
		if (!catalog_text_clean(s, len))
			return tk_fail(err, TK_EINVAL, field,
				       "must be UTF-8 text without control characters");
		memcpy(out[*n], s, len + 1);
		(*n)++;
	}
	return TK_OK;
}

static enum tk_rc read_selection(const json_t *v, struct push_settings *s, struct tk_error *err)
{
	static const char *const keys[] = {"rule", "products", NULL};
	static const char *const pkeys[] = {"union", "product", NULL};
	enum tk_rc rc;
	if (!json_is_object(v))
		return bad(err, F ".selection", "an object", v);
	if ((rc = only_keys(v, F ".selection", keys, err)))
		return rc;
	json_t *rule = json_object_get(v, "rule"), *products = json_object_get(v, "products");
	if (!rule)
		return tk_fail(err, TK_EINVAL, F ".selection", "needs rule (ranking or list)");
	const char *r = json_string_value(rule);
	if (r && strcmp(r, "ranking") == 0) {
		if (products)
			return tk_fail(err, TK_EINVAL, F ".selection.products",
				       "goes with rule list, not ranking");
		s->rule = PUSH_RULE_RANKING;
		s->nproducts = 0;
		return TK_OK;
	}
	if (!r || strcmp(r, "list") != 0)
		return bad(err, F ".selection.rule", "ranking or list", rule);
	s->rule = PUSH_RULE_LIST;
	if (!products || !json_is_array(products) || json_array_size(products) == 0)
		return tk_fail(err, TK_EINVAL, F ".selection.products",
			       "rule list needs a non-empty array of {union, product}");
	if (json_array_size(products) > PUSH_PRODUCTS_MAX)
		return tk_fail(err, TK_ELIMIT, F ".selection.products",
			       "has %zu products; the limit is %d", json_array_size(products),
			       PUSH_PRODUCTS_MAX);
	size_t i;
	json_t *p;
	s->nproducts = 0;
	json_array_foreach(products, i, p) {
		char field[64];
		snprintf(field, sizeof(field), F ".selection.products[%zu]", i);
		if (!json_is_object(p))
			return bad(err, field, "an object {union, product}", p);
		if ((rc = only_keys(p, field, pkeys, err)))
			return rc;
		json_t *u = json_object_get(p, "union"), *id = json_object_get(p, "product");
		struct push_product_ref *ref = &s->products[s->nproducts];
		snprintf(field, sizeof(field), F ".selection.products[%zu].union", i);
		if (!json_is_string(u) || !order_union_valid(json_string_value(u)))
			return bad(err, field, "jd, taobao, pdd or own", u ? u : json_null());
		snprintf(ref->union_, sizeof(ref->union_), "%s", json_string_value(u));
		snprintf(field, sizeof(field), F ".selection.products[%zu].product", i);
		if (!json_is_string(id) || json_string_length(id) == 0 ||
		    json_string_length(id) >= CATALOG_PRODUCT_MAX ||
		    !catalog_text_clean(json_string_value(id), json_string_length(id)))
			return bad(err, field, "a product id of 1..95 bytes", id ? id : json_null());
		memcpy(ref->product, json_string_value(id), json_string_length(id) + 1);
		s->nproducts++;
	}
	return TK_OK;
}

static enum tk_rc read_all(const json_t *doc, struct push_settings *s, struct tk_error *err)
{
	static const char *const keys[] = {
		"schedule", "jitter_seconds", "quiet", "categories", "keywords", "price_min",
		"price_max", "selection", "dedup_days", "shop_cooldown_hours",
		"category_cooldown_hours", "template", "rate_per_minute", NULL};
	enum tk_rc rc;
	json_t *v;
	if (!json_is_object(doc))
		return bad(err, F, "a JSON object", doc);
	if ((rc = only_keys(doc, F, keys, err)))
		return rc;
	if ((v = json_object_get(doc, "schedule")) && (rc = read_schedule(v, s, err)))
		return rc;
	if ((rc = get_small(doc, "jitter_seconds", 0, PUSH_JITTER_MAX, &s->jitter_seconds, err)))
		return rc;
	if ((v = json_object_get(doc, "quiet")) && (rc = read_quiet(v, s, err)))
		return rc;
	if ((v = json_object_get(doc, "categories")) &&
	    (rc = read_words(v, "categories", s->categories, &s->ncategories, err)))
		return rc;
	if ((v = json_object_get(doc, "keywords")) &&
	    (rc = read_words(v, "keywords", s->keywords, &s->nkeywords, err)))
		return rc;
	if ((v = json_object_get(doc, "price_min")) &&
	    (rc = get_int(v, F ".price_min", 0, CATALOG_PRICE_MAX, &s->price_min, err)))
		return rc;
	if ((v = json_object_get(doc, "price_max")) &&
	    (rc = get_int(v, F ".price_max", 0, CATALOG_PRICE_MAX, &s->price_max, err)))
		return rc;
	if ((v = json_object_get(doc, "selection")) && (rc = read_selection(v, s, err)))
		return rc;
	if ((rc = get_small(doc, "dedup_days", 0, PUSH_DEDUP_DAYS_MAX, &s->dedup_days, err)) ||
	    (rc = get_small(doc, "shop_cooldown_hours", 0, PUSH_COOLDOWN_HOURS_MAX,
			    &s->shop_cooldown_hours, err)) ||
	    (rc = get_small(doc, "category_cooldown_hours", 0, PUSH_COOLDOWN_HOURS_MAX,
			    &s->category_cooldown_hours, err)) ||
	    (rc = get_small(doc, "rate_per_minute", 0, PUSH_RATE_MAX, &s->rate_per_minute, err)))
		return rc;
	if ((v = json_object_get(doc, "template")) &&
	    (!json_is_string(v) || !push_template_parse(json_string_value(v), &s->template_)))
		return bad(err, F ".template", "text, markdown or news", v);
	return TK_OK;
}

enum tk_rc push_settings_parse(const char *json, size_t len, struct push_settings *s,
			       struct tk_error *err)
{
	push_settings_default(s);
	if (len > PUSH_SETTINGS_JSON_MAX)
		return tk_fail(err, TK_ELIMIT, F, "is %zu bytes; the limit is %d", len,
			       PUSH_SETTINGS_JSON_MAX);
	if (len == 0)
		return TK_OK;
	json_error_t je;
	json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return tk_fail(err, TK_EINVAL, F, "is not valid JSON: %s at column %d", je.text,
			       je.column);
	enum tk_rc rc = read_all(doc, s, err);
	json_decref(doc);
	return rc ? rc : push_settings_validate(s, err);
}

enum tk_rc push_settings_validate(const struct push_settings *s, struct tk_error *err)
{
	char a[6], b[6];
	if (s->every) {
		if (s->every_minutes < PUSH_EVERY_MIN || s->every_minutes > PUSH_EVERY_MAX)
			return tk_fail(err, TK_EINVAL, F ".schedule.every_minutes",
				       "must be an integer %d..%d, got %d", PUSH_EVERY_MIN,
				       PUSH_EVERY_MAX, s->every_minutes);
		if (s->from < 0 || s->to >= 1440 || s->from > s->to)
			return tk_fail(err, TK_EINVAL, F ".schedule.to",
				       "must not be before from (%s), got \"%s\"",
				       push_hhmm_format(s->from, a), push_hhmm_format(s->to, b));
	} else {
		if (s->ntimes < 1 || s->ntimes > PUSH_TIMES_MAX)
			return tk_fail(err, TK_ELIMIT, F ".schedule.times",
				       "must hold 1..%d times, got %d", PUSH_TIMES_MAX, s->ntimes);
		for (int i = 0; i < s->ntimes; i++)
			if (s->times[i] < 0 || s->times[i] >= 1440 ||
			    (i > 0 && s->times[i] <= s->times[i - 1]))
				return tk_fail(err, TK_EINVAL, F ".schedule.times",
					       "must be distinct times of day in ascending order");
	}
	if (s->jitter_seconds < 0 || s->jitter_seconds > PUSH_JITTER_MAX)
		return tk_fail(err, TK_EINVAL, F ".jitter_seconds", "must be 0..%d, got %d",
			       PUSH_JITTER_MAX, s->jitter_seconds);
	if (s->quiet_from < 0 || s->quiet_from >= 1440 || s->quiet_to < 0 || s->quiet_to >= 1440)
		return tk_fail(err, TK_EINVAL, F ".quiet", "must be times of day");
	if (s->price_min < 0 || s->price_max < 0 || s->price_min > CATALOG_PRICE_MAX ||
	    s->price_max > CATALOG_PRICE_MAX)
		return tk_fail(err, TK_EINVAL, F ".price_min", "prices must be 0..%lld fen",
			       (long long)CATALOG_PRICE_MAX);
	if (s->price_max > 0 && s->price_max < s->price_min)
		return tk_fail(err, TK_EINVAL, F ".price_max",
			       "must be 0 (no bound) or at least price_min (%lld), got %lld",
			       (long long)s->price_min, (long long)s->price_max);
	if (s->ncategories < 0 || s->ncategories > PUSH_FILTER_MAX || s->nkeywords < 0 ||
	    s->nkeywords > PUSH_FILTER_MAX)
		return tk_fail(err, TK_ELIMIT, F ".categories", "at most %d categories and keywords",
			       PUSH_FILTER_MAX);
	if (s->rule == PUSH_RULE_LIST ? s->nproducts < 1 || s->nproducts > PUSH_PRODUCTS_MAX
				      : s->nproducts != 0)
		return tk_fail(err, TK_EINVAL, F ".selection.products",
			       "rule list needs 1..%d products, rule ranking none", PUSH_PRODUCTS_MAX);
	if (s->dedup_days < 0 || s->dedup_days > PUSH_DEDUP_DAYS_MAX)
		return tk_fail(err, TK_EINVAL, F ".dedup_days", "must be 0..%d, got %d",
			       PUSH_DEDUP_DAYS_MAX, s->dedup_days);
	if (s->shop_cooldown_hours < 0 || s->shop_cooldown_hours > PUSH_COOLDOWN_HOURS_MAX ||
	    s->category_cooldown_hours < 0 || s->category_cooldown_hours > PUSH_COOLDOWN_HOURS_MAX)
		return tk_fail(err, TK_EINVAL, F ".shop_cooldown_hours",
			       "cooldowns must be 0..%d hours", PUSH_COOLDOWN_HOURS_MAX);
	if ((unsigned)s->template_ > PUSH_TEMPLATE_NEWS)
		return tk_fail(err, TK_EINVAL, F ".template", "must be text, markdown or news");
	if (s->rate_per_minute < 0 || s->rate_per_minute > PUSH_RATE_MAX)
		return tk_fail(err, TK_EINVAL, F ".rate_per_minute", "must be 0..%d, got %d",
			       PUSH_RATE_MAX, s->rate_per_minute);
	return TK_OK;
}

/* ---- writing ---- */

static json_t *hhmm(int minute)
{
	char buf[6];
	return json_string(push_hhmm_format(minute, buf));
}

static json_t *words(const char (*w)[PUSH_FILTER_BYTES + 1], int n)
{
	json_t *a = json_array();
	for (int i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(w[i]));
	return a;
}

char *push_settings_emit(const struct push_settings *s)
{
	json_t *doc = json_object(), *sched, *sel;
	char *out = NULL;
	if (!doc)
		return NULL;
	if (s->every) {
		sched = json_pack("{s:i, s:o, s:o}", "every_minutes", s->every_minutes, "from",
				  hhmm(s->from), "to", hhmm(s->to));
	} else {
		json_t *times = json_array();
		for (int i = 0; times && i < s->ntimes; i++)
			json_array_append_new(times, hhmm(s->times[i]));
		sched = json_pack("{s:o}", "times", times);
	}
	if (s->rule == PUSH_RULE_LIST) {
		json_t *list = json_array();
		for (int i = 0; list && i < s->nproducts; i++)
			json_array_append_new(list, json_pack("{s:s, s:s}", "union",
							      s->products[i].union_, "product",
							      s->products[i].product));
		sel = json_pack("{s:s, s:o}", "rule", "list", "products", list);
	} else {
		sel = json_pack("{s:s}", "rule", "ranking");
	}
	if (json_object_set_new(doc, "schedule", sched) ||
	    json_object_set_new(doc, "jitter_seconds", json_integer(s->jitter_seconds)) ||
	    json_object_set_new(doc, "quiet", json_pack("{s:o, s:o}", "from", hhmm(s->quiet_from),
							 "to", hhmm(s->quiet_to))) ||
	    json_object_set_new(doc, "categories", words(s->categories, s->ncategories)) ||
	    json_object_set_new(doc, "keywords", words(s->keywords, s->nkeywords)) ||
	    json_object_set_new(doc, "price_min", json_integer(s->price_min)) ||
	    json_object_set_new(doc, "price_max", json_integer(s->price_max)) ||
	    json_object_set_new(doc, "selection", sel) ||
	    json_object_set_new(doc, "dedup_days", json_integer(s->dedup_days)) ||
	    json_object_set_new(doc, "shop_cooldown_hours", json_integer(s->shop_cooldown_hours)) ||
	    json_object_set_new(doc, "category_cooldown_hours",
				json_integer(s->category_cooldown_hours)) ||
	    json_object_set_new(doc, "template", json_string(push_template_name(s->template_))) ||
	    json_object_set_new(doc, "rate_per_minute", json_integer(s->rate_per_minute)))
		goto out;
	out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(doc);
	return out;
}

/* api_plans.c — the commission plan: show a version, set a new one, check
 * a draft without saving it, list the versions with who set them, and
 * simulate how a commission would split along a chain under it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "core/money.h"
#include "core/tktime.h"
#include "http/api_handlers.h"
#include "http/api_json.h"

static json_t *plan_doc(const struct plan *p, int64_t version)
{
	char *s = plan_to_json(p);
	json_t *doc = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	if (doc) {
		json_object_set_new(doc, "version", json_integer(version));
		json_object_set_new(doc, "max_payout_bps", json_integer(plan_max_payout_bps(p)));
	}
	return doc;
}

enum tk_rc h_plan_show(struct api_call *c)
{
	int64_t version;
	const struct plan *p;
	enum tk_rc rc;
	if ((rc = api_query_i64(c, "version", 0, 0, INT64_MAX, &version)) ||
	    (rc = engine_plan_get(c->e, version, &p, &version, &c->err)))
		return rc;
	return api_reply(c, 200, plan_doc(p, version));
}

enum tk_rc h_plan_set(struct api_call *c)
{
	int64_t version;
	const struct plan *p;
	enum tk_rc rc;
	if (c->body_len > PLAN_JSON_MAX)
		return tk_fail(&c->err, TK_ELIMIT, "body", "a plan is at most %d bytes",
			       PLAN_JSON_MAX);
	if ((rc = engine_plan_set(c->e, c->body, c->body_len, &version, &c->err)) ||
	    (rc = engine_plan_get(c->e, version, &p, &version, &c->err)))
		return rc;
	return api_reply(c, 200, plan_doc(p, version));
}

/* The checks of PUT /plan without the saving, so that an editor applies
 * the server's rules as the operator types: the canonical document, or the
 * error naming the field (levels[2].rate_bps). */
enum tk_rc h_plan_validate(struct api_call *c)
{
	struct plan p;
	if (c->body_len > PLAN_JSON_MAX)
		return tk_fail(&c->err, TK_ELIMIT, "body", "a plan is at most %d bytes",
			       PLAN_JSON_MAX);
	enum tk_rc rc = plan_parse(c->body, c->body_len, &p, &c->err);
	if (rc)
		return rc;
	char *s = plan_to_json(&p);
	json_t *doc = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	if (!doc)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	json_object_set_new(doc, "max_payout_bps", json_integer(plan_max_payout_bps(&p)));
	return api_reply(c, 200, json_pack("{s:b, s:o}", "ok", 1, "plan", doc));
}

/* ---- versions ---- */

struct version_page {
	json_t *list;
	int64_t last;
	bool oom;
};

static bool version_row(void *ctx, int64_t version, int64_t created_at, const char *json)
{
	struct version_page *v = ctx;
	char at[40];
	tktime_format_iso8601(created_at, TKTIME_BEIJING_OFFSET, at);
	json_t *doc = json_loads(json, 0, NULL);
	json_t *name = json_object_get(doc, "name");
	json_t *row = json_pack("{s:I, s:s?, s:s, s:n}", "version", (json_int_t)version, "name",
				json_string_value(name), "created_at", at, "actor");
	json_decref(doc);
	if (!row || json_array_append_new(v->list, row))
		v->oom = true;
	v->last = version;
	return !v->oom;
}

/* Who set each listed version, from the action log's plan.set entries
 * (their "after" holds the version); versions set before the log have
 * no entry and keep actor null. */
static bool actor_row(void *ctx, const struct action_rec *a)
{
	struct version_page *v = ctx;
	json_t *after = json_loads(a->after, 0, NULL);
	int64_t version = json_integer_value(json_object_get(after, "version"));
	json_decref(after);
	size_t i;
	json_t *row;
	json_array_foreach(v->list, i, row) {
		if (json_integer_value(json_object_get(row, "version")) == version)
			json_object_set_new(row, "actor", json_string(a->actor));
	}
	return version > v->last; /* newest first: past the page, stop */
}

enum tk_rc h_plan_versions(struct api_call *c)
{
	int64_t before;
	int limit;
	enum tk_rc rc;
	struct store *st = api_store(c);
	if ((rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	struct version_page v = {.list = json_array()};
	if (!v.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = st->ops->plan_each(st, before, limit, version_row, &v, &c->err);
	if (!rc && !v.oom && json_array_size(v.list)) {
		struct action_filter f = {.what = "plan.set", .subject = "plan"};
		rc = actions_list(st, &f, 0, actor_row, &v, &c->err);
	}
	if (!rc && v.oom)
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (rc) {
		json_decref(v.list);
		return rc;
	}
	char next[24];
	snprintf(next, sizeof(next), "%lld", (long long)v.last);
	bool more = (int64_t)json_array_size(v.list) == limit && v.last > 1;
	return api_reply(c, 200, json_pack("{s:o, s:s?}", "versions", v.list, "next",
					   more ? next : NULL));
}

/* ---- simulation ---- */

/* The chain from a sharer up, with the members' current levels. */
static enum tk_rc chain_from_sharer(struct api_call *c, const struct plan *p, const char *sharer,
				    struct plan_chain *chain, char ext[][ORDER_KEY_MAX])
{
	struct member_rec m;
	struct store *st = api_store(c);
	enum tk_rc rc = engine_member_get(c->e, sharer, &m, &c->err);
	for (int i = 0; !rc && i < p->max_tiers; i++) {
		int level = plan_level_index(p, m.level);
		if (level < 0)
			return tk_fail(&c->err, TK_EINVAL, "sharer",
				       "member \"%s\" has level \"%s\", which the plan does not know",
				       m.ext, m.level);
		chain->member[i] = m.id;
		chain->level[i] = level;
		snprintf(ext[i], ORDER_KEY_MAX, "%s", m.ext);
		chain->n = i + 1;
		if (!m.parent)
			break;
		rc = st->ops->member_get_id(st, m.parent, &m, &c->err);
	}
	return rc;
}

/* The chain as given: [{"level": KEY} or {"member": ID}, ...]. */
static enum tk_rc chain_from_list(struct api_call *c, const struct plan *p, json_t *list,
				  struct plan_chain *chain, char ext[][ORDER_KEY_MAX])
{
	size_t n = json_array_size(list);
	if (!json_is_array(list) || n == 0 || n > PLAN_MAX_TIERS)
		return tk_fail(&c->err, TK_EINVAL, "chain", "must be an array of 1..%d tiers",
			       PLAN_MAX_TIERS);
	struct member_rec m;
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(list, i);
		const char *level = json_string_value(json_object_get(t, "level"));
		const char *member = json_string_value(json_object_get(t, "member"));
		char field[32];
		snprintf(field, sizeof(field), "chain[%zu]", i);
		if (!json_is_object(t) || !level == !member || json_object_size(t) != 1)
			return tk_fail(&c->err, TK_EINVAL, field,
				       "must be {\"level\": KEY} or {\"member\": ID}");
		if (member) {
			enum tk_rc rc = engine_member_get(c->e, member, &m, &c->err);
			if (rc)
				return rc;
			level = m.level;
			chain->member[i] = m.id;
			snprintf(ext[i], ORDER_KEY_MAX, "%s", m.ext);
		}
		chain->level[i] = plan_level_index(p, level);
		if (chain->level[i] < 0)
			return tk_fail(&c->err, TK_EINVAL, field, "the plan has no level \"%s\"",
				       level);
	}
	chain->n = (int)n;
	return TK_OK;
}

/* A draft plan of the body ("plan"), parsed and validated as `plan set`
 * would, into *out (malloc'd); the error names the field under "plan.". */
static enum tk_rc draft_plan(struct api_call *c, json_t *doc, struct plan **out)
{
	if (!json_is_object(doc))
		return tk_fail(&c->err, TK_EINVAL, "plan", "must be a plan document (an object)");
	char *text = json_dumps(doc, JSON_COMPACT);
	struct plan *p = malloc(sizeof(*p));
	enum tk_rc rc;
	if (!text || !p)
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	else if (strlen(text) > PLAN_JSON_MAX)
		rc = tk_fail(&c->err, TK_ELIMIT, "plan", "a plan is at most %d bytes", PLAN_JSON_MAX);
	else if ((rc = plan_parse(text, strlen(text), p, &c->err)) == TK_OK)
		*out = p;
	if (rc) {
		if (c->err.field[0] && strncmp(c->err.field, "plan", 4) != 0) {
			char field[sizeof(c->err.field)];
			memcpy(field, c->err.field, sizeof(field));
			snprintf(c->err.field, sizeof(c->err.field), "plan.%.*s",
				 (int)sizeof(field) - 6, field);
		}
		free(p);
	}
	free(text);
	return rc;
}

enum tk_rc h_plan_simulate(struct api_call *c)
{
	static const char *const fields[] = {"commission", "version", "plan", "sharer", "chain",
					     "self_purchase", NULL};
	int64_t commission, version;
	const char *sharer;
	bool self;
	const struct plan *p;
	struct plan *draft = NULL;
	json_t *body;
	struct plan_chain chain = {0};
	char ext[PLAN_MAX_TIERS][ORDER_KEY_MAX] = {{0}};
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) || (rc = api_body(c, &body)) ||
	    (rc = api_body_i64(c, "commission", true, 0, 0, MONEY_MAX_FEN, &commission)) ||
	    (rc = api_body_i64(c, "version", false, 0, 0, INT64_MAX, &version)) ||
	    (rc = api_body_str(c, "sharer", false, ORDER_KEY_MAX - 1, &sharer)) ||
	    (rc = api_body_bool(c, "self_purchase", false, &self)))
		return rc;
	json_t *plan_doc_in = json_object_get(body, "plan");
	if (plan_doc_in && version)
		return tk_fail(&c->err, TK_EINVAL, "plan", "give either a plan or a version");
	if (plan_doc_in) {
		if ((rc = draft_plan(c, plan_doc_in, &draft)))
			return rc;
		p = draft;
	} else if ((rc = engine_plan_get(c->e, version, &p, &version, &c->err))) {
		return rc;
	}
	json_t *list = json_object_get(body, "chain");
	if (!sharer == !list)
		rc = tk_fail(&c->err, TK_EINVAL, "sharer", "give either a sharer or a chain");
	else
		rc = sharer ? chain_from_sharer(c, p, sharer, &chain, ext)
			    : chain_from_list(c, p, list, &chain, ext);
	json_t *doc = NULL;
	if (!rc) {
		chain.self_purchase = self;
		struct plan_split split;
		plan_split(p, &chain, commission, &split);
		doc = api_json_split(p, &chain, &split, (const char(*)[ORDER_KEY_MAX])ext);
	}
	if (doc) {
		/* a draft has no version yet */
		json_object_set_new(doc, "plan_version", draft ? json_null() : json_integer(version));
		json_object_set_new(doc, "commission", json_integer(commission));
		json_object_set_new(doc, "self_purchase", json_boolean(self));
	}
	free(draft);
	return rc ? rc : api_reply(c, 200, doc);
}

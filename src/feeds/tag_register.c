/* tag_register.c — a member's union tag registered through the union's
 * API: each union's request, its reply and refusals, and the retried call
 * (tag_register.h says which API takes what). */
#include "feeds/tag_register.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/sync_http.h"
#include "feeds/union_page.h"

#define REG "the registration"

static const struct {
	enum sync_union u;
	const char *kind;
	const char *method;
} kinds[] = {
	{SYNC_JD, "positionId", "jd.union.open.position.create"},
	{SYNC_TAOBAO, "relation_id", "taobao.tbk.sc.publisher.info.save"},
	{SYNC_TAOBAO, "special_id", "taobao.tbk.sc.publisher.info.save"},
	{SYNC_PDD, "p_id", "pdd.ddk.goods.pid.generate"},
};

const char *tag_reg_default_kind(enum sync_union u)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].u == u)
			return kinds[i].kind;
	return NULL;
}

static const char *method_of(const struct tag_reg_req *r)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].u == r->u && strcmp(kinds[i].kind, r->kind) == 0)
			return kinds[i].method;
	return NULL;
}

bool tag_reg_kind_valid(enum sync_union u, const char *kind)
{
	struct tag_reg_req r = {.u = u};
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	return strlen(kind) < sizeof(r.kind) && method_of(&r) != NULL;
}

enum tk_rc tag_reg_check(const struct sync_conf *c, const struct tag_reg_req *r,
			 struct tk_error *err)
{
	if ((unsigned)r->u >= SYNC_UNIONS)
		return tk_fail(err, TK_EINVAL, "union", "must be jd, taobao or pdd");
	const char *name = sync_union_name(r->u);
	const struct sync_union_conf *uc = &c->u[r->u];
	if (!method_of(r))
		return tk_fail(err, TK_EINVAL, "kind",
			       "%s registers %s through its API, not \"%.40s\"", name,
			       r->u == SYNC_JD ? "positionId" : r->u == SYNC_TAOBAO
			       ? "relation_id (channel) or special_id (member)" : "p_id", r->kind);
	if (!sync_conf_has(c, r->u))
		return tk_fail(err, TK_EINVAL, name,
			       "no credentials: set %s.app_key and %s.app_secret in the config file",
			       name, name);
	if (!r->name[0])
		return tk_fail(err, TK_EINVAL, "name", "is required");
	for (const unsigned char *s = (const unsigned char *)r->name; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return tk_fail(err, TK_EINVAL, "name", "must not contain control characters");
	switch (r->u) {
	case SYNC_JD:
		if (!uc->union_id[0] || !uc->position_key[0])
			return tk_fail(err, TK_EINVAL, uc->union_id[0] ? "jd.position_key" : "jd.union_id",
				       "is needed to create positions: JD's unionId and the "
				       "authorization key from union.jd.com (我的工具 - 我的API)");
		break;
	case SYNC_TAOBAO: {
		bool channel = strcmp(r->kind, "relation_id") == 0;
		if (!(channel ? uc->channel_invite : uc->member_invite)[0])
			return tk_fail(err, TK_EINVAL,
				       channel ? "taobao.channel_invite_code" : "taobao.member_invite_code",
				       "is needed to register a %s: the invite code of Taobao's %s",
				       channel ? "channel" : "member",
				       channel ? "渠道管理" : "会员运营");
		if (!r->session[0])
			return tk_fail(err, TK_EINVAL, "session",
				       "Taobao registers a member with the member's own authorization: "
				       "give its session key (from its Taobao login on the promoter page)");
		for (const unsigned char *s = (const unsigned char *)r->session; *s; s++)
			if (*s <= 0x20 || *s >= 0x7f)
				return tk_fail(err, TK_EINVAL, "session",
					       "must be printable ASCII without spaces");
		break;
	}
	default:
		break;
	}
	return TK_OK;
}

/* Sets name to the compact JSON text of doc (consumed). */
static enum tk_rc set_json(struct sync_params *p, const char *name, json_t *doc,
			   struct tk_error *err)
{
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(doc);
	if (!text)
		return tk_fail(err, TK_ENOMEM, "request", "out of memory");
	enum tk_rc rc = sync_params_set(p, name, text, err);
	free(text);
	return rc;
}

enum tk_rc tag_reg_build(const struct sync_conf *c, const struct tag_reg_req *r,
			 struct sync_params *p, struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[r->u];
	const char *method = method_of(r);
	enum tk_rc rc;
	if (!method)
		return tk_fail(err, TK_EINVAL, "kind", "cannot be registered");
	if ((rc = convert_system_params(uc, r->u, method, p, err)))
		return rc;
	switch (r->u) {
	case SYNC_JD: {
		/* unionType 1: a CPS position; type 3: private (no PID, not shown
		 * in the union's console, up to 5000) */
		json_t *req = json_pack("{s:I, s:s, s:i, s:i, s:[s]}", "unionId",
					(json_int_t)strtoll(uc->union_id, NULL, 10), "key",
					uc->position_key, "unionType", 1, "type", 3, "spaceNameList",
					r->name);
		if (req && uc->site_id[0])
			json_object_set_new(req, "siteId",
					    json_integer((json_int_t)strtoll(uc->site_id, NULL, 10)));
		return set_json(p, "360buy_param_json",
				req ? json_pack("{s:o}", "positionReq", req) : NULL, err);
	}
	case SYNC_TAOBAO: {
		bool channel = strcmp(r->kind, "relation_id") == 0;
		if ((rc = sync_params_set(p, "session", r->session, err)) ||
		    (rc = sync_params_set(p, "inviter_code",
					  channel ? uc->channel_invite : uc->member_invite, err)) ||
		    (rc = sync_params_set(p, "info_type", channel ? "1" : "2", err)) ||
		    (rc = sync_params_set(p, "note", r->name, err)))
			return rc;
		if (!channel)
			return TK_OK;
		/* a channel's scene: online, a WeChat group (1); offline: other (4) */
		if ((rc = sync_params_set(p, "relation_from", "1", err)) ||
		    (rc = sync_params_set(p, "online_scene", "1", err)))
			return rc;
		return sync_params_set(p, "offline_scene", "4", err);
	}
	default:
		if ((rc = sync_params_set(p, "number", "1", err)))
			return rc;
		return set_json(p, "p_id_name_list", json_pack("[s]", r->name), err);
	}
}

/* Copies the text (or integer) obj[key] into buf; false when absent or
 * too long. */
static bool take_id(json_t *obj, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);
	buf[0] = '\0';
	if (json_is_integer(v) && json_integer_value(v) > 0)
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v) && !union_copy(buf, size, json_string_value(v)))
		buf[0] = '\0';
	return buf[0] != '\0';
}

static enum tk_rc jd_parse(const struct tag_reg_req *r, json_t *doc, struct tag_reg_result *res,
			   struct tk_error *err)
{
	json_t *env = json_object_get(doc, "jd_union_open_position_create_responce");
	if (!json_is_object(env))
		env = json_object_get(doc, "jd_union_open_position_create_response");
	if (!json_is_object(env))
		return tk_fail(err, TK_EINVAL, "body", "JD's reply has no position envelope");
	json_t *cr = json_object_get(env, "createResult"), *result = NULL;
	json_error_t jerr;
	result = json_is_string(cr) ? json_loads(json_string_value(cr), 0, &jerr)
				    : json_incref(cr);
	if (!json_is_object(result)) {
		json_decref(result);
		return tk_fail(err, TK_EINVAL, "createResult", "must hold a JSON object");
	}
	char code[32] = "", msg[256] = "";
	json_t *v = json_object_get(result, "code");
	if (json_is_integer(v))
		snprintf(code, sizeof(code), "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(code, sizeof(code), "%s", json_string_value(v));
	if (json_is_string(json_object_get(result, "message")))
		snprintf(msg, sizeof(msg), "%s", json_string_value(json_object_get(result, "message")));
	enum tk_rc rc = TK_OK;
	if (strcmp(code, "200") != 0) {
		long n = strtol(code, NULL, 10);
		/* 429: over the call limit; 5xx: JD's own trouble */
		rc = code[0] ? convert_refused(REG, &res->call, SYNC_JD, code, msg,
					       n == 429 || (n >= 500 && n <= 599), err)
			     : tk_fail(err, TK_EINVAL, "createResult.code", "is required");
		goto out;
	}
	json_t *list = json_object_get(json_object_get(result, "data"), "resultList");
	/* {name: positionId}: ours by its name, else the one given */
	if (!take_id(list, r->name, res->value, sizeof(res->value)) && json_object_size(list) == 1) {
		const char *k;
		json_t *id;
		json_object_foreach(list, k, id)
			take_id(list, k, res->value, sizeof(res->value));
	}
	if (!res->value[0])
		rc = tk_fail(err, TK_EINVAL, "createResult.data.resultList",
			     "JD's reply gives no positionId for \"%s\"", r->name);
out:
	json_decref(result);
	return rc;
}

static enum tk_rc taobao_parse(const struct tag_reg_req *r, json_t *doc,
			       struct tag_reg_result *res, struct tk_error *err)
{
	json_t *env = json_object_get(doc, "tbk_sc_publisher_info_save_response");
	json_t *data = json_object_get(env, "data");
	if (!json_is_object(data))
		return tk_fail(err, TK_EINVAL, "body", "Taobao's reply has no data");
	if (!take_id(data, r->kind, res->value, sizeof(res->value)))
		return tk_fail(err, TK_EINVAL, r->kind, "Taobao's reply gives no %s", r->kind);
	json_t *v = json_object_get(data, "account_name");
	if (json_is_string(v))
		snprintf(res->account, sizeof(res->account), "%s", json_string_value(v));
	if (json_is_string(v = json_object_get(data, "desc")))
		snprintf(res->note, sizeof(res->note), "%s", json_string_value(v));
	return TK_OK;
}

static enum tk_rc pdd_parse(json_t *doc, struct tag_reg_result *res, struct tk_error *err)
{
	json_t *env = json_object_get(doc, "p_id_generate_response");
	json_t *first = json_array_get(json_object_get(env, "p_id_list"), 0);
	if (!json_is_object(first) || !take_id(first, "p_id", res->value, sizeof(res->value)))
		return tk_fail(err, TK_EINVAL, "p_id_list", "Pinduoduo's reply gives no p_id");
	return TK_OK;
}

enum tk_rc tag_reg_parse(const struct tag_reg_req *r, const char *body, size_t len,
			 struct tag_reg_result *res, struct tk_error *err)
{
	json_t *doc = NULL;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK) {
		res->call.transient = true; /* a cut-off body may come whole next time */
		return rc;
	}
	if ((rc = convert_union_error(r->u, doc, REG, &res->call, err)) == TK_OK) {
		switch (r->u) {
		case SYNC_JD: rc = jd_parse(r, doc, res, err); break;
		case SYNC_TAOBAO: rc = taobao_parse(r, doc, res, err); break;
		default: rc = pdd_parse(doc, res, err); break;
		}
	}
	json_decref(doc);
	return rc;
}

/* ---- the call ---- */

struct reg_step {
	const struct sync_conf *c;
	const struct tag_reg_req *r;
	struct tag_reg_result *res;
};

static enum tk_rc reg_build(void *ctx, struct sync_params *p, struct tk_error *err)
{
	const struct reg_step *s = ctx;
	return tag_reg_build(s->c, s->r, p, err);
}

static enum tk_rc reg_parse(void *ctx, const char *body, size_t len, struct convert_result *call,
			    struct tk_error *err)
{
	const struct reg_step *s = ctx;
	(void)call; /* the same as s->res->call */
	return tag_reg_parse(s->r, body, len, s->res, err);
}

enum tk_rc tag_register(const struct sync_conf *c, const struct tag_reg_req *r,
			struct tag_reg_result *res, convert_retry_cb on_retry, void *ctx,
			struct tk_error *err)
{
	enum tk_rc rc;
	memset(res, 0, sizeof(*res));
	if ((rc = tag_reg_check(c, r, err)) || (rc = sync_http_global_init(err)))
		return rc;
	struct reg_step s = {.c = c, .r = r, .res = res};
	return convert_call(c, r->u, reg_build, reg_parse, &s, &res->call, on_retry, ctx, err);
}

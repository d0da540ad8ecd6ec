/* convert.c — link conversion against the unions' promotion APIs: the
 * request of each union, its reply and error shapes, and the retried call
 * (convert.h says which API takes what). */
#include "feeds/convert.h"

#include <errno.h>
#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tktime.h"
#include "feeds/sync_http.h"
#include "feeds/union_call.h"
#include "feeds/union_page.h"

#define CONV "the conversion"
/* The text shown in Taobao's 淘口令 pop-up (TOP wants more than 5 characters). */
#define CONVERT_TPWD_TEXT "好物推荐，打开手机淘宝查看"

static const char *const union_titles[SYNC_UNIONS] = {"JD", "Taobao", "Pinduoduo"};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool is_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* The adzone of Taobao's PID mm_<member>_<site>_<adzone> (the config
 * checked its shape), or "". */
static const char *pid_adzone(const char *pid)
{
	const char *last = strrchr(pid, '_');
	return last && strncmp(pid, "mm_", 3) == 0 ? last + 1 : "";
}

enum tk_rc convert_check(const struct sync_conf *c, const struct convert_req *r,
			 struct tk_error *err)
{
	const char *name = sync_union_name(r->u);
	if ((unsigned)r->u >= SYNC_UNIONS)
		return tk_fail(err, TK_EINVAL, "union", "must be jd, taobao or pdd");
	if (!sync_conf_has(c, r->u))
		return tk_fail(err, TK_EINVAL, name,
			       "no credentials: set %s.app_key and %s.app_secret in the config file",
			       name, name);
	if (!r->material[0])
		return tk_fail(err, TK_EINVAL, "material", "is required");
	for (const unsigned char *s = (const unsigned char *)r->material; *s; s++)
		if (*s <= 0x20 || *s == 0x7f)
			return tk_fail(err, TK_EINVAL, "material",
				       "must not contain spaces or control characters");
	if (r->coupon_url[0] && (r->u != SYNC_JD || !is_url(r->coupon_url)))
		return tk_fail(err, TK_EINVAL, "coupon",
			       r->u == SYNC_JD ? "must be an http(s) URL"
					       : "is JD's only: %s picks the coupon itself",
			       union_titles[r->u]);
	if (r->tpwd && r->u != SYNC_TAOBAO)
		return tk_fail(err, TK_EINVAL, "tpwd", "淘口令 are Taobao's only");
	switch (r->u) {
	case SYNC_JD:
		if (!is_url(r->material) && !all_digits(r->material))
			return tk_fail(err, TK_EINVAL, "material",
				       "JD converts a product or activity URL, or a sku (digits)");
		if (!r->sub_union_id[0] && !r->position_id[0])
			return tk_fail(err, TK_EINVAL, "tag",
				       "JD needs the member's subUnionId or positionId");
		break;
	case SYNC_TAOBAO:
		if (!is_url(r->material) && !all_digits(r->material))
			return tk_fail(err, TK_EINVAL, "material",
				       "Taobao converts an item id (digits) or an item URL");
		if (!r->relation_id[0] && !r->special_id[0])
			return tk_fail(err, TK_EINVAL, "tag",
				       "Taobao needs the member's relation_id or special_id");
		if (!r->adzone_id[0] && !pid_adzone(c->u[SYNC_TAOBAO].pid)[0])
			return tk_fail(err, TK_EINVAL, "taobao.pid",
				       "is needed to convert (the PID mm_<member>_<site>_<adzone> "
				       "whose adzone the links use)");
		break;
	default:
		if (is_url(r->material))
			return tk_fail(err, TK_EINVAL, "material",
				       "Pinduoduo converts a goods_sign or a goods id, not a URL");
		if (!r->uid[0])
			return tk_fail(err, TK_EINVAL, "tag",
				       "Pinduoduo needs the member's uid (custom_parameters)");
		if (!r->pid[0] && !c->u[SYNC_PDD].pid[0])
			return tk_fail(err, TK_EINVAL, "pdd.pid",
				       "is needed to convert (the promotion pid filed with "
				       "custom_parameters)");
		break;
	}
	return TK_OK;
}

bool convert_take_tag(void *ctx, const char *union_, const char *kind, const char *value)
{
	struct convert_req *r = ctx;
	static const struct {
		enum sync_union u;
		const char *kind;
		size_t off;
	} map[] = {
		{SYNC_JD, "subUnionId", offsetof(struct convert_req, sub_union_id)},
		{SYNC_JD, "positionId", offsetof(struct convert_req, position_id)},
		{SYNC_TAOBAO, "relation_id", offsetof(struct convert_req, relation_id)},
		{SYNC_TAOBAO, "special_id", offsetof(struct convert_req, special_id)},
		{SYNC_TAOBAO, "adzone_id", offsetof(struct convert_req, adzone_id)},
		{SYNC_PDD, "uid", offsetof(struct convert_req, uid)},
		{SYNC_PDD, "p_id", offsetof(struct convert_req, pid)},
	};
	if ((unsigned)r->u >= SYNC_UNIONS || strcmp(union_, sync_union_name(r->u)) != 0)
		return true;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		char *field = (char *)r + map[i].off;
		if (map[i].u == r->u && strcmp(kind, map[i].kind) == 0 && !field[0])
			snprintf(field, CONVERT_TAG_MAX, "%s", value);
	}
	return true;
}

const char *convert_main_tag(const struct convert_req *r)
{
	switch (r->u) {
	case SYNC_JD: return r->sub_union_id[0] ? r->sub_union_id : r->position_id;
	case SYNC_TAOBAO: return r->relation_id[0] ? r->relation_id : r->special_id;
	case SYNC_PDD: return r->uid;
	default: return "";
	}
}

enum tk_rc convert_system_params(const struct sync_union_conf *uc, enum sync_union u,
				const char *method, struct sync_params *p, struct tk_error *err)
{
	enum tk_rc rc;
	sync_params_init(p);
	if (u == SYNC_PDD) {
		if ((rc = sync_params_set(p, "type", method, err)) ||
		    (rc = sync_params_set(p, "client_id", uc->app_key, err)) ||
		    (rc = sync_params_set(p, "data_type", "JSON", err)))
			return rc;
	} else {
		if ((rc = sync_params_set(p, "method", method, err)) ||
		    (rc = sync_params_set(p, "app_key", uc->app_key, err)) ||
		    (rc = sync_params_set(p, "format", "json", err)) ||
		    (rc = sync_params_set(p, "v", u == SYNC_JD ? "1.0" : "2.0", err)))
			return rc;
	}
	return sync_params_set(p, "sign_method", "md5", err);
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

static enum tk_rc jd_build(const struct sync_conf *c, const struct convert_req *r,
			   struct sync_params *p, struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[SYNC_JD];
	bool by_site = uc->site_id[0] != '\0';
	char material[CONVERT_URL_MAX + 32];
	enum tk_rc rc = convert_system_params(uc, SYNC_JD,
				      by_site ? "jd.union.open.promotion.common.get"
					      : "jd.union.open.promotion.bysubunionid.get",
				      p, err);
	if (rc)
		return rc;
	/* JD takes a URL only: a sku becomes its product page. */
	if (all_digits(r->material))
		snprintf(material, sizeof(material), "https://item.jd.com/%s.html", r->material);
	else
		snprintf(material, sizeof(material), "%s", r->material);
	json_t *req = json_pack("{s:s}", "materialId", material);
	if (!req)
		return tk_fail(err, TK_ENOMEM, "request", "out of memory");
	if (by_site)
		json_object_set_new(req, "siteId", json_string(uc->site_id));
	else
		json_object_set_new(req, "chainType", json_integer(3)); /* long and short */
	if (r->sub_union_id[0])
		json_object_set_new(req, "subUnionId", json_string(r->sub_union_id));
	if (r->position_id[0])
		json_object_set_new(req, "positionId", json_string(r->position_id));
	if (r->coupon_url[0])
		json_object_set_new(req, "couponUrl", json_string(r->coupon_url));
	return set_json(p, "360buy_param_json", json_pack("{s:o}", "promotionCodeReq", req), err);
}

static enum tk_rc taobao_build(const struct sync_conf *c, const struct convert_req *r,
			       enum convert_step step, const char *url, struct sync_params *p,
			       struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[SYNC_TAOBAO];
	enum tk_rc rc;
	if (step == CONVERT_TPWD) {
		if ((rc = convert_system_params(uc, SYNC_TAOBAO, "taobao.tbk.tpwd.create", p, err)) ||
		    (rc = sync_params_set(p, "url", url, err)))
			return rc;
		return sync_params_set(p, "text", CONVERT_TPWD_TEXT, err);
	}
	if ((rc = convert_system_params(uc, SYNC_TAOBAO, "taobao.tbk.dg.general.link.convert", p, err)) ||
	    (rc = sync_params_set(p, "adzone_id",
				  r->adzone_id[0] ? r->adzone_id : pid_adzone(uc->pid), err)) ||
	    (rc = sync_params_set(p, all_digits(r->material) ? "item_id_list" : "material_list",
				  r->material, err)))
		return rc;
	if (r->relation_id[0] && (rc = sync_params_set(p, "relation_id", r->relation_id, err)))
		return rc;
	if (r->special_id[0] && (rc = sync_params_set(p, "special_id", r->special_id, err)))
		return rc;
	return TK_OK;
}

static enum tk_rc pdd_build(const struct sync_conf *c, const struct convert_req *r,
			    struct sync_params *p, struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[SYNC_PDD];
	bool id = all_digits(r->material);
	enum tk_rc rc = convert_system_params(uc, SYNC_PDD, "pdd.ddk.goods.promotion.url.generate", p, err);
	if (rc || (rc = sync_params_set(p, "p_id", r->pid[0] ? r->pid : uc->pid, err)) ||
	    (rc = sync_params_set(p, "generate_short_url", "true", err)))
		return rc;
	/* goods ids are JSON numbers, goods_sign strings */
	json_t *list = id ? json_pack("[I]", (json_int_t)strtoll(r->material, NULL, 10))
			  : json_pack("[s]", r->material);
	if (id && strlen(r->material) > 18) {
		json_decref(list);
		return tk_fail(err, TK_EINVAL, "material", "a goods id is at most 18 digits");
	}
	if ((rc = set_json(p, id ? "goods_id_list" : "goods_sign_list", list, err)))
		return rc;
	json_t *custom = json_pack("{s:s}", "uid", r->uid);
	if (custom && r->sid[0])
		json_object_set_new(custom, "sid", json_string(r->sid));
	return set_json(p, "custom_parameters", custom, err);
}

enum tk_rc convert_build(const struct sync_conf *c, const struct convert_req *r,
			 enum convert_step step, const char *url, struct sync_params *p,
			 struct tk_error *err)
{
	if (step == CONVERT_TPWD && r->u != SYNC_TAOBAO)
		return tk_fail(err, TK_EINVAL, "tpwd", "淘口令 are Taobao's only");
	switch (r->u) {
	case SYNC_JD: return jd_build(c, r, p, err);
	case SYNC_TAOBAO: return taobao_build(c, r, step, url, p, err);
	default: return pdd_build(c, r, p, err);
	}
}

/* ---- replies ---- */

/* Copies a URL field of the reply; TK_EINVAL when it does not fit. */
static enum tk_rc take(json_t *obj, const char *key, char *buf, size_t size,
		       struct tk_error *err)
{
	json_t *v = json_object_get(obj, key);
	buf[0] = '\0';
	if (!json_is_string(v))
		return TK_OK;
	if (!union_copy(buf, size, json_string_value(v)))
		return tk_fail(err, TK_ELIMIT, key, "is longer than %zu bytes", size - 1);
	return TK_OK;
}

/* The refusal's facts into res, as conversion's callers read them. */
static enum tk_rc take_refusal(enum tk_rc rc, const struct union_refusal *r,
			       struct convert_result *res)
{
	if (r->refused) {
		res->refused = true;
		res->transient = r->transient;
		res->rate_limited = r->rate_limited;
		snprintf(res->code, sizeof(res->code), "%s", r->code);
	}
	return rc;
}

/* The union's refusal of `what` ("the conversion", "the registration"). */
static enum tk_rc refused_of(const char *what, struct convert_result *res, enum sync_union u,
			     const char *code, const char *msg, bool transient, bool rate_limited,
			     struct tk_error *err)
{
	struct union_refusal r = {0};
	return take_refusal(union_refuse(u, what, code, msg, transient, rate_limited, &r, err), &r,
			    res);
}

static enum tk_rc jd_parse(json_t *doc, struct convert_result *res, struct tk_error *err)
{
	char code[64], msg[512];
	enum tk_rc rc = convert_union_error(SYNC_JD, doc, CONV, res, err);
	if (rc)
		return rc;
	json_t *env = union_envelope(doc);
	if (!env)
		return tk_fail(err, TK_EINVAL, "body", "JD's reply has no promotion envelope");
	union_text_of(env, "code", code, sizeof(code));
	if (code[0] && strcmp(code, "0") != 0)
		return refused_of(CONV, res, SYNC_JD, code, union_text_of(env, "msg", msg, sizeof(msg)), false,
			       false, err);
	json_t *gr = json_object_get(env, "getResult"), *result = NULL;
	if (json_is_string(gr)) {
		json_error_t jerr;
		result = json_loads(json_string_value(gr), 0, &jerr);
		if (!json_is_object(result)) {
			json_decref(result);
			return tk_fail(err, TK_EINVAL, "getResult", "must hold a JSON object");
		}
	} else if (json_is_object(gr)) {
		result = json_incref(gr);
	} else {
		return tk_fail(err, TK_EINVAL, "getResult", "is required (a JSON string)");
	}
	union_text_of(result, "code", code, sizeof(code));
	if (strcmp(code, "200") != 0) {
		long n = strtol(code, NULL, 10);
		union_text_of(result, "message", msg, sizeof(msg));
		rc = code[0] ? refused_of(CONV, res, SYNC_JD, code, msg, n >= 500 && n <= 599,
				       n == 429 || strstr(msg, "频") != NULL, err)
			     : tk_fail(err, TK_EINVAL, "getResult.code", "is required");
		json_decref(result);
		return rc;
	}
	json_t *data = json_object_get(result, "data");
	if ((rc = take(data, "shortURL", res->short_url, sizeof(res->short_url), err)) == TK_OK &&
	    (rc = take(data, "clickURL", res->long_url, sizeof(res->long_url), err)) == TK_OK &&
	    !res->short_url[0] && !res->long_url[0])
		rc = tk_fail(err, TK_EINVAL, "getResult.data", "gives neither clickURL nor shortURL");
	if (rc == TK_OK && res->short_url[0])
		res->ttl_s = CONVERT_JD_SHORT_TTL_S;
	json_decref(result);
	return rc;
}

enum tk_rc convert_union_error(enum sync_union u, json_t *doc, const char *what,
			       struct convert_result *res, struct tk_error *err)
{
	struct union_refusal r = {0};
	return take_refusal(union_error_reply(u, doc, what, &r, err), &r, res);
}

enum tk_rc convert_refused(const char *what, struct convert_result *res, enum sync_union u,
			   const char *code, const char *msg, bool transient,
			   struct tk_error *err)
{
	return refused_of(what, res, u, code, msg, transient, false, err);
}

/* The list `name` under data: an array when the call asked for simplified
 * JSON, else TOP's default wraps it one level under its element's type name
 * (item_url_list: {item_url_list: [...]}). */
static json_t *top_list(json_t *data, const char *name)
{
	json_t *v = json_object_get(data, name);
	if (json_is_object(v))
		v = json_object_get(v, name);
	return json_is_array(v) ? v : NULL;
}

/* One link of link_info_dto: the coupon link (二合一) when the item has a
 * coupon, else the plain CPS link; with its 淘口令 when the reply has one. */
static enum tk_rc taobao_link(json_t *info, struct convert_result *res, struct tk_error *err)
{
	static const char *const kinds[] = {"coupon", "cps"};
	char name[32];
	enum tk_rc rc = TK_OK;
	for (size_t k = 0; k < 2 && rc == TK_OK && !res->short_url[0] && !res->long_url[0]; k++) {
		snprintf(name, sizeof(name), "%s_short_url", kinds[k]);
		if ((rc = take(info, name, res->short_url, sizeof(res->short_url), err)))
			break;
		snprintf(name, sizeof(name), "%s_long_url", kinds[k]);
		if ((rc = take(info, name, res->long_url, sizeof(res->long_url), err)))
			break;
		if (!res->short_url[0] && !res->long_url[0])
			continue;
		snprintf(name, sizeof(name), "%s_short_tpwd", kinds[k]);
		rc = take(info, name, res->tpwd, sizeof(res->tpwd), err);
		snprintf(name, sizeof(name), "%s_full_tpwd", kinds[k]);
		if (rc == TK_OK && !res->tpwd[0])
			rc = take(info, name, res->tpwd, sizeof(res->tpwd), err);
	}
	if (rc == TK_OK && !res->short_url[0] && !res->long_url[0])
		rc = tk_fail(err, TK_EINVAL, "link_info_dto", "Taobao's reply gives no URL");
	return rc;
}

static enum tk_rc taobao_parse(json_t *doc, enum convert_step step, struct convert_result *res,
			       struct tk_error *err)
{
	enum tk_rc rc = convert_union_error(SYNC_TAOBAO, doc, CONV, res, err);
	if (rc)
		return rc;
	json_t *env = union_envelope(doc), *data = json_object_get(env, "data");
	if (!json_is_object(data))
		return tk_fail(err, TK_EINVAL, "body", "Taobao's reply has no data");
	if (step == CONVERT_TPWD) {
		/* password_simple is the bare ￥...￥; model the full text */
		rc = take(data, "password_simple", res->tpwd, sizeof(res->tpwd), err);
		if (rc == TK_OK && !res->tpwd[0])
			rc = take(data, "model", res->tpwd, sizeof(res->tpwd), err);
		if (rc == TK_OK && !res->tpwd[0])
			rc = tk_fail(err, TK_EINVAL, "data.model", "Taobao made no 淘口令");
		return rc;
	}
	/* An item id comes back in item_url_list, a URL or 淘口令 in
	 * material_url_list; each entry carries its own code and msg when that
	 * material could not be converted, and its links in link_info_dto. */
	json_t *list = top_list(data, "item_url_list");
	if (!json_array_size(list))
		list = top_list(data, "material_url_list");
	json_t *entry = json_array_get(list, 0);
	if (!json_is_object(entry))
		return tk_fail(err, TK_EINVAL, "data.item_url_list",
			       "Taobao's reply holds no converted link");
	json_t *info = json_object_get(entry, "link_info_dto");
	json_t *code = json_object_get(entry, "code");
	if (!json_is_object(info) && json_is_integer(code) && json_integer_value(code) != 0) {
		char num[24], msg[256];
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(code));
		return refused_of(CONV, res, SYNC_TAOBAO, num,
				  union_text_of(entry, "msg", msg, sizeof(msg)), false, false, err);
	}
	if (!json_is_object(info))
		return tk_fail(err, TK_EINVAL, "data.item_url_list[0].link_info_dto",
			       "Taobao's reply holds no converted link");
	return taobao_link(info, res, err);
}

static enum tk_rc pdd_parse(json_t *doc, struct convert_result *res, struct tk_error *err)
{
	enum tk_rc rc = convert_union_error(SYNC_PDD, doc, CONV, res, err);
	if (rc)
		return rc;
	json_t *env = json_object_get(doc, "goods_promotion_url_generate_response");
	json_t *first = json_array_get(json_object_get(env, "goods_promotion_url_list"), 0);
	if (!json_is_object(first))
		return tk_fail(err, TK_EINVAL, "goods_promotion_url_list",
			       "Pinduoduo's reply holds no link");
	if ((rc = take(first, "short_url", res->short_url, sizeof(res->short_url), err)) ||
	    (rc = take(first, "url", res->long_url, sizeof(res->long_url), err)) ||
	    (rc = take(first, "mobile_short_url", res->mobile_short_url,
		       sizeof(res->mobile_short_url), err)))
		return rc;
	if (!res->short_url[0] && !res->long_url[0])
		return tk_fail(err, TK_EINVAL, "goods_promotion_url_list[0]", "gives no URL");
	return TK_OK;
}

enum tk_rc convert_parse(enum sync_union u, enum convert_step step, const char *body,
			 size_t len, struct convert_result *res, struct tk_error *err)
{
	json_t *doc = NULL;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK) {
		res->transient = true; /* a cut-off body may come whole next time */
		return rc;
	}
	switch (u) {
	case SYNC_JD: rc = jd_parse(doc, res, err); break;
	case SYNC_TAOBAO: rc = taobao_parse(doc, step, res, err); break;
	default: rc = pdd_parse(doc, res, err); break;
	}
	json_decref(doc);
	return rc;
}

/* ---- the call ---- */

/* convert_call over union_call: the result's flags are cleared before
 * each attempt and say, after a reply, whether retrying may help. */
struct convert_attempt {
	convert_build_fn build;
	convert_parse_fn parse;
	void *step;
	struct convert_result *res;
};

static enum tk_rc attempt_build(void *x, struct sync_params *p, struct tk_error *err)
{
	struct convert_attempt *a = x;
	a->res->refused = a->res->transient = a->res->rate_limited = false;
	return a->build(a->step, p, err);
}

static enum tk_rc attempt_parse(void *x, const char *body, size_t len, bool *transient,
				struct tk_error *err)
{
	struct convert_attempt *a = x;
	enum tk_rc rc = a->parse(a->step, body, len, a->res, err);
	*transient = a->res->transient;
	return rc;
}

enum tk_rc convert_call(const struct sync_conf *c, enum sync_union u, convert_build_fn build,
			convert_parse_fn parse, void *step, struct convert_result *res,
			convert_retry_cb on_retry, void *ctx, struct tk_error *err)
{
	struct convert_attempt a = {build, parse, step, res};
	return union_call(c, u, CONVERT_BODY_MAX, attempt_build, attempt_parse, &a, &res->requests,
			  on_retry, ctx, err);
}

/* One step of a conversion, for convert_call. */
struct conv_step {
	const struct sync_conf *c;
	const struct convert_req *r;
	enum convert_step step;
	const char *url;
};

static enum tk_rc conv_build(void *ctx, struct sync_params *p, struct tk_error *err)
{
	const struct conv_step *s = ctx;
	return convert_build(s->c, s->r, s->step, s->url, p, err);
}

static enum tk_rc conv_parse(void *ctx, const char *body, size_t len, struct convert_result *res,
			     struct tk_error *err)
{
	const struct conv_step *s = ctx;
	return convert_parse(s->r->u, s->step, body, len, res, err);
}

static enum tk_rc call(const struct sync_conf *c, const struct convert_req *r,
		       enum convert_step step, const char *url, struct convert_result *res,
		       convert_retry_cb on_retry, void *ctx, struct tk_error *err)
{
	struct conv_step s = {.c = c, .r = r, .step = step, .url = url};
	return convert_call(c, r->u, conv_build, conv_parse, &s, res, on_retry, ctx, err);
}

enum tk_rc convert_link(const struct sync_conf *c, const struct convert_req *r,
			struct convert_result *res, convert_retry_cb on_retry, void *ctx,
			struct tk_error *err)
{
	enum tk_rc rc;
	memset(res, 0, sizeof(*res));
	if ((rc = convert_check(c, r, err)) || (rc = sync_http_global_init(err)) ||
	    (rc = call(c, r, CONVERT_LINK, NULL, res, on_retry, ctx, err)))
		return rc;
	if (!r->tpwd || res->tpwd[0]) /* the conversion may have made it already */
		return TK_OK;
	/* The 淘口令 wraps the long link (TOP wants an https target). */
	char target[CONVERT_URL_MAX];
	snprintf(target, sizeof(target), "%s", res->long_url[0] ? res->long_url : res->short_url);
	return call(c, r, CONVERT_TPWD, target, res, on_retry, ctx, err);
}

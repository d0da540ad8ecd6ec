/* api.c — running one API call: route, authentication, rate limit,
 * idempotency, handler, and the error answer; plus the request readers
 * handlers share. */
#include "http/api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "core/tktime.h"
#include "http/idempotency.h"
#include "http/ratelimit.h"
#include "http/api_handlers.h"
#include "http/route_roles.h"
#include "store/server_store.h"

struct store *api_store(struct api_call *c)
{
	return engine_store(c->e);
}

/* ---- errors ---- */

static int rc_status(enum tk_rc rc)
{
	switch (rc) {
	case TK_OK: return 200;
	case TK_EINVAL: return 400;
	case TK_ELIMIT: return 400;
	case TK_ENOTFOUND: return 404;
	case TK_ECONFLICT: return 409;
	case TK_EFUNDS: return 409;
	case TK_EIO: return 500;
	case TK_ENOMEM: return 503;
	case TK_EBUSY: return 503;
	}
	return 500;
}

static const char *rc_code(enum tk_rc rc)
{
	switch (rc) {
	case TK_OK: return "ok";
	case TK_EINVAL: return "invalid";
	case TK_ELIMIT: return "limit_exceeded";
	case TK_ENOTFOUND: return "not_found";
	case TK_ECONFLICT: return "conflict";
	case TK_EFUNDS: return "insufficient_funds";
	case TK_EIO: return "internal";
	case TK_ENOMEM: return "unavailable";
	case TK_EBUSY: return "busy";
	}
	return "internal";
}

/* Fails the call with an explicit status and code. */
static enum tk_rc fail_with(struct api_call *c, int status, const char *code, const char *field,
			    const char *msg)
{
	c->err_status = status;
	c->err_code = code;
	return tk_fail(&c->err, TK_EINVAL, field, "%s", msg);
}

/* The error's params as a JSON object: the field at fault (for the
 * generic keys) and the named values; NULL when out of memory. */
static json_t *error_params(const struct tk_error *err)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	if (err->field[0])
		json_object_set_new(o, "field", json_string(err->field));
	for (int i = 0; i < err->nparams && i < TK_ERROR_PARAMS; i++) {
		const struct tk_error_param *p = &err->params[i];
		json_object_set_new(o, p->name, p->kind == TK_PARAM_INT ? json_integer(p->num)
									: json_string(p->str));
	}
	return o;
}

/* Turns a failed call into its error answer. */
static void answer_error(struct api_call *c, enum tk_rc rc)
{
	int status = c->err_status ? c->err_status : rc_status(rc);
	const char *code = c->err_code ? c->err_code : rc_code(rc);
	const char *msg = c->err.msg;
	if (rc == TK_EBUSY && !c->err_status) {
		/* another process (an import, a sync) kept the write lock past
		 * the wait; nothing was applied, and a batch commits well
		 * within a few seconds */
		c->retry_after = API_BUSY_RETRY_S;
		fprintf(stderr, "tuike serve: %s %s: %s\n", c->method, c->path, c->err.msg);
		msg = "the database is busy with another writer; nothing was applied, retry later";
		c->err.key[0] = '\0';
	} else if (status >= 500 && !c->err_union[0]) {
		/* the detail is for the operator's log, not for the caller */
		char buf[1024];
		tk_error_format(&c->err, buf, sizeof(buf));
		fprintf(stderr, "tuike serve: %s %s: %s\n", c->method, c->path, buf);
		msg = status == 503 ? "the server is short of memory; retry later"
				    : "internal error; the server log has the detail";
		/* nor are its key and params */
		c->err.key[0] = '\0';
		c->err.nparams = 0;
		c->err.field[0] = '\0';
	}
	/* an error with no key of its own is said by its code (the generic
	 * keys of error_keys.c carry the field as a param) */
	const char *key = c->err.key[0] ? c->err.key : code;
	json_decref(c->out);
	c->status = status;
	c->out = json_pack("{s:{s:s, s:s, s:s?, s:s, s:o*}}", "error", "code", code, "message",
			   *msg ? msg : code, "field", c->err.field[0] ? c->err.field : NULL,
			   "key", key, "params", error_params(&c->err));
	if (c->out && c->err_union[0]) { /* a union's failure: which, and its own code */
		json_t *error = json_object_get(c->out, "error");
		json_object_set_new(error, "union", json_string(c->err_union));
		json_object_set_new(error, "union_code", c->err_union_code[0]
							? json_string(c->err_union_code)
							: json_null());
	}
	c->err_code = code;
}

enum tk_rc api_deny(struct api_call *c, const char *fmt, ...)
{
	char msg[sizeof(c->err.msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail_with(c, 403, "forbidden", "", msg);
}

enum tk_rc api_reply(struct api_call *c, int status, json_t *body)
{
	if (!body)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory building the answer");
	json_decref(c->out);
	c->status = status;
	c->out = body;
	return TK_OK;
}

enum tk_rc api_redirect(struct api_call *c, const char *base, const char *rest)
{
	size_t n = strlen(base) + strlen(rest) + 1;
	char *to = malloc(n);
	if (!to)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory building the answer");
	snprintf(to, n, "%s%s", base, rest);
	free(c->location);
	json_decref(c->out);
	c->out = NULL;
	c->location = to;
	c->status = 302;
	return TK_OK;
}

bool api_is_operator(const struct api_call *c)
{
	return c->who.kind == PRINCIPAL_OPERATOR;
}

void api_principal_text(const struct api_call *c, char *buf, size_t size)
{
	switch (c->who.kind) {
	case PRINCIPAL_OPERATOR: snprintf(buf, size, "key:%s", c->who.name); break;
	case PRINCIPAL_MEMBER: snprintf(buf, size, "member:%s", c->who.name); break;
	default: snprintf(buf, size, "%s", ""); break;
	}
}

/* ---- the pipeline ---- */

static enum tk_rc authenticate(struct api_call *c, const struct route *rt, const char **token)
{
	const char *h = c->lookup(c->lookup_ctx, API_HEADER, "Authorization");
	*token = NULL;
	if (rt->auth == AUTH_PUBLIC)
		return TK_OK;
	const char *sig = c->lookup(c->lookup_ctx, API_QUERY, "sig");
	if (!h && sig && (rt->flags & ROUTE_SIGNED)) {
		c->signed_url = true; /* checked by resolve(), with the database */
		h = sig;              /* and throttled per address signed, below */
	} else if (!h)
		return fail_with(c, 401, "unauthorized", "authorization",
				 "this route needs \"Authorization: Bearer KEY_OR_TOKEN\"");
	if (c->signed_url)
		*token = NULL;
	else if (!auth_bearer(h, token))
		return fail_with(c, 401, "unauthorized", "authorization",
				 "malformed Authorization header; expected \"Bearer KEY_OR_TOKEN\"");
	/* throttle per credential before any database work, so that even a
	 * flood with a wrong key costs nothing but a hash */
	uint8_t th[SERVER_HASH_BYTES];
	int64_t retry_ms;
	auth_token_hash(c->signed_url ? h : *token, th);
	if (!ratelimit_take(c->api->key_limits, th, sizeof(th), c->now_ms, &retry_ms)) {
		c->retry_after = (int)((retry_ms + 999) / 1000);
		char msg[128];
		snprintf(msg, sizeof(msg), "more than %u requests a second with this credential; "
			 "retry after %d s", c->api->cfg.key_rate, c->retry_after);
		fail_with(c, 429, "rate_limited", "", msg);
		tk_error_int(&c->err, "retry_s", c->retry_after);
		return TK_EINVAL;
	}
	return TK_OK;
}

static enum tk_rc resolve(struct api_call *c, const struct route *rt, const char *token)
{
	if (!token)
		return c->signed_url ? api_image_signed(c) : TK_OK;
	struct tk_error err = {0};
	enum tk_rc rc = auth_resolve(api_store(c), token, c->now, &c->who, &err);
	if (rc == TK_ENOTFOUND)
		return fail_with(c, 401, "unauthorized", "authorization", err.msg);
	if (rc) {
		c->err = err;
		return rc;
	}
	if (rt->auth == AUTH_OPERATOR && c->who.kind != PRINCIPAL_OPERATOR)
		return fail_with(c, 403, "forbidden", "",
				 "this route is for operators (an API key), not member sessions");
	unsigned roles = route_roles(rt);
	if (c->who.kind == PRINCIPAL_OPERATOR && !(roles & ROLE_BIT(c->who.role))) {
		char need[64], msg[256];
		roles_text(roles, need, sizeof(need));
		snprintf(msg, sizeof(msg), "%s %s needs the role %s; this key's role is %s",
			 rt->method, rt->pattern, need, role_name(c->who.role));
		return fail_with(c, 403, "forbidden_role", "role", msg);
	}
	return TK_OK;
}

/* The Idempotency-Key of a POST, checked; NULL when there is none. */
static enum tk_rc idem_key(struct api_call *c, const struct route *rt, const char **key)
{
	*key = c->lookup(c->lookup_ctx, API_HEADER, "Idempotency-Key");
	if (!*key)
		return TK_OK;
	if (!idem_key_valid(*key))
		return fail_with(c, 400, "invalid", "Idempotency-Key",
				 "must be 1..127 printable ASCII characters");
	if (strcmp(c->method, "POST") != 0 || (rt->flags & ROUTE_UNLOCKED) || !c->who.kind)
		*key = NULL; /* other methods are idempotent by nature; login is not replayed */
	return TK_OK;
}

static void idem_principal(const struct api_call *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%lld", c->who.kind == PRINCIPAL_OPERATOR ? "key" : "member",
		 (long long)c->who.id);
}

/* Writes an idempotency record (in its own transaction). */
static enum tk_rc idem_save(struct api_call *c, const char *principal, const char *key,
			    const struct idem_rec *r)
{
	return auth_request_save(api_store(c), principal, key, r, &c->err);
}

/* Looks the key up: replays a finished first request, refuses a different
 * one, and otherwise records the request as begun (status 0) before it
 * runs — so that after a crash in the middle a retry is refused rather
 * than run twice.  *proceed says whether the handler should run. */
static enum tk_rc idem_begin(struct api_call *c, const char *principal, const char *key,
			     struct idem_rec *rec, bool *proceed)
{
	struct idem_rec old = {0};
	*proceed = false;
	idem_request_hash(c->method, c->path, c->query, c->body, c->body_len, rec->request_hash);
	enum tk_rc rc = api_store(c)->server->idem_get(api_store(c), principal, key, &old,
							&c->err);
	if (rc == TK_OK) {
		bool same = memcmp(old.request_hash, rec->request_hash, SERVER_HASH_BYTES) == 0;
		if (same && old.status > 0) {
			c->status = old.status;
			c->raw_out = old.body;
			c->replayed = true;
			return TK_OK;
		}
		free(old.body);
		if (!same)
			return fail_with(c, 422, "idempotency_key_reused", "Idempotency-Key",
					 "this key was used with a different request; use a new key");
		return fail_with(c, 409, "idempotency_key_in_doubt", "Idempotency-Key",
				 "the first request with this key did not finish; check the state "
				 "before retrying with a new key");
	}
	if (rc != TK_ENOTFOUND)
		return rc;
	rec->status = 0;
	rec->body = "";
	rec->created_at = c->now;
	if ((rc = idem_save(c, principal, key, rec)))
		return rc;
	*proceed = true;
	return TK_OK;
}

void api_handle(struct api *api, struct api_call *c)
{
	enum tk_rc rc;
	const char *token = NULL, *key = NULL;
	char principal[IDEM_PRINCIPAL_MAX];
	struct idem_rec rec = {0};
	bool locked = false, proceed = true;
	c->api = api;
	bool read = strcmp(c->method, "GET") == 0 || strcmp(c->method, "HEAD") == 0;
	c->e = read ? api->re : api->e;
	c->lock = read ? &api->rlock : &api->lock;
	c->status = 200;
	switch (router_match(api_routes, api_routes_count, c->method, c->path, &c->match)) {
	case ROUTE_FOUND:
		break;
	case ROUTE_NO_PATH:
		rc = fail_with(c, 404, "not_found", "", "no such route; see /api/v1/openapi.json");
		goto out;
	case ROUTE_NO_METHOD:
		snprintf(c->allow, sizeof(c->allow), "%s", c->match.allow);
		rc = fail_with(c, 405, "method_not_allowed", "", "method not allowed on this route");
		goto out;
	case ROUTE_BAD_PATH:
		rc = fail_with(c, 400, "invalid", "path",
			       "a path segment is badly escaped, not UTF-8, or too long");
		goto out;
	}
	const struct route *rt = c->match.route;
	if ((rc = authenticate(c, rt, &token)))
		goto out;
	if (rt->flags & ROUTE_INLINE) {
		/* public, no database: no lock, no idempotency */
		c->status = rt->status;
		rc = rt->fn(c);
		goto out;
	}
	pthread_mutex_lock(c->lock);
	locked = true;
	/* what other processes changed (members, levels, plans) is seen first */
	if ((rc = engine_catch_up(c->e, &c->err)) || (rc = resolve(c, rt, token)) ||
	    (rc = api_actor_begin(c)) || (rc = idem_key(c, rt, &key)))
		goto out;
	if (key) {
		idem_principal(c, principal, sizeof(principal));
		if ((rc = idem_begin(c, principal, key, &rec, &proceed)) || !proceed)
			goto out;
	}
	if (rt->flags & ROUTE_UNLOCKED) {
		pthread_mutex_unlock(c->lock);
		locked = false;
	}
	c->status = rt->status;
	rc = rt->fn(c);
	if (!rc && !c->out && !c->raw_out && !c->location)
		rc = api_reply(c, rt->status, json_object());
out:
	if (rc) {
		free(c->location); /* an error is answered in JSON, not redirected */
		c->location = NULL;
		answer_error(c, rc);
	}
	if (key && proceed) {
		/* the handler ran (under the lock: keyed routes are not
		 * ROUTE_UNLOCKED, and a handler that let the lock go around a
		 * union call took it back; a same-key call meanwhile found the
		 * request begun and was told so):
		 * remember its answer, or forget the attempt after a server
		 * error, which applied nothing */
		struct tk_error keep = c->err;
		size_t len;
		char *text = idem_status_kept(c->status) ? api_answer_text(c, &len) : NULL;
		if (text) {
			rec.status = c->status;
			rec.body = text;
			idem_save(c, principal, key, &rec);
		} else {
			auth_request_forget(api_store(c), principal, key, &c->err);
		}
		free(text);
		c->err = keep;
	}
	if (locked)
		pthread_mutex_unlock(c->lock);
	actions_actor_set(NULL); /* the next call on this thread is someone else's */
}

void api_call_free(struct api_call *c)
{
	json_decref(c->json);
	json_decref(c->out);
	free(c->raw_out);
	free(c->location);
	c->json = c->out = NULL;
	c->raw_out = NULL;
	c->location = NULL;
}

char *api_answer_text(struct api_call *c, size_t *len)
{
	if (c->raw_out && c->raw_len && !c->location) { /* binary: an image */
		char *b = malloc(c->raw_len);
		if (b)
			memcpy(b, c->raw_out, c->raw_len);
		*len = b ? c->raw_len : 0;
		return b;
	}
	char *s = c->location ? strdup("") /* a redirect has no body */
		  : c->raw_out ? strdup(c->raw_out)
			     : c->out ? json_dumps(c->out, JSON_COMPACT | JSON_PRESERVE_ORDER)
				      : strdup("{}");
	*len = s ? strlen(s) : 0;
	return s;
}

/* ---- reading the request ---- */

const char *api_param(const struct api_call *c, int i)
{
	return i < c->match.n_params ? c->match.params[i] : "";
}

enum tk_rc api_path_id(struct api_call *c, const char *what, int64_t *id)
{
	const char *s = api_param(c, 0);
	char *end = NULL;
	long long v = s && *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	if (!end || *end || v <= 0)
		return tk_fail(&c->err, TK_ENOTFOUND, what, "no %s \"%.32s\"", what, s ? s : "");
	*id = v;
	return TK_OK;
}

enum tk_rc api_query(struct api_call *c, const char *name, char *buf, size_t size,
		     const char **out)
{
	const char *raw = c->lookup(c->lookup_ctx, API_QUERY, name);
	*out = NULL;
	if (!raw)
		return TK_OK;
	if (!router_unescape(raw, strlen(raw), true, buf, size))
		return tk_fail(&c->err, TK_EINVAL, name,
			       "badly escaped, not UTF-8, or longer than %zu bytes", size - 1);
	*out = buf;
	return TK_OK;
}

enum tk_rc api_query_i64(struct api_call *c, const char *name, int64_t def, int64_t min,
			 int64_t max, int64_t *out)
{
	char buf[32];
	const char *s;
	enum tk_rc rc = api_query(c, name, buf, sizeof(buf), &s);
	if (rc)
		return rc;
	*out = def;
	if (!s)
		return TK_OK;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || v < min || v > max) {
		tk_fail_key(&c->err, TK_EINVAL, name, "field.range",
			    "must be an integer in %lld..%lld, got \"%s\"", (long long)min,
			    (long long)max, s);
		tk_error_int(&c->err, "min", min);
		tk_error_int(&c->err, "max", max);
		tk_error_str(&c->err, "value", s);
		return TK_EINVAL;
	}
	*out = v;
	return TK_OK;
}

enum tk_rc api_query_day(struct api_call *c, const char *name, int64_t def, int64_t *out)
{
	char buf[16];
	const char *s;
	enum tk_rc rc = api_query(c, name, buf, sizeof(buf), &s);
	if (rc)
		return rc;
	*out = def;
	if (!s)
		return TK_OK;
	int y, m, d, n = 0;
	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		int64_t day = tktime_days_from_civil(y, m, d);
		int y2, m2, d2;
		tktime_civil_from_days(day, &y2, &m2, &d2);
		if (y2 == y && m2 == m && d2 == d) {
			*out = day;
			return TK_OK;
		}
	}
	tk_fail_key(&c->err, TK_EINVAL, name, "range.bad_date", "must be a date YYYY-MM-DD, got \"%s\"",
		    s);
	tk_error_str(&c->err, "value", s);
	return TK_EINVAL;
}

enum tk_rc api_query_limit(struct api_call *c, int *out)
{
	int64_t v;
	enum tk_rc rc = api_query_i64(c, "limit", API_PAGE_DEFAULT, 1, API_PAGE_MAX, &v);
	*out = (int)v;
	return rc;
}

enum tk_rc api_body(struct api_call *c, json_t **obj)
{
	if (!c->json) {
		json_error_t jerr;
		if (c->body_len == 0)
			return tk_fail(&c->err, TK_EINVAL, "body", "a JSON object body is required");
		c->json = json_loadb(c->body, c->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!c->json)
			return tk_fail(&c->err, TK_EINVAL, "body",
				       "not valid JSON (line %d, column %d): %s", jerr.line,
				       jerr.column, jerr.text);
		if (!json_is_object(c->json))
			return tk_fail(&c->err, TK_EINVAL, "body", "must be a JSON object");
	}
	*obj = c->json;
	return json_is_object(c->json) ? TK_OK
				       : tk_fail(&c->err, TK_EINVAL, "body", "must be a JSON object");
}

enum tk_rc api_body_only(struct api_call *c, const char *const *fields)
{
	json_t *obj, *v;
	const char *k;
	enum tk_rc rc = api_body(c, &obj);
	if (rc)
		return rc;
	json_object_foreach(obj, k, v) {
		bool known = false;
		for (const char *const *f = fields; *f && !known; f++)
			known = strcmp(*f, k) == 0;
		if (!known)
			return tk_fail_key(&c->err, TK_EINVAL, k, "field.unknown", "unknown field");
	}
	return TK_OK;
}

/* The body's field `name`: *v NULL when it is absent or null (refused if
 * required). */
static enum tk_rc body_field(struct api_call *c, const char *name, bool required, json_t **v)
{
	json_t *obj;
	enum tk_rc rc = api_body(c, &obj);
	if (rc)
		return rc;
	*v = json_object_get(obj, name);
	if (*v && json_is_null(*v))
		*v = NULL;
	return !*v && required ? tk_fail_key(&c->err, TK_EINVAL, name, "field.required", "is required")
			       : TK_OK;
}

enum tk_rc api_body_str(struct api_call *c, const char *name, bool required, size_t max_len,
			const char **out)
{
	json_t *v;
	*out = NULL;
	enum tk_rc rc = body_field(c, name, required, &v);
	if (rc || !v)
		return rc;
	if (!json_is_string(v))
		return tk_fail_key(&c->err, TK_EINVAL, name, "field.not_string", "must be a string");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n > max_len) {
		tk_fail_key(&c->err, TK_ELIMIT, name, "field.too_long", "is longer than %zu bytes",
			    max_len);
		tk_error_int(&c->err, "max", (long long)max_len);
		return TK_ELIMIT;
	}
	if (strlen(s) != n)
		return tk_fail(&c->err, TK_EINVAL, name, "must not contain NUL");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return tk_fail_key(&c->err, TK_EINVAL, name, "field.control_chars",
					   "must not contain control characters");
	*out = s;
	return TK_OK;
}

enum tk_rc api_body_i64(struct api_call *c, const char *name, bool required, int64_t def,
			int64_t min, int64_t max, int64_t *out)
{
	json_t *v;
	*out = def;
	enum tk_rc rc = body_field(c, name, required, &v);
	if (rc || !v)
		return rc;
	if (!json_is_integer(v))
		return tk_fail_key(&c->err, TK_EINVAL, name, "field.not_integer",
				   "must be an integer (money is integer fen)");
	json_int_t x = json_integer_value(v);
	if (x < min || x > max) {
		tk_fail_key(&c->err, TK_EINVAL, name, "field.range", "must be in %lld..%lld, got %lld",
			    (long long)min, (long long)max, (long long)x);
		tk_error_int(&c->err, "min", min);
		tk_error_int(&c->err, "max", max);
		tk_error_int(&c->err, "value", x);
		return TK_EINVAL;
	}
	*out = x;
	return TK_OK;
}

enum tk_rc api_body_bool(struct api_call *c, const char *name, bool def, bool *out)
{
	json_t *v;
	*out = def;
	enum tk_rc rc = body_field(c, name, false, &v);
	if (rc || !v)
		return rc;
	if (!json_is_boolean(v))
		return tk_fail(&c->err, TK_EINVAL, name, "must be true or false");
	*out = json_is_true(v);
	return TK_OK;
}

enum tk_rc api_member_visible(struct api_call *c, const char *ext, struct member_rec *m)
{
	enum tk_rc rc = engine_member_get(c->e, ext, m, &c->err);
	if (rc || c->who.kind == PRINCIPAL_OPERATOR)
		return rc;
	bool in;
	if ((rc = auth_in_team(api_store(c), c->who.id, m, &in, &c->err)))
		return rc;
	return in ? TK_OK : api_deny(c, "member \"%s\" is not you nor in your team", ext);
}

enum tk_rc api_member_money(struct api_call *c, const char *ext, struct member_rec *m)
{
	enum tk_rc rc = engine_member_get(c->e, ext, m, &c->err);
	if (rc || c->who.kind == PRINCIPAL_OPERATOR || m->id == c->who.id)
		return rc;
	return api_deny(c, "the money of member \"%s\" is not yours to see", ext);
}

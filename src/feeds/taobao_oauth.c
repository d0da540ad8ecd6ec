/* taobao_oauth.c — the member's Taobao authorization: the authorize URL and
 * the code exchanged for the session key through the TOP gateway
 * (taobao_oauth.h says what each side sends). */
#include "feeds/taobao_oauth.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "feeds/sync_http.h"
#include "feeds/union_page.h"

#define AUTH "the authorization"

enum tk_rc tb_oauth_authorize_url(const struct sync_conf *c, const char *redirect_uri,
				  const char *state, char *out, size_t size, struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[SYNC_TAOBAO];
	struct sync_params p;
	char query[TB_OAUTH_URL_MAX];
	enum tk_rc rc;
	if (!uc->app_key[0])
		return tk_fail(err, TK_EINVAL, "taobao.app_key",
			       "is needed to send members to Taobao's authorization page");
	sync_params_init(&p);
	if ((rc = sync_params_set(&p, "response_type", "code", err)) ||
	    (rc = sync_params_set(&p, "client_id", uc->app_key, err)) ||
	    (rc = sync_params_set(&p, "redirect_uri", redirect_uri, err)) ||
	    (rc = sync_params_set(&p, "state", state, err)) ||
	    (rc = sync_params_set(&p, "view", "wap", err)) ||
	    (rc = sync_params_encode(&p, query, sizeof(query), err)))
		return rc;
	const char *base = uc->oauth_url[0] ? uc->oauth_url : TB_OAUTH_DEFAULT_URL;
	int n = snprintf(out, size, "%s%c%s", base, strchr(base, '?') ? '&' : '?', query);
	if (n < 0 || (size_t)n >= size)
		return tk_fail(err, TK_ELIMIT, "taobao.oauth_url",
			       "the authorize URL would be longer than %zu bytes", size - 1);
	return TK_OK;
}

bool tb_oauth_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n >= TB_OAUTH_CODE_MAX)
		return false;
	for (; *code; code++)
		if ((unsigned char)*code <= 0x20 || (unsigned char)*code >= 0x7f)
			return false;
	return true;
}

enum tk_rc tb_token_build(const struct sync_conf *c, const char *code, struct sync_params *p,
			  struct tk_error *err)
{
	enum tk_rc rc = convert_system_params(&c->u[SYNC_TAOBAO], SYNC_TAOBAO,
					      "taobao.top.auth.token.create", p, err);
	return rc ? rc : sync_params_set(p, "code", code, err);
}

/* Copies the string (or integer) obj[key] into buf; false when absent or
 * too long. */
static bool take_text(json_t *obj, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);
	buf[0] = '\0';
	if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v) && !union_copy(buf, size, json_string_value(v)))
		buf[0] = '\0';
	return buf[0] != '\0';
}

/* The token result, a JSON string inside the reply (TOP keeps the shape of
 * its older token endpoint there); an object is taken as well. */
static enum tk_rc token_fields(json_t *result, struct tb_token *tok, struct tk_error *err)
{
	if (!take_text(result, "access_token", tok->session, sizeof(tok->session)))
		return tk_fail(err, TK_EINVAL, "token_result.access_token",
			       "Taobao's reply gives no session key (or one over %d bytes)",
			       TAG_REG_SESSION_MAX - 1);
	take_text(result, "taobao_user_id", tok->user_id, sizeof(tok->user_id));
	take_text(result, "taobao_user_nick", tok->user_nick, sizeof(tok->user_nick));
	json_t *v = json_object_get(result, "expire_time"); /* unix milliseconds */
	if (json_is_integer(v) && json_integer_value(v) > 0)
		tok->expires_at = (int64_t)(json_integer_value(v) / 1000);
	return TK_OK;
}

enum tk_rc tb_token_parse(const char *body, size_t len, struct tb_token *tok,
			  struct tk_error *err)
{
	json_t *doc = NULL, *result = NULL;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK) {
		tok->call.transient = true; /* a cut-off body may come whole next time */
		return rc;
	}
	if ((rc = convert_union_error(SYNC_TAOBAO, doc, AUTH, &tok->call, err)))
		goto out;
	json_t *env = json_object_get(doc, "top_auth_token_create_response");
	json_t *tr = json_object_get(env, "token_result");
	json_error_t jerr;
	if (!json_is_object(env)) {
		rc = tk_fail(err, TK_EINVAL, "body", "Taobao's reply has no "
			     "top_auth_token_create_response");
		goto out;
	}
	result = json_is_string(tr) ? json_loadb(json_string_value(tr), json_string_length(tr), 0,
						 &jerr)
				    : json_incref(tr);
	if (!json_is_object(result)) {
		rc = tk_fail(err, TK_EINVAL, "token_result", "must hold a JSON object");
		goto out;
	}
	rc = token_fields(result, tok, err);
out:
	json_decref(result);
	json_decref(doc);
	return rc;
}

/* ---- the call ---- */

struct token_step {
	const struct sync_conf *c;
	const char *code;
	struct tb_token *tok;
};

static enum tk_rc token_build_step(void *ctx, struct sync_params *p, struct tk_error *err)
{
	const struct token_step *s = ctx;
	return tb_token_build(s->c, s->code, p, err);
}

static enum tk_rc token_parse_step(void *ctx, const char *body, size_t len,
				   struct convert_result *call, struct tk_error *err)
{
	const struct token_step *s = ctx;
	(void)call; /* the same as s->tok->call */
	return tb_token_parse(body, len, s->tok, err);
}

enum tk_rc tb_token_create(const struct sync_conf *c, const char *code, struct tb_token *tok,
			   struct tk_error *err)
{
	enum tk_rc rc;
	memset(tok, 0, sizeof(*tok));
	if (!sync_conf_has(c, SYNC_TAOBAO))
		return tk_fail(err, TK_EINVAL, "taobao",
			       "no credentials: set taobao.app_key and taobao.app_secret in the "
			       "config file");
	if (!tb_oauth_code_valid(code))
		return tk_fail(err, TK_EINVAL, "code",
			       "must be 1..%d printable characters without spaces",
			       TB_OAUTH_CODE_MAX - 1);
	if ((rc = sync_http_global_init(err)))
		return rc;
	struct token_step s = {.c = c, .code = code, .tok = tok};
	rc = convert_call(c, SYNC_TAOBAO, token_build_step, token_parse_step, &s, &tok->call, NULL,
			  NULL, err);
	if (rc)
		sodium_memzero(tok->session, sizeof(tok->session));
	return rc;
}

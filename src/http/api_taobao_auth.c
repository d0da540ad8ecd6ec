/* api_taobao_auth.c — the promoter page's Taobao authorization walk-through:
 * starting it (a single-use state for the member, Taobao's authorize URL)
 * and Taobao's callback (the state taken once, the code exchanged for the
 * member's session key and the tag registered with it, both with the lock
 * released, the browser sent back to the promoter page with the outcome).
 * The session key lives on the stack for the two calls and is wiped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "feeds/taobao_oauth.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "tracking/links_convert.h"
#include "tracking/tags_register.h"
#include "store/server_store.h"

#define STATE_TTL_S 600                  /* a member has 10 minutes at Taobao */
#define STATE_PREFIX "tbst_"
#define CALLBACK_PATH "/auth/taobao/callback"
#define RETURN_PATH "/m/#"               /* the promoter page, outcome in the fragment */
#define FRAGMENT_MAX 1536
#define DESCRIPTION_MAX 256              /* bytes of Taobao's error_description kept */

/* Which tag kinds the walk-through can register under conf: Taobao's
 * credentials and the kind's invite code configured. */
static bool kind_ready(const struct links_conv *lc, const char *kind)
{
	if (!lc || !sync_conf_has(&lc->conf, SYNC_TAOBAO))
		return false;
	const struct sync_union_conf *uc = &lc->conf.u[SYNC_TAOBAO];
	if (strcmp(kind, "relation_id") == 0)
		return uc->channel_invite[0] != '\0';
	if (strcmp(kind, "special_id") == 0)
		return uc->member_invite[0] != '\0';
	return false;
}

json_t *api_taobao_authorize_kinds(struct api_call *c)
{
	json_t *list = json_array();
	static const char *const kinds[] = {"relation_id", "special_id"};
	for (size_t i = 0; list && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind_ready(c->api->conv, kinds[i]))
			json_array_append_new(list, json_string(kinds[i]));
	return list;
}

enum tk_rc h_taobao_authorize(struct api_call *c)
{
	static const char *const fields[] = {"kind", NULL};
	struct store *st = api_store(c);
	const char *kind = NULL;
	char state[AUTH_TOKEN_MAX], redirect[API_BASE_URL_MAX + sizeof(CALLBACK_PATH)];
	char *url = NULL;
	uint8_t hash[SERVER_HASH_BYTES];
	enum tk_rc rc;
	if (c->body_len && ((rc = api_body_only(c, fields)) ||
			    (rc = api_body_str(c, "kind", false, OAUTH_KIND_MAX - 1, &kind))))
		return rc;
	if (!kind)
		kind = "relation_id";
	if (strcmp(kind, "relation_id") != 0 && strcmp(kind, "special_id") != 0)
		return tk_fail(&c->err, TK_EINVAL, "kind",
			       "must be relation_id (a channel, 渠道) or special_id (a member, 会员), "
			       "got \"%s\"", kind);
	if (c->who.kind != PRINCIPAL_MEMBER)
		return api_deny(c, "a member authorizes Taobao for itself: call this with the "
				   "member's session");
	if (!kind_ready(c->api->conv, kind)) {
		c->err_code = "not_configured";
		return tk_fail(&c->err, TK_ECONFLICT,
			       strcmp(kind, "relation_id") == 0 ? "taobao.channel_invite_code"
								 : "taobao.member_invite_code",
			       "the operator has not set up Taobao %s registration: taobao.app_key, "
			       "taobao.app_secret and the invite code in the server's --config",
			       strcmp(kind, "relation_id") == 0 ? "channel" : "member");
	}
	struct oauth_state_rec rec = {.member = c->who.id, .created_at = c->now,
				      .expires_at = c->now + STATE_TTL_S};
	snprintf(rec.union_, sizeof(rec.union_), "taobao");
	snprintf(rec.kind, sizeof(rec.kind), "%s", kind);
	/* the state goes to the browser; only its hash is kept */
	auth_token_new(STATE_PREFIX, state);
	auth_token_hash(state, hash);
	snprintf(redirect, sizeof(redirect), "%s%s", c->api->cfg.base_url, CALLBACK_PATH);
	if (!(url = malloc(TB_OAUTH_URL_MAX))) {
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((rc = tb_oauth_authorize_url(&c->api->conv->conf, redirect, state, url,
					 TB_OAUTH_URL_MAX, &c->err)) ||
	    (rc = auth_oauth_state_save(st, hash, &rec, &c->err)))
		goto out;
	rc = api_reply(c, 201, json_pack("{s:s, s:s, s:s, s:o}", "union", "taobao", "kind", kind,
					 "url", url, "expires_at", api_json_time(rec.expires_at)));
out:
	sodium_memzero(state, sizeof(state));
	free(url);
	return rc;
}

/* ---- the callback ---- */

/* The outcome for the promoter page, as the fragment "taobao=...&k=v". */
struct outcome {
	char text[FRAGMENT_MAX];
	size_t len;
};

static void outcome_add(struct outcome *o, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t need = strlen(key) + 2 + 3 * strlen(value);
	if (!*value || o->len + need >= sizeof(o->text))
		return; /* a value that does not fit is left out, never cut */
	o->len += (size_t)snprintf(o->text + o->len, sizeof(o->text) - o->len, "%s%s=",
				   o->len ? "&" : "", key);
	for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
		bool plain = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			     (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' || *s == '_' ||
			     *s == '~';
		if (plain) {
			o->text[o->len++] = (char)*s;
		} else {
			o->text[o->len++] = '%';
			o->text[o->len++] = hex[*s >> 4];
			o->text[o->len++] = hex[*s & 15];
		}
	}
	o->text[o->len] = '\0';
}

/* Sends the browser back to the promoter page with an error outcome:
 * `code` is ours (state_unknown, denied, union_refused, ...), union_code
 * and message the union's when it gave them. */
static enum tk_rc back_error(struct api_call *c, const char *code, const char *kind,
			     const char *union_code, const char *message)
{
	struct outcome o = {{0}, 0};
	outcome_add(&o, "taobao", "error");
	outcome_add(&o, "code", code);
	outcome_add(&o, "kind", kind ? kind : "");
	outcome_add(&o, "union_code", union_code ? union_code : "");
	outcome_add(&o, "message", message ? message : "");
	char rest[sizeof(RETURN_PATH) + FRAGMENT_MAX];
	snprintf(rest, sizeof(rest), "%s%s", RETURN_PATH, o.text);
	return api_redirect(c, c->api->cfg.base_url, rest);
}

/* A union failure, for the operator's log too (no secret is in err). */
static enum tk_rc back_failed(struct api_call *c, const struct member_rec *m, const char *kind,
			      bool refused, const char *union_code, const struct tk_error *err)
{
	char buf[1024];
	tk_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "tuike serve: Taobao authorization of member %s (%s): %s\n", m->ext, kind,
		buf);
	return back_error(c, refused ? "union_refused" : union_code ? "union_unavailable"
							       : "failed",
			  kind, union_code, err->msg);
}

/* Takes the state: known, not used before (it is used now), not expired. */
static enum tk_rc take_state(struct api_call *c, const char *state, struct oauth_state_rec *rec,
			     const char **problem)
{
	struct store *st = api_store(c);
	uint8_t hash[SERVER_HASH_BYTES];
	struct tk_error err = {0};
	enum tk_rc rc;
	*problem = NULL;
	if (!state || strncmp(state, STATE_PREFIX, strlen(STATE_PREFIX)) != 0) {
		*problem = "state_unknown";
		return TK_OK;
	}
	auth_token_hash(state, hash);
	rc = auth_oauth_state_take(st, hash, c->now, rec, &err);
	if (rc == TK_ENOTFOUND) {
		*problem = "state_unknown";
		return TK_OK;
	}
	if (rc) {
		c->err = err;
		return rc;
	}
	if (rec->used_at)
		*problem = "state_used";
	else if (rec->expires_at <= c->now)
		*problem = "state_expired";
	else if (strcmp(rec->union_, "taobao") != 0)
		*problem = "state_unknown";
	return TK_OK;
}

enum tk_rc h_taobao_callback(struct api_call *c)
{
	char state_buf[TB_OAUTH_STATE_MAX], code_buf[TB_OAUTH_CODE_MAX];
	char error_buf[64], desc_buf[DESCRIPTION_MAX];
	const char *state, *code, *error, *desc, *problem;
	struct oauth_state_rec rec;
	struct member_rec m;
	struct store *st = api_store(c);
	enum tk_rc rc;
	/* whatever comes back goes back to the promoter page, in words */
	if (api_query(c, "state", state_buf, sizeof(state_buf), &state))
		return back_error(c, "state_unknown", NULL, NULL, NULL);
	if ((rc = take_state(c, state, &rec, &problem)))
		return rc;
	if (problem)
		return back_error(c, problem, NULL, NULL, NULL);
	if (!api_query(c, "error", error_buf, sizeof(error_buf), &error) && error) {
		/* the member refused, or Taobao did: its code and words */
		if (api_query(c, "error_description", desc_buf, sizeof(desc_buf), &desc))
			desc = NULL;
		return back_error(c, "denied", rec.kind, error, desc);
	}
	if (api_query(c, "code", code_buf, sizeof(code_buf), &code) || !code ||
	    !tb_oauth_code_valid(code))
		return back_error(c, "bad_code", rec.kind, NULL, NULL);
	if ((rc = st->ops->member_get_id(st, rec.member, &m, &c->err)))
		return rc;
	if (!kind_ready(c->api->conv, rec.kind))
		return back_error(c, "not_configured", rec.kind, NULL, NULL);

	/* the code for the member's session key, then the registration with
	 * it: both calls made with the lock released */
	const struct sync_conf *conf = &c->api->conv->conf;
	struct links_unlock unlock;
	struct tb_token *tok = malloc(sizeof(*tok));
	struct tag_reg_req *req = calloc(1, sizeof(*req));
	struct tags_reg_outcome out;
	struct links_fault fault;
	struct tk_error err = {0};
	if (!tok || !req) {
		free(tok);
		free(req);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	api_links_unlock(c, &unlock);
	links_unlock_release(&unlock);
	rc = tb_token_create(conf, code, tok, &err);
	enum tk_rc lrc = links_unlock_retake(&unlock, &c->err);
	if (rc) {
		rc = back_failed(c, &m, rec.kind, tok->call.refused,
				 tok->call.refused || rc == TK_EIO ? tok->call.code : NULL, &err);
		goto out;
	}
	if ((rc = lrc))
		goto out;
	req->u = SYNC_TAOBAO;
	snprintf(req->kind, sizeof(req->kind), "%s", rec.kind);
	memcpy(req->session, tok->session, sizeof(req->session));
	sodium_memzero(tok->session, sizeof(tok->session));
	rc = tags_register(c->e, conf, &m, req, false, &unlock, &out, &fault, &err);
	if (rc) {
		rc = fault.failed ? back_failed(c, &m, rec.kind, fault.refused, fault.code, &err)
				  : back_failed(c, &m, rec.kind, false, NULL, &err);
		goto out;
	}
	struct outcome o = {{0}, 0};
	outcome_add(&o, "taobao", "ok");
	outcome_add(&o, "kind", out.kind);
	outcome_add(&o, "value", out.value);
	outcome_add(&o, "held", out.registered ? "" : "1");
	char rest[sizeof(RETURN_PATH) + FRAGMENT_MAX];
	snprintf(rest, sizeof(rest), "%s%s", RETURN_PATH, o.text);
	rc = api_redirect(c, c->api->cfg.base_url, rest);
out:
	sodium_memzero(tok, sizeof(*tok));
	sodium_memzero(req, sizeof(*req));
	free(tok);
	free(req);
	return rc;
}

/* api_auth.c — member login and logout, operator sessions (a key traded
 * for a token that expires), who am I, and operators setting a member's
 * password.  Password hashing takes tens of milliseconds by
 * design, so these handlers hold the engine lock only around the database
 * work, never around argon2id. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "engine/growth.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "http/ratelimit.h"
#include "store/server_store.h"

static const char *const login_fields[] = {"member", "password", NULL};

/* 401 with the same words whichever part was wrong. */
static enum tk_rc bad_credentials(struct api_call *c)
{
	c->err_status = 401;
	c->err_code = "invalid_credentials";
	return tk_fail_key(&c->err, TK_EINVAL, "", "auth.bad_credentials",
			   "unknown member or wrong password");
}

/* 429 with Retry-After, saying which limit. */
static enum tk_rc limited(struct api_call *c, int64_t retry_ms, const char *what)
{
	c->retry_after = (int)((retry_ms + 999) / 1000);
	c->err_status = 429;
	c->err_code = "rate_limited";
	tk_fail_key(&c->err, TK_EINVAL, "", "rate_limited", "%s; retry after %d s", what,
		    c->retry_after);
	tk_error_int(&c->err, "retry_s", c->retry_after);
	return TK_EINVAL;
}

/* Failed logins and registrations share a limit per client address.  A
 * login takes its token before the password is checked and gives it back
 * when the password was right: only failures count, so a school's or an
 * office's one NAT address is not stopped by its members logging in. */
static enum tk_rc address_limited(struct api_call *c)
{
	int64_t retry_ms;
	if (ratelimit_take(c->api->login_limits, c->ip, strlen(c->ip), c->now_ms, &retry_ms))
		return TK_OK;
	char what[96];
	snprintf(what, sizeof(what), "more than %u failed logins or registrations a minute from "
		 "this address", c->api->cfg.login_rate);
	return limited(c, retry_ms, what);
}

/* Failed logins per member id, from whatever addresses: at most
 * account_failures at once, earned back over API_LOGIN_ACCOUNT_WINDOW_S.
 * Unknown ids are counted alike, so the limit tells nobody which ids
 * exist.  While the bucket is empty even the right password is refused
 * (else the refusals would tell a guesser which password was right, and
 * the limit would stop nothing); it fills again by itself, one attempt
 * every window/failures seconds, so no one can lock a member out beyond
 * that without going on failing. */
static enum tk_rc account_limited(struct api_call *c, const char *member)
{
	int64_t retry_ms;
	if (ratelimit_take(c->api->account_limits, member, strlen(member), c->now_ms, &retry_ms))
		return TK_OK;
	char what[128];
	snprintf(what, sizeof(what), "more than %u failed logins to this member in %d minutes",
		 c->api->cfg.account_failures, API_LOGIN_ACCOUNT_WINDOW_S / 60);
	return limited(c, retry_ms, what);
}

/* Opens a session for member m and answers its token. */
static enum tk_rc session_answer(struct api_call *c, const struct member_rec *m, int status)
{
	struct api *api = c->api;
	char token[AUTH_TOKEN_MAX];
	int64_t expires;
	pthread_mutex_lock(c->lock);
	enum tk_rc rc = auth_session_create(api_store(c), m->id, c->now, api->cfg.session_ttl,
					    token, &expires, &c->err);
	pthread_mutex_unlock(c->lock);
	if (rc)
		return rc;
	rc = api_reply(c, status, json_pack("{s:s, s:s, s:o, s:s}", "token", token, "member", m->ext,
					    "expires_at", api_json_time(expires), "token_type",
					    "Bearer"));
	sodium_memzero(token, sizeof(token));
	return rc;
}

enum tk_rc h_login(struct api_call *c)
{
	struct store *st = api_store(c);
	struct api *api = c->api;
	const char *member, *password;
	char hash[PASSWORD_HASH_MAX];
	struct member_rec m;
	enum tk_rc rc;
	if ((rc = address_limited(c)))
		return rc;
	if ((rc = api_body_only(c, login_fields)) ||
	    (rc = api_body_str(c, "member", true, ORDER_KEY_MAX - 1, &member)) ||
	    (rc = api_body_str(c, "password", true, AUTH_PASSWORD_MAX, &password)))
		return rc;
	if ((rc = account_limited(c, member))) {
		/* refused unheard: no password was tried from this address */
		ratelimit_give_back(api->login_limits, c->ip, strlen(c->ip), c->now_ms);
		return rc;
	}

	pthread_mutex_lock(c->lock);
	rc = engine_member_get(c->e, member, &m, &c->err);
	if (!rc)
		rc = st->server->password_get(st, m.id, hash, &c->err);
	pthread_mutex_unlock(c->lock);
	if (rc && rc != TK_ENOTFOUND)
		return rc;

	bool ok = auth_password_verify(rc ? NULL : hash, password);
	sodium_memzero(hash, sizeof(hash));
	if (!ok)
		return bad_credentials(c); /* both tokens stay taken: a failure */
	/* the member knows its password: earlier typos are forgotten, and the
	 * address's token was not a failure */
	ratelimit_give_back(api->login_limits, c->ip, strlen(c->ip), c->now_ms);
	ratelimit_reset(api->account_limits, member, strlen(member), c->now_ms);
	return session_answer(c, &m, 200);
}

/* Someone invited signs up: the member under the inviter the code names,
 * its password, and a session, as a login answers. */
enum tk_rc h_register(struct api_call *c)
{
	static const char *const fields[] = {"invite", "id", "name", "password", NULL};
	const char *invite, *id, *name, *password;
	char hash[PASSWORD_HASH_MAX];
	struct member_rec m;
	enum tk_rc rc;
	if ((rc = address_limited(c)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "invite", true, 512, &invite)) ||
	    (rc = api_body_str(c, "id", true, ORDER_KEY_MAX - 1, &id)) ||
	    (rc = api_body_str(c, "name", false, MEMBER_NAME_MAX - 1, &name)) ||
	    (rc = api_body_str(c, "password", true, AUTH_PASSWORD_MAX, &password)) ||
	    (rc = auth_password_hash(password, hash, &c->err)))
		return rc;
	pthread_mutex_lock(c->lock);
	rc = auth_member_register(c->e, id, invite, name, hash, c->now, &m, &c->err);
	pthread_mutex_unlock(c->lock);
	sodium_memzero(hash, sizeof(hash));
	return rc ? rc : session_answer(c, &m, 201);
}

enum tk_rc h_logout(struct api_call *c)
{
	struct store *st = api_store(c);
	enum tk_rc rc;
	if (c->who.kind == PRINCIPAL_OPERATOR && !c->who.session)
		return tk_fail(&c->err, TK_EINVAL, "authorization",
			       "operator keys do not log out; revoke one with `tuike apikey revoke ID`");
	if (c->who.kind == PRINCIPAL_OPERATOR)
		rc = auth_operator_session_end(st, c->who.token_hash, &c->err);
	else
		rc = auth_session_end(st, c->who.token_hash, &c->err);
	if (rc)
		return rc;
	return api_reply(c, 200, json_pack("{s:b}", "logged_out", 1));
}

/* The console trades its key for a token that expires, so that the key
 * itself is never kept in a browser.  ROUTE_UNLOCKED, as a login: never
 * replayed by an Idempotency-Key, whose record would keep the token in
 * the clear; the lock is taken around the write. */
enum tk_rc h_operator_session(struct api_call *c)
{
	char token[AUTH_TOKEN_MAX];
	int64_t expires;
	if (c->who.session)
		return api_deny(c, "an operator session cannot open another; log in with the key");
	if (c->body_len > 0) { /* nothing to say but the key, which is the bearer */
		static const char *const none[] = {NULL};
		enum tk_rc rc = api_body_only(c, none);
		if (rc)
			return rc;
	}
	pthread_mutex_lock(c->lock);
	enum tk_rc rc = auth_operator_session_create(api_store(c), &c->who, c->now,
						     c->api->cfg.opsession_ttl, token, &expires,
						     &c->err);
	pthread_mutex_unlock(c->lock);
	if (rc)
		return rc;
	rc = api_reply(c, 201, json_pack("{s:s, s:s, s:o, s:s, s:s}", "token", token, "token_type",
					 "Bearer", "expires_at", api_json_time(expires), "key",
					 c->who.name, "role", role_name(c->who.role)));
	sodium_memzero(token, sizeof(token));
	return rc;
}

/* The active plan's levels, key and names, for a member's page to say a
 * level in the reader's language; [] without a plan, NULL out of memory. */
static json_t *plan_levels(struct api_call *c)
{
	const struct plan *p;
	struct tk_error ignore;
	json_t *out = json_array();
	if (!out || engine_plan_get(c->e, 0, &p, NULL, &ignore))
		return out;
	for (int i = 0; i < p->n_levels; i++) {
		const struct plan_level *l = &p->levels[i];
		json_t *names = json_object();
		for (int k = 0; names && k < PLAN_LOCALES; k++)
			if (l->names[k][0])
				json_object_set_new(names, plan_locales[k], json_string(l->names[k]));
		if (json_array_append_new(out, json_pack("{s:s, s:s, s:o*}", "key", l->key, "name",
							 l->name, "names", names))) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

enum tk_rc h_me(struct api_call *c)
{
	if (c->who.kind == PRINCIPAL_OPERATOR)
		return api_reply(c, 200, json_pack("{s:s, s:s, s:s, s:b, s:o}", "kind", "operator",
						   "key", c->who.name, "role",
						   role_name(c->who.role), "session", c->who.session,
						   "expires_at", c->who.session
								 ? api_json_time(c->who.expires_at)
								 : json_null()));
	struct member_rec m;
	enum tk_rc rc = engine_member_get(c->e, c->who.name, &m, &c->err);
	if (rc)
		return rc;
	return api_reply(c, 200, json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", "member", "member",
					   api_member_doc(c, &m), "expires_at",
					   api_json_time(c->who.expires_at), "taobao_authorize",
					   api_taobao_authorize_kinds(c), "levels", plan_levels(c)));
}

enum tk_rc h_member_password(struct api_call *c)
{
	static const char *const fields[] = {"password", NULL};
	struct store *st = api_store(c);
	const char *password;
	char hash[PASSWORD_HASH_MAX];
	struct member_rec m;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "password", true, AUTH_PASSWORD_MAX, &password)) ||
	    (rc = auth_password_hash(password, hash, &c->err)))
		return rc;
	pthread_mutex_lock(c->lock);
	if (!(rc = engine_member_get(c->e, api_param(c, 0), &m, &c->err)))
		rc = auth_password_set(st, m.id, hash, c->now, &c->err);
	pthread_mutex_unlock(c->lock);
	sodium_memzero(hash, sizeof(hash));
	return rc ? rc : api_reply(c, 200, json_pack("{s:s, s:b}", "member", m.ext,
						     "password_set", 1));
}

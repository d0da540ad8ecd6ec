/* taobao_oauth.h — a member's Taobao authorization (OAuth 2.0 code flow):
 * the authorize page the member is sent to, and the exchange of the code
 * Taobao hands back for the member's session key, through the gateway
 * call taobao.top.auth.token.create.  The session key then registers the
 * member's channel or member id (tag_register.h) and is forgotten.
 *
 * Authorize: TAOBAO_OAUTH_URL?response_type=code&client_id=APP_KEY&
 *            redirect_uri=R&state=S&view=wap (taobao.oauth_url; default
 *            https://oauth.taobao.com/authorize).
 * Exchange:  taobao.top.auth.token.create, param `code` (single use,
 *            minutes); the reply's top_auth_token_create_response.
 *            token_result is a JSON *string* holding access_token (the
 *            session key), taobao_user_id, taobao_user_nick, expire_time
 *            (unix ms), expires_in, refresh_token, ... — only the first four
 *            are read; the refresh token is never kept.
 * Secrets (the session key) never reach an error, a log line or a store. */
#ifndef TK_TAOBAO_OAUTH_H
#define TK_TAOBAO_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "feeds/convert.h"
#include "feeds/sync_config.h"
#include "feeds/tag_register.h"

#define TB_OAUTH_DEFAULT_URL "https://oauth.taobao.com/authorize"
#define TB_OAUTH_CODE_MAX 128       /* bytes of an authorization code */
#define TB_OAUTH_STATE_MAX 64       /* bytes of the state, NUL included */
#define TB_OAUTH_URL_MAX 2048       /* bytes of the authorize URL, NUL included */
/* Largest token reply accepted: a handful of fields. */
#define TB_OAUTH_BODY_MAX (64 * 1024)

/* What the exchange gives; session is a secret (wipe it after use). */
struct tb_token {
	char session[TAG_REG_SESSION_MAX]; /* access_token */
	char user_id[64];                  /* taobao_user_id */
	char user_nick[128];               /* taobao_user_nick */
	int64_t expires_at;                /* expire_time, unix seconds; 0: not given */
	struct convert_result call;        /* requests, refused, code */
};

/* The authorize URL for the member's browser into out (size bytes):
 * c's taobao.oauth_url with the app key, redirect_uri and state, view=wap.
 * TK_EINVAL when Taobao's app key is not configured, TK_ELIMIT when it
 * does not fit. */
enum tk_rc tb_oauth_authorize_url(const struct sync_conf *c, const char *redirect_uri,
				  const char *state, char *out, size_t size, struct tk_error *err);

/* Whether an authorization code has a shape worth sending to Taobao
 * (1..TB_OAUTH_CODE_MAX-1 printable ASCII bytes, no spaces). */
bool tb_oauth_code_valid(const char *code);

/* The unsigned parameters of the exchange (system ones included). */
enum tk_rc tb_token_build(const struct sync_conf *c, const char *code, struct sync_params *p,
			  struct tk_error *err);

/* Reads a reply of taobao.top.auth.token.create into tok.  TOP's
 * error_response fails with TK_EINVAL "Taobao refused the authorization:
 * error CODE/SUB_CODE: MESSAGE", tok->call.refused set; a reply without an
 * access_token fails with TK_EINVAL naming the field. */
enum tk_rc tb_token_parse(const char *body, size_t len, struct tb_token *tok,
			  struct tk_error *err);

/* The exchange: build, signed call (retried like conversions), parse. */
enum tk_rc tb_token_create(const struct sync_conf *c, const char *code, struct tb_token *tok,
			   struct tk_error *err);

#endif

/* auth.h — the auth application module, beside the engine.  Who is calling: operator API keys, member passwords and bearer
 * sessions, and whether a member may see another member (its team).
 *
 * Keys and session tokens are 32 random bytes written in base64url after a
 * prefix ("tk_" for an operator key, "tks_" for a member session, "tko_"
 * for an operator session the console trades its key for); only
 * their BLAKE2b-256 hash is stored, so a copy of the database yields no
 * usable credential.  Passwords are argon2id strings (crypto_pwhash_str),
 * which take tens of milliseconds by design: callers run them outside any
 * lock the redirect or other requests need. */
#ifndef TK_AUTH_AUTH_H
#define TK_AUTH_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/roles.h"
#include "core/error.h"
#include "engine/engine.h"
#include "store/server_store.h"

#define AUTH_KEY_PREFIX "tk_"
#define AUTH_SESSION_PREFIX "tks_"
#define AUTH_OPSESSION_PREFIX "tko_"
#define AUTH_TOKEN_MAX 64      /* bytes of a key or token, NUL included */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 128  /* bytes */
#define AUTH_SESSION_TTL_MAX (30 * 86400)
#define AUTH_OPSESSION_HOURS_MAX (7 * 24) /* an operator session lasts at most a week */

enum principal_kind { PRINCIPAL_NONE, PRINCIPAL_OPERATOR, PRINCIPAL_MEMBER };

struct principal {
	enum principal_kind kind;
	int64_t id;                          /* API key id, or member internal id */
	char name[ORDER_KEY_MAX];            /* key name, or member external id */
	int64_t expires_at;                  /* sessions only */
	uint8_t token_hash[SERVER_HASH_BYTES];
	enum operator_role role;             /* operators: the key's role */
	bool session;                        /* operators: an operator session, not the key */
};

/* A new random token "PREFIX<43 base64url chars>". */
void auth_token_new(const char *prefix, char out[AUTH_TOKEN_MAX]);
void auth_token_hash(const char *token, uint8_t out[SERVER_HASH_BYTES]);

/* Creates an operator key named `name` (1..63 printable bytes) with a
 * role; the key is written to key_out once and never stored. */
enum tk_rc auth_apikey_create(struct store *st, const char *name, enum operator_role role,
			      int64_t now, char key_out[AUTH_TOKEN_MAX], struct apikey_rec *rec,
			      struct tk_error *err);

/* Splits "Bearer TOKEN"; false when the header is absent or malformed. */
bool auth_bearer(const char *header, const char **token);

/* Resolves a bearer token to the operator key, operator session or member
 * session it names (an operator session acts as its key, with its role).
 * TK_ENOTFOUND (err says why) when unknown, revoked or expired. */
enum tk_rc auth_resolve(struct store *st, const char *token, int64_t now, struct principal *who,
			struct tk_error *err);

/* Checks a new password (length limits) and hashes it with argon2id. */
enum tk_rc auth_password_hash(const char *password, char out[PASSWORD_HASH_MAX],
			      struct tk_error *err);
/* Whether the password matches the stored hash.  With hash NULL (no such
 * member, or no password) it spends the same time and returns false, so
 * that timing does not tell which members exist. */
bool auth_password_verify(const char *hash, const char *password);

/* Opens a session for a member: token_out gets the bearer token. */
enum tk_rc auth_session_create(struct store *st, int64_t member, int64_t now, int64_t ttl,
			       char token_out[AUTH_TOKEN_MAX], int64_t *expires_at,
			       struct tk_error *err);

/* ---- operations that write: each runs in one transaction it owns, and
 * applies nothing on error ---- */

/* Revokes operator key `id` (no longer accepted from `now`) and ends the
 * operator sessions opened with it. */
enum tk_rc auth_apikey_revoke(struct store *st, int64_t id, int64_t now, struct tk_error *err);
/* Gives operator key `id` another role at `now` and ends the operator
 * sessions opened with the old one (logged as "key.role" when the role
 * changes). */
enum tk_rc auth_apikey_set_role(struct store *st, int64_t id, enum operator_role role,
				int64_t now, struct tk_error *err);
/* Opens an operator session for the key `key` resolved to (a key, not a
 * session: a session never extends itself), lasting `ttl` seconds:
 * token_out gets the bearer token. */
enum tk_rc auth_operator_session_create(struct store *st, const struct principal *key,
					int64_t now, int64_t ttl, char token_out[AUTH_TOKEN_MAX],
					int64_t *expires_at, struct tk_error *err);
/* Ends the operator session whose token has this hash (logout). */
enum tk_rc auth_operator_session_end(struct store *st,
				     const uint8_t token_hash[SERVER_HASH_BYTES],
				     struct tk_error *err);
/* Ends the session whose token has this hash (logout). */
enum tk_rc auth_session_end(struct store *st, const uint8_t token_hash[SERVER_HASH_BYTES],
			    struct tk_error *err);
/* Sets a member's password (an argon2id string from auth_password_hash)
 * and ends every session opened with the old one. */
enum tk_rc auth_password_set(struct store *st, int64_t member, const char *hash, int64_t now,
			     struct tk_error *err);
/* Registers member `ext` under the inviter the invite names
 * (engine_member_register) with its password `hash`: the member, its
 * counts and its password commit together, so a failure leaves no member
 * behind and the same registration can be made again. */
enum tk_rc auth_member_register(struct engine *e, const char *ext, const char *invite,
				const char *name, const char *hash, int64_t now,
				struct member_rec *out, struct tk_error *err);
/* The record of a keyed request (Idempotency-Key): saved as begun, then
 * with its answer; forgotten after a server error that applied nothing. */
enum tk_rc auth_request_save(struct store *st, const char *principal, const char *key,
			     const struct idem_rec *rec, struct tk_error *err);
enum tk_rc auth_request_forget(struct store *st, const char *principal, const char *key,
			       struct tk_error *err);
/* A member's authorization with a union under way (OAuth): the state is
 * saved by its hash, and taken once — *r as saved, r->used_at the earlier
 * use when it came back before; TK_ENOTFOUND when unknown. */
enum tk_rc auth_oauth_state_save(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				 const struct oauth_state_rec *r, struct tk_error *err);
enum tk_rc auth_oauth_state_take(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				 int64_t now, struct oauth_state_rec *r, struct tk_error *err);
/* Deletes expired sessions, request records older than `idem_before`, and
 * all but the newest `changes_keep` changes of the change log. */
enum tk_rc auth_purge(struct store *st, int64_t now, int64_t idem_before, int64_t changes_keep,
		      struct tk_error *err);

/* Whether member m is `viewer` itself or in its team (a descendant):
 * walks up m's parent chain, at most m's depth steps. */
enum tk_rc auth_in_team(struct store *st, int64_t viewer, const struct member_rec *m, bool *in,
			struct tk_error *err);

#endif

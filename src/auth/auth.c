/* auth.c — the auth application module: operator keys with their roles
 * and sessions, member passwords and sessions, registration with a password, the records of keyed
 * requests, and team visibility.  Every operation that writes runs in one
 * store transaction it owns; the HTTP and CLI adapters only call them. */
#include "auth/auth.h"

#include "actions/actions.h"

#include "engine/growth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#define TOKEN_BYTES 32

/* Runs write(ctx) in one transaction: committed whole, or rolled back. */
static enum tk_rc in_tx(struct store *st, enum tk_rc (*write)(void *ctx, struct store *st,
							  struct tk_error *err),
			void *ctx, struct tk_error *err)
{
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	if ((rc = write(ctx, st, err)) || (rc = st->ops->tx_commit(st, err)))
		st->ops->tx_rollback(st);
	return rc;
}

void auth_token_new(const char *prefix, char out[AUTH_TOKEN_MAX])
{
	uint8_t raw[TOKEN_BYTES];
	if (sodium_init() < 0)
		abort(); /* no safe source of randomness: nothing sensible to do */
	char b64[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, AUTH_TOKEN_MAX, "%s%s", prefix, b64);
	sodium_memzero(raw, sizeof(raw));
}

void auth_token_hash(const char *token, uint8_t out[SERVER_HASH_BYTES])
{
	crypto_generichash(out, SERVER_HASH_BYTES, (const unsigned char *)token, strlen(token),
			   NULL, 0);
}

/* The action log's entry of a key created, revoked or given another
 * role: its name, role and whether it works, never the key.  `role` is
 * the new role of a "key.role" entry, else NULL. */
static enum tk_rc log_key(struct store *st, const struct apikey_rec *k, const char *what,
			  const char *role, int64_t now, struct tk_error *err)
{
	bool created = strcmp(what, "key.create") == 0;
	bool revoked = strcmp(what, "key.revoke") == 0;
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "key:%lld", (long long)k->id);
	json_t *before = created ? NULL
				 : json_pack("{s:s, s:s, s:b}", "name", k->name, "role", k->role,
					     "revoked", 0);
	json_t *after = json_pack("{s:s, s:s, s:s, s:b}", "name", k->name, "prefix", k->prefix,
				  "role", role ? role : k->role, "revoked", revoked);
	enum tk_rc rc = actions_record(st, now, what, subject, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum tk_rc auth_apikey_create(struct store *st, const char *name, enum operator_role role,
			      int64_t now, char key_out[AUTH_TOKEN_MAX], struct apikey_rec *rec,
			      struct tk_error *err)
{
	size_t n = strlen(name);
	if (n == 0 || n >= APIKEY_NAME_MAX)
		return tk_fail(err, TK_EINVAL, "name", "must be 1..%d bytes", APIKEY_NAME_MAX - 1);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return tk_fail(err, TK_EINVAL, "name", "must not contain control characters");
	if ((unsigned)role >= ROLE_COUNT_)
		return tk_fail(err, TK_EINVAL, "role", "must be admin, finance, operations or viewer");
	uint8_t hash[SERVER_HASH_BYTES];
	memset(rec, 0, sizeof(*rec));
	auth_token_new(AUTH_KEY_PREFIX, key_out);
	auth_token_hash(key_out, hash);
	snprintf(rec->name, sizeof(rec->name), "%s", name);
	snprintf(rec->role, sizeof(rec->role), "%s", role_name(role));
	/* the prefix plus 6 characters: enough to tell keys apart in a list,
	 * far too little to guess the rest */
	snprintf(rec->prefix, sizeof(rec->prefix), "%.*s", (int)strlen(AUTH_KEY_PREFIX) + 6,
		 key_out);
	rec->created_at = now;
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (!rc) {
		rc = st->server->apikey_insert(st, rec, hash, err);
		rc = rc ? rc : log_key(st, rec, "key.create", NULL, now, err);
		rc = rc ? rc : st->ops->tx_commit(st, err);
		if (rc)
			st->ops->tx_rollback(st);
	}
	if (rc)
		sodium_memzero(key_out, AUTH_TOKEN_MAX);
	return rc;
}

bool auth_bearer(const char *header, const char **token)
{
	static const char scheme[] = "Bearer ";
	if (!header || strncasecmp(header, scheme, sizeof(scheme) - 1) != 0)
		return false;
	const char *t = header + sizeof(scheme) - 1;
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	if (n == 0 || n >= AUTH_TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= ' ' || (unsigned char)t[i] >= 0x7f)
			return false;
	*token = t;
	return true;
}

enum tk_rc auth_resolve(struct store *st, const char *token, int64_t now, struct principal *who,
			struct tk_error *err)
{
	enum tk_rc rc;
	memset(who, 0, sizeof(*who));
	auth_token_hash(token, who->token_hash);
	if (strncmp(token, AUTH_SESSION_PREFIX, strlen(AUTH_SESSION_PREFIX)) == 0) {
		struct member_rec m;
		if ((rc = st->server->session_get(st, who->token_hash, now, &who->id,
						  &who->expires_at, err)))
			return rc;
		if ((rc = st->ops->member_get_id(st, who->id, &m, err)))
			return rc;
		who->kind = PRINCIPAL_MEMBER;
		snprintf(who->name, sizeof(who->name), "%s", m.ext);
		return TK_OK;
	}
	bool opsession = strncmp(token, AUTH_OPSESSION_PREFIX, strlen(AUTH_OPSESSION_PREFIX)) == 0;
	if (opsession || strncmp(token, AUTH_KEY_PREFIX, strlen(AUTH_KEY_PREFIX)) == 0) {
		struct apikey_rec k;
		rc = opsession ? st->server->opsession_get(st, who->token_hash, now, &k,
							   &who->expires_at, err)
			       : st->server->apikey_find(st, who->token_hash, &k, err);
		if (rc)
			return rc;
		if (!role_parse(k.role, &who->role)) /* the schema's CHECK keeps this out */
			return tk_fail(err, TK_EIO, "role", "API key %lld has an unknown role \"%s\"",
				       (long long)k.id, k.role);
		who->kind = PRINCIPAL_OPERATOR;
		who->session = opsession;
		who->id = k.id;
		snprintf(who->name, sizeof(who->name), "%s", k.name);
		return TK_OK;
	}
	return tk_fail(err, TK_ENOTFOUND, "authorization", "not a tuike key or session token");
}

enum tk_rc auth_password_hash(const char *password, char out[PASSWORD_HASH_MAX],
			      struct tk_error *err)
{
	size_t n = strlen(password);
	if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX) {
		tk_fail_key(err, TK_EINVAL, "password", "auth.password_length",
			    "must be %d..%d bytes, got %zu", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX, n);
		tk_error_int(err, "min", AUTH_PASSWORD_MIN);
		tk_error_int(err, "max", AUTH_PASSWORD_MAX);
		return TK_EINVAL;
	}
	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "password hash buffer");
	if (crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return tk_fail(err, TK_ENOMEM, "", "out of memory while hashing a password");
	return TK_OK;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void dummy_init(void)
{
	char pw[32];
	randombytes_buf(pw, sizeof(pw) - 1);
	for (size_t i = 0; i + 1 < sizeof(pw); i++)
		pw[i] = (char)('a' + (unsigned char)pw[i] % 26);
	pw[sizeof(pw) - 1] = '\0';
	if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		dummy_hash[0] = '\0';
}

bool auth_password_verify(const char *hash, const char *password)
{
	size_t n = strlen(password);
	if (!hash || !*hash) {
		pthread_once(&dummy_once, dummy_init);
		/* the result is meaningless; only the time spent matters */
		if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, n) == 0)
			return false;
		return false;
	}
	return n <= AUTH_PASSWORD_MAX && crypto_pwhash_str_verify(hash, password, n) == 0;
}

enum tk_rc auth_session_create(struct store *st, int64_t member, int64_t now, int64_t ttl,
			       char token_out[AUTH_TOKEN_MAX], int64_t *expires_at,
			       struct tk_error *err)
{
	uint8_t hash[SERVER_HASH_BYTES];
	auth_token_new(AUTH_SESSION_PREFIX, token_out);
	auth_token_hash(token_out, hash);
	*expires_at = now + ttl;
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (!rc) {
		rc = st->server->session_insert(st, hash, member, now, *expires_at, err);
		rc = rc ? rc : st->ops->tx_commit(st, err);
		if (rc)
			st->ops->tx_rollback(st);
	}
	if (rc)
		sodium_memzero(token_out, AUTH_TOKEN_MAX);
	return rc;
}

enum tk_rc auth_in_team(struct store *st, int64_t viewer, const struct member_rec *m, bool *in,
			struct tk_error *err)
{
	struct member_rec v, cur = *m;
	enum tk_rc rc;
	*in = m->id == viewer;
	if (*in)
		return TK_OK;
	if ((rc = st->ops->member_get_id(st, viewer, &v, err)))
		return rc;
	/* an ancestor sits exactly (depth difference) steps up the chain */
	for (int32_t steps = cur.depth - v.depth; steps > 0 && cur.parent; steps--) {
		if (cur.parent == viewer) {
			*in = true;
			return TK_OK;
		}
		if ((rc = st->ops->member_get_id(st, cur.parent, &cur, err)))
			return rc;
	}
	return TK_OK;
}

/* ---- operations that write, each in one transaction ---- */

struct key_revoke {
	int64_t id, at;
};

struct key_find {
	int64_t id;
	struct apikey_rec rec;
	bool found;
};

static bool key_find_row(void *ctx, const struct apikey_rec *k)
{
	struct key_find *f = ctx;
	if (k->id != f->id)
		return true;
	f->rec = *k;
	f->found = true;
	return false;
}

static enum tk_rc key_revoke_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct key_revoke *k = ctx;
	struct key_find f = {.id = k->id};
	/* its name for the log; revoking a revoked key changes nothing and
	 * is not logged again */
	enum tk_rc rc = st->server->apikey_each(st, key_find_row, &f, err);
	rc = rc ? rc : st->server->apikey_revoke(st, k->id, k->at, err);
	rc = rc ? rc : st->server->opsession_delete_key(st, k->id, err);
	if (!rc && f.found && !f.rec.revoked_at)
		rc = log_key(st, &f.rec, "key.revoke", NULL, k->at, err);
	return rc;
}

enum tk_rc auth_apikey_revoke(struct store *st, int64_t id, int64_t now, struct tk_error *err)
{
	struct key_revoke k = {id, now};
	return in_tx(st, key_revoke_write, &k, err);
}

struct key_role {
	int64_t id, at;
	const char *role;
};

static enum tk_rc key_role_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct key_role *k = ctx;
	struct key_find f = {.id = k->id};
	/* the role it had, for the log */
	enum tk_rc rc = st->server->apikey_each(st, key_find_row, &f, err);
	/* a session carries the role it opened with: another role ends it */
	rc = rc ? rc : st->server->apikey_set_role(st, k->id, k->role, err);
	rc = rc ? rc : st->server->opsession_delete_key(st, k->id, err);
	if (!rc && f.found && strcmp(f.rec.role, k->role) != 0)
		rc = log_key(st, &f.rec, "key.role", k->role, k->at, err);
	return rc;
}

enum tk_rc auth_apikey_set_role(struct store *st, int64_t id, enum operator_role role,
				int64_t now, struct tk_error *err)
{
	if ((unsigned)role >= ROLE_COUNT_)
		return tk_fail(err, TK_EINVAL, "role", "must be admin, finance, operations or viewer");
	struct key_role k = {id, now, role_name(role)};
	return in_tx(st, key_role_write, &k, err);
}

struct opsession {
	const uint8_t *hash;
	int64_t key, now, expires_at;
	const char *role;
};

static enum tk_rc opsession_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct opsession *o = ctx;
	return st->server->opsession_insert(st, o->hash, o->key, o->role, o->now, o->expires_at,
					    err);
}

enum tk_rc auth_operator_session_create(struct store *st, const struct principal *key,
					int64_t now, int64_t ttl, char token_out[AUTH_TOKEN_MAX],
					int64_t *expires_at, struct tk_error *err)
{
	if (key->kind != PRINCIPAL_OPERATOR || key->session)
		return tk_fail(err, TK_EINVAL, "authorization",
			       "an operator session is opened with an operator key (tk_...)");
	if (ttl < 60 || ttl > AUTH_OPSESSION_HOURS_MAX * 3600)
		return tk_fail(err, TK_EINVAL, "ttl", "must be 60..%d seconds",
			       AUTH_OPSESSION_HOURS_MAX * 3600);
	uint8_t hash[SERVER_HASH_BYTES];
	auth_token_new(AUTH_OPSESSION_PREFIX, token_out);
	auth_token_hash(token_out, hash);
	*expires_at = now + ttl;
	struct opsession o = {hash, key->id, now, *expires_at, role_name(key->role)};
	enum tk_rc rc = in_tx(st, opsession_write, &o, err);
	if (rc)
		sodium_memzero(token_out, AUTH_TOKEN_MAX);
	return rc;
}

static enum tk_rc opsession_end_write(void *ctx, struct store *st, struct tk_error *err)
{
	return st->server->opsession_delete(st, ctx, err);
}

enum tk_rc auth_operator_session_end(struct store *st,
				     const uint8_t token_hash[SERVER_HASH_BYTES],
				     struct tk_error *err)
{
	return in_tx(st, opsession_end_write, (void *)token_hash, err);
}

static enum tk_rc session_end_write(void *ctx, struct store *st, struct tk_error *err)
{
	return st->server->session_delete(st, ctx, err);
}

enum tk_rc auth_session_end(struct store *st, const uint8_t token_hash[SERVER_HASH_BYTES],
			    struct tk_error *err)
{
	return in_tx(st, session_end_write, (void *)token_hash, err);
}

struct oauth_state {
	const uint8_t *hash;
	int64_t now;
	const struct oauth_state_rec *in;
	struct oauth_state_rec *out;
};

static enum tk_rc oauth_save_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct oauth_state *o = ctx;
	return st->server->oauth_state_insert(st, o->hash, o->in, err);
}

enum tk_rc auth_oauth_state_save(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				 const struct oauth_state_rec *r, struct tk_error *err)
{
	struct oauth_state o = {.hash = hash, .in = r};
	return in_tx(st, oauth_save_write, &o, err);
}

static enum tk_rc oauth_take_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct oauth_state *o = ctx;
	return st->server->oauth_state_take(st, o->hash, o->now, o->out, err);
}

enum tk_rc auth_oauth_state_take(struct store *st, const uint8_t hash[SERVER_HASH_BYTES],
				 int64_t now, struct oauth_state_rec *r, struct tk_error *err)
{
	struct oauth_state o = {.hash = hash, .now = now, .out = r};
	return in_tx(st, oauth_take_write, &o, err);
}

struct password {
	int64_t member, at;
	const char *hash;
};

/* The action log's entry of a password set: that it changed, nothing of
 * it. */
static enum tk_rc log_password(struct store *st, int64_t member, int64_t now,
			       struct tk_error *err)
{
	struct member_rec m;
	enum tk_rc rc = st->ops->member_get_id(st, member, &m, err);
	if (rc)
		return rc;
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "member:%s", m.ext);
	json_t *after = json_pack("{s:s}", "password", "changed");
	rc = actions_record(st, now, "member.password", subject, NULL, after, err);
	json_decref(after);
	return rc;
}

static enum tk_rc password_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct password *p = ctx;
	/* a new password ends the sessions opened with the old one */
	enum tk_rc rc = st->server->password_set(st, p->member, p->hash, p->at, err);
	rc = rc ? rc : st->server->session_delete_member(st, p->member, err);
	return rc ? rc : log_password(st, p->member, p->at, err);
}

enum tk_rc auth_password_set(struct store *st, int64_t member, const char *hash, int64_t now,
			     struct tk_error *err)
{
	struct password p = {member, now, hash};
	return in_tx(st, password_write, &p, err);
}

/* The member's password, written in the transaction that adds it. */
static enum tk_rc register_password(void *ctx, struct store *st, const struct member_rec *m,
				    struct tk_error *err)
{
	const struct password *p = ctx;
	return st->server->password_set(st, m->id, p->hash, p->at, err);
}

enum tk_rc auth_member_register(struct engine *e, const char *ext, const char *invite,
				const char *name, const char *hash, int64_t now,
				struct member_rec *out, struct tk_error *err)
{
	struct password p = {0, now, hash};
	return engine_member_register_with(e, ext, invite, name, register_password, &p, out, err);
}

struct idem_write {
	const char *principal, *key;
	const struct idem_rec *rec; /* NULL: forget */
};

static enum tk_rc idem_write_fn(void *ctx, struct store *st, struct tk_error *err)
{
	const struct idem_write *w = ctx;
	return w->rec ? st->server->idem_put(st, w->principal, w->key, w->rec, err)
		      : st->server->idem_delete(st, w->principal, w->key, err);
}

enum tk_rc auth_request_save(struct store *st, const char *principal, const char *key,
			     const struct idem_rec *rec, struct tk_error *err)
{
	struct idem_write w = {principal, key, rec};
	return in_tx(st, idem_write_fn, &w, err);
}

enum tk_rc auth_request_forget(struct store *st, const char *principal, const char *key,
			       struct tk_error *err)
{
	struct idem_write w = {principal, key, NULL};
	return in_tx(st, idem_write_fn, &w, err);
}

struct purge {
	int64_t now, idem_before, changes_keep;
};

static enum tk_rc purge_write(void *ctx, struct store *st, struct tk_error *err)
{
	const struct purge *p = ctx;
	enum tk_rc rc = st->server->purge(st, p->now, p->idem_before, err);
	return rc ? rc : st->ops->changes_prune(st, p->changes_keep, err);
}

enum tk_rc auth_purge(struct store *st, int64_t now, int64_t idem_before, int64_t changes_keep,
		      struct tk_error *err)
{
	struct purge p = {now, idem_before, changes_keep};
	return in_tx(st, purge_write, &p, err);
}

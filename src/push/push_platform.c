/* push_platform.c — per-platform figures, requests and replies.  The
 * figures are the platforms' documented ones (see docs/groups.md,
 * "Platforms and limits"); where a platform documents none we use a
 * conservative one of our own and say so there. */
#include "push/push_platform.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"wecom", "dingtalk", "feishu", "telegram", "manual"};

const char *push_kind_name(enum push_kind k)
{
	return (unsigned)k <= PUSH_MANUAL ? kind_names[k] : "?";
}

bool push_kind_parse(const char *s, enum push_kind *k)
{
	for (int i = 0; i <= PUSH_MANUAL; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum push_kind)i;
			return true;
		}
	return false;
}

/* ---- limits ---- */

/* The platform's per-minute figure, 0 for manual. */
static int per_minute(enum push_kind k)
{
	switch (k) {
	case PUSH_WECOM: return 20;
	case PUSH_DINGTALK: return 20;
	case PUSH_FEISHU: return 100;
	case PUSH_TELEGRAM: return 20;
	case PUSH_MANUAL: return 0;
	}
	return 0;
}

int push_platform_limits(enum push_kind k, int rate_per_minute, struct push_limit *out)
{
	int pm = per_minute(k), n = 0;
	if (pm == 0)
		return 0;
	if (rate_per_minute > 0 && rate_per_minute < pm)
		pm = rate_per_minute;
	out[n++] = (struct push_limit){pm, 60000};
	if (k == PUSH_FEISHU)
		out[n++] = (struct push_limit){5, 1000};
	else if (k == PUSH_TELEGRAM)
		out[n++] = (struct push_limit){1, 1000};
	return n;
}

bool push_platform_bot_limit(enum push_kind k, struct push_limit *out)
{
	if (k != PUSH_TELEGRAM)
		return false;
	*out = (struct push_limit){30, 1000};
	return true;
}

enum tk_rc push_platform_check_rate(enum push_kind k, int rate_per_minute, struct tk_error *err)
{
	int pm = per_minute(k);
	if (rate_per_minute < 0 || (rate_per_minute > 0 && rate_per_minute > pm))
		return tk_fail(err, TK_EINVAL, "settings.rate_per_minute",
			       "must be 0 (the platform's rate) or 1..%d for %s, got %d", pm,
			       push_kind_name(k), rate_per_minute);
	return TK_OK;
}

static const struct push_content_limits content[] = {
	/* WeCom: text 2048, markdown 4096 bytes; news title 128, description 512 bytes */
	[PUSH_WECOM] = {2048, 4096, 128, 512, 20480, false},
	/* DingTalk documents no figures: ours, the same as WeCom's markdown */
	[PUSH_DINGTALK] = {4096, 4096, 128, 512, 20480, false},
	/* Feishu: the request body <= 20 KB; the rest is ours, to leave room */
	[PUSH_FEISHU] = {16384, 16384, 128, 4096, 20480, false},
	/* Telegram: text 4096, caption 1024 (UTF-16 units) */
	[PUSH_TELEGRAM] = {4096, 4096, 0, 1024, PUSH_BODY_MAX, true},
	[PUSH_MANUAL] = {2048, 0, 0, 0, 0, false}, /* copied by hand: plain text */
};

const struct push_content_limits *push_platform_content(enum push_kind k)
{
	return &content[(unsigned)k <= PUSH_MANUAL ? k : PUSH_MANUAL];
}

/* ---- the request ---- */

void push_message_free(struct push_message *m)
{
	free(m->body);
	m->body = NULL;
}

void push_request_free(struct push_request *r)
{
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

static void hmac_b64(const unsigned char *key, size_t klen, const unsigned char *msg, size_t mlen,
		     char *out)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, key, klen);
	crypto_auth_hmacsha256_update(&st, msg, mlen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, PUSH_SIGN_MAX, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(&st, sizeof(st));
}

void push_sign_dingtalk(const char *secret, int64_t timestamp_ms, char *out)
{
	char msg[32 + PUSH_CREDENTIAL_MAX], b64[PUSH_SIGN_MAX];
	int n = snprintf(msg, sizeof(msg), "%lld\n%s", (long long)timestamp_ms, secret);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1; /* secrets are checked to fit before this */
	hmac_b64((const unsigned char *)secret, strlen(secret), (const unsigned char *)msg,
		 (size_t)n, b64);
	sodium_memzero(msg, sizeof(msg));
	/* base64 holds A-Z a-z 0-9 + / =: the last three need escaping */
	size_t o = 0;
	for (const char *s = b64; *s && o + 4 < PUSH_SIGN_MAX; s++) {
		if (*s == '+' || *s == '/' || *s == '=')
			o += (size_t)snprintf(out + o, PUSH_SIGN_MAX - o, "%%%02X", (unsigned char)*s);
		else
			out[o++] = *s;
	}
	out[o] = '\0';
}

void push_sign_feishu(const char *secret, int64_t timestamp_s, char *out)
{
	char key[32 + PUSH_CREDENTIAL_MAX];
	int n = snprintf(key, sizeof(key), "%lld\n%s", (long long)timestamp_s, secret);
	if (n < 0 || (size_t)n >= sizeof(key))
		n = (int)sizeof(key) - 1;
	hmac_b64((const unsigned char *)key, (size_t)n, (const unsigned char *)"", 0, out);
	sodium_memzero(key, sizeof(key));
}

/* A credential goes into the URL unescaped: only characters every
 * platform's tokens use are accepted. */
static enum tk_rc check_secret(const char *s, const char *field, bool required,
			       struct tk_error *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return required ? tk_fail(err, TK_EINVAL, field, "is not set for this group") : TK_OK;
	if (n > PUSH_CREDENTIAL_MAX)
		return tk_fail(err, TK_ELIMIT, field, "is %zu bytes; the limit is %d (not shown)", n,
			       PUSH_CREDENTIAL_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == ':' ||
			  ch == '.';
		if (!ok)
			return tk_fail(err, TK_EINVAL, field,
				       "holds a character other than A-Z a-z 0-9 - _ : . at byte %zu "
				       "(the value is not shown)",
				       i);
	}
	return TK_OK;
}

static enum tk_rc check_base(const char *base, size_t *len, struct tk_error *err)
{
	size_t n = base ? strlen(base) : 0;
	if (n == 0 || n > PUSH_BASE_MAX ||
	    (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0))
		return tk_fail(err, TK_EINVAL, "base_url",
			       "must be an http:// or https:// URL of at most %d bytes, got \"%.80s\"",
			       PUSH_BASE_MAX, base ? base : "");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)base[i] <= ' ' || base[i] == '?' || base[i] == '#')
			return tk_fail(err, TK_EINVAL, "base_url",
				       "must hold no spaces, query or fragment, got \"%.80s\"", base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	*len = n;
	return TK_OK;
}

enum tk_rc push_platform_request(const struct push_message *m, const char *base,
				 const struct push_credentials *c, int64_t now_ms,
				 struct push_request *r, struct tk_error *err)
{
	enum tk_rc rc;
	size_t blen = 0;
	json_t *msg = NULL, *doc = NULL;
	char sign[PUSH_SIGN_MAX];
	const char *secret = c->sign_secret ? c->sign_secret : "";
	int n = 0;

	memset(r, 0, sizeof(*r));
	if (m->kind == PUSH_MANUAL)
		return tk_fail(err, TK_EINVAL, "kind", "a manual group is posted to by hand, not sent");
	if ((unsigned)m->kind > PUSH_MANUAL)
		return tk_fail(err, TK_EINVAL, "kind", "unknown kind %d", (int)m->kind);
	if ((rc = check_base(base, &blen, err)) ||
	    (rc = check_secret(c->credential, "credential", true, err)) ||
	    (rc = check_secret(secret, "sign_secret", false, err)))
		return rc;
	if (m->kind == PUSH_TELEGRAM && (!c->chat_id || !c->chat_id[0]))
		return tk_fail(err, TK_EINVAL, "chat_id", "is not set for this Telegram group");
	json_error_t je;
	if (!m->body || !(msg = json_loads(m->body, 0, &je)) || !json_is_object(msg)) {
		json_decref(msg);
		return tk_fail(err, TK_EINVAL, "body", "the rendered message is not a JSON object");
	}

	switch (m->kind) {
	case PUSH_WECOM:
		n = snprintf(r->url, sizeof(r->url), "%.*s/cgi-bin/webhook/send?key=%s", (int)blen,
			     base, c->credential);
		doc = json_incref(msg);
		break;
	case PUSH_DINGTALK:
		n = snprintf(r->url, sizeof(r->url), "%.*s/robot/send?access_token=%s", (int)blen,
			     base, c->credential);
		if (secret[0] && n > 0 && (size_t)n < sizeof(r->url)) {
			push_sign_dingtalk(secret, now_ms, sign);
			n += snprintf(r->url + n, sizeof(r->url) - (size_t)n, "&timestamp=%lld&sign=%s",
				      (long long)now_ms, sign);
		}
		doc = json_incref(msg);
		break;
	case PUSH_FEISHU:
		n = snprintf(r->url, sizeof(r->url), "%.*s/open-apis/bot/v2/hook/%s", (int)blen, base,
			     c->credential);
		doc = json_object();
		if (doc && secret[0]) {
			char ts[24];
			/* Feishu wants the seconds as a string, and the sign beside it */
			snprintf(ts, sizeof(ts), "%lld", (long long)(now_ms / 1000));
			push_sign_feishu(secret, now_ms / 1000, sign);
			json_object_set_new(doc, "timestamp", json_string(ts));
			json_object_set_new(doc, "sign", json_string(sign));
		}
		if (doc)
			json_object_update(doc, msg);
		break;
	case PUSH_TELEGRAM:
		if (strcmp(m->method, "sendMessage") != 0 && strcmp(m->method, "sendPhoto") != 0) {
			rc = tk_fail(err, TK_EINVAL, "method",
				     "must be sendMessage or sendPhoto, got \"%.15s\"", m->method);
			goto out;
		}
		n = snprintf(r->url, sizeof(r->url), "%.*s/bot%s/%s", (int)blen, base, c->credential,
			     m->method);
		doc = json_object();
		if (doc) {
			json_object_set_new(doc, "chat_id", json_string(c->chat_id));
			json_object_update(doc, msg);
		}
		break;
	case PUSH_MANUAL:
		break;
	}
	if (n < 0 || (size_t)n >= sizeof(r->url)) {
		rc = tk_fail(err, TK_ELIMIT, "base_url", "the request URL would exceed %d bytes",
			     PUSH_URL_MAX);
		goto out;
	}
	if (!doc || !(r->body = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	r->body_len = strlen(r->body);
	size_t max = push_platform_content(m->kind)->body;
	if (r->body_len > max) {
		rc = tk_fail(err, TK_ELIMIT, "body", "is %zu bytes; %s takes at most %zu",
			     r->body_len, push_kind_name(m->kind), max);
		goto out;
	}
	r->method = "POST";
	r->headers[r->nheaders++] = "Content-Type: application/json; charset=utf-8";
out:
	if (rc) {
		push_request_free(r);
		sodium_memzero(r->url, sizeof(r->url));
	}
	json_decref(doc);
	json_decref(msg);
	return rc;
}

/* ---- the reply ---- */

const char *push_result_name(enum push_result r)
{
	switch (r) {
	case PUSH_OK: return "ok";
	case PUSH_RETRY: return "retry";
	case PUSH_PAUSE: return "pause";
	case PUSH_FATAL: return "fatal";
	}
	return "?";
}

int64_t push_backoff_s(int attempts)
{
	int64_t s = 60;
	for (int i = 1; i < attempts && s < 3600; i++)
		s *= 2;
	return s < 3600 ? s : 3600;
}

/* Replaces every occurrence of secret in s by "***" (s only shrinks). */
static void blank_out(char *s, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	if (n == 0)
		return;
	char *p = s;
	while ((p = strstr(p, secret))) {
		if (n < 3) { /* shorter than the mark: keep the length */
			memset(p, '*', n);
			p += n;
			continue;
		}
		memmove(p + 3, p + n, strlen(p + n) + 1);
		memcpy(p, "***", 3);
		p += 3;
	}
}

/* The platform's message, credentials blanked out first (so that no part
 * of one survives a cut), control bytes made spaces, cut on a UTF-8
 * boundary to fit. */
static void set_message(struct push_outcome *o, const char *msg, const struct push_credentials *c)
{
	char *tmp = strdup(msg ? msg : "");
	if (!tmp) {
		snprintf(o->message, sizeof(o->message), "(out of memory)");
		return;
	}
	if (c) {
		blank_out(tmp, c->credential);
		blank_out(tmp, c->sign_secret);
	}
	size_t n = strlen(tmp);
	if (n >= sizeof(o->message)) {
		n = sizeof(o->message) - 1;
		while (n > 0 && ((unsigned char)tmp[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++)
		o->message[i] = (unsigned char)tmp[i] < 0x20 ? ' ' : tmp[i];
	o->message[n] = '\0';
	free(tmp);
}

static void retry(struct push_outcome *o, int attempt)
{
	o->result = PUSH_RETRY;
	o->retry_after_s = push_backoff_s(attempt);
}

static void pause_robot(struct push_outcome *o, int64_t s)
{
	if (s < 1)
		s = 1;
	if (s > 3600)
		s = 3600;
	o->result = PUSH_PAUSE;
	o->pause_robot_s = s;
	o->retry_after_s = s;
}

static void fatal(struct push_outcome *o, bool group)
{
	o->result = PUSH_FATAL;
	o->group_fatal = group;
}

/* The platform's code and message of a JSON reply, per kind; false when
 * the body holds none. */
static bool read_code(enum push_kind k, const json_t *doc, long long *code, const char **msg,
		      int64_t *retry_after)
{
	json_t *v;
	*retry_after = 0;
	switch (k) {
	case PUSH_WECOM:
	case PUSH_DINGTALK:
		v = json_object_get(doc, "errcode");
		*msg = json_string_value(json_object_get(doc, "errmsg"));
		break;
	case PUSH_FEISHU:
		v = json_object_get(doc, "code");
		*msg = json_string_value(json_object_get(doc, "msg"));
		if (!v) { /* the older reply form */
			v = json_object_get(doc, "StatusCode");
			*msg = json_string_value(json_object_get(doc, "StatusMessage"));
		}
		break;
	case PUSH_TELEGRAM:
		if (json_is_true(json_object_get(doc, "ok"))) {
			*code = 0;
			*msg = "ok";
			return true;
		}
		v = json_object_get(doc, "error_code");
		*msg = json_string_value(json_object_get(doc, "description"));
		*retry_after = json_integer_value(
			json_object_get(json_object_get(doc, "parameters"), "retry_after"));
		break;
	default:
		return false;
	}
	if (!json_is_integer(v))
		return false;
	*code = json_integer_value(v);
	return true;
}

void push_platform_reply(enum push_kind k, int http_status, const char *body, size_t len,
			 int attempt, const struct push_credentials *c, struct push_outcome *out)
{
	memset(out, 0, sizeof(*out));
	json_t *doc = body && len ? json_loadb(body, len, 0, NULL) : NULL;
	long long code = 0;
	const char *msg = NULL;
	int64_t retry_after = 0;
	bool has_code = doc && json_is_object(doc) && read_code(k, doc, &code, &msg, &retry_after);

	if (http_status == 0) {
		snprintf(out->code, sizeof(out->code), "transport");
		set_message(out, "no reply from the platform", c);
		retry(out, attempt);
		goto out;
	}
	if (has_code) {
		snprintf(out->code, sizeof(out->code), "%lld", code);
		set_message(out, msg ? msg : "", c);
	} else {
		snprintf(out->code, sizeof(out->code), "http_%d", http_status);
		char m[64];
		snprintf(m, sizeof(m), "HTTP %d without a %s reply", http_status, push_kind_name(k));
		set_message(out, m, c);
	}

	if (has_code && code == 0 && http_status >= 200 && http_status < 300) {
		out->result = PUSH_OK;
		goto out;
	}
	switch (k) {
	case PUSH_WECOM:
		if (code == 45009)
			pause_robot(out, 60);
		else if (code == 93000)
			fatal(out, true);
		break;
	case PUSH_DINGTALK:
		if (code == 130101)
			pause_robot(out, 600);
		else if (code == 310000 || code == 300001)
			fatal(out, true);
		break;
	case PUSH_FEISHU:
		if (code == 9499 || http_status == 429)
			pause_robot(out, 60);
		else if (code == 19001 || code == 19021 || code == 19024)
			fatal(out, true); /* 19001: the hook's token is unknown */
		break;
	case PUSH_TELEGRAM:
		if (code == 429 || http_status == 429)
			pause_robot(out, retry_after > 0 ? retry_after : 60);
		else if (code == 400 || code == 401 || code == 403 || code == 404 ||
			 http_status == 400 || http_status == 401 || http_status == 403 ||
			 http_status == 404)
			fatal(out, true); /* 401/404: the bot token is unknown */
		break;
	case PUSH_MANUAL:
		fatal(out, false);
		break;
	}
	if (out->result == PUSH_OK) { /* nothing above matched */
		if (!has_code && (http_status == 401 || http_status == 403 || http_status == 404))
			fatal(out, true); /* the credential or the hook is wrong */
		else
			retry(out, attempt);
	}
	/* a limit reply says nothing against the message: it is not an
	 * attempt (the pusher gives the claim's attempt back), only failures
	 * are counted towards giving up */
	if (out->result == PUSH_RETRY && attempt >= PUSH_ATTEMPTS_MAX) {
		size_t n = strlen(out->message);
		snprintf(out->message + n, sizeof(out->message) - n, " (gave up after %d attempts)",
			 attempt);
		out->result = PUSH_FATAL;
		out->retry_after_s = 0;
	}
out:
	json_decref(doc);
}

/* groups.c — chat groups, the application side (groups.h): adding a
 * member's group, its settings, credentials (taken from a pasted webhook
 * URL), state and hand-entered union tags, each in one transaction. */
#include "groups/groups.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "actions/actions.h"
#include "core/tktime.h"
#include "push/push_platform.h"
#include "push/push_settings.h"
#include "store/feed_store.h"
#include "tracking/links.h"
#include "tracking/tracking.h"

static const char *const kinds[] = {"wecom", "dingtalk", "feishu", "telegram", "manual"};

bool group_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

/* ---- settings ---- */

enum tk_rc group_settings_check(const char *kind, const char *json, struct tk_error *err)
{
	enum push_kind k;
	if (!push_kind_parse(kind, &k))
		return tk_fail(err, TK_EINVAL, "kind",
			       "must be wecom, dingtalk, feishu, telegram or manual, got \"%.32s\"",
			       kind);
	/* the pusher's own reader: what is accepted here is what it reads */
	struct push_settings *s = malloc(sizeof(*s)); /* ~70 KB: not on the stack */
	if (!s)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = push_settings_parse(json, strlen(json), s, err);
	if (!rc && k != PUSH_MANUAL) /* copied by hand: no platform's rate */
		rc = push_platform_check_rate(k, s->rate_per_minute, err);
	free(s);
	return rc;
}

/* ---- credentials ---- */

/* A credential's characters: URL-safe, no spaces or separators. */
static bool cred_chars(const char *s, size_t n, bool colon)
{
	if (!n || n > GROUP_CRED_BYTES)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || (colon && c == ':')))
			return false;
	}
	return true;
}

/* The value of query parameter `name` in a URL; NULL when absent. */
static const char *query_value(const char *url, const char *name, size_t *len)
{
	const char *q = strchr(url, '?');
	size_t nl = strlen(name);
	for (const char *p = q; p && *p; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, name, nl) == 0 && p[1 + nl] == '=') {
			const char *v = p + 2 + nl;
			*len = strcspn(v, "&#");
			return v;
		}
	}
	return NULL;
}

enum tk_rc group_credential_parse(const char *kind, const char *input,
				  char out[GROUP_CRED_MAX], struct tk_error *err)
{
	static const char *const names[] = {"WeCom webhook URL (…/webhook/send?key=KEY) or key",
					    "DingTalk robot URL (…/robot/send?access_token=T) or token",
					    "Feishu hook URL (…/hook/TOKEN) or token",
					    "Telegram bot token"};
	const char *v = input;
	size_t n = strlen(input);
	int k = strcmp(kind, "wecom") == 0      ? 0
		: strcmp(kind, "dingtalk") == 0 ? 1
		: strcmp(kind, "feishu") == 0   ? 2
		: strcmp(kind, "telegram") == 0 ? 3
						: -1;
	out[0] = '\0';
	if (k < 0)
		return tk_fail(err, TK_EINVAL, "credential", "a %s group takes no credential", kind);
	if (n > 2048)
		return tk_fail(err, TK_ELIMIT, "credential", "must be at most 2048 bytes");
	bool url = strncmp(input, "https://", 8) == 0 || strncmp(input, "http://", 7) == 0;
	if (url && k == 0)
		v = query_value(input, "key", &n);
	else if (url && k == 1)
		v = query_value(input, "access_token", &n);
	else if (url && k == 2) {
		const char *h = strstr(input, "/hook/");
		v = h ? h + 6 : NULL;
		n = v ? strcspn(v, "/?#") : 0;
	} else if (url)
		v = NULL;
	/* the message names what was expected, never what was given */
	if (!v || !cred_chars(v, n, k == 3) || (k == 3 && !memchr(v, ':', n)))
		return tk_fail(err, TK_EINVAL, "credential", "must be a %s (at most %d bytes)",
			       names[k], GROUP_CRED_BYTES);
	memcpy(out, v, n);
	out[n] = '\0';
	return TK_OK;
}

static enum tk_rc need_store(struct store *st, struct tk_error *err)
{
	return st->groups ? TK_OK
			  : tk_fail(err, TK_EINVAL, "group", "this store keeps no groups");
}

static enum tk_rc name_check(const char *name, struct tk_error *err)
{
	size_t n = strlen(name);
	if (!n || n > GROUP_NAME_BYTES) {
		tk_fail_key(err, TK_EINVAL, "name", "group.name_length",
			    "must be 1..%d bytes, got %zu", GROUP_NAME_BYTES, n);
		tk_error_int(err, "max", GROUP_NAME_BYTES);
		return TK_EINVAL;
	}
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return tk_fail_key(err, TK_EINVAL, "name", "field.control_chars",
					   "must not contain control characters");
	return TK_OK;
}

enum tk_rc groups_owner_id(struct store *st, const char *ext, int64_t *id, struct tk_error *err)
{
	struct member_rec m;
	enum tk_rc rc = st->ops->member_get(st, ext, &m, err);
	if (!rc)
		*id = m.id;
	return rc;
}

/* ---- the action log ---- */

/* A group as the action log shows it: what it is, never its settings'
 * text or credentials (a changed one is said to have changed). */
static json_t *group_summary(const struct group_rec *g)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "name", g->name, "kind", g->kind, "state",
			 g->state, "owner", g->owner_ext);
}

/* Writes the entry of a change to group g (before: NULL when new) in the
 * open transaction; `extra` (NULL: none) is added to the after side. */
static enum tk_rc log_group(struct store *st, const char *what, const struct group_rec *before,
			    const struct group_rec *g, const char *extra, int64_t now,
			    struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "group:%lld", (long long)g->id);
	json_t *b = before ? group_summary(before) : NULL;
	json_t *a = group_summary(g);
	if (a && extra)
		json_object_set_new(a, extra, json_string("changed"));
	enum tk_rc rc = actions_record(st, now, what, subject, b, a, err);
	json_decref(b);
	json_decref(a);
	return rc;
}

enum tk_rc groups_add(struct store *st, const struct group_add_req *r, int64_t now,
		      struct group_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	const char *settings = r->settings && r->settings[0] ? r->settings : "{}";
	if ((rc = need_store(st, err)))
		return rc;
	if (!group_kind_valid(r->kind))
		return tk_fail(err, TK_EINVAL, "kind",
			       "must be wecom, dingtalk, feishu, telegram or manual, got \"%.32s\"",
			       r->kind);
	if ((rc = name_check(r->name, err)) ||
	    (rc = group_settings_check(r->kind, settings, err)))
		return rc;
	int64_t max = r->max_per_owner;
	const char *conf = getenv("TUIKE_GROUPS_PER_MEMBER");
	if (max <= 0 && conf && *conf) {
		char *end;
		long long v = strtoll(conf, &end, 10);
		max = *end || v <= 0 ? 0 : v;
	}
	if (max <= 0)
		max = GROUPS_PER_OWNER_MAX;
	memset(out, 0, sizeof(*out));
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	int64_t n = 0;
	if ((rc = groups_owner_id(st, r->owner, &out->owner, err)) ||
	    (rc = st->groups->group_count_owner(st, out->owner, &n, err)))
		return store_tx_end(st, rc, err);
	if (n >= max) {
		tk_fail_key(err, TK_ELIMIT, "groups", "group.too_many",
			    "member \"%s\" has %lld groups, the most allowed", r->owner,
			    (long long)n);
		tk_error_int(err, "max", max);
		return store_tx_end(st, TK_ELIMIT, err);
	}
	snprintf(out->name, sizeof(out->name), "%s", r->name);
	snprintf(out->kind, sizeof(out->kind), "%s", r->kind);
	snprintf(out->settings, sizeof(out->settings), "%s", settings);
	out->created_at = out->updated_at = now;
	rc = st->groups->group_insert(st, out, err);
	if (!rc)
		rc = st->groups->group_get(st, out->id, out, err);
	if (!rc)
		rc = log_group(st, "group.create", NULL, out, NULL, now, err);
	return store_tx_end(st, rc, err);
}

/* Reads group id inside the open transaction, as `owner` may see it. */
static enum tk_rc visible(struct store *st, int64_t id, int64_t owner, struct group_rec *g,
			  struct tk_error *err)
{
	enum tk_rc rc = st->groups->group_get(st, id, g, err);
	if (!rc && owner && g->owner != owner)
		rc = tk_fail_key(err, TK_ENOTFOUND, "group", "group.unknown", "no group %lld",
				 (long long)id);
	return rc;
}

enum tk_rc groups_show(struct store *st, int64_t id, int64_t owner, struct group_rec *out,
		       struct tk_error *err)
{
	enum tk_rc rc = need_store(st, err);
	return rc ? rc : visible(st, id, owner, out, err);
}

enum tk_rc groups_update(struct store *st, int64_t id, int64_t owner,
			 const struct group_update_req *r, int64_t now, struct group_rec *out,
			 struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (r->name && (rc = name_check(r->name, err))))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = visible(st, id, owner, out, err)))
		return store_tx_end(st, rc, err);
	/* the settings are read for the group's kind (its rate limit) */
	if (r->settings && (rc = group_settings_check(out->kind, r->settings, err)))
		return store_tx_end(st, rc, err);
	struct group_rec *was = malloc(sizeof(*was));
	if (!was)
		return store_tx_end(st, tk_fail(err, TK_ENOMEM, "", "out of memory"), err);
	*was = *out;
	if (r->name)
		snprintf(out->name, sizeof(out->name), "%s", r->name);
	if (r->settings)
		snprintf(out->settings, sizeof(out->settings), "%s", r->settings);
	out->updated_at = now;
	rc = st->groups->group_update(st, out, err);
	if (!rc)
		rc = log_group(st, "group.update", was, out,
			       r->settings && strcmp(was->settings, out->settings) ? "settings"
										     : NULL,
			       now, err);
	free(was);
	return store_tx_end(st, rc, err);
}

enum tk_rc groups_set_state(struct store *st, int64_t id, int64_t owner, const char *action,
			    int64_t now, struct group_rec *out, int64_t *cancelled,
			    struct tk_error *err)
{
	enum tk_rc rc;
	int64_t n = 0;
	const char *to = strcmp(action, "pause") == 0	 ? "paused"
			 : strcmp(action, "resume") == 0 ? "active"
			 : strcmp(action, "archive") == 0 ? "archived"
							  : NULL;
	if (cancelled)
		*cancelled = 0;
	if ((rc = need_store(st, err)))
		return rc;
	if (!to)
		return tk_fail(err, TK_EINVAL, "action", "must be pause, resume or archive");
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = visible(st, id, owner, out, err)))
		return store_tx_end(st, rc, err);
	if (strcmp(out->state, "archived") == 0 && strcmp(to, "archived") != 0)
		return store_tx_end(st,
			      tk_fail_key(err, TK_ECONFLICT, "state", "group.archived",
					  "group %lld is archived", (long long)id),
			      err);
	char state_was[GROUP_STATE_MAX];
	snprintf(state_was, sizeof(state_was), "%s", out->state);
	snprintf(out->state, sizeof(out->state), "%s", to);
	if (strcmp(action, "resume") == 0) { /* the operator lifts a platform's pause too */
		out->paused_until = 0;
		out->pause_reason[0] = '\0';
	}
	out->updated_at = now;
	rc = st->groups->group_update(st, out, err);
	if (!rc && strcmp(to, "archived") == 0)
		rc = st->groups->job_cancel_group(st, id, "group archived", &n, err);
	if (!rc && cancelled)
		*cancelled = n;
	if (!rc) {
		char what[32], subject[ACTION_SUBJECT_MAX];
		snprintf(what, sizeof(what), "group.%s", action);
		snprintf(subject, sizeof(subject), "group:%lld", (long long)id);
		json_t *b = json_pack("{s:s}", "state", state_was);
		json_t *a = json_pack("{s:s, s:I}", "state", to, "cancelled_sends", (json_int_t)n);
		rc = actions_record(st, now, what, subject, b, a, err);
		json_decref(b);
		json_decref(a);
	}
	return store_tx_end(st, rc, err);
}

enum tk_rc groups_credentials_set(struct store *st, int64_t id, int64_t owner,
				  const struct group_creds_req *r, int64_t now,
				  struct group_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	struct group_secret sec;
	memset(&sec, 0, sizeof(sec));
	if ((rc = need_store(st, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = visible(st, id, owner, out, err)) ||
	    (rc = group_credential_parse(out->kind, r->credential ? r->credential : "",
					 sec.credential, err)))
		goto out;
	bool signs = strcmp(out->kind, "dingtalk") == 0 || strcmp(out->kind, "feishu") == 0;
	if (r->sign_secret && r->sign_secret[0]) {
		if (!signs) {
			rc = tk_fail(err, TK_EINVAL, "sign_secret", "a %s robot is not signed",
				     out->kind);
			goto out;
		}
		if (!cred_chars(r->sign_secret, strlen(r->sign_secret), false)) {
			rc = tk_fail(err, TK_EINVAL, "sign_secret",
				     "must be 1..%d letters, digits, '-', '_' or '.'",
				     GROUP_CRED_BYTES);
			goto out;
		}
		snprintf(sec.sign_secret, sizeof(sec.sign_secret), "%s", r->sign_secret);
	}
	if (strcmp(out->kind, "telegram") == 0) {
		const char *c = r->chat_id ? r->chat_id : "";
		size_t n = strlen(c);
		bool ok = n > 0 && n < GROUP_CHAT_MAX;
		for (size_t i = 0; ok && i < n; i++)
			ok = (c[i] >= '0' && c[i] <= '9') || (i == 0 && (c[i] == '-' || c[i] == '@')) ||
			     (c[0] == '@' && ((c[i] >= 'a' && c[i] <= 'z') ||
					      (c[i] >= 'A' && c[i] <= 'Z') || c[i] == '_'));
		if (!ok) {
			rc = tk_fail(err, TK_EINVAL, "chat_id",
				     "a Telegram group needs its chat id (-100… or @name)");
			goto out;
		}
		snprintf(sec.chat_id, sizeof(sec.chat_id), "%s", c);
	} else if (r->chat_id && r->chat_id[0]) {
		rc = tk_fail(err, TK_EINVAL, "chat_id", "only a Telegram group has a chat id");
		goto out;
	}
	size_t n = strlen(sec.credential);
	snprintf(sec.hint, sizeof(sec.hint), "%s", sec.credential + (n > 4 ? n - 4 : 0));
	out->updated_at = now;
	bool had = out->secret_set;
	if (!(rc = st->groups->secret_set(st, id, &sec, err)) &&
	    !(rc = st->groups->group_update(st, out, err)) &&
	    !(rc = st->groups->group_get(st, id, out, err))) {
		/* that they changed, never what they are */
		char subject[ACTION_SUBJECT_MAX];
		snprintf(subject, sizeof(subject), "group:%lld", (long long)id);
		json_t *b = json_pack("{s:s}", "credentials", had ? "set" : "none");
		json_t *a = json_pack("{s:s}", "credentials", "changed");
		rc = actions_record(st, now, "group.credentials", subject, b, a, err);
		json_decref(b);
		json_decref(a);
	}
out:
	sodium_memzero(&sec, sizeof(sec));
	return store_tx_end(st, rc, err);
}

enum tk_rc groups_tag_set(struct store *st, int64_t id, int64_t owner, const char *union_,
			  const char *kind, const char *value, int64_t now,
			  char replaced[ORDER_KEY_MAX], struct tk_error *err)
{
	struct group_rec *g = NULL;
	enum tk_rc rc;
	replaced[0] = '\0';
	if ((rc = need_store(st, err)))
		return rc;
	if (!links_tag_kind_valid(union_, kind))
		return tk_fail(err, TK_EINVAL, "kind",
			       "no %.16s tag kind \"%.32s\" (jd: subUnionId, positionId; taobao: "
			       "special_id, relation_id, adzone_id; pdd: uid, p_id)",
			       union_, kind);
	size_t n = strlen(value);
	if (!n || n >= ORDER_KEY_MAX || strcmp(value, "0") == 0)
		return tk_fail(err, TK_EINVAL, "value",
			       "must be 1..%d bytes and not \"0\" (the unions' \"none\")",
			       ORDER_KEY_MAX - 1);
	for (const unsigned char *s = (const unsigned char *)value; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return tk_fail(err, TK_EINVAL, "value", "must not contain control characters");
	if (!(g = malloc(sizeof(*g))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	rc = groups_show(st, id, owner, g, err);
	if (!rc && strcmp(g->state, "archived") == 0)
		rc = tk_fail_key(err, TK_ECONFLICT, "state", "group.archived",
				 "group %lld is archived", (long long)id);
	if (!rc)
		rc = tracking_tag_set(st, union_, kind, value, g->owner, g->channel, now, replaced,
				      err);
	free(g);
	return rc;
}

json_t *group_json(const struct group_rec *g)
{
	char created[TKTIME_BUF], updated[TKTIME_BUF];
	tktime_format_iso8601(g->created_at, TKTIME_BEIJING_OFFSET, created);
	tktime_format_iso8601(g->updated_at, TKTIME_BEIJING_OFFSET, updated);
	json_t *settings = json_loads(g->settings, 0, NULL);
	json_t *creds = json_pack("{s:b}", "set", g->secret_set);
	if (creds && g->secret_set)
		json_object_set_new(creds, "hint", json_string(g->hint));
	json_t *doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
				(json_int_t)g->id, "channel", g->channel, "owner", g->owner_ext,
				"name", g->name, "kind", g->kind, "state", g->state, "settings",
				settings ? settings : json_object(), "credentials",
				creds ? creds : json_object());
	if (!doc)
		return NULL;
	if (g->chat_id[0])
		json_object_set_new(doc, "chat_id", json_string(g->chat_id));
	if (g->paused_until) {
		char until[TKTIME_BUF];
		tktime_format_iso8601(g->paused_until, TKTIME_BEIJING_OFFSET, until);
		json_object_set_new(doc, "paused_until", json_string(until));
		json_object_set_new(doc, "pause_reason", json_string(g->pause_reason));
	}
	json_object_set_new(doc, "created_at", json_string(created));
	json_object_set_new(doc, "updated_at", json_string(updated));
	return doc;
}

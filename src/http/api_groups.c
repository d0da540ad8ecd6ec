/* api_groups.c — chat groups over the API: the operator's /api/v1/groups
 * (list, add, show, change, credentials, tags) and a member's own
 * /api/v1/me/groups.  Credentials go in and never come out: a group shows
 * {"set": true, "hint": "…a1b2"} at most. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "feeds/sync.h"
#include "groups/groups.h"
#include "http/api_handlers.h"
#include "tracking/links_convert.h"
#include "tracking/tags_register.h"

/* The "settings" object of the body as text (malloc'd), NULL when absent. */
static enum tk_rc body_settings(struct api_call *c, char **out)
{
	json_t *body, *v;
	enum tk_rc rc = api_body(c, &body);
	*out = NULL;
	if (rc)
		return rc;
	if (!(v = json_object_get(body, "settings")))
		return TK_OK;
	if (!json_is_object(v))
		return tk_fail(&c->err, TK_EINVAL, "settings", "must be an object");
	*out = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return *out ? TK_OK : tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
}

static enum tk_rc reply_group(struct api_call *c, int status, const struct group_rec *g)
{
	json_t *doc = group_json(g);
	return doc ? api_reply(c, status, doc) : tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
}

struct page {
	json_t *list;
	int n;
	int64_t last;
};

static bool page_cb(void *ctx, const struct group_rec *g)
{
	struct page *p = ctx;
	json_array_append_new(p->list, group_json(g));
	p->n++;
	p->last = g->id;
	return true;
}

/* A page of groups, newest first: owner 0 for every member's. */
static enum tk_rc list_page(struct api_call *c, int64_t owner)
{
	char sbuf[16];
	const char *state;
	int64_t before;
	int limit;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = api_query(c, "state", sbuf, sizeof(sbuf), &state)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	if (state && strcmp(state, "active") && strcmp(state, "paused") && strcmp(state, "archived"))
		return tk_fail(&c->err, TK_EINVAL, "state",
			       "must be active, paused or archived, got \"%s\"", state);
	if (!st->groups)
		return tk_fail(&c->err, TK_EINVAL, "group", "this store keeps no groups");
	struct group_filter f = {.owner = owner, .state = state, .before = before, .limit = limit};
	struct page p = {.list = json_array()};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->groups->group_list(st, &f, page_cb, &p, &c->err))) {
		json_decref(p.list);
		return rc;
	}
	char next[24];
	snprintf(next, sizeof(next), "%lld", (long long)p.last);
	return api_reply(c, 200, json_pack("{s:o, s:o}", "groups", p.list, "next",
					   p.n < limit ? json_null() : json_string(next)));
}

/* Adds a group for `owner` (an external id) from the body. */
static enum tk_rc create(struct api_call *c, const char *owner)
{
	const char *kind, *name;
	char *settings = NULL;
	enum tk_rc rc;
	if ((rc = api_body_str(c, "kind", true, GROUP_KIND_MAX - 1, &kind)) ||
	    (rc = api_body_str(c, "name", true, 4 * GROUP_NAME_BYTES, &name)) ||
	    (rc = body_settings(c, &settings)))
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g) {
		free(settings);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	struct group_add_req r = {.owner = owner, .kind = kind, .name = name, .settings = settings};
	rc = groups_add(api_store(c), &r, c->now, g, &c->err);
	if (!rc)
		rc = reply_group(c, 201, g);
	free(settings);
	free(g);
	return rc;
}

enum tk_rc h_groups_list(struct api_call *c)
{
	char mbuf[ORDER_KEY_MAX];
	const char *member;
	int64_t owner = 0;
	enum tk_rc rc;
	if ((rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)))
		return rc;
	if (member && (rc = groups_owner_id(api_store(c), member, &owner, &c->err)))
		return rc;
	return list_page(c, owner);
}

enum tk_rc h_group_create(struct api_call *c)
{
	static const char *const fields[] = {"member", "kind", "name", "settings", NULL};
	const char *member;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "member", true, ORDER_KEY_MAX - 1, &member)))
		return rc;
	return create(c, member);
}

enum tk_rc h_group_show(struct api_call *c)
{
	int64_t id;
	enum tk_rc rc = api_path_id(c, "group", &id);
	if (rc)
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = groups_show(api_store(c), id, 0, g, &c->err)))
		rc = reply_group(c, 200, g);
	free(g);
	return rc;
}

enum tk_rc h_group_update(struct api_call *c)
{
	static const char *const fields[] = {"name", "settings", "state", NULL};
	const char *name, *state;
	char *settings = NULL;
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "group", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "name", false, 4 * GROUP_NAME_BYTES, &name)) ||
	    (rc = api_body_str(c, "state", false, GROUP_STATE_MAX - 1, &state)))
		return rc;
	const char *action = !state				  ? NULL
			     : strcmp(state, "active") == 0	  ? "resume"
			     : strcmp(state, "paused") == 0	  ? "pause"
			     : strcmp(state, "archived") == 0 ? "archive"
							      : "";
	if (action && !action[0])
		return tk_fail(&c->err, TK_EINVAL, "state",
			       "must be active, paused or archived, got \"%s\"", state);
	if ((rc = body_settings(c, &settings)))
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g) {
		free(settings);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	struct store *st = api_store(c);
	if (name || settings || !action) {
		struct group_update_req r = {.name = name, .settings = settings};
		rc = groups_update(st, id, 0, &r, c->now, g, &c->err);
	}
	if (!rc && action)
		rc = groups_set_state(st, id, 0, action, c->now, g, NULL, &c->err);
	if (!rc)
		rc = reply_group(c, 200, g);
	free(settings);
	free(g);
	return rc;
}

enum tk_rc h_group_credentials(struct api_call *c)
{
	static const char *const fields[] = {"credential", "sign_secret", "chat_id", NULL};
	struct group_creds_req r = {0};
	int64_t id;
	enum tk_rc rc;
	/* lengths are checked by the groups module, which never echoes them */
	if ((rc = api_path_id(c, "group", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "credential", true, 2048, &r.credential)) ||
	    (rc = api_body_str(c, "sign_secret", false, 2048, &r.sign_secret)) ||
	    (rc = api_body_str(c, "chat_id", false, GROUP_CHAT_MAX - 1, &r.chat_id)))
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = groups_credentials_set(api_store(c), id, 0, &r, c->now, g, &c->err)))
		rc = reply_group(c, 200, g);
	free(g);
	return rc;
}

enum tk_rc h_group_tag(struct api_call *c)
{
	static const char *const fields[] = {"union", "kind", "value", NULL};
	const char *union_, *kind, *value;
	char replaced[ORDER_KEY_MAX];
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "group", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "union", true, ORDER_UNION_MAX - 1, &union_)) ||
	    (rc = api_body_str(c, "kind", true, ORDER_TAG_KIND_MAX - 1, &kind)) ||
	    (rc = api_body_str(c, "value", true, ORDER_KEY_MAX - 1, &value)))
		return rc;
	struct store *st = api_store(c);
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = groups_tag_set(st, id, 0, union_, kind, value, c->now, replaced, &c->err)) &&
	    !(rc = groups_show(st, id, 0, g, &c->err))) {
		json_t *doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "group", (json_int_t)id,
					"channel", g->channel, "member", g->owner_ext, "union",
					union_, "kind", kind, "value", value);
		if (doc && replaced[0])
			json_object_set_new(doc, "replaced_member", json_string(replaced));
		rc = api_reply(c, 201, doc);
	}
	free(g);
	return rc;
}

/* The calling member's own groups: a member session only. */
static enum tk_rc me(struct api_call *c, int64_t *owner)
{
	if (c->who.kind != PRINCIPAL_MEMBER)
		return api_deny(c, "these are a member's own groups: call this with the member's "
				   "session (operators use /api/v1/groups)");
	return groups_owner_id(api_store(c), c->who.name, owner, &c->err);
}

enum tk_rc h_me_groups_list(struct api_call *c)
{
	int64_t owner;
	enum tk_rc rc = me(c, &owner);
	return rc ? rc : list_page(c, owner);
}

enum tk_rc h_me_group_create(struct api_call *c)
{
	static const char *const fields[] = {"kind", "name", "settings", NULL};
	int64_t owner;
	enum tk_rc rc;
	if ((rc = me(c, &owner)) || (rc = api_body_only(c, fields)))
		return rc;
	return create(c, c->who.name);
}

enum tk_rc h_me_group_show(struct api_call *c)
{
	int64_t id, owner;
	enum tk_rc rc;
	if ((rc = me(c, &owner)) || (rc = api_path_id(c, "group", &id)))
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	/* another member's group is answered as absent */
	if (!(rc = groups_show(api_store(c), id, owner, g, &c->err)))
		rc = reply_group(c, 200, g);
	free(g);
	return rc;
}

enum tk_rc h_group_tag_register(struct api_call *c)
{
	static const char *const fields[] = {"union", "kind", "force", NULL};
	const char *union_, *kind;
	struct tag_reg_req req;
	struct tags_reg_outcome out;
	struct links_fault fault;
	struct links_unlock unlock;
	struct member_rec m;
	bool force;
	int64_t id;
	enum tk_rc rc;
	memset(&req, 0, sizeof(req));
	if ((rc = api_path_id(c, "group", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "union", true, ORDER_UNION_MAX - 1, &union_)) ||
	    (rc = api_body_str(c, "kind", false, sizeof(req.kind) - 1, &kind)) ||
	    (rc = api_body_bool(c, "force", false, &force)))
		return rc;
	/* Taobao registers with a member's own session: not a group's */
	if (!sync_union_parse(union_, &req.u) || req.u == SYNC_TAOBAO)
		return tk_fail(&c->err, TK_EINVAL, "union",
			       "must be jd or pdd (a group's Taobao relation_id is entered as a "
			       "tag), got \"%s\"", union_);
	if (kind && !tag_reg_kind_valid(req.u, kind))
		return tk_fail(&c->err, TK_EINVAL, "kind", "%s registers %s through its API, not "
			       "\"%s\"", union_, req.u == SYNC_JD ? "positionId" : "p_id", kind);
	struct store *st = api_store(c);
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = groups_show(st, id, 0, g, &c->err)))
		goto out;
	if (strcmp(g->state, "archived") == 0) {
		rc = tk_fail(&c->err, TK_ECONFLICT, "state", "group %lld is archived", (long long)id);
		goto out;
	}
	if ((rc = st->ops->member_get_id(st, g->owner, &m, &c->err)))
		goto out;
	if (!c->api->conv) {
		rc = tk_fail(&c->err, TK_ECONFLICT, union_,
			     "no union settings: start the server with --config PATH");
		goto out;
	}
	snprintf(req.kind, sizeof(req.kind), "%s", kind ? kind : "");
	snprintf(req.name, sizeof(req.name), "%s", g->name); /* the position is the group's */
	api_links_unlock(c, &unlock);
	rc = tags_register_channel(c->e, &c->api->conv->conf, &m, g->channel, &req, force, &unlock,
				   &out, &fault, &c->err);
	if (rc) {
		rc = api_union_fault(c, &fault, rc);
		goto out;
	}
	json_t *doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "group", (json_int_t)id,
				"channel", g->channel, "member", m.ext, "union", union_, "kind",
				out.kind, "value", out.value, "registered", out.registered);
	if (doc && out.replaced[0])
		json_object_set_new(doc, "replaced_member", json_string(out.replaced));
	rc = api_reply(c, out.registered ? 201 : 200, doc);
out:
	free(g);
	return rc;
}

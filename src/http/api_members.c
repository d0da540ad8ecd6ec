/* api_members.c — members: create, show, set level, list a team page by
 * page, and the union tags that attribute orders to them. */
#include <stdlib.h>
#include <string.h>

#include "engine/growth.h"
#include "engine/growth_json.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "tracking/links.h"
#include "tracking/tags_register.h"
#include "store/feed_store.h"
#include "store/server_store.h"
#include "tracking/tracking.h"

json_t *api_member_doc(struct api_call *c, const struct member_rec *m)
{
	struct member_rec parent;
	struct tk_error ignore;
	struct store *st = api_store(c);
	bool has_parent = m->parent && st->ops->member_get_id(st, m->parent, &parent, &ignore) ==
					       TK_OK;
	return api_json_member(m, has_parent ? parent.ext : NULL);
}

enum tk_rc h_member_create(struct api_call *c)
{
	static const char *const fields[] = {"id", "parent", "level", "name", NULL};
	const char *id, *parent, *level, *name;
	struct member_rec m;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "id", true, ORDER_KEY_MAX - 1, &id)) ||
	    (rc = api_body_str(c, "parent", false, ORDER_KEY_MAX - 1, &parent)) ||
	    (rc = api_body_str(c, "level", false, PLAN_KEY_MAX - 1, &level)) ||
	    (rc = api_body_str(c, "name", false, MEMBER_NAME_MAX - 1, &name)) ||
	    (rc = engine_member_add(c->e, id, parent, level, name, &m, &c->err)))
		return rc;
	return api_reply(c, 201, api_member_doc(c, &m));
}

enum tk_rc h_member_show(struct api_call *c)
{
	struct member_rec m;
	enum tk_rc rc = api_member_visible(c, api_param(c, 0), &m);
	return rc ? rc : api_reply(c, 200, api_member_doc(c, &m));
}

enum tk_rc h_member_level(struct api_call *c)
{
	static const char *const fields[] = {"level", NULL};
	const char *level;
	struct member_rec m;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "level", true, PLAN_KEY_MAX - 1, &level)) ||
	    (rc = engine_member_set_level(c->e, api_param(c, 0), level, &c->err)) ||
	    (rc = engine_member_get(c->e, api_param(c, 0), &m, &c->err)))
		return rc;
	return api_reply(c, 200, api_member_doc(c, &m));
}

/* ---- team pages ---- */

struct team_page {
	json_t *list;
	const char *parent_ext;
	int64_t last;
	int n;
};

static bool team_cb(void *ctx, const struct member_rec *m)
{
	struct team_page *p = ctx;
	json_array_append_new(p->list, api_json_member(m, p->parent_ext));
	p->last = m->id;
	p->n++;
	return true;
}

/* A cursor is the internal id of the last row of a page, in decimal. */
static json_t *cursor_json(int64_t last, int n, int limit)
{
	char buf[24];
	if (n < limit)
		return json_null();
	snprintf(buf, sizeof(buf), "%lld", (long long)last);
	return json_string(buf);
}

enum tk_rc h_member_team(struct api_call *c)
{
	struct member_rec m;
	int64_t after;
	int limit;
	enum tk_rc rc;
	if ((rc = api_member_visible(c, api_param(c, 0), &m)) ||
	    (rc = api_query_i64(c, "after", 0, 0, INT64_MAX, &after)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	struct team_page p = {.list = json_array(), .parent_ext = m.ext};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	struct store *st = api_store(c);
	if ((rc = st->server->team_page(st, m.id, after, limit, team_cb, &p, &c->err))) {
		json_decref(p.list);
		return rc;
	}
	return api_reply(c, 200,
			 json_pack("{s:s, s:I, s:I, s:o, s:o}", "member", m.ext, "direct_count",
				   (json_int_t)m.direct_count, "team_count",
				   (json_int_t)m.team_count, "members", p.list, "next",
				   cursor_json(p.last, p.n, limit)));
}

/* ---- search, team figures, the inviters ---- */

struct member_list {
	struct api_call *c;
	json_t *list;
	const char *stop_at; /* path: the caller, above whom a member sees nothing */
	bool done;
};

static bool member_list_cb(void *ctx, const struct member_rec *m)
{
	struct member_list *l = ctx;
	if (l->done)
		return false;
	json_array_append_new(l->list, api_member_doc(l->c, m));
	l->done = l->stop_at && strcmp(m->ext, l->stop_at) == 0;
	return !l->done;
}

enum tk_rc h_member_search(struct api_call *c)
{
	char buf[ORDER_KEY_MAX];
	const char *q;
	int limit;
	enum tk_rc rc;
	if ((rc = api_query(c, "q", buf, sizeof(buf), &q)) || (rc = api_query_limit(c, &limit)))
		return rc;
	if (!q || !*q)
		return tk_fail(&c->err, TK_EINVAL, "q",
			       "must name a member id, an invite code or part of a name");
	int64_t invite_id = 0;
	if (!engine_invite_decode(q, &invite_id))
		invite_id = 0;
	struct member_list l = {.c = c, .list = json_array()};
	if (!l.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	struct store *st = api_store(c);
	if ((rc = st->server->member_search(st, q, invite_id, limit, member_list_cb, &l, &c->err))) {
		json_decref(l.list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:s, s:o}", "query", q, "members", l.list));
}

enum tk_rc h_member_stats(struct api_call *c)
{
	struct member_rec m;
	struct team_stats *ts = calloc(1, sizeof(*ts));
	if (!ts)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = api_member_visible(c, api_param(c, 0), &m);
	if (!rc)
		rc = engine_team_stats(c->e, m.ext, ts, &c->err);
	if (!rc)
		rc = api_reply(c, 200, growth_team_stats_json(ts));
	free(ts);
	return rc;
}

/* Own only, like the money: how far a member is from the next level is
 * its figures, which its inviter sees per month on the team page anyway,
 * but the rule-by-rule view is the member's. */
enum tk_rc h_member_level_progress(struct api_call *c)
{
	struct member_rec m;
	struct level_progress *lp = calloc(1, sizeof(*lp));
	if (!lp)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = api_member_money(c, api_param(c, 0), &m);
	if (!rc)
		rc = engine_level_progress(c->e, m.ext, lp, &c->err);
	if (!rc)
		rc = api_reply(c, 200, growth_level_progress_json(lp));
	free(lp);
	return rc;
}

enum tk_rc h_member_path(struct api_call *c)
{
	struct member_rec m;
	enum tk_rc rc = api_member_visible(c, api_param(c, 0), &m);
	if (rc)
		return rc;
	/* a member sees the way up to itself, not above */
	struct member_list l = {.c = c, .list = json_array(),
				.stop_at = api_is_operator(c) ? NULL : c->who.name};
	if (!l.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = engine_member_path(c->e, m.ext, member_list_cb, &l, &c->err))) {
		json_decref(l.list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:s, s:o}", "member", m.ext, "path", l.list));
}

/* ---- union tags ---- */

static bool tag_cb(void *ctx, const char *union_, const char *kind, const char *value)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "union", union_, "kind", kind,
					     "value", value));
	return json_array_size(ctx) < 1000;
}

enum tk_rc h_member_tags(struct api_call *c)
{
	struct member_rec m;
	enum tk_rc rc = api_member_visible(c, api_param(c, 0), &m);
	if (rc)
		return rc;
	json_t *list = json_array();
	struct store *st = api_store(c);
	if (!list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->server->member_tags(st, m.id, tag_cb, list, &c->err))) {
		json_decref(list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:s, s:o}", "member", m.ext, "tags", list));
}

static enum tk_rc check_tag(struct api_call *c, const char *union_, const char *kind,
			    const char *value)
{
	if (!links_tag_kind_valid(union_, kind))
		return tk_fail(&c->err, TK_EINVAL, "kind",
			       "no %s tag kind \"%s\" (jd: subUnionId, positionId; taobao: "
			       "special_id, relation_id, adzone_id; pdd: uid, p_id)",
			       union_, kind);
	if (!*value || strlen(value) >= ORDER_KEY_MAX || strcmp(value, "0") == 0)
		return tk_fail(&c->err, TK_EINVAL, "value",
			       "must be 1..%d bytes and not \"0\" (the unions' \"none\")",
			       ORDER_KEY_MAX - 1);
	return TK_OK;
}

enum tk_rc h_tag_set(struct api_call *c)
{
	static const char *const fields[] = {"member", "union", "kind", "value", NULL};
	const char *member, *union_, *kind, *value;
	struct member_rec m;
	struct store *st = api_store(c);
	char replaced[ORDER_KEY_MAX];
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "member", true, ORDER_KEY_MAX - 1, &member)) ||
	    (rc = api_body_str(c, "union", true, ORDER_UNION_MAX - 1, &union_)) ||
	    (rc = api_body_str(c, "kind", true, TAG_KIND_MAX - 1, &kind)) ||
	    (rc = api_body_str(c, "value", true, ORDER_KEY_MAX - 1, &value)) ||
	    (rc = check_tag(c, union_, kind, value)) ||
	    (rc = engine_member_get(c->e, member, &m, &c->err)))
		return rc;
	if ((rc = tracking_tag_set(st, union_, kind, value, m.id, NULL, c->now, replaced, &c->err)))
		return rc;
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s}", "member", m.ext, "union", union_, "kind",
				kind, "value", value);
	if (doc && replaced[0])
		json_object_set_new(doc, "replaced_member", json_string(replaced));
	return api_reply(c, 200, doc);
}

enum tk_rc h_tag_delete(struct api_call *c)
{
	const char *union_ = api_param(c, 0), *kind = api_param(c, 1), *value = api_param(c, 2);
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = check_tag(c, union_, kind, value)) ||
	    (rc = tracking_tag_delete(st, union_, kind, value, &c->err)))
		return rc;
	return api_reply(c, 200, json_pack("{s:s, s:s, s:s, s:b}", "union", union_, "kind", kind,
					   "value", value, "deleted", 1));
}

enum tk_rc h_tag_register(struct api_call *c)
{
	static const char *const fields[] = {"union", "kind", "name", "session", "force", NULL};
	const char *union_, *kind, *name, *session;
	struct tag_reg_req req;
	struct tags_reg_outcome out;
	struct links_fault fault;
	struct links_unlock unlock;
	struct member_rec m;
	bool force;
	enum tk_rc rc;
	memset(&req, 0, sizeof(req));
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "union", true, ORDER_UNION_MAX - 1, &union_)) ||
	    (rc = api_body_str(c, "kind", false, sizeof(req.kind) - 1, &kind)) ||
	    (rc = api_body_str(c, "name", false, sizeof(req.name) - 1, &name)) ||
	    (rc = api_body_str(c, "session", false, sizeof(req.session) - 1, &session)) ||
	    (rc = api_body_bool(c, "force", false, &force)))
		return rc;
	if (!sync_union_parse(union_, &req.u))
		return tk_fail(&c->err, TK_EINVAL, "union", "must be jd, taobao or pdd, got \"%s\"",
			       union_);
	if (kind && !tag_reg_kind_valid(req.u, kind))
		return tk_fail(&c->err, TK_EINVAL, "kind",
			       "%s registers %s through its API, not \"%s\"", union_,
			       req.u == SYNC_JD ? "positionId" : req.u == SYNC_TAOBAO
			       ? "relation_id (a channel) or special_id (a member)" : "p_id", kind);
	/* a member registers its own tags; operators anyone's */
	if ((rc = api_member_money(c, api_param(c, 0), &m)))
		return rc;
	if (!c->api->conv)
		return tk_fail(&c->err, TK_ECONFLICT, union_,
			       "no union settings: start the server with --config PATH");
	snprintf(req.kind, sizeof(req.kind), "%s", kind ? kind : "");
	snprintf(req.name, sizeof(req.name), "%s", name ? name : "");
	snprintf(req.session, sizeof(req.session), "%s", session ? session : "");
	api_links_unlock(c, &unlock);
	rc = tags_register(c->e, &c->api->conv->conf, &m, &req, force, &unlock, &out, &fault,
			   &c->err);
	if (rc)
		return api_union_fault(c, &fault, rc);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:b}", "member", m.ext, "union", union_,
				"kind", out.kind, "value", out.value, "registered", out.registered);
	if (doc && out.account[0])
		json_object_set_new(doc, "account_name", json_string(out.account));
	if (doc && out.note[0])
		json_object_set_new(doc, "note", json_string(out.note));
	if (doc && out.replaced[0])
		json_object_set_new(doc, "replaced_member", json_string(out.replaced));
	return api_reply(c, out.registered ? 201 : 200, doc);
}

/* api_links.c — tracking links: make one for a member and a product or an
 * address, list them, show one with its click counts.  A new link is added
 * to the in-memory table the redirect reads, so it works at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api_handlers.h"
#include "http/api_json.h"
#include "tracking/link_table.h"
#include "tracking/links_convert.h"
#include "tracking/links.h"
#include "store/server_store.h"
#include "tracking/tracking.h"

/* The engine lock released around a union call: other calls go on
 * meanwhile, and what they (or other processes) changed is caught up with
 * on retaking it. */
static void lock_release(void *ctx)
{
	struct api_call *c = ctx;
	pthread_mutex_unlock(c->lock);
}

static enum tk_rc lock_retake(void *ctx, struct tk_error *err)
{
	struct api_call *c = ctx;
	pthread_mutex_lock(c->lock);
	return engine_catch_up(c->e, err);
}

void api_links_unlock(struct api_call *c, struct links_unlock *u)
{
	u->release = lock_release;
	u->retake = lock_retake;
	u->ctx = c;
}

enum tk_rc h_link_create(struct api_call *c)
{
	static const char *const fields[] = {"member", "union", "product", "url", "channel",
					     "group", "allow_host", NULL};
	struct links_fault fault = {0};
	struct links_unlock unlock;
	struct links_quota_hit hit = {0};
	struct link_request req = {.conv = c->api->conv, .fault = &fault, .unlock = &unlock,
				   .quota = &hit};
	struct member_rec m;
	struct link_rec l;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "member", api_is_operator(c), ORDER_KEY_MAX - 1, &req.member)) ||
	    (rc = api_body_str(c, "union", false, ORDER_UNION_MAX - 1, &req.union_)) ||
	    (rc = api_body_str(c, "product", false, ORDER_KEY_MAX - 1, &req.product)) ||
	    (rc = api_body_str(c, "url", false, LINK_URL_MAX, &req.url)) ||
	    (rc = api_body_str(c, "channel", false, LINK_CHANNEL_MAX, &req.channel)))
		return rc;
	/* a link for one of the member's chat groups carries the group's key */
	int64_t group;
	char group_key[32];
	if ((rc = api_body_i64(c, "group", false, 0, 1, INT64_MAX, &group)) ||
	    (rc = api_body_bool(c, "allow_host", false, &req.allow_host)))
		return rc;
	req.origin = api_is_operator(c) ? LINK_ORIGIN_OPERATOR : LINK_ORIGIN_MEMBER;
	if (req.allow_host && !api_is_operator(c))
		return api_deny(c, "allow_host is for operators: a member's links lead to the "
			       "allowed hosts only");
	if (group && req.channel)
		return tk_fail(&c->err, TK_EINVAL, "group", "give a group or a channel, not both");
	if (group) {
		snprintf(group_key, sizeof(group_key), "g%lld", (long long)group);
		req.channel = group_key;
	}
	if (!req.member)
		req.member = c->who.name; /* a member makes links for itself */
	api_links_unlock(c, &unlock);
	if ((rc = api_member_money(c, req.member, &m)))
		return rc;
	if ((rc = links_create(c->e, &req, c->now, &l, &c->err)))
		return api_link_quota(c, &hit, api_union_fault(c, &fault, rc));
	if (l.host_override) /* the operator's one-off permission, in the server's log */
		fprintf(stderr, "tuike serve: link %s by %s for %s leads to a host not allowed "
			"(allow_host): %.200s\n", l.code, c->who.name, l.member_ext, l.target);
	struct tk_error err;
	if (link_table_put(c->api->links, &l, &err)) {
		/* stored, but not served until the next start: say so loudly */
		char buf[1024];
		tk_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "tuike serve: link %s is stored but not in memory: %s\n", l.code, buf);
	}
	return api_reply(c, 201, api_json_link(&l, c->api->cfg.base_url));
}

enum tk_rc api_link_quota(struct api_call *c, const struct links_quota_hit *hit, enum tk_rc rc)
{
	if (!hit->hit)
		return rc;
	c->err_status = 429;
	c->err_code = "link_quota_exceeded";
	c->retry_after = hit->retry_after > INT32_MAX ? INT32_MAX : (int)hit->retry_after;
	return rc;
}

enum tk_rc api_union_fault(struct api_call *c, const struct links_fault *f, enum tk_rc rc)
{
	if (!f->failed)
		return rc;
	/* the union's answer, not ours: 502 with the union's code, in words */
	c->err_status = 502;
	c->err_code = f->refused ? "union_refused" : "union_unavailable";
	snprintf(c->err_union, sizeof(c->err_union), "%s", f->union_);
	snprintf(c->err_union_code, sizeof(c->err_union_code), "%s", f->code);
	return rc;
}

/* A link's document as the API shows it, with "blocked" when the redirect
 * answers 410 for it (its host is not allowed now). */
static json_t *link_json(const struct link_table *t, const struct link_rec *l, const char *base)
{
	json_t *doc = api_json_link(l, base);
	const struct link_entry *e = link_table_get(t, l->code, strlen(l->code));
	if (doc && e && e->id == l->id && atomic_load_explicit(&e->blocked, memory_order_relaxed))
		json_object_set_new(doc, "blocked", json_true());
	return doc;
}

enum tk_rc h_link_show(struct api_call *c)
{
	struct link_rec *l = malloc(sizeof(*l));
	struct member_rec m;
	struct store *st = api_store(c);
	if (!l)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = st->server->link_get(st, api_param(c, 0), l, &c->err);
	if (!rc)
		rc = api_member_visible(c, l->member_ext, &m);
	if (!rc) {
		link_table_add_live(c->api->links, l);
		rc = api_reply(c, 200, link_json(c->api->links, l, c->api->cfg.base_url));
	}
	free(l);
	return rc;
}

enum tk_rc h_link_revoke(struct api_call *c)
{
	struct link_rec *l = malloc(sizeof(*l));
	if (!l)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = tracking_link_revoke(api_store(c), api_param(c, 0),
				     api_is_operator(c) ? 0 : c->who.id, c->now, l, &c->err);
	struct tk_error err;
	if (!rc && link_table_put(c->api->links, l, &err) == TK_OK) /* stops it here at once */
		link_table_add_live(c->api->links, l);
	if (!rc)
		rc = api_reply(c, 200, api_json_link(l, c->api->cfg.base_url));
	free(l);
	return rc;
}

struct link_page {
	json_t *list;
	const struct link_table *table;
	const char *base_url;
	int64_t last;
	int n;
};

static bool link_cb(void *ctx, const struct link_rec *l)
{
	struct link_page *p = ctx;
	struct link_rec live = *l;
	link_table_add_live(p->table, &live);
	json_array_append_new(p->list, link_json(p->table, &live, p->base_url));
	p->last = l->id;
	p->n++;
	return true;
}

enum tk_rc h_link_list(struct api_call *c)
{
	char mbuf[ORDER_KEY_MAX], next[24];
	const char *member;
	int64_t before, member_id = 0;
	int limit;
	struct member_rec m;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	if (!member && !api_is_operator(c))
		member = c->who.name;
	if (member) {
		if ((rc = api_member_visible(c, member, &m)))
			return rc;
		member_id = m.id;
	}
	struct link_page p = {.list = json_array(), .table = c->api->links,
			      .base_url = c->api->cfg.base_url};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->server->link_page(st, member_id, before, limit, link_cb, &p, &c->err))) {
		json_decref(p.list);
		return rc;
	}
	snprintf(next, sizeof(next), "%lld", (long long)p.last);
	return api_reply(c, 200, json_pack("{s:o, s:o}", "links", p.list, "next",
					   p.n < limit ? json_null() : json_string(next)));
}

/* ---- where member links may lead, and how many they may make ---- */

struct host_list {
	json_t *added;
};

static bool host_doc(void *ctx, const char *domain, int64_t added_at)
{
	struct host_list *h = ctx;
	json_array_append_new(h->added, json_pack("{s:s, s:o}", "domain", domain, "added_at",
						  api_json_time(added_at)));
	return true;
}

enum tk_rc h_link_hosts(struct api_call *c)
{
	struct store *st = api_store(c);
	json_t *builtin = json_array();
	struct host_list h = {json_array()};
	enum tk_rc rc;
	if (!builtin || !h.added) {
		json_decref(builtin);
		json_decref(h.added);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	for (size_t i = 0; link_hosts_builtin[i]; i++)
		json_array_append_new(builtin, json_string(link_hosts_builtin[i]));
	if ((rc = st->server->link_host_each(st, host_doc, &h, &c->err))) {
		json_decref(builtin);
		json_decref(h.added);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:o, s:o}", "builtin", builtin, "added", h.added));
}

enum tk_rc h_link_host_add(struct api_call *c)
{
	static const char *const fields[] = {"domain", NULL};
	const char *domain;
	char norm[LINK_HOST_MAX];
	bool added;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "domain", true, LINK_HOST_MAX - 1, &domain)) ||
	    (rc = tracking_link_host_add(api_store(c), domain, c->now, norm, &added, &c->err)))
		return rc;
	return api_reply(c, 201, json_pack("{s:s, s:b, s:b}", "domain", norm, "added", added,
					   "builtin", link_host_is_builtin(norm)));
}

enum tk_rc h_link_host_remove(struct api_call *c)
{
	char norm[LINK_HOST_MAX];
	enum tk_rc rc = tracking_link_host_remove(api_store(c), api_param(c, 0), c->now, norm,
						  &c->err);
	if (rc)
		return rc;
	return api_reply(c, 200, json_pack("{s:s, s:b}", "domain", norm, "removed", true));
}

/* A member's quota with what it used of it at now. */
static enum tk_rc quota_reply(struct api_call *c, const struct member_rec *m)
{
	struct store *st = api_store(c);
	int64_t hour, day, used_hour, used_day, oldest;
	bool own;
	enum tk_rc rc;
	if ((rc = links_quota_get(st, m->id, &hour, &day, &own, &c->err)) ||
	    (rc = st->server->link_count_since(st, m->id, c->now - 3600 + 1, &used_hour, &oldest,
					       &c->err)) ||
	    (rc = st->server->link_count_since(st, m->id, c->now - 86400 + 1, &used_day, &oldest,
					       &c->err)))
		return rc;
	return api_reply(c, 200,
			 json_pack("{s:s, s:I, s:I, s:b, s:I, s:I}", "member", m->ext,
				   "links_per_hour", (json_int_t)hour, "links_per_day",
				   (json_int_t)day, "own", own, "used_hour", (json_int_t)used_hour,
				   "used_day", (json_int_t)used_day));
}

enum tk_rc h_link_quota(struct api_call *c)
{
	struct member_rec m;
	enum tk_rc rc = api_member_money(c, api_param(c, 0), &m);
	return rc ? rc : quota_reply(c, &m);
}

enum tk_rc h_link_quota_set(struct api_call *c)
{
	static const char *const fields[] = {"links_per_hour", "links_per_day", NULL};
	struct member_rec m;
	int64_t hour, day, cur_hour, cur_day;
	bool own, has_hour, has_day;
	json_t *body;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) || (rc = api_body(c, &body)) ||
	    (rc = engine_member_get(c->e, api_param(c, 0), &m, &c->err)) ||
	    (rc = links_quota_get(api_store(c), m.id, &cur_hour, &cur_day, &own, &c->err)))
		return rc;
	/* a field left out keeps its value; both 0 go back to the defaults */
	has_hour = json_object_get(body, "links_per_hour") != NULL;
	has_day = json_object_get(body, "links_per_day") != NULL;
	if (!has_hour && !has_day)
		return tk_fail(&c->err, TK_EINVAL, "links_per_day",
			       "give links_per_hour, links_per_day or both");
	if ((rc = api_body_i64(c, "links_per_hour", false, cur_hour, 0, LINK_QUOTA_MAX, &hour)) ||
	    (rc = api_body_i64(c, "links_per_day", false, cur_day, 0, LINK_QUOTA_MAX, &day)))
		return rc;
	if ((hour == 0) != (day == 0))
		return tk_fail(&c->err, TK_EINVAL, hour ? "links_per_day" : "links_per_hour",
			       "0 goes back to the defaults, and only for both");
	if ((rc = tracking_link_quota_set(api_store(c), m.id, hour, day, c->now, &c->err)))
		return rc;
	return quota_reply(c, &m);
}

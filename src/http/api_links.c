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
					     "group", NULL};
	struct links_fault fault = {0};
	struct links_unlock unlock;
	struct link_request req = {.conv = c->api->conv, .fault = &fault, .unlock = &unlock};
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
	if ((rc = api_body_i64(c, "group", false, 0, 1, INT64_MAX, &group)))
		return rc;
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
		return api_union_fault(c, &fault, rc);
	struct tk_error err;
	if (link_table_put(c->api->links, &l, &err)) {
		/* stored, but not served until the next start: say so loudly */
		char buf[1024];
		tk_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "tuike serve: link %s is stored but not in memory: %s\n", l.code, buf);
	}
	return api_reply(c, 201, api_json_link(&l, c->api->cfg.base_url));
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
		rc = api_reply(c, 200, api_json_link(l, c->api->cfg.base_url));
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
	json_array_append_new(p->list, api_json_link(&live, p->base_url));
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

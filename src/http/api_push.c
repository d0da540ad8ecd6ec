/* api_push.c — the pusher over the API: a group's queue and history, the
 * preview of what it would receive, a send now, putting an unknown or
 * failed send back, and a member's ready offers of a manual group.  Each
 * route is a thin adapter over one operation of the groups module; no
 * answer carries a credential (a preview's URL holds a placeholder). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"
#include "feeds/sync_config.h"
#include "groups/group_push.h"
#include "groups/groups.h"
#include "http/api_handlers.h"
#include "tracking/links_convert.h"

#define JOBS_PAGE_MAX 1000 /* pages of a group's jobs one may ask for */
#define JOBS_PER_PAGE_MAX 100
#define OFFERS_MAX 100     /* ready offers a member's group shows */

/* Where the group's links point: push.link_base of the server's config,
 * as the pusher has it. */
static const char *link_base(const struct api_call *c)
{
	const struct links_conv *conv = c->api->conv;
	return conv && conv->conf.push_link_base[0] ? conv->conf.push_link_base
						    : "http://127.0.0.1:8080";
}

static json_t *when(int64_t t)
{
	char buf[TKTIME_BUF];
	return t > 0 ? json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf))
		     : json_null();
}

/* A job as the queue shows it: never its body (the preview shows that),
 * times in Beijing ISO 8601 (null when not yet). */
static json_t *job_json(const struct send_job_rec *j, const char *base)
{
	char url[GROUP_PUSH_LINK_BASE_MAX + SEND_LINK_MAX + 8];
	snprintf(url, sizeof(url), "%s/s/%s", base, j->link);
	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, "
			 "s:s, s:o, s:s, s:s, s:o}",
			 "id", (json_int_t)j->id, "group", (json_int_t)j->grp, "slot", when(j->slot),
			 "due_at", when(j->due_at), "union", j->union_, "product", j->product,
			 "shop", j->shop, "category", j->category, "origin", j->origin, "state",
			 j->state, "attempts", (json_int_t)j->attempts, "next_at",
			 when(strcmp(j->state, "pending") == 0 ? j->next_at : 0), "claimed_at",
			 when(j->claimed_at), "sent_at", when(j->sent_at), "link", j->link,
			 "link_url", j->link[0] ? json_string(url) : json_null(), "code", j->code,
			 "message", j->message, "created_at", when(j->created_at));
}

/* "jd:123" of the body's "product" into union and product (NULL when
 * absent). */
static enum tk_rc body_product(struct api_call *c, char union_[ORDER_UNION_MAX],
			       const char **product)
{
	static const char *const fields[] = {"product", NULL};
	const char *v = NULL;
	enum tk_rc rc;
	*product = NULL;
	if (c->body_len == 0)
		return TK_OK; /* the body is optional */
	if ((rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "product", false, ORDER_UNION_MAX + ORDER_KEY_MAX, &v)) || !v)
		return rc;
	const char *colon = strchr(v, ':');
	if (!colon || colon == v || (size_t)(colon - v) >= ORDER_UNION_MAX || !colon[1])
		return tk_fail(&c->err, TK_EINVAL, "product", "must be UNION:ID, e.g. jd:100012, "
			       "got \"%.64s\"", v);
	snprintf(union_, ORDER_UNION_MAX, "%.*s", (int)(colon - v), v);
	*product = colon + 1;
	return TK_OK;
}

/* ---- GET /api/v1/groups/{id}/jobs ---- */

struct jobs_page {
	json_t *list;
	const char *base;
	int64_t skip, n, want;
	bool more;
};

static bool jobs_cb(void *ctx, const struct send_job_rec *j)
{
	struct jobs_page *p = ctx;
	if (p->skip > 0) {
		p->skip--;
		return true;
	}
	if (p->n == p->want) {
		p->more = true;
		return false;
	}
	json_array_append_new(p->list, job_json(j, p->base));
	p->n++;
	return true;
}

static bool job_state_valid(const char *s)
{
	static const char *const states[] = {"pending", "sending", "sent",  "failed",
					     "unknown", "ready",   "cancelled", NULL};
	for (const char *const *v = states; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

enum tk_rc h_group_jobs(struct api_call *c)
{
	char sbuf[16];
	const char *state;
	int64_t id, page, per_page;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = api_path_id(c, "group", &id)) || (rc = api_query(c, "state", sbuf, sizeof(sbuf), &state)) ||
	    (rc = api_query_i64(c, "page", 1, 1, JOBS_PAGE_MAX, &page)) ||
	    (rc = api_query_i64(c, "per_page", 20, 1, JOBS_PER_PAGE_MAX, &per_page)))
		return rc;
	if (state && !job_state_valid(state))
		return tk_fail(&c->err, TK_EINVAL, "state", "must be pending, sending, sent, failed, "
			       "unknown, ready or cancelled, got \"%s\"", state);
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = groups_show(st, id, 0, g, &c->err);
	free(g);
	if (rc)
		return rc;
	struct jobs_page p = {.list = json_array(), .base = link_base(c),
			      .skip = (page - 1) * per_page, .want = per_page};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	/* one row past the page says whether another follows */
	struct send_job_filter f = {.grp = id, .state = state, .limit = (int)(page * per_page + 1)};
	if ((rc = st->groups->job_list(st, &f, jobs_cb, &p, &c->err))) {
		json_decref(p.list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:o, s:I, s:I, s:o}", "jobs", p.list, "page",
					   (json_int_t)page, "per_page", (json_int_t)per_page,
					   "next_page",
					   p.more && page < JOBS_PAGE_MAX ? json_integer(page + 1)
									  : json_null()));
}

/* ---- GET /api/v1/groups/{id}/preview ---- */

enum tk_rc h_group_preview(struct api_call *c)
{
	char pbuf[ORDER_UNION_MAX + ORDER_KEY_MAX + 2], union_[ORDER_UNION_MAX] = "";
	char ushown[ORDER_UNION_MAX], pshown[ORDER_KEY_MAX];
	char url[PUSH_URL_MAX], link[GROUP_PUSH_LINK_BASE_MAX + 16];
	const char *pv, *product = NULL;
	int64_t id;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = api_path_id(c, "group", &id)) || (rc = api_query(c, "product", pbuf, sizeof(pbuf), &pv)))
		return rc;
	if (pv) {
		const char *colon = strchr(pv, ':');
		if (!colon || colon == pv || (size_t)(colon - pv) >= ORDER_UNION_MAX || !colon[1])
			return tk_fail(&c->err, TK_EINVAL, "product",
				       "must be UNION:ID, e.g. jd:100012, got \"%.64s\"", pv);
		snprintf(union_, sizeof(union_), "%.*s", (int)(colon - pv), pv);
		product = colon + 1;
	}
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = groups_show(st, id, 0, g, &c->err))) {
		free(g);
		return rc;
	}
	/* the link a send would make is made only when it is sent */
	snprintf(link, sizeof(link), "%s/s/PREVIEW", link_base(c));
	enum push_kind k = PUSH_MANUAL;
	push_kind_parse(g->kind, &k);
	const struct links_conv *conv = c->api->conv;
	char *body = NULL, *text = NULL;
	rc = group_push_preview(st, g, product ? union_ : NULL, product, link, c->now,
				conv && k < PUSH_MANUAL ? conv->conf.push_base[k] : "", url,
				sizeof(url), &body, &text, ushown, pshown, &c->err);
	if (!rc) {
		json_t *b = json_loads(body, 0, NULL);
		json_t *doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "group",
					(json_int_t)id, "kind", g->kind, "union", ushown, "product",
					pshown, "method", k == PUSH_MANUAL ? "" : "POST", "url",
					url[0] ? json_string(url) : json_null(), "body",
					b ? b : json_string(body), "text", text, "link", link);
		rc = api_reply(c, 200, doc);
	}
	free(body);
	free(text);
	free(g);
	return rc;
}

/* ---- POST /api/v1/groups/{id}/send, /api/v1/me/groups/{id}/send ---- */

static enum tk_rc send_now(struct api_call *c, int64_t owner)
{
	char union_[ORDER_UNION_MAX] = "";
	const char *product;
	int64_t id;
	bool created = false;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "group", &id)) || (rc = body_product(c, union_, &product)))
		return rc;
	struct send_job_rec *j = malloc(sizeof(*j));
	if (!j)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = group_push_now(api_store(c), id, owner, product ? union_ : NULL, product, c->now, j,
			    &created, &c->err);
	if (!rc) {
		json_t *doc = job_json(j, link_base(c));
		json_object_set_new(doc, "created", json_boolean(created));
		rc = api_reply(c, created ? 201 : 200, doc);
	}
	free(j);
	return rc;
}

enum tk_rc h_group_send(struct api_call *c)
{
	return send_now(c, 0);
}

/* The calling member's internal id: a member session only. */
static enum tk_rc me(struct api_call *c, const char *operators, int64_t *owner)
{
	if (c->who.kind != PRINCIPAL_MEMBER)
		return api_deny(c, "these are a member's own groups: call this with the member's "
				   "session (operators use %s)", operators);
	return groups_owner_id(api_store(c), c->who.name, owner, &c->err);
}

enum tk_rc h_me_group_send(struct api_call *c)
{
	int64_t owner;
	enum tk_rc rc = me(c, "/api/v1/groups/{id}/send", &owner);
	return rc ? rc : send_now(c, owner);
}

/* ---- POST /api/v1/jobs/{id}/requeue ---- */

enum tk_rc h_job_requeue(struct api_call *c)
{
	int64_t id;
	enum tk_rc rc = api_path_id(c, "job", &id);
	if (rc)
		return rc;
	struct send_job_rec *j = malloc(sizeof(*j));
	if (!j)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = group_push_requeue(api_store(c), id, c->now, j, &c->err)))
		rc = api_reply(c, 200, job_json(j, link_base(c)));
	free(j);
	return rc;
}

/* ---- GET /api/v1/me/groups/{id}/offers ---- */

struct offers {
	json_t *list;
	const char *base;
	int64_t since;
};

static bool offers_cb(void *ctx, const struct send_job_rec *j)
{
	struct offers *o = ctx;
	if (j->due_at < o->since)
		return true; /* an earlier day's offer: stale */
	char url[GROUP_PUSH_LINK_BASE_MAX + SEND_LINK_MAX + 8];
	snprintf(url, sizeof(url), "%s/s/%s", o->base, j->link);
	json_t *body = json_loads(j->body, 0, NULL);
	const char *text = json_string_value(json_object_get(body, "text"));
	json_array_append_new(o->list,
			      json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s}", "id",
					(json_int_t)j->id, "union", j->union_, "product", j->product,
					"due_at", when(j->due_at), "text", text ? text : "", "link",
					j->link[0] ? url : "", "code", j->link));
	json_decref(body);
	return json_array_size(o->list) < OFFERS_MAX;
}

enum tk_rc h_me_group_offers(struct api_call *c)
{
	int64_t id, owner;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = me(c, "/api/v1/groups/{id}/jobs?state=ready", &owner)) ||
	    (rc = api_path_id(c, "group", &id)))
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	/* another member's group is answered as absent */
	rc = groups_show(st, id, owner, g, &c->err);
	bool manual = !rc && strcmp(g->kind, "manual") == 0;
	free(g);
	if (rc)
		return rc;
	struct offers o = {.list = json_array(), .base = link_base(c),
			   .since = tktime_day(c->now, TKTIME_BEIJING_OFFSET) * 86400 -
				    TKTIME_BEIJING_OFFSET};
	if (!o.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	struct send_job_filter f = {.grp = id, .state = "ready", .limit = 1000};
	if (manual && (rc = st->groups->job_list(st, &f, offers_cb, &o, &c->err))) {
		json_decref(o.list);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:I, s:o}", "group", (json_int_t)id, "offers", o.list));
}

/* api_members.c — members: create, show, set level, the members list
 * (filters, sorts, cursor pages, a bounded total, CSV), a team page by
 * page, and the union tags that attribute orders to them. */
#include <stdlib.h>
#include <string.h>

#include "engine/growth.h"
#include "core/tktime.h"
#include "engine/growth_json.h"
#include "groups/group_report.h"
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

/* The members list: q (an id, invite code, id prefix or part of a name)
 * and the filters combine; the member q names exactly comes first on the
 * first page and is left out of the pages, so paging stays one keyset. */

#define MEMBER_TOTAL_CAP 10000  /* counted exactly up to here, "more" beyond */
#define MEMBER_CSV_MAX 10000    /* members in one export */
#define MEMBER_COUNT_MAX 1000000000LL
#define MEMBER_SALES_DAYS_MAX 366
#define MEMBER_SALES_MAX 100000000000000LL /* fen: a trillion yuan */

struct member_args {
	struct member_query f;
	char q[ORDER_KEY_MAX];
	char levels[MEMBER_QUERY_LEVELS * PLAN_KEY_MAX];
	int64_t exact;  /* the member q names exactly, 0: none */
	bool first;     /* no cursor: the first page */
	bool csv;
	int limit;
};

static enum tk_rc read_levels(struct api_call *c, struct member_args *a)
{
	const char *v;
	enum tk_rc rc = api_query(c, "level", a->levels, sizeof(a->levels), &v);
	if (rc || !v || !*v)
		return rc;
	for (char *p = a->levels, *end; p; p = end) {
		end = strchr(p, ',');
		if (end)
			*end++ = '\0';
		if (!*p)
			continue;
		if (strlen(p) >= PLAN_KEY_MAX)
			return tk_fail(&c->err, TK_EINVAL, "level", "a level key is at most %d bytes, "
				       "got \"%s\"", PLAN_KEY_MAX - 1, p);
		if (a->f.n_levels == MEMBER_QUERY_LEVELS)
			return tk_fail(&c->err, TK_ELIMIT, "level", "at most %d levels",
				       MEMBER_QUERY_LEVELS);
		a->f.levels[a->f.n_levels++] = p;
	}
	return TK_OK;
}

static enum tk_rc read_sort(struct api_call *c, struct member_args *a)
{
	static const char *const sorts[] = {"joined", "sales", "team", "id"};
	char buf[16];
	const char *v;
	enum tk_rc rc;
	if ((rc = api_query(c, "sort", buf, sizeof(buf), &v)))
		return rc;
	a->f.sort = MEMBER_SORT_JOINED;
	if (v) {
		int k = 0;
		while (k < 4 && strcmp(v, sorts[k]) != 0)
			k++;
		if (k == 4)
			return tk_fail(&c->err, TK_EINVAL, "sort",
				       "must be joined, sales, team or id, got \"%s\"", v);
		a->f.sort = (enum member_sort)k;
	}
	if ((rc = api_query(c, "order", buf, sizeof(buf), &v)))
		return rc;
	if (v && strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0)
		return tk_fail(&c->err, TK_EINVAL, "order", "must be asc or desc, got \"%s\"", v);
	a->f.asc = v && strcmp(v, "asc") == 0;
	return TK_OK;
}

/* A cursor is "KEY.ID" (the last row's sort key and internal id), or "0."
 * after a first page that held only the exact hit. */
static enum tk_rc read_cursor(struct api_call *c, struct member_args *a)
{
	char buf[48];
	const char *v;
	enum tk_rc rc = api_query(c, "cursor", buf, sizeof(buf), &v);
	a->first = !v;
	if (rc || !v || strcmp(v, "0.") == 0)
		return rc;
	long long key, id;
	int n = 0;
	if (sscanf(v, "%lld.%lld%n", &key, &id, &n) != 2 || (size_t)n != strlen(v) || id < 0)
		return tk_fail(&c->err, TK_EINVAL, "cursor",
			       "must be the \"next\" of an earlier page, got \"%s\"", v);
	a->f.after = true;
	a->f.after_key = key;
	a->f.after_id = id;
	return TK_OK;
}

static enum tk_rc read_member_args(struct api_call *c, struct member_args *a)
{
	char buf[ORDER_KEY_MAX], fmt[8];
	const char *q, *parent, *format;
	int64_t day_from, day_to, today = tktime_day(c->now, TKTIME_BEIJING_OFFSET);
	int y, mo, d;
	enum tk_rc rc;
	tktime_civil_from_days(today, &y, &mo, &d);
	if ((rc = api_query(c, "q", a->q, sizeof(a->q), &q)) || (rc = read_levels(c, a)) ||
	    (rc = api_query_day(c, "joined_from", 0, &day_from)) ||
	    (rc = api_query_day(c, "joined_to", 0, &day_to)) ||
	    (rc = api_query_day(c, "sales_to", today, &a->f.sales_to)) ||
	    (rc = api_query_day(c, "sales_from", tktime_days_from_civil(y, mo, 1) > a->f.sales_to
							  ? a->f.sales_to
							  : tktime_days_from_civil(y, mo, 1),
				&a->f.sales_from)) ||
	    (rc = api_query_i64(c, "sales_min", 0, 0, MEMBER_SALES_MAX, &a->f.sales_min)) ||
	    (rc = api_query_i64(c, "direct_min", 0, 0, MEMBER_COUNT_MAX, &a->f.direct_min)) ||
	    (rc = api_query_i64(c, "team_min", 0, 0, MEMBER_COUNT_MAX, &a->f.team_min)) ||
	    (rc = api_query(c, "parent", buf, sizeof(buf), &parent)) ||
	    (rc = read_sort(c, a)) || (rc = read_cursor(c, a)) || (rc = api_query_limit(c, &a->limit)) ||
	    (rc = api_query(c, "format", fmt, sizeof(fmt), &format)))
		return rc;
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return tk_fail(&c->err, TK_EINVAL, "format", "must be csv or json, got \"%s\"", format);
	a->csv = format && strcmp(format, "csv") == 0;
	if (day_from && day_to && day_from > day_to)
		return tk_fail(&c->err, TK_EINVAL, "joined_from", "must not be after joined_to");
	/* Beijing days to instants: [from 00:00, the day after to 00:00) */
	if (day_from)
		a->f.joined_from = day_from * 86400 - TKTIME_BEIJING_OFFSET;
	if (day_to)
		a->f.joined_to = (day_to + 1) * 86400 - TKTIME_BEIJING_OFFSET;
	if (a->f.sales_from > a->f.sales_to)
		return tk_fail(&c->err, TK_EINVAL, "sales_from", "must not be after sales_to");
	if (a->f.sales_to - a->f.sales_from + 1 > MEMBER_SALES_DAYS_MAX)
		return tk_fail(&c->err, TK_ELIMIT, "sales_from", "a sales period is at most %d days",
			       MEMBER_SALES_DAYS_MAX);
	struct store *st = api_store(c);
	if (parent && *parent) {
		struct member_rec p;
		if ((rc = st->ops->member_get(st, parent, &p, &c->err)))
			return rc == TK_ENOTFOUND ? tk_fail(&c->err, TK_EINVAL, "parent",
							    "no member \"%s\"", parent)
						  : rc;
		a->f.parent = p.id;
	}
	if (q && *q) {
		struct member_rec m;
		struct tk_error ignore = {0};
		a->f.q = q;
		if (!engine_invite_decode(q, &a->f.invite_id))
			a->f.invite_id = 0;
		if (st->ops->member_get(st, q, &m, &ignore) == TK_OK ||
		    (a->f.invite_id &&
		     st->ops->member_get_id(st, a->f.invite_id, &m, &ignore) == TK_OK))
			a->exact = m.id;
	}
	return TK_OK;
}

struct member_page {
	struct api_call *c;
	const struct member_query *f;
	json_t *list;
	struct group_csv *csv; /* instead of list, for an export */
	int64_t last_key, last_id;
	int n, max;    /* rows taken, and at most */
	int batch;     /* rows handed by the current call */
	bool more;     /* a row beyond max came: there is a next page */
};

static bool member_page_cb(void *ctx, const struct member_rec *m, int64_t sales)
{
	struct member_page *p = ctx;
	p->batch++;
	if (p->n >= p->max) {
		p->more = true;
		return false;
	}
	p->n++;
	p->last_key = member_query_key(p->f, m->created_at, m->team_count, m->id, sales);
	p->last_id = m->id;
	if (p->csv) {
		char code[16], fen[32], joined[32];
		struct member_rec parent;
		struct tk_error ignore;
		struct store *st = api_store(p->c);
		bool has_parent = m->parent && st->ops->member_get_id(st, m->parent, &parent,
								       &ignore) == TK_OK;
		engine_invite_code(m->id, code);
		snprintf(fen, sizeof(fen), "%lld", (long long)sales);
		tktime_format_iso8601(m->created_at, TKTIME_BEIJING_OFFSET, joined);
		char counts[64];
		snprintf(counts, sizeof(counts), ",%lld,%lld,", (long long)m->direct_count,
			 (long long)m->team_count);
		const char *cells[] = {m->ext, m->name, m->level, has_parent ? parent.ext : ""};
		for (int i = 0; i < 4; i++) {
			group_csv_text(p->csv, cells[i]);
			if (!p->csv->failed && !textbuf_append(&p->csv->b, ",", 1, GROUP_CSV_MAX))
				p->csv->failed = true;
		}
		if (!p->csv->failed &&
		    !textbuf_append(&p->csv->b, counts + 1, strlen(counts + 1), GROUP_CSV_MAX))
			p->csv->failed = true;
		const char *tail[] = {fen, code, joined};
		for (int i = 0; i < 3; i++) {
			group_csv_text(p->csv, tail[i]);
			if (!p->csv->failed &&
			    !textbuf_append(&p->csv->b, i < 2 ? "," : "\r\n", i < 2 ? 1 : 2,
					    GROUP_CSV_MAX))
				p->csv->failed = true;
		}
		return !p->csv->failed;
	}
	json_t *doc = api_member_doc(p->c, m);
	if (doc)
		json_object_set_new(doc, "sales", json_integer(sales));
	json_array_append_new(p->list, doc);
	return true;
}

static enum tk_rc members_csv(struct api_call *c, struct member_args *a, int64_t total)
{
	if (total > MEMBER_CSV_MAX)
		return tk_fail(&c->err, TK_ELIMIT, "format",
			       "a CSV export holds at most %d members and these filters match more; "
			       "narrow them", MEMBER_CSV_MAX);
	struct store *st = api_store(c);
	struct group_csv b = {0};
	static const char head[] = "id,name,level,inviter,direct,team,sales_fen,invite_code,joined\r\n";
	if (!textbuf_append(&b.b, head, sizeof(head) - 1, GROUP_CSV_MAX))
		b.failed = true;
	struct member_page p = {.c = c, .f = &a->f, .csv = &b, .max = MEMBER_CSV_MAX};
	enum tk_rc rc = TK_OK;
	a->f.after = false;
	a->f.exclude = 0;
	do { /* by keyset pages, so no statement stays open across the export */
		p.batch = 0;
		rc = st->server->member_list(st, &a->f, 500, member_page_cb, &p, &c->err);
		a->f.after = true;
		a->f.after_key = p.last_key;
		a->f.after_id = p.last_id;
	} while (!rc && !b.failed && p.batch == 500);
	if (!rc && b.failed)
		rc = tk_fail(&c->err, TK_ELIMIT, "format", "the export is larger than %u bytes; "
			     "narrow the filters", GROUP_CSV_MAX);
	if (rc) {
		textbuf_free(&b.b);
		return rc;
	}
	c->status = 200;
	c->raw_out = b.b.s;
	c->content_type = "text/csv; charset=utf-8";
	return TK_OK;
}

enum tk_rc h_member_search(struct api_call *c)
{
	struct member_args *a = calloc(1, sizeof(*a));
	if (!a)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	struct store *st = api_store(c);
	struct member_page p = {.c = c, .f = &a->f, .list = json_array()};
	int64_t total = 0;
	/* one row past the page says whether a next page exists */
	enum tk_rc rc = p.list ? read_member_args(c, a)
			       : tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!rc)
		rc = st->server->member_count(st, &a->f, a->csv ? MEMBER_CSV_MAX : MEMBER_TOTAL_CAP,
					      &total, &c->err);
	if (!rc && a->csv) {
		rc = members_csv(c, a, total);
		goto out;
	}
	p.max = a->limit;
	if (!rc && a->exact && a->first) { /* the exact hit first, if the filters keep it */
		a->f.only = a->exact;
		rc = st->server->member_list(st, &a->f, 1, member_page_cb, &p, &c->err);
		a->f.only = 0;
	}
	a->f.exclude = a->exact;
	if (!rc)
		rc = st->server->member_list(st, &a->f, a->limit - p.n + 1, member_page_cb, &p,
					     &c->err);
	if (rc)
		goto out;
	char next[48];
	if (!p.more)
		next[0] = '\0';
	else if (p.last_id == a->exact && p.n == 1)
		snprintf(next, sizeof(next), "0.");
	else
		snprintf(next, sizeof(next), "%lld.%lld", (long long)p.last_key,
			 (long long)p.last_id);
	rc = api_reply(c, 200,
		       json_pack("{s:s?, s:o, s:s?, s:I, s:b, s:o, s:o}", "query", a->f.q,
				 "members", p.list, "next", next[0] ? next : NULL, "total",
				 (json_int_t)(total > MEMBER_TOTAL_CAP ? MEMBER_TOTAL_CAP : total),
				 "total_more", total > MEMBER_TOTAL_CAP, "sales_from",
				 api_json_date(a->f.sales_from), "sales_to",
				 api_json_date(a->f.sales_to)));
	p.list = NULL;
out:
	json_decref(p.list);
	free(a);
	return rc;
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

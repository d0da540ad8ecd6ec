/* api_group_report.c — results per chat group over the API: the
 * operator's /api/v1/reports/groups (per group, day, send or owner; JSON,
 * or CSV with format=csv or Accept: text/csv), one group's results with its
 * daily series (/api/v1/groups/{id}/results) and a member's own
 * (/api/v1/me/groups/{id}/results). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"
#include "groups/group_report.h"
#include "groups/groups.h"
#include "http/api_handlers.h"

/* The range (default the 30 days to today) and N of the dormant rule. */
static enum tk_rc read_req(struct api_call *c, struct group_report_req *q)
{
	int64_t n;
	enum tk_rc rc;
	memset(q, 0, sizeof(*q));
	if ((rc = api_query_day(c, "to", tktime_day(c->now, TKTIME_BEIJING_OFFSET), &q->to)) ||
	    (rc = api_query_day(c, "from", q->to - 29, &q->from)) ||
	    (rc = group_report_range_check(q->from, q->to, &c->err)) ||
	    (rc = api_query_i64(c, "dormant_days", 0, 1, GROUP_DORMANT_DAYS_MAX, &n)))
		return rc;
	q->dormant_days = (int)n;
	return TK_OK;
}

/* Whether the caller asked for CSV: ?format=csv, or an Accept naming
 * text/csv (and no format=json). */
static enum tk_rc wants_csv(struct api_call *c, bool *csv)
{
	char buf[8];
	const char *f;
	enum tk_rc rc = api_query(c, "format", buf, sizeof(buf), &f);
	if (rc)
		return rc;
	if (f && strcmp(f, "csv") && strcmp(f, "json"))
		return tk_fail(&c->err, TK_EINVAL, "format", "must be json or csv, got \"%s\"", f);
	const char *accept = c->lookup(c->lookup_ctx, API_HEADER, "Accept");
	*csv = f ? strcmp(f, "csv") == 0 : accept && strstr(accept, "text/csv") != NULL;
	return TK_OK;
}

enum tk_rc h_report_groups(struct api_call *c)
{
	char bbuf[16], mbuf[ORDER_KEY_MAX];
	const char *by_s, *member;
	struct group_report_req q;
	enum group_report_by by = GROUP_BY_GROUP;
	bool csv = false;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = read_req(c, &q)) || (rc = api_query(c, "by", bbuf, sizeof(bbuf), &by_s)) ||
	    (rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)) ||
	    (rc = api_query_i64(c, "group", 0, 1, INT64_MAX, &q.grp)) || (rc = wants_csv(c, &csv)))
		return rc;
	if (by_s && !group_report_by_parse(by_s, &by))
		return tk_fail(&c->err, TK_EINVAL, "by", "must be group, day, send or member, got "
			       "\"%s\"", by_s);
	if (member && (rc = groups_owner_id(st, member, &q.owner, &c->err)))
		return rc;
	json_t *doc;
	char *text;
	size_t len;
	if ((rc = group_report_render(st, &q, by, csv, &doc, &text, &len, &c->err)))
		return rc;
	if (!csv)
		return api_reply(c, 200, doc);
	c->status = 200;
	c->raw_out = text;
	c->content_type = "text/csv; charset=utf-8";
	return TK_OK;
}

static enum tk_rc results(struct api_call *c, int64_t owner)
{
	struct group_report_req q;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = read_req(c, &q)) || (rc = api_path_id(c, "group", &q.grp)))
		return rc;
	q.owner = owner; /* another member's group answers as absent */
	if ((rc = group_results_json(api_store(c), &q, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_group_results(struct api_call *c)
{
	return results(c, 0);
}

enum tk_rc h_me_group_results(struct api_call *c)
{
	int64_t owner;
	enum tk_rc rc;
	if (c->who.kind != PRINCIPAL_MEMBER)
		return api_deny(c, "these are a member's own groups: call this with the member's "
				   "session (operators use /api/v1/groups/{id}/results)");
	if ((rc = groups_owner_id(api_store(c), c->who.name, &owner, &c->err)))
		return rc;
	return results(c, owner);
}

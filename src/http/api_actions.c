/* api_actions.c — the action log over the API: who acts in a call (set
 * before its handler runs, from the credential, the client's address, the
 * X-Reason header and the Idempotency-Key), and the operators' listing
 * (/api/v1/actions) and CSV export (/api/v1/actions.csv). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "auth/roles.h"
#include "core/tktime.h"
#include "groups/group_report.h"
#include "http/api_handlers.h"
#include "http/idempotency.h"
#include "http/router.h"

enum tk_rc api_actor_begin(struct api_call *c)
{
	struct action_actor a = {0};
	api_principal_text(c, a.who, sizeof(a.who));
	if (api_is_operator(c))
		snprintf(a.role, sizeof(a.role), "%s", role_name(c->who.role));
	snprintf(a.source, sizeof(a.source), "%s", c->ip ? c->ip : "");
	/* a reason is percent-decoded (a browser sends only ASCII in a
	 * header): "%25" for a literal '%' */
	const char *reason = c->lookup(c->lookup_ctx, API_HEADER, "X-Reason");
	if (reason) {
		if (!router_unescape(reason, strlen(reason), false, a.reason, sizeof(a.reason)))
			return tk_fail(&c->err, TK_EINVAL, "X-Reason",
				       "badly escaped, not UTF-8, or longer than %d bytes",
				       ACTION_REASON_LIMIT);
		enum tk_rc rc = actions_reason_check(a.reason, "X-Reason", &c->err);
		if (rc)
			return rc;
	}
	const char *key = c->lookup(c->lookup_ctx, API_HEADER, "Idempotency-Key");
	if (key && idem_key_valid(key))
		snprintf(a.request, sizeof(a.request), "%s", key);
	actions_actor_set(&a);
	return TK_OK;
}

/* The filters of a listing: days (Beijing) to unix seconds, texts exact. */
struct filter_bufs {
	char actor[ACTION_ACTOR_MAX], what[ACTION_WHAT_MAX], subject[ACTION_SUBJECT_MAX];
};

static enum tk_rc read_filter(struct api_call *c, struct action_filter *f, struct filter_bufs *b)
{
	int64_t from, to;
	enum tk_rc rc;
	memset(f, 0, sizeof(*f));
	if ((rc = api_query_day(c, "from", -1, &from)) || (rc = api_query_day(c, "to", -1, &to)) ||
	    (rc = api_query(c, "actor", b->actor, sizeof(b->actor), &f->actor)) ||
	    (rc = api_query(c, "what", b->what, sizeof(b->what), &f->what)) ||
	    (rc = api_query(c, "subject", b->subject, sizeof(b->subject), &f->subject)))
		return rc;
	if (from >= 0 && to >= 0 && to < from)
		return tk_fail_key(&c->err, TK_EINVAL, "to", "range.from_after_to",
				   "is before from");
	if (from >= 0)
		f->from = from * 86400 - TKTIME_BEIJING_OFFSET;
	if (to >= 0)
		f->to = (to + 1) * 86400 - TKTIME_BEIJING_OFFSET - 1;
	/* day 0 begins before the epoch in Beijing: "from the start" */
	if (f->from <= 0)
		f->from = from >= 0 ? 1 : 0;
	return TK_OK;
}

struct action_page {
	json_t *list;
	int64_t last;
	int n;
	bool oom;
};

static bool page_row(void *ctx, const struct action_rec *a)
{
	struct action_page *p = ctx;
	json_t *doc = actions_doc(a);
	if (!doc || json_array_append_new(p->list, doc)) {
		p->oom = true;
		return false;
	}
	p->last = a->id;
	p->n++;
	return true;
}

enum tk_rc h_actions_list(struct api_call *c)
{
	struct action_filter f;
	struct filter_bufs b;
	int limit;
	enum tk_rc rc;
	if ((rc = read_filter(c, &f, &b)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &f.before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	struct action_page p = {.list = json_array()};
	if (!p.list)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = actions_list(api_store(c), &f, limit, page_row, &p, &c->err);
	if (!rc && p.oom)
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (rc) {
		json_decref(p.list);
		return rc;
	}
	char next[24];
	snprintf(next, sizeof(next), "%lld", (long long)p.last);
	return api_reply(c, 200, json_pack("{s:o, s:s?}", "actions", p.list, "next",
					   p.n < limit ? NULL : next));
}

struct csv_walk {
	struct group_csv b;
};

/* One line per entry, until the export's byte limit (GROUP_CSV_MAX). */
static bool csv_row(void *ctx, const struct action_rec *a)
{
	struct csv_walk *w = ctx;
	actions_csv_row(&w->b, a);
	return !w->b.failed;
}

enum tk_rc h_actions_csv(struct api_call *c)
{
	struct action_filter f;
	struct filter_bufs bufs;
	enum tk_rc rc;
	if ((rc = read_filter(c, &f, &bufs)))
		return rc;
	struct csv_walk w = {0};
	actions_csv_header(&w.b);
	rc = actions_list(api_store(c), &f, 0, csv_row, &w, &c->err);
	if (!rc && w.b.failed)
		rc = tk_fail(&c->err, TK_ELIMIT, "", "the export is larger than %u bytes; "
			     "narrow it with from, to, actor, what or subject", GROUP_CSV_MAX);
	if (rc) {
		textbuf_free(&w.b.b);
		return rc;
	}
	c->status = 200;
	c->raw_out = w.b.b.s;
	c->content_type = "text/csv; charset=utf-8";
	return TK_OK;
}

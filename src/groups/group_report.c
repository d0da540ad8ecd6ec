/* group_report.c — results per chat group (group_report.h): the store's
 * figures per group and day folded into totals, the last N days, the
 * dormant flag and its suggestion, sums per owner; JSON and CSV of them. */
#include "groups/group_report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_cell.h"
#include "core/tktime.h"

int group_report_dormant_days(void)
{
	const char *v = getenv("TUIKE_GROUPS_DORMANT_DAYS");
	if (!v || !*v)
		return GROUP_DORMANT_DAYS_DEFAULT;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	return errno || *end || n < 1 || n > GROUP_DORMANT_DAYS_MAX ? GROUP_DORMANT_DAYS_DEFAULT
								       : (int)n;
}

bool group_report_parse_day(const char *s, int64_t *day)
{
	int y, m, d, n = 0;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	int64_t v = tktime_days_from_civil(y, m, d);
	int y2, m2, d2;
	tktime_civil_from_days(v, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		return false;
	*day = v;
	return true;
}

char *group_report_day_text(int64_t day, char *buf)
{
	int y, m, d;
	tktime_civil_from_days(day, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
	return buf;
}

enum tk_rc group_report_range_check(int64_t from, int64_t to, struct tk_error *err)
{
	if (from > to)
		return tk_fail_key(err, TK_EINVAL, "from", "range.from_after_to",
				   "must not be after \"to\"");
	if (to - from + 1 > GROUP_REPORT_DAYS_MAX) {
		tk_fail_key(err, TK_ELIMIT, "from", "range.too_long", "a range is at most %d days",
			    GROUP_REPORT_DAYS_MAX);
		tk_error_int(err, "max_days", GROUP_REPORT_DAYS_MAX);
		return TK_ELIMIT;
	}
	return TK_OK;
}

/* ---- running the report ---- */

/* Adds b to a; false when a sum leaves int64 (a damaged table: reported,
 * never wrapped into a plausible figure). */
static bool figures_add(struct group_figures *a, const struct group_figures *b)
{
	return !(__builtin_add_overflow(a->sends, b->sends, &a->sends) ||
		 __builtin_add_overflow(a->failures, b->failures, &a->failures) ||
		 __builtin_add_overflow(a->clicks, b->clicks, &a->clicks) ||
		 __builtin_add_overflow(a->unique_clicks, b->unique_clicks, &a->unique_clicks) ||
		 __builtin_add_overflow(a->orders, b->orders, &a->orders) ||
		 __builtin_add_overflow(a->gmv, b->gmv, &a->gmv) ||
		 __builtin_add_overflow(a->commission, b->commission, &a->commission) ||
		 __builtin_add_overflow(a->owner_share, b->owner_share, &a->owner_share));
}

struct collect {
	struct group_report *r;
	size_t cap;
	struct group_figures *older; /* per group: the N days before the recent N */
	bool nomem, overflow, too_many;
};

static bool group_cb(void *ctx, const struct group_rec *g)
{
	struct collect *c = ctx;
	struct group_report *r = c->r;
	if (r->n_groups == GROUP_REPORT_GROUPS_MAX)
		return !(c->too_many = true);
	if (r->n_groups == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct group_result *n = realloc(r->groups, cap * sizeof(*n));
		if (!n)
			return !(c->nomem = true);
		r->groups = n;
		c->cap = cap;
	}
	struct group_result *x = &r->groups[r->n_groups++];
	memset(x, 0, sizeof(*x));
	x->id = g->id;
	x->owner = g->owner;
	snprintf(x->owner_ext, sizeof(x->owner_ext), "%s", g->owner_ext);
	snprintf(x->channel, sizeof(x->channel), "%s", g->channel);
	snprintf(x->name, sizeof(x->name), "%s", g->name);
	snprintf(x->kind, sizeof(x->kind), "%s", g->kind);
	snprintf(x->state, sizeof(x->state), "%s", g->state);
	x->suggestion = "";
	return true;
}

static int by_id(const void *a, const void *b)
{
	const struct group_result *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

const struct group_result *group_report_find(const struct group_report *r, int64_t grp)
{
	struct group_result key = {.id = grp};
	return r->n_groups ? bsearch(&key, r->groups, r->n_groups, sizeof(key), by_id) : NULL;
}

static bool day_cb(void *ctx, int64_t grp, int64_t day, const struct group_figures *f)
{
	struct collect *c = ctx;
	struct group_report *r = c->r;
	struct group_result *g = (struct group_result *)group_report_find(r, grp);
	if (!g) /* a group added since the list was read */
		return true;
	int64_t n = r->dormant_days;
	bool ok = true;
	if (day >= r->from && day <= r->to) {
		if (r->n_days % 256 == 0) {
			struct group_day_row *d = realloc(r->days, (r->n_days + 256) * sizeof(*d));
			if (!d)
				return !(c->nomem = true);
			r->days = d;
		}
		struct group_day_row *d = &r->days[r->n_days++];
		d->grp = grp;
		d->day = day;
		d->f = *f;
		ok = figures_add(&g->total, f) && figures_add(&r->total, f);
	}
	if (day > r->to - n && day <= r->to)
		ok = ok && figures_add(&g->recent, f);
	else if (day > r->to - 2 * n && day <= r->to - n)
		ok = ok && figures_add(&c->older[g - r->groups], f);
	return ok || !(c->overflow = true);
}

/* The dormant rule (docs/groups.md): over the last N days, sends but no
 * click and no order is dormant; then "archive" when the N days before
 * brought no click and no order either, else "send less" when it sent at
 * least N times (once a day); clicks but no order is "change categories". */
static void judge(struct group_result *g, const struct group_figures *older, int n)
{
	const struct group_figures *f = &g->recent;
	g->dormant = f->sends > 0 && f->clicks == 0 && f->orders == 0;
	if (g->dormant && older->clicks == 0 && older->orders == 0 && older->sends > 0)
		g->suggestion = GROUP_SUGGEST_ARCHIVE;
	else if (g->dormant && f->sends >= n)
		g->suggestion = GROUP_SUGGEST_SEND_LESS;
	else if (f->sends > 0 && f->clicks > 0 && f->orders == 0)
		g->suggestion = GROUP_SUGGEST_CATEGORIES;
	else
		g->suggestion = "";
}

static int by_owner_ext(const void *a, const void *b)
{
	const struct group_member_result *x = a, *y = b;
	return strcmp(x->owner_ext, y->owner_ext);
}

static bool members_sum(struct group_report *r)
{
	r->members = calloc(r->n_groups ? r->n_groups : 1, sizeof(*r->members));
	if (!r->members)
		return false;
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct group_result *g = &r->groups[i];
		struct group_member_result *m = NULL;
		for (size_t k = 0; k < r->n_members && !m; k++) /* few owners per report */
			if (r->members[k].owner == g->owner)
				m = &r->members[k];
		if (!m) {
			m = &r->members[r->n_members++];
			m->owner = g->owner;
			snprintf(m->owner_ext, sizeof(m->owner_ext), "%s", g->owner_ext);
		}
		m->groups++;
		m->dormant_groups += g->dormant;
		if (!figures_add(&m->total, &g->total))
			return false;
	}
	qsort(r->members, r->n_members, sizeof(*r->members), by_owner_ext);
	return true;
}

enum tk_rc group_report_run(struct store *st, const struct group_report_req *q,
			    struct group_report *r, struct tk_error *err)
{
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	if (!st->groups)
		return tk_fail(err, TK_EINVAL, "group", "this store keeps no groups");
	if ((rc = group_report_range_check(q->from, q->to, err)))
		return rc;
	r->from = q->from;
	r->to = q->to;
	r->dormant_days = q->dormant_days > 0 ? q->dormant_days : group_report_dormant_days();
	if (r->dormant_days > GROUP_DORMANT_DAYS_MAX)
		return tk_fail(err, TK_EINVAL, "dormant_days", "must be 1..%d",
			       GROUP_DORMANT_DAYS_MAX);
	struct collect c = {.r = r};
	if (q->grp) {
		struct group_rec *g = malloc(sizeof(*g));
		if (!g)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		rc = st->groups->group_get(st, q->grp, g, err);
		if (!rc && q->owner && g->owner != q->owner)
			rc = tk_fail(err, TK_ENOTFOUND, "group", "no group %lld", (long long)q->grp);
		if (!rc)
			group_cb(&c, g);
		free(g);
	} else {
		struct group_filter f = {.owner = q->owner};
		rc = st->groups->group_list(st, &f, group_cb, &c, err);
	}
	if (!rc && c.too_many)
		rc = tk_fail(err, TK_ELIMIT, "groups", "a report covers at most %d groups: name a "
			     "group or a member", GROUP_REPORT_GROUPS_MAX);
	if (!rc && c.nomem)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (rc)
		goto fail;
	qsort(r->groups, r->n_groups, sizeof(*r->groups), by_id);
	if (!(c.older = calloc(r->n_groups ? r->n_groups : 1, sizeof(*c.older)))) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto fail;
	}
	/* one reading covers the range and the 2N days the dormant rule looks at */
	int64_t first = r->to - 2 * (int64_t)r->dormant_days + 1;
	if (r->from < first)
		first = r->from;
	struct group_report_filter f = {
		.from = first * 86400 - TKTIME_BEIJING_OFFSET,
		.to = (r->to + 1) * 86400 - TKTIME_BEIJING_OFFSET - 1,
		.grp = q->grp,
		.owner = q->owner,
	};
	if (first < 0)
		f.from = 0;
	if (r->n_groups)
		rc = st->groups->report_days(st, &f, day_cb, &c, err);
	if (!rc && c.nomem)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!rc && c.overflow)
		rc = tk_fail(err, TK_EIO, "groups", "the figures of the groups sum beyond the 64-bit "
			     "range");
	if (rc)
		goto fail;
	for (size_t i = 0; i < r->n_groups; i++)
		judge(&r->groups[i], &c.older[i], r->dormant_days);
	if (!members_sum(r)) {
		rc = tk_fail(err, TK_EIO, "groups", "the figures of a member's groups sum beyond the "
			     "64-bit range, or out of memory");
		goto fail;
	}
	free(c.older);
	return TK_OK;
fail:
	free(c.older);
	group_report_free(r);
	return rc;
}

void group_report_free(struct group_report *r)
{
	free(r->groups);
	free(r->days);
	free(r->members);
	r->groups = NULL;
	r->days = NULL;
	r->members = NULL;
	r->n_groups = r->n_days = r->n_members = 0;
}

void group_report_series(const struct group_report *r, int64_t grp, struct group_figures *out)
{
	memset(out, 0, (size_t)(r->to - r->from + 1) * sizeof(*out));
	for (size_t i = 0; i < r->n_days; i++)
		if (r->days[i].grp == grp)
			out[r->days[i].day - r->from] = r->days[i].f;
}

struct sends_walk {
	store_group_send_cb cb;
	void *ctx;
	size_t n, max;
	bool truncated;
};

static bool sends_cb(void *ctx, const struct group_send_rec *s)
{
	struct sends_walk *w = ctx;
	if (w->n == w->max)
		return !(w->truncated = true);
	w->n++;
	return w->cb(w->ctx, s);
}

enum tk_rc group_report_sends(struct store *st, const struct group_report_req *q, size_t max,
			      store_group_send_cb cb, void *ctx, bool *truncated,
			      struct tk_error *err)
{
	enum tk_rc rc;
	*truncated = false;
	if (!st->groups)
		return tk_fail(err, TK_EINVAL, "group", "this store keeps no groups");
	if ((rc = group_report_range_check(q->from, q->to, err)))
		return rc;
	struct group_report_filter f = {
		.from = q->from * 86400 - TKTIME_BEIJING_OFFSET,
		.to = (q->to + 1) * 86400 - TKTIME_BEIJING_OFFSET - 1,
		.grp = q->grp,
		.owner = q->owner,
	};
	struct sends_walk w = {cb, ctx, 0, max, false};
	rc = st->groups->report_sends(st, &f, sends_cb, &w, err);
	*truncated = w.truncated;
	return rc;
}

/* ---- JSON ---- */

json_t *group_figures_json(const struct group_figures *f)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "sends", (json_int_t)f->sends,
			 "failures", (json_int_t)f->failures, "clicks", (json_int_t)f->clicks,
			 "unique_clicks", (json_int_t)f->unique_clicks, "orders",
			 (json_int_t)f->orders, "gmv", (json_int_t)f->gmv, "commission",
			 (json_int_t)f->commission, "owner_share", (json_int_t)f->owner_share);
}

json_t *group_result_json(const struct group_result *g)
{
	json_t *doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)g->id,
				"channel", g->channel, "name", g->name, "owner", g->owner_ext,
				"kind", g->kind, "state", g->state);
	if (!doc)
		return NULL;
	json_object_set_new(doc, "totals", group_figures_json(&g->total));
	json_object_set_new(doc, "last_days", group_figures_json(&g->recent));
	json_object_set_new(doc, "dormant", json_boolean(g->dormant));
	json_object_set_new(doc, "suggestion",
			    g->suggestion[0] ? json_string(g->suggestion) : json_null());
	return doc;
}

json_t *group_send_json(const struct group_send_rec *s, const struct group_result *g)
{
	char at[TKTIME_BUF];
	tktime_format_iso8601(s->sent_at, TKTIME_BEIJING_OFFSET, at);
	json_t *doc = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "job", (json_int_t)s->job,
				"group", (json_int_t)s->grp, "sent_at", at, "union", s->union_,
				"product", s->product, "link", s->link);
	if (!doc)
		return NULL;
	if (g) {
		json_object_set_new(doc, "channel", json_string(g->channel));
		json_object_set_new(doc, "name", json_string(g->name));
	}
	json_t *f = group_figures_json(&s->f);
	if (f) { /* a send is one send: its own counts are the 48 hours after it */
		json_object_del(f, "sends");
		json_object_del(f, "failures");
	}
	json_object_set_new(doc, "after", f);
	return doc;
}

/* ---- CSV ---- */

static void put(struct group_csv *b, const char *s, size_t n)
{
	if (!b->failed && !textbuf_append(&b->b, s, n, GROUP_CSV_MAX))
		b->failed = true;
}

void group_csv_text(struct group_csv *b, const char *s)
{
	if (!b->failed && !csv_cell_append(&b->b, s, false, GROUP_CSV_MAX))
		b->failed = true;
}

static void sep(struct group_csv *b)
{
	put(b, ",", 1);
}

static void num(struct group_csv *b, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);
	put(b, buf, (size_t)n);
}

static void eol(struct group_csv *b)
{
	put(b, "\r\n", 2);
}

#define FIGURES_HEADER "sends,failures,clicks,unique_clicks,orders,gmv_fen,commission_fen,owner_share_fen"

static void figures(struct group_csv *b, const struct group_figures *f, bool with_sends)
{
	if (with_sends) {
		num(b, f->sends), sep(b);
		num(b, f->failures), sep(b);
	}
	num(b, f->clicks), sep(b);
	num(b, f->unique_clicks), sep(b);
	num(b, f->orders), sep(b);
	num(b, f->gmv), sep(b);
	num(b, f->commission), sep(b);
	num(b, f->owner_share);
}

void group_csv_header(struct group_csv *b, enum group_report_by by)
{
	static const char *const h[] = {
		[GROUP_BY_GROUP] = "group,channel,name,owner,kind,state," FIGURES_HEADER
				   ",dormant,suggestion",
		[GROUP_BY_DAY] = "date,group,channel,name,owner," FIGURES_HEADER,
		[GROUP_BY_SEND] = "job,group,channel,name,sent_at,union,product,link,clicks_48h,"
				  "unique_clicks_48h,orders_48h,gmv_fen_48h,commission_fen_48h,"
				  "owner_share_fen_48h",
		[GROUP_BY_MEMBER] = "member,groups,dormant_groups," FIGURES_HEADER,
	};
	put(b, h[by], strlen(h[by]));
	eol(b);
}

/* The group's columns: id, channel, name (owner too when asked). */
static void group_cols(struct group_csv *b, int64_t id, const struct group_result *g, bool owner)
{
	num(b, id), sep(b);
	group_csv_text(b, g ? g->channel : ""), sep(b);
	group_csv_text(b, g ? g->name : "");
	if (owner)
		sep(b), group_csv_text(b, g ? g->owner_ext : "");
}

void group_csv_group(struct group_csv *b, const struct group_result *g)
{
	group_cols(b, g->id, g, true), sep(b);
	group_csv_text(b, g->kind), sep(b);
	group_csv_text(b, g->state), sep(b);
	figures(b, &g->total, true), sep(b);
	put(b, g->dormant ? "yes" : "no", g->dormant ? 3 : 2), sep(b);
	group_csv_text(b, g->suggestion);
	eol(b);
}

void group_csv_day(struct group_csv *b, const struct group_day_row *d, const struct group_result *g)
{
	char day[16];
	group_csv_text(b, group_report_day_text(d->day, day)), sep(b);
	group_cols(b, d->grp, g, true), sep(b);
	figures(b, &d->f, true);
	eol(b);
}

void group_csv_send(struct group_csv *b, const struct group_send_rec *s, const struct group_result *g)
{
	char at[TKTIME_BUF];
	num(b, s->job), sep(b);
	group_cols(b, s->grp, g, false), sep(b);
	group_csv_text(b, tktime_format_iso8601(s->sent_at, TKTIME_BEIJING_OFFSET, at)), sep(b);
	group_csv_text(b, s->union_), sep(b);
	group_csv_text(b, s->product), sep(b);
	group_csv_text(b, s->link), sep(b);
	figures(b, &s->f, false);
	eol(b);
}

void group_csv_member(struct group_csv *b, const struct group_member_result *m)
{
	group_csv_text(b, m->owner_ext), sep(b);
	num(b, m->groups), sep(b);
	num(b, m->dormant_groups), sep(b);
	figures(b, &m->total, true);
	eol(b);
}

static const char *const by_names[] = {"group", "day", "send", "member"};

bool group_report_by_parse(const char *s, enum group_report_by *by)
{
	for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (strcmp(s, by_names[i]) == 0) {
			*by = (enum group_report_by)i;
			return true;
		}
	return false;
}

const char *group_report_by_name(enum group_report_by by)
{
	return by_names[by];
}

/* ---- whole answers ---- */

static json_t *figures_into(json_t *doc, const struct group_figures *f, bool with_sends)
{
	json_t *x = group_figures_json(f);
	if (x && !with_sends) {
		json_object_del(x, "sends");
		json_object_del(x, "failures");
	}
	if (doc && x)
		json_object_update(doc, x);
	json_decref(x);
	return doc;
}

struct send_out {
	const struct group_report *r;
	json_t *list;       /* JSON, or */
	struct group_csv *csv;
};

static bool send_out_cb(void *ctx, const struct group_send_rec *s)
{
	struct send_out *o = ctx;
	const struct group_result *g = group_report_find(o->r, s->grp);
	if (o->csv)
		group_csv_send(o->csv, s, g);
	else
		json_array_append_new(o->list, group_send_json(s, g));
	return !(o->csv && o->csv->failed);
}

enum tk_rc group_report_render(struct store *st, const struct group_report_req *q,
			       enum group_report_by by, bool csv, json_t **doc, char **text,
			       size_t *len, struct tk_error *err)
{
	struct group_report r;
	struct group_csv b = {0};
	bool truncated = false;
	char d1[16], d2[16];
	enum tk_rc rc = group_report_run(st, q, &r, err);
	*doc = NULL;
	*text = NULL;
	*len = 0;
	if (rc)
		return rc;
	json_t *list = csv ? NULL : json_array();
	if (csv)
		group_csv_header(&b, by);
	switch (by) {
	case GROUP_BY_GROUP:
		for (size_t i = 0; i < r.n_groups; i++)
			if (csv)
				group_csv_group(&b, &r.groups[i]);
			else
				json_array_append_new(list, group_result_json(&r.groups[i]));
		break;
	case GROUP_BY_DAY:
		for (size_t i = 0; i < r.n_days; i++) {
			const struct group_day_row *d = &r.days[i];
			const struct group_result *g = group_report_find(&r, d->grp);
			if (csv) {
				group_csv_day(&b, d, g);
				continue;
			}
			json_t *row = json_pack("{s:s, s:I, s:s, s:s, s:s}", "date",
						group_report_day_text(d->day, d1), "group",
						(json_int_t)d->grp, "channel", g->channel, "name",
						g->name, "owner", g->owner_ext);
			json_array_append_new(list, figures_into(row, &d->f, true));
		}
		break;
	case GROUP_BY_SEND: {
		struct send_out o = {&r, list, csv ? &b : NULL};
		rc = group_report_sends(st, q, GROUP_REPORT_SENDS_MAX, send_out_cb, &o, &truncated,
					err);
		break;
	}
	case GROUP_BY_MEMBER:
		for (size_t i = 0; i < r.n_members; i++) {
			const struct group_member_result *m = &r.members[i];
			if (csv) {
				group_csv_member(&b, m);
				continue;
			}
			json_t *row = json_pack("{s:s, s:I, s:I}", "member", m->owner_ext, "groups",
						(json_int_t)m->groups, "dormant_groups",
						(json_int_t)m->dormant_groups);
			json_array_append_new(list, figures_into(row, &m->total, true));
		}
		break;
	}
	if (!rc && csv && b.failed)
		rc = tk_fail(err, TK_ELIMIT, "csv", "an export is at most %u MB: ask for a shorter "
			     "range or fewer groups", GROUP_CSV_MAX >> 20);
	if (!rc && csv) {
		*text = b.b.s ? b.b.s : strdup("");
		*len = b.b.len;
		b.b.s = NULL;
		if (!*text)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	} else if (!rc) {
		static const char *const keys[] = {"groups", "days", "sends", "members"};
		*doc = json_pack("{s:s, s:s, s:s, s:i, s:o, s:o}", "from",
				 group_report_day_text(r.from, d1), "to",
				 group_report_day_text(r.to, d2), "by", group_report_by_name(by),
				 "dormant_days", r.dormant_days, "totals",
				 group_figures_json(&r.total), keys[by], list);
		list = NULL;
		if (*doc && by == GROUP_BY_SEND)
			json_object_set_new(*doc, "truncated", json_boolean(truncated));
		if (!*doc)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	json_decref(list);
	textbuf_free(&b.b);
	group_report_free(&r);
	return rc;
}

struct newest {
	struct group_send_rec *ring; /* the newest GROUP_RESULTS_SENDS, in a ring */
	size_t n;
};

static bool newest_cb(void *ctx, const struct group_send_rec *s)
{
	struct newest *w = ctx;
	w->ring[w->n++ % GROUP_RESULTS_SENDS] = *s;
	return true;
}

enum tk_rc group_results_json(struct store *st, const struct group_report_req *q, json_t **doc,
			      struct tk_error *err)
{
	struct group_report r;
	bool truncated;
	char day[16];
	*doc = NULL;
	if (q->grp <= 0)
		return tk_fail(err, TK_EINVAL, "group", "name one group");
	enum tk_rc rc = group_report_run(st, q, &r, err);
	if (rc)
		return rc;
	size_t n_days = (size_t)(r.to - r.from + 1);
	struct group_figures *series = calloc(n_days, sizeof(*series));
	struct newest w = {calloc(GROUP_RESULTS_SENDS, sizeof(*w.ring)), 0};
	if (!series || !w.ring) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	/* sends are by time: the newest come last, kept in the ring */
	if ((rc = group_report_sends(st, q, SIZE_MAX, newest_cb, &w, &truncated, err)))
		goto out;
	group_report_series(&r, q->grp, series);
	json_t *days = json_array(), *sends = json_array();
	for (size_t i = 0; days && i < n_days; i++) {
		json_t *row = json_pack("{s:s}", "date", group_report_day_text(r.from + (int64_t)i, day));
		json_array_append_new(days, figures_into(row, &series[i], true));
	}
	size_t kept = w.n < GROUP_RESULTS_SENDS ? w.n : GROUP_RESULTS_SENDS;
	for (size_t i = 0; sends && i < kept; i++) /* newest first */
		json_array_append_new(sends, group_send_json(&w.ring[(w.n - 1 - i) % GROUP_RESULTS_SENDS],
							     NULL));
	char d1[16], d2[16];
	*doc = json_pack("{s:o, s:s, s:s, s:i, s:o, s:o, s:I}", "group",
			 group_result_json(&r.groups[0]), "from", group_report_day_text(r.from, d1),
			 "to", group_report_day_text(r.to, d2), "dormant_days", r.dormant_days,
			 "days", days, "sends", sends, "sends_in_range", (json_int_t)w.n);
	if (!*doc)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
out:
	free(series);
	free(w.ring);
	group_report_free(&r);
	return rc;
}

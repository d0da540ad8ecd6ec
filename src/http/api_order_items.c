/* api_order_items.c — the orders list: order items filtered by paid day,
 * union, status, sharer, attribution and chat group, sorted and paged by a
 * cursor, or exported as CSV.  Operators see every item; a member sees the
 * items that pay it (its own and its team's), with its own share only. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_cell.h"
#include "core/textbuf.h"
#include "core/tktime.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "store/group_store.h"

#define ORDER_ITEMS_RANGE_MAX 366   /* days one query may span */
#define ORDER_ITEMS_CSV_ROWS 10000  /* items one export may hold */
#define ORDER_ITEMS_CSV_BYTES (16u << 20)
#define LIST_PARAM_MAX 128          /* bytes of a comma list (status, attribution) */

static const char *const unions[] = {"jd", "taobao", "pdd", "own", NULL};
static const char *const attributions[] = {"none", "self_purchase", "binding", "link", "tag",
					   NULL};
static const char *const sorts[] = {"paid_at", "amount", "commission", NULL};

static int name_index(const char *const *names, const char *s, size_t n)
{
	for (int k = 0; names[k]; k++)
		if (strlen(names[k]) == n && strncmp(names[k], s, n) == 0)
			return k;
	return -1;
}

/* "paid,settled" into a bit mask; names[] when given, else order statuses. */
static enum tk_rc read_mask(struct api_call *c, const char *field, const char *const *names,
			    const char *help, unsigned *mask)
{
	char buf[LIST_PARAM_MAX];
	const char *s;
	enum tk_rc rc = api_query(c, field, buf, sizeof(buf), &s);
	*mask = 0;
	if (rc || !s || !*s)
		return rc;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ",");
		char one[32];
		int k = -1;
		if (n > 0 && n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			enum order_status os;
			if (names)
				k = name_index(names, one, n);
			else if (order_status_parse(one, &os))
				k = (int)os;
		}
		if (k < 0)
			return tk_fail(&c->err, TK_EINVAL, field, "must be %s, got \"%.*s\"", help,
				       (int)n, p);
		*mask |= 1u << k;
		p += n;
		if (*p == ',')
			p++;
	}
	return TK_OK;
}

/* The cursor "KEY_ID" (the last row's sort key and id). */
static bool cursor_parse(const char *s, int64_t *key, int64_t *id)
{
	char *end;
	long long k = strtoll(s, &end, 10);
	if (end == s || *end != '_')
		return false;
	const char *t = end + 1;
	long long i = strtoll(t, &end, 10);
	if (end == t || *end || i <= 0)
		return false;
	*key = k;
	*id = i;
	return true;
}

/* product=UNION:ID (or a bare ID, of any union; with union=, of that one). */
static enum tk_rc read_product(struct api_call *c, struct item_query *q)
{
	char buf[ORDER_UNION_MAX + ORDER_KEY_MAX];
	const char *s;
	enum tk_rc rc = api_query(c, "product", buf, sizeof(buf), &s);
	if (rc || !s || !*s)
		return rc;
	const char *colon = strchr(s, ':');
	if (colon) {
		if (name_index(unions, s, (size_t)(colon - s)) < 0)
			return tk_fail(&c->err, TK_EINVAL, "product",
				       "must be UNION:ID with jd, taobao, pdd or own, got \"%s\"", s);
		if (q->union_[0] && strncmp(q->union_, s, (size_t)(colon - s)))
			return tk_fail(&c->err, TK_EINVAL, "product",
				       "names another union than union=%s: \"%s\"", q->union_, s);
		snprintf(q->union_, sizeof(q->union_), "%.*s", (int)(colon - s), s);
		s = colon + 1;
	}
	if (!*s || strlen(s) >= sizeof(q->product))
		return tk_fail(&c->err, TK_EINVAL, "product", "must be a product id of at most %zu "
			       "bytes", sizeof(q->product) - 1);
	snprintf(q->product, sizeof(q->product), "%s", s);
	return TK_OK;
}

struct list_req {
	struct item_query q;
	bool csv;
	bool member_view; /* a member session: its own share, only its items */
	int64_t from_day, to_day;
	bool ranged;
};

static enum tk_rc read_req(struct api_call *c, struct list_req *r)
{
	char ubuf[ORDER_UNION_MAX + 8], mbuf[ORDER_KEY_MAX], sbuf[16], obuf[8], cbuf[48],
		fbuf[8];
	const char *u, *member, *sort, *order, *cursor, *fmt, *probe;
	int64_t group, today = tktime_day(c->now, TKTIME_BEIJING_OFFSET);
	struct item_query *q = &r->q;
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	/* no dates: every item, the unpaid too; one date: the other as in the reports */
	if ((rc = api_query(c, "from", cbuf, sizeof(cbuf), &probe)))
		return rc;
	r->ranged = probe && *probe;
	if ((rc = api_query(c, "to", cbuf, sizeof(cbuf), &probe)))
		return rc;
	r->ranged = r->ranged || (probe && *probe);
	if ((rc = api_query_day(c, "to", today, &r->to_day)) ||
	    (rc = api_query_day(c, "from", r->to_day - 29, &r->from_day)))
		return rc;
	if (r->ranged) {
		if (r->from_day > r->to_day)
			return tk_fail(&c->err, TK_EINVAL, "from", "must not be after to");
		if (r->to_day - r->from_day + 1 > ORDER_ITEMS_RANGE_MAX)
			return tk_fail(&c->err, TK_ELIMIT, "from",
				       "the range spans %" PRId64 " days; at most %d",
				       r->to_day - r->from_day + 1, ORDER_ITEMS_RANGE_MAX);
		q->paid_from = r->from_day * 86400 - TKTIME_BEIJING_OFFSET;
		q->paid_to = (r->to_day + 1) * 86400 - TKTIME_BEIJING_OFFSET;
	}
	if ((rc = api_query(c, "union", ubuf, sizeof(ubuf), &u)))
		return rc;
	if (u && *u) {
		if (name_index(unions, u, strlen(u)) < 0)
			return tk_fail(&c->err, TK_EINVAL, "union",
				       "must be jd, taobao, pdd or own, got \"%s\"", u);
		snprintf(q->union_, sizeof(q->union_), "%s", u);
	}
	if ((rc = read_mask(c, "status", NULL, "unpaid, paid, received, settled or invalid",
			    &q->status_mask)) ||
	    (rc = read_mask(c, "attribution", attributions,
			    "none, self_purchase, binding, link or tag", &q->attribution_mask)))
		return rc;
	if ((rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)))
		return rc;
	if (member && *member) {
		struct member_rec m;
		struct store *st = api_store(c);
		if ((rc = st->ops->member_get(st, member, &m, &c->err))) {
			if (rc == TK_ENOTFOUND)
				return tk_fail(&c->err, TK_ENOTFOUND, "member", "no member \"%s\"",
					       member);
			return rc;
		}
		q->sharer = m.id;
	}
	if ((rc = read_product(c, q)) || (rc = api_query_i64(c, "group", 0, 1, INT64_MAX, &group)))
		return rc;
	if (group) {
		/* the group's own channel key (items carry it), and a group that
		 * does not exist is refused rather than listed as empty */
		struct group_rec g;
		struct store *st = api_store(c);
		if (!st->groups)
			return tk_fail(&c->err, TK_ENOTFOUND, "group", "no group %" PRId64, group);
		if ((rc = st->groups->group_get(st, group, &g, &c->err))) {
			if (rc == TK_ENOTFOUND)
				return tk_fail(&c->err, TK_ENOTFOUND, "group", "no group %" PRId64,
					       group);
			return rc;
		}
		snprintf(q->channel, sizeof(q->channel), "%s", g.channel);
	}
	if ((rc = api_query(c, "sort", sbuf, sizeof(sbuf), &sort)) ||
	    (rc = api_query(c, "dir", obuf, sizeof(obuf), &order)))
		return rc;
	if (sort && *sort) {
		int k = name_index(sorts, sort, strlen(sort));
		if (k < 0)
			return tk_fail(&c->err, TK_EINVAL, "sort",
				       "must be paid_at, amount or commission, got \"%s\"", sort);
		q->sort = (enum item_sort)k;
	}
	if (order && *order && strcmp(order, "asc") && strcmp(order, "desc"))
		return tk_fail(&c->err, TK_EINVAL, "dir", "must be asc or desc, got \"%s\"",
			       order);
	q->asc = order && strcmp(order, "asc") == 0;
	if ((rc = api_query(c, "format", fbuf, sizeof(fbuf), &fmt)))
		return rc;
	if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "json"))
		return tk_fail(&c->err, TK_EINVAL, "format", "must be json or csv, got \"%s\"", fmt);
	r->csv = fmt && strcmp(fmt, "csv") == 0;
	if ((rc = api_query(c, "before", cbuf, sizeof(cbuf), &cursor)))
		return rc;
	if (cursor && *cursor && !r->csv) {
		if (!cursor_parse(cursor, &q->after_key, &q->after_id))
			return tk_fail(&c->err, TK_EINVAL, "before",
				       "must be the next cursor of the previous page, got \"%s\"",
				       cursor);
		q->after = true;
	}
	if ((rc = api_query_limit(c, &q->limit)))
		return rc;
	/* the export: every item of the filters, one more to tell it is too many */
	if (r->csv)
		q->limit = ORDER_ITEMS_CSV_ROWS + 1;
	if (!api_is_operator(c)) {
		r->member_view = true;
		q->payee = c->who.id;
	}
	return TK_OK;
}

/* The share the row shows: the calling member's own, or (operators) the
 * sharer's, the chain's first. */
static int64_t row_share(const struct list_req *r, const struct item_list_row *row,
			 const struct api_call *c)
{
	if (!r->member_view)
		return row->n_chain > 0 ? row->share[0] : 0;
	int64_t sum = 0;
	for (int k = 0; k < row->n_chain && k < 3; k++)
		if (row->member[k] == c->who.id)
			sum += row->share[k];
	return sum;
}

/* The chat group of a channel "g<id>", 0 for none. */
static int64_t row_group(const char *channel)
{
	if (channel[0] != 'g' || !channel[1])
		return 0;
	char *end;
	long long g = strtoll(channel + 1, &end, 10);
	return *end || g <= 0 ? 0 : g;
}

struct list_walk {
	struct api_call *c;
	const struct list_req *r;
	json_t *list;
	struct textbuf csv;
	bool failed;
	int n;
	int64_t last_key, last_id;
};

static bool json_row(void *ctx, const struct item_list_row *row)
{
	struct list_walk *w = ctx;
	int64_t group = row_group(row->channel);
	json_t *doc = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:I, s:s, s:s?, s:s, s:o, s:s, s:I}",
		"union", row->union_, "item", row->item, "order", row->order, "product",
		row->product, "title", row->title, "paid_at", api_json_time(row->paid_at), "status",
		order_status_name((enum order_status)row->status), "amount",
		(json_int_t)row->amount, "commission", (json_int_t)row->commission,
		"commission_kind", row->status == ST_SETTLED ? "actual" : "estimated", "member",
		row->sharer_ext[0] ? row->sharer_ext : NULL, "attribution",
		api_attribution_name((enum attribution)row->attribution), "group",
		group ? json_integer(group) : json_null(), "channel", row->channel, "share",
		(json_int_t)row_share(w->r, row, w->c));
	if (!doc || json_array_append_new(w->list, doc)) {
		w->failed = true;
		return false;
	}
	w->n++;
	w->last_key = row->key;
	w->last_id = row->id;
	return true;
}

static bool csv_put(struct list_walk *w, const char *s, bool last)
{
	if (!csv_cell_append(&w->csv, s, false, ORDER_ITEMS_CSV_BYTES) ||
	    !textbuf_append(&w->csv, last ? "\n" : ",", 1, ORDER_ITEMS_CSV_BYTES))
		w->failed = true;
	return !w->failed;
}

#define CSV_HEADER                                                                         \
	"union,order,item,title,paid_at,status,amount_fen,commission_fen,commission_kind,"  \
	"member,attribution,group,share_fen\n"

static bool csv_row(void *ctx, const struct item_list_row *row)
{
	struct list_walk *w = ctx;
	char paid[TKTIME_BUF] = "", amount[24], commission[24], group[24] = "", share[24];
	if (++w->n > ORDER_ITEMS_CSV_ROWS)
		return false;
	if (row->paid_at)
		tktime_format_iso8601(row->paid_at, TKTIME_BEIJING_OFFSET, paid);
	snprintf(amount, sizeof(amount), "%" PRId64, row->amount);
	snprintf(commission, sizeof(commission), "%" PRId64, row->commission);
	if (row_group(row->channel))
		snprintf(group, sizeof(group), "%" PRId64, row_group(row->channel));
	snprintf(share, sizeof(share), "%" PRId64, row_share(w->r, row, w->c));
	return csv_put(w, row->union_, false) && csv_put(w, row->order, false) &&
	       csv_put(w, row->item, false) && csv_put(w, row->title, false) &&
	       csv_put(w, paid, false) &&
	       csv_put(w, order_status_name((enum order_status)row->status), false) &&
	       csv_put(w, amount, false) && csv_put(w, commission, false) &&
	       csv_put(w, row->status == ST_SETTLED ? "actual" : "estimated", false) &&
	       csv_put(w, row->sharer_ext, false) &&
	       csv_put(w, api_attribution_name((enum attribution)row->attribution), false) &&
	       csv_put(w, group, false) && csv_put(w, share, true);
}

enum tk_rc h_order_items(struct api_call *c)
{
	struct list_req *r = calloc(1, sizeof(*r));
	struct list_walk w = {.c = c};
	struct store *st = api_store(c);
	enum tk_rc rc;
	if (!r)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = read_req(c, r)))
		goto out;
	w.r = r;
	if (r->csv) {
		if (!textbuf_append(&w.csv, CSV_HEADER, strlen(CSV_HEADER), ORDER_ITEMS_CSV_BYTES)) {
			rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
			goto out;
		}
		rc = st->server->item_list(st, &r->q, csv_row, &w, &c->err);
		if (!rc && w.n > ORDER_ITEMS_CSV_ROWS)
			rc = tk_fail(&c->err, TK_ELIMIT, "from",
				     "the export holds more than %d items; narrow it with from, to, "
				     "union, status, member, attribution or group",
				     ORDER_ITEMS_CSV_ROWS);
		else if (!rc && w.failed)
			rc = tk_fail(&c->err, TK_ELIMIT, "", "the export is larger than %u bytes",
				     ORDER_ITEMS_CSV_BYTES);
		if (rc)
			goto out;
		c->status = 200;
		c->raw_out = w.csv.s;
		c->content_type = "text/csv; charset=utf-8";
		w.csv.s = NULL;
		goto out;
	}
	if (!(w.list = json_array())) {
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	rc = st->server->item_list(st, &r->q, json_row, &w, &c->err);
	if (!rc && w.failed)
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (rc)
		goto out;
	char next[48];
	snprintf(next, sizeof(next), "%" PRId64 "_%" PRId64, w.last_key, w.last_id);
	json_t *doc = json_pack("{s:o, s:s?}", "items", w.list, "next",
				w.n < r->q.limit ? NULL : next);
	w.list = NULL;
	if (doc && r->ranged) {
		json_object_set_new(doc, "from", api_json_date(r->from_day));
		json_object_set_new(doc, "to", api_json_date(r->to_day));
	}
	rc = api_reply(c, 200, doc);
out:
	json_decref(w.list);
	textbuf_free(&w.csv);
	free(r);
	return rc;
}

/* The same filters summed: how many items, their amount and commission,
 * and the share (the caller's own for a member) — the promoter page's
 * today / yesterday / month figures. */
enum tk_rc h_order_item_totals(struct api_call *c)
{
	struct list_req *r = calloc(1, sizeof(*r));
	struct item_totals tot;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if (!r)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = read_req(c, r)) && !(rc = st->server->item_totals(st, &r->q, &tot, &c->err))) {
		json_t *doc = json_pack("{s:I, s:I, s:I, s:I}", "items", (json_int_t)tot.items,
					"amount", (json_int_t)tot.amount, "commission",
					(json_int_t)tot.commission, "share", (json_int_t)tot.share);
		if (doc && r->ranged) {
			json_object_set_new(doc, "from", api_json_date(r->from_day));
			json_object_set_new(doc, "to", api_json_date(r->to_day));
		}
		rc = api_reply(c, 200, doc);
	}
	free(r);
	return rc;
}

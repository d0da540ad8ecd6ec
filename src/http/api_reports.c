/* api_reports.c — reports for the console, all read from the daily
 * statistics kept current on write (never by scanning orders): totals and
 * a daily series over a date range for the platform, a member, a channel
 * or a product; the top members, products or channels; and the funnel
 * from clicks to orders to settled orders.
 *
 * A member sees only its own money: its figures are those of the items it
 * shared, whose platform share and members' shares (its uplines' pay among
 * them) are the platform's and other members' business, so a member's
 * answers leave them out (stats_doc). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "core/tktime.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "store/catalog_store.h"
#include "store/server_store.h"

#define DIM_KEY_MAX (ORDER_UNION_MAX + ORDER_KEY_MAX + 1)

struct scope {
	int64_t from, to;          /* days since 1970-01-01, Beijing time */
	int dim;
	char key[DIM_KEY_MAX];
	const char *name;          /* "platform", "member", "channel", "product" */
};

static int64_t today(const struct api_call *c)
{
	return tktime_day(c->now, TKTIME_BEIJING_OFFSET);
}

static enum tk_rc read_range(struct api_call *c, struct scope *s)
{
	enum tk_rc rc;
	if ((rc = api_query_day(c, "to", today(c), &s->to)) ||
	    (rc = api_query_day(c, "from", s->to - 29, &s->from)))
		return rc;
	if (s->from > s->to)
		return tk_fail_key(&c->err, TK_EINVAL, "from", "range.from_after_to",
				   "must not be after \"to\"");
	if (s->to - s->from + 1 > API_REPORT_DAYS_MAX) {
		tk_fail_key(&c->err, TK_ELIMIT, "from", "range.too_long", "a range is at most %d days",
			    API_REPORT_DAYS_MAX);
		tk_error_int(&c->err, "max_days", API_REPORT_DAYS_MAX);
		return TK_ELIMIT;
	}
	return TK_OK;
}

/* The range and whose figures: ?member=, ?channel= or ?product=UNION:ID
 * (one at most), else the platform.  A member may ask only for its own. */
static enum tk_rc read_scope(struct api_call *c, struct scope *s)
{
	char mbuf[ORDER_KEY_MAX], cbuf[ORDER_KEY_MAX], pbuf[DIM_KEY_MAX];
	const char *member, *channel, *product;
	enum tk_rc rc;
	memset(s, 0, sizeof(*s));
	if ((rc = read_range(c, s)) || (rc = api_query(c, "member", mbuf, sizeof(mbuf), &member)) ||
	    (rc = api_query(c, "channel", cbuf, sizeof(cbuf), &channel)) ||
	    (rc = api_query(c, "product", pbuf, sizeof(pbuf), &product)))
		return rc;
	if (!!member + !!channel + !!product > 1)
		return tk_fail(&c->err, TK_EINVAL, "member",
			       "give at most one of member, channel and product");
	if (!api_is_operator(c)) {
		if (channel || product)
			return api_deny(c, "members see reports of their own links only");
		if (!member)
			member = c->who.name;
	}
	s->name = "platform";
	s->dim = DIM_TOTAL;
	if (member) {
		struct member_rec m;
		if ((rc = api_member_money(c, member, &m)))
			return rc;
		s->dim = DIM_MEMBER, s->name = "member";
		snprintf(s->key, sizeof(s->key), "%s", m.ext);
	} else if (channel) {
		s->dim = DIM_CHANNEL, s->name = "channel";
		snprintf(s->key, sizeof(s->key), "%s", channel);
	} else if (product) {
		if (!strchr(product, ':'))
			return tk_fail(&c->err, TK_EINVAL, "product",
				       "must be UNION:ID (e.g. jd:100012), got \"%s\"", product);
		s->dim = DIM_PRODUCT, s->name = "product";
		snprintf(s->key, sizeof(s->key), "%s", product);
	}
	return TK_OK;
}

/* The figures as the caller may see them: all of them for an operator,
 * without members_share and platform_share for a member. */
static json_t *stats_doc(const struct api_call *c, const int64_t v[STAT_N])
{
	json_t *doc = api_json_stats(v);
	if (doc && !api_is_operator(c)) {
		json_object_del(doc, stat_columns[STAT_MEMBERS_SHARE]);
		json_object_del(doc, stat_columns[STAT_PLATFORM_SHARE]);
	}
	return doc;
}

static json_t *scope_doc(const struct scope *s)
{
	json_t *doc = json_pack("{s:o, s:o, s:s}", "from", api_json_date(s->from), "to",
				api_json_date(s->to), "scope", s->name);
	if (doc && s->dim != DIM_TOTAL)
		json_object_set_new(doc, "key", json_string(s->key));
	return doc;
}

/* ---- series ---- */

struct series {
	const struct scope *s;
	int64_t (*days)[STAT_N]; /* one row per day of the range */
	int64_t total[STAT_N];
	bool overflow;
};

/* Sums with checked adds: the item limits keep every figure far inside
 * int64 (core/order.h), so a sum beyond it means a damaged table, which is
 * reported rather than wrapped into a plausible figure. */
static bool series_cb(void *ctx, int64_t day, const char *key, const int64_t v[STAT_N])
{
	struct series *r = ctx;
	(void)key;
	if (day < r->s->from || day > r->s->to)
		return true;
	for (int i = 0; i < STAT_N; i++)
		if (__builtin_add_overflow(r->days[day - r->s->from][i], v[i],
					   &r->days[day - r->s->from][i]) ||
		    __builtin_add_overflow(r->total[i], v[i], &r->total[i]))
			return !(r->overflow = true);
	return true;
}

static enum tk_rc read_series(struct api_call *c, const struct scope *s, struct series *r)
{
	struct store *st = api_store(c);
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->days = calloc((size_t)(s->to - s->from + 1), sizeof(*r->days));
	if (!r->days)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = st->server->stats_series(st, s->dim, s->key, s->from, s->to, series_cb, r,
						 &c->err);
	if (!rc && r->overflow)
		rc = tk_fail(&c->err, TK_EIO, "",
			     "the daily statistics of %s \"%s\" sum beyond the 64-bit range",
			     s->name, s->key);
	if (rc) {
		free(r->days);
		r->days = NULL;
	}
	return rc;
}

/* part * 10000 / whole in integer basis points, rounded down; 0 when the
 * whole is 0.  Counts stay below ORDER_ITEMS_TOTAL_MAX, so the product
 * fits; a count beyond it means a damaged table and fails. */
static enum tk_rc rate_bps(struct api_call *c, const struct scope *s, int64_t part, int64_t whole,
			   int64_t *out)
{
	if (__builtin_mul_overflow(part, 10000, out))
		return tk_fail(&c->err, TK_EIO, "", "the order counts of %s \"%s\" are beyond range",
			       s->name, s->key);
	*out = whole > 0 ? *out / whole : 0;
	return TK_OK;
}

/* The conversion of the tracked links: the orders they led to over their
 * unique clicks.  Orders attributed otherwise (a union tag, a binding, a
 * self-purchase, none) had no click to convert, so they are counted apart
 * with their share of all orders, never in the rate. */
static enum tk_rc conversion_doc(struct api_call *c, const struct scope *s, const int64_t t[STAT_N],
				 json_t **out)
{
	int64_t other = t[STAT_ORDERS] - t[STAT_LINK_ORDERS], rate, share;
	enum tk_rc rc;
	if ((rc = rate_bps(c, s, t[STAT_LINK_ORDERS], t[STAT_UNIQUE_CLICKS], &rate)) ||
	    (rc = rate_bps(c, s, other, t[STAT_ORDERS], &share)))
		return rc;
	*out = json_pack("{s:I, s:I, s:I, s:I, s:I}", "link_orders",
			 (json_int_t)t[STAT_LINK_ORDERS], "unique_clicks",
			 (json_int_t)t[STAT_UNIQUE_CLICKS], "link_order_per_unique_click_bps",
			 (json_int_t)rate, "other_orders", (json_int_t)other, "other_share_bps",
			 (json_int_t)share);
	return TK_OK;
}

/* The totals of a range, its links' conversion, and the same for the
 * period of the same length right before it (for the change on each
 * figure; its days may reach past the range limit, being the server's
 * own choice). */
enum tk_rc h_report_summary(struct api_call *c)
{
	struct scope s, prev;
	struct series r, pr;
	json_t *conv = NULL, *pconv = NULL;
	enum tk_rc rc;
	if ((rc = read_scope(c, &s)) || (rc = read_series(c, &s, &r)))
		return rc;
	free(r.days);
	prev = s;
	prev.to = s.from - 1;
	prev.from = s.from - (s.to - s.from + 1);
	if ((rc = read_series(c, &prev, &pr)))
		return rc;
	free(pr.days);
	if ((rc = conversion_doc(c, &s, r.total, &conv)) ||
	    (rc = conversion_doc(c, &prev, pr.total, &pconv))) {
		json_decref(conv);
		return rc;
	}
	json_t *doc = scope_doc(&s);
	if (doc) {
		json_object_set_new(doc, "totals", stats_doc(c, r.total));
		json_object_set_new(doc, "conversion", conv);
		json_object_set_new(doc, "previous",
				    json_pack("{s:o, s:o, s:o, s:o}", "from", api_json_date(prev.from),
					      "to", api_json_date(prev.to), "totals",
					      stats_doc(c, pr.total), "conversion", pconv));
	} else {
		json_decref(conv);
		json_decref(pconv);
	}
	return api_reply(c, 200, doc);
}

enum tk_rc h_report_daily(struct api_call *c)
{
	struct scope s;
	struct series r;
	enum tk_rc rc;
	if ((rc = read_scope(c, &s)) || (rc = read_series(c, &s, &r)))
		return rc;
	json_t *days = json_array();
	for (int64_t d = s.from; days && d <= s.to; d++) {
		json_t *row = stats_doc(c, r.days[d - s.from]);
		if (row)
			json_object_set_new(row, "date", api_json_date(d));
		json_array_append_new(days, row);
	}
	free(r.days);
	json_t *doc = scope_doc(&s);
	if (doc) {
		json_object_set_new(doc, "days", days);
		json_object_set_new(doc, "totals", stats_doc(c, r.total));
	} else {
		json_decref(days);
	}
	return api_reply(c, 200, doc);
}

enum tk_rc h_report_funnel(struct api_call *c)
{
	struct scope s;
	struct series r;
	enum tk_rc rc;
	if ((rc = read_scope(c, &s)) || (rc = read_series(c, &s, &r)))
		return rc;
	free(r.days);
	const int64_t *t = r.total;
	/* rates in basis points, in integers: 10000 = every one (counts stay
	 * below ORDER_ITEMS_TOTAL_MAX, so the products fit) */
	int64_t conversion = 0, settle = 0;
	if (__builtin_mul_overflow(t[STAT_ORDERS], 10000, &conversion) ||
	    __builtin_mul_overflow(t[STAT_SETTLED_ORDERS], 10000, &settle))
		return tk_fail(&c->err, TK_EIO, "", "the order counts of %s \"%s\" are beyond range",
			       s.name, s.key);
	conversion = t[STAT_UNIQUE_CLICKS] ? conversion / t[STAT_UNIQUE_CLICKS] : 0;
	settle = t[STAT_ORDERS] ? settle / t[STAT_ORDERS] : 0;
	json_t *doc = scope_doc(&s), *conv = NULL;
	if ((rc = conversion_doc(c, &s, t, &conv))) {
		json_decref(doc);
		return rc;
	}
	if (doc)
		json_object_set_new(doc, "conversion", conv);
	else
		json_decref(conv);
	if (doc)
		json_object_set_new(
			doc, "funnel",
			json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "clicks",
				  (json_int_t)t[STAT_CLICKS], "unique_clicks",
				  (json_int_t)t[STAT_UNIQUE_CLICKS], "orders",
				  (json_int_t)t[STAT_ORDERS], "settled_orders",
				  (json_int_t)t[STAT_SETTLED_ORDERS], "invalid_orders",
				  (json_int_t)t[STAT_INVALID_ORDERS], "settled_commission",
				  (json_int_t)t[STAT_SETTLED_COMMISSION], "order_per_unique_click_bps",
				  (json_int_t)conversion, "settled_per_order_bps",
				  (json_int_t)settle));
	return api_reply(c, 200, doc);
}

/* ---- top ---- */

static bool top_cb(void *ctx, int64_t day, const char *key, const int64_t v[STAT_N])
{
	(void)day;
	json_t *row = api_json_stats(v);
	if (row)
		json_object_set_new(row, "key", json_string(key));
	json_array_append_new(ctx, row);
	return true;
}

/* What people call a top list's keys: members' names, products' titles. */
static void label_top(struct api_call *c, int dim, json_t *items)
{
	struct store *st = api_store(c);
	struct catalog_product *p = dim == DIM_PRODUCT ? malloc(sizeof(*p)) : NULL;
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row) {
		const char *key = json_string_value(json_object_get(row, "key"));
		const char *label = "";
		struct member_rec m;
		struct tk_error ignore;
		char union_[ORDER_UNION_MAX];
		const char *colon = key ? strchr(key, ':') : NULL;
		if (dim == DIM_MEMBER && key && engine_member_get(c->e, key, &m, &ignore) == TK_OK) {
			json_object_set_new(row, "label", json_string(m.name));
			continue;
		}
		if (p && colon && (size_t)(colon - key) < sizeof(union_)) {
			snprintf(union_, sizeof(union_), "%.*s", (int)(colon - key), key);
			if (st->catalog->product_get(st, union_, colon + 1, p, &ignore) == TK_OK)
				label = p->title;
		}
		json_object_set_new(row, "label", json_string(label));
	}
	free(p);
}

enum tk_rc h_report_top(struct api_call *c)
{
	static const struct {
		const char *name;
		int dim;
	} dims[] = {{"members", DIM_MEMBER}, {"products", DIM_PRODUCT}, {"channels", DIM_CHANNEL}};
	char bbuf[16], mbuf[32];
	const char *by, *metric;
	struct scope s = {0};
	int64_t limit;
	enum tk_rc rc;
	if ((rc = read_range(c, &s)) || (rc = api_query(c, "by", bbuf, sizeof(bbuf), &by)) ||
	    (rc = api_query(c, "metric", mbuf, sizeof(mbuf), &metric)) ||
	    (rc = api_query_i64(c, "limit", 10, 1, API_PAGE_MAX, &limit)))
		return rc;
	if (!by)
		return tk_fail(&c->err, TK_EINVAL, "by", "is required: members, products or channels");
	int dim = -1, stat = -1;
	for (size_t i = 0; i < sizeof(dims) / sizeof(dims[0]); i++)
		if (strcmp(by, dims[i].name) == 0)
			dim = dims[i].dim;
	if (dim < 0)
		return tk_fail(&c->err, TK_EINVAL, "by",
			       "must be members, products or channels, got \"%s\"", by);
	if (!metric)
		metric = "commission";
	for (int i = 0; i < STAT_N; i++)
		if (strcmp(metric, stat_columns[i]) == 0)
			stat = i;
	if (stat < 0)
		return tk_fail(&c->err, TK_EINVAL, "metric",
			       "must be a figure of the daily statistics (orders, gmv, commission, "
			       "members_share, platform_share, settled_orders, settled_commission, "
			       "invalid_orders, new_members, clicks, unique_clicks, link_orders), got \"%s\"",
			       metric);
	json_t *items = json_array();
	struct store *st = api_store(c);
	if (!items)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->server->stats_top(st, dim, s.from, s.to, (enum day_stat)stat, (int)limit,
					top_cb, items, &c->err))) {
		json_decref(items);
		return rc;
	}
	if (dim != DIM_CHANNEL)
		label_top(c, dim, items);
	return api_reply(c, 200, json_pack("{s:o, s:o, s:s, s:s, s:o}", "from",
					   api_json_date(s.from), "to", api_json_date(s.to), "by",
					   by, "metric", metric, "items", items));
}

/* api_campaign_orders.c — the head's campaign orders for operators: the
 * orders of his campaigns that the unions reported, filtered by campaign,
 * merchant, channel, month or paid days, union, head rows and status,
 * paged by item id or exported as CSV, and their totals (orders, GMV, the
 * service fee estimated, settled and clawed back); docs/promotion-head.md. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_cell.h"
#include "core/textbuf.h"
#include "core/tktime.h"
#include "http/api_handlers.h"
#include "http/api_json.h"
#include "store/campaign_order_store.h"

#define CO_RANGE_MAX 366          /* paid days one query may span */
#define CO_CSV_ROWS 10000         /* orders one export may hold */
#define CO_CSV_BYTES (16u << 20)

static const char *const fee_buckets[] = {"none", "estimated", "settled"};

struct co_req {
	struct co_filter f;
	int limit;
	bool csv;
};

static enum tk_rc read_req(struct api_call *c, struct co_req *r)
{
	char buf[48];
	const char *s;
	int64_t today = tktime_day(c->now, TKTIME_BEIJING_OFFSET), from_day, to_day;
	bool ranged = false;
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	r->f.head = -1;
	r->f.status = -1;
	if ((rc = api_query_i64(c, "campaign", 0, 1, INT64_MAX, &r->f.campaign)) ||
	    (rc = api_query_i64(c, "merchant", 0, 1, INT64_MAX, &r->f.merchant)) ||
	    (rc = api_query_i64(c, "channel", 0, 1, INT64_MAX, &r->f.channel)))
		return rc;
	if ((rc = api_query(c, "month", buf, sizeof(buf), &s)))
		return rc;
	if (s && *s) {
		int y, m;
		char end;
		if (sscanf(s, "%4d-%2d%c", &y, &m, &end) != 2 || strlen(s) != 7 || y < 1970 ||
		    y > 9999 || m < 1 || m > 12)
			return tk_fail(&c->err, TK_EINVAL, "month", "must be YYYY-MM, got \"%s\"", s);
		r->f.month = (int64_t)y * 100 + m;
	}
	for (int k = 0; k < 2; k++) {
		if ((rc = api_query(c, k ? "to" : "from", buf, sizeof(buf), &s)))
			return rc;
		ranged = ranged || (s && *s);
	}
	if (ranged) {
		if ((rc = api_query_day(c, "to", today, &to_day)) ||
		    (rc = api_query_day(c, "from", to_day - 29, &from_day)))
			return rc;
		if (from_day > to_day)
			return tk_fail(&c->err, TK_EINVAL, "from", "must not be after to");
		if (to_day - from_day + 1 > CO_RANGE_MAX)
			return tk_fail(&c->err, TK_ELIMIT, "from",
				       "the range spans %" PRId64 " days; at most %d",
				       to_day - from_day + 1, CO_RANGE_MAX);
		r->f.paid_from = from_day * 86400 - TKTIME_BEIJING_OFFSET;
		r->f.paid_to = (to_day + 1) * 86400 - TKTIME_BEIJING_OFFSET - 1;
	}
	if ((rc = api_query(c, "union", buf, sizeof(buf), &s)))
		return rc;
	if (s && *s) {
		if (strcmp(s, "jd") && strcmp(s, "taobao") && strcmp(s, "pdd"))
			return tk_fail(&c->err, TK_EINVAL, "union",
				       "must be jd, taobao or pdd, got \"%s\"", s);
		snprintf(r->f.union_, sizeof(r->f.union_), "%s", s);
	}
	if ((rc = api_query(c, "head", buf, sizeof(buf), &s)))
		return rc;
	if (s && *s) {
		if (strcmp(s, "true") && strcmp(s, "false"))
			return tk_fail(&c->err, TK_EINVAL, "head", "must be true or false, got \"%s\"",
				       s);
		r->f.head = strcmp(s, "true") == 0;
	}
	if ((rc = api_query(c, "status", buf, sizeof(buf), &s)))
		return rc;
	if (s && *s) {
		enum order_status os;
		if (!order_status_parse(s, &os))
			return tk_fail(&c->err, TK_EINVAL, "status",
				       "must be unpaid, paid, received, settled or invalid, got \"%s\"",
				       s);
		r->f.status = (int)os;
	}
	if ((rc = api_query(c, "format", buf, sizeof(buf), &s)))
		return rc;
	if (s && strcmp(s, "csv") && strcmp(s, "json"))
		return tk_fail(&c->err, TK_EINVAL, "format", "must be json or csv, got \"%s\"", s);
	r->csv = s && strcmp(s, "csv") == 0;
	if ((rc = api_query_i64(c, "before", 0, 1, INT64_MAX, &r->f.after)) ||
	    (rc = api_query_limit(c, &r->limit)))
		return rc;
	if (r->csv) { /* every order of the filters, one more to tell it is too many */
		r->f.after = 0;
		r->limit = CO_CSV_ROWS + 1;
	}
	return TK_OK;
}

struct co_walk {
	json_t *list;
	struct textbuf csv;
	bool failed;
	int n;
	int64_t last;
};

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static bool json_row(void *ctx, const struct campaign_order_rec *co)
{
	struct co_walk *w = ctx;
	json_t *doc = json_pack(
		"{s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o,"
		" s:s, s:I, s:s, s:I, s:i, s:I, s:s, s:I, s:o}",
		"id", (json_int_t)co->item, "union", co->union_, "item", co->key, "product",
		co->product, "head", co->head, "campaign", id_or_null(co->campaign),
		"campaign_item", id_or_null(co->campaign_item), "merchant", id_or_null(co->merchant),
		"channel", id_or_null(co->channel), "channel_kind", co->channel_kind, "channel_ref",
		co->channel_ref, "shop", co->shop, "category", co->category, "paid_at",
		api_json_time(co->paid_at), "ordered_at", api_json_time(co->ordered_at), "clicked_at",
		api_json_time(co->clicked_at), "status", order_status_name(co->status), "amount",
		(json_int_t)co->amount, "fee_source", co->fee_source, "fee", (json_int_t)co->fee,
		"service_pm", co->service_pm, "fee_amount", (json_int_t)co->fee_amount, "fee_bucket",
		fee_buckets[co->fee_bucket >= 0 && co->fee_bucket <= 2 ? co->fee_bucket : 0], "month",
		(json_int_t)co->month, "ext_id", co->ext_id[0] ? json_string(co->ext_id) : json_null());
	if (!doc || json_array_append_new(w->list, doc)) {
		w->failed = true;
		return false;
	}
	w->n++;
	w->last = co->item;
	return true;
}

static bool csv_put(struct co_walk *w, const char *s, bool last)
{
	if (!csv_cell_append(&w->csv, s, false, CO_CSV_BYTES) ||
	    !textbuf_append(&w->csv, last ? "\n" : ",", 1, CO_CSV_BYTES))
		w->failed = true;
	return !w->failed;
}

#define CSV_HEADER                                                                         \
	"union,item,product,head,campaign,merchant,channel,channel_kind,channel_ref,shop,"  \
	"category,paid_at,status,amount_fen,fee_source,service_pm,fee_fen,fee_bucket,"      \
	"fee_amount_fen,month\n"

static bool csv_row(void *ctx, const struct campaign_order_rec *co)
{
	struct co_walk *w = ctx;
	char paid[TKTIME_BUF] = "", n[8][24];
	if (++w->n > CO_CSV_ROWS)
		return false;
	if (co->paid_at)
		tktime_format_iso8601(co->paid_at, TKTIME_BEIJING_OFFSET, paid);
	snprintf(n[0], sizeof(n[0]), "%" PRId64, co->campaign);
	snprintf(n[1], sizeof(n[1]), "%" PRId64, co->merchant);
	snprintf(n[2], sizeof(n[2]), "%" PRId64, co->channel);
	snprintf(n[3], sizeof(n[3]), "%" PRId64, co->amount);
	snprintf(n[4], sizeof(n[4]), "%d", co->service_pm);
	snprintf(n[5], sizeof(n[5]), "%" PRId64, co->fee);
	snprintf(n[6], sizeof(n[6]), "%" PRId64, co->fee_amount);
	snprintf(n[7], sizeof(n[7]), "%" PRId64, co->month);
	return csv_put(w, co->union_, false) && csv_put(w, co->key, false) &&
	       csv_put(w, co->product, false) && csv_put(w, co->head ? "true" : "false", false) &&
	       csv_put(w, co->campaign ? n[0] : "", false) &&
	       csv_put(w, co->merchant ? n[1] : "", false) &&
	       csv_put(w, co->channel ? n[2] : "", false) && csv_put(w, co->channel_kind, false) &&
	       csv_put(w, co->channel_ref, false) && csv_put(w, co->shop, false) &&
	       csv_put(w, co->category, false) && csv_put(w, paid, false) &&
	       csv_put(w, order_status_name(co->status), false) && csv_put(w, n[3], false) &&
	       csv_put(w, co->fee_source, false) && csv_put(w, n[4], false) &&
	       csv_put(w, n[5], false) &&
	       csv_put(w, fee_buckets[co->fee_bucket >= 0 && co->fee_bucket <= 2 ? co->fee_bucket
										  : 0],
		       false) &&
	       csv_put(w, n[6], false) && csv_put(w, n[7], true);
}

enum tk_rc h_campaign_orders(struct api_call *c)
{
	struct co_req r;
	struct co_walk w = {0};
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = read_req(c, &r)))
		return rc;
	if (r.csv) {
		if (!textbuf_append(&w.csv, CSV_HEADER, strlen(CSV_HEADER), CO_CSV_BYTES))
			return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
		rc = st->campaign_orders->each(st, &r.f, r.limit, csv_row, &w, &c->err);
		if (!rc && w.n > CO_CSV_ROWS)
			rc = tk_fail(&c->err, TK_ELIMIT, "month",
				     "the export holds more than %d orders; narrow it with month, "
				     "from, to, campaign, merchant, channel, union, head or status",
				     CO_CSV_ROWS);
		else if (!rc && w.failed)
			rc = tk_fail(&c->err, TK_ELIMIT, "", "the export is larger than %u bytes",
				     CO_CSV_BYTES);
		if (!rc) {
			c->status = 200;
			c->raw_out = w.csv.s;
			c->content_type = "text/csv; charset=utf-8";
			w.csv.s = NULL;
		}
		textbuf_free(&w.csv);
		return rc;
	}
	if (!(w.list = json_array()))
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = st->campaign_orders->each(st, &r.f, r.limit, json_row, &w, &c->err);
	if (!rc && w.failed)
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (rc) {
		json_decref(w.list);
		return rc;
	}
	json_t *doc = json_pack("{s:o, s:o}", "orders", w.list, "next",
				w.n < r.limit ? json_null() : json_sprintf("%" PRId64, w.last));
	return api_reply(c, 200, doc);
}

enum tk_rc h_campaign_order_totals(struct api_call *c)
{
	struct co_req r;
	struct co_totals t;
	struct store *st = api_store(c);
	enum tk_rc rc;
	if ((rc = read_req(c, &r)) || (rc = st->campaign_orders->totals(st, &r.f, &t, &c->err)))
		return rc;
	return api_reply(c, 200,
			 json_pack("{s:I, s:I, s:I, s:I, s:I}", "orders", (json_int_t)t.orders,
				   "gmv", (json_int_t)t.gmv, "fee_estimated",
				   (json_int_t)t.fee_estimated, "fee_settled",
				   (json_int_t)t.fee_settled, "fee_clawed", (json_int_t)t.fee_clawed));
}

/* api_promo.c — the promotion head's registry over the API: merchants and
 * their shops, campaigns with their status, products and slot fees.  Each
 * handler parses, calls one operation of src/promo and formats; the
 * operation checks every field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api_handlers.h"
#include "promo/promo_registry.h"

#define TEXT_IN_MAX 2000 /* what the operation then checks more closely */

static enum tk_rc reply(struct api_call *c, int status, json_t *doc)
{
	return doc ? api_reply(c, status, doc) : tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
}

/* A time member of the body ("2026-12-01", "2026-12-01 10:00", ISO 8601):
 * *t is 0 when absent. */
static enum tk_rc body_time(struct api_call *c, const char *name, bool end_of_day, int64_t *t)
{
	const char *s;
	enum tk_rc rc = api_body_str(c, name, false, 40, &s);
	*t = 0;
	if (rc || !s)
		return rc;
	return promo_time_parse(name, s, end_of_day, t, &c->err);
}

/* A time query parameter, as body_time. */
static enum tk_rc query_time(struct api_call *c, const char *name, bool end_of_day, int64_t *t)
{
	char buf[48];
	const char *s;
	enum tk_rc rc = api_query(c, name, buf, sizeof(buf), &s);
	*t = 0;
	if (rc || !s)
		return rc;
	return promo_time_parse(name, s, end_of_day, t, &c->err);
}

/* A rate member of the body: an integer per mille or a string
 * ("20.5" percent); buf receives it as text, *out NULL when absent. */
static enum tk_rc body_rate(struct api_call *c, const char *name, char buf[32], const char **out)
{
	json_t *body, *v;
	enum tk_rc rc = api_body(c, &body);
	*out = NULL;
	if (rc || !(v = json_object_get(body, name)))
		return rc;
	if (!promo_rate_text(v, buf))
		return tk_fail_key(&c->err, TK_EINVAL, name, "promo.rate",
				   "must be an integer per mille or a string like \"20.5\"");
	*out = buf;
	return TK_OK;
}

/* The "csv" member of the body: a string of at most 4 MB (line breaks
 * allowed, which api_body_str refuses as control characters). */
static enum tk_rc body_text(struct api_call *c, const char *name, const char **out)
{
	json_t *body, *v;
	enum tk_rc rc = api_body(c, &body);
	if (rc)
		return rc;
	v = json_object_get(body, name);
	if (!json_is_string(v))
		return tk_fail_key(&c->err, TK_EINVAL, name, "field.required",
				   "is required: the sheet's text");
	if (json_string_length(v) > 4 * 1024 * 1024) {
		tk_fail_key(&c->err, TK_ELIMIT, name, "field.too_long", "longer than %d bytes",
			    4 * 1024 * 1024);
		tk_error_int(&c->err, "max", 4 * 1024 * 1024);
		return TK_ELIMIT;
	}
	*out = json_string_value(v);
	return TK_OK;
}

/* An optional text member that may hold line breaks (terms, notes: the
 * registry checks their length and other control characters); *out NULL
 * when absent. */
static enum tk_rc body_lines(struct api_call *c, const char *name, const char **out)
{
	json_t *body, *v;
	enum tk_rc rc = api_body(c, &body);
	*out = NULL;
	if (rc || !(v = json_object_get(body, name)))
		return rc;
	if (!json_is_string(v))
		return tk_fail_key(&c->err, TK_EINVAL, name, "field.not_string", "must be a string");
	*out = json_string_value(v);
	return TK_OK;
}

/* ---- merchants ---- */

static enum tk_rc merchant_body(struct api_call *c, struct promo_merchant_req *r)
{
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	if ((rc = api_body_str(c, "name", false, TEXT_IN_MAX, &r->name)) ||
	    (rc = api_body_str(c, "contact", false, TEXT_IN_MAX, &r->contact)) ||
	    (rc = api_body_str(c, "phone", false, TEXT_IN_MAX, &r->phone)) ||
	    (rc = api_body_str(c, "wechat", false, TEXT_IN_MAX, &r->wechat)) ||
	    (rc = body_lines(c, "terms", &r->terms)) || (rc = body_lines(c, "note", &r->note)) ||
	    (rc = api_body_str(c, "state", false, 16, &r->state)))
		return rc;
	return TK_OK;
}

enum tk_rc h_merchants_list(struct api_call *c)
{
	char qbuf[PROMO_NAME_MAX], sbuf[16];
	const char *q, *state;
	int64_t before;
	int limit;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_query(c, "q", qbuf, sizeof(qbuf), &q)) ||
	    (rc = api_query(c, "state", sbuf, sizeof(sbuf), &state)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	struct merchant_filter f = {.q = q, .state = state, .before = before, .limit = limit};
	if ((rc = promo_merchant_page(api_store(c), &f, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_merchant_create(struct api_call *c)
{
	static const char *const fields[] = {"name",  "contact", "phone", "wechat",
					     "terms", "note",    NULL};
	struct promo_merchant_req r;
	struct merchant_rec *m;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) || (rc = merchant_body(c, &r)))
		return rc;
	if (!(m = malloc(sizeof(*m))))
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = promo_merchant_add(api_store(c), &r, c->now, m, &c->err)))
		rc = reply(c, 201, promo_merchant_json(m));
	free(m);
	return rc;
}

enum tk_rc h_merchant_show(struct api_call *c)
{
	int64_t id;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "merchant", &id)) ||
	    (rc = promo_merchant_doc(api_store(c), id, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_merchant_update(struct api_call *c)
{
	static const char *const fields[] = {"name", "contact", "phone", "wechat",
					     "terms", "note",    "state", NULL};
	struct promo_merchant_req r;
	int64_t id;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "merchant", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = merchant_body(c, &r)))
		return rc;
	struct merchant_rec *m = malloc(sizeof(*m));
	if (!m)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = promo_merchant_update(api_store(c), id, &r, c->now, m, &c->err);
	free(m);
	if (rc || (rc = promo_merchant_doc(api_store(c), id, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_merchant_shop_add(struct api_call *c)
{
	static const char *const fields[] = {"union", "shop", "name", NULL};
	const char *union_, *shop, *name;
	struct shop_rec s;
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "merchant", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "union", true, 16, &union_)) ||
	    (rc = api_body_str(c, "shop", true, TEXT_IN_MAX, &shop)) ||
	    (rc = api_body_str(c, "name", false, TEXT_IN_MAX, &name)) ||
	    (rc = promo_shop_add(api_store(c), id, union_, shop, name, c->now, &s, &c->err)))
		return rc;
	return reply(c, 201, promo_shop_json(&s));
}

enum tk_rc h_merchant_shop_remove(struct api_call *c)
{
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "merchant", &id)) ||
	    (rc = promo_shop_remove(api_store(c), id, api_param(c, 1), api_param(c, 2), c->now,
				    &c->err)))
		return rc;
	return reply(c, 200, json_pack("{s:I, s:s, s:s, s:b}", "merchant", (json_int_t)id, "union",
				       api_param(c, 1), "shop", api_param(c, 2), "removed", 1));
}

/* ---- campaigns ---- */

static enum tk_rc campaign_body(struct api_call *c, struct promo_campaign_req *r)
{
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	if ((rc = api_body_str(c, "name", false, TEXT_IN_MAX, &r->name)) ||
	    (rc = api_body_str(c, "ext_id", false, TEXT_IN_MAX, &r->ext_id)) ||
	    (rc = body_lines(c, "note", &r->note)) ||
	    (rc = body_time(c, "apply_from", false, &r->apply_from)) ||
	    (rc = body_time(c, "apply_to", true, &r->apply_to)) ||
	    (rc = body_time(c, "promote_from", false, &r->promote_from)) ||
	    (rc = body_time(c, "promote_to", true, &r->promote_to)))
		return rc;
	return TK_OK;
}

enum tk_rc h_campaigns_list(struct api_call *c)
{
	char sbuf[16], ubuf[16];
	const char *status, *union_;
	int64_t merchant, before, from, to;
	int limit;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_query_i64(c, "merchant", 0, 0, INT64_MAX, &merchant)) ||
	    (rc = api_query(c, "status", sbuf, sizeof(sbuf), &status)) ||
	    (rc = api_query(c, "union", ubuf, sizeof(ubuf), &union_)) ||
	    (rc = query_time(c, "from", false, &from)) || (rc = query_time(c, "to", true, &to)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	struct campaign_filter f = {.merchant = merchant, .status = status, .union_ = union_,
				    .from = from, .to = to, .before = before, .limit = limit};
	if ((rc = promo_campaign_page(api_store(c), &f, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_campaign_create(struct api_call *c)
{
	static const char *const fields[] = {"merchant",   "union",	   "name",
					     "ext_id",	   "note",	   "apply_from",
					     "apply_to",   "promote_from", "promote_to",
					     NULL};
	struct promo_campaign_req r;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) || (rc = campaign_body(c, &r)) ||
	    (rc = api_body_i64(c, "merchant", true, 0, 1, INT64_MAX, &r.merchant)) ||
	    (rc = api_body_str(c, "union", true, 16, &r.union_)))
		return rc;
	struct campaign_rec *cp = malloc(sizeof(*cp));
	if (!cp)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = promo_campaign_add(api_store(c), &r, c->now, cp, &c->err)))
		rc = reply(c, 201, promo_campaign_json(cp));
	free(cp);
	return rc;
}

enum tk_rc h_campaign_show(struct api_call *c)
{
	int64_t id;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) ||
	    (rc = promo_campaign_doc(api_store(c), id, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_campaign_update(struct api_call *c)
{
	static const char *const fields[] = {"name",	 "ext_id",	 "note",
					     "apply_from", "apply_to",	 "promote_from",
					     "promote_to", NULL};
	struct promo_campaign_req r;
	int64_t id;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = campaign_body(c, &r)))
		return rc;
	struct campaign_rec *cp = malloc(sizeof(*cp));
	if (!cp)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = promo_campaign_update(api_store(c), id, &r, c->now, cp, &c->err);
	free(cp);
	if (rc || (rc = promo_campaign_doc(api_store(c), id, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_campaign_status(struct api_call *c)
{
	static const char *const fields[] = {"status", "reason", NULL};
	const char *status, *reason;
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "status", true, 16, &status)) ||
	    (rc = api_body_str(c, "reason", false, 4 * TEXT_IN_MAX, &reason)))
		return rc;
	struct campaign_rec *cp = malloc(sizeof(*cp));
	if (!cp)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = promo_campaign_status(api_store(c), id, status, reason, c->now, cp, &c->err)))
		rc = reply(c, 200, promo_campaign_json(cp));
	free(cp);
	return rc;
}

/* ---- campaign products ---- */

enum tk_rc h_campaign_item_put(struct api_call *c)
{
	static const char *const fields[] = {"title",	   "category",		  "price_fen",
					     "coupon_fen", "commission_permille", "service_fee_permille",
					     "coupon_url", NULL};
	struct promo_item_req r = {.product = api_param(c, 1)};
	char cbuf[32], sbuf[32];
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "title", false, TEXT_IN_MAX, &r.title)) ||
	    (rc = api_body_str(c, "category", false, TEXT_IN_MAX, &r.category)) ||
	    (rc = api_body_str(c, "coupon_url", false, 4 * TEXT_IN_MAX, &r.coupon_url)) ||
	    (rc = api_body_i64(c, "price_fen", false, 0, 0, PROMO_MONEY_MAX, &r.price)) ||
	    (rc = api_body_i64(c, "coupon_fen", false, 0, 0, PROMO_MONEY_MAX, &r.coupon)) ||
	    (rc = body_rate(c, "commission_permille", cbuf, &r.commission)) ||
	    (rc = body_rate(c, "service_fee_permille", sbuf, &r.service)))
		return rc;
	struct campaign_item_rec *i = malloc(sizeof(*i));
	bool created;
	if (!i)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = promo_item_put(api_store(c), id, &r, c->now, i, &created, &c->err))) {
		json_t *doc = promo_item_json(i);
		if (doc)
			json_object_set_new(doc, "created", json_boolean(created));
		rc = reply(c, 200, doc);
	}
	free(i);
	return rc;
}

/* A product sheet as the console pastes it: {"csv", "name"}, read as
 * `tuike campaign items` reads a file (all or nothing). */
enum tk_rc h_campaign_items_import(struct api_call *c)
{
	static const char *const fields[] = {"csv", "name", NULL};
	const char *csv = NULL, *name;
	int64_t id, added, changed;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = body_text(c, "csv", &csv)) ||
	    (rc = api_body_str(c, "name", false, 128, &name)))
		return rc;
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	if (!in)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = promo_items_import(api_store(c), id, in, name && *name ? name : "sheet.csv", c->now,
				&added, &changed, &c->err);
	fclose(in);
	if (rc && c->err.where[0]) {
		/* the answer has no place of its own for the sheet's line: the
		 * message says it, and a param "line" for the console's words */
		char msg[sizeof(c->err.where) + sizeof(c->err.msg) + 2];
		const char *colon = strrchr(c->err.where, ':');
		snprintf(msg, sizeof(msg), "%s: %s", c->err.where, c->err.msg);
		snprintf(c->err.msg, sizeof(c->err.msg), "%.*s", (int)sizeof(c->err.msg) - 1, msg);
		if (colon)
			tk_error_int(&c->err, "line", strtoll(colon + 1, NULL, 10));
	}
	if (rc)
		return rc;
	return reply(c, 200, json_pack("{s:I, s:I, s:I}", "campaign", (json_int_t)id, "added",
				       (json_int_t)added, "changed", (json_int_t)changed));
}

enum tk_rc h_campaign_item_remove(struct api_call *c)
{
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) ||
	    (rc = promo_item_remove(api_store(c), id, api_param(c, 1), c->now, &c->err)))
		return rc;
	return reply(c, 200, json_pack("{s:I, s:s, s:b}", "campaign", (json_int_t)id, "product",
				       api_param(c, 1), "removed", 1));
}

enum tk_rc h_campaign_item_status(struct api_call *c)
{
	static const char *const fields[] = {"status", NULL};
	const char *status;
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "status", true, 16, &status)))
		return rc;
	struct campaign_item_rec *i = malloc(sizeof(*i));
	if (!i)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = promo_item_status(api_store(c), id, api_param(c, 1), status, c->now, i,
				     &c->err)))
		rc = reply(c, 200, promo_item_json(i));
	free(i);
	return rc;
}

/* ---- slot fees ---- */

enum tk_rc h_slot_fee_book(struct api_call *c)
{
	static const char *const fields[] = {"channel", "amount_fen", "note", NULL};
	int64_t id, channel, amount;
	const char *note;
	struct slot_fee_rec f;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_i64(c, "channel", true, 0, 1, INT64_MAX, &channel)) ||
	    (rc = api_body_i64(c, "amount_fen", true, 0, 1, PROMO_MONEY_MAX, &amount)) ||
	    (rc = body_lines(c, "note", &note)) ||
	    (rc = promo_slot_book(api_store(c), id, channel, amount, note, c->now, &f, &c->err)))
		return rc;
	return reply(c, 201, promo_slot_json(&f));
}

enum tk_rc h_slot_fees_list(struct api_call *c)
{
	char sbuf[16];
	struct slot_fee_filter f = {0};
	int64_t before;
	int limit;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_query_i64(c, "campaign", 0, 0, INT64_MAX, &f.campaign)) ||
	    (rc = api_query_i64(c, "channel", 0, 0, INT64_MAX, &f.channel)) ||
	    (rc = api_query_i64(c, "merchant", 0, 0, INT64_MAX, &f.merchant)) ||
	    (rc = api_query(c, "state", sbuf, sizeof(sbuf), &f.state)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	f.before = before;
	f.limit = limit;
	if ((rc = promo_slot_page(api_store(c), &f, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

static enum tk_rc slot_settle(struct api_call *c, bool waive)
{
	int64_t id;
	struct slot_fee_rec f;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "slot fee", &id)))
		return rc;
	rc = waive ? promo_slot_waive(api_store(c), id, c->now, &f, &c->err)
		   : promo_slot_collect(api_store(c), id, c->now, &f, &c->err);
	return rc ? rc : reply(c, 200, promo_slot_json(&f));
}

enum tk_rc h_slot_fee_collect(struct api_call *c)
{
	return slot_settle(c, false);
}

enum tk_rc h_slot_fee_waive(struct api_call *c)
{
	return slot_settle(c, true);
}

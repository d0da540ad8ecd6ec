/* taobao.c — Taobao/Alimama replies as normalized order rows: order pages of
 * taobao.tbk.order.details.get (and tbk.sc.order.details.get), and the
 * after-sale refunds of taobao.tbk.relation.refund.  Yuan come as decimal
 * strings; times as Beijing local time.  docs/unions/taobao.md explains
 * every mapping. */
#include <stdlib.h>
#include <string.h>

#include "feeds/union_page.h"
#include "feeds/union_readers.h"

static const char *const order_envelopes[] = {"tbk_order_details_get_response",
					      "tbk_sc_order_details_get_response"};
static const char *const refund_envelopes[] = {"tbk_relation_refund_response",
					       "tbk_sc_relation_refund_response"};

/* tk_status: 11 placed, 12 paid, 14 received, 3 settled, 13 invalid. */
static bool tb_status(int64_t code, enum order_status *out)
{
	switch (code) {
	case 11: *out = ST_UNPAID; return true;
	case 12: *out = ST_PAID; return true;
	case 14: *out = ST_RECEIVED; return true;
	case 3: *out = ST_SETTLED; return true;
	case 13: *out = ST_INVALID; return true;
	default: return false;
	}
}

/* Taobao sends 0 (or "") for an id it does not have. */
static const char *id_or_empty(const char *v)
{
	return strcmp(v, "0") == 0 ? "" : v;
}

/* The campaign fields (docs/unions/taobao.md, "Campaign orders"):
 * tk_order_role 3 is the head's row (a share of another Taoke's
 * commission: his service fee); the channel is relation_id, else pub_id;
 * the shop seller_nick, the category item_category_name.  Taobao rows
 * carry no campaign id: campaigns match by product and window. */
static enum tk_rc tb_campaign(json_t *row, const char *path, struct order_row *r,
			      struct tk_error *err)
{
	struct order_campaign *c = &r->campaign;
	char relation[ORDER_KEY_MAX], pub[ORDER_KEY_MAX];
	int64_t role;
	enum tk_rc rc;
	if ((rc = union_field_int(row, path, "tk_order_role", false, &role, err)) ||
	    (rc = union_field_text(row, path, "relation_id", false, relation, sizeof(relation),
				   err)) ||
	    (rc = union_field_text(row, path, "pub_id", false, pub, sizeof(pub), err)) ||
	    (rc = union_field_text(row, path, "seller_nick", false, c->shop, sizeof(c->shop),
				   err)) ||
	    (rc = union_field_beijing(row, path, "click_time", false, &c->clicked_at, err)) ||
	    (rc = union_field_beijing(row, path, "tk_create_time", false, &c->ordered_at, err)))
		return rc;
	if (role != 0 && role != 1 && role != 2 && role != 3)
		return union_fail(err, TK_EINVAL, path, "tk_order_role",
				  "must be 1, 2 or 3, got %lld", (long long)role);
	union_field_title(row, "item_category_name", c->category, sizeof(c->category));
	if (id_or_empty(relation)[0]) {
		memcpy(c->channel_kind, "relation_id", 12);
		memcpy(c->channel, relation, sizeof(c->channel));
	} else if (id_or_empty(pub)[0]) {
		memcpy(c->channel_kind, "pub_id", 7);
		memcpy(c->channel, pub, sizeof(c->channel));
	}
	return role == 3 ? union_row_make_head(r, path, err) : TK_OK;
}

static enum tk_rc tb_order_row(json_t *row, const char *path, struct order_row *r,
			       struct tk_error *err)
{
	int64_t code, qty, pre_fee, fee;
	char special[ORDER_KEY_MAX], relation[ORDER_KEY_MAX], adzone[ORDER_KEY_MAX];
	enum tk_rc rc;

	memset(r, 0, sizeof(*r));
	memcpy(r->union_, "taobao", 7);
	if ((rc = union_field_text(row, path, "trade_id", true, r->item, sizeof(r->item), err)) ||
	    (rc = union_field_text(row, path, "trade_parent_id", false, r->order,
				   sizeof(r->order), err)) ||
	    (rc = union_field_int(row, path, "tk_status", true, &code, err)) ||
	    (rc = union_field_beijing(row, path, "modified_time", true, &r->modified_at, err)) ||
	    (rc = union_field_beijing(row, path, "tk_paid_time", false, &r->paid_at, err)) ||
	    (rc = union_field_beijing(row, path, "tk_earning_time", false, &r->settled_at,
				      err)) ||
	    (rc = union_field_yuan(row, path, "pub_share_pre_fee", true, &pre_fee, err)) ||
	    (rc = union_field_yuan(row, path, "pub_share_fee", false, &fee, err)) ||
	    (rc = union_field_yuan(row, path, "alipay_total_price", false, &r->amount, err)) ||
	    (rc = union_field_int(row, path, "item_num", false, &qty, err)) ||
	    (rc = union_field_text(row, path, "item_id", false, r->product, sizeof(r->product),
				   err)) ||
	    (rc = union_field_text(row, path, "special_id", false, special, sizeof(special),
				   err)) ||
	    (rc = union_field_text(row, path, "relation_id", false, relation, sizeof(relation),
				   err)) ||
	    (rc = union_field_text(row, path, "adzone_id", false, adzone, sizeof(adzone), err)))
		return rc;
	if (!tb_status(code, &r->status))
		return union_fail(err, TK_EINVAL, path, "tk_status",
				  "must be 11, 12, 13, 14 or 3, got %lld", (long long)code);
	if (r->status == ST_SETTLED && !r->settled_at)
		return union_fail(err, TK_EINVAL, path, "tk_earning_time",
				  "is required when tk_status is 3 (settled)");
	if (r->status == ST_SETTLED && !json_object_get(row, "pub_share_fee"))
		return union_fail(err, TK_EINVAL, path, "pub_share_fee",
				  "is required when tk_status is 3 (settled)");
	if (pre_fee < 0 || fee < 0 || r->amount < 0)
		return union_fail(err, TK_EINVAL, path,
				  pre_fee < 0 ? "pub_share_pre_fee"
				  : fee < 0   ? "pub_share_fee"
					      : "alipay_total_price",
				  "must not be negative");
	if (qty < 0 || qty > 1000000)
		return union_fail(err, TK_EINVAL, path, "item_num", "must be 0..1000000, got %lld",
				  (long long)qty);
	if (r->status != ST_SETTLED)
		r->settled_at = 0; /* an earning time before settlement means nothing */
	r->commission = r->status == ST_SETTLED ? fee : pre_fee;
	r->quantity = (int32_t)qty;
	union_field_title(row, "item_title", r->title, sizeof(r->title));
	/* special_id names the buyer (member operation); relation_id the
	 * channel, else the ad zone the link came from. */
	union_copy(r->buyer, sizeof(r->buyer), id_or_empty(special));
	if (r->buyer[0]) /* Alimama's id, not the platform's */
		union_copy(r->buyer_kind, sizeof(r->buyer_kind), "special_id");
	union_copy(r->channel, sizeof(r->channel),
		   id_or_empty(relation)[0] ? relation : id_or_empty(adzone));
	union_row_tag(r, "special_id", special);
	union_row_tag(r, "relation_id", relation);
	union_row_tag(r, "adzone_id", adzone);
	return tb_campaign(row, path, r, err);
}

/* refund_status: 2 refund succeeded; 12/13 the commission is taken back
 * from the publisher (waiting, done).  4 created, 3 failed, 11 pending, and
 * 14/15 (taken from the seller) leave the publisher's commission alone. */
static bool tb_refund_takes_back(int64_t code, bool *takes)
{
	switch (code) {
	case 2:
	case 12:
	case 13: *takes = true; return true;
	case 3:
	case 4:
	case 11:
	case 14:
	case 15: *takes = false; return true;
	default: return false;
	}
}

static enum tk_rc tb_refund_row(json_t *row, const char *path, struct order_row *r,
				struct tk_error *err)
{
	int64_t code, fee, fee3, suit_time, refund_time;
	char special[ORDER_KEY_MAX], relation[ORDER_KEY_MAX];
	bool takes;
	enum tk_rc rc;

	memset(r, 0, sizeof(*r));
	memcpy(r->union_, "taobao", 7);
	if ((rc = union_field_text(row, path, "tb_trade_id", true, r->item, sizeof(r->item),
				   err)) ||
	    (rc = union_field_text(row, path, "tb_trade_parent_id", false, r->order,
				   sizeof(r->order), err)) ||
	    (rc = union_field_int(row, path, "refund_status", true, &code, err)) ||
	    (rc = union_field_beijing(row, path, "modified_time", false, &r->modified_at, err)) ||
	    (rc = union_field_beijing(row, path, "tk_refund_suit_time", false, &suit_time, err)) ||
	    (rc = union_field_beijing(row, path, "tk_refund_time", false, &refund_time, err)) ||
	    (rc = union_field_yuan(row, path, "tk_commission_fee_refund_pub", false, &fee, err)) ||
	    (rc = union_field_yuan(row, path, "tk_commission_fee_refund3rd_pub", false, &fee3,
				   err)) ||
	    (rc = union_field_text(row, path, "special_id", false, special, sizeof(special),
				   err)) ||
	    (rc = union_field_text(row, path, "relation_id", false, relation, sizeof(relation),
				   err)))
		return rc;
	if (!tb_refund_takes_back(code, &takes))
		return union_fail(err, TK_EINVAL, path, "refund_status",
				  "must be 2, 3, 4, 11, 12, 13, 14 or 15, got %lld", (long long)code);
	if (fee < 0 || fee3 < 0)
		return union_fail(err, TK_EINVAL, path,
				  fee < 0 ? "tk_commission_fee_refund_pub"
					  : "tk_commission_fee_refund3rd_pub",
				  "must not be negative");
	if (takes && !json_object_get(row, "tk_commission_fee_refund_pub"))
		return union_fail(err, TK_EINVAL, path, "tk_commission_fee_refund_pub",
				  "is required when refund_status is %lld", (long long)code);
	/* The refund's own clock orders its states: its update time, else when
	 * it completed, else when it was opened. */
	if (!r->modified_at)
		r->modified_at = suit_time ? suit_time : refund_time;
	if (!r->modified_at)
		return union_fail(err, TK_EINVAL, path, "modified_time",
				  "is required (or tk_refund_suit_time, tk_refund_time)");
	r->kind = ORDER_ROW_REFUND;
	r->refunded = takes ? fee : 0;
	/* a refund of the third party's share (the head's service fee, the
	 * tk_order_role 3 row) takes back from the head's row */
	if (fee3 > 0 && fee == 0) {
		r->refunded = takes ? fee3 : 0;
		if ((rc = union_row_make_head(r, path, err)))
			return rc;
		return TK_OK;
	}
	union_field_title(row, "tb_auction_title", r->title, sizeof(r->title));
	union_copy(r->buyer, sizeof(r->buyer), id_or_empty(special));
	if (r->buyer[0]) /* Alimama's id, not the platform's */
		union_copy(r->buyer_kind, sizeof(r->buyer_kind), "special_id");
	union_copy(r->channel, sizeof(r->channel), id_or_empty(relation));
	union_row_tag(r, "special_id", special);
	union_row_tag(r, "relation_id", relation);
	return TK_OK;
}

/* TOP's error answer: {"error_response":{"code":7,"msg":"App Call Limited",
 * "sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban
 * will last for 1 more seconds"}}. */
static enum tk_rc tb_fault(json_t *er, struct union_page *p, struct tk_error *err)
{
	int64_t code = 0, wait;
	char sub_code[64] = "", msg[128] = "", sub_msg[256] = "";
	union_field_int(er, "", "code", false, &code, NULL);
	union_field_text(er, "", "sub_code", false, sub_code, sizeof(sub_code), NULL);
	union_field_title(er, "msg", msg, sizeof(msg));
	union_field_title(er, "sub_msg", sub_msg, sizeof(sub_msg));
	p->fault.present = true;
	snprintf(p->fault.code, sizeof(p->fault.code), "%lld%s%s", (long long)code,
		 sub_code[0] ? "/" : "", sub_code);
	/* 7: call limit; 25 signature, 29 app key, 11 permission, 40/41
	 * arguments; isv.* sub-codes are the caller's mistakes. */
	p->fault.rate_limited = code == 7;
	p->fault.permanent = code == 25 || code == 29 || code == 11 || code == 40 ||
			     code == 41 || strncmp(sub_code, "isv.", 4) == 0;
	const char *last = strstr(sub_msg, "last for ");
	if (p->fault.rate_limited && last && sscanf(last, "last for %lld", (long long *)&wait) == 1 &&
	    wait > 0 && wait < 86400)
		p->fault.retry_after_s = (int)wait;
	return tk_fail(err, TK_EINVAL, "body", "Taobao answered with error %s: %s%s%s",
		       p->fault.code, msg, sub_msg[0] ? ": " : "", sub_msg);
}

/* The row array of a TOP list: `results` is either the array itself or,
 * in TOP's default JSON, an object wrapping it under the element's type
 * name (publisher_order_dto, result). */
static json_t *tb_rows(json_t *results, const char *wrapper)
{
	if (json_is_array(results))
		return results;
	if (json_is_object(results))
		return json_object_get(results, wrapper);
	return NULL;
}

/* Finds the payload under one of the envelopes (or the bare payload when
 * `bare_key` is present at the top). */
static json_t *tb_payload(json_t *doc, const char *const envelopes[2], const char *inner,
			  const char *bare_key)
{
	for (int i = 0; i < 2; i++) {
		json_t *env = json_object_get(doc, envelopes[i]);
		if (json_is_object(env))
			return json_object_get(env, inner);
	}
	return json_object_get(doc, bare_key) ? doc : NULL;
}

enum tk_rc taobao_reply_parse(const char *body, size_t len, struct union_page *p,
			      struct tk_error *err)
{
	json_t *doc = NULL;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK)
		return rc;
	json_t *er = json_object_get(doc, "error_response");
	if (json_is_object(er)) {
		rc = tb_fault(er, p, err);
		goto out;
	}
	json_t *data = tb_payload(doc, order_envelopes, "data", "results");
	if (!json_is_object(data)) {
		rc = tk_fail(err, TK_EINVAL, "body",
			     "not a taobao.tbk.order.details.get reply: no %s.data object",
			     order_envelopes[0]);
		goto out;
	}
	json_t *results = json_object_get(data, "results");
	json_t *rows = tb_rows(results, "publisher_order_dto");
	if (results && !json_is_null(results) && !json_is_array(rows) &&
	    !(json_is_object(results) && json_object_size(results) == 0)) {
		rc = tk_fail(err, TK_EINVAL, "data.results",
			     "must be an array of rows or {\"publisher_order_dto\": [rows]}");
		goto out;
	}
	p->has_next = json_is_true(json_object_get(data, "has_next"));
	union_field_text(data, "data", "position_index", false, p->position, sizeof(p->position),
			 NULL);
	rc = union_page_fill(p, rows, "publisher_order_dto", tb_order_row, err);
out:
	if (rc != TK_OK)
		union_page_drop_rows(p);
	json_decref(doc);
	return rc;
}

enum tk_rc taobao_refund_reply_parse(const char *body, size_t len, struct union_page *p,
				     struct tk_error *err)
{
	json_t *doc = NULL;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK)
		return rc;
	json_t *er = json_object_get(doc, "error_response");
	if (json_is_object(er)) {
		rc = tb_fault(er, p, err);
		goto out;
	}
	json_t *result = tb_payload(doc, refund_envelopes, "result", "data");
	json_t *data = json_object_get(result, "data");
	if (!json_is_object(data)) {
		rc = tk_fail(err, TK_EINVAL, "body",
			     "not a taobao.tbk.relation.refund reply: no %s.result.data object",
			     refund_envelopes[0]);
		goto out;
	}
	json_t *results = json_object_get(data, "results");
	json_t *rows = tb_rows(results, "result");
	if (results && !json_is_null(results) && !json_is_array(rows) &&
	    !(json_is_object(results) && json_object_size(results) == 0)) {
		rc = tk_fail(err, TK_EINVAL, "data.results",
			     "must be an array of rows or {\"result\": [rows]}");
		goto out;
	}
	int64_t total = -1;
	if (union_field_int(data, "data", "total_count", false, &total, NULL) == TK_OK &&
	    json_object_get(data, "total_count"))
		p->total = total;
	rc = union_page_fill(p, rows, "result", tb_refund_row, err);
out:
	if (rc != TK_OK)
		union_page_drop_rows(p);
	json_decref(doc);
	return rc;
}

enum tk_rc feed_read_taobao(FILE *in, const char *name, feed_row_cb cb,
			    feed_reject_cb reject, void *ctx, struct tk_error *err)
{
	return union_read(in, name, taobao_reply_parse, cb, reject, ctx, err);
}

enum tk_rc feed_read_taobao_refund(FILE *in, const char *name, feed_row_cb cb,
				   feed_reject_cb reject, void *ctx, struct tk_error *err)
{
	return union_read(in, name, taobao_refund_reply_parse, cb, reject, ctx, err);
}

/* pdd.c — Pinduoduo's pdd.ddk.order.list.increment.get replies as
 * normalized order rows.  One order is one item (`order_sn`); amounts are
 * integer fen and times unix seconds.  docs/unions/pdd.md explains every
 * mapping. */
#include <string.h>

#include "feeds/union_page.h"
#include "feeds/union_readers.h"

#define PDD_CUSTOM_MAX 256 /* bytes of custom_parameters (PDD allows 64) */

/* order_status: -1 unpaid; 0 paid, 1 grouped; 2 received, 3 audited;
 * 5 settled; 4 audit failed, 8 no commission, 10 punished. */
static bool pdd_status(int64_t code, enum order_status *out)
{
	switch (code) {
	case -1: *out = ST_UNPAID; return true;
	case 0:
	case 1: *out = ST_PAID; return true;
	case 2:
	case 3: *out = ST_RECEIVED; return true;
	case 5: *out = ST_SETTLED; return true;
	case 4:
	case 8:
	case 10: *out = ST_INVALID; return true;
	default: return false;
	}
}

/* custom_parameters is what the promoter's link carried: tuike's links put
 * {"uid":"<member tag>","sid":"<channel tag>"} there.  Anything that is
 * not such an object is taken whole as the uid. */
static enum tk_rc pdd_custom(json_t *row, const char *path, char *uid, char *sid, size_t size,
			     struct tk_error *err)
{
	char text[PDD_CUSTOM_MAX + 1];
	enum tk_rc rc = union_field_text(row, path, "custom_parameters", false, text, sizeof(text),
					 err);
	uid[0] = sid[0] = '\0';
	if (rc != TK_OK || !text[0])
		return rc;
	json_t *cp = json_loads(text, 0, NULL);
	if (!json_is_object(cp)) {
		json_decref(cp);
		if (!union_copy(uid, size, text))
			return union_fail(err, TK_ELIMIT, path, "custom_parameters",
					  "a uid is at most %zu bytes", size - 1);
		return TK_OK;
	}
	char sub[72];
	snprintf(sub, sizeof(sub), "%s.custom_parameters", path);
	if ((rc = union_field_text(cp, sub, "uid", false, uid, size, err)) == TK_OK)
		rc = union_field_text(cp, sub, "sid", false, sid, size, err);
	json_decref(cp);
	return rc;
}

/* The campaign fields (docs/unions/pdd.md, "Campaign orders"): zs_duo_id
 * the head whose 招商 plan the goods were promoted under (0 none); p_id's
 * duoid (before the underscore) the duoduoke who promoted it.  A row of
 * another duoduoke under the head's plan is the head's — but only when
 * zs_duo_id is this platform's head's, which the engine knows from the
 * campaigns registered (order_campaign.other_promoter). */
static enum tk_rc pdd_campaign(json_t *row, const char *path, const char *pid,
			       struct order_row *r, struct tk_error *err)
{
	struct order_campaign *c = &r->campaign;
	char auth[ORDER_KEY_MAX];
	enum tk_rc rc;
	json_t *cats = json_object_get(row, "cat_ids");
	if ((rc = union_field_text(row, path, "zs_duo_id", false, c->ext, sizeof(c->ext), err)) ||
	    (rc = union_field_text(row, path, "auth_duo_id", false, auth, sizeof(auth), err)) ||
	    (rc = union_field_text(row, path, "mall_id", false, c->shop, sizeof(c->shop), err)) ||
	    (rc = union_field_unix(row, path, "order_create_time", false, &c->ordered_at, err)))
		return rc;
	if (cats && !json_is_null(cats) && !json_is_array(cats))
		return union_fail(err, TK_EINVAL, path, "cat_ids", "must be an array of ids");
	json_t *top = json_array_get(cats, 0);
	if (json_is_integer(top))
		snprintf(c->category, sizeof(c->category), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(top));
	else if (top && !(json_is_string(top) && union_copy(c->category, sizeof(c->category),
							     json_string_value(top))))
		return union_fail(err, TK_EINVAL, path, "cat_ids", "must hold ids (at most %zu bytes)",
				  sizeof(c->category) - 1);
	if (strcmp(c->ext, "0") == 0)
		c->ext[0] = '\0';
	if (strcmp(c->shop, "0") == 0)
		c->shop[0] = '\0';
	if (strcmp(c->category, "0") == 0)
		c->category[0] = '\0';
	size_t n = strcspn(pid, "_");
	if (n > 0 && n < sizeof(c->channel)) {
		memcpy(c->channel, pid, n);
		c->channel[n] = '\0';
		memcpy(c->channel_kind, "duoid", 6);
	}
	/* another duoduoke's sale under zs_duo_id: the head's row if that id
	 * is the head's (a registered PDD campaign's), which the engine asks */
	c->other_promoter = c->ext[0] && c->channel[0] && strcmp(c->channel, c->ext) != 0;
	return TK_OK;
}

static enum tk_rc pdd_row(json_t *row, const char *path, struct order_row *r,
			  struct tk_error *err)
{
	int64_t code, qty;
	char uid[ORDER_KEY_MAX], sid[ORDER_KEY_MAX], pid[ORDER_KEY_MAX];
	enum tk_rc rc;

	memset(r, 0, sizeof(*r));
	memcpy(r->union_, "pdd", 4);
	if ((rc = union_field_text(row, path, "order_sn", true, r->item, sizeof(r->item), err)) ||
	    (rc = union_field_int(row, path, "order_status", true, &code, err)) ||
	    (rc = union_field_unix(row, path, "order_modify_at", true, &r->modified_at, err)) ||
	    (rc = union_field_unix(row, path, "order_pay_time", false, &r->paid_at, err)) ||
	    (rc = union_field_unix(row, path, "order_settle_time", false, &r->settled_at, err)) ||
	    (rc = union_field_fen(row, path, "promotion_amount", true, &r->commission, err)) ||
	    (rc = union_field_fen(row, path, "order_amount", false, &r->amount, err)) ||
	    (rc = union_field_int(row, path, "goods_quantity", false, &qty, err)) ||
	    (rc = union_field_text(row, path, "goods_id", false, r->product, sizeof(r->product),
				   err)) ||
	    (rc = union_field_text(row, path, "p_id", false, pid, sizeof(pid), err)) ||
	    (rc = pdd_custom(row, path, uid, sid, sizeof(uid), err)))
		return rc;
	if (!pdd_status(code, &r->status))
		return union_fail(err, TK_EINVAL, path, "order_status",
				  "must be -1, 0, 1, 2, 3, 4, 5, 8 or 10, got %lld", (long long)code);
	if (r->status == ST_SETTLED && !r->settled_at)
		return union_fail(err, TK_EINVAL, path, "order_settle_time",
				  "is required when order_status is 5 (settled)");
	if (qty < 0 || qty > 1000000)
		return union_fail(err, TK_EINVAL, path, "goods_quantity",
				  "must be 0..1000000, got %lld", (long long)qty);
	if (r->status != ST_SETTLED)
		r->settled_at = 0;
	memcpy(r->order, r->item, sizeof(r->order));
	r->quantity = (int32_t)qty;
	union_field_title(row, "goods_name", r->title, sizeof(r->title));
	union_copy(r->channel, sizeof(r->channel), sid[0] ? sid : pid);
	union_row_tag(r, "uid", uid);
	union_row_tag(r, "p_id", pid);
	return pdd_campaign(row, path, pid, r, err);
}

/* {"error_response":{"error_code":70031,"error_msg":"...","sub_code":...}} */
static enum tk_rc pdd_fault(json_t *er, struct union_page *p, struct tk_error *err)
{
	int64_t code = 0;
	char msg[256] = "", sub_msg[256] = "";
	union_field_int(er, "", "error_code", false, &code, NULL);
	union_field_title(er, "error_msg", msg, sizeof(msg));
	union_field_title(er, "sub_msg", sub_msg, sizeof(sub_msg));
	p->fault.present = true;
	snprintf(p->fault.code, sizeof(p->fault.code), "%lld", (long long)code);
	/* 70031/70032: calls over the limit; 10000 bad arguments, 10001/10019
	 * bad or expired token, 20004/20005 bad signature or client id. */
	p->fault.rate_limited = code == 70031 || code == 70032;
	p->fault.permanent = code == 10000 || code == 10001 || code == 10019 || code == 20004 ||
			     code == 20005;
	return tk_fail(err, TK_EINVAL, "body", "Pinduoduo answered with error %lld: %s%s%s",
		       (long long)code, msg, sub_msg[0] ? ": " : "", sub_msg);
}

enum tk_rc pdd_reply_parse(const char *body, size_t len, struct union_page *p,
			   struct tk_error *err)
{
	json_t *doc = NULL;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK)
		return rc;
	json_t *er = json_object_get(doc, "error_response");
	if (json_is_object(er)) {
		rc = pdd_fault(er, p, err);
		goto out;
	}
	json_t *resp = json_object_get(doc, "order_list_get_response");
	if (!json_is_object(resp)) {
		rc = tk_fail(err, TK_EINVAL, "body",
			     "not a pdd.ddk.order.list.increment.get reply: no "
			     "order_list_get_response object");
		goto out;
	}
	json_t *rows = json_object_get(resp, "order_list");
	if (rows && !json_is_null(rows) && !json_is_array(rows)) {
		rc = tk_fail(err, TK_EINVAL, "order_list", "must be an array of rows");
		goto out;
	}
	int64_t total;
	if (json_object_get(resp, "total_count")) {
		if ((rc = union_field_int(resp, "", "total_count", false, &total, err)) != TK_OK)
			goto out;
		if (total < 0) {
			rc = tk_fail(err, TK_EINVAL, "total_count", "must not be negative");
			goto out;
		}
		p->total = total;
	}
	rc = union_page_fill(p, rows, "order_list", pdd_row, err);
out:
	if (rc != TK_OK)
		union_page_drop_rows(p);
	json_decref(doc);
	return rc;
}

enum tk_rc feed_read_pdd(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			 void *ctx, struct tk_error *err)
{
	return union_read(in, name, pdd_reply_parse, cb, reject, ctx, err);
}

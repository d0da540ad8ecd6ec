/* jd.c — JD Union's jd.union.open.order.row.query replies as normalized
 * order rows.  One row per order and SKU (`id`); yuan come as JSON numbers
 * and are converted exactly; the rows sit in `queryResult`, a JSON string
 * inside the JSON.  docs/unions/jd.md explains every mapping. */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/tktime.h"
#include "feeds/union_page.h"
#include "feeds/union_scan.h"
#include "feeds/union_readers.h"

/* JD spells its envelope "responce"; accept the correct spelling too. */
static const char *const jd_envelopes[] = {"jd_union_open_order_row_query_responce",
					   "jd_union_open_order_row_query_response"};
#define JD_BALANCE_EXT_MAX 240 /* monthly commission changes: twenty years' worth */

/* validCode: 15 awaiting payment; 16 paid and 24 deposit paid; 17 completed
 * (and 18, "settled", which JD no longer sends but old rows carry);
 * every other code is one of JD's reasons for an invalid order. */
static enum order_status jd_status(int64_t valid_code)
{
	switch (valid_code) {
	case 15: return ST_UNPAID;
	case 16:
	case 24: return ST_PAID;
	case 17:
	case 18: return ST_RECEIVED;
	default: return ST_INVALID;
	}
}

/* payMonth: yyyyMMdd, the day JD settles the row; "0" until it is known.
 * Gives 00:00 Beijing time of that day, or 0. */
static enum tk_rc jd_pay_month(json_t *row, const char *path, int64_t *day,
			       struct tk_error *err)
{
	int64_t v;
	enum tk_rc rc = union_field_int(row, path, "payMonth", false, &v, err);
	*day = 0;
	if (rc != TK_OK || v == 0)
		return rc;
	int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
	int64_t days = tktime_days_from_civil(y, m, d);
	int yy, mm, dd;
	tktime_civil_from_days(days, &yy, &mm, &dd);
	if (v < 19700101 || v > 99991231 || yy != y || mm != m || dd != d) {
		return union_fail(err, TK_EINVAL, path, "payMonth",
				  "must be a date yyyyMMdd or 0, got %lld", (long long)v);
	}
	*day = days * 86400 - TKTIME_BEIJING_OFFSET;
	return TK_OK;
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* Reads a token of [0-9.+-] (optionally in double quotes). */
static const char *balance_token(const char *s, const char *end, const char **tok, size_t *n)
{
	bool quoted = s < end && *s == '"';
	if (quoted)
		s++;
	*tok = s;
	while (s < end && ((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+'))
		s++;
	*n = (size_t)(s - *tok);
	if (quoted) {
		if (s >= end || *s != '"')
			return NULL;
		s++;
	}
	return *n ? s : NULL;
}

/* A settlement month: yyyyMMdd as JD writes it (at most 8 digits, so that
 * a yyyyMM is read too). */
static bool balance_month(const char *tok, size_t n)
{
	if (n == 0 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tok[i] < '0' || tok[i] > '9')
			return false;
	return true;
}

/* Adds one change to the running sum; false once the sum leaves what
 * money can hold. */
static bool balance_change(int64_t fen, int64_t *sum)
{
	*sum += fen;
	return *sum <= MONEY_MAX_FEN && *sum >= -MONEY_MAX_FEN;
}

/* Checks balanceExt text "{20191020:10,20191120:-2}": the change of the
 * actual commission per settlement month, yuan, read exactly. */
static bool balance_text_valid(const char *s, size_t len)
{
	const char *end = s + len, *tok;
	size_t n;
	int count = 0;
	int64_t sum = 0;
	s = skip_space(s, end);
	if (s == end)
		return true; /* "" : no change recorded yet */
	if (*s++ != '{')
		return false;
	s = skip_space(s, end);
	if (s < end && *s == '}')
		return skip_space(s + 1, end) == end;
	for (;;) {
		int64_t fen;
		if (++count > JD_BALANCE_EXT_MAX)
			return false;
		s = balance_token(skip_space(s, end), end, &tok, &n);
		if (!s || !balance_month(tok, n))
			return false;
		s = skip_space(s, end);
		if (s >= end || *s++ != ':')
			return false;
		s = balance_token(skip_space(s, end), end, &tok, &n);
		if (!s || !money_parse_yuan_n(tok, n, &fen) || !balance_change(fen, &sum))
			return false;
		s = skip_space(s, end);
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		return s < end && *s == '}' && skip_space(s + 1, end) == end;
	}
}

/* balanceExt as JD sends it (a string), or already as a JSON object.  Only
 * checked, never added: the changes it dates sum to actualFee, which JD
 * already keeps current (so adding them would pay the commission twice).
 * The row's raw text keeps it for disputes. */
static enum tk_rc jd_balance_ext(json_t *row, const char *path, struct tk_error *err)
{
	json_t *v = json_object_get(row, "balanceExt");
	bool ok = true;
	if (!v || json_is_null(v))
		return TK_OK;
	if (json_is_string(v)) {
		ok = balance_text_valid(json_string_value(v), json_string_length(v));
	} else if (json_is_object(v) && json_object_size(v) <= JD_BALANCE_EXT_MAX) {
		const char *month;
		json_t *change;
		int64_t sum = 0;
		json_object_foreach(v, month, change) {
			int64_t fen;
			if (!balance_month(month, strlen(month)) ||
			    union_field_yuan(v, "", month, true, &fen, NULL) != TK_OK ||
			    !balance_change(fen, &sum)) {
				ok = false;
				break;
			}
		}
	} else {
		ok = false;
	}
	if (ok)
		return TK_OK;
	char *shown = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	union_fail(err, TK_EINVAL, path, "balanceExt",
		   "must be the monthly commission changes {yyyyMMdd:yuan,...} (at most %d), "
		   "got %.120s",
		   JD_BALANCE_EXT_MAX, shown ? shown : "?");
	free(shown);
	return TK_EINVAL;
}

static enum tk_rc nonneg(int64_t v, const char *path, const char *key, struct tk_error *err)
{
	if (v >= 0)
		return TK_OK;
	return union_fail(err, TK_EINVAL, path, key, "must not be negative, got %lld fen",
			  (long long)v);
}

/* The campaign fields (docs/unions/jd.md, "Campaign orders"): cpActId the
 * campaign (0 none), unionRole 2 the head's row (his service fee on
 * another channel's sale), rid / channelId the channel, popId or
 * goodsInfo.shopId the shop, cid1 the category.  Runs after the
 * settlement rule chose the commission, which a head row's fee follows. */
static enum tk_rc jd_campaign(json_t *row, const char *path, struct order_row *r,
			      struct tk_error *err)
{
	struct order_campaign *c = &r->campaign;
	char rid[ORDER_KEY_MAX], chan[ORDER_KEY_MAX], pop[ORDER_KEY_MAX];
	int64_t role;
	enum tk_rc rc;
	json_t *goods = json_object_get(row, "goodsInfo");
	char gpath[64];
	snprintf(gpath, sizeof(gpath), "%s.goodsInfo", path);
	if ((rc = union_field_text(row, path, "cpActId", false, c->ext, sizeof(c->ext), err)) ||
	    (rc = union_field_int(row, path, "unionRole", false, &role, err)) ||
	    (rc = union_field_text(row, path, "rid", false, rid, sizeof(rid), err)) ||
	    (rc = union_field_text(row, path, "channelId", false, chan, sizeof(chan), err)) ||
	    (rc = union_field_text(row, path, "popId", false, pop, sizeof(pop), err)) ||
	    (rc = union_field_text(row, path, "cid1", false, c->category, sizeof(c->category),
				   err)) ||
	    (rc = union_field_beijing(row, path, "orderTime", false, &c->ordered_at, err)))
		return rc;
	if (goods && !json_is_null(goods) && !json_is_object(goods))
		return union_fail(err, TK_EINVAL, path, "goodsInfo", "must be an object");
	/* the seller: popId, else the goods' shop (JD's own goods have popId 0) */
	if (strcmp(pop, "0") == 0)
		pop[0] = '\0';
	if (json_is_object(goods) && !pop[0] &&
	    (rc = union_field_text(goods, gpath, "shopId", false, pop, sizeof(pop), err)))
		return rc;
	if (role < 0 || role > 3)
		return union_fail(err, TK_EINVAL, path, "unionRole", "must be 0..3, got %lld",
				  (long long)role);
	if (strcmp(c->ext, "0") == 0)
		c->ext[0] = '\0';
	if (strcmp(c->category, "0") == 0)
		c->category[0] = '\0';
	union_copy(c->shop, sizeof(c->shop), pop);
	const char *kind = rid[0] && strcmp(rid, "0") ? "rid"
			   : chan[0] && strcmp(chan, "0") ? "channelId"
							  : "";
	union_copy(c->channel_kind, sizeof(c->channel_kind), kind);
	union_copy(c->channel, sizeof(c->channel), kind[0] == 'r' ? rid : kind[0] ? chan : "");
	return role == 2 ? union_row_make_head(r, path, err) : TK_OK;
}

/* One JD row to a normalized row.  Settlement: JD fixes payMonth when an
 * order completes; from then on the row is settled on that day and its
 * commission is actualFee, which JD updates after a refund (balanceExt
 * only dates those changes, so it is checked but never added). */
static enum tk_rc jd_row(json_t *row, const char *path, struct order_row *r,
			 struct tk_error *err)
{
	int64_t code, qty, settle_day, est_fee, act_fee, est_base, act_base;
	char sub_union[ORDER_KEY_MAX], position[ORDER_KEY_MAX];
	enum tk_rc rc;

	memset(r, 0, sizeof(*r));
	memcpy(r->union_, "jd", 3);
	if ((rc = union_field_text(row, path, "id", true, r->item, sizeof(r->item), err)) ||
	    (rc = union_field_text(row, path, "orderId", false, r->order, sizeof(r->order), err)) ||
	    (rc = union_field_int(row, path, "validCode", true, &code, err)) ||
	    (rc = union_field_beijing(row, path, "modifyTime", true, &r->modified_at, err)) ||
	    (rc = union_field_beijing(row, path, "orderTime", false, &r->paid_at, err)) ||
	    (rc = jd_pay_month(row, path, &settle_day, err)) ||
	    (rc = union_field_yuan(row, path, "estimateFee", true, &est_fee, err)) ||
	    (rc = union_field_yuan(row, path, "actualFee", false, &act_fee, err)) ||
	    (rc = union_field_yuan(row, path, "estimateCosPrice", false, &est_base, err)) ||
	    (rc = union_field_yuan(row, path, "actualCosPrice", false, &act_base, err)) ||
	    (rc = union_field_int(row, path, "skuNum", false, &qty, err)) ||
	    (rc = union_field_text(row, path, "skuId", false, r->product, sizeof(r->product),
				   err)) ||
	    (rc = union_field_text(row, path, "subUnionId", false, sub_union, sizeof(sub_union),
				   err)) ||
	    (rc = union_field_text(row, path, "positionId", false, position, sizeof(position),
				   err)) ||
	    (rc = jd_balance_ext(row, path, err)))
		return rc;
	if ((rc = nonneg(est_fee, path, "estimateFee", err)) ||
	    (rc = nonneg(act_fee, path, "actualFee", err)) ||
	    (rc = nonneg(est_base, path, "estimateCosPrice", err)) ||
	    (rc = nonneg(act_base, path, "actualCosPrice", err)))
		return rc;
	if (qty < 0 || qty > 1000000)
		return union_fail(err, TK_EINVAL, path, "skuNum", "must be 0..1000000, got %lld",
				  (long long)qty);
	union_field_title(row, "skuName", r->title, sizeof(r->title));
	r->quantity = (int32_t)qty;
	r->status = jd_status(code);
	if (r->status == ST_UNPAID)
		r->paid_at = 0;
	r->commission = est_fee;
	r->amount = est_base;
	if (settle_day && (r->status == ST_PAID || r->status == ST_RECEIVED)) {
		r->status = ST_SETTLED;
		r->settled_at = settle_day;
		r->amount = act_base;
		r->commission = act_fee;
	}
	union_row_tag(r, "subUnionId", sub_union);
	union_row_tag(r, "positionId", position);
	return jd_campaign(row, path, r, err);
}

/* The union's error answers: the gateway's error_response, the envelope's
 * code, or queryResult's code. */
static enum tk_rc jd_fault(struct union_page *p, const char *code, const char *msg,
			   struct tk_error *err)
{
	p->fault.present = true;
	snprintf(p->fault.code, sizeof(p->fault.code), "%s", code);
	/* Gateway codes: 19 bad signature, 29/30 bad app key; queryResult 403
	 * no permission, 411 bad window. */
	static const char *const permanent[] = {"19", "29", "30", "403", "411"};
	for (size_t i = 0; i < sizeof(permanent) / sizeof(permanent[0]); i++)
		if (strcmp(code, permanent[i]) == 0)
			p->fault.permanent = true;
	/* JD names no rate-limit code of its own; its messages say 频率/频繁. */
	p->fault.rate_limited = strcmp(code, "429") == 0 || strstr(msg, "频") != NULL;
	return tk_fail(err, TK_EINVAL, "body", "JD answered with error %s: %.200s", code, msg);
}

static const char *json_text(json_t *obj, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		snprintf(buf, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
		buf[0] = '\0';
	return buf;
}

/* text with the span `cut` replaced by "null" (owned; NULL on no memory). */
static char *splice_null(const char *text, size_t len, struct union_span cut, size_t *out_len)
{
	size_t head = (size_t)(cut.s - text), tail = len - head - cut.n;
	char *out = malloc(head + 4 + tail + 1);
	if (!out)
		return NULL;
	memcpy(out, text, head);
	memcpy(out + head, "null", 4);
	memcpy(out + head + 4, cut.s + cut.n, tail);
	out[head + 4 + tail] = '\0';
	*out_len = head + 4 + tail;
	return out;
}

/* The reply's rows are nearly all of it, inside the queryResult string.
 * So that jansson builds only what is small, the scanner (union_scan.h)
 * validates the text, cuts the queryResult string out and decodes it, and
 * cuts the data array out of that: jansson then parses the two small rests
 * (envelope, codes, hasMore) and each row alone, and each row's raw text is
 * exactly what JD sent. */
enum tk_rc jd_reply_parse(const char *body, size_t len, struct union_page *p,
			  struct tk_error *err)
{
	json_t *doc = NULL, *result = NULL;
	char *outer = NULL, *inner = NULL, *inner_rest = NULL;
	size_t outer_len = len, inner_len = 0, rest_len;
	struct union_span whole = {body, len}, env, qr_span, data = {NULL, 0};
	char code[64], msg[256];
	enum tk_rc rc;

	if (len <= UNION_BODY_MAX && !union_scan_valid(body, len)) {
		rc = union_json_load(body, len, &doc, err); /* jansson's words for the fault */
		if (rc == TK_OK)
			rc = tk_fail(err, TK_ELIMIT, "body", "is nested more than %d deep",
				     UNION_SCAN_DEPTH);
		goto out;
	}
	for (size_t i = 0; i < 2 && !outer; i++)
		if (union_scan_member(whole, jd_envelopes[i], &env) &&
		    union_scan_member(env, "queryResult", &qr_span) && qr_span.s[0] == '"') {
			if (!(outer = splice_null(body, len, qr_span, &outer_len)) ||
			    !(inner = malloc(qr_span.n))) {
				rc = tk_fail(err, TK_ENOMEM, "body", "out of memory");
				goto out;
			}
			if (!union_scan_string(qr_span, inner, &inner_len)) {
				rc = tk_fail(err, TK_EINVAL, "queryResult",
					     "has a \\u escape of NUL or a lone surrogate");
				goto out;
			}
		}
	if ((rc = union_json_load(outer ? outer : body, outer_len, &doc, err)) != TK_OK)
		goto out;

	json_t *gw = json_object_get(doc, "error_response");
	if (json_is_object(gw)) {
		json_text(gw, "zh_desc", msg, sizeof(msg));
		if (!msg[0])
			json_text(gw, "en_desc", msg, sizeof(msg));
		rc = jd_fault(p, json_text(gw, "code", code, sizeof(code)), msg, err);
		goto out;
	}
	json_t *resp = NULL;
	for (size_t i = 0; i < 2 && !resp; i++)
		resp = json_object_get(doc, jd_envelopes[i]);
	if (!json_is_object(resp)) {
		rc = tk_fail(err, TK_EINVAL, "body",
			     "not a jd.union.open.order.row.query reply: no %s object",
			     jd_envelopes[0]);
		goto out;
	}
	json_text(resp, "code", code, sizeof(code));
	if (code[0] && strcmp(code, "0") != 0) {
		rc = jd_fault(p, code, json_text(resp, "msg", msg, sizeof(msg)), err);
		goto out;
	}
	json_t *qr = json_object_get(resp, "queryResult");
	if (inner) {
		struct union_span in = {inner, inner_len};
		if (!union_scan_valid(inner, inner_len)) {
			json_error_t je;
			json_t *probe = json_loadb(inner, inner_len, 0, &je);
			rc = tk_fail(err, TK_EINVAL, "queryResult",
				     "must hold a JSON object (column %d: %s)", je.column,
				     probe ? "not an object" : je.text);
			json_decref(probe);
			goto out;
		}
		if (union_scan_member(in, "data", &data)) {
			if (!(inner_rest = splice_null(inner, inner_len, data, &rest_len))) {
				rc = tk_fail(err, TK_ENOMEM, "body", "out of memory");
				goto out;
			}
		}
		result = json_loadb(inner_rest ? inner_rest : inner, inner_rest ? rest_len : inner_len,
				    JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(result)) {
			rc = tk_fail(err, TK_EINVAL, "queryResult", "must hold a JSON object");
			goto out;
		}
	} else if (json_is_object(qr)) {
		result = json_incref(qr);
	} else {
		rc = tk_fail(err, TK_EINVAL, "queryResult", "is required (a JSON string)");
		goto out;
	}
	json_text(result, "code", code, sizeof(code));
	if (strcmp(code, "200") != 0) {
		json_text(result, "message", msg, sizeof(msg));
		rc = code[0] ? jd_fault(p, code, msg, err)
			     : tk_fail(err, TK_EINVAL, "queryResult.code", "is required");
		goto out;
	}
	p->has_next = json_is_true(json_object_get(result, "hasMore"));
	if (data.s && !(data.s[0] == 'n' || data.s[0] == '[')) {
		rc = tk_fail(err, TK_EINVAL, "queryResult.data", "must be an array of rows");
		goto out;
	}
	if (data.s && data.s[0] == '[')
		rc = union_page_fill_spans(p, &data, "data", jd_row, err);
	else if (!inner && json_object_get(result, "data") &&
		 !json_is_null(json_object_get(result, "data")) &&
		 !json_is_array(json_object_get(result, "data")))
		rc = tk_fail(err, TK_EINVAL, "queryResult.data", "must be an array of rows");
	else if (!inner)
		rc = union_page_fill(p, json_object_get(result, "data"), "data", jd_row, err);
out:
	if (rc != TK_OK)
		union_page_drop_rows(p);
	json_decref(result);
	json_decref(doc);
	free(outer);
	free(inner);
	free(inner_rest);
	return rc;
}

enum tk_rc feed_read_jd(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			void *ctx, struct tk_error *err)
{
	return union_read(in, name, jd_reply_parse, cb, reject, ctx, err);
}

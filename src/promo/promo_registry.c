/* promo_registry.c — the head's registry (promo_registry.h): every write
 * checks its fields, runs in one transaction with its action-log entry, and
 * a slot fee's booking and waiver post their ledger transfer in the same
 * transaction as the fee's row. */
#include "promo/promo_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "core/promo_rules.h"
#include "core/tktime.h"
#include "core/utf8.h"

static enum tk_rc need_store(struct store *st, struct tk_error *err)
{
	return st->promo ? TK_OK
			 : tk_fail(err, TK_EINVAL, "merchant", "this store keeps no registry");
}

/* ---- field checks ---- */

/* A text of min..max bytes of UTF-8; `lines` lets notes and terms hold
 * line breaks and tabs, other control characters never. */
static enum tk_rc text_check(const char *field, const char *s, size_t min, size_t max, bool lines,
			     struct tk_error *err)
{
	size_t n = strlen(s);
	if (n < min || n > max) {
		tk_fail_key(err, n > max ? TK_ELIMIT : TK_EINVAL, field, "promo.length",
			    "must be %zu..%zu bytes, got %zu", min, max, n);
		tk_error_int(err, "min", (long long)min);
		tk_error_int(err, "max", (long long)max);
		return n > max ? TK_ELIMIT : TK_EINVAL;
	}
	if (utf8_invalid_at(s, n) != n)
		return tk_fail_key(err, TK_EINVAL, field, "promo.not_utf8", "must be UTF-8 text");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t' || *p == '\r'))) || *p == 0x7f)
			return tk_fail_key(err, TK_EINVAL, field, "field.control_chars",
					   "must not contain control characters");
	return TK_OK;
}

/* An id from outside (a shop, a product, a campaign's): 1..95 bytes, no
 * spaces. */
static enum tk_rc id_check(const char *field, const char *s, bool required, struct tk_error *err)
{
	enum tk_rc rc = text_check(field, s, required ? 1 : 0, PROMO_ID_BYTES, false, err);
	if (rc)
		return rc;
	if (strchr(s, ' ')) {
		tk_fail_key(err, TK_EINVAL, field, "promo.id_spaces", "must not contain spaces: \"%s\"",
			    s);
		tk_error_str(err, "value", s);
		return TK_EINVAL;
	}
	return TK_OK;
}

static enum tk_rc money_check(const char *field, int64_t v, struct tk_error *err)
{
	if (v >= 0 && v <= PROMO_MONEY_MAX)
		return TK_OK;
	tk_fail_key(err, TK_EINVAL, field, "promo.money", "must be 0..%lld fen, got %lld",
		    PROMO_MONEY_MAX, (long long)v);
	tk_error_int(err, "max", PROMO_MONEY_MAX);
	tk_error_int(err, "value", (long long)v);
	return TK_EINVAL;
}

static enum tk_rc rate_check(const char *field, const char *s, int64_t *pm, struct tk_error *err)
{
	if (s && promo_rate_parse(s, pm))
		return TK_OK;
	tk_fail_key(err, TK_EINVAL, field, "promo.rate",
		    "must be per mille 0..1000 or a percentage with one decimal at most "
		    "(\"20.5\"), got \"%.40s\"",
		    s ? s : "");
	tk_error_str(err, "value", s ? s : "");
	return TK_EINVAL;
}

static enum tk_rc union_check(const char *u, struct tk_error *err)
{
	if (u && promo_union_valid(u))
		return TK_OK;
	tk_fail_key(err, TK_EINVAL, "union", "promo.union", "must be jd, taobao or pdd, got \"%.16s\"",
		    u ? u : "");
	tk_error_str(err, "value", u ? u : "");
	return TK_EINVAL;
}

static enum tk_rc status_check(const char *s, struct tk_error *err)
{
	if (s && promo_status_valid(s))
		return TK_OK;
	tk_fail_key(err, TK_EINVAL, "status", "promo.status",
		    "must be pending, approved, rejected or ended, got \"%.16s\"", s ? s : "");
	tk_error_str(err, "value", s ? s : "");
	return TK_EINVAL;
}

/* ---- times ---- */

enum tk_rc promo_time_parse(const char *field, const char *s, bool end_of_day, int64_t *t,
			    struct tk_error *err)
{
	char buf[32];
	size_t n = strlen(s);
	if (n == 10 && snprintf(buf, sizeof(buf), "%s 00:00:00", s) > 0 &&
	    tktime_parse_local(buf, TKTIME_BEIJING_OFFSET, t)) {
		if (end_of_day)
			*t += 86399;
		return TK_OK;
	}
	if (n == 16 && snprintf(buf, sizeof(buf), "%s:00", s) > 0 &&
	    tktime_parse_local(buf, TKTIME_BEIJING_OFFSET, t))
		return TK_OK;
	if (n < sizeof(buf) &&
	    (tktime_parse_local(s, TKTIME_BEIJING_OFFSET, t) || tktime_parse_iso8601(s, t)))
		return TK_OK;
	tk_fail_key(err, TK_EINVAL, field, "promo.time",
		    "must be a date (2026-12-01) or a time (2026-12-01 10:00, ISO 8601), got \"%.40s\"",
		    s);
	tk_error_str(err, "value", s);
	return TK_EINVAL;
}

bool promo_rate_text(const json_t *v, char buf[32])
{
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		/* a negative or huge integer is refused by the parser as text */
		snprintf(buf, 32, "%lld", (long long)i);
		return true;
	}
	if (json_is_string(v) && json_string_length(v) < 32) {
		snprintf(buf, 32, "%s", json_string_value(v));
		return true;
	}
	return false;
}

/* ---- documents ---- */

static json_t *time_json(int64_t t)
{
	char buf[TKTIME_BUF];
	return t ? json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf)) : json_null();
}

json_t *promo_merchant_json(const struct merchant_rec *m)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)m->id, "name", m->name, "contact", m->contact, "phone",
			 m->phone, "wechat", m->wechat, "terms", m->terms, "note", m->note, "state",
			 m->state, "created_at", time_json(m->created_at), "updated_at",
			 time_json(m->updated_at));
}

json_t *promo_shop_json(const struct shop_rec *s)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)s->id, "merchant",
			 (json_int_t)s->merchant, "union", s->union_, "shop", s->shop, "name",
			 s->name);
}

json_t *promo_campaign_json(const struct campaign_rec *c)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o}",
			 "id", (json_int_t)c->id, "merchant", (json_int_t)c->merchant,
			 "merchant_name", c->merchant_name, "union", c->union_,
			 "ext_id", c->ext_id, "name", c->name, "status", c->status, "apply_from",
			 time_json(c->apply_from), "apply_to", time_json(c->apply_to),
			 "promote_from", time_json(c->promote_from), "promote_to",
			 time_json(c->promote_to), "note", c->note, "created_at",
			 time_json(c->created_at), "updated_at", time_json(c->updated_at));
}

json_t *promo_item_json(const struct campaign_item_rec *i)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)i->id, "campaign", (json_int_t)i->campaign, "product",
			 i->product, "title", i->title, "category", i->category, "price_fen",
			 (json_int_t)i->price, "commission_permille", (json_int_t)i->commission_pm,
			 "service_fee_permille", (json_int_t)i->service_pm, "coupon_fen",
			 (json_int_t)i->coupon, "coupon_url", i->coupon_url, "status", i->status,
			 "created_at", time_json(i->created_at), "updated_at",
			 time_json(i->updated_at));
}

json_t *promo_slot_json(const struct slot_fee_rec *f)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:I, s:s, s:o, s:o, s:o, s:s}", "id",
			 (json_int_t)f->id, "campaign", (json_int_t)f->campaign, "campaign_name",
			 f->campaign_name, "merchant", (json_int_t)f->merchant, "channel",
			 (json_int_t)f->channel, "channel_name", f->channel_name,
			 "amount_fen", (json_int_t)f->amount, "state", f->state, "booked_at",
			 time_json(f->booked_at), "collected_at", time_json(f->collected_at),
			 "waived_at", time_json(f->waived_at), "note", f->note);
}

/* ---- the action log ---- */

static enum tk_rc log_change(struct store *st, int64_t now, const char *what, const char *kind,
			     int64_t id, json_t *before, json_t *after, struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "%s:%lld", kind, (long long)id);
	enum tk_rc rc = actions_record(st, now, what, subject, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- merchants ---- */

static enum tk_rc merchant_fields(const struct promo_merchant_req *r, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	if ((r->name && (rc = text_check("name", r->name, 1, PROMO_NAME_BYTES, false, err))) ||
	    (r->contact &&
	     (rc = text_check("contact", r->contact, 0, PROMO_NAME_BYTES, false, err))) ||
	    (r->phone && (rc = text_check("phone", r->phone, 0, PROMO_NAME_BYTES, false, err))) ||
	    (r->wechat && (rc = text_check("wechat", r->wechat, 0, PROMO_NAME_BYTES, false, err))) ||
	    (r->terms && (rc = text_check("terms", r->terms, 0, PROMO_TEXT_BYTES, true, err))) ||
	    (r->note && (rc = text_check("note", r->note, 0, PROMO_TEXT_BYTES, true, err))))
		return rc;
	if (r->state && strcmp(r->state, "active") && strcmp(r->state, "archived")) {
		tk_fail_key(err, TK_EINVAL, "state", "promo.merchant_state",
			    "must be active or archived, got \"%.16s\"", r->state);
		tk_error_str(err, "value", r->state);
		return TK_EINVAL;
	}
	return TK_OK;
}

#define SET(dst, src)                                          \
	do {                                                   \
		if (src)                                       \
			snprintf(dst, sizeof(dst), "%s", src); \
	} while (0)

static void merchant_apply(struct merchant_rec *m, const struct promo_merchant_req *r)
{
	SET(m->name, r->name);
	SET(m->contact, r->contact);
	SET(m->phone, r->phone);
	SET(m->wechat, r->wechat);
	SET(m->terms, r->terms);
	SET(m->note, r->note);
	SET(m->state, r->state);
}

static json_t *merchant_summary(const struct merchant_rec *m)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "name", m->name, "contact", m->contact, "phone",
			 m->phone, "state", m->state);
}

enum tk_rc promo_merchant_add(struct store *st, const struct promo_merchant_req *r, int64_t now,
			      struct merchant_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)))
		return rc;
	if (!r->name)
		return tk_fail_key(err, TK_EINVAL, "name", "field.required", "is required");
	if ((rc = merchant_fields(r, err)))
		return rc;
	if (r->state && strcmp(r->state, "active"))
		return tk_fail(err, TK_EINVAL, "state", "a new merchant is active");
	memset(out, 0, sizeof(*out));
	snprintf(out->state, sizeof(out->state), "active");
	merchant_apply(out, r);
	out->created_at = out->updated_at = now;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	rc = st->promo->merchant_insert(st, out, err);
	if (!rc)
		rc = log_change(st, now, "merchant.add", "merchant", out->id, NULL,
				merchant_summary(out), err);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_merchant_update(struct store *st, int64_t id, const struct promo_merchant_req *r,
				 int64_t now, struct merchant_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = merchant_fields(r, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->promo->merchant_get(st, id, out, err)))
		return store_tx_end(st, rc, err);
	json_t *before = merchant_summary(out);
	merchant_apply(out, r);
	out->updated_at = now;
	rc = st->promo->merchant_update(st, out, err);
	const char *what = r->state && strcmp(r->state, "archived") == 0 ? "merchant.archive"
									  : "merchant.update";
	if (!rc)
		rc = log_change(st, now, what, "merchant", id, before, merchant_summary(out), err);
	else
		json_decref(before);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_merchant_get(struct store *st, int64_t id, struct merchant_rec *out,
			      struct tk_error *err)
{
	enum tk_rc rc = need_store(st, err);
	return rc ? rc : st->promo->merchant_get(st, id, out, err);
}

/* ---- shops ---- */

enum tk_rc promo_shop_add(struct store *st, int64_t merchant, const char *union_,
			  const char *shop, const char *name, int64_t now, struct shop_rec *out,
			  struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = union_check(union_, err)) ||
	    (rc = id_check("shop", shop ? shop : "", true, err)) ||
	    (name && (rc = text_check("name", name, 0, PROMO_NAME_BYTES, false, err))))
		return rc;
	memset(out, 0, sizeof(*out));
	out->merchant = merchant;
	SET(out->union_, union_);
	SET(out->shop, shop);
	SET(out->name, name);
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	struct merchant_rec *m = malloc(sizeof(*m));
	if (!m)
		return store_tx_end(st, tk_fail(err, TK_ENOMEM, "", "out of memory"), err);
	struct shop_rec held;
	struct tk_error e2;
	if ((rc = st->promo->merchant_get(st, merchant, m, err)))
		goto out;
	rc = st->promo->shop_find(st, union_, shop, &held, &e2);
	if (rc == TK_OK) {
		/* whose it is, so that the operator knows whom to ask */
		struct merchant_rec *h = malloc(sizeof(*h));
		bool named = h && !st->promo->merchant_get(st, held.merchant, h, &e2);
		tk_fail_key(err, TK_ECONFLICT, "shop", "promo.shop_taken",
			    "shop %s/%s belongs to merchant %lld (%s)", union_, shop,
			    (long long)held.merchant, named ? h->name : "");
		tk_error_str(err, "shop", shop);
		tk_error_int(err, "merchant", (long long)held.merchant);
		tk_error_str(err, "merchant_name", named ? h->name : "");
		free(h);
		rc = TK_ECONFLICT;
		goto out;
	}
	if (rc != TK_ENOTFOUND) {
		*err = e2;
		goto out;
	}
	if ((rc = st->promo->shop_add(st, out, err)))
		goto out;
	rc = log_change(st, now, "merchant.shop_add", "merchant", merchant, NULL,
			json_pack("{s:s, s:s, s:s}", "union", union_, "shop", shop, "name",
				  out->name),
			err);
out:
	free(m);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_shop_remove(struct store *st, int64_t merchant, const char *union_,
			     const char *shop, int64_t now, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = union_check(union_, err)) ||
	    (rc = id_check("shop", shop ? shop : "", true, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	rc = st->promo->shop_remove(st, merchant, union_, shop, err);
	if (!rc)
		rc = log_change(st, now, "merchant.shop_remove", "merchant", merchant,
				json_pack("{s:s, s:s}", "union", union_, "shop", shop), NULL, err);
	return store_tx_end(st, rc, err);
}

/* ---- campaigns ---- */

/* The windows of c (the stored campaign with the request applied). */
static enum tk_rc windows_check(const struct campaign_rec *c, struct tk_error *err)
{
	if (c->promote_from <= 0 || c->promote_to <= 0)
		return tk_fail_key(err, TK_EINVAL, "promote_from", "field.required",
				   "the promotion window is required");
	if (c->promote_to < c->promote_from) {
		tk_fail_key(err, TK_EINVAL, "promote_to", "promo.window",
			    "the promotion window ends before it starts");
		tk_error_int(err, "from", (long long)c->promote_from);
		tk_error_int(err, "to", (long long)c->promote_to);
		return TK_EINVAL;
	}
	if (!c->apply_from && !c->apply_to)
		return TK_OK;
	if (!c->apply_from || !c->apply_to || c->apply_to < c->apply_from) {
		tk_fail_key(err, TK_EINVAL, "apply_to", "promo.window",
			    "the application window must have a start and an end, in order");
		tk_error_int(err, "from", (long long)c->apply_from);
		tk_error_int(err, "to", (long long)c->apply_to);
		return TK_EINVAL;
	}
	/* merchants apply before or during the promotion, never after it */
	if (c->apply_to > c->promote_to)
		return tk_fail_key(err, TK_EINVAL, "apply_to", "promo.apply_window",
				   "the application window ends after the promotion");
	return TK_OK;
}

static enum tk_rc campaign_fields(const struct promo_campaign_req *r, const char *union_,
				  struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	if ((r->name && (rc = text_check("name", r->name, 1, PROMO_NAME_BYTES, false, err))) ||
	    (r->note && (rc = text_check("note", r->note, 0, PROMO_TEXT_BYTES, true, err))) ||
	    (r->ext_id && (rc = id_check("ext_id", r->ext_id, false, err))))
		return rc;
	if (r->ext_id && !promo_ext_id_valid(union_, r->ext_id)) {
		tk_fail_key(err, TK_EINVAL, "ext_id", "promo.ext_id",
			    "a JD campaign id (cpActId) is digits, got \"%s\"", r->ext_id);
		tk_error_str(err, "value", r->ext_id);
		return TK_EINVAL;
	}
	return TK_OK;
}

static void campaign_apply(struct campaign_rec *c, const struct promo_campaign_req *r)
{
	SET(c->ext_id, r->ext_id);
	SET(c->name, r->name);
	SET(c->note, r->note);
	if (r->apply_from)
		c->apply_from = r->apply_from;
	if (r->apply_to)
		c->apply_to = r->apply_to;
	if (r->promote_from)
		c->promote_from = r->promote_from;
	if (r->promote_to)
		c->promote_to = r->promote_to;
}

static json_t *campaign_summary(const struct campaign_rec *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "merchant", (json_int_t)c->merchant,
			 "union", c->union_, "name", c->name, "status", c->status, "promote_from",
			 (json_int_t)c->promote_from, "promote_to", (json_int_t)c->promote_to);
}

enum tk_rc promo_campaign_add(struct store *st, const struct promo_campaign_req *r, int64_t now,
			      struct campaign_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = union_check(r->union_, err)))
		return rc;
	if (!r->name)
		return tk_fail_key(err, TK_EINVAL, "name", "field.required", "is required");
	if ((rc = campaign_fields(r, r->union_, err)))
		return rc;
	memset(out, 0, sizeof(*out));
	out->merchant = r->merchant;
	SET(out->union_, r->union_);
	snprintf(out->status, sizeof(out->status), "pending");
	campaign_apply(out, r);
	out->created_at = out->updated_at = now;
	if ((rc = windows_check(out, err)))
		return rc;
	struct merchant_rec *m = malloc(sizeof(*m));
	if (!m)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->ops->tx_begin(st, err))) {
		free(m);
		return rc;
	}
	if ((rc = st->promo->merchant_get(st, r->merchant, m, err)))
		goto out;
	if (strcmp(m->state, "active")) {
		tk_fail_key(err, TK_ECONFLICT, "merchant", "promo.merchant_archived",
			    "merchant %lld is archived", (long long)m->id);
		tk_error_int(err, "merchant", (long long)m->id);
		rc = TK_ECONFLICT;
		goto out;
	}
	snprintf(out->merchant_name, sizeof(out->merchant_name), "%s", m->name);
	if (!(rc = st->promo->campaign_insert(st, out, err)))
		rc = log_change(st, now, "campaign.add", "campaign", out->id, NULL,
				campaign_summary(out), err);
out:
	free(m);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_campaign_update(struct store *st, int64_t id, const struct promo_campaign_req *r,
				 int64_t now, struct campaign_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->promo->campaign_get(st, id, out, err)) ||
	    (rc = campaign_fields(r, out->union_, err)))
		return store_tx_end(st, rc, err);
	json_t *before = campaign_summary(out);
	campaign_apply(out, r);
	out->updated_at = now;
	if (!(rc = windows_check(out, err)) && !(rc = st->promo->campaign_update(st, out, err)))
		rc = log_change(st, now, "campaign.update", "campaign", id, before,
				campaign_summary(out), err);
	else
		json_decref(before);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_campaign_status(struct store *st, int64_t id, const char *status,
				 const char *reason, int64_t now, struct campaign_rec *out,
				 struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = status_check(status, err)) ||
	    (reason && (rc = actions_reason_check(reason, "reason", err))))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->promo->campaign_get(st, id, out, err)))
		return store_tx_end(st, rc, err);
	if (!promo_status_move(out->status, status)) {
		tk_fail_key(err, TK_ECONFLICT, "status", "promo.status_move",
			    "campaign %lld cannot go from %s to %s", (long long)id, out->status,
			    status);
		tk_error_str(err, "from", out->status);
		tk_error_str(err, "to", status);
		return store_tx_end(st, TK_ECONFLICT, err);
	}
	json_t *before = json_pack("{s:s}", "status", out->status);
	snprintf(out->status, sizeof(out->status), "%s", status);
	out->updated_at = now;
	if (!(rc = st->promo->campaign_update(st, out, err)))
		rc = log_change(st, now, "campaign.status", "campaign", id, before,
				json_pack("{s:s, s:s}", "status", status, "reason",
					  reason ? reason : ""),
				err);
	else
		json_decref(before);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_campaign_get(struct store *st, int64_t id, struct campaign_rec *out,
			      struct tk_error *err)
{
	enum tk_rc rc = need_store(st, err);
	return rc ? rc : st->promo->campaign_get(st, id, out, err);
}

/* ---- campaign products ---- */

enum tk_rc promo_item_check(const struct promo_item_req *r, struct campaign_item_rec *i,
			      struct tk_error *err)
{
	enum tk_rc rc;
	memset(i, 0, sizeof(*i));
	if ((rc = id_check("product", r->product ? r->product : "", true, err)) ||
	    (r->title && (rc = text_check("title", r->title, 0, PROMO_TITLE_BYTES, false, err))) ||
	    (r->category &&
	     (rc = text_check("category", r->category, 0, PROMO_NAME_BYTES, false, err))) ||
	    (r->coupon_url &&
	     (rc = text_check("coupon_url", r->coupon_url, 0, PROMO_TEXT_BYTES, false, err))) ||
	    (rc = rate_check("commission_permille", r->commission, &i->commission_pm, err)) ||
	    (rc = rate_check("service_fee_permille", r->service, &i->service_pm, err)) ||
	    (rc = money_check("price_fen", r->price, err)) ||
	    (rc = money_check("coupon_fen", r->coupon, err)))
		return rc;
	SET(i->product, r->product);
	SET(i->title, r->title);
	SET(i->category, r->category);
	SET(i->coupon_url, r->coupon_url);
	i->price = r->price;
	i->coupon = r->coupon;
	return TK_OK;
}

static json_t *item_summary(const struct campaign_item_rec *i)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:s}", "product", i->product, "price_fen",
			 (json_int_t)i->price, "commission_permille", (json_int_t)i->commission_pm,
			 "service_fee_permille", (json_int_t)i->service_pm, "coupon_fen",
			 (json_int_t)i->coupon, "status", i->status);
}

/* A campaign that takes products: not ended. */
static enum tk_rc campaign_open(struct store *st, int64_t campaign, struct tk_error *err)
{
	struct campaign_rec *c = malloc(sizeof(*c));
	if (!c)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = st->promo->campaign_get(st, campaign, c, err);
	if (!rc && strcmp(c->status, "ended") == 0) {
		tk_fail_key(err, TK_ECONFLICT, "campaign", "promo.campaign_ended",
			    "campaign %lld has ended", (long long)campaign);
		tk_error_int(err, "campaign", (long long)campaign);
		rc = TK_ECONFLICT;
	}
	free(c);
	return rc;
}

/* Writes one checked product inside the open transaction. */
static enum tk_rc item_write(struct store *st, struct campaign_item_rec *i, int64_t now,
			     bool *created, struct tk_error *err)
{
	struct campaign_item_rec *was = malloc(sizeof(*was));
	if (!was)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	struct tk_error e2;
	bool existed = !st->promo->item_get(st, i->campaign, i->product, was, &e2);
	i->created_at = i->updated_at = now;
	enum tk_rc rc = st->promo->item_upsert(st, i, created, err);
	if (!rc)
		rc = log_change(st, now, "campaign.item_put", "campaign", i->campaign,
				existed ? item_summary(was) : NULL, item_summary(i), err);
	free(was);
	return rc;
}

enum tk_rc promo_item_put(struct store *st, int64_t campaign, const struct promo_item_req *r,
			  int64_t now, struct campaign_item_rec *out, bool *created,
			  struct tk_error *err)
{
	enum tk_rc rc;
	bool made = false;
	if ((rc = need_store(st, err)) || (rc = promo_item_check(r, out, err)))
		return rc;
	out->campaign = campaign;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if (!(rc = campaign_open(st, campaign, err)))
		rc = item_write(st, out, now, &made, err);
	if (created)
		*created = made;
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_item_status(struct store *st, int64_t campaign, const char *product,
			     const char *status, int64_t now, struct campaign_item_rec *out,
			     struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = status_check(status, err)) ||
	    (rc = id_check("product", product, true, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->promo->item_get(st, campaign, product, out, err)))
		return store_tx_end(st, rc, err);
	if (!promo_status_move(out->status, status)) {
		tk_fail_key(err, TK_ECONFLICT, "status", "promo.status_move",
			    "product %s cannot go from %s to %s", product, out->status, status);
		tk_error_str(err, "from", out->status);
		tk_error_str(err, "to", status);
		return store_tx_end(st, TK_ECONFLICT, err);
	}
	json_t *before = json_pack("{s:s, s:s}", "product", product, "status", out->status);
	snprintf(out->status, sizeof(out->status), "%s", status);
	out->updated_at = now;
	if (!(rc = st->promo->item_set_status(st, out->id, status, now, err)))
		rc = log_change(st, now, "campaign.item_status", "campaign", campaign, before,
				json_pack("{s:s, s:s}", "product", product, "status", status), err);
	else
		json_decref(before);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_item_remove(struct store *st, int64_t campaign, const char *product,
			     int64_t now, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = id_check("product", product, true, err)))
		return rc;
	struct campaign_item_rec *i = malloc(sizeof(*i));
	if (!i)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->ops->tx_begin(st, err))) {
		free(i);
		return rc;
	}
	if ((rc = st->promo->item_get(st, campaign, product, i, err)))
		goto out;
	/* a product the union may already pay on stays on record */
	if (strcmp(i->status, "pending")) {
		tk_fail_key(err, TK_ECONFLICT, "product", "promo.item_not_pending",
			    "product %s is %s: only a pending product can be removed", product,
			    i->status);
		tk_error_str(err, "status", i->status);
		rc = TK_ECONFLICT;
		goto out;
	}
	if (!(rc = st->promo->item_remove(st, i->id, err)))
		rc = log_change(st, now, "campaign.item_remove", "campaign", campaign,
				item_summary(i), NULL, err);
out:
	free(i);
	return store_tx_end(st, rc, err);
}

/* ---- slot fees ---- */

/* Posts one slot transfer and its two balance changes (accounts in
 * ascending order, as the engine writes them). */
static enum tk_rc slot_post(struct store *st, enum transfer_code code, int64_t slot,
			    int64_t amount, int64_t now, struct tk_error *err)
{
	struct transfer t = {.amount = amount, .code = code, .slot = slot, .at = now};
	int64_t due_delta;
	if (code == TR_SLOT_BOOK) {
		t.debit = PLATFORM_SLOT_DUE;
		t.credit = PLATFORM_SLOT;
		due_delta = -amount;
	} else {
		t.debit = PLATFORM_SLOT;
		t.credit = PLATFORM_SLOT_DUE;
		due_delta = amount;
	}
	_Static_assert(PLATFORM_SLOT_DUE < PLATFORM_SLOT, "balances in account order");
	enum tk_rc rc;
	if ((rc = st->ops->transfer_insert(st, &t, err)) ||
	    (rc = st->ops->balance_add(st, PLATFORM_SLOT_DUE, due_delta, err)) ||
	    (rc = st->ops->balance_add(st, PLATFORM_SLOT, -due_delta, err)))
		return rc;
	return TK_OK;
}

enum tk_rc promo_slot_book(struct store *st, int64_t campaign, int64_t channel, int64_t amount,
			   const char *note, int64_t now, struct slot_fee_rec *out,
			   struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)) ||
	    (note && (rc = text_check("note", note, 0, PROMO_TEXT_BYTES, true, err))) ||
	    (rc = money_check("amount_fen", amount, err)))
		return rc;
	if (amount <= 0) {
		tk_fail_key(err, TK_EINVAL, "amount_fen", "promo.money",
			    "a slot fee is 1..%lld fen, got %lld", PROMO_MONEY_MAX, (long long)amount);
		tk_error_int(err, "max", PROMO_MONEY_MAX);
		tk_error_int(err, "value", (long long)amount);
		return TK_EINVAL;
	}
	memset(out, 0, sizeof(*out));
	out->campaign = campaign;
	out->channel = channel;
	out->amount = amount;
	out->booked_at = now;
	SET(out->note, note);
	char name[PROMO_NAME_MAX];
	struct tk_error e2;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = campaign_open(st, campaign, err)))
		return store_tx_end(st, rc, err);
	if ((rc = st->promo->channel_name(st, channel, name, &e2))) {
		if (rc == TK_ENOTFOUND) {
			tk_fail_key(err, TK_ENOTFOUND, "channel", "promo.unknown_channel",
				    "no partner channel %lld", (long long)channel);
			tk_error_int(err, "channel", (long long)channel);
		} else {
			*err = e2;
		}
		return store_tx_end(st, rc, err);
	}
	rc = st->promo->slot_insert(st, out, err);
	if (rc == TK_ECONFLICT) {
		tk_fail_key(err, TK_ECONFLICT, "channel", "promo.slot_taken",
			    "campaign %lld has a slot fee for channel %lld already",
			    (long long)campaign, (long long)channel);
		tk_error_int(err, "channel", (long long)channel);
	}
	if (!rc)
		rc = slot_post(st, TR_SLOT_BOOK, out->id, amount, now, err);
	if (!rc) /* the names beside the ids, as every read answers them */
		rc = st->promo->slot_get(st, out->id, out, err);
	if (!rc)
		rc = log_change(st, now, "slot_fee.book", "slot_fee", out->id, NULL,
				json_pack("{s:I, s:I, s:s, s:I}", "campaign", (json_int_t)campaign,
					  "channel", (json_int_t)channel, "channel_name", name,
					  "amount_fen", (json_int_t)amount),
				err);
	return store_tx_end(st, rc, err);
}

/* Collects or waives fee id: both only from booked. */
static enum tk_rc slot_settle(struct store *st, int64_t id, bool waive, int64_t now,
			      struct slot_fee_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->promo->slot_get(st, id, out, err)))
		return store_tx_end(st, rc, err);
	if (strcmp(out->state, "booked")) {
		if (strcmp(out->state, "waived") == 0) {
			tk_fail_key(err, TK_ECONFLICT, "slot_fee", "promo.slot_waived",
				    "slot fee %lld is waived", (long long)id);
			tk_error_int(err, "slot_fee", (long long)id);
		} else {
			tk_fail_key(err, TK_ECONFLICT, "slot_fee", "promo.slot_collected",
				    "slot fee %lld is collected", (long long)id);
			tk_error_int(err, "slot_fee", (long long)id);
		}
		return store_tx_end(st, TK_ECONFLICT, err);
	}
	snprintf(out->state, sizeof(out->state), "%s", waive ? "waived" : "collected");
	if (waive)
		out->waived_at = now;
	else
		out->collected_at = now;
	if (!(rc = st->promo->slot_update(st, out, err)) && waive)
		rc = slot_post(st, TR_SLOT_WAIVE, id, out->amount, now, err);
	if (!rc)
		rc = log_change(st, now, waive ? "slot_fee.waive" : "slot_fee.collect", "slot_fee",
				id, json_pack("{s:s}", "state", "booked"),
				json_pack("{s:s, s:I}", "state", out->state, "amount_fen",
					  (json_int_t)out->amount),
				err);
	return store_tx_end(st, rc, err);
}

enum tk_rc promo_slot_collect(struct store *st, int64_t id, int64_t now,
			      struct slot_fee_rec *out, struct tk_error *err)
{
	return slot_settle(st, id, false, now, out, err);
}

enum tk_rc promo_slot_waive(struct store *st, int64_t id, int64_t now, struct slot_fee_rec *out,
			    struct tk_error *err)
{
	return slot_settle(st, id, true, now, out, err);
}

/* ---- documents with their parts ---- */

struct list_ctx {
	json_t *list;
	int n;
	int64_t last;
	int64_t sums[3]; /* slot fees: booked, collected, waived */
	bool oom;
};

static bool add_doc(struct list_ctx *l, json_t *doc, int64_t id)
{
	if (!doc || json_array_append_new(l->list, doc)) {
		l->oom = true;
		return false;
	}
	l->n++;
	l->last = id;
	return true;
}

static bool on_shop(void *ctx, const struct shop_rec *s)
{
	return add_doc(ctx, promo_shop_json(s), s->id);
}

static bool on_merchant(void *ctx, const struct merchant_rec *m)
{
	return add_doc(ctx, promo_merchant_json(m), m->id);
}

static bool on_campaign(void *ctx, const struct campaign_rec *c)
{
	return add_doc(ctx, promo_campaign_json(c), c->id);
}

static bool on_item(void *ctx, const struct campaign_item_rec *i)
{
	return add_doc(ctx, promo_item_json(i), i->id);
}

static bool on_slot(void *ctx, const struct slot_fee_rec *f)
{
	struct list_ctx *l = ctx;
	l->sums[strcmp(f->state, "booked") == 0 ? 0 : strcmp(f->state, "collected") == 0 ? 1 : 2] +=
		f->amount;
	return add_doc(ctx, promo_slot_json(f), f->id);
}

static enum tk_rc list_end(struct list_ctx *l, enum tk_rc rc, struct tk_error *err)
{
	if (!rc && l->oom)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (rc) {
		json_decref(l->list);
		l->list = NULL;
	}
	return rc;
}

enum tk_rc promo_merchant_doc(struct store *st, int64_t id, json_t **out, struct tk_error *err)
{
	enum tk_rc rc;
	struct merchant_rec *m = malloc(sizeof(*m));
	*out = NULL;
	if (!m)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = promo_merchant_get(st, id, m, err))) {
		free(m);
		return rc;
	}
	struct list_ctx l = {.list = json_array()};
	rc = list_end(&l, l.list ? st->promo->shop_list(st, id, on_shop, &l, err) : TK_ENOMEM,
		      err);
	if (!rc && (*out = promo_merchant_json(m)))
		json_object_set_new(*out, "shops", l.list);
	else if (!rc)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	free(m);
	return rc;
}

enum tk_rc promo_campaign_doc(struct store *st, int64_t id, json_t **out, struct tk_error *err)
{
	enum tk_rc rc;
	struct campaign_rec *c = malloc(sizeof(*c));
	*out = NULL;
	if (!c)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = promo_campaign_get(st, id, c, err))) {
		free(c);
		return rc;
	}
	struct list_ctx items = {.list = json_array()}, slots = {.list = json_array()};
	struct slot_fee_filter f = {.campaign = id};
	if (!items.list || !slots.list)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!rc)
		rc = st->promo->item_list(st, id, on_item, &items, err);
	if (!rc)
		rc = st->promo->slot_list(st, &f, on_slot, &slots, err);
	rc = list_end(&items, rc, err);
	rc = list_end(&slots, rc, err);
	if (!rc && (*out = promo_campaign_json(c))) {
		json_object_set_new(*out, "items", items.list);
		json_object_set_new(*out, "slot_fees", slots.list);
		json_object_set_new(*out, "slot_totals",
				    json_pack("{s:I, s:I, s:I}", "booked_fen",
					      (json_int_t)slots.sums[0], "collected_fen",
					      (json_int_t)slots.sums[1], "waived_fen",
					      (json_int_t)slots.sums[2]));
	} else if (!rc) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	if (rc) {
		json_decref(items.list);
		json_decref(slots.list);
	}
	free(c);
	return rc;
}

/* {"<key>": [...], "next": "LAST" or null} from a listing's walk. */
static enum tk_rc page_doc(struct list_ctx *l, enum tk_rc rc, const char *key, int limit,
			   json_t **out, struct tk_error *err)
{
	if ((rc = list_end(l, rc, err)))
		return rc;
	char next[24];
	snprintf(next, sizeof(next), "%lld", (long long)l->last);
	*out = json_pack("{s:o, s:o}", key, l->list,
			 "next", l->n < limit || !l->n ? json_null() : json_string(next));
	return *out ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

/* A listing's start: the store is there and the list allocated. */
static enum tk_rc page_start(struct store *st, struct list_ctx *l, struct tk_error *err)
{
	enum tk_rc rc = need_store(st, err);
	if (!rc && !(l->list = json_array()))
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	return rc;
}

enum tk_rc promo_merchant_page(struct store *st, const struct merchant_filter *f, json_t **out,
			       struct tk_error *err)
{
	struct list_ctx l = {0};
	enum tk_rc rc = page_start(st, &l, err);
	if (!rc)
		rc = st->promo->merchant_list(st, f, on_merchant, &l, err);
	return page_doc(&l, rc, "merchants", f->limit, out, err);
}

enum tk_rc promo_campaign_page(struct store *st, const struct campaign_filter *f, json_t **out,
			       struct tk_error *err)
{
	struct list_ctx l = {0};
	enum tk_rc rc = page_start(st, &l, err);
	if (!rc)
		rc = st->promo->campaign_list(st, f, on_campaign, &l, err);
	return page_doc(&l, rc, "campaigns", f->limit, out, err);
}

enum tk_rc promo_slot_page(struct store *st, const struct slot_fee_filter *f, json_t **out,
			   struct tk_error *err)
{
	struct list_ctx l = {0};
	enum tk_rc rc = page_start(st, &l, err);
	if (!rc)
		rc = st->promo->slot_list(st, f, on_slot, &l, err);
	return page_doc(&l, rc, "slot_fees", f->limit, out, err);
}

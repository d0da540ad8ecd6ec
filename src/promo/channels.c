/* channels.c — the head's partner channels, the application side
 * (channels.h): checks of what comes from outside, the write transactions
 * with their action-log entries, and the reads behind matching, each in
 * one read transaction (the figures of every channel in one statement). */
#include "promo/channels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "core/tktime.h"
#include "core/utf8.h"

static const char *const kinds[] = {"team", "talent", "app", "wechat",
				    "weibo", "zhihu", "guide", "other"};
static const char *const states[] = {"active", "paused", "blocked"};

static bool one_of(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

static enum tk_rc need_store(struct store *st, struct tk_error *err)
{
	return st->channels ? TK_OK
			    : tk_fail(err, TK_EINVAL, "channel", "this store keeps no channels");
}

/* Text from outside: UTF-8 of at most max bytes (min 1 when required),
 * no control characters. */
static enum tk_rc text_check(const char *field, const char *v, size_t min, size_t max,
			     struct tk_error *err)
{
	size_t n = strlen(v);
	if (n == 0 && min > 0)
		return tk_fail_key(err, TK_EINVAL, field, "field.required", "is required");
	if (n < min || n > max) {
		tk_fail_key(err, TK_EINVAL, field, "field.too_long", "must be %zu..%zu bytes, got %zu",
			    min, max, n);
		tk_error_int(err, "max", (long long)max);
		return TK_EINVAL;
	}
	if (utf8_invalid_at(v, n) < n)
		return tk_fail(err, TK_EINVAL, field, "is not UTF-8");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (ch < 0x20 || ch == 0x7f)
			return tk_fail_key(err, TK_EINVAL, field, "field.control_chars",
					   "must not contain control characters");
	}
	return TK_OK;
}

/* The categories as stored: "a,b" (each 1..64 bytes, no comma, trimmed of
 * nothing: what was given), duplicates dropped, at most 32. */
static enum tk_rc cats_join(const struct channel_req *r, char out[CHANNEL_CATS_MAX],
			    struct tk_error *err)
{
	enum tk_rc rc;
	size_t used = 0;
	out[0] = '\0';
	if (r->n_cats > CHANNEL_CATS_N) {
		tk_fail_key(err, TK_ELIMIT, "categories", "channel.categories_too_many",
			    "at most %d categories, got %d", CHANNEL_CATS_N, r->n_cats);
		tk_error_int(err, "max", CHANNEL_CATS_N);
		return TK_ELIMIT;
	}
	for (int i = 0; i < r->n_cats; i++) {
		const char *c = r->cats[i];
		if ((rc = text_check("categories", c, 1, CHANNEL_CAT_BYTES, err)))
			return rc;
		if (strchr(c, ',')) {
			tk_fail_key(err, TK_EINVAL, "categories", "channel.category_comma",
				    "a category holds no comma, got \"%s\"", c);
			tk_error_str(err, "value", c);
			return TK_EINVAL;
		}
		if (cm_list_has(out, c))
			continue;
		size_t n = strlen(c);
		if (used)
			out[used++] = ',';
		memcpy(out + used, c, n + 1);
		used += n;
	}
	return TK_OK;
}

/* Applies r's fields to c (checked). */
static enum tk_rc apply(const struct channel_req *r, struct channel_rec *c, struct tk_error *err)
{
	enum tk_rc rc;
	if (r->name && (rc = text_check("name", r->name, 1, CHANNEL_NAME_BYTES, err)))
		return rc;
	if (r->kind && !one_of(r->kind, kinds, 8)) {
		tk_fail_key(err, TK_EINVAL, "kind", "channel.kind",
			    "must be team, talent, app, wechat, weibo, zhihu, guide or other, got "
			    "\"%.32s\"",
			    r->kind);
		tk_error_str(err, "value", r->kind);
		return TK_EINVAL;
	}
	if (r->state && !one_of(r->state, states, 3)) {
		tk_fail_key(err, TK_EINVAL, "state", "channel.state",
			    "must be active, paused or blocked, got \"%.32s\"", r->state);
		tk_error_str(err, "value", r->state);
		return TK_EINVAL;
	}
	if (r->contact && (rc = text_check("contact", r->contact, 0, CHANNEL_CONTACT_BYTES, err)))
		return rc;
	if (r->note && (rc = text_check("note", r->note, 0, CHANNEL_NOTE_BYTES, err)))
		return rc;
	if (r->cats_set && (rc = cats_join(r, c->categories, err)))
		return rc;
	if (r->name)
		snprintf(c->name, sizeof(c->name), "%s", r->name);
	if (r->kind)
		snprintf(c->kind, sizeof(c->kind), "%s", r->kind);
	if (r->state)
		snprintf(c->state, sizeof(c->state), "%s", r->state);
	if (r->contact)
		snprintf(c->contact, sizeof(c->contact), "%s", r->contact);
	if (r->note)
		snprintf(c->note, sizeof(c->note), "%s", r->note);
	return TK_OK;
}

json_t *channel_json(const struct channel_rec *c)
{
	json_t *cats = json_array();
	const char *p = c->categories;
	while (cats && *p) {
		size_t n = strcspn(p, ",");
		json_array_append_new(cats, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	char created[40], updated[40];
	tktime_format_iso8601(c->created_at, TKTIME_BEIJING_OFFSET, created);
	tktime_format_iso8601(c->updated_at, TKTIME_BEIJING_OFFSET, updated);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id,
			 "name", c->name, "kind", c->kind, "contact", c->contact, "categories",
			 cats ? cats : json_array(), "note", c->note, "state", c->state,
			 "created_at", created, "updated_at", updated);
}

static enum tk_rc log_change(struct store *st, const char *what, int64_t id, json_t *before,
			     json_t *after, int64_t now, struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "channel:%lld", (long long)id);
	enum tk_rc rc = actions_record(st, now, what, subject, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* A channel's summary in the log: its fields but the long note. */
static json_t *summary(const struct channel_rec *c)
{
	json_t *j = channel_json(c);
	if (j) {
		json_object_del(j, "note");
		json_object_del(j, "created_at");
		json_object_del(j, "updated_at");
	}
	return j;
}

static enum tk_rc unknown(struct tk_error *err, int64_t id)
{
	return tk_fail_key(err, TK_ENOTFOUND, "channel", "channel.unknown", "no channel %lld",
			   (long long)id);
}

/* Reads channel id in the open transaction, its absence keyed. */
static enum tk_rc get(struct store *st, int64_t id, struct channel_rec *c, struct tk_error *err)
{
	enum tk_rc rc = st->channels->channel_get(st, id, c, err);
	return rc == TK_ENOTFOUND ? unknown(err, id) : rc;
}

enum tk_rc channels_add(struct store *st, const struct channel_req *r, int64_t now,
			struct channel_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)))
		return rc;
	if (!r->name)
		return tk_fail_key(err, TK_EINVAL, "name", "field.required", "is required");
	if (!r->kind)
		return tk_fail_key(err, TK_EINVAL, "kind", "field.required", "is required");
	memset(out, 0, sizeof(*out));
	snprintf(out->state, sizeof(out->state), "active");
	if ((rc = apply(r, out, err)))
		return rc;
	out->created_at = out->updated_at = now;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	rc = st->channels->channel_insert(st, out, err);
	if (!rc)
		rc = log_change(st, "channel.create", out->id, NULL, summary(out), now, err);
	return store_tx_end(st, rc, err);
}

enum tk_rc channels_update(struct store *st, int64_t id, const struct channel_req *r,
			   int64_t now, struct channel_rec *out, struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = need_store(st, err)))
		return rc;
	struct channel_rec *was = malloc(sizeof(*was));
	if (!was)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->ops->tx_begin(st, err))) {
		free(was);
		return rc;
	}
	if (!(rc = get(st, id, out, err))) {
		*was = *out;
		rc = apply(r, out, err);
	}
	if (!rc) {
		out->updated_at = now;
		rc = st->channels->channel_update(st, out, err);
	}
	if (!rc)
		rc = log_change(st, "channel.update", id, summary(was), summary(out), now, err);
	free(was);
	return store_tx_end(st, rc, err);
}

static bool id_cb(void *ctx, const struct channel_id_rec *r)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "union", r->union_, "kind",
					     r->kind, "value", r->value));
	return true;
}

enum tk_rc channels_show(struct store *st, int64_t id, json_t **out, struct tk_error *err)
{
	enum tk_rc rc;
	*out = NULL;
	if ((rc = need_store(st, err)))
		return rc;
	struct channel_rec *c = malloc(sizeof(*c));
	json_t *ids = json_array();
	if (!c || !ids) {
		free(c);
		json_decref(ids);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	if (!(rc = st->ops->tx_begin_read(st, err))) {
		if (!(rc = get(st, id, c, err)))
			rc = st->channels->channel_ids(st, id, id_cb, ids, err);
		st->ops->tx_rollback(st);
	}
	if (!rc && (*out = channel_json(c)))
		json_object_set(*out, "ids", ids);
	else if (!rc)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	json_decref(ids);
	free(c);
	return rc;
}

static bool list_cb(void *ctx, const struct channel_rec *c)
{
	json_array_append_new(ctx, channel_json(c));
	return true;
}

enum tk_rc channels_list(struct store *st, const struct channel_filter *f, json_t **out,
			 struct tk_error *err)
{
	enum tk_rc rc;
	*out = NULL;
	if ((rc = need_store(st, err)))
		return rc;
	if (f->kind && !one_of(f->kind, kinds, 8))
		return tk_fail_key(err, TK_EINVAL, "kind", "channel.kind", "not a channel kind");
	if (f->state && !one_of(f->state, states, 3))
		return tk_fail_key(err, TK_EINVAL, "state", "channel.state", "not a channel state");
	if (f->limit < 1 || f->limit > CHANNEL_LIST_MAX)
		return tk_fail(err, TK_ELIMIT, "limit", "must be 1..%d", CHANNEL_LIST_MAX);
	json_t *list = json_array();
	if (!list)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!(rc = st->ops->tx_begin_read(st, err))) {
		rc = st->channels->channel_each(st, f, list_cb, list, err);
		st->ops->tx_rollback(st);
	}
	if (rc)
		json_decref(list);
	else
		*out = list;
	return rc;
}

/* Whether kind is one of the union's channel id kinds. */
static bool id_kind_valid(const char *union_, const char *kind)
{
	if (strcmp(union_, "jd") == 0)
		return strcmp(kind, "rid") == 0 || strcmp(kind, "channelId") == 0;
	if (strcmp(union_, "pdd") == 0)
		return strcmp(kind, "duoid") == 0;
	if (strcmp(union_, "taobao") == 0)
		return strcmp(kind, "relation_id") == 0 || strcmp(kind, "pub_id") == 0;
	return false;
}

static enum tk_rc id_rec(int64_t id, const char *union_, const char *kind, const char *value,
			 struct channel_id_rec *r, struct tk_error *err)
{
	enum tk_rc rc;
	if (!id_kind_valid(union_, kind)) {
		tk_fail_key(err, TK_EINVAL, "kind", "channel.id_kind",
			    "%.16s takes no channel id kind \"%.16s\" (jd: rid, channelId; pdd: "
			    "duoid; taobao: relation_id, pub_id)",
			    union_, kind);
		tk_error_str(err, "union", union_);
		tk_error_str(err, "kind", kind);
		return TK_EINVAL;
	}
	if ((rc = text_check("value", value, 1, CHANNEL_ID_VALUE_MAX - 1, err)))
		return rc;
	r->channel = id;
	snprintf(r->union_, sizeof(r->union_), "%s", union_);
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->value, sizeof(r->value), "%s", value);
	return TK_OK;
}

static json_t *id_doc(const struct channel_id_rec *r)
{
	return json_pack("{s:s, s:s, s:s}", "union", r->union_, "kind", r->kind, "value", r->value);
}

enum tk_rc channels_id_add(struct store *st, int64_t id, const char *union_, const char *kind,
			   const char *value, int64_t now, int64_t *linked, struct tk_error *err)
{
	struct channel_id_rec r;
	struct channel_rec *c = NULL;
	enum tk_rc rc;
	*linked = 0;
	if ((rc = need_store(st, err)) || (rc = id_rec(id, union_, kind, value, &r, err)))
		return rc;
	if (!(c = malloc(sizeof(*c))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->ops->tx_begin(st, err))) {
		free(c);
		return rc;
	}
	int64_t holder = 0;
	bool vacant = false;
	if (!(rc = get(st, id, c, err))) {
		rc = st->channels->channel_id_owner(st, union_, kind, value, &holder, err);
		if (rc == TK_ENOTFOUND) { /* the answer "nobody", no failure */
			tk_error_clear(err);
			rc = TK_OK;
			vacant = true;
		}
	}
	if (!rc && vacant) {
		/* nobody holds it: take it, then link what was stored under it */
		rc = st->channels->channel_id_insert(st, &r, err);
		if (!rc)
			rc = st->channels->channel_link_orders(st, &r, linked, err);
		if (!rc) {
			json_t *after = id_doc(&r);
			if (after)
				json_object_set_new(after, "linked_orders", json_integer(*linked));
			rc = log_change(st, "channel.id_add", id, NULL, after, now, err);
		}
	} else if (!rc && holder != id) {
		struct channel_rec *other = malloc(sizeof(*other));
		if (other && !st->channels->channel_get(st, holder, other, err)) {
			tk_fail_key(err, TK_ECONFLICT, "value", "channel.id_taken",
				    "%s %s %s is channel %lld's (%s)", union_, kind, value,
				    (long long)holder, other->name);
			tk_error_int(err, "channel", holder);
			tk_error_str(err, "name", other->name);
		}
		free(other);
		rc = TK_ECONFLICT;
	} else if (!rc) {
		/* its own already: nothing to add, nothing left to link */
		rc = st->channels->channel_link_orders(st, &r, linked, err);
	}
	free(c);
	return store_tx_end(st, rc, err);
}

enum tk_rc channels_id_remove(struct store *st, int64_t id, const char *union_,
			      const char *kind, const char *value, int64_t now,
			      struct tk_error *err)
{
	struct channel_id_rec r;
	struct channel_rec *c = NULL;
	enum tk_rc rc;
	if ((rc = need_store(st, err)) || (rc = id_rec(id, union_, kind, value, &r, err)))
		return rc;
	if (!(c = malloc(sizeof(*c))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = st->ops->tx_begin(st, err))) {
		free(c);
		return rc;
	}
	if (!(rc = get(st, id, c, err))) {
		rc = st->channels->channel_id_delete(st, &r, err);
		if (rc == TK_ENOTFOUND)
			rc = tk_fail_key(err, TK_ENOTFOUND, "value", "channel.id_unknown",
					 "channel %lld holds no %s %s %s", (long long)id, union_,
					 kind, value);
	}
	/* the campaign orders linked by it stay the channel's: they were its */
	if (!rc)
		rc = log_change(st, "channel.id_remove", id, id_doc(&r), NULL, now, err);
	free(c);
	return store_tx_end(st, rc, err);
}

static bool month_cb(void *ctx, const struct channel_month *m)
{
	json_array_append_new(ctx, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "month",
					     (json_int_t)m->month, "orders", (json_int_t)m->orders,
					     "paid", (json_int_t)m->paid, "gmv_fen",
					     (json_int_t)m->gmv, "service_fee_fen",
					     (json_int_t)m->fee, "refunded",
					     (json_int_t)m->refunded));
	return true;
}

/* A time of a slot fee: ISO 8601, null for 0 (not yet). */
static json_t *when(int64_t t)
{
	char buf[40];
	return t ? json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf)) : json_null();
}

static bool slot_cb(void *ctx, const struct channel_slot_fee *s)
{
	json_array_append_new(
		ctx, json_pack("{s:I, s:I, s:s, s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)s->id,
			       "campaign", (json_int_t)s->campaign, "campaign_name",
			       s->campaign_name, "amount_fen", (json_int_t)s->amount, "state",
			       s->state, "booked_at", when(s->booked_at), "collected_at",
			       when(s->collected_at), "waived_at", when(s->waived_at)));
	return true;
}

enum tk_rc channels_history(struct store *st, int64_t id, json_t **out, struct tk_error *err)
{
	enum tk_rc rc;
	*out = NULL;
	if ((rc = need_store(st, err)))
		return rc;
	struct channel_rec *c = malloc(sizeof(*c));
	json_t *months = json_array(), *slots = json_array();
	if (!c || !months || !slots) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	} else if (!(rc = st->ops->tx_begin_read(st, err))) {
		if (!(rc = get(st, id, c, err)) &&
		    !(rc = st->channels->channel_months(st, id, CHANNEL_MONTHS_MAX, month_cb, months,
							err)))
			rc = st->channels->channel_slot_fees(st, id, CHANNEL_SLOTS_MAX, slot_cb,
							     slots, err);
		st->ops->tx_rollback(st);
	}
	if (!rc) {
		*out = json_pack("{s:o, s:O, s:O}", "channel", channel_json(c), "months", months,
				 "slot_fees", slots);
		if (!*out)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	json_decref(months);
	json_decref(slots);
	free(c);
	return rc;
}

json_t *channel_reasons_json(const struct cm_reason *r, int n)
{
	json_t *list = json_array();
	for (int i = 0; list && i < n; i++) {
		json_t *params = json_object();
		for (int k = 0; params && k < r[i].n; k++)
			json_object_set_new(params, r[i].p[k].name, json_integer(r[i].p[k].v));
		json_array_append_new(list,
				      json_pack("{s:s, s:o}", "key", r[i].key, "params",
						params ? params : json_object()));
	}
	return list;
}

static enum tk_rc days_check(int *days, struct tk_error *err)
{
	if (*days == 0)
		*days = CHANNEL_DAYS_DEFAULT;
	if (*days < CHANNEL_DAYS_MIN || *days > CHANNEL_DAYS_MAX) {
		tk_fail_key(err, TK_EINVAL, "days", "field.range", "must be %d..%d, got %d",
			    CHANNEL_DAYS_MIN, CHANNEL_DAYS_MAX, *days);
		tk_error_int(err, "min", CHANNEL_DAYS_MIN);
		tk_error_int(err, "max", CHANNEL_DAYS_MAX);
		tk_error_int(err, "value", *days);
		return TK_EINVAL;
	}
	return TK_OK;
}

struct figs {
	struct cm_figures *f;
	size_t n;
};

static bool fig_cb(void *ctx, const struct cm_figures *f)
{
	struct figs *a = ctx;
	if (a->n < CM_RANK_MAX)
		a->f[a->n++] = *f;
	return a->n < CM_RANK_MAX;
}

static json_t *product_json(const struct cm_product *p)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:I, s:I}", "id", (json_int_t)p->id,
			 "campaign", (json_int_t)p->campaign, "title", p->title, "category",
			 p->category, "price_fen", (json_int_t)p->price, "union", p->union_,
			 "service_pm", (json_int_t)p->service_pm, "commission_pm",
			 (json_int_t)p->commission_pm);
}

static json_t *ranked_json(const struct cm_ranked *r, const struct cm_figures *f)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:i, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "id",
			 (json_int_t)r->id, "name", f->name, "state", f->state, "score",
			 (json_int_t)r->score, "flags", r->flags, "reasons",
			 channel_reasons_json(r->r, r->n), "figures", "orders",
			 (json_int_t)f->orders, "paid", (json_int_t)f->paid, "gmv_fen",
			 (json_int_t)f->gmv, "category_orders", (json_int_t)f->cat_orders,
			 "refunded", (json_int_t)f->refunded);
}

static int fig_by_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const struct cm_figures *)elem)->id;
	return id < other ? -1 : id > other;
}

enum tk_rc channels_match(struct store *st, int64_t item, int days, int64_t now, json_t **out,
			  struct tk_error *err)
{
	enum tk_rc rc;
	struct cm_product p;
	*out = NULL;
	if ((rc = need_store(st, err)) || (rc = days_check(&days, err)))
		return rc;
	struct figs a = {.f = calloc(CM_RANK_MAX, sizeof(struct cm_figures))};
	struct cm_ranked *r = calloc(CM_RANK_MAX, sizeof(*r));
	if (!a.f || !r) {
		free(a.f);
		free(r);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	if (!(rc = st->ops->tx_begin_read(st, err))) {
		rc = st->channels->campaign_product(st, item, &p, err);
		if (rc == TK_ENOTFOUND)
			rc = tk_fail_key(err, TK_ENOTFOUND, "campaign_item", "campaign_item.unknown",
					 "no campaign product %lld", (long long)item);
		if (!rc) {
			struct channel_figures_query q = {.category = p.category,
							  .price = p.price,
							  .union_ = p.union_,
							  .since = now - (int64_t)days * 86400,
							  .fast_seconds = CM_FAST_SECONDS,
							  .limit = CM_RANK_MAX};
			rc = st->channels->channel_figures(st, &q, fig_cb, &a, err);
		}
		st->ops->tx_rollback(st);
	}
	if (!rc) {
		cm_rank(&p, a.f, a.n, r);
		json_t *list = json_array();
		for (size_t i = 0; list && i < a.n; i++) {
			const struct cm_figures *f =
				bsearch(&r[i].id, a.f, a.n, sizeof(*a.f), fig_by_id);
			json_array_append_new(list, ranked_json(&r[i], f));
		}
		*out = json_pack("{s:o, s:i, s:o}", "campaign_item", product_json(&p), "days", days,
				 "channels", list ? list : json_array());
		if (!*out)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	free(a.f);
	free(r);
	return rc;
}

#define CANDIDATES_MAX 1000 /* campaign products read for one channel at most */

struct cands {
	struct cm_candidate *c;
	size_t n;
};

static bool cand_cb(void *ctx, const struct cm_candidate *c)
{
	struct cands *a = ctx;
	if (a->n < CANDIDATES_MAX)
		a->c[a->n++] = *c;
	return a->n < CANDIDATES_MAX;
}

static int cand_by_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const struct cm_candidate *)elem)->p.id;
	return id < other ? -1 : id > other;
}

enum tk_rc channels_suits(struct store *st, int64_t id, int days, int64_t now, json_t **out,
			  struct tk_error *err)
{
	enum tk_rc rc;
	int64_t avg = 0;
	*out = NULL;
	if ((rc = need_store(st, err)) || (rc = days_check(&days, err)))
		return rc;
	struct cands a = {.c = calloc(CANDIDATES_MAX, sizeof(struct cm_candidate))};
	struct cm_suited *s = calloc(CANDIDATES_MAX, sizeof(*s));
	struct channel_rec *c = malloc(sizeof(*c));
	if (!a.c || !s || !c) {
		free(a.c);
		free(s);
		free(c);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	int64_t since = now - (int64_t)days * 86400;
	if (!(rc = st->ops->tx_begin_read(st, err))) {
		if (!(rc = get(st, id, c, err)) &&
		    !(rc = st->channels->channel_avg_price(st, id, since, &avg, err)))
			rc = st->channels->channel_candidates(st, id, now, since, CANDIDATES_MAX,
							      cand_cb, &a, err);
		st->ops->tx_rollback(st);
	}
	if (!rc) {
		size_t k = cm_suits(a.c, a.n, avg, s);
		if (k > CM_PRODUCTS_MAX)
			k = CM_PRODUCTS_MAX;
		json_t *list = json_array();
		for (size_t i = 0; list && i < k; i++) {
			const struct cm_candidate *cd =
				bsearch(&s[i].id, a.c, a.n, sizeof(*a.c), cand_by_id);
			json_t *doc = product_json(&cd->p);
			json_object_set_new(doc, "score", json_integer(s[i].score));
			json_object_set_new(doc, "reasons", channel_reasons_json(s[i].r, s[i].n));
			json_array_append_new(list, doc);
		}
		*out = json_pack("{s:o, s:i, s:I, s:o}", "channel", channel_json(c), "days", days,
				 "avg_price_fen", (json_int_t)avg, "products",
				 list ? list : json_array());
		if (!*out)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	free(a.c);
	free(s);
	free(c);
	return rc;
}

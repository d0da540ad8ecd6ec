/* api_channels.c — the head's partner channels over the API: the channel
 * registry (/api/v1/channels), its union ids, history and the campaign
 * products that suit it, and the channels ranked for a campaign product
 * (/api/v1/campaign-items/{id}/channels).  Parses, calls one operation of
 * promo/channels.h, answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api_handlers.h"
#include "promo/channels.h"

/* The body's "categories": an array of strings (borrowed from the body). */
static enum tk_rc body_cats(struct api_call *c, struct channel_req *r,
			    const char *cats[CHANNEL_CATS_N])
{
	json_t *body, *v;
	enum tk_rc rc = api_body(c, &body);
	if (rc)
		return rc;
	if (!(v = json_object_get(body, "categories")))
		return TK_OK;
	if (!json_is_array(v))
		return tk_fail_key(&c->err, TK_EINVAL, "categories", "field.not_array",
				   "must be an array of strings");
	if (json_array_size(v) > CHANNEL_CATS_N) {
		tk_fail_key(&c->err, TK_ELIMIT, "categories", "channel.categories_too_many",
			    "at most %d categories", CHANNEL_CATS_N);
		tk_error_int(&c->err, "max", CHANNEL_CATS_N);
		return TK_ELIMIT;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		const char *s = json_string_value(json_array_get(v, i));
		if (!s)
			return tk_fail_key(&c->err, TK_EINVAL, "categories", "field.not_string",
					   "must be an array of strings");
		cats[i] = s;
	}
	r->cats = cats;
	r->n_cats = (int)json_array_size(v);
	r->cats_set = true;
	return TK_OK;
}

static enum tk_rc body_req(struct api_call *c, struct channel_req *r, bool add,
			   const char *cats[CHANNEL_CATS_N])
{
	enum tk_rc rc;
	memset(r, 0, sizeof(*r));
	/* lengths beyond the columns' are refused here; the module says why */
	if ((rc = api_body_str(c, "name", add, 4 * CHANNEL_NAME_BYTES, &r->name)) ||
	    (rc = api_body_str(c, "kind", add, CHANNEL_KIND_MAX - 1, &r->kind)) ||
	    (rc = api_body_str(c, "contact", false, 4 * CHANNEL_CONTACT_BYTES, &r->contact)) ||
	    (rc = api_body_str(c, "note", false, 4 * CHANNEL_NOTE_BYTES, &r->note)) ||
	    (rc = api_body_str(c, "state", false, CHANNEL_STATE_MAX - 1, &r->state)))
		return rc;
	return body_cats(c, r, cats);
}

static const char *const channel_fields[] = {"name",  "kind",	    "contact", "note",
					     "state", "categories", NULL};

/* Answers the channel as GET /channels/{id} shows it. */
static enum tk_rc reply_channel(struct api_call *c, int status, int64_t id)
{
	json_t *doc;
	enum tk_rc rc = channels_show(api_store(c), id, &doc, &c->err);
	return rc ? rc : api_reply(c, status, doc);
}

enum tk_rc h_channels_list(struct api_call *c)
{
	char kbuf[CHANNEL_KIND_MAX], sbuf[CHANNEL_STATE_MAX], cbuf[4 * CHANNEL_CAT_BYTES + 1],
		nbuf[4 * CHANNEL_NAME_BYTES + 1];
	struct channel_filter f = {0};
	int limit;
	enum tk_rc rc;
	if ((rc = api_query(c, "kind", kbuf, sizeof(kbuf), &f.kind)) ||
	    (rc = api_query(c, "state", sbuf, sizeof(sbuf), &f.state)) ||
	    (rc = api_query(c, "category", cbuf, sizeof(cbuf), &f.category)) ||
	    (rc = api_query(c, "name", nbuf, sizeof(nbuf), &f.name)) ||
	    (rc = api_query_i64(c, "before", 0, 0, INT64_MAX, &f.before)) ||
	    (rc = api_query_limit(c, &limit)))
		return rc;
	f.limit = limit;
	json_t *list;
	if ((rc = channels_list(api_store(c), &f, &list, &c->err)))
		return rc;
	size_t n = json_array_size(list);
	json_t *next = json_null();
	if ((int)n == limit) {
		char buf[24];
		snprintf(buf, sizeof(buf), "%lld",
			 (long long)json_integer_value(
				 json_object_get(json_array_get(list, n - 1), "id")));
		next = json_string(buf);
	}
	return api_reply(c, 200, json_pack("{s:o, s:o}", "channels", list, "next", next));
}

enum tk_rc h_channel_create(struct api_call *c)
{
	struct channel_req r;
	const char *cats[CHANNEL_CATS_N];
	enum tk_rc rc;
	if ((rc = api_body_only(c, channel_fields)) || (rc = body_req(c, &r, true, cats)))
		return rc;
	struct channel_rec *out = malloc(sizeof(*out));
	if (!out)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = channels_add(api_store(c), &r, c->now, out, &c->err);
	int64_t id = out->id;
	free(out);
	return rc ? rc : reply_channel(c, 201, id);
}

enum tk_rc h_channel_show(struct api_call *c)
{
	int64_t id;
	enum tk_rc rc = api_path_id(c, "channel", &id);
	return rc ? rc : reply_channel(c, 200, id);
}

enum tk_rc h_channel_update(struct api_call *c)
{
	struct channel_req r;
	const char *cats[CHANNEL_CATS_N];
	int64_t id;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "channel", &id)) || (rc = api_body_only(c, channel_fields)) ||
	    (rc = body_req(c, &r, false, cats)))
		return rc;
	struct channel_rec *out = malloc(sizeof(*out));
	if (!out)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	rc = channels_update(api_store(c), id, &r, c->now, out, &c->err);
	free(out);
	return rc ? rc : reply_channel(c, 200, id);
}

enum tk_rc h_channel_id_add(struct api_call *c)
{
	static const char *const fields[] = {"union", "kind", "value", NULL};
	const char *union_, *kind, *value;
	int64_t id, linked = 0;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "channel", &id)) || (rc = api_body_only(c, fields)) ||
	    (rc = api_body_str(c, "union", true, ORDER_UNION_MAX - 1, &union_)) ||
	    (rc = api_body_str(c, "kind", true, CHANNEL_ID_KIND_MAX - 1, &kind)) ||
	    (rc = api_body_str(c, "value", true, CHANNEL_ID_VALUE_MAX - 1, &value)) ||
	    (rc = channels_id_add(api_store(c), id, union_, kind, value, c->now, &linked,
				  &c->err)))
		return rc;
	return api_reply(c, 201,
			 json_pack("{s:I, s:s, s:s, s:s, s:I}", "channel", (json_int_t)id, "union",
				   union_, "kind", kind, "value", value, "linked_orders",
				   (json_int_t)linked));
}

enum tk_rc h_channel_id_delete(struct api_call *c)
{
	int64_t id;
	enum tk_rc rc;
	const char *union_ = api_param(c, 1), *kind = api_param(c, 2), *value = api_param(c, 3);
	if ((rc = api_path_id(c, "channel", &id)) ||
	    (rc = channels_id_remove(api_store(c), id, union_, kind, value, c->now, &c->err)))
		return rc;
	return api_reply(c, 200,
			 json_pack("{s:I, s:s, s:s, s:s, s:b}", "channel", (json_int_t)id, "union",
				   union_, "kind", kind, "value", value, "deleted", 1));
}

enum tk_rc h_channel_history(struct api_call *c)
{
	int64_t id;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "channel", &id)) ||
	    (rc = channels_history(api_store(c), id, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

static enum tk_rc query_days(struct api_call *c, int *days)
{
	int64_t d;
	enum tk_rc rc = api_query_i64(c, "days", CHANNEL_DAYS_DEFAULT, CHANNEL_DAYS_MIN,
				      CHANNEL_DAYS_MAX, &d);
	*days = (int)d;
	return rc;
}

enum tk_rc h_channel_products(struct api_call *c)
{
	int64_t id;
	int days;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "channel", &id)) || (rc = query_days(c, &days)) ||
	    (rc = channels_suits(api_store(c), id, days, c->now, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_campaign_item_channels(struct api_call *c)
{
	int64_t id;
	int days;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "campaign product", &id)) || (rc = query_days(c, &days)) ||
	    (rc = channels_match(api_store(c), id, days, c->now, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

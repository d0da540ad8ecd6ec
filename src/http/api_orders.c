/* api_orders.c — importing a batch of order rows and showing an item with
 * its splits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"
#include "feeds/feed_import.h"
#include "http/api_handlers.h"
#include "http/api_json.h"

#define IMPORT_ERRORS_MAX 100 /* rejected rows described in the answer */

/* Describes the first IMPORT_ERRORS_MAX rejected rows (all are counted). */
static void on_reject(void *ctx, const struct tk_error *err)
{
	json_t *errors = ctx;
	if (json_array_size(errors) < IMPORT_ERRORS_MAX)
		json_array_append_new(errors, json_pack("{s:s, s:s?, s:s}", "where", err->where,
							"field", err->field[0] ? err->field : NULL,
							"message", err->msg));
}

enum tk_rc h_orders_import(struct api_call *c)
{
	char fbuf[24];
	const char *f;
	enum feed_format fmt = FEED_JSONL;
	enum tk_rc rc = api_query(c, "format", fbuf, sizeof(fbuf), &f);
	if (rc)
		return rc;
	if (f && !feed_format_parse(f, &fmt))
		return tk_fail(&c->err, TK_EINVAL, "format",
			       "must be jsonl, csv, jd, taobao, taobao-refund or pdd, got \"%s\"", f);
	if (c->body_len == 0)
		return tk_fail(&c->err, TK_EINVAL, "body", "no order rows in the body");
	FILE *in = fmemopen((void *)c->body, c->body_len, "r");
	if (!in)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	json_t *errors = json_array();
	if (!errors) {
		fclose(in);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	/* one batch: the whole body commits together, or nothing of it */
	struct import_stats st;
	rc = feed_import(c->e, fmt, in, "body", &(struct feed_import_opts){.batch = 0}, on_reject,
			 errors, &st, &c->err);
	fclose(in);
	if (rc) {
		json_decref(errors);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:I, s:I, s:I, s:I, s:o}", "read",
					   (json_int_t)st.read, "applied", (json_int_t)st.applied,
					   "unchanged", (json_int_t)st.unchanged, "rejected",
					   (json_int_t)st.rejected, "errors", errors));
}

/* ---- re-attribution ---- */

#define REATTRIBUTE_LISTED 100 /* items listed in the answer; all are counted */

static void reattributed_cb(void *ctx, const struct item_rec *it, const char *sharer,
			    const char *reason)
{
	json_t *list = ctx;
	if (json_array_size(list) < REATTRIBUTE_LISTED)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "union",
						      it->row.union_, "item", it->row.item,
						      "member", sharer, "reason", reason));
}

enum tk_rc h_orders_reattribute(struct api_call *c)
{
	static const char *const fields[] = {"since", "dry_run", NULL};
	const char *since_text = NULL;
	int64_t since = 0;
	bool dry_run;
	struct reattribute_stats st;
	enum tk_rc rc;
	if (c->body_len && ((rc = api_body_only(c, fields)) ||
			    (rc = api_body_str(c, "since", false, 64, &since_text))))
		return rc;
	if ((rc = api_body_bool(c, "dry_run", false, &dry_run)))
		return rc;
	if (since_text && !tktime_parse_iso8601(since_text, &since))
		return tk_fail(&c->err, TK_EINVAL, "since",
			       "must be ISO 8601 with an offset, got \"%s\"", since_text);
	json_t *items = json_array();
	if (!items)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if ((rc = engine_orders_reattribute(c->e, since, dry_run, &st, reattributed_cb, items,
					    &c->err))) {
		json_decref(items);
		return rc;
	}
	return api_reply(c, 200, json_pack("{s:I, s:I, s:b, s:o}", "examined",
					   (json_int_t)st.examined, "reattributed",
					   (json_int_t)st.reattributed, "dry_run", dry_run, "items",
					   items));
}

/* A member sees an item it earns on, or one its team shared (and of the
 * money, only its own line). */
static enum tk_rc item_visible(struct api_call *c, const struct item_view *v)
{
	const struct plan_chain *ch = &v->item.chain;
	if (api_is_operator(c))
		return TK_OK;
	for (int i = 0; i < ch->n; i++)
		if (ch->member[i] == c->who.id)
			return TK_OK;
	if (ch->n > 0) {
		struct member_rec sharer;
		bool in = false;
		struct store *st = api_store(c);
		enum tk_rc rc = st->ops->member_get_id(st, ch->member[0], &sharer, &c->err);
		if (rc || (rc = auth_in_team(st, c->who.id, &sharer, &in, &c->err)))
			return rc;
		if (in)
			return TK_OK;
	}
	return api_deny(c, "this order item is not yours nor your team's");
}

/* An item's life, oldest first: every state it went through. */
#define ITEM_EVENTS_MAX 200

static bool event_cb(void *ctx, const struct item_event_rec *ev)
{
	json_t *e = json_pack("{s:s, s:I, s:o, s:o}", "status",
			      order_status_name((enum order_status)ev->status), "commission",
			      (json_int_t)ev->commission, "modified_at",
			      api_json_time(ev->modified_at), "applied_at",
			      api_json_time(ev->applied_at));
	if (e && ev->note[0])
		json_object_set_new(e, "note", json_string(ev->note));
	json_array_insert_new(ctx, 0, e);
	return true;
}

enum tk_rc h_order_show(struct api_call *c)
{
	struct item_view *v = calloc(1, sizeof(*v));
	if (!v)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = engine_order_show(c->e, api_param(c, 0), api_param(c, 1), v, &c->err);
	if (!rc)
		rc = item_visible(c, v);
	json_t *doc = rc ? NULL : api_json_item(v);
	json_t *events = doc ? json_array() : NULL;
	struct store *st = api_store(c);
	if (events && !(rc = st->server->item_events(st, v->item.last_event, ITEM_EVENTS_MAX,
						     event_cb, events, &c->err)))
		json_object_set_new(doc, "events", events);
	else
		json_decref(events);
	if (doc && !api_is_operator(c)) {
		/* a member sees its own share only: not its uplines' nor the platform's */
		json_t *splits = json_object_get(doc, "splits"), *line;
		for (size_t i = json_array_size(splits); i-- > 0;) {
			line = json_array_get(splits, i);
			if (strcmp(json_string_value(json_object_get(line, "member")), c->who.name))
				json_array_remove(splits, i);
		}
		json_object_del(doc, "platform_share");
	}
	if (!rc)
		rc = api_reply(c, 200, doc);
	else
		json_decref(doc);
	free(v);
	return rc;
}

/* ---- an order's items ---- */

#define ORDER_ITEMS_MAX 100

struct order_list {
	struct api_call *c;
	json_t *items;
	struct item_view v;
	enum tk_rc rc;
};

static bool order_item_cb(void *ctx, const char *union_, const char *key)
{
	struct order_list *l = ctx;
	if ((l->rc = engine_order_show(l->c->e, union_, key, &l->v, &l->c->err)))
		return false;
	json_t *doc = api_json_item(&l->v);
	json_array_append_new(l->items, doc);
	return true;
}

enum tk_rc h_order_list(struct api_call *c)
{
	char order[ORDER_KEY_MAX], union_[ORDER_UNION_MAX];
	const char *o, *u;
	enum tk_rc rc;
	if ((rc = api_query(c, "order", order, sizeof(order), &o)) ||
	    (rc = api_query(c, "union", union_, sizeof(union_), &u)))
		return rc;
	if (!o || !*o)
		return tk_fail(&c->err, TK_EINVAL, "order", "must be the union's order number");
	struct order_list *l = calloc(1, sizeof(*l));
	if (!l || !(l->items = json_array())) {
		free(l);
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	}
	l->c = c;
	struct store *st = api_store(c);
	rc = st->server->order_items(st, o, u && *u ? u : NULL, ORDER_ITEMS_MAX, order_item_cb, l,
				     &c->err);
	if (!rc)
		rc = l->rc;
	if (rc)
		json_decref(l->items);
	else
		rc = api_reply(c, 200, json_pack("{s:s, s:o}", "order", o, "items", l->items));
	free(l);
	return rc;
}

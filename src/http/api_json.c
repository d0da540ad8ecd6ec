/* api_json.c — JSON encoders for the API's answers. */
#include "http/api_json.h"

#include <stdio.h>

#include "core/ledger.h"
#include "core/tktime.h"

json_t *api_json_time(int64_t t)
{
	char buf[TKTIME_BUF];
	return t ? json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf)) : json_null();
}

json_t *api_json_date(int64_t day)
{
	int y, m, d;
	char buf[16];
	tktime_civil_from_days(day, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	return json_string(buf);
}

json_t *api_json_member(const struct member_rec *m, const char *parent_ext)
{
	char code[16];
	engine_invite_code(m->id, code);
	return json_pack("{s:s, s:s?, s:s, s:s, s:i, s:I, s:I, s:s, s:o}", "id", m->ext, "parent",
			 parent_ext, "level", m->level, "name", m->name, "depth", (int)m->depth,
			 "direct_count", (json_int_t)m->direct_count, "team_count",
			 (json_int_t)m->team_count, "invite_code", code, "created_at",
			 api_json_time(m->created_at));
}

json_t *api_json_balance(const char *ext, const struct balance *b)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "member", ext, "pending",
			 (json_int_t)b->pending, "frozen", (json_int_t)b->frozen, "available",
			 (json_int_t)b->available, "withdrawing", (json_int_t)b->withdrawing,
			 "paid", (json_int_t)b->paid);
}

json_t *api_json_withdrawal(const struct withdrawal_rec *w, const char *member_ext)
{
	json_t *doc = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
				"s:o, s:o}",
				"id", (json_int_t)w->id, "member", member_ext, "amount",
				(json_int_t)w->amount, "fee", (json_int_t)w->fee, "net",
				(json_int_t)(w->amount - w->fee), "available_before",
				(json_int_t)w->available_before, "method", w->method, "account",
				w->account, "payee", w->payee, "bank", w->bank, "branch", w->branch,
				"status", wd_status_name(w->status), "requested_at",
				api_json_time(w->requested_at), "decided_at",
				api_json_time(w->decided_at), "paid_at", api_json_time(w->paid_at));
	/* why it was rejected, null for any other */
	if (doc)
		json_object_set_new(doc, "reason",
				    w->status == WD_REJECTED ? json_string(w->reason) : json_null());
	return doc;
}

const char *api_attribution_name(enum attribution a)
{
	switch (a) {
	case ATTR_NONE: return "none";
	case ATTR_SELF: return "self_purchase";
	case ATTR_BINDING: return "binding";
	case ATTR_LINK: return "link";
	case ATTR_TAG: return "tag";
	}
	return "none";
}

json_t *api_json_item(const struct item_view *v)
{
	const struct item_rec *it = &v->item;
	const struct order_row *r = &it->row;
	json_t *splits = json_array();
	for (int i = 0; splits && i < v->split.n; i++) {
		const struct plan_split_line *l = &v->split.line[i];
		json_array_append_new(
			splits, json_pack("{s:s, s:i, s:s, s:s, s:i, s:I, s:s}", "member",
					  v->member_ext[i], "tier", l->tier, "level", v->level_key[i],
					  "role", plan_role_name(l->role), "rate_bps", (int)l->rate_bps,
					  "amount", (json_int_t)it->money.amount[i], "state",
					  bucket_name(it->money.bucket[i])));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:s, s:s, s:s, s:s, "
			 "s:I, s:s, s:b, s:I, s:o, s:o, s:o, s:o, s:o}",
			 "union", r->union_, "item", r->item, "order", r->order, "status",
			 order_status_name(r->status), "amount", (json_int_t)r->amount,
			 "commission", (json_int_t)r->commission, "refunded",
			 (json_int_t)r->refunded, "quantity", (int)r->quantity, "product",
			 r->product, "title", r->title, "buyer", r->buyer, "link", r->link,
			 "channel", r->channel, "plan_version", (json_int_t)it->plan_version,
			 "attribution", api_attribution_name(it->attribution), "self_purchase",
			 it->chain.self_purchase, "platform_share", (json_int_t)it->money.platform,
			 "splits", splits, "paid_at", api_json_time(r->paid_at), "settled_at",
			 api_json_time(r->settled_at), "available_at",
			 api_json_time(it->money.due_at), "modified_at",
			 api_json_time(r->modified_at));
}

/* "pending", "available", ... for a member's own account; "platform:union"
 * and the like for the other side. */
static void account_name(int64_t acct, int64_t member, char *buf, size_t size)
{
	if (ACCOUNT_MEMBER(acct) == member)
		snprintf(buf, size, "%s", acct_kind_name(acct));
	else if (ACCOUNT_MEMBER(acct) == 0)
		snprintf(buf, size, "platform:%s", acct_kind_name(acct));
	else
		snprintf(buf, size, "member:%s", acct_kind_name(acct));
}

json_t *api_json_ledger_entry(const struct ledger_entry *e, int64_t member)
{
	char from[48], to[48];
	account_name(e->t.debit, member, from, sizeof(from));
	account_name(e->t.credit, member, to, sizeof(to));
	/* what the member's total changed by: + money in, - money out, 0 a move
	 * between its own accounts */
	bool in = ACCOUNT_MEMBER(e->t.credit) == member, out = ACCOUNT_MEMBER(e->t.debit) == member;
	int64_t change = in && !out ? e->t.amount : out && !in ? -e->t.amount : 0;
	json_t *doc = json_pack("{s:I, s:o, s:s, s:I, s:I, s:s, s:s}", "id", (json_int_t)e->t.id,
				"at", api_json_time(e->t.at), "type", transfer_code_name(e->t.code),
				"amount", (json_int_t)e->t.amount, "change", (json_int_t)change,
				"from", from, "to", to);
	if (doc && e->union_[0])
		json_object_set_new(doc, "item",
				    json_pack("{s:s, s:s, s:s, s:s, s:I}", "union", e->union_, "item",
					      e->item_key, "product", e->product, "title", e->title,
					      "amount", (json_int_t)e->item_amount));
	if (doc && e->t.withdrawal)
		json_object_set_new(doc, "withdrawal", json_integer(e->t.withdrawal));
	return doc;
}

json_t *api_json_link(const struct link_rec *l, const char *base_url)
{
	char short_url[512];
	snprintf(short_url, sizeof(short_url), "%s/s/%s", base_url, l->code);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I}", "code", l->code,
				"short_url", short_url, "member", l->member_ext, "target",
				l->target, "created_at", api_json_time(l->created_at), "clicks",
				(json_int_t)l->clicks, "unique_clicks", (json_int_t)l->unique_clicks,
				"bot_clicks", (json_int_t)l->bot_clicks);
	if (doc && l->product[0])
		json_object_set_new(doc, "product", json_pack("{s:s, s:s}", "union", l->union_,
							      "id", l->product));
	if (doc && l->channel[0])
		json_object_set_new(doc, "channel", json_string(l->channel));
	if (doc && l->revoked_at)
		json_object_set_new(doc, "revoked_at", api_json_time(l->revoked_at));
	if (doc && l->conversion) { /* the target is the union's own link */
		json_object_set_new(doc, "converted", json_true());
		json_object_set_new(doc, "expires_at", api_json_time(l->expires_at));
		if (l->demo)
			json_object_set_new(doc, "demo", json_true());
	}
	if (doc && l->host_override)
		json_object_set_new(doc, "host_override", json_true());
	return doc;
}

json_t *api_json_split(const struct plan *p, const struct plan_chain *chain,
		       const struct plan_split *split, const char ext[][ORDER_KEY_MAX])
{
	json_t *lines = json_array();
	for (int i = 0; lines && i < split->n; i++) {
		const struct plan_split_line *l = &split->line[i];
		json_t *line = json_pack("{s:i, s:s, s:s, s:i, s:I}", "tier", l->tier, "level",
					 p->levels[chain->level[i]].key, "role",
					 plan_role_name(l->role), "rate_bps", (int)l->rate_bps,
					 "amount", (json_int_t)l->amount);
		if (line && ext && ext[i][0])
			json_object_set_new(line, "member", json_string(ext[i]));
		json_array_append_new(lines, line);
	}
	return json_pack("{s:o, s:I}", "lines", lines, "platform", (json_int_t)split->platform);
}

json_t *api_json_stats(const int64_t v[STAT_N])
{
	json_t *doc = json_object();
	for (int i = 0; doc && i < STAT_N; i++)
		json_object_set_new(doc, stat_columns[i], json_integer(v[i]));
	return doc;
}

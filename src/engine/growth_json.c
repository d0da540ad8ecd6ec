/* growth_json.c — JSON documents for members, teams, level history, moves,
 * evaluations and the compliance report.  Money is integer fen, shares
 * are integer bps, times ISO 8601 in Beijing time. */
#include "engine/growth_json.h"

#include <string.h>

#include "core/tktime.h"

static json_t *time_json(int64_t t)
{
	char buf[TKTIME_BUF];
	return t ? json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf)) : json_null();
}

json_t *growth_member_json(const struct member_rec *m, const char *parent_ext)
{
	char code[16];
	engine_invite_code(m->id, code);
	json_t *o = json_pack("{s:s, s:s?, s:s, s:s, s:i, s:I, s:I, s:s}", "id", m->ext, "parent",
			      parent_ext && *parent_ext ? parent_ext : NULL, "level", m->level,
			      "name", m->name, "depth", (int)m->depth, "direct_count",
			      (json_int_t)m->direct_count, "team_count",
			      (json_int_t)m->team_count, "invite_code", code);
	if (o)
		json_object_set_new(o, "joined_at", time_json(m->created_at));
	return o;
}

static json_t *month_json(const struct team_stats *s, int k)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I}", "month", k ? s->last_month : s->month,
			 "own_gmv", (json_int_t)s->own_gmv[k], "own_commission",
			 (json_int_t)s->own_commission[k], "team_gmv", (json_int_t)s->team_gmv[k],
			 "team_commission", (json_int_t)s->team_commission[k]);
}

json_t *growth_team_stats_json(const struct team_stats *s)
{
	json_t *levels = json_array();
	for (int i = 0; i < s->n_levels; i++)
		json_array_append_new(levels, json_pack("{s:s, s:I, s:I}", "level",
							s->levels[i].key, "direct",
							(json_int_t)s->levels[i].direct, "team",
							(json_int_t)s->levels[i].team));
	return json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "id", s->m.ext, "level",
			 s->m.level, "direct_count", (json_int_t)s->m.direct_count, "team_count",
			 (json_int_t)s->m.team_count, "this_month", month_json(s, 0), "last_month",
			 month_json(s, 1), "levels", levels);
}

/* {"member","level","next":null | {"level","name","match","rule","conditions":[
 *  {"kind","min","have","missing","met", "days"?, "level"?}]}} — `missing` is
 * what is still lacking (0 once met), so the page says "还差 ..." without
 * arithmetic of its own. */
json_t *growth_level_progress_json(const struct level_progress *lp)
{
	json_t *next = json_null();
	if (lp->next[0]) {
		json_t *conds = json_array();
		for (int i = 0; conds && i < lp->n; i++) {
			const struct plan_condition *c = &lp->cond[i];
			int64_t missing = lp->met[i] ? 0 : lp->need[i] - lp->have[i];
			json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:b}", "kind",
					      plan_cond_kind_name(c->kind), "min",
					      (json_int_t)lp->need[i], "have", (json_int_t)lp->have[i],
					      "missing", (json_int_t)(missing > 0 ? missing : 0),
					      "met", lp->met[i]);
			if (o && plan_cond_windowed(c->kind))
				json_object_set_new(o, "days", json_integer(c->days));
			if (o && c->kind == COND_DIRECT_AT_LEVEL)
				json_object_set_new(o, "level", json_string(lp->cond_level[i]));
			json_array_append_new(conds, o);
		}
		next = json_pack("{s:s, s:s, s:s, s:b, s:o}", "level", lp->next, "name",
				 lp->next_name, "match", lp->match_any ? "any" : "all", "rule",
				 lp->n > 0, "conditions", conds);
	}
	return json_pack("{s:s, s:s, s:o}", "member", lp->m.ext, "level", lp->level, "next", next);
}

json_t *growth_team_row_json(const struct team_row *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "id", r->m.ext,
			      "level", r->m.level, "name", r->m.name, "depth", (int)r->m.depth,
			      "direct_count", (json_int_t)r->m.direct_count, "team_count",
			      (json_int_t)r->m.team_count, "own_gmv_month",
			      (json_int_t)r->own_gmv_month, "team_gmv_month",
			      (json_int_t)r->team_gmv_month, "team_commission_month",
			      (json_int_t)r->team_commission_month);
	if (o)
		json_object_set_new(o, "joined_at", time_json(r->m.created_at));
	return o;
}

json_t *growth_level_change_json(const struct level_change_rec *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "member", c->member_ext, "from", c->from,
			      "to", c->to, "rule", c->rule);
	if (o) {
		json_object_set_new(o, "item_id", c->item ? json_integer(c->item) : json_null());
		json_object_set_new(o, "at", time_json(c->at));
	}
	return o;
}

json_t *growth_move_json(const struct member_move_rec *m)
{
	json_t *o = json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s}", "id", (json_int_t)m->id,
			      "member", m->member_ext, "from", m->from_ext[0] ? m->from_ext : NULL,
			      "to", m->to_ext[0] ? m->to_ext : NULL, "by", m->by, "reason",
			      m->reason);
	if (o)
		json_object_set_new(o, "at", time_json(m->at));
	return o;
}

json_t *growth_eval_stats_json(const struct growth_eval_stats *s)
{
	return json_pack("{s:s, s:I, s:I, s:I}", "mode", s->bulk ? "bulk" : "incremental",
			 "evaluated", (json_int_t)s->evaluated, "upgraded",
			 (json_int_t)s->upgraded, "downgraded", (json_int_t)s->downgraded);
}

static json_t *part_json(int64_t amount, int64_t whole)
{
	return json_pack("{s:I, s:I}", "amount", (json_int_t)amount, "share_bps",
			 (json_int_t)growth_share_bps(amount, whole));
}

json_t *growth_compliance_json(const struct compliance_report *r)
{
	const struct compliance_figures *f = &r->f;
	json_t *dist = json_array();
	for (int d = 0; d < GROWTH_DEPTH_BUCKETS; d++)
		if (r->depth[d])
			json_array_append_new(dist, json_pack("{s:i, s:I, s:b}", "depth", d,
							      "members", (json_int_t)r->depth[d],
							      "and_deeper",
							      d == GROWTH_DEPTH_BUCKETS - 1));
	int64_t sales = f->ordinary_by_tier[0], upline = 0, packs = 0;
	json_t *tiers = json_array();
	for (int t = 0; t < PLAN_MAX_TIERS; t++) {
		if (t > 0)
			upline += f->ordinary_by_tier[t];
		packs += f->pack_by_tier[t];
		json_array_append_new(tiers, json_pack("{s:i, s:I, s:I, s:I}", "tier", t + 1,
						       "sales", (json_int_t)f->ordinary_by_tier[t],
						       "gift_packs", (json_int_t)f->pack_by_tier[t],
						       "total",
						       (json_int_t)(f->ordinary_by_tier[t] +
								    f->pack_by_tier[t])));
	}
	int64_t income = sales + upline + packs;
	json_t *sample = json_array();
	for (int i = 0; i < r->n_sample; i++)
		json_array_append_new(sample, json_pack("{s:s, s:I}", "id", r->sample[i].ext,
							"gift_pack_income",
							(json_int_t)r->sample[i].pack_income));
	json_t *checks = json_array();
	int warnings = 0;
	for (int i = 0; i < r->n_checks; i++) {
		const struct compliance_check *c = &r->checks[i];
		warnings += c->warning;
		json_array_append_new(checks, json_pack("{s:s, s:s, s:I, s:I, s:s}", "name", c->name,
							"status", c->warning ? "warning" : "ok",
							"value", (json_int_t)c->value, "threshold",
							(json_int_t)c->threshold, "message",
							c->message));
	}
	return json_pack(
		"{s:I, s:I, s:{s:I, s:o}, s:{s:I, s:o, s:o, s:o, s:o},"
		" s:{s:I, s:I, s:I, s:I, s:o}, s:{s:I, s:I, s:I, s:I, s:I}, s:i, s:o}",
		"members", (json_int_t)f->members, "roots", (json_int_t)f->roots, "depth", "max",
		(json_int_t)f->max_depth, "distribution", dist, "income", "total",
		(json_int_t)income, "own_and_customers", part_json(sales, income), "upline_tiers",
		part_json(upline, income), "gift_pack_margins", part_json(packs, income), "by_tier",
		tiers, "earners", "total", (json_int_t)f->earners, "recruitment_only",
		(json_int_t)f->earners_pack_only, "recruitment_only_share_bps",
		(json_int_t)growth_share_bps(f->earners_pack_only, f->earners),
		"without_own_sales", (json_int_t)f->earners_upline_only, "recruitment_only_sample",
		sample, "revenue", "gmv", (json_int_t)f->gmv, "commission",
		(json_int_t)f->commission, "gift_pack_sales", (json_int_t)f->pack_sales,
		"gift_pack_margin", (json_int_t)f->pack_margin, "gift_pack_share_bps",
		(json_int_t)growth_share_bps(f->pack_sales, f->pack_sales + f->gmv), "warnings",
		warnings, "checks", checks);
}

bool growth_team_sort_parse(const char *s, enum team_sort *out)
{
	static const char *const names[] = {"team", "direct", "joined", "gmv"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum team_sort)i;
			return true;
		}
	return false;
}

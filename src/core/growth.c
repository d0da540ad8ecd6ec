/* growth.c — upgrade rules, the downward review and the compliance checks.
 *
 * A member qualifies for a level when that level's upgrade rule is met
 * (all or any of its conditions) or a gift pack it holds grants the level.
 * Evaluation only ever moves a member up; going down is a separate review,
 * run monthly when the plan says so, or a correction, when a gift pack is
 * refunded or orders a rule counted stop earning.  A level an operator
 * granted is a floor for all of them (for the review, unless the plan says
 * review_granted). */
#include "core/growth.h"

#include <assert.h>

#include <stdio.h>
#include <string.h>

void growth_windows(const struct plan *p, struct growth_windows *w)
{
	memset(w, 0, sizeof(*w));
	for (int i = 0; i < p->n_levels; i++)
		for (int c = 0; c < p->levels[i].upgrade.n; c++) {
			const struct plan_condition *k = &p->levels[i].upgrade.cond[c];
			if (!plan_cond_windowed(k->kind) || growth_window_index(w, k->days) >= 0)
				continue;
			/* plan_validate() keeps the distinct windows within bounds */
			if (w->n < PLAN_MAX_WINDOWS)
				w->days[w->n++] = k->days;
		}
}

int growth_window_index(const struct growth_windows *w, int32_t days)
{
	for (int i = 0; i < w->n; i++)
		if (w->days[i] == days)
			return i;
	return -1;
}

void growth_facts_init(struct growth_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->pack_level = -1;
}

unsigned growth_plan_inputs(const struct plan *p)
{
	unsigned in = p->n_gift_packs > 0 ? GROWTH_IN_PACK : 0;
	for (int i = 0; i < p->n_levels; i++)
		for (int c = 0; c < p->levels[i].upgrade.n; c++)
			switch (p->levels[i].upgrade.cond[c].kind) {
			case COND_DIRECT_INVITES: in |= GROWTH_IN_DIRECT; break;
			case COND_TEAM_SIZE: in |= GROWTH_IN_TEAM; break;
			case COND_OWN_GMV:
			case COND_OWN_COMMISSION: in |= GROWTH_IN_OWN_SALES; break;
			case COND_TEAM_GMV:
			case COND_TEAM_COMMISSION: in |= GROWTH_IN_TEAM_SALES; break;
			case COND_DIRECT_AT_LEVEL: in |= GROWTH_IN_DIRECT_LEVEL; break;
			case COND_GIFT_PACK: in |= GROWTH_IN_PACK; break;
			case COND_KIND_N: break;
			}
	return in;
}

bool growth_plan_has_rules(const struct plan *p)
{
	if (p->n_gift_packs > 0)
		return true;
	for (int i = 0; i < p->n_levels; i++)
		if (p->levels[i].upgrade.n > 0)
			return true;
	return false;
}

bool growth_condition_met(const struct growth_windows *w, const struct plan_condition *c,
			  const struct growth_facts *f)
{
	int k = plan_cond_windowed(c->kind) ? growth_window_index(w, c->days) : 0;
	if (k < 0)
		return false; /* a window the facts were not gathered for */
	switch (c->kind) {
	case COND_DIRECT_INVITES: return f->direct >= c->min;
	case COND_TEAM_SIZE: return f->team >= c->min;
	case COND_OWN_GMV: return f->own_gmv[k] >= c->min;
	case COND_OWN_COMMISSION: return f->own_commission[k] >= c->min;
	case COND_TEAM_GMV: return f->team_gmv[k] >= c->min;
	case COND_TEAM_COMMISSION: return f->team_commission[k] >= c->min;
	case COND_DIRECT_AT_LEVEL: {
		int64_t n = 0;
		for (int i = c->level; i >= 0 && i < PLAN_MAX_LEVELS; i++)
			n += f->direct_at[i];
		return n >= c->min;
	}
	case COND_GIFT_PACK: return f->holds_pack;
	case COND_KIND_N: break;
	}
	return false;
}

int64_t growth_condition_figure(const struct growth_windows *w, const struct plan_condition *c,
				const struct growth_facts *f)
{
	int k = plan_cond_windowed(c->kind) ? growth_window_index(w, c->days) : 0;
	if (k < 0)
		return 0; /* a window the facts were not gathered for */
	switch (c->kind) {
	case COND_DIRECT_INVITES: return f->direct;
	case COND_TEAM_SIZE: return f->team;
	case COND_OWN_GMV: return f->own_gmv[k];
	case COND_OWN_COMMISSION: return f->own_commission[k];
	case COND_TEAM_GMV: return f->team_gmv[k];
	case COND_TEAM_COMMISSION: return f->team_commission[k];
	case COND_DIRECT_AT_LEVEL: {
		int64_t n = 0;
		for (int i = c->level; i >= 0 && i < PLAN_MAX_LEVELS; i++)
			n += f->direct_at[i];
		return n;
	}
	case COND_GIFT_PACK: return f->holds_pack ? 1 : 0;
	case COND_KIND_N: break;
	}
	return 0;
}

int64_t growth_condition_need(const struct plan_condition *c)
{
	return c->kind == COND_GIFT_PACK ? 1 : c->min;
}

int growth_progress(const struct plan *p, const struct growth_windows *w, int level,
		    const struct growth_facts *f, int64_t have[PLAN_MAX_CONDITIONS],
		    bool met[PLAN_MAX_CONDITIONS])
{
	assert(level >= 0 && level < p->n_levels);
	const struct plan_upgrade *u = &p->levels[level].upgrade;
	assert(u->n >= 0 && u->n <= PLAN_MAX_CONDITIONS);
	for (int i = 0; i < u->n; i++) {
		have[i] = growth_condition_figure(w, &u->cond[i], f);
		met[i] = growth_condition_met(w, &u->cond[i], f);
		/* the figure and the verdict are one judgement, read twice */
		assert(met[i] == (have[i] >= growth_condition_need(&u->cond[i])) ||
		       (plan_cond_windowed(u->cond[i].kind) &&
			growth_window_index(w, u->cond[i].days) < 0));
	}
	return u->n;
}

bool growth_rule_met(const struct plan *p, const struct growth_windows *w, int level,
		     const struct growth_facts *f)
{
	const struct plan_upgrade *u = &p->levels[level].upgrade;
	if (u->n == 0)
		return false;
	for (int c = 0; c < u->n; c++) {
		bool met = growth_condition_met(w, &u->cond[c], f);
		if (u->match_any && met)
			return true;
		if (!u->match_any && !met)
			return false;
	}
	return !u->match_any;
}

void growth_upgrade(const struct plan *p, const struct growth_windows *w, int current,
		    const struct growth_facts *f, struct growth_decision *out)
{
	out->level = current;
	out->cause = GROWTH_UNCHANGED;
	int by_rule = -1;
	for (int i = p->n_levels - 1; i > current && by_rule < 0; i--)
		if (growth_rule_met(p, w, i, f))
			by_rule = i;
	if (f->pack_level > current && f->pack_level >= by_rule) {
		out->level = f->pack_level;
		out->cause = GROWTH_PACK;
	} else if (by_rule > current) {
		out->level = by_rule;
		out->cause = GROWTH_RULE;
	}
}

void growth_review(const struct plan *p, const struct growth_windows *w, int current,
		   int floor, bool keep_ruleless, enum growth_cause why,
		   const struct growth_facts *f, struct growth_decision *out)
{
	out->level = current;
	out->cause = GROWTH_UNCHANGED;
	if (current <= floor)
		return;
	if (growth_rule_met(p, w, current, f) || f->pack_level >= current ||
	    (keep_ruleless && p->levels[current].upgrade.n == 0))
		return;
	int to = floor;
	for (int i = current - 1; i > floor; i--)
		if (i == p->default_level || f->pack_level >= i || growth_rule_met(p, w, i, f)) {
			to = i;
			break;
		}
	out->level = to;
	out->cause = why;
}

/* Whether a correction leaves the member at `level` (growth_correct). */
static bool correction_keeps(const struct plan *p, const struct growth_windows *w, int level,
			     const struct growth_past *past, const struct growth_facts *now,
			     const struct growth_facts *const then[PLAN_MAX_LEVELS])
{
	if (now->pack_level >= level || growth_rule_met(p, w, level, now))
		return true;
	if (!past->by_rule[level])
		return true; /* not earned by a rule: not a correction's to take back */
	return !then[level] || growth_rule_met(p, w, level, then[level]);
}

void growth_correct(const struct plan *p, const struct growth_windows *w, int current,
		    int floor, const struct growth_past *past, const struct growth_facts *now,
		    const struct growth_facts *const then[PLAN_MAX_LEVELS],
		    struct growth_decision *out)
{
	out->level = current;
	out->cause = GROWTH_UNCHANGED;
	if (current <= floor || correction_keeps(p, w, current, past, now, then))
		return;
	int to = floor;
	for (int i = current - 1; i > floor; i--)
		if (i == p->default_level || correction_keeps(p, w, i, past, now, then)) {
			to = i;
			break;
		}
	out->level = to;
	out->cause = GROWTH_REVOKED;
}

enum growth_source growth_rule_source(const char *rule)
{
	if (strncmp(rule, "upgrade:", 8) == 0)
		return GROWTH_SRC_RULE;
	if (strcmp(rule, "operator") == 0 || strcmp(rule, "import") == 0)
		return GROWTH_SRC_GRANT;
	return GROWTH_SRC_OTHER;
}

void growth_past_init(struct growth_past *g)
{
	memset(g, 0, sizeof(*g));
	g->granted = -1;
}

void growth_past_add(struct growth_past *g, int from, int to, enum growth_source src,
		     int64_t day)
{
	if (to < 0 || to >= PLAN_MAX_LEVELS)
		return; /* a level the plan no longer has */
	if (src == GROWTH_SRC_GRANT)
		g->granted = to;
	for (int i = from < 0 ? 0 : from + 1; i <= to; i++) {
		g->by_rule[i] = src == GROWTH_SRC_RULE;
		g->day[i] = day;
	}
}

int growth_floor(const struct plan *p, const struct growth_past *past, int floor,
		 bool keep_granted)
{
	int f = p->default_level;
	if (floor > f)
		f = floor;
	if (keep_granted && past->granted > f)
		f = past->granted;
	return f;
}

void growth_rule_text(const struct plan *p, const struct growth_decision *d,
		      const char *what, char *buf, size_t size)
{
	what = what ? what : "";
	switch (d->cause) {
	case GROWTH_RULE:
		snprintf(buf, size, "upgrade:%s", p->levels[d->level].key);
		return;
	case GROWTH_PACK:
		snprintf(buf, size, "gift_pack:%s", what);
		return;
	case GROWTH_REVIEW:
		snprintf(buf, size, "review");
		return;
	case GROWTH_PACK_REFUND:
		snprintf(buf, size, "gift_pack_refund:%s", what);
		return;
	case GROWTH_REVOKED:
		snprintf(buf, size, "revoked:%s", what);
		return;
	case GROWTH_UNCHANGED:
		break;
	}
	snprintf(buf, size, "unchanged");
}

/* ---- compliance ---- */

int64_t growth_share_bps(int64_t value, int64_t whole)
{
	/* both stay below MONEY_MAX_FEN (10^14), so value * 10^4 fits */
	return whole > 0 ? value * 10000 / whole : 0;
}

static struct compliance_check *add_check(struct compliance_check *out, int max, int *n,
					  const char *name, int64_t value, int64_t threshold,
					  bool warning)
{
	if (*n >= max)
		return NULL;
	struct compliance_check *c = &out[(*n)++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = value;
	c->threshold = threshold;
	c->warning = warning;
	return c;
}

/* A condition that counts people rather than sales (拉人头). */
static bool recruits(enum plan_cond_kind k)
{
	return k == COND_DIRECT_INVITES || k == COND_TEAM_SIZE || k == COND_DIRECT_AT_LEVEL;
}

int growth_compliance_checks(const struct plan *p, const struct compliance_figures *f,
			     struct compliance_check *out, int max)
{
	int n = 0;
	struct compliance_check *c;

	int tiers = p->max_tiers;
	for (int i = 0; i < p->n_gift_packs; i++)
		if (p->gift_packs[i].n_tiers > tiers)
			tiers = p->gift_packs[i].n_tiers;
	if ((c = add_check(out, max, &n, "receiving_tiers", tiers, PLAN_MAX_TIERS + 1,
			   tiers > PLAN_MAX_TIERS)))
		snprintf(c->message, sizeof(c->message),
			 "the plan pays at most %d tier(s) per item; more than %d can never be "
			 "configured",
			 tiers, PLAN_MAX_TIERS);

	for (int i = 0; i < p->n_gift_packs; i++) {
		const struct plan_gift_pack *g = &p->gift_packs[i];
		int64_t goods = growth_share_bps(g->cost, g->price);
		if (g->cost == 0) {
			if ((c = add_check(out, max, &n, "entry_fee_without_goods", 0, 0, true)))
				snprintf(c->message, sizeof(c->message),
					 "gift pack %.64s costs nothing: its price is an entry fee "
					 "without goods",
					 g->product);
		} else if ((c = add_check(out, max, &n, "gift_pack_goods", goods,
					  COMPLIANCE_PACK_GOODS_BPS,
					  goods < COMPLIANCE_PACK_GOODS_BPS))) {
			snprintf(c->message, sizeof(c->message),
				 "gift pack %.64s: its goods cost %lld.%02lld%% of its price%s",
				 g->product, (long long)(goods / 100), (long long)(goods % 100),
				 goods < COMPLIANCE_PACK_GOODS_BPS
					 ? ", so most of the price is an entry fee" : "");
		}
	}

	for (int i = 0; i < p->n_levels; i++) {
		const struct plan_upgrade *u = &p->levels[i].upgrade;
		if (u->n == 0)
			continue;
		bool all_recruit = true, any_recruit = false;
		for (int k = 0; k < u->n; k++) {
			all_recruit &= recruits(u->cond[k].kind);
			any_recruit |= recruits(u->cond[k].kind);
		}
		bool by_recruiting = u->match_any ? any_recruit : all_recruit;
		if (by_recruiting && (c = add_check(out, max, &n, "level_by_recruiting", i, 0, true)))
			snprintf(c->message, sizeof(c->message),
				 "level %s can be reached by recruiting members alone, without any "
				 "sales",
				 p->levels[i].key);
	}

	int64_t ordinary = 0, packs = 0;
	for (int t = 0; t < PLAN_MAX_TIERS; t++) {
		ordinary += f->ordinary_by_tier[t];
		packs += f->pack_by_tier[t];
	}
	int64_t income = ordinary + packs;
	int64_t recruit = growth_share_bps(packs, income);
	if ((c = add_check(out, max, &n, "income_from_recruitment", recruit,
			   COMPLIANCE_RECRUITMENT_SHARE_BPS,
			   recruit >= COMPLIANCE_RECRUITMENT_SHARE_BPS)))
		snprintf(c->message, sizeof(c->message),
			 "%lld.%02lld%% of members' income comes from gift-pack margins%s",
			 (long long)(recruit / 100), (long long)(recruit % 100),
			 recruit >= COMPLIANCE_RECRUITMENT_SHARE_BPS
				 ? ": income comes mainly from recruitment" : "");
	int64_t upline = growth_share_bps(income - f->ordinary_by_tier[0], income);
	if ((c = add_check(out, max, &n, "income_from_downlines", upline,
			   COMPLIANCE_UPLINE_SHARE_BPS, upline >= COMPLIANCE_UPLINE_SHARE_BPS)))
		snprintf(c->message, sizeof(c->message),
			 "%lld.%02lld%% of members' income is paid on other members' purchases or "
			 "gift packs (tiers 2-3 and pack margins)%s",
			 (long long)(upline / 100), (long long)(upline % 100),
			 upline >= COMPLIANCE_UPLINE_SHARE_BPS
				 ? ": members earn more from their downlines than from sales" : "");
	int64_t only = growth_share_bps(f->earners_pack_only, f->earners);
	if ((c = add_check(out, max, &n, "earners_from_recruitment_only", only,
			   COMPLIANCE_PACK_ONLY_EARNERS_BPS,
			   only >= COMPLIANCE_PACK_ONLY_EARNERS_BPS)))
		snprintf(c->message, sizeof(c->message),
			 "%lld of %lld earning members earned only from gift-pack margins",
			 (long long)f->earners_pack_only, (long long)f->earners);
	int64_t rev = growth_share_bps(f->pack_sales, f->pack_sales + f->gmv);
	if ((c = add_check(out, max, &n, "gift_pack_revenue", rev, COMPLIANCE_PACK_REVENUE_BPS,
			   rev >= COMPLIANCE_PACK_REVENUE_BPS)))
		snprintf(c->message, sizeof(c->message),
			 "gift packs are %lld.%02lld%% of all sales%s", (long long)(rev / 100),
			 (long long)(rev % 100),
			 rev >= COMPLIANCE_PACK_REVENUE_BPS
				 ? ": the platform sells memberships more than goods" : "");
	return n;
}

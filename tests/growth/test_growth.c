/* test_growth.c — the growth core: upgrade rules in plans (parsing,
 * validation, canonical JSON), every condition kind, all/any, ranking,
 * the downward review, granted levels read from the history, corrections
 * when orders stop earning, gift-pack splits and the compliance checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/growth.h"
#include "core/money.h"
#include "core/plan.h"

enum { MEMBER, SUPER, MENTOR, PARTNER };

/* The four levels of the design, with rules of every kind. */
static const char growth_plan[] =
	"{\"name\":\"growth\",\"mode\":\"differential\",\"max_tiers\":3,"
	"\"platform_min_bps\":1000,\"peer_bonus_bps\":500,\"default_level\":\"member\","
	"\"downgrade\":\"monthly\","
	"\"levels\":["
	"{\"key\":\"member\",\"rate_bps\":3000,\"can_share\":false},"
	"{\"key\":\"super\",\"rate_bps\":5000,\"upgrade\":{\"match\":\"any\",\"conditions\":["
	"  {\"kind\":\"gift_pack\"},{\"kind\":\"direct_invites\",\"min\":3}]}},"
	"{\"key\":\"mentor\",\"rate_bps\":7000,\"upgrade\":{\"match\":\"all\",\"conditions\":["
	"  {\"kind\":\"team_size\",\"min\":50},{\"kind\":\"own_gmv\",\"days\":30,\"min\":100000},"
	"  {\"kind\":\"direct_at_level\",\"level\":\"super\",\"min\":2}]}},"
	"{\"key\":\"partner\",\"rate_bps\":8000,\"upgrade\":{\"conditions\":["
	"  {\"kind\":\"team_gmv\",\"days\":90,\"min\":5000000},"
	"  {\"kind\":\"team_commission\",\"days\":90,\"min\":500000},"
	"  {\"kind\":\"own_commission\",\"days\":30,\"min\":10000},"
	"  {\"kind\":\"direct_at_level\",\"level\":\"mentor\",\"min\":3}]}}],"
	"\"gift_packs\":[{\"product\":\"GP399\",\"price\":39900,\"cost\":25000,"
	"  \"level\":\"super\",\"tiers_bps\":[2000,1000]},"
	" {\"product\":\"GP999\",\"price\":99900,\"cost\":60000,\"level\":\"mentor\","
	"  \"tiers_bps\":[3000]}]}";

static struct plan parse_ok(const char *json)
{
	struct plan p;
	struct tk_error err = {0};
	if (plan_parse(json, strlen(json), &p, &err))
		fail_msg("plan refused: %s: %s", err.field, err.msg);
	return p;
}

static void test_parse_rules_and_packs(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	assert_int_equal(p.downgrade, PLAN_DOWNGRADE_MONTHLY);
	assert_int_equal(p.levels[MEMBER].upgrade.n, 0);
	assert_true(p.levels[SUPER].upgrade.match_any);
	assert_false(p.levels[MENTOR].upgrade.match_any);
	assert_false(p.levels[PARTNER].upgrade.match_any); /* "all" by default */
	assert_int_equal(p.levels[SUPER].upgrade.cond[0].kind, COND_GIFT_PACK);
	const struct plan_condition *c = &p.levels[MENTOR].upgrade.cond[1];
	assert_int_equal(c->kind, COND_OWN_GMV);
	assert_int_equal(c->days, 30);
	assert_int_equal(c->min, 100000);
	assert_int_equal(p.levels[MENTOR].upgrade.cond[2].level, SUPER);
	assert_int_equal(p.n_gift_packs, 2);
	assert_string_equal(p.gift_packs[0].product, "GP399");
	assert_int_equal(p.gift_packs[0].level, SUPER);
	assert_int_equal(p.gift_packs[0].n_tiers, 2);
	assert_int_equal(p.gift_packs[0].tiers_bps[1], 1000);
	assert_int_equal(plan_gift_pack_index(&p, "own", "GP999"), 1);
	assert_int_equal(plan_gift_pack_index(&p, "jd", "GP999"), -1);
	assert_int_equal(plan_gift_pack_index(&p, "own", "GP1"), -1);

	/* the canonical form reads back the same */
	char *s = plan_to_json(&p);
	struct plan q = parse_ok(s);
	free(s);
	assert_int_equal(q.downgrade, p.downgrade);
	assert_int_equal(q.n_gift_packs, 2);
	assert_int_equal(q.gift_packs[1].cost, 60000);
	for (int i = 0; i < p.n_levels; i++) {
		assert_int_equal(q.levels[i].upgrade.n, p.levels[i].upgrade.n);
		assert_int_equal(q.levels[i].upgrade.match_any, p.levels[i].upgrade.match_any);
		for (int k = 0; k < p.levels[i].upgrade.n; k++) {
			assert_int_equal(q.levels[i].upgrade.cond[k].kind, p.levels[i].upgrade.cond[k].kind);
			assert_int_equal(q.levels[i].upgrade.cond[k].days, p.levels[i].upgrade.cond[k].days);
			assert_int_equal(q.levels[i].upgrade.cond[k].min, p.levels[i].upgrade.cond[k].min);
			assert_int_equal(q.levels[i].upgrade.cond[k].level, p.levels[i].upgrade.cond[k].level);
		}
	}
}

static void test_plans_without_growth_read_as_before(void **state)
{
	(void)state;
	static const char plain[] =
		"{\"name\":\"p\",\"mode\":\"fixed\",\"max_tiers\":2,\"tiers_bps\":[1000],"
		"\"levels\":[{\"key\":\"a\",\"rate_bps\":3000}]}";
	struct plan p = parse_ok(plain);
	assert_int_equal(p.downgrade, PLAN_DOWNGRADE_NEVER);
	assert_int_equal(p.n_gift_packs, 0);
	assert_false(growth_plan_has_rules(&p));
	char *s = plan_to_json(&p);
	assert_null(strstr(s, "upgrade"));
	assert_null(strstr(s, "gift_packs"));
	assert_null(strstr(s, "downgrade"));
	free(s);
}

/* Replaces the first occurrence of `from` in the growth plan by `to`. */
static char *variant(const char *from, const char *to)
{
	static char buf[8192];
	const char *at = strstr(growth_plan, from);
	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - growth_plan), growth_plan, to,
		 at + strlen(from));
	return buf;
}

static void test_refuses_bad_rules_and_packs(void **state)
{
	(void)state;
	struct {
		const char *from, *to, *field;
	} bad[] = {
		{"\"kind\":\"team_size\"", "\"kind\":\"team_sizes\"",
		 "levels[2].upgrade.conditions[0].kind"},
		{"{\"kind\":\"team_size\",\"min\":50}", "{\"kind\":\"team_size\"}",
		 "levels[2].upgrade.conditions[0].min"},
		{"\"days\":30,\"min\":100000", "\"days\":0,\"min\":100000",
		 "levels[2].upgrade.conditions[1]"},
		{"\"days\":30,\"min\":100000", "\"days\":367,\"min\":100000",
		 "levels[2].upgrade.conditions[1]"},
		{"\"days\":30,\"min\":100000", "\"min\":100000", "levels[2].upgrade.conditions[1].days"},
		{"{\"kind\":\"team_size\",\"min\":50}", "{\"kind\":\"team_size\",\"min\":50,\"days\":3}",
		 "levels[2].upgrade.conditions[0].days"},
		{"\"min\":100000}", "\"min\":-1}", "levels[2].upgrade.conditions[1]"},
		{"\"level\":\"super\",\"min\":2", "\"level\":\"boss\",\"min\":2",
		 "levels[2].upgrade.conditions[2].level"},
		{"{\"kind\":\"gift_pack\"}", "{\"kind\":\"gift_pack\",\"min\":1}",
		 "levels[1].upgrade.conditions[0]"},
		{"{\"kind\":\"gift_pack\"}", "{\"kind\":\"gift_pack\",\"extra\":1}",
		 "levels[1].upgrade.conditions[0].extra"},
		{"\"match\":\"any\"", "\"match\":\"some\"", "levels[1].upgrade.match"},
		{"\"match\":\"all\",\"conditions\":[", "\"match\":\"all\",\"conds\":[",
		 "levels[2].upgrade.conds"},
		{"\"downgrade\":\"monthly\"", "\"downgrade\":\"weekly\"", "downgrade"},
		{"\"downgrade\":\"monthly\"", "\"downgrade\":\"monthly\",\"review_granted\":1",
		 "review_granted"},
		{"\"downgrade\":\"monthly\"", "\"downgrade\":\"never\",\"review_granted\":true",
		 "review_granted"},
		{"\"downgrade\":\"monthly\",", "\"review_granted\":true,", "review_granted"},
		{"\"cost\":25000", "\"cost\":40000", "gift_packs[0].cost"},
		{"\"cost\":25000", "\"cost\":-1", "gift_packs[0].cost"},
		{"\"level\":\"super\",\"tiers_bps\"", "\"level\":\"vip\",\"tiers_bps\"",
		 "gift_packs[0].level"},
		{"\"tiers_bps\":[2000,1000]", "\"tiers_bps\":[2000,1000,500,100]",
		 "gift_packs[0].tiers_bps"},
		{"\"tiers_bps\":[2000,1000]", "\"tiers_bps\":[6000,5000]", "gift_packs[0].tiers_bps"},
		{"\"tiers_bps\":[2000,1000]", "\"tiers_bps\":[2000,-1]", "gift_packs[0].tiers_bps[1]"},
		{"\"product\":\"GP999\"", "\"product\":\"GP399\"", "gift_packs[1].product"},
		{"\"product\":\"GP999\",", "\"product\":\"\",", "gift_packs[1].product"},
		{"\"product\":\"GP999\",", "\"product\":\"GP999\",\"name\":\"x\",",
		 "gift_packs[1].name"},
		{"\"max_tiers\":3", "\"max_tiers\":1", "gift_packs[0].tiers_bps"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *json = variant(bad[i].from, bad[i].to);
		struct plan p;
		struct tk_error err = {0};
		if (plan_parse(json, strlen(json), &p, &err) == TK_OK)
			fail_msg("case %zu was accepted: %s -> %s", i, bad[i].from, bad[i].to);
		if (strcmp(err.field, bad[i].field) != 0)
			fail_msg("case %zu: error names \"%s\" (%s), expected \"%s\"", i, err.field,
				 err.msg, bad[i].field);
	}
}

static void test_limits_on_counts(void **state)
{
	(void)state;
	char json[16384];
	struct plan p;
	struct tk_error err = {0};
	/* 17 conditions on one level */
	char conds[4096] = "";
	for (int i = 0; i < 17; i++)
		snprintf(conds + strlen(conds), sizeof(conds) - strlen(conds),
			 "%s{\"kind\":\"direct_invites\",\"min\":%d}", i ? "," : "", i);
	snprintf(json, sizeof(json),
		 "{\"name\":\"x\",\"mode\":\"differential\",\"max_tiers\":3,\"levels\":["
		 "{\"key\":\"a\",\"rate_bps\":1000},{\"key\":\"b\",\"rate_bps\":2000,"
		 "\"upgrade\":{\"conditions\":[%s]}}]}",
		 conds);
	assert_int_not_equal(plan_parse(json, strlen(json), &p, &err), TK_OK);
	assert_string_equal(err.field, "levels[1].upgrade.conditions");
	assert_non_null(strstr(err.msg, "16"));

	/* 9 distinct day windows */
	conds[0] = '\0';
	for (int i = 0; i < 9; i++)
		snprintf(conds + strlen(conds), sizeof(conds) - strlen(conds),
			 "%s{\"kind\":\"own_gmv\",\"days\":%d,\"min\":1}", i ? "," : "", i + 1);
	snprintf(json, sizeof(json),
		 "{\"name\":\"x\",\"mode\":\"differential\",\"max_tiers\":3,\"levels\":["
		 "{\"key\":\"a\",\"rate_bps\":1000},{\"key\":\"b\",\"rate_bps\":2000,"
		 "\"upgrade\":{\"conditions\":[%s]}}]}",
		 conds);
	assert_int_not_equal(plan_parse(json, strlen(json), &p, &err), TK_OK);
	assert_non_null(strstr(err.msg, "distinct day windows"));

	/* 33 gift packs */
	char packs[8192] = "";
	for (int i = 0; i < 33; i++)
		snprintf(packs + strlen(packs), sizeof(packs) - strlen(packs),
			 "%s{\"product\":\"P%d\",\"price\":100,\"cost\":50,\"level\":\"b\"}",
			 i ? "," : "", i);
	snprintf(json, sizeof(json),
		 "{\"name\":\"x\",\"mode\":\"differential\",\"max_tiers\":3,\"levels\":["
		 "{\"key\":\"a\",\"rate_bps\":1000},{\"key\":\"b\",\"rate_bps\":2000}],"
		 "\"gift_packs\":[%s]}",
		 packs);
	assert_int_not_equal(plan_parse(json, strlen(json), &p, &err), TK_OK);
	assert_string_equal(err.field, "gift_packs");
	assert_non_null(strstr(err.msg, "32"));
}

/* One level ("b") whose rule is the single condition given. */
static struct plan one_rule(enum plan_cond_kind kind, int32_t days, int level, int64_t min)
{
	struct plan p = parse_ok("{\"name\":\"x\",\"mode\":\"differential\",\"max_tiers\":3,"
				 "\"levels\":[{\"key\":\"a\",\"rate_bps\":1000},"
				 "{\"key\":\"b\",\"rate_bps\":2000},{\"key\":\"c\",\"rate_bps\":3000}]}");
	p.levels[1].upgrade.n = 1;
	p.levels[1].upgrade.cond[0] = (struct plan_condition){kind, days, level, min};
	struct tk_error err = {0};
	if (plan_validate(&p, &err))
		fail_msg("%s: %s", err.field, err.msg);
	return p;
}

static void test_every_condition_kind(void **state)
{
	(void)state;
	struct {
		enum plan_cond_kind kind;
		int32_t days;
		int level;
	} kinds[] = {{COND_DIRECT_INVITES, 0, -1}, {COND_TEAM_SIZE, 0, -1},
		     {COND_OWN_GMV, 30, -1},       {COND_OWN_COMMISSION, 30, -1},
		     {COND_TEAM_GMV, 7, -1},       {COND_TEAM_COMMISSION, 7, -1},
		     {COND_DIRECT_AT_LEVEL, 0, 1}};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct plan p = one_rule(kinds[i].kind, kinds[i].days, kinds[i].level, 5);
		struct growth_windows w;
		growth_windows(&p, &w);
		int k = kinds[i].days ? growth_window_index(&w, kinds[i].days) : 0;
		assert_true(k >= 0);
		for (int64_t v = 3; v <= 6; v++) {
			struct growth_facts f;
			growth_facts_init(&f);
			switch (kinds[i].kind) {
			case COND_DIRECT_INVITES: f.direct = v; break;
			case COND_TEAM_SIZE: f.team = v; break;
			case COND_OWN_GMV: f.own_gmv[k] = v; break;
			case COND_OWN_COMMISSION: f.own_commission[k] = v; break;
			case COND_TEAM_GMV: f.team_gmv[k] = v; break;
			case COND_TEAM_COMMISSION: f.team_commission[k] = v; break;
			case COND_DIRECT_AT_LEVEL: f.direct_at[1] = v; break;
			default: break;
			}
			bool met = growth_rule_met(&p, &w, 1, &f);
			if (met != (v >= 5))
				fail_msg("%s with %lld: met=%d", plan_cond_kind_name(kinds[i].kind),
					 (long long)v, met);
			/* a figure of another kind never counts */
			struct growth_facts other;
			growth_facts_init(&other);
			other.direct = other.team = v;
			if (kinds[i].kind != COND_DIRECT_INVITES && kinds[i].kind != COND_TEAM_SIZE)
				assert_false(growth_rule_met(&p, &w, 1, &other));
		}
	}
	/* gift_pack: holding any pack */
	struct plan p = one_rule(COND_GIFT_PACK, 0, -1, 0);
	struct growth_windows w;
	growth_windows(&p, &w);
	struct growth_facts f;
	growth_facts_init(&f);
	assert_false(growth_rule_met(&p, &w, 1, &f));
	f.holds_pack = true;
	assert_true(growth_rule_met(&p, &w, 1, &f));
	/* a level without a rule is never met */
	assert_false(growth_rule_met(&p, &w, 2, &f));
}

static void test_direct_at_level_counts_that_level_and_above(void **state)
{
	(void)state;
	struct plan p = one_rule(COND_DIRECT_AT_LEVEL, 0, 1, 3);
	struct growth_windows w;
	growth_windows(&p, &w);
	struct growth_facts f;
	growth_facts_init(&f);
	f.direct_at[0] = 10; /* below the level: never counts */
	f.direct_at[1] = 1;
	f.direct_at[2] = 1;
	assert_false(growth_rule_met(&p, &w, 1, &f));
	f.direct_at[2] = 2;
	assert_true(growth_rule_met(&p, &w, 1, &f));
}

static void test_windows_are_separate(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct growth_windows w;
	growth_windows(&p, &w);
	assert_int_equal(w.n, 2);
	int k30 = growth_window_index(&w, 30), k90 = growth_window_index(&w, 90);
	assert_true(k30 >= 0 && k90 >= 0 && k30 != k90);
	struct growth_facts f;
	growth_facts_init(&f);
	f.team = 50;
	f.direct_at[SUPER] = 2;
	f.own_gmv[k90] = 200000; /* the wrong window */
	assert_false(growth_rule_met(&p, &w, MENTOR, &f));
	f.own_gmv[k30] = 100000;
	assert_true(growth_rule_met(&p, &w, MENTOR, &f));
	unsigned in = growth_plan_inputs(&p);
	assert_int_equal(in, GROWTH_IN_DIRECT | GROWTH_IN_TEAM | GROWTH_IN_OWN_SALES |
				     GROWTH_IN_TEAM_SALES | GROWTH_IN_DIRECT_LEVEL | GROWTH_IN_PACK);
}

static void test_all_and_any(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct growth_windows w;
	growth_windows(&p, &w);
	int k30 = growth_window_index(&w, 30);
	struct growth_facts f;
	growth_facts_init(&f);
	/* any: one of two is enough */
	assert_false(growth_rule_met(&p, &w, SUPER, &f));
	f.direct = 3;
	assert_true(growth_rule_met(&p, &w, SUPER, &f));
	f.direct = 0;
	f.holds_pack = true;
	assert_true(growth_rule_met(&p, &w, SUPER, &f));
	/* all: every one is needed */
	f.team = 50;
	f.own_gmv[k30] = 100000;
	assert_false(growth_rule_met(&p, &w, MENTOR, &f));
	f.direct_at[MENTOR] = 2; /* mentors count as supers */
	assert_true(growth_rule_met(&p, &w, MENTOR, &f));
	f.team = 49;
	assert_false(growth_rule_met(&p, &w, MENTOR, &f));
}

/* The level progress the promoter page shows: each condition's figure next
 * to its verdict, read from the same facts as the evaluation. */
static void test_progress_gives_each_figure_and_verdict(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct growth_windows w;
	growth_windows(&p, &w);
	int k30 = growth_window_index(&w, 30);
	struct growth_facts f;
	growth_facts_init(&f);
	f.team = 12;
	f.own_gmv[k30] = 130000;
	f.direct_at[SUPER] = 1;
	f.direct_at[PARTNER] = 1; /* a partner counts as a super */
	f.direct_at[MEMBER] = 9;  /* members never do */
	int64_t have[PLAN_MAX_CONDITIONS];
	bool met[PLAN_MAX_CONDITIONS];
	assert_int_equal(growth_progress(&p, &w, MENTOR, &f, have, met), 3);
	assert_int_equal(have[0], 12);
	assert_false(met[0]);
	assert_int_equal(have[1], 130000);
	assert_true(met[1]);
	assert_int_equal(have[2], 2);
	assert_true(met[2]);
	/* gift_pack: 1 of 1 once a pack is held */
	assert_int_equal(growth_progress(&p, &w, SUPER, &f, have, met), 2);
	assert_int_equal(growth_condition_need(&p.levels[SUPER].upgrade.cond[0]), 1);
	assert_int_equal(have[0], 0);
	assert_false(met[0]);
	f.holds_pack = true;
	growth_progress(&p, &w, SUPER, &f, have, met);
	assert_int_equal(have[0], 1);
	assert_true(met[0]);
	/* a level without a rule has nothing to show */
	assert_int_equal(growth_progress(&p, &w, MEMBER, &f, have, met), 0);
}

static void test_upgrade_takes_the_highest_level_and_never_goes_down(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct growth_windows w;
	growth_windows(&p, &w);
	int k30 = growth_window_index(&w, 30), k90 = growth_window_index(&w, 90);
	struct growth_facts f;
	growth_facts_init(&f);
	struct growth_decision d;

	growth_upgrade(&p, &w, MEMBER, &f, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	assert_int_equal(d.level, MEMBER);

	f.direct = 3; /* super by rule */
	growth_upgrade(&p, &w, MEMBER, &f, &d);
	assert_int_equal(d.level, SUPER);
	assert_int_equal(d.cause, GROWTH_RULE);
	char rule[64];
	growth_rule_text(&p, &d, NULL, rule, sizeof(rule));
	assert_string_equal(rule, "upgrade:super");

	/* mentor and partner both met: straight to partner, skipping levels */
	f.team = 50;
	f.own_gmv[k30] = 100000;
	f.own_commission[k30] = 10000;
	f.team_gmv[k90] = 5000000;
	f.team_commission[k90] = 500000;
	f.direct_at[MENTOR] = 3;
	growth_upgrade(&p, &w, MEMBER, &f, &d);
	assert_int_equal(d.level, PARTNER);

	/* already above what the facts say: stays */
	growth_facts_init(&f);
	growth_upgrade(&p, &w, MENTOR, &f, &d);
	assert_int_equal(d.level, MENTOR);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);

	/* a pack grants its level; it wins a tie with a rule */
	f.holds_pack = true;
	f.pack_level = SUPER;
	growth_upgrade(&p, &w, MEMBER, &f, &d);
	assert_int_equal(d.level, SUPER);
	assert_int_equal(d.cause, GROWTH_PACK);
	growth_rule_text(&p, &d, "GP399", rule, sizeof(rule));
	assert_string_equal(rule, "gift_pack:GP399");
	/* a rule above the pack's level wins */
	f.team = 50;
	f.own_gmv[k30] = 100000;
	f.direct_at[SUPER] = 2;
	growth_upgrade(&p, &w, MEMBER, &f, &d);
	assert_int_equal(d.level, MENTOR);
	assert_int_equal(d.cause, GROWTH_RULE);
}

static void test_review_goes_down_only_as_far_as_needed(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct growth_windows w;
	growth_windows(&p, &w);
	int k30 = growth_window_index(&w, 30);
	struct growth_facts f;
	growth_facts_init(&f);
	struct growth_decision d;

	/* a mentor whose rule still holds keeps it */
	f.team = 50;
	f.own_gmv[k30] = 100000;
	f.direct_at[SUPER] = 2;
	growth_review(&p, &w, MENTOR, MEMBER, true, GROWTH_REVIEW, &f, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	/* sales gone: down to super if super still holds (3 direct) */
	f.own_gmv[k30] = 0;
	f.direct = 3;
	growth_review(&p, &w, MENTOR, MEMBER, true, GROWTH_REVIEW, &f, &d);
	assert_int_equal(d.level, SUPER);
	assert_int_equal(d.cause, GROWTH_REVIEW);
	/* nothing holds: down to the default level */
	f.direct = 0;
	growth_review(&p, &w, MENTOR, MEMBER, true, GROWTH_REVIEW, &f, &d);
	assert_int_equal(d.level, MEMBER);
	/* never below the floor */
	growth_review(&p, &w, MENTOR, SUPER, true, GROWTH_PACK_REFUND, &f, &d);
	assert_int_equal(d.level, SUPER);
	assert_int_equal(d.cause, GROWTH_PACK_REFUND);
	/* a held pack granting the level keeps it */
	f.holds_pack = true;
	f.pack_level = MENTOR;
	growth_review(&p, &w, MENTOR, MEMBER, true, GROWTH_REVIEW, &f, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	/* a level without a rule: kept when granted levels are kept, else reviewed */
	struct plan q = p;
	q.levels[PARTNER].upgrade.n = 0;
	growth_facts_init(&f);
	growth_review(&q, &w, PARTNER, MEMBER, true, GROWTH_REVIEW, &f, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	growth_review(&q, &w, PARTNER, MEMBER, false, GROWTH_PACK_REFUND, &f, &d);
	assert_int_equal(d.level, MEMBER);
}

static void test_review_granted_in_plans(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	assert_false(p.review_granted); /* granted levels are kept by default */
	char *s = plan_to_json(&p);
	assert_null(strstr(s, "review_granted"));
	free(s);
	p = parse_ok(variant("\"downgrade\":\"monthly\"",
			     "\"downgrade\":\"monthly\",\"review_granted\":true"));
	assert_true(p.review_granted);
	s = plan_to_json(&p);
	assert_non_null(strstr(s, "\"review_granted\": true"));
	struct plan q = parse_ok(s);
	free(s);
	assert_true(q.review_granted);
	p = parse_ok(variant("\"downgrade\":\"monthly\"",
			     "\"downgrade\":\"monthly\",\"review_granted\":false"));
	assert_false(p.review_granted);
}

static void test_history_tells_granted_from_earned(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	assert_int_equal(growth_rule_source("upgrade:mentor"), GROWTH_SRC_RULE);
	assert_int_equal(growth_rule_source("operator"), GROWTH_SRC_GRANT);
	assert_int_equal(growth_rule_source("import"), GROWTH_SRC_GRANT);
	assert_int_equal(growth_rule_source("gift_pack:GP399"), GROWTH_SRC_OTHER);
	assert_int_equal(growth_rule_source("review"), GROWTH_SRC_OTHER);
	assert_int_equal(growth_rule_source("revoked:jd:J1-1"), GROWTH_SRC_OTHER);
	assert_int_equal(growth_rule_source("operators"), GROWTH_SRC_OTHER);

	struct growth_past g;
	growth_past_init(&g);
	assert_int_equal(g.granted, -1);
	assert_int_equal(growth_floor(&p, &g, -1, true), MEMBER);
	/* created as a super (a grant), then partner by its rule on day 100 */
	growth_past_add(&g, -1, SUPER, GROWTH_SRC_GRANT, 90);
	growth_past_add(&g, SUPER, PARTNER, GROWTH_SRC_RULE, 100);
	assert_int_equal(g.granted, SUPER);
	assert_false(g.by_rule[SUPER]);
	assert_true(g.by_rule[MENTOR] && g.by_rule[PARTNER]);
	assert_int_equal(g.day[MENTOR], 100);
	/* a way down changes nothing of how it rose */
	growth_past_add(&g, PARTNER, MENTOR, GROWTH_SRC_OTHER, 110);
	assert_true(g.by_rule[PARTNER]);
	assert_int_equal(g.day[PARTNER], 100);
	/* back to partner by a pack: no longer by a rule */
	growth_past_add(&g, MENTOR, PARTNER, GROWTH_SRC_OTHER, 120);
	assert_false(g.by_rule[PARTNER]);
	assert_true(g.by_rule[MENTOR]);
	/* a level the plan no longer has is ignored */
	growth_past_add(&g, MENTOR, -1, GROWTH_SRC_GRANT, 130);
	assert_int_equal(g.granted, SUPER);

	/* the floor: the default level, a pack's level before, the grant */
	assert_int_equal(growth_floor(&p, &g, -1, true), SUPER);
	assert_int_equal(growth_floor(&p, &g, -1, false), MEMBER);
	assert_int_equal(growth_floor(&p, &g, MENTOR, true), MENTOR);
	assert_int_equal(growth_floor(&p, &g, MENTOR, false), MENTOR);
	/* an operator's later grant, even downwards, replaces the earlier one */
	growth_past_add(&g, PARTNER, MEMBER, GROWTH_SRC_GRANT, 140);
	assert_int_equal(growth_floor(&p, &g, -1, true), MEMBER);
}

static void test_correction_takes_back_only_what_rules_earned(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct growth_windows w;
	growth_windows(&p, &w);
	int k30 = growth_window_index(&w, 30);
	struct growth_past g;
	growth_past_init(&g);
	growth_past_add(&g, MEMBER, SUPER, GROWTH_SRC_RULE, 100);
	growth_past_add(&g, SUPER, MENTOR, GROWTH_SRC_RULE, 105);
	struct growth_facts now, then_super, then_mentor;
	growth_facts_init(&now);
	now.team = 50;
	now.direct_at[SUPER] = 2; /* mentor's people conditions still hold */
	then_super = now;
	then_mentor = now;
	const struct growth_facts *then[PLAN_MAX_LEVELS] = {0};
	then[SUPER] = &then_super;
	then[MENTOR] = &then_mentor;
	struct growth_decision d;
	char rule[128];

	/* the sales it rose to mentor with still stand on its day: kept, even
	 * though today's window no longer holds them (time is no correction) */
	then_mentor.own_gmv[k30] = 100000;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	assert_int_equal(d.level, MENTOR);
	/* they do not: down to what it still qualifies for — nothing here */
	then_mentor.own_gmv[k30] = 99999;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_REVOKED);
	assert_int_equal(d.level, MEMBER);
	growth_rule_text(&p, &d, "jd:J1-1", rule, sizeof(rule));
	assert_string_equal(rule, "revoked:jd:J1-1");
	/* super's rule held on its own day: super stays */
	then_super.direct = 3;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.level, SUPER);
	then_super.direct = 0;
	/* ... or holds today */
	now.direct = 3;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.level, SUPER);
	now.direct = 0;
	/* mentor's rule holds today on other sales: kept */
	now.own_gmv[k30] = 100000;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	now.own_gmv[k30] = 0;
	/* a held pack granting mentor keeps it */
	now.pack_level = MENTOR;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	/* a pack granting super: down to super, not below */
	now.pack_level = SUPER;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.level, SUPER);
	now.pack_level = -1;
	/* never below the floor (a grant) */
	growth_correct(&p, &w, MENTOR, SUPER, &g, &now, then, &d);
	assert_int_equal(d.level, SUPER);
	assert_int_equal(d.cause, GROWTH_REVOKED);
	growth_correct(&p, &w, MENTOR, MENTOR, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	/* figures not gathered for a level keep it */
	then[MENTOR] = NULL;
	growth_correct(&p, &w, MENTOR, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	then[MENTOR] = &then_mentor;
	/* a level reached otherwise than by a rule is not a correction's */
	struct growth_past other;
	growth_past_init(&other);
	growth_past_add(&other, MEMBER, MENTOR, GROWTH_SRC_OTHER, 100);
	growth_correct(&p, &w, MENTOR, MEMBER, &other, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
	/* nothing to take back below the default level */
	growth_correct(&p, &w, MEMBER, MEMBER, &g, &now, then, &d);
	assert_int_equal(d.cause, GROWTH_UNCHANGED);
}

static void test_gift_pack_split(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	/* 2 packs: margin (39900 - 25000) x 2 = 29800 */
	struct plan_chain c = {.n = 2, .member = {7, 8},
			       .level = {PLAN_LEVEL_PACK(0), PLAN_LEVEL_PACK(0)}};
	assert_int_equal(plan_chain_pack(&c), 0);
	struct plan_split s;
	plan_split(&p, &c, 29800, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.line[0].amount, 5960);
	assert_int_equal(s.line[1].amount, 2980);
	assert_int_equal(s.line[0].role, ROLE_GIFT_PACK);
	assert_string_equal(plan_role_name(s.line[1].role), "gift_pack");
	assert_int_equal(s.platform, 29800 - 5960 - 2980);
	/* odd amounts: floor, the rest stays with the platform */
	plan_split(&p, &c, 7, &s);
	assert_int_equal(s.line[0].amount + s.line[1].amount + s.platform, 7);
	/* a one-tier pack pays tier 1 only */
	struct plan_chain c1 = {.n = 1, .member = {7}, .level = {PLAN_LEVEL_PACK(1)}};
	plan_split(&p, &c1, 39900, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.line[0].amount, 11970);
	/* an ordinary chain is unaffected */
	struct plan_chain o = {.n = 1, .member = {7}, .level = {SUPER}};
	assert_int_equal(plan_chain_pack(&o), -1);
	plan_split(&p, &o, 1000, &s);
	assert_int_equal(s.line[0].amount, 500);
}

static bool warned(const struct compliance_check *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return c[i].warning;
	fail_msg("no check %s", name);
	return false;
}

static void test_compliance_checks(void **state)
{
	(void)state;
	struct plan p = parse_ok(growth_plan);
	struct compliance_check c[COMPLIANCE_MAX_CHECKS];
	struct compliance_figures f = {0};
	/* healthy: sales income dominates */
	f.ordinary_by_tier[0] = 8000;
	f.ordinary_by_tier[1] = 1500;
	f.pack_by_tier[0] = 500;
	f.earners = 10;
	f.earners_pack_only = 1;
	f.gmv = 100000;
	f.pack_sales = 39900;
	int n = growth_compliance_checks(&p, &f, c, COMPLIANCE_MAX_CHECKS);
	assert_false(warned(c, n, "receiving_tiers"));
	assert_false(warned(c, n, "income_from_recruitment"));
	assert_false(warned(c, n, "income_from_downlines"));
	assert_false(warned(c, n, "earners_from_recruitment_only"));
	assert_false(warned(c, n, "gift_pack_revenue"));
	assert_false(warned(c, n, "gift_pack_goods")); /* 25000/39900 = 62.65% */
	/* super can be reached by 3 invitations alone (any) */
	assert_true(warned(c, n, "level_by_recruiting"));
	/* mainly recruitment */
	f.pack_by_tier[0] = 10000;
	f.earners_pack_only = 2;
	f.pack_sales = 100000;
	n = growth_compliance_checks(&p, &f, c, COMPLIANCE_MAX_CHECKS);
	assert_true(warned(c, n, "income_from_recruitment"));  /* 10000/19500 */
	assert_true(warned(c, n, "income_from_downlines"));    /* 11500/19500 */
	assert_true(warned(c, n, "earners_from_recruitment_only")); /* 2/10 */
	assert_true(warned(c, n, "gift_pack_revenue"));        /* 100000/200000 */
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, "income_from_recruitment") == 0)
			assert_int_equal(c[i].value, 5128); /* 10000 * 10000 / 19500 */
	/* entry fees without goods */
	p.gift_packs[1].cost = 0;
	p.gift_packs[0].cost = 10000;
	n = growth_compliance_checks(&p, &f, c, COMPLIANCE_MAX_CHECKS);
	assert_true(warned(c, n, "entry_fee_without_goods"));
	assert_true(warned(c, n, "gift_pack_goods"));
	/* no figures at all: no division by zero, nothing flagged on numbers */
	struct compliance_figures none = {0};
	n = growth_compliance_checks(&p, &none, c, COMPLIANCE_MAX_CHECKS);
	assert_false(warned(c, n, "income_from_recruitment"));
	assert_int_equal(growth_share_bps(1, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rules_and_packs),
		cmocka_unit_test(test_progress_gives_each_figure_and_verdict),
		cmocka_unit_test(test_plans_without_growth_read_as_before),
		cmocka_unit_test(test_refuses_bad_rules_and_packs),
		cmocka_unit_test(test_limits_on_counts),
		cmocka_unit_test(test_every_condition_kind),
		cmocka_unit_test(test_direct_at_level_counts_that_level_and_above),
		cmocka_unit_test(test_windows_are_separate),
		cmocka_unit_test(test_all_and_any),
		cmocka_unit_test(test_upgrade_takes_the_highest_level_and_never_goes_down),
		cmocka_unit_test(test_review_goes_down_only_as_far_as_needed),
		cmocka_unit_test(test_review_granted_in_plans),
		cmocka_unit_test(test_history_tells_granted_from_earned),
		cmocka_unit_test(test_correction_takes_back_only_what_rules_earned),
		cmocka_unit_test(test_gift_pack_split),
		cmocka_unit_test(test_compliance_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

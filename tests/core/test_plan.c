/* test_plan.c — plan parsing, validation and the split, both modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/money.h"
#include "core/plan.h"

static const char design_plan[] =
	"{\"name\":\"default\",\"mode\":\"differential\",\"max_tiers\":3,"
	"\"platform_min_bps\":1000,\"peer_bonus_bps\":500,\"tiers_bps\":[1000,500],"
	"\"hold_days\":7,\"default_level\":\"member\",\"levels\":["
	"{\"key\":\"member\",\"name\":\"Registered member\",\"rate_bps\":3000,\"can_share\":false},"
	"{\"key\":\"super\",\"name\":\"Super member\",\"rate_bps\":5000,\"can_share\":true},"
	"{\"key\":\"mentor\",\"name\":\"Mentor\",\"rate_bps\":7000,\"can_share\":true},"
	"{\"key\":\"partner\",\"name\":\"Partner\",\"rate_bps\":8000,\"can_share\":true}]}";

enum { MEMBER, SUPER, MENTOR, PARTNER };

static struct plan parse_ok(const char *json)
{
	struct plan p;
	struct tk_error err = {0};
	enum tk_rc rc = plan_parse(json, strlen(json), &p, &err);
	if (rc)
		fail_msg("plan refused: %s: %s", err.field, err.msg);
	return p;
}

static struct plan_chain chain3(int l1, int l2, int l3)
{
	struct plan_chain c = {.n = 3, .member = {11, 12, 13}, .level = {l1, l2, l3}};
	return c;
}

static void test_design_worked_example(void **state)
{
	(void)state;
	struct plan p = parse_ok(design_plan);
	struct plan_chain c = chain3(SUPER, MENTOR, MENTOR);
	struct plan_split s;

	plan_split(&p, &c, 1000, &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.line[0].amount, 500);
	assert_int_equal(s.line[0].role, ROLE_SHARER);
	assert_int_equal(s.line[1].amount, 200);
	assert_int_equal(s.line[1].role, ROLE_DIFFERENTIAL);
	assert_int_equal(s.line[1].rate_bps, 2000);
	assert_int_equal(s.line[2].amount, 50);
	assert_int_equal(s.line[2].role, ROLE_PEER_BONUS);
	assert_int_equal(s.platform, 250);

	p.mode = PLAN_FIXED;
	plan_split(&p, &c, 1000, &s);
	assert_int_equal(s.line[0].amount, 500);
	assert_int_equal(s.line[1].amount, 100);
	assert_int_equal(s.line[2].amount, 50);
	assert_int_equal(s.platform, 350);
}

static void test_differential_rules(void **state)
{
	(void)state;
	struct plan p = parse_ok(design_plan);
	struct plan_split s;

	/* an upline below the highest rate paid earns nothing */
	struct plan_chain c = chain3(MENTOR, SUPER, PARTNER);
	plan_split(&p, &c, 10000, &s);
	assert_int_equal(s.line[0].amount, 7000);
	assert_int_equal(s.line[1].amount, 0);
	assert_int_equal(s.line[1].role, ROLE_NONE);
	assert_int_equal(s.line[2].amount, 1000); /* partner: 8000 - 7000 */
	assert_int_equal(s.platform, 2000);

	/* peer bonus is paid once per item */
	c = chain3(MENTOR, MENTOR, MENTOR);
	plan_split(&p, &c, 10000, &s);
	assert_int_equal(s.line[1].amount, 500);
	assert_int_equal(s.line[2].amount, 0);

	/* a member who cannot share earns nothing on another's purchase... */
	c = chain3(MEMBER, SUPER, MENTOR);
	plan_split(&p, &c, 10000, &s);
	assert_int_equal(s.line[0].amount, 0);
	assert_int_equal(s.line[1].amount, 5000);
	assert_int_equal(s.line[2].amount, 2000);
	/* ...but earns its rate on its own purchase */
	c.self_purchase = true;
	plan_split(&p, &c, 10000, &s);
	assert_int_equal(s.line[0].amount, 3000);
	assert_int_equal(s.line[0].role, ROLE_SELF);
	assert_int_equal(s.line[1].amount, 2000);
	assert_int_equal(s.line[2].amount, 2000);

	/* no peer bonus at rate zero: two members above a self-purchase */
	c = chain3(MEMBER, MEMBER, MEMBER);
	plan_split(&p, &c, 10000, &s);
	assert_int_equal(s.line[0].amount + s.line[1].amount + s.line[2].amount, 0);
	assert_int_equal(s.platform, 10000);
}

static void test_fixed_rules(void **state)
{
	(void)state;
	struct plan p = parse_ok(design_plan);
	p.mode = PLAN_FIXED;
	struct plan_split s;
	/* an upline that cannot share earns nothing in fixed mode */
	struct plan_chain c = chain3(SUPER, MEMBER, PARTNER);
	plan_split(&p, &c, 777, &s);
	assert_int_equal(s.line[0].amount, 388); /* floor(777 * 0.5) */
	assert_int_equal(s.line[1].amount, 0);
	assert_int_equal(s.line[2].amount, 38); /* floor(777 * 0.05) */
	assert_int_equal(s.platform, 777 - 388 - 38);
}

static void test_max_tiers_cuts_the_chain(void **state)
{
	(void)state;
	struct plan p = parse_ok(design_plan);
	p.max_tiers = 1;
	struct plan_chain c = chain3(SUPER, MENTOR, PARTNER);
	struct plan_split s;
	plan_split(&p, &c, 1000, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.platform, 500);

	struct plan_chain none = {0};
	plan_split(&p, &none, 1234, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.platform, 1234);
}

/* Rounding never loses or invents a fen: lines plus platform equal C, every
 * line is floor(C * bps / 10000), and nothing exceeds the validated ceiling. */
static void test_rounding_is_exact(void **state)
{
	(void)state;
	struct plan p = parse_ok(design_plan);
	uint64_t x = 88172645463325252ULL;
	for (int mode = 0; mode < 2; mode++) {
		p.mode = mode ? PLAN_FIXED : PLAN_DIFFERENTIAL;
		if (mode) /* keep the fixed plan within its ceiling: 8000 + 500 + 500 */
			p.tiers_bps[0] = 500;
		assert_int_equal(plan_validate(&p, NULL), TK_OK);
		for (int i = 0; i < 200000; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			int64_t c = (int64_t)(x % 100000) + (i % 7 == 0 ? (int64_t)(x % MONEY_MAX_FEN) : 0);
			if (c > MONEY_MAX_FEN)
				c = MONEY_MAX_FEN;
			struct plan_chain ch = chain3((int)((x >> 20) % 4), (int)((x >> 24) % 4),
						      (int)((x >> 28) % 4));
			ch.n = (int)((x >> 32) % 4);
			ch.self_purchase = (x >> 40) & 1;
			struct plan_split s;
			plan_split(&p, &ch, c, &s);
			int64_t sum = s.platform;
			for (int t = 0; t < s.n; t++) {
				assert_true(s.line[t].amount >= 0);
				assert_int_equal(s.line[t].amount, c * s.line[t].rate_bps / 10000);
				sum += s.line[t].amount;
			}
			assert_int_equal(sum, c);
			assert_true(s.platform >= money_share(c, p.platform_min_bps));
		}
	}
}

struct bad_plan {
	const char *json;
	const char *field;
};

#define LVL "\"levels\":[{\"key\":\"a\",\"rate_bps\":5000}]"

static void test_refuses_invalid_plans(void **state)
{
	(void)state;
	static const struct bad_plan bad[] = {
		{"not json", "plan"},
		{"[]", "plan"},
		{"{\"mode\":\"fixed\",\"max_tiers\":1," LVL "}", "name"},
		{"{\"name\":\"x\",\"max_tiers\":1," LVL "}", "mode"},
		{"{\"name\":\"x\",\"mode\":\"pyramid\",\"max_tiers\":1," LVL "}", "mode"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":4,\"tiers_bps\":[1,1,1]," LVL "}",
		 "max_tiers"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":0," LVL "}", "max_tiers"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":3,\"tiers_bps\":[1,1,1]," LVL "}",
		 "tiers_bps"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":3,\"tiers_bps\":[100]," LVL "}",
		 "tiers_bps"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":2,\"tiers_bps\":[-1]," LVL "}",
		 "tiers_bps[0]"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"levels\":[]}", "levels"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"levels\":[{\"key\":\"A B\",\"rate_bps\":1}]}",
		 "levels[0].key"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"levels\":[{\"key\":\"a\",\"rate_bps\":1},{\"key\":\"a\",\"rate_bps\":2}]}",
		 "levels[1].key"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"levels\":[{\"key\":\"a\",\"rate_bps\":10001}]}",
		 "levels[0].rate_bps"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"levels\":[{\"key\":\"a\"}]}",
		 "levels[0].rate_bps"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"default_level\":\"zz\"," LVL "}",
		 "default_level"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"hold_days\":-1," LVL "}",
		 "hold_days"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"withdraw_min\":-5," LVL "}",
		 "withdraw_min"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"withdraw_fee_bps\":20000," LVL "}",
		 "withdraw_fee_bps"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"colour\":\"red\"," LVL "}",
		 "colour"},
		/* pays more than 10000 - platform_min_bps */
		{"{\"name\":\"x\",\"mode\":\"differential\",\"max_tiers\":3,\"platform_min_bps\":1000,"
		 "\"peer_bonus_bps\":4500," LVL ",\"tiers_bps\":[]}", NULL},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":3,\"platform_min_bps\":1000,"
		 "\"tiers_bps\":[3000,1001]," LVL "}", "platform_min_bps"},
		{"{\"name\":\"x\",\"mode\":\"fixed\",\"max_tiers\":1,\"platform_min_bps\":6000," LVL "}",
		 "platform_min_bps"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct plan p;
		struct tk_error err = {0};
		enum tk_rc rc = plan_parse(bad[i].json, strlen(bad[i].json), &p, &err);
		if (rc == TK_OK)
			fail_msg("plan %zu was accepted: %s", i, bad[i].json);
		assert_true(err.msg[0] != '\0');
		if (bad[i].field && strcmp(err.field, bad[i].field) != 0)
			fail_msg("plan %zu: error names \"%s\" (%s), expected \"%s\"", i, err.field,
				 err.msg, bad[i].field);
	}
	/* the differential overpay names platform_min_bps and both figures */
	struct plan p;
	struct tk_error err = {0};
	assert_int_not_equal(plan_parse(bad[20].json, strlen(bad[20].json), &p, &err), TK_OK);
	assert_string_equal(err.field, "platform_min_bps");
	assert_non_null(strstr(err.msg, "9500"));
	assert_non_null(strstr(err.msg, "9000"));
}

static void test_json_round_trip(void **state)
{
	(void)state;
	struct plan p = parse_ok(design_plan), q;
	p.withdraw_min = 1000;
	p.withdraw_fee_bps = 60;
	char *s = plan_to_json(&p);
	struct tk_error err = {0};
	assert_int_equal(plan_parse(s, strlen(s), &q, &err), TK_OK);
	free(s);
	assert_int_equal(q.mode, p.mode);
	assert_int_equal(q.n_levels, 4);
	assert_string_equal(q.levels[3].key, "partner");
	assert_false(q.levels[0].can_share);
	assert_int_equal(q.withdraw_min, 1000);
	assert_int_equal(q.withdraw_fee_bps, 60);
	assert_int_equal(q.tiers_bps[1], 500);
	assert_int_equal(plan_max_payout_bps(&q), 8500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_worked_example),
		cmocka_unit_test(test_differential_rules),
		cmocka_unit_test(test_fixed_rules),
		cmocka_unit_test(test_max_tiers_cuts_the_chain),
		cmocka_unit_test(test_rounding_is_exact),
		cmocka_unit_test(test_refuses_invalid_plans),
		cmocka_unit_test(test_json_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_plan_names.c — a level's names by locale: kept and written back,
 * only the known locales, bounded, and the refusals carry their key, field
 * path and params for the pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/plan.h"

/* A plan whose second level has the names NAMES (JSON text, or "" for none). */
static enum tk_rc parse_with(const char *names, struct plan *p, struct tk_error *err)
{
	char json[1024];
	snprintf(json, sizeof(json),
		 "{\"name\":\"t\",\"mode\":\"differential\",\"max_tiers\":2,"
		 "\"platform_min_bps\":1000,\"peer_bonus_bps\":0,\"tiers_bps\":[1000],"
		 "\"default_level\":\"member\",\"levels\":["
		 "{\"key\":\"member\",\"name\":\"Member\",\"rate_bps\":3000},"
		 "{\"key\":\"partner\",\"name\":\"Partner\",\"rate_bps\":8000%s%s}]}",
		 *names ? ",\"names\":" : "", names);
	return plan_parse(json, strlen(json), p, err);
}

static void names_are_kept_and_written_back(void **state)
{
	(void)state;
	struct plan p;
	struct tk_error err = {0};
	assert_int_equal(parse_with("{\"zh-CN\":\"合伙人\",\"en\":\"Partner\"}", &p, &err), TK_OK);
	assert_string_equal(p.levels[1].names[0], "合伙人");
	assert_string_equal(plan_locales[0], "zh-CN");
	assert_string_equal(p.levels[1].names[1], "Partner");
	assert_string_equal(p.levels[0].names[0], ""); /* not given */
	char *json = plan_to_json(&p);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"names\": {\n        \"zh-CN\": \"合伙人\""));
	/* a level without names is written as before: one "names" only */
	assert_null(strstr(strstr(json, "\"names\"") + 1, "\"names\""));
	struct plan again;
	assert_int_equal(plan_parse(json, strlen(json), &again, &err), TK_OK);
	assert_string_equal(again.levels[1].names[0], "合伙人");
	assert_string_equal(again.levels[0].names[1], "");
	free(json);
	/* one locale alone is fine */
	assert_int_equal(parse_with("{\"en\":\"Partner\"}", &p, &err), TK_OK);
	assert_string_equal(p.levels[1].names[0], "");
}

static void bad_names_are_refused_with_key_and_field(void **state)
{
	(void)state;
	struct plan p;
	struct tk_error err = {0};
	assert_int_equal(parse_with("{\"fr\":\"Associé\"}", &p, &err), TK_EINVAL);
	assert_string_equal(err.key, "plan.name_locale");
	assert_string_equal(err.field, "levels[1].names.fr");
	assert_string_equal(err.params[0].name, "locale");
	assert_string_equal(err.params[0].str, "fr");

	char long_name[200] = "{\"zh-CN\":\"";
	memset(long_name + strlen(long_name), 'x', PLAN_NAME_MAX);
	strcat(long_name, "\"}");
	assert_int_equal(parse_with(long_name, &p, &err), TK_EINVAL);
	assert_string_equal(err.key, "plan.name_length");
	assert_string_equal(err.field, "levels[1].names.zh-CN");
	assert_int_equal(err.params[0].num, PLAN_NAME_MAX - 1);

	assert_int_equal(parse_with("{\"en\":\"\"}", &p, &err), TK_EINVAL);
	assert_string_equal(err.key, "plan.name_length");
	assert_int_equal(parse_with("{\"en\":\"a\\nb\"}", &p, &err), TK_EINVAL);
	assert_string_equal(err.key, "field.control_chars");
	assert_int_equal(parse_with("{\"en\":3}", &p, &err), TK_EINVAL);
	assert_string_equal(err.key, "field.not_string");
	assert_int_equal(parse_with("[\"Partner\"]", &p, &err), TK_EINVAL);
	assert_string_equal(err.key, "field.not_object");
	assert_string_equal(err.field, "levels[1].names");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_kept_and_written_back),
		cmocka_unit_test(bad_names_are_refused_with_key_and_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

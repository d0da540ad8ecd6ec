/* test_groups_input.c — the pure checks of chat groups' input: the settings
 * object (every field's limits, unknown fields, the size), the credential
 * taken from a pasted webhook URL or given bare for each kind (never echoed
 * in the message), and the group kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "groups/groups.h"

static void settings_ok(const char *json)
{
	struct tk_error err = {0};
	if (group_settings_check("wecom", json, &err))
		fail_msg("%s: %s: %s", json, err.field, err.msg);
}

static void settings_bad(const char *json, enum tk_rc want, const char *field, const char *msg)
{
	struct tk_error err = {0};
	assert_int_equal(group_settings_check("wecom", json, &err), want);
	if (strcmp(err.field, field) != 0)
		fail_msg("%s: field \"%s\" (%s), want \"%s\"", json, err.field, err.msg, field);
	if (msg && !strstr(err.msg, msg))
		fail_msg("%s: message \"%s\" lacks \"%s\"", json, err.msg, msg);
}

static void test_settings(void **state)
{
	(void)state;
	settings_ok("{}");
	settings_ok("{\"schedule\":{\"times\":[\"09:00\",\"23:59\"]},\"jitter_seconds\":1800,"
		    "\"quiet\":{\"from\":\"23:00\",\"to\":\"07:30\"},\"categories\":[\"美妆\"],"
		    "\"keywords\":[\"面膜\"],\"price_min\":100,\"price_max\":0,"
		    "\"selection\":{\"rule\":\"list\",\"products\":[{\"union\":\"jd\","
		    "\"product\":\"123\"}]},\"dedup_days\":0,\"shop_cooldown_hours\":6,"
		    "\"category_cooldown_hours\":0,\"template\":\"news\",\"rate_per_minute\":0}");
	settings_ok("{\"schedule\":{\"every_minutes\":5,\"from\":\"08:00\",\"to\":\"23:00\"},"
		    "\"selection\":{\"rule\":\"ranking\"}}");
	/* one reader (push_settings_parse): the field path names the place */
	settings_bad("[]", TK_EINVAL, "settings", "must be a JSON object");
	settings_bad("{\"a\":", TK_EINVAL, "settings", "is not valid JSON");
	settings_bad("{\"colour\":1}", TK_EINVAL, "settings", "unknown key \"colour\"");
	settings_bad("{\"dedup_days\":1,\"dedup_days\":2}", TK_EINVAL, "settings", "duplicate");
	settings_bad("{\"jitter_seconds\":1801}", TK_EINVAL, "settings.jitter_seconds",
		     "0..1800, got 1801");
	settings_bad("{\"jitter_seconds\":1.5}", TK_EINVAL, "settings.jitter_seconds", NULL);
	settings_bad("{\"dedup_days\":-1}", TK_EINVAL, "settings.dedup_days", "0..90");
	settings_bad("{\"schedule\":{\"times\":[\"24:00\"]}}", TK_EINVAL,
		     "settings.schedule.times[0]", "HH:MM");
	settings_bad("{\"schedule\":{\"times\":[]}}", TK_EINVAL, "settings.schedule.times", NULL);
	settings_bad("{\"schedule\":{\"every_minutes\":4}}", TK_EINVAL,
		     "settings.schedule.every_minutes", "5..1440");
	settings_bad("{\"schedule\":{\"every_minutes\":30,\"from\":\"8:00\"}}", TK_EINVAL,
		     "settings.schedule.from", "HH:MM");
	settings_bad("{\"quiet\":{\"from\":\"23:00\"}}", TK_EINVAL, "settings.quiet",
		     "both from and to");
	settings_bad("{\"template\":\"card\"}", TK_EINVAL, "settings.template", NULL);
	settings_bad("{\"price_min\":500,\"price_max\":100}", TK_EINVAL, "settings.price_max",
		     NULL);
	settings_bad("{\"selection\":{\"rule\":\"list\",\"products\":[{\"union\":\"amazon\","
		     "\"product\":\"1\"}]}}",
		     TK_EINVAL, "settings.selection.products[0].union", "amazon");
	settings_bad("{\"categories\":[\"\"]}", TK_ELIMIT, "settings.categories[0]", "1..64");
	/* the kind's rate: lower only, never above the platform's */
	settings_bad("{\"rate_per_minute\":21}", TK_EINVAL, "settings.rate_per_minute",
		     "1..20 for wecom");
	settings_ok("{\"rate_per_minute\":20}");
	struct tk_error err = {0};
	assert_int_equal(group_settings_check("feishu", "{\"rate_per_minute\":100}", &err), TK_OK);
	assert_int_equal(group_settings_check("wecom", "{\"rate_per_minute\":100}", &err), TK_EINVAL);
	assert_int_equal(group_settings_check("fax", "{}", &err), TK_EINVAL);
	assert_string_equal(err.field, "kind");
	/* the size limit: 16 KB */
	size_t n = GROUP_SETTINGS_MAX + 1;
	char *big = malloc(n + 1);
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	settings_bad(big, TK_ELIMIT, "settings", "the limit is 16384");
	big[n - 2] = '}';
	big[n - 1] = '\0'; /* 16384 bytes exactly: allowed */
	settings_ok(big);
	free(big);
}

static void cred_ok(const char *kind, const char *in, const char *want)
{
	char out[GROUP_CRED_MAX];
	struct tk_error err = {0};
	if (group_credential_parse(kind, in, out, &err))
		fail_msg("%s %s: %s", kind, in, err.msg);
	assert_string_equal(out, want);
}

static void cred_bad(const char *kind, const char *in)
{
	char out[GROUP_CRED_MAX];
	struct tk_error err = {0};
	assert_int_not_equal(group_credential_parse(kind, in, out, &err), TK_OK);
	assert_string_equal(err.field, "credential");
	assert_string_equal(out, "");
	/* what was given is never repeated (the bad ones below hold "SECRET") */
	if (strstr(err.msg, "SECRET") || (in[0] && strstr(err.msg, in)))
		fail_msg("the message echoes the credential: %s", err.msg);
}

static void test_credentials(void **state)
{
	(void)state;
	cred_ok("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-zz12",
		"693a91f6-7xxx-zz12");
	cred_ok("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?debug=1&key=K1&x=2",
		"K1");
	cred_ok("wecom", "bare-key_1.2", "bare-key_1.2");
	cred_ok("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc123",
		"abc123");
	cred_ok("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/tok-9f00d?x=1",
		"tok-9f00d");
	cred_ok("feishu", "tok-9f00d", "tok-9f00d");
	cred_ok("telegram", "123456789:AAE-token_xyz9", "123456789:AAE-token_xyz9");
	cred_bad("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?nokey=SECRET77");
	cred_bad("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=");
	cred_bad("wecom", "has space SECRET77");
	cred_bad("wecom", "a:b-SECRET");
	cred_bad("dingtalk", "https://oapi.dingtalk.com/robot/send?key=SECRET77");
	cred_bad("feishu", "https://open.feishu.cn/open-apis/bot/v2/SECRET77");
	cred_bad("telegram", "no-colon-SECRET77");
	cred_bad("telegram", "https://api.telegram.org/bot1:SECRET77");
	cred_bad("wecom", "");
	char longest[300];
	memset(longest, 'a', 256);
	longest[256] = '\0';
	cred_ok("wecom", longest, longest);
	longest[256] = 'a';
	longest[257] = '\0';
	cred_bad("wecom", longest);
	char out[GROUP_CRED_MAX];
	struct tk_error err = {0};
	assert_int_equal(group_credential_parse("manual", "x", out, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "a manual group takes no credential"));
}

static void test_kinds(void **state)
{
	(void)state;
	const char *ok[] = {"wecom", "dingtalk", "feishu", "telegram", "manual"};
	for (size_t i = 0; i < 5; i++)
		assert_true(group_kind_valid(ok[i]));
	assert_false(group_kind_valid("qq"));
	assert_false(group_kind_valid(""));
	assert_false(group_kind_valid("WeCom"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

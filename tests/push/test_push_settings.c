/* test_push_settings.c — a group's sending settings: defaults, the
 * canonical form read back unchanged, every limit, and errors that name
 * the field and the value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "push/push_settings.h"

static struct push_settings *S, *T;

static enum tk_rc parse(const char *json, struct tk_error *err)
{
	tk_error_clear(err);
	return push_settings_parse(json, strlen(json), S, err);
}

/* Parses json expecting rc, and that the formatted error is `want`. */
static void refused(const char *json, enum tk_rc rc, const char *want)
{
	struct tk_error err;
	char buf[1024];
	enum tk_rc got = parse(json, &err);
	tk_error_format(&err, buf, sizeof(buf));
	if (got != rc || !strstr(buf, want))
		fail_msg("%s: got rc %d \"%s\", want rc %d with \"%s\"", json, got, buf, rc, want);
}

static void test_defaults(void **state)
{
	(void)state;
	struct tk_error err;
	push_settings_default(T);
	assert_int_equal(parse("", &err), TK_OK);
	assert_memory_equal(S, T, sizeof(*S));
	assert_int_equal(parse("{}", &err), TK_OK);
	assert_memory_equal(S, T, sizeof(*S));
	char *j = push_settings_emit(S);
	assert_string_equal(j, "{\"schedule\":{\"times\":[\"09:00\",\"12:30\",\"20:00\"]},"
			       "\"jitter_seconds\":120,\"quiet\":{\"from\":\"23:00\",\"to\":\"07:30\"},"
			       "\"categories\":[],\"keywords\":[],\"price_min\":0,\"price_max\":0,"
			       "\"selection\":{\"rule\":\"ranking\"},\"dedup_days\":7,"
			       "\"shop_cooldown_hours\":6,\"category_cooldown_hours\":0,"
			       "\"template\":\"text\",\"rate_per_minute\":0}");
	free(j);
}

/* Whatever is read, its canonical form reads back to the same struct and
 * writes the same text again. */
static void roundtrip(const char *json)
{
	struct tk_error err;
	if (parse(json, &err))
		fail_msg("%s: %s: %s", json, err.field, err.msg);
	char *a = push_settings_emit(S);
	assert_non_null(a);
	assert_int_equal(push_settings_parse(a, strlen(a), T, &err), TK_OK);
	assert_memory_equal(S, T, sizeof(*S));
	char *b = push_settings_emit(T);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_roundtrip(void **state)
{
	(void)state;
	struct tk_error err;
	roundtrip("{\"schedule\":{\"every_minutes\":45,\"from\":\"07:15\",\"to\":\"22:40\"},"
		  "\"jitter_seconds\":0,\"quiet\":null,\"categories\":[\"美妆\",\"个护\"],"
		  "\"keywords\":[\"洗发水\"],\"price_min\":990,\"price_max\":19900,"
		  "\"selection\":{\"rule\":\"list\",\"products\":[{\"union\":\"jd\",\"product\":\"100012\"},"
		  "{\"union\":\"pdd\",\"product\":\"88\"}]},\"dedup_days\":0,"
		  "\"shop_cooldown_hours\":0,\"category_cooldown_hours\":12,\"template\":\"news\","
		  "\"rate_per_minute\":10}");
	assert_true(S->every);
	assert_int_equal(S->every_minutes, 45);
	assert_int_equal(S->from, 7 * 60 + 15);
	assert_int_equal(S->quiet_from, S->quiet_to);
	assert_int_equal(S->nproducts, 2);
	assert_string_equal(S->products[1].union_, "pdd");
	assert_string_equal(S->categories[0], "美妆");
	assert_int_equal(S->template_, PUSH_TEMPLATE_NEWS);
	/* times are kept ascending, whatever order they came in */
	roundtrip("{\"schedule\":{\"times\":[\"20:00\",\"08:05\",\"12:00\"]},\"template\":\"markdown\"}");
	assert_int_equal(S->ntimes, 3);
	assert_int_equal(S->times[0], 8 * 60 + 5);
	assert_int_equal(S->times[2], 20 * 60);
	/* every_minutes alone takes the default hours */
	assert_int_equal(parse("{\"schedule\":{\"every_minutes\":60}}", &err), TK_OK);
	assert_int_equal(S->from, 8 * 60);
	assert_int_equal(S->to, 23 * 60);
}

static void test_errors_name_field_and_value(void **state)
{
	(void)state;
	refused("{\"schedule\":{\"times\":[\"09:00\",\"10:00\",\"25:00\"]}}", TK_EINVAL,
		"settings.schedule.times[2]: must be HH:MM, got \"25:00\"");
	refused("{\"schedule\":{\"times\":[\"9:00\"]}}", TK_EINVAL,
		"settings.schedule.times[0]: must be HH:MM, got \"9:00\"");
	refused("{\"schedule\":{\"times\":[\"09:00\",\"09:00\"]}}", TK_EINVAL,
		"settings.schedule.times[1]: \"09:00\" is given twice");
	refused("{\"jitter\":5}", TK_EINVAL, "settings: unknown key \"jitter\"");
	refused("{\"schedule\":{\"time\":[]}}", TK_EINVAL, "settings.schedule: unknown key \"time\"");
	refused("{\"quiet\":{\"from\":\"23:00\",\"to\":\"7:30\"}}", TK_EINVAL,
		"settings.quiet.to: must be HH:MM, got \"7:30\"");
	refused("{\"quiet\":{\"from\":\"23:00\"}}", TK_EINVAL, "settings.quiet: needs both");
	refused("{\"schedule\":{\"times\":[\"09:00\"],\"every_minutes\":30}}", TK_EINVAL,
		"settings.schedule: has both times and every_minutes");
	refused("{\"schedule\":{}}", TK_EINVAL, "settings.schedule: needs times or every_minutes");
	refused("{\"schedule\":{\"every_minutes\":30,\"from\":\"20:00\",\"to\":\"08:00\"}}",
		TK_EINVAL, "settings.schedule.to: must not be before from (20:00)");
	refused("{\"jitter_seconds\":1801}", TK_EINVAL,
		"settings.jitter_seconds: must be an integer 0..1800, got 1801");
	refused("{\"jitter_seconds\":\"60\"}", TK_EINVAL,
		"settings.jitter_seconds: must be an integer 0..1800, got \"60\"");
	refused("{\"price_min\":500,\"price_max\":100}", TK_EINVAL,
		"settings.price_max: must be 0 (no bound) or at least price_min (500), got 100");
	refused("{\"price_min\":-1}", TK_EINVAL, "settings.price_min: must be an integer 0..");
	refused("{\"template\":\"card\"}", TK_EINVAL,
		"settings.template: must be text, markdown or news, got \"card\"");
	refused("{\"dedup_days\":91}", TK_EINVAL, "settings.dedup_days: must be an integer 0..90");
	refused("{\"selection\":{\"rule\":\"list\"}}", TK_EINVAL,
		"settings.selection.products: rule list needs a non-empty array");
	refused("{\"selection\":{\"rule\":\"random\"}}", TK_EINVAL,
		"settings.selection.rule: must be ranking or list, got \"random\"");
	refused("{\"selection\":{\"rule\":\"list\",\"products\":[{\"union\":\"jd\",\"product\":\"1\"},"
		"{\"union\":\"amazon\",\"product\":\"2\"}]}}",
		TK_EINVAL, "settings.selection.products[1].union: must be jd, taobao, pdd or own, got "
			   "\"amazon\"");
	refused("{\"selection\":{\"rule\":\"list\",\"products\":[{\"union\":\"jd\",\"sku\":\"1\"}]}}",
		TK_EINVAL, "settings.selection.products[0]: unknown key \"sku\"");
	refused("{\"keywords\":[\"ok\",\"\"]}", TK_ELIMIT,
		"settings.keywords[1]: must be 1..64 bytes, got 0");
	refused("{\"keywords\":[\"a\",\"a\",3]}", TK_EINVAL, "settings.keywords[2]: must be a string, got 3");
	refused("[1]", TK_EINVAL, "settings: must be a JSON object");
	refused("{\"dedup_days\":1,\"dedup_days\":2}", TK_EINVAL, "settings: is not valid JSON");
	refused("{\"rate_per_minute\":1001}", TK_EINVAL, "settings.rate_per_minute: must be an integer 0..1000");
}

static void test_limits(void **state)
{
	(void)state;
	struct tk_error err;
	char *json = malloc(PUSH_SETTINGS_JSON_MAX * 2);
	size_t off;

	/* 48 times a day pass, 49 do not */
	for (int n = 48; n <= 49; n++) {
		off = (size_t)snprintf(json, 64, "{\"schedule\":{\"times\":[");
		for (int i = 0; i < n; i++)
			off += (size_t)snprintf(json + off, 32, "%s\"%02d:%02d\"", i ? "," : "", i / 2,
						(i % 2) * 30 + (i == 48 ? 15 : 0));
		snprintf(json + off, 8, "]}}");
		if (n == 48)
			assert_int_equal(parse(json, &err), TK_OK);
		else
			refused(json, TK_ELIMIT, "settings.schedule.times: has 49 times; the limit is 48");
	}
	/* every_minutes 5..1440 */
	assert_int_equal(parse("{\"schedule\":{\"every_minutes\":5}}", &err), TK_OK);
	assert_int_equal(parse("{\"schedule\":{\"every_minutes\":1440}}", &err), TK_OK);
	refused("{\"schedule\":{\"every_minutes\":4}}", TK_EINVAL,
		"settings.schedule.every_minutes: must be an integer 5..1440, got 4");
	refused("{\"schedule\":{\"every_minutes\":1441}}", TK_EINVAL,
		"settings.schedule.every_minutes: must be an integer 5..1440, got 1441");
	/* 50 categories of 64 bytes pass; a 65-byte one or a 51st does not */
	char word[80];
	memset(word, 'x', 64);
	word[64] = '\0';
	off = (size_t)snprintf(json, 32, "{\"categories\":[");
	for (int i = 0; i < 50; i++)
		off += (size_t)snprintf(json + off, 80, "%s\"%s\"", i ? "," : "", word);
	snprintf(json + off, 8, "]}");
	assert_int_equal(parse(json, &err), TK_OK);
	assert_int_equal(S->ncategories, 50);
	snprintf(json + off, 16, ",\"x\"]}");
	refused(json, TK_ELIMIT, "settings.categories: has 51 entries; the limit is 50");
	snprintf(json, 128, "{\"keywords\":[\"%sy\"]}", word);
	refused(json, TK_ELIMIT, "settings.keywords[0]: must be 1..64 bytes, got 65");
	/* 64 bytes of Chinese (21 characters of 3 bytes + 1) pass */
	snprintf(json, 128, "{\"keywords\":[\"%s\"]}",
		 "洗发水洗发水洗发水洗发水洗发水洗发水洗发水x");
	assert_int_equal(parse(json, &err), TK_OK);
	/* 500 products pass, 501 do not */
	for (int n = 500; n <= 501; n++) {
		off = (size_t)snprintf(json, 64, "{\"selection\":{\"rule\":\"list\",\"products\":[");
		for (int i = 0; i < n; i++)
			off += (size_t)snprintf(json + off, 64, "%s{\"union\":\"jd\",\"product\":\"%d\"}",
						i ? "," : "", i);
		snprintf(json + off, 8, "]}}");
		assert_true(strlen(json) <= PUSH_SETTINGS_JSON_MAX);
		if (n == 500)
			assert_int_equal(parse(json, &err), TK_OK);
		else
			refused(json, TK_ELIMIT, "settings.selection.products: has 501 products");
	}
	/* more than 16 KB of JSON is refused before it is read */
	memset(json, ' ', PUSH_SETTINGS_JSON_MAX + 1);
	json[0] = '{';
	json[PUSH_SETTINGS_JSON_MAX] = '}';
	json[PUSH_SETTINGS_JSON_MAX + 1] = '\0';
	refused(json, TK_ELIMIT, "settings: is 16385 bytes; the limit is 16384");
	free(json);
}

static void test_hhmm(void **state)
{
	(void)state;
	int m;
	char buf[6];
	assert_true(push_hhmm_parse("00:00", &m) && m == 0);
	assert_true(push_hhmm_parse("23:59", &m) && m == 1439);
	assert_false(push_hhmm_parse("24:00", &m));
	assert_false(push_hhmm_parse("12:60", &m));
	assert_false(push_hhmm_parse("12:5", &m));
	assert_false(push_hhmm_parse("12-30", &m));
	assert_false(push_hhmm_parse("12:300", &m));
	assert_string_equal(push_hhmm_format(7 * 60 + 5, buf), "07:05");
}

int main(void)
{
	S = malloc(sizeof(*S));
	T = malloc(sizeof(*T));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_errors_name_field_and_value),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_hhmm),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(S);
	free(T);
	return rc;
}

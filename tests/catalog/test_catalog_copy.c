/* test_catalog_copy.c — copy-text templates: placeholders, sections,
 * escaping per channel, yuan formatting and the channels' length limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_copy.h"

static struct catalog_copy_values values(void)
{
	struct catalog_copy_values v = {
		.title = "海飞丝去屑洗发水 400ml",
		.brand = "海飞丝",
		.shop = "海飞丝官方旗舰店",
		.price = 5990,
		.coupon = 1000,
		.final_price = 4990,
		.commission = 998,
		.sales = 12000,
		.link = "https://item.jd.com/1.html?tk=AB12CD34",
		.lowest_note = "近90天最低价",
	};
	return v;
}

static char *render_ok(const char *body, enum catalog_channel ch,
		       const struct catalog_copy_values *v, bool *cut)
{
	static char out[CATALOG_COPY_BUF];
	struct tk_error err = {0};
	bool c;
	enum tk_rc rc = catalog_copy_render(body, ch, v, out, cut ? cut : &c, &err);
	if (rc)
		fail_msg("render failed: %s", err.msg);
	return out;
}

static void test_placeholders(void **state)
{
	(void)state;
	struct catalog_copy_values v = values();
	assert_string_equal(render_ok("{title}|{price}|{coupon}|{final_price}|{commission}|{sales}|"
				      "{link}|{lowest_note}|{brand}|{shop}",
				      CHANNEL_TEXT, &v, NULL),
			    "海飞丝去屑洗发水 400ml|59.90|10.00|49.90|9.98|12000|"
			    "https://item.jd.com/1.html?tk=AB12CD34|近90天最低价|海飞丝|海飞丝官方旗舰店");
	/* yuan formatting of whole, small and zero amounts */
	v.price = 100;
	v.final_price = 5;
	v.commission = 0;
	assert_string_equal(render_ok("{price} {final_price} {commission}", CHANNEL_TEXT, &v, NULL),
			    "1.00 0.05 0.00");
	assert_string_equal(render_ok("{{literal}} {{", CHANNEL_TEXT, &v, NULL), "{literal} {");
}

static void test_sections(void **state)
{
	(void)state;
	struct catalog_copy_values v = values();
	const char *body = "到手{final_price}{?coupon}（券{coupon}）{/coupon}{?lowest_note}!{/lowest_note}";
	assert_string_equal(render_ok(body, CHANNEL_TEXT, &v, NULL), "到手49.90（券10.00）!");
	v.coupon = 0;
	v.lowest_note = "";
	assert_string_equal(render_ok(body, CHANNEL_TEXT, &v, NULL), "到手49.90");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	struct tk_error err = {0};
	assert_int_equal(catalog_template_check("{titel}", &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "{titel}"));
	assert_int_equal(catalog_template_check("{title", &err), TK_EINVAL);
	assert_int_equal(catalog_template_check("a } b", &err), TK_EINVAL);
	assert_int_equal(catalog_template_check("{?coupon}x", &err), TK_EINVAL);
	assert_int_equal(catalog_template_check("x{/coupon}", &err), TK_EINVAL);
	assert_int_equal(catalog_template_check("{?coupon}{?title}{/title}{/coupon}", &err),
			 TK_EINVAL);
	assert_int_equal(catalog_template_check("a\x01", &err), TK_EINVAL);
	assert_int_equal(catalog_template_check("{title}\n{link}", &err), TK_OK);
	char *big = malloc(CATALOG_TEMPLATE_MAX + 2);
	memset(big, 'x', CATALOG_TEMPLATE_MAX + 1);
	big[CATALOG_TEMPLATE_MAX + 1] = '\0';
	assert_int_equal(catalog_template_check(big, &err), TK_ELIMIT);
	free(big);
	/* every built-in template is valid */
	for (int i = 0; catalog_template_builtin_names[i]; i++)
		for (int c = CHANNEL_TEXT; c <= CHANNEL_TELEGRAM; c++) {
			const char *b = catalog_template_builtin(catalog_template_builtin_names[i],
								 (enum catalog_channel)c);
			assert_non_null(b);
			assert_int_equal(catalog_template_check(b, &err), TK_OK);
		}
	assert_null(catalog_template_builtin("nope", CHANNEL_TEXT));
}

static void test_escaping(void **state)
{
	(void)state;
	struct catalog_copy_values v = values();
	v.title = "<b>A&B</b> \"*限时*\" [x]";
	v.link = "https://e.com/a?x=1&y=(2)";
	assert_string_equal(render_ok("<b>{title}</b> <a href=\"{link}\">go</a>", CHANNEL_TELEGRAM,
				      &v, NULL),
			    "<b>&lt;b&gt;A&amp;B&lt;/b&gt; &quot;*限时*&quot; [x]</b> "
			    "<a href=\"https://e.com/a?x=1&amp;y=(2)\">go</a>");
	assert_string_equal(render_ok("**{title}** [买]({link})", CHANNEL_WECOM, &v, NULL),
			    "**＜b＞A&B＜/b＞ \"＊限时＊\" ［x］** [买](https://e.com/a?x=1&y=%282%29)");
	/* plain text is as is */
	assert_string_equal(render_ok("{title}", CHANNEL_TEXT, &v, NULL), v.title);
}

static void test_limits(void **state)
{
	(void)state;
	assert_int_equal(catalog_copy_limit(CHANNEL_TEXT), 2048);
	assert_int_equal(catalog_copy_limit(CHANNEL_WECOM), 4096);
	assert_int_equal(catalog_copy_limit(CHANNEL_TELEGRAM), 4096);
	/* UTF-16 units: a CJK character is one, an emoji two */
	assert_int_equal(catalog_copy_measure(CHANNEL_TELEGRAM, "洗发水"), 3);
	assert_int_equal(catalog_copy_measure(CHANNEL_TELEGRAM, "🔥a"), 3);
	assert_int_equal(catalog_copy_measure(CHANNEL_WECOM, "洗发水"), 9);

	/* a template close to the limit: the title is cut, with an ellipsis,
	 * to fit exactly within it */
	struct catalog_copy_values v = values();
	char title[512];
	size_t n = 0;
	while (n + 3 < 500) {
		memcpy(title + n, "洗", 3);
		n += 3;
	}
	title[n] = '\0';
	v.title = title;
	char *body = malloc(CATALOG_TEMPLATE_MAX + 1);
	for (int ch = CHANNEL_TEXT; ch <= CHANNEL_TELEGRAM; ch++) {
		size_t limit = catalog_copy_limit((enum catalog_channel)ch);
		/* padding so that the title overflows the limit by about 100 */
		size_t pad = limit - 400;
		if (pad > CATALOG_TEMPLATE_MAX - 20)
			pad = CATALOG_TEMPLATE_MAX - 20;
		memset(body, 'x', pad);
		memcpy(body + pad, "{title}", 8);
		bool cut = false;
		size_t uncut = pad + catalog_copy_measure((enum catalog_channel)ch, title);
		char *out = render_ok(body, (enum catalog_channel)ch, &v, &cut);
		size_t len = catalog_copy_measure((enum catalog_channel)ch, out);
		assert_true(len <= limit);
		assert_int_equal(cut, uncut > limit);
		if (cut) {
			/* cut as little as possible: one more character would not fit */
			assert_non_null(strstr(out, "…"));
			assert_true(len + 3 > limit);
		} else {
			assert_int_equal(len, uncut);
		}
	}
	/* the link alone beyond the limit: no title cut can save it */
	char *link = malloc(3000);
	memset(link, 'a', 2999);
	link[2999] = '\0';
	v.link = link;
	struct tk_error err = {0};
	bool cut;
	static char out[CATALOG_COPY_BUF];
	assert_int_equal(catalog_copy_render("{link}", CHANNEL_TEXT, &v, out, &cut, &err),
			 TK_ELIMIT);
	assert_non_null(strstr(err.msg, "2048"));
	free(link);
	free(body);
}

static void test_telegram_cut_by_characters(void **state)
{
	(void)state;
	/* escaping grows '&' to five units: the cut must still fit */
	struct catalog_copy_values v = values();
	char title[512];
	memset(title, '&', 500);
	title[500] = '\0';
	v.title = title;
	char *body = malloc(CATALOG_TEMPLATE_MAX + 1);
	memset(body, 'y', 3000);
	memcpy(body + 3000, "{title}", 8);
	bool cut = false;
	char *out = render_ok(body, CHANNEL_TELEGRAM, &v, &cut);
	assert_true(cut);
	assert_true(catalog_copy_measure(CHANNEL_TELEGRAM, out) <= 4096);
	/* never cut inside an entity */
	const char *amp = strrchr(out, '&');
	assert_non_null(amp);
	assert_memory_equal(amp, "&amp;", 5);
	free(body);
}

static void test_lowest_note(void **state)
{
	(void)state;
	struct catalog_history_summary h = {0};
	char buf[64];
	h.tracked_days = 120;
	h.window_days = 90;
	h.window_low = 100;
	h.window_high = 200;
	h.at_window_low = true;
	assert_string_equal(catalog_copy_lowest_note(&h, buf), "近90天最低价");
	h.tracked_days = 30;
	assert_string_equal(catalog_copy_lowest_note(&h, buf), "近30天最低价");
	h.tracked_days = 3;
	assert_string_equal(catalog_copy_lowest_note(&h, buf), "");
	h.tracked_days = 30;
	h.at_window_low = false;
	assert_string_equal(catalog_copy_lowest_note(&h, buf), "");
	h.at_window_low = true;
	h.window_high = 100; /* never moved: nothing to boast */
	assert_string_equal(catalog_copy_lowest_note(&h, buf), "");
}

static void test_channel_names(void **state)
{
	(void)state;
	enum catalog_channel ch;
	assert_true(catalog_channel_parse("wecom", &ch));
	assert_int_equal(ch, CHANNEL_WECOM);
	assert_false(catalog_channel_parse("sms", &ch));
	assert_string_equal(catalog_channel_name(CHANNEL_TELEGRAM), "telegram");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_telegram_cut_by_characters),
		cmocka_unit_test(test_lowest_note),
		cmocka_unit_test(test_channel_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

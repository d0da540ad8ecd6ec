/* test_push_render.c — each platform's message shape per template (the
 * fields the platforms document), escaping per platform, and the content
 * limits with long Chinese titles and long links: cut on UTF-8 boundaries,
 * the link always whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "catalog/catalog_text.h"
#include "push/push_render.h"

#define NOW 1793494800 /* 2026-11-01 */
#define LINK "https://tk.example.com/s/AB12CD34"

static struct catalog_product P;

static void product(void)
{
	memset(&P, 0, sizeof(P));
	snprintf(P.union_, sizeof(P.union_), "jd");
	snprintf(P.product, sizeof(P.product), "100012");
	snprintf(P.title, sizeof(P.title), "海飞丝去屑洗发水 400ml");
	snprintf(P.shop, sizeof(P.shop), "海飞丝官方旗舰店");
	snprintf(P.image, sizeof(P.image), "https://img.example.com/1.jpg");
	P.price = 5990;
	P.coupon = 1000;
	P.commission_bps = 2000;
}

/* Renders and parses the body; the caller decrefs. */
static json_t *render(enum push_kind k, enum push_template t, const char *link,
		      struct push_message *m)
{
	struct push_render_input in = {.product = &P, .link = link, .now = NOW};
	struct tk_error err = {0};
	if (push_render(k, t, &in, m, &err))
		fail_msg("%s %s: %s: %s", push_kind_name(k), push_template_name(t), err.field, err.msg);
	json_error_t je;
	json_t *doc = json_loads(m->body, 0, &je);
	if (!doc)
		fail_msg("not JSON: %s", je.text);
	return doc;
}

static const char *str(json_t *doc, const char *path)
{
	/* a dotted path; digits index arrays */
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *v = doc;
	for (char *save, *tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)strtol(tok, NULL, 10))
				     : json_object_get(v, tok);
	if (!json_is_string(v))
		fail_msg("%s is not a string", path);
	return json_string_value(v);
}

static void test_wecom(void **state)
{
	(void)state;
	struct push_message m;
	product();
	json_t *d = render(PUSH_WECOM, PUSH_TEMPLATE_TEXT, LINK, &m);
	assert_string_equal(str(d, "msgtype"), "text");
	assert_non_null(strstr(str(d, "text.content"), "海飞丝去屑洗发水 400ml"));
	assert_non_null(strstr(str(d, "text.content"), "到手价 ¥49.90"));
	assert_non_null(strstr(str(d, "text.content"), LINK));
	assert_string_equal(m.method, "");
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_WECOM, PUSH_TEMPLATE_MARKDOWN, LINK, &m);
	assert_string_equal(str(d, "msgtype"), "markdown");
	assert_non_null(strstr(str(d, "markdown.content"), "(" LINK ")"));
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_WECOM, PUSH_TEMPLATE_NEWS, LINK, &m);
	assert_string_equal(str(d, "msgtype"), "news");
	assert_int_equal(json_array_size(json_object_get(json_object_get(d, "news"), "articles")), 1);
	assert_string_equal(str(d, "news.articles.0.title"), "海飞丝去屑洗发水 400ml");
	assert_string_equal(str(d, "news.articles.0.description"),
			    "领券立减10.00元，到手价 ¥49.90\n原价 ¥59.90");
	assert_string_equal(str(d, "news.articles.0.url"), LINK);
	assert_string_equal(str(d, "news.articles.0.picurl"), "https://img.example.com/1.jpg");
	json_decref(d);
	push_message_free(&m);
}

static void test_dingtalk_feishu(void **state)
{
	(void)state;
	struct push_message m;
	product();
	json_t *d = render(PUSH_DINGTALK, PUSH_TEMPLATE_TEXT, LINK, &m);
	assert_string_equal(str(d, "msgtype"), "text");
	assert_non_null(strstr(str(d, "text.content"), LINK));
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_DINGTALK, PUSH_TEMPLATE_MARKDOWN, LINK, &m);
	assert_string_equal(str(d, "msgtype"), "markdown");
	assert_string_equal(str(d, "markdown.title"), "海飞丝去屑洗发水 400ml");
	assert_non_null(strstr(str(d, "markdown.text"), "(" LINK ")"));
	assert_null(strstr(str(d, "markdown.text"), "<font"));
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_DINGTALK, PUSH_TEMPLATE_NEWS, LINK, &m);
	assert_string_equal(str(d, "msgtype"), "link");
	assert_string_equal(str(d, "link.title"), "海飞丝去屑洗发水 400ml");
	assert_string_equal(str(d, "link.messageUrl"), LINK);
	assert_string_equal(str(d, "link.picUrl"), "https://img.example.com/1.jpg");
	assert_non_null(strstr(str(d, "link.text"), "到手价"));
	json_decref(d);
	push_message_free(&m);

	d = render(PUSH_FEISHU, PUSH_TEMPLATE_TEXT, LINK, &m);
	assert_string_equal(str(d, "msg_type"), "text");
	assert_non_null(strstr(str(d, "content.text"), LINK));
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_FEISHU, PUSH_TEMPLATE_MARKDOWN, LINK, &m);
	assert_string_equal(str(d, "msg_type"), "post");
	assert_string_equal(str(d, "content.post.zh_cn.title"), "海飞丝去屑洗发水 400ml");
	assert_string_equal(str(d, "content.post.zh_cn.content.0.0.tag"), "text");
	assert_string_equal(str(d, "content.post.zh_cn.content.1.0.tag"), "a");
	assert_string_equal(str(d, "content.post.zh_cn.content.1.0.href"), LINK);
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_FEISHU, PUSH_TEMPLATE_NEWS, LINK, &m);
	assert_string_equal(str(d, "msg_type"), "interactive");
	assert_null(json_object_get(d, "content")); /* a card goes in "card" */
	assert_string_equal(str(d, "card.header.title.tag"), "plain_text");
	assert_string_equal(str(d, "card.header.title.content"), "海飞丝去屑洗发水 400ml");
	assert_string_equal(str(d, "card.elements.0.tag"), "div");
	assert_string_equal(str(d, "card.elements.1.tag"), "action");
	assert_string_equal(str(d, "card.elements.1.actions.0.tag"), "button");
	assert_string_equal(str(d, "card.elements.1.actions.0.url"), LINK);
	json_decref(d);
	push_message_free(&m);
}

static void test_telegram_and_manual(void **state)
{
	(void)state;
	struct push_message m;
	product();
	snprintf(P.title, sizeof(P.title), "<b>A&B</b> \"洗发水\"");
	json_t *d = render(PUSH_TELEGRAM, PUSH_TEMPLATE_TEXT, LINK, &m);
	assert_string_equal(m.method, "sendMessage");
	assert_string_equal(str(d, "parse_mode"), "HTML");
	assert_true(json_is_true(json_object_get(d, "disable_web_page_preview")));
	/* the title's markup is escaped, the template's kept */
	assert_non_null(strstr(str(d, "text"), "<b>&lt;b&gt;A&amp;B&lt;/b&gt; &quot;洗发水&quot;</b>"));
	assert_non_null(strstr(str(d, "text"), "<a href=\"" LINK "\">"));
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_TELEGRAM, PUSH_TEMPLATE_NEWS, LINK, &m);
	assert_string_equal(m.method, "sendPhoto");
	assert_string_equal(str(d, "photo"), "https://img.example.com/1.jpg");
	assert_string_equal(str(d, "parse_mode"), "HTML");
	assert_non_null(strstr(str(d, "caption"), LINK));
	json_decref(d);
	push_message_free(&m);
	/* no picture: sendPhoto cannot go, sendMessage does */
	P.image[0] = '\0';
	d = render(PUSH_TELEGRAM, PUSH_TEMPLATE_NEWS, LINK, &m);
	assert_string_equal(m.method, "sendMessage");
	assert_true(json_is_false(json_object_get(d, "disable_web_page_preview")));
	json_decref(d);
	push_message_free(&m);
	/* WeCom markdown: the title's markdown characters become look-alikes */
	snprintf(P.title, sizeof(P.title), "**爆款** [限时] #1");
	d = render(PUSH_WECOM, PUSH_TEMPLATE_MARKDOWN, LINK, &m);
	assert_non_null(strstr(str(d, "markdown.content"), "**＊＊爆款＊＊ ［限时］ ＃1**"));
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_MANUAL, PUSH_TEMPLATE_NEWS, LINK, &m);
	assert_non_null(strstr(str(d, "text"), LINK));
	json_decref(d);
	push_message_free(&m);
}

/* ---- limits ---- */

static char *long_link(size_t bytes)
{
	static char link[CATALOG_URL_MAX];
	size_t n = (size_t)snprintf(link, sizeof(link), "https://tk.example.com/s/X?u=");
	memset(link + n, 'q', bytes - n);
	link[bytes] = '\0';
	return link;
}

static void check_cut(const char *s, size_t max, bool utf16, const char *link)
{
	size_t len = catalog_copy_measure(utf16 ? CHANNEL_TELEGRAM : CHANNEL_TEXT, s);
	if (len > max)
		fail_msg("%zu over the limit %zu", len, max);
	assert_true(catalog_text_clean_multiline(s)); /* whole UTF-8 characters */
	if (link)
		assert_non_null(strstr(s, link));
}

static void test_limits_long_titles(void **state)
{
	(void)state;
	struct push_message m;
	product();
	/* 170 Chinese characters: 510 bytes, as long as a title may be */
	size_t n = 0;
	while (n + 3 < sizeof(P.title))
		n += (size_t)snprintf(P.title + n, sizeof(P.title) - n, "%s", n % 2 ? "洗" : "发");
	assert_int_equal(strlen(P.title), 510);

	/* WeCom text: 2048 bytes, a 1900-byte link kept whole, the title cut */
	const char *link = long_link(1900);
	json_t *d = render(PUSH_WECOM, PUSH_TEMPLATE_TEXT, link, &m);
	const char *t = str(d, "text.content");
	check_cut(t, 2048, false, link);
	assert_non_null(strstr(t, "…"));
	json_decref(d);
	push_message_free(&m);
	/* WeCom news: title within 128 bytes, cut on a character */
	d = render(PUSH_WECOM, PUSH_TEMPLATE_NEWS, link, &m);
	t = str(d, "news.articles.0.title");
	check_cut(t, 128, false, NULL);
	assert_int_equal(strlen(t), 42 * 3 + 0); /* 41 characters and "…" */
	assert_string_equal(str(d, "news.articles.0.url"), link);
	json_decref(d);
	push_message_free(&m);
	/* DingTalk link and markdown titles too */
	d = render(PUSH_DINGTALK, PUSH_TEMPLATE_NEWS, link, &m);
	check_cut(str(d, "link.title"), 128, false, NULL);
	json_decref(d);
	push_message_free(&m);
	d = render(PUSH_FEISHU, PUSH_TEMPLATE_NEWS, link, &m);
	check_cut(str(d, "card.header.title.content"), 128, false, NULL);
	json_decref(d);
	push_message_free(&m);
	/* Telegram caption: 1024 UTF-16 units with a 900-byte link */
	link = long_link(900);
	d = render(PUSH_TELEGRAM, PUSH_TEMPLATE_NEWS, link, &m);
	t = str(d, "caption");
	check_cut(t, 1024, true, link);
	assert_non_null(strstr(t, "…"));
	json_decref(d);
	push_message_free(&m);
	/* a title that fits is not cut */
	d = render(PUSH_TELEGRAM, PUSH_TEMPLATE_MARKDOWN, link, &m);
	t = str(d, "text");
	check_cut(t, 4096, true, link);
	assert_non_null(strstr(t, P.title));
	json_decref(d);
	push_message_free(&m);
	/* a link that leaves no room: refused, not cut */
	struct push_render_input in = {.product = &P, .link = long_link(2040), .now = NOW};
	struct tk_error err = {0};
	assert_int_equal(push_render(PUSH_WECOM, PUSH_TEMPLATE_TEXT, &in, &m, &err), TK_ELIMIT);
	assert_string_equal(err.field, "link");
	assert_null(m.body);
	in.link = "";
	assert_int_equal(push_render(PUSH_WECOM, PUSH_TEMPLATE_TEXT, &in, &m, &err), TK_EINVAL);
}

/* Every kind and template renders a body its request accepts. */
static void test_every_kind_builds_a_request(void **state)
{
	(void)state;
	product();
	for (int k = PUSH_WECOM; k <= PUSH_TELEGRAM; k++)
		for (int t = PUSH_TEMPLATE_TEXT; t <= PUSH_TEMPLATE_NEWS; t++) {
			struct push_message m;
			json_decref(render((enum push_kind)k, (enum push_template)t, LINK, &m));
			struct push_credentials c = {.credential = "tok-1", .sign_secret = "s3",
						     .chat_id = "-1001"};
			struct push_request r;
			struct tk_error err = {0};
			if (push_platform_request(&m, "http://127.0.0.1:1", &c, 1767225600123, &r, &err))
				fail_msg("%s/%s: %s: %s", push_kind_name((enum push_kind)k),
					 push_template_name((enum push_template)t), err.field, err.msg);
			push_request_free(&r);
			push_message_free(&m);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wecom),
		cmocka_unit_test(test_dingtalk_feishu),
		cmocka_unit_test(test_telegram_and_manual),
		cmocka_unit_test(test_limits_long_titles),
		cmocka_unit_test(test_every_kind_builds_a_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_http_pure.c — the HTTP server's pure parts: routing and the route
 * table, escapes, robots, idempotency hashing, rate limits, the unique-click
 * window, the link table, link targets and addresses, referrer hosts, and
 * the OpenAPI document against the route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracking/bigmem.h"
#include "tracking/bots.h"
#include "tracking/click_window.h"
#include "tracking/clicks.h"
#include "http/idempotency.h"
#include "tracking/link_table.h"
#include "tracking/links.h"
#include "http/openapi.h"
#include "http/ratelimit.h"
#include "http/router.h"

static enum tk_rc fake(struct api_call *c)
{
	(void)c;
	return TK_OK;
}

static const struct route table[] = {
	{"GET", "/api/v1/members/{id}", fake, AUTH_MEMBER, 0, "t", "s", NULL, NULL, "R", 200},
	{"PUT", "/api/v1/members/{id}/level", fake, AUTH_OPERATOR, 0, "t", "s", NULL, NULL, "R",
	 200},
	{"POST", "/api/v1/members", fake, AUTH_OPERATOR, 0, "t", "s", NULL, NULL, "R", 201},
	{"GET", "/api/v1/orders/{union}/{item}", fake, AUTH_MEMBER, 0, "t", "s", NULL, NULL, "R",
	 200},
	{"GET", "/auth/callback", fake, AUTH_PUBLIC, ROUTE_NO_HEAD, "t", "s", NULL, NULL, NULL, 302},
};
#define N_TABLE (sizeof(table) / sizeof(table[0]))

static void test_router_match(void **state)
{
	(void)state;
	struct route_match m;
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/members/m1", &m), ROUTE_FOUND);
	assert_ptr_equal(m.route, &table[0]);
	assert_int_equal(m.n_params, 1);
	assert_string_equal(m.params[0], "m1");
	/* an escaped slash stays inside its segment */
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/orders/jd/A%2FB", &m),
			 ROUTE_FOUND);
	assert_string_equal(m.params[0], "jd");
	assert_string_equal(m.params[1], "A/B");
	assert_int_equal(router_match(table, N_TABLE, "DELETE", "/api/v1/members/m1", &m),
			 ROUTE_NO_METHOD);
	assert_string_equal(m.allow, "GET, HEAD");
	/* HEAD finds the GET route, with its parameters */
	assert_int_equal(router_match(table, N_TABLE, "HEAD", "/api/v1/members/m1", &m), ROUTE_FOUND);
	assert_ptr_equal(m.route, &table[0]);
	assert_string_equal(m.params[0], "m1");
	assert_int_equal(router_match(table, N_TABLE, "HEAD", "/api/v1/members", &m),
			 ROUTE_NO_METHOD);
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/members", &m),
			 ROUTE_NO_METHOD);
	assert_string_equal(m.allow, "POST");
	/* a GET that spends a single-use value is not HEAD's */
	assert_int_equal(router_match(table, N_TABLE, "GET", "/auth/callback", &m), ROUTE_FOUND);
	assert_int_equal(router_match(table, N_TABLE, "HEAD", "/auth/callback", &m),
			 ROUTE_NO_METHOD);
	assert_string_equal(m.allow, "GET");
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/nothing", &m), ROUTE_NO_PATH);
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/members/", &m),
			 ROUTE_NO_PATH);
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/members/m1/", &m),
			 ROUTE_NO_PATH);
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/members/a%zz", &m),
			 ROUTE_BAD_PATH);
	assert_int_equal(router_match(table, N_TABLE, "GET", "/api/v1/members/a%00b", &m),
			 ROUTE_BAD_PATH);
	char long_path[ROUTE_PATH_MAX + 16];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	assert_int_equal(router_match(table, N_TABLE, "GET", long_path, &m), ROUTE_BAD_PATH);
}

static void test_router_unescape(void **state)
{
	(void)state;
	char out[16];
	assert_true(router_unescape("a%20b+c", 7, true, out, sizeof(out)));
	assert_string_equal(out, "a b c");
	assert_true(router_unescape("a+b", 3, false, out, sizeof(out)));
	assert_string_equal(out, "a+b");
	assert_false(router_unescape("%4", 2, false, out, sizeof(out)));
	assert_false(router_unescape("%G0", 3, false, out, sizeof(out)));
	assert_false(router_unescape("0123456789abcdef", 16, false, out, sizeof(out)));
	assert_true(router_unescape("%E4%BD%A0", 9, false, out, sizeof(out)));
	assert_string_equal(out, "\xe4\xbd\xa0");
}

static void test_router_check(void **state)
{
	(void)state;
	struct tk_error err = {0};
	/* the server's own table is well formed */
	assert_int_equal(router_check(api_routes, api_routes_count, &err), TK_OK);
	const struct route overlapping[] = {
		{"GET", "/a/{x}", fake, AUTH_PUBLIC, 0, "t", "s", NULL, NULL, "R", 200},
		{"GET", "/a/b", fake, AUTH_PUBLIC, 0, "t", "s", NULL, NULL, "R", 200},
	};
	assert_int_equal(router_check(overlapping, 2, &err), TK_ECONFLICT);
	const struct route bad[] = {
		{"GET", "/a/x{y}", fake, AUTH_PUBLIC, 0, "t", "s", NULL, NULL, "R", 200},
	};
	assert_int_equal(router_check(bad, 1, &err), TK_EINVAL);
	const struct route undocumented[] = {
		{"GET", "/a", fake, AUTH_PUBLIC, 0, "t", NULL, NULL, NULL, "R", 200},
	};
	assert_int_equal(router_check(undocumented, 1, &err), TK_EINVAL);
}

/* Real User-Agents, as servers logged them or the apps' makers give them. */
static const char *const robot_agents[] = {
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
	"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
	/* link previews in chat apps */
	"TelegramBot (like TwitterBot)",
	"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
	"WhatsApp/2.23.18.78 i",
	"WhatsApp/2.19.81 A",
	"Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
	/* Apple Messages: a Safari User-Agent with Facebook's and Twitter's
	 * crawler names added */
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) "
	"Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
	"DingTalkBot-LinkService/1.0 (+https://open-doc.dingtalk.com/microapp/faquestions/ftpfeu)",
	"Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/63.0 "
	"Safari/537.36 DingTalkBot-LinkService/1.0",
	"Mozilla/5.0 (Linux; U; Android 4.4.2; zh-cn; GT-I9500 Build/KOT49H) AppleWebKit/537.36 "
	"(KHTML, like Gecko)Version/4.0 MQQBrowser/5.0 QQ-URL-Manager Mobile Safari/537.36",
	"Mozilla/5.0 (compatible; Weibo spider)",
	/* command-line clients and libraries */
	"curl/7.88.1",
	"Wget/1.21.3",
	"python-requests/2.31.0",
	"Python-urllib/3.11",
	"python-httpx/0.27.0",
	"Go-http-client/1.1",
	"Apache-HttpClient/4.5.14 (Java/17.0.8)",
	"okhttp/4.12.0",
	"Java/1.8.0_392",
	"node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
	"axios/1.6.2",
	"PostmanRuntime/7.36.0",
	"HTTPie/3.2.2",
	"GuzzleHttp/7",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"HeadlessChrome/120.0.6099.109 Safari/537.36",
};

/* People: mobile browsers and the chat apps' in-app browsers, where a
 * buyer opens a member's link. */
static const char *const people_agents[] = {
	/* WeChat's in-app browser, Android and iOS, and WeCom's */
	"Mozilla/5.0 (Linux; Android 14; 22081212C Build/UKQ1.230917.001; wv) AppleWebKit/537.36 "
	"(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160175 "
	"MMWEBSDK/20240404 MMWEBID/7962 MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 "
	"Weixin NetType/WIFI Language/zh_CN ABI/arm64",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.43(0x18002b2c) NetType/WIFI "
	"Language/zh_CN",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Mobile/15E148 wxwork/4.0.20 MicroMessenger/7.0.1 Language/zh "
	"ColorScheme/Light",
	/* WeChat's mini-program web view */
	"Mozilla/5.0 (Linux; Android 10; MI 8 Build/QKQ1.190828.002; wv) AppleWebKit/537.36 "
	"(KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.188 Mobile Safari/537.36 "
	"XWEB/1260117 MMWEBSDK/20240501 MMWEBID/3169 MicroMessenger/8.0.50.2701(0x2800325B) "
	"WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 MiniProgramEnv/android",
	/* QQ's in-app browser */
	"Mozilla/5.0 (Linux; Android 10; MI 8 Build/QKQ1.190910.002; wv) AppleWebKit/537.36 "
	"(KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/6.2 TBS/046715 Mobile "
	"Safari/537.36 V1_AND_SQ_8.9.78_4548_YYB_D QQ/8.9.78.12275 NetType/WIFI WebP/0.3.0 "
	"AppId/537175315 Pixel/1080 StatusBarHeight/82 SimpleUISwitch/0 QQTheme/2099 "
	"StudyMode/0 CurrentMode/0 CurrentFontScale/1.0 GlobalDensityScale/0.9818182 "
	"AllowLandscape/false InMagicWin/0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 12_0 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Mobile/16A366 QQ/7.7.8.421 V1_IPH_SQ_7.7.8_1_APP_A Pixel/750",
	/* DingTalk's */
	"Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Mobile/16B92 AliApp(DingTalk/4.5.18) com.laiwang.DingTalk/10640366 "
	"Channel/201200 language/zh-Hans-CN",
	/* phone browsers; a Cubot phone's name holds "bot" */
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/120.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Linux; U; Android 14; zh-CN; 22081212C Build/UKQ1.230917.001) "
	"AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 "
	"UCBrowser/16.3.0.1300 Mobile Safari/537.36",
	"",
};

static void test_bots(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(robot_agents) / sizeof(robot_agents[0]); i++)
		if (!bots_match(robot_agents[i]))
			fail_msg("not taken for a robot: %s", robot_agents[i]);
	for (size_t i = 0; i < sizeof(people_agents) / sizeof(people_agents[0]); i++)
		if (bots_match(people_agents[i]))
			fail_msg("taken for a robot: %s", people_agents[i]);
	assert_false(bots_match(NULL));
}

static void test_idempotency(void **state)
{
	(void)state;
	uint8_t a[SERVER_HASH_BYTES], b[SERVER_HASH_BYTES];
	idem_request_hash("POST", "/x", "", "{\"a\":1}", 7, a);
	idem_request_hash("POST", "/x", "", "{\"a\":1}", 7, b);
	assert_memory_equal(a, b, sizeof(a));
	idem_request_hash("POST", "/x", "", "{\"a\":2}", 7, b);
	assert_memory_not_equal(a, b, sizeof(a));
	/* bytes moved between parts change the hash */
	idem_request_hash("POST", "/xa", "", "b", 1, a);
	idem_request_hash("POST", "/x", "", "ab", 2, b);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_true(idem_key_valid("order-2026-11-01-0001"));
	assert_false(idem_key_valid(""));
	assert_false(idem_key_valid("has space"));
	char longkey[IDEM_KEY_MAX + 1];
	memset(longkey, 'k', IDEM_KEY_MAX);
	longkey[IDEM_KEY_MAX] = '\0';
	assert_false(idem_key_valid(longkey));
	assert_true(idem_status_kept(201));
	assert_true(idem_status_kept(409));
	assert_false(idem_status_kept(500));
}

static void test_ratelimit(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(64, 3, 1000); /* 3 a second */
	int64_t retry;
	assert_non_null(rl);
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "k", 1, 0, &retry));
	assert_false(ratelimit_take(rl, "k", 1, 0, &retry));
	assert_int_equal(retry, 334); /* a third of a second for one more */
	assert_true(ratelimit_take(rl, "other", 5, 0, &retry)); /* its own bucket */
	assert_false(ratelimit_take(rl, "k", 1, 333, &retry));
	assert_true(ratelimit_take(rl, "k", 1, 334, &retry));
	/* a full window refills the whole burst, never more */
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "k", 1, 10000, &retry));
	assert_false(ratelimit_take(rl, "k", 1, 10000, &retry));
	/* a flood of distinct keys cannot grow the table: it still works */
	char key[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "flood-%d", i);
		assert_true(ratelimit_take(rl, key, strlen(key), 20000, &retry));
	}
	ratelimit_free(rl);
}

static void test_click_window(void **state)
{
	(void)state;
	struct click_window *w = click_window_new();
	uint8_t ip[CLICK_IP_HASH_BYTES] = {1, 2, 3}, ip2[CLICK_IP_HASH_BYTES] = {9};
	assert_non_null(w);
	assert_true(click_window_unique(w, 7, ip, 1000));
	assert_false(click_window_unique(w, 7, ip, 1000 + CLICK_WINDOW_SECONDS - 1));
	assert_true(click_window_unique(w, 8, ip, 1001));  /* another link */
	assert_true(click_window_unique(w, 7, ip2, 1001)); /* another address */
	assert_true(click_window_unique(w, 7, ip, 1000 + CLICK_WINDOW_SECONDS));
	/* many pairs: the table grows and drops what the hour left behind */
	for (int i = 0; i < 100000; i++) {
		uint8_t x[CLICK_IP_HASH_BYTES] = {0};
		memcpy(x, &i, sizeof(i));
		assert_true(click_window_unique(w, 1, x, 10000 + i / 10));
	}
	assert_true(click_window_size(w) < 200000);
	/* a seeded click (from the database at start) counts */
	click_window_seed(w, 99, ip, 50000);
	assert_false(click_window_unique(w, 99, ip, 50010));
	click_window_free(w);
}

static void test_link_table(void **state)
{
	(void)state;
	struct link_table *t = link_table_new();
	struct link_rec l = {0};
	struct tk_error err = {0};
	assert_non_null(t);
	for (int i = 1; i <= 5000; i++) {
		l.id = i;
		l.member = 10;
		snprintf(l.code, sizeof(l.code), "c%d", i);
		snprintf(l.member_ext, sizeof(l.member_ext), "m10");
		snprintf(l.target, sizeof(l.target), "https://example.com/%d", i);
		snprintf(l.union_, sizeof(l.union_), "jd");
		snprintf(l.product, sizeof(l.product), "%s", i % 2 ? "p1" : "");
		assert_int_equal(link_table_put(t, &l, &err), TK_OK);
	}
	assert_int_equal(link_table_count(t), 5000);
	const struct link_entry *e = link_table_get(t, "c4321", 5);
	assert_non_null(e);
	assert_int_equal(e->id, 4321);
	assert_string_equal(e->target, "https://example.com/4321");
	assert_string_equal(e->live->product_key, "jd:p1");
	assert_string_equal(e->live->member_ext, "m10");
	assert_int_equal(e->target_len, strlen(e->target));
	assert_null(link_table_get(t, "c43210", 6));
	/* the length given counts, not the NUL */
	e = link_table_get(t, "c4321", 4);
	assert_non_null(e);
	assert_int_equal(e->id, 432);
	assert_null(link_table_get(t, "x4321", 4));
	snprintf(l.code, sizeof(l.code), "c1");
	assert_int_equal(link_table_put(t, &l, &err), TK_ECONFLICT);
	/* long targets fill several arena blocks; every entry and its live
	 * part start on a cache line and keep their own bytes */
	memset(l.target, 'u', 2000);
	l.target[2000] = '\0';
	for (int i = 1; i <= 3000; i++) {
		l.id = 10000 + i;
		snprintf(l.code, sizeof(l.code), "long%d", i);
		snprintf(l.target + 1990, 10, "%09d", i);
		assert_int_equal(link_table_put(t, &l, &err), TK_OK);
	}
	for (int i = 1; i <= 3000; i += 7) {
		char code[16], tail[10];
		snprintf(code, sizeof(code), "long%d", i);
		snprintf(tail, sizeof(tail), "%09d", i);
		e = link_table_get(t, code, strlen(code));
		assert_non_null(e);
		assert_int_equal(e->id, 10000 + i);
		assert_int_equal(e->target_len, 1999);
		assert_string_equal(e->target + 1990, tail);
		assert_int_equal((uintptr_t)e % 64, 0);
		assert_int_equal((uintptr_t)e->live % 64, 0);
		assert_int_equal(e->live->id, 10000 + i);
	}
	assert_int_equal(link_table_count(t), 8000);
	link_table_free(t);
}

/* URL links are marked blocked when their host is not allowed, and the
 * marks follow the allowed hosts; product links and an operator's
 * override are never blocked; a new target keeps the link's kind. */
static bool blocked(const struct link_table *t, const char *code)
{
	const struct link_entry *e = link_table_get(t, code, strlen(code));
	assert_non_null(e);
	return atomic_load(&e->blocked);
}

static void put_link(struct link_table *t, int64_t id, const char *code, const char *target,
		     const char *product, bool override)
{
	struct link_rec l = {.id = id, .member = 1, .host_override = override};
	struct tk_error err = {0};
	snprintf(l.code, sizeof(l.code), "%s", code);
	snprintf(l.member_ext, sizeof(l.member_ext), "m1");
	snprintf(l.target, sizeof(l.target), "%s", target);
	snprintf(l.union_, sizeof(l.union_), "%s", product[0] ? "jd" : "");
	snprintf(l.product, sizeof(l.product), "%s", product);
	assert_int_equal(link_table_put(t, &l, &err), TK_OK);
}

static void test_link_table_hosts(void **state)
{
	(void)state;
	struct link_table *t = link_table_new();
	struct tk_error err = {0};
	assert_non_null(t);
	put_link(t, 1, "jd", "https://item.jd.com/1.html?tk=X", "", false);
	put_link(t, 2, "shop", "https://www.shop.example.org/a?tk=X", "", false);
	put_link(t, 3, "phish", "https://item.jd.com@evil.example/?tk=X", "", false);
	put_link(t, 4, "plain", "http://item.jd.com/1.html?tk=X", "", false);
	put_link(t, 5, "prod", "https://www.shop.example.org/p?tk=X", "100", false);
	put_link(t, 6, "over", "http://landing.example/?tk=X", "", true);
	assert_false(blocked(t, "jd"));
	assert_true(blocked(t, "shop"));
	assert_true(blocked(t, "phish"));
	assert_true(blocked(t, "plain"));
	assert_false(blocked(t, "prod"));
	assert_false(blocked(t, "over"));
	char added[1][LINK_HOST_MAX] = {"shop.example.org"};
	struct link_hosts hosts = {1, added};
	assert_int_equal(link_table_set_hosts(t, &hosts, &err), TK_OK);
	assert_false(blocked(t, "shop"));
	assert_true(blocked(t, "phish"));
	/* a link put after the change is judged by the new list */
	put_link(t, 7, "shop2", "https://shop.example.org/b", "", false);
	assert_false(blocked(t, "shop2"));
	/* a new target (as a conversion gives) is judged again */
	put_link(t, 2, "shop", "https://evil.example/a", "", false);
	assert_true(blocked(t, "shop"));
	assert_int_equal(link_table_set_hosts(t, NULL, &err), TK_OK); /* removed */
	assert_true(blocked(t, "shop2"));
	assert_false(blocked(t, "jd"));
	assert_false(blocked(t, "over"));
	link_table_free(t);
}

static void test_bigmem(void **state)
{
	(void)state;
	/* small: the ordinary allocator, zeroed */
	unsigned char *small = bigmem_alloc(1000);
	assert_non_null(small);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(small[i], 0);
	bigmem_free(small, 1000);
	/* large: 2 MiB-aligned, zeroed, every byte usable */
	size_t n = 3 * 1024 * 1024 + 5;
	unsigned char *big = bigmem_alloc(n);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % (2 * 1024 * 1024), 0);
	assert_int_equal(big[0], 0);
	assert_int_equal(big[n - 1], 0);
	memset(big, 0xab, n);
	bigmem_free(big, n);
	bigmem_free(NULL, n);
	/* an arena: aligned pieces that do not overlap, across blocks */
	struct bigmem_arena a = {0};
	unsigned char *prev = NULL;
	size_t prev_size = 0;
	for (int i = 0; i < 2000; i++) {
		size_t size = 1 + (size_t)(i * 37 % 3000), align = (size_t)1 << (i % 7);
		unsigned char *p = bigmem_arena_take(&a, size, align);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % align, 0);
		assert_int_equal(p[0], 0);
		assert_int_equal(p[size - 1], 0);
		memset(p, i % 250 + 1, size);
		if (prev)
			assert_int_equal(prev[prev_size - 1], (i - 1) % 250 + 1);
		prev = p;
		prev_size = size;
	}
	assert_null(bigmem_arena_take(&a, BIGMEM_BLOCK, 8));
	assert_null(bigmem_arena_take(&a, 16, 3));
	bigmem_arena_free(&a);
	bigmem_arena_free(&a); /* again: nothing left to free */
}

static void test_link_targets(void **state)
{
	(void)state;
	char out[256];
	struct tk_error err = {0};
	assert_int_equal(links_target("https://item.jd.com/1.html", "subUnionId", "u 1", "ABCD2345",
				      out, sizeof(out), &err), TK_OK);
	assert_string_equal(out, "https://item.jd.com/1.html?subUnionId=u%201&tk=ABCD2345");
	assert_int_equal(links_target("https://x.cn/p?a=1#top", NULL, NULL, "C", out, sizeof(out),
				      &err), TK_OK);
	assert_string_equal(out, "https://x.cn/p?a=1&tk=C#top");
	assert_int_equal(links_target("https://x.cn/p?", "uid", "9", "C", out, sizeof(out), &err),
			 TK_OK);
	assert_string_equal(out, "https://x.cn/p?custom_parameters=%7B%22uid%22%3A%229%22%7D&tk=C");
	assert_int_equal(links_target("https://x.cn/p", "p_id", "8", "C", out, sizeof(out), &err),
			 TK_OK);
	assert_string_equal(out, "https://x.cn/p?pid=8&tk=C");
	assert_int_equal(links_target("https://x.cn/p", NULL, NULL, "C", out, 12, &err), TK_ELIMIT);

	assert_true(links_url_valid("https://item.jd.com/100012.html?x=%E4%BD%A0"));
	assert_false(links_url_valid("ftp://x"));
	assert_false(links_url_valid("https://"));
	assert_false(links_url_valid("https://x.cn/a b"));
	assert_false(links_url_valid("https://x.cn/\r\nSet-Cookie: a=b"));
	assert_false(links_url_valid("https://x.cn/\xe4\xbd\xa0"));
	assert_true(links_code_valid("Ab3xY9z", 7));
	assert_false(links_code_valid("Ab-3", 4));
	assert_false(links_code_valid("", 0));
	assert_true(links_tag_kind_valid("jd", "subUnionId"));
	assert_false(links_tag_kind_valid("jd", "uid"));
}

static void test_referrer_host(void **state)
{
	(void)state;
	char host[CLICK_REFERRER_MAX];
	clicks_referrer_host("https://M.Example.com:8443/a/b?q=1", host);
	assert_string_equal(host, "m.example.com");
	clicks_referrer_host("http://user:secret@weixin.qq.com/x", host);
	assert_string_equal(host, "weixin.qq.com");
	clicks_referrer_host(NULL, host);
	assert_string_equal(host, "");
	clicks_referrer_host("https://<script>/", host);
	assert_string_equal(host, "");
}

static void test_openapi(void **state)
{
	(void)state;
	json_t *doc;
	struct tk_error err = {0};
	if (openapi_document(api_routes, api_routes_count, "http://127.0.0.1:8080", &doc, &err))
		fail_msg("%s: %s", err.field, err.msg);
	json_t *paths = json_object_get(doc, "paths");
	size_t operations = 0;
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item)
		operations += json_object_size(item);
	/* exactly the route table: every route, nothing else */
	assert_int_equal(operations, api_routes_count);
	for (size_t i = 0; i < api_routes_count; i++) {
		char method[8];
		snprintf(method, sizeof(method), "%s", api_routes[i].method);
		for (char *p = method; *p; p++)
			*p = (char)(*p - 'A' + 'a');
		json_t *op = json_object_get(json_object_get(paths, api_routes[i].pattern), method);
		assert_non_null(op);
		/* the path parameters are declared */
		size_t braces = 0;
		for (const char *p = api_routes[i].pattern; *p; p++)
			braces += *p == '{';
		size_t declared = 0;
		json_t *param;
		size_t k;
		json_array_foreach(json_object_get(op, "parameters"), k, param)
			declared += strcmp(json_string_value(json_object_get(param, "in")), "path") == 0;
		assert_int_equal(declared, braces);
		/* public routes carry no security, the others a bearer */
		assert_int_equal(json_array_size(json_object_get(op, "security")),
				 api_routes[i].auth == AUTH_PUBLIC ? 0 : 1);
	}
	/* an unknown schema is refused */
	const struct route wrong[] = {
		{"GET", "/x", fake, AUTH_PUBLIC, 0, "t", "s", NULL, NULL, "NoSuchSchema", 200},
	};
	json_t *bad = NULL;
	assert_int_equal(openapi_document(wrong, 1, "http://x", &bad, &err), TK_EINVAL);
	assert_null(bad);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_router_match),  cmocka_unit_test(test_router_unescape),
		cmocka_unit_test(test_router_check),  cmocka_unit_test(test_bots),
		cmocka_unit_test(test_idempotency),   cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_click_window),  cmocka_unit_test(test_link_table),
		cmocka_unit_test(test_link_table_hosts),
		cmocka_unit_test(test_link_targets),  cmocka_unit_test(test_referrer_host),
		cmocka_unit_test(test_openapi),       cmocka_unit_test(test_bigmem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

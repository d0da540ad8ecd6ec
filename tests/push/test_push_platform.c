/* test_push_platform.c — per platform: limits, signatures (vectors
 * computed apart from this code, with Python's hmac), the request each
 * builds, replies read into outcomes, and credentials kept out of every
 * error and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "push/push_platform.h"

#define SECRET "SEC0123456789abcdef"
#define KEY "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

static void test_limits(void **state)
{
	(void)state;
	struct push_limit l[PUSH_LIMITS_MAX];
	struct tk_error err = {0};
	assert_int_equal(push_platform_limits(PUSH_WECOM, 0, l), 1);
	assert_int_equal(l[0].count, 20);
	assert_int_equal(l[0].period_ms, 60000);
	assert_int_equal(push_platform_limits(PUSH_FEISHU, 0, l), 2);
	assert_int_equal(l[0].count, 100);
	assert_int_equal(l[1].count, 5);
	assert_int_equal(l[1].period_ms, 1000);
	assert_int_equal(push_platform_limits(PUSH_TELEGRAM, 0, l), 2);
	assert_int_equal(l[0].count, 20);
	assert_int_equal(l[1].count, 1);
	assert_int_equal(push_platform_limits(PUSH_DINGTALK, 0, l), 1);
	assert_int_equal(push_platform_limits(PUSH_MANUAL, 0, l), 0);
	/* a group's rate lowers, never raises */
	push_platform_limits(PUSH_FEISHU, 30, l);
	assert_int_equal(l[0].count, 30);
	push_platform_limits(PUSH_WECOM, 50, l);
	assert_int_equal(l[0].count, 20);
	assert_int_equal(push_platform_check_rate(PUSH_WECOM, 20, &err), TK_OK);
	assert_int_equal(push_platform_check_rate(PUSH_WECOM, 21, &err), TK_EINVAL);
	assert_string_equal(err.field, "settings.rate_per_minute");
	assert_non_null(strstr(err.msg, "1..20 for wecom, got 21"));
	assert_true(push_platform_bot_limit(PUSH_TELEGRAM, l));
	assert_int_equal(l[0].count, 30);
	assert_false(push_platform_bot_limit(PUSH_WECOM, l));
	assert_int_equal(push_platform_content(PUSH_WECOM)->text, 2048);
	assert_int_equal(push_platform_content(PUSH_WECOM)->markdown, 4096);
	assert_int_equal(push_platform_content(PUSH_TELEGRAM)->news_text, 1024);
	assert_int_equal(push_platform_content(PUSH_FEISHU)->body, 20480);
}

/* Vectors from:
 * python3 -c 'import hmac,hashlib,base64,urllib.parse; s="SEC0123456789abcdef";
 *   d=base64.b64encode(hmac.new(s.encode(),("1767225600123\n"+s).encode(),hashlib.sha256).digest()).decode();
 *   print(urllib.parse.quote(d,safe=""));
 *   print(base64.b64encode(hmac.new(("1767225600\n"+s).encode(),b"",hashlib.sha256).digest()).decode())' */
#define DING_SIGN "hMcDGhJiDtObVyiB%2BeN64T57tbf88fhdBUXWQ1wX%2B3U%3D"
#define FEISHU_SIGN "lhApIVyDpG9gvzJVLszopHlzeRhChg0MoDPN71YXJ1U="

static void test_signatures(void **state)
{
	(void)state;
	char out[PUSH_SIGN_MAX];
	push_sign_dingtalk(SECRET, 1767225600123, out);
	assert_string_equal(out, DING_SIGN);
	push_sign_feishu(SECRET, 1767225600, out);
	assert_string_equal(out, FEISHU_SIGN);
}

static struct push_message msg(enum push_kind k, const char *method, const char *body)
{
	struct push_message m = {.kind = k, .body = strdup(body)};
	snprintf(m.method, sizeof(m.method), "%s", method);
	return m;
}

static void request_ok(enum push_kind k, const char *method, const char *body, const char *base,
		       struct push_credentials c, const char *url, const char *want_body)
{
	struct push_message m = msg(k, method, body);
	struct push_request r;
	struct tk_error err = {0};
	if (push_platform_request(&m, base, &c, 1767225600123, &r, &err))
		fail_msg("%s: %s", err.field, err.msg);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.url, url);
	assert_string_equal(r.body, want_body);
	assert_int_equal(r.body_len, strlen(want_body));
	assert_int_equal(r.nheaders, 1);
	assert_string_equal(r.headers[0], "Content-Type: application/json; charset=utf-8");
	push_request_free(&r);
	push_message_free(&m);
}

static void test_requests(void **state)
{
	(void)state;
	const char *text = "{\"msgtype\":\"text\",\"text\":{\"content\":\"好物\"}}";
	request_ok(PUSH_WECOM, "", text, "https://qyapi.weixin.qq.com/",
		   (struct push_credentials){.credential = KEY},
		   "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" KEY, text);
	request_ok(PUSH_DINGTALK, "", text, "http://127.0.0.1:8099",
		   (struct push_credentials){.credential = "abc123", .sign_secret = SECRET},
		   "http://127.0.0.1:8099/robot/send?access_token=abc123&timestamp=1767225600123"
		   "&sign=" DING_SIGN,
		   text);
	request_ok(PUSH_DINGTALK, "", text, "https://oapi.dingtalk.com",
		   (struct push_credentials){.credential = "abc123", .sign_secret = ""},
		   "https://oapi.dingtalk.com/robot/send?access_token=abc123", text);
	const char *ftext = "{\"msg_type\":\"text\",\"content\":{\"text\":\"好物\"}}";
	request_ok(PUSH_FEISHU, "", ftext, "https://open.feishu.cn",
		   (struct push_credentials){.credential = "hook-1", .sign_secret = SECRET},
		   "https://open.feishu.cn/open-apis/bot/v2/hook/hook-1",
		   "{\"timestamp\":\"1767225600\",\"sign\":\"" FEISHU_SIGN "\","
		   "\"msg_type\":\"text\",\"content\":{\"text\":\"好物\"}}");
	request_ok(PUSH_FEISHU, "", ftext, "https://open.feishu.cn",
		   (struct push_credentials){.credential = "hook-1"},
		   "https://open.feishu.cn/open-apis/bot/v2/hook/hook-1", ftext);
	request_ok(PUSH_TELEGRAM, "sendMessage", "{\"text\":\"<b>x</b>\",\"parse_mode\":\"HTML\"}",
		   "https://api.telegram.org",
		   (struct push_credentials){.credential = "123456:ABC-def_g", .chat_id = "-100987"},
		   "https://api.telegram.org/bot123456:ABC-def_g/sendMessage",
		   "{\"chat_id\":\"-100987\",\"text\":\"<b>x</b>\",\"parse_mode\":\"HTML\"}");
}

/* Every refusal; none repeats the credential or the secret. */
static void refused(enum push_kind k, const char *method, const char *body, const char *base,
		    struct push_credentials c, enum tk_rc rc, const char *field)
{
	struct push_message m = msg(k, method, body);
	struct push_request r;
	struct tk_error err = {0};
	char buf[1024];
	assert_int_equal(push_platform_request(&m, base, &c, 1767225600123, &r, &err), rc);
	assert_string_equal(err.field, field);
	assert_null(r.body);
	tk_error_format(&err, buf, sizeof(buf));
	if (c.credential && c.credential[0])
		assert_null(strstr(buf, c.credential));
	if (c.sign_secret && c.sign_secret[0])
		assert_null(strstr(buf, c.sign_secret));
	push_message_free(&m);
}

static void test_refused(void **state)
{
	(void)state;
	const char *body = "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}";
	struct push_credentials c = {.credential = KEY};
	refused(PUSH_MANUAL, "", body, "https://x", c, TK_EINVAL, "kind");
	refused(PUSH_WECOM, "", body, "ftp://x", c, TK_EINVAL, "base_url");
	refused(PUSH_WECOM, "", body, "https://x?y=1", c, TK_EINVAL, "base_url");
	refused(PUSH_WECOM, "", body, "https://x", (struct push_credentials){.credential = ""},
		TK_EINVAL, "credential");
	/* a credential a URL cannot carry is refused without being repeated */
	refused(PUSH_WECOM, "", body, "https://x",
		(struct push_credentials){.credential = "sk-LEAK/../x?y"}, TK_EINVAL, "credential");
	refused(PUSH_DINGTALK, "", body, "https://x",
		(struct push_credentials){.credential = KEY, .sign_secret = "SECRET&LEAK"}, TK_EINVAL,
		"sign_secret");
	refused(PUSH_TELEGRAM, "sendMessage", "{\"text\":\"x\"}", "https://x",
		(struct push_credentials){.credential = "1:AB"}, TK_EINVAL, "chat_id");
	refused(PUSH_TELEGRAM, "getMe", "{\"text\":\"x\"}", "https://x",
		(struct push_credentials){.credential = "1:AB", .chat_id = "5"}, TK_EINVAL, "method");
	refused(PUSH_WECOM, "", "not json", "https://x", c, TK_EINVAL, "body");
	/* Feishu takes at most 20 KB */
	char *big = malloc(21000);
	int n = snprintf(big, 21000, "{\"msg_type\":\"text\",\"content\":{\"text\":\"");
	memset(big + n, 'x', 20500);
	snprintf(big + n + 20500, 21000 - (size_t)n - 20500, "\"}}");
	refused(PUSH_FEISHU, "", big, "https://x",
		(struct push_credentials){.credential = "hook-1", .sign_secret = SECRET}, TK_ELIMIT,
		"body");
	free(big);
}

struct reply_case {
	enum push_kind kind;
	int status;
	const char *body;
	int attempt;
	enum push_result result;
	const char *code;
	int64_t retry_after_s, pause_robot_s;
	bool group_fatal;
};

static void test_replies(void **state)
{
	(void)state;
	const struct reply_case cases[] = {
		{PUSH_WECOM, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", 1, PUSH_OK, "0", 0, 0, false},
		{PUSH_WECOM, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", 1,
		 PUSH_PAUSE, "45009", 60, 60, false},
		{PUSH_WECOM, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}", 1,
		 PUSH_FATAL, "93000", 0, 0, true},
		{PUSH_WECOM, 200, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}", 2,
		 PUSH_RETRY, "40008", 120, 0, false},
		{PUSH_WECOM, 200, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}",
		 PUSH_ATTEMPTS_MAX, PUSH_FATAL, "40008", 0, 0, false},
		{PUSH_WECOM, 502, "<html>bad gateway</html>", 1, PUSH_RETRY, "http_502", 60, 0, false},
		{PUSH_WECOM, 404, "", 1, PUSH_FATAL, "http_404", 0, 0, true},
		{PUSH_WECOM, 0, NULL, 3, PUSH_RETRY, "transport", 240, 0, false},
		{PUSH_DINGTALK, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", 1, PUSH_OK, "0", 0, 0, false},
		{PUSH_DINGTALK, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}", 1, PUSH_PAUSE,
		 "130101", 600, 600, false},
		{PUSH_DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}", 1,
		 PUSH_FATAL, "310000", 0, 0, true},
		{PUSH_DINGTALK, 200, "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}", 1,
		 PUSH_FATAL, "300001", 0, 0, true},
		{PUSH_FEISHU, 200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}", 1, PUSH_OK, "0", 0, 0,
		 false},
		{PUSH_FEISHU, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}", 1, PUSH_OK, "0",
		 0, 0, false},
		{PUSH_FEISHU, 200, "{\"code\":9499,\"msg\":\"too many request\"}", 1, PUSH_PAUSE, "9499",
		 60, 60, false},
		{PUSH_FEISHU, 429, "", 1, PUSH_PAUSE, "http_429", 60, 60, false},
		{PUSH_FEISHU, 400, "{\"code\":19021,\"msg\":\"sign match fail\"}", 1, PUSH_FATAL,
		 "19021", 0, 0, true},
		{PUSH_FEISHU, 200, "{\"code\":19024,\"msg\":\"Key Words Not Found\"}", 1, PUSH_FATAL,
		 "19024", 0, 0, true},
		{PUSH_FEISHU, 200, "{\"code\":11232,\"msg\":\"frequency limited\"}", 4, PUSH_RETRY,
		 "11232", 480, 0, false},
		{PUSH_TELEGRAM, 200, "{\"ok\":true,\"result\":{\"message_id\":7}}", 1, PUSH_OK, "0", 0,
		 0, false},
		{PUSH_TELEGRAM, 429,
		 "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
		 "17\",\"parameters\":{\"retry_after\":17}}",
		 1, PUSH_PAUSE, "429", 17, 17, false},
		{PUSH_TELEGRAM, 400,
		 "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}", 1,
		 PUSH_FATAL, "400", 0, 0, true},
		{PUSH_TELEGRAM, 403,
		 "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was kicked\"}", 1,
		 PUSH_FATAL, "403", 0, 0, true},
		{PUSH_TELEGRAM, 500, "{\"ok\":false,\"error_code\":500,\"description\":\"x\"}", 1,
		 PUSH_RETRY, "500", 60, 0, false},
		/* the limit again and again: a pause each time, never the job's end */
		{PUSH_TELEGRAM, 429, "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":5}}",
		 PUSH_ATTEMPTS_MAX, PUSH_PAUSE, "429", 5, 5, false},
		{PUSH_WECOM, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}",
		 PUSH_ATTEMPTS_MAX + 3, PUSH_PAUSE, "45009", 60, 60, false},
		/* an unknown hook or bot token: the group's set-up, fatal at once */
		{PUSH_FEISHU, 200, "{\"code\":19001,\"msg\":\"param invalid: incoming webhook access token invalid\"}",
		 1, PUSH_FATAL, "19001", 0, 0, true},
		{PUSH_TELEGRAM, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}",
		 1, PUSH_FATAL, "401", 0, 0, true},
		{PUSH_TELEGRAM, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}",
		 1, PUSH_FATAL, "404", 0, 0, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct reply_case *c = &cases[i];
		struct push_outcome o;
		push_platform_reply(c->kind, c->status, c->body, c->body ? strlen(c->body) : 0,
				    c->attempt, NULL, &o);
		if (o.result != c->result || strcmp(o.code, c->code) != 0 ||
		    o.retry_after_s != c->retry_after_s || o.pause_robot_s != c->pause_robot_s ||
		    o.group_fatal != c->group_fatal)
			fail_msg("case %zu (%s %d): got %s code %s retry %lld pause %lld group %d (%s)", i,
				 push_kind_name(c->kind), c->status, push_result_name(o.result), o.code,
				 (long long)o.retry_after_s, (long long)o.pause_robot_s, o.group_fatal,
				 o.message);
	}
	struct push_outcome o;
	const char *b = "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}";
	push_platform_reply(PUSH_WECOM, 200, b, strlen(b), PUSH_ATTEMPTS_MAX, NULL, &o);
	assert_string_equal(o.message, "invalid message type (gave up after 5 attempts)");
	assert_int_equal(push_backoff_s(1), 60);
	assert_int_equal(push_backoff_s(6), 1920);
	assert_int_equal(push_backoff_s(30), 3600);
}

static void test_reply_hides_credentials(void **state)
{
	(void)state;
	struct push_credentials c = {.credential = KEY, .sign_secret = SECRET};
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"errcode\":93000,\"errmsg\":\"invalid webhook url key=%s, sign %s, key %s\"}", KEY,
		 SECRET, KEY);
	struct push_outcome o;
	push_platform_reply(PUSH_WECOM, 200, body, strlen(body), 1, &c, &o);
	assert_null(strstr(o.message, KEY));
	assert_null(strstr(o.message, SECRET));
	assert_string_equal(o.message, "invalid webhook url key=***, sign ***, key ***");
	/* a message cut at its end keeps no part of a credential */
	char lng[1024];
	int n = snprintf(lng, sizeof(lng), "{\"errcode\":1,\"errmsg\":\"");
	memset(lng + n, 'y', 240);
	snprintf(lng + n + 240, sizeof(lng) - (size_t)n - 240, "%s\"}", KEY);
	push_platform_reply(PUSH_WECOM, 200, lng, strlen(lng), 1, &c, &o);
	assert_null(strstr(o.message, "693a91f6"));
	/* a cut keeps UTF-8 whole: 255 bytes would end inside a character */
	n = snprintf(lng, sizeof(lng), "{\"errcode\":1,\"errmsg\":\"a");
	for (int i = 0; i < 100; i++)
		n += snprintf(lng + n, sizeof(lng) - (size_t)n, "限");
	snprintf(lng + n, sizeof(lng) - (size_t)n, "\"}");
	push_platform_reply(PUSH_WECOM, 200, lng, strlen(lng), 1, &c, &o);
	assert_int_equal(strlen(o.message), 1 + 84 * 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_reply_hides_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

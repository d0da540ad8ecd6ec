/* test_taobao_oauth.c — the member's Taobao authorization: the authorize
 * URL, the code exchange's request, and the token reply (a JSON string
 * inside TOP's envelope) with its refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feeds/taobao_oauth.h"

static struct sync_conf conf;

static void setup_conf(void)
{
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.u[SYNC_TAOBAO].app_key, SYNC_CRED_MAX, "12345678");
	snprintf(conf.u[SYNC_TAOBAO].app_secret, SYNC_CRED_MAX, "s3cr3t");
	snprintf(conf.u[SYNC_TAOBAO].url, SYNC_URL_MAX, "http://127.0.0.1:1/router/rest");
	conf.retries = 1;
}

static void test_authorize_url(void **state)
{
	(void)state;
	char url[TB_OAUTH_URL_MAX];
	struct tk_error err = {0};
	setup_conf();
	assert_int_equal(tb_oauth_authorize_url(&conf, "https://tk.example.com/auth/taobao/callback",
						"tbst_AbC-9", url, sizeof(url), &err),
			 TK_OK);
	/* Taobao's page by default; every value escaped */
	assert_string_equal(url, "https://oauth.taobao.com/authorize?client_id=12345678&"
				 "redirect_uri=https%3A%2F%2Ftk.example.com%2Fauth%2Ftaobao%2Fcallback&"
				 "response_type=code&state=tbst_AbC-9&view=wap");
	snprintf(conf.u[SYNC_TAOBAO].oauth_url, SYNC_URL_MAX, "http://127.0.0.1:9/authorize?x=1");
	assert_int_equal(tb_oauth_authorize_url(&conf, "http://h/cb", "s", url, sizeof(url), &err),
			 TK_OK);
	assert_string_equal(url, "http://127.0.0.1:9/authorize?x=1&client_id=12345678&"
				 "redirect_uri=http%3A%2F%2Fh%2Fcb&response_type=code&state=s&view=wap");
	/* too small a buffer is refused, never cut */
	assert_int_equal(tb_oauth_authorize_url(&conf, "http://h/cb", "s", url, 40, &err),
			 TK_ELIMIT);
	conf.u[SYNC_TAOBAO].app_key[0] = '\0';
	assert_int_equal(tb_oauth_authorize_url(&conf, "http://h/cb", "s", url, sizeof(url), &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "taobao.app_key");
}

static void test_code_shape(void **state)
{
	(void)state;
	char long_code[TB_OAUTH_CODE_MAX + 1];
	memset(long_code, 'a', sizeof(long_code) - 1);
	long_code[sizeof(long_code) - 1] = '\0';
	assert_true(tb_oauth_code_valid("8EvAOGzAbCd1234"));
	assert_false(tb_oauth_code_valid(""));
	assert_false(tb_oauth_code_valid("a b"));
	assert_false(tb_oauth_code_valid("a\nb"));
	assert_false(tb_oauth_code_valid(long_code));
}

static void test_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	assert_int_equal(tb_token_build(&conf, "code-1", &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "taobao.top.auth.token.create");
	assert_string_equal(sync_params_get(&p, "app_key"), "12345678");
	assert_string_equal(sync_params_get(&p, "code"), "code-1");
	assert_null(sync_params_get(&p, "session")); /* an app-level call */
}

static enum tk_rc parse(const char *body, struct tb_token *tok, struct tk_error *err)
{
	memset(tok, 0, sizeof(*tok));
	memset(err, 0, sizeof(*err));
	return tb_token_parse(body, strlen(body), tok, err);
}

static void test_reply(void **state)
{
	(void)state;
	struct tb_token tok;
	struct tk_error err;
	/* token_result is a JSON string, as TOP sends it */
	assert_int_equal(
		parse("{\"top_auth_token_create_response\":{\"token_result\":"
		      "\"{\\\"w1_expires_in\\\":86400,\\\"taobao_user_nick\\\":\\\"tb%E5%B0%8F\\\","
		      "\\\"expire_time\\\":1767225600000,\\\"token_type\\\":\\\"Bearer\\\","
		      "\\\"access_token\\\":\\\"6201a0b2c3\\\",\\\"refresh_token\\\":\\\"6202r\\\","
		      "\\\"taobao_user_id\\\":\\\"2206123456\\\",\\\"expires_in\\\":86400}\","
		      "\"request_id\":\"r1\"}}",
		      &tok, &err),
		TK_OK);
	assert_string_equal(tok.session, "6201a0b2c3");
	assert_string_equal(tok.user_id, "2206123456");
	assert_string_equal(tok.user_nick, "tb%E5%B0%8F");
	assert_int_equal(tok.expires_at, 1767225600);
	/* an object is taken as well; a numeric user id too */
	assert_int_equal(parse("{\"top_auth_token_create_response\":{\"token_result\":"
			       "{\"access_token\":\"s1\",\"taobao_user_id\":42}}}",
			       &tok, &err),
			 TK_OK);
	assert_string_equal(tok.session, "s1");
	assert_string_equal(tok.user_id, "42");
	assert_int_equal(tok.expires_at, 0);
}

static void test_bad_replies(void **state)
{
	(void)state;
	struct tb_token tok;
	struct tk_error err;
	/* Taobao's refusal: its code and words, never retried */
	assert_int_equal(parse("{\"error_response\":{\"code\":15,\"msg\":\"Remote service error\","
			       "\"sub_code\":\"isv.invalid-code\",\"sub_msg\":\"code无效\"}}",
			       &tok, &err),
			 TK_EINVAL);
	assert_true(tok.call.refused);
	assert_false(tok.call.transient);
	assert_string_equal(tok.call.code, "15/isv.invalid-code");
	assert_non_null(strstr(err.msg, "Taobao refused the authorization: error 15/isv.invalid-code"));
	/* no session key in the result */
	assert_int_equal(parse("{\"top_auth_token_create_response\":{\"token_result\":"
			       "\"{\\\"taobao_user_id\\\":\\\"1\\\"}\"}}",
			       &tok, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "token_result.access_token");
	assert_string_equal(tok.session, "");
	/* a session key longer than any Taobao gives is refused, not cut */
	char body[600];
	char key[TAG_REG_SESSION_MAX + 8];
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	snprintf(body, sizeof(body), "{\"top_auth_token_create_response\":{\"token_result\":"
		 "{\"access_token\":\"%s\"}}}", key);
	assert_int_equal(parse(body, &tok, &err), TK_EINVAL);
	assert_string_equal(tok.session, "");
	/* token_result that is not JSON, or no envelope */
	assert_int_equal(parse("{\"top_auth_token_create_response\":{\"token_result\":\"{not\"}}",
			       &tok, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "token_result");
	assert_int_equal(parse("{\"other_response\":{}}", &tok, &err), TK_EINVAL);
	/* a cut-off body may come whole next time */
	assert_int_equal(parse("{\"top_auth_token_cre", &tok, &err), TK_EINVAL);
	assert_true(tok.call.transient);
}

static void test_create_checks(void **state)
{
	(void)state;
	struct tb_token tok;
	struct tk_error err = {0};
	setup_conf();
	/* a code of a bad shape never reaches Taobao */
	assert_int_equal(tb_token_create(&conf, "a b", &tok, &err), TK_EINVAL);
	assert_string_equal(err.field, "code");
	assert_int_equal(tok.call.requests, 0);
	conf.u[SYNC_TAOBAO].app_secret[0] = '\0';
	assert_int_equal(tb_token_create(&conf, "c1", &tok, &err), TK_EINVAL);
	assert_string_equal(err.field, "taobao");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authorize_url), cmocka_unit_test(test_code_shape),
		cmocka_unit_test(test_request),       cmocka_unit_test(test_reply),
		cmocka_unit_test(test_bad_replies),   cmocka_unit_test(test_create_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_tag_register.c — registering members' tags through the unions'
 * APIs: the request of each union (JD position, Taobao publisher with the
 * member's session, Pinduoduo pid), what the config must hold, and the
 * replies and refusals of each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feeds/tag_register.h"
#include "union_fixture.h"

static struct sync_conf conf;

static void setup_conf(void)
{
	union_fixture_conf(&conf);
}

static struct tag_reg_req req_for(enum sync_union u, const char *kind, const char *name)
{
	struct tag_reg_req r;
	memset(&r, 0, sizeof(r));
	r.u = u;
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.name, sizeof(r.name), "%s", name);
	return r;
}

static void test_kinds(void **state)
{
	(void)state;
	assert_string_equal(tag_reg_default_kind(SYNC_JD), "positionId");
	assert_string_equal(tag_reg_default_kind(SYNC_TAOBAO), "relation_id");
	assert_string_equal(tag_reg_default_kind(SYNC_PDD), "p_id");
	assert_true(tag_reg_kind_valid(SYNC_TAOBAO, "special_id"));
	assert_false(tag_reg_kind_valid(SYNC_JD, "subUnionId")); /* free-form, not registered */
	assert_false(tag_reg_kind_valid(SYNC_PDD, "uid"));
	assert_false(tag_reg_kind_valid(SYNC_TAOBAO, "adzone_id"));
}

static void test_jd_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	struct tag_reg_req r = req_for(SYNC_JD, "positionId", "carol");
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_OK);
	assert_int_equal(tag_reg_build(&conf, &r, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "jd.union.open.position.create");
	assert_string_equal(sync_params_get(&p, "v"), "1.0");
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"positionReq\":{\"key\":\"k3y\",\"spaceNameList\":[\"carol\"],"
			    "\"type\":3,\"unionId\":1001,\"unionType\":1}}");
	snprintf(conf.u[SYNC_JD].site_id, SYNC_ID_MAX, "4100");
	assert_int_equal(tag_reg_build(&conf, &r, &p, &err), TK_OK);
	assert_non_null(strstr(sync_params_get(&p, "360buy_param_json"), "\"siteId\":4100"));

	/* the key and unionId come from the config, named when missing */
	conf.u[SYNC_JD].position_key[0] = '\0';
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_EINVAL);
	assert_string_equal(err.field, "jd.position_key");
	conf.u[SYNC_JD].union_id[0] = '\0';
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_EINVAL);
	assert_string_equal(err.field, "jd.union_id");
}

static void test_taobao_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	struct tag_reg_req r = req_for(SYNC_TAOBAO, "relation_id", "carol");
	/* the member's own authorization is required */
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_EINVAL);
	assert_string_equal(err.field, "session");
	snprintf(r.session, sizeof(r.session), "sess 1");
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_EINVAL);
	assert_null(strstr(err.msg, "sess 1")); /* a secret is never echoed */
	snprintf(r.session, sizeof(r.session), "6102a0b1c2");
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_OK);
	assert_int_equal(tag_reg_build(&conf, &r, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "taobao.tbk.sc.publisher.info.save");
	assert_string_equal(sync_params_get(&p, "v"), "2.0");
	assert_string_equal(sync_params_get(&p, "session"), "6102a0b1c2");
	assert_string_equal(sync_params_get(&p, "inviter_code"), "CHAN01");
	assert_string_equal(sync_params_get(&p, "info_type"), "1");
	assert_string_equal(sync_params_get(&p, "note"), "carol");
	assert_string_equal(sync_params_get(&p, "relation_from"), "1");
	assert_string_equal(sync_params_get(&p, "online_scene"), "1");
	assert_string_equal(sync_params_get(&p, "offline_scene"), "4");

	/* a member (会员运营): info_type 2, its own invite code, no scenes */
	snprintf(r.kind, sizeof(r.kind), "special_id");
	assert_int_equal(tag_reg_build(&conf, &r, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "info_type"), "2");
	assert_string_equal(sync_params_get(&p, "inviter_code"), "MEMB01");
	assert_null(sync_params_get(&p, "online_scene"));
	conf.u[SYNC_TAOBAO].member_invite[0] = '\0';
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_EINVAL);
	assert_string_equal(err.field, "taobao.member_invite_code");
}

static void test_pdd_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	struct tag_reg_req r = req_for(SYNC_PDD, "p_id", "carol");
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_OK);
	assert_int_equal(tag_reg_build(&conf, &r, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "type"), "pdd.ddk.goods.pid.generate");
	assert_string_equal(sync_params_get(&p, "client_id"), "pk");
	assert_string_equal(sync_params_get(&p, "number"), "1");
	assert_string_equal(sync_params_get(&p, "p_id_name_list"), "[\"carol\"]");
	/* no credentials: named */
	conf.u[SYNC_PDD].app_key[0] = '\0';
	assert_int_equal(tag_reg_check(&conf, &r, &err), TK_EINVAL);
	assert_string_equal(err.field, "pdd");
}

static enum tk_rc parse(struct tag_reg_req *r, const char *body, struct tag_reg_result *res,
			struct tk_error *err)
{
	memset(res, 0, sizeof(*res));
	memset(err, 0, sizeof(*err));
	return tag_reg_parse(r, body, strlen(body), res, err);
}

static void test_jd_replies(void **state)
{
	(void)state;
	struct tag_reg_result res;
	struct tk_error err;
	struct tag_reg_req r = req_for(SYNC_JD, "positionId", "carol");
	assert_int_equal(parse(&r,
			       "{\"jd_union_open_position_create_responce\":{\"code\":\"0\","
			       "\"createResult\":\"{\\\"code\\\":200,\\\"message\\\":\\\"success\\\","
			       "\\\"data\\\":{\\\"resultList\\\":{\\\"carol\\\":3000000007},"
			       "\\\"siteId\\\":0,\\\"type\\\":3,\\\"unionId\\\":1001}}\"}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.value, "3000000007");
	assert_false(res.call.refused);

	/* the key refused: JD's code and message, not retried */
	assert_int_equal(parse(&r,
			       "{\"jd_union_open_position_create_responce\":{\"code\":\"0\","
			       "\"createResult\":\"{\\\"code\\\":403,\\\"message\\\":\\\"key已过期\\\"}\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.call.refused);
	assert_false(res.call.transient);
	assert_string_equal(res.call.code, "403");
	assert_string_equal(err.msg, "JD refused the registration: error 403: key已过期");
	/* over the call limit: retried */
	assert_int_equal(parse(&r,
			       "{\"jd_union_open_position_create_responce\":{\"code\":\"0\","
			       "\"createResult\":\"{\\\"code\\\":429,\\\"message\\\":\\\"频繁\\\"}\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.call.transient);
	/* the gateway's own refusal */
	assert_int_equal(parse(&r, "{\"error_response\":{\"code\":\"19\",\"zh_desc\":\"无效签名\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_string_equal(err.msg, "JD refused the registration: error 19: 无效签名");
	/* no position for our name */
	assert_int_equal(parse(&r,
			       "{\"jd_union_open_position_create_responce\":{\"code\":\"0\","
			       "\"createResult\":\"{\\\"code\\\":200,\\\"data\\\":{\\\"resultList\\\":{}}}\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_false(res.call.refused);
}

static void test_taobao_replies(void **state)
{
	(void)state;
	struct tag_reg_result res;
	struct tk_error err;
	struct tag_reg_req r = req_for(SYNC_TAOBAO, "relation_id", "carol");
	assert_int_equal(parse(&r,
			       "{\"tbk_sc_publisher_info_save_response\":{\"data\":{\"relation_id\":"
			       "2700000001,\"account_name\":\"tb_c\",\"desc\":\"重复绑定渠道\"},"
			       "\"request_id\":\"x\"}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.value, "2700000001");
	assert_string_equal(res.account, "tb_c");
	assert_string_equal(res.note, "重复绑定渠道");
	/* the member's kind is read, not the channel's */
	struct tag_reg_req m = req_for(SYNC_TAOBAO, "special_id", "carol");
	assert_int_equal(parse(&m,
			       "{\"tbk_sc_publisher_info_save_response\":{\"data\":{\"relation_id\":"
			       "1,\"special_id\":5100000009}}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.value, "5100000009");
	assert_int_equal(parse(&m,
			       "{\"tbk_sc_publisher_info_save_response\":{\"data\":{\"relation_id\":1}}}",
			       &res, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "special_id");
	/* an expired session: TOP's code and sub-code in words */
	assert_int_equal(parse(&r,
			       "{\"error_response\":{\"code\":27,\"msg\":\"Invalid session\","
			       "\"sub_code\":\"invalid-sessionkey\",\"sub_msg\":\"授权已失效\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.call.refused);
	assert_string_equal(res.call.code, "27/invalid-sessionkey");
	assert_string_equal(err.msg, "Taobao refused the registration: error 27/invalid-sessionkey: "
				     "Invalid session: 授权已失效");
}

static void test_pdd_replies(void **state)
{
	(void)state;
	struct tag_reg_result res;
	struct tk_error err;
	struct tag_reg_req r = req_for(SYNC_PDD, "p_id", "carol");
	assert_int_equal(parse(&r,
			       "{\"p_id_generate_response\":{\"p_id_list\":[{\"p_id\":\"1001_20000003\","
			       "\"pid_name\":\"carol\",\"create_time\":1762740000}],"
			       "\"remain_pid_count\":4999}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.value, "1001_20000003");
	assert_int_equal(parse(&r, "{\"p_id_generate_response\":{\"p_id_list\":[]}}", &res, &err),
			 TK_EINVAL);
	assert_int_equal(parse(&r,
			       "{\"error_response\":{\"error_code\":60002,\"error_msg\":\"未备案\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_string_equal(err.msg, "Pinduoduo refused the registration: error 60002: 未备案");
	assert_false(res.call.transient);
	/* a cut-off body may come whole next time */
	assert_int_equal(parse(&r, "{\"p_id_generate_resp", &res, &err), TK_EINVAL);
	assert_true(res.call.transient);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),          cmocka_unit_test(test_jd_request),
		cmocka_unit_test(test_taobao_request), cmocka_unit_test(test_pdd_request),
		cmocka_unit_test(test_jd_replies),     cmocka_unit_test(test_taobao_replies),
		cmocka_unit_test(test_pdd_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

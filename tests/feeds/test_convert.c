/* test_convert.c — link conversion without the network: each union's
 * request (method, business parameters, the member's tag, the signature
 * against a vector computed with Python's hashlib) and the reading of
 * each documented reply shape, success and every error shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feeds/convert.h"
#include "union_fixture.h"

static struct sync_conf conf;

static void setup_conf(void)
{
	union_fixture_conf(&conf);
}

static struct convert_req req_for(enum sync_union u, const char *material)
{
	struct convert_req r;
	memset(&r, 0, sizeof(r));
	r.u = u;
	snprintf(r.material, sizeof(r.material), "%s", material);
	return r;
}

static void test_jd_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	char hex[SYNC_SIGN_HEX];
	setup_conf();
	struct convert_req r = req_for(SYNC_JD, "100012043978");
	snprintf(r.sub_union_id, sizeof(r.sub_union_id), "m-alice");
	assert_int_equal(convert_check(&conf, &r, &err), TK_OK);
	assert_int_equal(convert_build(&conf, &r, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "jd.union.open.promotion.bysubunionid.get");
	assert_string_equal(sync_params_get(&p, "app_key"), "jk");
	assert_string_equal(sync_params_get(&p, "v"), "1.0");
	/* a sku becomes its product page; chainType 3 asks for long and short */
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"promotionCodeReq\":{\"chainType\":3,\"materialId\":"
			    "\"https://item.jd.com/100012043978.html\",\"subUnionId\":\"m-alice\"}}");
	assert_null(sync_params_get(&p, "sign"));
	assert_int_equal(sync_params_set(&p, "timestamp", "2026-10-01 10:00:00", &err), TK_OK);
	assert_int_equal(sync_params_sign(&p, "s3cr3t", hex, &err), TK_OK);
	assert_string_equal(hex, "7C251BE87158645FF8B6F58D0B64C437");

	/* positionId and a coupon (二合一) */
	struct convert_req r2 = req_for(SYNC_JD, "https://item.jd.com/1.html");
	snprintf(r2.position_id, sizeof(r2.position_id), "3003");
	snprintf(r2.coupon_url, sizeof(r2.coupon_url), "https://coupon.m.jd.com/x");
	assert_int_equal(convert_build(&conf, &r2, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"promotionCodeReq\":{\"chainType\":3,\"couponUrl\":"
			    "\"https://coupon.m.jd.com/x\",\"materialId\":\"https://item.jd.com/1.html\","
			    "\"positionId\":\"3003\"}}");

	/* an account converting by site */
	snprintf(conf.u[SYNC_JD].site_id, SYNC_ID_MAX, "4100");
	assert_int_equal(convert_build(&conf, &r, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "jd.union.open.promotion.common.get");
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"promotionCodeReq\":{\"materialId\":"
			    "\"https://item.jd.com/100012043978.html\",\"siteId\":\"4100\","
			    "\"subUnionId\":\"m-alice\"}}");
}

static void test_taobao_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	struct convert_req r = req_for(SYNC_TAOBAO, "652011223344");
	snprintf(r.relation_id, sizeof(r.relation_id), "8002");
	assert_int_equal(convert_check(&conf, &r, &err), TK_OK);
	assert_int_equal(convert_build(&conf, &r, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "taobao.tbk.dg.general.link.convert");
	assert_string_equal(sync_params_get(&p, "v"), "2.0");
	assert_string_equal(sync_params_get(&p, "adzone_id"), "33"); /* the PID's third part */
	assert_string_equal(sync_params_get(&p, "item_id_list"), "652011223344");
	assert_string_equal(sync_params_get(&p, "relation_id"), "8002");
	assert_null(sync_params_get(&p, "special_id"));
	assert_null(sync_params_get(&p, "material_list"));

	/* a URL goes in material_list; the member's adzone wins over the PID's */
	struct convert_req r2 = req_for(SYNC_TAOBAO, "https://item.taobao.com/item.htm?id=5");
	snprintf(r2.special_id, sizeof(r2.special_id), "7001");
	snprintf(r2.adzone_id, sizeof(r2.adzone_id), "44");
	assert_int_equal(convert_build(&conf, &r2, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "material_list"),
			    "https://item.taobao.com/item.htm?id=5");
	assert_string_equal(sync_params_get(&p, "special_id"), "7001");
	assert_string_equal(sync_params_get(&p, "adzone_id"), "44");

	assert_int_equal(convert_build(&conf, &r, CONVERT_TPWD, "https://s.click.taobao.com/x", &p,
				       &err),
			 TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "taobao.tbk.tpwd.create");
	assert_string_equal(sync_params_get(&p, "url"), "https://s.click.taobao.com/x");
	assert_true(strlen(sync_params_get(&p, "text")) > 5);
}

static void test_pdd_request(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	struct convert_req r = req_for(SYNC_PDD, "E9H2kS7xUqVr2bzd0zT");
	snprintf(r.uid, sizeof(r.uid), "m-alice");
	snprintf(r.sid, sizeof(r.sid), "alice");
	assert_int_equal(convert_check(&conf, &r, &err), TK_OK);
	assert_int_equal(convert_build(&conf, &r, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "type"), "pdd.ddk.goods.promotion.url.generate");
	assert_string_equal(sync_params_get(&p, "client_id"), "pk");
	assert_string_equal(sync_params_get(&p, "p_id"), "1001_2002");
	assert_string_equal(sync_params_get(&p, "goods_sign_list"), "[\"E9H2kS7xUqVr2bzd0zT\"]");
	assert_string_equal(sync_params_get(&p, "custom_parameters"),
			    "{\"sid\":\"alice\",\"uid\":\"m-alice\"}");
	assert_string_equal(sync_params_get(&p, "generate_short_url"), "true");

	/* a goods id, and the member's own p_id */
	struct convert_req r2 = req_for(SYNC_PDD, "3345678");
	snprintf(r2.uid, sizeof(r2.uid), "m-bob");
	snprintf(r2.pid, sizeof(r2.pid), "9_9");
	assert_int_equal(convert_build(&conf, &r2, CONVERT_LINK, NULL, &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "goods_id_list"), "[3345678]");
	assert_string_equal(sync_params_get(&p, "p_id"), "9_9");
	assert_string_equal(sync_params_get(&p, "custom_parameters"), "{\"uid\":\"m-bob\"}");
}

static void test_check_refuses(void **state)
{
	(void)state;
	struct tk_error err = {0};
	setup_conf();
	struct convert_req r = req_for(SYNC_JD, "100012043978");
	assert_int_equal(convert_check(&conf, &r, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "subUnionId or positionId"));

	r = req_for(SYNC_TAOBAO, "652011223344");
	snprintf(r.relation_id, sizeof(r.relation_id), "8002");
	conf.u[SYNC_TAOBAO].pid[0] = '\0';
	assert_int_equal(convert_check(&conf, &r, &err), TK_EINVAL);
	assert_string_equal(err.field, "taobao.pid");
	setup_conf();
	snprintf(r.coupon_url, sizeof(r.coupon_url), "https://x/y");
	assert_int_equal(convert_check(&conf, &r, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "JD's only"));

	r = req_for(SYNC_PDD, "https://mobile.yangkeduo.com/goods.html?goods_id=1");
	snprintf(r.uid, sizeof(r.uid), "m-alice");
	assert_int_equal(convert_check(&conf, &r, &err), TK_EINVAL);
	r = req_for(SYNC_PDD, "3345678");
	assert_int_equal(convert_check(&conf, &r, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "uid"));

	r = req_for(SYNC_JD, "100012043978");
	snprintf(r.sub_union_id, sizeof(r.sub_union_id), "m-alice");
	conf.u[SYNC_JD].app_secret[0] = '\0';
	assert_int_equal(convert_check(&conf, &r, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "jd.app_secret"));
}

/* parses body as union u's reply to step */
static enum tk_rc parse(enum sync_union u, enum convert_step step, const char *body,
			struct convert_result *res, struct tk_error *err)
{
	memset(res, 0, sizeof(*res));
	memset(err, 0, sizeof(*err));
	return convert_parse(u, step, body, strlen(body), res, err);
}

static void test_jd_replies(void **state)
{
	(void)state;
	struct convert_result res;
	struct tk_error err;
	assert_int_equal(
		parse(SYNC_JD, CONVERT_LINK,
		      "{\"jd_union_open_promotion_bysubunionid_get_responce\":{\"code\":\"0\","
		      "\"getResult\":\"{\\\"code\\\":200,\\\"message\\\":\\\"success\\\",\\\"data\\\":"
		      "{\\\"clickURL\\\":\\\"https://union-click.jd.com/jdc?e=1\\\",\\\"shortURL\\\":"
		      "\\\"https://u.jd.com/abc\\\",\\\"jCommand\\\":\\\"x\\\"}}\"}}",
		      &res, &err),
		TK_OK);
	assert_string_equal(res.short_url, "https://u.jd.com/abc");
	assert_string_equal(res.long_url, "https://union-click.jd.com/jdc?e=1");
	assert_int_equal(res.ttl_s, 60 * 86400);
	assert_false(res.refused);

	/* common.get: the long link only, no stated life */
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK,
			       "{\"jd_union_open_promotion_common_get_responce\":{\"code\":\"0\","
			       "\"getResult\":\"{\\\"code\\\":200,\\\"data\\\":{\\\"clickURL\\\":"
			       "\\\"https://union-click.jd.com/jdc?e=2\\\"}}\"}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.long_url, "https://union-click.jd.com/jdc?e=2");
	assert_int_equal(res.ttl_s, 0);

	/* getResult's own refusal: product not in promotion */
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK,
			       "{\"jd_union_open_promotion_bysubunionid_get_responce\":{\"code\":\"0\","
			       "\"getResult\":\"{\\\"code\\\":2001501,\\\"message\\\":\\\"商品不在推广中\\\"}\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.refused);
	assert_false(res.transient);
	assert_string_equal(res.code, "2001501");
	assert_non_null(strstr(err.msg, "JD refused the conversion: error 2001501: 商品不在推广中"));
	assert_string_equal(res.short_url, "");

	/* rate limited: retry */
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK,
			       "{\"x_responce\":{\"code\":\"0\",\"getResult\":\"{\\\"code\\\":429,"
			       "\\\"message\\\":\\\"请求频率过快\\\"}\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.rate_limited);
	assert_true(res.transient);

	/* the gateway's error (bad signature) and the envelope's code */
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK,
			       "{\"error_response\":{\"code\":\"19\",\"zh_desc\":\"无效签名\"}}", &res,
			       &err),
			 TK_EINVAL);
	assert_string_equal(res.code, "19");
	assert_false(res.transient);
	assert_non_null(strstr(err.msg, "error 19: 无效签名"));
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK,
			       "{\"x_responce\":{\"code\":\"403\",\"msg\":\"无权限\"}}", &res, &err),
			 TK_EINVAL);
	assert_string_equal(res.code, "403");

	/* not a reply: a cut-off body may be whole next time */
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK, "{\"cut off in the mid", &res, &err),
			 TK_EINVAL);
	assert_true(res.transient);
	assert_false(res.refused);
	assert_int_equal(parse(SYNC_JD, CONVERT_LINK, "{\"x_responce\":{\"code\":\"0\"}}", &res, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "getResult");
}

static void test_taobao_replies(void **state)
{
	(void)state;
	struct convert_result res;
	struct tk_error err;
	/* TOP's default JSON wraps the list under its element's type name;
	 * the links are in each entry's link_info_dto */
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"tbk_dg_general_link_convert_response\":{\"data\":{\"item_url_list\":"
			       "{\"item_url_list\":[{\"code\":0,\"input_item_id\":\"1\",\"link_info_dto\":"
			       "{\"material_id\":\"1\",\"cps_short_url\":\"https://s.click.taobao.com/c\","
			       "\"cps_long_url\":\"https://uland.taobao.com/c\"}}]}}}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.short_url, "https://s.click.taobao.com/c");
	assert_string_equal(res.long_url, "https://uland.taobao.com/c");
	assert_string_equal(res.tpwd, "");
	assert_int_equal(res.ttl_s, 0);
	/* simplified JSON, a URL material: the coupon link (二合一) wins when
	 * there is one, with its 淘口令 */
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"tbk_dg_general_link_convert_response\":{\"data\":{\"material_url_list\":"
			       "[{\"link_info_dto\":{\"cps_short_url\":\"https://s.click.taobao.com/c\","
			       "\"coupon_short_url\":\"https://s.click.taobao.com/q\",\"coupon_long_url\":"
			       "\"https://uland.taobao.com/q\",\"coupon_short_tpwd\":\"￥Q1￥\","
			       "\"cps_short_tpwd\":\"￥C1￥\"}}]}}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.short_url, "https://s.click.taobao.com/q");
	assert_string_equal(res.long_url, "https://uland.taobao.com/q");
	assert_string_equal(res.tpwd, "￥Q1￥");
	/* one material refused inside a successful reply */
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"tbk_dg_general_link_convert_response\":{\"data\":{\"item_url_list\":"
			       "[{\"code\":2,\"msg\":\"商品不在推广中\",\"input_item_id\":\"9\"}]}}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.refused);
	assert_string_equal(res.code, "2");
	assert_non_null(strstr(err.msg, "商品不在推广中"));
	/* links at the entry's top level are not where Taobao puts them */
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"tbk_dg_general_link_convert_response\":{\"data\":{\"item_url_list\":"
			       "[{\"cps_short_url\":\"https://s.click.taobao.com/c\"}]}}}",
			       &res, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "data.item_url_list[0].link_info_dto");

	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"error_response\":{\"code\":15,\"msg\":\"Remote service error\","
			       "\"sub_code\":\"isv.item-not-exist\",\"sub_msg\":\"商品不存在\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_string_equal(res.code, "15/isv.item-not-exist");
	assert_false(res.transient);
	assert_non_null(strstr(err.msg, "Taobao refused the conversion: error 15/isv.item-not-exist: "
					"Remote service error: 商品不存在"));
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"error_response\":{\"code\":11,\"msg\":\"Insufficient isv permissions\","
			       "\"sub_code\":\"isv.permission-api-package-limit\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_false(res.transient);
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"error_response\":{\"code\":7,\"msg\":\"App Call Limited\"}}", &res, &err),
			 TK_EINVAL);
	assert_true(res.rate_limited);
	assert_true(res.transient);
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"error_response\":{\"code\":15,\"msg\":\"Remote service error\","
			       "\"sub_code\":\"isp.top-remote-connection-timeout\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.transient);
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_LINK,
			       "{\"tbk_dg_general_link_convert_response\":{\"data\":{}}}", &res, &err),
			 TK_EINVAL);
	assert_false(res.refused);

	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_TPWD,
			       "{\"tbk_tpwd_create_response\":{\"data\":{\"model\":\"￥AbC￥ 好物\","
			       "\"password_simple\":\"￥AbC￥\"}}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.tpwd, "￥AbC￥");
	assert_int_equal(parse(SYNC_TAOBAO, CONVERT_TPWD,
			       "{\"tbk_tpwd_create_response\":{\"data\":{\"model\":\"￥XyZ￥\"}}}", &res,
			       &err),
			 TK_OK);
	assert_string_equal(res.tpwd, "￥XyZ￥");
}

static void test_pdd_replies(void **state)
{
	(void)state;
	struct convert_result res;
	struct tk_error err;
	assert_int_equal(parse(SYNC_PDD, CONVERT_LINK,
			       "{\"goods_promotion_url_generate_response\":{\"goods_promotion_url_list\":"
			       "[{\"short_url\":\"https://p.pinduoduo.com/s\",\"mobile_short_url\":"
			       "\"https://mobile.yangkeduo.com/s/m\",\"url\":\"https://mobile.yangkeduo.com/l\","
			       "\"mobile_url\":\"https://mobile.yangkeduo.com/app\",\"we_app_info\":{}}]}}",
			       &res, &err),
			 TK_OK);
	assert_string_equal(res.short_url, "https://p.pinduoduo.com/s");
	assert_string_equal(res.mobile_short_url, "https://mobile.yangkeduo.com/s/m");
	assert_string_equal(res.long_url, "https://mobile.yangkeduo.com/l");

	assert_int_equal(parse(SYNC_PDD, CONVERT_LINK,
			       "{\"error_response\":{\"error_code\":60002,\"error_msg\":\"该推广位未备案\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_string_equal(res.code, "60002");
	assert_false(res.transient);
	assert_non_null(strstr(err.msg, "Pinduoduo refused the conversion: error 60002: 该推广位未备案"));
	assert_int_equal(parse(SYNC_PDD, CONVERT_LINK,
			       "{\"error_response\":{\"error_code\":70031,\"error_msg\":\"调用已超限\"}}",
			       &res, &err),
			 TK_EINVAL);
	assert_true(res.rate_limited);
	assert_true(res.transient);
	assert_int_equal(parse(SYNC_PDD, CONVERT_LINK,
			       "{\"goods_promotion_url_generate_response\":{\"goods_promotion_url_list\":[]}}",
			       &res, &err),
			 TK_EINVAL);
	assert_false(res.refused);
}

/* The one mapping of a member's tags onto a request: its union's kinds
 * only, the first of a kind kept, and the tag the union will see. */
static void test_tags_onto_request(void **state)
{
	(void)state;
	struct convert_req r = {.u = SYNC_JD};
	assert_true(convert_take_tag(&r, "taobao", "relation_id", "77"));
	assert_string_equal(convert_main_tag(&r), "");
	convert_take_tag(&r, "jd", "positionId", "300");
	assert_string_equal(convert_main_tag(&r), "300");
	convert_take_tag(&r, "jd", "subUnionId", "a1");
	convert_take_tag(&r, "jd", "subUnionId", "b2"); /* the first of a kind wins */
	convert_take_tag(&r, "jd", "unknownKind", "x");
	assert_string_equal(r.sub_union_id, "a1");
	assert_string_equal(convert_main_tag(&r), "a1");
	assert_string_equal(r.relation_id, "");

	struct convert_req t = {.u = SYNC_TAOBAO};
	convert_take_tag(&t, "taobao", "adzone_id", "555");
	assert_string_equal(convert_main_tag(&t), ""); /* an adzone names no member */
	convert_take_tag(&t, "taobao", "special_id", "9");
	assert_string_equal(convert_main_tag(&t), "9");
	assert_string_equal(t.adzone_id, "555");

	struct convert_req p = {.u = SYNC_PDD};
	convert_take_tag(&p, "pdd", "p_id", "1_2");
	convert_take_tag(&p, "jd", "uid", "no");
	assert_string_equal(convert_main_tag(&p), "");
	convert_take_tag(&p, "pdd", "uid", "m7");
	assert_string_equal(convert_main_tag(&p), "m7");
	assert_string_equal(p.pid, "1_2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jd_request),     cmocka_unit_test(test_taobao_request),
		cmocka_unit_test(test_pdd_request),    cmocka_unit_test(test_check_refuses),
		cmocka_unit_test(test_jd_replies),     cmocka_unit_test(test_taobao_replies),
		cmocka_unit_test(test_pdd_replies),    cmocka_unit_test(test_tags_onto_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

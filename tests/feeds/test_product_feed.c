/* test_product_feed.c — the unions' product replies without the network:
 * each union's request parameters, and each documented reply shape (the
 * fields of JD's JFGoodsResp, Taobao's material.optional map_data and
 * Pinduoduo's goods_search goods_list) read into catalog products with
 * money and rates converted exactly; rows that cannot be read, and every
 * error shape with the union's code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feeds/convert.h"
#include "feeds/product_feed.h"
#include "union_fixture.h"

static struct sync_conf conf;

static void setup_conf(void)
{
	union_fixture_conf(&conf);
}

static enum tk_rc parse(enum product_api u, const char *body, struct product_page *pg)
{
	struct tk_error err = {0};
	return product_feed_parse(u, body, strlen(body), pg, &err);
}

static void test_requests(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	assert_int_equal(product_feed_build(&conf, PRODUCT_JD_JINGFEN, "22", 2, "", &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "jd.union.open.goods.jingfen.query");
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"goodsReq\":{\"eliteId\":22,\"pageIndex\":2,\"pageSize\":50}}");
	assert_int_equal(product_feed_build(&conf, PRODUCT_JD_JINGFEN, "x1", 1, "", &p, &err), TK_EINVAL);

	assert_int_equal(product_feed_build(&conf, PRODUCT_TAOBAO_SEARCH, "洗发水", 3, "", &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "taobao.tbk.dg.material.optional");
	assert_string_equal(sync_params_get(&p, "adzone_id"), "33");
	assert_string_equal(sync_params_get(&p, "q"), "洗发水");
	assert_string_equal(sync_params_get(&p, "page_no"), "3");
	conf.u[SYNC_TAOBAO].pid[0] = '\0';
	assert_int_equal(product_feed_build(&conf, PRODUCT_TAOBAO_SEARCH, "q", 1, "", &p, &err), TK_EINVAL);
	assert_string_equal(err.field, "taobao.pid");

	assert_int_equal(product_feed_build(&conf, PRODUCT_PDD_SEARCH, "", 2, "L1", &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "type"), "pdd.ddk.goods.search");
	assert_null(sync_params_get(&p, "keyword"));
	assert_string_equal(sync_params_get(&p, "list_id"), "L1");
	assert_string_equal(sync_params_get(&p, "pid"), "1001_2002");
}

static const char jd_ok[] =
	"{\"jd_union_open_goods_jingfen_query_responce\":{\"code\":\"0\",\"queryResult\":"
	"\"{\\\"code\\\":200,\\\"message\\\":\\\"success\\\",\\\"totalCount\\\":120,\\\"data\\\":["
	"{\\\"skuId\\\":100012043978,\\\"skuName\\\":\\\"海飞丝去屑洗发水 400ml\\\","
	"\\\"priceInfo\\\":{\\\"price\\\":59.9,\\\"lowestPrice\\\":49.9},"
	"\\\"commissionInfo\\\":{\\\"commission\\\":11.98,\\\"commissionShare\\\":20.55},"
	"\\\"couponInfo\\\":{\\\"couponList\\\":[{\\\"discount\\\":5,\\\"quota\\\":0,\\\"isBest\\\":0,"
	"\\\"link\\\":\\\"https://coupon.m.jd.com/a\\\",\\\"useStartTime\\\":1762704000000,"
	"\\\"useEndTime\\\":1762963199000},{\\\"discount\\\":10.0,\\\"quota\\\":59,\\\"isBest\\\":1,"
	"\\\"link\\\":\\\"//coupon.m.jd.com/b\\\",\\\"useStartTime\\\":1762704000000,"
	"\\\"useEndTime\\\":1762963199999}]},"
	"\\\"inOrderCount30Days\\\":12000,\\\"shopInfo\\\":{\\\"shopName\\\":\\\"海飞丝京东自营\\\"},"
	"\\\"categoryInfo\\\":{\\\"cid1Name\\\":\\\"美妆护肤\\\"},\\\"brandName\\\":\\\"海飞丝\\\","
	"\\\"imageInfo\\\":{\\\"imageList\\\":[{\\\"url\\\":\\\"https://img14.360buyimg.com/n1/a.jpg\\\"}]},"
	"\\\"materialUrl\\\":\\\"item.jd.com/100012043978.html\\\"},"
	"{\\\"skuId\\\":2,\\\"skuName\\\":\\\"bad price\\\",\\\"priceInfo\\\":{\\\"price\\\":1.005},"
	"\\\"commissionInfo\\\":{\\\"commissionShare\\\":1}}]}\"}}";

static void test_jd_reply(void **state)
{
	(void)state;
	struct product_page pg;
	assert_int_equal(parse(PRODUCT_JD_JINGFEN, jd_ok, &pg), TK_OK);
	assert_int_equal(pg.n, 1);
	assert_int_equal(pg.total, 120);
	assert_int_equal(pg.rejected, 1); /* 1.005 yuan is not whole fen */
	assert_string_equal(pg.first_reject.field, "data[1].priceInfo.price");
	const struct catalog_product *p = &pg.v[0];
	assert_string_equal(p->union_, "jd");
	assert_string_equal(p->product, "100012043978");
	assert_int_equal(p->price, 5990);          /* 59.9 yuan */
	assert_int_equal(p->commission_bps, 2055); /* 20.55% */
	assert_int_equal(p->coupon, 1000);         /* the one marked best */
	assert_int_equal(p->coupon_min, 5900);
	assert_int_equal(p->coupon_start, 1762704000);
	assert_int_equal(p->coupon_end, 1762963199);
	assert_string_equal(p->coupon_url, "https://coupon.m.jd.com/b");
	assert_int_equal(p->sales, 12000);
	assert_string_equal(p->shop, "海飞丝京东自营");
	assert_string_equal(p->category, "美妆护肤");
	assert_string_equal(p->brand, "海飞丝");
	assert_string_equal(p->url, "https://item.jd.com/100012043978.html");
	product_page_free(&pg);

	/* errors: the gateway's, the query's, rate limits are transient */
	assert_int_equal(parse(PRODUCT_JD_JINGFEN, "{\"error_response\":{\"code\":\"19\",\"zh_desc\":\"无效签名\"}}",
			       &pg), TK_EINVAL);
	assert_true(pg.refusal.refused);
	assert_false(pg.refusal.transient);
	assert_string_equal(pg.refusal.code, "19");
	assert_int_equal(parse(PRODUCT_JD_JINGFEN, "{\"jd_union_open_goods_jingfen_query_responce\":{\"code\":\"0\","
				"\"queryResult\":\"{\\\"code\\\":429,\\\"message\\\":\\\"请求频率过快\\\"}\"}}",
			       &pg), TK_EINVAL);
	assert_true(pg.refusal.rate_limited);
	assert_true(pg.refusal.transient);
	assert_int_equal(parse(PRODUCT_JD_JINGFEN, "{\"cut off", &pg), TK_EINVAL);
	assert_true(pg.refusal.transient);
	assert_false(pg.refusal.refused);
}

static void test_taobao_reply(void **state)
{
	(void)state;
	struct product_page pg;
	struct tk_error err = {0};
	const char *ok =
		"{\"tbk_dg_material_optional_response\":{\"total_results\":2,\"result_list\":{\"map_data\":["
		"{\"item_id\":652011223344,\"title\":\"清扬男士去屑洗发水\",\"zk_final_price\":\"49.90\","
		"\"reserve_price\":\"69.00\",\"commission_rate\":\"1550\",\"volume\":9000,"
		"\"coupon_amount\":\"5\",\"coupon_start_fee\":\"49\",\"coupon_start_time\":\"2026-11-09\","
		"\"coupon_end_time\":\"2026-11-11\",\"coupon_share_url\":\"//uland.taobao.com/c\","
		"\"shop_title\":\"清扬官方旗舰店\",\"level_one_category_name\":\"美妆个护\","
		"\"pict_url\":\"//img.alicdn.com/a.jpg\",\"url\":\"//s.click.taobao.com/t\"},"
		"{\"item_id\":\"7\",\"title\":\"percent, not bps\",\"zk_final_price\":\"9.90\","
		"\"commission_rate\":\"15.5\"}]},\"request_id\":\"r\"}}";
	assert_int_equal(product_feed_parse(PRODUCT_TAOBAO_SEARCH, ok, strlen(ok), &pg, &err), TK_OK);
	assert_int_equal(pg.n, 1);
	assert_int_equal(pg.rejected, 1);
	assert_string_equal(pg.first_reject.field, "map_data[1].commission_rate");
	const struct catalog_product *p = &pg.v[0];
	assert_string_equal(p->product, "652011223344");
	assert_int_equal(p->price, 4990);
	assert_int_equal(p->commission_bps, 1550);
	assert_int_equal(p->coupon, 500);
	assert_int_equal(p->coupon_min, 4900);
	assert_int_equal(p->coupon_start, 1794153600); /* 2026-11-09 00:00 Beijing */
	assert_int_equal(p->coupon_end, 1794412799);   /* 2026-11-11 23:59:59 Beijing */
	assert_string_equal(p->coupon_url, "https://uland.taobao.com/c");
	assert_string_equal(p->image, "https://img.alicdn.com/a.jpg");
	assert_string_equal(p->category, "美妆个护");
	product_page_free(&pg);

	const char *limited = "{\"error_response\":{\"code\":7,\"msg\":\"App Call Limited\","
			      "\"sub_code\":\"accesscontrol.limited-by-app-access-count\"}}";
	assert_int_equal(product_feed_parse(PRODUCT_TAOBAO_SEARCH, limited, strlen(limited), &pg, &err),
			 TK_EINVAL);
	assert_true(pg.refusal.rate_limited);
	assert_string_equal(pg.refusal.code, "7/accesscontrol.limited-by-app-access-count");
	assert_non_null(strstr(err.msg, "Taobao refused the product query: error 7/"));
}

static void test_pdd_reply(void **state)
{
	(void)state;
	struct product_page pg;
	const char *ok =
		"{\"goods_search_response\":{\"total_count\":300,\"list_id\":\"L9\",\"search_id\":\"s\","
		"\"goods_list\":[{\"goods_id\":3345678,\"goods_sign\":\"E9x\",\"goods_name\":\"抽纸 24包\","
		"\"min_group_price\":2990,\"min_normal_price\":3490,\"promotion_rate\":235,"
		"\"sales_tip\":\"1.2万+\",\"has_coupon\":true,\"coupon_discount\":300,"
		"\"coupon_min_order_amount\":2000,\"coupon_start_time\":1762704000,"
		"\"coupon_end_time\":1762963199,\"mall_name\":\"维达旗舰店\",\"category_name\":\"日用百货\","
		"\"goods_image_url\":\"https://img.pddpic.com/a.jpg\"},"
		"{\"goods_sign\":\"E9only\",\"goods_name\":\"sign only\",\"min_group_price\":100,"
		"\"promotion_rate\":10,\"has_coupon\":false,\"coupon_discount\":50},"
		"{\"goods_id\":5,\"goods_name\":\"rate over 100%\",\"min_group_price\":100,"
		"\"promotion_rate\":1001}]}}";
	assert_int_equal(parse(PRODUCT_PDD_SEARCH, ok, &pg), TK_OK);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.rejected, 1);
	assert_string_equal(pg.list_id, "L9");
	const struct catalog_product *p = &pg.v[0];
	assert_string_equal(p->product, "3345678");
	assert_int_equal(p->price, 2990);
	assert_int_equal(p->commission_bps, 2350); /* 235 per mille */
	assert_int_equal(p->sales, 12000);
	assert_int_equal(p->coupon, 300);
	assert_int_equal(p->coupon_min, 2000);
	assert_int_equal(p->coupon_end, 1762963199);
	assert_string_equal(p->url, "https://mobile.yangkeduo.com/goods.html?goods_id=3345678");
	assert_string_equal(pg.v[1].product, "E9only");
	assert_int_equal(pg.v[1].coupon, 0); /* has_coupon false */
	product_page_free(&pg);

	assert_int_equal(parse(PRODUCT_PDD_SEARCH, "{\"error_response\":{\"error_code\":70031,"
				"\"error_msg\":\"调用已超限\"}}", &pg), TK_EINVAL);
	assert_true(pg.refusal.rate_limited);
	assert_string_equal(pg.refusal.code, "70031");
}

/* jd.union.open.goods.query: goodsReqDTO with a keyword or a category,
 * never an eliteId; pdd.ddk.goods.recommend.get: channel_type, limit,
 * offset in whole pages, list_id after the first page. */
static void test_more_requests(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	setup_conf();
	assert_int_equal(product_feed_build(&conf, PRODUCT_JD_QUERY, "手机", 2, "", &p, &err), TK_OK);
	assert_string_equal(sync_params_get(&p, "method"), "jd.union.open.goods.query");
	assert_string_equal(sync_params_get(&p, "v"), "1.0");
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"goodsReqDTO\":{\"keyword\":\"手机\",\"pageIndex\":2,\"pageSize\":50}}");
	assert_int_equal(product_feed_build(&conf, PRODUCT_JD_QUERY, "cid3:655", 1, "", &p, &err),
			 TK_OK);
	assert_string_equal(sync_params_get(&p, "360buy_param_json"),
			    "{\"goodsReqDTO\":{\"cid3\":655,\"pageIndex\":1,\"pageSize\":50}}");
	assert_int_equal(product_feed_build(&conf, PRODUCT_JD_QUERY, "cid3:x", 1, "", &p, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "jd.product_queries");
	assert_int_equal(product_feed_build(&conf, PRODUCT_JD_QUERY, "", 1, "", &p, &err), TK_EINVAL);

	conf.u[SYNC_PDD].product_page_size = 20;
	assert_int_equal(product_feed_build(&conf, PRODUCT_PDD_RECOMMEND, "5", 3, "ch5", &p, &err),
			 TK_OK);
	assert_string_equal(sync_params_get(&p, "type"), "pdd.ddk.goods.recommend.get");
	assert_string_equal(sync_params_get(&p, "channel_type"), "5");
	assert_string_equal(sync_params_get(&p, "limit"), "20");
	assert_string_equal(sync_params_get(&p, "offset"), "40");
	assert_string_equal(sync_params_get(&p, "list_id"), "ch5");
	assert_string_equal(sync_params_get(&p, "pid"), "1001_2002");
	assert_null(sync_params_get(&p, "page"));
	assert_null(sync_params_get(&p, "keyword"));
	assert_int_equal(product_feed_build(&conf, PRODUCT_PDD_RECOMMEND, "0", 1, "ch5", &p, &err),
			 TK_OK);
	assert_string_equal(sync_params_get(&p, "offset"), "0");
	assert_null(sync_params_get(&p, "list_id")); /* the first page starts a list */
	assert_int_equal(product_feed_build(&conf, PRODUCT_PDD_RECOMMEND, "3", 1, "", &p, &err),
			 TK_EINVAL);
	assert_string_equal(err.field, "pdd.product_channels");
	assert_int_equal(product_api_union(PRODUCT_JD_QUERY), SYNC_JD);
	assert_int_equal(product_api_union(PRODUCT_PDD_RECOMMEND), SYNC_PDD);
}

/* goods.query answers in its own envelope with the jingfen goods fields;
 * goods.recommend.get in goods_basic_detail_response with list and total. */
static void test_more_replies(void **state)
{
	(void)state;
	struct product_page pg;
	const char *jd =
		"{\"jd_union_open_goods_query_responce\":{\"code\":\"0\",\"queryResult\":"
		"\"{\\\"code\\\":200,\\\"message\\\":\\\"success\\\",\\\"totalCount\\\":51,\\\"data\\\":["
		"{\\\"skuId\\\":100000000037,\\\"skuName\\\":\\\"Redmi Note13\\\","
		"\\\"priceInfo\\\":{\\\"price\\\":1899},\\\"commissionInfo\\\":{\\\"commissionShare\\\":1.5},"
		"\\\"inOrderCount30Days\\\":3500,\\\"categoryInfo\\\":{\\\"cid1Name\\\":\\\"手机通讯\\\"},"
		"\\\"materialUrl\\\":\\\"item.jd.com/100000000037.html\\\"}]}\"}}";
	assert_int_equal(parse(PRODUCT_JD_QUERY, jd, &pg), TK_OK);
	assert_int_equal(pg.n, 1);
	assert_int_equal(pg.total, 51);
	assert_string_equal(pg.v[0].product, "100000000037");
	assert_int_equal(pg.v[0].price, 189900);
	assert_int_equal(pg.v[0].commission_bps, 150);
	assert_string_equal(pg.v[0].category, "手机通讯");
	product_page_free(&pg);

	const char *pdd =
		"{\"goods_basic_detail_response\":{\"total\":41,\"list_id\":\"ch1\",\"search_id\":\"s\","
		"\"list\":[{\"goods_sign\":\"E9_rec\",\"goods_name\":\"洗衣凝珠\",\"min_group_price\":1990,"
		"\"promotion_rate\":50,\"sales_tip\":\"10万+\",\"has_coupon\":true,\"coupon_discount\":200,"
		"\"coupon_min_order_amount\":1500,\"coupon_start_time\":1762704000,"
		"\"coupon_end_time\":1762963199,\"mall_name\":\"立白旗舰店\",\"opt_name\":\"洗护\","
		"\"goods_image_url\":\"https://img.pddpic.com/r.jpg\"}]}}";
	assert_int_equal(parse(PRODUCT_PDD_RECOMMEND, pdd, &pg), TK_OK);
	assert_int_equal(pg.n, 1);
	assert_int_equal(pg.total, 41);
	assert_string_equal(pg.list_id, "ch1");
	const struct catalog_product *p = &pg.v[0];
	assert_string_equal(p->product, "E9_rec");
	assert_int_equal(p->price, 1990);
	assert_int_equal(p->commission_bps, 500); /* 50 per mille */
	assert_int_equal(p->sales, 100000);
	assert_int_equal(p->coupon, 200);
	assert_int_equal(p->coupon_min, 1500);
	assert_string_equal(p->shop, "立白旗舰店");
	assert_string_equal(p->category, "洗护");
	product_page_free(&pg);
	/* the search's envelope is not the recommendation's */
	assert_int_equal(parse(PRODUCT_PDD_RECOMMEND,
			       "{\"goods_search_response\":{\"goods_list\":[]}}", &pg), TK_EINVAL);
	assert_int_equal(parse(PRODUCT_PDD_SEARCH, pdd, &pg), TK_EINVAL);
}

/* A union's refusal reads the same in the product feeds as in conversion:
 * one reader, only what was refused differs. */
static void test_one_refusal_reader(void **state)
{
	(void)state;
	static const struct {
		enum product_api a;
		const char *body, *said, *code;
		bool transient;
	} cases[] = {
		{PRODUCT_JD_QUERY, "{\"error_response\":{\"code\":\"19\",\"zh_desc\":\"无效签名\"}}",
		 "JD refused the product query: error 19: 无效签名", "19", false},
		{PRODUCT_TAOBAO_SEARCH,
		 "{\"error_response\":{\"code\":15,\"msg\":\"Remote service error\","
		 "\"sub_code\":\"isp.top-remote-unknown-error\",\"sub_msg\":\"稍后再试\"}}",
		 "Taobao refused the product query: error 15/isp.top-remote-unknown-error: "
		 "Remote service error: 稍后再试", "15/isp.top-remote-unknown-error", true},
		{PRODUCT_PDD_RECOMMEND,
		 "{\"error_response\":{\"error_code\":20004,\"error_msg\":\"签名错误\"}}",
		 "Pinduoduo refused the product query: error 20004: 签名错误", "20004", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct product_page pg;
		struct convert_result res;
		struct tk_error err = {0}, cerr = {0};
		enum sync_union u = product_api_union(cases[i].a);
		const char *body = cases[i].body;
		assert_int_equal(product_feed_parse(cases[i].a, body, strlen(body), &pg, &err),
				 TK_EINVAL);
		assert_string_equal(err.msg, cases[i].said);
		assert_string_equal(err.field, sync_union_name(u));
		assert_true(pg.refusal.refused);
		assert_string_equal(pg.refusal.code, cases[i].code);
		assert_int_equal(pg.refusal.transient, cases[i].transient);

		json_t *doc = json_loads(body, 0, NULL);
		memset(&res, 0, sizeof(res));
		assert_int_equal(convert_union_error(u, doc, "the product query", &res, &cerr),
				 TK_EINVAL);
		json_decref(doc);
		assert_string_equal(cerr.msg, err.msg);
		assert_string_equal(res.code, pg.refusal.code);
		assert_int_equal(res.transient, pg.refusal.transient);
	}
}

static void test_sales_tip(void **state)
{
	(void)state;
	int64_t n = -1;
	assert_true(product_feed_sales_tip("1234", &n));
	assert_int_equal(n, 1234);
	assert_true(product_feed_sales_tip("10万+", &n));
	assert_int_equal(n, 100000);
	assert_true(product_feed_sales_tip("1.2万+", &n));
	assert_int_equal(n, 12000);
	assert_true(product_feed_sales_tip("3亿", &n));
	assert_int_equal(n, 300000000);
	assert_false(product_feed_sales_tip("热销", &n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),     cmocka_unit_test(test_jd_reply),
		cmocka_unit_test(test_taobao_reply), cmocka_unit_test(test_pdd_reply),
		cmocka_unit_test(test_sales_tip),    cmocka_unit_test(test_more_requests),
		cmocka_unit_test(test_more_replies), cmocka_unit_test(test_one_refusal_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_catalog_product.c — reading product records: every field, the
 * errors that name field and value, limits, and the derived prices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_product.h"
#include "core/tktime.h"

static const char full[] =
	"{\"union\":\"jd\",\"product\":\"100012345678\",\"title\":\"海飞丝去屑洗发水 400ml\","
	"\"category\":\"美妆个护\",\"brand\":\"海飞丝\",\"shop\":\"海飞丝京东自营旗舰店\","
	"\"price\":5990,\"coupon\":1000,\"coupon_min\":5000,"
	"\"coupon_start\":\"2026-11-01T00:00:00+08:00\",\"coupon_end\":\"2026-11-30T23:59:59+08:00\","
	"\"commission_bps\":2000,\"sales\":12000,\"image\":\"https://img.example.com/a.jpg\","
	"\"url\":\"https://item.jd.com/100012345678.html\"}";

static int64_t at(const char *iso)
{
	int64_t t;
	assert_true(tktime_parse_iso8601(iso, &t));
	return t;
}

static void test_parse_full(void **state)
{
	(void)state;
	struct catalog_product p;
	struct tk_error err = {0};
	assert_int_equal(catalog_product_parse(full, strlen(full), &p, &err), TK_OK);
	assert_string_equal(p.union_, "jd");
	assert_string_equal(p.product, "100012345678");
	assert_string_equal(p.title, "海飞丝去屑洗发水 400ml");
	assert_string_equal(p.category, "美妆个护");
	assert_int_equal(p.price, 5990);
	assert_int_equal(p.coupon, 1000);
	assert_int_equal(p.coupon_min, 5000);
	assert_int_equal(p.coupon_start, at("2026-11-01T00:00:00+08:00"));
	assert_int_equal(p.coupon_end, at("2026-11-30T23:59:59+08:00"));
	assert_int_equal(p.commission_bps, 2000);
	assert_int_equal(p.sales, 12000);

	/* the coupon applies inside its window only, both ends included */
	int64_t mid = at("2026-11-15T12:00:00+08:00");
	assert_true(catalog_coupon_valid(&p, mid));
	assert_int_equal(catalog_final_price(&p, mid), 4990);
	assert_int_equal(catalog_commission_per_unit(&p, mid), 998); /* 4990 * 20% */
	assert_true(catalog_coupon_valid(&p, p.coupon_start));
	assert_true(catalog_coupon_valid(&p, p.coupon_end));
	assert_false(catalog_coupon_valid(&p, p.coupon_end + 1));
	assert_int_equal(catalog_final_price(&p, p.coupon_end + 1), 5990);
	assert_int_equal(catalog_commission_per_unit(&p, p.coupon_end + 1), 1198);
	/* below the threshold it does not apply */
	p.coupon_min = 6000;
	assert_false(catalog_coupon_valid(&p, mid));
}

static void test_parse_minimal(void **state)
{
	(void)state;
	const char *line = "{\"union\":\"pdd\",\"product\":\"3001\",\"title\":\"抽纸\","
			   "\"price\":990,\"commission_bps\":0,\"brand\":null}";
	struct catalog_product p;
	struct tk_error err = {0};
	assert_int_equal(catalog_product_parse(line, strlen(line), &p, &err), TK_OK);
	assert_int_equal(p.coupon, 0);
	assert_string_equal(p.brand, "");
	assert_int_equal(catalog_final_price(&p, 0), 990);
	assert_int_equal(catalog_commission_per_unit(&p, 0), 0);
}

/* Replaces the first occurrence of `from` in the full record. */
static enum tk_rc parse_with(const char *from, const char *to, struct tk_error *err)
{
	char line[4096];
	const char *at_ = strstr(full, from);
	assert_non_null(at_);
	int n = snprintf(line, sizeof(line), "%.*s%s%s", (int)(at_ - full), full, to,
			 at_ + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof(line));
	struct catalog_product p;
	tk_error_clear(err);
	return catalog_product_parse(line, (size_t)n, &p, err);
}

static void bad(const char *from, const char *to, const char *field, const char *in_msg)
{
	struct tk_error err;
	enum tk_rc rc = parse_with(from, to, &err);
	assert_true(rc == TK_EINVAL || rc == TK_ELIMIT);
	assert_string_equal(err.field, field);
	if (in_msg && !strstr(err.msg, in_msg))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, in_msg);
}

static void test_errors_name_field_and_value(void **state)
{
	(void)state;
	bad("\"price\":5990", "\"price\":59.9", "price", "59.9");
	bad("\"price\":5990", "\"price\":\"59.90\"", "price", "fen");
	bad("\"price\":5990", "\"price\":-1", "price", "-1");
	bad("\"union\":\"jd\"", "\"union\":\"amazon\"", "union", "amazon");
	bad("\"commission_bps\":2000", "\"commission_bps\":12000", "commission_bps", "12000");
	bad("\"commission_bps\":2000", "\"commission_bps\":20.5", "commission_bps", "20.5");
	bad("\"2026-11-01T00:00:00+08:00\"", "\"2026-11-01 00:00:00\"", "coupon_start",
	    "2026-11-01 00:00:00");
	bad("\"2026-11-30T23:59:59+08:00\"", "\"2026-10-01T00:00:00+08:00\"", "coupon_end",
	    "before");
	bad("\"coupon\":1000", "\"coupon\":9000", "coupon", "90.00");
	bad("\"https://item.jd.com/100012345678.html\"", "\"javascript:alert(1)\"", "url",
	    "javascript");
	bad("\"title\":\"海飞丝去屑洗发水 400ml\"", "\"title\":\"\"", "title", "empty");
	bad("\"title\":\"海飞丝去屑洗发水 400ml\"", "\"title\":\"a\\nb\"", "title", "control");
	bad("\"sales\":12000", "\"sales\":-5", "sales", "-5");
	bad("\"product\":\"100012345678\"", "\"product\":\"1 2\"", "product", "spaces");
	/* required fields */
	bad("\"commission_bps\":2000,", "", "commission_bps", "required");
	/* unknown fields are refused, naming them */
	struct tk_error err;
	assert_int_equal(parse_with("\"sales\":12000", "\"sales\":12000,\"comission_bps\":1", &err),
			 TK_EINVAL);
	assert_non_null(strstr(err.msg, "comission_bps"));
	/* a coupon that never applies may exceed the price */
	assert_int_equal(parse_with("\"coupon\":1000,\"coupon_min\":5000",
				    "\"coupon\":9000,\"coupon_min\":10000", &err), TK_OK);
}

static void test_limits(void **state)
{
	(void)state;
	char title[700];
	memset(title, 'x', 600);
	title[600] = '\0';
	char to[800];
	snprintf(to, sizeof(to), "\"title\":\"%s\"", title);
	struct tk_error err;
	assert_int_equal(parse_with("\"title\":\"海飞丝去屑洗发水 400ml\"", to, &err), TK_ELIMIT);
	assert_string_equal(err.field, "title");
	assert_non_null(strstr(err.msg, "511"));

	struct catalog_product p;
	assert_int_equal(catalog_product_parse("[1,2]", 5, &p, &err), TK_EINVAL);
	assert_int_equal(catalog_product_parse("{\"union\":", 9, &p, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "JSON"));
	/* duplicate keys are refused */
	const char *dup = "{\"union\":\"jd\",\"union\":\"pdd\",\"product\":\"1\",\"title\":\"t\","
			  "\"price\":1,\"commission_bps\":1}";
	assert_int_equal(catalog_product_parse(dup, strlen(dup), &p, &err), TK_EINVAL);
}

static void test_popularity_key(void **state)
{
	(void)state;
	int prev = -1;
	for (int64_t s = 0; s < 100000; s += 7) {
		int k = catalog_popularity_key(s);
		assert_true(k >= prev);
		assert_true(k < 512);
		prev = k;
	}
	assert_true(catalog_popularity_key(INT64_C(1000000000000)) < 512);
	assert_true(catalog_popularity_key(10000) > catalog_popularity_key(5000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_minimal),
		cmocka_unit_test(test_errors_name_field_and_value),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_popularity_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

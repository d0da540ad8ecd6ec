/* test_sync_params.c — the pure parts of sync: parameters sorted, signed
 * (a vector computed independently with Python's hashlib) and encoded; the
 * configuration read from a file and the environment, with limits checked
 * and secrets never echoed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "feeds/sync_config.h"
#include "feeds/sync_params.h"

static void test_sign_vector(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	char hex[SYNC_SIGN_HEX];
	sync_params_init(&p);
	/* set out of order: signing sorts by name */
	assert_int_equal(sync_params_set(&p, "v", "1.0", &err), TK_OK);
	assert_int_equal(sync_params_set(&p, "timestamp", "2026-10-01 10:00:00", &err), TK_OK);
	assert_int_equal(sync_params_set(&p, "method", "jd.union.open.order.row.query", &err), TK_OK);
	assert_int_equal(sync_params_set(&p, "app_key", "k1", &err), TK_OK);
	assert_int_equal(sync_params_set(&p, "format", "json", &err), TK_OK);
	assert_int_equal(sync_params_set(&p, "sign_method", "md5", &err), TK_OK);
	assert_int_equal(sync_params_set(&p, "360buy_param_json", "{\"orderReq\":{\"pageIndex\":1}}",
					 &err),
			 TK_OK);
	assert_string_equal(p.v[0].name, "360buy_param_json");
	assert_string_equal(p.v[p.n - 1].name, "v");
	assert_int_equal(sync_params_sign(&p, "s3cr3t", hex, &err), TK_OK);
	assert_string_equal(hex, "D4E2A0A5E96917B2336D6E3B8C6C5A77");
	/* the sign parameter itself is left out of the signature */
	assert_int_equal(sync_params_set(&p, "sign", hex, &err), TK_OK);
	char again[SYNC_SIGN_HEX];
	assert_int_equal(sync_params_sign(&p, "s3cr3t", again, &err), TK_OK);
	assert_string_equal(again, hex);
	/* replacing a value keeps one parameter */
	int n = p.n;
	assert_int_equal(sync_params_set(&p, "v", "2.0", &err), TK_OK);
	assert_int_equal(p.n, n);
	assert_string_equal(sync_params_get(&p, "v"), "2.0");
}

static void test_encode(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	char buf[256], small[12];
	sync_params_init(&p);
	sync_params_set(&p, "start_time", "2026-10-01 10:00:00", &err);
	sync_params_set(&p, "q", "{\"a\":\"京\"}&=+", &err);
	assert_int_equal(sync_params_encode(&p, buf, sizeof(buf), &err), TK_OK);
	assert_string_equal(buf, "q=%7B%22a%22%3A%22%E4%BA%AC%22%7D%26%3D%2B"
				 "&start_time=2026-10-01%2010%3A00%3A00");
	assert_int_equal(sync_params_encode(&p, small, sizeof(small), &err), TK_ELIMIT);
}

static void test_limits(void **state)
{
	(void)state;
	struct sync_params p;
	struct tk_error err = {0};
	char name[8], big[SYNC_PARAM_VALUE_MAX + 1];
	sync_params_init(&p);
	for (int i = 0; i < SYNC_PARAMS_MAX; i++) {
		snprintf(name, sizeof(name), "p%02d", i);
		assert_int_equal(sync_params_set(&p, name, "x", &err), TK_OK);
	}
	assert_int_equal(sync_params_set(&p, "one_more", "x", &err), TK_ELIMIT);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(sync_params_set(&p, "p00", big, &err), TK_ELIMIT);
}

static void test_durations(void **state)
{
	(void)state;
	int64_t ms;
	assert_true(sync_duration_ms("60s", &ms) && ms == 60000);
	assert_true(sync_duration_ms("5m", &ms) && ms == 300000);
	assert_true(sync_duration_ms("1h", &ms) && ms == 3600000);
	assert_true(sync_duration_ms("250ms", &ms) && ms == 250);
	assert_true(sync_duration_ms("90", &ms) && ms == 90000);
	assert_false(sync_duration_ms("0s", &ms));
	assert_false(sync_duration_ms("-5s", &ms));
	assert_false(sync_duration_ms("5 m", &ms));
	assert_false(sync_duration_ms("m", &ms));
	assert_false(sync_duration_ms("5d", &ms));
}

static const char *write_conf(const char *text)
{
	static char path[] = "/tmp/tuike-sync-conf-XXXXXX";
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void clear_env(void)
{
	static const char *const names[] = {"TUIKE_CONFIG", "TUIKE_JD_APP_KEY", "TUIKE_JD_APP_SECRET",
					    "TUIKE_JD_WINDOW", "TUIKE_TAOBAO_WINDOW",
					    "TUIKE_SYNC_RETRIES"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unsetenv(names[i]);
}

static void test_config_file_and_env(void **state)
{
	(void)state;
	struct sync_conf c;
	struct tk_error err = {0};
	clear_env();
	const char *path = write_conf("# unions\n"
				      "jd.app_key = key-1\n"
				      "  jd.app_secret=very-secret  \n"
				      "jd.url = http://127.0.0.1:9/jd\n"
				      "\n"
				      "taobao.window = 20m\n"
				      "taobao.order_scene = 3,2,1\n"
				      "sync.retries = 3\n"
				      "sync.retry_base = 200ms\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_OK);
	assert_string_equal(c.u[SYNC_JD].app_key, "key-1");
	assert_string_equal(c.u[SYNC_JD].app_secret, "very-secret");
	assert_string_equal(c.u[SYNC_JD].url, "http://127.0.0.1:9/jd");
	assert_int_equal(c.u[SYNC_JD].window_s, 3600);
	assert_int_equal(c.u[SYNC_TAOBAO].window_s, 1200);
	assert_string_equal(c.u[SYNC_TAOBAO].order_scenes, "3,2,1");
	assert_string_equal(c.u[SYNC_PDD].url, "https://gw-api.pinduoduo.com/api/router");
	assert_int_equal(c.retries, 3);
	assert_int_equal(c.retry_base_ms, 200);
	assert_true(sync_conf_has(&c, SYNC_JD));
	assert_false(sync_conf_has(&c, SYNC_PDD));

	/* the environment wins over the file */
	setenv("TUIKE_JD_APP_SECRET", "from-env", 1);
	setenv("TUIKE_SYNC_RETRIES", "7", 1);
	assert_int_equal(sync_conf_load(path, &c, &err), TK_OK);
	assert_string_equal(c.u[SYNC_JD].app_secret, "from-env");
	assert_int_equal(c.retries, 7);

	/* limits of the unions: JD's window is at most an hour */
	setenv("TUIKE_JD_WINDOW", "2h", 1);
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	assert_string_equal(err.where, "TUIKE_JD_WINDOW");
	assert_non_null(strstr(err.msg, "3600s"));
	clear_env();
	unlink(path);
}

static void test_config_errors_never_show_secrets(void **state)
{
	(void)state;
	struct sync_conf c;
	struct tk_error err = {0};
	char text[512];
	clear_env();
	/* a secret over the length limit: the error names the key only */
	char secret[200];
	memset(secret, 'S', sizeof(secret) - 1);
	secret[sizeof(secret) - 1] = '\0';
	snprintf(text, sizeof(text), "jd.app_secret = %s\n", secret);
	const char *path = write_conf(text);
	assert_int_equal(sync_conf_load(path, &c, &err), TK_ELIMIT);
	assert_string_equal(err.field, "jd.app_secret");
	assert_null(strstr(err.msg, "SSSS"));
	assert_non_null(strstr(err.where, ":1"));
	unlink(path);

	/* an unknown key, and a line that is no setting */
	path = write_conf("jd.app_secrte = oops\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	assert_string_equal(err.field, "jd.app_secrte");
	assert_null(strstr(err.msg, "oops"));
	unlink(path);
	path = write_conf("\n\njust words\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	assert_non_null(strstr(err.where, ":3"));
	unlink(path);
	path = write_conf("pdd.order_scene = 1\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	unlink(path);
	path = write_conf("pdd.page_size = 101\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	unlink(path);
	path = write_conf("jd.url = ftp://example/x\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	unlink(path);
	assert_int_equal(sync_conf_load("/nonexistent/tuike.conf", &c, &err), TK_ENOTFOUND);
}

/* The link conversion keys: JD's site id, Taobao's three-part PID,
 * Pinduoduo's pid; each only where the union has one. */
static void test_config_conversion_keys(void **state)
{
	(void)state;
	struct sync_conf c;
	struct tk_error err = {0};
	clear_env();
	const char *path = write_conf("jd.site_id = 4100\ntaobao.pid = mm_11_22_33\n"
				      "pdd.pid = 1001_2002\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_OK);
	assert_string_equal(c.u[SYNC_JD].site_id, "4100");
	assert_string_equal(c.u[SYNC_TAOBAO].pid, "mm_11_22_33");
	assert_string_equal(c.u[SYNC_PDD].pid, "1001_2002");
	unlink(path);
	static const char *const bad[] = {
		"taobao.pid = mm_11_22\n", "taobao.pid = mm_11_22_33_\n", "taobao.pid = 11_22_33\n",
		"taobao.pid = mm_1a_2_3\n", "pdd.pid = 1 2\n", "jd.site_id = x\n", "jd.pid = 1\n",
		"pdd.site_id = 1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = write_conf(bad[i]);
		assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
		unlink(path);
	}
}

/* The product feeds' keys: JD's searches, Pinduoduo's channel types, the
 * time limit of a pull; each checked, each only where the union has it. */
static void test_config_product_keys(void **state)
{
	(void)state;
	struct sync_conf c;
	struct tk_error err = {0};
	clear_env();
	const char *path = write_conf("jd.product_queries = 手机, cid3:655\n"
				      "pdd.product_channels = 1, 5,0\n"
				      "jd.product_pull_seconds = 30\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_OK);
	assert_string_equal(c.u[SYNC_JD].product_queries, "手机, cid3:655");
	assert_string_equal(c.u[SYNC_PDD].product_channels, "1, 5,0");
	assert_int_equal(c.u[SYNC_JD].product_pull_s, 30);
	assert_int_equal(c.u[SYNC_PDD].product_pull_s, SYNC_PRODUCT_PULL_S_DEFAULT);
	assert_int_equal(SYNC_PRODUCT_PULL_S_DEFAULT, 900);
	assert_string_equal(c.u[SYNC_TAOBAO].product_queries, "");
	unlink(path);
	static const char *const bad[] = {
		"pdd.product_channels = 3\n",	  /* similar goods: needs goods ids */
		"pdd.product_channels = 9\n",	  "pdd.product_channels = 1,1\n",
		"pdd.product_channels = 1,\n",	  "pdd.product_channels = a\n",
		"jd.product_channels = 1\n",	  "taobao.product_queries = x\n",
		"jd.product_queries = a,,b\n",	  "jd.product_queries = cid3:x\n",
		"jd.product_queries = cid2:\n",  "jd.product_queries = 1,2,3,4,5,6,7,8,9\n",
		"jd.product_pull_seconds = 0\n", "pdd.product_pull_seconds = 86401\n",
		"taobao.product_pull_seconds = 10m\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = write_conf(bad[i]);
		assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
		unlink(path);
	}
	path = write_conf("pdd.product_pull_seconds = 0\n");
	assert_int_equal(sync_conf_load(path, &c, &err), TK_EINVAL);
	assert_string_equal(err.field, "pdd.product_pull_seconds");
	assert_non_null(strstr(err.msg, "1..86400 seconds"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_vector),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_config_file_and_env),
		cmocka_unit_test(test_config_conversion_keys),
		cmocka_unit_test(test_config_product_keys),
		cmocka_unit_test(test_config_errors_never_show_secrets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

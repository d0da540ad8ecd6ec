/* test_link_host.c — the address rules of the links members make: a table
 * of hostile and honest addresses, each with whether it passes and what
 * the refusal names; domain normalization; dot-boundary matching; the
 * operator's override. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tracking/link_host.h"

struct url_case {
	const char *url;
	const char *host;   /* the normalized host when accepted, NULL: refused */
	const char *says;   /* a part of the refusal's message */
};

/* Checked against the built-in domains plus one an operator added. */
static const struct url_case cases[] = {
	/* honest addresses of the unions */
	{"https://item.jd.com/100012043978.html", "item.jd.com", NULL},
	{"https://u.jd.com/AbCdEf", "u.jd.com", NULL},
	{"https://union-click.jd.com/jdc?e=&p=x", "union-click.jd.com", NULL},
	{"https://3.cn/-1a2B3c", "3.cn", NULL},
	{"https://s.click.taobao.com/t?e=m%3D2", "s.click.taobao.com", NULL},
	{"https://uland.taobao.com/coupon/edetail?e=x", "uland.taobao.com", NULL},
	{"https://m.tb.cn/h.VpgiiDY", "m.tb.cn", NULL},
	{"https://detail.tmall.com/item.htm?id=1", "detail.tmall.com", NULL},
	{"https://mobile.yangkeduo.com/goods.html?goods_id=3", "mobile.yangkeduo.com", NULL},
	{"https://p.pinduoduo.com/abc", "p.pinduoduo.com", NULL},
	{"https://jd.com", "jd.com", NULL},
	{"https://shop.example.org/x", "shop.example.org", NULL}, /* added by an operator */
	/* normalized: case, a trailing dot, the default port */
	{"HTTPS://ITEM.JD.COM/X", "item.jd.com", NULL},
	{"https://Item.Jd.Com./x", "item.jd.com", NULL},
	{"https://item.jd.com:443/x", "item.jd.com", NULL},
	{"https://item.jd.com?x=1", "item.jd.com", NULL},
	{"https://item.jd.com#frag", "item.jd.com", NULL},
	{"https://xn--fiqs8s.jd.com/", "xn--fiqs8s.jd.com", NULL},
	/* user info: the host is what follows the '@' */
	{"https://item.jd.com@evil.example/", NULL, "user name"},
	{"https://user:pass@item.jd.com/", NULL, "user name"},
	{"https://jd.com:443@evil.example/", NULL, "user name"},
	/* look-alikes */
	{"https://jd.com.evil.example/", NULL, "\"jd.com.evil.example\" is not allowed"},
	{"https://evil-jd.com/", NULL, "\"evil-jd.com\" is not allowed"},
	{"https://evil.example/jd.com", NULL, "\"evil.example\" is not allowed"},
	{"https://evil.example?x=jd.com", NULL, "\"evil.example\" is not allowed"},
	{"https://evil.example#.jd.com", NULL, "\"evil.example\" is not allowed"},
	{"https://tb.cn/x", NULL, "\"tb.cn\" is not allowed"},
	{"https://example.org/x", NULL, "not allowed"}, /* the parent of an added one */
	/* scheme tricks */
	{"http://item.jd.com/x", NULL, "must be https"},
	{"javascript:alert(1)", NULL, "https://"},
	{"//evil.example/", NULL, "https://"},
	{"https:/\\evil.example/", NULL, "backslash"},
	{"https://evil.example\\@item.jd.com/", NULL, "backslash"},
	{"https:///evil.example/", NULL, "no host"},
	{"https://", NULL, "no host"},
	{"ftp://item.jd.com/", NULL, "https://"},
	/* bytes an address cannot hold */
	{"https://item.jd.com/a b", NULL, "spaces"},
	{"https://item.jd.com/\r\nSet-Cookie:x", NULL, "control"},
	{"https://item.jd.com\t/", NULL, "control"},
	{"https://例子.jd.com/", NULL, "ASCII"},
	{"https://ｊｄ.com/", NULL, "ASCII"},
	/* encoded hosts */
	{"https://evil%2eexample/", NULL, "percent"},
	{"https://item.jd.com%40evil.example/", NULL, "percent"},
	{"https://%6a%64.com/", NULL, "percent"},
	/* addresses, ports */
	{"https://127.0.0.1/", NULL, "IP address"},
	{"https://1.2.3.0x4/", NULL, "IP address"},
	{"https://2130706433/", NULL, "not a domain"},
	{"https://[::1]/", NULL, "IPv6"},
	{"https://[::ffff:127.0.0.1]:443/", NULL, "IPv6"},
	{"https://item.jd.com:8443/", NULL, "port must be 443"},
	{"https://item.jd.com:/", NULL, "port must be 443"},
	{"https://item.jd.com:443443/", NULL, "port must be 443"},
	{"https://item.jd.com:44x/", NULL, "port must be 443"},
	/* malformed names */
	{"https://item..jd.com/", NULL, "empty label"},
	{"https://.jd.com/", NULL, "empty label"},
	{"https://item.jd.com../", NULL, "empty label"},
	{"https://-x.jd.com/", NULL, "'-'"},
	{"https://item_x.jd.com/", NULL, "character"},
	{"https://localhost/", NULL, "not a domain"},
	{"https://com/", NULL, "not a domain"},
};

static char added_buf[1][LINK_HOST_MAX] = {"shop.example.org"};
static const struct link_hosts added = {1, added_buf};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct url_case *c = &cases[i];
		struct link_url u;
		struct tk_error err = {0};
		bool over = true;
		enum tk_rc rc = link_url_check(c->url, 2048, &added, false, &u, &over, &err);
		if (c->host) {
			if (rc != TK_OK)
				fail_msg("%s: refused: %s", c->url, err.msg);
			assert_string_equal(u.host, c->host);
			assert_false(over);
		} else {
			if (rc == TK_OK)
				fail_msg("%s: accepted (host %s)", c->url, u.host);
			assert_int_equal(rc, TK_EINVAL);
			assert_string_equal(err.field, "url");
			if (!strstr(err.msg, c->says))
				fail_msg("%s: \"%s\" does not say \"%s\"", c->url, err.msg, c->says);
		}
	}
}

static void test_overlong(void **state)
{
	(void)state;
	char url[4200], label[70];
	struct link_url u;
	struct tk_error err = {0};
	bool over;
	/* an address over the limit */
	int n = snprintf(url, sizeof(url), "https://item.jd.com/");
	memset(url + n, 'a', 2100);
	url[n + 2100] = '\0';
	assert_int_equal(link_url_check(url, 2048, NULL, false, &u, &over, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "at most 2048"));
	/* a label over 63 bytes */
	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(url, sizeof(url), "https://%s.jd.com/", label);
	assert_int_equal(link_url_check(url, 2048, NULL, false, &u, &over, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 63"));
	label[63] = '\0'; /* 63 is fine */
	snprintf(url, sizeof(url), "https://%s.jd.com/", label);
	assert_int_equal(link_url_check(url, 2048, NULL, false, &u, &over, &err), TK_OK);
	/* a host over 253 bytes */
	n = snprintf(url, sizeof(url), "https://");
	for (int i = 0; i < 5; i++)
		n += snprintf(url + n, sizeof(url) - (size_t)n, "%s.", label);
	snprintf(url + n, sizeof(url) - (size_t)n, "jd.com/");
	assert_int_equal(link_url_check(url, 2048, NULL, false, &u, &over, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 253"));
}

static void test_under(void **state)
{
	(void)state;
	assert_true(link_host_under("jd.com", "jd.com"));
	assert_true(link_host_under("item.jd.com", "jd.com"));
	assert_true(link_host_under("a.b.jd.com", "jd.com"));
	assert_false(link_host_under("evil-jd.com", "jd.com"));
	assert_false(link_host_under("xjd.com", "jd.com"));
	assert_false(link_host_under("jd.com.evil.example", "jd.com"));
	assert_false(link_host_under("com", "jd.com"));
	assert_false(link_host_under("jd.com", ""));
	assert_false(link_host_under("tb.cn", "m.tb.cn"));
	assert_true(link_host_under("m.tb.cn", "m.tb.cn"));
	assert_string_equal(link_hosts_match(NULL, "u.jd.com"), "jd.com");
	assert_null(link_hosts_match(NULL, "shop.example.org"));
	assert_string_equal(link_hosts_match(&added, "www.shop.example.org"), "shop.example.org");
	assert_true(link_host_is_builtin("taobao.com"));
	assert_false(link_host_is_builtin("s.click.taobao.com"));
}

static void test_domain(void **state)
{
	(void)state;
	char d[LINK_HOST_MAX];
	struct tk_error err = {0};
	assert_int_equal(link_domain_normalize("Shop.Example.ORG.", d, &err), TK_OK);
	assert_string_equal(d, "shop.example.org");
	assert_int_equal(link_domain_normalize("xn--fiqs8s.cn", d, &err), TK_OK);
	static const char *const bad[] = {"https://x.example", "x.example/", "user@x.example",
					  "x.example:443", "com", "", "1.2.3.4", "x..example",
					  "ex ample.com", "例子.cn", "x_y.example", NULL};
	for (int i = 0; bad[i]; i++) {
		if (link_domain_normalize(bad[i], d, &err) == TK_OK)
			fail_msg("domain \"%s\" accepted as \"%s\"", bad[i], d);
		assert_string_equal(err.field, "domain");
	}
}

static void test_override(void **state)
{
	(void)state;
	struct link_url u;
	struct tk_error err = {0};
	bool over;
	/* an allowed host needs no override even when one is given */
	assert_int_equal(link_url_check("https://item.jd.com/", 2048, NULL, true, &u, &over, &err),
			 TK_OK);
	assert_false(over);
	/* a one-off host and http pass with it, and say so */
	assert_int_equal(link_url_check("https://landing.example/x", 2048, NULL, true, &u, &over,
					&err), TK_OK);
	assert_true(over);
	assert_string_equal(u.host, "landing.example");
	assert_int_equal(link_url_check("http://item.jd.com/", 2048, NULL, true, &u, &over, &err),
			 TK_OK);
	assert_true(over);
	assert_false(u.https);
	/* the override lets no malformed address through */
	assert_int_equal(link_url_check("https://jd.com@evil.example/", 2048, NULL, true, &u, &over,
					&err), TK_EINVAL);
	assert_int_equal(link_url_check("https://10.0.0.1/", 2048, NULL, true, &u, &over, &err),
			 TK_EINVAL);
	assert_int_equal(link_url_check("http://x.example:8080/", 2048, NULL, true, &u, &over, &err),
			 TK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_under),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_client_addr.c — the client's address behind reverse proxies (CIDRs,
 * IPv4-mapped addresses, the X-Forwarded-For walk and the spoofing it must
 * resist), and the arithmetic of the login limits (failures only, per
 * address and per member id, earned back in time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/api.h"
#include "http/client_addr.h"
#include "http/ratelimit.h"

static struct client_addr addr(const char *s)
{
	struct client_addr a;
	assert_true(client_addr_parse(s, strlen(s), &a));
	return a;
}

static void test_addr_parse(void **state)
{
	(void)state;
	struct client_addr a;
	char text[CLIENT_ADDR_TEXT];
	uint8_t raw[16];
	static const char *const good[] = {"10.0.0.1", "203.0.113.9", "2001:db8::1", "::1",
					   "::ffff:10.0.0.1"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(client_addr_parse(good[i], strlen(good[i]), &a));
	static const char *const bad[] = {"", "unknown", "10.0.0", "10.0.0.256", "010.0.0.1",
					  " 10.0.0.1", "10.0.0.1:443", "[2001:db8::1]",
					  "fe80::1%eth0", "1.2.3.4.5", "2001:db8::g", "0x0a.0.0.1",
					  "10.0.0.1\n", "_"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(client_addr_parse(bad[i], strlen(bad[i]), &a));
	/* exactly len bytes: the rest of a list is not read */
	assert_true(client_addr_parse("10.0.0.1, 10.0.0.2", 8, &a));
	client_addr_text(&a, text);
	assert_string_equal(text, "10.0.0.1");
	/* an IPv4-mapped IPv6 address is the IPv4 address: one text, the same
	 * four bytes hashed for unique clicks */
	struct client_addr m = addr("::ffff:10.0.0.1");
	assert_memory_equal(m.a, a.a, 16);
	assert_int_equal(client_addr_raw(&m, raw), 4);
	assert_memory_equal(raw, "\x0a\x00\x00\x01", 4);
	uint8_t sock4[4] = {10, 0, 0, 1};
	client_addr_from_raw(sock4, 4, &a);
	assert_memory_equal(a.a, m.a, 16);
	a = addr("2001:db8::1");
	assert_int_equal(client_addr_raw(&a, raw), 16);
	client_addr_text(&a, text);
	assert_string_equal(text, "2001:db8::1");
}

static void test_cidr_parse(void **state)
{
	(void)state;
	struct client_cidr c;
	struct tk_error err = {0};
	assert_int_equal(client_cidr_parse("10.0.0.0/8", &c, &err), TK_OK);
	assert_int_equal(c.bits, 104);
	assert_int_equal(client_cidr_parse("127.0.0.1", &c, &err), TK_OK);
	assert_int_equal(c.bits, 128);
	assert_int_equal(client_cidr_parse("0.0.0.0/0", &c, &err), TK_OK);
	assert_int_equal(c.bits, 96);
	assert_int_equal(client_cidr_parse("fd00::/8", &c, &err), TK_OK);
	assert_int_equal(c.bits, 8);
	assert_int_equal(client_cidr_parse("::/0", &c, &err), TK_OK);
	assert_int_equal(client_cidr_parse("2001:db8::1/128", &c, &err), TK_OK);
	/* an IPv4-mapped network counts its bits as IPv6 */
	assert_int_equal(client_cidr_parse("::ffff:10.0.0.0/104", &c, &err), TK_OK);
	assert_int_equal(c.bits, 104);
	static const char *const bad[] = {"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
					  "10.0.0.0/08", "10.0.0.0/8x", "10.0.0.0/1000",
					  "fd00::/129", "10.0.0.0/8/8", "localhost", "10.0.0.0 /8",
					  "10.0.0.0/ 8", "*"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(client_cidr_parse(bad[i], &c, &err), TK_EINVAL);
		assert_string_equal(err.field, "trusted-proxy");
		assert_true(err.msg[0] != '\0');
	}
	/* host bits past the prefix: refused, naming the network meant */
	assert_int_equal(client_cidr_parse("10.1.2.3/8", &c, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "10.0.0.0/8"));
	assert_int_equal(client_cidr_parse("fd00::1/8", &c, &err), TK_EINVAL);
	assert_non_null(strstr(err.msg, "fd00::/8"));
	/* a bounded list */
	struct client_proxies p = {0};
	for (int i = 0; i < CLIENT_PROXIES_MAX; i++)
		assert_int_equal(client_proxies_add(&p, "10.0.0.0/8", &err), TK_OK);
	assert_int_equal(client_proxies_add(&p, "10.0.0.0/8", &err), TK_ELIMIT);
	assert_int_equal(p.n, CLIENT_PROXIES_MAX);
}

static void test_proxies_match(void **state)
{
	(void)state;
	struct client_proxies p = {0};
	struct tk_error err;
	assert_int_equal(client_proxies_add(&p, "10.0.0.0/8", &err), TK_OK);
	assert_int_equal(client_proxies_add(&p, "192.168.1.128/25", &err), TK_OK);
	assert_int_equal(client_proxies_add(&p, "fd00::/8", &err), TK_OK);
	struct client_addr a;
	const struct { const char *ip; bool trusted; } cases[] = {
		{"10.0.0.1", true},         {"10.255.255.255", true},  {"11.0.0.0", false},
		{"9.255.255.255", false},   {"192.168.1.128", true},   {"192.168.1.255", true},
		{"192.168.1.127", false},   {"::ffff:10.2.3.4", true}, {"fd12::5", true},
		{"fe00::1", false},         {"::a00:1", false}, /* ::10.0.0.1, not mapped */
		{"2001:db8::1", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = addr(cases[i].ip);
		assert_int_equal(client_proxies_match(&p, &a), cases[i].trusted);
	}
	struct client_proxies none = {0};
	a = addr("10.0.0.1");
	assert_false(client_proxies_match(&none, &a));
}

/* resolve(peer, header lines...) as text */
static const char *resolve(const struct client_proxies *p, const char *peer,
			   const char *const *lines, size_t n, bool *from_header)
{
	static char text[CLIENT_ADDR_TEXT];
	struct client_addr pa = addr(peer), out;
	*from_header = client_addr_resolve(p, &pa, lines, n, &out);
	client_addr_text(&out, text);
	return text;
}

static void test_forwarded_walk(void **state)
{
	(void)state;
	struct client_proxies p = {0};
	struct tk_error err;
	assert_int_equal(client_proxies_add(&p, "127.0.0.1/32", &err), TK_OK);
	assert_int_equal(client_proxies_add(&p, "10.0.0.0/8", &err), TK_OK);
	assert_int_equal(client_proxies_add(&p, "fd00::/8", &err), TK_OK);
	const struct {
		const char *peer;
		const char *lines[3];
		size_t n;
		const char *want;
		bool from_header;
	} cases[] = {
		/* a trusted proxy names the client */
		{"127.0.0.1", {"203.0.113.9"}, 1, "203.0.113.9", true},
		{"127.0.0.1", {"  203.0.113.9  "}, 1, "203.0.113.9", true},
		/* proxies in a chain are stepped over, from the right */
		{"127.0.0.1", {"203.0.113.9, 10.1.1.1, 10.2.2.2"}, 1, "203.0.113.9", true},
		{"10.9.9.9", {"2001:db8::7,fd00::1"}, 1, "2001:db8::7", true},
		/* spoofing: a client sends its own X-Forwarded-For, the proxy
		 * appends the address it saw; the rightmost untrusted one wins */
		{"127.0.0.1", {"1.1.1.1, 203.0.113.9"}, 1, "203.0.113.9", true},
		{"127.0.0.1", {"10.0.0.5, 203.0.113.9"}, 1, "203.0.113.9", true},
		/* ... or the proxy adds a line of its own: still the last line */
		{"127.0.0.1", {"1.1.1.1", "203.0.113.9"}, 2, "203.0.113.9", true},
		{"127.0.0.1", {"1.1.1.1", "203.0.113.9, 10.0.0.2"}, 2, "203.0.113.9", true},
		/* garbage from the client's side, left of the client: never reached */
		{"127.0.0.1", {"not-an-ip, 203.0.113.9"}, 1, "203.0.113.9", true},
		/* garbage where the walk needs it: the peer, never a guess */
		{"127.0.0.1", {"203.0.113.9, nonsense"}, 1, "127.0.0.1", false},
		{"127.0.0.1", {"203.0.113.9:5555"}, 1, "127.0.0.1", false},
		{"127.0.0.1", {"[2001:db8::1]"}, 1, "127.0.0.1", false},
		{"127.0.0.1", {"unknown"}, 1, "127.0.0.1", false},
		{"127.0.0.1", {"1.1.1.1", "bad"}, 2, "127.0.0.1", false},
		/* empty elements are allowed; an empty header is no header */
		{"127.0.0.1", {",203.0.113.9,,"}, 1, "203.0.113.9", true},
		{"127.0.0.1", {""}, 1, "127.0.0.1", false},
		{"127.0.0.1", {NULL}, 0, "127.0.0.1", false},
		/* all trusted: the leftmost */
		{"127.0.0.1", {"10.0.0.7, 10.0.0.8"}, 1, "10.0.0.7", true},
		/* an untrusted peer: the header is not read at all */
		{"198.51.100.4", {"203.0.113.9"}, 1, "198.51.100.4", false},
		{"198.51.100.4", {"10.0.0.1"}, 1, "198.51.100.4", false},
		/* IPv4-mapped on either side is IPv4 */
		{"::ffff:127.0.0.1", {"::ffff:203.0.113.9"}, 1, "203.0.113.9", true},
	};
	bool from;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = resolve(&p, cases[i].peer, cases[i].lines, cases[i].n, &from);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, got, cases[i].want);
		assert_int_equal(from, cases[i].from_header);
	}
	/* limits: too many entries, too many lines */
	char many[CLIENT_XFF_HOPS_MAX * 12 + 32];
	size_t used = (size_t)snprintf(many, sizeof(many), "203.0.113.9");
	for (int i = 0; i < CLIENT_XFF_HOPS_MAX; i++)
		used += (size_t)snprintf(many + used, sizeof(many) - used, ", 10.0.0.1");
	const char *one[] = {many};
	assert_string_equal(resolve(&p, "127.0.0.1", one, 1, &from), "127.0.0.1");
	const char *lines[CLIENT_XFF_LINES_MAX + 1];
	for (int i = 0; i <= CLIENT_XFF_LINES_MAX; i++)
		lines[i] = "203.0.113.9";
	assert_string_equal(resolve(&p, "127.0.0.1", lines, CLIENT_XFF_LINES_MAX, &from),
			    "203.0.113.9");
	assert_string_equal(resolve(&p, "127.0.0.1", lines, CLIENT_XFF_LINES_MAX + 1, &from),
			    "127.0.0.1");
	/* no trusted proxies: nothing is read */
	struct client_proxies none = {0};
	assert_string_equal(resolve(&none, "127.0.0.1", one, 1, &from), "127.0.0.1");
}

/* The login limits' arithmetic: a token taken up front and given back
 * when the login succeeds counts failures only; the per-member bucket
 * holds `failures` and earns them back over the window. */
static void test_login_arithmetic(void **state)
{
	(void)state;
	int64_t retry;
	const int64_t window = API_LOGIN_ACCOUNT_WINDOW_S * 1000;
	struct ratelimit *acct = ratelimit_new(64, 10, window);
	struct ratelimit *ip = ratelimit_new(64, 3, 60000);
	assert_non_null(acct);
	assert_non_null(ip);
	/* successes from one address (a NAT) never run out */
	for (int i = 0; i < 100; i++) {
		assert_true(ratelimit_take(ip, "nat", 3, 0, &retry));
		ratelimit_give_back(ip, "nat", 3, 0);
	}
	/* failures do */
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(ip, "nat", 3, 0, &retry));
	assert_false(ratelimit_take(ip, "nat", 3, 0, &retry));
	assert_int_equal(retry, 20000);
	/* giving back never makes more than the burst */
	for (int i = 0; i < 10; i++)
		ratelimit_give_back(ip, "fresh", 5, 0);
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_take(ip, "fresh", 5, 0, &retry));
	assert_false(ratelimit_take(ip, "fresh", 5, 0, &retry));

	/* ten failures to one member, then it waits window/10 = 90 s */
	for (int i = 0; i < 10; i++)
		assert_true(ratelimit_take(acct, "alice", 5, 1000, &retry));
	assert_false(ratelimit_take(acct, "alice", 5, 1000, &retry));
	assert_int_equal(retry, window / 10);
	/* refusals take nothing: the wait does not grow however often one
	 * asks (the lock is bounded in time) */
	for (int i = 0; i < 1000; i++)
		assert_false(ratelimit_take(acct, "alice", 5, 1000 + i, &retry));
	assert_int_equal(retry, window / 10 - 999);
	assert_true(ratelimit_take(acct, "alice", 5, 1000 + window / 10, &retry));
	/* another member is not affected */
	assert_true(ratelimit_take(acct, "bob", 3, 1000, &retry));
	/* the whole window restores all ten */
	for (int i = 0; i < 10; i++)
		assert_true(ratelimit_take(acct, "alice", 5, 1000 + 2 * window, &retry));
	assert_false(ratelimit_take(acct, "alice", 5, 1000 + 2 * window, &retry));
	/* a success resets the member's count */
	ratelimit_reset(acct, "alice", 5, 1000 + 2 * window);
	for (int i = 0; i < 10; i++)
		assert_true(ratelimit_take(acct, "alice", 5, 1000 + 2 * window, &retry));
	ratelimit_free(acct);
	ratelimit_free(ip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse),       cmocka_unit_test(test_cidr_parse),
		cmocka_unit_test(test_proxies_match),    cmocka_unit_test(test_forwarded_walk),
		cmocka_unit_test(test_login_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

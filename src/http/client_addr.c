/* client_addr.c — addresses in one 16-byte form, CIDR lists, and the walk
 * of X-Forwarded-For from the right (client_addr.h). */
#include "http/client_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4(const struct client_addr *a)
{
	return memcmp(a->a, v4_prefix, sizeof(v4_prefix)) == 0;
}

bool client_addr_parse(const char *s, size_t len, struct client_addr *out)
{
	char buf[CLIENT_ADDR_TEXT];
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* inet_pton takes dotted quads without leading zeros ("010.0.0.1"
	 * could be octal elsewhere) and IPv6 without a zone or brackets */
	uint8_t v4[4];
	if (inet_pton(AF_INET, buf, v4) == 1) {
		client_addr_from_raw(v4, 4, out);
		return true;
	}
	return strchr(buf, ':') && inet_pton(AF_INET6, buf, out->a) == 1;
}

void client_addr_from_raw(const void *raw, size_t len, struct client_addr *out)
{
	memset(out->a, 0, sizeof(out->a));
	if (len == 4) {
		memcpy(out->a, v4_prefix, sizeof(v4_prefix));
		memcpy(out->a + 12, raw, 4);
	} else if (len == 16) {
		memcpy(out->a, raw, 16);
	}
}

size_t client_addr_raw(const struct client_addr *a, uint8_t raw[16])
{
	if (is_v4(a)) {
		memcpy(raw, a->a + 12, 4);
		return 4;
	}
	memcpy(raw, a->a, 16);
	return 16;
}

void client_addr_text(const struct client_addr *a, char out[CLIENT_ADDR_TEXT])
{
	bool v4 = is_v4(a);
	if (!inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a->a + 12 : a->a, out, CLIENT_ADDR_TEXT))
		snprintf(out, CLIENT_ADDR_TEXT, "?");
}

/* Whether a's first `bits` bits are those of net. */
static bool in_prefix(const uint8_t *a, const uint8_t *net, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, net, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (net[whole] & mask);
}

enum tk_rc client_cidr_parse(const char *s, struct client_cidr *out, struct tk_error *err)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	struct client_addr a;
	if (!client_addr_parse(s, alen, &a))
		return tk_fail(err, TK_EINVAL, "trusted-proxy",
			       "\"%.60s\" is not an IPv4 or IPv6 address or CIDR "
			       "(e.g. 10.0.0.0/8, fd00::/8)", s);
	/* the prefix as written counts an IPv4 address's 32 bits */
	bool v4 = is_v4(&a) && !memchr(s, ':', alen);
	int max = v4 ? 32 : 128, bits = max;
	if (slash) {
		const char *p = slash + 1;
		size_t n = strlen(p);
		bool digits = n >= 1 && n <= 3 && !(n > 1 && p[0] == '0');
		bits = 0;
		for (size_t i = 0; digits && i < n; i++) {
			digits = p[i] >= '0' && p[i] <= '9';
			bits = bits * 10 + (p[i] - '0');
		}
		if (!digits || bits > max)
			return tk_fail(err, TK_EINVAL, "trusted-proxy",
				       "\"%.60s\": the prefix length must be 0..%d", s, max);
	}
	out->bits = v4 ? bits + 96 : bits;
	memcpy(out->a, a.a, 16);
	/* host bits past the prefix: a typo for another network, or a
	 * misunderstanding of CIDRs; either way, not to be guessed at */
	struct client_cidr net = {.bits = out->bits};
	int whole = out->bits / 8, rest = out->bits % 8;
	memcpy(net.a, a.a, (size_t)whole);
	if (rest)
		net.a[whole] = (uint8_t)(a.a[whole] & (0xff << (8 - rest)));
	if (memcmp(net.a, a.a, 16) != 0) {
		char text[CLIENT_ADDR_TEXT];
		struct client_addr na;
		memcpy(na.a, net.a, 16);
		client_addr_text(&na, text);
		return tk_fail(err, TK_EINVAL, "trusted-proxy",
			       "\"%.60s\" has bits set past its prefix; the network is %s/%d",
			       s, text, bits);
	}
	return TK_OK;
}

enum tk_rc client_proxies_add(struct client_proxies *p, const char *cidr,
			      struct tk_error *err)
{
	if (p->n == CLIENT_PROXIES_MAX)
		return tk_fail(err, TK_ELIMIT, "trusted-proxy", "at most %d trusted proxies",
			       CLIENT_PROXIES_MAX);
	enum tk_rc rc = client_cidr_parse(cidr, &p->v[p->n], err);
	if (!rc)
		p->n++;
	return rc;
}

bool client_proxies_match(const struct client_proxies *p, const struct client_addr *a)
{
	for (int i = 0; i < p->n; i++)
		if (in_prefix(a->a, p->v[i].a, p->v[i].bits))
			return true;
	return false;
}

static bool list_space(char c)
{
	return c == ' ' || c == '\t';
}

bool client_addr_resolve(const struct client_proxies *p, const struct client_addr *peer,
			 const char *const *xff, size_t n, struct client_addr *out)
{
	*out = *peer;
	if (!p->n || !n || n > CLIENT_XFF_LINES_MAX || !client_proxies_match(p, peer))
		return false;
	struct client_addr hop;
	int hops = 0;
	bool any = false;
	for (size_t line = n; line-- > 0;) {
		const char *s = xff[line] ? xff[line] : "";
		size_t end = strlen(s);
		while (end > 0) {
			size_t start = end;
			while (start > 0 && s[start - 1] != ',')
				start--;
			size_t b = start, e = end;
			while (b < e && list_space(s[b]))
				b++;
			while (e > b && list_space(s[e - 1]))
				e--;
			end = start ? start - 1 : 0;
			if (b == e)
				continue; /* an empty list element, which HTTP allows */
			if (++hops > CLIENT_XFF_HOPS_MAX || !client_addr_parse(s + b, e - b, &hop)) {
				*out = *peer;
				return false;
			}
			any = true;
			*out = hop;
			if (!client_proxies_match(p, &hop))
				return true;
		}
	}
	/* every entry a trusted proxy: the leftmost, as nginx does */
	return any;
}

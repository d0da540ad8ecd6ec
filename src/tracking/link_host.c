/* link_host.c — parsing a link's address and checking its host against
 * the allowed domains (link_host.h).  Everything here is a pure function
 * of its arguments. */
#include "tracking/link_host.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The unions' buyer-facing domains.  Each covers its subdomains, so that
 * jd.com covers item.jd.com, u.jd.com (JD's short promotion links) and
 * union-click.jd.com; taobao.com covers s.click.taobao.com and
 * uland.taobao.com; pinduoduo.com covers p.pinduoduo.com (see the
 * "Link conversion" sections of docs/unions/).  m.tb.cn is Taobao's short
 * link host (淘口令 pages), and only that host of tb.cn is taken. */
const char *const link_hosts_builtin[] = {
	"jd.com",        /* JD: product pages, u.jd.com, union-click.jd.com */
	"jd.hk",         /* JD Worldwide (京东国际) */
	"3.cn",          /* JD's short links */
	"taobao.com",    /* Taobao: item, s.click, uland */
	"tmall.com",     /* Tmall product pages (detail.tmall.com) */
	"tmall.hk",      /* Tmall Global */
	"m.tb.cn",       /* Taobao's short links */
	"yangkeduo.com", /* Pinduoduo's mobile pages (mobile.yangkeduo.com) */
	"pinduoduo.com", /* Pinduoduo: p.pinduoduo.com promotion links */
	NULL,
};

static bool is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Checks and normalizes a host name of len bytes (as written, case and a
 * trailing dot allowed) into out. */
static enum tk_rc host_normalize(const char *s, size_t len, const char *field,
				 char out[LINK_HOST_MAX], struct tk_error *err)
{
	if (len > 0 && s[len - 1] == '.')
		len--; /* "jd.com." is jd.com (the root's label) */
	if (len == 0)
		return tk_fail(err, TK_EINVAL, field, "has no host name");
	if (len >= LINK_HOST_MAX)
		return tk_fail(err, TK_EINVAL, field, "the host name is longer than %d bytes",
			       LINK_HOST_MAX - 1);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[len] = '\0';
	size_t labels = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && out[i] != '.') {
			if (!is_ldh(out[i]))
				return tk_fail(err, TK_EINVAL, field,
					       "host \"%s\" has a character a host name cannot "
					       "hold ('%c'); names are letters, digits and '-' "
					       "(an internationalized name in its xn-- form)",
					       out, out[i]);
			continue;
		}
		size_t n = i - start;
		if (n == 0)
			return tk_fail(err, TK_EINVAL, field, "host \"%s\" has an empty label", out);
		if (n > LINK_HOST_LABEL_MAX)
			return tk_fail(err, TK_EINVAL, field,
				       "host \"%s\" has a label longer than %d bytes", out,
				       LINK_HOST_LABEL_MAX);
		if (out[start] == '-' || out[i - 1] == '-')
			return tk_fail(err, TK_EINVAL, field,
				       "host \"%s\" has a label starting or ending with '-'", out);
		labels++;
		start = i + 1;
	}
	if (labels < 2)
		return tk_fail(err, TK_EINVAL, field,
			       "host \"%s\" is not a domain name (it needs a dot)", out);
	/* every top-level domain starts with a letter: one starting with a
	 * digit is an address (1.2.3.4, 0x7f.1) */
	const char *tld = strrchr(out, '.') + 1;
	if (*tld >= '0' && *tld <= '9')
		return tk_fail(err, TK_EINVAL, field,
			       "host \"%s\" is an IP address; links lead to host names", out);
	return TK_OK;
}

enum tk_rc link_url_parse(const char *url, size_t max, struct link_url *out,
			  struct tk_error *err)
{
	memset(out, 0, sizeof(*out));
	size_t n = strlen(url);
	if (n > max)
		return tk_fail(err, TK_EINVAL, "url", "must be at most %zu bytes, got %zu", max, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c == 0x7f)
			return tk_fail(err, TK_EINVAL, "url",
				       "must not contain spaces or control characters "
				       "(percent-encode them in the path)");
		if (c >= 0x80)
			return tk_fail(err, TK_EINVAL, "url",
				       "must be ASCII: percent-encode the path, and write an "
				       "internationalized host in its xn-- (punycode) form");
		if (c == '\\')
			return tk_fail(err, TK_EINVAL, "url",
				       "must not contain a backslash (browsers read it as '/')");
	}
	const char *p;
	if (strncasecmp(url, "https://", 8) == 0) {
		out->https = true;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		p = url + 7;
	} else {
		return tk_fail_key(err, TK_EINVAL, "url", "link.not_https", "must start with https://");
	}
	size_t auth = strcspn(p, "/?#");
	if (auth == 0)
		return tk_fail(err, TK_EINVAL, "url", "has no host after the scheme's \"//\"");
	if (memchr(p, '@', auth))
		return tk_fail(err, TK_EINVAL, "url",
			       "must not carry a user name or password (\"user@\" before the "
			       "host): the link would lead elsewhere than it reads");
	if (memchr(p, '%', auth))
		return tk_fail(err, TK_EINVAL, "url",
			       "must not have percent-encoded characters in the host");
	if (p[0] == '[')
		return tk_fail(err, TK_EINVAL, "url",
			       "the host is an IPv6 address; links lead to host names");
	size_t host = auth;
	const char *colon = memchr(p, ':', auth);
	if (colon) {
		host = (size_t)(colon - p);
		const char *d = colon + 1;
		size_t digits = auth - host - 1;
		int port = 0;
		for (size_t i = 0; i < digits; i++) {
			if (d[i] < '0' || d[i] > '9' || i >= 5) {
				port = -1;
				break;
			}
			port = port * 10 + (d[i] - '0');
		}
		int want = out->https ? 443 : 80;
		if (digits == 0 || port != want)
			return tk_fail(err, TK_EINVAL, "url", "the port must be %d (or none), got \"%.*s\"",
				       want, (int)(digits > 16 ? 16 : digits), d);
		out->port = port;
	}
	return host_normalize(p, host, "url", out->host, err);
}

enum tk_rc link_domain_normalize(const char *in, char out[LINK_HOST_MAX], struct tk_error *err)
{
	size_t n = strlen(in);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c >= 0x7f)
			return tk_fail(err, TK_EINVAL, "domain",
				       "must be an ASCII host name (an internationalized one in "
				       "its xn-- form), without spaces");
	}
	if (strchr(in, '/') || strchr(in, ':') || strchr(in, '@'))
		return tk_fail(err, TK_EINVAL, "domain",
			       "must be a bare domain such as example.com, not an address");
	return host_normalize(in, n, "domain", out, err);
}

bool link_host_under(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);
	if (d == 0 || h < d || strcmp(host + h - d, domain) != 0)
		return false;
	return h == d || host[h - d - 1] == '.';
}

bool link_host_is_builtin(const char *domain)
{
	for (size_t i = 0; link_hosts_builtin[i]; i++)
		if (strcmp(link_hosts_builtin[i], domain) == 0)
			return true;
	return false;
}

const char *link_hosts_match(const struct link_hosts *added, const char *host)
{
	for (size_t i = 0; link_hosts_builtin[i]; i++)
		if (link_host_under(host, link_hosts_builtin[i]))
			return link_hosts_builtin[i];
	for (size_t i = 0; added && i < added->n; i++)
		if (link_host_under(host, added->domain[i]))
			return added->domain[i];
	return NULL;
}

enum tk_rc link_url_check(const char *url, size_t max, const struct link_hosts *added,
			  bool override, struct link_url *out, bool *overridden,
			  struct tk_error *err)
{
	*overridden = false;
	enum tk_rc rc = link_url_parse(url, max, out, err);
	if (rc)
		return rc;
	bool allowed = link_hosts_match(added, out->host) != NULL;
	if (override) {
		*overridden = !out->https || !allowed;
		return TK_OK;
	}
	if (!out->https) {
		tk_fail_key(err, TK_EINVAL, "url", "link.not_https", "must be https (host \"%s\")",
			    out->host);
		tk_error_str(err, "host", out->host);
		return TK_EINVAL;
	}
	if (!allowed) {
		tk_fail_key(err, TK_EINVAL, "url", "link.host_not_allowed",
			    "host \"%s\" is not allowed: links lead to the unions' own domains "
			    "and those the operators add (`tuike link allow add DOMAIN`)",
			    out->host);
		tk_error_str(err, "host", out->host);
		return TK_EINVAL;
	}
	return TK_OK;
}

/* link_host.h — where a link a member makes may lead: the address of a
 * URL link parsed and normalized, and its host checked against the
 * allowed domains (the unions' own, built in, and those operators add).
 * Pure: no I/O, no store; the lists are handed in.
 *
 * The parse is strict on purpose: it accepts what a union's product or
 * promotion page looks like (https://host[:443]/path?query#fragment) and
 * refuses every form that makes a browser go elsewhere than a reader of
 * the address thinks (user@host, backslashes, percent-encoded hosts, IP
 * literals, raw non-ASCII names). */
#ifndef TK_TRACKING_LINK_HOST_H
#define TK_TRACKING_LINK_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define LINK_HOST_MAX 254       /* bytes of a host name (253) with its NUL */
#define LINK_HOST_LABEL_MAX 63  /* bytes of one label of a host name */
#define LINK_HOSTS_MAX 1024     /* domains operators may add */

/* A URL link's address, normalized: the scheme, the host in lower case
 * without a trailing dot, and the port (0 when the address names none). */
struct link_url {
	bool https;
	char host[LINK_HOST_MAX];
	int port;
};

/* Parses an absolute http(s) address (at most `max` bytes).  Refused, each
 * with field "url" and a message naming the fault: another scheme; a
 * space, control, backslash or non-ASCII byte anywhere; user info
 * ("user@" or "user:pass@"); a percent sign in the host; an IPv4 or IPv6
 * literal; an empty or malformed host (labels of letters, digits and '-',
 * 1..63 bytes, at least two labels, at most 253 bytes); a port other than
 * the scheme's own (443, or 80 for http).  Internationalized names are
 * accepted in their ASCII (punycode, "xn--") form only. */
enum tk_rc link_url_parse(const char *url, size_t max, struct link_url *out,
			  struct tk_error *err);

/* A domain for the allowed list, normalized into out (lower case, no
 * trailing dot): the host rules above, with field "domain". */
enum tk_rc link_domain_normalize(const char *in, char out[LINK_HOST_MAX], struct tk_error *err);

/* Whether host (normalized) is domain or one of its subdomains, on a dot
 * boundary: "item.jd.com" is under "jd.com", "evil-jd.com" is not. */
bool link_host_under(const char *host, const char *domain);

/* The unions' own domains, allowed on every platform (NULL-terminated). */
extern const char *const link_hosts_builtin[];

/* Whether domain (normalized) is one of the built-in ones. */
bool link_host_is_builtin(const char *domain);

/* The domains operators added, as read from the store: n entries of
 * LINK_HOST_MAX bytes each.  NULL or empty: the built-in ones only. */
struct link_hosts {
	size_t n;
	char (*domain)[LINK_HOST_MAX];
};

/* The allowed domain host falls under (built-in first), or NULL. */
const char *link_hosts_match(const struct link_hosts *added, const char *host);

/* The whole check of a URL link's address: parsed as above, then https
 * and a host under an allowed domain, unless `override` (an operator's
 * explicit one-off permission), which lets http and any well-formed host
 * through; *overridden then says whether it was needed.  Errors name
 * field "url" and the host. */
enum tk_rc link_url_check(const char *url, size_t max, const struct link_hosts *added,
			  bool override, struct link_url *out, bool *overridden,
			  struct tk_error *err);

#endif

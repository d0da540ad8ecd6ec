/* client_addr.h — who a request came from when it passed a reverse proxy:
 * the trusted proxies (CIDRs the operator names), and the client address
 * taken from X-Forwarded-For only when the TCP peer is one of them.
 *
 * Pure: no I/O, no allocation.  Every address is kept in one 16-byte form
 * (an IPv4 address as its IPv4-mapped IPv6 address, ::ffff:a.b.c.d), so
 * that 10.0.0.1 seen on an IPv4 socket, in a header, or as ::ffff:10.0.0.1
 * is one address to the CIDRs, the rate limits and the unique clicks. */
#ifndef TK_HTTP_CLIENT_ADDR_H
#define TK_HTTP_CLIENT_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CLIENT_PROXIES_MAX 32      /* --trusted-proxy options */
#define CLIENT_XFF_HOPS_MAX 32     /* X-Forwarded-For entries walked, right to left */
#define CLIENT_XFF_LINES_MAX 8     /* X-Forwarded-For header lines read */
#define CLIENT_ADDR_TEXT 46        /* INET6_ADDRSTRLEN */

struct client_addr {
	uint8_t a[16];  /* IPv4 as ::ffff:a.b.c.d */
};

struct client_cidr {
	uint8_t a[16];
	int bits;       /* 0..128, of the 16-byte form (an IPv4 /8 is /104) */
};

struct client_proxies {
	struct client_cidr v[CLIENT_PROXIES_MAX];
	int n;
};

/* Parses one address, "10.0.0.1" or "2001:db8::1" (an IPv4-mapped IPv6
 * address is its IPv4 address); exactly len bytes, no spaces, brackets,
 * ports or zones.  False when it is none. */
bool client_addr_parse(const char *s, size_t len, struct client_addr *out);

/* The address from a socket's raw bytes: 4 (IPv4) or 16 (IPv6). */
void client_addr_from_raw(const void *raw, size_t len, struct client_addr *out);

/* The address as the bytes a click hashes (4 for IPv4, mapped or not,
 * else 16): returns the count, raw gets them. */
size_t client_addr_raw(const struct client_addr *a, uint8_t raw[16]);

/* The address as text ("10.0.0.1", "2001:db8::1"). */
void client_addr_text(const struct client_addr *a, char out[CLIENT_ADDR_TEXT]);

/* Parses "10.0.0.0/8", "fd00::/8", or an address alone (/32 or /128).
 * Refuses a prefix out of range and host bits set past the prefix
 * ("10.0.0.1/8": which network was meant?); err names the value. */
enum tk_rc client_cidr_parse(const char *s, struct client_cidr *out, struct tk_error *err);

/* Adds one CIDR to the list; TK_ELIMIT past CLIENT_PROXIES_MAX. */
enum tk_rc client_proxies_add(struct client_proxies *p, const char *cidr,
			      struct tk_error *err);

bool client_proxies_match(const struct client_proxies *p, const struct client_addr *a);

/* The client behind the TCP peer.  When the peer is not a trusted proxy,
 * the peer, whatever the headers say.  When it is, X-Forwarded-For (the
 * n header lines in the order received, as one list) is walked from the
 * right: each address that is itself a trusted proxy is stepped over, and
 * the first that is not is the client (nginx's real_ip_recursive).  An
 * entry that is not an address, too many entries or lines, or no header
 * at all: the peer (a proxy that sends garbage is not believed in part).
 * When every entry is a trusted proxy, the leftmost.  Returns whether the
 * client came from the header. */
bool client_addr_resolve(const struct client_proxies *p, const struct client_addr *peer,
			 const char *const *xff, size_t n, struct client_addr *out);

#endif

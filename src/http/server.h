/* server.h — `tuike serve`: the HTTP/1.1 server (libmicrohttpd, epoll, a
 * pool of network threads) in front of the JSON API and the tracking-link
 * redirects.
 *
 * GET /s/{code} is answered on the network thread from the in-memory link
 * table, and the click goes to the in-memory click buffer: no lock but the
 * buffer's, no disk.  API calls that touch the database are handed to a
 * few API worker threads (the network thread suspends the connection and
 * goes on serving others), so a slow query never delays a redirect.
 *
 * Limits: request headers (connection memory), path length, body size
 * (per route), connections in all and per address, an idle timeout, a
 * deadline for each request's head and body, and early closing of slow
 * heads when connections run short (http/edge.h).  SIGTERM or SIGINT: stop accepting, finish the
 * requests under way (up to drain_s), write every buffered click, exit. */
#ifndef TK_HTTP_SERVER_H
#define TK_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "http/api.h"
#include "http/client_addr.h"
#include "store/server_store.h"

#define SERVER_HOST_MAX 64

struct server_config {
	const char *db_path;          /* "" for TUIKE_DB / ./tuike.db */
	char host[SERVER_HOST_MAX];   /* a numeric IPv4 or IPv6 address */
	int port;                     /* 0: any free port */
	int threads;                  /* network threads */
	int api_workers;              /* threads running API calls */
	const char *access_log;       /* NULL: off; "-": stderr; else a file */
	struct api_config api;
	int flush_ms;                 /* click flush interval, 10..1000 */
	/* this node's name among the serve nodes of one database (its clicks
	 * and link counters are its own); "": the host's name and the port */
	char node[CLICK_NODE_MAX];
	size_t body_max;              /* bytes of a request body */
	size_t import_max;            /* bytes of an order import body */
	unsigned timeout_s;           /* idle connections are closed after this */
	unsigned connection_limit;
	unsigned per_ip_limit;        /* connections per client address (the TCP peer); 0: none */
	unsigned head_timeout_s;      /* a request head within this of the connection's
				       * waiting for it; 0: no deadline */
	unsigned body_timeout_s;      /* a body within this, plus a second per 64 KiB; 0: none */
	unsigned pressure_pct;        /* a network thread's share of connections above
				       * which slow heads are closed early; 0: never */
	unsigned pressure_grace_ms;   /* the head's grace under pressure */
	size_t header_max;            /* bytes of memory per connection for the request head */
	int drain_s;                  /* the longest wait for requests under way at shutdown */
	const char *web_dir;          /* the built web pages to serve at "/", or NULL */
	const char *config;           /* the unions' settings (--config), NULL: $TUIKE_CONFIG */
	/* reverse proxies whose X-Forwarded-For names the client; none: the
	 * TCP peer is the client, whatever the headers say */
	struct client_proxies trusted;
	/* hosts posters may fetch product images from besides the unions'
	 * CDNs ("host" or "host:port", --image-host; points into argv) */
	const char *image_hosts[16];
	int n_image_hosts;
};

void server_config_default(struct server_config *cfg);

/* The node's name: cfg->node, else the host's name and the configured
 * port ("shop-web-1:8080"). */
void server_node_name(const struct server_config *cfg, char out[CLICK_NODE_MAX]);

/* Called once the server listens: its base URL ("http://127.0.0.1:8080")
 * and how many links it serves. */
typedef void (*server_ready_fn)(void *ctx, const char *url, size_t links);

/* Runs the server until SIGTERM or SIGINT.  Fails before serving when the
 * database, the address or a limit is wrong; TK_EIO when clicks could not
 * all be written at shutdown. */
enum tk_rc server_run(const struct server_config *cfg, server_ready_fn ready, void *ctx,
		      struct tk_error *err);

#endif

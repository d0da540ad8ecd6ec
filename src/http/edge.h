/* edge.h — the server's network edge: every connection's deadline, the
 * connections each client address may hold, and early closing when the
 * connection slots run short, so that slow clients cannot take them all.
 *
 * libmicrohttpd only limits idle time, which a client trickling one byte a
 * second never reaches.  The edge keeps each network thread's connections
 * (told by MHD's connection notifications) with the time their current
 * request began, and a sweeper thread shuts down (shutdown(2)) those past
 * their deadline, or, under pressure, those slowest to bring a request
 * head; libmicrohttpd then sees them close.  The CLOSED notification runs
 * before libmicrohttpd closes the socket and takes the same lock as the
 * sweep, so a sweep never shuts down a descriptor already reused. */
#ifndef TK_HTTP_EDGE_H
#define TK_HTTP_EDGE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define EDGE_DAEMONS_MAX 64
#define EDGE_SWEEP_MS 50             /* how often deadlines are checked */
#define EDGE_BODY_RATE 65536          /* bytes a second a body is allowed at the least */

struct edge_limits {
	unsigned head_s;              /* a request head within this; 0: no deadline */
	unsigned body_s;              /* a body within this plus its length at EDGE_BODY_RATE;
				       * 0: no deadline */
	unsigned per_ip;              /* connections one address may hold; 0: no limit */
	unsigned pressure_pct;        /* a thread's share of connections above which it is
				       * under pressure; 0: never */
	unsigned grace_ms;            /* under pressure, a head must arrive within this */
	/* addresses the per_ip limit spares (a reverse proxy's own, whose
	 * connections carry many clients); NULL: none */
	bool (*exempt)(void *ctx, const uint8_t *ip, size_t len);
	void *exempt_ctx;
};

/* What the edge closed and refused since the start (for /health). */
struct edge_stats {
	long open;                    /* connections open now */
	long closed_head;             /* head not complete by its deadline */
	long closed_body;             /* body not complete by its deadline */
	long closed_pressure;         /* closed early to make room */
	long refused_per_ip;          /* the address held its limit already */
};

struct edge;
struct edge_daemon;

/* A new edge for up to n_daemons network threads; NULL when out of memory.
 * The limits are copied. */
struct edge *edge_new(const struct edge_limits *lim, int n_daemons);

/* The edge of network thread i, listening on listen_fd with `share`
 * connections at most: the closure of edge_accept and edge_notify for its
 * daemon.  NULL when out of memory. */
struct edge_daemon *edge_daemon(struct edge *e, int i, int listen_fd, unsigned share);

/* MHD's accept policy callback (cls: an edge_daemon): refuses an address
 * that holds its limit of connections already. */
enum MHD_Result edge_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);

/* MHD's connection notification callback (cls: an edge_daemon). */
void edge_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		 enum MHD_ConnectionNotificationCode toe);

/* The request's head has arrived; a body of `body_len` bytes at most
 * (0: none) is still to come. */
void edge_head_done(struct MHD_Connection *conn, uint64_t body_len);

/* The request has arrived whole: it has no deadline while it is answered. */
void edge_request_done(struct MHD_Connection *conn);

/* The answer has gone: the connection waits for its next request head. */
void edge_request_ended(struct MHD_Connection *conn);

/* Starts and stops the sweeper thread.  Stop it before stopping the
 * daemons; free the edge after. */
enum tk_rc edge_start(struct edge *e, struct tk_error *err);
void edge_stop(struct edge *e);
void edge_free(struct edge *e);

/* The counts so far; e may be NULL (all zero). */
void edge_stats(struct edge *e, struct edge_stats *out);

/* ---- the decision, pure (for tests) ---- */

enum edge_phase { EDGE_WAITING, EDGE_BODY, EDGE_BUSY };
enum edge_verdict { EDGE_KEEP, EDGE_CLOSE_HEAD, EDGE_CLOSE_BODY, EDGE_CLOSE_PRESSURE };

/* One connection as the sweep sees it. */
struct edge_view {
	enum edge_phase phase;
	int64_t since_us;             /* when the phase began */
	int64_t deadline_us;          /* 0: none */
};

/* A candidate for closing under pressure (edge_decide's scratch). */
struct edge_cand {
	int64_t since_us;
	size_t i;
};

/* Decides, for n connections of one thread at time now_us, which to close
 * and why (why[i]).  Past its deadline: closed.  Under pressure (more
 * than pressure_pct of `share` open, or `waiting` clients in the accept
 * queue while above it), connections waiting for a head longer than the
 * grace are closed, the longest waiting first, until the thread is back
 * at the mark with room for those waiting.  Returns how many to close. */
size_t edge_decide(const struct edge_limits *lim, const struct edge_view *v, size_t n,
		   unsigned share, size_t waiting, int64_t now_us, enum edge_verdict *why,
		   struct edge_cand *scratch);

#endif

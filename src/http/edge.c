/* edge.c — connection deadlines, the per-address connection limit and
 * early closing under pressure, around libmicrohttpd's own limits (see
 * edge.h).  The network threads tell the edge where each connection stands;
 * one sweeper thread closes the overdue ones. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "http/edge.h"

#include <assert.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define IP_BUCKETS 4096

/* One connection of one network thread. */
struct edge_conn {
	struct edge_conn *prev, *next; /* in its thread's list, under d->lock */
	struct edge_daemon *d;
	int fd;
	bool closing;                 /* shut down by the edge: under d->lock */
	bool ip_counted;              /* counts against its address's limit */
	uint8_t ip_len;
	uint8_t ip[16];
	/* written by the network thread: since and deadline first, then the
	 * phase (release), so a sweep that sees a phase sees its times */
	_Atomic int phase;
	_Atomic int64_t since_us, deadline_us;
};

struct edge_daemon {
	struct edge *e;
	pthread_mutex_t lock;
	struct edge_conn *head, *tail;
	size_t n;
	int listen_fd;
	unsigned share;               /* MHD never holds more than this */
	/* the sweep's work space, share entries each */
	struct edge_view *views;
	struct edge_conn **conns;
	enum edge_verdict *why;
	struct edge_cand *cand;
};

/* How many connections one address holds, over every network thread. */
struct ip_count {
	struct ip_count *next;
	unsigned n;
	uint8_t len;
	uint8_t ip[16];
};

struct edge {
	struct edge_limits lim;
	int n_daemons;
	struct edge_daemon *_Atomic daemons[EDGE_DAEMONS_MAX]; /* read by /health meanwhile */
	pthread_mutex_t ip_lock;
	struct ip_count *ips[IP_BUCKETS];
	_Atomic long closed_head, closed_body, closed_pressure, refused_per_ip;
	/* the sweeper */
	pthread_t thread;
	bool running, stop;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_wake;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the decision ---- */

static int by_since(const void *a, const void *b)
{
	const struct edge_cand *x = a, *y = b;
	return x->since_us < y->since_us ? -1 : x->since_us > y->since_us;
}

size_t edge_decide(const struct edge_limits *lim, const struct edge_view *v, size_t n,
		   unsigned share, size_t waiting, int64_t now_us, enum edge_verdict *why,
		   struct edge_cand *scratch)
{
	size_t closed = 0, n_cand = 0;
	for (size_t i = 0; i < n; i++) {
		why[i] = EDGE_KEEP;
		if (v[i].phase != EDGE_BUSY && v[i].deadline_us && now_us >= v[i].deadline_us) {
			why[i] = v[i].phase == EDGE_BODY ? EDGE_CLOSE_BODY : EDGE_CLOSE_HEAD;
			closed++;
		} else if (v[i].phase == EDGE_WAITING &&
			   now_us - v[i].since_us >= (int64_t)lim->grace_ms * 1000) {
			scratch[n_cand++] = (struct edge_cand){v[i].since_us, i};
		}
	}
	if (!lim->pressure_pct)
		return closed;
	size_t mark = (size_t)share * lim->pressure_pct / 100;
	size_t open = n - closed;
	if (open <= mark || !n_cand)
		return closed;
	/* back to the mark, and room for those at the door */
	size_t need = open - mark + waiting;
	if (need > n_cand)
		need = n_cand;
	else
		qsort(scratch, n_cand, sizeof(*scratch), by_since);
	for (size_t k = 0; k < need; k++) {
		assert(why[scratch[k].i] == EDGE_KEEP);
		why[scratch[k].i] = EDGE_CLOSE_PRESSURE;
	}
	return closed + need;
}

/* ---- addresses ---- */

static size_t addr_bytes(const struct sockaddr *sa, uint8_t ip[16])
{
	if (sa && sa->sa_family == AF_INET) {
		memcpy(ip, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(ip, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 16;
	}
	return 0;
}

static size_t ip_hash(const uint8_t *ip, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ ip[i]) * 16777619u;
	return h % IP_BUCKETS;
}

/* The address's entry; created (with n = 0) when `make`; NULL when absent
 * or out of memory.  Under ip_lock. */
static struct ip_count *ip_find(struct edge *e, const uint8_t *ip, size_t len, bool make)
{
	struct ip_count **b = &e->ips[ip_hash(ip, len)];
	for (struct ip_count *c = *b; c; c = c->next)
		if (c->len == len && memcmp(c->ip, ip, len) == 0)
			return c;
	if (!make)
		return NULL;
	struct ip_count *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->len = (uint8_t)len;
	memcpy(c->ip, ip, len);
	c->next = *b;
	*b = c;
	return c;
}

/* Counts a connection of the address; false (nothing counted) when it
 * holds its limit already. */
static bool ip_take(struct edge *e, const uint8_t *ip, size_t len)
{
	pthread_mutex_lock(&e->ip_lock);
	struct ip_count *c = ip_find(e, ip, len, true);
	bool ok = c && c->n < e->lim.per_ip;
	if (ok)
		c->n++;
	pthread_mutex_unlock(&e->ip_lock);
	return ok;
}

static void ip_give(struct edge *e, const uint8_t *ip, size_t len)
{
	pthread_mutex_lock(&e->ip_lock);
	struct ip_count **p = &e->ips[ip_hash(ip, len)];
	for (; *p; p = &(*p)->next) {
		struct ip_count *c = *p;
		if (c->len == len && memcmp(c->ip, ip, len) == 0) {
			assert(c->n > 0);
			if (--c->n == 0) {
				*p = c->next;
				free(c);
			}
			break;
		}
	}
	pthread_mutex_unlock(&e->ip_lock);
}

static bool spared(const struct edge *e, const uint8_t *ip, size_t len)
{
	return e->lim.exempt && e->lim.exempt(e->lim.exempt_ctx, ip, len);
}

enum MHD_Result edge_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct edge_daemon *d = cls;
	struct edge *e = d->e;
	uint8_t ip[16];
	size_t len = addr_bytes(addr, ip);
	(void)addrlen;
	if (!e->lim.per_ip || !len || spared(e, ip, len))
		return MHD_YES;
	/* a look only: the connection is counted once MHD has taken it
	 * (edge_notify), since MHD may still drop it before that */
	pthread_mutex_lock(&e->ip_lock);
	struct ip_count *c = ip_find(e, ip, len, false);
	bool full = c && c->n >= e->lim.per_ip;
	pthread_mutex_unlock(&e->ip_lock);
	if (full)
		atomic_fetch_add_explicit(&e->refused_per_ip, 1, memory_order_relaxed);
	return full ? MHD_NO : MHD_YES;
}

/* ---- where each connection stands ---- */

static void set_phase(struct edge_conn *c, enum edge_phase p, int64_t since, int64_t deadline)
{
	atomic_store_explicit(&c->since_us, since, memory_order_relaxed);
	atomic_store_explicit(&c->deadline_us, deadline, memory_order_relaxed);
	atomic_store_explicit(&c->phase, (int)p, memory_order_release);
}

static void waiting_for_head(struct edge_conn *c)
{
	int64_t now = mono_us();
	unsigned head_s = c->d->e->lim.head_s;
	set_phase(c, EDGE_WAITING, now, head_s ? now + (int64_t)head_s * 1000000 : 0);
}

void edge_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		 enum MHD_ConnectionNotificationCode toe)
{
	struct edge_daemon *d = cls;
	struct edge *e = d->e;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fi =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ai =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		struct edge_conn *c = fi ? calloc(1, sizeof(*c)) : NULL;
		*socket_context = c;
		if (!c)
			return; /* untracked: MHD's idle timeout still holds */
		c->d = d;
		c->fd = fi->connect_fd;
		c->ip_len = (uint8_t)addr_bytes(ai ? ai->client_addr : NULL, c->ip);
		waiting_for_head(c);
		if (e->lim.per_ip && c->ip_len && !spared(e, c->ip, c->ip_len)) {
			/* two network threads may both have let the address's
			 * last one in: the second goes here */
			c->ip_counted = ip_take(e, c->ip, c->ip_len);
			if (!c->ip_counted) {
				atomic_fetch_add_explicit(&e->refused_per_ip, 1, memory_order_relaxed);
				c->closing = true;
				shutdown(c->fd, SHUT_RDWR);
			}
		}
		pthread_mutex_lock(&d->lock);
		c->prev = d->tail;
		if (d->tail)
			d->tail->next = c;
		else
			d->head = c;
		d->tail = c;
		d->n++;
		pthread_mutex_unlock(&d->lock);
		return;
	}
	if (toe != MHD_CONNECTION_NOTIFY_CLOSED)
		return;
	struct edge_conn *c = *socket_context;
	*socket_context = NULL;
	if (!c)
		return;
	/* MHD closes the socket after this returns: once the connection is
	 * out of the list, no sweep can shut its descriptor down */
	pthread_mutex_lock(&d->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		d->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		d->tail = c->prev;
	assert(d->n > 0);
	d->n--;
	pthread_mutex_unlock(&d->lock);
	if (c->ip_counted)
		ip_give(e, c->ip, c->ip_len);
	free(c);
}

static struct edge_conn *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

void edge_head_done(struct MHD_Connection *conn, uint64_t body_len)
{
	struct edge_conn *c = conn_of(conn);
	if (!c)
		return;
	if (!body_len) {
		set_phase(c, EDGE_BUSY, mono_us(), 0);
		return;
	}
	int64_t now = mono_us();
	unsigned body_s = c->d->e->lim.body_s;
	int64_t deadline = 0;
	if (body_s)
		deadline = now + (int64_t)body_s * 1000000 +
			   (int64_t)(body_len / EDGE_BODY_RATE) * 1000000;
	set_phase(c, EDGE_BODY, now, deadline);
}

void edge_request_done(struct MHD_Connection *conn)
{
	struct edge_conn *c = conn_of(conn);
	if (c && atomic_load_explicit(&c->phase, memory_order_relaxed) != EDGE_BUSY)
		set_phase(c, EDGE_BUSY, mono_us(), 0);
}

void edge_request_ended(struct MHD_Connection *conn)
{
	struct edge_conn *c = conn_of(conn);
	if (c)
		waiting_for_head(c);
}

/* ---- the sweeper ---- */

/* Connections the kernel holds ready for the listener to accept (for a
 * listening socket, TCP_INFO's unacked is its accept queue); 0 when it
 * cannot tell. */
static size_t accept_queue(int listen_fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	if (listen_fd < 0 || getsockopt(listen_fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return 0;
	return ti.tcpi_unacked;
}

static void sweep(struct edge *e, struct edge_daemon *d)
{
	size_t waiting = accept_queue(d->listen_fd);
	int64_t now = mono_us();
	size_t k = 0;
	pthread_mutex_lock(&d->lock);
	for (struct edge_conn *c = d->head; c && k < d->share; c = c->next) {
		if (c->closing)
			continue;
		struct edge_view *v = &d->views[k];
		v->phase = (enum edge_phase)atomic_load_explicit(&c->phase, memory_order_acquire);
		v->since_us = atomic_load_explicit(&c->since_us, memory_order_relaxed);
		v->deadline_us = atomic_load_explicit(&c->deadline_us, memory_order_relaxed);
		d->conns[k++] = c;
	}
	if (edge_decide(&e->lim, d->views, k, d->share, waiting, now, d->why, d->cand)) {
		for (size_t i = 0; i < k; i++) {
			_Atomic long *count = d->why[i] == EDGE_CLOSE_HEAD	   ? &e->closed_head
					      : d->why[i] == EDGE_CLOSE_BODY	   ? &e->closed_body
					      : d->why[i] == EDGE_CLOSE_PRESSURE ? &e->closed_pressure
										: NULL;
			if (!count)
				continue;
			/* MHD sees the end of the stream and closes it itself */
			shutdown(d->conns[i]->fd, SHUT_RDWR);
			d->conns[i]->closing = true;
			atomic_fetch_add_explicit(count, 1, memory_order_relaxed);
		}
	}
	pthread_mutex_unlock(&d->lock);
}

static void *sweeper(void *arg)
{
	struct edge *e = arg;
	pthread_setname_np(pthread_self(), "tuike-edge");
	pthread_mutex_lock(&e->stop_lock);
	while (!e->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += EDGE_SWEEP_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&e->stop_wake, &e->stop_lock, &until);
		if (e->stop)
			break;
		pthread_mutex_unlock(&e->stop_lock);
		for (int i = 0; i < e->n_daemons; i++)
			if (e->daemons[i])
				sweep(e, e->daemons[i]);
		pthread_mutex_lock(&e->stop_lock);
	}
	pthread_mutex_unlock(&e->stop_lock);
	return NULL;
}

/* ---- life ---- */

struct edge *edge_new(const struct edge_limits *lim, int n_daemons)
{
	assert(n_daemons >= 1 && n_daemons <= EDGE_DAEMONS_MAX);
	struct edge *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->lim = *lim;
	e->n_daemons = n_daemons;
	pthread_mutex_init(&e->ip_lock, NULL);
	pthread_mutex_init(&e->stop_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&e->stop_wake, &ca);
	pthread_condattr_destroy(&ca);
	return e;
}

struct edge_daemon *edge_daemon(struct edge *e, int i, int listen_fd, unsigned share)
{
	assert(i >= 0 && i < e->n_daemons && !e->daemons[i] && share > 0);
	struct edge_daemon *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->e = e;
	d->listen_fd = listen_fd;
	d->share = share;
	pthread_mutex_init(&d->lock, NULL);
	d->views = calloc(share, sizeof(*d->views));
	d->conns = calloc(share, sizeof(*d->conns));
	d->why = calloc(share, sizeof(*d->why));
	d->cand = calloc(share, sizeof(*d->cand));
	e->daemons[i] = d; /* freed with the edge, whatever happens next */
	if (!d->views || !d->conns || !d->why || !d->cand)
		return NULL;
	return d;
}

enum tk_rc edge_start(struct edge *e, struct tk_error *err)
{
	if (pthread_create(&e->thread, NULL, sweeper, e) != 0)
		return tk_fail(err, TK_EIO, "", "cannot start the connection sweeper thread");
	e->running = true;
	return TK_OK;
}

void edge_stop(struct edge *e)
{
	if (!e || !e->running)
		return;
	pthread_mutex_lock(&e->stop_lock);
	e->stop = true;
	pthread_cond_signal(&e->stop_wake);
	pthread_mutex_unlock(&e->stop_lock);
	pthread_join(e->thread, NULL);
	e->running = false;
}

void edge_free(struct edge *e)
{
	if (!e)
		return;
	assert(!e->running);
	for (int i = 0; i < e->n_daemons; i++) {
		struct edge_daemon *d = e->daemons[i];
		if (!d)
			continue;
		/* the daemons have stopped: every connection was closed */
		assert(d->n == 0);
		pthread_mutex_destroy(&d->lock);
		free(d->views);
		free(d->conns);
		free(d->why);
		free(d->cand);
		free(d);
	}
	for (size_t b = 0; b < IP_BUCKETS; b++)
		for (struct ip_count *c = e->ips[b], *next; c; c = next) {
			next = c->next;
			free(c);
		}
	pthread_mutex_destroy(&e->ip_lock);
	pthread_mutex_destroy(&e->stop_lock);
	pthread_cond_destroy(&e->stop_wake);
	free(e);
}

void edge_stats(struct edge *e, struct edge_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!e)
		return;
	for (int i = 0; i < e->n_daemons; i++) {
		struct edge_daemon *d = e->daemons[i];
		if (!d)
			continue;
		pthread_mutex_lock(&d->lock);
		out->open += (long)d->n;
		pthread_mutex_unlock(&d->lock);
	}
	out->closed_head = atomic_load(&e->closed_head);
	out->closed_body = atomic_load(&e->closed_body);
	out->closed_pressure = atomic_load(&e->closed_pressure);
	out->refused_per_ip = atomic_load(&e->refused_per_ip);
}

/* server.c — libmicrohttpd glue: the redirect fast path, gathering API
 * requests within their limits, handing them to the API workers, the
 * access log, and the orderly shutdown.
 *
 * One libmicrohttpd daemon per network thread, each with its own listening
 * socket on the same port (SO_REUSEPORT): the kernel spreads new
 * connections over them, so the threads never wake together for one
 * connection, as they would sharing one socket. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/textbuf.h"
#include "http/access_log.h"
#include "http/client_addr.h"
#include "http/edge.h"
#include "tracking/clicks.h"
#include "http/idempotency.h"
#include "tracking/links_convert.h"
#include "tracking/link_table.h"
#include "tracking/links.h"
#include "http/openapi.h"
#include "http/ratelimit.h"
#include "http/web_files.h"
#include "store/server_store.h"
#include "poster/poster_draw.h"
#include "poster/poster_image.h"

#define QUERY_ARGS_MAX 32        /* query parameters kept per request */
#define HOUSEKEEPING_S 60        /* expired sessions and old idempotency records */
#define LINKS_FOLLOW_MS 250      /* other processes' new and revoked links */
#define CHANGES_KEEP 1000000     /* changes kept in the log for processes behind */
#define RATELIMIT_SLOTS 65536
#define SERVER_THREADS_MAX 64
#define LISTEN_BACKLOG 1024

struct server;

/* One API request, from its first byte to its access-log line. */
struct request {
	struct server *srv;
	struct MHD_Connection *conn;
	const struct route *route;    /* matched on the first call; NULL: none */
	char method[8];
	char *path;
	char ip[INET6_ADDRSTRLEN];    /* the client's (client_ip) */
	char peer[INET6_ADDRSTRLEN];  /* the TCP peer's: a proxy, or the client */
	int64_t t0_us, at_ms;
	/* the body, within `max` bytes */
	struct textbuf body;
	size_t max;
	uint64_t expect;              /* bytes of body announced (chunked: max) */
	int early;                    /* an error status to answer without running the call */
	const char *early_code, *early_msg;
	/* what the API worker may read once the connection is suspended */
	char *authorization, *idem_key, *accept;
	char *reason; /* X-Reason, for the action log */
	char *if_none_match; /* If-None-Match, for an image asked again */
	int n_args;
	char *arg_name[QUERY_ARGS_MAX], *arg_value[QUERY_ARGS_MAX];
	char *query;                  /* "a=1&b=2", for the idempotency hash */
	enum { REQ_READING, REQ_RUNNING, REQ_ANSWERED } state;
	struct api_call call;
	struct request *next;         /* in the worker queue */
	int status;
	size_t bytes_out;
};

struct server {
	const struct server_config *cfg;
	struct api api;
	struct MHD_Daemon *daemons[SERVER_THREADS_MAX];
	int listen_fds[SERVER_THREADS_MAX];
	int n_daemons;
	struct edge *edge;            /* deadlines and connection limits */
	unsigned port;                /* the port bound */
	struct access_log *log;
	struct MHD_Response *not_found;
	struct MHD_Response *gone;    /* a link whose host is no longer allowed */
	struct web_files web;         /* the console's pages, in memory */
	int64_t clock_offset;         /* TUIKE_NOW - wall clock, for click times */
	struct store_node_lock *node_lock; /* this node's name, held while it runs */
	_Atomic long active;          /* API requests under way (a redirect is answered
				       * within the call that reads it) */
	/* the API worker queue */
	pthread_mutex_t qlock;
	pthread_cond_t qwake;
	struct request *head, *tail;
	bool qstop;
	int n_workers;
	pthread_t workers[16];
};

/* The marker a redirect request carries between the two calls MHD makes. */
static int redirect_marker;

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void server_config_default(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->db_path = "";
	snprintf(cfg->host, sizeof(cfg->host), "127.0.0.1");
	cfg->port = 8080;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = n > 0 && n < 64 ? (int)n : 2;
	cfg->api_workers = 4;
	cfg->access_log = "-";
	cfg->api.session_ttl = 7 * 86400;
	cfg->api.opsession_ttl = 8 * 3600; /* a working day: the console logs in again each morning */
	cfg->api.key_rate = 100;
	cfg->api.login_rate = 10;
	cfg->api.account_failures = 10;
	cfg->flush_ms = 500;
	cfg->body_max = 1024 * 1024;
	cfg->import_max = 16 * 1024 * 1024;
	cfg->timeout_s = 15;
	cfg->connection_limit = 10000;
	cfg->per_ip_limit = 64;
	cfg->head_timeout_s = 10;
	cfg->body_timeout_s = 30;
	cfg->pressure_pct = 75;
	cfg->pressure_grace_ms = 200;
	cfg->header_max = 8 * 1024;
	cfg->drain_s = 10;
}

/* ---- the client's address ---- */

/* The X-Forwarded-For lines of a request, in the order received. */
struct xff_lines {
	const char *v[CLIENT_XFF_LINES_MAX + 1];
	size_t n;
};

static enum MHD_Result keep_xff(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct xff_lines *x = cls;
	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") == 0 && x->n <= CLIENT_XFF_LINES_MAX)
		x->v[x->n++] = value; /* one more than allowed: refused whole */
	return MHD_YES;
}

/* Whether a TCP peer is a trusted proxy: its connections carry many
 * clients, so the per-address connection limit spares it (edge.h). */
static bool trusted_peer(void *ctx, const uint8_t *ip, size_t len)
{
	struct client_addr a;
	client_addr_from_raw(ip, len, &a);
	return client_proxies_match(ctx, &a);
}

/* The client's address: the TCP peer, or, when the peer is a trusted
 * proxy (--trusted-proxy), the one X-Forwarded-For names (client_addr.h).
 * Every X-Forwarded-For line is read, in order: a proxy that adds a line
 * of its own rather than appending must not leave the client's own line
 * to be believed.  raw gets the bytes a click hashes; text and peer (when
 * given) the client's and the peer's addresses as text. */
static size_t client_ip(struct server *s, struct MHD_Connection *conn, uint8_t raw[16],
			char *text, char *peer)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	struct client_addr from, client;
	if (sa && sa->sa_family == AF_INET)
		client_addr_from_raw(&((const struct sockaddr_in *)sa)->sin_addr, 4, &from);
	else if (sa && sa->sa_family == AF_INET6)
		client_addr_from_raw(&((const struct sockaddr_in6 *)sa)->sin6_addr, 16, &from);
	else
		memset(&from, 0, sizeof(from));
	client = from;
	if (s->cfg->trusted.n && client_proxies_match(&s->cfg->trusted, &from)) {
		struct xff_lines xff = {{0}, 0};
		MHD_get_connection_values(conn, MHD_HEADER_KIND, keep_xff, &xff);
		client_addr_resolve(&s->cfg->trusted, &from, xff.v, xff.n, &client);
	}
	if (text)
		client_addr_text(&client, text);
	if (peer)
		client_addr_text(&from, peer);
	return client_addr_raw(&client, raw);
}

/* ---- the redirect fast path ---- */

static enum MHD_Result serve_redirect(struct server *s, struct MHD_Connection *conn,
				      const char *url, bool head)
{
	const char *code = url + 3; /* after "/s/" */
	size_t len = strlen(code);
	const struct link_entry *l = links_code_valid(code, len)
					     ? link_table_get(s->api.links, code, len)
					     : NULL;
	if (!l || atomic_load_explicit(&l->revoked, memory_order_relaxed))
		return MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, s->not_found);
	/* a member's link to a host not (or no longer) allowed: a plain page,
	 * never the address, and no click */
	if (atomic_load_explicit(&l->blocked, memory_order_relaxed))
		return MHD_queue_response(conn, MHD_HTTP_GONE, s->gone);
	uint8_t ip[16];
	size_t ip_len = client_ip(s, conn, ip, NULL, NULL);
	/* a HEAD is answered as a GET is, but nobody reads a page through
	 * one: link checkers and preview fetchers do; a robot's hit, never a
	 * click */
	clicks_record(s->api.clicks, l, (int64_t)time(NULL) + s->clock_offset, ip, ip_len,
		      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT),
		      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_REFERER),
		      head);
	/* a fresh answer each time: made from memory the thread has at hand
	 * (its allocator's cache, the entry just read), it costs less than
	 * reaching a shared one in memory the other threads also touch */
	struct MHD_Response *r =
		MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, l->target);
	if (ok && atomic_load_explicit(&s->api.stopping, memory_order_relaxed))
		ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	if (ok)
		ok = MHD_queue_response(conn, MHD_HTTP_FOUND, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- the web pages: from memory, on the network thread ---- */

/* The answer for one encoding of f, made once: its headers are those of the
 * file, plus Content-Encoding for a compressed body and, for a file that
 * has compressed bodies, Vary on every one (a cache must not hand the
 * brotli body to a client that did not ask for it). */
static struct MHD_Response *web_response(const struct web_file *f, enum web_encoding e)
{
	const struct web_body *b = &f->body[e];
	struct MHD_Response *r =
		MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return NULL;
	bool page = strcmp(f->type, "text/html; charset=utf-8") == 0;
	bool varies = f->body[WEB_BR].data || f->body[WEB_GZIP].data;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, f->type) != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, f->cache) != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, b->etag) != MHD_YES ||
	    (e != WEB_IDENTITY &&
	     MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
				     e == WEB_BR ? "br" : "gzip") != MHD_YES) ||
	    (varies && MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding") != MHD_YES) ||
	    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES ||
	    MHD_add_response_header(r, "Referrer-Policy", "same-origin") != MHD_YES ||
	    (page && (MHD_add_response_header(r, "X-Frame-Options", "DENY") != MHD_YES ||
		      MHD_add_response_header(
			      r, "Content-Security-Policy",
			      "default-src 'self'; img-src 'self' https: data:; "
			      "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
			      "base-uri 'none'; form-action 'self'") != MHD_YES))) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

static enum tk_rc web_open(struct server *s, const char *dir, struct tk_error *err)
{
	enum tk_rc rc = web_files_load(dir, &s->web, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < s->web.n; i++) {
		struct web_file *f = &s->web.files[i];
		for (int e = 0; e < WEB_ENCODINGS; e++) {
			if (!f->body[e].data)
				continue;
			f->body[e].response = web_response(f, (enum web_encoding)e);
			if (!f->body[e].response)
				return tk_fail(err, TK_ENOMEM, "", "out of memory");
		}
	}
	return TK_OK;
}

static void web_close(struct server *s)
{
	for (size_t i = 0; i < s->web.n; i++)
		for (int e = 0; e < WEB_ENCODINGS; e++)
			if (s->web.files[i].body[e].response)
				MHD_destroy_response(s->web.files[i].body[e].response);
	web_files_free(&s->web);
}

/* A page or asset for GET/HEAD url, or a redirect from "/m" to "/m/";
 * MHD_NO with *handled false when url is none of them. */
static enum MHD_Result serve_web(struct server *s, struct MHD_Connection *conn, const char *url,
				 bool *handled)
{
	const struct web_file *f = web_files_get(&s->web, url);
	*handled = true;
	if (f) {
		const char *ae =
			MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
		const struct web_body *b = &f->body[web_pick_encoding(f, ae)];
		const char *inm =
			MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
		if (inm && strcmp(inm, b->etag) == 0) {
			struct MHD_Response *r =
				MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
			if (!r)
				return MHD_NO;
			enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, b->etag);
			if (ok && (f->body[WEB_BR].data || f->body[WEB_GZIP].data))
				ok = MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
			if (ok)
				ok = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, r);
			MHD_destroy_response(r);
			return ok;
		}
		return MHD_queue_response(conn, MHD_HTTP_OK, b->response);
	}
	if (web_files_is_folder(&s->web, url)) {
		char to[WEB_PATH_MAX + 2];
		snprintf(to, sizeof(to), "%s/", url);
		struct MHD_Response *r =
			MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
		if (ok)
			ok = MHD_queue_response(conn, MHD_HTTP_MOVED_PERMANENTLY, r);
		MHD_destroy_response(r);
		return ok;
	}
	*handled = false;
	return MHD_NO;
}

/* ---- API requests: reading ---- */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static const char *request_lookup(void *ctx, enum api_lookup_kind kind, const char *name)
{
	struct request *r = ctx;
	if (kind == API_HEADER) {
		if (strcasecmp(name, "Authorization") == 0)
			return r->authorization;
		if (strcasecmp(name, "Idempotency-Key") == 0)
			return r->idem_key;
		if (strcasecmp(name, "Accept") == 0) /* an export asking for CSV */
			return r->accept;
		if (strcasecmp(name, "X-Reason") == 0)
			return r->reason;
		if (strcasecmp(name, "If-None-Match") == 0) /* an image asked again */
			return r->if_none_match;
		return NULL;
	}
	for (int i = 0; i < r->n_args; i++)
		if (strcmp(r->arg_name[i], name) == 0)
			return r->arg_value[i] ? r->arg_value[i] : "";
	return NULL;
}

static enum MHD_Result keep_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct request *r = cls;
	(void)kind;
	if (r->n_args == QUERY_ARGS_MAX) {
		r->early = MHD_HTTP_BAD_REQUEST;
		r->early_code = "limit_exceeded";
		r->early_msg = "more than 32 query parameters";
		return MHD_NO;
	}
	r->arg_name[r->n_args] = strdup(key);
	r->arg_value[r->n_args] = dup_or_null(value);
	r->n_args++;
	size_t old = r->query ? strlen(r->query) : 0;
	size_t add = strlen(key) + (value ? strlen(value) + 1 : 0) + 2;
	char *q = realloc(r->query, old + add);
	if (q) {
		snprintf(q + old, add, "%s%s%s%s", old ? "&" : "", key, value ? "=" : "",
			 value ? value : "");
		r->query = q;
	}
	return MHD_YES;
}

/* Copies what the API call reads out of MHD's memory, so that a worker
 * can run the call while the connection is suspended. */
static void snapshot(struct request *r)
{
	r->authorization = dup_or_null(
		MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization"));
	r->idem_key =
		dup_or_null(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key"));
	r->accept = dup_or_null(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept"));
	r->reason = dup_or_null(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Reason"));
	r->if_none_match =
		dup_or_null(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match"));
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, keep_arg, r);
}

static void request_free(struct request *r)
{
	api_call_free(&r->call);
	free(r->path);
	textbuf_free(&r->body);
	free(r->authorization);
	free(r->idem_key);
	free(r->accept);
	free(r->reason);
	free(r->if_none_match);
	for (int i = 0; i < r->n_args; i++) {
		free(r->arg_name[i]);
		free(r->arg_value[i]);
	}
	free(r->query);
	free(r);
}

static struct request *request_new(struct server *s, struct MHD_Connection *conn,
				   const char *url, const char *method)
{
	struct request *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->srv = s;
	r->conn = conn;
	r->t0_us = mono_us();
	r->at_ms = wall_ms();
	snprintf(r->method, sizeof(r->method), "%s", method);
	r->path = strdup(url);
	if (!r->path) {
		free(r);
		return NULL;
	}
	uint8_t raw[16];
	client_ip(s, conn, raw, r->ip, r->peer);
	r->max = s->cfg->body_max;
	if (strlen(url) >= ROUTE_PATH_MAX) {
		r->early = MHD_HTTP_URI_TOO_LONG;
		r->early_code = "uri_too_long";
		r->early_msg = "the path is longer than 2047 bytes";
		return r;
	}
	struct route_match m;
	if (router_match(api_routes, api_routes_count, method, url, &m) == ROUTE_FOUND) {
		r->route = m.route;
		if (m.route->flags & ROUTE_BIG_BODY)
			r->max = s->cfg->import_max;
	}
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long n = cl ? strtoull(cl, &end, 10) : 0;
	if (cl && !*end)
		r->expect = n;
	else if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_TRANSFER_ENCODING))
		r->expect = r->max;
	if (cl && (*end || n > r->max)) {
		r->early = MHD_HTTP_CONTENT_TOO_LARGE;
		r->early_code = "payload_too_large";
		r->early_msg = r->max == s->cfg->import_max
				       ? "the body is larger than the import limit"
				       : "the body is larger than the limit (--body-max)";
	}
	return r;
}

/* ---- API requests: answering ---- */

static enum MHD_Result queue_answer(struct request *r)
{
	struct server *s = r->srv;
	struct api_call *c = &r->call;
	size_t len;
	char *text = api_answer_text(c, &len);
	if (!text)
		return MHD_NO;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	if (c->location) {
		/* a redirect (Taobao's authorization coming back): its address
		 * carried a one-time code, which no page should pass on */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, c->location);
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	} else {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					c->content_type && c->raw_out
						? c->content_type
						: "application/json; charset=utf-8");
		if (c->download[0] && c->raw_out) {
			char cd[sizeof(c->download) + 32];
			snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", c->download);
			MHD_add_response_header(resp, "Content-Disposition", cd);
		}
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				c->cache_control && c->status < 400 ? c->cache_control : "no-store");
	if (c->etag[0] && c->status < 400)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, c->etag);
	if (c->status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (c->status == MHD_HTTP_METHOD_NOT_ALLOWED && c->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, c->allow);
	if (c->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", c->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (c->replayed)
		MHD_add_response_header(resp, "Idempotent-Replayed", "true");
	if (atomic_load(&s->api.stopping) || r->early)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	r->status = c->status;
	r->bytes_out = len;
	r->state = REQ_ANSWERED;
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)c->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* Answers with an error found before the call ran (limits). */
static enum MHD_Result answer_early(struct request *r)
{
	struct api_call *c = &r->call;
	c->status = r->early;
	/* said by its code: no key or params of its own */
	c->out = json_pack("{s:{s:s, s:s, s:s, s:{}}}", "error", "code", r->early_code, "message",
			   r->early_msg, "key", r->early_code, "params");
	c->err_code = r->early_code;
	return queue_answer(r);
}

static void call_init(struct request *r)
{
	struct api_call *c = &r->call;
	c->method = r->method;
	c->path = r->path;
	c->query = r->query ? r->query : "";
	c->body = r->body.s ? r->body.s : "";
	c->body_len = r->body.len;
	c->lookup = request_lookup;
	c->lookup_ctx = r;
	c->ip = r->ip;
	c->now = engine_now();
	c->now_ms = mono_us() / 1000;
}

/* ---- the API workers ---- */

static void *worker(void *arg)
{
	struct server *s = arg;
	pthread_setname_np(pthread_self(), "tuike-api");
	for (;;) {
		pthread_mutex_lock(&s->qlock);
		while (!s->head && !s->qstop)
			pthread_cond_wait(&s->qwake, &s->qlock);
		struct request *r = s->head;
		if (r) {
			s->head = r->next;
			if (!s->head)
				s->tail = NULL;
		}
		pthread_mutex_unlock(&s->qlock);
		if (!r)
			return NULL; /* stopping, and the queue is empty */
		api_handle(&s->api, &r->call);
		r->state = REQ_ANSWERED;
		MHD_resume_connection(r->conn);
	}
}

/* Suspends the connection and queues the call for a worker; false once
 * the workers are stopping (a suspended connection must never outlive
 * them: MHD cannot stop with one). */
static bool enqueue(struct server *s, struct MHD_Connection *conn, struct request *r)
{
	pthread_mutex_lock(&s->qlock);
	bool ok = !s->qstop;
	if (ok) {
		r->state = REQ_RUNNING;
		r->next = NULL;
		MHD_suspend_connection(conn);
		if (s->tail)
			s->tail->next = r;
		else
			s->head = r;
		s->tail = r;
		pthread_cond_signal(&s->qwake);
	}
	pthread_mutex_unlock(&s->qlock);
	return ok;
}

/* Lets the workers empty the queue, then ends them. */
static void workers_stop(struct server *s)
{
	pthread_mutex_lock(&s->qlock);
	s->qstop = true;
	pthread_cond_broadcast(&s->qwake);
	pthread_mutex_unlock(&s->qlock);
	for (int i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
	s->n_workers = 0;
}

/* ---- the access handler ---- */

static bool append_body(struct request *r, const char *data, size_t n)
{
	if (r->body.len + n > r->max) {
		r->early = MHD_HTTP_CONTENT_TOO_LARGE;
		r->early_code = "payload_too_large";
		r->early_msg = "the body is larger than the limit";
		return false;
	}
	return textbuf_append(&r->body, data, n, r->max);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	(void)version;
	if (!r) {
		/* the first call: only the head has been read */
		if (strncmp(url, "/s/", 3) == 0 &&
		    (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
			edge_head_done(conn, 0);
			*con_cls = &redirect_marker;
			return MHD_YES;
		}
		if (s->web.n && strncmp(url, "/api/", 5) != 0 &&
		    (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
			bool handled;
			enum MHD_Result ok = serve_web(s, conn, url, &handled);
			if (handled) {
				edge_head_done(conn, 0);
				return ok;
			}
		}
		r = request_new(s, conn, url, method);
		if (!r)
			return MHD_NO;
		atomic_fetch_add(&s->active, 1);
		*con_cls = r;
		/* the body has its own deadline, from now */
		edge_head_done(conn, r->early ? 0 : r->expect);
		/* a path or a declared body over the limits is refused before
		 * any of the body is read (and before "100 Continue") */
		return r->early ? answer_early(r) : MHD_YES;
	}
	if ((void *)r == &redirect_marker)
		return serve_redirect(s, conn, url, strcmp(method, "HEAD") == 0);
	if (r->state == REQ_ANSWERED)
		return queue_answer(r); /* resumed after a worker ran the call */
	if (r->state == REQ_RUNNING)
		return MHD_YES;
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (!r->early && !append_body(r, upload, n) && !r->early)
			return MHD_NO; /* out of memory */
		/* a body over the limit is answered at once; MHD then closes */
		return r->early ? answer_early(r) : MHD_YES;
	}
	edge_request_done(conn); /* the whole request has arrived */
	if (r->early)
		return answer_early(r);
	snapshot(r);
	if (r->early)
		return answer_early(r);
	call_init(r);
	if (!r->route || (r->route->flags & ROUTE_INLINE)) {
		/* no database: unknown routes, health, the document */
		api_handle(&s->api, &r->call);
		return queue_answer(r);
	}
	if (!enqueue(s, conn, r)) {
		r->call.status = MHD_HTTP_SERVICE_UNAVAILABLE;
		r->call.out = json_pack("{s:{s:s, s:s, s:s, s:{}}}", "error", "code", "unavailable",
					"message", "the server is shutting down", "key", "unavailable",
					"params");
		r->call.err_code = "unavailable";
		return queue_answer(r);
	}
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *r = *con_cls;
	(void)toe;
	edge_request_ended(conn); /* kept alive: the next head's deadline runs */
	if (!r)
		return;
	*con_cls = NULL;
	if ((void *)r != &redirect_marker) {
		char who[ORDER_KEY_MAX + 16];
		api_principal_text(&r->call, who, sizeof(who));
		struct access_entry e = {
			.at_ms = r->at_ms,
			.method = r->method,
			.path = r->path,
			.route = r->route ? r->route->pattern : "",
			.status = r->status,
			.micros = mono_us() - r->t0_us,
			.bytes_in = r->body.len,
			.bytes_out = r->bytes_out,
			.ip = r->ip,
			.peer = r->peer,
			.principal = who,
			.error = r->status >= 400 && r->call.err_code ? r->call.err_code : "",
		};
		access_log_write(s->log, &e);
		request_free(r);
		atomic_fetch_sub(&s->active, 1);
	}
}

/* MHD would decode %XX in the path before routing; the router decodes each
 * segment itself, so that an escaped '/' stays inside its segment. */
static size_t keep_escapes(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

/* ---- start and stop ---- */

/* A revoked link is kept out of the table, unless it is in it already (a
 * whole reload must stop it there). */
static bool load_link(void *ctx, const struct link_rec *l)
{
	struct tk_error err;
	if (l->revoked_at && !link_table_get(ctx, l->code, strlen(l->code)))
		return true;
	return link_table_put(ctx, l, &err) == TK_OK;
}

/* ---- following the links other processes make and revoke ---- */

struct links_seen {
	struct api *a;
	bool hosts;           /* the allowed hosts changed: read again after */
};

static bool link_changed(void *ctx, enum change_what what, int64_t id)
{
	struct links_seen *seen = ctx;
	struct api *a = seen->a;
	struct tk_error err;
	if (what == CHANGE_LINK_HOSTS)
		seen->hosts = true;
	if (what != CHANGE_LINK)
		return true;
	enum tk_rc rc = a->links_watch->server->link_get_id(a->links_watch, id, a->links_buf, &err);
	if (rc == TK_ENOTFOUND)
		return true; /* made and rolled back */
	return !rc && link_table_put(a->links, a->links_buf, &err) == TK_OK;
}

/* The allowed hosts of URL links as the database holds them now, into
 * the link table: links to a host no longer allowed stop at once. */
static enum tk_rc hosts_follow(struct api *a, struct tk_error *err)
{
	struct link_hosts hosts;
	enum tk_rc rc = links_hosts_load(a->links_watch, &hosts, err);
	if (!rc)
		rc = link_table_set_hosts(a->links, &hosts, err);
	links_hosts_free(&hosts);
	return rc;
}

/* Brings the link table up to the database: new links start redirecting,
 * revoked ones stop, within LINKS_FOLLOW_MS of their commit. */
static enum tk_rc links_follow(struct api *a, struct tk_error *err)
{
	int64_t upto;
	bool whole;
	struct store *w = a->links_watch;
	struct links_seen seen = {a, false};
	enum tk_rc rc = w->ops->changes_since(w, a->links_seen, 65536, link_changed, &seen, &upto,
					      &whole, err);
	if (!rc && (whole || seen.hosts))
		rc = hosts_follow(a, err);
	if (!rc && whole)
		rc = w->server->link_each(w, load_link, a->links, err);
	if (!rc)
		a->links_seen = upto;
	return rc;
}

void server_node_name(const struct server_config *cfg, char out[CLICK_NODE_MAX])
{
	char host[CLICK_NODE_MAX - 6] = "";
	if (cfg->node[0]) {
		snprintf(out, CLICK_NODE_MAX, "%s", cfg->node);
		return;
	}
	/* room left for ":65535"; a name gethostname cut is still the host's */
	if (gethostname(host, sizeof(host)) != 0 || !host[0])
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	for (char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			*p = '-';
	snprintf(out, CLICK_NODE_MAX, "%s:%d", host, cfg->port);
}

static enum tk_rc api_open(struct server *s, const char *db_path, struct tk_error *err)
{
	struct api *a = &s->api;
	const struct server_config *cfg = s->cfg;
	enum tk_rc rc;
	struct store *st;
	a->cfg = cfg->api;
	a->started_at = (int64_t)time(NULL);
	atomic_init(&a->stopping, false);
	pthread_mutex_init(&a->lock, NULL);
	pthread_mutex_init(&a->rlock, NULL);
	if ((rc = router_check(api_routes, api_routes_count, err)) ||
	    (rc = store_open(db_path, NULL, &st, err)) || (rc = engine_open(st, &a->e, err)) ||
	    (rc = store_open(db_path, NULL, &st, err)) || (rc = engine_open(st, &a->re, err)))
		return rc;
	if (!(a->links = link_table_new()) || !(a->links_buf = malloc(sizeof(*a->links_buf))) ||
	    !(a->conv = malloc(sizeof(*a->conv))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = links_conv_load(cfg->config, a->conv, err)))
		return rc;
	/* where the log stands first: a link made during the load is then
	 * loaded twice, which changes nothing, rather than missed */
	if ((rc = store_open(db_path, &(struct store_options){.cache_kib = 2048}, &a->links_watch,
			     err)) ||
	    (rc = a->links_watch->ops->changes_newest(a->links_watch, &a->links_seen, err)) ||
	    (rc = hosts_follow(a, err)) ||
	    (rc = a->links_watch->server->link_each(a->links_watch, load_link, a->links, err)))
		return rc;
	char node[CLICK_NODE_MAX];
	server_node_name(cfg, node);
	if ((rc = clicks_start(db_path, node, cfg->flush_ms, &a->clicks, err)))
		return rc;
	a->key_limits = ratelimit_new(RATELIMIT_SLOTS, cfg->api.key_rate, 1000);
	a->login_limits = ratelimit_new(RATELIMIT_SLOTS, cfg->api.login_rate, 60000);
	a->account_limits = ratelimit_new(RATELIMIT_SLOTS, cfg->api.account_failures,
					  API_LOGIN_ACCOUNT_WINDOW_S * 1000);
	if (!a->key_limits || !a->login_limits || !a->account_limits)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	/* posters' product images: the unions' CDNs and the hosts --image-host names */
	if (!(a->images = poster_images_new(POSTER_IMAGE_CACHE_BYTES)))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (int i = 0; i < cfg->n_image_hosts; i++)
		if ((rc = poster_images_allow(a->images, cfg->image_hosts[i], err)))
			return rc;
	poster_draw_init();
	if ((rc = a->links_watch->server->secret_get(a->links_watch, "image-key", a->image_key,
						     sizeof(a->image_key), err)))
		return rc;
	json_t *doc;
	/* a relative server URL: the document is served by the server it
	 * describes, wherever that is reached */
	const char *server_url = cfg->api.base_url[0] ? cfg->api.base_url : "/";
	if ((rc = openapi_document(api_routes, api_routes_count, server_url, &doc, err)))
		return rc;
	a->openapi = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return a->openapi ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

/* Closes what api_open opened; clicks first, writing every buffered one. */
static enum tk_rc api_close(struct server *s, struct tk_error *err)
{
	struct api *a = &s->api;
	enum tk_rc rc = a->clicks ? clicks_stop(a->clicks, err) : TK_OK;
	engine_close(a->e);
	engine_close(a->re);
	if (a->links_watch)
		a->links_watch->ops->close(a->links_watch);
	free(a->links_buf);
	free(a->conv);
	link_table_free(a->links);
	ratelimit_free(a->key_limits);
	ratelimit_free(a->login_limits);
	ratelimit_free(a->account_limits);
	poster_images_free(a->images);
	free(a->openapi);
	pthread_mutex_destroy(&a->lock);
	pthread_mutex_destroy(&a->rlock);
	return rc;
}

static enum tk_rc check_config(const struct server_config *cfg, struct tk_error *err)
{
	if (cfg->port < 0 || cfg->port > 65535)
		return tk_fail(err, TK_EINVAL, "listen", "port must be 0..65535, got %d", cfg->port);
	if (cfg->node[0] && !clicks_node_valid(cfg->node))
		return tk_fail(err, TK_EINVAL, "node",
			       "must be 1..%d letters, digits or \". _ : -\", got \"%s\"",
			       CLICK_NODE_MAX - 1, cfg->node);
	if (cfg->threads < 1 || cfg->threads > 64)
		return tk_fail(err, TK_EINVAL, "threads", "must be 1..64, got %d", cfg->threads);
	if (cfg->api_workers < 1 || cfg->api_workers > 16)
		return tk_fail(err, TK_EINVAL, "api-workers", "must be 1..16, got %d",
			       cfg->api_workers);
	if (cfg->api.key_rate < 1 || cfg->api.login_rate < 1 || cfg->api.account_failures < 1)
		return tk_fail(err, TK_EINVAL, "rate", "rate limits must be at least 1");
	if (cfg->api.session_ttl < 60 || cfg->api.session_ttl > AUTH_SESSION_TTL_MAX)
		return tk_fail(err, TK_EINVAL, "session-ttl", "must be 60..%d seconds",
			       AUTH_SESSION_TTL_MAX);
	if (cfg->api.opsession_ttl < 3600 || cfg->api.opsession_ttl > AUTH_OPSESSION_HOURS_MAX * 3600)
		return tk_fail(err, TK_EINVAL, "operator-session-hours", "must be 1..%d hours",
			       AUTH_OPSESSION_HOURS_MAX);
	if (cfg->body_max < 1024 || cfg->import_max < cfg->body_max ||
	    cfg->import_max > 256 * 1024 * 1024)
		return tk_fail(err, TK_EINVAL, "body-max",
			       "bodies must be at least 1 KiB, imports at most 256 MiB");
	if (cfg->header_max < 4096 || cfg->header_max > 1024 * 1024)
		return tk_fail(err, TK_EINVAL, "header-max", "must be 4 KiB..1 MiB");
	if (cfg->timeout_s < 1 || cfg->timeout_s > 3600)
		return tk_fail(err, TK_EINVAL, "timeout", "must be 1..3600 seconds");
	if (cfg->head_timeout_s > 3600 || cfg->body_timeout_s > 3600)
		return tk_fail(err, TK_EINVAL, "head-timeout",
			       "head and body deadlines must be 0 (none)..3600 seconds");
	if (cfg->pressure_pct > 100)
		return tk_fail(err, TK_EINVAL, "pressure-at", "must be 0 (never)..100 percent, got %u",
			       cfg->pressure_pct);
	if (cfg->pressure_grace_ms < 50 || cfg->pressure_grace_ms > 60000)
		return tk_fail(err, TK_EINVAL, "pressure-grace-ms", "must be 50..60000, got %u",
			       cfg->pressure_grace_ms);
	return TK_OK;
}

static enum tk_rc listen_address(const struct server_config *cfg, struct sockaddr_storage *ss,
				 bool *v6, struct tk_error *err)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	*v6 = false;
	if (inet_pton(AF_INET, cfg->host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)cfg->port);
		return TK_OK;
	}
	if (inet_pton(AF_INET6, cfg->host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)cfg->port);
		*v6 = true;
		return TK_OK;
	}
	return tk_fail(err, TK_EINVAL, "listen", "\"%s\" is not a numeric IPv4 or IPv6 address",
		       cfg->host);
}

/* A listening socket on the address, sharing its port with the server's
 * other network threads.  Accepts are deferred until the request has
 * arrived (TCP_DEFER_ACCEPT, at most defer_s seconds): a thread wakes once
 * per connection, not twice, and a silent connection holds no slot. */
/* A TCP socket bound to the address, sharing its port with the others
 * that share (SO_REUSEPORT) when `share`; -1 with errno set when it
 * cannot be. */
static int bound_socket(const struct sockaddr_storage *ss, bool v6, bool share)
{
	int one = 1;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (share && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, len) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static enum tk_rc open_listener(const struct sockaddr_storage *ss, bool v6, int defer_s,
				int *out, struct tk_error *err)
{
	int fd = bound_socket(ss, v6, true);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof(defer_s)) != 0 ||
	    listen(fd, LISTEN_BACKLOG) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return tk_fail(err, TK_EIO, "listen", "cannot listen: %s", strerror(e));
	}
	*out = fd;
	return TK_OK;
}

/* The listeners share their port (SO_REUSEPORT), which would as well let a
 * second server on the same port take half the traffic unnoticed: a
 * socket that does not share must be able to bind it first. */
static enum tk_rc check_port_free(const struct sockaddr_storage *ss, bool v6,
				  struct tk_error *err)
{
	int fd = bound_socket(ss, v6, false);
	if (fd < 0) {
		int e = errno;
		return tk_fail(err, TK_EIO, "listen", "cannot listen: %s%s", strerror(e),
			       e == EADDRINUSE ? " (another program listens there)" : "");
	}
	close(fd);
	return TK_OK;
}

/* Whether the address can be listened on, before anything is opened. */
static enum tk_rc check_listen(const struct server_config *cfg, struct tk_error *err)
{
	struct sockaddr_storage ss;
	bool v6;
	enum tk_rc rc = listen_address(cfg, &ss, &v6, err);
	if (!rc && cfg->port != 0)
		rc = check_port_free(&ss, v6, err);
	if (rc)
		tk_error_where(err, cfg->host, cfg->port);
	return rc;
}

static enum tk_rc daemons_start(struct server *s, struct tk_error *err)
{
	const struct server_config *cfg = s->cfg;
	struct sockaddr_storage ss;
	bool v6;
	enum tk_rc rc = listen_address(cfg, &ss, &v6, err);
	if (rc)
		return rc;
	static const char not_found[] = "{\"error\":{\"code\":\"not_found\",\"message\":"
					"\"no such link\"}}";
	s->not_found = MHD_create_response_from_buffer(sizeof(not_found) - 1, (void *)not_found,
						       MHD_RESPMEM_PERSISTENT);
	if (!s->not_found)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	MHD_add_response_header(s->not_found, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	static const char gone[] = "This link has been stopped: the address it led to is not one "
				   "this platform's links may lead to.\n";
	s->gone = MHD_create_response_from_buffer(sizeof(gone) - 1, (void *)gone,
						  MHD_RESPMEM_PERSISTENT);
	if (!s->gone)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	MHD_add_response_header(s->gone, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	/* TURBO: read, write and accept before asking epoll, which saves a
	 * system call per request on a busy keep-alive connection */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			 MHD_USE_TURBO | (v6 ? MHD_USE_IPv6 : 0);
	unsigned per_daemon = cfg->connection_limit / (unsigned)cfg->threads;
	if (!per_daemon)
		per_daemon = 1;
	struct edge_limits lim = {
		.exempt = cfg->trusted.n ? trusted_peer : NULL,
		.exempt_ctx = (void *)&cfg->trusted,
		.head_s = cfg->head_timeout_s,
		.body_s = cfg->body_timeout_s,
		.per_ip = cfg->per_ip_limit,
		.pressure_pct = cfg->pressure_pct,
		.grace_ms = cfg->pressure_grace_ms,
	};
	if (!(s->edge = edge_new(&lim, cfg->threads)))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	s->api.edge = s->edge;
	for (int i = 0; i < cfg->threads; i++) {
		int fd = -1;
		if ((rc = open_listener(&ss, v6, (int)cfg->timeout_s, &fd, err))) {
			tk_error_where(err, cfg->host, cfg->port);
			return rc;
		}
		if (i == 0) {
			/* port 0: the others take the port the first one got */
			struct sockaddr_storage bound;
			socklen_t len = sizeof(bound);
			getsockname(fd, (struct sockaddr *)&bound, &len);
			uint16_t port = v6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
					   : ((struct sockaddr_in *)&bound)->sin_port;
			if (v6)
				((struct sockaddr_in6 *)&ss)->sin6_port = port;
			else
				((struct sockaddr_in *)&ss)->sin_port = port;
			s->port = ntohs(port);
			/* short links point here unless --base-url says otherwise;
			 * set before any thread that reads it starts */
			if (!s->api.cfg.base_url[0])
				snprintf(s->api.cfg.base_url, sizeof(s->api.cfg.base_url),
					 "http://%s%s%s:%u", v6 ? "[" : "", cfg->host, v6 ? "]" : "",
					 s->port);
		}
		/* the per-address limit is the edge's, over every thread (MHD's
		 * own would count per thread) */
		struct edge_daemon *ed = edge_daemon(s->edge, i, fd, per_daemon);
		struct MHD_Daemon *d =
			ed ? MHD_start_daemon(
				     flags, 0, edge_accept, ed, on_request, s,
				     MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_TIMEOUT,
				     cfg->timeout_s, MHD_OPTION_CONNECTION_LIMIT, per_daemon,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->header_max,
				     MHD_OPTION_NOTIFY_CONNECTION, edge_notify, ed,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				     MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL, MHD_OPTION_END)
			   : NULL;
		if (!d) {
			close(fd);
			return tk_fail(err, TK_EIO, "listen", "cannot start serving on %s port %u",
				       cfg->host, s->port);
		}
		s->daemons[s->n_daemons] = d;
		s->listen_fds[s->n_daemons++] = fd;
	}
	return edge_start(s->edge, err);
}

static void housekeeping(struct server *s)
{
	struct store *st = engine_store(s->api.e);
	struct tk_error err = {0};
	int64_t now = engine_now();
	pthread_mutex_lock(&s->api.lock);
	auth_purge(st, now, now - IDEM_TTL_SECONDS, CHANGES_KEEP, &err);
	pthread_mutex_unlock(&s->api.lock);
	if (err.msg[0])
		fprintf(stderr, "tuike serve: housekeeping: %s\n", err.msg);
}

/* Stops accepting, lets the requests under way finish, then stops. */
static void drain(struct server *s)
{
	atomic_store(&s->api.stopping, true);
	for (int i = 0; i < s->n_daemons; i++)
		MHD_quiesce_daemon(s->daemons[i]);
	/* a moment for the answers already queued to leave, then the API
	 * calls under way */
	usleep(100000);
	int64_t until = mono_us() + (int64_t)s->cfg->drain_s * 1000000;
	while (atomic_load(&s->active) > 0 && mono_us() < until)
		usleep(10000);
	/* suspended connections must be resumed before MHD stops: none is
	 * left once the workers have emptied the queue */
	workers_stop(s);
	/* the sweeper shuts sockets the daemons are about to close */
	edge_stop(s->edge);
	for (int i = 0; i < s->n_daemons; i++) {
		MHD_stop_daemon(s->daemons[i]);
		close(s->listen_fds[i]); /* quiesced: the socket is ours to close */
	}
	s->n_daemons = 0;
}

enum tk_rc server_run(const struct server_config *cfg, server_ready_fn ready, void *ctx,
		      struct tk_error *err)
{
	struct server *s = calloc(1, sizeof(*s));
	enum tk_rc rc;
	sigset_t sigs;
	if (!s)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	s->cfg = cfg;
	atomic_init(&s->active, 0);
	pthread_mutex_init(&s->qlock, NULL);
	pthread_cond_init(&s->qwake, NULL);
	/* every thread started from here on inherits the blocked signals:
	 * only the sigtimedwait below receives them */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if (sodium_init() < 0) {
		rc = tk_fail(err, TK_EIO, "", "libsodium failed to initialize");
		goto out;
	}
	s->clock_offset = engine_now() - (int64_t)time(NULL);
	/* the click flusher opens its own connection: both must name the
	 * database the engine's does (--db, else $TUIKE_DB, else ./tuike.db) */
	const char *db = store_default_uri(cfg->db_path);
	/* the node's name before anything it counts: two live nodes of one
	 * name would mix their clicks and counters */
	char node[CLICK_NODE_MAX];
	server_node_name(cfg, node);
	if ((rc = check_config(cfg, err)) || (rc = check_listen(cfg, err)) ||
	    (rc = store_node_lock(db, node, &s->node_lock, err)) || (rc = api_open(s, db, err)) ||
	    (cfg->web_dir && (rc = web_open(s, cfg->web_dir, err))))
		goto out;
	if (cfg->access_log && (rc = access_log_open(cfg->access_log, &s->log, err)))
		goto out;
	for (; s->n_workers < cfg->api_workers; s->n_workers++)
		if (pthread_create(&s->workers[s->n_workers], NULL, worker, s) != 0) {
			rc = tk_fail(err, TK_EIO, "", "cannot start the API worker threads");
			goto out;
		}
	if ((rc = daemons_start(s, err)))
		goto out;
	char url[SERVER_HOST_MAX + 32];
	bool v6 = strchr(cfg->host, ':') != NULL;
	snprintf(url, sizeof(url), "http://%s%s%s:%u", v6 ? "[" : "", cfg->host, v6 ? "]" : "",
		 s->port);
	if (ready)
		ready(ctx, url, link_table_count(s->api.links));
	for (int64_t next_housekeeping = mono_us() + HOUSEKEEPING_S * 1000000LL;;) {
		struct timespec wait = {.tv_nsec = LINKS_FOLLOW_MS * 1000000L};
		int sig = sigtimedwait(&sigs, NULL, &wait);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		struct tk_error ferr = {0};
		if (links_follow(&s->api, &ferr)) {
			char buf[1024];
			tk_error_format(&ferr, buf, sizeof(buf));
			fprintf(stderr, "tuike serve: following links: %s\n", buf);
		}
		if (mono_us() >= next_housekeeping) {
			housekeeping(s);
			next_housekeeping = mono_us() + HOUSEKEEPING_S * 1000000LL;
		}
	}
	drain(s);
out:
	if (s->n_daemons)
		drain(s);
	edge_stop(s->edge); /* when a daemon failed to start */
	workers_stop(s);
	if (s->api.e || s->api.clicks) {
		struct tk_error close_err = {0};
		enum tk_rc crc = api_close(s, &close_err);
		if (crc && !rc) {
			rc = crc;
			*err = close_err;
		}
	}
	if (s->not_found)
		MHD_destroy_response(s->not_found);
	if (s->gone)
		MHD_destroy_response(s->gone);
	web_close(s);
	access_log_close(s->log);
	edge_free(s->edge);
	store_node_unlock(s->node_lock);
	pthread_cond_destroy(&s->qwake);
	pthread_mutex_destroy(&s->qlock);
	free(s);
	return rc;
}

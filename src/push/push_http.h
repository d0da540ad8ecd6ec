/* push_http.h — the transport that carries one request to a chat platform's
 * webhook: a small interface, so that tests put a fake in (tests/support/
 * push_http_fake.h), and its libcurl implementation.
 *
 * Ownership: a request is borrowed for the call; a reply's body belongs to
 * the caller, who frees it with push_http_reply_free (also after a failure).
 * A transport is closed by whoever opened it.
 *
 * Webhook URLs carry credentials (the WeCom key, the DingTalk token, the
 * Feishu hook token, the Telegram bot token): the transport never logs a
 * URL and its errors name the host only.  No retries here: the pusher
 * decides what to retry from the outcome push_platform reads. */
#ifndef TK_PUSH_HTTP_H
#define TK_PUSH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define PUSH_HTTP_MAX_HEADERS 16
#define PUSH_HTTP_MAX_BODY (1024 * 1024)  /* a request's body; Feishu takes 20 KB */
#define PUSH_HTTP_REPLY_MAX (64 * 1024)   /* what is kept of a reply's body */
#define PUSH_HTTP_TIMEOUT_MS 15000        /* the whole exchange, at most */
#define PUSH_HTTP_CONNECT_MS 5000         /* connecting (TCP and TLS), at most */

struct push_http_request {
	const char *method;             /* "POST" or "GET"; NULL means POST */
	const char *url;                /* full URL; holds credentials */
	const char *const *headers;     /* "Name: value" each; may be NULL when n_headers is 0 */
	size_t n_headers;               /* <= PUSH_HTTP_MAX_HEADERS */
	const char *body;               /* POST body (not NUL-terminated), may be NULL when body_len is 0 */
	size_t body_len;                /* <= PUSH_HTTP_MAX_BODY */
	int64_t timeout_ms;             /* the whole exchange; 0 or more than PUSH_HTTP_TIMEOUT_MS
					 * means PUSH_HTTP_TIMEOUT_MS */
};

struct push_http_reply {
	long status;          /* HTTP status; 0 when no complete answer came */
	char *body;           /* NUL-terminated (owned), "" when empty; NULL when no answer came */
	size_t len;           /* bytes in body, <= PUSH_HTTP_REPLY_MAX */
	bool truncated;       /* the answer's body was longer: body holds its first bytes */
	int64_t retry_after;  /* seconds from a Retry-After header, 0 if none */
	bool maybe_sent;      /* no answer, but the request went out (at least in part): the
			       * platform may have delivered it.  false when it surely did not
			       * (no host, no connection, TLS refused) */
	char error[256];      /* why no answer came, naming the host only; "" when answered */
};

struct push_transport {
	/* Sends one request and fills reply (zeroed first).  TK_OK when an
	 * answer came, whatever its HTTP status (check reply->status; a body
	 * over PUSH_HTTP_REPLY_MAX is cut and flagged, still TK_OK); TK_EIO when
	 * none came (connection, TLS, timeout, a broken answer: reply->error
	 * and err say which, naming the host only); TK_EINVAL for a request
	 * this transport cannot send (no URL, a method other than POST/GET, too
	 * many headers) and TK_ELIMIT for a body over PUSH_HTTP_MAX_BODY,
	 * nothing sent; TK_ENOMEM. */
	enum tk_rc (*send)(struct push_transport *t, const struct push_http_request *req,
			   struct push_http_reply *reply, struct tk_error *err);
	/* Releases what the transport holds (connections, the transport itself
	 * for push_http_curl_open's). */
	void (*close)(struct push_transport *t);
};

/* The libcurl transport: a fresh connection for every request, closed
 * after it (libcurl re-sends a request on a reused connection that closed
 * before any byte of the answer; a platform that had taken it would show
 * it twice, so no connection is reused), connect timeout
 * PUSH_HTTP_CONNECT_MS, TLS peer and host verified, http and https only, no
 * redirects followed.  Not thread-safe: one transport per thread. */
enum tk_rc push_http_curl_open(struct push_transport **out, struct tk_error *err);

static inline enum tk_rc push_http_send(struct push_transport *t, const struct push_http_request *req,
					struct push_http_reply *reply, struct tk_error *err)
{
	return t->send(t, req, reply, err);
}

/* Closes t; NULL is allowed. */
static inline void push_http_close(struct push_transport *t)
{
	if (t)
		t->close(t);
}

void push_http_reply_free(struct push_http_reply *reply);

/* The host of url ("api.telegram.org", "127.0.0.1:8080"), what messages
 * may name; "(no host)" when url has none.  Always NUL-terminates host. */
void push_http_host(const char *url, char *host, size_t size);

/* Checks a request against the limits above; TK_EINVAL (TK_ELIMIT for the
 * body's size) naming the field, never the URL.  Transports call it first. */
enum tk_rc push_http_check(const struct push_http_request *req, struct tk_error *err);

#endif

/* push_http.c — the libcurl transport for the chat platforms' webhooks: one
 * handle per transport (its connection kept alive between sends), bounded
 * replies, errors that name the host and never the URL (it holds the
 * credential). */
#include "push/push_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct curl_transport {
	struct push_transport base; /* first: the interface points here */
	CURL *h;
};

/* Collects a reply's body up to PUSH_HTTP_REPLY_MAX bytes. */
struct sink {
	char *buf;
	size_t len, cap;
	bool truncated;
	bool nomem;
};

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	size_t room = PUSH_HTTP_REPLY_MAX - s->len;
	size_t take = len < room ? len : room;
	if (s->len + take + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + take + 1)
			cap *= 2;
		char *p = realloc(s->buf, cap);
		if (!p) {
			s->nomem = true;
			return 0;
		}
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, take);
	s->len += take;
	s->buf[s->len] = '\0';
	if (take < len) {
		s->truncated = true;
		return 0; /* stops the transfer: the rest is not wanted */
	}
	return len;
}

void push_http_host(const char *url, char *host, size_t size)
{
	if (!size)
		return;
	const char *p = url ? strstr(url, "://") : NULL;
	p = p ? p + 3 : url;
	size_t n = p ? strcspn(p, "/?#") : 0;
	/* user:password@ is a credential too */
	const char *at = p ? memchr(p, '@', n) : NULL;
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (!n) {
		snprintf(host, size, "(no host)");
		return;
	}
	snprintf(host, size, "%.*s", (int)(n < 100 ? n : 100), p);
}

/* Whether text holds a piece of url's path or query (a credential may be
 * any of them): each piece of 4 bytes or more between / ? & = # is looked for. */
static bool leaks_url(const char *text, const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	p += strcspn(p, "/?#");
	while (*p) {
		p += strspn(p, "/?&=#");
		size_t n = strcspn(p, "/?&=#");
		if (n >= 4) {
			for (const char *t = text; (t = strchr(t, *p)) != NULL; t++)
				if (strncmp(t, p, n) == 0)
					return true;
		}
		p += n;
	}
	return false;
}

enum tk_rc push_http_check(const struct push_http_request *req, struct tk_error *err)
{
	if (!req->url || !req->url[0])
		return tk_fail(err, TK_EINVAL, "url", "a request needs a URL");
	if (req->method && strcmp(req->method, "POST") != 0 && strcmp(req->method, "GET") != 0)
		return tk_fail(err, TK_EINVAL, "method", "must be POST or GET, got \"%.16s\"", req->method);
	if (req->n_headers > PUSH_HTTP_MAX_HEADERS)
		return tk_fail(err, TK_EINVAL, "headers", "at most %d headers, got %zu",
			       PUSH_HTTP_MAX_HEADERS, req->n_headers);
	for (size_t i = 0; i < req->n_headers; i++)
		if (!req->headers[i] || !strchr(req->headers[i], ':') || strpbrk(req->headers[i], "\r\n"))
			return tk_fail(err, TK_EINVAL, "headers", "header %zu must be one \"Name: value\" line", i);
	if (req->body_len > PUSH_HTTP_MAX_BODY)
		return tk_fail(err, TK_ELIMIT, "body",
			       "at most %d bytes, got %zu", PUSH_HTTP_MAX_BODY, req->body_len);
	if (req->body_len && !req->body)
		return tk_fail(err, TK_EINVAL, "body", "body_len %zu without a body", req->body_len);
	if (req->timeout_ms < 0)
		return tk_fail(err, TK_EINVAL, "timeout_ms", "must be >= 0, got %lld",
			       (long long)req->timeout_ms);
	return TK_OK;
}

/* The reply after a transfer that brought no usable answer. */
static enum tk_rc no_answer(struct curl_transport *c, const struct push_http_request *req,
			    CURLcode cc, const char *curl_err, struct push_http_reply *reply,
			    struct tk_error *err)
{
	char host[256];
	push_http_host(req->url, host, sizeof(host));
	/* curl's own text names hosts, never paths, but make sure of it */
	const char *why = curl_err[0] && !leaks_url(curl_err, req->url) ? curl_err
									 : curl_easy_strerror(cc);
	long sent = 0;
	/* Bytes of the request that went out: none means the platform cannot
	 * have taken it. */
	if (curl_easy_getinfo(c->h, CURLINFO_REQUEST_SIZE, &sent) == CURLE_OK && sent > 0)
		reply->maybe_sent = true;
	reply->status = 0;
	snprintf(reply->error, sizeof(reply->error), "%.100s: %.150s", host, why);
	return tk_fail(err, TK_EIO, "http", "%s%s", reply->error,
		       reply->maybe_sent ? " (the request may have reached it)" : "");
}

static enum tk_rc curl_send(struct push_transport *t, const struct push_http_request *req,
			    struct push_http_reply *reply, struct tk_error *err)
{
	struct curl_transport *c = (struct curl_transport *)t;
	struct sink sink = {0};
	struct curl_slist *headers = NULL;
	char curl_err[CURL_ERROR_SIZE] = "";
	enum tk_rc rc = TK_OK;
	memset(reply, 0, sizeof(*reply));

	if ((rc = push_http_check(req, err)))
		return rc;
	for (size_t i = 0; i < req->n_headers; i++) {
		struct curl_slist *next = curl_slist_append(headers, req->headers[i]);
		if (!next) {
			rc = tk_fail(err, TK_ENOMEM, "http", "out of memory for the headers");
			goto out;
		}
		headers = next;
	}
	/* No "Expect: 100-continue" round trip before a larger body. */
	struct curl_slist *next = curl_slist_append(headers, "Expect:");
	if (!next) {
		rc = tk_fail(err, TK_ENOMEM, "http", "out of memory for the headers");
		goto out;
	}
	headers = next;

	int64_t timeout = req->timeout_ms > 0 && req->timeout_ms < PUSH_HTTP_TIMEOUT_MS
				  ? req->timeout_ms
				  : PUSH_HTTP_TIMEOUT_MS;
	curl_easy_reset(c->h);
	/* One connection per request, never a reused one: libcurl sends a
	 * request again on a fresh connection when a reused one closes before
	 * any byte of the answer, and a platform that took the message and
	 * closed without answering would deliver it twice.  A message costs a
	 * connection (and a TLS handshake); the platforms' rates (20 a minute
	 * per robot) make that cheap, a double message in a group is not. */
	curl_easy_setopt(c->h, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c->h, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(c->h, CURLOPT_URL, req->url);
	if (req->method && strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(c->h, CURLOPT_POST, 1L);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	}
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, (long)PUSH_HTTP_CONNECT_MS);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, (long)timeout);
	curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c->h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c->h, CURLOPT_USERAGENT, "tuike-push");

	CURLcode cc = curl_easy_perform(c->h);
	if (sink.nomem) {
		rc = tk_fail(err, TK_ENOMEM, "http", "out of memory for a reply");
		goto out;
	}
	if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && sink.truncated)) {
		rc = no_answer(c, req, cc, curl_err, reply, err);
		goto out;
	}
	curl_off_t wait = 0;
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &reply->status);
	if (curl_easy_getinfo(c->h, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait > 0)
		reply->retry_after = wait < 86400 ? (int64_t)wait : 86400;
	if (!sink.buf && !(sink.buf = calloc(1, 1))) {
		rc = tk_fail(err, TK_ENOMEM, "http", "out of memory for a reply");
		goto out;
	}
	reply->body = sink.buf;
	reply->len = sink.len;
	reply->truncated = sink.truncated;
	sink.buf = NULL;
out:
	free(sink.buf);
	curl_slist_free_all(headers);
	/* The handle must not keep pointers into this call's memory. */
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, NULL);
	return rc;
}

static void curl_close(struct push_transport *t)
{
	struct curl_transport *c = (struct curl_transport *)t;
	curl_easy_cleanup(c->h);
	free(c);
	curl_global_cleanup();
}

enum tk_rc push_http_curl_open(struct push_transport **out, struct tk_error *err)
{
	*out = NULL;
	/* Counted by libcurl: each open is matched by the cleanup in close. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return tk_fail(err, TK_EIO, "http", "libcurl cannot start");
	struct curl_transport *c = calloc(1, sizeof(*c));
	if (!c || !(c->h = curl_easy_init())) {
		free(c);
		curl_global_cleanup();
		return tk_fail(err, TK_ENOMEM, "http", "libcurl cannot make a handle");
	}
	c->base.send = curl_send;
	c->base.close = curl_close;
	*out = &c->base;
	return TK_OK;
}

void push_http_reply_free(struct push_http_reply *reply)
{
	free(reply->body);
	reply->body = NULL;
	reply->len = 0;
}

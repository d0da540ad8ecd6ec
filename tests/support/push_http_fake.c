/* push_http_fake.c — the scripted transport for tests (see the header):
 * records copies of each request, answers from the script in turn. */
#include "push_http_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *copy(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void call_free(struct push_http_fake_call *c)
{
	free(c->method);
	free(c->url);
	for (size_t i = 0; i < c->n_headers; i++)
		free(c->headers[i]);
	free(c->body);
	memset(c, 0, sizeof(*c));
}

/* Keeps a copy of req; false when out of memory. */
static bool record(struct push_http_fake *f, const struct push_http_request *req)
{
	if (f->n_calls == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct push_http_fake_call *p = realloc(f->calls, cap * sizeof(*p));
		if (!p)
			return false;
		f->calls = p;
		f->cap = cap;
	}
	struct push_http_fake_call *c = &f->calls[f->n_calls];
	memset(c, 0, sizeof(*c));
	const char *method = req->method ? req->method : "POST";
	c->method = copy(method, strlen(method));
	c->url = copy(req->url, strlen(req->url));
	c->body = copy(req->body ? req->body : "", req->body_len);
	c->body_len = req->body_len;
	c->timeout_ms = req->timeout_ms;
	bool ok = c->method && c->url && c->body;
	for (size_t i = 0; i < req->n_headers; i++) {
		c->headers[i] = copy(req->headers[i], strlen(req->headers[i]));
		c->n_headers = i + 1;
		ok = ok && c->headers[i];
	}
	if (!ok) {
		call_free(c);
		return false;
	}
	f->n_calls++;
	return true;
}

static enum tk_rc fake_send(struct push_transport *t, const struct push_http_request *req,
			    struct push_http_reply *reply, struct tk_error *err)
{
	struct push_http_fake *f = (struct push_http_fake *)t;
	enum tk_rc rc;
	memset(reply, 0, sizeof(*reply));
	if ((rc = push_http_check(req, err)))
		return rc;
	size_t i = f->n_calls;
	if (!record(f, req))
		return tk_fail(err, TK_ENOMEM, "http", "fake transport: out of memory");

	struct push_http_fake_step step = {.error = "fake transport: script exhausted"};
	if (f->answer) {
		step = (struct push_http_fake_step){.status = 200};
		f->answer(f->ctx, i, req, &step);
	}
	else if (i < f->n_script)
		step = f->script[i];

	char host[128];
	push_http_host(req->url, host, sizeof(host));
	if (step.error) {
		reply->maybe_sent = step.maybe_sent;
		snprintf(reply->error, sizeof(reply->error), "%.100s: %.150s", host, step.error);
		return tk_fail(err, TK_EIO, "http", "%s", reply->error);
	}
	const char *body = step.body ? step.body : "";
	size_t len = strlen(body);
	reply->truncated = len > PUSH_HTTP_REPLY_MAX;
	reply->len = reply->truncated ? PUSH_HTTP_REPLY_MAX : len;
	if (!(reply->body = copy(body, reply->len)))
		return tk_fail(err, TK_ENOMEM, "http", "fake transport: out of memory");
	reply->status = step.status;
	reply->retry_after = step.retry_after;
	return TK_OK;
}

void push_http_fake_clear(struct push_http_fake *f)
{
	for (size_t i = 0; i < f->n_calls; i++)
		call_free(&f->calls[i]);
	free(f->calls);
	f->calls = NULL;
	f->n_calls = f->cap = 0;
}

static void fake_close(struct push_transport *t)
{
	push_http_fake_clear((struct push_http_fake *)t);
}

void push_http_fake_init(struct push_http_fake *f, const struct push_http_fake_step *script,
			 size_t n_script)
{
	memset(f, 0, sizeof(*f));
	f->base.send = fake_send;
	f->base.close = fake_close;
	f->script = script;
	f->n_script = n_script;
}

const struct push_http_fake_call *push_http_fake_call(const struct push_http_fake *f, size_t i)
{
	return i < f->n_calls ? &f->calls[i] : NULL;
}

const char *push_http_fake_header(const struct push_http_fake_call *c, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < c->n_headers; i++) {
		const char *h = c->headers[i];
		if (strncasecmp(h, name, n) == 0 && h[n] == ':')
			return h + n + 1 + strspn(h + n + 1, " \t");
	}
	return NULL;
}

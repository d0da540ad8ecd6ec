/* push_http_fake.h — a transport for tests of the pusher: it records every
 * request it is given and answers from a script (or a function), so that a
 * test can make a platform say ok, limit, refuse or drop the connection
 * without any network. */
#ifndef TK_PUSH_HTTP_FAKE_H
#define TK_PUSH_HTTP_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "push/push_http.h"

/* One scripted answer.  error != NULL: no answer came (send returns TK_EIO
 * with that text, status 0, maybe_sent as given); otherwise an answer with
 * status and body (NULL body = ""). */
struct push_http_fake_step {
	long status;
	const char *body;
	const char *error;
	bool maybe_sent;
	int64_t retry_after; /* as from a Retry-After header */
};

/* A request as the fake received it (copies, owned by the fake). */
struct push_http_fake_call {
	char *method; /* "POST" when the request said NULL */
	char *url;
	char *headers[PUSH_HTTP_MAX_HEADERS];
	size_t n_headers;
	char *body; /* NUL-terminated copy */
	size_t body_len;
	int64_t timeout_ms;
};

struct push_http_fake {
	struct push_transport base; /* what the code under test is given */
	const struct push_http_fake_step *script; /* borrowed */
	size_t n_script;
	/* Optional, used instead of the script when set: the answer to the
	 * request number i (0-based). */
	void (*answer)(void *ctx, size_t i, const struct push_http_request *req,
		       struct push_http_fake_step *out);
	void *ctx;
	struct push_http_fake_call *calls;
	size_t n_calls, cap;
};

/* Sets f up to answer script[0], script[1], ... in turn; past the end of
 * the script each send fails with TK_EIO "fake transport: script
 * exhausted" (a test that sends more than it expected notices).  The
 * transport to hand out is &f->base (push_http_close on it frees the
 * recorded calls, not f). */
void push_http_fake_init(struct push_http_fake *f, const struct push_http_fake_step *script,
			 size_t n_script);

/* The i-th recorded request (0-based), NULL past the end. */
const struct push_http_fake_call *push_http_fake_call(const struct push_http_fake *f, size_t i);

/* The value of header `name` (case-insensitive) in a recorded request,
 * without the leading blanks, or NULL. */
const char *push_http_fake_header(const struct push_http_fake_call *c, const char *name);

/* Frees the recorded requests; the script stays. */
void push_http_fake_clear(struct push_http_fake *f);

#endif

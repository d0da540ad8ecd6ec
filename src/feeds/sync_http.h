/* sync_http.h — one HTTP POST of a form to a union's API gateway (libcurl),
 * with a time limit and a cap on the reply's size.  No retries here:
 * sync.c decides what to retry. */
#ifndef TK_SYNC_HTTP_H
#define TK_SYNC_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct sync_http_reply {
	long status;         /* HTTP status, 0 when no answer came */
	int64_t retry_after; /* seconds from a Retry-After header, 0 if none */
	char *body;          /* NUL-terminated (owned), NULL when no answer came */
	size_t len;
};

/* Sets up libcurl once for the process. */
enum tk_rc sync_http_global_init(struct tk_error *err);

/* POSTs `form` (application/x-www-form-urlencoded) to url.  TK_EIO when no
 * answer came (connection, timeout: err says which); TK_ELIMIT when the
 * body exceeds max_body.  Any HTTP status is an answer: check reply->status.
 * Free the reply with sync_http_reply_free. */
enum tk_rc sync_http_post(const char *url, const char *form, long timeout_s, size_t max_body,
			  struct sync_http_reply *reply, struct tk_error *err);
void sync_http_reply_free(struct sync_http_reply *reply);

#endif

/* access_log.h — one JSON line per API request: time, method, path (never
 * the query string), route, status, duration, sizes, client address, the
 * TCP peer's address (a reverse proxy's, when there is one), and who called (key name or member id).  Never a header, a body, a key or a
 * token.  Redirects are not logged here: each one is recorded as a click. */
#ifndef TK_HTTP_ACCESS_LOG_H
#define TK_HTTP_ACCESS_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct access_log;

struct access_entry {
	int64_t at_ms;          /* unix milliseconds at the start */
	const char *method;
	const char *path;
	const char *route;      /* the route pattern, or "" */
	int status;
	int64_t micros;         /* from the first byte read to the response queued */
	size_t bytes_in, bytes_out;
	const char *ip;         /* the client's address (X-Forwarded-For via a trusted proxy) */
	const char *peer;       /* the TCP peer's: the proxy, or the client itself */
	const char *principal;  /* "key:NAME", "member:ID" or "" */
	const char *error;      /* the error code of a failed call, or "" */
};

/* path: a file (appended to), "-" for stderr.  */
enum tk_rc access_log_open(const char *path, struct access_log **out, struct tk_error *err);
/* Thread-safe; a line is written whole. */
void access_log_write(struct access_log *l, const struct access_entry *e);
void access_log_close(struct access_log *l);

#endif

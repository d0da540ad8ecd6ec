/* idempotency.h — the Idempotency-Key rules for POST requests: a retried
 * request (same caller, same key, same method, path, query and body) gets
 * the first response again; the same key with anything different is
 * refused.  What identifies a request is a BLAKE2b-256 hash of it.  Pure
 * helpers; the records live in the server store. */
#ifndef TK_HTTP_IDEMPOTENCY_H
#define TK_HTTP_IDEMPOTENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/server_store.h"

#define IDEM_TTL_SECONDS 86400 /* records are kept a day */

/* Whether a key is usable: 1..IDEM_KEY_MAX-1 bytes of printable ASCII. */
bool idem_key_valid(const char *key);

/* The hash of a request.  Each part is length-prefixed, so that moving
 * bytes between parts changes the hash. */
void idem_request_hash(const char *method, const char *path, const char *query,
		       const char *body, size_t body_len, uint8_t out[SERVER_HASH_BYTES]);

/* Whether a response with this status is remembered: successes and the
 * client's own errors are (the same request would meet them again); a
 * server error is not (nothing was applied; a retry may work).
 * Authentication and throttling are judged before the key is looked at. */
bool idem_status_kept(int status);

#endif

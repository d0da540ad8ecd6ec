/* union_call.h — one signed call to a union's API gateway, retried while
 * its failure is transient: what link conversion, tag registration and the
 * product feeds share (sync's order pulls keep their own loop, which also
 * walks windows and pages).
 *
 * The caller builds the unsigned parameters and reads a 200 reply; this
 * stamps a fresh timestamp (JD and Taobao: Beijing wall clock; Pinduoduo:
 * unix seconds), signs, posts with sync's time limit, and retries HTTP 429,
 * 5xx, no answer and what the reader calls transient, up to c->retries
 * attempts with sync's backoff (doubling from retry_base_ms to
 * retry_max_ms, at least what a Retry-After asks).  Secrets never reach an
 * error. */
#ifndef TK_UNION_CALL_H
#define TK_UNION_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "feeds/sync_config.h"
#include "feeds/sync_params.h"

/* Bytes of one encoded request form. */
#define UNION_CALL_FORM_MAX 8192

/* Makes the unsigned parameters (called again before each attempt). */
typedef enum tk_rc (*union_call_build_fn)(void *step, struct sync_params *p, struct tk_error *err);
/* Reads a 200 reply; on failure sets *transient when retrying may help. */
typedef enum tk_rc (*union_call_parse_fn)(void *step, const char *body, size_t len, bool *transient,
				     struct tk_error *err);
/* A retry about to happen (no secret in why). */
typedef void (*union_call_retry_cb)(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
			       const struct tk_error *why);

/* The call; *requests counts the HTTP calls made (may be NULL).  On a final
 * transient failure err says after how many attempts. */
enum tk_rc union_call(const struct sync_conf *c, enum sync_union u, size_t body_max,
		      union_call_build_fn build, union_call_parse_fn parse, void *step, int *requests,
		      union_call_retry_cb on_retry, void *ctx, struct tk_error *err);

/* A fresh timestamp and the signature, added to p. */
enum tk_rc union_stamp_and_sign(const struct sync_union_conf *uc, enum sync_union u,
				struct sync_params *p, struct tk_error *err);

/* Sleeps ms milliseconds; a signal does not cut it short. */
void union_nap_ms(int64_t ms);

#endif

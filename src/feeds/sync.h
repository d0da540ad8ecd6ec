/* sync.h — incremental order sync: pulls a union's orders by update time
 * through its order API, window by window, and applies them.
 *
 * Each window (at most the union's limit: JD 1 hour, Taobao 3 hours,
 * Pinduoduo 24 hours) is read page by page inside one import batch, and
 * the union's cursor is written in that same transaction before it
 * commits.  A crash at any point thus leaves either the whole window and
 * its cursor, or neither: the next run re-reads from the cursor, and since
 * applying a row is idempotent nothing is counted twice.  Failed requests
 * are retried with exponential backoff, waiting at least as long as a
 * union's rate limit asks. */
#ifndef TK_SYNC_H
#define TK_SYNC_H

#include <signal.h>
#include <stdint.h>

#include "core/error.h"
#include "engine/engine.h"
#include "feeds/feeds.h"
#include "feeds/sync_config.h"

/* What one committed window did. */
struct sync_window_report {
	enum sync_union u;
	int64_t from, to; /* update times, unix seconds */
	int requests;     /* HTTP calls, retries included */
	int64_t rows, applied, unchanged, rejected, unattributed;
};

typedef void (*sync_window_cb)(void *ctx, const struct sync_window_report *w);
/* A retry about to happen (no secret in msg). */
typedef void (*sync_retry_cb)(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
			      const struct tk_error *why);

struct sync_run {
	struct engine *e;
	const struct sync_conf *conf;
	/* Set (by a signal handler) to stop after the window in flight. */
	volatile sig_atomic_t *stop;
	sync_window_cb on_window;
	sync_retry_cb on_retry;
	feed_reject_cb on_reject; /* a row refused; it is also recorded in the store */
	void *ctx;
};

/* Pulls union u from `since` (0: the stored cursor less conf->overlap_s)
 * up to engine_now().  TK_ENOTFOUND when there is neither a cursor nor
 * `since`; TK_EINVAL when credentials are missing.  Returns TK_OK once
 * caught up, or early when *stop is set between windows. */
enum tk_rc sync_union(struct sync_run *r, enum sync_union u, int64_t since,
		      struct tk_error *err);

#endif

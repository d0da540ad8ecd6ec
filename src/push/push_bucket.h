/* push_bucket.h — the rate limits of one robot (or one chat): several
 * limits of the form "at most `count` sends in any `period_ms`", a pause
 * until a time when the platform said "too many", and the answer to "may
 * a send go now, and if not, in how many ms".
 *
 * Each limit is a token bucket whose tokens come back one period after
 * each was spent (the bucket remembers when its last `count` tokens were
 * taken).  Unlike a bucket refilled at a steady rate, this never lets more
 * than `count` sends into any window of `period_ms`, which is how the
 * platforms count.  Time is passed in (ms, never decreasing from one call
 * to the next); nothing here reads a clock.
 * Pure: no I/O, no allocation. */
#ifndef TK_PUSH_BUCKET_H
#define TK_PUSH_BUCKET_H

#include <stdint.h>

#include "core/error.h"

#define PUSH_LIMITS_MAX 4
#define PUSH_LIMIT_COUNT_MAX 256          /* sends per period */
#define PUSH_LIMIT_PERIOD_MAX 86400000    /* ms: one day */

struct push_limit {
	int count;         /* 1..PUSH_LIMIT_COUNT_MAX */
	int64_t period_ms; /* 1..PUSH_LIMIT_PERIOD_MAX */
};

struct push_bucket {
	int n;
	struct push_window {
		struct push_limit limit;
		int head, used;                       /* ring: oldest at head */
		int64_t at[PUSH_LIMIT_COUNT_MAX];     /* when each token was taken */
	} w[PUSH_LIMITS_MAX];
	int64_t paused_until; /* ms; no send before it */
};

/* Sets b to the n limits (1..PUSH_LIMITS_MAX), all tokens there, no pause.
 * TK_EINVAL naming the limit ("limits[1].count") when one is out of range;
 * b is then unspecified. */
enum tk_rc push_bucket_init(struct push_bucket *b, const struct push_limit *limits, int n,
			    struct tk_error *err);

/* 0 when a send may go at now_ms, else how many ms until one may (the
 * latest of what each limit and the pause need).  Changes nothing. */
int64_t push_bucket_wait(const struct push_bucket *b, int64_t now_ms);

/* Takes a token from every limit when a send may go at now_ms and returns
 * 0; otherwise takes nothing and returns the ms to wait (> 0). */
int64_t push_bucket_take(struct push_bucket *b, int64_t now_ms);

/* After a restart: `sent` sends went out in the last period (as the send
 * log says) at times not known here.  Counts them as taken at now_ms in
 * every limit (min(sent, count) tokens), which can only be stricter than
 * the truth. */
void push_bucket_seed(struct push_bucket *b, int sent, int64_t now_ms);

/* The platform said "limit": no send before until_ms (a later pause wins,
 * an earlier one changes nothing). */
void push_bucket_pause(struct push_bucket *b, int64_t until_ms);

#endif

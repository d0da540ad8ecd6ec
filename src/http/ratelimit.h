/* ratelimit.h — token buckets per key (an API credential, a client IP).
 *
 * Each key may spend `burst` requests at once and earns them back at
 * `burst` per `window_ms`.  The table has a fixed number of slots, so a
 * flood of distinct keys cannot grow memory: when the slots near a key
 * are all taken, the least recently used one is reused (its key starts
 * with a full bucket again).  Thread-safe; time is passed in, so the
 * arithmetic is testable. */
#ifndef TK_HTTP_RATELIMIT_H
#define TK_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit;

#define RATELIMIT_SLOTS_MAX (1u << 20)

/* slots is rounded up to a power of two (<= RATELIMIT_SLOTS_MAX); burst
 * >= 1; window_ms >= 1.  NULL when out of memory. */
struct ratelimit *ratelimit_new(size_t slots, uint32_t burst, int64_t window_ms);
void ratelimit_free(struct ratelimit *rl);

/* Takes one request from the key's bucket at time now_ms (monotonic).
 * False when the bucket is empty; *retry_after_ms then says when the
 * next request will be allowed. */
bool ratelimit_take(struct ratelimit *rl, const void *key, size_t key_len, int64_t now_ms,
		    int64_t *retry_after_ms);

/* Returns one request to the key's bucket (never beyond `burst`): a
 * request taken up front that turned out not to count (a login that
 * succeeded, where only failures are limited).  Taking first and giving
 * back after keeps the limit exact under concurrent requests. */
void ratelimit_give_back(struct ratelimit *rl, const void *key, size_t key_len, int64_t now_ms);

/* Fills the key's bucket again (a member who logged in starts afresh). */
void ratelimit_reset(struct ratelimit *rl, const void *key, size_t key_len, int64_t now_ms);

#endif

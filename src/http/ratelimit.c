/* ratelimit.c — fixed-size table of token buckets, keyed by SipHash. */
#include "http/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>

#include <sodium.h>

#define PROBE 8 /* slots looked at per key before one is reused */

/* Credit is counted in units of 1/window_ms token: a bucket earns
 * exactly `burst` units per millisecond, so refill is exact in integers. */
struct bucket {
	uint64_t key;     /* SipHash of the key; 0 = free slot */
	int64_t credit;   /* units left; one request costs window_ms units */
	int64_t last_ms;  /* last refill */
};

struct ratelimit {
	pthread_mutex_t lock;
	size_t mask;
	int64_t burst;
	int64_t window_ms;
	int64_t cap;      /* burst * window_ms units */
	uint8_t hash_key[crypto_shorthash_KEYBYTES];
	struct bucket *slots;
};

struct ratelimit *ratelimit_new(size_t slots, uint32_t burst, int64_t window_ms)
{
	if (burst == 0 || window_ms <= 0 || window_ms > 86400000 || slots == 0 ||
	    slots > RATELIMIT_SLOTS_MAX || sodium_init() < 0)
		return NULL;
	size_t n = PROBE;
	while (n < slots)
		n *= 2;
	struct ratelimit *rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->slots = calloc(n, sizeof(*rl->slots));
	if (!rl->slots) {
		free(rl);
		return NULL;
	}
	pthread_mutex_init(&rl->lock, NULL);
	rl->mask = n - 1;
	rl->burst = burst;
	rl->window_ms = window_ms;
	rl->cap = (int64_t)burst * window_ms;
	/* a secret hash key: nobody outside can aim keys at one slot */
	crypto_shorthash_keygen(rl->hash_key);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

/* The key's bucket, refilled to now_ms; a new one (full) when the key has
 * none.  Called with the lock held. */
static struct bucket *bucket_at(struct ratelimit *rl, const void *key, size_t key_len,
				int64_t now_ms)
{
	uint8_t h8[crypto_shorthash_BYTES];
	crypto_shorthash(h8, key, key_len, rl->hash_key);
	uint64_t h = 0;
	for (int i = 0; i < 8; i++)
		h = h << 8 | h8[i];
	if (h == 0)
		h = 1;
	struct bucket *b = NULL, *oldest = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		struct bucket *s = &rl->slots[(h + i) & rl->mask];
		if (s->key == h) {
			b = s;
			break;
		}
		if (!oldest || s->key == 0 || (oldest->key != 0 && s->last_ms < oldest->last_ms))
			oldest = s;
	}
	if (!b) {
		b = oldest;
		b->key = h;
		b->credit = rl->cap;
		b->last_ms = now_ms;
	}
	int64_t elapsed = now_ms - b->last_ms;
	if (elapsed > 0) {
		b->credit = elapsed >= rl->window_ms || b->credit + elapsed * rl->burst > rl->cap
				    ? rl->cap : b->credit + elapsed * rl->burst;
		b->last_ms = now_ms;
	}
	return b;
}

bool ratelimit_take(struct ratelimit *rl, const void *key, size_t key_len, int64_t now_ms,
		    int64_t *retry_after_ms)
{
	pthread_mutex_lock(&rl->lock);
	struct bucket *b = bucket_at(rl, key, key_len, now_ms);
	bool ok = b->credit >= rl->window_ms;
	if (ok) {
		b->credit -= rl->window_ms;
		*retry_after_ms = 0;
	} else {
		*retry_after_ms = (rl->window_ms - b->credit + rl->burst - 1) / rl->burst;
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

void ratelimit_give_back(struct ratelimit *rl, const void *key, size_t key_len, int64_t now_ms)
{
	pthread_mutex_lock(&rl->lock);
	struct bucket *b = bucket_at(rl, key, key_len, now_ms);
	b->credit = b->credit + rl->window_ms > rl->cap ? rl->cap : b->credit + rl->window_ms;
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_reset(struct ratelimit *rl, const void *key, size_t key_len, int64_t now_ms)
{
	pthread_mutex_lock(&rl->lock);
	bucket_at(rl, key, key_len, now_ms)->credit = rl->cap;
	pthread_mutex_unlock(&rl->lock);
}

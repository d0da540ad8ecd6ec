/* prng.h — the demo generator's seeded random numbers (splitmix64).
 *
 * Deterministic for a seed on every machine, so a dataset can be rebuilt
 * exactly.  Each entity (member, order, item, product, buyer) draws from its
 * own stream, derived from (seed, domain, index): a value can be recomputed
 * on its own without replaying everything generated before it.  Not for
 * anything that must be unpredictable. */
#ifndef TK_DEMO_PRNG_H
#define TK_DEMO_PRNG_H

#include <stdbool.h>
#include <stdint.h>

struct prng {
	uint64_t s;
};

static inline uint64_t prng_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline uint64_t prng_next(struct prng *r)
{
	r->s += UINT64_C(0x9E3779B97F4A7C15);
	return prng_mix(r->s);
}

/* The stream of entity `index` in `domain` for a seed. */
static inline struct prng prng_stream(uint64_t seed, uint64_t domain, uint64_t index)
{
	struct prng r = {prng_mix(seed ^ prng_mix(domain * UINT64_C(0x9E3779B97F4A7C15) +
						 index))};
	return r;
}

/* Uniform in 0..n-1 for n >= 1 (multiply-shift; the bias is below 2^-32). */
static inline uint32_t prng_below(struct prng *r, uint32_t n)
{
	return (uint32_t)(((prng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in lo..hi inclusive, lo <= hi. */
static inline int64_t prng_range(struct prng *r, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(prng_next(r) % span);
}

/* True with probability permille / 1000. */
static inline bool prng_chance(struct prng *r, uint32_t permille)
{
	return prng_below(r, 1000) < permille;
}

/* 0..n-1 skewed toward 0 (the lower of two draws): the first entries of a
 * list are picked about twice as often as the middle ones. */
static inline uint32_t prng_skewed(struct prng *r, uint32_t n)
{
	uint32_t a = prng_below(r, n), b = prng_below(r, n);
	return a < b ? a : b;
}

#endif

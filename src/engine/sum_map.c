/* sum_map.c — linear probing over a power-of-two table, kept under 3/4 full. */
#include "engine/sum_map.h"

#include <stdlib.h>
#include <string.h>

/* The splitmix64 finalizer: every key bit reaches every hash bit, so keys
 * that differ only in high bits (item << 32 | account) spread evenly. */
static uint64_t mix(int64_t key)
{
	uint64_t z = (uint64_t)key;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool grow(struct sum_map *m)
{
	uint64_t n = m->n_slots ? m->n_slots * 2 : 4096;
	int64_t *k = malloc(n * sizeof(*k)), *s = calloc(n, sizeof(*s));
	if (!k || !s) {
		free(k);
		free(s);
		return false;
	}
	for (uint64_t i = 0; i < n; i++)
		k[i] = INT64_MIN;
	for (uint64_t i = 0; i < m->n_slots; i++) {
		if (m->key[i] == INT64_MIN)
			continue;
		uint64_t h = mix(m->key[i]) & (n - 1);
		while (k[h] != INT64_MIN)
			h = (h + 1) & (n - 1);
		k[h] = m->key[i];
		s[h] = m->sum[i];
	}
	free(m->key);
	free(m->sum);
	m->key = k;
	m->sum = s;
	m->n_slots = n;
	return true;
}

static uint64_t find(const struct sum_map *m, int64_t key)
{
	uint64_t h = mix(key) & (m->n_slots - 1);
	while (m->key[h] != INT64_MIN && m->key[h] != key)
		h = (h + 1) & (m->n_slots - 1);
	return h;
}

bool sum_map_add(struct sum_map *m, int64_t key, int64_t delta)
{
	if ((m->n_used + 1) * 4 > m->n_slots * 3 && !grow(m))
		return false;
	uint64_t h = find(m, key);
	if (m->key[h] == INT64_MIN) {
		m->key[h] = key;
		m->n_used++;
	}
	m->sum[h] += delta;
	return true;
}

bool sum_map_add_checked(struct sum_map *m, int64_t key, int64_t delta, bool *overflow)
{
	int64_t sum;
	*overflow = false;
	if ((m->n_used + 1) * 4 > m->n_slots * 3 && !grow(m))
		return false;
	uint64_t h = find(m, key);
	bool fresh = m->key[h] == INT64_MIN;
	if ((*overflow = __builtin_add_overflow(fresh ? 0 : m->sum[h], delta, &sum)))
		return false;
	if (fresh) {
		m->key[h] = key;
		m->n_used++;
	}
	m->sum[h] = sum;
	return true;
}

const int64_t *sum_map_get(const struct sum_map *m, int64_t key)
{
	if (!m->n_slots)
		return NULL;
	uint64_t h = find(m, key);
	return m->key[h] == INT64_MIN ? NULL : &m->sum[h];
}

void sum_map_clear(struct sum_map *m)
{
	if (!m->n_used)
		return;
	for (uint64_t i = 0; i < m->n_slots; i++)
		m->key[i] = INT64_MIN;
	memset(m->sum, 0, m->n_slots * sizeof(*m->sum));
	m->n_used = 0;
}

void sum_map_free(struct sum_map *m)
{
	free(m->key);
	free(m->sum);
	memset(m, 0, sizeof(*m));
}

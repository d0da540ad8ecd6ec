/* sum_map.h — an open-addressing hash map from an int64 key to an int64 sum.
 *
 * Used for per-account balance changes in an import batch and for the
 * audit's recomputed balances.  Keys are any int64 except INT64_MIN.  A
 * pointer returned by sum_map_get() is valid only until the next add. */
#ifndef TK_SUM_MAP_H
#define TK_SUM_MAP_H

#include <stdbool.h>
#include <stdint.h>

struct sum_map {
	int64_t *key; /* INT64_MIN = empty */
	int64_t *sum;
	uint64_t n_slots, n_used;
};

/* Adds delta to key's sum, creating it at 0.  False when out of memory
 * (the map is unchanged). */
bool sum_map_add(struct sum_map *m, int64_t key, int64_t delta);
/* As sum_map_add, but a sum that would leave int64 is refused: false with
 * *overflow set, the map unchanged.  False with *overflow clear: out of
 * memory. */
bool sum_map_add_checked(struct sum_map *m, int64_t key, int64_t delta, bool *overflow);
/* The sum of key, or NULL when the key was never added. */
const int64_t *sum_map_get(const struct sum_map *m, int64_t key);
/* Empties the map, keeping its memory. */
void sum_map_clear(struct sum_map *m);
void sum_map_free(struct sum_map *m);

/* Iteration: for (uint64_t i = 0; i < m->n_slots; i++)
 *   if (m->key[i] != INT64_MIN) ... m->key[i], m->sum[i] */

#endif

/* strmap.h — an open-addressing hash map from a string to an int64.
 *
 * The map owns copies of its keys (in one growing arena) and never removes
 * an entry; entries are numbered 0, 1, 2, ... in insertion order, and that
 * number stays valid for the map's life.  Used for the member tree
 * (external id -> member) and the store's item keys (key -> row). */
#ifndef TK_STRMAP_H
#define TK_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/textbuf.h"

struct strmap_entry {
	uint64_t key_off; /* offset of the NUL-terminated key in the arena */
	uint64_t hash;
	int64_t value;
};

struct strmap {
	uint64_t *slots; /* entry number + 1; 0 = empty */
	uint64_t n_slots;
	struct strmap_entry *entries;
	uint64_t n_entries, cap_entries;
	struct textbuf arena; /* the keys, each NUL-terminated */
};

/* Sets key's value, adding the key if new; *entry (may be NULL) gets its
 * entry number.  False when out of memory (the map is unchanged). */
bool strmap_put(struct strmap *m, const char *key, size_t len, int64_t value, uint64_t *entry);
/* The entry number of key, or false when absent. */
bool strmap_find(const struct strmap *m, const char *key, size_t len, uint64_t *entry);
static inline int64_t strmap_value(const struct strmap *m, uint64_t entry)
{
	return m->entries[entry].value;
}
static inline const char *strmap_key(const struct strmap *m, uint64_t entry)
{
	return m->arena.s + m->entries[entry].key_off;
}
void strmap_free(struct strmap *m);

#endif

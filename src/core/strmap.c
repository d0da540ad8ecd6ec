/* strmap.c — linear probing over entry numbers; keys in an arena so that
 * a million keys cost a million bytes of keys, not a million mallocs. */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a, then a final mix */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	return h ^ (h >> 32);
}

static uint64_t probe(const struct strmap *m, const char *key, size_t len, uint64_t h,
		      bool *found)
{
	uint64_t i = h & (m->n_slots - 1);
	*found = false;
	for (; m->slots[i]; i = (i + 1) & (m->n_slots - 1)) {
		const struct strmap_entry *e = &m->entries[m->slots[i] - 1];
		if (e->hash == h && memcmp(m->arena.s + e->key_off, key, len) == 0 &&
		    m->arena.s[e->key_off + len] == '\0') {
			*found = true;
			break;
		}
	}
	return i;
}

bool strmap_find(const struct strmap *m, const char *key, size_t len, uint64_t *entry)
{
	bool found;
	if (!m->n_slots)
		return false;
	uint64_t i = probe(m, key, len, hash_bytes(key, len), &found);
	if (found)
		*entry = m->slots[i] - 1;
	return found;
}

static bool rehash(struct strmap *m)
{
	uint64_t n = m->n_slots ? m->n_slots * 2 : 1024;
	uint64_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (uint64_t e = 0; e < m->n_entries; e++) {
		uint64_t i = m->entries[e].hash & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = e + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->n_slots = n;
	return true;
}

bool strmap_put(struct strmap *m, const char *key, size_t len, int64_t value, uint64_t *entry)
{
	bool found;
	uint64_t h = hash_bytes(key, len);
	if ((m->n_entries + 1) * 4 > m->n_slots * 3 && !rehash(m))
		return false;
	uint64_t i = probe(m, key, len, h, &found);
	if (found) {
		m->entries[m->slots[i] - 1].value = value;
		if (entry)
			*entry = m->slots[i] - 1;
		return true;
	}
	if (m->n_entries == m->cap_entries) {
		uint64_t cap = m->cap_entries ? m->cap_entries * 2 : 1024;
		struct strmap_entry *es = realloc(m->entries, cap * sizeof(*es));
		if (!es)
			return false;
		m->entries = es;
		m->cap_entries = cap;
	}
	size_t off;
	if (!textbuf_add_key(&m->arena, key, len, SIZE_MAX, &off))
		return false;
	m->entries[m->n_entries] = (struct strmap_entry){off, h, value};
	m->slots[i] = ++m->n_entries;
	if (entry)
		*entry = m->n_entries - 1;
	return true;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	free(m->entries);
	textbuf_free(&m->arena);
	memset(m, 0, sizeof(*m));
}

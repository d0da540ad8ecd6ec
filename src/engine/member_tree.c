/* member_tree.c — per-id arrays plus an ext-id hash, grown by doubling. */
#include "engine/member_tree.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void member_tree_init(struct member_tree *t)
{
	memset(t, 0, sizeof(*t));
}

void member_tree_free(struct member_tree *t)
{
	free(t->parent);
	free(t->level);
	free(t->depth);
	free(t->direct);
	free(t->team);
	free(t->slots);
	free(t->arena);
	free(t->ext_off);
	member_tree_init(t);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool grow_arrays(struct member_tree *t, int64_t id)
{
	if (id < t->cap)
		return true;
	int64_t cap = t->cap ? t->cap : 1024;
	while (cap <= id)
		cap *= 2;
#define GROW(field)                                                                 \
	do {                                                                        \
		void *p = realloc(t->field, (size_t)cap * sizeof(*t->field));       \
		if (!p)                                                             \
			return false;                                               \
		t->field = p;                                                       \
		memset(t->field + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*t->field)); \
	} while (0)
	GROW(parent);
	GROW(level);
	GROW(depth);
	GROW(direct);
	GROW(team);
	GROW(ext_off);
#undef GROW
	for (int64_t i = t->cap; i < cap; i++)
		t->parent[i] = -1;
	t->cap = cap;
	return true;
}

static bool rehash(struct member_tree *t)
{
	uint64_t n = t->n_slots ? t->n_slots * 2 : 2048;
	int64_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (uint64_t i = 0; i < t->n_slots; i++) {
		int64_t id = t->slots[i];
		if (!id)
			continue;
		uint64_t h = hash_str(t->arena + t->ext_off[id]) & (n - 1);
		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = id;
	}
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
	return true;
}

static int level_index(struct member_tree *t, const char *level)
{
	for (int i = 0; i < t->n_level_keys; i++)
		if (strcmp(t->level_keys[i], level) == 0)
			return i;
	if (t->n_level_keys == MEMBER_TREE_LEVEL_KEYS)
		return -1;
	snprintf(t->level_keys[t->n_level_keys], PLAN_KEY_MAX, "%s", level);
	return t->n_level_keys++;
}

int64_t member_tree_find(const struct member_tree *t, const char *ext)
{
	if (!t->n_slots)
		return 0;
	uint64_t h = hash_str(ext) & (t->n_slots - 1);
	for (int64_t id; (id = t->slots[h]) != 0; h = (h + 1) & (t->n_slots - 1))
		if (strcmp(t->arena + t->ext_off[id], ext) == 0)
			return id;
	return 0;
}

enum tk_rc member_tree_put(struct member_tree *t, int64_t id, const char *ext, int64_t parent,
			   const char *level, int32_t depth, int64_t direct, int64_t team,
			   struct tk_error *err)
{
	if (!grow_arrays(t, id))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for the member tree");
	int li = level_index(t, level);
	if (li < 0)
		return tk_fail(err, TK_ELIMIT, "level", "more than %d distinct level keys",
			       MEMBER_TREE_LEVEL_KEYS);
	bool present = t->parent[id] != -1;
	t->parent[id] = parent;
	t->level[id] = (uint8_t)li;
	t->depth[id] = depth;
	t->direct[id] = direct;
	t->team[id] = team;
	if (id > t->max_id)
		t->max_id = id;
	if (present)
		return TK_OK;

	size_t len = strlen(ext) + 1;
	if (t->arena_len + len > t->arena_cap) {
		uint64_t cap = t->arena_cap ? t->arena_cap : 65536;
		while (cap < t->arena_len + len)
			cap *= 2;
		char *a = realloc(t->arena, cap);
		if (!a)
			return tk_fail(err, TK_ENOMEM, "", "out of memory for the member tree");
		t->arena = a;
		t->arena_cap = cap;
	}
	memcpy(t->arena + t->arena_len, ext, len);
	t->ext_off[id] = t->arena_len;
	t->arena_len += len;
	if ((t->n_used + 1) * 4 > t->n_slots * 3 && !rehash(t))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for the member tree");
	uint64_t h = hash_str(ext) & (t->n_slots - 1);
	while (t->slots[h])
		h = (h + 1) & (t->n_slots - 1);
	t->slots[h] = id;
	t->n_used++;
	return TK_OK;
}

enum tk_rc member_tree_set_level(struct member_tree *t, int64_t id, const char *level,
				 struct tk_error *err)
{
	int li = level_index(t, level);
	if (li < 0)
		return tk_fail(err, TK_ELIMIT, "level", "more than %d distinct level keys",
			       MEMBER_TREE_LEVEL_KEYS);
	if (member_tree_has(t, id))
		t->level[id] = (uint8_t)li;
	return TK_OK;
}

bool member_tree_has(const struct member_tree *t, int64_t id)
{
	return id > 0 && id < t->cap && t->parent[id] != -1;
}

const char *member_tree_ext(const struct member_tree *t, int64_t id)
{
	return member_tree_has(t, id) ? t->arena + t->ext_off[id] : "";
}

const char *member_tree_level(const struct member_tree *t, int64_t id)
{
	return member_tree_has(t, id) ? t->level_keys[t->level[id]] : "";
}

void member_tree_chain(const struct member_tree *t, const struct plan *p, int64_t id,
		       bool self_purchase, struct plan_chain *chain)
{
	memset(chain, 0, sizeof(*chain));
	chain->self_purchase = self_purchase;
	for (int64_t m = id; m > 0 && chain->n < p->max_tiers && member_tree_has(t, m);
	     m = t->parent[m]) {
		int li = plan_level_index(p, t->level_keys[t->level[m]]);
		chain->member[chain->n] = m;
		chain->level[chain->n] = li >= 0 ? li : p->default_level;
		chain->n++;
	}
}

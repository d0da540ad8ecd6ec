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
	free(t->ext_entry);
	strmap_free(&t->ext);
	member_tree_init(t);
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
	GROW(ext_entry);
#undef GROW
	for (int64_t i = t->cap; i < cap; i++)
		t->parent[i] = -1;
	t->cap = cap;
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
	uint64_t e;
	return strmap_find(&t->ext, ext, strlen(ext), &e) ? strmap_value(&t->ext, e) : 0;
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
	if (!present && !strmap_put(&t->ext, ext, strlen(ext), id, &t->ext_entry[id]))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for the member tree");
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
	return member_tree_has(t, id) ? strmap_key(&t->ext, t->ext_entry[id]) : "";
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

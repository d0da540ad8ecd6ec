/* link_table.c — an open-addressing hash table published through atomic
 * pointers: readers never lock; a writer that outgrows the table builds a
 * twice larger one and publishes it, keeping the old one until the end.
 * Each slot holds a tag of the code's hash beside the entry pointer, so
 * that a probe touches only the entry it is after (one cache miss, not one
 * per candidate).  The slots and the entries live on huge pages where the
 * kernel gives them (bigmem.h): a redirect probes two random places of
 * tens of megabytes, and on small pages each would also walk the page
 * tables.  The entries a redirect reads and the counters the click
 * flusher keeps are in arenas of their own, each packed in cache lines. */
#include "tracking/link_table.h"

#include "tracking/bigmem.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	_Atomic(const struct link_entry *) entry;
	uint64_t tag; /* the code's hash: written before entry is published */
};

struct slots {
	size_t mask;
	struct slot *slot;
	struct slots *retired; /* the table this one replaced */
};

/* The interned strings: an open-addressing set, the writer's only. */
struct strings {
	char **slot;
	size_t mask, used;
};

struct link_table {
	_Atomic(struct slots *) cur;
	pthread_mutex_t write; /* the writers' (readers never take it) */
	struct strings strings;
	struct bigmem_arena hot;   /* the entries: what a redirect reads */
	struct bigmem_arena cold;  /* their live parts: the flusher's */
	size_t count;          /* written by the (serialized) writer only */
	_Atomic size_t published;
	struct link_entry **entries; /* every entry, for rebuilding the slots */
	size_t n_entries, cap_entries;
	struct link_hosts hosts;   /* the allowed hosts operators added (the writer's) */
};

/* Whether a URL link's target leads where no link may lead now: a target
 * the parse refuses, http, or a host under no allowed domain. */
static bool target_blocked(const struct link_table *t, const char *target)
{
	struct link_url u;
	if (link_url_parse(target, LINK_TARGET_MAX, &u, NULL) != TK_OK || !u.https)
		return true;
	return link_hosts_match(&t->hosts, u.host) == NULL;
}

/* FNV-1a: codes are random already, a cheap mix is enough. */
static uint64_t hash_code(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ^ (h >> 32);
}

static struct slots *slots_new(size_t n)
{
	struct slots *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->slot = bigmem_alloc(n * sizeof(*s->slot));
	if (!s->slot) {
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		atomic_init(&s->slot[i].entry, NULL);
	s->mask = n - 1;
	return s;
}

struct link_table *link_table_new(void)
{
	struct link_table *t = calloc(1, sizeof(*t));
	struct slots *s = slots_new(1024);
	if (!t || !s) {
		free(t);
		if (s)
			bigmem_free(s->slot, (s->mask + 1) * sizeof(*s->slot));
		free(s);
		return NULL;
	}
	atomic_init(&t->cur, s);
	atomic_init(&t->published, 0);
	pthread_mutex_init(&t->write, NULL);
	return t;
}

void link_table_free(struct link_table *t)
{
	if (!t)
		return;
	struct slots *s = atomic_load(&t->cur);
	while (s) {
		struct slots *next = s->retired;
		bigmem_free(s->slot, (s->mask + 1) * sizeof(*s->slot));
		free(s);
		s = next;
	}
	bigmem_arena_free(&t->hot);
	bigmem_arena_free(&t->cold);
	for (size_t i = 0; t->strings.slot && i <= t->strings.mask; i++)
		free(t->strings.slot[i]);
	free(t->strings.slot);
	free(t->entries);
	free(t->hosts.domain);
	pthread_mutex_destroy(&t->write);
	free(t);
}

static void slots_insert(struct slots *s, const struct link_entry *e)
{
	uint64_t h = hash_code(e->code, strlen(e->code));
	size_t i = h & s->mask;
	while (atomic_load_explicit(&s->slot[i].entry, memory_order_relaxed))
		i = (i + 1) & s->mask;
	s->slot[i].tag = h;
	atomic_store_explicit(&s->slot[i].entry, e, memory_order_release);
}

static bool strings_grow(struct strings *set)
{
	size_t n = set->slot ? (set->mask + 1) * 2 : 256;
	char **slot = calloc(n, sizeof(*slot));
	if (!slot)
		return false;
	for (size_t i = 0; set->slot && i <= set->mask; i++) {
		if (!set->slot[i])
			continue;
		size_t k = hash_code(set->slot[i], strlen(set->slot[i])) & (n - 1);
		while (slot[k])
			k = (k + 1) & (n - 1);
		slot[k] = set->slot[i];
	}
	free(set->slot);
	set->slot = slot;
	set->mask = n - 1;
	return true;
}

/* The one copy of s, made on first sight; NULL when out of memory. */
static const char *intern(struct strings *set, const char *s)
{
	if ((!set->slot || (set->used + 1) * 2 > set->mask + 1) && !strings_grow(set))
		return NULL;
	size_t len = strlen(s), i = hash_code(s, len) & set->mask;
	for (; set->slot[i]; i = (i + 1) & set->mask)
		if (strcmp(set->slot[i], s) == 0)
			return set->slot[i];
	if (!(set->slot[i] = strdup(s)))
		return NULL;
	set->used++;
	return set->slot[i];
}

/* The entry with its target from the hot arena, starting on a cache line
 * (a redirect reads its head and target in one or two lines); the live
 * part from the cold one. */
static struct link_entry *entry_new(struct link_table *t, const struct link_rec *l)
{
	char product_key[ORDER_UNION_MAX + ORDER_KEY_MAX + 1] = "";
	if (l->product[0])
		snprintf(product_key, sizeof(product_key), "%s:%s", l->union_, l->product);
	const char *ext = intern(&t->strings, l->member_ext);
	const char *channel = intern(&t->strings, l->channel);
	const char *product = intern(&t->strings, product_key);
	if (!ext || !channel || !product)
		return NULL;
	size_t target = strlen(l->target);
	struct link_entry *e = bigmem_arena_take(&t->hot, sizeof(*e) + target + 1, 64);
	struct link_live *live = bigmem_arena_take(&t->cold, sizeof(*live), 64);
	if (!e || !live)
		return NULL; /* what was taken goes with the arena */
	snprintf(e->code, sizeof(e->code), "%s", l->code);
	e->id = l->id;
	e->target_len = (uint32_t)target;
	atomic_init(&e->revoked, l->revoked_at != 0);
	memcpy(e->target, l->target, target + 1);
	e->checked = !l->product[0] && !l->host_override;
	atomic_init(&e->blocked, e->checked && target_blocked(t, e->target));
	atomic_init(&live->clicks, 0);
	atomic_init(&live->unique, 0);
	atomic_init(&live->bots, 0);
	live->dirty = false;
	live->member_ext = ext;
	live->channel = channel;
	live->product_key = product;
	live->id = l->id;
	live->index = t->n_entries;
	e->live = live;
	return e;
}

/* A link whose target changed (its union conversion was made again): a
 * new entry with the new target and the old one's live counters takes the
 * old one's slot.  The old entry stays valid for readers that hold it (or
 * an older table pointing to it) until link_table_free. */
static enum tk_rc replace_locked(struct link_table *t, const struct link_entry *had,
				 const struct link_rec *l, struct tk_error *err)
{
	size_t target = strlen(l->target);
	if (target >= LINK_TARGET_MAX)
		return tk_fail(err, TK_ELIMIT, "target", "a link target is too long");
	struct link_entry *e = bigmem_arena_take(&t->hot, sizeof(*e) + target + 1, 64);
	if (!e)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	snprintf(e->code, sizeof(e->code), "%s", had->code);
	e->id = had->id;
	e->live = had->live;
	e->target_len = (uint32_t)target;
	atomic_init(&e->revoked, atomic_load_explicit(&had->revoked, memory_order_acquire));
	memcpy(e->target, l->target, target + 1);
	e->checked = had->checked;
	atomic_init(&e->blocked, e->checked && target_blocked(t, e->target));
	assert(had->live->index < t->n_entries && t->entries[had->live->index] == had);
	t->entries[had->live->index] = e;
	struct slots *s = atomic_load_explicit(&t->cur, memory_order_relaxed);
	for (size_t i = hash_code(e->code, strlen(e->code)) & s->mask;;
	     i = (i + 1) & s->mask) {
		const struct link_entry *at =
			atomic_load_explicit(&s->slot[i].entry, memory_order_relaxed);
		assert(at); /* had is in the current table */
		if (at == had) {
			atomic_store_explicit(&s->slot[i].entry, e, memory_order_release);
			return TK_OK;
		}
	}
}

static enum tk_rc put_locked(struct link_table *t, const struct link_rec *l,
			     struct tk_error *err)
{
	const struct link_entry *had = link_table_get(t, l->code, strlen(l->code));
	if (had && had->id == l->id) {
		if (l->revoked_at)
			atomic_store_explicit(&((struct link_entry *)had)->revoked, true,
					      memory_order_release);
		if (strcmp(had->target, l->target) == 0)
			return TK_OK;
		return replace_locked(t, had, l, err);
	}
	if (had)
		return tk_fail(err, TK_ECONFLICT, "code", "link code \"%s\" is taken", l->code);
	if (strlen(l->code) >= LINK_CODE_MAX || strlen(l->target) >= LINK_TARGET_MAX)
		return tk_fail(err, TK_ELIMIT, "code", "a link code or target is too long");
	if (t->count >= LINK_TABLE_MAX)
		return tk_fail(err, TK_ELIMIT, "links", "more than %u links in memory",
			       LINK_TABLE_MAX);
	if (t->n_entries == t->cap_entries) {
		size_t n = t->cap_entries ? t->cap_entries * 2 : 1024;
		struct link_entry **a = realloc(t->entries, n * sizeof(*a));
		if (!a)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		t->entries = a;
		t->cap_entries = n;
	}
	struct link_entry *e = entry_new(t, l);
	if (!e)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	struct slots *s = atomic_load_explicit(&t->cur, memory_order_relaxed);
	/* keep the load under one half so that probes stay short */
	if ((t->count + 1) * 2 > s->mask + 1) {
		struct slots *bigger = slots_new((s->mask + 1) * 2);
		if (!bigger)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		for (size_t i = 0; i < t->n_entries; i++)
			slots_insert(bigger, t->entries[i]);
		bigger->retired = s;
		atomic_store_explicit(&t->cur, bigger, memory_order_release);
		s = bigger;
	}
	t->entries[t->n_entries++] = e;
	slots_insert(s, e);
	t->count++;
	atomic_store_explicit(&t->published, t->count, memory_order_release);
	return TK_OK;
}

enum tk_rc link_table_put(struct link_table *t, const struct link_rec *l,
			  struct tk_error *err)
{
	pthread_mutex_lock(&t->write);
	enum tk_rc rc = put_locked(t, l, err);
	pthread_mutex_unlock(&t->write);
	return rc;
}

enum tk_rc link_table_set_hosts(struct link_table *t, const struct link_hosts *added,
				struct tk_error *err)
{
	size_t n = added ? added->n : 0;
	char(*copy)[LINK_HOST_MAX] = n ? malloc(n * sizeof(*copy)) : NULL;
	if (n && !copy)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (n)
		memcpy(copy, added->domain, n * sizeof(*copy));
	pthread_mutex_lock(&t->write);
	free(t->hosts.domain);
	t->hosts.domain = copy;
	t->hosts.n = n;
	/* a link's mark flips where a redirect reads it; the rest of the
	 * entry stays as it was */
	for (size_t i = 0; i < t->n_entries; i++) {
		struct link_entry *e = t->entries[i];
		if (e->checked)
			atomic_store_explicit(&e->blocked, target_blocked(t, e->target),
					      memory_order_release);
	}
	pthread_mutex_unlock(&t->write);
	return TK_OK;
}

const struct link_entry *link_table_get(const struct link_table *t, const char *code,
					size_t len)
{
	struct slots *s = atomic_load_explicit(&((struct link_table *)t)->cur,
					       memory_order_acquire);
	uint64_t h = hash_code(code, len);
	size_t i = h & s->mask;
	for (;;) {
		const struct link_entry *e =
			atomic_load_explicit(&s->slot[i].entry, memory_order_acquire);
		if (!e)
			return NULL;
		if (s->slot[i].tag == h && len < LINK_CODE_MAX && memcmp(e->code, code, len) == 0 &&
		    e->code[len] == '\0')
			return e;
		i = (i + 1) & s->mask;
	}
}

size_t link_table_count(const struct link_table *t)
{
	return atomic_load_explicit(&((struct link_table *)t)->published, memory_order_acquire);
}

void link_table_add_live(const struct link_table *t, struct link_rec *l)
{
	const struct link_entry *e = link_table_get(t, l->code, strlen(l->code));
	if (!e || e->id != l->id)
		return;
	l->clicks += atomic_load_explicit(&e->live->clicks, memory_order_relaxed);
	l->unique_clicks += atomic_load_explicit(&e->live->unique, memory_order_relaxed);
	l->bot_clicks += atomic_load_explicit(&e->live->bots, memory_order_relaxed);
}

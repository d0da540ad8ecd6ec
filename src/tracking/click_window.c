/* click_window.c — the unique-click window as a linear-probing table. */
#include "tracking/click_window.h"

#include "tracking/bigmem.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	int64_t link;        /* 0 = free */
	int64_t at;          /* the last unique click of the pair */
	uint8_t ip[CLICK_IP_HASH_BYTES];
};

struct click_window {
	struct slot *slot;
	size_t mask;
	size_t used;         /* slots taken, live or dead */
	int64_t newest;      /* the latest click time seen */
};

static uint64_t hash_pair(int64_t link, const uint8_t *ip)
{
	/* the IP hash is already a keyed BLAKE2b: its bytes are uniform */
	uint64_t h;
	memcpy(&h, ip, sizeof(h));
	return h ^ ((uint64_t)link * 0x9E3779B97F4A7C15ULL);
}

static bool table_alloc(struct click_window *w, size_t n)
{
	/* probed at random for every click: on huge pages (bigmem.h) */
	struct slot *s = bigmem_alloc(n * sizeof(*s));
	if (!s)
		return false;
	w->slot = s;
	w->mask = n - 1;
	w->used = 0;
	return true;
}

struct click_window *click_window_new(void)
{
	struct click_window *w = calloc(1, sizeof(*w));
	if (w && !table_alloc(w, 4096)) {
		free(w);
		return NULL;
	}
	return w;
}

void click_window_free(struct click_window *w)
{
	if (w)
		bigmem_free(w->slot, (w->mask + 1) * sizeof(*w->slot));
	free(w);
}

static bool live(const struct click_window *w, const struct slot *s)
{
	return s->link != 0 && w->newest - s->at < CLICK_WINDOW_SECONDS;
}

static struct slot *find(struct click_window *w, int64_t link, const uint8_t *ip)
{
	size_t i = hash_pair(link, ip) & w->mask;
	for (;; i = (i + 1) & w->mask) {
		struct slot *s = &w->slot[i];
		if (s->link == 0 || (s->link == link && memcmp(s->ip, ip, CLICK_IP_HASH_BYTES) == 0))
			return s;
	}
}

/* Rebuilds the table without dead entries, twice as large when the live
 * ones fill more than a quarter of it.  False when memory is short (the
 * old table is kept). */
static bool rebuild(struct click_window *w)
{
	size_t n_live = 0;
	for (size_t i = 0; i <= w->mask; i++)
		n_live += live(w, &w->slot[i]);
	size_t n = w->mask + 1;
	while (n_live * 4 > n)
		n *= 2;
	struct click_window fresh = {.newest = w->newest};
	if (!table_alloc(&fresh, n))
		return false;
	for (size_t i = 0; i <= w->mask; i++) {
		struct slot *s = &w->slot[i];
		if (!live(w, s))
			continue;
		*find(&fresh, s->link, s->ip) = *s;
		fresh.used++;
	}
	bigmem_free(w->slot, (w->mask + 1) * sizeof(*w->slot));
	*w = fresh;
	return true;
}

/* A slot for the pair, making room first; NULL when the window is full. */
static struct slot *slot_for(struct click_window *w, int64_t link, const uint8_t *ip)
{
	struct slot *s = find(w, link, ip);
	if (s->link != 0)
		return s;
	if ((w->used + 1) * 2 > w->mask + 1) {
		if (!rebuild(w) || (w->used + 1) * 2 > w->mask + 1)
			return NULL;
		s = find(w, link, ip);
	}
	if (w->used >= CLICK_WINDOW_MAX)
		return NULL;
	s->link = link;
	memcpy(s->ip, ip, CLICK_IP_HASH_BYTES);
	s->at = INT64_MIN / 2;
	w->used++;
	return s;
}

bool click_window_unique(struct click_window *w, int64_t link,
			 const uint8_t ip_hash[CLICK_IP_HASH_BYTES], int64_t at)
{
	if (at > w->newest)
		w->newest = at;
	struct slot *s = slot_for(w, link, ip_hash);
	if (!s)
		return true;
	if (at - s->at < CLICK_WINDOW_SECONDS)
		return false;
	s->at = at;
	return true;
}

void click_window_prefetch(const struct click_window *w, int64_t link,
			   const uint8_t ip_hash[CLICK_IP_HASH_BYTES])
{
	__builtin_prefetch(&w->slot[hash_pair(link, ip_hash) & w->mask], 1);
}

void click_window_seed(struct click_window *w, int64_t link,
		       const uint8_t ip_hash[CLICK_IP_HASH_BYTES], int64_t at)
{
	if (at > w->newest)
		w->newest = at;
	struct slot *s = slot_for(w, link, ip_hash);
	if (s && at > s->at)
		s->at = at;
}

size_t click_window_size(const struct click_window *w)
{
	return w->used;
}

/* clicks.c — the click buffer and its flusher thread.
 *
 * A request thread hashes what it saw (the address with a secret key, the
 * User-Agent), judges the User-Agent (a robot or not, remembered per
 * thread by hash) and appends a fixed-size record to its own shard of the
 * buffer: its own mutex, so request threads never contend with each other,
 * and the raw address is never kept.  The flusher thread takes the shards
 * and does the unique-click window and all the SQL. */
#define _GNU_SOURCE /* pthread_setname_np */
#include "tracking/clicks.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/tktime.h"
#include "tracking/bigmem.h"
#include "tracking/bots.h"
#include "tracking/click_window.h"
#include "store/server_store.h"
#include "tracking/tracking.h"

#define BOT_CACHE 1024 /* User-Agent verdicts remembered per thread */

/* The writer's page cache: the end of the clicks table, the day's
 * statistics, the links' counters.  Pages it appended are not read again,
 * and a cache of the default size would only fill with them (a fresh
 * allocation per page until it holds 256 MiB). */
#define CLICKS_CACHE_KIB 16384

_Static_assert(crypto_shorthash_siphashx24_BYTES == CLICK_IP_HASH_BYTES, "IP hash size");
_Static_assert(crypto_shorthash_BYTES == CLICK_UA_HASH_BYTES, "User-Agent hash size");
_Static_assert(crypto_shorthash_KEYBYTES == crypto_shorthash_siphashx24_KEYBYTES, "one key");

/* A click as the request thread leaves it. */
struct raw_click {
	struct link_live *link; /* the flusher's part of the link's entry */
	int64_t link_id;      /* copied while the entry is in cache */
	int64_t at;
	uint8_t ip_hash[CLICK_IP_HASH_BYTES];
	uint8_t ua_hash[CLICK_UA_HASH_BYTES];
	bool bot;
	bool decided, unique; /* the flusher's verdict, kept across a retried write */
	char referrer[CLICK_REFERRER_MAX];
};

struct click_vec {
	struct raw_click *v;
	size_t n, cap;
};

/* One request thread's part of the buffer.  Its counters are its own, so
 * that threads never write a cache line another one writes. */
struct shard {
	pthread_mutex_t lock;
	struct click_vec v;
	struct shard *next;
	_Atomic uint64_t recorded, dropped;
	struct {
		uint64_t ua_hash;
		bool bot, used;
	} bot_cache[BOT_CACHE]; /* the owning thread's only */
};

/* Sums per link and per (day, dim, key), in open-addressing tables that
 * double when half full. */
struct link_sum {
	struct link_live *link;
	int64_t day;
	int64_t clicks, unique, bots;
};

struct stat_sum {
	int64_t day;
	int dim;
	const char *key; /* an interned string of the link table */
	uint64_t hash;
	int64_t clicks, unique;
};

struct sums {
	struct link_sum *links;
	size_t links_n, links_used;
	struct stat_sum *stats;
	size_t stats_n, stats_used;
};

struct clicks {
	struct store *st;
	char node[CLICK_NODE_MAX]; /* this serve node's name */
	int flush_ms;
	pthread_t thread;
	pthread_mutex_t lock;      /* the shard list, stop */
	pthread_cond_t wake;
	bool stop;
	struct shard *shards;
	uint64_t gen;
	struct click_vec batch;    /* owned by the flusher: being written */
	uint8_t key[crypto_shorthash_KEYBYTES];
	struct click_window *window;
	_Atomic uint64_t written, bots, failures;
	_Atomic uint64_t dropped; /* when a thread has no shard (out of memory) */
	struct tk_error last_err;  /* of the last failed flush */
	/* links whose live counters are not yet written to their row */
	struct link_live **dirty;
	size_t n_dirty, cap_dirty;
	int64_t counts_written_at; /* when the link counters were last written */
	struct click_rec *recs;    /* rows of the batch being written */
	size_t cap_recs;
	struct sums sums;          /* kept from batch to batch: no allocation per flush */
	struct stat_sum **stat_order; /* the sums' statistics in key order */
	size_t cap_stat_order;
};

/* The link counters are written every LINK_COUNTS_EVERY_S seconds (and
 * at stop), not at every flush: under a uniform load over many links each
 * flush would otherwise update one link row per click.  The clicks table
 * stays the record; after a crash the counters are recomputed from the
 * clicks after the last "link_counts_upto". */
#define LINK_COUNTS_EVERY_S 30

/* ---- the request side ---- */

void clicks_referrer_host(const char *referer, char out[CLICK_REFERRER_MAX])
{
	out[0] = '\0';
	if (!referer)
		return;
	const char *p = strstr(referer, "://");
	p = p ? p + 3 : referer;
	const char *at = NULL;
	for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
		if (*q == '@')
			at = q; /* drop any user:password@ */
	if (at)
		p = at + 1;
	size_t o = 0;
	for (size_t i = 0; p[i] && o + 1 < CLICK_REFERRER_MAX; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		/* a host is letters, digits, '-', '.', or a bracketed IPv6 */
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '[' || c == ']'))
			break;
		out[o++] = c;
	}
	out[o] = '\0';
}

/* Which clicks buffer (by generation, never reused) the thread's shard
 * belongs to. */
static _Atomic uint64_t generations;
static _Thread_local struct {
	uint64_t gen;
	struct shard *shard;
} mine;

/* The calling thread's shard, made on its first click. */
static struct shard *my_shard(struct clicks *c)
{
	if (mine.gen == c->gen)
		return mine.shard;
	struct shard *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_lock(&c->lock);
	s->next = c->shards;
	c->shards = s;
	pthread_mutex_unlock(&c->lock);
	mine.gen = c->gen;
	mine.shard = s;
	return s;
}

static bool judge_bot(struct shard *s, const uint8_t ua_hash[CLICK_UA_HASH_BYTES],
		      const char *ua)
{
	uint64_t h;
	memcpy(&h, ua_hash, sizeof(h));
	size_t i = h % BOT_CACHE;
	if (!s->bot_cache[i].used || s->bot_cache[i].ua_hash != h) {
		s->bot_cache[i].ua_hash = h;
		s->bot_cache[i].bot = bots_match(ua);
		s->bot_cache[i].used = true;
	}
	return s->bot_cache[i].bot;
}

void clicks_record(struct clicks *c, const struct link_entry *link, int64_t at, const void *ip,
		   size_t ip_len, const char *user_agent, const char *referer, bool robot)
{
	struct shard *s = my_shard(c);
	if (!s) {
		atomic_fetch_add_explicit(&c->dropped, 1, memory_order_relaxed);
		return;
	}
	struct raw_click r = {.link = link->live, .link_id = link->id, .at = at};
	const char *ua = user_agent ? user_agent : "";
	crypto_shorthash_siphashx24(r.ip_hash, ip, ip_len, c->key);
	crypto_shorthash(r.ua_hash, (const unsigned char *)ua, strnlen(ua, CLICKS_UA_MAX), c->key);
	r.bot = robot || judge_bot(s, r.ua_hash, ua);
	clicks_referrer_host(referer, r.referrer);

	pthread_mutex_lock(&s->lock);
	struct click_vec *v = &s->v;
	bool ok = v->n < CLICKS_PENDING_MAX;
	if (ok && v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4096;
		struct raw_click *nv = realloc(v->v, cap * sizeof(*nv));
		if (nv) {
			v->v = nv;
			v->cap = cap;
		} else {
			ok = false;
		}
	}
	if (ok)
		v->v[v->n++] = r;
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add_explicit(ok ? &s->recorded : &s->dropped, 1, memory_order_relaxed);
}

void clicks_stats(struct clicks *c, struct clicks_stats *out)
{
	uint64_t recorded = 0, dropped = atomic_load(&c->dropped);
	pthread_mutex_lock(&c->lock);
	for (struct shard *s = c->shards; s; s = s->next) {
		recorded += atomic_load_explicit(&s->recorded, memory_order_relaxed);
		dropped += atomic_load_explicit(&s->dropped, memory_order_relaxed);
	}
	pthread_mutex_unlock(&c->lock);
	out->recorded = recorded;
	out->written = atomic_load(&c->written);
	out->dropped = dropped;
	out->bots = atomic_load(&c->bots);
	out->failures = atomic_load(&c->failures);
	out->pending = recorded > out->written ? recorded - out->written : 0;
}

/* ---- the flusher: deciding each click once ---- */

static void decide(struct clicks *c, struct raw_click *r)
{
	if (r->decided)
		return;
	r->unique = !r->bot && click_window_unique(c->window, r->link_id, r->ip_hash, r->at);
	r->decided = true;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t link_hash(const struct link_live *l, int64_t day)
{
	return mix((uint64_t)(uintptr_t)l ^ (uint64_t)day * 0x9E3779B97F4A7C15ULL);
}

static bool links_grow(struct sums *s)
{
	size_t n = s->links_n ? s->links_n * 2 : 1024;
	struct link_sum *t = bigmem_alloc(n * sizeof(*t));
	if (!t)
		return false;
	for (size_t i = 0; i < s->links_n; i++) {
		if (!s->links[i].link)
			continue;
		size_t k = link_hash(s->links[i].link, s->links[i].day) & (n - 1);
		while (t[k].link)
			k = (k + 1) & (n - 1);
		t[k] = s->links[i];
	}
	bigmem_free(s->links, s->links_n * sizeof(*s->links));
	s->links = t;
	s->links_n = n;
	return true;
}

static bool sum_link(struct sums *s, const struct raw_click *r, int64_t day)
{
	if ((s->links_used + 1) * 2 > s->links_n && !links_grow(s))
		return false;
	size_t i = link_hash(r->link, day) & (s->links_n - 1);
	while (s->links[i].link && (s->links[i].link != r->link || s->links[i].day != day))
		i = (i + 1) & (s->links_n - 1);
	struct link_sum *l = &s->links[i];
	if (!l->link) {
		l->link = r->link;
		l->day = day;
		s->links_used++;
	}
	l->clicks += !r->bot;
	l->unique += r->unique;
	l->bots += r->bot;
	return true;
}

static bool stats_grow(struct sums *s)
{
	size_t n = s->stats_n ? s->stats_n * 2 : 1024;
	struct stat_sum *t = bigmem_alloc(n * sizeof(*t));
	if (!t)
		return false;
	for (size_t i = 0; i < s->stats_n; i++) {
		if (!s->stats[i].key)
			continue;
		size_t k = s->stats[i].hash & (n - 1);
		while (t[k].key)
			k = (k + 1) & (n - 1);
		t[k] = s->stats[i];
	}
	bigmem_free(s->stats, s->stats_n * sizeof(*s->stats));
	s->stats = t;
	s->stats_n = n;
	return true;
}

static size_t pow2_at_least(size_t n)
{
	size_t p = 1024;
	while (p < n)
		p *= 2;
	return p;
}

/* Empties a table of `size`-byte entries, making it at least `want`
 * entries (and not more than four times that). */
static bool table_prepare(void **t, size_t *n, size_t *used, size_t want, size_t size)
{
	if (*n < want || *n > 4 * want) {
		void *fresh = bigmem_alloc(want * size);
		if (!fresh)
			return false;
		bigmem_free(*t, *n * size);
		*t = fresh;
		*n = want;
	} else if (*used) {
		memset(*t, 0, *n * size);
	}
	*used = 0;
	return true;
}

/* Readies the sums for a batch of n clicks: empty, and large enough that
 * summing seldom grows them. */
static bool sums_prepare(struct sums *s, size_t n)
{
	void *links = s->links, *stats = s->stats;
	bool ok = table_prepare(&links, &s->links_n, &s->links_used, pow2_at_least(2 * n),
				sizeof(*s->links)) &&
		  table_prepare(&stats, &s->stats_n, &s->stats_used, pow2_at_least(64),
				sizeof(*s->stats));
	s->links = links;
	s->stats = stats;
	return ok;
}

/* Keys are interned strings (link_table.h): the same key is the same
 * pointer, so summing never reads a string. */
static bool sum_stat(struct sums *s, int64_t day, int dim, const char *key,
		     const struct link_sum *l)
{
	if ((s->stats_used + 1) * 2 > s->stats_n && !stats_grow(s))
		return false;
	uint64_t h = mix((uint64_t)(uintptr_t)key ^ ((uint64_t)day * 31 + (uint64_t)dim) *
						      0x9E3779B97F4A7C15ULL);
	size_t i = h & (s->stats_n - 1);
	for (;; i = (i + 1) & (s->stats_n - 1)) {
		struct stat_sum *e = &s->stats[i];
		if (!e->key) {
			*e = (struct stat_sum){.day = day, .dim = dim, .key = key, .hash = h};
			s->stats_used++;
			break;
		}
		if (e->key == key && e->day == day && e->dim == dim)
			break;
	}
	s->stats[i].clicks += l->clicks;
	s->stats[i].unique += l->unique;
	return true;
}

/* Adds a link's clicks of a day (robots apart) to the statistics of the
 * platform, its member, its channel and its product. */
static bool sum_stats(struct sums *s, const struct link_sum *ls)
{
	static const char platform[] = "";
	const struct link_live *v = ls->link;
	if (!ls->clicks)
		return true;
	return sum_stat(s, ls->day, DIM_TOTAL, platform, ls) &&
	       sum_stat(s, ls->day, DIM_MEMBER, v->member_ext, ls) &&
	       (!v->channel[0] || sum_stat(s, ls->day, DIM_CHANNEL, v->channel, ls)) &&
	       (!v->product_key[0] || sum_stat(s, ls->day, DIM_PRODUCT, v->product_key, ls));
}

static int64_t beijing_day(int64_t t)
{
	return tktime_day(t, TKTIME_BEIJING_OFFSET);
}

/* ---- the flusher: writing a batch ---- */

/* The flusher probes memory at random: per click the unique-click window
 * and the sums, per link its counters.  It names what it will need that
 * many clicks (or table slots) ahead, so that it waits on memory for
 * several at once instead of for each in turn. */
#define AHEAD_CLICKS 8
#define AHEAD_SLOTS 32

static void prefetch_click(struct clicks *c, const struct click_vec *b, size_t i)
{
	if (i >= b->n)
		return;
	const struct raw_click *r = &b->v[i];
	const struct sums *s = &c->sums;
	if (!r->bot && !r->decided)
		click_window_prefetch(c->window, r->link_id, r->ip_hash);
	__builtin_prefetch(&s->links[link_hash(r->link, beijing_day(r->at)) & (s->links_n - 1)], 1);
}

static void prefetch_live(const struct sums *s, size_t i)
{
	if (i < s->links_n && s->links[i].link)
		__builtin_prefetch(s->links[i].link, 1);
}

static bool mark_dirty(struct clicks *c, struct link_live *l)
{
	if (c->n_dirty == c->cap_dirty) {
		size_t n = c->cap_dirty ? c->cap_dirty * 2 : 1024;
		struct link_live **d = realloc(c->dirty, n * sizeof(*d));
		if (!d)
			return false; /* counted live still; written once memory allows */
		c->dirty = d;
		c->cap_dirty = n;
	}
	c->dirty[c->n_dirty++] = l;
	return true;
}

/* The statistics in daily_stats' key order (day, dim, key by bytes), the
 * order the engine writes them in (rollup_flush): two transactions adding
 * to the same rows then take them in one order, and on PostgreSQL, where
 * the click writer holds no writer lock, can never deadlock. */
static int by_stat_key(const void *a, const void *b)
{
	const struct stat_sum *x = *(struct stat_sum *const *)a, *y = *(struct stat_sum *const *)b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->dim != y->dim)
		return x->dim < y->dim ? -1 : 1;
	return strcmp(x->key, y->key);
}

static bool stats_sort(struct clicks *c)
{
	struct sums *s = &c->sums;
	if (s->stats_used > c->cap_stat_order) {
		struct stat_sum **o = realloc(c->stat_order, s->stats_used * sizeof(*o));
		if (!o)
			return false;
		c->stat_order = o;
		c->cap_stat_order = s->stats_used;
	}
	size_t n = 0;
	for (size_t i = 0; i < s->stats_n; i++)
		if (s->stats[i].key)
			c->stat_order[n++] = &s->stats[i];
	assert(n == s->stats_used);
	/* a batch of robots' hits alone has no statistics, and no array yet
	 * (qsort must not be handed NULL, even for none) */
	if (n > 1)
		qsort(c->stat_order, n, sizeof(*c->stat_order), by_stat_key);
	return true;
}

/* Walks the batch's statistics, sorted, for tracking_clicks_flush. */
struct stat_iter {
	struct clicks *c;
	size_t i;
};

static bool next_stat(void *ctx, struct tracking_click_stat *out)
{
	struct stat_iter *it = ctx;
	if (it->i == it->c->sums.stats_used)
		return false;
	const struct stat_sum *e = it->c->stat_order[it->i++];
	*out = (struct tracking_click_stat){e->day, e->dim, e->key, e->clicks, e->unique};
	return true;
}

static enum tk_rc write_batch(struct clicks *c, struct click_vec *b, uint64_t *bots,
			      struct tk_error *err)
{
	struct store *st = c->st;
	struct sums *s = &c->sums;
	enum tk_rc rc;
	*bots = 0;
	if (!sums_prepare(s, b->n))
		return tk_fail(err, TK_ENOMEM, "", "out of memory while summing clicks");
	if (b->n > c->cap_recs) {
		struct click_rec *r = realloc(c->recs, b->n * sizeof(*r));
		if (!r)
			return tk_fail(err, TK_ENOMEM, "", "out of memory while writing clicks");
		c->recs = r;
		c->cap_recs = b->n;
	}
	for (size_t i = 0; i < AHEAD_CLICKS; i++)
		prefetch_click(c, b, i);
	for (size_t i = 0; i < b->n; i++) {
		struct raw_click *r = &b->v[i];
		struct click_rec *rec = &c->recs[i];
		prefetch_click(c, b, i + AHEAD_CLICKS);
		decide(c, r);
		rec->at = r->at;
		rec->link = r->link_id;
		rec->bot = r->bot;
		rec->unique = r->unique;
		memcpy(rec->ip_hash, r->ip_hash, sizeof(rec->ip_hash));
		memcpy(rec->ua_hash, r->ua_hash, sizeof(rec->ua_hash));
		memcpy(rec->referrer, r->referrer, sizeof(rec->referrer));
		*bots += r->bot;
		if (!sum_link(s, r, beijing_day(r->at))) {
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory while summing clicks");
			goto out;
		}
	}
	/* the statistics from the links' sums: one lookup per link and day,
	 * not per click; robots are counted on the link only, apart */
	for (size_t i = 0; i < AHEAD_SLOTS; i++)
		prefetch_live(s, i);
	for (size_t i = 0; i < s->links_n; i++) {
		prefetch_live(s, i + AHEAD_SLOTS);
		if (s->links[i].link && !sum_stats(s, &s->links[i])) {
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory while summing clicks");
			goto out;
		}
	}
	if (!stats_sort(c)) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory while summing clicks");
		goto out;
	}
	struct stat_iter it = {c, 0};
	if ((rc = tracking_clicks_flush(st, c->node, c->recs, b->n, next_stat, &it, err)))
		goto out;
	/* written: the links count them live until their rows are updated */
	for (size_t i = 0; i < AHEAD_SLOTS; i++)
		prefetch_live(s, i);
	for (size_t i = 0; i < s->links_n; i++) {
		struct link_sum *l = &s->links[i];
		prefetch_live(s, i + AHEAD_SLOTS);
		if (!l->link)
			continue;
		struct link_live *live = l->link;
		atomic_fetch_add_explicit(&live->clicks, l->clicks, memory_order_relaxed);
		atomic_fetch_add_explicit(&live->unique, l->unique, memory_order_relaxed);
		atomic_fetch_add_explicit(&live->bots, l->bots, memory_order_relaxed);
		if (!live->dirty && mark_dirty(c, l->link))
			live->dirty = true;
	}
out:
	return rc;
}

static int by_link_id(const void *a, const void *b)
{
	int64_t x = (*(struct link_live *const *)a)->id, y = (*(struct link_live *const *)b)->id;
	return (x > y) - (x < y);
}

static void dirty_counts(void *ctx, size_t i, int64_t *link, int64_t *clicks, int64_t *unique,
			 int64_t *bots)
{
	const struct clicks *c = ctx;
	struct link_live *live = c->dirty[i];
	*link = live->id;
	*clicks = atomic_load(&live->clicks);
	*unique = atomic_load(&live->unique);
	*bots = atomic_load(&live->bots);
}

/* Writes the live counters of every link that has some to its row, with
 * the last click they cover, in one transaction; they go back to zero only
 * once it committed.  In id order: the updates walk the links' B-tree
 * forward instead of seeking each row anew. */
static enum tk_rc write_link_counts(struct clicks *c, struct tk_error *err)
{
	if (c->n_dirty > 1)
		qsort(c->dirty, c->n_dirty, sizeof(*c->dirty), by_link_id);
	enum tk_rc rc = tracking_link_counts_write(c->st, c->node, c->n_dirty, dirty_counts, c, err);
	if (rc)
		return rc;
	/* only this thread adds to the live counters: what was written is
	 * exactly what they hold */
	for (size_t i = 0; i < c->n_dirty; i++) {
		struct link_live *live = c->dirty[i];
		atomic_store(&live->clicks, 0);
		atomic_store(&live->unique, 0);
		atomic_store(&live->bots, 0);
		live->dirty = false;
	}
	c->n_dirty = 0;
	return TK_OK;
}

/* Moves what the request threads buffered behind what is still unwritten
 * (after a failed write), shard by shard. */
static void take_shards(struct clicks *c)
{
	struct click_vec *b = &c->batch;
	pthread_mutex_lock(&c->lock);
	struct shard *list = c->shards;
	pthread_mutex_unlock(&c->lock);
	for (struct shard *s = list; s; s = s->next) {
		pthread_mutex_lock(&s->lock);
		struct click_vec *a = &s->v;
		if (b->n == 0 && a->n) {
			struct click_vec t = *b; /* take it whole; leave our empty one */
			*b = *a;
			*a = t;
			a->n = 0;
		} else if (a->n) {
			size_t need = b->n + a->n, cap = b->cap ? b->cap : 4096;
			while (cap < need)
				cap *= 2;
			struct raw_click *v = cap == b->cap ? b->v : realloc(b->v, cap * sizeof(*v));
			if (v) {
				b->v = v;
				b->cap = cap;
				memcpy(b->v + b->n, a->v, a->n * sizeof(*a->v));
				b->n = need;
				a->n = 0;
			} /* else: left in the shard, taken next round */
		}
		pthread_mutex_unlock(&s->lock);
	}
}

/* Tries of a batch that lost a lock conflict, and the first pause between
 * them (doubled each time): a deadlock victim or a serialization failure
 * applied nothing and succeeds when tried again. */
#define BUSY_TRIES 6
#define BUSY_PAUSE_MS 5

/* One round: take the buffer and write it.  Returns whether all was written. */
static bool flush_once(struct clicks *c)
{
	take_shards(c);
	if (c->batch.n == 0)
		return true;
	uint64_t bots = 0;
	struct tk_error err = {0};
	enum tk_rc rc = write_batch(c, &c->batch, &bots, &err);
	for (int i = 0, pause = BUSY_PAUSE_MS; rc == TK_EBUSY && i < BUSY_TRIES; i++, pause *= 2) {
		atomic_fetch_add(&c->failures, 1);
		nanosleep(&(struct timespec){0, pause * 1000000L}, NULL);
		rc = write_batch(c, &c->batch, &bots, &err);
	}
	if (rc != TK_OK) {
		/* kept: the next round writes it with what came meanwhile */
		c->last_err = err;
		atomic_fetch_add(&c->failures, 1);
		return false;
	}
	atomic_fetch_add(&c->written, c->batch.n);
	atomic_fetch_add(&c->bots, bots);
	c->batch.n = 0;
	return true;
}

static void *flusher(void *arg)
{
	struct clicks *c = arg;
	pthread_setname_np(pthread_self(), "tuike-clicks");
	for (;;) {
		pthread_mutex_lock(&c->lock);
		if (!c->stop) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += (long)c->flush_ms * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&c->wake, &c->lock, &until);
		}
		bool stop = c->stop;
		pthread_mutex_unlock(&c->lock);
		flush_once(c);
		int64_t now = (int64_t)time(NULL);
		if (stop)
			break;
		if (c->n_dirty && now - c->counts_written_at >= LINK_COUNTS_EVERY_S) {
			struct tk_error err = {0};
			if (write_link_counts(c, &err) == TK_OK)
				c->counts_written_at = now;
			else
				c->last_err = err, atomic_fetch_add(&c->failures, 1);
		}
	}
	return NULL;
}

/* ---- start and stop ---- */

static bool seed_cb(void *ctx, int64_t link, const uint8_t *ip_hash, int64_t at)
{
	click_window_seed(ctx, link, ip_hash, at);
	return true;
}

bool clicks_node_valid(const char *node)
{
	size_t n = strnlen(node, CLICK_NODE_MAX);
	if (n == 0 || n == CLICK_NODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = node[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == ':' || ch == '-'))
			return false;
	}
	return true;
}

enum tk_rc clicks_start(const char *db_path, const char *node, int flush_ms, struct clicks **out,
			struct tk_error *err)
{
	enum tk_rc rc;
	if (flush_ms < 10 || flush_ms > CLICKS_FLUSH_MS_MAX)
		return tk_fail(err, TK_EINVAL, "flush_ms", "must be 10..%d, got %d",
			       CLICKS_FLUSH_MS_MAX, flush_ms);
	if (!clicks_node_valid(node))
		return tk_fail(err, TK_EINVAL, "node",
			       "must be 1..%d letters, digits or \". _ : -\", got \"%.*s\"",
			       CLICK_NODE_MAX - 1, CLICK_NODE_MAX, node);
	if (sodium_init() < 0)
		return tk_fail(err, TK_EIO, "", "libsodium failed to initialize");
	struct clicks *c = calloc(1, sizeof(*c));
	if (!c)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	c->flush_ms = flush_ms;
	snprintf(c->node, sizeof(c->node), "%s", node);
	c->gen = atomic_fetch_add(&generations, 1) + 1;
	c->window = click_window_new();
	if (!c->window) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto fail;
	}
	if ((rc = store_open(db_path,
			     &(struct store_options){.cache_kib = CLICKS_CACHE_KIB, .appender = true},
			     &c->st, err)))
		goto fail;
	/* one secret per database: the same address hashes alike across
	 * restarts (so the unique-click window survives them) */
	if ((rc = c->st->server->secret_get(c->st, "click-key", c->key, sizeof(c->key), err)) ||
	    (rc = tracking_links_recount(c->st, c->node, err)))
		goto fail;
	c->counts_written_at = (int64_t)time(NULL);
	if ((rc = c->st->server->click_recent(c->st, (int64_t)time(NULL) - CLICK_WINDOW_SECONDS,
					      seed_cb, c->window, err)))
		goto fail;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, flusher, c) != 0) {
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		rc = tk_fail(err, TK_EIO, "", "cannot start the click flusher thread");
		goto fail;
	}
	*out = c;
	return TK_OK;
fail:
	if (c->st)
		c->st->ops->close(c->st);
	click_window_free(c->window);
	free(c);
	return rc;
}

static bool buffered(struct clicks *c)
{
	struct clicks_stats st;
	clicks_stats(c, &st);
	return c->batch.n || st.pending > 0;
}

enum tk_rc clicks_stop(struct clicks *c, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	/* the thread's last round may have failed: a few more tries */
	for (int i = 0; i < 3 && buffered(c); i++)
		if (!flush_once(c))
			sleep(1);
	struct tk_error cerr = {0};
	for (int i = 0; i < 3 && c->n_dirty; i++)
		if (write_link_counts(c, &cerr))
			sleep(1);
	/* counters that could not be written are recounted from the clicks at
	 * the next start; clicks that could not be written are lost */
	if (buffered(c)) {
		struct clicks_stats st;
		clicks_stats(c, &st);
		rc = tk_fail(err, TK_EIO, "clicks", "%llu clicks could not be written: %s",
			     (unsigned long long)st.pending, c->last_err.msg);
	}
	c->st->ops->close(c->st);
	click_window_free(c->window);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	for (struct shard *s = c->shards, *next; s; s = next) {
		next = s->next;
		pthread_mutex_destroy(&s->lock);
		free(s->v.v);
		free(s);
	}
	free(c->batch.v);
	free(c->dirty);
	free(c->recs);
	free(c->stat_order);
	bigmem_free(c->sums.links, c->sums.links_n * sizeof(*c->sums.links));
	bigmem_free(c->sums.stats, c->sums.stats_n * sizeof(*c->sums.stats));
	free(c);
	return rc;
}

/* rollup.c — an item's contribution to the daily statistics, summed in an
 * open-addressing table keyed by (day, dim, key). */
#include "engine/rollup.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tktime.h"

int64_t rollup_day(int64_t unix_s)
{
	return tktime_day(unix_s, TKTIME_BEIJING_OFFSET);
}

int64_t rollup_row_day(const struct order_row *row)
{
	return rollup_day(row->paid_at ? row->paid_at : row->modified_at);
}

static uint64_t hash_key(int64_t day, int dim, const char *key, size_t len)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)day * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dim;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static bool grow(struct rollup *r)
{
	uint64_t n = r->n_slots ? r->n_slots * 2 : 1024;
	struct rollup_entry *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (uint64_t i = 0; i < r->n_slots; i++) {
		struct rollup_entry *e = &r->slots[i];
		if (!e->used)
			continue;
		uint64_t h = hash_key(e->day, e->dim, r->keys.s + e->key_off, e->key_len) & (n - 1);
		while (slots[h].used)
			h = (h + 1) & (n - 1);
		slots[h] = *e;
	}
	free(r->slots);
	r->slots = slots;
	r->n_slots = n;
	return true;
}

/* Appends a key to the arena; false when out of memory or beyond the
 * 2 GiB its 32-bit offsets are kept within. */
static bool key_put(struct rollup *r, const char *key, size_t len, uint32_t *off)
{
	size_t at;
	if (!textbuf_add_key(&r->keys, key, len, (size_t)1 << 31, &at))
		return false;
	*off = (uint32_t)at;
	return true;
}

static struct rollup_entry *entry(struct rollup *r, int64_t day, int dim, const char *key)
{
	size_t len = strnlen(key, UINT16_MAX);
	if ((r->n_used + 1) * 4 > r->n_slots * 3 && !grow(r))
		return NULL;
	uint64_t h = hash_key(day, dim, key, len) & (r->n_slots - 1);
	for (;; h = (h + 1) & (r->n_slots - 1)) {
		struct rollup_entry *e = &r->slots[h];
		if (!e->used) {
			if (!key_put(r, key, len, &e->key_off))
				return NULL;
			e->used = true;
			e->day = day;
			e->dim = (uint8_t)dim;
			e->key_len = (uint16_t)len;
			r->n_used++;
			return e;
		}
		if (e->day == day && e->dim == dim && e->key_len == len &&
		    memcmp(r->keys.s + e->key_off, key, len) == 0)
			return e;
	}
}

/* Adds sign * v[0..n) to sums[0..n), all or nothing: false when a sum
 * would leave int64 (the item limits keep real sums far inside it, so this
 * fails only on impossible input, and fails the batch rather than wrap). */
static bool sums_add(int64_t *sums, const int64_t *v, int n, int sign)
{
	int64_t out[STAT_N];
	assert(n <= STAT_N && (sign == 1 || sign == -1));
	for (int s = 0; s < n; s++) {
		int64_t d;
		if (__builtin_mul_overflow(v[s], sign, &d) ||
		    __builtin_add_overflow(sums[s], d, &out[s]))
			return false;
	}
	memcpy(sums, out, (size_t)n * sizeof(*sums));
	return true;
}

static enum tk_rc overflow(struct tk_error *err, int64_t day, const char *key)
{
	return tk_fail(err, TK_ELIMIT, "",
		       "the report statistics of day %lld, key \"%s\" would go beyond the 64-bit "
		       "range: refused",
		       (long long)day, key);
}

enum tk_rc rollup_add(struct rollup *r, int64_t day, int dim, const char *key, enum day_stat s,
		      int64_t delta, struct tk_error *err)
{
	struct rollup_entry *e = entry(r, day, dim, key);
	if (!e)
		return tk_fail(err, TK_ENOMEM, "", "out of memory for report statistics");
	if (!sums_add(&e->v[s], &delta, 1, 1))
		return overflow(err, day, key);
	return TK_OK;
}

/* Besides the daily statistics, the table sums each product's order and
 * refund counts (store: product_sales) under this dimension, on day 0. */
#define DIM_SALES 255
enum { SALES_ORDERS, SALES_REFUNDS };

/* An item's contribution: its figures and where they count. */
struct contribution {
	int64_t day;
	int64_t v[STAT_N];
	const char *key[DIM_N_];
	char product[2 * ORDER_KEY_MAX];
	int64_t sales[2]; /* an order of its product (paid at some time), a refund */
};

static void contribution(const struct member_tree *tree, const struct item_rec *it,
			 struct contribution *c)
{
	const struct order_row *row = &it->row;
	memset(c->v, 0, sizeof(c->v));
	bool earns = order_earns(row->status);
	int64_t net = order_net_commission(row->commission, row->refunded);
	if (earns) {
		c->v[STAT_ORDERS] = 1;
		c->v[STAT_GMV] = row->amount;
		c->v[STAT_COMMISSION] = net;
		/* the orders its clicks led to: the numerator of a link's
		 * conversion, which the others (tags, bindings, self-purchases)
		 * would inflate */
		c->v[STAT_LINK_ORDERS] = it->attribution == ATTR_LINK;
	}
	for (int i = 0; i < it->money.n; i++)
		c->v[STAT_MEMBERS_SHARE] += it->money.amount[i];
	c->v[STAT_PLATFORM_SHARE] = it->money.platform;
	if (row->status == ST_SETTLED) {
		c->v[STAT_SETTLED_ORDERS] = 1;
		c->v[STAT_SETTLED_COMMISSION] = net;
	}
	c->v[STAT_INVALID_ORDERS] = row->status == ST_INVALID;
	snprintf(c->product, sizeof(c->product), "%s:%s", row->union_, row->product);
	c->key[DIM_TOTAL] = "";
	c->key[DIM_MEMBER] = it->chain.n ? member_tree_ext(tree, it->chain.member[0]) : "";
	c->key[DIM_PRODUCT] = row->product[0] ? c->product : "";
	c->key[DIM_CHANNEL] = row->channel;
	c->day = rollup_row_day(row);
	c->sales[SALES_ORDERS] = row->paid_at > 0 && row->product[0];
	c->sales[SALES_REFUNDS] = c->sales[SALES_ORDERS] &&
				  (row->status == ST_INVALID || row->refunded > 0);
}

/* Adds sign * v on (day, dim, key) for every dimension that has a key. */
static enum tk_rc add(struct rollup *r, const struct contribution *c, const int64_t v[STAT_N],
		      int sign, struct tk_error *err)
{
	bool any = false;
	for (int s = 0; s < STAT_N; s++)
		any |= v[s] != 0;
	if (!any)
		return TK_OK;
	for (int d = 0; d < DIM_N_; d++) {
		if (d > DIM_TOTAL && !c->key[d][0])
			continue;
		struct rollup_entry *e = entry(r, c->day, d, c->key[d]);
		if (!e)
			return tk_fail(err, TK_ENOMEM, "", "out of memory for report statistics");
		if (!sums_add(e->v, v, STAT_N, sign))
			return overflow(err, c->day, c->key[d]);
	}
	return TK_OK;
}

/* Adds sign * s to the product's order and refund counts. */
static enum tk_rc add_sales(struct rollup *r, const struct contribution *c, const int64_t s[2],
			    int sign, struct tk_error *err)
{
	if (!s[SALES_ORDERS] && !s[SALES_REFUNDS])
		return TK_OK;
	struct rollup_entry *e = entry(r, 0, DIM_SALES, c->key[DIM_PRODUCT]);
	if (!e)
		return tk_fail(err, TK_ENOMEM, "", "out of memory for report statistics");
	if (!sums_add(e->v, s, 2, sign))
		return overflow(err, 0, c->key[DIM_PRODUCT]);
	return TK_OK;
}

enum tk_rc rollup_item(struct rollup *r, const struct member_tree *tree,
		       const struct item_rec *was, const struct item_rec *it,
		       struct tk_error *err)
{
	struct contribution before, after;
	enum tk_rc rc;
	contribution(tree, it, &after);
	if (!was)
		return (rc = add(r, &after, after.v, +1, err)) ? rc
							       : add_sales(r, &after, after.sales, +1, err);
	contribution(tree, was, &before);
	bool same_place = before.day == after.day;
	for (int d = 0; d < DIM_N_; d++)
		same_place &= strcmp(before.key[d], after.key[d]) == 0;
	if (!same_place)
		return (rc = add(r, &before, before.v, -1, err)) ||
				       (rc = add_sales(r, &before, before.sales, -1, err)) ||
				       (rc = add(r, &after, after.v, +1, err))
			       ? rc
			       : add_sales(r, &after, after.sales, +1, err);
	int64_t delta[STAT_N], sales[2];
	for (int s = 0; s < STAT_N; s++)
		if (__builtin_sub_overflow(after.v[s], before.v[s], &delta[s]))
			return overflow(err, after.day, after.key[DIM_TOTAL]);
	for (int s = 0; s < 2; s++)
		sales[s] = after.sales[s] - before.sales[s];
	return (rc = add(r, &after, delta, +1, err)) ? rc : add_sales(r, &after, sales, +1, err);
}

/* An entry to write, with its key at hand for sorting. */
struct flush_ref {
	int64_t day;
	int dim;
	const char *key;
	const int64_t *v;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct flush_ref *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->dim != y->dim)
		return x->dim < y->dim ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Writes in the table's key order (day, dim, key): each write then lands
 * beside the one before it, where hash order would seek the whole table. */
enum tk_rc rollup_flush(struct rollup *r, struct store *st, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	if (!r->n_used)
		return TK_OK;
	struct flush_ref *order = malloc(r->n_used * sizeof(*order));
	if (!order)
		return tk_fail(err, TK_ENOMEM, "", "out of memory for report statistics");
	uint64_t n = 0;
	for (uint64_t i = 0; i < r->n_slots; i++) {
		const struct rollup_entry *e = &r->slots[i];
		bool any = false;
		for (int s = 0; e->used && s < STAT_N; s++)
			any |= e->v[s] != 0;
		if (any)
			order[n++] = (struct flush_ref){e->day, e->dim, r->keys.s + e->key_off, e->v};
	}
	qsort(order, n, sizeof(*order), ref_cmp);
	for (uint64_t i = 0; i < n && !rc; i++) {
		const struct flush_ref *f = &order[i];
		if (f->dim != DIM_SALES) {
			rc = st->ops->stats_add(st, f->day, f->dim, f->key, f->v, err);
			continue;
		}
		/* the key is "union:product"; a union's name has no ':' */
		char union_[ORDER_UNION_MAX];
		const char *colon = strchr(f->key, ':');
		size_t n_union = colon ? (size_t)(colon - f->key) : 0;
		if (!colon || n_union >= sizeof(union_)) {
			rc = tk_fail(err, TK_EIO, "", "bad product key \"%s\"", f->key);
			break;
		}
		memcpy(union_, f->key, n_union);
		union_[n_union] = '\0';
		rc = st->ops->product_sales_add(st, union_, colon + 1, f->v[SALES_ORDERS],
						f->v[SALES_REFUNDS], err);
	}
	free(order);
	if (!rc)
		rollup_clear(r);
	return rc;
}

void rollup_clear(struct rollup *r)
{
	if (r->n_used)
		memset(r->slots, 0, r->n_slots * sizeof(*r->slots));
	r->n_used = 0;
	r->keys.len = 0;
}

void rollup_free(struct rollup *r)
{
	free(r->slots);
	textbuf_free(&r->keys);
	memset(r, 0, sizeof(*r));
}

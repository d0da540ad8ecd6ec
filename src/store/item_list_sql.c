/* item_list_sql.c — builds the order-items listing's SELECT for SQLite and
 * PostgreSQL alike (see item_list_sql.h).  Only the filters a query sets
 * appear in its WHERE, so that each backend's planner sees plain
 * conditions it can match to an index (an "?N = 0 OR ..." form would hide
 * them and scan). */
#include "store/item_list_sql.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

struct build {
	struct textbuf *sql;
	struct item_list_param *p;
	int n;
	bool pg, ok;
};

static void put(struct build *b, const char *s)
{
	if (b->ok && !textbuf_append(b->sql, s, strlen(s), ITEM_LIST_SQL_MAX))
		b->ok = false;
}

/* Appends the placeholder of a new parameter. */
static void param(struct build *b, const char *s, int64_t v)
{
	char ph[16];
	assert(b->n < ITEM_LIST_PARAMS_MAX);
	b->p[b->n] = (struct item_list_param){.s = s, .v = v};
	b->n++;
	snprintf(ph, sizeof(ph), "%c%d", b->pg ? '$' : '?', b->n);
	put(b, ph);
}

/* "col IN (0,3)" from a bit mask: literal small integers of ours. */
static void in_mask(struct build *b, const char *col, unsigned mask)
{
	char num[16];
	bool first = true;
	put(b, " AND ");
	put(b, col);
	put(b, " IN (");
	for (int k = 0; k < 16; k++) {
		if (!(mask & (1u << k)))
			continue;
		snprintf(num, sizeof(num), "%s%d", first ? "" : ",", k);
		put(b, num);
		first = false;
	}
	put(b, ")");
}

/* Whether q names a few items by an indexed equality (a sharer, a payee,
 * a group, a product): SQLite, which keeps no statistics here, would
 * otherwise walk items_paid for the order and test each item. */
static bool narrow(const struct item_query *q)
{
	return q->sharer || q->payee || q->channel[0] || q->product[0];
}

/* " FROM items i WHERE" and q's filters (the cursor aside). */
static void where(struct build *b, const struct item_query *q)
{
	/* a head row (key "...#head") is another channel's sale the head earns
	 * a fee on (campaign orders), not the platform's order */
	put(b, " FROM items i WHERE i.item_key NOT LIKE '%" ORDER_HEAD_SUFFIX "'");
	if (q->paid_from || q->paid_to) {
		put(b, " AND i.paid_at >= ");
		param(b, NULL, q->paid_from);
		put(b, " AND i.paid_at < ");
		param(b, NULL, q->paid_to);
	}
	if (q->union_[0]) {
		put(b, " AND i.union_ = ");
		param(b, q->union_, 0);
	}
	if (q->product[0]) {
		/* every union named, so that items_product (union_, product, ...)
		 * answers a product of any union by four seeks */
		if (!q->union_[0])
			put(b, " AND i.union_ IN ('jd','taobao','pdd','own')");
		put(b, " AND i.product = ");
		param(b, q->product, 0);
	}
	if (q->status_mask)
		in_mask(b, "i.status", q->status_mask);
	if (q->attribution_mask)
		in_mask(b, "i.attribution", q->attribution_mask);
	if (q->sharer) {
		put(b, " AND i.m1 = ");
		param(b, NULL, q->sharer);
	}
	if (q->payee) {
		/* three conditions an index each (items_m1/m2/m3_paid) can answer */
		int at = b->n + 1;
		char more[64];
		put(b, " AND (i.m1 = ");
		param(b, NULL, q->payee);
		snprintf(more, sizeof(more), " OR i.m2 = %c%d OR i.m3 = %c%d)", b->pg ? '$' : '?',
			 at, b->pg ? '$' : '?', at);
		put(b, more);
	}
	if (q->channel[0]) {
		/* the term items_channel is partial on, which SQLite cannot infer
		 * from an equality to a parameter */
		put(b, " AND i.channel <> '' AND i.channel = ");
		param(b, q->channel, 0);
	}
}

bool item_list_sql(const struct item_query *q, bool pg, struct textbuf *sql,
		   struct item_list_param p[ITEM_LIST_PARAMS_MAX], int *n)
{
	static const char *const keys[] = {"i.paid_at", "i.amount", "i.commission"};
	assert(q->sort <= ITEM_SORT_COMMISSION && q->limit >= 1);
	const char *key = keys[q->sort], *dir = q->asc ? " ASC" : " DESC";
	struct build b = {.sql = sql, .p = p, .pg = pg, .ok = true};
	/* the page's ids first, sorted by key and id alone, then their rows:
	 * a sort that carries whole rows (titles) is ten times slower when
	 * no index gives the order (by amount over 200,000 items: 3 s
	 * against 0.3 s) */
	put(&b, "SELECT i.id, i.union_, i.item_key, i.order_no, i.product, i.title, i.channel,"
		" m.ext, i.status, i.attribution, i.paid_at, i.amount, i.commission, i.n_chain,"
		" i.m1, i.a1, i.m2, i.a2, i.m3, i.a3, ");
	put(&b, key);
	put(&b, " FROM (SELECT i.id AS kid");
	where(&b, q);
	if (q->after) {
		/* a row value: both backends seek an index on (key, id) with it */
		put(&b, " AND (");
		put(&b, key);
		put(&b, ", i.id) ");
		put(&b, q->asc ? "> (" : "< (");
		param(&b, NULL, q->after_key);
		put(&b, ", ");
		param(&b, NULL, q->after_id);
		put(&b, ")");
	}
	put(&b, " ORDER BY ");
	put(&b, !pg && narrow(q) ? "+" : ""); /* see narrow() */
	put(&b, key);
	put(&b, dir);
	put(&b, ", i.id");
	put(&b, dir);
	put(&b, " LIMIT ");
	param(&b, NULL, q->limit);
	put(&b, ") k JOIN items i ON i.id = k.kid LEFT JOIN members m ON m.id = i.m1 ORDER BY ");
	put(&b, key);
	put(&b, dir);
	put(&b, ", i.id");
	put(&b, dir);
	*n = b.n;
	return b.ok;
}

bool item_totals_sql(const struct item_query *q, bool pg, struct textbuf *sql,
		     struct item_list_param p[ITEM_LIST_PARAMS_MAX], int *n)
{
	struct build b = {.sql = sql, .p = p, .pg = pg, .ok = true};
	put(&b, "SELECT count(*), coalesce(sum(i.amount), 0), coalesce(sum(i.commission), 0), ");
	if (q->payee) {
		/* the payee's own line: it holds one place of a chain */
		put(&b, "coalesce(sum(CASE WHEN i.m1 = ");
		param(&b, NULL, q->payee);
		put(&b, " THEN i.a1 WHEN i.m2 = ");
		param(&b, NULL, q->payee);
		put(&b, " THEN i.a2 WHEN i.m3 = ");
		param(&b, NULL, q->payee);
		put(&b, " THEN i.a3 ELSE 0 END), 0)");
	} else {
		put(&b, "coalesce(sum(CASE WHEN i.n_chain > 0 THEN i.a1 ELSE 0 END), 0)");
	}
	where(&b, q);
	*n = b.n;
	return b.ok;
}

/* sqlite_catalog.c — SQLite storage for the product library: products,
 * price history, the FTS5 search index, copy templates and the team's own
 * order figures per product and category.
 *
 * Search runs on two FTS5 tables keyed by (popularity << 32 | product id):
 * product_fts (trigram tokenizer) over the compact title, brand and shop
 * answers queries whose terms all have three characters or more;
 * product_bigrams (contentless, every adjacent character pair with its
 * position) answers the others, which trigrams cannot: each term is the
 * phrase of its pairs, so FTS5 intersects every term in the index.  The
 * catalog hands over plain compact terms; the FTS5 query text is made
 * here (sqlite_fts_trigram, sqlite_fts_bigram). */
#include "core/utf8.h"
#include "store/catalog_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_catalog[] = {
	{"catalog-0001",
	 "CREATE TABLE products ("
	 " id INTEGER PRIMARY KEY,"
	 " union_ TEXT NOT NULL,"
	 " product TEXT NOT NULL,"
	 " title TEXT NOT NULL,"
	 " category TEXT NOT NULL DEFAULT '',"
	 " brand TEXT NOT NULL DEFAULT '',"
	 " shop TEXT NOT NULL DEFAULT '',"
	 " price INTEGER NOT NULL CHECK (price >= 0),"
	 " coupon INTEGER NOT NULL DEFAULT 0 CHECK (coupon >= 0),"
	 " coupon_min INTEGER NOT NULL DEFAULT 0 CHECK (coupon_min >= 0),"
	 " coupon_start INTEGER NOT NULL DEFAULT 0,"
	 " coupon_end INTEGER NOT NULL DEFAULT 0,"
	 " commission_bps INTEGER NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),"
	 " sales INTEGER NOT NULL DEFAULT 0 CHECK (sales >= 0),"
	 " image TEXT NOT NULL DEFAULT '',"
	 " url TEXT NOT NULL DEFAULT '',"
	 " fts_rowid INTEGER NOT NULL," /* key of its rows in the search index */
	 " first_seen_at INTEGER NOT NULL,"
	 " updated_at INTEGER NOT NULL,"
	 " UNIQUE (union_, product),"
	 " CHECK (id < 4294967296));"
	 "CREATE INDEX products_category ON products(category, sales);"

	 /* one point per change of the price after coupon */
	 "CREATE TABLE price_history ("
	 " product INTEGER NOT NULL REFERENCES products(id),"
	 " at INTEGER NOT NULL,"
	 " final_price INTEGER NOT NULL CHECK (final_price >= 0),"
	 " price INTEGER NOT NULL,"
	 " coupon INTEGER NOT NULL,"
	 " PRIMARY KEY (product, at)) WITHOUT ROWID;"

	 "CREATE VIRTUAL TABLE product_fts USING fts5(title, brand, shop, tokenize='trigram');"
	 "CREATE VIRTUAL TABLE product_bigrams USING fts5(grams,"
	 " tokenize=\"ascii tokenchars '.+'\", content='');"

	 "CREATE TABLE copy_templates ("
	 " name TEXT NOT NULL,"
	 " channel TEXT NOT NULL,"
	 " body TEXT NOT NULL,"
	 " updated_at INTEGER NOT NULL,"
	 " PRIMARY KEY (name, channel)) WITHOUT ROWID;"},
	/* The team's own orders of a product (and, through the products, of a
	 * category) are read for every product a ranking scores: an index
	 * that holds every column those counts read answers each product with
	 * one seek, where the items' own key would scan a whole union. */
	{"catalog-0002",
	 "CREATE INDEX items_product ON items(union_, product, paid_at, status, refunded);"},
	/* Those counts are kept on write instead (one row per product, written
	 * once per import batch), and the index goes: it cost every new item
	 * an entry and every change of status or refund a rewrite, and the
	 * one report left that reads items by product (the categories) scans
	 * them whole anyway.  An order item paid at some time is an order of
	 * its product; a refund one of them invalidated (status 4) or with
	 * commission taken back. */
	{"catalog-0003",
	 "CREATE TABLE product_sales ("
	 " union_ TEXT NOT NULL,"
	 " product TEXT NOT NULL,"
	 " orders INTEGER NOT NULL DEFAULT 0,"
	 " refunds INTEGER NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (union_, product)) WITHOUT ROWID;"
	 "INSERT INTO product_sales(union_, product, orders, refunds)"
	 " SELECT union_, product, count(*),"
	 "  sum(CASE WHEN status = 4 OR refunded > 0 THEN 1 ELSE 0 END)"
	 " FROM items WHERE paid_at > 0 AND product <> '' GROUP BY union_, product;"
	 "DROP INDEX items_product;"},
	/* Product feeds (`products sync`): the coupon's own link, whether the
	 * union's lists carry the product (feed) and since when it has left
	 * them (gone_at, 0 = listed).  A product that leaves is kept with its
	 * history, never deleted. */
	{"catalog-0004",
	 "ALTER TABLE products ADD COLUMN coupon_url TEXT NOT NULL DEFAULT '';"
	 "ALTER TABLE products ADD COLUMN feed INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE products ADD COLUMN gone_at INTEGER NOT NULL DEFAULT 0;"
	 "CREATE INDEX products_feed ON products(union_) WHERE feed = 1 AND gone_at = 0;"},
	/* The team's clicks on a product (its tracking links' clicks, kept per
	 * day in daily_stats under dim 2, key "union:product") feed the
	 * score's conversion term: a partial index over the rows that hold
	 * clicks finds a product's without reading every day's statistics. */
	{"catalog-0005",
	 "CREATE INDEX daily_stats_product_clicks ON daily_stats(key, clicks)"
	 " WHERE dim = 2 AND clicks > 0;"},
	{NULL, NULL},
};

enum {
	S_GET, S_INSERT, S_UPDATE, S_SET_ROWID, S_OLD_ROWID, S_COUNT,
	S_FTS_INSERT, S_FTS_GET, S_FTS_DELETE, S_BIGRAM_INSERT, S_BIGRAM_DELETE,
	S_HIST_APPEND, S_HIST_LAST, S_HIST_GET,
	S_SIMILAR, S_SIMILAR_CAT, S_SCAN,
	S_TEAM_PRODUCT, S_TEAM_CATEGORY, S_CATEGORY_STATS, S_UNCATALOGUED,
	S_TPL_PUT, S_TPL_GET, S_TPL_EACH, S_FEED_LISTED, S_FEED_GONE,
	S_SEARCH_BASE, /* 2 paths x CATALOG_SORT_COUNT_ sorts x (page, count) */
	S_END_ = S_SEARCH_BASE + 2 * CATALOG_SORT_COUNT_ * 2
};

_Static_assert(S_END_ <= SQLITE_STMT_SLOTS, "catalog statements exceed the slots");

#define P_COLS \
	"p.id, p.union_, p.product, p.title, p.category, p.brand, p.shop, p.price, p.coupon," \
	" p.coupon_min, p.coupon_start, p.coupon_end, p.commission_bps, p.sales, p.image," \
	" p.url, p.first_seen_at, p.updated_at, p.coupon_url, p.feed, p.gone_at"
#define P_NCOLS 21

/* The coupon applies now, the price after coupon now, and the commission
 * per unit now: the same rules as catalog_coupon_valid() and friends. */
#define SQL_COUPON_NOW \
	"(p.coupon > 0 AND p.coupon <= p.price AND p.price >= p.coupon_min" \
	" AND (p.coupon_start = 0 OR p.coupon_start <= :now)" \
	" AND (p.coupon_end = 0 OR :now <= p.coupon_end))"
#define SQL_FINAL_NOW "(CASE WHEN " SQL_COUPON_NOW " THEN p.price - p.coupon ELSE p.price END)"
#define SQL_EARN_NOW "((" SQL_FINAL_NOW " * p.commission_bps) / 10000)"

static void read_product(sqlite3_stmt *q, int c, struct catalog_product *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(q, c + 0);
	sqlite_column_copy(q, c + 1, p->union_, sizeof(p->union_));
	sqlite_column_copy(q, c + 2, p->product, sizeof(p->product));
	sqlite_column_copy(q, c + 3, p->title, sizeof(p->title));
	sqlite_column_copy(q, c + 4, p->category, sizeof(p->category));
	sqlite_column_copy(q, c + 5, p->brand, sizeof(p->brand));
	sqlite_column_copy(q, c + 6, p->shop, sizeof(p->shop));
	p->price = sqlite3_column_int64(q, c + 7);
	p->coupon = sqlite3_column_int64(q, c + 8);
	p->coupon_min = sqlite3_column_int64(q, c + 9);
	p->coupon_start = sqlite3_column_int64(q, c + 10);
	p->coupon_end = sqlite3_column_int64(q, c + 11);
	p->commission_bps = (int32_t)sqlite3_column_int(q, c + 12);
	p->sales = sqlite3_column_int64(q, c + 13);
	sqlite_column_copy(q, c + 14, p->image, sizeof(p->image));
	sqlite_column_copy(q, c + 15, p->url, sizeof(p->url));
	p->first_seen_at = sqlite3_column_int64(q, c + 16);
	p->updated_at = sqlite3_column_int64(q, c + 17);
	sqlite_column_copy(q, c + 18, p->coupon_url, sizeof(p->coupon_url));
	p->feed = sqlite3_column_int(q, c + 19) != 0;
	p->gone_at = sqlite3_column_int64(q, c + 20);
}

/* Binds a named parameter when the statement has it. */
static void bind_i64(sqlite3_stmt *q, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i > 0)
		sqlite3_bind_int64(q, i, v);
}

static void bind_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i > 0) {
		if (v)
			sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, i);
	}
}

static void done(sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

/* ---- products and the search index ---- */

static enum tk_rc product_get(struct store *st, const char *union_, const char *product,
			      struct catalog_product *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_GET],
				      "SELECT " P_COLS " FROM products p"
				      " WHERE p.union_=? AND p.product=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, product, -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		read_product(q, 0, out);
	else if (step == SQLITE_DONE)
		rc = tk_fail(err, TK_ENOTFOUND, "product", "no product %s %s in the library", union_,
			     product);
	else
		rc = sqlite_fail(s, err, "reading a product");
	done(q);
	return rc;
}

/* The texts a product is indexed under. */
struct index_text {
	char title[CATALOG_TITLE_MAX];
	char brand[CATALOG_NAME_MAX];
	char shop[CATALOG_NAME_MAX];
	/* every pair of characters: about 3 bytes per input byte */
	char grams[4 * (CATALOG_TITLE_MAX + 2 * CATALOG_NAME_MAX)];
};

static enum tk_rc index_grams(struct index_text *ix, struct tk_error *err)
{
	ix->grams[0] = '\0';
	if (!catalog_text_bigrams(ix->title, ix->grams, sizeof(ix->grams)) ||
	    !catalog_text_bigrams(ix->brand, ix->grams, sizeof(ix->grams)) ||
	    !catalog_text_bigrams(ix->shop, ix->grams, sizeof(ix->grams)))
		return tk_fail(err, TK_ELIMIT, "title", "too long to index");
	return TK_OK;
}

static enum tk_rc index_text_of(const struct catalog_product *p, struct index_text *ix,
				struct tk_error *err)
{
	if (!catalog_text_compact(p->title, strlen(p->title), ix->title, sizeof(ix->title)) ||
	    !catalog_text_compact(p->brand, strlen(p->brand), ix->brand, sizeof(ix->brand)) ||
	    !catalog_text_compact(p->shop, strlen(p->shop), ix->shop, sizeof(ix->shop)))
		return tk_fail(err, TK_EINVAL, "title", "cannot be indexed (not UTF-8?)");
	return index_grams(ix, err);
}

static int64_t fts_rowid(const struct catalog_product *p)
{
	return ((int64_t)catalog_popularity_key(p->sales) << 32) | p->id;
}

static enum tk_rc index_add(struct sqlite_store *s, int64_t rowid, const struct index_text *ix,
			    struct tk_error *err)
{
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_FTS_INSERT],
				      "INSERT INTO product_fts(rowid, title, brand, shop)"
				      " VALUES (?, ?, ?, ?)", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, rowid);
	sqlite3_bind_text(q, 2, ix->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, ix->brand, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, ix->shop, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "indexing a product", err);
	if (rc)
		return rc;
	q = sqlite_stmt(s, &s->catalog[S_BIGRAM_INSERT],
			"INSERT INTO product_bigrams(rowid, grams) VALUES (?, ?)", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, rowid);
	sqlite3_bind_text(q, 2, ix->grams, -1, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "indexing a product", err);
}

/* Reads the compact text a row was indexed under; *found false if none. */
static enum tk_rc index_read(struct sqlite_store *s, int64_t rowid, struct index_text *ix,
			     bool *found, struct tk_error *err)
{
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_FTS_GET],
				      "SELECT title, brand, shop FROM product_fts WHERE rowid=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, rowid);
	enum tk_rc rc = sqlite_step_one(s, q, found, "reading the search index", err);
	if (!rc && *found) {
		sqlite_column_copy(q, 0, ix->title, sizeof(ix->title));
		sqlite_column_copy(q, 1, ix->brand, sizeof(ix->brand));
		sqlite_column_copy(q, 2, ix->shop, sizeof(ix->shop));
	}
	done(q);
	return rc;
}

/* Removes a product's index rows.  The contentless bigram table forgets a
 * row only when told the tokens it was indexed under: they are derived
 * from the compact text kept in product_fts (ix, from index_read), never
 * from the product as it is now. */
static enum tk_rc index_remove(struct sqlite_store *s, int64_t rowid, struct index_text *ix,
			       struct tk_error *err)
{
	enum tk_rc rc;
	if ((rc = index_grams(ix, err)))
		return rc;
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_FTS_DELETE],
				      "DELETE FROM product_fts WHERE rowid=?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, rowid);
	if ((rc = sqlite_exec_stmt(s, q, "updating the search index", err)))
		return rc;
	q = sqlite_stmt(s, &s->catalog[S_BIGRAM_DELETE],
			"INSERT INTO product_bigrams(product_bigrams, rowid, grams)"
			" VALUES ('delete', ?, ?)", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, rowid);
	sqlite3_bind_text(q, 2, ix->grams, -1, SQLITE_STATIC);
	return sqlite_exec_stmt(s, q, "updating the search index", err);
}

static void bind_product(sqlite3_stmt *q, const struct catalog_product *p)
{
	sqlite3_bind_text(q, 1, p->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, p->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, p->brand, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, p->shop, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, p->price);
	sqlite3_bind_int64(q, 8, p->coupon);
	sqlite3_bind_int64(q, 9, p->coupon_min);
	sqlite3_bind_int64(q, 10, p->coupon_start);
	sqlite3_bind_int64(q, 11, p->coupon_end);
	sqlite3_bind_int(q, 12, p->commission_bps);
	sqlite3_bind_int64(q, 13, p->sales);
	sqlite3_bind_text(q, 14, p->image, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 15, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 16, p->first_seen_at);
	sqlite3_bind_int64(q, 17, p->updated_at);
	sqlite3_bind_text(q, 18, p->coupon_url, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 19, p->feed);
	sqlite3_bind_int64(q, 20, p->gone_at);
}

static enum tk_rc product_insert(struct store *st, struct catalog_product *p,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct index_text *ix = malloc(sizeof(*ix));
	enum tk_rc rc;
	if (!ix)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = index_text_of(p, ix, err)))
		goto out;
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_INSERT],
				      "INSERT INTO products(union_, product, title, category, brand,"
				      " shop, price, coupon, coupon_min, coupon_start, coupon_end,"
				      " commission_bps, sales, image, url, first_seen_at, updated_at,"
				      " coupon_url, feed, gone_at, fts_rowid)"
				      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)", err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	bind_product(q, p);
	if ((rc = sqlite_exec_stmt(s, q, "saving a product", err)))
		goto out;
	p->id = sqlite3_last_insert_rowid(s->db);
	if (p->id >= CATALOG_ID_MAX) {
		rc = tk_fail(err, TK_ELIMIT, "product", "the library holds at most %lld products",
			     (long long)CATALOG_ID_MAX - 1);
		goto out;
	}
	int64_t rowid = fts_rowid(p);
	q = sqlite_stmt(s, &s->catalog[S_SET_ROWID], "UPDATE products SET fts_rowid=? WHERE id=?",
			err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	sqlite3_bind_int64(q, 1, rowid);
	sqlite3_bind_int64(q, 2, p->id);
	if ((rc = sqlite_exec_stmt(s, q, "saving a product", err)))
		goto out;
	rc = index_add(s, rowid, ix, err);
out:
	free(ix);
	return rc;
}

static enum tk_rc product_update(struct store *st, const struct catalog_product *p,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct index_text *ix = malloc(2 * sizeof(*ix));
	enum tk_rc rc;
	bool found = false;
	int64_t old_rowid = 0, rowid = fts_rowid(p);
	if (!ix)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	struct index_text *old = ix + 1;
	if ((rc = index_text_of(p, ix, err)))
		goto out;
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_OLD_ROWID],
				      "SELECT fts_rowid FROM products WHERE id=?", err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	sqlite3_bind_int64(q, 1, p->id);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		old_rowid = sqlite3_column_int64(q, 0);
	done(q);
	if (step == SQLITE_DONE) {
		rc = tk_fail(err, TK_ENOTFOUND, "product", "no product with id %lld",
			     (long long)p->id);
		goto out;
	} else if (step != SQLITE_ROW) {
		rc = sqlite_fail(s, err, "reading a product");
		goto out;
	}
	q = sqlite_stmt(s, &s->catalog[S_UPDATE],
			"UPDATE products SET union_=?1, product=?2, title=?3, category=?4,"
			" brand=?5, shop=?6, price=?7, coupon=?8, coupon_min=?9,"
			" coupon_start=?10, coupon_end=?11, commission_bps=?12, sales=?13,"
			" image=?14, url=?15, first_seen_at=?16, updated_at=?17, coupon_url=?18,"
			" feed=?19, gone_at=?20, fts_rowid=?21 WHERE id=?22", err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	bind_product(q, p);
	sqlite3_bind_int64(q, 21, rowid);
	sqlite3_bind_int64(q, 22, p->id);
	if ((rc = sqlite_exec_stmt(s, q, "updating a product", err)))
		goto out;
	if ((rc = index_read(s, old_rowid, old, &found, err)))
		goto out;
	if (found && old_rowid == rowid && strcmp(old->title, ix->title) == 0 &&
	    strcmp(old->brand, ix->brand) == 0 && strcmp(old->shop, ix->shop) == 0)
		goto out; /* the index already says this */
	if (found && (rc = index_remove(s, old_rowid, old, err)))
		goto out;
	rc = index_add(s, rowid, ix, err);
out:
	free(ix);
	return rc;
}

static enum tk_rc product_count(struct store *st, int64_t *products, int64_t *points,
				struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_COUNT],
				      "SELECT (SELECT count(*) FROM products),"
				      " (SELECT count(*) FROM price_history)", err);
	if (!q)
		return TK_EIO;
	enum tk_rc rc = TK_OK;
	if (sqlite3_step(q) == SQLITE_ROW) {
		*products = sqlite3_column_int64(q, 0);
		*points = sqlite3_column_int64(q, 1);
	} else {
		rc = sqlite_fail(s, err, "counting products");
	}
	done(q);
	return rc;
}

/* ---- price history ---- */

static enum tk_rc history_append(struct store *st, int64_t product,
				 const struct catalog_price_point *pt, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	/* two observations in the same second: the later one stands */
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_HIST_APPEND],
				      "INSERT OR REPLACE INTO price_history(product, at, final_price,"
				      " price, coupon) VALUES (?, ?, ?, ?, ?)", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, product);
	sqlite3_bind_int64(q, 2, pt->at);
	sqlite3_bind_int64(q, 3, pt->final_price);
	sqlite3_bind_int64(q, 4, pt->price);
	sqlite3_bind_int64(q, 5, pt->coupon);
	return sqlite_exec_stmt(s, q, "saving a price point", err);
}

static void read_point(sqlite3_stmt *q, int c, struct catalog_price_point *pt)
{
	pt->at = sqlite3_column_int64(q, c);
	pt->final_price = sqlite3_column_int64(q, c + 1);
	pt->price = sqlite3_column_int64(q, c + 2);
	pt->coupon = sqlite3_column_int64(q, c + 3);
}

static enum tk_rc history_last(struct store *st, int64_t product,
			       struct catalog_price_point *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_HIST_LAST],
				      "SELECT at, final_price, price, coupon FROM price_history"
				      " WHERE product=? ORDER BY at DESC LIMIT 1", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, product);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		read_point(q, 0, out);
	else if (step == SQLITE_DONE)
		rc = tk_fail(err, TK_ENOTFOUND, "product", "no price history");
	else
		rc = sqlite_fail(s, err, "reading price history");
	done(q);
	return rc;
}

static enum tk_rc history_get(struct store *st, int64_t product, struct catalog_price_point *pts,
			      int max, int *n, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_HIST_GET],
				      "SELECT at, final_price, price, coupon FROM price_history"
				      " WHERE product=? ORDER BY at DESC LIMIT ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, product);
	sqlite3_bind_int(q, 2, max);
	int k = 0, step;
	while (k < max && (step = sqlite3_step(q)) == SQLITE_ROW)
		read_point(q, 0, &pts[k++]);
	enum tk_rc rc = k < max && step != SQLITE_DONE ? sqlite_fail(s, err, "reading price history")
						       : TK_OK;
	done(q);
	/* newest first from the query; callers want them ascending */
	for (int i = 0; i < k / 2; i++) {
		struct catalog_price_point t = pts[i];
		pts[i] = pts[k - 1 - i];
		pts[k - 1 - i] = t;
	}
	*n = k;
	return rc;
}

/* ---- search ---- */

/* Appends len bytes and a NUL; false when it does not fit. */
static bool put(char *out, size_t size, size_t *n, const char *s, size_t len)
{
	if (*n + len + 1 > size)
		return false;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return true;
}

_Static_assert(SQLITE_FTS_QUERY_MAX >= CATALOG_QUERY_TERMS * (CATALOG_TERM_MAX * 9 + 16),
	       "FTS5 query buffer too small for the query limits");

/* Terms contain no '"' (a separator of the compact form), so quoting is
 * plain. */
bool sqlite_fts_trigram(const struct catalog_terms *t, char *out, size_t size)
{
	size_t n = 0;
	if (size == 0 || !catalog_terms_all_long(t))
		return false;
	out[0] = '\0';
	for (int i = 0; i < t->n; i++) {
		if (n > 0 && !put(out, size, &n, " AND ", 5))
			return false;
		if (!put(out, size, &n, "\"", 1) ||
		    !put(out, size, &n, t->term[i].text, strlen(t->term[i].text)) ||
		    !put(out, size, &n, "\"", 1))
			return false;
	}
	return true;
}

/* A term of k >= 2 characters is the phrase of its k-1 adjacent pairs
 * ("充电宝" becomes "充电 电宝", pairs at consecutive positions: exactly the
 * strings that contain it), one character a prefix ("鞋"*). */
bool sqlite_fts_bigram(const struct catalog_terms *t, char *out, size_t size)
{
	size_t n = 0;
	if (size == 0)
		return false;
	out[0] = '\0';
	for (int i = 0; i < t->n; i++) {
		const char *s = t->term[i].text;
		size_t len = strlen(s), k = 0, prev = 0, cur;
		bool first = true;
		uint32_t cp;
		if (n > 0 && !put(out, size, &n, " AND ", 5))
			return false;
		if (!put(out, size, &n, "\"", 1))
			return false;
		if (t->term[i].chars == 1) {
			if (!put(out, size, &n, s, len) || !put(out, size, &n, "\"*", 2))
				return false;
			continue;
		}
		/* the pairs: bytes [prev, next-after-cur) for each character
		 * after the first */
		if (!utf8_next(s, len, &k, &cp))
			return false;
		while (k < len) {
			cur = k;
			if (!utf8_next(s, len, &k, &cp))
				return false;
			if (!first && !put(out, size, &n, " ", 1))
				return false;
			if (!put(out, size, &n, s + prev, k - prev))
				return false;
			prev = cur;
			first = false;
		}
		if (!put(out, size, &n, "\"", 1))
			return false;
	}
	return true;
}


#define SQL_FILTERS \
	" AND (:u IS NULL OR p.union_ = :u)" \
	" AND (:c IS NULL OR p.category = :c)" \
	" AND (:minp IS NULL OR " SQL_FINAL_NOW " >= :minp)" \
	" AND (:maxp IS NULL OR " SQL_FINAL_NOW " <= :maxp)" \
	" AND (:minc IS NULL OR " SQL_EARN_NOW " >= :minc)" \
	" AND (:cv = 0 OR " SQL_COUPON_NOW ")"

enum search_path { PATH_TRIGRAM, PATH_BIGRAM };

static const char *const sort_sql[2][CATALOG_SORT_COUNT_] = {
	[PATH_TRIGRAM] = {
		[CATALOG_SORT_POPULAR] = "f.rowid DESC",
		[CATALOG_SORT_RELEVANCE] = "bm25(product_fts, 10.0, 3.0, 1.0), f.rowid DESC",
		[CATALOG_SORT_SALES] = "p.sales DESC, p.id DESC",
		[CATALOG_SORT_COMMISSION] = SQL_EARN_NOW " DESC, f.rowid DESC",
		[CATALOG_SORT_PRICE] = SQL_FINAL_NOW " ASC, f.rowid DESC",
	},
	[PATH_BIGRAM] = {
		[CATALOG_SORT_POPULAR] = "f.rowid DESC",
		[CATALOG_SORT_RELEVANCE] = "bm25(product_bigrams), f.rowid DESC",
		[CATALOG_SORT_SALES] = "p.sales DESC, p.id DESC",
		[CATALOG_SORT_COMMISSION] = SQL_EARN_NOW " DESC, f.rowid DESC",
		[CATALOG_SORT_PRICE] = SQL_FINAL_NOW " ASC, f.rowid DESC",
	},
};

/* The SQL of one search statement (page or count) into buf. */
static bool search_sql(enum search_path path, enum catalog_sort sort, bool count, char *buf,
		       size_t size)
{
	const char *table = path == PATH_TRIGRAM ? "product_fts" : "product_bigrams";
	int w;
	if (count)
		w = snprintf(buf, size,
			     "SELECT count(*) FROM (SELECT 1 FROM %s f"
			     " JOIN products p ON p.id = (f.rowid & 4294967295)"
			     " WHERE %s MATCH :q" SQL_FILTERS " LIMIT :cap)",
			     table, table);
	else
		w = snprintf(buf, size,
			     "SELECT " P_COLS " FROM %s f"
			     " JOIN products p ON p.id = (f.rowid & 4294967295)"
			     " WHERE %s MATCH :q" SQL_FILTERS
			     " ORDER BY %s LIMIT :lim OFFSET :off",
			     table, table, sort_sql[path][sort]);
	return w > 0 && (size_t)w < size;
}

static sqlite3_stmt *search_stmt(struct sqlite_store *s, enum search_path path,
				 enum catalog_sort sort, bool count, struct tk_error *err)
{
	int slot = S_SEARCH_BASE + ((int)path * CATALOG_SORT_COUNT_ + (int)sort) * 2 + count;
	if (s->catalog[slot])
		return s->catalog[slot];
	char sql[8192];
	if (!search_sql(path, sort, count, sql, sizeof(sql))) {
		tk_fail(err, TK_EIO, "", "search statement too long");
		return NULL;
	}
	return sqlite_stmt(s, &s->catalog[slot], sql, err);
}

static void search_bind(sqlite3_stmt *q, const struct catalog_search_query *sq,
			const char *fts)
{
	bind_text(q, ":q", fts);
	bind_text(q, ":u", sq->union_ && sq->union_[0] ? sq->union_ : NULL);
	bind_text(q, ":c", sq->category && sq->category[0] ? sq->category : NULL);
	if (sq->min_price >= 0)
		bind_i64(q, ":minp", sq->min_price);
	if (sq->max_price >= 0)
		bind_i64(q, ":maxp", sq->max_price);
	if (sq->min_commission >= 0)
		bind_i64(q, ":minc", sq->min_commission);
	bind_i64(q, ":cv", sq->coupon_valid ? 1 : 0);
	bind_i64(q, ":now", sq->now);
}

static enum tk_rc search(struct store *st, const struct catalog_search_query *sq,
			 catalog_product_cb cb, void *ctx, int64_t *total, bool *exact,
			 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	char fts[SQLITE_FTS_QUERY_MAX];
	enum search_path path = catalog_terms_all_long(sq->terms) ? PATH_TRIGRAM : PATH_BIGRAM;
	struct catalog_product *p = NULL;
	enum tk_rc rc = TK_OK;

	if (!(path == PATH_TRIGRAM ? sqlite_fts_trigram(sq->terms, fts, sizeof(fts))
				   : sqlite_fts_bigram(sq->terms, fts, sizeof(fts))))
		return tk_fail(err, TK_ELIMIT, "query", "too long");
	if (sq->sort < 0 || sq->sort >= CATALOG_SORT_COUNT_)
		return tk_fail(err, TK_EINVAL, "sort", "unknown sort");

	/* the page */
	sqlite3_stmt *q = search_stmt(s, path, sq->sort, false, err);
	if (!q)
		return TK_EIO;
	if (!(p = malloc(sizeof(*p))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	search_bind(q, sq, fts);
	bind_i64(q, ":lim", sq->limit);
	bind_i64(q, ":off", sq->offset);
	int step, rows = 0;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		read_product(q, 0, p);
		rows++;
		if (!cb(ctx, p))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "searching products");
	done(q);
	if (rc)
		goto out;

	/* how many match, up to the cap; a short first page is the count */
	if (sq->offset == 0 && rows < sq->limit) {
		*total = rows;
		*exact = true;
		goto out;
	}
	q = search_stmt(s, path, sq->sort, true, err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	search_bind(q, sq, fts);
	bind_i64(q, ":cap", sq->count_cap + 1);
	if (sqlite3_step(q) == SQLITE_ROW) {
		int64_t c = sqlite3_column_int64(q, 0);
		*exact = c <= sq->count_cap;
		*total = *exact ? c : sq->count_cap;
	} else {
		rc = sqlite_fail(s, err, "counting search results");
	}
	done(q);
out:
	free(p);
	return rc;
}

static enum tk_rc similar_candidates(struct store *st, const char *category,
				     const struct catalog_grams *any, int64_t exclude, int max,
				     catalog_product_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q;
	struct catalog_product *p = malloc(sizeof(*p));
	enum tk_rc rc = TK_OK;
	/* "g1" OR "g2" ...: the trigram index's rows holding any of them */
	char fts_or[CATALOG_GRAMS_MAX * (int)(sizeof(any->gram[0]) + 6)];
	size_t n = 0;
	fts_or[0] = '\0';
	for (int i = 0; any && i < any->n; i++)
		if ((n > 0 && !put(fts_or, sizeof(fts_or), &n, " OR ", 4)) ||
		    !put(fts_or, sizeof(fts_or), &n, "\"", 1) ||
		    !put(fts_or, sizeof(fts_or), &n, any->gram[i], strlen(any->gram[i])) ||
		    !put(fts_or, sizeof(fts_or), &n, "\"", 1)) {
			free(p);
			return tk_fail(err, TK_ELIMIT, "title", "too many trigrams");
		}
	if (!p)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (fts_or[0])
		q = sqlite_stmt(s, &s->catalog[S_SIMILAR],
				"SELECT " P_COLS " FROM product_fts f"
				" JOIN products p ON p.id = (f.rowid & 4294967295)"
				" WHERE product_fts MATCH :q AND p.category = :c AND p.id <> :x"
				" ORDER BY f.rowid DESC LIMIT :max", err);
	else
		q = sqlite_stmt(s, &s->catalog[S_SIMILAR_CAT],
				"SELECT " P_COLS " FROM products p"
				" WHERE p.category = :c AND p.id <> :x"
				" ORDER BY p.sales DESC LIMIT :max", err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	bind_text(q, ":q", fts_or);
	bind_text(q, ":c", category);
	bind_i64(q, ":x", exclude);
	bind_i64(q, ":max", max);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		read_product(q, 0, p);
		if (!cb(ctx, p))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "finding similar products");
	done(q);
out:
	free(p);
	return rc;
}

/* ---- the team's figures ---- */

/* The team's orders and refunds of each product are kept on write in
 * product_sales (see catalog-0003); its clicks are the product's rows of
 * daily_stats (dim 2, key "union:product"; robots are not counted there). */
#define SQL_PRODUCT_CLICKS \
	"(SELECT key, sum(clicks) AS clicks FROM daily_stats WHERE dim = 2 AND clicks > 0" \
	" GROUP BY key)"

static enum tk_rc scan(struct store *st, const char *category, catalog_history_cb cb, void *ctx,
		       struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	enum tk_rc rc = TK_OK;
	struct catalog_product *p = malloc(sizeof(*p));
	struct catalog_price_point *pts = malloc(CATALOG_HISTORY_MAX * sizeof(*pts));
	if (!p || !pts) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->catalog[S_SCAN],
		"SELECT " P_COLS ", h.at, h.final_price, h.price, h.coupon,"
		" coalesce(t.orders, 0), coalesce(t.refunds, 0), coalesce(k.clicks, 0)"
		" FROM products p"
		" LEFT JOIN price_history h ON h.product = p.id"
		" LEFT JOIN product_sales t ON t.union_ = p.union_ AND t.product = p.product"
		" LEFT JOIN " SQL_PRODUCT_CLICKS " k ON k.key = p.union_ || ':' || p.product"
		" WHERE (:c IS NULL OR p.category = :c)"
		" ORDER BY p.id, h.at", err);
	if (!q) {
		rc = TK_EIO;
		goto out;
	}
	bind_text(q, ":c", category && category[0] ? category : NULL);
	int step, n = 0;
	int64_t cur = 0;
	struct catalog_team_stats team = {0};
	bool go = true;
	while (go && (step = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		if (id != cur) {
			if (cur && !cb(ctx, p, pts, n, &team)) {
				cur = 0;
				go = false;
				break;
			}
			read_product(q, 0, p);
			team.orders = sqlite3_column_int64(q, P_NCOLS + 4);
			team.refunds = sqlite3_column_int64(q, P_NCOLS + 5);
			team.clicks = sqlite3_column_int64(q, P_NCOLS + 6);
			cur = id;
			n = 0;
		}
		if (sqlite3_column_type(q, P_NCOLS) == SQLITE_NULL)
			continue;
		if (n == CATALOG_HISTORY_MAX) { /* keep the latest */
			memmove(pts, pts + 1, (CATALOG_HISTORY_MAX - 1) * sizeof(*pts));
			n--;
		}
		read_point(q, P_NCOLS, &pts[n++]);
	}
	if (go && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading products");
	else if (cur)
		cb(ctx, p, pts, n, &team);
	done(q);
out:
	free(p);
	free(pts);
	return rc;
}

static enum tk_rc team_product(struct store *st, const char *union_, const char *product,
			       struct catalog_team_stats *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_TEAM_PRODUCT],
				      "SELECT (SELECT coalesce(sum(orders), 0) FROM product_sales"
				      "  WHERE union_ = ?1 AND product = ?2),"
				      " (SELECT coalesce(sum(refunds), 0) FROM product_sales"
				      "  WHERE union_ = ?1 AND product = ?2),"
				      " (SELECT coalesce(sum(clicks), 0) FROM daily_stats"
				      "  WHERE dim = 2 AND clicks > 0 AND key = ?1 || ':' || ?2)", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, product, -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	memset(out, 0, sizeof(*out));
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->orders = sqlite3_column_int64(q, 0);
		out->refunds = sqlite3_column_int64(q, 1);
		out->clicks = sqlite3_column_int64(q, 2);
	} else {
		rc = sqlite_fail(s, err, "reading the team's orders");
	}
	done(q);
	return rc;
}

static enum tk_rc team_category(struct store *st, const char *category,
				struct catalog_team_stats *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_TEAM_CATEGORY],
				      "SELECT coalesce(sum(t.orders), 0), coalesce(sum(t.refunds), 0),"
				      " (SELECT coalesce(sum(k.clicks), 0) FROM products p2"
				      "  JOIN daily_stats k ON k.dim = 2 AND k.clicks > 0"
				      "  AND k.key = p2.union_ || ':' || p2.product WHERE p2.category = ?1)"
				      " FROM products p JOIN product_sales t"
				      " ON t.union_ = p.union_ AND t.product = p.product"
				      " WHERE p.category = ?1", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, category, -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	memset(out, 0, sizeof(*out));
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->orders = sqlite3_column_int64(q, 0);
		out->refunds = sqlite3_column_int64(q, 1);
		out->clicks = sqlite3_column_int64(q, 2);
	} else {
		rc = sqlite_fail(s, err, "reading the team's orders");
	}
	done(q);
	return rc;
}

static enum tk_rc category_stats(struct store *st, struct catalog_category_stats *out, int max,
				 int *n, struct catalog_uncatalogued *unc, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	/* A repurchase is a buyer's next order (distinct order number and
	 * time) in the same category; its gap is the time since the previous. */
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->catalog[S_CATEGORY_STATS],
		"WITH cat AS (SELECT category, count(*) AS products FROM products GROUP BY category),"
		" bought AS (SELECT p.category, i.status, i.refunded, i.buyer, i.order_no,"
		"  i.paid_at, i.quantity, i.amount, i.commission FROM items i JOIN products p"
		"  ON p.union_ = i.union_ AND p.product = i.product WHERE i.paid_at > 0),"
		" ord AS (SELECT category, count(*) AS orders,"
		"  sum(CASE WHEN status = 4 OR refunded > 0 THEN 1 ELSE 0 END) AS refunds,"
		"  sum(quantity) AS units, sum(amount) AS gmv, sum(commission) AS commission,"
		"  count(DISTINCT nullif(buyer, '')) AS buyers FROM bought GROUP BY category),"
		" buys AS (SELECT DISTINCT category, buyer, order_no, paid_at FROM bought"
		"  WHERE buyer <> ''),"
		" gaps AS (SELECT category, buyer, paid_at - lag(paid_at) OVER"
		"  (PARTITION BY category, buyer ORDER BY paid_at) AS gap FROM buys),"
		" rep AS (SELECT category, count(*) AS n, sum(gap) AS total,"
		"  count(DISTINCT buyer) AS repeaters FROM gaps WHERE gap > 0 GROUP BY category),"
		/* the clicks on its products' tracking links, as the products' own */
		" clk AS (SELECT p.category, sum(k.clicks) AS clicks FROM products p"
		"  JOIN daily_stats k ON k.dim = 2 AND k.clicks > 0"
		"  AND k.key = p.union_ || ':' || p.product GROUP BY p.category)"
		" SELECT cat.category, cat.products, coalesce(ord.orders, 0),"
		"  coalesce(ord.refunds, 0), coalesce(ord.units, 0), coalesce(ord.gmv, 0),"
		"  coalesce(ord.commission, 0), coalesce(ord.buyers, 0),"
		"  coalesce(rep.repeaters, 0), coalesce(rep.n, 0), coalesce(rep.total, 0),"
		"  coalesce(clk.clicks, 0)"
		" FROM cat LEFT JOIN ord ON ord.category = cat.category"
		" LEFT JOIN rep ON rep.category = cat.category"
		" LEFT JOIN clk ON clk.category = cat.category"
		" ORDER BY coalesce(ord.orders, 0) DESC, cat.products DESC, cat.category"
		" LIMIT ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int(q, 1, max);
	enum tk_rc rc = TK_OK;
	int k = 0, step;
	while (k < max && (step = sqlite3_step(q)) == SQLITE_ROW) {
		struct catalog_category_stats *c = &out[k++];
		memset(c, 0, sizeof(*c));
		sqlite_column_copy(q, 0, c->category, sizeof(c->category));
		c->products = sqlite3_column_int64(q, 1);
		c->orders = sqlite3_column_int64(q, 2);
		c->refunds = sqlite3_column_int64(q, 3);
		c->units = sqlite3_column_int64(q, 4);
		c->gmv = sqlite3_column_int64(q, 5);
		c->commission = sqlite3_column_int64(q, 6);
		c->buyers = sqlite3_column_int64(q, 7);
		c->repeat_buyers = sqlite3_column_int64(q, 8);
		c->repurchase_gaps = sqlite3_column_int64(q, 9);
		c->repurchase_seconds = sqlite3_column_int64(q, 10);
		c->clicks = sqlite3_column_int64(q, 11);
	}
	if (k < max && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading category figures");
	done(q);
	*n = k;
	if (rc)
		return rc;

	q = sqlite_stmt(s, &s->catalog[S_UNCATALOGUED],
			"SELECT count(*), coalesce(sum(i.amount), 0), coalesce(sum(i.commission), 0)"
			" FROM items i WHERE i.paid_at > 0 AND NOT EXISTS (SELECT 1 FROM products p"
			" WHERE p.union_ = i.union_ AND p.product = i.product)", err);
	if (!q)
		return TK_EIO;
	memset(unc, 0, sizeof(*unc));
	if (sqlite3_step(q) == SQLITE_ROW) {
		unc->orders = sqlite3_column_int64(q, 0);
		unc->gmv = sqlite3_column_int64(q, 1);
		unc->commission = sqlite3_column_int64(q, 2);
	} else {
		rc = sqlite_fail(s, err, "reading orders outside the catalogue");
	}
	done(q);
	return rc;
}

/* ---- copy templates ---- */

static enum tk_rc template_put(struct store *st, const char *name, enum catalog_channel ch,
			       const char *body, int64_t at, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_TPL_PUT],
				      "INSERT INTO copy_templates(name, channel, body, updated_at)"
				      " VALUES (?, ?, ?, ?) ON CONFLICT (name, channel) DO UPDATE"
				      " SET body = excluded.body, updated_at = excluded.updated_at",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, catalog_channel_name(ch), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, at);
	return sqlite_exec_stmt(s, q, "saving a template", err);
}

static enum tk_rc template_get(struct store *st, const char *name, enum catalog_channel ch,
			       char *body, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_TPL_GET],
				      "SELECT body FROM copy_templates WHERE name=? AND channel=?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, catalog_channel_name(ch), -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		sqlite_column_copy(q, 0, body, CATALOG_TEMPLATE_MAX + 1);
	else if (step == SQLITE_DONE)
		rc = tk_fail(err, TK_ENOTFOUND, "template", "no template \"%s\" for %s", name,
			     catalog_channel_name(ch));
	else
		rc = sqlite_fail(s, err, "reading a template");
	done(q);
	return rc;
}

static enum tk_rc template_each(struct store *st,
				bool (*cb)(void *ctx, const char *name, enum catalog_channel ch,
					   const char *body, int64_t at),
				void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_TPL_EACH],
				      "SELECT name, channel, body, updated_at FROM copy_templates"
				      " ORDER BY name, channel", err);
	if (!q)
		return TK_EIO;
	enum tk_rc rc = TK_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		enum catalog_channel ch;
		if (!catalog_channel_parse((const char *)sqlite3_column_text(q, 1), &ch))
			continue;
		if (!cb(ctx, (const char *)sqlite3_column_text(q, 0), ch,
			(const char *)sqlite3_column_text(q, 2), sqlite3_column_int64(q, 3)))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading templates");
	done(q);
	return rc;
}

/* ---- product feeds ---- */

static enum tk_rc feed_listed(struct store *st, const char *union_,
			      bool (*cb)(void *ctx, int64_t id), void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_FEED_LISTED],
				      "SELECT id FROM products WHERE union_ = ? AND feed = 1"
				      " AND gone_at = 0 ORDER BY id", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	enum tk_rc rc = TK_OK;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (!cb(ctx, sqlite3_column_int64(q, 0)))
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = sqlite_fail(s, err, "reading the products a feed lists");
	done(q);
	return rc;
}

static enum tk_rc feed_gone(struct store *st, int64_t id, int64_t at, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->catalog[S_FEED_GONE],
				      "UPDATE products SET gone_at = ?1, updated_at = ?1"
				      " WHERE id = ?2 AND gone_at = 0", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sqlite_exec_stmt(s, q, "marking a product gone", err);
}

const struct catalog_store_ops sqlite_catalog_ops = {
	.feed_listed = feed_listed,
	.feed_gone = feed_gone,
	.product_get = product_get,
	.product_insert = product_insert,
	.product_update = product_update,
	.product_count = product_count,
	.history_append = history_append,
	.history_last = history_last,
	.history_get = history_get,
	.search = search,
	.similar_candidates = similar_candidates,
	.scan = scan,
	.team_product = team_product,
	.team_category = team_category,
	.category_stats = category_stats,
	.template_put = template_put,
	.template_get = template_get,
	.template_each = template_each,
};

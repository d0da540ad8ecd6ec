/* test_pg_catalog.c — the product library's storage contract, run the same
 * way on a fresh SQLite store and a fresh PostgreSQL store: products
 * (absent, duplicate, update), price history, search (Chinese substrings,
 * mixed scripts, 1- and 2-character terms, filters, every sort, paging and
 * counts), substitute candidates, the scan, the team's figures, category
 * figures, templates and product feeds; each answer checked against the
 * values expected, and both backends against each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fresh_db.h"
#include "store/catalog_store.h"
#include "store/pg_internal.h"
#include "store/sqlite_internal.h"

#define NOW INT64_C(1750000000)

struct fixture {
	char path[256];
	struct store *lite, *pg;
};

/* What one product of the fixture is. */
struct row {
	const char *product, *title, *category, *brand, *shop;
	int64_t price, coupon, coupon_min, coupon_end;
	int32_t bps;
	int64_t sales;
};

static const struct row rows[] = {
	{"p1", "海飞丝去屑洗发水 400ml", "洗护", "海飞丝", "海飞丝官方旗舰店", 5990, 1000, 5000, 0, 2000, 5000},
	{"p2", "清扬男士去屑洗发水", "洗护", "清扬", "清扬旗舰店", 4990, 0, 0, 0, 1500, 5000},
	{"p3", "Apple iPhone 15 128GB 黑色", "手机", "Apple", "京东自营", 599900, 30000, 500000, NOW - 1, 300, 800},
	{"p4", "iPhone15 Pro 手机壳", "配件", "", "壳小铺", 1990, 500, 1000, 0, 3000, 800},
	{"p5", "小米充电宝 20000mAh", "配件", "小米", "小米之家", 12900, 2000, 10000, 0, 800, 120},
	{"p6", "Nike 运动鞋 跑步鞋", "鞋服", "Nike", "耐克官方", 69900, 0, 0, 0, 500, 60},
	{"p7", "洗发水 补充装 x2", "洗护", "", "百货店", 2990, 0, 0, 0, 2500, 0},
	{"p8", "海飞丝 丝质柔滑洗发露", "洗护", "海飞丝", "海飞丝官方旗舰店", 4590, 500, 0, 0, 2000, 5000},
	{"p9", "ＩＰＨＯＮＥ 15 钢化膜", "配件", "", "膜法店", 990, 0, 0, 0, 4000, 45},
	{"p10", "跑步袜 x", "鞋服", "", "", 990, 0, 0, 0, 1000, 45},
	/* a long title holding what others hold only in their shop name */
	{"p11", "旗舰店同款超大容量滋润保湿修护护手霜礼盒套装家庭装", "美妆", "", "", 3990, 0, 0, 0, 1000, 1},
};
#define NROWS ((int)(sizeof(rows) / sizeof(rows[0])))

static void product_of(const struct row *r, struct catalog_product *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->union_, sizeof(p->union_), "%s", r->product[1] == '3' ? "jd" : "taobao");
	snprintf(p->product, sizeof(p->product), "%s", r->product);
	snprintf(p->title, sizeof(p->title), "%s", r->title);
	snprintf(p->category, sizeof(p->category), "%s", r->category);
	snprintf(p->brand, sizeof(p->brand), "%s", r->brand);
	snprintf(p->shop, sizeof(p->shop), "%s", r->shop);
	p->price = r->price;
	p->coupon = r->coupon;
	p->coupon_min = r->coupon_min;
	p->coupon_end = r->coupon_end;
	p->commission_bps = r->bps;
	p->sales = r->sales;
	p->first_seen_at = p->updated_at = NOW - 100;
}

/* The core's items and daily statistics, which the team's figures read:
 * on PostgreSQL made here, with the columns these tests write, when the
 * core's own schema has not made them. */
static void core_tables(struct store *pg)
{
	struct tk_error err = {0};
	assert_int_equal(
		pg_exec_script(pg_of(pg),
			       "CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY,"
			       " union_ TEXT NOT NULL, item_key TEXT NOT NULL, order_no TEXT NOT NULL,"
			       " status BIGINT NOT NULL, modified_at BIGINT NOT NULL, paid_at BIGINT"
			       " NOT NULL, amount BIGINT NOT NULL, commission BIGINT NOT NULL, quantity"
			       " BIGINT NOT NULL, refunded BIGINT NOT NULL, product TEXT NOT NULL, buyer"
			       " TEXT NOT NULL, attribution BIGINT NOT NULL, plan_version BIGINT NOT"
			       " NULL, self_purchase BIGINT NOT NULL, n_chain BIGINT NOT NULL, platform"
			       " BIGINT NOT NULL, first_seen_at BIGINT NOT NULL);"
			       "CREATE TABLE IF NOT EXISTS daily_stats (day BIGINT NOT NULL, dim BIGINT"
			       " NOT NULL, key TEXT NOT NULL, clicks BIGINT NOT NULL DEFAULT 0,"
			       " PRIMARY KEY (day, dim, key))",
			       "core tables", &err),
		TK_OK);
}

/* Orders, sales counts and clicks, written the same way on both. */
static const char team_sql[] =
	"INSERT INTO items(id, union_, item_key, order_no, status, modified_at, paid_at, amount,"
	" commission, quantity, refunded, product, buyer, attribution, plan_version,"
	" self_purchase, n_chain, platform, first_seen_at) VALUES"
	" (1, 'taobao', 'i1', 'o1', 3, 1, 1000, 5990, 1198, 1, 0, 'p1', 'b1', 0, 1, 0, 0, 0, 1),"
	" (2, 'taobao', 'i2', 'o2', 3, 1, 5000, 4990, 748, 2, 0, 'p2', 'b1', 0, 1, 0, 0, 0, 1),"
	" (3, 'taobao', 'i3', 'o3', 4, 1, 9000, 5990, 1198, 1, 0, 'p1', 'b1', 0, 1, 0, 0, 0, 1),"
	" (4, 'taobao', 'i4', 'o4', 3, 1, 2000, 12900, 1032, 1, 100, 'p5', 'b2', 0, 1, 0, 0, 0, 1),"
	" (5, 'taobao', 'i5', 'o5', 3, 1, 3000, 100, 10, 1, 0, 'zz', '', 0, 1, 0, 0, 0, 1),"
	" (6, 'taobao', 'i6', 'o6', 3, 1, 0, 100, 10, 1, 0, 'p6', 'b3', 0, 1, 0, 0, 0, 1);"
	"INSERT INTO product_sales(union_, product, orders, refunds) VALUES"
	" ('taobao', 'p1', 2, 1), ('taobao', 'p2', 1, 0), ('taobao', 'p5', 1, 1);"
	"INSERT INTO daily_stats(day, dim, key, clicks) VALUES"
	" (1, 2, 'taobao:p1', 7), (2, 2, 'taobao:p1', 3), (1, 2, 'taobao:p5', 4),"
	" (1, 0, '', 99), (1, 2, 'taobao:zz', 5);";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char uri[512];
	struct tk_error err = {0};
	f->lite = test_store_fresh(TEST_FRESH_SQLITE, f->path, sizeof(f->path));
	f->pg = test_store_fresh(TEST_FRESH_PG, uri, sizeof(uri));
	core_tables(f->pg);
	assert_int_equal(sqlite3_exec(sqlite_of(f->lite)->db, team_sql, NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(pg_exec_script(pg_of(f->pg), team_sql, "team", &err), TK_OK);
	struct store *both[2] = {f->lite, f->pg};
	for (int b = 0; b < 2; b++) {
		struct store *st = both[b];
		assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
		for (int i = 0; i < NROWS; i++) {
			struct catalog_product p;
			product_of(&rows[i], &p);
			if (st->catalog->product_insert(st, &p, &err))
				fail_msg("insert %s: %s", rows[i].product, err.msg);
			assert_int_equal(p.id, i + 1);
		}
		assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	f->lite->ops->close(f->lite);
	f->pg->ops->close(f->pg);
	unlink(f->path);
	free(f);
	return 0;
}

/* ---- search ---- */

struct ids {
	int n;
	int64_t id[64];
};

static bool collect(void *ctx, const struct catalog_product *p)
{
	struct ids *c = ctx;
	if (c->n < 64)
		c->id[c->n++] = p->id;
	return true;
}

struct search_case {
	const char *query;
	enum catalog_sort sort;
	const char *union_, *category;
	int64_t min_price, max_price, min_commission;
	bool coupon_valid;
	int64_t offset;
	int limit;
};

/* Runs one search on a store; the ids as "1,2,3" and the count. */
static void run_search(struct store *st, const struct search_case *c, char *out, size_t size)
{
	struct catalog_terms t;
	struct tk_error err = {0};
	assert_int_equal(catalog_terms_parse(c->query, &t, &err), TK_OK);
	struct catalog_search_query q = {
		.terms = &t, .union_ = c->union_ ? c->union_ : "",
		.category = c->category ? c->category : "",
		.min_price = c->min_price, .max_price = c->max_price,
		.min_commission = c->min_commission, .coupon_valid = c->coupon_valid,
		.now = NOW, .sort = c->sort, .offset = c->offset,
		.limit = c->limit ? c->limit : 20, .count_cap = 3,
	};
	struct ids ids = {0};
	int64_t total = -1;
	bool exact = false;
	if (st->catalog->search(st, &q, collect, &ids, &total, &exact, &err))
		fail_msg("search \"%s\": %s", c->query, err.msg);
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < ids.n; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%lld", i ? "," : "",
				      (long long)ids.id[i]);
	snprintf(out + o, size - o, " / %lld%s", (long long)total, exact ? "" : "+");
}

#define ANY -1, -1, -1

static void test_search(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct search_case c;
		const char *want;
	} cases[] = {
		/* Chinese substrings: 洗发水 inside 海飞丝去屑洗发水, best sellers
		 * first (p1 and p2 share a popularity key: the newer id first) */
		{{"洗发水", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "2,1,7 / 3"},
		{{"去屑洗发水", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "2,1 / 2"},
		{{"海飞丝", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "8,1 / 2"},
		/* brand and shop are searched too; terms meet in any of them */
		{{"旗舰店 清扬", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "2 / 1"},
		/* mixed scripts: "iphone 15" is two terms, "iPhone15" one */
		{{"iphone 15", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "4,3,9 / 3"},
		{{"iPhone15", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "4,3,9 / 3"},
		{{"ｉｐｈｏｎｅ１５ pro", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "4 / 1"},
		/* 1- and 2-character terms */
		{{"鞋", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "6 / 1"},
		{{"x", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "10,7 / 2"},
		{{"跑步", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "6,10 / 2"},
		{{"丝 洗发", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "8,1 / 2"},
		{{"小米 充电宝", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "5 / 1"},
		{{"丝质柔滑洗发露xyz", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, " / 0"},
		{{"mah", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, "5 / 1"},
		/* a term never spans title and brand */
		{{"洗发露海飞丝", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0}, " / 0"},
		/* filters: union, category, price after coupon now, commission, coupon */
		{{"洗发", CATALOG_SORT_POPULAR, "taobao", "洗护", 4000, 5000, -1, false, 0, 0}, "8,2,1 / 3"},
		{{"15", CATALOG_SORT_POPULAR, "jd", NULL, ANY, false, 0, 0}, "3 / 1"},
		{{"洗发", CATALOG_SORT_POPULAR, NULL, NULL, -1, -1, 800, false, 0, 0}, "8,1 / 2"},
		{{"洗发", CATALOG_SORT_POPULAR, NULL, NULL, ANY, true, 0, 0}, "8,1 / 2"},
		{{"15", CATALOG_SORT_POPULAR, NULL, NULL, ANY, true, 0, 0}, "4 / 1"},
		/* sorts */
		{{"洗", CATALOG_SORT_SALES, NULL, NULL, ANY, false, 0, 0}, "8,2,1,7 / 4"},
		{{"洗", CATALOG_SORT_PRICE, NULL, NULL, ANY, false, 0, 0}, "7,8,2,1 / 4"},
		{{"洗", CATALOG_SORT_COMMISSION, NULL, NULL, ANY, false, 0, 0}, "1,8,2,7 / 4"},
		{{"洗发水", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 0, 0}, "7,2,1 / 3"},
		{{"海飞丝", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 0, 0}, "8,1 / 2"},
		{{"洗 x", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 0, 0}, "7 / 1"},
		{{"丝", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 0, 0}, "8,1 / 2"},
		{{"iphone 15", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 0, 0}, "9,4,3 / 3"},
		/* the title weighs ten times the shop name */
		{{"旗舰店", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 0, 0}, "11,2,8,1 / 4"},
		/* paging: a short first page is the count; later pages count
		 * up to the cap (3 here) */
		{{"洗", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 2}, "8,2 / 3+"},
		{{"洗", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 2, 2}, "1,7 / 3+"},
		{{"洗", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 4, 2}, " / 3+"},
		{{"洗", CATALOG_SORT_RELEVANCE, NULL, NULL, ANY, false, 1, 2}, "2,8 / 3+"},
		{{"店", CATALOG_SORT_PRICE, NULL, NULL, ANY, false, 0, 20}, "9,7,11,8,2,1 / 6"},
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char lite[512], pg[512];
		run_search(f->lite, &cases[i].c, lite, sizeof(lite));
		run_search(f->pg, &cases[i].c, pg, sizeof(pg));
		if (strcmp(lite, cases[i].want) != 0 || strcmp(pg, cases[i].want) != 0) {
			print_error("search \"%s\" sort %d: want \"%s\", SQLite \"%s\", "
				    "PostgreSQL \"%s\"\n", cases[i].c.query, (int)cases[i].c.sort,
				    cases[i].want, lite, pg);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

/* Every sort over every query of a small vocabulary: both backends give
 * the same pages and counts. */
static void test_search_agrees(void **state)
{
	struct fixture *f = *state;
	static const char *const queries[] = {
		"洗发水", "丝", "洗 丝", "15", "iphone", "1", "ip 15", "店", "旗舰店",
		"x", "m", "鞋 跑步", "海飞丝 400ml", "0", "00", "000", "小米之家", "apple",
	};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
		for (int sort = 0; sort < CATALOG_SORT_COUNT_; sort++)
			for (int off = 0; off < 4; off += 2) {
				struct search_case c = {queries[i], (enum catalog_sort)sort, NULL, NULL,
							ANY, false, off, 2};
				char lite[512], pg[512];
				run_search(f->lite, &c, lite, sizeof(lite));
				run_search(f->pg, &c, pg, sizeof(pg));
				if (strcmp(lite, pg) != 0)
					fail_msg("\"%s\" sort %d offset %d: SQLite \"%s\", "
						 "PostgreSQL \"%s\"", queries[i], sort, off, lite, pg);
			}
}

/* The SQLite backend's own FTS5 query texts. */
static void test_sqlite_fts_text(void **state)
{
	(void)state;
	struct catalog_terms t;
	struct tk_error err = {0};
	char q[SQLITE_FTS_QUERY_MAX];
	assert_int_equal(catalog_terms_parse("海飞丝 洗发 15 x", &t, &err), TK_OK);
	assert_false(sqlite_fts_trigram(&t, q, sizeof(q)));
	assert_true(sqlite_fts_bigram(&t, q, sizeof(q)));
	assert_string_equal(q, "\"海飞 飞丝\" AND \"洗发\" AND \"15\" AND \"x\"*");
	assert_false(sqlite_fts_bigram(&t, q, 8));
	assert_int_equal(catalog_terms_parse("iphone15 去屑洗发水", &t, &err), TK_OK);
	assert_true(sqlite_fts_trigram(&t, q, sizeof(q)));
	assert_string_equal(q, "\"iphone15\" AND \"去屑洗发水\"");
	assert_true(sqlite_fts_bigram(&t, q, sizeof(q)));
	assert_string_equal(q, "\"ip ph ho on ne e1 15\" AND \"去屑 屑洗 洗发 发水\"");
}

/* ---- products, history, substitutes ---- */

static void check_products(struct store *st)
{
	struct tk_error err = {0};
	struct catalog_product p, q;
	assert_int_equal(st->catalog->product_get(st, "taobao", "nope", &p, &err), TK_ENOTFOUND);
	assert_int_equal(st->catalog->product_get(st, "taobao", "p8", &p, &err), TK_OK);
	assert_int_equal(p.id, 8);
	assert_string_equal(p.title, "海飞丝 丝质柔滑洗发露");
	assert_string_equal(p.shop, "海飞丝官方旗舰店");
	assert_int_equal(p.price, 4590);
	assert_int_equal(p.coupon, 500);
	assert_int_equal(p.commission_bps, 2000);
	assert_int_equal(p.sales, 5000);
	assert_false(p.feed);

	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	/* a duplicate is refused, and the transaction goes on */
	product_of(&rows[0], &q);
	assert_int_equal(st->catalog->product_insert(st, &q, &err), TK_ECONFLICT);
	q.id = 99;
	assert_int_equal(st->catalog->product_update(st, &q, &err), TK_ENOTFOUND);
	/* the update re-indexes: the old title no longer matches */
	snprintf(p.title, sizeof(p.title), "海飞丝 丝质柔滑护发素");
	p.sales = 9000;
	p.feed = true;
	assert_int_equal(st->catalog->product_update(st, &p, &err), TK_OK);
	struct catalog_product n;
	memset(&n, 0, sizeof(n));
	snprintf(n.union_, sizeof(n.union_), "pdd");
	snprintf(n.product, sizeof(n.product), "p12");
	snprintf(n.title, sizeof(n.title), "护发素 500ml");
	n.commission_bps = 100;
	n.feed = true;
	assert_int_equal(st->catalog->product_insert(st, &n, &err), TK_OK);
	assert_int_equal(n.id, 12); /* no id spent on the refused duplicate */
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);

	int64_t products = 0, points = 0;
	assert_int_equal(st->catalog->product_count(st, &products, &points, &err), TK_OK);
	assert_int_equal(products, 12);
	assert_int_equal(points, 0);
	char out[256];
	struct search_case c = {"洗发露", CATALOG_SORT_POPULAR, NULL, NULL, ANY, false, 0, 0};
	run_search(st, &c, out, sizeof(out));
	assert_string_equal(out, " / 0");
	c.query = "护发素";
	run_search(st, &c, out, sizeof(out));
	assert_string_equal(out, "8,12 / 2"); /* 9000 sold now: first */

	/* history: absent, a point per second (the later one stands), the
	 * latest `max` ascending */
	struct catalog_price_point pt = {0}, pts[4];
	int k = -1;
	assert_int_equal(st->catalog->history_last(st, 8, &pt, &err), TK_ENOTFOUND);
	assert_int_equal(st->catalog->history_get(st, 8, pts, 4, &k, &err), TK_OK);
	assert_int_equal(k, 0);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	for (int i = 0; i < 5; i++) {
		struct catalog_price_point a = {NOW + i * 10, 4000 + i, 4500 + i, 500};
		assert_int_equal(st->catalog->history_append(st, 8, &a, &err), TK_OK);
	}
	struct catalog_price_point again = {NOW + 40, 3999, 4499, 500};
	assert_int_equal(st->catalog->history_append(st, 8, &again, &err), TK_OK);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	assert_int_equal(st->catalog->history_last(st, 8, &pt, &err), TK_OK);
	assert_int_equal(pt.at, NOW + 40);
	assert_int_equal(pt.final_price, 3999);
	assert_int_equal(st->catalog->history_get(st, 8, pts, 3, &k, &err), TK_OK);
	assert_int_equal(k, 3);
	assert_int_equal(pts[0].at, NOW + 20);
	assert_int_equal(pts[1].final_price, 4003);
	assert_int_equal(pts[2].price, 4499);
	assert_int_equal(st->catalog->product_count(st, &products, &points, &err), TK_OK);
	assert_int_equal(points, 5);

}

static bool listed(void *ctx, int64_t id)
{
	struct ids *c = ctx;
	c->id[c->n++] = id;
	return c->n < 64;
}

static void check_feeds(struct store *st)
{
	struct tk_error err = {0};
	struct ids ids = {0};
	assert_int_equal(st->catalog->feed_listed(st, "taobao", listed, &ids, &err), TK_OK);
	assert_int_equal(ids.n, 1);
	assert_int_equal(ids.id[0], 8);
	ids.n = 0;
	assert_int_equal(st->catalog->feed_listed(st, "pdd", listed, &ids, &err), TK_OK);
	assert_int_equal(ids.n, 1);
	assert_int_equal(ids.id[0], 12);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(st->catalog->feed_gone(st, 8, NOW + 500, &err), TK_OK);
	assert_int_equal(st->catalog->feed_gone(st, 8, NOW + 900, &err), TK_OK); /* once */
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	ids.n = 0;
	assert_int_equal(st->catalog->feed_listed(st, "taobao", listed, &ids, &err), TK_OK);
	assert_int_equal(ids.n, 0);
	struct catalog_product p;
	assert_int_equal(st->catalog->product_get(st, "taobao", "p8", &p, &err), TK_OK);
	assert_int_equal(p.gone_at, NOW + 500);
	assert_int_equal(p.updated_at, NOW + 500);
	assert_true(p.feed);
}

static void test_products(void **state)
{
	struct fixture *f = *state;
	check_products(f->lite);
	check_products(f->pg);
	check_feeds(f->lite);
	check_feeds(f->pg);
}

static void similar(struct store *st, const char *category, const char *key, int64_t exclude,
		    int max, char *out, size_t size)
{
	struct catalog_grams g;
	struct ids ids = {0};
	struct tk_error err = {0};
	catalog_text_trigrams(key, &g);
	if (st->catalog->similar_candidates(st, category, &g, exclude, max, collect, &ids, &err))
		fail_msg("similar: %s", err.msg);
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < ids.n; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%lld", i ? "," : "",
				      (long long)ids.id[i]);
}

static void test_similar(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *category, *key;
		int64_t exclude;
		int max;
		const char *want;
	} cases[] = {
		{"洗护", "去屑洗发水", 1, 10, "2,7"},
		{"洗护", "海飞丝旗舰", 0, 10, "8,1"}, /* its shop, not 清扬旗舰店 */
		{"洗护", "去屑洗发水", 0, 1, "2"},
		{"配件", "iphone15钢化膜", 0, 10, "4,9"},
		{"洗护", "ab", 0, 10, "8,2,1,7"},        /* no trigram: best sellers */
		{"洗护", "", 8, 2, "2,1"},
		{"无", "洗发水", 0, 10, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char lite[256], pg[256];
		similar(f->lite, cases[i].category, cases[i].key, cases[i].exclude, cases[i].max,
			lite, sizeof(lite));
		similar(f->pg, cases[i].category, cases[i].key, cases[i].exclude, cases[i].max, pg,
			sizeof(pg));
		if (strcmp(lite, cases[i].want) != 0 || strcmp(pg, cases[i].want) != 0)
			fail_msg("similar \"%s\": want \"%s\", SQLite \"%s\", PostgreSQL \"%s\"",
				 cases[i].key, cases[i].want, lite, pg);
	}
}

/* ---- the team's figures, the scan, categories ---- */

struct scan_out {
	char text[1024];
	size_t o;
	int stop_after;
	int seen;
};

static bool scanned(void *ctx, const struct catalog_product *p,
		    const struct catalog_price_point *pts, int n,
		    const struct catalog_team_stats *team)
{
	struct scan_out *s = ctx;
	s->o += (size_t)snprintf(s->text + s->o, sizeof(s->text) - s->o, "%lld:%d:%lld/%lld/%lld ",
				 (long long)p->id, n, (long long)team->orders,
				 (long long)team->refunds, (long long)team->clicks);
	(void)pts;
	return ++s->seen != s->stop_after;
}

static void team(struct store *st, char *out, size_t size)
{
	struct tk_error err = {0};
	struct catalog_team_stats a, b, c;
	assert_int_equal(st->catalog->team_product(st, "taobao", "p1", &a, &err), TK_OK);
	assert_int_equal(st->catalog->team_product(st, "taobao", "nope", &b, &err), TK_OK);
	assert_int_equal(st->catalog->team_category(st, "洗护", &c, &err), TK_OK);
	struct scan_out s = {.stop_after = 3};
	assert_int_equal(st->catalog->scan(st, "", scanned, &s, &err), TK_OK);
	struct scan_out s2 = {.stop_after = -1};
	assert_int_equal(st->catalog->scan(st, "洗护", scanned, &s2, &err), TK_OK);
	struct catalog_category_stats cats[8];
	struct catalog_uncatalogued unc;
	int n = 0;
	assert_int_equal(st->catalog->category_stats(st, cats, 8, &n, &unc, &err), TK_OK);
	size_t o = (size_t)snprintf(out, size,
				    "p1 %lld/%lld/%lld; none %lld/%lld/%lld; 洗护 %lld/%lld/%lld;"
				    " scan %s| %s|",
				    (long long)a.orders, (long long)a.refunds, (long long)a.clicks,
				    (long long)b.orders, (long long)b.refunds, (long long)b.clicks,
				    (long long)c.orders, (long long)c.refunds, (long long)c.clicks,
				    s.text, s2.text);
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, size - o,
				      " %s=%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld",
				      cats[i].category, (long long)cats[i].products,
				      (long long)cats[i].orders, (long long)cats[i].refunds,
				      (long long)cats[i].units, (long long)cats[i].gmv,
				      (long long)cats[i].commission, (long long)cats[i].buyers,
				      (long long)cats[i].repeat_buyers,
				      (long long)cats[i].repurchase_gaps,
				      (long long)cats[i].repurchase_seconds, (long long)cats[i].clicks);
	snprintf(out + o, size - o, "; outside %lld/%lld/%lld", (long long)unc.orders,
		 (long long)unc.gmv, (long long)unc.commission);
	/* at most max categories */
	assert_int_equal(st->catalog->category_stats(st, cats, 2, &n, &unc, &err), TK_OK);
	assert_int_equal(n, 2);
}

static void test_team(void **state)
{
	struct fixture *f = *state;
	char lite[4096], pg[4096];
	team(f->lite, lite, sizeof(lite));
	team(f->pg, pg, sizeof(pg));
	static const char want[] =
		"p1 2/1/10; none 0/0/0; 洗护 3/1/10; scan 1:0:2/1/10 2:0:1/0/0 3:0:0/0/0 |"
		" 1:0:2/1/10 2:0:1/0/0 7:0:0/0/0 8:0:0/0/0 |"
		" 洗护=4,3,1,4,16970,3144,1,1,2,8000,10 配件=3,1,1,1,12900,1032,1,0,0,0,4"
		" 鞋服=2,0,0,0,0,0,0,0,0,0,0 手机=1,0,0,0,0,0,0,0,0,0,0 美妆=1,0,0,0,0,0,0,0,0,0,0; outside 1/100/10";
	if (strcmp(lite, want) != 0 || strcmp(pg, want) != 0)
		fail_msg("team figures:\n want %s\n SQLite %s\n PostgreSQL %s", want, lite, pg);
}

/* ---- templates ---- */

struct tpl_out {
	char text[512];
	size_t o;
	int left;
};

static bool tpl(void *ctx, const char *name, enum catalog_channel ch, const char *body,
		int64_t at)
{
	struct tpl_out *t = ctx;
	t->o += (size_t)snprintf(t->text + t->o, sizeof(t->text) - t->o, "%s/%s=%s@%lld ", name,
				 catalog_channel_name(ch), body, (long long)(at - NOW));
	return --t->left > 0;
}

static void templates(struct store *st, char *out, size_t size)
{
	struct tk_error err = {0};
	char body[CATALOG_TEMPLATE_MAX + 1];
	assert_int_equal(st->catalog->template_get(st, "daily", CHANNEL_TEXT, body, &err),
			 TK_ENOTFOUND);
	assert_int_equal(st->ops->tx_begin(st, &err), TK_OK);
	assert_int_equal(st->catalog->template_put(st, "daily", CHANNEL_WECOM, "w {title}", NOW, &err),
			 TK_OK);
	assert_int_equal(st->catalog->template_put(st, "daily", CHANNEL_TEXT, "t1", NOW, &err), TK_OK);
	assert_int_equal(st->catalog->template_put(st, "Zeta", CHANNEL_TEXT, "z", NOW + 1, &err),
			 TK_OK);
	assert_int_equal(st->catalog->template_put(st, "daily", CHANNEL_TEXT, "t2 {price}", NOW + 2,
						   &err),
			 TK_OK);
	assert_int_equal(st->ops->tx_commit(st, &err), TK_OK);
	assert_int_equal(st->catalog->template_get(st, "daily", CHANNEL_TEXT, body, &err), TK_OK);
	assert_string_equal(body, "t2 {price}");
	struct tpl_out all = {.left = 100}, two = {.left = 2};
	assert_int_equal(st->catalog->template_each(st, tpl, &all, &err), TK_OK);
	assert_int_equal(st->catalog->template_each(st, tpl, &two, &err), TK_OK);
	snprintf(out, size, "%s| %s", all.text, two.text);
}

static void test_templates(void **state)
{
	struct fixture *f = *state;
	char lite[1200], pg[1200];
	templates(f->lite, lite, sizeof(lite));
	templates(f->pg, pg, sizeof(pg));
	/* byte order: upper case before lower case */
	static const char want[] = "Zeta/text=z@1 daily/text=t2 {price}@2 daily/wecom=w {title}@0 "
				   "| Zeta/text=z@1 daily/text=t2 {price}@2 ";
	if (strcmp(lite, want) != 0 || strcmp(pg, want) != 0)
		fail_msg("templates: want \"%s\", SQLite \"%s\", PostgreSQL \"%s\"", want, lite, pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite_fts_text),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_agrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_similar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team, setup, teardown),
		cmocka_unit_test_setup_teardown(test_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_products, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

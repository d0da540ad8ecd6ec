/* bench_search.c — search latency of the product library (catalog_search:
 * FTS5 trigram and bigram indexes) beside a plain LIKE '%…%' scan of the
 * same products table, in the same run, over the same queries.
 *
 * Usage: bench_search DB [ROUNDS_FTS] [ROUNDS_LIKE]
 * Prints median, p99 and mean of both, their ratios, and the slowest
 * queries of each.  Built by bench/search/run.sh against the tuike
 * libraries. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "engine/engine.h"

struct query {
	const char *q;
	const char *category;
	int64_t min_price, min_commission;
	bool coupon_valid;
};

/* What operators type: product kinds, brands, model numbers and sizes in
 * mixed scripts, several terms, two-character words, shops, misses, and
 * filters. */
static const struct query queries[] = {
	{"洗发水", NULL, -1, -1, false},
	{"去屑洗发水", NULL, -1, -1, false},
	{"纸尿裤", NULL, -1, -1, false},
	{"空气炸锅", NULL, -1, -1, false},
	{"行车记录仪", NULL, -1, -1, false},
	{"婴儿奶粉", NULL, -1, -1, false},
	{"坚果礼盒", NULL, -1, -1, false},
	{"羽绒服", NULL, -1, -1, false},
	{"蓝牙耳机", NULL, -1, -1, false},
	{"海飞丝", NULL, -1, -1, false},
	{"三只松鼠", NULL, -1, -1, false},
	{"米其林", NULL, -1, -1, false},
	{"雅诗兰黛 精华液", NULL, -1, -1, false},
	{"iphone 15", NULL, -1, -1, false},
	{"iphone15", NULL, -1, -1, false},
	{"mate60 pro", NULL, -1, -1, false},
	{"redmi note13", NULL, -1, -1, false},
	{"20000mah", NULL, -1, -1, false},
	{"400ml", NULL, -1, -1, false},
	{"spf50+", NULL, -1, -1, false},
	{"海飞丝 洗发水", NULL, -1, -1, false},
	{"维达 抽纸 24包", NULL, -1, -1, false},
	{"小米 充电宝", NULL, -1, -1, false},
	{"耐克 跑步鞋 42码", NULL, -1, -1, false},
	{"洗发", NULL, -1, -1, false},
	{"奶粉", NULL, -1, -1, false},
	{"抽纸", NULL, -1, -1, false},
	{"15", NULL, -1, -1, false},
	{"鞋", NULL, -1, -1, false},
	{"天猫超市", NULL, -1, -1, false},
	{"京东自营", NULL, -1, -1, false},
	{"旗舰店", NULL, -1, -1, false},
	{"包邮", NULL, -1, -1, false},
	{"不存在的商品", NULL, -1, -1, false},
	{"洗发水", NULL, -1, -1, true},
	{"手机", "数码家电", 300000, -1, false},
	{"纸尿裤", NULL, -1, 1000, false},
	{"牛奶", "食品饮料", -1, -1, true},
	{"洗衣液", "日用百货", 3000, 500, true},
	{"机油 5w-30", NULL, -1, -1, false},
};
#define N_QUERIES (int)(sizeof(queries) / sizeof(queries[0]))

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct stats {
	double median, p99, mean, max;
};

static struct stats summarize(double *v, int n)
{
	struct stats s = {0};
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	for (int i = 0; i < n; i++)
		s.mean += v[i];
	s.mean /= n;
	s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	int k = (int)((double)n * 0.99 + 0.999999) - 1; /* nearest rank */
	s.p99 = v[k < 0 ? 0 : k];
	s.max = v[n - 1];
	return s;
}

static double run_fts(struct store *st, const struct query *q, enum catalog_sort sort,
		      int64_t now, int64_t *total)
{
	struct catalog_search_request r = {
		.query = q->q, .category = q->category, .min_price = q->min_price, .max_price = -1,
		.min_commission = q->min_commission, .coupon_valid = q->coupon_valid,
		.sort = sort, .page = 1, .per_page = 20, .now = now,
	};
	struct catalog_search_result res;
	struct tk_error err = {0};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (catalog_search(st, &r, &res, &err)) {
		fprintf(stderr, "search \"%s\": %s\n", q->q, err.msg);
		exit(1);
	}
	double ms = ms_since(&t0);
	*total = res.total;
	catalog_search_result_free(&res);
	return ms;
}

#define LIKE_COUPON \
	"(coupon > 0 AND coupon <= price AND price >= coupon_min" \
	" AND (coupon_start = 0 OR coupon_start <= :now) AND (coupon_end = 0 OR :now <= coupon_end))"
#define LIKE_FINAL "(CASE WHEN " LIKE_COUPON " THEN price - coupon ELSE price END)"

/* The reference: one plain scan that finds the same page (every term in
 * title, brand or shop by LIKE, same filters, best sellers first) and
 * counts the matches. */
static double run_like(sqlite3 *db, const struct query *q, int64_t now, int64_t *total)
{
	char sql[4096], terms[8][80];
	int n = 0, off;
	const char *s = q->q;
	while (*s && n < 8) {
		while (*s == ' ')
			s++;
		const char *e = strchr(s, ' ');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == 0)
			break;
		snprintf(terms[n++], sizeof(terms[0]), "%%%.*s%%", (int)len, s);
		s += len;
	}
	off = snprintf(sql, sizeof(sql), "SELECT id, count(*) OVER () FROM products WHERE 1");
	for (int i = 0; i < n; i++)
		off += snprintf(sql + off, sizeof(sql) - (size_t)off,
				" AND (title LIKE ?%d OR brand LIKE ?%d OR shop LIKE ?%d)", i + 1,
				i + 1, i + 1);
	if (q->category)
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, " AND category = :c");
	if (q->min_price >= 0)
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, " AND " LIKE_FINAL " >= :minp");
	if (q->min_commission >= 0)
		off += snprintf(sql + off, sizeof(sql) - (size_t)off,
				" AND (" LIKE_FINAL " * commission_bps) / 10000 >= :minc");
	if (q->coupon_valid)
		off += snprintf(sql + off, sizeof(sql) - (size_t)off, " AND " LIKE_COUPON);
	snprintf(sql + off, sizeof(sql) - (size_t)off, " ORDER BY sales DESC LIMIT 20");

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "like: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, terms[i], -1, SQLITE_STATIC);
	int k;
	if ((k = sqlite3_bind_parameter_index(st, ":c")))
		sqlite3_bind_text(st, k, q->category, -1, SQLITE_STATIC);
	if ((k = sqlite3_bind_parameter_index(st, ":minp")))
		sqlite3_bind_int64(st, k, q->min_price);
	if ((k = sqlite3_bind_parameter_index(st, ":minc")))
		sqlite3_bind_int64(st, k, q->min_commission);
	if ((k = sqlite3_bind_parameter_index(st, ":now")))
		sqlite3_bind_int64(st, k, now);
	*total = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return ms_since(&t0);
}

struct slow {
	double ms;
	int q;
};

static int cmp_slow(const void *a, const void *b)
{
	const struct slow *x = a, *y = b;
	return x->ms > y->ms ? -1 : x->ms < y->ms;
}

static void report(const char *name, double *v, int n, struct stats *out)
{
	*out = summarize(v, n);
	printf("%-22s %6d %10.3f %10.3f %10.3f %10.3f\n", name, n, out->median, out->p99,
	       out->mean, out->max);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_search DB [ROUNDS_FTS] [ROUNDS_LIKE]\n");
		return 2;
	}
	int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 25;
	int like_rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 2;
	if (rounds < 1 || rounds > 1000 || like_rounds < 1 || like_rounds > 100) {
		fprintf(stderr, "bench_search: rounds out of range\n");
		return 2;
	}
	struct engine *e;
	struct tk_error err = {0};
	struct store *st;
	if (store_open(argv[1], NULL, &st, &err) || engine_open(st, &e, &err)) {
		fprintf(stderr, "open: %s\n", err.msg);
		return 1;
	}
	struct store *st = engine_store(e);
	sqlite3 *db;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "open: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	int64_t products, points;
	if (st->catalog->product_count(st, &products, &points, &err)) {
		fprintf(stderr, "count: %s\n", err.msg);
		return 1;
	}
	int64_t now = engine_now();

	int nf = rounds * N_QUERIES, nl = like_rounds * N_QUERIES;
	double *fts = malloc((size_t)nf * sizeof(double));
	double *rel = malloc((size_t)nf * sizeof(double));
	double *like = malloc((size_t)nl * sizeof(double));
	struct slow *slow_fts = calloc(N_QUERIES, sizeof(*slow_fts));
	struct slow *slow_like = calloc(N_QUERIES, sizeof(*slow_like));
	int64_t *hits = calloc(N_QUERIES, sizeof(*hits));
	int64_t *like_hits = calloc(N_QUERIES, sizeof(*like_hits));

	/* one warm-up pass of each, so that both read from a warm cache */
	for (int q = 0; q < N_QUERIES; q++) {
		run_fts(st, &queries[q], CATALOG_SORT_POPULAR, now, &hits[q]);
		run_like(db, &queries[q], now, &like_hits[q]);
	}
	for (int r = 0, k = 0; r < rounds; r++)
		for (int q = 0; q < N_QUERIES; q++, k++) {
			int64_t t;
			fts[k] = run_fts(st, &queries[q], CATALOG_SORT_POPULAR, now, &t);
			if (fts[k] > slow_fts[q].ms)
				slow_fts[q] = (struct slow){fts[k], q};
			rel[k] = run_fts(st, &queries[q], CATALOG_SORT_RELEVANCE, now, &t);
		}
	for (int r = 0, k = 0; r < like_rounds; r++)
		for (int q = 0; q < N_QUERIES; q++, k++) {
			int64_t t;
			like[k] = run_like(db, &queries[q], now, &t);
			if (like[k] > slow_like[q].ms)
				slow_like[q] = (struct slow){like[k], q};
		}

	printf("products: %lld (%lld price points), queries: %d distinct\n", (long long)products,
	       (long long)points, N_QUERIES);
	printf("%-22s %6s %10s %10s %10s %10s\n", "milliseconds", "runs", "median", "p99", "mean",
	       "max");
	struct stats sf, sr, sl;
	report("fts (default sort)", fts, nf, &sf);
	report("fts --sort relevance", rel, nf, &sr);
	report("LIKE '%...%' scan", like, nl, &sl);
	printf("ratio LIKE / fts: median %.0fx, p99 %.0fx\n", sl.median / sf.median,
	       sl.p99 / sf.p99);
	printf("target: fts p99 < 20 ms: %s (%.3f ms)\n", sf.p99 < 20 ? "met" : "NOT met", sf.p99);

	qsort(slow_fts, N_QUERIES, sizeof(*slow_fts), cmp_slow);
	qsort(slow_like, N_QUERIES, sizeof(*slow_like), cmp_slow);
	printf("slowest fts queries (worst run, matches):\n");
	for (int i = 0; i < 5; i++)
		printf("  %8.3f ms  %-20s %lld%s\n", slow_fts[i].ms, queries[slow_fts[i].q].q,
		       (long long)hits[slow_fts[i].q], hits[slow_fts[i].q] >= CATALOG_COUNT_CAP ? "+" : "");
	printf("slowest LIKE queries:\n");
	for (int i = 0; i < 3; i++)
		printf("  %8.3f ms  %-20s %lld\n", slow_like[i].ms, queries[slow_like[i].q].q,
		       (long long)like_hits[slow_like[i].q]);

	free(fts);
	free(rel);
	free(like);
	free(slow_fts);
	free(slow_like);
	free(hits);
	free(like_hits);
	sqlite3_close(db);
	engine_close(e);
	return 0;
}

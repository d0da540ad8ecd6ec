/* test_catalog_store.c — the product library on a real database: import,
 * update and price history; Chinese and mixed-script search checked
 * against a brute-force substring scan (terms, filters, paging);
 * substitutes; the ranking; copy text with a member's link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "core/tktime.h"
#include "engine/engine.h"
#include "fresh_db.h"

static int64_t at(const char *iso)
{
	int64_t t;
	assert_true(tktime_parse_iso8601(iso, &t));
	return t;
}

struct db {
	char path[256];
	struct engine *e;
	struct store *st;
};

static struct db *db_open(void)
{
	struct db *d = calloc(1, sizeof(*d));
	struct tk_error err = {0};
	assert_true(test_db_fresh(d->path, sizeof(d->path)));
	struct store *st;
	if (store_open(d->path, NULL, &st, &err) || engine_open(st, &d->e, &err))
		fail_msg("open: %s", err.msg);
	d->st = engine_store(d->e);
	return d;
}

static void db_close(struct db *d)
{
	engine_close(d->e);
	test_db_remove(d->path);
	free(d);
}

static void reject_count(void *ctx, const struct tk_error *err)
{
	(void)err;
	++*(int *)ctx;
}

static struct catalog_import_stats import_text(struct db *d, const char *text, int64_t now,
					       bool atomic)
{
	struct catalog_import_stats s;
	struct tk_error err = {0};
	int rejected = 0;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	if (catalog_import(d->st, f, "test.jsonl", now, atomic, &s, reject_count, &rejected, &err))
		fail_msg("import: %s", err.msg);
	fclose(f);
	assert_int_equal(rejected, s.rejected);
	return s;
}

static struct catalog_import_stats import_fixture(struct db *d, const char *name, int64_t now)
{
	char path[512];
	const char *dir = getenv("TUIKE_FIXTURES");
	snprintf(path, sizeof(path), "%s/products/%s", dir ? dir : "tests/fixtures", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	struct catalog_import_stats s;
	struct tk_error err = {0};
	int rejected = 0;
	if (catalog_import(d->st, f, path, now, false, &s, reject_count, &rejected, &err))
		fail_msg("import: %s", err.msg);
	fclose(f);
	return s;
}

static int64_t count_products(struct db *d)
{
	int64_t n, pts;
	struct tk_error err = {0};
	assert_int_equal(d->st->catalog->product_count(d->st, &n, &pts, &err), TK_OK);
	return n;
}

static const char hfs[] =
	"{\"union\":\"jd\",\"product\":\"1\",\"title\":\"海飞丝去屑洗发水 400ml\",\"category\":\"美妆个护\","
	"\"brand\":\"海飞丝\",\"price\":5990,\"coupon\":1000,"
	"\"coupon_end\":\"2026-11-30T23:59:59+08:00\",\"commission_bps\":2000,\"sales\":100}\n";

static void test_import_update_history(void **state)
{
	(void)state;
	struct db *d = db_open();
	struct tk_error err = {0};
	int64_t t1 = at("2026-11-01T10:00:00+08:00");
	struct catalog_import_stats s = import_text(d, hfs, t1, false);
	assert_int_equal(s.inserted, 1);

	/* the same record again: nothing changes, no new point */
	s = import_text(d, hfs, t1 + 3600, false);
	assert_int_equal(s.unchanged, 1);
	assert_int_equal(s.price_changes, 0);

	/* a new price: updated, a point appended */
	char line[1024];
	snprintf(line, sizeof(line), "%s", hfs);
	memcpy(strstr(line, "5990"), "5490", 4);
	s = import_text(d, line, t1 + 86400, false);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.price_changes, 1);

	/* only the sales changed: updated, but the price did not move */
	snprintf(line, sizeof(line), "%s", hfs);
	memcpy(strstr(line, "5990"), "5490", 4);
	memcpy(strstr(line, "\"sales\":100"), "\"sales\":200", 11);
	s = import_text(d, line, t1 + 2 * 86400, false);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.price_changes, 0);

	/* the coupon ended: the same record now costs more, a point */
	s = import_text(d, line, at("2026-12-01T10:00:00+08:00"), false);
	assert_int_equal(s.unchanged, 1);
	assert_int_equal(s.price_changes, 1);

	struct catalog_detail det;
	int64_t now = at("2026-12-02T10:00:00+08:00");
	assert_int_equal(catalog_show(d->st, "jd", "1", 0, now, &catalog_weights_default, &det,
				      &err), TK_OK);
	assert_int_equal(det.n_points, 3);
	assert_int_equal(det.points[0].final_price, 4990);
	assert_int_equal(det.points[1].final_price, 4490);
	assert_int_equal(det.points[2].final_price, 5490);
	assert_int_equal(det.points[2].coupon, 0);
	const struct catalog_history_summary *h = &det.scored.history;
	assert_int_equal(h->current, 5490);
	assert_int_equal(h->lowest, 4490);
	assert_int_equal(h->highest, 5490);
	assert_false(h->at_lowest);
	assert_int_equal(h->lowest_last_at, at("2026-12-01T10:00:00+08:00"));
	assert_int_equal(det.scored.product.sales, 200);
	assert_int_equal(det.scored.product.first_seen_at, t1);
	catalog_detail_free(&det);

	assert_int_equal(catalog_show(d->st, "jd", "nope", 0, now, &catalog_weights_default, &det,
				      &err), TK_ENOTFOUND);
	db_close(d);
}

static void test_bad_lines(void **state)
{
	(void)state;
	struct db *d = db_open();
	int64_t now = at("2026-11-10T10:00:00+08:00");
	char text[4096];
	snprintf(text, sizeof(text), "%s%s%s", hfs,
		 "{\"union\":\"jd\",\"product\":\"2\",\"title\":\"坏\",\"price\":9.9,\"commission_bps\":1}\n",
		 "{\"union\":\"jd\",\"product\":\"3\",\"title\":\"好\",\"price\":990,\"commission_bps\":1}\n");
	/* atomic: one bad line and nothing is applied */
	struct catalog_import_stats s = import_text(d, text, now, true);
	assert_true(s.rolled_back);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(count_products(d), 0);
	/* default: the bad line alone is left out */
	s = import_text(d, text, now, false);
	assert_int_equal(s.inserted, 2);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(count_products(d), 2);

	/* no reporter: the bad line is still left out */
	struct tk_error err = {0};
	FILE *f = fmemopen(text, strlen(text), "r");
	assert_int_equal(catalog_import(d->st, f, "x.jsonl", now, false, &s, NULL, NULL, &err),
			 TK_OK);
	fclose(f);
	assert_int_equal(s.unchanged, 2);
	assert_int_equal(s.rejected, 1);
	db_close(d);
}

struct last_err {
	struct tk_error e;
};

static void keep_err(void *ctx, const struct tk_error *err)
{
	((struct last_err *)ctx)->e = *err;
}

static void test_error_message(void **state)
{
	(void)state;
	struct db *d = db_open();
	const char *text = "\n{\"union\":\"jd\",\"product\":\"2\",\"title\":\"t\",\"price\":9.9,"
			   "\"commission_bps\":1}\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct last_err le = {0};
	struct catalog_import_stats s;
	struct tk_error err = {0};
	assert_int_equal(catalog_import(d->st, f, "x.jsonl", 1, false, &s, keep_err, &le, &err),
			 TK_OK);
	fclose(f);
	char buf[1024];
	tk_error_format(&le.e, buf, sizeof(buf));
	assert_string_equal(buf, "x.jsonl:2: price: must be an integer number of fen, got 9.9");
	db_close(d);
}

/* ---- search against a brute-force scan ---- */

struct all {
	int n;
	struct catalog_product *p;
};

static bool collect_all(void *ctx, const struct catalog_product *p,
			const struct catalog_price_point *pts, int n,
			const struct catalog_team_stats *team)
{
	(void)pts, (void)n, (void)team;
	struct all *a = ctx;
	a->p = realloc(a->p, (size_t)(a->n + 1) * sizeof(*a->p));
	a->p[a->n++] = *p;
	return true;
}

static bool oracle_match(const struct catalog_product *p, const struct catalog_terms *t,
			 const struct catalog_search_request *r)
{
	char title[CATALOG_TITLE_MAX], brand[CATALOG_NAME_MAX], shop[CATALOG_NAME_MAX];
	assert_true(catalog_text_compact(p->title, strlen(p->title), title, sizeof(title)));
	assert_true(catalog_text_compact(p->brand, strlen(p->brand), brand, sizeof(brand)));
	assert_true(catalog_text_compact(p->shop, strlen(p->shop), shop, sizeof(shop)));
	for (int i = 0; i < t->n; i++)
		if (!strstr(title, t->term[i].text) && !strstr(brand, t->term[i].text) &&
		    !strstr(shop, t->term[i].text))
			return false;
	int64_t final = catalog_final_price(p, r->now);
	if (r->union_ && strcmp(r->union_, p->union_))
		return false;
	if (r->category && strcmp(r->category, p->category))
		return false;
	if (r->min_price >= 0 && final < r->min_price)
		return false;
	if (r->max_price >= 0 && final > r->max_price)
		return false;
	if (r->min_commission >= 0 && catalog_commission_per_unit(p, r->now) < r->min_commission)
		return false;
	if (r->coupon_valid && !catalog_coupon_valid(p, r->now))
		return false;
	return true;
}

/* Runs a search through every page and checks it returns exactly the
 * products the oracle picks, each once; returns how many. */
static int check_search(struct db *d, const struct all *a, struct catalog_search_request r)
{
	struct tk_error err = {0};
	struct catalog_terms t;
	assert_int_equal(catalog_terms_parse(r.query, &t, &err), TK_OK);
	int want = 0;
	for (int i = 0; i < a->n; i++)
		want += oracle_match(&a->p[i], &t, &r);

	char *seen = calloc((size_t)a->n + 1, 1);
	int got = 0;
	int64_t total = -1;
	bool exact = false;
	for (r.page = 1;; r.page++) {
		struct catalog_search_result res;
		if (catalog_search(d->st, &r, &res, &err))
			fail_msg("search \"%s\": %s", r.query, err.msg);
		if (total < 0) {
			total = res.total;
			exact = res.total_exact;
		}
		assert_int_equal(res.total, total);
		for (int i = 0; i < res.n; i++) {
			int k;
			for (k = 0; k < a->n; k++)
				if (a->p[k].id == res.items[i].id)
					break;
			assert_true(k < a->n);
			if (seen[k])
				fail_msg("search \"%s\" returned %s twice", r.query, a->p[k].title);
			if (!oracle_match(&a->p[k], &t, &r))
				fail_msg("search \"%s\" returned %s", r.query, a->p[k].title);
			seen[k] = 1;
			got++;
		}
		int n = res.n;
		catalog_search_result_free(&res);
		if (n < r.per_page)
			break;
	}
	free(seen);
	if (got != want)
		fail_msg("search \"%s\": %d results, the scan finds %d", r.query, got, want);
	/* counted exactly up to the cap, then "at least the cap" */
	assert_int_equal(total, want < CATALOG_COUNT_CAP ? want : CATALOG_COUNT_CAP);
	assert_int_equal(exact, want <= CATALOG_COUNT_CAP);
	return got;
}

static struct catalog_search_request req(const char *q, int64_t now)
{
	struct catalog_search_request r = {
		.query = q, .min_price = -1, .max_price = -1, .min_commission = -1,
		.sort = CATALOG_SORT_POPULAR, .page = 1, .per_page = 100, .now = now,
	};
	return r;
}

static void load_all(struct db *d, struct all *a)
{
	struct tk_error err = {0};
	memset(a, 0, sizeof(*a));
	assert_int_equal(d->st->catalog->scan(d->st, "", collect_all, a, &err), TK_OK);
}

static bool first_title_has(struct db *d, const char *q, int64_t now, const char *title)
{
	struct catalog_search_request r = req(q, now);
	struct catalog_search_result res;
	struct tk_error err = {0};
	assert_int_equal(catalog_search(d->st, &r, &res, &err), TK_OK);
	bool found = false;
	for (int i = 0; i < res.n; i++)
		found |= strstr(res.items[i].title, title) != NULL;
	catalog_search_result_free(&res);
	return found;
}

static void test_search_fixture(void **state)
{
	(void)state;
	struct db *d = db_open();
	int64_t now = at("2026-11-10T10:00:00+08:00");
	struct catalog_import_stats s = import_fixture(d, "catalog.jsonl", now);
	assert_int_equal(s.inserted, 10);
	struct all a;
	load_all(d, &a);

	/* the examples of the requirement */
	assert_true(first_title_has(d, "洗发水", now, "海飞丝去屑洗发水 400ml"));
	assert_true(first_title_has(d, "iphone 15", now, "苹果 Apple iPhone15"));
	assert_true(first_title_has(d, "iPhone15", now, "苹果 iPhone 15 Pro Max"));
	assert_true(first_title_has(d, "ＩＰＨＯＮＥ１５", now, "苹果 Apple iPhone15"));
	assert_false(first_title_has(d, "洗发水", now, "维达抽纸"));

	const char *queries[] = {
		"洗发水", "洗发", "去屑 洗发", "iphone 15", "15", "iphone15", "海飞丝", "旗舰店",
		"自营", "水", "l", "400ml", "750", "3层120抽", "mate60", "pro max", "x", "苹果 256gb",
		"天猫超市", "不存在的商品", "a4", "洗 发", "5g手机",
	};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		struct catalog_search_request r = req(queries[i], now);
		check_search(d, &a, r);
		/* every sort returns the same set */
		for (int srt = 0; srt < CATALOG_SORT_COUNT_; srt++) {
			r.sort = (enum catalog_sort)srt;
			r.per_page = 3;
			check_search(d, &a, r);
		}
	}
	free(a.p);
	db_close(d);
}

static void test_search_filters_paging(void **state)
{
	(void)state;
	struct db *d = db_open();
	struct tk_error err = {0};
	int64_t now = at("2026-11-10T10:00:00+08:00");
	struct catalog_generate_stats g;
	assert_int_equal(catalog_generate(d->st, 3000, 0, 7, now, &g, &err), TK_OK);
	assert_int_equal(g.products, 3000);
	struct all a;
	load_all(d, &a);
	assert_int_equal(a.n, 3000);

	/* terms drawn from titles, brands and shops: 1 to 4 characters, one
	 * or two terms, with and without filters */
	uint64_t rng = 12345;
	int nonempty = 0;
	for (int k = 0; k < 150; k++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		const struct catalog_product *p = &a.p[(rng >> 33) % (uint64_t)a.n];
		char compact[CATALOG_TITLE_MAX], q[64] = "";
		assert_true(catalog_text_compact(p->title, strlen(p->title), compact,
						 sizeof(compact)));
		size_t chars = catalog_text_chars(compact);
		for (int term = 0; term < 1 + (int)((rng >> 20) % 2); term++) {
			size_t len = 1 + (rng >> (24 + term * 4)) % 4, from = (rng >> 40) % chars;
			if (from + len > chars)
				from = chars - len;
			/* byte offsets of characters from..from+len */
			size_t b = 0, c = 0, start = 0;
			for (; compact[b]; b++)
				if (((unsigned char)compact[b] & 0xC0) != 0x80) {
					if (c == from)
						start = b;
					if (c == from + len)
						break;
					c++;
				}
			size_t n = strlen(q);
			snprintf(q + n, sizeof(q) - n, "%s%.*s", n ? " " : "", (int)(b - start),
				 compact + start);
		}
		struct catalog_search_request r = req(q, now);
		r.per_page = 50;
		switch (k % 6) {
		case 1: r.union_ = p->union_; break;
		case 2: r.category = p->category; break;
		case 3: r.min_price = 5000; r.max_price = 30000; break;
		case 4: r.min_commission = 500; break;
		case 5: r.coupon_valid = true; r.sort = CATALOG_SORT_PRICE; break;
		}
		if (k % 6 == 0)
			r.sort = (enum catalog_sort)(k % CATALOG_SORT_COUNT_);
		nonempty += check_search(d, &a, r) > 0;
	}
	assert_true(nonempty > 100);

	/* paging: the pages of a sort put together are the first page of all */
	struct catalog_search_request r = req("洗发水", now);
	r.sort = CATALOG_SORT_PRICE;
	struct catalog_search_result all, page;
	assert_int_equal(catalog_search(d->st, &r, &all, &err), TK_OK);
	assert_true(all.n > 20);
	r.per_page = 7;
	for (int i = 0; i < all.n; i++) {
		if (i % 7 == 0) {
			if (i)
				catalog_search_result_free(&page);
			r.page = i / 7 + 1;
			assert_int_equal(catalog_search(d->st, &r, &page, &err), TK_OK);
			assert_int_equal(page.total, all.total);
		}
		assert_int_equal(page.items[i % 7].id, all.items[i].id);
		if (i > 0)
			assert_true(catalog_final_price(&all.items[i - 1], now) <=
				    catalog_final_price(&all.items[i], now));
	}
	catalog_search_result_free(&page);
	catalog_search_result_free(&all);

	/* limits */
	r = req("洗发水", now);
	r.per_page = 101;
	assert_int_equal(catalog_search(d->st, &r, &all, &err), TK_ELIMIT);
	r.per_page = 100;
	r.page = 101;
	assert_int_equal(catalog_search(d->st, &r, &all, &err), TK_ELIMIT);
	r = req("", now);
	assert_int_equal(catalog_search(d->st, &r, &all, &err), TK_EINVAL);
	r = req("洗发水", now);
	r.union_ = "amazon";
	assert_int_equal(catalog_search(d->st, &r, &all, &err), TK_EINVAL);
	free(a.p);
	db_close(d);
}

static void test_substitutes_and_top(void **state)
{
	(void)state;
	struct db *d = db_open();
	struct tk_error err = {0};
	int64_t now = at("2026-11-10T10:00:00+08:00");
	import_fixture(d, "catalog.jsonl", now);

	struct catalog_detail det;
	assert_int_equal(catalog_show(d->st, "jd", "100000000001", 5, now,
				      &catalog_weights_default, &det, &err), TK_OK);
	assert_int_equal(det.n_subs, 2);
	/* other brands' anti-dandruff shampoo, most commission first */
	assert_string_equal(det.subs[0].product.product, "100000000002"); /* 潘婷 14.97 */
	assert_string_equal(det.subs[1].product.product, "600000000003"); /* 清扬 8.98 */
	assert_int_equal(det.subs[0].earn, 1497);
	assert_true(det.subs[0].similarity >= CATALOG_SIMILAR_MIN);
	catalog_detail_free(&det);

	/* no substitutes across categories or price bands */
	assert_int_equal(catalog_show(d->st, "jd", "100000000004", 5, now,
				      &catalog_weights_default, &det, &err), TK_OK);
	for (int i = 0; i < det.n_subs; i++)
		assert_string_equal(det.subs[i].product.category, "数码家电");
	catalog_detail_free(&det);

	struct catalog_scored *top;
	int n;
	assert_int_equal(catalog_top(d->st, NULL, 10, now, &catalog_weights_default, &top, &n,
				     &err), TK_OK);
	assert_int_equal(n, 10);
	for (int i = 1; i < n; i++)
		assert_true(catalog_score_cmp(&top[i - 1].score, top[i - 1].product.id,
					      &top[i].score, top[i].product.id) < 0);
	free(top);
	assert_int_equal(catalog_top(d->st, "美妆个护", 2, now, &catalog_weights_default, &top,
				     &n, &err), TK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(top[0].product.category, "美妆个护");
	free(top);
	assert_int_equal(catalog_top(d->st, NULL, 0, now, &catalog_weights_default, &top, &n,
				     &err), TK_ELIMIT);
	db_close(d);
}

static void test_copy_link(void **state)
{
	(void)state;
	struct db *d = db_open();
	struct tk_error err = {0};
	int64_t now = at("2026-11-10T10:00:00+08:00");
	import_fixture(d, "catalog.jsonl", now);
	char *out = malloc(CATALOG_COPY_BUF);
	bool cut;
	struct catalog_copy_request r = {
		.union_ = "taobao", .product = "600000000003", .template_name = "short",
		.channel = CHANNEL_TEXT, .invite_code = "AB12CD34", .now = now, .window_days = 90,
	};
	assert_int_equal(catalog_copy(d->st, &r, out, &cut, &err), TK_OK);
	assert_string_equal(out, "清扬男士去屑洗发水 750ml 控油 到手¥59.90 "
				 "https://detail.tmall.com/item.htm?id=600000000003&tk=AB12CD34");
	/* an operator's template overrides the built-in */
	assert_int_equal(catalog_template_set(d->st, "short", CHANNEL_TEXT, "{brand}:{final_price}",
					      now, &err), TK_OK);
	assert_int_equal(catalog_copy(d->st, &r, out, &cut, &err), TK_OK);
	assert_string_equal(out, "清扬:59.90");
	assert_int_equal(catalog_template_set(d->st, "bad", CHANNEL_TEXT, "{nope}", now, &err),
			 TK_EINVAL);
	assert_int_equal(catalog_template_set(d->st, "bad name", CHANNEL_TEXT, "x", now, &err),
			 TK_EINVAL);
	r.template_name = "missing";
	assert_int_equal(catalog_copy(d->st, &r, out, &cut, &err), TK_ENOTFOUND);
	free(out);

	char link[CATALOG_LINK_MAX];
	assert_int_equal(catalog_link("https://a.com/x", "C0DE", link, &err), TK_OK);
	assert_string_equal(link, "https://a.com/x?tk=C0DE");
	assert_int_equal(catalog_link("https://a.com/x?id=1#top", "C0DE", link, &err), TK_OK);
	assert_string_equal(link, "https://a.com/x?id=1&tk=C0DE#top");
	assert_int_equal(catalog_link("https://a.com/x?", "C0DE", link, &err), TK_OK);
	assert_string_equal(link, "https://a.com/x?tk=C0DE");
	assert_int_equal(catalog_link("https://a.com/x", NULL, link, &err), TK_OK);
	assert_string_equal(link, "https://a.com/x");
	assert_int_equal(catalog_link("https://a.com/x", "a&b", link, &err), TK_EINVAL);
	db_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_update_history),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test(test_search_fixture),
		cmocka_unit_test(test_search_filters_paging),
		cmocka_unit_test(test_substitutes_and_top),
		cmocka_unit_test(test_copy_link),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

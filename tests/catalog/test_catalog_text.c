/* test_catalog_text.c — compact normal form, query terms, index bigrams and
 * title similarity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_text.h"

static void compact_is(const char *in, const char *want)
{
	char out[512];
	assert_true(catalog_text_compact(in, strlen(in), out, sizeof(out)));
	assert_string_equal(out, want);
}

static void test_compact(void **state)
{
	(void)state;
	compact_is("海飞丝去屑洗发水 400ml", "海飞丝去屑洗发水400ml");
	compact_is("苹果 iPhone15", "苹果iphone15");
	compact_is("苹果 Apple iPhone 15 Pro Max", "苹果appleiphone15promax");
	/* full-width letters and digits, ideographic space */
	compact_is("ｉＰｈｏｎｅ　１５", "iphone15");
	/* punctuation of both scripts is a separator */
	compact_is("【限时特惠】维达抽纸（3层120抽*24包）！", "限时特惠维达抽纸3层120抽24包");
	/* a decimal point is kept between digits only */
	compact_is("可乐 1.5L. 装", "可乐1.5l装");
	compact_is("Redmi Note13 Pro+", "redminote13pro+");
	compact_is("🔥爆款🔥", "爆款");
	compact_is("", "");
}

static void test_compact_limits(void **state)
{
	(void)state;
	char out[8];
	assert_false(catalog_text_compact("洗发水洗发水", strlen("洗发水洗发水"), out, sizeof(out)));
	assert_false(catalog_text_compact("\xff\xfe", 2, out, sizeof(out)));
	/* overlong encoding and a surrogate */
	assert_false(catalog_text_compact("\xc0\xaf", 2, out, sizeof(out)));
	assert_false(catalog_text_compact("\xed\xa0\x80", 3, out, sizeof(out)));
	/* a truncated sequence */
	assert_false(catalog_text_compact("\xe6\xb4", 2, out, sizeof(out)));
}

static void test_clean(void **state)
{
	(void)state;
	assert_true(catalog_text_clean("洗发水 400ml", strlen("洗发水 400ml")));
	assert_false(catalog_text_clean("a\nb", 3));
	assert_false(catalog_text_clean("a\tb", 3));
	assert_false(catalog_text_clean("\xe6\xb4", 2));
	assert_true(catalog_text_clean_multiline("a\nb\tc"));
	assert_false(catalog_text_clean_multiline("a\rb"));
}

static void test_terms(void **state)
{
	(void)state;
	struct catalog_terms t;
	struct tk_error err = {0};
	assert_int_equal(catalog_terms_parse("iphone 15", &t, &err), TK_OK);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.term[0].text, "iphone");
	assert_int_equal(t.term[0].chars, 6);
	assert_string_equal(t.term[1].text, "15");
	assert_int_equal(t.term[1].chars, 2);

	assert_int_equal(catalog_terms_parse("  洗发水，海飞丝 洗发水 ", &t, &err), TK_OK);
	assert_int_equal(t.n, 2); /* the duplicate is dropped */
	assert_string_equal(t.term[0].text, "洗发水");
	assert_int_equal(t.term[0].chars, 3);
	assert_string_equal(t.term[1].text, "海飞丝");

	assert_int_equal(catalog_terms_parse("ＩＰＨＯＮＥ", &t, &err), TK_OK);
	assert_string_equal(t.term[0].text, "iphone");
}

static void test_terms_errors(void **state)
{
	(void)state;
	struct catalog_terms t;
	struct tk_error err = {0};
	assert_int_equal(catalog_terms_parse("", &t, &err), TK_EINVAL);
	assert_int_equal(catalog_terms_parse(" ，。!! ", &t, &err), TK_EINVAL);
	assert_string_equal(err.field, "query");
	assert_int_equal(catalog_terms_parse("a b c d e f g h i", &t, &err), TK_ELIMIT);
	char long_term[100];
	memset(long_term, 'a', 65);
	long_term[65] = '\0';
	assert_int_equal(catalog_terms_parse(long_term, &t, &err), TK_ELIMIT);
	char huge[400];
	memset(huge, 'a', 399);
	huge[399] = '\0';
	assert_int_equal(catalog_terms_parse(huge, &t, &err), TK_ELIMIT);
	assert_int_equal(catalog_terms_parse("\xff", &t, &err), TK_EINVAL);
}

static void test_long_terms_and_trigrams(void **state)
{
	(void)state;
	struct catalog_terms t;
	struct catalog_grams g;
	struct tk_error err = {0};
	assert_int_equal(catalog_terms_parse("海飞丝 洗发 15 x", &t, &err), TK_OK);
	assert_false(catalog_terms_all_long(&t));
	assert_int_equal(catalog_terms_parse("iphone15 去屑洗发水", &t, &err), TK_OK);
	assert_true(catalog_terms_all_long(&t));
	/* every trigram of a short key, in order */
	catalog_text_trigrams("海飞丝洗发水", &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.gram[0], "海飞丝");
	assert_string_equal(g.gram[3], "洗发水");
	/* at most 16, spread from the start to the end */
	catalog_text_trigrams("abcdefghijklmnopqrstuvwxyz0123456789", &g);
	assert_int_equal(g.n, CATALOG_GRAMS_MAX);
	assert_string_equal(g.gram[0], "abc");
	assert_string_equal(g.gram[1], "cde");
	assert_string_equal(g.gram[15], "567");
	catalog_text_trigrams("ab", &g);
	assert_int_equal(g.n, 0);
}

static void test_bigrams(void **state)
{
	(void)state;
	char out[256] = "";
	assert_true(catalog_text_bigrams("洗发水", out, sizeof(out)));
	assert_string_equal(out, "洗发 发水 水");
	assert_true(catalog_text_bigrams("15", out, sizeof(out)));
	assert_string_equal(out, "洗发 发水 水 15 5");
	char one[8] = "";
	assert_true(catalog_text_bigrams("a", one, sizeof(one)));
	assert_string_equal(one, "a");
	char small[6] = "";
	assert_false(catalog_text_bigrams("洗发水", small, sizeof(small)));
}

static void test_similarity(void **state)
{
	(void)state;
	assert_int_equal(catalog_text_similarity("去屑洗发水400ml", "去屑洗发水400ml"), 1000);
	int close = catalog_text_similarity("去屑洗发水400ml", "去屑洗发水750ml");
	int far = catalog_text_similarity("去屑洗发水400ml", "行车记录仪4k");
	assert_true(close > 600);
	assert_true(far < 100);
	assert_int_equal(catalog_text_similarity("a", "a"), 1000);
	assert_int_equal(catalog_text_similarity("a", "b"), 0);
	assert_int_equal(catalog_text_similarity("", "abc"), 0);
	/* symmetric */
	assert_int_equal(catalog_text_similarity("洗发水", "洗发水护发素"),
			 catalog_text_similarity("洗发水护发素", "洗发水"));
}

static void test_remove(void **state)
{
	(void)state;
	char s[64] = "海飞丝去屑洗发水海飞丝";
	catalog_text_remove(s, "海飞丝");
	assert_string_equal(s, "去屑洗发水");
	catalog_text_remove(s, "");
	assert_string_equal(s, "去屑洗发水");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_compact_limits),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_terms_errors),
		cmocka_unit_test(test_long_terms_and_trigrams),
		cmocka_unit_test(test_bigrams),
		cmocka_unit_test(test_similarity),
		cmocka_unit_test(test_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_web_files.c — the web files' encodings: Accept-Encoding read by its
 * q-values, the choice of brotli, gzip or identity for a file, and the
 * pairing at load of x.br / x.gz with x (their ETags one family, each its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/web_files.h"

static void expect_q(const char *header, int identity, int br, int gzip)
{
	int q[WEB_ENCODINGS];
	web_accept_encoding(header, q);
	if (q[WEB_IDENTITY] != identity || q[WEB_BR] != br || q[WEB_GZIP] != gzip)
		fail_msg("Accept-Encoding \"%s\": identity %d br %d gzip %d, expected %d %d %d",
			 header ? header : "(none)", q[WEB_IDENTITY], q[WEB_BR], q[WEB_GZIP],
			 identity, br, gzip);
}

static void test_accept_encoding_q_values(void **state)
{
	(void)state;
	expect_q(NULL, 1, 0, 0);
	expect_q("", 1, 0, 0);
	expect_q("gzip, deflate, br, zstd", 1, 1000, 1000);   /* Chromium's */
	expect_q("gzip", 1, 0, 1000);
	expect_q("GZIP,BR", 1, 1000, 1000);
	expect_q("x-gzip", 1, 0, 1000);
	/* q=0 means "not this one", in every spelling */
	expect_q("br;q=0, gzip", 1, 0, 1000);
	expect_q("gzip;q=0", 1, 0, 0);
	expect_q("gzip;q=0.0, br;q=0.000", 1, 0, 0);
	expect_q("gzip ; q = 0 ,br", 1, 1000, 0);
	expect_q("br;q=0.5, gzip;q=0.8", 1, 500, 800);
	expect_q("br;q=1.000", 1, 1000, 0);
	expect_q("gzip;Q=0.25", 1, 0, 250);
	/* malformed q values refuse their coding */
	expect_q("br;q=2, gzip;q=0.1234", 1, 0, 0);
	expect_q("br;q=1.5, gzip;q=abc", 1, 0, 0);
	expect_q("br;q=, gzip;q=.5", 1, 0, 0);
	/* other parameters are ignored; q among them still counts */
	expect_q("br;level=5;q=0.3", 1, 300, 0);
	/* the wildcard: every coding not named */
	expect_q("*", 1000, 1000, 1000);
	expect_q("*;q=0", 0, 0, 0);
	expect_q("*;q=0, gzip", 0, 0, 1000);
	expect_q("br;q=0, *", 1000, 0, 1000);
	expect_q("identity;q=0, gzip", 0, 0, 1000);
	/* a coding named twice: the first counts */
	expect_q("gzip;q=0, gzip", 1, 0, 0);
	/* codings we do not have are read past */
	expect_q("zstd, deflate;q=0.5, compress", 1, 0, 0);
	expect_q(" , ,br", 1, 1000, 0);
}

static void test_pick_encoding(void **state)
{
	(void)state;
	unsigned char byte = 0;
	struct web_file all = {0}, gz_only = {0}, plain = {0};
	all.body[WEB_IDENTITY].data = all.body[WEB_BR].data = all.body[WEB_GZIP].data = &byte;
	gz_only.body[WEB_IDENTITY].data = gz_only.body[WEB_GZIP].data = &byte;
	plain.body[WEB_IDENTITY].data = &byte;

	assert_int_equal(web_pick_encoding(&all, "gzip, deflate, br, zstd"), WEB_BR);
	assert_int_equal(web_pick_encoding(&all, "gzip"), WEB_GZIP);
	assert_int_equal(web_pick_encoding(&all, "br;q=0.5, gzip;q=0.8"), WEB_GZIP);
	assert_int_equal(web_pick_encoding(&all, "br;q=0, gzip;q=0"), WEB_IDENTITY);
	assert_int_equal(web_pick_encoding(&all, "gzip;q=0"), WEB_IDENTITY);
	assert_int_equal(web_pick_encoding(&all, NULL), WEB_IDENTITY);
	assert_int_equal(web_pick_encoding(&all, ""), WEB_IDENTITY);
	assert_int_equal(web_pick_encoding(&all, "identity"), WEB_IDENTITY);
	/* identity asked for more than what we have */
	assert_int_equal(web_pick_encoding(&all, "gzip;q=0.5"), WEB_GZIP);
	assert_int_equal(web_pick_encoding(&all, "gzip;q=0.5, identity;q=1"), WEB_IDENTITY);
	/* nothing acceptable: identity all the same, rather than a 406 */
	assert_int_equal(web_pick_encoding(&all, "*;q=0"), WEB_IDENTITY);
	/* a missing twin falls back */
	assert_int_equal(web_pick_encoding(&gz_only, "br"), WEB_IDENTITY);
	assert_int_equal(web_pick_encoding(&gz_only, "br, gzip"), WEB_GZIP);
	assert_int_equal(web_pick_encoding(&plain, "br, gzip"), WEB_IDENTITY);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_pairs_twins(void **state)
{
	(void)state;
	char dir[] = "/tmp/tk-web-files-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[600];
	snprintf(sub, sizeof(sub), "%s/assets", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put(dir, "index.html", "<!doctype html>page");
	put(dir, "index.html.gz", "GZ-OF-PAGE");
	put(sub, "app.js", "console.log(1)");
	put(sub, "app.js.br", "BR");
	put(sub, "app.js.gz", "GZIP");
	put(sub, "lone.txt.gz", "a twin without its file");

	struct web_files w;
	struct tk_error err = {0};
	assert_int_equal(web_files_load(dir, &w, &err), TK_OK);
	assert_int_equal(w.n, 3);   /* index.html, assets/app.js, assets/lone.txt.gz */
	assert_null(web_files_get(&w, "/index.html.gz"));
	assert_null(web_files_get(&w, "/assets/app.js.br"));
	assert_non_null(web_files_get(&w, "/assets/lone.txt.gz"));

	const struct web_file *js = web_files_get(&w, "/assets/app.js");
	assert_non_null(js);
	assert_int_equal(js->body[WEB_IDENTITY].len, strlen("console.log(1)"));
	assert_int_equal(js->body[WEB_BR].len, 2);
	assert_memory_equal(js->body[WEB_BR].data, "BR", 2);
	assert_int_equal(js->body[WEB_GZIP].len, 4);
	/* one family: the identity's tag with -br / -gz before the closing quote */
	const char *id = js->body[WEB_IDENTITY].etag;
	char want[40];
	snprintf(want, sizeof(want), "%.*s-br\"", (int)strlen(id) - 1, id);
	assert_string_equal(js->body[WEB_BR].etag, want);
	snprintf(want, sizeof(want), "%.*s-gz\"", (int)strlen(id) - 1, id);
	assert_string_equal(js->body[WEB_GZIP].etag, want);

	const struct web_file *page = web_files_get(&w, "/");
	assert_non_null(page);
	assert_null(page->body[WEB_BR].data);
	assert_non_null(page->body[WEB_GZIP].data);
	assert_int_equal(web_pick_encoding(page, "br, gzip"), WEB_GZIP);
	web_files_free(&w);

	const char *names[] = {"index.html", "index.html.gz", "assets/app.js", "assets/app.js.br",
			       "assets/app.js.gz", "assets/lone.txt.gz"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[700];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_encoding_q_values),
		cmocka_unit_test(test_pick_encoding),
		cmocka_unit_test(test_load_pairs_twins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

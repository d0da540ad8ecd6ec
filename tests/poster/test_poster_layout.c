/* test_poster_layout.c — the posters' pure parts: money text from fen,
 * title wrapping with its ellipsis, the layouts' blocks; and their
 * pixels: a QR code read back module by module against the encoder's
 * matrix, the product image drawn or its placeholder, image kinds and
 * sizes by their headers, the image hosts allowed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gd.h>

#include "poster/poster_draw.h"
#include "poster/poster_image.h"
#include "poster/poster_layout.h"

/* A font of fixed widths: Latin half a square, everything else a square. */
static int fake_measure(void *ctx, const char *text, int px)
{
	int w = 0;
	(void)ctx;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x80)
			w += px / 2;
		else if ((*p & 0xC0) != 0x80)
			w += px;
	return w;
}

static void money_is(int64_t fen, const char *want)
{
	char out[POSTER_MONEY_MAX];
	assert_string_equal(poster_money(fen, out), want);
}

static void test_money(void **state)
{
	(void)state;
	money_is(0, "¥0.00");
	money_is(5, "¥0.05");
	money_is(1234, "¥12.34");
	money_is(99999, "¥999.99");
	money_is(100000, "¥1,000.00");
	money_is(123456, "¥1,234.56");
	money_is(123456789, "¥1,234,567.89");
	money_is(-5, "-¥0.05");
}

static int wrap(const char *text, int width, int max_lines, char lines[][POSTER_TEXT_MAX],
		bool *cut)
{
	return poster_wrap(text, width, 10, max_lines, fake_measure, NULL, lines, cut);
}

static void test_wrap_chinese(void **state)
{
	(void)state;
	char lines[3][POSTER_TEXT_MAX];
	bool cut;
	/* 10 characters a line */
	assert_int_equal(wrap("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰", 100, 3, lines, &cut), 3);
	assert_false(cut);
	assert_string_equal(lines[0], "一二三四五六七八九十");
	assert_string_equal(lines[1], "甲乙丙丁戊己庚辛壬癸");
	assert_string_equal(lines[2], "子丑寅卯辰");
	/* more than three lines: the third ends in an ellipsis, within the width */
	assert_int_equal(wrap("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地", 100, 3,
			      lines, &cut), 3);
	assert_true(cut);
	assert_string_equal(lines[2], "子丑寅卯辰巳午未申…");
	assert_true(fake_measure(NULL, lines[2], 10) <= 100);
	/* one line only */
	assert_int_equal(wrap("一二三四五六七八九十甲", 100, 1, lines, &cut), 1);
	assert_true(cut);
	assert_string_equal(lines[0], "一二三四五六七八九…");
}

static void test_wrap_latin(void **state)
{
	(void)state;
	char lines[3][POSTER_TEXT_MAX];
	bool cut;
	/* 20 Latin characters a line: a word is never cut in two */
	assert_int_equal(wrap("Head and Shoulders shampoo 400ml", 100, 3, lines, &cut), 2);
	assert_false(cut);
	assert_string_equal(lines[0], "Head and Shoulders");
	assert_string_equal(lines[1], "shampoo 400ml");
	/* unless it is longer than a line */
	assert_int_equal(wrap("abcdefghijklmnopqrstuvwxyz", 100, 3, lines, &cut), 2);
	assert_string_equal(lines[0], "abcdefghijklmnopqrst");
	assert_string_equal(lines[1], "uvwxyz");
	/* mixed: Chinese breaks anywhere, spaces at a line's ends go */
	assert_int_equal(wrap("海飞丝 400ml 洗发水", 50, 3, lines, &cut), 3);
	assert_string_equal(lines[0], "海飞丝");
	assert_string_equal(lines[1], "400ml 洗发");
	assert_string_equal(lines[2], "水");
}

static void test_wrap_odd_input(void **state)
{
	(void)state;
	char lines[3][POSTER_TEXT_MAX];
	bool cut;
	assert_int_equal(wrap("", 100, 3, lines, &cut), 0);
	assert_int_equal(wrap("   ", 100, 3, lines, &cut), 0);
	assert_int_equal(wrap(NULL, 100, 3, lines, &cut), 0);
	/* control characters and bytes that are no UTF-8 become spaces */
	assert_int_equal(wrap("a\x01" "b\xff" "c\n", 100, 3, lines, &cut), 1);
	assert_string_equal(lines[0], "a b c");
	/* a width too small for any character still shows one a line */
	assert_int_equal(wrap("一二", 5, 3, lines, &cut), 2);
	assert_string_equal(lines[0], "一");
	/* a text longer than a line's bytes is cut, never overflows */
	char big[2000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(poster_wrap(big, 100000, 10, 3, fake_measure, NULL, lines, &cut), 3);
	assert_true(cut);
	assert_true(strlen(lines[2]) < POSTER_TEXT_MAX);
}

static const struct poster_op *find_text(const struct poster_layout *l, const char *text)
{
	for (int i = 0; i < l->n; i++)
		if (l->ops[i].kind == POSTER_OP_TEXT && strcmp(l->ops[i].text, text) == 0)
			return &l->ops[i];
	return NULL;
}

static int count_kind(const struct poster_layout *l, enum poster_op_kind kind)
{
	int n = 0;
	for (int i = 0; i < l->n; i++)
		n += l->ops[i].kind == kind;
	return n;
}

static void all_inside(const struct poster_layout *l)
{
	for (int i = 0; i < l->n; i++) {
		const struct poster_op *op = &l->ops[i];
		assert_true(op->x >= 0 && op->y >= 0);
		assert_true(op->x + op->w <= l->w && op->y + op->h <= l->h);
		if (op->kind == POSTER_OP_TEXT)
			assert_true(op->x + fake_measure(NULL, op->text, op->px) <= l->w);
	}
}

static void test_layout_product(void **state)
{
	(void)state;
	struct poster_layout *l = malloc(sizeof(*l));
	assert_non_null(l);
	struct poster_product p = {.union_ = "jd",
				   .title = "海飞丝去屑洗发水 400ml 男士女士通用 清爽控油 长效留香 "
					    "家庭装 超值三瓶组合 京东自营正品保障 再来一行 还有一行 "
					    "第四行的文字不会出现在海报上",
				   .price = 5990, .coupon = 1000, .final_price = 4990,
				   .member_name = "洋洋妈", .invite_code = "AB12CD34"};
	poster_layout_product(&p, fake_measure, NULL, l);
	assert_int_equal(l->w, POSTER_W);
	assert_int_equal(l->h, POSTER_H);
	all_inside(l);
	assert_non_null(find_text(l, "京东"));
	assert_non_null(find_text(l, "¥49.90"));
	assert_non_null(find_text(l, "原价 ¥59.90"));
	assert_non_null(find_text(l, "券 ¥10.00"));
	assert_non_null(find_text(l, "券后"));
	assert_non_null(find_text(l, "洋洋妈 推荐"));
	assert_non_null(find_text(l, "邀请码 AB12CD34"));
	assert_non_null(find_text(l, "长按识别二维码 立即购买"));
	assert_int_equal(count_kind(l, POSTER_OP_QR), 1);
	assert_int_equal(count_kind(l, POSTER_OP_IMAGE), 1);
	/* the title: three lines at 32 px, the last with its ellipsis */
	int title = 0;
	const char *last = NULL;
	for (int i = 0; i < l->n; i++)
		if (l->ops[i].kind == POSTER_OP_TEXT && l->ops[i].px == 32) {
			title++;
			last = l->ops[i].text;
		}
	assert_int_equal(title, 3);
	assert_non_null(strstr(last, "…"));

	/* no coupon: one price, nothing struck through */
	p.coupon = 0;
	p.final_price = p.price;
	p.union_ = "pdd";
	p.qr_is_invite = true;
	poster_layout_product(&p, fake_measure, NULL, l);
	all_inside(l);
	assert_non_null(find_text(l, "¥59.90"));
	assert_null(find_text(l, "原价 ¥59.90"));
	assert_null(find_text(l, "券后"));
	assert_int_equal(count_kind(l, POSTER_OP_LINE), 1); /* the separator alone */
	assert_non_null(find_text(l, "拼多多"));
	assert_null(find_text(l, "长按识别二维码 立即购买"));

	/* in English */
	p.lang = POSTER_EN;
	p.union_ = "taobao";
	p.qr_is_invite = false;
	poster_layout_product(&p, fake_measure, NULL, l);
	assert_non_null(find_text(l, "Taobao"));
	assert_non_null(find_text(l, "Shared by 洋洋妈"));
	assert_non_null(find_text(l, "Long-press the QR code to buy"));
	free(l);
}

static void test_layout_invite(void **state)
{
	(void)state;
	struct poster_layout *l = malloc(sizeof(*l));
	assert_non_null(l);
	struct poster_invite in = {.member_name = "洋洋妈", .invite_code = "AB12CD34"};
	poster_layout_invite(&in, fake_measure, NULL, l);
	all_inside(l);
	const struct poster_op *code = find_text(l, "AB12CD34");
	assert_non_null(code);
	/* centred */
	assert_int_equal(code->x, (POSTER_W - fake_measure(NULL, "AB12CD34", code->px)) / 2);
	assert_int_equal(count_kind(l, POSTER_OP_QR), 1);
	free(l);
}

static void test_font(void **state)
{
	(void)state;
	int a = poster_font_measure(NULL, "京东", 26), b = poster_font_measure(NULL, "京东京东", 26);
	if (a < 0)
		skip(); /* no font installed: texts are left out, tested elsewhere */
	assert_true(a > 26);
	assert_true(b > a + 40);
	assert_int_equal(poster_font_measure(NULL, "", 26), 0);
}

static gdImagePtr png_image(const struct poster_png *png)
{
	assert_true(png->len > 8 && memcmp(png->data, "\x89PNG", 4) == 0);
	gdImagePtr im = gdImageCreateFromPngPtr((int)png->len, png->data);
	assert_non_null(im);
	return im;
}

static bool dark(gdImagePtr im, int x, int y)
{
	int c = gdImageGetPixel(im, x, y);
	return gdImageRed(im, c) < 128;
}

static void test_qr_modules(void **state)
{
	(void)state;
	const char *url = "http://127.0.0.1:8080/s/Ab3dE9x";
	struct tk_error err;
	struct poster_qr q;
	struct poster_png png;
	assert_int_equal(poster_qr_encode(url, &q, &err), TK_OK);
	assert_int_equal((q.width - 17) % 4, 0); /* a QR version's size */
	for (int size = POSTER_QR_SIZE_MIN; size <= POSTER_QR_SIZE_MAX; size += 299) {
		assert_int_equal(poster_qr_png(url, size, &png, &err), TK_OK);
		gdImagePtr im = png_image(&png);
		assert_int_equal(gdImageSX(im), size);
		assert_int_equal(gdImageSY(im), size);
		/* whole pixels per module, centred, the quiet zone all light */
		int px = size / (q.width + 2 * POSTER_QR_QUIET), off = (size - px * q.width) / 2;
		assert_true(off >= POSTER_QR_QUIET * px);
		for (int r = 0; r < q.width; r++)
			for (int c = 0; c < q.width; c++)
				assert_int_equal(dark(im, off + c * px + px / 2, off + r * px + px / 2),
						 q.modules[r * q.width + c] != 0);
		for (int i = 0; i < size; i++)
			assert_false(dark(im, i, off - 1) || dark(im, off - 1, i));
		gdImageDestroy(im);
		free(png.data);
	}
	poster_qr_free(&q);
	assert_int_equal(poster_qr_png(url, 127, &png, &err), TK_EINVAL);
	assert_string_equal(err.field, "size");
	assert_int_equal(poster_qr_png(url, 1025, &png, &err), TK_EINVAL);
	assert_int_equal(poster_qr_png("", 256, &png, &err), TK_EINVAL);
	assert_string_equal(err.field, "text");
}

static struct poster_png solid_png(int w, int h, int r, int g, int b)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	gdImageFilledRectangle(im, 0, 0, w - 1, h - 1, gdTrueColor(r, g, b));
	int size;
	void *p = gdImagePngPtr(im, &size);
	struct poster_png png = {malloc((size_t)size), (size_t)size};
	memcpy(png.data, p, (size_t)size);
	gdFree(p);
	gdImageDestroy(im);
	return png;
}

static void test_render(void **state)
{
	(void)state;
	struct poster_layout *l = malloc(sizeof(*l));
	struct poster_product p = {.union_ = "jd", .title = "标题", .price = 100,
				   .final_price = 100, .invite_code = "AB12CD34"};
	struct poster_png img = solid_png(300, 300, 10, 120, 200), out;
	struct tk_error err;
	poster_layout_product(&p, poster_font_measure, NULL, l);
	assert_int_equal(poster_render(l, "http://x/s/1", img.data, img.len, &out, &err), TK_OK);
	gdImagePtr im = png_image(&out);
	assert_int_equal(gdImageSX(im), POSTER_W);
	assert_int_equal(gdImageSY(im), POSTER_H);
	int c = gdImageGetPixel(im, 100, 100);
	assert_int_equal(gdImageBlue(im, c), 200); /* the image, scaled into its slot */
	gdImageDestroy(im);
	free(out.data);
	/* a transparent image shows the white under it, never black */
	{
		gdImagePtr t = gdImageCreateTrueColor(50, 50);
		gdImageAlphaBlending(t, 0);
		gdImageSaveAlpha(t, 1);
		gdImageFilledRectangle(t, 0, 0, 49, 49, gdTrueColorAlpha(0, 0, 0, gdAlphaTransparent));
		int n;
		void *tp = gdImagePngPtr(t, &n);
		assert_int_equal(poster_render(l, "http://x/s/1", tp, (size_t)n, &out, &err), TK_OK);
		gdFree(tp);
		gdImageDestroy(t);
		im = png_image(&out);
		c = gdImageGetPixel(im, 100, 100);
		assert_int_equal(gdImageRed(im, c), 255);
		gdImageDestroy(im);
		free(out.data);
	}
	/* bytes that are no image: the placeholder, and still a poster */
	memset(img.data + 16, 0xFF, 8); /* its IHDR's size: 4 billion pixels a side */
	assert_int_equal(poster_render(l, "http://x/s/1", img.data, img.len, &out, &err), TK_OK);
	im = png_image(&out);
	c = gdImageGetPixel(im, 100, 100);
	assert_int_equal(gdImageRed(im, c), 0xF2);
	gdImageDestroy(im);
	free(out.data);
	free(img.data);
	free(l);
}

static void test_image_headers(void **state)
{
	(void)state;
	int w, h;
	struct poster_png png = solid_png(321, 123, 0, 0, 0);
	assert_int_equal(poster_image_sniff(png.data, png.len), POSTER_IMAGE_PNG);
	assert_true(poster_image_dims(png.data, png.len, &w, &h));
	assert_int_equal(w, 321);
	assert_int_equal(h, 123);
	assert_false(poster_image_dims(png.data, 20, &w, &h)); /* cut short */
	free(png.data);

	/* JPEG: an APP0 segment, then the frame header with its size */
	const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00,
				      0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x02, 0x58};
	assert_int_equal(poster_image_sniff(jpeg, sizeof(jpeg)), POSTER_IMAGE_JPEG);
	assert_true(poster_image_dims(jpeg, sizeof(jpeg), &w, &h));
	assert_int_equal(w, 600);
	assert_int_equal(h, 300);
	unsigned char huge[sizeof(jpeg)];
	memcpy(huge, jpeg, sizeof(jpeg));
	huge[15] = 0x40; /* 16384 + 88 wide */
	assert_false(poster_image_dims(huge, sizeof(huge), &w, &h));

	/* WebP, its extended header: canvas size minus one, 24 bits each */
	unsigned char webp[30] = "RIFF\0\0\0\0WEBPVP8X";
	webp[24] = 199; /* 200 wide */
	webp[27] = 99;  /* 100 high */
	assert_int_equal(poster_image_sniff(webp, sizeof(webp)), POSTER_IMAGE_WEBP);
	assert_true(poster_image_dims(webp, sizeof(webp), &w, &h));
	assert_int_equal(w, 200);
	assert_int_equal(h, 100);

	assert_int_equal(poster_image_sniff((const unsigned char *)"<html>", 6), POSTER_IMAGE_NONE);
	assert_false(poster_image_dims((const unsigned char *)"<html>", 6, &w, &h));
}

static void test_image_hosts(void **state)
{
	(void)state;
	struct tk_error err;
	struct poster_images *pi = poster_images_new(1024);
	assert_non_null(pi);
	assert_true(poster_images_allowed(pi, "https://img14.360buyimg.com/n1/a.jpg"));
	assert_true(poster_images_allowed(pi, "http://img.alicdn.com/bao/a.jpg"));
	assert_true(poster_images_allowed(pi, "//gw.alicdn.com/a.jpg"));
	assert_true(poster_images_allowed(pi, "https://t00img.yangkeduo.com/a.jpeg"));
	assert_true(poster_images_allowed(pi, "https://img.pddpic.com/a.jpeg"));
	assert_false(poster_images_allowed(pi, "https://360buyimg.com.evil.cn/a.jpg"));
	assert_false(poster_images_allowed(pi, "https://evil360buyimg.com/a.jpg"));
	assert_false(poster_images_allowed(pi, "https://u@img.alicdn.com/a.jpg"));
	assert_false(poster_images_allowed(pi, "https://img.alicdn.com:8443/a.jpg"));
	assert_false(poster_images_allowed(pi, "ftp://img.alicdn.com/a.jpg"));
	assert_false(poster_images_allowed(pi, "http://127.0.0.1:9000/a.png"));
	assert_int_equal(poster_images_allow(pi, "127.0.0.1:9000", &err), TK_OK);
	assert_true(poster_images_allowed(pi, "http://127.0.0.1:9000/a.png"));
	assert_false(poster_images_allowed(pi, "http://127.0.0.1:9001/a.png"));
	assert_int_equal(poster_images_allow(pi, "a/b", &err), TK_EINVAL);
	assert_string_equal(err.field, "image_host");
	assert_int_equal(poster_images_allow(pi, "host:99999", &err), TK_EINVAL);
	/* a refused URL is never fetched */
	unsigned char *data;
	size_t len;
	assert_int_equal(poster_images_get(pi, "https://example.com/a.png", 0, &data, &len, &err),
			 TK_EINVAL);
	assert_null(data);
	poster_images_free(pi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_wrap_chinese),
		cmocka_unit_test(test_wrap_latin),
		cmocka_unit_test(test_wrap_odd_input),
		cmocka_unit_test(test_layout_product),
		cmocka_unit_test(test_layout_invite),
		cmocka_unit_test(test_font),
		cmocka_unit_test(test_qr_modules),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_image_headers),
		cmocka_unit_test(test_image_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

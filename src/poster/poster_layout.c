/* poster_layout.c — the posters' layouts as pure functions of their inputs
 * (see poster_layout.h).  Every position is fixed by the design, so that
 * a long title or a missing image never moves the QR code: only the text
 * inside each block changes. */
#include "poster/poster_layout.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/utf8.h"

#define ELLIPSIS "\xe2\x80\xa6" /* … */
#define WRAP_INPUT_MAX 1024     /* bytes of text considered for wrapping */

#define INK 0x222222u
#define GREY 0x888888u
#define RED 0xE4393Cu
#define WHITE 0xFFFFFFu

char *poster_money(int64_t fen, char *out)
{
	char plain[MONEY_YUAN_BUF];
	money_format_yuan(fen, plain);
	const char *digits = plain[0] == '-' ? plain + 1 : plain;
	const char *dot = strchr(digits, '.');
	size_t whole = dot ? (size_t)(dot - digits) : strlen(digits);
	size_t o = 0;
	o += (size_t)snprintf(out, POSTER_MONEY_MAX, "%s\xc2\xa5", plain[0] == '-' ? "-" : "");
	for (size_t i = 0; i < whole && o + 2 < POSTER_MONEY_MAX; i++) {
		if (i > 0 && (whole - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, POSTER_MONEY_MAX - o, "%s", dot ? dot : "");
	return out;
}

/* Width of text, with an estimate when there is no font to measure with:
 * a CJK character is square, a Latin one about half as wide. */
static int measure(poster_measure_fn fn, void *ctx, const char *text, int px)
{
	int w = fn ? fn(ctx, text, px) : -1;
	if (w >= 0)
		return w;
	w = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x80)
			w += px / 2 + 1;
		else if ((*p & 0xC0) != 0x80)
			w += px;
	return w;
}

static bool word_char(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* The text with invalid bytes and control characters made spaces, so
 * that nothing a feed sends can upset the font renderer. */
static size_t clean_copy(const char *text, char *out, size_t size)
{
	size_t len = strnlen(text, WRAP_INPUT_MAX), i = 0, o = 0;
	while (i < len && o + 5 < size) {
		size_t at = i;
		uint32_t cp;
		if (!utf8_next(text, len, &i, &cp)) {
			out[o++] = ' ';
			i = at + 1;
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			out[o++] = ' ';
		} else {
			memcpy(out + o, text + at, i - at);
			o += i - at;
		}
	}
	out[o] = '\0';
	return o;
}

static size_t next_cp(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t j = i;
	return utf8_next(s, len, &j, &cp) ? j : i + 1;
}

int poster_wrap(const char *text, int width, int px, int max_lines, poster_measure_fn fn,
		void *ctx, char lines[][POSTER_TEXT_MAX], bool *cut)
{
	char s[WRAP_INPUT_MAX + 8], probe[POSTER_TEXT_MAX];
	size_t len = clean_copy(text ? text : "", s, sizeof(s)), pos = 0;
	int n = 0;
	*cut = false;
	while (pos < len && s[pos] == ' ')
		pos++;
	while (pos < len && n < max_lines) {
		size_t end = pos, space = 0;
		while (end < len) {
			size_t next = next_cp(s, len, end);
			if (next - pos >= POSTER_TEXT_MAX - sizeof(ELLIPSIS))
				break;
			memcpy(probe, s + pos, next - pos);
			probe[next - pos] = '\0';
			if (end > pos && measure(fn, ctx, probe, px) > width)
				break;
			if (s[end] == ' ')
				space = end;
			end = next;
		}
		size_t line_end = end, resume = end;
		/* a Latin word cut in two goes whole to the next line */
		if (end < len && space > pos && word_char((unsigned char)s[end]) &&
		    word_char((unsigned char)s[end - 1]))
			line_end = resume = space;
		while (line_end > pos && s[line_end - 1] == ' ')
			line_end--;
		memcpy(lines[n], s + pos, line_end - pos);
		lines[n][line_end - pos] = '\0';
		n++;
		pos = resume;
		while (pos < len && s[pos] == ' ')
			pos++;
	}
	if (pos < len && n > 0) {
		*cut = true;
		char *last = lines[n - 1];
		size_t l = strlen(last);
		for (;;) {
			snprintf(probe, sizeof(probe), "%.*s" ELLIPSIS, (int)l, last);
			if (l == 0 || measure(fn, ctx, probe, px) <= width)
				break;
			/* drop the last code point */
			do
				l--;
			while (l > 0 && ((unsigned char)last[l] & 0xC0) == 0x80);
		}
		snprintf(last, POSTER_TEXT_MAX, "%s", probe);
	}
	return n;
}

const char *poster_union_label(const char *union_, enum poster_lang lang)
{
	bool zh = lang == POSTER_ZH;
	if (strcmp(union_, "jd") == 0)
		return zh ? "京东" : "JD";
	if (strcmp(union_, "taobao") == 0)
		return zh ? "淘宝" : "Taobao";
	if (strcmp(union_, "pdd") == 0)
		return zh ? "拼多多" : "Pinduoduo";
	return zh ? "自营" : "Own";
}

uint32_t poster_union_color(const char *union_)
{
	if (strcmp(union_, "jd") == 0)
		return 0xE1251Bu;
	if (strcmp(union_, "taobao") == 0)
		return 0xFF5000u;
	if (strcmp(union_, "pdd") == 0)
		return 0xE02E24u;
	return 0x4A5568u;
}

static struct poster_op *add(struct poster_layout *l, enum poster_op_kind kind, int x, int y,
			     int w, int h, uint32_t color)
{
	assert(l->n < POSTER_OPS_MAX);
	struct poster_op *op = &l->ops[l->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->color = color;
	return op;
}

static struct poster_op *text(struct poster_layout *l, int x, int y, int px, uint32_t color,
			      const char *s)
{
	struct poster_op *op = add(l, POSTER_OP_TEXT, x, y, 0, 0, color);
	op->px = px;
	/* cut at a character's start when too long */
	size_t n = strnlen(s, sizeof(op->text) - 1);
	if (n == sizeof(op->text) - 1)
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	memcpy(op->text, s, n);
	op->text[n] = '\0';
	return op;
}

/* One line of text cut to `width` with an ellipsis. */
static struct poster_op *text_fit(struct poster_layout *l, poster_measure_fn fn, void *ctx,
				  int x, int y, int width, int px, uint32_t color, const char *s)
{
	char lines[1][POSTER_TEXT_MAX];
	bool cut;
	int n = poster_wrap(s, width, px, 1, fn, ctx, lines, &cut);
	return text(l, x, y, px, color, n ? lines[0] : "");
}

static void text_centered(struct poster_layout *l, poster_measure_fn fn, void *ctx, int y,
			  int px, uint32_t color, const char *s)
{
	struct poster_op *op = text_fit(l, fn, ctx, 0, y, l->w - 80, px, color, s);
	int w = measure(fn, ctx, op->text, px);
	op->x = (l->w - w) / 2;
}

void poster_layout_product(const struct poster_product *p, poster_measure_fn fn, void *ctx,
			   struct poster_layout *l)
{
	bool zh = p->lang == POSTER_ZH;
	char money[POSTER_MONEY_MAX], buf[POSTER_TEXT_MAX];
	l->w = POSTER_W;
	l->h = POSTER_H;
	l->n = 0;
	add(l, POSTER_OP_RECT, 0, 0, POSTER_W, POSTER_H, WHITE);
	/* the image block: grey until (unless) the image covers it */
	add(l, POSTER_OP_RECT, 30, 30, 690, 690, 0xF2F2F2u);
	text_centered(l, fn, ctx, 390, 30, 0xAAAAAAu, zh ? "图片暂不可用" : "No image");
	add(l, POSTER_OP_IMAGE, 30, 30, 690, 690, 0);
	/* the platform badge over the image's corner */
	const char *label = poster_union_label(p->union_, p->lang);
	int bw = measure(fn, ctx, label, 26) + 32;
	add(l, POSTER_OP_RECT, 30, 30, bw, 48, poster_union_color(p->union_));
	text(l, 46, 30 + 35, 26, WHITE, label);

	char lines[POSTER_TITLE_LINES][POSTER_TEXT_MAX];
	bool cut;
	int n = poster_wrap(p->title, 690, 32, POSTER_TITLE_LINES, fn, ctx, lines, &cut);
	for (int i = 0; i < n; i++)
		text(l, 30, 782 + 46 * i, 32, INK, lines[i]);

	/* the price row: what the buyer pays, large; the list price struck
	 * through and the coupon beside it when one applies */
	int x = 30;
	if (p->coupon > 0) {
		const char *after = zh ? "券后" : "Now";
		text(l, x, 982, 28, RED, after);
		x += measure(fn, ctx, after, 28) + 10;
	}
	poster_money(p->final_price, money);
	text(l, x, 986, 56, RED, money);
	x += measure(fn, ctx, money, 56) + 24;
	if (p->coupon > 0) {
		poster_money(p->price, money);
		snprintf(buf, sizeof(buf), "%s %s", zh ? "原价" : "List", money);
		text(l, x, 982, 26, GREY, buf);
		int sw = measure(fn, ctx, buf, 26);
		add(l, POSTER_OP_LINE, x, 973, sw, 0, GREY);
		poster_money(p->coupon, money);
		snprintf(buf, sizeof(buf), "%s %s", zh ? "券" : "Coupon", money);
		int cw = measure(fn, ctx, buf, 26) + 28;
		add(l, POSTER_OP_RECT, 30, 1012, cw, 44, 0xFDECEAu);
		text(l, 44, 1012 + 32, 26, RED, buf);
	}
	add(l, POSTER_OP_LINE, 30, 1074, 690, 0, 0xEEEEEEu);

	/* the sharer and the QR code */
	add(l, POSTER_OP_QR, 480, 1090, 230, 230, 0);
	if (p->member_name && p->member_name[0]) {
		snprintf(buf, sizeof(buf), zh ? "%s 推荐" : "Shared by %s", p->member_name);
		text_fit(l, fn, ctx, 30, 1140, 420, 30, INK, buf);
	}
	snprintf(buf, sizeof(buf), "%s %s", zh ? "邀请码" : "Invite code", p->invite_code);
	text_fit(l, fn, ctx, 30, 1190, 420, 26, GREY, buf);
	if (p->qr_is_invite) {
		const char *note = zh ? "购买链接暂不可用，长按识别二维码加入我的团队"
				      : "The buying link is unavailable: long-press the QR code to "
					"join my team";
		n = poster_wrap(note, 420, 24, 2, fn, ctx, lines, &cut);
		for (int i = 0; i < n; i++)
			text(l, 30, 1250 + 34 * i, 24, RED, lines[i]);
	} else {
		text_fit(l, fn, ctx, 30, 1260, 420, 26, RED,
			 zh ? "长按识别二维码 立即购买" : "Long-press the QR code to buy");
	}
}

void poster_layout_invite(const struct poster_invite *p, poster_measure_fn fn, void *ctx,
			  struct poster_layout *l)
{
	bool zh = p->lang == POSTER_ZH;
	char buf[POSTER_TEXT_MAX];
	l->w = POSTER_W;
	l->h = POSTER_H;
	l->n = 0;
	add(l, POSTER_OP_RECT, 0, 0, POSTER_W, POSTER_H, RED);
	text_centered(l, fn, ctx, 170, 56, WHITE, zh ? "邀请你加入" : "Join my team");
	if (p->member_name && p->member_name[0])
		snprintf(buf, sizeof(buf), zh ? "%s 邀请你一起分享好物" : "%s invites you to share "
			 "good buys", p->member_name);
	else
		snprintf(buf, sizeof(buf), "%s", zh ? "一起分享好物" : "Share good buys together");
	text_centered(l, fn, ctx, 240, 30, WHITE, buf);
	add(l, POSTER_OP_RECT, 60, 300, 630, 960, WHITE);
	add(l, POSTER_OP_QR, 135, 350, 480, 480, 0);
	text_centered(l, fn, ctx, 900, 28, GREY, zh ? "邀请码" : "Invite code");
	text_centered(l, fn, ctx, 990, 64, INK, p->invite_code);
	text_centered(l, fn, ctx, 1080, 28, RED,
		      zh ? "长按识别二维码注册" : "Long-press the QR code to sign up");
}

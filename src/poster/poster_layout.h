/* poster_layout.h — what a poster shows and where, computed from its inputs
 * alone: the title wrapped to at most three lines with an ellipsis, money
 * as exact yuan text from fen, the platform badge, the QR code's place.
 * No I/O and no drawing: text is measured through a callback, and the
 * result is a list of drawing operations that poster_draw.c carries out. */
#ifndef TK_POSTER_LAYOUT_H
#define TK_POSTER_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define POSTER_W 750
#define POSTER_H 1334
#define POSTER_TEXT_MAX 256     /* bytes of one drawn text, NUL included */
#define POSTER_OPS_MAX 40
#define POSTER_TITLE_LINES 3
#define POSTER_MONEY_MAX 40     /* "¥" + MONEY_YUAN_BUF with separators */

/* The width in pixels of `text` drawn at `px` pixels; a negative answer
 * (no font) is taken as an average CJK width per code point. */
typedef int (*poster_measure_fn)(void *ctx, const char *text, int px);

enum poster_lang { POSTER_ZH, POSTER_EN };

enum poster_op_kind {
	POSTER_OP_RECT,  /* a filled rectangle */
	POSTER_OP_LINE,  /* a 2 px line from (x, y) to (x + w, y + h) */
	POSTER_OP_TEXT,  /* text with its baseline's left end at (x, y) */
	POSTER_OP_IMAGE, /* the product image, scaled to fit (x, y, w, h) */
	POSTER_OP_QR,    /* the QR code, filling the square (x, y, w, w) */
};

struct poster_op {
	enum poster_op_kind kind;
	int x, y, w, h;
	uint32_t color; /* 0xRRGGBB */
	int px;         /* text size */
	char text[POSTER_TEXT_MAX];
};

struct poster_layout {
	int w, h;
	int n;
	struct poster_op ops[POSTER_OPS_MAX];
};

/* A product poster's inputs.  Money is fen; coupon is what the coupon
 * takes off now (0: none applies). */
struct poster_product {
	const char *union_;      /* jd, taobao, pdd, own */
	const char *title;
	int64_t price, coupon, final_price;
	const char *member_name; /* who shares it ("" when none) */
	const char *invite_code;
	bool qr_is_invite;       /* the tracking link could not be made: the
				  * QR is the member's invitation instead */
	enum poster_lang lang;
};

/* An invitation poster's inputs. */
struct poster_invite {
	const char *member_name;
	const char *invite_code;
	enum poster_lang lang;
};

/* "¥1,234.56" for 123456 fen: exact, from integer fen, with the web
 * pages' thousands separators.  out holds POSTER_MONEY_MAX bytes. */
char *poster_money(int64_t fen, char *out);

/* Wraps UTF-8 text into at most max_lines lines no wider than `width`
 * at `px` pixels: a line breaks at its last space when a Latin word would
 * be cut, else between any two characters (Chinese has no spaces).  When
 * the text does not fit, the last line ends in "…".  Invalid UTF-8 and
 * control characters are drawn as spaces.  Returns the number of lines
 * (0 for an empty text); *cut tells whether text was left out. */
int poster_wrap(const char *text, int width, int px, int max_lines, poster_measure_fn measure,
		void *ctx, char lines[][POSTER_TEXT_MAX], bool *cut);

/* The platform's name on the badge, and its colour. */
const char *poster_union_label(const char *union_, enum poster_lang lang);
uint32_t poster_union_color(const char *union_);

/* Lays a product poster out (POSTER_W x POSTER_H). */
void poster_layout_product(const struct poster_product *p, poster_measure_fn measure, void *ctx,
			   struct poster_layout *out);

/* Lays an invitation poster out (POSTER_W x POSTER_H). */
void poster_layout_invite(const struct poster_invite *p, poster_measure_fn measure, void *ctx,
			  struct poster_layout *out);

#endif

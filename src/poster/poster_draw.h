/* poster_draw.h — drawing posters and QR codes into PNG with libgd
 * (FreeType text in the WenQuanYi Micro Hei font) and libqrencode.  What
 * goes where is poster_layout's; this module only carries it out, so a
 * layout can be tested without pixels and the pixels without a server.
 *
 * Ownership: every poster_png's data is malloc'd and the caller's (free()).
 * Text drawing needs the font file; without it the texts are left out and
 * the rest is still drawn (a poster never fails for its font). */
#ifndef TK_POSTER_DRAW_H
#define TK_POSTER_DRAW_H

#include <stddef.h>

#include "core/error.h"
#include "poster/poster_layout.h"

#define POSTER_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define POSTER_QR_SIZE_MIN 128
#define POSTER_QR_SIZE_MAX 1024
#define POSTER_QR_TEXT_MAX 512  /* bytes of what a QR code holds */
#define POSTER_QR_QUIET 4       /* modules of white around the code */

struct poster_png {
	unsigned char *data;
	size_t len;
};

/* Sets libgd's font cache up once, before any thread draws (its FreeType
 * cache is shared).  Safe to call more than once. */
void poster_draw_init(void);

/* A QR code's modules: width x width bytes, 1 dark, 0 light. */
struct poster_qr {
	int width;
	unsigned char *modules; /* malloc'd */
};

/* Encodes text (8-bit mode, error correction M).  TK_EINVAL naming `text`
 * when it is empty or longer than POSTER_QR_TEXT_MAX. */
enum tk_rc poster_qr_encode(const char *text, struct poster_qr *out, struct tk_error *err);
void poster_qr_free(struct poster_qr *q);

/* A PNG of size x size pixels holding the QR code of text, with at least
 * POSTER_QR_QUIET modules of white around it and whole pixels per module.
 * TK_EINVAL naming `size` outside POSTER_QR_SIZE_MIN..MAX. */
enum tk_rc poster_qr_png(const char *text, int size, struct poster_png *out,
			 struct tk_error *err);

/* Text width in pixels at px pixels with the poster font; -1 without it.
 * A poster_measure_fn (ctx unused). */
int poster_font_measure(void *ctx, const char *text, int px);

/* Draws a layout: the QR code of qr_text in its QR slot, the product
 * image (JPEG, PNG or WebP bytes, or NULL) scaled into its image slot —
 * an image that does not decode leaves the slot's placeholder. */
enum tk_rc poster_render(const struct poster_layout *l, const char *qr_text,
			 const unsigned char *image, size_t image_len, struct poster_png *out,
			 struct tk_error *err);

#endif

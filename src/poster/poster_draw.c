/* poster_draw.c — posters and QR codes as PNG bytes (see poster_draw.h).
 * Sizes are whole pixels per QR module, so that a scanner never meets a
 * blurred edge; the product image is resampled into its slot, centred and
 * never stretched. */
#include "poster/poster_draw.h"

#include <gd.h>
#include <gd_errors.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "poster/poster_image.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libgd reports a bad image on stderr by default; a poster handles it
 * (the placeholder stays), so the report would only be noise */
static void quiet(int priority, const char *fmt, va_list ap)
{
	(void)priority;
	(void)fmt;
	(void)ap;
}

static void init(void)
{
	gdFontCacheSetup();
	gdSetErrorMethod(quiet);
}

void poster_draw_init(void)
{
	pthread_once(&init_once, init);
}

enum tk_rc poster_qr_encode(const char *text, struct poster_qr *out, struct tk_error *err)
{
	size_t len = text ? strlen(text) : 0;
	out->width = 0;
	out->modules = NULL;
	if (len == 0 || len > POSTER_QR_TEXT_MAX)
		return tk_fail(err, TK_EINVAL, "text", "must be 1..%d bytes for a QR code, got %zu",
			       POSTER_QR_TEXT_MAX, len);
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return tk_fail(err, TK_ENOMEM, "", "cannot encode a QR code of %zu bytes", len);
	size_t n = (size_t)q->width * (size_t)q->width;
	out->modules = malloc(n);
	if (!out->modules) {
		QRcode_free(q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		out->modules[i] = q->data[i] & 1; /* bit 0: dark; the others say why */
	out->width = q->width;
	QRcode_free(q);
	return TK_OK;
}

void poster_qr_free(struct poster_qr *q)
{
	free(q->modules);
	q->modules = NULL;
	q->width = 0;
}

/* Draws q into the square (x, y, side) on white, with the quiet zone and
 * whole pixels per module; false when side cannot give each module a
 * pixel. */
static bool draw_qr(gdImagePtr im, const struct poster_qr *q, int x, int y, int side, int dark,
		    int light)
{
	int total = q->width + 2 * POSTER_QR_QUIET;
	int px = side / total;
	if (px < 1)
		return false;
	int off = (side - px * q->width) / 2;
	gdImageFilledRectangle(im, x, y, x + side - 1, y + side - 1, light);
	for (int r = 0; r < q->width; r++)
		for (int col = 0; col < q->width; col++)
			if (q->modules[r * q->width + col])
				gdImageFilledRectangle(im, x + off + col * px, y + off + r * px,
						       x + off + (col + 1) * px - 1,
						       y + off + (r + 1) * px - 1, dark);
	return true;
}

/* The image as PNG bytes in out (malloc'd). */
static enum tk_rc png_out(gdImagePtr im, struct poster_png *out, struct tk_error *err)
{
	int size = 0;
	void *p = gdImagePngPtr(im, &size);
	out->data = p && size > 0 ? malloc((size_t)size) : NULL;
	if (!out->data) {
		gdFree(p);
		return tk_fail(err, TK_ENOMEM, "", "cannot write the PNG");
	}
	memcpy(out->data, p, (size_t)size);
	out->len = (size_t)size;
	gdFree(p);
	return TK_OK;
}

enum tk_rc poster_qr_png(const char *text, int size, struct poster_png *out,
			 struct tk_error *err)
{
	struct poster_qr q;
	enum tk_rc rc;
	out->data = NULL;
	out->len = 0;
	if (size < POSTER_QR_SIZE_MIN || size > POSTER_QR_SIZE_MAX)
		return tk_fail(err, TK_EINVAL, "size", "must be %d..%d pixels, got %d",
			       POSTER_QR_SIZE_MIN, POSTER_QR_SIZE_MAX, size);
	if ((rc = poster_qr_encode(text, &q, err)))
		return rc;
	gdImagePtr im = gdImageCreate(size, size); /* two colours: a small PNG */
	if (!im) {
		poster_qr_free(&q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	int light = gdImageColorAllocate(im, 255, 255, 255);
	int dark = gdImageColorAllocate(im, 0, 0, 0);
	if (!draw_qr(im, &q, 0, 0, size, dark, light))
		rc = tk_fail(err, TK_EINVAL, "size", "%d pixels are too few for a QR code of %d "
			     "modules", size, q.width);
	else
		rc = png_out(im, out, err);
	gdImageDestroy(im);
	poster_qr_free(&q);
	return rc;
}

/* FreeType at 72 dpi, so that a point is a pixel */
static const char *draw_text(gdImagePtr im, int *brect, int color, int px, int x, int y,
			     const char *text)
{
	gdFTStringExtra ex = {.flags = gdFTEX_RESOLUTION, .hdpi = 72, .vdpi = 72};
	return gdImageStringFTEx(im, brect, color, (char *)POSTER_FONT, (double)px, 0.0, x, y,
				 (char *)text, &ex);
}

int poster_font_measure(void *ctx, const char *text, int px)
{
	int brect[8];
	(void)ctx;
	poster_draw_init();
	if (!text[0])
		return 0;
	if (draw_text(NULL, brect, 0, px, 0, 0, text))
		return -1;
	return brect[2] - brect[0];
}

static int rgb(gdImagePtr im, uint32_t c)
{
	return gdImageColorAllocate(im, (int)(c >> 16 & 0xFF), (int)(c >> 8 & 0xFF),
				    (int)(c & 0xFF));
}

/* Decodes the product image (its kind and size checked first: a decoder
 * never meets a picture larger than the bound). */
static gdImagePtr decode(const unsigned char *p, size_t n)
{
	int w, h;
	if (!p || n == 0 || n > POSTER_IMAGE_BYTES_MAX || !poster_image_dims(p, n, &w, &h))
		return NULL;
	switch (poster_image_sniff(p, n)) {
	case POSTER_IMAGE_JPEG: return gdImageCreateFromJpegPtr((int)n, (void *)p);
	case POSTER_IMAGE_PNG: return gdImageCreateFromPngPtr((int)n, (void *)p);
	case POSTER_IMAGE_WEBP: return gdImageCreateFromWebpPtr((int)n, (void *)p);
	default: return NULL;
	}
}

static void draw_image(gdImagePtr im, gdImagePtr src, const struct poster_op *op)
{
	int sw = gdImageSX(src), sh = gdImageSY(src);
	if (sw <= 0 || sh <= 0)
		return;
	/* fit inside the slot, keep the proportions, centre */
	int w = op->w, h = (int)((int64_t)sh * op->w / sw);
	if (h > op->h) {
		h = op->h;
		w = (int)((int64_t)sw * op->h / sh);
	}
	if (w < 1 || h < 1)
		return;
	gdImageFilledRectangle(im, op->x, op->y, op->x + op->w - 1, op->y + op->h - 1,
			       rgb(im, 0xFFFFFFu));
	gdImageCopyResampled(im, src, op->x + (op->w - w) / 2, op->y + (op->h - h) / 2, 0, 0, w,
			     h, sw, sh);
}

enum tk_rc poster_render(const struct poster_layout *l, const char *qr_text,
			 const unsigned char *image, size_t image_len, struct poster_png *out,
			 struct tk_error *err)
{
	struct poster_qr q;
	enum tk_rc rc;
	out->data = NULL;
	out->len = 0;
	poster_draw_init();
	if ((rc = poster_qr_encode(qr_text, &q, err)))
		return rc;
	gdImagePtr im = gdImageCreateTrueColor(l->w, l->h);
	if (!im) {
		poster_qr_free(&q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	/* every colour is opaque: blending is for the texts' smooth edges only
	 * (over a whole canvas it costs more than the rest of the drawing) */
	gdImageAlphaBlending(im, 0);
	for (int i = 0; i < l->n && !rc; i++) {
		const struct poster_op *op = &l->ops[i];
		int brect[8];
		switch (op->kind) {
		case POSTER_OP_RECT:
			gdImageFilledRectangle(im, op->x, op->y, op->x + op->w - 1,
					       op->y + op->h - 1, rgb(im, op->color));
			break;
		case POSTER_OP_LINE:
			gdImageSetThickness(im, 2);
			gdImageLine(im, op->x, op->y, op->x + op->w, op->y + op->h,
				    rgb(im, op->color));
			gdImageSetThickness(im, 1);
			break;
		case POSTER_OP_TEXT:
			/* without the font the text is left out, never the poster */
			gdImageAlphaBlending(im, 1);
			(void)draw_text(im, brect, rgb(im, op->color), op->px, op->x, op->y,
					op->text);
			gdImageAlphaBlending(im, 0);
			break;
		case POSTER_OP_IMAGE: {
			gdImagePtr src = decode(image, image_len);
			if (src) {
				/* a transparent product image over the white slot */
				gdImageAlphaBlending(im, 1);
				draw_image(im, src, op);
				gdImageAlphaBlending(im, 0);
				gdImageDestroy(src);
			}
			break;
		}
		case POSTER_OP_QR:
			if (!draw_qr(im, &q, op->x, op->y, op->w, rgb(im, 0),
				     rgb(im, 0xFFFFFFu)))
				rc = tk_fail(err, TK_EINVAL, "text", "a QR code of %d modules does not "
					     "fit %d pixels", q.width, op->w);
			break;
		}
	}
	if (!rc)
		rc = png_out(im, out, err);
	gdImageDestroy(im);
	poster_qr_free(&q);
	return rc;
}

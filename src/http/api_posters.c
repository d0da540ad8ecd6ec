/* api_posters.c — images a member shares: the QR code of a tracking link,
 * the member's invitation QR code and poster, and a product's poster with
 * the member's own link in its QR code.  Drawn here, on the server, as
 * real PNG addresses: WeChat's browser lets a member long-press and save
 * those, and product images from the unions' CDNs never taint a canvas
 * (docs/web.md#posters-and-qr-codes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_product.h"
#include "http/api_handlers.h"
#include "poster/poster_draw.h"
#include "poster/poster_image.h"
#include "store/catalog_store.h"
#include "store/server_store.h"
#include "tracking/links_convert.h"

#define QR_SIZE_DEFAULT 512
#define URL_MAX (API_BASE_URL_MAX + 64)

/* FNV-1a, 64 bits: the ETag only has to change when the picture does */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* Answers with the PNG (taking png->data), or 304 when the browser holds
 * it already.  Private: each image carries one member's link or code. */
static enum tk_rc reply_png(struct api_call *c, struct poster_png *png)
{
	snprintf(c->etag, sizeof(c->etag), "\"%016llx\"",
		 (unsigned long long)fnv1a(png->data, png->len));
	c->content_type = "image/png";
	c->cache_control = "private, max-age=300";
	const char *inm = c->lookup(c->lookup_ctx, API_HEADER, "If-None-Match");
	if (inm && strcmp(inm, c->etag) == 0) {
		free(png->data);
		c->raw_out = strdup("");
		c->raw_len = 0;
		c->status = 304;
	} else {
		c->raw_out = (char *)png->data;
		c->raw_len = png->len;
		c->status = 200;
	}
	png->data = NULL;
	return c->raw_out ? TK_OK : tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
}

static enum tk_rc query_lang(struct api_call *c, enum poster_lang *lang)
{
	char buf[8];
	const char *v;
	enum tk_rc rc = api_query(c, "lang", buf, sizeof(buf), &v);
	if (rc)
		return rc;
	*lang = POSTER_ZH;
	if (!v || strcmp(v, "zh") == 0)
		return TK_OK;
	if (strcmp(v, "en") == 0) {
		*lang = POSTER_EN;
		return TK_OK;
	}
	return tk_fail(&c->err, TK_EINVAL, "lang", "must be zh or en, got \"%s\"", v);
}

/* The calling member (a member session: posters carry its own code). */
static enum tk_rc session_member(struct api_call *c, struct member_rec *m)
{
	if (api_is_operator(c))
		return api_deny(c, "posters and invitation codes are a member's own: call with a "
			        "member session");
	return api_member_money(c, c->who.name, m);
}

/* Where the member's invitation leads: the promoter page's join screen. */
static void invite_url(const struct api_call *c, const char *code, char *url, size_t size)
{
	snprintf(url, size, "%s/m/#/join/%s", c->api->cfg.base_url, code);
}

enum tk_rc h_link_qr(struct api_call *c)
{
	struct link_rec *l = malloc(sizeof(*l));
	struct member_rec m;
	struct poster_png png = {0};
	char url[URL_MAX];
	int64_t size;
	enum tk_rc rc;
	if (!l)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	if (!(rc = api_query_i64(c, "size", QR_SIZE_DEFAULT, POSTER_QR_SIZE_MIN,
				 POSTER_QR_SIZE_MAX, &size)) &&
	    !(rc = api_store(c)->server->link_get(api_store(c), api_param(c, 0), l, &c->err)) &&
	    !(rc = api_member_visible(c, l->member_ext, &m))) {
		snprintf(url, sizeof(url), "%s/s/%s", c->api->cfg.base_url, l->code);
		if (!(rc = poster_qr_png(url, (int)size, &png, &c->err)))
			rc = reply_png(c, &png);
	}
	free(png.data);
	free(l);
	return rc;
}

enum tk_rc h_me_invite_qr(struct api_call *c)
{
	struct member_rec m;
	struct poster_png png = {0};
	char code[16], url[URL_MAX];
	int64_t size;
	enum tk_rc rc;
	if ((rc = api_query_i64(c, "size", QR_SIZE_DEFAULT, POSTER_QR_SIZE_MIN,
				POSTER_QR_SIZE_MAX, &size)) ||
	    (rc = session_member(c, &m)))
		return rc;
	engine_invite_code(m.id, code);
	invite_url(c, code, url, sizeof(url));
	if (!(rc = poster_qr_png(url, (int)size, &png, &c->err)))
		rc = reply_png(c, &png);
	free(png.data);
	return rc;
}

enum tk_rc h_me_invite_poster(struct api_call *c)
{
	struct member_rec m;
	struct poster_png png = {0};
	struct poster_layout *l = malloc(sizeof(*l));
	char code[16], url[URL_MAX];
	enum tk_rc rc;
	if (!l)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	struct poster_invite in = {0};
	if (!(rc = query_lang(c, &in.lang)) && !(rc = session_member(c, &m))) {
		engine_invite_code(m.id, code);
		invite_url(c, code, url, sizeof(url));
		in.member_name = m.name[0] ? m.name : m.ext;
		in.invite_code = code;
		poster_layout_invite(&in, poster_font_measure, NULL, l);
		if (!(rc = poster_render(l, url, NULL, 0, &png, &c->err)))
			rc = reply_png(c, &png);
	}
	free(png.data);
	free(l);
	return rc;
}

/* Forgets a failure the poster works around (its QR code then invites
 * instead of linking): no error fields may leak into the 200 answer. */
static void forget_failure(struct api_call *c)
{
	memset(&c->err, 0, sizeof(c->err));
	c->err_status = 0;
	c->err_code = NULL;
	c->err_union[0] = c->err_union_code[0] = '\0';
	c->retry_after = 0;
}

enum tk_rc h_product_poster(struct api_call *c)
{
	struct catalog_product *p = malloc(sizeof(*p));
	struct poster_layout *l = malloc(sizeof(*l));
	struct poster_png png = {0};
	struct member_rec m;
	struct store *st = api_store(c);
	char code[16], url[URL_MAX], tpwd[CONV_TPWD_MAX];
	unsigned char *image = NULL;
	size_t image_len = 0;
	json_t *doc = NULL;
	struct poster_product in = {0};
	enum tk_rc rc;
	if (!p || !l) {
		rc = tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((rc = query_lang(c, &in.lang)) || (rc = session_member(c, &m)) ||
	    (rc = st->catalog->product_get(st, api_param(c, 0), api_param(c, 1), p, &c->err)))
		goto out;
	engine_invite_code(m.id, code);
	/* the member's own link, as the copy text's; when it cannot be had
	 * (no tag of the union, a union's refusal, the quota), the poster
	 * still serves: its QR code invites to the member's team instead */
	if (api_product_link(c, &m, p->union_, p->product, url, sizeof(url), tpwd, sizeof(tpwd),
			     &doc)) {
		char why[256];
		tk_error_format(&c->err, why, sizeof(why));
		fprintf(stderr, "tuike serve: poster of %s:%s for %s shows the invitation: %s\n",
			p->union_, p->product, m.ext, why);
		forget_failure(c);
		invite_url(c, code, url, sizeof(url));
		in.qr_is_invite = true;
	}
	in.union_ = p->union_;
	in.title = p->title;
	in.price = p->price;
	in.coupon = catalog_coupon_valid(p, c->now) ? p->coupon : 0;
	in.final_price = catalog_final_price(p, c->now);
	in.member_name = m.name[0] ? m.name : m.ext;
	in.invite_code = code;
	poster_layout_product(&in, poster_font_measure, NULL, l);

	/* the image may take seconds to come: the engine is let go meanwhile
	 * (nothing below reads the database) */
	struct links_unlock unlock;
	api_links_unlock(c, &unlock);
	links_unlock_release(&unlock);
	struct tk_error ierr = {0};
	if (p->image[0] &&
	    poster_images_get(c->api->images, p->image, c->now, &image, &image_len, &ierr)) {
		char why[256];
		tk_error_format(&ierr, why, sizeof(why));
		fprintf(stderr, "tuike serve: poster of %s:%s without its image: %s\n", p->union_,
			p->product, why);
	}
	rc = poster_render(l, url, image, image_len, &png, &c->err);
	enum tk_rc relock = links_unlock_retake(&unlock, rc ? &ierr : &c->err);
	if (!rc && !(rc = relock))
		rc = reply_png(c, &png);
out:
	json_decref(doc);
	free(image);
	free(png.data);
	free(p);
	free(l);
	return rc;
}

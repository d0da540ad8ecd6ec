/* api_posters.c — images a member shares: the QR code of a tracking link,
 * the member's invitation QR code and poster, and a product's poster with
 * the member's own link in its QR code.  Drawn here, on the server, as
 * real PNG addresses: WeChat's browser lets a member long-press and save
 * those, and product images from the unions' CDNs never taint a canvas
 * (docs/web.md#posters-and-qr-codes). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_product.h"
#include "core/tktime.h"
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

/* ---- signed image addresses ----
 * An <img> sends no Authorization header, and WeChat's browser saves or
 * forwards only a real image address on long-press: the page asks for a
 * signed address instead.  It names the member and its expiry and is
 * signed with the database's "image-key" (HMAC-SHA-256), so every node
 * accepts it; it covers the path and the parameters the images read (lang,
 * size), and is valid a day, to the end of an hour (the same address for
 * an hour, which the browser caches). */

#define IMAGE_URL_TTL_S 86400
#define IMAGE_SIG_HEX (crypto_auth_hmacsha256_BYTES * 2 + 1)

static void image_sig(const struct api *a, const char *path, const char *member, int64_t exp,
		      const char *lang, const char *size, char out[IMAGE_SIG_HEX])
{
	char text[ROUTE_PATH_MAX + ORDER_KEY_MAX + 96];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	int n = snprintf(text, sizeof(text), "GET\n%s\n%s\n%lld\n%s\n%s", path, member,
			 (long long)exp, lang ? lang : "", size ? size : "");
	crypto_auth_hmacsha256(mac, (const unsigned char *)text,
			       (unsigned long long)(n < (int)sizeof(text) ? n : (int)sizeof(text) - 1),
			       a->image_key);
	sodium_bin2hex(out, IMAGE_SIG_HEX, mac, sizeof(mac));
}

/* Characters an image path may hold: those of its routes' own segments
 * and of union product ids and link codes, none needing an escape. */
static bool path_plain(const char *p)
{
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '.' || *p == '-' || *p == '_'))
			return false;
	return true;
}

/* Appends "&name=value" (value escaped) to buf. */
static void add_param(char *buf, size_t size, const char *name, const char *value)
{
	size_t o = strlen(buf);
	o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%c%s=", strchr(buf, '?') ? '&' : '?',
			      name);
	for (const unsigned char *v = (const unsigned char *)value; *v && o + 4 < size; v++) {
		bool plain = (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
			     (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' || *v == '.' || *v == '~';
		o += (size_t)snprintf(buf + o, size - o, plain ? "%c" : "%%%02X", *v);
	}
}

enum tk_rc h_image_url(struct api_call *c)
{
	char pbuf[ROUTE_PATH_MAX], lbuf[8], sbuf[8], sig[IMAGE_SIG_HEX], exp_s[24];
	char url[ROUTE_PATH_MAX + 256];
	const char *path, *lang, *size;
	struct member_rec m;
	struct route_match match;
	enum tk_rc rc;
	if ((rc = api_query(c, "path", pbuf, sizeof(pbuf), &path)) ||
	    (rc = api_query(c, "lang", lbuf, sizeof(lbuf), &lang)) ||
	    (rc = api_query(c, "size", sbuf, sizeof(sbuf), &size)) || (rc = session_member(c, &m)))
		return rc;
	if (!path)
		return tk_fail(&c->err, TK_EINVAL, "path", "is required: the image's path");
	if (!path_plain(path) ||
	    router_match(api_routes, api_routes_count, "GET", path, &match) != ROUTE_FOUND ||
	    !(match.route->flags & ROUTE_SIGNED))
		return tk_fail(&c->err, TK_EINVAL, "path",
			       "must be the path of a poster or QR code image, got \"%.200s\"", path);
	/* a day ahead, to the end of the hour: one address an hour */
	int64_t exp = (c->now + IMAGE_URL_TTL_S + 3599) / 3600 * 3600;
	image_sig(c->api, path, m.ext, exp, lang, size, sig);
	snprintf(url, sizeof(url), "%s", path);
	if (lang)
		add_param(url, sizeof(url), "lang", lang);
	if (size)
		add_param(url, sizeof(url), "size", size);
	add_param(url, sizeof(url), "m", m.ext);
	snprintf(exp_s, sizeof(exp_s), "%lld", (long long)exp);
	add_param(url, sizeof(url), "exp", exp_s);
	add_param(url, sizeof(url), "sig", sig);
	char at[TKTIME_BUF];
	return api_reply(c, 200, json_pack("{s:s, s:s}", "url", url, "expires_at",
					   tktime_format_iso8601(exp, TKTIME_BEIJING_OFFSET, at)));
}

static enum tk_rc refuse(struct api_call *c, const char *why)
{
	c->err_status = 401;
	c->err_code = "unauthorized";
	return tk_fail(&c->err, TK_EINVAL, "sig", "%s", why);
}

enum tk_rc api_image_signed(struct api_call *c)
{
	char mbuf[ORDER_KEY_MAX], ebuf[24], sbuf[IMAGE_SIG_HEX + 1], lbuf[8], zbuf[8];
	char want[IMAGE_SIG_HEX];
	const char *member, *exp_s, *sig, *lang, *size;
	struct member_rec m;
	char *end;
	if (api_query(c, "m", mbuf, sizeof(mbuf), &member) ||
	    api_query(c, "exp", ebuf, sizeof(ebuf), &exp_s) ||
	    api_query(c, "sig", sbuf, sizeof(sbuf), &sig) ||
	    api_query(c, "lang", lbuf, sizeof(lbuf), &lang) ||
	    api_query(c, "size", zbuf, sizeof(zbuf), &size) || !member || !exp_s || !sig)
		return refuse(c, "a signed image address needs m, exp and sig");
	long long exp = strtoll(exp_s, &end, 10);
	if (*end || exp <= 0)
		return refuse(c, "a signed image address needs m, exp and sig");
	image_sig(c->api, c->path, member, exp, lang, size, want);
	if (strlen(sig) != strlen(want) || sodium_memcmp(sig, want, strlen(want)) != 0)
		return refuse(c, "the image address's signature does not match it");
	if (exp < c->now)
		return refuse(c, "the image address has expired: ask for a new one");
	struct tk_error err;
	if (api_store(c)->ops->member_get(api_store(c), member, &m, &err))
		return refuse(c, "the image address's member is no more");
	c->who.kind = PRINCIPAL_MEMBER;
	c->who.id = m.id;
	snprintf(c->who.name, sizeof(c->who.name), "%s", m.ext);
	return TK_OK;
}

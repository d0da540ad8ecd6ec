/* links_convert.c — the conversions behind product links: the member's
 * tags into a conversion request, the saved conversion reused or made
 * again, demo conversions made locally, and the refresh of those nearing
 * expiry (links_convert.h). */
#include "http/links_convert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "catalog/catalog_product.h"
#include "feeds/convert.h"
#include "store/catalog_store.h"

#define DAY_S 86400

enum tk_rc links_conv_load(const char *path, struct links_conv *lc, struct tk_error *err)
{
	enum tk_rc rc = sync_conf_load(path, &lc->conf, err);
	if (rc)
		return rc;
	const char *demo = getenv("TUIKE_DEMO");
	bool any = false;
	for (int u = 0; u < SYNC_UNIONS; u++)
		any = any || sync_conf_has(&lc->conf, (enum sync_union)u);
	lc->demo = lc->conf.convert_demo || (!any && demo && strcmp(demo, "1") == 0);
	return TK_OK;
}

bool links_conv_applies(const struct links_conv *lc, const char *union_)
{
	enum sync_union u;
	if (!lc || !sync_union_parse(union_, &u))
		return false;
	return lc->demo || sync_conf_has(&lc->conf, u);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A demo conversion: the unions' URL shapes with "DEMO" and a hash of the
 * material and tag, so that each member's link is its own. */
static void demo_convert(const struct convert_req *r, struct convert_result *res)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t h[16];
	char id[24];
	char in[CONVERT_URL_MAX + CONVERT_TAG_MAX + 2];
	int n = snprintf(in, sizeof(in), "%s|%s", r->material, convert_main_tag(r));
	crypto_generichash(h, sizeof(h), (const uint8_t *)in, (size_t)n, NULL, 0);
	for (int i = 0; i < 5; i++) {
		id[2 * i] = hex[h[i] >> 4];
		id[2 * i + 1] = hex[h[i] & 15];
	}
	id[10] = '\0';
	memset(res, 0, sizeof(*res));
	switch (r->u) {
	case SYNC_JD:
		snprintf(res->short_url, sizeof(res->short_url), "https://u.jd.com/DEMO%s", id);
		snprintf(res->long_url, sizeof(res->long_url),
			 "https://union-click.jd.com/jdc?e=DEMO%s", id);
		res->ttl_s = CONVERT_JD_SHORT_TTL_S;
		break;
	case SYNC_TAOBAO:
		snprintf(res->short_url, sizeof(res->short_url), "https://s.click.taobao.com/DEMO%s",
			 id);
		snprintf(res->long_url, sizeof(res->long_url),
			 "https://uland.taobao.com/coupon/edetail?e=DEMO%s", id);
		snprintf(res->tpwd, sizeof(res->tpwd), "￥DEMO%s￥", id);
		break;
	default:
		snprintf(res->short_url, sizeof(res->short_url), "https://p.pinduoduo.com/DEMO%s", id);
		snprintf(res->long_url, sizeof(res->long_url),
			 "https://mobile.yangkeduo.com/duo_coupon_landing.html?e=DEMO%s", id);
		break;
	}
}

enum tk_rc links_conversion(struct engine *e, const struct links_conv *lc,
			    const struct member_rec *m, const char *union_, const char *product,
			    const char *url, int64_t now, bool force, struct conversion_rec *out,
			    bool *fresh, struct links_fault *fault, struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct convert_req *req = NULL;
	struct convert_result *res = NULL;
	enum tk_rc rc;
	if (fresh)
		*fresh = false;
	if (fault)
		memset(fault, 0, sizeof(*fault));
	if (!links_conv_applies(lc, union_))
		return tk_fail(err, TK_EINVAL, "union", "%s links are not converted", union_);
	rc = st->server->conversion_get(st, m->id, union_, product, "", out, err);
	int64_t margin = (int64_t)lc->conf.convert_refresh_days * DAY_S;
	/* a saved one of the same kind (demo or not) while far from expiry */
	if (rc == TK_OK && !force && out->demo == lc->demo && now < out->expires_at - margin)
		return TK_OK;
	if (rc && rc != TK_ENOTFOUND)
		return rc;
	if (!(req = calloc(1, sizeof(*req))) || !(res = calloc(1, sizeof(*res)))) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	sync_union_parse(union_, &req->u);
	/* JD converts a URL or sku; Taobao an item id; Pinduoduo a goods id
	 * or goods_sign: the library's id, else (JD) its URL. */
	snprintf(req->material, sizeof(req->material), "%s",
		 req->u == SYNC_JD && !all_digits(product) ? url : product);
	req->tpwd = req->u == SYNC_TAOBAO;
	if ((rc = st->server->member_tags(st, m->id, convert_take_tag, req, err)))
		goto out;
	if (!convert_main_tag(req)[0]) {
		rc = tk_fail(err, TK_ECONFLICT, "member",
			     "member \"%s\" has no %s union tag to convert with; register one with "
			     "`tuike tag set %s %s KIND VALUE`",
			     m->ext, union_, m->ext, union_);
		goto out;
	}
	if (req->u == SYNC_PDD) /* the union's reports then group by member */
		snprintf(req->sid, sizeof(req->sid), "%s", m->ext);
	if (lc->demo && !sync_conf_has(&lc->conf, req->u)) {
		demo_convert(req, res);
	} else if ((rc = convert_link(&lc->conf, req, res, NULL, NULL, err))) {
		if (fault && (res->refused || rc == TK_EIO)) {
			fault->failed = true;
			fault->refused = res->refused;
			snprintf(fault->union_, sizeof(fault->union_), "%s", union_);
			snprintf(fault->code, sizeof(fault->code), "%s", res->code);
		}
		if (res->refused && err) /* the union's answer, not a bad request of ours */
			rc = err->rc = TK_ECONFLICT;
		goto out;
	}
	memset(out, 0, sizeof(*out));
	out->member = m->id;
	snprintf(out->union_, sizeof(out->union_), "%s", union_);
	snprintf(out->product, sizeof(out->product), "%s", product);
	snprintf(out->url, sizeof(out->url), "%s", res->short_url[0] ? res->short_url : res->long_url);
	snprintf(out->long_url, sizeof(out->long_url), "%s", res->long_url);
	snprintf(out->tpwd, sizeof(out->tpwd), "%s", res->tpwd);
	out->demo = lc->demo && !sync_conf_has(&lc->conf, req->u);
	out->converted_at = now;
	out->expires_at = now + (res->ttl_s ? res->ttl_s
					    : (int64_t)lc->conf.convert_ttl_days * DAY_S);
	if ((rc = st->server->conversion_put(st, out, err)))
		goto out;
	if (fresh)
		*fresh = true;
out:
	free(req);
	free(res);
	return rc;
}

struct refresh_list {
	struct conversion_rec *v;
	int n, cap;
};

static bool collect(void *ctx, const struct conversion_rec *c)
{
	struct refresh_list *l = ctx;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		struct conversion_rec *v = realloc(l->v, (size_t)cap * sizeof(*v));
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return true;
}

/* Conversions refreshed per run: each is a union call. */
#define REFRESH_MAX 10000

enum tk_rc links_refresh(struct engine *e, const struct links_conv *lc, int64_t now,
			 int64_t within, int *refreshed, int *failed, links_refresh_fail_cb on_fail,
			 void *ctx, struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct refresh_list l = {0};
	struct conversion_rec *c = malloc(sizeof(*c));
	*refreshed = *failed = 0;
	enum tk_rc rc = c ? st->server->conversion_expiring(st, now + within, REFRESH_MAX, collect,
							    &l, err)
			  : tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (int i = 0; rc == TK_OK && i < l.n; i++) {
		struct member_rec m;
		struct tk_error why = {0};
		enum tk_rc one = st->ops->member_get_id(st, l.v[i].member, &m, &why);
		if (one == TK_OK && !links_conv_applies(lc, l.v[i].union_))
			one = tk_fail(&why, TK_EINVAL, l.v[i].union_,
				      "no credentials to convert with: set %s.app_key and "
				      "%s.app_secret in the config file",
				      l.v[i].union_, l.v[i].union_);
		/* JD converts the library's URL when the id is no sku */
		struct catalog_product *p = NULL;
		if (one == TK_OK && strcmp(l.v[i].union_, "jd") == 0 && !all_digits(l.v[i].product)) {
			if (!st->catalog || !st->catalog->product_get || !(p = malloc(sizeof(*p))))
				one = tk_fail(&why, TK_ENOTFOUND, "product", "no product library");
			else
				one = st->catalog->product_get(st, l.v[i].union_, l.v[i].product, p,
							       &why);
		}
		if (one == TK_OK)
			one = links_conversion(e, lc, &m, l.v[i].union_, l.v[i].product,
					       p ? p->url : "", now, true, c, NULL, NULL, &why);
		free(p);
		if (one) {
			(*failed)++;
			if (on_fail)
				on_fail(ctx, &l.v[i], &why);
		} else {
			(*refreshed)++;
		}
	}
	free(l.v);
	free(c);
	return rc;
}

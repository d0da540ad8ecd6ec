/* links_convert.c — the conversions behind product links: the member's
 * tags into a conversion request, the saved conversion reused or made
 * again, demo conversions made locally, and the refresh of those nearing
 * expiry (links_convert.h). */
#include "tracking/links_convert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "catalog/catalog_product.h"
#include "feeds/convert.h"
#include "store/catalog_store.h"
#include "store/group_store.h"
#include "tracking/tracking.h"

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

/* Whether the saved conversion c serves under lc at now: of the same kind
 * (demo or not) and far enough from its expiry. */
static bool still_good(const struct links_conv *lc, const struct conversion_rec *c, int64_t now)
{
	int64_t margin = (int64_t)lc->conf.convert_refresh_days * DAY_S;
	return c->demo == lc->demo && now < c->expires_at - margin;
}

enum tk_rc links_conv_lookup(struct engine *e, const struct links_conv *lc,
			     const struct member_rec *m, const char *channel, const char *union_,
			     const char *product, const char *url, int64_t now, bool force,
			     struct conversion_rec *out, struct links_pending *p,
			     struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct convert_req *req = &p->req;
	memset(p, 0, sizeof(*p));
	if (!links_conv_applies(lc, union_))
		return tk_fail(err, TK_EINVAL, "union", "%s links are not converted", union_);
	if (!channel)
		channel = "";
	enum tk_rc rc = st->server->conversion_get(st, m->id, union_, product, "", channel, out,
						   err);
	if (rc == TK_OK && !force && still_good(lc, out, now))
		return TK_OK;
	if (rc && rc != TK_ENOTFOUND)
		return rc;
	p->seen_at = rc == TK_OK ? out->converted_at : 0;
	p->force = force;
	p->member = m->id;
	snprintf(p->channel, sizeof(p->channel), "%s", channel);
	p->now = now;
	snprintf(p->union_, sizeof(p->union_), "%s", union_);
	snprintf(p->product, sizeof(p->product), "%s", product);
	sync_union_parse(union_, &req->u);
	/* JD converts a URL or sku; Taobao an item id; Pinduoduo a goods id
	 * or goods_sign: the library's id, else (JD) its URL. */
	snprintf(req->material, sizeof(req->material), "%s",
		 req->u == SYNC_JD && !all_digits(product) ? url : product);
	req->tpwd = req->u == SYNC_TAOBAO;
	/* a group's link: the group's tags first, the member's own for the
	 * kinds the group has none of */
	if (channel[0] && !st->groups)
		return tk_fail(err, TK_EINVAL, "group", "this store keeps no groups");
	if ((channel[0] && (rc = st->groups->group_tags(st, channel, convert_take_tag, req, err))) ||
	    (rc = st->server->member_tags(st, m->id, convert_take_tag, req, err)))
		return rc;
	if (!convert_main_tag(req)[0]) {
		tk_fail_key(err, TK_ECONFLICT, "member", "tag.none_of_union",
			    "member \"%s\" has no %s union tag to convert with; register one "
			    "with `tuike tag register %s %s` or `tuike tag set %s %s KIND VALUE`",
			    m->ext, union_, m->ext, union_, m->ext, union_);
		tk_error_str(err, "member", m->ext);
		tk_error_str(err, "union", union_);
		return TK_ECONFLICT;
	}
	if (req->u == SYNC_PDD) /* the union's reports then group by member, or group */
		snprintf(req->sid, sizeof(req->sid), "%s", channel[0] ? channel : m->ext);
	p->demo = lc->demo && !sync_conf_has(&lc->conf, req->u);
	p->needed = true;
	return TK_OK;
}

enum tk_rc links_conv_call(const struct links_conv *lc, struct links_pending *p,
			   struct links_fault *fault, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	if (fault)
		memset(fault, 0, sizeof(*fault));
	if (p->demo) {
		demo_convert(&p->req, &p->res);
	} else if ((rc = convert_link(&lc->conf, &p->req, &p->res, NULL, NULL, err))) {
		if (fault && (p->res.refused || rc == TK_EIO)) {
			fault->failed = true;
			fault->refused = p->res.refused;
			snprintf(fault->union_, sizeof(fault->union_), "%s", p->union_);
			snprintf(fault->code, sizeof(fault->code), "%s", p->res.code);
		}
		if (p->res.refused && err) /* the union's answer, not a bad request of ours */
			rc = err->rc = TK_ECONFLICT;
	}
	p->called = rc == TK_OK;
	return rc;
}

enum tk_rc links_conv_save(struct store *st, const struct links_conv *lc,
			   const struct links_pending *p, struct conversion_rec *out, bool *fresh,
			   struct tk_error *err)
{
	const struct convert_result *res = &p->res;
	if (fresh)
		*fresh = false;
	if (!p->called)
		return tk_fail(err, TK_EINVAL, "conversion", "saved before the union was called");
	/* Another call may have saved one for the same product while ours was
	 * at the union: a newer good one stays (its links already point at
	 * it), so that the links do not flip between two. */
	enum tk_rc rc = st->server->conversion_get(st, p->member, p->union_, p->product, "",
						   p->channel, out, err);
	if (rc == TK_OK && out->converted_at > p->seen_at && out->converted_at >= p->now &&
	    still_good(lc, out, p->now))
		return TK_OK;
	if (rc && rc != TK_ENOTFOUND)
		return rc;
	memset(out, 0, sizeof(*out));
	out->member = p->member;
	snprintf(out->union_, sizeof(out->union_), "%s", p->union_);
	snprintf(out->product, sizeof(out->product), "%s", p->product);
	snprintf(out->channel, sizeof(out->channel), "%s", p->channel);
	snprintf(out->url, sizeof(out->url), "%s", res->short_url[0] ? res->short_url : res->long_url);
	snprintf(out->long_url, sizeof(out->long_url), "%s", res->long_url);
	snprintf(out->tpwd, sizeof(out->tpwd), "%s", res->tpwd);
	out->demo = p->demo;
	out->converted_at = p->now;
	out->expires_at = p->now + (res->ttl_s ? res->ttl_s
					       : (int64_t)lc->conf.convert_ttl_days * DAY_S);
	if ((rc = st->server->conversion_put(st, out, err)))
		return rc;
	if (fresh)
		*fresh = true;
	return TK_OK;
}

enum tk_rc links_unlock_release(const struct links_unlock *u)
{
	if (u && u->release)
		u->release(u->ctx);
	return TK_OK;
}

enum tk_rc links_unlock_retake(const struct links_unlock *u, struct tk_error *err)
{
	return u && u->retake ? u->retake(u->ctx, err) : TK_OK;
}

enum tk_rc links_conversion(struct engine *e, const struct links_conv *lc,
			    const struct member_rec *m, const char *channel, const char *union_,
			    const char *product,
			    const char *url, int64_t now, bool force, struct conversion_rec *out,
			    bool *fresh, struct links_fault *fault, const struct links_unlock *unlock,
			    struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct links_pending *p = malloc(sizeof(*p));
	enum tk_rc rc;
	if (fresh)
		*fresh = false;
	if (fault)
		memset(fault, 0, sizeof(*fault));
	if (!p)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if ((rc = links_conv_lookup(e, lc, m, channel, union_, product, url, now, force, out, p,
				    err)) ||
	    !p->needed)
		goto out;
	/* the union is called holding neither the caller's lock nor a
	 * transaction: a slow union stops nobody else */
	links_unlock_release(unlock);
	rc = links_conv_call(lc, p, fault, err);
	enum tk_rc lrc = links_unlock_retake(unlock, err);
	if (rc || (rc = lrc))
		goto out;
	rc = tracking_conversion_save(st, lc, p, out, fresh, err);
out:
	free(p);
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
			one = links_conversion(e, lc, &m, l.v[i].channel, l.v[i].union_,
					       l.v[i].product,
					       p ? p->url : "", now, true, c, NULL, NULL, NULL, &why);
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

/* product_feed.c — the unions' product APIs: each union's request, its
 * reply mapped to catalog products (money and rates converted exactly),
 * and the paged, retried pull (product_feed.h says which API takes what). */
#include "feeds/product_feed.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/money.h"
#include "core/strmap.h"
#include "core/tktime.h"
#include "feeds/sync_http.h"
#include "feeds/union_call.h"
#include "feeds/union_page.h"


static const char *const methods[PRODUCT_APIS] = {
	"jd.union.open.goods.jingfen.query",
	"taobao.tbk.dg.material.optional",
	"pdd.ddk.goods.search",
	"jd.union.open.goods.query",
	"pdd.ddk.goods.recommend.get",
};
static const enum sync_union api_unions[PRODUCT_APIS] = {
	SYNC_JD, SYNC_TAOBAO, SYNC_PDD, SYNC_JD, SYNC_PDD,
};
/* How a refusal names what was refused. */
#define WHAT "the product query"

enum sync_union product_api_union(enum product_api a)
{
	assert((unsigned)a < PRODUCT_APIS);
	return api_unions[a];
}

const char *product_api_method(enum product_api a)
{
	assert((unsigned)a < PRODUCT_APIS);
	return methods[a];
}

void product_page_free(struct product_page *pg)
{
	free(pg->v);
	memset(pg, 0, sizeof(*pg));
}

/* ---- requests ---- */

static enum tk_rc system_params(const struct sync_union_conf *uc, enum product_api a,
				struct sync_params *p, struct tk_error *err)
{
	enum sync_union u = api_unions[a];
	enum tk_rc rc;
	sync_params_init(p);
	if (u == SYNC_PDD) {
		if ((rc = sync_params_set(p, "type", methods[a], err)) ||
		    (rc = sync_params_set(p, "client_id", uc->app_key, err)) ||
		    (rc = sync_params_set(p, "data_type", "JSON", err)))
			return rc;
	} else {
		if ((rc = sync_params_set(p, "method", methods[a], err)) ||
		    (rc = sync_params_set(p, "app_key", uc->app_key, err)) ||
		    (rc = sync_params_set(p, "format", "json", err)) ||
		    (rc = sync_params_set(p, "v", u == SYNC_JD ? "1.0" : "2.0", err)))
			return rc;
	}
	return sync_params_set(p, "sign_method", "md5", err);
}

/* The adzone of Taobao's PID mm_<member>_<site>_<adzone>, or "". */
static const char *pid_adzone(const char *pid)
{
	const char *last = strrchr(pid, '_');
	return last && strncmp(pid, "mm_", 3) == 0 ? last + 1 : "";
}

/* 360buy_param_json: {"<req>": fields}, compact, keys sorted. */
static enum tk_rc jd_param_json(struct sync_params *p, const char *req, json_t *fields,
				struct tk_error *err)
{
	json_t *doc = fields ? json_pack("{s:o}", req, fields) : NULL;
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(doc);
	if (!text)
		return tk_fail(err, TK_ENOMEM, "request", "out of memory");
	enum tk_rc rc = sync_params_set(p, "360buy_param_json", text, err);
	free(text);
	return rc;
}

/* A whole number in 1..max written alone in s (no sign, no spaces). */
static bool list_number(const char *s, long long max, long long *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end && *out >= 0 && *out <= max;
}

/* jd.union.open.goods.query: a keyword, or a category "cidN:ID". */
static enum tk_rc jd_query_build(const struct sync_union_conf *uc, const char *list, int page,
				 struct sync_params *p, struct tk_error *err)
{
	long long cid;
	json_t *req = json_pack("{s:i, s:i}", "pageIndex", page, "pageSize", uc->product_page_size);
	if (strncmp(list, "cid", 3) == 0 && list[3] >= '1' && list[3] <= '3' && list[4] == ':') {
		char key[5] = {'c', 'i', 'd', list[3], '\0'};
		if (!list_number(list + 5, INT64_C(999999999999), &cid) || cid == 0) {
			json_decref(req);
			return tk_fail(err, TK_EINVAL, "jd.product_queries",
				       "a category must be cid1:N, cid2:N or cid3:N, got \"%.40s\"", list);
		}
		if (req)
			json_object_set_new(req, key, json_integer((json_int_t)cid));
	} else if (!list[0]) {
		json_decref(req);
		return tk_fail(err, TK_EINVAL, "jd.product_queries",
			       "must name a keyword or a category for each search");
	} else if (req) {
		json_object_set_new(req, "keyword", json_string(list));
	}
	return jd_param_json(p, "goodsReqDTO", req, err);
}

enum tk_rc product_feed_build(const struct sync_conf *c, enum product_api a, const char *list,
			      int page, const char *list_id, struct sync_params *p,
			      struct tk_error *err)
{
	assert((unsigned)a < PRODUCT_APIS);
	const struct sync_union_conf *uc = &c->u[api_unions[a]];
	enum tk_rc rc = system_params(uc, a, p, err);
	long long n;
	if (rc)
		return rc;
	switch (a) {
	case PRODUCT_JD_JINGFEN:
		if (!list_number(list, 100000, &n) || n == 0)
			return tk_fail(err, TK_EINVAL, "jd.products",
				       "must list eliteIds (digits), got \"%.40s\"", list);
		return jd_param_json(p, "goodsReq",
				     json_pack("{s:I, s:i, s:i}", "eliteId", (json_int_t)n, "pageIndex",
					       page, "pageSize", uc->product_page_size),
				     err);
	case PRODUCT_JD_QUERY:
		return jd_query_build(uc, list, page, p, err);
	case PRODUCT_TAOBAO_SEARCH:
		if (!pid_adzone(uc->pid)[0])
			return tk_fail(err, TK_EINVAL, "taobao.pid",
				       "is needed to pull products (the PID "
				       "mm_<member>_<site>_<adzone> whose adzone_id the search uses)");
		if (!list[0])
			return tk_fail(err, TK_EINVAL, "taobao.products",
				       "must name what to search for (material.optional needs q)");
		if ((rc = sync_params_set(p, "adzone_id", pid_adzone(uc->pid), err)) ||
		    (rc = sync_params_set(p, "q", list, err)) ||
		    (rc = sync_params_set_int(p, "page_no", page, err)))
			return rc;
		return sync_params_set_int(p, "page_size", uc->product_page_size, err);
	case PRODUCT_PDD_RECOMMEND:
		/* offset must be a whole number of pages (limit); the
		 * list_id of the first page keeps the list the same */
		if (!list_number(list, 8, &n) || n == 3)
			return tk_fail(err, TK_EINVAL, "pdd.product_channels",
				       "must list channel types 0, 1, 2, 4..8, got \"%.40s\"", list);
		if ((rc = sync_params_set(p, "channel_type", list, err)) ||
		    (rc = sync_params_set_int(p, "limit", uc->product_page_size, err)) ||
		    (rc = sync_params_set_int(p, "offset",
					      (long long)(page - 1) * uc->product_page_size, err)))
			return rc;
		break;
	default:
		if (list[0] && (rc = sync_params_set(p, "keyword", list, err)))
			return rc;
		if ((rc = sync_params_set_int(p, "page", page, err)) ||
		    (rc = sync_params_set_int(p, "page_size", uc->product_page_size, err)))
			return rc;
		break;
	}
	/* Pinduoduo, both APIs */
	if (uc->pid[0] && (rc = sync_params_set(p, "pid", uc->pid, err)))
		return rc;
	if (page > 1 && list_id && list_id[0])
		return sync_params_set(p, "list_id", list_id, err);
	return TK_OK;
}

/* ---- reading fields ---- */

static json_t *get(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v && !json_is_null(v) ? v : NULL;
}

/* "12.5" (at most two decimals; more only as trailing zeros) to 1250. */
static bool hundredths_text(const char *s, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, decimals = 0;
	if (!*s)
		return false;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > INT64_C(1000000000000000))
			return false;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, decimals++) {
			if (decimals < 2)
				frac = frac * 10 + (*s - '0');
			else if (*s != '0')
				return false;
		}
		if (decimals == 0)
			return false;
	}
	if (*s || digits == 0)
		return false;
	if (decimals == 1)
		frac *= 10;
	*out = whole * 100 + frac;
	return true;
}

/* A decimal (JSON number or string, not negative) in hundredths: yuan to
 * fen, percent to bps.  A JSON real is read back from its shortest
 * decimal form, the one it was parsed from. */
static bool hundredths(json_t *v, int64_t *out)
{
	char buf[64];
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < 0 || x > INT64_C(1000000000000000))
			return false;
		*out = (int64_t)x * 100;
		return true;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!(d >= 0 && d < 1e15))
			return false;
		snprintf(buf, sizeof(buf), "%.15g", d);
		return hundredths_text(buf, out);
	}
	if (json_is_string(v))
		return hundredths_text(json_string_value(v), out);
	return false;
}

static void shown(json_t *v, char *buf, size_t size)
{
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(buf, size, "%.40s", text ? text : "?");
	free(text);
}

/* Yuan (number or string) to fen, 0..CATALOG_PRICE_MAX. */
static enum tk_rc yuan(json_t *o, const char *path, const char *key, bool required, int64_t *fen,
		       struct tk_error *err)
{
	json_t *v = get(o, key);
	char s[48];
	*fen = 0;
	if (!v || (json_is_string(v) && !json_string_value(v)[0]))
		return required ? union_fail(err, TK_EINVAL, path, key, "is required") : TK_OK;
	if (hundredths(v, fen) && *fen <= CATALOG_PRICE_MAX)
		return TK_OK;
	shown(v, s, sizeof(s));
	return union_fail(err, TK_EINVAL, path, key,
			  "must be yuan with at most two decimals, 0..%lld, got %s",
			  (long long)(CATALOG_PRICE_MAX / 100), s);
}

/* A percent (number or string, at most two decimals) to bps, 0..10000. */
static enum tk_rc percent(json_t *o, const char *path, const char *key, bool required,
			  int32_t *bps, struct tk_error *err)
{
	json_t *v = get(o, key);
	int64_t h = 0;
	char s[48];
	*bps = 0;
	if (!v || (json_is_string(v) && !json_string_value(v)[0]))
		return required ? union_fail(err, TK_EINVAL, path, key, "is required") : TK_OK;
	if (hundredths(v, &h) && h <= BPS_ONE) {
		*bps = (int32_t)h;
		return TK_OK;
	}
	shown(v, s, sizeof(s));
	return union_fail(err, TK_EINVAL, path, key,
			  "must be a percent 0..100 with at most two decimals, got %s", s);
}

/* A whole number (JSON integer or digits) in 0..max. */
static enum tk_rc whole(json_t *o, const char *path, const char *key, bool required,
			int64_t max, int64_t *out, struct tk_error *err)
{
	enum tk_rc rc = union_field_int(o, path, key, required, out, err);
	if (rc == TK_OK && (*out < 0 || *out > max))
		rc = union_fail(err, TK_EINVAL, path, key, "must be 0..%lld, got %lld",
				(long long)max, (long long)*out);
	return rc;
}

/* A link as the unions give them: "https://...", "//host/..." (scheme
 * left to the page) or "host/..." (JD's materialUrl).  Empty when absent
 * or too long: a product without a picture is still a product. */
static void link_of(json_t *o, const char *key, char *buf, size_t size)
{
	json_t *v = get(o, key);
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	int n;
	buf[0] = '\0';
	if (!*s)
		return;
	if (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0)
		n = snprintf(buf, size, "%s", s);
	else if (strncmp(s, "//", 2) == 0)
		n = snprintf(buf, size, "https:%s", s);
	else
		n = snprintf(buf, size, "https://%s", s);
	if (n < 0 || (size_t)n >= size)
		buf[0] = '\0';
}

/* Unix milliseconds (JD) to seconds; 0 stays "open". */
static enum tk_rc millis(json_t *o, const char *path, const char *key, int64_t *out,
			 struct tk_error *err)
{
	int64_t ms;
	enum tk_rc rc = whole(o, path, key, false, INT64_C(253402300799999), &ms, err);
	*out = rc == TK_OK ? ms / 1000 : 0;
	return rc;
}

/* Taobao's coupon dates: "2026-11-30" (the whole day, Beijing time),
 * "2026-11-30 10:00:00", or unix milliseconds.  `end` takes a date's last
 * second. */
static enum tk_rc tb_time(json_t *o, const char *path, const char *key, bool end, int64_t *out,
			  struct tk_error *err)
{
	json_t *v = get(o, key);
	char buf[40];
	*out = 0;
	if (!v || (json_is_string(v) && !json_string_value(v)[0]))
		return TK_OK;
	if (json_is_integer(v))
		return millis(o, path, key, out, err);
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	size_t n = strlen(s);
	if (n > 10 && strspn(s, "0123456789") == n)
		return millis(o, path, key, out, err);
	if (n == 10)
		snprintf(buf, sizeof(buf), "%s %s", s, end ? "23:59:59" : "00:00:00");
	else
		snprintf(buf, sizeof(buf), "%.39s", s);
	if (tktime_parse_local(buf, TKTIME_BEIJING_OFFSET, out))
		return TK_OK;
	return union_fail(err, TK_EINVAL, path, key,
			  "must be a date \"yyyy-MM-dd\" or \"yyyy-MM-dd HH:mm:ss\", got \"%.40s\"",
			  s);
}

/* ---- replies ---- */

/* One row of a union's product list to a catalog product. */
typedef enum tk_rc (*row_fn)(json_t *row, const char *path, struct catalog_product *p,
			     struct tk_error *err);

static enum tk_rc jd_row(json_t *row, const char *path, struct catalog_product *p,
			 struct tk_error *err)
{
	json_t *price = get(row, "priceInfo"), *comm = get(row, "commissionInfo");
	json_t *coupons = get(get(row, "couponInfo"), "couponList");
	json_t *images = get(get(row, "imageInfo"), "imageList");
	char at[96];
	enum tk_rc rc;
	snprintf(p->union_, sizeof(p->union_), "jd");
	if ((rc = union_field_text(row, path, "skuId", true, p->product, sizeof(p->product), err)))
		return rc;
	union_field_title(row, "skuName", p->title, sizeof(p->title));
	union_field_title(row, "brandName", p->brand, sizeof(p->brand));
	union_field_title(get(row, "shopInfo"), "shopName", p->shop, sizeof(p->shop));
	union_field_title(get(row, "categoryInfo"), "cid1Name", p->category, sizeof(p->category));
	snprintf(at, sizeof(at), "%s.priceInfo", path);
	if (!price)
		return union_fail(err, TK_EINVAL, path, "priceInfo", "is required");
	if ((rc = yuan(price, at, "price", true, &p->price, err)))
		return rc;
	snprintf(at, sizeof(at), "%s.commissionInfo", path);
	if (!comm)
		return union_fail(err, TK_EINVAL, path, "commissionInfo", "is required");
	if ((rc = percent(comm, at, "commissionShare", true, &p->commission_bps, err)))
		return rc;
	if ((rc = whole(row, path, "inOrderCount30Days", false, CATALOG_SALES_MAX, &p->sales, err)))
		return rc;
	link_of(json_array_get(images, 0), "url", p->image, sizeof(p->image));
	link_of(row, "materialUrl", p->url, sizeof(p->url));
	/* The best coupon JD marks (isBest), else the first that takes money
	 * off. */
	json_t *best = NULL, *c;
	size_t i, best_i = 0;
	json_array_foreach(coupons, i, c) {
		json_t *flag = get(c, "isBest");
		if (json_is_integer(flag) && json_integer_value(flag) == 1) {
			best = c;
			best_i = i;
			break;
		}
		if (!best)
			best = c, best_i = i;
	}
	if (best) {
		snprintf(at, sizeof(at), "%s.couponInfo.couponList[%zu]", path, best_i);
		if ((rc = yuan(best, at, "discount", true, &p->coupon, err)) ||
		    (rc = yuan(best, at, "quota", false, &p->coupon_min, err)) ||
		    (rc = millis(best, at, "useStartTime", &p->coupon_start, err)) ||
		    (rc = millis(best, at, "useEndTime", &p->coupon_end, err)))
			return rc;
		link_of(best, "link", p->coupon_url, sizeof(p->coupon_url));
		if (p->coupon == 0)
			p->coupon_min = p->coupon_start = p->coupon_end = 0, p->coupon_url[0] = '\0';
	}
	return TK_OK;
}

static enum tk_rc tb_row(json_t *row, const char *path, struct catalog_product *p,
			 struct tk_error *err)
{
	enum tk_rc rc;
	snprintf(p->union_, sizeof(p->union_), "taobao");
	if ((rc = union_field_text(row, path, "item_id", true, p->product, sizeof(p->product),
				   err)))
		return rc;
	union_field_title(row, "title", p->title, sizeof(p->title));
	union_field_title(row, "brand_name", p->brand, sizeof(p->brand));
	union_field_title(row, "shop_title", p->shop, sizeof(p->shop));
	union_field_title(row, "level_one_category_name", p->category, sizeof(p->category));
	if (!p->category[0])
		union_field_title(row, "category_name", p->category, sizeof(p->category));
	/* zk_final_price: the price a buyer sees before the coupon */
	if ((rc = yuan(row, path, "zk_final_price", true, &p->price, err)))
		return rc;
	/* commission_rate "1550" is 15.50%: already hundredths of a percent */
	int64_t rate;
	if ((rc = whole(row, path, "commission_rate", true, BPS_ONE, &rate, err)))
		return rc;
	p->commission_bps = (int32_t)rate;
	if ((rc = whole(row, path, "volume", false, CATALOG_SALES_MAX, &p->sales, err)) ||
	    (rc = yuan(row, path, "coupon_amount", false, &p->coupon, err)))
		return rc;
	if (p->coupon > 0 &&
	    ((rc = yuan(row, path, "coupon_start_fee", false, &p->coupon_min, err)) ||
	     (rc = tb_time(row, path, "coupon_start_time", false, &p->coupon_start, err)) ||
	     (rc = tb_time(row, path, "coupon_end_time", true, &p->coupon_end, err))))
		return rc;
	if (p->coupon > 0)
		link_of(row, "coupon_share_url", p->coupon_url, sizeof(p->coupon_url));
	link_of(row, "pict_url", p->image, sizeof(p->image));
	link_of(row, "url", p->url, sizeof(p->url));
	if (!p->url[0])
		link_of(row, "item_url", p->url, sizeof(p->url));
	return TK_OK;
}

static enum tk_rc pdd_row(json_t *row, const char *path, struct catalog_product *p,
			  struct tk_error *err)
{
	enum tk_rc rc;
	json_t *sign = get(row, "goods_sign");
	snprintf(p->union_, sizeof(p->union_), "pdd");
	/* Orders carry goods_id; the newer goods_sign stands in when the reply
	 * has no id. */
	if ((rc = union_field_text(row, path, "goods_id", !json_is_string(sign), p->product,
				   sizeof(p->product), err)))
		return rc;
	if (!p->product[0] &&
	    (rc = union_field_text(row, path, "goods_sign", true, p->product, sizeof(p->product),
				   err)))
		return rc;
	union_field_title(row, "goods_name", p->title, sizeof(p->title));
	union_field_title(row, "brand_name", p->brand, sizeof(p->brand));
	union_field_title(row, "mall_name", p->shop, sizeof(p->shop));
	union_field_title(row, "category_name", p->category, sizeof(p->category));
	if (!p->category[0])
		union_field_title(row, "opt_name", p->category, sizeof(p->category));
	int64_t per_mille;
	if ((rc = union_field_fen(row, path, "min_group_price", true, &p->price, err)) ||
	    (rc = whole(row, path, "promotion_rate", true, 1000, &per_mille, err)))
		return rc;
	if (p->price > CATALOG_PRICE_MAX)
		return union_fail(err, TK_EINVAL, path, "min_group_price", "is over %lld fen",
				  (long long)CATALOG_PRICE_MAX);
	p->commission_bps = (int32_t)(per_mille * 10);
	json_t *tip = get(row, "sales_tip");
	if (json_is_string(tip) && !product_feed_sales_tip(json_string_value(tip), &p->sales))
		return union_fail(err, TK_EINVAL, path, "sales_tip",
				  "must be a count such as \"1234\" or \"10万+\", got \"%.40s\"",
				  json_string_value(tip));
	json_t *has = get(row, "has_coupon");
	if (!has || json_is_true(has)) {
		if ((rc = union_field_fen(row, path, "coupon_discount", false, &p->coupon, err)) ||
		    (rc = union_field_fen(row, path, "coupon_min_order_amount", false, &p->coupon_min,
					  err)) ||
		    (rc = whole(row, path, "coupon_start_time", false, INT64_C(253402300799),
				&p->coupon_start, err)) ||
		    (rc = whole(row, path, "coupon_end_time", false, INT64_C(253402300799),
				&p->coupon_end, err)))
			return rc;
		if (p->coupon == 0)
			p->coupon_min = p->coupon_start = p->coupon_end = 0;
	}
	link_of(row, "goods_image_url", p->image, sizeof(p->image));
	if (json_is_integer(get(row, "goods_id")))
		snprintf(p->url, sizeof(p->url), "https://mobile.yangkeduo.com/goods.html?goods_id=%s",
			 p->product);
	return TK_OK;
}

bool product_feed_sales_tip(const char *s, int64_t *out)
{
	int64_t whole = 0, tenths = 0;
	bool any = false, dot = false;
	int frac_digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			any = true;
			if (!dot) {
				if (whole > INT64_C(100000000000))
					return false;
				whole = whole * 10 + (*s - '0');
			} else if (frac_digits++ < 1) {
				tenths = *s - '0';
			}
		} else if (*s == '.' && any && !dot) {
			dot = true;
		} else {
			break;
		}
	}
	if (!any)
		return false;
	/* 万 (10^4) and 亿 (10^8), in UTF-8; a '+' or anything after is a
	 * lower bound's decoration */
	int64_t unit = strncmp(s, "\xe4\xb8\x87", 3) == 0 ? 10000
		       : strncmp(s, "\xe4\xba\xbf", 3) == 0 ? 100000000 : 1;
	*out = whole * unit + tenths * unit / 10;
	return true;
}

/* Maps every element of rows; a row that cannot be read is counted, not
 * kept. */
static enum tk_rc fill(struct product_page *pg, json_t *rows, const char *name, row_fn fn,
		       struct tk_error *err)
{
	size_t n = json_array_size(rows);
	if (n > PRODUCT_FEED_PAGE_MAX)
		return tk_fail(err, TK_ELIMIT, name, "holds %zu products; a page holds at most %d",
			       n, PRODUCT_FEED_PAGE_MAX);
	pg->v = n ? calloc(n, sizeof(*pg->v)) : NULL;
	if (n && !pg->v)
		return tk_fail(err, TK_ENOMEM, name, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char path[64];
		struct tk_error rerr = {0};
		struct catalog_product *p = &pg->v[pg->n];
		memset(p, 0, sizeof(*p));
		snprintf(path, sizeof(path), "%s[%zu]", name, i);
		json_t *row = json_array_get(rows, i);
		enum tk_rc rc = json_is_object(row) ? fn(row, path, p, &rerr)
						    : union_fail(&rerr, TK_EINVAL, path, "",
								 "must be an object");
		if (rc == TK_OK && (rc = catalog_product_validate(p, &rerr)) != TK_OK) {
			char field[sizeof(rerr.field) + sizeof(path) + 2];
			snprintf(field, sizeof(field), "%s.%s", path, rerr.field);
			snprintf(rerr.field, sizeof(rerr.field), "%.63s", field);
		}
		if (rc != TK_OK) {
			if (pg->rejected++ == 0)
				pg->first_reject = rerr;
			continue;
		}
		pg->n++;
	}
	return TK_OK;
}

static enum tk_rc jd_parse(json_t *doc, struct product_page *pg, struct tk_error *err)
{
	char code[64], msg[512];
	enum tk_rc rc = union_error_reply(SYNC_JD, doc, WHAT, &pg->refusal, err);
	if (rc)
		return rc;
	json_t *env = union_envelope(doc);
	if (!env)
		return tk_fail(err, TK_EINVAL, "body", "JD's reply has no query envelope");
	union_text_of(env, "code", code, sizeof(code));
	if (code[0] && strcmp(code, "0") != 0)
		return union_refuse(SYNC_JD, WHAT, code, union_text_of(env, "msg", msg, sizeof(msg)),
				    false, false, &pg->refusal, err);
	json_t *qr = json_object_get(env, "queryResult"), *result = NULL;
	if (json_is_string(qr)) {
		json_error_t jerr;
		result = json_loads(json_string_value(qr), 0, &jerr);
	} else if (json_is_object(qr)) {
		result = json_incref(qr);
	}
	if (!json_is_object(result)) {
		json_decref(result);
		return tk_fail(err, TK_EINVAL, "queryResult", "must hold a JSON object");
	}
	union_text_of(result, "code", code, sizeof(code));
	if (strcmp(code, "200") != 0) {
		long n = strtol(code, NULL, 10);
		union_text_of(result, "message", msg, sizeof(msg));
		rc = code[0] ? union_refuse(SYNC_JD, WHAT, code, msg, n >= 500 && n <= 599,
					    n == 429 || strstr(msg, "频") != NULL, &pg->refusal, err)
			     : tk_fail(err, TK_EINVAL, "queryResult.code", "is required");
		json_decref(result);
		return rc;
	}
	json_t *total = json_object_get(result, "totalCount");
	pg->total = json_is_integer(total) ? json_integer_value(total) : -1;
	json_t *data = json_object_get(result, "data");
	rc = data && !json_is_array(data)
		     ? tk_fail(err, TK_EINVAL, "queryResult.data", "must be a list")
		     : fill(pg, data, "data", jd_row, err);
	json_decref(result);
	return rc;
}

static enum tk_rc tb_parse(json_t *doc, struct product_page *pg, struct tk_error *err)
{
	enum tk_rc rc = union_error_reply(SYNC_TAOBAO, doc, WHAT, &pg->refusal, err);
	if (rc)
		return rc;
	json_t *env = json_object_get(doc, "tbk_dg_material_optional_response");
	if (!json_is_object(env))
		return tk_fail(err, TK_EINVAL, "body",
			       "Taobao's reply has no tbk_dg_material_optional_response");
	json_t *total = json_object_get(env, "total_results");
	pg->total = json_is_integer(total) ? json_integer_value(total) : -1;
	/* TOP wraps a list in an object named after its element type */
	json_t *rows = json_object_get(json_object_get(env, "result_list"), "map_data");
	if (rows && !json_is_array(rows))
		return tk_fail(err, TK_EINVAL, "result_list.map_data", "must be a list");
	return fill(pg, rows, "map_data", tb_row, err);
}

/* goods.search: goods_search_response {goods_list, total_count, list_id};
 * goods.recommend.get: goods_basic_detail_response {list, total, list_id,
 * search_id}.  The rows are the same goods fields. */
static enum tk_rc pdd_parse(json_t *doc, bool recommend, struct product_page *pg,
			    struct tk_error *err)
{
	const char *env_name = recommend ? "goods_basic_detail_response" : "goods_search_response";
	const char *list_name = recommend ? "list" : "goods_list";
	enum tk_rc rc = union_error_reply(SYNC_PDD, doc, WHAT, &pg->refusal, err);
	if (rc)
		return rc;
	json_t *env = json_object_get(doc, env_name);
	if (!json_is_object(env))
		return tk_fail(err, TK_EINVAL, "body", "Pinduoduo's reply has no %s", env_name);
	json_t *total = json_object_get(env, recommend ? "total" : "total_count");
	pg->total = json_is_integer(total) ? json_integer_value(total) : -1;
	union_text_of(env, "list_id", pg->list_id, sizeof(pg->list_id));
	json_t *rows = json_object_get(env, list_name);
	if (rows && !json_is_array(rows))
		return tk_fail(err, TK_EINVAL, list_name, "must be a list");
	return fill(pg, rows, list_name, pdd_row, err);
}

enum tk_rc product_feed_parse(enum product_api a, const char *body, size_t len,
			      struct product_page *pg, struct tk_error *err)
{
	json_t *doc = NULL;
	assert((unsigned)a < PRODUCT_APIS);
	memset(pg, 0, sizeof(*pg));
	pg->total = -1;
	enum tk_rc rc = union_json_load(body, len, &doc, err);
	if (rc != TK_OK) {
		pg->refusal.transient = true; /* a cut-off body may come whole next time */
		return rc;
	}
	switch (api_unions[a]) {
	case SYNC_JD: rc = jd_parse(doc, pg, err); break;
	case SYNC_TAOBAO: rc = tb_parse(doc, pg, err); break;
	default: rc = pdd_parse(doc, a == PRODUCT_PDD_RECOMMEND, pg, err); break;
	}
	json_decref(doc);
	if (rc != TK_OK) {
		struct union_refusal refusal = pg->refusal;
		free(pg->v);
		memset(pg, 0, sizeof(*pg));
		pg->total = -1;
		pg->refusal = refusal;
	}
	return rc;
}

/* ---- the pull ---- */

/* One page, for union_call. */
struct page_step {
	const struct sync_conf *c;
	enum product_api a;
	const char *list, *list_id;
	int page;
	struct product_page *pg;
};

static enum tk_rc page_build(void *x, struct sync_params *p, struct tk_error *err)
{
	struct page_step *s = x;
	return product_feed_build(s->c, s->a, s->list, s->page, s->list_id, p, err);
}

static enum tk_rc page_parse(void *x, const char *body, size_t len, bool *transient,
			     struct tk_error *err)
{
	struct page_step *s = x;
	enum tk_rc rc = product_feed_parse(s->a, body, len, s->pg, err);
	*transient = s->pg->refusal.transient;
	return rc;
}

/* What one pull carries from list to list. */
struct pull {
	const struct sync_conf *c;
	enum sync_union u;
	const struct sync_union_conf *uc;
	product_page_cb on_page;
	product_retry_cb on_retry;
	product_reject_cb on_reject;
	void *ctx;
	volatile sig_atomic_t *stop;
	struct product_pull_report *rep;
	struct strmap seen;       /* products handed in this pull */
	struct product_page pg;
	int64_t started_ms;       /* monotonic */
	int64_t limit_s;          /* product_pull_seconds */
	bool ended;               /* stopped or out of time: no further list */
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void incomplete(struct product_pull_report *rep, const char *why)
{
	if (rep->complete)
		snprintf(rep->why_incomplete, sizeof(rep->why_incomplete), "%s", why);
	rep->complete = false;
}

/* Hands on the products of pl->pg not handed before in this pull. */
static enum tk_rc hand_on(struct pull *pl, struct tk_error *err)
{
	struct product_page *pg = &pl->pg;
	size_t k = 0;
	for (size_t i = 0; i < pg->n; i++) {
		const char *id = pg->v[i].product;
		uint64_t entry;
		if (strmap_find(&pl->seen, id, strlen(id), &entry))
			continue;
		if (!strmap_put(&pl->seen, id, strlen(id), 0, NULL))
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		if (k != i)
			pg->v[k] = pg->v[i];
		k++;
	}
	enum tk_rc rc = k ? pl->on_page(pl->ctx, pg->v, k, err) : TK_OK;
	if (rc == TK_OK)
		pl->rep->products += (int64_t)k;
	return rc;
}

/* Every page of one list of API a. */
static enum tk_rc pull_list(struct pull *pl, enum product_api a, const char *list,
			    struct tk_error *err)
{
	const struct sync_union_conf *uc = pl->uc;
	struct product_pull_report *rep = pl->rep;
	char list_id[sizeof(pl->pg.list_id)] = "";
	enum tk_rc rc = TK_OK;
	for (int page = 1;; page++) {
		if (pl->stop && *pl->stop) {
			incomplete(rep, "stopped");
			pl->ended = true;
			break;
		}
		/* looked at between pages: a page in flight is finished and kept */
		if (monotonic_ms() - pl->started_ms >= pl->limit_s * 1000) {
			char why[96];
			snprintf(why, sizeof(why), "the pull took longer than %s.product_pull_seconds = %lld",
				 sync_union_name(pl->u), (long long)pl->limit_s);
			incomplete(rep, why);
			pl->ended = true;
			break;
		}
		if (page > uc->product_pages) {
			char why[96];
			snprintf(why, sizeof(why), "a list has more than %s.product_pages = %d pages",
				 sync_union_name(pl->u), uc->product_pages);
			incomplete(rep, why);
			break;
		}
		struct page_step step = {pl->c, a, list, list_id, page, &pl->pg};
		if ((rc = union_call(pl->c, pl->u, PRODUCT_FEED_BODY_MAX, page_build, page_parse, &step,
				     &rep->requests, pl->on_retry, pl->ctx, err))) {
			incomplete(rep, "a request failed");
			break;
		}
		rep->pages++;
		if (pl->pg.rejected) {
			rep->rejected += pl->pg.rejected;
			incomplete(rep, "rows were refused");
			if (pl->on_reject) {
				char where[80];
				snprintf(where, sizeof(where), "%s \"%.20s\" page %d",
					 a == PRODUCT_PDD_RECOMMEND ? "channel" : "list", list, page);
				tk_error_where(&pl->pg.first_reject, where, 0);
				pl->on_reject(pl->ctx, pl->u, &pl->pg.first_reject);
			}
		}
		/* a product in two lists (or shifted between pages) counts once */
		if ((rc = hand_on(pl, err)))
			break;
		size_t got = pl->pg.n + (size_t)pl->pg.rejected;
		snprintf(list_id, sizeof(list_id), "%s", pl->pg.list_id);
		bool more = got > 0 && (pl->pg.total < 0 ? got >= (size_t)uc->product_page_size
				       : (int64_t)page * uc->product_page_size < pl->pg.total);
		product_page_free(&pl->pg);
		if (!more)
			break;
	}
	product_page_free(&pl->pg);
	return rc;
}

/* Every comma-separated entry of `lists` as a list of API a.  `empty_is_one`:
 * "" is one list (Pinduoduo's search without a keyword), else none; `trim`
 * drops the spaces around an entry. */
static enum tk_rc pull_lists(struct pull *pl, enum product_api a, const char *lists,
			     bool empty_is_one, bool trim, struct tk_error *err)
{
	char copy[SYNC_PRODUCTS_MAX], *save = copy;
	enum tk_rc rc = TK_OK;
	if (!lists[0] && !empty_is_one)
		return TK_OK;
	snprintf(copy, sizeof(copy), "%s", lists);
	for (bool last = false; !last && rc == TK_OK && !pl->ended;) {
		char *list = save, *comma = strchr(save, ',');
		if (comma) {
			*comma = '\0';
			save = comma + 1;
		} else {
			last = true;
		}
		if (trim) {
			size_t n;
			while (*list == ' ')
				list++;
			for (n = strlen(list); n && list[n - 1] == ' '; n--)
				list[n - 1] = '\0';
		}
		rc = pull_list(pl, a, list, err);
	}
	return rc;
}

enum tk_rc product_feed_pull(const struct sync_conf *c, enum sync_union u,
			     product_page_cb on_page, product_retry_cb on_retry,
			     product_reject_cb on_reject, void *ctx,
			     volatile sig_atomic_t *stop, struct product_pull_report *rep,
			     struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[u];
	struct pull pl = {.c = c, .u = u, .uc = uc, .on_page = on_page, .on_retry = on_retry,
			  .on_reject = on_reject, .ctx = ctx, .stop = stop, .rep = rep,
			  .started_ms = monotonic_ms(),
			  /* a configuration not from sync_conf_load has no limit set */
			  .limit_s = uc->product_pull_s > 0 ? uc->product_pull_s
							    : SYNC_PRODUCT_PULL_S_DEFAULT};
	enum tk_rc rc;

	memset(rep, 0, sizeof(*rep));
	rep->complete = true;
	if (!sync_conf_has(c, u))
		return tk_fail(err, TK_EINVAL, sync_union_name(u),
			       "no credentials: set %s.app_key and %s.app_secret in the config file",
			       sync_union_name(u), sync_union_name(u));
	if (u == SYNC_JD && !uc->products[0] && !uc->product_queries[0])
		return tk_fail(err, TK_EINVAL, "jd.products",
			       "names no eliteId and jd.product_queries no search: nothing to pull");
	if ((rc = sync_http_global_init(err)))
		return rc;
	/* the union's lists in a fixed order; a product met again is left out */
	switch (u) {
	case SYNC_JD:
		if ((rc = pull_lists(&pl, PRODUCT_JD_JINGFEN, uc->products, false, false, err)) == TK_OK)
			rc = pull_lists(&pl, PRODUCT_JD_QUERY, uc->product_queries, false, true, err);
		break;
	case SYNC_TAOBAO:
		rc = pull_lists(&pl, PRODUCT_TAOBAO_SEARCH, uc->products, true, false, err);
		break;
	default:
		if ((rc = pull_lists(&pl, PRODUCT_PDD_SEARCH, uc->products, true, false, err)) == TK_OK)
			rc = pull_lists(&pl, PRODUCT_PDD_RECOMMEND, uc->product_channels, false, true,
					err);
		break;
	}
	product_page_free(&pl.pg);
	strmap_free(&pl.seen);
	return rc;
}

/* catalog_product.c — reading and checking a product record, and the prices
 * derived from it.  Pure: no I/O, no SQL. */
#include "catalog/catalog_product.h"

#include <jansson.h>
#include <string.h>

#include "catalog/catalog_text.h"
#include "core/money.h"
#include "core/tktime.h"

enum kind { K_TEXT, K_FEN, K_COUNT, K_BPS, K_TIME };

struct field {
	const char *name;
	enum kind kind;
	bool required;
	size_t off;  /* offset in struct catalog_product */
	size_t size; /* buffer size for K_TEXT */
};

#define TEXT(n, req) {#n, K_TEXT, req, offsetof(struct catalog_product, n), \
		       sizeof(((struct catalog_product *)0)->n)}
#define NUM(n, k, req) {#n, k, req, offsetof(struct catalog_product, n), 0}

static const struct field fields[] = {
	{"union", K_TEXT, true, offsetof(struct catalog_product, union_), ORDER_UNION_MAX},
	TEXT(product, true),
	TEXT(title, true),
	TEXT(category, false),
	TEXT(brand, false),
	TEXT(shop, false),
	NUM(price, K_FEN, true),
	NUM(coupon, K_FEN, false),
	NUM(coupon_min, K_FEN, false),
	NUM(coupon_start, K_TIME, false),
	NUM(coupon_end, K_TIME, false),
	NUM(commission_bps, K_BPS, true),
	NUM(sales, K_COUNT, false),
	TEXT(image, false),
	TEXT(url, false),
	TEXT(coupon_url, false),
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

/* Copies at most `max` bytes of s into out for an error message, cut at a
 * character boundary. */
static const char *excerpt(const char *s, char *out, size_t max)
{
	size_t n = strlen(s);
	if (n < max) {
		memcpy(out, s, n + 1);
		return out;
	}
	n = max - 4;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, s, n);
	memcpy(out + n, "...", 4);
	return out;
}

static enum tk_rc set_field(struct catalog_product *p, const struct field *f, json_t *v,
			    struct tk_error *err)
{
	char *base = (char *)p;
	char ex[80];
	if (f->kind == K_TEXT) {
		if (!json_is_string(v))
			return tk_fail(err, TK_EINVAL, f->name, "must be a string");
		size_t len = json_string_length(v);
		const char *s = json_string_value(v);
		if (len >= f->size)
			return tk_fail(err, TK_ELIMIT, f->name,
				       "is %zu bytes; the limit is %zu (\"%s\")", len, f->size - 1,
				       excerpt(s, ex, 48));
		if (memchr(s, '\0', len))
			return tk_fail(err, TK_EINVAL, f->name, "contains a NUL character");
		memcpy(base + f->off, s, len + 1);
		return TK_OK;
	}
	if (f->kind == K_TIME) {
		int64_t t;
		if (!json_is_string(v))
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be an ISO 8601 time string with an offset, "
				       "e.g. \"2026-11-01T00:00:00+08:00\"");
		if (!tktime_parse_iso8601(json_string_value(v), &t))
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be ISO 8601 with an offset, e.g. "
				       "\"2026-11-01T00:00:00+08:00\", got \"%s\"",
				       excerpt(json_string_value(v), ex, 48));
		memcpy(base + f->off, &t, sizeof(t));
		return TK_OK;
	}
	if (!json_is_integer(v)) {
		if (json_is_real(v))
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be an integer%s, got %.15g",
				       f->kind == K_FEN ? " number of fen" : "", json_real_value(v));
		return tk_fail(err, TK_EINVAL, f->name, "must be an integer%s",
			       f->kind == K_FEN ? " number of fen (no decimals, no quotes)" : "");
	}
	int64_t n = (int64_t)json_integer_value(v);
	switch (f->kind) {
	case K_FEN:
		if (n < 0 || n > CATALOG_PRICE_MAX)
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be 0..%lld fen, got %lld",
				       (long long)CATALOG_PRICE_MAX, (long long)n);
		memcpy(base + f->off, &n, sizeof(n));
		break;
	case K_COUNT:
		if (n < 0 || n > CATALOG_SALES_MAX)
			return tk_fail(err, TK_EINVAL, f->name, "must be 0..%lld, got %lld",
				       (long long)CATALOG_SALES_MAX, (long long)n);
		memcpy(base + f->off, &n, sizeof(n));
		break;
	case K_BPS: {
		if (n < 0 || n > BPS_ONE)
			return tk_fail(err, TK_EINVAL, f->name,
				       "must be 0..10000 basis points (20%% = 2000), got %lld",
				       (long long)n);
		int32_t b = (int32_t)n;
		memcpy(base + f->off, &b, sizeof(b));
		break;
	}
	default:
		break;
	}
	return TK_OK;
}

enum tk_rc catalog_product_parse(const char *line, size_t len, struct catalog_product *p,
				 struct tk_error *err)
{
	json_error_t jerr;
	bool seen[N_FIELDS] = {0};
	enum tk_rc rc = TK_OK;
	json_t *o = NULL;

	memset(p, 0, sizeof(*p));
	if (len > CATALOG_LINE_MAX)
		return tk_fail(err, TK_ELIMIT, "", "record is %zu bytes; the limit is %d", len,
			       CATALOG_LINE_MAX);
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return tk_fail(err, TK_EINVAL, "", "not valid JSON (column %d: %s)", jerr.column,
			       jerr.text);
	if (!json_is_object(o)) {
		rc = tk_fail(err, TK_EINVAL, "", "must be a JSON object, one product per line");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		size_t i;
		for (i = 0; i < N_FIELDS; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (i == N_FIELDS) {
			char ex[80];
			rc = tk_fail(err, TK_EINVAL, "", "\"%s\" is not a field of a product "
				     "(see docs/catalog.md)", excerpt(key, ex, 48));
			goto out;
		}
		if (json_is_null(v))
			continue;
		if ((rc = set_field(p, &fields[i], v, err)))
			goto out;
		seen[i] = true;
	}
	for (size_t i = 0; i < N_FIELDS; i++)
		if (fields[i].required && !seen[i]) {
			rc = tk_fail(err, TK_EINVAL, fields[i].name, "is required");
			goto out;
		}
	rc = catalog_product_validate(p, err);
out:
	json_decref(o);
	return rc;
}

static enum tk_rc check_text(const char *name, const char *s, size_t size, bool required,
			     struct tk_error *err)
{
	size_t len = strnlen(s, size);
	if (len == size)
		return tk_fail(err, TK_ELIMIT, name, "is longer than %zu bytes", size - 1);
	if (required && len == 0)
		return tk_fail(err, TK_EINVAL, name, "must not be empty");
	if (!catalog_text_clean(s, len))
		return tk_fail(err, TK_EINVAL, name,
			       "must be UTF-8 text without control characters (no newlines or tabs)");
	return TK_OK;
}

static bool url_ok(const char *u)
{
	return u[0] == '\0' || strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

enum tk_rc catalog_product_validate(const struct catalog_product *p, struct tk_error *err)
{
	enum tk_rc rc;
	char ex[80], a[MONEY_YUAN_BUF], b[MONEY_YUAN_BUF];

	if (!order_union_valid(p->union_))
		return tk_fail(err, TK_EINVAL, "union", "must be jd, taobao, pdd or own, got \"%s\"",
			       excerpt(p->union_, ex, 16));
	if ((rc = check_text("product", p->product, sizeof(p->product), true, err)) ||
	    (rc = check_text("title", p->title, sizeof(p->title), true, err)) ||
	    (rc = check_text("category", p->category, sizeof(p->category), false, err)) ||
	    (rc = check_text("brand", p->brand, sizeof(p->brand), false, err)) ||
	    (rc = check_text("shop", p->shop, sizeof(p->shop), false, err)) ||
	    (rc = check_text("image", p->image, sizeof(p->image), false, err)) ||
	    (rc = check_text("url", p->url, sizeof(p->url), false, err)) ||
	    (rc = check_text("coupon_url", p->coupon_url, sizeof(p->coupon_url), false, err)))
		return rc;
	if (strchr(p->product, ' '))
		return tk_fail(err, TK_EINVAL, "product", "must not contain spaces, got \"%s\"",
			       excerpt(p->product, ex, 48));
	if (!url_ok(p->url))
		return tk_fail(err, TK_EINVAL, "url", "must start with https:// or http://, got \"%s\"",
			       excerpt(p->url, ex, 48));
	if (!url_ok(p->coupon_url))
		return tk_fail(err, TK_EINVAL, "coupon_url",
			       "must start with https:// or http://, got \"%s\"",
			       excerpt(p->coupon_url, ex, 48));
	if (!url_ok(p->image))
		return tk_fail(err, TK_EINVAL, "image",
			       "must start with https:// or http://, got \"%s\"",
			       excerpt(p->image, ex, 48));
	if (p->price < 0 || p->price > CATALOG_PRICE_MAX)
		return tk_fail(err, TK_EINVAL, "price", "must be 0..%lld fen, got %lld",
			       (long long)CATALOG_PRICE_MAX, (long long)p->price);
	if (p->coupon < 0 || p->coupon > CATALOG_PRICE_MAX)
		return tk_fail(err, TK_EINVAL, "coupon", "must be 0..%lld fen, got %lld",
			       (long long)CATALOG_PRICE_MAX, (long long)p->coupon);
	if (p->coupon_min < 0 || p->coupon_min > CATALOG_PRICE_MAX)
		return tk_fail(err, TK_EINVAL, "coupon_min", "must be 0..%lld fen, got %lld",
			       (long long)CATALOG_PRICE_MAX, (long long)p->coupon_min);
	if (p->commission_bps < 0 || p->commission_bps > BPS_ONE)
		return tk_fail(err, TK_EINVAL, "commission_bps", "must be 0..10000, got %d",
			       (int)p->commission_bps);
	if (p->sales < 0 || p->sales > CATALOG_SALES_MAX)
		return tk_fail(err, TK_EINVAL, "sales", "must be 0..%lld, got %lld",
			       (long long)CATALOG_SALES_MAX, (long long)p->sales);
	if (p->coupon_start < 0 || p->coupon_end < 0)
		return tk_fail(err, TK_EINVAL, "coupon_start", "must not be before 1970");
	if (p->coupon_start && p->coupon_end && p->coupon_end < p->coupon_start) {
		char s1[TKTIME_BUF], s2[TKTIME_BUF];
		return tk_fail(err, TK_EINVAL, "coupon_end", "%s is before coupon_start %s",
			       tktime_format_iso8601(p->coupon_end, TKTIME_BEIJING_OFFSET, s1),
			       tktime_format_iso8601(p->coupon_start, TKTIME_BEIJING_OFFSET, s2));
	}
	/* A coupon that never applies (threshold above the price) may be larger
	 * than the price; one that applies may not. */
	if (p->coupon > p->price && p->price >= p->coupon_min)
		return tk_fail(err, TK_EINVAL, "coupon",
			       "%s yuan off is more than the price %s yuan",
			       money_format_yuan(p->coupon, a), money_format_yuan(p->price, b));
	if ((p->coupon_start || p->coupon_end || p->coupon_min) && p->coupon == 0)
		return tk_fail(err, TK_EINVAL, "coupon",
			       "is 0 but coupon_min, coupon_start or coupon_end is set");
	return TK_OK;
}

bool catalog_coupon_valid(const struct catalog_product *p, int64_t now)
{
	return p->coupon > 0 && p->coupon <= p->price && p->price >= p->coupon_min &&
	       (p->coupon_start == 0 || p->coupon_start <= now) &&
	       (p->coupon_end == 0 || now <= p->coupon_end);
}

int64_t catalog_final_price(const struct catalog_product *p, int64_t now)
{
	return catalog_coupon_valid(p, now) ? p->price - p->coupon : p->price;
}

int64_t catalog_commission_per_unit(const struct catalog_product *p, int64_t now)
{
	return money_share(catalog_final_price(p, now), p->commission_bps);
}

bool catalog_product_same(const struct catalog_product *a, const struct catalog_product *b)
{
	return strcmp(a->union_, b->union_) == 0 && strcmp(a->product, b->product) == 0 &&
	       strcmp(a->title, b->title) == 0 && strcmp(a->category, b->category) == 0 &&
	       strcmp(a->brand, b->brand) == 0 && strcmp(a->shop, b->shop) == 0 &&
	       a->price == b->price && a->coupon == b->coupon && a->coupon_min == b->coupon_min &&
	       a->coupon_start == b->coupon_start && a->coupon_end == b->coupon_end &&
	       a->commission_bps == b->commission_bps && a->sales == b->sales &&
	       strcmp(a->image, b->image) == 0 && strcmp(a->url, b->url) == 0 &&
	       strcmp(a->coupon_url, b->coupon_url) == 0;
}

int catalog_popularity_key(int64_t sales)
{
	if (sales <= 0)
		return 0;
	uint64_t v = (uint64_t)sales + 1;
	int e = 63 - __builtin_clzll(v);                 /* floor(log2) */
	int m = e >= 3 ? (int)((v >> (e - 3)) & 7) : (int)((v << (3 - e)) & 7);
	return e * 8 + m;                                /* <= 63*8+7 = 511 */
}

/* catalog_product.h — one product of the library: its fields, their limits,
 * reading it from a JSON Lines record, and the prices derived from it
 * (price after coupon, commission per unit).
 *
 * Money is integer fen, the commission rate integer bps.  Times are unix
 * seconds.  Pure: no I/O, no SQL. */
#ifndef TK_CATALOG_PRODUCT_H
#define TK_CATALOG_PRODUCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/order.h"

/* Limits on every field from outside (bytes, NUL included where a size). */
#define CATALOG_PRODUCT_MAX ORDER_KEY_MAX   /* 96: the union's product id */
#define CATALOG_TITLE_MAX 512
#define CATALOG_NAME_MAX 128                /* category, brand, shop */
#define CATALOG_URL_MAX 2048                /* url, image */
#define CATALOG_LINE_MAX 65536              /* one JSON Lines record */
#define CATALOG_PRICE_MAX INT64_C(1000000000000) /* 10^12 fen: 10^10 yuan */
#define CATALOG_SALES_MAX INT64_C(1000000000000)

struct catalog_product {
	int64_t id;                          /* internal, 0 until stored */
	char union_[ORDER_UNION_MAX];        /* jd, taobao, pdd, own */
	char product[CATALOG_PRODUCT_MAX];   /* the union's product (SKU / item / goods) id */
	char title[CATALOG_TITLE_MAX];
	char category[CATALOG_NAME_MAX];
	char brand[CATALOG_NAME_MAX];
	char shop[CATALOG_NAME_MAX];
	int64_t price;        /* fen, list price before coupon */
	int64_t coupon;       /* fen off, 0 = no coupon */
	int64_t coupon_min;   /* fen: the coupon applies when price >= coupon_min */
	int64_t coupon_start; /* valid from (inclusive), 0 = no lower bound */
	int64_t coupon_end;   /* valid until (inclusive), 0 = no upper bound */
	int32_t commission_bps;
	int64_t sales;        /* units sold in the last 30 days, as the union reports */
	char image[CATALOG_URL_MAX];
	char url[CATALOG_URL_MAX];
	char coupon_url[CATALOG_URL_MAX];    /* where the buyer takes the coupon */
	int64_t first_seen_at, updated_at;   /* set by the store */
	/* Set by a product feed (`products sync`), never by an import: whether
	 * the union's own lists carry the product, and since when it has left
	 * them (0 = listed, or never listed). */
	bool feed;
	int64_t gone_at;
};

/* Parses one JSON Lines record (len bytes, no newline) into p.  Fields:
 * union, product, title, price, commission_bps (required); category,
 * brand, shop, coupon, coupon_min, coupon_start, coupon_end, sales, image,
 * url, coupon_url (optional; absent means empty or 0).  Money and counts are JSON
 * integers; coupon_start/coupon_end are ISO 8601 with an offset.  Unknown
 * fields are refused so that a misspelt field cannot silently vanish.
 * On error err names the field and the value; p is unspecified. */
enum tk_rc catalog_product_parse(const char *line, size_t len, struct catalog_product *p,
				 struct tk_error *err);

/* Checks the limits and the consistency of a product (also run by
 * catalog_product_parse): strings clean UTF-8 and within limits, union
 * known, money in 0..CATALOG_PRICE_MAX, commission_bps in 0..10000,
 * coupon_end >= coupon_start, a coupon that applies not above the price. */
enum tk_rc catalog_product_validate(const struct catalog_product *p, struct tk_error *err);

/* Whether the coupon applies at `now`: coupon > 0, price >= coupon_min and
 * coupon_start <= now <= coupon_end (a 0 bound is open). */
bool catalog_coupon_valid(const struct catalog_product *p, int64_t now);

/* The price a buyer pays at `now`: price - coupon when the coupon applies,
 * else price.  Never negative. */
int64_t catalog_final_price(const struct catalog_product *p, int64_t now);

/* What the union pays per unit at `now`: floor(final price * bps / 10000).
 * The unions compute commission on what the buyer actually pays. */
int64_t catalog_commission_per_unit(const struct catalog_product *p, int64_t now);

/* Whether two products hold the same data (ids, store times and the feed's
 * listing ignored). */
bool catalog_product_same(const struct catalog_product *a, const struct catalog_product *b);

/* A 9-bit popularity key, monotonic in sales (a coarse logarithm: the
 * exponent and the next three bits), that orders search results. */
int catalog_popularity_key(int64_t sales);

#endif

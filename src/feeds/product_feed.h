/* product_feed.h — pulling products from the unions' product APIs: the
 * request of each union, its reply mapped to the catalog's product record,
 * and the paged, retried pull of the lists the configuration names.
 *
 * JD:     jd.union.open.goods.jingfen.query, 360buy_param_json
 *         {"goodsReq": {"eliteId", "pageIndex", "pageSize"}} per eliteId;
 *         jd.union.open.goods.query, {"goodsReqDTO": {"keyword" or
 *         "cid1"/"cid2"/"cid3", "pageIndex", "pageSize"}} per search.
 * Taobao: taobao.tbk.dg.material.optional (adzone_id from taobao.pid, q,
 *         page_no, page_size) per search term.
 * PDD:    pdd.ddk.goods.search (keyword, page, page_size, list_id, pid)
 *         per keyword; pdd.ddk.goods.recommend.get (channel_type, limit,
 *         offset, list_id, pid) per channel type.
 * The lists of one union are pulled in that order, and a product in two
 * of them counts once.
 * Money comes as JD yuan numbers, Taobao yuan strings and PDD fen; rates as
 * JD percent, Taobao's commission_rate in hundredths of a percent ("1550"
 * is 15.50%) and PDD per mille: all converted exactly to fen and bps, no
 * floating point.  Signed and retried like sync (sync_params.h). */
#ifndef TK_PRODUCT_FEED_H
#define TK_PRODUCT_FEED_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog_product.h"
#include "core/error.h"
#include "feeds/sync_config.h"
#include "feeds/sync_params.h"
#include "feeds/union_page.h"

/* Largest product reply accepted: 100 products are some 300 KiB. */
#define PRODUCT_FEED_BODY_MAX (8 * 1024 * 1024)
/* Most products one reply may hold (the unions' pages are 50 or 100). */
#define PRODUCT_FEED_PAGE_MAX 200

/* The product APIs; each list of the configuration is one of them. */
enum product_api {
	PRODUCT_JD_JINGFEN,    /* jd.products: eliteIds */
	PRODUCT_TAOBAO_SEARCH, /* taobao.products: search terms */
	PRODUCT_PDD_SEARCH,    /* pdd.products: keywords ("" none) */
	PRODUCT_JD_QUERY,      /* jd.product_queries: keywords or cidN:ID */
	PRODUCT_PDD_RECOMMEND, /* pdd.product_channels: channel types */
	PRODUCT_APIS
};

/* The union an API belongs to, and its method name. */
enum sync_union product_api_union(enum product_api a);
const char *product_api_method(enum product_api a);

/* One reply, read whole. */
struct product_page {
	struct catalog_product *v; /* n products (owned) */
	size_t n;
	int64_t total;             /* the union's count for the list; -1 unknown */
	char list_id[128];         /* Pinduoduo's list_id, to page on */
	/* rows that could not be read: their number and the first reason */
	int rejected;
	struct tk_error first_reject;
	/* the union's own error answer (union_error_reply); transient is also
	 * set for a body cut off on its way */
	struct union_refusal refusal;
};

void product_page_free(struct product_page *pg);

/* The unsigned parameters (system ones included, no timestamp or sign) of
 * page `page` (from 1) of `list` of API a (an eliteId, search, search term,
 * keyword or channel type); list_id is Pinduoduo's from the page before,
 * or "". */
enum tk_rc product_feed_build(const struct sync_conf *c, enum product_api a, const char *list,
			      int page, const char *list_id, struct sync_params *p,
			      struct tk_error *err);

/* Reads one reply body of API a into an empty page.  A union error answer
 * fills `refusal` and fails with TK_EINVAL in union_error_reply's words
 * ("JD refused the product query: error 19: 无效签名"); a body that is no
 * usable reply fails too (refusal.transient: a cut-off body may be whole
 * next time).  A row that cannot be read is counted in `rejected`, not in
 * v. */
enum tk_rc product_feed_parse(enum product_api a, const char *body, size_t len,
			      struct product_page *pg, struct tk_error *err);

/* The sales text Pinduoduo gives ("1234", "10万+", "1.2万+") as a lower
 * bound; false when it holds no number. */
bool product_feed_sales_tip(const char *s, int64_t *out);

/* What a pull did. */
struct product_pull_report {
	int requests;      /* HTTP calls, retries included */
	int pages;
	int64_t products;  /* handed to on_page */
	int64_t rejected;  /* rows that could not be read */
	bool complete;     /* every page of every list read, no row refused */
	char why_incomplete[160];
};

typedef enum tk_rc (*product_page_cb)(void *ctx, const struct catalog_product *v, size_t n,
				      struct tk_error *err);
typedef void (*product_retry_cb)(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
				 const struct tk_error *why);
typedef void (*product_reject_cb)(void *ctx, enum sync_union u, const struct tk_error *why);

/* Pulls every configured list of union u, page by page up to
 * product_pages, handing each page's products (a product already handed
 * in this pull is left out) to on_page.  Transient failures are retried
 * with sync's backoff; a failure that stays, or one of on_page, ends the
 * pull with an error (the pages before are handed already).  `stop`
 * (may be NULL) ends it early, incomplete, and so does the union's
 * product_pull_seconds passing: both are looked at before each page. */
enum tk_rc product_feed_pull(const struct sync_conf *c, enum sync_union u,
			     product_page_cb on_page, product_retry_cb on_retry,
			     product_reject_cb on_reject, void *ctx,
			     volatile sig_atomic_t *stop, struct product_pull_report *rep,
			     struct tk_error *err);

#endif

/* sync_config.h — what `tuike sync` needs to reach the unions: credentials,
 * base URLs, windows and retry policy, from a config file and the
 * environment (which wins).
 *
 * File: `key = value` lines, `#` comments, e.g.
 *     jd.app_key = ...        jd.app_secret = ...     jd.url = https://...
 *     taobao.window = 20m     sync.retries = 5        sync.retry_base = 1s
 *     jd.site_id = ...        taobao.pid = mm_1_2_3   pdd.pid = 1_2
 *     convert.demo = on       convert.ttl_days = 30   convert.refresh_days = 7
 *     jd.products = 1,22      jd.product_queries = 手机, cid3:655
 *     pdd.product_channels = 1,5                      jd.product_pull_seconds = 900
 * Environment: the key in upper case with '.' as '_' and a TUIKE_ prefix,
 * e.g. TUIKE_JD_APP_SECRET, TUIKE_SYNC_RETRIES.  Secrets are never printed:
 * errors name the key, not its value. */
#ifndef TK_SYNC_CONFIG_H
#define TK_SYNC_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

enum sync_union { SYNC_JD, SYNC_TAOBAO, SYNC_PDD, SYNC_UNIONS };

#define SYNC_CRED_MAX 128
#define SYNC_URL_MAX 512
#define SYNC_ID_MAX 64
#define SYNC_PRODUCTS_MAX 256
#define SYNC_PRODUCT_LISTS_MAX 8     /* lists per union */
#define SYNC_PRODUCT_PAGES_MAX 100   /* pages per list */
#define SYNC_PRODUCT_PAGES_DEFAULT 20
/* The longest one union's product pull may take, in seconds: by default
 * 15 minutes, at most a day. */
#define SYNC_PRODUCT_PULL_S_DEFAULT 900
#define SYNC_PRODUCT_PULL_S_MAX 86400
/* Pinduoduo's pdd.ddk.goods.recommend.get channel types (channel_type
 * 0..8; 3, similar goods, needs goods ids and is not a list to pull). */
#define SYNC_PRODUCT_CHANNELS_MAX 32

struct sync_union_conf {
	char app_key[SYNC_CRED_MAX];    /* Pinduoduo: client_id */
	char app_secret[SYNC_CRED_MAX]; /* Pinduoduo: client_secret */
	char url[SYNC_URL_MAX];
	int64_t window_s;  /* query window, at most the union's limit */
	int page_size;
	char order_scenes[16]; /* Taobao order_scene values to query, e.g. "1" or "3,2,1" */
	/* Link conversion (convert.h): JD site_id (converting by site with
	 * jd.union.open.promotion.common.get; empty: by subUnionId); Taobao's
	 * PID mm_<member>_<site>_<adzone>; Pinduoduo's default pid. */
	char site_id[SYNC_ID_MAX];
	char pid[SYNC_ID_MAX];
	/* Tag registration (tag_register.h): JD's unionId and the promoter's
	 * authorization key for jd.union.open.position.create (a secret);
	 * Taobao's invite codes of 渠道管理 (channels) and 会员运营
	 * (members) for taobao.tbk.sc.publisher.info.save. */
	char union_id[SYNC_ID_MAX];
	char position_key[SYNC_CRED_MAX];
	char channel_invite[SYNC_ID_MAX];
	char member_invite[SYNC_ID_MAX];
	/* Taobao's OAuth authorize page the promoter page sends members to
	 * (taobao_oauth.h); "" is Taobao's own. */
	char oauth_url[SYNC_URL_MAX];
	/* Product feeds (product_feed.h): the lists to pull, comma-separated
	 * (JD eliteIds, Taobao search terms, Pinduoduo keywords; "" for
	 * Pinduoduo's list without a keyword), pages per list and rows per
	 * page. */
	char products[SYNC_PRODUCTS_MAX];
	/* JD only: keyword or category searches of jd.union.open.goods.query,
	 * comma-separated ("手机", "cid3:655"); merged with the eliteId lists. */
	char product_queries[SYNC_PRODUCTS_MAX];
	/* Pinduoduo only: channel types of pdd.ddk.goods.recommend.get,
	 * comma-separated ("1,5"); merged with the keyword searches. */
	char product_channels[SYNC_PRODUCT_CHANNELS_MAX];
	int product_pages;
	int product_page_size;
	int64_t product_pull_s; /* the time limit of one pull */
};

struct sync_conf {
	struct sync_union_conf u[SYNC_UNIONS];
	int retries;           /* attempts per request, 1..20 */
	int64_t retry_base_ms; /* first backoff; doubles per attempt */
	int64_t retry_max_ms;  /* backoff cap */
	int64_t timeout_s;     /* per HTTP request */
	int64_t overlap_s;     /* re-read this much before the cursor */
	/* Tracking links through conversion (tracking/links_convert.h): demo
	 * conversions made locally instead of calling the unions; how long a
	 * conversion lives when the union does not say (days); how close to
	 * its expiry one is made again (days). */
	bool convert_demo;
	int convert_ttl_days;
	int convert_refresh_days;
	/* The chat platforms' base URLs for the pusher (push.wecom_base,
	 * push.dingtalk_base, push.feishu_base, push.telegram_base; "" the
	 * platform's own) and where its short links point (push.link_base). */
	char push_base[4][SYNC_URL_MAX];
	char push_link_base[SYNC_URL_MAX];
};

/* The push.* keys in the order of push_base, then "link_base". */
extern const char *const sync_push_keys[5];

/* The union's name ("jd", "taobao", "pdd") and back. */
const char *sync_union_name(enum sync_union u);
bool sync_union_parse(const char *s, enum sync_union *out);
/* The longest query window the union accepts, in seconds. */
int64_t sync_union_max_window(enum sync_union u);
/* The most rows a product query of the union returns per page (JD's
 * jingfen lists 50, Taobao and Pinduoduo 100). */
int sync_union_max_product_page(enum sync_union u);
/* Whether credentials for the union are configured. */
bool sync_conf_has(const struct sync_conf *c, enum sync_union u);

/* Defaults, then the file at `path` (or $TUIKE_CONFIG; none if both are
 * unset), then the environment. */
enum tk_rc sync_conf_load(const char *path, struct sync_conf *c, struct tk_error *err);

/* "60s", "5m", "1h", "250ms", "90" (seconds) to milliseconds, > 0. */
bool sync_duration_ms(const char *s, int64_t *ms);

#endif

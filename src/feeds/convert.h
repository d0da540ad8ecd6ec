/* convert.h — link conversion (转链): asking a union for its own promotion
 * link to a product, made out for one member's tag, so that the union
 * credits orders through that link to the member.
 *
 * JD:     jd.union.open.promotion.bysubunionid.get (by subUnionId or
 *         positionId), or jd.union.open.promotion.common.get when jd.site_id
 *         is configured; 360buy_param_json {"promotionCodeReq": {...}}.
 * Taobao: taobao.tbk.dg.general.link.convert (adzone_id from taobao.pid or
 *         the member's adzone_id tag, relation_id / special_id), then
 *         optionally taobao.tbk.tpwd.create for the 淘口令.
 * PDD:    pdd.ddk.goods.promotion.url.generate (p_id, goods_sign_list,
 *         custom_parameters {"uid": ...}).
 * A refusal is an error naming the union's code and message, never a plain
 * link.  Calls are signed like sync's (sync_params.h), bounded in size and
 * time, and retried with sync's backoff on transient failures. */
#ifndef TK_CONVERT_H
#define TK_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"
#include "feeds/sync_config.h"
#include "feeds/sync_params.h"

#define CONVERT_URL_MAX 1024
#define CONVERT_TPWD_MAX 256
#define CONVERT_TAG_MAX 96
/* Largest conversion reply accepted: a reply holds a handful of URLs. */
#define CONVERT_BODY_MAX (256 * 1024)
/* JD's short links (u.jd.com) live 60 days. */
#define CONVERT_JD_SHORT_TTL_S (60 * 86400)

/* What to convert and for whom.  Empty strings are "not given". */
struct convert_req {
	enum sync_union u;
	char material[CONVERT_URL_MAX]; /* JD: URL or sku; Taobao: item id or URL;
					   PDD: goods_sign or goods id */
	char coupon_url[CONVERT_URL_MAX]; /* JD only: couponUrl (二合一) */
	bool tpwd;                        /* Taobao: also make a 淘口令 */
	/* the member's tags */
	char sub_union_id[CONVERT_TAG_MAX]; /* JD */
	char position_id[CONVERT_TAG_MAX];  /* JD */
	char relation_id[CONVERT_TAG_MAX];  /* Taobao */
	char special_id[CONVERT_TAG_MAX];   /* Taobao */
	char adzone_id[CONVERT_TAG_MAX];    /* Taobao: overrides the PID's adzone */
	char uid[CONVERT_TAG_MAX];          /* PDD custom_parameters uid */
	char sid[CONVERT_TAG_MAX];          /* PDD custom_parameters sid (optional) */
	char pid[CONVERT_TAG_MAX];          /* PDD p_id: overrides pdd.pid */
};

/* The union's answer; empty strings for what it did not give. */
struct convert_result {
	char short_url[CONVERT_URL_MAX];
	char long_url[CONVERT_URL_MAX];
	char mobile_short_url[CONVERT_URL_MAX]; /* PDD */
	char tpwd[CONVERT_TPWD_MAX];            /* Taobao 淘口令, with --tpwd */
	int64_t ttl_s;    /* how long the union says the link lives; 0: not stated */
	int requests;     /* HTTP calls, retries included */
	/* filled on the union's refusal */
	bool refused;
	bool rate_limited;
	bool transient;   /* retrying may help (rate limit, server error) */
	char code[96];    /* the union's code, e.g. "2001501" or "15/isv.item-not-exist" */
};

/* The member's registered tags onto a conversion request: a callback for
 * the store's member_tags (server_tag_cb's shape) whose ctx is the request,
 * its union already set.  A tag of another union, or of a kind the union's
 * conversion does not use, is skipped; of two tags of one kind the first
 * wins (tags come ordered by value).  Always true: read them all. */
bool convert_take_tag(void *ctx, const char *union_, const char *kind, const char *value);

/* The tag the union will see the conversion made with (JD subUnionId or
 * positionId, Taobao relation_id or special_id, PDD uid); "" when the
 * request has none, i.e. the member cannot be converted for. */
const char *convert_main_tag(const struct convert_req *r);

/* The steps of one conversion: Taobao's 淘口令 is a second call. */
enum convert_step { CONVERT_LINK, CONVERT_TPWD };

/* Checks the request against the config: a tag the union needs, material
 * shape.  TK_EINVAL names the missing piece and how to supply it. */
enum tk_rc convert_check(const struct sync_conf *c, const struct convert_req *r,
			 struct tk_error *err);

/* The unsigned parameters of one step (system ones included, no timestamp
 * or sign); for CONVERT_TPWD, `url` is the link to wrap. */
enum tk_rc convert_build(const struct sync_conf *c, const struct convert_req *r,
			 enum convert_step step, const char *url, struct sync_params *p,
			 struct tk_error *err);

/* Reads one reply body of a step into res.  A union error answer fills
 * res->refused/code/transient and fails with TK_EINVAL naming the union,
 * its code and message; a body that is no usable reply fails with
 * TK_EINVAL too (transient: a cut-off body may be whole next time). */
enum tk_rc convert_parse(enum sync_union u, enum convert_step step, const char *body,
			 size_t len, struct convert_result *res, struct tk_error *err);

/* A retry about to happen (no secret in why). */
typedef void (*convert_retry_cb)(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
				 const struct tk_error *why);

/* The whole conversion: check, call (retrying transient failures up to
 * c->retries attempts), parse; then the 淘口令 when asked. */
enum tk_rc convert_link(const struct sync_conf *c, const struct convert_req *r,
			struct convert_result *res, convert_retry_cb on_retry, void *ctx,
			struct tk_error *err);

/* ---- shared with the other calls to the unions' gateways (tag_register.h) ---- */

/* The system parameters of a call of `method` to union u's gateway (no
 * timestamp or sign). */
enum tk_rc convert_system_params(const struct sync_union_conf *uc, enum sync_union u,
				 const char *method, struct sync_params *p, struct tk_error *err);

/* The union's error answer in doc, read by union_error_reply (union_page.h,
 * the one reader for every call to a gateway): fills
 * res->refused/code/transient/rate_limited and fails with TK_EINVAL
 * "<Union> refused <what>: error <code>: <message>"; TK_OK when doc holds
 * none. */
enum tk_rc convert_union_error(enum sync_union u, json_t *doc, const char *what,
			       struct convert_result *res, struct tk_error *err);
/* A refusal found inside a reply (e.g. JD's result code), in the same words. */
enum tk_rc convert_refused(const char *what, struct convert_result *res, enum sync_union u,
			   const char *code, const char *msg, bool transient,
			   struct tk_error *err);

/* One signed call to union u, retried while the failure is transient (up
 * to c->retries attempts, sync's backoff): build(step, ...) makes the
 * unsigned parameters, parse(step, ...) reads a 200 reply into res (its
 * refusal sets res->transient when retrying may help).  res->requests
 * counts the HTTP calls. */
typedef enum tk_rc (*convert_build_fn)(void *step, struct sync_params *p, struct tk_error *err);
typedef enum tk_rc (*convert_parse_fn)(void *step, const char *body, size_t len,
				       struct convert_result *res, struct tk_error *err);
enum tk_rc convert_call(const struct sync_conf *c, enum sync_union u, convert_build_fn build,
			convert_parse_fn parse, void *step, struct convert_result *res,
			convert_retry_cb on_retry, void *ctx, struct tk_error *err);

#endif

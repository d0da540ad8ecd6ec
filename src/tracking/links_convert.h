/* links_convert.h — the union's own promotion link behind a member's
 * product link: made through the union's conversion API (feeds/convert.h)
 * with the member's tag, kept per member, union, product and coupon until
 * it nears its expiry, and made again then (on next use, or by
 * `tuike link refresh`), the links made from it following.
 *
 * A union whose credentials are not configured keeps plain targets (the
 * product page with the tag in its query).  In demo mode (convert.demo =
 * on, or TUIKE_DEMO=1 without credentials) conversions are made locally,
 * shaped like the unions' and marked demo, so that a demo runs offline. */
#ifndef TK_TRACKING_LINKS_CONVERT_H
#define TK_TRACKING_LINKS_CONVERT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "engine/engine.h"
#include "feeds/convert.h"
#include "feeds/sync_config.h"
#include "store/server_store.h"

/* What conversion needs: the unions' settings and whether to make demo
 * ones. */
struct links_conv {
	struct sync_conf conf;
	bool demo;
};

/* A union's failure to convert, for the API's answer. */
struct links_fault {
	bool failed;      /* the union refused or could not be reached */
	bool refused;     /* it answered with an error (code below) */
	char union_[ORDER_UNION_MAX];
	char code[96];    /* the union's error code, "" when unreachable */
};

/* Loads the settings (sync_conf_load: path, or $TUIKE_CONFIG) and decides
 * demo mode (convert.demo, or $TUIKE_DEMO=1 when no union has credentials). */
enum tk_rc links_conv_load(const char *path, struct links_conv *lc, struct tk_error *err);

/* Whether product links of union_ are made through conversion under lc
 * (lc may be NULL: never). */
bool links_conv_applies(const struct links_conv *lc, const char *union_);

/* Releasing and retaking the caller's lock around a union call (the API
 * server's engine lock); retake may fail (catching up with other
 * processes).  NULL members: nothing to release. */
struct links_unlock {
	void (*release)(void *ctx);
	enum tk_rc (*retake)(void *ctx, struct tk_error *err);
	void *ctx;
};
enum tk_rc links_unlock_release(const struct links_unlock *u);
enum tk_rc links_unlock_retake(const struct links_unlock *u, struct tk_error *err);

/* A conversion to be made: what links_conv_lookup read (the request with
 * the member's tags), then the union's answer. */
struct links_pending {
	bool needed;       /* a union call is due (else the saved one serves) */
	bool called;       /* res holds the union's (or the demo) answer */
	bool demo;
	bool force;
	int64_t member;
	char channel[ORDER_KEY_MAX]; /* a chat group's key, "" the member's own */
	int64_t now;
	int64_t seen_at;   /* converted_at of the saved one at lookup, 0: none */
	char union_[ORDER_UNION_MAX];
	char product[ORDER_KEY_MAX];
	struct convert_req req;
	struct convert_result res;
};

/* The three steps of a conversion, so that the union is called holding no
 * lock and no transaction:
 * links_conv_lookup (under the lock): the saved conversion behind member
 *   m's link to (union_, product) for `channel` ("" the member's own, or one
 *   of its chat groups' keys: then made with the group's tags first, and
 *   Pinduoduo's sid the key) while more than convert.refresh_days from
 *   its expiry (and !force) into *out with p->needed false; else p filled
 *   for a call (TK_ECONFLICT when the member has no tag of the union).
 * links_conv_call (no lock, no store): the union's answer into p (or a demo
 *   one made locally).  A refusal fails with TK_ECONFLICT, an unreachable
 *   union with TK_EIO, both naming the union, its code and message, with
 *   *fault filled (may be NULL).
 * links_conv_save (inside the caller's transaction): saves the answer and
 *   re-targets the links made from the conversion — unless another call
 *   saved a newer good one meanwhile, which is kept and returned (*fresh
 *   false then). */
enum tk_rc links_conv_lookup(struct engine *e, const struct links_conv *lc,
			     const struct member_rec *m, const char *channel, const char *union_,
			     const char *product, const char *url, int64_t now, bool force,
			     struct conversion_rec *out, struct links_pending *p,
			     struct tk_error *err);
enum tk_rc links_conv_call(const struct links_conv *lc, struct links_pending *p,
			   struct links_fault *fault, struct tk_error *err);
enum tk_rc links_conv_save(struct store *st, const struct links_conv *lc,
			   const struct links_pending *p, struct conversion_rec *out, bool *fresh,
			   struct tk_error *err);

/* The three steps in one: lookup, then (when due) the call with `unlock`
 * released (NULL: nothing to release), then the save in its own
 * transaction.  Taobao's comes with its 淘口令.  *fresh says whether a
 * conversion was saved (NULL: not wanted). */
enum tk_rc links_conversion(struct engine *e, const struct links_conv *lc,
			    const struct member_rec *m, const char *channel, const char *union_,
			    const char *product,
			    const char *url, int64_t now, bool force, struct conversion_rec *out,
			    bool *fresh, struct links_fault *fault, const struct links_unlock *unlock,
			    struct tk_error *err);

/* Makes again every conversion still behind a redirecting link that
 * expires within `within` seconds of now, re-targeting its links; counts
 * what was refreshed and what failed (each failure reported to on_fail). */
typedef void (*links_refresh_fail_cb)(void *ctx, const struct conversion_rec *c,
				      const struct tk_error *why);
enum tk_rc links_refresh(struct engine *e, const struct links_conv *lc, int64_t now,
			 int64_t within, int *refreshed, int *failed, links_refresh_fail_cb on_fail,
			 void *ctx, struct tk_error *err);

#endif

/* links.h — making tracking links: a short random code for a member and a
 * product (or any web address), whose target carries the member's union
 * tag and invite code, so that the order the click leads to comes back
 * attributed to the member.
 *
 * links_prepare() checks a request and builds the link without writing;
 * links_insert() stores it inside the caller's transaction, drawing a new
 * code when the drawn one is taken.  links_create() does both in one
 * transaction. */
#ifndef TK_TRACKING_LINKS_H
#define TK_TRACKING_LINKS_H

#include <stddef.h>

#include "core/error.h"
#include "engine/engine.h"
#include "store/server_store.h"
#include "tracking/link_host.h"

#define LINK_URL_MAX 2048       /* bytes of a target address given by hand */
#define LINK_CHANNEL_MAX 64     /* bytes of a channel name */
#define LINK_CODE_LEN 7         /* random base62 characters: 3.5e12 codes */
/* The links a member may make itself, unless an operator set its own
 * (tuike member quota): a busy promoter sends to a few dozen groups a few
 * times a day, each send one link per group. */
#define LINK_QUOTA_HOUR 200
#define LINK_QUOTA_DAY 1000
#define LINK_QUOTA_MAX 1000000  /* the most an operator may set, per hour or day */

/* A member's link refused for its quota: when it may make the next. */
struct links_quota_hit {
	bool hit;
	int64_t retry_after;    /* seconds, >= 1 */
};

struct links_conv;
struct links_fault;
struct links_pending;
struct links_unlock;

struct link_request {
	const char *member;   /* external id, required */
	const char *union_;   /* with product; or with url, to add that union's tag */
	const char *product;  /* the union's product id (from the product library) */
	const char *url;      /* a web address instead of a product */
	const char *channel;  /* optional */
	/* A product link of a union conversion applies to (links_convert.h)
	 * points at the union's promotion link made with the member's tag;
	 * NULL: plain targets.  fault (optional) says why a union failed. */
	const struct links_conv *conv;
	struct links_fault *fault;
	/* released around the union call, retaken after (NULL: nothing) */
	const struct links_unlock *unlock;
	/* links_create: the member's newest link to the product, when one was
	 * stored meanwhile, instead of a second one */
	bool reuse;
	/* links_prepare: with a pending (links_convert.h), a due conversion is
	 * only looked up into it (target left empty, for links_finish after
	 * the call); NULL: made at once in its own transaction */
	struct links_pending *pending;
	/* who asks (enum link_origin): the links a member makes itself count
	 * against its quota (links_finish), and only an operator may pass
	 * allow_host: its explicit permission for a URL link's host not on
	 * the allowed list, or for http (the link records it) */
	int origin;
	bool allow_host;
	/* the hosts operators allowed, read once by a caller making many
	 * links (link import); NULL: read from the store */
	const struct link_hosts *hosts;
	/* filled when a member's link is refused for its quota (may be NULL) */
	struct links_quota_hit *quota;
};

/* out = channel when it is the key of one of member's chat groups (an
 * active or paused one), "" when it names no group (a channel of the
 * member's own); another member's group or an archived one is
 * TK_ECONFLICT. */
enum tk_rc links_group_channel(struct store *st, int64_t member, const char *channel,
			       char out[ORDER_KEY_MAX], struct tk_error *err);

enum tk_rc links_prepare(struct engine *e, const struct link_request *req, int64_t now,
			 struct link_rec *out, struct tk_error *err);
enum tk_rc links_insert(struct store *st, struct link_rec *l, struct tk_error *err);
/* Inside the caller's transaction: saves req->pending's conversion when
 * one was due (called already), points the link at it, and inserts the
 * link (or, with req->reuse, answers the member's link stored meanwhile). */
enum tk_rc links_finish(struct store *st, const struct link_request *req, struct link_rec *l,
			struct tk_error *err);
/* Prepares, calls the union (when due) with req->unlock released and no
 * transaction open, then finishes in one transaction (tracking_link_save):
 * the conversion and the link are stored together.  Revoking a link is
 * tracking_link_revoke (tracking/tracking.h). */
enum tk_rc links_create(struct engine *e, const struct link_request *req, int64_t now,
			struct link_rec *out, struct tk_error *err);

/* The domains operators added to the allowed hosts (link_host.h), read
 * into *out (free with links_hosts_free). */
enum tk_rc links_hosts_load(struct store *st, struct link_hosts *out, struct tk_error *err);
void links_hosts_free(struct link_hosts *h);

/* A member's link quota: its own (*own true) or the defaults. */
enum tk_rc links_quota_get(struct store *st, int64_t member, int64_t *per_hour,
			   int64_t *per_day, bool *own, struct tk_error *err);

/* Inside the caller's transaction: whether member may make one more link
 * at now; TK_ELIMIT (field "links", *hit filled when hit is not NULL)
 * when it made its quota's worth in the last hour or day. */
enum tk_rc links_quota_check(struct store *st, int64_t member, int64_t now,
			     struct links_quota_hit *hit, struct tk_error *err);

/* Whether s is an absolute http(s) address of at most LINK_URL_MAX bytes
 * made only of characters allowed in a URL (so that it is safe in a
 * Location header: no spaces, no control characters, ASCII only). */
bool links_url_valid(const char *s);

/* Whether kind is a tag kind of the union (jd: subUnionId, positionId;
 * taobao: special_id, relation_id, adzone_id; pdd: uid, p_id). */
bool links_tag_kind_valid(const char *union_, const char *kind);

/* Whether s looks like a link code (1..LINK_CODE_MAX-1 of [0-9A-Za-z]). */
bool links_code_valid(const char *s, size_t len);

/* The target: url with the union tag (kind=value, percent-encoded; PDD's
 * uid goes in custom_parameters) and tk=INVITE added to its query, before
 * any #fragment.  kind may be NULL (no tag).  TK_ELIMIT beyond out's size. */
enum tk_rc links_target(const char *url, const char *kind, const char *value,
			const char *invite_code, char *out, size_t size, struct tk_error *err);

#endif

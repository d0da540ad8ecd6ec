/* links.c — checking link requests, building targets, drawing codes. */
#include "tracking/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "actions/actions.h"
#include "catalog/catalog_product.h"
#include "tracking/links_convert.h"
#include "store/catalog_store.h"
#include "store/group_store.h"
#include "store/feed_store.h"
#include "tracking/tracking.h"

static const char code_alphabet[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* The union tags a link may carry, most preferred first (the order the
 * order-feed adapters try them back). */
static const struct {
	const char *union_;
	const char *kinds[3];
} tag_order[] = {
	{"jd", {"subUnionId", "positionId", NULL}},
	{"taobao", {"special_id", "relation_id", "adzone_id"}},
	{"pdd", {"uid", "p_id", NULL}},
};

bool links_code_valid(const char *s, size_t len)
{
	if (len == 0 || len >= LINK_CODE_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
	}
	return true;
}

bool links_url_valid(const char *s)
{
	size_t n = strlen(s);
	if (n > LINK_URL_MAX)
		return false;
	size_t scheme = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
	if (!scheme || n == scheme || s[scheme] == '/')
		return false;
	/* RFC 3986 characters: unreserved, reserved and '%' */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c))
			return false;
	}
	return true;
}

/* Appends s percent-encoded (all but unreserved characters). */
static bool put_encoded(char *out, size_t size, size_t *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			     (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_' || c == '~';
		if (*o + (plain ? 1 : 3) >= size)
			return false;
		if (plain) {
			out[(*o)++] = (char)c;
		} else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
	return true;
}

static bool put_raw(char *out, size_t size, size_t *o, const char *s, size_t n)
{
	if (*o + n >= size)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

enum tk_rc links_target(const char *url, const char *kind, const char *value,
			const char *invite_code, char *out, size_t size, struct tk_error *err)
{
	const char *hash = strchr(url, '#');
	size_t base = hash ? (size_t)(hash - url) : strlen(url), o = 0;
	bool query = memchr(url, '?', base) != NULL;
	char sep = query && base > 0 && url[base - 1] != '?' && url[base - 1] != '&' ? '&'
		   : query ? '\0' : '?';
	bool ok = put_raw(out, size, &o, url, base);
	if (ok && sep)
		ok = put_raw(out, size, &o, &sep, 1);
	if (ok && kind) {
		if (strcmp(kind, "uid") == 0) {
			/* PDD reads its promoter from a JSON custom_parameters */
			char json[ORDER_KEY_MAX * 2 + 16];
			snprintf(json, sizeof(json), "{\"uid\":\"%s\"}", value);
			ok = put_raw(out, size, &o, "custom_parameters=", 18) &&
			     put_encoded(out, size, &o, json);
		} else {
			const char *name = strcmp(kind, "p_id") == 0 ? "pid" : kind;
			ok = put_raw(out, size, &o, name, strlen(name)) &&
			     put_raw(out, size, &o, "=", 1) && put_encoded(out, size, &o, value);
		}
		ok = ok && put_raw(out, size, &o, "&", 1);
	}
	ok = ok && put_raw(out, size, &o, "tk=", 3) && put_encoded(out, size, &o, invite_code);
	if (ok && hash)
		ok = put_raw(out, size, &o, hash, strlen(hash));
	if (!ok)
		return tk_fail(err, TK_ELIMIT, "url", "the target would be longer than %zu bytes",
			       size - 1);
	out[o] = '\0';
	return TK_OK;
}

/* ---- choosing the tag ---- */

struct tag_pick {
	const char *union_;
	int best;                   /* index in the union's preference, -1 = none */
	char kind[TAG_KIND_MAX];
	char value[ORDER_KEY_MAX];
};

static bool pick_cb(void *ctx, const char *union_, const char *kind, const char *value)
{
	struct tag_pick *p = ctx;
	if (strcmp(union_, p->union_) != 0)
		return true;
	for (size_t u = 0; u < sizeof(tag_order) / sizeof(tag_order[0]); u++) {
		if (strcmp(tag_order[u].union_, union_) != 0)
			continue;
		for (int k = 0; k < 3 && tag_order[u].kinds[k]; k++)
			if (strcmp(tag_order[u].kinds[k], kind) == 0 && (p->best < 0 || k < p->best)) {
				p->best = k;
				snprintf(p->kind, sizeof(p->kind), "%s", kind);
				snprintf(p->value, sizeof(p->value), "%s", value);
			}
	}
	return true;
}

bool links_tag_kind_valid(const char *union_, const char *kind)
{
	for (size_t u = 0; u < sizeof(tag_order) / sizeof(tag_order[0]); u++)
		if (strcmp(tag_order[u].union_, union_) == 0)
			for (int k = 0; k < 3 && tag_order[u].kinds[k]; k++)
				if (strcmp(tag_order[u].kinds[k], kind) == 0)
					return true;
	return false;
}

static bool union_has_tags(const char *union_)
{
	for (size_t u = 0; u < sizeof(tag_order) / sizeof(tag_order[0]); u++)
		if (strcmp(tag_order[u].union_, union_) == 0)
			return true;
	return false;
}

/* ---- where URL links may lead, and how many a member makes ---- */

static bool host_cb(void *ctx, const char *domain, int64_t added_at)
{
	struct link_hosts *h = ctx;
	(void)added_at;
	if (h->n >= LINK_HOSTS_MAX)
		return false; /* more are never added (tracking_link_host_add) */
	void *grown = realloc(h->domain, (h->n + 1) * sizeof(*h->domain));
	if (!grown)
		return false;
	h->domain = grown;
	snprintf(h->domain[h->n++], LINK_HOST_MAX, "%s", domain);
	return true;
}

enum tk_rc links_hosts_load(struct store *st, struct link_hosts *out, struct tk_error *err)
{
	memset(out, 0, sizeof(*out));
	enum tk_rc rc = st->server->link_host_each(st, host_cb, out, err);
	if (rc)
		links_hosts_free(out);
	return rc;
}

void links_hosts_free(struct link_hosts *h)
{
	free(h->domain);
	h->domain = NULL;
	h->n = 0;
}

/* A URL link's address: well formed, https, and to an allowed host,
 * unless an operator's allow_host lets another through (*overridden). */
static enum tk_rc url_allowed(struct store *st, const struct link_request *req, const char *url,
			      bool *overridden, struct tk_error *err)
{
	struct link_url u;
	struct link_hosts own = {0};
	const struct link_hosts *hosts = req->hosts;
	enum tk_rc rc;
	if (req->allow_host && req->origin == LINK_ORIGIN_MEMBER)
		return tk_fail(err, TK_EINVAL, "allow_host",
			       "only an operator may let a link past the allowed hosts");
	if (!hosts && (rc = links_hosts_load(st, &own, err)))
		return rc;
	rc = link_url_check(url, LINK_URL_MAX, hosts ? hosts : &own, req->allow_host, &u,
			    overridden, err);
	links_hosts_free(&own);
	if (!rc && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		rc = tk_fail(err, TK_EINVAL, "url", "write the scheme in lower case: https://");
	if (!rc && !links_url_valid(url))
		rc = tk_fail(err, TK_EINVAL, "url",
			     "must be an address of at most %d bytes without characters a URL "
			     "cannot hold (percent-encode them)",
			     LINK_URL_MAX);
	return rc;
}

enum tk_rc links_quota_get(struct store *st, int64_t member, int64_t *per_hour,
			   int64_t *per_day, bool *own, struct tk_error *err)
{
	enum tk_rc rc = st->server->link_quota_get(st, member, per_hour, per_day, err);
	*own = rc == TK_OK;
	if (rc == TK_ENOTFOUND) {
		*per_hour = LINK_QUOTA_HOUR;
		*per_day = LINK_QUOTA_DAY;
		rc = TK_OK;
	}
	return rc;
}

enum tk_rc links_quota_check(struct store *st, int64_t member, int64_t now,
			     struct links_quota_hit *hit, struct tk_error *err)
{
	static const struct {
		int64_t seconds;
		const char *what;
	} windows[2] = {{3600, "hour"}, {86400, "day"}};
	int64_t limit[2];
	bool own;
	enum tk_rc rc = links_quota_get(st, member, &limit[0], &limit[1], &own, err);
	for (int w = 0; w < 2 && !rc; w++) {
		int64_t n, oldest;
		if ((rc = st->server->link_count_since(st, member, now - windows[w].seconds + 1, &n,
						       &oldest, err)))
			break;
		if (n < limit[w])
			continue;
		/* the oldest link of the window leaves it a second after it
		 * is a whole window old */
		int64_t retry = oldest + windows[w].seconds - now;
		retry = retry < 1 ? 1 : retry;
		if (hit) {
			hit->hit = true;
			hit->retry_after = retry;
		}
		tk_fail_key(err, TK_ELIMIT, "links", w ? "link.quota_day" : "link.quota_hour",
			    "member made %lld links in the last %s, its quota (%lld per %s%s); "
			    "retry after %lld s",
			    (long long)n, windows[w].what, (long long)limit[w], windows[w].what,
			    own ? ", set by an operator" : "", (long long)retry);
		tk_error_int(err, "limit", limit[w]);
		tk_error_int(err, "retry_s", retry);
		return TK_ELIMIT;
	}
	return rc;
}

/* ---- preparing a link ---- */

static enum tk_rc check_text(const char *field, const char *s, size_t max,
			     struct tk_error *err)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return tk_fail(err, TK_EINVAL, field, "must be 1..%zu bytes", max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return tk_fail(err, TK_EINVAL, field, "must not contain control characters");
	return TK_OK;
}

static void draw_code(char out[LINK_CODE_MAX])
{
	for (int i = 0; i < LINK_CODE_LEN; i++)
		out[i] = code_alphabet[randombytes_uniform(sizeof(code_alphabet) - 1)];
	out[LINK_CODE_LEN] = '\0';
}

enum tk_rc links_group_channel(struct store *st, int64_t member, const char *channel,
			       char out[ORDER_KEY_MAX], struct tk_error *err)
{
	out[0] = '\0';
	if (!channel || !channel[0] || !st->groups)
		return TK_OK;
	struct group_rec *g = malloc(sizeof(*g));
	if (!g)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = st->groups->group_get_channel(st, channel, g, err);
	if (rc == TK_ENOTFOUND) {
		rc = TK_OK; /* a channel of the member's own naming */
	} else if (!rc && g->owner != member) {
		rc = tk_fail_key(err, TK_ECONFLICT, "channel", "group.not_own",
				 "\"%s\" is another member's group", channel);
		tk_error_str(err, "group", channel);
	} else if (!rc && strcmp(g->state, "archived") == 0) {
		rc = tk_fail_key(err, TK_ECONFLICT, "channel", "group.archived",
				 "group %s is archived", channel);
		tk_error_str(err, "group", channel);
	} else if (!rc) {
		snprintf(out, ORDER_KEY_MAX, "%s", g->channel);
	}
	free(g);
	return rc;
}

enum tk_rc links_prepare(struct engine *e, const struct link_request *req, int64_t now,
			 struct link_rec *out, struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct member_rec m;
	enum tk_rc rc;
	const char *url = req->url;
	bool has_product = req->product && *req->product, has_url = url && *url;
	memset(out, 0, sizeof(*out));
	if (req->fault)
		memset(req->fault, 0, sizeof(*req->fault));
	if (!req->member || !*req->member)
		return tk_fail(err, TK_EINVAL, "member", "is required");
	if (has_product == has_url)
		return tk_fail(err, TK_EINVAL, has_url ? "url" : "product",
			       "give either a product (with its union) or a url, not both");
	if ((rc = engine_member_get(e, req->member, &m, err)))
		return rc;
	char group[ORDER_KEY_MAX]; /* the channel when it is one of m's groups */
	if (req->channel && *req->channel &&
	    ((rc = check_text("channel", req->channel, LINK_CHANNEL_MAX, err)) ||
	     (rc = links_group_channel(st, m.id, req->channel, group, err))))
		return rc;
	if (!req->channel || !*req->channel)
		group[0] = '\0';
	const char *union_ = req->union_ && *req->union_ ? req->union_ : "";
	if ((has_product || *union_) && !order_union_valid(union_))
		return tk_fail(err, TK_EINVAL, "union", "must be jd, taobao, pdd or own, got \"%s\"",
			       union_);
	struct catalog_product *p = NULL;
	if (has_product) {
		if ((rc = check_text("product", req->product, ORDER_KEY_MAX - 1, err)))
			return rc;
		if (!st->catalog || !st->catalog->product_get)
			return tk_fail(err, TK_ENOTFOUND, "product", "there is no product library");
		if (!(p = malloc(sizeof(*p))))
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		if ((rc = st->catalog->product_get(st, union_, req->product, p, err)))
			goto out;
		if (!p->url[0] || !links_url_valid(p->url)) {
			rc = tk_fail_key(err, TK_ECONFLICT, "product", "product.no_url",
					 "product %s:%s has no usable url in the library", union_,
					 req->product);
			tk_error_str(err, "union", union_);
			goto out;
		}
		url = p->url;
		snprintf(out->product, sizeof(out->product), "%s", req->product);
	} else if ((rc = url_allowed(st, req, url, &out->host_override, err))) {
		return rc;
	}
	struct tag_pick pick = {.union_ = union_, .best = -1};
	if (union_has_tags(union_)) {
		/* a group's link carries the group's tag, else the member's */
		if (group[0] && (rc = st->groups->group_tags(st, group, pick_cb, &pick, err)))
			goto out;
		if (pick.best < 0 && (rc = st->server->member_tags(st, m.id, pick_cb, &pick, err)))
			goto out;
		if (pick.best < 0) {
			rc = tk_fail_key(err, TK_ECONFLICT, "member", "tag.none_of_union",
					 "member \"%s\" has no %s union tag to carry; register one "
					 "with `tuike tag set %s %s KIND VALUE`",
					 m.ext, union_, m.ext, union_);
			tk_error_str(err, "member", m.ext);
			tk_error_str(err, "union", union_);
			goto out;
		}
	}
	if (has_product && links_conv_applies(req->conv, union_)) {
		/* the union's own promotion link: the tag in a query string is
		 * ignored by the unions */
		struct conversion_rec *conv = malloc(sizeof(*conv));
		if (!conv) {
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
			goto out;
		}
		if (req->pending)
			rc = links_conv_lookup(e, req->conv, &m, group, union_, req->product, url, now,
					       false, conv, req->pending, err);
		else
			rc = links_conversion(e, req->conv, &m, group, union_, req->product, url, now,
					      false, conv, NULL, req->fault, req->unlock, err);
		/* a due conversion leaves the target to links_finish */
		if (!rc && !(req->pending && req->pending->needed)) {
			snprintf(out->target, sizeof(out->target), "%s", conv->url);
			out->conversion = conv->id;
			out->expires_at = conv->expires_at;
			out->demo = conv->demo;
		}
		free(conv);
		if (rc)
			goto out;
	} else {
		char invite[16];
		engine_invite_code(m.id, invite);
		if ((rc = links_target(url, pick.best >= 0 ? pick.kind : NULL, pick.value, invite,
				       out->target, sizeof(out->target), err)))
			goto out;
	}
	out->member = m.id;
	out->origin = req->origin;
	snprintf(out->member_ext, sizeof(out->member_ext), "%s", m.ext);
	snprintf(out->union_, sizeof(out->union_), "%s", union_);
	snprintf(out->channel, sizeof(out->channel), "%s", req->channel ? req->channel : "");
	out->created_at = now;
	draw_code(out->code);
out:
	free(p);
	return rc;
}

enum tk_rc links_insert(struct store *st, struct link_rec *l, struct tk_error *err)
{
	enum tk_rc rc = TK_ECONFLICT;
	/* a taken code is unlikely (1 in 3.5e12 per existing link): redraw */
	for (int tries = 0; tries < 8 && rc == TK_ECONFLICT; tries++) {
		if (tries)
			draw_code(l->code);
		rc = st->server->link_insert(st, l, err);
	}
	return rc;
}

enum tk_rc links_finish(struct store *st, const struct link_request *req, struct link_rec *l,
			struct tk_error *err)
{
	struct links_pending *p = req->pending;
	enum tk_rc rc;
	if (req->reuse && l->union_[0] && l->product[0]) {
		struct link_rec *old = malloc(sizeof(*old));
		if (!old)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		rc = st->server->link_find(st, l->member, l->union_, l->product, "", old, err);
		if (rc == TK_OK)
			*l = *old;
		free(old);
		if (rc != TK_ENOTFOUND)
			return rc;
	}
	/* the count and the link in one transaction: writers are serial on
	 * both backends, so two nodes cannot both take the last one */
	if (req->origin == LINK_ORIGIN_MEMBER &&
	    (rc = links_quota_check(st, l->member, l->created_at, req->quota, err)))
		return rc;
	if (p && p->needed) {
		struct conversion_rec *conv = malloc(sizeof(*conv));
		if (!conv)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		rc = links_conv_save(st, req->conv, p, conv, NULL, err);
		if (!rc) {
			snprintf(l->target, sizeof(l->target), "%s", conv->url);
			l->conversion = conv->id;
			l->expires_at = conv->expires_at;
			l->demo = conv->demo;
		}
		free(conv);
		if (rc)
			return rc;
	}
	if ((rc = links_insert(st, l, err)) || !l->host_override)
		return rc;
	/* a link let past the allowed hosts is an operator's decision: logged
	 * with where it leads */
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "link:%s", l->code);
	json_t *after = json_pack("{s:s, s:s, s:b}", "member", l->member_ext, "target", l->target,
				  "host_override", 1);
	rc = actions_record(st, l->created_at, "link.host_override", subject, NULL, after, err);
	json_decref(after);
	return rc;
}

enum tk_rc links_create(struct engine *e, const struct link_request *req, int64_t now,
			struct link_rec *out, struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct link_request r = *req;
	enum tk_rc rc;
	if (!(r.pending = malloc(sizeof(*r.pending))))
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	r.pending->needed = false;
	if ((rc = links_prepare(e, &r, now, out, err)))
		goto out;
	/* a member over its quota costs no union call (checked again with
	 * the insert, where it counts) */
	if (r.pending->needed && req->origin == LINK_ORIGIN_MEMBER &&
	    (rc = links_quota_check(st, out->member, now, req->quota, err)))
		goto out;
	if (r.pending->needed) {
		/* the union is called holding neither the caller's lock nor a
		 * transaction: a slow union stops nobody else */
		links_unlock_release(req->unlock);
		rc = links_conv_call(req->conv, r.pending, req->fault, err);
		enum tk_rc lrc = links_unlock_retake(req->unlock, err);
		if (rc || (rc = lrc))
			goto out;
	}
	rc = tracking_link_save(st, &r, out, err);
out:
	free(r.pending);
	return rc;
}


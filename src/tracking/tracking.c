/* tracking.c — the tracking module's operations, each in one transaction
 * it owns: links, their conversions, union tags and the click writer's
 * batches (see tracking.h). */
#include "tracking/tracking.h"

#include <stdio.h>

#include "actions/actions.h"
#include "engine/engine.h"
#include "store/feed_store.h"

/* The newest click a node's link counters cover (server state), one per
 * node: "link_counts_upto:NODE". */
#define STATE_COUNTS_UPTO "link_counts_upto:"

enum tk_rc tracking_link_save(struct store *st, const struct link_request *req,
			      struct link_rec *l, struct tk_error *err)
{
	enum tk_rc rc = st->ops->tx_begin(st, err);
	return rc ? rc : store_tx_end(st, links_finish(st, req, l, err), err);
}

enum tk_rc tracking_link_revoke(struct store *st, const char *code, int64_t member, int64_t now,
				struct link_rec *out, struct tk_error *err)
{
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	if (!(rc = st->server->link_get(st, code, out, err)) && member && out->member != member)
		rc = tk_fail(err, TK_ENOTFOUND, "code", "no link \"%s\"", code);
	if (!rc && !out->revoked_at) {
		out->revoked_at = now;
		rc = st->server->link_revoke(st, out->id, now, err);
	}
	return store_tx_end(st, rc, err);
}

/* The action log's entry of an allowed host added or removed. */
static enum tk_rc log_host(struct store *st, int64_t now, const char *what, const char *domain,
			   bool was, bool is, struct tk_error *err)
{
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "link_host:%s", domain);
	json_t *before = json_pack("{s:b}", "allowed", was);
	json_t *after = json_pack("{s:b}", "allowed", is);
	enum tk_rc rc = actions_record(st, now, what, subject, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* A member's link quota for the log: null when the defaults apply. */
static json_t *quota_doc(int64_t per_hour, int64_t per_day)
{
	if (!per_hour && !per_day)
		return NULL;
	return json_pack("{s:I, s:I}", "links_per_hour", (json_int_t)per_hour, "links_per_day",
			 (json_int_t)per_day);
}

enum tk_rc tracking_link_host_add(struct store *st, const char *domain, int64_t now,
				  char out[LINK_HOST_MAX], bool *added, struct tk_error *err)
{
	struct link_hosts hosts;
	*added = false;
	enum tk_rc rc = link_domain_normalize(domain, out, err);
	if (rc || link_host_is_builtin(out))
		return rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if (!(rc = links_hosts_load(st, &hosts, err))) {
		if (hosts.n >= LINK_HOSTS_MAX)
			rc = tk_fail(err, TK_ELIMIT, "domain",
				     "the allowed list holds %d domains already; remove one first",
				     LINK_HOSTS_MAX);
		links_hosts_free(&hosts);
	}
	if (!rc)
		rc = st->server->link_host_add(st, out, now, added, err);
	if (!rc && *added)
		rc = log_host(st, now, "link_host.add", out, false, true, err);
	return store_tx_end(st, rc, err);
}

enum tk_rc tracking_link_host_remove(struct store *st, const char *domain, int64_t now,
				     char out[LINK_HOST_MAX], struct tk_error *err)
{
	enum tk_rc rc = link_domain_normalize(domain, out, err);
	if (rc)
		return rc;
	if (link_host_is_builtin(out))
		return tk_fail(err, TK_ECONFLICT, "domain",
			       "\"%s\" is one of the unions' own domains, built in; it cannot be "
			       "removed", out);
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	rc = st->server->link_host_remove(st, out, err);
	if (!rc)
		rc = log_host(st, now, "link_host.remove", out, true, false, err);
	return store_tx_end(st, rc, err);
}

enum tk_rc tracking_link_quota_set(struct store *st, int64_t member, int64_t per_hour,
				   int64_t per_day, int64_t now, struct tk_error *err)
{
	if (!(per_hour == 0 && per_day == 0)) {
		if (per_hour < 1 || per_hour > LINK_QUOTA_MAX)
			return tk_fail(err, TK_EINVAL, "links_per_hour", "must be 1..%d, got %lld",
				       LINK_QUOTA_MAX, (long long)per_hour);
		if (per_day < per_hour || per_day > LINK_QUOTA_MAX)
			return tk_fail(err, TK_EINVAL, "links_per_day",
				       "must be %lld..%d (at least the hour's), got %lld",
				       (long long)per_hour, LINK_QUOTA_MAX, (long long)per_day);
	}
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	int64_t old_hour = 0, old_day = 0;
	rc = st->server->link_quota_get(st, member, &old_hour, &old_day, err);
	if (rc == TK_ENOTFOUND)
		rc = TK_OK; /* the defaults: null in the log */
	if (!rc)
		rc = st->server->link_quota_set(st, member, per_hour, per_day, now, err);
	struct member_rec m;
	if (!rc)
		rc = st->ops->member_get_id(st, member, &m, err);
	if (!rc) {
		char subject[ACTION_SUBJECT_MAX];
		snprintf(subject, sizeof(subject), "member:%s", m.ext);
		json_t *before = quota_doc(old_hour, old_day);
		json_t *after = quota_doc(per_hour, per_day);
		rc = actions_record(st, now, "member.link_quota", subject, before, after, err);
		json_decref(before);
		json_decref(after);
	}
	return store_tx_end(st, rc, err);
}

enum tk_rc tracking_conversion_save(struct store *st, const struct links_conv *lc,
				    const struct links_pending *p, struct conversion_rec *out,
				    bool *fresh, struct tk_error *err)
{
	enum tk_rc rc = st->ops->tx_begin(st, err);
	return rc ? rc : store_tx_end(st, links_conv_save(st, lc, p, out, fresh, err), err);
}

enum tk_rc tracking_link_batch_add(struct tracking_link_batch *b, const struct link_request *req,
				   struct link_rec *l, struct tk_error *err)
{
	enum tk_rc rc;
	if (!b->open) {
		if ((rc = b->st->ops->tx_begin(b->st, err)))
			return rc;
		b->open = true;
		b->n = 0;
	}
	/* a refused link applies nothing (links_finish) and the batch goes on */
	if ((rc = links_finish(b->st, req, l, err)))
		return rc;
	if (++b->n == TRACKING_LINK_BATCH)
		return tracking_link_batch_commit(b, err);
	return TK_OK;
}

enum tk_rc tracking_link_batch_commit(struct tracking_link_batch *b, struct tk_error *err)
{
	if (!b->open)
		return TK_OK;
	b->open = false;
	b->n = 0;
	enum tk_rc rc = b->st->ops->tx_commit(b->st, err);
	if (rc)
		b->st->ops->tx_rollback(b->st);
	return rc;
}

void tracking_link_batch_rollback(struct tracking_link_batch *b)
{
	if (b->open)
		b->st->ops->tx_rollback(b->st);
	b->open = false;
	b->n = 0;
}

/* A tag's owner as the action log shows it: {member, channel}, or NULL
 * for no owner (member 0). */
static json_t *tag_owner(struct store *st, int64_t member, const char *channel,
			 enum tk_rc *rc, struct tk_error *err)
{
	struct member_rec m;
	if (!member || (*rc = st->ops->member_get_id(st, member, &m, err)))
		return NULL;
	return json_pack("{s:s, s:s?}", "member", m.ext, "channel",
			 channel && *channel ? channel : NULL);
}

/* The action log's entry of a tag's owner changed (0: none). */
static enum tk_rc log_tag(struct store *st, const char *what, const char *union_,
			  const char *kind, const char *value, int64_t was, const char *was_channel,
			  int64_t now_member, const char *channel, int64_t now, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	char subject[ACTION_SUBJECT_MAX];
	snprintf(subject, sizeof(subject), "tag:%s/%s/%.80s", union_, kind, value);
	json_t *b = tag_owner(st, was, was_channel, &rc, err);
	json_t *a = rc ? NULL : tag_owner(st, now_member, channel, &rc, err);
	if (!rc)
		rc = actions_record(st, now, what, subject, b, a, err);
	json_decref(b);
	json_decref(a);
	return rc;
}

enum tk_rc tracking_tag_set(struct store *st, const char *union_, const char *kind,
			    const char *value, int64_t member, const char *channel, int64_t now,
			    char replaced_ext[ORDER_KEY_MAX], struct tk_error *err)
{
	int64_t previous = 0;
	struct member_rec prev;
	char was_channel[ORDER_KEY_MAX] = "";
	replaced_ext[0] = '\0';
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	/* the owner before, for the action log (the store's set answers only
	 * the member) */
	int64_t owner = 0;
	rc = st->feeds->tag_lookup(st, union_, kind, value, &owner, was_channel, err);
	if (rc == TK_ENOTFOUND)
		rc = TK_OK, owner = 0, was_channel[0] = '\0';
	if (!rc)
		rc = st->feeds->tag_set(st, union_, kind, value, member, channel, now, &previous,
					err);
	if (!rc && previous && previous != member &&
	    !(rc = st->ops->member_get_id(st, previous, &prev, err)))
		snprintf(replaced_ext, ORDER_KEY_MAX, "%s", prev.ext);
	if (!rc)
		rc = log_tag(st, "tag.set", union_, kind, value, owner, was_channel, member, channel,
			     now, err);
	return store_tx_end(st, rc, err);
}

enum tk_rc tracking_tag_delete(struct store *st, const char *union_, const char *kind,
			       const char *value, struct tk_error *err)
{
	int64_t owner = 0;
	char channel[ORDER_KEY_MAX] = "";
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	/* the owner before, for the action log; an unknown tag is the
	 * delete's own answer */
	rc = st->feeds->tag_lookup(st, union_, kind, value, &owner, channel, err);
	if (rc == TK_ENOTFOUND)
		rc = TK_OK;
	if (!rc && !(rc = st->feeds->tag_delete(st, union_, kind, value, err)))
		rc = log_tag(st, "tag.delete", union_, kind, value, owner, channel, 0, NULL,
			     engine_now(), err);
	return store_tx_end(st, rc, err);
}

/* ---- clicks ---- */

void tracking_counts_mark_name(const char *node, char out[CLICK_NODE_MAX + 32])
{
	snprintf(out, CLICK_NODE_MAX + 32, "%s%.*s", STATE_COUNTS_UPTO, CLICK_NODE_MAX - 1, node);
}

enum tk_rc tracking_clicks_flush(struct store *st, const char *node, const struct click_rec *recs,
				 size_t n, tracking_click_stat_next next, void *ctx,
				 struct tk_error *err)
{
	struct tracking_click_stat s;
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	rc = st->server->click_insert(st, node, recs, n, err);
	while (!rc && next(ctx, &s)) {
		int64_t v[STAT_N] = {0};
		v[STAT_CLICKS] = s.clicks;
		v[STAT_UNIQUE_CLICKS] = s.unique;
		rc = st->ops->stats_add(st, s.day, s.dim, s.key, v, err);
	}
	return store_tx_end(st, rc, err);
}

enum tk_rc tracking_link_counts_write(struct store *st, const char *node, size_t n,
				      tracking_link_counts_get get, void *ctx,
				      struct tk_error *err)
{
	int64_t upto;
	char mark[CLICK_NODE_MAX + 32];
	tracking_counts_mark_name(node, mark);
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t link, clicks, unique, bots;
		get(ctx, i, &link, &clicks, &unique, &bots);
		rc = st->server->link_counts_add(st, link, clicks, unique, bots, err);
	}
	/* the newest click of any node: the node's own are all counted by
	 * now, and every later one is numbered after it (SQLite: one writer at
	 * a time; PostgreSQL: ids come from a sequence) */
	if (!rc && !(rc = st->server->click_last_id(st, &upto, err)))
		rc = st->server->state_set(st, mark, upto, err);
	return store_tx_end(st, rc, err);
}

struct recount {
	struct store *st;
	struct tk_error *err;
	enum tk_rc rc;
};

static bool recount_cb(void *ctx, int64_t link, int64_t clicks, int64_t unique, int64_t bots)
{
	struct recount *r = ctx;
	r->rc = r->st->server->link_counts_add(r->st, link, clicks, unique, bots, r->err);
	return r->rc == TK_OK;
}

enum tk_rc tracking_links_recount(struct store *st, const char *node, struct tk_error *err)
{
	int64_t upto, last;
	struct recount r = {st, err, TK_OK};
	char mark[CLICK_NODE_MAX + 32];
	enum tk_rc rc;
	tracking_counts_mark_name(node, mark);
	if ((rc = st->server->state_get(st, mark, &upto, err)) ||
	    (rc = st->server->click_last_id(st, &last, err)))
		return rc;
	if (last == upto)
		return TK_OK; /* no click at all since the node's counters */
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	/* the last click read again inside: a click of another node may have
	 * come meanwhile, and none of this node's can (it is not running) */
	if (!(rc = st->server->click_last_id(st, &last, err)) &&
	    !(rc = st->server->click_sums_after(st, node, upto, recount_cb, &r, err)) &&
	    !(rc = r.rc))
		rc = st->server->state_set(st, mark, last, err);
	return store_tx_end(st, rc, err);
}

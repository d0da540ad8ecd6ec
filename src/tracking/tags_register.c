/* tags_register.c — a member's union tag registered through the union and
 * stored: the held tag looked up, the union called outside lock and
 * transaction, the tag saved (tags_register.h). */
#include "tracking/tags_register.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/feed_store.h"
#include "store/group_store.h"
#include "store/server_store.h"
#include "tracking/tracking.h"

struct held {
	const char *union_;
	const char *kind;
	char value[CONVERT_TAG_MAX];
};

static bool find_held(void *ctx, const char *union_, const char *kind, const char *value)
{
	struct held *h = ctx;
	if (!h->value[0] && strcmp(union_, h->union_) == 0 && strcmp(kind, h->kind) == 0)
		snprintf(h->value, sizeof(h->value), "%s", value);
	return true;
}

enum tk_rc tags_register(struct engine *e, const struct sync_conf *conf,
			 const struct member_rec *m, struct tag_reg_req *req, bool force,
			 const struct links_unlock *unlock, struct tags_reg_outcome *out,
			 struct links_fault *fault, struct tk_error *err)
{
	return tags_register_channel(e, conf, m, "", req, force, unlock, out, fault, err);
}

enum tk_rc tags_register_channel(struct engine *e, const struct sync_conf *conf,
				 const struct member_rec *m, const char *channel,
				 struct tag_reg_req *req, bool force,
				 const struct links_unlock *unlock, struct tags_reg_outcome *out,
				 struct links_fault *fault, struct tk_error *err)
{
	struct store *st = engine_store(e);
	struct tag_reg_result *res = NULL;
	enum tk_rc rc;
	memset(out, 0, sizeof(*out));
	if (fault)
		memset(fault, 0, sizeof(*fault));
	if (!req->kind[0]) {
		const char *def = tag_reg_default_kind(req->u);
		snprintf(req->kind, sizeof(req->kind), "%s", def ? def : "");
	}
	if (!req->name[0]) /* the position's name: the member's id, unique */
		snprintf(req->name, sizeof(req->name), "%s", m->ext);
	snprintf(out->kind, sizeof(out->kind), "%s", req->kind);
	if (!tag_reg_kind_valid(req->u, req->kind)) {
		rc = tag_reg_check(conf, req, err); /* names the kinds */
		goto out;
	}
	/* a held tag is answered before anything else is asked for (a
	 * session, a setting): nothing is called */
	struct held h = {.union_ = sync_union_name(req->u), .kind = req->kind};
	if (channel[0] && !st->groups) {
		rc = tk_fail(err, TK_EINVAL, "group", "this store keeps no groups");
		goto out;
	}
	if ((rc = channel[0] ? st->groups->group_tags(st, channel, find_held, &h, err)
			     : st->server->member_tags(st, m->id, find_held, &h, err)))
		goto out;
	if (h.value[0] && !force) {
		snprintf(out->value, sizeof(out->value), "%s", h.value);
		goto out;
	}
	if ((rc = tag_reg_check(conf, req, err)))
		goto out;
	if (!(res = malloc(sizeof(*res)))) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	/* the union is called holding neither the caller's lock nor a
	 * transaction */
	links_unlock_release(unlock);
	rc = tag_register(conf, req, res, NULL, NULL, err);
	enum tk_rc lrc = links_unlock_retake(unlock, err);
	out->requests = res->call.requests;
	if (rc) {
		if (fault && (res->call.refused || rc == TK_EIO)) {
			fault->failed = true;
			fault->refused = res->call.refused;
			snprintf(fault->union_, sizeof(fault->union_), "%s", h.union_);
			snprintf(fault->code, sizeof(fault->code), "%s", res->call.code);
		}
		if (res->call.refused && err) /* the union's answer, not a bad request of ours */
			rc = err->rc = TK_ECONFLICT;
		goto out;
	}
	if ((rc = lrc) || (rc = tracking_tag_set(st, h.union_, req->kind, res->value, m->id,
						 channel, engine_now(), out->replaced, err)))
		goto out;
	out->registered = true;
	snprintf(out->value, sizeof(out->value), "%s", res->value);
	snprintf(out->account, sizeof(out->account), "%s", res->account);
	snprintf(out->note, sizeof(out->note), "%s", res->note);
out:
	sodium_memzero(req->session, sizeof(req->session));
	free(res);
	return rc;
}

/* tags_register.h — `tuike tag register` and POST
 * /api/v1/members/{id}/tags/register: a member's union tag obtained from the
 * union's own API (feeds/tag_register.h) and stored as `tag set` stores it.
 * Idempotent: a member that already has a tag of the kind keeps it and no
 * union is called, unless asked to force a new one.  The union is called
 * with the caller's lock released and no transaction open. */
#ifndef TK_TRACKING_TAGS_REGISTER_H
#define TK_TRACKING_TAGS_REGISTER_H

#include <stdbool.h>

#include "core/error.h"
#include "engine/engine.h"
#include "feeds/tag_register.h"
#include "tracking/links_convert.h"

struct tags_reg_outcome {
	bool registered;               /* the union was called and the tag stored */
	char kind[32];
	char value[CONVERT_TAG_MAX];   /* the member's tag of the kind */
	char account[128];             /* Taobao's account_name, "" otherwise */
	char note[256];                /* Taobao's desc, "" otherwise */
	char replaced[ORDER_KEY_MAX];  /* a member that held the value before, "" none */
	int requests;                  /* HTTP calls to the union */
};

/* Registers member m's tag of req->kind (empty: the union's default kind)
 * through union req->u.  A tag of that kind already held, and !force:
 * *out says so (registered false), nothing is called.  A union's refusal
 * fails with TK_ECONFLICT, an unreachable union with TK_EIO, both naming
 * the union, its code and message, *fault filled (may be NULL).
 * req->session is wiped before returning. */
enum tk_rc tags_register(struct engine *e, const struct sync_conf *conf,
			 const struct member_rec *m, struct tag_reg_req *req, bool force,
			 const struct links_unlock *unlock, struct tags_reg_outcome *out,
			 struct links_fault *fault, struct tk_error *err);

/* The same for one of member m's chat groups: the tag is registered with
 * the group's channel key `channel` (req->name is the group's name), held
 * when the group already has one of the kind.  channel "" is
 * tags_register. */
enum tk_rc tags_register_channel(struct engine *e, const struct sync_conf *conf,
				 const struct member_rec *m, const char *channel,
				 struct tag_reg_req *req, bool force,
				 const struct links_unlock *unlock, struct tags_reg_outcome *out,
				 struct links_fault *fault, struct tk_error *err);

#endif

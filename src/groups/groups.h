/* groups.h — chat groups, the application side: a member's groups (WeCom,
 * DingTalk, Feishu, Telegram robots, or a group posted to by hand), their
 * settings, credentials, state and union tags.  Each operation is one
 * transaction of its own.  Credentials are secrets: they are stored, shown
 * only as a hint (their last 4 characters), never logged and never echoed
 * in an error. */
#ifndef TK_GROUPS_H
#define TK_GROUPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/group_store.h"

#define GROUPS_PER_OWNER_MAX 10000  /* default limit of groups per member */
#define GROUP_NAME_BYTES 64
#define GROUP_CRED_BYTES 256

/* Checks a group's settings JSON (one object; every field optional, see
 * docs/groups.md) for a group of `kind`: push_settings_parse, the one
 * settings reader (the pusher's), then push_platform_check_rate for the
 * kind.  TK_EINVAL naming the field path ("settings.dedup_days"),
 * TK_ELIMIT beyond 16 KB. */
enum tk_rc group_settings_check(const char *kind, const char *json, struct tk_error *err);

/* Whether kind is one of wecom, dingtalk, feishu, telegram, manual. */
bool group_kind_valid(const char *kind);

/* The credential of a group of `kind` from what the operator pasted: a
 * WeCom webhook URL ("...webhook/send?key=KEY") or the key, a DingTalk
 * robot URL ("...robot/send?access_token=T") or the token, a Feishu hook
 * URL (".../hook/TOKEN") or the token, a Telegram bot token.  TK_EINVAL
 * names the field, never the value. */
enum tk_rc group_credential_parse(const char *kind, const char *input,
				  char out[GROUP_CRED_MAX], struct tk_error *err);

struct group_add_req {
	const char *owner;     /* the member's external id */
	const char *kind;
	const char *name;      /* 1..64 bytes */
	const char *settings;  /* NULL or "": "{}" */
	int64_t max_per_owner; /* <= 0: $TUIKE_GROUPS_PER_MEMBER, else
				* GROUPS_PER_OWNER_MAX */
};
enum tk_rc groups_add(struct store *st, const struct group_add_req *r, int64_t now,
		      struct group_rec *out, struct tk_error *err);

/* `owner` (internal id) limits the operations below to that member's
 * groups (another's is TK_ENOTFOUND, as if absent); 0 for the operator. */
enum tk_rc groups_show(struct store *st, int64_t id, int64_t owner, struct group_rec *out,
		       struct tk_error *err);

/* name and settings: NULL leaves it as it is. */
struct group_update_req {
	const char *name;
	const char *settings;
};
enum tk_rc groups_update(struct store *st, int64_t id, int64_t owner,
			 const struct group_update_req *r, int64_t now, struct group_rec *out,
			 struct tk_error *err);

/* pause, resume or archive.  Archiving cancels the group's pending and
 * ready sends (*cancelled says how many; may be NULL); an archived group
 * stays archived. */
enum tk_rc groups_set_state(struct store *st, int64_t id, int64_t owner, const char *action,
			    int64_t now, struct group_rec *out, int64_t *cancelled,
			    struct tk_error *err);

/* credential: a URL or the bare credential (group_credential_parse);
 * sign_secret for DingTalk and Feishu signed robots (NULL: none); chat_id
 * for Telegram (required there). */
struct group_creds_req {
	const char *credential;
	const char *sign_secret;
	const char *chat_id;
};
enum tk_rc groups_credentials_set(struct store *st, int64_t id, int64_t owner,
				  const struct group_creds_req *r, int64_t now,
				  struct group_rec *out, struct tk_error *err);

/* A union tag entered by hand for the group: (union, kind, value) then
 * maps to the group's owner and channel key.  replaced gets the external
 * id of a member that held the tag before ("" none). */
enum tk_rc groups_tag_set(struct store *st, int64_t id, int64_t owner, const char *union_,
			  const char *kind, const char *value, int64_t now,
			  char replaced[ORDER_KEY_MAX], struct tk_error *err);

/* A group as every listing shows it: no credential, only whether one is
 * set and its hint.  NULL when out of memory. */
json_t *group_json(const struct group_rec *g);

/* The member's internal id from its external id (TK_ENOTFOUND). */
enum tk_rc groups_owner_id(struct store *st, const char *ext, int64_t *id, struct tk_error *err);

#endif

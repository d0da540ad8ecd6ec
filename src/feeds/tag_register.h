/* tag_register.h — registering a member's union tag through the union's
 * own API, so that orders through the member's converted links come back
 * credited to it (the tag then stored like `tuike tag set`).
 *
 * JD:     jd.union.open.position.create: a private position (type 3) named
 *         for the member; 360buy_param_json {"positionReq": {unionId, key,
 *         unionType 1, type 3, spaceNameList [name], siteId?}}; the reply's
 *         createResult (a JSON string) {code 200, data {resultList {name:
 *         positionId}}} -> tag positionId.
 * Taobao: taobao.tbk.sc.publisher.info.save with the member's own session
 *         (its Taobao authorization): inviter_code (the channel or member
 *         invite code), info_type 1 (渠道, -> relation_id) or 2 (会员, ->
 *         special_id), relation_from, offline_scene, online_scene, note; the
 *         reply's data {relation_id | special_id, account_name, desc}.
 * PDD:    pdd.ddk.goods.pid.generate: number 1, p_id_name_list [name]; the
 *         reply's p_id_generate_response.p_id_list[0] {p_id, pid_name,
 *         create_time} -> tag p_id.
 * Calls are signed and retried like conversions (convert.h); a refusal
 * names the union, its code and message.  The session key is a secret:
 * never in an error, a log line or the store. */
#ifndef TK_TAG_REGISTER_H
#define TK_TAG_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "feeds/convert.h"
#include "feeds/sync_config.h"
#include "feeds/sync_params.h"

#define TAG_REG_NAME_MAX 128     /* bytes of the position / note name */
#define TAG_REG_SESSION_MAX 128  /* bytes of a Taobao session key */
/* Largest registration reply accepted. */
#define TAG_REG_BODY_MAX (64 * 1024)

struct tag_reg_req {
	enum sync_union u;
	char kind[32];                    /* positionId, relation_id, special_id, p_id */
	char name[TAG_REG_NAME_MAX];      /* the position's name: the member's id */
	char session[TAG_REG_SESSION_MAX]; /* Taobao: the member's session key */
};

struct tag_reg_result {
	char value[CONVERT_TAG_MAX];  /* the tag to store */
	char account[128];            /* Taobao: account_name */
	char note[256];               /* Taobao: desc (e.g. "重复绑定渠道") */
	struct convert_result call;   /* requests, refused, code */
};

/* The kind registered when none is asked (JD positionId, Taobao
 * relation_id, PDD p_id); NULL for a union that registers none. */
const char *tag_reg_default_kind(enum sync_union u);

/* Whether kind can be registered through union u's API. */
bool tag_reg_kind_valid(enum sync_union u, const char *kind);

/* Checks the request against the config: credentials, JD's unionId and
 * key, Taobao's invite code and the session.  TK_EINVAL names what is
 * missing and where to set it. */
enum tk_rc tag_reg_check(const struct sync_conf *c, const struct tag_reg_req *r,
			 struct tk_error *err);

/* The unsigned parameters (system ones included, no timestamp or sign). */
enum tk_rc tag_reg_build(const struct sync_conf *c, const struct tag_reg_req *r,
			 struct sync_params *p, struct tk_error *err);

/* Reads a reply into res (value and, for Taobao, account and note); a
 * union's error answer fails with TK_EINVAL naming the union, its code and
 * message, res->call.refused set. */
enum tk_rc tag_reg_parse(const struct tag_reg_req *r, const char *body, size_t len,
			 struct tag_reg_result *res, struct tk_error *err);

/* The whole registration: check, call (retried), parse. */
enum tk_rc tag_register(const struct sync_conf *c, const struct tag_reg_req *r,
			struct tag_reg_result *res, convert_retry_cb on_retry, void *ctx,
			struct tk_error *err);

#endif

/* api.h — the JSON API (/api/v1/...): its shared state, one call, and the
 * helpers every handler uses to read a request and answer it.
 *
 * api_handle() runs a call through the route table: authentication, the
 * per-credential rate limit, the Idempotency-Key rules, then the handler,
 * all under the engine lock (one SQLite connection, used by one thread at a
 * time).  A handler returns TK_OK with c->status and c->out set, or an
 * error code with c->err filled; api_handle turns an error into
 * {"error":{"code","message","field"}} with the matching HTTP status.
 * Money is integer fen in every request and response. */
#ifndef TK_HTTP_API_H
#define TK_HTTP_API_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "engine/engine.h"
#include "auth/auth.h"
#include "http/router.h"

#define API_PAGE_MAX 100          /* items per page of any listing */
#define API_PAGE_DEFAULT 20
#define API_REPORT_DAYS_MAX 366   /* days in one report range */
#define API_BASE_URL_MAX 256
#define API_LOGIN_ACCOUNT_WINDOW_S 900 /* a member id's failed logins are earned back over this */
#define API_BUSY_RETRY_S 2         /* Retry-After of a 503 "busy": a write lock held past the wait */

struct link_table;
struct links_conv;
struct clicks;
struct ratelimit;
struct edge;
struct poster_images;

struct api_config {
	int64_t session_ttl;          /* seconds a member session lasts */
	int64_t opsession_ttl;        /* seconds an operator session lasts */
	uint32_t key_rate;            /* requests per second per credential */
	uint32_t login_rate;          /* failed logins and registrations per minute per
				       * client address */
	uint32_t account_failures;    /* failed logins per member id per
				       * API_LOGIN_ACCOUNT_WINDOW_S */
	char base_url[API_BASE_URL_MAX]; /* where short links point: "http://host:port" */
};

struct api {
	/* Two engines, each on a connection of its own: GET calls run on
	 * `re`, every other call on `e`, so that a read never queues behind a
	 * write waiting for the database's write lock (an import's batch). */
	struct engine *e;
	pthread_mutex_t lock;         /* guards e */
	struct engine *re;
	pthread_mutex_t rlock;        /* guards re */
	struct api_config cfg;
	struct link_table *links;
	struct links_conv *conv;      /* product links through the unions' conversion */
	/* the link table follows the change log through a connection of its
	 * own, so that a long API call never holds it back */
	struct store *links_watch;
	int64_t links_seen;           /* the newest change it reflects */
	struct link_rec *links_buf;
	struct clicks *clicks;
	struct ratelimit *key_limits;
	struct ratelimit *login_limits;   /* per client address */
	struct ratelimit *account_limits; /* per member id logged in to */
	char *openapi;                /* the OpenAPI document, serialized once */
	int64_t started_at;
	struct edge *edge;            /* the connections' limits and counts, for /health */
	struct poster_images *images; /* posters' product images, cached */
	uint8_t image_key[32];        /* signs image addresses (the database's
				       * "image-key": the same on every node) */
	_Atomic bool stopping;        /* set on SIGTERM: health answers 503 */
};

/* Looks a request header or a raw (still escaped) query parameter up. */
enum api_lookup_kind { API_HEADER, API_QUERY };
typedef const char *(*api_lookup_fn)(void *ctx, enum api_lookup_kind kind, const char *name);

struct api_call {
	struct api *api;
	struct engine *e;             /* the engine this call runs on (api->e or api->re) */
	pthread_mutex_t *lock;        /* and the lock that guards it */
	/* the request */
	const char *method;
	const char *path;
	const char *query;            /* raw query string, "" when none */
	const char *body;
	size_t body_len;
	api_lookup_fn lookup;
	void *lookup_ctx;
	const char *ip;               /* client address as text */
	int64_t now;                  /* unix seconds (TUIKE_NOW when set) */
	int64_t now_ms;               /* monotonic milliseconds, for rate limits */
	struct route_match match;
	struct principal who;
	json_t *json;                 /* the body, once api_body() parsed it */
	/* the answer */
	int status;
	json_t *out;                  /* owned by the call */
	char *location;               /* a redirect's target (malloc'd): answered
				       * with c->status and no body */
	char *raw_out;                /* a stored body (an idempotent replay), or
				       * one of content_type */
	const char *content_type;     /* of raw_out when not JSON (a CSV export);
				       * NULL: JSON */
	size_t raw_len;               /* raw_out's length when it is binary (a PNG);
				       * 0: a NUL-terminated text */
	const char *cache_control;    /* NULL: no-store */
	char etag[24];                /* "" or the body's ETag, quoted */
	char download[64];            /* a file to save (Content-Disposition:
				       * attachment) by this name, or "" */
	bool replayed;
	bool signed_url;              /* authenticated by an image address's signature */
	int retry_after;              /* seconds, for 429 and 503 busy */
	int err_status;               /* overrides the status of c->err's code */
	const char *err_code;
	char err_union[8];            /* a union that refused: its name and code */
	char err_union_code[96];
	struct tk_error err;
	char allow[64];               /* for 405 */
};

/* Runs a call: matches its route and fills the answer.  Never fails: any
 * problem becomes an error answer. */
void api_handle(struct api *api, struct api_call *c);

/* Releases what a call holds (json, out, raw_out). */
void api_call_free(struct api_call *c);

/* Who made the call, for the access log: "key:NAME", "member:ID" or "". */
void api_principal_text(const struct api_call *c, char *buf, size_t size);

/* Sets who acts in this call for the action log (actions_actor_set), from
 * its credential, address, X-Reason (percent-decoded, checked: TK_EINVAL)
 * and Idempotency-Key; api_handle clears it after the handler
 * (api_actions.c). */
enum tk_rc api_actor_begin(struct api_call *c);

/* The answer's body as text (malloc'd), and its status. */
char *api_answer_text(struct api_call *c, size_t *len);

/* ---- for handlers ---- */

/* Path parameter i (0-based), decoded. */
const char *api_param(const struct api_call *c, int i);
/* The path's first parameter as a positive id: TK_ENOTFOUND naming `what`
 * ("no group \"x\"") when it is none. */
enum tk_rc api_path_id(struct api_call *c, const char *what, int64_t *id);

/* A query parameter, decoded into buf (size bytes); *out is NULL when it
 * is absent.  TK_EINVAL when badly escaped or too long. */
enum tk_rc api_query(struct api_call *c, const char *name, char *buf, size_t size,
		     const char **out);
/* An integer query parameter in [min, max]; `def` when absent. */
enum tk_rc api_query_i64(struct api_call *c, const char *name, int64_t def, int64_t min,
			 int64_t max, int64_t *out);
/* A date "2026-11-01" query parameter as days since 1970-01-01; `def` when absent. */
enum tk_rc api_query_day(struct api_call *c, const char *name, int64_t def, int64_t *out);
/* The page size (?limit=, 1..API_PAGE_MAX, default API_PAGE_DEFAULT). */
enum tk_rc api_query_limit(struct api_call *c, int *out);

/* The body as a JSON object (parsed on first use). */
enum tk_rc api_body(struct api_call *c, json_t **obj);
/* Refuses members of the body object other than the NULL-terminated list. */
enum tk_rc api_body_only(struct api_call *c, const char *const *fields);
/* A string member of the body: NULL when absent and not required; at most
 * max_len bytes, no control characters. */
enum tk_rc api_body_str(struct api_call *c, const char *name, bool required, size_t max_len,
			const char **out);
/* An integer member in [min, max] (JSON integers only: money is never a
 * fraction); `def` when absent and not required. */
enum tk_rc api_body_i64(struct api_call *c, const char *name, bool required, int64_t def,
			int64_t min, int64_t max, int64_t *out);
enum tk_rc api_body_bool(struct api_call *c, const char *name, bool def, bool *out);

/* Sets the answer to a redirect (status 302) to `base` followed by `rest`. */
enum tk_rc api_redirect(struct api_call *c, const char *base, const char *rest);

/* Sets the answer: status and body (the reference is taken). */
enum tk_rc api_reply(struct api_call *c, int status, json_t *body);

/* Fails with 403 Forbidden. */
enum tk_rc api_deny(struct api_call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether the caller is an operator. */
bool api_is_operator(const struct api_call *c);

/* Loads a member by external id and checks the caller may see it (an
 * operator, or a member looking at itself or its team): 404 when there is
 * no such member, 403 when it is not the caller's to see. */
enum tk_rc api_member_visible(struct api_call *c, const char *ext, struct member_rec *m);

/* Loads a member whose money the caller may see: an operator sees every
 * member's, a member only its own (never its team's). */
enum tk_rc api_member_money(struct api_call *c, const char *ext, struct member_rec *m);

/* The store, for handlers that read it directly. */
struct store *api_store(struct api_call *c);

#endif

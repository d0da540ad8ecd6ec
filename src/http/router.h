/* router.h — the API's routes: method and path pattern to handler, with
 * path parameters.  One table (routes.c) serves both dispatching and the
 * OpenAPI document, so the two cannot disagree.
 *
 * A pattern is "/api/v1/members/{id}/balance": literal segments and
 * `{name}` segments, each of which matches one non-empty path segment.
 * Matching is pure: no I/O, no allocation. */
#ifndef TK_HTTP_ROUTER_H
#define TK_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define ROUTE_PARAMS_MAX 4
#define ROUTE_PARAM_MAX 256     /* bytes of one decoded path parameter, NUL included */
#define ROUTE_PATH_MAX 2048     /* bytes of a request path */

struct api_call;
typedef enum tk_rc (*route_fn)(struct api_call *c);

/* Who may call a route. */
enum route_auth {
	AUTH_PUBLIC,   /* anyone */
	AUTH_MEMBER,   /* a member session or an operator key */
	AUTH_OPERATOR, /* an operator key only */
};

/* Route flags. */
#define ROUTE_BIG_BODY 1u  /* accepts a body up to the import limit */
#define ROUTE_UNLOCKED 2u  /* the handler takes the engine lock itself (slow hashing) */
#define ROUTE_INLINE 4u    /* never touches the database: answered on the network thread */
#define ROUTE_NO_HEAD 8u   /* a GET that changes state (takes a single-use value): HEAD is
			    * not mapped to it, so a prober cannot spend what the browser
			    * brings */
#define ROUTE_SIGNED 16u   /* an image GET whose address may carry a signature (from
			    * /api/v1/me/image-url) in place of a credential, so that a
			    * plain <img> can show it (docs/web.md#posters-and-qr-codes) */

struct route {
	const char *method;   /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern;
	route_fn fn;
	enum route_auth auth;
	unsigned flags;
	/* documentation, for the OpenAPI document */
	const char *tag;
	const char *summary;
	const char *query;    /* "name:type:description|..." (type integer, string, boolean) */
	const char *request;  /* schema name of the JSON body, or NULL */
	const char *response; /* schema name of the 2xx body */
	int status;           /* the success status: 200 or 201; 302 for a redirect (response NULL) */
};

extern const struct route api_routes[];
extern const size_t api_routes_count;

struct route_match {
	const struct route *route;
	int n_params;
	char params[ROUTE_PARAMS_MAX][ROUTE_PARAM_MAX];
	/* when no route matches the method: the methods that would, "GET, POST" */
	char allow[64];
};

enum route_result { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD, ROUTE_BAD_PATH };

/* Finds the route for a method and a raw (still percent-encoded) path; a
 * HEAD finds the GET route (and "HEAD" follows "GET" in `allow`).
 * ROUTE_BAD_PATH: a segment has a bad escape, a NUL, or is too long. */
enum route_result router_match(const struct route *routes, size_t n, const char *method,
			       const char *path, struct route_match *out);

/* Decodes %XX escapes of s[0..len) into out (size bytes); with `plus`,
 * '+' becomes a space (query strings).  False on a bad escape, an escaped
 * NUL, a result that is not UTF-8 (text columns hold UTF-8 only, on both
 * backends), or when the result does not fit. */
bool router_unescape(const char *s, size_t len, bool plus, char *out, size_t size);

/* Checks a route table: patterns well formed, no two routes with the same
 * method and shape, parameters at most ROUTE_PARAMS_MAX.  err names the
 * first fault. */
enum tk_rc router_check(const struct route *routes, size_t n, struct tk_error *err);

#endif

/* route_roles.h — which operator roles may call a route: derived from the
 * route's method and tag (its group in the route table), with a short
 * list of exceptions, in one place that the dispatcher and the OpenAPI
 * document both read.  Member sessions are not concerned: a route's `auth`
 * says what a member may call. */
#ifndef TK_HTTP_ROUTE_ROLES_H
#define TK_HTTP_ROUTE_ROLES_H

#include "auth/roles.h"
#include "http/router.h"

/* The set of roles (ROLE_BIT) whose keys and operator sessions may call
 * route r.  Pure; every route gets at least ROLE_ADMIN. */
unsigned route_roles(const struct route *r);

#endif

/* route_roles.c — the operator permission of every route, in one table.
 *
 * The rule: a GET is a read, open to every role (viewer included).  A
 * write (any other method) belongs to its tag: "money" to finance, the
 * day-to-day work of running the team (members, groups, links, products,
 * orders, sending) to operations, and everything else — plans, keys,
 * growth rules, settings, any tag not named here — to admin alone, so
 * that a new group of routes starts closed.  Admin may call everything.
 * The exceptions below are few and each says why (one is a read: the
 * payout file). */
#include "http/route_roles.h"

#include <string.h>

#define FINANCE (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_FINANCE))
#define OPERATIONS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OPERATIONS))
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define WORKERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_FINANCE) | ROLE_BIT(ROLE_OPERATIONS))

/* Whose writes each tag is. */
static const struct {
	const char *tag;
	unsigned roles;
} tag_writes[] = {
	{"money", FINANCE},
	{"members", OPERATIONS},
	{"groups", OPERATIONS},
	{"links", OPERATIONS},
	{"products", OPERATIONS},
	{"orders", OPERATIONS},
	{"push", OPERATIONS},
	{"feeds", OPERATIONS},
	{"statements", FINANCE}, /* billing the merchants */
	{"channels", OPERATIONS}, /* the head's partner channels: daily work */
	{"promo", OPERATIONS}, /* the promotion head's merchants, campaigns, slot fees */
};

/* Routes the rule above does not fit. */
static const struct {
	const char *method, *pattern;
	unsigned roles;
} overrides[] = {
	/* every key may open and end its own console session */
	{"POST", "/api/v1/auth/operator-session", ROLES_ALL},
	{"POST", "/api/v1/auth/logout", ROLES_ALL},
	/* records nothing, but a viewer stays read-only by method: every
	 * other role may try a split */
	{"POST", "/api/v1/plan/simulate", WORKERS},
	/* where members' links may lead is the platform's defence against
	 * phishing under its own domain: a setting, not daily work */
	{"POST", "/api/v1/links/allowed-hosts", ADMIN},
	{"DELETE", "/api/v1/links/allowed-hosts/{domain}", ADMIN},
	/* a read, but of every payee's account, and what the money is paid
	 * out by: finance's */
	{"GET", "/api/v1/payout.csv", FINANCE},
	/* a merchant's slot fee paid is money work (finance's) as well as the
	 * campaign's (operations', who book it) */
	{"POST", "/api/v1/slot-fees/{id}/collect", WORKERS},
};

unsigned route_roles(const struct route *r)
{
	for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++)
		if (strcmp(r->method, overrides[i].method) == 0 &&
		    strcmp(r->pattern, overrides[i].pattern) == 0)
			return overrides[i].roles | ADMIN;
	if (strcmp(r->method, "GET") == 0)
		return ROLES_ALL;
	for (size_t i = 0; i < sizeof(tag_writes) / sizeof(tag_writes[0]); i++)
		if (r->tag && strcmp(r->tag, tag_writes[i].tag) == 0)
			return tag_writes[i].roles;
	return ADMIN;
}

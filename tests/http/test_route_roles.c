/* test_route_roles.c — the operator permission of every route in the
 * table, as route_roles() derives it: reads open to every role, a
 * viewer's only writes its own session's start and end, money writes
 * finance's, the team's daily work operations', the rest admin's, and a
 * new group of routes closed until named; and the roles in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/route_roles.h"
#include "http/router.h"

#define A ROLE_BIT(ROLE_ADMIN)
#define F ROLE_BIT(ROLE_FINANCE)
#define O ROLE_BIT(ROLE_OPERATIONS)
#define V ROLE_BIT(ROLE_VIEWER)

static const struct route *find(const char *method, const char *pattern)
{
	for (size_t i = 0; i < api_routes_count; i++)
		if (strcmp(api_routes[i].method, method) == 0 &&
		    strcmp(api_routes[i].pattern, pattern) == 0)
			return &api_routes[i];
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

static unsigned roles_of(const char *method, const char *pattern)
{
	return route_roles(find(method, pattern));
}

static void test_every_route(void **state)
{
	(void)state;
	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		unsigned set = route_roles(r);
		bool read = strcmp(r->method, "GET") == 0;
		bool own_session = strcmp(r->pattern, "/api/v1/auth/operator-session") == 0 ||
				   strcmp(r->pattern, "/api/v1/auth/logout") == 0;
		if (!(set & A))
			fail_msg("%s %s: admin may not call it", r->method, r->pattern);
		if (set & ~ROLES_ALL)
			fail_msg("%s %s: a role that does not exist", r->method, r->pattern);
		/* every read is everyone's, but the payout file's (finance's) */
		bool payout = strcmp(r->pattern, "/api/v1/payout.csv") == 0;
		if (read && !payout && set != ROLES_ALL)
			fail_msg("%s %s: a read closed to some role", r->method, r->pattern);
		if (!read && !own_session && (set & V))
			fail_msg("%s %s: a write open to a viewer", r->method, r->pattern);
	}
}

static void test_the_table(void **state)
{
	(void)state;
	assert_int_equal(roles_of("POST", "/api/v1/settle"), A | F);
	assert_int_equal(roles_of("POST", "/api/v1/withdrawals/{id}/approve"), A | F);
	assert_int_equal(roles_of("POST", "/api/v1/withdrawals/{id}/paid"), A | F);
	assert_int_equal(roles_of("POST", "/api/v1/withdrawals/{id}/reject"), A | F);
	assert_int_equal(roles_of("PUT", "/api/v1/plan"), A);
	assert_int_equal(roles_of("POST", "/api/v1/plan/simulate"), A | F | O);
	assert_int_equal(roles_of("POST", "/api/v1/slot-fees/{id}/collect"), A | F | O);
	assert_int_equal(roles_of("POST", "/api/v1/slot-fees/{id}/waive"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/campaigns/{id}/slot-fees"), A | O);
	assert_int_equal(roles_of("PUT", "/api/v1/members/{id}/level"), A | O);
	assert_int_equal(roles_of("PUT", "/api/v1/members/{id}/password"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/members"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/groups"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/orders/import"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/links"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/links/allowed-hosts"), A);
	assert_int_equal(roles_of("DELETE", "/api/v1/links/allowed-hosts/{domain}"), A);
	assert_int_equal(roles_of("PUT", "/api/v1/members/{id}/link-quota"), A | O);
	assert_int_equal(roles_of("POST", "/api/v1/auth/operator-session"), ROLES_ALL);
	assert_int_equal(roles_of("POST", "/api/v1/auth/logout"), ROLES_ALL);
	assert_int_equal(roles_of("GET", "/api/v1/withdrawals"), ROLES_ALL);
	assert_int_equal(roles_of("GET", "/api/v1/payout.csv"), A | F);
	assert_int_equal(roles_of("GET", "/api/v1/plan"), ROLES_ALL);
}

/* A route of a group nobody named yet: writes are admin's, reads open. */
static void test_new_group_starts_closed(void **state)
{
	(void)state;
	struct route r = {.method = "POST", .pattern = "/api/v1/settings/hosts", .tag = "settings"};
	assert_int_equal(route_roles(&r), A);
	r.method = "DELETE";
	assert_int_equal(route_roles(&r), A);
	r.method = "GET";
	assert_int_equal(route_roles(&r), ROLES_ALL);
	r.tag = "money";
	r.method = "PATCH";
	assert_int_equal(route_roles(&r), A | F);
}

static void test_names(void **state)
{
	(void)state;
	char buf[64];
	enum operator_role r;
	roles_text(A | F, buf, sizeof(buf));
	assert_string_equal(buf, "finance or admin");
	roles_text(A, buf, sizeof(buf));
	assert_string_equal(buf, "admin");
	roles_text(A | F | O, buf, sizeof(buf));
	assert_string_equal(buf, "operations, finance or admin");
	roles_text(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	roles_text(ROLES_ALL, buf, 8); /* cut, still a string */
	assert_int_equal(strlen(buf), 7);
	assert_true(role_parse("operations", &r));
	assert_int_equal(r, ROLE_OPERATIONS);
	assert_false(role_parse("Admin", &r));
	assert_false(role_parse("", &r));
	assert_string_equal(role_name(ROLE_VIEWER), "viewer");
	assert_string_equal(role_name(ROLE_COUNT_), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route),
		cmocka_unit_test(test_the_table),
		cmocka_unit_test(test_new_group_starts_closed),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

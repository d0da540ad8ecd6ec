/* roles.h — what an operator key may do: its role (admin, finance,
 * operations, viewer), as a name, a value and a bit of a role set.  Pure:
 * no I/O; the route table's permissions (http/route_roles.c) and the
 * console's can() are written in these terms. */
#ifndef TK_AUTH_ROLES_H
#define TK_AUTH_ROLES_H

#include <stdbool.h>
#include <stddef.h>

enum operator_role {
	ROLE_ADMIN,      /* everything: plans, keys, growth rules, settings */
	ROLE_FINANCE,    /* money: settle, withdrawals, payouts; reads */
	ROLE_OPERATIONS, /* members, groups, links, products, order imports; reads */
	ROLE_VIEWER,     /* reads only */
	ROLE_COUNT_
};

#define ROLE_BIT(r) (1u << (unsigned)(r))
#define ROLES_ALL (ROLE_BIT(ROLE_COUNT_) - 1u)
#define ROLE_NAME_MAX 16 /* bytes of a role's name, NUL included */

/* "admin", "finance", "operations", "viewer". */
const char *role_name(enum operator_role r);
/* The role a name names; false when it names none. */
bool role_parse(const char *name, enum operator_role *out);
/* The roles of a set as "finance or admin" (in the order of the enum,
 * admin last), for a refusal a person reads. */
void roles_text(unsigned set, char *buf, size_t size);

#endif

/* roles.c — operator roles by name, and a role set in words. */
#include "auth/roles.h"

#include <stdio.h>
#include <string.h>

static const char *const names[ROLE_COUNT_] = {"admin", "finance", "operations", "viewer"};

const char *role_name(enum operator_role r)
{
	return (unsigned)r < ROLE_COUNT_ ? names[r] : "?";
}

bool role_parse(const char *name, enum operator_role *out)
{
	for (int r = 0; name && r < ROLE_COUNT_; r++)
		if (strcmp(name, names[r]) == 0) {
			*out = (enum operator_role)r;
			return true;
		}
	return false;
}

void roles_text(unsigned set, char *buf, size_t size)
{
	/* the narrowest role first: "finance or admin" reads as "at least" */
	static const enum operator_role order[] = {ROLE_VIEWER, ROLE_OPERATIONS, ROLE_FINANCE,
						   ROLE_ADMIN};
	size_t used = 0, n = 0, total = 0;
	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		total += (set & ROLE_BIT(order[i])) != 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && used < size; i++) {
		if (!(set & ROLE_BIT(order[i])))
			continue;
		const char *sep = n == 0 ? "" : n + 1 == total ? " or " : ", ";
		int w = snprintf(buf + used, size - used, "%s%s", sep, names[order[i]]);
		if (w < 0)
			break;
		used += (size_t)w;
		n++;
	}
	if (total == 0)
		snprintf(buf, size, "none");
}

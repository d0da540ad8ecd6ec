/* promo_rules.c — the head's registry rules without storage (promo_rules.h):
 * exact rates, the status machine of campaigns and their products. */
#include "core/promo_rules.h"

#include <string.h>

bool promo_rate_parse(const char *s, int64_t *pm)
{
	int64_t whole = 0, tenth = 0;
	int digits = 0, decimals = 0;
	bool point = false, percent = false;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 4)
			return false;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		point = true;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			/* a trailing zero adds nothing: "20.50" is 20.5 % */
			if (++decimals > 1 && *p != '0')
				return false;
			if (decimals == 1)
				tenth = *p - '0';
			if (decimals > 3)
				return false;
		}
		if (!decimals)
			return false;
	}
	if (*p == '%') {
		percent = true;
		p++;
	}
	if (*p || !digits)
		return false;
	int64_t v = point || percent ? whole * 10 + tenth : whole;
	if (v > PROMO_RATE_MAX)
		return false;
	*pm = v;
	return true;
}

static const char *const statuses[] = {"pending", "approved", "rejected", "ended"};

bool promo_status_valid(const char *status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(status, statuses[i]) == 0)
			return true;
	return false;
}

bool promo_status_move(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} moves[] = {
		{"pending", "approved"},
		{"pending", "rejected"},
		{"approved", "ended"},
		{"rejected", "pending"}, /* the merchant applies again */
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (strcmp(from, moves[i].from) == 0 && strcmp(to, moves[i].to) == 0)
			return true;
	return false;
}

bool promo_union_valid(const char *union_)
{
	return strcmp(union_, "jd") == 0 || strcmp(union_, "taobao") == 0 ||
	       strcmp(union_, "pdd") == 0;
}

bool promo_ext_id_valid(const char *union_, const char *ext_id)
{
	if (strcmp(union_, "jd") != 0)
		return true;
	for (const char *p = ext_id; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

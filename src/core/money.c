/* money.c — exact conversions between decimal yuan text and integer fen. */
#include "core/money.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int64_t money_share(int64_t amount, int32_t bps)
{
	assert(amount >= 0 && amount <= MONEY_MAX_FEN);
	assert(bps >= 0 && bps <= BPS_ONE);
	return amount * bps / BPS_ONE;
}

bool money_parse_yuan_n(const char *s, size_t len, int64_t *fen)
{
	size_t i = 0;
	bool neg = false;
	int64_t whole = 0, frac = 0;
	int frac_digits = 0, whole_digits = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (++whole_digits > 13) /* > 10^12 yuan */
			return false;
		whole = whole * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (frac_digits < 2)
				frac = frac * 10 + (s[i] - '0');
			else if (s[i] != '0')
				return false; /* a fraction of a fen */
			frac_digits++;
		}
		if (frac_digits == 0)
			return false;
	}
	if (i != len || whole_digits == 0)
		return false;
	if (frac_digits == 1)
		frac *= 10;
	int64_t v = whole * 100 + frac;
	if (v > MONEY_MAX_FEN)
		return false;
	*fen = neg ? -v : v;
	return true;
}

bool money_parse_yuan(const char *s, int64_t *fen)
{
	return money_parse_yuan_n(s, strlen(s), fen);
}

char *money_format_yuan(int64_t fen, char *buf)
{
	/* Work in uint64_t so INT64_MIN cannot overflow on negation. */
	uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(buf, MONEY_YUAN_BUF, "%s%llu.%02llu", fen < 0 ? "-" : "",
		 (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
	return buf;
}

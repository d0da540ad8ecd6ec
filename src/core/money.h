/* money.h — fen arithmetic: parsing, formatting and splitting amounts.
 *
 * Every amount is an int64_t number of fen (1 yuan = 100 fen); every rate is
 * an int32_t number of basis points (1/10000).  No floating point is used
 * anywhere in this module. */
#ifndef TK_MONEY_H
#define TK_MONEY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* The largest amount accepted from outside: 10^14 fen (one trillion yuan).
 * Keeps amount * bps (bps <= 10000) far inside int64_t. */
#define MONEY_MAX_FEN INT64_C(100000000000000)
#define BPS_ONE 10000

/* floor(amount * bps / 10000) for 0 <= amount <= MONEY_MAX_FEN and
 * 0 <= bps <= 10000.  The remainder stays with whoever computes the rest. */
int64_t money_share(int64_t amount, int32_t bps);

/* Parses a decimal yuan string ("9.95", "-3", "0.5", "+12.30") into fen.
 * At most two decimal places, except that extra trailing zeros are allowed
 * ("9.950").  Returns false on anything else, or beyond MONEY_MAX_FEN. */
bool money_parse_yuan(const char *s, int64_t *fen);

/* Same as money_parse_yuan but over a counted buffer (not NUL-terminated). */
bool money_parse_yuan_n(const char *s, size_t len, int64_t *fen);

/* Formats fen as yuan with two decimals: 995 -> "9.95", -5 -> "-0.05".
 * buf must hold MONEY_YUAN_BUF bytes. Returns buf. */
#define MONEY_YUAN_BUF 32
char *money_format_yuan(int64_t fen, char *buf);

#endif

/* promo_rules.h — the head's registry rules that need no storage: rates
 * read exactly (per mille, or a percentage with at most one decimal), the
 * campaign status machine and the slot fee states.  Pure: no I/O. */
#ifndef TK_PROMO_RULES_H
#define TK_PROMO_RULES_H

#include <stdbool.h>
#include <stdint.h>

#define PROMO_RATE_MAX 1000 /* per mille: 100 % */

/* A rate from outside as an integer per mille:
 *   "205"            -> 205 (digits alone are per mille)
 *   "20.5", "20.5%"  -> 205 (a point or a % sign make it a percentage)
 *   "20%"            -> 200
 * A percentage finer than one decimal ("20.55") has no exact per mille:
 * false, as for anything else that is not one of these forms or is beyond
 * 0..PROMO_RATE_MAX. */
bool promo_rate_parse(const char *s, int64_t *pm);

/* Whether a campaign (or a campaign product) may go from `from` to `to`:
 * pending -> approved | rejected, approved -> ended, rejected -> pending
 * (a new application).  Both must be statuses. */
bool promo_status_valid(const char *status);
bool promo_status_move(const char *from, const char *to);

/* jd, taobao or pdd. */
bool promo_union_valid(const char *union_);

/* A JD campaign id (cpActId) is digits; other unions' ids are free text. */
bool promo_ext_id_valid(const char *union_, const char *ext_id);

#endif

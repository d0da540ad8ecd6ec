/* api_json.h — the money core's records as the API shows them.  Money is
 * integer fen, times ISO 8601 in Beijing time (+08:00), members by their
 * external id.  Each function returns a new reference, NULL only when out
 * of memory. */
#ifndef TK_HTTP_API_JSON_H
#define TK_HTTP_API_JSON_H

#include <jansson.h>

#include "engine/engine.h"
#include "store/server_store.h"

/* A time, or null for 0. */
json_t *api_json_time(int64_t t);
/* "2026-11-01" of a day number. */
json_t *api_json_date(int64_t day);

/* A member; parent_ext is its parent's external id, or NULL. */
json_t *api_json_member(const struct member_rec *m, const char *parent_ext);
json_t *api_json_balance(const char *ext, const struct balance *b);
json_t *api_json_withdrawal(const struct withdrawal_rec *w, const char *member_ext);
json_t *api_json_item(const struct item_view *v);
/* A transfer as seen from one member's side. */
json_t *api_json_ledger_entry(const struct ledger_entry *e, int64_t member);
json_t *api_json_link(const struct link_rec *l, const char *base_url);
json_t *api_json_split(const struct plan *p, const struct plan_chain *chain,
		       const struct plan_split *split, const char ext[][ORDER_KEY_MAX]);
/* The daily figures: {"orders":..,"gmv":..,...}. */
json_t *api_json_stats(const int64_t v[STAT_N]);

const char *api_attribution_name(enum attribution a);

#endif

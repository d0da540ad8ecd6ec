/* catalog_json.h — the product library's results as JSON documents (for
 * the command line's --json and the HTTP API).  Money is integer fen,
 * rates integer bps, times ISO 8601 in Beijing time (+08:00).  Each
 * function returns a new reference (NULL only when out of memory). */
#ifndef TK_CATALOG_JSON_H
#define TK_CATALOG_JSON_H

#include <jansson.h>

#include "catalog/catalog.h"

json_t *catalog_json_product(const struct catalog_product *p, int64_t now);
json_t *catalog_json_import(const struct catalog_import_stats *s);
json_t *catalog_json_search(const struct catalog_search_request *req,
			    const struct catalog_search_result *res);
json_t *catalog_json_history(const struct catalog_history_summary *h);
json_t *catalog_json_score(const struct catalog_score *s, const struct catalog_weights *w);
json_t *catalog_json_scored(const struct catalog_scored *sc, int64_t now,
			    const struct catalog_weights *w);
json_t *catalog_json_top(const struct catalog_scored *items, int n, const char *category,
			 int64_t now, const struct catalog_weights *w);
json_t *catalog_json_detail(const struct catalog_detail *d, int64_t now,
			    const struct catalog_weights *w);
json_t *catalog_json_fit(const struct catalog_fit *f);
json_t *catalog_json_weights(const struct catalog_weights *w);

#endif

/* growth_json.h — the JSON views of growth, shared by the command line
 * and the HTTP API so that both answer the same documents.  Each function
 * returns a new reference (NULL only when out of memory). */
#ifndef TK_GROWTH_JSON_H
#define TK_GROWTH_JSON_H

#include <jansson.h>

#include "engine/growth.h"

json_t *growth_member_json(const struct member_rec *m, const char *parent_ext);
json_t *growth_team_stats_json(const struct team_stats *s);
json_t *growth_team_row_json(const struct team_row *r);
json_t *growth_level_progress_json(const struct level_progress *lp);
json_t *growth_level_change_json(const struct level_change_rec *c);
json_t *growth_move_json(const struct member_move_rec *m);
json_t *growth_eval_stats_json(const struct growth_eval_stats *s);
json_t *growth_compliance_json(const struct compliance_report *r);

/* "team" | "direct" | "joined" | "gmv" -> the sort; false when unknown. */
bool growth_team_sort_parse(const char *s, enum team_sort *out);

#endif

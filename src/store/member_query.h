/* member_query.h — the members list's filters, sort and keyset cursor, and
 * the one SQL text both backends run for them (a dialect flag picks
 * SQLite's or PostgreSQL's spelling), so that the twins cannot drift. */
#ifndef TK_MEMBER_QUERY_H
#define TK_MEMBER_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/textbuf.h"

#define MEMBER_QUERY_LEVELS 8 /* levels one filter may name */
#define MEMBER_QUERY_ARGS 32

enum member_sort { MEMBER_SORT_JOINED, MEMBER_SORT_SALES, MEMBER_SORT_TEAM, MEMBER_SORT_ID };

/* Every field is optional (0, NULL: no condition).  Sales are the sharer's
 * GMV in fen from the daily rollups (daily_stats dim 1) over the Beijing
 * days [sales_from, sales_to]; a filter on them or a sort by them lists only
 * members who sold in that period. */
struct member_query {
	const char *q;       /* id is q, invite code, id starting with q, name containing q */
	int64_t invite_id;   /* the member q names as an invite code (0: none) */
	int64_t only;        /* just this member (the exact hit of q) */
	int64_t exclude;     /* all but this member (listed apart) */
	const char *levels[MEMBER_QUERY_LEVELS];
	int n_levels;
	int64_t joined_from, joined_to; /* created_at in [from, to) */
	int64_t sales_from, sales_to;   /* Beijing days, inclusive */
	int64_t sales_min;              /* fen */
	int64_t direct_min, team_min;
	int64_t parent;                 /* internal id */
	enum member_sort sort;
	bool asc;
	bool after;                     /* keyset: rows after (after_key, after_id) */
	int64_t after_key, after_id;
};

/* One bound value: text (s) or an integer (i). */
struct member_query_arg {
	const char *s;
	int64_t i;
};

struct member_query_sql {
	struct textbuf sql;
	struct member_query_arg args[MEMBER_QUERY_ARGS];
	int n;
	char prefix[2 * 128 + 2]; /* q's prefix pattern, escaped for the dialect */
	bool failed;
};

/* Builds the query for a page (limit > 0: columns id, ext, parent, level,
 * name, depth, direct_count, team_count, created_at, sales, in the sort's
 * order, at most limit rows) or for a bounded count (limit == 0: one row,
 * the number of matches, at most count_cap + 1).  Placeholders are ?N for
 * SQLite and $N for PostgreSQL, numbered by out->args.  False when out of
 * memory (out->sql freed by member_query_sql_free either way). */
bool member_query_build(struct member_query_sql *out, const struct member_query *f, bool pg,
			int limit, int64_t count_cap);
void member_query_sql_free(struct member_query_sql *out);

/* The sort key of a row, for the next cursor. */
int64_t member_query_key(const struct member_query *f, int64_t created_at, int64_t team_count,
			 int64_t id, int64_t sales);

#endif

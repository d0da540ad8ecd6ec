/* member_query.c — the members list's SQL, spelled once for both backends.
 *
 * Paging is by keyset, never OFFSET: a page is the rows after the last
 * one's (sort key, id), so a page costs the same wherever it is and a
 * member added meanwhile neither repeats nor hides a row. */
#include "store/member_query.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define SQL_MAX 4096

static void put(struct member_query_sql *o, const char *s)
{
	if (!o->failed && !textbuf_append(&o->sql, s, strlen(s), SQL_MAX))
		o->failed = true;
}

/* Appends a placeholder for a new argument. */
static void arg(struct member_query_sql *o, bool pg, const char *s, int64_t i)
{
	char ph[16];
	assert(o->n < MEMBER_QUERY_ARGS);
	o->args[o->n].s = s;
	o->args[o->n].i = i;
	o->n++;
	snprintf(ph, sizeof(ph), pg ? "$%d" : "?%d", o->n);
	put(o, ph);
}

/* The sort key's expression: sales exist only when joined (see below). */
static const char *key_expr(const struct member_query *f)
{
	switch (f->sort) {
	case MEMBER_SORT_SALES: return "s.sales";
	case MEMBER_SORT_TEAM: return "m.team_count";
	case MEMBER_SORT_ID: return "m.id";
	case MEMBER_SORT_JOINED: break;
	}
	return "m.created_at";
}

static bool sales_joined(const struct member_query *f)
{
	return f->sales_min > 0 || f->sort == MEMBER_SORT_SALES;
}

/* The prefix pattern of q: GLOB's for SQLite (none when q holds GLOB's own
 * characters: then only the whole id matches, as the search always did),
 * LIKE's with its characters escaped for PostgreSQL. */
static bool prefix_of(struct member_query_sql *o, const char *q, bool pg)
{
	size_t k = 0;
	if (!pg && strpbrk(q, "*?["))
		return false;
	for (const char *c = q; *c && k + 3 < sizeof(o->prefix); c++) {
		if (pg && (*c == '%' || *c == '_' || *c == '\\'))
			o->prefix[k++] = '\\';
		o->prefix[k++] = *c;
	}
	o->prefix[k++] = pg ? '%' : '*';
	o->prefix[k] = '\0';
	return true;
}

bool member_query_build(struct member_query_sql *o, const struct member_query *f, bool pg,
			int limit, int64_t count_cap)
{
	memset(o, 0, sizeof(*o));
	const bool joined = sales_joined(f);
	if (limit > 0) {
		put(o, "SELECT m.id, m.ext, m.parent, m.level, m.name, m.depth, m.direct_count, "
		       "m.team_count, m.created_at, ");
		if (joined) {
			put(o, "s.sales");
		} else {
			/* a page's own rows only: a seek a row on daily_stats_key */
			put(o, "(SELECT coalesce(sum(d.gmv), 0) FROM daily_stats d WHERE d.dim = 1 AND "
			       "d.key = m.ext AND d.day BETWEEN ");
			arg(o, pg, NULL, f->sales_from);
			put(o, " AND ");
			arg(o, pg, NULL, f->sales_to);
			put(o, ")");
		}
	} else {
		put(o, "SELECT count(*) FROM (SELECT 1");
	}
	if (!joined) {
		put(o, " FROM members m");
	} else {
		/* the period's sellers, summed from the rollups the reports keep,
		 * then each seller's member by its id: a seek a seller.  On
		 * PostgreSQL the lateral subquery (kept apart by OFFSET 0) holds
		 * the planner to those seeks; a hash join would read every member. */
		put(o, pg ? " FROM (SELECT key, sum(gmv)::bigint AS sales" : " FROM (SELECT key, sum(gmv) AS sales");
		/* SQLite: the period's days by the primary key, not every day
		 * of dim 1 by daily_stats_key (three times slower on a year) */
		put(o, pg ? " FROM daily_stats WHERE dim = 1 AND day BETWEEN "
			  : " FROM daily_stats WHERE +dim = 1 AND day BETWEEN ");
		arg(o, pg, NULL, f->sales_from);
		put(o, " AND ");
		arg(o, pg, NULL, f->sales_to);
		put(o, " GROUP BY key HAVING sum(gmv) >= ");
		arg(o, pg, NULL, f->sales_min > 0 ? f->sales_min : 1);
		put(o, pg ? ") s JOIN LATERAL (SELECT * FROM members WHERE ext = s.key OFFSET 0) m ON true"
			  : ") s JOIN members m ON m.ext = s.key");
	}
	put(o, " WHERE 1 = 1");
	if (f->only) {
		put(o, " AND m.id = ");
		arg(o, pg, NULL, f->only);
	}
	if (f->exclude) {
		put(o, " AND m.id <> ");
		arg(o, pg, NULL, f->exclude);
	}
	if (f->q) {
		put(o, " AND (m.ext = ");
		arg(o, pg, f->q, 0);
		if (f->invite_id) {
			put(o, " OR m.id = ");
			arg(o, pg, NULL, f->invite_id);
		}
		if (prefix_of(o, f->q, pg)) {
			put(o, pg ? " OR m.ext LIKE " : " OR m.ext GLOB ");
			arg(o, pg, o->prefix, 0);
			if (pg)
				put(o, " ESCAPE '\\'");
		}
		put(o, pg ? " OR strpos(m.name, " : " OR instr(m.name, ");
		arg(o, pg, f->q, 0);
		put(o, ") > 0)");
	}
	/* the whole team holds the direct invitees: a direct minimum is a team
	 * minimum too, which members_team can seek */
	int64_t team_min = f->team_min > f->direct_min ? f->team_min : f->direct_min;
	if (f->n_levels > 0) {
		/* SQLite plans without statistics and takes any equality for a
		 * few rows: on members_level a common level would be read whole
		 * and sorted.  So a page walks its order's index instead (and
		 * stops at the page), and only a count with nothing narrower
		 * reads members_level; "+" hides a column from SQLite's planner.
		 * PostgreSQL weighs its statistics (and has no "+" for text). */
		bool one_by_joined = limit > 0 && f->n_levels == 1 && f->sort == MEMBER_SORT_JOINED &&
				     !joined && !f->parent && !f->only;
		bool hide = !pg && !one_by_joined &&
			    (limit > 0 || joined || f->joined_from || f->joined_to || team_min > 0 ||
			     f->parent || f->only);
		put(o, hide ? " AND +m.level IN (" : " AND m.level IN (");
		for (int i = 0; i < f->n_levels; i++) {
			if (i)
				put(o, ", ");
			arg(o, pg, f->levels[i], 0);
		}
		put(o, ")");
	}
	if (f->joined_from) {
		put(o, " AND m.created_at >= ");
		arg(o, pg, NULL, f->joined_from);
	}
	if (f->joined_to) {
		put(o, " AND m.created_at < ");
		arg(o, pg, NULL, f->joined_to);
	}
	if (f->direct_min > 0) {
		put(o, " AND m.direct_count >= ");
		arg(o, pg, NULL, f->direct_min);
	}
	if (team_min > 0) {
		put(o, " AND m.team_count >= ");
		arg(o, pg, NULL, team_min);
	}
	if (f->parent) {
		put(o, " AND m.parent = ");
		arg(o, pg, NULL, f->parent);
	}
	if (limit == 0) {
		char n[32];
		snprintf(n, sizeof(n), " LIMIT %lld) t", (long long)count_cap + 1);
		put(o, n);
		return !o->failed;
	}
	const char *key = key_expr(f);
	const char *dir = f->asc ? "ASC" : "DESC";
	if (f->after) {
		put(o, " AND (");
		put(o, key);
		put(o, ", m.id) ");
		put(o, f->asc ? "> (" : "< (");
		arg(o, pg, NULL, f->after_key);
		put(o, ", ");
		arg(o, pg, NULL, f->after_id);
		put(o, ")");
	}
	char tail[96];
	if (f->sort == MEMBER_SORT_ID)
		snprintf(tail, sizeof(tail), " ORDER BY m.id %s LIMIT %d", dir, limit);
	else
		snprintf(tail, sizeof(tail), " ORDER BY %s %s, m.id %s LIMIT %d", key, dir, dir,
			 limit);
	put(o, tail);
	return !o->failed;
}

void member_query_sql_free(struct member_query_sql *o)
{
	textbuf_free(&o->sql);
}

int64_t member_query_key(const struct member_query *f, int64_t created_at, int64_t team_count,
			 int64_t id, int64_t sales)
{
	switch (f->sort) {
	case MEMBER_SORT_SALES: return sales;
	case MEMBER_SORT_TEAM: return team_count;
	case MEMBER_SORT_ID: return id;
	case MEMBER_SORT_JOINED: break;
	}
	return created_at;
}

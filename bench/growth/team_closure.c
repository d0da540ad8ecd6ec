/* team_closure.c — the growth benchmark's reference peer: the whole-team
 * size of every member, computed the way a database alone would, with one
 * recursive SQL query over the members table (every member joined to each
 * of its ancestors, grouped by ancestor).
 *
 *   team_closure DB
 *
 * Prints {"members_with_team":N,"pairs":N} on stdout; exit 1 on error. */
#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	long long teams = 0, pairs = 0;
	int rc = 1, step;
	if (argc != 2) {
		fprintf(stderr, "usage: team_closure DB\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "WITH RECURSIVE up(id, anc) AS ("
			       " SELECT id, parent FROM members WHERE parent IS NOT NULL"
			       " UNION ALL SELECT up.id, m.parent FROM up JOIN members m"
			       " ON m.id = up.anc WHERE m.parent IS NOT NULL)"
			       " SELECT anc, count(*) FROM up GROUP BY anc",
			       -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "team_closure: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		teams++;
		pairs += sqlite3_column_int64(q, 1);
	}
	if (step != SQLITE_DONE) {
		fprintf(stderr, "team_closure: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	printf("{\"members_with_team\":%lld,\"pairs\":%lld}\n", teams, pairs);
	rc = 0;
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}

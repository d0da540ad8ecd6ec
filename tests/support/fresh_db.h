/* fresh_db.h — databases for the tests: a fresh SQLite file, or a fresh
 * database on the suite's throwaway PostgreSQL (tests/pg/pg_fixture.sh;
 * ctest hands its URI file over as TUIKE_TEST_PG_FILE). */
#ifndef TK_FRESH_DB_H
#define TK_FRESH_DB_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the suite's PostgreSQL is there to use. */
bool test_pg_available(void);
/* Creates an empty database on it and writes its URI to uri; false (with a
 * message on stderr) when PostgreSQL is unavailable or refuses. */
bool test_pg_fresh(char *uri, size_t size);
/* A fresh SQLite file path (the file does not exist yet). */
void test_sqlite_fresh(char *path, size_t size);

#endif

/* fresh_db.h — databases for the tests: a fresh SQLite file, or a fresh
 * database on the suite's throwaway PostgreSQL (tests/pg/pg_fixture.sh;
 * ctest hands its URI file over as TUIKE_TEST_PG_FILE). */
#ifndef TK_FRESH_DB_H
#define TK_FRESH_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the suite's PostgreSQL is there to use. */
bool test_pg_available(void);
/* Creates an empty database on it and writes its URI to uri; false (with a
 * message on stderr) when PostgreSQL is unavailable or refuses. */
bool test_pg_fresh(char *uri, size_t size);
/* A fresh SQLite file path (the file does not exist yet). */
void test_sqlite_fresh(char *path, size_t size);

/* The backend of the run: PostgreSQL when TUIKE_TEST_BACKEND is "pg" (the
 * pg pass of the suite, CMake's TUIKE_TEST_PG), else SQLite. */
bool test_backend_pg(void);
/* A fresh, empty database for a test that works on either backend: a new
 * SQLite path (under /dev/shm when there is one: tests check what is
 * written, not that it survives a power cut), or a new database on the
 * suite's PostgreSQL.  Writes its URI (store_open's argument) to uri; false,
 * with a message on stderr, when the backend is unavailable or the URI
 * does not fit. */
bool test_db_fresh(char *uri, size_t size);
/* Removes a database test_db_fresh made, once nothing has it open: the
 * SQLite file and its journal, or the PostgreSQL database. */
void test_db_remove(const char *uri);

/* The store contract tests' setup: opens (store_open) a fresh database of
 * the backend `kind` names — a new SQLite file, a new PostgreSQL database,
 * or one whose default collation is ICU's (test_pg_fresh_icu, for text
 * order) — writing its URI to uri.  Fails the cmocka test when it cannot. */
struct store;
enum test_fresh_kind { TEST_FRESH_SQLITE, TEST_FRESH_PG, TEST_FRESH_PG_ICU };
struct store *test_store_fresh(enum test_fresh_kind kind, char *uri, size_t size);

/* A connection of the test's own for looking at what the code under test
 * wrote, with SQL both backends read alike ($1 is the parameter). */
struct test_db;
/* NULL, with a message on stderr, when the database cannot be opened. */
struct test_db *test_db_connect(const char *uri);
/* The first column of the first row of `sql` as an integer (0 when there
 * is no row or it is NULL), $1 bound to `text` unless that is NULL; false,
 * with a message on stderr, when the query fails. */
bool test_db_i64(struct test_db *d, const char *sql, const char *text, int64_t *out);
void test_db_close(struct test_db *d);

#endif

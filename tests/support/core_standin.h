/* core_standin.h — for the store contract tests of modules that sit on the
 * money core's tables (members, changes, items, daily_stats): raw SQL on
 * either backend to set those tables up, and, while the PostgreSQL core
 * module has no migration of its own yet, a minimal stand-in of them
 * created in the test database only. */
#ifndef TK_CORE_STANDIN_H
#define TK_CORE_STANDIN_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* Whether the PostgreSQL core module migrates its own tables yet. */
bool test_pg_core_migrates(void);
/* Creates the stand-in core tables in the (fresh, unopened) PostgreSQL
 * database `uri` when the core module does not migrate them itself; false
 * with a message on stderr when that fails. */
bool test_pg_core_standin(const char *uri);
/* A fresh database like test_pg_fresh's whose default collation is ICU's
 * en-US (where "a2" sorts before "B1"), so that a test shows its text order
 * is bytes whatever the server's locale; falls back to a plain fresh
 * database (with a note on stderr) when the server has no ICU. */
bool test_pg_fresh_icu(char *uri, size_t size);
/* Runs SQL text (one or more statements, no parameters) on either backend:
 * TK_ECONFLICT for a constraint error, TK_EIO for any other. */
enum tk_rc test_sql(struct store *st, const char *sql, struct tk_error *err);
/* The first column of the first row of a query as an integer (-1 when it
 * fails or has no row). */
long long test_sql_int(struct store *st, const char *sql);

#endif

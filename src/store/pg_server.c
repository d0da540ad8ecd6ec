/* pg_server.c — the server module's storage on PostgreSQL (see server_store.h for what
 * each operation does; the SQLite twin is sqlite_server.c). */
#include "store/pg_internal.h"
#include "store/server_store.h"

const struct pg_migration pg_migrations_server[] = {
	{NULL, NULL},
};

const struct server_store_ops pg_server_ops = {0};

/* sqlite_server.c — SQLite storage for the HTTP server. */
#include "store/server_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_server[] = {
	{NULL, NULL},
};

const struct server_store_ops sqlite_server_ops = {
	.unused = 0,
};

/* pg_catalog.c — the catalog module's storage on PostgreSQL (see catalog_store.h for what
 * each operation does; the SQLite twin is sqlite_catalog.c). */
#include "store/pg_internal.h"
#include "store/catalog_store.h"

const struct pg_migration pg_migrations_catalog[] = {
	{NULL, NULL},
};

const struct catalog_store_ops pg_catalog_ops = {0};

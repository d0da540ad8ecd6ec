/* sqlite_catalog.c — SQLite storage for the product library. */
#include "store/catalog_store.h"
#include "store/sqlite_internal.h"

const struct sqlite_migration sqlite_migrations_catalog[] = {
	{NULL, NULL},
};

const struct catalog_store_ops sqlite_catalog_ops = {
	.unused = 0,
};

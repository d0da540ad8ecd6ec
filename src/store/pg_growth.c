/* pg_growth.c — the growth module's storage on PostgreSQL (see growth_store.h for what
 * each operation does; the SQLite twin is sqlite_growth.c). */
#include "store/pg_internal.h"
#include "store/growth_store.h"

const struct pg_migration pg_migrations_growth[] = {
	{NULL, NULL},
};

const struct growth_store_ops pg_growth_ops = {0};

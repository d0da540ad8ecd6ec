/* pg_core.c — the money core's storage on PostgreSQL: the change log,
 * plans, members, bindings, items, the ledger, withdrawals and the daily
 * statistics (see store.h; the SQLite twin is sqlite.c and
 * sqlite_schema.c). */
#include "store/pg_internal.h"

const struct pg_migration pg_migrations_core[] = {
	{NULL, NULL},
};

const struct store_ops pg_core_ops = {
	.close = pg_close,
	.tx_begin = pg_tx_begin,
	.tx_begin_read = pg_tx_begin_read,
	.tx_commit = pg_tx_commit,
	.tx_rollback = pg_tx_rollback,
};

/* pg_feeds.c — the feeds module's storage on PostgreSQL (see feed_store.h for what
 * each operation does; the SQLite twin is sqlite_feeds.c). */
#include "store/pg_internal.h"
#include "store/feed_store.h"

const struct pg_migration pg_migrations_feeds[] = {
	{NULL, NULL},
};

const struct feed_store_ops pg_feed_ops = {0};

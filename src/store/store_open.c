/* store_open.c — picks the backend a database URI names: PostgreSQL for
 * postgresql:// and postgres://, else an embedded SQLite file; and the
 * one way the application ends a write transaction (store_tx_end). */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

bool store_uri_is_pg(const char *uri)
{
	return uri && (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0);
}

const char *store_default_uri(const char *uri)
{
	if (!uri || !*uri)
		uri = getenv("TUIKE_DB");
	return uri && *uri ? uri : "tuike.db";
}

enum tk_rc store_open(const char *uri, const struct store_options *o, struct store **out,
		      struct tk_error *err)
{
	uri = store_default_uri(uri);
	if (store_uri_is_pg(uri))
		return store_pg_open(uri, o, out, err);
	return store_sqlite_open_cache(uri, o && o->cache_kib ? o->cache_kib : STORE_CACHE_KIB, out,
				       err);
}

enum tk_rc store_tx_end(struct store *st, enum tk_rc rc, struct tk_error *err)
{
	if (!rc)
		rc = st->ops->tx_commit(st, err);
	if (rc)
		st->ops->tx_rollback(st);
	return rc;
}

/* server_store.h — storage for the HTTP server: API keys, member
 * credentials and sessions, idempotency records, tracking links and clicks.
 * Implemented for SQLite in sqlite_server.c. */
#ifndef TK_SERVER_STORE_H
#define TK_SERVER_STORE_H

#include "store/store.h"

struct server_store_ops {
	int unused; /* operations are added with the server */
};

extern const struct server_store_ops sqlite_server_ops;

#endif

/* catalog_store.h — storage for the product library.  Implemented for
 * SQLite in sqlite_catalog.c. */
#ifndef TK_CATALOG_STORE_H
#define TK_CATALOG_STORE_H

#include "store/store.h"

struct catalog_store_ops {
	int unused; /* operations are added with the product library */
};

extern const struct catalog_store_ops sqlite_catalog_ops;

#endif

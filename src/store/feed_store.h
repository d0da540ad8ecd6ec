/* feed_store.h — storage for union feeds: member and channel tags, sync
 * cursors.  Implemented for SQLite in sqlite_feeds.c. */
#ifndef TK_FEED_STORE_H
#define TK_FEED_STORE_H

#include "store/store.h"

struct feed_store_ops {
	/* Maps a union tag (union, kind, value) to a member's internal id.
	 * TK_ENOTFOUND when the tag is unknown. */
	enum tk_rc (*tag_lookup)(struct store *st, const char *union_, const char *kind,
				 const char *value, int64_t *member, struct tk_error *err);
};

extern const struct feed_store_ops sqlite_feed_ops;

#endif

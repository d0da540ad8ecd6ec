/* feed_store.h — storage for union feeds: the union tags members' links
 * carry, and the sync cursors.  Implemented for SQLite in sqlite_feeds.c
 * and PostgreSQL in pg_feeds.c.
 * The contract of store.h holds: on error nothing changes outside the
 * caller's open transaction. */
#ifndef TK_FEED_STORE_H
#define TK_FEED_STORE_H

#include "store/store.h"

#define TAG_KIND_MAX 24
#define SYNC_STREAM_MAX 16

/* A union tag registration: links carrying (union, kind, value) belong to
 * the member, and to one of its chat groups when channel names one (the
 * group's channel key, "g<id>"). */
struct tag_rec {
	char union_[ORDER_UNION_MAX];
	char kind[TAG_KIND_MAX];
	char value[ORDER_KEY_MAX];
	int64_t member;              /* internal id */
	char member_ext[ORDER_KEY_MAX];
	char channel[ORDER_KEY_MAX]; /* "" for the member's own */
	int64_t created_at;
};

typedef bool (*store_tag_cb)(void *ctx, const struct tag_rec *t);

/* A union row that sync could not apply, kept for the operator with the
 * union's own text of it. */
struct sync_reject_rec {
	int64_t id;
	char union_[ORDER_UNION_MAX];
	char item[ORDER_KEY_MAX];  /* "" when the row named none */
	int64_t window_from, window_to;
	char error[768];
	const char *raw;           /* may be NULL; valid during the callback */
	int64_t at;
};

typedef bool (*store_sync_reject_cb)(void *ctx, const struct sync_reject_rec *r);

struct feed_store_ops {
	/* Maps a union tag (union, kind, value) to a member's internal id and
	 * the channel it was registered with ("" none; channel may be NULL).
	 * TK_ENOTFOUND when the tag is unknown. */
	enum tk_rc (*tag_lookup)(struct store *st, const char *union_, const char *kind,
				 const char *value, int64_t *member, char channel[ORDER_KEY_MAX],
				 struct tk_error *err);
	/* Registers a tag for a member (channel "" or a group's channel key),
	 * replacing an earlier owner of the same tag; *previous is that owner's
	 * internal id, or 0. */
	enum tk_rc (*tag_set)(struct store *st, const char *union_, const char *kind,
			      const char *value, int64_t member, const char *channel, int64_t at,
			      int64_t *previous, struct tk_error *err);
	/* Removes a tag; TK_ENOTFOUND when it is not registered. */
	enum tk_rc (*tag_delete)(struct store *st, const char *union_, const char *kind,
				 const char *value, struct tk_error *err);
	/* Every tag, ordered by union, kind, value; `union_` may be "" for all. */
	enum tk_rc (*tag_each)(struct store *st, const char *union_, store_tag_cb cb, void *ctx,
			       struct tk_error *err);

	/* Sync cursors: the update time up to which a union's stream (e.g.
	 * "orders", "refunds") is applied.  Written in the same transaction as
	 * the rows it covers.  cursor_get gives 0 when none is stored. */
	enum tk_rc (*cursor_get)(struct store *st, const char *union_, const char *stream,
				 int64_t *at, struct tk_error *err);
	enum tk_rc (*cursor_set)(struct store *st, const char *union_, const char *stream,
				 int64_t at, int64_t now, struct tk_error *err);

	/* Rows sync refused, recorded in the window's transaction. */
	enum tk_rc (*sync_reject_insert)(struct store *st, const struct sync_reject_rec *r,
					 struct tk_error *err);
	/* Oldest first; `union_` may be "" for all. */
	enum tk_rc (*sync_reject_each)(struct store *st, const char *union_,
				       store_sync_reject_cb cb, void *ctx, struct tk_error *err);
};

extern const struct feed_store_ops sqlite_feed_ops;

#endif

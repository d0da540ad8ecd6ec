/* link_table.h — the tracking links in memory, for the redirect path.
 *
 * Lookups are lock-free: a reader loads the current table and probes its
 * slots with acquire loads, so `GET /s/{code}` never waits for a lock or
 * touches the disk.  Writers (loading at start, the API creating a link,
 * the change-log follower adding and revoking other processes' links)
 * take the table's own lock.  Entries are immutable once published but
 * for their `revoked` mark (a new target comes in a new entry that takes
 * the old one's slot), and live until link_table_free, as do the
 * tables a resize replaced, so a reader holding an entry or an old table
 * is always safe.  What else changes is an entry's `live` part: its clicks
 * written to the clicks table but not yet to the link's own counters (the
 * click flusher's). */
#ifndef TK_TRACKING_LINK_TABLE_H
#define TK_TRACKING_LINK_TABLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/server_store.h"
#include "tracking/link_host.h"

#define LINK_TABLE_MAX (64u * 1024 * 1024) /* links held in memory */

/* What only the click flusher needs: kept apart from what a redirect
 * reads, so that a redirect touches as few cache lines as it can.  The
 * strings are interned: every link of a member points to one copy of its
 * id (and likewise for channels and products), so that the flusher can sum
 * by pointer without reading them. */
struct link_live {
	_Atomic int64_t clicks, unique, bots;
	bool dirty;               /* the click flusher's own mark */
	const char *member_ext;
	const char *channel;      /* "" when none */
	const char *product_key;  /* "union:product", "" for a plain URL */
	int64_t id;               /* the link's */
	size_t index;             /* of its entry in the writer's list (a replaced
				     target takes the same place) */
};

/* A redirect reads the code, the id and the target: the code and the id
 * in the entry's first cache line, the target right after. */
struct link_entry {
	char code[LINK_CODE_MAX];
	int64_t id;
	struct link_live *live;
	uint32_t target_len;
	_Atomic bool revoked;      /* set once; a revoked link answers 404 */
	/* a URL link whose host must be allowed (not a product link, not let
	 * through by an operator), and whether it is not, under the table's
	 * current allowed hosts: a blocked link answers 410 */
	bool checked;
	_Atomic bool blocked;
	char target[];
};

struct link_table;

struct link_table *link_table_new(void);
void link_table_free(struct link_table *t);

/* Adds a link (its strings are copied); a revoked one (l->revoked_at) is
 * added revoked.  Adding the same link (code and id) again marks it
 * revoked when l is, and replaces its target when l's differs (a fresh
 * union conversion), keeping its live counters; nothing else changes.
 * TK_ECONFLICT when another link has the code, TK_ELIMIT beyond
 * LINK_TABLE_MAX. */
enum tk_rc link_table_put(struct link_table *t, const struct link_rec *l,
			  struct tk_error *err);

/* Replaces the allowed hosts operators added (copied; the built-in ones
 * always hold) and marks every URL link blocked or not under them, at
 * once for the redirects.  A new table has the built-in ones only. */
enum tk_rc link_table_set_hosts(struct link_table *t, const struct link_hosts *added,
				struct tk_error *err);

/* The link with this code (len bytes, not NUL-terminated), revoked or
 * not, or NULL. */
const struct link_entry *link_table_get(const struct link_table *t, const char *code,
					size_t len);

size_t link_table_count(const struct link_table *t);

/* Adds the live counters of l's link (when in the table) to l's counts,
 * so that what the API shows includes the clicks of the last seconds. */
void link_table_add_live(const struct link_table *t, struct link_rec *l);

#endif

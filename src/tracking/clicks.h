/* clicks.h — recording clicks on tracking links without touching the disk
 * on the redirect path.
 *
 * clicks_record() hashes what identifies the visitor (the address with a
 * secret key, so the raw address is never kept) and appends the click to
 * the calling thread's part of an in-memory buffer: no I/O, no lock shared
 * with other request threads.  A flusher thread with its own database
 * connection takes the buffer at least once a second and writes it in one
 * transaction: one row per click (time, link, keyed hash of the IP, hash of
 * the User-Agent, referrer host, robot flag, unique flag, the node), the link's
 * counters, and the clicks and unique clicks of the daily statistics (the
 * platform, the link's member, its channel and its product).  So a crash
 * loses at most one flush interval of clicks; clicks_stop() writes every
 * buffered click before it returns.  A batch that fails to write is kept
 * and retried; beyond CLICKS_PENDING_MAX buffered clicks of one network
 * thread new ones are counted as dropped (the health endpoint reports
 * them).  A flush that loses a lock conflict (TK_EBUSY: PostgreSQL's
 * deadlock or serialization failure) is tried again at once, a few times,
 * before the next round. */
#ifndef TK_TRACKING_CLICKS_H
#define TK_TRACKING_CLICKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "tracking/link_table.h"

#define CLICKS_PENDING_MAX (1u << 19) /* buffered clicks per network thread */
#define CLICKS_FLUSH_MS_MAX 1000
#define CLICKS_UA_MAX 256        /* bytes of a User-Agent looked at */

struct clicks;

struct clicks_stats {
	uint64_t recorded;   /* accepted into the buffer */
	uint64_t written;    /* committed to the database */
	uint64_t dropped;    /* refused: the buffer was full */
	uint64_t bots;       /* of the written, from known robots */
	uint64_t failures;   /* flushes that failed (and were retried) */
	uint64_t pending;    /* in memory now */
};

/* Whether a node name is valid: 1..CLICK_NODE_MAX-1 bytes of letters,
 * digits and ". _ : -". */
bool clicks_node_valid(const char *node);

/* Opens a connection to the database at db_path, recounts the links'
 * counters for the clicks this node (`node`, unique among the running
 * serve nodes of the database) wrote after its last counters (a crash),
 * reloads the last hour of unique clicks, and starts the flusher (every
 * flush_ms, 10..1000). */
enum tk_rc clicks_start(const char *db_path, const char *node, int flush_ms, struct clicks **out,
			struct tk_error *err);

/* Records a click on a link at unix time `at`.  ip is the raw address
 * (4 or 16 bytes); user_agent and referer may be NULL.  `robot`: known to
 * be a robot's hit whatever its User-Agent (a HEAD request); else the
 * User-Agent decides (bots_match).  Thread-safe. */
void clicks_record(struct clicks *c, const struct link_entry *link, int64_t at, const void *ip,
		   size_t ip_len, const char *user_agent, const char *referer, bool robot);

void clicks_stats(struct clicks *c, struct clicks_stats *out);

/* Stops the flusher after writing every buffered click; frees c.  Call it
 * only when no thread can record any more.  TK_EIO when the last write
 * failed (the clicks still in memory are then lost, and counted). */
enum tk_rc clicks_stop(struct clicks *c, struct tk_error *err);

/* The host of a Referer URL ("https://m.example.com:8080/x" ->
 * "m.example.com"), lower-cased and cut to out's size; "" when there is
 * none.  Pure. */
void clicks_referrer_host(const char *referer, char out[CLICK_REFERRER_MAX]);

#endif

/* group_push.h — the pusher: works the send queue at each platform's pace.
 * Due jobs in order; per robot the rate buckets (seeded at start from what
 * was sent in the last minute, so a restart never bursts); a job is claimed
 * (committed `sending`) only when its robot may send now, then — holding no
 * transaction — the group's link, the message, the POST, and one
 * transaction recording the outcome.  A job claimed by a pusher that died
 * is `unknown`, never sent again by itself.  The clock is passed in (ms):
 * the wall clock, or a virtual one in simulation. */
#ifndef TK_GROUP_PUSH_H
#define TK_GROUP_PUSH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "engine/engine.h"
#include "push/push_http.h"
#include "push/push_platform.h"
#include "store/group_store.h"

struct links_conv;

#define GROUP_PUSH_LINK_BASE_MAX 512
#define GROUP_PUSH_BACKOFF_S 30       /* first wait after a failed attempt, doubling */
#define GROUP_PUSH_BACKOFF_MAX_S 1800 /* at most */
#define GROUP_PUSH_ROUND_MAX 1000     /* due jobs looked at per round */

struct group_push_conf {
	/* the platforms' base URLs by push_kind ("" the platform's own) */
	char base[PUSH_MANUAL + 1][PUSH_BASE_MAX];
	/* where short links point ("http://host:port"): a message carries
	 * <link_base>/s/<code> */
	char link_base[GROUP_PUSH_LINK_BASE_MAX];
	const struct links_conv *conv; /* NULL: plain link targets */
	bool simulate;                 /* send X-Sim-Time-Ms with each request */
	const volatile sig_atomic_t *stop; /* set (SIGTERM): finish the send in flight, stop */
};

/* The platforms' own base URLs. */
const char *group_push_default_base(enum push_kind k);

struct group_push_stats {
	int64_t sent, retried, paused, failed, unknown, cancelled, ready;
	int64_t requests;     /* POSTs made */
	int64_t stale;        /* jobs left `sending` found at start (now unknown) */
};

struct group_pusher;

/* Starts a pusher on e's store at now_ms: jobs left `sending` become
 * unknown (the caller holds the one-pusher lock, store_push_lock, so no
 * live pusher has them), the buckets are seeded from the sends of the last
 * minute.  t is borrowed (closed by the caller). */
enum tk_rc group_pusher_open(struct engine *e, struct push_transport *t,
			     const struct group_push_conf *conf, int64_t now_ms,
			     struct group_pusher **out, struct tk_error *err);
void group_pusher_close(struct group_pusher *p);

/* One round at now_ms: every due job whose robot may send now, at most max
 * POSTs (<= 0: no limit).  *next_ms: when the next job may go (the next due
 * job or robot refill, INT64_MAX when nothing is pending); *progress:
 * whether anything changed.  Stats are added to p's. */
enum tk_rc group_push_round(struct group_pusher *p, int64_t now_ms, int max, int64_t *next_ms,
			    bool *progress, struct tk_error *err);
const struct group_push_stats *group_push_stats(const struct group_pusher *p);

/* The latest claim or send in the queue (unix s; 0 when none): where a
 * restarted simulation's clock goes on from.  One read. */
enum tk_rc group_push_last_time(struct store *st, int64_t *t, struct tk_error *err);

/* The wait after the attempt-th failed attempt: 30 s doubling, at most
 * 30 minutes. */
int64_t group_push_backoff_s(int64_t attempts);

/* The message group g would get for product (union_, product) with link
 * (a URL), as the platform request: the URL without its credential (what
 * may be shown) and the exact body.  NULL product: the one the selection
 * would pick at now.  text (NULL: not wanted) gets the plain copy text, as
 * a manual group would get it.  union_out / product_out (NULL: not wanted,
 * else ORDER_UNION_MAX / ORDER_KEY_MAX bytes) get the product shown.  body
 * and text malloc'd. */
enum tk_rc group_push_preview(struct store *st, const struct group_rec *g,
			      const char *union_, const char *product, const char *link,
			      int64_t now, const char *base, char *url, size_t url_size,
			      char **body, char **text, char *union_out, char *product_out,
			      struct tk_error *err);

/* "Send now": a job for group g at slot now (origin "now", due now) with
 * the product given (NULL: the selection's next pick).  *created false
 * when the group has a job at that second already (the same request
 * again).  TK_ENOTFOUND when no product fits; TK_ECONFLICT for a group that
 * is not active.  One transaction. */
enum tk_rc group_push_now(struct store *st, int64_t grp, int64_t owner, const char *union_,
			  const char *product, int64_t now, struct send_job_rec *out,
			  bool *created, struct tk_error *err);

/* Puts an unknown or failed job back in the queue (pending, due now,
 * attempts 0); out gets the job as it is afterwards.  TK_ENOTFOUND for no
 * such job; TK_ECONFLICT naming the state for a job in another state.  One
 * transaction. */
enum tk_rc group_push_requeue(struct store *st, int64_t job, int64_t now, struct send_job_rec *out,
			      struct tk_error *err);

#endif

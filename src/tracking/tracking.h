/* tracking.h — the tracking application module, beside the engine: the
 * writes behind tracking links, their union conversions, members' union
 * tags and clicks.  Each operation runs in one store transaction it owns
 * and applies nothing on error; the HTTP and CLI adapters (and the click
 * writer) call these and never open a transaction themselves.  Building a
 * link or a conversion (tracking/links.h, tracking/links_convert.h) stays outside
 * any transaction, so that no union call is made holding the write lock. */
#ifndef TK_TRACKING_H
#define TK_TRACKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "tracking/links.h"
#include "tracking/links_convert.h"
#include "store/server_store.h"

/* Stores a prepared link (links_prepare) with the conversion its request
 * carries, if one was called: both or neither (links_finish). */
enum tk_rc tracking_link_save(struct store *st, const struct link_request *req,
			      struct link_rec *l, struct tk_error *err);

/* Revokes the link with this code: every server stops redirecting it
 * within a second (they follow the change log).  `member` is the internal
 * id of the member asking (only its own links), or 0 for an operator.
 * TK_ENOTFOUND when there is no such link for the asker; revoking twice
 * keeps the first time.  *out is the link as revoked. */
enum tk_rc tracking_link_revoke(struct store *st, const char *code, int64_t member, int64_t now,
				struct link_rec *out, struct tk_error *err);

/* The allowed hosts of URL links (link_host.h), beside the unions' own:
 * add normalizes `domain` into out (*added false when it was allowed
 * already, built in or added); remove refuses a built-in domain
 * (TK_ECONFLICT) and one not on the list (TK_ENOTFOUND).  Every server
 * follows the change within a second (the change log): links to a host
 * no longer allowed stop redirecting, unless an operator made them with
 * allow_host.  Each change is in the action log ("link_host.add",
 * "link_host.remove"). */
enum tk_rc tracking_link_host_add(struct store *st, const char *domain, int64_t now,
				  char out[LINK_HOST_MAX], bool *added, struct tk_error *err);
enum tk_rc tracking_link_host_remove(struct store *st, const char *domain, int64_t now,
				     char out[LINK_HOST_MAX], struct tk_error *err);

/* Sets member's own link quota (1..LINK_QUOTA_MAX an hour and a day, the
 * day's at least the hour's), or drops it with both 0; logged as
 * "member.link_quota" (null: the defaults). */
enum tk_rc tracking_link_quota_set(struct store *st, int64_t member, int64_t per_hour,
				   int64_t per_day, int64_t now, struct tk_error *err);

/* Saves a union's answer and re-targets the links made from the
 * conversion (links_conv_save). */
enum tk_rc tracking_conversion_save(struct store *st, const struct links_conv *lc,
				    const struct links_pending *p, struct conversion_rec *out,
				    bool *fresh, struct tk_error *err);

/* Links created from a file, a batch per transaction: add() stores one
 * (links_finish) in the open batch, beginning one if none is open and
 * committing it at TRACKING_LINK_BATCH links; commit() commits what is
 * open (before a union call, and at the end); rollback() drops it. */
#define TRACKING_LINK_BATCH 10000
struct tracking_link_batch {
	struct store *st;
	bool open;
	int64_t n;
};
enum tk_rc tracking_link_batch_add(struct tracking_link_batch *b, const struct link_request *req,
				   struct link_rec *l, struct tk_error *err);
enum tk_rc tracking_link_batch_commit(struct tracking_link_batch *b, struct tk_error *err);
void tracking_link_batch_rollback(struct tracking_link_batch *b);

/* Sets a union tag to member `member` (internal id) and channel (NULL or
 * "": the member's own; else one of its groups' channel keys); replaced_ext
 * gets the external id of the member it named before, "" when none or the
 * same. */
enum tk_rc tracking_tag_set(struct store *st, const char *union_, const char *kind,
			    const char *value, int64_t member, const char *channel, int64_t now,
			    char replaced_ext[ORDER_KEY_MAX], struct tk_error *err);
enum tk_rc tracking_tag_delete(struct store *st, const char *union_, const char *kind,
			       const char *value, struct tk_error *err);

/* ---- clicks (the click writer's own connection) ---- */

/* One day's click figures of one statistics key. */
struct tracking_click_stat {
	int64_t day;
	int dim;
	const char *key;
	int64_t clicks, unique;
};
/* Hands the next figure to *out; false when there are no more. */
typedef bool (*tracking_click_stat_next)(void *ctx, struct tracking_click_stat *out);

/* Several serve nodes may write clicks to one database, each through its
 * own click writer: `node` names the one calling (1..CLICK_NODE_MAX-1
 * bytes, unique among the running nodes).  Each node's link counters and
 * its mark of the clicks they cover are its own, so that its recovery
 * after a crash recounts its own clicks only. */

/* A batch of clicks and the daily statistics they add, together.  next()
 * must hand the figures in (day, dim, key) order, keys by bytes: the
 * order every writer of daily_stats takes its rows in, so that two
 * transactions adding to the same rows never wait on each other in a
 * cycle (on PostgreSQL, the click writers take no writer lock). */
enum tk_rc tracking_clicks_flush(struct store *st, const char *node, const struct click_rec *recs,
				 size_t n, tracking_click_stat_next next, void *ctx,
				 struct tk_error *err);

/* Adds the node's live counters to n links' rows (in link order) and
 * records the mark they cover (the newest click now: every later click of
 * the node is numbered after it), together; get(ctx, i, ...) gives the
 * i-th link's figures. */
typedef void (*tracking_link_counts_get)(void *ctx, size_t i, int64_t *link, int64_t *clicks,
					 int64_t *unique, int64_t *bots);
enum tk_rc tracking_link_counts_write(struct store *st, const char *node, size_t n,
				      tracking_link_counts_get get, void *ctx,
				      struct tk_error *err);

/* After a crash of the node, the links are short of the node's clicks
 * written after its mark: adds those, together with the new mark.  Other
 * nodes' clicks are theirs to count. */
enum tk_rc tracking_links_recount(struct store *st, const char *node, struct tk_error *err);

/* The name of a node's mark in the server state ("link_counts_upto:NODE"). */
void tracking_counts_mark_name(const char *node, char out[CLICK_NODE_MAX + 32]);

#endif

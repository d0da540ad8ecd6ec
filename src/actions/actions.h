/* actions.h — the action log's application module: who is acting (set by
 * the shell around one API call or one command), and the entry each
 * operation that changes money, plans, levels, members, groups or keys
 * writes in its own transaction — so that no such change commits without
 * its entry, and a failed one leaves none.  Reading the log back for the
 * API, the command line and the CSV export.
 *
 * The actor is per thread: an API call runs on one thread from its route
 * to its answer (even a handler that lets the engine lock go around a slow
 * step), a command on the main thread.  Entries written while nobody set
 * an actor (a job, a test) name the actor "system". */
#ifndef TK_ACTIONS_ACTIONS_H
#define TK_ACTIONS_ACTIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/action_store.h"

#define ACTION_REASON_LIMIT (ACTION_REASON_MAX - 1) /* bytes of a reason */
#define ACTION_LIST_MAX 100                         /* entries of one page */

struct action_actor {
	char who[ACTION_ACTOR_MAX];      /* "key:NAME", "member:ID", "cli:user@host" */
	char role[ACTION_ROLE_MAX];      /* "" when the credential has none */
	char source[ACTION_SOURCE_MAX];  /* the client's address, "cli" */
	char reason[ACTION_REASON_MAX];  /* "" when none was given */
	char request[ACTION_REQUEST_MAX];/* the Idempotency-Key, "" when none */
};

/* Checks a reason given from outside (X-Reason, --reason): at most
 * ACTION_REASON_LIMIT bytes of UTF-8 without control characters (a tab is
 * one too).  TK_EINVAL names `field`. */
enum tk_rc actions_reason_check(const char *reason, const char *field, struct tk_error *err);

/* Sets who acts on this thread from now on (copied); NULL: nobody. */
void actions_actor_set(const struct action_actor *a);
/* Who acts on this thread now, or NULL. */
const struct action_actor *actions_actor(void);

/* Appends one entry in the caller's open write transaction on st: `what`
 * (e.g. "member.level"), about `subject` (e.g. "member:m13"), with the
 * state before and after (JSON, borrowed; NULL is null), at `now`, by the
 * thread's actor.  A document longer than ACTION_JSON_MAX is replaced by a
 * note saying so (it never cuts a document into invalid JSON).  On error
 * the caller rolls its change back. */
enum tk_rc actions_record(struct store *st, int64_t now, const char *what, const char *subject,
			  const json_t *before, const json_t *after, struct tk_error *err);

/* The same, for a change another module makes with no subject document of
 * its own (a setting): what, subject and the summaries as JSON texts
 * ("" or NULL: null).  For link host allow-lists and the like. */
enum tk_rc actions_record_text(struct store *st, int64_t now, const char *what,
			       const char *subject, const char *before, const char *after,
			       struct tk_error *err);

/* One entry as the API and `tuike actions --json` show it (new reference;
 * NULL when out of memory). */
json_t *actions_doc(const struct action_rec *a);

/* The CSV header line and one entry's line ("\r\n" ended), written with
 * the group reports' cell guard (group_csv_text): a cell a spreadsheet
 * would run as a formula is made inert. */
struct group_csv;
void actions_csv_header(struct group_csv *b);
void actions_csv_row(struct group_csv *b, const struct action_rec *a);

/* Reads entries for a listing: f's filters, newest first, at most limit
 * (0: all), each handed to cb (false stops), in a read transaction of its
 * own. */
enum tk_rc actions_list(struct store *st, const struct action_filter *f, int64_t limit,
			store_action_cb cb, void *ctx, struct tk_error *err);

#endif

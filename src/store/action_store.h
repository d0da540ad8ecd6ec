/* action_store.h — storage for the action log: one row per operator action
 * that changed money, plans, levels, members, groups or keys (who, what,
 * before and after, when, from where, why).  Append-only: the database
 * itself refuses UPDATE and DELETE on it.  Implemented for SQLite in
 * sqlite_actions.c and PostgreSQL in pg_actions.c.
 * The contract of store.h holds: on error nothing changes outside the
 * caller's open transaction. */
#ifndef TK_ACTION_STORE_H
#define TK_ACTION_STORE_H

#include "store/store.h"

#define ACTION_ACTOR_MAX 112      /* "key:NAME", "member:ID", "cli:user@host" */
#define ACTION_ROLE_MAX 32
#define ACTION_SOURCE_MAX 64      /* the client's address, or "cli" */
#define ACTION_WHAT_MAX 48        /* "member.level", "withdrawal.approve", ... */
#define ACTION_SUBJECT_MAX 128    /* "member:m13", "plan", "key:7", "group:3" */
#define ACTION_JSON_MAX 2048      /* bytes of a before or after document */
#define ACTION_REASON_MAX 501     /* 500 bytes and the NUL */
#define ACTION_REQUEST_MAX 129    /* an Idempotency-Key, 128 bytes and the NUL */

struct action_rec {
	int64_t id;                        /* set by action_insert */
	int64_t at;                        /* unix seconds */
	char actor[ACTION_ACTOR_MAX];
	char role[ACTION_ROLE_MAX];        /* "" when unknown */
	char source[ACTION_SOURCE_MAX];
	char what[ACTION_WHAT_MAX];
	char subject[ACTION_SUBJECT_MAX];
	char before[ACTION_JSON_MAX];      /* JSON; "null" when nothing was there */
	char after[ACTION_JSON_MAX];
	char reason[ACTION_REASON_MAX];    /* "" when none was given */
	char request[ACTION_REQUEST_MAX];  /* the request's key, "" when none */
};

/* Which entries a listing wants: times inclusive (0: open), text filters
 * exact (NULL or "": any), and the ids below `before` (0: from the newest). */
struct action_filter {
	int64_t from, to;
	const char *actor, *what, *subject;
	int64_t before;
};

typedef bool (*store_action_cb)(void *ctx, const struct action_rec *a);

struct action_store_ops {
	/* Appends a; sets a->id (ids grow in commit order). */
	enum tk_rc (*action_insert)(struct store *st, struct action_rec *a, struct tk_error *err);
	/* The entries f selects, newest (highest id) first, at most `limit`
	 * (0: all, streamed); cb returns false to stop. */
	enum tk_rc (*action_each)(struct store *st, const struct action_filter *f, int64_t limit,
				  store_action_cb cb, void *ctx, struct tk_error *err);
};

extern const struct action_store_ops sqlite_action_ops;
extern const struct action_store_ops pg_action_ops;

#endif

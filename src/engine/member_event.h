/* member_event.h — what happened to members, as members.c tells whoever
 * keeps figures about them.  members.c calls this one hook and nothing
 * else of growth; growth reads members through the store and the tree and
 * never calls back into members.c, so neither depends on the other's
 * functions. */
#ifndef TK_MEMBER_EVENT_H
#define TK_MEMBER_EVENT_H

#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

struct engine;

enum member_event_kind {
	MEMBER_EV_ADDED,        /* m: a member just inserted (one registration) */
	MEMBER_EV_LEVEL_SET,    /* m (its old level) set to `to` by an operator */
	MEMBER_EV_IMPORTED,     /* m: a member inserted by a bulk import */
	MEMBER_EV_IMPORT_LEVEL, /* member `id` from `from` to `to` by an import line */
	MEMBER_EV_FLUSH,        /* the import batch writes its sums now */
	MEMBER_EV_COMMIT,       /* the batch is about to commit */
	MEMBER_EV_ROLLBACK,     /* the transaction was rolled back */
};

struct member_event {
	enum member_event_kind kind;
	const struct member_rec *m; /* ADDED, LEVEL_SET, IMPORTED, IMPORT_LEVEL */
	int64_t id;                 /* IMPORT_LEVEL */
	const char *from;           /* IMPORT_LEVEL: the old level's key */
	const char *to;             /* LEVEL_SET, IMPORT_LEVEL: the new level's key */
};

/* Called by members.c inside the transaction that made the change (after
 * it is written, but for IMPORT_LEVEL: before).  Growth's writes for an
 * event join that transaction: an error rolls both back.  ROLLBACK always
 * succeeds. */
enum tk_rc growth_on_member_event(struct engine *e, const struct member_event *ev,
				  struct tk_error *err);

#endif

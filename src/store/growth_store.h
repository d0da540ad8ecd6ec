/* growth_store.h — storage for growth: per-level team counts, daily own and
 * team sales, level history, the audit trail of member moves, gift-pack
 * holdings, team listings and the compliance figures.  Implemented for
 * SQLite in sqlite_growth.c and PostgreSQL in pg_growth.c.  The contract of
 * store.h holds: on error nothing changes outside the caller's open
 * transaction. */
#ifndef TK_GROWTH_STORE_H
#define TK_GROWTH_STORE_H

#include "core/growth.h"
#include "store/store.h"

#define GROWTH_RULE_MAX 128   /* "gift_pack_refund:" + a product id, "revoked:UNION:ITEM" */
#define MOVE_BY_MAX 64
#define MOVE_REASON_MAX 256

/* The figures of a member's day (team_daily): own = orders it is tier 1
 * of; team = the member and everyone under it. */
enum team_day_value { TD_OWN_GMV, TD_OWN_COMMISSION, TD_TEAM_GMV, TD_TEAM_COMMISSION, TD_N };

/* One level change. */
struct level_change_rec {
	int64_t id;
	int64_t member;
	char member_ext[ORDER_KEY_MAX]; /* filled on reads */
	char from[PLAN_KEY_MAX], to[PLAN_KEY_MAX]; /* from "": created at `to` (a grant) */
	char rule[GROWTH_RULE_MAX];  /* upgrade:KEY, gift_pack:P, review, operator, ... */
	int64_t item;                /* the gift-pack or revoked item behind it, or 0 */
	int64_t at;
	int64_t seq;                 /* the change log's number then (0: unknown) */
};

/* One move of a member to another inviter, with who did it and why. */
struct member_move_rec {
	int64_t id;
	int64_t member, from_parent, to_parent; /* internal ids; 0 = none (a root) */
	char member_ext[ORDER_KEY_MAX], from_ext[ORDER_KEY_MAX], to_ext[ORDER_KEY_MAX];
	char by[MOVE_BY_MAX];
	char reason[MOVE_REASON_MAX];
	int64_t at;
	int64_t seq;                 /* the change log's number then (0: unknown) */
};

/* A gift pack bought by a member (one per pack item). */
struct pack_holding_rec {
	int64_t item;
	int64_t member;                 /* the buyer */
	char product[PLAN_PRODUCT_MAX];
	char level[PLAN_KEY_MAX];       /* the level the pack grants */
	bool held;                      /* paid and not refunded */
	char level_before[PLAN_KEY_MAX];/* the buyer's level when it took effect */
	bool review_due;                /* lost since the last evaluation */
	int64_t at;
};

enum team_sort { TEAM_SORT_TEAM, TEAM_SORT_DIRECT, TEAM_SORT_JOINED, TEAM_SORT_GMV };

struct team_query {
	int64_t member;          /* whose team */
	bool whole;              /* the whole team, not only direct invitees */
	enum team_sort sort;
	bool ascending;
	int64_t limit, offset;
	int64_t month_from, month_to; /* days of the month for the GMV figures */
};

struct team_row {
	struct member_rec m;
	int64_t own_gmv_month, team_gmv_month, team_commission_month;
};

typedef bool (*store_level_count_cb)(void *ctx, const char *level, int64_t direct,
				     int64_t team);
typedef bool (*store_own_sum_cb)(void *ctx, const char *ext, int64_t gmv, int64_t commission);
typedef bool (*store_team_day_cb)(void *ctx, int64_t day, const int64_t v[TD_N]);
typedef bool (*store_level_change_cb)(void *ctx, const struct level_change_rec *c);
typedef bool (*store_move_cb)(void *ctx, const struct member_move_rec *m);
typedef bool (*store_pack_cb)(void *ctx, const struct pack_holding_rec *h);
typedef bool (*store_team_row_cb)(void *ctx, const struct team_row *r);
typedef bool (*store_depth_cb)(void *ctx, int32_t depth, int64_t members);
typedef bool (*store_earner_cb)(void *ctx, const char *ext, int64_t pack_income);

struct growth_store_ops {
	/* The level whose counts are implicit: most members hold it, so its
	 * per-level counts are never written; a member's count at it is its
	 * direct (team) count less the counts of the other levels.  Chosen
	 * once per database; TK_ENOTFOUND until then. */
	enum tk_rc (*implicit_level_get)(struct store *st, char level[PLAN_KEY_MAX],
					 struct tk_error *err);
	enum tk_rc (*implicit_level_set)(struct store *st, const char *level,
					 struct tk_error *err);
	/* per-level counts of the other levels: adds to (member, level) */
	enum tk_rc (*level_count_add)(struct store *st, int64_t member, const char *level,
				      int64_t direct, int64_t team, struct tk_error *err);
	enum tk_rc (*level_count_each)(struct store *st, int64_t member, store_level_count_cb cb,
				       void *ctx, struct tk_error *err);

	/* daily own and team sums: adds v[] to (member, day) */
	enum tk_rc (*team_day_add)(struct store *st, int64_t member, int64_t day,
				   const int64_t v[TD_N], struct tk_error *err);
	/* sums over days from..to (inclusive) */
	enum tk_rc (*team_day_sum)(struct store *st, int64_t member, int64_t from, int64_t to,
				   int64_t out[TD_N], struct tk_error *err);
	enum tk_rc (*team_day_each)(struct store *st, int64_t member, store_team_day_cb cb,
				    void *ctx, struct tk_error *err);
	/* own GMV and commission per sharer over days from..to, from the daily
	 * statistics (one grouped read, for bulk evaluation) */
	enum tk_rc (*own_sum_each)(struct store *st, int64_t from, int64_t to, store_own_sum_cb cb,
				   void *ctx, struct tk_error *err);

	/* level history */
	enum tk_rc (*history_insert)(struct store *st, struct level_change_rec *c,
				     struct tk_error *err);
	/* a member's changes, oldest first (member 0: everyone's) */
	enum tk_rc (*history_each)(struct store *st, int64_t member, store_level_change_cb cb,
				   void *ctx, struct tk_error *err);

	/* moves: the member gets a new parent (0 = none) and every member of its
	 * subtree's depth changes by depth_delta */
	enum tk_rc (*member_reparent)(struct store *st, int64_t member, int64_t parent,
				      int32_t depth_delta, struct tk_error *err);
	enum tk_rc (*move_insert)(struct store *st, struct member_move_rec *m,
				  struct tk_error *err);
	enum tk_rc (*move_each)(struct store *st, int64_t member, store_move_cb cb, void *ctx,
				struct tk_error *err);
	/* A member's parent (0: none) and level as they were at a moment: the
	 * change log's number `seq` (0: unknown) and the time `at`, from the
	 * moves and the level history (a change at the moment itself counts
	 * as made); TK_ENOTFOUND when there is no such member. */
	enum tk_rc (*member_at)(struct store *st, int64_t member, int64_t at, int64_t seq,
				int64_t *parent, char level[PLAN_KEY_MAX], struct tk_error *err);

	/* gift-pack holdings */
	enum tk_rc (*pack_get)(struct store *st, int64_t item, struct pack_holding_rec *h,
			       struct tk_error *err);
	enum tk_rc (*pack_put)(struct store *st, const struct pack_holding_rec *h,
			       struct tk_error *err);
	/* member 0: every holding that is held or due for review */
	enum tk_rc (*pack_each)(struct store *st, int64_t member, store_pack_cb cb, void *ctx,
				struct tk_error *err);
	enum tk_rc (*pack_review_done)(struct store *st, int64_t member, struct tk_error *err);

	/* team listing: one page of direct invitees or of the whole team */
	enum tk_rc (*team_list)(struct store *st, const struct team_query *q, store_team_row_cb cb,
				void *ctx, struct tk_error *err);

	/* compliance figures */
	enum tk_rc (*depth_each)(struct store *st, store_depth_cb cb, void *ctx,
				 struct tk_error *err);
	/* income by tier and sales, ordinary items and gift-pack items apart;
	 * earners; and the members who earned only from gift-pack margins,
	 * largest first, through cb (at most `sample` of them) */
	enum tk_rc (*compliance_figures)(struct store *st, struct compliance_figures *f,
					 int sample, store_earner_cb cb, void *ctx,
					 struct tk_error *err);
};

extern const struct growth_store_ops sqlite_growth_ops;

#endif

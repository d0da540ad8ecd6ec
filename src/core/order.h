/* order.h — the normalized order item and its state machine.
 *
 * Every union feed row becomes a struct order_row: the full current state of
 * one order item plus its modification time.  order_decide() says whether a
 * row changes a stored item; order_target() says where the item's money must
 * stand for that state.  The ledger then posts the difference (ledger.h), so
 * the money of an item depends only on its latest state. */
#ifndef TK_ORDER_H
#define TK_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/plan.h"

#define ORDER_UNION_MAX 8
#define ORDER_KEY_MAX 96     /* item key, order number, product, buyer, member, link */
#define ORDER_TITLE_MAX 512
#define ORDER_RAW_MAX 16384  /* the union's raw row kept for disputes */
#define ORDER_TAGS_MAX 4
#define ORDER_TAG_KIND_MAX 24

/* The most money one order item may carry (amount, commission, refund):
 * 10^9 fen, ten million yuan, far beyond any real order item.  And the
 * most items one database holds: 10^9 (item ids stay below 2^31, which
 * the audit relies on).  Every sum tuike keeps over items (a member's
 * pending, frozen or available, the union's receivable, the platform's
 * revenue, a report figure over any range, a batch's changes) adds at most
 * ORDER_MONEY_MAX per item, so it stays within ORDER_ITEMS_TOTAL_MAX x
 * ORDER_MONEY_MAX = 10^18, under an eighth of INT64_MAX (9.22 x 10^18).  Paid
 * and fees grow only by payouts of money that was available.  The sums are
 * still made with checked adds, which fail the batch rather than wrap. */
#define ORDER_MONEY_MAX INT64_C(1000000000)
#define ORDER_ITEMS_TOTAL_MAX INT64_C(1000000000)
_Static_assert(ORDER_ITEMS_TOTAL_MAX <= (INT64_MAX / 8) / ORDER_MONEY_MAX,
	       "sums over every item must stay far inside int64");

enum order_status { ST_UNPAID, ST_PAID, ST_RECEIVED, ST_SETTLED, ST_INVALID };

/* What a row says about its item. */
enum order_row_kind {
	ORDER_ROW_STATE,  /* the item's full current state (the normal case) */
	ORDER_ROW_REFUND, /* a refund record: `refunded` fen of commission taken back
			   * in total, as of modified_at (the refund's own clock);
			   * only union, item, modified_at, refunded and raw count */
};

/* One normalized order item as read from a file or a union feed.  Strings
 * are NUL-terminated and empty when absent; times are unix seconds, 0 when
 * absent. */
struct order_row {
	enum order_row_kind kind;
	char union_[ORDER_UNION_MAX]; /* jd, taobao, pdd, own */
	char item[ORDER_KEY_MAX];
	char order[ORDER_KEY_MAX];
	enum order_status status;
	int64_t modified_at;
	int64_t paid_at;
	int64_t settled_at;
	int64_t amount;     /* fen paid by the buyer */
	int64_t commission; /* fen, current figure: estimate, or actual once settled */
	int32_t quantity;
	char product[ORDER_KEY_MAX];
	char title[ORDER_TITLE_MAX];
	char buyer[ORDER_KEY_MAX];
	/* The namespace `buyer` lives in.  "": the platform's own (a normalized
	 * file's buyer: a member id there is that member's own purchase).
	 * Otherwise the union tag kind that names the buyer on the row's union
	 * (Taobao "special_id"): a union-side id, never taken for a member id;
	 * a tag of that kind registered to a member makes it that member's
	 * own purchase. */
	char buyer_kind[ORDER_TAG_KIND_MAX];
	char member[ORDER_KEY_MAX];  /* member the link or union tag resolved to */
	char link[ORDER_KEY_MAX];    /* tracking link code */
	char channel[ORDER_KEY_MAX]; /* channel the link or tag names, if any */
	/* Union tags the order came back with, in the order the adapter wants
	 * them tried (e.g. JD subUnionId before positionId).  The engine maps
	 * the first one it knows to a member; kind is e.g. "subUnionId". */
	int n_tags;
	struct order_tag {
		char kind[ORDER_TAG_KIND_MAX];
		char value[ORDER_KEY_MAX];
	} tags[ORDER_TAGS_MAX];
	/* What the row says of an investment-promotion campaign (all empty when
	 * it names none): docs/promotion-head.md. */
	struct order_campaign {
		char ext[ORDER_KEY_MAX]; /* the union's campaign id on the row: JD cpActId,
					  * PDD zs_duo_id; "" none */
		/* The row pays the head's service fee, not a commission to split
		 * (JD unionRole 2, Taobao tk_order_role 3, a PDD row sold by
		 * another duoduoke under the head's zs_duo_id): its commission
		 * is 0 and service_fee holds the union's figure. */
		bool head;
		int64_t service_fee; /* fen, head rows; -1: the union gives none (the
				      * campaign product's rate applies) */
		/* PDD: promoted by a duoduoke other than zs_duo_id.  The row is
		 * the head's only when zs_duo_id is his, that is the ext_id of a
		 * PDD campaign registered here (the engine decides: the adapter
		 * cannot know); otherwise it is the platform's own sale of goods
		 * in someone else's 招商 plan, a commission like any other. */
		bool other_promoter;
		char channel_kind[ORDER_TAG_KIND_MAX]; /* rid, channelId, duoid,
							* relation_id, pub_id */
		char channel[ORDER_KEY_MAX];           /* ... and its value */
		char shop[ORDER_KEY_MAX];     /* JD popId, PDD mall id, Taobao seller */
		char category[ORDER_KEY_MAX]; /* JD cid1, PDD cat_ids[0], Taobao category */
		int64_t clicked_at;           /* the union's click time, 0 unknown */
		int64_t ordered_at;           /* order placed, 0 unknown */
	} campaign;
	/* ORDER_ROW_REFUND: the commission taken back in total.  Ignored on
	 * state rows: a state row's commission is already net of adjustments. */
	int64_t refunded;
	const char *raw;    /* optional: the union's own row (not owned) */
};

const char *order_status_name(enum order_status s);
bool order_status_parse(const char *s, enum order_status *out);
bool order_union_valid(const char *u);

/* Checks a row's own consistency (required fields, ranges, settled_at when
 * settled).  err names the field. */
enum tk_rc order_row_validate(const struct order_row *row, struct tk_error *err);

/* The key suffix of a head row's item (docs/promotion-head.md): the
 * investment-promotion head's service fee on another channel's sale, kept
 * apart from the same order line's own-commission row.  Such an item is
 * not the platform's sale: the reports leave it out. */
#define ORDER_HEAD_SUFFIX "#head"
bool order_item_is_head(const char *item);

/* Makes r the head's row: its key gets ORDER_HEAD_SUFFIX, a state row's
 * commission becomes its service_fee (the commission 0), its tags and
 * channel are dropped.  False, with r unchanged, when the key would not
 * fit. */
bool order_row_make_head(struct order_row *r);

/* Whether an item in this state earns its commission: paid, received or
 * settled (not yet paid, or invalid: nothing). */
bool order_earns(enum order_status s);

/* The commission an item earns on: the union's figure less what refund
 * records took back, never below zero. */
int64_t order_net_commission(int64_t commission, int64_t refunded);

/* Where one participant's share of an item stands. */
enum bucket { BUCKET_NONE, BUCKET_PENDING, BUCKET_FROZEN, BUCKET_AVAILABLE };

/* The money position of one item: one slot per chain member and the
 * platform's share.  Slot amounts are always >= 0. */
struct item_money {
	int n;
	int64_t member[PLAN_MAX_TIERS];
	int64_t amount[PLAN_MAX_TIERS];
	enum bucket bucket[PLAN_MAX_TIERS];
	int64_t platform;
	int64_t due_at; /* frozen money becomes available at this time; 0 if none */
};

/* Whether a money position is one an item can hold: 0..PLAN_MAX_TIERS
 * slots, each share and the platform's never negative (a refund takes a
 * share to zero; a clawback is a negative balance, never a negative
 * slot), a valid bucket, due_at not negative.  Asserted where a position
 * is written and where it is read back. */
bool item_money_valid(const struct item_money *m);

/* What a stored item makes of an incoming row. */
enum order_verdict {
	ORDER_APPLY, /* newer: apply it */
	ORDER_STALE, /* older than, or as old as, what is stored: change nothing */
};

/* A row applies only when strictly newer than the stored modification time;
 * a row equal in time but different in content loses to the stored one
 * unless its status ranks later (so that the result does not depend on the
 * order in which two same-time rows arrive). */
enum order_verdict order_decide(int64_t stored_modified_at, enum order_status stored_status,
				int64_t stored_commission, const struct order_row *row);

/* The position an item must reach for a state: splits of the commission in
 * pending (paid, received), in frozen until settled_at + hold_days
 * (settled), or nothing (unpaid, invalid).  Money already released to
 * available stays in available and is adjusted there (a clawback when it
 * shrinks).  cur is the current position (all zero for a new item). */
void order_target(const struct plan *p, const struct plan_chain *chain,
		  enum order_status status, int64_t commission, int64_t settled_at,
		  const struct item_money *cur, struct item_money *target,
		  struct plan_split *split);

const char *bucket_name(enum bucket b);

#endif

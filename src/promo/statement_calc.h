/* statement_calc.h — the pure arithmetic and rules of a merchant's monthly
 * statement: what one campaign order adds to the figures, the states and
 * their moves, months and their Beijing bounds, and the differences
 * between the figures as sent and as they are now.  No I/O: the store
 * reads the orders, statements.c owns the transactions. */
#ifndef TK_PROMO_STATEMENT_CALC_H
#define TK_PROMO_STATEMENT_CALC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The figures of a line (a campaign product), a campaign or a statement;
 * every amount fen, counts of campaign orders. */
struct stmt_figures {
	int64_t orders;         /* items now paid, received or settled */
	int64_t gmv;            /* their amount */
	int64_t commission;     /* Σ floor(amount × commission_pm / 1000) */
	int64_t fee;            /* Σ campaign_orders.fee of those orders */
	int64_t fee_settled;    /* ... of them in bucket 2 (the union settled) */
	int64_t fee_estimated;  /* ... in bucket 1 (estimated) */
	int64_t refunds;        /* orders invalid after paid, or refunded > 0 */
	int64_t refund_gmv;     /* the GMV those refunds took back */
	int64_t refund_fee;     /* floor(refund_gmv × service_pm / 1000) per order */
};

/* What of one campaign order the figures read. */
struct stmt_order_terms {
	int status;             /* enum order_status */
	int64_t paid_at;
	int64_t amount;         /* fen, >= 0 */
	int64_t commission;     /* the union's commission, fen */
	int64_t refunded;       /* commission taken back by refund records, fen */
	int64_t commission_pm;  /* the campaign product's rate to the channels, 0..1000 */
	int64_t service_pm;     /* the agreed service fee rate, 0..1000 */
	int64_t fee;            /* campaign_orders.fee */
	int64_t fee_bucket;     /* 0 none, 1 estimated, 2 settled */
};

/* floor(amount × pm / 1000) for amount >= 0 and 0 <= pm <= 1000, exact for
 * every int64 amount. */
int64_t stmt_per_mille(int64_t amount, int64_t pm);
/* The GMV a refunded order took back: all of an order now invalid after it
 * was paid; of a live order with refund records, the share of its amount
 * that what they took back is of the union's commission — on a head row
 * (commission 0) of its service fee before the refunds, fee + refunded —
 * floored, and all of it when that base is 0 or wholly taken back; 0 for
 * any other order. */
int64_t stmt_refund_gmv(const struct stmt_order_terms *o);
/* Adds one campaign order to f. */
void stmt_figures_add_order(struct stmt_figures *f, const struct stmt_order_terms *o);
void stmt_figures_add(struct stmt_figures *to, const struct stmt_figures *f);
/* The figures as a JSON object's members set into obj. */
void stmt_figures_json(json_t *obj, const struct stmt_figures *f);

/* ---- states ---- */
enum stmt_state { STMT_DRAFT, STMT_SENT, STMT_CONFIRMED, STMT_INVOICED };
enum stmt_move { STMT_SEND, STMT_CONFIRM, STMT_INVOICE, STMT_REOPEN };

const char *stmt_state_name(enum stmt_state s);
bool stmt_state_parse(const char *s, enum stmt_state *out);
const char *stmt_move_name(enum stmt_move m);
bool stmt_move_parse(const char *s, enum stmt_move *out);
/* The state a move leads to from `from`: draft → sent (send), sent →
 * confirmed (confirm), confirmed → invoiced (invoice), sent → draft
 * (reopen, before confirmation).  False for any other move. */
bool stmt_move_to(enum stmt_state from, enum stmt_move m, enum stmt_state *to);

/* ---- months ---- */
/* "YYYYMM" (or "YYYY-MM"), years 2000..2099, months 01..12. */
bool stmt_month_parse(const char *s, int64_t *month);
/* [from, to) in unix seconds: the month at Beijing time (UTC+8). */
void stmt_month_bounds(int64_t month, int64_t *from, int64_t *to);

/* ---- changes since sent ---- */
/* The differences between two figures documents ({lines, totals,
 * slot_fees} as statements.c builds them): an array of {what, sent, now}
 * with `what` "totals.<figure>", "line <campaign>/<product>.<figure>",
 * "line <campaign>/<product>" (sent or now null when the line is absent on
 * that side), or "slot_fees" (their count); empty when nothing differs.
 * New reference; NULL when out of memory. */
json_t *stmt_figures_diff(const json_t *sent, const json_t *now);

#endif

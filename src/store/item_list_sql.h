/* item_list_sql.h — the one SELECT behind item_list, written once for both
 * backends: the filters a query sets become its WHERE, the sort its ORDER
 * BY, and the values its numbered parameters (?N for SQLite, $N for
 * PostgreSQL), so that the twins cannot drift apart. */
#ifndef TK_ITEM_LIST_SQL_H
#define TK_ITEM_LIST_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/textbuf.h"
#include "store/server_store.h"

#define ITEM_LIST_SQL_MAX 4096
#define ITEM_LIST_PARAMS_MAX 16

/* A parameter: text when s is set, else the integer v. */
struct item_list_param {
	const char *s;
	int64_t v;
};

/* Columns of each row, in this order: id, union_, item_key, order_no,
 * product, title, channel, sharer's ext (NULL when none), status,
 * attribution, paid_at, amount, commission, n_chain, m1, a1, m2, a2, m3,
 * a3, the sort key. */
enum {
	ILC_ID, ILC_UNION, ILC_ITEM, ILC_ORDER, ILC_PRODUCT, ILC_TITLE, ILC_CHANNEL, ILC_SHARER,
	ILC_STATUS, ILC_ATTRIBUTION, ILC_PAID_AT, ILC_AMOUNT, ILC_COMMISSION, ILC_N_CHAIN,
	ILC_M1, ILC_A1, ILC_M2, ILC_A2, ILC_M3, ILC_A3, ILC_KEY
};

/* Writes q's statement into sql (freed by the caller) and its parameters
 * into p (*n of them; the texts point into q).  False when out of memory. */
bool item_list_sql(const struct item_query *q, bool pg, struct textbuf *sql,
		   struct item_list_param p[ITEM_LIST_PARAMS_MAX], int *n);

/* The same for item_totals: one row of count, sum(amount),
 * sum(commission), sum(share), over q's filters (no cursor, no order). */
bool item_totals_sql(const struct item_query *q, bool pg, struct textbuf *sql,
		     struct item_list_param p[ITEM_LIST_PARAMS_MAX], int *n);

#endif

/* statement_figures.h — inside the statements module: the figures of a
 * merchant's month read from the store (in the caller's transaction) and
 * a statement's document, shared by statements.c and the exports. */
#ifndef TK_PROMO_STATEMENT_FIGURES_H
#define TK_PROMO_STATEMENT_FIGURES_H

#include <jansson.h>

#include "promo/statement_calc.h"
#include "store/statement_store.h"

/* {lines, campaigns, slot_fees, totals} of merchant's month now; *n_orders
 * (may be NULL) the campaign orders read. */
enum tk_rc stmt_figures_build(struct store *st, int64_t merchant, int64_t month, json_t **out,
			      int64_t *n_orders, struct tk_error *err);
/* The statement r as statements_show shows it. */
enum tk_rc stmt_doc_of(struct store *st, const struct statement_rec *r, json_t **out,
		       int64_t *n_orders, struct tk_error *err);
/* What of a campaign order the arithmetic reads. */
void stmt_terms_of(const struct statement_order *o, struct stmt_order_terms *t);

#endif

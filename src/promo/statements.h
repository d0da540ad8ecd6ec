/* statements.h — the investment-promotion head's monthly statements per
 * merchant: generating drafts for a month, reading one with its figures
 * (computed live for a draft, the frozen snapshot once sent, and what
 * changed since), listing, the state moves (each one transaction with its
 * action-log entry) and the CSV / XLSX exports.  The API and the command
 * line call these and only format the answers. */
#ifndef TK_PROMO_STATEMENTS_H
#define TK_PROMO_STATEMENTS_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "promo/statement_calc.h"
#include "store/statement_store.h"

#define STMT_LIST_MAX 100              /* statements of one page */
#define STMT_INVOICE_LIMIT 64          /* bytes of an invoice number */
#define STMT_REASON_LIMIT 500          /* bytes of a reopening's reason */
#define STMT_EXPORT_ORDERS_MAX 100000  /* campaign orders one export holds at most */

enum stmt_format { STMT_CSV, STMT_XLSX };
enum stmt_lang { STMT_ZH, STMT_EN };

/* Parses "csv"/"xlsx" and "zh-CN"/"en" (keyed TK_EINVAL naming field). */
enum tk_rc statements_format_parse(const char *s, enum stmt_format *out, struct tk_error *err);
enum tk_rc statements_lang_parse(const char *s, enum stmt_lang *out, struct tk_error *err);
/* A month from outside, "YYYYMM" or "YYYY-MM" (keyed TK_EINVAL). */
enum tk_rc statements_month_parse(const char *s, int64_t *month, struct tk_error *err);

/* Makes the drafts of `month`: for merchant (0: every merchant with a
 * campaign order in the month or a slot fee booked in it, not waived).
 * One transaction; existing statements are left as they are.  *out is
 * {month, created: [ids], existing: [ids]}. */
enum tk_rc statements_generate(struct store *st, int64_t month, int64_t merchant, int64_t now,
			       json_t **out, struct tk_error *err);

/* One statement with its lines, campaigns, totals and slot fees (a
 * draft's computed now, a sent one's as sent) and changed_since_sent. */
enum tk_rc statements_show(struct store *st, int64_t id, json_t **out, struct tk_error *err);

/* A page of statements (f->limit 1..STMT_LIST_MAX): {statements: [...],
 * next_before} newest first, without their figures. */
enum tk_rc statements_list(struct store *st, const struct statement_filter *f, json_t **out,
			   struct tk_error *err);

/* Moves statement id by m: send freezes the figures, reopen (arg: the
 * reason, 1..STMT_REASON_LIMIT bytes) thaws them, invoice needs arg as the
 * invoice number (1..STMT_INVOICE_LIMIT bytes).  Refused with
 * statement.illegal_move when m does not lead anywhere from the state.
 * *out the statement as statements_show shows it. */
enum tk_rc statements_move(struct store *st, int64_t id, enum stmt_move m, const char *arg,
			   int64_t now, json_t **out, struct tk_error *err);

/* The statement as a file: *data (malloc'd, *len bytes), its name in
 * name ("statement-<merchant>-<YYYYMM>.csv|xlsx") and its content type.
 * statement.export_too_large beyond STMT_EXPORT_ORDERS_MAX orders. */
enum tk_rc statements_export(struct store *st, int64_t id, enum stmt_format f, enum stmt_lang lang,
			     char **data, size_t *len, char name[64], const char **content_type,
			     struct tk_error *err);

#endif

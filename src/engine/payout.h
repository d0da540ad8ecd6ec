/* payout.h — the payout file: the approved withdrawals not yet paid, as
 * the file the operator uploads to the payment channel (Alipay's batch
 * transfer template, a bank's batch payment template) or a plain CSV.
 * Shared by `tuike withdraw export` and GET /api/v1/payout.csv. */
#ifndef TK_PAYOUT_H
#define TK_PAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct engine;

enum payout_format {
	PAYOUT_PLAIN,  /* every approved withdrawal, every column; UTF-8 with a BOM */
	PAYOUT_ALIPAY, /* the method-alipay ones in Alipay's 批量转账 template; GBK */
	PAYOUT_BANK,   /* the method-bank ones in a bank batch payment template; GBK */
};

#define PAYOUT_ROWS_MAX 100000       /* withdrawals in one file */
#define PAYOUT_FILE_MAX (64u << 20)  /* bytes of one file */

struct payout_file {
	char *text;               /* malloc'd, len bytes (not NUL-free: a BOM, GBK) */
	size_t len;
	size_t rows;              /* withdrawals in the file */
	size_t held;              /* approved ones left out: their member owes money */
	int64_t total_net;        /* fen the rows pay */
	const char *content_type; /* "text/csv; charset=..." */
	char filename[64];        /* payout-FORMAT-YYYYMMDD.csv (Beijing date) */
};

/* "plain", "alipay" or "bank". */
bool payout_format_parse(const char *s, enum payout_format *f);
const char *payout_format_name(enum payout_format f);

/* The payout file of format f as of now (unix seconds): the approved
 * withdrawals, oldest first, read in one read transaction; those of the
 * format's method only for alipay and bank.  An approved withdrawal whose
 * member owes money after a clawback is left out (it can't be marked paid)
 * and counted in held.  Every text from outside is written through
 * csv_cell_append (formula starters prefixed with '), every amount as
 * exact yuan from fen.  TK_ELIMIT beyond PAYOUT_ROWS_MAX or
 * PAYOUT_FILE_MAX; TK_EINVAL naming the withdrawal when a GBK file can't
 * hold a character of its text.  On success *out owns text. */
enum tk_rc engine_payout_file(struct engine *e, enum payout_format f, int64_t now,
			      struct payout_file *out, struct tk_error *err);
void payout_file_free(struct payout_file *p);

#endif

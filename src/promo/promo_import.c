/* promo_import.c — a merchant's product sheet into a campaign
 * (promo_items_import in promo_registry.h): CSV read with the one line
 * reader, every row checked as promo_item_put checks one product, then all
 * written in one transaction — or none, with the first error naming file,
 * line, field and value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "input/line_reader.h"
#include "promo/promo_registry.h"

#define SHEET_LINE_MAX (16 * 1024) /* bytes of one row */
#define SHEET_COLS 8

static const char *const columns[SHEET_COLS] = {
	"product",	       "title",		     "category",  "price_fen",
	"commission_permille", "service_fee_permille", "coupon_fen", "coupon_url",
};
enum { C_PRODUCT, C_TITLE, C_CATEGORY, C_PRICE, C_COMMISSION, C_SERVICE, C_COUPON, C_URL };

#define CELLS_MAX 32

/* Splits one CSV line into cells (RFC 4180 quoting within the line; a
 * quoted cell may not span lines).  The cells point into buf, which
 * receives the unquoted text.  False for a stray quote or too many cells. */
static bool split(const char *line, char *buf, char **cells, int *n)
{
	const char *p = line;
	char *o = buf;
	*n = 0;
	for (;;) {
		if (*n == CELLS_MAX)
			return false;
		cells[(*n)++] = o;
		if (*p == '"') {
			for (p++;; p++) {
				if (!*p)
					return false;
				if (*p == '"' && p[1] == '"')
					*o++ = *p++;
				else if (*p == '"')
					break;
				else
					*o++ = *p;
			}
			p++;
			if (*p && *p != ',')
				return false;
		} else {
			for (; *p && *p != ','; p++) {
				if (*p == '"')
					return false;
				*o++ = *p;
			}
		}
		*o++ = '\0';
		if (!*p)
			return true;
		p++; /* the comma */
	}
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != ',')
			return false;
	return true;
}

/* An integer of fen in a cell ("" is 0); false when it is not digits. */
static bool fen_cell(const char *s, int64_t *v)
{
	*v = 0;
	if (strlen(s) > 12)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		*v = *v * 10 + (*s - '0');
	}
	return true;
}

/* The checked rows: the products as the store writes them, and the line
 * each came from (for errors). */
struct sheet {
	struct campaign_item_rec *items;
	long *lines;
	size_t n, cap;
};

static void sheet_free(struct sheet *sh)
{
	free(sh->items);
	free(sh->lines);
}

struct product_line {
	const char *product;
	long line;
};

static int row_cmp(const void *a, const void *b)
{
	const struct product_line *x = a, *y = b;
	int c = strcmp(x->product, y->product);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Reads and checks the whole sheet into sh (the caller frees it, error or not). */
static enum tk_rc read_sheet(FILE *in, const char *file, struct sheet *sh, struct tk_error *err)
{
	struct line_reader lr;
	enum tk_rc rc = TK_OK;
	int map[SHEET_COLS];
	bool header = false;
	char *buf = malloc(SHEET_LINE_MAX + 1);
	memset(sh, 0, sizeof(*sh));
	if (!buf)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	line_reader_init(&lr, in, file, SHEET_LINE_MAX);
	for (;;) {
		enum line_got got = line_reader_next(&lr, err);
		if (got == LINE_END)
			break;
		if (got != LINE_GOT) {
			rc = err->rc ? err->rc : TK_EINVAL;
			break;
		}
		const char *s = lr.s;
		if (lr.lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3; /* a spreadsheet's byte order mark */
		if (blank(s))
			continue;
		char *cells[CELLS_MAX];
		int nc;
		if (!split(s, buf, cells, &nc)) {
			rc = tk_fail_key(err, TK_EINVAL, "", "promo.sheet_csv",
					 "not a CSV row (a stray quote or more than %d cells)",
					 CELLS_MAX);
			tk_error_where(err, file, lr.lineno);
			break;
		}
		if (!header) {
			for (int c = 0; c < SHEET_COLS; c++) {
				map[c] = -1;
				for (int k = 0; k < nc; k++)
					if (strcmp(cells[k], columns[c]) == 0)
						map[c] = k;
			}
			for (int c = C_PRODUCT; c <= C_SERVICE && !rc; c++)
				if ((c == C_PRODUCT || c == C_COMMISSION || c == C_SERVICE) &&
				    map[c] < 0) {
					rc = tk_fail_key(err, TK_EINVAL, columns[c],
							 "promo.sheet_column",
							 "the header has no column %s", columns[c]);
					tk_error_str(err, "column", columns[c]);
					tk_error_where(err, file, lr.lineno);
				}
			if (rc)
				break;
			header = true;
			continue;
		}
		if (sh->n == PROMO_SHEET_ROWS_MAX) {
			rc = tk_fail_key(err, TK_ELIMIT, "", "promo.sheet_rows",
					 "a sheet has at most %d rows", PROMO_SHEET_ROWS_MAX);
			tk_error_int(err, "max", PROMO_SHEET_ROWS_MAX);
			tk_error_where(err, file, lr.lineno);
			break;
		}
		const char *v[SHEET_COLS];
		for (int c = 0; c < SHEET_COLS; c++)
			v[c] = map[c] >= 0 && map[c] < nc ? cells[map[c]] : "";
		struct promo_item_req r = {
			.product = v[C_PRODUCT], .title = v[C_TITLE], .category = v[C_CATEGORY],
			.coupon_url = v[C_URL], .commission = v[C_COMMISSION], .service = v[C_SERVICE],
		};
		const char *bad = !fen_cell(v[C_PRICE], &r.price)     ? "price_fen"
				  : !fen_cell(v[C_COUPON], &r.coupon) ? "coupon_fen"
								      : NULL;
		if (bad) {
			const char *value = bad[0] == 'p' ? v[C_PRICE] : v[C_COUPON];
			rc = tk_fail_key(err, TK_EINVAL, bad, "promo.sheet_integer",
					 "must be an integer of fen, got \"%.40s\"", value);
			tk_error_str(err, "value", value);
			tk_error_where(err, file, lr.lineno);
			break;
		}
		if (sh->n == sh->cap) {
			size_t cap = sh->cap ? 2 * sh->cap : 64;
			struct campaign_item_rec *g = realloc(sh->items, cap * sizeof(*g));
			if (g)
				sh->items = g;
			long *l = g ? realloc(sh->lines, cap * sizeof(*l)) : NULL;
			if (!l) {
				rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
				break;
			}
			sh->lines = l;
			sh->cap = cap;
		}
		sh->lines[sh->n] = lr.lineno;
		if ((rc = promo_item_check(&r, &sh->items[sh->n], err))) {
			tk_error_where(err, file, lr.lineno);
			break;
		}
		sh->n++;
	}
	line_reader_free(&lr);
	free(buf);
	if (!rc && !header)
		rc = tk_fail_key(err, TK_EINVAL, "", "promo.sheet_empty",
				 "the sheet has no header row");
	return rc;
}

/* A product named twice is a mistake in the sheet, not a silent overwrite. */
static enum tk_rc duplicates(const struct sheet *sh, const char *file, struct tk_error *err)
{
	size_t n = sh->n;
	struct product_line *by = malloc((n ? n : 1) * sizeof(*by));
	if (!by)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < n; i++)
		by[i] = (struct product_line){sh->items[i].product, sh->lines[i]};
	qsort(by, n, sizeof(*by), row_cmp);
	enum tk_rc rc = TK_OK;
	for (size_t i = 1; i < n && !rc; i++)
		if (strcmp(by[i].product, by[i - 1].product) == 0) {
			rc = tk_fail_key(err, TK_EINVAL, "product", "promo.sheet_duplicate",
					 "product %s is on line %ld already", by[i].product,
					 by[i - 1].line);
			tk_error_str(err, "value", by[i].product);
			tk_error_int(err, "first_line", by[i - 1].line);
			tk_error_where(err, file, by[i].line);
		}
	free(by);
	return rc;
}

enum tk_rc promo_items_import(struct store *st, int64_t campaign, FILE *in, const char *file,
			      int64_t now, int64_t *added, int64_t *changed, struct tk_error *err)
{
	struct sheet sh;
	enum tk_rc rc;
	*added = *changed = 0;
	if (!st->promo)
		return tk_fail(err, TK_EINVAL, "campaign", "this store keeps no registry");
	if ((rc = read_sheet(in, file, &sh, err)) || (rc = duplicates(&sh, file, err)) ||
	    (rc = st->ops->tx_begin(st, err))) {
		sheet_free(&sh);
		return rc;
	}
	struct campaign_rec *c = malloc(sizeof(*c));
	if (!c)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!rc && !(rc = st->promo->campaign_get(st, campaign, c, err)) &&
	    strcmp(c->status, "ended") == 0) {
		tk_fail_key(err, TK_ECONFLICT, "campaign", "promo.campaign_ended",
			    "campaign %lld has ended", (long long)campaign);
		tk_error_int(err, "campaign", (long long)campaign);
		rc = TK_ECONFLICT;
	}
	if (!rc && sh.n) {
		for (size_t i = 0; i < sh.n; i++)
			sh.items[i].campaign = campaign;
		if (!(rc = st->promo->item_upsert_many(st, sh.items, sh.n, now, added, err)))
			*changed = (int64_t)sh.n - *added;
	}
	if (!rc) {
		char subject[ACTION_SUBJECT_MAX];
		snprintf(subject, sizeof(subject), "campaign:%lld", (long long)campaign);
		json_t *a = json_pack("{s:s, s:I, s:I}", "file", file, "added", (json_int_t)*added,
				      "changed", (json_int_t)*changed);
		rc = actions_record(st, now, "campaign.items_import", subject, NULL, a, err);
		json_decref(a);
	}
	free(c);
	sheet_free(&sh);
	rc = store_tx_end(st, rc, err);
	if (rc)
		*added = *changed = 0;
	return rc;
}

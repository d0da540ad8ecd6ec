/* payout.c — the payout file of the approved withdrawals (payout.h).  The
 * rows come from the store in one read transaction; the text of members
 * (account, payee, member id) goes through the one guarded CSV cell writer,
 * so a spreadsheet never runs it; the channel's templates are converted to
 * GBK, which their upload pages read. */
#include "engine/payout.h"

#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_cell.h"
#include "core/money.h"
#include "core/textbuf.h"
#include "core/tktime.h"
#include "engine/engine_internal.h"
#include "store/server_store.h"

bool payout_format_parse(const char *s, enum payout_format *f)
{
	static const enum payout_format all[] = {PAYOUT_PLAIN, PAYOUT_ALIPAY, PAYOUT_BANK};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, payout_format_name(all[i])) == 0) {
			*f = all[i];
			return true;
		}
	return false;
}

const char *payout_format_name(enum payout_format f)
{
	switch (f) {
	case PAYOUT_PLAIN: return "plain";
	case PAYOUT_ALIPAY: return "alipay";
	case PAYOUT_BANK: return "bank";
	}
	return "plain";
}

/* The templates' header lines, exactly as the channels' upload pages want
 * them (docs/security.md, "The payout file"): Alipay's batch transfer file
 * starts with its title line, then the column names. */
static const char ALIPAY_HEAD[] =
	"支付宝批量付款文件模板\r\n"
	"序号（必填）,收款方支付宝账号（必填）,收款方姓名（必填）,金额（必填，单位：元）,备注（选填）\r\n";
static const char BANK_HEAD[] = "收款方名称,收款方账号,收款方开户行名称,收款行联行号,金额,附言/用途\r\n";
static const char PLAIN_HEAD[] = "withdrawal_id,member,payee_name,method,account,amount_yuan,"
				 "fee_yuan,net_yuan,status,requested_at,approved_at\r\n";
static const char BOM[] = "\xEF\xBB\xBF";

/* What the file needs of a withdrawal: the record less its rejection
 * reason, which an approved one has none of (up to PAYOUT_ROWS_MAX are
 * held at once, so the 800 bytes a reason may take are left behind). */
struct payout_wd {
	int64_t id, member, amount, fee, requested_at, decided_at;
	enum wd_status status;
	char method[WD_METHOD_MAX];
	char account[WD_ACCOUNT_MAX];
	char payee[WD_PAYEE_MAX];
	char bank[WD_BANK_MAX];
	char branch[WD_BANK_MAX];
};

struct payout_row {
	struct payout_wd w;
	char ext[ORDER_KEY_MAX];
};

struct collect {
	struct payout_row *rows;
	size_t n, cap;
	int64_t last;   /* the page's last id: the next page's cursor */
	int on_page;
	enum tk_rc rc;
	struct tk_error *err;
};

static bool collect_row(void *ctx, const struct withdrawal_rec *w, const char *member_ext,
			const char *member_name)
{
	(void)member_name; /* the payee's name comes from the withdrawal, else the member's */
	struct collect *c = ctx;
	c->last = w->id;
	c->on_page++;
	if (c->n == PAYOUT_ROWS_MAX) {
		c->rc = tk_fail(c->err, TK_ELIMIT, "withdrawals",
				"more than %d approved withdrawals: mark some paid first",
				PAYOUT_ROWS_MAX);
		return false;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct payout_row *r = realloc(c->rows, cap * sizeof(*r));
		if (!r) {
			c->rc = tk_fail(c->err, TK_ENOMEM, "", "out of memory");
			return false;
		}
		c->rows = r;
		c->cap = cap;
	}
	struct payout_wd *d = &c->rows[c->n].w;
	assert(w->status == WD_APPROVED);
	*d = (struct payout_wd){.id = w->id, .member = w->member, .amount = w->amount,
				.fee = w->fee, .requested_at = w->requested_at,
				.decided_at = w->decided_at, .status = w->status};
	snprintf(d->method, sizeof(d->method), "%s", w->method);
	snprintf(d->account, sizeof(d->account), "%s", w->account);
	snprintf(d->payee, sizeof(d->payee), "%s", w->payee);
	snprintf(d->bank, sizeof(d->bank), "%s", w->bank);
	snprintf(d->branch, sizeof(d->branch), "%s", w->branch);
	snprintf(c->rows[c->n].ext, sizeof(c->rows[c->n].ext), "%s", member_ext);
	c->n++;
	return true;
}

/* The approved withdrawals, newest first as the store pages them. */
static enum tk_rc read_approved(struct engine *e, struct collect *c)
{
	enum { PAGE = 500 };
	int64_t before = 0;
	enum tk_rc rc;
	do {
		c->on_page = 0;
		if ((rc = e->st->server->withdrawal_page(e->st, 0, WD_APPROVED, 0, 0, before, PAGE,
							 collect_row, c, c->err)) ||
		    (rc = c->rc))
			return rc;
		before = c->last;
	} while (c->on_page == PAGE);
	return TK_OK;
}

struct out {
	struct textbuf b;
	bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (!o->failed && !textbuf_append(&o->b, s, n, PAYOUT_FILE_MAX))
		o->failed = true;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Outside text: guarded (formula starters get a '), quoted when it must
 * be, or always in the plain file. */
static void text(struct out *o, const char *s, bool always_quote)
{
	if (!o->failed && !csv_cell_append(&o->b, s, always_quote, PAYOUT_FILE_MAX))
		o->failed = true;
}

/* Our own figures: never guarded, never quoted. */
static void yuan(struct out *o, int64_t fen)
{
	char buf[MONEY_YUAN_BUF];
	puts_(o, money_format_yuan(fen, buf));
}

static void num(struct out *o, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	puts_(o, buf);
}

static void when(struct out *o, int64_t t)
{
	char buf[TKTIME_BUF];
	if (t > 0)
		puts_(o, tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf));
}

/* One withdrawal's row, in UTF-8. */
static void row(struct out *o, enum payout_format f, size_t seq, const struct payout_row *r,
		const char *payee)
{
	const struct payout_wd *w = &r->w;
	char memo[64];
	snprintf(memo, sizeof(memo), "提现单 %lld", (long long)w->id);
	switch (f) {
	case PAYOUT_ALIPAY:
		num(o, (int64_t)seq), puts_(o, ",");
		text(o, w->account, false), puts_(o, ",");
		text(o, payee, false), puts_(o, ",");
		yuan(o, w->amount - w->fee), puts_(o, ",");
		text(o, memo, false);
		break;
	case PAYOUT_BANK: {
		/* the opening bank as the template names it: the bank and its
		 * branch (招商银行 深圳科技园支行); the bank's clearing number is
		 * not asked of members (their bank's site finds it by the name) */
		char opened[2 * WD_BANK_MAX];
		snprintf(opened, sizeof(opened), "%s%s%s", w->bank, w->bank[0] && w->branch[0] ? " " : "",
			 w->branch);
		text(o, payee, false), puts_(o, ",");
		text(o, w->account, false), puts_(o, ",");
		text(o, opened, false), puts_(o, ",,");
		yuan(o, w->amount - w->fee), puts_(o, ",");
		text(o, memo, false);
		break;
	}
	case PAYOUT_PLAIN:
		num(o, w->id), puts_(o, ",");
		text(o, r->ext, true), puts_(o, ",");
		text(o, payee, true), puts_(o, ",");
		text(o, w->method, true), puts_(o, ",");
		text(o, w->account, true), puts_(o, ",");
		yuan(o, w->amount), puts_(o, ",");
		yuan(o, w->fee), puts_(o, ",");
		yuan(o, w->amount - w->fee), puts_(o, ",");
		text(o, wd_status_name(w->status), true), puts_(o, ",");
		when(o, w->requested_at), puts_(o, ",");
		when(o, w->decided_at);
		break;
	}
	puts_(o, "\r\n");
}

/* Appends the UTF-8 text s (n bytes) to o converted to GBK.  False with
 * *bad set when s holds a character GBK has not. */
static bool put_gbk(struct out *o, iconv_t cd, const char *s, size_t n, bool *bad)
{
	char chunk[4096];
	char *in = (char *)s;
	size_t left = n;
	*bad = false;
	iconv(cd, NULL, NULL, NULL, NULL);
	while (left > 0 && !o->failed) {
		char *to = chunk;
		size_t room = sizeof(chunk);
		size_t r = iconv(cd, &in, &left, &to, &room);
		put(o, chunk, (size_t)(to - chunk));
		if (r == (size_t)-1 && errno != E2BIG) {
			*bad = true;
			return false;
		}
	}
	return !o->failed;
}

static void name_file(struct payout_file *p, enum payout_format f, int64_t now)
{
	int y, m, d;
	tktime_civil_from_days(tktime_day(now, TKTIME_BEIJING_OFFSET), &y, &m, &d);
	snprintf(p->filename, sizeof(p->filename), "payout-%s-%04d%02d%02d.csv",
		 payout_format_name(f), y, m, d);
}

enum tk_rc engine_payout_file(struct engine *e, enum payout_format f, int64_t now,
			      struct payout_file *out, struct tk_error *err)
{
	struct collect c = {.err = err};
	struct out o = {0}, line = {0};
	iconv_t cd = (iconv_t)-1;
	bool gbk = f != PAYOUT_PLAIN;
	enum tk_rc rc;
	memset(out, 0, sizeof(*out));
	if ((rc = engine_read_begin(e, err)))
		return rc;
	if ((rc = read_approved(e, &c)))
		goto out;
	if (gbk && (cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1) {
		rc = tk_fail(err, TK_EIO, "format", "this system can't write GBK (iconv: %s)",
			     strerror(errno));
		goto out;
	}
	puts_(&o, f == PAYOUT_ALIPAY ? ALIPAY_HEAD : f == PAYOUT_BANK ? BANK_HEAD : PLAIN_HEAD);
	if (!gbk) { /* Excel reads a UTF-8 CSV as UTF-8 only after a BOM */
		struct out b = {0};
		put(&b, BOM, 3);
		put(&b, o.b.s, o.b.len);
		textbuf_free(&o.b);
		o = b;
	} else {
		bool bad;
		struct out g = {0};
		put_gbk(&g, cd, o.b.s, o.b.len, &bad);
		textbuf_free(&o.b);
		o = g;
	}
	for (size_t i = c.n; i-- > 0 && !o.failed;) { /* oldest first */
		const struct payout_row *r = &c.rows[i];
		const char *want = f == PAYOUT_ALIPAY ? "alipay" : f == PAYOUT_BANK ? "bank" : NULL;
		int64_t available;
		bool blocked;
		struct member_rec m;
		if (want && strcmp(r->w.method, want) != 0)
			continue;
		/* held while its member owes (engine_withdraw_standing's rule) */
		if ((rc = e->st->ops->balance_get(e->st, ACCOUNT(r->w.member, ACCT_AVAILABLE),
						  &available, err)))
			goto out;
		blocked = wd_blocked(r->w.status, available);
		if (blocked) {
			out->held++;
			continue;
		}
		const char *payee = r->w.payee;
		if (!payee[0]) {
			if ((rc = e->st->ops->member_get_id(e->st, r->w.member, &m, err)))
				goto out;
			payee = m.name;
		}
		line.b.len = 0;
		row(&line, f, out->rows + 1, r, payee);
		if (line.failed) {
			o.failed = true;
			break;
		}
		if (gbk) {
			bool bad;
			if (!put_gbk(&o, cd, line.b.s, line.b.len, &bad) && bad) {
				rc = tk_fail(err, TK_EINVAL, "withdrawal",
					     "withdrawal %lld of member %s: its payee, account or bank holds "
					     "a character a GBK file can't carry; use the plain format "
					     "or reject it",
					     (long long)r->w.id, r->ext);
				goto out;
			}
		} else {
			put(&o, line.b.s, line.b.len);
		}
		out->rows++;
		out->total_net += r->w.amount - r->w.fee;
	}
	if (o.failed) {
		rc = tk_fail(err, TK_ELIMIT, "withdrawals",
			     "the payout file would pass %u bytes (or memory ran out)",
			     PAYOUT_FILE_MAX);
		goto out;
	}
	out->text = o.b.s;
	out->len = o.b.len;
	o.b.s = NULL;
	out->content_type = gbk ? "text/csv; charset=GBK" : "text/csv; charset=utf-8";
	name_file(out, f, now);
out:
	e->st->ops->tx_rollback(e->st); /* a read: nothing to keep */
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	textbuf_free(&o.b);
	textbuf_free(&line.b);
	free(c.rows);
	if (rc) {
		size_t held = out->held;
		memset(out, 0, sizeof(*out));
		out->held = held;
	}
	return rc;
}

void payout_file_free(struct payout_file *p)
{
	free(p->text);
	p->text = NULL;
	p->len = 0;
}

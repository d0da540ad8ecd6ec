/* statement_export.c — a statement as a file: CSV (UTF-8 with a BOM so
 * that Excel reads it as UTF-8, RFC 4180 quoting through csv_cell, money
 * as yuan with two decimals formatted exactly from fen plus the fen
 * themselves) or XLSX written with libxlsxwriter (the statement sheet and
 * an orders sheet).  Headers in Chinese or English. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/csv_cell.h"
#include "core/money.h"
#include "core/order.h"
#include "core/textbuf.h"
#include "core/tktime.h"
#include "promo/statement_figures.h"
#include "promo/statements.h"

#define CSV_MAX (64u << 20) /* bytes of one CSV export */

/* [zh-CN, en] */
typedef const char *const label[2];

static const char *state_label(const char *state, enum stmt_lang l)
{
	static const struct {
		const char *state;
		label text;
	} names[] = {
		{"draft", {"草稿", "draft"}},
		{"sent", {"已发送", "sent"}},
		{"confirmed", {"已确认", "confirmed"}},
		{"invoiced", {"已开票", "invoiced"}},
		{"booked", {"待收", "outstanding"}},
		{"collected", {"已收", "collected"}},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].state, state) == 0)
			return names[i].text[l];
	return state;
}

static const char *status_label(int status, enum stmt_lang l)
{
	static label names[] = {{"未付款", "unpaid"},
				{"已付款", "paid"},
				{"已收货", "received"},
				{"已结算", "settled"},
				{"已失效", "invalid"}};
	return status >= 0 && status <= 4 ? names[status][l] : "?";
}

static int64_t fig(const json_t *o, const char *name)
{
	return (int64_t)json_integer_value(json_object_get(o, name));
}

static const char *str(const json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));
	return s ? s : "";
}

/* ---- CSV ---- */

struct csv {
	struct textbuf b;
	bool failed;
};

static void put(struct csv *c, const char *s)
{
	if (!c->failed && !textbuf_append(&c->b, s, strlen(s), CSV_MAX))
		c->failed = true;
}

static void cell(struct csv *c, const char *s, bool first)
{
	if (!first)
		put(c, ",");
	if (!c->failed && !csv_cell_append(&c->b, s, false, CSV_MAX))
		c->failed = true;
}

static void cell_int(struct csv *c, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), ",%lld", (long long)v);
	put(c, buf);
}

/* A money amount as two cells: yuan with two decimals, then fen. */
static void cell_money(struct csv *c, int64_t fen)
{
	char yuan[MONEY_YUAN_BUF];
	put(c, ",");
	put(c, money_format_yuan(fen, yuan));
	cell_int(c, fen);
}

static void empty(struct csv *c, int n)
{
	for (int i = 0; i < n; i++)
		put(c, ",");
}

static const label CSV_HEAD[] = {
	{"类型", "kind"},
	{"活动ID", "campaign"},
	{"活动名称", "campaign_name"},
	{"商品ID", "product"},
	{"商品标题", "title"},
	{"渠道", "channel"},
	{"状态", "state"},
	{"订单数", "orders"},
	{"成交额(元)", "gmv_yuan"},
	{"成交额(分)", "gmv_fen"},
	{"佣金(元)", "commission_yuan"},
	{"佣金(分)", "commission_fen"},
	{"服务费(元)", "service_fee_yuan"},
	{"服务费(分)", "service_fee_fen"},
	{"已结算服务费(分)", "service_fee_settled_fen"},
	{"预估服务费(分)", "service_fee_estimated_fen"},
	{"退款单数", "refunds"},
	{"退款成交额(元)", "refund_gmv_yuan"},
	{"退款成交额(分)", "refund_gmv_fen"},
	{"退回服务费(元)", "refund_service_fee_yuan"},
	{"退回服务费(分)", "refund_service_fee_fen"},
	{"坑位费(元)", "slot_fee_yuan"},
	{"坑位费(分)", "slot_fee_fen"},
};

static void csv_figures(struct csv *c, const json_t *o)
{
	cell_int(c, fig(o, "orders"));
	cell_money(c, fig(o, "gmv"));
	cell_money(c, fig(o, "commission"));
	cell_money(c, fig(o, "service_fee"));
	cell_int(c, fig(o, "service_fee_settled"));
	cell_int(c, fig(o, "service_fee_estimated"));
	cell_int(c, fig(o, "refunds"));
	cell_money(c, fig(o, "refund_gmv"));
	cell_money(c, fig(o, "refund_service_fee"));
}

static enum tk_rc csv_write(const json_t *doc, enum stmt_lang l, char **data, size_t *len,
			    struct tk_error *err)
{
	struct csv c = {0};
	char num[32];
	put(&c, "\xEF\xBB\xBF"); /* the BOM: Excel then reads UTF-8 */
	for (size_t i = 0; i < sizeof(CSV_HEAD) / sizeof(CSV_HEAD[0]); i++)
		cell(&c, CSV_HEAD[i][l], i == 0);
	put(&c, "\r\n");
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "lines"), i, o)
	{
		cell(&c, l == STMT_ZH ? "商品" : "line", true);
		snprintf(num, sizeof(num), "%lld", (long long)fig(o, "campaign"));
		cell(&c, num, false);
		cell(&c, str(o, "campaign_name"), false);
		cell(&c, str(o, "product"), false);
		cell(&c, str(o, "title"), false);
		empty(&c, 2);
		csv_figures(&c, o);
		empty(&c, 2);
		put(&c, "\r\n");
	}
	json_array_foreach(json_object_get(doc, "slot_fees"), i, o)
	{
		cell(&c, l == STMT_ZH ? "坑位费" : "slot_fee", true);
		snprintf(num, sizeof(num), "%lld", (long long)fig(o, "campaign"));
		cell(&c, num, false);
		cell(&c, str(o, "campaign_name"), false);
		empty(&c, 2);
		cell(&c, str(o, "channel_name"), false);
		cell(&c, state_label(str(o, "state"), l), false);
		empty(&c, 14);
		cell_money(&c, fig(o, "amount"));
		put(&c, "\r\n");
	}
	const json_t *t = json_object_get(doc, "totals");
	cell(&c, l == STMT_ZH ? "合计" : "total", true);
	empty(&c, 6);
	csv_figures(&c, t);
	cell_money(&c, fig(t, "slot_fee_collected") + fig(t, "slot_fee_outstanding"));
	put(&c, "\r\n");
	if (c.failed) {
		textbuf_free(&c.b);
		return tk_fail(err, TK_ELIMIT, "statement", "the CSV would pass %u bytes",
			       CSV_MAX);
	}
	*data = c.b.s;
	*len = c.b.len;
	return TK_OK;
}

/* ---- XLSX ---- */

struct xlsx {
	lxw_workbook *wb;
	lxw_worksheet *orders;
	lxw_format *money, *bold;
	enum stmt_lang l;
	lxw_row_t row;
};

/* A money cell: the amount is kept exactly in fen everywhere; this is the
 * one place a double appears, a display conversion of that exact integer
 * (fen / 100, exact to the cent for any amount below 2^53 fen) that the
 * spreadsheet shows with the ¥ #,##0.00 format. */
static void money_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int64_t fen, lxw_format *f)
{
	worksheet_write_number(ws, r, c, (double)fen / 100.0, f);
}

static void num_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int64_t v)
{
	worksheet_write_number(ws, r, c, (double)v, NULL);
}

static const label LINE_HEAD[] = {
	{"活动", "Campaign"},	  {"商品ID", "Product"},	     {"商品标题", "Title"},
	{"订单数", "Orders"},	  {"成交额", "GMV"},		     {"佣金", "Commission"},
	{"服务费", "Service fee"}, {"已结算服务费", "Service fee settled"},
	{"预估服务费", "Service fee estimated"},	 {"退款单数", "Refunds"},
	{"退款成交额", "Refunded GMV"},		 {"退回服务费", "Service fee taken back"},
};

static void xlsx_figures(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, const json_t *o)
{
	num_cell(ws, r, 3, fig(o, "orders"));
	money_cell(ws, r, 4, fig(o, "gmv"), x->money);
	money_cell(ws, r, 5, fig(o, "commission"), x->money);
	money_cell(ws, r, 6, fig(o, "service_fee"), x->money);
	money_cell(ws, r, 7, fig(o, "service_fee_settled"), x->money);
	money_cell(ws, r, 8, fig(o, "service_fee_estimated"), x->money);
	num_cell(ws, r, 9, fig(o, "refunds"));
	money_cell(ws, r, 10, fig(o, "refund_gmv"), x->money);
	money_cell(ws, r, 11, fig(o, "refund_service_fee"), x->money);
}

static void xlsx_statement(struct xlsx *x, const json_t *doc)
{
	enum stmt_lang l = x->l;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, l == STMT_ZH ? "对账单" : "Statement");
	char month[48];
	int64_t m = fig(doc, "month");
	snprintf(month, sizeof(month), "%04lld-%02lld", (long long)(m / 100), (long long)(m % 100));
	worksheet_write_string(ws, 0, 0, l == STMT_ZH ? "商户" : "Merchant", x->bold);
	worksheet_write_string(ws, 0, 1, str(doc, "merchant_name"), NULL);
	worksheet_write_string(ws, 1, 0, l == STMT_ZH ? "月份" : "Month", x->bold);
	worksheet_write_string(ws, 1, 1, month, NULL);
	worksheet_write_string(ws, 2, 0, l == STMT_ZH ? "状态" : "State", x->bold);
	worksheet_write_string(ws, 2, 1, state_label(str(doc, "state"), l), NULL);
	lxw_row_t r = 4;
	for (lxw_col_t c = 0; c < sizeof(LINE_HEAD) / sizeof(LINE_HEAD[0]); c++)
		worksheet_write_string(ws, r, c, LINE_HEAD[c][l], x->bold);
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(doc, "lines"), i, o)
	{
		r++;
		worksheet_write_string(ws, r, 0, str(o, "campaign_name"), NULL);
		worksheet_write_string(ws, r, 1, str(o, "product"), NULL);
		worksheet_write_string(ws, r, 2, str(o, "title"), NULL);
		xlsx_figures(x, ws, r, o);
	}
	const json_t *t = json_object_get(doc, "totals");
	r++;
	worksheet_write_string(ws, r, 0, l == STMT_ZH ? "合计" : "Total", x->bold);
	xlsx_figures(x, ws, r, t);
	r += 2;
	worksheet_write_string(ws, r, 0, l == STMT_ZH ? "坑位费" : "Slot fees", x->bold);
	worksheet_write_string(ws, r, 1, l == STMT_ZH ? "渠道" : "Channel", x->bold);
	worksheet_write_string(ws, r, 2, l == STMT_ZH ? "状态" : "State", x->bold);
	worksheet_write_string(ws, r, 3, l == STMT_ZH ? "金额" : "Amount", x->bold);
	json_array_foreach(json_object_get(doc, "slot_fees"), i, o)
	{
		r++;
		worksheet_write_string(ws, r, 0, str(o, "campaign_name"), NULL);
		worksheet_write_string(ws, r, 1, str(o, "channel_name"), NULL);
		worksheet_write_string(ws, r, 2, state_label(str(o, "state"), l), NULL);
		money_cell(ws, r, 3, fig(o, "amount"), x->money);
	}
	r++;
	worksheet_write_string(ws, r, 0, l == STMT_ZH ? "已收" : "Collected", x->bold);
	money_cell(ws, r, 3, fig(t, "slot_fee_collected"), x->money);
	r++;
	worksheet_write_string(ws, r, 0, l == STMT_ZH ? "待收" : "Outstanding", x->bold);
	money_cell(ws, r, 3, fig(t, "slot_fee_outstanding"), x->money);
	worksheet_set_column(ws, 0, 2, 24, NULL);
	worksheet_set_column(ws, 3, 11, 16, NULL);
}

static const label ORDER_HEAD[] = {
	{"商品订单", "Item"},	  {"订单号", "Order"},   {"付款时间", "Paid at"},
	{"商品ID", "Product"},	  {"渠道", "Channel"},	  {"金额", "Amount"},
	{"状态", "Status"},	  {"服务费", "Service fee"},
};

static bool order_row(void *ctx, const struct statement_order *o)
{
	struct xlsx *x = ctx;
	lxw_worksheet *ws = x->orders;
	lxw_row_t r = ++x->row;
	char paid[TKTIME_BUF] = "";
	if (o->paid_at)
		tktime_format_iso8601(o->paid_at, TKTIME_BEIJING_OFFSET, paid);
	/* an order of a channel not in the registry: its union ref, or unknown */
	const char *channel = o->channel_name[0]  ? o->channel_name
			      : o->channel_ref[0] ? o->channel_ref
			      : x->l == STMT_ZH   ? "未知"
						  : "unknown";
	worksheet_write_string(ws, r, 0, o->item_key, NULL);
	worksheet_write_string(ws, r, 1, o->order_no, NULL);
	worksheet_write_string(ws, r, 2, paid, NULL);
	worksheet_write_string(ws, r, 3, o->product, NULL);
	worksheet_write_string(ws, r, 4, channel, NULL);
	money_cell(ws, r, 5, o->amount, x->money);
	worksheet_write_string(ws, r, 6, status_label(o->status, x->l), NULL);
	money_cell(ws, r, 7, o->fee, x->money);
	return true;
}

static enum tk_rc xlsx_write(struct store *st, const json_t *doc, int64_t merchant, int64_t month,
			     enum stmt_lang l, char **data, size_t *len, struct tk_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/tuike-statement-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return tk_fail(err, TK_EIO, "statement", "cannot make a temporary file in %s",
			       dir && *dir ? dir : "/tmp");
	close(fd);
	struct xlsx x = {.l = l};
	/* rows go to temporary files as they are written (each sheet is
	 * written top to bottom): 100,000 orders do not sit in memory, and
	 * strings are written inline rather than through a shared table */
	char tmpdir[512];
	snprintf(tmpdir, sizeof(tmpdir), "%s", dir && *dir ? dir : "/tmp");
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
	x.wb = workbook_new_opt(path, &opt);
	if (!x.wb) {
		unlink(path);
		return tk_fail(err, TK_EIO, "statement", "cannot start the workbook");
	}
	x.money = workbook_add_format(x.wb);
	format_set_num_format(x.money, "¥#,##0.00");
	x.bold = workbook_add_format(x.wb);
	format_set_bold(x.bold);
	xlsx_statement(&x, doc);
	x.orders = workbook_add_worksheet(x.wb, l == STMT_ZH ? "订单" : "Orders");
	for (lxw_col_t c = 0; c < sizeof(ORDER_HEAD) / sizeof(ORDER_HEAD[0]); c++)
		worksheet_write_string(x.orders, 0, c, ORDER_HEAD[c][l], x.bold);
	worksheet_set_column(x.orders, 0, 4, 22, NULL);
	enum tk_rc rc = st->statements->orders_each(st, merchant, month, order_row, &x, err);
	lxw_error e = workbook_close(x.wb);
	if (!rc && e != LXW_NO_ERROR)
		rc = tk_fail(err, TK_EIO, "statement", "writing the workbook: %s",
			     lxw_strerror(e));
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (!rc && !f)
		rc = tk_fail(err, TK_EIO, "statement", "cannot read the workbook back");
	if (f) {
		struct textbuf b = {0};
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (!textbuf_append(&b, buf, n, 1u << 30)) {
				rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
				break;
			}
		fclose(f);
		if (rc)
			textbuf_free(&b);
		else {
			*data = b.s;
			*len = b.len;
		}
	}
	unlink(path);
	return rc;
}

enum tk_rc statements_export(struct store *st, int64_t id, enum stmt_format f, enum stmt_lang lang,
			     char **data, size_t *len, char name[64], const char **content_type,
			     struct tk_error *err)
{
	struct statement_rec r;
	json_t *doc = NULL;
	int64_t n = 0;
	enum tk_rc rc = st->ops->tx_begin_read(st, err);
	if (rc)
		return rc;
	rc = st->statements->stmt_get(st, id, &r, err);
	if (rc) {
		st->ops->tx_rollback(st);
		return rc;
	}
	rc = stmt_doc_of(st, &r, &doc, &n, err);
	free(r.snapshot);
	if (!rc && n > STMT_EXPORT_ORDERS_MAX) {
		tk_fail_key(err, TK_ELIMIT, "statement", "statement.export_too_large",
			    "the statement has %lld orders; one export holds at most %d",
			    (long long)n, STMT_EXPORT_ORDERS_MAX);
		tk_error_int(err, "max", STMT_EXPORT_ORDERS_MAX);
		tk_error_int(err, "orders", n);
		rc = TK_ELIMIT;
	}
	if (!rc && f == STMT_CSV)
		rc = csv_write(doc, lang, data, len, err);
	else if (!rc)
		rc = xlsx_write(st, doc, r.merchant, r.month, lang, data, len, err);
	st->ops->tx_rollback(st);
	json_decref(doc);
	if (rc)
		return rc;
	snprintf(name, 64, "statement-%lld-%lld.%s", (long long)r.merchant, (long long)r.month,
		 f == STMT_CSV ? "csv" : "xlsx");
	*content_type = f == STMT_CSV ? "text/csv; charset=utf-8"
				      : "application/vnd.openxmlformats-officedocument."
					"spreadsheetml.sheet";
	return TK_OK;
}

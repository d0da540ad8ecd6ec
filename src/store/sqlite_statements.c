/* sqlite_statements.c — SQLite: the month's campaign orders and slot fees
 * of a merchant (what a statement's figures are computed from, one query
 * each), and the statements table's reads and writes (statement_store.h
 * says what each answers; the PostgreSQL twin is pg_statements.c). */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/statement_store.h"

enum {
	S_MERCHANT_NAME,
	S_ORDERS,
	S_SLOTS,
	S_ACTIVE,
	S_FIND,
	S_INSERT,
	S_GET,
	S_LIST,
	S_UPDATE,
	S_STATEMENTS_N_
};
_Static_assert(S_STATEMENTS_N_ <= SQLITE_STMT_SLOTS, "too many statement statements");

#define NO_LIMIT 9000000000000000000LL

static enum tk_rc merchant_name(struct store *st, int64_t merchant, char *name, size_t size,
				struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->statements[S_MERCHANT_NAME],
				      "SELECT name FROM merchants WHERE id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a merchant", err);
	if (rc)
		return rc;
	if (found)
		sqlite_column_copy(q, 0, name, size);
	sqlite3_reset(q);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "merchant", "no merchant %lld", (long long)merchant);
}

struct order_walk {
	store_statement_order_cb cb;
	void *ctx;
};

static bool order_row(void *ctx, sqlite3_stmt *q)
{
	struct order_walk *w = ctx;
	struct statement_order o;
	o.item = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, o.union_, sizeof(o.union_));
	sqlite_column_copy(q, 2, o.item_key, sizeof(o.item_key));
	sqlite_column_copy(q, 3, o.order_no, sizeof(o.order_no));
	o.status = sqlite3_column_int(q, 4);
	o.amount = sqlite3_column_int64(q, 5);
	o.commission = sqlite3_column_int64(q, 6);
	o.refunded = sqlite3_column_int64(q, 7);
	o.paid_at = sqlite3_column_int64(q, 8);
	o.settled_at = sqlite3_column_int64(q, 9);
	o.campaign = sqlite3_column_int64(q, 10);
	sqlite_column_copy(q, 11, o.campaign_name, sizeof(o.campaign_name));
	sqlite_column_copy(q, 12, o.product, sizeof(o.product));
	sqlite_column_copy(q, 13, o.title, sizeof(o.title));
	o.commission_pm = sqlite3_column_int64(q, 14);
	o.service_pm = sqlite3_column_int64(q, 15);
	o.fee = sqlite3_column_int64(q, 16);
	o.fee_bucket = sqlite3_column_int64(q, 17);
	o.channel = sqlite3_column_int64(q, 18);
	sqlite_column_copy(q, 19, o.channel_name, sizeof(o.channel_name));
	sqlite_column_copy(q, 20, o.channel_ref, sizeof(o.channel_ref));
	return w->cb(w->ctx, &o);
}

static enum tk_rc orders_each(struct store *st, int64_t merchant, int64_t month,
			      store_statement_order_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->statements[S_ORDERS],
		"SELECT i.id, i.union_, i.item_key, i.order_no, i.status, i.amount, i.commission,"
		" i.refunded, i.paid_at, i.settled_at, c.id, c.name,"
		" coalesce(ci.product, i.product), coalesce(ci.title, i.title),"
		" coalesce(ci.commission_pm, 0), coalesce(ci.service_pm, co.service_pm),"
		" co.fee, co.fee_bucket, coalesce(co.channel, 0), coalesce(pc.name, ''),"
		" co.channel_ref"
		" FROM campaign_orders co JOIN campaigns c ON c.id = co.campaign"
		" JOIN items i ON i.id = co.item"
		" LEFT JOIN campaign_items ci ON ci.id = co.campaign_item"
		" LEFT JOIN promo_channels pc ON pc.id = co.channel"
		" WHERE c.merchant = ?1 AND co.month = ?2"
		" ORDER BY c.id, coalesce(ci.product, i.product), i.id",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	sqlite3_bind_int64(q, 2, month);
	struct order_walk w = {cb, ctx};
	return sqlite_each_row(s, q, order_row, &w, "reading a month's campaign orders", err);
}

struct slot_walk {
	store_statement_slot_cb cb;
	void *ctx;
};

static bool slot_row(void *ctx, sqlite3_stmt *q)
{
	struct slot_walk *w = ctx;
	struct statement_slot sl;
	sl.id = sqlite3_column_int64(q, 0);
	sl.campaign = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, sl.campaign_name, sizeof(sl.campaign_name));
	sl.channel = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, sl.channel_name, sizeof(sl.channel_name));
	sl.amount = sqlite3_column_int64(q, 5);
	sqlite_column_copy(q, 6, sl.state, sizeof(sl.state));
	sl.booked_at = sqlite3_column_int64(q, 7);
	sl.collected_at = sqlite3_column_int64(q, 8);
	return w->cb(w->ctx, &sl);
}

static enum tk_rc slots_each(struct store *st, int64_t merchant, int64_t from, int64_t to,
			     store_statement_slot_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->statements[S_SLOTS],
		"SELECT sf.id, c.id, c.name, pc.id, pc.name, sf.amount, sf.state, sf.booked_at,"
		" sf.collected_at"
		" FROM slot_fees sf JOIN campaigns c ON c.id = sf.campaign"
		" JOIN promo_channels pc ON pc.id = sf.channel"
		" WHERE c.merchant = ?1 AND sf.booked_at >= ?2 AND sf.booked_at < ?3"
		" AND sf.state <> 'waived'"
		" ORDER BY c.id, pc.id",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	struct slot_walk w = {cb, ctx};
	return sqlite_each_row(s, q, slot_row, &w, "reading a month's slot fees", err);
}

struct id_walk {
	store_statement_id_cb cb;
	void *ctx;
};

static bool id_row(void *ctx, sqlite3_stmt *q)
{
	struct id_walk *w = ctx;
	return w->cb(w->ctx, sqlite3_column_int64(q, 0));
}

static enum tk_rc active_merchants(struct store *st, int64_t month, int64_t from, int64_t to,
				   store_statement_id_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->statements[S_ACTIVE],
		"SELECT c.merchant FROM campaign_orders co JOIN campaigns c ON c.id = co.campaign"
		" WHERE co.month = ?1"
		" UNION"
		" SELECT c.merchant FROM slot_fees sf JOIN campaigns c ON c.id = sf.campaign"
		" WHERE sf.booked_at >= ?2 AND sf.booked_at < ?3 AND sf.state <> 'waived'"
		" ORDER BY 1",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, month);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	struct id_walk w = {cb, ctx};
	return sqlite_each_row(s, q, id_row, &w, "reading the month's merchants", err);
}

static enum tk_rc stmt_upsert_draft(struct store *st, int64_t merchant, int64_t month, int64_t now,
				    int64_t *id, bool *created, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->statements[S_FIND],
				      "SELECT id FROM statements WHERE merchant = ? AND month = ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	sqlite3_bind_int64(q, 2, month);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a statement", err);
	if (rc)
		return rc;
	if (found) {
		*id = sqlite3_column_int64(q, 0);
		*created = false;
		sqlite3_reset(q);
		return TK_OK;
	}
	sqlite3_reset(q);
	q = sqlite_stmt(s, &s->statements[S_INSERT],
			"INSERT INTO statements(merchant, month, created_at, updated_at)"
			" VALUES (?, ?, ?, ?)",
			err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	sqlite3_bind_int64(q, 2, month);
	sqlite3_bind_int64(q, 3, now);
	sqlite3_bind_int64(q, 4, now);
	rc = sqlite_exec_stmt(s, q, "writing a statement", err);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(s->db);
	*created = true;
	return TK_OK;
}

#define STMT_COLUMNS                                                                       \
	"s.id, s.merchant, m.name, s.month, s.state, s.invoice, s.reason, s.created_at,"   \
	" s.updated_at, s.sent_at, s.confirmed_at, s.invoiced_at"

static void stmt_columns(sqlite3_stmt *q, struct statement_rec *r)
{
	r->id = sqlite3_column_int64(q, 0);
	r->merchant = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, r->merchant_name, sizeof(r->merchant_name));
	r->month = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, r->state, sizeof(r->state));
	sqlite_column_copy(q, 5, r->invoice, sizeof(r->invoice));
	sqlite_column_copy(q, 6, r->reason, sizeof(r->reason));
	r->created_at = sqlite3_column_int64(q, 7);
	r->updated_at = sqlite3_column_int64(q, 8);
	r->sent_at = sqlite3_column_int64(q, 9);
	r->confirmed_at = sqlite3_column_int64(q, 10);
	r->invoiced_at = sqlite3_column_int64(q, 11);
	r->snapshot = NULL;
}

static enum tk_rc stmt_get(struct store *st, int64_t id, struct statement_rec *r,
			   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->statements[S_GET],
				      "SELECT " STMT_COLUMNS ", s.snapshot FROM statements s"
				      " JOIN merchants m ON m.id = s.merchant WHERE s.id = ?",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a statement", err);
	if (rc)
		return rc;
	if (!found) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOTFOUND, "statement", "no statement %lld", (long long)id);
	}
	stmt_columns(q, r);
	if (sqlite3_column_type(q, 12) != SQLITE_NULL) {
		const char *t = (const char *)sqlite3_column_text(q, 12);
		r->snapshot = strdup(t ? t : "");
		if (!r->snapshot) {
			sqlite3_reset(q);
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		}
	}
	sqlite3_reset(q);
	return TK_OK;
}

struct stmt_walk {
	store_statement_cb cb;
	void *ctx;
};

static bool stmt_row(void *ctx, sqlite3_stmt *q)
{
	struct stmt_walk *w = ctx;
	struct statement_rec r;
	stmt_columns(q, &r);
	return w->cb(w->ctx, &r);
}

static enum tk_rc stmt_list(struct store *st, const struct statement_filter *f,
			    store_statement_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->statements[S_LIST],
		"SELECT " STMT_COLUMNS " FROM statements s JOIN merchants m ON m.id = s.merchant"
		" WHERE (?1 = 0 OR s.month = ?1) AND (?2 = 0 OR s.merchant = ?2)"
		" AND (?3 IS NULL OR s.state = ?3) AND (?4 = 0 OR s.id < ?4)"
		" ORDER BY s.id DESC LIMIT ?5",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, f->month);
	sqlite3_bind_int64(q, 2, f->merchant);
	sqlite_bind_text_or_null(q, 3, f->state);
	sqlite3_bind_int64(q, 4, f->before);
	sqlite3_bind_int64(q, 5, f->limit > 0 ? f->limit : NO_LIMIT);
	struct stmt_walk w = {cb, ctx};
	return sqlite_each_row(s, q, stmt_row, &w, "reading statements", err);
}

static enum tk_rc stmt_update(struct store *st, const struct statement_rec *r,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->statements[S_UPDATE],
		"UPDATE statements SET state = ?, snapshot = ?, invoice = ?, reason = ?,"
		" updated_at = ?, sent_at = ?, confirmed_at = ?, invoiced_at = ? WHERE id = ?",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, r->state, -1, SQLITE_STATIC);
	if (r->snapshot)
		sqlite3_bind_text(q, 2, r->snapshot, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_text(q, 3, r->invoice, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, r->updated_at);
	sqlite3_bind_int64(q, 6, r->sent_at);
	sqlite3_bind_int64(q, 7, r->confirmed_at);
	sqlite3_bind_int64(q, 8, r->invoiced_at);
	sqlite3_bind_int64(q, 9, r->id);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "writing a statement", err);
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return tk_fail(err, TK_ENOTFOUND, "statement", "no statement %lld",
			       (long long)r->id);
	return TK_OK;
}

const struct statement_store_ops sqlite_statement_ops = {
	.merchant_name = merchant_name,
	.orders_each = orders_each,
	.slots_each = slots_each,
	.active_merchants = active_merchants,
	.stmt_upsert_draft = stmt_upsert_draft,
	.stmt_get = stmt_get,
	.stmt_list = stmt_list,
	.stmt_update = stmt_update,
};

/* pg_statements.c — PostgreSQL: the month's campaign orders and slot fees
 * of a merchant and the statements table's reads and writes; the SQLite
 * twin is sqlite_statements.c, whose rows and order these match (text
 * sorted byte by byte, ids handed out as SQLite does). */
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"
#include "store/statement_store.h"

#define NO_LIMIT 9000000000000000000LL

static enum tk_rc merchant_name(struct store *st, int64_t merchant, char *name, size_t size,
				struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, merchant);
	PGresult *r = pg_run(pg_of(st), "statements.merchant_name",
			     "SELECT name FROM merchants WHERE id = $1", &p, "reading a merchant", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0)
		pg_copy(r, 0, 0, name, size);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "merchant", "no merchant %lld", (long long)merchant);
	PQclear(r);
	return rc;
}

struct order_walk {
	store_statement_order_cb cb;
	void *ctx;
};

static bool order_row(void *ctx, const PGresult *r, int row)
{
	struct order_walk *w = ctx;
	struct statement_order o;
	o.item = pg_int(r, row, 0);
	pg_copy(r, row, 1, o.union_, sizeof(o.union_));
	pg_copy(r, row, 2, o.item_key, sizeof(o.item_key));
	pg_copy(r, row, 3, o.order_no, sizeof(o.order_no));
	o.status = (int)pg_int(r, row, 4);
	o.amount = pg_int(r, row, 5);
	o.commission = pg_int(r, row, 6);
	o.refunded = pg_int(r, row, 7);
	o.paid_at = pg_int(r, row, 8);
	o.settled_at = pg_int(r, row, 9);
	o.campaign = pg_int(r, row, 10);
	pg_copy(r, row, 11, o.campaign_name, sizeof(o.campaign_name));
	pg_copy(r, row, 12, o.product, sizeof(o.product));
	pg_copy(r, row, 13, o.title, sizeof(o.title));
	o.commission_pm = pg_int(r, row, 14);
	o.service_pm = pg_int(r, row, 15);
	o.fee = pg_int(r, row, 16);
	o.fee_bucket = pg_int(r, row, 17);
	o.channel = pg_int(r, row, 18);
	pg_copy(r, row, 19, o.channel_name, sizeof(o.channel_name));
	pg_copy(r, row, 20, o.channel_ref, sizeof(o.channel_ref));
	return w->cb(w->ctx, &o);
}

static enum tk_rc orders_each(struct store *st, int64_t merchant, int64_t month,
			      store_statement_order_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, merchant);
	pg_p_int(&p, month);
	struct order_walk w = {cb, ctx};
	return pg_each_row(
		pg_of(st),
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
		" WHERE c.merchant = $1 AND co.month = $2"
		" ORDER BY c.id, coalesce(ci.product, i.product) COLLATE \"C\", i.id",
		&p, order_row, &w, "reading a month's campaign orders", err);
}

struct slot_walk {
	store_statement_slot_cb cb;
	void *ctx;
};

static bool slot_row(void *ctx, const PGresult *r, int row)
{
	struct slot_walk *w = ctx;
	struct statement_slot sl;
	sl.id = pg_int(r, row, 0);
	sl.campaign = pg_int(r, row, 1);
	pg_copy(r, row, 2, sl.campaign_name, sizeof(sl.campaign_name));
	sl.channel = pg_int(r, row, 3);
	pg_copy(r, row, 4, sl.channel_name, sizeof(sl.channel_name));
	sl.amount = pg_int(r, row, 5);
	pg_copy(r, row, 6, sl.state, sizeof(sl.state));
	sl.booked_at = pg_int(r, row, 7);
	sl.collected_at = pg_int(r, row, 8);
	return w->cb(w->ctx, &sl);
}

static enum tk_rc slots_each(struct store *st, int64_t merchant, int64_t from, int64_t to,
			     store_statement_slot_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, merchant);
	pg_p_int(&p, from);
	pg_p_int(&p, to);
	struct slot_walk w = {cb, ctx};
	return pg_each_row(pg_of(st),
			   "SELECT sf.id, c.id, c.name, pc.id, pc.name, sf.amount, sf.state,"
			   " sf.booked_at, sf.collected_at"
			   " FROM slot_fees sf JOIN campaigns c ON c.id = sf.campaign"
			   " JOIN promo_channels pc ON pc.id = sf.channel"
			   " WHERE c.merchant = $1 AND sf.booked_at >= $2 AND sf.booked_at < $3"
			   " AND sf.state <> 'waived'"
			   " ORDER BY c.id, pc.id",
			   &p, slot_row, &w, "reading a month's slot fees", err);
}

struct id_walk {
	store_statement_id_cb cb;
	void *ctx;
};

static bool id_row(void *ctx, const PGresult *r, int row)
{
	struct id_walk *w = ctx;
	return w->cb(w->ctx, pg_int(r, row, 0));
}

static enum tk_rc active_merchants(struct store *st, int64_t month, int64_t from, int64_t to,
				   store_statement_id_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, month);
	pg_p_int(&p, from);
	pg_p_int(&p, to);
	struct id_walk w = {cb, ctx};
	return pg_each_row(
		pg_of(st),
		"SELECT c.merchant FROM campaign_orders co JOIN campaigns c ON c.id = co.campaign"
		" WHERE co.month = $1"
		" UNION"
		" SELECT c.merchant FROM slot_fees sf JOIN campaigns c ON c.id = sf.campaign"
		" WHERE sf.booked_at >= $2 AND sf.booked_at < $3 AND sf.state <> 'waived'"
		" ORDER BY 1",
		&p, id_row, &w, "reading the month's merchants", err);
}

static enum tk_rc stmt_upsert_draft(struct store *st, int64_t merchant, int64_t month, int64_t now,
				    int64_t *id, bool *created, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, merchant);
	pg_p_int(&p, month);
	int64_t found = 0;
	enum tk_rc rc = pg_int_of(s, "statements.find",
				  "SELECT id FROM statements WHERE merchant = $1 AND month = $2", &p,
				  0, &found, "reading a statement", err);
	if (rc)
		return rc;
	if (found) {
		*id = found;
		*created = false;
		return TK_OK;
	}
	/* ids as SQLite hands them out (newest + 1, none lost to a rollback):
	 * writers hold the writer lock, so nobody inserts meanwhile */
	pg_p_int(&p, now);
	rc = pg_int_of(s, "statements.insert",
		       "INSERT INTO statements(id, merchant, month, created_at, updated_at)"
		       " SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $3 FROM statements RETURNING id",
		       &p, 0, id, "writing a statement", err);
	if (rc)
		return rc;
	*created = true;
	return TK_OK;
}

#define STMT_COLUMNS                                                                       \
	"s.id, s.merchant, m.name, s.month, s.state, s.invoice, s.reason, s.created_at,"   \
	" s.updated_at, s.sent_at, s.confirmed_at, s.invoiced_at"

static void stmt_columns(const PGresult *r, int row, struct statement_rec *x)
{
	x->id = pg_int(r, row, 0);
	x->merchant = pg_int(r, row, 1);
	pg_copy(r, row, 2, x->merchant_name, sizeof(x->merchant_name));
	x->month = pg_int(r, row, 3);
	pg_copy(r, row, 4, x->state, sizeof(x->state));
	pg_copy(r, row, 5, x->invoice, sizeof(x->invoice));
	pg_copy(r, row, 6, x->reason, sizeof(x->reason));
	x->created_at = pg_int(r, row, 7);
	x->updated_at = pg_int(r, row, 8);
	x->sent_at = pg_int(r, row, 9);
	x->confirmed_at = pg_int(r, row, 10);
	x->invoiced_at = pg_int(r, row, 11);
	x->snapshot = NULL;
}

static enum tk_rc stmt_get(struct store *st, int64_t id, struct statement_rec *x,
			   struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	PGresult *r = pg_run(pg_of(st), "statements.get",
			     "SELECT " STMT_COLUMNS ", s.snapshot FROM statements s"
			     " JOIN merchants m ON m.id = s.merchant WHERE s.id = $1",
			     &p, "reading a statement", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) == 0) {
		rc = tk_fail(err, TK_ENOTFOUND, "statement", "no statement %lld", (long long)id);
	} else {
		stmt_columns(r, 0, x);
		if (!pg_is_null(r, 0, 12)) {
			x->snapshot = strdup(PQgetvalue(r, 0, 12));
			if (!x->snapshot)
				rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		}
	}
	PQclear(r);
	return rc;
}

struct stmt_walk {
	store_statement_cb cb;
	void *ctx;
};

static bool stmt_row(void *ctx, const PGresult *r, int row)
{
	struct stmt_walk *w = ctx;
	struct statement_rec x;
	stmt_columns(r, row, &x);
	return w->cb(w->ctx, &x);
}

static enum tk_rc stmt_list(struct store *st, const struct statement_filter *f,
			    store_statement_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, f->month);
	pg_p_int(&p, f->merchant);
	pg_p_text_or_null(&p, f->state);
	pg_p_int(&p, f->before);
	pg_p_int(&p, f->limit > 0 ? f->limit : NO_LIMIT);
	struct stmt_walk w = {cb, ctx};
	return pg_each_row(pg_of(st),
			   "SELECT " STMT_COLUMNS " FROM statements s JOIN merchants m ON m.id = s.merchant"
			   " WHERE ($1::bigint = 0 OR s.month = $1) AND ($2::bigint = 0 OR s.merchant = $2)"
			   " AND ($3::text IS NULL OR s.state = $3) AND ($4::bigint = 0 OR s.id < $4)"
			   " ORDER BY s.id DESC LIMIT $5",
			   &p, stmt_row, &w, "reading statements", err);
}

static enum tk_rc stmt_update(struct store *st, const struct statement_rec *x,
			      struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, x->state);
	if (x->snapshot)
		pg_p_text(&p, x->snapshot);
	else
		pg_p_null(&p);
	pg_p_text(&p, x->invoice);
	pg_p_text(&p, x->reason);
	pg_p_int(&p, x->updated_at);
	pg_p_int(&p, x->sent_at);
	pg_p_int(&p, x->confirmed_at);
	pg_p_int(&p, x->invoiced_at);
	pg_p_int(&p, x->id);
	PGresult *r = pg_run(pg_of(st), "statements.update",
			     "UPDATE statements SET state = $1, snapshot = $2, invoice = $3,"
			     " reason = $4, updated_at = $5, sent_at = $6, confirmed_at = $7,"
			     " invoiced_at = $8 WHERE id = $9",
			     &p, "writing a statement", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	int64_t n = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	if (n == 0)
		return tk_fail(err, TK_ENOTFOUND, "statement", "no statement %lld",
			       (long long)x->id);
	return TK_OK;
}

const struct statement_store_ops pg_statement_ops = {
	.merchant_name = merchant_name,
	.orders_each = orders_each,
	.slots_each = slots_each,
	.active_merchants = active_merchants,
	.stmt_upsert_draft = stmt_upsert_draft,
	.stmt_get = stmt_get,
	.stmt_list = stmt_list,
	.stmt_update = stmt_update,
};

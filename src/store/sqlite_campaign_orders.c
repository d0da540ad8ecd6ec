/* sqlite_campaign_orders.c — SQLite: matching order rows to campaigns and
 * channels, and the campaign_orders rows (campaign_order_store.h says what
 * each answers; the PostgreSQL twin is pg_campaign_orders.c). */
#include <string.h>

#include "store/campaign_order_store.h"
#include "store/sqlite_internal.h"

enum {
	S_CO_ANY,
	S_CO_MATCH,
	S_CO_CHANNEL,
	S_CO_GET,
	S_CO_PUT,
	S_CO_EACH,
	S_CO_TOTALS,
	S_CO_CLAWED,
	S_CO_EXT,
	S_CO_N_
};
_Static_assert(S_CO_N_ <= SQLITE_STMT_SLOTS, "too many campaign order statements");

#define NO_LIMIT 9000000000000000000LL

/* The columns every read gives, in rec order (co_read). */
#define CO_COLUMNS                                                                          \
	"co.item, co.union_, co.ext_id, co.head, coalesce(co.campaign, 0),"                 \
	" coalesce(co.campaign_item, 0), coalesce(co.channel, 0), co.channel_kind,"         \
	" co.channel_ref, co.shop, co.category, co.buyer, co.clicked_at, co.ordered_at,"    \
	" co.fee_source, co.service_pm, co.fee, co.fee_bucket, co.fee_amount, co.month,"    \
	" co.updated_at, i.item_key, i.product, i.status, i.amount, i.paid_at,"             \
	" i.settled_at, coalesce(c.merchant, 0)"                                            \
	" FROM campaign_orders co JOIN items i ON i.id = co.item"                           \
	" LEFT JOIN campaigns c ON c.id = co.campaign"

/* The filter of a listing, parameters ?1..?12 (co_bind_filter). */
#define CO_WHERE                                                                            \
	" WHERE (?1 = 0 OR co.campaign = ?1) AND (?2 = 0 OR c.merchant = ?2)"              \
	" AND (?3 = 0 OR co.channel = ?3) AND (?4 = 0 OR co.month = ?4)"                   \
	" AND (?5 = 0 OR i.paid_at >= ?5) AND (?6 = 0 OR i.paid_at <= ?6)"                 \
	" AND (?7 = '' OR co.union_ = ?7) AND (?8 < 0 OR co.head = ?8)"                    \
	" AND (?9 < 0 OR i.status = ?9)"                                                   \
	" AND (?10 = 0 OR co.campaign IS NULL OR (co.channel IS NULL AND co.channel_ref <> ''))" \
	" AND (?11 = 0 OR co.updated_at >= ?11) AND co.item > ?12"

static void co_read(sqlite3_stmt *q, struct campaign_order_rec *co)
{
	memset(co, 0, sizeof(*co));
	co->item = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, co->union_, sizeof(co->union_));
	sqlite_column_copy(q, 2, co->ext_id, sizeof(co->ext_id));
	co->head = sqlite3_column_int64(q, 3) != 0;
	co->campaign = sqlite3_column_int64(q, 4);
	co->campaign_item = sqlite3_column_int64(q, 5);
	co->channel = sqlite3_column_int64(q, 6);
	sqlite_column_copy(q, 7, co->channel_kind, sizeof(co->channel_kind));
	sqlite_column_copy(q, 8, co->channel_ref, sizeof(co->channel_ref));
	sqlite_column_copy(q, 9, co->shop, sizeof(co->shop));
	sqlite_column_copy(q, 10, co->category, sizeof(co->category));
	sqlite_column_copy(q, 11, co->buyer, sizeof(co->buyer));
	co->clicked_at = sqlite3_column_int64(q, 12);
	co->ordered_at = sqlite3_column_int64(q, 13);
	sqlite_column_copy(q, 14, co->fee_source, sizeof(co->fee_source));
	co->service_pm = (int)sqlite3_column_int64(q, 15);
	co->fee = sqlite3_column_int64(q, 16);
	co->fee_bucket = (int)sqlite3_column_int64(q, 17);
	co->fee_amount = sqlite3_column_int64(q, 18);
	co->month = sqlite3_column_int64(q, 19);
	co->updated_at = sqlite3_column_int64(q, 20);
	sqlite_column_copy(q, 21, co->key, sizeof(co->key));
	sqlite_column_copy(q, 22, co->product, sizeof(co->product));
	co->status = (enum order_status)sqlite3_column_int64(q, 23);
	co->amount = sqlite3_column_int64(q, 24);
	co->paid_at = sqlite3_column_int64(q, 25);
	co->settled_at = sqlite3_column_int64(q, 26);
	co->merchant = sqlite3_column_int64(q, 27);
}

static void co_bind_filter(sqlite3_stmt *q, const struct co_filter *f)
{
	sqlite3_bind_int64(q, 1, f->campaign);
	sqlite3_bind_int64(q, 2, f->merchant);
	sqlite3_bind_int64(q, 3, f->channel);
	sqlite3_bind_int64(q, 4, f->month);
	sqlite3_bind_int64(q, 5, f->paid_from);
	sqlite3_bind_int64(q, 6, f->paid_to);
	sqlite3_bind_text(q, 7, f->union_, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, f->head);
	sqlite3_bind_int64(q, 9, f->status);
	sqlite3_bind_int64(q, 10, f->unlinked);
	sqlite3_bind_int64(q, 11, f->updated_from);
	sqlite3_bind_int64(q, 12, f->after);
}

static enum tk_rc campaign_any(struct store *st, bool *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->campaign_orders[S_CO_ANY],
				      "SELECT 1 FROM campaigns LIMIT 1", err);
	if (!q)
		return TK_EIO;
	enum tk_rc rc = sqlite_step_one(s, q, out, "looking for campaigns", err);
	if (!rc)
		sqlite3_reset(q);
	return rc;
}

static enum tk_rc campaign_ext_known(struct store *st, const char *union_, const char *ext,
				     bool *out, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->campaign_orders[S_CO_EXT],
				      "SELECT 1 FROM campaigns WHERE union_ = ?1 AND ext_id = ?2 LIMIT 1",
				      err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, ext, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_step_one(s, q, out, "looking for a campaign by its union id", err);
	if (!rc)
		sqlite3_reset(q);
	return rc;
}

struct cand_walk {
	struct co_candidate *out;
	int max, n;
};

static bool cand_row(void *ctx, sqlite3_stmt *q)
{
	struct cand_walk *w = ctx;
	struct co_candidate *c = &w->out[w->n++];
	c->campaign = sqlite3_column_int64(q, 0);
	c->campaign_item = sqlite3_column_int64(q, 1);
	c->service_pm = (int)sqlite3_column_int64(q, 2);
	c->promote_from = sqlite3_column_int64(q, 3);
	c->promote_to = sqlite3_column_int64(q, 4);
	return w->n < w->max;
}

static enum tk_rc campaign_candidates(struct store *st, const char *union_, const char *ext,
				      const char *product, struct co_candidate *out, int max,
				      int *n, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	*n = 0;
	if (max <= 0)
		return TK_OK;
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->campaign_orders[S_CO_MATCH],
		"SELECT c.id, ci.id, ci.service_pm, c.promote_from, c.promote_to FROM campaign_items ci"
		" JOIN campaigns c ON c.id = ci.campaign"
		" WHERE ci.product = ?2 AND c.union_ = ?1 AND CASE WHEN ?3 <> '' THEN c.ext_id = ?3"
		"  ELSE c.status IN ('approved','ended') END"
		" ORDER BY c.promote_from DESC, c.id DESC LIMIT ?4",
		err);
	if (!q)
		return TK_EIO;
	struct cand_walk w = {out, max, 0};
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, product, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, ext, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, max);
	enum tk_rc rc = sqlite_each_row(s, q, cand_row, &w, "matching a campaign", err);
	*n = w.n;
	return rc;
}

static enum tk_rc channel_find(struct store *st, const char *union_, const char *kind,
			       const char *value, int64_t *channel, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->campaign_orders[S_CO_CHANNEL],
				      "SELECT channel FROM promo_channel_ids"
				      " WHERE union_ = ?1 AND kind = ?2 AND value = ?3",
				      err);
	if (!q)
		return TK_EIO;
	bool found;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, value, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "finding a channel", err);
	if (rc)
		return rc;
	if (found)
		*channel = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "channel", "no channel has %s %s on %s", kind,
			       value, union_);
}

static enum tk_rc co_get(struct store *st, int64_t item, struct campaign_order_rec *out,
			 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->campaign_orders[S_CO_GET],
				      "SELECT " CO_COLUMNS " WHERE co.item = ?1", err);
	if (!q)
		return TK_EIO;
	bool found;
	sqlite3_bind_int64(q, 1, item);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a campaign order", err);
	if (rc)
		return rc;
	if (found)
		co_read(q, out);
	sqlite3_reset(q);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "item", "item %lld is no campaign order",
			       (long long)item);
}

static void bind_ref(sqlite3_stmt *q, int idx, int64_t v)
{
	if (v)
		sqlite3_bind_int64(q, idx, v);
	else
		sqlite3_bind_null(q, idx);
}

static enum tk_rc co_put(struct store *st, const struct campaign_order_rec *co,
			 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->campaign_orders[S_CO_PUT],
		"INSERT INTO campaign_orders(item, union_, ext_id, head, campaign, campaign_item,"
		" channel, channel_kind, channel_ref, shop, category, buyer, clicked_at, ordered_at,"
		" fee_source, service_pm, fee, fee_bucket, fee_amount, month, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		" ?18, ?19, ?20, ?21)"
		" ON CONFLICT (item) DO UPDATE SET union_ = excluded.union_, ext_id = excluded.ext_id,"
		" head = excluded.head, campaign = excluded.campaign,"
		" campaign_item = excluded.campaign_item, channel = excluded.channel,"
		" channel_kind = excluded.channel_kind, channel_ref = excluded.channel_ref,"
		" shop = excluded.shop, category = excluded.category, buyer = excluded.buyer,"
		" clicked_at = excluded.clicked_at, ordered_at = excluded.ordered_at,"
		" fee_source = excluded.fee_source, service_pm = excluded.service_pm,"
		" fee = excluded.fee, fee_bucket = excluded.fee_bucket,"
		" fee_amount = excluded.fee_amount, month = excluded.month,"
		" updated_at = excluded.updated_at",
		err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, co->item);
	sqlite3_bind_text(q, 2, co->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, co->ext_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, co->head);
	bind_ref(q, 5, co->campaign);
	bind_ref(q, 6, co->campaign_item);
	bind_ref(q, 7, co->channel);
	sqlite3_bind_text(q, 8, co->channel_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, co->channel_ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, co->shop, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, co->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 12, co->buyer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 13, co->clicked_at);
	sqlite3_bind_int64(q, 14, co->ordered_at);
	sqlite3_bind_text(q, 15, co->fee_source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 16, co->service_pm);
	sqlite3_bind_int64(q, 17, co->fee);
	sqlite3_bind_int64(q, 18, co->fee_bucket);
	sqlite3_bind_int64(q, 19, co->fee_amount);
	sqlite3_bind_int64(q, 20, co->month);
	sqlite3_bind_int64(q, 21, co->updated_at);
	return sqlite_exec_stmt(s, q, "writing a campaign order", err);
}

struct co_walk {
	store_campaign_order_cb cb;
	void *ctx;
};

static bool co_row(void *ctx, sqlite3_stmt *q)
{
	struct co_walk *w = ctx;
	struct campaign_order_rec co;
	co_read(q, &co);
	return w->cb(w->ctx, &co);
}

static enum tk_rc co_each(struct store *st, const struct co_filter *f, int64_t limit,
			  store_campaign_order_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(s, &s->campaign_orders[S_CO_EACH],
				      "SELECT " CO_COLUMNS CO_WHERE " ORDER BY co.item LIMIT ?13",
				      err);
	if (!q)
		return TK_EIO;
	struct co_walk w = {cb, ctx};
	co_bind_filter(q, f);
	sqlite3_bind_int64(q, 13, limit > 0 ? limit : NO_LIMIT);
	return sqlite_each_row(s, q, co_row, &w, "reading campaign orders", err);
}

static enum tk_rc co_totals(struct store *st, const struct co_filter *f, struct co_totals *out,
			    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	struct co_filter all = *f;
	all.after = 0;
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->campaign_orders[S_CO_TOTALS],
		"SELECT count(*), coalesce(sum(i.amount), 0),"
		" coalesce(sum(CASE WHEN co.fee_bucket = 1 THEN co.fee_amount ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN co.fee_bucket = 2 THEN co.fee_amount ELSE 0 END), 0)"
		" FROM campaign_orders co JOIN items i ON i.id = co.item"
		" LEFT JOIN campaigns c ON c.id = co.campaign" CO_WHERE,
		err);
	if (!q)
		return TK_EIO;
	bool found;
	co_bind_filter(q, &all);
	enum tk_rc rc = sqlite_step_one(s, q, &found, "summing campaign orders", err);
	if (rc)
		return rc;
	out->orders = sqlite3_column_int64(q, 0);
	out->gmv = sqlite3_column_int64(q, 1);
	out->fee_estimated = sqlite3_column_int64(q, 2);
	out->fee_settled = sqlite3_column_int64(q, 3);
	sqlite3_reset(q);
	/* clawbacks from the settled fee (promo-0004's index) */
	q = sqlite_stmt(s, &s->campaign_orders[S_CO_CLAWED],
			"SELECT coalesce(sum(t.amount), 0) FROM transfers t"
			" WHERE t.debit = 5 AND t.credit = 1 AND t.item IN (SELECT co.item"
			" FROM campaign_orders co JOIN items i ON i.id = co.item"
			" LEFT JOIN campaigns c ON c.id = co.campaign" CO_WHERE ")",
			err);
	if (!q)
		return TK_EIO;
	co_bind_filter(q, &all);
	if ((rc = sqlite_step_one(s, q, &found, "summing campaign orders", err)))
		return rc;
	out->fee_clawed = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return TK_OK;
}

const struct campaign_order_store_ops sqlite_campaign_order_ops = {
	.campaign_any = campaign_any,
	.campaign_candidates = campaign_candidates,
	.campaign_ext_known = campaign_ext_known,
	.channel_find = channel_find,
	.get = co_get,
	.put = co_put,
	.each = co_each,
	.totals = co_totals,
};

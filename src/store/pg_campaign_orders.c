/* pg_campaign_orders.c — PostgreSQL: matching order rows to campaigns and
 * channels, and the campaign_orders rows; the SQLite twin is
 * sqlite_campaign_orders.c, whose rows and order these match.  The tables
 * are promo-0001's (pg_promo_schema.c). */
#include <string.h>

#include "store/campaign_order_store.h"
#include "store/pg_internal.h"

#define NO_LIMIT 9000000000000000000LL

#define CO_COLUMNS                                                                          \
	"co.item, co.union_, co.ext_id, co.head, coalesce(co.campaign, 0),"                 \
	" coalesce(co.campaign_item, 0), coalesce(co.channel, 0), co.channel_kind,"         \
	" co.channel_ref, co.shop, co.category, co.buyer, co.clicked_at, co.ordered_at,"    \
	" co.fee_source, co.service_pm, co.fee, co.fee_bucket, co.fee_amount, co.month,"    \
	" co.updated_at, i.item_key, i.product, i.status, i.amount, i.paid_at,"             \
	" i.settled_at, coalesce(c.merchant, 0)"                                            \
	" FROM campaign_orders co JOIN items i ON i.id = co.item"                           \
	" LEFT JOIN campaigns c ON c.id = co.campaign"

#define CO_WHERE                                                                            \
	" WHERE ($1::bigint = 0 OR co.campaign = $1) AND ($2::bigint = 0 OR c.merchant = $2)" \
	" AND ($3::bigint = 0 OR co.channel = $3) AND ($4::bigint = 0 OR co.month = $4)"   \
	" AND ($5::bigint = 0 OR i.paid_at >= $5) AND ($6::bigint = 0 OR i.paid_at <= $6)" \
	" AND ($7::text = '' OR co.union_ = $7) AND ($8::bigint < 0 OR co.head = $8)"      \
	" AND ($9::bigint < 0 OR i.status = $9)"                                           \
	" AND ($10::bigint = 0 OR co.campaign IS NULL"                                     \
	"  OR (co.channel IS NULL AND co.channel_ref <> ''))"                              \
	" AND ($11::bigint = 0 OR co.updated_at >= $11) AND co.item > $12::bigint"

static void co_read(const PGresult *r, int row, struct campaign_order_rec *co)
{
	memset(co, 0, sizeof(*co));
	co->item = pg_int(r, row, 0);
	pg_copy(r, row, 1, co->union_, sizeof(co->union_));
	pg_copy(r, row, 2, co->ext_id, sizeof(co->ext_id));
	co->head = pg_int(r, row, 3) != 0;
	co->campaign = pg_int(r, row, 4);
	co->campaign_item = pg_int(r, row, 5);
	co->channel = pg_int(r, row, 6);
	pg_copy(r, row, 7, co->channel_kind, sizeof(co->channel_kind));
	pg_copy(r, row, 8, co->channel_ref, sizeof(co->channel_ref));
	pg_copy(r, row, 9, co->shop, sizeof(co->shop));
	pg_copy(r, row, 10, co->category, sizeof(co->category));
	pg_copy(r, row, 11, co->buyer, sizeof(co->buyer));
	co->clicked_at = pg_int(r, row, 12);
	co->ordered_at = pg_int(r, row, 13);
	pg_copy(r, row, 14, co->fee_source, sizeof(co->fee_source));
	co->service_pm = (int)pg_int(r, row, 15);
	co->fee = pg_int(r, row, 16);
	co->fee_bucket = (int)pg_int(r, row, 17);
	co->fee_amount = pg_int(r, row, 18);
	co->month = pg_int(r, row, 19);
	co->updated_at = pg_int(r, row, 20);
	pg_copy(r, row, 21, co->key, sizeof(co->key));
	pg_copy(r, row, 22, co->product, sizeof(co->product));
	co->status = (enum order_status)pg_int(r, row, 23);
	co->amount = pg_int(r, row, 24);
	co->paid_at = pg_int(r, row, 25);
	co->settled_at = pg_int(r, row, 26);
	co->merchant = pg_int(r, row, 27);
}

static void co_filter_params(struct pg_params *p, const struct co_filter *f)
{
	pg_p_int(p, f->campaign);
	pg_p_int(p, f->merchant);
	pg_p_int(p, f->channel);
	pg_p_int(p, f->month);
	pg_p_int(p, f->paid_from);
	pg_p_int(p, f->paid_to);
	pg_p_text(p, f->union_);
	pg_p_int(p, f->head);
	pg_p_int(p, f->status);
	pg_p_int(p, f->unlinked);
	pg_p_int(p, f->updated_from);
	pg_p_int(p, f->after);
}

static enum tk_rc campaign_any(struct store *st, bool *out, struct tk_error *err)
{
	int64_t n = 0;
	enum tk_rc rc = pg_int_of(pg_of(st), "campaign_orders.any",
				  "SELECT count(*) FROM (SELECT 1 FROM campaigns LIMIT 1) x", NULL, 0,
				  &n, "looking for campaigns", err);
	*out = n > 0;
	return rc;
}

static enum tk_rc campaign_ext_known(struct store *st, const char *union_, const char *ext,
				     bool *out, struct tk_error *err)
{
	struct pg_params p;
	int64_t n = 0;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, ext);
	enum tk_rc rc = pg_int_of(pg_of(st), "campaign_orders.ext_known",
				  "SELECT count(*) FROM (SELECT 1 FROM campaigns WHERE union_ = $1"
				  " AND ext_id = $2 LIMIT 1) x",
				  &p, 0, &n, "looking for a campaign by its union id", err);
	*out = n > 0;
	return rc;
}

static enum tk_rc campaign_candidates(struct store *st, const char *union_, const char *ext,
				      const char *product, struct co_candidate *out, int max,
				      int *n, struct tk_error *err)
{
	struct pg_params p;
	*n = 0;
	if (max <= 0)
		return TK_OK;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, product);
	pg_p_text(&p, ext);
	pg_p_int(&p, max);
	/* the campaign tables are never batched: the batches stay collecting */
	PGresult *r = pg_run_apart(
		pg_of(st), "campaign_orders.candidates",
		"SELECT c.id, ci.id, ci.service_pm, c.promote_from, c.promote_to FROM campaign_items ci"
		" JOIN campaigns c ON c.id = ci.campaign"
		" WHERE ci.product = $2 AND c.union_ = $1 AND CASE WHEN $3::text <> ''"
		"  THEN c.ext_id = $3 ELSE c.status IN ('approved','ended') END"
		" ORDER BY c.promote_from DESC, c.id DESC LIMIT $4",
		&p, "matching a campaign", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	int rows = PQntuples(r);
	for (int i = 0; i < rows && i < max; i++) {
		out[i].campaign = pg_int(r, i, 0);
		out[i].campaign_item = pg_int(r, i, 1);
		out[i].service_pm = (int)pg_int(r, i, 2);
		out[i].promote_from = pg_int(r, i, 3);
		out[i].promote_to = pg_int(r, i, 4);
		(*n)++;
	}
	PQclear(r);
	return TK_OK;
}

static enum tk_rc channel_find(struct store *st, const char *union_, const char *kind,
			       const char *value, int64_t *channel, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, kind);
	pg_p_text(&p, value);
	PGresult *r = pg_run_apart(pg_of(st), "campaign_orders.channel",
				   "SELECT channel FROM promo_channel_ids"
				   " WHERE union_ = $1 AND kind = $2 AND value = $3",
				   &p, "finding a channel", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	bool found = PQntuples(r) > 0;
	if (found)
		*channel = pg_int(r, 0, 0);
	PQclear(r);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "channel", "no channel has %s %s on %s", kind,
			       value, union_);
}

static enum tk_rc co_get(struct store *st, int64_t item, struct campaign_order_rec *out,
			 struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, item);
	PGresult *r = pg_run(pg_of(st), "campaign_orders.get",
			     "SELECT " CO_COLUMNS " WHERE co.item = $1", &p,
			     "reading a campaign order", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	bool found = PQntuples(r) > 0;
	if (found)
		co_read(r, 0, out);
	PQclear(r);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "item", "item %lld is no campaign order",
			       (long long)item);
}

static enum tk_rc co_put(struct store *st, const struct campaign_order_rec *co,
			 struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, co->item);
	pg_p_text(&p, co->union_);
	pg_p_text(&p, co->ext_id);
	pg_p_int(&p, co->head);
	pg_p_int_or_null(&p, co->campaign);
	pg_p_int_or_null(&p, co->campaign_item);
	pg_p_int_or_null(&p, co->channel);
	pg_p_text(&p, co->channel_kind);
	pg_p_text(&p, co->channel_ref);
	pg_p_text(&p, co->shop);
	pg_p_text(&p, co->category);
	pg_p_text(&p, co->buyer);
	pg_p_int(&p, co->clicked_at);
	pg_p_int(&p, co->ordered_at);
	pg_p_text(&p, co->fee_source);
	pg_p_int(&p, co->service_pm);
	pg_p_int(&p, co->fee);
	pg_p_int(&p, co->fee_bucket);
	pg_p_int(&p, co->fee_amount);
	pg_p_int(&p, co->month);
	pg_p_int(&p, co->updated_at);
	/* queued behind the batches (pg_queue sends them first): the item it
	 * references may still sit in one */
	return pg_queue(
		pg_of(st), "campaign_orders.put",
		"INSERT INTO campaign_orders(item, union_, ext_id, head, campaign, campaign_item,"
		" channel, channel_kind, channel_ref, shop, category, buyer, clicked_at, ordered_at,"
		" fee_source, service_pm, fee, fee_bucket, fee_amount, month, updated_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
		" $18, $19, $20, $21)"
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
		&p, "writing a campaign order", NULL, err);
}

struct co_walk {
	store_campaign_order_cb cb;
	void *ctx;
};

static bool co_row(void *ctx, const PGresult *r, int row)
{
	struct co_walk *w = ctx;
	struct campaign_order_rec co;
	co_read(r, row, &co);
	return w->cb(w->ctx, &co);
}

static enum tk_rc co_each(struct store *st, const struct co_filter *f, int64_t limit,
			  store_campaign_order_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct co_walk w = {cb, ctx};
	pg_params_init(&p);
	co_filter_params(&p, f);
	pg_p_int(&p, limit > 0 ? limit : NO_LIMIT);
	return pg_each_row(pg_of(st),
			   "SELECT " CO_COLUMNS CO_WHERE " ORDER BY co.item LIMIT $13", &p, co_row,
			   &w, "reading campaign orders", err);
}

static enum tk_rc co_totals(struct store *st, const struct co_filter *f, struct co_totals *out,
			    struct tk_error *err)
{
	struct pg_params p;
	struct co_filter all = *f;
	all.after = 0;
	memset(out, 0, sizeof(*out));
	pg_params_init(&p);
	co_filter_params(&p, &all);
	PGresult *r = pg_run(
		pg_of(st), "campaign_orders.totals",
		"SELECT count(*), coalesce(sum(i.amount), 0),"
		" coalesce(sum(CASE WHEN co.fee_bucket = 1 THEN co.fee_amount ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN co.fee_bucket = 2 THEN co.fee_amount ELSE 0 END), 0),"
		" (SELECT coalesce(sum(t.amount), 0) FROM transfers t"
		"  WHERE t.debit = 5 AND t.credit = 1 AND t.item IN (SELECT co.item"
		"  FROM campaign_orders co JOIN items i ON i.id = co.item"
		"  LEFT JOIN campaigns c ON c.id = co.campaign" CO_WHERE "))"
		" FROM campaign_orders co JOIN items i ON i.id = co.item"
		" LEFT JOIN campaigns c ON c.id = co.campaign" CO_WHERE,
		&p, "summing campaign orders", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	out->orders = pg_int(r, 0, 0);
	out->gmv = pg_int(r, 0, 1);
	out->fee_estimated = pg_int(r, 0, 2);
	out->fee_settled = pg_int(r, 0, 3);
	out->fee_clawed = pg_int(r, 0, 4);
	PQclear(r);
	return TK_OK;
}

const struct campaign_order_store_ops pg_campaign_order_ops = {
	.campaign_any = campaign_any,
	.campaign_candidates = campaign_candidates,
	.campaign_ext_known = campaign_ext_known,
	.channel_find = channel_find,
	.get = co_get,
	.put = co_put,
	.each = co_each,
	.totals = co_totals,
};

/* pg_channels.c — PostgreSQL: the head's partner channels, their union ids,
 * history, slot fees and the figures channel matching ranks
 * (channel_store.h); the SQL is channel_sql.h's, the same text as
 * sqlite_channels.c runs, so both answer the same rows in the same order. */
#include <stdlib.h>
#include <string.h>

#include "store/channel_store.h"
#include "store/pg_internal.h"

#define CH_P(n) "$" #n
#define CH_INT(n) "$" #n "::bigint"
#define CH_TEXT(n) "$" #n "::text"
#define CH_CONTAINS(hay, needle) "strpos(" hay ", " needle ") > 0"
#include "store/channel_sql.h"

#define NO_LIMIT 9000000000000000000LL

static void p_rec(struct pg_params *p, const struct channel_rec *c)
{
	pg_p_text(p, c->name);
	pg_p_text(p, c->kind);
	pg_p_text(p, c->contact);
	pg_p_text(p, c->categories);
	pg_p_text(p, c->note);
	pg_p_text(p, c->state);
}

/* Runs a statement that RETURNs one value when it touched or found a row. */
static enum tk_rc returning(struct store *st, const char *name, const char *sql,
			    const struct pg_params *p, const char *what, bool *found, int64_t *v,
			    struct tk_error *err)
{
	PGresult *r = pg_run(pg_of(st), name, sql, p, what, err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	*found = PQntuples(r) > 0;
	if (*found && v)
		*v = pg_int(r, 0, 0);
	PQclear(r);
	return TK_OK;
}

static enum tk_rc channel_insert(struct store *st, struct channel_rec *c, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	p_rec(&p, c);
	pg_p_int(&p, c->created_at);
	pg_p_int(&p, c->updated_at);
	bool found;
	return returning(st, "channels.insert", CH_SQL_INSERT, &p, "adding a channel", &found,
			 &c->id, err);
}

static enum tk_rc channel_update(struct store *st, const struct channel_rec *c,
				 struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	p_rec(&p, c);
	pg_p_int(&p, c->updated_at);
	pg_p_int(&p, c->id);
	bool found;
	enum tk_rc rc = returning(st, "channels.update", CH_SQL_UPDATE, &p, "updating a channel",
				  &found, NULL, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "channel", "no channel %lld", (long long)c->id);
	return rc;
}

static void read_rec(const PGresult *r, int row, struct channel_rec *c)
{
	c->id = pg_int(r, row, 0);
	pg_copy(r, row, 1, c->name, sizeof(c->name));
	pg_copy(r, row, 2, c->kind, sizeof(c->kind));
	pg_copy(r, row, 3, c->contact, sizeof(c->contact));
	pg_copy(r, row, 4, c->categories, sizeof(c->categories));
	pg_copy(r, row, 5, c->note, sizeof(c->note));
	pg_copy(r, row, 6, c->state, sizeof(c->state));
	c->created_at = pg_int(r, row, 7);
	c->updated_at = pg_int(r, row, 8);
}

static enum tk_rc channel_get(struct store *st, int64_t id, struct channel_rec *c,
			      struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	PGresult *r = pg_run(pg_of(st), "channels.get", CH_SQL_GET, &p, "reading a channel", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0)
		read_rec(r, 0, c);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "channel", "no channel %lld", (long long)id);
	PQclear(r);
	return rc;
}

/* Small results (a page, a channel's ids) are read whole: each row handed
 * on in order, the callback may stop early. */
static enum tk_rc each(struct store *st, const char *name, const char *sql,
		       const struct pg_params *p, const char *what,
		       bool (*row)(void *ctx, const PGresult *r, int i), void *ctx,
		       struct tk_error *err)
{
	PGresult *r = pg_run(pg_of(st), name, sql, p, what, err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	for (int i = 0; i < PQntuples(r); i++)
		if (!row(ctx, r, i))
			break;
	PQclear(r);
	return TK_OK;
}

struct rec_walk {
	channel_cb cb;
	void *ctx;
	struct channel_rec c;
};

static bool rec_row(void *ctx, const PGresult *r, int i)
{
	struct rec_walk *w = ctx;
	read_rec(r, i, &w->c);
	return w->cb(w->ctx, &w->c);
}

static enum tk_rc channel_each(struct store *st, const struct channel_filter *f, channel_cb cb,
			       void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text_or_null(&p, f->kind);
	pg_p_text_or_null(&p, f->state);
	pg_p_text_or_null(&p, f->category);
	pg_p_text_or_null(&p, f->name);
	pg_p_int(&p, f->before);
	pg_p_int(&p, f->limit > 0 ? f->limit : NO_LIMIT);
	struct rec_walk *w = malloc(sizeof(*w));
	if (!w)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	w->cb = cb;
	w->ctx = ctx;
	enum tk_rc rc = pg_each_row(pg_of(st), CH_SQL_LIST, &p, rec_row, w, "listing channels", err);
	free(w);
	return rc;
}

static enum tk_rc channel_id_owner(struct store *st, const char *union_, const char *kind,
				   const char *value, int64_t *channel, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, kind);
	pg_p_text(&p, value);
	bool found;
	enum tk_rc rc = returning(st, "channels.id_owner", CH_SQL_ID_OWNER, &p,
				  "reading a channel's union id", &found, channel, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "value", "no channel holds %s %s %s", union_, kind,
			     value);
	return rc;
}

static void p_id(struct pg_params *p, const struct channel_id_rec *r)
{
	pg_p_int(p, r->channel);
	pg_p_text(p, r->union_);
	pg_p_text(p, r->kind);
	pg_p_text(p, r->value);
}

static enum tk_rc channel_id_insert(struct store *st, const struct channel_id_rec *r,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	p_id(&p, r);
	bool found;
	enum tk_rc rc = returning(st, "channels.id_insert", CH_SQL_ID_INSERT, &p,
				  "adding a channel's union id", &found, NULL, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ECONFLICT, "value", "%s %s %s is held already", r->union_,
			     r->kind, r->value);
	return rc;
}

static enum tk_rc channel_id_delete(struct store *st, const struct channel_id_rec *r,
				    struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	p_id(&p, r);
	bool found;
	enum tk_rc rc = returning(st, "channels.id_delete", CH_SQL_ID_DELETE, &p,
				  "removing a channel's union id", &found, NULL, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "value", "channel %lld holds no %s %s %s",
			     (long long)r->channel, r->union_, r->kind, r->value);
	return rc;
}

struct id_walk {
	channel_id_cb cb;
	void *ctx;
};

static bool id_row(void *ctx, const PGresult *res, int i)
{
	struct id_walk *w = ctx;
	struct channel_id_rec r;
	r.channel = pg_int(res, i, 0);
	pg_copy(res, i, 1, r.union_, sizeof(r.union_));
	pg_copy(res, i, 2, r.kind, sizeof(r.kind));
	pg_copy(res, i, 3, r.value, sizeof(r.value));
	return w->cb(w->ctx, &r);
}

static enum tk_rc channel_ids(struct store *st, int64_t channel, channel_id_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, channel);
	struct id_walk w = {cb, ctx};
	return each(st, "channels.ids", CH_SQL_IDS, &p, "reading a channel's union ids", id_row,
		    &w, err);
}

static enum tk_rc channel_link_orders(struct store *st, const struct channel_id_rec *r,
				      int64_t *linked, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	p_id(&p, r);
	PGresult *res = pg_run(pg_of(st), "channels.link", CH_SQL_LINK, &p,
			       "linking campaign orders to a channel", err);
	if (!res)
		return err->rc ? err->rc : TK_EIO;
	*linked = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return TK_OK;
}

struct month_walk {
	channel_month_cb cb;
	void *ctx;
};

static bool month_row(void *ctx, const PGresult *r, int i)
{
	struct month_walk *w = ctx;
	struct channel_month m;
	m.month = pg_int(r, i, 0);
	m.orders = pg_int(r, i, 1);
	m.paid = pg_int(r, i, 2);
	m.gmv = pg_int(r, i, 3);
	m.fee = pg_int(r, i, 4);
	m.refunded = pg_int(r, i, 5);
	return w->cb(w->ctx, &m);
}

static enum tk_rc channel_months(struct store *st, int64_t channel, int limit,
				 channel_month_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, channel);
	pg_p_int(&p, limit > 0 ? limit : NO_LIMIT);
	struct month_walk w = {cb, ctx};
	return each(st, "channels.months", CH_SQL_MONTHS, &p, "reading a channel's months",
		    month_row, &w, err);
}

struct slot_walk {
	channel_slot_cb cb;
	void *ctx;
};

static bool slot_row(void *ctx, const PGresult *r, int i)
{
	struct slot_walk *w = ctx;
	struct channel_slot_fee f;
	f.id = pg_int(r, i, 0);
	f.campaign = pg_int(r, i, 1);
	pg_copy(r, i, 2, f.campaign_name, sizeof(f.campaign_name));
	f.amount = pg_int(r, i, 3);
	pg_copy(r, i, 4, f.state, sizeof(f.state));
	f.booked_at = pg_int(r, i, 5);
	f.collected_at = pg_int(r, i, 6);
	f.waived_at = pg_int(r, i, 7);
	return w->cb(w->ctx, &f);
}

static enum tk_rc channel_slot_fees(struct store *st, int64_t channel, int limit,
				    channel_slot_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, channel);
	pg_p_int(&p, limit > 0 ? limit : NO_LIMIT);
	struct slot_walk w = {cb, ctx};
	return each(st, "channels.slot_fees", CH_SQL_SLOTS, &p, "reading a channel's slot fees",
		    slot_row, &w, err);
}

struct fig_walk {
	channel_figures_cb cb;
	void *ctx;
	const char *category;
};

static bool fig_row(void *ctx, const PGresult *r, int row)
{
	struct fig_walk *w = ctx;
	struct cm_figures f;
	char cats[CHANNEL_CATS_MAX];
	memset(&f, 0, sizeof(f));
	f.id = pg_int(r, row, 0);
	pg_copy(r, row, 1, f.name, sizeof(f.name));
	pg_copy(r, row, 2, f.state, sizeof(f.state));
	pg_copy(r, row, 3, cats, sizeof(cats));
	f.declared = cm_list_has(cats, w->category);
	f.has_union_id = pg_int(r, row, 4) != 0;
	int64_t *v[] = {&f.orders,	&f.paid,      &f.gmv,	     &f.cat_orders,
			&f.cat_gmv,	&f.band_orders, &f.band_gmv, &f.refunded,
			&f.buyer_orders, &f.top3,      &f.timed,     &f.fast,
			&f.refund_day_max, &f.hour_max, &f.slot_fen, &f.slot_gmv};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		*v[i] = pg_int(r, row, 5 + (int)i);
	return w->cb(w->ctx, &f);
}

static enum tk_rc channel_figures(struct store *st, const struct channel_figures_query *q,
				  channel_figures_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, q->category);
	pg_p_int(&p, q->price);
	pg_p_text(&p, q->union_);
	pg_p_int(&p, q->since);
	pg_p_int(&p, q->fast_seconds);
	pg_p_int(&p, q->limit > 0 ? q->limit : NO_LIMIT);
	struct fig_walk w = {cb, ctx, q->category};
	return pg_each_row(pg_of(st), CH_SQL_FIGURES, &p, fig_row, &w,
			   "reading the channels' figures", err);
}

static enum tk_rc channel_avg_price(struct store *st, int64_t channel, int64_t since,
				    int64_t *avg, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, channel);
	pg_p_int(&p, since);
	PGresult *r = pg_run(pg_of(st), "channels.avg_price", CH_SQL_AVG, &p,
			     "reading a channel's prices", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	int64_t fen = PQntuples(r) ? pg_int(r, 0, 0) : 0;
	int64_t units = PQntuples(r) ? pg_int(r, 0, 1) : 0;
	*avg = units > 0 ? fen / units : 0;
	PQclear(r);
	return TK_OK;
}

static void read_product(const PGresult *r, int row, struct cm_product *p)
{
	memset(p, 0, sizeof(*p));
	p->id = pg_int(r, row, 0);
	pg_copy(r, row, 1, p->category, sizeof(p->category));
	p->price = pg_int(r, row, 2);
	pg_copy(r, row, 3, p->union_, sizeof(p->union_));
	p->service_pm = pg_int(r, row, 4);
	p->commission_pm = pg_int(r, row, 5);
	p->campaign = pg_int(r, row, 6);
	pg_copy(r, row, 7, p->title, sizeof(p->title));
}

static enum tk_rc campaign_product(struct store *st, int64_t id, struct cm_product *pr,
				   struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	PGresult *r = pg_run(pg_of(st), "channels.campaign_product", CH_SQL_PRODUCT, &p,
			     "reading a campaign product", err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	enum tk_rc rc = TK_OK;
	if (PQntuples(r) > 0)
		read_product(r, 0, pr);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "campaign_item", "no campaign product %lld",
			     (long long)id);
	PQclear(r);
	return rc;
}

struct cand_walk {
	channel_candidate_cb cb;
	void *ctx;
};

static bool cand_row(void *ctx, const PGresult *r, int row)
{
	struct cand_walk *w = ctx;
	struct cm_candidate c;
	char cats[CHANNEL_CATS_MAX];
	memset(&c, 0, sizeof(c));
	read_product(r, row, &c.p);
	c.cat_orders = pg_int(r, row, 8);
	c.cat_gmv = pg_int(r, row, 9);
	pg_copy(r, row, 10, cats, sizeof(cats));
	c.declared = cm_list_has(cats, c.p.category);
	return w->cb(w->ctx, &c);
}

static enum tk_rc channel_candidates(struct store *st, int64_t channel, int64_t now,
				     int64_t since, int limit, channel_candidate_cb cb, void *ctx,
				     struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, channel);
	pg_p_int(&p, now);
	pg_p_int(&p, since);
	pg_p_int(&p, limit > 0 ? limit : NO_LIMIT);
	struct cand_walk w = {cb, ctx};
	return pg_each_row(pg_of(st), CH_SQL_CANDIDATES, &p, cand_row, &w,
			   "reading campaign products", err);
}

const struct channel_store_ops pg_channel_ops = {
	.channel_insert = channel_insert,
	.channel_update = channel_update,
	.channel_get = channel_get,
	.channel_each = channel_each,
	.channel_id_owner = channel_id_owner,
	.channel_id_insert = channel_id_insert,
	.channel_id_delete = channel_id_delete,
	.channel_ids = channel_ids,
	.channel_link_orders = channel_link_orders,
	.channel_months = channel_months,
	.channel_slot_fees = channel_slot_fees,
	.channel_figures = channel_figures,
	.channel_avg_price = channel_avg_price,
	.campaign_product = campaign_product,
	.channel_candidates = channel_candidates,
};

/* sqlite_channels.c — SQLite: the head's partner channels, their union ids,
 * history, slot fees and the figures channel matching ranks
 * (channel_store.h), over promo-0001's tables; the SQL is channel_sql.h's,
 * shared with pg_channels.c. */
#include <stdio.h>
#include <string.h>

#include "store/channel_store.h"
#include "store/sqlite_internal.h"

#define CH_P(n) "?" #n
#define CH_INT(n) "?" #n
#define CH_TEXT(n) "?" #n
#define CH_CONTAINS(hay, needle) "instr(" hay ", " needle ") > 0"
#include "store/channel_sql.h"

enum {
	S_INSERT,
	S_UPDATE,
	S_GET,
	S_LIST,
	S_ID_OWNER,
	S_ID_INSERT,
	S_ID_DELETE,
	S_IDS,
	S_LINK,
	S_MONTHS,
	S_SLOTS,
	S_FIGURES,
	S_AVG,
	S_PRODUCT,
	S_CANDIDATES,
	S_CHANNELS_N_
};
_Static_assert(S_CHANNELS_N_ <= SQLITE_STMT_SLOTS, "too many channel statements");

#define NO_LIMIT 9000000000000000000LL

static sqlite3_stmt *stmt(struct sqlite_store *s, int slot, const char *sql, struct tk_error *err)
{
	return sqlite_stmt(s, &s->channels[slot], sql, err);
}

static void bind_rec(sqlite3_stmt *q, const struct channel_rec *c)
{
	sqlite3_bind_text(q, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->contact, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->categories, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, c->state, -1, SQLITE_STATIC);
}

/* Runs a write that RETURNs one value when it touched a row. */
static enum tk_rc returning(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
			    bool *found, int64_t *v, struct tk_error *err)
{
	enum tk_rc rc = sqlite_step_one(s, q, found, what, err);
	if (!rc && *found && v)
		*v = sqlite3_column_int64(q, 0);
	if (!rc)
		sqlite3_reset(q);
	return rc;
}

static enum tk_rc channel_insert(struct store *st, struct channel_rec *c, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_INSERT, CH_SQL_INSERT, err);
	if (!q)
		return TK_EIO;
	bind_rec(q, c);
	sqlite3_bind_int64(q, 7, c->created_at);
	sqlite3_bind_int64(q, 8, c->updated_at);
	bool found;
	return returning(s, q, "adding a channel", &found, &c->id, err);
}

static enum tk_rc channel_update(struct store *st, const struct channel_rec *c,
				 struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_UPDATE, CH_SQL_UPDATE, err);
	if (!q)
		return TK_EIO;
	bind_rec(q, c);
	sqlite3_bind_int64(q, 7, c->updated_at);
	sqlite3_bind_int64(q, 8, c->id);
	bool found;
	enum tk_rc rc = returning(s, q, "updating a channel", &found, NULL, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "channel", "no channel %lld", (long long)c->id);
	return rc;
}

static void read_rec(sqlite3_stmt *q, struct channel_rec *c)
{
	c->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, c->name, sizeof(c->name));
	sqlite_column_copy(q, 2, c->kind, sizeof(c->kind));
	sqlite_column_copy(q, 3, c->contact, sizeof(c->contact));
	sqlite_column_copy(q, 4, c->categories, sizeof(c->categories));
	sqlite_column_copy(q, 5, c->note, sizeof(c->note));
	sqlite_column_copy(q, 6, c->state, sizeof(c->state));
	c->created_at = sqlite3_column_int64(q, 7);
	c->updated_at = sqlite3_column_int64(q, 8);
}

static enum tk_rc channel_get(struct store *st, int64_t id, struct channel_rec *c,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_GET, CH_SQL_GET, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a channel", err);
	if (rc)
		return rc;
	if (found)
		read_rec(q, c);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "channel", "no channel %lld", (long long)id);
	sqlite3_reset(q);
	return rc;
}

struct rec_walk {
	channel_cb cb;
	void *ctx;
	struct channel_rec c;
};

static bool rec_row(void *ctx, sqlite3_stmt *q)
{
	struct rec_walk *w = ctx;
	read_rec(q, &w->c);
	return w->cb(w->ctx, &w->c);
}

static enum tk_rc channel_each(struct store *st, const struct channel_filter *f, channel_cb cb,
			       void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_LIST, CH_SQL_LIST, err);
	if (!q)
		return TK_EIO;
	sqlite_bind_text_or_null(q, 1, f->kind);
	sqlite_bind_text_or_null(q, 2, f->state);
	sqlite_bind_text_or_null(q, 3, f->category);
	sqlite_bind_text_or_null(q, 4, f->name);
	sqlite3_bind_int64(q, 5, f->before);
	sqlite3_bind_int64(q, 6, f->limit > 0 ? f->limit : NO_LIMIT);
	struct rec_walk w = {.cb = cb, .ctx = ctx};
	return sqlite_each_row(s, q, rec_row, &w, "listing channels", err);
}

static enum tk_rc channel_id_owner(struct store *st, const char *union_, const char *kind,
				   const char *value, int64_t *channel, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_ID_OWNER, CH_SQL_ID_OWNER, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, value, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = returning(s, q, "reading a channel's union id", &found, channel, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "value", "no channel holds %s %s %s", union_, kind,
			     value);
	return rc;
}

static enum tk_rc channel_id_insert(struct store *st, const struct channel_id_rec *r,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_ID_INSERT, CH_SQL_ID_INSERT, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, r->channel);
	sqlite3_bind_text(q, 2, r->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->value, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = returning(s, q, "adding a channel's union id", &found, NULL, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ECONFLICT, "value", "%s %s %s is held already", r->union_,
			     r->kind, r->value);
	return rc;
}

static enum tk_rc channel_id_delete(struct store *st, const struct channel_id_rec *r,
				    struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_ID_DELETE, CH_SQL_ID_DELETE, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, r->channel);
	sqlite3_bind_text(q, 2, r->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->value, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = returning(s, q, "removing a channel's union id", &found, NULL, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "value", "channel %lld holds no %s %s %s",
			     (long long)r->channel, r->union_, r->kind, r->value);
	return rc;
}

struct id_walk {
	channel_id_cb cb;
	void *ctx;
};

static bool id_row(void *ctx, sqlite3_stmt *q)
{
	struct id_walk *w = ctx;
	struct channel_id_rec r;
	r.channel = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, r.union_, sizeof(r.union_));
	sqlite_column_copy(q, 2, r.kind, sizeof(r.kind));
	sqlite_column_copy(q, 3, r.value, sizeof(r.value));
	return w->cb(w->ctx, &r);
}

static enum tk_rc channel_ids(struct store *st, int64_t channel, channel_id_cb cb, void *ctx,
			      struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_IDS, CH_SQL_IDS, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, channel);
	struct id_walk w = {cb, ctx};
	return sqlite_each_row(s, q, id_row, &w, "reading a channel's union ids", err);
}

static enum tk_rc channel_link_orders(struct store *st, const struct channel_id_rec *r,
				      int64_t *linked, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_LINK, CH_SQL_LINK, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, r->channel);
	sqlite3_bind_text(q, 2, r->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->value, -1, SQLITE_STATIC);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "linking campaign orders to a channel", err);
	if (!rc)
		*linked = sqlite3_changes(s->db);
	return rc;
}

struct month_walk {
	channel_month_cb cb;
	void *ctx;
};

static bool month_row(void *ctx, sqlite3_stmt *q)
{
	struct month_walk *w = ctx;
	struct channel_month m;
	m.month = sqlite3_column_int64(q, 0);
	m.orders = sqlite3_column_int64(q, 1);
	m.paid = sqlite3_column_int64(q, 2);
	m.gmv = sqlite3_column_int64(q, 3);
	m.fee = sqlite3_column_int64(q, 4);
	m.refunded = sqlite3_column_int64(q, 5);
	return w->cb(w->ctx, &m);
}

static enum tk_rc channel_months(struct store *st, int64_t channel, int limit,
				 channel_month_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_MONTHS, CH_SQL_MONTHS, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, channel);
	sqlite3_bind_int64(q, 2, limit > 0 ? limit : NO_LIMIT);
	struct month_walk w = {cb, ctx};
	return sqlite_each_row(s, q, month_row, &w, "reading a channel's months", err);
}

struct slot_walk {
	channel_slot_cb cb;
	void *ctx;
};

static bool slot_row(void *ctx, sqlite3_stmt *q)
{
	struct slot_walk *w = ctx;
	struct channel_slot_fee f;
	f.id = sqlite3_column_int64(q, 0);
	f.campaign = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, f.campaign_name, sizeof(f.campaign_name));
	f.amount = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, f.state, sizeof(f.state));
	f.booked_at = sqlite3_column_int64(q, 5);
	f.collected_at = sqlite3_column_int64(q, 6);
	f.waived_at = sqlite3_column_int64(q, 7);
	return w->cb(w->ctx, &f);
}

static enum tk_rc channel_slot_fees(struct store *st, int64_t channel, int limit,
				    channel_slot_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_SLOTS, CH_SQL_SLOTS, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, channel);
	sqlite3_bind_int64(q, 2, limit > 0 ? limit : NO_LIMIT);
	struct slot_walk w = {cb, ctx};
	return sqlite_each_row(s, q, slot_row, &w, "reading a channel's slot fees", err);
}

struct fig_walk {
	channel_figures_cb cb;
	void *ctx;
	const char *category;
};

static bool fig_row(void *ctx, sqlite3_stmt *q)
{
	struct fig_walk *w = ctx;
	struct cm_figures f;
	char cats[CHANNEL_CATS_MAX];
	memset(&f, 0, sizeof(f));
	f.id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, f.name, sizeof(f.name));
	sqlite_column_copy(q, 2, f.state, sizeof(f.state));
	sqlite_column_copy(q, 3, cats, sizeof(cats));
	f.declared = cm_list_has(cats, w->category);
	f.has_union_id = sqlite3_column_int64(q, 4) != 0;
	int64_t *v[] = {&f.orders,	&f.paid,      &f.gmv,	     &f.cat_orders,
			&f.cat_gmv,	&f.band_orders, &f.band_gmv, &f.refunded,
			&f.buyer_orders, &f.top3,      &f.timed,     &f.fast,
			&f.refund_day_max, &f.hour_max, &f.slot_fen, &f.slot_gmv};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		*v[i] = sqlite3_column_int64(q, 5 + (int)i);
	return w->cb(w->ctx, &f);
}

static enum tk_rc channel_figures(struct store *st, const struct channel_figures_query *qr,
				  channel_figures_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_FIGURES, CH_SQL_FIGURES, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, qr->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, qr->price);
	sqlite3_bind_text(q, 3, qr->union_, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, qr->since);
	sqlite3_bind_int64(q, 5, qr->fast_seconds);
	sqlite3_bind_int64(q, 6, qr->limit > 0 ? qr->limit : NO_LIMIT);
	struct fig_walk w = {cb, ctx, qr->category};
	return sqlite_each_row(s, q, fig_row, &w, "reading the channels' figures", err);
}

static enum tk_rc channel_avg_price(struct store *st, int64_t channel, int64_t since,
				    int64_t *avg, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_AVG, CH_SQL_AVG, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, channel);
	sqlite3_bind_int64(q, 2, since);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a channel's prices", err);
	if (rc)
		return rc;
	int64_t fen = found ? sqlite3_column_int64(q, 0) : 0;
	int64_t units = found ? sqlite3_column_int64(q, 1) : 0;
	*avg = units > 0 ? fen / units : 0;
	sqlite3_reset(q);
	return TK_OK;
}

static void read_product(sqlite3_stmt *q, struct cm_product *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, p->category, sizeof(p->category));
	p->price = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, p->union_, sizeof(p->union_));
	p->service_pm = sqlite3_column_int64(q, 4);
	p->commission_pm = sqlite3_column_int64(q, 5);
	p->campaign = sqlite3_column_int64(q, 6);
	sqlite_column_copy(q, 7, p->title, sizeof(p->title));
}

static enum tk_rc campaign_product(struct store *st, int64_t id, struct cm_product *p,
				   struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_PRODUCT, CH_SQL_PRODUCT, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(s, q, &found, "reading a campaign product", err);
	if (rc)
		return rc;
	if (found)
		read_product(q, p);
	else
		rc = tk_fail(err, TK_ENOTFOUND, "campaign_item", "no campaign product %lld",
			     (long long)id);
	sqlite3_reset(q);
	return rc;
}

struct cand_walk {
	channel_candidate_cb cb;
	void *ctx;
};

static bool cand_row(void *ctx, sqlite3_stmt *q)
{
	struct cand_walk *w = ctx;
	struct cm_candidate c;
	char cats[CHANNEL_CATS_MAX];
	memset(&c, 0, sizeof(c));
	read_product(q, &c.p);
	c.cat_orders = sqlite3_column_int64(q, 8);
	c.cat_gmv = sqlite3_column_int64(q, 9);
	sqlite_column_copy(q, 10, cats, sizeof(cats));
	c.declared = cm_list_has(cats, c.p.category);
	return w->cb(w->ctx, &c);
}

static enum tk_rc channel_candidates(struct store *st, int64_t channel, int64_t now,
				     int64_t since, int limit, channel_candidate_cb cb, void *ctx,
				     struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = stmt(s, S_CANDIDATES, CH_SQL_CANDIDATES, err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, channel);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, since);
	sqlite3_bind_int64(q, 4, limit > 0 ? limit : NO_LIMIT);
	struct cand_walk w = {cb, ctx};
	return sqlite_each_row(s, q, cand_row, &w, "reading campaign products", err);
}

const struct channel_store_ops sqlite_channel_ops = {
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

/* sqlite_promo.c — SQLite: the head's registry (promo_store.h): merchants,
 * their shops, campaigns, campaign products and slot fees over the tables
 * of promo-0001 (sqlite_promo_schema.c).  pg_promo.c is the twin: same
 * rows, same order, same errors. */
#include <stdio.h>
#include <string.h>

#include "store/promo_store.h"
#include "store/sqlite_internal.h"

enum {
	S_MERCHANT_INSERT,
	S_MERCHANT_UPDATE,
	S_MERCHANT_GET,
	S_MERCHANT_LIST,
	S_SHOP_ADD,
	S_SHOP_FIND,
	S_SHOP_REMOVE,
	S_SHOP_LIST,
	S_CAMPAIGN_INSERT,
	S_CAMPAIGN_UPDATE,
	S_CAMPAIGN_GET,
	S_CAMPAIGN_LIST,
	S_ITEM_GET,
	S_ITEM_INSERT,
	S_ITEM_UPDATE,
	S_ITEM_LIST,
	S_ITEM_STATUS,
	S_ITEM_REMOVE,
	S_SLOT_INSERT,
	S_SLOT_GET,
	S_SLOT_UPDATE,
	S_SLOT_LIST,
	S_CHANNEL_NAME,
	S_PROMO_N_
};
_Static_assert(S_PROMO_N_ <= SQLITE_STMT_SLOTS, "too many promo statements");

#define NO_LIMIT 9000000000000000000LL

static sqlite3_stmt *stmt(struct store *st, int slot, const char *sql, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	return sqlite_stmt(s, &s->promo[slot], sql, err);
}

/* Runs a write that must touch a row: TK_ENOTFOUND naming `what` and id
 * when it touched none. */
static enum tk_rc exec_one(struct store *st, sqlite3_stmt *q, const char *doing,
			   const char *what, int64_t id, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	enum tk_rc rc = sqlite_exec_stmt(s, q, doing, err);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = tk_fail(err, TK_ENOTFOUND, what, "no %s %lld", what, (long long)id);
	return rc;
}

/* ---- merchants ---- */

#define MERCHANT_COLS \
	"id, name, contact, phone, wechat, terms, note, state, created_at, updated_at"

static void merchant_read(sqlite3_stmt *q, struct merchant_rec *m)
{
	m->id = sqlite3_column_int64(q, 0);
	sqlite_column_copy(q, 1, m->name, sizeof(m->name));
	sqlite_column_copy(q, 2, m->contact, sizeof(m->contact));
	sqlite_column_copy(q, 3, m->phone, sizeof(m->phone));
	sqlite_column_copy(q, 4, m->wechat, sizeof(m->wechat));
	sqlite_column_copy(q, 5, m->terms, sizeof(m->terms));
	sqlite_column_copy(q, 6, m->note, sizeof(m->note));
	sqlite_column_copy(q, 7, m->state, sizeof(m->state));
	m->created_at = sqlite3_column_int64(q, 8);
	m->updated_at = sqlite3_column_int64(q, 9);
}

static void merchant_bind(sqlite3_stmt *q, const struct merchant_rec *m)
{
	sqlite3_bind_text(q, 1, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, m->contact, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, m->phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, m->wechat, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, m->terms, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, m->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, m->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, m->updated_at);
}

static enum tk_rc merchant_insert(struct store *st, struct merchant_rec *m, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_MERCHANT_INSERT,
			       "INSERT INTO merchants(name, contact, phone, wechat, terms, note, state,"
			       " updated_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			       err);
	if (!q)
		return TK_EIO;
	merchant_bind(q, m);
	sqlite3_bind_int64(q, 9, m->created_at);
	enum tk_rc rc = sqlite_exec_stmt(sqlite_of(st), q, "adding a merchant", err);
	if (!rc)
		m->id = sqlite3_last_insert_rowid(sqlite_of(st)->db);
	return rc;
}

static enum tk_rc merchant_update(struct store *st, const struct merchant_rec *m,
				  struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_MERCHANT_UPDATE,
			       "UPDATE merchants SET name = ?1, contact = ?2, phone = ?3, wechat = ?4,"
			       " terms = ?5, note = ?6, state = ?7, updated_at = ?8 WHERE id = ?9",
			       err);
	if (!q)
		return TK_EIO;
	merchant_bind(q, m);
	sqlite3_bind_int64(q, 9, m->id);
	return exec_one(st, q, "changing a merchant", "merchant", m->id, err);
}

static enum tk_rc merchant_get(struct store *st, int64_t id, struct merchant_rec *m,
			       struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_MERCHANT_GET,
			       "SELECT " MERCHANT_COLS " FROM merchants WHERE id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(sqlite_of(st), q, &found, "reading a merchant", err);
	if (rc)
		return rc;
	if (found)
		merchant_read(q, m);
	sqlite3_reset(q);
	return found ? TK_OK : tk_fail(err, TK_ENOTFOUND, "merchant", "no merchant %lld", (long long)id);
}

struct walk {
	void *cb;
	void *ctx;
};

static bool merchant_row(void *ctx, sqlite3_stmt *q)
{
	struct walk *w = ctx;
	struct merchant_rec m;
	merchant_read(q, &m);
	return ((store_merchant_cb)w->cb)(w->ctx, &m);
}

static enum tk_rc merchant_list(struct store *st, const struct merchant_filter *f,
				store_merchant_cb cb, void *ctx, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_MERCHANT_LIST,
			       "SELECT " MERCHANT_COLS " FROM merchants"
			       " WHERE (?1 IS NULL OR instr(name, ?1) > 0)"
			       " AND (?2 IS NULL OR state = ?2) AND (?3 = 0 OR id < ?3)"
			       " ORDER BY id DESC LIMIT ?4",
			       err);
	if (!q)
		return TK_EIO;
	sqlite_bind_text_or_null(q, 1, f->q);
	sqlite_bind_text_or_null(q, 2, f->state);
	sqlite3_bind_int64(q, 3, f->before);
	sqlite3_bind_int64(q, 4, f->limit > 0 ? f->limit : NO_LIMIT);
	struct walk w = {(void *)cb, ctx};
	enum tk_rc rc = sqlite_each_row(sqlite_of(st), q, merchant_row, &w, "listing merchants", err);
	sqlite3_clear_bindings(q);
	return rc;
}

/* ---- shops ---- */

static void shop_read(sqlite3_stmt *q, struct shop_rec *s)
{
	s->id = sqlite3_column_int64(q, 0);
	s->merchant = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, s->union_, sizeof(s->union_));
	sqlite_column_copy(q, 3, s->shop, sizeof(s->shop));
	sqlite_column_copy(q, 4, s->name, sizeof(s->name));
}

static enum tk_rc shop_add(struct store *st, struct shop_rec *s, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SHOP_ADD,
			       "INSERT INTO merchant_shops(merchant, union_, shop, name)"
			       " VALUES (?, ?, ?, ?) ON CONFLICT (union_, shop) DO NOTHING",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, s->merchant);
	sqlite3_bind_text(q, 2, s->union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, s->shop, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, s->name, -1, SQLITE_STATIC);
	struct sqlite_store *ss = sqlite_of(st);
	enum tk_rc rc = sqlite_exec_stmt(ss, q, "adding a shop", err);
	if (rc)
		return rc;
	if (sqlite3_changes(ss->db) == 0)
		return tk_fail(err, TK_ECONFLICT, "shop", "shop %s/%s is registered already",
			       s->union_, s->shop);
	s->id = sqlite3_last_insert_rowid(ss->db);
	return TK_OK;
}

static enum tk_rc shop_find(struct store *st, const char *union_, const char *shop,
			    struct shop_rec *s, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SHOP_FIND,
			       "SELECT id, merchant, union_, shop, name FROM merchant_shops"
			       " WHERE union_ = ? AND shop = ?",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, shop, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = sqlite_step_one(sqlite_of(st), q, &found, "reading a shop", err);
	if (rc)
		return rc;
	if (found)
		shop_read(q, s);
	sqlite3_reset(q);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "shop", "no shop %s/%s", union_, shop);
}

static enum tk_rc shop_remove(struct store *st, int64_t merchant, const char *union_,
			      const char *shop, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SHOP_REMOVE,
			       "DELETE FROM merchant_shops WHERE merchant = ? AND union_ = ? AND shop = ?",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	sqlite3_bind_text(q, 2, union_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, shop, -1, SQLITE_STATIC);
	struct sqlite_store *ss = sqlite_of(st);
	enum tk_rc rc = sqlite_exec_stmt(ss, q, "removing a shop", err);
	if (!rc && sqlite3_changes(ss->db) == 0)
		rc = tk_fail(err, TK_ENOTFOUND, "shop", "merchant %lld has no shop %s/%s",
			     (long long)merchant, union_, shop);
	return rc;
}

static bool shop_row(void *ctx, sqlite3_stmt *q)
{
	struct walk *w = ctx;
	struct shop_rec s;
	shop_read(q, &s);
	return ((store_shop_cb)w->cb)(w->ctx, &s);
}

static enum tk_rc shop_list(struct store *st, int64_t merchant, store_shop_cb cb, void *ctx,
			    struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SHOP_LIST,
			       "SELECT id, merchant, union_, shop, name FROM merchant_shops"
			       " WHERE merchant = ? ORDER BY id",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, merchant);
	struct walk w = {(void *)cb, ctx};
	return sqlite_each_row(sqlite_of(st), q, shop_row, &w, "listing shops", err);
}

/* ---- campaigns ---- */

/* the campaign and its merchant's name, in one read */
#define CAMPAIGN_COLS                                                                       \
	"c.id, c.merchant, c.union_, c.ext_id, c.name, c.status, c.apply_from, c.apply_to,"   \
	" c.promote_from, c.promote_to, c.note, c.created_at, c.updated_at, m.name"         \
	" FROM campaigns c JOIN merchants m ON m.id = c.merchant"

static void campaign_read(sqlite3_stmt *q, struct campaign_rec *c)
{
	c->id = sqlite3_column_int64(q, 0);
	c->merchant = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, c->union_, sizeof(c->union_));
	sqlite_column_copy(q, 3, c->ext_id, sizeof(c->ext_id));
	sqlite_column_copy(q, 4, c->name, sizeof(c->name));
	sqlite_column_copy(q, 5, c->status, sizeof(c->status));
	c->apply_from = sqlite3_column_int64(q, 6);
	c->apply_to = sqlite3_column_int64(q, 7);
	c->promote_from = sqlite3_column_int64(q, 8);
	c->promote_to = sqlite3_column_int64(q, 9);
	sqlite_column_copy(q, 10, c->note, sizeof(c->note));
	c->created_at = sqlite3_column_int64(q, 11);
	c->updated_at = sqlite3_column_int64(q, 12);
	sqlite_column_copy(q, 13, c->merchant_name, sizeof(c->merchant_name));
}

/* ?1..?9 as campaign_update writes them */
static void campaign_bind(sqlite3_stmt *q, const struct campaign_rec *c)
{
	sqlite3_bind_text(q, 1, c->ext_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, c->apply_from);
	sqlite3_bind_int64(q, 5, c->apply_to);
	sqlite3_bind_int64(q, 6, c->promote_from);
	sqlite3_bind_int64(q, 7, c->promote_to);
	sqlite3_bind_text(q, 8, c->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 9, c->updated_at);
}

static enum tk_rc campaign_insert(struct store *st, struct campaign_rec *c, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_CAMPAIGN_INSERT,
			       "INSERT INTO campaigns(ext_id, name, status, apply_from, apply_to,"
			       " promote_from, promote_to, note, updated_at, merchant, union_, created_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			       err);
	if (!q)
		return TK_EIO;
	campaign_bind(q, c);
	sqlite3_bind_int64(q, 10, c->merchant);
	sqlite3_bind_text(q, 11, c->union_, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 12, c->created_at);
	enum tk_rc rc = sqlite_exec_stmt(sqlite_of(st), q, "adding a campaign", err);
	if (!rc)
		c->id = sqlite3_last_insert_rowid(sqlite_of(st)->db);
	return rc;
}

static enum tk_rc campaign_update(struct store *st, const struct campaign_rec *c,
				  struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_CAMPAIGN_UPDATE,
			       "UPDATE campaigns SET ext_id = ?1, name = ?2, status = ?3,"
			       " apply_from = ?4, apply_to = ?5, promote_from = ?6, promote_to = ?7,"
			       " note = ?8, updated_at = ?9 WHERE id = ?10",
			       err);
	if (!q)
		return TK_EIO;
	campaign_bind(q, c);
	sqlite3_bind_int64(q, 10, c->id);
	return exec_one(st, q, "changing a campaign", "campaign", c->id, err);
}

static enum tk_rc campaign_get(struct store *st, int64_t id, struct campaign_rec *c,
			       struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_CAMPAIGN_GET,
			       "SELECT " CAMPAIGN_COLS " WHERE c.id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(sqlite_of(st), q, &found, "reading a campaign", err);
	if (rc)
		return rc;
	if (found)
		campaign_read(q, c);
	sqlite3_reset(q);
	return found ? TK_OK : tk_fail(err, TK_ENOTFOUND, "campaign", "no campaign %lld", (long long)id);
}

static bool campaign_row(void *ctx, sqlite3_stmt *q)
{
	struct walk *w = ctx;
	struct campaign_rec c;
	campaign_read(q, &c);
	return ((store_campaign_cb)w->cb)(w->ctx, &c);
}

static enum tk_rc campaign_list(struct store *st, const struct campaign_filter *f,
				store_campaign_cb cb, void *ctx, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_CAMPAIGN_LIST,
			       "SELECT " CAMPAIGN_COLS
			       " WHERE (?1 = 0 OR c.merchant = ?1) AND (?2 IS NULL OR c.status = ?2)"
			       " AND (?3 IS NULL OR c.union_ = ?3) AND (?4 = 0 OR c.promote_to >= ?4)"
			       " AND (?5 = 0 OR c.promote_from <= ?5) AND (?6 = 0 OR c.id < ?6)"
			       " ORDER BY c.id DESC LIMIT ?7",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, f->merchant);
	sqlite_bind_text_or_null(q, 2, f->status);
	sqlite_bind_text_or_null(q, 3, f->union_);
	sqlite3_bind_int64(q, 4, f->from);
	sqlite3_bind_int64(q, 5, f->to);
	sqlite3_bind_int64(q, 6, f->before);
	sqlite3_bind_int64(q, 7, f->limit > 0 ? f->limit : NO_LIMIT);
	struct walk w = {(void *)cb, ctx};
	enum tk_rc rc = sqlite_each_row(sqlite_of(st), q, campaign_row, &w, "listing campaigns", err);
	sqlite3_clear_bindings(q);
	return rc;
}

/* ---- campaign products ---- */

#define ITEM_COLS                                                                        \
	"id, campaign, product, title, category, price, commission_pm, service_pm, coupon," \
	" coupon_url, status, created_at, updated_at"

static void item_read(sqlite3_stmt *q, struct campaign_item_rec *i)
{
	i->id = sqlite3_column_int64(q, 0);
	i->campaign = sqlite3_column_int64(q, 1);
	sqlite_column_copy(q, 2, i->product, sizeof(i->product));
	sqlite_column_copy(q, 3, i->title, sizeof(i->title));
	sqlite_column_copy(q, 4, i->category, sizeof(i->category));
	i->price = sqlite3_column_int64(q, 5);
	i->commission_pm = sqlite3_column_int64(q, 6);
	i->service_pm = sqlite3_column_int64(q, 7);
	i->coupon = sqlite3_column_int64(q, 8);
	sqlite_column_copy(q, 9, i->coupon_url, sizeof(i->coupon_url));
	sqlite_column_copy(q, 10, i->status, sizeof(i->status));
	i->created_at = sqlite3_column_int64(q, 11);
	i->updated_at = sqlite3_column_int64(q, 12);
}

static enum tk_rc item_get(struct store *st, int64_t campaign, const char *product,
			   struct campaign_item_rec *i, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_ITEM_GET,
			       "SELECT " ITEM_COLS " FROM campaign_items WHERE campaign = ? AND product = ?",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, campaign);
	sqlite3_bind_text(q, 2, product, -1, SQLITE_STATIC);
	bool found;
	enum tk_rc rc = sqlite_step_one(sqlite_of(st), q, &found, "reading a campaign product", err);
	if (rc)
		return rc;
	if (found)
		item_read(q, i);
	sqlite3_reset(q);
	return found ? TK_OK
		     : tk_fail(err, TK_ENOTFOUND, "product", "campaign %lld has no product %s",
			       (long long)campaign, product);
}

/* ?1..?8 and the time as both statements write them */
static void item_bind(sqlite3_stmt *q, const struct campaign_item_rec *i)
{
	sqlite3_bind_text(q, 1, i->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, i->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, i->price);
	sqlite3_bind_int64(q, 4, i->commission_pm);
	sqlite3_bind_int64(q, 5, i->service_pm);
	sqlite3_bind_int64(q, 6, i->coupon);
	sqlite3_bind_text(q, 7, i->coupon_url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, i->updated_at);
	sqlite3_bind_int64(q, 9, i->campaign);
	sqlite3_bind_text(q, 10, i->product, -1, SQLITE_STATIC);
}

static enum tk_rc item_upsert(struct store *st, struct campaign_item_rec *i, bool *created,
			      struct tk_error *err)
{
	struct campaign_item_rec old;
	struct tk_error e2;
	enum tk_rc rc = item_get(st, i->campaign, i->product, &old, &e2);
	if (rc && rc != TK_ENOTFOUND) {
		*err = e2;
		return rc;
	}
	*created = rc == TK_ENOTFOUND;
	sqlite3_stmt *q =
		*created ? stmt(st, S_ITEM_INSERT,
				"INSERT INTO campaign_items(title, category, price, commission_pm,"
				" service_pm, coupon, coupon_url, updated_at, campaign, product, status,"
				" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
				err)
			 : stmt(st, S_ITEM_UPDATE,
				"UPDATE campaign_items SET title = ?1, category = ?2, price = ?3,"
				" commission_pm = ?4, service_pm = ?5, coupon = ?6, coupon_url = ?7,"
				" updated_at = ?8 WHERE campaign = ?9 AND product = ?10",
				err);
	if (!q)
		return TK_EIO;
	item_bind(q, i);
	if (*created) {
		sqlite3_bind_text(q, 11, i->status[0] ? i->status : "pending", -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 12, i->created_at);
	}
	struct sqlite_store *s = sqlite_of(st);
	if ((rc = sqlite_exec_stmt(s, q, "writing a campaign product", err)))
		return rc;
	if (*created) {
		i->id = sqlite3_last_insert_rowid(s->db);
		if (!i->status[0])
			snprintf(i->status, sizeof(i->status), "pending");
	} else {
		i->id = old.id;
		i->created_at = old.created_at;
		memcpy(i->status, old.status, sizeof(i->status));
	}
	return TK_OK;
}

static enum tk_rc item_upsert_many(struct store *st, const struct campaign_item_rec *items,
				   size_t n, int64_t now, int64_t *added, struct tk_error *err)
{
	/* prepared statements in-process: a loop costs no round trip */
	struct campaign_item_rec one;
	enum tk_rc rc = TK_OK;
	*added = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		bool created;
		one = items[i];
		one.campaign = items[0].campaign;
		one.status[0] = '\0';
		one.created_at = one.updated_at = now;
		if (!(rc = item_upsert(st, &one, &created, err)) && created)
			++*added;
	}
	return rc;
}

static bool item_row(void *ctx, sqlite3_stmt *q)
{
	struct walk *w = ctx;
	struct campaign_item_rec i;
	item_read(q, &i);
	return ((store_campaign_item_cb)w->cb)(w->ctx, &i);
}

static enum tk_rc item_list(struct store *st, int64_t campaign, store_campaign_item_cb cb,
			    void *ctx, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_ITEM_LIST,
			       "SELECT " ITEM_COLS " FROM campaign_items WHERE campaign = ? ORDER BY id",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, campaign);
	struct walk w = {(void *)cb, ctx};
	return sqlite_each_row(sqlite_of(st), q, item_row, &w, "listing campaign products", err);
}

static enum tk_rc item_set_status(struct store *st, int64_t id, const char *status, int64_t now,
				  struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_ITEM_STATUS,
			       "UPDATE campaign_items SET status = ?, updated_at = ? WHERE id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, id);
	return exec_one(st, q, "changing a campaign product", "product", id, err);
}

static enum tk_rc item_remove(struct store *st, int64_t id, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_ITEM_REMOVE, "DELETE FROM campaign_items WHERE id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	return exec_one(st, q, "removing a campaign product", "product", id, err);
}

/* ---- slot fees ---- */

/* the fee with its channel's and campaign's names, in one read */
#define SLOT_COLS                                                                         \
	"f.id, f.campaign, f.channel, f.amount, f.state, f.booked_at, f.collected_at,"      \
	" f.waived_at, f.note, coalesce(ch.name, ''), c.name, c.merchant"                   \
	" FROM slot_fees f JOIN campaigns c ON c.id = f.campaign"                           \
	" LEFT JOIN promo_channels ch ON ch.id = f.channel"

static void slot_read(sqlite3_stmt *q, struct slot_fee_rec *f)
{
	f->id = sqlite3_column_int64(q, 0);
	f->campaign = sqlite3_column_int64(q, 1);
	f->channel = sqlite3_column_int64(q, 2);
	f->amount = sqlite3_column_int64(q, 3);
	sqlite_column_copy(q, 4, f->state, sizeof(f->state));
	f->booked_at = sqlite3_column_int64(q, 5);
	f->collected_at = sqlite3_column_int64(q, 6);
	f->waived_at = sqlite3_column_int64(q, 7);
	sqlite_column_copy(q, 8, f->note, sizeof(f->note));
	sqlite_column_copy(q, 9, f->channel_name, sizeof(f->channel_name));
	sqlite_column_copy(q, 10, f->campaign_name, sizeof(f->campaign_name));
	f->merchant = sqlite3_column_int64(q, 11);
}

static enum tk_rc slot_insert(struct store *st, struct slot_fee_rec *f, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SLOT_INSERT,
			       "INSERT INTO slot_fees(campaign, channel, amount, state, booked_at, note)"
			       " VALUES (?, ?, ?, 'booked', ?, ?) ON CONFLICT (campaign, channel) DO NOTHING",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, f->campaign);
	sqlite3_bind_int64(q, 2, f->channel);
	sqlite3_bind_int64(q, 3, f->amount);
	sqlite3_bind_int64(q, 4, f->booked_at);
	sqlite3_bind_text(q, 5, f->note, -1, SQLITE_STATIC);
	struct sqlite_store *s = sqlite_of(st);
	enum tk_rc rc = sqlite_exec_stmt(s, q, "booking a slot fee", err);
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return tk_fail(err, TK_ECONFLICT, "channel",
			       "campaign %lld has a slot fee for channel %lld already",
			       (long long)f->campaign, (long long)f->channel);
	f->id = sqlite3_last_insert_rowid(s->db);
	snprintf(f->state, sizeof(f->state), "booked");
	return TK_OK;
}

static enum tk_rc slot_get(struct store *st, int64_t id, struct slot_fee_rec *f,
			   struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SLOT_GET, "SELECT " SLOT_COLS " WHERE f.id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(sqlite_of(st), q, &found, "reading a slot fee", err);
	if (rc)
		return rc;
	if (found)
		slot_read(q, f);
	sqlite3_reset(q);
	return found ? TK_OK : tk_fail(err, TK_ENOTFOUND, "slot_fee", "no slot fee %lld", (long long)id);
}

static enum tk_rc slot_update(struct store *st, const struct slot_fee_rec *f,
			      struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SLOT_UPDATE,
			       "UPDATE slot_fees SET state = ?, collected_at = ?, waived_at = ?, note = ?"
			       " WHERE id = ?",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_text(q, 1, f->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, f->collected_at);
	sqlite3_bind_int64(q, 3, f->waived_at);
	sqlite3_bind_text(q, 4, f->note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, f->id);
	return exec_one(st, q, "changing a slot fee", "slot_fee", f->id, err);
}

static bool slot_row(void *ctx, sqlite3_stmt *q)
{
	struct walk *w = ctx;
	struct slot_fee_rec f;
	slot_read(q, &f);
	return ((store_slot_fee_cb)w->cb)(w->ctx, &f);
}

static enum tk_rc slot_list(struct store *st, const struct slot_fee_filter *f,
			    store_slot_fee_cb cb, void *ctx, struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_SLOT_LIST,
			       "SELECT " SLOT_COLS
			       " WHERE (?1 = 0 OR f.campaign = ?1) AND (?2 = 0 OR f.channel = ?2)"
			       " AND (?3 = 0 OR c.merchant = ?3)"
			       " AND (?4 IS NULL OR f.state = ?4) AND (?5 = 0 OR f.id < ?5)"
			       " ORDER BY f.id DESC LIMIT ?6",
			       err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, f->campaign);
	sqlite3_bind_int64(q, 2, f->channel);
	sqlite3_bind_int64(q, 3, f->merchant);
	sqlite_bind_text_or_null(q, 4, f->state);
	sqlite3_bind_int64(q, 5, f->before);
	sqlite3_bind_int64(q, 6, f->limit > 0 ? f->limit : NO_LIMIT);
	struct walk w = {(void *)cb, ctx};
	enum tk_rc rc = sqlite_each_row(sqlite_of(st), q, slot_row, &w, "listing slot fees", err);
	sqlite3_clear_bindings(q);
	return rc;
}

static enum tk_rc channel_name(struct store *st, int64_t id, char name[PROMO_NAME_MAX],
			       struct tk_error *err)
{
	sqlite3_stmt *q = stmt(st, S_CHANNEL_NAME, "SELECT name FROM promo_channels WHERE id = ?", err);
	if (!q)
		return TK_EIO;
	sqlite3_bind_int64(q, 1, id);
	bool found;
	enum tk_rc rc = sqlite_step_one(sqlite_of(st), q, &found, "reading a channel", err);
	if (rc)
		return rc;
	if (found)
		sqlite_column_copy(q, 0, name, PROMO_NAME_MAX);
	sqlite3_reset(q);
	return found ? TK_OK : tk_fail(err, TK_ENOTFOUND, "channel", "no channel %lld", (long long)id);
}

const struct promo_store_ops sqlite_promo_ops = {
	.merchant_insert = merchant_insert,
	.merchant_update = merchant_update,
	.merchant_get = merchant_get,
	.merchant_list = merchant_list,
	.shop_add = shop_add,
	.shop_find = shop_find,
	.shop_remove = shop_remove,
	.shop_list = shop_list,
	.campaign_insert = campaign_insert,
	.campaign_update = campaign_update,
	.campaign_get = campaign_get,
	.campaign_list = campaign_list,
	.item_get = item_get,
	.item_upsert = item_upsert,
	.item_upsert_many = item_upsert_many,
	.item_list = item_list,
	.item_set_status = item_set_status,
	.item_remove = item_remove,
	.slot_insert = slot_insert,
	.slot_get = slot_get,
	.slot_update = slot_update,
	.slot_list = slot_list,
	.channel_name = channel_name,
};

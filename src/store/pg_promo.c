/* pg_promo.c — PostgreSQL: the head's registry (promo_store.h): merchants,
 * their shops, campaigns, campaign products and slot fees; the twin of
 * sqlite_promo.c, whose rows, order, ids and errors these match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/pg_internal.h"
#include "store/promo_store.h"

#define NO_LIMIT 9000000000000000000LL

/* The first row of a query into `read`; TK_ENOTFOUND (err already filled
 * by the caller's message) when there is none. */
static enum tk_rc get_one(struct store *st, const char *name, const char *sql,
			  const struct pg_params *p, void (*read)(const PGresult *, int, void *),
			  void *out, const char *doing, bool *found, struct tk_error *err)
{
	PGresult *r = pg_run(pg_of(st), name, sql, p, doing, err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	*found = PQntuples(r) > 0;
	if (*found)
		read(r, 0, out);
	PQclear(r);
	return TK_OK;
}

/* A write that must touch a row (RETURNING one): TK_ENOTFOUND when none. */
static enum tk_rc write_one(struct store *st, const char *name, const char *sql,
			    const struct pg_params *p, const char *doing, const char *what,
			    int64_t id, struct tk_error *err)
{
	int64_t got = 0;
	enum tk_rc rc = pg_int_of(pg_of(st), name, sql, p, 0, &got, doing, err);
	if (!rc && !got)
		rc = tk_fail(err, TK_ENOTFOUND, what, "no %s %lld", what, (long long)id);
	return rc;
}

struct walk {
	void *cb;
	void *ctx;
};

/* ---- merchants ---- */

#define MERCHANT_COLS \
	"id, name, contact, phone, wechat, terms, note, state, created_at, updated_at"

static void merchant_read(const PGresult *r, int row, void *out)
{
	struct merchant_rec *m = out;
	m->id = pg_int(r, row, 0);
	pg_copy(r, row, 1, m->name, sizeof(m->name));
	pg_copy(r, row, 2, m->contact, sizeof(m->contact));
	pg_copy(r, row, 3, m->phone, sizeof(m->phone));
	pg_copy(r, row, 4, m->wechat, sizeof(m->wechat));
	pg_copy(r, row, 5, m->terms, sizeof(m->terms));
	pg_copy(r, row, 6, m->note, sizeof(m->note));
	pg_copy(r, row, 7, m->state, sizeof(m->state));
	m->created_at = pg_int(r, row, 8);
	m->updated_at = pg_int(r, row, 9);
}

static void merchant_params(struct pg_params *p, const struct merchant_rec *m)
{
	pg_params_init(p);
	pg_p_text(p, m->name);
	pg_p_text(p, m->contact);
	pg_p_text(p, m->phone);
	pg_p_text(p, m->wechat);
	pg_p_text(p, m->terms);
	pg_p_text(p, m->note);
	pg_p_text(p, m->state);
	pg_p_int(p, m->updated_at);
}

static enum tk_rc merchant_insert(struct store *st, struct merchant_rec *m, struct tk_error *err)
{
	struct pg_params p;
	merchant_params(&p, m);
	pg_p_int(&p, m->created_at);
	/* ids as SQLite hands them out (newest + 1): writers hold the lock */
	return pg_int_of(pg_of(st), "promo.merchant_insert",
			 "INSERT INTO merchants(id, name, contact, phone, wechat, terms, note, state,"
			 " updated_at, created_at) SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5,"
			 " $6, $7, $8, $9 FROM merchants RETURNING id",
			 &p, 0, &m->id, "adding a merchant", err);
}

static enum tk_rc merchant_update(struct store *st, const struct merchant_rec *m,
				  struct tk_error *err)
{
	struct pg_params p;
	merchant_params(&p, m);
	pg_p_int(&p, m->id);
	return write_one(st, "promo.merchant_update",
			 "UPDATE merchants SET name = $1, contact = $2, phone = $3, wechat = $4,"
			 " terms = $5, note = $6, state = $7, updated_at = $8 WHERE id = $9 RETURNING id",
			 &p, "changing a merchant", "merchant", m->id, err);
}

static enum tk_rc merchant_get(struct store *st, int64_t id, struct merchant_rec *m,
			       struct tk_error *err)
{
	struct pg_params p;
	bool found;
	pg_params_init(&p);
	pg_p_int(&p, id);
	enum tk_rc rc = get_one(st, "promo.merchant_get",
				"SELECT " MERCHANT_COLS " FROM merchants WHERE id = $1", &p,
				merchant_read, m, "reading a merchant", &found, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "merchant", "no merchant %lld", (long long)id);
	return rc;
}

static bool merchant_row(void *ctx, const PGresult *r, int row)
{
	struct walk *w = ctx;
	struct merchant_rec m;
	merchant_read(r, row, &m);
	return ((store_merchant_cb)w->cb)(w->ctx, &m);
}

static enum tk_rc merchant_list(struct store *st, const struct merchant_filter *f,
				store_merchant_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct walk w = {(void *)cb, ctx};
	pg_params_init(&p);
	pg_p_text_or_null(&p, f->q);
	pg_p_text_or_null(&p, f->state);
	pg_p_int(&p, f->before);
	pg_p_int(&p, f->limit > 0 ? f->limit : NO_LIMIT);
	/* strpos compares bytes, as SQLite's instr on text */
	return pg_each_row(pg_of(st),
			   "SELECT " MERCHANT_COLS " FROM merchants"
			   " WHERE ($1::text IS NULL OR strpos(name, $1) > 0)"
			   " AND ($2::text IS NULL OR state = $2) AND ($3::bigint = 0 OR id < $3)"
			   " ORDER BY id DESC LIMIT $4",
			   &p, merchant_row, &w, "listing merchants", err);
}

/* ---- shops ---- */

static void shop_read(const PGresult *r, int row, void *out)
{
	struct shop_rec *s = out;
	s->id = pg_int(r, row, 0);
	s->merchant = pg_int(r, row, 1);
	pg_copy(r, row, 2, s->union_, sizeof(s->union_));
	pg_copy(r, row, 3, s->shop, sizeof(s->shop));
	pg_copy(r, row, 4, s->name, sizeof(s->name));
}

static enum tk_rc shop_add(struct store *st, struct shop_rec *s, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, s->merchant);
	pg_p_text(&p, s->union_);
	pg_p_text(&p, s->shop);
	pg_p_text(&p, s->name);
	/* a duplicate is an answer, not an aborted transaction */
	int64_t id = 0;
	enum tk_rc rc = pg_int_of(pg_of(st), "promo.shop_add",
				  "INSERT INTO merchant_shops(id, merchant, union_, shop, name)"
				  " SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4 FROM merchant_shops"
				  " ON CONFLICT (union_, shop) DO NOTHING RETURNING id",
				  &p, 0, &id, "adding a shop", err);
	if (rc)
		return rc;
	if (!id)
		return tk_fail(err, TK_ECONFLICT, "shop", "shop %s/%s is registered already",
			       s->union_, s->shop);
	s->id = id;
	return TK_OK;
}

static enum tk_rc shop_find(struct store *st, const char *union_, const char *shop,
			    struct shop_rec *s, struct tk_error *err)
{
	struct pg_params p;
	bool found;
	pg_params_init(&p);
	pg_p_text(&p, union_);
	pg_p_text(&p, shop);
	enum tk_rc rc = get_one(st, "promo.shop_find",
				"SELECT id, merchant, union_, shop, name FROM merchant_shops"
				" WHERE union_ = $1 AND shop = $2",
				&p, shop_read, s, "reading a shop", &found, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "shop", "no shop %s/%s", union_, shop);
	return rc;
}

static enum tk_rc shop_remove(struct store *st, int64_t merchant, const char *union_,
			      const char *shop, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, merchant);
	pg_p_text(&p, union_);
	pg_p_text(&p, shop);
	int64_t got = 0;
	enum tk_rc rc = pg_int_of(pg_of(st), "promo.shop_remove",
				  "DELETE FROM merchant_shops WHERE merchant = $1 AND union_ = $2"
				  " AND shop = $3 RETURNING id",
				  &p, 0, &got, "removing a shop", err);
	if (!rc && !got)
		rc = tk_fail(err, TK_ENOTFOUND, "shop", "merchant %lld has no shop %s/%s",
			     (long long)merchant, union_, shop);
	return rc;
}

static bool shop_row(void *ctx, const PGresult *r, int row)
{
	struct walk *w = ctx;
	struct shop_rec s;
	shop_read(r, row, &s);
	return ((store_shop_cb)w->cb)(w->ctx, &s);
}

static enum tk_rc shop_list(struct store *st, int64_t merchant, store_shop_cb cb, void *ctx,
			    struct tk_error *err)
{
	struct pg_params p;
	struct walk w = {(void *)cb, ctx};
	pg_params_init(&p);
	pg_p_int(&p, merchant);
	return pg_each_row(pg_of(st),
			   "SELECT id, merchant, union_, shop, name FROM merchant_shops"
			   " WHERE merchant = $1 ORDER BY id",
			   &p, shop_row, &w, "listing shops", err);
}

/* ---- campaigns ---- */

/* the campaign and its merchant's name, in one read */
#define CAMPAIGN_COLS                                                                       \
	"c.id, c.merchant, c.union_, c.ext_id, c.name, c.status, c.apply_from, c.apply_to,"   \
	" c.promote_from, c.promote_to, c.note, c.created_at, c.updated_at, m.name"         \
	" FROM campaigns c JOIN merchants m ON m.id = c.merchant"

static void campaign_read(const PGresult *r, int row, void *out)
{
	struct campaign_rec *c = out;
	c->id = pg_int(r, row, 0);
	c->merchant = pg_int(r, row, 1);
	pg_copy(r, row, 2, c->union_, sizeof(c->union_));
	pg_copy(r, row, 3, c->ext_id, sizeof(c->ext_id));
	pg_copy(r, row, 4, c->name, sizeof(c->name));
	pg_copy(r, row, 5, c->status, sizeof(c->status));
	c->apply_from = pg_int(r, row, 6);
	c->apply_to = pg_int(r, row, 7);
	c->promote_from = pg_int(r, row, 8);
	c->promote_to = pg_int(r, row, 9);
	pg_copy(r, row, 10, c->note, sizeof(c->note));
	c->created_at = pg_int(r, row, 11);
	c->updated_at = pg_int(r, row, 12);
	pg_copy(r, row, 13, c->merchant_name, sizeof(c->merchant_name));
}

static void campaign_params(struct pg_params *p, const struct campaign_rec *c)
{
	pg_params_init(p);
	pg_p_text(p, c->ext_id);
	pg_p_text(p, c->name);
	pg_p_text(p, c->status);
	pg_p_int(p, c->apply_from);
	pg_p_int(p, c->apply_to);
	pg_p_int(p, c->promote_from);
	pg_p_int(p, c->promote_to);
	pg_p_text(p, c->note);
	pg_p_int(p, c->updated_at);
}

static enum tk_rc campaign_insert(struct store *st, struct campaign_rec *c, struct tk_error *err)
{
	struct pg_params p;
	campaign_params(&p, c);
	pg_p_int(&p, c->merchant);
	pg_p_text(&p, c->union_);
	pg_p_int(&p, c->created_at);
	return pg_int_of(pg_of(st), "promo.campaign_insert",
			 "INSERT INTO campaigns(id, ext_id, name, status, apply_from, apply_to,"
			 " promote_from, promote_to, note, updated_at, merchant, union_, created_at)"
			 " SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
			 " $11, $12 FROM campaigns RETURNING id",
			 &p, 0, &c->id, "adding a campaign", err);
}

static enum tk_rc campaign_update(struct store *st, const struct campaign_rec *c,
				  struct tk_error *err)
{
	struct pg_params p;
	campaign_params(&p, c);
	pg_p_int(&p, c->id);
	return write_one(st, "promo.campaign_update",
			 "UPDATE campaigns SET ext_id = $1, name = $2, status = $3, apply_from = $4,"
			 " apply_to = $5, promote_from = $6, promote_to = $7, note = $8, updated_at = $9"
			 " WHERE id = $10 RETURNING id",
			 &p, "changing a campaign", "campaign", c->id, err);
}

static enum tk_rc campaign_get(struct store *st, int64_t id, struct campaign_rec *c,
			       struct tk_error *err)
{
	struct pg_params p;
	bool found;
	pg_params_init(&p);
	pg_p_int(&p, id);
	enum tk_rc rc = get_one(st, "promo.campaign_get",
				"SELECT " CAMPAIGN_COLS " WHERE c.id = $1", &p,
				campaign_read, c, "reading a campaign", &found, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "campaign", "no campaign %lld", (long long)id);
	return rc;
}

static bool campaign_row(void *ctx, const PGresult *r, int row)
{
	struct walk *w = ctx;
	struct campaign_rec c;
	campaign_read(r, row, &c);
	return ((store_campaign_cb)w->cb)(w->ctx, &c);
}

static enum tk_rc campaign_list(struct store *st, const struct campaign_filter *f,
				store_campaign_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct walk w = {(void *)cb, ctx};
	pg_params_init(&p);
	pg_p_int(&p, f->merchant);
	pg_p_text_or_null(&p, f->status);
	pg_p_text_or_null(&p, f->union_);
	pg_p_int(&p, f->from);
	pg_p_int(&p, f->to);
	pg_p_int(&p, f->before);
	pg_p_int(&p, f->limit > 0 ? f->limit : NO_LIMIT);
	return pg_each_row(pg_of(st),
			   "SELECT " CAMPAIGN_COLS
			   " WHERE ($1::bigint = 0 OR c.merchant = $1) AND ($2::text IS NULL OR c.status = $2)"
			   " AND ($3::text IS NULL OR c.union_ = $3) AND ($4::bigint = 0 OR c.promote_to >= $4)"
			   " AND ($5::bigint = 0 OR c.promote_from <= $5) AND ($6::bigint = 0 OR c.id < $6)"
			   " ORDER BY c.id DESC LIMIT $7",
			   &p, campaign_row, &w, "listing campaigns", err);
}

/* ---- campaign products ---- */

#define ITEM_COLS                                                                        \
	"id, campaign, product, title, category, price, commission_pm, service_pm, coupon," \
	" coupon_url, status, created_at, updated_at"

static void item_read(const PGresult *r, int row, void *out)
{
	struct campaign_item_rec *i = out;
	i->id = pg_int(r, row, 0);
	i->campaign = pg_int(r, row, 1);
	pg_copy(r, row, 2, i->product, sizeof(i->product));
	pg_copy(r, row, 3, i->title, sizeof(i->title));
	pg_copy(r, row, 4, i->category, sizeof(i->category));
	i->price = pg_int(r, row, 5);
	i->commission_pm = pg_int(r, row, 6);
	i->service_pm = pg_int(r, row, 7);
	i->coupon = pg_int(r, row, 8);
	pg_copy(r, row, 9, i->coupon_url, sizeof(i->coupon_url));
	pg_copy(r, row, 10, i->status, sizeof(i->status));
	i->created_at = pg_int(r, row, 11);
	i->updated_at = pg_int(r, row, 12);
}

static enum tk_rc item_get(struct store *st, int64_t campaign, const char *product,
			   struct campaign_item_rec *i, struct tk_error *err)
{
	struct pg_params p;
	bool found;
	pg_params_init(&p);
	pg_p_int(&p, campaign);
	pg_p_text(&p, product);
	enum tk_rc rc = get_one(st, "promo.item_get",
				"SELECT " ITEM_COLS " FROM campaign_items WHERE campaign = $1"
				" AND product = $2",
				&p, item_read, i, "reading a campaign product", &found, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "product", "campaign %lld has no product %s",
			     (long long)campaign, product);
	return rc;
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
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, i->title);
	pg_p_text(&p, i->category);
	pg_p_int(&p, i->price);
	pg_p_int(&p, i->commission_pm);
	pg_p_int(&p, i->service_pm);
	pg_p_int(&p, i->coupon);
	pg_p_text(&p, i->coupon_url);
	pg_p_int(&p, i->updated_at);
	pg_p_int(&p, i->campaign);
	pg_p_text(&p, i->product);
	if (!*created) {
		i->id = old.id;
		i->created_at = old.created_at;
		memcpy(i->status, old.status, sizeof(i->status));
		return pg_exec(pg_of(st), "promo.item_update",
			       "UPDATE campaign_items SET title = $1, category = $2, price = $3,"
			       " commission_pm = $4, service_pm = $5, coupon = $6, coupon_url = $7,"
			       " updated_at = $8 WHERE campaign = $9 AND product = $10",
			       &p, "writing a campaign product", err);
	}
	if (!i->status[0])
		snprintf(i->status, sizeof(i->status), "pending");
	pg_p_text(&p, i->status);
	pg_p_int(&p, i->created_at);
	return pg_int_of(pg_of(st), "promo.item_insert",
			 "INSERT INTO campaign_items(id, title, category, price, commission_pm,"
			 " service_pm, coupon, coupon_url, updated_at, campaign, product, status,"
			 " created_at) SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8,"
			 " $9, $10, $11, $12 FROM campaign_items RETURNING id",
			 &p, 0, &i->id, "writing a campaign product", err);
}

#define UPSERT_CHUNK 2000 /* products per statement */

/* One statement per chunk: the products as a JSON array, the existing ones
 * rewritten and the new ones inserted with the ids SQLite would give them
 * (the newest + 1, ... in the sheet's order). */
static enum tk_rc item_upsert_many(struct store *st, const struct campaign_item_rec *items,
				   size_t n, int64_t now, int64_t *added, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	*added = 0;
	for (size_t at = 0; at < n && !rc; at += UPSERT_CHUNK) {
		size_t end = n - at > UPSERT_CHUNK ? at + UPSERT_CHUNK : n;
		json_t *arr = json_array();
		for (size_t i = at; arr && i < end; i++) {
			const struct campaign_item_rec *it = &items[i];
			if (json_array_append_new(
				    arr, json_pack("[s, s, s, I, I, I, I, s]", it->product, it->title,
						   it->category, (json_int_t)it->price,
						   (json_int_t)it->commission_pm,
						   (json_int_t)it->service_pm, (json_int_t)it->coupon,
						   it->coupon_url))) {
				json_decref(arr);
				arr = NULL;
			}
		}
		char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
		json_decref(arr);
		if (!text)
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		struct pg_params p;
		pg_params_init(&p);
		pg_p_int(&p, items[0].campaign);
		pg_p_text(&p, text);
		pg_p_int(&p, now);
		int64_t got = 0;
		rc = pg_int_of(
			pg_of(st), "promo.item_upsert_many",
			"WITH u AS (SELECT e->>0 AS product, e->>1 AS title, e->>2 AS category,"
			" (e->>3)::bigint AS price, (e->>4)::bigint AS cpm, (e->>5)::bigint AS spm,"
			" (e->>6)::bigint AS coupon, e->>7 AS url, n"
			" FROM json_array_elements($2::json) WITH ORDINALITY AS a(e, n)),"
			" upd AS (UPDATE campaign_items c SET title = u.title, category = u.category,"
			" price = u.price, commission_pm = u.cpm, service_pm = u.spm, coupon = u.coupon,"
			" coupon_url = u.url, updated_at = $3 FROM u"
			" WHERE c.campaign = $1 AND c.product = u.product RETURNING 1),"
			" ins AS (INSERT INTO campaign_items(id, campaign, product, title, category, price,"
			" commission_pm, service_pm, coupon, coupon_url, status, created_at, updated_at)"
			" SELECT (SELECT coalesce(max(id), 0) FROM campaign_items)"
			" + row_number() OVER (ORDER BY u.n), $1, u.product, u.title, u.category, u.price,"
			" u.cpm, u.spm, u.coupon, u.url, 'pending', $3, $3 FROM u"
			" WHERE NOT EXISTS (SELECT 1 FROM campaign_items c WHERE c.campaign = $1"
			" AND c.product = u.product) ORDER BY u.n RETURNING 1)"
			" SELECT (SELECT count(*) FROM ins) + 0 * (SELECT count(*) FROM upd)",
			&p, 0, &got, "writing campaign products", err);
		free(text);
		*added += got;
	}
	return rc;
}

static bool item_row(void *ctx, const PGresult *r, int row)
{
	struct walk *w = ctx;
	struct campaign_item_rec i;
	item_read(r, row, &i);
	return ((store_campaign_item_cb)w->cb)(w->ctx, &i);
}

static enum tk_rc item_list(struct store *st, int64_t campaign, store_campaign_item_cb cb,
			    void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct walk w = {(void *)cb, ctx};
	pg_params_init(&p);
	pg_p_int(&p, campaign);
	return pg_each_row(pg_of(st),
			   "SELECT " ITEM_COLS " FROM campaign_items WHERE campaign = $1 ORDER BY id",
			   &p, item_row, &w, "listing campaign products", err);
}

static enum tk_rc item_set_status(struct store *st, int64_t id, const char *status, int64_t now,
				  struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, status);
	pg_p_int(&p, now);
	pg_p_int(&p, id);
	return write_one(st, "promo.item_status",
			 "UPDATE campaign_items SET status = $1, updated_at = $2 WHERE id = $3"
			 " RETURNING id",
			 &p, "changing a campaign product", "product", id, err);
}

static enum tk_rc item_remove(struct store *st, int64_t id, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, id);
	return write_one(st, "promo.item_remove",
			 "DELETE FROM campaign_items WHERE id = $1 RETURNING id", &p,
			 "removing a campaign product", "product", id, err);
}

/* ---- slot fees ---- */

/* the fee with its channel's and campaign's names, in one read */
#define SLOT_COLS                                                                         \
	"f.id, f.campaign, f.channel, f.amount, f.state, f.booked_at, f.collected_at,"      \
	" f.waived_at, f.note, coalesce(ch.name, ''), c.name, c.merchant"                   \
	" FROM slot_fees f JOIN campaigns c ON c.id = f.campaign"                           \
	" LEFT JOIN promo_channels ch ON ch.id = f.channel"

static void slot_read(const PGresult *r, int row, void *out)
{
	struct slot_fee_rec *f = out;
	f->id = pg_int(r, row, 0);
	f->campaign = pg_int(r, row, 1);
	f->channel = pg_int(r, row, 2);
	f->amount = pg_int(r, row, 3);
	pg_copy(r, row, 4, f->state, sizeof(f->state));
	f->booked_at = pg_int(r, row, 5);
	f->collected_at = pg_int(r, row, 6);
	f->waived_at = pg_int(r, row, 7);
	pg_copy(r, row, 8, f->note, sizeof(f->note));
	pg_copy(r, row, 9, f->channel_name, sizeof(f->channel_name));
	pg_copy(r, row, 10, f->campaign_name, sizeof(f->campaign_name));
	f->merchant = pg_int(r, row, 11);
}

static enum tk_rc slot_insert(struct store *st, struct slot_fee_rec *f, struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, f->campaign);
	pg_p_int(&p, f->channel);
	pg_p_int(&p, f->amount);
	pg_p_int(&p, f->booked_at);
	pg_p_text(&p, f->note);
	int64_t id = 0;
	enum tk_rc rc = pg_int_of(pg_of(st), "promo.slot_insert",
				  "INSERT INTO slot_fees(id, campaign, channel, amount, state, booked_at,"
				  " note) SELECT coalesce(max(id), 0) + 1, $1, $2, $3, 'booked', $4, $5"
				  " FROM slot_fees ON CONFLICT (campaign, channel) DO NOTHING RETURNING id",
				  &p, 0, &id, "booking a slot fee", err);
	if (rc)
		return rc;
	if (!id)
		return tk_fail(err, TK_ECONFLICT, "channel",
			       "campaign %lld has a slot fee for channel %lld already",
			       (long long)f->campaign, (long long)f->channel);
	f->id = id;
	snprintf(f->state, sizeof(f->state), "booked");
	return TK_OK;
}

static enum tk_rc slot_get(struct store *st, int64_t id, struct slot_fee_rec *f,
			   struct tk_error *err)
{
	struct pg_params p;
	bool found;
	pg_params_init(&p);
	pg_p_int(&p, id);
	enum tk_rc rc = get_one(st, "promo.slot_get",
				"SELECT " SLOT_COLS " WHERE f.id = $1", &p, slot_read, f,
				"reading a slot fee", &found, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "slot_fee", "no slot fee %lld", (long long)id);
	return rc;
}

static enum tk_rc slot_update(struct store *st, const struct slot_fee_rec *f,
			      struct tk_error *err)
{
	struct pg_params p;
	pg_params_init(&p);
	pg_p_text(&p, f->state);
	pg_p_int(&p, f->collected_at);
	pg_p_int(&p, f->waived_at);
	pg_p_text(&p, f->note);
	pg_p_int(&p, f->id);
	return write_one(st, "promo.slot_update",
			 "UPDATE slot_fees SET state = $1, collected_at = $2, waived_at = $3,"
			 " note = $4 WHERE id = $5 RETURNING id",
			 &p, "changing a slot fee", "slot_fee", f->id, err);
}

static bool slot_row(void *ctx, const PGresult *r, int row)
{
	struct walk *w = ctx;
	struct slot_fee_rec f;
	slot_read(r, row, &f);
	return ((store_slot_fee_cb)w->cb)(w->ctx, &f);
}

static enum tk_rc slot_list(struct store *st, const struct slot_fee_filter *f,
			    store_slot_fee_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct walk w = {(void *)cb, ctx};
	pg_params_init(&p);
	pg_p_int(&p, f->campaign);
	pg_p_int(&p, f->channel);
	pg_p_int(&p, f->merchant);
	pg_p_text_or_null(&p, f->state);
	pg_p_int(&p, f->before);
	pg_p_int(&p, f->limit > 0 ? f->limit : NO_LIMIT);
	return pg_each_row(pg_of(st),
			   "SELECT " SLOT_COLS
			   " WHERE ($1::bigint = 0 OR f.campaign = $1) AND ($2::bigint = 0 OR f.channel = $2)"
			   " AND ($3::bigint = 0 OR c.merchant = $3)"
			   " AND ($4::text IS NULL OR f.state = $4) AND ($5::bigint = 0 OR f.id < $5)"
			   " ORDER BY f.id DESC LIMIT $6",
			   &p, slot_row, &w, "listing slot fees", err);
}

static void name_read(const PGresult *r, int row, void *out)
{
	pg_copy(r, row, 0, out, PROMO_NAME_MAX);
}

static enum tk_rc channel_name(struct store *st, int64_t id, char name[PROMO_NAME_MAX],
			       struct tk_error *err)
{
	struct pg_params p;
	bool found;
	pg_params_init(&p);
	pg_p_int(&p, id);
	enum tk_rc rc = get_one(st, "promo.channel_name",
				"SELECT name FROM promo_channels WHERE id = $1", &p, name_read, name,
				"reading a channel", &found, err);
	if (!rc && !found)
		rc = tk_fail(err, TK_ENOTFOUND, "channel", "no channel %lld", (long long)id);
	return rc;
}

const struct promo_store_ops pg_promo_ops = {
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

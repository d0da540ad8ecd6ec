/* promo_registry.h — the investment-promotion head's registry, the
 * application side: merchants and their shops, campaigns and their status,
 * campaign products (one at a time or from a product sheet), slot fees and
 * their ledger transfers.  Each write is one transaction of its own that
 * also writes its action-log entry; every field from outside is checked
 * here (lengths, exact rates, money, windows) with a keyed error naming
 * field and value.  Reads need no transaction. */
#ifndef TK_PROMO_REGISTRY_H
#define TK_PROMO_REGISTRY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "store/promo_store.h"

#define PROMO_NAME_BYTES 128
#define PROMO_ID_BYTES 95
#define PROMO_TEXT_BYTES 2000
#define PROMO_TITLE_BYTES 256
#define PROMO_MONEY_MAX 1000000000LL /* fen: 10 million yuan */
#define PROMO_LIST_MAX 200           /* rows of one page */
#define PROMO_SHEET_ROWS_MAX 10000   /* rows of one product sheet */

/* A merchant's fields: NULL leaves one as it is (on add: ""). */
struct promo_merchant_req {
	const char *name, *contact, *phone, *wechat, *terms, *note;
	const char *state; /* active, archived (update only) */
};
enum tk_rc promo_merchant_add(struct store *st, const struct promo_merchant_req *r, int64_t now,
			      struct merchant_rec *out, struct tk_error *err);
enum tk_rc promo_merchant_update(struct store *st, int64_t id, const struct promo_merchant_req *r,
				 int64_t now, struct merchant_rec *out, struct tk_error *err);
enum tk_rc promo_merchant_get(struct store *st, int64_t id, struct merchant_rec *out,
			      struct tk_error *err);

/* Registers a shop of the merchant's: a shop belongs to one merchant at
 * most (TK_ECONFLICT "promo.shop_taken" naming the shop and its merchant). */
enum tk_rc promo_shop_add(struct store *st, int64_t merchant, const char *union_,
			  const char *shop, const char *name, int64_t now, struct shop_rec *out,
			  struct tk_error *err);
enum tk_rc promo_shop_remove(struct store *st, int64_t merchant, const char *union_,
			     const char *shop, int64_t now, struct tk_error *err);

/* A campaign's fields.  On add merchant, union, name and the promotion
 * window are required; on update NULL / 0 leave a field as it is (merchant
 * and union never change). */
struct promo_campaign_req {
	int64_t merchant;
	const char *union_, *ext_id, *name, *note;
	int64_t apply_from, apply_to;     /* 0: none (add) or unchanged (update) */
	int64_t promote_from, promote_to; /* unix seconds */
};
enum tk_rc promo_campaign_add(struct store *st, const struct promo_campaign_req *r, int64_t now,
			      struct campaign_rec *out, struct tk_error *err);
enum tk_rc promo_campaign_update(struct store *st, int64_t id, const struct promo_campaign_req *r,
				 int64_t now, struct campaign_rec *out, struct tk_error *err);
/* Moves a campaign's status (promo_status_move says which moves are
 * allowed: others are TK_ECONFLICT "promo.status_move"); the reason
 * (<= 500 bytes, may be NULL) goes to the action log. */
enum tk_rc promo_campaign_status(struct store *st, int64_t id, const char *status,
				 const char *reason, int64_t now, struct campaign_rec *out,
				 struct tk_error *err);
enum tk_rc promo_campaign_get(struct store *st, int64_t id, struct campaign_rec *out,
			      struct tk_error *err);

/* A campaign product from outside: rates as promo_rate_parse reads them,
 * money in fen.  NULL optional fields are "" / 0. */
struct promo_item_req {
	const char *product, *title, *category, *coupon_url;
	const char *commission, *service; /* required */
	int64_t price, coupon;
};
/* Checks r and fills i from it (campaign, times and status left): how an
 * API call and a sheet's row are both checked. */
enum tk_rc promo_item_check(const struct promo_item_req *r, struct campaign_item_rec *i,
			    struct tk_error *err);
/* Adds the product to the campaign or rewrites it (its status kept);
 * *created says which (may be NULL). */
enum tk_rc promo_item_put(struct store *st, int64_t campaign, const struct promo_item_req *r,
			  int64_t now, struct campaign_item_rec *out, bool *created,
			  struct tk_error *err);
enum tk_rc promo_item_status(struct store *st, int64_t campaign, const char *product,
			     const char *status, int64_t now, struct campaign_item_rec *out,
			     struct tk_error *err);
/* Removes a product while it is pending (TK_ECONFLICT otherwise). */
enum tk_rc promo_item_remove(struct store *st, int64_t campaign, const char *product,
			     int64_t now, struct tk_error *err);
/* A merchant's product sheet (CSV with the header product, title,
 * category, price_fen, commission_permille, service_fee_permille,
 * coupon_fen, coupon_url — in any order, the first two rates required)
 * read from `in` (named `file` in errors), all or nothing: every row is
 * checked before any is written, an error names file, line, field and
 * value; at most PROMO_SHEET_ROWS_MAX rows.  *added and *changed count
 * the products. */
enum tk_rc promo_items_import(struct store *st, int64_t campaign, FILE *in, const char *file,
			      int64_t now, int64_t *added, int64_t *changed, struct tk_error *err);

/* Books a slot fee of `amount` fen for channel on the campaign: the fee
 * and ONE ledger transfer TR_SLOT_BOOK (slot due -> slot) naming it. */
enum tk_rc promo_slot_book(struct store *st, int64_t campaign, int64_t channel, int64_t amount,
			   const char *note, int64_t now, struct slot_fee_rec *out,
			   struct tk_error *err);
/* The merchant paid: collected_at, no ledger movement (the receivable is
 * booked as the union's is).  Refused on a waived or collected fee. */
enum tk_rc promo_slot_collect(struct store *st, int64_t id, int64_t now,
			      struct slot_fee_rec *out, struct tk_error *err);
/* The fee is forgiven: TR_SLOT_WAIVE (slot -> slot due) reverses the
 * booking.  Refused on a collected or waived fee. */
enum tk_rc promo_slot_waive(struct store *st, int64_t id, int64_t now, struct slot_fee_rec *out,
			    struct tk_error *err);

/* Parses a time from outside: "2026-12-01" (Beijing; the day's first
 * second, or its last when end_of_day), "2026-12-01 10:00[:00]" (Beijing)
 * or ISO 8601 with an offset.  TK_EINVAL "promo.time" naming field. */
enum tk_rc promo_time_parse(const char *field, const char *s, bool end_of_day, int64_t *t,
			    struct tk_error *err);
/* A JSON integer rate or string one, as text for promo_item_req (buf of
 * 32 bytes); false when v is neither. */
bool promo_rate_text(const json_t *v, char buf[32]);

/* The documents the API and `--json` show (new references, NULL when out
 * of memory); times ISO 8601 at Beijing time. */
json_t *promo_merchant_json(const struct merchant_rec *m);
json_t *promo_shop_json(const struct shop_rec *s);
json_t *promo_campaign_json(const struct campaign_rec *c);
json_t *promo_item_json(const struct campaign_item_rec *i);
json_t *promo_slot_json(const struct slot_fee_rec *f);

/* A merchant with its shops; a campaign with its products, slot fees and
 * their totals. */
enum tk_rc promo_merchant_doc(struct store *st, int64_t id, json_t **out, struct tk_error *err);
enum tk_rc promo_campaign_doc(struct store *st, int64_t id, json_t **out, struct tk_error *err);

/* Listings as documents: {"merchants": [...], "next": "ID" | null}. */
enum tk_rc promo_merchant_page(struct store *st, const struct merchant_filter *f, json_t **out,
			       struct tk_error *err);
enum tk_rc promo_campaign_page(struct store *st, const struct campaign_filter *f, json_t **out,
			       struct tk_error *err);
enum tk_rc promo_slot_page(struct store *st, const struct slot_fee_filter *f, json_t **out,
			   struct tk_error *err);

#endif

/* faulty_store.c — the failing store of faulty_store.h.  Each table's
 * operations are listed once below (FAULTY_CORE, ...), and that list makes
 * the wrappers and the tables; a static assertion per table checks that the
 * list names as many operations as the struct holds, so that an operation
 * added to a store header fails the build here until it is counted. */
#include "faulty_store.h"

#include <stdlib.h>

#include "store/catalog_store.h"
#include "store/feed_store.h"
#include "store/action_store.h"
#include "store/campaign_order_store.h"
#include "store/group_store.h"
#include "store/growth_store.h"
#include "store/server_store.h"

struct faulty_store {
	struct store pub; /* first: the store the caller holds is this */
	struct store *real;
	int64_t count;    /* operations counted since the last arm */
	int64_t fail_at;  /* 0: none */
	enum faulty_mode mode;
	const char *fired;
};

/* The operations, per table: X(table, name, kind, (parameters), (arguments
 * of the real call, R being the real store)).  kind: TX a transaction's
 * step, WRITE, READ, VOID (cannot fail: not counted), CLOSE. */
#define FAULTY_CORE(X) \
	X(core, close, CLOSE, \
	  (struct store *st), \
	  (R)) \
	X(core, tx_begin, TX, \
	  (struct store *st, struct tk_error *err), \
	  (R, err)) \
	X(core, tx_begin_read, TX, \
	  (struct store *st, struct tk_error *err), \
	  (R, err)) \
	X(core, tx_commit, TX, \
	  (struct store *st, struct tk_error *err), \
	  (R, err)) \
	X(core, tx_rollback, VOID, \
	  (struct store *st), \
	  (R)) \
	X(core, changes_since, READ, \
	  (struct store *st, int64_t after, int64_t max, store_change_cb cb, void *ctx, \
	   int64_t *upto, bool *whole, struct tk_error *err), \
	  (R, after, max, cb, ctx, upto, whole, err)) \
	X(core, changes_newest, READ, \
	  (struct store *st, int64_t *seq, struct tk_error *err), \
	  (R, seq, err)) \
	X(core, changes_prune, WRITE, \
	  (struct store *st, int64_t keep, struct tk_error *err), \
	  (R, keep, err)) \
	X(core, plan_insert, WRITE, \
	  (struct store *st, const char *json, int64_t at, int64_t *version, \
	   struct tk_error *err), \
	  (R, json, at, version, err)) \
	X(core, plan_get, READ, \
	  (struct store *st, int64_t version, char **json, int64_t *version_out, \
	   struct tk_error *err), \
	  (R, version, json, version_out, err)) \
	X(core, plan_each, READ, \
	  (struct store *st, int64_t before, int64_t limit, store_plan_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, before, limit, cb, ctx, err)) \
	X(core, member_insert, WRITE, \
	  (struct store *st, struct member_rec *m, struct tk_error *err), \
	  (R, m, err)) \
	X(core, member_get, READ, \
	  (struct store *st, const char *ext, struct member_rec *m, struct tk_error *err), \
	  (R, ext, m, err)) \
	X(core, member_get_id, READ, \
	  (struct store *st, int64_t id, struct member_rec *m, struct tk_error *err), \
	  (R, id, m, err)) \
	X(core, member_each, READ, \
	  (struct store *st, store_member_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(core, member_set_level, WRITE, \
	  (struct store *st, int64_t id, const char *level, struct tk_error *err), \
	  (R, id, level, err)) \
	X(core, member_counts_add, WRITE, \
	  (struct store *st, int64_t id, int64_t direct, int64_t team, struct tk_error *err), \
	  (R, id, direct, team, err)) \
	X(core, member_counts_set, WRITE, \
	  (struct store *st, int64_t id, int64_t direct, int64_t team, struct tk_error *err), \
	  (R, id, direct, team, err)) \
	X(core, binding_get, READ, \
	  (struct store *st, const char *ns, const char *buyer, struct binding_rec *out, \
	   struct tk_error *err), \
	  (R, ns, buyer, out, err)) \
	X(core, binding_put, WRITE, \
	  (struct store *st, const char *ns, const char *buyer, const struct binding_rec *b, \
	   struct tk_error *err), \
	  (R, ns, buyer, b, err)) \
	X(core, item_get, READ, \
	  (struct store *st, const char *union_, const char *key, struct item_rec *it, \
	   struct tk_error *err), \
	  (R, union_, key, it, err)) \
	X(core, item_get_id, READ, \
	  (struct store *st, int64_t id, struct item_rec *it, struct tk_error *err), \
	  (R, id, it, err)) \
	X(core, item_each_buyer, READ, \
	  (struct store *st, const char *union_, const char *kind, const char *buyer, \
	   store_item_cb cb, void *ctx, struct tk_error *err), \
	  (R, union_, kind, buyer, cb, ctx, err)) \
	X(core, item_each_unattributed, READ, \
	  (struct store *st, int64_t since, store_item_cb cb, void *ctx, struct tk_error *err), \
	  (R, since, cb, ctx, err)) \
	X(core, item_insert, WRITE, \
	  (struct store *st, struct item_rec *it, struct tk_error *err), \
	  (R, it, err)) \
	X(core, item_update, WRITE, \
	  (struct store *st, const struct item_rec *was, const struct item_rec *it, \
	   struct tk_error *err), \
	  (R, was, it, err)) \
	X(core, item_event_insert, WRITE, \
	  (struct store *st, int64_t prev, const struct order_row *row, int64_t at, \
	   const char *note, int64_t *id, struct tk_error *err), \
	  (R, prev, row, at, note, id, err)) \
	X(core, item_set_money, WRITE, \
	  (struct store *st, const struct item_rec *it, struct tk_error *err), \
	  (R, it, err)) \
	X(core, refund_get, READ, \
	  (struct store *st, const char *union_, const char *key, int64_t *refunded, \
	   int64_t *modified_at, struct tk_error *err), \
	  (R, union_, key, refunded, modified_at, err)) \
	X(core, refund_put, WRITE, \
	  (struct store *st, const struct order_row *row, struct tk_error *err), \
	  (R, row, err)) \
	X(core, refund_any, READ, \
	  (struct store *st, bool *any, struct tk_error *err), \
	  (R, any, err)) \
	X(core, item_due_ids, READ, \
	  (struct store *st, int64_t now, int64_t *ids, int64_t max, int64_t *n, \
	   struct tk_error *err), \
	  (R, now, ids, max, n, err)) \
	X(core, item_money_get, READ, \
	  (struct store *st, int64_t id, struct item_money *money, struct tk_error *err), \
	  (R, id, money, err)) \
	X(core, item_each, READ, \
	  (struct store *st, store_item_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(core, transfer_insert, WRITE, \
	  (struct store *st, struct transfer *t, struct tk_error *err), \
	  (R, t, err)) \
	X(core, transfer_each, READ, \
	  (struct store *st, store_transfer_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(core, balance_add, WRITE, \
	  (struct store *st, int64_t account, int64_t delta, struct tk_error *err), \
	  (R, account, delta, err)) \
	X(core, balance_get, READ, \
	  (struct store *st, int64_t account, int64_t *balance, struct tk_error *err), \
	  (R, account, balance, err)) \
	X(core, balance_each, READ, \
	  (struct store *st, store_balance_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(core, withdrawal_insert, WRITE, \
	  (struct store *st, struct withdrawal_rec *w, struct tk_error *err), \
	  (R, w, err)) \
	X(core, withdrawal_get, READ, \
	  (struct store *st, int64_t id, struct withdrawal_rec *w, struct tk_error *err), \
	  (R, id, w, err)) \
	X(core, withdrawal_update, WRITE, \
	  (struct store *st, const struct withdrawal_rec *w, struct tk_error *err), \
	  (R, w, err)) \
	X(core, withdrawal_each, READ, \
	  (struct store *st, store_withdrawal_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(core, stats_add, WRITE, \
	  (struct store *st, int64_t day, int dim, const char *key, const int64_t v[STAT_N], \
	   struct tk_error *err), \
	  (R, day, dim, key, v, err)) \
	X(core, product_sales_add, WRITE, \
	  (struct store *st, const char *union_, const char *product, int64_t orders, \
	   int64_t refunds, struct tk_error *err), \
	  (R, union_, product, orders, refunds, err)) \
	X(core, report_totals, READ, \
	  (struct store *st, struct report_totals *out, struct tk_error *err), \
	  (R, out, err)) \
	X(core, rows_ahead, HINT, \
	  (struct store *st, const struct order_row *rows, const char (*ns)[BUYER_NS_MAX], \
	   int n, struct tk_error *err), \
	  (R, rows, ns, n, err)) \

#define FAULTY_FEEDS(X) \
	X(feeds, tag_lookup, READ, \
	  (struct store *st, const char *union_, const char *kind, const char *value, \
	   int64_t *member, char channel[ORDER_KEY_MAX], struct tk_error *err), \
	  (R, union_, kind, value, member, channel, err)) \
	X(feeds, tag_set, WRITE, \
	  (struct store *st, const char *union_, const char *kind, const char *value, \
	   int64_t member, const char *channel, int64_t at, int64_t *previous, \
	   struct tk_error *err), \
	  (R, union_, kind, value, member, channel, at, previous, err)) \
	X(feeds, tag_delete, WRITE, \
	  (struct store *st, const char *union_, const char *kind, const char *value, \
	   struct tk_error *err), \
	  (R, union_, kind, value, err)) \
	X(feeds, tag_each, READ, \
	  (struct store *st, const char *union_, store_tag_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, union_, cb, ctx, err)) \
	X(feeds, cursor_get, READ, \
	  (struct store *st, const char *union_, const char *stream, int64_t *at, \
	   struct tk_error *err), \
	  (R, union_, stream, at, err)) \
	X(feeds, cursor_set, WRITE, \
	  (struct store *st, const char *union_, const char *stream, int64_t at, int64_t now, \
	   struct tk_error *err), \
	  (R, union_, stream, at, now, err)) \
	X(feeds, sync_reject_insert, WRITE, \
	  (struct store *st, const struct sync_reject_rec *r, struct tk_error *err), \
	  (R, r, err)) \
	X(feeds, sync_reject_each, READ, \
	  (struct store *st, const char *union_, store_sync_reject_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, union_, cb, ctx, err)) \

#define FAULTY_CATALOG(X) \
	X(catalog, product_get, READ, \
	  (struct store *st, const char *union_, const char *product, \
	   struct catalog_product *out, struct tk_error *err), \
	  (R, union_, product, out, err)) \
	X(catalog, product_insert, WRITE, \
	  (struct store *st, struct catalog_product *p, struct tk_error *err), \
	  (R, p, err)) \
	X(catalog, product_update, WRITE, \
	  (struct store *st, const struct catalog_product *p, struct tk_error *err), \
	  (R, p, err)) \
	X(catalog, product_count, READ, \
	  (struct store *st, int64_t *products, int64_t *points, struct tk_error *err), \
	  (R, products, points, err)) \
	X(catalog, history_append, WRITE, \
	  (struct store *st, int64_t product, const struct catalog_price_point *pt, \
	   struct tk_error *err), \
	  (R, product, pt, err)) \
	X(catalog, history_last, READ, \
	  (struct store *st, int64_t product, struct catalog_price_point *out, \
	   struct tk_error *err), \
	  (R, product, out, err)) \
	X(catalog, history_get, READ, \
	  (struct store *st, int64_t product, struct catalog_price_point *pts, int max, int *n, \
	   struct tk_error *err), \
	  (R, product, pts, max, n, err)) \
	X(catalog, search, READ, \
	  (struct store *st, const struct catalog_search_query *q, catalog_product_cb cb, \
	   void *ctx, int64_t *total, bool *exact, struct tk_error *err), \
	  (R, q, cb, ctx, total, exact, err)) \
	X(catalog, similar_candidates, READ, \
	  (struct store *st, const char *category, const struct catalog_grams *any, \
	   int64_t exclude, int max, catalog_product_cb cb, void *ctx, struct tk_error *err), \
	  (R, category, any, exclude, max, cb, ctx, err)) \
	X(catalog, scan, READ, \
	  (struct store *st, const char *category, catalog_history_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, category, cb, ctx, err)) \
	X(catalog, team_product, READ, \
	  (struct store *st, const char *union_, const char *product, \
	   struct catalog_team_stats *out, struct tk_error *err), \
	  (R, union_, product, out, err)) \
	X(catalog, team_category, READ, \
	  (struct store *st, const char *category, struct catalog_team_stats *out, \
	   struct tk_error *err), \
	  (R, category, out, err)) \
	X(catalog, category_stats, READ, \
	  (struct store *st, struct catalog_category_stats *out, int max, int *n, \
	   struct catalog_uncatalogued *unc, struct tk_error *err), \
	  (R, out, max, n, unc, err)) \
	X(catalog, feed_listed, READ, \
	  (struct store *st, const char *union_, bool (*cb)(void *ctx, int64_t id), void *ctx, \
	   struct tk_error *err), \
	  (R, union_, cb, ctx, err)) \
	X(catalog, feed_gone, WRITE, \
	  (struct store *st, int64_t id, int64_t at, struct tk_error *err), \
	  (R, id, at, err)) \
	X(catalog, template_put, WRITE, \
	  (struct store *st, const char *name, enum catalog_channel ch, const char *body, \
	   int64_t at, struct tk_error *err), \
	  (R, name, ch, body, at, err)) \
	X(catalog, template_get, READ, \
	  (struct store *st, const char *name, enum catalog_channel ch, char *body, \
	   struct tk_error *err), \
	  (R, name, ch, body, err)) \
	X(catalog, template_each, READ, \
	  (struct store *st, \
	   bool (*cb)(void *ctx, const char *name, enum catalog_channel ch, const char *body, \
		      int64_t at), \
	   void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \

#define FAULTY_SERVER(X) \
	X(server, secret_get, WRITE, \
	  (struct store *st, const char *name, uint8_t *out, size_t len, struct tk_error *err), \
	  (R, name, out, len, err)) \
	X(server, apikey_insert, WRITE, \
	  (struct store *st, struct apikey_rec *k, const uint8_t hash[SERVER_HASH_BYTES], \
	   struct tk_error *err), \
	  (R, k, hash, err)) \
	X(server, apikey_find, READ, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], struct apikey_rec *k, \
	   struct tk_error *err), \
	  (R, hash, k, err)) \
	X(server, apikey_each, READ, \
	  (struct store *st, server_apikey_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(server, apikey_revoke, WRITE, \
	  (struct store *st, int64_t id, int64_t at, struct tk_error *err), \
	  (R, id, at, err)) \
	X(server, apikey_set_role, WRITE, \
	  (struct store *st, int64_t id, const char *role, struct tk_error *err), \
	  (R, id, role, err)) \
	X(server, opsession_insert, WRITE, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], int64_t key, \
	   const char *role, int64_t created_at, int64_t expires_at, struct tk_error *err), \
	  (R, hash, key, role, created_at, expires_at, err)) \
	X(server, opsession_get, READ, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], int64_t now, \
	   struct apikey_rec *k, int64_t *expires_at, struct tk_error *err), \
	  (R, hash, now, k, expires_at, err)) \
	X(server, opsession_delete, WRITE, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], struct tk_error *err), \
	  (R, hash, err)) \
	X(server, opsession_delete_key, WRITE, \
	  (struct store *st, int64_t key, struct tk_error *err), \
	  (R, key, err)) \
	X(server, password_set, WRITE, \
	  (struct store *st, int64_t member, const char *hash, int64_t at, \
	   struct tk_error *err), \
	  (R, member, hash, at, err)) \
	X(server, password_get, READ, \
	  (struct store *st, int64_t member, char hash[PASSWORD_HASH_MAX], \
	   struct tk_error *err), \
	  (R, member, hash, err)) \
	X(server, session_insert, WRITE, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], int64_t member, \
	   int64_t created_at, int64_t expires_at, struct tk_error *err), \
	  (R, hash, member, created_at, expires_at, err)) \
	X(server, session_get, READ, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], int64_t now, \
	   int64_t *member, int64_t *expires_at, struct tk_error *err), \
	  (R, hash, now, member, expires_at, err)) \
	X(server, session_delete, WRITE, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], struct tk_error *err), \
	  (R, hash, err)) \
	X(server, session_delete_member, WRITE, \
	  (struct store *st, int64_t member, struct tk_error *err), \
	  (R, member, err)) \
	X(server, idem_get, READ, \
	  (struct store *st, const char *principal, const char *key, struct idem_rec *out, \
	   struct tk_error *err), \
	  (R, principal, key, out, err)) \
	X(server, idem_put, WRITE, \
	  (struct store *st, const char *principal, const char *key, const struct idem_rec *r, \
	   struct tk_error *err), \
	  (R, principal, key, r, err)) \
	X(server, idem_delete, WRITE, \
	  (struct store *st, const char *principal, const char *key, struct tk_error *err), \
	  (R, principal, key, err)) \
	X(server, oauth_state_insert, WRITE, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], \
	   const struct oauth_state_rec *r, struct tk_error *err), \
	  (R, hash, r, err)) \
	X(server, oauth_state_take, WRITE, \
	  (struct store *st, const uint8_t hash[SERVER_HASH_BYTES], int64_t now, \
	   struct oauth_state_rec *r, struct tk_error *err), \
	  (R, hash, now, r, err)) \
	X(server, purge, WRITE, \
	  (struct store *st, int64_t now, int64_t idem_before, struct tk_error *err), \
	  (R, now, idem_before, err)) \
	X(server, link_insert, WRITE, \
	  (struct store *st, struct link_rec *l, struct tk_error *err), \
	  (R, l, err)) \
	X(server, link_get, READ, \
	  (struct store *st, const char *code, struct link_rec *l, struct tk_error *err), \
	  (R, code, l, err)) \
	X(server, link_get_id, READ, \
	  (struct store *st, int64_t id, struct link_rec *l, struct tk_error *err), \
	  (R, id, l, err)) \
	X(server, link_revoke, WRITE, \
	  (struct store *st, int64_t id, int64_t at, struct tk_error *err), \
	  (R, id, at, err)) \
	X(server, link_find, READ, \
	  (struct store *st, int64_t member, const char *union_, const char *product, \
	   const char *channel, struct link_rec *l, struct tk_error *err), \
	  (R, member, union_, product, channel, l, err)) \
	X(server, link_each, READ, \
	  (struct store *st, server_link_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(server, link_page, READ, \
	  (struct store *st, int64_t member, int64_t before, int limit, server_link_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, member, before, limit, cb, ctx, err)) \
	X(server, link_host_add, WRITE, \
	  (struct store *st, const char *domain, int64_t at, bool *added, struct tk_error *err), \
	  (R, domain, at, added, err)) \
	X(server, link_host_remove, WRITE, \
	  (struct store *st, const char *domain, struct tk_error *err), (R, domain, err)) \
	X(server, link_host_each, READ, \
	  (struct store *st, server_link_host_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(server, link_count_since, READ, \
	  (struct store *st, int64_t member, int64_t since, int64_t *n, int64_t *oldest, \
	   struct tk_error *err), \
	  (R, member, since, n, oldest, err)) \
	X(server, link_quota_get, READ, \
	  (struct store *st, int64_t member, int64_t *per_hour, int64_t *per_day, \
	   struct tk_error *err), \
	  (R, member, per_hour, per_day, err)) \
	X(server, link_quota_set, WRITE, \
	  (struct store *st, int64_t member, int64_t per_hour, int64_t per_day, int64_t at, \
	   struct tk_error *err), \
	  (R, member, per_hour, per_day, at, err)) \
	X(server, conversion_get, READ, \
	  (struct store *st, int64_t member, const char *union_, const char *product, \
	   const char *coupon, const char *channel, struct conversion_rec *c, \
	   struct tk_error *err), \
	  (R, member, union_, product, coupon, channel, c, err)) \
	X(server, conversion_put, WRITE, \
	  (struct store *st, struct conversion_rec *c, struct tk_error *err), \
	  (R, c, err)) \
	X(server, conversion_expiring, READ, \
	  (struct store *st, int64_t before, int limit, server_conversion_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, before, limit, cb, ctx, err)) \
	X(server, click_insert, WRITE, \
	  (struct store *st, const char *node, const struct click_rec *c, size_t n, \
	   struct tk_error *err), \
	  (R, node, c, n, err)) \
	X(server, click_last_id, READ, \
	  (struct store *st, int64_t *id, struct tk_error *err), \
	  (R, id, err)) \
	X(server, click_sums_after, READ, \
	  (struct store *st, const char *node, int64_t after, server_link_sum_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, node, after, cb, ctx, err)) \
	X(server, link_counts_add, WRITE, \
	  (struct store *st, int64_t link, int64_t clicks, int64_t unique_clicks, \
	   int64_t bot_clicks, struct tk_error *err), \
	  (R, link, clicks, unique_clicks, bot_clicks, err)) \
	X(server, click_recent, READ, \
	  (struct store *st, int64_t since, server_recent_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, since, cb, ctx, err)) \
	X(server, state_get, READ, \
	  (struct store *st, const char *name, int64_t *value, struct tk_error *err), \
	  (R, name, value, err)) \
	X(server, state_set, WRITE, \
	  (struct store *st, const char *name, int64_t value, struct tk_error *err), \
	  (R, name, value, err)) \
	X(server, member_tags, READ, \
	  (struct store *st, int64_t member, server_tag_cb cb, void *ctx, struct tk_error *err), \
	  (R, member, cb, ctx, err)) \
	X(server, team_page, READ, \
	  (struct store *st, int64_t parent, int64_t after, int limit, store_member_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, parent, after, limit, cb, ctx, err)) \
	X(server, member_search, READ, \
	  (struct store *st, const char *q, int64_t invite_id, int limit, store_member_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, q, invite_id, limit, cb, ctx, err)) \
	X(server, member_list, READ, \
	  (struct store *st, const struct member_query *f, int limit, server_member_sales_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, f, limit, cb, ctx, err)) \
	X(server, member_count, READ, \
	  (struct store *st, const struct member_query *f, int64_t cap, int64_t *n, \
	   struct tk_error *err), \
	  (R, f, cap, n, err)) \
	X(server, order_items, READ, \
	  (struct store *st, const char *order_no, const char *union_, int limit, \
	   server_item_key_cb cb, void *ctx, struct tk_error *err), \
	  (R, order_no, union_, limit, cb, ctx, err)) \
	X(server, item_list, READ, \
	  (struct store *st, const struct item_query *q, server_item_row_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, q, cb, ctx, err)) \
	X(server, item_totals, READ, \
	  (struct store *st, const struct item_query *q, struct item_totals *out, \
	   struct tk_error *err), \
	  (R, q, out, err)) \
	X(server, item_events, READ, \
	  (struct store *st, int64_t last, int limit, server_item_event_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, last, limit, cb, ctx, err)) \
	X(server, ledger_page, READ, \
	  (struct store *st, int64_t member, int64_t before, int limit, server_ledger_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, member, before, limit, cb, ctx, err)) \
	X(server, withdrawal_page, READ, \
	  (struct store *st, int64_t member, int status, int64_t from, int64_t to, \
	   int64_t before, int limit, server_withdrawal_cb cb, void *ctx, struct tk_error *err), \
	  (R, member, status, from, to, before, limit, cb, ctx, err)) \
	X(server, stats_series, READ, \
	  (struct store *st, int dim, const char *key, int64_t from, int64_t to, \
	   server_stats_cb cb, void *ctx, struct tk_error *err), \
	  (R, dim, key, from, to, cb, ctx, err)) \
	X(server, stats_top, READ, \
	  (struct store *st, int dim, int64_t from, int64_t to, enum day_stat metric, \
	   int limit, server_stats_cb cb, void *ctx, struct tk_error *err), \
	  (R, dim, from, to, metric, limit, cb, ctx, err)) \

#define FAULTY_GROWTH(X) \
	X(growth, implicit_level_get, READ, \
	  (struct store *st, char level[PLAN_KEY_MAX], struct tk_error *err), \
	  (R, level, err)) \
	X(growth, implicit_level_set, WRITE, \
	  (struct store *st, const char *level, struct tk_error *err), \
	  (R, level, err)) \
	X(growth, level_count_add, WRITE, \
	  (struct store *st, int64_t member, const char *level, int64_t direct, int64_t team, \
	   struct tk_error *err), \
	  (R, member, level, direct, team, err)) \
	X(growth, level_count_each, READ, \
	  (struct store *st, int64_t member, store_level_count_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, member, cb, ctx, err)) \
	X(growth, team_day_add, WRITE, \
	  (struct store *st, int64_t member, int64_t day, const int64_t v[TD_N], \
	   struct tk_error *err), \
	  (R, member, day, v, err)) \
	X(growth, team_day_sum, READ, \
	  (struct store *st, int64_t member, int64_t from, int64_t to, int64_t out[TD_N], \
	   struct tk_error *err), \
	  (R, member, from, to, out, err)) \
	X(growth, team_day_each, READ, \
	  (struct store *st, int64_t member, store_team_day_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, member, cb, ctx, err)) \
	X(growth, own_sum_each, READ, \
	  (struct store *st, int64_t from, int64_t to, store_own_sum_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, from, to, cb, ctx, err)) \
	X(growth, history_insert, WRITE, \
	  (struct store *st, struct level_change_rec *c, struct tk_error *err), \
	  (R, c, err)) \
	X(growth, history_each, READ, \
	  (struct store *st, int64_t member, store_level_change_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, member, cb, ctx, err)) \
	X(growth, member_reparent, WRITE, \
	  (struct store *st, int64_t member, int64_t parent, int32_t depth_delta, \
	   struct tk_error *err), \
	  (R, member, parent, depth_delta, err)) \
	X(growth, move_insert, WRITE, \
	  (struct store *st, struct member_move_rec *m, struct tk_error *err), \
	  (R, m, err)) \
	X(growth, move_each, READ, \
	  (struct store *st, int64_t member, store_move_cb cb, void *ctx, struct tk_error *err), \
	  (R, member, cb, ctx, err)) \
	X(growth, member_at, READ, \
	  (struct store *st, int64_t member, int64_t at, int64_t seq, int64_t *parent, \
	   char level[PLAN_KEY_MAX], struct tk_error *err), \
	  (R, member, at, seq, parent, level, err)) \
	X(growth, pack_get, READ, \
	  (struct store *st, int64_t item, struct pack_holding_rec *h, struct tk_error *err), \
	  (R, item, h, err)) \
	X(growth, pack_put, WRITE, \
	  (struct store *st, const struct pack_holding_rec *h, struct tk_error *err), \
	  (R, h, err)) \
	X(growth, pack_each, READ, \
	  (struct store *st, int64_t member, store_pack_cb cb, void *ctx, struct tk_error *err), \
	  (R, member, cb, ctx, err)) \
	X(growth, pack_review_done, WRITE, \
	  (struct store *st, int64_t member, struct tk_error *err), \
	  (R, member, err)) \
	X(growth, team_list, READ, \
	  (struct store *st, const struct team_query *q, store_team_row_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, q, cb, ctx, err)) \
	X(growth, depth_each, READ, \
	  (struct store *st, store_depth_cb cb, void *ctx, struct tk_error *err), \
	  (R, cb, ctx, err)) \
	X(growth, compliance_figures, READ, \
	  (struct store *st, struct compliance_figures *f, int sample, store_earner_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, f, sample, cb, ctx, err)) \


#define FAULTY_GROUPS(X) \
	X(groups, group_insert, WRITE, \
	  (struct store *st, struct group_rec *g, struct tk_error *err), \
	  (R, g, err)) \
	X(groups, group_get, READ, \
	  (struct store *st, int64_t id, struct group_rec *g, struct tk_error *err), \
	  (R, id, g, err)) \
	X(groups, group_get_channel, READ, \
	  (struct store *st, const char *channel, struct group_rec *g, struct tk_error *err), \
	  (R, channel, g, err)) \
	X(groups, group_list, READ, \
	  (struct store *st, const struct group_filter *f, store_group_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, f, cb, ctx, err)) \
	X(groups, group_count_owner, READ, \
	  (struct store *st, int64_t owner, int64_t *n, struct tk_error *err), \
	  (R, owner, n, err)) \
	X(groups, group_update, WRITE, \
	  (struct store *st, const struct group_rec *g, struct tk_error *err), \
	  (R, g, err)) \
	X(groups, group_tags, READ, \
	  (struct store *st, const char *channel, store_group_tag_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, channel, cb, ctx, err)) \
	X(groups, secret_set, WRITE, \
	  (struct store *st, int64_t grp, const struct group_secret *s, \
	   struct tk_error *err), \
	  (R, grp, s, err)) \
	X(groups, secret_get, READ, \
	  (struct store *st, int64_t grp, struct group_secret *s, struct tk_error *err), \
	  (R, grp, s, err)) \
	X(groups, job_insert, WRITE, \
	  (struct store *st, struct send_job_rec *j, bool *created, struct tk_error *err), \
	  (R, j, created, err)) \
	X(groups, job_get, READ, \
	  (struct store *st, int64_t id, struct send_job_rec *j, struct tk_error *err), \
	  (R, id, j, err)) \
	X(groups, job_list, READ, \
	  (struct store *st, const struct send_job_filter *f, store_send_job_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, f, cb, ctx, err)) \
	X(groups, job_due, READ, \
	  (struct store *st, int64_t now, int limit, store_send_job_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, now, limit, cb, ctx, err)) \
	X(groups, job_claim, WRITE, \
	  (struct store *st, int64_t id, int64_t now, bool *claimed, \
	   struct send_job_rec *j, struct tk_error *err), \
	  (R, id, now, claimed, j, err)) \
	X(groups, job_requeue, WRITE, \
	  (struct store *st, int64_t id, int64_t now, bool *done, struct tk_error *err), \
	  (R, id, now, done, err)) \
	X(groups, job_last_time, READ, \
	  (struct store *st, int64_t *t, struct tk_error *err), \
	  (R, t, err)) \
	X(groups, job_finish, WRITE, \
	  (struct store *st, int64_t id, const struct send_job_end *e, struct tk_error *err), \
	  (R, id, e, err)) \
	X(groups, job_mark_stale, WRITE, \
	  (struct store *st, int64_t claimed_before, int64_t now, int64_t *n, \
	   struct tk_error *err), \
	  (R, claimed_before, now, n, err)) \
	X(groups, job_cancel_group, WRITE, \
	  (struct store *st, int64_t grp, const char *message, int64_t *n, \
	   struct tk_error *err), \
	  (R, grp, message, n, err)) \
	X(groups, job_recent, READ, \
	  (struct store *st, int64_t grp, int64_t since, store_send_job_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, grp, since, cb, ctx, err)) \
	X(groups, job_count_sent, READ, \
	  (struct store *st, int64_t since, store_group_count_cb cb, void *ctx, \
	   struct tk_error *err), \
	  (R, since, cb, ctx, err)) \
	X(groups, report_days, READ, \
	  (struct store *st, const struct group_report_filter *f, store_group_day_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, f, cb, ctx, err)) \
	X(groups, report_sends, READ, \
	  (struct store *st, const struct group_report_filter *f, store_group_send_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, f, cb, ctx, err)) \

#define FAULTY_ACTIONS(X) \
	X(actions, action_insert, WRITE, \
	  (struct store *st, struct action_rec *a, struct tk_error *err), \
	  (R, a, err)) \
	X(actions, action_each, READ, \
	  (struct store *st, const struct action_filter *f, int64_t limit, store_action_cb cb, \
	   void *ctx, struct tk_error *err), \
	  (R, f, limit, cb, ctx, err)) \

#define FAULTY_CAMPAIGN_ORDERS(X) \
	X(campaign_orders, campaign_any, READ, \
	  (struct store *st, bool *out, struct tk_error *err), \
	  (R, out, err)) \
	X(campaign_orders, campaign_candidates, READ, \
	  (struct store *st, const char *union_, const char *ext, const char *product, \
	   struct co_candidate *out, int max, int *n, struct tk_error *err), \
	  (R, union_, ext, product, out, max, n, err)) \
	X(campaign_orders, campaign_ext_known, READ, \
	  (struct store *st, const char *union_, const char *ext, bool *out, \
	   struct tk_error *err), \
	  (R, union_, ext, out, err)) \
	X(campaign_orders, channel_find, READ, \
	  (struct store *st, const char *union_, const char *kind, const char *value, \
	   int64_t *channel, struct tk_error *err), \
	  (R, union_, kind, value, channel, err)) \
	X(campaign_orders, get, READ, \
	  (struct store *st, int64_t item, struct campaign_order_rec *out, struct tk_error *err), \
	  (R, item, out, err)) \
	X(campaign_orders, put, WRITE, \
	  (struct store *st, const struct campaign_order_rec *co, struct tk_error *err), \
	  (R, co, err)) \
	X(campaign_orders, each, READ, \
	  (struct store *st, const struct co_filter *f, int64_t limit, \
	   store_campaign_order_cb cb, void *ctx, struct tk_error *err), \
	  (R, f, limit, cb, ctx, err)) \
	X(campaign_orders, totals, READ, \
	  (struct store *st, const struct co_filter *f, struct co_totals *out, \
	   struct tk_error *err), \
	  (R, f, out, err)) \


/* the struct store field of each table */
#define TABLE_core ops
#define TABLE_feeds feeds
#define TABLE_catalog catalog
#define TABLE_server server
#define TABLE_growth growth
#define TABLE_groups groups
#define TABLE_actions actions
#define TABLE_campaign_orders campaign_orders

static const struct store_ops faulty_core_ops;

static struct faulty_store *faulty_of(struct store *st)
{
	return (struct faulty_store *)st;
}

/* Counts an operation; true when it is the one to fail. */
static bool faulty_due(struct faulty_store *f, const char *name)
{
	if (++f->count != f->fail_at || f->fired)
		return false;
	f->fired = name;
	return true;
}

static enum tk_rc faulty_fail(struct faulty_store *f, struct tk_error *err)
{
	return tk_fail(err, TK_EIO, "", "injected fault: operation %lld (%s) failed",
		       (long long)f->count, f->fired);
}

/* Whether a fault of this kind lets the real operation run first. */
#define RUNS_FIRST_TX 0
#define RUNS_FIRST_READ 0
#define RUNS_FIRST_WRITE 1

#define R self->real

#define WRAP_TX(tab, name, params, args) WRAP_RC(tab, name, TX, params, args)
#define WRAP_READ(tab, name, params, args) WRAP_RC(tab, name, READ, params, args)
#define WRAP_WRITE(tab, name, params, args) WRAP_RC(tab, name, WRITE, params, args)
#define WRAP_RC(tab, name, kind, params, args)                                              \
	static enum tk_rc w_##tab##_##name params                                           \
	{                                                                                   \
		struct faulty_store *self = faulty_of(st);                                  \
		bool fail = faulty_due(self, #tab "." #name);                               \
		if (fail && !(self->mode == FAULT_AFTER && RUNS_FIRST_##kind))              \
			return faulty_fail(self, err);                                      \
		enum tk_rc rc = self->real->TABLE_##tab->name args;                         \
		return fail && rc == TK_OK ? faulty_fail(self, err) : rc;                   \
	}
/* An optional read-ahead (NULL on a backend that needs none): absent, it
 * answers done and counts nothing, as the engine skips it then. */
#define WRAP_HINT(tab, name, params, args)                                                  \
	static enum tk_rc w_##tab##_##name params                                           \
	{                                                                                   \
		struct faulty_store *self = faulty_of(st);                                  \
		if (!self->real->TABLE_##tab->name)                                         \
			return TK_OK;                                                       \
		if (faulty_due(self, #tab "." #name))                                       \
			return faulty_fail(self, err);                                      \
		return self->real->TABLE_##tab->name args;                                  \
	}
#define WRAP_VOID(tab, name, params, args)                                                  \
	static void w_##tab##_##name params                                                 \
	{                                                                                   \
		struct faulty_store *self = faulty_of(st);                                  \
		self->real->TABLE_##tab->name args;                                         \
	}
#define WRAP_CLOSE(tab, name, params, args)                                                 \
	static void w_##tab##_##name params                                                 \
	{                                                                                   \
		struct faulty_store *self = faulty_of(st);                                  \
		self->real->TABLE_##tab->name args;                                         \
		free(self);                                                                 \
	}
#define WRAP(tab, name, kind, params, args) WRAP_##kind(tab, name, params, args)

FAULTY_CORE(WRAP)
FAULTY_FEEDS(WRAP)
FAULTY_CATALOG(WRAP)
FAULTY_SERVER(WRAP)
FAULTY_GROWTH(WRAP)
FAULTY_GROUPS(WRAP)
FAULTY_ACTIONS(WRAP)
FAULTY_CAMPAIGN_ORDERS(WRAP)

#define ENTRY(tab, name, kind, params, args) .name = w_##tab##_##name,
#define ONE(tab, name, kind, params, args) +1
#define PTR_SIZE sizeof(void (*)(void))

static const struct store_ops faulty_core_ops = {FAULTY_CORE(ENTRY)};
static const struct feed_store_ops faulty_feed_ops = {FAULTY_FEEDS(ENTRY)};
static const struct catalog_store_ops faulty_catalog_ops = {FAULTY_CATALOG(ENTRY)};
static const struct server_store_ops faulty_server_ops = {FAULTY_SERVER(ENTRY)};
static const struct growth_store_ops faulty_growth_ops = {FAULTY_GROWTH(ENTRY)};
static const struct group_store_ops faulty_group_ops = {FAULTY_GROUPS(ENTRY)};
static const struct action_store_ops faulty_action_ops = {FAULTY_ACTIONS(ENTRY)};
static const struct campaign_order_store_ops faulty_campaign_order_ops = {
	FAULTY_CAMPAIGN_ORDERS(ENTRY)};

/* Every operation of each table is wrapped (designated initializers check
 * the names and types; these, that none is left out). */
_Static_assert(sizeof(struct store_ops) == (0 FAULTY_CORE(ONE)) * PTR_SIZE,
	       "an operation of struct store_ops is missing from FAULTY_CORE");
_Static_assert(sizeof(struct feed_store_ops) == (0 FAULTY_FEEDS(ONE)) * PTR_SIZE,
	       "an operation of struct feed_store_ops is missing from FAULTY_FEEDS");
_Static_assert(sizeof(struct catalog_store_ops) == (0 FAULTY_CATALOG(ONE)) * PTR_SIZE,
	       "an operation of struct catalog_store_ops is missing from FAULTY_CATALOG");
_Static_assert(sizeof(struct server_store_ops) == (0 FAULTY_SERVER(ONE)) * PTR_SIZE,
	       "an operation of struct server_store_ops is missing from FAULTY_SERVER");
_Static_assert(sizeof(struct growth_store_ops) == (0 FAULTY_GROWTH(ONE)) * PTR_SIZE,
	       "an operation of struct growth_store_ops is missing from FAULTY_GROWTH");
_Static_assert(sizeof(struct group_store_ops) == (0 FAULTY_GROUPS(ONE)) * PTR_SIZE,
	       "an operation of struct group_store_ops is missing from FAULTY_GROUPS");
_Static_assert(sizeof(struct action_store_ops) == (0 FAULTY_ACTIONS(ONE)) * PTR_SIZE,
	       "an operation of struct action_store_ops is missing from FAULTY_ACTIONS");
_Static_assert(sizeof(struct campaign_order_store_ops) ==
		       (0 FAULTY_CAMPAIGN_ORDERS(ONE)) * PTR_SIZE,
	       "an operation of struct campaign_order_store_ops is missing from "
	       "FAULTY_CAMPAIGN_ORDERS");

enum tk_rc faulty_store_wrap(struct store *real, struct store **out, struct tk_error *err)
{
	struct faulty_store *f = calloc(1, sizeof(*f));
	if (!f) {
		real->ops->close(real);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	f->real = real;
	f->pub.ops = &faulty_core_ops;
	/* a table the backend lacks stays absent */
	f->pub.feeds = real->feeds ? &faulty_feed_ops : NULL;
	f->pub.catalog = real->catalog ? &faulty_catalog_ops : NULL;
	f->pub.server = real->server ? &faulty_server_ops : NULL;
	f->pub.growth = real->growth ? &faulty_growth_ops : NULL;
	f->pub.groups = real->groups ? &faulty_group_ops : NULL;
	f->pub.actions = real->actions ? &faulty_action_ops : NULL;
	f->pub.campaign_orders = real->campaign_orders ? &faulty_campaign_order_ops : NULL;
	*out = &f->pub;
	return TK_OK;
}

bool faulty_store_is(const struct store *st)
{
	return st && st->ops == &faulty_core_ops;
}

void faulty_store_arm(struct store *st, int64_t n, enum faulty_mode mode)
{
	struct faulty_store *f = faulty_of(st);
	f->count = 0;
	f->fail_at = n;
	f->mode = mode;
	f->fired = NULL;
}

int64_t faulty_store_count(const struct store *st)
{
	return ((const struct faulty_store *)st)->count;
}

const char *faulty_store_fired(const struct store *st)
{
	return ((const struct faulty_store *)st)->fired;
}

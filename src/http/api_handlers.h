/* api_handlers.h — the API's handlers, one file per area (api_*.c); the
 * route table (routes.c) ties them to methods and paths. */
#ifndef TK_HTTP_API_HANDLERS_H
#define TK_HTTP_API_HANDLERS_H

#include "http/api.h"

/* api_meta.c */
enum tk_rc h_health(struct api_call *c);
enum tk_rc h_openapi(struct api_call *c);

/* api_auth.c */
enum tk_rc h_login(struct api_call *c);
enum tk_rc h_logout(struct api_call *c);
enum tk_rc h_operator_session(struct api_call *c);
enum tk_rc h_me(struct api_call *c);
enum tk_rc h_member_password(struct api_call *c);
enum tk_rc h_register(struct api_call *c);

/* api_members.c */
enum tk_rc h_member_create(struct api_call *c);
enum tk_rc h_member_show(struct api_call *c);
enum tk_rc h_member_level(struct api_call *c);
enum tk_rc h_member_team(struct api_call *c);
enum tk_rc h_member_search(struct api_call *c);
enum tk_rc h_member_stats(struct api_call *c);
enum tk_rc h_member_level_progress(struct api_call *c);
enum tk_rc h_member_path(struct api_call *c);
enum tk_rc h_member_tags(struct api_call *c);
enum tk_rc h_tag_set(struct api_call *c);
enum tk_rc h_tag_delete(struct api_call *c);
enum tk_rc h_tag_register(struct api_call *c);
/* A member as JSON, with its parent's external id looked up. */
json_t *api_member_doc(struct api_call *c, const struct member_rec *m);

/* api_plans.c */
enum tk_rc h_plan_show(struct api_call *c);
enum tk_rc h_plan_set(struct api_call *c);
enum tk_rc h_plan_simulate(struct api_call *c);
enum tk_rc h_plan_validate(struct api_call *c);
enum tk_rc h_plan_versions(struct api_call *c);

/* api_orders.c */
enum tk_rc h_orders_import(struct api_call *c);
enum tk_rc h_orders_reattribute(struct api_call *c);
enum tk_rc h_order_show(struct api_call *c);
enum tk_rc h_order_list(struct api_call *c);
enum tk_rc h_order_items(struct api_call *c); /* api_order_items.c */
enum tk_rc h_order_item_totals(struct api_call *c);
enum tk_rc h_campaign_orders(struct api_call *c); /* api_campaign_orders.c */
enum tk_rc h_campaign_order_totals(struct api_call *c);

/* api_actions.c */
enum tk_rc h_actions_list(struct api_call *c);
enum tk_rc h_actions_csv(struct api_call *c);

/* api_money.c */
enum tk_rc h_balance(struct api_call *c);
enum tk_rc h_ledger(struct api_call *c);
enum tk_rc h_settle(struct api_call *c);
enum tk_rc h_withdrawal_request(struct api_call *c);
enum tk_rc h_withdrawal_list(struct api_call *c);
enum tk_rc h_payout_file(struct api_call *c);
enum tk_rc h_withdrawal_terms(struct api_call *c);
enum tk_rc h_withdrawal_show(struct api_call *c);
enum tk_rc h_withdrawal_approve(struct api_call *c);
enum tk_rc h_withdrawal_reject(struct api_call *c);
enum tk_rc h_withdrawal_paid(struct api_call *c);

/* api_reports.c */
enum tk_rc h_report_summary(struct api_call *c);
enum tk_rc h_report_daily(struct api_call *c);
enum tk_rc h_report_top(struct api_call *c);
enum tk_rc h_report_funnel(struct api_call *c);

/* api_links.c */
enum tk_rc h_link_create(struct api_call *c);
struct links_fault;
/* When a union failed to convert (f->failed): answers 502 union_refused or
 * union_unavailable naming the union and its code; returns rc. */
/* Fills u to release the engine lock (held by the handler) around a union
 * call and take it again after, catching up with other processes. */
struct links_unlock;
void api_links_unlock(struct api_call *c, struct links_unlock *u);
enum tk_rc api_union_fault(struct api_call *c, const struct links_fault *f, enum tk_rc rc);
enum tk_rc h_link_list(struct api_call *c);
enum tk_rc h_link_show(struct api_call *c);
enum tk_rc h_link_revoke(struct api_call *c);
/* When a member's link was refused for its quota (hit->hit): answers 429
 * link_quota_exceeded with Retry-After; returns rc. */
struct links_quota_hit;
enum tk_rc api_link_quota(struct api_call *c, const struct links_quota_hit *hit, enum tk_rc rc);
enum tk_rc h_link_hosts(struct api_call *c);
enum tk_rc h_link_host_add(struct api_call *c);
enum tk_rc h_link_host_remove(struct api_call *c);
enum tk_rc h_link_quota(struct api_call *c);
enum tk_rc h_link_quota_set(struct api_call *c);

/* api_taobao_auth.c */
enum tk_rc h_taobao_authorize(struct api_call *c);
enum tk_rc h_taobao_callback(struct api_call *c);
/* The Taobao tag kinds the authorization walk-through can register now
 * (for /me): ["relation_id", "special_id"], or fewer. */
json_t *api_taobao_authorize_kinds(struct api_call *c);

/* api_products.c */
enum tk_rc h_product_search(struct api_call *c);
enum tk_rc h_product_top(struct api_call *c);
enum tk_rc h_product_show(struct api_call *c);
enum tk_rc h_product_categories(struct api_call *c);
enum tk_rc h_product_copy(struct api_call *c);
/* The member's short tracking link to a product in url (made on first
 * use, then reused; 409 when the member has no tag of the union), the
 * 淘口令 in tpwd, the link's document in *doc (json_decref). */
enum tk_rc api_product_link(struct api_call *c, const struct member_rec *m, const char *union_,
			    const char *product, char *url, size_t size, char *tpwd,
			    size_t tpwd_size, json_t **doc);

/* api_posters.c */
enum tk_rc h_link_qr(struct api_call *c);
enum tk_rc h_me_invite_qr(struct api_call *c);
enum tk_rc h_me_invite_poster(struct api_call *c);
enum tk_rc h_product_poster(struct api_call *c);
enum tk_rc h_image_url(struct api_call *c);
/* Authenticates a call by its signed image address (?m=&exp=&sig=, from
 * h_image_url): the member it was made for, while it has not expired;
 * 401 otherwise. */
enum tk_rc api_image_signed(struct api_call *c);

/* api_groups.c */
/* the head's partner channels (api_channels.c) */
enum tk_rc h_channels_list(struct api_call *c);
enum tk_rc h_channel_create(struct api_call *c);
enum tk_rc h_channel_show(struct api_call *c);
enum tk_rc h_channel_update(struct api_call *c);
enum tk_rc h_channel_id_add(struct api_call *c);
enum tk_rc h_channel_id_delete(struct api_call *c);
enum tk_rc h_channel_history(struct api_call *c);
enum tk_rc h_channel_products(struct api_call *c);
enum tk_rc h_campaign_item_channels(struct api_call *c);
enum tk_rc h_groups_list(struct api_call *c);
enum tk_rc h_group_create(struct api_call *c);
enum tk_rc h_group_show(struct api_call *c);
enum tk_rc h_group_update(struct api_call *c);
enum tk_rc h_group_credentials(struct api_call *c);
enum tk_rc h_group_tag(struct api_call *c);
enum tk_rc h_group_tag_register(struct api_call *c);
enum tk_rc h_me_groups_list(struct api_call *c);
enum tk_rc h_me_group_create(struct api_call *c);
enum tk_rc h_me_group_show(struct api_call *c);

/* api_group_report.c */
enum tk_rc h_report_groups(struct api_call *c);
enum tk_rc h_group_results(struct api_call *c);
enum tk_rc h_me_group_results(struct api_call *c);
/* api_push.c */

/* api_statements.c: the merchants' monthly statements */
enum tk_rc h_statements_generate(struct api_call *c);
enum tk_rc h_statements_list(struct api_call *c);
enum tk_rc h_statement_show(struct api_call *c);
enum tk_rc h_statement_send(struct api_call *c);
enum tk_rc h_statement_confirm(struct api_call *c);
enum tk_rc h_statement_invoice(struct api_call *c);
enum tk_rc h_statement_reopen(struct api_call *c);
enum tk_rc h_statement_export(struct api_call *c);
enum tk_rc h_group_jobs(struct api_call *c);
enum tk_rc h_group_preview(struct api_call *c);
enum tk_rc h_group_send(struct api_call *c);
enum tk_rc h_job_requeue(struct api_call *c);
enum tk_rc h_me_group_offers(struct api_call *c);
enum tk_rc h_me_group_send(struct api_call *c);

/* api_promo.c: the promotion head's registry */
enum tk_rc h_merchants_list(struct api_call *c);
enum tk_rc h_merchant_create(struct api_call *c);
enum tk_rc h_merchant_show(struct api_call *c);
enum tk_rc h_merchant_update(struct api_call *c);
enum tk_rc h_merchant_shop_add(struct api_call *c);
enum tk_rc h_merchant_shop_remove(struct api_call *c);
enum tk_rc h_campaigns_list(struct api_call *c);
enum tk_rc h_campaign_create(struct api_call *c);
enum tk_rc h_campaign_show(struct api_call *c);
enum tk_rc h_campaign_update(struct api_call *c);
enum tk_rc h_campaign_status(struct api_call *c);
enum tk_rc h_campaign_item_put(struct api_call *c);
enum tk_rc h_campaign_items_import(struct api_call *c);
enum tk_rc h_campaign_item_remove(struct api_call *c);
enum tk_rc h_campaign_item_status(struct api_call *c);
enum tk_rc h_slot_fee_book(struct api_call *c);
enum tk_rc h_slot_fees_list(struct api_call *c);
enum tk_rc h_slot_fee_collect(struct api_call *c);
enum tk_rc h_slot_fee_waive(struct api_call *c);

#endif

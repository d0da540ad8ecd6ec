/* openapi.c — the OpenAPI 3 document: paths and operations generated from
 * the route table, schemas written out below.
 *
 * The schemas are JSON written with single quotes, so that they read as
 * JSON rather than as escaped C; they are turned into JSON (' -> ") once,
 * when the document is built.  No schema text may hold an apostrophe. */
#include "http/openapi.h"

#include "core/error_keys.h"
#include "http/route_roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The figures of the daily statistics (store.h, enum day_stat), shared by
 * Stats, DayStats and KeyStats. */
#define STATS_REQUIRED                                                               \
	"'orders', 'gmv', 'commission', "                                             \
	"'settled_orders', 'settled_commission', 'invalid_orders', 'new_members', " \
	"'clicks', 'unique_clicks', 'link_orders'"
#define STATS_PROPERTIES                                                      \
	"  'orders': {'type': 'integer'},"                                    \
	"  'gmv': {'type': 'integer'},"                                       \
	"  'commission': {'type': 'integer'},"                                \
	"  'members_share': {'type': 'integer', 'description': 'every member share "  \
	"of the items, fen (operators only)'},"                                \
	"  'platform_share': {'type': 'integer', 'description': 'fen (operators "      \
	"only)'},"                                                             \
	"  'settled_orders': {'type': 'integer'},"                            \
	"  'settled_commission': {'type': 'integer'},"                        \
	"  'invalid_orders': {'type': 'integer'},"                            \
	"  'new_members': {'type': 'integer'},"                               \
	"  'clicks': {'type': 'integer'},"                                    \
	"  'unique_clicks': {'type': 'integer'},"                             \
	"  'link_orders': {'type': 'integer', 'description': 'of orders, those "   \
	"attributed through a tracked link'}"

/* The promotion head's registry: merchants, shops, campaigns, their
 * products and slot fees (api_promo.c). */
#define PROMO_TIME "{'type': 'string', 'nullable': true, 'description': 'ISO 8601, Beijing time'}"
#define PROMO_TIME_IN                                                                    \
	"{'type': 'string', 'description': 'a date (2026-12-01, Beijing; an end is its last " \
	"second), 2026-12-01 10:00 or ISO 8601'}"
#define PROMO_RATE_IN                                                                     \
	"{'oneOf': [{'type': 'integer'}, {'type': 'string'}], 'description': 'an integer per " \
	"mille (205), or a percentage with one decimal at most as a string (20.5)'}"
#define PROMO_SCHEMAS                                                                         \
	"'Merchant': {'type': 'object', 'required': ['id', 'name', 'contact', 'phone', 'wechat', " \
	"'terms', 'note', 'state', 'created_at', 'updated_at'], 'properties': {"                 \
	"  'id': {'type': 'integer'}, 'name': {'type': 'string'}, 'contact': {'type': 'string'}," \
	"  'phone': {'type': 'string'}, 'wechat': {'type': 'string'}, 'terms': {'type': 'string'}," \
	"  'note': {'type': 'string'}, 'state': {'type': 'string', 'enum': ['active', 'archived']}," \
	"  'created_at': " PROMO_TIME ", 'updated_at': " PROMO_TIME ","                              \
	"  'shops': {'type': 'array', 'items': {'$ref': '#/components/schemas/Shop'}, "            \
	"'description': 'on GET of one merchant'}"                                                 \
	"}},"                                                                                      \
	"'MerchantPage': {'type': 'object', 'required': ['merchants', 'next'], 'properties': {"   \
	"  'merchants': {'type': 'array', 'items': {'$ref': '#/components/schemas/Merchant'}},"   \
	"  'next': {'type': 'string', 'nullable': true, 'description': 'the before of the next page'}" \
	"}},"                                                                                      \
	"'MerchantCreate': {'type': 'object', 'required': ['name'], 'additionalProperties': false, " \
	"'properties': {'name': {'type': 'string', 'description': '1..128 bytes'}, "              \
	"'contact': {'type': 'string'}, 'phone': {'type': 'string'}, 'wechat': {'type': 'string'}, " \
	"'terms': {'type': 'string', 'description': 'at most 2000 bytes'}, "                      \
	"'note': {'type': 'string', 'description': 'at most 2000 bytes'}}},"                      \
	"'MerchantUpdate': {'type': 'object', 'additionalProperties': false, 'properties': {"      \
	"'name': {'type': 'string'}, 'contact': {'type': 'string'}, 'phone': {'type': 'string'}, " \
	"'wechat': {'type': 'string'}, 'terms': {'type': 'string'}, 'note': {'type': 'string'}, "  \
	"'state': {'type': 'string', 'enum': ['active', 'archived']}}},"                           \
	"'Shop': {'type': 'object', 'required': ['id', 'merchant', 'union', 'shop', 'name'], "     \
	"'properties': {'id': {'type': 'integer'}, 'merchant': {'type': 'integer'}, "              \
	"'union': {'type': 'string'}, 'shop': {'type': 'string'}, 'name': {'type': 'string'}}},"   \
	"'ShopCreate': {'type': 'object', 'required': ['union', 'shop'], "                          \
	"'additionalProperties': false, 'properties': {'union': {'type': 'string', 'enum': "       \
	"['jd', 'taobao', 'pdd']}, 'shop': {'type': 'string', 'description': 'the union shop id, " \
	"1..95 bytes'}, 'name': {'type': 'string'}}},"                                            \
	"'ShopRemoved': {'type': 'object', 'required': ['merchant', 'union', 'shop', 'removed'], " \
	"'properties': {'merchant': {'type': 'integer'}, 'union': {'type': 'string'}, "            \
	"'shop': {'type': 'string'}, 'removed': {'type': 'boolean'}}},"                            \
	"'Campaign': {'type': 'object', 'required': ['id', 'merchant', 'merchant_name', 'union', " \
	"'ext_id', 'name', 'status', 'apply_from', 'apply_to', 'promote_from', 'promote_to', "      \
	"'note', 'created_at', 'updated_at'], 'properties': {"                                     \
	"  'id': {'type': 'integer'}, 'merchant': {'type': 'integer'}, 'union': {'type': 'string'}," \
	"  'merchant_name': {'type': 'string'},"                                                   \
	"  'ext_id': {'type': 'string', 'description': 'JD cpActId, PDD plan, Taobao event'},"     \
	"  'name': {'type': 'string'}, 'status': {'type': 'string', 'enum': ['pending', "          \
	"'approved', 'rejected', 'ended']},"                                                       \
	"  'apply_from': " PROMO_TIME ", 'apply_to': " PROMO_TIME ","                                \
	"  'promote_from': " PROMO_TIME ", 'promote_to': " PROMO_TIME ","                            \
	"  'note': {'type': 'string'}, 'created_at': " PROMO_TIME ", 'updated_at': " PROMO_TIME "," \
	"  'items': {'type': 'array', 'items': {'$ref': '#/components/schemas/CampaignItem'}, "   \
	"'description': 'on GET of one campaign'},"                                                \
	"  'slot_fees': {'type': 'array', 'items': {'$ref': '#/components/schemas/SlotFee'}, "    \
	"'description': 'on GET of one campaign'},"                                                \
	"  'slot_totals': {'type': 'object', 'description': 'booked_fen, collected_fen, "          \
	"waived_fen: on GET of one campaign'}"                                                     \
	"}},"                                                                                      \
	"'CampaignPage': {'type': 'object', 'required': ['campaigns', 'next'], 'properties': {"   \
	"  'campaigns': {'type': 'array', 'items': {'$ref': '#/components/schemas/Campaign'}},"   \
	"  'next': {'type': 'string', 'nullable': true}"                                          \
	"}},"                                                                                      \
	"'CampaignCreate': {'type': 'object', 'required': ['merchant', 'union', 'name', "          \
	"'promote_from', 'promote_to'], 'additionalProperties': false, 'properties': {"           \
	"  'merchant': {'type': 'integer'}, 'union': {'type': 'string', 'enum': ['jd', 'taobao', " \
	"'pdd']}, 'name': {'type': 'string'}, 'ext_id': {'type': 'string', 'description': "       \
	"'digits for jd'}, 'note': {'type': 'string'},"                                            \
	"  'apply_from': " PROMO_TIME_IN ", 'apply_to': " PROMO_TIME_IN ","                         \
	"  'promote_from': " PROMO_TIME_IN ", 'promote_to': " PROMO_TIME_IN                        \
	"}},"                                                                                      \
	"'CampaignUpdate': {'type': 'object', 'additionalProperties': false, 'properties': {"      \
	"  'name': {'type': 'string'}, 'ext_id': {'type': 'string'}, 'note': {'type': 'string'},"  \
	"  'apply_from': " PROMO_TIME_IN ", 'apply_to': " PROMO_TIME_IN ","                         \
	"  'promote_from': " PROMO_TIME_IN ", 'promote_to': " PROMO_TIME_IN                        \
	"}},"                                                                                      \
	"'CampaignStatus': {'type': 'object', 'required': ['status'], "                            \
	"'additionalProperties': false, 'properties': {'status': {'type': 'string', 'enum': "      \
	"['pending', 'approved', 'rejected', 'ended'], 'description': 'pending to approved or "   \
	"rejected, approved to ended, rejected to pending'}, 'reason': {'type': 'string'}}},"      \
	"'CampaignItem': {'type': 'object', 'required': ['id', 'campaign', 'product', 'title', "   \
	"'category', 'price_fen', 'commission_permille', 'service_fee_permille', 'coupon_fen', "   \
	"'coupon_url', 'status'], 'properties': {"                                                 \
	"  'id': {'type': 'integer'}, 'campaign': {'type': 'integer'}, 'product': {'type': 'string'}," \
	"  'title': {'type': 'string'}, 'category': {'type': 'string'},"                          \
	"  'price_fen': {'type': 'integer'}, 'commission_permille': {'type': 'integer'},"         \
	"  'service_fee_permille': {'type': 'integer'}, 'coupon_fen': {'type': 'integer'},"       \
	"  'coupon_url': {'type': 'string'}, 'status': {'type': 'string'},"                       \
	"  'created_at': " PROMO_TIME ", 'updated_at': " PROMO_TIME ","                              \
	"  'created': {'type': 'boolean', 'description': 'on PUT: whether it was new'}"           \
	"}},"                                                                                      \
	"'CampaignItemPut': {'type': 'object', 'required': ['commission_permille', "               \
	"'service_fee_permille'], 'additionalProperties': false, 'properties': {"                 \
	"  'title': {'type': 'string'}, 'category': {'type': 'string'},"                          \
	"  'price_fen': {'type': 'integer'}, 'coupon_fen': {'type': 'integer'},"                  \
	"  'commission_permille': " PROMO_RATE_IN ", 'service_fee_permille': " PROMO_RATE_IN ","   \
	"  'coupon_url': {'type': 'string'}"                                                       \
	"}},"                                                                                      \
	"'CampaignItemsImport': {'type': 'object', 'required': ['csv'], "                         \
	"'additionalProperties': false, 'properties': {'csv': {'type': 'string', 'description': " \
	"'the sheet: a header (product, commission_permille, service_fee_permille; title, "       \
	"category, price_fen, coupon_fen, coupon_url) and at most 10000 rows'}, 'name': "         \
	"{'type': 'string', 'description': 'the file name errors give'}}},"                      \
	"'CampaignItemsImported': {'type': 'object', 'required': ['campaign', 'added', "          \
	"'changed'], 'properties': {'campaign': {'type': 'integer'}, 'added': {'type': "          \
	"'integer'}, 'changed': {'type': 'integer'}}},"                                          \
	"'CampaignItemStatus': {'type': 'object', 'required': ['status'], "                        \
	"'additionalProperties': false, 'properties': {'status': {'type': 'string'}}},"            \
	"'CampaignItemRemoved': {'type': 'object', 'required': ['campaign', 'product', "           \
	"'removed'], 'properties': {'campaign': {'type': 'integer'}, 'product': {'type': "         \
	"'string'}, 'removed': {'type': 'boolean'}}},"                                             \
	"'SlotFee': {'type': 'object', 'required': ['id', 'campaign', 'campaign_name', 'merchant', " \
	"'channel', 'channel_name', 'amount_fen', "                                                 \
	"'state', 'booked_at', 'collected_at', 'waived_at', 'note'], 'properties': {"              \
	"  'id': {'type': 'integer'}, 'campaign': {'type': 'integer'}, 'campaign_name': {'type': " \
	"'string'}, 'merchant': {'type': 'integer', 'description': 'the merchant of the "         \
	"campaign'}, 'channel_name': {'type': 'string', 'description': 'empty when the channel "  \
	"is gone'}, 'channel': {'type': "                                                          \
	"'integer'}, 'amount_fen': {'type': 'integer'}, 'state': {'type': 'string', 'enum': "     \
	"['booked', 'collected', 'waived']}, 'booked_at': " PROMO_TIME ", 'collected_at': "        \
	PROMO_TIME ", 'waived_at': " PROMO_TIME ", 'note': {'type': 'string'}"                     \
	"}},"                                                                                      \
	"'SlotFeeBook': {'type': 'object', 'required': ['channel', 'amount_fen'], "                \
	"'additionalProperties': false, 'properties': {'channel': {'type': 'integer'}, "           \
	"'amount_fen': {'type': 'integer', 'description': '1..1000000000'}, 'note': {'type': "     \
	"'string'}}},"                                                                             \
	"'SlotFeePage': {'type': 'object', 'required': ['slot_fees', 'next'], 'properties': {"     \
	"  'slot_fees': {'type': 'array', 'items': {'$ref': '#/components/schemas/SlotFee'}},"     \
	"  'next': {'type': 'string', 'nullable': true}"                                           \
	"}}"

static const char schemas_text[] =
	"{"
	"'Error': {'type': 'object', 'required': ['error'], 'additionalProperties': false, "
	"'properties': {"
	"  'error': {'type': 'object', 'required': ['code', 'message'], "
	"'additionalProperties': false, 'properties': {'code': {'type': 'string', "
	"'description': 'invalid, limit_exceeded, not_found, conflict, insufficient_funds, "
	"member_in_debt, "
	"unauthorized, invalid_credentials, forbidden, rate_limited, method_not_allowed, "
	"payload_too_large, uri_too_long, idempotency_key_reused, idempotency_key_in_doubt, "
	"union_refused, union_unavailable, "
	"internal or unavailable'}, 'message': {'type': 'string', "
	"'description': 'a sentence a person can act on'}, 'field': {'type': 'string', "
	"'description': 'the request field at fault, when there is one'}, "
	"'key': {'type': 'string', 'description': 'a stable message id (x-error-keys lists "
	"each with its params); the code when the error has no key of its own'}, "
	"'params': {'type': 'object', 'description': 'named values of the message: money "
	"as integer fen (names ending in _fen), counts as integers, strings; field is the "
	"field at fault'}, "
	"'union': {'type': 'string', 'description': 'the union that refused or was "
	"unreachable (union_refused, union_unavailable)'}, "
	"'union_code': {'type': 'string', 'nullable': true, "
	"'description': 'the own error code of the union, null when it did not answer'}}}"
	"}},"
	"'Health': {'type': 'object', 'required': ['status', 'uptime_s', 'links', 'clicks', "
	"'connections'], "
	"'additionalProperties': false, 'properties': {"
	"  'status': {'type': 'string', 'description': 'ok, or stopping'},"
	"  'uptime_s': {'type': 'integer'},"
	"  'links': {'type': 'integer', 'description': 'tracking links served from memory'},"
	"  'clicks': {'type': 'object', 'required': ['recorded', 'written', 'pending', "
	"'dropped', 'bots', 'failed_flushes'], 'additionalProperties': false, "
	"'properties': {'recorded': {'type': 'integer'}, 'written': {'type': 'integer'}, "
	"'pending': {'type': 'integer'}, 'dropped': {'type': 'integer'}, "
	"'bots': {'type': 'integer'}, 'failed_flushes': {'type': 'integer'}}},"
	"  'connections': {'type': 'object', 'description': 'connections open now, and those "
	"closed or refused at the network edge since the start', 'required': ['open', "
	"'closed_head_deadline', 'closed_body_deadline', 'closed_pressure', 'refused_per_ip'], "
	"'additionalProperties': false, 'properties': {'open': {'type': 'integer'}, "
	"'closed_head_deadline': {'type': 'integer', 'description': 'request head not complete "
	"within --head-timeout'}, 'closed_body_deadline': {'type': 'integer', 'description': "
	"'request body not complete within its deadline'}, 'closed_pressure': {'type': "
	"'integer', 'description': 'slow heads closed early when connections ran short'}, "
	"'refused_per_ip': {'type': 'integer', 'description': 'connections refused: their "
	"address held --max-connections-per-ip'}}}"
	"}},"
	"'Document': {'type': 'object', 'description': 'this OpenAPI document'},"
	"'Png': {'type': 'string', 'format': 'binary', 'description': 'a PNG image'},"
	"'ImageUrl': {'type': 'object', 'required': ['url', 'expires_at'], "
	"'additionalProperties': false, 'properties': {"
	"  'url': {'type': 'string', 'description': 'the image with ?m=&exp=&sig= (relative to "
	"the server)'},"
	"  'expires_at': {'type': 'string', 'description': 'ISO 8601 in Beijing time'}"
	"}},"
	"'Login': {'type': 'object', 'required': ['member', 'password'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string', 'description': 'the external id of the member'},"
	"  'password': {'type': 'string', 'description': '8..128 bytes'}"
	"}},"
	"'Session': {'type': 'object', 'required': ['token', 'member', 'expires_at', "
	"'token_type'], 'additionalProperties': false, 'properties': {"
	"  'token': {'type': 'string', "
	"'description': 'send it as Authorization: Bearer TOKEN'},"
	"  'member': {'type': 'string'},"
	"  'expires_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'token_type': {'type': 'string', 'description': 'Bearer'}"
	"}},"
	"'Register': {'type': 'object', 'required': ['invite', 'id', 'password'], "
	"'additionalProperties': false, 'properties': {"
	"  'invite': {'type': 'string', "
	"'description': 'the inviter code (8 letters and digits) or a link carrying one'},"
	"  'id': {'type': 'string', 'description': 'the id the new member chooses'},"
	"  'name': {'type': 'string'},"
	"  'password': {'type': 'string', 'description': '8..128 bytes'}"
	"}},"
	"'LoggedOut': {'type': 'object', 'required': ['logged_out'], "
	"'additionalProperties': false, 'properties': {"
	"  'logged_out': {'type': 'boolean'}"
	"}},"
	"'OperatorSession': {'type': 'object', 'required': ['token', 'token_type', 'expires_at', "
	"'key', 'role'], 'additionalProperties': false, 'properties': {"
	"  'token': {'type': 'string', 'description': 'tko_...: send it as Authorization: "
	"Bearer TOKEN; it acts as the key, with its role'},"
	"  'token_type': {'type': 'string', 'description': 'Bearer'},"
	"  'expires_at': {'type': 'string', 'description': 'ISO 8601 in Beijing time (+08:00)'},"
	"  'key': {'type': 'string', 'description': 'the name of the key'},"
	"  'role': {'type': 'string', 'description': 'admin, finance, operations or viewer'}"
	"}},"
	"'Me': {'type': 'object', 'required': ['kind'], 'additionalProperties': false, "
	"'properties': {"
	"  'kind': {'type': 'string', 'description': 'operator or member'},"
	"  'key': {'type': 'string', 'description': 'the name of the operator key'},"
	"  'role': {'type': 'string', 'description': 'an operator: admin, finance, operations "
	"or viewer'},"
	"  'session': {'type': 'boolean', 'description': 'an operator: true for an operator "
	"session, false for the key itself'},"
	"  'member': {'$ref': '#/components/schemas/Member'},"
	"  'levels': {'type': 'array', 'description': 'a member: the active plan levels, each "
	"{key, name, names} (names by locale, zh-CN and en, when the plan gives them), to say "
	"a level in the reader language', 'items': {'type': 'object'}},"
	"  'expires_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'taobao_authorize': {'type': 'array', 'items': {'type': 'string'}, "
	"'description': 'a member: the Taobao tags it can register through its Taobao "
	"authorization here (relation_id, special_id), as the operator configured them'}"
	"}},"
	"'TaobaoAuthorize': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'kind': {'type': 'string', 'description': 'relation_id (a channel, the default) or "
	"special_id (a member)'}"
	"}},"
	"'TaobaoAuthorizeStart': {'type': 'object', "
	"'required': ['union', 'kind', 'url', 'expires_at'], 'additionalProperties': false, "
	"'properties': {"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'url': {'type': 'string', 'description': 'Taobao authorize page to send the browser "
	"to; it comes back to BASE/auth/taobao/callback'},"
	"  'expires_at': {'type': 'string', 'description': 'until when the state is accepted'}"
	"}},"
	"'MemberCreate': {'type': 'object', 'required': ['id'], 'additionalProperties': false, "
	"'properties': {"
	"  'id': {'type': 'string', "
	"'description': 'the id the operator gives the member: 1..64 bytes, no spaces'},"
	"  'parent': {'type': 'string', 'description': 'the id of the inviter'},"
	"  'level': {'type': 'string', "
	"'description': 'a level of the plan; default the default level of the plan'},"
	"  'name': {'type': 'string'}"
	"}},"
	"'Member': {'type': 'object', 'required': ['id', 'parent', 'level', 'name', 'depth', "
	"'direct_count', 'team_count', 'invite_code', 'created_at'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'string'},"
	"  'parent': {'type': 'string', 'nullable': true},"
	"  'level': {'type': 'string'},"
	"  'name': {'type': 'string'},"
	"  'depth': {'type': 'integer'},"
	"  'direct_count': {'type': 'integer'},"
	"  'team_count': {'type': 'integer'},"
	"  'invite_code': {'type': 'string'},"
	"  'created_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'}"
	"}},"
	"'Level': {'type': 'object', 'required': ['level'], 'additionalProperties': false, "
	"'properties': {"
	"  'level': {'type': 'string'}"
	"}},"
	"'Password': {'type': 'object', 'required': ['password'], "
	"'additionalProperties': false, 'properties': {"
	"  'password': {'type': 'string', 'description': '8..128 bytes'}"
	"}},"
	"'PasswordSet': {'type': 'object', 'required': ['member', 'password_set'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'password_set': {'type': 'boolean'}"
	"}},"
	"'TeamPage': {'type': 'object', 'required': ['member', 'direct_count', 'team_count', "
	"'members', 'next'], 'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'direct_count': {'type': 'integer'},"
	"  'team_count': {'type': 'integer'},"
	"  'members': {'type': 'array', 'items': {'$ref': '#/components/schemas/Member'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'MemberSearch': {'type': 'object', 'required': ['query', 'members', 'next', 'total', "
	"'total_more', 'sales_from', 'sales_to'], "
	"'additionalProperties': false, 'properties': {"
	"  'query': {'type': 'string', 'nullable': true},"
	"  'members': {'type': 'array', 'items': {'$ref': '#/components/schemas/MemberListed'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'},"
	"  'total': {'type': 'integer', 'description': 'members matching, at most 10000'},"
	"  'total_more': {'type': 'boolean', 'description': 'more than total match'},"
	"  'sales_from': {'type': 'string', 'description': 'the sales period, YYYY-MM-DD'},"
	"  'sales_to': {'type': 'string'}"
	"}},"
	"'MemberListed': {'type': 'object', 'required': ['id', 'parent', 'level', 'name', 'depth', "
	"'direct_count', 'team_count', 'invite_code', 'created_at', 'sales'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'string'},"
	"  'parent': {'type': 'string', 'nullable': true},"
	"  'level': {'type': 'string'},"
	"  'name': {'type': 'string'},"
	"  'depth': {'type': 'integer'},"
	"  'direct_count': {'type': 'integer'},"
	"  'team_count': {'type': 'integer'},"
	"  'invite_code': {'type': 'string'},"
	"  'created_at': {'type': 'string', 'nullable': true},"
	"  'sales': {'type': 'integer', 'description': 'fen of the orders it shared in the "
	"sales period'}"
	"}},"
	"'MonthFigures': {'type': 'object', 'required': ['month', 'own_gmv', 'own_commission', "
	"'team_gmv', 'team_commission'], 'additionalProperties': false, 'properties': {"
	"  'month': {'type': 'string', 'description': 'YYYY-MM, Beijing time'},"
	"  'own_gmv': {'type': 'integer', 'description': 'fen of the orders it shared'},"
	"  'own_commission': {'type': 'integer'},"
	"  'team_gmv': {'type': 'integer', 'description': 'fen of its own and its whole "
	"team orders'},"
	"  'team_commission': {'type': 'integer'}"
	"}},"
	"'TeamStats': {'type': 'object', 'required': ['id', 'level', 'direct_count', "
	"'team_count', 'this_month', 'last_month', 'levels'], 'additionalProperties': false, "
	"'properties': {"
	"  'id': {'type': 'string'},"
	"  'level': {'type': 'string'},"
	"  'direct_count': {'type': 'integer'},"
	"  'team_count': {'type': 'integer'},"
	"  'this_month': {'$ref': '#/components/schemas/MonthFigures'},"
	"  'last_month': {'$ref': '#/components/schemas/MonthFigures'},"
	"  'levels': {'type': 'array', 'items': {'type': 'object', 'required': ['level', "
	"'direct', 'team'], 'additionalProperties': false, 'properties': {"
	"'level': {'type': 'string'}, 'direct': {'type': 'integer'}, "
	"'team': {'type': 'integer'}}}}"
	"}},"
	"'MemberPath': {'type': 'object', 'required': ['member', 'path'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'path': {'type': 'array', 'items': {'$ref': '#/components/schemas/Member'}, "
	"'description': 'the member, then its inviter, up to the root'}"
	"}},"
	"'Tag': {'type': 'object', 'required': ['union', 'kind', 'value'], "
	"'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'}"
	"}},"
	"'Tags': {'type': 'object', 'required': ['member', 'tags'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'tags': {'type': 'array', 'items': {'$ref': '#/components/schemas/Tag'}}"
	"}},"
	"'TagSet': {'type': 'object', 'required': ['member', 'union', 'kind', 'value'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'union': {'type': 'string', 'description': 'jd, taobao or pdd'},"
	"  'kind': {'type': 'string', 'description': 'jd subUnionId, "
	"positionId; taobao special_id, relation_id, adzone_id; pdd uid, p_id'},"
	"  'value': {'type': 'string'}"
	"}},"
	"'Group': {'type': 'object', 'required': ['id', 'channel', 'owner', 'name', 'kind', "
	"'state', 'settings', 'credentials', 'created_at', 'updated_at'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer'},"
	"  'channel': {'type': 'string', 'description': 'the group key g<id> its links, tags "
	"and orders carry'},"
	"  'owner': {'type': 'string', 'description': 'the member'},"
	"  'name': {'type': 'string'},"
	"  'kind': {'type': 'string', 'enum': ['wecom', 'dingtalk', 'feishu', 'telegram', "
	"'manual']},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused', 'archived']},"
	"  'settings': {'type': 'object', 'description': 'what to send when: docs/groups.md'},"
	"  'credentials': {'type': 'object', 'required': ['set'], 'additionalProperties': false, "
	"'properties': {'set': {'type': 'boolean'}, 'hint': {'type': 'string', "
	"'description': 'the last 4 characters of the credential'}}},"
	"  'chat_id': {'type': 'string', 'description': 'Telegram only'},"
	"  'paused_until': {'type': 'string', 'description': 'the platform limited the robot'},"
	"  'pause_reason': {'type': 'string'},"
	"  'created_at': {'type': 'string'},"
	"  'updated_at': {'type': 'string'}"
	"}},"
	"'GroupFigures': {'type': 'object', 'description': 'fen for money; docs/groups.md "
	"What the figures mean', 'required': ['sends', 'failures', 'clicks', 'unique_clicks', 'orders', 'gmv', 'commission', 'owner_share'], "
	"'properties': {"
	"  'sends': {'type': 'integer'}, 'failures': {'type': 'integer'},"
	"  'clicks': {'type': 'integer', 'description': 'bots left out'},"
	"  'unique_clicks': {'type': 'integer'},"
	"  'orders': {'type': 'integer', 'description': 'distinct orders by paid day, invalid "
	"ones left out'},"
	"  'gmv': {'type': 'integer'}, 'commission': {'type': 'integer', 'description': "
	"'the union commission, net of refunds'},"
	"  'owner_share': {'type': 'integer', 'description': 'what of it the owner earns'}"
	"}},"
	"'GroupResult': {'type': 'object', 'required': ['id', 'channel', 'name', 'owner', "
	"'kind', 'state', 'totals', 'last_days', 'dormant', 'suggestion'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer'}, 'channel': {'type': 'string'}, 'name': {'type': 'string'},"
	"  'owner': {'type': 'string'},"
	"  'kind': {'type': 'string', 'enum': ['wecom', 'dingtalk', 'feishu', 'telegram', "
	"'manual']},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused', 'archived']},"
	"  'totals': {'$ref': '#/components/schemas/GroupFigures'},"
	"  'last_days': {'$ref': '#/components/schemas/GroupFigures'},"
	"  'dormant': {'type': 'boolean', 'description': 'sends in the last N days, no click and "
	"no order'},"
	"  'suggestion': {'type': 'string', 'nullable': true, 'enum': ['send less', "
	"'change categories', 'archive', null]}"
	"}},"
	"'GroupReport': {'type': 'object', 'required': ['from', 'to', 'by', 'dormant_days', "
	"'totals'], 'properties': {"
	"  'from': {'type': 'string'}, 'to': {'type': 'string'},"
	"  'by': {'type': 'string', 'enum': ['group', 'day', 'send', 'member']},"
	"  'dormant_days': {'type': 'integer'},"
	"  'totals': {'$ref': '#/components/schemas/GroupFigures'},"
	"  'groups': {'type': 'array', 'items': {'$ref': '#/components/schemas/GroupResult'}},"
	"  'days': {'type': 'array', 'items': {'type': 'object', 'description': 'date, group, "
	"channel, name, owner and the figures'}},"
	"  'sends': {'type': 'array', 'items': {'type': 'object', 'description': 'job, group, "
	"sent_at, union, product, link, and after: the figures of the 48 hours after it'}},"
	"  'truncated': {'type': 'boolean', 'description': 'more than 10000 sends'},"
	"  'members': {'type': 'array', 'items': {'type': 'object', 'description': 'member, "
	"groups, dormant_groups and the figures'}}"
	"}},"
	"'GroupResults': {'type': 'object', 'required': ['group', 'from', 'to', 'dormant_days', "
	"'days', 'sends', 'sends_in_range'], 'additionalProperties': false, 'properties': {"
	"  'group': {'$ref': '#/components/schemas/GroupResult'},"
	"  'from': {'type': 'string'}, 'to': {'type': 'string'},"
	"  'dormant_days': {'type': 'integer'},"
	"  'days': {'type': 'array', 'description': 'every day of the range, zeros included', "
	"'items': {'type': 'object'}},"
	"  'sends': {'type': 'array', 'description': 'the newest 50, newest first', "
	"'items': {'type': 'object'}},"
	"  'sends_in_range': {'type': 'integer'}"
	"}},"
	"'GroupPage': {'type': 'object', 'required': ['groups', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'groups': {'type': 'array', 'items': {'$ref': '#/components/schemas/Group'}},"
	"  'next': {'type': 'string', 'nullable': true, 'description': 'the before of the next page, null on the last'}"
	"}},"
	"'GroupCreate': {'type': 'object', 'required': ['member', 'kind', 'name'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'kind': {'type': 'string', 'enum': ['wecom', 'dingtalk', 'feishu', 'telegram', "
	"'manual']},"
	"  'name': {'type': 'string', 'description': '1..64 bytes'},"
	"  'settings': {'type': 'object', 'description': 'at most 16 KB: docs/groups.md'}"
	"}},"
	"'MeGroupCreate': {'type': 'object', 'required': ['kind', 'name'], "
	"'additionalProperties': false, 'properties': {"
	"  'kind': {'type': 'string', 'enum': ['wecom', 'dingtalk', 'feishu', 'telegram', "
	"'manual']},"
	"  'name': {'type': 'string', 'description': '1..64 bytes'},"
	"  'settings': {'type': 'object', 'description': 'at most 16 KB: docs/groups.md'}"
	"}},"
	"'GroupUpdate': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'name': {'type': 'string'},"
	"  'settings': {'type': 'object', 'description': 'replaces the settings whole'},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused', 'archived']}"
	"}},"
	"'GroupCredentials': {'type': 'object', 'required': ['credential'], "
	"'additionalProperties': false, 'properties': {"
	"  'credential': {'type': 'string', 'description': 'the webhook URL or the bare key/"
	"token (at most 256 bytes), a Telegram bot token'},"
	"  'sign_secret': {'type': 'string', 'description': 'DingTalk/Feishu signing secret'},"
	"  'chat_id': {'type': 'string', 'description': 'Telegram: the chat id'}"
	"}},"
	"'TagSetGroup': {'type': 'object', 'required': ['union', 'kind', 'value'], "
	"'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string', 'description': 'jd, taobao or pdd'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'}"
	"}},"
	"'GroupTag': {'type': 'object', 'required': ['group', 'channel', 'member', 'union', "
	"'kind', 'value'], 'additionalProperties': false, 'properties': {"
	"  'group': {'type': 'integer'},"
	"  'channel': {'type': 'string'},"
	"  'member': {'type': 'string'},"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'},"
	"  'replaced_member': {'type': 'string'}"
	"}},"
	"'GroupTagRegister': {'type': 'object', 'required': ['union'], "
	"'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string', 'description': 'jd or pdd'},"
	"  'kind': {'type': 'string', 'description': 'jd positionId; pdd p_id'},"
	"  'force': {'type': 'boolean', 'description': 'a new one even when one is held'}"
	"}},"
	"'GroupTagRegistered': {'type': 'object', 'required': ['group', 'channel', 'member', "
	"'union', 'kind', 'value', 'registered'], 'additionalProperties': false, 'properties': {"
	"  'group': {'type': 'integer'},"
	"  'channel': {'type': 'string'},"
	"  'member': {'type': 'string'},"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'},"
	"  'registered': {'type': 'boolean', 'description': 'false: the group held one, "
	"nothing was asked of the union'},"
	"  'replaced_member': {'type': 'string'}"
	"}},"
	"'SendJob': {'type': 'object', 'required': ['id', 'group', 'slot', 'due_at', 'union', "
	"'product', 'origin', 'state', 'attempts', 'link', 'code', 'message'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer'},"
	"  'group': {'type': 'integer'},"
	"  'slot': {'type': 'string', 'description': 'the nominal time, ISO 8601 (Beijing)'},"
	"  'due_at': {'type': 'string', 'description': 'the slot and its jitter'},"
	"  'union': {'type': 'string'},"
	"  'product': {'type': 'string'},"
	"  'shop': {'type': 'string'},"
	"  'category': {'type': 'string'},"
	"  'origin': {'type': 'string', 'enum': ['schedule', 'now']},"
	"  'state': {'type': 'string', 'enum': ['pending', 'sending', 'sent', 'failed', "
	"'unknown', 'ready', 'cancelled']},"
	"  'attempts': {'type': 'integer'},"
	"  'next_at': {'type': 'string', 'nullable': true, 'description': 'pending: when it "
	"may be tried (again)'},"
	"  'claimed_at': {'type': 'string', 'nullable': true},"
	"  'sent_at': {'type': 'string', 'nullable': true},"
	"  'link': {'type': 'string', 'description': 'the link code sent (empty before)'},"
	"  'link_url': {'type': 'string', 'nullable': true},"
	"  'code': {'type': 'string', 'description': 'the last code of the platform'},"
	"  'message': {'type': 'string', 'description': 'the last message of the platform'},"
	"  'created_at': {'type': 'string', 'nullable': true},"
	"  'created': {'type': 'boolean', 'description': 'send now: false when the same "
	"request came before'}"
	"}},"
	"'SendJobPage': {'type': 'object', 'required': ['jobs', 'page', 'per_page', 'next_page'], "
	"'additionalProperties': false, 'properties': {"
	"  'jobs': {'type': 'array', 'items': {'$ref': '#/components/schemas/SendJob'}},"
	"  'page': {'type': 'integer'},"
	"  'per_page': {'type': 'integer'},"
	"  'next_page': {'type': 'integer', 'nullable': true}"
	"}},"
	"'SendNow': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'product': {'type': 'string', 'description': 'UNION:ID; absent: the selection picks'}"
	"}},"
	"'SendPreview': {'type': 'object', 'required': ['group', 'kind', 'union', 'product', "
	"'method', 'url', 'body', 'text', 'link'], 'additionalProperties': false, 'properties': {"
	"  'group': {'type': 'integer'},"
	"  'kind': {'type': 'string'},"
	"  'union': {'type': 'string'},"
	"  'product': {'type': 'string'},"
	"  'method': {'type': 'string', 'description': 'POST; empty for a manual group'},"
	"  'url': {'type': 'string', 'nullable': true, 'description': 'the request URL, "
	"CREDENTIAL in place of the credential'},"
	"  'body': {'type': 'object', 'description': 'the exact body'},"
	"  'text': {'type': 'string', 'description': 'the rendered copy text'},"
	"  'link': {'type': 'string', 'description': 'a placeholder for the link a send makes'}"
	"}},"
	"'Offer': {'type': 'object', 'required': ['id', 'union', 'product', 'text', 'link'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer', 'description': 'the send job'},"
	"  'union': {'type': 'string'},"
	"  'product': {'type': 'string'},"
	"  'due_at': {'type': 'string', 'nullable': true},"
	"  'text': {'type': 'string', 'description': 'the copy text (it carries the link)'},"
	"  'link': {'type': 'string', 'description': 'the tracking link of the group'},"
	"  'code': {'type': 'string'}"
	"}},"
	"'OfferList': {'type': 'object', 'required': ['group', 'offers'], "
	"'additionalProperties': false, 'properties': {"
	"  'group': {'type': 'integer'},"
	"  'offers': {'type': 'array', 'items': {'$ref': '#/components/schemas/Offer'}}"
	"}},"
	"'TagRegister': {'type': 'object', 'required': ['union'], "
	"'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string', 'description': 'jd, taobao or pdd'},"
	"  'kind': {'type': 'string', 'description': 'jd positionId; taobao relation_id "
	"(a channel) or special_id (a member); pdd p_id; default the first'},"
	"  'name': {'type': 'string', 'description': 'the position name (default the member id)'},"
	"  'session': {'type': 'string', 'description': 'Taobao: the member session key from "
	"its Taobao authorization; used once, never stored'},"
	"  'force': {'type': 'boolean', 'description': 'ask for a new tag even if one is held'}"
	"}},"
	"'TagRegistered': {'type': 'object', "
	"'required': ['member', 'union', 'kind', 'value', 'registered'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'},"
	"  'registered': {'type': 'boolean', 'description': 'false: the member already held a "
	"tag of the kind and the union was not called'},"
	"  'account_name': {'type': 'string'},"
	"  'note': {'type': 'string'},"
	"  'replaced_member': {'type': 'string'}"
	"}},"
	"'TagSetResult': {'type': 'object', 'required': ['member', 'union', 'kind', 'value'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'},"
	"  'replaced_member': {'type': 'string', "
	"'description': 'the member that held the tag before'}"
	"}},"
	"'TagDeleted': {'type': 'object', 'required': ['union', 'kind', 'value', 'deleted'], "
	"'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string'},"
	"  'kind': {'type': 'string'},"
	"  'value': {'type': 'string'},"
	"  'deleted': {'type': 'boolean'}"
	"}},"
	"'Balance': {'type': 'object', 'required': ['member', 'pending', 'frozen', "
	"'available', 'withdrawing', 'paid'], 'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'pending': {'type': 'integer', 'description': 'estimated, "
	"the union has not settled, fen'},"
	"  'frozen': {'type': 'integer', 'description': 'settled, in hold, fen'},"
	"  'available': {'type': 'integer', "
	"'description': 'withdrawable; negative after a clawback, fen'},"
	"  'withdrawing': {'type': 'integer', 'description': 'requested, fen'},"
	"  'paid': {'type': 'integer', 'description': 'paid out, fen'}"
	"}},"
	"'LedgerEntry': {'type': 'object', 'required': ['id', 'at', 'type', 'amount', "
	"'change', 'from', 'to'], 'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer'},"
	"  'at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'type': {'type': 'string', 'description': 'accrue, adjust, reverse, freeze, "
	"release, clawback, topup, withdraw, return, payout, fee or unfreeze'},"
	"  'amount': {'type': 'integer', 'description': 'moved, fen'},"
	"  'change': {'type': 'integer', "
	"'description': 'what the total of the member changed by: + in, - out, "
	"0 between its own accounts, fen'},"
	"  'from': {'type': 'string', 'description': 'the account the money left'},"
	"  'to': {'type': 'string', 'description': 'the account the money reached'},"
	"  'item': {'type': 'object', 'required': ['union', 'item', 'product', 'title', "
	"'amount'], 'additionalProperties': false, 'properties': {'union': {'type': 'string'}, "
	"'item': {'type': 'string'}, 'product': {'type': 'string', 'description': 'the "
	"product id the order row names'}, 'title': {'type': 'string', 'description': 'its "
	"title as the order row gives it'}, 'amount': {'type': 'integer', "
	"'description': 'fen the buyer paid for the item'}}},"
	"  'withdrawal': {'type': 'integer'}"
	"}},"
	"'LedgerPage': {'type': 'object', 'required': ['member', 'entries', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'entries': {'type': 'array', 'items': {'$ref': '#/components/schemas/LedgerEntry'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'SettleResult': {'type': 'object', 'required': ['released_items', 'released', "
	"'as_of'], 'additionalProperties': false, 'properties': {"
	"  'released_items': {'type': 'integer'},"
	"  'released': {'type': 'integer', 'description': 'moved to available, fen'},"
	"  'as_of': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'}"
	"}},"
	"'WithdrawalRequest': {'type': 'object', 'required': ['amount'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string', "
	"'description': 'whose money: a member may name only itself, and is the default'},"
	"  'amount': {'type': 'integer', 'description': 'taken from available, fen'},"
	"  'method': {'type': 'string', 'description': 'alipay, wechat or bank'},"
	"  'account': {'type': 'string'},"
	"  'payee': {'type': 'string', 'description': 'the real name of the account owner for "
	"the payout file, at most 127 bytes of UTF-8 (default: the member name)'},"
	"  'bank': {'type': 'string', 'description': 'method bank only: the bank name, at most "
	"127 bytes'},"
	"  'branch': {'type': 'string', 'description': 'method bank only: the branch, at most "
	"127 bytes'}"
	"}},"
	"'WithdrawalReject': {'type': 'object', 'required': ['reason'], "
	"'additionalProperties': false, 'properties': {"
	"  'reason': {'type': 'string', 'description': 'why, shown to the member: 1 to 200 "
	"characters, no control characters'}"
	"}},"
	"'Withdrawal': {'type': 'object', 'required': ['id', 'member', 'amount', 'fee', 'net', "
	"'available_before', 'method', 'account', 'payee', 'bank', 'branch', 'status', "
	"'requested_at', 'decided_at', 'paid_at', 'reason', 'available', 'blocked', 'member_name'], "
	"'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer'},"
	"  'member': {'type': 'string'},"
	"  'member_name': {'type': 'string', 'description': 'the member name now'},"
	"  'bank': {'type': 'string', 'description': 'method bank: the bank name, else empty'},"
	"  'branch': {'type': 'string', 'description': 'method bank: the branch, else empty'},"
	"  'reason': {'type': 'string', 'nullable': true, 'description': 'why it was rejected; "
	"null unless rejected'},"
	"  'amount': {'type': 'integer', 'description': 'requested, fen'},"
	"  'fee': {'type': 'integer', 'description': 'kept by the platform, fen'},"
	"  'net': {'type': 'integer', 'description': 'paid to the member, fen'},"
	"  'available_before': {'type': 'integer', 'description': 'available when requested, "
	"fen'},"
	"  'method': {'type': 'string', 'enum': ['alipay', 'wechat', 'bank']},"
	"  'account': {'type': 'string'},"
	"  'payee': {'type': 'string', 'description': 'the real name given with the request, "
	"empty when none'},"
	"  'status': {'type': 'string', 'enum': ['requested', 'approved', 'paid', 'rejected']},"
	"  'requested_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'decided_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'paid_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'available': {'type': 'integer', 'description': 'the member available balance now, "
	"fen; negative while it owes a clawback'},"
	"  'blocked': {'type': 'string', 'nullable': true, 'description': 'member_in_debt while "
	"the withdrawal is open and the member available balance is negative: it can be "
	"rejected but neither approved nor paid; else null'}"
	"}},"
	"'Action': {'type': 'object', 'required': ['id', 'at', 'actor', 'role', 'source', 'what', "
	"'subject', 'before', 'after', 'reason', 'request_id'], 'additionalProperties': false, "
	"'description': 'one entry of the action log (append-only)', 'properties': {"
	"  'id': {'type': 'integer'},"
	"  'at': {'type': 'string', 'description': 'ISO 8601 in Beijing time (+08:00)'},"
	"  'actor': {'type': 'string', 'description': 'key:NAME, member:ID, cli:USER@HOST or "
	"system'},"
	"  'role': {'type': 'string', 'nullable': true, 'description': 'the role of the "
	"operator key at the time'},"
	"  'source': {'type': 'string', 'description': 'the client address, or cli'},"
	"  'what': {'type': 'string', 'description': 'member.create, member.level, "
	"member.password, member.move, member.import, plan.set, orders.reattribute, settle, "
	"withdrawal.approve, "
	"withdrawal.reject, withdrawal.pay, key.create, key.role, key.revoke, group.create, "
	"group.update, group.pause, group.resume, group.archive, group.credentials, tag.set, "
	"tag.delete, levels.evaluate, link_host.add, link_host.remove, link.host_override, "
	"member.link_quota'},"
	"  'subject': {'type': 'string', 'description': 'what it is about: member:ID, plan, "
	"withdrawal:ID, key:ID, group:ID, tag:UNION/KIND/VALUE, ledger, members, file:NAME, "
	"link_host:DOMAIN, link:CODE'},"
	"  'before': {'description': 'the state before (JSON; null when new); never a secret'},"
	"  'after': {'description': 'the state after (JSON); never a secret'},"
	"  'reason': {'type': 'string', 'nullable': true, 'description': 'the X-Reason given'},"
	"  'request_id': {'type': 'string', 'nullable': true, "
	"'description': 'the Idempotency-Key of the request'}"
	"}},"
	"'ActionPage': {'type': 'object', 'required': ['actions', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'actions': {'type': 'array', 'items': {'$ref': '#/components/schemas/Action'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'ActionCsv': {'type': 'string', 'description': 'text/csv: id, at, actor, role, source, "
	"what, subject, before, after, reason, request_id'},"
	"'StatementGenerate': {'type': 'object', 'required': ['month'], "
	"'additionalProperties': false, 'properties': {"
	"  'month': {'type': 'string', 'description': 'YYYYMM (or YYYY-MM), Beijing time'},"
	"  'merchant': {'type': 'integer', 'description': 'one merchant only'}"
	"}},"
	"'StatementsGenerated': {'type': 'object', 'required': ['month', 'created', 'existing'], "
	"'additionalProperties': false, 'properties': {"
	"  'month': {'type': 'integer'},"
	"  'created': {'type': 'array', 'items': {'type': 'integer'}, "
	"'description': 'ids of the drafts made now'},"
	"  'existing': {'type': 'array', 'items': {'type': 'integer'}, "
	"'description': 'ids of the statements there already'}"
	"}},"
	"'StatementHead': {'type': 'object', 'required': ['id', 'merchant', 'merchant_name', "
	"'month', 'state'], 'properties': {"
	"  'id': {'type': 'integer'}, 'merchant': {'type': 'integer'},"
	"  'merchant_name': {'type': 'string'}, 'month': {'type': 'integer', 'description': 'YYYYMM'},"
	"  'state': {'type': 'string', 'enum': ['draft', 'sent', 'confirmed', 'invoiced']},"
	"  'invoice': {'type': 'string', 'nullable': true},"
	"  'reason': {'type': 'string', 'nullable': true, 'description': 'the last reopening'},"
	"  'created_at': {'type': 'string'}, 'updated_at': {'type': 'string'},"
	"  'sent_at': {'type': 'string', 'nullable': true},"
	"  'confirmed_at': {'type': 'string', 'nullable': true},"
	"  'invoiced_at': {'type': 'string', 'nullable': true}"
	"}},"
	"'StatementPage': {'type': 'object', 'required': ['statements', 'next_before'], "
	"'additionalProperties': false, 'properties': {"
	"  'statements': {'type': 'array', 'items': {'$ref': '#/components/schemas/StatementHead'}},"
	"  'next_before': {'type': 'integer', 'nullable': true, "
	"'description': 'before= of the next page, null on the last page'}"
	"}},"
	"'StatementFigures': {'type': 'object', 'description': 'fen and counts; see "
	"docs/promotion-head.md#statements', 'properties': {"
	"  'orders': {'type': 'integer'}, 'gmv': {'type': 'integer'},"
	"  'commission': {'type': 'integer'}, 'service_fee': {'type': 'integer'},"
	"  'service_fee_settled': {'type': 'integer'}, 'service_fee_estimated': {'type': 'integer'},"
	"  'refunds': {'type': 'integer'}, 'refund_gmv': {'type': 'integer'},"
	"  'refund_service_fee': {'type': 'integer'},"
	"  'slot_fee_collected': {'type': 'integer', 'description': 'totals only'},"
	"  'slot_fee_outstanding': {'type': 'integer', 'description': 'totals only'}"
	"}},"
	"'Statement': {'type': 'object', 'required': ['id', 'merchant', 'merchant_name', 'month', "
	"'state', 'lines', 'campaigns', 'slot_fees', 'totals', 'figures', 'changed_since_sent', "
	"'changes'], 'properties': {"
	"  'id': {'type': 'integer'}, 'merchant': {'type': 'integer'},"
	"  'merchant_name': {'type': 'string'}, 'month': {'type': 'integer'},"
	"  'state': {'type': 'string', 'enum': ['draft', 'sent', 'confirmed', 'invoiced']},"
	"  'invoice': {'type': 'string', 'nullable': true},"
	"  'reason': {'type': 'string', 'nullable': true},"
	"  'lines': {'type': 'array', 'description': 'per campaign product: campaign, "
	"campaign_name, product, title, commission_pm, service_pm and the figures', "
	"'items': {'type': 'object'}},"
	"  'campaigns': {'type': 'array', 'items': {'type': 'object'}},"
	"  'slot_fees': {'type': 'array', 'description': 'booked in the month, not waived: id, "
	"campaign, campaign_name, channel, channel_name, amount, state (booked or collected), "
	"booked_at, collected_at', 'items': {'type': 'object'}},"
	"  'totals': {'$ref': '#/components/schemas/StatementFigures'},"
	"  'figures': {'type': 'string', 'enum': ['live', 'sent'], 'description': 'computed now "
	"(a draft) or as sent'},"
	"  'changed_since_sent': {'type': 'boolean'},"
	"  'changes': {'type': 'array', 'description': 'what differs now from the figures as "
	"sent: {what, sent, now}', 'items': {'type': 'object'}}"
	"}},"
	"'StatementInvoice': {'type': 'object', 'required': ['invoice'], "
	"'additionalProperties': false, 'properties': {"
	"  'invoice': {'type': 'string', 'description': 'the invoice number, 1..64 bytes'}}},"
	"'StatementReopen': {'type': 'object', 'required': ['reason'], "
	"'additionalProperties': false, 'properties': {"
	"  'reason': {'type': 'string', 'description': 'why, 1..500 bytes'}}},"
	"'StatementFile': {'type': 'string', 'description': 'text/csv or an XLSX workbook "
	"(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)'},"
	"'PayoutFile': {'type': 'string', 'description': 'the payout file of the approved "
	"withdrawals, CSV (see docs/security.md, The payout file)'},"
	"'WithdrawalTerms': {'type': 'object', 'required': ['min', 'fee_bps', 'plan_version'], "
	"'additionalProperties': false, 'properties': {"
	"  'min': {'type': 'integer', 'description': 'the smallest withdrawal, fen'},"
	"  'fee_bps': {'type': 'integer', 'description': 'the fee, floor(amount x fee_bps / "
	"10000) fen'},"
	"  'plan_version': {'type': 'integer', 'description': 'the active plan they come from'}"
	"}},"
	"'WithdrawalPage': {'type': 'object', 'required': ['withdrawals', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'withdrawals': {'type': 'array', "
	"'items': {'$ref': '#/components/schemas/Withdrawal'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'Plan': {'type': 'object', "
	"'description': 'the plan document of docs/plans.md with its version and the most it "
	"can pay out', "
	"'required': ['name', 'mode', 'max_tiers', 'levels', 'version', 'max_payout_bps'], "
	"'properties': {"
	"  'name': {'type': 'string'},"
	"  'mode': {'type': 'string', 'enum': ['differential', 'fixed']},"
	"  'max_tiers': {'type': 'integer'},"
	"  'levels': {'type': 'array', 'items': {'type': 'object', "
	"'required': ['key', 'name', 'rate_bps', 'can_share'], 'properties': {"
	"'key': {'type': 'string'}, 'name': {'type': 'string'}, "
	"'rate_bps': {'type': 'integer'}, 'can_share': {'type': 'boolean'}, "
	"'upgrade': {'type': 'object', 'description': 'when a member moves up (docs/plans.md)'}}}},"
	"  'version': {'type': 'integer'},"
	"  'max_payout_bps': {'type': 'integer'}"
	"}},"
	"'PlanInput': {'type': 'object', 'description': 'a plan document as in docs/plans.md'},"
	"'PlanCheck': {'type': 'object', 'required': ['ok', 'plan'], 'properties': {"
	"  'ok': {'type': 'boolean', 'description': 'true: PUT /plan would take it'},"
	"  'plan': {'type': 'object', 'description': 'the canonical document, with max_payout_bps'}"
	"}},"
	"'PlanVersions': {'type': 'object', 'required': ['versions'], 'properties': {"
	"  'versions': {'type': 'array', 'items': {'type': 'object', "
	"'required': ['version', 'created_at'], 'properties': {"
	"    'version': {'type': 'integer'},"
	"    'name': {'type': 'string'},"
	"    'created_at': {'type': 'string', 'description': 'ISO 8601, Beijing time'},"
	"    'actor': {'type': 'string', 'nullable': true, "
	"'description': 'who set it, from the action log; null before the log'}"
	"  }}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'Simulation': {'type': 'object', 'required': ['commission'], "
	"'additionalProperties': false, 'properties': {"
	"  'commission': {'type': 'integer', 'description': 'to split, fen'},"
	"  'version': {'type': 'integer', "
	"'description': 'plan version; default the active one'},"
	"  'plan': {'type': 'object', 'description': 'a draft plan document to simulate "
	"instead of a version: checked as a new version would be (errors name plan.FIELD); "
	"the answer has plan_version null'},"
	"  'sharer': {'type': 'string', "
	"'description': 'a member: the chain is it and its uplines at their current levels'},"
	"  'chain': {'type': 'array', 'items': {'type': 'object', "
	"'description': '{level: KEY} or {member: ID}'}},"
	"  'self_purchase': {'type': 'boolean'}"
	"}},"
	"'SplitLine': {'type': 'object', 'required': ['tier', 'level', 'role', 'rate_bps', "
	"'amount'], 'additionalProperties': false, 'properties': {"
	"  'tier': {'type': 'integer'},"
	"  'member': {'type': 'string'},"
	"  'level': {'type': 'string'},"
	"  'role': {'type': 'string', 'description': 'self, sharer, differential, peer_bonus, "
	"tier or none'},"
	"  'rate_bps': {'type': 'integer'},"
	"  'amount': {'type': 'integer', 'description': 'earned, fen'}"
	"}},"
	"'Split': {'type': 'object', 'required': ['lines', 'platform', 'plan_version', "
	"'commission', 'self_purchase'], 'additionalProperties': false, 'properties': {"
	"  'lines': {'type': 'array', 'items': {'$ref': '#/components/schemas/SplitLine'}},"
	"  'platform': {'type': 'integer', 'description': 'kept by the platform, fen'},"
	"  'plan_version': {'type': 'integer', 'nullable': true, 'description': 'null for a draft plan'},"
	"  'commission': {'type': 'integer'},"
	"  'self_purchase': {'type': 'boolean'}"
	"}},"
	"'OrderRows': {'type': 'string', "
	"'description': 'order rows as a file holds them: JSON Lines of normalized items, CSV, "
	"or the own reply of a union (see format)'},"
	"'Reattribute': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'since': {'type': 'string', 'description': 'ISO 8601: only items first seen from then "
	"on (default: all)'},"
	"  'dry_run': {'type': 'boolean', 'description': 'say what would change, change "
	"nothing'}}},"
	"'ReattributeResult': {'type': 'object', 'required': ['examined', 'reattributed', "
	"'dry_run', 'items'], 'additionalProperties': false, 'properties': {"
	"  'examined': {'type': 'integer', 'description': 'unattributed items looked at'},"
	"  'reattributed': {'type': 'integer'},"
	"  'dry_run': {'type': 'boolean'},"
	"  'items': {'type': 'array', 'description': 'the first 100 of them', 'items': {"
	"'type': 'object', 'required': ['union', 'item', 'member', 'reason'], "
	"'additionalProperties': false, 'properties': {'union': {'type': 'string'}, "
	"'item': {'type': 'string'}, 'member': {'type': 'string'}, "
	"'reason': {'type': 'string'}}}}}},"
	"'ImportResult': {'type': 'object', 'required': ['read', 'applied', 'unchanged', "
	"'rejected', 'errors'], 'additionalProperties': false, 'properties': {"
	"  'read': {'type': 'integer'},"
	"  'applied': {'type': 'integer'},"
	"  'unchanged': {'type': 'integer'},"
	"  'rejected': {'type': 'integer'},"
	"  'errors': {'type': 'array', 'items': {'type': 'object', 'required': ['where', "
	"'message'], 'additionalProperties': false, 'properties': {'where': {'type': 'string', "
	"'description': 'body:LINE'}, 'field': {'type': 'string'}, "
	"'message': {'type': 'string'}}}}"
	"}},"
	"'ItemSplit': {'type': 'object', 'required': ['member', 'tier', 'level', 'role', "
	"'rate_bps', 'amount', 'state'], 'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'tier': {'type': 'integer'},"
	"  'level': {'type': 'string'},"
	"  'role': {'type': 'string'},"
	"  'rate_bps': {'type': 'integer'},"
	"  'amount': {'type': 'integer'},"
	"  'state': {'type': 'string', 'description': 'pending, frozen, available or none'}"
	"}},"
	"'ItemStatus': {'type': 'string', 'enum': ['unpaid', 'paid', 'received', 'settled', "
	"'invalid']},"
	"'Item': {'type': 'object', 'required': ['union', 'item', 'status', 'commission', "
	"'splits'], 'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string'},"
	"  'item': {'type': 'string'},"
	"  'order': {'type': 'string'},"
	"  'status': {'$ref': '#/components/schemas/ItemStatus'},"
	"  'amount': {'type': 'integer', 'description': 'paid by the buyer, fen'},"
	"  'commission': {'type': 'integer', 'description': 'the figure of the union, fen'},"
	"  'refunded': {'type': 'integer', 'description': 'taken back by refunds, fen'},"
	"  'quantity': {'type': 'integer'},"
	"  'product': {'type': 'string'},"
	"  'title': {'type': 'string'},"
	"  'buyer': {'type': 'string'},"
	"  'link': {'type': 'string'},"
	"  'channel': {'type': 'string'},"
	"  'plan_version': {'type': 'integer'},"
	"  'attribution': {'type': 'string', 'enum': ['none', 'self_purchase', 'binding', "
	"'link', 'tag']},"
	"  'self_purchase': {'type': 'boolean'},"
	"  'platform_share': {'type': 'integer', 'description': 'operators only, fen'},"
	"  'splits': {'type': 'array', 'items': {'$ref': '#/components/schemas/ItemSplit'}},"
	"  'events': {'type': 'array', 'description': 'every state it went through, oldest "
	"first', 'items': {'type': 'object', 'required': ['status', 'commission', "
	"'modified_at', 'applied_at'], 'additionalProperties': false, 'properties': {"
	"'status': {'$ref': '#/components/schemas/ItemStatus'}, 'commission': {'type': 'integer'}, "
	"'modified_at': {'type': 'string', 'nullable': true}, "
	"'applied_at': {'type': 'string', 'nullable': true}, "
	"'note': {'type': 'string', 'description': 'why tuike re-attributed the item "
	"there'}}}},"
	"  'paid_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'settled_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'available_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'modified_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'}"
	"}},"
	"'OrderItems': {'type': 'object', 'required': ['order', 'items'], "
	"'additionalProperties': false, 'properties': {"
	"  'order': {'type': 'string'},"
	"  'items': {'type': 'array', 'items': {'$ref': '#/components/schemas/Item'}}"
	"}},"
	"'OrderItemRow': {'type': 'object', 'required': ['union', 'item', 'order', 'product', "
	"'title', 'paid_at', 'status', 'amount', 'commission', 'commission_kind', 'member', "
	"'attribution', 'group', 'channel', 'share'], 'additionalProperties': false, "
	"'properties': {"
	"  'union': {'type': 'string'}, 'item': {'type': 'string'},"
	"  'order': {'type': 'string'}, 'product': {'type': 'string'},"
	"  'title': {'type': 'string'},"
	"  'paid_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'status': {'type': 'string', 'enum': ['unpaid', 'paid', 'received', 'settled', "
	"'invalid']},"
	"  'amount': {'type': 'integer', 'description': 'fen paid by the buyer'},"
	"  'commission': {'type': 'integer', 'description': 'fen, as the union reports it'},"
	"  'commission_kind': {'type': 'string', 'enum': ['estimated', 'actual'], "
	"'description': 'actual once settled'},"
	"  'member': {'type': 'string', 'nullable': true, "
	"'description': 'the sharer, null when unattributed'},"
	"  'attribution': {'type': 'string', 'enum': ['none', 'self_purchase', 'binding', "
	"'link', 'tag']},"
	"  'group': {'type': 'integer', 'nullable': true, "
	"'description': 'the chat group it came through'},"
	"  'channel': {'type': 'string'},"
	"  'share': {'type': 'integer', 'description': 'fen: the share of the sharer for "
	"operators, of the caller for a member'}"
	"}},"
	"'OrderItemTotals': {'type': 'object', 'required': ['items', 'amount', 'commission', "
	"'share'], 'additionalProperties': false, 'properties': {"
	"  'items': {'type': 'integer'},"
	"  'amount': {'type': 'integer', 'description': 'fen'},"
	"  'commission': {'type': 'integer', 'description': 'fen'},"
	"  'share': {'type': 'integer', 'description': 'fen: the sharers (operators), the "
	"caller (a member)'},"
	"  'from': {'type': 'string'}, 'to': {'type': 'string'}"
	"}},"
	"'OrderItemPage': {'type': 'object', 'required': ['items', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'items': {'type': 'array', 'items': {'$ref': '#/components/schemas/OrderItemRow'}},"
	"  'from': {'type': 'string', 'description': 'the paid days asked for, YYYY-MM-DD'},"
	"  'to': {'type': 'string'},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'CampaignOrderRow': {'type': 'object', 'required': ['id', 'union', 'item', 'product', "
	"'head', 'campaign', 'campaign_item', 'merchant', 'channel', 'channel_kind', "
	"'channel_ref', 'shop', 'category', 'paid_at', 'ordered_at', 'clicked_at', 'status', "
	"'amount', 'fee_source', 'fee', 'service_pm', 'fee_amount', 'fee_bucket', 'month', "
	"'ext_id'], 'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer', 'description': 'the order item id'},"
	"  'union': {'type': 'string'}, 'item': {'type': 'string'},"
	"  'product': {'type': 'string'},"
	"  'head': {'type': 'boolean', 'description': 'a service fee row of the head (another "
	"channel sold it), else an own sale'},"
	"  'campaign': {'type': 'integer', 'nullable': true},"
	"  'campaign_item': {'type': 'integer', 'nullable': true},"
	"  'merchant': {'type': 'integer', 'nullable': true},"
	"  'channel': {'type': 'integer', 'nullable': true, 'description': 'the partner channel, "
	"null until its union id is registered'},"
	"  'channel_kind': {'type': 'string'}, 'channel_ref': {'type': 'string'},"
	"  'shop': {'type': 'string'}, 'category': {'type': 'string'},"
	"  'paid_at': {'type': 'string', 'nullable': true},"
	"  'ordered_at': {'type': 'string', 'nullable': true},"
	"  'clicked_at': {'type': 'string', 'nullable': true},"
	"  'status': {'type': 'string', 'enum': ['unpaid', 'paid', 'received', 'settled', "
	"'invalid']},"
	"  'amount': {'type': 'integer', 'description': 'fen paid by the buyer'},"
	"  'fee_source': {'type': 'string', 'enum': ['union', 'rate', 'none']},"
	"  'fee': {'type': 'integer', 'description': 'fen: the service fee before refunds'},"
	"  'service_pm': {'type': 'integer', 'description': 'the rate of the product, per mille'},"
	"  'fee_amount': {'type': 'integer', 'description': 'fen: where the fee stands in the "
	"ledger'},"
	"  'fee_bucket': {'type': 'string', 'enum': ['none', 'estimated', 'settled']},"
	"  'month': {'type': 'integer', 'description': 'yyyymm of the paid time'},"
	"  'ext_id': {'type': 'string', 'nullable': true, 'description': 'the campaign id "
	"of the union on the row'}"
	"}},"
	"'CampaignOrderPage': {'type': 'object', 'required': ['orders', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'orders': {'type': 'array', 'items': {'$ref': '#/components/schemas/CampaignOrderRow'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'CampaignOrderTotals': {'type': 'object', 'required': ['orders', 'gmv', 'fee_estimated', "
	"'fee_settled', 'fee_clawed'], 'additionalProperties': false, 'properties': {"
	"  'orders': {'type': 'integer'},"
	"  'gmv': {'type': 'integer', 'description': 'fen'},"
	"  'fee_estimated': {'type': 'integer', 'description': 'fen'},"
	"  'fee_settled': {'type': 'integer', 'description': 'fen'},"
	"  'fee_clawed': {'type': 'integer', 'description': 'fen taken back after settlement'}"
	"}},"
	"'LinkCreate': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string', "
	"'description': 'whose link: required for operators; a member makes its own'},"
	"  'union': {'type': 'string', 'description': 'jd, taobao, pdd or own'},"
	"  'product': {'type': 'string', 'description': 'a product of the library, "
	"with union'},"
	"  'url': {'type': 'string', 'description': 'an http(s) address instead of a product'},"
	"  'channel': {'type': 'string', "
	"'description': 'the chat group or outlet it is shared in'},"
	"  'group': {'type': 'integer', 'description': 'a chat group of the member: "
	"the link carries its key g<id> and the union conversion its tags'},"
	"  'allow_host': {'type': 'boolean', 'description': 'operators only: lets a url "
	"to a host not on the allowed list (or http) through, once; the link records it'}"
	"}},"
	"'Link': {'type': 'object', 'required': ['code', 'short_url', 'member', 'target', "
	"'created_at', 'clicks', 'unique_clicks', 'bot_clicks'], "
	"'additionalProperties': false, 'properties': {"
	"  'code': {'type': 'string'},"
	"  'short_url': {'type': 'string', "
	"'description': 'BASE/s/CODE answers 302 to the target'},"
	"  'member': {'type': 'string'},"
	"  'target': {'type': 'string', "
	"'description': 'the address with the union tag and invite code of the member'},"
	"  'created_at': {'type': 'string', 'nullable': true, "
	"'description': 'ISO 8601 in Beijing time (+08:00), null when not yet'},"
	"  'clicks': {'type': 'integer', 'description': 'clicks by people'},"
	"  'unique_clicks': {'type': 'integer', "
	"'description': 'first clicks from an address within an hour'},"
	"  'bot_clicks': {'type': 'integer', 'description': 'clicks by known robots, "
	"counted apart'},"
	"  'product': {'type': 'object', 'required': ['union', 'id'], "
	"'additionalProperties': false, 'properties': {'union': {'type': 'string'}, "
	"'id': {'type': 'string'}}},"
	"  'channel': {'type': 'string'},"
	"  'revoked_at': {'type': 'string', 'description': 'when it stopped redirecting'},"
	"  'converted': {'type': 'boolean', "
	"'description': 'the target is the own promotion link of the union for the member'},"
	"  'expires_at': {'type': 'string', "
	"'description': 'when the link of the union expires (converted again before)'},"
	"  'demo': {'type': 'boolean', 'description': 'a demo conversion made offline'},"
	"  'host_override': {'type': 'boolean', 'description': 'an operator let its host "
	"through past the allowed hosts (allow_host)'},"
	"  'blocked': {'type': 'boolean', 'description': 'its host is not allowed now: the "
	"redirect answers 410'}"
	"}},"
	"'AllowedHosts': {'type': 'object', 'required': ['builtin', 'added'], "
	"'additionalProperties': false, 'properties': {"
	"  'builtin': {'type': 'array', 'items': {'type': 'string'}, "
	"'description': 'the own domains of the unions'},"
	"  'added': {'type': 'array', 'items': {'type': 'object', 'required': ['domain', "
	"'added_at'], 'additionalProperties': false, 'properties': {"
	"'domain': {'type': 'string'}, 'added_at': {'type': 'string'}}}}"
	"}},"
	"'AllowedHostAdd': {'type': 'object', 'required': ['domain'], "
	"'additionalProperties': false, 'properties': {"
	"  'domain': {'type': 'string', 'description': 'a bare domain, e.g. shop.example.com "
	"(ASCII; an internationalized one in its xn-- form)'}"
	"}},"
	"'AllowedHostAdded': {'type': 'object', 'required': ['domain', 'added', 'builtin'], "
	"'additionalProperties': false, 'properties': {"
	"  'domain': {'type': 'string', 'description': 'as normalized'},"
	"  'added': {'type': 'boolean', 'description': 'false when it was allowed already'},"
	"  'builtin': {'type': 'boolean'}"
	"}},"
	"'AllowedHostRemoved': {'type': 'object', 'required': ['domain', 'removed'], "
	"'additionalProperties': false, 'properties': {"
	"  'domain': {'type': 'string'}, 'removed': {'type': 'boolean'}"
	"}},"
	"'LinkQuotaSet': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'links_per_hour': {'type': 'integer', 'description': '1..1000000; 0 with "
	"links_per_day 0: back to the defaults'},"
	"  'links_per_day': {'type': 'integer', 'description': 'at least links_per_hour'}"
	"}},"
	"'LinkQuota': {'type': 'object', 'required': ['member', 'links_per_hour', "
	"'links_per_day', 'own', 'used_hour', 'used_day'], 'additionalProperties': false, "
	"'properties': {"
	"  'member': {'type': 'string'},"
	"  'links_per_hour': {'type': 'integer'},"
	"  'links_per_day': {'type': 'integer'},"
	"  'own': {'type': 'boolean', 'description': 'set by an operator (else the defaults)'},"
	"  'used_hour': {'type': 'integer', 'description': 'links it made itself in the last "
	"hour'},"
	"  'used_day': {'type': 'integer', 'description': 'in the last 24 hours'}"
	"}},"
	"'LinkPage': {'type': 'object', 'required': ['links', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'links': {'type': 'array', 'items': {'$ref': '#/components/schemas/Link'}},"
	"  'next': {'type': 'string', 'nullable': true, "
	"'description': 'cursor of the next page, null on the last page'}"
	"}},"
	"'Stats': {'type': 'object', 'description': 'the figures of the daily statistics, "
	"money in fen', 'required': [" STATS_REQUIRED "], 'additionalProperties': false, "
	"'properties': {" STATS_PROPERTIES
	"}},"
	"'DayStats': {'type': 'object', 'required': [" STATS_REQUIRED ", 'date'], "
	"'additionalProperties': false, 'properties': {" STATS_PROPERTIES ","
	"  'date': {'type': 'string', 'description': 'YYYY-MM-DD'}"
	"}},"
	"'KeyStats': {'type': 'object', 'required': [" STATS_REQUIRED ", 'key'], "
	"'additionalProperties': false, 'properties': {" STATS_PROPERTIES ","
	"  'key': {'type': 'string', 'description': 'member id, UNION:PRODUCT or channel'},"
	"  'label': {'type': 'string', 'description': 'in a top list: the member name or the "
	"product title (empty when unknown)'}"
	"}},"
	"'Conversion': {'type': 'object', 'required': ['link_orders', 'unique_clicks', "
	"'link_order_per_unique_click_bps', 'other_orders', 'other_share_bps'], "
	"'additionalProperties': false, 'properties': {"
	"  'link_orders': {'type': 'integer', 'description': 'orders attributed through a "
	"tracked link'},"
	"  'unique_clicks': {'type': 'integer'},"
	"  'link_order_per_unique_click_bps': {'type': 'integer', 'description': "
	"'link_orders per unique click, basis points, rounded down; 0 without clicks'},"
	"  'other_orders': {'type': 'integer', 'description': 'orders attributed otherwise "
	"(union tag, binding, self-purchase, none): never in the rate'},"
	"  'other_share_bps': {'type': 'integer', 'description': 'other_orders per order, "
	"basis points'}"
	"}},"
	"'Summary': {'type': 'object', 'required': ['from', 'to', 'scope', 'totals', "
	"'conversion', 'previous'], "
	"'additionalProperties': false, 'properties': {"
	"  'from': {'type': 'string'},"
	"  'to': {'type': 'string'},"
	"  'scope': {'type': 'string', 'description': 'platform, member, channel or product'},"
	"  'key': {'type': 'string'},"
	"  'totals': {'$ref': '#/components/schemas/Stats'},"
	"  'conversion': {'$ref': '#/components/schemas/Conversion'},"
	"  'previous': {'type': 'object', 'description': 'the period of the same length right "
	"before', 'required': ['from', 'to', 'totals', 'conversion'], "
	"'additionalProperties': false, 'properties': {'from': {'type': 'string'}, "
	"'to': {'type': 'string'}, 'totals': {'$ref': '#/components/schemas/Stats'}, "
	"'conversion': {'$ref': '#/components/schemas/Conversion'}}}"
	"}},"
	"'Daily': {'type': 'object', 'required': ['from', 'to', 'scope', 'days', 'totals'], "
	"'additionalProperties': false, 'properties': {"
	"  'from': {'type': 'string'},"
	"  'to': {'type': 'string'},"
	"  'scope': {'type': 'string'},"
	"  'key': {'type': 'string'},"
	"  'days': {'type': 'array', 'items': {'$ref': '#/components/schemas/DayStats'}},"
	"  'totals': {'$ref': '#/components/schemas/Stats'}"
	"}},"
	"'Top': {'type': 'object', 'required': ['from', 'to', 'by', 'metric', 'items'], "
	"'additionalProperties': false, 'properties': {"
	"  'from': {'type': 'string'},"
	"  'to': {'type': 'string'},"
	"  'by': {'type': 'string'},"
	"  'metric': {'type': 'string'},"
	"  'items': {'type': 'array', 'items': {'$ref': '#/components/schemas/KeyStats'}}"
	"}},"
	"'Funnel': {'type': 'object', 'required': ['from', 'to', 'scope', 'funnel', "
	"'conversion'], "
	"'additionalProperties': false, 'properties': {"
	"  'from': {'type': 'string'},"
	"  'to': {'type': 'string'},"
	"  'scope': {'type': 'string'},"
	"  'key': {'type': 'string'},"
	"  'conversion': {'$ref': '#/components/schemas/Conversion'},"
	"  'funnel': {'type': 'object', 'required': ['clicks', 'unique_clicks', 'orders', "
	"'settled_orders', 'invalid_orders', 'settled_commission', "
	"'order_per_unique_click_bps', 'settled_per_order_bps'], "
	"'additionalProperties': false, 'properties': {'clicks': {'type': 'integer'}, "
	"'unique_clicks': {'type': 'integer'}, 'orders': {'type': 'integer'}, "
	"'settled_orders': {'type': 'integer'}, 'invalid_orders': {'type': 'integer'}, "
	"'settled_commission': {'type': 'integer'}, "
	"'order_per_unique_click_bps': {'type': 'integer', "
	"'description': 'every order (whatever its attribution) per unique click, basis "
	"points: kept for compatibility, see conversion for the rate of the links'}, "
	"'settled_per_order_bps': {'type': 'integer', "
	"'description': 'settled orders per order, basis points'}}}"
	"}},"
	"'ProductSearch': {'type': 'object', 'description': 'a page of products, "
	"see docs/catalog.md'},"
	"'ProductTop': {'type': 'object', "
	"'description': 'the products most worth pushing with scores and reasons, "
	"see docs/catalog.md'},"
	"'ProductCategories': {'type': 'object', 'required': ['categories'], "
	"'additionalProperties': false, 'properties': {'categories': {'type': 'array', "
	"'items': {'type': 'object', 'required': ['category', 'products'], "
	"'additionalProperties': false, 'properties': {'category': {'type': 'string'}, "
	"'products': {'type': 'integer'}}}}}},"
	"'LevelProgress': {'type': 'object', 'required': ['member', 'level', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'member': {'type': 'string'},"
	"  'level': {'type': 'string'},"
	"  'next': {'type': 'object', 'nullable': true, 'description': 'the level above, "
	"null at the top', 'required': ['level', 'name', 'match', 'rule', 'conditions'], "
	"'additionalProperties': false, 'properties': {"
	"    'level': {'type': 'string'}, 'name': {'type': 'string'},"
	"    'match': {'type': 'string', 'description': 'all or any'},"
	"    'rule': {'type': 'boolean', 'description': 'false: only an operator or a gift "
	"pack gives the level'},"
	"    'conditions': {'type': 'array', 'items': {'type': 'object', 'required': ['kind', "
	"'min', 'have', 'missing', 'met'], 'additionalProperties': false, 'properties': {"
	"'kind': {'type': 'string'}, 'min': {'type': 'integer'}, "
	"'have': {'type': 'integer', 'description': 'the member figure now'}, "
	"'missing': {'type': 'integer', 'description': 'still lacking, 0 once met'}, "
	"'met': {'type': 'boolean'}, 'days': {'type': 'integer'}, "
	"'level': {'type': 'string'}}}}}}"
	"}},"
	"'ProductDetail': {'type': 'object', 'description': 'a product with price history, "
	"score and substitutes, see docs/catalog.md'},"
	"'CopyText': {'type': 'object', 'required': ['channel', 'text', 'title_cut', "
	"'length'], 'additionalProperties': false, 'properties': {"
	"  'channel': {'type': 'string'},"
	"  'text': {'type': 'string'},"
	"  'title_cut': {'type': 'boolean'},"
	"  'length': {'type': 'integer'},"
	"  'link': {'$ref': '#/components/schemas/Link', "
	"'description': 'with link=1: the tracking link {link} is made from'},"
	"  'tpwd': {'type': 'string', 'description': 'with link=1 for a Taobao product "
	"converted with a 淘口令: the 淘口令 alone (in the text channel it is the {link})'}"
	"}},"
	"'Channel': {'type': 'object', 'required': ['id', 'name', 'kind', 'contact', "
	"'categories', 'note', 'state', 'created_at', 'updated_at'], 'properties': {"
	"  'id': {'type': 'integer'},"
	"  'name': {'type': 'string'},"
	"  'kind': {'type': 'string', 'enum': ['team', 'talent', 'app', 'wechat', 'weibo', "
	"'zhihu', 'guide', 'other']},"
	"  'contact': {'type': 'string'},"
	"  'categories': {'type': 'array', 'items': {'type': 'string'}},"
	"  'note': {'type': 'string'},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused', 'blocked']},"
	"  'created_at': {'type': 'string'},"
	"  'updated_at': {'type': 'string'},"
	"  'ids': {'type': 'array', 'items': {'$ref': '#/components/schemas/ChannelId'}}"
	"}},"
	"'ChannelId': {'type': 'object', 'required': ['union', 'kind', 'value'], "
	"'additionalProperties': false, 'properties': {"
	"  'union': {'type': 'string', 'enum': ['jd', 'pdd', 'taobao']},"
	"  'kind': {'type': 'string', 'enum': ['rid', 'channelId', 'duoid', 'relation_id', "
	"'pub_id']},"
	"  'value': {'type': 'string', 'description': '1..95 bytes'}"
	"}},"
	"'ChannelPage': {'type': 'object', 'required': ['channels', 'next'], "
	"'additionalProperties': false, 'properties': {"
	"  'channels': {'type': 'array', 'items': {'$ref': '#/components/schemas/Channel'}},"
	"  'next': {'type': 'string', 'nullable': true, 'description': 'the before of the "
	"next page, null on the last'}"
	"}},"
	"'ChannelCreate': {'type': 'object', 'required': ['name', 'kind'], "
	"'additionalProperties': false, 'properties': {"
	"  'name': {'type': 'string', 'description': '1..128 bytes'},"
	"  'kind': {'type': 'string', 'enum': ['team', 'talent', 'app', 'wechat', 'weibo', "
	"'zhihu', 'guide', 'other']},"
	"  'contact': {'type': 'string', 'description': 'at most 256 bytes'},"
	"  'categories': {'type': 'array', 'items': {'type': 'string'}, 'description': 'at "
	"most 32 category names or ids of 1..64 bytes, no commas'},"
	"  'note': {'type': 'string', 'description': 'at most 1024 bytes'},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused', 'blocked']}"
	"}},"
	"'ChannelUpdate': {'type': 'object', 'additionalProperties': false, 'properties': {"
	"  'name': {'type': 'string'},"
	"  'kind': {'type': 'string', 'enum': ['team', 'talent', 'app', 'wechat', 'weibo', "
	"'zhihu', 'guide', 'other']},"
	"  'contact': {'type': 'string'},"
	"  'categories': {'type': 'array', 'items': {'type': 'string'}, 'description': "
	"'replaces the list whole'},"
	"  'note': {'type': 'string'},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused', 'blocked']}"
	"}},"
	"'ChannelIdAdd': {'$ref': '#/components/schemas/ChannelId'},"
	"'ChannelIdAdded': {'type': 'object', 'required': ['channel', 'union', 'kind', 'value', "
	"'linked_orders'], 'additionalProperties': false, 'properties': {"
	"  'channel': {'type': 'integer'},"
	"  'union': {'type': 'string'}, 'kind': {'type': 'string'}, 'value': {'type': 'string'},"
	"  'linked_orders': {'type': 'integer', 'description': 'campaign orders stored under "
	"the id with no channel, now linked to this channel'}"
	"}},"
	"'ChannelIdDeleted': {'type': 'object', 'required': ['channel', 'union', 'kind', "
	"'value', 'deleted'], 'additionalProperties': false, 'properties': {"
	"  'channel': {'type': 'integer'},"
	"  'union': {'type': 'string'}, 'kind': {'type': 'string'}, 'value': {'type': 'string'},"
	"  'deleted': {'type': 'boolean'}"
	"}},"
	"'ChannelMonth': {'type': 'object', 'required': ['month', 'orders', 'paid', 'gmv_fen', "
	"'service_fee_fen', 'refunded'], 'additionalProperties': false, 'properties': {"
	"  'month': {'type': 'integer', 'description': 'the campaign order month as stored'},"
	"  'orders': {'type': 'integer', 'description': 'placed'},"
	"  'paid': {'type': 'integer'},"
	"  'gmv_fen': {'type': 'integer'},"
	"  'service_fee_fen': {'type': 'integer'},"
	"  'refunded': {'type': 'integer'}"
	"}},"
	"'ChannelSlotFee': {'type': 'object', 'required': ['id', 'campaign', 'campaign_name', "
	"'amount_fen', 'state', 'booked_at'], 'properties': {"
	"  'id': {'type': 'integer'}, 'campaign': {'type': 'integer'},"
	"  'campaign_name': {'type': 'string'}, 'amount_fen': {'type': 'integer'},"
	"  'state': {'type': 'string', 'enum': ['booked', 'collected', 'waived']},"
	"  'booked_at': {'type': 'string'}, 'collected_at': {'type': 'string', 'nullable': true},"
	"  'waived_at': {'type': 'string', 'nullable': true}"
	"}},"
	"'ChannelHistory': {'type': 'object', 'required': ['channel', 'months', 'slot_fees'], "
	"'additionalProperties': false, 'properties': {"
	"  'channel': {'$ref': '#/components/schemas/Channel'},"
	"  'months': {'type': 'array', 'items': {'$ref': '#/components/schemas/ChannelMonth'}},"
	"  'slot_fees': {'type': 'array', 'items': {'$ref': "
	"'#/components/schemas/ChannelSlotFee'}}"
	"}},"
	"'MatchReason': {'type': 'object', 'required': ['key', 'params'], "
	"'additionalProperties': false, 'properties': {"
	"  'key': {'type': 'string', 'description': 'match.declared_category, "
	"match.category_sales, match.price_band, match.price_fit, match.conversion, "
	"match.refund_rate, match.service_fee, match.no_history, match.no_union_id, flag.few_buyers, "
	"flag.fast_orders, flag.refund_spike, flag.burst, flag.slot_roi: docs/promotion-head.md'},"
	"  'params': {'type': 'object', 'additionalProperties': {'type': 'integer'}}"
	"}},"
	"'CampaignProduct': {'type': 'object', 'required': ['id', 'campaign', 'title', "
	"'category', 'price_fen', 'union', 'service_pm', 'commission_pm'], 'properties': {"
	"  'id': {'type': 'integer'}, 'campaign': {'type': 'integer'},"
	"  'title': {'type': 'string'}, 'category': {'type': 'string'},"
	"  'price_fen': {'type': 'integer'}, 'union': {'type': 'string'},"
	"  'service_pm': {'type': 'integer'}, 'commission_pm': {'type': 'integer'},"
	"  'score': {'type': 'integer'},"
	"  'reasons': {'type': 'array', 'items': {'$ref': '#/components/schemas/MatchReason'}}"
	"}},"
	"'RankedChannel': {'type': 'object', 'required': ['id', 'name', 'state', 'score', "
	"'flags', 'reasons', 'figures'], 'additionalProperties': false, 'properties': {"
	"  'id': {'type': 'integer'}, 'name': {'type': 'string'},"
	"  'state': {'type': 'string', 'enum': ['active', 'paused']},"
	"  'score': {'type': 'integer'},"
	"  'flags': {'type': 'integer', 'description': 'how many flag.* reasons'},"
	"  'reasons': {'type': 'array', 'items': {'$ref': '#/components/schemas/MatchReason'}},"
	"  'figures': {'type': 'object', 'required': ['orders', 'paid', 'gmv_fen', "
	"'category_orders', 'refunded'], 'properties': {'orders': {'type': 'integer'}, "
	"'paid': {'type': 'integer'}, 'gmv_fen': {'type': 'integer'}, "
	"'category_orders': {'type': 'integer'}, 'refunded': {'type': 'integer'}}}"
	"}},"
	"'ChannelMatch': {'type': 'object', 'required': ['campaign_item', 'days', 'channels'], "
	"'additionalProperties': false, 'properties': {"
	"  'campaign_item': {'$ref': '#/components/schemas/CampaignProduct'},"
	"  'days': {'type': 'integer'},"
	"  'channels': {'type': 'array', 'items': {'$ref': '#/components/schemas/RankedChannel'}}"
	"}},"
	"'ChannelProducts': {'type': 'object', 'required': ['channel', 'days', "
	"'avg_price_fen', 'products'], 'additionalProperties': false, 'properties': {"
	"  'channel': {'$ref': '#/components/schemas/Channel'},"
	"  'days': {'type': 'integer'},"
	"  'avg_price_fen': {'type': 'integer', 'description': 'the average paid unit price of "
	"the channel over the window, 0 without sales'},"
	"  'products': {'type': 'array', 'items': {'$ref': "
	"'#/components/schemas/CampaignProduct'}}"
	"}},"
	/* the promotion head's registry (api_promo.c; docs/promotion-head.md) */
	PROMO_SCHEMAS
	"}";

static const char description[] =
	"The tuike HTTP API. Money is integer fen everywhere, rates integer basis points, "
	"times ISO 8601 in Beijing time. Operators call with an API key (`tuike apikey create "
	"NAME`), members with the session token `POST /api/v1/auth/login` returns; both as "
	"`Authorization: Bearer ...`; the console trades its key for an operator session that "
	"expires (`POST /api/v1/auth/operator-session`, tko_...). Each operator key has a role "
	"(admin, finance, operations or viewer): an operation's `x-roles` lists the roles that "
	"may call it, and any other gets 403 `forbidden_role` naming the role needed and the "
	"key's. A member sees itself and its team, and only its own "
	"money. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`. A POST with an "
	"`Idempotency-Key` header is answered once: a retry gets the first answer again, the "
	"same key with another request is refused (422). Every GET route answers HEAD as well "
	"(the same status and headers, no body). Failed logins are limited per client address "
	"and per member id: 429 with Retry-After. Tracking links answer at "
	"`GET /s/{code}` with a 302 (not part of this JSON API).";

/* The schemas as a JSON object (single quotes turned into double). */
static json_t *schemas(struct tk_error *err)
{
	char *text = strdup(schemas_text);
	if (!text) {
		tk_fail(err, TK_ENOMEM, "", "out of memory");
		return NULL;
	}
	for (char *p = text; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	free(text);
	if (!doc)
		tk_fail(err, TK_EINVAL, "schemas", "the schema text is not JSON: %s (column %d)",
			jerr.text, jerr.column);
	return doc;
}

static json_t *schema_ref(const char *name)
{
	char ref[96];
	snprintf(ref, sizeof(ref), "#/components/schemas/%s", name);
	return json_pack("{s:s}", "$ref", ref);
}

/* "get_api_v1_members_id_balance" */
static void operation_id(const struct route *r, char *buf, size_t size)
{
	size_t o = 0;
	for (const char *p = r->method; *p && o + 1 < size; p++)
		buf[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	for (const char *p = r->pattern; *p && o + 1 < size; p++) {
		char c = *p;
		if (c == '{' || c == '}')
			continue;
		buf[o++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
	}
	buf[o] = '\0';
}

static json_t *parameters(const struct route *r)
{
	json_t *list = json_array();
	/* path parameters, in order */
	for (const char *p = strchr(r->pattern, '{'); list && p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
						      "path", "required", 1, "schema", "type",
						      "string"));
	}
	/* query parameters: "name:type:description|..." */
	for (const char *q = r->query; list && q && *q;) {
		const char *bar = strchr(q, '|'), *end = bar ? bar : q + strlen(q);
		const char *c1 = memchr(q, ':', (size_t)(end - q));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		if (c1 && c2) {
			char name[64], type[16], desc[256];
			snprintf(name, sizeof(name), "%.*s", (int)(c1 - q), q);
			snprintf(type, sizeof(type), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
			snprintf(desc, sizeof(desc), "%.*s", (int)(end - c2 - 1), c2 + 1);
			json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:s, s:{s:s}}", "name",
							      name, "in", "query", "required", 0,
							      "description", desc, "schema", "type",
							      type));
		}
		q = bar ? bar + 1 : end;
	}
	bool keyed = strcmp(r->method, "POST") == 0 && r->auth != AUTH_PUBLIC &&
		     !(r->flags & ROUTE_UNLOCKED);
	if (list && keyed)
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:i}}", "name", "Idempotency-Key",
					"in", "header", "required", 0, "description",
					"a retry with the same key gets the first answer again",
					"schema", "type", "string", "maxLength", 127));
	return list;
}

static json_t *operation(const struct route *r)
{
	char id[160], status[8];
	operation_id(r, id, sizeof(id));
	snprintf(status, sizeof(status), "%d", r->status);
	const char *who = r->auth == AUTH_OPERATOR ? "operator" : r->auth == AUTH_MEMBER
							    ? "member"
							    : "public";
	json_t *op = r->response
		? json_pack("{s:[s], s:s, s:s, s:s, s:o, s:{s:{s:s, s:{s:{s:o}}}, s:{s:s}}}",
			    "tags", r->tag, "summary", r->summary, "operationId", id,
			    "x-tuike-auth", who, "parameters", parameters(r), "responses",
			    status, "description", "success", "content", "application/json",
			    "schema", schema_ref(r->response), "default", "$ref",
			    "#/components/responses/Error")
		/* a redirect: no body, the Location header says where */
		: json_pack("{s:[s], s:s, s:s, s:s, s:o, s:{s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s}}}",
			    "tags", r->tag, "summary", r->summary, "operationId", id,
			    "x-tuike-auth", who, "parameters", parameters(r), "responses",
			    status, "description", "a redirect", "headers", "Location", "schema",
			    "type", "string", "default", "$ref", "#/components/responses/Error");
	if (!op)
		return NULL;
	if (r->response && strcmp(r->response, "ActionCsv") == 0) /* an export only */
		json_object_set_new(json_object_get(json_object_get(op, "responses"), status),
				    "content",
				    json_pack("{s:{s:{s:s}}}", "text/csv", "schema", "type", "string"));
	if (r->response && strcmp(r->response, "PayoutFile") == 0) /* a file, never JSON */
		json_object_set_new(json_object_get(json_object_get(op, "responses"), status),
				    "content",
				    json_pack("{s:{s:o}}", "text/csv", "schema",
					      schema_ref(r->response)));
	if (r->response && strcmp(r->response, "StatementFile") == 0) /* a file, never JSON */
		json_object_set_new(json_object_get(json_object_get(op, "responses"), status),
				    "content",
				    json_pack("{s:{s:{s:s}}, s:{s:{s:s, s:s}}}", "text/csv", "schema",
					      "type", "string",
					      "application/vnd.openxmlformats-officedocument."
					      "spreadsheetml.sheet",
					      "schema", "type", "string", "format", "binary"));
	if (r->response && strcmp(r->response, "Png") == 0) /* an image, never JSON */
		json_object_set_new(json_object_get(json_object_get(op, "responses"), status),
				    "content",
				    json_pack("{s:{s:{s:s, s:s}}}", "image/png", "schema", "type",
					      "string", "format", "binary"));
	if (r->response && (strcmp(r->response, "GroupReport") == 0 ||
			    strcmp(r->response, "MemberSearch") == 0 ||
			    strcmp(r->response, "OrderItemPage") == 0 ||
			    strcmp(r->response, "CampaignOrderPage") == 0)) /* an export too */
		json_object_set_new(json_object_get(json_object_get(json_object_get(op, "responses"),
								    status),
						    "content"),
				    "text/csv", json_pack("{s:{s:s}}", "schema", "type", "string"));
	json_object_set_new(op, "security", r->auth == AUTH_PUBLIC
						    ? json_array()
						    : json_pack("[{s:[]}]", "bearer"));
	if (r->auth != AUTH_PUBLIC) { /* the operator roles whose keys may call it */
		json_t *roles = json_array();
		unsigned set = route_roles(r);
		for (int k = 0; k < ROLE_COUNT_; k++)
			if (set & ROLE_BIT(k))
				json_array_append_new(roles, json_string(role_name((enum operator_role)k)));
		json_object_set_new(op, "x-roles", roles);
	}
	if (r->request) {
		bool rows = strcmp(r->request, "OrderRows") == 0;
		json_t *content = json_object();
		if (rows) {
			json_object_set_new(content, "application/x-ndjson",
					    json_pack("{s:o}", "schema", schema_ref(r->request)));
			json_object_set_new(content, "text/csv",
					    json_pack("{s:o}", "schema", schema_ref(r->request)));
		} else {
			json_object_set_new(content, "application/json",
					    json_pack("{s:o}", "schema", schema_ref(r->request)));
		}
		json_object_set_new(op, "requestBody",
				    json_pack("{s:b, s:o}", "required", 1, "content", content));
	}
	return op;
}

static enum tk_rc check_refs(json_t *schemas, const struct route *r, struct tk_error *err)
{
	const char *names[2] = {r->request, r->response};
	for (int i = 0; i < 2; i++)
		if (names[i] && !json_object_get(schemas, names[i]))
			return tk_fail(err, TK_EINVAL, "schema", "route %s %s: no schema \"%s\"",
				       r->method, r->pattern, names[i]);
	return TK_OK;
}

/* error_keys.c's list as {key: {params: [...], description}}: what the
 * pages translate, and what a test checks their messages against. */
static json_t *error_keys(void)
{
	size_t n;
	const struct tk_error_key *k = tk_error_keys(&n);
	json_t *o = json_object();
	for (size_t i = 0; o && i < n; i++) {
		json_t *params = json_array();
		for (const char *p = k[i].params; params && *p;) {
			size_t len = strcspn(p, " ");
			json_array_append_new(params, json_stringn(p, len));
			p += len;
			p += strspn(p, " ");
		}
		json_t *e = params ? json_pack("{s:o, s:s}", "params", params, "description",
					       k[i].says)
				   : NULL;
		if (!e || json_object_set_new(o, k[i].key, e)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

enum tk_rc openapi_document(const struct route *routes, size_t n, const char *server_url,
			    json_t **out, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	json_t *sch = schemas(err);
	if (!sch)
		return err ? err->rc : TK_EINVAL;
	json_t *paths = json_object();
	for (size_t i = 0; paths && i < n && !rc; i++) {
		const struct route *r = &routes[i];
		char method[8];
		if ((rc = check_refs(sch, r, err)))
			break;
		snprintf(method, sizeof(method), "%s", r->method);
		for (char *p = method; *p; p++)
			*p = (char)(*p - 'A' + 'a');
		json_t *item = json_object_get(paths, r->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		json_t *op = operation(r);
		if (!op)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		else
			json_object_set_new(item, method, op);
	}
	if (rc || !paths) {
		json_decref(sch);
		json_decref(paths);
		return rc ? rc : tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s, s:s}}, s:o, "
		"s:{s:{s:s, s:{s:{s:o}}}}}}",
		"openapi", "3.0.3", "info", "title", "tuike API", "version", "1", "description",
		description, "servers", "url", server_url, "paths", paths, "components",
		"securitySchemes", "bearer", "type", "http", "scheme", "bearer", "description",
		"an operator API key (tk_...), an operator session token (tko_...) or a member "
		"session token (tks_...)", "schemas", sch,
		"responses", "Error", "description", "an error", "content", "application/json",
		"schema", schema_ref("Error"));
	json_t *keys = doc ? error_keys() : NULL;
	if (!keys) {
		json_decref(doc);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	json_object_set_new(doc, "x-error-keys", keys);
	*out = doc;
	return TK_OK;
}

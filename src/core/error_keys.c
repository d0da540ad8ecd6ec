/* error_keys.c — every error message key the server raises, with the
 * params each carries.  A page translates key and params; the English
 * `message` stays for logs and the command line.  Every key may also carry
 * "field" (the field at fault), which is not repeated below. */
#include "core/error_keys.h"

#include <string.h>

static const struct tk_error_key keys[] = {
	/* generic: an error with no key of its own is said by its code */
	{"invalid", "", "a value is not valid"},
	{"limit_exceeded", "", "a size, count or length limit was exceeded"},
	{"not_found", "", "the thing asked for does not exist"},
	{"conflict", "", "the request contradicts the current state"},
	{"insufficient_funds", "", "not enough available money"},
	{"member_in_debt", "", "the member owes money after a clawback"},
	{"unauthorized", "", "no or no longer valid credential"},
	{"invalid_credentials", "", "unknown member or wrong password"},
	{"forbidden", "", "not allowed for this credential"},
	{"forbidden_role", "", "the key's role may not do this"},
	{"rate_limited", "retry_s", "too many requests; retry after retry_s seconds"},
	{"method_not_allowed", "", "the route takes another method"},
	{"payload_too_large", "", "the body is too large"},
	{"uri_too_long", "", "the address is too long"},
	{"idempotency_key_reused", "", "the Idempotency-Key was used for another request"},
	{"idempotency_key_in_doubt", "", "the first request with this key did not finish"},
	{"union_refused", "", "a union refused the conversion"},
	{"union_unavailable", "", "a union could not be reached"},
	{"link_quota_exceeded", "", "the member's link quota is used up"},
	{"not_configured", "", "the server is not set up for this"},
	{"internal", "", "internal error"},
	{"unavailable", "", "the server is short of resources or stopping"},
	{"busy", "", "the database is busy; nothing was applied"},

	/* a field of a request or a plan */
	{"field.required", "", "the field is required"},
	{"field.too_long", "max", "longer than max bytes"},
	{"field.range", "min max value", "value is outside min..max"},
	{"field.unknown", "", "not a known field"},
	{"field.not_string", "", "must be a string"},
	{"field.not_integer", "", "must be an integer (money is integer fen)"},
	{"field.not_object", "", "must be an object"},
	{"field.not_array", "", "must be an array"},
	{"field.not_boolean", "", "must be true or false"},
	{"field.control_chars", "", "must not contain control characters"},

	/* login and registration */
	{"auth.bad_credentials", "", "unknown member or wrong password"},
	{"auth.password_length", "min max", "a password is min..max bytes"},
	{"invite.required", "", "an invite code or link is required"},
	{"invite.malformed", "", "not an invite code or a link carrying one"},
	{"invite.unknown", "code", "the invite code names no member"},
	{"member.id_taken", "id", "a member with this id exists"},
	{"member.id_chars", "", "an id holds no spaces or control characters"},
	{"member.unknown_level", "level", "not a level of the active plan"},
	{"member.unknown_parent", "parent", "no such member to be the parent"},
	{"member.own_parent", "", "a member cannot be its own parent"},

	/* withdrawals */
	{"withdraw.amount_positive", "", "the amount must be a positive number of fen"},
	{"withdraw.below_minimum", "amount_fen minimum_fen", "below the plan's minimum"},
	{"withdraw.over_available", "amount_fen available_fen", "more than the available balance"},
	{"withdraw.in_debt", "member owes_fen withdrawal",
	 "the member owes money after a clawback: not approved or paid until covered"},
	{"withdraw.method", "value", "the method is alipay, wechat or bank"},
	{"withdraw.payee_invalid", "", "the payee's name is not valid text"},

	/* date ranges of reports */
	{"range.bad_date", "value", "a date is YYYY-MM-DD"},
	{"range.from_after_to", "", "from is after to"},
	{"range.too_long", "max_days", "a range is at most max_days days"},

	/* tracking links */
	{"link.not_https", "host", "a link must be https"},
	{"link.host_not_allowed", "host", "the host is not one links may lead to"},
	{"link.quota_hour", "limit retry_s", "the hourly link quota is used up"},
	{"link.quota_day", "limit retry_s", "the daily link quota is used up"},

	/* the merchants' monthly statements (src/promo/statements.c) */
	{"statement.month_invalid", "value", "a month is YYYYMM, 2000..2099"},
	{"statement.format_invalid", "value", "an export is csv or xlsx"},
	{"statement.lang_invalid", "value", "an export's language is zh-CN or en"},
	{"statement.text_length", "max", "an invoice number or a reason is 1..max bytes"},
	{"statement.illegal_move", "state move", "a statement in this state cannot make this move"},
	{"statement.export_too_large", "max orders",
	 "the statement has more orders than one export holds"},
	/* groups, union tags, products */
	{"group.unknown", "", "no such group (of this member)"},
	{"group.not_own", "group", "the group is another member's"},
	{"group.archived", "group", "the group is archived"},
	{"group.name_length", "max", "a group's name is 1..max bytes"},
	{"group.too_many", "max", "the member has the most groups allowed"},

	/* the head's partner channels (promo/channels.c) */
	{"channel.unknown", "", "no such channel"},
	{"channel.kind", "value", "a channel's kind is team, talent, app, wechat, weibo, zhihu, guide or other"},
	{"channel.state", "value", "a channel's state is active, paused or blocked"},
	{"channel.categories_too_many", "max", "at most max categories"},
	{"channel.category_comma", "value", "a category holds no comma"},
	{"channel.id_kind", "union kind", "not a channel id kind of the union"},
	{"channel.id_taken", "channel name", "the union id is another channel's"},
	{"channel.id_unknown", "", "the channel holds no such union id"},
	{"campaign_item.unknown", "", "no such campaign product"},
	{"tag.none_of_union", "member union", "the member has no tag of the union to carry"},
	{"product.no_url", "union", "the product has no usable url in the library"},

	/* plans (plan.c, plan_json.c) */
	{"plan.bad_json", "line", "the plan is not valid JSON"},
	{"plan.mode", "value", "mode is differential or fixed"},
	{"plan.bps_range", "value_bps", "a rate in basis points is 0..10000"},
	{"plan.money_range", "max_fen value_fen", "an amount is 0..max_fen"},
	{"plan.max_tiers", "value", "max_tiers is 1..3"},
	{"plan.tiers_bps_count", "count", "tiers_bps has at most 2 entries"},
	{"plan.tiers_bps_fixed", "max_tiers need count", "fixed mode needs need entries"},
	{"plan.hold_days", "max value", "hold_days is 0..max"},
	{"plan.levels_count", "max count", "a plan has 1..max levels"},
	{"plan.level_key", "value", "a level key is 1..31 of a-z 0-9 _ -"},
	{"plan.duplicate_level", "level", "two levels have the same key"},
	{"plan.default_level", "", "default_level must name one of the levels"},
	{"plan.unknown_level", "level", "the level is not one of the plan's"},
	{"plan.level_ref", "", "must name one of the levels"},
	{"plan.name_locale", "locale", "a level's names are given in zh-CN or en only"},
	{"plan.name_length", "max", "a level's name is 1..max bytes"},
	{"plan.over_budget", "pay_bps max_bps",
	 "the plan could pay pay_bps of a commission, more than max_bps"},
	{"plan.downgrade", "", "downgrade is never or monthly"},
	{"plan.review_granted", "", "review_granted applies only to the monthly review"},
	{"plan.match", "", "match is all or any"},
	{"plan.too_many_conditions", "max", "at most max conditions"},
	{"plan.condition_kind", "", "an unknown kind of condition"},
	{"plan.condition_min", "max value", "min is 0..max"},
	{"plan.condition_min_money", "max_fen value_fen", "min is 0..max_fen"},
	{"plan.condition_days", "max value", "days is 1..max"},
	{"plan.condition_no_min", "", "a gift_pack condition takes no min"},
	{"plan.condition_no_days", "", "only the money conditions look at days"},
	{"plan.condition_no_level", "", "only direct_at_level names a level"},
	{"plan.too_many_windows", "max", "more than max distinct day windows"},
	{"plan.too_many_gift_packs", "max", "at most max gift packs"},
	{"plan.duplicate_gift_pack", "product", "two gift packs of one product"},
	{"plan.cost_over_price", "price_fen value_fen", "a pack's cost is 0..its price"},
	{"plan.tiers_beyond_3", "count", "nothing is paid beyond tier 3"},
	{"plan.tiers_over_max", "count max_tiers", "more tiers than the plan pays"},
	{"plan.over_margin", "sum_bps", "the tiers pay more than the margin"},

	/* the promotion head's registry (src/promo) */
	{"promo.length", "min max", "the text is min..max bytes"},
	{"promo.not_utf8", "", "must be UTF-8 text"},
	{"promo.id_spaces", "value", "an id has no spaces"},
	{"promo.money", "max value", "an amount is 0..max fen"},
	{"promo.rate", "value", "a rate is per mille 0..1000 or a percentage with one decimal"},
	{"promo.union", "value", "a union is jd, taobao or pdd"},
	{"promo.status", "value", "a status is pending, approved, rejected or ended"},
	{"promo.status_move", "from to", "the status cannot move from from to to"},
	{"promo.merchant_state", "value", "a merchant is active or archived"},
	{"promo.merchant_archived", "merchant", "the merchant is archived"},
	{"promo.shop_taken", "shop merchant merchant_name", "the shop belongs to another merchant"},
	{"promo.time", "value", "not a date or a time"},
	{"promo.window", "from to", "the window ends before it starts"},
	{"promo.apply_window", "", "the application window ends after the promotion"},
	{"promo.ext_id", "value", "a JD campaign id is digits"},
	{"promo.campaign_ended", "campaign", "the campaign has ended"},
	{"promo.item_not_pending", "status", "only a pending product can be removed"},
	{"promo.unknown_channel", "channel", "no such partner channel"},
	{"promo.slot_taken", "channel", "the campaign has a slot fee for the channel already"},
	{"promo.slot_waived", "slot_fee", "the slot fee is waived"},
	{"promo.slot_collected", "slot_fee", "the slot fee is collected"},
	{"promo.sheet_csv", "", "the line is not a CSV row"},
	{"promo.sheet_column", "column", "the sheet's header lacks a column"},
	{"promo.sheet_rows", "max", "a sheet has at most max rows"},
	{"promo.sheet_integer", "value", "must be an integer of fen"},
	{"promo.sheet_duplicate", "value first_line", "the product is in the sheet twice"},
	{"promo.sheet_empty", "", "the sheet has no header row"},
};

const struct tk_error_key *tk_error_keys(size_t *n)
{
	*n = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

const struct tk_error_key *tk_error_key_find(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

bool tk_error_key_has_param(const struct tk_error_key *k, const char *name)
{
	size_t n = strlen(name);
	if (strcmp(name, "field") == 0)
		return true;
	for (const char *p = k->params; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

/* routes.c — the API's one route table: what the server dispatches and
 * what /api/v1/openapi.json documents.  Query parameters are written
 * "name:type:description" separated by '|'; schema names refer to the
 * components of the OpenAPI document (openapi.c). */
#include "http/api_handlers.h"
#include "http/router.h"

#define PAGE "limit:integer:items per page, 1..100 (default 20)"
#define RANGE                                                                              \
	"from:string:first day, YYYY-MM-DD (Beijing time; default 29 days before to)|"     \
	"to:string:last day, YYYY-MM-DD (default today); at most 366 days"
#define SCOPE                                                                              \
	RANGE "|member:string:a member's figures (a member may ask only for its own)|"     \
	      "channel:string:a channel's figures (operators)|"                            \
	      "product:string:a product's figures, UNION:ID (operators)"

const struct route api_routes[] = {
	/* meta */
	{"GET", "/health", h_health, AUTH_PUBLIC, ROUTE_INLINE, "meta",
	 "Liveness, click recording and connection figures; 503 while shutting down", NULL, NULL,
	 "Health", 200},
	{"GET", "/api/v1/openapi.json", h_openapi, AUTH_PUBLIC, ROUTE_INLINE, "meta",
	 "This document", NULL, NULL, "Document", 200},

	/* who is calling */
	{"POST", "/api/v1/auth/login", h_login, AUTH_PUBLIC, ROUTE_UNLOCKED, "auth",
	 "A member logs in with its password and gets a bearer session token", NULL, "Login",
	 "Session", 200},
	{"POST", "/api/v1/auth/register", h_register, AUTH_PUBLIC, ROUTE_UNLOCKED, "auth",
	 "Signs up a new member under the inviter its invite code names, with its password, "
	 "and opens a session",
	 NULL, "Register", "Session", 201},
	{"POST", "/api/v1/auth/operator-session", h_operator_session, AUTH_OPERATOR,
	 ROUTE_UNLOCKED, "auth",
	 "Trades the operator key (the bearer) for an operator session token (tko_...) with "
	 "the key's role, valid serve --operator-session-hours (default 8); revoking the key or "
	 "changing its role ends it",
	 NULL, NULL, "OperatorSession", 201},
	{"POST", "/api/v1/auth/logout", h_logout, AUTH_MEMBER, 0, "auth",
	 "Ends the calling member's or operator's session", NULL, NULL, "LoggedOut", 200},
	{"GET", "/api/v1/me", h_me, AUTH_MEMBER, 0, "auth", "Who the credential belongs to", NULL,
	 NULL, "Me", 200},
	{"POST", "/api/v1/me/taobao/authorize", h_taobao_authorize, AUTH_MEMBER, 0, "auth",
	 "Starts the calling member's Taobao authorization: Taobao's authorize page to send the "
	 "browser to, with a single-use state valid 10 minutes (a member session only)",
	 NULL, "TaobaoAuthorize", "TaobaoAuthorizeStart", 201},
	{"GET", "/auth/taobao/callback", h_taobao_callback, AUTH_PUBLIC, ROUTE_NO_HEAD, "auth",
	 "Where Taobao sends the member back: the state taken once, the code exchanged for the "
	 "member's session key, the channel or member id registered with it, and a 302 to the "
	 "promoter page with the outcome in its fragment (/m/#taobao=ok&kind=..&value=.. or "
	 "/m/#taobao=error&code=..&union_code=..&message=..)",
	 "state:string:the state the authorization started with|code:string:Taobao's "
	 "authorization code|error:string:Taobao's error when the member refused|"
	 "error_description:string:its words",
	 NULL, NULL, 302},

	/* members */
	{"POST", "/api/v1/members", h_member_create, AUTH_OPERATOR, 0, "members",
	 "Registers a member under its inviter", NULL, "MemberCreate", "Member", 201},
	{"GET", "/api/v1/members", h_member_search, AUTH_OPERATOR, 0, "members",
	 "Lists members (filters, sort, cursor pages, a bounded total, CSV); q finds by id, "
	 "invite code, id prefix or part of the name",
	 "q:string:an id, an invite code, the start of an id or part of a name|"
	 "level:string:level keys, comma-separated (at most 8)|"
	 "joined_from:string:first day joined, YYYY-MM-DD Beijing time|"
	 "joined_to:string:last day joined, YYYY-MM-DD Beijing time|"
	 "sales_from:string:first day of the sales period (default the 1st of this month)|"
	 "sales_to:string:last day of the sales period (default today)|"
	 "sales_min:integer:fen sold in the sales period, at least|"
	 "direct_min:integer:direct invitees, at least|team_min:integer:whole team, at least|"
	 "parent:string:the inviter's id: its direct invitees|"
	 "sort:string:joined (default), sales, team or id|order:string:desc (default) or asc|"
	 "cursor:string:the next of the previous page|format:string:json (default) or csv|" PAGE,
	 NULL,
	 "MemberSearch", 200},
	{"GET", "/api/v1/members/{id}", h_member_show, AUTH_MEMBER, 0, "members",
	 "A member (a member sees itself and its team)", NULL, NULL, "Member", 200},
	{"PUT", "/api/v1/members/{id}/level", h_member_level, AUTH_OPERATOR, 0, "members",
	 "Sets a member's level", NULL, "Level", "Member", 200},
	{"PUT", "/api/v1/members/{id}/password", h_member_password, AUTH_OPERATOR, ROUTE_UNLOCKED,
	 "members", "Sets a member's password (ends its sessions)", NULL, "Password",
	 "PasswordSet", 200},
	{"GET", "/api/v1/members/{id}/team", h_member_team, AUTH_MEMBER, 0, "members",
	 "A member's direct invitees, page by page (each with its own team count)",
	 "after:string:the next cursor of the previous page|" PAGE, NULL, "TeamPage", 200},
	{"GET", "/api/v1/members/{id}/stats", h_member_stats, AUTH_MEMBER, 0, "members",
	 "A member's team figures: own and team sales this month and last, counts per level",
	 NULL, NULL, "TeamStats", 200},
	{"GET", "/api/v1/members/{id}/path", h_member_path, AUTH_MEMBER, 0, "members",
	 "The member and its inviters, nearest first (a member sees them up to itself)", NULL,
	 NULL, "MemberPath", 200},
	{"GET", "/api/v1/members/{id}/link-quota", h_link_quota, AUTH_MEMBER, 0, "members",
	 "How many links a member may make itself an hour and a day, and how many it made "
	 "(a member sees its own)",
	 NULL, NULL, "LinkQuota", 200},
	{"PUT", "/api/v1/members/{id}/link-quota", h_link_quota_set, AUTH_OPERATOR, 0, "members",
	 "Sets a member's own link quota (both 0: back to the defaults)", NULL, "LinkQuotaSet",
	 "LinkQuota", 200},
	{"GET", "/api/v1/members/{id}/tags", h_member_tags, AUTH_MEMBER, 0, "members",
	 "The union tags that attribute orders to a member", NULL, NULL, "Tags", 200},
	{"POST", "/api/v1/members/{id}/tags/register", h_tag_register, AUTH_MEMBER, 0, "members",
	 "Registers the member's union tag through the union's own API (JD position, Taobao "
	 "channel or member with the member's session, Pinduoduo pid) and stores it; a tag of "
	 "the kind already held is answered without calling the union (a member for itself)",
	 NULL, "TagRegister", "TagRegistered", 201},
	{"PUT", "/api/v1/tags", h_tag_set, AUTH_OPERATOR, 0, "members",
	 "Registers a union tag for a member (replacing an earlier owner)", NULL, "TagSet",
	 "TagSetResult", 200},
	{"DELETE", "/api/v1/tags/{union}/{kind}/{value}", h_tag_delete, AUTH_OPERATOR, 0,
	 "members", "Removes a union tag", NULL, NULL, "TagDeleted", 200},

	/* the investment-promotion head's partner channels and channel matching */
	{"GET", "/api/v1/channels", h_channels_list, AUTH_OPERATOR, 0, "channels",
	 "Partner channels, newest first",
	 "kind:string:team, talent, app, wechat, weibo, zhihu, guide or other|"
	 "state:string:active, paused or blocked|category:string:channels that list this "
	 "category|name:string:a part of the name|before:string:the next cursor of the previous "
	 "page|" PAGE,
	 NULL, "ChannelPage", 200},
	{"POST", "/api/v1/channels", h_channel_create, AUTH_OPERATOR, 0, "channels",
	 "Adds a partner channel", NULL, "ChannelCreate", "Channel", 201},
	{"GET", "/api/v1/channels/{id}", h_channel_show, AUTH_OPERATOR, 0, "channels",
	 "One partner channel with its union ids", NULL, NULL, "Channel", 200},
	{"PATCH", "/api/v1/channels/{id}", h_channel_update, AUTH_OPERATOR, 0, "channels",
	 "Changes a channel's name, kind, contact, categories, note or state", NULL,
	 "ChannelUpdate", "Channel", 200},
	{"POST", "/api/v1/channels/{id}/ids", h_channel_id_add, AUTH_OPERATOR, 0, "channels",
	 "Adds a union id to the channel (jd rid or channelId, pdd duoid, taobao relation_id or "
	 "pub_id); one held by another channel is refused naming it; campaign orders stored "
	 "under it with no channel are linked to this one",
	 NULL, "ChannelIdAdd", "ChannelIdAdded", 201},
	{"DELETE", "/api/v1/channels/{id}/ids/{union}/{kind}/{value}", h_channel_id_delete,
	 AUTH_OPERATOR, 0, "channels",
	 "Removes a union id from the channel (orders linked by it stay the channel's)", NULL,
	 NULL, "ChannelIdDeleted", 200},
	{"GET", "/api/v1/channels/{id}/history", h_channel_history, AUTH_OPERATOR, 0, "channels",
	 "A channel's campaign orders per month and its slot fees", NULL, NULL, "ChannelHistory",
	 200},
	{"GET", "/api/v1/channels/{id}/products", h_channel_products, AUTH_OPERATOR, 0,
	 "channels",
	 "The approved campaign products in their promotion window that suit the channel, with "
	 "reasons",
	 "days:integer:the channel's figures over the last days, 7..730 (default 180)", NULL,
	 "ChannelProducts", 200},
	{"GET", "/api/v1/campaign-items/{id}/channels", h_campaign_item_channels, AUTH_OPERATOR, 0,
	 "channels",
	 "The channels ranked for a campaign product, with reasons (flag.* reasons mark "
	 "brushed figures and rank a channel down; blocked channels are left out, paused ones "
	 "come last)",
	 "days:integer:figures over the last days, 7..730 (default 180)", NULL, "ChannelMatch",
	 200},
	/* the promotion head's registry (api_promo.c) */
	{"GET", "/api/v1/merchants", h_merchants_list, AUTH_OPERATOR, 0, "promo",
	 "Merchants, newest first", "q:string:a part of the name|state:string:active or archived|"
	 "before:string:the next of the previous page|" PAGE, NULL, "MerchantPage", 200},
	{"POST", "/api/v1/merchants", h_merchant_create, AUTH_OPERATOR, 0, "promo",
	 "Adds a merchant", NULL, "MerchantCreate", "Merchant", 201},
	{"GET", "/api/v1/merchants/{id}", h_merchant_show, AUTH_OPERATOR, 0, "promo",
	 "One merchant with its shops", NULL, NULL, "Merchant", 200},
	{"PATCH", "/api/v1/merchants/{id}", h_merchant_update, AUTH_OPERATOR, 0, "promo",
	 "Changes a merchant's fields or archives it", NULL, "MerchantUpdate", "Merchant", 200},
	{"POST", "/api/v1/merchants/{id}/shops", h_merchant_shop_add, AUTH_OPERATOR, 0, "promo",
	 "Registers a union shop as the merchant's (a shop is one merchant's at most)", NULL,
	 "ShopCreate", "Shop", 201},
	{"DELETE", "/api/v1/merchants/{id}/shops/{union}/{shop}", h_merchant_shop_remove,
	 AUTH_OPERATOR, 0, "promo", "Removes a shop of the merchant's", NULL, NULL, "ShopRemoved",
	 200},
	{"GET", "/api/v1/campaigns", h_campaigns_list, AUTH_OPERATOR, 0, "promo",
	 "Campaigns, newest first",
	 "merchant:integer:only this merchant's|status:string:pending, approved, rejected or "
	 "ended|union:string:jd, taobao or pdd|from:string:promoted on or after (a date)|"
	 "to:string:promoted on or before (a date)|before:string:the next of the previous page|"
	 PAGE, NULL, "CampaignPage", 200},
	{"POST", "/api/v1/campaigns", h_campaign_create, AUTH_OPERATOR, 0, "promo",
	 "Adds a campaign (pending) for a merchant", NULL, "CampaignCreate", "Campaign", 201},
	{"GET", "/api/v1/campaigns/{id}", h_campaign_show, AUTH_OPERATOR, 0, "promo",
	 "One campaign with its products, slot fees and their totals", NULL, NULL, "Campaign",
	 200},
	{"PATCH", "/api/v1/campaigns/{id}", h_campaign_update, AUTH_OPERATOR, 0, "promo",
	 "Changes a campaign's name, id, note or windows", NULL, "CampaignUpdate", "Campaign",
	 200},
	{"POST", "/api/v1/campaigns/{id}/status", h_campaign_status, AUTH_OPERATOR, 0, "promo",
	 "Moves a campaign's status (pending to approved or rejected, approved to ended, "
	 "rejected to pending)", NULL, "CampaignStatus", "Campaign", 200},
	{"PUT", "/api/v1/campaigns/{id}/items/{product}", h_campaign_item_put, AUTH_OPERATOR, 0,
	 "promo", "Adds or rewrites a campaign product (its status kept)", NULL,
	 "CampaignItemPut", "CampaignItem", 200},
	{"POST", "/api/v1/campaigns/{id}/items/import", h_campaign_items_import, AUTH_OPERATOR,
	 ROUTE_BIG_BODY, "promo",
	 "Adds or rewrites products from a sheet (CSV text, as tuike campaign items reads a "
	 "file): all or nothing, the first error naming line, field and value",
	 NULL, "CampaignItemsImport", "CampaignItemsImported", 200},
	{"DELETE", "/api/v1/campaigns/{id}/items/{product}", h_campaign_item_remove,
	 AUTH_OPERATOR, 0, "promo", "Removes a campaign product while it is pending", NULL, NULL,
	 "CampaignItemRemoved", 200},
	{"POST", "/api/v1/campaigns/{id}/items/{product}/status", h_campaign_item_status,
	 AUTH_OPERATOR, 0, "promo", "Moves a campaign product's status", NULL,
	 "CampaignItemStatus", "CampaignItem", 200},
	{"POST", "/api/v1/campaigns/{id}/slot-fees", h_slot_fee_book, AUTH_OPERATOR, 0, "promo",
	 "Books a slot fee for a partner channel: the fee and its ledger transfer", NULL,
	 "SlotFeeBook", "SlotFee", 201},
	{"GET", "/api/v1/slot-fees", h_slot_fees_list, AUTH_OPERATOR, 0, "promo",
	 "Slot fees, newest first",
	 "campaign:integer:only this campaign's|channel:integer:only this channel's|"
	 "merchant:integer:only this merchant's campaigns'|state:string:booked, collected or "
	 "waived|before:string:the next of the previous page|" PAGE,
	 NULL, "SlotFeePage", 200},
	{"POST", "/api/v1/slot-fees/{id}/collect", h_slot_fee_collect, AUTH_OPERATOR, 0, "promo",
	 "Records that the merchant paid a slot fee (no ledger movement)", NULL, NULL, "SlotFee",
	 200},
	{"POST", "/api/v1/slot-fees/{id}/waive", h_slot_fee_waive, AUTH_OPERATOR, 0, "promo",
	 "Waives a booked slot fee: its transfer is reversed by a new one", NULL, NULL,
	 "SlotFee", 200},

	/* chat groups */
	{"GET", "/api/v1/groups", h_groups_list, AUTH_OPERATOR, 0, "groups",
	 "Chat groups, newest first (credentials shown only as set and a hint)",
	 "member:string:only this member's|state:string:active, paused or archived|"
	 "before:string:the next cursor of the previous page|" PAGE,
	 NULL, "GroupPage", 200},
	{"POST", "/api/v1/groups", h_group_create, AUTH_OPERATOR, 0, "groups",
	 "Adds a chat group for a member; its channel key is g<id>", NULL, "GroupCreate", "Group",
	 201},
	{"GET", "/api/v1/groups/{id}", h_group_show, AUTH_OPERATOR, 0, "groups", "One chat group",
	 NULL, NULL, "Group", 200},
	{"PATCH", "/api/v1/groups/{id}", h_group_update, AUTH_OPERATOR, 0, "groups",
	 "Changes a group's name, settings or state (archiving cancels its pending sends)", NULL,
	 "GroupUpdate", "Group", 200},
	{"PUT", "/api/v1/groups/{id}/credentials", h_group_credentials, AUTH_OPERATOR, 0, "groups",
	 "Sets a group's robot credentials: the webhook URL or the bare key/token (never shown "
	 "again), a signing secret, Telegram's chat id",
	 NULL, "GroupCredentials", "Group", 200},
	{"POST", "/api/v1/groups/{id}/tags", h_group_tag, AUTH_OPERATOR, 0, "groups",
	 "Registers a union tag for the group: orders carrying it come back as the group's", NULL,
	 "TagSetGroup", "GroupTag", 201},
	{"POST", "/api/v1/groups/{id}/tags/register", h_group_tag_register, AUTH_OPERATOR, 0,
	 "groups",
	 "Registers the group's union tag through the union's own API (a JD position or a "
	 "Pinduoduo pid named for the group); a tag of the kind the group holds is answered "
	 "without calling the union",
	 NULL, "GroupTagRegister", "GroupTagRegistered", 201},
	{"GET", "/api/v1/me/groups", h_me_groups_list, AUTH_MEMBER, 0, "groups",
	 "The calling member's chat groups (a member session only)",
	 "state:string:active, paused or archived|before:string:the next cursor of the previous "
	 "page|" PAGE,
	 NULL, "GroupPage", 200},
	{"POST", "/api/v1/me/groups", h_me_group_create, AUTH_MEMBER, 0, "groups",
	 "Adds a chat group for the calling member (a member session only)", NULL, "MeGroupCreate",
	 "Group", 201},
	{"GET", "/api/v1/me/groups/{id}", h_me_group_show, AUTH_MEMBER, 0, "groups",
	 "One of the calling member's groups (another member's is 404)", NULL, NULL, "Group", 200},
	{"GET", "/api/v1/groups/{id}/results", h_group_results, AUTH_OPERATOR, 0, "groups",
	 "A group's results over a date range: totals, the last N days with the dormant flag and "
	 "its suggestion, every day's figures (its trend) and its newest sends with what followed "
	 "each within 48 hours",
	 RANGE "|dormant_days:integer:N of the dormant rule, 1..90 (default groups.dormant_days, "
	 "7)",
	 NULL, "GroupResults", 200},
	{"GET", "/api/v1/me/groups/{id}/results", h_me_group_results, AUTH_MEMBER, 0, "groups",
	 "One of the calling member's groups' results (as /api/v1/groups/{id}/results; another "
	 "member's group is 404)",
	 RANGE "|dormant_days:integer:N of the dormant rule, 1..90", NULL, "GroupResults", 200},
	{"GET", "/api/v1/groups/{id}/jobs", h_group_jobs, AUTH_OPERATOR, 0, "groups",
	 "A group's send queue and history, newest slot first: state, due and sent times, "
	 "product, link, attempts and the platform's last code and message",
	 "state:string:pending, sending, sent, failed, unknown, ready or cancelled|"
	 "page:integer:1-based, 1..1000 (default 1)|per_page:integer:1..100 (default 20)",
	 NULL, "SendJobPage", 200},
	{"GET", "/api/v1/groups/{id}/preview", h_group_preview, AUTH_OPERATOR, 0, "groups",
	 "Exactly what the group would receive: the platform request (its URL with a "
	 "placeholder for the credential, and the body) and the rendered copy text",
	 "product:string:UNION:ID (default: what the group's selection picks now)", NULL,
	 "SendPreview", 200},
	{"POST", "/api/v1/groups/{id}/send", h_group_send, AUTH_OPERATOR, 0, "groups",
	 "Sends now: a job due now (the product given, or the selection's pick); the same "
	 "request again (Idempotency-Key, or the same second) answers the same job",
	 NULL, "SendNow", "SendJob", 201},
	{"POST", "/api/v1/jobs/{id}/requeue", h_job_requeue, AUTH_OPERATOR, 0, "groups",
	 "Puts an unknown or failed send back in the queue (pending, due now); 409 for a job "
	 "in another state",
	 NULL, NULL, "SendJob", 200},
	{"GET", "/api/v1/me/groups/{id}/offers", h_me_group_offers, AUTH_MEMBER, 0, "groups",
	 "A manual group's offers ready today: the copy text and link of each, to post by hand "
	 "(another member's group is 404)",
	 NULL, NULL, "OfferList", 200},
	{"POST", "/api/v1/me/groups/{id}/send", h_me_group_send, AUTH_MEMBER, 0, "groups",
	 "Sends now to one of the calling member's groups (as /api/v1/groups/{id}/send)", NULL,
	 "SendNow", "SendJob", 201},

	/* money */
	{"GET", "/api/v1/members/{id}/balance", h_balance, AUTH_MEMBER, 0, "money",
	 "A member's balances in fen (a member sees only its own)", NULL, NULL, "Balance", 200},
	{"GET", "/api/v1/members/{id}/ledger", h_ledger, AUTH_MEMBER, 0, "money",
	 "The transfers touching a member's accounts, newest first",
	 "before:string:the next cursor of the previous page|" PAGE, NULL, "LedgerPage", 200},
	{"POST", "/api/v1/settle", h_settle, AUTH_OPERATOR, 0, "money",
	 "Releases frozen money whose hold has passed by the server's clock; takes no body "
	 "(a \"now\" is refused: money is never released early)",
	 NULL, NULL, "SettleResult", 200},
	{"POST", "/api/v1/withdrawals", h_withdrawal_request, AUTH_MEMBER, 0, "money",
	 "Requests a withdrawal: the amount moves to withdrawing at once", NULL,
	 "WithdrawalRequest", "Withdrawal", 201},
	{"GET", "/api/v1/withdrawals", h_withdrawal_list, AUTH_MEMBER, 0, "money",
	 "Withdrawals, newest first (a member sees its own)",
	 "member:string:only this member's|status:string:requested, approved, paid or rejected|"
	 "from:string:requested on or after this Beijing day (YYYY-MM-DD)|"
	 "to:string:requested on or before this Beijing day (YYYY-MM-DD)|"
	 "before:string:the next cursor of the previous page|" PAGE,
	 NULL, "WithdrawalPage", 200},
	{"GET", "/api/v1/withdrawals/{id}", h_withdrawal_show, AUTH_MEMBER, 0, "money",
	 "One withdrawal", NULL, NULL, "Withdrawal", 200},
	{"POST", "/api/v1/withdrawals/{id}/approve", h_withdrawal_approve, AUTH_OPERATOR, 0,
	 "money", "Approves a requested withdrawal", NULL, NULL, "Withdrawal", 200},
	{"POST", "/api/v1/withdrawals/{id}/reject", h_withdrawal_reject, AUTH_OPERATOR, 0, "money",
	 "Rejects a withdrawal with a reason its member is shown: the money returns to available",
	 NULL, "WithdrawalReject", "Withdrawal", 200},
	{"POST", "/api/v1/withdrawals/{id}/paid", h_withdrawal_paid, AUTH_OPERATOR, 0, "money",
	 "Marks an approved withdrawal paid, net of the fee", NULL, NULL, "Withdrawal", 200},
	/* beside /withdrawals/{id}, which a path one segment deeper would overlap */
	{"GET", "/api/v1/payout.csv", h_payout_file, AUTH_OPERATOR, 0, "money",
	 "The payout file: every approved withdrawal not yet paid (its member not in debt), "
	 "oldest first, as a CSV download; alipay and bank hold that method's withdrawals in "
	 "the channel's batch template (GBK), plain all of them (UTF-8 with a BOM)",
	 "format:string:plain (default), alipay or bank", NULL, "PayoutFile", 200},
	/* the rules a request is held to, for the promoter page's form */
	{"GET", "/api/v1/withdrawal-terms", h_withdrawal_terms, AUTH_MEMBER, 0, "money",
	 "The active plan's minimum withdrawal and fee (floor(amount x fee_bps / 10000))", NULL,
	 NULL, "WithdrawalTerms", 200},

	/* the merchants' monthly statements (docs/promotion-head.md#statements) */
	{"POST", "/api/v1/statements", h_statements_generate, AUTH_OPERATOR, 0, "statements",
	 "Makes the drafts of a month: for one merchant, or every merchant with a campaign order "
	 "or a slot fee (not waived) in it; existing statements stay as they are",
	 NULL, "StatementGenerate", "StatementsGenerated", 200},
	{"GET", "/api/v1/statements", h_statements_list, AUTH_OPERATOR, 0, "statements",
	 "Statements, newest first, without their figures",
	 "month:string:YYYYMM|merchant:integer:one merchant's|state:string:draft, sent, "
	 "confirmed or invoiced|before:integer:the next_before of the previous page|" PAGE,
	 NULL, "StatementPage", 200},
	{"GET", "/api/v1/statements/{id}", h_statement_show, AUTH_OPERATOR, 0, "statements",
	 "One statement: lines per campaign product, campaigns, totals, slot fees (a draft's "
	 "computed now, a sent one's as sent) and changed_since_sent with the changes",
	 NULL, NULL, "Statement", 200},
	{"POST", "/api/v1/statements/{id}/send", h_statement_send, AUTH_OPERATOR, 0, "statements",
	 "draft -> sent: the figures are frozen as sent", NULL, NULL, "Statement", 200},
	{"POST", "/api/v1/statements/{id}/confirm", h_statement_confirm, AUTH_OPERATOR, 0,
	 "statements", "sent -> confirmed: the merchant agreed", NULL, NULL, "Statement", 200},
	{"POST", "/api/v1/statements/{id}/invoice", h_statement_invoice, AUTH_OPERATOR, 0,
	 "statements", "confirmed -> invoiced, with the invoice number", NULL,
	 "StatementInvoice", "Statement", 200},
	{"POST", "/api/v1/statements/{id}/reopen", h_statement_reopen, AUTH_OPERATOR, 0,
	 "statements", "sent -> draft before confirmation, with a reason: the figures thaw", NULL,
	 "StatementReopen", "Statement", 200},
	{"GET", "/api/v1/statements/{id}/export", h_statement_export, AUTH_OPERATOR, 0,
	 "statements",
	 "The statement as a file: CSV (UTF-8 with a BOM) or XLSX (the statement and its orders), "
	 "named statement-<merchant>-<YYYYMM>.csv|xlsx; at most 100000 orders",
	 "format:string:csv (default) or xlsx|lang:string:zh-CN (default) or en", NULL,
	 "StatementFile", 200},

	/* the action log */
	{"GET", "/api/v1/actions", h_actions_list, AUTH_OPERATOR, 0, "actions",
	 "The action log: every change an operator (or a member, to its own groups) made to "
	 "money, plans, levels, members, groups or keys, newest first",
	 "from:string:first day, YYYY-MM-DD (Beijing time)|to:string:last day, YYYY-MM-DD|"
	 "actor:string:who, e.g. key:ops-anna|what:string:e.g. member.level|"
	 "subject:string:e.g. member:m13|before:string:the next cursor of the previous page|" PAGE,
	 NULL, "ActionPage", 200},
	{"GET", "/api/v1/actions.csv", h_actions_csv, AUTH_OPERATOR, 0, "actions",
	 "The action log as CSV (text/csv), newest first, with the listing's filters; cells a "
	 "spreadsheet would run as formulas are made inert",
	 "from:string:first day, YYYY-MM-DD (Beijing time)|to:string:last day, YYYY-MM-DD|"
	 "actor:string:who|what:string:which kind of action|subject:string:about what",
	 NULL, "ActionCsv", 200},

	/* plans */
	{"GET", "/api/v1/plan", h_plan_show, AUTH_OPERATOR, 0, "plans",
	 "The active commission plan, or a version of it",
	 "version:integer:a plan version (default the active one)", NULL, "Plan", 200},
	{"PUT", "/api/v1/plan", h_plan_set, AUTH_OPERATOR, 0, "plans",
	 "Sets a new plan version (refused if it could pay out too much)", NULL, "PlanInput",
	 "Plan", 200},
	{"POST", "/api/v1/plan/simulate", h_plan_simulate, AUTH_OPERATOR, 0, "plans",
	 "How a commission would split along a chain, without recording anything", NULL,
	 "Simulation", "Split", 200},
	{"POST", "/api/v1/plan/validate", h_plan_validate, AUTH_OPERATOR, 0, "plans",
	 "Checks a plan document as PUT /plan would, without saving it", NULL, "PlanInput",
	 "PlanCheck", 200},
	{"GET", "/api/v1/plan/versions", h_plan_versions, AUTH_OPERATOR, 0, "plans",
	 "The plan versions, newest first: when and by whom each was set",
	 "before:integer:the next cursor of the previous page|" PAGE, NULL, "PlanVersions", 200},

	/* orders */
	{"POST", "/api/v1/orders/import", h_orders_import, AUTH_OPERATOR, ROUTE_BIG_BODY,
	 "orders", "Imports a batch of order rows (the body, as a file would hold them)",
	 "format:string:jsonl (default), csv, jd, taobao, taobao-refund or pdd", "OrderRows",
	 "ImportResult", 200},
	{"POST", "/api/v1/orders/reattribute", h_orders_reattribute, AUTH_OPERATOR, 0, "orders",
	 "Attributes the items left unattributed whose buyer, link or tag names a member now, "
	 "with the plan and chain of their first sight, by new transfers (idempotent)",
	 NULL, "Reattribute", "ReattributeResult", 200},
	{"GET", "/api/v1/orders", h_order_list, AUTH_OPERATOR, 0, "orders",
	 "The items of an order, by the union's order number, with their splits",
	 "order:string:the union's order number|union:string:only this union's", NULL,
	 "OrderItems", 200},
	{"GET", "/api/v1/order-items", h_order_items, AUTH_MEMBER, 0, "orders",
	 "Order items by filters, sorted and paged, or CSV (format=csv, at most 10000 items); "
	 "a member sees the items that pay it, with its own share",
	 "from:string:first paid day, YYYY-MM-DD (Beijing time; none: every item, unpaid "
	 "too)|to:string:last paid day (default today); at most 366 days|union:string:jd, "
	 "taobao, pdd or own|status:string:comma list of unpaid, paid, received, settled, "
	 "invalid|member:string:the sharer (the chain's first member)|attribution:string:comma "
	 "list of none, self_purchase, binding, link, tag|group:integer:a chat group's "
	 "items|product:string:UNION:ID, or an ID of any union|sort:string:paid_at "
	 "(default), amount or commission|dir:string:desc (default) or asc|format:string:json (default) or csv|before:string:the next cursor "
	 "of the previous page|" PAGE,
	 NULL, "OrderItemPage", 200},
	{"GET", "/api/v1/order-items/totals", h_order_item_totals, AUTH_MEMBER, 0, "orders",
	 "The items /api/v1/order-items would list, counted and summed (amount, commission, "
	 "share: a member's own)",
	 "from:string:first paid day, YYYY-MM-DD (Beijing time)|to:string:last paid day; at "
	 "most 366 days|union:string:as in order-items|status:string:as in "
	 "order-items|member:string:the sharer|attribution:string:as in "
	 "order-items|group:integer:a chat group's items|product:string:UNION:ID or ID",
	 NULL, "OrderItemTotals", 200},
	/* the head's campaign orders (docs/promotion-head.md) */
#define CO_FILTERS                                                                         \
	"campaign:integer:a campaign's orders|merchant:integer:a merchant's campaigns' "   \
	"orders|channel:integer:a partner channel's orders|month:string:YYYY-MM of the "   \
	"paid time (Beijing)|from:string:first paid day, YYYY-MM-DD|to:string:last paid "   \
	"day; at most 366 days|union:string:jd, taobao or pdd|head:string:true: the head's " \
	"service fee rows, false: own sales|status:string:unpaid, paid, received, settled " \
	"or invalid"
	{"GET", "/api/v1/campaign-orders", h_campaign_orders, AUTH_OPERATOR, 0, "campaigns",
	 "The orders of the head's campaigns the unions reported, with their service fee, by "
	 "item id, paged, or CSV (format=csv, at most 10000 orders)",
	 CO_FILTERS "|format:string:json (default) or csv|before:string:the next cursor of the "
	 "previous page|" PAGE,
	 NULL, "CampaignOrderPage", 200},
	{"GET", "/api/v1/campaign-orders/totals", h_campaign_order_totals, AUTH_OPERATOR, 0,
	 "campaigns",
	 "The campaign orders of the filters counted and summed: orders, GMV, the service fee "
	 "estimated, settled and clawed back after settlement",
	 CO_FILTERS, NULL, "CampaignOrderTotals", 200},
	{"GET", "/api/v1/orders/{union}/{item}", h_order_show, AUTH_MEMBER, 0, "orders",
	 "An order item with its splits and every state it went through (a member sees its "
	 "own share)",
	 NULL, NULL, "Item", 200},

	/* tracking links */
	{"POST", "/api/v1/links", h_link_create, AUTH_MEMBER, 0, "links",
	 "Makes a short tracking link for a member and a product or an address", NULL,
	 "LinkCreate", "Link", 201},
	{"GET", "/api/v1/links", h_link_list, AUTH_MEMBER, 0, "links",
	 "Links, newest first, with their click counts",
	 "member:string:only this member's|before:string:the next cursor of the previous "
	 "page|" PAGE,
	 NULL, "LinkPage", 200},
	{"GET", "/api/v1/links/{code}", h_link_show, AUTH_MEMBER, 0, "links",
	 "One link with its click counts", NULL, NULL, "Link", 200},
	{"DELETE", "/api/v1/links/{code}", h_link_revoke, AUTH_MEMBER, 0, "links",
	 "Revokes a link (a member its own): it stops redirecting on every server within a "
	 "second; its clicks stay",
	 NULL, NULL, "Link", 200},
	{"GET", "/api/v1/links/allowed-hosts/list", h_link_hosts, AUTH_OPERATOR, 0, "links",
	 "The hosts URL links may lead to: the unions' own domains (built in) and those "
	 "operators added, each with its subdomains",
	 NULL, NULL, "AllowedHosts", 200},
	{"POST", "/api/v1/links/allowed-hosts", h_link_host_add, AUTH_OPERATOR, 0, "links",
	 "Allows a domain (and its subdomains) for URL links; every server follows within a "
	 "second",
	 NULL, "AllowedHostAdd", "AllowedHostAdded", 201},
	{"DELETE", "/api/v1/links/allowed-hosts/{domain}", h_link_host_remove, AUTH_OPERATOR, 0,
	 "links",
	 "Removes a domain operators added: links to it stop redirecting within a second "
	 "(410), unless an operator made them with allow_host",
	 NULL, NULL, "AllowedHostRemoved", 200},

	/* reports */
	{"GET", "/api/v1/reports/summary", h_report_summary, AUTH_MEMBER, 0, "reports",
	 "Totals over a date range (a member sees its own, without the platform share and "
	 "the members' shares)",
	 SCOPE, NULL, "Summary", 200},
	{"GET", "/api/v1/reports/daily", h_report_daily, AUTH_MEMBER, 0, "reports",
	 "A daily series over a date range (every day, zeros included; a member sees its own, "
	 "without the platform share and the members' shares)",
	 SCOPE, NULL, "Daily", 200},
	{"GET", "/api/v1/reports/top", h_report_top, AUTH_OPERATOR, 0, "reports",
	 "The members, products or channels with the most of a figure",
	 "by:string:members, products or channels|metric:string:a daily figure (default "
	 "commission)|limit:integer:1..100 (default 10)|" RANGE,
	 NULL, "Top", 200},
	{"GET", "/api/v1/reports/groups", h_report_groups, AUTH_OPERATOR, 0, "reports",
	 "Results per chat group over a date range: sends, failures, clicks, orders, GMV, "
	 "commission and the owner's share, per group (with the dormant flag and a "
	 "suggestion), day, send (48 hours after each) or owner member; CSV with format=csv or "
	 "Accept: text/csv",
	 RANGE "|by:string:group (default), day, send or member|group:integer:one group|"
	       "member:string:one member's groups|dormant_days:integer:N of the dormant rule, "
	       "1..90 (default groups.dormant_days, 7)|format:string:json (default) or csv",
	 NULL, "GroupReport", 200},
	{"GET", "/api/v1/reports/funnel", h_report_funnel, AUTH_MEMBER, 0, "reports",
	 "Clicks, orders and settled orders, with the rates between them", SCOPE, NULL,
	 "Funnel", 200},

	/* the product library */
	{"GET", "/api/v1/products", h_product_search, AUTH_MEMBER, 0, "products",
	 "Searches the product library",
	 "q:string:words to find|union:string:jd, taobao, pdd or own|category:string:a "
	 "category|sort:string:popular, relevance, sales, commission or price|"
	 "min_price:integer:fen after coupon|max_price:integer:fen after coupon|"
	 "min_commission:integer:fen per unit|coupon_valid:boolean:only with a coupon now|"
	 "page:integer:1-based|per_page:integer:1..100",
	 NULL, "ProductSearch", 200},
	{"GET", "/api/v1/products/top", h_product_top, AUTH_MEMBER, 0, "products",
	 "The products most worth pushing now, with the reasons",
	 "category:string:only this category|limit:integer:1..1000 (default 20)", NULL,
	 "ProductTop", 200},
	/* the promoter page: category tabs and the way to the next level */
	{"GET", "/api/v1/products/categories", h_product_categories, AUTH_MEMBER, 0, "products",
	 "The library's categories with their product counts, best sellers first", NULL, NULL,
	 "ProductCategories", 200},
	{"GET", "/api/v1/members/{id}/level-progress", h_member_level_progress, AUTH_MEMBER, 0,
	 "members", "How far a member is from the next level: each condition of its rule",
	 NULL, NULL, "LevelProgress", 200},
	{"GET", "/api/v1/products/{union}/{id}", h_product_show, AUTH_MEMBER, 0, "products",
	 "One product: price history, score and substitutes",
	 "substitutes:integer:0..50 (default 5)", NULL, "ProductDetail", 200},
	{"GET", "/api/v1/products/{union}/{id}/copy", h_product_copy, AUTH_MEMBER, 0, "products",
	 "The copy text to post for a product, with the member's invite code in its link",
	 "template:string:a template name (default \"default\")|channel:string:text, wecom or "
	 "telegram|member:string:whose invite code (operators; a member gets its own)|"
	 "link:string:1 puts the member's short tracking link in the text (made on first use; "
	 "409 when the member has no tag of the union)",
	 NULL, "CopyText", 200},

	/* posters and QR codes: PNG images (docs/web.md#posters-and-qr-codes) */
	{"GET", "/api/v1/links/{code}/qr.png", h_link_qr, AUTH_MEMBER, ROUTE_SIGNED, "links",
	 "The QR code of a link's short URL as a PNG (error correction M, a quiet zone of 4 "
	 "modules; a member its own links and its team's)",
	 "size:integer:pixels a side, 128..1024 (default 512)", NULL, "Png", 200},
	{"GET", "/api/v1/me/invite/qr.png", h_me_invite_qr, AUTH_MEMBER, ROUTE_SIGNED, "auth",
	 "The QR code of the calling member's invitation (the promoter page's join screen with "
	 "its invite code) as a PNG (a member session only)",
	 "size:integer:pixels a side, 128..1024 (default 512)", NULL, "Png", 200},
	{"GET", "/api/v1/me/invite/poster.png", h_me_invite_poster, AUTH_MEMBER, ROUTE_SIGNED, "auth",
	 "The calling member's invitation poster, 750x1334 PNG: its name, invite code and "
	 "invitation QR code (a member session only)",
	 "lang:string:zh (default) or en", NULL, "Png", 200},
	{"GET", "/api/v1/products/{union}/{id}/poster.png", h_product_poster, AUTH_MEMBER, ROUTE_SIGNED,
	 "products",
	 "A product's poster for the calling member, 750x1334 PNG: image, title, price, coupon "
	 "and price after it, platform, and the QR code of the member's tracking link (made on "
	 "first use as ?link=1 of the copy text; when it cannot be made, the member's "
	 "invitation with a note); the image comes from the unions' image hosts only, and a "
	 "placeholder stands in when it cannot (a member session only)",
	 "lang:string:zh (default) or en", NULL, "Png", 200},
	{"GET", "/api/v1/me/image-url", h_image_url, AUTH_MEMBER, 0, "auth",
	 "A signed address of one of the images above for the calling member, valid a day: "
	 "it needs no Authorization header, so a plain <img> (WeChat's long-press) can load it "
	 "(a member session only)",
	 "path:string:the image's path, /api/v1/...png|lang:string:zh or en (posters)|"
	 "size:integer:pixels a side (QR codes)",
	 NULL, "ImageUrl", 200},
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);

#!/usr/bin/env bash
# campaign_money.sh — the head's service fee on campaign orders, from the
# unions' own replies: JD head rows (unionRole 2) and an own row of the same
# campaign, PDD rows of other duoduoke under the head's zs_duo_id (fee by
# the product's rate), Taobao third-party rows (tk_order_role 3) and a
# refund of the head's share.  Checked by hand-computed figures: the fee of
# each order, the service accounts' balances through settlement, clawback
# and reversal, re-imports changing nothing, reverse order giving the same
# state, own rows split as before, the audit clean and catching tampering,
# re-matching of a channel registered later, and the sync path.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'stop_mocks; for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
F=$TUIKE_FIXTURES
standard_plan

tk member add alice --level super >/dev/null
tk tag set alice jd subUnionId m-alice >/dev/null
tk tag set alice pdd uid m-alice >/dev/null
tk tag set alice taobao relation_id 8002 >/dev/null

# 2026-11-01 00:00 to 2026-11-30 23:59:59 Beijing
FROM=1793462400 TO=1796054399
seed() {
	db_sql "INSERT INTO merchants(id, name, created_at, updated_at) VALUES (1, '招商测试商家', 1, 1);
INSERT INTO campaigns(id, merchant, union_, ext_id, name, status, promote_from, promote_to, created_at, updated_at)
 VALUES (1, 1, 'jd', '5001', 'JD 双十一', 'approved', $FROM, $TO, 1, 1),
        (2, 1, 'pdd', '77000', 'PDD 招商', 'approved', $FROM, $TO, 1, 1),
        (3, 1, 'taobao', '', '淘宝 招商', 'approved', $FROM, $TO, 1, 1),
        (4, 1, 'taobao', '', '淘宝 旧活动', 'ended', $((FROM - 86400 * 60)), $((FROM - 86400 * 30)), 1, 1);
INSERT INTO campaign_items(id, campaign, product, commission_pm, service_pm, status, created_at, updated_at)
 VALUES (1, 1, '900001', 200, 50, 'approved', 1, 1), (2, 2, '4001', 200, 60, 'approved', 1, 1),
        (3, 3, '650001', 100, 30, 'approved', 1, 1), (4, 4, '650001', 100, 20, 'approved', 1, 1);
INSERT INTO promo_channels(id, name, kind, created_at, updated_at) VALUES (1, '甲团队', 'team', 1, 1);
INSERT INTO promo_channel_ids(channel, union_, kind, value)
 VALUES (1, 'jd', 'rid', '880'), (1, 'pdd', 'duoid', '12345'), (1, 'taobao', 'relation_id', '9901');" >/dev/null
}
seed

# service fee accounts of the platform: estimated (0*8+4), settled (0*8+5)
svc() { db_sql "SELECT coalesce((SELECT balance FROM balances WHERE account = 4), 0) || '/' || coalesce((SELECT balance FROM balances WHERE account = 5), 0)"; }
orders() {
	db_sql "SELECT i.union_ || ':' || i.item_key || ':' || coalesce(co.campaign, 0) || ':' || coalesce(co.channel, 0) || ':' || co.fee_source || ':' || co.fee || ':' || co.fee_bucket || ':' || co.fee_amount || ':' || co.month FROM campaign_orders co JOIN items i ON i.id = co.item ORDER BY i.union_, i.item_key" | paste -sd' '
}

expect_eq "jd campaign rows" "$(tk orders import "$F/jd/campaign.json" --format jd)" \
	'{"read":4,"applied":4,"unchanged":0,"rejected":0}'
expect_eq "pdd campaign rows" "$(tk orders import "$F/pdd/campaign.json" --format pdd)" \
	'{"read":3,"applied":3,"unchanged":0,"rejected":0}'
expect_eq "taobao campaign rows" "$(tk orders import "$F/taobao/campaign.json" --format taobao)" \
	'{"read":3,"applied":3,"unchanged":0,"rejected":0}'

# JD: J1 10.00 (rid 880 = channel 1), J2 5.00 (no channel), J3 the head's own
# sale (commission, no fee), J4 3.00 of an unknown cpActId (no campaign).
# PDD: PS-1 100.00 x 60 per mille = 600, PS-3 33.33 x 60 = 199.98 -> 199,
# PS-2 the head's own duoid.  Taobao: TC1 6.00 (relation 9901 = channel 1),
# TC2 4.00 (pub_id 222, unknown), TC3 a 二方 own row in the window of
# campaign 3 (not the ended campaign 4).
expect_eq "fee per order" "$(orders)" \
	"jd:J1#head:1:1:union:1000:1:1000:202611 jd:J2#head:1:0:union:500:1:500:202611 jd:J3:1:0:none:0:1:0:202611 jd:J4#head:0:0:union:300:1:300:202611 pdd:PS-1#head:2:1:rate:600:1:600:202611 pdd:PS-2:2:0:none:0:1:0:202611 pdd:PS-3#head:2:0:rate:199:1:199:202611 taobao:TC1#head:3:1:union:600:1:600:202611 taobao:TC2#head:3:0:union:400:1:400:202611 taobao:TC3:3:0:none:0:1:0:202611"
expect_eq "estimated 1800 + 799 + 1000" "$(svc)" "3599/0"
expect_eq "head rows carry no commission" \
	"$(tk order show jd 'J1#head' --json | jq -c '[.status,.commission,(.splits|length)]')" '["paid",0,0]'
expect_eq "own row split as before" \
	"$(tk order show jd J3 --json | jq -c '[.commission,.splits[0].member,.splits[0].amount]')" '[2000,"alice",1000]'
expect_eq "pdd own row split" "$(tk order show pdd PS-2 --json | jq -c '[.commission,.splits[0].amount]')" '[500,250]'
expect_eq "alice pending: 1000 + 250 + 500" "$(bal alice pending)" "1750"
# the reports count the platform's own sales (J3, PS-2, TC3), not the
# other channels' sales the head earns a fee on
expect_eq "platform orders in the reports" \
	"$(db_sql "SELECT sum(orders) FROM daily_stats WHERE dim = 0")" "3"

# --- the same files again change nothing
for u in jd pdd taobao; do
	expect_eq "$u re-import" "$(tk orders import "$F/$u/campaign.json" --format $u | jq -c '[.applied,.unchanged]')" \
		"[0,$(jq -r 'if .jd_union_open_order_row_query_responce then (.jd_union_open_order_row_query_responce.queryResult|fromjson|.data|length) elif .order_list_get_response then (.order_list_get_response.order_list|length) else (.tbk_order_details_get_response.data.results.publisher_order_dto|length) end' "$F/$u/campaign.json")]"
done
expect_eq "re-import: same balances" "$(svc)" "3599/0"

# --- later states: J1 settled at 9.00, J2 invalid, J3 settled; PS-1
# settled, PS-3 invalid; TC1 settled at 6.00
tk orders import "$F/jd/campaign_later.json" --format jd >/dev/null
tk orders import "$F/pdd/campaign_later.json" --format pdd >/dev/null
tk orders import "$F/taobao/campaign_later.json" --format taobao >/dev/null
expect_eq "settled: estimated J4 300 + TC2 400; settled 900 + 600 + 600" "$(svc)" "700/2100"
item_id() { db_sql "SELECT id FROM items WHERE union_ = '$1' AND item_key = '$2'"; }
codes() { db_sql "SELECT code || ':' || debit || '>' || credit || ':' || amount FROM transfers WHERE item = $(item_id "$1" "$2") ORDER BY id" | paste -sd' '; }
expect_eq "J1: accrued, adjusted to 900, settled" "$(codes jd 'J1#head')" "1:1>4:1000 2:4>1:100 13:4>5:900"
expect_eq "J2: reversed" "$(codes jd 'J2#head')" "1:1>4:500 3:4>1:500"
expect_eq "PS-3: reversed" "$(codes pdd 'PS-3#head')" "1:1>4:199 3:4>1:199"

# --- after settlement: J1's actual fee falls to 4.00, TC1's head share
# refunded by 2.50: clawed back from the settled fee
tk orders import "$F/jd/campaign_clawback.json" --format jd >/dev/null
expect_eq "taobao head refund" "$(tk orders import "$F/taobao/campaign_refund.json" --format taobao-refund)" \
	'{"read":1,"applied":1,"unchanged":0,"rejected":0}'
expect_eq "clawed back 500 + 250" "$(svc)" "700/1350"
expect_eq "J1 clawback" "$(codes jd 'J1#head' | awk '{print $4}')" "6:5>1:500"
expect_eq "TC1 clawback" "$(codes taobao 'TC1#head' | awk '{print $NF}')" "6:5>1:250"
for f in jd/campaign jd/campaign_later jd/campaign_clawback pdd/campaign pdd/campaign_later taobao/campaign taobao/campaign_later; do
	tk orders import "$F/$f.json" --format "${f%%/*}" >/dev/null
done
tk orders import "$F/taobao/campaign_refund.json" --format taobao-refund >/dev/null
expect_eq "every file again: nothing changes" "$(svc)" "700/1350"
expect_eq "audit clean" "$(tk audit --json | jq -c '[.ok, .failed]')" '[true,0]'

# --- the API: campaign orders by filters, paged, CSV, and their totals
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"
items() { body '[.orders[].item] | join(" ")'; }
# the platform's orders list and totals hold its own sales, not the head rows
expect_call "the orders list" 200 GET "/api/v1/order-items?from=2026-11-01&to=2026-11-30&limit=100"
expect_eq "own sales only" "$(body '[.items[].item] | sort | join(" ")')" "J3 PS-2 TC3"
expect_call "the orders totals" 200 GET "/api/v1/order-items/totals?from=2026-11-01&to=2026-11-30"
expect_eq "own sales counted" "$(body '.items')" "3"
expect_call "every campaign order" 200 GET "/api/v1/campaign-orders?limit=100"
conforms "the page" CampaignOrderPage
jq '.orders[0]' "$WORK/body" >"$WORK/row.json" && cp "$WORK/body" "$WORK/page.json"
cp "$WORK/row.json" "$WORK/body" && conforms "a row" CampaignOrderRow && cp "$WORK/page.json" "$WORK/body"
expect_eq "ten, by item id" "$(items)" "J1#head J2#head J3 J4#head PS-1#head PS-2 PS-3#head TC1#head TC2#head TC3"
expect_eq "J1 as listed" "$(body '.orders[0] | [.campaign, .merchant, .channel, .channel_kind, .channel_ref, .fee_source, .fee, .fee_bucket, .fee_amount, .status, .month, .ext_id, .paid_at] | @json')" \
	'[1,1,1,"rid","880","union",400,"settled",400,"settled",202611,"5001","2026-11-05T10:00:00+08:00"]'
expect_call "page 1" 200 GET "/api/v1/campaign-orders?limit=4"
expect_eq "page 1 rows" "$(items)" "J1#head J2#head J3 J4#head"
NEXT=$(body .next)
expect_call "page 2" 200 GET "/api/v1/campaign-orders?limit=4&before=$NEXT"
expect_eq "page 2 rows" "$(items)" "PS-1#head PS-2 PS-3#head TC1#head"
expect_call "by union and head" 200 GET "/api/v1/campaign-orders?union=pdd&head=true"
expect_eq "pdd head rows" "$(items)" "PS-1#head PS-3#head"
expect_call "by channel" 200 GET "/api/v1/campaign-orders?channel=1"
expect_eq "channel 1 (PS-3, TC2: not yet registered)" "$(items)" "J1#head PS-1#head TC1#head"
expect_call "by campaign and status" 200 GET "/api/v1/campaign-orders?campaign=1&status=settled"
expect_eq "campaign 1 settled" "$(items)" "J1#head J3"
expect_call "by merchant and month" 200 GET "/api/v1/campaign-orders?merchant=1&month=2026-11&union=taobao"
expect_eq "merchant 1, November, taobao" "$(items)" "TC1#head TC2#head TC3"
expect_call "by paid days" 200 GET "/api/v1/campaign-orders?from=2026-11-06&to=2026-11-06"
expect_eq "paid 6 November" "$(items)" "PS-1#head PS-2 PS-3#head"
expect_call "another month" 200 GET "/api/v1/campaign-orders?month=2026-10"
expect_eq "none in October" "$(items)" ""
expect_error "bad month" 400 invalid GET "/api/v1/campaign-orders?month=2026-13"
expect_error "bad union" 400 invalid GET "/api/v1/campaign-orders?union=own"
expect_error "bad head" 400 invalid GET "/api/v1/campaign-orders?head=yes"
expect_call "totals" 200 GET "/api/v1/campaign-orders/totals"
conforms "the totals" CampaignOrderTotals
# GMV: J 180+100+400+60 (J1 actual 80.00 after its refund) ... as the items hold
expect_eq "totals figures" "$(body '[.orders, .gmv, .fee_estimated, .fee_settled, .fee_clawed] | @json')" \
	"[10,$(db_sql "SELECT sum(i.amount) FROM campaign_orders co JOIN items i ON i.id = co.item"),700,1350,750]"
expect_call "totals of channel 1" 200 GET "/api/v1/campaign-orders/totals?channel=1"
expect_eq "channel 1: estimated none, settled J1 400 + PS-1 600 + TC1 350, clawed 500 + 250" \
	"$(body '[.orders, .fee_estimated, .fee_settled, .fee_clawed] | @json')" "[3,0,1350,750]"
expect_call "CSV" 200 GET "/api/v1/campaign-orders?format=csv&union=jd"
expect_eq "CSV header and rows" "$(head -1 "$WORK/body" | cut -d, -f1-4),$(wc -l <"$WORK/body")" "union,item,product,head,5"
expect_grep "CSV J4 without campaign" '^jd,J4#head,123,true,,,,channelId,31,' "$WORK/body"
TOKEN=""
expect_call "operators only" 401 GET "/api/v1/campaign-orders"
stop_server

# --- a channel registered later is linked by rematch, without money
db_sql "INSERT INTO promo_channel_ids(channel, union_, kind, value) VALUES (1, 'taobao', 'pub_id', '222'), (1, 'pdd', 'duoid', '55555');" >/dev/null
expect_eq "rematch links two" "$(tk campaign rematch --json | jq -c .linked)" "2"
expect_eq "TC2 linked" "$(db_sql "SELECT coalesce(channel, 0) FROM campaign_orders WHERE item = $(item_id taobao 'TC2#head')")" "1"
expect_eq "rematch moves no money" "$(svc)" "700/1350"
expect_eq "rematch again links none" "$(tk campaign rematch --json | jq -c .linked)" "0"

# a PDD head row of a product not in the campaign yet: no fee until the
# product is registered; then rematch gives it the rate (40.00 x 100 per
# mille) and posts it
jq '.order_list_get_response.order_list |= [.[0] | .order_sn = "PS-9" | .goods_id = 4002 | .order_amount = 4000 | .order_modify_at += 500]' \
	"$F/pdd/campaign.json" >"$WORK/ps9.json"
tk orders import "$WORK/ps9.json" --format pdd >/dev/null
ps9() { db_sql "SELECT coalesce(campaign, 0) || ':' || fee_source || ':' || fee || ':' || fee_bucket || ':' || fee_amount FROM campaign_orders WHERE item = $(item_id pdd 'PS-9#head')"; }
expect_eq "PS-9 unmatched, no fee" "$(ps9)" "0:none:0:1:0"
db_sql "INSERT INTO campaign_items(id, campaign, product, commission_pm, service_pm, status, created_at, updated_at) VALUES (5, 2, '4002', 200, 100, 'approved', 1, 1);" >/dev/null
expect_eq "rematch links PS-9" "$(tk campaign rematch --json | jq -c .linked)" "1"
expect_eq "PS-9 by rate" "$(ps9)" "2:rate:400:1:400"
expect_eq "its fee accrued" "$(svc)" "1100/1350"
expect_eq "audit clean after rematch" "$(tk audit --json | jq -c .ok)" "true"

# --- tampering: a stray transfer on the service account is found
db_sql "INSERT INTO transfers(debit, credit, amount, code, item, at) VALUES (1, 4, 7, 1, $(item_id jd 'J4#head'), 0); UPDATE balances SET balance = balance - 7 WHERE account = 1; UPDATE balances SET balance = balance + 7 WHERE account = 4;" >/dev/null
expect_status "audit finds the tampered fee" 1 tk audit --json
expect_grep "named" "campaign order jd/J4#head: service_estimated holds 307" "$WORK/out"

# --- the rows in reverse order (later states first) end in the same state
export TUIKE_DB
FIRST_DB=$TUIKE_DB
TUIKE_DB=$(db_uri reverse)
standard_plan
tk member add alice --level super >/dev/null
tk tag set alice jd subUnionId m-alice >/dev/null
tk tag set alice pdd uid m-alice >/dev/null
tk tag set alice taobao relation_id 8002 >/dev/null
seed
for f in taobao/campaign_later pdd/campaign_later jd/campaign_later taobao/campaign pdd/campaign jd/campaign; do
	tk orders import "$F/$f.json" --format "${f%%/*}" >/dev/null
done
expect_eq "reverse order: settled state" "$(svc)" "700/2100"
REV=$(orders)
TUIKE_DB=$(db_uri forward)
standard_plan
tk member add alice --level super >/dev/null
tk tag set alice jd subUnionId m-alice >/dev/null
tk tag set alice pdd uid m-alice >/dev/null
tk tag set alice taobao relation_id 8002 >/dev/null
seed
for f in jd/campaign pdd/campaign taobao/campaign jd/campaign_later pdd/campaign_later taobao/campaign_later; do
	tk orders import "$F/$f.json" --format "${f%%/*}" >/dev/null
done
expect_eq "forward and reverse orders agree" "$(orders)" "$REV"
expect_eq "reverse audit clean" "$(tk audit --json | jq -c .ok)" "true"
# --- the sync path: the mock union serves the JD campaign rows
TUIKE_DB=$(db_uri synced)
standard_plan
tk member add alice --level super >/dev/null
tk tag set alice jd subUnionId m-alice >/dev/null
seed
jq '{jd: (.jd_union_open_order_row_query_responce.queryResult | fromjson | .data),
	keys: {jd: ["jd-key", "jd-secret"]}}' "$F/jd/campaign.json" >"$WORK/campaign_orders.json"
start_mock campaign "$WORK/campaign_orders.json"
write_conf "$WORK/sync.conf" "$MOCK_PORT"
expect_status "sync jd" 0 env TUIKE_NOW=2026-11-05T04:00:00Z "$TUIKE" sync jd --config "$WORK/sync.conf" \
	--since 2026-11-05T01:00:00Z
expect_eq "synced: the JD head fees estimated" "$(svc)" "1800/0"
expect_eq "synced orders as imported" "$(orders)" \
	"jd:J1#head:1:1:union:1000:1:1000:202611 jd:J2#head:1:0:union:500:1:500:202611 jd:J3:1:0:none:0:1:0:202611 jd:J4#head:0:0:union:300:1:300:202611"
# --- two head rows of the same time and status: the larger fee wins,
# whichever comes first (a head row's commission is 0, its fee decides)
tie() { # ID FEE: J1's row as ID at 2026-11-06 09:00 with estimateFee FEE
	jq --arg id "$1" --argjson fee "$2" '.jd_union_open_order_row_query_responce.queryResult |= (fromjson
	  | .data = [.data[0] | .id = $id | .modifyTime = "2026-11-06 09:00:00" | .estimateFee = $fee] | tojson)' \
		"$F/jd/campaign.json" >"$WORK/tie-$1-$2.json"
	tk orders import "$WORK/tie-$1-$2.json" --format jd | jq -c '[.applied,.unchanged]'
}
fee_of() { db_sql "SELECT co.fee FROM campaign_orders co JOIN items i ON i.id = co.item WHERE i.union_ = 'jd' AND i.item_key = '$1'"; }
expect_eq "tie A: 2.00 first" "$(tie T1 2)" "[1,0]"
expect_eq "tie A: then 3.00 at the same time applies" "$(tie T1 3)" "[1,0]"
expect_eq "tie B: 3.00 first" "$(tie T2 3)" "[1,0]"
expect_eq "tie B: then 2.00 at the same time is stale" "$(tie T2 2)" "[0,1]"
expect_eq "same fee whatever the order" "$(fee_of 'T1#head')/$(fee_of 'T2#head')" "300/300"
expect_eq "tie audit clean" "$(tk audit --json | jq -c .ok)" "true"
# --- a PDD row of goods in someone else's 招商 plan (zs_duo_id 99000, no
# campaign here has it) promoted by the platform's own duoid: the
# platform's own sale, its commission split as ever, no head row
jq '.order_list_get_response.order_list = [.order_list_get_response.order_list[1]
	| .order_sn = "PX-1" | .zs_duo_id = 99000]' "$F/pdd/campaign.json" >"$WORK/px.json"
tk tag set alice pdd uid m-alice >/dev/null
before=$(bal alice pending)
tk orders import "$WORK/px.json" --format pdd >/dev/null
expect_eq "someone else's plan: an own sale" \
	"$(tk order show pdd PX-1 --json | jq -c '[.commission, .splits[0].member, .splits[0].amount]')" '[500,"alice",250]'
expect_eq "... and no head row" "$(db_sql "SELECT count(*) FROM items WHERE item_key = 'PX-1#head'")" "0"
expect_eq "alice's share added" "$(($(bal alice pending) - before))" "250"
tk orders import "$WORK/px.json" --format pdd >/dev/null
expect_eq "the same row again changes nothing" "$(($(bal alice pending) - before))" "250"
expect_eq "audit clean with it" "$(tk audit --json | jq -c .ok)" "true"
TUIKE_DB=$FIRST_DB

finish

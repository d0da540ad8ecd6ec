#!/usr/bin/env bash
# promo_registry.sh — the promotion head's registry end to end, through the
# command line and the API: merchants and their shops (a shop is one
# merchant's: the second is refused naming the first), campaigns and their
# status machine, products one by one and from a product sheet (all or
# nothing, errors naming file, line, field and value), exact rates ("20.5"
# taken, "20.55" refused), a create answered once per Idempotency-Key, and
# slot fees: booking posts one transfer naming the fee, waiving reverses it,
# the audit stays clean — and names a slot transfer that was tampered with.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-12-01T10:00:00+08:00
standard_plan
# partner channels belong to the channels' registry: two rows by hand
db_sql "INSERT INTO promo_channels(id, name, kind, created_at, updated_at)
	VALUES (1, '达人小美', 'talent', 0, 0), (2, 'App B', 'app', 0, 0)" >/dev/null

# --- the command line
expect_eq "a merchant" "$(tk merchant add '好物旗舰店' --contact 王经理 --phone 13800000000 --json | jq -r '[.id, .name, .state] | join(" ")')" "1 好物旗舰店 active"
tk merchant add 'Other Co' >/dev/null
expect_eq "a shop" "$(tk merchant shop 1 jd 10086 '好物京东店' --json | jq -r '.union + "/" + .shop')" "jd/10086"
expect_status "a shop of another merchant's" 1 tk merchant shop 2 jd 10086
expect_grep "the refusal names the shop and its merchant" 'jd/10086 belongs to merchant 1 \(好物旗舰店\)' "$WORK/err"
expect_status "an unknown union" 2 tk merchant shop 1 own 1
expect_eq "the merchant's shops" "$(tk merchant show 1 | jq -r '[.shops[].shop] | join(",")')" "10086"
expect_eq "name search" "$(tk merchant list --q Other --json | jq -r '[.merchants[].id] | join(",")')" "2"

expect_status "a reversed promotion window" 2 tk campaign add 1 jd '双12' --promote 2026-12-31..2026-12-01
expect_grep "the window error names the field" 'promote_to' "$WORK/err"
expect_status "a JD id that is not digits" 2 tk campaign add 1 jd '双12' --promote 2026-12-01..2026-12-31 --ext abc
expect_status "an application window after the promotion" 2 tk campaign add 1 jd '双12' --promote 2026-12-01..2026-12-12 --apply 2026-12-01..2026-12-20
C=$(tk campaign add 1 jd '双12 好物' --promote 2026-12-01..2026-12-12 --apply 2026-11-20..2026-12-05 --ext 778899 --json)
expect_eq "a campaign, pending" "$(jq -r '[.id, .status, .promote_from, .promote_to] | join(" ")' <<<"$C")" \
	"1 pending 2026-12-01T00:00:00+08:00 2026-12-12T23:59:59+08:00"
expect_status "a rate finer than per mille" 2 tk campaign item 1 P1 --commission 20.55 --service 5
expect_grep "the rate error names field and value" 'commission_permille.*20\.55' "$WORK/err"
expect_eq "a product at 20.5 %" "$(tk campaign item 1 P1 --commission 20.5 --service 50 --price 9900 --title 保温杯 --json | jq -r '[.commission_permille, .service_fee_permille, .price_fen, .status] | join(" ")')" "205 50 9900 pending"
expect_eq "the same product again: changed" "$(tk campaign item 1 P1 --commission 210 --service 50)" "changed product P1 of campaign 1"

# a product sheet: all or nothing
printf 'product,title,category,price_fen,commission_permille,service_fee_permille,coupon_fen,coupon_url\nP2,"杯子, 大号",家居,1990,20.5,50,500,\nP3,碗,家居,990,300,20.55,0,\n' >"$WORK/bad.csv"
expect_status "a sheet with a bad rate" 2 tk campaign items 1 "$WORK/bad.csv"
expect_grep "the error names file, line, field and value" 'bad\.csv:3: service_fee_permille: .*20\.55' "$WORK/err"
expect_eq "nothing of it was written" "$(db_sql "SELECT count(*) FROM campaign_items")" "1"
printf 'product,commission_permille,service_fee_permille\nP2,1,2\nP2,1,2\n' >"$WORK/dup.csv"
expect_status "a product twice in a sheet" 2 tk campaign items 1 "$WORK/dup.csv"
expect_grep "the duplicate's line" 'dup\.csv:3: product' "$WORK/err"
printf 'product,title,category,price_fen,commission_permille,service_fee_permille,coupon_fen,coupon_url\nP1,保温杯,家居,9900,20%%,50,0,\nP2,"杯子, 大号",家居,1990,20.5,50,500,https://u.jd.com/x\n' >"$WORK/good.csv"
expect_eq "a good sheet" "$(tk campaign items 1 "$WORK/good.csv" --json | jq -c '[.added, .changed]')" "[1,1]"
expect_eq "the quoted title" "$(tk campaign show 1 | jq -r '.items[] | select(.product == "P2") | .title + "|" + (.commission_permille | tostring)')" "杯子, 大号|205"
printf 'product,commission_permille\nP9,1\n' >"$WORK/nocol.csv"
expect_status "a sheet without the service column" 2 tk campaign items 1 "$WORK/nocol.csv"

expect_status "pending to ended is no move" 1 tk campaign status 1 ended
expect_grep "the refusal names both statuses" 'from pending to ended' "$WORK/err"
expect_eq "approved" "$(tk campaign status 1 approved --reason '资料齐全')" "campaign 1 approved"
expect_eq "the reason is in the action log" "$(tk actions --subject campaign:1 --what campaign.status --json | jq -r '.after.reason')" "资料齐全"
expect_status "an approved campaign takes products" 0 tk campaign item 1 P2 --commission 1 --service 1

# --- the API
OPS=$(tk apikey create console --role operations 2>/dev/null)
VIEW=$(tk apikey create viewer --role viewer 2>/dev/null)
FIN=$(tk apikey create books --role finance 2>/dev/null)
start_server --access-log off
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
# expect_key WHAT STATUS KEY METHOD PATH [BODY]: an error answer with its message key
expect_key() {
	local what=$1 want=$2 key=$3
	shift 3
	expect_call "$what" "$want" "$@"
	expect_eq "$what: error key" "$(body '.error.key')" "$key"
}
TOKEN=$VIEW
expect_call "a viewer reads merchants" 200 GET /api/v1/merchants
conforms "a merchant page" MerchantPage
expect_error "a viewer may not add one" 403 forbidden_role POST /api/v1/merchants '{"name":"x"}'
TOKEN=$OPS
EXTRA=(-H 'Idempotency-Key: m-create-1')
expect_call "a merchant over the API" 201 POST /api/v1/merchants '{"name":"甜蜜食品","contact":"李"}'
conforms "a merchant" Merchant
M=$(body .id)
expect_call "the same create again" 201 POST /api/v1/merchants '{"name":"甜蜜食品","contact":"李"}'
expect_eq "answered once" "$(body .id)" "$M"
EXTRA=()
expect_eq "one merchant made" "$(db_sql "SELECT count(*) FROM merchants WHERE name = '甜蜜食品'")" "1"
expect_call "terms on two lines" 200 PATCH "/api/v1/merchants/$M" '{"terms":"月结\n账期 30 天"}'
expect_eq "kept with the line break" "$(body .terms)" "$(printf '月结\n账期 30 天')"
expect_key "a bell in a note" 400 field.control_chars PATCH "/api/v1/merchants/$M" '{"note":"a\u0007b"}'
expect_key "a name too long" 400 promo.length POST /api/v1/merchants "{\"name\":\"$(printf 'x%.0s' $(seq 129))\"}"
expect_call "archive the other" 200 PATCH /api/v1/merchants/2 '{"state":"archived"}'
expect_eq "archived" "$(body .state)" "archived"
expect_key "no campaign for an archived merchant" 409 promo.merchant_archived POST /api/v1/campaigns '{"merchant":2,"union":"pdd","name":"x","promote_from":"2026-12-01","promote_to":"2026-12-02"}'
expect_call "a shop" 201 POST "/api/v1/merchants/$M/shops" '{"union":"pdd","shop":"S-1","name":"甜蜜拼多多店"}'
conforms "a shop" Shop
expect_key "the same shop for merchant 1" 409 promo.shop_taken POST /api/v1/merchants/1/shops '{"union":"pdd","shop":"S-1"}'
expect_eq "the error names the shop's merchant" "$(body .error.params.merchant)" "$M"
expect_call "remove it" 200 DELETE "/api/v1/merchants/$M/shops/pdd/S-1"
expect_error "remove it again" 404 not_found DELETE "/api/v1/merchants/$M/shops/pdd/S-1"

expect_key "a reversed window" 400 promo.window POST /api/v1/campaigns "{\"merchant\":$M,\"union\":\"pdd\",\"name\":\"年货\",\"promote_from\":\"2027-01-20\",\"promote_to\":\"2027-01-10\"}"
expect_call "a campaign" 201 POST /api/v1/campaigns "{\"merchant\":$M,\"union\":\"pdd\",\"name\":\"年货节\",\"promote_from\":\"2027-01-10\",\"promote_to\":\"2027-01-20\",\"ext_id\":\"zs-55\"}"
conforms "a campaign" Campaign
K=$(body .id)
expect_call "pdd campaigns" 200 GET "/api/v1/campaigns?union=pdd"
conforms "a campaign page" CampaignPage
expect_eq "only pdd" "$(body '[.campaigns[].id] | join(",")')" "$K"
expect_eq "the listing names the merchant" "$(body '.campaigns[0] | [.merchant, .merchant_name] | join(" ")')" "$M 甜蜜食品"
expect_call "by promotion dates" 200 GET "/api/v1/campaigns?from=2026-12-10&to=2026-12-11"
expect_eq "the December one" "$(body '[.campaigns[].id] | join(",")')" "1"
expect_key "a rate of 20.55" 400 promo.rate PUT "/api/v1/campaigns/$K/items/G1" '{"commission_permille":"20.55","service_fee_permille":30}'
expect_eq "the error names the value" "$(body .error.params.value)" "20.55"
expect_call "a product" 200 PUT "/api/v1/campaigns/$K/items/G1" '{"commission_permille":"20.5","service_fee_permille":30,"price_fen":5900}'
conforms "a product" CampaignItem
expect_eq "new, 205 per mille" "$(body '[.created, .commission_permille] | @json')" "[true,205]"
expect_call "rewritten" 200 PUT "/api/v1/campaigns/$K/items/G1" '{"commission_permille":200,"service_fee_permille":30}'
expect_eq "not new" "$(body .created)" "false"
expect_call "approve the product" 200 POST "/api/v1/campaigns/$K/items/G1/status" '{"status":"approved"}'
expect_key "an approved product stays" 409 promo.item_not_pending DELETE "/api/v1/campaigns/$K/items/G1"
expect_call "a pending one goes" 200 PUT "/api/v1/campaigns/$K/items/G2" '{"commission_permille":1,"service_fee_permille":1}'
expect_call "removed" 200 DELETE "/api/v1/campaigns/$K/items/G2"
expect_key "a pasted sheet with a bad rate" 400 promo.rate POST "/api/v1/campaigns/$K/items/import" '{"name":"货盘.csv","csv":"product,commission_permille,service_fee_permille\nG3,20.5,3\nG4,1,20.55\n"}'
expect_eq "it names file and line" "$(body .error.message | grep -c '货盘.csv:3')" "1"
expect_eq "the line as a param" "$(body .error.params.line)" "3"
expect_call "a pasted sheet" 200 POST "/api/v1/campaigns/$K/items/import" '{"csv":"product,title,commission_permille,service_fee_permille\nG3,碗,20.5,3\nG1,杯,200,30\n"}'
conforms "an import" CampaignItemsImported
expect_eq "one added, one changed" "$(body '[.added, .changed] | @json')" "[1,1]"
expect_call "G3 goes again" 200 DELETE "/api/v1/campaigns/$K/items/G3"
expect_key "an illegal status move" 409 promo.status_move POST "/api/v1/campaigns/$K/status" '{"status":"ended"}'
expect_call "rejected" 200 POST "/api/v1/campaigns/$K/status" '{"status":"rejected","reason":"材料不全"}'
expect_call "applied again" 200 POST "/api/v1/campaigns/$K/status" '{"status":"pending"}'
expect_eq "pending again" "$(body .status)" "pending"

# --- slot fees and the ledger
expect_key "an unknown channel" 404 promo.unknown_channel POST "/api/v1/campaigns/$K/slot-fees" '{"channel":9,"amount_fen":100}'
expect_call "a slot fee" 201 POST "/api/v1/campaigns/$K/slot-fees" '{"channel":1,"amount_fen":50000,"note":"首页坑位"}'
conforms "a slot fee" SlotFee
S1=$(body .id)
expect_eq "the booking names channel, campaign and merchant" "$(body '[.channel_name, .campaign_name, .merchant] | join(" ")')" "达人小美 年货节 $M"
expect_key "the same channel twice" 409 promo.slot_taken POST "/api/v1/campaigns/$K/slot-fees" '{"channel":1,"amount_fen":1}'
expect_call "another" 201 POST "/api/v1/campaigns/$K/slot-fees" '{"channel":2,"amount_fen":20000}'
S2=$(body .id)
expect_eq "one transfer books the fee" "$(db_sql "SELECT code, debit, credit, amount FROM transfers WHERE slot = $S1")" "14|6|7|50000"
# collecting is money work too: finance collects, but books and waives nothing
TOKEN=$FIN
expect_error "finance does not book" 403 forbidden_role POST "/api/v1/campaigns/$K/slot-fees" '{"channel":2,"amount_fen":1}'
expect_error "nor waive" 403 forbidden_role POST "/api/v1/slot-fees/$S2/waive"
expect_call "finance collects" 200 POST "/api/v1/slot-fees/$S1/collect"
expect_eq "collected, no new transfer" "$(body .state) $(db_sql "SELECT count(*) FROM transfers WHERE slot = $S1")" "collected 1"
expect_eq "the action log names finance's key" "$(tk actions --what slot_fee.collect --json | jq -r .role)" "finance"
TOKEN=$OPS
expect_call "waived" 200 POST "/api/v1/slot-fees/$S2/waive"
expect_eq "the waiver reverses the booking" "$(db_sql "SELECT code || ':' || debit || '>' || credit || ':' || amount FROM transfers WHERE slot = $S2 ORDER BY id" | paste -sd' ')" "14:6>7:20000 15:7>6:20000"
expect_key "a waived fee is not collected" 409 promo.slot_waived POST "/api/v1/slot-fees/$S2/collect"
expect_key "nor waived twice" 409 promo.slot_waived POST "/api/v1/slot-fees/$S2/waive"
expect_call "the campaign with its fees" 200 GET "/api/v1/campaigns/$K"
expect_eq "its totals" "$(body '.slot_totals | [.booked_fen, .collected_fen, .waived_fen] | @json')" "[0,50000,20000]"
expect_eq "its products" "$(body '[.items[].product] | join(",")')" "G1"
expect_eq "its merchant's name" "$(body .merchant_name)" "甜蜜食品"
expect_eq "its fees name their channels" "$(body '[.slot_fees[].channel_name] | join(",")')" "App B,达人小美"
expect_call "slot fees of the merchant" 200 GET "/api/v1/slot-fees?merchant=$M&state=waived"
conforms "a slot fee page" SlotFeePage
expect_eq "the waived one" "$(body '[.slot_fees[].id] | join(",")')" "$S2"
expect_eq "named in the listing" "$(body '.slot_fees[0] | [.channel_name, .campaign_name, .merchant] | join(" ")')" "App B 年货节 $M"
expect_eq "the slot account holds the fee collected" "$(db_sql "SELECT balance FROM balances WHERE account = 7")" "50000"
expect_eq "the CLI books too" "$(tk campaign slot 1 2 3000)" "slot fee 3: 3000 fen booked"
expect_status "the audit is clean" 0 tk audit
expect_eq "the action log has the bookings" "$(tk actions --what slot_fee.book --json | wc -l)" "3"
expect_eq "campaign 1 ended" "$(tk campaign status 1 ended)" "campaign 1 ended"
expect_status "an ended campaign takes no products" 1 tk campaign item 1 P7 --commission 1 --service 1
expect_grep "it says so" 'campaign 1 has ended' "$WORK/err"

# a slot transfer posted behind the registry's back is named
db_sql "INSERT INTO transfers(id, debit, credit, amount, code, item, withdrawal, at, slot)
	SELECT max(id) + 1, 6, 7, 999, 14, NULL, NULL, 0, $S2 FROM transfers" >/dev/null
expect_status "the audit fails" 1 tk audit
tk audit --json >"$WORK/audit.json" 2>/dev/null || true
expect_grep "it names the slot fee" "slot fee $S2 \\(waived, 20000 fen\\): the ledger holds 999" "$WORK/audit.json"
stop_server
finish

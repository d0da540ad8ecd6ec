#!/usr/bin/env bash
# channel_match.sh — the head's partner channels and channel matching end
# to end: channels added by command and API, union ids (one held by another
# channel refused naming it; adding one links the campaign orders stored
# under it before), a constructed history seeded into the tables (items
# imported from an order file, campaign orders referencing them), and the
# ranking for a pet-food campaign product: the brushed channel has the most
# raw sales yet ranks below the honest ones, its flag.* reasons asserted
# exactly; the reverse (products for a channel) and a channel's history.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-20T10:00:00+08:00
NOW=$(date -u -d 2026-11-20T02:00:00Z +%s)
standard_plan

# --- the orders: S strong (25 pet orders at 50 yuan on 25 days, one refunded),
# W weak (5 pet orders at 300 yuan, 2 never paid), B brushed (60 pet orders at
# 50 yuan, one an hour, 20 of them refunded on one day)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S+00:00; }
line() { # ITEM STATUS PAID MODIFIED AMOUNT
	local paid=null
	[ "$3" != 0 ] && paid="\"$(iso "$3")\""
	printf '{"union":"jd","item":"%s","order":"%s","status":"%s","modified_at":"%s","paid_at":%s,"settled_at":null,"amount":%s,"commission":100,"quantity":1,"product":"p-pet","title":"t","buyer":null,"member":null,"link":null}\n' \
		"$1" "$1" "$2" "$(iso "$4")" "$paid" "$5"
}
{
	for i in $(seq 25); do
		t=$((NOW - (50 - i) * 86400))
		if [ "$i" = 25 ]; then line "S-$i" invalid "$t" $((t + 3600)) 5000; else line "S-$i" paid "$t" "$t" 5000; fi
	done
	for i in $(seq 5); do t=$((NOW - i * 86400)); line "W-$i" paid "$t" "$t" 30000; done
	for i in 6 7; do line "W-$i" unpaid 0 $((NOW - 3600)) 30000; done
	SPIKE=$((NOW - 5 * 86400))
	for i in $(seq 60); do
		t=$((NOW - 10 * 86400 + i * 3600))
		if [ "$i" -le 20 ]; then line "B-$i" invalid "$t" "$SPIKE" 5000; else line "B-$i" paid "$t" "$t" 5000; fi
	done
} >"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" --format jsonl >/dev/null
expect_eq "92 items imported" "$(db_sql "SELECT count(*) FROM items")" "92"

# --- a merchant, an open campaign with a pet and a toy product, a pending one
db_sql "INSERT INTO merchants(name, created_at, updated_at) VALUES ('Petco', 0, 0);
INSERT INTO campaigns(merchant, union_, name, status, promote_from, promote_to, created_at, updated_at)
 VALUES (1, 'jd', 'Nov pets', 'approved', $((NOW - 864000)), $((NOW + 864000)), 0, 0),
        (1, 'jd', 'Dec pets', 'pending', $((NOW - 864000)), $((NOW + 864000)), 0, 0);
INSERT INTO campaign_items(campaign, product, title, category, price, commission_pm, service_pm, status, created_at, updated_at)
 VALUES (1, 'p-pet', 'Cat food 2kg', 'pet', 5000, 200, 60, 'approved', 0, 0),
        (1, 'p-toy', 'Ball', 'toys', 2000, 200, 50, 'approved', 0, 0),
        (2, 'p-pet2', 'Dog food', 'pet', 5000, 200, 60, 'approved', 0, 0);" >/dev/null
# the campaign orders as the feeds store them: under the channel's id, no channel yet
co() { # PREFIX REF BUYER_SQL CLICK_BEFORE_ORDER
	db_sql "INSERT INTO campaign_orders(item, union_, head, campaign, campaign_item, channel_kind,
 channel_ref, category, buyer, clicked_at, ordered_at, month, updated_at)
 SELECT id, 'jd', 1, 1, 1, 'rid', '$2', 'pet', $3,
  CASE WHEN paid_at > 0 AND $4 > 0 THEN paid_at - 600 - $4 ELSE 0 END,
  CASE WHEN paid_at > 0 THEN paid_at - 600 ELSE first_seen_at END, 202611, 0
 FROM items WHERE item_key LIKE '$1-%'" >/dev/null
}
co S R-S "'s' || id" 600
co W R-W "'w' || id" 0
co B R-B "'x' || (id % 3)" 5

# --- channels by command and by API
tk channel add PetTeam team --categories pet,猫粮 >/dev/null
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server --access-log off
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN=$OPS
expect_call "a channel by API" 201 POST /api/v1/channels '{"name":"SmallGuide","kind":"guide"}'
conforms "a channel" Channel
EXTRA=(-H "Idempotency-Key: hot-1")
expect_call "the brushed one" 201 POST /api/v1/channels '{"name":"HotAnchor","kind":"talent","categories":["pet"]}'
expect_call "the same request again" 201 POST /api/v1/channels '{"name":"HotAnchor","kind":"talent","categories":["pet"]}'
EXTRA=()
expect_eq "one HotAnchor" "$(db_sql "SELECT count(*) FROM promo_channels WHERE name = 'HotAnchor'")" "1"
tk channel add NewZhihu zhihu --categories pet >/dev/null
tk channel add Shady other --categories pet >/dev/null
tk channel set 5 --state blocked >/dev/null
expect_call "a bad kind" 400 POST /api/v1/channels '{"name":"x","kind":"tv"}'
expect_eq "its key" "$(body .error.key)" "channel.kind"
expect_call "33 categories" 400 POST /api/v1/channels "{\"name\":\"x\",\"kind\":\"app\",\"categories\":$(jq -cn '[range(33)|tostring]')}"
expect_eq "said as a limit" "$(body "[.error.code, .error.key] | @json")" '["limit_exceeded","channel.categories_too_many"]'
expect_call "a comma in a category" 400 PATCH /api/v1/channels/1 '{"categories":["a,b"]}'
expect_call "an empty name" 400 PATCH /api/v1/channels/1 '{"name":""}'
expect_eq "said as required" "$(body '[.error.key, .error.field] | @json')" '["field.required","name"]'
expect_call "an unknown channel" 404 PATCH /api/v1/channels/99 '{"note":"x"}'
expect_eq "its key" "$(body .error.key)" "channel.unknown"
expect_call "the list, pet channels" 200 GET "/api/v1/channels?category=pet&state=active"
conforms "a page" ChannelPage
expect_eq "newest first" "$(body '[.channels[].name] | join(",")')" "NewZhihu,HotAnchor,PetTeam"
expect_call "by name" 200 GET "/api/v1/channels?name=Guide"
expect_eq "SmallGuide" "$(body '[.channels[].id] | @json')" "[2]"

# --- union ids: linking the orders stored before, a conflict named
expect_eq "nothing linked yet" "$(db_sql "SELECT count(*) FROM campaign_orders WHERE channel IS NOT NULL")" "0"
expect_eq "PetTeam's rid links its 25 orders" "$(tk channel id 1 jd rid R-S | jq .linked_orders)" "25"
expect_call "SmallGuide's rid" 201 POST /api/v1/channels/2/ids '{"union":"jd","kind":"rid","value":"R-W"}'
expect_eq "7 linked" "$(body .linked_orders)" "7"
conforms "an id added" ChannelIdAdded
expect_call "PetTeam's rid for another" 409 POST /api/v1/channels/3/ids '{"union":"jd","kind":"rid","value":"R-S"}'
expect_eq "refused naming the holder" "$(body '[.error.key, .error.params.channel, .error.params.name] | @json')" '["channel.id_taken",1,"PetTeam"]'
expect_call "a kind of another union" 400 POST /api/v1/channels/3/ids '{"union":"jd","kind":"duoid","value":"1"}'
expect_call "HotAnchor's rid" 201 POST /api/v1/channels/3/ids '{"union":"jd","kind":"rid","value":"R-B"}'
expect_eq "60 linked" "$(body .linked_orders)" "60"
expect_call "a spare id" 201 POST /api/v1/channels/3/ids '{"union":"pdd","kind":"duoid","value":"9"}'
expect_call "removed" 200 DELETE /api/v1/channels/3/ids/pdd/duoid/9
expect_call "removed again" 404 DELETE /api/v1/channels/3/ids/pdd/duoid/9
expect_eq "linked per channel" "$(db_sql "SELECT channel, count(*) FROM campaign_orders GROUP BY channel ORDER BY channel" | tr '\n' ' ')" "1|25 2|7 3|60 "
db_sql "INSERT INTO slot_fees(campaign, channel, amount, booked_at) VALUES (1, 3, 30000000, $NOW)" >/dev/null
expect_eq "each change in the action log" "$(db_sql "SELECT what FROM actions WHERE subject = 'channel:3' ORDER BY id" | tr '\n' ' ')" \
	"channel.create channel.id_add channel.id_add channel.id_remove "

# --- matching the pet product (hand-worked; see docs/promotion-head.md):
#   PetTeam 25*10 + 25*5 + 100 = 475, all paid, 1 of 25 refunded: 475*960/1000 = 456
#   NewZhihu: no history, declares pet: 100
#   SmallGuide: 5 pet orders out of the band, not declared: 50, paid 5 of 7 (714 ‰): 35
#   HotAnchor: 60*10 + 60*5 + 100 = 1000, 20 of 60 refunded: 666 — first on raw sales —
#     then four marks (3 buyers, 5 s after the click, 20 refunds on one day, a
#     300,000 yuan slot fee for 2,000 yuan of sales): 666/4/4/4/4 = 2
#   Shady is blocked: left out
expect_call "the ranking" 200 GET /api/v1/campaign-items/1/channels
conforms "a ranking" ChannelMatch
expect_eq "order and scores" "$(body '[.channels[] | "\(.name):\(.score)"] | join(" ")')" \
	"PetTeam:456 NewZhihu:100 SmallGuide:35 HotAnchor:2"
expect_eq "the brushed one's reasons" "$(body '.channels[3].reasons | map(.key) | join(" ")')" \
	"match.declared_category match.category_sales match.price_band match.conversion match.refund_rate flag.few_buyers flag.fast_orders flag.refund_spike flag.slot_roi"
expect_eq "its marks' figures" "$(body '.channels[3].reasons[5:] | map(.params) | @json')" \
	'[{"top3_share_permille":1000,"orders":60},{"fast":60,"timed":60,"seconds":15},{"day_refunds":20,"refunded":20},{"slot_fen":30000000,"gmv_fen":200000}]'
expect_eq "the most raw sales" "$(body '.channels[3].figures.category_orders')" "60"
expect_eq "PetTeam's reasons" "$(body '.channels[0].reasons | map(.key + (.params | to_entries | map("," + .key + "=" + (.value|tostring)) | join(""))) | join(" ")')" \
	"match.declared_category match.category_sales,orders=25,gmv_fen=125000 match.price_band,orders=25,gmv_fen=125000 match.conversion,paid=25,placed=25 match.refund_rate,refunded=1,orders=25"
expect_eq "SmallGuide's conversion" "$(body '.channels[2].reasons | map(select(.key == "match.conversion"))[0].params | @json')" '{"paid":5,"placed":7}'
expect_eq "NewZhihu" "$(body '.channels[1].reasons | map(.key) | join(" ")')" "match.declared_category match.no_history match.no_union_id"
expect_call "a window too short" 400 GET "/api/v1/campaign-items/1/channels?days=6"
expect_call "an unknown product" 404 GET /api/v1/campaign-items/99/channels
expect_eq "its key" "$(body .error.key)" "campaign_item.unknown"
# PetTeam paused: shown last
tk channel set 1 --state paused >/dev/null
expect_eq "the paused one last (CLI)" "$(tk channel match 1 --json | jq -r '[.channels[].name] | join(" ")')" \
	"NewZhihu SmallGuide HotAnchor PetTeam"
tk channel set 1 --state active >/dev/null
expect_eq "the text form" "$(tk channel match 1 | head -1)" \
	"1	456	PetTeam	match.declared_category match.category_sales{orders=25,gmv_fen=125000} match.price_band{orders=25,gmv_fen=125000} match.conversion{paid=25,placed=25} match.refund_rate{refunded=1,orders=25}"

# --- the reverse: PetTeam's products (pet in the open campaign only):
#   100 declared + 25*10 sold + 50 (its 50 yuan fits) + 60/10 = 406
expect_call "PetTeam's products" 200 GET /api/v1/channels/1/products
conforms "products" ChannelProducts
expect_eq "one product, scored" "$(body '[.avg_price_fen, (.products | map("\(.id):\(.score)"))] | @json')" '[5000,["1:406"]]'
expect_eq "its reasons" "$(body '.products[0].reasons | map(.key) | join(" ")')" \
	"match.declared_category match.category_sales match.price_fit match.service_fee"
expect_eq "SmallGuide sold pet: 50 + 6 (its 300 yuan does not fit 50)" "$(tk channel suits 2 --json | jq -c '[.products[] | [.id, .score]]')" "[[1,56]]"

# --- history
expect_call "HotAnchor's history" 200 GET /api/v1/channels/3/history
conforms "a history" ChannelHistory
expect_eq "one month" "$(body '.months | @json')" '[{"month":202611,"orders":60,"paid":60,"gmv_fen":300000,"service_fee_fen":0,"refunded":20}]'
expect_eq "its slot fee" "$(body '.slot_fees | map([.campaign_name, .amount_fen, .state]) | @json')" '[["Nov pets",30000000,"booked"]]'

# --- roles: a viewer reads, may not write
VIEW=$(tk apikey create viewer --role viewer 2>/dev/null)
TOKEN=$VIEW
expect_call "a viewer reads" 200 GET /api/v1/channels/1
expect_call "a viewer may not add" 403 POST /api/v1/channels '{"name":"v","kind":"app"}'
finish

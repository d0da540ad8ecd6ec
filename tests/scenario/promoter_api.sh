#!/usr/bin/env bash
# promoter_api.sh — what the promoter page reads beyond the basics: the
# library's categories for its tabs, ledger entries carrying the order
# row's product, title and amount, and the way to the next level (each
# condition of its rule with the member's figure and what is missing).
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T12:00:00+08:00

cat >"$WORK/rules.json" <<'JSON'
{"name":"rules","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"hold_days":7,"default_level":"member","downgrade":"never",
 "levels":[{"key":"member","rate_bps":3000,"can_share":true},
  {"key":"super","name":"超级会员","rate_bps":5000,"upgrade":{"match":"any","conditions":[
    {"kind":"direct_invites","min":2},{"kind":"own_gmv","days":30,"min":50000}]}},
  {"key":"mentor","rate_bps":7000,"upgrade":{"match":"all","conditions":[
    {"kind":"team_size","min":4},{"kind":"direct_at_level","level":"super","min":2}]}},
  {"key":"partner","rate_bps":8000}]}
JSON
tk init >/dev/null
tk plan set "$WORK/rules.json" >/dev/null
tk products import "$TUIKE_FIXTURES/products/catalog.jsonl" >/dev/null
tk member add r >/dev/null
tk member add a --parent r >/dev/null
tk member add a1 --parent a >/dev/null
tk member add b --parent r >/dev/null
printf '%s\n' \
	'{"union":"jd","item":"J1-1","order":"J1","status":"paid","modified_at":"2026-11-15T10:00:00+08:00","paid_at":"2026-11-15T10:00:00+08:00","amount":12300,"commission":1230,"quantity":1,"product":"100000000001","title":"海飞丝去屑洗发水 400ml","buyer":"x1","member":"a"}' \
	'{"union":"jd","item":"J2-1","order":"J2","status":"paid","modified_at":"2026-11-16T10:00:00+08:00","paid_at":"2026-11-16T10:00:00+08:00","amount":4990,"commission":500,"quantity":1,"product":"100000000002","title":"","buyer":"x2","member":"a"}' \
	>"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" >/dev/null

OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"
expect_call "a's password" 200 PUT /api/v1/members/a/password '{"password":"correct horse"}'
expect_call "a logs in" 200 POST /api/v1/auth/login '{"member":"a","password":"correct horse"}'
TOKEN=$(body .token)

# ---- categories: names and product counts, nothing of the team's figures
expect_call "categories" 200 GET /api/v1/products/categories
conforms "categories" ProductCategories
expect_eq "every named category once" "$(body '[.categories[].category] | sort | join(",")')" \
	"数码家电,日用百货,汽车用品,美妆个护"
expect_eq "product counts" "$(body '.categories[] | select(.category == "美妆个护") | .products')" "4"
expect_eq "a category's tab: its top products" \
	"$(curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/products/top?category=%E6%97%A5%E7%94%A8%E7%99%BE%E8%B4%A7&limit=20" | jq '.items | length')" "2"

# ---- the ledger names the product of the item
expect_call "a's ledger" 200 GET /api/v1/members/a/ledger
conforms "ledger" LedgerPage
expect_eq "the order row's title" "$(body '[.entries[] | select(.item.item == "J1-1") | .item.title] | unique | join(",")')" \
	"海飞丝去屑洗发水 400ml"
expect_eq "its product and amount" "$(body '[.entries[] | select(.item.item == "J1-1") | [.item.product, .item.amount]][0] | join(" ")')" \
	"100000000001 12300"
expect_eq "a row without a title: the library's" "$(body '[.entries[] | select(.item.item == "J2-1") | .item.title] | unique | join(",")')" \
	"潘婷去屑洗发水 400ml 氨基酸"

# ---- level progress: a (member) towards super, match any
expect_call "a's progress" 200 GET /api/v1/members/a/level-progress
conforms "progress" LevelProgress
expect_eq "level and next" "$(body '[.level, .next.level, .next.name, .next.match] | join(" ")')" "member super 超级会员 any"
expect_eq "direct invites: 1 of 2" "$(body '.next.conditions[0] | [.kind, .have, .min, .missing, .met] | join(" ")')" \
	"direct_invites 1 2 1 false"
expect_eq "own gmv over 30 days: 172.90 of 500.00" \
	"$(body '.next.conditions[1] | [.kind, .days, .have, .min, .missing, .met] | join(" ")')" \
	"own_gmv 30 17290 50000 32710 false"
expect_error "b's progress is b's" 403 forbidden GET /api/v1/members/b/level-progress

# a second invitee makes a super member: its way to mentor now
TOKEN="$OPS"
tk member add a2 --parent a >/dev/null
expect_call "a after a second invitee" 200 GET /api/v1/members/a/level-progress
expect_eq "a is super" "$(body .level)" "super"
expect_eq "towards mentor, all of" "$(body '[.next.level, .next.match] | join(" ")')" "mentor all"
expect_eq "team of 2, 2 missing" "$(body '.next.conditions[0] | [.kind, .have, .missing] | join(" ")')" "team_size 2 2"
expect_eq "direct supers" "$(body '.next.conditions[1] | [.kind, .level, .have, .missing] | join(" ")')" \
	"direct_at_level super 0 2"
# r: mentor is reached by rules; partner has none
expect_call "r's progress" 200 GET /api/v1/members/r/level-progress
expect_eq "r towards mentor: 1 of 2 direct supers" \
	"$(body '.next.conditions[1] | [.have, .met] | join(" ")')" "1 false"
tk member set-level r mentor >/dev/null
expect_call "r at mentor" 200 GET /api/v1/members/r/level-progress
expect_eq "partner has no rule" "$(body '[.next.level, .next.rule, (.next.conditions | length)] | join(" ")')" "partner false 0"
tk member set-level r partner >/dev/null
expect_call "r at the top" 200 GET /api/v1/members/r/level-progress
expect_eq "nothing above" "$(body .next)" "null"
expect_error "unknown member" 404 not_found GET /api/v1/members/ghost/level-progress
finish

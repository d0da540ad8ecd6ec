#!/usr/bin/env bash
# groups_results.sh — results per chat group, end to end: a group's link is
# clicked (GET /s/CODE, a bot's click left out), a union order comes back
# carrying the group's tag, and `tuike report groups` shows the click, the
# order, its GMV and commission (and the owner's share) for that group and
# no other — per group, day, send and member, as JSON and CSV (cells
# guarded against formulas); the API's /api/v1/reports/groups (JSON, CSV by
# format or Accept), a group's results with its daily series, a member's own.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
feed_members
DAY=2026-11-10
tk group add alice wecom 'g-a' >/dev/null
tk group add bob wecom '=HYPERLINK("http://x","g-b")' >/dev/null
tk group tag 1 taobao relation_id 8101 >/dev/null
tk group tag 2 taobao relation_id 8201 >/dev/null
URL1="https://item.taobao.com/item.htm?id=652011223344"
CODE1=$(tk link create alice --url "$URL1" --group 1 --json | jq -r .code)
CODE2=$(tk link create bob --url "$URL1" --group 2 --json | jq -r .code)
CODE3=$(tk link create alice --url "$URL1" --json | jq -r .code)

# --- clicks: a visitor on the group's link, a bot, the member's own link
start_server --access-log off
curl -s -o /dev/null -A "Mozilla/5.0 (visitor 1)" "$URL/s/$CODE1"
curl -s -o /dev/null -A "Mozilla/5.0 (visitor 1)" "$URL/s/$CODE1"
curl -s -o /dev/null -A "Googlebot/2.1 (+http://www.google.com/bot.html)" "$URL/s/$CODE1"
curl -s -o /dev/null -A "Mozilla/5.0 (visitor 2)" "$URL/s/$CODE3"
stop_server
expect_eq "clicks stored, the bot's flagged" "$(db_sql "SELECT count(*), sum(bot) FROM clicks" | tr '|' ' ')" "4 1"

# --- a union order carrying the group's tag
tb_row() { # ITEM RELATION_ID
	jq -c --arg t "$1" --arg r "$2" \
		'.tbk_order_details_get_response.data.results.publisher_order_dto[0]
		 | .trade_id=$t | .trade_parent_id=("P"+$t) | .special_id=0
		 | .relation_id=($r|tonumber) | .tk_status=12 | .tk_paid_time="2026-11-10 09:30:00"
		 | .modified_time="2026-11-10 09:30:00" | .tk_create_time="2026-11-10 09:30:00"' \
		"$TUIKE_FIXTURES/taobao/every_status.json" |
		jq -s '{tbk_order_details_get_response:{data:{results:{publisher_order_dto:.},has_next:false}}}'
}
tb_row TG1 8101 >"$WORK/tb1.json"
tk orders import "$WORK/tb1.json" --format taobao >/dev/null
tk order show taobao TG1 --json >"$WORK/item.json"
expect_eq "the order is the group's" "$(jq -c '[.channel,.splits[0].member]' "$WORK/item.json")" '["g1","alice"]'
GMV=$(jq .amount "$WORK/item.json")
COMM=$(jq '.commission - (.refunded // 0)' "$WORK/item.json")
OWN=$(jq '[.splits[]|select(.member=="alice")|.amount]|add' "$WORK/item.json")
[ "$GMV" -gt 0 ] && [ "$COMM" -gt 0 ] && [ "$OWN" -gt 0 ] || fail "the order has no money ($GMV $COMM $OWN)"

# --- the report: the group's click and order, nothing for the other
expect_status "report groups" 0 tk report groups --from $DAY --to $DAY
fig='[.sends,.failures,.clicks,.unique_clicks,.orders,.gmv,.commission,.owner_share]'
expect_eq "group 1: the click (not the bot's), the order, GMV, commission, the owner's share" \
	"$(jq -c ".groups[]|select(.id==1)|.totals|$fig" "$WORK/out")" "[0,0,2,1,1,$GMV,$COMM,$OWN]"
expect_eq "group 2: nothing" "$(jq -c ".groups[]|select(.id==2)|.totals|$fig" "$WORK/out")" "[0,0,0,0,0,0,0,0]"
expect_eq "the totals are group 1's" "$(jq -c ".totals|$fig" "$WORK/out")" "[0,0,2,1,1,$GMV,$COMM,$OWN]"
expect_eq "no sends: not dormant" "$(jq -c '[.groups[]|.dormant]' "$WORK/out")" '[false,false]'
expect_status "another day" 0 tk report groups --from 2026-11-09 --to 2026-11-09
expect_eq "nothing then" "$(jq -c ".totals|$fig" "$WORK/out")" "[0,0,0,0,0,0,0,0]"
expect_status "by day" 0 tk report groups --from 2026-11-09 --to $DAY --by day
expect_eq "one day with figures" "$(jq -c "[.days[]|[.date,.group,.clicks,.orders]]" "$WORK/out")" \
	'[["2026-11-10",1,2,1]]'
expect_status "by member" 0 tk report groups --to $DAY --by member
expect_eq "summed per owner" "$(jq -c "[.members[]|[.member,.groups,.orders,.gmv]]" "$WORK/out")" \
	"[[\"alice\",1,1,$GMV],[\"bob\",1,0,0]]"
expect_status "one group" 0 tk report groups --to $DAY --group 2
expect_eq "only it" "$(jq -c '[.groups[].id]' "$WORK/out")" '[2]'
expect_status "one member's" 0 tk report groups --to $DAY --member alice
expect_eq "only hers" "$(jq -c '[.groups[].id]' "$WORK/out")" '[1]'

# --- sends: what followed one within 48 hours
T9=$(date -d 2026-11-10T09:00:00+08:00 +%s)
db_sql "INSERT INTO send_jobs(grp, slot, due_at, union_, product, state, next_at, created_at, sent_at, link)
	VALUES (1, $T9, $T9, 'taobao', '$(jq -r .product "$WORK/item.json")', 'sent', $T9, 1, $T9, '$CODE1')"
db_sql "INSERT INTO send_jobs(grp, slot, due_at, union_, product, state, next_at, created_at, claimed_at, code, message)
	VALUES (2, $T9, $T9, 'taobao', 'x', 'failed', $T9, 1, $((T9 + 100)), '93000', 'invalid webhook key')"
expect_status "by send" 0 tk report groups --to $DAY --by send
expect_eq "the send, its link's clicks and the order after it" \
	"$(jq -c ".sends[]|[.group,.link,.after.clicks,.after.orders,.after.gmv]" "$WORK/out")" "[1,\"$CODE1\",2,1,$GMV]"
expect_status "per group again" 0 tk report groups --to $DAY
expect_eq "a send and a failure counted" "$(jq -c '[.groups[]|[.id,.totals.sends,.totals.failures]]' "$WORK/out")" \
	'[[1,1,0],[2,0,1]]'
expect_eq "no group dormant yet (group 2 only failed to send)" \
	"$(jq -c '[.groups[]|[.id,.dormant,.suggestion]]' "$WORK/out")" '[[1,false,null],[2,false,null]]'

# --- CSV
expect_status "as CSV" 0 tk report groups --from $DAY --to $DAY --csv
expect_eq "its header" "$(head -1 "$WORK/out" | tr -d '\r')" \
	"group,channel,name,owner,kind,state,sends,failures,clicks,unique_clicks,orders,gmv_fen,commission_fen,owner_share_fen,dormant,suggestion"
expect_eq "group 1's row" "$(sed -n 2p "$WORK/out" | tr -d '\r')" "1,g1,g-a,alice,wecom,active,1,0,2,1,1,$GMV,$COMM,$OWN,no,"
expect_eq "a formula is defused and quotes doubled" "$(sed -n 3p "$WORK/out" | tr -d '\r')" \
	"2,g2,\"'=HYPERLINK(\"\"http://x\"\",\"\"g-b\"\")\",bob,wecom,active,0,1,0,0,0,0,0,0,no,"
expect_status "a bad --by" 2 tk report groups --by week
expect_grep "named" "must be group, day, send or member" "$WORK/err"
expect_status "a bad date" 2 tk report groups --from 2026-13-01
expect_status "a range over 366 days" 1 tk report groups --from 2025-01-01 --to $DAY
expect_grep "the limit named" "a range is at most 366 days" "$WORK/err"
expect_status "an unknown group" 1 tk report groups --group 9

# --- dormant: sends, but no click and no order
db_sql "INSERT INTO send_jobs(grp, slot, due_at, union_, product, state, next_at, created_at, sent_at)
	VALUES (2, $((T9 + 200)), $T9, 'taobao', 'y', 'sent', $T9, 1, $((T9 + 200)))"
expect_status "with a send that got nothing" 0 tk report groups --to $DAY
expect_eq "group 2 is dormant; one send in 7 days suggests nothing yet" \
	"$(jq -c '[.groups[]|[.id,.dormant,.suggestion]]' "$WORK/out")" '[[1,false,null],[2,true,null]]'
expect_status "over one day" 0 tk report groups --to $DAY --dormant-days 1
expect_eq "a send a day and no click: send less" "$(jq -c '[.dormant_days,.groups[1].suggestion]' "$WORK/out")" \
	'[1,"send less"]'
expect_eq "the setting groups.dormant_days" \
	"$(TUIKE_GROUPS_DORMANT_DAYS=1 tk report groups --to $DAY | jq -c '[.dormant_days,.groups[1].suggestion]')" \
	'[1,"send less"]'
expect_status "by member: dormant groups counted" 0 tk report groups --to $DAY --by member
expect_eq "bob's" "$(jq -c '[.members[]|[.member,.dormant_groups]]' "$WORK/out")" '[["alice",0],["bob",1]]'

# --- the API
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server --access-log off
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN=$OPS
expect_call "the report" 200 GET "/api/v1/reports/groups?from=$DAY&to=$DAY"
conforms "a group report" GroupReport
expect_eq "the same figures" "$(body ".groups[]|select(.id==1)|.totals|$fig|tostring")" "[1,0,2,1,1,$GMV,$COMM,$OWN]"
expect_call "by member" 200 GET "/api/v1/reports/groups?to=$DAY&by=member"
expect_eq "per owner" "$(body '[.members[].member]|tostring')" '["alice","bob"]'
code=$(curl -s -o "$WORK/csv" -w '%{http_code} %{content_type}' -H "Authorization: Bearer $OPS" \
	"$URL/api/v1/reports/groups?from=$DAY&to=$DAY&format=csv")
expect_eq "CSV by format" "$code" "200 text/csv; charset=utf-8"
expect_eq "the same rows as the command" "$(sed -n 2p "$WORK/csv" | tr -d '\r')" "1,g1,g-a,alice,wecom,active,1,0,2,1,1,$GMV,$COMM,$OWN,no,"
code=$(curl -s -o "$WORK/csv" -w '%{http_code} %{content_type}' -H "Authorization: Bearer $OPS" \
	-H "Accept: text/csv" "$URL/api/v1/reports/groups?from=$DAY&to=$DAY&by=day")
expect_eq "CSV by Accept" "$code" "200 text/csv; charset=utf-8"
expect_eq "per day" "$(sed -n 2p "$WORK/csv" | tr -d '\r' | cut -d, -f1-5)" "2026-11-10,1,g1,g-a,alice"
expect_call "a bad by" 400 GET "/api/v1/reports/groups?by=week"
expect_call "a bad format" 400 GET "/api/v1/reports/groups?format=xml"
expect_call "a group's results" 200 GET "/api/v1/groups/1/results?from=2026-11-04&to=$DAY"
conforms "a group's results" GroupResults
expect_eq "every day of the range" "$(body '.days|length')" "7"
expect_eq "the trend: the click and order on its day" "$(body '[.days[]|.clicks]|tostring')" "[0,0,0,0,0,0,2]"
expect_eq "its newest send" "$(body '[.sends[]|.link]|tostring')" "[\"$CODE1\"]"
expect_call "an unknown group" 404 GET "/api/v1/groups/9/results"
expect_call "alice's password" 200 PUT /api/v1/members/alice/password '{"password":"alice secret"}'
TOKEN=""
expect_call "no credential" 401 GET "/api/v1/reports/groups"
expect_call "alice logs in" 200 POST /api/v1/auth/login '{"member":"alice","password":"alice secret"}'
TOKEN=$(body .token)
expect_call "her group's results" 200 GET "/api/v1/me/groups/1/results?to=$DAY"
expect_eq "her figures" "$(body ".group.totals|$fig|tostring")" "[1,0,2,1,1,$GMV,$COMM,$OWN]"
expect_call "another member's group is absent" 404 GET "/api/v1/me/groups/2/results?to=$DAY"
expect_call "a member may not read the operators' report" 403 GET "/api/v1/reports/groups"
stop_server
finish

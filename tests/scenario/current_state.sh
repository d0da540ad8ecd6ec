#!/usr/bin/env bash
# current_state.sh — one current state across processes: a running server
# and the command line side by side on one database.  What the command
# line changes (members, levels, plans, links) the server attributes,
# splits and redirects by at once, without a restart.
source "$TUIKE_SRC/tests/scenario/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"

standard_plan
tk member add S --level super >/dev/null
OPS=$(tk apikey create ops --role admin 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"

# import NDJSON: POST the rows to the running server
import() {
	STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPS" \
		-H 'Content-Type: application/x-ndjson' --data-binary "$1" "$URL/api/v1/orders/import")
	expect_eq "import status" "$STATUS" "200"
}
row() { # row ITEM BUYER_OR_EMPTY MEMBER_OR_EMPTY COMMISSION
	printf '{"union":"jd","item":"%s","order":"O-%s","status":"paid","modified_at":"2026-11-02T10:00:00+08:00","paid_at":"2026-11-02T10:00:00+08:00","amount":10000,"commission":%s,"quantity":1,"product":"P1","title":"t","buyer":"%s","member":"%s"}\n' \
		"$1" "$1" "$4" "$2" "$3"
}

# 1. a member added by the command line is known to the server at once
import "$(row warm "" S 100)"   # the server has loaded its tree now
tk member add Z --parent S >/dev/null
import "$(row I1 Z "" 1000)"
expect_call "order show" 200 GET /api/v1/orders/jd/I1
expect_eq "Z's own purchase is attributed to Z" "$(body '.attribution')" "self_purchase"
expect_eq "Z earns on its own purchase" "$(body '[.splits[] | select(.member=="Z") | .amount] | .[0]')" "300"
expect_eq "S earns the difference above Z" "$(body '[.splits[] | select(.member=="S") | .amount] | .[0]')" "200"

# 2. a level set by the command line splits the next import
tk member set-level S mentor >/dev/null
import "$(row I2 "" S 1000)"
expect_call "order show" 200 GET /api/v1/orders/jd/I2
expect_eq "S is paid at its new level" "$(body '.splits[0].rate_bps')" "7000"
expect_eq "S's new level at first sight" "$(body '.splits[0].level')" "mentor"

# 3. a plan set by the command line is the server's active plan at once
jq '.levels[1].rate_bps = 5500' "$WORK/plan.json" >"$WORK/plan2.json"
tk plan set "$WORK/plan2.json" >/dev/null
expect_call "active plan" 200 GET /api/v1/plan
expect_eq "the server's active plan is the new version" "$(body '.version')" "2"
import "$(row I3 "" Z 1000)"
tk order show jd I3 --json >"$WORK/i3.json"
expect_eq "an import splits by the new plan version" "$(jq -r '.plan_version' "$WORK/i3.json")" "2"

# 4. a link made by the command line redirects within a second; revoked, it stops
code=$(tk link create S --url "https://item.jd.com/100.html" | cut -d' ' -f1)
sleep 1
got=$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/$code")
expect_eq "a link made beside the server redirects within a second" "$got" "302"
tk link revoke "$code" >/dev/null
sleep 1
got=$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/$code")
expect_eq "a link revoked beside the server stops within a second" "$got" "404"
expect_call "revoked link shows when" 200 GET "/api/v1/links/$code"
expect_eq "revoked_at is shown" "$(body '.revoked_at != null')" "true"

# 5. the API revokes too, at once
code2=$(tk link create S --url "https://item.jd.com/200.html" | cut -d' ' -f1)
sleep 1
expect_call "revoke through the API" 200 DELETE "/api/v1/links/$code2"
got=$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/$code2")
expect_eq "a link revoked through the API stops at once" "$got" "404"
expect_error "revoking an unknown link" 404 not_found DELETE "/api/v1/links/NOPE123"

# 6. a tag registered beside the server after its orders came in: the
# server re-attributes them through the API
jq -c '.jd_union_open_order_row_query_responce.queryResult | fromjson | .data[0]
	| .id="R1" | .orderId="OR1" | .subUnionId="w-sub" | .validCode=16 | .estimateFee=10
	| .orderTime="2026-11-05 10:00:00" | .modifyTime="2026-11-05 10:00:00"' \
	"$TUIKE_FIXTURES/jd/every_status.json" |
	jq -s '{jd_union_open_order_row_query_responce:{code:"0",
		queryResult:({code:200,message:"success",data:.,hasMore:false}|tojson)}}' >"$WORK/r1.json"
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPS" \
	--data-binary @"$WORK/r1.json" "$URL/api/v1/orders/import?format=jd")
expect_eq "a JD reply through the API" "$STATUS" "200"
expect_call "unattributed first" 200 GET /api/v1/orders/jd/R1
expect_eq "no tag known yet" "$(body .attribution)" "none"
tk member add W --parent S --level super >/dev/null
tk tag set W jd subUnionId w-sub >/dev/null
expect_call "dry run" 200 POST /api/v1/orders/reattribute '{"dry_run":true}'
conforms "reattribute result" ReattributeResult
expect_eq "would attribute R1 to W" "$(body '[.reattributed, .items[0].item, .items[0].member]|@csv')" '1,"R1","W"'
expect_call "re-attribute" 200 POST /api/v1/orders/reattribute '{}'
expect_call "R1 now" 200 GET /api/v1/orders/jd/R1
expect_eq "R1 is W's, by its tag" "$(body '[.attribution, .splits[0].member]|@csv')" '"tag","W"'
expect_eq "its history says why" "$(body '.events[-1].note')" \
	"re-attributed: a union tag of the order is registered to W"
expect_call "twice changes nothing" 200 POST /api/v1/orders/reattribute '{}'
expect_eq "nothing left" "$(body .reattributed)" "0"
expect_eq "the re-attribution is in the action log once (not the dry run, not the empty one)" \
	"$(tk actions --json --what orders.reattribute | jq -sc '[.[] | [.subject, .after.reattributed]]')" \
	'[["orders",1]]'

# 7. a plan set while the server waits for the write lock decides what the
# server writes.  Another process holds the lock with a new plan in its
# transaction; the server's call, which knew the plan before, waits for it
# and must then go by the plan active once it holds the lock.
behind_plan() { # JQ_EDIT METHOD PATH BODY: the call, behind a plan edited by JQ_EDIT
	expect_call "the server knows the active plan" 200 GET /api/v1/plan
	jq "$1" "$WORK/plan.json" >"$WORK/behind.json"
	if db_is_pg; then
		# the writers' lock is pg.c's PG_WRITER_LOCK, taken as tx_begin does
		{
			echo "BEGIN;"
			echo "SELECT pg_advisory_xact_lock($((0x74756b65)));"
			echo "INSERT INTO plans(version, json, created_at)"
			echo " SELECT max(version) + 1, \$plan\$$(cat "$WORK/behind.json")\$plan\$, 0 FROM plans;"
			echo "SELECT pg_sleep(1);"
			echo "COMMIT;"
		} | db_sql >/dev/null &
	else
		{
			echo "BEGIN IMMEDIATE;"
			echo "INSERT INTO plans(version, json, created_at)"
			echo " SELECT max(version) + 1, readfile('$WORK/behind.json'), 0 FROM plans;"
			echo ".shell sleep 1"
			echo "COMMIT;"
		} | db_sql &
	fi
	local holder=$!
	sleep 0.3 # the holder has the lock
	call "$2" "$3" "$4"
	wait "$holder"
}
behind_plan '.levels += [{"key":"vip","name":"VIP","rate_bps":8500}]' \
	PUT /api/v1/members/S/level '{"level":"vip"}'
expect_eq "a level only the new plan has is accepted" "$STATUS" "200"
expect_eq "and set" "$(tk member show S --json | jq -r .level)" "vip"
behind_plan '.default_level = "super" | .levels += [{"key":"vip","name":"VIP","rate_bps":8500}]' \
	POST /api/v1/members '{"id":"V","parent":"S"}'
expect_eq "a member added behind the plan" "$STATUS" "201"
expect_eq "is at the new plan's default level" "$(tk member show V --json | jq -r .level)" "super"
expect_eq "with no grant in its history" "$(tk levels history V --json | jq -c length)" "0"
# a withdrawal's fee is the plan's active when it is requested
printf '%s\n' '{"union":"jd","item":"WD-1","status":"settled","modified_at":"2026-11-02T10:00:00+08:00","paid_at":"2026-11-02T10:00:00+08:00","settled_at":"2026-11-02T10:00:00+08:00","commission":10000,"member":"S"}' >"$WORK/wd.jsonl"
tk orders import "$WORK/wd.jsonl" >/dev/null
tk settle --now 2026-12-01T00:00:00+08:00 >/dev/null
behind_plan '.withdraw_fee_bps = 300' POST /api/v1/withdrawals '{"member":"S","amount":1000}'
expect_eq "a withdrawal requested behind the plan" "$STATUS" "201"
expect_eq "pays the new plan's fee" "$(body .fee)" "30"

expect_status "audit holds" 0 tk audit
stop_server
# a restart serves the links that redirect: the two revoked ones stay out
code3=$(tk link create S --url "https://item.jd.com/300.html" | cut -d' ' -f1)
start_server
expect_grep "a restarted server serves only live links" "\(1 tracking links\)" "$WORK/serve.out"
for c in "$code" "$code2" "$code3"; do
	printf '%s ' "$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/$c")"
done >"$WORK/codes.txt"
expect_eq "revoked 404, live 302" "$(cat "$WORK/codes.txt")" "404 404 302 "
stop_server
finish

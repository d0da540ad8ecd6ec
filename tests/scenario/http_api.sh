#!/usr/bin/env bash
# http_api.sh — the JSON API over HTTP against a real `tuike serve`: every
# area (members, teams, tags, plans, orders, money, withdrawals, links,
# reports, products), operator keys and member sessions, a member denied
# what is not its own, idempotent retries, rate limits, and bad requests
# (oversized, malformed, unknown).
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
tk products import "$TUIKE_FIXTURES/products/catalog.jsonl" >/dev/null
# the shop the links below lead to is not a union's: an operator allows it
tk link allow add shop.example.com >/dev/null

OPS=$(tk apikey create console --role admin 2>/dev/null)
expect_eq "a key is printed once" "${OPS:0:3}" "tk_"
expect_eq "the key is stored hashed" "$(db_sql "SELECT count(*) FROM api_keys WHERE hash = '$OPS' OR prefix = '$OPS'")" "0"
start_server --body-max 4096 --access-log "$WORK/access.log"
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"

# ---- health and the document, without credentials
TOKEN=""
expect_call "health" 200 GET /health
conforms "health" Health
expect_call "openapi document" 200 GET /api/v1/openapi.json
expect_eq "openapi version" "$(body .openapi)" "3.0.3"

# ---- authentication failures
expect_error "no credential" 401 unauthorized GET /api/v1/me
expect_grep "401 asks for a bearer" "WWW-Authenticate: Bearer" "$WORK/headers"
EXTRA=(-H "Authorization: Basic abc")
expect_error "not a bearer" 401 unauthorized GET /api/v1/me
EXTRA=()
TOKEN="tk_wrongwrongwrongwrongwrongwrongwrongwrongwro"
expect_error "unknown key" 401 unauthorized GET /api/v1/me
conforms "error answer" Error
TOKEN="$OPS"
expect_call "operator me" 200 GET /api/v1/me
expect_eq "operator kind" "$(body .kind)" "operator"
conforms "me" Me

# ---- members and teams
expect_call "create gp" 201 POST /api/v1/members '{"id":"gp","level":"mentor","name":"Grand"}'
conforms "member" Member
expect_call "create p" 201 POST /api/v1/members '{"id":"p","parent":"gp","level":"mentor"}'
expect_call "create s" 201 POST /api/v1/members '{"id":"s","parent":"p","level":"super"}'
expect_call "create other" 201 POST /api/v1/members '{"id":"other","level":"super"}'
for i in 1 2 3 4 5; do
	call POST /api/v1/members "{\"id\":\"c$i\",\"parent\":\"s\"}"
done
expect_eq "default level" "$(body .level)" "member"
expect_error "duplicate member" 409 conflict POST /api/v1/members '{"id":"s"}'
expect_error "unknown parent" 400 invalid POST /api/v1/members '{"id":"x","parent":"nobody"}'
expect_eq "field named" "$(body .error.field)" "parent"
expect_error "unknown field" 400 invalid POST /api/v1/members '{"id":"x","nmae":"typo"}'
expect_eq "unknown field named" "$(body .error.field)" "nmae"
expect_error "unknown member" 404 not_found GET /api/v1/members/nobody
expect_call "show s" 200 GET /api/v1/members/s
expect_eq "s has its parent and depth" "$(body '[.parent,.depth,.direct_count]|@csv')" '"p",2,5'
expect_call "set level" 200 PUT /api/v1/members/c5/level '{"level":"super"}'
expect_eq "level set" "$(body .level)" "super"
expect_error "unknown level" 400 invalid PUT /api/v1/members/c5/level '{"level":"king"}'
# a team page by page
expect_call "team page 1" 200 GET "/api/v1/members/s/team?limit=2"
conforms "team page" TeamPage
page1=$(body '[.members[].id]|join(",")')
next=$(body .next)
expect_call "team page 2" 200 GET "/api/v1/members/s/team?limit=2&after=$next"
page2=$(body '[.members[].id]|join(",")')
next=$(body .next)
expect_call "team page 3" 200 GET "/api/v1/members/s/team?limit=2&after=$next"
expect_eq "every invitee once, in order" "$page1,$page2,$(body '[.members[].id]|join(",")')" "c1,c2,c3,c4,c5"
expect_eq "last page has no next" "$(body .next)" "null"
expect_error "page size limited" 400 invalid GET "/api/v1/members/s/team?limit=1000"
expect_eq "limit named" "$(body .error.field)" "limit"

# ---- member sessions and what a member may see
expect_call "set a password" 200 PUT /api/v1/members/s/password '{"password":"correct horse"}'
expect_error "short password" 400 invalid PUT /api/v1/members/p/password '{"password":"short"}'
expect_call "password for other" 200 PUT /api/v1/members/other/password '{"password":"other secret"}'
TOKEN=""
expect_error "wrong password" 401 invalid_credentials POST /api/v1/auth/login '{"member":"s","password":"wrong horse"}'
wrong_msg=$(body .error.message)
expect_error "unknown member login" 401 invalid_credentials POST /api/v1/auth/login '{"member":"ghost","password":"whatever1"}'
expect_eq "same words for both" "$(body .error.message)" "$wrong_msg"
expect_call "login" 200 POST /api/v1/auth/login '{"member":"s","password":"correct horse"}'
conforms "session" Session
S_TOKEN=$(body .token)
expect_eq "a session token" "${S_TOKEN:0:4}" "tks_"
expect_eq "session stored hashed" "$(db_sql "SELECT count(*) FROM sessions WHERE hash = '$S_TOKEN'")" "0"
expect_call "other logs in" 200 POST /api/v1/auth/login '{"member":"other","password":"other secret"}'
OTHER_TOKEN=$(body .token)
TOKEN="$S_TOKEN"
expect_call "member me" 200 GET /api/v1/me
expect_eq "member me is s" "$(body '[.kind,.member.id]|@csv')" '"member","s"'
expect_call "member sees itself" 200 GET /api/v1/members/s
expect_call "member sees its team" 200 GET /api/v1/members/c3
expect_call "member lists its team" 200 GET /api/v1/members/s/team
expect_error "member denied its upline" 403 forbidden GET /api/v1/members/p
expect_error "member denied another member" 403 forbidden GET /api/v1/members/other
expect_call "member sees its own balance" 200 GET /api/v1/members/s/balance
expect_error "member denied another's balance" 403 forbidden GET /api/v1/members/other/balance
expect_error "member denied its team's money" 403 forbidden GET /api/v1/members/c1/balance
expect_error "member denied another's ledger" 403 forbidden GET /api/v1/members/other/ledger
expect_error "member denied operator routes" 403 forbidden POST /api/v1/members '{"id":"sneaky"}'
expect_error "member denied the plan" 403 forbidden GET /api/v1/plan
expect_error "member denied withdrawing for another" 403 forbidden POST /api/v1/withdrawals '{"member":"other","amount":100}'
expect_error "member denied another's withdrawals" 403 forbidden GET "/api/v1/withdrawals?member=other"
expect_error "member denied channel reports" 403 forbidden GET "/api/v1/reports/summary?channel=g1"
expect_error "member denied another's reports" 403 forbidden GET "/api/v1/reports/summary?member=other"
expect_error "member denied top lists" 403 forbidden GET "/api/v1/reports/top?by=members"

# ---- plans
TOKEN="$OPS"
expect_call "plan" 200 GET /api/v1/plan
conforms "plan" Plan
expect_eq "plan version" "$(body .version)" "1"
expect_call "simulate the worked example" 200 POST /api/v1/plan/simulate '{"commission":1000,"sharer":"s"}'
conforms "split" Split
expect_eq "splits 500/200/50, platform 250" "$(body '[.lines[].amount, .platform]|@csv')" "500,200,50,250"
expect_call "simulate by levels" 200 POST /api/v1/plan/simulate '{"commission":1000,"chain":[{"level":"super"},{"level":"mentor"}]}'
expect_eq "levels only" "$(body '[.lines[].amount, .platform]|@csv')" "500,200,300"
expect_error "simulate needs integer fen" 400 invalid POST /api/v1/plan/simulate '{"commission":10.5,"sharer":"s"}'
expect_eq "commission named" "$(body .error.field)" "commission"
sed 's/"platform_min_bps":1000/"platform_min_bps":9000/' "$WORK/plan.json" >"$WORK/bad-plan.json"
expect_error "an unsafe plan is refused" 400 invalid PUT /api/v1/plan "$(cat "$WORK/bad-plan.json")"

# ---- orders
{
	row jd J1-1 paid 2026-11-01T10:00:00+08:00 1000 "" b1 s
	row jd J1-1 settled 2026-11-02T10:00:00+08:00 1000 2026-11-02T10:00:00+08:00 b1 s
	row jd J2-1 paid 2026-11-03T10:00:00+08:00 400 "" b2 other
	echo '{"union":"jd","item":"bad"}'
} >"$WORK/orders.jsonl"
TOKEN="$OPS"
STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPS" \
	-H 'Content-Type: application/x-ndjson' --data-binary @"$WORK/orders.jsonl" "$URL/api/v1/orders/import")
expect_eq "import status" "$STATUS" "200"
conforms "import result" ImportResult
expect_eq "import counts" "$(body '[.read,.applied,.unchanged,.rejected]|@csv')" "4,3,0,1"
expect_eq "rejected row described" "$(body '.errors[0].where')" "body:4"
expect_call "order show" 200 GET /api/v1/orders/jd/J1-1
conforms "item" Item
expect_eq "order splits" "$(body '[.splits[].amount]|@csv')" "500,200,50"
TOKEN="$S_TOKEN"
expect_call "member sees its own share only" 200 GET /api/v1/orders/jd/J1-1
expect_eq "own line only, no platform share" "$(body '[(.splits|length), .splits[0].member, has("platform_share")]|@csv')" '1,"s",false'
expect_error "member denied another's order" 403 forbidden GET /api/v1/orders/jd/J2-1
TOKEN="$OPS"
expect_error "unknown item" 404 not_found GET /api/v1/orders/jd/NOPE
expect_error "unknown format" 400 invalid POST "/api/v1/orders/import?format=xml" '{}'

# ---- settlement, balances, ledger, withdrawals
expect_call "settle" 200 POST /api/v1/settle
conforms "settle result" SettleResult
expect_eq "released" "$(body '[.released_items,.released]|@csv')" "1,750"
expect_call "balance" 200 GET /api/v1/members/s/balance
conforms "balance" Balance
expect_eq "s available" "$(body .available)" "500"
TOKEN="$S_TOKEN"
expect_call "member withdraws" 201 POST /api/v1/withdrawals '{"amount":300,"method":"alipay","account":"s@example.com"}'
conforms "withdrawal" Withdrawal
W1=$(body .id)
expect_eq "withdrawal of s" "$(body '[.member,.amount,.fee,.net,.status]|@csv')" '"s",300,3,297,"requested"'
expect_error "not enough money" 409 insufficient_funds POST /api/v1/withdrawals '{"amount":300}'
expect_call "member lists its withdrawals" 200 GET /api/v1/withdrawals
conforms "withdrawal page" WithdrawalPage
expect_eq "one withdrawal" "$(body '.withdrawals|length')" "1"
expect_error "member cannot approve" 403 forbidden POST "/api/v1/withdrawals/$W1/approve"
TOKEN="$OTHER_TOKEN"
expect_error "another member cannot see it" 403 forbidden GET "/api/v1/withdrawals/$W1"
TOKEN="$OPS"
expect_call "approve" 200 POST "/api/v1/withdrawals/$W1/approve"
expect_call "paid" 200 POST "/api/v1/withdrawals/$W1/paid"
expect_eq "paid status" "$(body .status)" "paid"
expect_error "paid twice" 409 conflict POST "/api/v1/withdrawals/$W1/paid"
expect_call "operator lists paid" 200 GET "/api/v1/withdrawals?status=paid"
expect_eq "paid listed" "$(body '[.withdrawals[].id]|@csv')" "$W1"
expect_error "bad status filter" 400 invalid GET "/api/v1/withdrawals?status=lost"
expect_error "withdrawal id" 400 invalid GET /api/v1/withdrawals/abc
# the ledger, page by page, adds up to the balances
entries=0 total=0 before=""
for _ in $(seq 20); do
	expect_call "ledger page" 200 GET "/api/v1/members/s/ledger?limit=2${before:+&before=$before}"
	conforms "ledger page" LedgerPage
	entries=$((entries + $(body '.entries|length')))
	total=$((total + $(body '[.entries[].change]|add // 0')))
	before=$(body .next)
	[ "$before" = null ] && break
done
call GET /api/v1/members/s/balance
expect_eq "ledger changes add up to the balances" "$total" "$(body '.pending+.frozen+.available+.withdrawing+.paid')"
expect_eq "ledger entries seen" "$((entries > 3))" "1"

# ---- idempotency
EXTRA=(-H "Idempotency-Key: create-d1")
expect_call "first create" 201 POST /api/v1/members '{"id":"d1","parent":"gp"}'
first=$(cat "$WORK/body")
expect_call "retried create replays" 201 POST /api/v1/members '{"id":"d1","parent":"gp"}'
expect_eq "same answer" "$(cat "$WORK/body")" "$first"
expect_grep "marked as a replay" "Idempotent-Replayed: true" "$WORK/headers"
expect_error "same key, other body" 422 idempotency_key_reused POST /api/v1/members '{"id":"d2","parent":"gp"}'
EXTRA=(-H "Idempotency-Key: money-1")
TOKEN="$S_TOKEN"
call GET /api/v1/members/s/balance
avail=$(body .available)
expect_call "withdrawal once" 201 POST /api/v1/withdrawals '{"amount":100}'
expect_call "withdrawal retried" 201 POST /api/v1/withdrawals '{"amount":100}'
EXTRA=()
call GET /api/v1/members/s/balance
expect_eq "money moved once" "$(body .available)" "$((avail - 100))"
EXTRA=(-H "Idempotency-Key: has space")
expect_error "bad key" 400 invalid POST /api/v1/withdrawals '{"amount":100}'
EXTRA=()
expect_eq "the other member's key is its own" "$(TOKEN=$OTHER_TOKEN; EXTRA=(-H 'Idempotency-Key: money-1'); call POST /api/v1/withdrawals '{"amount":100}'; echo "$STATUS")" "409"

# ---- tags and tracking links
TOKEN="$OPS"
expect_call "link to an address" 201 POST /api/v1/links '{"member":"s","url":"https://shop.example.com/a?x=1","channel":"g1"}'
conforms "link" Link
CODE=$(body .code)
target=$(body .target)
expect_eq "target carries the invite code" "$target" "https://shop.example.com/a?x=1&tk=$(tk member show s --json | jq -r .invite_code)"
expect_error "product link without a tag" 409 conflict POST /api/v1/links '{"member":"s","union":"jd","product":"100000000001"}'
expect_call "register a tag" 200 PUT /api/v1/tags '{"member":"s","union":"jd","kind":"subUnionId","value":"s-sub"}'
expect_error "bad tag kind" 400 invalid PUT /api/v1/tags '{"member":"s","union":"jd","kind":"uid","value":"x"}'
expect_call "member tags" 200 GET /api/v1/members/s/tags
expect_eq "tag listed" "$(body '.tags[0].value')" "s-sub"
expect_call "product link" 201 POST /api/v1/links '{"member":"s","union":"jd","product":"100000000001","channel":"g2"}'
expect_eq "product target carries the tag" "$(body .target)" "https://item.jd.com/100000000001.html?subUnionId=s-sub&tk=$(tk member show s --json | jq -r .invite_code)"
PCODE=$(body .code)
TOKEN="$S_TOKEN"
expect_call "member makes its own link" 201 POST /api/v1/links '{"url":"https://shop.example.com/b"}'
expect_eq "its own" "$(body .member)" "s"
expect_error "member cannot make another's link" 403 forbidden POST /api/v1/links '{"member":"other","url":"https://x.example.com/"}'
expect_error "bad address" 400 invalid POST /api/v1/links '{"url":"javascript:alert(1)"}'
expect_call "member lists its links" 200 GET /api/v1/links
conforms "link page" LinkPage
expect_eq "three links" "$(body '.links|length')" "3"
TOKEN="$OTHER_TOKEN"
expect_error "another member cannot see the link" 403 forbidden GET "/api/v1/links/$CODE"
TOKEN="$OPS"
expect_call "delete the tag" 200 DELETE /api/v1/tags/jd/subUnionId/s-sub
expect_error "deleted twice" 404 not_found DELETE /api/v1/tags/jd/subUnionId/s-sub

# the redirect and the clicks it records
loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -A "Mozilla/5.0 (iPhone)" -e "https://m.weixin.qq.com/s/x" "$URL/s/$CODE")
expect_eq "302 to the target" "$loc" "302 $target"
curl -s -o /dev/null -A "Mozilla/5.0 (iPhone)" "$URL/s/$CODE"
curl -s -o /dev/null -A "Mozilla/5.0 (iPhone)" "$URL/s/$CODE"
curl -s -o /dev/null -A "Googlebot/2.1 (+http://www.google.com/bot.html)" "$URL/s/$CODE"
curl -s -o /dev/null -A "Mozilla/5.0" "$URL/s/$PCODE"
expect_eq "unknown code" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/NOSUCH1")" "404"
expect_eq "malformed code" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/..%2F..")" "404"
# Clicks reach the database in flushes at least once a second: wait (at most
# 10 s) until every click made above has landed, bots and the other link too.
for _ in $(seq 200); do
	call GET "/api/v1/links/$PCODE"
	pclicks=$(body .clicks)
	call GET "/api/v1/links/$CODE"
	[ "$(body '[.clicks,.bot_clicks]|@csv')" = "3,1" ] && [ "$pclicks" = 1 ] && break
	sleep 0.05
done
expect_eq "clicks, unique clicks, robots" "$(body '[.clicks,.unique_clicks,.bot_clicks]|@csv')" "3,1,1"
expect_eq "referrer host kept" "$(db_sql "SELECT count(*) FROM clicks WHERE referrer = 'm.weixin.qq.com'")" "1"
expect_eq "addresses kept only hashed" "$(db_sql "SELECT DISTINCT length(ip_hash) FROM clicks")" "16"

# ---- reports, from the daily statistics
expect_call "summary" 200 GET "/api/v1/reports/summary?from=2026-11-01&to=2026-11-10"
conforms "summary" Summary
expect_eq "platform clicks and orders" "$(body '[.totals.clicks,.totals.unique_clicks,.totals.orders]|@csv')" "4,2,2"
expect_call "daily" 200 GET "/api/v1/reports/daily?from=2026-11-01&to=2026-11-10&member=s"
conforms "daily" Daily
expect_eq "every day listed" "$(body '.days|length')" "10"
expect_eq "s: one order on the 1st, 4 clicks on the 10th" "$(body '[.days[0].orders, .days[9].clicks]|@csv')" "1,4"
expect_call "channel summary" 200 GET "/api/v1/reports/summary?from=2026-11-10&to=2026-11-10&channel=g2"
expect_eq "channel clicks" "$(body .totals.clicks)" "1"
expect_call "product summary" 200 GET "/api/v1/reports/summary?from=2026-11-10&to=2026-11-10&product=jd:100000000001"
expect_eq "product clicks" "$(body .totals.clicks)" "1"
expect_call "top members" 200 GET "/api/v1/reports/top?by=members&metric=clicks&from=2026-11-10&to=2026-11-10"
conforms "top" Top
expect_eq "top member by clicks" "$(body '.items[0].key')" "s"
expect_call "funnel" 200 GET "/api/v1/reports/funnel?from=2026-11-01&to=2026-11-10"
conforms "funnel" Funnel
expect_eq "orders per unique click" "$(body .funnel.order_per_unique_click_bps)" "10000"
expect_error "bad date" 400 invalid GET "/api/v1/reports/summary?from=2026-02-30"
expect_error "range too long" 400 limit_exceeded GET "/api/v1/reports/daily?from=2020-01-01&to=2026-01-01"
TOKEN="$S_TOKEN"
expect_call "member's own summary" 200 GET "/api/v1/reports/summary?from=2026-11-10&to=2026-11-10"
expect_eq "member scope" "$(body '[.scope,.key,.totals.clicks]|@csv')" '"member","s",4'

# ---- products
expect_call "product search" 200 GET "/api/v1/products?q=%E6%B4%97%E5%8F%91%E6%B0%B4&per_page=5"
# text that is not UTF-8 never reaches a text column (PostgreSQL holds
# UTF-8 only): refused before the call, alike on both backends
expect_error "query not UTF-8" 400 invalid GET "/api/v1/products?q=%CF%B4%B7%A2"
expect_error "path not UTF-8" 400 invalid GET "/api/v1/products/jd/%FF"
expect_error "filter not UTF-8" 400 invalid GET "/api/v1/products?category=%FF"
expect_grep "filter not UTF-8 named" '"field":"category"' "$WORK/body"
expect_call "product search again" 200 GET "/api/v1/products?q=%E6%B4%97%E5%8F%91%E6%B0%B4&per_page=5"
expect_eq "products found" "$(body '(.items|length) > 0')" "true"
expect_call "product show" 200 GET /api/v1/products/jd/100000000001
expect_call "products top" 200 GET "/api/v1/products/top?limit=3"
expect_call "copy text with the member's code" 200 GET /api/v1/products/jd/100000000001/copy
conforms "copy text" CopyText
expect_eq "the link carries the invite code" "$(body .text | grep -c "tk=$(tk member show s --json | jq -r .invite_code)")" "1"
expect_error "unknown product" 404 not_found GET /api/v1/products/jd/999

# ---- logout ends the session
expect_call "logout" 200 POST /api/v1/auth/logout
expect_error "session gone" 401 unauthorized GET /api/v1/me
TOKEN="$OPS"
expect_error "operators do not log out" 400 invalid POST /api/v1/auth/logout

# ---- bad requests
expect_error "malformed JSON" 400 invalid POST /api/v1/members '{"id": "x",'
expect_eq "body named" "$(body .error.field)" "body"
expect_error "not an object" 400 invalid POST /api/v1/members '[1,2]'
expect_error "duplicate member in JSON" 400 invalid POST /api/v1/members '{"id":"x","id":"y"}'
big=$(head -c 5000 /dev/zero | tr '\0' 'a')
expect_error "oversized body" 413 payload_too_large POST /api/v1/members "{\"id\":\"$big\"}"
long=$(head -c 3000 /dev/zero | tr '\0' 'a')
expect_error "path too long" 414 uri_too_long GET "/api/v1/members/$long"
EXTRA=(-H "X-Filler: $(head -c 20000 /dev/zero | tr '\0' 'a')")
call GET /api/v1/me
expect_eq "oversized header refused" "$STATUS" "431"
EXTRA=()
expect_error "unknown route" 404 not_found GET /api/v1/nothing
expect_error "method not allowed" 405 method_not_allowed DELETE /api/v1/members/s
expect_grep "405 names the methods" "Allow: GET" "$WORK/headers"
expect_error "bad escape" 400 invalid GET /api/v1/members/%zz
expect_error "fraction of a fen" 400 invalid POST /api/v1/withdrawals '{"member":"s","amount":1.5}'
expect_call "the server still answers" 200 GET /health

# ---- a revoked key stops working at once
expect_eq "revoke" "$(tk apikey revoke 1)" "API key 1 is revoked"
expect_error "revoked key" 401 unauthorized GET /api/v1/me

# ---- the access log: a line per call, never a credential
expect_grep "calls logged" '"route":"/api/v1/members/\{id\}/balance"' "$WORK/access.log"
for secret in "$OPS" "$S_TOKEN" "correct horse" "Authorization"; do
	if grep -qF -- "$secret" "$WORK/access.log" "$WORK/serve.err" "$WORK/serve.out"; then
		fail "a secret is in the logs: ${secret:0:6}..."
	else
		echo "ok: the logs hold no ${secret:0:6}..."
	fi
done
stop_server
expect_eq "orderly stop" "$STOP_STATUS" "0"

# ---- rate limits: per credential, and logins per address
OPS2=$(tk apikey create limits --role admin 2>/dev/null)
start_server --key-rate 3 --login-rate 2
TOKEN="$OPS2"
limited=0
for _ in $(seq 12); do
	call GET /api/v1/me
	[ "$STATUS" = 429 ] && limited=$((limited + 1)) && cp "$WORK/headers" "$WORK/h429"
done
expect_eq "a burst is throttled" "$(( limited > 0 ))" "1"
expect_grep "429 says when to retry" "Retry-After: [0-9]+" "$WORK/h429"
TOKEN=""
for _ in 1 2 3; do
	call POST /api/v1/auth/login '{"member":"s","password":"wrong horse"}'
done
expect_eq "third login attempt throttled" "$STATUS" "429"
expect_eq "throttled login code" "$(body .error.code)" "rate_limited"

# ---- a second server on a port in use is refused (the server's own
# listeners share their port, not with another program)
if timeout 10 "$TUIKE" serve --listen "${URL#http://}" >"$WORK/second.out" 2>"$WORK/second.err"; then
	fail "a second server started on ${URL#http://}"
else
	expect_grep "a second server on the port is refused" "Address already in use" "$WORK/second.err"
fi
call GET /health
expect_eq "the first server still answers" "$STATUS" "200"
# and a limit out of its bounds, before anything is opened
for bad in "--threads 0" "--header-max 100" "--session-ttl 1d" "--per-ip -1"; do
	status=0
	# shellcheck disable=SC2086 # the option and its value, split
	"$TUIKE" serve --listen 127.0.0.1:0 $bad >/dev/null 2>"$WORK/bad.err" || status=$?
	expect_eq "serve $bad refused" "$status" "2"
	expect_grep "serve $bad names the option" "^tuike: ${bad%% *}: must be" "$WORK/bad.err"
done
stop_server
finish

#!/usr/bin/env bash
# http_console.sh — what the web console needs from the server: its pages
# served from memory (index per folder, the folder redirect, ETag
# revalidation, long caching of hashed assets, a precompressed twin answered
# by Accept-Encoding, nothing outside the files
# read at start, the API never shadowed), member search, team figures, the
# inviter path (a member sees it up to itself), an order's items by order
# number, an item's life, sign-up by invite code, and copy text carrying
# the member's short link (made once, then reused).
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
tk products import "$TUIKE_FIXTURES/products/catalog.jsonl" >/dev/null
tk member add boss --level partner >/dev/null
tk member add lead --parent boss --level mentor >/dev/null
tk member add amy --parent lead --level super >/dev/null
tk member add bob --parent boss --level super >/dev/null
db_sql "UPDATE members SET name='洋洋妈' WHERE ext='amy'"
tk tag set amy jd subUnionId amy-jd >/dev/null
{
	row jd J1-1 paid 2026-11-01T10:00:00+08:00 1000 "" "" amy
	row jd J1-1 received 2026-11-03T10:00:00+08:00 900 "" "" amy
	row jd J1-2 paid 2026-11-01T10:00:00+08:00 500 "" "" amy
	row jd J2-1 paid 2026-11-02T10:00:00+08:00 700 "" "" bob
} >"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" >/dev/null
OPS=$(tk apikey create console --role admin 2>/dev/null)

# a web folder of our own: two pages, an asset, a hidden file, a link out
mkdir -p "$WORK/web/m" "$WORK/web/assets"
echo '<!doctype html><title>console</title>' >"$WORK/web/index.html"
echo '<!doctype html><title>promoter</title>' >"$WORK/web/m/index.html"
echo 'console.log(1)' >"$WORK/web/assets/app-1a2b.js"
gzip -9 -c "$WORK/web/assets/app-1a2b.js" >"$WORK/web/assets/app-1a2b.js.gz"
echo 'secret' >"$WORK/web/.env"
ln -s /etc/passwd "$WORK/web/passwd"

start_server --access-log off --web "$WORK/web"
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN=""

# ---- the pages
expect_call "console page" 200 GET /
expect_grep "console page body" "<title>console</title>" "$WORK/body"
expect_grep "pages are html" "Content-Type: text/html; charset=utf-8" "$WORK/headers"
expect_grep "pages revalidate" "Cache-Control: no-cache" "$WORK/headers"
expect_grep "pages refuse framing" "X-Frame-Options: DENY" "$WORK/headers"
expect_grep "pages carry a content policy" "Content-Security-Policy: default-src 'self'" "$WORK/headers"
etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$WORK/headers")
expect_eq "an ETag" "$([ -n "$etag" ] && echo yes)" "yes"
EXTRA=(-H "If-None-Match: $etag")
expect_call "unchanged page" 304 GET /
EXTRA=(-H 'If-None-Match: "other"')
expect_call "another ETag gets the page" 200 GET /
EXTRA=()
expect_call "folder without slash" 301 GET /m
expect_grep "redirected to the folder" "Location: /m/" "$WORK/headers"
expect_call "promoter page" 200 GET /m/
expect_grep "promoter page body" "<title>promoter</title>" "$WORK/body"
expect_call "an asset" 200 GET /assets/app-1a2b.js
expect_grep "assets are scripts" "Content-Type: text/javascript" "$WORK/headers"
expect_grep "assets are cached for good" "max-age=31536000, immutable" "$WORK/headers"
# the .gz beside it is its gzip encoding, never a file of its own
EXTRA=(-H 'Accept-Encoding: gzip, deflate, br')
expect_call "an asset, gzip accepted" 200 GET /assets/app-1a2b.js
expect_grep "its gzip twin" "Content-Encoding: gzip" "$WORK/headers"
expect_grep "a cache keeps them apart" "Vary: Accept-Encoding" "$WORK/headers"
expect_eq "the twin decodes to the file" "$(gunzip -c "$WORK/body")" "console.log(1)"
gz_etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$WORK/headers")
EXTRA=(-H 'Accept-Encoding: gzip;q=0')
expect_call "gzip refused" 200 GET /assets/app-1a2b.js
expect_eq "the file as it is" "$(cat "$WORK/body")" "console.log(1)"
expect_eq "no Content-Encoding" "$(grep -c '^Content-Encoding' "$WORK/headers")" "0"
id_etag=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$WORK/headers")
expect_eq "one ETag family, one tag per encoding" "$gz_etag" "${id_etag%\"}-gz\""
EXTRA=()
expect_error "a twin is no file of its own" 404 not_found GET /assets/app-1a2b.js.gz
expect_eq "HEAD of a page" "$(curl -s -I -o /dev/null -w '%{http_code}' "$URL/m/")" "200"
expect_error "a hidden file is not served" 404 not_found GET /.env
expect_error "a link out of the folder is not followed" 404 not_found GET /passwd
expect_error "no way out" 404 not_found GET /assets/../../etc/passwd
expect_error "an unknown file" 404 not_found GET /nope.js
expect_error "POST is not a page" 404 not_found POST /
expect_error "the API is never a page" 401 unauthorized GET /api/v1/me
echo 'changed' >"$WORK/web/index.html"
expect_call "files are read once, at start" 200 GET /
expect_grep "still the page read at start" "<title>console</title>" "$WORK/body"

# ---- member search (operators)
TOKEN="$OPS"
expect_call "search by id" 200 GET "/api/v1/members?q=amy"
conforms "search" MemberSearch
expect_eq "the member first" "$(body '.members[0].id')" "amy"
code=$(body '.members[0].invite_code')
expect_call "search by invite code" 200 GET "/api/v1/members?q=$code"
expect_eq "the invite code's member" "$(body '[.members[].id]|join(",")')" "amy"
expect_call "search by id prefix" 200 GET "/api/v1/members?q=b"
expect_eq "ids starting with b" "$(body '[.members[].id]|join(",")')" "bob,boss"
expect_call "search by part of a name" 200 GET "/api/v1/members?q=%E6%B4%8B%E5%A6%88"
expect_eq "the name's member" "$(body '[.members[].id]|join(",")')" "amy"
expect_call "search with GLOB characters" 200 GET "/api/v1/members?q=*"
expect_eq "matches nothing" "$(body '.members|length')" "0"
expect_call "a limit" 200 GET "/api/v1/members?q=b&limit=1"
expect_eq "one" "$(body '.members|length')" "1"
expect_call "no query: the whole list" 200 GET "/api/v1/members"
expect_eq "every member, newest first" "$(body '[.members[].id]|join(",")')" "bob,amy,lead,boss"

# ---- team figures and the inviter path
expect_call "team stats" 200 GET /api/v1/members/lead/stats
conforms "team stats" TeamStats
expect_eq "lead's team sales this month" "$(body '[.team_count, .this_month.month, .this_month.team_gmv]|@csv')" '1,"2026-11",39800'
expect_call "path" 200 GET /api/v1/members/amy/path
conforms "path" MemberPath
expect_eq "amy, lead, boss" "$(body '[.path[].id]|join(",")')" "amy,lead,boss"
expect_error "an unknown member's path" 404 not_found GET /api/v1/members/nobody/path

# ---- an order by its number, an item's life
expect_call "order items" 200 GET "/api/v1/orders?order=J1"
conforms "order items" OrderItems
expect_eq "both items of J1" "$(body '[.items[].item]|join(",")')" "J1-1,J1-2"
expect_eq "with their splits" "$(body '.items[0].splits[0].member')" "amy"
expect_call "order items of a union" 200 GET "/api/v1/orders?order=J1&union=taobao"
expect_eq "none at taobao" "$(body '.items|length')" "0"
expect_error "no order number" 400 invalid GET "/api/v1/orders"
expect_call "an item's life" 200 GET /api/v1/orders/jd/J1-1
conforms "item" Item
expect_eq "every state, oldest first" "$(body '[.events[] | "\(.status):\(.commission)"]|join(",")')" "paid:1000,received:900"

# ---- the simulator on a draft plan, before it is saved
draft=$(jq -c '.levels[2].rate_bps = 6000 | .name = "draft"' "$WORK/plan.json")
expect_call "simulate a draft" 200 POST /api/v1/plan/simulate \
	"{\"commission\":1000,\"chain\":[{\"level\":\"super\"},{\"level\":\"mentor\"}],\"plan\":$draft}"
conforms "a draft's split" Split
expect_eq "a draft has no version" "$(body .plan_version)" "null"
expect_eq "the draft's rates: super 50%, mentor 60% - 50% = 10%" "$(body '[.lines[].amount]|@csv')" "500,100"
expect_call "the saved version splits otherwise" 200 POST /api/v1/plan/simulate \
	'{"commission":1000,"chain":[{"level":"super"},{"level":"mentor"}]}'
expect_eq "mentor 70% - 50% = 20%" "$(body '[.lines[].amount]|@csv')" "500,200"
bad=$(jq -c '.levels[3].rate_bps = 9500' "$WORK/plan.json")
expect_error "a draft that pays too much" 400 invalid POST /api/v1/plan/simulate \
	"{\"commission\":1000,\"chain\":[{\"level\":\"super\"}],\"plan\":$bad}"
expect_eq "names the draft's field" "$(body '.error.field | startswith("plan.")')" "true"
expect_error "a draft and a version" 400 invalid POST /api/v1/plan/simulate \
	"{\"commission\":1000,\"chain\":[{\"level\":\"super\"}],\"plan\":$draft,\"version\":1}"
expect_call "nothing saved by simulating" 200 GET /api/v1/plan
expect_eq "still version 1" "$(body .version)" "1"

# ---- top lists say whose and what
expect_call "top members" 200 GET "/api/v1/reports/top?by=members&from=2026-11-01&to=2026-11-10"
expect_eq "with names" "$(body '[.items[] | "\(.key)=\(.label)"]|join(",")')" "amy=洋洋妈,bob="
expect_call "top products" 200 GET "/api/v1/reports/top?by=products&from=2026-11-01&to=2026-11-10"
expect_eq "unknown products have no title" "$(body '[.items[].label]|unique|join(",")')" ""

# ---- a member: its path up to itself, no search, no orders list
curl -s -X PUT -H "Authorization: Bearer $OPS" -d '{"password":"lead password 1"}' \
	"$URL/api/v1/members/lead/password" >/dev/null
LEAD=$(curl -s -d '{"member":"lead","password":"lead password 1"}' "$URL/api/v1/auth/login" | jq -r .token)
TOKEN="$LEAD"
expect_call "a member's view of a path" 200 GET /api/v1/members/amy/path
expect_eq "up to itself, not above" "$(body '[.path[].id]|join(",")')" "amy,lead"
expect_call "its own team figures" 200 GET /api/v1/members/lead/stats
expect_error "another team's figures" 403 forbidden GET /api/v1/members/bob/stats
expect_error "members do not search" 403 forbidden GET "/api/v1/members?q=a"
expect_error "members do not list orders" 403 forbidden GET "/api/v1/orders?order=J1"

# ---- sign-up by invite code
TOKEN=""
lead_code=$(curl -s -H "Authorization: Bearer $OPS" "$URL/api/v1/members/lead" | jq -r .invite_code)
expect_call "register" 201 POST /api/v1/auth/register \
	"{\"invite\":\"$lead_code\",\"id\":\"newbie\",\"name\":\"新人\",\"password\":\"newbie password\"}"
conforms "register" Session
NEW=$(body .token)
TOKEN="$NEW"
expect_call "the new member is logged in" 200 GET /api/v1/me
expect_eq "under its inviter" "$(body '[.member.id, .member.parent, .member.level]|@csv')" '"newbie","lead","member"'
TOKEN=""
expect_call "and can log in" 200 POST /api/v1/auth/login '{"member":"newbie","password":"newbie password"}'
expect_error "an id taken" 409 conflict POST /api/v1/auth/register \
	"{\"invite\":\"$lead_code\",\"id\":\"amy\",\"password\":\"another password\"}"
expect_error "a bad invite" 400 invalid POST /api/v1/auth/register \
	'{"invite":"ZZZZZZZZ","id":"x1","password":"another password"}'
expect_eq "names the field" "$(body .error.field)" "invite"
expect_error "a short password" 400 invalid POST /api/v1/auth/register \
	"{\"invite\":\"$lead_code\",\"id\":\"x2\",\"password\":\"short\"}"
expect_eq "nothing registered by refusals" "$(db_sql "SELECT count(*) FROM members WHERE ext IN ('x1','x2')")" "0"

# ---- copy text with the member's short link
TOKEN="$OPS"
expect_call "copy with a link" 200 GET "/api/v1/products/jd/100000000001/copy?member=amy&link=1"
conforms "copy" CopyText
link=$(body .text | grep -o "$URL/s/[0-9A-Za-z]*")
expect_eq "the text carries a short link" "$([ -n "$link" ] && echo yes)" "yes"
expect_eq "the link beside the text" "$(body .link.short_url)" "$link"
expect_eq "a plain target, no 淘口令" "$(body '[.link.converted, .tpwd]|@csv')" ","
expect_call "again" 200 GET "/api/v1/products/jd/100000000001/copy?member=amy&link=1"
expect_eq "the same link, not another" "$(body .text | grep -o "$URL/s/[0-9A-Za-z]*")" "$link"
expect_eq "one link stored" "$(db_sql "SELECT count(*) FROM links")" "1"
loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$link")
expect_eq "the link leads to the product with amy's tag" "$(grep -c 'subUnionId=amy-jd' <<<"$loc")" "1"
expect_error "no tag of that union" 409 conflict GET "/api/v1/products/taobao/600000000003/copy?member=amy&link=1"
expect_error "a link for nobody" 400 invalid GET "/api/v1/products/jd/100000000001/copy?link=1"
expect_error "link is 0 or 1" 400 invalid GET "/api/v1/products/jd/100000000001/copy?member=amy&link=yes"
stop_server
expect_eq "stopped cleanly" "$STOP_STATUS" "0"

# ---- --web off serves no pages
start_server --access-log off --web off
TOKEN=""
expect_error "no pages" 404 not_found GET /
stop_server
finish

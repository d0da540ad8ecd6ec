#!/usr/bin/env bash
# links_allowed.sh — where the links members make may lead, and how many
# they may make, against a real `tuike serve` with a member session: a
# host not allowed, user info and look-alikes refused naming the url and
# the host; an operator-added host accepted, and its links stopped (410)
# within a second of its removal, on the running server; a stored link to
# a host not allowed answers 410 and `link check` lists it; an operator's
# explicit one-off permission; the member quota (429 with Retry-After),
# raised and dropped by an operator, never limiting the operator.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
tk member add s --level super >/dev/null
tk member add other --level super >/dev/null
OPS=$(tk apikey create console --role admin 2>/dev/null)

# a member's link to a phishing page, stored before the host rules (as an
# upgraded database holds it), and an operator's product-less link to a
# host nobody allowed either
db_sql "INSERT INTO links(code, member, target, created_at) SELECT 'OldEvil1', id,
	'https://item.jd.com@evil.example/login?tk=X', 0 FROM members WHERE ext = 's'" >/dev/null
db_sql "INSERT INTO links(code, member, target, created_at) SELECT 'OldGood1', id,
	'https://item.jd.com/1.html?tk=X', 0 FROM members WHERE ext = 's'" >/dev/null

start_server --access-log off
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
status_of() { curl -s -o "$WORK/redirect" -D "$WORK/redirect.h" -w '%{http_code}' "$URL/s/$1"; }
# eventually_status CODE WANT: the redirect's status becomes WANT within 3 s
eventually_status() {
	local got=""
	for _ in $(seq 60); do
		got=$(status_of "$1")
		[ "$got" = "$2" ] && break
		sleep 0.05
	done
	expect_eq "$3" "$got" "$2"
}

expect_eq "a stored link to a host not allowed is stopped" "$(status_of OldEvil1)" "410"
expect_grep "with a plain page" "stopped" "$WORK/redirect"
if grep -qi "^Location:" "$WORK/redirect.h"; then fail "the stopped link still names its address"; fi
expect_eq "a stored link to a union's host redirects" "$(status_of OldGood1)" "302"
TOKEN="$OPS"
expect_call "the stopped link's document" 200 GET /api/v1/links/OldEvil1
conforms "a stopped link" Link
expect_eq "says it is blocked" "$(body .blocked)" "true"
expect_call "the other's" 200 GET /api/v1/links/OldGood1
expect_eq "is not" "$(body .blocked)" "null"

# ---- a member's session
TOKEN="$OPS"
expect_call "a password for s" 200 PUT /api/v1/members/s/password '{"password":"correct horse"}'
TOKEN=""
expect_call "s logs in" 200 POST /api/v1/auth/login '{"member":"s","password":"correct horse"}'
S_TOKEN=$(body .token)
TOKEN="$S_TOKEN"

refused() { # WHAT URL PART: a member's link refused, naming the url and PART
	expect_error "$1" 400 invalid POST /api/v1/links "{\"url\":\"$2\"}"
	expect_eq "$1: the field" "$(body .error.field)" "url"
	expect_grep "$1: the message names $3" "$3" <(body .error.message)
}
refused "a host not allowed" "https://evil.example/login" '"evil.example" is not allowed'
refused "user info before an allowed host" "https://item.jd.com@evil.example/" "user name"
refused "user and password" "https://a:b@item.jd.com/" "user name"
refused "an allowed name as a subdomain" "https://jd.com.evil.example/" '"jd.com.evil.example"'
refused "an allowed name without its dot" "https://evil-jd.com/" '"evil-jd.com"'
refused "an allowed name in the path" "https://evil.example/jd.com" '"evil.example"'
refused "an allowed name in the query" "https://evil.example?u=jd.com" '"evil.example"'
refused "a percent-encoded host" "https://evil%2eexample/" "percent"
refused "http" "http://item.jd.com/1.html" "https"
refused "an IP address" "https://127.0.0.1/" "IP address"
refused "another port" "https://item.jd.com:8443/" "port"
expect_error "a member may not pass allow_host" 403 forbidden POST /api/v1/links \
	'{"url":"https://evil.example/","allow_host":true}'
expect_eq "nothing was stored for the refusals" \
	"$(db_sql "SELECT count(*) FROM links WHERE target LIKE '%evil%' AND code <> 'OldEvil1'")" "0"

refused "an upper-case scheme" "HTTPS://item.jd.com/1.html" "lower case"
expect_call "a link to a union's page" 201 POST /api/v1/links '{"url":"https://Item.JD.com/100.html"}'
JD_CODE=$(body .code)
expect_eq "it redirects" "$(status_of "$JD_CODE")" "302"
expect_grep "to the union's page" "^Location: https://Item\.JD\.com/100\.html\?tk=" "$WORK/redirect.h"

# ---- the operators' list
TOKEN="$OPS"
expect_call "an operator allows a domain" 201 POST /api/v1/links/allowed-hosts '{"domain":"Shop.Example.ORG."}'
conforms "allowed" AllowedHostAdded
expect_eq "normalized" "$(body '[.domain,.added]|@csv')" '"shop.example.org",true'
expect_call "allowing it again" 201 POST /api/v1/links/allowed-hosts '{"domain":"shop.example.org"}'
expect_eq "changes nothing" "$(body .added)" "false"
expect_call "a built-in one" 201 POST /api/v1/links/allowed-hosts '{"domain":"jd.com"}'
expect_eq "is built in" "$(body '[.added,.builtin]|@csv')" "false,true"
expect_error "a bad domain" 400 invalid POST /api/v1/links/allowed-hosts '{"domain":"https://x.example/"}'
expect_eq "names the domain" "$(body .error.field)" "domain"
expect_error "a built-in one cannot go" 409 conflict DELETE /api/v1/links/allowed-hosts/jd.com
expect_call "the list" 200 GET /api/v1/links/allowed-hosts/list
conforms "the list" AllowedHosts
expect_eq "holds both kinds" "$(body '[(.builtin|index("taobao.com") != null), [.added[].domain]]|@json')" \
	'[true,["shop.example.org"]]'
TOKEN="$S_TOKEN"
expect_error "the list is the operators'" 403 forbidden GET /api/v1/links/allowed-hosts/list
expect_call "a link to an operator-allowed host" 201 POST /api/v1/links '{"url":"https://www.shop.example.org/a"}'
SHOP_CODE=$(body .code)
expect_eq "it redirects" "$(status_of "$SHOP_CODE")" "302"

TOKEN="$OPS"
expect_call "the operator removes the domain" 200 DELETE /api/v1/links/allowed-hosts/shop.example.org
eventually_status "$SHOP_CODE" 410 "its links stop on the running server"
expect_eq "the union's still redirects" "$(status_of "$JD_CODE")" "302"
expect_error "removing it twice" 404 not_found DELETE /api/v1/links/allowed-hosts/shop.example.org
TOKEN="$S_TOKEN"
refused "and new ones are refused" "https://www.shop.example.org/b" '"www.shop.example.org" is not allowed'
# another process allows it again: the server follows the change log
tk link allow add shop.example.org >/dev/null
eventually_status "$SHOP_CODE" 302 "allowed again from the command line, it redirects again"
expect_grep "the command line lists it" "^shop.example.org added" <(tk link allow list)

# ---- an operator's one-off permission
TOKEN="$OPS"
expect_error "an operator's link follows the list too" 400 invalid POST /api/v1/links \
	'{"member":"other","url":"https://landing.example/promo"}'
expect_eq "naming the url" "$(body .error.field)" "url"
expect_call "unless it passes allow_host" 201 POST /api/v1/links \
	'{"member":"other","url":"https://landing.example/promo","allow_host":true}'
conforms "a link let through" Link
OVER_CODE=$(body .code)
expect_eq "which the link records" "$(body .host_override)" "true"
expect_eq "and it redirects" "$(status_of "$OVER_CODE")" "302"
expect_grep "the server says what was let through" "allow_host" "$WORK/serve.err"
expect_error "allow_host lets no user info through" 400 invalid POST /api/v1/links \
	'{"member":"other","url":"https://jd.com@evil.example/","allow_host":true}'
OUT=$(tk link create other --url https://landing.example/cli --allow-host --json 2>"$WORK/cli.err")
expect_eq "the command line's permission" "$(jq -r .host_override <<<"$OUT")" "true"
expect_grep "said on stderr" "not on the allowed list" "$WORK/cli.err"
expect_status "without it the command line refuses" 2 tk link create other --url https://landing.example/x

# ---- link check
expect_status "link check fails while a link is blocked" 1 tk link check
tk link check --json 2>/dev/null >"$WORK/check.json" || true
expect_eq "it lists the blocked one and the let-through ones" \
	"$(jq -c '[.[] | [.code, .state]] | sort' "$WORK/check.json")" \
	"$(jq -nc --arg o "$OVER_CODE" --arg c "$(jq -r .code <<<"$OUT")" \
		'[["OldEvil1","blocked"], [$o,"override"], [$c,"override"]] | sort')"

# ---- the member quota
TOKEN="$S_TOKEN"
expect_call "a member sees its quota" 200 GET /api/v1/members/s/link-quota
conforms "quota" LinkQuota
expect_eq "the defaults, and what it made" "$(body '[.links_per_hour,.links_per_day,.own,.used_hour]|@csv')" \
	"200,1000,false,2"
expect_error "a member cannot set it" 403 forbidden PUT /api/v1/members/s/link-quota '{"links_per_hour":1000}'
TOKEN="$OPS"
expect_call "an operator sets it" 200 PUT /api/v1/members/s/link-quota '{"links_per_hour":4,"links_per_day":10}'
expect_eq "set" "$(body '[.links_per_hour,.links_per_day,.own]|@csv')" "4,10,true"
expect_error "a day below the hour" 400 invalid PUT /api/v1/members/s/link-quota '{"links_per_day":3}'
expect_eq "named" "$(body .error.field)" "links_per_day"
TOKEN="$S_TOKEN"
expect_call "the third link of the hour" 201 POST /api/v1/links '{"url":"https://item.jd.com/3.html"}'
expect_call "the fourth" 201 POST /api/v1/links '{"url":"https://item.jd.com/4.html"}'
expect_error "the fifth is over the quota" 429 link_quota_exceeded POST /api/v1/links '{"url":"https://item.jd.com/5.html"}'
expect_grep "with Retry-After (the oldest leaves the hour)" "^Retry-After: 3600" "$WORK/headers"
expect_grep "saying the quota" "quota \\(4 per hour" <(body .error.message)
expect_eq "no fifth was stored" "$(db_sql "SELECT count(*) FROM links WHERE target LIKE '%/5.html%'")" "0"
TOKEN="$OPS"
expect_call "an operator's link for s is not limited" 201 POST /api/v1/links \
	'{"member":"s","url":"https://item.jd.com/6.html"}'
expect_eq "the quota from the command line" "$(tk member quota s --json | jq -c '[.links_per_hour,.used_hour]')" "[4,4]"
tk member quota s --links-per-hour 5 >/dev/null
TOKEN="$S_TOKEN"
expect_call "raised, s makes one more" 201 POST /api/v1/links '{"url":"https://item.jd.com/7.html"}'
expect_error "and then not" 429 link_quota_exceeded POST /api/v1/links '{"url":"https://item.jd.com/8.html"}'
tk member quota s --default >/dev/null
expect_eq "back to the defaults" "$(tk member quota s --json | jq -c '[.links_per_hour,.own]')" "[200,false]"
expect_call "and s makes links again" 201 POST /api/v1/links '{"url":"https://item.jd.com/8.html"}'

# ---- each operator decision is in the action log, once
acts() { tk actions --json --limit 100 --what "$1" | jq -sc "[.[] | $2]"; }
expect_eq "a domain allowed (the second time changed nothing)" \
	"$(acts link_host.add 'select(.subject == "link_host:shop.example.org") | [.actor, .after.allowed]')" \
	'[["cli:'"${USER:-$(id -un)}@$(hostname)"'",true],["key:console",true]]'
expect_eq "a domain removed (the second time changed nothing)" \
	"$(acts link_host.remove '[.actor, .before.allowed, .after.allowed]')" '[["key:console",true,false]]'
expect_eq "the links let past the list" "$(acts link.host_override '.after.target | split("?")[0]')" \
	'["https://landing.example/cli","https://landing.example/promo"]'
expect_eq "the quota set, changed and dropped" \
	"$(acts member.link_quota '[.before.links_per_hour, .after.links_per_hour]')" \
	'[[5,null],[4,5],[null,4]]'

finish

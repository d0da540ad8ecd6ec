#!/usr/bin/env bash
# http_proxy.sh — tuike behind a reverse proxy (curl plays the proxy on
# 127.0.0.1, --trusted-proxy): each client behind it is its own address for
# unique clicks, login limits and the access log, and a client's own
# X-Forwarded-For is not believed; failed logins to one member from many
# addresses are stopped while another member is not; HEAD is GET without
# the body on the API, the console's files and the redirect, whose HEAD is
# a robot's hit and never a click.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
standard_plan
tk member add alice --level super >/dev/null
tk member add bob --level super >/dev/null
code=$(tk link create alice --url https://item.jd.com/100012043978.html --json | jq -r .code)
OPS=$(tk apikey create ops --role operations 2>/dev/null)
mkdir -p "$WORK/web"
printf '<!doctype html><title>console</title>\n' >"$WORK/web/index.html"

# ---- options are checked
for bad in "10.0.0.1/8" "10.0.0.0/33" "proxy.example.com" ""; do
	status=0
	"$TUIKE" serve --listen 127.0.0.1:0 --trusted-proxy "$bad" >/dev/null 2>"$WORK/err" || status=$?
	expect_eq "--trusted-proxy '$bad' refused" "$status" "2"
done
expect_grep "the network meant is named" "10.0.0.0/8" <("$TUIKE" serve --trusted-proxy 10.1.2.3/8 2>&1)

start_server --trusted-proxy 127.0.0.1/32 --trusted-proxy 10.0.0.0/8 --login-account-failures 3 \
	--login-rate 5 --flush-ms 20 --access-log "$WORK/access.log" --web "$WORK/web"
TOKEN=$OPS
expect_call "alice's password" 200 PUT /api/v1/members/alice/password '{"password":"alice secret"}'
expect_call "bob's password" 200 PUT /api/v1/members/bob/password '{"password":"bob secret 1"}'
TOKEN=""

# login FROM BODY: one login as the client FROM behind the proxy
login() {
	EXTRA=(-H "X-Forwarded-For: $1")
	call POST /api/v1/auth/login "$2"
	EXTRA=()
}

# ---- one member, many addresses: three failures, then 429 whatever the password
for i in 1 2 3; do
	login "203.0.113.$i" '{"member":"alice","password":"guess '$i'"}'
	expect_eq "guess $i from 203.0.113.$i: wrong password" "$STATUS" "401"
done
login 203.0.113.4 '{"member":"alice","password":"guess 4"}'
expect_eq "the fourth address's guess is refused" "$STATUS" "429"
expect_eq "as rate_limited" "$(body .error.code)" "rate_limited"
expect_grep "with a Retry-After" "Retry-After: [0-9]" "$WORK/headers"
login 203.0.113.5 '{"member":"alice","password":"alice secret"}'
expect_eq "the right password during the wait is refused too" "$STATUS" "429"
# the same addresses, another member: not affected
for i in 1 2 3 4; do
	login "203.0.113.$i" '{"member":"bob","password":"bob secret 1"}'
	expect_eq "bob logs in from 203.0.113.$i" "$STATUS" "200"
done
login 203.0.113.1 '{"member":"bob","password":"nope"}'
expect_eq "bob's wrong password is only wrong" "$STATUS" "401"

# ---- per address: failures count, successes do not (a NAT of many members)
for i in $(seq 8); do
	login 198.51.100.7 '{"member":"bob","password":"bob secret 1"}'
	[ "$STATUS" = 200 ] || fail "login $i from one NAT address: $STATUS"
done
echo "ok: 8 logins from one address, past --login-rate 5"
for i in $(seq 5); do
	login 198.51.100.8 '{"member":"ghost'$i'","password":"x"}'
	[ "$STATUS" = 401 ] || fail "failure $i from one address: $STATUS"
done
login 198.51.100.8 '{"member":"bob","password":"bob secret 1"}'
expect_eq "the sixth try after five failures from one address" "$STATUS" "429"
login 198.51.100.9 '{"member":"bob","password":"bob secret 1"}'
expect_eq "the next client behind the same proxy is its own address" "$STATUS" "200"
# a client's own X-Forwarded-For, which the proxy appends to: the address
# the proxy saw is the one limited
login "203.0.113.77, 198.51.100.8" '{"member":"bob","password":"bob secret 1"}'
expect_eq "a spoofed X-Forwarded-For does not escape the limit" "$STATUS" "429"
# ... nor a second header line the client sent before the proxy's
EXTRA=(-H "X-Forwarded-For: 203.0.113.78" -H "X-Forwarded-For: 198.51.100.8")
call POST /api/v1/auth/login '{"member":"bob","password":"bob secret 1"}'
EXTRA=()
expect_eq "nor a second header line" "$STATUS" "429"

# ---- the access log names the client and the proxy
expect_grep "client and peer logged" '"ip":"198.51.100.9","peer":"127.0.0.1"' "$WORK/access.log"

# ---- unique clicks are per client behind the proxy
click() { curl -s -o /dev/null -w '%{http_code}' -A "Mozilla/5.0 (iPhone)" -H "X-Forwarded-For: $1" "$URL/s/$code"; }
for ip in 192.0.2.1 192.0.2.1 192.0.2.2 192.0.2.3 "192.0.2.99, 192.0.2.3"; do
	expect_eq "click from $ip" "$(click "$ip")" "302"
done
# HEAD: a 302 with its Location and no body, and a robot's hit
curl -s -I -A "Mozilla/5.0 (iPhone)" -H "X-Forwarded-For: 192.0.2.4" "$URL/s/$code" >"$WORK/head"
expect_grep "HEAD on a link: 302" "^HTTP/1.1 302" "$WORK/head"
expect_grep "with its Location" "^Location: https://item.jd.com/100012043978.html" "$WORK/head"
# a command-line client is a robot too
curl -s -o /dev/null -H "X-Forwarded-For: 192.0.2.5" "$URL/s/$code"
stop_server
expect_eq "shutdown" "$STOP_STATUS" "0"
counts=$(db_sql "SELECT c.clicks || ' ' || c.unique_clicks || ' ' || c.bot_clicks FROM link_counts c
	JOIN links l ON l.id = c.link WHERE l.code = '$code'")
expect_eq "5 clicks from 3 clients behind one proxy: 3 unique; HEAD and curl: 2 robots" \
	"$counts" "5 3 2"

# ---- HEAD is GET without the body: the API and the console's files
start_server --trusted-proxy 127.0.0.1/32 --access-log off --web "$WORK/web"
for path in /health /api/v1/members/alice /api/v1/openapi.json /; do
	get=$(curl -s -D "$WORK/gh" -o "$WORK/gb" -H "Authorization: Bearer $OPS" -w '%{http_code}' "$URL$path")
	head=$(curl -s -I -H "Authorization: Bearer $OPS" -o "$WORK/hh" -w '%{http_code}|%{size_download}' "$URL$path")
	expect_eq "HEAD $path: GET's status, no body" "$head" "$get|0"
	expect_eq "HEAD $path: GET's Content-Length" \
		"$(grep -i '^Content-Length' "$WORK/hh" | tr -d '\r')" \
		"Content-Length: $(wc -c <"$WORK/gb" | tr -d ' ')"
	expect_eq "HEAD $path: GET's Content-Type" "$(grep -i '^Content-Type' "$WORK/hh")" \
		"$(grep -i '^Content-Type' "$WORK/gh")"
done
TOKEN=""
expect_eq "HEAD without a credential: 401 as GET" \
	"$(curl -s -I -o /dev/null -w '%{http_code}' "$URL/api/v1/me")" "401"
call DELETE /api/v1/me
expect_eq "a wrong method" "$STATUS" "405"
expect_grep "HEAD is allowed with GET" "^Allow: GET, HEAD" "$WORK/headers"
stop_server

# ---- without --trusted-proxy the header is nobody's word
start_server --login-rate 3 --access-log "$WORK/access2.log"
for i in 1 2 3; do
	login "203.0.113.1$i" '{"member":"ghost","password":"x"}'
done
login 203.0.113.20 '{"member":"bob","password":"bob secret 1"}'
expect_eq "every 'address' is the proxy's own: limited" "$STATUS" "429"
expect_grep "the peer is the client" '"ip":"127.0.0.1","peer":"127.0.0.1"' "$WORK/access2.log"
stop_server
finish

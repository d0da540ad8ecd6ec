#!/usr/bin/env bash
# slow_flood.sh — one client cannot make the server unreachable: 2,000
# connections trickling a header byte a second from 51 loopback addresses
# (more than --max-connections 200 five times over, under the per-address
# limit each) while another address's redirects and API reads are answered
# within 3 s; from one address, the per-address limit alone keeps the
# slots free; with the defences switched off the same flood shuts the
# probes out (so the measure can fail).  A request head and a body that
# trickle are closed at their deadlines.  SQLite only (the flood never
# reaches the database).
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
FLOOD=(python3 "$TUIKE_SRC/tests/http/slow_flood.py")

# 2,000 sockets here, a few hundred in the server (it inherits the limit)
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 4096 ]; then
	fail "open files limited to $(ulimit -n); the flood needs 4096 (run as root or raise the hard limit)"
	finish
fi

standard_plan
tk member add s --level super >/dev/null
code=$(tk link create s --url https://item.jd.com/100012043978.html --json | jq -r .code)
key=$(tk apikey create probe 2>/dev/null)
# the server under test: 200 connections over two network threads
LIMITS=(--threads 2 --max-connections 200 --access-log off)

# flood NAME FROM CONNS SECONDS: floods from the addresses FROM while
# probing from 127.0.0.2 (a redirect and an API read in turn, each due
# within 3 s); the probes' figures go to $WORK/NAME.probe, the flood's to
# $WORK/NAME.flood, /health halfway through to $WORK/NAME.health
flood() {
	local name=$1 from=$2 conns=$3 seconds=$4 port=${URL##*:}
	"${FLOOD[@]}" flood --port "$port" --from "$from" --conns "$conns" \
		--seconds "$((seconds + 4))" >"$WORK/$name.flood" &
	local flood_pid=$!
	sleep 3 # the flood takes the slots
	"${FLOOD[@]}" probe --port "$port" --from 127.0.0.2 --seconds "$seconds" --within 3 \
		--get "/s/$code" --get "/api/v1/links/$code" \
		--header "Authorization: Bearer $key" >"$WORK/$name.probe" &
	local probe_pid=$!
	sleep "$((seconds / 2))"
	curl -s --max-time 5 --interface 127.0.0.2 "$URL/health" >"$WORK/$name.health" || true
	wait "$probe_pid"
	wait "$flood_pid"
	echo "$name: probes $(cat "$WORK/$name.probe")"
	echo "$name: flood $(cat "$WORK/$name.flood")"
	echo "$name: health halfway $(jq -c .connections "$WORK/$name.health" 2>/dev/null)"
}

# share_answered NAME: percent of the probes answered in time
share_answered() { jq '(100 * .answered / .probes) | floor' "$WORK/$1.probe"; }
health() { jq -r ".connections.$2" "$WORK/$1.health"; }

# ---- the flood from many addresses, every defence at its default
start_server "${LIMITS[@]}"
flood many 127.0.0.10-127.0.0.60 2000 15
expect_eq "at least 95 % of the probes answered within 3 s" \
	"$([ "$(share_answered many)" -ge 95 ] && echo yes)" "yes"
# (a probe left unanswered is "None", bounded by the check above; any other
# status would be a wrong answer)
expect_eq "the answered redirects said 302 and the API reads 200" \
	"$(jq -c '.statuses | del(."302", ."200", ."None") | length' "$WORK/many.probe")" "0"
expect_eq "slow heads were closed to make room" \
	"$([ "$(health many closed_pressure)" -gt 0 ] && echo yes)" "yes"
expect_eq "the flood held fewer connections than the limit" \
	"$([ "$(health many open)" -le 200 ] && echo yes)" "yes"
call GET /health
expect_eq "the server answers after the flood" "$STATUS" "200"
expect_eq "/health counts what the edge closed" \
	"$(body '.connections | (.closed_pressure > 1000) and has("refused_per_ip")')" "true"
stop_server
expect_eq "orderly stop after the flood" "$STOP_STATUS" "0"

# ---- from one address, the per-address limit alone keeps slots free
start_server "${LIMITS[@]}" --head-timeout 0 --pressure-at 0
flood one 127.0.0.9 300 4
expect_eq "one address: the probes answered" \
	"$([ "$(share_answered one)" -ge 95 ] && echo yes)" "yes"
expect_eq "one address holds at most 64 connections (and the probe's)" \
	"$([ "$(health one open)" -le 66 ] && echo yes)" "yes"
expect_eq "the rest are refused" \
	"$([ "$(health one refused_per_ip)" -gt 0 ] && echo yes)" "yes"
stop_server

# ---- a trusted proxy's address is spared the per-address limit: its
# connections carry many clients
start_server "${LIMITS[@]}" --head-timeout 0 --pressure-at 0 --trusted-proxy 127.0.0.9/32
flood proxy 127.0.0.9 120 4
expect_eq "a trusted proxy holds more than 64 connections" \
	"$([ "$(health proxy open)" -gt 100 ] && echo yes)" "yes"
expect_eq "none of a trusted proxy's connections refused" "$(health proxy refused_per_ip)" "0"
stop_server

# ---- the defences off (the server as it was): the same flood shuts the probes out
start_server "${LIMITS[@]}" --max-connections-per-ip 0 --head-timeout 0 --pressure-at 0
flood off 127.0.0.10-127.0.0.60 2000 4
expect_eq "defences off: most probes go unanswered" \
	"$([ "$(share_answered off)" -lt 50 ] && echo yes)" "yes"
stop_server

# ---- the deadlines, one connection at a time (no pressure)
start_server "${LIMITS[@]}" --head-timeout 2 --body-timeout 1
port=${URL##*:}
"${FLOOD[@]}" trickle --port "$port" --from 127.0.0.3 --seconds 10 \
	--send 'GET /s/x HTTP/1.1\r\nHost: h\r\nX-Slow: ' >"$WORK/head.json"
echo "head: $(cat "$WORK/head.json")"
expect_eq "a trickling head is closed at its deadline (2 s)" \
	"$(jq '.closed_after != null and .closed_after >= 1.5 and .closed_after < 4' "$WORK/head.json")" "true"
"${FLOOD[@]}" trickle --port "$port" --from 127.0.0.3 --seconds 10 \
	--send "POST /api/v1/links HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n{" \
	>"$WORK/body.json"
echo "body: $(cat "$WORK/body.json")"
expect_eq "a trickling body is closed at its deadline (1 s)" \
	"$(jq '.closed_after != null and .closed_after >= 0.5 and .closed_after < 3' "$WORK/body.json")" "true"
call GET /health
expect_eq "both counted" "$(body '[.connections.closed_head_deadline, .connections.closed_body_deadline]' | jq -c .)" "[1,1]"
# on a kept-alive connection the next head's deadline runs from the answer
"${FLOOD[@]}" trickle --port "$port" --from 127.0.0.3 --seconds 10 \
	--send "GET /s/$code HTTP/1.1\r\nHost: h\r\n\r\n" >"$WORK/idle.json"
echo "next head: $(cat "$WORK/idle.json")"
expect_eq "a kept-alive connection's trickling next head is closed at the deadline" \
	"$(jq '.closed_after != null and .closed_after < 4' "$WORK/idle.json")" "true"
stop_server

# ---- the limits' bounds
for bad in "--head-timeout 3601" "--body-timeout -1" "--pressure-at 101" \
	"--pressure-grace-ms 10" "--max-connections-per-ip -1"; do
	status=0
	# shellcheck disable=SC2086 # the option and its value, split
	"$TUIKE" serve --listen 127.0.0.1:0 $bad >/dev/null 2>"$WORK/bad.err" || status=$?
	expect_eq "serve $bad refused" "$status" "2"
	expect_grep "serve $bad names the option" "^tuike: ${bad%% *}: must be" "$WORK/bad.err"
done
finish

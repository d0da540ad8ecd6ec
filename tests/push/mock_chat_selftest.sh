#!/usr/bin/env bash
# mock_chat_selftest.sh — checks the local chat receiver (tests/push/mock_chat.py)
# on its own, with curl: each platform's good requests, keys and signatures,
# payload checks, rate limits with their exact codes, simulated time, the
# transient failures and the logs.  Needs no tuike binary and no database.
TUIKE=${TUIKE:-/bin/false}
TUIKE_SRC=${TUIKE_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=../scenario/lib.sh
source "$TUIKE_SRC/tests/scenario/lib.sh"
MOCK="$TUIKE_SRC/tests/push/mock_chat.py"
MOCK_PIDS=()
stop_mocks() {
	local pid
	for pid in "${MOCK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${MOCK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_mocks; rm -rf "$WORK"' EXIT

T0=1767225600000 # 2026-01-01 00:00 UTC, in simulated time

cat >"$WORK/robots.json" <<'JSON'
{"wecom": {"wk-1": {"name": "w1"}, "wk-rate": {"name": "w2"}},
 "dingtalk": {"dt-signed": {"name": "d1", "secret": "SECdt"},
              "dt-open": {"name": "d2"},
              "dt-kw": {"name": "d3", "keywords": ["优惠"]},
              "dt-rate": {"name": "d4"}},
 "feishu": {"fs-signed": {"name": "f1", "secret": "fs-secret"},
            "fs-rate": {"name": "f2"}},
 "telegram": {"123:ABC": {"name": "t1", "chats": {"-1001": "group", "42": "private", "-1003": "group"},
                          "kicked": ["-1002"]}}}
JSON

# start NAME [options...]: a receiver logging to $WORK/NAME.{log,refused,violations}; sets BASE
start() {
	local name=$1
	shift
	timeout 300 python3 "$MOCK" --config "$WORK/robots.json" --port-file "$WORK/$name.port" \
		--log "$WORK/$name.log" --refused "$WORK/$name.refused" \
		--violations "$WORK/$name.violations" "$@" &
	MOCK_PIDS+=($!)
	local i
	for i in $(seq 1 100); do
		[ -s "$WORK/$name.port" ] && break
		sleep 0.1
	done
	[ -s "$WORK/$name.port" ] || { echo "mock_chat $name did not start" >&2; exit 1; }
	BASE="http://127.0.0.1:$(cat "$WORK/$name.port")"
}

# post AT_MS PATH BODY: prints "HTTP-STATUS BODY" (AT_MS "" = the real clock)
post() {
	local at=$1 path=$2 body=$3 hdr=()
	[ -z "$at" ] || hdr=(-H "X-Sim-Time-Ms: $at")
	: >"$WORK/reply"
	local code
	code=$(curl -s -m 10 -o "$WORK/reply" -w '%{http_code}' "${hdr[@]}" \
		-H 'Content-Type: application/json' --data-binary "$body" "$BASE$path") || code=000
	printf '%s ' "$code"
	cat "$WORK/reply"
}

# field JSON_PATH: one field of the last reply
field() { jq -r "$1" "$WORK/reply"; }

sign_dingtalk() { # SECRET TS_MS
	python3 -c 'import sys,hmac,hashlib,base64,urllib.parse as u
s,t=sys.argv[1],sys.argv[2]
print(u.quote(base64.b64encode(hmac.new(s.encode(),(t+"\n"+s).encode(),hashlib.sha256).digest()).decode(),safe=""))' "$1" "$2"
}
sign_feishu() { # SECRET TS_S
	python3 -c 'import sys,hmac,hashlib,base64
s,t=sys.argv[1],sys.argv[2]
print(base64.b64encode(hmac.new((t+"\n"+s).encode(),b"",hashlib.sha256).digest()).decode())' "$1" "$2"
}
# repeat N CHARS: CHARS N times
repeat() { python3 -c 'import sys; print(sys.argv[2]*int(sys.argv[1]), end="")' "$1" "$2"; }
lines() { grep -c . "$1" || true; }

start main

echo "== WeCom"
W=/cgi-bin/webhook/send?key
post $T0 "$W=wk-1" '{"msgtype":"text","text":{"content":"今日好价"}}' >/dev/null
expect_eq "wecom text delivered" "$(field .errcode)" 0
post $T0 "$W=nope" '{"msgtype":"text","text":{"content":"x"}}' >/dev/null
expect_eq "wecom unknown key" "$(field .errcode)" 93000
post $T0 "$W=wk-1" "{\"msgtype\":\"text\",\"text\":{\"content\":\"$(repeat 2049 a)\"}}" >/dev/null
expect_eq "wecom text over 2048 bytes" "$(field .errcode)" 40058
post $T0 "$W=wk-1" "{\"msgtype\":\"text\",\"text\":{\"content\":\"$(repeat 682 券)\"}}" >/dev/null
expect_eq "wecom text of 2046 bytes (682 CJK characters)" "$(field .errcode)" 0
post $T0 "$W=wk-1" "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"$(repeat 4096 m)\"}}" >/dev/null
expect_eq "wecom markdown of 4096 bytes" "$(field .errcode)" 0
post $T0 "$W=wk-1" "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"$(repeat 4097 m)\"}}" >/dev/null
expect_eq "wecom markdown over 4096 bytes" "$(field .errcode)" 40058
post $T0 "$W=wk-1" '{"msgtype":"text","text":{"content":""}}' >/dev/null
expect_eq "wecom empty text" "$(field .errcode)" 44004
post $T0 "$W=wk-1" '{"msgtype":"voice","voice":{}}' >/dev/null
expect_eq "wecom unknown msgtype" "$(field .errcode)" 40008
art='{"title":"t","description":"d","url":"https://u.example/1","picurl":"https://p.example/1.jpg"}'
post $T0 "$W=wk-1" "{\"msgtype\":\"news\",\"news\":{\"articles\":[$art]}}" >/dev/null
expect_eq "wecom news of 1 article" "$(field .errcode)" 0
nine=$(printf '%s,' "$art" "$art" "$art" "$art" "$art" "$art" "$art" "$art" "$art")
post $T0 "$W=wk-1" "{\"msgtype\":\"news\",\"news\":{\"articles\":[${nine%,}]}}" >/dev/null
expect_eq "wecom news of 9 articles" "$(field .errcode)" 40058
post $T0 "$W=wk-1" '{"msgtype":"news","news":{"articles":[{"title":"t"}]}}' >/dev/null
expect_eq "wecom news article without url" "$(field .errcode)" 40058
post $T0 "$W=wk-1" 'not json' >/dev/null
expect_eq "wecom bad JSON" "$(field .errcode)" 40058
# 20 a minute per robot, over a sliding window
for i in $(seq 0 19); do
	post $((T0 + i * 1000)) "$W=wk-rate" '{"msgtype":"text","text":{"content":"r"}}' >/dev/null
	[ "$(field .errcode)" = 0 ] || fail "wecom message $i of 20 refused: $(cat "$WORK/reply")"
done
post $((T0 + 59999)) "$W=wk-rate" '{"msgtype":"text","text":{"content":"r"}}' >/dev/null
expect_eq "wecom 21st within a minute" "$(field .errcode)" 45009
post $((T0 + 60000)) "$W=wk-rate" '{"msgtype":"text","text":{"content":"r"}}' >/dev/null
expect_eq "wecom once the first left the window" "$(field .errcode)" 0
post $((T0 + 60001)) "$W=wk-1" '{"msgtype":"text","text":{"content":"other robot"}}' >/dev/null
expect_eq "wecom limit is per robot" "$(field .errcode)" 0

echo "== DingTalk"
D=/robot/send?access_token
msg='{"msgtype":"text","text":{"content":"今日优惠"}}'
ts=$((T0 + 1000))
post $ts "$D=dt-signed&timestamp=$ts&sign=$(sign_dingtalk SECdt $ts)" "$msg" >/dev/null
expect_eq "dingtalk signed text delivered" "$(field .errcode)" 0
post $ts "$D=dt-signed&timestamp=$ts&sign=$(sign_dingtalk wrong $ts)" "$msg" >/dev/null
expect_eq "dingtalk wrong sign" "$(field .errcode)" 310000
post $ts "$D=dt-signed&timestamp=$ts" "$msg" >/dev/null
expect_eq "dingtalk signed robot without sign" "$(field .errcode)" 310000
old=$((ts - 3600001))
post $ts "$D=dt-signed&timestamp=$old&sign=$(sign_dingtalk SECdt $old)" "$msg" >/dev/null
expect_eq "dingtalk timestamp over an hour off" "$(field .errcode)" 310000
raw=$(python3 -c 'import sys,hmac,hashlib,base64
print(base64.b64encode(hmac.new(b"SECdt",(sys.argv[1]+"\nSECdt").encode(),hashlib.sha256).digest()).decode())' $ts)
case $raw in
*+*) post $ts "$D=dt-signed&timestamp=$ts&sign=$raw" "$msg" >/dev/null
	expect_eq "dingtalk sign not URL-encoded ('+' read as a space)" "$(field .errcode)" 310000 ;;
esac
post $ts "$D=nope" "$msg" >/dev/null
expect_eq "dingtalk unknown token" "$(field .errcode)" 300001
post $ts "$D=dt-open" '{"msgtype":"markdown","markdown":{"title":"标题","text":"## 好价"}}' >/dev/null
expect_eq "dingtalk unsigned robot markdown" "$(field .errcode)" 0
post $ts "$D=dt-open" '{"msgtype":"markdown","markdown":{"text":"## 好价"}}' >/dev/null
expect_eq "dingtalk markdown without title" "$(field .errcode)" 40035
post $ts "$D=dt-open" '{"msgtype":"link","link":{"title":"t","text":"x","messageUrl":"https://u.example/","picUrl":""}}' >/dev/null
expect_eq "dingtalk link" "$(field .errcode)" 0
post $ts "$D=dt-open" '{"msgtype":"actionCard","actionCard":{"title":"t","text":"x","singleTitle":"买","singleURL":"https://u.example/"}}' >/dev/null
expect_eq "dingtalk actionCard" "$(field .errcode)" 0
post $ts "$D=dt-open" '{"msgtype":"actionCard","actionCard":{"title":"t","text":"x"}}' >/dev/null
expect_eq "dingtalk actionCard without a button" "$(field .errcode)" 40035
post $ts "$D=dt-kw" '{"msgtype":"text","text":{"content":"no keyword here"}}' >/dev/null
expect_eq "dingtalk keyword missing" "$(field .errcode)" 310000
post $ts "$D=dt-kw" "$msg" >/dev/null
expect_eq "dingtalk keyword present" "$(field .errcode)" 0
for i in $(seq 0 19); do
	post $((T0 + i * 500)) "$D=dt-rate" "$msg" >/dev/null
	[ "$(field .errcode)" = 0 ] || fail "dingtalk message $i of 20 refused: $(cat "$WORK/reply")"
done
blocked=$((T0 + 30000))
post $blocked "$D=dt-rate" "$msg" >/dev/null
expect_eq "dingtalk 21st within a minute" "$(field .errcode)" 130101
post $((blocked + 5 * 60000)) "$D=dt-rate" "$msg" >/dev/null
expect_eq "dingtalk robot blocked 5 min later" "$(field .errcode)" 130101
post $((blocked + 10 * 60000 - 1)) "$D=dt-rate" "$msg" >/dev/null
expect_eq "dingtalk robot blocked until 10 min" "$(field .errcode)" 130101
post $((blocked + 10 * 60000)) "$D=dt-rate" "$msg" >/dev/null
expect_eq "dingtalk robot free after 10 min" "$(field .errcode)" 0

echo "== Feishu"
F=/open-apis/bot/v2/hook
s=$((T0 / 1000))
fs_body() { # TS SIGN MSG_TYPE CONTENT_JSON
	printf '{"timestamp":"%s","sign":"%s","msg_type":"%s",%s}' "$1" "$2" "$3" "$4"
}
good=$(sign_feishu fs-secret $s)
out=$(post $T0 "$F/fs-signed" "$(fs_body $s "$good" text '"content":{"text":"好价"}')")
expect_eq "feishu signed text" "$out" '200 {"code": 0, "msg": "success", "data": {}, "StatusCode": 0, "StatusMessage": "success"}'
post $T0 "$F/fs-signed" "$(fs_body $s "$(sign_feishu other $s)" text '"content":{"text":"好价"}')" >/dev/null
expect_eq "feishu wrong sign" "$(field .code)" 19021
post $((T0 + 3600001)) "$F/fs-signed" "$(fs_body $s "$good" text '"content":{"text":"好价"}')" >/dev/null
expect_eq "feishu timestamp over an hour off" "$(field .code)" 19021
post $T0 "$F/nope" "$(fs_body $s "" text '"content":{"text":"x"}')" >/dev/null
expect_eq "feishu unknown token" "$(field .code) $(field .msg)" "19001 param invalid: incoming webhook access token invalid"
out=$(post $T0 "$F/fs-signed" "$(fs_body $s "$good" post '"content":{"post":{"zh_cn":{"title":"t","content":[[{"tag":"text","text":"x"}]]}}}')")
expect_eq "feishu post" "$(field .code)" 0
post $T0 "$F/fs-signed" "$(fs_body $s "$good" interactive '"card":{"elements":[{"tag":"markdown","content":"x"}]}')" >/dev/null
expect_eq "feishu interactive card" "$(field .code)" 0
out=$(post $T0 "$F/fs-signed" "$(fs_body $s "$good" text '"content":{}')")
expect_eq "feishu text without text" "${out%% *} $(field .code)" "400 9499"
out=$(post $T0 "$F/fs-signed" "$(fs_body $s "$good" text "\"content\":{\"text\":\"$(repeat 20400 x)\"}")")
expect_eq "feishu body over 20 KB" "${out%% *} $(field .code) $(field .msg)" "400 9499 Bad Request"
# 5 a second
for i in 0 1 2 3 4; do
	post $((T0 + 100000 + i)) "$F/fs-rate" "$(fs_body $s "" text '"content":{"text":"r"}')" >/dev/null
	[ "$(field .code)" = 0 ] || fail "feishu message $i of 5 refused: $(cat "$WORK/reply")"
done
out=$(post $((T0 + 100999)) "$F/fs-rate" "$(fs_body $s "" text '"content":{"text":"r"}')")
expect_eq "feishu 6th within a second" "${out%% *} $(field .code) $(field .msg)" "429 9499 too many request"
post $((T0 + 101000)) "$F/fs-rate" "$(fs_body $s "" text '"content":{"text":"r"}')" >/dev/null
expect_eq "feishu a second later" "$(field .code)" 0
# 100 a minute (4 a second: under 5/s)
for i in $(seq 6 99); do
	post $((T0 + 101000 + i * 250)) "$F/fs-rate" "$(fs_body $s "" text '"content":{"text":"r"}')" >/dev/null
	[ "$(field .code)" = 0 ] || { fail "feishu message $i of 100 refused: $(cat "$WORK/reply")"; break; }
done
out=$(post $((T0 + 101000 + 100 * 250)) "$F/fs-rate" "$(fs_body $s "" text '"content":{"text":"r"}')")
expect_eq "feishu 101st within a minute" "${out%% *} $(field .code)" "429 9499"

echo "== Telegram"
B=/bot123:ABC
out=$(post $T0 "$B/sendMessage" '{"chat_id":-1001,"text":"<b>好价</b> &lt;3 <a href=\"https://u.example/\">买</a>","parse_mode":"HTML","disable_web_page_preview":true}')
expect_eq "telegram sendMessage" "${out%% *} $(field .ok) $(field .result.message_id)" "200 true 1"
out=$(post $T0 "/bot999:XYZ/sendMessage" '{"chat_id":-1001,"text":"x"}')
expect_eq "telegram unknown token" "${out%% *} $(field .description)" "401 Unauthorized"
out=$(post $T0 "$B/sendSticker" '{"chat_id":-1001}')
expect_eq "telegram unknown method" "${out%% *}" "404"
out=$(post $T0 "$B/sendMessage" '{"chat_id":-777,"text":"x"}')
expect_eq "telegram unknown chat" "${out%% *} $(field .description)" "400 Bad Request: chat not found"
out=$(post $T0 "$B/sendMessage" '{"chat_id":"-1002","text":"x"}')
expect_eq "telegram bot kicked" "${out%% *} $(field .error_code)" "403 403"
out=$(post $((T0 + 2000)) "$B/sendMessage" '{"chat_id":-1001,"text":"<b>open","parse_mode":"HTML"}')
expect_eq "telegram unclosed tag" "${out%% *} $(field '.description | startswith("Bad Request: can'"'"'t parse entities")')" "400 true"
out=$(post $((T0 + 2000)) "$B/sendMessage" '{"chat_id":-1001,"text":"a < b & c","parse_mode":"HTML"}')
expect_eq "telegram unescaped < and &" "${out%% *}" "400"
out=$(post $((T0 + 2000)) "$B/sendMessage" '{"chat_id":-1001,"text":"<div>x</div>","parse_mode":"HTML"}')
expect_eq "telegram unsupported tag" "${out%% *}" "400"
out=$(post $((T0 + 2000)) "$B/sendMessage" "{\"chat_id\":42,\"text\":\"$(repeat 4097 字)\"}")
expect_eq "telegram text over 4096 characters" "${out%% *} $(field .description)" "400 Bad Request: message is too long"
out=$(post $((T0 + 2000)) "$B/sendMessage" "{\"chat_id\":42,\"text\":\"<b>$(repeat 4096 字)</b>\",\"parse_mode\":\"HTML\"}")
expect_eq "telegram 4096 characters shown (tags not counted)" "${out%% *}" "200"
out=$(post $((T0 + 4000)) "$B/sendPhoto" "{\"chat_id\":42,\"photo\":\"https://p.example/1.jpg\",\"caption\":\"$(repeat 1025 c)\"}")
expect_eq "telegram caption over 1024" "${out%% *} $(field .description)" "400 Bad Request: message caption is too long"
out=$(post $((T0 + 4000)) "$B/sendPhoto" '{"chat_id":42,"photo":"https://p.example/1.jpg","caption":"<i>ok</i>","parse_mode":"HTML"}')
expect_eq "telegram sendPhoto" "${out%% *} $(field .ok)" "200 true"
out=$(post $((T0 + 4999)) "$B/sendMessage" '{"chat_id":42,"text":"again"}')
expect_eq "telegram 1 a second per chat" "${out%% *} $(field .error_code) $(field .parameters.retry_after)" "429 429 1"
# 20 a minute per group chat, 1 a second
for i in $(seq 0 19); do
	post $((T0 + 10000 + i * 1000)) "$B/sendMessage" '{"chat_id":-1003,"text":"r"}' >/dev/null
	[ "$(field .ok)" = true ] || fail "telegram message $i of 20 refused: $(cat "$WORK/reply")"
done
out=$(post $((T0 + 30000)) "$B/sendMessage" '{"chat_id":-1003,"text":"r"}')
expect_eq "telegram 21st within a minute in a group: retry after 40 s" \
	"${out%% *} $(field .parameters.retry_after) $(field .description)" "429 40 Too Many Requests: retry after 40"
post $((T0 + 70000)) "$B/sendMessage" '{"chat_id":-1003,"text":"r"}' >/dev/null
expect_eq "telegram group chat after the window" "$(field .ok)" true

echo "== real clock"
before=$(date +%s%3N)
post "" "$W=wk-1" '{"msgtype":"text","text":{"content":"now"}}' >/dev/null
after=$(date +%s%3N)
t=$(tail -n 1 "$WORK/main.log" | jq -r .t_ms)
expect_eq "without X-Sim-Time-Ms the real clock" "$([ "$t" -ge "$before" ] && [ "$t" -le "$after" ] && echo yes)" yes

echo "== logs"
# delivered: WeCom 4 + 21 (rate robot) + 2; DingTalk 5 + 21; Feishu 3 + 100;
# Telegram 3 + 21
expect_eq "delivered per platform" \
	"$(jq -r .platform "$WORK/main.log" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')" \
	"dingtalk=26 feishu=103 telegram=24 wecom=27 "
expect_eq "a delivered line" \
	"$(head -n 1 "$WORK/main.log" | jq -c '[.platform, .robot, .t_ms, .msgtype, .content]')" \
	"[\"wecom\",\"w1\",$T0,\"text\",{\"content\":\"今日好价\"}]"
expect_eq "telegram's chat in the log" "$(jq -r 'select(.platform == "telegram") | .chat' "$WORK/main.log" | sort -u | tr '\n' ' ')" "-1001 -1003 42 "
expect_eq "the refused codes, in order" \
	"$(jq -r '.code' "$WORK/main.refused" | tr '\n' ' ')" \
	"93000 40058 40058 44004 40008 40058 40058 40058 45009 310000 310000 310000 $(case $raw in *+*) echo "310000 " ;; esac)300001 40035 40035 310000 130101 130101 130101 19021 19021 19001 9499 9499 9499 9499 401 404 400 403 400 400 400 400 400 429 429 "
expect_eq "violations: the limits gone over" \
	"$(jq -r '"\(.platform) \(.limit) \(.code)"' "$WORK/main.violations" | tr '\n' ',')" \
	"wecom text 2048 bytes 40058,wecom markdown 4096 bytes 40058,wecom news 1..8 articles 40058,wecom 20/min 45009,dingtalk 20/min 130101,dingtalk blocked 10 min after 20/min 130101,dingtalk blocked 10 min after 20/min 130101,feishu body 20 KB 9499,feishu 5/s 9499,feishu 100/min 9499,telegram text 4096 chars 400,telegram caption 1024 chars 400,telegram 1/s per chat 429,telegram 20/min per group chat 429,"

echo "== transient failures (--fail-every 2)"
start flaky --fail-every 2
codes=""
for i in 0 1 2 3 4 5; do
	out=$(post $((T0 + i * 5000)) "$W=wk-1" "{\"msgtype\":\"text\",\"text\":{\"content\":\"m$i\"}}")
	codes+="${out%% *} "
done
# curl prints 000 when no full answer came: the reset and the delayed reset
expect_eq "every 2nd fails: 500, reset, delay+reset" "$codes" "200 500 200 000 200 000 "
expect_eq "the failed ones are not delivered" "$(jq -r .content.content "$WORK/flaky.log" | tr '\n' ' ')" "m0 m2 m4 "
expect_eq "the failures are logged" "$(jq -r '"\(.code)/\(.transient)"' "$WORK/flaky.refused" | tr '\n' ' ')" "500/true reset/true delay/true "
expect_eq "no violations when paced" "$(lines "$WORK/flaky.violations")" 0
# a failed request does not count against the limit: Feishu's 5 a second
# still takes 5 deliveries between the failures (500, reset, delay+reset, 500)
codes=""
for i in $(seq 1 10); do
	out=$(post $((T0 + 50000)) "$F/fs-rate" '{"msg_type":"text","content":{"text":"burst"}}')
	codes+="${out%% *} "
done
expect_eq "rate limit counts deliveries only" "$codes" "200 500 200 000 200 000 200 500 200 429 "
expect_eq "five delivered in that second" "$(jq -r 'select(.content.text == "burst")' "$WORK/flaky.log" | jq -s length)" 5

finish

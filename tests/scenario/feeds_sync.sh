#!/usr/bin/env bash
# feeds_sync.sh — `tuike sync` against a local mock of the three unions'
# order APIs (tests/feeds/mock_union.py, 127.0.0.1 only): signatures, window
# limits, paging (Pinduoduo last page first), retries on failures and rate
# limits, cursors, secrets kept out of the output, continuous mode stopped
# by SIGTERM.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
standard_plan
feed_members

START=1790841600 # 2026-10-01T08:00:00Z
SINCE=2026-10-01T08:00:00Z
export TUIKE_NOW=2026-10-03T00:00:00Z
NOW=1790985600
count() { db_sql "SELECT count(*) FROM items WHERE union_='$1'"; }

mock_data "$WORK/orders.json" $START 30 300
start_mock m1 "$WORK/orders.json" --fail-every 5
write_conf "$WORK/sync.conf" "$MOCK_PORT"

# --- before the first run
expect_status "first run needs --since" 1 tk sync jd --config "$WORK/sync.conf"
expect_grep "says so" "never been synced: give --since" "$WORK/err"
expect_status "no credentials" 1 env TUIKE_CONFIG=/dev/null "$TUIKE" sync jd
expect_grep "names the keys" "set jd.app_key and jd.app_secret" "$WORK/err"

# --- a full sync through failures
expect_status "sync" 0 tk sync --config "$WORK/sync.conf" --since $SINCE
cp "$WORK/out" "$WORK/sync1.out"
cp "$WORK/err" "$WORK/sync1.err"
expect_eq "every order of every union" "$(count jd),$(count taobao),$(count pdd)" "300,300,300"
expect_eq "window reports count every row" "$(jq -s 'map(.rows)|add >= 900' "$WORK/sync1.out")" "true"
expect_eq "nothing refused by the mock" "$(grep -c refused "$WORK/m1.log" || true)" "0"
failed=$(grep -c '"failed"' "$WORK/m1.log" || true)
[ "$failed" -gt 3 ] && echo "ok: failures injected ($failed)" || fail "no failures injected"
expect_grep "retries reported" "attempt 1 failed .*retrying in" "$WORK/sync1.err"
expect_grep "rate limit seen" "error 429|error 7|error 70031" "$WORK/sync1.err"
expect_eq "windows within the limits" \
	"$(jq -s '[.[]|select(.ok and .end != null)|select((.union=="jd" and .end-.start>3600) or (.union=="taobao" and .end-.start>10800) or (.union=="pdd" and .end-.start>86400))]|length' "$WORK/m1.log")" "0"
expect_eq "jd windows are one hour" "$(jq -s '[.[]|select(.union=="jd" and .ok)|.end-.start]|max' "$WORK/m1.log")" "3600"
# Pinduoduo: per window, a first call for the count, then pages last to first
expect_eq "pdd pages last to first" "$(jq -s -c '[.[]|select(.union=="pdd" and .ok)] | group_by(.start) |
	map([.[].page]) | map(.[0] == 1 and (if length > 1 then .[1:] == [range(.[1]; 0; -1)] else true end)) |
	[length, all]' "$WORK/m1.log")" "[2,true]"
expect_eq "the first pdd window starts at its last page" \
	"$(jq -s '[.[]|select(.union=="pdd" and .ok)] | [.[1].page, (.[0].total / 20 | ceil)] | .[0] == .[1] and .[0] > 1' "$WORK/m1.log")" "true"
expect_eq "cursors at now" "$(tk sync status)" \
	'{"jd":"2026-10-03T08:00:00+08:00","taobao":"2026-10-03T08:00:00+08:00","pdd":"2026-10-03T08:00:00+08:00"}'
attributed=$(db_sql "SELECT count(*) FROM items WHERE attribution<>0")
unattr=$(jq -s 'map(.unattributed)|add' "$WORK/sync1.out")
[ "$attributed" -gt 0 ] && [ "$unattr" -gt 0 ] && echo "ok: both attributed and unattributed orders" ||
	fail "attributed $attributed, unattributed $unattr"
expect_eq "refunds applied" "$(db_sql "SELECT count(*) FROM item_refunds")" \
	"$(jq '.taobao_refunds|length' "$WORK/orders.json")"
expect_eq "ledger balanced" "$(tk audit --json | jq -c '[.ok,.failed]')" "[true,0]"

# --- again, from the cursors: the overlap is re-read, nothing changes
expect_status "second sync" 0 tk sync --config "$WORK/sync.conf"
expect_eq "nothing applied twice" "$(jq -s 'map(.applied)|add' "$WORK/out")" "0"
expect_eq "it re-read from the cursor less the overlap" "$(head -n 1 "$WORK/out" | jq -r .from)" \
	"2026-10-03T07:55:00+08:00"

# --- secrets stay secret
if grep -q -- "-secret" "$WORK/sync1.out" "$WORK/sync1.err" "$WORK/m1.log"; then
	fail "a secret reached the output"
else
	echo "ok: no secret in output or requests"
fi
write_conf "$WORK/bad.conf" "$MOCK_PORT" "jd.app_secret = s3cr3t-wrong"
before=$(requests m1)
expect_status "a wrong secret fails" 1 tk sync jd --config "$WORK/bad.conf" --since 2026-10-02T00:00:00Z
expect_grep "the union's answer" "JD answered with error 19" "$WORK/err"
expect_eq "not retried: it cannot pass" "$(tail -n +$((before + 1)) "$WORK/m1.log" | grep -c refused)" "1"
if grep -q "s3cr3t-wrong" "$WORK/out" "$WORK/err"; then fail "secret printed"; else echo "ok: secret not printed"; fi
expect_eq "cursor unchanged" "$(tk sync status | jq -r .jd)" "2026-10-03T08:00:00+08:00"

# --- Taobao in a big promotion: 20-minute windows
start_mock m2 "$WORK/orders.json" --taobao-window 1200
write_conf "$WORK/promo.conf" "$MOCK_PORT"
expect_status "3-hour windows refused" 1 tk sync taobao --config "$WORK/promo.conf" --since $SINCE
expect_grep "refusal named" "isv.invalid-parameter" "$WORK/err"
expect_status "20-minute windows pass" 0 env TUIKE_TAOBAO_WINDOW=20m "$TUIKE" sync taobao --config "$WORK/promo.conf" --since $SINCE
expect_eq "windows of 20 minutes" "$(jq -s '[.[]|select(.ok and .end != null)|.end-.start]|max' "$WORK/m2.log")" "1200"

# --- Pinduoduo: an order updated while we page leaves the window; reading
# last page first loses no other order, and the next run finds it.
TUIKE_DB=$(db_uri shift)
standard_plan
mock_data "$WORK/shift.json" $START 30 300
start_mock m3 "$WORK/shift.json" --pdd-shift $((NOW + 100))
write_conf "$WORK/shift.conf" "$MOCK_PORT"
expect_status "sync while orders move" 0 tk sync pdd --config "$WORK/shift.conf" --since $SINCE
moved=$(grep -c shifted "$WORK/m3.log" || true)
[ "$moved" -gt 0 ] && echo "ok: $moved orders moved while paging" || fail "no order moved"
expect_eq "every order that stayed is there" "$(count pdd)" "$((300 - moved))"
expect_status "the next run" 0 env TUIKE_NOW=2026-10-03T00:05:00Z "$TUIKE" sync pdd --config "$WORK/shift.conf"
expect_eq "the moved orders too" "$(count pdd)" "300"
expect_eq "in their new state" "$(db_sql "SELECT count(*) FROM items WHERE union_='pdd' AND modified_at=$((NOW + 100)) AND status=2")" "$moved"

# --- continuous mode: SIGTERM finishes the window in flight and exits 0
TUIKE_DB=$(db_uri loop)
standard_plan
start_mock m4 "$WORK/orders.json"
PAGE_SIZE=10 write_conf "$WORK/loop.conf" "$MOCK_PORT"
"$TUIKE" sync jd --config "$WORK/loop.conf" --since $SINCE --every 60s >"$WORK/loop.out" 2>"$WORK/loop.err" &
pid=$!
for i in $(seq 1 300); do [ "$(requests m4)" -ge 5 ] && break; sleep 0.05; done
kill -TERM $pid
status=0
wait $pid || status=$?
expect_eq "exit status after SIGTERM" "$status" "0"
last_to=$(tail -n 1 "$WORK/loop.out" | jq -r .to)
expect_eq "cursor is the last window's end" "$(tk sync status | jq -r .jd)" "$last_to"
[ "$(jq -s length "$WORK/loop.out")" -lt 40 ] && echo "ok: stopped before the end" || fail "ran to the end"
expect_eq "ledger balanced" "$(tk audit --json | jq -c '[.ok,.failed]')" "[true,0]"
finish

#!/usr/bin/env bash
# groups_push.sh — planning a day and the pusher against the local chat
# receiver (tests/push/mock_chat.py) in simulated time: 200 groups of every
# kind (some with a wrong key, one manual), thousands of jobs, the
# receiver failing now and then (HTTP 500 and resets; its slow 3 s failure
# in a small run of its own): no rate limit exceeded, nothing delivered
# twice, every job accounted for.  Then the crash: the pusher killed -9
# mid-run and restarted: nothing delivered twice, the jobs in flight
# unknown, the rest sent.
source "$(dirname "$0")/lib.sh"
MOCK_PIDS=()
trap 'for p in "${MOCK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T08:00:00+08:00
FROM=2026-11-10T08:00:00+08:00
TO=2026-11-11T08:00:00+08:00
tk init >/dev/null
tk member add alice --level super >/dev/null
for u in "jd subUnionId a1" "pdd uid a1" "taobao relation_id 8002"; do tk tag set alice $u >/dev/null; done
tk products generate --count 600 --days 30 --seed 7 >/dev/null

# start NAME [options...]: a receiver logging to $WORK/NAME.*; sets BASE
start() {
	local name=$1
	shift
	python3 "$TUIKE_SRC/tests/push/mock_chat.py" --config "$WORK/robots.json" \
		--port-file "$WORK/$name.port" --log "$WORK/$name.log" --refused "$WORK/$name.refused" \
		--violations "$WORK/$name.violations" "$@" &
	MOCK_PIDS+=($!)
	for _ in $(seq 1 100); do
		[ -s "$WORK/$name.port" ] && break
		sleep 0.1
	done
	BASE="http://127.0.0.1:$(cat "$WORK/$name.port")"
	export TUIKE_PUSH_WECOM_BASE=$BASE TUIKE_PUSH_DINGTALK_BASE=$BASE
	export TUIKE_PUSH_FEISHU_BASE=$BASE TUIKE_PUSH_TELEGRAM_BASE=$BASE
}

# groups NAME N FIRST: N groups (kinds in turn) with robots; every 10th
# WeCom group has a key the receiver does not know.  Appends to robots.json
# parts; ids from FIRST.
make_groups() {
	local n=$1 first=$2 kinds=(wecom dingtalk feishu telegram) i id kind every
	for ((i = 0; i < n; i++)); do
		id=$((first + i))
		kind=${kinds[$((i % 4))]}
		every=$((30 + (i * 7) % 31)) # 30..60 minutes: 12..24 slots a day
		tk group add alice "$kind" "g$id" --settings \
			"{\"schedule\":{\"every_minutes\":$every,\"from\":\"09:00\",\"to\":\"21:00\"},\"dedup_days\":1,\"shop_cooldown_hours\":0}" >/dev/null
		case $kind in
		wecom)
			if ((i % 40 == 0)); then tk group secret "$id" "wrong-$id" >/dev/null
			else tk group secret "$id" "wk-$id" >/dev/null; echo "w wk-$id" >>"$WORK/robots.txt"; fi ;;
		dingtalk) tk group secret "$id" "dt-$id" --sign-secret "SECdt$id" >/dev/null
			echo "d dt-$id SECdt$id" >>"$WORK/robots.txt" ;;
		feishu) tk group secret "$id" "fs-$id" >/dev/null; echo "f fs-$id" >>"$WORK/robots.txt" ;;
		telegram) tk group secret "$id" "100$id:TOKEN" --chat-id "-100$id" >/dev/null
			echo "t 100$id:TOKEN -100$id" >>"$WORK/robots.txt" ;;
		esac
	done
}
robots_json() {
	python3 - "$WORK/robots.txt" >"$WORK/robots.json" <<'PY'
import json, sys
r = {"wecom": {}, "dingtalk": {}, "feishu": {}, "telegram": {}}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "w": r["wecom"][f[1]] = {}
    if f[0] == "d": r["dingtalk"][f[1]] = {"secret": f[2]}
    if f[0] == "f": r["feishu"][f[1]] = {}
    if f[0] == "t": r["telegram"][f[1]] = {"chats": {f[2]: "group"}}
print(json.dumps(r))
PY
}
: >"$WORK/robots.txt"
make_groups ${GROUPS_N:-199} 1
tk group add alice manual hand >/dev/null
robots_json

# --- planning: a day, twice
expect_eq "a day planned" "$(tk push plan --from $FROM --to $TO | jq -c '[.groups, .created > 2500, .no_product]')" '[200,true,0]'
expect_eq "planning again adds nothing" "$(tk push plan --from $FROM --to $TO | jq -c '[.created, .existing > 2500]')" '[0,true]'
JOBS=$(db_sql "SELECT count(*) FROM send_jobs")
expect_eq "no product twice to a group in a day" \
	"$(db_sql "SELECT count(*) FROM (SELECT grp, union_, product FROM send_jobs GROUP BY 1,2,3 HAVING count(*) > 1) x")" 0

# --- the day, simulated, the receiver failing every 151st request (a 500
# or a reset; the slow failure is tried below)
start day --fail-every 151 --fail-kinds 500,reset
tk push run --simulate --from $FROM --until $TO >"$WORK/run.json"
expect_eq "no limit exceeded" "$(wc -l <"$WORK/day.violations")" 0
expect_eq "nothing delivered twice" \
	"$(jq -r '[.robot, .chat, (.content|tostring)] | @json' "$WORK/day.log" | sort | uniq -d | wc -l)" 0
SENT=$(db_sql "SELECT count(*) FROM send_jobs WHERE state = 'sent'")
expect_eq "sent = delivered" "$SENT" "$(wc -l <"$WORK/day.log")"
expect_eq "every job ended" \
	"$(db_sql "SELECT count(*) FROM send_jobs WHERE state IN ('sent','failed','unknown','cancelled','ready')")" "$JOBS"
expect_eq "none left pending" "$(db_sql "SELECT count(*) FROM send_jobs WHERE state IN ('pending','sending')")" 0
expect_eq "failures carry code and message" \
	"$(db_sql "SELECT count(*) FROM send_jobs WHERE state IN ('failed','unknown') AND (code = '' OR message = '')")" 0
expect_eq "a wrong key fails with the platform's code, the group paused" \
	"$(db_sql "SELECT g.state || ' ' || j.code FROM groups g JOIN send_jobs j ON j.grp = g.id WHERE g.id = 1 AND j.state = 'failed'")" \
	"paused 93000"
expect_eq "its other sends cancelled" \
	"$(db_sql "SELECT count(*) FROM send_jobs WHERE grp = 1 AND state NOT IN ('failed','cancelled')")" 0
expect_eq "the manual group's offers are ready, with copy and link" \
	"$(db_sql "SELECT count(*) FROM send_jobs WHERE grp = (SELECT id FROM groups WHERE name = 'hand') AND state = 'ready' AND body LIKE '%/s/%' AND link <> ''")" 3
[ "$SENT" -gt 2000 ] || fail "only $SENT sent"

# --- the crash: kill -9 mid-run, restart
for p in "${MOCK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
MOCK_PIDS=()
export TUIKE_DB=$(db_uri crash)
export TUIKE_NOW=2026-11-12T08:00:00+08:00
tk init >/dev/null
tk member add alice --level super >/dev/null
for u in "jd subUnionId a1" "pdd uid a1" "taobao relation_id 8002"; do tk tag set alice $u >/dev/null; done
tk products generate --count 600 --days 30 --seed 7 >/dev/null
: >"$WORK/robots.txt"
make_groups 40 1
robots_json
tk push plan --from 2026-11-12T08:00:00+08:00 --to 2026-11-13T08:00:00+08:00 >/dev/null
CJOBS=$(db_sql "SELECT count(*) FROM send_jobs")
start crash
"$TUIKE" push run --simulate --from 2026-11-12T08:00:00+08:00 --until 2026-11-13T08:00:00+08:00 >/dev/null 2>&1 &
PUSHER=$!
for _ in $(seq 1 1000); do
	[ -s "$WORK/crash.log" ] && [ "$(wc -l <"$WORK/crash.log")" -ge 100 ] && break
	sleep 0.02
done
kill -9 $PUSHER 2>/dev/null || fail "the pusher was not running at the kill"
wait $PUSHER 2>/dev/null || true
AT_KILL=$(wc -l <"$WORK/crash.log")
[ "$AT_KILL" -lt "$CJOBS" ] || fail "the pusher ended before the kill ($AT_KILL of $CJOBS)"
INFLIGHT=$(db_sql "SELECT count(*) FROM send_jobs WHERE state = 'sending'")
tk push run --simulate --from 2026-11-12T08:00:00+08:00 --until 2026-11-13T08:00:00+08:00 >"$WORK/restart.json" 2>"$WORK/restart.err" ||
	fail "the restarted pusher failed: $(cat "$WORK/restart.err")"
expect_eq "the jobs in flight at the kill are unknown" "$(jq .stale "$WORK/restart.json")" "$INFLIGHT"
expect_eq "nothing delivered twice after the restart" \
	"$(jq -r '[.robot, .chat, (.content|tostring)] | @json' "$WORK/crash.log" | sort | uniq -d | wc -l)" 0
expect_eq "no limit exceeded across the restart" "$(wc -l <"$WORK/crash.violations")" 0
# an in-flight job may have reached its group (unknown, yet delivered once)
EXTRA=$(($(wc -l <"$WORK/crash.log") - $(db_sql "SELECT count(*) FROM send_jobs WHERE state = 'sent'")))
[ "$EXTRA" -ge 0 ] && [ "$EXTRA" -le "$INFLIGHT" ] || fail "delivered - sent = $EXTRA, in flight $INFLIGHT"
expect_eq "all the rest ended" "$(db_sql "SELECT count(*) FROM send_jobs WHERE state IN ('pending','sending')")" 0
UNKNOWN=$(db_sql "SELECT count(*) FROM send_jobs WHERE state = 'unknown'")
expect_eq "only the in-flight ones unknown" "$UNKNOWN" "$INFLIGHT"

# --- one pusher per database
start lockcheck
"$TUIKE" push run >/dev/null 2>&1 &
HOLDER=$!
sleep 0.5
expect_status "a second pusher refused" 1 tk push run --once
expect_grep "said why" "another pusher is already running against this database" "$WORK/err"
kill -TERM $HOLDER
wait $HOLDER 2>/dev/null || true

# --- requeue an unknown job; send now; preview
if [ "$UNKNOWN" -gt 0 ]; then
	J=$(db_sql "SELECT id FROM send_jobs WHERE state = 'unknown' LIMIT 1")
	expect_eq "requeue an unknown job" "$(tk push requeue "$J" | jq -r .state)" pending
fi
S=$(db_sql "SELECT id FROM send_jobs WHERE state = 'sent' LIMIT 1")
expect_status "a sent job is not re-queued" 1 tk push requeue "$S"
expect_eq "send now: a job due now" "$(tk push now 2 | jq -c '[.origin, .state, .created]')" '["now","pending",true]'
expect_eq "the same second again adds nothing" "$(tk push now 2 | jq -c .created)" false
expect_eq "preview: the platform's body" "$(tk push preview 2 | jq -r .msgtype)" "text"

# --- the slow failure, on its own: the receiver takes the request, waits 3 s
# and drops the connection: it may have reached the group, so it is
# unknown, never sent again by itself
start slow --fail-every 1 --fail-kinds delay
J=$(db_sql "SELECT id FROM send_jobs WHERE grp = 2 AND origin = 'now'")
tk push run --once >/dev/null 2>&1 || true
expect_eq "a request left unanswered is unknown" \
	"$(db_sql "SELECT state || ' ' || code FROM send_jobs WHERE id = $J")" "unknown transport"
finish

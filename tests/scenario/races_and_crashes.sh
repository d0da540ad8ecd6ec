#!/usr/bin/env bash
# races_and_crashes.sh — withdrawals racing from many processes never spend
# more than was available; an import killed at a random point and re-run
# ends exactly where an uninterrupted import ends.
source "$(dirname "$0")/lib.sh"
standard_plan

# --- a member with 10.00 yuan available
tk member add r --level super >/dev/null
row jd R1-1 settled 2026-11-01T10:00:00+08:00 2000 2026-11-01T10:00:00+08:00 "" r >"$WORK/r.jsonl"
tk orders import "$WORK/r.jsonl" >/dev/null
TUIKE_NOW=2026-12-01T00:00:00+08:00 tk settle >/dev/null
expect_eq "available before the race" "$(bal r available)" "1000"

# --- 16 processes each ask for 3.00 yuan at once: at most three can succeed
for i in $(seq 1 16); do
	("$TUIKE" withdraw request r 300 >"$WORK/w$i.out" 2>"$WORK/w$i.err" && echo ok >"$WORK/w$i.ok") &
done
wait
granted=$(ls "$WORK"/w*.ok 2>/dev/null | wc -l)
expect_eq "requests granted" "$granted" "3"
expect_eq "never more than available" "$(tk balance r --json | jq -c '[.available,.withdrawing]')" "[100,900]"
expect_status "audit after the race" 0 tk audit

# --- an import killed mid-run, then re-run, equals an uninterrupted one
"$TUIKE" demo generate --members 20000 --out "$WORK/data" --seed 7 >/dev/null
for db in ref crash; do
	TUIKE_DB="$(db_uri $db)" "$TUIKE" init >/dev/null
	TUIKE_DB="$(db_uri $db)" "$TUIKE" plan set "$WORK/data/plan.json" >/dev/null
	TUIKE_DB="$(db_uri $db)" "$TUIKE" member import "$WORK/data/members.jsonl" >/dev/null
done
TUIKE_DB="$(db_uri ref)" "$TUIKE" orders import "$WORK/data/orders.jsonl" >/dev/null
# Small batches: a kill lands after some batches committed and inside another.
before=0
for delay in 0.2 0.5 0.9; do
	TUIKE_DB="$(db_uri crash)" "$TUIKE" orders import "$WORK/data/orders.jsonl" --batch 300 >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	TUIKE_DB="$(db_uri crash)" "$TUIKE" audit >/dev/null || fail "audit after kill -9 at ${delay}s"
	now=$(db_sql --db "$(db_uri crash)" "SELECT count(*) FROM item_events")
	[ "$now" -ge "$before" ] || fail "events went backwards after a kill"
	before=$now
done
total=$(db_sql --db "$(db_uri ref)" "SELECT count(*) FROM item_events")
if [ "$before" -gt 0 ] && [ "$before" -lt "$total" ]; then
	echo "ok: killed part-way ($before of $total events committed)"
else
	echo "note: the kills landed at $before of $total events" >&2
fi
TUIKE_DB="$(db_uri crash)" "$TUIKE" orders import "$WORK/data/orders.jsonl" >/dev/null
for db in ref crash; do
	TUIKE_DB="$(db_uri $db)" TUIKE_NOW=2026-12-31T00:00:00+08:00 "$TUIKE" settle >/dev/null
	TUIKE_DB="$(db_uri $db)" "$TUIKE" report totals --json >"$WORK/$db.totals"
	db_sql --db "$(db_uri $db)" "SELECT account, balance FROM balances WHERE balance <> 0 ORDER BY account" >"$WORK/$db.balances"
	db_sql --db "$(db_uri $db)" "SELECT union_, item_key, status, commission, a1, b1, a2, b2, a3, b3, platform FROM items ORDER BY union_, item_key" >"$WORK/$db.items"
done
expect_eq "totals equal after crashes" "$(cat "$WORK/crash.totals")" "$(cat "$WORK/ref.totals")"
if cmp -s "$WORK/ref.balances" "$WORK/crash.balances"; then echo "ok: every balance equal"; else fail "balances differ after crashes"; fi
if cmp -s "$WORK/ref.items" "$WORK/crash.items"; then echo "ok: every item equal"; else fail "items differ after crashes"; fi
expect_status "audit after recovery" 0 env TUIKE_DB="$(db_uri crash)" "$TUIKE" audit
finish

#!/usr/bin/env bash
# feeds_crash.sh — a sync killed (SIGKILL) at several points of its run, then
# run again, ends in exactly the state of a sync that was never interrupted:
# the same items, splits, balances, refunds, and for each item the same net
# ledger movement on each account (how many transfers carry it depends on
# where the commits fell: an item paid and settled within one commit moves
# once).  Each window and its cursor commit together, and re-applying a row
# changes nothing.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"

START=1790841600 # 2026-10-01T08:00:00Z
SINCE=2026-10-01T08:00:00Z
export TUIKE_NOW=2026-10-03T00:00:00Z
mock_data "$WORK/orders.json" $START 30 240
start_mock m "$WORK/orders.json" --fail-every 7 --hold-file "$WORK/hold"
PAGE_SIZE=10 write_conf "$WORK/sync.conf" "$MOCK_PORT"

fresh_db() {
	TUIKE_DB=$(db_uri "$1")
	standard_plan
	feed_members
}

# The reference: one uninterrupted run.
fresh_db reference
expect_status "uninterrupted sync" 0 tk sync --config "$WORK/sync.conf" --since $SINCE
state "$(db_uri reference)" >"$WORK/reference.state"
total=$(db_sql --db "$(db_uri reference)" "SELECT count(*) FROM items")
expect_eq "reference has every order" "$total" "720"
run_requests=$(requests m)

# Killed after K requests of its run (the mock counts them), then re-run:
# each union from its cursor, or from --since if it has none yet.
for k in 1 4 15 38 77 $((run_requests - 5)); do
	fresh_db "killed-$k"
	base=$(requests m)
	# The mock holds request base+k+1 unanswered: the sync is stopped
	# exactly there, whatever the machine's speed, and killed.
	echo $((base + k + 1)) >"$WORK/hold"
	"$TUIKE" sync --config "$WORK/sync.conf" --since $SINCE >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 1 6000); do
		[ "$(requests m)" -ge $((base + k)) ] && break
		sleep 0.01
	done
	sleep 0.2 # let the sync send the held request
	kill -KILL $pid 2>/dev/null || true
	rm -f "$WORK/hold"
	status=0
	wait $pid || status=$?
	expect_eq "killed after $k requests" "$status" "137"
	partial=$(db_sql "SELECT count(*) FROM items")
	[ "$partial" -lt "$total" ] && echo "ok: interrupted with $partial of $total orders" ||
		fail "the run after $k requests was not interrupted ($partial orders)"
	for u in jd taobao pdd; do
		if [ "$(tk sync status | jq -r .$u)" = null ]; then
			tk sync $u --config "$WORK/sync.conf" --since $SINCE >/dev/null 2>"$WORK/rerun.err" ||
				fail "rerun $u: $(cat "$WORK/rerun.err")"
		else
			tk sync $u --config "$WORK/sync.conf" >/dev/null 2>"$WORK/rerun.err" ||
				fail "rerun $u: $(cat "$WORK/rerun.err")"
		fi
	done
	state "$TUIKE_DB" >"$WORK/killed-$k.state"
	if cmp -s "$WORK/reference.state" "$WORK/killed-$k.state"; then
		echo "ok: killed after $k requests, the rerun ends in the same state"
	else
		fail "killed after $k requests: state differs: $(diff "$WORK/reference.state" "$WORK/killed-$k.state" | head -5)"
	fi
	expect_eq "ledger balanced after $k" "$(tk audit --json | jq -c '[.ok,.failed]')" "[true,0]"
done
finish

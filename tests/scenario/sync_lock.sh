#!/usr/bin/env bash
# sync_lock.sh — `tuike sync` never holds the write lock while it waits on a
# union: with the mock holding a page request, another writer (a member
# added from the command line) goes through at once, and the sync then
# finishes with every order applied and its cursor moved.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
standard_plan
feed_members

START=1790841600 # 2026-10-01T08:00:00Z
export TUIKE_NOW=2026-10-02T00:00:00Z
mock_data "$WORK/orders.json" $START 6 60
# the third request to the union (a page after the first window's first)
# waits while the hold file exists
echo 3 >"$WORK/hold"
start_mock m1 "$WORK/orders.json" --hold-file "$WORK/hold"
write_conf "$WORK/sync.conf" "$MOCK_PORT"

tk sync jd --config "$WORK/sync.conf" --since 2026-10-01T08:00:00Z >"$WORK/sync.out" 2>"$WORK/sync.err" &
SYNC_PID=$!
for _ in $(seq 1 100); do
	[ "$(jq -s 'length' "$WORK/m1.log" 2>/dev/null || echo 0)" -ge 2 ] && break
	sleep 0.1
done
sleep 0.5 # the held request is in flight: the sync waits on the union
expect_eq "the sync is waiting on the union" "$(kill -0 $SYNC_PID 2>/dev/null && echo yes)" "yes"
t0=$(date +%s%N)
expect_status "a member is added meanwhile" 0 timeout 5 "$TUIKE" member add carol --parent alice
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt 3000 ] && echo "ok: it did not wait for the sync ($ms ms)" ||
	fail "the member add waited $ms ms for the sync's lock"
rm -f "$WORK/hold"
wait $SYNC_PID
expect_eq "the sync finished" "$?" "0"
expect_eq "every order applied" "$(db_sql "SELECT count(*) FROM items WHERE union_='jd'")" "60"
expect_eq "the cursor moved" "$(db_sql "SELECT count(*) FROM sync_cursors WHERE union_='jd' AND stream='orders' AND applied_to > 0")" "1"
finish

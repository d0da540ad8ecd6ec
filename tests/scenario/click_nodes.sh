#!/usr/bin/env bash
# click_nodes.sh — two serve nodes record clicks on one database, each with
# its own link counters and mark: one node killed (SIGKILL) in the middle of
# a stream of clicks and started again under its name recounts its own
# clicks only, so that once both stopped every link's counters equal its
# click rows (none counted twice, none missed), the other node lost none,
# and the killed one lost at most its last second.  Both backends.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
standard_plan
tk member add s --level super >/dev/null
# the shop the links below lead to is not a union's: an operator allows it
tk link allow add shop.example.com >/dev/null
codes=()
for i in 1 2 3; do
	codes+=("$(tk link create s --url "https://shop.example.com/item$i" --channel g$i --json |
		jq -r .code)")
done
CLICKER="$TUIKE_SRC/tests/scenario/clicker.py"
MAXC=200000
# clicks a second per node: a load the writers keep up with on a busy
# test machine (the promise is about a node whose writer keeps up)
RATE=1000

# node NAME: starts a node; its URL and pid in URL_<NAME>, PID_<NAME>
node() {
	start_server --node "$1" --flush-ms 50 --access-log off
	printf -v "URL_$1" '%s' "$URL"
	printf -v "PID_$1" '%s' "$SERVER_PID"
}
# clicks_sent LOG: the clicks a node answered
clicks_sent() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
# wait_for LOG N: until the clicker logged N clicks (at most 10 s)
wait_for() {
	for _ in $(seq 200); do
		[ "$(clicks_sent "$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	fail "the clicker did not reach $2 clicks in $1"
}

node a
node b
expect_grep "a node says its name" "node +b" "$WORK/serve.out"
python3 "$CLICKER" "$URL_a" "$WORK/a1.log" "$WORK/stop" "$MAXC" "$RATE" "${codes[@]}" &
CA=$!
python3 "$CLICKER" "$URL_b" "$WORK/b.log" "$WORK/stop" "$MAXC" "$RATE" "${codes[@]}" &
CB=$!
wait_for "$WORK/a1.log" 1000
wait_for "$WORK/b.log" 1000
sleep 1 # mid-stream, with more than a second of it behind
kill -9 "$PID_a"
killed_at=$(date +%s.%N)
wait "$PID_a" 2>/dev/null || true
wait "$CA" || true
sent_a1=$(clicks_sent "$WORK/a1.log")
# what a answered up to a second before its death must be in the database
due_a1=$(awk -v k="$killed_at" '$1 <= k - 1 { n++ } END { print n + 0 }' "$WORK/a1.log")
rows_a1=$(db_sql "SELECT count(*) FROM clicks WHERE node = 'a'")
echo "node a: answered $sent_a1, $due_a1 of them a second before the kill; $rows_a1 stored"
[ "$rows_a1" -ge "$due_a1" ] || fail "node a lost more than its last second: $rows_a1 < $due_a1"
[ "$rows_a1" -le "$sent_a1" ] || fail "node a stored more clicks than it answered"

# a again under its name, while b goes on
node a
python3 "$CLICKER" "$URL_a" "$WORK/a2.log" "$WORK/stop" "$MAXC" "$RATE" "${codes[@]}" &
CA=$!
wait_for "$WORK/a2.log" 1000
touch "$WORK/stop"
wait "$CA" "$CB"
for p in "$PID_a" "$PID_b"; do
	SERVER_PID=$p
	stop_server
	expect_eq "node stopped in order" "$STOP_STATUS" "0"
done

sent_b=$(clicks_sent "$WORK/b.log")
sent_a2=$(clicks_sent "$WORK/a2.log")
expect_eq "node b lost no click" "$(db_sql "SELECT count(*) FROM clicks WHERE node = 'b'")" \
	"$sent_b"
expect_eq "node a after its restart lost none" \
	"$(db_sql "SELECT count(*) FROM clicks WHERE node = 'a'")" "$((rows_a1 + sent_a2))"
total=$(db_sql "SELECT count(*) FROM clicks")
counted=$(db_sql "SELECT sum(clicks + bot_clicks) FROM link_counts")
echo "clicks stored: $total; counted on the links: $counted"
expect_eq "the links count every click once" "$counted" "$total"
for code in "${codes[@]}"; do
	expect_eq "link $code: its counters are its rows" \
		"$(db_sql "SELECT c.clicks, c.unique_clicks, c.bot_clicks FROM link_counts c
			JOIN links l ON l.id = c.link WHERE l.code = '$code'" | tr '\t|' '  ')" \
		"$(db_sql "SELECT sum(1 - k.bot), sum(k.uniq), sum(k.bot) FROM clicks k
			JOIN links l ON l.id = k.link WHERE l.code = '$code'" | tr '\t|' '  ')"
done
expect_eq "the daily statistics count every click once" \
	"$(db_sql "SELECT sum(clicks) FROM daily_stats WHERE dim = 0")" \
	"$(db_sql "SELECT count(*) FROM clicks WHERE bot = 0")"
expect_eq "audit still holds" "$(tk audit >/dev/null && echo ok)" "ok"
finish

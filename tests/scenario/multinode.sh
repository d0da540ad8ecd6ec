#!/usr/bin/env bash
# multinode.sh — one database, two `tuike serve` nodes (as behind a load
# balancer), one `tuike sync --every` against the mock union and the
# command line beside them: a link made on node A redirects on node B within
# a second; a member added on B is attributed by A's next order; a plan set
# by the command line splits the next order on either node; clicks sent to
# both all land once (rows = the links' counters = what was sent, after
# SIGTERM to both); withdrawals asked for at once on both nodes for one
# member never spend more than it has (the writer lock).  Written for
# PostgreSQL (the pg pass); it holds on SQLite as well, where every process
# shares one file, and runs there too.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
SYNC_PID=""
trap 'stop_mocks; [ -n "$SYNC_PID" ] && kill "$SYNC_PID" 2>/dev/null
for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan
feed_members
tk member add s --level super >/dev/null
# the shop the links below lead to is not a union's: an operator allows it
tk link allow add shop.example.com >/dev/null
OPS=$(tk apikey create ops --role admin 2>/dev/null)
CLICKER="$TUIKE_SRC/tests/scenario/clicker.py"

# node NAME: starts a serve node; its URL and pid in URL_<NAME>, PID_<NAME>
node() {
	start_server --node "$1" --flush-ms 100 --access-log off
	printf -v "URL_$1" '%s' "$URL"
	printf -v "PID_$1" '%s' "$SERVER_PID"
}
# on NODE: the next calls go to that node
on() { local v="URL_$1"; URL=${!v}; }
# import_on NODE FILE: imports order rows through a node's API
import_on() {
	on "$1"
	STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPS" \
		-H 'Content-Type: application/x-ndjson' --data-binary @"$2" "$URL/api/v1/orders/import")
	expect_eq "import through node $1" "$STATUS" "200"
}
item_of() { db_sql "SELECT m.ext, i.plan_version FROM items i JOIN members m ON m.id = i.m1
	WHERE i.item_key = '$1'" | tr '\t|' '  '; }

node a
node b
TOKEN=$OPS

# ---- one sync beside the nodes, against the mock union
START=1794988800 # 2026-11-18T08:00:00Z
mock_data "$WORK/orders.json" $START 24 40
start_mock m1 "$WORK/orders.json"
write_conf "$WORK/sync.conf" "$MOCK_PORT"
"$TUIKE" sync --config "$WORK/sync.conf" --since 2026-11-18T08:00:00Z --every 1s \
	>"$WORK/sync.out" 2>"$WORK/sync.err" &
SYNC_PID=$!

# ---- a link made on A redirects on B within a second
on a
expect_call "link made on node a" 201 POST /api/v1/links \
	'{"member":"s","url":"https://shop.example.com/a","channel":"g1"}'
code=$(body .code)
on b
seen=""
for i in $(seq 20); do
	if [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/$code")" = 302 ]; then
		seen=$i
		break
	fi
	sleep 0.05
done
[ -n "$seen" ] && echo "ok: node b redirects it after $seen tries of 50 ms" ||
	fail "node b did not redirect $code within a second"
expect_eq "node b knows its owner" "$(curl -s -H "Authorization: Bearer $OPS" \
	"$URL/api/v1/links/$code" | jq -r .member)" "s"

# ---- a member added on B is attributed by A's next order
on b
expect_call "member added on node b" 201 POST /api/v1/members \
	'{"id":"carol","parent":"alice","level":"super"}'
row jd C1-1 paid 2026-11-19T10:00:00+08:00 1000 "" bc carol >"$WORK/c1.jsonl"
import_on a "$WORK/c1.jsonl"
expect_eq "node a attributes to the new member" "$(item_of C1-1)" "carol 1"
on a
expect_eq "and splits by the chain node b made" \
	"$(curl -s -H "Authorization: Bearer $OPS" "$URL/api/v1/orders/jd/C1-1" |
		jq -r '[.splits[].member]|join(",")')" "carol,alice"

# ---- a plan set by the command line splits the next order on both nodes
sed 's/"rate_bps":5000/"rate_bps":6000/' "$WORK/plan.json" >"$WORK/plan2.json"
tk plan set "$WORK/plan2.json" >/dev/null
row jd P1-1 paid 2026-11-19T11:00:00+08:00 1000 "" bp1 s >"$WORK/p1.jsonl"
row jd P2-1 paid 2026-11-19T11:00:00+08:00 1000 "" bp2 s >"$WORK/p2.jsonl"
import_on a "$WORK/p1.jsonl"
import_on b "$WORK/p2.jsonl"
expect_eq "node a splits by the new plan" "$(item_of P1-1)" "s 2"
expect_eq "node b splits by the new plan" "$(item_of P2-1)" "s 2"
for n in a b; do
	on $n
	expect_eq "node $n shows s's 60%" "$(curl -s -H "Authorization: Bearer $OPS" \
		"$URL/api/v1/orders/jd/P1-1" | jq -r '.splits[0].amount')" "600"
done

# ---- withdrawals asked for at once on both nodes never overspend
row jd W1-1 settled 2026-11-02T10:00:00+08:00 1000 2026-11-02T10:00:00+08:00 bw s >"$WORK/w1.jsonl"
import_on b "$WORK/w1.jsonl"
tk settle >/dev/null
avail=$(bal s available)
expect_eq "s has money to withdraw" "$([ "$avail" -gt 0 ] && echo yes)" "yes"
on a
expect_call "password for s" 200 PUT /api/v1/members/s/password '{"password":"correct horse"}'
expect_call "s logs in on node a" 200 POST /api/v1/auth/login \
	'{"member":"s","password":"correct horse"}'
S_TOKEN=$(body .token)
ask=$((avail / 5 + 1)) # at most four of them fit
for n in a b; do
	for i in $(seq 6); do
		v="URL_$n"
		curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $S_TOKEN" \
			-H 'Content-Type: application/json' --data-binary "{\"amount\":$ask}" \
			"${!v}/api/v1/withdrawals" >>"$WORK/wd.status" &
	done
done
wait_jobs=$(jobs -p | grep -v -e "^$SYNC_PID\$" -e "^$PID_a\$" -e "^$PID_b\$" || true)
for j in $wait_jobs; do
	case " ${MOCK_PIDS[*]} " in *" $j "*) ;; *) wait "$j" || true ;; esac
done
granted=$(grep -c '^201$' "$WORK/wd.status" || true)
echo "withdrawals granted: $granted of 12 (each $ask of $avail)"
expect_eq "as many as the money allows, no more" "$granted" "$((avail / ask))"
expect_eq "the rest refused for want of money" "$(grep -c '^409$' "$WORK/wd.status" || true)" \
	"$((12 - avail / ask))"
expect_eq "s never spent more than it had" "$(tk balance s --json | jq -c '[.available,.withdrawing]')" \
	"[$((avail - granted * ask)),$((granted * ask))]"

# ---- clicks sent to both nodes all land once
python3 "$CLICKER" "$URL_a" "$WORK/a.log" "$WORK/stop" 1500 0 "$code" &
c1=$!
python3 "$CLICKER" "$URL_b" "$WORK/b.log" "$WORK/stop" 1500 0 "$code" &
c2=$!
wait "$c1" "$c2"
sent=$(($(wc -l <"$WORK/a.log") + $(wc -l <"$WORK/b.log")))
expect_eq "every click answered" "$sent" "3000"

# ---- the sync went on beside all of it
for i in $(seq 200); do
	[ "$(db_sql "SELECT count(*) FROM items WHERE union_ IN ('jd','taobao','pdd')
		AND item_key NOT IN ('C1-1','P1-1','P2-1','W1-1')")" -ge 120 ] && break
	sleep 0.1
done
expect_eq "the sync imported every union's orders" \
	"$(db_sql "SELECT count(*) FROM items WHERE item_key NOT IN ('C1-1','P1-1','P2-1','W1-1')")" "120"
kill -TERM "$SYNC_PID"
status=0
wait "$SYNC_PID" || status=$?
SYNC_PID=""
expect_eq "sync stopped in order" "$status" "0"

for p in "$PID_a" "$PID_b"; do
	SERVER_PID=$p
	stop_server
	expect_eq "node stopped in order" "$STOP_STATUS" "0"
done
# the one redirect node b answered above, and the clicker's
expect_eq "every click stored once" "$(db_sql "SELECT count(*) FROM clicks")" "$((sent + 1))"
expect_eq "by the node that took it" \
	"$(db_sql "SELECT count(*) FROM clicks WHERE node = 'a'")" "$(wc -l <"$WORK/a.log")"
expect_eq "the link counts every click once" \
	"$(db_sql "SELECT sum(clicks + bot_clicks) FROM link_counts")" "$((sent + 1))"
expect_eq "audit holds" "$(tk audit --json | jq -c '[.ok,.failed]')" "[true,0]"
finish

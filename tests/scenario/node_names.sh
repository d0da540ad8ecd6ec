#!/usr/bin/env bash
# node_names.sh — a node's name is its own while it runs: a second `tuike
# serve` with the name of a live node on the same database refuses to start
# (its clicks and counters would mix with the first's), one with another name
# runs beside it, and a node killed outright (kill -9) frees its name at once
# (PostgreSQL: its session ends; SQLite: the kernel drops its flock).
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
tk init >/dev/null

# refused NAME: a serve named NAME exits at once, non-zero, saying why
refused() {
	local st=0
	timeout 8 "$TUIKE" serve --listen 127.0.0.1:0 --access-log off --node "$1" \
		>"$WORK/second.out" 2>"$WORK/second.err" || st=$?
	[ "$st" -ne 0 ] && [ "$st" -ne 124 ] || fail "a second node \"$1\" started (status $st)"
	expect_grep "the refusal names the node" "node \"$1\" is already running against this database" \
		"$WORK/second.err"
}

start_server --node alpha --access-log off
PID_A=$SERVER_PID
refused alpha

# another name runs beside it; the same name again is refused
start_server --node beta --access-log off
PID_B=$SERVER_PID
curl -sf -o /dev/null "$URL/health" || fail "node beta does not answer"
refused beta

# $TUIKE_NODE names the node as --node does
st=0
TUIKE_NODE=alpha timeout 8 "$TUIKE" serve --listen 127.0.0.1:0 --access-log off \
	>/dev/null 2>"$WORK/env.err" || st=$?
[ "$st" -ne 0 ] && [ "$st" -ne 124 ] || fail "TUIKE_NODE=alpha started beside alpha (status $st)"
expect_grep "TUIKE_NODE is checked too" 'node "alpha" is already running' "$WORK/env.err"

# a node that dies without a word frees its name
kill -9 "$PID_A"
wait "$PID_A" 2>/dev/null || true
start_server --node alpha --access-log off
curl -sf -o /dev/null "$URL/health" || fail "node alpha did not start again"

# a node stopped as usual frees it too
stop_server
expect_eq "alpha stops cleanly" "$STOP_STATUS" "0"
start_server --node alpha --access-log off
stop_server
SERVER_PID=$PID_B
stop_server
expect_eq "beta stops cleanly" "$STOP_STATUS" "0"
finish

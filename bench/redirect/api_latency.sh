#!/usr/bin/env bash
# api_latency.sh — API latency on a large database: p50 and p99 of a
# member's balance, a team page and a ledger page (random members each
# request), beside GET /health (no database: the floor of the HTTP stack),
# with one connection (latency alone) and with eight (calls queueing for
# the database).  Called by run.sh; on its own:
#
#   bash bench/redirect/api_latency.sh SOURCE_DB TUIKE_BINARY WORK_DIR
#
# The source database is copied (sqlite3 .backup), never changed.
set -euo pipefail

src=$1 tuike=$2 out=$3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
db="$out/api.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "api latency: copying $src"
sqlite3 "$src" ".backup '$db'"
members=$(sqlite3 "$db" "SELECT count(*) FROM members")
sqlite3 "$db" "SELECT ext FROM members ORDER BY random() LIMIT 2000" >"$out/any.txt"
sqlite3 "$db" "SELECT ext FROM members WHERE direct_count > 0 ORDER BY random() LIMIT 2000" \
	>"$out/leaders.txt"
key=$("$tuike" apikey create bench --role admin --db "$db" 2>/dev/null)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tuike" serve --db "$db" --listen "127.0.0.1:$port" --threads 2 --access-log off \
	--key-rate 1000000 >"$out/api-serve.out" 2>"$out/api-serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done

# measure NAME FILE PATTERN CONNECTIONS: prints "p50 p99 req/s"
measure() {
	sed -e "s|@IDS@|$2|" -e "s|@PATTERN@|$3|" "$here/api.lua" >"$out/api.lua"
	wrk -t1 -c"$4" -d8s --latency -s "$out/api.lua" -H "Authorization: Bearer $key" \
		"http://127.0.0.1:$port" >"$out/api-wrk.txt" 2>&1
	if grep -q "Non-2xx or 3xx" "$out/api-wrk.txt"; then
		echo "api latency: $1 answered errors:" >&2
		cat "$out/api-wrk.txt" >&2
		exit 1
	fi
	awk '$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } /^Requests\/sec:/ { r = $2 }
	     END { printf "%10s %10s %10.0f", p50, p99, r }' "$out/api-wrk.txt"
}

echo
echo "api latency: $members members; random member each request; wrk -t1, 8 s each"
printf "  %-34s %6s %10s %10s %10s\n" "call" "conns" "p50" "p99" "req/s"
for c in 1 8; do
	printf "  %-34s %6s %s\n" "GET /health (floor, no database)" "$c" \
		"$(measure health "$out/any.txt" "/health" "$c")"
	printf "  %-34s %6s %s\n" "GET /members/{id}/balance" "$c" \
		"$(measure balance "$out/any.txt" "/api/v1/members/%s/balance" "$c")"
	printf "  %-34s %6s %s\n" "GET /members/{id}/team?limit=20" "$c" \
		"$(measure team "$out/leaders.txt" "/api/v1/members/%s/team?limit=20" "$c")"
	printf "  %-34s %6s %s\n" "GET /members/{id}/ledger?limit=20" "$c" \
		"$(measure ledger "$out/leaders.txt" "/api/v1/members/%s/ledger?limit=20" "$c")"
done
kill -TERM "$pid"
wait "$pid" || true
trap - EXIT
rm -f "$db" "$db-wal" "$db-shm"

#!/usr/bin/env bash
# Nodes benchmark: `GET /s/{code}` redirects served by two `tuike serve`
# nodes on one PostgreSQL database, beside one node on the same database as
# the reference, measured in the same run.  N links (default 10,000) are
# created in a fresh throwaway PostgreSQL (tests/pg/pg_start.sh); both nodes
# run for the whole benchmark, and each round measures one node (wrk -t2
# -c64 on node A; node B idle) and two nodes (two wrk -t1 -c32 at once, one
# on each node), which goes first alternating; the cluster's requests/s is
# the sum of both.  Then both nodes stop with SIGTERM and every click they
# answered must be in the `clicks` table.
#
# Run:   bash bench/nodes/run.sh [--links N] [--seconds S] [--rounds R]
#        make bench                                   (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), PostgreSQL's
#        server (Debian's postgresql; skipped with a message without it),
#        psql, jq, curl, wrk (installed with apt-get when missing).
#        Defaults: 10000 links, 5 s per measurement, 5 rounds.
# The figure is the median of the rounds' ratios (two nodes / one node).  On
# a machine with few cores the nodes, PostgreSQL and wrk share them: two
# nodes then add CPU contention, not capacity, and the ratio says how much
# the second node costs or gains on this machine, not on a cluster.
# Work files are in bench/out/nodes.
set -euo pipefail

links=10000
seconds=5
rounds=5
while [ $# -gt 0 ]; do
	case "$1" in
	--links) links="$2"; shift 2 ;;
	--seconds) seconds="$2"; shift 2 ;;
	--rounds) rounds="$2"; shift 2 ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "nodes: unknown argument \"$1\" (expected --links N, --seconds S, --rounds R)" >&2
		exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out/nodes"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	echo "nodes: skipped (PostgreSQL's server is not installed: apt-get install postgresql)"
	exit 0
fi
if ! command -v wrk >/dev/null; then
	echo "nodes: installing wrk"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
for tool in jq psql curl python3; do
	command -v "$tool" >/dev/null || { echo "nodes: $tool is required (make deps)" >&2; exit 1; }
done

if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi

rm -rf "$out"
mkdir -p "$out"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	bash "$root/tests/pg/pg_stop.sh" "$out/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# ---- the data: a plan, 1000 members, N links over them and 20 channels
uri=$(bash "$root/tests/pg/pg_start.sh" "$out/pg")
export TUIKE_DB="$uri"
psql_q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$uri" -c "$1"; }
"$tuike" init >/dev/null
"$tuike" plan set "$root/bench/redirect/plan.json" >/dev/null
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "{\"id\":\"b%d\",\"level\":\"super\"}\n", i }' \
	>"$out/members.jsonl"
"$tuike" member import "$out/members.jsonl" >/dev/null
awk -v n="$links" 'BEGIN { for (i = 0; i < n; i++)
	printf "{\"member\":\"b%d\",\"url\":\"https://item.jd.com/p/%d.html\",\"channel\":\"g%d\"}\n",
		i % 1000 + 1, i, i % 20 }' >"$out/links.jsonl"
echo "nodes: creating $links links in PostgreSQL"
"$tuike" link import "$out/links.jsonl" --codes >"$out/codes.txt"
[ "$(wc -l <"$out/codes.txt")" -eq "$links" ] || { echo "nodes: link import failed" >&2; exit 1; }

# ---- two nodes on the one database
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
ports=()
node_pids=()
for n in a b; do
	port=$(free_port)
	"$tuike" serve --listen "127.0.0.1:$port" --threads 2 --access-log off \
		--max-connections 20000 >"$out/serve-$n.out" 2>"$out/serve-$n.err" &
	pids+=($!)
	node_pids+=($!)
	ports+=("$port")
done
for port in "${ports[@]}"; do
	up=0
	for _ in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.1:$port/health" && { up=1; break; }
		sleep 0.1
	done
	[ "$up" -eq 1 ] || { echo "nodes: the node on port $port did not come up" >&2; exit 1; }
done

# ---- measuring
sed "s|@CODES@|$out/codes.txt|" "$root/bench/redirect/codes.lua" >"$out/codes.lua"
: >"$out/served.txt" # responses wrk counted, one line per wrk run
# wrk_on PORT THREADS CONNS SECONDS FILE: one wrk run, its output in FILE
wrk_on() {
	wrk -t"$2" -c"$3" -d"${4}s" -s "$out/codes.lua" "http://127.0.0.1:$1" >"$5" 2>&1
}
# check FILE...: the responses counted, noted; any answer but 302 stops here
check() {
	local f
	for f in "$@"; do
		if grep -q "Non-2xx or 3xx" "$f" || ! grep -q '^Requests/sec:' "$f"; then
			echo "nodes: a node answered something else than 302:" >&2
			cat "$f" >&2
			exit 1
		fi
		awk '/requests in/ { print $1 }' "$f" >>"$out/served.txt"
	done
}
rps() { awk '/^Requests\/sec:/ { s += $2 } END { printf "%.0f", s }' "$@"; }
# one SECONDS / two SECONDS: prints the cluster's requests/s
one() {
	wrk_on "${ports[0]}" 2 64 "$1" "$out/wrk-1.txt"
	check "$out/wrk-1.txt"
	rps "$out/wrk-1.txt"
}
two() {
	wrk_on "${ports[0]}" 1 32 "$1" "$out/wrk-2a.txt" &
	local w=$!
	wrk_on "${ports[1]}" 1 32 "$1" "$out/wrk-2b.txt"
	wait "$w"
	check "$out/wrk-2a.txt" "$out/wrk-2b.txt"
	rps "$out/wrk-2a.txt" "$out/wrk-2b.txt"
}

echo "nodes: warming up"
one 2 >/dev/null
two 2 >/dev/null
: >"$out/pairs.txt"
for r in $(seq "$rounds"); do
	if [ $((r % 2)) -eq 1 ]; then
		a=$(one "$seconds")
		b=$(two "$seconds")
	else
		b=$(two "$seconds")
		a=$(one "$seconds")
	fi
	echo "$a $b" >>"$out/pairs.txt"
	printf "nodes: round %d  one node %8.0f  two nodes %8.0f  ratio %.2f\n" "$r" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
done

# ---- every click answered is in the database after an orderly stop
served=$(awk '{ n += $1 } END { print n + 0 }' "$out/served.txt")
recorded=0
dropped=0
pending=0
for port in "${ports[@]}"; do
	health=$(curl -s "http://127.0.0.1:$port/health")
	recorded=$((recorded + $(jq -r .clicks.recorded <<<"$health")))
	dropped=$((dropped + $(jq -r .clicks.dropped <<<"$health")))
	pending=$((pending + $(jq -r .clicks.pending <<<"$health")))
done
stop_start=$(date +%s.%N)
for p in "${node_pids[@]}"; do kill -TERM "$p"; done
for p in "${node_pids[@]}"; do
	wait "$p" || { echo "nodes: a node failed to stop cleanly" >&2; cat "$out"/serve-*.err >&2; exit 1; }
done
stop_s=$(awk -v a="$stop_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
pids=()
stored=$(psql_q "SELECT count(*) FROM clicks")
linked=$(psql_q "SELECT coalesce(sum(clicks) + sum(bot_clicks), 0) FROM link_counts")

echo
echo "nodes benchmark: $links links on one PostgreSQL, random code per request, ${seconds}s" \
	"per measurement, $rounds rounds, $(nproc) cores"
printf "  %-36s %12s\n" "" "req/s (mean)"
printf "  %-36s %12s\n" "reference: one node (wrk -t2 -c64)" \
	"$(awk '{ s += $1 } END { printf "%.0f", s / NR }' "$out/pairs.txt")"
printf "  %-36s %12s\n" "two nodes (2 x wrk -t1 -c32)" \
	"$(awk '{ s += $2 } END { printf "%.0f", s / NR }' "$out/pairs.txt")"
printf "  ratio two / one: %s (median of rounds; lowest-highest)\n" \
	"$(awk '{ print $2 / $1 }' "$out/pairs.txt" | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }')"
if [ "$(nproc)" -le 4 ]; then
	echo "  note: $(nproc) cores for both nodes, PostgreSQL and wrk: a second node competes for" \
		"the same CPU, so this ratio is not a cluster's scaling"
fi
echo "  clicks: $served redirects counted by wrk, $recorded recorded by the nodes ($pending" \
	"still buffered at the end, written within ${stop_s}s of SIGTERM), $dropped dropped," \
	"$stored in the clicks table, $linked on the links"
if [ "$dropped" -eq 0 ] && [ "$stored" -eq "$recorded" ] && [ "$stored" -ge "$served" ] &&
	[ "$linked" -eq "$stored" ]; then
	echo "  clicks check: ok, every redirect answered is in the database"
else
	echo "  CLICKS LOST: every redirect answered must be in the database" >&2
	exit 1
fi

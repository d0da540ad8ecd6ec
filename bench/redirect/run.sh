#!/usr/bin/env bash
# Redirect benchmark: `GET /s/{code}` answered by `tuike serve` (302 from the
# in-memory link table, every click recorded) beside nginx answering
# `return 302` (access log off, 2 workers), started by this script in the
# same run, both on loopback, driven by wrk with the same request stream (a
# random code of N links per request), with keep-alive and with
# `Connection: close`.  Then checks that every click tuike answered is in
# the database once it has stopped (SIGTERM).
#
# Second part: API latency (p50/p99 from wrk, one connection) of a member's
# balance and a team page on a database with 1,000,000 members — the
# ingest benchmark's (bench/out/ingest/tuike.db, copied), or --api-db PATH —
# beside GET /health (no database) as the floor.  Skipped with --no-api or
# when there is no such database.
#
# Run:   bash bench/redirect/run.sh [--links N] [--seconds S] [--rounds R]
#                                   [--api-db PATH | --no-api] [--nginx-deferred]
#        make bench                                   (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), jq, sqlite3;
#        wrk and nginx (Debian packages; installed here with apt-get when
#        missing).  Defaults: 100000 links, 6 s per measurement, 9 rounds.
# Each round measures nginx and tuike back to back (which goes first
# alternates) and gives a ratio; the figure is the median of the rounds'
# ratios, printed with the mean requests/s of both and the lowest and
# highest pair (target >= 1.0 in both modes).  On a shared machine the
# pairs scatter by +-10 %: the more rounds, the steadier the median.  tuike defers accepts until a request has arrived
# (TCP_DEFER_ACCEPT); --nginx-deferred gives nginx the same (`listen ...
# deferred`, not its default) to compare like for like in that respect.
# Work files are in bench/out/redirect.
set -euo pipefail

links=100000
seconds=6
rounds=9
api_db=""
api=1
deferred=""
while [ $# -gt 0 ]; do
	case "$1" in
	--links) links="$2"; shift 2 ;;
	--seconds) seconds="$2"; shift 2 ;;
	--rounds) rounds="$2"; shift 2 ;;
	--api-db) api_db="$2"; shift 2 ;;
	--no-api) api=0; shift ;;
	--nginx-deferred) deferred=" deferred"; shift ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "redirect: unknown argument \"$1\" (expected --links N, --seconds S, --rounds R," \
		"--api-db PATH, --no-api, --nginx-deferred)" >&2; exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/redirect"
out="$root/bench/out/redirect"
mkdir -p "$out"

need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
	echo "redirect: installing ${need[*]}"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
for tool in jq sqlite3 curl; do
	command -v "$tool" >/dev/null || { echo "redirect: $tool is required (make deps)" >&2; exit 1; }
done

if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi

# A free loopback port, by asking the kernel.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT

# ---- the data: a plan, 1000 members, N links over them and 20 channels
db="$out/links.db"
rm -f "$db" "$db-wal" "$db-shm"
export TUIKE_DB="$db"
"$tuike" init >/dev/null
"$tuike" plan set "$here/plan.json" >/dev/null
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "{\"id\":\"b%d\",\"level\":\"super\"}\n", i }' \
	>"$out/members.jsonl"
"$tuike" member import "$out/members.jsonl" >/dev/null
awk -v n="$links" 'BEGIN { for (i = 0; i < n; i++)
	printf "{\"member\":\"b%d\",\"url\":\"https://item.jd.com/p/%d.html\",\"channel\":\"g%d\"}\n",
		i % 1000 + 1, i, i % 20 }' >"$out/links.jsonl"
echo "redirect: creating $links links"
"$tuike" link import "$out/links.jsonl" --codes >"$out/codes.txt"
[ "$(wc -l <"$out/codes.txt")" -eq "$links" ] || { echo "redirect: link import failed" >&2; exit 1; }

# ---- the two servers
nginx_port=$(free_port)
mkdir -p "$out/nginx"
cat >"$out/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $out/nginx/body;
	proxy_temp_path $out/nginx/proxy;
	fastcgi_temp_path $out/nginx/fastcgi;
	uwsgi_temp_path $out/nginx/uwsgi;
	scgi_temp_path $out/nginx/scgi;
	server {
		listen 127.0.0.1:$nginx_port$deferred;
		location / { return 302 http://example.invalid/x; }
	}
}
EOF
"$nginx_bin" -p "$out/nginx" -c "$out/nginx/nginx.conf" &
pids+=($!)

tuike_port=$(free_port)
"$tuike" serve --listen "127.0.0.1:$tuike_port" --threads 2 --access-log off \
	--max-connections 20000 >"$out/serve.out" 2>"$out/serve.err" &
tuike_pid=$!
pids+=($tuike_pid)

wait_up() {
	for _ in $(seq 100); do
		curl -s -o /dev/null "$1" && return 0
		sleep 0.1
	done
	echo "redirect: $1 did not come up" >&2
	exit 1
}
wait_up "http://127.0.0.1:$nginx_port/"
wait_up "http://127.0.0.1:$tuike_port/health"

# ---- measuring
sed "s|@CODES@|$out/codes.txt|" "$here/codes.lua" >"$out/codes.lua"
: >"$out/served.txt" # responses wrk counted from tuike, one line per run
# run NAME PORT MODE SECONDS: prints requests/s
run() {
	local port=$2 mode=$3 secs=$4 hdr=()
	[ "$mode" = close ] && hdr=(-H "Connection: close")
	wrk -t2 -c64 -d"${secs}s" -s "$out/codes.lua" "${hdr[@]}" "http://127.0.0.1:$port" \
		>"$out/wrk.txt" 2>&1
	local rps total
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out/wrk.txt")
	total=$(awk '/requests in/ { print $1 }' "$out/wrk.txt")
	if grep -q "Non-2xx or 3xx" "$out/wrk.txt"; then
		echo "redirect: $1 answered something else than 302:" >&2
		cat "$out/wrk.txt" >&2
		exit 1
	fi
	if [ "$1" = tuike ]; then echo "$total" >>"$out/served.txt"; fi
	echo "$rps"
}

echo "redirect: warming up"
run nginx "$nginx_port" keepalive 2 >/dev/null
run tuike "$tuike_port" keepalive 2 >/dev/null
# Rounds alternate which server goes first, and each round's pair gives a
# ratio: a burst of load from elsewhere on the machine falls on one pair,
# and the median of the pairs sets it aside.
: >"$out/pairs.txt"
for r in $(seq "$rounds"); do
	for mode in keepalive close; do
		if [ $((r % 2)) -eq 1 ]; then
			n=$(run nginx "$nginx_port" "$mode" "$seconds")
			t=$(run tuike "$tuike_port" "$mode" "$seconds")
		else
			t=$(run tuike "$tuike_port" "$mode" "$seconds")
			n=$(run nginx "$nginx_port" "$mode" "$seconds")
		fi
		echo "$mode $n $t" >>"$out/pairs.txt"
		printf "redirect: round %d %-9s nginx %8.0f  tuike %8.0f  ratio %.2f\n" "$r" "$mode" \
			"$n" "$t" "$(awk -v a="$t" -v b="$n" 'BEGIN { print a / b }')"
	done
done

# ---- every click recorded: what tuike counted, then what is on disk
# after an orderly stop
served=$(awk '{ n += $1 } END { print n + 0 }' "$out/served.txt")
health=$(curl -s "http://127.0.0.1:$tuike_port/health")
recorded=$(jq -r .clicks.recorded <<<"$health")
dropped=$(jq -r .clicks.dropped <<<"$health")
kill -TERM "$tuike_pid"
wait "$tuike_pid" || { echo "redirect: tuike serve failed to stop cleanly" >&2; exit 1; }
stored=$(sqlite3 "$db" "SELECT count(*) FROM clicks")
linked=$(sqlite3 "$db" "SELECT sum(clicks) + sum(bot_clicks) FROM link_counts")
daily=$(sqlite3 "$db" "SELECT sum(clicks) FROM daily_stats WHERE dim = 0")

# mean MODE COLUMN: the mean requests/s; ratio MODE: the median pair ratio
mean() { awk -v m="$1" -v c="$2" '$1 == m { s += $c; n++ } END { printf "%.0f", s / n }' "$out/pairs.txt"; }
# (and the lowest and highest pair's)
ratio() {
	awk -v m="$1" '$1 == m { print $3 / $2 }' "$out/pairs.txt" | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }'
}
echo
echo "redirect benchmark: $links links, wrk -t2 -c64 (random code per request), ${seconds}s" \
	"per measurement, $rounds rounds, $(nproc) cores"
printf "  %-22s %14s %14s   %s\n" "mode" "nginx req/s" "tuike req/s" "ratio: median of pairs (lowest-highest)"
for mode in keepalive close; do
	label=$([ "$mode" = keepalive ] && echo "keep-alive" || echo "Connection: close")
	printf "  %-22s %14s %14s   %s\n" "$label" "$(mean "$mode" 2)" "$(mean "$mode" 3)" \
		"$(ratio "$mode")"
done
echo "  target: ratio >= 1.0 in both modes"
echo "  clicks: $served responses counted by wrk, $recorded recorded, $dropped dropped," \
	"$stored in the clicks table, $linked on the links, $daily in the daily statistics"
ok=1
if [ "$dropped" -ne 0 ] || [ "$stored" -ne "$recorded" ] || [ "$stored" -lt "$served" ] ||
	[ "$linked" -ne "$stored" ]; then
	echo "  CLICKS LOST: every click answered must be stored" >&2
	ok=0
fi

# ---- API latency on a million members
if [ "$api" -eq 1 ]; then
	src="${api_db:-$root/bench/out/ingest/tuike.db}"
	if [ ! -f "$src" ]; then
		echo
		echo "api latency: skipped (no $src; run bench/ingest/run.sh first, or pass --api-db)"
	else
		bash "$here/api_latency.sh" "$src" "$tuike" "$out"
	fi
fi
[ "$ok" -eq 1 ]

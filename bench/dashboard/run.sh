#!/usr/bin/env bash
# Dashboard benchmark: the console's first paint and the time until its
# KPI cards are filled, measured in Debian's Chromium (the browser test's
# timing case, web/e2e/dashboard.test.mjs) against `tuike serve` on the
# demo database of N members (scripts/demo.sh: the members, their orders
# and clicks), beside a reference measured in the same run: the same page
# on the 2,000-member demo database the browser tests use.
#
# Run:   bash bench/dashboard/run.sh [--members N] [--rounds R]
#        (defaults: N = 1000000, R = 5 page loads on each database)
# Needs: make build, make web, Chromium (scripts/deps.sh --test).  The
#        1,000,000-member demo takes some minutes to generate and import
#        and about 3 GB of disk; it is kept in bench/out/dashboard-N and
#        reused by the next run (--fresh makes it again).
# Prints, per database, the median first paint, first contentful paint and
# KPIs-ready times in milliseconds, and the ratio big / reference.
set -euo pipefail

members=1000000
rounds=5
fresh=0
while [ $# -gt 0 ]; do
	case "$1" in
	--members) members="$2"; shift 2 ;;
	--rounds) rounds="$2"; shift 2 ;;
	--fresh) fresh=1; shift ;;
	*) echo "dashboard bench: unknown argument \"$1\" (expected --members N, --rounds R, --fresh)" >&2
	   exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export TUIKE="${TUIKE:-$root/build/tuike}"
for need in "$TUIKE" "$root/web/dist/index.html" "$root/web/node_modules/playwright-core" \
	"${CHROMIUM:-/usr/bin/chromium}"; do
	[ -e "$need" ] || { echo "dashboard bench: $need is missing (make build, make web, scripts/deps.sh --test)" >&2; exit 1; }
done

out="$root/bench/out"
mkdir -p "$out"
pids=()
trap 'for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done' EXIT

# start DIR N: a server on the demo database of N members in DIR (made once)
start() {
	local dir=$1 n=$2
	if [ "$fresh" = 1 ] || [ ! -s "$dir/env" ] || [ ! -s "$dir/tuike.db" ]; then
		rm -rf "$dir"
		echo "generating the $n-member demo database in $dir" >&2
		local t0=$SECONDS
		DEMO_MEMBERS=$n bash "$root/web/e2e/demo-server.sh" "$dir" >/dev/null
		echo "  made in $((SECONDS - t0)) s" >&2
		# shellcheck disable=SC1091
		. "$dir/env"
		pids+=("$TUIKE_SERVER_PID")
		return
	fi
	# reuse the database: serve it again on a free port, as demo.sh does
	# shellcheck disable=SC1091
	. "$dir/env"
	local log="$dir/serve.again"
	TUIKE_DEMO=1 "$TUIKE" serve --db "$TUIKE_DB" --listen 127.0.0.1:0 >"$log.out" 2>"$log.err" &
	local pid=$!
	pids+=("$pid")
	local url=""
	for _ in $(seq 600); do
		url=$(sed -n 's/^tuike serve: listening on \(http:[^ ]*\) .*/\1/p' "$log.out")
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { cat "$log.err" >&2; echo "dashboard bench: the server did not start" >&2; exit 1; }
	sed -i "s|^export TUIKE_URL=.*|export TUIKE_URL=$url|; s|^export TUIKE_SERVER_PID=.*|export TUIKE_SERVER_PID=$pid|" "$dir/env"
}

# measure DIR: R page loads, each printing its timings; the medians
measure() {
	local dir=$1 i
	# shellcheck disable=SC1091
	. "$dir/env"
	for i in $(seq "$rounds"); do
		(cd "$root/web" && TUIKE_ARTIFACTS="$out/dashboard-artifacts" node --test \
			--test-name-pattern="first paint" e2e/dashboard.test.mjs 2>&1) |
			sed -n 's/.*dashboard timings: //p'
	done | jq -s '{rounds: length,
		first_paint_ms: (map(.first_paint_ms) | sort | .[length / 2 | floor]),
		first_contentful_paint_ms: (map(.first_contentful_paint_ms) | sort | .[length / 2 | floor]),
		kpis_ready_ms: (map(.kpis_ready_ms) | sort | .[length / 2 | floor])}'
}

start "$out/dashboard-2000" 2000
start "$out/dashboard-$members" "$members"
ref=$(measure "$out/dashboard-2000")
big=$(measure "$out/dashboard-$members")
echo "dashboard, median of $rounds page loads (ms):"
echo "  reference, 2,000 members:  $(jq -c . <<<"$ref")"
echo "  $members members:  $(jq -c . <<<"$big")"
jq -rn --argjson r "$ref" --argjson b "$big" '
	"  ratio big / reference: first paint \((($b.first_paint_ms / $r.first_paint_ms) * 100 | round) / 100), KPIs ready \((($b.kpis_ready_ms / $r.kpis_ready_ms) * 100 | round) / 100)"'

#!/usr/bin/env bash
# Ingest benchmark: N members and N order items (each with a paid and a
# settled row, plus the received, repriced and refund rows a live feed has)
# imported and settled by tuike — attribution, splits, ledger, balances,
# settlement — beside a reference measured in the same run: the same rows
# parsed with jansson and bulk-inserted into bare SQLite tables with one
# prepared statement per table in one transaction (bare_insert.c).
#
# Run:   bash bench/ingest/run.sh [--members N] [--keep]      (default N = 1000000)
#        make bench                                            (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), gcc, pkg-config,
#        libsqlite3-dev, libjansson-dev (make deps).  About 4 GB of disk at 1M.
# Prints rows, seconds, items/s and peak RSS of both, and the ratio
# pipeline items/s / reference items/s (target >= 0.25).  The reference runs
# before and after the pipeline and counts with the mean of the two.  Work
# files are in bench/out/ingest; the tuike database is kept there for other
# benchmarks, the rest is removed unless --keep.
set -euo pipefail

members=1000000
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--members) members="$2"; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "ingest: unknown argument \"$1\" (expected --members N, --keep)" >&2; exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/ingest"
out="$root/bench/out/ingest"
mkdir -p "$out"

if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi
cflags=(-std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)
read -r -a libs <<<"$(pkg-config --cflags --libs sqlite3 jansson)"
gcc "${cflags[@]}" "$here/bare_insert.c" -o "$out/bare_insert" "${libs[@]}"
gcc "${cflags[@]}" "$here/measure.c" -o "$out/measure"

# One clock for generation and settlement.
epoch=$(date +%s)
now=$(date -u -d "@$((epoch + 8 * 3600))" +%Y-%m-%dT%H:%M:%S+08:00)
data="$out/data"
echo "ingest: generating $members members and $members items into $data"
gen=$("$tuike" demo generate --members "$members" --items 1 --seed 1 --settle-all \
	--now "$now" --out "$data" --json)
items=$(jq -r .orders.items <<<"$gen")
rows=$(jq -r .orders.rows <<<"$gen")

times="$out/times.txt"
: >"$times"
m() { "$out/measure" "$times" "$@"; }

# The reference peer runs before and after the pipeline; the mean of the
# two stands for the machine's state during the pipeline (other load on a
# shared machine moves all three).
ref_db="$out/reference.db"
reference() {
	rm -f "$ref_db" "$ref_db-wal" "$ref_db-shm"
	echo "ingest: reference (bare insert), run $1"
	m reference "$out/bare_insert" "$ref_db" "$data/members.jsonl" "$data/orders.jsonl" >/dev/null
}
reference 1

# The full pipeline.
db="$out/tuike.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "ingest: tuike pipeline"
m init "$tuike" init --db "$db" >/dev/null
m plan "$tuike" plan set "$data/plan.json" --db "$db" >/dev/null
m members "$tuike" member import "$data/members.jsonl" --db "$db" >/dev/null
rc=0
m orders "$tuike" orders import "$data/orders.jsonl" --db "$db" >"$out/orders_import.json" \
	2>"$out/orders_rejected.txt" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "ingest: orders import failed (exit $rc): $(cat "$out/orders_import.json")" >&2
	head -5 "$out/orders_rejected.txt" >&2
	exit 1
fi
m settle "$tuike" settle --now "$now" --db "$db" >/dev/null
reference 2

awk -v items="$items" -v rows="$rows" -v members="$members" '
	$1 == "reference" { rs += $2 / 2; if ($3 > rr) rr = $3; rn = rn sprintf(" %.2fs", $2); next }
	{ ps += $2; if ($3 > pr) pr = $3; step[++n] = sprintf("%s %.2fs", $1, $2) }
	END {
		printf "\ningest benchmark: %d members, %d items, %d order rows (+ %d member rows)\n", members, items, rows, members
		printf "  %-26s %9s %12s %12s %12s\n", "", "seconds", "items/s", "rows/s", "peak RSS"
		printf "  %-26s %9.2f %12.0f %12.0f %9.0f MB\n", "reference: bare insert", rs, items / rs, (rows + members) / rs, rr / 1024
		printf "  %-26s %9.2f %12.0f %12.0f %9.0f MB\n", "tuike: import + settle", ps, items / ps, (rows + members) / ps, pr / 1024
		printf "  reference runs (before, after):%s\n", rn
		printf "  pipeline steps:"
		for (i = 1; i <= n; i++) printf " %s", step[i]
		printf "\n  ratio pipeline / reference: %.2f (target >= 0.25)\n", rs / ps
	}' "$times"

"$tuike" audit --db "$db" >/dev/null && echo "  audit: every invariant holds" ||
	echo "  audit: FAILED (tuike audit --db $db)"
rm -f "$ref_db" "$ref_db-wal" "$ref_db-shm"
[ "$keep" -eq 1 ] || rm -rf "$data"

#!/usr/bin/env bash
# PostgreSQL ingest benchmark: N order rows (paid, received, settled,
# repriced and refund rows of a live feed, for about N/3 items of as many
# members) applied by `tuike orders import` into a fresh database on a
# throwaway PostgreSQL started here — attribution, splits, ledger, balances,
# statistics — beside a reference measured in the same run on the same
# server: the same rows parsed with jansson and streamed with COPY into two
# bare tables, one row per order row as an item and as an event, no index
# but the primary keys, one transaction (copy_rows.c).
#
# Run:   bash bench/ingest_pg/run.sh [--rows N] [--keep]     (default N = 300000,
#        or $INGEST_PG_ROWS)
#        make bench                                          (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), Debian's
#        postgresql package (skipped with a note when it is not installed),
#        gcc, pkg-config, libpq-dev, libjansson-dev.
# Prints rows, seconds and rows/s of both and the ratio tuike / COPY
# (target >= 0.25).  The reference runs before and after the import and
# counts with the mean of the two.  Work files are in bench/out/ingest_pg,
# removed (with the server) at the end unless --keep.
set -euo pipefail

rows=${INGEST_PG_ROWS:-300000}
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows="$2"; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "ingest_pg: unknown argument \"$1\" (expected --rows N, --keep)" >&2; exit 2 ;;
	esac
done
case "$rows" in ''|*[!0-9]*) echo "ingest_pg: --rows must be a number, got \"$rows\"" >&2; exit 2 ;; esac

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	echo "ingest_pg: skipped: PostgreSQL's server is not installed (apt-get install postgresql)"
	exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/ingest_pg"
out="$root/bench/out/ingest_pg"
mkdir -p "$out"

if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi
cflags=(-std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)
read -r -a libs <<<"$(pkg-config --cflags --libs libpq jansson)"
gcc "${cflags[@]}" "$here/copy_rows.c" -o "$out/copy_rows" "${libs[@]}"
gcc "${cflags[@]}" "$root/bench/ingest/measure.c" -o "$out/measure"

# a throwaway server for this run only, stopped whatever happens
pgdir="$out/pg"
"$root/tests/pg/pg_stop.sh" "$pgdir" 2>/dev/null || true
server=$("$root/tests/pg/pg_start.sh" "$pgdir")
cleanup() { "$root/tests/pg/pg_stop.sh" "$pgdir" || true; }
trap cleanup EXIT
admin=${server%/tuike\?*}/postgres?${server#*\?}
db=${server%/tuike\?*}/ingest?${server#*\?}
ref=${server%/tuike\?*}/reference?${server#*\?}
psql -q "$admin" -c "CREATE DATABASE ingest" -c "CREATE DATABASE reference" >/dev/null

# about three rows per item: N/3 members with one item each, the first N rows
epoch=$(date +%s)
now=$(date -u -d "@$((epoch + 8 * 3600))" +%Y-%m-%dT%H:%M:%S+08:00)
data="$out/data"
members=$(( rows / 3 > 10 ? rows / 3 : 10 ))
echo "ingest_pg: generating $members members and their orders into $data"
"$tuike" demo generate --members "$members" --items 1 --seed 1 --settle-all \
	--now "$now" --out "$data" --json >/dev/null
head -n "$rows" "$data/orders.jsonl" >"$data/rows.jsonl"
rows=$(wc -l <"$data/rows.jsonl")

times="$out/times.txt"
: >"$times"
m() { "$out/measure" "$times" "$@"; }
reference() {
	echo "ingest_pg: reference (COPY into bare tables), run $1"
	m reference "$out/copy_rows" "$ref" "$data/rows.jsonl" >/dev/null
}
reference 1
echo "ingest_pg: tuike orders import"
"$tuike" init --db "$db" >/dev/null
"$tuike" plan set "$data/plan.json" --db "$db" >/dev/null
"$tuike" member import "$data/members.jsonl" --db "$db" >/dev/null
rc=0
m orders "$tuike" orders import "$data/rows.jsonl" --db "$db" >"$out/orders_import.json" \
	2>"$out/orders_rejected.txt" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "ingest_pg: orders import failed (exit $rc): $(cat "$out/orders_import.json")" >&2
	head -5 "$out/orders_rejected.txt" >&2
	exit 1
fi
reference 2

items=$(psql -Atq "$db" -c "SELECT count(*) FROM items")
awk -v rows="$rows" -v items="$items" '
	$1 == "reference" { rs += $2 / 2; rn = rn sprintf(" %.2fs", $2); next }
	$1 == "orders" { ps = $2 }
	END {
		printf "\ningest_pg benchmark: %d order rows (%d items) on PostgreSQL\n", rows, items
		printf "  %-30s %9s %12s %12s\n", "", "seconds", "rows/s", "items/s"
		printf "  %-30s %9.2f %12.0f %12s\n", "reference: COPY, bare tables", rs, rows / rs, "-"
		printf "  %-30s %9.2f %12.0f %12.0f\n", "tuike: orders import", ps, rows / ps, items / ps
		printf "  reference runs (before, after):%s\n", rn
		printf "  ratio import / COPY (rows/s): %.2f (target >= 0.25)\n", rs / ps
	}' "$times"

"$tuike" audit --db "$db" >/dev/null && echo "  audit: every invariant holds" ||
	echo "  audit: FAILED (tuike audit --db $db)"
if [ "$keep" -eq 1 ]; then
	trap - EXIT
	echo "  kept: $data and the server in $pgdir (stop: tests/pg/pg_stop.sh $pgdir)"
else
	rm -rf "$data"
fi

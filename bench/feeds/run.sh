#!/usr/bin/env bash
# Feeds benchmark: N JD order rows, as JSON Lines of real
# jd.union.open.order.row.query reply bodies (500 rows each, rows inside the
# queryResult JSON string), parsed and applied by `tuike orders import
# --format jd` — beside the reference peer measured in the same run: the
# money core's own JSON Lines import of the same N items (`--format jsonl`).
# Both attribute every item (JD by subUnionId tag, JSON Lines by member id),
# split it and post it to the ledger, into a fresh database each.
#
# Run:   bash bench/feeds/run.sh [--rows N] [--keep]    (default N = 1000000)
#        make bench                                      (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), gcc, python3.
#        About 3 GB of disk at 1,000,000 rows.
# Prints seconds, rows/s and peak RSS of both and the ratio
# JD rows/s / JSON Lines rows/s.  Work files are in bench/out/feeds, removed
# unless --keep.
set -euo pipefail

rows=1000000
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows="$2"; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "feeds: unknown argument \"$1\" (expected --rows N, --keep)" >&2; exit 2 ;;
	esac
done
members=$((rows < 1000 ? rows : 1000))

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/feeds"
out="$root/bench/out/feeds"
mkdir -p "$out"
if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi
gcc -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE "$root/bench/ingest/measure.c" \
	-o "$out/measure"

echo "feeds: generating $rows JD rows and the same items as JSON Lines into $out"
python3 "$here/gen.py" --rows "$rows" --members "$members" --out "$out/data"
cat >"$out/plan.json" <<'JSON'
{"name":"bench","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"tiers_bps":[1000,500],"hold_days":7,"default_level":"member",
 "levels":[{"key":"member","name":"Member","rate_bps":3000,"can_share":false},
  {"key":"super","name":"Super","rate_bps":5000,"can_share":true}]}
JSON

# setup DB: a fresh database with the plan, the members and (for JD) their tags
setup() {
	local db=$1 with_tags=$2
	rm -f "$db" "$db-wal" "$db-shm"
	"$tuike" init --db "$db" >/dev/null
	"$tuike" plan set "$out/plan.json" --db "$db" >/dev/null
	"$tuike" member import "$out/data/members.jsonl" --db "$db" >/dev/null
	if [ "$with_tags" = 1 ]; then
		for ((m = 0; m < members; m++)); do echo "m$m u$m"; done |
			while read -r member tag; do
				"$tuike" tag set "$member" jd subUnionId "$tag" --db "$db" >/dev/null
			done
	fi
}

times="$out/times.txt"
: >"$times"
setup "$out/jsonl.db" 0
echo "feeds: reference: orders import --format jsonl"
"$out/measure" "$times" jsonl "$tuike" orders import "$out/data/items.jsonl" --format jsonl \
	--db "$out/jsonl.db" >"$out/jsonl.json"
setup "$out/jd.db" 1
echo "feeds: orders import --format jd"
"$out/measure" "$times" jd "$tuike" orders import "$out/data/jd.jsonl" --format jd \
	--db "$out/jd.db" >"$out/jd.json"

for f in jsonl jd; do
	[ "$(jq .applied "$out/$f.json")" = "$rows" ] ||
		{ echo "feeds: $f import applied $(cat "$out/$f.json"), not $rows rows" >&2; exit 1; }
done
same=$("$tuike" report totals --json --db "$out/jd.db" | jq -c 'del(.unattributed_items)')
[ "$same" = "$("$tuike" report totals --json --db "$out/jsonl.db" | jq -c 'del(.unattributed_items)')" ] &&
	agree="the two databases report the same totals" ||
	agree="WARNING: the two databases report different totals"

awk -v rows="$rows" -v bytes="$(stat -c %s "$out/data/jd.jsonl")" '
	{ secs[$1] = $2; rss[$1] = $3 }
	END {
		printf "\nfeeds benchmark: %d JD rows (%.0f MB of reply bodies)\n", rows, bytes / 1048576
		printf "  %-34s %9s %12s %10s\n", "", "seconds", "rows/s", "peak RSS"
		printf "  %-34s %9.2f %12.0f %7.0f MB\n", "reference: --format jsonl", secs["jsonl"], rows / secs["jsonl"], rss["jsonl"] / 1024
		printf "  %-34s %9.2f %12.0f %7.0f MB\n", "tuike: --format jd (parse + apply)", secs["jd"], rows / secs["jd"], rss["jd"] / 1024
		printf "  ratio jd / jsonl (rows/s): %.2f\n", secs["jsonl"] / secs["jd"]
	}' "$times"
echo "  $agree"
[ "$keep" -eq 1 ] || rm -rf "$out/data" "$out"/*.db "$out"/*.db-wal "$out"/*.db-shm

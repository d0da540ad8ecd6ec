#!/usr/bin/env bash
# Campaigns benchmark: N JD order rows of which every other one is a
# promotion head's row (unionRole 2, cpActId 5001, one of 50 channels by
# rid), imported by `tuike orders import --format jd` into a database with
# the merchant, campaign, product and channels registered: the other half
# split as ever, the head rows matched to campaign, product and channel and
# their service fee posted (docs/promotion-head.md) — beside the reference
# peer measured in the same run: the same N rows without the campaign fields
# imported into a database with no campaign (every row an ordinary order).
#
# Run:   bash bench/campaigns/run.sh [--rows N] [--keep]   (default N = 200000)
# Needs: make build (done here unless $TUIKE names a binary), gcc, python3.
# Prints seconds, rows/s and peak RSS of both and the ratio campaign rows/s /
# plain rows/s, and checks the campaign orders and the audit.
set -euo pipefail

rows=200000
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows="$2"; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,14p' "$0"; exit 0 ;;
	*) echo "campaigns: unknown argument \"$1\" (expected --rows N, --keep)" >&2; exit 2 ;;
	esac
done
members=$((rows < 200 ? rows : 200))

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/bench/out/campaigns"
mkdir -p "$out"
if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi
gcc -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE "$root/bench/ingest/measure.c" \
	-o "$out/measure"

echo "campaigns: generating $rows JD rows (half of them head rows) into $out"
python3 "$root/bench/feeds/gen.py" --rows "$rows" --members "$members" --out "$out/data"
python3 "$root/bench/campaigns/head_rows.py" "$out/data/jd.jsonl" "$out/data/head.jsonl"
cat >"$out/plan.json" <<'JSON'
{"name":"bench","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"tiers_bps":[1000,500],"hold_days":7,"default_level":"member",
 "levels":[{"key":"member","name":"Member","rate_bps":3000,"can_share":false},
  {"key":"super","name":"Super","rate_bps":5000,"can_share":true}]}
JSON

# setup DB: the plan, the members and their JD tags
setup() {
	local db=$1
	rm -f "$db" "$db-wal" "$db-shm"
	"$tuike" init --db "$db" >/dev/null
	"$tuike" plan set "$out/plan.json" --db "$db" >/dev/null
	"$tuike" member import "$out/data/members.jsonl" --db "$db" >/dev/null
	for ((m = 0; m < members; m++)); do
		"$tuike" tag set "m$m" jd subUnionId "u$m" --db "$db" >/dev/null
	done
}

times="$out/times.txt"
: >"$times"
setup "$out/plain.db"
echo "campaigns: reference: the rows without campaign fields, no campaign registered"
"$out/measure" "$times" plain "$tuike" orders import "$out/data/jd.jsonl" --format jd \
	--db "$out/plain.db" >"$out/plain.json"

setup "$out/head.db"
db=(--db "$out/head.db")
merchant=$("$tuike" merchant add "基准商家" --json "${db[@]}" | jq -r .id)
campaign=$("$tuike" campaign add "$merchant" jd "基准活动" --promote 2026-10-01..2026-11-30 \
	--ext 5001 --json "${db[@]}" | jq -r .id)
"$tuike" campaign item "$campaign" 900001 --commission 200 --service 50 "${db[@]}" >/dev/null
"$tuike" campaign status "$campaign" approved "${db[@]}" >/dev/null
for ((c = 0; c < 50; c++)); do
	id=$("$tuike" channel add "渠道$c" team --json "${db[@]}" | jq -r .id)
	"$tuike" channel id "$id" jd rid $((880 + c)) "${db[@]}" >/dev/null
done
echo "campaigns: orders import --format jd, half head rows, campaign and channels registered"
"$out/measure" "$times" head "$tuike" orders import "$out/data/head.jsonl" --format jd \
	"${db[@]}" >"$out/head.json"

for f in plain head; do
	[ "$(jq .applied "$out/$f.json")" = "$rows" ] ||
		{ echo "campaigns: $f import applied $(cat "$out/$f.json"), not $rows rows" >&2; exit 1; }
done
matched=$(sqlite3 "$out/head.db" "SELECT count(*) FROM campaign_orders WHERE campaign = $campaign AND channel IS NOT NULL AND head = 1")
audit=$("$tuike" audit --json "${db[@]}" | jq -c .ok)

awk -v rows="$rows" -v matched="$matched" -v audit="$audit" '
	{ secs[$1] = $2; rss[$1] = $3 }
	END {
		printf "\ncampaigns benchmark: %d JD rows, %d of them head rows matched to campaign and channel\n", rows, matched
		printf "  %-44s %9s %12s %10s\n", "", "seconds", "rows/s", "peak RSS"
		printf "  %-44s %9.2f %12.0f %7.0f MB\n", "reference: the rows as ordinary orders", secs["plain"], rows / secs["plain"], rss["plain"] / 1024
		printf "  %-44s %9.2f %12.0f %7.0f MB\n", "tuike: half head rows (match + service fee)", secs["head"], rows / secs["head"], rss["head"] / 1024
		printf "  ratio head / reference (rows/s): %.2f; audit ok: %s\n", secs["plain"] / secs["head"], audit
	}' "$times"
[ "$keep" -eq 1 ] || rm -rf "$out/data" "$out"/*.db "$out"/*.db-wal "$out"/*.db-shm

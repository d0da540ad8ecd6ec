#!/usr/bin/env bash
# Builds the demo database from scratch: generates a realistic dataset (plan,
# invitation tree, union order feed), loads it the way an operator would, and
# prints what is there and what to try next.
#
#   bash scripts/demo.sh [--members N] [--db PATH] [--seed S]     (make demo)
#
# At the end it starts `tuike serve` on $LISTEN (default 127.0.0.1:8080)
# with a demo operator key, seeds it through the API (scripts/demo-seed.sh)
# and serves until Ctrl-C.  SERVE=0 only loads the data.  SERVE=background
# leaves the server running and exits, having written DATA/env (to source:
# DEMO_URL, DEMO_KEY, DEMO_PID, PROMOTER, PROMOTER_PASSWORD, OTHER).
#
# Uses build/tuike, or $TUIKE when set.  The data files land in the data/
# folder beside the database (demo/data for the default demo/tuike.db).
set -euo pipefail

members=2000
db=demo/tuike.db
seed=1
while [ $# -gt 0 ]; do
	case "$1" in
	--members) members="$2"; shift 2 ;;
	--db) db="$2"; shift 2 ;;
	--seed) seed="$2"; shift 2 ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "demo.sh: unknown argument \"$1\" (expected --members N, --db PATH, --seed S)" >&2
	   exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tuike="${TUIKE:-$root/build/tuike}"
if [ ! -x "$tuike" ]; then
	echo "demo.sh: $tuike not found; run \"make build\" first (or set TUIKE)" >&2
	exit 1
fi
command -v jq >/dev/null || { echo "demo.sh: jq is required (make deps)" >&2; exit 1; }

mkdir -p "$(dirname "$db")"
data="$(dirname "$db")/data"
rm -f "$db" "$db-wal" "$db-shm"

# One clock for the whole run, in Beijing time as the unions report it.
epoch=$(date +%s)
beijing() { date -u -d "@$(($1 + 8 * 3600))" +%Y-%m-%dT%H:%M:%S+08:00; }
now=$(beijing "$epoch")
# The feed arrives in two deliveries: everything up to ten days ago, settled
# as of then, then the last ten days.  Refunds in the second delivery of
# money released by the first come back as clawbacks, as they would live.
cutoff=$(beijing $((epoch - 10 * 86400)))

step() { printf '== %s\n' "$*"; }
yuan() { # fen -> yuan text, in integers only
	local v=$1 sign=""
	if [ "$v" -lt 0 ]; then sign="-"; v=$((-v)); fi
	printf '%s%d.%02d' "$sign" $((v / 100)) $((v % 100))
}

step "generating $members members into $data (seed $seed)"
"$tuike" demo generate --members "$members" --out "$data" --seed "$seed" --now "$now"

step "creating $db"
"$tuike" init --db "$db"
"$tuike" plan set "$data/plan.json" --db "$db"
member_stats=$("$tuike" member import "$data/members.jsonl" --db "$db")
echo "members: $member_stats"

# Split the feed (sorted by update time) at the cutoff.
part1="$data/orders.part1.jsonl"
part2="$data/orders.part2.jsonl"
awk -v cut="\"modified_at\":\"$cutoff\"" -v p1="$part1" -v p2="$part2" '
	{ i = index($0, "\"modified_at\":\""); t = substr($0, i, length(cut));
	  if (t < cut) print > p1; else print > p2 }' "$data/orders.jsonl"
touch "$part1" "$part2"

step "importing orders up to $cutoff, then settling as of then"
orders1=$("$tuike" orders import "$part1" --db "$db")
echo "orders: $orders1"
"$tuike" settle --now "$cutoff" --db "$db"
step "importing the last ten days of orders, then settling as of now"
orders2=$("$tuike" orders import "$part2" --db "$db")
echo "orders: $orders2"
"$tuike" settle --now "$now" --db "$db"
rm -f "$part1" "$part2"

step "auditing the ledger"
audit_out=$("$tuike" audit --db "$db") && audit_rc=0 || audit_rc=$?
echo "$audit_out"

step "building the product library"
products_note=""
if products_out=$("$tuike" products generate --count 10000 --days 90 --db "$db" 2>&1); then
	echo "$products_out"
	products_note="yes"
elif grep -q "not available yet" <<<"$products_out"; then
	echo "skipped: the products command is not available yet in this build"
else
	echo "$products_out" >&2
	echo "demo.sh: products generate failed" >&2
	exit 1
fi

# Examples for "what to try next": the founder of the biggest team, the
# member with the most available money among the busiest sharers, a
# settled item.
totals=$("$tuike" report totals --json --db "$db")
leader=m1
best=m1 best_avail=-1
for m in m1 m2 m3 $(grep -o '"member":"m[0-9]*"' "$data/orders.jsonl" | sort | uniq -c |
		      sort -rn | head -20 | sed 's/.*"member":"\(m[0-9]*\)"/\1/'); do
	a=$("$tuike" balance "$m" --json --db "$db" 2>/dev/null | jq -r '.available // -1') || a=-1
	if [ "$a" -gt "$best_avail" ]; then best=$m best_avail=$a; fi
done
item_line=$(grep -m1 '"status":"settled"' "$data/orders.jsonl" || head -1 "$data/orders.jsonl")
item_union=$(jq -r .union <<<"$item_line")
item_key=$(jq -r .item <<<"$item_line")

sum() { jq -r ".$1 // 0" <<<"$totals"; }
cat <<EOF

tuike demo is ready
  database   $db
  data       $data (plan.json, members.jsonl, orders.jsonl)
  members    $(jq -r .applied <<<"$member_stats") imported
  order rows $(( $(jq -r .read <<<"$orders1") + $(jq -r .read <<<"$orders2") )) read, $(( $(jq -r .applied <<<"$orders1") + $(jq -r .applied <<<"$orders2") )) applied
  items      $(sum items) earning, $(sum invalid_items) invalid, $(sum unattributed_items) unattributed
  GMV        $(yuan "$(sum gmv)") yuan
  commission $(yuan "$(sum commission)") yuan: members $(yuan "$(sum members_share)"), platform $(yuan "$(sum platform_share)")
  audit      $([ "$audit_rc" -eq 0 ] && echo "every invariant holds" || echo "FAILED (exit $audit_rc)")

What to try next
  $tuike member show $leader --json --db $db        # the founder of the biggest team
  $tuike balance $best --json --db $db
  $tuike order show $item_union $item_key --json --db $db
  $tuike withdraw request $best 1000 --method alipay --account demo@example.com --db $db
  $tuike report totals --json --db $db
  $tuike audit --db $db
EOF
if [ -n "$products_note" ]; then
	echo "  $tuike products search 抽纸 --db $db"
fi
serve=${SERVE:-1}
if [ "$serve" = 0 ] || [ "$audit_rc" -ne 0 ]; then
	exit "$audit_rc"
fi

# The server, in the background while the seeding below talks to it; then
# waited for until Ctrl-C or SIGTERM, which it gets to stop in order.
step "starting the HTTP server with the web console"
TUIKE_DEMO=1 "$tuike" serve --db "$db" --listen "${LISTEN:-127.0.0.1:8080}" --demo-key \
	--access-log "$data/access.log" >"$data/serve.out" 2>"$data/serve.err" &
server=$!
[ "$serve" = background ] || trap 'kill -TERM $server 2>/dev/null; wait $server; exit 0' INT TERM
url="" key=""
for _ in $(seq 300); do
	url=$(sed -n 's/^tuike serve: listening on \(http:[^ ]*\) .*/\1/p' "$data/serve.out")
	key=$(grep -o 'tk_[A-Za-z0-9_-]*' "$data/serve.out" | head -1 || true)
	[ -n "$url" ] && [ -n "$key" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$url" ] || [ -z "$key" ]; then
	cat "$data/serve.err" >&2
	echo "demo.sh: the server did not start" >&2
	exit 1
fi
step "seeding tags, a promoter login, withdrawals, links and clicks, chat groups, a promotion head's campaign through the API"
seed=$(bash "$root/scripts/demo-seed.sh" "$url" "$key")
eval "$seed"
# the manual group's offer made ready (a manual group needs no network)
"$tuike" push run --once --db "$db" >/dev/null 2>&1 || true
if [ "$serve" = background ]; then
	printf 'DEMO_URL=%s\nDEMO_KEY=%s\nDEMO_PID=%s\n%s\n' "$url" "$key" "$server" "$seed" >"$data/env"
	echo "tuike is serving $db at $url in the background (pid $server); details in $data/env"
	exit 0
fi
cat <<EOF

tuike is serving $db
  operator console  $url/
  promoter page     $url/m/
  operator key      $key   (shown once; log in to the console with it)
  promoter login    $PROMOTER / $PROMOTER_PASSWORD
  API               $url/api/v1/   (OpenAPI: $url/api/v1/openapi.json)
  try: curl -H 'Authorization: Bearer $key' $url/api/v1/reports/summary
Stop with Ctrl-C (buffered clicks are written first).  Server log: $data/serve.err
EOF
wait $server

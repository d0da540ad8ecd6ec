#!/usr/bin/env bash
# Sending bills benchmark: 10,000 chat groups (WeCom robots), each with a
# day's schedule (every hour from 09:00 to 21:00), in a fresh SQLite
# database with a generated product library.
#   1. planning: `tuike push plan` of the day — the slots of every group,
#      a product each from the worth-pushing ranking with de-duplication —
#      timed; jobs/s reported.
#   2. the pusher: `tuike push run --simulate` over the first slots of the
#      day (about 20,000 messages): claim, the group's link, the message,
#      the POST to a local receiver (receiver.c: answers every platform's
#      send at once) and its outcome recorded, one message at a time —
#      beside the reference peer, a bare libcurl POST loop of as many
#      messages of the same size to the same receiver (post_loop.c), same
#      run.  Prints µs per message of both and the ratio reference /
#      pusher.
#
# Run:   bash bench/push/run.sh [--groups N] [--keep]   (default 10,000, or $PUSH_GROUPS)
# Needs: make build (done here unless $TUIKE names a binary), gcc,
#        pkg-config, libmicrohttpd-dev, libcurl-dev, sqlite3.
set -euo pipefail

groups=${PUSH_GROUPS:-10000}
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--groups) groups="$2"; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "push: unknown argument \"$1\" (expected --groups N, --keep)" >&2; exit 2 ;;
	esac
done
case "$groups" in ''|*[!0-9]*|0) echo "push: --groups must be a positive number, got \"$groups\"" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/push"
out="$root/bench/out/push"
rm -rf "$out"
mkdir -p "$out"
if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi
cflags=(-std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)
read -r -a mhd <<<"$(pkg-config --cflags --libs libmicrohttpd)"
read -r -a curl <<<"$(pkg-config --cflags --libs libcurl)"
gcc "${cflags[@]}" "$here/receiver.c" -o "$out/receiver" "${mhd[@]}"
gcc "${cflags[@]}" "$here/post_loop.c" -o "$out/post_loop" "${curl[@]}"

"$out/receiver" "$out/port" "$out/count" &
rpid=$!
cleanup() { kill "$rpid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 50); do [ -s "$out/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$out/port")"
export TUIKE_PUSH_WECOM_BASE=$base TUIKE_PUSH_LINK_BASE=https://s.example.com
export TUIKE_NOW=2026-11-10T08:00:00+08:00
from=2026-11-10T08:00:00+08:00
day_end=2026-11-11T08:00:00+08:00
until=2026-11-10T10:30:00+08:00 # the 09:00 and 10:00 slots

db="$out/push.db"
tk() { "$tuike" "$@" --db "$db"; }
tk init >/dev/null
tk member add owner --level super >/dev/null
for t in "jd subUnionId o1" "pdd uid o1" "taobao relation_id 9001"; do tk tag set owner $t >/dev/null; done
echo "push: a product library of 2,000 and $groups groups"
tk products generate --count 2000 --days 30 --seed 3 >/dev/null
# the groups written straight into the database: adding 10,000 through the
# command line would measure process starts, not the pusher
sqlite3 "$db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $groups)
INSERT INTO groups(id, channel, owner, name, kind, settings, state, created_at, updated_at)
SELECT i, 'g' || i, (SELECT id FROM members WHERE ext = 'owner'), 'group ' || i, 'wecom',
       '{"schedule":{"every_minutes":60,"from":"09:00","to":"21:00"},"jitter_seconds":600,"dedup_days":1,"shop_cooldown_hours":0}',
       'active', 0, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $groups)
INSERT INTO group_secrets(grp, credential, hint) SELECT i, 'key-' || i, substr('key-' || i, -4) FROM n;
SQL

now_s() { date +%s.%N; }
t0=$(now_s)
tk push plan --from "$from" --to "$day_end" >"$out/plan.json"
t1=$(now_s)
jobs=$(jq .created "$out/plan.json")

t2=$(now_s)
/usr/bin/time -f "%e s wall, %U s user, %S s sys" -o "$out/run.time" "$tuike" push run --simulate --from "$from" --until "$until" --db "$db" >"$out/run.json" 2>"$out/run.err"
t3=$(now_s)
sent=$(sqlite3 "$db" "SELECT count(*) FROM send_jobs WHERE state = 'sent'")
[ "$sent" -gt 0 ] || { echo "push: the pusher sent nothing: $(head -3 "$out/run.err")" >&2; exit 1; }
ref=$("$out/post_loop" "$base/cgi-bin/webhook/send?key=key-1" "$sent")
kill -TERM "$rpid"
wait "$rpid" || true
answered=$(cat "$out/count")

awk -v g="$groups" -v jobs="$jobs" -v plan="$(echo "$t1 - $t0" | bc)" -v run="$(echo "$t3 - $t2" | bc)" \
	-v sent="$sent" -v ref="$ref" -v answered="$answered" 'BEGIN {
	printf "\npush benchmark: %d groups (WeCom robots), hourly 09:00-21:00\n", g
	printf "  plan the day:  %d jobs in %.2f s (%.0f jobs/s)\n", jobs, plan, jobs / plan
	printf "  %-34s %10s %12s\n", "", "messages", "us/message"
	printf "  %-34s %10d %12.1f\n", "reference: bare POST loop", sent, ref * 1e6 / sent
	printf "  %-34s %10d %12.1f\n", "tuike push run (simulated clock)", sent, run * 1e6 / sent
	printf "  ratio reference / pusher (per message): %.2f\n", ref / run
	printf "  receiver answered %d requests (pusher + reference = %d)\n", answered, 2 * sent
}'
if [ "$keep" -eq 1 ]; then
	echo "  kept: $db"
else
	rm -f "$db" "$db"-wal "$db"-shm
fi

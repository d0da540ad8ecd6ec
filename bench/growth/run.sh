#!/usr/bin/env bash
# Growth benchmark, on the N-member demo invitation tree:
#  1. registrations: N members imported with their team counts kept on
#     write (direct, whole team, per level, for every ancestor), beside a
#     bare insert of the same registrations (bench/ingest/bare_insert.c);
#  2. bulk level evaluation: `tuike levels evaluate` of the whole tree
#     against the demo plan with upgrade rules added (first run applies the
#     upgrades, second finds none), beside one recursive SQL query that
#     computes every member's team size (team_closure.c) — one of the
#     inputs the evaluation derives, the way a database alone would.
#
# Run:   bash bench/growth/run.sh [--members N] [--keep]     (default N = 1000000)
#        make bench                                          (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), gcc, pkg-config,
#        libsqlite3-dev, libjansson-dev, jq.  About 400 MB of disk at 1M.
# Prints seconds of each side and the ratios; target: evaluation of
# 1,000,000 members under 5 s.  Work files are in bench/out/growth; the
# databases are removed unless --keep.
set -euo pipefail

members=1000000
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--members) members="$2"; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "growth: unknown argument \"$1\" (expected --members N, --keep)" >&2; exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/growth"
out="$root/bench/out/growth"
mkdir -p "$out"

if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi
cflags=(-std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)
read -r -a libs <<<"$(pkg-config --cflags --libs sqlite3 jansson)"
gcc "${cflags[@]}" "$root/bench/ingest/bare_insert.c" -o "$out/bare_insert" "${libs[@]}"
gcc "${cflags[@]}" "$root/bench/ingest/measure.c" -o "$out/measure"
gcc "${cflags[@]}" "$here/team_closure.c" -o "$out/team_closure" "${libs[@]}"

epoch=$(date +%s)
now=$(date -u -d "@$((epoch + 8 * 3600))" +%Y-%m-%dT%H:%M:%S+08:00)
data="$out/data"
echo "growth: generating $members members into $data"
"$tuike" demo generate --members "$members" --items 0 --seed 1 --now "$now" --out "$data" >/dev/null
: >"$out/no_orders.jsonl"
# the demo plan with upgrade rules of every member-count kind and a sales window
jq '.levels[1].upgrade = {"match": "any", "conditions": [
      {"kind": "direct_invites", "min": 3}, {"kind": "gift_pack"}]}
  | .levels[2].upgrade = {"conditions": [
      {"kind": "team_size", "min": 30}, {"kind": "direct_at_level", "level": "super", "min": 2}]}
  | .levels[3].upgrade = {"conditions": [
      {"kind": "team_size", "min": 500}, {"kind": "direct_at_level", "level": "mentor", "min": 3},
      {"kind": "team_gmv", "days": 30, "min": 1000000}]}' "$data/plan.json" >"$out/rules.json"

times="$out/times.txt"
: >"$times"
m() { "$out/measure" "$times" "$@"; }

ref_db="$out/reference.db"
reference() {
	rm -f "$ref_db" "$ref_db-wal" "$ref_db-shm"
	echo "growth: reference (bare insert of the registrations), run $1"
	m "insert_ref$1" "$out/bare_insert" "$ref_db" "$data/members.jsonl" "$out/no_orders.jsonl" >/dev/null
}
db="$out/tuike.db"
rm -f "$db" "$db-wal" "$db-shm"
reference 1
echo "growth: tuike member import (team counts kept on write)"
"$tuike" init --db "$db" >/dev/null
"$tuike" plan set "$data/plan.json" --db "$db" >/dev/null
m import "$tuike" member import "$data/members.jsonl" --db "$db" >/dev/null
reference 2

# the counts kept on write equal a recount from scratch
closure=$("$out/team_closure" "$db")
kept=$(sqlite3 "$db" "SELECT json_object('members_with_team', count(*), 'pairs', sum(team_count)) FROM members WHERE team_count > 0" 2>/dev/null ||
	echo "")

echo "growth: bulk evaluation"
"$tuike" plan set "$out/rules.json" --db "$db" >/dev/null
m closure1 "$out/team_closure" "$db" >/dev/null
m evaluate "$tuike" levels evaluate --json --db "$db" >"$out/evaluate.json"
m evaluate_again "$tuike" levels evaluate --json --db "$db" >"$out/evaluate_again.json"
m closure2 "$out/team_closure" "$db" >/dev/null

awk -v members="$members" -v up="$(jq .upgraded "$out/evaluate.json")" \
    -v again="$(jq .upgraded "$out/evaluate_again.json")" '
	{ t[$1] = $2; rss[$1] = $3 }
	END {
		ri = (t["insert_ref1"] + t["insert_ref2"]) / 2
		rc = (t["closure1"] + t["closure2"]) / 2
		printf "\ngrowth benchmark: %d members\n", members
		printf "  %-44s %9s %12s %10s\n", "", "seconds", "members/s", "peak RSS"
		printf "  %-44s %9.2f %12.0f %7.0f MB\n", "reference: bare insert of the registrations", ri, members / ri, rss["insert_ref1"] / 1024
		printf "  %-44s %9.2f %12.0f %7.0f MB\n", "tuike: member import, team counts on write", t["import"], members / t["import"], rss["import"] / 1024
		printf "  ratio import / reference: %.2f of the bare insert speed\n", ri / t["import"]
		printf "  %-44s %9.2f %12.0f %7.0f MB\n", "reference: team sizes by recursive SQL", rc, members / rc, rss["closure1"] / 1024
		printf "  %-44s %9.2f %12.0f %7.0f MB   (%d upgraded)\n", "tuike: levels evaluate, whole tree", t["evaluate"], members / t["evaluate"], rss["evaluate"] / 1024, up
		printf "  %-44s %9.2f %12.0f %7.0f MB   (%d upgraded)\n", "tuike: levels evaluate again", t["evaluate_again"], members / t["evaluate_again"], rss["evaluate_again"] / 1024, again
		printf "  ratio evaluate / recursive SQL: %.2f (below 1: the whole evaluation is faster than the query)\n", t["evaluate"] / rc
		printf "  evaluation target: under 5 s at 1,000,000 members: %s\n", (members >= 1000000 ? (t["evaluate"] < 5 ? "met" : "NOT met") : "(scale to 1,000,000 to check)")
	}' "$times"
if [ -n "$kept" ] && [ "$kept" = "$closure" ]; then
	echo "  team counts kept on write equal the recursive recount: $kept"
else
	echo "  team counts: kept $kept, recount $closure"
fi
"$tuike" audit --db "$db" >/dev/null && echo "  audit: every invariant holds" ||
	echo "  audit: FAILED (tuike audit --db $db)"
if [ "$keep" -eq 0 ]; then
	rm -rf "$data" "$ref_db" "$ref_db-wal" "$ref_db-shm" "$db" "$db-wal" "$db-shm"
fi

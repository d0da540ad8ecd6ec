# lib.sh — shared by the scenario tests: a temp dir, the binary, assertions.
# Sourced, not run.  Needs TUIKE (the binary) and TUIKE_SRC in the environment.
set -euo pipefail

: "${TUIKE:?set TUIKE to the tuike binary}"
: "${TUIKE_SRC:?set TUIKE_SRC to the source tree}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TUIKE_DB="$WORK/tuike.db"
export TZ=UTC
FAILS=0

tk() { "$TUIKE" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	FAILS=$((FAILS + 1))
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" != "$3" ]; then fail "$1: got '$2', want '$3'"; else echo "ok: $1"; fi
}

# expect_status WHAT WANT CMD...: runs CMD, checks its exit status
expect_status() {
	local what=$1 want=$2
	shift 2
	local got=0
	"$@" >"$WORK/out" 2>"$WORK/err" || got=$?
	expect_eq "$what (exit status)" "$got" "$want"
}

# expect_grep WHAT PATTERN FILE
expect_grep() {
	if grep -qE -- "$2" "$3"; then echo "ok: $1"; else fail "$1: /$2/ not in $(cat "$3")"; fi
}

# bal MEMBER FIELD: one balance figure
bal() { tk balance "$1" --json | jq -r ".$2"; }

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "$FAILS check(s) failed" >&2
		exit 1
	fi
	echo "all checks passed"
}

standard_plan() {
	cat >"$WORK/plan.json" <<'JSON'
{"name":"default","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"tiers_bps":[1000,500],"hold_days":7,"default_level":"member",
 "withdraw_min":100,"withdraw_fee_bps":100,
 "levels":[{"key":"member","name":"Registered member","rate_bps":3000,"can_share":false},
  {"key":"super","name":"Super member","rate_bps":5000,"can_share":true},
  {"key":"mentor","name":"Mentor","rate_bps":7000,"can_share":true},
  {"key":"partner","name":"Partner","rate_bps":8000,"can_share":true}]}
JSON
	tk init >/dev/null
	tk plan set "$WORK/plan.json" >/dev/null
}

# row UNION ITEM STATUS MODIFIED COMMISSION [SETTLED] [BUYER] [MEMBER] [LINK]
row() {
	local settled=null buyer=null member=null link=null
	[ -n "${6:-}" ] && settled="\"$6\""
	[ -n "${7:-}" ] && buyer="\"$7\""
	[ -n "${8:-}" ] && member="\"$8\""
	[ -n "${9:-}" ] && link="\"$9\""
	printf '{"union":"%s","item":"%s","order":"%s","status":"%s","modified_at":"%s","paid_at":"2026-11-01T10:00:00+08:00","settled_at":%s,"amount":19900,"commission":%s,"quantity":1,"product":"p1","title":"t","buyer":%s,"member":%s,"link":%s}\n' \
		"$1" "$2" "${2%%-*}" "$3" "$4" "$settled" "$5" "$buyer" "$member" "$link"
}

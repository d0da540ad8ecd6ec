# lib.sh — shared by the scenario tests: a temp dir, the binary, the test
# databases on either backend, assertions.  Sourced, not run.  Needs TUIKE
# (the binary) and TUIKE_SRC in the environment; TUIKE_TEST_BACKEND=pg (with
# TUIKE_TEST_PG_FILE, as ctest's pg fixture sets it) runs the test on
# PostgreSQL instead of SQLite files.
set -euo pipefail

: "${TUIKE:?set TUIKE to the tuike binary}"
: "${TUIKE_SRC:?set TUIKE_SRC to the source tree}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TZ=UTC
FAILS=0

# ---- the test databases, on the backend of the run
TUIKE_TEST_BACKEND=${TUIKE_TEST_BACKEND:-sqlite}
case $TUIKE_TEST_BACKEND in
sqlite | pg) ;;
*) echo "lib.sh: TUIKE_TEST_BACKEND must be sqlite or pg, got '$TUIKE_TEST_BACKEND'" >&2; exit 2 ;;
esac

db_is_pg() { [ "$TUIKE_TEST_BACKEND" = pg ]; }

# psql as the tests use it: output exactly like the sqlite3 shell's (no
# header, '|' between columns, NULL as nothing), stopping at the first error
PSQL=(psql -X -A -t -F'|' -q -v ON_ERROR_STOP=1)
export PGCLIENTENCODING=UTF8

# pg_name URI: the database name in a postgresql:// URI
pg_name() { local n=${1#*://*/}; echo "${n%%\?*}"; }

# pg_admin SQL: runs SQL on the server's own database (creating, dropping)
pg_admin() {
	"${PSQL[@]}" "$(sed -n 1p "${TUIKE_TEST_PG_FILE:?TUIKE_TEST_PG_FILE is not set: run under ctest}")" -c "$1"
}

# db_missing NAME: what db_uri and db_clone print when they cannot make the
# database: a path no command can open, so that a caller which cannot see
# their status (VAR=$(db_uri x) cmd) fails loudly rather than on ./tuike.db
db_missing() {
	echo "lib.sh: no PostgreSQL database for $1" >&2
	echo "$WORK/no-database/$1.db"
}

# db_uri NAME: the test database called NAME — a file in $WORK on SQLite, a
# database of its own on PostgreSQL, made empty on first use.  The same
# NAME gives the same database for the whole test.
db_uri() {
	if ! db_is_pg; then
		echo "$WORK/$1.db"
		return
	fi
	local map="$WORK/.pg-$1"
	[ -s "$map" ] || bash "$TUIKE_SRC/tests/pg/pg_fresh.sh" >"$map" ||
		{ rm -f "$map"; db_missing "$1"; return 1; }
	cat "$map"
}

# db_clone FROM NAME: makes the test database NAME (see db_uri) a copy of
# the database FROM, which no process may have open, and prints its URI.
# SQLite copies the file (leaving no old journal beside it); PostgreSQL
# creates a new database with FROM as its template.
db_clone() {
	local from=$1 name=$2
	if ! db_is_pg; then
		cp "$from" "$WORK/$name.db"
		rm -f "$WORK/$name.db-wal" "$WORK/$name.db-shm"
		echo "$WORK/$name.db"
		return
	fi
	local map="$WORK/.pg-$name" old="" uri
	[ -s "$map" ] && old=$(cat "$map")
	uri=$(bash "$TUIKE_SRC/tests/pg/pg_fresh.sh" --template "$from") || { db_missing "$name"; return 1; }
	[ -z "$old" ] || pg_admin "DROP DATABASE IF EXISTS \"$(pg_name "$old")\" WITH (FORCE)"
	echo "$uri" >"$map"
	echo "$uri"
}

# db_sql [--db DB] [SQL [PG_SQL]]: runs SQL (from stdin without it) on the
# database DB (default $TUIKE_DB) with the sqlite3 shell or psql, printing
# rows alike on both.  Tests keep to SQL both backends read alike; PG_SQL,
# when given, is what PostgreSQL runs instead (where the two truly differ).
db_sql() {
	local db=$TUIKE_DB
	if [ "${1:-}" = --db ]; then
		db=$2
		shift 2
	fi
	if db_is_pg; then
		local sql
		if [ $# -eq 0 ]; then sql=$(cat); elif [ $# -ge 2 ]; then sql=$2; else sql=$1; fi
		"${PSQL[@]}" "$db" -f - <<<"$sql"
	elif [ $# -eq 0 ]; then
		sqlite3 "$db"
	else
		sqlite3 "$db" "$1"
	fi
}

# db_dump [DB]: every byte the database holds that a test may look for in
# it (secrets that must not be stored): the SQLite file and its journal, or
# PostgreSQL's dump of the data
db_dump() {
	local db=${1:-$TUIKE_DB}
	if db_is_pg; then
		pg_dump --data-only "$db"
	else
		cat "$db" "$db-wal" 2>/dev/null || true
	fi
}

export TUIKE_DB
TUIKE_DB=$(db_uri tuike)
echo "database ($TUIKE_TEST_BACKEND): $TUIKE_DB"

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

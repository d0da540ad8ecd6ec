#!/usr/bin/env bash
# pg_fresh.sh [--template DB] — creates a database on the test suite's
# PostgreSQL ($TUIKE_TEST_PG_FILE, written by pg_fixture.sh) and prints its
# URI: empty, or a copy of the database DB (a name or a URI), which no one
# may be connected to (a client that just exited is waited for a moment).
set -euo pipefail
file=${TUIKE_TEST_PG_FILE:?TUIKE_TEST_PG_FILE is not set: run under ctest}
template=""
if [ "${1:-}" = --template ]; then
	template=${2:?usage: pg_fresh.sh [--template DB]}
	template=${template#*://*/}
	template=${template%%\?*}
fi
base=$(sed -n 1p "$file")
host=${base#*host=}
name="t_$$_$(date +%s%N | tail -c 7)_$RANDOM"
sql="CREATE DATABASE $name"
[ -z "$template" ] || sql+=" TEMPLATE \"$template\""
for try in $(seq 100); do
	err=$(psql -X -q -h "$host" -U tuike -d tuike -c "$sql" 2>&1 >/dev/null) && break
	# the template's last client may still be leaving
	if [ "$try" -eq 100 ] || ! grep -q "being accessed by other users" <<<"$err"; then
		echo "pg_fresh.sh: $err" >&2
		exit 1
	fi
	sleep 0.1
done
echo "postgresql://tuike@/$name?host=$host"

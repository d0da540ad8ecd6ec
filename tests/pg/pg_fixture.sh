#!/usr/bin/env bash
# pg_fixture.sh start|stop FILE — the test suite's PostgreSQL: `start`
# starts a throwaway server (pg_start.sh) in a fresh folder under /tmp and
# writes its URI to FILE; `stop` stops it and removes both.  ctest runs these
# as the setup and cleanup of every test that needs PostgreSQL.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: pg_fixture.sh start|stop FILE}
file=${2:?usage: pg_fixture.sh start|stop FILE}
case $cmd in
start)
	[ -f "$file" ] && "$0" stop "$file"
	dir=$(mktemp -d /tmp/tuike-pg.XXXXXX)
	chmod 755 "$dir"
	uri=$("$here/pg_start.sh" "$dir/s")
	printf '%s\n%s\n' "$uri" "$dir" >"$file"
	;;
stop)
	[ -f "$file" ] || exit 0
	dir=$(sed -n 2p "$file")
	[ -n "$dir" ] && "$here/pg_stop.sh" "$dir/s" && rm -rf "$dir"
	rm -f "$file"
	;;
*) echo "usage: pg_fixture.sh start|stop FILE" >&2; exit 2 ;;
esac

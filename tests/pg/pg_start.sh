#!/usr/bin/env bash
# pg_start.sh DIR — starts a throwaway PostgreSQL server for the tests in DIR
# (created; removed by pg_stop.sh), listening only on a Unix socket there,
# and prints the URI of its database "tuike".  Runs the server as the
# calling user, or as "postgres" when called as root (PostgreSQL refuses to
# run as root).  Needs Debian's postgresql package; nothing need be running.
set -euo pipefail
dir=${1:?usage: pg_start.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg_start.sh: PostgreSQL's server is not installed (apt-get install postgresql)" >&2; exit 1; }
as=()
if [ "$(id -u)" -eq 0 ]; then
	as=(runuser -u postgres --)
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ ${#as[@]} -eq 0 ] || chown postgres "$dir"
# the server's user may not enter the caller's folder (a clone under /root)
cd "$dir"
"${as[@]}" "$bin/initdb" -D "$dir/data" -U tuike -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
CONF
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
	{ cat "$dir/server.log" >&2; exit 1; }
"$bin/../bin/createdb" -h "$dir" -U tuike tuike 2>/dev/null || "${as[@]}" "$bin/createdb" -h "$dir" -U tuike tuike
echo "postgresql://tuike@/tuike?host=$dir"

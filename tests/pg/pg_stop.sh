#!/usr/bin/env bash
# pg_stop.sh DIR — stops the server pg_start.sh started in DIR and removes DIR.
set -uo pipefail
dir=${1:?usage: pg_stop.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
cd / # the server's user may not enter the caller's folder
[ -d "$dir/data" ] && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir"

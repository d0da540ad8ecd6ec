#!/usr/bin/env bash
# demo-server.sh DIR — loads the demo database (2,000 members) into DIR and
# starts `tuike serve` on a free loopback port with the built pages
# (web/dist), for the browser tests and for working on the pages.
#
# Seeds it as `make demo` does (scripts/demo-seed.sh) and writes DIR/env,
# to source: TUIKE_URL, TUIKE_KEY (an operator key), TUIKE_PROMOTER and
# TUIKE_PROMOTER_PASSWORD (a member with a team and money to withdraw),
# TUIKE_OTHER (a member outside the promoter's team), TUIKE_SERVER_PID.  Stop the server with: kill $TUIKE_SERVER_PID
# Uses build/tuike, or $TUIKE.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:?usage: demo-server.sh DIR}
tuike=${TUIKE:-$root/build/tuike}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
db=$dir/tuike.db
rm -f "$db" "$db-wal" "$db-shm"

SERVE=0 TUIKE=$tuike bash "$root/scripts/demo.sh" --members 2000 --db "$db" >"$dir/demo.log" 2>&1 || {
	cat "$dir/demo.log" >&2
	exit 1
}

"$tuike" serve --db "$db" --listen 127.0.0.1:0 --demo-key --web "$root/web/dist" \
	--access-log "$dir/access.log" >"$dir/serve.out" 2>"$dir/serve.err" &
pid=$!
url="" key=""
for _ in $(seq 200); do
	url=$(sed -n 's/^tuike serve: listening on \(http:[^ ]*\) .*/\1/p' "$dir/serve.out")
	key=$(grep -o 'tk_[A-Za-z0-9_-]*' "$dir/serve.out" | head -1 || true)
	[ -n "$url" ] && [ -n "$key" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$url" ] || [ -z "$key" ]; then
	echo "demo-server.sh: the server did not start" >&2
	cat "$dir/serve.err" >&2
	exit 1
fi

seed=$(bash "$root/scripts/demo-seed.sh" "$url" "$key")
eval "$seed"

cat >"$dir/env" <<EOT
export TUIKE_URL=$url
export TUIKE_KEY=$key
export TUIKE_PROMOTER=$PROMOTER
export TUIKE_PROMOTER_PASSWORD=$PROMOTER_PASSWORD
export TUIKE_OTHER=$OTHER
export TUIKE_SERVER_PID=$pid
export TUIKE_DB=$db
EOT
cat "$dir/env"

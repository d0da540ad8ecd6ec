#!/usr/bin/env bash
# demo-server.sh DIR — loads the demo database (2,000 members) into DIR and
# starts `tuike serve` on a free loopback port with the built pages, seeded
# as `make demo` does (scripts/demo.sh with SERVE=background), for the
# browser tests and for working on the pages.
#
# Writes DIR/env, to source: TUIKE_URL, TUIKE_KEY (an admin operator key),
# TUIKE_VIEWER_KEY (a viewer's key),
# TUIKE_PROMOTER and TUIKE_PROMOTER_PASSWORD (a member with a team and money
# to withdraw), TUIKE_OTHER (a member outside the promoter's team),
# TUIKE_SERVER_PID.  Stop the server with: kill $TUIKE_SERVER_PID
# Uses build/tuike, or $TUIKE.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:?usage: demo-server.sh DIR}
tuike=${TUIKE:-$root/build/tuike}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
db=$dir/tuike.db
rm -f "$db" "$db-wal" "$db-shm"

LISTEN=127.0.0.1:0 SERVE=background TUIKE=$tuike bash "$root/scripts/demo.sh" --members "${DEMO_MEMBERS:-2000}" \
	--db "$db" >"$dir/demo.log" 2>&1 || {
	cat "$dir/demo.log" >&2
	exit 1
}
# shellcheck disable=SC1091
. "$dir/data/env"

viewer=$("$tuike" apikey create glance --role viewer --db "$db" 2>/dev/null)

cat >"$dir/env" <<EOT
export TUIKE_URL=$DEMO_URL
export TUIKE_KEY=$DEMO_KEY
export TUIKE_VIEWER_KEY=$viewer
export TUIKE_PROMOTER=$PROMOTER
export TUIKE_PROMOTER_PASSWORD=$PROMOTER_PASSWORD
export TUIKE_OTHER=$OTHER
export TUIKE_SERVER_PID=$DEMO_PID
export TUIKE_DB=$db
EOT
cat "$dir/env"

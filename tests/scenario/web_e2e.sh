#!/usr/bin/env bash
# web_e2e.sh — the operator console and the promoter page in a real
# browser (Debian's Chromium, driven by playwright-core) against the real
# server on the demo database: the tests in web/e2e/*.test.mjs.  Their
# screenshots and the dashboard's timings land in web/e2e-artifacts/<build>/.
# Needs the built pages (make web) and Chromium (scripts/deps.sh --test).
source "$(dirname "$0")/lib.sh"
SERVER=""
trap '[ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT

for need in "$TUIKE_SRC/web/dist/index.html" "$TUIKE_SRC/web/node_modules/playwright-core" \
	"${CHROMIUM:-/usr/bin/chromium}"; do
	if [ ! -e "$need" ]; then
		echo "FAIL: $need is missing: run \"make web\" and \"bash scripts/deps.sh --test\"" >&2
		exit 1
	fi
done

bash "$TUIKE_SRC/web/e2e/demo-server.sh" "$WORK/server" >/dev/null
# shellcheck disable=SC1091
source "$WORK/server/env"
SERVER=$TUIKE_SERVER_PID

build=$(basename "$(dirname "$TUIKE")")
export TUIKE_ARTIFACTS="$TUIKE_SRC/web/e2e-artifacts/$build"
rm -rf "$TUIKE_ARTIFACTS"
mkdir -p "$TUIKE_ARTIFACTS"
rc=0
(cd "$TUIKE_SRC/web" && node --test --test-concurrency=1 e2e/) || rc=$?
expect_eq "the browser tests pass" "$rc" "0"

# the server is not this shell's child: it says when it stopped in order
kill -TERM "$SERVER"
for _ in $(seq 300); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.05; done
stopped=$(grep -c "stopped; every click is written" "$WORK/server/data/serve.err" || true)
expect_eq "the server stops cleanly after them" "$stopped" "1"
SERVER=""
if [ "$rc" -ne 0 ] || [ "$stopped" != 1 ]; then
	tail -n 30 "$WORK/server/data/serve.err" >&2
fi
finish

#!/usr/bin/env bash
# web_unit.sh — the web code's unit tests (web/test/*.test.mjs under
# node --test, see web/scripts/unit.mjs): money formatting and parsing,
# the date format, chart tooltips, the payout/CSV download, the message
# tables.  Needs web/node_modules (make web).
set -euo pipefail
: "${TUIKE_SRC:?set TUIKE_SRC to the source tree}"
cd "$TUIKE_SRC/web"
[ -d node_modules/typescript ] || { echo "FAIL: web/node_modules is missing: run \"make web\"" >&2; exit 1; }
npm run --silent test:unit

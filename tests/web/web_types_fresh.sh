#!/usr/bin/env bash
# web_types_fresh.sh — web/src/lib/api-types.ts is what the freshly built
# binary's OpenAPI document gives (web/scripts/api-types.mjs --check): a
# route or schema changed without `npm run types` fails here.
# Needs web/node_modules (make web) and the binary ($TUIKE).
set -euo pipefail
: "${TUIKE:?set TUIKE to the tuike binary}"
: "${TUIKE_SRC:?set TUIKE_SRC to the source tree}"
cd "$TUIKE_SRC/web"
[ -d node_modules/openapi-typescript ] || { echo "FAIL: web/node_modules is missing: run \"make web\"" >&2; exit 1; }
TUIKE=$TUIKE node scripts/api-types.mjs --check

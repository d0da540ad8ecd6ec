#!/usr/bin/env bash
# web_lint.sh — the web code passes its type checks (tsc, strict, with the
# typed message keys: the whole tree, then each page alone with only its own
# keys) and its linter (eslint.config.js); `npm run lint` holds the last two.
# Needs web/node_modules (make web).
set -euo pipefail
: "${TUIKE_SRC:?set TUIKE_SRC to the source tree}"
cd "$TUIKE_SRC/web"
[ -d node_modules/typescript-eslint ] || { echo "FAIL: web/node_modules is missing: run \"make web\"" >&2; exit 1; }
npx tsc --noEmit -p .
npm run --silent lint
echo "ok: tsc and eslint pass"

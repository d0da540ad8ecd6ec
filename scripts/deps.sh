#!/usr/bin/env bash
# Installs what tuike builds, runs and tests with, when missing: Debian 12
# packages (apt-get), and the web pages' npm packages (npm ci, from the
# committed lock file).  Idempotent; needs root (or sudo) only when a
# Debian package is missing.
#   deps.sh          what `make build` and `make demo` need
#   deps.sh --test   also Chromium, for the browser tests of `make test`
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(build-essential cmake pkg-config libsqlite3-dev sqlite3 libjansson-dev
	libsodium-dev libcurl4-openssl-dev libcmocka-dev jq libssl-dev python3
	libmicrohttpd-dev curl libpq-dev libgd-dev libqrencode-dev fonts-wqy-microhei
	libxlsxwriter-dev)
# the browser tests need Chromium (screenshots show Chinese); the store tests a
# PostgreSQL server they start themselves; the poster tests read QR codes back
[ "${1:-}" = --test ] && packages+=(chromium postgresql postgresql-contrib zbar-tools)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere than Debian's packages
if command -v node >/dev/null && command -v npm >/dev/null; then
	keep=()
	for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || keep+=("$p"); done
	missing=("${keep[@]+"${keep[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web pages build with Vite, which needs Node.js 20.19 or later.
v=$(node -p 'process.versions.node')
IFS=. read -r major minor _ <<<"$v"
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
	echo "deps.sh: Node.js $v is too old to build the web pages (20.19 or later is needed)" >&2
	exit 1
fi
# npm ci when node_modules is missing or older than the lock file
lock=$root/web/package-lock.json
stamp=$root/web/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
	echo "installing the web pages' npm packages (npm ci)" >&2
	(cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error)
fi

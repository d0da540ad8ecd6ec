#!/usr/bin/env bash
# Installs the Debian 12 packages tuike builds and tests with, when missing.
# Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(build-essential cmake pkg-config libsqlite3-dev sqlite3 libjansson-dev
	libsodium-dev libcurl4-openssl-dev libcmocka-dev jq libssl-dev python3
	libmicrohttpd-dev curl)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Search benchmark: latency of `tuike products search` (catalog_search over
# the FTS5 trigram and bigram indexes) on N generated products, beside a
# reference measured in the same run on the same database: a plain
# LIKE '%…%' scan of the same products table doing the same job (every
# term in title, brand or shop, the same filters, best sellers first, the
# first page and the number of matches).  40 queries: product kinds,
# brands, model numbers and sizes in mixed scripts, several terms,
# two-character words, shops, misses, filters.
#
# Run:   bash bench/search/run.sh [--count N] [--rounds R] [--like-rounds L] [--fresh]
#        (defaults: N = 1000000, R = 25 runs of each query, L = 2)
#        make bench                                   (runs every benchmark)
# Needs: make build (done here unless $TUIKE and $BUILD name a binary and
#        the build directory holding libtuike_lib.a), gcc, pkg-config, the
#        -dev packages of make deps.  About 800 MB of disk at 1,000,000.
# Prints median, p99, mean and max in milliseconds of the default search,
# of --sort relevance (for information) and of the LIKE scan, the ratio
# LIKE / search, whether the target (search p99 < 20 ms) is met, and the
# slowest queries.  The generated database is kept in bench/out/search and
# reused by the next run (--fresh generates it again).
set -euo pipefail

count=1000000
rounds=25
like_rounds=2
fresh=0
while [ $# -gt 0 ]; do
	case "$1" in
	--count) count="$2"; shift 2 ;;
	--rounds) rounds="$2"; shift 2 ;;
	--like-rounds) like_rounds="$2"; shift 2 ;;
	--fresh) fresh=1; shift ;;
	-h|--help) sed -n '2,23p' "$0"; exit 0 ;;
	*) echo "search: unknown argument \"$1\" (expected --count N, --rounds R, --like-rounds L, --fresh)" >&2; exit 2 ;;
	esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/search"
out="$root/bench/out/search"
mkdir -p "$out"

if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
	build="${BUILD:-$(dirname "$TUIKE")}"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
	build="$root/build"
fi
[ -f "$build/libtuike_lib.a" ] || { echo "search: no libtuike_lib.a in $build (set BUILD)" >&2; exit 1; }

cflags="-std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
# shellcheck disable=SC2046
gcc $cflags -I "$root/src" "$here/bench_search.c" "$build/libtuike_lib.a" \
	"$build/libtuike_core.a" $(pkg-config --cflags --libs sqlite3 jansson libsodium libcurl) \
	-lm -lpthread -o "$out/bench_search"

# One fixed clock: the same catalogue, the same coupons valid, every run.
export TUIKE_NOW=2026-11-10T10:00:00+08:00
db="$out/search-$count.db"
if [ "$fresh" -eq 1 ] || [ ! -f "$db" ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	echo "search: generating $count products into $db"
	start=$(date +%s)
	"$tuike" products generate --count "$count" --days 0 --seed 1 --db "$db"
	echo "search: generated in $(( $(date +%s) - start )) s"
fi
"$out/bench_search" "$db" "$rounds" "$like_rounds"

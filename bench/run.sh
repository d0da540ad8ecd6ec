#!/usr/bin/env bash
# Runs every benchmark: each bench/*/run.sh in turn, with its defaults
# (`make bench` calls this after `make build`).  Exits non-zero when any
# benchmark failed to run; a figure below its target is reported, not a
# failure.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=()
found=0
for script in "$here"/*/run.sh; do
	[ -f "$script" ] || continue
	found=1
	name="$(basename "$(dirname "$script")")"
	echo "=== bench: $name"
	if ! bash "$script"; then
		failed+=("$name")
	fi
	echo
done
[ "$found" -eq 1 ] || { echo "bench: no benchmarks found under $here/*/run.sh" >&2; exit 1; }
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: failed: ${failed[*]}" >&2
	exit 1
fi

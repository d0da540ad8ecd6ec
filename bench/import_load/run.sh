#!/usr/bin/env bash
# Import-load benchmark: API latency while a long `tuike orders import`
# (250,000 rows by default) runs, on SQLite and on PostgreSQL.  For each
# backend: the setup of tests/scenario/import_under_load.sh (a plan,
# members, a member "s" with money and a password; the rows from
# tests/scenario/import_rows.awk), then `tuike serve`, then a client
# (client.py) sends balance reads (GET /api/v1/members/s/balance) and
# withdrawal requests (POST /api/v1/withdrawals, 100 fen) at a steady rate
# and records each latency: first for a while with nothing else running
# (the reference), then for as long as the import runs.  Prints p50/p99/max
# and the counts by status of reads and writes, each beside its reference,
# and the import's rows/s.
#
# Run:   bash bench/import_load/run.sh [--rows N] [--pg-rows N] [--ref-seconds S]
#                                      [--reads R] [--writes W] [--backend sqlite|pg|both]
#        IMPORT_ROWS=N bash bench/import_load/run.sh   (the same as --rows N)
#        make bench                                   (runs every benchmark)
# Needs: make build (done here unless $TUIKE names a binary), jq, curl,
#        python3; PostgreSQL's server (Debian's postgresql) for the
#        PostgreSQL half, skipped with a message without it.
#        Defaults: 250000 rows (--pg-rows or IMPORT_ROWS_PG: fewer on
#        PostgreSQL, whose import is slower), 15 s of reference, 20 reads/s,
#        2 writes/s (--writes 0: reads alone, which shows whether reads wait
#        for the import itself or only behind a write that waits for it).
# Targets: on PostgreSQL reads never wait for the import (read p99 < 50 ms);
# on SQLite no 500 and a write waits at most about one import batch
# (ENGINE_BATCH_MS, 1 s).  A write answers 201, 409 (no money left) or 503
# (busy, with Retry-After).  On a shared machine with few cores the import,
# the server, PostgreSQL and the client compete for CPU: latencies under
# import include that contention, not only waits for locks.
# Work files are in bench/out/import_load.
set -euo pipefail

rows=${IMPORT_ROWS:-250000}
pg_rows=${IMPORT_ROWS_PG:-}
ref_seconds=15
reads=20
writes=2
backends="both"
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) rows="$2"; shift 2 ;;
	--pg-rows) pg_rows="$2"; shift 2 ;;
	--ref-seconds) ref_seconds="$2"; shift 2 ;;
	--reads) reads="$2"; shift 2 ;;
	--writes) writes="$2"; shift 2 ;;
	--backend) backends="$2"; shift 2 ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "import_load: unknown argument \"$1\" (expected --rows N, --ref-seconds S," \
		"--pg-rows N, --reads R, --writes W, --backend sqlite|pg|both)" >&2; exit 2 ;;
	esac
done
case $backends in
both) backends="sqlite pg" ;;
sqlite | pg) ;;
*) echo "import_load: --backend must be sqlite, pg or both, got \"$backends\"" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/import_load"
out="$root/bench/out/import_load"
for tool in jq curl python3; do
	command -v "$tool" >/dev/null || { echo "import_load: $tool is required (make deps)" >&2; exit 1; }
done
if [ -n "${TUIKE:-}" ]; then
	tuike="$TUIKE"
else
	make -C "$root" build >/dev/null
	tuike="$root/build/tuike"
fi

rm -rf "$out"
mkdir -p "$out"
server_pid=""
cleanup() {
	[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	bash "$root/tests/pg/pg_stop.sh" "$out/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# every date the seed and the import use falls before this "now": the seed
# item's hold is over, so the member has money to withdraw
export TUIKE_NOW=2026-11-20T10:00:00+08:00
export TZ=UTC

# seed: the plan and members of import_under_load.sh; s is given 20 settled
# items, enough money for every withdrawal of the run (100 fen each)
seed() {
	cat >"$out/plan.json" <<'JSON'
{"name":"default","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"tiers_bps":[1000,500],"hold_days":7,"default_level":"member",
 "withdraw_min":100,"withdraw_fee_bps":100,
 "levels":[{"key":"member","name":"Registered member","rate_bps":3000,"can_share":false},
  {"key":"super","name":"Super member","rate_bps":5000,"can_share":true},
  {"key":"mentor","name":"Mentor","rate_bps":7000,"can_share":true},
  {"key":"partner","name":"Partner","rate_bps":8000,"can_share":true}]}
JSON
	"$tuike" init >/dev/null
	"$tuike" plan set "$out/plan.json" >/dev/null
	{
		echo '{"id":"gp","level":"mentor"}'
		echo '{"id":"p","parent":"gp","level":"mentor"}'
		echo '{"id":"s","parent":"p","level":"super"}'
		for i in $(seq 1 20); do echo "{\"id\":\"m$i\",\"parent\":\"p\",\"level\":\"super\"}"; done
	} >"$out/members.jsonl"
	"$tuike" member import "$out/members.jsonl" >/dev/null
	for i in $(seq 1 20); do
		printf '{"union":"jd","item":"W%d-1","order":"W%d","status":"settled","modified_at":"2026-11-02T10:00:00+08:00","paid_at":"2026-11-01T10:00:00+08:00","settled_at":"2026-11-02T10:00:00+08:00","amount":19900,"commission":100000,"quantity":1,"product":"p1","title":"t","buyer":"b0","member":"s","link":null}\n' "$i" "$i"
	done >"$out/seed.jsonl"
	"$tuike" orders import "$out/seed.jsonl" >/dev/null
	"$tuike" settle >/dev/null
}

# start_server: `tuike serve` on a port the kernel picks; sets url
start_server() {
	# --key-rate: the client's own calls must not meet the rate limit when
	# a backlog of late calls goes out at once
	"$tuike" serve --listen 127.0.0.1:0 --access-log off --key-rate 1000 \
		>"$out/serve.out" 2>"$out/serve.err" &
	server_pid=$!
	url=""
	for _ in $(seq 200); do
		url=$(sed -n 's/^tuike serve: listening on \(http:[^ ]*\) .*/\1/p' "$out/serve.out")
		[ -n "$url" ] && break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$url" ] && curl -sf -o /dev/null "$url/health" ||
		{ echo "import_load: the server did not start" >&2; cat "$out/serve.err" >&2; exit 1; }
}

# api METHOD PATH TOKEN [BODY]: one call; the status is checked by the caller
api() {
	local data=()
	[ $# -ge 4 ] && data=(-H 'Content-Type: application/json' --data-binary "$4")
	curl -s -X "$1" -H "Authorization: Bearer $3" "${data[@]}" "$url$2"
}

# bench_backend NAME ROWS: seed, serve, reference, import of ROWS rows;
# results in $out/NAME-*.json
bench_backend() {
	local name=$1 n=$2 ops token
	echo "import_load: $name: generating $n rows"
	awk -v n="$n" -f "$root/tests/scenario/import_rows.awk" >"$out/big.jsonl"
	[ "$(wc -l <"$out/big.jsonl")" -eq "$n" ] || { echo "import_load: generator failed" >&2; exit 1; }
	echo "$n" >"$out/$name-rows"
	seed
	ops=$("$tuike" apikey create console --role admin 2>/dev/null)
	start_server
	api PUT /api/v1/members/s/password "$ops" '{"password":"correct horse"}' >/dev/null
	token=$(api POST /api/v1/auth/login "" '{"member":"s","password":"correct horse"}' | jq -r .token)
	[ -n "$token" ] && [ "$token" != null ] || { echo "import_load: $name: s could not log in" >&2; exit 1; }
	echo "import_load: $name: available before: $(api GET /api/v1/members/s/balance "$token" |
		jq -r .available) fen; reference for ${ref_seconds}s"
	python3 "$here/client.py" "$url" "$token" s --reads "$reads" --writes "$writes" \
		--seconds "$ref_seconds" >"$out/$name-ref.json"
	echo "import_load: $name: importing $n rows under load"
	python3 "$here/client.py" "$url" "$token" s --reads "$reads" --writes "$writes" \
		-- "$tuike" orders import "$out/big.jsonl" >"$out/$name-import.json"
	kill -TERM "$server_pid"
	wait "$server_pid" || { echo "import_load: $name: serve did not stop cleanly" >&2; exit 1; }
	server_pid=""
	local st applied
	st=$(jq -r .command.status "$out/$name-import.json")
	applied=$(jq -r '.command.stdout | fromjson? | .applied' "$out/$name-import.json")
	if [ "$st" != 0 ] || [ "$applied" != "$n" ]; then
		echo "import_load: $name: the import failed (status $st, applied $applied):" >&2
		jq -r .command.stderr "$out/$name-import.json" >&2
		exit 1
	fi
	"$tuike" audit --json | jq -c .ok >"$out/$name-audit.json"
}

for b in $backends; do
	case $b in
	sqlite)
		export TUIKE_DB="$out/tuike.db"
		bench_backend sqlite "$rows"
		;;
	pg)
		if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
			echo "import_load: PostgreSQL skipped (its server is not installed: apt-get install postgresql)"
			continue
		fi
		TUIKE_DB=$(bash "$root/tests/pg/pg_start.sh" "$out/pg")
		export TUIKE_DB
		bench_backend pg "${pg_rows:-$rows}"
		bash "$root/tests/pg/pg_stop.sh" "$out/pg"
		;;
	esac
done

# ---- the report
fig() { jq -r "$2" "$1"; }
echo
echo "import_load benchmark: a long import while member s reads its balance ($reads/s)" \
	"and asks for withdrawals ($writes/s), open loop; reference: the same client for" \
	"${ref_seconds}s with no import; $(nproc) cores"
for b in $backends; do
	[ -f "$out/$b-import.json" ] || continue
	ref="$out/$b-ref.json" imp="$out/$b-import.json"
	secs=$(fig "$imp" .seconds)
	n=$(cat "$out/$b-rows")
	echo "  $([ "$b" = pg ] && echo PostgreSQL || echo SQLite): import of $n rows: $secs s," \
		"$(awk -v r="$n" -v s="$secs" 'BEGIN { printf "%.0f", r / s }') rows/s" \
		"(under the load); audit ok: $(jq -r . "$out/$b-audit.json")"
	printf "    %-6s %-10s %7s %9s %9s %9s  %s\n" "" "" "calls" "p50 ms" "p99 ms" "max ms" "by status"
	for k in read write; do
		for f in "$ref" "$imp"; do
			printf "    %-6s %-10s %7s %9s %9s %9s  %s\n" "$k" \
				"$([ "$f" = "$ref" ] && echo reference || echo import)" \
				"$(fig "$f" ".$k.count")" "$(fig "$f" ".$k.p50_ms")" "$(fig "$f" ".$k.p99_ms")" \
				"$(fig "$f" ".$k.max_ms")" \
				"$(fig "$f" ".$k.status | to_entries | map(\"\(.key): \(.value)\") | join(\", \")")"
		done
		printf "    %-6s %-10s %7s %9s %9s %9s\n" "$k" "ratio" "" \
			"$(jq -rn --slurpfile r "$ref" --slurpfile i "$imp" \
				"if \$r[0].$k.p50_ms > 0 then \$i[0].$k.p50_ms / \$r[0].$k.p50_ms * 100 | round / 100 else \"-\" end")" \
			"$(jq -rn --slurpfile r "$ref" --slurpfile i "$imp" \
				"if \$r[0].$k.p99_ms > 0 then \$i[0].$k.p99_ms / \$r[0].$k.p99_ms * 100 | round / 100 else \"-\" end")" \
			"$(jq -rn --slurpfile r "$ref" --slurpfile i "$imp" \
				"if \$r[0].$k.max_ms > 0 then \$i[0].$k.max_ms / \$r[0].$k.max_ms * 100 | round / 100 else \"-\" end")"
	done
	fivehundred=$(jq -r '[.read.status, .write.status | to_entries[] |
		select((.key | tonumber) >= 500 and .key != "503" or .key == "0") | .value] | add // 0' "$imp")
	if [ "$b" = pg ]; then
		echo "    target: read p99 < 50 ms under the import: $(jq -r \
			'if .read.p99_ms < 50 then "met" else "NOT met" end' "$imp") ($(fig "$imp" .read.p99_ms) ms);" \
			"answers 500 or none: $fivehundred"
	else
		echo "    target: no 500 (answers 500 or none: $fivehundred); a write waits about one batch" \
			"(1 s): $(jq -r 'if .write.max_ms == null then "no writes made" else
				"worst write \(.write.max_ms) ms (under 2 s: " +
				(if .write.max_ms < 2000 then "met" else "NOT met" end) + ")" end' "$imp")"
	fi
done

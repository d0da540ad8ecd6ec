#!/usr/bin/env bash
# multiprocess.sh — one current state across processes, as a property.  A
# random sequence of operations (multiprocess_ops.py: members, levels,
# moves, tags, links, plans, order rows) is applied to database A, each
# operation through a process kind chosen at random: the command line, one
# `tuike serve` running the whole time, a one-off `tuike sync` or one
# `tuike sync --every` running the whole time (both against the mock
# union).  The same sequence is applied to database B through the command
# line alone, a fresh process per operation, which always sees the current
# state: the reference.  A and B must end alike: every item's state,
# attribution, plan version, chain and splits, every balance, the bindings,
# the members, the totals; the audit holds on both; the server redirects
# exactly the links that were not revoked.  A failing seed runs alone with
# MULTIPROCESS_SEEDS=N (and MULTIPROCESS_OPS=N for its length).
source "$TUIKE_SRC/tests/scenario/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"

EVERY_PID=""
cleanup() {
	[ -n "$EVERY_PID" ] && kill -9 "$EVERY_PID" 2>/dev/null
	for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	stop_mocks
	rm -rf "$WORK"
}
trap cleanup EXIT

GEN="$TUIKE_SRC/tests/scenario/multiprocess_ops.py"
FIXED_NOW=2026-11-20T12:00:00+08:00
SEEDS=${MULTIPROCESS_SEEDS:-"1 2 3"}
OPS=${MULTIPROCESS_OPS:-60}
BUDGET=${MULTIPROCESS_BUDGET:-40} # seconds: no new seed starts after this
PAGE_SIZE=100
STARTED=$SECONDS

# step_fail WHAT FILE: one operation failed; the message names it
step_fail() { fail "$RUN $1: $(head -c 300 "$2" | tr '\n' ' ')"; }

# cli WHAT CMD...: an operation through the command line; output in $WORK/out
cli() {
	local what=$1
	shift
	"$@" >"$WORK/out" 2>"$WORK/err" || step_fail "$what (exit $?)" "$WORK/err"
}

# api WHAT METHOD PATH [BODY [CONTENT-TYPE]]: an operation through the
# running server, as the operator (BODY may be @FILE); answer in $WORK/body
api() {
	local what=$1 method=$2 path=$3 data=() status
	[ $# -ge 4 ] && data=(--data-binary "$4" -H "Content-Type: ${5:-application/json}")
	status=$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" \
		-H "Authorization: Bearer $TOKEN" "${data[@]}" "$URL$path")
	case $status in
	2??) ;;
	*) step_fail "$what (status $status)" "$WORK/body" ;;
	esac
}

# links RUN FILE: FILE with the placeholders @L<N>@ replaced by the codes
# the links of RUN got (links get random codes: N is the order made)
links() {
	local args=() n
	for n in "${!CODES[@]}"; do
		[ "${n%%:*}" = "$1" ] && args+=(-e "s/@L${n#*:}@/${CODES[$n]}/g")
	done
	[ ${#args[@]} -gt 0 ] && sed "${args[@]}" "$2" || cat "$2"
}

# wait_items FILE: until every item of FILE (ITEM MODIFIED_AT a line)
# stands at that modification: a sync applied the step (bounded)
wait_items() {
	local item at got tries
	while read -r item at; do
		for tries in $(seq 200); do
			got=$(tk order show jd "$item" --json 2>/dev/null | jq -r .modified_at) || got=""
			[ "$got" = "$at" ] && break
			sleep 0.05
		done
		[ "$got" = "$at" ] || fail "$RUN: $item not synced: at '$got', want '$at'"
	done <"$1"
}

# apply I KIND VIA ARGS...: one operation on the current database
apply() {
	local i=$1 kind=$2 via=$3 a=${4:-} b=${5:-} c=${6:-} d=${7:-} f="$DIR/$1" what="op $1 $2 via $3"
	[ "$b" = - ] && b=""
	[ "$c" = - ] && c=""
	[ "$d" = - ] && d=""
	case $kind:$via in
	member:cli) cli "$what" tk member add "$a" ${b:+--parent "$b"} ${c:+--level "$c"} ;;
	member:register)
		api "$what" POST /api/v1/auth/register "{\"id\":\"$a\",\"password\":\"secret-$a\",
			\"invite\":\"$(tk member show "$b" --json | jq -r .invite_code)\"}" ;;
	member:import)
		jq -nc --arg id "$a" --arg p "$b" --arg l "$c" \
			'{id:$id} + (if $p != "" then {parent:$p} else {} end)
			 + (if $l != "" then {level:$l} else {} end)' >"$f.members.jsonl"
		cli "$what" tk member import "$f.members.jsonl" ;;
	member:api)
		api "$what" POST /api/v1/members "$(jq -nc --arg id "$a" --arg p "$b" --arg l "$c" \
			'{id:$id} + (if $p != "" then {parent:$p} else {} end)
			 + (if $l != "" then {level:$l} else {} end)')" ;;
	level:cli) cli "$what" tk member set-level "$a" "$b" ;;
	level:api) api "$what" PUT "/api/v1/members/$a/level" "{\"level\":\"$b\"}" ;;
	move:cli)
		if [ -n "$b" ]; then set -- --to "$b"; else set -- --root; fi
		cli "$what" tk member move "$a" "$@" --by ops --reason "a test" ;;
	tag:cli) cli "$what" tk tag set "$a" "$b" "$c" "$d" ;;
	tag:api)
		api "$what" PUT /api/v1/tags \
			"{\"member\":\"$a\",\"union\":\"$b\",\"kind\":\"$c\",\"value\":\"$d\"}" ;;
	link:cli)
		cli "$what" tk link create "$b" --url "$c" ${d:+--channel "$d"}
		CODES[$RUN:$a]=$(cut -d' ' -f1 "$WORK/out") ;;
	link:api)
		api "$what" POST /api/v1/links "{\"member\":\"$b\",\"url\":\"$c\"${d:+,\"channel\":\"$d\"}}"
		CODES[$RUN:$a]=$(jq -r .code "$WORK/body") ;;
	revoke:cli) cli "$what" tk link revoke "${CODES[$RUN:$a]}" ;;
	revoke:api) api "$what" DELETE "/api/v1/links/${CODES[$RUN:$a]}" ;;
	plan:cli) cli "$what" tk plan set "$f.plan.json" ;;
	plan:api) api "$what" PUT /api/v1/plan "@$f.plan.json" ;;
	orders:cli)
		links "$RUN" "$f.jsonl" >"$f.$RUN.jsonl"
		cli "$what" tk orders import "$f.$RUN.jsonl" ;;
	orders:api)
		links "$RUN" "$f.jsonl" >"$f.$RUN.jsonl"
		api "$what" POST /api/v1/orders/import "@$f.$RUN.jsonl" application/x-ndjson ;;
	jd:cli) cli "$what" tk orders import "$f.jd.json" --format jd ;;
	jd:api) api "$what" POST "/api/v1/orders/import?format=jd" "@$f.jd.json" ;;
	jd:sync | jd:every)
		# the union now holds the rows: the running sync finds them on
		# its next poll; a one-off sync is run as well
		cp "$f.mock.json" "$DIR/mock.tmp" && mv "$DIR/mock.tmp" "$DIR/mock-live.json"
		[ "$via" = sync ] && cli "$what" tk sync jd --config "$DIR/sync.conf" --since "$SINCE"
		wait_items "$f.wait" ;;
	settle:cli) cli "$what" tk settle ;;
	settle:api) api "$what" POST /api/v1/settle '{}' ;;
	reattribute:cli) cli "$what" tk orders reattribute ;;
	reattribute:api) api "$what" POST /api/v1/orders/reattribute '{}' ;;
	*) fail "unknown operation $kind via $via" ;;
	esac
	return 0
}

# run_ops RUN: the whole sequence; run b through the command line alone
run_ops() {
	local i kind via a b c d
	RUN=$1
	while IFS=$'\t' read -r -u 3 i kind via a b c d; do
		if [ "$RUN" = b ]; then via=cli; fi
		apply "$i" "$kind" "$via" "$a" "$b" "$c" "$d"
	done 3<"$DIR/ops.tsv"
}

# state: what must be alike, one line per fact
state() {
	local key
	db_sql "SELECT union_ || ' ' || item_key FROM items ORDER BY 1" >"$WORK/keys"
	while read -r key; do
		# shellcheck disable=SC2086 # UNION ITEM
		tk order show $key --json
	done <"$WORK/keys" | jq -c '[.union, .item, .status, .commission, .attribution, .plan_version,
		.channel, [.splits[] | [.member, .level, .amount, .state]]]'
	db_sql "SELECT ext FROM members ORDER BY ext" | while read -r key; do
		tk balance "$key" --json
	done | jq -c '[.member, .pending, .frozen, .available, .withdrawing, .paid]'
	db_sql "SELECT 'binding', b.ns, b.buyer, m.ext, i.union_, i.item_key, b.bound_at
		FROM bindings b JOIN members m ON m.id = b.member LEFT JOIN items i ON i.id = b.item
		ORDER BY 2, 3;
		SELECT 'member', m.ext, p.ext, m.level, m.depth, m.direct_count, m.team_count
		FROM members m LEFT JOIN members p ON p.id = m.parent ORDER BY 2;"
	tk report totals --json | jq -c '["totals", .]'
}

# compare SEED: A against B, naming each difference
compare() {
	local diffs items kinds
	TUIKE_DB=$DB_A state >"$DIR/a.state"
	TUIKE_DB=$DB_B state >"$DIR/b.state"
	# the sequence did what it is for: items attributed every way
	items=$(grep -c '^\["\(jd\|taobao\)"' "$DIR/b.state" || true)
	kinds=$(grep '^\["\(jd\|taobao\)"' "$DIR/b.state" | jq -r '.[4]' | sort -u | xargs)
	[ "$items" -ge 10 ] && [ "$(wc -w <<<"$kinds")" -ge 3 ] ||
		fail "seed $1: too little compared: $items items, attributed: $kinds"
	if diffs=$(diff "$DIR/b.state" "$DIR/a.state"); then
		echo "ok: seed $1: A ends exactly where B does ($items items, attributed: $kinds;" \
			"$(grep -c '^\["m' "$DIR/b.state") balances, $(grep -c '^binding' "$DIR/b.state") bindings)"
	else
		fail "seed $1: A differs from B (< B, > A): $diffs"
	fi
	expect_status "seed $1: the audit holds on A" 0 tk audit --db "$DB_A"
	expect_status "seed $1: the audit holds on B" 0 tk audit --db "$DB_B"
}

# check_redirects: the running server redirects every link of run a that
# was not revoked and no other (it follows the links within a second)
check_redirects() {
	local n code want got tries
	for n in "${!CODES[@]}"; do
		[ "${n%%:*}" = a ] || continue
		code=${CODES[$n]}
		want=302
		grep -qP "^\d+\trevoke\t\w+\t${n#a:}\$" "$DIR/ops.tsv" && want=404
		for tries in $(seq 40); do
			got=$(curl -s -o /dev/null -w '%{http_code}' "$URL/s/$code")
			[ "$got" = "$want" ] && break
			sleep 0.05
		done
		[ "$got" = "$want" ] || fail "$RUN: link ${n#a:} ($code): redirect status $got, want $want"
	done
}

run_seed() {
	local seed=$1 status clock
	DIR="$WORK/s$seed"
	declare -gA CODES=()
	# Odd seeds: every process's clock stands still (TUIKE_NOW), so that a
	# change and an item first seen after it share their second and only
	# the change log's numbers tell them apart.  Even seeds: the wall clock.
	if [ $((seed % 2)) = 1 ]; then
		export TUIKE_NOW=$FIXED_NOW
		clock="a fixed clock"
	else
		unset TUIKE_NOW
		clock="the wall clock"
	fi
	NOW=$(date -d "${TUIKE_NOW:-now}" +%s)
	SINCE=$(date -d "@$((NOW - 3600))" -Iseconds) # the rows' modification times lie in the last hour
	python3 "$GEN" --seed "$seed" --ops "$OPS" --now "$NOW" --out "$DIR"
	DB_A=$(db_uri "a$seed")
	DB_B=$(db_uri "b$seed")

	# --- run A: every kind of process, side by side
	TUIKE_DB=$DB_A
	standard_plan
	TOKEN=$(tk apikey create ops --role admin 2>/dev/null)
	cp "$DIR/mock.json" "$DIR/mock-live.json"
	start_mock "mock$seed" "$DIR/mock-live.json" --reload
	write_conf "$DIR/sync.conf" "$MOCK_PORT" "sync.overlap = 1h"
	start_server
	"$TUIKE" sync jd --config "$DIR/sync.conf" --since "$SINCE" --every 1s \
		>"$DIR/every.out" 2>"$DIR/every.err" &
	EVERY_PID=$!
	run_ops a
	check_redirects
	kill -TERM "$EVERY_PID"
	status=0
	wait "$EVERY_PID" || status=$?
	EVERY_PID=""
	expect_eq "seed $seed: sync --every stopped cleanly" "$status" "0"
	expect_eq "seed $seed: sync --every failed no window" "$(grep -c 'tuike: sync' "$DIR/every.err" || true)" "0"
	stop_server
	expect_eq "seed $seed: the server stopped cleanly" "$STOP_STATUS" "0"
	stop_mocks
	echo "ok: seed $seed: run A, $clock: $(cut -f3 "$DIR/ops.tsv" | sort | uniq -c | xargs)"

	# --- run B: the command line alone
	TUIKE_DB=$DB_B
	standard_plan
	run_ops b
	compare "$seed"
}

for seed in $SEEDS; do
	if [ $((SECONDS - STARTED)) -gt "$BUDGET" ]; then
		echo "note: seed $seed and later skipped: past the ${BUDGET}s budget"
		break
	fi
	run_seed "$seed"
done
finish

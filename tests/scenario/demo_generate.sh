#!/usr/bin/env bash
# `tuike demo generate`: the same seed gives the same files; the member tree
# is in dependency order; every item's feed history is well formed (times
# rise, settled rows carry settled_at, rows of one item are spread through
# the file); --settle-all settles every item; bad parameters are refused;
# and the engine takes the whole dataset without a rejected line.
source "$(dirname "$0")/lib.sh" # the databases; this test stops at its first failure
work=$WORK

fail() { echo "FAIL: $*" >&2; exit 1; }
now=2026-11-20T12:00:00+08:00
gen() { "$TUIKE" demo generate --now "$now" "$@" >/dev/null; }

# ---- determinism ----
gen --members 1500 --items 2 --seed 7 --out "$work/a"
gen --members 1500 --items 2 --seed 7 --out "$work/b"
gen --members 1500 --items 2 --seed 8 --out "$work/c"
for f in plan.json members.jsonl orders.jsonl; do
	[ -s "$work/a/$f" ] || fail "$f is missing or empty"
	cmp -s "$work/a/$f" "$work/b/$f" || fail "$f differs between two runs with seed 7"
done
! cmp -s "$work/a/orders.jsonl" "$work/c/orders.jsonl" || fail "seeds 7 and 8 gave the same orders"
for f in "$work/a"/* "$work/a"/.[!.]*; do # no temporary file is left behind
	[ -e "$f" ] || continue
	case "${f##*/}" in
	plan.json | members.jsonl | orders.jsonl) ;;
	*) fail "unexpected file left in the output directory: $f" ;;
	esac
done

# ---- members: one per line, parents defined before use ----
[ "$(wc -l <"$work/a/members.jsonl")" -eq 1500 ] || fail "expected 1500 members"
jq -r '[.id, (.parent // "-"), .level, .name] | @tsv' "$work/a/members.jsonl" >"$work/members.tsv"
awk -F'\t' '
	$3 !~ /^(member|super|mentor|partner)$/ { print "line " NR ": bad level " $3; bad = 1 }
	$4 == "" { print "line " NR ": empty name"; bad = 1 }
	$1 in seen { print "line " NR ": duplicate id " $1; bad = 1 }
	$2 != "-" && !($2 in seen) { print "line " NR ": parent " $2 " of " $1 " not defined before"; bad = 1 }
	{ seen[$1] = 1; if ($2 == "-") roots++; lv[$3]++ }
	END {
		if (roots < 1 || roots >= NR / 2) { print "implausible number of roots: " roots; bad = 1 }
		if (!(lv["member"] > lv["super"] && lv["super"] > lv["mentor"] && lv["mentor"] >= lv["partner"] && lv["partner"] > 0)) {
			print "levels are not a pyramid: " lv["member"] " " lv["super"] " " lv["mentor"] " " lv["partner"]; bad = 1 }
		exit bad }' "$work/members.tsv" || fail "members.jsonl is not a valid tree"

# ---- orders: the shape of every row, and each item's history ----
jq -e -s 'all(.[];
	(keys_unsorted == ["union","item","order","status","modified_at","paid_at","settled_at",
			   "amount","commission","quantity","product","title","buyer","member","link"])
	and (.union | IN("jd","taobao","pdd"))
	and (.status | IN("unpaid","paid","received","settled","invalid"))
	and (.modified_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+08:00$"))
	and (.amount | type == "number" and . > 0 and floor == .)
	and (.commission | type == "number" and . >= 0 and floor == .)
	and (.status != "settled" or (.settled_at | type == "string"))
	and (.status == "unpaid" or (.paid_at | type == "string"))
	and .modified_at <= "2026-11-20T12:00:00+08:00")' "$work/a/orders.jsonl" >/dev/null ||
	fail "a row of orders.jsonl has the wrong shape"

jq -r '[.union + "/" + .item, .modified_at, .status, (.member // "-"), .buyer] | @tsv' \
	"$work/a/orders.jsonl" >"$work/rows.tsv"
awk -F'\t' -v members="$work/members.tsv" '
	BEGIN { while ((getline l < members) > 0) { split(l, f, "\t"); known[f[1]] = 1 } }
	{
		if ($1 in last && !($2 > last[$1])) { print "line " NR ": " $1 " modified_at " $2 " does not rise after " last[$1]; bad = 1 }
		if ($4 != "-" && !($4 in known)) { print "line " NR ": unknown member " $4; bad = 1 }
		if ($5 ~ /^m/ && !($5 in known)) { print "line " NR ": unknown member buyer " $5; bad = 1 }
		if ($1 in lastline && lastline[$1] != NR - 1) spread[$1] = 1
		if ($3 == "paid") paid[$1] = 1
		if ($3 == "settled") settled[$1] = 1
		if ($3 == "invalid") invalid[$1] = 1
		if ($5 ~ /^b/) buyers[$5]++
		last[$1] = $2; lastline[$1] = NR; n[$1]++
	}
	END {
		for (k in n) { items++; if (n[k] > 1) multi++; if (k in spread) spreads++
			if (!(k in paid)) { print k ": no paid row"; bad = 1 }
			if (k in settled) nsettled++; if (k in invalid) ninvalid++ }
		for (b in buyers) { nb++; if (buyers[b] > 1) back++ }
		if (items != 3000) { print "expected 3000 items, got " items; bad = 1 }
		if (spreads < multi * 0.9) { print "rows of one item sit together: " spreads " of " multi " spread"; bad = 1 }
		if (nsettled < items / 2) { print "too few settled items: " nsettled; bad = 1 }
		if (ninvalid < items / 10 || ninvalid > items * 0.4) { print "refunds off a quarter: " ninvalid; bad = 1 }
		if (back < nb / 4) { print "too few returning buyers: " back " of " nb; bad = 1 }
		exit bad }' "$work/rows.tsv" || fail "orders.jsonl histories are not well formed"

# ---- --settle-all: every item has a paid and a settled row ----
gen --members 800 --seed 3 --settle-all --out "$work/s"
jq -r '[.union + "/" + .item, .status, .modified_at] | @tsv' "$work/s/orders.jsonl" | awk -F'\t' '
	$2 == "paid" { p[$1] = 1 } $2 == "settled" { s[$1] = 1 } { n[$1] = 1 }
	$3 < "2026-09-21T12:00:00+08:00" && $2 == "settled" { old = 1 }
	END { for (k in n) { c++; if (!(k in p) || !(k in s)) { print k " lacks a paid or settled row"; bad = 1 } }
	      if (c != 800) { print "expected 800 items, got " c; bad = 1 }
	      if (old) { print "a settlement older than 60 days"; bad = 1 }
	      exit bad }' || fail "--settle-all left an item unsettled"

# ---- bad parameters ----
rc=0; "$TUIKE" demo generate --members 0 --out "$work/z" 2>"$work/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "members" "$work/err" || fail "--members 0: exit $rc, $(cat "$work/err")"
rc=0; "$TUIKE" demo generate --members 10 --items 101 --out "$work/z" 2>"$work/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "items" "$work/err" || fail "--items 101: exit $rc, $(cat "$work/err")"
rc=0; "$TUIKE" demo generate --members 10 --out "$work/z" --now yesterday 2>"$work/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "now" "$work/err" || fail "--now yesterday: exit $rc"
rc=0; "$TUIKE" demo generate --members 10 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "a missing --out must be a usage error, got exit $rc"
: >"$work/file"
rc=0; "$TUIKE" demo generate --members 10 --out "$work/file" 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "--out naming a file must fail"

# ---- the engine takes all of it ----
db=$(db_uri demo)
"$TUIKE" init --db "$db" >/dev/null
"$TUIKE" plan set "$work/a/plan.json" --db "$db" >/dev/null
m=$("$TUIKE" member import "$work/a/members.jsonl" --db "$db")
[ "$(jq .rejected <<<"$m")" -eq 0 ] && [ "$(jq .applied <<<"$m")" -eq 1500 ] || fail "member import: $m"
o=$("$TUIKE" orders import "$work/a/orders.jsonl" --db "$db")
[ "$(jq .rejected <<<"$o")" -eq 0 ] && [ "$(jq .read <<<"$o")" -eq "$(wc -l <"$work/a/orders.jsonl")" ] ||
	fail "orders import: $o"
"$TUIKE" settle --now "$now" --db "$db" >/dev/null
"$TUIKE" audit --db "$db" >/dev/null || fail "audit of the demo dataset failed"
echo "ok"

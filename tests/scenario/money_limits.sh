#!/usr/bin/env bash
# money_limits.sh — amounts that cannot overflow, through the command line:
# a file of items at the per-item maximum lands on exact sums (the
# sanitizer build stops on any signed overflow); beyond the maximum a row
# is refused with its field named; a balance, a statistic or the item count
# pushed to the edge of their range by hand makes the next import fail
# whole, with the reason, rather than wrap; and the audit names balances
# that no ledger tuike writes could hold.
source "$(dirname "$0")/lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan
MAX=1000000000 # ORDER_MONEY_MAX: 10^9 fen per item
N=3000

tk member add gp --level mentor >/dev/null
tk member add p --parent gp --level mentor >/dev/null
tk member add s --parent p --level super >/dev/null
tk member add q --level super >/dev/null
# SQLite may store a sum that left the 64-bit range as a real; a PostgreSQL
# BIGINT column holds integers or nothing, so it names its type alike
PG_TYPEOF_GMV="CASE WHEN pg_typeof(gmv) = 'bigint'::regtype THEN 'integer' ELSE pg_typeof(gmv)::text END"
mid() { db_sql "SELECT id FROM members WHERE ext = '$1'"; }

# ---- items at the maximum: exact sums
for i in $(seq 1 $N); do
	printf '{"union":"jd","item":"M%d-1","status":"settled","modified_at":"2026-11-02T10:00:00+08:00","paid_at":"2026-11-02T10:00:00+08:00","settled_at":"2026-11-02T10:00:00+08:00","amount":%d,"commission":%d,"member":"s"}\n' "$i" "$MAX" "$MAX"
done >"$WORK/max.jsonl"
expect_eq "items at the maximum accepted" "$(tk orders import "$WORK/max.jsonl")" "{\"read\":$N,\"applied\":$N,\"unchanged\":0,\"rejected\":0}"
tk settle >/dev/null
expect_eq "totals exact" "$(tk report totals --json | jq -c '[.items, .gmv, .commission, .platform_share]')" \
	"[$N,$((N * MAX)),$((N * MAX)),$((N * MAX / 4))]"
expect_eq "the union's receivable exact" "$(db_sql "SELECT balance FROM balances WHERE account = 1")" "$((-N * MAX))"
expect_eq "s's share exact" "$(bal s available)" "$((N * MAX / 2))"
expect_eq "statistics exact" "$(db_sql "SELECT typeof(gmv), gmv FROM daily_stats WHERE dim = 0 AND key = '' AND gmv > 0" \
	"SELECT $PG_TYPEOF_GMV, gmv FROM daily_stats WHERE dim = 0 AND key = '' AND gmv > 0")" "integer|$((N * MAX))"
expect_status "audit holds" 0 tk audit

# ---- beyond the maximum: refused, the field named
{
	printf '{"union":"jd","item":"B1-1","status":"paid","modified_at":"2026-11-03T10:00:00+08:00","amount":0,"commission":%d}\n' $((MAX + 1))
	printf '{"union":"jd","item":"B2-1","status":"paid","modified_at":"2026-11-03T10:00:00+08:00","amount":%d,"commission":1}\n' $((MAX + 1))
	printf '{"union":"jd","item":"B3-1","status":"paid","modified_at":"2026-11-03T10:00:00+08:00","amount":0,"commission":100000000000000}\n'
} >"$WORK/over.jsonl"
expect_status "rows beyond the maximum" 2 tk orders import "$WORK/over.jsonl"
expect_grep "commission named" "over.jsonl:1: commission: must be 0..1000000000 fen" "$WORK/err"
expect_grep "amount named" "over.jsonl:2: amount: must be 0..1000000000 fen" "$WORK/err"
expect_grep "the old limit refused too" "over.jsonl:3: commission" "$WORK/err"

# ---- at the edge of the range, the next import fails whole instead of wrapping
GOOD=$(db_clone "$TUIKE_DB" good)
# one more item, paid on the day of the others
printf '{"union":"jd","item":"E1-1","status":"paid","modified_at":"2026-11-02T11:00:00+08:00","paid_at":"2026-11-02T11:00:00+08:00","amount":19900,"commission":1000,"member":"s"}\n' >"$WORK/e1.jsonl"
state() {
	db_sql "SELECT count(*) FROM items"
	db_sql "SELECT count(*) FROM transfers"
	db_sql "SELECT balance FROM balances ORDER BY account" | paste -sd,
}

db_sql "UPDATE daily_stats SET gmv = 9223372036854775800 WHERE dim = 0"
before=$(state)
expect_status "a statistic at the edge" 1 tk orders import "$WORK/e1.jsonl"
expect_grep "the statistic named" "daily statistics of day [0-9]+, key \"\" would go beyond the 64-bit range" "$WORK/err"
expect_eq "nothing of the batch applied" "$(state)" "$before"
expect_eq "the statistics kept whole" "$(db_sql "SELECT DISTINCT typeof(gmv) FROM daily_stats" "SELECT DISTINCT $PG_TYPEOF_GMV FROM daily_stats")" "integer"

TUIKE_DB=$(db_clone "$GOOD" tuike)
db_sql "UPDATE balances SET balance = -9223372036854775800 WHERE account = 1"
before=$(state)
expect_status "a balance at the edge" 1 tk orders import "$WORK/e1.jsonl"
expect_grep "the balance named" "balance of account 1 would go beyond the 64-bit range" "$WORK/err"
expect_eq "nothing of the batch applied" "$(state)" "$before"

TUIKE_DB=$(db_clone "$GOOD" tuike)
db_sql "INSERT INTO items(id, union_, item_key, status, modified_at, amount, commission, quantity, attribution, plan_version, self_purchase, n_chain, platform, first_seen_at) VALUES (1000000000, 'jd', 'FAR-1', 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0)"
expect_status "the billionth item is the last" 1 tk orders import "$WORK/e1.jsonl"
expect_grep "the item count named" "item: the database holds 1000000000 items" "$WORK/err"
expect_eq "no item beyond it" "$(db_sql "SELECT count(*) FROM items WHERE id > 1000000000")" "0"

# ---- the audit names impossible balances (transfers and balances forged
# together, so that every balance still equals its transfers)
forge() { # DEBIT CREDIT AMOUNT CODE: a transfer of no item or withdrawal, with its balances
	db_sql "INSERT INTO transfers(debit, credit, amount, code, at) VALUES ($1, $2, $3, $4, 0);
		INSERT INTO balances(account, balance) VALUES ($1, -$3) ON CONFLICT(account) DO UPDATE SET balance = balances.balance - $3;
		INSERT INTO balances(account, balance) VALUES ($2, $3) ON CONFLICT(account) DO UPDATE SET balance = balances.balance + $3;"
}
Q=$(mid q)
TUIKE_DB=$(db_clone "$GOOD" tuike)
forge $((Q * 8 + 1)) 1 100 3 # q's pending "reversed" to the union though it never held any
expect_status "a negative pending" 1 tk audit --json
expect_grep "pending can never be negative" "account $((Q * 8 + 1)) \(pending of member #$Q\) is -100: it can never be negative" "$WORK/out"
expect_grep "a transfer of nothing" "belongs to no item and no withdrawal" "$WORK/out"

TUIKE_DB=$(db_clone "$GOOD" tuike)
forge $((Q * 8 + 3)) $((Q * 8 + 5)) 300 10 # paid out of an available balance q never had
expect_status "a debt no clawback made" 1 tk audit --json
expect_grep "available beyond its clawbacks" "\(available of member #$Q\) is -300 but clawbacks took only 0 from it" "$WORK/out"

TUIKE_DB=$(db_clone "$GOOD" tuike)
revenue=$(db_sql "SELECT balance FROM balances WHERE account = 2")
forge 2 $((Q * 8 + 5)) $((revenue + 50)) 10 # the platform's revenue below zero
expect_status "a negative revenue" 1 tk audit --json
expect_grep "revenue can never be negative" "account 2 \(revenue of member #0\) is -50: it can never be negative" "$WORK/out"

TUIKE_DB=$(db_clone "$GOOD" tuike)
big=4000000000000000
forge $((Q * 8 + 4)) $((Q * 8 + 5)) $big 10 # paid more than the union ever paid in
expect_status "a balance beyond all commission" 1 tk audit --json
expect_grep "more than all commission" "\(paid of member #$Q\) holds $big, more than the $((N * MAX)) fen of commission the union ever paid" "$WORK/out"
expect_grep "and withdrawing below zero" "\(withdrawing of member #$Q\) is -$big: it can never be negative" "$WORK/out"

TUIKE_DB=$(db_clone "$GOOD" tuike)
expect_status "the untouched copy audits" 0 tk audit
finish

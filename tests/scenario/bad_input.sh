#!/usr/bin/env bash
# bad_input.sh — malformed files: clear errors naming file, line, field and
# value; the valid lines applied once; nothing half-applied; plans and
# members refused with the field named.
source "$(dirname "$0")/lib.sh"
standard_plan
tk member add a --level super >/dev/null

# --- a plan that could pay more than the platform receives is refused
cat >"$WORK/greedy.json" <<'JSON'
{"name":"greedy","mode":"fixed","max_tiers":3,"platform_min_bps":1000,"tiers_bps":[2000,1000],
 "levels":[{"key":"member","rate_bps":7000}]}
JSON
expect_status "greedy plan refused" 2 tk plan set "$WORK/greedy.json"
expect_grep "names file and field" "greedy.json: platform_min_bps: the plan could pay 10000 bps" "$WORK/err"
cat >"$WORK/deep.json" <<'JSON'
{"name":"deep","mode":"fixed","max_tiers":4,"tiers_bps":[100,100,100],"levels":[{"key":"member","rate_bps":100}]}
JSON
expect_status "four tiers refused" 2 tk plan set "$WORK/deep.json"
expect_grep "tier limit named" "max_tiers: must be 1..3" "$WORK/err"
expect_eq "active plan unchanged" "$(tk plan show --json | jq -c '[.version,.name]')" '[1,"default"]'

# --- members
expect_status "own parent refused" 2 tk member add x --parent x
expect_grep "own parent" "cannot be its own parent" "$WORK/err"
expect_status "unknown parent refused" 2 tk member add y --parent nobody
expect_status "duplicate member refused" 1 tk member add a
expect_status "unknown level refused" 2 tk member add z --level emperor
cat >"$WORK/members.jsonl" <<'JSON'
{"id":"r1","parent":null,"level":"mentor","name":"Root"}
{"id":"c1","parent":"r1","level":"super"}
{"id":"c2","parent":"ghost"}
{"id":"c3","parent":"c1","level":"emperor"}
not json
{"id":"c1","parent":"a"}
{"id":"c4","parent":"c5"}
{"id":"c5","parent":"c1"}
JSON
expect_status "member import with bad lines" 2 tk member import "$WORK/members.jsonl"
expect_eq "member import counts" "$(cat "$WORK/out")" '{"read":8,"applied":3,"unchanged":0,"rejected":5}'
expect_grep "line 3 named" "members.jsonl:3: parent: no member \"ghost\"" "$WORK/err"
expect_grep "line 4 named" "members.jsonl:4: level: \"emperor\" is not a level" "$WORK/err"
expect_grep "line 6: inviter is fixed" "members.jsonl:6: parent: member \"c1\" already exists under \"r1\"" "$WORK/err"
expect_grep "line 7: parent defined later" "members.jsonl:7: parent: no member \"c5\"" "$WORK/err"
expect_eq "team counts after import" "$(tk member show r1 --json | jq -c '[.direct_count,.team_count]')" "[1,2]"

# --- order file with bad lines: the good ones applied once, each bad one named
{
	row jd G1-1 paid 2026-11-01T10:00:00+08:00 1000 "" "" a
	echo '{"union":"jd","item":"B1-1","status":"paid","modified_at":"2026-11-01T10:00:00+08:00","commission":9.95}'
	echo '{"union":"amazon","item":"B2-1","status":"paid","modified_at":"2026-11-01T10:00:00+08:00","commission":1}'
	echo '{"union":"jd","item":"B3-1","status":"shipped","modified_at":"2026-11-01T10:00:00+08:00","commission":1}'
	echo '{"union":"jd","item":"B4-1","status":"settled","modified_at":"2026-11-01T10:00:00+08:00","commission":1}'
	echo '{"union":"jd","item":"B5-1","status":"paid","modified_at":"2026-11-01 10:00:00","commission":1}'
	echo '{"union":"jd","item":"B6-1","status":"paid","modified_at":"2026-11-01T10:00:00+08:00","commission":-5}'
	echo '{"union":"jd","item":"B7-1","status":"paid","modified_at":"2026-11-01T10:00:00+08:00"}'
	echo '{"union":"jd","item":"B8-1","status":"paid","modified_at":"2026-11-01T10:00:00+08:00","commission":1,"comission":2}'
	echo '{"union":"jd","item":'
	row jd G2-1 paid 2026-11-01T10:00:00+08:00 2000 "" "" a
} >"$WORK/mixed.jsonl"
expect_status "import with rejected lines exits 2" 2 tk orders import "$WORK/mixed.jsonl"
expect_eq "counts" "$(cat "$WORK/out")" '{"read":11,"applied":2,"unchanged":0,"rejected":9}'
expect_grep "decimal money" "mixed.jsonl:2: commission: must be an integer number of fen" "$WORK/err"
expect_grep "union value" "mixed.jsonl:3: union: must be jd, taobao, pdd or own, got \"amazon\"" "$WORK/err"
expect_grep "status value" "mixed.jsonl:4: status: must be unpaid, paid, received, settled or invalid, got \"shipped\"" "$WORK/err"
expect_grep "settled needs settled_at" "mixed.jsonl:5: settled_at: is required when status is settled" "$WORK/err"
expect_grep "time without offset" "mixed.jsonl:6: modified_at: must be ISO 8601 with an offset" "$WORK/err"
expect_grep "negative" "mixed.jsonl:7: commission: must be 0.." "$WORK/err"
expect_grep "missing" "mixed.jsonl:8: commission: is required" "$WORK/err"
expect_grep "unknown field" "mixed.jsonl:9: comission: is not a field" "$WORK/err"
expect_grep "broken JSON" "mixed.jsonl:10: not valid JSON" "$WORK/err"
expect_status "re-import applies nothing twice" 2 tk orders import "$WORK/mixed.jsonl"
expect_eq "second counts" "$(cat "$WORK/out")" '{"read":11,"applied":0,"unchanged":2,"rejected":9}'
expect_eq "a's pending from the two good lines only" "$(bal a pending)" "1500"
expect_status "missing file" 1 tk orders import "$WORK/nope.jsonl"
expect_status "unknown format" 2 tk orders import "$WORK/mixed.jsonl" --format xml

# --- CSV: the same columns, the same rules
cat >"$WORK/orders.csv" <<'CSV'
union,item,order,status,modified_at,paid_at,settled_at,amount,commission,quantity,product,title,buyer,member,link
jd,C1-1,C1,paid,2026-11-02T10:00:00+08:00,2026-11-02T10:00:00+08:00,,5000,400,1,p9,"Shampoo, 400ml ""family""",,a,
jd,C2-1,C2,paid,2026-11-02T10:00:00+08:00,,,5000,4.00,1,p9,bad money,,a,
jd,C3-1,C3,paid,2026-11-02T10:00:00+08:00,,,5000,100,1,p9,"multi
line title",,a,
jd,C4-1,C4,paid
CSV
expect_status "csv with a bad row" 2 tk orders import "$WORK/orders.csv"
expect_eq "csv counts" "$(cat "$WORK/out")" '{"read":4,"applied":2,"unchanged":0,"rejected":2}'
expect_grep "csv money named" "orders.csv:3: commission: must be an integer number of fen, got \"4.00\"" "$WORK/err"
expect_grep "csv short row named" "orders.csv:6: has 4 cells, the header has 15" "$WORK/err"
expect_eq "quoted title kept" "$(tk order show jd C1-1 --json | jq -r .title)" 'Shampoo, 400ml "family"'
expect_eq "a's pending with csv" "$(bal a pending)" "1750"

# --- bytes that are not UTF-8 (a spreadsheet saved as GBK): the row is
# refused naming its field and byte, alike on SQLite and PostgreSQL (whose
# text holds UTF-8 only), and the rows around it are applied
{
	echo 'union,item,order,status,modified_at,amount,commission,quantity,title,member'
	echo 'jd,U1-1,U1,paid,2026-11-02T10:00:00+08:00,5000,100,1,good,a'
	printf 'jd,U2-1,U2,paid,2026-11-02T10:00:00+08:00,5000,100,1,\xcf\xb4\xb7\xa2\xcb\xae\xff,a\n'
	echo 'jd,U3-1,U3,paid,2026-11-02T10:00:00+08:00,5000,100,1,洗发水,a'
} >"$WORK/gbk.csv"
expect_status "csv with a row not in UTF-8" 2 tk orders import "$WORK/gbk.csv"
expect_eq "not-UTF-8 counts" "$(cat "$WORK/out")" '{"read":3,"applied":2,"unchanged":0,"rejected":1}'
expect_grep "not-UTF-8 named" "gbk.csv:3: title: is not UTF-8: byte 3 is 0xB7" "$WORK/err"
expect_eq "UTF-8 title kept" "$(tk order show jd U3-1 --json | jq -r .title)" '洗发水'
expect_status "the refused row stored nothing" 1 tk order show jd U2-1 --json
expect_eq "a's pending with the UTF-8 rows" "$(bal a pending)" "1850"

# --- the ledger cannot be edited, and tampering is caught by the audit
expect_status "audit holds" 0 tk audit
if db_sql "UPDATE transfers SET amount = amount + 1 WHERE id = 1" 2>"$WORK/err"; then
	fail "a posted transfer was edited"
else
	expect_grep "transfers immutable" "immutable" "$WORK/err"
fi
db_sql "UPDATE balances SET balance = balance + 1 WHERE account = (SELECT min(account) FROM balances WHERE account > 8)"
expect_status "audit catches a tampered balance" 1 tk audit --json
expect_grep "finding named" "transfers sum to" "$WORK/out"
# money never moves from one member to another (the ledger's member index
# rests on it): a forged transfer between two members is named
db_sql "INSERT INTO transfers(debit, credit, amount, code, at) VALUES (3 * 8 + 3, 4 * 8 + 3, 1, 2, 0)"
expect_status "audit catches a member-to-member transfer" 1 tk audit --json
expect_grep "member-to-member finding" "moves money from member #3 to member #4" "$WORK/out"
finish

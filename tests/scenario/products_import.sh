#!/usr/bin/env bash
# products_import.sh — the product library's import through the command
# line: new, unchanged and updated products, price history on change, bad
# lines named by file, line, field and value, and --atomic.
source "$(dirname "$0")/lib.sh"
F="$TUIKE_FIXTURES/products"
tk init >/dev/null

export TUIKE_NOW=2026-11-01T10:00:00+08:00
expect_eq "first import" "$(tk products import "$F/catalog.jsonl" --json)" \
	'{"read":10,"inserted":10,"updated":0,"unchanged":0,"rejected":0,"price_changes":0,"rolled_back":false}'
expect_eq "re-import changes nothing" "$(tk products import "$F/catalog.jsonl" --json | jq -c '[.unchanged,.price_changes]')" '[10,0]'

# a day later one price drops and another product only sells more
export TUIKE_NOW=2026-11-02T10:00:00+08:00
sed -e 's/"price":4990,"commission_bps":3000,"sales":8000/"price":3990,"commission_bps":3000,"sales":8000/' \
    -e 's/"sales":12000/"sales":15000/' "$F/catalog.jsonl" >"$WORK/day2.jsonl"
expect_eq "update" "$(tk products import "$WORK/day2.jsonl" --json | jq -c '[.updated,.unchanged,.price_changes]')" '[2,8,1]'
expect_eq "history of the drop" "$(tk products show jd 100000000002 --json | jq -c '[.history.points[]|.final_price]')" '[4990,3990]'
expect_eq "now at its lowest" "$(tk products show jd 100000000002 --json | jq -c '[.history.current,.history.lowest,.history.highest,.history.at_lowest]')" '[3990,3990,4990,true]'
expect_eq "sales only: no point" "$(tk products show jd 100000000001 --json | jq -c '[(.history.points|length),.product.sales]')" '[1,15000]'

# the iPhone coupon ends on 2026-11-20: the same record then costs more
export TUIKE_NOW=2026-11-21T10:00:00+08:00
expect_eq "coupon end is a price change" "$(tk products import "$WORK/day2.jsonl" --json | jq -c '[.unchanged,.price_changes]')" '[10,1]'
expect_eq "points of the iPhone" "$(tk products show jd 100000000004 --json | jq -c '[.history.points[]|[.final_price,.coupon]]')" '[[479900,20000],[499900,0]]'
expect_eq "last lowest date" "$(tk products show jd 100000000004 --json | jq -r '.history.lowest_last_at')" "2026-11-21T10:00:00+08:00"

# bad lines: named, left out, the rest applied; exit status 2
expect_status "bad lines" 2 tk products import "$F/bad.jsonl"
expect_grep "decimal price named" "bad.jsonl:2: price: must be an integer number of fen, got 59.9" "$WORK/err"
expect_grep "rate named" "bad.jsonl:3: commission_bps: must be 0..10000 basis points .* got 12000" "$WORK/err"
expect_grep "not JSON named" "bad.jsonl:6: not valid JSON" "$WORK/err"
expect_grep "union named" 'bad.jsonl:7: union: must be jd, taobao, pdd or own, got "amazon"' "$WORK/err"
expect_grep "summary" "read 6: 2 new, 0 updated, 0 unchanged, 4 rejected" "$WORK/out"

# --atomic: one bad line and the file applies nothing
TUIKE_DB=$(db_uri atomic)
tk init >/dev/null
expect_status "atomic with bad lines" 2 tk products import "$F/bad.jsonl" --atomic
expect_grep "nothing applied" "nothing applied" "$WORK/out"
expect_eq "library still empty" "$(tk products search 好的商品 --json | jq .total)" "0"
expect_status "atomic clean file" 0 tk products import "$F/catalog.jsonl" --atomic
expect_eq "all in" "$(tk products search 旗舰店 --json | jq .total)" "7"

# limits from outside
python3 -c 'print("{\"union\":\"jd\",\"product\":\"9\",\"title\":\"" + "长"*300 + "\",\"price\":1,\"commission_bps\":1}")' >"$WORK/long.jsonl"
expect_status "title too long" 2 tk products import "$WORK/long.jsonl"
expect_grep "title limit named" "long.jsonl:1: title: is 900 bytes; the limit is 511" "$WORK/err"
python3 -c 'print("{\"union\":\"jd\",\"product\":\"9\",\"title\":\"x\",\"image\":\"" + "a"*70000 + "\"}")' >"$WORK/huge.jsonl"
expect_status "line too long" 2 tk products import "$WORK/huge.jsonl"
expect_grep "line limit named" "huge.jsonl:1: line is longer than 65536 bytes" "$WORK/err"
expect_status "missing file" 1 tk products import "$WORK/nope.jsonl"
finish

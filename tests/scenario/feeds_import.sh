#!/usr/bin/env bash
# feeds_import.sh — the unions' own replies through `tuike orders import
# --format jd|taobao|taobao-refund|pdd`, with union tags: attribution by
# tag, unknown tags kept unattributed, refunds before and after settlement,
# malformed bodies refused whole, re-imports changing nothing.
source "$(dirname "$0")/lib.sh"
F=$TUIKE_FIXTURES
standard_plan

tk member add alice --level super >/dev/null
tk member add bob --parent alice --level mentor >/dev/null

# --- tags
expect_eq "tag set" "$(tk tag set alice jd subUnionId m-alice)" \
	'{"member":"alice","union":"jd","kind":"subUnionId","value":"m-alice","previous_member":null}'
tk tag set bob jd positionId 3002 >/dev/null
tk tag set alice pdd uid m-alice >/dev/null
tk tag set bob taobao special_id 7001 >/dev/null
tk tag set alice taobao relation_id 8002 >/dev/null
expect_eq "moving a tag names its previous member" \
	"$(tk tag set bob jd positionId 3002 | jq -r .previous_member)" "null"
expect_status "unknown kind refused" 2 tk tag set alice jd special_id 1
expect_grep "kinds listed" "subUnionId, positionId" "$WORK/err"
expect_status "unknown member refused" 1 tk tag set nobody jd subUnionId x
expect_status "\"0\" is no tag" 2 tk tag set alice jd positionId 0
expect_eq "tag list" "$(tk tag list --json | jq -c '[.[]|[.union,.kind,.value,.member]]')" \
	'[["jd","positionId","3002","bob"],["jd","subUnionId","m-alice","alice"],["pdd","uid","m-alice","alice"],["taobao","relation_id","8002","alice"],["taobao","special_id","7001","bob"]]'
expect_eq "tag list by union" "$(tk tag list --union pdd --json | jq length)" "1"

show() { tk order show "$1" "$2" --json | jq -c "$3"; }

# --- JD: a life from paid to settled, then after-sale adjustments
expect_eq "jd lifecycle" "$(tk orders import "$F/jd/lifecycle.jsonl" --format jd)" \
	'{"read":11,"applied":11,"unchanged":0,"rejected":0}'
expect_eq "jd L1 settled at actualFee after its refund and top-up" \
	"$(show jd L1 '[.status,.commission,.amount,.attribution,.splits[0].member,.settled_at]')" \
	'["settled",860,9900,"tag","alice","2026-10-20T00:00:00+08:00"]'
expect_eq "jd exact decimals" "$(for i in D1 D2 D3 D4; do show jd $i .commission; done | paste -sd,)" \
	"10,7,123456789,995"
expect_eq "jd refunded whole after settlement" "$(show jd N1 '[.status,.commission]')" '["settled",0]'
expect_eq "jd balanceExt never added to actualFee" "$(show jd E1 '[.status,.commission]')" '["settled",800]'
expect_eq "jd re-import changes nothing" "$(tk orders import "$F/jd/lifecycle.jsonl" --format jd)" \
	'{"read":11,"applied":0,"unchanged":11,"rejected":0}'

expect_eq "jd tags" "$(tk orders import "$F/jd/tags.json" --format jd)" \
	'{"read":4,"applied":4,"unchanged":0,"rejected":0}'
expect_eq "subUnionId first" "$(show jd T1 '[.attribution,.splits[0].member]')" '["tag","alice"]'
expect_eq "positionId next" "$(show jd T2 '[.attribution,.splits[0].member]')" '["tag","bob"]'
expect_eq "unknown tag kept, unattributed" "$(show jd T3 '[.status,.attribution,.splits,.platform_share]')" \
	'["paid","none",[],995]'
expect_eq "no tag kept, unattributed" "$(show jd T4 .attribution)" '"none"'

expect_eq "jd split order" "$(tk orders import "$F/jd/split.json" --format jd)" \
	'{"read":3,"applied":3,"unchanged":0,"rejected":0}'
expect_eq "split parent invalid, children paid" \
	"$(for i in P1 C1 C2; do show jd $i '[.status,.commission,.order]'; done | paste -sd' ')" \
	'["invalid",500,"7000"] ["paid",300,"7001"] ["paid",200,"7002"]'

before=$(tk report totals --json)
expect_status "jd malformed bodies" 2 tk orders import "$F/jd/malformed.jsonl" --format jd
expect_eq "only the good rows applied" "$(cat "$WORK/out")" '{"read":10,"applied":2,"unchanged":0,"rejected":8}'
expect_grep "not JSON named by line" "malformed.jsonl:2: body: not JSON" "$WORK/err"
expect_grep "union error named" "malformed.jsonl:4: body: JD answered with error 19" "$WORK/err"
expect_grep "cut-off body refused whole" "malformed.jsonl:7: body: not JSON" "$WORK/err"
expect_grep "bad row named by field and value" "malformed.jsonl:8: data\[1\].estimateFee: .*9.999" "$WORK/err"
expect_eq "G1 applied" "$(show jd G1 .commission)" "250"
expect_eq "items grew by two" "$(tk report totals --json | jq .items)" "$(($(jq .items <<<"$before") + 2))"

# --- Taobao: statuses, special_id registered to a member = its own purchase,
# channel by relation_id
expect_eq "taobao" "$(tk orders import "$F/taobao/every_status.json" --format taobao)" \
	'{"read":7,"applied":7,"unchanged":0,"rejected":0}'
expect_eq "a special_id registered to bob: bob's own purchase" \
	"$(show taobao T12 '[.status,.commission,.attribution,.splits[0].member,.buyer]')" \
	'["paid",995,"self_purchase","bob","7001"]'
expect_eq "and every order of that buyer" "$(show taobao T14 '[.status,.attribution,.splits[0].member]')" \
	'["received","self_purchase","bob"]'
expect_eq "relation_id tag, settled" "$(show taobao T3 '[.status,.commission,.attribution,.splits[0].member]')" \
	'["settled",880,"tag","alice"]'
expect_eq "adzone only: unattributed" "$(show taobao T900-2 '[.attribution,.commission,.order]')" \
	'["none",7,"T900"]'
expect_eq "same items paged" "$(tk orders import "$F/taobao/pages.jsonl" --format taobao)" \
	'{"read":7,"applied":0,"unchanged":7,"rejected":0}'

# refunds: T12 before settlement, T3 after (released first, then clawed back)
TUIKE_NOW=2026-12-31T00:00:00+08:00 tk settle >/dev/null
expect_eq "T3 released" "$(show taobao T3 '[.splits[0].amount,.splits[0].state]')" '[440,"available"]'
avail=$(bal alice available)
expect_eq "taobao refunds" "$(tk orders import "$F/taobao/refunds.json" --format taobao-refund)" \
	'{"read":8,"applied":8,"unchanged":0,"rejected":0}'
expect_eq "refund before settlement" "$(show taobao T12 '[.commission,.refunded,.splits[0].amount]')" \
	'[995,400,416]'
expect_eq "refund after settlement" "$(show taobao T3 '[.commission,.refunded,.splits[0].amount]')" \
	'[880,220,330]'
expect_eq "the clawback left available" "$(bal alice available)" "$((avail - 110))"
expect_eq "refunds re-imported change nothing" \
	"$(tk orders import "$F/taobao/refunds.json" --format taobao-refund)" \
	'{"read":8,"applied":0,"unchanged":8,"rejected":0}'
expect_status "taobao malformed" 2 tk orders import "$F/taobao/malformed.jsonl" --format taobao
expect_grep "rate limit named" "malformed.jsonl:2: body: Taobao answered with error 7" "$WORK/err"
expect_grep "unknown tk_status" "publisher_order_dto\[1\].tk_status: must be 11, 12, 13, 14 or 3, got 99" "$WORK/err"

# --- Pinduoduo
expect_eq "pdd" "$(tk orders import "$F/pdd/every_status.json" --format pdd)" \
	'{"read":9,"applied":9,"unchanged":0,"rejected":0}'
expect_eq "custom_parameters uid" "$(show pdd S0 '[.status,.commission,.attribution,.splits[0].member]')" \
	'["paid",199,"tag","alice"]'
expect_eq "unknown uid kept" "$(show pdd S10 '[.status,.attribution]')" '["invalid","none"]'
expect_eq "settled at order_settle_time" "$(show pdd S5 '[.status,.settled_at]')" \
	'["settled","2026-10-21T16:00:00+08:00"]'
expect_eq "pages read last to first, repeats harmless" \
	"$(tk orders import "$F/pdd/pages.jsonl" --format pdd)" '{"read":7,"applied":5,"unchanged":2,"rejected":0}'
expect_status "pdd malformed" 2 tk orders import "$F/pdd/malformed.jsonl" --format pdd
expect_grep "order_status named" "order_list\[1\].order_status: must be -1, 0, 1, 2, 3, 4, 5, 8 or 10, got 6" "$WORK/err"

expect_eq "ledger balanced" "$(tk audit --json | jq -c '[.ok,.failed]')" "[true,0]"
finish

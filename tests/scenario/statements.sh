#!/usr/bin/env bash
# statements.sh — a merchant's monthly statement end to end on a month
# built by hand: two merchants, two campaigns, campaign orders across
# states (one refunded after settlement, one invalid, one of the next
# month, one of a channel not in the registry), two slot fees (one
# waived).  The figures worked out below are asserted exactly from the
# API, the command line, the CSV and the XLSX; the state moves and their
# refusals; the snapshot that stays when an order lands after sending, and
# changed_since_sent saying what changed.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-12-03T10:00:00+08:00
standard_plan

ts() { date -d "$1" +%s; }

# ord UNION ITEM STATUS AMOUNT COMMISSION PAID [SETTLED] [MODIFIED]: one item row
ord() {
	local settled=null
	[ -n "${7:-}" ] && settled="\"$7\""
	printf '{"union":"%s","item":"%s","order":"O-%s","status":"%s","modified_at":"%s","paid_at":"%s","settled_at":%s,"amount":%s,"commission":%s,"quantity":1,"product":"raw-%s","title":"t"}\n' \
		"$1" "$2" "$2" "$3" "${8:-$6}" "$6" "$settled" "$4" "$5" "$2"
}
{
	ord jd J1 paid 19900 3980 2026-11-03T10:00:00+08:00
	ord jd J2 settled 12345 2469 2026-11-05T10:00:00+08:00 2026-11-20T10:00:00+08:00
	ord jd J3 settled 8888 1333 2026-11-06T10:00:00+08:00 2026-11-21T10:00:00+08:00
	ord jd J4 paid 5000 1000 2026-11-10T10:00:00+08:00
	ord jd J4 invalid 5000 1000 2026-11-10T10:00:00+08:00 "" 2026-11-12T10:00:00+08:00
	ord jd J5 paid 30000 6000 2026-12-01T00:30:00+08:00
	ord pdd Q1 received 6600 660 2026-11-15T10:00:00+08:00
	ord pdd Q2 settled 4321 432 2026-11-30T23:59:00+08:00 2026-12-02T10:00:00+08:00
} >"$WORK/items.jsonl"
expect_eq "items imported" "$(tk orders import "$WORK/items.jsonl" | jq -c '[.read,.rejected]')" "[8,0]"
# J3 refunded after settlement: the union took back 666 of its 1333 fen
db_sql "UPDATE items SET refunded = 666 WHERE item_key = 'J3'"

NOW=$(ts 2026-11-01T09:00:00+08:00)
db_sql "INSERT INTO merchants(name, created_at, updated_at) VALUES ('甲商贸', $NOW, $NOW), ('乙食品', $NOW, $NOW)"
db_sql "INSERT INTO promo_channels(name, kind, created_at, updated_at) VALUES ('达人小王', 'talent', $NOW, $NOW), ('团长群B', 'team', $NOW, $NOW)"
db_sql "INSERT INTO campaigns(merchant, union_, name, status, promote_from, promote_to, created_at, updated_at) VALUES (1, 'jd', '双十一保温杯', 'approved', $NOW, $NOW + 86400 * 60, $NOW, $NOW), (2, 'pdd', '坚果节', 'approved', $NOW, $NOW + 86400 * 60, $NOW, $NOW)"
db_sql "INSERT INTO campaign_items(campaign, product, title, commission_pm, service_pm, created_at, updated_at) VALUES (1, 'P100', '保温杯', 200, 50, $NOW, $NOW), (1, 'P200', '茶具', 150, 30, $NOW, $NOW), (2, 'Q300', '坚果', 100, 40, $NOW, $NOW)"
# the slot fees: one collected in November, one waived (left out)
db_sql "INSERT INTO slot_fees(campaign, channel, amount, state, booked_at, collected_at) VALUES (1, 1, 50000, 'collected', $(ts 2026-11-02T10:00:00+08:00), $(ts 2026-11-08T10:00:00+08:00))"
db_sql "INSERT INTO slot_fees(campaign, channel, amount, state, booked_at, waived_at) VALUES (2, 2, 20000, 'waived', $(ts 2026-11-04T10:00:00+08:00), $(ts 2026-11-05T10:00:00+08:00))"

# co ITEM_KEY CAMPAIGN CAMPAIGN_ITEM CHANNEL(or NULL) REF FEE BUCKET MONTH
co() {
	db_sql "INSERT INTO campaign_orders(item, union_, head, campaign, campaign_item, channel, channel_kind, channel_ref, fee_source, service_pm, fee, fee_bucket, month, updated_at) SELECT id, union_, 1, $2, $3, $4, 'rid', '$5', 'rate', 0, $6, $7, $8, $NOW FROM items WHERE item_key = '$1'"
}
co J1 1 1 1 rid-1 995 1 202611
co J2 1 1 2 rid-2 617 2 202611
co J3 1 2 NULL rid-999 266 2 202611
co J4 1 2 1 rid-1 0 0 202611
co J5 1 1 1 rid-1 1500 1 202612
co Q1 2 3 2 rid-2 264 1 202611
co Q2 2 3 1 rid-1 172 2 202611

# The figures of November, by hand (fen):
#   merchant 1 (甲商贸), campaign 1:
#   line P100 (commission 200‰, service 50‰): J1 paid 19900, J2 settled 12345
#     orders 2, gmv 32245, commission floor(19900*0.2)=3980 + floor(12345*0.2)=2469 = 6449,
#     service fee 995 (estimated) + 617 (settled) = 1612, refunds 0
#   line P200 (150‰, 30‰): J3 settled 8888 (refund record: 666 of 1333 commission),
#     J4 invalid after paid 5000
#     orders 1, gmv 8888, commission floor(8888*0.15)=1333, fee 266 (settled),
#     refunds 2: gmv floor(8888*666/1333)=4440 + 5000 = 9440,
#     service fee back floor(4440*0.03)=133 + floor(5000*0.03)=150 = 283
#   J5 is December's.  totals: orders 3, gmv 41133, commission 7782, fee 1878
#     (settled 883, estimated 995), refunds 2, refund gmv 9440, fee back 283,
#     slot fees collected 50000, outstanding 0
#   merchant 2 (乙食品), campaign 2, line Q300 (100‰, 40‰): Q1 received 6600, Q2 settled 4321
#     orders 2, gmv 10921, commission 660 + 432 = 1092, fee 264 (est.) + 172 (settled) = 436;
#     its slot fee was waived
T1='{"orders":3,"gmv":41133,"commission":7782,"service_fee":1878,"service_fee_settled":883,"service_fee_estimated":995,"refunds":2,"refund_gmv":9440,"refund_service_fee":283,"slot_fee_collected":50000,"slot_fee_outstanding":0}'
L1='[["P100",2,32245,6449,1612,617,995,0,0,0],["P200",1,8888,1333,266,266,0,2,9440,283]]'
T2='{"orders":2,"gmv":10921,"commission":1092,"service_fee":436,"service_fee_settled":172,"service_fee_estimated":264,"refunds":0,"refund_gmv":0,"refund_service_fee":0,"slot_fee_collected":0,"slot_fee_outstanding":0}'
LINES='[.lines[]|[.product,.orders,.gmv,.commission,.service_fee,.service_fee_settled,.service_fee_estimated,.refunds,.refund_gmv,.refund_service_fee]]'

# ---- the command line
expect_eq "generate" "$(tk statement generate 202611)" '{"month":202611,"created":[1,2],"existing":[]}'
expect_eq "generate again" "$(tk statement generate 2026-11)" '{"month":202611,"created":[],"existing":[1,2]}'
expect_eq "december: merchant 1 only" "$(tk statement generate 202612)" '{"month":202612,"created":[3],"existing":[]}'
expect_status "a bad month" 2 tk statement generate 202613
expect_grep "the month named" "YYYYMM" "$WORK/err"
tk statement show 1 >"$WORK/s1.json"
expect_eq "CLI totals, merchant 1" "$(jq -cS .totals "$WORK/s1.json")" "$(jq -cS . <<<"$T1")"
expect_eq "CLI lines, merchant 1" "$(jq -c "$LINES" "$WORK/s1.json")" "$L1"
expect_eq "CLI slot fees" "$(jq -c '[.slot_fees[]|[.channel_name,.amount,.state]]' "$WORK/s1.json")" '[["达人小王",50000,"collected"]]'
expect_eq "CLI draft is live" "$(jq -c '[.state,.figures,.changed_since_sent]' "$WORK/s1.json")" '["draft","live",false]'
expect_eq "CLI totals, merchant 2" "$(tk statement show 2 | jq -cS .totals)" "$(jq -cS . <<<"$T2")"
expect_eq "december" "$(tk statement show 3 | jq -c '[.totals.orders,.totals.gmv]')" '[1,30000]'
expect_eq "list" "$(tk statement list --month 202611 --json | jq -c '[.statements[]|[.id,.merchant_name,.state]]')" '[[2,"乙食品","draft"],[1,"甲商贸","draft"]]'

# ---- the API
OPS=$(tk apikey create books --role finance 2>/dev/null)
VIEW=$(tk apikey create looker --role viewer 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN=$OPS
expect_call "show" 200 GET /api/v1/statements/1
conforms "show" Statement
expect_eq "API totals" "$(jq -cS .totals "$WORK/body")" "$(jq -cS . <<<"$T1")"
expect_eq "API lines" "$(body "$LINES" | jq -c .)" "$L1"
expect_call "list" 200 GET "/api/v1/statements?month=202611&state=draft"
conforms "list" StatementPage
expect_eq "API list" "$(body '[.statements[].id]' | jq -c .)" "[2,1]"
expect_call "generate one merchant" 200 POST /api/v1/statements '{"month":"202611","merchant":2}'
conforms "generate" StatementsGenerated
expect_eq "nothing new" "$(jq -c . "$WORK/body")" '{"month":202611,"created":[],"existing":[2]}'
# a retried generation (same Idempotency-Key) gets the first answer again
EXTRA=(-H "Idempotency-Key: gen-202610")
expect_call "generate October" 200 POST /api/v1/statements '{"month":"202610"}'
expect_eq "October: nothing to bill" "$(jq -c . "$WORK/body")" '{"month":202610,"created":[],"existing":[]}'
expect_call "generate October again" 200 POST /api/v1/statements '{"month":"202610"}'
expect_grep "replayed" "Idempotent-Replayed: true" "$WORK/headers"
expect_call "the key with another body" 422 POST /api/v1/statements '{"month":"202609"}'
EXTRA=()
expect_error "a bad month" 400 invalid POST /api/v1/statements '{"month":"2026-13"}'
expect_eq "keyed" "$(body .error.key)" "statement.month_invalid"
expect_error "unknown statement" 404 not_found GET /api/v1/statements/99
TOKEN=$VIEW
expect_error "a viewer may not send" 403 forbidden_role POST /api/v1/statements/1/send
TOKEN=$OPS

# refusals before sending
expect_error "confirm a draft" 409 conflict POST /api/v1/statements/1/confirm
expect_eq "illegal move keyed" "$(body '[.error.key,.error.params.state,.error.params.move]' | jq -c .)" '["statement.illegal_move","draft","confirm"]'
expect_error "reopen a draft" 409 conflict POST /api/v1/statements/1/reopen '{"reason":"x"}'
expect_error "invoice a draft" 409 conflict POST /api/v1/statements/1/invoice '{"invoice":"INV-1"}'

# send: the figures freeze
expect_call "send" 200 POST /api/v1/statements/1/send
expect_eq "sent" "$(body '[.state,.figures,.changed_since_sent]' | jq -c .)" '["sent","sent",false]'
expect_error "send twice" 409 conflict POST /api/v1/statements/1/send
# an order lands in November after sending
ord jd J8 paid 10000 2000 2026-11-20T10:00:00+08:00 >"$WORK/late.jsonl"
tk orders import "$WORK/late.jsonl" >/dev/null
co J8 1 1 1 rid-1 500 1 202611
expect_call "show after the late order" 200 GET /api/v1/statements/1
expect_eq "the snapshot stays" "$(jq -cS .totals "$WORK/body")" "$(jq -cS . <<<"$T1")"
expect_eq "changed since sent" "$(body .changed_since_sent)" "true"
expect_eq "what changed" "$(body '[.changes[]|[.what,.sent,.now]]' | jq -c .)" \
	'[["totals.orders",3,4],["totals.gmv",41133,51133],["totals.commission",7782,9782],["totals.service_fee",1878,2378],["totals.service_fee_estimated",995,1495],["line 1/P100.orders",2,3],["line 1/P100.gmv",32245,42245],["line 1/P100.commission",6449,8449],["line 1/P100.service_fee",1612,2112],["line 1/P100.service_fee_estimated",995,1495]]'

# reopen needs a reason; it thaws the figures, which are live again
expect_error "reopen without a reason" 400 invalid POST /api/v1/statements/1/reopen '{"reason":""}'
expect_eq "reason keyed" "$(body .error.key)" "statement.text_length"
expect_call "reopen" 200 POST /api/v1/statements/1/reopen '{"reason":"J8 arrived late"}'
expect_eq "reopened" "$(body '[.state,.figures,.reason,.totals.orders,.changed_since_sent]' | jq -c .)" '["draft","live","J8 arrived late",4,false]'
expect_call "send again" 200 POST /api/v1/statements/1/send
expect_call "confirm" 200 POST /api/v1/statements/1/confirm
expect_error "reopen after confirmation" 409 conflict POST /api/v1/statements/1/reopen '{"reason":"too late"}'
expect_error "an invoice number too long" 400 invalid POST /api/v1/statements/1/invoice "{\"invoice\":\"$(printf 'N%.0s' $(seq 65))\"}"
expect_call "invoice" 200 POST /api/v1/statements/1/invoice '{"invoice":"FP-2026-0001"}'
expect_eq "invoiced" "$(body '[.state,.invoice,.totals.orders,.totals.gmv]' | jq -c .)" '["invoiced","FP-2026-0001",4,51133]'
expect_error "invoice twice" 409 conflict POST /api/v1/statements/1/invoice '{"invoice":"FP-2"}'
expect_eq "the moves in the action log" "$(tk actions --subject statement:1 --json | jq -r .what | tac | paste -sd' ')" \
	"statement.send statement.reopen statement.send statement.confirm statement.invoice"

# ---- the exports, of merchant 2's draft and merchant 1's invoiced statement
expect_call "CSV" 200 GET "/api/v1/statements/2/export?format=csv&lang=en"
expect_grep "CSV named" 'filename="statement-2-202611.csv"' "$WORK/headers"
cp "$WORK/body" "$WORK/s2.csv"
expect_eq "CSV BOM" "$(head -c 3 "$WORK/s2.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
expect_eq "CSV header" "$(head -1 "$WORK/s2.csv" | tail -c +4 | cut -d, -f1-10 | tr -d '\r')" "kind,campaign,campaign_name,product,title,channel,state,orders,gmv_yuan,gmv_fen"
expect_eq "CSV line" "$(sed -n 2p "$WORK/s2.csv" | tr -d '\r')" "line,2,坚果节,Q300,坚果,,,2,109.21,10921,10.92,1092,4.36,436,172,264,0,0.00,0,0.00,0,,"
expect_eq "CSV total" "$(sed -n 3p "$WORK/s2.csv" | tr -d '\r')" "total,,,,,,,2,109.21,10921,10.92,1092,4.36,436,172,264,0,0.00,0,0.00,0,0.00,0"
expect_call "CSV in Chinese" 200 GET "/api/v1/statements/1/export?format=csv"
expect_eq "CSV zh header" "$(head -1 "$WORK/body" | tail -c +4 | cut -d, -f1-3)" "类型,活动ID,活动名称"
expect_eq "CSV zh slot fee" "$(grep '^坑位费' "$WORK/body" | tr -d '\r')" "坑位费,1,双十一保温杯,,,达人小王,已收,,,,,,,,,,,,,,,500.00,50000"
expect_call "XLSX" 200 GET "/api/v1/statements/1/export?format=xlsx&lang=zh-CN"
expect_grep "XLSX named" 'filename="statement-1-202611.xlsx"' "$WORK/headers"
cp "$WORK/body" "$WORK/s1.xlsx"
expect_error "a bad format" 400 invalid GET "/api/v1/statements/1/export?format=pdf"
stop_server

# read a sheet back: rows of cells (shared strings resolved), no packages
cat >"$WORK/sheet.py" <<'PY'
import sys, zipfile, json, xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
text = lambda e: ''.join(t.text or '' for t in e.iter('{%s}t' % ns['m']))
# strings are written inline (constant memory); a shared table is read too
strings = ([text(si) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns)]
           if 'xl/sharedStrings.xml' in z.namelist() else [])
rows = []
for row in ET.fromstring(z.read('xl/worksheets/%s.xml' % sys.argv[2])).iter('{%s}row' % ns['m']):
    cells = []
    for c in row.findall('m:c', ns):
        col = 0
        for ch in c.get('r'):
            if ch.isalpha():
                col = col * 26 + ord(ch) - 64
        cells += [None] * (col - 1 - len(cells))
        v = c.find('m:v', ns)
        if c.get('t') == 'inlineStr':
            cells.append(text(c.find('m:is', ns)))
        elif v is None:
            cells.append(None)
        elif c.get('t') == 's':
            cells.append(strings[int(v.text)])
        else:  # money shown in yuan (a styled number): back to exact fen
            f = float(v.text)
            cells.append(round(f * 100) if c.get('s') else int(f))
    rows += [[]] * (int(row.get('r')) - 1 - len(rows))  # rows left empty
    rows.append(cells)
print(json.dumps(rows, ensure_ascii=False, separators=(',', ':')))
PY
python3 "$WORK/sheet.py" "$WORK/s1.xlsx" sheet1 >"$WORK/sheet1.json"
python3 "$WORK/sheet.py" "$WORK/s1.xlsx" sheet2 >"$WORK/sheet2.json"
expect_eq "XLSX head" "$(jq -c '.[0:3]' "$WORK/sheet1.json")" '[["商户","甲商贸"],["月份","2026-11"],["状态","已开票"]]'
expect_eq "XLSX lines (fen)" "$(jq -c '.[4:7]' "$WORK/sheet1.json")" \
	'[["活动","商品ID","商品标题","订单数","成交额","佣金","服务费","已结算服务费","预估服务费","退款单数","退款成交额","退回服务费"],["双十一保温杯","P100","保温杯",3,42245,8449,2112,617,1495,0,0,0],["双十一保温杯","P200","茶具",1,8888,1333,266,266,0,2,9440,283]]'
expect_eq "XLSX totals" "$(jq -c '.[7]' "$WORK/sheet1.json")" '["合计",null,null,4,51133,9782,2378,883,1495,2,9440,283]'
expect_eq "XLSX slot fees" "$(jq -c '.[8:]' "$WORK/sheet1.json")" '[[],["坑位费","渠道","状态","金额"],["双十一保温杯","达人小王","已收",50000],["已收",null,null,50000],["待收",null,null,0]]'
expect_eq "XLSX orders" "$(jq -c '[.[]|[.[0],.[4],.[5],.[6],.[7]]]' "$WORK/sheet2.json")" \
	'[["商品订单","渠道","金额","状态","服务费"],["J1","达人小王",19900,"已付款",995],["J2","团长群B",12345,"已结算",617],["J8","达人小王",10000,"已付款",500],["J3","rid-999",8888,"已结算",266],["J4","达人小王",5000,"已失效",0]]'

# the command line's moves and export
expect_status "CLI: confirm a draft" 1 tk statement confirm 2
expect_grep "CLI refusal says why" "cannot be confirmed" "$WORK/err"
expect_eq "CLI send" "$(tk statement send 2 | jq -r .state)" "sent"
expect_status "CLI: reopen without --reason" 2 tk statement reopen 2
expect_eq "CLI reopen" "$(tk statement reopen 2 --reason '补单' | jq -c '[.state,.reason]')" '["draft","补单"]'
tk statement export 1 --format csv --lang en --out "$WORK/cli.csv" >/dev/null
expect_eq "CLI CSV total" "$(grep '^total' "$WORK/cli.csv" | tr -d '\r')" "total,,,,,,,4,511.33,51133,97.82,9782,23.78,2378,883,1495,2,94.40,9440,2.83,283,500.00,50000"
tk statement export 1 --format xlsx --out "$WORK/cli.xlsx" >/dev/null
expect_eq "CLI XLSX the same sheet" "$(python3 "$WORK/sheet.py" "$WORK/cli.xlsx" sheet1)" "$(cat "$WORK/sheet1.json")"
finish

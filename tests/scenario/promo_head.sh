#!/usr/bin/env bash
# promo_head.sh — a campaign from intake to statement, the way the
# investment-promotion head runs it (docs/promotion-head.md): a merchant and
# its shop, a partner channel and its JD rid, a JD campaign (cpActId 5001)
# with its product and a slot fee, the union's order rows (head rows of
# channels' sales, the head's own sale, a row of another campaign), their
# later states (settled, cancelled), then the month's statement, the
# channels ranked for the product, and the audit.  Every figure is worked
# out by hand below.
source "$(dirname "$0")/lib.sh"
F=$TUIKE_FIXTURES
standard_plan
tk member add alice --level super >/dev/null
tk tag set alice jd subUnionId m-alice >/dev/null

# --- intake
M=$(tk merchant add "宠物食品旗舰店" --contact "王经理" --terms "服务费 5%，坑位费 300 元/渠道" --json | jq -r .id)
tk merchant shop "$M" jd 70001 "招商测试旗舰店" >/dev/null
C=$(tk channel add "甲团队" team --categories 1620 --json | jq -r .id)
tk channel id "$C" jd rid 880 >/dev/null
K=$(tk campaign add "$M" jd "双十一宠物专场" --promote 2026-11-01..2026-11-30 --ext 5001 --json | jq -r .id)
tk campaign item "$K" 900001 --commission 20% --service 5% --price 20000 --title "宠物主粮 2kg" \
	--category 1620 >/dev/null
tk campaign status "$K" approved >/dev/null
# booked on 2 November (a slot fee is billed in the month it is booked)
TUIKE_NOW=2026-11-02T02:00:00Z tk campaign slot "$K" "$C" 30000 --note "首页坑位" >/dev/null
P=$(tk campaign show "$K" --json | jq -r '.items[0].id')
expect_eq "the product's terms, exact" \
	"$(tk campaign show "$K" --json | jq -c '[.status, .items[0].commission_permille, .items[0].service_fee_permille]')" \
	'["approved",200,50]'
expect_eq "slot fee booked in the ledger" "$(db_sql "SELECT balance FROM balances WHERE account = 7")" "30000"

# --- the union's rows: J1 sold by channel 甲团队 (rid 880), fee 10.00 on
# 200.00; J2 by an unregistered channel, fee 5.00 on 100.00; J3 the head's
# own sale (commission 20.00, split as ever); J4 a head row of cpActId 9999
# (no such campaign: the fee is the head's, no merchant's)
tk orders import "$F/jd/campaign.json" --format jd >/dev/null
expect_eq "estimated service fees: 1000 + 500 + 300" "$(db_sql "SELECT balance FROM balances WHERE account = 4")" "1800"
expect_eq "alice's own-sale commission still splits: 2000 x 50 %" "$(bal alice pending)" "1000"
# later: J1 settled at 9.00 on 180.00; J2 cancelled; J3 settled
tk orders import "$F/jd/campaign_later.json" --format jd >/dev/null
expect_eq "service fees: J4 estimated 300, J1 settled 900" \
	"$(db_sql "SELECT coalesce((SELECT balance FROM balances WHERE account = 4), 0) || '/' || coalesce((SELECT balance FROM balances WHERE account = 5), 0)")" "300/900"

# --- the month's statement for the merchant (campaign 5001's orders):
# orders J1 (180.00) and J3 (400.00): 2, GMV 58000; commission at 200 per
# mille: 3600 + 8000 = 11600; service fee 900 (J1's, settled; J3 is the
# head's own sale: commission, no fee); refunds: J2 cancelled after payment,
# 10000 of GMV and its agreed fee floor(10000 x 50 / 1000) = 500; slot fee
# 30000 (甲团队, outstanding).  J4 belongs to no merchant.
S=$(tk statement generate 202611 --merchant "$M" --json | jq -r '.created[0]')
expect_eq "statement totals" \
	"$(tk statement show "$S" --json | jq -c '.totals | [.orders, .gmv, .commission, .service_fee, .service_fee_settled, .refunds, .refund_gmv, .refund_service_fee, .slot_fee_outstanding]')" \
	'[2,58000,11600,900,900,1,10000,500,30000]'
tk statement send "$S" >/dev/null
tk statement confirm "$S" >/dev/null
expect_eq "invoiced" "$(tk statement invoice "$S" FP-2026-11-001 --json | jq -r .state)" "invoiced"
tk statement export "$S" --format xlsx --out "$WORK/s.xlsx" >/dev/null
expect_eq "the workbook holds the merchant" \
	"$(python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(any("宠物食品旗舰店" in z.read(n).decode() for n in z.namelist() if n.endswith(".xml")))' "$WORK/s.xlsx")" "True"

# --- channels for the product: 甲团队 sold in its category (1620)
expect_eq "channels ranked for the product" \
	"$(tk channel match "$P" --json | jq -c '[.channels[0].name, ([.channels[0].reasons[].key] | index("match.category_sales") != null)]')" \
	'["甲团队",true]'

expect_eq "audit clean" "$(tk audit --json | jq -c '[.ok, .failed]')" '[true,0]'
finish

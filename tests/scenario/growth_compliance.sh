#!/usr/bin/env bash
# growth_compliance.sh — the compliance report on a small tree whose every
# figure is worked out by hand below: tree depth, members' income by
# source and tier, recruitment-only earners, the gift-pack share of sales,
# and the warnings with their thresholds.
source "$(dirname "$0")/lib.sh"
export TUIKE_NOW=2026-11-20T12:00:00+08:00

cat >"$WORK/plan.json" <<'JSON'
{"name":"c","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"hold_days":7,"default_level":"member",
 "levels":[{"key":"member","rate_bps":3000,"can_share":false},
  {"key":"super","rate_bps":5000},
  {"key":"mentor","rate_bps":7000,"upgrade":{"conditions":[{"kind":"direct_invites","min":2}]}},
  {"key":"partner","rate_bps":8000}],
 "gift_packs":[{"product":"GP399","price":39900,"cost":25000,"level":"super","tiers_bps":[2000,1000]}]}
JSON
tk init >/dev/null
tk plan set "$WORK/plan.json" >/dev/null

#        R (mentor)
#       /          \
#   A (super)    C (super)
#      |            |
#   B (member)   E (member)
tk member add R --level mentor >/dev/null
tk member add A --parent R --level super >/dev/null
tk member add C --parent R --level super >/dev/null
tk member add B --parent A >/dev/null
tk member add E --parent C >/dev/null

pack() {
	printf '{"union":"own","item":"%s","order":"%s","status":"%s","modified_at":"%s","paid_at":"2026-11-10T10:00:00+08:00","amount":39900,"commission":0,"quantity":1,"product":"GP399","title":"gift pack","buyer":"%s"}\n' \
		"$1" "${1%%-*}" "$3" "${4:-2026-11-10T10:00:00+08:00}" "$2"
}
# X1: A shares to an outside buyer, C = 1000: A 500 (tier 1), R 200 (tier 2)
# X2: B buys for itself, C = 1000: B 300 (tier 1), A 200 (tier 2), R 200 (tier 3)
{
	row jd X1-1 paid 2026-11-10T10:00:00+08:00 1000 "" outside A
	row jd X2-1 paid 2026-11-10T10:00:00+08:00 1000 "" B
} >"$WORK/sales.jsonl"
tk orders import "$WORK/sales.jsonl" >/dev/null
# packs, margin 39900 - 25000 = 14900, tiers 20% / 10%:
# P1 by B: A 2980, R 1490;  P2 by C: R 2980;  P3 by E: C 2980, R 1490
{
	pack P1-1 B paid
	pack P2-1 C paid
	pack P3-1 E paid
} >"$WORK/packs.jsonl"
tk orders import "$WORK/packs.jsonl" >/dev/null

tk report compliance --json >"$WORK/c.json"
q() { jq -c "$1" "$WORK/c.json"; }
expect_eq "members and roots" "$(q '[.members,.roots]')" "[5,1]"
expect_eq "depth" "$(q '[.depth.max, [.depth.distribution[]|[.depth,.members]]]')" "[2,[[0,1],[1,2],[2,2]]]"
# income: sales tier 1 = 500 + 300 = 800; tiers 2-3 = 200 + 200 + 200 = 600;
# packs = 2980 + 1490 + 2980 + 2980 + 1490 = 11920; total 13320
expect_eq "income total" "$(q .income.total)" "13320"
expect_eq "own and customers' purchases: 800 = 6.00%" "$(q '.income.own_and_customers|[.amount,.share_bps]')" "[800,600]"
expect_eq "uplines' tiers: 600 = 4.50%" "$(q '.income.upline_tiers|[.amount,.share_bps]')" "[600,450]"
expect_eq "gift-pack margins: 11920 = 89.48%" "$(q '.income.gift_pack_margins|[.amount,.share_bps]')" "[11920,8948]"
expect_eq "income by tier" "$(q '[.income.by_tier[]|[.tier,.sales,.gift_packs,.total]]')" \
	"[[1,800,8940,9740],[2,400,2980,3380],[3,200,0,200]]"
# earners: A (sales, tiers, packs), B (sales), R (tiers, packs), C (packs only)
expect_eq "earners" "$(q '.earners|[.total,.recruitment_only,.recruitment_only_share_bps,.without_own_sales]')" "[4,1,2500,2]"
expect_eq "who earned only from recruitment" "$(q '.earners.recruitment_only_sample')" '[{"id":"C","gift_pack_income":2980}]'
# sales: 2 x 19900 of goods, 3 x 39900 of packs: 119700 / 159500 = 75.04%
expect_eq "revenue" "$(q '.revenue|[.gmv,.commission,.gift_pack_sales,.gift_pack_margin,.gift_pack_share_bps]')" \
	"[39800,2000,119700,44700,7504]"
status() { q "[.checks[]|select(.name==\"$1\")|[.status,.value,.threshold]][0]"; }
expect_eq "never more than 3 receiving tiers" "$(status receiving_tiers)" '["ok",3,4]'
expect_eq "the pack's goods: 25000 / 39900" "$(status gift_pack_goods)" '["ok",6265,5000]'
expect_eq "mentor reachable by recruiting alone" "$(status level_by_recruiting)" '["warning",2,0]'
expect_eq "income mainly from recruitment" "$(status income_from_recruitment)" '["warning",8948,5000]'
expect_eq "income mainly from downlines: 12520 / 13320" "$(status income_from_downlines)" '["warning",9399,5000]'
expect_eq "recruitment-only earners" "$(status earners_from_recruitment_only)" '["warning",2500,2000]'
expect_eq "gift-pack share of sales" "$(status gift_pack_revenue)" '["warning",7504,5000]'
expect_eq "warnings" "$(q .warnings)" "5"
tk report compliance >"$WORK/c.txt"
expect_grep "text report names the warnings" "WARNING +income_from_recruitment" "$WORK/c.txt"
expect_eq "report totals still answers" "$(tk report totals --json | jq .items)" "5"

# --- a refunded pack leaves the figures
pack P3-1 E invalid 2026-11-12T10:00:00+08:00 >"$WORK/refund.jsonl"
tk orders import "$WORK/refund.jsonl" >/dev/null
tk report compliance --json >"$WORK/c.json"
# packs now 2980 + 1490 + 2980 = 7450; total 800 + 600 + 7450 = 8850
expect_eq "income after the refund" "$(q '[.income.total,.income.gift_pack_margins.amount]')" "[8850,7450]"
expect_eq "C earns nothing now" "$(q '.earners|[.total,.recruitment_only]')" "[3,0]"
expect_eq "pack sales 79800 / 119600" "$(q '.revenue|[.gift_pack_sales,.gift_pack_share_bps]')" "[79800,6672]"
expect_eq "recruitment-only earners fine now" "$(status earners_from_recruitment_only)" '["ok",0,2000]'

# --- an entry fee without goods is flagged from the plan itself
jq '.gift_packs += [{"product":"FEE","price":59900,"cost":0,"level":"super","tiers_bps":[3000]}]' \
	"$WORK/plan.json" >"$WORK/fee.json"
tk plan set "$WORK/fee.json" >/dev/null
tk report compliance --json >"$WORK/c.json"
expect_eq "entry fee without goods" "$(status entry_fee_without_goods)" '["warning",0,0]'
expect_grep "the pack is named" "FEE costs nothing" "$WORK/c.json"
expect_status "audit holds" 0 tk audit
finish

#!/usr/bin/env bash
# growth_gift_pack.sh — gift packs (礼包) end to end: the margin split by
# the pack's own tiers (never beyond tier 3), purchase -> upgrade ->
# settlement -> refund -> downgrade with the money clawed back, the level
# history, an operator's level kept, rejected rows, and the audit holding.
source "$(dirname "$0")/lib.sh"
export TUIKE_NOW=2026-11-30T12:00:00+08:00

cat >"$WORK/plan.json" <<'JSON'
{"name":"packs","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"hold_days":7,"default_level":"member",
 "levels":[{"key":"member","rate_bps":3000,"can_share":false},
  {"key":"super","rate_bps":5000},
  {"key":"mentor","rate_bps":7000,"upgrade":{"match":"all","conditions":[
    {"kind":"gift_pack"},{"kind":"direct_invites","min":2}]}},
  {"key":"partner","rate_bps":8000}],
 "gift_packs":[
  {"product":"GP399","price":39900,"cost":25000,"level":"super","tiers_bps":[2000,1000]},
  {"product":"GP3","price":39900,"cost":25000,"level":"super","tiers_bps":[1000,500,500]}]}
JSON
tk init >/dev/null
tk plan set "$WORK/plan.json" >/dev/null

# --- plans that would pay beyond tier 3 or sell below cost are refused
jq '.gift_packs[0].tiers_bps=[1000,500,500,100]' "$WORK/plan.json" >"$WORK/bad1.json"
expect_status "a 4-tier pack is refused" 2 tk plan set "$WORK/bad1.json"
expect_grep "the limit is given" "beyond tier 3" "$WORK/err"
jq '.gift_packs[0].cost=50000' "$WORK/plan.json" >"$WORK/bad2.json"
expect_status "a pack below cost is refused" 2 tk plan set "$WORK/bad2.json"
expect_grep "the cost is named" "gift_packs\[0\].cost" "$WORK/err"
jq '.gift_packs[0].tiers_bps=[6000,5000]' "$WORK/plan.json" >"$WORK/bad3.json"
expect_status "tiers paying more than the margin are refused" 2 tk plan set "$WORK/bad3.json"
expect_eq "the plan shows its packs" "$(tk plan show --json | jq -c '[.gift_packs[]|[.product,.level,.tiers_bps]]')" \
	'[["GP399","super",[2000,1000]],["GP3","super",[1000,500,500]]]'

tk member add g --level partner >/dev/null
tk member add p --parent g --level mentor >/dev/null
tk member add s --parent p --level super >/dev/null
tk member add b --parent s >/dev/null
tk member add x --parent b >/dev/null

# pack ITEM BUYER STATUS MODIFIED [PRODUCT] [QTY] [SETTLED]
pack() {
	local settled=null
	[ -n "${7:-}" ] && settled="\"$7\""
	printf '{"union":"own","item":"%s","order":"%s","status":"%s","modified_at":"%s","paid_at":"2026-11-20T10:00:00+08:00","settled_at":%s,"amount":%s,"commission":0,"quantity":%s,"product":"%s","title":"gift pack","buyer":"%s"}\n' \
		"$1" "${1%%-*}" "$3" "$4" "$settled" "$((39900 * ${6:-1}))" "${6:-1}" "${5:-GP399}" "$2"
}
splits() { tk order show own "$1" --json | jq -c '[.commission, [.splits[]|[.member,.tier,.role,.amount,.state]], .platform_share]'; }
level() { tk member show "$1" --json | jq -r .level; }

# --- a three-tier pack pays the buyer's three inviters, never the fourth
pack G1-1 x paid 2026-11-20T10:00:00+08:00 GP3 >"$WORK/g1.jsonl"
expect_eq "import" "$(tk orders import "$WORK/g1.jsonl")" '{"read":1,"applied":1,"unchanged":0,"rejected":0}'
expect_eq "margin split by the pack's tiers" "$(splits G1-1)" \
	'[14900,[["b",1,"gift_pack",1490,"pending"],["s",2,"gift_pack",745,"pending"],["p",3,"gift_pack",745,"pending"]],11920]'
expect_eq "tier 4 earns nothing" "$(bal g pending)" "0"
expect_eq "the buyer earns nothing on its own pack" "$(bal x pending)" "0"
expect_eq "the buyer is upgraded" "$(level x)" "super"

# --- purchase -> upgrade
pack G2-1 b paid 2026-11-20T10:00:00+08:00 >"$WORK/g2.jsonl"
tk orders import "$WORK/g2.jsonl" >/dev/null
expect_eq "two-tier split" "$(splits G2-1)" \
	'[14900,[["s",1,"gift_pack",2980,"pending"],["p",2,"gift_pack",1490,"pending"]],10430]'
expect_eq "b upgraded by the pack" "$(level b)" "super"
item=$(tk order show own G2-1 --json | jq .item_id)
expect_eq "history names the pack and its item" \
	"$(tk levels history b --json | jq -c "[.[]|[.from,.to,.rule,.item_id==$item]]")" \
	'[["member","super","gift_pack:GP399",true]]'
expect_eq "re-import changes nothing" "$(tk orders import "$WORK/g2.jsonl")" '{"read":1,"applied":0,"unchanged":1,"rejected":0}'
expect_eq "a pack is not a sale of its inviter" \
	"$(db_sql "SELECT count(*) FROM daily_stats WHERE dim=1 AND key IN ('s','b')")" "0"
expect_eq "but counts in the platform's totals" "$(tk report totals --json | jq .gmv)" "79800"

# --- settle and release, then refund: the upgrade and the money are undone
pack G2-1 b settled 2026-11-21T10:00:00+08:00 GP399 1 2026-11-21T10:00:00+08:00 >"$WORK/g3.jsonl"
tk orders import "$WORK/g3.jsonl" >/dev/null
tk settle --now 2026-11-28T10:00:00+08:00 >/dev/null
expect_eq "s released" "$(tk balance s --json | jq -c '[.pending,.available]')" "[745,2980]"
pack G2-1 b invalid 2026-11-29T10:00:00+08:00 >"$WORK/g4.jsonl"
tk orders import "$WORK/g4.jsonl" >/dev/null
expect_eq "b back to its level before the pack" "$(level b)" "member"
expect_eq "history keeps both changes" "$(tk levels history b --json | jq -c '[.[]|[.from,.to,.rule]]')" \
	'[["member","super","gift_pack:GP399"],["super","member","gift_pack_refund:GP399"]]'
expect_eq "the margin is clawed back from available" "$(tk balance s --json | jq -c '[.pending,.available]')" "[745,0]"
expect_eq "and from the second tier" "$(tk balance p --json | jq -c '[.pending,.available]')" "[745,0]"
expect_eq "the item holds nothing" "$(splits G2-1)" \
	'[14900,[["s",1,"gift_pack",0,"available"],["p",2,"gift_pack",0,"available"]],0]'
expect_status "audit holds after the refund" 0 tk audit

# --- the gift_pack condition, with direct invitees: mentor
tk member add x1 --parent x >/dev/null
expect_eq "one invitee is not enough" "$(level x)" "super"
tk member add x2 --parent x >/dev/null
expect_eq "pack + two invitees: mentor" "$(level x)" "mentor"
expect_eq "by its rule" "$(tk levels history x --json | jq -r '.[-1].rule')" "upgrade:mentor"
# losing the pack: the rule needs it, so x goes back to the level it bought at
pack G1-1 x invalid 2026-11-29T11:00:00+08:00 GP3 >"$WORK/g5.jsonl"
tk orders import "$WORK/g5.jsonl" >/dev/null
expect_eq "x back to member" "$(level x)" "member"

# --- an operator's level is not taken back by a refund
pack G3-1 b paid 2026-11-29T12:00:00+08:00 GP399 2 >"$WORK/g6.jsonl"
tk orders import "$WORK/g6.jsonl" >/dev/null
expect_eq "two packs: twice the margin" "$(tk order show own G3-1 --json | jq .commission)" "29800"
expect_eq "upgraded again" "$(level b)" "super"
tk member set-level b partner >/dev/null
pack G3-1 b invalid 2026-11-29T13:00:00+08:00 GP399 2 >"$WORK/g7.jsonl"
tk orders import "$WORK/g7.jsonl" >/dev/null
expect_eq "operator's level stays" "$(level b)" "partner"
expect_eq "recorded as the operator's" "$(tk levels history b --json | jq -r '.[-1].rule')" "operator"

# --- a buyer without an inviter: the platform keeps the margin, the upgrade still holds
tk member add solo >/dev/null
pack G4-1 solo paid 2026-11-29T15:00:00+08:00 >"$WORK/g9.jsonl"
tk orders import "$WORK/g9.jsonl" >/dev/null
expect_eq "no one to pay" "$(splits G4-1)" '[14900,[],14900]'
expect_eq "solo upgraded" "$(level solo)" "super"
pack G4-1 solo invalid 2026-11-29T16:00:00+08:00 >"$WORK/g10.jsonl"
tk orders import "$WORK/g10.jsonl" >/dev/null
expect_eq "solo's pack refunded" "$(level solo)" "member"
expect_eq "commission still the margin" "$(tk order show own G4-1 --json | jq -c '[.commission,.platform_share]')" "[14900,0]"

# --- rows that cannot be a pack purchase are rejected, nothing applied
pack G9-1 nobody paid 2026-11-29T14:00:00+08:00 >"$WORK/g8.jsonl"
expect_status "a pack bought by a non-member is rejected" 2 tk orders import "$WORK/g8.jsonl"
expect_grep "the buyer is named" "buyer" "$WORK/err"
expect_status "nothing of it was kept" 1 tk order show own G9-1

expect_status "audit holds" 0 tk audit
expect_eq "the ledger sums to zero" "$(tk audit --json | jq .total)" "0"
finish

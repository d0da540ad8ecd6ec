#!/usr/bin/env bash
# growth_corrections.sh — upgrades earned with orders that later stop
# earning are taken back: an item turning invalid or refunded lowers its
# sharer's and inviters' figures, and a level whose rule no longer holds on
# what still earns goes down at once (rule "revoked:UNION:ITEM"), whatever
# the plan's downgrade setting.  Granted levels stay; a level earned long
# ago is not taken back because time passed; an inviter that rose on a
# revoked member follows it; the money and the audit agree.
source "$(dirname "$0")/lib.sh"
export TUIKE_NOW=2026-11-20T12:00:00+08:00

cat >"$WORK/plan.json" <<'JSON'
{"name":"corrections","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"hold_days":7,"default_level":"member",
 "levels":[{"key":"member","rate_bps":3000,"can_share":false},
  {"key":"super","rate_bps":5000,"upgrade":{"conditions":[{"kind":"own_gmv","days":30,"min":10000}]}},
  {"key":"mentor","rate_bps":7000,"upgrade":{"conditions":[
    {"kind":"direct_at_level","level":"super","min":1},{"kind":"team_gmv","days":30,"min":20000}]}},
  {"key":"partner","rate_bps":8000,"upgrade":{"conditions":[{"kind":"own_commission","days":30,"min":5000}]}}]}
JSON
tk init >/dev/null
tk plan set "$WORK/plan.json" >/dev/null

# sale UNION ITEM MEMBER STATUS MODIFIED AMOUNT COMMISSION [PAID] [BUYER]
sale() {
	printf '{"union":"%s","item":"%s","order":"%s","status":"%s","modified_at":"%s","paid_at":"%s","amount":%s,"commission":%s,"quantity":1,"product":"p1","title":"t","buyer":"%s","member":"%s"}\n' \
		"$1" "$2" "${2%%-*}" "$4" "$5" "${8:-2026-11-15T10:00:00+08:00}" "$6" "$7" "${9:-buyer-$2}" "$3"
}
imp() { tk orders import "$WORK/rows.jsonl" "$@" >/dev/null; }
level() { tk member show "$1" --json | jq -r .level; }
history() { tk levels history "$1" --json | jq -c '[.[]|[.from,.to,.rule]]'; }

# --- one order earns super; the same item invalid takes it back
tk member add r >/dev/null
tk member add a --parent r >/dev/null
sale jd J1-1 a paid 2026-11-15T10:00:00+08:00 12000 1000 "" a >"$WORK/rows.jsonl"; imp
expect_eq "one own order of 120 yuan: super" "$(level a)" "super"
expect_eq "a earns on it" "$(bal a pending)" "300"
sale jd J1-1 a invalid 2026-11-16T10:00:00+08:00 12000 1000 "" a >"$WORK/rows.jsonl"; imp
expect_eq "the item turned invalid: back to member" "$(level a)" "member"
expect_eq "the history says why" "$(history a)" \
	'[["member","super","upgrade:super"],["super","member","revoked:jd:J1-1"]]'
expect_eq "and names the item" "$(tk levels history a --json | jq -c '.[1].item_id != null')" "true"
expect_eq "the money went back too" "$(bal a pending)" "0"
expect_eq "the same row again changes nothing" \
	"$(tk orders import "$WORK/rows.jsonl" | jq -c .applied)$(history a | jq length)" "02"

# --- an inviter that rose on the revoked member follows it
tk member add m >/dev/null
tk member add m1 --parent m >/dev/null
{ sale jd J2-1 m1 paid 2026-11-15T10:00:00+08:00 25000 1000; } >"$WORK/rows.jsonl"; imp
expect_eq "m1 super, m mentor on it" "$(level m1)$(level m)" "supermentor"
sale jd J2-1 m1 invalid 2026-11-16T10:00:00+08:00 25000 1000 >"$WORK/rows.jsonl"; imp
expect_eq "both back" "$(level m1)$(level m)" "membermember"
expect_eq "m's history" "$(history m)" '[["member","mentor","upgrade:mentor"],["mentor","member","revoked:jd:J2-1"]]'

# --- granted levels are not taken back
tk member add g --level super >/dev/null
tk member add f --level partner >/dev/null
{
	sale jd J3-1 g paid 2026-11-15T10:00:00+08:00 12000 6000
	sale jd J4-1 f paid 2026-11-15T10:00:00+08:00 12000 6000
} >"$WORK/rows.jsonl"; imp
expect_eq "g earned partner above its grant" "$(level g)" "partner"
{
	sale jd J3-1 g invalid 2026-11-16T10:00:00+08:00 12000 6000
	sale jd J4-1 f invalid 2026-11-16T10:00:00+08:00 12000 6000
} >"$WORK/rows.jsonl"; imp
expect_eq "g back to its granted super, not below" "$(level g)" "super"
expect_eq "g's history" "$(history g)" \
	'[["","super","operator"],["super","partner","upgrade:partner"],["partner","super","revoked:jd:J3-1"]]'
expect_eq "the founding partner keeps its level" "$(level f)" "partner"
expect_eq "and nothing was recorded" "$(history f)" '[["","partner","operator"]]'

# --- a refund record lowers the commission: partner no longer holds
tk member add p >/dev/null
sale taobao T1 p paid 2026-11-15T10:00:00+08:00 12000 6000 >"$WORK/rows.jsonl"; imp
expect_eq "own commission 60 yuan: partner" "$(level p)" "partner"
cat >"$WORK/refund.json" <<'JSON'
{"tbk_relation_refund_response":{"result":{"data":{"page_no":1,"page_size":100,"total_count":1,
 "results":{"result":[{"tb_trade_id":"T1","tb_trade_parent_id":"T1","relation_id":0,"special_id":0,
  "refund_status":2,"refund_fee":"40.00","tk_commission_fee_refund_pub":"20.00",
  "modified_time":"2026-11-17 10:00:00"}]}}}}}
JSON
tk orders import "$WORK/refund.json" --format taobao-refund >/dev/null
expect_eq "40 yuan left: down to super, which its sales still make" "$(level p)" "super"
expect_eq "p's last change" "$(history p | jq -c '.[-1]')" '["partner","super","revoked:taobao:T1"]'

# --- time passing is not a correction: a level earned weeks ago stays when
# a later, unrelated order fails; it goes when the order it was earned
# with fails
tk member add o >/dev/null
sale jd J5-1 o paid 2026-11-15T10:00:00+08:00 12000 100 >"$WORK/rows.jsonl"; imp
expect_eq "o earned super" "$(level o)" "super"
export TUIKE_NOW=2026-12-25T12:00:00+08:00
{
	sale jd J6-1 o paid 2026-12-24T10:00:00+08:00 500 10 2026-12-24T10:00:00+08:00
	sale jd J6-1 o invalid 2026-12-25T10:00:00+08:00 500 10 2026-12-24T10:00:00+08:00
} >"$WORK/rows.jsonl"; imp
expect_eq "a later order failing leaves o's super (downgrade: never)" "$(level o)" "super"
sale jd J5-1 o invalid 2026-12-25T10:00:00+08:00 12000 100 >"$WORK/rows.jsonl"; imp
expect_eq "the order it was earned with failing takes it back" "$(level o)" "member"
expect_eq "o's last change" "$(history o | jq -c '.[-1]')" '["super","member","revoked:jd:J5-1"]'

expect_eq "bulk evaluation finds nothing to change" \
	"$(tk levels evaluate --json | jq -c '[.upgraded,.downgraded]')" "[0,0]"
expect_status "audit holds" 0 tk audit

# --- the same with a plan counting only own sales: the inviter is not an
# upline of the figures, it follows through its direct_at_level rule
D=$(db_uri own)
jq '.levels[2].upgrade.conditions |= map(select(.kind != "team_gmv"))' "$WORK/plan.json" >"$WORK/own.json"
tk init --db "$D" >/dev/null
tk plan set "$WORK/own.json" --db "$D" >/dev/null
tk member add n --db "$D" >/dev/null
tk member add n1 --parent n --db "$D" >/dev/null
sale jd J7-1 n1 paid 2026-12-20T10:00:00+08:00 12000 100 2026-12-20T10:00:00+08:00 >"$WORK/rows.jsonl"; imp --db "$D"
expect_eq "n1 super, n mentor on it" "$(tk member show n --json --db "$D" | jq -r .level)" "mentor"
sale jd J7-1 n1 invalid 2026-12-21T10:00:00+08:00 12000 100 2026-12-20T10:00:00+08:00 >"$WORK/rows.jsonl"; imp --db "$D"
expect_eq "n follows n1 down" "$(tk levels history --json --db "$D" | jq -c '[.[]|[.member,.to,.rule]]')" \
	'[["n1","super","upgrade:super"],["n","mentor","upgrade:mentor"],["n1","member","revoked:jd:J7-1"],["n","member","revoked:jd:J7-1"]]'
expect_status "audit holds" 0 tk audit --db "$D"
finish

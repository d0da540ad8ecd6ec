#!/usr/bin/env bash
# money_core.sh — the money core end to end through the command line:
# splits, settlement, withdrawals, clawbacks, bindings and bad input.
source "$(dirname "$0")/lib.sh"
standard_plan

tk member add gp --level mentor >/dev/null
tk member add p --parent gp --level mentor >/dev/null
tk member add s --parent p --level super >/dev/null
tk member add m2 --parent gp --level super >/dev/null
expect_eq "team count" "$(tk member show gp --json | jq -c '[.direct_count,.team_count,.depth]')" "[2,3,0]"
expect_eq "depth" "$(tk member show s --json | jq .depth)" "2"

# --- the DESIGN worked example, paid then settled, then released
{
	row jd J1-1 paid 2026-11-01T10:00:00+08:00 1000 "" b1 s
	row jd J1-1 settled 2026-11-02T10:00:00+08:00 1000 2026-11-02T10:00:00+08:00 b1 s
} >"$WORK/o1.jsonl"
expect_eq "first import" "$(tk orders import "$WORK/o1.jsonl")" '{"read":2,"applied":2,"unchanged":0,"rejected":0}'
expect_eq "re-import changes nothing" "$(tk orders import "$WORK/o1.jsonl")" '{"read":2,"applied":0,"unchanged":2,"rejected":0}'
# an item moved twice within one import moves once in the ledger: each share
# goes from the union straight to frozen (accrue), with no pending -> frozen
mid() { db_sql "SELECT id FROM members WHERE ext = '$1'"; }
codes() { db_sql "SELECT code || ':' || debit || '>' || credit || ':' || amount FROM transfers WHERE item = (SELECT id FROM items WHERE item_key = '$1') ORDER BY id" | paste -sd' '; }
sorted() { tr ' ' '\n' | sort | xargs; }
expect_eq "one import, one movement per share" "$(codes J1-1 | sorted)" \
	"$(echo "1:1>$(( $(mid s) * 8 + 2 )):500 1:1>$(( $(mid p) * 8 + 2 )):200 1:1>$(( $(mid gp) * 8 + 2 )):50 1:1>2:250" | sorted)"
expect_eq "splits" "$(tk order show jd J1-1 --json | jq -c '[.splits[]|[.member,.tier,.role,.amount,.state]], .platform_share')" \
	'[["s",1,"sharer",500,"frozen"],["p",2,"differential",200,"frozen"],["gp",3,"peer_bonus",50,"frozen"]]
250'
expect_eq "frozen before the hold passes" "$(tk settle --now 2026-11-09T09:59:59+08:00)" '{"released_items":0,"released":0}'
expect_eq "released after the hold" "$(tk settle --now 2026-11-09T10:00:00+08:00)" '{"released_items":1,"released":750}'
expect_eq "s available" "$(bal s available)" "500"

# --- withdrawals: minimum, fee, approve, pay, reject, never twice the money
expect_status "below minimum" 2 tk withdraw request s 50
expect_grep "minimum named" "minimum withdrawal of 1.00 yuan" "$WORK/err"
expect_status "more than available" 1 tk withdraw request s 501
expect_grep "available named" "available balance of 5.00 yuan" "$WORK/err"
w1=$(tk withdraw request s 300 --method wechat --account "wx-s")
expect_eq "money moves to withdrawing at once" "$(tk balance s --json | jq -c '[.available,.withdrawing]')" "[200,300]"
expect_status "second request cannot spend it again" 1 tk withdraw request s 300
expect_status "pay before approval refused" 1 tk withdraw paid "$w1"
tk withdraw approve "$w1" >/dev/null
tk withdraw paid "$w1" >/dev/null
expect_eq "paid net of the 1% fee" "$(tk balance s --json | jq -c '[.available,.withdrawing,.paid]')" "[200,0,297]"
expect_status "paid twice refused" 1 tk withdraw paid "$w1"
w2=$(tk withdraw request s 200)
tk withdraw reject "$w2" --reason "asked by the member" >/dev/null
expect_eq "rejected money returns" "$(tk balance s --json | jq -c '[.available,.withdrawing]')" "[200,0]"
expect_status "reject twice refused" 1 tk withdraw reject "$w2" --reason again

# --- refund after withdrawal: a clawback makes available negative and blocks withdrawals
w3=$(tk withdraw request s 200)
tk withdraw approve "$w3" >/dev/null
tk withdraw paid "$w3" >/dev/null
row jd J1-1 invalid 2026-11-20T10:00:00+08:00 1000 "" b1 s >"$WORK/refund.jsonl"
tk orders import "$WORK/refund.jsonl" >/dev/null
expect_eq "clawback leaves a negative balance" "$(tk balance s --json | jq -c '[.available,.paid]')" "[-500,495]"
expect_eq "upline clawed back too" "$(bal p available)" "0"
expect_status "negative balance blocks withdrawal" 1 tk withdraw request s 100
expect_grep "blocked with the balance named" "available balance of -5.00 yuan" "$WORK/err"

# --- a commission reduced after settlement (and after release)
{
	row taobao T9-1 settled 2026-11-02T10:00:00+08:00 2000 2026-11-02T10:00:00+08:00 "" m2
} >"$WORK/o2.jsonl"
tk orders import "$WORK/o2.jsonl" >/dev/null
tk settle --now 2026-11-10T00:00:00+08:00 >/dev/null
expect_eq "m2 released" "$(bal m2 available)" "1000"
row taobao T9-1 settled 2026-11-12T10:00:00+08:00 1200 2026-11-02T10:00:00+08:00 "" m2 >"$WORK/o3.jsonl"
tk orders import "$WORK/o3.jsonl" >/dev/null
expect_eq "reduced commission clawed back from available" "$(bal m2 available)" "600"
expect_eq "gp's differential reduced too" "$(tk order show taobao T9-1 --json | jq -c '[.splits[]|.amount]')" "[600,240]"

# --- lifetime binding: the first link wins over a later one
{
	row pdd P1-1 paid 2026-11-03T10:00:00+08:00 1000 "" buyerX m2 L1
	row pdd P2-1 paid 2026-11-04T10:00:00+08:00 1000 "" buyerX s L2
} >"$WORK/o4.jsonl"
tk orders import "$WORK/o4.jsonl" >/dev/null
expect_eq "later link loses to the binding" "$(tk order show pdd P2-1 --json | jq -c '[.attribution, .splits[0].member]')" '["binding","m2"]'

# --- a member buying for itself is a self-purchase, even with someone's link
tk member add buyer-m --parent s >/dev/null
row jd J5-1 paid 2026-11-05T10:00:00+08:00 1000 "" buyer-m m2 >"$WORK/o5.jsonl"
tk orders import "$WORK/o5.jsonl" >/dev/null
expect_eq "self purchase earns own rate" "$(tk order show jd J5-1 --json | jq -c '[.attribution, .splits[0].member, .splits[0].role, .splits[0].amount]')" '["self_purchase","buyer-m","self",300]'

# --- an unknown member tag keeps the item, unattributed
row jd J6-1 paid 2026-11-05T10:00:00+08:00 700 "" "" nobody >"$WORK/o6.jsonl"
tk orders import "$WORK/o6.jsonl" >/dev/null
expect_eq "unattributed kept" "$(tk order show jd J6-1 --json | jq -c '[.attribution, .platform_share, (.splits|length)]')" '["none",700,0]'

# --- plan versions: an item keeps the version it was first seen with
sed 's/"rate_bps":5000/"rate_bps":6000/' "$WORK/plan.json" >"$WORK/plan2.json"
tk plan set "$WORK/plan2.json" >/dev/null
row jd J1-1 invalid 2026-11-20T10:00:00+08:00 1000 "" b1 s >/dev/null
row jd J7-1 paid 2026-11-06T10:00:00+08:00 1000 "" "" s >"$WORK/o7.jsonl"
row jd J5-1 received 2026-11-07T10:00:00+08:00 1000 "" buyer-m m2 >>"$WORK/o7.jsonl"
tk orders import "$WORK/o7.jsonl" >/dev/null
expect_eq "new item on version 2" "$(tk order show jd J7-1 --json | jq -c '[.plan_version, .splits[0].amount]')" "[2,600]"
expect_eq "old item stays on version 1" "$(tk order show jd J5-1 --json | jq -c '[.plan_version, .status]')" '[1,"received"]'

# the same two states in two imports: accrued to pending, then frozen
row jd J8-1 paid 2026-11-03T10:00:00+08:00 1000 "" b8 m2 >"$WORK/o8a.jsonl"
row jd J8-1 settled 2026-11-04T10:00:00+08:00 1000 2026-11-04T10:00:00+08:00 b8 m2 >"$WORK/o8b.jsonl"
tk orders import "$WORK/o8a.jsonl" >/dev/null
tk orders import "$WORK/o8b.jsonl" >/dev/null
expect_eq "two imports, two movements per share" "$(codes J8-1 | sed -E 's/:[0-9]+>[0-9]+:[0-9]+//g')" "1 1 1 4 4"

# --- report rollups agree with the items they summarize
totals=$(tk report totals --json)
rollup=$(db_sql "SELECT sum(orders), sum(gmv), sum(commission), sum(members_share), sum(platform_share), sum(invalid_orders), sum(new_members) FROM daily_stats WHERE dim=0" |
	jq -R 'split("|") | map(tonumber) | {items: .[0], gmv: .[1], commission: .[2], members_share: .[3],
		platform_share: .[4], invalid_items: .[5], new_members: .[6]}')
for f in items gmv commission members_share platform_share invalid_items; do
	expect_eq "daily_stats $f" "$(echo "$rollup" | jq .$f)" "$(echo "$totals" | jq .$f)"
done
expect_eq "new members counted" "$(echo "$rollup" | jq .new_members)" "5"
expect_eq "per-sharer rollup of s" "$(db_sql "SELECT sum(orders) FROM daily_stats WHERE dim=1 AND key='s'")" "1"

# --- totals and audit
expect_eq "totals balance" "$(tk report totals --json | jq '.commission == .members_share + .platform_share')" "true"
expect_status "audit holds" 0 tk audit
finish

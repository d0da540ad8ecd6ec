#!/usr/bin/env bash
# growth_levels.sh — upgrade rules through the engine: every condition kind
# moving a real member, all/any, a change rippling to the inviter, the
# history, the monthly review, and bulk evaluation agreeing with the
# incremental evaluation that registrations and orders trigger; a sale
# turning invalid takes back what it earned.
source "$(dirname "$0")/lib.sh"
export TUIKE_NOW=2026-11-20T12:00:00+08:00

rules_plan() { # FILE DOWNGRADE
	cat >"$1" <<JSON
{"name":"rules","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"hold_days":7,"default_level":"member","downgrade":"$2",
 "levels":[{"key":"member","rate_bps":3000,"can_share":false},
  {"key":"super","rate_bps":5000,"upgrade":{"match":"any","conditions":[
    {"kind":"direct_invites","min":2},{"kind":"own_gmv","days":30,"min":50000}]}},
  {"key":"mentor","rate_bps":7000,"upgrade":{"match":"all","conditions":[
    {"kind":"team_size","min":4},{"kind":"direct_at_level","level":"super","min":2}]}},
  {"key":"partner","rate_bps":8000,"upgrade":{"conditions":[
    {"kind":"team_gmv","days":30,"min":100000},{"kind":"team_commission","days":30,"min":10000},
    {"kind":"own_commission","days":7,"min":1000}]}}]}
JSON
}
rules_plan "$WORK/rules.json" never
tk init >/dev/null
tk plan set "$WORK/rules.json" >/dev/null

# sale ITEM MEMBER AMOUNT COMMISSION [PAID]
sale() {
	printf '{"union":"jd","item":"%s","order":"%s","status":"paid","modified_at":"%s","paid_at":"%s","amount":%s,"commission":%s,"quantity":1,"product":"p1","title":"t","buyer":"buyer-%s","member":"%s"}\n' \
		"$1" "${1%%-*}" "${5:-2026-11-15T10:00:00+08:00}" "${5:-2026-11-15T10:00:00+08:00}" "$3" "$4" "$1" "$2"
}
level() { tk member show "$1" --json | jq -r .level; }
last_rule() { tk levels history "$1" --json | jq -r '.[-1].rule // "none"'; }

# --- direct_invites (any): two invitees make a super member
tk member add r >/dev/null
tk member add a --parent r >/dev/null
expect_eq "one invitee: still member" "$(level a)" "member"
tk member add a1 --parent a >/dev/null
tk member add a2 --parent a >/dev/null
expect_eq "direct_invites: super" "$(level a)" "super"
expect_eq "by its rule" "$(last_rule a)" "upgrade:super"

# --- own_gmv (any) over 30 days: sales alone make a super member
tk member add b --parent r >/dev/null
sale J1-1 b 49999 100 >"$WORK/o1.jsonl"
tk orders import "$WORK/o1.jsonl" >/dev/null
expect_eq "below the threshold" "$(level b)" "member"
sale J2-1 b 1 0 >"$WORK/o2.jsonl"
tk orders import "$WORK/o2.jsonl" >/dev/null
expect_eq "own_gmv: super" "$(level b)" "super"
# sales older than the window do not count
tk member add c --parent r >/dev/null
sale J3-1 c 90000 100 2026-10-01T10:00:00+08:00 >"$WORK/o3.jsonl"
tk orders import "$WORK/o3.jsonl" >/dev/null
expect_eq "outside the 30 days" "$(level c)" "member"

# --- team_size and direct_at_level (all): r has 2 super invitees and a team of 6
expect_eq "direct_at_level + team_size: mentor, rippled up from b" "$(level r)" "mentor"
expect_eq "history of r: super by invites, then mentor" \
	"$(tk levels history r --json | jq -c '[.[]|[.from,.to,.rule]]')" \
	'[["member","super","upgrade:super"],["super","mentor","upgrade:mentor"]]'
# all: one condition short is not enough
tk member add d >/dev/null
for i in 1 2 3 4; do tk member add "d$i" --parent d >/dev/null; done
expect_eq "d: team of 4 but no super invitee" "$(level d)" "super"
tk member add d11 --parent d1 >/dev/null
tk member add d12 --parent d1 >/dev/null
expect_eq "d1 super by invites" "$(level d1)" "super"
expect_eq "d: one super invitee is not two" "$(level d)" "super"
tk member add d21 --parent d2 >/dev/null
tk member add d22 --parent d2 >/dev/null
expect_eq "d: two super invitees: mentor" "$(level d)" "mentor"

# --- team_gmv, team_commission and own_commission (all) for partner
{
	sale J4-1 d11 60000 6000
	sale J5-1 d22 39000 3000
	sale J6-1 d 1000 900
} >"$WORK/o4.jsonl"
tk orders import "$WORK/o4.jsonl" >/dev/null
expect_eq "team 100000 / 9900 commission / own 900: not yet" "$(level d)" "mentor"
sale J7-1 d 1 100 >"$WORK/o5.jsonl"
tk orders import "$WORK/o5.jsonl" >/dev/null
expect_eq "team_gmv + team_commission + own_commission: partner" "$(level d)" "partner"
expect_eq "team figures this month" "$(tk member team d --json | jq -c '.stats.this_month|[.own_gmv,.own_commission,.team_gmv,.team_commission]')" \
	"[1001,1000,100001,10000]"

# --- a sale that turns invalid takes back the levels it earned, at once,
# whatever the plan's downgrade setting (here: never)
sale J4-1 d11 60000 6000 | sed 's/"paid"/"invalid"/; s/2026-11-15T10:00:00/2026-11-16T10:00:00/' >"$WORK/o6.jsonl"
tk orders import "$WORK/o6.jsonl" >/dev/null
expect_eq "d falls back to what it still meets" "$(level d)" "mentor"
expect_eq "d11's own sales no longer make it super" "$(level d11)" "member"
expect_eq "the history names the item" "$(last_rule d)" "revoked:jd:J4-1"
expect_eq "bulk evaluation after incremental: nothing to change" \
	"$(tk levels evaluate --json | jq -c '[.mode,.upgraded,.downgraded]')" '["bulk",0,0]'
expect_status "review refused while the plan never downgrades" 2 tk levels evaluate --review

# --- the monthly review, when the plan says so: a month on, b's sales are
# out of its 30 days
rules_plan "$WORK/monthly.json" monthly
tk plan set "$WORK/monthly.json" >/dev/null
tk member set-level c partner >/dev/null
later() { TUIKE_NOW=2026-12-20T12:00:00+08:00 tk "$@"; }
expect_eq "review: b no longer meets its level" \
	"$(later levels evaluate --review --json | jq -c '[.upgraded,.downgraded]')" "[0,1]"
expect_eq "b goes down to what it still meets" "$(level b)" "member"
expect_eq "with the review as its rule" "$(last_rule b)" "review"
expect_eq "levels by invites stay" "$(level a)$(level r)" "supermentor"
expect_eq "an operator's level is kept" "$(level c)" "partner"
expect_eq "a second review changes nothing" "$(later levels evaluate --review --json | jq -c '[.upgraded,.downgraded]')" "[0,0]"
expect_status "audit holds" 0 tk audit

# --- bulk equals incremental on a generated tree and feed
tk demo generate --members 1500 --items 3 --seed 7 --now "$TUIKE_NOW" --out "$WORK/demo" >/dev/null
# each item once, as paid: every figure only grows, so the order of
# evaluation cannot matter
jq -c 'select(.status == "paid")' "$WORK/demo/orders.jsonl" | awk -F'"item":"' '{ split($2, k, "\""); if (!seen[k[1]]++) print }' >"$WORK/feed.jsonl"
rules_plan "$WORK/rules.json" never
jq '.levels |= map(del(.upgrade))' "$WORK/rules.json" >"$WORK/norules.json"
levels_of() { db_sql --db "$1" "SELECT ext || '=' || level FROM members ORDER BY id" | paste -sd' '; }
# A: rules from the start, evaluated as registrations and order batches come
A=$(db_uri a)
tk init --db "$A" >/dev/null
tk plan set "$WORK/rules.json" --db "$A" >/dev/null
tk member import "$WORK/demo/members.jsonl" --db "$A" >/dev/null
tk orders import "$WORK/feed.jsonl" --batch 200 --db "$A" >/dev/null
# B: the same data without rules, then the rules and one bulk evaluation
B=$(db_uri b)
tk init --db "$B" >/dev/null
tk plan set "$WORK/norules.json" --db "$B" >/dev/null
tk member import "$WORK/demo/members.jsonl" --db "$B" >/dev/null
tk orders import "$WORK/feed.jsonl" --batch 200 --db "$B" >/dev/null
expect_eq "B: no change before the rules (only the levels the import granted)" \
	"$(tk levels history --json --db "$B" | jq -c '[.[]|select(.rule != "import" or .from != "")]')" "[]"
tk plan set "$WORK/rules.json" --db "$B" >/dev/null
upgraded=$(tk levels evaluate --json --db "$B" | jq .upgraded)
if [ "$upgraded" -gt 0 ]; then echo "ok: bulk upgraded $upgraded members"; else fail "bulk upgraded nobody"; fi
expect_eq "bulk equals incremental, member by member" "$(levels_of "$B")" "$(levels_of "$A")"
# (incremental may record a member's way up in steps, bulk in one)
expect_eq "the same members changed, to the same levels" \
	"$(db_sql --db "$B" "SELECT DISTINCT m.ext || '>' || m.level FROM level_history h JOIN members m ON m.id = h.member ORDER BY 1" | paste -sd' ')" \
	"$(db_sql --db "$A" "SELECT DISTINCT m.ext || '>' || m.level FROM level_history h JOIN members m ON m.id = h.member ORDER BY 1" | paste -sd' ')"
expect_eq "A is at its fixpoint" "$(tk levels evaluate --json --db "$A" | jq .upgraded)" "0"
# the kept team sales equal a recount from the per-sharer statistics
kept=$(db_sql --db "$A" "SELECT sum(team_gmv * (member % 7 + 1)), sum(team_commission) FROM team_daily")
recount=$(db_sql --db "$A" "WITH RECURSIVE own(id, gmv, comm) AS (SELECT m.id, sum(s.gmv), sum(s.commission) FROM daily_stats s JOIN members m ON m.ext = s.key WHERE s.dim = 1 GROUP BY m.id), up(id, anc, gmv, comm) AS (SELECT id, id, gmv, comm FROM own UNION ALL SELECT up.id, m.parent, up.gmv, up.comm FROM up JOIN members m ON m.id = up.anc WHERE m.parent IS NOT NULL) SELECT sum(gmv * (anc % 7 + 1)), sum(comm) FROM up")
expect_eq "team sales equal a recount" "$kept" "$recount"
expect_status "audit A" 0 tk audit --db "$A"
finish

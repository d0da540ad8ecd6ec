#!/usr/bin/env bash
# growth_granted.sh — levels an operator grants stay: a member created at a
# level (`member add --level`, `member import`), or given one by
# `member set-level`, keeps it through the monthly review, which takes
# down only what rules gave; `"review_granted": true` reviews granted
# levels too.  A database made before creation left a trace is migrated.
source "$(dirname "$0")/lib.sh"
export TUIKE_NOW=2026-11-20T12:00:00+08:00

plan() { # FILE [EXTRA JSON FIELDS]
	cat >"$1" <<JSON
{"name":"granted","mode":"differential","max_tiers":3,"platform_min_bps":1000,
 "peer_bonus_bps":500,"hold_days":7,"default_level":"member","downgrade":"monthly"${2:-},
 "levels":[{"key":"member","rate_bps":3000,"can_share":false},
  {"key":"super","rate_bps":5000,"upgrade":{"conditions":[{"kind":"own_gmv","days":30,"min":50000}]}},
  {"key":"mentor","rate_bps":7000,"upgrade":{"conditions":[{"kind":"team_size","min":3}]}},
  {"key":"partner","rate_bps":8000,"upgrade":{"conditions":[{"kind":"team_gmv","days":30,"min":1000000}]}}]}
JSON
}
plan "$WORK/plan.json"
tk init >/dev/null
tk plan set "$WORK/plan.json" >/dev/null

level() { tk member show "$1" --json | jq -r .level; }
history() { tk levels history "$1" --json | jq -c '[.[]|[.from,.to,.rule]]'; }
review() { tk levels evaluate --review --json | jq -c '[.upgraded,.downgraded]'; }
sale() { # ITEM MEMBER AMOUNT
	printf '{"union":"jd","item":"%s","order":"%s","status":"paid","modified_at":"2026-11-15T10:00:00+08:00","paid_at":"2026-11-15T10:00:00+08:00","amount":%s,"commission":100,"quantity":1,"product":"p1","title":"t","buyer":"buyer-%s","member":"%s"}\n' \
		"$1" "${1%%-*}" "$3" "$1" "$2"
}

# --- granted levels leave a trace at creation
tk member add f --level partner >/dev/null                       # a founding partner
printf '{"id":"i","level":"mentor"}\n{"id":"i2","parent":"i","level":"member"}\n' >"$WORK/m.jsonl"
tk member import "$WORK/m.jsonl" >/dev/null
tk member add s >/dev/null
tk member set-level s super >/dev/null
expect_eq "created at a level: an operator's grant" "$(history f)" '[["","partner","operator"]]'
expect_eq "imported at a level: an import's grant" "$(history i)" '[["","mentor","import"]]'
expect_eq "created at the default level: nothing granted" "$(history i2)" '[]'
expect_eq "set-level: an operator's grant" "$(history s)" '[["member","super","operator"]]'

# --- earned levels: g granted super, then mentor by its rule; b super by sales
tk member add g --level super >/dev/null
for c in g1 g2 g3; do tk member add "$c" --parent g >/dev/null; done
expect_eq "g earned mentor" "$(level g)" "mentor"
tk member add b >/dev/null
sale J1-1 b 60000 >"$WORK/o1.jsonl"
tk orders import "$WORK/o1.jsonl" >/dev/null
expect_eq "b earned super" "$(level b)" "super"

# --- a month later: b's sales are out of the window, g's team shrank
export TUIKE_NOW=2026-12-25T12:00:00+08:00
tk member move g3 --root --by ops --reason "left the team" >/dev/null
expect_eq "review: only what rules gave goes down" "$(review)" "[0,2]"
expect_eq "the founding partner keeps its level" "$(level f)" "partner"
expect_eq "the imported mentor keeps its level" "$(level i)" "mentor"
expect_eq "the operator's super keeps its level" "$(level s)" "super"
expect_eq "g falls back to its granted level, not below" "$(level g)" "super"
expect_eq "g's history" "$(history g)" \
	'[["","super","operator"],["super","mentor","upgrade:mentor"],["mentor","super","review"]]'
expect_eq "b loses what its sales gave" "$(level b)" "member"
expect_eq "a second review changes nothing" "$(review)" "[0,0]"

# --- review_granted: granted levels are reviewed like earned ones
plan "$WORK/never.json"
jq '.downgrade="never" | .review_granted=true' "$WORK/never.json" >"$WORK/bad.json"
expect_status "review_granted without monthly downgrades is refused" 2 tk plan set "$WORK/bad.json"
expect_grep "the field is named" "review_granted" "$WORK/err"
jq '.review_granted="yes"' "$WORK/never.json" >"$WORK/bad2.json"
expect_status "review_granted must be a boolean" 2 tk plan set "$WORK/bad2.json"
expect_grep "the field is named" "review_granted" "$WORK/err"
expect_eq "not shown while false" "$(tk plan show --json | jq -c 'has("review_granted")')" "false"
plan "$WORK/review_granted.json" ',"review_granted":true'
tk plan set "$WORK/review_granted.json" >/dev/null
expect_eq "the plan keeps it" "$(tk plan show --json | jq -c .review_granted)" "true"
expect_eq "review: the granted levels go down too" "$(review)" "[0,4]"
expect_eq "f" "$(level f)" "member"
expect_eq "i, with one invitee" "$(level i)" "member"
expect_eq "s" "$(level s)" "member"
expect_eq "g" "$(level g)" "member"
expect_eq "f's history" "$(history f)" '[["","partner","operator"],["partner","member","review"]]'
expect_status "audit holds" 0 tk audit

# --- a database from before: members created at a level without a trace.
# Only SQLite databases come from before: PostgreSQL's schema starts at the
# current one, so there is no earlier version to migrate from.
if db_is_pg; then
	echo "skip: a database from before growth-0002 (SQLite's history only)"
	finish
	exit 0
fi
D="$WORK/old.db"
plan "$WORK/plan.json"
tk init --db "$D" >/dev/null
tk plan set "$WORK/plan.json" --db "$D" >/dev/null
tk member add of --level partner --db "$D" >/dev/null
tk member add om --level super --db "$D" >/dev/null
for c in om1 om2 om3; do tk member add "$c" --parent om --db "$D" >/dev/null; done
tk member add on --db "$D" >/dev/null
tk member add op --level mentor --db "$D" >/dev/null
tk member set-level op partner --db "$D" >/dev/null
# what the earlier version wrote: no entry at creation
db_sql --db "$D" "DELETE FROM level_history WHERE from_level = '';
	DELETE FROM schema_migrations WHERE name = 'growth-0002';"
expect_eq "before: no trace" "$(db_sql --db "$D" "SELECT count(*) FROM level_history WHERE rule = 'operator'")" "1"
tk init --db "$D" >/dev/null # (any command migrates)
expect_eq "migrated: the founding partner's grant" \
	"$(tk levels history of --json --db "$D" | jq -c '[.[]|[.from,.to,.rule]]')" '[["","partner","operator"]]'
expect_eq "migrated: the level om was created at, before its upgrade" \
	"$(tk levels history om --json --db "$D" | jq -c '[.[]|[.from,.to,.rule]]')" \
	'[["super","mentor","upgrade:mentor"],["","super","operator"]]'
expect_eq "migrated: nothing for a default member" "$(tk levels history on --json --db "$D")" "[]"
expect_eq "migrated: a later grant stands alone" \
	"$(tk levels history op --json --db "$D" | jq -c '[.[]|[.from,.to,.rule]]')" '[["mentor","partner","operator"]]'
tk member move om3 --root --by ops --reason "left the team" --db "$D" >/dev/null
expect_eq "the review keeps the migrated grants" "$(tk levels evaluate --review --json --db "$D" | jq -c '[.upgraded,.downgraded]')" "[0,1]"
expect_eq "of" "$(tk member show of --json --db "$D" | jq -r .level)" "partner"
expect_eq "om back to its grant" "$(tk member show om --json --db "$D" | jq -r .level)" "super"
finish

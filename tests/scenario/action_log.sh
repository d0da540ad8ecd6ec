#!/usr/bin/env bash
# action_log.sh — the action log against a real `tuike serve` with the
# command line beside it: each kind of operator change (a member added, a
# level, a plan, a password, settlement, a withdrawal approved, paid and
# rejected, a key created and revoked, a group created, its credentials,
# paused and resumed), made through the API or the command line, appears
# exactly once with its actor, source, before and after and reason (and
# a move in the invitation tree, an import, level evaluations, a group
# renamed and archived, a union tag set, moved and removed); a
# refused change (a bad level, a bad X-Reason) leaves no entry; secrets
# never reach the log; the database refuses to change or remove an entry;
# the listing's filters and cursor, the CSV export with its formula guard,
# and `tuike actions`.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan
CLI="cli:${USER:-$(id -un)}@$(hostname)"
WECOM_KEY=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa

# entries: the newest 100 entries, to $WORK/log.json; count and entry
# WHAT SUBJECT ACTOR [JQ]: how many entries of that kind about that subject
# by that actor, and a value of the one there is
entries() { TOKEN="$OPS" call GET "/api/v1/actions?limit=100"; cp "$WORK/body" "$WORK/log.json"; }
sel() { echo "select(.what == \"$1\" and .subject == \"$2\" and .actor == \"$3\")"; }
count() { jq "[.actions[] | $(sel "$1" "$2" "$3")] | length" "$WORK/log.json"; }
entry() { jq -c ".actions[] | $(sel "$1" "$2" "$3") | $4" "$WORK/log.json"; }
# once WHAT SUBJECT ACTOR SOURCE BEFORE AFTER REASON: exactly one such
# entry, with these
once() {
	local n
	n=$(count "$1" "$2" "$3")
	if [ "$n" != 1 ]; then
		fail "$1 $2 by $3: logged $n times, want once"
		return
	fi
	expect_eq "$1 $2: from where" "$(entry "$1" "$2" "$3" .source)" "\"$4\""
	expect_eq "$1 $2: before" "$(entry "$1" "$2" "$3" .before)" "$5"
	expect_eq "$1 $2: after" "$(entry "$1" "$2" "$3" .after)" "$6"
	expect_eq "$1 $2: reason" "$(entry "$1" "$2" "$3" .reason)" "$7"
}

# ---- changes on the command line
tk member add gp --level mentor --reason "founding mentor" >/dev/null
tk member add s --parent gp --level super >/dev/null
tk member set-level s mentor --reason "met the team target" >/dev/null
expect_status "a bad level is refused" 2 tk member set-level s vip
expect_status "a reason with a control character is refused" 2 \
	tk member set-level s partner --reason $'line\x01two'
expect_eq "and nothing changed" "$(tk member show s --json | jq -r .level)" "mentor"
OPS=$(tk apikey create console --role admin 2>/dev/null)
OLD=$(tk apikey create old --role finance 2>/dev/null)
tk apikey role 2 viewer --reason "moved to reporting" >/dev/null
tk apikey role 2 viewer >/dev/null # the same role again: no change, no entry
tk apikey revoke 2 --reason "left the team" >/dev/null
tk group add gp wecom 'g-cli' >/dev/null

start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"

# ---- changes through the API, each with its reason
EXTRA=(-H "X-Reason: new promoter, ticket 7")
expect_call "a member added" 201 POST /api/v1/members '{"id":"m13","parent":"gp","level":"super"}'
EXTRA=(-H "X-Reason: %E5%8D%87%E7%BA%A7 to partner")
expect_call "a level set" 200 PUT /api/v1/members/m13/level '{"level":"partner"}'
EXTRA=()
expect_error "a bad level refused" 400 invalid PUT /api/v1/members/m13/level '{"level":"vip"}'
EXTRA=(-H "X-Reason: bad%0Areason")
expect_error "a reason with a newline refused" 400 invalid PUT /api/v1/members/m13/level '{"level":"member"}'
expect_eq "the refusal names the header" "$(body .error.field)" "X-Reason"
EXTRA=(-H "X-Reason: 100% sure")
expect_error "a badly escaped reason refused" 400 invalid PUT /api/v1/members/m13/level '{"level":"member"}'
EXTRA=()
expect_eq "m13 is still a partner" "$(tk member show m13 --json | jq -r .level)" "partner"
jq '.name = "autumn"' "$WORK/plan.json" >"$WORK/plan2.json"
EXTRA=(-H "X-Reason: autumn rates" -H "Idempotency-Key: plan-autumn-1")
expect_call "a plan set" 200 PUT /api/v1/plan "$(cat "$WORK/plan2.json")"
EXTRA=()
expect_call "a password set" 200 PUT /api/v1/members/s/password '{"password":"correct horse"}'

# money: s earns 500 fen, released; two withdrawals
row jd J1-1 settled 2026-11-02T10:00:00+08:00 1000 2026-11-02T10:00:00+08:00 b1 s >"$WORK/o1.jsonl"
tk orders import "$WORK/o1.jsonl" >/dev/null
EXTRA=(-H "X-Reason: daily release")
expect_call "settle" 200 POST /api/v1/settle
EXTRA=()
W1=$(tk withdraw request s 200)
W2=$(tk withdraw request s 100)
expect_call "approve" 200 POST "/api/v1/withdrawals/$W1/approve"
EXTRA=(-H "X-Reason: bank ref 4471")
expect_call "paid" 200 POST "/api/v1/withdrawals/$W1/paid"
EXTRA=()
tk withdraw reject "$W2" --reason "duplicate request" >/dev/null

# groups
expect_call "a group added" 201 POST /api/v1/groups '{"member":"gp","kind":"wecom","name":"g-api"}'
G=$(body .id)
expect_call "its robot's key" 200 PUT "/api/v1/groups/$G/credentials" \
	"{\"credential\":\"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=$WECOM_KEY\"}"
expect_call "paused" 200 PATCH "/api/v1/groups/$G" '{"state":"paused"}'
tk group resume "$G" --reason "back from holiday" >/dev/null
expect_call "renamed" 200 PATCH "/api/v1/groups/$G" '{"name":"g-api-2"}'
tk group archive 1 >/dev/null

# union tags: set on the command line, moved to another member and
# removed through the API; removing an unknown one changes nothing
tk tag set m13 jd subUnionId su-13 --reason "new channel" >/dev/null
expect_call "a tag moved" 200 PUT /api/v1/tags '{"member":"gp","union":"jd","kind":"subUnionId","value":"su-13"}'
expect_call "a tag removed" 200 DELETE /api/v1/tags/jd/subUnionId/su-13
expect_error "an unknown tag" 404 not_found DELETE /api/v1/tags/jd/subUnionId/su-13

# the invitation tree, an import, the level rules
tk member move s --root --by ops --reason "split the team" >/dev/null
printf '{"id":"i1"}\n{"id":"i2","parent":"i1"}\n{"id":"i3","parent":"nobody"}\n' >"$WORK/members.jsonl"
tk member import "$WORK/members.jsonl" >/dev/null 2>&1 || true
tk levels evaluate >/dev/null
tk levels evaluate m13 i1 >/dev/null

# ---- the log
entries
conforms "the listing" ActionPage
expect_eq "nothing the refusals left" "$(jq '[.actions[] | select(.after.level == "vip" or .after.level == "member" and .subject == "member:m13")] | length' "$WORK/log.json")" "0"
once plan.set plan "$CLI" cli 'null' '{"version":1,"name":"default"}' null
once member.create member:gp "$CLI" cli null '{"id":"gp","parent":null,"level":"mentor","name":""}' '"founding mentor"'
once member.level member:s "$CLI" cli '{"level":"super"}' '{"level":"mentor"}' '"met the team target"'
once key.create key:1 "$CLI" cli null "$(jq -nc --arg p "${OPS:0:9}" '{name:"console",prefix:$p,role:"admin",revoked:false}')" null
once key.role key:2 "$CLI" cli "$(jq -nc '{name:"old",role:"finance",revoked:false}')" "$(jq -nc --arg p "${OLD:0:9}" '{name:"old",prefix:$p,role:"viewer",revoked:false}')" '"moved to reporting"'
once key.revoke key:2 "$CLI" cli "$(jq -nc '{name:"old",role:"viewer",revoked:false}')" "$(jq -nc --arg p "${OLD:0:9}" '{name:"old",prefix:$p,role:"viewer",revoked:true}')" '"left the team"'
expect_eq "an operator's entry carries its key's role" "$(entry member.level member:m13 key:console .role)" '"admin"'
expect_eq "the command line's carries none" "$(entry key.create key:1 "$CLI" .role)" null
once group.create group:1 "$CLI" cli null '{"name":"g-cli","kind":"wecom","state":"active","owner":"gp"}' null
once member.create member:m13 key:console 127.0.0.1 null '{"id":"m13","parent":"gp","level":"super","name":""}' '"new promoter, ticket 7"'
once member.level member:m13 key:console 127.0.0.1 '{"level":"super"}' '{"level":"partner"}' '"升级 to partner"'
once plan.set plan key:console 127.0.0.1 '{"version":1,"name":"default"}' '{"version":2,"name":"autumn"}' '"autumn rates"'
expect_eq "the plan's request key" "$(entry plan.set plan key:console .request_id)" '"plan-autumn-1"'
once member.password member:s key:console 127.0.0.1 null '{"password":"changed"}' null
once settle ledger key:console 127.0.0.1 null '{"as_of":"2026-11-20T10:00:00+08:00","released_items":1,"released_fen":750}' '"daily release"'
once withdrawal.approve "withdrawal:$W1" key:console 127.0.0.1 '{"status":"requested","member":"s","amount":200,"fee":2}' '{"status":"approved","member":"s","amount":200,"fee":2}' null
once withdrawal.pay "withdrawal:$W1" key:console 127.0.0.1 '{"status":"approved","member":"s","amount":200,"fee":2}' '{"status":"paid","member":"s","amount":200,"fee":2}' '"bank ref 4471"'
once withdrawal.reject "withdrawal:$W2" "$CLI" cli '{"status":"requested","member":"s","amount":100,"fee":1}' '{"status":"rejected","member":"s","amount":100,"fee":1,"reason":"duplicate request"}' '"duplicate request"'
once group.create "group:$G" key:console 127.0.0.1 null '{"name":"g-api","kind":"wecom","state":"active","owner":"gp"}' null
once group.credentials "group:$G" key:console 127.0.0.1 '{"credentials":"none"}' '{"credentials":"changed"}' null
once group.pause "group:$G" key:console 127.0.0.1 '{"state":"active"}' '{"state":"paused","cancelled_sends":0}' null
once group.resume "group:$G" "$CLI" cli '{"state":"paused"}' '{"state":"active","cancelled_sends":0}' '"back from holiday"'
once group.update "group:$G" key:console 127.0.0.1 '{"name":"g-api","kind":"wecom","state":"active","owner":"gp"}' '{"name":"g-api-2","kind":"wecom","state":"active","owner":"gp"}' null
once group.archive group:1 "$CLI" cli '{"state":"active"}' '{"state":"archived","cancelled_sends":0}' null
once member.move member:s "$CLI" cli '{"parent":"gp"}' '{"parent":null}' '"split the team"'
once member.import "file:$WORK/members.jsonl" "$CLI" cli null '{"read":3,"applied":2,"unchanged":0,"rejected":1}' null
once tag.set tag:jd/subUnionId/su-13 "$CLI" cli null '{"member":"m13","channel":null}' '"new channel"'
once tag.set tag:jd/subUnionId/su-13 key:console 127.0.0.1 '{"member":"m13","channel":null}' '{"member":"gp","channel":null}' null
once tag.delete tag:jd/subUnionId/su-13 key:console 127.0.0.1 '{"member":"gp","channel":null}' null null
expect_eq "two evaluations" "$(jq -c '[.actions[] | select(.what == "levels.evaluate") | .after.members]' "$WORK/log.json")" '[["m13","i1"],null]'
expect_eq "a member's own withdrawal request is not an operator action" \
	"$(jq '[.actions[] | select(.what == "withdrawal.request")] | length' "$WORK/log.json")" "0"
expect_eq "every entry counted" "$(jq '.actions | length' "$WORK/log.json")" "30"
expect_eq "newest first" "$(jq '[.actions[].id] == ([.actions[].id] | sort | reverse)' "$WORK/log.json")" "true"

# secrets never reach the log
for secret in "$WECOM_KEY" "correct horse" "$OPS" "$OLD"; do
	if grep -qF -- "$secret" "$WORK/log.json"; then fail "a secret in the log: ${secret:0:6}…"; fi
done
echo "ok: no secret in the log"

# ---- filters, paging, who may read it
expect_call "by subject" 200 GET "/api/v1/actions?subject=member:m13"
expect_eq "m13's entries" "$(body '[.actions[].what] | join(",")')" "member.level,member.create"
expect_call "by actor and kind" 200 GET "/api/v1/actions?actor=$(jq -rn --arg a "$CLI" '$a|@uri')&what=member.create"
expect_eq "the command line's additions" "$(body '[.actions[].subject] | join(",")')" "member:s,member:gp"
expect_call "by day" 200 GET "/api/v1/actions?from=2026-11-20&to=2026-11-20&limit=1"
expect_eq "a page of one" "$(body '.actions | length')" "1"
NEXT=$(body .next)
expect_call "the next page" 200 GET "/api/v1/actions?from=2026-11-20&to=2026-11-20&limit=1&before=$NEXT"
expect_eq "older" "$(body ".actions[0].id < $NEXT")" "true"
expect_call "another day" 200 GET "/api/v1/actions?from=2026-11-21"
expect_eq "nothing then" "$(jq -c '[(.actions | length), .next]' "$WORK/body")" "[0,null]"
expect_error "a bad day" 400 invalid GET "/api/v1/actions?from=2026-13-01"
TOKEN=""
expect_call "s logs in" 200 POST /api/v1/auth/login '{"member":"s","password":"correct horse"}'
TOKEN=$(body .token)
expect_error "a member may not read the log" 403 forbidden GET /api/v1/actions
expect_error "nor export it" 403 forbidden GET /api/v1/actions.csv
TOKEN="$OPS"

# ---- the CSV export: the same entries, formulas made inert
EXTRA=(-H "X-Reason: =HYPERLINK(\"http://x\")")
expect_call "a reason that looks like a formula" 200 PUT /api/v1/members/gp/level '{"level":"partner"}'
EXTRA=()
expect_call "the export" 200 GET "/api/v1/actions.csv?subject=member:gp"
expect_grep "a CSV" "^Content-Type: text/csv" "$WORK/headers"
expect_eq "its header" "$(head -1 "$WORK/body" | tr -d '\r')" "id,at,actor,role,source,what,subject,before,after,reason,request_id"
expect_eq "one line per entry" "$(($(wc -l <"$WORK/body") - 1))" "2"
expect_grep "the formula made inert" ",\"'=HYPERLINK\(\"\"http://x\"\"\)\"," "$WORK/body"

# ---- the command line reads it too
expect_eq "tuike actions --json" "$(tk actions --json --what withdrawal.reject | jq -c '[.actor, .subject, .reason]')" \
	"[\"$CLI\",\"withdrawal:$W2\",\"duplicate request\"]"
tk actions export --what plan.set >"$WORK/plans.csv"
expect_eq "tuike actions export" "$(wc -l <"$WORK/plans.csv")" "3"
tk actions --subject member:m13 >"$WORK/table.txt"
expect_grep "the table" "member.level .*\{\"level\":\"super\"\} -> \{\"level\":\"partner\"\}" "$WORK/table.txt"

# ---- append-only: the database itself refuses
if db_sql "UPDATE actions SET reason = 'edited' WHERE id = 1" 2>"$WORK/err"; then
	fail "an entry was changed"
else
	expect_grep "a change refused" "append-only" "$WORK/err"
fi
if db_sql "DELETE FROM actions" 2>"$WORK/err"; then
	fail "entries were removed"
else
	expect_grep "a removal refused" "append-only" "$WORK/err"
fi
expect_eq "all still there" "$(db_sql "SELECT count(*) FROM actions")" "31"
stop_server
finish

#!/usr/bin/env bash
# operator_roles.sh — operator roles against a real `tuike serve`: every
# write the OpenAPI document lists (every operation but a GET, public ones
# aside) is refused to a viewer key and to a viewer's operator session with
# 403 forbidden_role, so that a new write route cannot slip through open;
# the document's x-roles say the same as the server; finance approves a
# withdrawal but cannot set a plan, operations sets a level but cannot mark
# a withdrawal paid, admin does everything; operator sessions act as their
# key, expire, end at logout, and end when the key is revoked or given
# another role.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan

tk member add gp --level mentor >/dev/null
tk member add p --parent gp --level mentor >/dev/null
tk member add s --parent p --level super >/dev/null
row jd J1-1 settled 2026-11-02T10:00:00+08:00 1000 2026-11-02T10:00:00+08:00 b1 s >"$WORK/o1.jsonl"
tk orders import "$WORK/o1.jsonl" >/dev/null
tk settle >/dev/null
W1=$(tk withdraw request s 100)
W2=$(tk withdraw request s 100)

ADMIN=$(tk apikey create boss --role admin 2>/dev/null)
FINANCE=$(tk apikey create books --role finance 2>/dev/null)
OPERATIONS=$(tk apikey create floor --role operations 2>/dev/null)
VIEWER=$(tk apikey create glance 2>"$WORK/viewer.err")
expect_grep "a key is a viewer unless told" '\(viewer\) created' "$WORK/viewer.err"
expect_eq "the list shows each role" "$(tk apikey list --json | jq -r '.role' | paste -sd, -)" \
	"admin,finance,operations,viewer"
expect_status "an unknown role is refused" 2 tk apikey create x --role root
expect_grep "the roles named" "admin, finance, operations or viewer" "$WORK/err"

start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"

TOKEN=$VIEWER
expect_call "a viewer opens an operator session" 201 POST /api/v1/auth/operator-session
conforms "operator session" OperatorSession
VIEWER_SESSION=$(body .token)
expect_eq "the session token's prefix" "${VIEWER_SESSION:0:4}" "tko_"
expect_eq "the session carries the role" "$(body .role)" "viewer"
expect_eq "8 hours by default" "$(body .expires_at)" "2026-11-20T18:00:00+08:00"
EXTRA=(-H "Idempotency-Key: same")
expect_call "a keyed session" 201 POST /api/v1/auth/operator-session
first=$(body .token)
expect_call "the same key again" 201 POST /api/v1/auth/operator-session
EXTRA=()
expect_eq "a session token is never replayed (nor kept for a replay)" \
	"$([ "$first" != "$(body .token)" ] && echo fresh)" "fresh"
expect_call "the viewer reads" 200 GET /api/v1/reports/summary
expect_call "the viewer reads a withdrawal" 200 GET "/api/v1/withdrawals/$W1"
TOKEN=$VIEWER_SESSION
expect_call "who: the viewer's session" 200 GET /api/v1/me
conforms "me as an operator session" Me
expect_eq "me: role and session" "$(body '[.kind, .key, .role, .session] | @csv')" \
	'"operator","glance","viewer",true'
expect_error "a session cannot open another" 403 forbidden POST /api/v1/auth/operator-session

# ---- every write in the document, refused to a viewer (key and session)
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[]
	| select(.key != "get" and .value["x-tuike-auth"] != "public")
	| "\(.key | ascii_upcase) \($p) \(.value["x-roles"] | join(","))"' \
	"$WORK/openapi.json" >"$WORK/writes"
# the only writes a viewer may make: its own session's start and end
EXEMPT="POST /api/v1/auth/operator-session|POST /api/v1/auth/logout"
n=0
while read -r method pattern roles; do
	path=$(echo "$pattern" | sed -E 's/\{[^}]+\}/1/g')
	if echo "$method $pattern" | grep -qxE "$EXEMPT"; then
		expect_eq "$method $pattern: x-roles has viewer" "$(echo ",$roles," | grep -c ',viewer,')" "1"
		continue
	fi
	n=$((n + 1))
	expect_eq "$method $pattern: x-roles leaves viewer out" \
		"$(echo ",$roles," | grep -c ',viewer,' || true)" "0"
	for who in key session; do
		if [ $who = key ]; then TOKEN=$VIEWER; else TOKEN=$VIEWER_SESSION; fi
		call "$method" "$path" '{}'
		if [ "$STATUS" != 403 ] || [ "$(body .error.code)" != forbidden_role ]; then
			fail "viewer $who: $method $pattern: status $STATUS, $(head -c 300 "$WORK/body")"
		fi
	done
	expect_grep "$method $pattern: the refusal names both roles" \
		"needs the role .*; this key's role is viewer" "$WORK/body"
done <"$WORK/writes"
echo "ok: $n writes refused to a viewer"
[ "$n" -ge 25 ] || fail "only $n writes found in the document"
# one read is not everyone's: the payout file holds every payee's account
TOKEN=$VIEWER
expect_error "a viewer may not download the payout file" 403 forbidden_role GET /api/v1/payout.csv
TOKEN=$VIEWER_SESSION
expect_error "nor may a viewer's session" 403 forbidden_role GET /api/v1/payout.csv

# ---- finance: money, not plans
TOKEN=$FINANCE
expect_call "finance approves a withdrawal" 200 POST "/api/v1/withdrawals/$W1/approve"
expect_error "finance cannot set a plan" 403 forbidden_role PUT /api/v1/plan "$(cat "$WORK/plan.json")"
expect_grep "needs admin" "needs the role admin; this key's role is finance" "$WORK/body"
expect_error "finance cannot set a level" 403 forbidden_role PUT /api/v1/members/s/level '{"level":"mentor"}'
expect_call "finance downloads the payout file" 200 GET /api/v1/payout.csv

# ---- operations: members, not money
TOKEN=$OPERATIONS
expect_call "operations sets a level" 200 PUT /api/v1/members/s/level '{"level":"mentor"}'
expect_error "operations cannot mark paid" 403 forbidden_role POST "/api/v1/withdrawals/$W1/paid"
expect_grep "needs finance" "needs the role finance or admin; this key's role is operations" "$WORK/body"
expect_error "operations cannot settle" 403 forbidden_role POST /api/v1/settle
expect_error "operations cannot download the payout file" 403 forbidden_role GET /api/v1/payout.csv
expect_call "operations may try a split" 200 POST /api/v1/plan/simulate \
	'{"commission":1000,"chain":[{"level":"super"},{"level":"mentor"}]}'

# ---- admin: everything
TOKEN=$ADMIN
expect_call "admin marks paid" 200 POST "/api/v1/withdrawals/$W1/paid"
expect_call "admin rejects" 200 POST "/api/v1/withdrawals/$W2/reject" '{"reason":"wrong account"}'
expect_call "admin sets a plan" 200 PUT /api/v1/plan "$(cat "$WORK/plan.json")"
expect_call "admin sets a level" 200 PUT /api/v1/members/s/level '{"level":"super"}'
expect_call "admin sets a password" 200 PUT /api/v1/members/s/password '{"password":"correct horse"}'
expect_error "a key does not log out" 400 invalid POST /api/v1/auth/logout

# ---- member sessions are as before
TOKEN=""
expect_call "s logs in" 200 POST /api/v1/auth/login '{"member":"s","password":"correct horse"}'
TOKEN=$(body .token)
expect_call "s sees its balance" 200 GET /api/v1/members/s/balance
expect_error "s is no operator" 403 forbidden PUT /api/v1/members/s/level '{"level":"mentor"}'

# ---- sessions end: logout, revoke, another role
TOKEN=$VIEWER_SESSION
expect_call "the viewer logs out" 200 POST /api/v1/auth/logout
expect_error "its session is gone" 401 unauthorized GET /api/v1/me
TOKEN=$VIEWER
expect_call "the key still works" 200 GET /api/v1/me
TOKEN=$OPERATIONS
expect_call "operations opens a session" 201 POST /api/v1/auth/operator-session
OPS_SESSION=$(body .token)
TOKEN=$OPS_SESSION
expect_call "the session sets a level as its key would" 200 PUT /api/v1/members/s/level '{"level":"mentor"}'
OPS_ID=$(tk apikey list --json | jq -r 'select(.name == "floor") | .id')
tk apikey role "$OPS_ID" viewer >/dev/null
expect_error "another role ends the session" 401 unauthorized GET /api/v1/me
TOKEN=$OPERATIONS
expect_error "the key is a viewer now" 403 forbidden_role PUT /api/v1/members/s/level '{"level":"super"}'
tk apikey role "$OPS_ID" operations >/dev/null
expect_call "operations again, a new session" 201 POST /api/v1/auth/operator-session
OPS_SESSION=$(body .token)
tk apikey revoke "$OPS_ID" >/dev/null
TOKEN=$OPS_SESSION
expect_error "revoking the key ends its session" 401 unauthorized GET /api/v1/me
TOKEN=$FINANCE
expect_call "finance opens a session" 201 POST /api/v1/auth/operator-session
FIN_SESSION=$(body .token)
stop_server

# ---- sessions expire: 8 hours by default, --operator-session-hours N
export TUIKE_NOW=2026-11-20T18:00:01+08:00
start_server
TOKEN=$FIN_SESSION
expect_error "expired after 8 hours" 401 unauthorized GET /api/v1/me
stop_server
export TUIKE_NOW=2026-11-20T10:00:00+08:00
start_server --operator-session-hours 12
TOKEN=$FINANCE
expect_call "a 12-hour session" 201 POST /api/v1/auth/operator-session
expect_eq "12 hours" "$(body .expires_at)" "2026-11-20T22:00:00+08:00"
FIN_SESSION=$(body .token)
stop_server
export TUIKE_NOW=2026-11-20T21:59:59+08:00
start_server
TOKEN=$FIN_SESSION
expect_call "valid until its end" 200 GET /api/v1/me
stop_server
expect_status "more than a week is refused" 2 tk serve --operator-session-hours 169

finish

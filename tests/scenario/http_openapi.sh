#!/usr/bin/env bash
# http_openapi.sh — the OpenAPI document matches the server: every
# operation it lists is answered by the server (not "no such route", not
# "method not allowed"), with the authentication it declares (401 without
# a credential when it names a security scheme, never 401 when it does
# not); and what it does not list, the server does not answer.  The unit
# test test_http_pure checks that the document holds exactly the routes
# the server dispatches with.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
standard_plan
start_server --access-log off
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
expect_eq "a document" "$(jq -r .openapi "$WORK/openapi.json")" "3.0.3"
expect_eq "its server is where it is served" "$(jq -r '.servers[0].url' "$WORK/openapi.json")" "/"

# every operation: METHOD PATH SECURED
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[]
	| "\(.key | ascii_upcase) \($p) \((.value.security | length) > 0)"' \
	"$WORK/openapi.json" >"$WORK/ops.txt"
n=$(wc -l <"$WORK/ops.txt")
expect_eq "operations listed" "$((n >= 30))" "1"
TOKEN=""
while read -r method path secured; do
	concrete=$(sed 's/{[^}]*}/x/g' <<<"$path")
	call "$method" "$concrete"
	code=$(jq -r '.error.code // ""' "$WORK/body" 2>/dev/null || true)
	if [ "$STATUS" = 405 ] || { [ "$STATUS" = 404 ] && [ "$code" = not_found ] &&
		grep -q "no such route" "$WORK/body"; }; then
		fail "$method $path: documented but not answered ($STATUS)"
	elif [ "$secured" = true ] && [ "$STATUS" != 401 ]; then
		fail "$method $path: declares a credential but answered $STATUS without one"
	elif [ "$secured" = false ] && [ "$STATUS" = 401 ]; then
		fail "$method $path: declares no credential but asked for one"
	else
		echo "ok: $method $path ($STATUS)"
	fi
done <"$WORK/ops.txt"

# what the document does not list is not answered
expect_error "an undocumented path" 404 not_found GET /api/v1/undocumented
expect_error "an undocumented method" 405 method_not_allowed PATCH /api/v1/members/x
expect_error "outside the API" 404 not_found GET /admin
stop_server
finish

#!/usr/bin/env bash
# http_plan_edit.sh — what the console's plan editor leans on, against a
# real `tuike serve`: POST /plan/validate checks a draft exactly as PUT
# /plan would (the canonical document, or the refusal naming the field)
# and saves nothing; GET /plan/versions lists every version newest first
# with its date and who set it (the action log), page by page.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan

ADMIN=$(tk apikey create console --role admin 2>/dev/null)
VIEWER=$(tk apikey create look --role viewer 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$ADMIN"

PLAN=$(jq -c . "$WORK/plan.json")
# ---- validate: a good draft, its canonical form, nothing saved
expect_call "a good draft" 200 POST /api/v1/plan/validate "$(jq -c '.levels[1].rate_bps = 5125' <<<"$PLAN")"
conforms "plan check" PlanCheck
expect_eq "ok" "$(body .ok)" "true"
expect_eq "the rate as sent, in bps" "$(body '.plan.levels[1].rate_bps')" "5125"
expect_eq "what it could pay" "$(body '.plan.max_payout_bps')" "8500"
expect_call "still version 1" 200 GET /api/v1/plan
expect_eq "nothing saved" "$(body .version)" "1"

# over budget: differential max(rate) 9000 + peer bonus 500 > 10000 - 1000
expect_error "over budget" 400 invalid POST /api/v1/plan/validate "$(jq -c '.levels[3].rate_bps = 9000' <<<"$PLAN")"
expect_eq "the budget field" "$(body .error.field)" "platform_min_bps"
expect_error "a rate out of range" 400 invalid POST /api/v1/plan/validate "$(jq -c '.levels[2].rate_bps = 10001' <<<"$PLAN")"
expect_eq "the level's rate named" "$(body .error.field)" "levels[2].rate_bps"
expect_error "a duplicate key" 400 invalid POST /api/v1/plan/validate "$(jq -c '.levels[2].key = "super"' <<<"$PLAN")"
expect_grep "the duplicate named" "levels\[2\]" "$WORK/body"
expect_error "an unknown default level" 400 invalid POST /api/v1/plan/validate "$(jq -c '.default_level = "boss"' <<<"$PLAN")"
expect_eq "default_level named" "$(body .error.field)" "default_level"
expect_error "not JSON" 400 invalid POST /api/v1/plan/validate '{"name":'
TOKEN="$VIEWER"
expect_error "a viewer may not check drafts (admin's)" 403 forbidden_role POST /api/v1/plan/validate "$PLAN"
TOKEN="$ADMIN"
expect_call "no version added by the checks" 200 GET /api/v1/plan/versions
expect_eq "one version" "$(body '.versions | length')" "1"

# ---- versions: two more, one over the API (actor key:console)
expect_call "version 2" 200 PUT /api/v1/plan "$(jq -c '.name = "second" | .levels[1].rate_bps = 5500' <<<"$PLAN")"
TUIKE_NOW=2026-11-21T09:30:00+08:00 tk plan set "$WORK/plan.json" >/dev/null
expect_call "versions" 200 GET /api/v1/plan/versions
conforms "versions" PlanVersions
expect_eq "newest first" "$(body '[.versions[].version]|@csv')" "3,2,1"
expect_eq "names" "$(body '[.versions[].name]|@csv')" '"default","second","default"'
expect_eq "version 2 set by the key" "$(body '.versions[1].actor')" "key:console"
expect_eq "version 3 from the command line" "$(body '.versions[0].actor | startswith("cli:")')" "true"
expect_eq "dated" "$(body '.versions[0].created_at')" "2026-11-21T09:30:00+08:00"
expect_eq "no next page" "$(body .next)" "null"
TOKEN="$VIEWER"
expect_call "a viewer reads them (a GET)" 200 GET "/api/v1/plan/versions?limit=2"
expect_eq "first page" "$(body '[.versions[].version]|@csv')" "3,2"
expect_eq "a cursor" "$(body .next)" "2"
expect_call "second page" 200 GET "/api/v1/plan/versions?limit=2&before=2"
expect_eq "the rest" "$(body '[.versions[].version]|@csv')" "1"
expect_eq "its actor" "$(body '.versions[0].actor | startswith("cli:")')" "true"
expect_eq "the end" "$(body .next)" "null"
expect_error "a bad limit" 400 invalid GET "/api/v1/plan/versions?limit=0"

finish

#!/usr/bin/env bash
# error_keys.sh — error answers carry a message key and named params beside
# the English message, on both backends (the taken member id comes from
# the store): a taken id, an unknown invite, a withdrawal below the
# minimum and over the balance, a plan over its budget and one naming a
# level in an unknown locale, a reversed and an overlong report range, an
# error with no key of its own (its code, with the field); every key
# answered is in the OpenAPI document's x-error-keys with the params it
# carries; a level's names by locale are kept and listed in a member's /me.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-20T10:00:00+08:00
standard_plan

tk member add gp --level mentor >/dev/null
tk member add p --parent gp --level mentor >/dev/null
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"

bodyc() { jq -c "$1" "$WORK/body"; }

# key KEY [PARAMS_JSON]: the last answer's key, its params (field left
# out), and both listed in x-error-keys
key() {
	local want=$1 params=${2:-}
	expect_eq "key $want" "$(body .error.key)" "$want"
	[ -n "$params" ] && expect_eq "$want: params" "$(bodyc '.error.params | del(.field)')" "$params"
	expect_eq "$want: listed with its params" "$(jq -r --arg k "$want" --argjson got "$(bodyc '.error.params | del(.field) | keys')" \
		'.["x-error-keys"][$k] as $e | $e != null and ($got - $e.params | length == 0)' "$WORK/openapi.json")" "true"
}

TOKEN="$OPS"
expect_call "a password for p" 200 PUT /api/v1/members/p/password '{"password":"battery staple"}'
expect_error "a taken id" 409 conflict POST /api/v1/members '{"id":"p"}'
key member.id_taken '{"id":"p"}'
expect_eq "the field as a param too" "$(body .error.params.field)" "id"
expect_error "an unknown parent" 400 invalid POST /api/v1/members '{"id":"q","parent":"nobody"}'
key member.unknown_parent '{"parent":"nobody"}'

TOKEN=""
code=$(tk member show gp --json | jq -r .invite_code)
bad="${code:0:7}$([ "${code:7:1}" = A ] && echo B || echo A)"
expect_error "sign-up with an invite code naming no member" 400 invalid POST /api/v1/auth/register \
	"{\"invite\":\"$bad\",\"id\":\"newbie\",\"password\":\"correct horse\"}"
expect_grep "an invite key" '^invite\.(unknown|malformed)$' <(body .error.key)
key "$(body .error.key)"
expect_error "sign-up with a short password" 400 invalid POST /api/v1/auth/register \
	"{\"invite\":\"$code\",\"id\":\"newbie\",\"password\":\"short\"}"
key auth.password_length '{"min":8,"max":128}'

expect_call "p logs in" 200 POST /api/v1/auth/login '{"member":"p","password":"battery staple"}'
TOKEN=$(body .token)
expect_error "a withdrawal below the minimum" 400 invalid POST /api/v1/withdrawals '{"amount":50}'
key withdraw.below_minimum '{"amount_fen":50,"minimum_fen":100}'
expect_grep "the English message stays" "0.50 yuan is below the plan's minimum withdrawal of 1.00 yuan" <(body .error.message)
expect_error "a withdrawal over the balance" 409 insufficient_funds POST /api/v1/withdrawals '{"amount":123456}'
key withdraw.over_available '{"amount_fen":123456,"available_fen":0}'
expect_error "a reversed range" 400 invalid GET "/api/v1/reports/summary?member=p&from=2026-11-10&to=2026-11-01"
key range.from_after_to '{}'
expect_error "an overlong range" 400 limit_exceeded GET "/api/v1/reports/summary?member=p&from=2024-01-01&to=2026-11-01"
key range.too_long '{"max_days":366}'
expect_error "a date that is none" 400 invalid GET "/api/v1/reports/summary?member=p&from=2026-02-30"
key range.bad_date '{"value":"2026-02-30"}'
expect_call "p's /me lists the levels" 200 GET /api/v1/me
expect_eq "without names while the plan gives none" "$(bodyc '[.levels[] | .key]')" '["member","super","mentor","partner"]'

TOKEN="$OPS"
jq '.platform_min_bps = 9000' "$WORK/plan.json" >"$WORK/greedy.json"
expect_error "a plan over its budget" 400 invalid PUT /api/v1/plan "$(cat "$WORK/greedy.json")"
key plan.over_budget '{"pay_bps":8500,"max_bps":1000}'
expect_eq "the field" "$(body .error.field)" "platform_min_bps"
jq '.levels[3].names = {"fr": "Associé"}' "$WORK/plan.json" >"$WORK/fr.json"
expect_error "a name in an unknown locale" 400 invalid PUT /api/v1/plan "$(cat "$WORK/fr.json")"
key plan.name_locale '{"locale":"fr"}'
expect_eq "the field path" "$(body .error.field)" "levels[3].names.fr"
jq '.levels[3].names = {"zh-CN": "合伙人", "en": "Partner"}' "$WORK/plan.json" >"$WORK/named.json"
expect_call "a plan naming a level in both" 200 PUT /api/v1/plan "$(cat "$WORK/named.json")"
expect_eq "the names kept" "$(bodyc '.levels[3].names')" '{"zh-CN":"合伙人","en":"Partner"}'
expect_error "an error with no key of its own" 404 not_found GET /api/v1/members/nobody
expect_eq "its key is its code" "$(body .error.key)" "not_found"

TOKEN=$(curl -s -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d '{"member":"p","password":"battery staple"}' | jq -r .token)
expect_call "p's /me" 200 GET /api/v1/me
conforms "me" Me
expect_eq "the level names by locale" "$(bodyc '.levels[3]')" '{"key":"partner","name":"Partner","names":{"zh-CN":"合伙人","en":"Partner"}}'
finish

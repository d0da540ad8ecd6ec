#!/usr/bin/env bash
# taobao_authorize.sh — the promoter page's Taobao authorization walk-through
# against the mock union (tests/feeds/mock_union.py), driven with curl as a
# browser would: start (POST /api/v1/me/taobao/authorize) -> Taobao's
# authorize page -> the callback -> the tag registered and stored, the
# browser back on the promoter page with the outcome.  A state comes back
# once and within 10 minutes; a refusal (the member's, or Taobao's with its
# code and words) reaches the page; the session key is never shown, logged
# or stored.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'stop_mocks; for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
tk member add alice >/dev/null
tk member add bob --parent alice >/dev/null
tagval() { tk tag list --json | jq -r ".[]|select(.member==\"$1\" and .union==\"taobao\" and .kind==\"$2\")|.value"; }
# frag KEY: a value of the fragment the last callback redirected to
frag() {
	python3 -c 'import sys, urllib.parse
loc = open(sys.argv[1]).read()
print(urllib.parse.parse_qs(loc.partition("#")[2]).get(sys.argv[2], [""])[0])' "$WORK/location" "$1"
}
# browse URL: follows Taobao's authorize page (the mock answers at once)
# to where it sends the browser back: the callback URL, into CALLBACK
browse() { CALLBACK=$(curl -s -o /dev/null -w '%{redirect_url}' "$1"); }
# come_back: the browser at the callback; its redirect into $WORK/location
come_back() {
	local status
	status=$(curl -s -o /dev/null -D "$WORK/cb.headers" -w '%{http_code} %{redirect_url}' "$1")
	echo "${status#* }" >"$WORK/location"
	expect_eq "the callback redirects" "${status%% *}" "302"
	tr -d '\r' <"$WORK/cb.headers" >>"$WORK/all-answers"
}
# start KIND: the logged-in member starts an authorization; its URL in AUTH_URL
start() {
	expect_call "start ($1)" 201 POST /api/v1/me/taobao/authorize "{\"kind\":\"$1\"}"
	AUTH_URL=$(body .url)
	cat "$WORK/body" >>"$WORK/all-answers"
}
login() {
	TOKEN=$KEY
	expect_call "password for $1" 200 PUT "/api/v1/members/$1/password" '{"password":"correct horse"}'
	expect_call "$1 logs in" 200 POST /api/v1/auth/login "{\"member\":\"$1\",\"password\":\"correct horse\"}"
	TOKEN=$(body .token)
}

cat >"$WORK/data.json" <<'JSON'
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]}}
JSON
start_mock r "$WORK/data.json"
TB=("taobao.channel_invite_code = CHAN01" "taobao.member_invite_code = MEMB01"
	"taobao.oauth_url = http://127.0.0.1:$MOCK_PORT/authorize")
write_conf "$WORK/c.conf" "$MOCK_PORT" "${TB[@]}"
KEY=$(tk apikey create ops --role admin | grep -o 'tk_[A-Za-z0-9_-]*' | head -1)
start_server --config "$WORK/c.conf"
login alice

# --- what the page is told it can offer
expect_call "me" 200 GET /api/v1/me
expect_eq "both kinds can be authorized" "$(body '.taobao_authorize|join(",")')" "relation_id,special_id"

# --- the walk-through
start relation_id
expect_eq "Taobao's authorize page (the configured one)" "${AUTH_URL%%\?*}" "http://127.0.0.1:$MOCK_PORT/authorize"
q=$(python3 -c 'import sys, urllib.parse, json
print(json.dumps({k: v[0] for k, v in urllib.parse.parse_qs(sys.argv[1].partition("?")[2]).items()}))' "$AUTH_URL")
expect_eq "code flow with the app key, for the phone" "$(jq -r '[.response_type, .client_id, .view]|@csv' <<<"$q")" \
	'"code","taobao-key","wap"'
expect_eq "back to the server's callback" "$(jq -r .redirect_uri <<<"$q")" "$URL/auth/taobao/callback"
expect_grep "a random state" '^tbst_[A-Za-z0-9_-]{43}$' <(jq -r .state <<<"$q")
expect_eq "the state is not stored in the clear" "$(db_dump | grep -c "$(jq -r .state <<<"$q")" || true)" "0"
browse "$AUTH_URL"
expect_grep "Taobao sends the member back with a code and the state" "^$URL/auth/taobao/callback\?code=code-1-.*&state=tbst_" <(echo "$CALLBACK")
come_back "$CALLBACK"
expect_grep "back on the promoter page" "^$URL/m/#taobao=ok" "$WORK/location"
expect_eq "the outcome: the channel id" "$(frag kind),$(frag value)" "relation_id,2700000001"
expect_eq "the relation_id is alice's tag" "$(tagval alice relation_id)" "2700000001"
expect_eq "the code was exchanged once, signed" \
	"$(jq -s '[.[]|select(.method=="taobao.top.auth.token.create" and .ok)]|length' "$WORK/r.log")" "1"
expect_eq "registered with the issued session and the channel's scenes" \
	"$(jq -sc '[.[]|select(.method=="taobao.tbk.sc.publisher.info.save")]|last|[.ok, .has_session, .info_type, .note]' "$WORK/r.log")" \
	'[true,true,"1","alice"]'
expect_call "the page reads the tags" 200 GET /api/v1/members/alice/tags
expect_eq "and finds the channel id" "$(body '.tags[]|select(.kind=="relation_id")|.value')" "2700000001"

# --- a state comes back once
come_back "$CALLBACK"
expect_eq "the same callback again is refused" "$(frag taobao),$(frag code)" "error,state_used"
expect_eq "Taobao was not asked again" \
	"$(jq -s '[.[]|select(.method=="taobao.top.auth.token.create")]|length' "$WORK/r.log")" "1"
come_back "$URL/auth/taobao/callback?code=code-9&state=tbst_nosuchstatenosuchstatenosuchstatenosuchst"
expect_eq "an unknown state is refused" "$(frag code)" "state_unknown"
come_back "$URL/auth/taobao/callback?code=code-9"
expect_eq "no state at all" "$(frag code)" "state_unknown"

# --- the member id (会员) too
start special_id
browse "$AUTH_URL"
come_back "$CALLBACK"
expect_eq "a special_id" "$(frag taobao),$(frag kind),$(frag value)" "ok,special_id,5100000002"
expect_eq "stored" "$(tagval alice special_id)" "5100000002"

# --- Taobao refuses the code: its code and words reach the page
start relation_id
state=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.parse_qs(sys.argv[1].partition("?")[2])["state"][0])' "$AUTH_URL")
come_back "$URL/auth/taobao/callback?code=forged-code&state=$state"
expect_eq "the refusal, with Taobao's code" "$(frag taobao),$(frag code),$(frag union_code)" \
	"error,union_refused,15/isv.invalid-code"
expect_grep "and its words" "Taobao refused the authorization: error 15/isv.invalid-code: .*授权码无效" <(frag message)

# --- an operator key cannot authorize for a member
TOKEN=$KEY
expect_error "an operator key" 403 forbidden POST /api/v1/me/taobao/authorize '{"kind":"relation_id"}'
login bob
expect_error "an unknown kind" 400 invalid POST /api/v1/me/taobao/authorize '{"kind":"adzone_id"}'

# --- a state older than 10 minutes
start relation_id
browse "$AUTH_URL"
stop_server
TUIKE_NOW=2026-11-10T10:10:01+08:00 start_server --config "$WORK/c.conf"
come_back "$URL/auth/taobao/callback?${CALLBACK#*\?}" # the restarted server's port
expect_eq "an expired state is refused" "$(frag taobao),$(frag code)" "error,state_expired"
expect_eq "nothing registered for bob" "$(tagval bob relation_id)" ""
stop_server

# --- the member refuses at Taobao
start_mock d "$WORK/data.json" --deny-authorize
write_conf "$WORK/d.conf" "$MOCK_PORT" "taobao.channel_invite_code = CHAN01" \
	"taobao.member_invite_code = MEMB01" "taobao.oauth_url = http://127.0.0.1:$MOCK_PORT/authorize"
start_server --config "$WORK/d.conf"
login bob
start relation_id
browse "$AUTH_URL"
expect_grep "sent back with Taobao's error" "error=access_denied" <(echo "$CALLBACK")
come_back "$CALLBACK"
expect_eq "denied, in Taobao's words" "$(frag taobao),$(frag code),$(frag union_code),$(frag message)" \
	"error,denied,access_denied,用户拒绝授权"
expect_eq "Taobao's token API not called" "$(jq -s '[.[]|select(.method=="taobao.top.auth.token.create")]|length' "$WORK/d.log")" "0"
stop_server

# --- Taobao refuses the registration (the 私域 permission missing)
start_mock p "$WORK/data.json" --deny-convert taobao
write_conf "$WORK/p.conf" "$MOCK_PORT" "taobao.channel_invite_code = CHAN01" \
	"taobao.member_invite_code = MEMB01" "taobao.oauth_url = http://127.0.0.1:$MOCK_PORT/authorize"
start_server --config "$WORK/p.conf"
login bob
start relation_id
browse "$AUTH_URL"
come_back "$CALLBACK"
expect_eq "the union's refusal with its code" "$(frag taobao),$(frag code),$(frag union_code)" \
	"error,union_refused,11/isv.permission-api-package-limit"
expect_grep "and its words" "Taobao refused the registration: error 11/isv.permission-api-package-limit: .*私域备案权限未开通" <(frag message)
expect_eq "nothing stored for bob" "$(tagval bob relation_id)" ""
expect_grep "the operator's log says why" "Taobao authorization of member bob \(relation_id\): .*Taobao refused the registration" "$WORK/serve.err"
stop_server

# --- not configured: nothing offered, the start refused
write_conf "$WORK/n.conf" "$MOCK_PORT"
start_server --config "$WORK/n.conf"
login bob
expect_call "me without invite codes" 200 GET /api/v1/me
expect_eq "nothing offered" "$(body '.taobao_authorize|length')" "0"
expect_error "start refused" 409 not_configured POST /api/v1/me/taobao/authorize '{"kind":"special_id"}'
expect_grep "naming the setting" "taobao.member_invite_code" <(body .error.field)
stop_server

# --- the session keys Taobao issued never left the server
sessions=$(cat "$WORK/r.log" "$WORK/p.log" | jq -r 'select(.method=="taobao.tbk.sc.publisher.info.save")|.seq' | wc -l)
expect_eq "sessions were issued and used" "$([ "$sessions" -ge 3 ] && echo yes)" "yes"
for f in "$WORK/serve.out" "$WORK/serve.err" "$WORK/all-answers" "$WORK/location"; do
	expect_eq "no session key in $(basename "$f")" "$(grep -c 'sess-tok' "$f" || true)" "0"
done
expect_eq "no session key in the database" "$(db_dump | grep -c 'sess-tok' || true)" "0"
expect_eq "no code in the access log" "$(grep -c 'code-1-' "$WORK/serve.out" || true)" "0"
finish

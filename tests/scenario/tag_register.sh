#!/usr/bin/env bash
# tag_register.sh — `tuike tag register` and POST /api/v1/members/{id}/tags/register
# against the mock unions (tests/feeds/mock_union.py): a JD position, a
# Taobao channel or member with the member's session, a Pinduoduo pid; the
# tag stored as `tag set` stores it and then used by `tuike link convert`;
# asking again calls nothing (unless --force); refusals in words with the
# union's code; failures now and then retried; the session never kept.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'stop_mocks; for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
feed_members
tk member add carol --parent alice >/dev/null
tk member add dave --parent alice >/dev/null
link_hash() { printf '%s|%s' "$1" "$2" | md5sum | cut -c1-10; }
calls() { jq -s "[.[]|select(.method==\"$1\")]|length" "$WORK/r.log"; }
tagval() { tk tag list --json | jq -r ".[]|select(.member==\"$1\" and .union==\"$2\" and .kind==\"$3\")|.value"; }

cat >"$WORK/data.json" <<'JSON'
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "convert_items": {"jd": ["100012043978"], "taobao": ["652011223344"], "pdd": ["3345678"]}}
JSON
start_mock r "$WORK/data.json"
REG=("jd.union_id = 1001" "jd.position_key = jd-position-key" "taobao.channel_invite_code = CHAN01"
	"taobao.member_invite_code = MEMB01" "taobao.pid = mm_11_22_33" "pdd.pid = 1001_2002")
write_conf "$WORK/c.conf" "$MOCK_PORT" "${REG[@]}"
C=(--config "$WORK/c.conf")

# --- JD: a private position named for the member
expect_status "jd registration" 0 tk tag register carol jd "${C[@]}"
expect_eq "a positionId from JD" "$(jq -r '[.kind, .value, .registered]|@csv' "$WORK/out")" \
	'"positionId","3000000001",true'
expect_eq "stored as tag set stores it" "$(tagval carol jd positionId)" "3000000001"
expect_eq "JD was asked for a position named carol" \
	"$(jq -sc '[.[]|select(.method=="jd.union.open.position.create")][0]|[.names, .type]' "$WORK/r.log")" \
	'[["carol"],3]'
expect_status "asked again" 0 tk tag register carol jd "${C[@]}"
expect_eq "told it is held, nothing registered" "$(jq -r '[.value, .registered]|@csv' "$WORK/out")" \
	'"3000000001",false'
expect_grep "in words" "carol already has a registered jd positionId tag \(3000000001\); nothing was asked" "$WORK/err"
expect_eq "JD was not called again" "$(calls jd.union.open.position.create)" "1"
expect_status "--force asks for a new one" 0 tk tag register carol jd --force "${C[@]}"
JD_POS=$(jq -r .value "$WORK/out")
expect_eq "a new positionId" "$JD_POS" "3000000002"
expect_eq "JD called twice in all" "$(calls jd.union.open.position.create)" "2"
expect_eq "the held one stays (orders through its links still count)" \
	"$(tagval carol jd positionId | sort | paste -sd,)" "3000000001,3000000002"
expect_status "link convert with the registered position" 0 tk link convert jd 100012043978 --member carol --json "${C[@]}"
expect_eq "the union link carries carol's first position" "$(jq -r .short_url "$WORK/out")" \
	"https://u.jd.com/$(link_hash https://item.jd.com/100012043978.html 3000000001)"
tk tag remove jd positionId 3000000001
expect_status "after the old one is removed" 0 tk link convert jd 100012043978 --member carol --json "${C[@]}"
expect_eq "the union link carries the new position" "$(jq -r .short_url "$WORK/out")" \
	"https://u.jd.com/$(link_hash https://item.jd.com/100012043978.html "$JD_POS")"

# --- Taobao: the member's own authorization
expect_status "taobao without a session" 2 tk tag register carol taobao "${C[@]}"
expect_grep "the session is asked for" "session.*member's own authorization" "$WORK/err"
expect_eq "Taobao not called" "$(calls taobao.tbk.sc.publisher.info.save)" "0"
expect_status "taobao with a stale session" 1 tk tag register carol taobao --session sess-stale "${C[@]}"
expect_grep "refusal in words with Taobao's code" \
	"Taobao refused the registration: error 27/invalid-sessionkey: Invalid session: 用户授权已失效" "$WORK/err"
expect_eq "the session is not in the message" "$(grep -c sess-stale "$WORK/err" || true)" "0"
expect_status "taobao channel registration" 0 tk tag register carol taobao --session sess-carol "${C[@]}"
TB_REL=$(jq -r .value "$WORK/out")
expect_eq "a relation_id for the channel" "$(jq -r '[.kind, .account_name, .registered]|@csv' "$WORK/out")" \
	'"relation_id","tb_carol",true'
expect_eq "with the channel's invite code and scenes, info_type 1" \
	"$(jq -sc '[.[]|select(.method=="taobao.tbk.sc.publisher.info.save" and .has_session)]|last|[.info_type, .note]' "$WORK/r.log")" \
	'["1","carol"]'
expect_status "held: no session needed, nothing called" 0 tk tag register carol taobao "${C[@]}"
expect_eq "told it is held" "$(jq -r '[.value, .registered]|@csv' "$WORK/out")" "\"$TB_REL\",false"
expect_status "taobao member registration" 0 tk tag register carol taobao special_id --session sess-carol "${C[@]}"
expect_eq "a special_id" "$(jq -r '[.kind, .registered]|@csv' "$WORK/out")" '"special_id",true'
expect_status "link convert with the registered relation_id" 0 tk link convert taobao 652011223344 --member carol --json "${C[@]}"
expect_eq "Taobao's link for carol's relation_id" "$(jq -r .short_url "$WORK/out")" \
	"https://s.click.taobao.com/$(link_hash 652011223344 "$TB_REL")"
expect_eq "no session kept in the database" "$(db_dump | grep -c sess-carol || true)" "0"

# --- Pinduoduo: a pid
expect_status "pdd registration" 0 tk tag register carol pdd "${C[@]}"
PDD_PID=$(jq -r .value "$WORK/out")
expect_eq "a p_id" "$(jq -r '[.kind, .registered]|@csv' "$WORK/out")" '"p_id",true'
expect_grep "shaped like Pinduoduo's" "^1001_2[0-9]{7}$" <(echo "$PDD_PID")
tk tag set carol pdd uid m-carol >/dev/null
expect_status "link convert with the registered pid" 0 tk link convert pdd 3345678 --member carol "${C[@]}"
expect_eq "the conversion used carol's pid" \
	"$(jq -sr '[.[]|select(.method=="pdd.ddk.goods.promotion.url.generate")]|last|.pid' "$WORK/r.log")" "$PDD_PID"

# --- errors in words
expect_status "a kind the union does not register" 2 tk tag register carol jd subUnionId "${C[@]}"
expect_grep "names the kinds" "jd registers positionId through its API" "$WORK/err"
write_conf "$WORK/nokey.conf" "$MOCK_PORT" "jd.union_id = 1001"
expect_status "no JD key configured" 2 tk tag register dave jd --config "$WORK/nokey.conf"
expect_grep "names the setting" "jd.position_key" "$WORK/err"
write_conf "$WORK/badkey.conf" "$MOCK_PORT" "jd.union_id = 1001" "jd.position_key = expired-key"
expect_status "a key JD refuses" 1 tk tag register dave jd --config "$WORK/badkey.conf"
expect_grep "JD's code and message" "JD refused the registration: error 403: key与unionId不匹配或已过期" "$WORK/err"
expect_eq "nothing stored for dave" "$(tagval dave jd positionId)" ""
stop_mocks
start_mock d "$WORK/data.json" --deny-convert pdd
write_conf "$WORK/d.conf" "$MOCK_PORT" "${REG[@]}"
expect_status "pdd refuses" 1 tk tag register dave pdd --config "$WORK/d.conf"
expect_grep "Pinduoduo's code and message" "Pinduoduo refused the registration: error 60002: 该媒体未备案" "$WORK/err"
stop_mocks

# --- failures now and then: retried
start_mock f "$WORK/data.json" --fail-every 2
write_conf "$WORK/f.conf" "$MOCK_PORT" "${REG[@]}"
expect_status "jd registration (the first request answers)" 0 tk tag register dave jd --config "$WORK/f.conf"
expect_status "jd registration through a failure" 0 tk tag register bob jd --config "$WORK/f.conf"
expect_eq "registered after a retry" "$(jq -r '[.registered, .requests]|@csv' "$WORK/out")" "true,2"

# --- the API
key=$(tk apikey create ops --role admin | grep -o 'tk_[A-Za-z0-9_-]*' | head -1)
start_server --config "$WORK/f.conf"
TOKEN=$key
expect_call "pdd registration for dave" 201 POST /api/v1/members/dave/tags/register '{"union":"pdd"}'
expect_eq "registered" "$(body '[.member, .kind, .registered]|@csv')" '"dave","p_id",true'
expect_call "asked again" 200 POST /api/v1/members/dave/tags/register '{"union":"pdd","kind":"p_id"}'
expect_eq "held, not registered" "$(body .registered)" "false"
expect_error "a stale Taobao session" 502 union_refused POST /api/v1/members/dave/tags/register \
	'{"union":"taobao","session":"sess-stale"}'
expect_eq "the union's code" "$(body '[.error.union, .error.union_code]|@csv')" '"taobao","27/invalid-sessionkey"'
expect_error "an unknown kind" 400 invalid POST /api/v1/members/dave/tags/register '{"union":"jd","kind":"uid"}'
expect_call "taobao for dave with his session" 201 POST /api/v1/members/dave/tags/register \
	'{"union":"taobao","kind":"special_id","session":"sess-bob"}'
expect_eq "a special_id" "$(body .kind)" "special_id"
expect_eq "no session in the server's log" "$(grep -c 'sess-' "$WORK/serve.err" || true)" "0"
stop_server
finish

#!/usr/bin/env bash
# groups_base.sh — a member's chat groups: `tuike group` add/list/show/set/
# secret/pause/resume/archive with their limits; credentials taken from a
# pasted webhook URL and never shown again (only a hint), nor in any output
# or log; a group's union tags (by hand, or registered through the mock
# union with the group's name) and orders coming back as the group's
# (items.channel = the group's key): a JD row with the group's positionId,
# a PDD row with sid = the key, a Taobao row with the group's relation_id.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'stop_mocks; for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
feed_members
show() { tk order show "$1" "$2" --json | jq -c "$3"; }
WECOM_KEY=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa
TG_TOKEN=123456789:AAE-tgsecrettoken-xyz9
DT_TOKEN=dingtalkaccesstoken0042
FS_TOKEN=feishuhooktoken-f00d
FS_SECRET=feishusignsecret77
ALL_OUT="$WORK/all-output"
: >"$ALL_OUT"
# gtk ARGS...: tk, its output and errors kept for the secret check at the end
gtk() { tk "$@" 2>>"$ALL_OUT" | tee -a "$ALL_OUT"; }

# --- adding groups
expect_eq "a WeCom group" "$(gtk group add alice wecom '早安群' | jq -c '[.id,.channel,.owner,.kind,.state,.credentials]')" \
	'[1,"g1","alice","wecom","active",{"set":false}]'
gtk group add alice telegram tg-night --settings '{"schedule":{"times":["09:00","20:00"]},"dedup_days":3}' >/dev/null
gtk group add bob dingtalk bob-dt >/dev/null
gtk group add alice manual hand >/dev/null
expect_status "an unknown kind" 2 tk group add alice qq x
expect_grep "kinds named" "kind: must be wecom, dingtalk, feishu, telegram or manual" "$WORK/err"
expect_status "a name over 64 bytes" 2 tk group add alice wecom "$(printf 'x%.0s' {1..65})"
expect_grep "name limit" "name: must be 1..64 bytes, got 65" "$WORK/err"
expect_status "settings out of range" 2 tk group add alice wecom x --settings '{"dedup_days":91}'
expect_grep "the field named" "settings.dedup_days: must be an integer 0..90, got 91" "$WORK/err"
expect_status "an unknown settings field" 2 tk group add alice wecom x --settings '{"colour":1}'
expect_grep "unknown field" 'settings: unknown key "colour"' "$WORK/err"
head -c 17000 /dev/zero | tr '\0' ' ' >"$WORK/big.json"
expect_status "settings over 16 KB" 1 tk group add alice wecom x --settings "@$WORK/big.json"
expect_grep "size limit" "settings: is [0-9]* bytes; the limit is 16384" "$WORK/err"
expect_status "an unknown member" 1 tk group add nobody wecom x
expect_eq "list, newest first" "$(tk group list --json | jq -c '[.[].id]')" '[4,3,2,1]'
expect_eq "list by member" "$(tk group list --member bob --json | jq -c '[.[].name]')" '["bob-dt"]'
expect_eq "paged" "$(tk group list --limit 2 --before 4 --json | jq -c '[.[].id]')" '[3,2]'
expect_eq "settings kept" "$(tk group show 2 | jq -c .settings.schedule.times)" '["09:00","20:00"]'
expect_eq "set name and settings" "$(gtk group set 2 --name tg-evening --settings '{"dedup_days":5}' | jq -c '[.name,.settings]')" \
	'["tg-evening",{"dedup_days":5}]'

# --- credentials: from the pasted URL, shown only as a hint
expect_eq "WeCom key from its webhook URL" \
	"$(gtk group secret 1 "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=$WECOM_KEY" | jq -c .credentials)" \
	'{"set":true,"hint":"5aaa"}'
expect_eq "stored as the key alone" "$(db_sql "SELECT credential FROM group_secrets WHERE grp=1")" "$WECOM_KEY"
expect_eq "DingTalk token from its robot URL, signed" \
	"$(gtk group secret 3 "https://oapi.dingtalk.com/robot/send?access_token=$DT_TOKEN" --sign-secret SECdt99 | jq -c .credentials)" \
	'{"set":true,"hint":"0042"}'
expect_eq "signing secret kept" "$(db_sql "SELECT sign_secret FROM group_secrets WHERE grp=3")" "SECdt99"
expect_status "Telegram needs a chat id" 2 tk group secret 2 "$TG_TOKEN"
expect_grep "chat id named" "chat_id: a Telegram group needs its chat id" "$WORK/err"
expect_eq "Telegram token from stdin, chat id shown" \
	"$(echo "$TG_TOKEN" | gtk group secret 2 - --chat-id -1001234 | jq -c '[.credentials,.chat_id]')" \
	'[{"set":true,"hint":"xyz9"},"-1001234"]'
expect_status "a WeCom URL without a key" 2 tk group secret 1 "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?foo=SECRETVALUE77"
expect_grep "what was expected" "credential: must be a WeCom webhook URL" "$WORK/err"
if grep -q SECRETVALUE77 "$WORK/err" "$WORK/out"; then fail "a refused credential was echoed"; else echo "ok: a refused credential is not echoed"; fi
expect_status "a manual group has no credential" 2 tk group secret 4 abc
expect_status "a sign secret for WeCom" 2 tk group secret 1 "$WECOM_KEY" --sign-secret x
expect_eq "the hint, never the key, in listings" "$(gtk group list --json | jq -c '[.[]|.credentials.hint]')" \
	'[null,"0042","xyz9","5aaa"]'

# --- pause, resume, archive
expect_eq "pause" "$(gtk group pause 1 | jq -r .state)" "paused"
expect_eq "by state" "$(tk group list --state paused --json | jq -c '[.[].id]')" '[1]'
expect_eq "resume" "$(gtk group resume 1 | jq -r .state)" "active"
db_sql "INSERT INTO send_jobs(grp, slot, due_at, union_, product, next_at, created_at) VALUES (4, 100, 100, 'jd', 'p1', 100, 1)"
db_sql "INSERT INTO send_jobs(grp, slot, due_at, union_, product, state, next_at, created_at, sent_at) VALUES (4, 50, 50, 'jd', 'p0', 'sent', 50, 1, 50)"
expect_eq "archive cancels pending sends" "$(gtk group archive 4 | jq -c '[.state,.cancelled_sends]')" '["archived",1]'
expect_eq "the sent one stays" "$(db_sql "SELECT state FROM send_jobs ORDER BY slot" | paste -sd,)" "sent,cancelled"
expect_status "an archived group is not resumed" 1 tk group resume 4
expect_status "an unknown group" 1 tk group show 99
expect_grep "named" "no group 99" "$WORK/err"

# --- a group's union tags
expect_eq "a tag by hand" "$(gtk group tag 1 taobao relation_id 8101 | jq -c '[.channel,.member,.value]')" \
	'["g1","alice","8101"]'
expect_eq "listed with the group's channel" \
	"$(tk tag list --union taobao --json | jq -c '[.[]|select(.value=="8101")|[.member,.channel]]')" '[["alice","g1"]]'
expect_status "an unknown tag kind" 2 tk group tag 1 jd pid x
cat >"$WORK/data.json" <<'JSON'
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "convert_items": {"jd": ["100012043978"], "taobao": ["652011223344"], "pdd": ["3345678"]}}
JSON
start_mock r "$WORK/data.json"
write_conf "$WORK/c.conf" "$MOCK_PORT" "jd.union_id = 1001" "jd.position_key = jd-position-key"
expect_status "a JD position registered for the group" 0 gtk group tag 1 register jd --config "$WORK/c.conf"
POS=$(jq -r .value "$WORK/out")
expect_eq "registered with the group's channel" "$(jq -c '[.channel,.kind,.registered]' "$WORK/out")" '["g1","positionId",true]'
expect_eq "named for the group" \
	"$(jq -sc '[.[]|select(.method=="jd.union.open.position.create")][0].names' "$WORK/r.log")" '["早安群"]'
expect_status "asked again: held, nothing called" 0 tk group tag 1 register jd --config "$WORK/c.conf"
expect_eq "still one call" "$(jq -s '[.[]|select(.method=="jd.union.open.position.create")]|length' "$WORK/r.log")" "1"
expect_eq "the member's own tags leave the group's out" \
	"$(tk tag list --json | jq -c "[.[]|select(.member==\"alice\" and (.channel|not))|.kind]")" \
	'["subUnionId","uid","relation_id"]'

# --- links for a group: its key, and the union conversion made with its tags
prow() { printf '{"union":"%s","product":"%s","title":"%s","category":"日用百货","price":5990,"commission_bps":2000,"sales":100,"url":"%s"}\n' "$@"; }
{
	prow jd 100012043978 "JD 好物" https://item.jd.com/100012043978.html
	prow pdd 3345678 "拼多多好物" "https://mobile.yangkeduo.com/goods.html?goods_id=3345678"
} >"$WORK/catalog.jsonl"
tk products import "$WORK/catalog.jsonl" >/dev/null
write_conf "$WORK/c2.conf" "$MOCK_PORT" "jd.union_id = 1001" "jd.position_key = jd-position-key" \
	"pdd.pid = 1001_2002"
lastconv() { jq -sc "[.[]|select(.method==\"$1\")]|last|$2" "$WORK/r.log"; }
expect_status "a JD link for the group" 0 tk link create alice --product jd:100012043978 --group 1 --json --config "$WORK/c2.conf"
expect_eq "it carries the group's key" "$(jq -r .channel "$WORK/out")" "g1"
JDCONV=$(jq -rs '[.[]|select(.material)]|last|.method' "$WORK/r.log")
expect_eq "converted with the group's positionId" "$(lastconv "$JDCONV" .position)" "\"$POS\""
expect_status "the member's own link to it" 0 tk link create alice --product jd:100012043978 --json --config "$WORK/c2.conf"
expect_eq "converted without the group's position" "$(lastconv "$JDCONV" .position)" "null"
expect_eq "two conversions: the group's and the member's" \
	"$(db_sql "SELECT channel FROM conversions ORDER BY id" | paste -sd/)" "g1/"
expect_status "a second group link reuses the group's conversion" 0 tk link create alice --product jd:100012043978 --group 1 --json --config "$WORK/c2.conf"
expect_eq "no third call" "$(jq -s "[.[]|select(.method==\"$JDCONV\")]|length" "$WORK/r.log")" "2"
expect_status "another member's group" 1 tk link create bob --product jd:100012043978 --group 1 --config "$WORK/c2.conf"
expect_grep "refused in words" '"g1" is another member.s group' "$WORK/err"
expect_status "an archived group" 1 tk link create alice --product jd:100012043978 --group 4 --config "$WORK/c2.conf"
expect_status "a PDD link for the group" 0 tk link create alice --product pdd:3345678 --group 1 --json --config "$WORK/c2.conf"
expect_eq "sid is the group's key, uid the member's" \
	"$(jq -sc '[.[]|select(.sid != null)]|last|[.sid,.tag]' "$WORK/r.log")" '["g1","m-alice"]'

# --- orders come back as the group's
jd_reply() { # ID POSITION SUBUNIONID
	jq -c --arg id "$1" --argjson pos "$2" --arg sub "$3" \
		'.jd_union_open_order_row_query_responce.queryResult |= (fromjson
		 | .data = [.data[0] | .id=$id | .orderId=(.orderId+1) | .positionId=$pos | .subUnionId=$sub]
		 | tojson)' "$TUIKE_FIXTURES/jd/tags.json"
}
jd_reply G1 "$POS" "" >"$WORK/jd1.json"
tk orders import "$WORK/jd1.json" --format jd >/dev/null
expect_eq "a JD row with the group's positionId" "$(show jd G1 '[.attribution,.splits[0].member,.channel]')" \
	'["tag","alice","g1"]'
jd_reply G2 "$POS" m-alice >"$WORK/jd2.json"
tk orders import "$WORK/jd2.json" --format jd >/dev/null
expect_eq "with the member's subUnionId first: still the group's" "$(show jd G2 '[.splits[0].member,.channel]')" \
	'["alice","g1"]'
jd_reply G3 3001 m-alice >"$WORK/jd3.json"
tk orders import "$WORK/jd3.json" --format jd >/dev/null
expect_eq "the member's own tags: no group" "$(show jd G3 '[.splits[0].member,.channel]')" '["alice",""]'

pdd_reply() { # ORDER CUSTOM
	jq -c --arg sn "$1" --arg cp "$2" \
		'.order_list_get_response.order_list = [.order_list_get_response.order_list[]
		 | select(.order_status == 1)][:1] | .order_list_get_response.order_list[0] |= (.order_sn=$sn | .custom_parameters=$cp)' \
		"$TUIKE_FIXTURES/pdd/every_status.json"
}
pdd_reply PG1 '{"uid":"m-alice","sid":"g1"}' >"$WORK/pdd1.json"
tk orders import "$WORK/pdd1.json" --format pdd >/dev/null
expect_eq "a PDD row with sid = the group's key" "$(show pdd PG1 '[.splits[0].member,.channel]')" '["alice","g1"]'

tb_row() { # ITEM RELATION_ID
	jq -c --arg t "$1" --arg r "$2" \
		'.tbk_order_details_get_response.data.results.publisher_order_dto[0]
		 | .trade_id=$t | .trade_parent_id=("P"+$t) | .special_id=0
		 | .relation_id=($r|tonumber) | .tk_status=12 | .tk_paid_time="2026-11-02 10:00:00"
		 | .modified_time="2026-11-02 10:00:00" | .tk_create_time="2026-11-02 10:00:00"' \
		"$TUIKE_FIXTURES/taobao/every_status.json" |
		jq -s '{tbk_order_details_get_response:{data:{results:{publisher_order_dto:.},has_next:false}}}'
}
tb_row TG1 8101 >"$WORK/tb1.json"
tk orders import "$WORK/tb1.json" --format taobao >/dev/null
expect_eq "a Taobao row with the group's relation_id" "$(show taobao TG1 '[.attribution,.splits[0].member,.channel]')" \
	'["tag","alice","g1"]'
tb_row TG2 8002 >"$WORK/tb2.json"
tk orders import "$WORK/tb2.json" --format taobao >/dev/null
expect_eq "the member's own relation_id: the union's channel" "$(show taobao TG2 '[.splits[0].member,.channel]')" \
	'["alice","8002"]'
# an update of the row keeps the group's channel
jq '.tbk_order_details_get_response.data.results.publisher_order_dto[0].modified_time="2026-11-03 10:00:00"' \
	"$WORK/tb1.json" >"$WORK/tb1b.json"
tk orders import "$WORK/tb1b.json" --format taobao >/dev/null
expect_eq "an update keeps the group's channel" "$(show taobao TG1 .channel)" '"g1"'
expect_eq "indexed per group" "$(db_sql "SELECT count(*) FROM items WHERE channel='g1'")" "4"
expect_status "audit holds" 0 tk audit

# --- the API: the operator's groups, a member's own
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server --access-log "$WORK/access.log" --config "$WORK/c2.conf"
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN=$OPS
expect_call "groups listed" 200 GET "/api/v1/groups?limit=2"
conforms "a page of groups" GroupPage
expect_eq "newest first, paged" "$(body '[[.groups[].id], .next]|tostring')" '[[4,3],"3"]'
expect_eq "hints only" "$(jq -c '[.groups[].credentials]' "$WORK/body")" '[{"set":false},{"set":true,"hint":"0042"}]'
expect_call "by member" 200 GET "/api/v1/groups?member=bob"
expect_eq "bob's" "$(body '[.groups[].name]|tostring')" '["bob-dt"]'
expect_call "a group added" 201 POST /api/v1/groups '{"member":"bob","kind":"feishu","name":"飞书群","settings":{"template":"news","schedule":{"every_minutes":30,"from":"08:00","to":"23:00"}}}'
conforms "the group" Group
expect_eq "its key" "$(body '[.id,.channel,.owner,.settings.template]|tostring')" '[5,"g5","bob","news"]'
expect_error "bad settings named" 400 invalid POST /api/v1/groups '{"member":"bob","kind":"feishu","name":"x","settings":{"jitter_seconds":5000}}'
expect_eq "the field" "$(body '[.error.field,.error.message]|tostring')" '["settings.jitter_seconds","must be an integer 0..1800, got 5000"]'
expect_call "credentials from the hook URL" 200 PUT /api/v1/groups/5/credentials "{\"credential\":\"https://open.feishu.cn/open-apis/bot/v2/hook/$FS_TOKEN\",\"sign_secret\":\"$FS_SECRET\"}"
conforms "the group after" Group
expect_eq "shown as set with its hint" "$(body .credentials|tr -d ' \n')" '{"set":true,"hint":"f00d"}'
expect_error "a bad credential" 400 invalid PUT /api/v1/groups/5/credentials '{"credential":"not a url SECRETAPI99"}'
if grep -q SECRETAPI99 "$WORK/body"; then fail "the API echoed a refused credential"; else echo "ok: the API does not echo it"; fi
expect_call "renamed and paused" 200 PATCH /api/v1/groups/5 '{"name":"飞书二群","state":"paused"}'
expect_eq "both" "$(body '[.name,.state]|tostring')" '["飞书二群","paused"]'
expect_call "shown" 200 GET /api/v1/groups/5
expect_eq "as stored" "$(body '[.name,.state,.kind]|tostring')" '["飞书二群","paused","feishu"]'
expect_error "an unknown group" 404 not_found GET /api/v1/groups/77
expect_error "an unknown state" 400 invalid PATCH /api/v1/groups/5 '{"state":"gone"}'
expect_call "a tag for the group" 201 POST /api/v1/groups/5/tags '{"union":"taobao","kind":"relation_id","value":"8505"}'
conforms "the tag" GroupTag
expect_eq "with its key" "$(body '[.channel,.member]|tostring')" '["g5","bob"]'
expect_call "a JD position registered for the group" 201 POST /api/v1/groups/5/tags/register '{"union":"jd"}'
conforms "registered" GroupTagRegistered
expect_eq "the group's, named for it" \
	"$(body '[.channel,.kind,.registered]|tostring'),$(jq -sc '[.[]|select(.method=="jd.union.open.position.create")]|last|.names' "$WORK/r.log")" \
	'["g5","positionId",true],["飞书二群"]'
expect_call "asked again: held" 200 POST /api/v1/groups/5/tags/register '{"union":"jd"}'
expect_eq "not registered again" "$(body .registered)" "false"
expect_error "no Taobao registration for a group" 400 invalid POST /api/v1/groups/5/tags/register '{"union":"taobao"}'
TOKEN=$OPS
call PUT /api/v1/members/bob/password '{"password":"bob secret1"}'
call PUT /api/v1/members/alice/password '{"password":"alice secret1"}'
TOKEN=""
call POST /api/v1/auth/login '{"member":"bob","password":"bob secret1"}'
BOB=$(body .token)
TOKEN=$BOB
expect_call "a member's own groups" 200 GET /api/v1/me/groups
expect_eq "bob's only" "$(body '[.groups[].id]|tostring')" '[5,3]'
expect_call "a member adds one" 201 POST /api/v1/me/groups '{"kind":"manual","name":"posted by hand"}'
expect_eq "for itself" "$(body '[.id,.owner]|tostring')" '[6,"bob"]'
expect_error "another member's group is absent" 404 not_found GET /api/v1/me/groups/1
expect_call "its own" 200 GET /api/v1/me/groups/3
expect_error "no owner in a member's body" 400 invalid POST /api/v1/me/groups '{"kind":"manual","name":"x","member":"alice"}'
expect_error "not the operator's routes" 403 forbidden GET /api/v1/groups
TOKEN=$OPS
expect_error "an operator has no own groups" 403 forbidden GET /api/v1/me/groups
stop_server
for s in "$FS_TOKEN" "$FS_SECRET"; do
	if grep -qF -- "$s" "$WORK/serve.err" "$WORK/serve.out" "$WORK/access.log"; then
		fail "a credential in the server's log"; else echo "ok: not in the server's log"; fi
done

# --- secrets appear in no output
for s in "$WECOM_KEY" "$TG_TOKEN" "$DT_TOKEN" SECdt99; do
	if grep -qF -- "$s" "$ALL_OUT"; then fail "a credential in the output: $s"; else echo "ok: not in any output: ${s:0:4}…"; fi
done
finish

#!/usr/bin/env bash
# link_convert.sh — `tuike link convert` against the local mock of the
# unions' promotion APIs (tests/feeds/mock_union.py): each union's link is
# made out for the member's own tag (the mock refuses a request without
# one), refusals surface in words with the union's code, transient failures
# are retried, and secrets stay out of the output.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
standard_plan
feed_members
tk member add carol --parent alice --level mentor >/dev/null

# link_hash MATERIAL TAG: the mock's short-link suffix for (material, tag)
link_hash() { printf '%s|%s' "$1" "$2" | md5sum | cut -c1-10; }

cat >"$WORK/convert.json" <<'JSON'
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "convert_items": {"jd": ["100012043978"], "taobao": ["652011223344"],
                   "pdd": ["E9H2kS7xUqVr2bzd0zT", "3345678"]}}
JSON
start_mock c1 "$WORK/convert.json"
write_conf "$WORK/c.conf" "$MOCK_PORT" "taobao.pid = mm_11_22_33" "pdd.pid = 1001_2002"
JD_URL=https://item.jd.com/100012043978.html

# --- JD: by subUnionId, a sku becomes its product page
expect_status "jd convert" 0 tk link convert jd 100012043978 --member alice --config "$WORK/c.conf" --json
expect_eq "jd short link carries alice's subUnionId" "$(jq -r .short_url "$WORK/out")" \
	"https://u.jd.com/$(link_hash "$JD_URL" m-alice)"
expect_eq "jd long link too" "$(jq -r .long_url "$WORK/out" | grep -c 'sub=m-alice$')" "1"
expect_eq "jd short links live 60 days" "$(jq -r .expires_at "$WORK/out" | cut -c1-4)" "$(date -u -d '+60 days' +%Y)"
expect_eq "the mock saw bob's tag for bob" "$(tk link convert jd "$JD_URL" --member bob --config "$WORK/c.conf" --json | jq -r .short_url)" \
	"https://u.jd.com/$(link_hash "$JD_URL" m-bob)"
expect_eq "every jd request carried a tag" \
	"$(jq -s -c '[.[]|select(.union=="jd")|.tag]' "$WORK/c1.log")" '["m-alice","m-bob"]'
expect_status "jd plain output" 0 tk link convert jd "$JD_URL" --member alice --config "$WORK/c.conf"
expect_grep "short line" "^short +https://u.jd.com/" "$WORK/out"
expect_grep "expires line" "^expires +20" "$WORK/out"

# --- refusals in words with the union's code
expect_status "jd product gone" 1 tk link convert jd 100099999999 --member alice --config "$WORK/c.conf"
expect_grep "names JD's code and message" "JD refused the conversion: error 2001501: 商品不在推广中" "$WORK/err"
expect_eq "no link printed" "$(cat "$WORK/out")" ""
expect_status "member without a tag" 2 tk link convert jd "$JD_URL" --member carol --config "$WORK/c.conf"
expect_grep "says how to register one" "member carol has no jd tag.*tuike tag set carol jd subUnionId" "$WORK/err"
expect_status "unknown member" 1 tk link convert jd "$JD_URL" --member nobody --config "$WORK/c.conf"
expect_status "coupon on pdd" 2 tk link convert pdd 3345678 --member alice --coupon https://c.example/x --config "$WORK/c.conf"
expect_grep "coupon is JD's" "coupon.*JD's only" "$WORK/err"

# --- Taobao: relation_id (alice) or special_id (bob), the PID's adzone, 淘口令
expect_status "taobao convert" 0 tk link convert taobao 652011223344 --member alice --tpwd --config "$WORK/c.conf" --json
expect_eq "taobao link carries alice's relation_id" "$(jq -r .short_url "$WORK/out")" \
	"https://s.click.taobao.com/$(link_hash 652011223344 8002)"
expect_eq "the 淘口令 wraps the long link" "$(jq -r .tpwd "$WORK/out")" \
	"￥$(jq -r .long_url "$WORK/out" | tr -d '\n' | md5sum | cut -c1-11)￥"
expect_eq "adzone from taobao.pid" "$(jq -s -r '[.[]|select(.union=="taobao" and .adzone)][0].adzone' "$WORK/c1.log")" "33"
expect_eq "bob converts with his special_id" \
	"$(tk link convert taobao 652011223344 --member bob --config "$WORK/c.conf" --json | jq -r .short_url)" \
	"https://s.click.taobao.com/$(link_hash 652011223344 7001)"
expect_status "taobao item gone" 1 tk link convert taobao 1 --member alice --config "$WORK/c.conf"
expect_grep "names Taobao's code" "Taobao refused the conversion: error 15/isv.item-not-exist" "$WORK/err"
expect_status "taobao without taobao.pid" 2 tk link convert taobao 652011223344 --member alice \
	--config <(grep -v '^taobao.pid' "$WORK/c.conf")
expect_grep "names the key" "taobao.pid" "$WORK/err"

# --- Pinduoduo: pid from pdd.pid, uid in custom_parameters
expect_status "pdd convert" 0 tk link convert pdd E9H2kS7xUqVr2bzd0zT --member alice --config "$WORK/c.conf" --json
expect_eq "pdd link carries alice's uid" "$(jq -r .short_url "$WORK/out")" \
	"https://p.pinduoduo.com/$(link_hash E9H2kS7xUqVr2bzd0zT m-alice)"
expect_eq "mobile short link" "$(jq -r .mobile_short_url "$WORK/out")" \
	"https://mobile.yangkeduo.com/s/$(link_hash E9H2kS7xUqVr2bzd0zT m-alice)"
expect_eq "pdd pid and sid" "$(jq -s -c '[.[]|select(.union=="pdd")][0]|[.pid,.sid]' "$WORK/c1.log")" '["1001_2002","alice"]'
expect_status "pdd by goods id" 0 tk link convert pdd 3345678 --member bob --config "$WORK/c.conf" --json
expect_eq "goods id converted for bob" "$(jq -r .short_url "$WORK/out")" \
	"https://p.pinduoduo.com/$(link_hash 3345678 m-bob)"
expect_status "pdd goods gone" 1 tk link convert pdd NOPE --member alice --config "$WORK/c.conf"
expect_grep "names Pinduoduo's code" "Pinduoduo refused the conversion: error 60003" "$WORK/err"
expect_eq "nothing refused for a bad signature" "$(grep -c '签名\|signature' "$WORK/c1.log" || true)" "0"

# --- permission missing: each union's own refusal, not retried
start_mock c2 "$WORK/convert.json" --deny-convert jd,taobao,pdd
write_conf "$WORK/deny.conf" "$MOCK_PORT" "taobao.pid = mm_11_22_33" "pdd.pid = 1001_2002"
expect_status "jd without subUnionId permission" 1 tk link convert jd "$JD_URL" --member alice --config "$WORK/deny.conf"
expect_grep "JD 403" "JD refused the conversion: error 403: 无subUnionId权限" "$WORK/err"
expect_status "taobao without authorization" 1 tk link convert taobao 652011223344 --member alice --config "$WORK/deny.conf"
expect_grep "Taobao 11" "error 11/isv.permission-api-package-limit" "$WORK/err"
expect_status "pdd pid not filed" 1 tk link convert pdd 3345678 --member alice --config "$WORK/deny.conf"
expect_grep "Pinduoduo 60002" "error 60002: 该推广位未备案" "$WORK/err"
expect_eq "refusals are not retried" "$(requests c2)" "3"

# --- a bad secret: the signature refusal, and no secret in any output
write_conf "$WORK/bad.conf" "$MOCK_PORT" "jd.app_secret = wrong-secret-xyz"
expect_status "bad signature" 1 tk link convert jd "$JD_URL" --member alice --config "$WORK/bad.conf"
expect_grep "JD's signature code" "error 19: 无效签名" "$WORK/err"
expect_eq "secret never printed" "$(grep -c 'wrong-secret-xyz\|jd-secret' "$WORK/out" "$WORK/err" | awk -F: '{s+=$2} END {print s}')" "0"

# --- transient failures (HTTP 500, rate limits, cut-off bodies, 429) are retried
start_mock c3 "$WORK/convert.json" --fail-every 2
write_conf "$WORK/flaky.conf" "$MOCK_PORT" "taobao.pid = mm_11_22_33" "pdd.pid = 1001_2002"
for u in "jd $JD_URL" "taobao 652011223344" "pdd 3345678" "jd 100012043978" "taobao 652011223344" "pdd E9H2kS7xUqVr2bzd0zT"; do
	set -- $u
	expect_status "$1 through failures" 0 tk link convert "$1" "$2" --member alice --config "$WORK/flaky.conf" --json
	[ "$(jq .requests "$WORK/out")" -ge 1 ] || fail "no requests counted"
	cat "$WORK/err" >>"$WORK/flaky.err"
done
failed=$(grep -c '"failed"' "$WORK/c3.log" || true)
[ "$failed" -ge 4 ] && echo "ok: failures injected ($failed)" || fail "too few failures injected ($failed)"
expect_grep "retries reported" "attempt 1 failed .*retrying in" "$WORK/flaky.err"
expect_eq "every link still the member's" \
	"$(jq -s -c '[.[]|select(.ok)|.tag]|unique' "$WORK/c3.log")" '["8002","m-alice"]'
start_mock c4 "$WORK/convert.json" --fail-every 1
write_conf "$WORK/down.conf" "$MOCK_PORT" "sync.retries = 3"
expect_status "retries run out" 1 tk link convert jd "$JD_URL" --member alice --config "$WORK/down.conf"
expect_grep "the last failure, after 3 attempts" "after 3 attempts" "$WORK/err"
expect_eq "three requests made" "$(requests c4)" "3"

finish

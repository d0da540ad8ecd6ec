#!/usr/bin/env bash
# links_converted.sh — tracking links to union products through the unions'
# conversion APIs (the mock, tests/feeds/mock_union.py): /s/CODE on a running
# server leads to the union's link made with the member's tag, copy text
# carries it (the 淘口令 for Taobao in WeChat text), conversions are reused,
# refreshed near expiry (links follow, the server too), union refusals come
# back in words; without credentials links stay plain; demo mode offline.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'stop_mocks; for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
feed_members
link_hash() { printf '%s|%s' "$1" "$2" | md5sum | cut -c1-10; }
conversions() { jq -s "[.[]|select(.method==\"$1\")]|length" "$WORK/c1.log"; }
location() { curl -s -o /dev/null -w '%{redirect_url}' -A "Mozilla/5.0" "$URL/s/$1"; }

row() { printf '{"union":"%s","product":"%s","title":"%s","category":"日用百货","price":5990,"commission_bps":2000,"sales":100,"url":"%s"}\n' "$@"; }
{
	row jd 100012043978 "JD 好物" https://item.jd.com/100012043978.html
	row jd 100099999999 "JD 下架" https://item.jd.com/100099999999.html
	row taobao 652011223344 "淘宝好物" "https://item.taobao.com/item.htm?id=652011223344"
	row pdd 3345678 "拼多多好物" "https://mobile.yangkeduo.com/goods.html?goods_id=3345678"
} >"$WORK/catalog.jsonl"
tk products import "$WORK/catalog.jsonl" >/dev/null

# --- no credentials configured: today's plain targets
expect_status "plain link without credentials" 0 tk link create alice --product jd:100012043978 --json
expect_eq "plain target carries the tag in its query" "$(jq -r .target "$WORK/out")" \
	"https://item.jd.com/100012043978.html?subUnionId=m-alice&tk=$(tk member show alice --json | jq -r .invite_code)"
expect_eq "no expiry on a plain link" "$(jq -r '.expires_at // "none"' "$WORK/out")" "none"

cat >"$WORK/convert.json" <<'JSON'
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "convert_items": {"jd": ["100012043978"], "taobao": ["652011223344"], "pdd": ["3345678"]}}
JSON
start_mock c1 "$WORK/convert.json"
write_conf "$WORK/c.conf" "$MOCK_PORT" "taobao.pid = mm_11_22_33" "pdd.pid = 1001_2002"
JD_URL=https://item.jd.com/100012043978.html
key=$(tk apikey create ops --role admin | grep -o 'tk_[A-Za-z0-9_-]*' | head -1)
start_server --config "$WORK/c.conf"
TOKEN=$key

# --- JD: the union's short link made with the member's subUnionId
expect_call "jd link for alice" 201 POST /api/v1/links '{"member":"alice","union":"jd","product":"100012043978"}'
code=$(body .code)
expect_eq "target is JD's link for alice" "$(body .target)" "https://u.jd.com/$(link_hash "$JD_URL" m-alice)"
expect_eq "marked converted, not demo" "$(body '[.converted, (.demo // false)]|@csv')" "true,false"
expect_eq "expires in 60 days" "$(body .expires_at | cut -c1-10)" "2027-01-09"
expect_eq "/s/CODE leads to JD's link" "$(location "$code")" "https://u.jd.com/$(link_hash "$JD_URL" m-alice)"
expect_call "a second jd link for alice" 201 POST /api/v1/links '{"member":"alice","union":"jd","product":"100012043978","channel":"g2"}'
expect_eq "same union link" "$(body .target)" "https://u.jd.com/$(link_hash "$JD_URL" m-alice)"
expect_eq "one conversion for two links" "$(conversions jd.union.open.promotion.bysubunionid.get)" "1"
expect_call "jd link for bob" 201 POST /api/v1/links '{"member":"bob","union":"jd","product":"100012043978"}'
expect_eq "bob's is made with his tag" "$(location "$(body .code)")" "https://u.jd.com/$(link_hash "$JD_URL" m-bob)"

# --- Taobao: the link and its 淘口令; copy text
expect_call "taobao link for alice" 201 POST /api/v1/links '{"member":"alice","union":"taobao","product":"652011223344"}'
tb_code=$(body .code)
expect_eq "/s/CODE leads to Taobao's link for alice's relation_id" "$(location "$tb_code")" \
	"https://s.click.taobao.com/$(link_hash 652011223344 8002)"
expect_call "copy for WeChat text" 200 GET "/api/v1/products/taobao/652011223344/copy?member=alice&link=1"
expect_grep "carries the 淘口令, not a link" "￥[0-9a-f]{11}￥" <(body .text)
expect_eq "no Taobao link in WeChat text" "$(body .text | grep -c 'http' || true)" "0"
expect_eq "the 淘口令 alone beside the text" "$(body .text | grep -c -F -- "$(body .tpwd)")" "1"
expect_eq "the link it came from" "$(body .link.code)" "$tb_code"
expect_eq "its target is Taobao's link" "$(body .link.target)" "https://s.click.taobao.com/$(link_hash 652011223344 8002)"
expect_eq "converted, with an expiry, not a demo" "$(body '[.link.converted, (.link.expires_at|type), .link.demo]|@csv')" 'true,"string",'
expect_call "copy for telegram" 200 GET "/api/v1/products/taobao/652011223344/copy?member=alice&link=1&channel=telegram"
expect_grep "carries tuike's short link" "$URL/s/$tb_code" <(body .text)
expect_eq "copy reused the conversion" "$(conversions taobao.tbk.dg.general.link.convert)" "1"

# --- Pinduoduo
expect_call "pdd link for alice" 201 POST /api/v1/links '{"member":"alice","union":"pdd","product":"3345678"}'
pdd_code=$(body .code)
expect_eq "/s/CODE leads to Pinduoduo's link for alice's uid" "$(location "$pdd_code")" \
	"https://p.pinduoduo.com/$(link_hash 3345678 m-alice)"
expect_call "copy for text carries the short link" 200 GET "/api/v1/products/pdd/3345678/copy?member=alice&link=1"
expect_grep "tuike's short link" "$URL/s/$pdd_code" <(body .text)
expect_eq "the short link beside the text, no 淘口令" "$(body '[.link.short_url, .tpwd]|@csv')" "\"$URL/s/$pdd_code\","

# --- refusals in words: API 502 union_refused with the union's code; CLI
expect_error "product gone" 502 union_refused POST /api/v1/links '{"member":"alice","union":"jd","product":"100099999999"}'
expect_eq "names the union's code" "$(body '.error|[.union, .union_code]|@csv')" '"jd","2001501"'
expect_grep "and its message" "JD refused the conversion: error 2001501: 商品不在推广中" <(body .error.message)
expect_status "cli: product gone" 1 tk link create alice --product jd:100099999999 --config "$WORK/c.conf"
expect_grep "cli names it too" "JD refused the conversion: error 2001501" "$WORK/err"

# --- expiry: near it, the next use converts again and the links follow
tk tag set alice jd subUnionId a-alice >/dev/null # sorts first: the next conversion's tag
expect_status "still reused far from expiry" 0 tk link create alice --product jd:100012043978 --config "$WORK/c.conf" --json
expect_eq "old tag while valid" "$(jq -r .target "$WORK/out")" "https://u.jd.com/$(link_hash "$JD_URL" m-alice)"
expect_status "55 days on: converted again" 0 env TUIKE_NOW=2027-01-04T10:00:00+08:00 \
	"$TUIKE" link create alice --product jd:100012043978 --config "$WORK/c.conf" --json
expect_eq "new conversion" "$(jq -r .target "$WORK/out")" "https://u.jd.com/$(link_hash "$JD_URL" a-alice)"
expect_eq "two jd conversions for alice's links" "$(jq -s --arg u "$JD_URL" '[.[]|select((.tag=="m-alice" or .tag=="a-alice") and .material==$u)]|length' "$WORK/c1.log")" "2"
sleep 1.5
expect_eq "the running server follows the first link's new target" "$(location "$code")" \
	"https://u.jd.com/$(link_hash "$JD_URL" a-alice)"
expect_eq "its clicks are kept" "$(curl -s -H "Authorization: Bearer $key" "$URL/api/v1/links/$code" | jq '.clicks >= 1')" "true"

# --- tuike link refresh: re-converts what expires within --within
tk tag set alice pdd uid a-alice >/dev/null
expect_status "refresh far from expiry" 0 tk link refresh --within 7d --config "$WORK/c.conf"
expect_grep "nothing to do" "^0 conversions refreshed, 0 failed" "$WORK/out"
expect_status "refresh 25 days on" 0 env TUIKE_NOW=2026-12-05T10:00:00+08:00 "$TUIKE" link refresh --within 7d --config "$WORK/c.conf"
expect_grep "taobao and pdd (30 days) refreshed" "^2 conversions refreshed, 0 failed" "$WORK/out"
sleep 1.5
expect_eq "pdd link follows alice's new uid" "$(location "$pdd_code")" "https://p.pinduoduo.com/$(link_hash 3345678 a-alice)"
expect_status "bad --within" 2 tk link refresh --within 7h

# --- a refusal on refresh is reported, the link keeps its target
start_mock c2 "$WORK/convert.json" --deny-convert taobao
write_conf "$WORK/deny.conf" "$MOCK_PORT" "taobao.pid = mm_11_22_33" "pdd.pid = 1001_2002"
expect_status "refresh refused" 1 env TUIKE_NOW=2026-12-30T10:00:00+08:00 "$TUIKE" link refresh --within 7d --config "$WORK/deny.conf"
expect_grep "names Taobao's code" "taobao 652011223344: .*error 11/isv.permission-api-package-limit" "$WORK/err"
expect_eq "link unchanged" "$(location "$tb_code")" "https://s.click.taobao.com/$(link_hash 652011223344 8002)"
stop_server

# --- demo mode: offline conversions shaped like the unions', marked demo
TUIKE_DEMO=1 start_server
expect_call "demo link" 201 POST /api/v1/links '{"member":"bob","union":"taobao","product":"652011223344"}'
expect_grep "demo short link" "^https://s.click.taobao.com/DEMO[0-9a-f]{10}$" <(body .target)
expect_eq "labelled demo" "$(body .demo)" "true"
expect_call "demo copy" 200 GET "/api/v1/products/jd/100012043978/copy?member=bob&link=1"
expect_eq "copy's link labelled demo" "$(body '[.link.demo, .link.converted]|@csv')" "true,true"
expect_grep "a demo JD short link" "^https://u.jd.com/DEMO" <(body .link.target)
stop_server
finish

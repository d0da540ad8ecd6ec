#!/usr/bin/env bash
# products_copy.sh — copy text per channel, the member's link, operator
# templates and their errors.
source "$(dirname "$0")/lib.sh"
F="$TUIKE_FIXTURES/products"
tk init >/dev/null
export TUIKE_NOW=2026-11-10T10:00:00+08:00
tk products import "$F/catalog.jsonl" >/dev/null
tk member add alice >/dev/null
code=$(tk member show alice --json | jq -r .invite_code)

expect_eq "plain text" "$(tk copy jd 100000000001)" "海飞丝去屑洗发水 400ml 男士女士通用
领券立减10.00元，到手价 ¥49.90
原价 ¥59.90
👉 https://item.jd.com/100000000001.html"
expect_eq "no coupon, no coupon line" "$(tk copy jd 100000000002 | sed -n 2p)" "到手价 ¥49.90"
expect_eq "member link" "$(tk copy taobao 600000000003 --template short --member alice)" \
	"清扬男士去屑洗发水 750ml 控油 到手¥59.90 https://detail.tmall.com/item.htm?id=600000000003&tk=$code"
expect_eq "wecom markdown" "$(tk copy jd 100000000001 --channel wecom | tail -1)" "[👉 立即购买](https://item.jd.com/100000000001.html)"
expect_eq "telegram html" "$(tk copy jd 100000000001 --channel telegram | head -1)" "<b>海飞丝去屑洗发水 400ml 男士女士通用</b>"
expect_eq "promoter commission" "$(tk copy jd 100000000001 --template promoter | sed -n 2p)" "到手价 ¥49.90（券10.00元），佣金 ¥9.98/件"
expect_status "unknown member" 1 tk copy jd 100000000001 --member bob
expect_status "unknown product" 1 tk copy jd 999
expect_status "unknown channel" 2 tk copy jd 100000000001 --channel sms

# the lowest-price note after a drop
export TUIKE_NOW=2026-11-20T10:00:00+08:00
sed 's/"price":4990,"commission_bps":3000/"price":3990,"commission_bps":3000/' "$F/catalog.jsonl" >"$WORK/drop.jsonl"
tk products import "$WORK/drop.jsonl" >/dev/null
expect_eq "lowest note" "$(tk copy jd 100000000002 | sed -n 2p)" "到手价 ¥39.90（近10天最低价）"

# operator templates, escaping and limits
printf '<b>{title}</b> {final_price}{?coupon} -{coupon}{/coupon}\n<a href="{link}">买</a>' >"$WORK/t.html"
tk products template set mine "$WORK/t.html" --channel telegram >/dev/null
expect_eq "operator template" "$(tk copy jd 100000000001 --template mine --channel telegram --json | jq -r .text)" \
	'<b>海飞丝去屑洗发水 400ml 男士女士通用</b> 49.90 -10.00
<a href="https://item.jd.com/100000000001.html">买</a>'
printf '{titel}' >"$WORK/bad.txt"
expect_status "unknown placeholder" 2 tk products template set bad "$WORK/bad.txt"
expect_grep "placeholder named" "unknown placeholder \{titel\}" "$WORK/err"
expect_eq "listed" "$(tk products template list | jq -c '[.[]|select(.builtin==false)|[.name,.channel]]')" '[["mine","telegram"]]'
python3 -c 'print("x"*2040 + "{title}", end="")' >"$WORK/long.txt"
tk products template set long "$WORK/long.txt" >/dev/null
out=$(tk copy jd 100000000001 --template long --json)
expect_eq "cut to the text limit" "$(jq -c '[.title_cut, .length <= 2048]' <<<"$out")" "[true,true]"
expect_grep "with an ellipsis" "…" <(jq -r .text <<<"$out")
finish

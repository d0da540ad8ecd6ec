#!/usr/bin/env bash
# products_search.sh — Chinese and mixed-script search with filters, sorts
# and paging through the command line.
source "$(dirname "$0")/lib.sh"
F="$TUIKE_FIXTURES/products"
tk init >/dev/null
export TUIKE_NOW=2026-11-10T10:00:00+08:00
tk products import "$F/catalog.jsonl" >/dev/null

titles() { tk products search "$@" --json | jq -r '[.items[].title]|join("|")'; }
expect_grep_s() { if [[ "$2" == *"$3"* ]]; then echo "ok: $1"; else fail "$1: '$3' not in '$2'"; fi; }

expect_grep_s "洗发水 finds 海飞丝" "$(titles 洗发水)" "海飞丝去屑洗发水 400ml"
expect_eq "洗发水 finds the three shampoos" "$(tk products search 洗发水 --json | jq .total)" "3"
expect_grep_s "iphone 15 finds 苹果 iPhone15" "$(titles 'iphone 15')" "苹果 Apple iPhone15"
expect_grep_s "iphone 15 finds iPhone 15 Pro Max" "$(titles 'iphone 15')" "iPhone 15 Pro Max"
expect_eq "iphone 15 nothing else" "$(tk products search 'iphone 15' --json | jq .total)" "2"
expect_eq "full-width" "$(tk products search 'ＩＰＨＯＮＥ１５' --json | jq .total)" "2"
expect_eq "two characters: 洗发" "$(tk products search 洗发 --json | jq .total)" "4"
expect_eq "two digits: 15" "$(tk products search 15 --json | jq .total)" "2"
expect_eq "one character" "$(tk products search 柔 --json | jq -r '.items[0].title')" "飘柔洗发露 750ml 家庭装"
expect_eq "long and short terms" "$(tk products search '去屑 洗发' --json | jq .total)" "3"
expect_eq "brand" "$(tk products search 潘婷 --json | jq -r '.items[0].product')" "100000000002"
expect_eq "shop" "$(tk products search 天猫超市 --json | jq -r '.items[0].product')" "600000000003"
expect_eq "no match" "$(tk products search 不存在 --json | jq -c '[.total,.items]')" '[0,[]]'

# filters (prices after coupon now, commission per unit now)
expect_eq "union" "$(tk products search 洗发水 --union taobao --json | jq -r '[.items[].product]|join(",")')" "600000000003"
expect_eq "category" "$(tk products search 苹果 --category 数码家电 --json | jq .total)" "2"
expect_eq "price range" "$(tk products search 洗发水 --min-price 4990 --max-price 4990 --json | jq -r '[.items[].product]|sort|join(",")')" "100000000001,100000000002"
expect_eq "min commission" "$(tk products search 洗发水 --min-commission 1000 --json | jq -r '[.items[].product]|join(",")')" "100000000002"
expect_eq "coupon valid" "$(tk products search 洗发水 --coupon-valid --json | jq -r '[.items[].product]|sort|join(",")')" "100000000001,600000000003"
expect_eq "final price and commission shown" "$(tk products search 海飞丝 --json | jq -c '.items[0]|[.price,.coupon,.final_price,.commission,.coupon_valid]')" '[5990,1000,4990,998,true]'

# sorts and paging
expect_eq "by price" "$(tk products search 洗发 --sort price --json | jq -c '[.items[].final_price]')" '[3990,4990,4990,5990]'
expect_eq "by commission" "$(tk products search 洗发 --sort commission --json | jq -c '[.items[].commission]')" '[1497,998,997,898]'
expect_eq "popular first" "$(tk products search 洗发 --json | jq -r '.items[0].product')" "600000000003"
p1=$(tk products search 洗发 --sort price --per-page 3 --page 1 --json | jq -c '[.items[].product]')
p2=$(tk products search 洗发 --sort price --per-page 3 --page 2 --json | jq -c '[.items[].product]')
all=$(tk products search 洗发 --sort price --json | jq -c '[.items[].product]')
expect_eq "pages add up" "$(jq -nc --argjson a "$p1" --argjson b "$p2" '$a+$b')" "$all"
expect_eq "page total" "$(tk products search 洗发 --per-page 3 --page 2 --json | jq -c '[.total,.page,(.items|length)]')" '[4,2,1]'

# refused input
expect_status "empty query" 2 tk products search "，。"
expect_grep "empty named" "nothing to search for" "$WORK/err"
expect_status "page size limit" 2 tk products search 洗发 --per-page 101
expect_status "too deep" 1 tk products search 洗发 --per-page 100 --page 101
expect_grep "depth named" "first 10000 results" "$WORK/err"
expect_status "bad sort" 2 tk products search 洗发 --sort best
expect_status "bad union" 2 tk products search 洗发 --union amazon
expect_status "too many terms" 1 tk products search "a b c d e f g h i"
finish

#!/usr/bin/env bash
# products_sync.sh — `tuike products sync` against the local mock of the
# unions' product APIs (tests/feeds/mock_union.py): products land in the
# library with money and rates converted exactly, a second identical pull
# changes nothing, a price change adds a history point, a product that
# leaves the union's list is marked gone (and comes back), an expired
# coupon is no longer valid, and failures surface in words.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"

T0=$(date -d '2026-11-10T12:00:00+08:00' +%s)
export TUIKE_NOW=2026-11-10T12:00:00+08:00
DAY=86400

# spec FILE JQ-FILTER: a product spec (see product_rows.py) edited by a jq filter
cat >"$WORK/base.json" <<JSON
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "jd": {"1": [
   {"id": "100012043978", "title": "海飞丝去屑洗发水 400ml", "brand": "海飞丝", "price": 5990,
    "rate_bps": 2000, "sales": 12000, "coupon": 1000, "coupon_min": 5000,
    "coupon_start": $((T0 - DAY)), "coupon_end": $((T0 + 2 * DAY))},
   {"id": "100000000037", "title": "Redmi Note13 Pro+ 5G手机", "price": 189900, "rate_bps": 150,
    "sales": 3500, "category": "数码家电"},
   {"id": "100000000074", "title": "米其林轮胎 205/55R16", "price": 45900, "rate_bps": 355,
    "sales": 80, "category": "汽车用品"}],
  "2": [{"id": "100000000037", "title": "Redmi Note13 Pro+ 5G手机", "price": 189900,
         "rate_bps": 150, "sales": 3500, "category": "数码家电"}]},
 "taobao": {"洗发水": [
   {"id": "652011223344", "title": "清扬男士去屑洗发水", "price": 4990, "rate_bps": 1550,
    "sales": 9000, "coupon": 500, "coupon_min": 4900,
    "coupon_start": $((T0 - DAY)), "coupon_end": $((T0 + DAY))},
   {"id": "652011223345", "title": "飘柔洗发水家庭装", "price": 3390, "rate_bps": 2000, "sales": 120}]},
 "pdd": {"": [
   {"id": "3345678", "title": "抽纸 24包整箱", "price": 2990, "rate_bps": 2350, "sales": 123000,
    "coupon": 300, "coupon_min": 2000, "coupon_start": $((T0 - DAY)), "coupon_end": $((T0 + DAY))},
   {"id": "3345719", "title": "洗衣凝珠 52颗", "price": 1990, "rate_bps": 500, "sales": 42}]}}
JSON
spec() { jq "$2" "$WORK/base.json" >"$WORK/spec.json" && \
	python3 "$FEEDS_DIR/product_rows.py" --spec "$WORK/spec.json" --out "$1"; }
spec "$WORK/products.json" .
start_mock p1 "$WORK/products.json" --reload
write_conf "$WORK/p.conf" "$MOCK_PORT" "jd.products = 1,2" "jd.product_page_size = 2" \
	"taobao.pid = mm_11_22_33" "taobao.products = 洗发水" "pdd.product_page_size = 1"
sync() { tk products sync "$@" --config "$WORK/p.conf"; }
show() { tk products show "$1" "$2" --json | jq -c "$3"; }
dump() { db_sql "SELECT * FROM products ORDER BY id; SELECT * FROM price_history ORDER BY product, at;"; }

# --- JD: two elite lists, pages of 2; a product in both lists counts once
expect_status "jd sync" 0 sync jd
expect_eq "jd report" "$(jq -c '[.products,.inserted,.unchanged,.gone,.complete]' "$WORK/out")" '[3,3,0,0,true]'
expect_eq "the mock paged list 1 (3 products) and list 2" \
	"$(jq -s -c '[.[]|select(.method=="jd.union.open.goods.jingfen.query")|[.list,.page,.n]]' "$WORK/p1.log")" \
	'[[1,1,2],[1,2,1],[2,1,1]]'
expect_eq "jd yuan and percent to fen and bps, the best coupon, its link" \
	"$(show jd 100012043978 '.product|[.price,.commission_bps,.coupon,.coupon_min,.coupon_valid,.final_price,.sales,.status,.coupon_url]')" \
	'[5990,2000,1000,5000,true,4990,12000,"listed","https://coupon.m.jd.com/coupons/show.action?key=100012043978"]'
expect_eq "jd shop, category, image and page" \
	"$(show jd 100000000037 '.product|[.shop,.category,.image,.url,.coupon]')" \
	'["京东自营","数码家电","https://img14.360buyimg.com/n1/100000000037.jpg","https://item.jd.com/100000000037.html",0]'
expect_eq "coupon valid until its end (Beijing)" "$(show jd 100012043978 .product.coupon_end)" '"2026-11-12T12:00:00+08:00"'

# --- the same pull twice changes nothing
dump >"$WORK/before"
expect_status "jd sync again" 0 sync jd
expect_eq "second report" "$(jq -c '[.inserted,.updated,.unchanged,.price_changes,.gone]' "$WORK/out")" '[0,0,3,0,0]'
dump >"$WORK/after"
expect_eq "the library is byte for byte the same" "$(cmp -s "$WORK/before" "$WORK/after" && echo same)" "same"

# --- a price change adds a history point (an hour later)
export TUIKE_NOW=2026-11-10T13:00:00+08:00
spec "$WORK/products.json" '.jd."1"[0].price = 5490'
expect_status "jd sync after a price change" 0 sync jd
expect_eq "one price change" "$(jq -c '[.updated,.price_changes]' "$WORK/out")" '[1,1]'
expect_eq "history: 49.90 then 44.90" \
	"$(tk products show jd 100012043978 --json | jq -c '[.history.points[]|.final_price]')" '[4990,4490]'

# --- a product that leaves the list is marked gone, kept, and comes back
spec "$WORK/products.json" '.jd."1"[0].price = 5490 | del(.jd."1"[2])'
expect_status "jd sync without the tyre" 0 sync jd
expect_eq "one gone" "$(jq -c '[.gone,.products]' "$WORK/out")" '[1,2]'
expect_eq "the tyre is gone, with when, not deleted" \
	"$(show jd 100000000074 '.product|[.status,.gone_at,.price]')" '["gone","2026-11-10T13:00:00+08:00",45900]'
expect_status "gone again: nothing more" 0 sync jd
expect_eq "no new gone" "$(jq -c '[.gone,.updated]' "$WORK/out")" '[0,0]'
spec "$WORK/products.json" '.jd."1"[0].price = 5490'
expect_status "jd sync with the tyre back" 0 sync jd
expect_eq "it returned" "$(jq -c '[.returned,.gone]' "$WORK/out")" '[1,0]'
expect_eq "listed again" "$(show jd 100000000074 '.product|[.status,.gone_at]')" '["listed",null]'

# --- a coupon past its end is not shown as valid
expect_eq "after the coupon's end" \
	"$(TUIKE_NOW=2026-11-13T12:00:00+08:00 tk products show jd 100012043978 --json | jq -c '.product|[.coupon_valid,.final_price]')" \
	'[false,5490]'
expect_status "a pull after the end" 0 env TUIKE_NOW=2026-11-13T12:00:00+08:00 "$TUIKE" products sync jd --config "$WORK/p.conf"
expect_eq "the end of the coupon is a price change" "$(jq -c '[.price_changes,.updated]' "$WORK/out")" '[1,0]'
expect_eq "search --coupon-valid no longer finds it" \
	"$(TUIKE_NOW=2026-11-13T12:00:00+08:00 tk products search 洗发水 --coupon-valid --json | jq '.total')" "0"

# --- a pull cut short by the page limit marks nothing gone
write_conf "$WORK/short.conf" "$MOCK_PORT" "jd.products = 1" "jd.product_page_size = 1" "jd.product_pages = 1"
expect_status "a pull over the page limit" 0 tk products sync jd --config "$WORK/short.conf"
expect_eq "incomplete, nothing gone" "$(jq -c '[.complete,.gone,.incomplete]' "$WORK/out")" \
	'[false,0,"a list has more than jd.product_pages = 1 pages"]'

# --- Taobao: yuan strings, commission_rate 1550 = 15.50%, coupon dates
expect_status "taobao sync" 0 sync taobao
expect_eq "taobao report" "$(jq -c '[.products,.inserted,.complete]' "$WORK/out")" '[2,2,true]'
expect_eq "taobao fields" \
	"$(show taobao 652011223344 '.product|[.price,.commission_bps,.coupon,.coupon_min,.coupon_valid,.coupon_end,.image,.coupon_url]')" \
	'[4990,1550,500,4900,true,"2026-11-11T23:59:59+08:00","https://img.alicdn.com/bao/uploaded/652011223344.jpg","https://uland.taobao.com/coupon/edetail?e=652011223344"]'
expect_status "taobao again" 0 sync taobao
expect_eq "taobao unchanged" "$(jq -c '[.unchanged,.updated,.inserted]' "$WORK/out")" '[2,0,0]'

# --- Pinduoduo: fen, promotion_rate per mille, sales_tip, list_id paging
expect_status "pdd sync" 0 sync pdd
expect_eq "pdd report (pages of 1)" "$(jq -c '[.products,.pages,.complete]' "$WORK/out")" '[2,2,true]'
expect_eq "pdd fields" \
	"$(show pdd 3345678 '.product|[.price,.commission_bps,.coupon,.coupon_min,.sales,.url]')" \
	'[2990,2350,300,2000,123000,"https://mobile.yangkeduo.com/goods.html?goods_id=3345678"]'
expect_eq "the second page named the first page's list_id" \
	"$(jq -s -c '[.[]|select(.method=="pdd.ddk.goods.search")|.page]' "$WORK/p1.log")" '[1,2]'

# --- failures: retried when passing, refused in words, no secret printed
start_mock p2 "$WORK/products.json" --fail-every 2
write_conf "$WORK/flaky.conf" "$MOCK_PORT" "jd.products = 1,2" "jd.product_page_size = 2"
expect_status "jd through failures" 0 tk products sync jd --config "$WORK/flaky.conf"
expect_grep "retries are said" "attempt 1 failed" "$WORK/err"
expect_eq "and change nothing" "$(jq -c '[.complete,.inserted,.updated]' "$WORK/out")" '[true,0,0]'
write_conf "$WORK/bad.conf" "$MOCK_PORT" "jd.app_secret = not-the-secret-4711"
expect_status "a bad signature" 1 tk products sync jd --config "$WORK/bad.conf"
expect_grep "the union's code and message" "JD refused the product query: error 19: 无效签名" "$WORK/err"
expect_eq "no secret in the output" "$(cat "$WORK/out" "$WORK/err" | grep -c 'not-the-secret-4711')" "0"
expect_status "taobao without a pid" 1 tk products sync taobao --config "$WORK/flaky.conf"
expect_grep "names the missing key" "taobao.pid: is needed to pull products" "$WORK/err"
expect_status "an unknown union" 2 tk products sync amazon --config "$WORK/p.conf"

# --- the score reads the team's own clicks and orders of the product
# (tracking links record clicks per day under the product's key; the
# order rollup keeps its orders in product_sales)
score() { show jd 100000000037 "$1"; }
before=$(score .score.total)
expect_eq "no clicks yet" "$(score '[.team.product.clicks,.score.conversion_from_team]')" '[0,false]'
db_sql "INSERT INTO daily_stats(day, dim, key, clicks, unique_clicks)
	VALUES (20401, 2, 'jd:100000000037', 25, 20), (20402, 2, 'jd:100000000037', 15, 12),
	       (20402, 2, 'jd:100000000074', 0, 0), (20402, 1, 'jd:100000000037', 99, 99);"
expect_eq "40 recorded clicks show, and move the conversion term" \
	"$(score '[.team.product.clicks,.team.category.clicks,.score.conversion_from_team,.score.conversion_bps < 300]')" \
	'[40,40,true,true]'
expect_eq "clicks without orders lower the score" "$(( $(score .score.total) < before ))" "1"
db_sql "INSERT INTO product_sales(union_, product, orders, refunds) VALUES ('jd', '100000000037', 4, 0);"
expect_eq "4 orders of 40 clicks: conversion above the prior" \
	"$(score '[.team.product.orders,.score.conversion_bps]')" '[4,513]'
expect_eq "and the score rises above the one without team data" "$(( $(score .score.total) > before ))" "1"
expect_eq "top ranks with the same figures" \
	"$(tk products top --json | jq -c '[.items[]|select(.product.product=="100000000037")|.team.product.clicks]')" '[40]'
cat=$(tk products show jd 100000000037 --json | jq -r '.product.category // .category')
expect_eq "and the categories report counts them for the product's category" \
	"$(tk products categories --json | jq -c --arg c "$cat" '[.categories[]|select(.category==$c)|.clicks]')" '[40]'

finish

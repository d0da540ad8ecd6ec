#!/usr/bin/env bash
# products_sync_lists.sh — `tuike products sync` with JD's keyword and
# category searches (jd.union.open.goods.query, jd.product_queries) beside
# its eliteId lists, and Pinduoduo's channel lists
# (pdd.ddk.goods.recommend.get, pdd.product_channels) beside its keyword
# search, against the mock: the lists merged, a product in two counts once,
# paging by offset and list_id, failures retried, refusals in the same
# words as everywhere, bad settings named.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"

export TUIKE_NOW=2026-11-10T12:00:00+08:00
p() { echo "{\"id\": \"$1\", \"title\": \"$2\", \"price\": $3, \"rate_bps\": $4, \"sales\": 10}"; }
cat >"$WORK/spec.json" <<JSON
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "jd": {"1": [$(p 100001 "海飞丝洗发水" 5990 2000), $(p 100002 "Redmi 手机" 189900 150)]},
 "jd_query": {"手机": [$(p 100002 "Redmi 手机" 189900 150), $(p 100003 "荣耀 手机" 99900 300),
                       $(p 100004 "vivo 手机" 129900 250)],
              "cid3:655": [$(p 100005 "手机壳" 1990 3000)]},
 "pdd": {"": [$(p 3300001 "抽纸" 2990 2350), $(p 3300002 "洗衣凝珠" 1990 500)]},
 "pdd_recommend": {"1": [$(p 3300002 "洗衣凝珠" 1990 500), $(p 3300003 "纸巾" 990 1000),
                         $(p 3300004 "牙膏" 1290 800)],
                   "5": [$(p 3300005 "热销拖鞋" 1590 1200)]}}
JSON
python3 "$FEEDS_DIR/product_rows.py" --spec "$WORK/spec.json" --out "$WORK/products.json"
start_mock l1 "$WORK/products.json"
write_conf "$WORK/l.conf" "$MOCK_PORT" "jd.products = 1" "jd.product_queries = 手机, cid3:655" \
	"jd.product_page_size = 2" "pdd.product_channels = 1, 5" "pdd.product_page_size = 2" \
	"pdd.pid = 1001_2002"
calls() { jq -s -c --arg m "$2" '[.[]|select(.method==$m)|[.list,.page,.n]]' "$WORK/$1.log"; }

# --- JD: the eliteId list, then the searches; 100002 is in two lists
expect_status "jd sync" 0 tk products sync jd --config "$WORK/l.conf"
expect_eq "jd report" "$(jq -c '[.products,.inserted,.complete,.gone]' "$WORK/out")" '[5,5,true,0]'
expect_eq "jingfen asked once" "$(calls l1 jd.union.open.goods.jingfen.query)" '[[1,1,2]]'
expect_eq "goods.query paged the keyword, then the category" \
	"$(calls l1 jd.union.open.goods.query)" '[["手机",1,2],["手机",2,1],["cid3:655",1,1]]'
expect_eq "a searched product is in the library with its money" \
	"$(tk products show jd 100003 --json | jq -c '.product|[.price,.commission_bps,.status]')" '[99900,300,"listed"]'
expect_status "jd again" 0 tk products sync jd --config "$WORK/l.conf"
expect_eq "nothing changes, nothing gone" "$(jq -c '[.unchanged,.inserted,.gone]' "$WORK/out")" '[5,0,0]'

# --- Pinduoduo: the keyword search, then channels 1 and 5
expect_status "pdd sync" 0 tk products sync pdd --config "$WORK/l.conf"
expect_eq "pdd report" "$(jq -c '[.products,.inserted,.pages,.complete]' "$WORK/out")" '[5,5,4,true]'
expect_eq "recommend paged channel 1 by offset, then channel 5" \
	"$(calls l1 pdd.ddk.goods.recommend.get)" '[[1,1,2],[1,2,1],[5,1,1]]'
expect_eq "per mille to bps" \
	"$(tk products show pdd 3300003 --json | jq -c '.product|[.price,.commission_bps]')" '[990,1000]'
expect_eq "nothing refused by the mock" "$(grep -c refused "$WORK/l1.log" || true)" "0"

# --- only searches: no eliteId list is asked
write_conf "$WORK/q.conf" "$MOCK_PORT" "jd.products =" "jd.product_queries = cid3:655"
expect_status "searches alone" 0 tk products sync jd --config "$WORK/q.conf"
expect_eq "one search, all listed" "$(jq -c '[.products,.pages,.complete]' "$WORK/out")" '[1,1,true]'
write_conf "$WORK/none.conf" "$MOCK_PORT" "jd.products ="
expect_status "no list at all" 1 tk products sync jd --config "$WORK/none.conf"
expect_grep "says so" "jd.products: names no eliteId and jd.product_queries no search" "$WORK/err"

# --- failures on the new methods: retried; a refusal in the one wording
start_mock l2 "$WORK/products.json" --fail-every 2
write_conf "$WORK/f.conf" "$MOCK_PORT" "jd.products =" "jd.product_queries = 手机" \
	"jd.product_page_size = 2" "pdd.product_channels = 1" "pdd.product_page_size = 2"
expect_status "jd searches through failures" 0 tk products sync jd --config "$WORK/f.conf"
expect_eq "complete" "$(jq -c '[.complete,.products]' "$WORK/out")" '[true,3]'
expect_grep "retried" "attempt 1 failed" "$WORK/err"
cp "$WORK/err" "$WORK/f-jd.err"
expect_status "pdd channels through failures" 0 tk products sync pdd --config "$WORK/f.conf"
expect_eq "complete too" "$(jq -c '[.complete,.products]' "$WORK/out")" '[true,4]'
cat "$WORK/f-jd.err" "$WORK/err" >"$WORK/f.err"
expect_grep "a rate limit said in the union's words" \
	"Pinduoduo refused the product query: error 70031: 调用已超限|JD refused the product query: error 429" "$WORK/f.err"
write_conf "$WORK/bad.conf" "$MOCK_PORT" "jd.products =" "jd.product_queries = 手机" \
	"pdd.product_channels = 1" "jd.app_secret = wrong-1" "pdd.app_secret = wrong-2"
expect_status "jd: a bad signature" 1 tk products sync jd --config "$WORK/bad.conf"
expect_grep "JD's words" "JD refused the product query: error 19: 无效签名" "$WORK/err"
expect_status "pdd: a bad signature" 1 tk products sync pdd --config "$WORK/bad.conf"
expect_grep "Pinduoduo's words" "Pinduoduo refused the product query: error 20004: 签名错误" "$WORK/err"

# --- settings checked and named
write_conf "$WORK/x.conf" "$MOCK_PORT" "pdd.product_channels = 3"
expect_status "channel 3 needs goods ids" 2 tk products sync pdd --config "$WORK/x.conf"
expect_grep "names the key" "pdd.product_channels: must list channel types 0, 1, 2, 4..8" "$WORK/err"
write_conf "$WORK/x.conf" "$MOCK_PORT" "taobao.product_queries = 手机"
expect_status "JD's key only" 2 tk products sync taobao --config "$WORK/x.conf"
expect_grep "is not a sync setting" "taobao.product_queries: is not a sync setting" "$WORK/err"
finish

#!/usr/bin/env bash
# products_sync_every.sh — `tuike products sync --every` polling the mock:
# a price change between two rounds adds a price history point; SIGTERM in
# the middle of a pull exits 0, keeping the pages that pull read and
# marking nothing gone.  And the time limit of a pull
# (pdd.product_pull_seconds) against a slow union: the pull ends
# incomplete, says why, and marks nothing gone.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"

# the real clock: every round's prices are points of their own time
unset TUIKE_NOW
spec() { # spec PRICE1 PRICE2: three Pinduoduo products, the first two priced
	cat >"$WORK/spec.json" <<JSON
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "pdd": {"": [{"id": "3300001", "title": "抽纸", "price": $1, "rate_bps": 2350, "sales": 10},
              {"id": "3300002", "title": "洗衣凝珠", "price": $2, "rate_bps": 500, "sales": 10},
              {"id": "3300003", "title": "牙膏", "price": 1290, "rate_bps": 800, "sales": 10}]}}
JSON
	python3 "$FEEDS_DIR/product_rows.py" --spec "$WORK/spec.json" --out "$WORK/products.json"
}
points() { tk products show pdd "$1" --json | jq -c '[.history.points[]|.final_price]'; }
logged() { grep -c . "$WORK/e1.log" || true; }
wait_logged() { # wait_logged N: until the mock has answered N requests (at most 20 s)
	local i
	for i in $(seq 1 400); do [ "$(logged)" -ge "$1" ] && return 0; sleep 0.05; done
	fail "the mock answered $(logged) requests, not $1"
}

# Each round reads three pages of one product.  The hold file keeps the
# mock's request N (and later ones) waiting, so that each step happens at
# a known point: round 1 is requests 1-3, round 2 4-6, round 3 7-9.
spec 2990 1990
echo 4 >"$WORK/hold"
start_mock e1 "$WORK/products.json" --reload --hold-file "$WORK/hold"
write_conf "$WORK/e.conf" "$MOCK_PORT" "pdd.product_page_size = 1"
"$TUIKE" products sync pdd --every 1s --config "$WORK/e.conf" >"$WORK/loop.out" 2>"$WORK/loop.err" &
pid=$!
wait_logged 3
expect_eq "round 1 read every page" "$(jq -s -c '[.[]|[.inserted,.pages,.complete]]' "$WORK/loop.out")" '[[3,3,true]]'
spec 2790 1990         # a price change between the rounds (the mock reads it again)
echo 7 >"$WORK/hold"
wait_logged 6
for i in $(seq 1 100); do [ "$(jq -s length "$WORK/loop.out")" -ge 2 ] && break; sleep 0.05; done
expect_eq "round 2 saw the change" \
	"$(jq -s -c '.[1]|[.updated,.unchanged,.price_changes,.complete]' "$WORK/loop.out")" '[1,2,1,true]'
expect_eq "the price history gained the point" "$(points 3300001)" '[2990,2790]'

# round 3: both priced products change; SIGTERM while its second page is
# asked for: that page still lands, the third is never asked for
spec 2590 1790
echo 8 >"$WORK/hold"
wait_logged 7
sleep 0.3               # request 8 is waiting in the mock
kill -TERM $pid
sleep 0.3
rm -f "$WORK/hold"
status=0
wait $pid || status=$?
expect_eq "exit status after SIGTERM" "$status" "0"
expect_eq "round 3 ended early, nothing gone" \
	"$(jq -s -c '.[2]|[.pages,.updated,.gone,.complete,.incomplete]' "$WORK/loop.out")" '[2,2,0,false,"stopped"]'
expect_eq "no fourth round" "$(jq -s length "$WORK/loop.out")" "3"
expect_eq "the mock was not asked for page 3 again" "$(logged)" "8"
expect_eq "the pages in flight were kept" "$(points 3300001)|$(points 3300002)" '[2990,2790,2590]|[1990,1790]'
expect_eq "the unread product is still listed" \
	"$(tk products show pdd 3300003 --json | jq -r .product.status)" "listed"
expect_eq "no error said" "$(grep -c . "$WORK/loop.err" || true)" "0"

# --- the time limit of a pull: a slow union (0.6 s a page), 1 s allowed
start_mock e2 "$WORK/products.json" --delay-products 0.6
write_conf "$WORK/slow.conf" "$MOCK_PORT" "pdd.product_page_size = 1" "pdd.product_pull_seconds = 1"
spec 2590 1790
expect_status "a pull past its time limit" 0 tk products sync pdd --config "$WORK/slow.conf"
expect_eq "incomplete, says why, marks nothing gone" \
	"$(jq -c '[.complete,.pages < 3,.gone,.incomplete]' "$WORK/out")" \
	'[false,true,0,"the pull took longer than pdd.product_pull_seconds = 1"]'
expect_eq "the product it did not reach is still listed" \
	"$(tk products show pdd 3300003 --json | jq -r .product.status)" "listed"
write_conf "$WORK/slow2.conf" "$MOCK_PORT" "pdd.product_page_size = 1" "pdd.product_pull_seconds = 5"
expect_status "with time enough" 0 tk products sync pdd --config "$WORK/slow2.conf"
expect_eq "complete" "$(jq -c '[.complete,.pages]' "$WORK/out")" '[true,3]'
write_conf "$WORK/bad.conf" "$MOCK_PORT" "pdd.product_pull_seconds = 86401"
expect_status "bounds checked" 2 tk products sync pdd --config "$WORK/bad.conf"
expect_grep "names the key" "pdd.product_pull_seconds: must be 1..86400 seconds" "$WORK/err"
finish

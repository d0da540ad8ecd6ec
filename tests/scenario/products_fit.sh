#!/usr/bin/env bash
# products_fit.sh — the team's own orders per category (conversion,
# repurchase interval, refund rate) and their weight in the score.
source "$(dirname "$0")/lib.sh"
F="$TUIKE_FIXTURES/products"
standard_plan
export TUIKE_NOW=2026-11-10T10:00:00+08:00
tk products import "$F/catalog.jsonl" >/dev/null
tk member add s --level super >/dev/null

# order UNION ITEM STATUS PRODUCT BUYER PAID_AT
order() {
	printf '{"union":"%s","item":"%s","order":"%s","status":"%s","modified_at":"%s","paid_at":"%s","amount":4990,"commission":998,"quantity":1,"product":"%s","title":"t","buyer":"%s","member":"s"}\n' \
		"$1" "$2" "$2" "$3" "$6" "$6" "$4" "$5"
}
{
	# tissues: five buyers each buying every ten days, none refunded
	for b in 1 2 3 4 5; do
		for k in 0 1 2 3 4; do
			order taobao "T$b$k" paid 600000000007 "b$b" "2026-10-0${b}T10:00:00+08:00" |
				sed "s/2026-10-0${b}T10/$(date -u -d "2026-10-0${b} +$((k * 10)) days" +%Y-%m-%d)T10/g"
		done
	done
	# shampoo: 20 orders, 6 refunded
	for k in $(seq 1 20); do
		st=paid
		[ "$k" -le 6 ] && st=invalid
		order jd "H$k" $st 100000000001 "h$k" "2026-10-15T10:00:00+08:00"
	done
	# the dash cam: one order, refunded
	order pdd C1 invalid 300000008 c1 "2026-10-20T10:00:00+08:00"
	# a product not in the catalogue
	order jd X1 paid 999 x1 "2026-10-20T10:00:00+08:00"
} >"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" >/dev/null

cats=$(tk products categories --json)
cat_of() { jq -c --arg c "$1" ".categories[]|select(.category==\$c)|$2" <<<"$cats"; }
expect_eq "tissues" "$(cat_of 日用百货 '[.orders,.refunds,.buyers,.repeat_buyers,.repurchase_interval_days]')" '[25,0,5,5,10]'
expect_eq "tissues sell" "$(cat_of 日用百货 .fit)" '"sells"'
expect_eq "shampoo refunds" "$(cat_of 美妆个护 '[.orders,.refunds,.refund_rate_bps]')" '[20,6,3000]'
expect_eq "cars: too few orders to judge" "$(cat_of 汽车用品 '[.orders,.refund_rate_bps,.fit]')" '[1,10000,"not_enough_orders"]'
expect_eq "no clicks yet" "$(cat_of 日用百货 '[.clicks,.conversion_bps]')" '[0,null]'
expect_eq "most orders first" "$(jq -r '.categories[0].category' <<<"$cats")" "日用百货"
expect_eq "outside the catalogue" "$(jq -c '.not_in_catalogue.orders' <<<"$cats")" "1"

# the score: the shampoo's refunds count against it
show=$(tk products show jd 100000000001 --json)
expect_eq "team figures" "$(jq -c '.team.product' <<<"$show")" '{"clicks":0,"orders":20,"refunds":6}'
expect_eq "refund estimate above the prior" "$(jq '.score.refund_bps > 800' <<<"$show")" "true"
expect_grep "refund reason" "team refund rate" <(jq -r '.score.reasons[].text' <<<"$show")
expect_eq "conversion neutral without clicks" "$(jq -c '[.score.terms.conversion.value,.score.conversion_from_team]' <<<"$show")" '[500,false]'
# a product of the category without orders of its own feels its category
expect_eq "category refunds" "$(tk products show jd 100000000002 --json | jq '.score.refund_bps > 800')" "true"
finish

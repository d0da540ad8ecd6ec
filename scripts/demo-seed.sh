#!/usr/bin/env bash
# demo-seed.sh URL KEY — gives a running demo server what a living platform
# has beyond its orders, through the API alone: union tags for the busiest
# sharers (so that their product links carry a tag), a promoter who can log
# in, a few withdrawals waiting in the queue, tracking links with clicks
# (real redirects through /s/CODE), the promoter's chat groups, and an
# investment-promotion head's merchant, channels, campaign and statement.
#
# Prints shell assignments: PROMOTER, PROMOTER_PASSWORD, OTHER (a member
# outside the promoter's team).  Idempotent enough to run twice: tags are
# replaced, the password set again, more withdrawals and clicks added.
set -euo pipefail
url=${1:?usage: demo-seed.sh URL KEY}
key=${2:?usage: demo-seed.sh URL KEY}
password=${DEMO_PASSWORD:-demo-promoter-2026}

api() {
	local method=$1 path=$2
	shift 2
	curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $key" \
		-H 'Content-Type: application/json' "$@" "$url/api/v1$path"
}

# the promoter: the direct invitee of the first founder with the biggest
# team; the other member: the next one (a sibling, outside its team)
team=$(api GET "/members/m1/team?limit=100")
promoter=$(jq -r '.members | sort_by(-.team_count) | .[0].id' <<<"$team")
other=$(jq -r '.members | sort_by(-.team_count) | .[1].id' <<<"$team")
api PUT "/members/$promoter/password" -d "{\"password\":\"$password\"}" >/dev/null

# union tags: the promoter and the 30 members who earned most this quarter
today=$(TZ=Asia/Shanghai date +%F)
from=$(TZ=Asia/Shanghai date -d "$today - 90 days" +%F)
sharers=$(api GET "/reports/top?by=members&metric=commission&limit=30&from=$from&to=$today" |
	jq -r '.items[].key')
n=0
for m in $promoter $sharers; do
	n=$((n + 1))
	api PUT /tags -d "{\"member\":\"$m\",\"union\":\"jd\",\"kind\":\"subUnionId\",\"value\":\"$m\"}" >/dev/null
	api PUT /tags -d "{\"member\":\"$m\",\"union\":\"taobao\",\"kind\":\"special_id\",\"value\":\"$((7000000 + n))\"}" >/dev/null
	api PUT /tags -d "{\"member\":\"$m\",\"union\":\"pdd\",\"kind\":\"uid\",\"value\":\"$m\"}" >/dev/null
done

# withdrawals waiting for a decision: three of the top earners with money
w=0
for m in $sharers; do
	avail=$(api GET "/members/$m/balance" | jq -r .available)
	[ "$avail" -ge 5000 ] || continue
	amount=$(( (avail / 2) / 100 * 100 ))
	[ "$amount" -gt 50000 ] && amount=50000
	api POST /withdrawals -d "{\"member\":\"$m\",\"amount\":$amount,\"method\":\"alipay\",\"account\":\"$m@example.com\"}" >/dev/null
	w=$((w + 1))
	[ "$w" -ge 3 ] && break
done

# links to the products most worth pushing, shared by the promoter and a
# few sharers, and clicks on them through the real redirect
products=$(api GET "/products/top?limit=8" | jq -r '.items[].product | "\(.union) \(.product)"')
agents=("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.47"
	"Mozilla/5.0 (Linux; Android 14; V2302A) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36")
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
link_orders=$(mktemp)
i=0
for m in $promoter $(head -n 4 <<<"$sharers"); do
	while read -r u p; do
		[ -n "$u" ] || continue
		i=$((i + 1))
		code=$(api POST /links -d "{\"member\":\"$m\",\"union\":\"$u\",\"product\":\"$p\",\"channel\":\"group-$((i % 3 + 1))\"}" |
			jq -r .code)
		for k in $(seq $(( (i * 7) % 13 + 3 ))); do
			curl -s -o /dev/null -A "${agents[$((k % 3))]}" "$url/s/$code"
		done
		# some of those clicks buy: an order through every fourth link (a
		# new buyer), so that the dashboard's conversion has something to
		# count (the demo's clicks come from one address: one unique each)
		for k in $( ((i % 4 == 0)) && echo 0); do
			jq -nc --arg u "$u" --arg p "$p" --arg code "$code" --arg at "$now" \
				--arg id "demo-link-$i-$k" \
				'{union: $u, item: $id, order: $id, status: "paid", modified_at: $at,
				  paid_at: $at, amount: 9900, commission: 990, quantity: 1, product: $p,
				  title: "", buyer: ("demo-buyer-" + $id), link: $code}' >>"$link_orders"
		done
	done <<<"$products"
done
if [ -s "$link_orders" ]; then
	curl -sS --fail-with-body -X POST -H "Authorization: Bearer $key" \
		--data-binary @"$link_orders" "$url/api/v1/orders/import" >/dev/null
fi
rm -f "$link_orders"

# the promoter's chat groups: one posted to by hand (its offers to copy on
# the promoter page) and a WeCom robot group not connected yet (its
# credentials are entered in the console); one offer made now for the first
group() {
	api POST /groups -d "{\"member\":\"$promoter\",\"kind\":\"$1\",\"name\":\"$2\",\"settings\":$3}" |
		jq -r .id
}
if [ "$(api GET "/groups?member=$promoter" | jq '.groups | length')" = 0 ]; then
	manual=$(group manual "家庭好物手动群" '{"schedule":{"times":["09:00","12:30","20:00"]},"categories":[]}')
	group wecom "宝妈福利 1 群" '{"schedule":{"every_minutes":60,"from":"09:00","to":"22:00"},"jitter_seconds":300}' >/dev/null
	api POST "/groups/$manual/send" -d '{}' >/dev/null
fi

# the investment-promotion head (docs/promotion-head.md): a merchant and its
# JD shop, three partner channels with their JD rids, this month's campaign
# (cpActId 5001) with two products and a slot fee, the union's head rows of
# the channels' sales (the service fee accrues), and the month's statement
if [ "$(api GET /merchants | jq '.merchants | length')" = 0 ]; then
	merchant=$(api POST /merchants -d '{"name":"宠物食品旗舰店","contact":"王经理",
		"terms":"服务费 5%，坑位费 300 元/渠道，月结"}' | jq -r .id)
	api POST "/merchants/$merchant/shops" -d '{"union":"jd","shop":"70001","name":"宠物食品京东旗舰店"}' >/dev/null
	channel() {
		local id
		id=$(api POST /channels -d "{\"name\":\"$1\",\"kind\":\"$2\",\"categories\":[\"6994\"]}" | jq -r .id)
		api POST "/channels/$id/ids" -d "{\"union\":\"jd\",\"kind\":\"rid\",\"value\":\"$3\"}" >/dev/null
		echo "$id"
	}
	channel 萌宠社群团队 team 880 >/dev/null
	channel 宠物达人小王 talent 881 >/dev/null
	app=$(channel 省钱导购App app 882)
	month=$(TZ=Asia/Shanghai date +%Y-%m)
	last=$(TZ=Asia/Shanghai date -d "$month-01 + 1 month - 1 day" +%F)
	campaign=$(api POST /campaigns -d "{\"merchant\":$merchant,\"union\":\"jd\",\"ext_id\":\"5001\",
		\"name\":\"本月宠物主粮专场\",\"promote_from\":\"$month-01\",\"promote_to\":\"$last\"}" | jq -r .id)
	api PUT "/campaigns/$campaign/items/100088001" -d '{"title":"宠物主粮 成犬粮 2kg","category":"6994",
		"price_fen":12900,"commission_permille":200,"service_fee_permille":50,"coupon_fen":2000}' >/dev/null
	api PUT "/campaigns/$campaign/items/100088002" -d '{"title":"猫砂 豆腐砂 6L","category":"6994",
		"price_fen":3990,"commission_permille":150,"service_fee_permille":40}' >/dev/null
	api POST "/campaigns/$campaign/status" -d '{"status":"approved"}' >/dev/null
	api POST "/campaigns/$campaign/slot-fees" -d "{\"channel\":$app,\"amount_fen\":30000,\"note\":\"首页坑位\"}" >/dev/null
	# JD's reply: head rows (unionRole 2) of the channels' sales today, the
	# fee JD reports for the head (5 % of 129.00, 4 % of 39.90); two cancelled
	rows=$(TZ=Asia/Shanghai jq -nc --arg day "$(TZ=Asia/Shanghai date +%F)" '
		[range(0; 14) as $i | ($i % 3) as $c | (if $i % 4 == 3 then 1 else 0 end) as $litter |
		 {id: ("DEMO-HEAD-\($i)"), orderId: (7700000 + $i), parentId: 0,
		  orderTime: ($day + " 08:0\($i % 10):00"), finishTime: "",
		  modifyTime: ($day + " 09:\(10 + $i):00"), skuId: (if $litter == 1 then 100088002 else 100088001 end),
		  skuName: (if $litter == 1 then "猫砂 豆腐砂 6L" else "宠物主粮 成犬粮 2kg" end),
		  skuNum: 1, skuReturnNum: 0, skuFrozenNum: 0,
		  price: (if $litter == 1 then 39.9 else 129 end),
		  estimateCosPrice: (if $litter == 1 then 39.9 else 129 end),
		  estimateFee: (if $litter == 1 then 1.59 else 6.45 end), actualCosPrice: 0, actualFee: 0,
		  commissionRate: 20, finalRate: 100, validCode: (if $i == 5 or $i == 11 then 3 else 16 end),
		  positionId: 0, subUnionId: "", pid: "", unionId: 1001234567, payMonth: 0, balanceExt: "",
		  cid1: 6994, cid2: 6995, cid3: 6996, popId: 70001, cpActId: 5001, unionRole: 2,
		  rid: (880 + $c), channelId: 0,
		  goodsInfo: {shopName: "宠物食品京东旗舰店", shopId: 70001}}]')
	jq -n --argjson rows "$rows" '{jd_union_open_order_row_query_responce: {code: "0",
		queryResult: ({code: 200, message: "success", hasMore: false, data: $rows} | tojson)}}' |
		curl -sS --fail-with-body -X POST -H "Authorization: Bearer $key" --data-binary @- \
			"$url/api/v1/orders/import?format=jd" >/dev/null
	api POST /statements -d "{\"month\":\"$month\"}" >/dev/null
fi

echo "PROMOTER=$promoter"
echo "PROMOTER_PASSWORD=$password"
echo "OTHER=$other"

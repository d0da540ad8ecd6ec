#!/usr/bin/env bash
# demo-seed.sh URL KEY — gives a running demo server what a living platform
# has beyond its orders, through the API alone: union tags for the busiest
# sharers (so that their product links carry a tag), a promoter who can log
# in, a few withdrawals waiting in the queue, tracking links with clicks
# (real redirects through /s/CODE), and the promoter's chat groups.
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

echo "PROMOTER=$promoter"
echo "PROMOTER_PASSWORD=$password"
echo "OTHER=$other"

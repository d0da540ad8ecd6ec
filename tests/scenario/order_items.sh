#!/usr/bin/env bash
# order_items.sh — the orders list (GET /api/v1/order-items) against a real
# `tuike serve`: each filter (paid days, union, status, sharer,
# attribution, chat group), each sort both ways paged by the cursor with no
# item twice and none left out (ties on the sort key included), the CSV
# export with its formula guard, a member seeing only the items that pay
# it with its own share, and the limits refused with the field named.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
tk member add gp --level mentor >/dev/null
tk member add p --parent gp --level mentor >/dev/null
tk member add s --parent p --level super >/dev/null
tk member add other --level super >/dev/null
tk group add s wecom 'g-s' >/dev/null # group 1, channel g1
OPS=$(tk apikey create console --role admin 2>/dev/null)

# item UNION KEY STATUS PAID_DAY|PAID_TIME HOUR AMOUNT COMMISSION MEMBER [CHANNEL] [TITLE]
item() {
	local paid=null member=null channel=null settled=null
	case $4 in
	"") ;;
	*T*) paid="\"$4\"" ;;
	*) paid="\"2026-11-$4T$5:00:00+08:00\"" ;;
	esac
	[ -n "${8:-}" ] && member="\"$8\""
	[ -n "${9:-}" ] && channel="\"$9\""
	[ "$3" = settled ] && settled="\"2026-11-09T10:00:00+08:00\""
	jq -nc --arg u "$1" --arg k "$2" --arg st "$3" --argjson paid "$paid" \
		--argjson settled "$settled" --argjson a "$6" --argjson c "$7" \
		--argjson m "$member" --argjson ch "$channel" --arg t "${10:-Item $2}" \
		'{union:$u, item:$k, order:("O" + $k), status:$st,
		  modified_at:"2026-11-09T12:00:00+08:00", paid_at:$paid, settled_at:$settled,
		  amount:$a, commission:$c, quantity:1, product:"p1", title:$t, member:$m,
		  channel:$ch}'
}
{
	# s's items: three paid in the same hour (ties), amounts that tie too
	for i in $(seq 1 12); do
		item jd "J$i" paid "0$((i % 5 + 1))" 10 $((1000 * (i % 4 + 1))) $((100 + i)) s
	done
	item jd J13 settled 02 10 5000 300 s
	item jd J14 invalid 03 11 6000 0 s
	# through s's chat group
	item jd G1 paid 04 09 2000 150 s g1
	item jd G2 received 04 09 2000 150 s g1 '=HYPERLINK("http://x","y")'
	# another sharer, another union
	for i in 1 2 3 4 5; do item taobao "T$i" paid 0$i 15 3000 200 other; done
	# unattributed, unpaid, and one long before
	item pdd U1 paid 06 08 800 40 ""
	item pdd U2 paid 06 08 800 40 ""
	item jd N1 unpaid "" "" 900 50 s
	item jd OLD paid 2025-01-02T10:00:00+08:00 "" 100 10 s
} >"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" >/dev/null
ALL=25

start_server
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"
expect_call "a password for p" 200 PUT /api/v1/members/p/password '{"password":"correct horse"}'

# keys QUERY: the item keys of one page, in order
keys() { body '[.items[].item] | join(" ")'; }

# ---- the whole list, newest paid first
expect_call "every item" 200 GET "/api/v1/order-items?limit=100"
conforms "the page" OrderItemPage
jq '.items[0]' "$WORK/body" >"$WORK/row.json" && cp "$WORK/body" "$WORK/page.json"
cp "$WORK/row.json" "$WORK/body" && conforms "a row" OrderItemRow && cp "$WORK/page.json" "$WORK/body"
expect_eq "all of them" "$(body '.items | length')" "$ALL"
expect_eq "the last page has no next" "$(body .next)" "null"
expect_eq "newest paid first, the unpaid last" \
	"$(body '[.items[].paid_at // "0"] | . == (sort | reverse)')" "true"
expect_eq "the unpaid item has no paid time" "$(body '.items[-1] | [.item, .paid_at] | @csv')" '"N1",'
expect_eq "a settled item's commission is actual" \
	"$(body '.items[] | select(.item == "J13") | [.commission_kind, .status] | @csv')" '"actual","settled"'
expect_eq "a paid one's estimated, with its sharer and share" \
	"$(body '.items[] | select(.item == "J1") | [.commission_kind, .member, .attribution, .share, .commission] | @csv')" \
	'"estimated","s","tag",50,101'
expect_eq "a group's item names its group" \
	"$(body '.items[] | select(.item == "G1") | [.group, .channel] | @csv')" '1,"g1"'
expect_eq "an unattributed item has no member" \
	"$(body '.items[] | select(.item == "U1") | [.member, .attribution, .share] | @csv')" ',"none",0'

# ---- paging: every sort both ways, 4 a page, gives the one-page order
for sort in paid_at amount commission; do
	for order in desc asc; do
		call GET "/api/v1/order-items?limit=100&sort=$sort&dir=$order"
		whole=$(keys)
		paged="" cursor="" pages=0
		while :; do
			call GET "/api/v1/order-items?limit=4&sort=$sort&dir=$order${cursor:+&before=$cursor}"
			[ "$STATUS" = 200 ] || { fail "page of $sort $order: $STATUS $(cat "$WORK/body")"; break; }
			paged="${paged:+$paged }$(keys)"
			pages=$((pages + 1))
			cursor=$(body '.next // empty')
			[ -n "$cursor" ] || break
			[ "$pages" -lt 20 ] || { fail "$sort $order: no end"; break; }
		done
		expect_eq "$sort $order: pages in the one-page order" "$paged" "$whole"
		expect_eq "$sort $order: each item once" \
			"$(echo "$paged" | tr ' ' '\n' | sort | uniq | wc -l)" "$ALL"
	done
done
call GET "/api/v1/order-items?limit=100&sort=amount&dir=asc"
expect_eq "by amount, smallest first" "$(body '[.items[].amount] | . == sort')" "true"
expect_eq "ties keep the id order" \
	"$(body '[.items[] | select(.amount == 2000) | .item] | join(" ")')" "J1 J5 J9 G1 G2"

# ---- filters
count() { call GET "/api/v1/order-items?limit=100&$1"; body '.items | length'; }
expect_eq "one union" "$(count union=taobao)" "5"
expect_eq "a product of one union" "$(count product=taobao:p1)" "5"
expect_eq "a product of any union" "$(count product=p1)" "25"
expect_eq "a product nobody bought" "$(count product=jd:p2)" "0"
expect_eq "several statuses" "$(count status=settled,invalid)" "2"
expect_eq "one sharer" "$(count member=other)" "5"
expect_eq "the unattributed" "$(count attribution=none)" "2"
expect_eq "tag or link" "$(count attribution=tag,link)" "23"
expect_eq "a chat group's" "$(count group=1)" "2"
expect_eq "paid days (Beijing)" "$(count 'from=2026-11-04&to=2026-11-04')" "5"
expect_eq "combined" "$(count 'from=2026-11-01&to=2026-11-30&union=jd&status=paid&member=s')" "13"
expect_eq "a range leaves the unpaid out" "$(count 'from=2026-11-01')" "23"
call GET "/api/v1/order-items?from=2026-11-04&to=2026-11-04"
expect_eq "the range is echoed" "$(body '[.from, .to] | @csv')" '"2026-11-04","2026-11-04"'

# ---- totals: the list's items counted and summed
call GET "/api/v1/order-items?limit=100&status=paid,received,settled&from=2026-11-01"
want=$(body '[(.items | length), ([.items[].amount] | add), ([.items[].commission] | add), ([.items[].share] | add)] | @csv')
expect_call "totals" 200 GET "/api/v1/order-items/totals?status=paid,received,settled&from=2026-11-01"
conforms "totals" OrderItemTotals
expect_eq "totals are the list's sums" "$(body '[.items, .amount, .commission, .share] | @csv')" "$want"
expect_eq "taobao's" "$(call GET "/api/v1/order-items/totals?union=taobao"; body '[.items, .amount, .commission] | @csv')" "5,15000,1000"
bad_totals() { expect_error "totals: $1" 400 invalid GET "/api/v1/order-items/totals?$2"; expect_eq "totals: names $3" "$(body .error.field)" "$3"; }
bad_totals "an unknown status" "status=lost" status

# ---- the export
call GET "/api/v1/order-items?format=csv&union=jd&sort=amount"
expect_eq "csv status" "$STATUS" "200"
expect_grep "csv content type" "text/csv" "$WORK/headers"
expect_eq "csv header" "$(head -1 "$WORK/body")" \
	"union,order,item,title,paid_at,status,amount_fen,commission_fen,commission_kind,member,attribution,group,share_fen"
expect_eq "csv: every jd item, no page limit" "$(($(wc -l <"$WORK/body") - 1))" "18"
expect_eq "csv: a formula is kept text" \
	"$(grep -c "^jd,OG2,G2,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"," "$WORK/body")" "1"
expect_eq "csv: largest first" "$(sed -n 2p "$WORK/body" | cut -d, -f3)" "J14"

# ---- a member: the items that pay it, its own share
expect_call "p logs in" 200 POST /api/v1/auth/login '{"member":"p","password":"correct horse"}'
TOKEN=$(body .token)
expect_call "p's orders" 200 GET "/api/v1/order-items?limit=100"
expect_eq "s's items (the unpaid and the old too) pay p, its upline; other's do not" "$(body '.items | length')" "18"
expect_eq "none of other's nor the unattributed" \
	"$(body '[.items[] | select(.member != "s")] | length')" "0"
p_share=$(body '.items[] | select(.item == "J13") | .share')
TOKEN="$OPS"
call GET /api/v1/orders/jd/J13
expect_eq "p's share is its split line" "$p_share" "$(body '.splits[] | select(.member == "p") | .amount')"
TOKEN=""
call POST /api/v1/auth/login '{"member":"p","password":"correct horse"}'
TOKEN=$(body .token)
expect_eq "a member's filter stays inside its items" "$(count member=other)" "0"
call GET "/api/v1/order-items?limit=100"
want=$(body '[(.items | length), ([.items[].share] | add)] | @csv')
call GET "/api/v1/order-items/totals"
expect_eq "a member's totals: its items, its own share" "$(body '[.items, .share] | @csv')" "$want"
call GET "/api/v1/order-items?format=csv"
expect_eq "a member's export is its items" "$(($(wc -l <"$WORK/body") - 1))" "18"
TOKEN="$OPS"

# ---- limits, each refused with its field
bad() {
	expect_error "$1" 400 "$2" GET "/api/v1/order-items?$3"
	expect_eq "$1: names $4" "$(body .error.field)" "$4"
}
bad "a range over 366 days" limit_exceeded 'from=2025-01-01&to=2026-01-02' from
bad "from after to" invalid 'from=2026-11-05&to=2026-11-01' from
bad "a bad date" invalid 'from=2026-13-01' from
bad "an unknown status" invalid 'status=paid,lost' status
bad "an unknown attribution" invalid 'attribution=magic' attribution
bad "an unknown union" invalid 'union=amazon' union
bad "an unknown sort" invalid 'sort=title' sort
bad "an unknown direction" invalid 'dir=up' dir
bad "a bad cursor" invalid 'before=abc' before
bad "a page too large" invalid 'limit=101' limit
bad "an unknown format" invalid 'format=xml' format
bad "a bad group" invalid 'group=0' group
bad "a product of no union" invalid 'product=amazon:1' product
bad "a product of another union" invalid 'union=jd&product=pdd:1' product
expect_error "an unknown group" 404 not_found GET "/api/v1/order-items?group=99"
expect_eq "names group" "$(body .error.field)" "group"
expect_error "an unknown member" 404 not_found GET "/api/v1/order-items?member=nobody"
expect_eq "names member" "$(body .error.field)" "member"

finish

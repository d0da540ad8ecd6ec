#!/usr/bin/env bash
# attribution.sh — every attribution path of DESIGN's order (self-purchase,
# lifetime binding, link, tag), the buyer namespaces, and a lifetime lock
# that does not depend on the order rows arrive in.
source "$TUIKE_SRC/tests/scenario/lib.sh"

standard_plan
show() { tk order show "$1" "$2" --json | jq -c "$3"; }
tk member add P --level super >/dev/null
tk member add Q --level mentor >/dev/null
tk member add S --level super >/dev/null

# --- a link code alone attributes to the link's owner, with its channel
code=$(tk link create S --url "https://item.jd.com/100.html" --channel wx-group-7 | cut -d' ' -f1)
row jd L1-1 paid 2026-11-01T10:00:00+08:00 1000 "" "" "" "$code" >"$WORK/l.jsonl"
tk orders import "$WORK/l.jsonl" >/dev/null
expect_eq "a link code attributes to its owner" "$(show jd L1-1 '[.attribution,.splits[0].member]')" \
	'["link","S"]'
expect_eq "and to the link's channel" "$(show jd L1-1 .channel)" '"wx-group-7"'
tk link revoke "$code" >/dev/null
row jd L2-1 paid 2026-11-01T11:00:00+08:00 1000 "" "" "" "$code" >"$WORK/l2.jsonl"
tk orders import "$WORK/l2.jsonl" >/dev/null
expect_eq "a click before the link was revoked still earns" \
	"$(show jd L2-1 '[.attribution,.splits[0].member]')" '["link","S"]'
row jd L3-1 paid 2026-11-01T11:00:00+08:00 1000 "" "" "" "NOSUCH9" >"$WORK/l3.jsonl"
tk orders import "$WORK/l3.jsonl" >/dev/null
expect_eq "an unknown link code: unattributed" "$(show jd L3-1 .attribution)" '"none"'

# --- union-side buyer ids are the union's own namespace
# a taobao row whose special_id happens to equal a member's id
tb_row() { # ITEM SPECIAL_ID RELATION_ID PAID
	jq -c --arg t "$1" --arg s "$2" --arg r "$3" --arg p "$4" \
		'.tbk_order_details_get_response.data.results.publisher_order_dto[0]
		 | .trade_id=$t | .trade_parent_id=("P"+$t) | .special_id=($s|tonumber)
		 | .relation_id=($r|tonumber) | .tk_status=12 | .tk_paid_time=$p | .modified_time=$p
		 | .tk_create_time=$p' "$TUIKE_FIXTURES/taobao/every_status.json"
}
tb_reply() { jq -s '{tbk_order_details_get_response:{data:{results:{publisher_order_dto:.},has_next:false}}}'; }
tk member add 7001 --parent Q --level super >/dev/null
tk tag set Q taobao relation_id 8001 >/dev/null
tb_row TB1 7001 8001 "2026-11-02 10:00:00" | tb_reply >"$WORK/tb1.json"
tk orders import "$WORK/tb1.json" --format taobao >/dev/null
expect_eq "a special_id equal to a member id is not that member's purchase" \
	"$(show taobao TB1 '[.attribution,.splits[0].member]')" '["tag","Q"]'
# a special_id registered to a member is that member's own purchase
tk tag set P taobao special_id 5005 >/dev/null
tb_row TB2 5005 8001 "2026-11-02 11:00:00" | tb_reply >"$WORK/tb2.json"
tk orders import "$WORK/tb2.json" --format taobao >/dev/null
expect_eq "a special_id registered to P: P's own purchase" \
	"$(show taobao TB2 '[.attribution,.self_purchase,.splits[0].member,.splits[0].role]')" \
	'["self_purchase",true,"P","self"]'
# the normalized buyer keeps its meaning: a member id there is that member
row jd N1-1 paid 2026-11-02T12:00:00+08:00 1000 "" P >"$WORK/n.jsonl"
tk orders import "$WORK/n.jsonl" >/dev/null
expect_eq "a member id as a file's buyer: that member's purchase" "$(show jd N1-1 .attribution)" \
	'"self_purchase"'

# --- the lifetime lock goes to the earliest attributed order, in any order
# two databases, the same rows in opposite orders
early=$(row jd B1-1 paid 2026-11-03T09:00:00+08:00 1000 "" buyer-x Q)
late=$(row jd B2-1 paid 2026-11-03T10:00:00+08:00 1000 "" buyer-x P)
later=$(row jd B3-1 paid 2026-11-03T11:00:00+08:00 1000 "" buyer-x)
printf '%s\n' "$late" >"$WORK/late.jsonl"
printf '%s\n' "$later" >"$WORK/later.jsonl"
printf '%s\n' "$early" >"$WORK/early.jsonl"
tk orders import "$WORK/late.jsonl" >/dev/null
tk orders import "$WORK/later.jsonl" >/dev/null
expect_eq "before the earlier order: bound to P" "$(show jd B3-1 '[.attribution,.splits[0].member]')" \
	'["binding","P"]'
tk settle --now 2026-11-04T00:00:00+08:00 >/dev/null
p_before=$(tk balance P --json | jq -c '[.pending,.available]')
tk orders import "$WORK/early.jsonl" >/dev/null
expect_eq "the earlier order binds to Q" "$(show jd B1-1 '[.attribution,.splits[0].member]')" '["tag","Q"]'
expect_eq "P's order is re-attributed to the binding" "$(show jd B2-1 '[.attribution,.splits[0].member]')" \
	'["binding","Q"]'
expect_eq "and the order after it" "$(show jd B3-1 '[.attribution,.splits[0].member]')" '["binding","Q"]'
expect_eq "P's pending money from them went back" "$(tk balance P --json | jq -c '[.pending,.available]')" \
	"$(jq -c '[.[0] - 500 - 500, .[1]]' <<<"$p_before")"
expect_status "audit holds after the binding moved" 0 tk audit

# the same rows in the opposite order, in a second database
DB1=$TUIKE_DB
TUIKE_DB=$(db_uri second)
standard_plan
tk member add P --level super >/dev/null
tk member add Q --level mentor >/dev/null
for f in early late later; do tk orders import "$WORK/$f.jsonl" >/dev/null; done
for i in B1-1 B2-1 B3-1; do
	a=$(TUIKE_DB=$DB1 tk order show jd $i --json | jq -c '[.attribution,[.splits[]|[.member,.amount]]]')
	b=$(tk order show jd $i --json | jq -c '[.attribution,[.splits[]|[.member,.amount]]]')
	expect_eq "$i: the same attribution and splits whatever the order of arrival" "$a" "$b"
done
expect_eq "P earns nothing from them" "$(bal P pending)" "0"
expect_eq "Q's pending is its three shares" "$(bal Q pending)" \
	"$(for i in B1-1 B2-1 B3-1; do tk order show jd $i --json | jq '.splits[0].amount'; done | jq -s add)"
expect_status "audit holds" 0 tk audit

# a binding that moves after the money was released claws it back
TUIKE_DB=$(db_uri third)
standard_plan
tk member add P --level super >/dev/null
tk member add Q --level mentor >/dev/null
row jd C2-1 settled 2026-11-03T10:00:00+08:00 1000 2026-11-03T12:00:00+08:00 buyer-y P >"$WORK/c2.jsonl"
tk orders import "$WORK/c2.jsonl" >/dev/null
tk settle --now 2026-11-20T00:00:00+08:00 >/dev/null
expect_eq "P's share released" "$(bal P available)" "500"
row jd C1-1 paid 2026-11-03T09:00:00+08:00 1000 "" buyer-y Q >"$WORK/c1.jsonl"
tk orders import "$WORK/c1.jsonl" >/dev/null
expect_eq "P's released share is clawed back" "$(bal P available)" "0"
expect_eq "Q holds it, frozen until the hold has passed" "$(show jd C2-1 '[.splits[0].member,.splits[0].state]')" \
	'["Q","frozen"]'
tk settle --now 2026-11-20T00:00:00+08:00 >/dev/null
expect_eq "then released to Q" "$(show jd C2-1 '.splits[0].state')" '"available"'
expect_status "audit holds" 0 tk audit

# --- re-attribution: a tag registered after its first orders came in
TUIKE_DB=$(db_uri fourth)
standard_plan
tk member add R --level super >/dev/null
tk member add T --parent R --level super >/dev/null
jd_row() { # ITEM SUBUNIONID PAID
	jq -c --arg i "$1" --arg s "$2" --arg p "$3" '.data[0] | .id=$i | .orderId=("O"+$i)
		| .subUnionId=$s | .validCode=16 | .orderTime=$p | .modifyTime=$p | .estimateFee=10' \
		"$WORK/jd_template.json"
}
jq '.jd_union_open_order_row_query_responce.queryResult | fromjson' \
	"$TUIKE_FIXTURES/jd/every_status.json" >"$WORK/jd_template.json"
jd_reply() { jq -s '{jd_union_open_order_row_query_responce:{code:"0",
	queryResult:({code:200,message:"success",data:.,hasMore:false}|tojson)}}'; }
{ jd_row R1 t-sub "2026-11-05 10:00:00"; jd_row R2 t-sub "2026-11-05 11:00:00"; } | jd_reply >"$WORK/r.json"
TUIKE_NOW=2026-11-05T12:00:00+08:00 tk orders import "$WORK/r.json" --format jd >/dev/null
expect_eq "an unknown tag: unattributed" "$(show jd R1 .attribution)" '"none"'
tk tag set T jd subUnionId t-sub >/dev/null
tk orders reattribute --dry-run --json >"$WORK/dry.json"
expect_eq "a dry run says what it would do" "$(jq -c '[.examined,.reattributed,.items[0].member]' "$WORK/dry.json")" \
	'[2,2,"T"]'
expect_eq "and changes nothing" "$(show jd R1 .attribution)" '"none"'
# after their first sight: not the level their chain gets
TUIKE_NOW=2026-11-06T12:00:00+08:00 tk member set-level R mentor >/dev/null
tk orders reattribute --json >"$WORK/re.json"
expect_eq "re-attribute" "$(jq -c '[.examined,.reattributed]' "$WORK/re.json")" '[2,2]'
expect_eq "R1 is T's, by its tag" "$(show jd R1 '[.attribution,.splits[0].member,.splits[1].member]')" \
	'["tag","T","R"]'
expect_eq "with R's level at first sight" "$(show jd R1 '.splits[1].level')" '"super"'
expect_eq "T's share is pending" "$(bal T pending)" "$(($(show jd R1 '.splits[0].amount') + $(show jd R2 '.splits[0].amount')))"
expect_eq "twice changes nothing" "$(tk orders reattribute --json | jq -c '[.examined,.reattributed]')" '[0,0]'
expect_status "audit holds" 0 tk audit
finish

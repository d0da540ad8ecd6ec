#!/usr/bin/env bash
# http_members_list.sh — the console's members list (GET /api/v1/members):
# each filter alone and combined, every sort both ways, cursor pages that
# neither repeat nor skip a member, the bounded total, the CSV export, q
# combined with filters, and limits refused naming the field.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
export TUIKE_NOW=2026-11-10T10:00:00+08:00
standard_plan
join() { TUIKE_NOW=$1 tk member add "${@:2}" >/dev/null; }
join 2026-10-01T09:00:00+08:00 boss --level partner
join 2026-10-15T09:00:00+08:00 lead --parent boss --level mentor
join 2026-11-02T09:00:00+08:00 amy --parent lead --level super
join 2026-11-05T09:00:00+08:00 bob --parent boss --level super
join 2026-11-08T23:30:00+08:00 cat --parent amy --level member
join 2026-11-08T23:30:00+08:00 dan --parent amy --level member
db_sql "UPDATE members SET name='洋洋妈' WHERE ext='amy'"
db_sql "UPDATE members SET name='bobcat' WHERE ext='cat'"
db_sql "UPDATE members SET name='=HYPERLINK(\"x\")' WHERE ext='dan'"
# 30 more joined in the same second: paging must order them by id
for i in $(seq -w 1 30); do join 2026-11-09T12:00:00+08:00 "p$i" --parent bob --level member; done
# sales (as sharer): amy 2 x 199.00 in November, bob 1 x 199.00, lead one in October
{
	row jd A-1 paid 2026-11-01T10:00:00+08:00 1000 "" "" amy
	row jd A-2 paid 2026-11-01T10:00:00+08:00 1000 "" "" amy
	row jd B-1 paid 2026-11-01T10:00:00+08:00 700 "" "" bob
	row jd L-1 paid 2026-11-01T10:00:00+08:00 700 "" "" lead | sed 's/"paid_at":"2026-11-01/"paid_at":"2026-10-20/'
} >"$WORK/orders.jsonl"
tk orders import "$WORK/orders.jsonl" >/dev/null
OPS=$(tk apikey create console --role admin 2>/dev/null)
start_server --access-log off
curl -s "$URL/api/v1/openapi.json" >"$WORK/openapi.json"
TOKEN="$OPS"
ids() { body '[.members[].id]|join(",")'; }
M=/api/v1/members

# ---- the whole list: newest first, a total, the sales period this month
expect_call "the list" 200 GET "$M?limit=5"
conforms "the list" MemberSearch
expect_eq "newest first, ties by id" "$(ids)" "p30,p29,p28,p27,p26"
expect_eq "the total" "$(body .total),$(body .total_more)" "36,false"
expect_eq "sales period: this month so far" "$(body .sales_from),$(body .sales_to)" "2026-11-01,2026-11-10"
expect_eq "a next cursor" "$(body '.next != null')" "true"

# ---- paging: every member once, none skipped, in both directions of each sort
page_all() { # page_all QUERY: ids of every page, one per line
	local cursor="" n=0
	while :; do
		call GET "$M?limit=7&$1${cursor:+&cursor=$cursor}"
		[ "$STATUS" = 200 ] || { fail "page $1: status $STATUS"; return; }
		body '.members[].id'
		cursor=$(body '.next // empty')
		n=$((n + 1))
		[ -n "$cursor" ] && [ $n -lt 20 ] || break
	done
}
all=$(db_sql "SELECT ext FROM members ORDER BY ext" | sort | tr '\n' ,)
for s in joined team id; do
	for o in desc asc; do
		got=$(page_all "sort=$s&order=$o")
		expect_eq "sort=$s&order=$o: each member once" "$(echo "$got" | sort | tr '\n' ,)" "$all"
		expect_eq "sort=$s&order=$o: no repeat" "$(echo "$got" | sort | uniq -d | wc -l)" "0"
	done
done
expect_eq "joined asc: the oldest first" "$(page_all 'sort=joined&order=asc' | head -3 | tr '\n' ,)" "boss,lead,amy,"
expect_eq "team desc: the biggest team first" "$(page_all 'sort=team' | head -3 | tr '\n' ,)" "boss,bob,lead,"
expect_eq "id asc: by internal id" "$(page_all 'sort=id&order=asc' | head -2 | tr '\n' ,)" "boss,lead,"
# a member who joins between pages is not handed out twice, nor pushes one out
call GET "$M?limit=3&sort=joined"
first=$(ids)
cursor=$(body .next)
join 2026-11-10T09:00:00+08:00 newbie --parent boss --level member
call GET "$M?limit=3&sort=joined&cursor=$cursor"
expect_eq "page 1 then 2 after a join: contiguous" "$first,$(ids)" "p30,p29,p28,p27,p26,p25"
all=$(db_sql "SELECT ext FROM members ORDER BY ext" | sort | tr '\n' ,)

# ---- sales: over this month by default, or a given period; sort by them
expect_call "sales at least 300.00 this month" 200 GET "$M?sales_min=30000"
expect_eq "only amy" "$(ids)" "amy"
expect_eq "with its sales" "$(body '.members[0].sales')" "39800"
expect_call "sales sort" 200 GET "$M?sort=sales"
expect_eq "the sellers of the month, most first" "$(ids)" "amy,bob"
expect_call "sales sort ascending" 200 GET "$M?sort=sales&order=asc"
expect_eq "least first" "$(ids)" "bob,amy"
expect_call "sales in October" 200 GET "$M?sales_min=1&sales_from=2026-10-01&sales_to=2026-10-31"
expect_eq "lead sold then" "$(ids)" "lead"
expect_eq "lead's October sales" "$(body '.members[0].sales')" "19900"
expect_call "rows carry the period's sales" 200 GET "$M?q=bob"
expect_eq "bob's sales without a sales filter" "$(body '.members[0].sales')" "19900"
call GET "$M?sort=sales&limit=1"
expect_call "sales sort, page 2" 200 GET "$M?sort=sales&limit=1&cursor=$(body .next)"
expect_eq "the second seller" "$(ids),$(body .next)" "bob,null"

# ---- level (several), join dates (Beijing days), team sizes, inviter
expect_call "one level" 200 GET "$M?level=super"
expect_eq "the supers" "$(ids)" "bob,amy"
expect_call "two levels" 200 GET "$M?level=super,partner&sort=id&order=asc"
expect_eq "supers and partners" "$(ids)" "boss,amy,bob"
expect_call "joined on one Beijing day" 200 GET "$M?joined_from=2026-11-08&joined_to=2026-11-08"
expect_eq "cat and dan (23:30 Beijing is the 8th)" "$(ids)" "dan,cat"
expect_call "joined in October" 200 GET "$M?joined_to=2026-10-31&order=asc"
expect_eq "boss and lead" "$(ids)" "boss,lead"
expect_call "direct invitees at least 3" 200 GET "$M?direct_min=3"
expect_eq "boss and bob" "$(ids)" "bob,boss"
expect_call "whole team at least 3" 200 GET "$M?team_min=3&sort=team"
expect_eq "boss, bob, lead" "$(ids)" "boss,bob,lead"
expect_call "an inviter's direct invitees" 200 GET "$M?parent=amy"
expect_eq "amy's" "$(ids)" "dan,cat"

# ---- combined, and q with filters
expect_call "level and joined and team" 200 GET "$M?level=super,mentor&joined_from=2026-10-02&team_min=2"
expect_eq "bob (31) and amy (2) and lead (4)" "$(ids)" "bob,amy,lead"
expect_call "level and sales" 200 GET "$M?level=mentor&sales_min=1"
expect_eq "no mentor sold in November" "$(ids),$(body .total)" ",0"
expect_call "q and a level" 200 GET "$M?q=p0&level=member&limit=3"
expect_eq "ids starting p0, newest first" "$(ids),$(body .total)" "p09,p08,p07,9"
expect_call "q naming a member exactly comes first" 200 GET "$M?q=p1&limit=3"
expect_eq "p1 is no member: prefix only" "$(ids),$(body .total)" "p19,p18,p17,10"
expect_call "q exact first" 200 GET "$M?q=amy"
expect_eq "amy" "$(ids)" "amy"
expect_call "q exact with a filter it fails" 200 GET "$M?q=amy&level=member"
expect_eq "nothing" "$(ids),$(body .total)" ",0"

call GET "$M?q=bob"
inv=$(body '.members[0].invite_code')
expect_call "q an invite code, then names" 200 GET "$M?q=$inv&limit=1"
expect_eq "bob by his invite code" "$(ids)" "bob"
expect_call "q by name" 200 GET "$M?q=%E6%B4%8B%E5%A6%88&team_min=1"
expect_eq "amy by her name" "$(ids)" "amy"
# the exact hit is first on page 1 and never again
call GET "$M?q=p&limit=4"
p1=$(ids)
expect_eq "q=p, a prefix of 30: total" "$(body .total)" "30"
got=$(page_all "q=p" | sort | uniq -d | wc -l)
expect_eq "q=p pages: no repeat" "$got" "0"
expect_eq "q=p pages: all 30" "$(page_all 'q=p' | wc -l)" "30"
call GET "$M?q=bob&limit=1"
expect_eq "only the exact hit fits: a next" "$(ids),$(body '.next')" "bob,0."
expect_call "then the rest" 200 GET "$M?q=bob&limit=1&cursor=0."
expect_eq "the name holding bob, and no more" "$(ids),$(body .next)" "cat,null"

# ---- the total is bounded: say "more" rather than count everything
db_sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050)
	INSERT INTO members(id, ext, parent, level, name, depth, created_at)
	SELECT 1000 + i, 'z' || i, NULL, 'member', '', 0, 1700000000 FROM n"
expect_call "a big list" 200 GET "$M?limit=1"
expect_eq "10000 and more" "$(body .total),$(body .total_more)" "10000,true"
expect_call "filtered below the cap: exact" 200 GET "$M?level=super"
expect_eq "2, exact" "$(body .total),$(body .total_more)" "2,false"

# ---- CSV of the current filters
expect_call "csv" 200 GET "$M?format=csv&level=member&q=dan"
expect_grep "a CSV" "text/csv" "$WORK/headers"
expect_eq "a header and one row" "$(wc -l <"$WORK/body")" "2"
expect_eq "the header" "$(head -1 "$WORK/body" | tr -d '\r')" "id,name,level,inviter,direct,team,sales_fen,invite_code,joined"
if grep -qF "dan,\"'=HYPERLINK(\"\"x\"\")\",member,amy,0,0,0," "$WORK/body"; then echo "ok: a formula kept as text"; else fail "a formula kept as text: $(cat "$WORK/body")"; fi
expect_call "csv with sales" 200 GET "$M?format=csv&sales_min=1&sort=sales"
expect_eq "amy then bob" "$(tail -n +2 "$WORK/body" | cut -d, -f1,7 | tr -d '\r' | tr '\n' ' ')" "amy,39800 bob,19900 "
expect_error "csv beyond 10000" 400 limit_exceeded GET "$M?format=csv"
expect_eq "names the field" "$(body .error.field)" "format"

# ---- limits, each refused naming its field
expect_error "a bad sort" 400 invalid GET "$M?sort=name"
expect_eq "names sort" "$(body .error.field)" "sort"
expect_error "a bad order" 400 invalid GET "$M?order=up"
expect_eq "names order" "$(body .error.field)" "order"
expect_error "a bad date" 400 invalid GET "$M?joined_from=2026-13-01"
expect_eq "names joined_from" "$(body .error.field)" "joined_from"
expect_error "dates reversed" 400 invalid GET "$M?joined_from=2026-11-02&joined_to=2026-11-01"
expect_eq "names joined_from" "$(body .error.field)" "joined_from"
expect_error "a sales period over a year" 400 limit_exceeded GET "$M?sales_from=2025-01-01&sales_to=2026-11-01"
expect_eq "names sales_from" "$(body .error.field)" "sales_from"
expect_error "a negative sales minimum" 400 invalid GET "$M?sales_min=-1"
expect_eq "names sales_min" "$(body .error.field)" "sales_min"
expect_error "a team minimum too big" 400 invalid GET "$M?team_min=99999999999"
expect_eq "names team_min" "$(body .error.field)" "team_min"
expect_error "nine levels" 400 limit_exceeded GET "$M?level=a,b,c,d,e,f,g,h,i"
expect_eq "names level" "$(body .error.field)" "level"
expect_error "an unknown inviter" 400 invalid GET "$M?parent=nobody"
expect_eq "names parent" "$(body .error.field)" "parent"
expect_error "a forged cursor" 400 invalid GET "$M?cursor=abc"
expect_eq "names cursor" "$(body .error.field)" "cursor"
expect_error "a limit over 100" 400 invalid GET "$M?limit=101"
expect_eq "names limit" "$(body .error.field)" "limit"
expect_error "an unknown format" 400 invalid GET "$M?format=xml"
expect_eq "names format" "$(body .error.field)" "format"
stop_server
finish

#!/usr/bin/env bash
# import_resync.sh — a bad line never costs the lines after it: CSV files
# with a broken quote in the middle, JSON Lines files (orders, union
# replies, members, products, links) with an over-long line in the middle.
# The bad record is refused with FILE:LINE and the field, the rest is
# imported, and the summary counts every line.
source "$(dirname "$0")/lib.sh"
standard_plan
tk member add a --level super >/dev/null

header=union,item,order,status,modified_at,paid_at,settled_at,amount,commission,quantity,product,title,buyer,member,link
# csv_orders FILE PREFIX TITLE BAD_ROW BAD_TITLE: a header and 100 rows,
# row BAD_ROW with BAD_TITLE as its title cell
csv_orders() {
	local i id title
	{
		echo "$header"
		for i in $(seq 1 100); do
			id=$(printf '%s%03d' "$2" "$i")
			title=$3
			if [ "$i" -eq "$4" ]; then title=$5; fi
			echo "jd,$id,$id,paid,2026-11-02T10:00:00+08:00,,,5000,100,1,p9,$title,,a,"
		done
	} >"$1"
}
# have UNION ITEM: 1 when the item was imported, else 0
have() { if tk order show "$1" "$2" --json >/dev/null 2>&1; then echo 1; else echo 0; fi; }
# count_items PREFIX: how many of PREFIX001..PREFIX100 were imported
count_items() { db_sql "SELECT count(*) FROM items WHERE item_key LIKE '$1%'"; }

# --- row 50 of 100 opens a quote it never closes; the next row's quote
# closes it and text follows: row 50 alone is refused, 51-100 imported
csv_orders "$WORK/orders.csv" Q '"Shampoo, 400ml"' 50 '"Shampoo, 400ml'
expect_status "bad quote in row 50" 2 tk orders import "$WORK/orders.csv"
expect_eq "every line counted" "$(cat "$WORK/out")" '{"read":100,"applied":99,"unchanged":0,"rejected":1}'
expect_grep "row 50 named by line and column" \
	"/orders.csv:51: title: text after a closing quote on line 52 \(the quoted cell opens here\)$" "$WORK/err"
expect_eq "one error only" "$(wc -l <"$WORK/err")" "1"
expect_eq "rows 1-49 and 51-100 in, 50 out" \
	"$(have jd Q001),$(have jd Q049),$(have jd Q050),$(have jd Q051),$(have jd Q100),$(count_items Q)" \
	"1,1,0,1,1,99"
expect_eq "row 51 intact" "$(tk order show jd Q051 --json | jq -c '[.status,.commission,.title]')" \
	'["paid",100,"Shampoo, 400ml"]'
expect_status "re-import applies nothing twice" 2 tk orders import "$WORK/orders.csv"
expect_eq "second counts" "$(cat "$WORK/out")" '{"read":100,"applied":0,"unchanged":99,"rejected":1}'

# --- no other quote in the file: the open quote is given up after 16 lines
csv_orders "$WORK/unclosed.csv" U 'Shampoo 400ml' 50 '"Shampoo 400ml'
expect_status "unclosed quote" 2 tk orders import "$WORK/unclosed.csv"
expect_eq "unclosed: every line counted" "$(cat "$WORK/out")" '{"read":100,"applied":99,"unchanged":0,"rejected":1}'
expect_grep "unclosed named" "/unclosed.csv:51: title: the quoted cell is not closed within 16 lines$" "$WORK/err"
expect_eq "unclosed: 51-100 in" "$(have jd U050),$(have jd U051),$(have jd U066),$(have jd U100),$(count_items U)" \
	"0,1,1,1,99"

# --- text after a closing quote on the same line; an open quote in the last row
csv_orders "$WORK/after.csv" A '"Shampoo, 400ml"' 50 '"Shampoo" 400ml'
expect_status "text after a quote" 2 tk orders import "$WORK/after.csv"
expect_eq "after: counts" "$(cat "$WORK/out")" '{"read":100,"applied":99,"unchanged":0,"rejected":1}'
expect_grep "after named" "/after.csv:51: title: text after the closing quote$" "$WORK/err"
csv_orders "$WORK/last.csv" L 'Shampoo 400ml' 100 '"Shampoo 400ml'
expect_status "open quote at the end" 2 tk orders import "$WORK/last.csv"
expect_eq "last: counts" "$(cat "$WORK/out")" '{"read":100,"applied":99,"unchanged":0,"rejected":1}'
expect_grep "last named" "/last.csv:101: title: the quoted cell is not closed by the end of the file$" "$WORK/err"

# --- a quoted cell with a line break, then a row with a cell too many:
# reading goes on at the line after the broken record's first
{
	echo "$header"
	echo 'jd,M001,M001,paid,2026-11-02T10:00:00+08:00,,,5000,100,1,p9,"two'
	echo 'lines",,a,'
	echo 'jd,M002,M002,paid,2026-11-02T10:00:00+08:00,,,5000,100,1,p9,"x,"y",,a,'
	echo 'jd,M003,M003,paid,2026-11-02T10:00:00+08:00,,,5000,100,1,p9,ok,,a,'
} >"$WORK/multi.csv"
expect_status "multi-line cell and a broken row" 2 tk orders import "$WORK/multi.csv"
expect_eq "multi: counts" "$(cat "$WORK/out")" '{"read":3,"applied":2,"unchanged":0,"rejected":1}'
expect_grep "broken row named" "/multi.csv:4: title: text after the closing quote$" "$WORK/err"
expect_eq "multi-line title kept" "$(tk order show jd M001 --json | jq -r .title)" $'two\nlines'
expect_eq "row after the broken one" "$(have jd M003)" "1"

# --- JSON Lines: an over-long line in the middle is refused, the rest goes on
order() { printf '{"union":"jd","item":"%s","status":"paid","modified_at":"2026-11-02T10:00:00+08:00","commission":100,"member":"a"}\n' "$1"; }
{
	order J1
	order J2
	printf '{"union":"jd","item":"J3","title":"'
	head -c 5000000 /dev/zero | tr '\0' x
	printf '"}\n'
	order J4
	order J5
} >"$WORK/big.jsonl"
expect_status "over-long JSON line" 2 tk orders import "$WORK/big.jsonl"
expect_eq "jsonl: counts" "$(cat "$WORK/out")" '{"read":5,"applied":4,"unchanged":0,"rejected":1}'
expect_grep "jsonl: line named" "/big.jsonl:3: line is longer than 4194304 bytes$" "$WORK/err"
expect_eq "jsonl: J4 and J5 in" "$(have jd J2),$(have jd J3),$(have jd J4),$(have jd J5)" "1,0,1,1"

# --- union replies (JSON Lines of bodies): the same
pdd() { printf '{"order_list_get_response":{"order_list":[{"order_sn":"%s","order_status":0,"order_modify_at":1790841600,"promotion_amount":5}]}}\n' "$1"; }
{
	pdd P1
	printf '{"order_list_get_response":"'
	head -c 5000000 /dev/zero | tr '\0' x
	printf '"}\n'
	pdd P3
} >"$WORK/pdd.jsonl"
expect_status "over-long reply line" 2 tk orders import "$WORK/pdd.jsonl" --format pdd
expect_eq "pdd: counts" "$(cat "$WORK/out")" '{"read":3,"applied":2,"unchanged":0,"rejected":1}'
expect_grep "pdd: line named" "/pdd.jsonl:2: line is longer than 4194304 bytes$" "$WORK/err"

# --- members, products and links: one policy
{
	echo '{"id":"m1","parent":"a"}'
	printf '{"id":"m2","name":"'
	head -c 70000 /dev/zero | tr '\0' x
	printf '"}\n'
	echo '{"id":"m3","parent":"m1"}'
} >"$WORK/members.jsonl"
expect_status "over-long member line" 2 tk member import "$WORK/members.jsonl"
expect_eq "members: counts" "$(cat "$WORK/out")" '{"read":3,"applied":2,"unchanged":0,"rejected":1}'
expect_grep "members: line named" "/members.jsonl:2: line is longer than 65536 bytes$" "$WORK/err"
expect_eq "members: m3 in" "$(tk member show m3 --json | jq -r .parent)" "m1"

{
	echo '{"union":"jd","product":"1","title":"一号商品","price":1000,"commission_bps":1000}'
	printf '{"union":"jd","product":"2","title":"x","image":"'
	head -c 70000 /dev/zero | tr '\0' a
	printf '"}\n'
	echo '{"union":"jd","product":"3","title":"三号商品","price":1000,"commission_bps":1000}'
} >"$WORK/products.jsonl"
expect_status "over-long product line" 2 tk products import "$WORK/products.jsonl"
expect_eq "products: counts" "$(cat "$WORK/out")" \
	"read 3: 2 new, 0 updated, 0 unchanged, 1 rejected; 0 price changes"
expect_grep "products: line named" "/products.jsonl:2: line is longer than 65536 bytes$" "$WORK/err"
expect_eq "products: 1 and 3 in" "$(tk products show jd 3 --json | jq -r .product.title)" "三号商品"

{
	echo '{"member":"a","url":"https://item.jd.com/1.html"}'
	printf '{"member":"a","url":"https://item.jd.com/'
	head -c 9000 /dev/zero | tr '\0' 2
	printf '.html"}\n'
	echo '{"member":"a","url":"https://item.jd.com/3.html"}'
} >"$WORK/links.jsonl"
expect_status "over-long link line" 2 tk link import "$WORK/links.jsonl"
expect_eq "links: counts" "$(cat "$WORK/out")" '{"read":3,"created":2,"rejected":1}'
expect_grep "links: line named" "/links.jsonl:2: line is longer than 8192 bytes$" "$WORK/err"
finish

#!/usr/bin/env bash
# links_slow_union.sh — a slow union stops nobody else: while a link
# creation waits on the union's conversion (the mock answers after
# --delay-convert seconds), other API calls answer at once, and a
# `tuike link import` waiting on the union holds no write transaction; the
# link is made and stored with its conversion once the union answers.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/feeds/sync_env.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
trap 'stop_mocks; for p in "${SERVER_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export TUIKE_NOW=2026-11-10T10:00:00+08:00
DELAY=3
standard_plan
feed_members
link_hash() { printf '%s|%s' "$1" "$2" | md5sum | cut -c1-10; }
ms() { date +%s%3N; }

row() { printf '{"union":"%s","product":"%s","title":"%s","category":"日用百货","price":5990,"commission_bps":2000,"sales":100,"url":"%s"}\n' "$@"; }
{
	row jd 100012043978 "JD 好物" https://item.jd.com/100012043978.html
	row pdd 3345678 "拼多多好物" "https://mobile.yangkeduo.com/goods.html?goods_id=3345678"
} >"$WORK/catalog.jsonl"
tk products import "$WORK/catalog.jsonl" >/dev/null

cat >"$WORK/convert.json" <<'JSON'
{"keys": {"jd": ["jd-key", "jd-secret"], "taobao": ["taobao-key", "taobao-secret"],
          "pdd": ["pdd-key", "pdd-secret"]},
 "convert_items": {"jd": ["100012043978"], "pdd": ["3345678"]}}
JSON
start_mock slow "$WORK/convert.json" --delay-convert "$DELAY"
write_conf "$WORK/c.conf" "$MOCK_PORT" "pdd.pid = 1001_2002"
key=$(tk apikey create ops --role admin | grep -o 'tk_[A-Za-z0-9_-]*' | head -1)
start_server --config "$WORK/c.conf"
TOKEN=$key

# --- the API: a link creation waits on the union; a balance answers at once
t0=$(ms)
curl -s -o "$WORK/slow.body" -w '%{http_code}' -X POST -H "Authorization: Bearer $key" \
	-H 'Content-Type: application/json' \
	--data-binary '{"member":"alice","union":"jd","product":"100012043978"}' \
	"$URL/api/v1/links" >"$WORK/slow.status" &
slow=$!
sleep 0.5
t1=$(ms)
expect_call "a balance while the union is slow" 200 GET /api/v1/members/bob/balance
t2=$(ms)
if [ $((t2 - t1)) -lt 1000 ]; then echo "ok: the balance answered in $((t2 - t1)) ms"
else fail "the balance waited $((t2 - t1)) ms on the union (delay ${DELAY}s)"; fi
expect_call "a product search while the union is slow" 200 GET "/api/v1/products?q=JD"
wait "$slow"
t3=$(ms)
expect_eq "the link creation still succeeds" "$(cat "$WORK/slow.status")" "201"
expect_eq "it waited on the union" "$([ $((t3 - t0)) -ge $((DELAY * 1000)) ] && echo yes)" "yes"
expect_eq "its target is JD's link for alice" "$(jq -r .target "$WORK/slow.body")" \
	"https://u.jd.com/$(link_hash https://item.jd.com/100012043978.html m-alice)"
expect_call "the link is stored" 200 GET "/api/v1/links/$(jq -r .code "$WORK/slow.body")"
expect_eq "with its conversion" "$(body .converted)" "true"

# --- two calls for one member and product at once: one conversion kept,
# both links point at it
two=()
for ch in a b; do
	curl -s -o "$WORK/two.$ch" -X POST -H "Authorization: Bearer $key" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"member\":\"bob\",\"union\":\"pdd\",\"product\":\"3345678\",\"channel\":\"$ch\"}" \
		"$URL/api/v1/links" &
	two+=($!)
done
wait "${two[@]}"
expect_eq "both links made" "$(jq -s '[.[]|select(.code)]|length' "$WORK/two.a" "$WORK/two.b")" "2"
expect_eq "both at one target" "$(jq -rs '[.[].target]|unique|length' "$WORK/two.a" "$WORK/two.b")" "1"
expect_eq "one conversion stored" \
	"$(db_sql "SELECT count(*) FROM conversions WHERE union_='pdd'")" "1"
stop_server

# --- link import: the union is called with no transaction open
printf '%s\n' '{"member":"alice","url":"https://item.jd.com/a"}' \
	'{"member":"bob","union":"jd","product":"100012043978"}' >"$WORK/links.jsonl"
tk link import "$WORK/links.jsonl" --config "$WORK/c.conf" >"$WORK/import.out" 2>&1 &
imp=$!
sleep 0.7
t1=$(ms)
expect_status "a member added while the import waits on the union" 0 tk member add carol
t2=$(ms)
if [ $((t2 - t1)) -lt 1500 ]; then echo "ok: the write went through in $((t2 - t1)) ms"
else fail "the write waited $((t2 - t1)) ms on the import's transaction"; fi
wait "$imp" || true
expect_eq "import made both links" "$(jq -r '[.created, .rejected]|@csv' "$WORK/import.out")" "2,0"
expect_eq "bob's imported link points at JD's link for him" \
	"$(db_sql "SELECT l.target FROM links l JOIN conversions c ON c.id=l.conversion WHERE l.member=c.member AND c.union_='jd' AND l.channel='' ORDER BY l.id DESC LIMIT 1")" \
	"https://u.jd.com/$(link_hash https://item.jd.com/100012043978.html m-bob)"
finish

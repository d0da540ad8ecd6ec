#!/usr/bin/env bash
# http_clicks.sh — no click is lost: a burst of redirects followed at once
# by SIGTERM finds every click in the database; a crash (SIGKILL) loses
# none that was flushed, and the link counters are made whole again from
# the clicks at the next start; a restart remembers which clicks were
# unique within the hour.
source "$(dirname "$0")/lib.sh"
source "$TUIKE_SRC/tests/http/server_lib.sh"
standard_plan
tk member add s --level super >/dev/null
# the shop the links below lead to is not a union's: an operator allows it
tk link allow add shop.example.com >/dev/null
code=$(tk link create s --url https://shop.example.com/item --channel g1 --json | jq -r .code)
code2=$(tk link create s --url https://shop.example.com/other --json | jq -r .code)
clicks_in_db() { db_sql "SELECT count(*) FROM clicks"; }
# link_count COLUMN CODE: a link's counter as stored
link_count() {
	db_sql "SELECT c.$1 FROM link_counts c JOIN links l ON l.id = c.link WHERE l.code = '$2'"
}

# ---- SIGTERM right after a burst: the buffer is written before exit
start_server --flush-ms 1000 --access-log off
N=400
for i in $(seq "$N"); do
	printf 'url = "%s/s/%s"\noutput = /dev/null\nuser-agent = "Mozilla/5.0 (visitor %d)"\n' \
		"$URL" "$code" "$i"
done >"$WORK/burst.cfg"
curl -s -K "$WORK/burst.cfg"
pending=$(curl -s "$URL/health" | jq .clicks.pending)
echo "clicks still in memory at SIGTERM: $pending"
stop_server
expect_eq "orderly stop after the burst" "$STOP_STATUS" "0"
expect_eq "every click of the burst stored" "$(clicks_in_db)" "$N"
expect_eq "the link counts them all" "$(link_count clicks "$code")" "$N"
expect_eq "the daily statistics count them all" \
	"$(db_sql "SELECT sum(clicks) FROM daily_stats WHERE dim = 0")" "$N"
expect_eq "and per channel" \
	"$(db_sql "SELECT sum(clicks) FROM daily_stats WHERE dim = 3 AND key = 'g1'")" "$N"
expect_eq "one address: one unique click" \
	"$(link_count unique_clicks "$code")" "1"

# ---- a restart remembers the hour: the same address is not unique again
start_server --flush-ms 50 --access-log off
curl -s -o /dev/null -A "Mozilla/5.0" "$URL/s/$code"
curl -s -o /dev/null -A "Mozilla/5.0" "$URL/s/$code2"
stop_server
expect_eq "not unique again on the same link" \
	"$(link_count unique_clicks "$code")" "1"
expect_eq "unique on another link" \
	"$(link_count unique_clicks "$code2")" "1"

# ---- a crash: what was flushed stays, and the counters catch up
start_server --flush-ms 20 --access-log off
before=$(clicks_in_db)
for _ in 1 2 3 4 5; do curl -s -o /dev/null -A "Mozilla/5.0" "$URL/s/$code2"; done
for _ in $(seq 200); do
	[ "$(curl -s "$URL/health" | jq .clicks.written)" = 5 ] && break
	sleep 0.05
done
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
expect_eq "flushed clicks survive a crash" "$(clicks_in_db)" "$((before + 5))"
start_server --access-log off
TOKEN=$(tk apikey create t --role admin 2>/dev/null)
call GET "/api/v1/links/$code2"
expect_eq "counters recounted from the clicks" "$(body .clicks)" "6"
stop_server
expect_eq "and written back" "$(link_count clicks "$code2")" "6"
expect_eq "audit still holds" "$(tk audit >/dev/null && echo ok)" "ok"
finish

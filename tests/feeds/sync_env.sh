# sync_env.sh — for the feeds scenario tests: a local mock union server
# (mock_union.py) and a sync config pointing at it.  Sourced after
# tests/scenario/lib.sh; every server it starts is stopped on exit.
FEEDS_DIR="$TUIKE_SRC/tests/feeds"
MOCK_PIDS=()
# Credentials the mock data sets expect (mock_data.py's defaults).
JD_SECRET=jd-secret

stop_mocks() {
	local pid
	for pid in "${MOCK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${MOCK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	MOCK_PIDS=()
}
trap 'stop_mocks; rm -rf "$WORK"' EXIT

# mock_data OUT START_UNIX HOURS PER_UNION
mock_data() {
	python3 "$FEEDS_DIR/mock_data.py" --out "$1" --start "$2" --hours "$3" --per-union "$4"
}

# start_mock NAME DATA [mock options...]: sets MOCK_PORT; logs to $WORK/NAME.log
start_mock() {
	local name=$1 data=$2
	shift 2
	rm -f "$WORK/$name.port" "$WORK/$name.log"
	# bounded: at most 20000 requests and 10 minutes
	timeout 600 python3 "$FEEDS_DIR/mock_union.py" --data "$data" \
		--port-file "$WORK/$name.port" --log "$WORK/$name.log" --max-requests 20000 "$@" &
	MOCK_PIDS+=($!)
	local i
	for i in $(seq 1 100); do
		[ -s "$WORK/$name.port" ] && break
		sleep 0.1
	done
	[ -s "$WORK/$name.port" ] || { echo "mock server $name did not start" >&2; exit 1; }
	MOCK_PORT=$(cat "$WORK/$name.port")
	touch "$WORK/$name.log"
}

# write_conf FILE PORT [extra lines...]: credentials the mock accepts, small
# pages (many requests) and a short backoff.
write_conf() {
	local file=$1 port=$2 u
	shift 2
	: >"$file"
	for u in jd taobao pdd; do
		{
			echo "$u.app_key = $u-key"
			echo "$u.app_secret = $u-secret"
			echo "$u.url = http://127.0.0.1:$port/$u"
			echo "$u.page_size = ${PAGE_SIZE:-20}"
		} >>"$file"
	done
	echo "sync.retry_base = 5ms" >>"$file"
	echo "sync.retry_max = 50ms" >>"$file"
	local line
	for line in "$@"; do echo "$line" >>"$file"; done
}

# requests NAME: how many requests the mock has logged
requests() { grep -c . "$WORK/$1.log" || true; }

# members and tags the mock data sets use
feed_members() {
	tk member add alice --level super >/dev/null
	tk member add bob --parent alice --level mentor >/dev/null
	tk tag set alice jd subUnionId m-alice >/dev/null
	tk tag set bob jd subUnionId m-bob >/dev/null
	tk tag set alice pdd uid m-alice >/dev/null
	tk tag set bob pdd uid m-bob >/dev/null
	tk tag set bob taobao special_id 7001 >/dev/null
	tk tag set alice taobao relation_id 8002 >/dev/null
}

# state DB: the money state of a database, for comparing runs
state() {
	db_sql --db "$1" "SELECT union_, item_key, status, commission, amount, attribution, n_chain,
		m1, a1, b1, m2, a2, b2, m3, a3, b3, platform FROM items ORDER BY union_, item_key;
		SELECT account, balance FROM balances WHERE balance <> 0 ORDER BY account;
		SELECT i.union_, i.item_key, t.account, sum(t.amount) FROM
		 (SELECT item, credit AS account, amount FROM transfers
		  UNION ALL SELECT item, debit, -amount FROM transfers) t
		 JOIN items i ON i.id = t.item GROUP BY 1, 2, 3 HAVING sum(t.amount) <> 0 ORDER BY 1, 2, 3;
		SELECT union_, item_key, refunded, modified_at FROM item_refunds ORDER BY 1, 2;"
}

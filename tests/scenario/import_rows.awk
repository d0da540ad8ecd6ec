# import_rows.awk — the rows of a long order import, as JSON Lines of
# normalized orders: n items (awk -v n=N) of 20 sharers m1..m20, each paid,
# a third of them settled.  Used by import_under_load.sh and by the
# benchmark bench/import_load.
BEGIN {
	for (i = 1; i <= n; i++) {
		st = (i % 3 == 0) ? "settled" : "paid"
		set = (st == "settled") ? "\"2026-11-10T10:00:00+08:00\"" : "null"
		printf "{\"union\":\"jd\",\"item\":\"L%d-1\",\"order\":\"L%d\",\"status\":\"%s\"," \
			"\"modified_at\":\"2026-11-10T10:00:00+08:00\",\"paid_at\":\"2026-11-01T10:00:00+08:00\"," \
			"\"settled_at\":%s,\"amount\":19900,\"commission\":%d,\"quantity\":1," \
			"\"product\":\"p%d\",\"title\":\"t\",\"buyer\":\"b%d\",\"member\":\"m%d\",\"link\":null}\n",
			i, i, st, set, 100 + i % 900, i % 5000, i, 1 + i % 20
	}
}

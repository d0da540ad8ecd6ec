/* test_property.c — random members, plans and item histories, fed shuffled,
 * with duplicates and across batch boundaries.  After settle the audit must
 * hold and every balance must equal what a straightforward model computes
 * from each item's final state alone.  The model's split is written here
 * from DESIGN's rules, independently of plan_split(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "engine/engine.h"

static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}
static int64_t pick(int64_t n)
{
	return (int64_t)(next() % (uint64_t)n);
}

#define N_MEMBERS 120
#define N_ITEMS 400
#define MAX_ROWS 6
#define BASE_TIME INT64_C(1790000000)

struct model_plan {
	bool fixed;
	int max_tiers;
	int32_t peer, tiers[2], min_bps;
	int hold_days;
	int n_levels;
	int32_t rate[5];
	bool share[5];
};

struct model_member {
	int parent; /* index, -1 = root */
	int level;
};

struct model_item {
	int sharer;       /* member index, -1 = nobody */
	bool self;        /* the buyer is the sharer */
	bool unknown_tag; /* names a member that does not exist */
	int n_rows;
	struct order_row rows[MAX_ROWS];
	int64_t refunded; /* from a refund record, taobao only */
	bool has_refund;
	int64_t refund_at;
};

static struct model_plan mp;
static struct model_member members[N_MEMBERS];
static struct model_item items[N_ITEMS];

static void random_plan(void)
{
	memset(&mp, 0, sizeof(mp));
	mp.fixed = next() & 1;
	mp.max_tiers = 1 + (int)pick(3);
	mp.min_bps = (int32_t)pick(3000);
	mp.hold_days = (int)pick(10);
	mp.n_levels = 2 + (int)pick(4);
	int32_t budget = 10000 - mp.min_bps;
	int32_t maxrate = 0;
	for (int i = 0; i < mp.n_levels; i++) {
		mp.rate[i] = (int32_t)pick(budget / 2 + 1);
		mp.share[i] = i == 0 ? (next() & 1) : true;
		if (mp.rate[i] > maxrate)
			maxrate = mp.rate[i];
	}
	int32_t left = budget - maxrate;
	if (mp.fixed) {
		mp.tiers[0] = (int32_t)pick(left / 2 + 1);
		mp.tiers[1] = (int32_t)pick(left - mp.tiers[0] + 1);
	} else {
		mp.peer = (int32_t)pick(left + 1);
	}
}

static char *plan_text(void)
{
	static char buf[4096];
	int n = snprintf(buf, sizeof(buf),
			 "{\"name\":\"p\",\"mode\":\"%s\",\"max_tiers\":%d,\"platform_min_bps\":%d,"
			 "\"peer_bonus_bps\":%d,\"tiers_bps\":[%d,%d],\"hold_days\":%d,\"levels\":[",
			 mp.fixed ? "fixed" : "differential", mp.max_tiers, mp.min_bps, mp.peer,
			 mp.tiers[0], mp.tiers[1], mp.hold_days);
	for (int i = 0; i < mp.n_levels; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "%s{\"key\":\"l%d\",\"rate_bps\":%d,\"can_share\":%s}", i ? "," : "", i,
			      mp.rate[i], mp.share[i] ? "true" : "false");
	snprintf(buf + n, sizeof(buf) - (size_t)n, "]}");
	return buf;
}

/* DESIGN's split, restated plainly. */
static void model_split(int sharer, bool self, int64_t c, int64_t out[3], int who[3], int *n)
{
	*n = 0;
	int32_t highest = 0;
	bool peer_paid = false;
	for (int m = sharer, t = 0; m >= 0 && t < mp.max_tiers; m = members[m].parent, t++) {
		int lv = members[m].level;
		bool earns = (t == 0 && self) || mp.share[lv];
		int32_t r = earns ? mp.rate[lv] : 0, pay = 0;
		if (mp.fixed) {
			pay = t == 0 ? r : earns ? mp.tiers[t - 1] : 0;
		} else if (r > highest) {
			pay = r - highest;
			highest = r;
		} else if (t > 0 && r == highest && r > 0 && !peer_paid) {
			pay = mp.peer;
			peer_paid = true;
		}
		who[*n] = m;
		out[(*n)++] = c * pay / 10000;
	}
}

static void random_world(void)
{
	random_plan();
	for (int i = 0; i < N_MEMBERS; i++) {
		members[i].parent = i == 0 || pick(8) == 0 ? -1 : (int)pick(i);
		members[i].level = (int)pick(mp.n_levels);
	}
	static const char *const unions[] = {"jd", "taobao", "pdd"};
	for (int k = 0; k < N_ITEMS; k++) {
		struct model_item *it = &items[k];
		memset(it, 0, sizeof(*it));
		int kind = (int)pick(10);
		it->sharer = kind < 7 ? (int)pick(N_MEMBERS) : -1;
		it->self = kind < 2;
		it->unknown_tag = kind == 9;
		it->n_rows = 1 + (int)pick(MAX_ROWS);
		const char *u = unions[pick(3)];
		int64_t t = BASE_TIME + pick(86400 * 30);
		for (int r = 0; r < it->n_rows; r++) {
			struct order_row *row = &it->rows[r];
			snprintf(row->union_, sizeof(row->union_), "%s", u);
			snprintf(row->item, sizeof(row->item), "I%d", k);
			snprintf(row->order, sizeof(row->order), "O%d", k / 2);
			snprintf(row->product, sizeof(row->product), "P%d", k % 13);
			t += 1 + pick(86400 * 3);
			row->modified_at = t;
			row->paid_at = BASE_TIME;
			row->status = (enum order_status)pick(5);
			row->commission = pick(100000);
			row->amount = row->commission * 10;
			row->quantity = 1;
			if (row->status == ST_SETTLED)
				row->settled_at = t;
			if (it->self)
				snprintf(row->buyer, sizeof(row->buyer), "m%d", it->sharer);
			else
				snprintf(row->buyer, sizeof(row->buyer), "buyer%d", k);
			if (it->unknown_tag)
				snprintf(row->member, sizeof(row->member), "ghost%d", k);
			else if (it->sharer >= 0 && !it->self)
				snprintf(row->member, sizeof(row->member), "m%d", it->sharer);
		}
		if (strcmp(u, "taobao") == 0 && pick(3) == 0) {
			it->has_refund = true;
			it->refunded = pick(60000);
			it->refund_at = t + pick(86400 * 5);
		}
	}
}

struct expect {
	int64_t pending, frozen, available, revenue;
};

static void model_balances(int64_t now, struct expect *m, int64_t *revenue)
{
	memset(m, 0, sizeof(*m) * N_MEMBERS);
	*revenue = 0;
	for (int k = 0; k < N_ITEMS; k++) {
		const struct model_item *it = &items[k];
		const struct order_row *last = &it->rows[it->n_rows - 1]; /* times increase */
		bool earns = last->status == ST_PAID || last->status == ST_RECEIVED ||
			     last->status == ST_SETTLED;
		if (!earns)
			continue;
		int64_t c = last->commission - (it->has_refund ? it->refunded : 0);
		if (c < 0)
			c = 0;
		int64_t share[3];
		int who[3], n = 0;
		if (it->sharer >= 0 && !it->unknown_tag)
			model_split(it->sharer, it->self, c, share, who, &n);
		int64_t paid = 0;
		for (int i = 0; i < n; i++) {
			paid += share[i];
			if (last->status != ST_SETTLED)
				m[who[i]].pending += share[i];
			else if (last->settled_at + mp.hold_days * 86400 <= now)
				m[who[i]].available += share[i];
			else
				m[who[i]].frozen += share[i];
		}
		*revenue += c - paid;
	}
}

/* One figure of a query on the test's database. */
static int64_t query_i64(sqlite3 *db, const char *sql, const char *text)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (text)
		sqlite3_bind_text(q, 1, text, -1, SQLITE_TRANSIENT);
	int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return v;
}

/* The report rollups (daily_stats) and the team sales (team_daily) are
 * kept by changes over shuffled histories and arbitrary batch boundaries;
 * they must equal what the items' final states alone give. */
static void check_rollups(const char *path, uint64_t seed)
{
	enum { ORD, GMV, COM, MEM, PLAT, SORD, SCOM, INV, OWN_GMV, OWN_COM, TEAM_GMV, TEAM_COM, F_N };
	static const char *const col[F_N] = {
		"orders", "gmv", "commission", "members_share", "platform_share",
		"settled_orders", "settled_commission", "invalid_orders",
		"own_gmv", "own_commission", "team_gmv", "team_commission"};
	static int64_t per[N_MEMBERS][F_N];
	int64_t total[F_N] = {0};
	memset(per, 0, sizeof(per));
	for (int k = 0; k < N_ITEMS; k++) {
		const struct model_item *it = &items[k];
		const struct order_row *last = &it->rows[it->n_rows - 1];
		bool earns = last->status == ST_PAID || last->status == ST_RECEIVED ||
			     last->status == ST_SETTLED;
		int64_t v[F_N] = {0};
		v[INV] = last->status == ST_INVALID;
		if (earns) {
			int64_t c = last->commission - (it->has_refund ? it->refunded : 0);
			c = c < 0 ? 0 : c;
			int64_t share[3];
			int who[3], n = 0;
			if (it->sharer >= 0)
				model_split(it->sharer, it->self, c, share, who, &n);
			v[ORD] = 1, v[GMV] = last->amount, v[COM] = c, v[PLAT] = c;
			for (int i = 0; i < n; i++)
				v[MEM] += share[i], v[PLAT] -= share[i];
			if (last->status == ST_SETTLED)
				v[SORD] = 1, v[SCOM] = c;
		}
		for (int f = ORD; f <= INV; f++)
			total[f] += v[f];
		if (it->sharer < 0)
			continue;
		for (int f = ORD; f <= INV; f++)
			per[it->sharer][f] += v[f];
		per[it->sharer][OWN_GMV] += v[GMV];
		per[it->sharer][OWN_COM] += v[COM];
		for (int a = it->sharer; a >= 0; a = members[a].parent)
			per[a][TEAM_GMV] += v[GMV], per[a][TEAM_COM] += v[COM];
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char sql[256];
	for (int f = ORD; f <= INV; f++) {
		snprintf(sql, sizeof(sql), "SELECT coalesce(sum(%s), 0) FROM daily_stats WHERE dim = 0",
			 col[f]);
		int64_t got = query_i64(db, sql, NULL);
		if (got != total[f])
			fail_msg("seed %llu: daily_stats total %s is %lld, the items give %lld",
				 (unsigned long long)seed, col[f], (long long)got, (long long)total[f]);
	}
	for (int m = 0; m < N_MEMBERS; m++) {
		char id[16];
		snprintf(id, sizeof(id), "m%d", m);
		for (int f = 0; f < F_N; f++) {
			if (f <= INV)
				snprintf(sql, sizeof(sql),
					 "SELECT coalesce(sum(%s), 0) FROM daily_stats"
					 " WHERE dim = 1 AND key = ?1", col[f]);
			else
				snprintf(sql, sizeof(sql),
					 "SELECT coalesce(sum(%s), 0) FROM team_daily WHERE member ="
					 " (SELECT id FROM members WHERE ext = ?1)", col[f]);
			int64_t got = query_i64(db, sql, id);
			if (got != per[m][f])
				fail_msg("seed %llu member %s: %s is %lld, the items give %lld",
					 (unsigned long long)seed, id, col[f], (long long)got,
					 (long long)per[m][f]);
		}
	}
	/* each product's order and refund counts, kept on write, equal a count
	 * over the items (both ways: nothing missing, nothing extra) */
	static const char *const sales_diff[] = {
		"SELECT count(*) FROM (SELECT union_, product, count(*),"
		" sum(CASE WHEN status = 4 OR refunded > 0 THEN 1 ELSE 0 END) FROM items"
		" WHERE paid_at > 0 AND product <> '' GROUP BY 1, 2 EXCEPT"
		" SELECT union_, product, orders, refunds FROM product_sales)",
		"SELECT count(*) FROM (SELECT union_, product, orders, refunds FROM product_sales"
		" WHERE orders <> 0 OR refunds <> 0 EXCEPT SELECT union_, product, count(*),"
		" sum(CASE WHEN status = 4 OR refunded > 0 THEN 1 ELSE 0 END) FROM items"
		" WHERE paid_at > 0 AND product <> '' GROUP BY 1, 2)",
	};
	for (int i = 0; i < 2; i++) {
		int64_t bad = query_i64(db, sales_diff[i], NULL);
		if (bad)
			fail_msg("seed %llu: %lld products' sales differ from their items (%s)",
				 (unsigned long long)seed, (long long)bad, i ? "extra" : "missing");
	}
	assert_true(query_i64(db, "SELECT count(*) FROM product_sales", NULL) > 0);
	sqlite3_close(db);
}

struct feed_row {
	const struct order_row *row;
};

static void import_all(struct engine *e, struct order_row **rows, int n)
{
	struct tk_error err = {0};
	enum import_outcome out;
	int batch = 1 + (int)pick(97);
	assert_int_equal(engine_import_begin(e, &err), TK_OK);
	for (int i = 0; i < n; i++) {
		if (engine_import_row(e, rows[i], &out, &err))
			fail_msg("row %d rejected: %s: %s", i, err.field, err.msg);
		if ((i + 1) % batch == 0) {
			assert_int_equal(engine_import_commit(e, &err), TK_OK);
			assert_int_equal(engine_import_begin(e, &err), TK_OK);
		}
	}
	assert_int_equal(engine_import_commit(e, &err), TK_OK);
}

/* A fresh database path.  /dev/shm when there is one: the test checks what
 * is written, not that it survives a power cut, and a commit there costs
 * no flush to disk. */
static void temp_db(char path[64])
{
	snprintf(path, 64, "%s/tuike-prop-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
}

static void remove_db(const char *path)
{
	char side[80];
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* A new database with the world's plan and members. */
static struct engine *open_world(const char *path)
{
	struct engine *e;
	struct tk_error err = {0};
	assert_int_equal(engine_open(path, &e, &err), TK_OK);
	const char *pt = plan_text();
	int64_t version;
	if (engine_plan_set(e, pt, strlen(pt), &version, &err))
		fail_msg("plan refused: %s %s (%s)", err.field, err.msg, pt);
	for (int i = 0; i < N_MEMBERS; i++) {
		char id[16], parent[16], level[8];
		snprintf(id, sizeof(id), "m%d", i);
		snprintf(parent, sizeof(parent), "m%d", members[i].parent);
		snprintf(level, sizeof(level), "l%d", members[i].level);
		if (engine_member_add(e, id, members[i].parent >= 0 ? parent : NULL, level, NULL, NULL,
				      &err))
			fail_msg("member %s: %s", id, err.msg);
	}
	return e;
}

/* Every row, a third of them twice, plus refund records (some twice, some
 * stale), in item order; `refunds` holds N_ITEMS * 2 rows, `feed`
 * FEED_MAX.  Returns the number of rows. */
#define FEED_MAX (N_ITEMS * MAX_ROWS * 2 + N_ITEMS * 2)
static int build_feed(struct order_row **feed, struct order_row *refunds)
{
	int n = 0, nr = 0;
	for (int k = 0; k < N_ITEMS; k++) {
		for (int r = 0; r < items[k].n_rows; r++) {
			feed[n++] = &items[k].rows[r];
			if (pick(3) == 0)
				feed[n++] = &items[k].rows[r];
		}
		if (items[k].has_refund) {
			struct order_row *rf = &refunds[nr++];
			rf->kind = ORDER_ROW_REFUND;
			snprintf(rf->union_, sizeof(rf->union_), "taobao");
			snprintf(rf->item, sizeof(rf->item), "I%d", k);
			rf->modified_at = items[k].refund_at;
			rf->refunded = items[k].refunded;
			feed[n++] = rf;
			struct order_row *older = &refunds[nr++];
			*older = *rf;
			older->modified_at -= 1;
			older->refunded = pick(99999); /* superseded by the newer record */
			feed[n++] = older;
		}
	}
	return n;
}

static void shuffle(struct order_row **feed, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)pick(i + 1);
		struct order_row *t = feed[i];
		feed[i] = feed[j];
		feed[j] = t;
	}
}

/* After settling at `now`: the audit holds, and every balance and the
 * platform's revenue are what the model gives.  `what` names the run. */
static void check_money(struct engine *e, int64_t now, const char *what)
{
	struct tk_error err = {0};
	static struct audit_report rep;
	assert_int_equal(engine_audit(e, &rep, &err), TK_OK);
	if (rep.n_failed)
		fail_msg("%s: audit: %s", what, rep.findings[0]);

	static struct expect want[N_MEMBERS];
	int64_t revenue;
	model_balances(now, want, &revenue);
	for (int i = 0; i < N_MEMBERS; i++) {
		char id[16];
		struct balance b;
		snprintf(id, sizeof(id), "m%d", i);
		assert_int_equal(engine_balance(e, id, &b, &err), TK_OK);
		if (b.pending != want[i].pending || b.frozen != want[i].frozen ||
		    b.available != want[i].available)
			fail_msg("%s member %s: got %lld/%lld/%lld, model %lld/%lld/%lld", what, id,
				 (long long)b.pending, (long long)b.frozen, (long long)b.available,
				 (long long)want[i].pending, (long long)want[i].frozen,
				 (long long)want[i].available);
	}
	int64_t got_revenue;
	assert_int_equal(engine_store(e)->ops->balance_get(engine_store(e), ACCOUNT(0, ACCT_REVENUE),
							   &got_revenue, &err),
			 TK_OK);
	if (got_revenue != revenue)
		fail_msg("%s: platform revenue %lld, model %lld", what, (long long)got_revenue,
			 (long long)revenue);
}

static void run_seed(uint64_t seed)
{
	char path[64], what[32];
	temp_db(path);
	snprintf(what, sizeof(what), "seed %llu", (unsigned long long)seed);
	rng = seed * 2654435761u + 1;
	random_world();
	struct engine *e = open_world(path);

	struct order_row *refunds = calloc(N_ITEMS * 2, sizeof(*refunds));
	struct order_row **feed = calloc(FEED_MAX, sizeof(*feed));
	int n = build_feed(feed, refunds);
	shuffle(feed, n);
	import_all(e, feed, n);

	struct tk_error err = {0};
	int64_t now = BASE_TIME + 86400 * 40;
	int64_t released_items, released;
	assert_int_equal(engine_settle(e, now, &released_items, &released, &err), TK_OK);

	/* the same feed again, reshuffled, changes nothing */
	shuffle(feed, n);
	import_all(e, feed, n);
	assert_int_equal(engine_settle(e, now, &released_items, &released, &err), TK_OK);
	assert_int_equal(released_items, 0);

	check_money(e, now, what);
	engine_close(e);
	check_rollups(path, seed);
	free(feed);
	free(refunds);
	remove_db(path);
}

static void test_random_histories(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 12; seed++) {
		/* half the seeds with the store's item key cache on from the start */
		setenv("TUIKE_ITEM_CACHE_AFTER", seed % 2 ? "1" : "0", 1);
		run_seed(seed);
	}
}

int main(void)
{
	setenv("TUIKE_NOW", "2026-11-01T00:00:00+08:00", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_histories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

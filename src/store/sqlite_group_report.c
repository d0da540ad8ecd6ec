/* sqlite_group_report.c — SQLite: the figures per group and day, and per
 * send, that group_report.c turns into results (group_store.h says what
 * each operation answers; the PostgreSQL twin is pg_group_report.c). */
#include <stdlib.h>
#include <string.h>

#include "store/group_store.h"
#include "store/sqlite_internal.h"

/* The last slots of the groups module's statements: the queue's take the
 * first ones. */
enum { S_REPORT_DAYS = SQLITE_STMT_SLOTS - 1, S_REPORT_SENDS = SQLITE_STMT_SLOTS - 2 };

/* A Beijing day (UTC+8) of a unix time: days since 1970-01-01. */
#define DAY(t) "((" t ") + 28800) / 86400"
/* One order per union and order number; an item without one is its own. */
#define ORDER_KEY "i.union_ || ':' || CASE WHEN i.order_no <> '' THEN i.order_no ELSE '#' || i.item_key END"
/* What of an item goes to the group's owner, whichever tier it holds. */
#define OWNER_SHARE(o)                                                                     \
	"CASE WHEN i.m1 = " o " THEN i.a1 ELSE 0 END + CASE WHEN i.m2 = " o                \
	" THEN i.a2 ELSE 0 END + CASE WHEN i.m3 = " o " THEN i.a3 ELSE 0 END"

static void figures_read(sqlite3_stmt *q, int col, struct group_figures *f)
{
	f->sends = sqlite3_column_int64(q, col);
	f->failures = sqlite3_column_int64(q, col + 1);
	f->clicks = sqlite3_column_int64(q, col + 2);
	f->unique_clicks = sqlite3_column_int64(q, col + 3);
	f->orders = sqlite3_column_int64(q, col + 4);
	f->gmv = sqlite3_column_int64(q, col + 5);
	f->commission = sqlite3_column_int64(q, col + 6);
	f->owner_share = sqlite3_column_int64(q, col + 7);
}

static void filter_bind(sqlite3_stmt *q, const struct group_report_filter *f)
{
	sqlite3_bind_int64(q, 1, f->from);
	sqlite3_bind_int64(q, 2, f->to);
	sqlite3_bind_int64(q, 3, f->grp);
	sqlite3_bind_int64(q, 4, f->owner);
}

struct day_walk {
	store_group_day_cb cb;
	void *ctx;
};

static bool day_row(void *ctx, sqlite3_stmt *q)
{
	struct day_walk *w = ctx;
	struct group_figures f;
	figures_read(q, 2, &f);
	return w->cb(w->ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), &f);
}

enum tk_rc sqlite_group_report_days(struct store *st, const struct group_report_filter *f,
				    store_group_day_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_REPORT_DAYS],
		"WITH g AS (SELECT id, channel, owner FROM groups"
		"  WHERE (?3 = 0 OR id = ?3) AND (?4 = 0 OR owner = ?4)),"
		" x(grp, d, sends, failures, clicks, uniq, orders, gmv, comm, own) AS ("
		"  SELECT j.grp, " DAY("j.sent_at") ", count(*), 0, 0, 0, 0, 0, 0, 0"
		"   FROM send_jobs j JOIN g ON g.id = j.grp"
		"   WHERE j.state = 'sent' AND j.sent_at BETWEEN ?1 AND ?2 GROUP BY 1, 2"
		"  UNION ALL"
		"  SELECT j.grp, " DAY("j.t") ", 0, count(*), 0, 0, 0, 0, 0, 0"
		"   FROM (SELECT grp, CASE WHEN claimed_at > 0 THEN claimed_at ELSE due_at END AS t"
		"         FROM send_jobs WHERE state = 'failed') j JOIN g ON g.id = j.grp"
		"   WHERE j.t BETWEEN ?1 AND ?2 GROUP BY 1, 2"
		"  UNION ALL"
		"  SELECT g.id, " DAY("c.at") ", 0, 0, count(*), sum(c.uniq), 0, 0, 0, 0"
		"   FROM g JOIN links l ON l.channel = g.channel JOIN clicks c ON c.link = l.id"
		"   WHERE c.bot = 0 AND c.at BETWEEN ?1 AND ?2 GROUP BY 1, 2"
		"  UNION ALL"
		"  SELECT g.id, " DAY("i.paid_at") ", 0, 0, 0, 0, count(DISTINCT " ORDER_KEY "),"
		"   sum(i.amount), sum(max(i.commission - i.refunded, 0)), sum(" OWNER_SHARE("g.owner") ")"
		"   FROM g JOIN items i ON i.channel = g.channel"
		"   WHERE i.channel <> '' AND i.status <> 4 AND i.paid_at BETWEEN ?1 AND ?2"
		"   GROUP BY 1, 2)"
		" SELECT grp, d, sum(sends), sum(failures), sum(clicks), sum(uniq), sum(orders),"
		"  sum(gmv), sum(comm), sum(own) FROM x GROUP BY grp, d ORDER BY grp, d",
		err);
	if (!q)
		return TK_EIO;
	struct day_walk w = {cb, ctx};
	filter_bind(q, f);
	return sqlite_each_row(s, q, day_row, &w, "reading the figures per group", err);
}

struct send_walk {
	store_group_send_cb cb;
	void *ctx;
	struct group_send_rec r;
};

static bool send_row(void *ctx, sqlite3_stmt *q)
{
	struct send_walk *w = ctx;
	memset(&w->r, 0, sizeof(w->r));
	w->r.job = sqlite3_column_int64(q, 0);
	w->r.grp = sqlite3_column_int64(q, 1);
	w->r.sent_at = sqlite3_column_int64(q, 2);
	sqlite_column_copy(q, 3, w->r.union_, sizeof(w->r.union_));
	sqlite_column_copy(q, 4, w->r.product, sizeof(w->r.product));
	sqlite_column_copy(q, 5, w->r.link, sizeof(w->r.link));
	figures_read(q, 6, &w->r.f);
	return w->cb(w->ctx, &w->r);
}

enum tk_rc sqlite_group_report_sends(struct store *st, const struct group_report_filter *f,
				     store_group_send_cb cb, void *ctx, struct tk_error *err)
{
	struct sqlite_store *s = sqlite_of(st);
	sqlite3_stmt *q = sqlite_stmt(
		s, &s->groups[S_REPORT_SENDS],
		"WITH s AS (SELECT j.id, j.grp, j.sent_at, j.union_, j.product, j.link, g.channel,"
		"  g.owner FROM send_jobs j JOIN groups g ON g.id = j.grp"
		"  WHERE j.state = 'sent' AND j.sent_at BETWEEN ?1 AND ?2"
		"  AND (?3 = 0 OR j.grp = ?3) AND (?4 = 0 OR g.owner = ?4)),"
		" ck AS (SELECT s.id, count(*) AS n, sum(c.uniq) AS u"
		"  FROM s JOIN links l ON l.code = s.link JOIN clicks c ON c.link = l.id"
		"  WHERE s.link <> '' AND c.bot = 0 AND c.at >= s.sent_at"
		"  AND c.at < s.sent_at + ?5 GROUP BY s.id),"
		" od AS (SELECT s.id, count(DISTINCT " ORDER_KEY ") AS n, sum(i.amount) AS gmv,"
		"  sum(max(i.commission - i.refunded, 0)) AS comm, sum(" OWNER_SHARE("s.owner") ") AS own"
		"  FROM s JOIN items i ON i.channel = s.channel AND i.union_ = s.union_"
		"  AND i.product = s.product"
		"  WHERE i.channel <> '' AND i.status <> 4 AND i.paid_at >= s.sent_at"
		"  AND i.paid_at < s.sent_at + ?5 GROUP BY s.id)"
		" SELECT s.id, s.grp, s.sent_at, s.union_, s.product, s.link, 1, 0,"
		"  coalesce(ck.n, 0), coalesce(ck.u, 0), coalesce(od.n, 0), coalesce(od.gmv, 0),"
		"  coalesce(od.comm, 0), coalesce(od.own, 0)"
		" FROM s LEFT JOIN ck ON ck.id = s.id LEFT JOIN od ON od.id = s.id"
		" ORDER BY s.sent_at, s.id",
		err);
	if (!q)
		return TK_EIO;
	struct send_walk *w = malloc(sizeof(*w));
	if (!w) {
		sqlite3_reset(q);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	w->cb = cb;
	w->ctx = ctx;
	filter_bind(q, f);
	sqlite3_bind_int64(q, 5, GROUP_SEND_WINDOW_S);
	enum tk_rc rc = sqlite_each_row(s, q, send_row, w, "reading the sends of groups", err);
	free(w);
	return rc;
}

/* pg_group_report.c — PostgreSQL: the figures per group and day, and per
 * send, that group_report.c turns into results (group_store.h says what
 * each operation answers; the SQLite twin is sqlite_group_report.c, whose
 * rows, order and sums these match). */
#include <stdlib.h>
#include <string.h>

#include "store/group_store.h"
#include "store/pg_internal.h"

/* A Beijing day (UTC+8) of a unix time: days since 1970-01-01 (times are
 * never negative, so integer division floors as SQLite's does). */
#define DAY(t) "((" t ") + 28800) / 86400"
#define ORDER_KEY                                                                          \
	"i.union_ || ':' || CASE WHEN i.order_no <> '' THEN i.order_no ELSE '#' || i.item_key END"
#define OWNER_SHARE(o)                                                                     \
	"CASE WHEN i.m1 = " o " THEN i.a1 ELSE 0 END + CASE WHEN i.m2 = " o                \
	" THEN i.a2 ELSE 0 END + CASE WHEN i.m3 = " o " THEN i.a3 ELSE 0 END"

static void figures_read(const PGresult *r, int row, int col, struct group_figures *f)
{
	f->sends = pg_int(r, row, col);
	f->failures = pg_int(r, row, col + 1);
	f->clicks = pg_int(r, row, col + 2);
	f->unique_clicks = pg_int(r, row, col + 3);
	f->orders = pg_int(r, row, col + 4);
	f->gmv = pg_int(r, row, col + 5);
	f->commission = pg_int(r, row, col + 6);
	f->owner_share = pg_int(r, row, col + 7);
}

static void filter_params(struct pg_params *p, const struct group_report_filter *f)
{
	pg_params_init(p);
	pg_p_int(p, f->from);
	pg_p_int(p, f->to);
	pg_p_int(p, f->grp);
	pg_p_int(p, f->owner);
}

struct day_walk {
	store_group_day_cb cb;
	void *ctx;
};

static bool day_row(void *ctx, const PGresult *r, int row)
{
	struct day_walk *w = ctx;
	struct group_figures f;
	figures_read(r, row, 2, &f);
	return w->cb(w->ctx, pg_int(r, row, 0), pg_int(r, row, 1), &f);
}

enum tk_rc pg_group_report_days(struct store *st, const struct group_report_filter *f,
				store_group_day_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct day_walk w = {cb, ctx};
	filter_params(&p, f);
	/* sums of bigint are numeric in PostgreSQL: cast back (a sum beyond
	 * 64 bits fails, as SQLite's integer overflow does) */
	return pg_each_row(
		pg_of(st),
		"WITH g AS (SELECT id, channel, owner FROM groups"
		"  WHERE ($3::bigint = 0 OR id = $3) AND ($4::bigint = 0 OR owner = $4)),"
		" x(grp, d, sends, failures, clicks, uniq, orders, gmv, comm, own) AS ("
		"  SELECT j.grp, " DAY("j.sent_at") ", count(*), 0::bigint, 0::bigint, 0::bigint,"
		"   0::bigint, 0::numeric, 0::numeric, 0::numeric"
		"   FROM send_jobs j JOIN g ON g.id = j.grp"
		"   WHERE j.state = 'sent' AND j.sent_at BETWEEN $1 AND $2 GROUP BY 1, 2"
		"  UNION ALL"
		"  SELECT j.grp, " DAY("j.t") ", 0, count(*), 0, 0, 0, 0, 0, 0"
		"   FROM (SELECT grp, CASE WHEN claimed_at > 0 THEN claimed_at ELSE due_at END AS t"
		"         FROM send_jobs WHERE state = 'failed') j JOIN g ON g.id = j.grp"
		"   WHERE j.t BETWEEN $1 AND $2 GROUP BY 1, 2"
		"  UNION ALL"
		"  SELECT g.id, " DAY("c.at") ", 0, 0, count(*), sum(c.uniq), 0, 0, 0, 0"
		"   FROM g JOIN links l ON l.channel = g.channel JOIN clicks c ON c.link = l.id"
		"   WHERE c.bot = 0 AND c.at BETWEEN $1 AND $2 GROUP BY 1, 2"
		"  UNION ALL"
		"  SELECT g.id, " DAY("i.paid_at") ", 0, 0, 0, 0, count(DISTINCT " ORDER_KEY "),"
		"   sum(i.amount), sum(GREATEST(i.commission - i.refunded, 0)),"
		"   sum(" OWNER_SHARE("g.owner") ")"
		"   FROM g JOIN items i ON i.channel = g.channel"
		"   WHERE i.channel <> '' AND i.status <> 4 AND i.paid_at BETWEEN $1 AND $2"
		"   GROUP BY 1, 2)"
		" SELECT grp, d, sum(sends)::bigint, sum(failures)::bigint, sum(clicks)::bigint,"
		"  sum(uniq)::bigint, sum(orders)::bigint, sum(gmv)::bigint, sum(comm)::bigint,"
		"  sum(own)::bigint FROM x GROUP BY grp, d ORDER BY grp, d",
		&p, day_row, &w, "reading the figures per group", err);
}

struct send_walk {
	store_group_send_cb cb;
	void *ctx;
	struct group_send_rec r;
};

static bool send_row(void *ctx, const PGresult *r, int row)
{
	struct send_walk *w = ctx;
	memset(&w->r, 0, sizeof(w->r));
	w->r.job = pg_int(r, row, 0);
	w->r.grp = pg_int(r, row, 1);
	w->r.sent_at = pg_int(r, row, 2);
	pg_copy(r, row, 3, w->r.union_, sizeof(w->r.union_));
	pg_copy(r, row, 4, w->r.product, sizeof(w->r.product));
	pg_copy(r, row, 5, w->r.link, sizeof(w->r.link));
	figures_read(r, row, 6, &w->r.f);
	return w->cb(w->ctx, &w->r);
}

enum tk_rc pg_group_report_sends(struct store *st, const struct group_report_filter *f,
				 store_group_send_cb cb, void *ctx, struct tk_error *err)
{
	struct pg_params p;
	struct send_walk *w = malloc(sizeof(*w));
	if (!w)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	w->cb = cb;
	w->ctx = ctx;
	filter_params(&p, f);
	pg_p_int(&p, GROUP_SEND_WINDOW_S);
	enum tk_rc rc = pg_each_row(
		pg_of(st),
		"WITH s AS (SELECT j.id, j.grp, j.sent_at, j.union_, j.product, j.link, g.channel,"
		"  g.owner FROM send_jobs j JOIN groups g ON g.id = j.grp"
		"  WHERE j.state = 'sent' AND j.sent_at BETWEEN $1 AND $2"
		"  AND ($3::bigint = 0 OR j.grp = $3) AND ($4::bigint = 0 OR g.owner = $4)),"
		" ck AS (SELECT s.id, count(*) AS n, sum(c.uniq) AS u"
		"  FROM s JOIN links l ON l.code = s.link JOIN clicks c ON c.link = l.id"
		"  WHERE s.link <> '' AND c.bot = 0 AND c.at >= s.sent_at"
		"  AND c.at < s.sent_at + $5 GROUP BY s.id),"
		" od AS (SELECT s.id, count(DISTINCT " ORDER_KEY ") AS n, sum(i.amount) AS gmv,"
		"  sum(GREATEST(i.commission - i.refunded, 0)) AS comm,"
		"  sum(" OWNER_SHARE("s.owner") ") AS own"
		"  FROM s JOIN items i ON i.channel = s.channel AND i.union_ = s.union_"
		"  AND i.product = s.product"
		"  WHERE i.channel <> '' AND i.status <> 4 AND i.paid_at >= s.sent_at"
		"  AND i.paid_at < s.sent_at + $5 GROUP BY s.id)"
		" SELECT s.id, s.grp, s.sent_at, s.union_, s.product, s.link, 1, 0,"
		"  coalesce(ck.n, 0), coalesce(ck.u, 0)::bigint, coalesce(od.n, 0),"
		"  coalesce(od.gmv, 0)::bigint, coalesce(od.comm, 0)::bigint,"
		"  coalesce(od.own, 0)::bigint"
		" FROM s LEFT JOIN ck ON ck.id = s.id LEFT JOIN od ON od.id = s.id"
		" ORDER BY s.sent_at, s.id",
		&p, send_row, w, "reading the sends of groups", err);
	free(w);
	return rc;
}

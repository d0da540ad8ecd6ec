/* test_pg_growth.c — the growth store's contract, run the same on a fresh
 * SQLite store and a fresh PostgreSQL store: the implicit level (chosen
 * once, a second choice a conflict the transaction survives), per-level
 * counts, daily sums, own sums, level history and moves with the change
 * log's numbers, a member's past by number and by time, gift-pack
 * holdings, team pages and the compliance figures — values, order, absent
 * cases and early stops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core_standin.h"
#include "fresh_db.h"
#include "seen_text.h"
#include "store/growth_store.h"

static bool more(struct seen_text *s)
{
	return ++s->n != s->stop_after;
}

static bool count_cb(void *ctx, const char *level, int64_t direct, int64_t team)
{
	seen_text_add(ctx, "%s %lld %lld;", level, (long long)direct, (long long)team);
	return more(ctx);
}

static bool day_cb(void *ctx, int64_t day, const int64_t v[TD_N])
{
	seen_text_add(ctx, "%lld:%lld,%lld,%lld,%lld;", (long long)day, (long long)v[0],
		 (long long)v[1], (long long)v[2], (long long)v[3]);
	return more(ctx);
}

static bool own_cb(void *ctx, const char *ext, int64_t gmv, int64_t commission)
{
	seen_text_add(ctx, "%s %lld %lld;", ext, (long long)gmv, (long long)commission);
	return more(ctx);
}

static bool hist_cb(void *ctx, const struct level_change_rec *c)
{
	seen_text_add(ctx, "%lld %lld %s %s>%s %s item=%lld at=%lld seq=%lld;", (long long)c->id,
		 (long long)c->member, c->member_ext, c->from, c->to, c->rule, (long long)c->item,
		 (long long)c->at, (long long)c->seq);
	return more(ctx);
}

static bool move_cb(void *ctx, const struct member_move_rec *m)
{
	seen_text_add(ctx, "%lld %lld %s %lld %s -> %lld %s by %s: %s at=%lld seq=%lld;",
		 (long long)m->id, (long long)m->member, m->member_ext, (long long)m->from_parent,
		 m->from_ext, (long long)m->to_parent, m->to_ext, m->by, m->reason,
		 (long long)m->at, (long long)m->seq);
	return more(ctx);
}

static bool pack_cb(void *ctx, const struct pack_holding_rec *h)
{
	seen_text_add(ctx, "%lld %lld %s %s held=%d before=%s review=%d at=%lld;", (long long)h->item,
		 (long long)h->member, h->product, h->level, h->held, h->level_before,
		 h->review_due, (long long)h->at);
	return more(ctx);
}

static bool team_cb(void *ctx, const struct team_row *r)
{
	seen_text_add(ctx, "%lld;", (long long)r->m.id);
	return more(ctx);
}

static bool team_full_cb(void *ctx, const struct team_row *r)
{
	seen_text_add(ctx, "%lld %s p=%lld %s '%s' d=%d %lld/%lld at=%lld own=%lld team=%lld comm=%lld;",
		 (long long)r->m.id, r->m.ext, (long long)r->m.parent, r->m.level, r->m.name,
		 r->m.depth, (long long)r->m.direct_count, (long long)r->m.team_count,
		 (long long)r->m.created_at, (long long)r->own_gmv_month,
		 (long long)r->team_gmv_month, (long long)r->team_commission_month);
	return more(ctx);
}

static bool depth_cb(void *ctx, int32_t depth, int64_t members)
{
	seen_text_add(ctx, "%d:%lld;", depth, (long long)members);
	return more(ctx);
}

static bool earner_cb(void *ctx, const char *ext, int64_t income)
{
	seen_text_add(ctx, "%s %lld;", ext, (long long)income);
	return more(ctx);
}

#define OK(call)                                                    \
	do {                                                        \
		struct tk_error err_ = {0};                         \
		enum tk_rc rc_ = (call);                            \
		if (rc_)                                            \
			fail_msg("%s: %s", #call, err_.msg);        \
	} while (0)

/* r(1) <- a(2) <- b(3) <- d(5); r <- c(4): created at 10..50, c at vip */
static void members(struct store *st)
{
	OK(test_sql(st,
		    "INSERT INTO members(ext, parent, level, depth, created_at)"
		    " VALUES ('r', NULL, 'member', 0, 10);"
		    "INSERT INTO members(ext, parent, level, depth, created_at)"
		    " VALUES ('a', 1, 'member', 1, 20);"
		    "INSERT INTO members(ext, parent, level, depth, created_at)"
		    " VALUES ('b', 2, 'member', 2, 30);"
		    "INSERT INTO members(ext, parent, level, depth, created_at)"
		    " VALUES ('c', 1, 'vip', 1, 40);"
		    "INSERT INTO members(ext, parent, level, depth, created_at)"
		    " VALUES ('d', 3, 'member', 3, 50);",
		    &err_));
	assert_int_equal(test_sql_int(st, "SELECT max(seq) FROM changes"), 5);
}

static void counts_and_sums(struct store *st)
{
	const struct growth_store_ops *g = st->growth;
	struct tk_error err = {0};
	char level[PLAN_KEY_MAX];

	assert_int_equal(g->implicit_level_get(st, level, &err), TK_ENOTFOUND);
	OK(st->ops->tx_begin(st, &err_));
	OK(g->implicit_level_set(st, "member", &err_));
	/* chosen once: a second choice is a conflict, and the work goes on */
	assert_int_equal(g->implicit_level_set(st, "vip", &err), TK_ECONFLICT);
	OK(g->level_count_add(st, 1, "vip", 1, 1, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(g->implicit_level_get(st, level, &err_));
	assert_string_equal(level, "member");

	OK(st->ops->tx_begin(st, &err_));
	OK(g->level_count_add(st, 1, "vip", 0, 1, &err_));
	OK(g->level_count_add(st, 1, "gold", 0, 0, &err_));
	OK(g->level_count_add(st, 1, "B", 1, 1, &err_));
	OK(g->level_count_add(st, 1, "a", 2, 3, &err_));
	OK(g->level_count_add(st, 2, "vip", 1, 1, &err_));
	OK(g->level_count_add(st, 2, "vip", -1, -1, &err_));
	OK(st->ops->tx_commit(st, &err_));
	/* rows at zero are left out; levels in byte order */
	struct seen_text c1 = {0}, c2 = {0}, cstop = {.stop_after = 1};
	OK(g->level_count_each(st, 1, count_cb, &c1, &err_));
	assert_string_equal(c1.text, "B 1 1;a 2 3;vip 1 2;");
	OK(g->level_count_each(st, 2, count_cb, &c2, &err_));
	assert_int_equal(c2.n, 0);
	OK(g->level_count_each(st, 1, count_cb, &cstop, &err_));
	assert_string_equal(cstop.text, "B 1 1;");

	OK(st->ops->tx_begin(st, &err_));
	OK(g->team_day_add(st, 1, 100, (int64_t[TD_N]){1, 2, 3, 4}, &err_));
	OK(g->team_day_add(st, 1, 100, (int64_t[TD_N]){10, 20, 30, 40}, &err_));
	OK(g->team_day_add(st, 1, 101, (int64_t[TD_N]){1, 1, 1, 1}, &err_));
	OK(g->team_day_add(st, 1, 99, (int64_t[TD_N]){5, 5, 5, 5}, &err_));
	OK(g->team_day_add(st, 2, 100, (int64_t[TD_N]){0, 0, 7, 7}, &err_));
	OK(g->team_day_add(st, 3, 100, (int64_t[TD_N]){0, 0, 3, 3}, &err_));
	OK(g->team_day_add(st, 5, 101, (int64_t[TD_N]){2, 2, 2, 2}, &err_));
	OK(st->ops->tx_commit(st, &err_));
	int64_t v[TD_N] = {-1, -1, -1, -1};
	OK(g->team_day_sum(st, 1, 100, 101, v, &err_));
	assert_int_equal(v[TD_OWN_GMV], 12);
	assert_int_equal(v[TD_OWN_COMMISSION], 23);
	assert_int_equal(v[TD_TEAM_GMV], 34);
	assert_int_equal(v[TD_TEAM_COMMISSION], 45);
	OK(g->team_day_sum(st, 4, 0, 1000, v, &err_));
	for (int i = 0; i < TD_N; i++)
		assert_int_equal(v[i], 0);
	struct seen_text d1 = {0}, dstop = {.stop_after = 2}, dnone = {0};
	OK(g->team_day_each(st, 1, day_cb, &d1, &err_));
	assert_string_equal(d1.text, "99:5,5,5,5;100:11,22,33,44;101:1,1,1,1;");
	OK(g->team_day_each(st, 1, day_cb, &dstop, &err_));
	assert_string_equal(dstop.text, "99:5,5,5,5;100:11,22,33,44;");
	OK(g->team_day_each(st, 4, day_cb, &dnone, &err_));
	assert_int_equal(dnone.n, 0);

	/* own sums come from the sharers' daily statistics (dim 1) */
	OK(test_sql(st,
		    "INSERT INTO daily_stats(day, dim, key, gmv, commission) VALUES"
		    " (100, 1, 'a', 10, 1), (101, 1, 'a', 5, 1), (100, 1, 'B', 7, 2),"
		    " (100, 0, '', 99, 9), (102, 1, 'a', 1000, 0), (99, 1, 'z', 1, 1)",
		    &err_));
	struct seen_text o1 = {0}, ostop = {.stop_after = 1}, onone = {0};
	OK(g->own_sum_each(st, 100, 101, own_cb, &o1, &err_));
	assert_string_equal(o1.text, "B 7 2;a 15 2;");
	OK(g->own_sum_each(st, 100, 101, own_cb, &ostop, &err_));
	assert_string_equal(ostop.text, "B 7 2;");
	OK(g->own_sum_each(st, 200, 300, own_cb, &onone, &err_));
	assert_int_equal(onone.n, 0);
}

static void history_and_moves(struct store *st)
{
	const struct growth_store_ops *g = st->growth;
	struct tk_error err = {0};

	/* each change carries the change log's newest number when made */
	OK(st->ops->tx_begin(st, &err_));
	struct level_change_rec c = {.member = 2, .at = 1000};
	snprintf(c.from, sizeof(c.from), "member");
	snprintf(c.to, sizeof(c.to), "vip");
	snprintf(c.rule, sizeof(c.rule), "upgrade:vip");
	OK(g->history_insert(st, &c, &err_));
	assert_int_equal(c.id, 1);
	OK(test_sql(st, "UPDATE members SET level = 'vip' WHERE id = 2", &err_));
	struct level_change_rec c2 = {.member = 3, .item = 77, .at = 1000};
	snprintf(c2.to, sizeof(c2.to), "gold");
	snprintf(c2.rule, sizeof(c2.rule), "operator");
	OK(g->history_insert(st, &c2, &err_));
	assert_int_equal(c2.id, 2);
	OK(st->ops->tx_commit(st, &err_));
	struct seen_text h2 = {0}, hall = {0}, hstop = {.stop_after = 1}, hnone = {0};
	OK(g->history_each(st, 2, hist_cb, &h2, &err_));
	assert_string_equal(h2.text, "1 2 a member>vip upgrade:vip item=0 at=1000 seq=5;");
	OK(g->history_each(st, 0, hist_cb, &hall, &err_));
	assert_string_equal(hall.text, "1 2 a member>vip upgrade:vip item=0 at=1000 seq=5;"
				       "2 3 b >gold operator item=77 at=1000 seq=6;");
	OK(g->history_each(st, 0, hist_cb, &hstop, &err_));
	assert_int_equal(hstop.n, 1);
	OK(g->history_each(st, 9, hist_cb, &hnone, &err_));
	assert_int_equal(hnone.n, 0);

	/* history, moves and holdings are of members that exist */
	OK(st->ops->tx_begin(st, &err_));
	struct level_change_rec ghost = c;
	ghost.member = 99;
	assert_int_equal(g->history_insert(st, &ghost, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	struct member_move_rec gm = {.member = 99, .at = 1};
	assert_int_equal(g->move_insert(st, &gm, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	OK(st->ops->tx_begin(st, &err_));
	struct pack_holding_rec gp = {.item = 1, .member = 99};
	assert_int_equal(g->pack_put(st, &gp, &err), TK_ECONFLICT);
	st->ops->tx_rollback(st);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM level_history"), 2);

	/* b moves from a to r (its subtree one level up); c becomes a root */
	OK(st->ops->tx_begin(st, &err_));
	OK(g->member_reparent(st, 3, 1, -1, &err_));
	struct member_move_rec m = {.member = 3, .from_parent = 2, .to_parent = 1, .at = 2000};
	snprintf(m.by, sizeof(m.by), "ops");
	snprintf(m.reason, sizeof(m.reason), "wrong inviter");
	OK(g->move_insert(st, &m, &err_));
	assert_int_equal(m.id, 1);
	OK(g->member_reparent(st, 4, 0, -1, &err_));
	struct member_move_rec m2 = {.member = 4, .from_parent = 1, .to_parent = 0, .at = 3000};
	snprintf(m2.by, sizeof(m2.by), "ops");
	snprintf(m2.reason, sizeof(m2.reason), "leaves");
	OK(g->move_insert(st, &m2, &err_));
	assert_int_equal(m2.id, 2);
	/* no depth change: only the parent is written */
	OK(g->member_reparent(st, 5, 3, 0, &err_));
	OK(st->ops->tx_commit(st, &err_));
	assert_int_equal(test_sql_int(st, "SELECT depth FROM members WHERE id = 3"), 1);
	assert_int_equal(test_sql_int(st, "SELECT depth FROM members WHERE id = 5"), 2);
	assert_int_equal(test_sql_int(st, "SELECT depth FROM members WHERE id = 2"), 1);
	assert_int_equal(test_sql_int(st, "SELECT parent FROM members WHERE id = 3"), 1);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM members WHERE parent IS NULL"), 2);
	/* b's parent, b and d's depths, c's parent and depth, d's parent */
	assert_int_equal(test_sql_int(st, "SELECT max(seq) FROM changes"), 12);

	struct seen_text v3 = {0}, vall = {0}, vstop = {.stop_after = 1}, vnone = {0};
	OK(g->move_each(st, 3, move_cb, &v3, &err_));
	assert_string_equal(v3.text, "1 3 b 2 a -> 1 r by ops: wrong inviter at=2000 seq=9;");
	OK(g->move_each(st, 0, move_cb, &vall, &err_));
	assert_string_equal(vall.text, "1 3 b 2 a -> 1 r by ops: wrong inviter at=2000 seq=9;"
				       "2 4 c 1 r -> 0  by ops: leaves at=3000 seq=11;");
	OK(g->move_each(st, 0, move_cb, &vstop, &err_));
	assert_int_equal(vstop.n, 1);
	OK(g->move_each(st, 1, move_cb, &vnone, &err_));
	assert_int_equal(vnone.n, 0);
	/* the audit trail is append-only */
	assert_int_equal(test_sql(st, "UPDATE member_moves SET reason = 'x'", &err), TK_ECONFLICT);
	assert_int_equal(test_sql(st, "DELETE FROM member_moves", &err), TK_ECONFLICT);
	assert_int_equal(test_sql_int(st, "SELECT count(*) FROM member_moves"), 2);
}

struct past {
	int64_t parent;
	const char *level;
};

static struct past at_(struct store *st, int64_t member, int64_t at, int64_t seq)
{
	static char level[PLAN_KEY_MAX];
	struct past p = {-1, NULL};
	snprintf(level, sizeof(level), "?");
	OK(st->growth->member_at(st, member, at, seq, &p.parent, level, &err_));
	p.level = level;
	return p;
}

static void member_past(struct store *st)
{
	struct tk_error err = {0};
	int64_t parent;
	char level[PLAN_KEY_MAX];
	assert_int_equal(st->growth->member_at(st, 999, 0, 0, &parent, level, &err), TK_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no member #999"));

	/* by time, when no number is given */
	assert_int_equal(at_(st, 3, 1999, 0).parent, 2);
	assert_string_equal(at_(st, 3, 1999, 0).level, "gold");
	assert_string_equal(at_(st, 3, 500, 0).level, ""); /* before its grant */
	assert_int_equal(at_(st, 3, 2000, 0).parent, 1);   /* at the moment itself: made */
	/* by number when both are known, whatever the time says */
	assert_int_equal(at_(st, 3, 2000, 8).parent, 2);
	assert_string_equal(at_(st, 3, 2000, 8).level, "gold");
	assert_int_equal(at_(st, 3, 0, 9).parent, 1);
	assert_string_equal(at_(st, 2, 0, 5).level, "vip");
	assert_string_equal(at_(st, 2, 0, 4).level, "member");
	assert_string_equal(at_(st, 2, 5000, 4).level, "member");
	assert_string_equal(at_(st, 2, 5000, 0).level, "vip");
	/* no change: as it is now */
	assert_int_equal(at_(st, 1, 0, 0).parent, 0);
	assert_string_equal(at_(st, 1, 0, 0).level, "member");
	assert_int_equal(at_(st, 5, 0, 0).parent, 3);
	/* moved to no parent */
	assert_int_equal(at_(st, 4, 3000, 0).parent, 0);
	assert_int_equal(at_(st, 4, 2999, 0).parent, 1);
	assert_int_equal(at_(st, 4, 2999, 10).parent, 1);
	assert_int_equal(at_(st, 4, 0, 11).parent, 0);
	assert_string_equal(at_(st, 4, 0, 0).level, "vip");
}

static struct pack_holding_rec pack(int64_t item, int64_t member, const char *product,
				    const char *level, bool held, const char *before, bool review,
				    int64_t at)
{
	struct pack_holding_rec h = {.item = item, .member = member, .held = held,
				     .review_due = review, .at = at};
	snprintf(h.product, sizeof(h.product), "%s", product);
	snprintf(h.level, sizeof(h.level), "%s", level);
	snprintf(h.level_before, sizeof(h.level_before), "%s", before);
	return h;
}

static void packs(struct store *st)
{
	const struct growth_store_ops *g = st->growth;
	struct tk_error err = {0};
	struct pack_holding_rec h;
	assert_int_equal(g->pack_get(st, 50, &h, &err), TK_ENOTFOUND);

	OK(st->ops->tx_begin(st, &err_));
	struct pack_holding_rec p50 = pack(50, 2, "P1", "vip", true, "member", false, 10);
	struct pack_holding_rec p40 = pack(40, 3, "P2", "gold", false, "member", true, 11);
	struct pack_holding_rec p60 = pack(60, 2, "P1", "vip", false, "member", false, 12);
	OK(g->pack_put(st, &p50, &err_));
	OK(g->pack_put(st, &p40, &err_));
	OK(g->pack_put(st, &p60, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(g->pack_get(st, 50, &h, &err_));
	assert_int_equal(h.member, 2);
	assert_string_equal(h.product, "P1");
	assert_string_equal(h.level, "vip");
	assert_true(h.held);
	assert_false(h.review_due);
	assert_string_equal(h.level_before, "member");
	assert_int_equal(h.at, 10);

	/* a put replaces the holding whole */
	OK(st->ops->tx_begin(st, &err_));
	struct pack_holding_rec lost = pack(50, 2, "P1", "vip", false, "member", true, 13);
	OK(g->pack_put(st, &lost, &err_));
	OK(st->ops->tx_commit(st, &err_));
	OK(g->pack_get(st, 50, &h, &err_));
	assert_false(h.held);
	assert_true(h.review_due);
	assert_int_equal(h.at, 13);

	struct seen_text mine = {0}, due = {0};
	OK(g->pack_each(st, 2, pack_cb, &mine, &err_));
	assert_string_equal(mine.text, "50 2 P1 vip held=0 before=member review=1 at=13;"
				       "60 2 P1 vip held=0 before=member review=0 at=12;");
	OK(g->pack_each(st, 0, pack_cb, &due, &err_));
	assert_string_equal(due.text, "40 3 P2 gold held=0 before=member review=1 at=11;"
				      "50 2 P1 vip held=0 before=member review=1 at=13;");

	OK(st->ops->tx_begin(st, &err_));
	OK(g->pack_review_done(st, 2, &err_));
	OK(st->ops->tx_commit(st, &err_));
	struct seen_text after = {0}, none = {0};
	OK(g->pack_each(st, 0, pack_cb, &after, &err_));
	assert_string_equal(after.text, "40 3 P2 gold held=0 before=member review=1 at=11;");
	OK(g->pack_each(st, 4, pack_cb, &none, &err_));
	assert_int_equal(none.n, 0);

	OK(st->ops->tx_begin(st, &err_));
	OK(g->pack_put(st, &p50, &err_));
	OK(st->ops->tx_commit(st, &err_));
	struct seen_text stop = {.stop_after = 1};
	OK(g->pack_each(st, 0, pack_cb, &stop, &err_));
	assert_string_equal(stop.text, "40 3 P2 gold held=0 before=member review=1 at=11;");
}

static const char *team(struct store *st, int64_t member, bool whole, enum team_sort sort,
			bool asc, int64_t limit, int64_t offset, int64_t from, int64_t to)
{
	static struct seen_text s;
	memset(&s, 0, sizeof(s));
	struct team_query q = {.member = member, .whole = whole, .sort = sort, .ascending = asc,
			       .limit = limit, .offset = offset, .month_from = from, .month_to = to};
	OK(st->growth->team_list(st, &q, team_cb, &s, &err_));
	return s.text;
}

static void team_pages(struct store *st)
{
	struct tk_error err = {0};
	/* now: r <- a, r <- b <- d; c a root */
	OK(test_sql(st,
		    "UPDATE members SET direct_count = 2, team_count = 3 WHERE id = 1;"
		    "UPDATE members SET direct_count = 1, team_count = 1, name = '乙' WHERE id = 3;",
		    &err_));
	assert_string_equal(team(st, 1, false, TEAM_SORT_TEAM, false, 50, 0, 100, 101), "3;2;");
	assert_string_equal(team(st, 1, false, TEAM_SORT_TEAM, true, 50, 0, 100, 101), "2;3;");
	assert_string_equal(team(st, 1, false, TEAM_SORT_JOINED, false, 50, 0, 100, 101), "3;2;");
	assert_string_equal(team(st, 1, false, TEAM_SORT_GMV, false, 50, 0, 100, 101), "2;3;");
	assert_string_equal(team(st, 1, true, TEAM_SORT_GMV, false, 50, 0, 100, 101), "2;3;5;");
	assert_string_equal(team(st, 1, true, TEAM_SORT_GMV, true, 50, 0, 100, 101), "5;3;2;");
	/* ties by id */
	assert_string_equal(team(st, 1, true, TEAM_SORT_DIRECT, true, 50, 0, 100, 101), "2;5;3;");
	assert_string_equal(team(st, 1, true, TEAM_SORT_GMV, false, 50, 0, 200, 230), "2;3;5;");
	/* pages */
	assert_string_equal(team(st, 1, true, TEAM_SORT_GMV, false, 1, 1, 100, 101), "3;");
	assert_string_equal(team(st, 1, true, TEAM_SORT_GMV, false, 2, 2, 100, 101), "5;");
	assert_string_equal(team(st, 1, true, TEAM_SORT_GMV, false, 2, 3, 100, 101), "");
	assert_string_equal(team(st, 4, true, TEAM_SORT_GMV, false, 50, 0, 100, 101), "");
	assert_string_equal(team(st, 3, false, TEAM_SORT_TEAM, false, 50, 0, 100, 101), "5;");

	struct seen_text full = {0};
	struct team_query q = {.member = 1, .whole = true, .sort = TEAM_SORT_JOINED,
			       .ascending = true, .limit = 50, .month_from = 100, .month_to = 101};
	OK(st->growth->team_list(st, &q, team_full_cb, &full, &err_));
	assert_string_equal(full.text,
			    "2 a p=1 vip '' d=1 0/0 at=20 own=0 team=7 comm=7;"
			    "3 b p=1 member '乙' d=1 1/1 at=30 own=0 team=3 comm=3;"
			    "5 d p=3 member '' d=2 0/0 at=50 own=2 team=2 comm=2;");
	struct seen_text stop = {.stop_after = 1};
	OK(st->growth->team_list(st, &q, team_cb, &stop, &err_));
	assert_string_equal(stop.text, "2;");
	q.sort = (enum team_sort)9;
	assert_int_equal(st->growth->team_list(st, &q, team_cb, &stop, &err), TK_EINVAL);
}

static void compliance(struct store *st)
{
	const struct growth_store_ops *g = st->growth;
	struct seen_text d = {0}, dstop = {.stop_after = 1};
	OK(g->depth_each(st, depth_cb, &d, &err_));
	assert_string_equal(d.text, "0:2;1:2;2:1;");
	OK(g->depth_each(st, depth_cb, &dstop, &err_));
	assert_string_equal(dstop.text, "0:2;");

	/* packs 50 and 40, ordinary 51 (refunded past its commission) and 52
	 * (not earning) */
	OK(test_sql(st,
		    "INSERT INTO items(id, union_, item_key, status, modified_at, amount, commission,"
		    " quantity, refunded, attribution, plan_version, self_purchase, n_chain, m1, a1,"
		    " m2, a2, m3, a3, platform, first_seen_at) VALUES"
		    " (40, 'jd', 'k40', 1, 1, 300, 30, 1, 0, 1, 1, 0, 1, 4, 30, NULL, 0, NULL, 0,"
		    "  0, 1),"
		    " (50, 'jd', 'k50', 1, 1, 1000, 300, 1, 0, 1, 1, 0, 2, 2, 100, 1, 50, NULL, 0,"
		    "  150, 1),"
		    " (51, 'jd', 'k51', 2, 1, 2000, 200, 1, 250, 1, 1, 0, 3, 3, 80, 1, 20, 5, 5,"
		    "  95, 1),"
		    " (52, 'jd', 'k52', 5, 1, 500, 50, 1, 0, 1, 1, 0, 1, 1, 10, NULL, 0, NULL, 0,"
		    "  40, 1)",
		    &err_));
	struct compliance_figures f;
	memset(&f, 0, sizeof(f));
	struct seen_text e = {0};
	OK(g->compliance_figures(st, &f, 5, earner_cb, &e, &err_));
	assert_int_equal(f.ordinary_by_tier[0], 90);
	assert_int_equal(f.ordinary_by_tier[1], 20);
	assert_int_equal(f.ordinary_by_tier[2], 5);
	assert_int_equal(f.gmv, 2000);
	assert_int_equal(f.commission, 0);
	assert_int_equal(f.pack_by_tier[0], 130);
	assert_int_equal(f.pack_by_tier[1], 50);
	assert_int_equal(f.pack_by_tier[2], 0);
	assert_int_equal(f.pack_sales, 1300);
	assert_int_equal(f.pack_margin, 330);
	assert_int_equal(f.earners, 5);
	assert_int_equal(f.earners_pack_only, 2);
	assert_int_equal(f.earners_upline_only, 3);
	assert_string_equal(e.text, "a 100;c 30;");
	struct seen_text one = {0}, stop = {.stop_after = 1}, zero = {0};
	OK(g->compliance_figures(st, &f, 1, earner_cb, &one, &err_));
	assert_string_equal(one.text, "a 100;");
	OK(g->compliance_figures(st, &f, 5, earner_cb, &stop, &err_));
	assert_string_equal(stop.text, "a 100;");
	memset(&f, 0, sizeof(f));
	OK(g->compliance_figures(st, &f, 0, earner_cb, &zero, &err_));
	assert_int_equal(zero.n, 0);
	assert_int_equal(f.earners, 5);
	assert_int_equal(f.pack_margin, 330);
}

static void growth_contract(struct store *st)
{
	members(st);
	counts_and_sums(st);
	history_and_moves(st);
	member_past(st);
	packs(st);
	team_pages(st);
	compliance(st);
}

static void test_growth_sqlite(void **state)
{
	(void)state;
	char path[512];
	struct store *st = test_store_fresh(TEST_FRESH_SQLITE, path, sizeof(path));
	growth_contract(st);
	st->ops->close(st);
	remove(path);
}

static void test_growth_pg(void **state)
{
	(void)state;
	char uri[512];
	struct store *st = test_store_fresh(TEST_FRESH_PG_ICU, uri, sizeof(uri));
	growth_contract(st);
	st->ops->close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_sqlite),
		cmocka_unit_test(test_growth_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

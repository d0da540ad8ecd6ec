/* test_faults.c — every store operation of a unit of work fails once
 * (tests/support/faulty_store.h): the unit must report the error, the audit
 * must hold, the database must be exactly as before the unit, and the
 * engine must go on as if nothing had happened.
 *
 * One scenario of the property test's kinds of work (a plan, members added,
 * a level set and a member moved, order batches with splits, bindings, a
 * gift pack and refunds, settlement, a clawback after release, withdrawals
 * requested, approved, paid and rejected) runs once without faults, and a
 * canonical dump of the database is kept after each unit.  Then, per mode
 * (a fault before the real operation, or after a write), the scenario runs
 * again on a fresh database, and each unit is run with operation 1, 2, ...
 * of it failing until one run reaches its end with no fault left to fire:
 * after each failed run the state must be the dump before the unit, and
 * after the clean run the dump after it.  The failed runs pile up on one
 * engine, so that anything one of them left behind in memory (a member
 * tree, a plan, a batch's sums) shows in the runs and units after it; and
 * after each failed run a unit of another kind (an empty import batch)
 * runs on that engine and must change nothing, as it does on a fresh one:
 * a retry of the same unit overwrites much of what a failure left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/growth.h"
#include "engine/rollup.h"
#include "faulty_store.h"
#include "fresh_db.h"
#include "store/growth_store.h"
#include "store/server_store.h"

#define DAY INT64_C(86400)

static int64_t t0; /* the clock (TUIKE_NOW) */

static const char plan_json[] =
	"{\"name\":\"faults\",\"mode\":\"differential\",\"max_tiers\":3,"
	"\"platform_min_bps\":1000,\"peer_bonus_bps\":500,\"hold_days\":7,"
	"\"default_level\":\"member\",\"withdraw_min\":100,\"withdraw_fee_bps\":100,"
	"\"levels\":[{\"key\":\"member\",\"rate_bps\":3000,\"can_share\":true},"
	"{\"key\":\"super\",\"rate_bps\":5000,"
	"\"upgrade\":{\"conditions\":[{\"kind\":\"own_gmv\",\"days\":30,\"min\":10000}]}},"
	"{\"key\":\"mentor\",\"rate_bps\":7000,"
	"\"upgrade\":{\"conditions\":[{\"kind\":\"direct_invites\",\"min\":2}]}}],"
	"\"gift_packs\":[{\"product\":\"GP399\",\"price\":39900,\"cost\":25000,"
	"\"level\":\"super\",\"tiers_bps\":[2000,1000]}]}";

/* The platform buyers whose bindings the dump looks at. */
static const char *const buyer_ids[] = {"x1", "x2", "x3"};
#define N_BUYERS (sizeof(buyer_ids) / sizeof(buyer_ids[0]))

/* ---- the scenario ---- */

static struct order_row row(const char *union_, const char *item, const char *member,
			    const char *buyer, enum order_status status, int64_t modified,
			    int64_t commission)
{
	struct order_row r = {.status = status, .modified_at = modified, .commission = commission,
			      .amount = commission * 8, .quantity = 1};
	snprintf(r.union_, sizeof(r.union_), "%s", union_);
	snprintf(r.item, sizeof(r.item), "%s", item);
	snprintf(r.order, sizeof(r.order), "O-%s", item);
	snprintf(r.product, sizeof(r.product), "P-%s", item);
	snprintf(r.member, sizeof(r.member), "%s", member);
	snprintf(r.buyer, sizeof(r.buyer), "%s", buyer);
	if (status != ST_UNPAID)
		r.paid_at = modified - 3600;
	if (status == ST_SETTLED)
		r.settled_at = modified;
	return r;
}

static struct order_row refund(const char *item, int64_t modified, int64_t refunded)
{
	struct order_row r = {.kind = ORDER_ROW_REFUND, .modified_at = modified,
			      .refunded = refunded};
	snprintf(r.union_, sizeof(r.union_), "taobao");
	snprintf(r.item, sizeof(r.item), "%s", item);
	return r;
}

/* One import batch: every row, then commit; any error rolls it back. */
static enum tk_rc import(struct engine *e, const struct order_row *rows, int n,
			 struct tk_error *err)
{
	enum import_outcome out;
	enum tk_rc rc = engine_import_begin(e, err);
	for (int i = 0; i < n && !rc; i++)
		rc = engine_import_row(e, &rows[i], &out, err);
	if (rc) {
		engine_import_rollback(e);
		return rc;
	}
	return engine_import_commit(e, err);
}

static enum tk_rc unit(struct engine *e, int u, struct tk_error *err)
{
	int64_t v, released_items, released;
	struct withdrawal_rec w;
	switch (u) {
	case 0:
		return engine_plan_set(e, plan_json, strlen(plan_json), &v, err);
	case 1:
		return engine_member_add(e, "r", NULL, NULL, "Root", NULL, err);
	case 2:
		return engine_member_add(e, "a", "r", NULL, NULL, NULL, err);
	case 3:
		return engine_member_add(e, "b", "a", NULL, NULL, NULL, err);
	case 4:
		return engine_member_add(e, "c", "r", "super", NULL, NULL, err);
	case 5:
		return engine_member_set_level(e, "a", "super", err);
	case 6: {
		/* splits over three tiers, a binding made and used, a gift
		 * pack, a taobao item to be refunded, an unattributed item */
		struct order_row rows[] = {
			row("jd", "J1", "b", "x1", ST_PAID, t0 - 20 * DAY, 4000),
			row("jd", "J2", "", "x1", ST_SETTLED, t0 - 19 * DAY, 2500),
			row("taobao", "T1", "c", "x2", ST_SETTLED, t0 - 18 * DAY, 6000),
			row("taobao", "T2", "a", "x3", ST_PAID, t0 - 17 * DAY, 3000),
			row("pdd", "P1", "", "", ST_PAID, t0 - 16 * DAY, 900),
			row("own", "G1", "", "b", ST_PAID, t0 - 15 * DAY, 14900),
		};
		rows[5].amount = 39900;
		snprintf(rows[5].product, sizeof(rows[5].product), "GP399");
		return import(e, rows, (int)(sizeof(rows) / sizeof(rows[0])), err);
	}
	case 7:
		return engine_member_add(e, "d", "b", NULL, NULL, NULL, err);
	case 8:
		return engine_member_move(e, "b", "c", "ops", "asked to", NULL, err);
	case 9: {
		struct order_row rows[] = {
			row("jd", "J1", "b", "x1", ST_SETTLED, t0 - 14 * DAY, 4000),
			row("jd", "J3", "d", "x1", ST_SETTLED, t0 - 13 * DAY, 1800),
			refund("T2", t0 - 12 * DAY, 1000),
			row("taobao", "T2", "a", "x3", ST_SETTLED, t0 - 11 * DAY, 3000),
			row("pdd", "P1", "", "", ST_INVALID, t0 - 10 * DAY, 900),
		};
		return import(e, rows, (int)(sizeof(rows) / sizeof(rows[0])), err);
	}
	case 10:
		return engine_settle(e, t0, &released_items, &released, err);
	case 11:
		return engine_withdraw_request(e, "a", 500, "alipay", "a@example.com", NULL, err);
	case 12:
		return engine_withdraw_decide(e, 1, WD_APPROVE, NULL, &w, err);
	case 13:
		return engine_withdraw_decide(e, 1, WD_PAY, NULL, &w, err);
	case 14:
		return engine_withdraw_request(e, "c", 300, "bank", "6222", NULL, err);
	case 15: {
		/* T1 was released: its refund is a clawback */
		struct order_row rows[] = {refund("T1", t0 - 2 * DAY, 5000)};
		return import(e, rows, 1, err);
	}
	case 16:
		return engine_withdraw_decide(e, 2, WD_REJECT, "duplicate", &w, err);
	}
	return TK_OK;
}
#define N_UNITS 17

/* ---- the canonical dump ----
 *
 * What the units write, read back through the store's own operations, with
 * every internal id replaced by what it stands for (a member's external id,
 * an item's union and key, a row's rank in its table): PostgreSQL spends an
 * identity value on a rolled-back insert, SQLite does not, and neither
 * changes what the state means. */

#define IDS_MAX 256
struct ids {
	int64_t id[IDS_MAX];
	int n;
};

static void ids_add(struct ids *s, int64_t id)
{
	assert_true(s->n < IDS_MAX);
	s->id[s->n++] = id;
}

/* the rank of id (1..), 0 for none, -1 when unknown */
static int rank(const struct ids *s, int64_t id)
{
	if (id == 0)
		return 0;
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return i + 1;
	return -1;
}

struct dump {
	struct store *st;
	char *text;
	size_t len, cap;
	struct ids members, items, transfers, withdrawals, plans;
	char ext[IDS_MAX][ORDER_KEY_MAX];
	char key[IDS_MAX][2 * ORDER_KEY_MAX];
};

static void put(struct dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(d->text + d->len, d->cap - d->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if ((size_t)n < d->cap - d->len) {
			d->len += (size_t)n;
			return;
		}
		d->cap = d->cap * 2 + (size_t)n + 4096;
		d->text = realloc(d->text, d->cap);
		assert_non_null(d->text);
	}
}

static const char *member_name(const struct dump *d, int64_t id)
{
	int r = rank(&d->members, id);
	return r > 0 ? d->ext[r - 1] : r == 0 ? "-" : "?";
}

static const char *item_name(const struct dump *d, int64_t id)
{
	int r = rank(&d->items, id);
	return r > 0 ? d->key[r - 1] : r == 0 ? "-" : "?";
}

static void put_account(struct dump *d, int64_t account)
{
	put(d, " %s/%d", member_name(d, ACCOUNT_MEMBER(account)), ACCOUNT_KIND(account));
}

/* first every member's id and external id, then the members */
static bool member_id_cb(void *ctx, const struct member_rec *m)
{
	struct dump *d = ctx;
	ids_add(&d->members, m->id);
	snprintf(d->ext[d->members.n - 1], ORDER_KEY_MAX, "%s", m->ext);
	return true;
}

static bool member_cb(void *ctx, const struct member_rec *m)
{
	struct dump *d = ctx;
	put(d, "member %s parent %s level %s name %s depth %d direct %lld team %lld at %lld\n",
	    m->ext, member_name(d, m->parent), m->level, m->name, (int)m->depth,
	    (long long)m->direct_count, (long long)m->team_count, (long long)m->created_at);
	return true;
}

static bool event_cb(void *ctx, const struct item_event_rec *ev)
{
	put(ctx, "  event %d %lld %lld %lld %s\n", ev->status, (long long)ev->commission,
	    (long long)ev->modified_at, (long long)ev->applied_at, ev->note);
	return true;
}

static bool item_cb(void *ctx, const struct item_rec *it)
{
	struct dump *d = ctx;
	struct tk_error err = {0};
	ids_add(&d->items, it->id);
	snprintf(d->key[d->items.n - 1], 2 * ORDER_KEY_MAX, "%s:%s", it->row.union_, it->row.item);
	const struct order_row *r = &it->row;
	put(d, "item %s:%s attr %d plan #%d status %d commission %lld refunded %lld amount %lld"
	    " settled %lld channel %s first %lld seq %lld chain",
	    r->union_, r->item, (int)it->attribution, rank(&d->plans, it->plan_version), r->status,
	    (long long)r->commission, (long long)r->refunded, (long long)r->amount,
	    (long long)r->settled_at, r->channel, (long long)it->first_seen_at,
	    (long long)it->seen_seq);
	for (int i = 0; i < it->chain.n; i++)
		put(d, " %s@%d", member_name(d, it->chain.member[i]), it->chain.level[i]);
	put(d, "%s money", it->chain.self_purchase ? " self" : "");
	for (int i = 0; i < it->money.n; i++)
		put(d, " %s:%lld:%d", member_name(d, it->money.member[i]),
		    (long long)it->money.amount[i], (int)it->money.bucket[i]);
	put(d, " platform %lld due %lld\n", (long long)it->money.platform,
	    (long long)it->money.due_at);
	/* its history, newest first (the callback may read the store) */
	assert_int_equal(d->st->server->item_events(d->st, it->last_event, 100, event_cb, d, &err),
			 TK_OK);
	int64_t refunded, at;
	enum tk_rc rc = d->st->ops->refund_get(d->st, r->union_, r->item, &refunded, &at, &err);
	assert_true(rc == TK_OK || rc == TK_ENOTFOUND);
	if (rc == TK_OK)
		put(d, "  refund %lld at %lld\n", (long long)refunded, (long long)at);
	return true;
}

static bool transfer_cb(void *ctx, const struct transfer *t)
{
	struct dump *d = ctx;
	ids_add(&d->transfers, t->id);
	put(d, "transfer");
	put_account(d, t->debit);
	put_account(d, t->credit);
	put(d, " %lld code %d item %s withdrawal #%d at %lld\n", (long long)t->amount, (int)t->code,
	    item_name(d, t->item), rank(&d->withdrawals, t->withdrawal), (long long)t->at);
	return true;
}

static bool balance_cb(void *ctx, int64_t account, int64_t balance)
{
	struct dump *d = ctx;
	put(d, "balance");
	put_account(d, account);
	put(d, " %lld\n", (long long)balance);
	return true;
}

static bool withdrawal_id_cb(void *ctx, const struct withdrawal_rec *w)
{
	ids_add(&((struct dump *)ctx)->withdrawals, w->id);
	return true;
}

static bool withdrawal_cb(void *ctx, const struct withdrawal_rec *w)
{
	struct dump *d = ctx;
	put(d, "withdrawal #%d %s %lld fee %lld before %lld %s %s status %d at %lld %lld %lld"
	    " after transfer #%d\n",
	    rank(&d->withdrawals, w->id), member_name(d, w->member), (long long)w->amount,
	    (long long)w->fee, (long long)w->available_before, w->method, w->account,
	    (int)w->status, (long long)w->requested_at, (long long)w->decided_at,
	    (long long)w->paid_at, rank(&d->transfers, w->approved_after));
	return true;
}

static bool history_cb(void *ctx, const struct level_change_rec *c)
{
	struct dump *d = ctx;
	put(d, "level %s %s -> %s %s item %s at %lld seq %lld\n", member_name(d, c->member), c->from,
	    c->to, c->rule, item_name(d, c->item), (long long)c->at, (long long)c->seq);
	return true;
}

static bool move_cb(void *ctx, const struct member_move_rec *m)
{
	struct dump *d = ctx;
	put(d, "move %s %s -> %s by %s: %s at %lld seq %lld\n", member_name(d, m->member),
	    member_name(d, m->from_parent), member_name(d, m->to_parent), m->by, m->reason,
	    (long long)m->at, (long long)m->seq);
	return true;
}

static bool level_count_cb(void *ctx, const char *level, int64_t direct, int64_t team)
{
	put(ctx, "  count %s %lld %lld\n", level, (long long)direct, (long long)team);
	return true;
}

static bool team_day_cb(void *ctx, int64_t day, const int64_t v[TD_N])
{
	put(ctx, "  day %lld %lld %lld %lld %lld\n", (long long)day, (long long)v[0],
	    (long long)v[1], (long long)v[2], (long long)v[3]);
	return true;
}

static bool pack_cb(void *ctx, const struct pack_holding_rec *h)
{
	struct dump *d = ctx;
	put(d, "pack %s %s %s %s held %d before %s review %d at %lld\n", item_name(d, h->item),
	    member_name(d, h->member), h->product, h->level, h->held, h->level_before,
	    h->review_due, (long long)h->at);
	return true;
}

static bool stats_cb(void *ctx, int64_t day, const char *key, const int64_t v[STAT_N])
{
	struct dump *d = ctx;
	put(d, "  stats %lld %s", (long long)day, key);
	for (int i = 0; i < STAT_N; i++)
		put(d, " %lld", (long long)v[i]);
	put(d, "\n");
	return true;
}

/* The whole state the scenario writes, as text (the caller frees it). */
static char *dump_state(struct store *st)
{
	struct dump *d = calloc(1, sizeof(*d));
	assert_non_null(d);
	struct tk_error err = {0};
	d->st = st;
	put(d, "%s", "");
	/* plans by rank */
	char *json = NULL;
	int64_t newest = 0, v;
	enum tk_rc rc = st->ops->plan_get(st, 0, &json, &newest, &err);
	assert_true(rc == TK_OK || rc == TK_ENOTFOUND);
	free(json);
	for (int64_t k = 1; rc == TK_OK && k <= newest; k++) {
		enum tk_rc got = st->ops->plan_get(st, k, &json, &v, &err);
		assert_true(got == TK_OK || got == TK_ENOTFOUND);
		if (got == TK_OK) {
			ids_add(&d->plans, k);
			put(d, "plan #%d %s\n", d->plans.n, json);
			free(json);
		}
	}
	int64_t seq;
	assert_int_equal(st->ops->changes_newest(st, &seq, &err), TK_OK);
	put(d, "changes %lld\n", (long long)seq);
	assert_int_equal(st->ops->member_each(st, member_id_cb, d, &err), TK_OK);
	assert_int_equal(st->ops->member_each(st, member_cb, d, &err), TK_OK);
	assert_int_equal(st->ops->withdrawal_each(st, withdrawal_id_cb, d, &err), TK_OK);
	assert_int_equal(st->ops->item_each(st, item_cb, d, &err), TK_OK);
	assert_int_equal(st->ops->transfer_each(st, transfer_cb, d, &err), TK_OK);
	assert_int_equal(st->ops->balance_each(st, balance_cb, d, &err), TK_OK);
	assert_int_equal(st->ops->withdrawal_each(st, withdrawal_cb, d, &err), TK_OK);
	for (size_t b = 0; b < N_BUYERS; b++) {
		struct binding_rec br;
		rc = st->ops->binding_get(st, "", buyer_ids[b], &br, &err);
		assert_true(rc == TK_OK || rc == TK_ENOTFOUND);
		if (rc == TK_OK)
			put(d, "binding %s %s item %s at %lld\n", buyer_ids[b],
			    member_name(d, br.member), item_name(d, br.item), (long long)br.at);
	}
	assert_int_equal(st->growth->history_each(st, 0, history_cb, d, &err), TK_OK);
	assert_int_equal(st->growth->move_each(st, 0, move_cb, d, &err), TK_OK);
	assert_int_equal(st->growth->pack_each(st, 0, pack_cb, d, &err), TK_OK);
	char implicit[PLAN_KEY_MAX];
	rc = st->growth->implicit_level_get(st, implicit, &err);
	assert_true(rc == TK_OK || rc == TK_ENOTFOUND);
	put(d, "implicit level %s\n", rc ? "-" : implicit);
	put(d, "stats total\n");
	/* the days the scenario's rows and members fall on */
	int64_t from = rollup_day(t0 - 60 * DAY), to = rollup_day(t0 + DAY);
	assert_int_equal(st->server->stats_series(st, DIM_TOTAL, "", from, to, stats_cb, d, &err),
			 TK_OK);
	for (int m = 0; m < d->members.n; m++) {
		put(d, "member %s\n", d->ext[m]);
		assert_int_equal(st->growth->level_count_each(st, d->members.id[m], level_count_cb,
							      d, &err),
				 TK_OK);
		assert_int_equal(st->growth->team_day_each(st, d->members.id[m], team_day_cb, d,
							   &err),
				 TK_OK);
		assert_int_equal(st->server->stats_series(st, DIM_MEMBER, d->ext[m], from, to,
							  stats_cb, d, &err),
				 TK_OK);
	}
	struct report_totals tot;
	assert_int_equal(st->ops->report_totals(st, &tot, &err), TK_OK);
	put(d, "totals %lld %lld %lld %lld %lld %lld %lld %lld\n", (long long)tot.items,
	    (long long)tot.gmv, (long long)tot.commission, (long long)tot.members_share,
	    (long long)tot.platform_share, (long long)tot.unattributed_items,
	    (long long)tot.unattributed_commission, (long long)tot.invalid_items);
	char *text = d->text;
	free(d);
	return text;
}

/* Fails with the first line where two dumps differ. */
static void same_dump(const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return;
	size_t i = 0, line = 0;
	while (want[i] && want[i] == got[i]) {
		if (want[i] == '\n')
			line = i + 1;
		i++;
	}
	int wn = (int)strcspn(want + line, "\n"), gn = (int)strcspn(got + line, "\n");
	fail_msg("%s: the state differs at\n  want: %.*s\n  got:  %.*s", what, wn, want + line, gn,
		 got + line);
}

static void audit_holds(struct engine *e, const char *what)
{
	static struct audit_report rep;
	struct tk_error err = {0};
	if (engine_audit(e, &rep, &err) != TK_OK)
		fail_msg("%s: the audit could not run: %s", what, err.msg);
	if (rep.n_failed)
		fail_msg("%s: the audit fails: %s", what, rep.findings[0]);
}

/* ---- the runs ---- */

static char *reference[N_UNITS + 1]; /* the dump before unit u (after u-1) */
static int64_t ref_ops[N_UNITS];     /* operations unit u makes */
static char db_uri[256];

static struct engine *open_engine(void)
{
	struct store *real, *st;
	struct engine *e;
	struct tk_error err = {0};
	assert_true(test_db_fresh(db_uri, sizeof(db_uri)));
	if (store_open(db_uri, NULL, &real, &err))
		fail_msg("store_open %s: %s", db_uri, err.msg);
	assert_int_equal(faulty_store_wrap(real, &st, &err), TK_OK);
	assert_int_equal(engine_open(st, &e, &err), TK_OK);
	return e;
}

static void close_engine(struct engine *e)
{
	engine_close(e);
	test_db_remove(db_uri);
	db_uri[0] = '\0';
}

static int remove_db(void **state)
{
	(void)state;
	if (db_uri[0])
		test_db_remove(db_uri);
	db_uri[0] = '\0';
	return 0;
}

/* The scenario without faults: every unit succeeds; the dumps between. */
static void run_reference(void)
{
	struct engine *e = open_engine();
	struct store *st = engine_store(e);
	struct tk_error err = {0};
	reference[0] = dump_state(st);
	for (int u = 0; u < N_UNITS; u++) {
		faulty_store_arm(st, 0, FAULT_BEFORE);
		if (unit(e, u, &err))
			fail_msg("unit %d fails without a fault: %s %s", u, err.field, err.msg);
		ref_ops[u] = faulty_store_count(st);
		reference[u + 1] = dump_state(st);
		audit_holds(e, "the reference run");
		/* an empty batch changes nothing (what next_unit_clean expects) */
		if (import(e, NULL, 0, &err))
			fail_msg("an empty batch after unit %d fails: %s %s", u, err.field, err.msg);
		char *again = dump_state(st);
		same_dump("an empty batch in the reference run", reference[u + 1], again);
		free(again);
	}
	/* the scenario did what it is for */
	assert_non_null(strstr(reference[N_UNITS], "binding x1 b"));
	assert_non_null(strstr(reference[N_UNITS], "move b a -> c"));
	assert_non_null(strstr(reference[N_UNITS], "member b parent c level super"));
	assert_non_null(strstr(reference[N_UNITS], "level r member -> mentor upgrade"));
	assert_non_null(strstr(reference[N_UNITS], "pack own:G1"));
	assert_non_null(strstr(reference[N_UNITS], "withdrawal #2 c 300"));
	close_engine(e);
}

/* The next unit of work on the engine a fault broke: an import batch with
 * no rows (a sync poll that found nothing new), which must change nothing —
 * as on a fresh engine (the reference run checks that).  Comparing the
 * database alone after the failed unit misses what the engine kept of it in
 * memory (a batch's transfers, balance changes and statistics): the retries
 * of the same unit meet the same items and overwrite it, and it only shows
 * when a later unit commits it.  Nothing here is faulted. */
static void next_unit_clean(struct engine *e, int u, const char *what)
{
	struct store *st = engine_store(e);
	struct tk_error err = {0};
	char after[200];
	if (u == 0)
		return; /* no plan yet: there is nothing to import with */
	snprintf(after, sizeof(after), "%s, then an empty import batch", what);
	if (import(e, NULL, 0, &err))
		fail_msg("%s: fails: %s %s", after, err.field, err.msg);
	char *now = dump_state(st);
	same_dump(after, reference[u], now);
	free(now);
	audit_holds(e, after);
}

static void run_faults(enum faulty_mode mode)
{
	const char *mode_name = mode == FAULT_BEFORE ? "before" : "after";
	struct engine *e = open_engine();
	struct store *st = engine_store(e);
	int64_t faults = 0;
	for (int u = 0; u < N_UNITS; u++) {
		char what[160];
		for (int64_t n = 1;; n++) {
			struct tk_error err = {0};
			faulty_store_arm(st, n, mode);
			enum tk_rc rc = unit(e, u, &err);
			const char *fired = faulty_store_fired(st);
			faulty_store_arm(st, 0, mode); /* the checks read freely */
			snprintf(what, sizeof(what), "unit %d, fault %s operation %lld (%s)", u,
				 mode_name, (long long)n, fired ? fired : "none");
			char *now = dump_state(st);
			audit_holds(e, what);
			if (!fired) { /* the whole unit ran: the run without faults */
				if (rc)
					fail_msg("%s: fails with no fault: %s", what, err.msg);
				same_dump(what, reference[u + 1], now);
				free(now);
				break;
			}
			if (rc == TK_OK)
				fail_msg("%s: the fault was swallowed: the unit reports success", what);
			if (rc != TK_EIO || !strstr(err.msg, "injected fault"))
				fail_msg("%s: reported as %d %s: %s, not the fault", what, rc, err.field,
					 err.msg);
			same_dump(what, reference[u], now);
			free(now);
			next_unit_clean(e, u, what);
			faults++;
			if (n > 4 * ref_ops[u] + 100)
				fail_msg("%s: the unit makes far more operations than its %lld", what,
					 (long long)ref_ops[u]);
		}
	}
	print_message("%lld faults injected %s the operation\n", (long long)faults, mode_name);
	close_engine(e);
}

static void test_fault_before(void **state)
{
	(void)state;
	run_faults(FAULT_BEFORE);
}

static void test_fault_after_write(void **state)
{
	(void)state;
	run_faults(FAULT_AFTER);
}

static int setup(void **state)
{
	(void)state;
	t0 = engine_now();
	run_reference();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int u = 0; u <= N_UNITS; u++)
		free(reference[u]);
	return remove_db(state);
}

int main(void)
{
	setenv("TUIKE_NOW", "2026-11-20T12:00:00+08:00", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fault_before, remove_db),
		cmocka_unit_test_teardown(test_fault_after_write, remove_db),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* engine.c — opening the engine, the clock, plans and ledger posting. */
#include "engine/campaign_orders.h"
#include "engine/engine_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/actions.h"
#include "core/tktime.h"

enum tk_rc engine_open(struct store *st, struct engine **out, struct tk_error *err)
{
	struct engine *e = calloc(1, sizeof(*e));
	if (!e) {
		st->ops->close(st);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	e->st = st;
	member_tree_init(&e->tree);
	/* nothing is in memory yet: what it loads later is current */
	enum tk_rc rc = e->st->ops->changes_newest(e->st, &e->seen_seq, err);
	if (rc) {
		e->st->ops->close(e->st);
		free(e);
		return rc;
	}
	*out = e;
	return TK_OK;
}

void engine_close(struct engine *e)
{
	if (!e)
		return;
	if (e->in_batch)
		engine_import_rollback(e);
	e->st->ops->close(e->st);
	for (int64_t i = 0; i < e->n_plans; i++)
		free(e->plans[i]);
	free(e->plans);
	member_tree_free(&e->tree);
	sum_map_free(&e->deltas);
	rollup_free(&e->rollup);
	sum_map_free(&e->move_index);
	free(e->moves);
	campaign_orders_free(e); /* the head's batch look-ups */
	free(e);
}

struct store *engine_store(struct engine *e)
{
	return e->st;
}

int64_t engine_now(void)
{
	const char *fixed = getenv("TUIKE_NOW");
	int64_t t;
	if (fixed && *fixed && tktime_parse_iso8601(fixed, &t))
		return t;
	return (int64_t)time(NULL);
}

int64_t engine_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- plans ---- */

enum tk_rc engine_plan_version(struct engine *e, int64_t version, const struct plan **out,
			       struct tk_error *err)
{
	if (version > 0 && version < e->n_plans && e->plans[version]) {
		*out = e->plans[version];
		return TK_OK;
	}
	char *json = NULL;
	int64_t got = 0;
	enum tk_rc rc = e->st->ops->plan_get(e->st, version, &json, &got, err);
	if (rc)
		return rc;
	struct plan *p = malloc(sizeof(*p));
	if (!p) {
		free(json);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	rc = plan_parse(json, strlen(json), p, err);
	free(json);
	if (rc) {
		free(p);
		return rc;
	}
	if (got >= e->n_plans) {
		int64_t n = got + 8;
		struct plan **a = realloc(e->plans, (size_t)n * sizeof(*a));
		if (!a) {
			free(p);
			return tk_fail(err, TK_ENOMEM, "", "out of memory");
		}
		memset(a + e->n_plans, 0, (size_t)(n - e->n_plans) * sizeof(*a));
		e->plans = a;
		e->n_plans = n;
	}
	free(e->plans[got]);
	e->plans[got] = p;
	if (version == 0)
		e->active_version = got;
	*out = p;
	return TK_OK;
}

enum tk_rc engine_plan_get(struct engine *e, int64_t version, const struct plan **plan,
			   int64_t *version_out, struct tk_error *err)
{
	if (version == 0 && e->active_version)
		version = e->active_version;
	enum tk_rc rc = engine_plan_version(e, version, plan, err);
	if (!rc && version_out)
		*version_out = version ? version : e->active_version;
	return rc;
}

/* The active plan as the action log shows it: {"version","name"}, or
 * NULL when there is none yet. */
static enum tk_rc plan_summary(struct engine *e, json_t **out, struct tk_error *err)
{
	char *json = NULL;
	int64_t version = 0;
	*out = NULL;
	enum tk_rc rc = e->st->ops->plan_get(e->st, 0, &json, &version, err);
	if (rc == TK_ENOTFOUND)
		return TK_OK;
	if (rc)
		return rc;
	json_error_t jerr;
	json_t *doc = json_loads(json, 0, &jerr);
	json_t *name = doc ? json_object_get(doc, "name") : NULL;
	*out = json_pack("{s:I, s:s?}", "version", (json_int_t)version, "name",
			 json_is_string(name) ? json_string_value(name) : NULL);
	json_decref(doc);
	free(json);
	return TK_OK;
}

enum tk_rc engine_plan_set(struct engine *e, const char *json, size_t len, int64_t *version,
			   struct tk_error *err)
{
	struct plan p;
	enum tk_rc rc = plan_parse(json, len, &p, err);
	if (rc)
		return rc;
	/* Store the canonical form: what is kept is exactly what was validated. */
	char *canon = plan_to_json(&p);
	if (!canon)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!(rc = e->st->ops->tx_begin(e->st, err))) {
		int64_t now = engine_now();
		json_t *before = NULL;
		rc = plan_summary(e, &before, err);
		rc = rc ? rc : e->st->ops->plan_insert(e->st, canon, now, version, err);
		if (!rc) {
			json_t *after = json_pack("{s:I, s:s}", "version", (json_int_t)*version,
						  "name", p.name);
			rc = actions_record(e->st, now, "plan.set", "plan", before, after, err);
			json_decref(after);
		}
		json_decref(before);
		rc = rc ? rc : e->st->ops->tx_commit(e->st, err);
		if (rc)
			e->st->ops->tx_rollback(e->st);
	}
	free(canon);
	if (!rc)
		e->active_version = 0; /* reload on next use */
	return rc;
}

/* ---- posting ---- */

enum tk_rc engine_move_item(struct engine *e, int64_t item, const struct item_money *from,
			    const struct item_money *to, struct tk_error *err)
{
	assert(e->in_batch); /* moves are posted at the batch's flush */
	assert(item_money_valid(from) && item_money_valid(to));
	const int64_t *at = sum_map_get(&e->move_index, item);
	if (at) {
		e->moves[*at].to = *to;
		return TK_OK;
	}
	if (e->n_moves == e->cap_moves) {
		uint64_t cap = e->cap_moves ? 2 * e->cap_moves : 4096;
		struct item_move *m = realloc(e->moves, cap * sizeof(*m));
		if (!m)
			return tk_fail(err, TK_ENOMEM, "", "out of memory for the batch's money");
		e->moves = m;
		e->cap_moves = cap;
	}
	if (!sum_map_add(&e->move_index, item, (int64_t)e->n_moves))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for the batch's money");
	e->moves[e->n_moves++] = (struct item_move){item, *from, *to};
	return TK_OK;
}

/* Posts now the transfers of `from` to `zero`, then of `start` to `to`
 * (two positions of one chain each). */
static enum tk_rc post_diff(struct engine *e, int64_t item, const struct item_money *a,
			    const struct item_money *b, struct tk_error *err)
{
	struct transfer t[LEDGER_DIFF_MAX];
	int n = ledger_diff(a, b, t);
	for (int i = 0; i < n; i++) {
		t[i].item = item;
		t[i].at = e->batch_now;
	}
	return n ? engine_post(e, t, n, err) : TK_OK;
}

enum tk_rc engine_rechain_item(struct engine *e, int64_t item, const struct item_money *from,
			       const struct item_money *to, struct tk_error *err)
{
	enum tk_rc rc;
	struct item_money zero = *from, start = {.n = to->n};
	const int64_t *at = sum_map_get(&e->move_index, item);
	/* what the batch moved of the item so far is posted first */
	if (at && (rc = post_diff(e, item, &e->moves[*at].from, &e->moves[*at].to, err)))
		return rc;
	/* the old chain gives back every share: held money is reversed,
	 * released money clawed back (it stays available, at zero) */
	zero.platform = 0;
	zero.due_at = 0;
	for (int i = 0; i < zero.n; i++) {
		zero.amount[i] = 0;
		if (zero.bucket[i] != BUCKET_AVAILABLE)
			zero.bucket[i] = BUCKET_NONE;
	}
	for (int i = 0; i < start.n; i++)
		start.member[i] = to->member[i];
	if ((rc = post_diff(e, item, from, &zero, err)) ||
	    (rc = post_diff(e, item, &start, to, err)))
		return rc;
	if (at)
		e->moves[*at].from = e->moves[*at].to = *to;
	return TK_OK;
}

/* The member a transfer touches (0: the platform's accounts only). */
static int64_t transfer_member(const struct transfer *t)
{
	return ACCOUNT_MEMBER(t->debit > t->credit ? t->debit : t->credit);
}

/* By member, then in the order they were made (kept in id until the
 * store assigns the real one). */
static int transfer_cmp(const void *a, const void *b)
{
	const struct transfer *x = a, *y = b;
	int64_t mx = transfer_member(x), my = transfer_member(y);
	if (mx != my)
		return mx < my ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* An item moved twice in one batch (paid, then settled, in one file) gets
 * one transfer per share for the two, not two: nobody could see the state
 * between them, as the batch commits whole.  The batch's transfers are
 * written grouped by member, so that the ledger's index by member
 * (server-0004) grows member by member instead of at random. */
static enum tk_rc post_moves(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	struct transfer *all = NULL;
	size_t n = 0, cap = 0;
	for (uint64_t i = 0; i < e->n_moves; i++) {
		const struct item_move *m = &e->moves[i];
		if (cap - n < LEDGER_DIFF_MAX) {
			size_t c = cap ? 2 * cap : 4096;
			struct transfer *a = realloc(all, c * sizeof(*a));
			if (!a) {
				free(all);
				return tk_fail(err, TK_ENOMEM, "", "out of memory for the batch's money");
			}
			all = a;
			cap = c;
		}
		int k = ledger_diff(&m->from, &m->to, all + n);
		for (int j = 0; j < k; j++, n++) {
			all[n].id = (int64_t)n;
			all[n].item = m->item;
			all[n].at = e->batch_now;
		}
	}
	if (n)
		qsort(all, n, sizeof(*all), transfer_cmp);
	for (size_t i = 0; i < n && !rc; i++)
		rc = engine_post(e, &all[i], 1, err);
	free(all);
	if (rc)
		return rc;
	e->n_moves = 0;
	sum_map_clear(&e->move_index);
	return TK_OK;
}

int engine_i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

enum tk_rc engine_flush_batch(struct engine *e, struct tk_error *err)
{
	enum tk_rc rc = post_moves(e, err);
	if (rc)
		return rc;
	/* balances in account order: each write lands beside the one before */
	const struct sum_map *d = &e->deltas;
	int64_t(*order)[2] = malloc((d->n_used ? d->n_used : 1) * sizeof(*order));
	if (!order)
		return tk_fail(err, TK_ENOMEM, "", "out of memory for balance changes");
	uint64_t n = 0, total = 0;
	for (uint64_t i = 0; i < d->n_slots; i++)
		if (d->key[i] != INT64_MIN && d->sum[i]) {
			order[n][0] = d->key[i];
			order[n++][1] = d->sum[i];
			total += (uint64_t)d->sum[i]; /* modulo 2^64: no overflow */
		}
	/* every transfer added -amount to one account and +amount to another:
	 * the balance changes of a batch sum to zero */
	assert(total == 0);
	qsort(order, n, sizeof(*order), engine_i64_cmp); /* by account */
	for (uint64_t i = 0; i < n && !rc; i++)
		rc = e->st->ops->balance_add(e->st, order[i][0], order[i][1], err);
	free(order);
	if (rc)
		return rc;
	sum_map_clear(&e->deltas);
	return rollup_flush(&e->rollup, e->st, err); /* clears it */
}

void engine_drop_batch(struct engine *e)
{
	e->n_moves = 0;
	sum_map_clear(&e->move_index);
	sum_map_clear(&e->deltas);
	rollup_clear(&e->rollup);
}

/* Adds one transfer's effect on one account to the batch's balance
 * changes, refusing a change beyond int64 rather than wrapping it. */
static enum tk_rc add_delta(struct engine *e, int64_t account, int64_t delta,
			    struct tk_error *err)
{
	bool overflow;
	if (sum_map_add_checked(&e->deltas, account, delta, &overflow))
		return TK_OK;
	if (!overflow)
		return tk_fail(err, TK_EIO, "", "out of memory for balance changes");
	return tk_fail(err, TK_ELIMIT, "amount",
		       "the changes to account %lld (%s of member #%lld) would go beyond the "
		       "64-bit range: refused",
		       (long long)account, acct_kind_name(account),
		       (long long)ACCOUNT_MEMBER(account));
}

enum tk_rc engine_post(struct engine *e, struct transfer *t, int n, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	for (int i = 0; i < n && !rc; i++) {
		assert(t[i].amount > 0);
		if ((rc = e->st->ops->transfer_insert(e->st, &t[i], err)) ||
		    (rc = add_delta(e, t[i].debit, -t[i].amount, err)) ||
		    (rc = add_delta(e, t[i].credit, t[i].amount, err)))
			break;
	}
	if (!rc && !e->in_batch)
		rc = engine_flush_batch(e, err);
	/* outside a batch the caller rolls back: forget what this posted */
	if (rc && !e->in_batch)
		engine_drop_batch(e);
	return rc;
}

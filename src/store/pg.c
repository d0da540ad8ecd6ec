/* pg.c — the PostgreSQL backend's connection: opening (and migrating),
 * transactions with the writer lock, statement parameters, prepared
 * statements, cursors and row readers.  The operations themselves are in
 * pg_core.c, pg_feeds.c, pg_catalog.c, pg_server.c and pg_growth.c. */
#include "store/pg_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/catalog_store.h"
#include "store/feed_store.h"
#include "store/group_store.h"
#include "store/action_store.h"
#include "store/statement_store.h"
#include "store/channel_store.h"
#include "store/campaign_order_store.h"
#include "store/promo_store.h"
#include "store/growth_store.h"
#include "store/server_store.h"

/* ---- parameters ---- */

void pg_params_init(struct pg_params *p)
{
	p->n = 0;
	p->used = 0;
	p->overflow = false;
}

static void put(struct pg_params *p, const char *v)
{
	if (p->n >= PG_PARAMS_MAX) {
		p->overflow = true;
		return;
	}
	p->v[p->n++] = v;
}

/* n bytes of the arena, or NULL (and overflow) when it is full */
static char *arena(struct pg_params *p, size_t n)
{
	if (p->used + n > sizeof(p->arena)) {
		p->overflow = true;
		return NULL;
	}
	char *a = p->arena + p->used;
	p->used += n;
	return a;
}

void pg_p_int(struct pg_params *p, int64_t v)
{
	char *a = arena(p, 24);
	if (!a) {
		put(p, NULL);
		return;
	}
	snprintf(a, 24, "%lld", (long long)v);
	put(p, a);
}

void pg_p_int_or_null(struct pg_params *p, int64_t v)
{
	if (v)
		pg_p_int(p, v);
	else
		put(p, NULL);
}

void pg_p_text(struct pg_params *p, const char *s)
{
	put(p, s ? s : "");
}

void pg_p_text_or_null(struct pg_params *p, const char *s)
{
	put(p, s && *s ? s : NULL);
}

void pg_p_null(struct pg_params *p)
{
	put(p, NULL);
}

void pg_p_bytes(struct pg_params *p, const uint8_t *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *a = arena(p, 2 * n + 3);
	if (!a) {
		put(p, NULL);
		return;
	}
	a[0] = '\\';
	a[1] = 'x';
	for (size_t i = 0; i < n; i++) {
		a[2 + 2 * i] = hex[b[i] >> 4];
		a[3 + 2 * i] = hex[b[i] & 15];
	}
	a[2 + 2 * n] = '\0';
	put(p, a);
}

/* ---- running statements ---- */

/* PostgreSQL's message text without the newline (and blanks) it ends
 * with, to go inside one of ours. */
static void pg_message(const char *msg, char *out, size_t size)
{
	snprintf(out, size, "%s", msg);
	size_t len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
}

enum tk_rc pg_fail(struct pg_store *s, PGresult *r, const char *what, struct tk_error *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : NULL;
	if (!msg || !*msg)
		msg = PQerrorMessage(s->conn);
	char text[400];
	pg_message(msg && *msg ? msg : "unknown error", text, sizeof(text));
	/* an additive upsert's sum beyond 64 bits (tk_limit): its own words */
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (state && primary && strcmp(state, PG_LIMIT_STATE) == 0) {
		snprintf(text, sizeof(text), "%s", primary);
		PQclear(r);
		return tk_fail(err, TK_ELIMIT, "", "%s", text);
	}
	enum tk_rc rc = state && state[0] == '2' && state[1] == '3' ? TK_ECONFLICT : TK_EIO;
	/* a deadlock victim (40P01) or a serialization failure (40001) applied
	 * nothing, and the same transaction tried again succeeds: busy */
	if (state && (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0))
		rc = TK_EBUSY;
	PQclear(r);
	return tk_fail(err, rc, "", "database error while %s: %s", what, text);
}

static bool ok_status(ExecStatusType t)
{
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

/* Prepares `name` on this connection unless it already is. */
static enum tk_rc prepare(struct pg_store *s, const char *name, const char *sql, int n,
			  const char *what, struct tk_error *err)
{
	size_t len = strlen(name);
	uint64_t entry;
	if (strmap_find(&s->prepared, name, len, &entry))
		return TK_OK;
	PGresult *r = PQprepare(s->conn, name, sql, n, NULL);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		return pg_fail(s, r, what, err);
	PQclear(r);
	if (!strmap_put(&s->prepared, name, len, ++s->n_prepared, &entry))
		return tk_fail(err, TK_ENOMEM, "", "out of memory for prepared statements");
	return TK_OK;
}

/* ---- the pipeline ---- */

/* A queued statement's failure: its own "what", or its limit message. */
static enum tk_rc pending_fail(struct pg_store *s, PGresult *r, const struct pg_pending *q,
			       struct tk_error *err)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (q->limit[0] && state && state[0] == '2' && state[1] == '3') {
		PQclear(r);
		return tk_fail(err, TK_ELIMIT, "", "%s", q->limit);
	}
	return pg_fail(s, r, q->what, err);
}

/* Ends the queue with a sync, reads the answer of every queued statement
 * and of the sync, and leaves pipeline mode.  With `keep`, the last
 * statement's answer (a read sent behind the writes) is handed over when
 * everything succeeded.  Returns the first failure. */
static enum tk_rc pipe_finish(struct pg_store *s, PGresult **keep, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	int n = s->n_pending;
	s->n_pending = 0;
	if (keep)
		*keep = NULL;
	if (PQpipelineStatus(s->conn) == PQ_PIPELINE_OFF)
		return TK_OK;
	if (PQpipelineSync(s->conn) != 1)
		return pg_fail(s, NULL, n ? s->pending[0].what : "sending statements", err);
	for (int i = 0; i < n; i++) {
		PGresult *r = PQgetResult(s->conn);
		if (!r) /* the connection is gone: nothing more will come */
			return rc ? rc : pg_fail(s, NULL, s->pending[i].what, err);
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_FATAL_ERROR && !rc)
			rc = pending_fail(s, r, &s->pending[i], err);
		else if (keep && i == n - 1 && !rc && ok_status(t))
			*keep = r;
		else
			PQclear(r); /* PGRES_PIPELINE_ABORTED after a failure, or done */
		/* each statement's answers end with a NULL; a few at most before it */
		for (int k = 0; k < 8 && (r = PQgetResult(s->conn)); k++)
			PQclear(r);
	}
	PGresult *sync = PQgetResult(s->conn);
	if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC) {
		if (!rc)
			rc = pg_fail(s, sync, "ending a pipeline", err);
		else
			PQclear(sync);
	} else {
		PQclear(sync);
	}
	if (PQexitPipelineMode(s->conn) != 1 && !rc)
		rc = pg_fail(s, NULL, "leaving pipeline mode", err);
	if (rc && keep && *keep) {
		PQclear(*keep);
		*keep = NULL;
	}
	return rc;
}

static enum tk_rc batches_send(struct pg_store *s, struct tk_error *err);

enum tk_rc pg_drain(struct pg_store *s, struct tk_error *err)
{
	enum tk_rc rc = pg_batched(s) ? batches_send(s, err) : TK_OK;
	if (rc) {
		struct tk_error ignored = {0};
		pipe_finish(s, NULL, &ignored);
		return rc;
	}
	return pipe_finish(s, NULL, err);
}

/* Sends one statement into the pipeline (entering it if need be) and
 * records what it does; the statement is prepared already. */
static enum tk_rc pipe_send(struct pg_store *s, const char *name, const char *sql,
			    const struct pg_params *p, const char *what, const char *limit,
			    struct tk_error *err)
{
	int n = p ? p->n : 0;
	if (PQpipelineStatus(s->conn) == PQ_PIPELINE_OFF && PQenterPipelineMode(s->conn) != 1)
		return pg_fail(s, NULL, what, err);
	int sent = name ? PQsendQueryPrepared(s->conn, name, n, p ? p->v : NULL, NULL, NULL, 0)
			: PQsendQueryParams(s->conn, sql, n, NULL, p ? p->v : NULL, NULL, NULL, 0);
	if (sent != 1) {
		/* nothing of it is queued: the queue before it still answers */
		enum tk_rc rc = pg_fail(s, NULL, what, err);
		struct tk_error ignored = {0};
		pipe_finish(s, NULL, &ignored);
		return rc;
	}
	struct pg_pending *q = &s->pending[s->n_pending++];
	snprintf(q->what, sizeof(q->what), "%s", what);
	snprintf(q->limit, sizeof(q->limit), "%s", limit ? limit : "");
	return TK_OK;
}

static bool is_prepared(struct pg_store *s, const char *name)
{
	uint64_t entry;
	return !name || strmap_find(&s->prepared, name, strlen(name), &entry);
}

enum tk_rc pg_queue_apart(struct pg_store *s, const char *name, const char *sql,
		    const struct pg_params *p, const char *what, const char *limit,
		    struct tk_error *err)
{
	enum tk_rc rc;
	if (p && p->overflow)
		return tk_fail(err, TK_EIO, "", "too many parameters while %s", what);
	if (!pg_pipelining(s) || s->n_pending >= PG_PIPE_MAX || !is_prepared(s, name)) {
		/* drained first: a prepare, and anything outside a write
		 * transaction, runs on its own */
		if ((rc = pipe_finish(s, NULL, err)))
			return rc;
	}
	if (!pg_pipelining(s)) {
		PGresult *r = pg_run_apart(s, name, sql, p, what, err);
		rc = r ? TK_OK : err->rc ? err->rc : TK_EIO;
		PQclear(r);
		return rc == TK_ECONFLICT && limit ? tk_fail(err, TK_ELIMIT, "", "%s", limit) : rc;
	}
	if (name && (rc = prepare(s, name, sql, p ? p->n : 0, what, err)))
		return rc;
	return pipe_send(s, name, sql, p, what, limit, err);
}

enum tk_rc pg_queue(struct pg_store *s, const char *name, const char *sql,
		    const struct pg_params *p, const char *what, const char *limit,
		    struct tk_error *err)
{
	/* the batches first: the statement may read their tables */
	enum tk_rc rc = pg_batched(s) ? batches_send(s, err) : TK_OK;
	return rc ? rc : pg_queue_apart(s, name, sql, p, what, limit, err);
}

enum tk_rc pg_next_id(struct pg_store *s, enum pg_id_table t, const char *name,
		      const char *max_sql, int64_t *id, struct tk_error *err)
{
	assert(t >= 0 && t < PG_ID_N && pg_pipelining(s));
	if (!s->next_id[t]) {
		int64_t newest = 0;
		enum tk_rc rc = pg_int_of(s, name, max_sql, NULL, 0, &newest, "numbering rows", err);
		if (rc)
			return rc;
		s->next_id[t] = newest + 1;
	}
	*id = s->next_id[t]++;
	return TK_OK;
}

/* ---- batched writes ---- */

static void batch_reset(struct pg_batch *b)
{
	for (int i = 0; i < PG_BATCH_COLS; i++)
		b->col[i].len = 0;
	b->rows = 0;
	b->at = 0;
	b->bytes = 0;
	b->oom = false;
	if (b->keys.n_entries) {
		strmap_free(&b->keys);
		memset(&b->keys, 0, sizeof(b->keys));
	}
	b->dup = false;
}

/* Sends one table's rows as its multi-row statement into the pipeline. */
static enum tk_rc batch_send(struct pg_store *s, struct pg_batch *b, struct tk_error *err)
{
	const struct pg_batch_def *d = b->def;
	enum tk_rc rc = TK_OK;
	if (!b->rows)
		return TK_OK;
	struct pg_params p;
	pg_params_init(&p);
	for (int i = 0; i < d->cols; i++) {
		b->oom |= !textbuf_append(&b->col[i], "}", 1, (size_t)1 << 30);
		put(&p, b->col[i].s);
	}
	if (b->oom) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory while %s", d->what);
		goto out;
	}
	/* a prepare runs on its own, and the queue has a bound */
	if ((s->n_pending >= PG_PIPE_MAX || !is_prepared(s, d->name)) &&
	    (rc = pipe_finish(s, NULL, err)))
		goto out;
	if ((rc = prepare(s, d->name, d->sql, d->cols, d->what, err)))
		goto out;
	rc = pipe_send(s, d->name, d->sql, &p, d->what, NULL, err);
out:
	batch_reset(b);
	s->n_batched--;
	return rc;
}

/* Every table's batch, in slot order; on a failure the rest are dropped
 * (the transaction is lost anyway). */
static enum tk_rc batches_send(struct pg_store *s, struct tk_error *err)
{
	/* the items held back first, into their batches */
	enum tk_rc rc = s->n_item_writes ? pg_item_writes_fill(s, err) : TK_OK;
	if (rc)
		pg_item_writes_drop(s);
	for (int i = 0; i < PG_BATCH_N; i++) {
		struct pg_batch *b = &s->batch[i];
		if (!b->rows)
			continue;
		if (!rc)
			rc = batch_send(s, b, err);
		else {
			batch_reset(b);
			s->n_batched--;
		}
	}
	assert(s->n_batched == 0);
	return rc;
}

enum tk_rc pg_batch_send(struct pg_store *s, int slot, struct tk_error *err)
{
	assert(slot >= 0 && slot < PG_BATCH_N);
	return s->batch[slot].rows ? batch_send(s, &s->batch[slot], err) : TK_OK;
}

enum tk_rc pg_batches_push(struct pg_store *s, struct tk_error *err)
{
	enum tk_rc rc = pg_batched(s) ? batches_send(s, err) : TK_OK;
	/* libpq keeps a pipeline's statements in its buffer until a sync:
	 * out now, so that the server applies them while we compute */
	if (!rc && s->n_pending && PQflush(s->conn) != 0)
		rc = pg_fail(s, NULL, s->pending[s->n_pending - 1].what, err);
	if (rc) {
		struct tk_error ignored = {0};
		pipe_finish(s, NULL, &ignored);
	}
	return rc;
}

static void batches_drop(struct pg_store *s)
{
	pg_item_writes_drop(s);
	for (int i = 0; i < PG_BATCH_N; i++)
		batch_reset(&s->batch[i]);
	s->n_batched = 0;
}

static void batches_free(struct pg_store *s)
{
	for (int i = 0; i < PG_BATCH_N; i++) {
		for (int c = 0; c < PG_BATCH_COLS; c++)
			textbuf_free(&s->batch[i].col[c]);
		strmap_free(&s->batch[i].keys);
	}
}

enum tk_rc pg_batch_row(struct pg_store *s, const struct pg_batch_def *def, struct tk_error *err)
{
	assert(def->slot >= 0 && def->slot < PG_BATCH_N && def->cols <= PG_BATCH_COLS);
	assert(pg_batching(s));
	struct pg_batch *b = &s->batch[def->slot];
	if (b->rows >= PG_BATCH_ROWS || b->bytes >= PG_BATCH_BYTES) {
		enum tk_rc rc = batch_send(s, b, err);
		if (rc)
			return rc;
	}
	if (!b->rows)
		s->n_batched++;
	b->def = def;
	b->at = 0;
	return TK_OK;
}

enum tk_rc pg_batch_row_keyed(struct pg_store *s, const struct pg_batch_def *plain,
			      const struct pg_batch_def *grouped, const char *key, size_t len,
			      struct tk_error *err)
{
	assert(plain->slot == grouped->slot && plain->cols == grouped->cols);
	struct pg_batch *b = &s->batch[plain->slot];
	enum tk_rc rc = pg_batch_row(s, plain, err); /* (a full batch sent: keys forgotten) */
	if (rc)
		return rc;
	uint64_t entry;
	if (!b->dup)
		/* out of memory, the grouped statement is right for any rows */
		b->dup = !key || strmap_find(&b->keys, key, len, &entry) ||
			 !strmap_put(&b->keys, key, len, 0, NULL);
	b->def = b->dup ? grouped : plain;
	return TK_OK;
}

/* Appends one value (already in array-literal form) to the row's next
 * column. */
static void batch_value(struct pg_store *s, const struct pg_batch_def *def, const char *v,
			size_t n)
{
	struct pg_batch *b = &s->batch[def->slot];
	assert(b->at < def->cols);
	struct textbuf *t = &b->col[b->at++];
	const char *sep = t->len ? "," : "{";
	b->oom |= !textbuf_append(t, sep, 1, (size_t)1 << 30) ||
		  !textbuf_append(t, v, n, (size_t)1 << 30);
	b->bytes += n + 1;
}

void pg_b_int(struct pg_store *s, const struct pg_batch_def *def, int64_t v)
{
	char a[24];
	int n = snprintf(a, sizeof(a), "%lld", (long long)v);
	batch_value(s, def, a, (size_t)n);
}

void pg_b_int_or_null(struct pg_store *s, const struct pg_batch_def *def, int64_t v)
{
	if (v)
		pg_b_int(s, def, v);
	else
		batch_value(s, def, "NULL", 4);
}

void pg_b_text(struct pg_store *s, const struct pg_batch_def *def, const char *v)
{
	/* quoted, with '"' and '\\' escaped: any text is an element */
	struct pg_batch *b = &s->batch[def->slot];
	assert(b->at < def->cols);
	struct textbuf *t = &b->col[b->at++];
	size_t max = (size_t)1 << 30, n0 = t->len;
	b->oom |= !textbuf_append(t, t->len ? ",\"" : "{\"", 2, max);
	for (const char *run = v ? v : "";;) {
		size_t k = strcspn(run, "\"\\");
		b->oom |= !textbuf_append(t, run, k, max);
		if (!run[k])
			break;
		char esc[2] = {'\\', run[k]};
		b->oom |= !textbuf_append(t, esc, 2, max);
		run += k + 1;
	}
	b->oom |= !textbuf_append(t, "\"", 1, max);
	b->bytes += t->len - n0;
}

void pg_b_text_or_null(struct pg_store *s, const struct pg_batch_def *def, const char *v)
{
	if (v && *v)
		pg_b_text(s, def, v);
	else
		batch_value(s, def, "NULL", 4);
}

enum tk_rc pg_batch_end(struct pg_store *s, const struct pg_batch_def *def, struct tk_error *err)
{
	struct pg_batch *b = &s->batch[def->slot];
	assert(b->at == def->cols); /* a value for every column */
	b->rows++;
	if (b->oom)
		return tk_fail(err, TK_ENOMEM, "", "out of memory while %s", def->what);
	return TK_OK;
}

/* Forgets what a transaction handed out, read ahead or batched. */
static void tx_forget(struct pg_store *s)
{
	memset(s->next_id, 0, sizeof(s->next_id));
	pg_item_ahead_drop(s);
	batches_drop(s);
	s->bulk = false;
}

PGresult *pg_run_apart(struct pg_store *s, const char *name, const char *sql,
		       const struct pg_params *p, const char *what, struct tk_error *err)
{
	int n = p ? p->n : 0;
	if (p && p->overflow) {
		tk_fail(err, TK_EIO, "", "too many parameters while %s", what);
		return NULL;
	}
	PGresult *r;
	if (s->n_pending > 0 && s->n_pending < PG_PIPE_MAX && is_prepared(s, name)) {
		/* behind the queue: one round trip answers both */
		if (pipe_send(s, name, sql, p, what, NULL, err) || pipe_finish(s, &r, err))
			return NULL;
		return r;
	}
	if (pipe_finish(s, NULL, err))
		return NULL;
	if (name) {
		if (prepare(s, name, sql, n, what, err))
			return NULL;
		r = PQexecPrepared(s->conn, name, n, p ? p->v : NULL, NULL, NULL, 0);
	} else {
		r = PQexecParams(s->conn, sql, n, NULL, p ? p->v : NULL, NULL, NULL, 0);
	}
	if (!r || !ok_status(PQresultStatus(r))) {
		pg_fail(s, r, what, err);
		return NULL;
	}
	return r;
}

PGresult *pg_run(struct pg_store *s, const char *name, const char *sql, const struct pg_params *p,
		 const char *what, struct tk_error *err)
{
	/* the batches first, so that the statement sees every write */
	if (pg_batched(s) && batches_send(s, err)) {
		struct tk_error ignored = {0};
		pipe_finish(s, NULL, &ignored);
		return NULL;
	}
	return pg_run_apart(s, name, sql, p, what, err);
}

enum tk_rc pg_exec(struct pg_store *s, const char *name, const char *sql,
		   const struct pg_params *p, const char *what, struct tk_error *err)
{
	PGresult *r = pg_run(s, name, sql, p, what, err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	PQclear(r);
	return TK_OK;
}

enum tk_rc pg_exec_script(struct pg_store *s, const char *sql, const char *what,
			  struct tk_error *err)
{
	enum tk_rc rc = pg_drain(s, err);
	if (rc)
		return rc;
	PGresult *r = PQexec(s->conn, sql);
	if (!r || !ok_status(PQresultStatus(r)))
		return pg_fail(s, r, what, err);
	PQclear(r);
	return TK_OK;
}

enum tk_rc pg_int_of(struct pg_store *s, const char *name, const char *sql,
		     const struct pg_params *p, int64_t dflt, int64_t *out, const char *what,
		     struct tk_error *err)
{
	PGresult *r = pg_run(s, name, sql, p, what, err);
	if (!r)
		return err->rc ? err->rc : TK_EIO;
	*out = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? pg_int(r, 0, 0) : dflt;
	PQclear(r);
	return TK_OK;
}

enum tk_rc pg_each_row(struct pg_store *s, const char *sql, const struct pg_params *p,
		       pg_row_cb row, void *ctx, const char *what, struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	bool own = s->tx_depth == 0 && !s->cursor_tx;
	if (own) {
		if ((rc = pg_exec_script(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what,
					 err)))
			return rc;
		s->cursor_tx = true;
	}
	char name[32], decl[64], fetch[64], close_[48];
	snprintf(name, sizeof(name), "tk_cursor_%d", ++s->cursors);
	snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", PG_FETCH_ROWS, name);
	snprintf(close_, sizeof(close_), "CLOSE %s", name);
	size_t n = strlen(sql) + sizeof(decl);
	char *q = malloc(n);
	if (!q) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	snprintf(q, n, "DECLARE %s NO SCROLL CURSOR FOR %s", name, sql);
	rc = pg_exec(s, NULL, q, p, what, err);
	free(q);
	if (rc)
		goto out;
	bool more = true;
	while (more && !rc) {
		PGresult *r = pg_run(s, NULL, fetch, NULL, what, err);
		if (!r) {
			rc = err->rc ? err->rc : TK_EIO;
			break;
		}
		int rows = PQntuples(r);
		for (int i = 0; i < rows && more; i++)
			more = row(ctx, r, i);
		if (rows < PG_FETCH_ROWS)
			more = false;
		PQclear(r);
	}
	if (!rc)
		rc = pg_exec(s, NULL, close_, NULL, what, err);
out:
	s->cursors--;
	if (own) {
		s->cursor_tx = false;
		PQclear(PQexec(s->conn, rc ? "ROLLBACK" : "COMMIT"));
	}
	return rc;
}

/* ---- row readers ---- */

bool pg_is_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

int64_t pg_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

void pg_copy(const PGresult *r, int row, int col, char *buf, size_t size)
{
	if (!size)
		return;
	if (PQgetisnull(r, row, col)) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "%s", PQgetvalue(r, row, col));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t pg_bytes(const PGresult *r, int row, int col, uint8_t *out, size_t max)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const char *v = PQgetvalue(r, row, col);
	if (v[0] != '\\' || v[1] != 'x') /* bytea_output = hex is set at open */
		return 0;
	size_t n = 0;
	for (v += 2; v[0] && v[1] && n < max; v += 2) {
		int hi = hexval(v[0]), lo = hexval(v[1]);
		if (hi < 0 || lo < 0)
			break;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return n;
}

/* ---- transactions ---- */

enum tk_rc pg_tx_begin(struct store *st, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	if (s->tx_depth++ > 0)
		return tk_fail(err, TK_EIO, "", "nested transaction");
	assert(s->n_pending == 0);
	tx_forget(s);
	s->writing = true;
	char sql[96];
	if (s->appender)
		snprintf(sql, sizeof(sql), "BEGIN");
	else
		snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%d)", PG_WRITER_LOCK);
	enum tk_rc rc = pg_exec_script(s, sql, "starting a transaction", err);
	if (rc) {
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->tx_depth = 0;
		s->writing = false;
	}
	return rc;
}

/* A read-only snapshot: no advisory lock, so it never waits for a writer. */
enum tk_rc pg_tx_begin_read(struct store *st, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	if (s->tx_depth++ > 0)
		return tk_fail(err, TK_EIO, "", "nested transaction");
	assert(s->n_pending == 0);
	s->writing = false;
	enum tk_rc rc = pg_exec_script(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
				       "starting a read transaction", err);
	if (rc) {
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->tx_depth = 0;
	}
	return rc;
}

enum tk_rc pg_tx_commit(struct store *st, struct tk_error *err)
{
	struct pg_store *s = pg_of(st);
	/* the queued writes first: a failure among them is the commit's */
	enum tk_rc rc = pg_drain(s, err);
	if (rc) {
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->tx_depth = 0;
		s->writing = false;
		tx_forget(s);
		return rc;
	}
	PGresult *r = PQexec(s->conn, "COMMIT");
	/* COMMIT of an aborted transaction answers ROLLBACK, not an error */
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK ||
	    strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		if (r && PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			rc = tk_fail(err, TK_EIO, "", "the transaction was rolled back: a statement in it "
						      "failed");
		} else {
			rc = pg_fail(s, r, "committing", err);
			PQclear(PQexec(s->conn, "ROLLBACK"));
		}
	} else {
		PQclear(r);
	}
	s->tx_depth = 0;
	s->writing = false;
	tx_forget(s);
	return rc;
}

void pg_tx_rollback(struct store *st)
{
	struct pg_store *s = pg_of(st);
	struct tk_error ignored = {0};
	batches_drop(s); /* what was batched or queued is rolled back with the rest */
	pg_drain(s, &ignored);
	if (s->tx_depth > 0)
		PQclear(PQexec(s->conn, "ROLLBACK"));
	s->tx_depth = 0;
	s->writing = false;
	tx_forget(s);
}

/* ---- migrations ---- */

static enum tk_rc migrate_module(struct pg_store *s, const struct pg_migration *m,
				 struct tk_error *err)
{
	enum tk_rc rc = TK_OK;
	for (; m->name && !rc; m++) {
		struct pg_params p;
		pg_params_init(&p);
		pg_p_text(&p, m->name);
		int64_t done = 0;
		if ((rc = pg_int_of(s, NULL, "SELECT 1 FROM schema_migrations WHERE name = $1", &p, 0,
				    &done, "reading the schema version", err)))
			break;
		if (done)
			continue;
		if ((rc = pg_exec_script(s, "BEGIN", m->name, err)))
			break;
		if ((rc = pg_exec_script(s, m->sql, m->name, err)) ||
		    (rc = pg_exec(s, NULL,
				  "INSERT INTO schema_migrations(name, applied_at) VALUES "
				  "($1, extract(epoch FROM now())::bigint)",
				  &p, m->name, err)) ||
		    (rc = pg_exec_script(s, "COMMIT", m->name, err)))
			PQclear(PQexec(s->conn, "ROLLBACK"));
	}
	return rc;
}

/* Several nodes may start at once: one migrates while the others wait on
 * the session lock, then find nothing left to do. */
static enum tk_rc migrate(struct pg_store *s, struct tk_error *err)
{
	static const struct pg_migration *const modules[] = {
		pg_migrations_core, pg_migrations_feeds, pg_migrations_catalog,
		pg_migrations_server, pg_migrations_growth, pg_migrations_groups,
		pg_migrations_actions, pg_migrations_promo,
	};
	char lock[64], unlock[64];
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_lock(%d)", PG_MIGRATE_LOCK);
	snprintf(unlock, sizeof(unlock), "SELECT pg_advisory_unlock(%d)", PG_MIGRATE_LOCK);
	enum tk_rc rc = pg_exec_script(s, lock, "waiting for other nodes' migrations", err);
	if (rc)
		return rc;
	rc = pg_exec_script(s,
			    "CREATE TABLE IF NOT EXISTS schema_migrations ("
			    " name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
			    "creating the migrations table", err);
	for (size_t i = 0; !rc && i < sizeof(modules) / sizeof(modules[0]); i++)
		rc = migrate_module(s, modules[i], err);
	PQclear(PQexec(s->conn, unlock));
	return rc;
}

/* ---- open / close ---- */

void pg_close(struct store *st)
{
	struct pg_store *s = pg_of(st);
	pg_item_ahead_drop(s);
	pg_item_writes_free(s);
	batches_free(s);
	PQfinish(s->conn);
	strmap_free(&s->prepared);
	free(s);
}

/* The URI without its password, for messages (secrets are never shown). */
void store_uri_redact(const char *uri, char *out, size_t size)
{
	const char *scheme = strstr(uri, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (!at || !colon || colon > at) {
		snprintf(out, size, "%s", uri);
		return;
	}
	snprintf(out, size, "%.*s:***%s", (int)(colon - uri), uri, at);
}

enum tk_rc store_pg_open(const char *uri, const struct store_options *o, struct store **out,
			 struct tk_error *err)
{
	struct pg_store *s = calloc(1, sizeof(*s));
	if (!s)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	s->base.ops = &pg_core_ops;
	s->base.feeds = &pg_feed_ops;
	s->base.catalog = &pg_catalog_ops;
	s->base.server = &pg_server_ops;
	s->base.growth = &pg_growth_ops;
	s->base.groups = &pg_group_ops;
	s->base.actions = &pg_action_ops;
	s->base.statements = &pg_statement_ops;
	s->base.channels = &pg_channel_ops;
	s->base.campaign_orders = &pg_campaign_order_ops;
	s->base.promo = &pg_promo_ops;
	s->appender = o && o->appender;
	char shown[512];
	store_uri_redact(uri, shown, sizeof(shown));
	enum tk_rc rc;
	s->conn = PQconnectdb(uri);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		char text[300];
		pg_message(s->conn ? PQerrorMessage(s->conn) : "out of memory", text, sizeof(text));
		rc = tk_fail(err, TK_EIO, "db", "cannot open database \"%s\": %s", shown, text);
		goto fail;
	}
	/* quiet notices (IF NOT EXISTS), UTC, hex bytea, and statements that
	 * wait on a lock give up after the same 10 s as SQLite's busy wait */
	if ((rc = pg_exec_script(s,
				 "SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
				 "SET bytea_output = 'hex'; SET lock_timeout = '10s'",
				 "configuring the connection", err)) ||
	    (rc = migrate(s, err)))
		goto fail;
	*out = &s->base;
	return TK_OK;
fail:
	PQfinish(s->conn);
	strmap_free(&s->prepared);
	free(s);
	return rc;
}

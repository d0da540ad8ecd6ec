/* pg_internal.h — what the PostgreSQL backend's modules share (core, feeds,
 * catalog, server, growth): the connection, statement parameters, row
 * readers, cursors and migrations.  Nothing outside src/store/ includes this.
 *
 * Transactions: every write transaction takes one transaction-level
 * advisory lock (PG_WRITER_LOCK) before its first statement, so writers run
 * one at a time across every process and node, in the order SQLite's single
 * writer gives; readers never wait (MVCC).  That keeps the change log's
 * numbers contiguous in commit order and makes a withdrawal's balance check
 * and its debit one serial step.  An appending connection (clicks) takes no
 * lock: it writes only rows nobody else writes.
 *
 * A statement that fails aborts a PostgreSQL transaction (SQLite's does
 * not): operations whose failure is an expected answer (a duplicate key)
 * must ask without failing — INSERT ... ON CONFLICT DO NOTHING RETURNING,
 * or a read first — so the unit of work can go on.
 *
 * Pipelining: inside a write transaction, a write whose result nobody needs
 * (pg_queue: an insert whose id the store handed out, an update, an
 * additive upsert) is sent in libpq's pipeline mode and not waited for; the
 * queue is drained — one round trip for all of it — when a statement needs
 * its answer (pg_run sends it behind the queue), before any other
 * statement, and at commit.  A queued statement that fails fails the
 * transaction: the drain reports it with its own "what" (kept in a ring of
 * pending statements), the statements after it are not applied, and the
 * caller rolls back as for any failed operation. */
#ifndef TK_PG_INTERNAL_H
#define TK_PG_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strmap.h"
#include "core/textbuf.h"
#include "store/store.h"

struct pg_store;
struct pg_item_ahead;
struct pg_item_writes;
/* Forgets the items read ahead (pg_core.c): at commit, rollback and close. */
void pg_item_ahead_drop(struct pg_store *s);
/* A bulk transaction's item inserts and updates, held back by pg_core.c
 * (one row per id: an insert and the updates after it are one insert):
 * pg_item_writes_fill moves them into the items' batches (PG_BATCH_ITEMS_NEW,
 * PG_BATCH_ITEMS_SET) when the batches are sent; pg_item_writes_drop
 * forgets them (rollback), pg_item_writes_free at close. */
enum tk_rc pg_item_writes_fill(struct pg_store *s, struct tk_error *err);
void pg_item_writes_drop(struct pg_store *s);
void pg_item_writes_free(struct pg_store *s);

#define PG_WRITER_LOCK 0x74756b65     /* pg_advisory_xact_lock key of writers */
#define PG_MIGRATE_LOCK 0x74756b6d    /* pg_advisory_lock key of migrations */
#define PG_PARAMS_MAX 48
#define PG_PARAMS_ARENA 4096          /* bytes for numbers and bytea hex */
#define PG_FETCH_ROWS 1000            /* rows a cursor fetches at a time */
/* Statements queued before the queue is drained anyway: their answers
 * (tens of bytes each) stay far below what the socket holds, so the
 * server never blocks writing answers nobody reads yet while we send. */
#define PG_PIPE_MAX 256
#define PG_PIPE_WHAT 96
#define PG_PIPE_LIMIT (160 + 2 * ORDER_KEY_MAX)

/* A queued statement: what it was doing, for the message of its failure,
 * and for an additive upsert the message of a sum beyond 64 bits (a
 * constraint violation then answers TK_ELIMIT with it; "" for none). */
struct pg_pending {
	char what[PG_PIPE_WHAT];
	char limit[PG_PIPE_LIMIT];
};

/* Batched writes.  In a bulk transaction (an import: rows_ahead said so),
 * the rows of the append-and-add tables — transfers, item events,
 * balances, daily statistics, product sales, team sales — are not sent one
 * statement each but collected per table as array literals, one per
 * column, and sent as one multi-row statement (INSERT ... SELECT FROM
 * unnest(...)) into the pipeline when a statement that may read them is
 * run (pg_run, pg_queue: every statement but the "apart" ones), at commit,
 * when a batch is full, or at an import's next chunk (pg_batches_push,
 * after the chunk's reads: not waited for).  The server's cost of a statement (planning,
 * executor start, index and constraint setup) is then paid once per table
 * and flush instead of once per row.  A failure is reported as a queued
 * statement's is, with its own "what"; an additive upsert's sum beyond 64
 * bits raises SQLSTATE PG_LIMIT_STATE (tk_limit, core-0003) with the
 * message of the key that overflowed: TK_ELIMIT. */
#define PG_BATCH_COLS 41
#define PG_BATCH_ROWS 8192            /* rows of one multi-row statement at most */
#define PG_BATCH_BYTES (8u << 20)     /* bytes of its parameters at most */
#define PG_LIMIT_STATE "TKLIM"
#define PG_ITEM_WRITES_MAX 2048       /* item writes held back at most (pg_core.c) */

/* What a batched table's multi-row statement is: its prepared name, its
 * SQL taking one array per column ($1..$cols), and what it does. */
struct pg_batch_def {
	int slot;            /* index in pg_store.batch: flushed in this order */
	const char *name;
	const char *sql;
	const char *what;
	int cols;
};
enum { PG_BATCH_ITEMS_NEW, PG_BATCH_ITEMS_SET, PG_BATCH_BINDINGS, PG_BATCH_TRANSFERS, PG_BATCH_EVENTS, PG_BATCH_BALANCES, PG_BATCH_STATS,
       PG_BATCH_SALES, PG_BATCH_TEAM_DAYS, PG_BATCH_N };

/* The rows collected for one table: an array literal per column. */
struct pg_batch {
	const struct pg_batch_def *def;
	struct textbuf col[PG_BATCH_COLS];
	int rows;
	int at;              /* the column the next value goes to */
	size_t bytes;
	bool oom;            /* a value could not be kept: the batch is lost */
	/* an upsert's keys (pg_batch_row_keyed): whether one came twice */
	struct strmap keys;
	bool dup;
};

/* Tables whose ids a write transaction hands out itself (pg_next_id). */
enum pg_id_table { PG_ID_ITEMS, PG_ID_EVENTS, PG_ID_TRANSFERS, PG_ID_N };

struct pg_store {
	struct store base;
	PGconn *conn;
	int tx_depth;        /* 0 or 1: transactions do not nest */
	int cursors;         /* open cursors (pg_each_row), for their names */
	bool cursor_tx;      /* pg_each_row opened a transaction of its own */
	bool appender;       /* writes only its own rows: no writer lock */
	struct strmap prepared; /* names of the statements prepared here */
	int64_t n_prepared;
	bool writing;        /* the open transaction is a write transaction */
	int n_pending;       /* statements queued in pipeline mode, unanswered */
	struct pg_pending pending[PG_PIPE_MAX];
	/* the next id of each table (0: not read yet in this transaction) */
	int64_t next_id[PG_ID_N];
	/* the batch's items read ahead (pg_core.c), dropped with the transaction */
	struct pg_item_ahead *ahead;
	/* a bulk transaction: its append-and-add writes are batched */
	bool bulk;
	int n_batched;       /* batches holding rows */
	int n_item_writes;   /* item writes held back (pg_core.c), not in a batch yet */
	struct pg_item_writes *item_writes;
	struct pg_batch batch[PG_BATCH_N];
};

static inline struct pg_store *pg_of(struct store *st)
{
	return (struct pg_store *)st;
}

/* Whether writes are queued (pg_queue) and ids handed out (pg_next_id):
 * inside a write transaction. */
static inline bool pg_pipelining(const struct pg_store *s)
{
	return s->writing && s->tx_depth > 0 && !s->cursor_tx;
}

/* The text parameters of one statement.  Values are the caller's strings
 * (which must outlive the call) or copies in the arena. */
struct pg_params {
	int n;
	bool overflow;
	const char *v[PG_PARAMS_MAX];
	size_t used;
	char arena[PG_PARAMS_ARENA];
};

void pg_params_init(struct pg_params *p);
void pg_p_int(struct pg_params *p, int64_t v);
/* An int64 or SQL NULL when v == 0 (optional references). */
void pg_p_int_or_null(struct pg_params *p, int64_t v);
void pg_p_text(struct pg_params *p, const char *s);
/* Text, or SQL NULL when s is NULL or empty. */
void pg_p_text_or_null(struct pg_params *p, const char *s);
void pg_p_null(struct pg_params *p);
/* bytea, sent in its hex text form */
void pg_p_bytes(struct pg_params *p, const uint8_t *b, size_t n);

/* Fills err from a failed result (or the connection when r is NULL),
 * naming what was being done; returns TK_ECONFLICT for an integrity
 * violation (SQLSTATE class 23), TK_EBUSY for a deadlock victim or a
 * serialization failure (40P01, 40001: nothing applied, worth trying
 * again), TK_EIO otherwise.  Clears r. */
enum tk_rc pg_fail(struct pg_store *s, PGresult *r, const char *what, struct tk_error *err);

/* Runs one statement with p's parameters (p may be NULL).  `name` names a
 * statement prepared once per connection on first use (a static string,
 * unique per SQL text), or NULL for a one-off.  Returns the result
 * (commands and queries alike) for the caller to PQclear, or NULL with err
 * filled. */
PGresult *pg_run(struct pg_store *s, const char *name, const char *sql, const struct pg_params *p,
		 const char *what, struct tk_error *err);
/* pg_run for a statement whose result is not needed. */
enum tk_rc pg_exec(struct pg_store *s, const char *name, const char *sql,
		   const struct pg_params *p, const char *what, struct tk_error *err);
/* Queues a write whose result nobody needs (a static `name` as pg_run's)
 * inside a write transaction, and runs it at once (pg_exec) outside one.
 * `limit` (NULL for none) is the message a constraint violation stands for
 * (an upsert's sum beyond 64 bits): TK_ELIMIT.  A failure may be reported
 * here or by any later statement of the transaction, or its commit. */
enum tk_rc pg_queue(struct pg_store *s, const char *name, const char *sql,
		    const struct pg_params *p, const char *what, const char *limit,
		    struct tk_error *err);
/* pg_run and pg_queue for a statement that neither reads nor writes a
 * batched table: the batches stay collecting. */
PGresult *pg_run_apart(struct pg_store *s, const char *name, const char *sql,
		       const struct pg_params *p, const char *what, struct tk_error *err);
enum tk_rc pg_queue_apart(struct pg_store *s, const char *name, const char *sql,
			  const struct pg_params *p, const char *what, const char *limit,
			  struct tk_error *err);
/* Waits for every queued statement (the batches sent first) and leaves
 * pipeline mode; the first failure among them is returned (the
 * transaction is then lost). */
enum tk_rc pg_drain(struct pg_store *s, struct tk_error *err);

/* Whether writes to def's table are batched now (a bulk transaction). */
static inline bool pg_batching(const struct pg_store *s)
{
	return s->bulk && s->writing && s->tx_depth > 0 && !s->cursor_tx;
}
/* Whether anything is held back in batches: a statement that may read
 * their tables sends them first. */
static inline bool pg_batched(const struct pg_store *s)
{
	return s->n_batched || s->n_item_writes;
}
/* Sends one table's batch (a slot of pg_store.batch) into the pipeline,
 * the others staying: before a statement that reads that table only. */
enum tk_rc pg_batch_send(struct pg_store *s, int slot, struct tk_error *err);
/* Sends every batch (the items held back first) into the pipeline and
 * out to the server without waiting for an answer: the server applies
 * them while the caller goes on (an import's next chunk); their answers
 * are read by the next statement that waits, or the commit. */
enum tk_rc pg_batches_push(struct pg_store *s, struct tk_error *err);
/* Starts a row of def's batch (sending the batch first when full); its
 * values follow, one per column in order, with pg_b_int, pg_b_int_or_null,
 * pg_b_text_or_null and pg_b_text, then pg_batch_end. */
enum tk_rc pg_batch_row(struct pg_store *s, const struct pg_batch_def *def, struct tk_error *err);
/* pg_batch_row for an additive upsert, whose statement must not touch a
 * row twice: the batch is sent by `plain` (rows as they are) while every
 * row's key (NULL: not known) is new to it, and by `grouped` (summed per
 * key first, the same columns) from the first key that comes again —
 * summing in the statement costs the server as much as the upsert. */
enum tk_rc pg_batch_row_keyed(struct pg_store *s, const struct pg_batch_def *plain,
			      const struct pg_batch_def *grouped, const char *key, size_t len,
			      struct tk_error *err);
void pg_b_int(struct pg_store *s, const struct pg_batch_def *def, int64_t v);
void pg_b_int_or_null(struct pg_store *s, const struct pg_batch_def *def, int64_t v);
void pg_b_text(struct pg_store *s, const struct pg_batch_def *def, const char *v);
void pg_b_text_or_null(struct pg_store *s, const struct pg_batch_def *def, const char *v);
/* Ends the row: TK_ENOMEM when a value could not be kept. */
enum tk_rc pg_batch_end(struct pg_store *s, const struct pg_batch_def *def, struct tk_error *err);
/* The id the next row of `t` takes: newest + 1, read once per write
 * transaction by `max_sql` (the newest id, or none) and then counted here —
 * writers are serial under the writer lock, so nobody else inserts there
 * meanwhile.  Forgotten at commit and rollback. */
enum tk_rc pg_next_id(struct pg_store *s, enum pg_id_table t, const char *name,
		      const char *max_sql, int64_t *id, struct tk_error *err);

/* Runs text that may hold several statements and no parameters. */
enum tk_rc pg_exec_script(struct pg_store *s, const char *sql, const char *what,
			  struct tk_error *err);
/* The first column of the first row as an int64 (dflt when there is no row
 * or it is NULL). */
enum tk_rc pg_int_of(struct pg_store *s, const char *name, const char *sql,
		     const struct pg_params *p, int64_t dflt, int64_t *out, const char *what,
		     struct tk_error *err);

/* Streams a query's rows through a cursor, PG_FETCH_ROWS at a time, so
 * that a table of millions is never held whole and `row` may run other
 * statements on this connection between rows.  `row` returns false to stop
 * early.  Outside a transaction it opens a read-only one of its own. */
typedef bool (*pg_row_cb)(void *ctx, const PGresult *r, int row);
enum tk_rc pg_each_row(struct pg_store *s, const char *sql, const struct pg_params *p,
		       pg_row_cb row, void *ctx, const char *what, struct tk_error *err);

/* Row readers: NULL reads as 0 and "". */
bool pg_is_null(const PGresult *r, int row, int col);
int64_t pg_int(const PGresult *r, int row, int col);
void pg_copy(const PGresult *r, int row, int col, char *buf, size_t size);
/* Decodes a bytea column into out (at most max bytes); returns the length. */
size_t pg_bytes(const PGresult *r, int row, int col, uint8_t *out, size_t max);

/* Transactions, shared by every module's operations table. */
enum tk_rc pg_tx_begin(struct store *st, struct tk_error *err);
enum tk_rc pg_tx_begin_read(struct store *st, struct tk_error *err);
enum tk_rc pg_tx_commit(struct store *st, struct tk_error *err);
void pg_tx_rollback(struct store *st);
void pg_close(struct store *st);

/* Numbered migrations of one module, each run once in its own transaction;
 * names are "<module>-NNNN" (the PostgreSQL schema has its own history,
 * starting from the current SQLite schema).  Terminated by {NULL, NULL}. */
struct pg_migration {
	const char *name;
	const char *sql;
};
extern const struct pg_migration pg_migrations_core[];
extern const struct pg_migration pg_migrations_feeds[];
extern const struct pg_migration pg_migrations_catalog[];
extern const struct pg_migration pg_migrations_server[];
extern const struct pg_migration pg_migrations_growth[];
extern const struct pg_migration pg_migrations_groups[];
extern const struct pg_migration pg_migrations_actions[];
extern const struct pg_migration pg_migrations_promo[];

extern const struct store_ops pg_core_ops;
extern const struct feed_store_ops pg_feed_ops;
extern const struct catalog_store_ops pg_catalog_ops;
extern const struct server_store_ops pg_server_ops;
extern const struct growth_store_ops pg_growth_ops;
extern const struct group_store_ops pg_group_ops;

#endif

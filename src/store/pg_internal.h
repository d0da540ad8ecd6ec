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
 * or a read first — so the unit of work can go on. */
#ifndef TK_PG_INTERNAL_H
#define TK_PG_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strmap.h"
#include "store/store.h"

#define PG_WRITER_LOCK 0x74756b65     /* pg_advisory_xact_lock key of writers */
#define PG_MIGRATE_LOCK 0x74756b6d    /* pg_advisory_lock key of migrations */
#define PG_PARAMS_MAX 48
#define PG_PARAMS_ARENA 4096          /* bytes for numbers and bytea hex */
#define PG_FETCH_ROWS 1000            /* rows a cursor fetches at a time */

struct pg_store {
	struct store base;
	PGconn *conn;
	int tx_depth;        /* 0 or 1: transactions do not nest */
	int cursors;         /* open cursors (pg_each_row), for their names */
	bool cursor_tx;      /* pg_each_row opened a transaction of its own */
	bool appender;       /* writes only its own rows: no writer lock */
	struct strmap prepared; /* names of the statements prepared here */
	int64_t n_prepared;
};

static inline struct pg_store *pg_of(struct store *st)
{
	return (struct pg_store *)st;
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

extern const struct store_ops pg_core_ops;
extern const struct feed_store_ops pg_feed_ops;
extern const struct catalog_store_ops pg_catalog_ops;
extern const struct server_store_ops pg_server_ops;
extern const struct growth_store_ops pg_growth_ops;

#endif

/* sqlite_internal.h — what the SQLite backend's modules share (core, feeds,
 * catalog).  Nothing outside src/store/ includes this. */
#ifndef TK_SQLITE_INTERNAL_H
#define TK_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "core/strmap.h"
#include "store/store.h"

#define SQLITE_STMT_SLOTS 96

/* The member a transfer touches (account = member * ACCT_KINDS + kind; a
 * transfer moves money within one member's accounts or between them and
 * the platform's, member 0), as the index transfers_member has it. */
#define SQL_TRANSFER_MEMBER "max(debit, credit) / 8"
#define SQL_TRANSFER_MEMBER_T "max(t.debit, t.credit) / 8"
_Static_assert(ACCT_KINDS == 8, "SQL_TRANSFER_MEMBER divides by ACCT_KINDS");

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	int tx_depth;
	/* prepared statements, each module its own slots; finalized on close */
	sqlite3_stmt *core[SQLITE_STMT_SLOTS];
	sqlite3_stmt *feeds[SQLITE_STMT_SLOTS];
	sqlite3_stmt *catalog[SQLITE_STMT_SLOTS];
	sqlite3_stmt *server[SQLITE_STMT_SLOTS];
	sqlite3_stmt *growth[SQLITE_STMT_SLOTS];
	sqlite3_stmt *groups[SQLITE_STMT_SLOTS];
	sqlite3_stmt *actions[SQLITE_STMT_SLOTS];
	sqlite3_stmt *statements[SQLITE_STMT_SLOTS];
	sqlite3_stmt *channels[SQLITE_STMT_SLOTS];
	sqlite3_stmt *campaign_orders[SQLITE_STMT_SLOTS];
	sqlite3_stmt *promo[SQLITE_STMT_SLOTS];
	/* Item keys ("union\x1fkey" -> row id) held in memory once this
	 * connection has looked up many items (a bulk import): a new item then
	 * costs no index search and a known one is read by row id.  Dropped
	 * whenever another connection commits (PRAGMA data_version) and on
	 * rollback, so it never disagrees with the database. */
	struct strmap item_keys;
	bool item_keys_loaded;
	int64_t item_lookups, item_keys_after;
	int64_t data_version;
};

static inline struct sqlite_store *sqlite_of(struct store *st)
{
	return (struct sqlite_store *)st;
}

/* The statement in *slot, preparing it on first use.  NULL with err set. */
sqlite3_stmt *sqlite_stmt(struct sqlite_store *s, sqlite3_stmt **slot, const char *sql,
			  struct tk_error *err);

/* Fills err from the connection's last error, naming what was being done;
 * returns TK_EIO (TK_ECONFLICT for a constraint violation). */
enum tk_rc sqlite_fail(struct sqlite_store *s, struct tk_error *err, const char *what);

/* Runs one step of a statement that returns no row, then resets it. */
enum tk_rc sqlite_exec_stmt(struct sqlite_store *s, sqlite3_stmt *stmt, const char *what,
			    struct tk_error *err);

/* Steps a query that returns at most one row; *found says whether it did.
 * On TK_OK the row's columns are readable and the caller resets q; on an
 * error q is reset here and err names `what`. */
enum tk_rc sqlite_step_one(struct sqlite_store *s, sqlite3_stmt *q, bool *found,
			   const char *what, struct tk_error *err);

/* Steps a query to its end, handing each row to `row` (which returns false
 * to stop early), then resets it.  `what` names the reading in errors. */
enum tk_rc sqlite_each_row(struct sqlite_store *s, sqlite3_stmt *q,
			   bool (*row)(void *ctx, sqlite3_stmt *q), void *ctx, const char *what,
			   struct tk_error *err);

/* Binds text, or NULL when s is empty. */
void sqlite_bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s);
/* Copies a text column into buf (size bytes), "" for NULL. */
void sqlite_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t size);

/* Numbered migrations of one module, run in order, each once, each in its
 * own transaction; names are "<module>-NNNN".  Terminated by {NULL, NULL}. */
struct sqlite_migration {
	const char *name;
	const char *sql;
};
extern const struct sqlite_migration sqlite_migrations_core[];
extern const struct sqlite_migration sqlite_migrations_feeds[];
extern const struct sqlite_migration sqlite_migrations_catalog[];
extern const struct sqlite_migration sqlite_migrations_server[];
extern const struct sqlite_migration sqlite_migrations_growth[];
extern const struct sqlite_migration sqlite_migrations_groups[];
extern const struct sqlite_migration sqlite_migrations_actions[];
extern const struct sqlite_migration sqlite_migrations_promo[];

/* The catalog's FTS5 query texts for search terms (sqlite_catalog.c):
 * the trigram index's ("t1" AND "t2", every term of 3+ characters) and the
 * bigram index's (each term the phrase of its pairs, one character a
 * prefix).  False when out (SQLITE_FTS_QUERY_MAX) is too small. */
struct catalog_terms;
#define SQLITE_FTS_QUERY_MAX (8 * (64 * 9 + 16))
bool sqlite_fts_trigram(const struct catalog_terms *t, char *out, size_t size);
bool sqlite_fts_bigram(const struct catalog_terms *t, char *out, size_t size);

#endif

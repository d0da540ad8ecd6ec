/* bare_insert.c — the ingest benchmark's reference peer: reads the same
 * members.jsonl and orders.jsonl as `tuike member import` / `orders import`,
 * parses each line with jansson, and inserts the fields into bare SQLite
 * tables (no indexes, no constraints) with one prepared statement per table,
 * all in one transaction, under the pragmas tuike's store uses.
 *
 *   bare_insert DB MEMBERS.jsonl ORDERS.jsonl
 *
 * Prints {"members":N,"rows":N} on stdout; exit 1 with a message on error. */
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define LINE_MAX_BYTES (4 * 1024 * 1024) /* as tuike's readers */

static const char *const member_fields[] = {"id", "parent", "level", "name", NULL};
static const char *const order_fields[] = {
	"union", "item", "order", "status", "modified_at", "paid_at", "settled_at", "amount",
	"commission", "quantity", "product", "title", "buyer", "member", "link", NULL,
};

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bare_insert: %s: %s\n", sql, msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Binds the listed fields of one JSON object: strings as text, integers as
 * integers, null or absent as NULL. */
static int bind_fields(sqlite3_stmt *st, json_t *obj, const char *const *fields,
		       const char *file, long line)
{
	for (int i = 0; fields[i]; i++) {
		json_t *v = json_object_get(obj, fields[i]);
		int rc;
		if (!v || json_is_null(v))
			rc = sqlite3_bind_null(st, i + 1);
		else if (json_is_string(v))
			rc = sqlite3_bind_text(st, i + 1, json_string_value(v),
					       (int)json_string_length(v), SQLITE_STATIC);
		else if (json_is_integer(v))
			rc = sqlite3_bind_int64(st, i + 1, json_integer_value(v));
		else {
			fprintf(stderr, "%s:%ld: %s: must be a string, an integer or null\n", file,
				line, fields[i]);
			return -1;
		}
		if (rc != SQLITE_OK) {
			fprintf(stderr, "bare_insert: bind %s: %s\n", fields[i],
				sqlite3_errstr(rc));
			return -1;
		}
	}
	return 0;
}

/* Inserts every line of `path` through `st`; returns the row count or -1. */
static long long load(sqlite3 *db, sqlite3_stmt *st, const char *path,
		      const char *const *fields)
{
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "bare_insert: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	long line = 0;
	long long rows = 0;
	while ((len = getline(&buf, &cap, in)) > 0) {
		line++;
		if (len > LINE_MAX_BYTES) {
			fprintf(stderr, "%s:%ld: line is longer than %d bytes\n", path, line,
				LINE_MAX_BYTES);
			goto fail;
		}
		json_error_t jerr;
		json_t *obj = json_loadb(buf, (size_t)len, 0, &jerr);
		if (!obj || !json_is_object(obj)) {
			fprintf(stderr, "%s:%ld: not a JSON object: %s\n", path, line, jerr.text);
			json_decref(obj);
			goto fail;
		}
		int rc = bind_fields(st, obj, fields, path, line);
		if (rc == 0 && sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "%s:%ld: insert: %s\n", path, line, sqlite3_errmsg(db));
			rc = -1;
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		json_decref(obj);
		if (rc)
			goto fail;
		rows++;
	}
	if (ferror(in)) {
		fprintf(stderr, "bare_insert: cannot read %s: %s\n", path, strerror(errno));
		goto fail;
	}
	free(buf);
	fclose(in);
	return rows;
fail:
	free(buf);
	fclose(in);
	return -1;
}

int main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ms = NULL, *os = NULL;
	long long members = -1, rows = -1;
	int status = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: bare_insert DB MEMBERS.jsonl ORDERS.jsonl\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "bare_insert: cannot open %s: %s\n", argv[1], sqlite3_errmsg(db));
		goto out;
	}
	/* The pragmas of tuike's store (src/store/sqlite.c). */
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		     "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;") ||
	    exec(db, "CREATE TABLE members(id TEXT, parent TEXT, level TEXT, name TEXT)") ||
	    exec(db, "CREATE TABLE order_rows(union_ TEXT, item TEXT, order_ TEXT, status TEXT, "
		     "modified_at TEXT, paid_at TEXT, settled_at TEXT, amount INTEGER, "
		     "commission INTEGER, quantity INTEGER, product TEXT, title TEXT, "
		     "buyer TEXT, member TEXT, link TEXT)"))
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO members VALUES (?,?,?,?)", -1, &ms, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO order_rows VALUES "
				   "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &os, NULL)) {
		fprintf(stderr, "bare_insert: prepare: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	if (exec(db, "BEGIN"))
		goto out;
	if ((members = load(db, ms, argv[2], member_fields)) < 0 ||
	    (rows = load(db, os, argv[3], order_fields)) < 0) {
		exec(db, "ROLLBACK");
		goto out;
	}
	if (exec(db, "COMMIT"))
		goto out;
	printf("{\"members\":%lld,\"rows\":%lld}\n", members, rows);
	status = 0;
out:
	sqlite3_finalize(ms);
	sqlite3_finalize(os);
	sqlite3_close(db);
	return status;
}

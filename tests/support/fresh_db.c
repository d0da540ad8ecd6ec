/* fresh_db.c — fresh databases for the tests, on either backend, and a
 * connection of their own to look at them (see fresh_db.h). */
#include "fresh_db.h"

#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "core_standin.h"
#include "store/store.h"

/* the base URI, first line of $TUIKE_TEST_PG_FILE */
static bool base_uri(char *out, size_t size)
{
	const char *file = getenv("TUIKE_TEST_PG_FILE");
	if (!file || !*file)
		return false;
	FILE *f = fopen(file, "r");
	if (!f)
		return false;
	bool ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
	return ok && *out;
}

bool test_pg_available(void)
{
	char base[512];
	return base_uri(base, sizeof(base));
}

bool test_pg_fresh(char *uri, size_t size)
{
	static int serial;
	char base[512];
	if (!base_uri(base, sizeof(base))) {
		fprintf(stderr, "fresh_db: no PostgreSQL (TUIKE_TEST_PG_FILE)\n");
		return false;
	}
	PGconn *c = PQconnectdb(base);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "fresh_db: %s", PQerrorMessage(c));
		PQfinish(c);
		return false;
	}
	char name[64], sql[128];
	snprintf(name, sizeof(name), "t_%ld_%d_%ld", (long)getpid(), ++serial,
		 (long)(time(NULL) % 100000));
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "fresh_db: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	/* the base is postgresql://tuike@/tuike?host=DIR: swap the name */
	const char *q = strchr(base, '?');
	snprintf(uri, size, "postgresql://tuike@/%s%s", name, q ? q : "");
	return ok;
}

void test_sqlite_fresh(char *path, size_t size)
{
	static int serial;
	const char *tmp = getenv("TMPDIR");
	snprintf(path, size, "%s/tuike-test-%ld-%d.db", tmp && *tmp ? tmp : "/tmp", (long)getpid(),
		 ++serial);
	unlink(path);
}

bool test_backend_pg(void)
{
	const char *b = getenv("TUIKE_TEST_BACKEND");
	return b && strcmp(b, "pg") == 0;
}

bool test_db_fresh(char *uri, size_t size)
{
	if (test_backend_pg())
		return test_pg_fresh(uri, size);
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int n = snprintf(uri, size, "%s/tuike-test-XXXXXX", dir);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "fresh_db: a path under %s does not fit in %zu bytes\n", dir, size);
		return false;
	}
	int fd = mkstemp(uri);
	if (fd < 0) {
		perror("fresh_db: mkstemp");
		return false;
	}
	close(fd);
	unlink(uri); /* the name is ours; SQLite creates the file */
	return true;
}

/* the database name of a postgresql://tuike@/NAME?host=... URI */
static bool pg_name_of(const char *uri, char *name, size_t size)
{
	const char *p = strstr(uri, "://");
	p = p ? strchr(p + 3, '/') : NULL;
	if (!p)
		return false;
	p++;
	size_t n = strcspn(p, "?");
	if (n == 0 || n >= size)
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	return true;
}

void test_db_remove(const char *uri)
{
	if (strncmp(uri, "postgresql://", 13) != 0) {
		char side[512];
		unlink(uri);
		snprintf(side, sizeof(side), "%s-wal", uri);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", uri);
		unlink(side);
		return;
	}
	char base[512], name[128], sql[256];
	if (!pg_name_of(uri, name, sizeof(name)) || !base_uri(base, sizeof(base)))
		return;
	PGconn *c = PQconnectdb(base);
	if (PQstatus(c) == CONNECTION_OK) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
		PQclear(PQexec(c, sql));
	}
	PQfinish(c);
}

struct test_db {
	sqlite3 *lite;
	PGconn *pg;
};

struct test_db *test_db_connect(const char *uri)
{
	struct test_db *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	if (strncmp(uri, "postgresql://", 13) == 0) {
		d->pg = PQconnectdb(uri);
		if (PQstatus(d->pg) == CONNECTION_OK)
			return d;
		fprintf(stderr, "fresh_db: %s: %s", uri, PQerrorMessage(d->pg));
	} else {
		if (sqlite3_open_v2(uri, &d->lite, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
			return d;
		fprintf(stderr, "fresh_db: %s: %s\n", uri, sqlite3_errmsg(d->lite));
	}
	test_db_close(d);
	return NULL;
}

bool test_db_i64(struct test_db *d, const char *sql, const char *text, int64_t *out)
{
	*out = 0;
	if (d->pg) {
		const char *params[1] = {text};
		PGresult *r = PQexecParams(d->pg, sql, text ? 1 : 0, NULL, params, NULL, NULL, 0);
		bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			fprintf(stderr, "fresh_db: %s: %s", sql, PQerrorMessage(d->pg));
		else if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			*out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		return ok;
	}
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(d->lite, sql, -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "fresh_db: %s: %s\n", sql, sqlite3_errmsg(d->lite));
		return false;
	}
	if (text)
		sqlite3_bind_text(q, 1, text, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	else if (rc != SQLITE_DONE)
		fprintf(stderr, "fresh_db: %s: %s\n", sql, sqlite3_errmsg(d->lite));
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

void test_db_close(struct test_db *d)
{
	if (!d)
		return;
	if (d->pg)
		PQfinish(d->pg);
	if (d->lite)
		sqlite3_close(d->lite);
	free(d);
}

struct store *test_store_fresh(enum test_fresh_kind kind, char *uri, size_t size)
{
	struct store *st = NULL;
	struct tk_error err = {0};
	if (kind == TEST_FRESH_SQLITE)
		test_sqlite_fresh(uri, size);
	else if (!(kind == TEST_FRESH_PG_ICU ? test_pg_fresh_icu(uri, size)
					     : test_pg_fresh(uri, size)))
		fail_msg("no fresh PostgreSQL database");
	if (store_open(uri, NULL, &st, &err))
		fail_msg("open %s: %s", uri, err.msg);
	return st;
}

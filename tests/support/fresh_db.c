/* fresh_db.c — fresh databases for the tests (see fresh_db.h). */
#include "fresh_db.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

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

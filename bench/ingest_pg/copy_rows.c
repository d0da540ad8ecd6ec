/* copy_rows.c — the PostgreSQL ingest benchmark's reference peer: reads the
 * same orders.jsonl as `tuike orders import`, parses each line with
 * jansson, and streams the fields with COPY (libpq) into two bare tables —
 * one row per order row as an item (its fields) and as an event (its raw
 * line) — with no index but the primary keys, in one transaction.
 *
 *   copy_rows URI ORDERS.jsonl [ROWS]      (ROWS: stop after that many lines)
 *
 * Prints {"rows":N} on stdout; exit 1 with a message on error. */
#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define LINE_MAX_BYTES (4 * 1024 * 1024) /* as tuike's readers */
#define OUT_FLUSH (256 * 1024)

static const char *const order_fields[] = {
	"union", "item", "order", "status", "modified_at", "paid_at", "settled_at", "amount",
	"commission", "quantity", "product", "title", "buyer", "member", "link", NULL,
};

struct out {
	char *s;
	size_t n, cap;
};

static int put(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t cap = (o->n + n + 1) * 2;
		char *a = realloc(o->s, cap);
		if (!a)
			return -1;
		o->s = a;
		o->cap = cap;
	}
	memcpy(o->s + o->n, s, n);
	o->n += n;
	return 0;
}

/* One field in COPY's text format: \N for NULL, special bytes escaped. */
static int put_text(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '\\': e = "\\\\"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		}
		if (e ? put(o, e, 2) : put(o, s + i, 1))
			return -1;
	}
	return 0;
}

static int put_json(struct out *o, json_t *v)
{
	char num[32];
	if (!v || json_is_null(v))
		return put(o, "\\N", 2);
	if (json_is_string(v))
		return put_text(o, json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		int n = snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return put(o, num, (size_t)n);
	}
	return -1;
}

static int exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
	if (!ok)
		fprintf(stderr, "copy_rows: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

/* Streams what `o` holds into the COPY under way. */
static int flush(PGconn *c, struct out *o)
{
	if (o->n && PQputCopyData(c, o->s, (int)o->n) != 1) {
		fprintf(stderr, "copy_rows: COPY: %s", PQerrorMessage(c));
		return -1;
	}
	o->n = 0;
	return 0;
}

static int copy_begin(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = r && PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		fprintf(stderr, "copy_rows: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

static int copy_end(PGconn *c)
{
	if (PQputCopyEnd(c, NULL) != 1) {
		fprintf(stderr, "copy_rows: COPY end: %s", PQerrorMessage(c));
		return -1;
	}
	PGresult *r;
	int rc = 0;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "copy_rows: COPY: %s", PQerrorMessage(c));
			rc = -1;
		}
		PQclear(r);
	}
	return rc;
}

int main(int argc, char **argv)
{
	int status = 1;
	long long limit = argc == 4 ? strtoll(argv[3], NULL, 10) : -1, rows = 0;
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: copy_rows URI ORDERS.jsonl [ROWS]\n");
		return 2;
	}
	FILE *in = fopen(argv[2], "r");
	if (!in) {
		fprintf(stderr, "copy_rows: cannot open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	PGconn *c = PQconnectdb(argv[1]);
	struct out items = {0}, events = {0};
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "copy_rows: %s", PQerrorMessage(c));
		goto out;
	}
	if (exec(c, "SET client_min_messages = warning") ||
	    exec(c, "DROP TABLE IF EXISTS items_bare, events_bare") ||
	    exec(c, "CREATE TABLE items_bare (id BIGINT PRIMARY KEY, union_ TEXT, item_key TEXT, "
		    "order_no TEXT, status TEXT, modified_at TEXT, paid_at TEXT, settled_at TEXT, "
		    "amount BIGINT, commission BIGINT, quantity BIGINT, product TEXT, title TEXT, "
		    "buyer TEXT, member TEXT, link TEXT)") ||
	    exec(c, "CREATE TABLE events_bare (id BIGINT PRIMARY KEY, item BIGINT, raw TEXT)") ||
	    exec(c, "BEGIN"))
		goto out;
	/* the items first, the raw lines kept for the events' COPY after */
	if (copy_begin(c, "COPY items_bare FROM STDIN"))
		goto out;
	while ((limit < 0 || rows < limit) && (len = getline(&buf, &cap, in)) > 0) {
		if (len > LINE_MAX_BYTES) {
			fprintf(stderr, "%s:%lld: line too long\n", argv[2], rows + 1);
			goto out;
		}
		json_error_t jerr;
		json_t *obj = json_loadb(buf, (size_t)len, 0, &jerr);
		if (!obj || !json_is_object(obj)) {
			fprintf(stderr, "%s:%lld: not a JSON object: %s\n", argv[2], rows + 1, jerr.text);
			json_decref(obj);
			goto out;
		}
		char id[32];
		int n = snprintf(id, sizeof(id), "%lld", ++rows);
		int rc = put(&items, id, (size_t)n);
		for (int i = 0; !rc && order_fields[i]; i++)
			rc = put(&items, "\t", 1) || put_json(&items, json_object_get(obj, order_fields[i]));
		rc = rc || put(&items, "\n", 1);
		while (!rc && len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			len--;
		rc = rc || put(&events, id, (size_t)n) || put(&events, "\t", 1) ||
		     put(&events, id, (size_t)n) || put(&events, "\t", 1) ||
		     put_text(&events, buf, (size_t)len) || put(&events, "\n", 1);
		json_decref(obj);
		if (rc) {
			fprintf(stderr, "%s:%lld: a field is not a string, an integer or null\n",
				argv[2], rows);
			goto out;
		}
		if (items.n >= OUT_FLUSH && flush(c, &items))
			goto out;
	}
	if (ferror(in)) {
		fprintf(stderr, "copy_rows: cannot read %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	if (flush(c, &items) || copy_end(c) || copy_begin(c, "COPY events_bare FROM STDIN") ||
	    flush(c, &events) || copy_end(c) || exec(c, "COMMIT"))
		goto out;
	printf("{\"rows\":%lld}\n", rows);
	status = 0;
out:
	free(buf);
	free(items.s);
	free(events.s);
	fclose(in);
	PQfinish(c);
	return status;
}

/* node_lock.c — one live node per name and database: a node's clicks and
 * counters carry its name, so two live nodes of one name would mix their
 * figures.  PostgreSQL: a session-level advisory lock on a connection the
 * node keeps for its life; SQLite: an flock on a file beside the database
 * (owner-only, as every file tuike makes beside it). */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/pg_internal.h"

/* The first key of the two-key advisory locks naming nodes ("tukn"); the
 * single-key locks (writer, migrations) are a space apart in PostgreSQL. */
#define NODE_LOCK_KEY 0x74756b6e

struct store_node_lock {
	struct store *pg; /* the connection holding the lock, or NULL */
	int fd;           /* the SQLite lock file, or -1 */
};

/* 32-bit FNV-1a of the name: the lock's second key.  Two names hashing
 * alike only make the second of them refuse to start. */
static int32_t name_key(const char *name)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return (int32_t)h;
}

static enum tk_rc taken(const char *name, struct tk_error *err)
{
	return tk_fail(err, TK_ECONFLICT, "node",
		       "node \"%s\" is already running against this database", name);
}

/* Takes the advisory lock (key1, key2) on a connection of l's own: *got
 * false when another session holds it. */
static enum tk_rc try_pg(const char *uri, int32_t key1, int32_t key2, struct store_node_lock *l,
			 bool *got, struct tk_error *err)
{
	enum tk_rc rc = store_pg_open(uri, NULL, &l->pg, err);
	if (rc)
		return rc;
	struct pg_params p;
	pg_params_init(&p);
	pg_p_int(&p, key1);
	pg_p_int(&p, key2);
	int64_t v = 0;
	rc = pg_int_of(pg_of(l->pg), NULL, "SELECT pg_try_advisory_lock($1::int4, $2::int4)::int",
		       &p, 0, &v, "taking a lock", err);
	*got = v != 0;
	return rc;
}

static enum tk_rc lock_pg(const char *uri, const char *name, struct store_node_lock *l,
			  struct tk_error *err)
{
	bool got = false;
	enum tk_rc rc = try_pg(uri, NODE_LOCK_KEY, name_key(name), l, &got, err);
	if (rc)
		return rc;
	return got ? TK_OK : taken(name, err);
}

/* Opens (or creates) a lock file, owner-only: one made 0644 by an older
 * tuike is tightened (a failure to is harmless: the lock still works). */
static int open_lock(const char *file)
{
	int fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		(void)fchmod(fd, 0600);
	return fd;
}

/* <db>.node-<name>.lock, the name's characters other than letters,
 * digits, '.', '_' and '-' as '_' (a ':' of host:port). */
static enum tk_rc lock_file(const char *path, const char *name, struct store_node_lock *l,
			    struct tk_error *err)
{
	char file[4096];
	int n = snprintf(file, sizeof(file), "%s.node-%s.lock", path, name);
	if (n < 0 || (size_t)n >= sizeof(file))
		return tk_fail(err, TK_ELIMIT, "db", "database path too long for a node lock file");
	for (char *p = file + strlen(path) + 6; *p && p < file + n - 5; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	l->fd = open_lock(file);
	if (l->fd < 0)
		return tk_fail(err, TK_EIO, "db", "cannot open the node lock file \"%s\": %s", file,
			       strerror(errno));
	if (flock(l->fd, LOCK_EX | LOCK_NB) != 0)
		return errno == EWOULDBLOCK ? taken(name, err)
					    : tk_fail(err, TK_EIO, "db", "cannot lock \"%s\": %s",
						      file, strerror(errno));
	return TK_OK;
}

enum tk_rc store_node_lock(const char *uri, const char *name, struct store_node_lock **out,
			   struct tk_error *err)
{
	struct store_node_lock *l = calloc(1, sizeof(*l));
	if (!l)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	l->fd = -1;
	uri = store_default_uri(uri);
	enum tk_rc rc;
	if (store_uri_is_pg(uri))
		rc = lock_pg(uri, name, l, err);
	else if (strcmp(uri, ":memory:") == 0)
		rc = TK_OK; /* a database of its own: nobody else can share it */
	else
		rc = lock_file(uri, name, l, err);
	if (rc) {
		store_node_unlock(l);
		return rc;
	}
	*out = l;
	return TK_OK;
}

void store_node_unlock(struct store_node_lock *l)
{
	if (!l)
		return;
	if (l->pg)
		l->pg->ops->close(l->pg); /* the session ends: the lock goes with it */
	if (l->fd >= 0)
		close(l->fd); /* the file stays: removing it would race a new owner */
	free(l);
}

/* The pusher's lock ("tukp", 1): one pusher per database. */
#define PUSH_LOCK_KEY 0x74756b70

static enum tk_rc push_taken(struct tk_error *err)
{
	return tk_fail(err, TK_ECONFLICT, "push",
		       "another pusher is already running against this database");
}

enum tk_rc store_push_lock(const char *uri, struct store_node_lock **out, struct tk_error *err)
{
	struct store_node_lock *l = calloc(1, sizeof(*l));
	if (!l)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	l->fd = -1;
	uri = store_default_uri(uri);
	enum tk_rc rc = TK_OK;
	if (store_uri_is_pg(uri)) {
		bool got = false;
		if (!(rc = try_pg(uri, PUSH_LOCK_KEY, 1, l, &got, err)) && !got)
			rc = push_taken(err);
	} else if (strcmp(uri, ":memory:") != 0) {
		char file[4096];
		int n = snprintf(file, sizeof(file), "%s.push.lock", uri);
		if (n < 0 || (size_t)n >= sizeof(file))
			rc = tk_fail(err, TK_ELIMIT, "db", "database path too long for a lock file");
		else if ((l->fd = open_lock(file)) < 0)
			rc = tk_fail(err, TK_EIO, "db", "cannot open the lock file \"%s\": %s", file,
				     strerror(errno));
		else if (flock(l->fd, LOCK_EX | LOCK_NB) != 0)
			rc = errno == EWOULDBLOCK ? push_taken(err)
						  : tk_fail(err, TK_EIO, "db", "cannot lock \"%s\": %s",
							    file, strerror(errno));
	}
	if (rc) {
		store_node_unlock(l);
		return rc;
	}
	*out = l;
	return TK_OK;
}

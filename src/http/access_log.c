/* access_log.c — JSON lines through jansson (which escapes every string),
 * each written with one fwrite under the FILE's own lock. */
#include "http/access_log.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/tktime.h"

struct access_log {
	FILE *f;
	bool owned;
};

enum tk_rc access_log_open(const char *path, struct access_log **out, struct tk_error *err)
{
	struct access_log *l = calloc(1, sizeof(*l));
	if (!l)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (strcmp(path, "-") == 0) {
		l->f = stderr;
	} else {
		/* client addresses and member ids: owner-only when created (an
		 * existing file keeps the mode its operator gave it, e.g. for a
		 * log shipper's group) */
		int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		l->f = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!l->f) {
			if (fd >= 0)
				close(fd);
			free(l);
			return tk_fail(err, TK_EIO, "access-log", "cannot open \"%s\" for appending",
				       path);
		}
		l->owned = true;
	}
	*out = l;
	return TK_OK;
}

void access_log_write(struct access_log *l, const struct access_entry *e)
{
	if (!l)
		return;
	char when[TKTIME_BUF];
	tktime_format_iso8601(e->at_ms / 1000, 0, when);
	const char *path = e->path;
	json_t *doc;
again:
	doc = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:s, s:s, s:s}",
				"time", when, "method", e->method, "path", path, "route",
				e->route ? e->route : "", "status", e->status, "micros",
				(json_int_t)e->micros, "bytes_in", (json_int_t)e->bytes_in,
				"bytes_out", (json_int_t)e->bytes_out, "ip", e->ip ? e->ip : "",
				"peer", e->peer ? e->peer : (e->ip ? e->ip : ""),
				"principal", e->principal ? e->principal : "");
	if (!doc && strcmp(path, "?") != 0) {
		path = "?"; /* not valid UTF-8: log the request without its path */
		goto again;
	}
	if (!doc)
		return;
	if (e->error && *e->error)
		json_object_set_new(doc, "error", json_string(e->error));
	char *line = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!line)
		return;
	size_t n = strlen(line);
	line[n] = '\n'; /* replaces the NUL: the line is written with its length */
	flockfile(l->f);
	fwrite(line, 1, n + 1, l->f);
	fflush(l->f);
	funlockfile(l->f);
	free(line);
}

void access_log_close(struct access_log *l)
{
	if (!l)
		return;
	if (l->owned)
		fclose(l->f);
	free(l);
}

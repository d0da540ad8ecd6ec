/* web_files.h — the web console's built files (web/dist), read into memory
 * when the server starts and answered from there: a request never touches
 * the disk, and only the names read at start can ever be answered, so no
 * path can reach outside the folder.
 *
 * "/" answers index.html, "/m/" m/index.html (any path ending in "/" its
 * index.html).  Hashed assets (under assets/) are cached for a year;
 * pages are revalidated by ETag. */
#ifndef TK_HTTP_WEB_FILES_H
#define TK_HTTP_WEB_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define WEB_FILES_MAX 4096                  /* files */
#define WEB_FILES_BYTES_MAX (256u << 20)    /* bytes in all */
#define WEB_PATH_MAX 256                    /* bytes of a name under the folder */

struct web_file {
	char path[WEB_PATH_MAX];   /* "/index.html", "/assets/console-1a2b.js" */
	const char *type;          /* its Content-Type */
	const char *cache;         /* its Cache-Control */
	char etag[24];             /* "\"<16 hex digits>\"" */
	unsigned char *data;
	size_t len;
	void *response;            /* the server's answer made once for it */
};

struct web_files {
	struct web_file *files;    /* sorted by path */
	size_t n;
	size_t bytes;
};

/* Reads every regular file under dir (not following symbolic links, not
 * names starting with "."), within the limits above. */
enum tk_rc web_files_load(const char *dir, struct web_files *out, struct tk_error *err);
void web_files_free(struct web_files *w);

/* The file a GET path names ("/" and "/x/" name their index.html); the
 * path is what the server decoded, without the query.  NULL: none. */
const struct web_file *web_files_get(const struct web_files *w, const char *path);

/* Whether "/m" is a folder with an index.html (to redirect to "/m/"). */
bool web_files_is_folder(const struct web_files *w, const char *path);

#endif

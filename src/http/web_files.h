/* web_files.h — the web console's built files (web/dist), read into memory
 * when the server starts and answered from there: a request never touches
 * the disk, and only the names read at start can ever be answered, so no
 * path can reach outside the folder.
 *
 * "/" answers index.html, "/m/" m/index.html (any path ending in "/" its
 * index.html).  Hashed assets (under assets/) are cached for a year;
 * pages are revalidated by ETag.
 *
 * A file "x.br" or "x.gz" beside "x" (written by web/scripts/compress.mjs)
 * is not a file of its own but x's brotli or gzip encoding, paired with x
 * at load and answered for x when the request's Accept-Encoding takes it. */
#ifndef TK_HTTP_WEB_FILES_H
#define TK_HTTP_WEB_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define WEB_FILES_MAX 4096                  /* files */
#define WEB_FILES_BYTES_MAX (256u << 20)    /* bytes in all */
#define WEB_PATH_MAX 256                    /* bytes of a name under the folder */

/* The encodings a file can be answered in, in the order preferred at equal
 * q: brotli is the smaller. */
enum web_encoding { WEB_IDENTITY, WEB_BR, WEB_GZIP, WEB_ENCODINGS };

/* One encoding of a file: its bytes, its own ETag (the identity's with
 * "-br" or "-gz" before the closing quote, so that a cache never mistakes
 * one for another) and the server's answer made once for it. */
struct web_body {
	unsigned char *data;       /* NULL: the file has no such encoding */
	size_t len;
	char etag[28];             /* "\"<16 hex digits>[-br|-gz]\"" */
	void *response;
};

struct web_file {
	char path[WEB_PATH_MAX];   /* "/index.html", "/assets/console-1a2b.js" */
	const char *type;          /* its Content-Type */
	const char *cache;         /* its Cache-Control */
	struct web_body body[WEB_ENCODINGS];  /* [WEB_IDENTITY] always there */
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

/* Which q each encoding gets from an Accept-Encoding header (RFC 9110
 * 12.5.3), in thousandths: 0 refused, 1000 fully.  NULL or empty: identity
 * only.  "*" sets every coding not named; "x-gzip" is gzip; a malformed
 * q refuses its coding.  Identity, unless named or refused by "*", is 1:
 * acceptable, but preferred to no coding.  Pure. */
void web_accept_encoding(const char *header, int q[WEB_ENCODINGS]);

/* The encoding of f to answer a request whose Accept-Encoding is header:
 * the one with the highest q among those f has (brotli first at equal q),
 * identity when no other is acceptable, even if identity was refused. */
enum web_encoding web_pick_encoding(const struct web_file *f, const char *header);

/* Whether "/m" is a folder with an index.html (to redirect to "/m/"). */
bool web_files_is_folder(const struct web_files *w, const char *path);

#endif

/* web_files.c — the console's files, read once into memory, each with its
 * precompressed encodings (x.br, x.gz beside x), and the choice among them
 * by a request's Accept-Encoding. */
#include "http/web_files.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json"},
	{".map", "application/json"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".jpeg", "image/jpeg"},
	{".gif", "image/gif"},
	{".webp", "image/webp"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".woff", "font/woff"},
	{".txt", "text/plain; charset=utf-8"},
	{".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* FNV-1a, 64 bits: an ETag only has to change when the content does */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

struct loader {
	struct web_files *w;
	size_t cap;
	struct tk_error *err;
};

static enum tk_rc add_file(struct loader *ld, int dirfd, const char *name, const char *rel)
{
	struct web_files *w = ld->w;
	if (w->n >= WEB_FILES_MAX)
		return tk_fail(ld->err, TK_ELIMIT, rel, "more than %d files", WEB_FILES_MAX);
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return tk_fail(ld->err, TK_EIO, rel, "cannot read: %s", strerror(e));
	}
	if ((size_t)st.st_size > WEB_FILES_BYTES_MAX - w->bytes) {
		close(fd);
		return tk_fail(ld->err, TK_ELIMIT, rel, "the files pass %u bytes in all",
			       WEB_FILES_BYTES_MAX);
	}
	if (w->n == ld->cap) {
		size_t cap = ld->cap ? ld->cap * 2 : 32;
		struct web_file *f = realloc(w->files, cap * sizeof(*f));
		if (!f) {
			close(fd);
			return tk_fail(ld->err, TK_ENOMEM, rel, "out of memory");
		}
		w->files = f;
		ld->cap = cap;
	}
	struct web_file *f = &w->files[w->n];
	memset(f, 0, sizeof(*f));
	struct web_body *b = &f->body[WEB_IDENTITY];
	b->len = (size_t)st.st_size;
	b->data = malloc(b->len ? b->len : 1);
	size_t got = 0;
	while (b->data && got < b->len) {
		ssize_t r = read(fd, b->data + got, b->len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!b->data || got != b->len) {
		bool nomem = !b->data;
		free(b->data);
		b->data = NULL;
		return tk_fail(ld->err, nomem ? TK_ENOMEM : TK_EIO, rel, "cannot read the file");
	}
	snprintf(f->path, sizeof(f->path), "%s", rel);
	f->type = type_of(rel);
	f->cache = strncmp(rel, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
						    : "no-cache";
	snprintf(b->etag, sizeof(b->etag), "\"%016llx\"", (unsigned long long)fnv1a(b->data, b->len));
	w->bytes += b->len;
	w->n++;
	return TK_OK;
}

static enum tk_rc walk(struct loader *ld, int dirfd, const char *rel, int depth)
{
	if (depth > 16)
		return tk_fail(ld->err, TK_ELIMIT, rel, "folders nested more than 16 deep");
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return tk_fail(ld->err, TK_EIO, rel, "cannot list: %s", strerror(errno));
	}
	enum tk_rc rc = TK_OK;
	struct dirent *de;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[WEB_PATH_MAX];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", rel, de->d_name) >= sizeof(path)) {
			rc = tk_fail(ld->err, TK_ELIMIT, rel, "a name longer than %d bytes",
				     WEB_PATH_MAX - 1);
			break;
		}
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			rc = sub < 0 ? tk_fail(ld->err, TK_EIO, path, "cannot open: %s", strerror(errno))
				     : walk(ld, sub, path, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = add_file(ld, dirfd, de->d_name, path);
		}
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct web_file *)a)->path, ((const struct web_file *)b)->path);
}

static const struct web_file *find(const struct web_files *w, const char *path);

/* Moves each "x.br" / "x.gz" into x's body[] when x was read too, so that
 * the choice per request is a look at three slots, never a second search;
 * a twin without its file stays a file of its own.  w is sorted by path,
 * and stays so: the twins are taken out in order. */
static void pair_encodings(struct web_files *w)
{
	static const struct {
		const char *suffix;
		enum web_encoding enc;
	} twins[] = {{".br", WEB_BR}, {".gz", WEB_GZIP}};
	for (size_t i = 0; i < w->n; i++) {
		struct web_file *t = &w->files[i];
		size_t len = strlen(t->path);
		for (size_t k = 0; k < sizeof(twins) / sizeof(twins[0]); k++) {
			if (len <= 3 || strcmp(t->path + len - 3, twins[k].suffix) != 0)
				continue;
			char base[WEB_PATH_MAX];
			snprintf(base, sizeof(base), "%.*s", (int)(len - 3), t->path);
			struct web_file *f = (struct web_file *)find(w, base);
			enum web_encoding e = twins[k].enc;
			if (!f || !f->body[WEB_IDENTITY].data || f->body[e].data)
				break;
			struct web_body *from = &t->body[WEB_IDENTITY], *to = &f->body[e];
			to->data = from->data;
			to->len = from->len;
			/* "\"hex\"" becomes "\"hex-br\"": the same family, another tag */
			const char *id = f->body[WEB_IDENTITY].etag;
			snprintf(to->etag, sizeof(to->etag), "%.*s-%s\"", (int)strlen(id) - 1, id,
				 e == WEB_BR ? "br" : "gz");
			from->data = NULL;   /* marks t for removal below */
			break;
		}
	}
	size_t kept = 0;
	for (size_t i = 0; i < w->n; i++)
		if (w->files[i].body[WEB_IDENTITY].data)
			w->files[kept++] = w->files[i];
	w->n = kept;
}

enum tk_rc web_files_load(const char *dir, struct web_files *out, struct tk_error *err)
{
	memset(out, 0, sizeof(*out));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return tk_fail(err, TK_EIO, "--web", "cannot open the web folder %s: %s", dir,
			       strerror(errno));
	struct loader ld = {out, 0, err};
	enum tk_rc rc = walk(&ld, fd, "", 0);
	if (rc) {
		web_files_free(out);
		return rc;
	}
	qsort(out->files, out->n, sizeof(*out->files), by_path);
	pair_encodings(out);
	return TK_OK;
}

void web_files_free(struct web_files *w)
{
	for (size_t i = 0; i < w->n; i++)
		for (int e = 0; e < WEB_ENCODINGS; e++)
			free(w->files[i].body[e].data);
	free(w->files);
	memset(w, 0, sizeof(*w));
}

static const struct web_file *find(const struct web_files *w, const char *path)
{
	size_t lo = 0, hi = w->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, w->files[mid].path);
		if (c == 0)
			return &w->files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct web_file *web_files_get(const struct web_files *w, const char *path)
{
	size_t len = strlen(path);
	if (!w->n || len == 0 || path[0] != '/' || len >= WEB_PATH_MAX - 10)
		return NULL;
	if (path[len - 1] != '/')
		return find(w, path);
	char index[WEB_PATH_MAX];
	snprintf(index, sizeof(index), "%sindex.html", path);
	return find(w, index);
}

bool web_files_is_folder(const struct web_files *w, const char *path)
{
	size_t len = strlen(path);
	if (!w->n || len == 0 || path[len - 1] == '/' || len >= WEB_PATH_MAX - 12)
		return false;
	char index[WEB_PATH_MAX];
	snprintf(index, sizeof(index), "%s/index.html", path);
	return find(w, index) != NULL;
}

/* One qvalue ("0", "0.5", "1.000"; RFC 9110 12.4.2) in thousandths; -1
 * when malformed.  p..end is the value without surrounding spaces. */
static int qvalue(const char *p, const char *end)
{
	if (p >= end || (*p != '0' && *p != '1'))
		return -1;
	int whole = *p++ - '0', frac = 0, digits = 0;
	if (p < end) {
		if (*p++ != '.')
			return -1;
		for (; p < end; p++, digits++) {
			if (digits == 3 || !isdigit((unsigned char)*p))
				return -1;
			frac = frac * 10 + (*p - '0');
		}
	}
	while (digits++ < 3)
		frac *= 10;
	if (whole == 1 && frac != 0)
		return -1;
	return whole * 1000 + frac;
}

static bool token_is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(p, word, n) == 0;
}

#define ACCEPT_ELEMENTS_MAX 64  /* codings read from one header; the rest ignored */

void web_accept_encoding(const char *h, int q[WEB_ENCODINGS])
{
	int named[WEB_ENCODINGS] = {-1, -1, -1}, star = -1;
	for (int n = 0; h && *h && n < ACCEPT_ELEMENTS_MAX; n++) {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		if (!*h)
			break;
		const char *tok = h;
		while (*h && *h != ',' && *h != ';' && *h != ' ' && *h != '\t')
			h++;
		size_t toklen = (size_t)(h - tok);
		int qv = 1000;
		/* parameters: only q is known; a malformed q refuses the coding,
		 * which is the safe reading of a header we do not understand */
		while (*h && *h != ',') {
			while (*h == ' ' || *h == '\t' || *h == ';')
				h++;
			const char *name = h;
			while (*h && *h != '=' && *h != ',' && *h != ';')
				h++;
			const char *name_end = h;
			while (name_end > name && (name_end[-1] == ' ' || name_end[-1] == '\t'))
				name_end--;
			if (*h != '=')
				continue;
			h++;
			while (*h == ' ' || *h == '\t')
				h++;
			const char *val = h;
			while (*h && *h != ',' && *h != ';')
				h++;
			const char *val_end = h;
			while (val_end > val && (val_end[-1] == ' ' || val_end[-1] == '\t'))
				val_end--;
			if (token_is(name, (size_t)(name_end - name), "q")) {
				int v = qvalue(val, val_end);
				qv = v < 0 ? 0 : v;
			}
		}
		int *slot = token_is(tok, toklen, "br")                                ? &named[WEB_BR]
			    : token_is(tok, toklen, "gzip") || token_is(tok, toklen, "x-gzip") ? &named[WEB_GZIP]
			    : token_is(tok, toklen, "identity")                          ? &named[WEB_IDENTITY]
			    : token_is(tok, toklen, "*")                                 ? &star
										       : NULL;
		if (slot && *slot < 0)   /* a coding named twice: the first counts */
			*slot = qv;
	}
	/* identity not named: acceptable, but preferred to nothing (RFC 9110) */
	for (int e = 0; e < WEB_ENCODINGS; e++)
		q[e] = named[e] >= 0 ? named[e] : star >= 0 ? star : e == WEB_IDENTITY ? 1 : 0;
}

enum web_encoding web_pick_encoding(const struct web_file *f, const char *header)
{
	if (!header || (!f->body[WEB_BR].data && !f->body[WEB_GZIP].data))
		return WEB_IDENTITY;
	int q[WEB_ENCODINGS];
	web_accept_encoding(header, q);
	enum web_encoding best = WEB_IDENTITY;
	int bq = 0;
	for (int e = WEB_BR; e < WEB_ENCODINGS; e++)
		if (f->body[e].data && q[e] > bq) {
			best = (enum web_encoding)e;
			bq = q[e];
		}
	/* identity only when asked for more than any encoding we have */
	return best != WEB_IDENTITY && q[WEB_IDENTITY] > bq ? WEB_IDENTITY : best;
}

/* web_files.c — the console's files, read once into memory. */
#include "http/web_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	f->len = (size_t)st.st_size;
	f->data = malloc(f->len ? f->len : 1);
	size_t got = 0;
	while (f->data && got < f->len) {
		ssize_t r = read(fd, f->data + got, f->len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!f->data || got != f->len) {
		free(f->data);
		return tk_fail(ld->err, f->data ? TK_EIO : TK_ENOMEM, rel, "cannot read the file");
	}
	snprintf(f->path, sizeof(f->path), "%s", rel);
	f->type = type_of(rel);
	f->cache = strncmp(rel, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
						    : "no-cache";
	snprintf(f->etag, sizeof(f->etag), "\"%016llx\"", (unsigned long long)fnv1a(f->data, f->len));
	w->bytes += f->len;
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
	return TK_OK;
}

void web_files_free(struct web_files *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->files[i].data);
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

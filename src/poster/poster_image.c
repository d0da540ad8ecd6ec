/* poster_image.c — the product images posters show (see poster_image.h).
 * The allow list is what stops a poster from being a way to make the
 * server fetch any address: only the unions' image CDNs and the hosts an
 * operator names.  Redirects are not followed for the same reason. */
#include "poster/poster_image.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the unions' image domains, each with its subdomains */
static const char *const union_domains[] = {"360buyimg.com", "alicdn.com", "tbcdn.cn",
					    "pddpic.com", "yangkeduo.com"};

struct cached {
	struct cached *next;
	char *url;
	unsigned char *data; /* NULL: a failure, remembered until fail_until */
	size_t len;
	int64_t fail_until;
	char why[160];
	uint64_t used;       /* last use, for eviction */
};

struct poster_images {
	pthread_mutex_t lock;
	size_t cap, bytes;
	uint64_t clock;
	struct cached *head;
	int n_hosts;
	char hosts[POSTER_IMAGE_HOSTS_MAX][POSTER_IMAGE_HOST_MAX];
};

enum poster_image_kind poster_image_sniff(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return POSTER_IMAGE_JPEG;
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return POSTER_IMAGE_PNG;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return POSTER_IMAGE_WEBP;
	return POSTER_IMAGE_NONE;
}

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t le16(const unsigned char *p) { return (uint32_t)p[1] << 8 | p[0]; }
static uint32_t be32(const unsigned char *p) { return be16(p) << 16 | be16(p + 2); }
static uint32_t le24(const unsigned char *p) { return le16(p) | (uint32_t)p[2] << 16; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

static bool jpeg_dims(const unsigned char *p, size_t n, uint32_t *w, uint32_t *h)
{
	size_t i = 2;
	while (i + 1 < n) {
		if (p[i] != 0xFF)
			return false;
		while (i < n && p[i] == 0xFF) /* fill bytes */
			i++;
		if (i >= n)
			return false;
		unsigned m = p[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* markers without a length */
		if (i + 2 > n)
			return false;
		uint32_t len = be16(p + i);
		if (len < 2)
			return false;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (i + 7 > n)
				return false;
			*h = be16(p + i + 3);
			*w = be16(p + i + 5);
			return true;
		}
		if (m == 0xD9 || m == 0xDA) /* end, or the scan before any frame */
			return false;
		i += len;
	}
	return false;
}

bool poster_image_dims(const unsigned char *p, size_t n, int *w, int *h)
{
	uint32_t W = 0, H = 0;
	bool ok = false;
	switch (poster_image_sniff(p, n)) {
	case POSTER_IMAGE_PNG:
		if ((ok = n >= 24 && memcmp(p + 12, "IHDR", 4) == 0)) {
			W = be32(p + 16);
			H = be32(p + 20);
		}
		break;
	case POSTER_IMAGE_JPEG: ok = jpeg_dims(p, n, &W, &H); break;
	case POSTER_IMAGE_WEBP:
		if (n >= 30 && memcmp(p + 12, "VP8 ", 4) == 0 && p[23] == 0x9D && p[24] == 0x01 &&
		    p[25] == 0x2A) {
			W = le16(p + 26) & 0x3FFF;
			H = le16(p + 28) & 0x3FFF;
			ok = true;
		} else if (n >= 25 && memcmp(p + 12, "VP8L", 4) == 0 && p[20] == 0x2F) {
			uint32_t b = le32(p + 21);
			W = (b & 0x3FFF) + 1;
			H = (b >> 14 & 0x3FFF) + 1;
			ok = true;
		} else if (n >= 30 && memcmp(p + 12, "VP8X", 4) == 0) {
			W = le24(p + 24) + 1;
			H = le24(p + 27) + 1;
			ok = true;
		}
		break;
	default: break;
	}
	if (!ok || W == 0 || H == 0 || W > POSTER_IMAGE_SIDE_MAX || H > POSTER_IMAGE_SIDE_MAX)
		return false;
	*w = (int)W;
	*h = (int)H;
	return true;
}

struct poster_images *poster_images_new(size_t cache_bytes)
{
	struct poster_images *pi = calloc(1, sizeof(*pi));
	if (!pi)
		return NULL;
	pthread_mutex_init(&pi->lock, NULL);
	pi->cap = cache_bytes;
	return pi;
}

static void cached_free(struct cached *e)
{
	free(e->url);
	free(e->data);
	free(e);
}

void poster_images_free(struct poster_images *pi)
{
	if (!pi)
		return;
	while (pi->head) {
		struct cached *e = pi->head;
		pi->head = e->next;
		cached_free(e);
	}
	pthread_mutex_destroy(&pi->lock);
	free(pi);
}

static bool host_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '.';
}

enum tk_rc poster_images_allow(struct poster_images *pi, const char *host, struct tk_error *err)
{
	size_t len = strlen(host), colon = strcspn(host, ":");
	bool ok = len > 0 && len < POSTER_IMAGE_HOST_MAX && colon > 0;
	for (size_t i = 0; ok && i < colon; i++)
		ok = host_char(host[i]);
	if (ok && colon < len) { /* a port: 1..65535 */
		char *end;
		long port = strtol(host + colon + 1, &end, 10);
		ok = host[colon + 1] >= '0' && host[colon + 1] <= '9' && !*end && port > 0 &&
		     port < 65536;
	}
	if (!ok)
		return tk_fail(err, TK_EINVAL, "image_host",
			       "must be a host name or address with an optional :port, got \"%s\"",
			       host);
	if (pi->n_hosts == POSTER_IMAGE_HOSTS_MAX)
		return tk_fail(err, TK_ELIMIT, "image_host", "at most %d image hosts",
			       POSTER_IMAGE_HOSTS_MAX);
	snprintf(pi->hosts[pi->n_hosts++], POSTER_IMAGE_HOST_MAX, "%s", host);
	return TK_OK;
}

static bool under_domain(const char *host, size_t len, const char *domain)
{
	size_t d = strlen(domain);
	if (len == d)
		return strncasecmp(host, domain, d) == 0;
	return len > d && host[len - d - 1] == '.' && strncasecmp(host + len - d, domain, d) == 0;
}

bool poster_images_allowed(const struct poster_images *pi, const char *url)
{
	const char *rest;
	if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else if (strncmp(url, "//", 2) == 0)
		rest = url + 2;
	else
		return false;
	size_t auth = strcspn(rest, "/?#");
	if (auth == 0 || auth >= POSTER_IMAGE_HOST_MAX || memchr(rest, '@', auth) ||
	    memchr(rest, '\\', auth))
		return false;
	size_t host = strcspn(rest, ":/?#");
	for (size_t i = 0; i < host; i++)
		if (!host_char(rest[i]))
			return false;
	for (int i = 0; i < pi->n_hosts; i++) {
		const char *h = pi->hosts[i];
		size_t hl = strlen(h);
		/* "host" allows it on any port, "host:port" on that port only */
		if (strchr(h, ':') ? hl == auth && strncasecmp(rest, h, hl) == 0
				   : hl == host && strncasecmp(rest, h, hl) == 0)
			return true;
	}
	if (host != auth) /* the unions' CDNs on their default ports only */
		return false;
	for (size_t i = 0; i < sizeof(union_domains) / sizeof(union_domains[0]); i++)
		if (under_domain(rest, host, union_domains[i]))
			return true;
	return false;
}

struct body {
	unsigned char *p;
	size_t len, cap;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct body *b = ud;
	size_t n = size * nmemb;
	if (b->len + n > POSTER_IMAGE_BYTES_MAX) {
		b->too_big = true;
		return 0; /* stops the transfer */
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64 * 1024;
		while (cap < b->len + n)
			cap *= 2;
		if (cap > POSTER_IMAGE_BYTES_MAX)
			cap = POSTER_IMAGE_BYTES_MAX;
		unsigned char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, ptr, n);
	b->len += n;
	return n;
}

/* Fetches url into *b; on failure why says what went wrong. */
static bool fetch(const char *url, struct body *b, char *why, size_t why_size)
{
	char full[POSTER_IMAGE_URL_MAX + 8];
	snprintf(full, sizeof(full), "%s%s", strncmp(url, "//", 2) == 0 ? "https:" : "", url);
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(why, why_size, "cannot start a transfer");
		return false;
	}
	curl_easy_setopt(h, CURLOPT_URL, full);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)POSTER_IMAGE_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)POSTER_IMAGE_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)POSTER_IMAGE_BYTES_MAX);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tuike-poster/1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (b->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(why, why_size, "larger than %u bytes", POSTER_IMAGE_BYTES_MAX);
		return false;
	}
	if (cc != CURLE_OK) {
		snprintf(why, why_size, "%s", curl_easy_strerror(cc));
		return false;
	}
	if (status != 200) {
		snprintf(why, why_size, "HTTP status %ld", status);
		return false;
	}
	int w, hh;
	if (poster_image_sniff(b->p, b->len) == POSTER_IMAGE_NONE) {
		snprintf(why, why_size, "not a JPEG, PNG or WebP image");
		return false;
	}
	if (!poster_image_dims(b->p, b->len, &w, &hh)) {
		snprintf(why, why_size, "no readable size, or larger than %d pixels a side",
			 POSTER_IMAGE_SIDE_MAX);
		return false;
	}
	return true;
}

static struct cached *find(struct poster_images *pi, const char *url)
{
	for (struct cached *e = pi->head; e; e = e->next)
		if (strcmp(e->url, url) == 0)
			return e;
	return NULL;
}

static void unlink_entry(struct poster_images *pi, struct cached *e)
{
	for (struct cached **pp = &pi->head; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			pi->bytes -= e->len;
			return;
		}
}

/* Keeps a result (takes data), evicting the least recently used images
 * while the cache would hold more than its bound. */
static void keep(struct poster_images *pi, const char *url, unsigned char *data, size_t len,
		 int64_t fail_until, const char *why)
{
	struct cached *old = find(pi, url);
	if (old) {
		unlink_entry(pi, old);
		cached_free(old);
	}
	if (len > pi->cap) {
		free(data);
		return;
	}
	while (pi->head && pi->bytes + len > pi->cap) {
		struct cached *lru = pi->head;
		for (struct cached *e = pi->head; e; e = e->next)
			if (e->used < lru->used)
				lru = e;
		unlink_entry(pi, lru);
		cached_free(lru);
	}
	struct cached *e = calloc(1, sizeof(*e));
	if (!e || !(e->url = strdup(url))) {
		free(e);
		free(data);
		return;
	}
	e->data = data;
	e->len = len;
	e->fail_until = fail_until;
	e->used = ++pi->clock;
	snprintf(e->why, sizeof(e->why), "%s", why ? why : "");
	e->next = pi->head;
	pi->head = e;
	pi->bytes += len;
}

enum tk_rc poster_images_get(struct poster_images *pi, const char *url, int64_t now,
			     unsigned char **data, size_t *len, struct tk_error *err)
{
	*data = NULL;
	*len = 0;
	if (!url[0] || strlen(url) > POSTER_IMAGE_URL_MAX || !poster_images_allowed(pi, url))
		return tk_fail(err, TK_EINVAL, "image", "not an allowed image host: \"%.200s\"",
			       url);
	pthread_mutex_lock(&pi->lock);
	struct cached *e = find(pi, url);
	enum tk_rc rc = TK_OK;
	if (e && e->data) {
		e->used = ++pi->clock;
		*data = malloc(e->len);
		if (*data) {
			memcpy(*data, e->data, e->len);
			*len = e->len;
		} else {
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		}
	} else if (e && now < e->fail_until) {
		rc = tk_fail(err, TK_EIO, "image", "%s: %s (remembered)", url, e->why);
	}
	pthread_mutex_unlock(&pi->lock);
	if (rc || *data)
		return rc;

	/* fetched outside the lock: one slow host holds no other poster up */
	struct body b = {0};
	char why[160];
	if (!fetch(url, &b, why, sizeof(why))) {
		free(b.p);
		pthread_mutex_lock(&pi->lock);
		keep(pi, url, NULL, 0, now + POSTER_IMAGE_FAIL_TTL_S, why);
		pthread_mutex_unlock(&pi->lock);
		return tk_fail(err, TK_EIO, "image", "%.300s: %s", url, why);
	}
	unsigned char *copy = malloc(b.len);
	if (copy)
		memcpy(copy, b.p, b.len);
	pthread_mutex_lock(&pi->lock);
	keep(pi, url, copy, copy ? b.len : 0, 0, NULL);
	pthread_mutex_unlock(&pi->lock);
	*data = b.p;
	*len = b.len;
	return TK_OK;
}

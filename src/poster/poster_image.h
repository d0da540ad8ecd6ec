/* poster_image.h — product images for posters: fetched from the unions'
 * image hosts only (and hosts an operator allows, for mocks and own
 * CDNs), within limits of size, time and pixels, checked by their magic
 * bytes, and kept in a bounded memory cache keyed by URL.  A failure is
 * remembered for a minute, so that a dead image host costs one timeout a
 * minute rather than one per poster.
 *
 * Ownership: poster_images_get hands out a malloc'd copy (free()). */
#ifndef TK_POSTER_IMAGE_H
#define TK_POSTER_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define POSTER_IMAGE_BYTES_MAX (5u * 1024u * 1024u) /* a fetched image */
#define POSTER_IMAGE_TIMEOUT_MS 5000                /* one fetch, all told */
#define POSTER_IMAGE_SIDE_MAX 4096                  /* pixels either way */
#define POSTER_IMAGE_CACHE_BYTES (64u * 1024u * 1024u)
#define POSTER_IMAGE_FAIL_TTL_S 60                  /* a failure remembered */
#define POSTER_IMAGE_HOSTS_MAX 16                   /* hosts an operator adds */
#define POSTER_IMAGE_HOST_MAX 128                   /* bytes of "host[:port]" */
#define POSTER_IMAGE_URL_MAX 1024

enum poster_image_kind { POSTER_IMAGE_NONE, POSTER_IMAGE_JPEG, POSTER_IMAGE_PNG, POSTER_IMAGE_WEBP };

/* The kind of image by its first bytes, whatever its URL or headers say. */
enum poster_image_kind poster_image_sniff(const unsigned char *p, size_t n);

/* The pixel size an image declares in its header (PNG IHDR, JPEG SOFn,
 * WebP VP8/VP8L/VP8X), read before any decoding; false when it cannot be
 * read or either side is 0 or beyond POSTER_IMAGE_SIDE_MAX. */
bool poster_image_dims(const unsigned char *p, size_t n, int *w, int *h);

struct poster_images;

/* A cache holding at most cache_bytes of images; NULL when out of memory. */
struct poster_images *poster_images_new(size_t cache_bytes);
void poster_images_free(struct poster_images *pi);

/* Allows images from one more host, "host" or "host:port" (http or
 * https), beside the unions' built-in domains.  TK_EINVAL naming
 * `image_host` when malformed, TK_ELIMIT past POSTER_IMAGE_HOSTS_MAX. */
enum tk_rc poster_images_allow(struct poster_images *pi, const char *host, struct tk_error *err);

/* Whether url may be fetched: http(s) (or scheme-relative "//", taken as
 * https), no user part, a host under a union's image domain
 * (360buyimg.com, alicdn.com, tbcdn.cn, pddpic.com, yangkeduo.com) on the
 * default port, or one an operator allowed. */
bool poster_images_allowed(const struct poster_images *pi, const char *url);

/* The image at url, from the cache or fetched: *data (malloc'd) and *len.
 * TK_EINVAL naming `image` for a URL that is not allowed, TK_EIO for a
 * fetch that failed or an answer that is no JPEG, PNG or WebP within the
 * limits (each with the reason).  `now` is unix seconds. */
enum tk_rc poster_images_get(struct poster_images *pi, const char *url, int64_t now,
			     unsigned char **data, size_t *len, struct tk_error *err);

#endif

/* sync_http.c — a bounded HTTP POST with libcurl. */
#include "feeds/sync_http.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct sink {
	char *buf;
	size_t len, cap, max;
	bool too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	if (s->len + len > s->max) {
		s->too_big = true;
		return 0; /* makes curl stop with CURLE_WRITE_ERROR */
	}
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 16384;
		while (cap < s->len + len + 1)
			cap *= 2;
		char *p = realloc(s->buf, cap);
		if (!p)
			return 0;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return len;
}

enum tk_rc sync_http_global_init(struct tk_error *err)
{
	static bool done;
	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return tk_fail(err, TK_EIO, "http", "libcurl cannot start");
	done = true;
	return TK_OK;
}

enum tk_rc sync_http_post(const char *url, const char *form, long timeout_s, size_t max_body,
			  struct sync_http_reply *reply, struct tk_error *err)
{
	struct sink sink = {.max = max_body};
	enum tk_rc rc = TK_OK;
	char curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	memset(reply, 0, sizeof(*reply));

	CURL *h = curl_easy_init();
	headers = curl_slist_append(headers, "Accept: application/json");
	if (!h || !headers) {
		rc = tk_fail(err, TK_ENOMEM, "http", "libcurl cannot make a request");
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tuike-sync");

	CURLcode cc = curl_easy_perform(h);
	if (sink.too_big) {
		rc = tk_fail(err, TK_ELIMIT, "reply", "a reply is at most %zu bytes", max_body);
		goto out;
	}
	if (cc != CURLE_OK) {
		/* The URL carries no secret (parameters go in the body). */
		rc = tk_fail(err, TK_EIO, "http", "%s: %s", url,
			     curl_err[0] ? curl_err : curl_easy_strerror(cc));
		goto out;
	}
	curl_off_t wait = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply->status);
	if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait > 0)
		reply->retry_after = wait < 86400 ? (int64_t)wait : 86400;
	if (!sink.buf && !(sink.buf = calloc(1, 1))) {
		rc = tk_fail(err, TK_ENOMEM, "http", "out of memory");
		goto out;
	}
	reply->body = sink.buf;
	reply->len = sink.len;
	sink.buf = NULL;
out:
	free(sink.buf);
	curl_slist_free_all(headers);
	if (h)
		curl_easy_cleanup(h);
	return rc;
}

void sync_http_reply_free(struct sync_http_reply *reply)
{
	free(reply->body);
	memset(reply, 0, sizeof(*reply));
}

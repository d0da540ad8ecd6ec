/* union_call.c — one signed call to a union's gateway, with retries. */
#include "feeds/union_call.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tktime.h"
#include "feeds/sync_http.h"

void union_nap_ms(int64_t ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

enum tk_rc union_stamp_and_sign(const struct sync_union_conf *uc, enum sync_union u,
				struct sync_params *p, struct tk_error *err)
{
	char sign[SYNC_SIGN_HEX], when[TKTIME_BUF];
	int64_t now = (int64_t)time(NULL);
	enum tk_rc rc;
	if (u == SYNC_PDD) {
		rc = sync_params_set_int(p, "timestamp", (long long)now, err);
	} else {
		tktime_format_iso8601(now, TKTIME_BEIJING_OFFSET, when);
		when[10] = ' ';
		when[19] = '\0';
		rc = sync_params_set(p, "timestamp", when, err);
	}
	if (rc || (rc = sync_params_sign(p, uc->app_secret, sign, err)))
		return rc;
	return sync_params_set(p, "sign", sign, err);
}

enum tk_rc union_call(const struct sync_conf *c, enum sync_union u, size_t body_max,
		      union_call_build_fn build, union_call_parse_fn parse, void *step, int *requests,
		      union_call_retry_cb on_retry, void *ctx, struct tk_error *err)
{
	const struct sync_union_conf *uc = &c->u[u];
	char *form = malloc(UNION_CALL_FORM_MAX);
	struct sync_params *p = malloc(sizeof(*p));
	enum tk_rc rc = TK_OK;
	if (!form || !p) {
		rc = tk_fail(err, TK_ENOMEM, "request", "out of memory");
		goto out;
	}
	int64_t wait = c->retry_base_ms;
	for (int attempt = 1;; attempt++) {
		struct sync_http_reply reply;
		bool transient = false;
		if ((rc = build(step, p, err)) || (rc = union_stamp_and_sign(uc, u, p, err)) ||
		    (rc = sync_params_encode(p, form, UNION_CALL_FORM_MAX, err)))
			goto out;
		if (requests)
			(*requests)++;
		rc = sync_http_post(uc->url, form, (long)c->timeout_s, body_max, &reply, err);
		if (rc == TK_OK) {
			if (reply.status == 200) {
				rc = parse(step, reply.body, reply.len, &transient, err);
			} else {
				rc = tk_fail(err, TK_EIO, "http", "%s answered HTTP %ld", uc->url,
					     reply.status);
				transient = reply.status == 429 || reply.status >= 500;
				if (reply.retry_after * 1000 > wait)
					wait = reply.retry_after * 1000;
			}
		} else if (rc == TK_EIO) {
			transient = true; /* no answer: connection or time limit */
		}
		sync_http_reply_free(&reply);
		if (rc == TK_OK)
			goto out;
		if (!transient || attempt >= c->retries) {
			size_t len = strlen(err->msg);
			if (transient && len + 32 < sizeof(err->msg))
				snprintf(err->msg + len, sizeof(err->msg) - len, " (after %d attempts)",
					 attempt);
			goto out;
		}
		if (on_retry)
			on_retry(ctx, u, attempt, wait, err);
		union_nap_ms(wait);
		wait = wait * 2 < c->retry_max_ms ? wait * 2 : c->retry_max_ms;
	}
out:
	free(form);
	free(p);
	return rc;
}

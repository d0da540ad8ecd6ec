/* push_bucket.c — sliding-window token buckets: a token taken at t comes
 * back at t + period, so a limit is full exactly when its oldest of the
 * last `count` takes is younger than one period. */
#include "push/push_bucket.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

enum tk_rc push_bucket_init(struct push_bucket *b, const struct push_limit *limits, int n,
			    struct tk_error *err)
{
	if (n < 1 || n > PUSH_LIMITS_MAX)
		return tk_fail(err, TK_EINVAL, "limits", "must be 1..%d limits, got %d",
			       PUSH_LIMITS_MAX, n);
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < n; i++) {
		char field[32];
		if (limits[i].count < 1 || limits[i].count > PUSH_LIMIT_COUNT_MAX) {
			snprintf(field, sizeof(field), "limits[%d].count", i);
			return tk_fail(err, TK_EINVAL, field, "must be 1..%d, got %d",
				       PUSH_LIMIT_COUNT_MAX, limits[i].count);
		}
		if (limits[i].period_ms < 1 || limits[i].period_ms > PUSH_LIMIT_PERIOD_MAX) {
			snprintf(field, sizeof(field), "limits[%d].period_ms", i);
			return tk_fail(err, TK_EINVAL, field, "must be 1..%d, got %lld",
				       PUSH_LIMIT_PERIOD_MAX, (long long)limits[i].period_ms);
		}
		b->w[i].limit = limits[i];
	}
	b->n = n;
	return TK_OK;
}

/* ms until the window has a token at now (0 = it has one). */
static int64_t window_wait(const struct push_window *w, int64_t now)
{
	if (w->used < w->limit.count)
		return 0;
	int64_t back = w->at[w->head] + w->limit.period_ms;
	return back > now ? back - now : 0;
}

static void window_take(struct push_window *w, int64_t now)
{
	assert(window_wait(w, now) == 0);
	if (w->used < w->limit.count) {
		w->at[(w->head + w->used) % w->limit.count] = now;
		w->used++;
	} else { /* the oldest token has come back: it is the one taken now */
		w->at[w->head] = now;
		w->head = (w->head + 1) % w->limit.count;
	}
}

int64_t push_bucket_wait(const struct push_bucket *b, int64_t now_ms)
{
	int64_t wait = b->paused_until > now_ms ? b->paused_until - now_ms : 0;
	for (int i = 0; i < b->n; i++) {
		int64_t w = window_wait(&b->w[i], now_ms);
		if (w > wait)
			wait = w;
	}
	return wait;
}

int64_t push_bucket_take(struct push_bucket *b, int64_t now_ms)
{
	int64_t wait = push_bucket_wait(b, now_ms);
	if (wait > 0)
		return wait;
	for (int i = 0; i < b->n; i++)
		window_take(&b->w[i], now_ms);
	return 0;
}

void push_bucket_seed(struct push_bucket *b, int sent, int64_t now_ms)
{
	for (int i = 0; i < b->n; i++) {
		struct push_window *w = &b->w[i];
		int k = sent < w->limit.count ? sent : w->limit.count;
		w->head = 0;
		w->used = k;
		for (int j = 0; j < k; j++)
			w->at[j] = now_ms;
	}
}

void push_bucket_pause(struct push_bucket *b, int64_t until_ms)
{
	if (until_ms > b->paused_until)
		b->paused_until = until_ms;
}

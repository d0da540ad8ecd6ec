/* poll_loop.c — one round, or one every N until a stop signal (poll_loop.h),
 * for the commands that keep polling the unions. */
#include "cli/poll_loop.h"

#include <errno.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until `until` (monotonic ms) in steps of at most 200 ms, so that a
 * signal landing just before a step is seen soon even if it did not cut
 * the step short. */
static void wait_until(int64_t until)
{
	while (!stop_requested) {
		int64_t left = until - monotonic_ms();
		if (left <= 0)
			return;
		if (left > 200)
			left = 200;
		struct timespec ts = {.tv_sec = 0, .tv_nsec = left * 1000000};
		nanosleep(&ts, NULL); /* EINTR: the loop looks at the flag */
	}
}

int poll_loop_run(int64_t every_ms, poll_round_fn round, void *ctx)
{
	struct sigaction sa;
	int rc;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	do {
		int64_t started = monotonic_ms();
		rc = round(ctx, &stop_requested);
		if (every_ms)
			wait_until(started + every_ms);
	} while (every_ms && !stop_requested);
	return rc;
}

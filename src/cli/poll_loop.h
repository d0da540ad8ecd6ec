/* poll_loop.h — running a command's round once, or every N until SIGTERM
 * or SIGINT: what `tuike sync --every` and `tuike products sync --every`
 * share.
 *
 * A stop signal sets a flag the round may watch (to end the work in flight
 * early, keeping what it did) and ends the wait between rounds at once;
 * no round starts after it. */
#ifndef TK_POLL_LOOP_H
#define TK_POLL_LOOP_H

#include <signal.h>
#include <stdint.h>

/* One round; returns an exit status (cli.h's CLI_EXIT_*). */
typedef int (*poll_round_fn)(void *ctx, volatile sig_atomic_t *stop);

/* Catches SIGTERM and SIGINT (no SA_RESTART, so that a wait ends at once),
 * then runs round: once when every_ms is 0, else every every_ms
 * milliseconds from the start of one round to the start of the next (a
 * round longer than that is followed at once) until a stop signal.
 * Returns the last round's status; the exit status of a loop stopped by a
 * signal is that of its last round. */
int poll_loop_run(int64_t every_ms, poll_round_fn round, void *ctx);

#endif

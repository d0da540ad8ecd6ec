/* push_schedule.h — when a group is sent to: the slots of a Beijing
 * calendar day from its settings (fixed times, or every N minutes within
 * hours), less the quiet hours, each moved later by a jitter that is the
 * same every time it is computed for the same group and slot.
 * Pure: no I/O, no clock (times are passed in, unix seconds). */
#ifndef TK_PUSH_SCHEDULE_H
#define TK_PUSH_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "push/push_settings.h"

/* The most slots one day can hold (every 5 minutes, all day). */
#define PUSH_SLOTS_DAY_MAX (1440 / PUSH_EVERY_MIN)

struct push_slot {
	int64_t slot;   /* the nominal time, unix s, on a whole Beijing minute */
	int64_t due_at; /* slot + jitter */
};

/* Whether a minute of the Beijing day (0..1439) lies in the quiet hours:
 * [quiet_from, quiet_to), wrapping midnight when from > to; never when
 * they are equal. */
bool push_quiet(const struct push_settings *s, int minute);

/* The nominal slots (unix s, ascending) of Beijing day `day` (days since
 * 1970-01-01, as tktime_day(t, TKTIME_BEIJING_OFFSET) gives) into out,
 * which holds PUSH_SLOTS_DAY_MAX; returns how many.  Quiet minutes hold no
 * slot. */
int push_schedule_day(const struct push_settings *s, int64_t day, int64_t *out);

/* The jitter of a group's slot: a number of seconds in [0, jitter_seconds]
 * from a keyed hash (SipHash, libsodium's crypto_shorthash under a fixed
 * key) of (group, slot) — the same on every run and every machine, spread
 * evenly, different between groups that share a schedule. */
int push_jitter(int64_t group, int64_t slot, int jitter_seconds);

/* The slots of group `group` whose nominal time lies in [t0, t1), across
 * as many Beijing days as the window touches, ascending, with their due
 * times.  out holds max; TK_ELIMIT (naming the window) when there are more,
 * TK_EINVAL when t1 < t0.  *n gets the count. */
enum tk_rc push_schedule_window(const struct push_settings *s, int64_t group, int64_t t0,
				int64_t t1, struct push_slot *out, int max, int *n,
				struct tk_error *err);

#endif

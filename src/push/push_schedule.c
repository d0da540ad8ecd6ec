/* push_schedule.c — the slots of a Beijing day and their jitter.  Beijing
 * keeps UTC+8 all year (no daylight saving), so a day is always 1440
 * minutes and minute m of day d is d*86400 - 8h + 60m. */
#include "push/push_schedule.h"

#include <sodium.h>
#include <string.h>

#include "core/tktime.h"

/* A fixed key: the jitter must not change between runs or machines (it is
 * no secret; it only spreads groups that share a schedule). */
static const unsigned char jitter_key[crypto_shorthash_KEYBYTES] = {
	't', 'u', 'i', 'k', 'e', ' ', 'p', 'u', 's', 'h', ' ', 'j', 'i', 't', 't', 'r'};

bool push_quiet(const struct push_settings *s, int minute)
{
	if (s->quiet_from == s->quiet_to)
		return false;
	if (s->quiet_from < s->quiet_to)
		return minute >= s->quiet_from && minute < s->quiet_to;
	return minute >= s->quiet_from || minute < s->quiet_to;
}

int push_schedule_day(const struct push_settings *s, int64_t day, int64_t *out)
{
	int64_t base = day * 86400 - TKTIME_BEIJING_OFFSET;
	int n = 0;
	if (s->every) {
		for (int m = s->from; m <= s->to && m < 1440 && n < PUSH_SLOTS_DAY_MAX;
		     m += s->every_minutes)
			if (!push_quiet(s, m))
				out[n++] = base + (int64_t)m * 60;
	} else {
		for (int i = 0; i < s->ntimes && n < PUSH_SLOTS_DAY_MAX; i++)
			if (!push_quiet(s, s->times[i]))
				out[n++] = base + (int64_t)s->times[i] * 60;
	}
	return n;
}

int push_jitter(int64_t group, int64_t slot, int jitter_seconds)
{
	if (jitter_seconds <= 0)
		return 0;
	unsigned char in[16], h[crypto_shorthash_BYTES];
	uint64_t g = (uint64_t)group, t = (uint64_t)slot, v = 0;
	for (int i = 0; i < 8; i++) { /* little-endian: the same bytes everywhere */
		in[i] = (unsigned char)(g >> (8 * i));
		in[8 + i] = (unsigned char)(t >> (8 * i));
	}
	crypto_shorthash(h, in, sizeof(in), jitter_key);
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)h[i] << (8 * i);
	return (int)(v % ((uint64_t)jitter_seconds + 1));
}

enum tk_rc push_schedule_window(const struct push_settings *s, int64_t group, int64_t t0,
				int64_t t1, struct push_slot *out, int max, int *n,
				struct tk_error *err)
{
	char a[TKTIME_BUF], b[TKTIME_BUF];
	*n = 0;
	if (t1 < t0)
		return tk_fail(err, TK_EINVAL, "window", "ends (%s) before it starts (%s)",
			       tktime_format_iso8601(t1, TKTIME_BEIJING_OFFSET, b),
			       tktime_format_iso8601(t0, TKTIME_BEIJING_OFFSET, a));
	if (t1 == t0)
		return TK_OK;
	int64_t slots[PUSH_SLOTS_DAY_MAX];
	int64_t last = tktime_day(t1 - 1, TKTIME_BEIJING_OFFSET);
	for (int64_t day = tktime_day(t0, TKTIME_BEIJING_OFFSET); day <= last; day++) {
		int k = push_schedule_day(s, day, slots);
		for (int i = 0; i < k; i++) {
			if (slots[i] < t0 || slots[i] >= t1)
				continue;
			if (*n >= max)
				return tk_fail(err, TK_ELIMIT, "window",
					       "%s to %s holds more than %d slots; plan a shorter window",
					       tktime_format_iso8601(t0, TKTIME_BEIJING_OFFSET, a),
					       tktime_format_iso8601(t1, TKTIME_BEIJING_OFFSET, b),
					       max);
			out[*n].slot = slots[i];
			out[*n].due_at = slots[i] + push_jitter(group, slots[i], s->jitter_seconds);
			(*n)++;
		}
	}
	return TK_OK;
}

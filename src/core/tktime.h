/* tktime.h — calendar time as unix seconds, parsed and printed exactly.
 *
 * Union feeds give local Beijing time without an offset; the normalized
 * format requires ISO 8601 with an offset.  All times inside tuike are
 * int64_t seconds since 1970-01-01T00:00:00Z. */
#ifndef TK_TKTIME_H
#define TK_TKTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define TKTIME_BEIJING_OFFSET (8 * 3600)
#define TKTIME_BUF 32

/* "2026-11-01T10:00:00+08:00", "...Z", "...+0800", optional ".fff" seconds
 * fraction (dropped).  An offset is required.  Dates 1970..9999. */
bool tktime_parse_iso8601(const char *s, int64_t *unix_s);

/* "yyyy-MM-dd HH:mm:ss" (or with 'T') read as local time at the given
 * offset in seconds east of UTC (TKTIME_BEIJING_OFFSET for the unions). */
bool tktime_parse_local(const char *s, int offset_s, int64_t *unix_s);

/* Writes "2026-11-01T10:00:00+08:00" for the given offset (seconds east of
 * UTC; 0 writes "Z").  buf holds TKTIME_BUF bytes.  Returns buf. */
char *tktime_format_iso8601(int64_t unix_s, int offset_s, char *buf);

/* The day containing unix_s at the offset, as days since 1970-01-01. */
int64_t tktime_day(int64_t unix_s, int offset_s);

/* Days since 1970-01-01 for a civil date, and back (proleptic Gregorian). */
int64_t tktime_days_from_civil(int y, int m, int d);
void tktime_civil_from_days(int64_t days, int *y, int *m, int *d);

/* "2026-11-01" of the day containing unix_s at the offset. buf >= 11 bytes. */
char *tktime_format_date(int64_t unix_s, int offset_s, char *buf);

#endif

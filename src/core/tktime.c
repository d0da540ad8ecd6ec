/* tktime.c — ISO 8601 and union local times to unix seconds, without libc's
 * time zone machinery (which depends on the TZ of the process). */
#include "core/tktime.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil algorithm, restated. */
int64_t tktime_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void tktime_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Parses "yyyy-MM-dd[T ]HH:mm:ss" and returns the number of bytes read. */
static size_t parse_datetime(const char *s, int64_t *local_s)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return 0;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
		return 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || se > 60)
		return 0;
	*local_s = tktime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	size_t n = 19;
	if (s[n] == '.') { /* fraction of a second: read and drop */
		n++;
		size_t start = n;
		while (s[n] >= '0' && s[n] <= '9')
			n++;
		if (n == start)
			return 0;
	}
	return n;
}

bool tktime_parse_iso8601(const char *s, int64_t *unix_s)
{
	int64_t local;
	size_t n = parse_datetime(s, &local);
	if (n == 0)
		return false;
	const char *z = s + n;
	if (z[0] == 'Z' && z[1] == '\0') {
		*unix_s = local;
		return true;
	}
	if (z[0] != '+' && z[0] != '-')
		return false;
	int oh, om;
	if (!digits(z + 1, 2, &oh))
		return false;
	const char *mm = z[3] == ':' ? z + 4 : z + 3;
	if (!digits(mm, 2, &om) || mm[2] != '\0' || oh > 23 || om > 59)
		return false;
	int off = oh * 3600 + om * 60;
	*unix_s = local - (z[0] == '+' ? off : -off);
	return true;
}

bool tktime_parse_local(const char *s, int offset_s, int64_t *unix_s)
{
	int64_t local;
	size_t n = parse_datetime(s, &local);
	if (n == 0 || s[n] != '\0')
		return false;
	*unix_s = local - offset_s;
	return true;
}

int64_t tktime_day(int64_t unix_s, int offset_s)
{
	int64_t local = unix_s + offset_s;
	return local >= 0 ? local / 86400 : (local - 86399) / 86400; /* floor */
}

char *tktime_format_iso8601(int64_t unix_s, int offset_s, char *buf)
{
	int64_t days = tktime_day(unix_s, offset_s);
	int64_t secs = unix_s + offset_s - days * 86400;
	int y, m, d;
	tktime_civil_from_days(days, &y, &m, &d);
	char off[8] = "Z";
	if (offset_s != 0) {
		int a = offset_s < 0 ? -offset_s : offset_s;
		snprintf(off, sizeof(off), "%c%02d:%02d", offset_s < 0 ? '-' : '+',
			 a / 3600 % 100, a % 3600 / 60);
	}
	snprintf(buf, TKTIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d,
		 (int)(secs / 3600), (int)(secs % 3600 / 60), (int)(secs % 60), off);
	return buf;
}

char *tktime_format_date(int64_t unix_s, int offset_s, char *buf)
{
	int y, m, d;
	tktime_civil_from_days(tktime_day(unix_s, offset_s), &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
	return buf;
}

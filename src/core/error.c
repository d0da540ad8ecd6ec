/* error.c — filling and printing struct tk_error.  Every message passes
 * through tk_escape_controls here, the one place where values quoted from
 * outside (a CSV field, a feed's JSON, a request) enter an error. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t tk_escape_controls(char *out, size_t size, const char *in)
{
	size_t n = 0;
	if (size == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		char esc[8];
		size_t k;
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			esc[0] = '\\', esc[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
			k = 2;
		} else if (*p < 0x20 || *p == 0x7f) {
			k = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) { /* U+0080..U+009F */
			k = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", p[1]);
			p++;
		} else {
			esc[0] = (char)*p;
			k = 1;
		}
		if (n + k >= size)
			break;
		memcpy(out + n, esc, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

enum tk_rc tk_fail(struct tk_error *err, enum tk_rc rc, const char *field,
		   const char *fmt, ...)
{
	if (!err)
		return rc;
	va_list ap;
	char raw[sizeof(err->msg)];
	err->rc = rc;
	tk_escape_controls(err->field, sizeof(err->field), field ? field : "");
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	tk_escape_controls(err->msg, sizeof(err->msg), raw);
	return rc;
}

void tk_error_where(struct tk_error *err, const char *file, long line)
{
	if (!err)
		return;
	char raw[sizeof(err->where)];
	if (line > 0)
		snprintf(raw, sizeof(raw), "%s:%ld", file, line);
	else
		snprintf(raw, sizeof(raw), "%s", file);
	tk_escape_controls(err->where, sizeof(err->where), raw); /* a file name is input too */
}

void tk_error_clear(struct tk_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void tk_error_format(const struct tk_error *err, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (err->where[0])
		n += (size_t)snprintf(buf + n, size - n, "%s: ", err->where);
	if (n < size && err->field[0])
		n += (size_t)snprintf(buf + n, size - n, "%s: ", err->field);
	if (n < size)
		snprintf(buf + n, size - n, "%s", err->msg);
}

const char *tk_rc_name(enum tk_rc rc)
{
	switch (rc) {
	case TK_OK: return "ok";
	case TK_EINVAL: return "invalid";
	case TK_ENOTFOUND: return "not_found";
	case TK_ECONFLICT: return "conflict";
	case TK_ELIMIT: return "limit";
	case TK_EFUNDS: return "insufficient_funds";
	case TK_EIO: return "io";
	case TK_ENOMEM: return "no_memory";
	case TK_EBUSY: return "busy";
	}
	return "unknown";
}

/* error.c — filling and printing struct tk_error. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum tk_rc tk_fail(struct tk_error *err, enum tk_rc rc, const char *field,
		   const char *fmt, ...)
{
	if (!err)
		return rc;
	va_list ap;
	err->rc = rc;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

void tk_error_where(struct tk_error *err, const char *file, long line)
{
	if (!err)
		return;
	if (line > 0)
		snprintf(err->where, sizeof(err->where), "%s:%ld", file, line);
	else
		snprintf(err->where, sizeof(err->where), "%s", file);
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

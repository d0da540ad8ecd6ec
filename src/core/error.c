/* error.c — filling and printing struct tk_error.  Every message passes
 * through tk_escape_controls here, the one place where values quoted from
 * outside (a CSV field, a feed's JSON, a request) enter an error. */
#include "core/error.h"

#include <assert.h>
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

static void fill(struct tk_error *err, enum tk_rc rc, const char *field, const char *key,
		 const char *fmt, va_list ap)
{
	char raw[sizeof(err->msg)];
	err->rc = rc;
	tk_escape_controls(err->field, sizeof(err->field), field ? field : "");
	vsnprintf(raw, sizeof(raw), fmt, ap);
	tk_escape_controls(err->msg, sizeof(err->msg), raw);
	/* a new failure: no key or params of an earlier one stay */
	snprintf(err->key, sizeof(err->key), "%s", key ? key : "");
	err->nparams = 0;
}

enum tk_rc tk_fail(struct tk_error *err, enum tk_rc rc, const char *field,
		   const char *fmt, ...)
{
	if (!err)
		return rc;
	va_list ap;
	va_start(ap, fmt);
	fill(err, rc, field, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

enum tk_rc tk_fail_key(struct tk_error *err, enum tk_rc rc, const char *field,
		       const char *key, const char *fmt, ...)
{
	if (!err)
		return rc;
	assert(key && strlen(key) < sizeof(err->key));
	va_list ap;
	va_start(ap, fmt);
	fill(err, rc, field, key, fmt, ap);
	va_end(ap);
	return rc;
}

static struct tk_error_param *new_param(struct tk_error *err, const char *name)
{
	assert(err->nparams < TK_ERROR_PARAMS && strlen(name) < sizeof(err->params[0].name));
	if (err->nparams >= TK_ERROR_PARAMS)
		return NULL;
	struct tk_error_param *p = &err->params[err->nparams++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	return p;
}

void tk_error_int(struct tk_error *err, const char *name, long long v)
{
	if (!err)
		return;
	struct tk_error_param *p = new_param(err, name);
	if (p) {
		p->kind = TK_PARAM_INT;
		p->num = v;
	}
}

void tk_error_str(struct tk_error *err, const char *name, const char *v)
{
	if (!err)
		return;
	struct tk_error_param *p = new_param(err, name);
	if (p) {
		p->kind = TK_PARAM_STR;
		tk_escape_controls(p->str, sizeof(p->str), v ? v : "");
	}
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

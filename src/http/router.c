/* router.c — matching a request's method and path against the route table. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool router_unescape(const char *s, size_t len, bool plus, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return false;
			int a = hex_value(s[i + 1]), b = hex_value(s[i + 2]);
			if (a < 0 || b < 0 || (a == 0 && b == 0))
				return false;
			c = (char)(a * 16 + b);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		} else if (c == '\0') {
			return false;
		}
		if (o + 1 >= size)
			return false;
		out[o++] = c;
	}
	if (size == 0)
		return false;
	out[o] = '\0';
	return utf8_invalid_at(out, o) == o; /* text is UTF-8 on both backends */
}

/* The next segment of a path or pattern at *p (after a '/'): start and
 * length; *p moves past it.  False at the end. */
static bool next_segment(const char **p, const char **seg, size_t *len)
{
	if (**p != '/')
		return false;
	(*p)++;
	*seg = *p;
	while (**p && **p != '/')
		(*p)++;
	*len = (size_t)(*p - *seg);
	return true;
}

static bool is_param(const char *seg, size_t len)
{
	return len >= 3 && seg[0] == '{' && seg[len - 1] == '}';
}

/* Matches one pattern; fills params when `m` is given. */
static enum route_result match_pattern(const char *pattern, const char *path,
				       struct route_match *m)
{
	const char *pp = pattern, *xp = path, *ps, *xs;
	size_t pl, xl;
	int n = 0;
	for (;;) {
		bool more_p = next_segment(&pp, &ps, &pl);
		bool more_x = next_segment(&xp, &xs, &xl);
		if (!more_p || !more_x)
			return !more_p && !more_x && *xp == '\0' ? ROUTE_FOUND : ROUTE_NO_PATH;
		if (is_param(ps, pl)) {
			if (xl == 0)
				return ROUTE_NO_PATH;
			if (m) {
				if (n >= ROUTE_PARAMS_MAX ||
				    !router_unescape(xs, xl, false, m->params[n], ROUTE_PARAM_MAX))
					return ROUTE_BAD_PATH;
				m->n_params = n + 1;
			}
			n++;
		} else if (pl != xl || memcmp(ps, xs, pl) != 0) {
			return ROUTE_NO_PATH;
		}
	}
}

enum route_result router_match(const struct route *routes, size_t n, const char *method,
			       const char *path, struct route_match *out)
{
	memset(out, 0, sizeof(*out));
	if (strlen(path) >= ROUTE_PATH_MAX || path[0] != '/')
		return ROUTE_BAD_PATH;
	bool path_known = false;
	/* HEAD is GET without the body (the server leaves the body out) */
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < n; i++) {
		enum route_result r = match_pattern(routes[i].pattern, path, NULL);
		if (r != ROUTE_FOUND)
			continue;
		path_known = true;
		bool head_refused = want != method && (routes[i].flags & ROUTE_NO_HEAD);
		if (strcmp(routes[i].method, want) != 0 || head_refused) {
			size_t used = strlen(out->allow);
			bool get = strcmp(routes[i].method, "GET") == 0 &&
				   !(routes[i].flags & ROUTE_NO_HEAD);
			snprintf(out->allow + used, sizeof(out->allow) - used, "%s%s%s",
				 used ? ", " : "", routes[i].method, get ? ", HEAD" : "");
			continue;
		}
		r = match_pattern(routes[i].pattern, path, out);
		if (r != ROUTE_FOUND)
			return r;
		out->route = &routes[i];
		return ROUTE_FOUND;
	}
	return path_known ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}

/* Whether two patterns could match one path. */
static bool overlap(const char *a, const char *b)
{
	const char *as, *bs;
	size_t al, bl;
	for (;;) {
		bool ma = next_segment(&a, &as, &al);
		bool mb = next_segment(&b, &bs, &bl);
		if (!ma || !mb)
			return !ma && !mb;
		if (!is_param(as, al) && !is_param(bs, bl) && (al != bl || memcmp(as, bs, al) != 0))
			return false;
	}
}

enum tk_rc router_check(const struct route *routes, size_t n, struct tk_error *err)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];
		bool method_ok = false;
		for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
			method_ok |= strcmp(r->method, methods[k]) == 0;
		if (!method_ok)
			return tk_fail(err, TK_EINVAL, "method", "route %s: unknown method \"%s\"",
				       r->pattern, r->method);
		if (!r->fn || !r->summary || !r->tag || (!r->response && r->status != 302))
			return tk_fail(err, TK_EINVAL, "route", "route %s %s lacks a handler or its "
				       "documentation", r->method, r->pattern);
		if (r->status != 200 && r->status != 201 && r->status != 302)
			return tk_fail(err, TK_EINVAL, "status", "route %s %s: status %d",
				       r->method, r->pattern, r->status);
		const char *p = r->pattern, *seg;
		size_t len;
		int params = 0;
		if (*p != '/')
			return tk_fail(err, TK_EINVAL, "pattern", "\"%s\" must start with '/'",
				       r->pattern);
		while (next_segment(&p, &seg, &len)) {
			if (len == 0)
				return tk_fail(err, TK_EINVAL, "pattern", "\"%s\" has an empty segment",
					       r->pattern);
			if (memchr(seg, '{', len) || memchr(seg, '}', len)) {
				if (!is_param(seg, len) || memchr(seg + 1, '{', len - 2) ||
				    memchr(seg + 1, '}', len - 2))
					return tk_fail(err, TK_EINVAL, "pattern",
						       "\"%s\": a parameter must be a whole segment",
						       r->pattern);
				params++;
			}
		}
		if (params > ROUTE_PARAMS_MAX)
			return tk_fail(err, TK_ELIMIT, "pattern", "\"%s\" has more than %d parameters",
				       r->pattern, ROUTE_PARAMS_MAX);
		for (size_t j = 0; j < i; j++)
			if (strcmp(routes[j].method, r->method) == 0 &&
			    overlap(routes[j].pattern, r->pattern))
				return tk_fail(err, TK_ECONFLICT, "pattern",
					       "%s %s overlaps %s %s", r->method, r->pattern,
					       routes[j].method, routes[j].pattern);
	}
	return TK_OK;
}

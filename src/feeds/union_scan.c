/* union_scan.c — validating JSON (RFC 8259) without building it: spans of
 * members and elements, and fast string decoding. */
#include "feeds/union_scan.h"

#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* p at '"': past the closing quote, or NULL. */
static const char *string_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c >= 0x80) { /* RFC 8259 text is UTF-8, as jansson checks it */
			size_t i = 0;
			uint32_t cp;
			if (!utf8_next(p, (size_t)(end - p), &i, &cp))
				return NULL;
			p += i - 1;
			continue;
		}
		if (c != '\\')
			continue;
		if (++p >= end)
			return NULL;
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			break;
		case 'u':
			if (end - p < 5)
				return NULL;
			for (int i = 1; i <= 4; i++)
				if (hexval(p[i]) < 0)
					return NULL;
			p += 4;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

static const char *digits(const char *p, const char *end)
{
	const char *start = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p > start ? p : NULL;
}

static const char *number_end(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (!(p = digits(p, end)))
		return NULL;
	if (p < end && *p == '.' && !(p = digits(p + 1, end)))
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!(p = digits(p, end)))
			return NULL;
	}
	return p;
}

static const char *literal_end(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* p at the start of a value (no whitespace): past it, or NULL. */
static const char *value_end(const char *p, const char *end, int depth)
{
	if (p >= end)
		return NULL;
	switch (*p) {
	case '"': return string_end(p, end);
	case 't': return literal_end(p, end, "true");
	case 'f': return literal_end(p, end, "false");
	case 'n': return literal_end(p, end, "null");
	case '{':
	case '[': {
		char close = *p == '{' ? '}' : ']';
		if (depth >= UNION_SCAN_DEPTH)
			return NULL;
		p = ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (p >= end || *p != '"' || !(p = string_end(p, end)))
					return NULL;
				p = ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p = ws(p + 1, end);
			}
			if (!(p = value_end(p, end, depth + 1)))
				return NULL;
			p = ws(p, end);
			if (p < end && *p == ',') {
				p = ws(p + 1, end);
				continue;
			}
			return p < end && *p == close ? p + 1 : NULL;
		}
	}
	default: return number_end(p, end);
	}
}

bool union_scan_valid(const char *text, size_t len)
{
	const char *end = text + len;
	const char *p = value_end(ws(text, end), end, 0);
	return p && ws(p, end) == end;
}

/* The members of an object: calls back with each key span (quotes
 * included) and value span. */
typedef bool (*member_fn)(void *ctx, struct union_span key, struct union_span value);

static bool each_member(struct union_span obj, member_fn fn, void *ctx)
{
	const char *end = obj.s + obj.n, *p = ws(obj.s, end);
	if (p >= end || *p != '{')
		return false;
	p = ws(p + 1, end);
	if (p < end && *p == '}')
		return true;
	for (;;) {
		struct union_span key = {p, 0}, value;
		const char *k_end = string_end(p, end);
		key.n = (size_t)(k_end - p);
		p = ws(ws(k_end, end) + 1, end); /* past ':' (the text is valid) */
		value.s = p;
		p = value_end(p, end, 1);
		value.n = (size_t)(p - value.s);
		if (!fn(ctx, key, value))
			return false;
		p = ws(p, end);
		if (*p == '}')
			return true;
		p = ws(p + 1, end);
	}
}

struct find {
	const char *key;
	size_t key_n;
	struct union_span *out;
	bool found;
};

static bool match_member(void *ctx, struct union_span key, struct union_span value)
{
	struct find *f = ctx;
	/* Keys are compared as written: the unions' keys have no escapes. */
	if (key.n == f->key_n + 2 && memcmp(key.s + 1, f->key, f->key_n) == 0) {
		*f->out = value;
		f->found = true; /* the last of duplicates wins, as with jansson */
	}
	return true;
}

bool union_scan_member(struct union_span obj, const char *key, struct union_span *value)
{
	struct find f = {key, strlen(key), value, false};
	return each_member(obj, match_member, &f) && f.found;
}

bool union_scan_array(struct union_span arr, union_scan_elem_fn fn, void *ctx)
{
	const char *end = arr.s + arr.n, *p = ws(arr.s, end);
	if (p >= end || *p != '[')
		return false;
	p = ws(p + 1, end);
	if (p < end && *p == ']')
		return true;
	for (size_t i = 0;; i++) {
		struct union_span elem = {p, 0};
		p = value_end(p, end, 1);
		elem.n = (size_t)(p - elem.s);
		if (!fn(ctx, i, elem))
			return false;
		p = ws(p, end);
		if (*p == ']')
			return true;
		p = ws(p + 1, end);
	}
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static uint32_t hex4(const char *p)
{
	return (uint32_t)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 |
			  hexval(p[3]));
}

bool union_scan_string(struct union_span str, char *buf, size_t *len)
{
	const char *p = str.s + 1, *end = str.s + str.n - 1; /* inside the quotes */
	size_t n = 0;
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		size_t run = (size_t)((bs ? bs : end) - p);
		memcpy(buf + n, p, run); /* the long stretches without escapes */
		n += run;
		if (!bs)
			break;
		p = bs + 1;
		char c = *p++;
		switch (c) {
		case 'b': buf[n++] = '\b'; break;
		case 'f': buf[n++] = '\f'; break;
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case 'u': {
			uint32_t cp = hex4(p);
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
					return false;
				uint32_t lo = hex4(p + 2);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return false;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
				return false;
			}
			n += put_utf8(buf + n, cp);
			break;
		}
		default: buf[n++] = c; break; /* " \ / */
		}
	}
	buf[n] = '\0';
	*len = n;
	return true;
}

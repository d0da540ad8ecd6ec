/* union_scan.h — a validating JSON scanner that finds where values are in
 * a text without building them.
 *
 * JD's reply is a JSON string (queryResult) inside JSON holding hundreds
 * of rows: building all of it with jansson twice, and printing every row
 * back for the record, costs more than applying the rows.  The scanner
 * checks the text is well-formed JSON, finds the spans of the values that
 * matter, and decodes a string quickly; each row is then parsed alone and
 * kept exactly as the union sent it.  Spans point into the caller's text. */
#ifndef TK_UNION_SCAN_H
#define TK_UNION_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#define UNION_SCAN_DEPTH 64 /* nesting accepted */

struct union_span {
	const char *s;
	size_t n;
};

/* Whether text is exactly one well-formed JSON value (whitespace around
 * allowed), nested at most UNION_SCAN_DEPTH deep. */
bool union_scan_valid(const char *text, size_t len);

/* The value of member `key` of the object `obj` (a span holding a valid
 * JSON object).  False when obj is not an object or has no such member. */
bool union_scan_member(struct union_span obj, const char *key, struct union_span *value);

/* Calls fn for each element of the array `arr` (a span holding a valid
 * JSON value); false when arr is not an array or fn returns false. */
typedef bool (*union_scan_elem_fn)(void *ctx, size_t index, struct union_span elem);
bool union_scan_array(struct union_span arr, union_scan_elem_fn fn, void *ctx);

/* Decodes the JSON string `str` (a valid string span, quotes included)
 * into buf, NUL-terminated; *len is its length.  buf needs str.n bytes (a
 * decoded string is never longer than its text).  False on an escape that
 * encodes NUL or an unpaired surrogate. */
bool union_scan_string(struct union_span str, char *buf, size_t *len);

#endif

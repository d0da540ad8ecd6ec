/* error.h — result codes and the error record every fallible function fills.
 *
 * Functions return enum tk_rc and, on failure, describe what went wrong in a
 * struct tk_error so that a user can act on it: where (file:line), which
 * field, and why (with the offending value).  On failure nothing changes. */
#ifndef TK_ERROR_H
#define TK_ERROR_H

#include <stddef.h>

enum tk_rc {
	TK_OK = 0,
	TK_EINVAL,    /* bad input: the message names field and value */
	TK_ENOTFOUND, /* a referenced thing does not exist */
	TK_ECONFLICT, /* the request contradicts the current state */
	TK_ELIMIT,    /* a size, count or length limit was exceeded */
	TK_EFUNDS,    /* not enough available money */
	TK_EIO,       /* storage or system failure */
	TK_ENOMEM,
	TK_EBUSY,     /* another writer kept the database's write lock past the
		       * wait: nothing was applied, the same call may be retried */
};

/* A named value of an error, for a reader's own language: a page builds
 * its sentence from key and params, never from msg.  Money is integer fen
 * and its name ends in "_fen", so a page knows to format it as money. */
#define TK_ERROR_PARAMS 4
enum tk_param_kind { TK_PARAM_INT, TK_PARAM_STR };
struct tk_error_param {
	char name[24];
	enum tk_param_kind kind;
	long long num;
	char str[96];
};

struct tk_error {
	enum tk_rc rc;
	char where[256]; /* "FILE:LINE", or empty */
	char field[64];  /* the input field at fault, or empty */
	char msg[512];   /* a sentence a user can act on (English: logs, CLI) */
	char key[48];    /* a dotted message id from error_keys.c, or empty */
	int nparams;
	struct tk_error_param params[TK_ERROR_PARAMS];
};

/* Records an error and returns rc, so callers can write
 * `return tk_fail(err, TK_EINVAL, "amount", "must be >= 0, got %lld", v);`.
 * err may be NULL.  The message and the field are stored escaped
 * (tk_escape_controls): a value quoted from input can carry no control
 * character, terminal escape or line break into a terminal or a log. */
enum tk_rc tk_fail(struct tk_error *err, enum tk_rc rc, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* tk_fail with a message key (one listed in error_keys.c) for pages that
 * say it in the reader's language; add its params with tk_error_int /
 * tk_error_str after.  tk_fail itself leaves the key empty. */
enum tk_rc tk_fail_key(struct tk_error *err, enum tk_rc rc, const char *field,
		       const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Adds a named param to a filled error (err may be NULL); one past TK_ERROR_PARAMS is dropped (a programmer error,
 * asserted).  Strings are stored escaped and cut to fit. */
void tk_error_int(struct tk_error *err, const char *name, long long v);
void tk_error_str(struct tk_error *err, const char *name, const char *v);

/* Copies the text in into out (size bytes, always NUL-terminated) with
 * every control character written visibly: \n \r \t, other C0 bytes and
 * DEL as \xHH (ESC as \x1b), and the C1 controls U+0080..U+009F (which
 * some terminals take as CSI and the like) as \u0080..\u009f.  Everything
 * else, UTF-8 included, is copied as it is; an escape that would not fit
 * is left out whole.  Returns the bytes written. */
size_t tk_escape_controls(char *out, size_t size, const char *in);

/* Sets where (e.g. "orders.jsonl:17") on an already filled error. */
void tk_error_where(struct tk_error *err, const char *file, long line);

void tk_error_clear(struct tk_error *err);

/* "FILE:LINE: field: message" (parts that are empty are left out). */
void tk_error_format(const struct tk_error *err, char *buf, size_t size);

const char *tk_rc_name(enum tk_rc rc);

#endif

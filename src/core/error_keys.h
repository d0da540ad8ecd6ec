/* error_keys.h — the one list of error message keys and their params.
 *
 * An error answer carries a key (struct tk_error's, or its code when it has
 * none) and named params; the pages say it in the reader's language from
 * those.  Every key raised is listed here (tests check it), and the list is
 * published in the OpenAPI document as x-error-keys. */
#ifndef TK_ERROR_KEYS_H
#define TK_ERROR_KEYS_H

#include <stdbool.h>
#include <stddef.h>

struct tk_error_key {
	const char *key;    /* "withdraw.below_minimum", or a code ("invalid") */
	const char *params; /* the names it may carry, space separated ("" none);
			     * a name ending in "_fen" is money in fen */
	const char *says;   /* what it means, in English, for the document */
};

/* The table and its length. */
const struct tk_error_key *tk_error_keys(size_t *n);

/* The entry of key, or NULL when it is not listed. */
const struct tk_error_key *tk_error_key_find(const char *key);

/* Whether entry k lists the param name. */
bool tk_error_key_has_param(const struct tk_error_key *k, const char *name);

#endif

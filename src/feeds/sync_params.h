/* sync_params.h — the parameters of one union API call: kept sorted by
 * name, signed the way JD, Taobao (TOP) and Pinduoduo all sign them, and
 * encoded as a form body.
 *
 * The signature is upper-case hex MD5 over
 *     secret + name1 + value1 + name2 + value2 + ... + secret
 * with the names in byte order and the `sign` parameter itself left out.
 * The secret is only ever hashed: it is neither stored here nor encoded. */
#ifndef TK_SYNC_PARAMS_H
#define TK_SYNC_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define SYNC_PARAMS_MAX 32
#define SYNC_PARAM_NAME_MAX 32
#define SYNC_PARAM_VALUE_MAX 1024
#define SYNC_SIGN_HEX 33 /* 32 hex digits and NUL */

struct sync_params {
	int n;
	struct sync_param {
		char name[SYNC_PARAM_NAME_MAX];
		char value[SYNC_PARAM_VALUE_MAX];
	} v[SYNC_PARAMS_MAX];
};

void sync_params_init(struct sync_params *p);
/* Sets (or replaces) a parameter.  TK_ELIMIT when it does not fit. */
enum tk_rc sync_params_set(struct sync_params *p, const char *name, const char *value,
			   struct tk_error *err);
enum tk_rc sync_params_set_int(struct sync_params *p, const char *name, long long value,
			       struct tk_error *err);
/* The value of a parameter, or NULL. */
const char *sync_params_get(const struct sync_params *p, const char *name);

/* Computes the signature of every parameter but `sign` into hex. */
enum tk_rc sync_params_sign(const struct sync_params *p, const char *secret,
			    char hex[SYNC_SIGN_HEX], struct tk_error *err);

/* "a=1&b=x%20y" (percent-encoding every byte outside A-Z a-z 0-9 - . _ ~)
 * into buf; TK_ELIMIT when it does not fit. */
enum tk_rc sync_params_encode(const struct sync_params *p, char *buf, size_t size,
			      struct tk_error *err);

#endif

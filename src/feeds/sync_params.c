/* sync_params.c — sorted API parameters, their MD5 signature (OpenSSL's
 * libcrypto) and their form encoding. */
#include "feeds/sync_params.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

void sync_params_init(struct sync_params *p)
{
	p->n = 0;
}

static bool fits(const char *s, size_t size)
{
	return strlen(s) < size;
}

enum tk_rc sync_params_set(struct sync_params *p, const char *name, const char *value,
			   struct tk_error *err)
{
	if (!fits(name, SYNC_PARAM_NAME_MAX) || !fits(value, SYNC_PARAM_VALUE_MAX))
		return tk_fail(err, TK_ELIMIT, name, "a parameter is at most %d bytes",
			       SYNC_PARAM_VALUE_MAX - 1);
	int i = 0;
	while (i < p->n && strcmp(p->v[i].name, name) < 0)
		i++;
	if (i == p->n || strcmp(p->v[i].name, name) != 0) {
		if (p->n == SYNC_PARAMS_MAX)
			return tk_fail(err, TK_ELIMIT, name, "a call has at most %d parameters",
				       SYNC_PARAMS_MAX);
		memmove(&p->v[i + 1], &p->v[i], (size_t)(p->n - i) * sizeof(p->v[0]));
		p->n++;
		memcpy(p->v[i].name, name, strlen(name) + 1);
	}
	memcpy(p->v[i].value, value, strlen(value) + 1);
	return TK_OK;
}

enum tk_rc sync_params_set_int(struct sync_params *p, const char *name, long long value,
			       struct tk_error *err)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", value);
	return sync_params_set(p, name, buf, err);
}

const char *sync_params_get(const struct sync_params *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

enum tk_rc sync_params_sign(const struct sync_params *p, const char *secret,
			    char hex[SYNC_SIGN_HEX], struct tk_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	enum tk_rc rc = TK_OK;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
		  EVP_DigestUpdate(ctx, secret, strlen(secret));
	for (int i = 0; ok && i < p->n; i++) {
		if (strcmp(p->v[i].name, "sign") == 0)
			continue;
		ok = EVP_DigestUpdate(ctx, p->v[i].name, strlen(p->v[i].name)) &&
		     EVP_DigestUpdate(ctx, p->v[i].value, strlen(p->v[i].value));
	}
	ok = ok && EVP_DigestUpdate(ctx, secret, strlen(secret)) &&
	     EVP_DigestFinal_ex(ctx, md, &md_len) && md_len == 16;
	if (!ok) {
		rc = tk_fail(err, TK_EIO, "sign", "MD5 is not available from libcrypto");
		goto out;
	}
	for (unsigned i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02X", md[i]);
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

enum tk_rc sync_params_encode(const struct sync_params *p, char *buf, size_t size,
			      struct tk_error *err)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t n = 0;
	for (int i = 0; i < p->n; i++) {
		const char *parts[2] = {p->v[i].name, p->v[i].value};
		if (i > 0) {
			if (n + 1 >= size)
				goto full;
			buf[n++] = '&';
		}
		for (int k = 0; k < 2; k++) {
			if (k == 1) {
				if (n + 1 >= size)
					goto full;
				buf[n++] = '=';
			}
			for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++) {
				if (n + 3 >= size)
					goto full;
				if (unreserved(*s)) {
					buf[n++] = (char)*s;
				} else {
					buf[n++] = '%';
					buf[n++] = hexd[*s >> 4];
					buf[n++] = hexd[*s & 15];
				}
			}
		}
	}
	buf[n] = '\0';
	return TK_OK;
full:
	return tk_fail(err, TK_ELIMIT, "request", "a request body is at most %zu bytes", size - 1);
}

/* idempotency.c — request hashing for Idempotency-Key. */
#include "http/idempotency.h"

#include <string.h>

#include <sodium.h>

bool idem_key_valid(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n >= IDEM_KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e)
			return false;
	return true;
}

static void part(crypto_generichash_state *st, const char *s, size_t n)
{
	uint8_t len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)((uint64_t)n >> (8 * i));
	crypto_generichash_update(st, len, sizeof(len));
	if (n)
		crypto_generichash_update(st, (const unsigned char *)s, n);
}

void idem_request_hash(const char *method, const char *path, const char *query,
		       const char *body, size_t body_len, uint8_t out[SERVER_HASH_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, SERVER_HASH_BYTES);
	part(&st, method, strlen(method));
	part(&st, path, strlen(path));
	part(&st, query ? query : "", query ? strlen(query) : 0);
	part(&st, body ? body : "", body ? body_len : 0);
	crypto_generichash_final(&st, out, SERVER_HASH_BYTES);
}

bool idem_status_kept(int status)
{
	return status > 0 && status < 500;
}

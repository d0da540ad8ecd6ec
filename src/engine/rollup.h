/* rollup.h — daily statistics kept current on write, for the reports.
 *
 * Every change of an item moves its contribution (orders, GMV, commission,
 * shares, ...) on the day it was paid (Beijing time), for the platform
 * total and per sharer, product and channel.  Changes are summed in memory
 * during an import batch and written once per (day, dim, key) at commit. */
#ifndef TK_ROLLUP_H
#define TK_ROLLUP_H

#include <stdint.h>

#include "core/error.h"
#include "core/textbuf.h"
#include "engine/member_tree.h"
#include "store/store.h"

/* A slot of the table: its key's text lives in the rollup's arena, so a
 * slot is a few cache lines whatever the key. */
struct rollup_entry {
	int64_t day;
	int64_t v[STAT_N];
	uint32_t key_off; /* into keys */
	uint16_t key_len;
	uint8_t dim;
	bool used;
};

struct rollup {
	struct rollup_entry *slots;
	uint64_t n_slots, n_used;
	struct textbuf keys; /* each entry's key, NUL-terminated */
};

/* Moves an item's contribution from its stored state `was` (NULL for a
 * new item) to `it`: one change per (day, dim, key) it counts in, none
 * when its figures there did not change.  TK_ENOMEM on failure, TK_ELIMIT
 * when a sum would go beyond int64 (then the batch must be dropped). */
enum tk_rc rollup_item(struct rollup *r, const struct member_tree *tree,
		       const struct item_rec *was, const struct item_rec *it,
		       struct tk_error *err);
/* Adds one value to (day, dim, key); TK_ELIMIT beyond int64. */
enum tk_rc rollup_add(struct rollup *r, int64_t day, int dim, const char *key, enum day_stat s,
		      int64_t delta, struct tk_error *err);
/* Writes every non-zero entry through the store and empties the rollup. */
enum tk_rc rollup_flush(struct rollup *r, struct store *st, struct tk_error *err);
void rollup_clear(struct rollup *r);
void rollup_free(struct rollup *r);

/* Days since 1970-01-01 in Beijing time. */
int64_t rollup_day(int64_t unix_s);
/* The day an item counts on: the day it was paid, or last changed when it
 * never was. */
int64_t rollup_row_day(const struct order_row *row);

#endif

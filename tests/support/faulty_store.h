/* faulty_store.h — a store for tests that fails its Nth operation, as
 * SQLite's faultsim fails the Nth call: it wraps a real store (either
 * backend) and counts every operation of every table that can fail. */
#ifndef TK_FAULTY_STORE_H
#define TK_FAULTY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum faulty_mode {
	/* the operation fails with TK_EIO before the real one runs: nothing
	 * of it happened */
	FAULT_BEFORE,
	/* a write runs, then fails with TK_EIO: its change sits in the open
	 * transaction and the caller must roll it back.  Reads and the
	 * transaction's own steps (tx_begin, tx_commit) fail before, as in
	 * FAULT_BEFORE: a commit that fails is one that was not done. */
	FAULT_AFTER,
};

/* Wraps `real`, which the wrapper owns from then on: closing the wrapper
 * (st->ops->close, as engine_close does) closes the real store.  On error
 * (out of memory) real is closed too.  No fault is armed. */
enum tk_rc faulty_store_wrap(struct store *real, struct store **out, struct tk_error *err);

/* Whether st is a wrapper made by faulty_store_wrap. */
bool faulty_store_is(const struct store *st);

/* Starts counting from zero: operation number n from now (1 = the next)
 * fails as `mode` says; n = 0 fails none (counting only).  Operations that
 * cannot fail (close, tx_rollback) are not counted. */
void faulty_store_arm(struct store *st, int64_t n, enum faulty_mode mode);

/* The operations counted since the last arm. */
int64_t faulty_store_count(const struct store *st);

/* The operation the armed fault hit ("core.tx_commit"), or NULL while it
 * has not fired. */
const char *faulty_store_fired(const struct store *st);

#endif

/* feed_import.h — importing a feed of order rows: the one application
 * operation behind `tuike orders import` and POST /api/v1/orders/import
 * (parse, apply row by row, commit in batches or all at once). */
#ifndef TK_FEED_IMPORT_H
#define TK_FEED_IMPORT_H

#include "engine/engine.h"
#include "feeds/feeds.h"

struct feed_import_opts {
	/* rows per transaction; 0: the whole feed is one, all or nothing */
	int64_t batch;
	/* parse on a second thread (feed_read_pipelined_ahead): `reject` is
	 * then called on that thread and must only touch what it owns */
	bool pipelined;
};

/* Reads `in` (named `name` in messages) in format fmt and applies its rows
 * to e.  A rejected row is reported through `reject` (may be NULL) and
 * counted; the others are applied.  With o->batch, a transaction also ends
 * after ENGINE_BATCH_MS (engine_import_due), so that other writers wait at
 * most about one batch.  An error (TK_EIO...) rolls back the open batch
 * (the whole feed when o->batch is 0) and is returned; *stats counts what
 * was read, rejections included. */
enum tk_rc feed_import(struct engine *e, enum feed_format fmt, FILE *in, const char *name,
		       const struct feed_import_opts *o, feed_reject_cb reject, void *ctx,
		       struct import_stats *stats, struct tk_error *err);

#endif

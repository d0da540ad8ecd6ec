/* feed_import.c — a feed of order rows into the engine, in transactions of
 * a batch of rows (or one for the whole feed): the unit of work the command
 * line and the HTTP API share. */
#include "feeds/feed_import.h"

#include "feeds/feed_pipe.h"

struct run {
	struct engine *e;
	const struct feed_import_opts *o;
	struct import_stats *stats;
	int64_t in_batch;
	const struct order_row *chunk; /* the chunk being applied (on_chunk) */
	int chunk_n;
	feed_reject_cb reject;
	void *ctx;
};

/* feed_read's rejections (the calling thread): counted here */
static void on_reject(void *ctx, const struct tk_error *err)
{
	struct run *r = ctx;
	r->stats->rejected++;
	if (r->reject)
		r->reject(r->ctx, err);
}

/* feed_read_pipelined's (the reader thread): counted by the reader */
static void on_reject_pipelined(void *ctx, const struct tk_error *err)
{
	struct run *r = ctx;
	if (r->reject)
		r->reject(r->ctx, err);
}

static enum tk_rc on_row(void *ctx, const struct order_row *row, long line,
			 struct tk_error *err)
{
	struct run *r = ctx;
	enum import_outcome outcome;
	(void)line;
	enum tk_rc rc = engine_import_row(r->e, row, &outcome, err);
	if (rc)
		return rc; /* a rejection is counted by on_reject */
	r->stats->read++;
	outcome == IMPORT_APPLIED ? r->stats->applied++ : r->stats->unchanged++;
	/* a batch ends at o->batch rows or after ENGINE_BATCH_MS, so that an
	 * API write waits for at most about one batch */
	if (r->o->batch &&
	    (++r->in_batch == r->o->batch ||
	     ((r->in_batch & 63) == 0 && engine_import_due(r->e)))) {
		r->in_batch = 0;
		if ((rc = engine_import_commit(r->e, err)) || (rc = engine_import_begin(r->e, err)))
			return TK_EIO;
		/* the new batch reads ahead the rest of the chunk */
		const struct order_row *next = row + 1, *end = r->chunk + r->chunk_n;
		if (r->chunk && next > r->chunk && next < end &&
		    engine_import_ahead(r->e, next, (int)(end - next), err))
			return TK_EIO;
	}
	return TK_OK;
}

/* The store may read the items of a chunk's rows in one go. */
static enum tk_rc on_chunk(void *ctx, const struct order_row *rows, int n, struct tk_error *err)
{
	struct run *r = ctx;
	r->chunk = rows;
	r->chunk_n = n;
	return engine_import_ahead(r->e, rows, n, err);
}

enum tk_rc feed_import(struct engine *e, enum feed_format fmt, FILE *in, const char *name,
		       const struct feed_import_opts *o, feed_reject_cb reject, void *ctx,
		       struct import_stats *stats, struct tk_error *err)
{
	*stats = (struct import_stats){0};
	struct run r = {.e = e, .o = o, .stats = stats, .reject = reject, .ctx = ctx};
	enum tk_rc rc = engine_import_begin(e, err);
	if (!rc)
		rc = o->pipelined ? feed_read_pipelined_ahead(fmt, in, name, on_chunk, on_row,
							      on_reject_pipelined, &r,
							      &stats->rejected, err)
				  : feed_read(fmt, in, name, on_row, on_reject, &r, err);
	if (!rc)
		rc = engine_import_commit(e, err);
	if (rc)
		engine_import_rollback(e);
	stats->read += stats->rejected;
	return rc;
}

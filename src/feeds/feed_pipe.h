/* feed_pipe.h — reading a feed on its own thread while the caller applies
 * the rows.
 *
 * feed_read_pipelined() has feed_read()'s contract, except that the file is
 * parsed on a second thread: `cb` is still called on the calling thread,
 * once per row and in file order, while later rows are being parsed.
 * `reject` is called on the reader thread and must only touch what it owns
 * (printing is fine); the number of rejected rows is returned in *rejected.
 * A row's raw text is copied, so it stays valid during cb. */
#ifndef TK_FEED_PIPE_H
#define TK_FEED_PIPE_H

#include "feeds/feeds.h"

enum tk_rc feed_read_pipelined(enum feed_format fmt, FILE *in, const char *name,
			       feed_row_cb cb, feed_reject_cb reject, void *ctx,
			       int64_t *rejected, struct tk_error *err);

/* The same, with `ahead` called on the calling thread before each chunk of
 * rows is handed to cb, with the chunk's rows (for reading ahead what they
 * will need).  An error from it stops the reading, as one of cb's does. */
typedef enum tk_rc (*feed_chunk_cb)(void *ctx, const struct order_row *rows, int n,
				    struct tk_error *err);
enum tk_rc feed_read_pipelined_ahead(enum feed_format fmt, FILE *in, const char *name,
				     feed_chunk_cb ahead, feed_row_cb cb, feed_reject_cb reject,
				     void *ctx, int64_t *rejected, struct tk_error *err);

#endif

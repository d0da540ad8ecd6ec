/* feeds.h — readers that turn order files into normalized order rows.
 *
 * Formats: jsonl and csv (the normalized item, src/feeds/normalized.c) and
 * the unions' own order-query replies (jd, taobao, taobao-refund, pdd).
 * A reader calls `cb` once per row, in file order.  A row the reader cannot
 * understand is reported through `reject` with file, line, field and value,
 * and reading goes on; a reader stops early only when cb fails with TK_EIO
 * or the input breaks a limit. */
#ifndef TK_FEEDS_H
#define TK_FEEDS_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "core/order.h"

enum feed_format { FEED_JSONL, FEED_CSV, FEED_JD, FEED_TAOBAO, FEED_TAOBAO_REFUND, FEED_PDD };

bool feed_format_parse(const char *s, enum feed_format *out);
const char *feed_format_name(enum feed_format f);

/* Called per row; `line` is the 1-based line of the input it came from.
 * Returning an error other than TK_EIO rejects the row (reported by the
 * caller); TK_EIO stops reading. */
typedef enum tk_rc (*feed_row_cb)(void *ctx, const struct order_row *row, long line,
				  struct tk_error *err);
typedef void (*feed_reject_cb)(void *ctx, const struct tk_error *err);

#define FEED_LINE_MAX (4 * 1024 * 1024) /* bytes of one input line */

/* Reads `in` (named `name` in errors) in the given format. */
enum tk_rc feed_read(enum feed_format fmt, FILE *in, const char *name, feed_row_cb cb,
		     feed_reject_cb reject, void *ctx, struct tk_error *err);

#endif

/* union_readers.h — the unions' own order-query replies as normalized rows.
 * Each reads a file holding one reply body exactly as the union returns
 * it, or JSON Lines of such bodies; see feeds.h for the contract. */
#ifndef TK_UNION_READERS_H
#define TK_UNION_READERS_H

#include "feeds/feeds.h"

enum tk_rc feed_read_jd(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			void *ctx, struct tk_error *err);
enum tk_rc feed_read_taobao(FILE *in, const char *name, feed_row_cb cb,
			    feed_reject_cb reject, void *ctx, struct tk_error *err);
enum tk_rc feed_read_taobao_refund(FILE *in, const char *name, feed_row_cb cb,
				   feed_reject_cb reject, void *ctx, struct tk_error *err);
enum tk_rc feed_read_pdd(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			 void *ctx, struct tk_error *err);

#endif

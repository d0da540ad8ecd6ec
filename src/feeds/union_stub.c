/* union_stub.c — placeholders until the union readers land. */
#include "feeds/union_readers.h"

static enum tk_rc missing(const char *what, struct tk_error *err)
{
	return tk_fail(err, TK_EINVAL, "format", "%s replies cannot be read yet", what);
}

enum tk_rc feed_read_jd(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			void *ctx, struct tk_error *err)
{
	(void)in, (void)name, (void)cb, (void)reject, (void)ctx;
	return missing("jd", err);
}

enum tk_rc feed_read_taobao(FILE *in, const char *name, feed_row_cb cb,
			    feed_reject_cb reject, void *ctx, struct tk_error *err)
{
	(void)in, (void)name, (void)cb, (void)reject, (void)ctx;
	return missing("taobao", err);
}

enum tk_rc feed_read_taobao_refund(FILE *in, const char *name, feed_row_cb cb,
				   feed_reject_cb reject, void *ctx, struct tk_error *err)
{
	(void)in, (void)name, (void)cb, (void)reject, (void)ctx;
	return missing("taobao-refund", err);
}

enum tk_rc feed_read_pdd(FILE *in, const char *name, feed_row_cb cb, feed_reject_cb reject,
			 void *ctx, struct tk_error *err)
{
	(void)in, (void)name, (void)cb, (void)reject, (void)ctx;
	return missing("pdd", err);
}

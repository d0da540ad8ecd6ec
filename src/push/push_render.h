/* push_render.h — the message a group gets for one product: per kind and
 * template, the platform's JSON message object (WeCom text / markdown /
 * news, DingTalk text / markdown / link, Feishu text / post / interactive
 * card, Telegram sendMessage in HTML / sendPhoto with a caption, manual
 * copy text), made from the product, its copy text and the tracking link.
 *
 * The copy text is the catalog's (catalog_copy_render with the built-in
 * "default" template of the channel), escaped per platform (WeCom and
 * DingTalk markdown characters become full-width look-alikes, Telegram HTML
 * escapes < > & "), and cut to the kind's content limits on a UTF-8
 * boundary: the title or description is shortened (ending in "…"), the
 * link is never cut.  Pure: no I/O, no clock (now is passed in). */
#ifndef TK_PUSH_RENDER_H
#define TK_PUSH_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/catalog_copy.h"
#include "catalog/catalog_product.h"
#include "core/error.h"
#include "push/push_platform.h"
#include "push/push_settings.h"

struct push_render_input {
	const struct catalog_product *product;
	const char *link;        /* the group's tracking link (URL), sent whole */
	int64_t now;             /* unix s: whether the coupon applies, the price */
	const char *lowest_note; /* "近90天最低价" or "" / NULL */
};

/* The catalog's copy values of a product at now with link, as the copy
 * route fills them. */
struct catalog_copy_values push_copy_values(const struct push_render_input *in);

/* Renders the message for kind k and template t into m (m->body malloc'd:
 * push_message_free).  "news" without a product image is sent as the
 * kind's markdown message on Telegram (sendPhoto needs a photo); elsewhere
 * the picture is left out.  A manual group gets {"text": copy}.
 * TK_EINVAL for a missing link or text that is not UTF-8, TK_ELIMIT when
 * even an empty title leaves the message over the limit (a very long
 * link); m then holds nothing. */
enum tk_rc push_render(enum push_kind k, enum push_template t, const struct push_render_input *in,
		       struct push_message *m, struct tk_error *err);

#endif

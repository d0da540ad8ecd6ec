/* item_tags.h — an order item's union tags in one text column, the same on
 * every backend: "kind\x1fvalue" records joined by \x1e (neither byte can
 * occur in a tag).  Used by the stores only. */
#ifndef TK_ITEM_TAGS_H
#define TK_ITEM_TAGS_H

#include <stddef.h>

#include "core/order.h"

/* bytes of the column at most, NUL included */
#define ITEM_TAGS_TEXT (ORDER_TAGS_MAX * (ORDER_TAG_KIND_MAX + ORDER_KEY_MAX + 2))

/* r's tags as the column's text in out (size bytes): "" when none. */
void item_tags_write(const struct order_row *r, char *out, size_t size);
/* The column's text (NULL reads as none) into r's tags. */
void item_tags_read(const char *text, struct order_row *r);

#endif

/* item_tags.c — an item's union tags in one text column (item_tags.h). */
#include "store/item_tags.h"

#include <stdio.h>
#include <string.h>

void item_tags_write(const struct order_row *r, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < r->n_tags && n < size; i++) {
		int k = snprintf(out + n, size - n, "%s%s\x1f%s", i ? "\x1e" : "", r->tags[i].kind,
				 r->tags[i].value);
		n += k > 0 ? (size_t)k : 0;
	}
	if (n >= size)
		out[0] = '\0'; /* cannot happen at these sizes; none rather than half */
}

void item_tags_read(const char *text, struct order_row *r)
{
	r->n_tags = 0;
	while (text && *text && r->n_tags < ORDER_TAGS_MAX) {
		const char *sep = strchr(text, '\x1f'), *end = strchr(text, '\x1e');
		if (!end)
			end = text + strlen(text);
		if (!sep || sep > end)
			break;
		struct order_tag *t = &r->tags[r->n_tags++];
		snprintf(t->kind, sizeof(t->kind), "%.*s", (int)(sep - text), text);
		snprintf(t->value, sizeof(t->value), "%.*s", (int)(end - sep - 1), sep + 1);
		text = *end ? end + 1 : end;
	}
}

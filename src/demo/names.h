/* names.h — words for demo data: member nicknames and product titles.
 *
 * Everything written is UTF-8 without quotes, backslashes or control
 * characters, so it can be put into JSON as it is. */
#ifndef TK_DEMO_NAMES_H
#define TK_DEMO_NAMES_H

#include <stddef.h>

#include "demo/prng.h"

#define DEMO_NAME_MAX 96
#define DEMO_TITLE_MAX 192

/* Writes a nickname such as "小雨", "王姐" or "爱笑的橙子520" drawn from r
 * into buf (DEMO_NAME_MAX bytes); returns its length. */
size_t demo_nickname(struct prng *r, char buf[DEMO_NAME_MAX]);

/* Writes a product title such as "【百亿补贴】纯牛奶 250ml*24盒" drawn from
 * r into buf (DEMO_TITLE_MAX bytes); returns its length. */
size_t demo_title(struct prng *r, char buf[DEMO_TITLE_MAX]);

#endif

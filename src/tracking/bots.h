/* bots.h — telling known robots from people by their User-Agent, so that
 * crawlers and link-preview fetchers are counted apart from real clicks.
 * Pure: no I/O. */
#ifndef TK_TRACKING_BOTS_H
#define TK_TRACKING_BOTS_H

#include <stdbool.h>

/* Whether a User-Agent names a known robot: search engine crawlers,
 * chat-app link previews, uptime monitors and scraping libraries.  An
 * empty or absent User-Agent is not judged a robot (plenty of in-app
 * browsers send none). */
bool bots_match(const char *user_agent);

#endif

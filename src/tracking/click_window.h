/* click_window.h — which clicks are unique: the first click from an IP
 * (hashed) on a link counts as unique, and repeats from that IP on that
 * link within the following hour do not.
 *
 * A bounded open-addressing table of (link, IP hash) -> time of the last
 * unique click.  Entries older than the window are dead and are dropped
 * when the table is rebuilt.  Beyond CLICK_WINDOW_MAX live entries a click
 * is counted unique without being remembered (over-counting rather than
 * growing without bound).  Not thread-safe: the click flusher owns it. */
#ifndef TK_TRACKING_CLICK_WINDOW_H
#define TK_TRACKING_CLICK_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/server_store.h"

#define CLICK_WINDOW_SECONDS 3600
#define CLICK_WINDOW_MAX (4u * 1024 * 1024)

struct click_window;

struct click_window *click_window_new(void);
void click_window_free(struct click_window *w);

/* Whether a click at `at` is unique, remembering it when it is.  Clicks
 * are expected in roughly ascending time; one earlier than the remembered
 * unique click of its pair is not unique. */
bool click_window_unique(struct click_window *w, int64_t link,
			 const uint8_t ip_hash[CLICK_IP_HASH_BYTES], int64_t at);

/* Asks the CPU to fetch the pair's slot ahead of click_window_unique:
 * the table is probed at random, so a flusher that names the slots of the
 * next few clicks first waits on memory once for several clicks. */
void click_window_prefetch(const struct click_window *w, int64_t link,
			   const uint8_t ip_hash[CLICK_IP_HASH_BYTES]);

/* Remembers a unique click without judging it (reloading after a restart). */
void click_window_seed(struct click_window *w, int64_t link,
		       const uint8_t ip_hash[CLICK_IP_HASH_BYTES], int64_t at);

size_t click_window_size(const struct click_window *w);

#endif

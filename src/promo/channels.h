/* channels.h — the head's partner channels, the application side: adding
 * and changing channels, their union ids (which link the campaign orders
 * already stored under an id to the channel), a channel's history, and
 * channel matching: the channels ranked for a campaign product and the
 * campaign products that suit a channel (core/channel_match.h ranks; this
 * reads the figures in one read transaction).  Each change is one write
 * transaction with its action-log entry. */
#ifndef TK_PROMO_CHANNELS_H
#define TK_PROMO_CHANNELS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/channel_store.h"

#define CHANNEL_NAME_BYTES 128
#define CHANNEL_CONTACT_BYTES 256
#define CHANNEL_NOTE_BYTES 1024
#define CHANNEL_CATS_N 32         /* categories of one channel at most */
#define CHANNEL_CAT_BYTES 64      /* bytes of one category */
#define CHANNEL_LIST_MAX 200      /* channels of one page at most */
#define CHANNEL_DAYS_DEFAULT 180  /* the figures' window, days */
#define CHANNEL_DAYS_MIN 7
#define CHANNEL_DAYS_MAX 730
#define CHANNEL_MONTHS_MAX 120    /* months of history shown */
#define CHANNEL_SLOTS_MAX 500     /* slot fees shown */

/* A channel's fields as given: NULL leaves a field as it is (on add: its
 * default; name and kind are required on add).  categories: n entries
 * (cats_set says whether the list is given at all). */
struct channel_req {
	const char *name, *kind, *contact, *note, *state;
	const char *const *cats;
	int n_cats;
	bool cats_set;
};

enum tk_rc channels_add(struct store *st, const struct channel_req *r, int64_t now,
			struct channel_rec *out, struct tk_error *err);
enum tk_rc channels_update(struct store *st, int64_t id, const struct channel_req *r,
			   int64_t now, struct channel_rec *out, struct tk_error *err);
/* The channel and its union ids as the API shows it (new reference). */
enum tk_rc channels_show(struct store *st, int64_t id, json_t **out, struct tk_error *err);
/* A page of channels (f->limit 1..CHANNEL_LIST_MAX) as a JSON array. */
enum tk_rc channels_list(struct store *st, const struct channel_filter *f, json_t **out,
			 struct tk_error *err);

/* Adds a union id: (jd: rid, channelId; pdd: duoid; taobao: relation_id,
 * pub_id).  One held by another channel is refused naming it; the campaign
 * orders stored under it with no channel are linked in the same
 * transaction (*linked: how many). */
enum tk_rc channels_id_add(struct store *st, int64_t id, const char *union_, const char *kind,
			   const char *value, int64_t now, int64_t *linked, struct tk_error *err);
enum tk_rc channels_id_remove(struct store *st, int64_t id, const char *union_,
			      const char *kind, const char *value, int64_t now,
			      struct tk_error *err);

/* {channel, months: [...], slot_fees: [...]} */
enum tk_rc channels_history(struct store *st, int64_t id, json_t **out, struct tk_error *err);

/* The channels ranked for campaign product `item` over the last `days`
 * (0: CHANNEL_DAYS_DEFAULT), with reasons: {campaign_item, days, channels}. */
enum tk_rc channels_match(struct store *st, int64_t item, int days, int64_t now, json_t **out,
			  struct tk_error *err);
/* The approved campaign products in their promotion window that suit
 * channel `id`, with reasons: {channel, days, avg_price_fen, products}. */
enum tk_rc channels_suits(struct store *st, int64_t id, int days, int64_t now, json_t **out,
			  struct tk_error *err);

/* A channel as every listing shows it (categories as an array). */
json_t *channel_json(const struct channel_rec *c);
/* Reasons as [{key, params:{...}}]. */
json_t *channel_reasons_json(const struct cm_reason *r, int n);

#endif

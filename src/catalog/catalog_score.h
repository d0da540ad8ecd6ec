/* catalog_score.h — whether a product is worth pushing: its price history
 * summary and the worth-pushing score with the reasons behind it.
 *
 * The score is 0..10000 (hundredths of a point out of 100).  It is a
 * weighted sum of seven terms, each 0..1000 per mille; the weights and the
 * constants of every term live in struct catalog_weights and nowhere else
 * (defaults in catalog_weights_default, explained in docs/catalog.md).
 * Integer arithmetic only, so the same data always gives the same score.
 * Pure: no I/O, no SQL. */
#ifndef TK_CATALOG_SCORE_H
#define TK_CATALOG_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog_product.h"
#include "core/error.h"

#define CATALOG_DAY 86400
/* The most price changes of one product the summary looks at (the latest). */
#define CATALOG_HISTORY_MAX 1000

/* One change of a product's price: from `at` on, a buyer paid final_price
 * (price - coupon when the coupon applied at import). */
struct catalog_price_point {
	int64_t at;
	int64_t final_price;
	int64_t price;
	int64_t coupon;
};

struct catalog_history_summary {
	int n_points;
	int64_t current;          /* final price now */
	int64_t lowest, highest;  /* over all tracked time, now included */
	int64_t lowest_last_at;   /* last moment at the lowest price (now if it is) */
	int64_t window_low, window_high; /* over the window, now included */
	int32_t window_days;
	int64_t tracked_since;    /* first point, or now without history */
	int64_t tracked_days;
	bool at_window_low;       /* current <= window_low */
	bool at_lowest;           /* current <= lowest ever tracked */
	int64_t run_start;        /* when the price came to today's level */
	/* Days the price had been above today's before it came down to it
	 * (since tracking began when it never was this low before). */
	int64_t rarity_days;
	bool never_this_low;
};

/* Summarizes points (ascending by `at`; points after `now` are ignored)
 * with `current` the final price now. */
void catalog_history_summarize(const struct catalog_price_point *pts, int n, int64_t current,
			       int64_t now, int32_t window_days,
			       struct catalog_history_summary *out);

/* The team's own figures for a product or a category.  clicks are 0 until
 * tracking links exist; orders are items paid at some time; refunds are
 * those of them invalidated after payment or with commission refunded. */
struct catalog_team_stats {
	int64_t clicks, orders, refunds;
};

/* Everything the score can be tuned by.  Weights are points (0..100 each,
 * summing to more than 0; the defaults sum to 100); the other members are
 * the constants of the terms (see docs/catalog.md). */
struct catalog_weights {
	int32_t w_earn, w_price_position, w_price_rarity, w_sales, w_coupon, w_conversion,
		w_refund;
	int64_t earn_half_fen;      /* commission per unit that earns half marks */
	int64_t sales_half;         /* 30-day sales that earn half marks */
	int32_t window_days;        /* price window: "lowest in N days" */
	int32_t rarity_full_days;   /* days above today's price for full marks */
	int32_t coupon_full_bps;    /* coupon / price for full coupon marks */
	int32_t conversion_half_bps;/* clicks -> orders conversion for half marks */
	int32_t conversion_prior_bps; /* assumed conversion without click data */
	int32_t refund_zero_bps;    /* refund rate that scores nothing */
	int32_t refund_prior_bps;   /* assumed refund rate without orders */
	int32_t shrink_orders;      /* orders at which a product's own refund rate counts half */
	int32_t shrink_clicks;      /* clicks at which its own conversion counts half */
};

extern const struct catalog_weights catalog_weights_default;

/* Reads a JSON object holding any subset of the members (by the names
 * used in docs/catalog.md: "earn", "price_position", ..., "earn_half_fen");
 * unknown names and out-of-range values are refused.  w starts as given. */
enum tk_rc catalog_weights_parse(const char *json, size_t len, struct catalog_weights *w,
				 struct tk_error *err);
enum tk_rc catalog_weights_validate(const struct catalog_weights *w, struct tk_error *err);

enum catalog_term_id {
	TERM_EARN, TERM_PRICE_POSITION, TERM_PRICE_RARITY, TERM_SALES, TERM_COUPON,
	TERM_CONVERSION, TERM_REFUND, TERM_COUNT
};
const char *catalog_term_name(enum catalog_term_id t);

#define CATALOG_REASONS_MAX 8
#define CATALOG_REASON_MAX 160
#define CATALOG_REASON_PARAMS 4

struct catalog_score {
	int32_t total;                  /* 0..10000, the sum of the contributions */
	int32_t value[TERM_COUNT];      /* each term, 0..1000 per mille */
	int32_t contribution[TERM_COUNT]; /* weight * value scaled to the total */
	int64_t final_price;            /* fen now */
	int64_t earn;                   /* commission per unit now, fen */
	int32_t conversion_bps;         /* the estimate used */
	int32_t refund_bps;             /* the estimate used */
	bool conversion_known, refund_known; /* whether team data moved them */
	int n_reasons;
	bool reason_dropped; /* the last reason had no room: its params go nowhere */
	struct catalog_reason {
		char code[24];
		char text[CATALOG_REASON_MAX]; /* English, for the command line */
		/* the values of the text by name, for a page to say it in the
		 * reader's language: money in fen (…_fen), rates in bps (…_bps),
		 * counts and days; `until` a date (YYYY-MM-DD) */
		int n_params;
		struct catalog_reason_param {
			char name[16];
			int64_t num;
			char str[16]; /* set: a string param */
		} params[CATALOG_REASON_PARAMS];
	} reasons[CATALOG_REASONS_MAX];
};

struct catalog_score_input {
	const struct catalog_product *p;
	int64_t now;
	const struct catalog_history_summary *history;
	struct catalog_team_stats product;  /* this product's own figures */
	struct catalog_team_stats category; /* its category's figures */
};

/* Scores one product.  w must be valid (catalog_weights_validate). */
void catalog_score(const struct catalog_score_input *in, const struct catalog_weights *w,
		   struct catalog_score *out);

/* Orders two scored products: higher total first, then higher earn, then
 * lower final price; returns <0 when a comes first. */
int catalog_score_cmp(const struct catalog_score *a, int64_t a_id, const struct catalog_score *b,
		      int64_t b_id);

#endif

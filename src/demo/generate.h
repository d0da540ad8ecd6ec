/* generate.h — a realistic, reproducible dataset for demos and benchmarks:
 * a commission plan, an invitation tree of members and the union order feed
 * their sharing brought in.
 *
 * The same parameters always give byte-identical files.  Writes plan.json,
 * members.jsonl and orders.jsonl into a directory; each file is written
 * beside its final name and renamed into place, so a failed run leaves no
 * half-written file under a final name. */
#ifndef TK_DEMO_GENERATE_H
#define TK_DEMO_GENERATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define DEMO_MEMBERS_MAX INT64_C(20000000)
#define DEMO_ITEMS_PER_MEMBER_MAX 100
#define DEMO_ITEMS_MAX INT64_C(20000000)
#define DEMO_DEPTH_BUCKETS 16 /* depth histogram: 0..14, then 15 and deeper */

struct demo_params {
	int64_t members;          /* 1..DEMO_MEMBERS_MAX */
	int64_t items_per_member; /* 0..DEMO_ITEMS_PER_MEMBER_MAX; items = members * this */
	uint64_t seed;
	int64_t now;              /* unix seconds: no row is later than this */
	/* Every item reaches a settled row (refunds then come after settlement);
	 * otherwise recent items are still pending and most refunds come before
	 * settlement, as in a live feed. */
	bool settle_all;
};

/* What was generated. */
struct demo_stats {
	int64_t members, roots, largest_team, teams_over_1000;
	int64_t levels[4];  /* member, super, mentor, partner */
	int64_t depth[DEMO_DEPTH_BUCKETS];
	int64_t max_depth;
	int64_t orders, items, rows;
	int64_t rows_by_status[5];  /* unpaid, paid, received, settled, invalid */
	int64_t final_by_status[5]; /* each item's last state */
	int64_t self_purchases, outside_buyers, unattributed;
	int64_t commission_settled; /* fen: the last commission of items that end settled */
	int64_t first_at, last_at;  /* earliest and latest modified_at */
};

extern const char *const demo_level_keys[4];

/* Generates the dataset into the existing directory `dir`.  On error err
 * names the file or parameter at fault. */
enum tk_rc demo_generate(const struct demo_params *p, const char *dir, struct demo_stats *st,
			 struct tk_error *err);

#endif

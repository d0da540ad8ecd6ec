/* channel_sql.h — the SQL of the channel store, written once for both
 * backends: sqlite_channels.c and pg_channels.c define CH_P(n) (the n-th
 * parameter: ?n or $n), CH_INT(n) and CH_TEXT(n) (one read as a 64-bit
 * integer, as text: PostgreSQL must know a parameter's type where it is
 * only compared with NULL) and CH_CONTAINS(hay, needle) (a byte substring
 * test) before including it, so the two cannot drift apart in rows or
 * order.  Booleans are CASE
 * expressions and sums are divided in C (PostgreSQL's sum is numeric). */
#ifndef TK_CHANNEL_SQL_H
#define TK_CHANNEL_SQL_H

#define CH_COLS "id, name, kind, contact, categories, note, state, created_at, updated_at"

#define CH_SQL_INSERT                                                                        \
	"INSERT INTO promo_channels(name, kind, contact, categories, note, state, created_at,"  \
	" updated_at) VALUES (" CH_P(1) ", " CH_P(2) ", " CH_P(3) ", " CH_P(4) ", " CH_P(5)      \
	", " CH_P(6) ", " CH_P(7) ", " CH_P(8) ") RETURNING id"

#define CH_SQL_UPDATE                                                                        \
	"UPDATE promo_channels SET name = " CH_P(1) ", kind = " CH_P(2) ", contact = " CH_P(3)  \
	", categories = " CH_P(4) ", note = " CH_P(5) ", state = " CH_P(6) ", updated_at = "     \
	CH_P(7) " WHERE id = " CH_P(8) " RETURNING id"

#define CH_SQL_GET "SELECT " CH_COLS " FROM promo_channels WHERE id = " CH_P(1)

/* categories are matched as one whole entry of the comma list */
#define CH_SQL_LIST                                                                          \
	"SELECT " CH_COLS " FROM promo_channels"                                             \
	" WHERE (" CH_TEXT(1) " IS NULL OR kind = " CH_TEXT(1) ")"                            \
	" AND (" CH_TEXT(2) " IS NULL OR state = " CH_TEXT(2) ")"                             \
	" AND (" CH_TEXT(3) " IS NULL OR " CH_CONTAINS("',' || categories || ','",            \
						     "',' || " CH_TEXT(3) " || ','") ")"        \
	" AND (" CH_TEXT(4) " IS NULL OR " CH_CONTAINS("name", CH_TEXT(4)) ")"                \
	" AND (" CH_INT(5) " = 0 OR id < " CH_INT(5) ")"                                      \
	" ORDER BY id DESC LIMIT " CH_P(6)

#define CH_SQL_ID_OWNER                                                                      \
	"SELECT channel FROM promo_channel_ids WHERE union_ = " CH_P(1) " AND kind = " CH_P(2)  \
	" AND value = " CH_P(3)

#define CH_SQL_ID_INSERT                                                                     \
	"INSERT INTO promo_channel_ids(channel, union_, kind, value) VALUES (" CH_P(1) ", "     \
	CH_P(2) ", " CH_P(3) ", " CH_P(4) ") ON CONFLICT DO NOTHING RETURNING channel"

#define CH_SQL_ID_DELETE                                                                     \
	"DELETE FROM promo_channel_ids WHERE channel = " CH_P(1) " AND union_ = " CH_P(2)       \
	" AND kind = " CH_P(3) " AND value = " CH_P(4) " RETURNING channel"

#define CH_SQL_IDS                                                                           \
	"SELECT channel, union_, kind, value FROM promo_channel_ids WHERE channel = " CH_P(1)   \
	" ORDER BY union_, kind, value"

/* the statement the docs name: orders seen before the id was known */
#define CH_SQL_LINK                                                                          \
	"UPDATE campaign_orders SET channel = " CH_P(1) " WHERE union_ = " CH_P(2)             \
	" AND channel_kind = " CH_P(3) " AND channel_ref = " CH_P(4) " AND channel IS NULL"

/* a paid order refunded: made invalid (status 4) or commission taken back */
#define CH_REFD "CASE WHEN i.paid_at > 0 AND (i.status = 4 OR i.refunded > 0) THEN 1 ELSE 0 END"
/* when an order counts in a window: placed, else paid, else first seen */
#define CH_T                                                                                 \
	"CASE WHEN co.ordered_at > 0 THEN co.ordered_at WHEN i.paid_at > 0 THEN i.paid_at"      \
	" ELSE i.first_seen_at END"

#define CH_SQL_MONTHS                                                                        \
	"SELECT co.month, count(*), sum(CASE WHEN i.paid_at > 0 THEN 1 ELSE 0 END),"            \
	" sum(CASE WHEN i.paid_at > 0 THEN i.amount ELSE 0 END), sum(co.fee_amount),"           \
	" sum(" CH_REFD ") FROM campaign_orders co JOIN items i ON i.id = co.item"               \
	" WHERE co.channel = " CH_P(1) " GROUP BY co.month ORDER BY co.month DESC LIMIT " CH_P(2)

#define CH_SQL_SLOTS                                                                         \
	"SELECT s.id, s.campaign, c.name, s.amount, s.state, s.booked_at, s.collected_at,"      \
	" s.waived_at FROM slot_fees s JOIN campaigns c ON c.id = s.campaign"                   \
	" WHERE s.channel = " CH_P(1) " ORDER BY s.id DESC LIMIT " CH_P(2)

/* The figures of every channel not blocked, in one statement: the window's
 * campaign orders joined to their items once (base, MATERIALIZED: read by
 * four groupings, joined once; 200,000 orders of 1,000 channels take about
 * 1 s of CPU on SQLite), then grouped per
 * channel (agg), per channel and buyer (the 3 busiest buyers: top), per
 * channel and refund day (rday), per channel and hour (hrs); slot fees not
 * waived over all time and the paid, valid sales of those campaigns.
 * Parameters: 1 category, 2 price (fen, 0 none), 3 union, 4 since,
 * 5 fast seconds, 6 limit. */
#define CH_SQL_FIGURES                                                                       \
	"WITH base AS MATERIALIZED (SELECT co.channel AS ch, co.buyer AS buyer,"                             \
	"  CASE WHEN i.paid_at > 0 THEN 1 ELSE 0 END AS paid,"                                  \
	"  CASE WHEN i.paid_at > 0 THEN i.amount ELSE 0 END AS gmv,"                            \
	"  CASE WHEN i.paid_at > 0 AND co.category = " CH_P(1) " THEN 1 ELSE 0 END AS in_cat,"   \
	"  CASE WHEN i.paid_at > 0 AND " CH_INT(2) " > 0"                                        \
	"   AND 2 * i.amount >= " CH_INT(2) " * (CASE WHEN i.quantity > 1 THEN i.quantity ELSE 1 END)" \
	"   AND i.amount <= 2 * " CH_INT(2) " * (CASE WHEN i.quantity > 1 THEN i.quantity ELSE 1 END)" \
	"   THEN 1 ELSE 0 END AS in_band,"                                                      \
	"  " CH_REFD " AS refd,"                                                                \
	"  CASE WHEN co.clicked_at > 0 AND co.ordered_at > 0 THEN 1 ELSE 0 END AS timed,"      \
	"  CASE WHEN co.clicked_at > 0 AND co.ordered_at > 0"                                   \
	"   AND co.ordered_at - co.clicked_at < " CH_INT(5) " THEN 1 ELSE 0 END AS fast,"        \
	"  (i.modified_at + 28800) / 86400 AS rday,"                                            \
	"  (" CH_T ") / 3600 AS hr"                                                            \
	"  FROM campaign_orders co JOIN items i ON i.id = co.item"                              \
	"  WHERE co.channel IS NOT NULL AND (" CH_T ") >= " CH_INT(4) "),"                      \
	" agg AS (SELECT ch, count(*) AS n, sum(paid) AS paid, sum(gmv) AS gmv,"                \
	"  sum(in_cat) AS cat_n, sum(in_cat * gmv) AS cat_gmv, sum(in_band) AS band_n,"         \
	"  sum(in_band * gmv) AS band_gmv, sum(refd) AS refd,"                                  \
	"  sum(CASE WHEN buyer <> '' THEN 1 ELSE 0 END) AS buyer_n, sum(timed) AS timed,"       \
	"  sum(fast) AS fast FROM base GROUP BY ch),"                                           \
	" buy AS (SELECT ch, buyer, count(*) AS n FROM base WHERE buyer <> '' GROUP BY ch, buyer)," \
	" top AS (SELECT ch, sum(n) AS top3 FROM (SELECT ch, n, row_number() OVER"              \
	"  (PARTITION BY ch ORDER BY n DESC) AS rn FROM buy) AS r WHERE rn <= 3 GROUP BY ch),"  \
	" rdays AS (SELECT ch, max(n) AS m FROM (SELECT ch, rday, count(*) AS n FROM base"     \
	"  WHERE refd = 1 GROUP BY ch, rday) AS d GROUP BY ch),"                                \
	" hrs AS (SELECT ch, max(n) AS m FROM (SELECT ch, hr, count(*) AS n FROM base"         \
	"  GROUP BY ch, hr) AS h GROUP BY ch),"                                                 \
	" slots AS (SELECT channel, campaign, amount FROM slot_fees WHERE state <> 'waived'),"  \
	" slot_fen AS (SELECT channel AS ch, sum(amount) AS fen FROM slots GROUP BY channel),"  \
	" slot_gmv AS (SELECT co.channel AS ch, sum(i.amount) AS gmv FROM campaign_orders co"  \
	"  JOIN slots s ON s.channel = co.channel AND s.campaign = co.campaign"                 \
	"  JOIN items i ON i.id = co.item WHERE i.paid_at > 0 AND i.status <> 4"                \
	"  GROUP BY co.channel)"                                                                \
	" SELECT c.id, c.name, c.state, c.categories,"                                          \
	"  CASE WHEN EXISTS (SELECT 1 FROM promo_channel_ids x WHERE x.channel = c.id"          \
	"   AND x.union_ = " CH_P(3) ") THEN 1 ELSE 0 END,"                                      \
	"  coalesce(a.n, 0), coalesce(a.paid, 0), coalesce(a.gmv, 0), coalesce(a.cat_n, 0),"    \
	"  coalesce(a.cat_gmv, 0), coalesce(a.band_n, 0), coalesce(a.band_gmv, 0),"             \
	"  coalesce(a.refd, 0), coalesce(a.buyer_n, 0), coalesce(t.top3, 0),"                   \
	"  coalesce(a.timed, 0), coalesce(a.fast, 0), coalesce(rd.m, 0), coalesce(h.m, 0),"     \
	"  coalesce(sf.fen, 0), coalesce(sg.gmv, 0)"                                            \
	" FROM promo_channels c LEFT JOIN agg a ON a.ch = c.id LEFT JOIN top t ON t.ch = c.id" \
	" LEFT JOIN rdays rd ON rd.ch = c.id LEFT JOIN hrs h ON h.ch = c.id"                    \
	" LEFT JOIN slot_fen sf ON sf.ch = c.id LEFT JOIN slot_gmv sg ON sg.ch = c.id"          \
	" WHERE c.state <> 'blocked' ORDER BY c.id LIMIT " CH_P(6)

/* paid units and their fen since a time: the average price is divided in C */
#define CH_SQL_AVG                                                                           \
	"SELECT coalesce(sum(i.amount), 0),"                                                    \
	" coalesce(sum(CASE WHEN i.quantity > 1 THEN i.quantity ELSE 1 END), 0)"                \
	" FROM campaign_orders co JOIN items i ON i.id = co.item"                               \
	" WHERE co.channel = " CH_P(1) " AND i.paid_at > 0 AND i.paid_at >= " CH_INT(2)

#define CH_PRODUCT_COLS                                                                      \
	"ci.id, ci.category, ci.price, c.union_, ci.service_pm, ci.commission_pm, ci.campaign,"   \
	" ci.title"

#define CH_SQL_PRODUCT                                                                       \
	"SELECT " CH_PRODUCT_COLS " FROM campaign_items ci JOIN campaigns c ON c.id = ci.campaign" \
	" WHERE ci.id = " CH_P(1)

/* Parameters: 1 channel, 2 now, 3 since, 4 limit.  The channel's
 * categories come along for the declared test done in C. */
#define CH_SQL_CANDIDATES                                                                    \
	"SELECT " CH_PRODUCT_COLS ", coalesce(s.n, 0), coalesce(s.g, 0),"                       \
	" (SELECT categories FROM promo_channels WHERE id = " CH_P(1) ")"                        \
	" FROM campaign_items ci JOIN campaigns c ON c.id = ci.campaign"                        \
	" LEFT JOIN (SELECT co.category AS cat, count(*) AS n, sum(i.amount) AS g"              \
	"  FROM campaign_orders co JOIN items i ON i.id = co.item"                              \
	"  WHERE co.channel = " CH_P(1) " AND i.paid_at > 0 AND i.paid_at >= " CH_INT(3)         \
	"  GROUP BY co.category) AS s ON s.cat = ci.category AND ci.category <> ''"             \
	" WHERE ci.status = 'approved' AND c.status = 'approved'"                               \
	" AND c.promote_from <= " CH_INT(2) " AND c.promote_to >= " CH_INT(2)                    \
	" ORDER BY ci.id LIMIT " CH_P(4)

#endif

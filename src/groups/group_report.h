/* group_report.h — results per chat group: sends, failures, clicks, orders,
 * GMV and commission per group and Beijing day, per send and per owner;
 * the daily series of one group (its trend); the dormant flag and what to
 * do about it.  Reads only (docs/groups.md "What the figures mean"). */
#ifndef TK_GROUP_REPORT_H
#define TK_GROUP_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/textbuf.h"
#include "store/group_store.h"

#define GROUP_DORMANT_DAYS_DEFAULT 7
#define GROUP_DORMANT_DAYS_MAX 90
#define GROUP_REPORT_DAYS_MAX 366      /* days of one range */
#define GROUP_REPORT_GROUPS_MAX 100000 /* groups of one report */
#define GROUP_REPORT_SENDS_MAX 10000   /* sends listed by one report; more: truncated */

/* Suggestions for a group that is not earning. */
#define GROUP_SUGGEST_SEND_LESS "send less"
#define GROUP_SUGGEST_CATEGORIES "change categories"
#define GROUP_SUGGEST_ARCHIVE "archive"

struct group_report_req {
	int64_t from, to;      /* Beijing days (days since 1970-01-01), inclusive */
	int64_t grp;           /* 0: every group */
	int64_t owner;         /* internal member id; 0: every owner */
	int dormant_days;      /* N; <= 0: group_report_dormant_days() */
};

struct group_result {
	int64_t id, owner;
	char owner_ext[ORDER_KEY_MAX];
	char channel[GROUP_CHANNEL_MAX];
	char name[GROUP_NAME_MAX];
	char kind[GROUP_KIND_MAX];
	char state[GROUP_STATE_MAX];
	struct group_figures total;  /* over [from, to] */
	struct group_figures recent; /* over the N days ending at `to` */
	bool dormant;                /* sends in those N days, no click and no order */
	const char *suggestion;      /* GROUP_SUGGEST_*, or "" */
};

struct group_day_row {
	int64_t grp, day;
	struct group_figures f;
};

struct group_member_result {
	int64_t owner;
	char owner_ext[ORDER_KEY_MAX];
	int64_t groups, dormant_groups;
	struct group_figures total;
};

struct group_report {
	int64_t from, to;
	int dormant_days;
	struct group_result *groups;   /* by id */
	size_t n_groups;
	struct group_day_row *days;    /* by group then day; only days with a figure */
	size_t n_days;
	struct group_member_result *members; /* by the owner's external id (bytes) */
	size_t n_members;
	struct group_figures total;
};

/* N of the dormant rule: $TUIKE_GROUPS_DORMANT_DAYS (the setting
 * groups.dormant_days) when it is 1..GROUP_DORMANT_DAYS_MAX, else 7. */
int group_report_dormant_days(void);

/* "2026-11-01" as a Beijing day; false when it is not such a date. */
bool group_report_parse_day(const char *s, int64_t *day);
/* A day as "2026-11-01" (buf of 11 bytes at least). */
char *group_report_day_text(int64_t day, char *buf);

/* Checks a range: from <= to, at most GROUP_REPORT_DAYS_MAX days (err
 * names "from"). */
enum tk_rc group_report_range_check(int64_t from, int64_t to, struct tk_error *err);

/* The figures of r's groups: each group's totals over the range, its last
 * N days with the dormant flag and suggestion, the days with a figure, and
 * the sums per owner.  TK_ENOTFOUND for an unknown r->grp; TK_ELIMIT
 * beyond GROUP_REPORT_GROUPS_MAX groups.  Free with group_report_free. */
enum tk_rc group_report_run(struct store *st, const struct group_report_req *r,
			    struct group_report *out, struct tk_error *err);
void group_report_free(struct group_report *r);

/* The daily series of group grp over [r->from, r->to], every day (zeros
 * included): out holds r->to - r->from + 1 entries. */
void group_report_series(const struct group_report *r, int64_t grp, struct group_figures *out);

/* The group of r with id grp, or NULL. */
const struct group_result *group_report_find(const struct group_report *r, int64_t grp);

/* The sends of r's groups over [r->from, r->to] (by sent_at), each with
 * what followed in 48 hours, handed to cb in order; at most `max` (more:
 * *truncated). */
enum tk_rc group_report_sends(struct store *st, const struct group_report_req *r, size_t max,
			      store_group_send_cb cb, void *ctx, bool *truncated,
			      struct tk_error *err);

/* ---- output, shared by `tuike report groups` and the API ---- */

/* The figures as a JSON object (fen). */
json_t *group_figures_json(const struct group_figures *f);
/* A group's result as JSON (NULL when out of memory). */
json_t *group_result_json(const struct group_result *g);
/* A send's result as JSON, with the group's channel and name when known. */
json_t *group_send_json(const struct group_send_rec *s, const struct group_result *g);

/* CSV: one header line, then rows ("\r\n" ended); text cells quoted when
 * they must be and guarded against formula injection (core/csv_cell.h: a
 * cell starting with = + - @, their full-width forms, a tab or a carriage
 * return is prefixed with '). */
#define GROUP_CSV_MAX (64u << 20)   /* bytes of one export */
struct group_csv {
	struct textbuf b;
	bool failed;                /* out of memory, or beyond GROUP_CSV_MAX */
};
enum group_report_by { GROUP_BY_GROUP, GROUP_BY_DAY, GROUP_BY_SEND, GROUP_BY_MEMBER };
bool group_report_by_parse(const char *s, enum group_report_by *by);
const char *group_report_by_name(enum group_report_by by);
void group_csv_header(struct group_csv *b, enum group_report_by by);
void group_csv_group(struct group_csv *b, const struct group_result *g);
void group_csv_day(struct group_csv *b, const struct group_day_row *d, const struct group_result *g);
void group_csv_send(struct group_csv *b, const struct group_send_rec *s, const struct group_result *g);
void group_csv_member(struct group_csv *b, const struct group_member_result *m);
/* One CSV cell of text (escaped and guarded), without the separator. */
void group_csv_text(struct group_csv *b, const char *s);

/* ---- whole answers, the same for `tuike report groups` and the API ---- */

/* The report of q by `by` as a JSON document (*doc) or, when csv, as CSV
 * text (*text, malloc'd, *len bytes).  TK_ELIMIT when the CSV would pass
 * GROUP_CSV_MAX. */
enum tk_rc group_report_render(struct store *st, const struct group_report_req *q,
			       enum group_report_by by, bool csv, json_t **doc, char **text,
			       size_t *len, struct tk_error *err);

#define GROUP_RESULTS_SENDS 50      /* newest sends a group's results list */

/* One group's results over q's range (q->grp set; q->owner limits it to a
 * member's own): the group with its totals, last N days, dormant flag and
 * suggestion, the series of every day (its trend) and its newest sends. */
enum tk_rc group_results_json(struct store *st, const struct group_report_req *q, json_t **doc,
			      struct tk_error *err);

#endif

/* group_store.h — storage for chat groups and their send queue: the groups a
 * member sends offers into (each with its channel key "g<id>"), their
 * platform credentials, and the send jobs the pusher works.  Implemented
 * for SQLite in sqlite_groups.c and PostgreSQL in pg_groups.c.
 * The contract of store.h holds: on error nothing changes outside the
 * caller's open transaction. */
#ifndef TK_GROUP_STORE_H
#define TK_GROUP_STORE_H

#include "store/store.h"

#define GROUP_NAME_MAX 65           /* 64 bytes and the NUL */
#define GROUP_KIND_MAX 16           /* wecom, dingtalk, feishu, telegram, manual */
#define GROUP_STATE_MAX 16
#define GROUP_CHANNEL_MAX 24        /* "g" and the id */
#define GROUP_SETTINGS_MAX (16 * 1024) /* bytes of the settings JSON */
#define GROUP_REASON_MAX 256
#define GROUP_CRED_MAX 257          /* 256 bytes and the NUL */
#define GROUP_CHAT_MAX 128
#define GROUP_HINT_MAX 8

#define SEND_ORIGIN_MAX 16
#define SEND_STATE_MAX 16
#define SEND_SHOP_MAX 128
#define SEND_CATEGORY_MAX 128
#define SEND_LINK_MAX 64
#define SEND_BODY_MAX (32 * 1024)   /* the payload as sent (Feishu allows 20 KB) */
#define SEND_CODE_MAX 64
#define SEND_MESSAGE_MAX 512
#define SEND_CLAIM_MAX 1000         /* jobs one claim hands out at most */

/* A group as listings show it: never its credential or signing secret. */
struct group_rec {
	int64_t id;
	char channel[GROUP_CHANNEL_MAX];   /* set by group_insert */
	int64_t owner;                     /* member, internal id */
	char owner_ext[ORDER_KEY_MAX];     /* filled on reads */
	char name[GROUP_NAME_MAX];
	char kind[GROUP_KIND_MAX];
	char settings[GROUP_SETTINGS_MAX + 1];
	char state[GROUP_STATE_MAX];       /* active, paused, archived */
	int64_t paused_until;              /* a robot the platform limited; 0 none */
	char pause_reason[GROUP_REASON_MAX];
	int64_t created_at, updated_at;
	/* from group_secrets, filled on reads */
	bool secret_set;                   /* a credential is stored */
	char hint[GROUP_HINT_MAX];         /* its last 4 characters */
	char chat_id[GROUP_CHAT_MAX];      /* Telegram's chat (not secret) */
};

/* A group's credentials: read only by the pusher. */
struct group_secret {
	char credential[GROUP_CRED_MAX];  /* WeCom key, DingTalk access_token, Feishu hook
					   * token, Telegram bot token */
	char sign_secret[GROUP_CRED_MAX]; /* DingTalk/Feishu signing secret, "" unsigned */
	char chat_id[GROUP_CHAT_MAX];
	char hint[GROUP_HINT_MAX];
};

/* Which groups a listing shows: newest first (id descending). */
struct group_filter {
	int64_t owner;      /* 0: every owner */
	const char *state;  /* NULL or "": every state */
	int64_t before;     /* only ids below it (the previous page's last); 0 none */
	int limit;          /* rows at most; <= 0 none */
};

/* One send: a product to a group at a slot. */
struct send_job_rec {
	int64_t id;
	int64_t grp;
	int64_t slot;        /* nominal time, unix s; unique per group */
	int64_t due_at;      /* slot + jitter */
	char union_[ORDER_UNION_MAX];
	char product[ORDER_KEY_MAX];
	char shop[SEND_SHOP_MAX];
	char category[SEND_CATEGORY_MAX];
	char origin[SEND_ORIGIN_MAX];   /* schedule, now */
	char state[SEND_STATE_MAX];     /* pending sending sent failed unknown ready cancelled */
	int64_t attempts;
	int64_t next_at;     /* when it may be tried (again) */
	char link[SEND_LINK_MAX];
	char body[SEND_BODY_MAX];
	char code[SEND_CODE_MAX];
	char message[SEND_MESSAGE_MAX];
	int64_t created_at, claimed_at, sent_at;
};

/* How a send ended (job_finish).  NULL body or link leave them as they are. */
struct send_job_end {
	const char *state;    /* sent failed pending unknown ready cancelled */
	int64_t next_at;      /* for pending: when to try again */
	const char *code, *message;
	const char *body, *link;
	int64_t at;           /* now: sent_at of a sent job */
	bool not_attempt;     /* the claim's attempt given back (a platform's
			       * limit reply is no attempt of the job's) */
};

/* Which jobs of a group a listing shows: slot descending. */
struct send_job_filter {
	int64_t grp;
	const char *state;    /* NULL or "": every state */
	int64_t before_slot;  /* only slots below it; 0 none */
	int limit;            /* <= 0 none */
};

/* ---- results per group (group_report.c reads them) ---- */

/* What a group did in one Beijing day, or in 48 hours after one send. */
struct group_figures {
	int64_t sends;          /* send_jobs sent, by sent_at */
	int64_t failures;       /* send_jobs failed, by their last attempt */
	int64_t clicks;         /* clicks on the group's links, bots left out */
	int64_t unique_clicks;
	int64_t orders;         /* distinct orders of the group's items, by paid day */
	int64_t gmv;            /* fen paid for them */
	int64_t commission;     /* fen, the union's commission (net of refunds) */
	int64_t owner_share;    /* fen of it that goes to the group's owner */
};

/* Which groups and which time: [from, to] are unix seconds, inclusive. */
struct group_report_filter {
	int64_t from, to;
	int64_t grp;            /* 0: every group */
	int64_t owner;          /* 0: every owner */
};

/* One send and what followed it within GROUP_SEND_WINDOW_S. */
struct group_send_rec {
	int64_t job;
	int64_t grp;
	int64_t sent_at;
	char union_[ORDER_UNION_MAX];
	char product[ORDER_KEY_MAX];
	char link[SEND_LINK_MAX];
	struct group_figures f; /* sends = 1; failures 0 */
};

#define GROUP_SEND_WINDOW_S (48 * 3600)

typedef bool (*store_group_day_cb)(void *ctx, int64_t grp, int64_t day,
				   const struct group_figures *f);
typedef bool (*store_group_send_cb)(void *ctx, const struct group_send_rec *s);

typedef bool (*store_group_cb)(void *ctx, const struct group_rec *g);
typedef bool (*store_send_job_cb)(void *ctx, const struct send_job_rec *j);
typedef bool (*store_group_count_cb)(void *ctx, int64_t grp, int64_t n);
/* A union tag (the same shape as server_store.h's server_tag_cb). */
typedef bool (*store_group_tag_cb)(void *ctx, const char *union_, const char *kind,
				   const char *value);

struct group_store_ops {
	/* Inserts a group: g->id is the next id and g->channel "g<id>";
	 * created_at/updated_at as given.  TK_ECONFLICT for an unknown owner. */
	enum tk_rc (*group_insert)(struct store *st, struct group_rec *g, struct tk_error *err);
	/* TK_ENOTFOUND when absent. */
	enum tk_rc (*group_get)(struct store *st, int64_t id, struct group_rec *g,
				struct tk_error *err);
	enum tk_rc (*group_get_channel)(struct store *st, const char *channel, struct group_rec *g,
					struct tk_error *err);
	enum tk_rc (*group_list)(struct store *st, const struct group_filter *f, store_group_cb cb,
				 void *ctx, struct tk_error *err);
	/* How many groups a member owns (every state). */
	enum tk_rc (*group_count_owner)(struct store *st, int64_t owner, int64_t *n,
					struct tk_error *err);
	/* Writes name, settings, state, paused_until, pause_reason and
	 * updated_at of group g->id; TK_ENOTFOUND when absent. */
	enum tk_rc (*group_update)(struct store *st, const struct group_rec *g,
				   struct tk_error *err);

	/* The union tags registered with a group's channel key, by union,
	 * kind, value (byte order). */
	enum tk_rc (*group_tags)(struct store *st, const char *channel, store_group_tag_cb cb,
				 void *ctx, struct tk_error *err);

	/* Credentials: set replaces them whole; get is TK_ENOTFOUND when none
	 * were ever set. */
	enum tk_rc (*secret_set)(struct store *st, int64_t grp, const struct group_secret *s,
				 struct tk_error *err);
	enum tk_rc (*secret_get)(struct store *st, int64_t grp, struct group_secret *s,
				 struct tk_error *err);

	/* Inserts j unless the group has a job at j->slot: *created says which;
	 * j->id is the job's id either way (the existing one is not changed). */
	enum tk_rc (*job_insert)(struct store *st, struct send_job_rec *j, bool *created,
				 struct tk_error *err);
	enum tk_rc (*job_get)(struct store *st, int64_t id, struct send_job_rec *j,
			      struct tk_error *err);
	enum tk_rc (*job_list)(struct store *st, const struct send_job_filter *f,
			       store_send_job_cb cb, void *ctx, struct tk_error *err);
	/* Up to `limit` (<= SEND_CLAIM_MAX) pending jobs with next_at <= now,
	 * by next_at then id, changing nothing (the pusher then claims each one
	 * whose robot may send).  now = INT64_MAX gives the next due jobs. */
	enum tk_rc (*job_due)(struct store *st, int64_t now, int limit, store_send_job_cb cb,
			      void *ctx, struct tk_error *err);
	/* Claims job `id` when it is still pending: sending, attempts + 1,
	 * claimed_at = now, *claimed true and j the job as claimed; otherwise
	 * nothing changes and *claimed is false.  TK_ENOTFOUND when absent. */
	enum tk_rc (*job_claim)(struct store *st, int64_t id, int64_t now, bool *claimed,
				struct send_job_rec *j, struct tk_error *err);
	/* Puts an unknown or failed job back: pending, next_at = now, attempts
	 * 0, code and message cleared; *done false (nothing changed) for a job
	 * in another state.  TK_ENOTFOUND when absent. */
	enum tk_rc (*job_requeue)(struct store *st, int64_t id, int64_t now, bool *done,
				  struct tk_error *err);
	/* The latest claimed_at or sent_at of any job (0 when none): where a
	 * simulated pusher's clock resumes after a restart. */
	enum tk_rc (*job_last_time)(struct store *st, int64_t *t, struct tk_error *err);
	/* Records how a job's send ended; TK_ENOTFOUND when absent. */
	enum tk_rc (*job_finish)(struct store *st, int64_t id, const struct send_job_end *e,
				 struct tk_error *err);
	/* Jobs `sending` since before `claimed_before` become unknown (they
	 * may or may not have reached the group); *n how many. */
	enum tk_rc (*job_mark_stale)(struct store *st, int64_t claimed_before, int64_t now,
				     int64_t *n, struct tk_error *err);
	/* The group's pending and ready jobs become cancelled with `message`;
	 * *n how many. */
	enum tk_rc (*job_cancel_group)(struct store *st, int64_t grp, const char *message,
				       int64_t *n, struct tk_error *err);
	/* The group's jobs that reached or will reach it (sent, sending,
	 * unknown, ready, pending) at or after `since` — sent_at when sent,
	 * due_at otherwise — newest first (that time, then id, descending):
	 * for de-duplication and shop/category cooldowns. */
	enum tk_rc (*job_recent)(struct store *st, int64_t grp, int64_t since, store_send_job_cb cb,
				 void *ctx, struct tk_error *err);
	/* Per group, the jobs sent at or after `since`, by group id. */
	enum tk_rc (*job_count_sent)(struct store *st, int64_t since, store_group_count_cb cb,
				     void *ctx, struct tk_error *err);

	/* ---- results per group ---- */
	/* Per group and Beijing day (days since 1970-01-01 at UTC+8), the
	 * figures of f's groups in [f->from, f->to]: sends by sent_at,
	 * failures by claimed_at (due_at when never claimed), clicks by click
	 * time (bots left out) on links carrying the group's channel, orders,
	 * GMV, commission and the owner's share of the items carrying it by
	 * paid_at (invalid items left out).  Only (group, day) pairs with a
	 * figure, by group id then day. */
	enum tk_rc (*report_days)(struct store *st, const struct group_report_filter *f,
				  store_group_day_cb cb, void *ctx, struct tk_error *err);
	/* The sends of f's groups with sent_at in [f->from, f->to], by sent_at
	 * then job id; each with the clicks on its link and the group's orders
	 * of its product (paid) in [sent_at, sent_at + GROUP_SEND_WINDOW_S). */
	enum tk_rc (*report_sends)(struct store *st, const struct group_report_filter *f,
				   store_group_send_cb cb, void *ctx, struct tk_error *err);
};

extern const struct group_store_ops sqlite_group_ops;

#endif

/* group_push.c — the pusher (group_push.h): due jobs claimed one at a time
 * when their robot's buckets allow, the group's link made (or reused), the
 * message rendered and POSTed outside any transaction, the platform's
 * answer recorded in one transaction; "send now" and the preview share the
 * same steps. */
#include "groups/group_push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog/catalog.h"
#include "groups/group_plan.h"
#include "push/push_bucket.h"
#include "push/push_render.h"
#include "push/push_settings.h"
#include "store/catalog_store.h"
#include "tracking/links.h"
#include "tracking/links_convert.h"

static const char *const default_bases[] = {
	[PUSH_WECOM] = "https://qyapi.weixin.qq.com",
	[PUSH_DINGTALK] = "https://oapi.dingtalk.com",
	[PUSH_FEISHU] = "https://open.feishu.cn",
	[PUSH_TELEGRAM] = "https://api.telegram.org",
	[PUSH_MANUAL] = "",
};

const char *group_push_default_base(enum push_kind k)
{
	return default_bases[k];
}

int64_t group_push_backoff_s(int64_t attempts)
{
	int64_t s = GROUP_PUSH_BACKOFF_S;
	for (int64_t i = 1; i < attempts && s < GROUP_PUSH_BACKOFF_MAX_S; i++)
		s *= 2;
	return s < GROUP_PUSH_BACKOFF_MAX_S ? s : GROUP_PUSH_BACKOFF_MAX_S;
}

/* A robot (a WeCom key, a DingTalk token, a Feishu hook, a Telegram chat)
 * or a Telegram bot (its token, shared by its chats): its buckets. */
struct robot {
	uint64_t key;
	struct push_bucket b;
};

/* A link made during this run, per (member, union, product, coupon, channel). */
struct link_memo {
	uint64_t key;
	char code[LINK_CODE_MAX];
};

struct grp_sent {
	int64_t grp, n;
};

struct group_pusher {
	struct engine *e;
	struct store *st;
	struct push_transport *t;
	struct group_push_conf conf;
	struct robot **robots; /* open addressing by key */
	size_t cap_robots, n_robots;
	struct link_memo *links;
	size_t cap_links, n_links;
	struct grp_sent *seed; /* sends of the last minute at start, by group */
	size_t n_seed, cap_seed;
	int64_t seed_ms;
	struct group_push_stats stats;
	/* scratch, allocated once */
	struct group_rec *g;
	struct push_settings *s;
	struct catalog_product *prod;
	struct group_secret *sec;
};

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

/* ---- robots ---- */

static int64_t seeded_sends(const struct group_pusher *p, int64_t grp)
{
	for (size_t i = 0; i < p->n_seed; i++)
		if (p->seed[i].grp == grp)
			return p->seed[i].n;
	return 0;
}

/* The robot of key (created with limits and seeded with `seed` sends at
 * start when new); NULL when out of memory. */
static struct robot *robot_get(struct group_pusher *p, uint64_t key, const struct push_limit *lim,
			       int n, int64_t seed, struct tk_error *err)
{
	if ((p->n_robots + 1) * 2 > p->cap_robots) {
		size_t cap = p->cap_robots ? p->cap_robots * 2 : 256;
		struct robot **r = calloc(cap, sizeof(*r));
		if (!r) {
			tk_fail(err, TK_ENOMEM, "", "out of memory");
			return NULL;
		}
		for (size_t i = 0; i < p->cap_robots; i++) {
			if (!p->robots[i])
				continue;
			size_t j = p->robots[i]->key & (cap - 1);
			while (r[j])
				j = (j + 1) & (cap - 1);
			r[j] = p->robots[i];
		}
		free(p->robots);
		p->robots = r;
		p->cap_robots = cap;
	}
	size_t i = key & (p->cap_robots - 1);
	for (; p->robots[i]; i = (i + 1) & (p->cap_robots - 1))
		if (p->robots[i]->key == key)
			return p->robots[i];
	struct robot *r = malloc(sizeof(*r));
	if (!r || push_bucket_init(&r->b, lim, n, err)) {
		free(r);
		if (!err->rc)
			tk_fail(err, TK_ENOMEM, "", "out of memory");
		return NULL;
	}
	r->key = key;
	if (seed > 0)
		push_bucket_seed(&r->b, (int)(seed < PUSH_LIMIT_COUNT_MAX ? seed : PUSH_LIMIT_COUNT_MAX),
				 p->seed_ms);
	p->robots[i] = r;
	p->n_robots++;
	return r;
}

/* The robot of group g (and its bot, for Telegram; *bot NULL otherwise). */
static enum tk_rc robots_of(struct group_pusher *p, enum push_kind k, const struct group_rec *g,
			    const struct group_secret *sec, const struct push_settings *s,
			    struct robot **robot, struct robot **bot, struct tk_error *err)
{
	struct push_limit lim[PUSH_LIMITS_MAX];
	int n = push_platform_limits(k, s->rate_per_minute, lim);
	uint64_t key = fnv(fnv(0xcbf29ce484222325ULL, push_kind_name(k)), sec->credential);
	if (k == PUSH_TELEGRAM)
		key = fnv(key, sec->chat_id);
	*bot = NULL;
	/* a robot shared by groups counts the sends of each (seeded per group:
	 * the first group seen brings its own, which is a lower bound) */
	if (!(*robot = robot_get(p, key, lim, n, seeded_sends(p, g->id), err)))
		return err->rc ? err->rc : TK_ENOMEM;
	struct push_limit bl;
	if (push_platform_bot_limit(k, &bl)) {
		uint64_t bk = fnv(fnv(0xcbf29ce484222325ULL, "bot"), sec->credential);
		if (!(*bot = robot_get(p, bk, &bl, 1, 0, err)))
			return err->rc ? err->rc : TK_ENOMEM;
	}
	return TK_OK;
}

static int64_t robots_wait(const struct robot *r, const struct robot *bot, int64_t now_ms)
{
	int64_t w = push_bucket_wait(&r->b, now_ms);
	if (bot) {
		int64_t wb = push_bucket_wait(&bot->b, now_ms);
		if (wb > w)
			w = wb;
	}
	return w;
}

/* ---- start ---- */

static bool seed_row(void *ctx, int64_t grp, int64_t n)
{
	struct group_pusher *p = ctx;
	if (p->n_seed == p->cap_seed) {
		size_t cap = p->cap_seed ? p->cap_seed * 2 : 64;
		struct grp_sent *v = realloc(p->seed, cap * sizeof(*v));
		if (!v)
			return false;
		p->seed = v;
		p->cap_seed = cap;
	}
	p->seed[p->n_seed++] = (struct grp_sent){grp, n};
	return true;
}

enum tk_rc group_pusher_open(struct engine *e, struct push_transport *t,
			     const struct group_push_conf *conf, int64_t now_ms,
			     struct group_pusher **out, struct tk_error *err)
{
	struct group_pusher *p = calloc(1, sizeof(*p));
	enum tk_rc rc;
	*out = NULL;
	if (!p)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	p->e = e;
	p->st = engine_store(e);
	p->t = t;
	p->conf = *conf;
	p->seed_ms = now_ms;
	p->g = malloc(sizeof(*p->g));
	p->s = malloc(sizeof(*p->s));
	p->prod = malloc(sizeof(*p->prod));
	p->sec = malloc(sizeof(*p->sec));
	if (!p->g || !p->s || !p->prod || !p->sec) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto fail;
	}
	struct store *st = p->st;
	int64_t now = now_ms / 1000, n = 0;
	/* the lock is ours: whatever is `sending` was a dead pusher's */
	if ((rc = st->ops->tx_begin(st, err)))
		goto fail;
	if ((rc = st->groups->job_mark_stale(st, INT64_MAX, now, &n, err))) {
		st->ops->tx_rollback(st);
		goto fail;
	}
	if ((rc = st->ops->tx_commit(st, err)))
		goto fail;
	p->stats.stale = n;
	/* the sends of the last minute (the longest limit's period) count
	 * against the buckets: a restart never bursts */
	if ((rc = st->ops->tx_begin_read(st, err)))
		goto fail;
	rc = st->groups->job_count_sent(st, now - 60, seed_row, p, err);
	st->ops->tx_rollback(st);
	if (rc)
		goto fail;
	*out = p;
	return TK_OK;
fail:
	group_pusher_close(p);
	return rc;
}

void group_pusher_close(struct group_pusher *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->cap_robots; i++)
		free(p->robots[i]);
	free(p->robots);
	free(p->links);
	free(p->seed);
	free(p->g);
	free(p->s);
	free(p->prod);
	free(p->sec);
	free(p);
}

const struct group_push_stats *group_push_stats(const struct group_pusher *p)
{
	return &p->stats;
}

/* ---- recording ---- */

/* One transaction: how job `id` ended, and (gs not NULL) group g's new
 * pause or state. */
static enum tk_rc record(struct store *st, int64_t id, const struct send_job_end *end,
			 int64_t grp, const char *state, int64_t paused_until, const char *reason,
			 int64_t now, struct tk_error *err)
{
	enum tk_rc rc = st->ops->tx_begin(st, err);
	if (rc)
		return rc;
	if (end)
		rc = st->groups->job_finish(st, id, end, err);
	if (!rc && grp) {
		struct group_rec *g = malloc(sizeof(*g));
		if (!g)
			rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		if (!rc)
			rc = st->groups->group_get(st, grp, g, err);
		if (!rc) {
			if (state && strcmp(g->state, "archived") != 0)
				snprintf(g->state, sizeof(g->state), "%s", state);
			if (paused_until > g->paused_until)
				g->paused_until = paused_until;
			snprintf(g->pause_reason, sizeof(g->pause_reason), "%s", reason);
			g->updated_at = now;
			rc = st->groups->group_update(st, g, err);
		}
		if (!rc && state) {
			int64_t n = 0; /* the group is off: its other sends with it */
			rc = st->groups->job_cancel_group(st, grp, reason, &n, err);
		}
		free(g);
	}
	if (rc) {
		st->ops->tx_rollback(st);
		return rc;
	}
	return st->ops->tx_commit(st, err);
}

static enum tk_rc finish(struct store *st, int64_t id, const char *state, const char *code,
			 const char *message, int64_t now, struct tk_error *err)
{
	struct send_job_end end = {.state = state, .code = code, .message = message, .at = now};
	return record(st, id, &end, 0, NULL, 0, NULL, now, err);
}

/* ---- one send ---- */

/* The group's link to the product: made once per (member, union, product,
 * coupon, channel) in this run, through links_create (the conversion is
 * kept by the store per the same key), as <link_base>/s/<code>. */
static enum tk_rc group_link(struct group_pusher *p, const struct group_rec *g,
			     const struct catalog_product *prod, int64_t now, char code[LINK_CODE_MAX],
			     struct tk_error *err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)g->owner);
	uint64_t key = fnv(fnv(fnv(fnv(fnv(0xcbf29ce484222325ULL, buf), prod->union_), prod->product),
			       prod->coupon_url), g->channel);
	key = key ? key : 1;
	for (size_t i = 0; i < p->n_links; i++)
		if (p->links[i].key == key) {
			memcpy(code, p->links[i].code, LINK_CODE_MAX);
			return TK_OK;
		}
	/* the pusher's, for the group's owner: not counted against the
	 * owner's own quota (its sends must not stop because it made links
	 * by hand, nor use up what it may make) */
	struct link_request req = {.member = g->owner_ext, .union_ = prod->union_,
				   .product = prod->product, .channel = g->channel,
				   .conv = p->conf.conv, .origin = LINK_ORIGIN_PUSHER};
	struct link_rec *l = malloc(sizeof(*l));
	if (!l)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = links_create(p->e, &req, now, l, err);
	if (!rc) {
		memcpy(code, l->code, LINK_CODE_MAX);
		if (p->n_links == p->cap_links) {
			size_t cap = p->cap_links ? p->cap_links * 2 : 256;
			struct link_memo *v = realloc(p->links, cap * sizeof(*v));
			if (v) {
				p->links = v;
				p->cap_links = cap;
			}
		}
		if (p->n_links < p->cap_links) {
			p->links[p->n_links].key = key;
			memcpy(p->links[p->n_links++].code, l->code, LINK_CODE_MAX);
		}
	}
	free(l);
	return rc;
}

/* Renders and builds the request for group g (kind k) at now_ms. */
static enum tk_rc build(enum push_kind k, const struct push_settings *s,
			const struct catalog_product *prod, const char *link, const char *base,
			const struct push_credentials *c, int64_t now_ms, struct push_request *r,
			struct push_message *m, struct tk_error *err)
{
	struct push_render_input in = {.product = prod, .link = link, .now = now_ms / 1000};
	enum tk_rc rc = push_render(k, s->template_, &in, m, err);
	if (rc || k == PUSH_MANUAL)
		return rc;
	rc = push_platform_request(m, base, c, now_ms, r, err);
	push_message_free(m);
	return rc;
}

static const char *base_of(const struct group_pusher *p, enum push_kind k)
{
	return p->conf.base[k][0] ? p->conf.base[k] : default_bases[k];
}

/* Sends claimed job j of group g (settings s, credentials sec) and records
 * the outcome. */
static enum tk_rc send_claimed(struct group_pusher *p, const struct send_job_rec *j,
			       enum push_kind k, struct robot *robot, struct robot *bot,
			       int64_t now_ms, struct tk_error *err)
{
	struct store *st = p->st;
	const struct group_rec *g = p->g;
	int64_t now = now_ms / 1000;
	char code[LINK_CODE_MAX], link[GROUP_PUSH_LINK_BASE_MAX + LINK_CODE_MAX + 8];
	struct tk_error lerr = {0};
	if (group_link(p, g, p->prod, now, code, &lerr)) {
		char msg[SEND_MESSAGE_MAX];
		tk_error_format(&lerr, msg, sizeof(msg));
		/* the link could not be made (a union down): try again later */
		int64_t next = now + group_push_backoff_s(j->attempts);
		bool give_up = j->attempts >= PUSH_ATTEMPTS_MAX;
		struct send_job_end end = {.state = give_up ? "failed" : "pending", .next_at = next,
					   .code = "link", .message = msg, .at = now};
		p->stats.failed += give_up;
		p->stats.retried += !give_up;
		return record(st, j->id, &end, 0, NULL, 0, NULL, now, err);
	}
	snprintf(link, sizeof(link), "%s/s/%s", p->conf.link_base, code);
	struct push_credentials c = {p->sec->credential, p->sec->sign_secret, p->sec->chat_id};
	struct push_request r = {0};
	struct push_message m = {0};
	struct tk_error berr = {0};
	if (build(k, p->s, p->prod, link, base_of(p, k), &c, now_ms, &r, &m, &berr)) {
		char msg[SEND_MESSAGE_MAX];
		tk_error_format(&berr, msg, sizeof(msg));
		p->stats.failed++;
		struct send_job_end end = {.state = "failed", .code = "request", .message = msg,
					   .link = code, .at = now};
		return record(st, j->id, &end, 0, NULL, 0, NULL, now, err);
	}
	/* the POST, holding no transaction */
	const char *headers[PUSH_HEADERS_MAX + 1];
	char sim[48];
	size_t nh = 0;
	for (int i = 0; i < r.nheaders; i++)
		headers[nh++] = r.headers[i];
	if (p->conf.simulate) {
		snprintf(sim, sizeof(sim), "X-Sim-Time-Ms: %lld", (long long)now_ms);
		headers[nh++] = sim;
	}
	struct push_http_request hr = {.method = r.method, .url = r.url, .headers = headers,
				       .n_headers = nh, .body = r.body, .body_len = r.body_len};
	struct push_http_reply reply;
	struct tk_error herr = {0};
	push_bucket_take(&robot->b, now_ms);
	if (bot)
		push_bucket_take(&bot->b, now_ms);
	enum tk_rc hrc = push_http_send(p->t, &hr, &reply, &herr);
	p->stats.requests++;
	struct push_outcome o;
	struct send_job_end end = {.body = r.body, .link = code, .at = now};
	int64_t grp = 0, paused_until = 0;
	const char *gstate = NULL;
	char reason[GROUP_REASON_MAX] = "";
	if (hrc == TK_EIO && reply.maybe_sent) {
		/* it went out and no answer came: it may be in the group */
		end.state = "unknown";
		end.code = "transport";
		end.message = reply.error[0] ? reply.error : "no answer";
		p->stats.unknown++;
	} else if (hrc && hrc != TK_EIO) {
		char msg[SEND_MESSAGE_MAX];
		tk_error_format(&herr, msg, sizeof(msg));
		end.state = "failed";
		end.code = "request";
		end.message = msg;
		p->stats.failed++;
		push_request_free(&r);
		push_http_reply_free(&reply);
		return record(st, j->id, &end, 0, NULL, 0, NULL, now, err);
	} else {
		push_platform_reply(k, (int)reply.status, reply.body, reply.len, (int)j->attempts, &c,
				    &o);
		end.code = o.code;
		end.message = o.message;
		switch (o.result) {
		case PUSH_OK:
			end.state = "sent";
			p->stats.sent++;
			break;
		case PUSH_RETRY:
			end.state = "pending";
			end.next_at = now + group_push_backoff_s(j->attempts);
			if (o.retry_after_s > 0 && reply.retry_after > end.next_at - now)
				end.next_at = now + reply.retry_after;
			p->stats.retried++;
			break;
		case PUSH_PAUSE:
			/* the robot is limited, the message is not at fault: no
			 * attempt of the job's (five pauses never fail it) */
			end.state = "pending";
			end.not_attempt = true;
			end.next_at = now + o.pause_robot_s;
			grp = g->id;
			paused_until = now + o.pause_robot_s;
			snprintf(reason, sizeof(reason), "%.200s (%.31s)", o.message, o.code);
			push_bucket_pause(&robot->b, paused_until * 1000);
			p->stats.paused++;
			break;
		case PUSH_FATAL:
			end.state = "failed";
			p->stats.failed++;
			if (o.group_fatal) {
				grp = g->id;
				gstate = "paused";
				snprintf(reason, sizeof(reason), "%.200s (%.31s)", o.message, o.code);
			}
			break;
		}
	}
	enum tk_rc rc = record(st, j->id, &end, grp, gstate, paused_until, reason, now, err);
	push_request_free(&r);
	push_http_reply_free(&reply);
	return rc;
}

/* ---- a round ---- */

struct due {
	struct send_job_rec *v;
	size_t n, cap;
	bool oom;
};

static bool due_row(void *ctx, const struct send_job_rec *j)
{
	struct due *d = ctx;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct send_job_rec *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			d->oom = true;
			return false;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = *j;
	return true;
}

static bool one_row(void *ctx, const struct send_job_rec *j)
{
	*(int64_t *)ctx = j->next_at;
	return false;
}

/* Reads group grp, its settings, credentials into p's scratch (g, s, sec). */
static enum tk_rc load_group(struct group_pusher *p, int64_t grp, bool *settings_ok,
			     struct tk_error *err)
{
	struct store *st = p->st;
	enum tk_rc rc = st->groups->group_get(st, grp, p->g, err);
	if (rc)
		return rc;
	struct tk_error serr = {0};
	*settings_ok = push_settings_parse(p->g->settings, strlen(p->g->settings), p->s, &serr) == 0;
	rc = st->groups->secret_get(st, grp, p->sec, err);
	if (rc == TK_ENOTFOUND) {
		memset(p->sec, 0, sizeof(*p->sec));
		rc = TK_OK;
	}
	return rc;
}

/* A manual group's job at its time: the link and the copy text, `ready`. */
static enum tk_rc make_ready(struct group_pusher *p, const struct send_job_rec *j, int64_t now_ms,
			     struct tk_error *err)
{
	int64_t now = now_ms / 1000;
	char code[LINK_CODE_MAX], link[GROUP_PUSH_LINK_BASE_MAX + LINK_CODE_MAX + 8];
	struct tk_error lerr = {0};
	if (group_link(p, p->g, p->prod, now, code, &lerr)) {
		char msg[SEND_MESSAGE_MAX];
		tk_error_format(&lerr, msg, sizeof(msg));
		p->stats.failed++;
		return finish(p->st, j->id, "failed", "link", msg, now, err);
	}
	snprintf(link, sizeof(link), "%s/s/%s", p->conf.link_base, code);
	struct push_message m = {0};
	struct push_render_input in = {.product = p->prod, .link = link, .now = now};
	struct tk_error rerr = {0};
	if (push_render(PUSH_MANUAL, p->s->template_, &in, &m, &rerr)) {
		char msg[SEND_MESSAGE_MAX];
		tk_error_format(&rerr, msg, sizeof(msg));
		p->stats.failed++;
		return finish(p->st, j->id, "failed", "render", msg, now, err);
	}
	struct send_job_end end = {.state = "ready", .body = m.body, .link = code, .at = now};
	enum tk_rc rc = record(p->st, j->id, &end, 0, NULL, 0, NULL, now, err);
	push_message_free(&m);
	p->stats.ready += !rc;
	return rc;
}

/* One due job: cancelled, ready, waiting for its robot, or claimed and
 * sent.  *wait_ms > 0: its robot may send then (not before). */
static enum tk_rc work_job(struct group_pusher *p, const struct send_job_rec *due, int64_t now_ms,
			   bool *sent, bool *changed, int64_t *wait_ms, struct tk_error *err)
{
	struct store *st = p->st;
	int64_t now = now_ms / 1000;
	bool settings_ok;
	enum tk_rc rc;
	*sent = *changed = false;
	*wait_ms = 0;
	if ((rc = st->ops->tx_begin_read(st, err)))
		return rc;
	rc = load_group(p, due->grp, &settings_ok, err);
	if (!rc) {
		rc = st->catalog->product_get(st, due->union_, due->product, p->prod, err);
		if (rc == TK_ENOTFOUND) {
			p->prod->id = 0;
			rc = TK_OK;
		}
	}
	st->ops->tx_rollback(st);
	if (rc)
		return rc;
	const struct group_rec *g = p->g;
	enum push_kind k;
	if (strcmp(g->state, "active") != 0) {
		/* paused or archived by the operator: its due sends are off */
		char msg[64];
		snprintf(msg, sizeof(msg), "the group is %s", g->state);
		*changed = true;
		p->stats.cancelled++;
		return finish(st, due->id, "cancelled", "group", msg, now, err);
	}
	if (!p->prod->id || p->prod->gone_at) {
		*changed = true;
		p->stats.cancelled++;
		return finish(st, due->id, "cancelled", "product",
			      "the product is gone from the library", now, err);
	}
	if (!settings_ok || !push_kind_parse(g->kind, &k)) {
		*changed = true;
		p->stats.failed++;
		return finish(st, due->id, "failed", "settings", "the group's settings cannot be read",
			      now, err);
	}
	if (k == PUSH_MANUAL) {
		*changed = true;
		return make_ready(p, due, now_ms, err);
	}
	if (!p->sec->credential[0]) {
		*changed = true;
		p->stats.failed++;
		return record(st, due->id,
			      &(struct send_job_end){.state = "failed", .code = "credentials",
						     .message = "the group has no credential", .at = now},
			      g->id, "paused", 0, "no credential set", now, err);
	}
	if (g->paused_until > now) {
		*wait_ms = (g->paused_until - now) * 1000;
		return TK_OK; /* the platform limited the robot: it waits */
	}
	struct robot *robot, *bot;
	if ((rc = robots_of(p, k, g, p->sec, p->s, &robot, &bot, err)))
		return rc;
	int64_t w = robots_wait(robot, bot, now_ms);
	if (w > 0) {
		*wait_ms = w;
		return TK_OK;
	}
	/* the claim, committed before the POST */
	struct send_job_rec *j = malloc(sizeof(*j));
	bool claimed = false;
	if (!j)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!(rc = st->ops->tx_begin(st, err))) {
		rc = st->groups->job_claim(st, due->id, now, &claimed, j, err);
		if (!rc)
			rc = st->ops->tx_commit(st, err);
		else
			st->ops->tx_rollback(st);
	}
	if (!rc && claimed) {
		*sent = *changed = true;
		rc = send_claimed(p, j, k, robot, bot, now_ms, err);
	}
	free(j);
	return rc;
}

enum tk_rc group_push_round(struct group_pusher *p, int64_t now_ms, int max, int64_t *next_ms,
			    bool *progress, struct tk_error *err)
{
	struct store *st = p->st;
	struct due d = {0};
	enum tk_rc rc;
	int posts = 0;
	*next_ms = INT64_MAX;
	*progress = false;
	if ((rc = st->ops->tx_begin_read(st, err)))
		return rc;
	rc = st->groups->job_due(st, now_ms / 1000, GROUP_PUSH_ROUND_MAX, due_row, &d, err);
	st->ops->tx_rollback(st);
	if (!rc && d.oom)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (size_t i = 0; i < d.n && !rc; i++) {
		if ((p->conf.stop && *p->conf.stop) || (max > 0 && posts >= max))
			break;
		bool sent, changed;
		int64_t wait;
		if ((rc = work_job(p, &d.v[i], now_ms, &sent, &changed, &wait, err)))
			break;
		posts += sent;
		*progress = *progress || changed;
		if (wait > 0 && now_ms + wait < *next_ms)
			*next_ms = now_ms + wait;
	}
	if (!rc && d.n == GROUP_PUSH_ROUND_MAX)
		*next_ms = now_ms; /* more due than one round looks at */
	free(d.v);
	if (rc)
		return rc;
	/* the next job due later */
	int64_t next_at = INT64_MAX;
	if ((rc = st->ops->tx_begin_read(st, err)))
		return rc;
	rc = st->groups->job_due(st, INT64_MAX, 1, one_row, &next_at, err);
	st->ops->tx_rollback(st);
	if (!rc && next_at != INT64_MAX) {
		int64_t at = next_at * 1000;
		if (at > now_ms && at < *next_ms)
			*next_ms = at;
		else if (at <= now_ms && *progress && now_ms < *next_ms)
			*next_ms = now_ms; /* due now and something moved: go again */
	}
	return rc;
}

/* ---- the operator's steps ---- */

enum tk_rc group_push_last_time(struct store *st, int64_t *t, struct tk_error *err)
{
	*t = 0;
	enum tk_rc rc = st->ops->tx_begin_read(st, err);
	if (rc)
		return rc;
	rc = st->groups->job_last_time(st, t, err);
	st->ops->tx_rollback(st);
	return rc;
}

/* ---- preview and send now ---- */

/* The plain copy text of in (what a manual group gets), malloc'd. */
static enum tk_rc plain_text(const struct push_settings *s, const struct push_render_input *in,
			     char **text, struct tk_error *err)
{
	struct push_message m = {0};
	enum tk_rc rc = push_render(PUSH_MANUAL, s->template_, in, &m, err);
	if (rc)
		return rc;
	json_t *doc = json_loads(m.body, 0, NULL);
	const char *t = json_string_value(json_object_get(doc, "text"));
	*text = t ? strdup(t) : NULL;
	json_decref(doc);
	push_message_free(&m);
	return *text ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

enum tk_rc group_push_preview(struct store *st, const struct group_rec *g,
			      const char *union_, const char *product, const char *link,
			      int64_t now, const char *base, char *url, size_t url_size,
			      char **body, char **text, char *union_out, char *product_out,
			      struct tk_error *err)
{
	struct push_settings *s = malloc(sizeof(*s));
	struct catalog_product *prod = malloc(sizeof(*prod));
	struct group_secret *sec = malloc(sizeof(*sec));
	struct send_job_rec *pick = malloc(sizeof(*pick));
	enum push_kind k;
	enum tk_rc rc = TK_OK;
	*body = NULL;
	if (text)
		*text = NULL;
	url[0] = '\0';
	if (!s || !prod || !sec || !pick) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if (!push_kind_parse(g->kind, &k)) {
		rc = tk_fail(err, TK_EINVAL, "kind", "unknown kind \"%s\"", g->kind);
		goto out;
	}
	if ((rc = push_settings_parse(g->settings, strlen(g->settings), s, err)))
		goto out;
	if (!product) {
		bool found;
		if ((rc = group_plan_pick(st, g, s, now, now, pick, &found, err)))
			goto out;
		if (!found) {
			rc = tk_fail(err, TK_ENOTFOUND, "product", "no product fits the group's selection");
			goto out;
		}
		union_ = pick->union_;
		product = pick->product;
	}
	if ((rc = st->catalog->product_get(st, union_, product, prod, err)))
		goto out;
	if (union_out)
		snprintf(union_out, ORDER_UNION_MAX, "%s", prod->union_);
	if (product_out)
		snprintf(product_out, ORDER_KEY_MAX, "%s", prod->product);
	rc = st->groups->secret_get(st, g->id, sec, err);
	if (rc == TK_ENOTFOUND) {
		memset(sec, 0, sizeof(*sec));
		rc = TK_OK;
	}
	if (rc)
		goto out;
	/* a preview needs no real credential: a placeholder keeps it out */
	struct push_credentials c = {"CREDENTIAL", sec->sign_secret[0] ? "SECRET" : "",
				     sec->chat_id[0] ? sec->chat_id : "CHAT"};
	struct push_message m = {0};
	struct push_render_input in = {.product = prod, .link = link, .now = now};
	if (text && (rc = plain_text(s, &in, text, err)))
		goto out;
	if ((rc = push_render(k, s->template_, &in, &m, err)))
		goto fail_text;
	if (k == PUSH_MANUAL) {
		*body = m.body;
		goto out;
	}
	struct push_request r = {0};
	rc = push_platform_request(&m, base && *base ? base : default_bases[k], &c, now * 1000, &r,
				   err);
	push_message_free(&m);
	if (rc)
		goto fail_text;
	snprintf(url, url_size, "%s", r.url);
	*body = r.body;
	r.body = NULL;
	push_request_free(&r);
	goto out;
fail_text:
	if (text) {
		free(*text);
		*text = NULL;
	}
out:
	free(s);
	free(prod);
	free(sec);
	free(pick);
	return rc;
}

enum tk_rc group_push_requeue(struct store *st, int64_t job, int64_t now, struct send_job_rec *out,
			      struct tk_error *err)
{
	bool done = false;
	enum tk_rc rc;
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	if ((rc = st->groups->job_requeue(st, job, now, &done, err)) ||
	    (rc = st->groups->job_get(st, job, out, err)))
		goto fail;
	if (!done) {
		rc = tk_fail(err, TK_ECONFLICT, "state",
			     "job %lld is %s: only an unknown or failed send is re-queued",
			     (long long)job, out->state);
		goto fail;
	}
	return st->ops->tx_commit(st, err);
fail:
	st->ops->tx_rollback(st);
	return rc;
}

enum tk_rc group_push_now(struct store *st, int64_t grp, int64_t owner, const char *union_,
			  const char *product, int64_t now, struct send_job_rec *out,
			  bool *created, struct tk_error *err)
{
	struct group_rec *g = malloc(sizeof(*g));
	struct push_settings *s = malloc(sizeof(*s));
	struct catalog_product *prod = malloc(sizeof(*prod));
	enum tk_rc rc;
	*created = false;
	if (!g || !s || !prod) {
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
		goto out;
	}
	if ((rc = st->ops->tx_begin(st, err)))
		goto out;
	if ((rc = st->groups->group_get(st, grp, g, err)))
		goto fail;
	if (owner && g->owner != owner) {
		rc = tk_fail(err, TK_ENOTFOUND, "group", "no group %lld", (long long)grp);
		goto fail;
	}
	if (strcmp(g->state, "active") != 0) {
		rc = tk_fail(err, TK_ECONFLICT, "group", "group %lld is %s", (long long)grp, g->state);
		goto fail;
	}
	if ((rc = push_settings_parse(g->settings, strlen(g->settings), s, err)))
		goto fail;
	memset(out, 0, sizeof(*out));
	if (product) {
		rc = st->catalog->product_get(st, union_, product, prod, err);
		if (rc == TK_OK && prod->gone_at)
			rc = tk_fail(err, TK_ENOTFOUND, "product", "%s:%s is gone from the library",
				     union_, product);
		if (rc)
			goto fail;
		out->grp = g->id;
		snprintf(out->union_, sizeof(out->union_), "%s", prod->union_);
		snprintf(out->product, sizeof(out->product), "%s", prod->product);
		snprintf(out->shop, sizeof(out->shop), "%s", prod->shop);
		snprintf(out->category, sizeof(out->category), "%s", prod->category);
	} else {
		bool found;
		if ((rc = group_plan_pick(st, g, s, now, now, out, &found, err)))
			goto fail;
		if (!found) {
			rc = tk_fail(err, TK_ENOTFOUND, "product",
				     "no product fits the group's selection now");
			goto fail;
		}
	}
	out->slot = out->due_at = out->next_at = now;
	out->created_at = now;
	snprintf(out->origin, sizeof(out->origin), "now");
	snprintf(out->state, sizeof(out->state), "pending");
	if ((rc = st->groups->job_insert(st, out, created, err)))
		goto fail;
	if (!*created && (rc = st->groups->job_get(st, out->id, out, err)))
		goto fail;
	rc = st->ops->tx_commit(st, err);
	goto out;
fail:
	st->ops->tx_rollback(st);
out:
	free(g);
	free(s);
	free(prod);
	return rc;
}

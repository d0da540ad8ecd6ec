/* cmd_push.c — `tuike push ...`: planning the sends of a window, the pusher
 * (on the wall clock, or simulated), a send now, the preview of what a
 * group would get, and putting an unknown or failed send back in the
 * queue.  Answers are JSON on stdout. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "groups/group_plan.h"
#include "groups/group_push.h"
#include "store/store.h"
#include "tracking/links_convert.h"

static int push_usage(void)
{
	return cli_usage(
		"push plan [--from T] [--to T] | run [--every S] [--once] [--max N] [--simulate "
		"--from T --until T] [--config PATH] | now GROUP [--product UNION:ID] | preview GROUP "
		"[--product UNION:ID] | requeue JOB\n"
		"  T: ISO 8601 with an offset, e.g. 2026-11-10T09:00:00+08:00");
}

static bool time_opt(int argc, char **argv, const char *name, int64_t dflt, int64_t *out)
{
	const char *v = cli_opt(argc, argv, name);
	*out = dflt;
	if (v && !tktime_parse_iso8601(v, out)) {
		fprintf(stderr, "tuike: %s: must be ISO 8601 with an offset, got \"%s\"\n", name, v);
		return false;
	}
	return true;
}

/* "jd:123" into union and product; false (message printed) otherwise. */
static bool product_opt(const char *v, char union_[ORDER_UNION_MAX], const char **product)
{
	const char *colon = v ? strchr(v, ':') : NULL;
	if (!colon || colon == v || (size_t)(colon - v) >= ORDER_UNION_MAX || !colon[1]) {
		fprintf(stderr, "tuike: --product: must be UNION:ID, e.g. jd:100012\n");
		return false;
	}
	snprintf(union_, ORDER_UNION_MAX, "%.*s", (int)(colon - v), v);
	*product = colon + 1;
	return true;
}

static int plan_cmd(int argc, char **argv)
{
	int64_t now = engine_now(), from, to;
	if (!time_opt(argc, argv, "--from", now, &from) ||
	    !time_opt(argc, argv, "--to", from + 86400, &to))
		return CLI_EXIT_USAGE;
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct group_plan_stats s;
	struct tk_error err = {0};
	if (group_plan(engine_store(e), from, to, now, &s, &err))
		rc = cli_fail(&err);
	else
		cli_print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "groups", (json_int_t)s.groups,
					 "slots", (json_int_t)s.slots, "created", (json_int_t)s.created,
					 "existing", (json_int_t)s.existing, "no_product",
					 (json_int_t)s.no_product, "bad_settings",
					 (json_int_t)s.bad_settings));
	engine_close(e);
	return rc;
}

static volatile sig_atomic_t stop_flag;

static void on_term(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static json_t *stats_json(const struct group_push_stats *s, int64_t now_ms)
{
	char at[TKTIME_BUF];
	tktime_format_iso8601(now_ms / 1000, TKTIME_BEIJING_OFFSET, at);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "sent",
			 (json_int_t)s->sent, "retried", (json_int_t)s->retried, "paused",
			 (json_int_t)s->paused, "failed", (json_int_t)s->failed, "unknown",
			 (json_int_t)s->unknown, "cancelled", (json_int_t)s->cancelled, "ready",
			 (json_int_t)s->ready, "requests", (json_int_t)s->requests, "stale",
			 (json_int_t)s->stale, "at", at);
}

static int run_cmd(int argc, char **argv)
{
	bool simulate = cli_flag(argc, argv, "--simulate"), once = cli_flag(argc, argv, "--once");
	int64_t every = 10, max = 0, from = 0, until = INT64_MAX;
	const char *v;
	if ((v = cli_opt(argc, argv, "--every")) &&
	    (!cli_parse_i64("--every", v, &every) || every < 1 || every > 3600))
		return push_usage();
	if ((v = cli_opt(argc, argv, "--max")) && (!cli_parse_i64("--max", v, &max) || max < 1))
		return push_usage();
	if (simulate && (!cli_opt(argc, argv, "--from") || !cli_opt(argc, argv, "--until"))) {
		fprintf(stderr, "tuike: push run --simulate needs --from and --until\n");
		return CLI_EXIT_USAGE;
	}
	if (simulate && (!time_opt(argc, argv, "--from", 0, &from) ||
			 !time_opt(argc, argv, "--until", 0, &until)))
		return CLI_EXIT_USAGE;

	struct tk_error err = {0};
	struct store_node_lock *lock = NULL;
	static struct links_conv conv;
	if (links_conv_load(cli_opt(argc, argv, "--config"), &conv, &err))
		return cli_fail(&err);
	if (store_push_lock(cli_opt(argc, argv, "--db"), &lock, &err))
		return cli_fail(&err);
	struct engine *e = NULL;
	struct push_transport *t = NULL;
	struct group_pusher *p = NULL;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		goto out;
	struct group_push_conf conf = {.conv = &conv, .simulate = simulate, .stop = &stop_flag};
	for (int k = 0; k < 4; k++)
		snprintf(conf.base[k], sizeof(conf.base[k]), "%.255s", conv.conf.push_base[k]);
	snprintf(conf.link_base, sizeof(conf.link_base), "%s",
		 conv.conf.push_link_base[0] ? conv.conf.push_link_base : "http://127.0.0.1:8080");
	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	int64_t now_ms = simulate ? from * 1000 : wall_ms();
	if (simulate) {
		/* after a restart the virtual clock goes on from the queue's last
		 * claim or send, never back (the receiver judges rates by it) */
		int64_t last = 0;
		if (group_push_last_time(engine_store(e), &last, &err))
			last = 0;
		if (last * 1000 > now_ms)
			now_ms = last * 1000;
	}
	if ((rc = push_http_curl_open(&t, &err) ? cli_fail(&err) : 0))
		goto out;
	if (group_pusher_open(e, t, &conf, now_ms, &p, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (group_push_stats(p)->stale)
		fprintf(stderr, "tuike push: %lld send(s) left `sending` by a stopped pusher are now "
				"unknown (tuike push requeue JOB sends one again)\n",
			(long long)group_push_stats(p)->stale);
	while (!stop_flag) {
		int64_t next;
		bool progress;
		int64_t left = max ? max - group_push_stats(p)->requests : 0;
		if (max && left <= 0)
			break;
		if (group_push_round(p, now_ms, (int)(left > 1000000 ? 1000000 : left), &next,
				     &progress, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		if (once || stop_flag)
			break;
		if (simulate) {
			if (next == INT64_MAX || next > until * 1000)
				break;
			if (next <= now_ms && !progress)
				next = now_ms + 1000; /* nothing moved: time must */
			if (next > now_ms)
				now_ms = next;
			continue;
		}
		int64_t wake = now_ms + every * 1000;
		if (next < wake)
			wake = next;
		int64_t wait = wake - wall_ms();
		if (wait > 0) {
			struct timespec ts = {wait / 1000, (wait % 1000) * 1000000};
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stop_flag)
				;
		}
		now_ms = wall_ms();
	}
	cli_print_json(stats_json(group_push_stats(p), now_ms));
out:
	group_pusher_close(p);
	push_http_close(t);
	if (e)
		engine_close(e);
	store_node_unlock(lock);
	return rc;
}

static json_t *job_json(const struct send_job_rec *j)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id",
			 (json_int_t)j->id, "group", (json_int_t)j->grp, "slot", (json_int_t)j->slot,
			 "due_at", (json_int_t)j->due_at, "union", j->union_, "product", j->product,
			 "origin", j->origin, "state", j->state, "attempts", (json_int_t)j->attempts,
			 "link", j->link, "code", j->code, "message", j->message);
}

static int now_cmd(int argc, char **argv, const char *id)
{
	int64_t grp;
	char union_[ORDER_UNION_MAX] = "";
	const char *product = NULL, *pv = cli_opt(argc, argv, "--product");
	if (!cli_parse_i64("GROUP", id, &grp) || grp <= 0 || (pv && !product_opt(pv, union_, &product)))
		return CLI_EXIT_USAGE;
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct send_job_rec *j = malloc(sizeof(*j));
	struct tk_error err = {0};
	bool created;
	if (!j)
		rc = CLI_EXIT_FAIL;
	else if (group_push_now(engine_store(e), grp, 0, product ? union_ : NULL, product,
				engine_now(), j, &created, &err))
		rc = cli_fail(&err);
	else {
		json_t *doc = job_json(j);
		json_object_set_new(doc, "created", json_boolean(created));
		cli_print_json(doc);
	}
	free(j);
	engine_close(e);
	return rc;
}

static int preview_cmd(int argc, char **argv, const char *id)
{
	int64_t grp;
	char union_[ORDER_UNION_MAX] = "";
	const char *product = NULL, *pv = cli_opt(argc, argv, "--product");
	if (!cli_parse_i64("GROUP", id, &grp) || grp <= 0 || (pv && !product_opt(pv, union_, &product)))
		return CLI_EXIT_USAGE;
	static struct links_conv conv;
	struct tk_error err = {0};
	if (links_conv_load(cli_opt(argc, argv, "--config"), &conv, &err))
		return cli_fail(&err);
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct group_rec *g = malloc(sizeof(*g));
	struct store *st = engine_store(e);
	char url[PUSH_URL_MAX], link[600];
	char *body = NULL;
	snprintf(link, sizeof(link), "%s/s/PREVIEW",
		 conv.conf.push_link_base[0] ? conv.conf.push_link_base : "http://127.0.0.1:8080");
	if (!g)
		rc = CLI_EXIT_FAIL;
	else if (st->groups->group_get(st, grp, g, &err)) {
		rc = cli_fail(&err);
	} else {
		enum push_kind k = PUSH_MANUAL;
		push_kind_parse(g->kind, &k);
		if (group_push_preview(st, g, product ? union_ : NULL, product, link, engine_now(),
				       k < 4 ? conv.conf.push_base[k] : "", url, sizeof(url), &body,
				       NULL, NULL, NULL, &err))
			rc = cli_fail(&err);
		else
			printf("%s\n", body);
	}
	free(body);
	free(g);
	engine_close(e);
	return rc;
}

static int requeue_cmd(int argc, char **argv, const char *id)
{
	int64_t job;
	if (!cli_parse_i64("JOB", id, &job) || job <= 0)
		return CLI_EXIT_USAGE;
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	struct tk_error err = {0};
	struct send_job_rec *j = malloc(sizeof(*j));
	enum tk_rc r = j ? group_push_requeue(st, job, engine_now(), j, &err)
			 : tk_fail(&err, TK_ENOMEM, "", "out of memory");
	if (r == TK_ECONFLICT) { /* a job in another state: said, nothing changed */
		char msg[512];
		tk_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "tuike: %s\n", msg);
		rc = CLI_EXIT_FAIL;
	} else if (r) {
		rc = cli_fail(&err);
	} else {
		cli_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)job, "state", j->state));
	}
	free(j);
	engine_close(e);
	return rc;
}

int cmd_push(int argc, char **argv)
{
	static const char *const vals[] = {"--from", "--to", "--until", "--every", "--max",
					   "--product", "--config", NULL};
	static const char *const flags[] = {"--once", "--simulate", "--json", NULL};
	char *args[3];
	if (!cli_known_opts(argc, argv, vals, flags))
		return push_usage();
	int n = cli_args(argc, argv, vals, args, 3);
	if (n < 1)
		return push_usage();
	const char *c = args[0];
	if (strcmp(c, "plan") == 0 && n == 1)
		return plan_cmd(argc, argv);
	if (strcmp(c, "run") == 0 && n == 1)
		return run_cmd(argc, argv);
	if (strcmp(c, "now") == 0 && n == 2)
		return now_cmd(argc, argv, args[1]);
	if (strcmp(c, "preview") == 0 && n == 2)
		return preview_cmd(argc, argv, args[1]);
	if (strcmp(c, "requeue") == 0 && n == 2)
		return requeue_cmd(argc, argv, args[1]);
	return push_usage();
}

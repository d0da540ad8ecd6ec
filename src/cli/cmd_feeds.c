/* cmd_feeds.c — `tuike tag` (the union tags members' links carry) and
 * `tuike sync` (pulling orders from the unions' APIs, once or every N). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/poll_loop.h"
#include "core/tktime.h"
#include "feeds/sync.h"
#include "feeds/union_page.h"
#include "tracking/tags_register.h"
#include "store/feed_store.h"
#include "tracking/tracking.h"

/* ---- tag ---- */

/* The tags each union sends back on its orders, in the order the adapters
 * try them. */
static const struct {
	const char *union_;
	const char *kinds[3];
} tag_kinds[] = {
	{"jd", {"subUnionId", "positionId", NULL}},
	{"taobao", {"special_id", "relation_id", "adzone_id"}},
	{"pdd", {"uid", "p_id", NULL}},
};

static bool tag_kind_valid(const char *union_, const char *kind)
{
	for (size_t i = 0; i < sizeof(tag_kinds) / sizeof(tag_kinds[0]); i++)
		if (strcmp(union_, tag_kinds[i].union_) == 0)
			for (int k = 0; k < 3 && tag_kinds[i].kinds[k]; k++)
				if (strcmp(kind, tag_kinds[i].kinds[k]) == 0)
					return true;
	return false;
}

static int tag_usage(void)
{
	return cli_usage("tag set MEMBER UNION KIND VALUE | tag remove UNION KIND VALUE | "
			 "tag list [--union UNION] [--json] | tag register MEMBER UNION [KIND] "
			 "[--name TEXT] [--session KEY] [--force] [--config PATH]\n"
			 "  kinds: jd subUnionId|positionId; taobao special_id|relation_id|adzone_id; "
			 "pdd uid|p_id");
}

/* Checks union, kind and value; prints the problem. */
static bool tag_args_valid(const char *union_, const char *kind, const char *value)
{
	if (!tag_kind_valid(union_, kind)) {
		fprintf(stderr, "tuike: no %s tag kind \"%s\" (jd: subUnionId, positionId; taobao: "
				"special_id, relation_id, adzone_id; pdd: uid, p_id)\n",
			union_, kind);
		return false;
	}
	size_t n = strlen(value);
	if (n == 0 || n >= ORDER_KEY_MAX || strcmp(value, "0") == 0) {
		fprintf(stderr, "tuike: VALUE: must be 1..%d bytes and not \"0\" (the unions' \"none\")\n",
			ORDER_KEY_MAX - 1);
		return false;
	}
	for (const unsigned char *s = (const unsigned char *)value; *s; s++)
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(stderr, "tuike: VALUE: must not contain control characters\n");
			return false;
		}
	return true;
}

static int tag_set(int argc, char **argv, char **args)
{
	const char *ext = args[1], *union_ = args[2], *kind = args[3], *value = args[4];
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct member_rec m;
	char replaced[ORDER_KEY_MAX];
	if (!tag_args_valid(union_, kind, value))
		return CLI_EXIT_USAGE;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	enum tk_rc trc = engine_member_get(e, ext, &m, &err);
	if (trc == TK_OK)
		trc = tracking_tag_set(st, union_, kind, value, m.id, NULL, engine_now(), replaced,
				       &err);
	if (trc != TK_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s}", "member", m.ext, "union", union_, "kind",
				kind, "value", value);
	json_object_set_new(doc, "previous_member",
			    replaced[0] ? json_string(replaced) : json_null());
	cli_print_json(doc);
out:
	engine_close(e);
	return rc;
}

static int tag_remove(int argc, char **argv, char **args)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	if (!tag_args_valid(args[1], args[2], args[3]))
		return CLI_EXIT_USAGE;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	enum tk_rc trc = tracking_tag_delete(st, args[1], args[2], args[3], &err);
	rc = trc ? cli_fail(&err) : CLI_EXIT_OK;
	engine_close(e);
	return rc;
}

struct tag_listing {
	bool json;
	json_t *all;
};

static bool list_one(void *ctx, const struct tag_rec *t)
{
	struct tag_listing *l = ctx;
	char when[TKTIME_BUF];
	tktime_format_iso8601(t->created_at, TKTIME_BEIJING_OFFSET, when);
	if (l->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "union", t->union_, "kind",
				      t->kind, "value", t->value, "member", t->member_ext,
				      "created_at", when);
		if (o && t->channel[0]) /* a chat group's tag */
			json_object_set_new(o, "channel", json_string(t->channel));
		json_array_append_new(l->all, o);
	} else {
		printf("%-7s %-12s %-24s %s%s%s\n", t->union_, t->kind, t->value, t->member_ext,
		       t->channel[0] ? " " : "", t->channel);
	}
	return true;
}

static int tag_list(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	const char *union_ = cli_opt(argc, argv, "--union");
	struct tag_listing l = {.json = cli_flag(argc, argv, "--json")};
	if (union_ && !order_union_valid(union_)) {
		fprintf(stderr, "tuike: --union: must be jd, taobao or pdd, got \"%s\"\n", union_);
		return CLI_EXIT_USAGE;
	}
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	l.all = json_array();
	if (st->feeds->tag_each(st, union_ ? union_ : "", list_one, &l, &err)) {
		json_decref(l.all);
		rc = cli_fail(&err);
	} else if (l.json) {
		cli_print_json(l.all);
	} else {
		json_decref(l.all);
	}
	engine_close(e);
	return rc;
}

/* `tag register MEMBER UNION [KIND]`: the tag from the union's own API. */
static int tag_register_cmd(int argc, char **argv, char **args, int n)
{
	static const char *const vals[] = {"--name", "--session", "--config", NULL};
	static const char *const flags[] = {"--force", NULL};
	static struct sync_conf conf;
	struct tag_reg_req req;
	struct tags_reg_outcome out;
	struct links_fault fault;
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct member_rec m;
	const char *name = cli_opt(argc, argv, "--name"), *session = cli_opt(argc, argv, "--session");
	memset(&req, 0, sizeof(req));
	if (!cli_known_opts(argc, argv, vals, flags) || !sync_union_parse(args[2], &req.u))
		return tag_usage();
	if ((n == 4 && !union_copy(req.kind, sizeof(req.kind), args[3])) ||
	    (name && !union_copy(req.name, sizeof(req.name), name)) ||
	    (session && !union_copy(req.session, sizeof(req.session), session))) {
		fprintf(stderr, "tuike: KIND, --name or --session is too long\n");
		return CLI_EXIT_USAGE;
	}
	if (req.kind[0] && !tag_reg_kind_valid(req.u, req.kind)) {
		fprintf(stderr, "tuike: %s registers %s through its API, not \"%s\"\n", args[2],
			req.u == SYNC_JD ? "positionId" : req.u == SYNC_TAOBAO
			? "relation_id (a channel) or special_id (a member)" : "p_id", req.kind);
		return CLI_EXIT_USAGE;
	}
	if (sync_conf_load(cli_opt(argc, argv, "--config"), &conf, &err))
		return cli_fail(&err);
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	enum tk_rc trc = engine_member_get(e, args[1], &m, &err);
	if (!trc)
		trc = tags_register(e, &conf, &m, &req, cli_flag(argc, argv, "--force"), NULL, &out,
				    &fault, &err);
	if (trc) {
		char buf[1024];
		tk_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "tuike: tag register %s %s: %s\n", args[1], args[2], buf);
		rc = trc == TK_EINVAL || trc == TK_ENOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto out;
	}
	if (!out.registered)
		fprintf(stderr, "tuike: member %s already has a registered %s %s tag (%s); nothing "
				"was asked of the union (--force asks for a new one)\n",
			m.ext, args[2], out.kind, out.value);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:b, s:i}", "member", m.ext, "union",
				args[2], "kind", out.kind, "value", out.value, "registered",
				out.registered, "requests", out.requests);
	if (doc && out.account[0])
		json_object_set_new(doc, "account_name", json_string(out.account));
	if (doc && out.note[0])
		json_object_set_new(doc, "note", json_string(out.note));
	if (doc && out.replaced[0])
		json_object_set_new(doc, "previous_member", json_string(out.replaced));
	cli_print_json(doc);
out:
	engine_close(e);
	return rc;
}

int cmd_tag(int argc, char **argv)
{
	static const char *const vals[] = {"--union", "--name", "--session", "--config", NULL};
	char *args[6];
	int n = cli_args(argc, argv, vals, args, 6);
	if ((n == 3 || n == 4) && strcmp(args[0], "register") == 0)
		return tag_register_cmd(argc, argv, args, n);
	if (n == 5 && strcmp(args[0], "set") == 0)
		return tag_set(argc, argv, args);
	if (n == 4 && strcmp(args[0], "remove") == 0)
		return tag_remove(argc, argv, args);
	if (n == 1 && strcmp(args[0], "list") == 0)
		return tag_list(argc, argv);
	return tag_usage();
}

/* ---- sync ---- */

static json_t *time_json(int64_t t)
{
	char buf[TKTIME_BUF];
	return json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf));
}

static void on_window(void *ctx, const struct sync_window_report *w)
{
	(void)ctx;
	json_t *doc = json_pack("{s:s, s:o, s:o, s:i, s:I, s:I, s:I, s:I, s:I}", "union",
				sync_union_name(w->u), "from", time_json(w->from), "to",
				time_json(w->to), "requests", w->requests, "rows", (json_int_t)w->rows,
				"applied", (json_int_t)w->applied, "unchanged",
				(json_int_t)w->unchanged, "rejected", (json_int_t)w->rejected,
				"unattributed", (json_int_t)w->unattributed);
	cli_print_json(doc);
	fflush(stdout);
}

static void on_retry(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
		     const struct tk_error *why)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(why, buf, sizeof(buf));
	fprintf(stderr, "tuike: sync %s: attempt %d failed (%s); retrying in %lld ms\n",
		sync_union_name(u), attempt, buf, (long long)wait_ms);
}

static void on_reject(void *ctx, const struct tk_error *err)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "tuike: refused (kept in `tuike sync rejects`): %s\n", buf);
}

static bool reject_one(void *ctx, const struct sync_reject_rec *r)
{
	(void)ctx;
	json_t *raw = r->raw ? json_loads(r->raw, 0, NULL) : NULL;
	json_t *doc = json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)r->id,
				"union", r->union_, "item", r->item, "window_from",
				time_json(r->window_from), "window_to", time_json(r->window_to),
				"error", r->error, "raw", raw ? raw : json_null(), "at",
				time_json(r->at));
	cli_print_json(doc);
	return true;
}

static int sync_rejects(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	const char *union_ = cli_opt(argc, argv, "--union");
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	if (st->feeds->sync_reject_each(st, union_ ? union_ : "", reject_one, NULL, &err))
		rc = cli_fail(&err);
	engine_close(e);
	return rc;
}

static int sync_status(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	json_t *doc = json_object();
	for (int u = 0; u < SYNC_UNIONS && rc == CLI_EXIT_OK; u++) {
		int64_t at;
		if (st->feeds->cursor_get(st, sync_union_name(u), "orders", &at, &err))
			rc = cli_fail(&err);
		else
			json_object_set_new(doc, sync_union_name(u), at ? time_json(at) : json_null());
	}
	if (rc == CLI_EXIT_OK)
		cli_print_json(doc);
	else
		json_decref(doc);
	engine_close(e);
	return rc;
}

/* One poll of every wanted union (poll_loop.h); a union that fails does
 * not keep the others from their turn. */
struct sync_round {
	struct sync_run *run;
	const bool *wanted;
	int64_t since; /* the first poll's --since; later polls go on from the cursors */
};

static int sync_round(void *ctx, volatile sig_atomic_t *stop)
{
	struct sync_round *r = ctx;
	int rc = CLI_EXIT_OK;
	r->run->stop = stop;
	for (int u = 0; u < SYNC_UNIONS && !*stop; u++) {
		struct tk_error err = {0};
		if (!r->wanted[u])
			continue;
		if (sync_union(r->run, u, r->since, &err) != TK_OK) {
			char buf[1024];
			tk_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "tuike: sync %s: %s\n", sync_union_name(u), buf);
			rc = CLI_EXIT_FAIL;
		}
	}
	r->since = 0;
	return rc;
}

static const char sync_usage_text[] =
	"sync [jd|taobao|pdd ...] [--since ISO8601] [--every 60s|5m|1h] [--config PATH]"
	" | sync status | sync rejects [--union UNION]";

int cmd_sync(int argc, char **argv)
{
	static const char *const vals[] = {"--since", "--every", "--config", "--union", NULL};
	char *args[SYNC_UNIONS + 1];
	struct tk_error err = {0};
	struct sync_conf conf;
	bool wanted[SYNC_UNIONS] = {false};
	int64_t since = 0, every_ms = 0;
	int n = cli_args(argc, argv, vals, args, SYNC_UNIONS + 1);

	if (n == 1 && strcmp(args[0], "rejects") == 0)
		return sync_rejects(argc, argv);
	if (n == 1 && strcmp(args[0], "status") == 0)
		return sync_status(argc, argv);
	if (n > SYNC_UNIONS)
		return cli_usage(sync_usage_text);
	for (int i = 0; i < n; i++) {
		enum sync_union u;
		if (!sync_union_parse(args[i], &u)) {
			fprintf(stderr, "tuike: no union \"%s\" (jd, taobao, pdd)\n", args[i]);
			return cli_usage(sync_usage_text);
		}
		wanted[u] = true;
	}
	const char *s = cli_opt(argc, argv, "--since");
	if (s && !tktime_parse_iso8601(s, &since)) {
		fprintf(stderr, "tuike: --since: must be ISO 8601 with an offset, got \"%s\"\n", s);
		return CLI_EXIT_USAGE;
	}
	s = cli_opt(argc, argv, "--every");
	if (s && (!sync_duration_ms(s, &every_ms) || every_ms < 1000)) {
		fprintf(stderr, "tuike: --every: must be a duration of at least 1s (60s, 5m, 1h), "
				"got \"%s\"\n", s);
		return CLI_EXIT_USAGE;
	}
	if (sync_conf_load(cli_opt(argc, argv, "--config"), &conf, &err))
		return cli_fail(&err);
	if (n == 0) {
		for (int u = 0; u < SYNC_UNIONS; u++)
			wanted[u] = sync_conf_has(&conf, u);
		if (!wanted[SYNC_JD] && !wanted[SYNC_TAOBAO] && !wanted[SYNC_PDD]) {
			fprintf(stderr, "tuike: no union has credentials: set e.g. jd.app_key and "
					"jd.app_secret in --config, or TUIKE_JD_APP_KEY and "
					"TUIKE_JD_APP_SECRET\n");
			return CLI_EXIT_USAGE;
		}
	}

	struct engine *e = NULL;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct sync_run run = {.e = e, .conf = &conf, .on_window = on_window,
			       .on_retry = on_retry, .on_reject = on_reject};
	struct sync_round r = {.run = &run, .wanted = wanted, .since = since};
	rc = poll_loop_run(every_ms, sync_round, &r);
	engine_close(e);
	return rc;
}

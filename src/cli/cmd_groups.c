/* cmd_groups.c — `tuike group ...`: a member's chat groups (add, list,
 * show, set, secret, pause, resume, archive) and their union tags (entered
 * by hand or registered through the union).  Credentials are read from the
 * command line or stdin ("-") and never printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "feeds/sync.h"
#include "groups/groups.h"
#include "tracking/tags_register.h"

static int group_usage(void)
{
	return cli_usage(
		"group add MEMBER KIND NAME [--settings JSON|@FILE] | list [--member ID] "
		"[--state S] [--limit N] [--before ID] [--json] | show ID | set ID [--name NAME] "
		"[--settings JSON|@FILE] | secret ID CREDENTIAL|- [--sign-secret S] [--chat-id C] | "
		"pause|resume|archive ID | tag ID UNION KIND VALUE | tag ID register UNION [KIND] "
		"[--config PATH] [--force]\n"
		"  kinds: wecom dingtalk feishu telegram manual");
}

/* Settings given inline or as @FILE; NULL (message printed) on error.
 * The caller frees. */
static char *settings_arg(const char *v)
{
	if (v[0] != '@')
		return strdup(v);
	FILE *f = fopen(v + 1, "rb");
	if (!f) {
		fprintf(stderr, "tuike: --settings: cannot read \"%s\"\n", v + 1);
		return NULL;
	}
	char *buf = malloc(GROUP_SETTINGS_MAX + 2);
	size_t n = buf ? fread(buf, 1, GROUP_SETTINGS_MAX + 1, f) : 0;
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static bool parse_id(const char *s, int64_t *id)
{
	return cli_parse_i64("ID", s, id) && *id > 0;
}

static int print_group(const struct group_rec *g)
{
	cli_print_json(group_json(g));
	return CLI_EXIT_OK;
}

static int group_add(int argc, char **argv, char **args)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	const char *s = cli_opt(argc, argv, "--settings");
	char *settings = s ? settings_arg(s) : NULL;
	if (s && !settings)
		return CLI_EXIT_USAGE;
	struct group_rec *g = malloc(sizeof(*g));
	int rc = g ? cli_open(argc, argv, &e) : CLI_EXIT_FAIL;
	if (rc)
		goto out;
	struct group_add_req req = {.owner = args[1], .kind = args[2], .name = args[3],
				    .settings = settings};
	rc = groups_add(engine_store(e), &req, engine_now(), g, &err) ? cli_fail(&err)
								       : print_group(g);
	engine_close(e);
out:
	free(settings);
	free(g);
	return rc;
}

struct listing {
	bool json;
	json_t *all;
};

static bool list_one(void *ctx, const struct group_rec *g)
{
	struct listing *l = ctx;
	if (l->json)
		json_array_append_new(l->all, group_json(g));
	else
		printf("%-6lld %-8s %-9s %-8s %-16s %s\n", (long long)g->id, g->channel, g->kind,
		       g->state, g->owner_ext, g->name);
	return true;
}

static int group_list(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct listing l = {.json = cli_flag(argc, argv, "--json")};
	struct group_filter f = {.state = cli_opt(argc, argv, "--state")};
	const char *member = cli_opt(argc, argv, "--member"), *limit = cli_opt(argc, argv, "--limit");
	const char *before = cli_opt(argc, argv, "--before");
	int64_t v;
	if (limit) {
		if (!cli_parse_i64("--limit", limit, &v) || v < 1 || v > 100000)
			return group_usage();
		f.limit = (int)v;
	}
	if (before && !cli_parse_i64("--before", before, &f.before))
		return group_usage();
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	if (!st->groups) {
		fprintf(stderr, "tuike: this store keeps no groups\n");
		engine_close(e);
		return CLI_EXIT_FAIL;
	}
	if (member && groups_owner_id(st, member, &f.owner, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	l.all = json_array();
	if (st->groups->group_list(st, &f, list_one, &l, &err)) {
		json_decref(l.all);
		rc = cli_fail(&err);
	} else if (l.json) {
		cli_print_json(l.all);
	} else {
		json_decref(l.all);
	}
out:
	engine_close(e);
	return rc;
}

/* show, set, secret, pause, resume, archive: one group by id. */
static int group_one(int argc, char **argv, char **args, int n)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	int64_t id;
	const char *cmd = args[0];
	if (!parse_id(args[1], &id))
		return group_usage();
	char *settings = NULL;
	char cred[GROUP_CRED_BYTES * 8 + 2] = "";
	if (strcmp(cmd, "set") == 0) {
		const char *s = cli_opt(argc, argv, "--settings");
		if (s && !(settings = settings_arg(s)))
			return CLI_EXIT_USAGE;
	} else if (strcmp(cmd, "secret") == 0) {
		if (n != 3)
			return group_usage();
		if (strcmp(args[2], "-") == 0) { /* stdin keeps it out of the process list */
			if (!fgets(cred, sizeof(cred), stdin))
				cred[0] = '\0';
			cred[strcspn(cred, "\r\n")] = '\0';
		} else {
			snprintf(cred, sizeof(cred), "%s", args[2]);
		}
	}
	struct group_rec *g = malloc(sizeof(*g));
	int rc = g ? cli_open(argc, argv, &e) : CLI_EXIT_FAIL;
	if (rc)
		goto out;
	struct store *st = engine_store(e);
	enum tk_rc trc;
	int64_t cancelled = 0;
	if (strcmp(cmd, "show") == 0) {
		trc = groups_show(st, id, 0, g, &err);
	} else if (strcmp(cmd, "set") == 0) {
		struct group_update_req r = {.name = cli_opt(argc, argv, "--name"),
					     .settings = settings};
		trc = groups_update(st, id, 0, &r, engine_now(), g, &err);
	} else if (strcmp(cmd, "secret") == 0) {
		struct group_creds_req r = {.credential = cred,
					    .sign_secret = cli_opt(argc, argv, "--sign-secret"),
					    .chat_id = cli_opt(argc, argv, "--chat-id")};
		trc = groups_credentials_set(st, id, 0, &r, engine_now(), g, &err);
	} else {
		trc = groups_set_state(st, id, 0, cmd, engine_now(), g, &cancelled, &err);
	}
	if (trc) {
		rc = cli_fail(&err);
	} else {
		json_t *doc = group_json(g);
		if (doc && strcmp(cmd, "archive") == 0)
			json_object_set_new(doc, "cancelled_sends", json_integer(cancelled));
		cli_print_json(doc);
	}
	engine_close(e);
out:
	sodium_memzero(cred, sizeof(cred));
	free(settings);
	free(g);
	return rc;
}

/* `group tag ID UNION KIND VALUE` and `group tag ID register UNION [KIND]`. */
static int group_tag(int argc, char **argv, char **args, int n)
{
	static struct sync_conf conf;
	struct tk_error err = {0};
	struct engine *e = NULL;
	int64_t id;
	char replaced[ORDER_KEY_MAX] = "";
	bool reg = strcmp(args[2], "register") == 0;
	if (!parse_id(args[1], &id) || (reg ? n != 4 && n != 5 : n != 5))
		return group_usage();
	struct tag_reg_req req;
	memset(&req, 0, sizeof(req));
	if (reg) {
		if (!sync_union_parse(args[3], &req.u) ||
		    (n == 5 && snprintf(req.kind, sizeof(req.kind), "%s", args[4]) >=
				       (int)sizeof(req.kind)))
			return group_usage();
		if (sync_conf_load(cli_opt(argc, argv, "--config"), &conf, &err))
			return cli_fail(&err);
	}
	struct group_rec *g = malloc(sizeof(*g));
	int rc = g ? cli_open(argc, argv, &e) : CLI_EXIT_FAIL;
	if (rc) {
		free(g);
		return rc;
	}
	struct store *st = engine_store(e);
	json_t *doc = NULL;
	enum tk_rc trc;
	if (!reg) {
		trc = groups_tag_set(st, id, 0, args[2], args[3], args[4], engine_now(), replaced,
				     &err);
		if (!trc)
			trc = groups_show(st, id, 0, g, &err);
		if (!trc)
			doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "group", (json_int_t)id,
					"channel", g->channel, "member", g->owner_ext, "union",
					args[2], "kind", args[3], "value", args[4]);
	} else {
		struct member_rec m;
		struct tags_reg_outcome out;
		trc = groups_show(st, id, 0, g, &err);
		if (!trc && strcmp(g->state, "archived") == 0)
			trc = tk_fail(&err, TK_ECONFLICT, "state", "group %lld is archived",
				      (long long)id);
		if (!trc)
			trc = engine_member_get(e, g->owner_ext, &m, &err);
		/* the position is named for the group */
		snprintf(req.name, sizeof(req.name), "%s", g->name);
		if (!trc)
			trc = tags_register_channel(e, &conf, &m, g->channel, &req,
						    cli_flag(argc, argv, "--force"), NULL, &out, NULL,
						    &err);
		if (!trc) {
			if (!out.registered)
				fprintf(stderr, "tuike: group %lld already has a registered %s %s "
						"tag (%s); nothing was asked of the union (--force "
						"asks for a new one)\n",
					(long long)id, args[3], out.kind, out.value);
			doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "group",
					(json_int_t)id, "channel", g->channel, "member", g->owner_ext,
					"union", args[3], "kind", out.kind, "value", out.value,
					"registered", out.registered, "requests", out.requests);
			snprintf(replaced, sizeof(replaced), "%s", out.replaced);
		}
	}
	if (trc) {
		rc = cli_fail(&err);
	} else {
		if (doc && replaced[0])
			json_object_set_new(doc, "previous_member", json_string(replaced));
		cli_print_json(doc);
	}
	engine_close(e);
	free(g);
	return rc;
}

int cmd_group(int argc, char **argv)
{
	static const char *const vals[] = {"--settings", "--member", "--state", "--limit",
					   "--before", "--name", "--sign-secret", "--chat-id",
					   "--config", NULL};
	static const char *const flags[] = {"--json", "--force", NULL};
	char *args[6];
	if (!cli_known_opts(argc, argv, vals, flags))
		return group_usage();
	int n = cli_args(argc, argv, vals, args, 6);
	if (n < 1)
		return group_usage();
	const char *c = args[0];
	if (strcmp(c, "add") == 0 && n == 4)
		return group_add(argc, argv, args);
	if (strcmp(c, "list") == 0 && n == 1)
		return group_list(argc, argv);
	if (strcmp(c, "tag") == 0 && n >= 4)
		return group_tag(argc, argv, args, n);
	if ((strcmp(c, "show") == 0 || strcmp(c, "set") == 0 || strcmp(c, "pause") == 0 ||
	     strcmp(c, "resume") == 0 || strcmp(c, "archive") == 0) &&
	    n == 2)
		return group_one(argc, argv, args, n);
	if (strcmp(c, "secret") == 0 && n == 3)
		return group_one(argc, argv, args, n);
	return group_usage();
}

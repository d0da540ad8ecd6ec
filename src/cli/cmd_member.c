/* cmd_member.c — `tuike member add | import | set-level | show`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void print_reject(void *ctx, const struct tk_error *err)
{
	(void)ctx;
	char buf[1024];
	tk_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "%s\n", buf);
}

static json_t *member_json(struct engine *e, const struct member_rec *m)
{
	char code[16];
	struct member_rec parent = {0};
	struct tk_error err;
	if (m->parent)
		engine_store(e)->ops->member_get_id(engine_store(e), m->parent, &parent, &err);
	engine_invite_code(m->id, code);
	return json_pack("{s:s, s:s?, s:s, s:s, s:i, s:I, s:I, s:s}", "id", m->ext, "parent",
			 m->parent ? parent.ext : NULL, "level", m->level, "name", m->name, "depth",
			 (int)m->depth, "direct_count", (json_int_t)m->direct_count, "team_count",
			 (json_int_t)m->team_count, "invite_code", code);
}

int cmd_member(int argc, char **argv)
{
	static const char usage[] =
		"member add ID [--parent ID] [--level KEY] [--name TEXT] | member import FILE | "
		"member set-level ID KEY | member show ID [--json]";
	static const char *const vals[] = {"--parent", "--level", "--name", NULL};
	char *args[4];
	int n = cli_args(argc, argv, vals, args, 4);
	struct tk_error err = {0};
	struct engine *e;
	struct member_rec m;
	int rc;
	if (n < 2)
		return cli_usage(usage);
	const char *sub = args[0];
	if (!((strcmp(sub, "add") == 0 && n == 2) || (strcmp(sub, "import") == 0 && n == 2) ||
	      (strcmp(sub, "set-level") == 0 && n == 3) || (strcmp(sub, "show") == 0 && n == 2)))
		return cli_usage(usage);
	FILE *in = NULL;
	if (strcmp(sub, "import") == 0) {
		in = strcmp(args[1], "-") == 0 ? stdin : fopen(args[1], "r");
		if (!in) {
			fprintf(stderr, "tuike: cannot open \"%s\"\n", args[1]);
			return CLI_EXIT_FAIL;
		}
	}
	if ((rc = cli_open(argc, argv, &e))) {
		if (in && in != stdin)
			fclose(in);
		return rc;
	}
	if (strcmp(sub, "add") == 0) {
		if (engine_member_add(e, args[1], cli_opt(argc, argv, "--parent"),
				      cli_opt(argc, argv, "--level"), cli_opt(argc, argv, "--name"), &m,
				      &err))
			rc = cli_fail(&err);
		else
			cli_print_json(member_json(e, &m));
	} else if (strcmp(sub, "import") == 0) {
		struct import_stats s;
		if (engine_member_import(e, in, args[1], &s, print_reject, NULL, &err)) {
			rc = cli_fail(&err);
		} else {
			cli_print_json(json_pack("{s:I, s:I, s:I, s:I}", "read", (json_int_t)s.read,
						 "applied", (json_int_t)s.applied, "unchanged",
						 (json_int_t)s.unchanged, "rejected",
						 (json_int_t)s.rejected));
			rc = s.rejected ? CLI_EXIT_USAGE : CLI_EXIT_OK;
		}
		if (in != stdin)
			fclose(in);
	} else if (strcmp(sub, "set-level") == 0) {
		if (engine_member_set_level(e, args[1], args[2], &err))
			rc = cli_fail(&err);
		else
			printf("%s is now %s\n", args[1], args[2]);
	} else {
		if (engine_member_get(e, args[1], &m, &err)) {
			rc = cli_fail(&err);
		} else if (cli_flag(argc, argv, "--json")) {
			cli_print_json(member_json(e, &m));
		} else {
			char code[16];
			engine_invite_code(m.id, code);
			printf("%s  level %s  depth %d  direct %lld  team %lld  invite %s\n", m.ext,
			       m.level, m.depth, (long long)m.direct_count, (long long)m.team_count,
			       code);
		}
	}
	engine_close(e);
	return rc;
}

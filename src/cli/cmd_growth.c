/* cmd_growth.c — `tuike member register | move | moves | team | path`,
 * `tuike levels evaluate | history` and `tuike report compliance`.
 * Other `member` and `report` subcommands go on to cmd_member.c and
 * cmd_report.c.  The JSON documents are growth_json.c's, as in the API. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/money.h"
#include "core/tktime.h"
#include "engine/growth.h"
#include "engine/growth_json.h"

static const char *const value_opts[] = {"--invite", "--name", "--to", "--by", "--reason",
					 "--sort", "--limit", "--offset", "--parent", "--level",
					 NULL};

static const char member_usage[] =
	"member register ID --invite CODE|LINK [--name TEXT] | "
	"member move ID (--to ID | --root) --by WHO --reason TEXT | member moves [ID] [--json] | "
	"member team ID [--all] [--sort team|direct|joined|gmv] [--asc] [--limit N] "
	"[--offset N] [--json] | member path ID [--json]";

static const char *parent_ext(struct engine *e, const struct member_rec *m, char buf[ORDER_KEY_MAX])
{
	struct member_rec p;
	struct tk_error err;
	buf[0] = '\0';
	if (m->parent && engine_store(e)->ops->member_get_id(engine_store(e), m->parent, &p,
							     &err) == TK_OK)
		snprintf(buf, ORDER_KEY_MAX, "%s", p.ext);
	return buf;
}

static int member_register(struct engine *e, int argc, char **argv, const char *ext)
{
	struct member_rec m;
	struct tk_error err = {0};
	char parent[ORDER_KEY_MAX];
	if (engine_member_register(e, ext, cli_opt(argc, argv, "--invite"),
				   cli_opt(argc, argv, "--name"), &m, &err))
		return cli_fail(&err);
	cli_print_json(growth_member_json(&m, parent_ext(e, &m, parent)));
	return CLI_EXIT_OK;
}

static int member_move(struct engine *e, int argc, char **argv, const char *ext)
{
	struct member_move_rec mv;
	struct tk_error err = {0};
	const char *to = cli_opt(argc, argv, "--to");
	bool root = cli_flag(argc, argv, "--root");
	if ((to != NULL) == root)
		return cli_usage("member move ID (--to ID | --root) --by WHO --reason TEXT");
	if (engine_member_move(e, ext, root ? NULL : to, cli_opt(argc, argv, "--by"),
			       cli_opt(argc, argv, "--reason"), &mv, &err))
		return cli_fail(&err);
	cli_print_json(growth_move_json(&mv));
	return CLI_EXIT_OK;
}

struct json_list {
	json_t *a;
	bool text;
};

static bool move_cb(void *ctx, const struct member_move_rec *m)
{
	struct json_list *l = ctx;
	if (l->text) {
		char at[TKTIME_BUF];
		printf("%s  %s -> %s  by %s: %s\n",
		       tktime_format_iso8601(m->at, TKTIME_BEIJING_OFFSET, at), m->member_ext,
		       m->to_ext[0] ? m->to_ext : "(root)", m->by, m->reason);
		return true;
	}
	return json_array_append_new(l->a, growth_move_json(m)) == 0;
}

static bool history_cb(void *ctx, const struct level_change_rec *c)
{
	struct json_list *l = ctx;
	if (l->text) {
		char at[TKTIME_BUF];
		printf("%s  %s  %s -> %s  (%s)\n",
		       tktime_format_iso8601(c->at, TKTIME_BEIJING_OFFSET, at), c->member_ext,
		       c->from[0] ? c->from : "(created)", c->to, c->rule);
		return true;
	}
	return json_array_append_new(l->a, growth_level_change_json(c)) == 0;
}

static bool path_cb(void *ctx, const struct member_rec *m)
{
	struct json_list *l = ctx;
	if (l->text) {
		printf("%s  level %s  depth %d  direct %lld  team %lld\n", m->ext, m->level,
		       m->depth, (long long)m->direct_count, (long long)m->team_count);
		return true;
	}
	json_t *o = json_pack("{s:s, s:s, s:i, s:I, s:I}", "id", m->ext, "level", m->level,
			      "depth", (int)m->depth, "direct_count", (json_int_t)m->direct_count,
			      "team_count", (json_int_t)m->team_count);
	return json_array_append_new(l->a, o) == 0;
}

static bool team_cb(void *ctx, const struct team_row *r)
{
	struct json_list *l = ctx;
	if (l->text) {
		char y[MONEY_YUAN_BUF];
		printf("  %-20s %-10s direct %-6lld team %-8lld team GMV this month %s\n", r->m.ext,
		       r->m.level, (long long)r->m.direct_count, (long long)r->m.team_count,
		       money_format_yuan(r->team_gmv_month, y));
		return true;
	}
	return json_array_append_new(l->a, growth_team_row_json(r)) == 0;
}

static bool parse_count(const char *what, const char *s, int64_t dflt, int64_t *out)
{
	*out = dflt;
	return !s || cli_parse_i64(what, s, out);
}

static int member_team(struct engine *e, int argc, char **argv, const char *ext)
{
	struct tk_error err = {0};
	struct team_query q = {0};
	static struct team_stats st;
	const char *sort = cli_opt(argc, argv, "--sort");
	bool json = cli_flag(argc, argv, "--json");
	if (sort && !growth_team_sort_parse(sort, &q.sort)) {
		fprintf(stderr, "tuike: --sort must be team, direct, joined or gmv, got \"%s\"\n",
			sort);
		return CLI_EXIT_USAGE;
	}
	if (!parse_count("--limit", cli_opt(argc, argv, "--limit"), 50, &q.limit) ||
	    !parse_count("--offset", cli_opt(argc, argv, "--offset"), 0, &q.offset))
		return CLI_EXIT_USAGE;
	q.whole = cli_flag(argc, argv, "--all");
	q.ascending = cli_flag(argc, argv, "--asc");
	if (engine_team_stats(e, ext, &st, &err))
		return cli_fail(&err);
	struct json_list l = {json_array(), !json};
	if (!json) {
		char y[2][MONEY_YUAN_BUF];
		printf("%s  level %s  direct %lld  team %lld\n", st.m.ext, st.m.level,
		       (long long)st.m.direct_count, (long long)st.m.team_count);
		for (int k = 0; k < 2; k++)
			printf("  %s: team GMV %s, team commission %s (yuan)\n",
			       k ? st.last_month : st.month, money_format_yuan(st.team_gmv[k], y[0]),
			       money_format_yuan(st.team_commission[k], y[1]));
		for (int i = 0; i < st.n_levels; i++)
			printf("  %-10s direct %lld  team %lld\n", st.levels[i].key,
			       (long long)st.levels[i].direct, (long long)st.levels[i].team);
	}
	if (engine_team_list(e, ext, &q, team_cb, &l, &err)) {
		json_decref(l.a);
		return cli_fail(&err);
	}
	if (json)
		cli_print_json(json_pack("{s:o, s:s, s:s, s:b, s:I, s:I, s:I, s:o}", "stats",
					 growth_team_stats_json(&st), "scope",
					 q.whole ? "team" : "direct", "sort",
					 sort ? sort : "team", "ascending", q.ascending, "total",
					 (json_int_t)(q.whole ? st.m.team_count : st.m.direct_count),
					 "offset", (json_int_t)q.offset, "limit", (json_int_t)q.limit,
					 "members", l.a));
	else
		json_decref(l.a);
	return CLI_EXIT_OK;
}

int cmd_growth_member(int argc, char **argv)
{
	char *args[3];
	int n = cli_args(argc, argv, value_opts, args, 3);
	const char *sub = n > 0 ? args[0] : "";
	if (strcmp(sub, "quota") == 0)
		return cmd_member_quota(argc, argv);
	bool moves = strcmp(sub, "moves") == 0;
	if (strcmp(sub, "register") != 0 && strcmp(sub, "move") != 0 && !moves &&
	    strcmp(sub, "team") != 0 && strcmp(sub, "path") != 0)
		return cmd_member(argc, argv);
	if (moves ? n > 2 : n != 2)
		return cli_usage(member_usage);
	struct engine *e;
	struct tk_error err = {0};
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (strcmp(sub, "register") == 0) {
		rc = member_register(e, argc, argv, args[1]);
	} else if (strcmp(sub, "move") == 0) {
		rc = member_move(e, argc, argv, args[1]);
	} else if (strcmp(sub, "team") == 0) {
		rc = member_team(e, argc, argv, args[1]);
	} else {
		struct json_list l = {json_array(), !cli_flag(argc, argv, "--json")};
		enum tk_rc r = moves ? engine_member_moves(e, n > 1 ? args[1] : NULL, move_cb, &l, &err)
				     : engine_member_path(e, args[1], path_cb, &l, &err);
		if (r) {
			json_decref(l.a);
			rc = cli_fail(&err);
		} else if (!l.text) {
			cli_print_json(l.a);
		} else {
			json_decref(l.a);
		}
	}
	engine_close(e);
	return rc;
}

int cmd_levels(int argc, char **argv)
{
	static const char usage[] = "levels evaluate [ID...] [--review] [--json] | "
				    "levels history [ID] [--json]";
	char *args[64];
	int n = cli_args(argc, argv, NULL, args, 64);
	if (n < 1 || n > 64 || (strcmp(args[0], "evaluate") != 0 && strcmp(args[0], "history") != 0) ||
	    (strcmp(args[0], "history") == 0 && n > 2))
		return cli_usage(usage);
	struct engine *e;
	struct tk_error err = {0};
	bool json = cli_flag(argc, argv, "--json");
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (strcmp(args[0], "history") == 0) {
		struct json_list l = {json_array(), !json};
		if (engine_level_history(e, n > 1 ? args[1] : NULL, history_cb, &l, &err)) {
			json_decref(l.a);
			rc = cli_fail(&err);
		} else if (json) {
			cli_print_json(l.a);
		} else {
			json_decref(l.a);
		}
	} else {
		struct growth_eval_stats s;
		bool review = cli_flag(argc, argv, "--review");
		enum tk_rc r;
		if (n > 1 && review) {
			engine_close(e);
			return cli_usage("levels evaluate --review reviews every member; name none");
		}
		r = n > 1 ? engine_levels_evaluate_members(e, (const char *const *)args + 1, n - 1,
							   &s, &err)
			  : engine_levels_evaluate(e, review, &s, &err);
		if (r)
			rc = cli_fail(&err);
		else if (json)
			cli_print_json(growth_eval_stats_json(&s));
		else
			printf("levels: %lld evaluated (%s), %lld upgraded, %lld downgraded\n",
			       (long long)s.evaluated, s.bulk ? "whole tree" : "incremental",
			       (long long)s.upgraded, (long long)s.downgraded);
	}
	engine_close(e);
	return rc;
}

static void print_compliance(const struct compliance_report *r)
{
	const struct compliance_figures *f = &r->f;
	char y[4][MONEY_YUAN_BUF];
	int64_t sales = f->ordinary_by_tier[0];
	int64_t upline = f->ordinary_by_tier[1] + f->ordinary_by_tier[2];
	int64_t packs = f->pack_by_tier[0] + f->pack_by_tier[1] + f->pack_by_tier[2];
	int64_t income = sales + upline + packs;
	printf("members %lld (roots %lld), tree depth max %lld\n", (long long)f->members,
	       (long long)f->roots, (long long)f->max_depth);
	printf("members' income %s yuan: own and customers' purchases %s, uplines' tiers %s, "
	       "gift-pack margins %s\n",
	       money_format_yuan(income, y[0]), money_format_yuan(sales, y[1]),
	       money_format_yuan(upline, y[2]), money_format_yuan(packs, y[3]));
	printf("earners %lld, from recruitment only %lld, without own sales %lld\n",
	       (long long)f->earners, (long long)f->earners_pack_only,
	       (long long)f->earners_upline_only);
	printf("sales %s yuan, gift packs %s yuan\n", money_format_yuan(f->gmv, y[0]),
	       money_format_yuan(f->pack_sales, y[1]));
	for (int i = 0; i < r->n_checks; i++)
		printf("  %-7s %-30s %s\n", r->checks[i].warning ? "WARNING" : "ok",
		       r->checks[i].name, r->checks[i].message);
}

int cmd_growth_report(int argc, char **argv)
{
	char *args[2];
	int n = cli_args(argc, argv, NULL, args, 2);
	if (n < 1 || strcmp(args[0], "compliance") != 0)
		return cmd_report(argc, argv);
	if (n != 1)
		return cli_usage("report compliance [--json]");
	struct engine *e;
	struct tk_error err = {0};
	static struct compliance_report r;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (engine_compliance_report(e, &r, &err))
		rc = cli_fail(&err);
	else if (cli_flag(argc, argv, "--json"))
		cli_print_json(growth_compliance_json(&r));
	else
		print_compliance(&r);
	engine_close(e);
	return rc;
}

/* cmd_actions.c — `tuike actions`: the action log, newest first, as a
 * table or JSON Lines, filtered by day range, actor, kind and subject; and
 * `tuike actions export`: the same entries as CSV (the API's). */
#include <stdio.h>
#include <string.h>

#include "actions/actions.h"
#include "cli/cli.h"
#include "core/tktime.h"
#include "groups/group_report.h"

#define ACTIONS_LIST_DEFAULT 50

static int usage(void)
{
	return cli_usage("actions [export] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--actor WHO] "
			 "[--what KIND] [--subject S] [--limit N] [--json]");
}

struct print_ctx {
	bool json;
	struct group_csv *csv;
	int64_t n;
};

static bool print_row(void *ctx, const struct action_rec *a)
{
	struct print_ctx *p = ctx;
	p->n++;
	if (p->csv) {
		actions_csv_row(p->csv, a);
		if (!p->csv->failed) /* written as it comes: the export is not held */
			fwrite(p->csv->b.s, 1, p->csv->b.len, stdout);
		p->csv->b.len = 0;
		return !p->csv->failed;
	}
	if (p->json) {
		cli_print_json(actions_doc(a));
		return true;
	}
	char at[TKTIME_BUF];
	tktime_format_iso8601(a->at, TKTIME_BEIJING_OFFSET, at);
	printf("%-6lld %s  %-24s %-20s %-18s %s -> %s%s%s\n", (long long)a->id, at, a->actor,
	       a->what, a->subject, a->before, a->after, a->reason[0] ? "  reason: " : "",
	       a->reason);
	return true;
}

int cmd_actions(int argc, char **argv)
{
	static const char *const vals[] = {"--from", "--to", "--actor", "--what", "--subject",
					   "--limit", NULL};
	static const char *const flags[] = {"--json", NULL};
	char *args[2];
	int n = cli_args(argc, argv, vals, args, 2);
	if (!cli_known_opts(argc, argv, vals, flags) || n > 1 ||
	    (n == 1 && strcmp(args[0], "export") != 0))
		return usage();
	bool export = n == 1;
	struct action_filter f = {.actor = cli_opt(argc, argv, "--actor"),
				  .what = cli_opt(argc, argv, "--what"),
				  .subject = cli_opt(argc, argv, "--subject")};
	const char *from = cli_opt(argc, argv, "--from"), *to = cli_opt(argc, argv, "--to");
	const char *lim = cli_opt(argc, argv, "--limit");
	int64_t day, limit = export ? 0 : ACTIONS_LIST_DEFAULT;
	if (from) {
		if (!group_report_parse_day(from, &day)) {
			fprintf(stderr, "tuike: --from: must be a date YYYY-MM-DD, got \"%s\"\n", from);
			return CLI_EXIT_USAGE;
		}
		f.from = day * 86400 - TKTIME_BEIJING_OFFSET;
		if (f.from <= 0)
			f.from = 1;
	}
	if (to) {
		if (!group_report_parse_day(to, &day)) {
			fprintf(stderr, "tuike: --to: must be a date YYYY-MM-DD, got \"%s\"\n", to);
			return CLI_EXIT_USAGE;
		}
		f.to = (day + 1) * 86400 - TKTIME_BEIJING_OFFSET - 1;
	}
	if (lim && (!cli_parse_i64("--limit", lim, &limit) || limit < 1)) {
		fprintf(stderr, "tuike: --limit: must be at least 1\n");
		return CLI_EXIT_USAGE;
	}
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct group_csv csv = {0};
	struct print_ctx p = {.json = cli_flag(argc, argv, "--json"), .csv = export ? &csv : NULL};
	if (export) {
		actions_csv_header(&csv);
		if (!csv.failed)
			fwrite(csv.b.s, 1, csv.b.len, stdout);
		csv.b.len = 0;
	}
	struct tk_error err = {0};
	if (actions_list(engine_store(e), &f, limit, print_row, &p, &err))
		rc = cli_fail(&err);
	else if (csv.failed)
		rc = CLI_EXIT_FAIL, fprintf(stderr, "tuike: out of memory writing the export\n");
	textbuf_free(&csv.b);
	engine_close(e);
	return rc;
}

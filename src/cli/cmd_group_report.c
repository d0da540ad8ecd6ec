/* cmd_group_report.c — `tuike report groups`: results per chat group over
 * a range of Beijing days, per group (default), day, send or owner member,
 * as JSON or CSV (the API's /api/v1/reports/groups gives the same). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "groups/group_report.h"
#include "groups/groups.h"

static int usage(void)
{
	return cli_usage("report groups [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--group ID] "
			 "[--member ID] [--by group|day|send|member] [--dormant-days N] [--csv]");
}

int cmd_report_groups(int argc, char **argv)
{
	static const char *const vals[] = {"--from", "--to", "--group", "--member", "--by",
					   "--dormant-days", NULL};
	static const char *const flags[] = {"--csv", "--json", NULL};
	char *args[2];
	if (!cli_known_opts(argc, argv, vals, flags) || cli_args(argc, argv, vals, args, 2) != 1)
		return usage();
	const char *from = cli_opt(argc, argv, "--from"), *to = cli_opt(argc, argv, "--to");
	const char *grp = cli_opt(argc, argv, "--group"), *member = cli_opt(argc, argv, "--member");
	const char *by_s = cli_opt(argc, argv, "--by"), *dd = cli_opt(argc, argv, "--dormant-days");
	struct group_report_req q = {0};
	enum group_report_by by = GROUP_BY_GROUP;
	int64_t v;
	q.to = tktime_day(engine_now(), TKTIME_BEIJING_OFFSET);
	if (to && !group_report_parse_day(to, &q.to)) {
		fprintf(stderr, "tuike: --to: must be a date YYYY-MM-DD, got \"%s\"\n", to);
		return usage();
	}
	q.from = q.to - 29;
	if (from && !group_report_parse_day(from, &q.from)) {
		fprintf(stderr, "tuike: --from: must be a date YYYY-MM-DD, got \"%s\"\n", from);
		return usage();
	}
	if (by_s && !group_report_by_parse(by_s, &by)) {
		fprintf(stderr, "tuike: --by: must be group, day, send or member, got \"%s\"\n", by_s);
		return usage();
	}
	if (grp && (!cli_parse_i64("--group", grp, &q.grp) || q.grp <= 0))
		return usage();
	if (dd) {
		if (!cli_parse_i64("--dormant-days", dd, &v) || v < 1 || v > GROUP_DORMANT_DAYS_MAX) {
			fprintf(stderr, "tuike: --dormant-days: must be 1..%d\n",
				GROUP_DORMANT_DAYS_MAX);
			return usage();
		}
		q.dormant_days = (int)v;
	}
	struct tk_error err = {0};
	struct engine *e = NULL;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	json_t *doc = NULL;
	char *text = NULL;
	size_t len = 0;
	bool csv = cli_flag(argc, argv, "--csv");
	if ((member && groups_owner_id(st, member, &q.owner, &err)) ||
	    group_report_render(st, &q, by, csv, &doc, &text, &len, &err)) {
		rc = cli_fail(&err);
	} else if (csv) {
		fwrite(text, 1, len, stdout);
	} else {
		cli_print_json(doc);
	}
	free(text);
	engine_close(e);
	return rc;
}

/* cmd_campaign_orders.c — `tuike campaign rematch [--since T] [--json]`:
 * links the head's campaign orders whose campaign or partner channel was
 * registered after their rows came (engine/campaign_orders.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "engine/campaign_orders.h"

static int campaign_rematch(int argc, char **argv)
{
	struct tk_error err = {0};
	int64_t since = 0, linked = 0;
	const char *s = cli_opt(argc, argv, "--since");
	if (s && !tktime_parse_iso8601(s, &since)) {
		fprintf(stderr, "tuike: --since: must be ISO 8601 with an offset, got \"%s\"\n", s);
		return CLI_EXIT_USAGE;
	}
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (engine_campaign_rematch(e, since, &linked, &err))
		rc = cli_fail(&err);
	else if (cli_flag(argc, argv, "--json"))
		cli_print_json(json_pack("{s:I}", "linked", (json_int_t)linked));
	else
		printf("%lld campaign orders linked\n", (long long)linked);
	engine_close(e);
	return rc;
}

int cmd_campaign_rematch(int argc, char **argv)
{
	static const char *const vals[] = {"--since", NULL};
	char *args[1];
	int n = cli_args(argc, argv, vals, args, 1);
	if (n == 1 && strcmp(args[0], "rematch") == 0)
		return campaign_rematch(argc, argv);
	return cli_usage("campaign rematch [--since ISO8601] [--json]");
}

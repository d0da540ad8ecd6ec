/* cmd_feeds.c — `tuike tag` and `tuike sync`: union tags and order sync. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_tag(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tuike: tag is not available yet\n");
	return CLI_EXIT_FAIL;
}

int cmd_sync(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tuike: sync is not available yet\n");
	return CLI_EXIT_FAIL;
}

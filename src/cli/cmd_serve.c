/* cmd_serve.c — `tuike serve` and `tuike apikey`: the HTTP server. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tuike: serve is not available yet\n");
	return CLI_EXIT_FAIL;
}

int cmd_apikey(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tuike: apikey is not available yet\n");
	return CLI_EXIT_FAIL;
}

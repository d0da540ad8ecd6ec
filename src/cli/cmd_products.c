/* cmd_products.c — `tuike products` and `tuike copy`: the product library. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_products(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tuike: products is not available yet\n");
	return CLI_EXIT_FAIL;
}

int cmd_copy(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "tuike: copy is not available yet\n");
	return CLI_EXIT_FAIL;
}

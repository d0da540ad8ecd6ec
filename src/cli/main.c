/* main.c — `tuike COMMAND ...`: finds the command and runs it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{"init", cmd_init, "create or migrate the database"},
	{"plan", cmd_plan, "set FILE | show [--json]: the commission plan"},
	{"member", cmd_growth_member,
	 "add | import | set-level | show | register | move | moves | team | path | quota: members"},
	{"levels", cmd_levels, "evaluate [ID...] [--review] | history [ID]: level upgrades"},
	{"orders", cmd_orders, "import FILE [--format jsonl|csv|jd|taobao|taobao-refund|pdd] | reattribute [--since T] [--dry-run]"},
	{"order", cmd_order, "show UNION ITEM --json: an item and its splits"},
	{"settle", cmd_settle, "[--now ISO8601]: release frozen money past its hold"},
	{"balance", cmd_balance, "ID --json: a member's balances"},
	{"withdraw", cmd_withdraw, "request ID AMOUNT | approve|paid|reject WID | export"},
	{"report", cmd_growth_report, "totals --json | compliance [--json] | groups [--from D --to D] [--group G] [--by day|send|member] [--csv]"},
	{"audit", cmd_audit, "[--json]: check every ledger invariant"},
	{"demo", cmd_demo, "generate --members N --out DIR: a realistic dataset"},
	{"channel", cmd_channel, "add NAME KIND | list | show|set|history ID | id|unid ID UNION KIND VALUE | match CAMPAIGN_ITEM | suits CHANNEL: the head's partner channels"},
	{"group", cmd_group, "add MEMBER KIND NAME | list | show|set|secret|pause|resume|archive ID | tag ID ...: chat groups"},
	{"merchant", cmd_merchant, "add NAME | list | show|set ID | shop|unshop ID UNION SHOP: the promotion head's merchants"},
	{"campaign", cmd_campaign, "add MERCHANT UNION NAME --promote FROM..TO | list | show|status|item|items|slot ID ... | collect|waive SLOT | rematch [--since T]: campaigns, products, slot fees, campaign orders"},
	{"push", cmd_push, "plan [--from T] [--to T] | run [--once] [--simulate --from T --until T] | now|preview GROUP | requeue JOB: sending offers to groups"},
	{"tag", cmd_tag, "set MEMBER UNION KIND VALUE | register MEMBER UNION [KIND] | list: union tags"},
	{"sync", cmd_sync, "jd|taobao|pdd [--since ISO8601] [--every 60s]: pull union orders"},
	{"products", cmd_products,
	 "import | search | top | show | categories | generate | template | weights: the product "
	 "library (docs/catalog.md)"},
	{"copy", cmd_copy, "UNION PRODUCT [--template NAME] [--member ID]: copy text"},
	{"serve", cmd_serve, "[--listen ADDR:PORT] [--web DIR|off]: the HTTP API, the web console, link redirects"},
	{"apikey", cmd_apikey,
	 "create NAME [--role ROLE] | list | role ID ROLE | revoke ID: operator API keys and their "
	 "roles"},
	{"actions", cmd_actions, "[export] [--from D] [--to D] [--actor WHO] [--what KIND] [--subject S] [--json]: the action log"},
	{"statement", cmd_statements, "generate MONTH [--merchant ID] | list | show|send|confirm|reopen ID | invoice ID NUMBER | export ID --format csv|xlsx --out FILE: merchants' monthly statements"},
	{"link", cmd_link, "create MEMBER --url URL | --product UNION:ID | import FILE | revoke CODE | convert UNION MATERIAL --member ID | allow add|remove|list | check: tracking links, union promotion links"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tuike COMMAND [ARGS] [--db PATH]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nThe database is --db PATH, else $TUIKE_DB, else ./tuike.db. "
		   "--reason TEXT says why, in the action log.\n"
		   "Money is integer fen everywhere.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		/* "tuike serve --help" must not start a server */
		for (int a = 2; a < argc && strcmp(argv[a], "--") != 0; a++)
			if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
				printf("tuike %s %s\n", commands[i].name, commands[i].help);
				return CLI_EXIT_OK;
			}
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "tuike: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}

/* cmd_report.c — `tuike report totals` and `tuike audit` (`report groups`
 * is cmd_group_report.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/money.h"

int cmd_report(int argc, char **argv)
{
	char *args[1];
	if (argc > 1 && strcmp(argv[1], "groups") == 0)
		return cmd_report_groups(argc, argv);
	if (cli_args(argc, argv, NULL, args, 1) != 1 || strcmp(args[0], "totals") != 0)
		return cli_usage("report totals [--json] | groups [...]");
	struct engine *e;
	struct tk_error err = {0};
	struct report_totals t;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (engine_report_totals(e, &t, &err)) {
		rc = cli_fail(&err);
	} else if (cli_flag(argc, argv, "--json")) {
		cli_print_json(json_pack(
			"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "items", (json_int_t)t.items, "gmv",
			(json_int_t)t.gmv, "commission", (json_int_t)t.commission, "members_share",
			(json_int_t)t.members_share, "platform_share", (json_int_t)t.platform_share,
			"unattributed_items", (json_int_t)t.unattributed_items,
			"unattributed_commission", (json_int_t)t.unattributed_commission,
			"invalid_items", (json_int_t)t.invalid_items));
	} else {
		char y[4][MONEY_YUAN_BUF];
		printf("items %lld (invalid %lld, unattributed %lld)\n", (long long)t.items,
		       (long long)t.invalid_items, (long long)t.unattributed_items);
		printf("GMV %s  commission %s  members %s  platform %s (yuan)\n",
		       money_format_yuan(t.gmv, y[0]), money_format_yuan(t.commission, y[1]),
		       money_format_yuan(t.members_share, y[2]),
		       money_format_yuan(t.platform_share, y[3]));
	}
	engine_close(e);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	char *args[1];
	if (cli_args(argc, argv, NULL, args, 1) != 0)
		return cli_usage("audit [--json]");
	struct engine *e;
	struct tk_error err = {0};
	static struct audit_report r;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (engine_audit(e, &r, &err)) {
		engine_close(e);
		return cli_fail(&err);
	}
	engine_close(e);
	if (cli_flag(argc, argv, "--json")) {
		json_t *f = json_array();
		for (int i = 0; i < r.n_findings; i++)
			json_array_append_new(f, json_string(r.findings[i]));
		cli_print_json(json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "ok",
					 r.n_failed == 0, "transfers", (json_int_t)r.transfers,
					 "accounts", (json_int_t)r.accounts, "items",
					 (json_int_t)r.items, "withdrawals", (json_int_t)r.withdrawals,
					 "total", (json_int_t)r.total, "failed",
					 (json_int_t)r.n_failed, "findings", f));
	} else {
		printf("audit: %lld transfers, %lld accounts, %lld items, %lld withdrawals\n",
		       (long long)r.transfers, (long long)r.accounts, (long long)r.items,
		       (long long)r.withdrawals);
		for (int i = 0; i < r.n_findings; i++)
			printf("  FAIL %s\n", r.findings[i]);
		if (r.n_failed > r.n_findings)
			printf("  ... and %lld more\n", (long long)(r.n_failed - r.n_findings));
		printf(r.n_failed ? "audit: %lld invariant violations\n"
				  : "audit: every invariant holds%.0lld\n",
		       (long long)r.n_failed);
	}
	return r.n_failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* cmd_money.c — `tuike settle`, `tuike balance` and `tuike withdraw`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/money.h"
#include "core/tktime.h"

int cmd_settle(int argc, char **argv)
{
	static const char *const vals[] = {"--now", NULL};
	char *args[1];
	if (cli_args(argc, argv, vals, args, 1) != 0)
		return cli_usage("settle [--now ISO8601]");
	int64_t now = engine_now();
	const char *s = cli_opt(argc, argv, "--now");
	if (s && !tktime_parse_iso8601(s, &now)) {
		fprintf(stderr, "tuike: --now: must be ISO 8601 with an offset, got \"%s\"\n", s);
		return CLI_EXIT_USAGE;
	}
	/* a --now later than the clock is refused by engine_settle (exit 2) */
	struct engine *e;
	struct tk_error err = {0};
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	int64_t items, fen;
	if (engine_settle(e, now, &items, &fen, &err))
		rc = cli_fail(&err);
	else
		cli_print_json(json_pack("{s:I, s:I}", "released_items", (json_int_t)items,
					 "released", (json_int_t)fen));
	engine_close(e);
	return rc;
}

int cmd_balance(int argc, char **argv)
{
	char *args[1];
	if (cli_args(argc, argv, NULL, args, 1) != 1)
		return cli_usage("balance ID [--json]");
	struct engine *e;
	struct tk_error err = {0};
	struct balance b;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (engine_balance(e, args[0], &b, &err)) {
		rc = cli_fail(&err);
	} else if (cli_flag(argc, argv, "--json")) {
		cli_print_json(json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "member", args[0],
					 "pending", (json_int_t)b.pending, "frozen",
					 (json_int_t)b.frozen, "available", (json_int_t)b.available,
					 "withdrawing", (json_int_t)b.withdrawing, "paid",
					 (json_int_t)b.paid));
	} else {
		char y[5][MONEY_YUAN_BUF];
		printf("%s  pending %s  frozen %s  available %s  withdrawing %s  paid %s (yuan)\n",
		       args[0], money_format_yuan(b.pending, y[0]), money_format_yuan(b.frozen, y[1]),
		       money_format_yuan(b.available, y[2]), money_format_yuan(b.withdrawing, y[3]),
		       money_format_yuan(b.paid, y[4]));
	}
	engine_close(e);
	return rc;
}

static json_t *withdrawal_json(const char *member, const struct withdrawal_rec *w)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)w->id,
			 "member", member, "amount", (json_int_t)w->amount, "fee",
			 (json_int_t)w->fee, "net", (json_int_t)(w->amount - w->fee), "method",
			 w->method, "payee", w->payee, "status", wd_status_name(w->status));
}

int cmd_withdraw(int argc, char **argv)
{
	static const char usage[] =
		"withdraw request ID AMOUNT [--method alipay|wechat|bank] [--account TEXT] "
		"[--payee NAME] | withdraw approve|paid|reject WID";
	static const char *const vals[] = {"--method", "--account", "--payee", NULL};
	char *args[4];
	int n = cli_args(argc, argv, vals, args, 4);
	struct engine *e;
	struct tk_error err = {0};
	struct withdrawal_rec w;
	int64_t num;
	int rc;
	if (n < 2)
		return cli_usage(usage);
	if (strcmp(args[0], "request") == 0 && n == 3) {
		if (!cli_parse_i64("AMOUNT (fen)", args[2], &num))
			return CLI_EXIT_USAGE;
		if ((rc = cli_open(argc, argv, &e)))
			return rc;
		if (engine_withdraw_request_to(e, args[1], num, cli_opt(argc, argv, "--method"),
					       cli_opt(argc, argv, "--account"),
					       cli_opt(argc, argv, "--payee"), &w, &err))
			rc = cli_fail(&err);
		else if (cli_flag(argc, argv, "--json"))
			cli_print_json(withdrawal_json(args[1], &w));
		else
			printf("%lld\n", (long long)w.id);
		engine_close(e);
		return rc;
	}
	enum wd_action action;
	if (strcmp(args[0], "approve") == 0)
		action = WD_APPROVE;
	else if (strcmp(args[0], "paid") == 0)
		action = WD_PAY;
	else if (strcmp(args[0], "reject") == 0)
		action = WD_REJECT;
	else
		return cli_usage(usage);
	if (n != 2 || !cli_parse_i64("WID", args[1], &num))
		return cli_usage(usage);
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	if (engine_withdraw_decide(e, num, action, &w, &err))
		rc = cli_fail(&err);
	else
		printf("withdrawal %lld is %s\n", (long long)w.id, wd_status_name(w.status));
	engine_close(e);
	return rc;
}

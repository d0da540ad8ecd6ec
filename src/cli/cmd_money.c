/* cmd_money.c — `tuike settle`, `tuike balance` and `tuike withdraw`
 * (requests, decisions and the payout file). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/money.h"
#include "core/tktime.h"
#include "engine/payout.h"

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

/* Writes the whole of text to path, owner-only (0600) whatever the umask:
 * a payout file holds members' names and accounts.  A file already there
 * is replaced and made 0600 too. */
static int write_private(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		fprintf(stderr, "tuike: --out: cannot open \"%s\": %s\n", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	bool ok = fchmod(fd, 0600) == 0;
	for (size_t done = 0; ok && done < len;) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	ok = ok && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "tuike: --out: cannot write \"%s\": %s\n", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

/* `tuike withdraw export [--format plain|alipay|bank] [--out FILE]`: the
 * payout file of the approved withdrawals, to FILE (0600) or stdout. */
static int withdraw_export(int argc, char **argv)
{
	const char *fs = cli_opt(argc, argv, "--format"), *path = cli_opt(argc, argv, "--out");
	enum payout_format f = PAYOUT_PLAIN;
	struct payout_file p;
	struct engine *e;
	struct tk_error err = {0};
	int rc;
	if (fs && !payout_format_parse(fs, &f)) {
		fprintf(stderr, "tuike: --format: must be plain, alipay or bank, got \"%s\"\n", fs);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	if (engine_payout_file(e, f, engine_now(), &p, &err)) {
		rc = cli_fail(&err);
	} else {
		char y[MONEY_YUAN_BUF];
		if (path)
			rc = write_private(path, p.text, p.len);
		else if (fwrite(p.text, 1, p.len, stdout) != p.len || fflush(stdout) != 0)
			rc = CLI_EXIT_FAIL;
		if (!rc)
			fprintf(stderr, "tuike: %zu withdrawals, %s yuan to pay (%s)%s\n", p.rows,
				money_format_yuan(p.total_net, y), payout_format_name(f),
				path ? "" : " on stdout");
		payout_file_free(&p);
	}
	if (p.held)
		fprintf(stderr, "tuike: %zu approved withdrawals left out: their members owe money "
			"after a clawback\n", p.held);
	engine_close(e);
	return rc;
}

int cmd_withdraw(int argc, char **argv)
{
	static const char usage[] =
		"withdraw request ID AMOUNT [--method alipay|wechat|bank] [--account TEXT] "
		"[--payee NAME] [--bank NAME --branch NAME] | withdraw approve|paid WID | "
		"withdraw reject WID --reason TEXT | "
		"withdraw export [--format plain|alipay|bank] [--out FILE]";
	static const char *const vals[] = {"--method", "--account", "--payee", "--bank",
					   "--branch", "--format", "--out", NULL};
	char *args[4];
	int n = cli_args(argc, argv, vals, args, 4);
	struct engine *e;
	struct tk_error err = {0};
	struct withdrawal_rec w;
	int64_t num;
	int rc;
	if (n == 1 && strcmp(args[0], "export") == 0)
		return withdraw_export(argc, argv);
	if (n < 2)
		return cli_usage(usage);
	if (strcmp(args[0], "request") == 0 && n == 3) {
		if (!cli_parse_i64("AMOUNT (fen)", args[2], &num))
			return CLI_EXIT_USAGE;
		if ((rc = cli_open(argc, argv, &e)))
			return rc;
		struct wd_target to = {.method = cli_opt(argc, argv, "--method"),
				       .account = cli_opt(argc, argv, "--account"),
				       .payee = cli_opt(argc, argv, "--payee"),
				       .bank = cli_opt(argc, argv, "--bank"),
				       .branch = cli_opt(argc, argv, "--branch")};
		if (engine_withdraw_ask(e, args[1], num, &to, &w, &err))
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
	/* --reason is the action log's for every step, and a rejection's own,
	 * which its member is shown */
	if (engine_withdraw_decide(e, num, action,
				   action == WD_REJECT ? cli_opt(argc, argv, "--reason") : NULL, &w,
				   &err))
		rc = cli_fail(&err);
	else
		printf("withdrawal %lld is %s\n", (long long)w.id, wd_status_name(w.status));
	engine_close(e);
	return rc;
}

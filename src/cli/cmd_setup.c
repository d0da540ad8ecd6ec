/* cmd_setup.c — `tuike init` and `tuike plan`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/money.h"

int cmd_init(int argc, char **argv)
{
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	engine_close(e);
	char shown[512];
	store_uri_redact(store_default_uri(cli_opt(argc, argv, "--db")), shown, sizeof(shown));
	printf("database ready: %s\n", shown);
	return CLI_EXIT_OK;
}

/* Reads a whole file of at most `max` bytes. */
static char *read_file(const char *path, size_t max, size_t *len, struct tk_error *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		tk_fail(err, TK_EINVAL, "file", "cannot open \"%s\"", path);
		return NULL;
	}
	char *buf = malloc(max + 1);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	if (f != stdin)
		fclose(f);
	if (!buf) {
		tk_fail(err, TK_ENOMEM, "", "out of memory");
		return NULL;
	}
	if (n > max) {
		free(buf);
		tk_fail(err, TK_ELIMIT, "file", "\"%s\" is larger than %zu bytes", path, max);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static json_t *plan_json(const struct plan *p, int64_t version)
{
	char *s = plan_to_json(p);
	json_t *doc = s ? json_loads(s, 0, NULL) : NULL;
	free(s);
	if (doc) {
		json_object_set_new(doc, "version", json_integer(version));
		json_object_set_new(doc, "max_payout_bps", json_integer(plan_max_payout_bps(p)));
	}
	return doc;
}

static void print_plan_text(const struct plan *p, int64_t version)
{
	char a[MONEY_YUAN_BUF];
	printf("plan \"%s\" version %lld: %s, up to %d tiers, hold %d days\n", p->name,
	       (long long)version, plan_mode_name(p->mode), p->max_tiers, p->hold_days);
	printf("  platform keeps at least %d bps; the plan pays at most %d bps\n",
	       p->platform_min_bps, plan_max_payout_bps(p));
	if (p->mode == PLAN_DIFFERENTIAL)
		printf("  peer bonus %d bps\n", p->peer_bonus_bps);
	for (int t = 0; t < p->n_tiers_bps; t++)
		printf("  tier %d: %d bps\n", t + 2, p->tiers_bps[t]);
	for (int i = 0; i < p->n_levels; i++)
		printf("  level %-10s %-20s %5d bps%s%s\n", p->levels[i].key, p->levels[i].name,
		       p->levels[i].rate_bps, p->levels[i].can_share ? "" : "  (own purchases only)",
		       i == p->default_level ? "  (default)" : "");
	printf("  withdrawals: minimum %s yuan, fee %d bps\n", money_format_yuan(p->withdraw_min, a),
	       p->withdraw_fee_bps);
}

int cmd_plan(int argc, char **argv)
{
	static const char usage[] = "plan set FILE | plan show [--version N] [--json]";
	static const char *const vals[] = {"--version", NULL};
	char *args[3];
	int n = cli_args(argc, argv, vals, args, 3);
	struct tk_error err = {0};
	struct engine *e;
	int rc;
	if (n < 1)
		return cli_usage(usage);
	if (strcmp(args[0], "set") == 0) {
		if (n != 2)
			return cli_usage(usage);
		size_t len;
		char *json = read_file(args[1], PLAN_JSON_MAX, &len, &err);
		if (!json)
			return cli_fail(&err);
		if ((rc = cli_open(argc, argv, &e))) {
			free(json);
			return rc;
		}
		int64_t version;
		if (engine_plan_set(e, json, len, &version, &err)) {
			tk_error_where(&err, args[1], 0);
			rc = cli_fail(&err);
		} else {
			printf("plan version %lld is active\n", (long long)version);
		}
		free(json);
		engine_close(e);
		return rc;
	}
	if (strcmp(args[0], "show") == 0 && n == 1) {
		int64_t version = 0;
		const char *v = cli_opt(argc, argv, "--version");
		if (v && !cli_parse_i64("--version", v, &version))
			return CLI_EXIT_USAGE;
		if ((rc = cli_open(argc, argv, &e)))
			return rc;
		const struct plan *p;
		if (engine_plan_get(e, version, &p, &version, &err)) {
			rc = cli_fail(&err);
		} else if (cli_flag(argc, argv, "--json")) {
			cli_print_json(plan_json(p, version));
		} else {
			print_plan_text(p, version);
		}
		engine_close(e);
		return rc;
	}
	return cli_usage(usage);
}

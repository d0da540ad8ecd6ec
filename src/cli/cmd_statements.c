/* cmd_statements.c — `tuike statement`: the merchants' monthly statements
 * from the command line: generate a month's drafts, list, show (JSON, as
 * the API), move a statement (send, confirm, reopen --reason, invoice) and
 * export it as CSV or XLSX to a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "promo/statements.h"

static int usage(void)
{
	return cli_usage("statement generate MONTH [--merchant ID] | list [--month M] [--merchant ID] "
			 "[--state S] [--limit N] [--json] | show ID | send|confirm ID | reopen ID "
			 "--reason TEXT | invoice ID NUMBER | export ID --format csv|xlsx --out FILE "
			 "[--lang zh-CN|en]");
}

static bool parse_id(const char *what, const char *s, int64_t *id)
{
	if (!cli_parse_i64(what, s, id))
		return false;
	if (*id < 1) {
		fprintf(stderr, "tuike: %s: must be at least 1\n", what);
		return false;
	}
	return true;
}

static bool list_row(json_t *list)
{
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		printf("%-6lld %lld  %-6lld %-24s %-10s %s\n",
		       (long long)json_integer_value(json_object_get(s, "id")),
		       (long long)json_integer_value(json_object_get(s, "month")),
		       (long long)json_integer_value(json_object_get(s, "merchant")),
		       json_string_value(json_object_get(s, "merchant_name")),
		       json_string_value(json_object_get(s, "state")),
		       json_string_value(json_object_get(s, "invoice"))
			       ? json_string_value(json_object_get(s, "invoice"))
			       : "");
	}
	return true;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "tuike: --out: cannot write %s\n", path);
		if (f)
			fclose(f);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cmd_statements(int argc, char **argv)
{
	static const char *const vals[] = {"--merchant", "--month", "--state", "--limit",
					   "--format",	 "--out",   "--lang",  NULL};
	static const char *const flags[] = {"--json", NULL};
	char *args[4];
	if (!cli_known_opts(argc, argv, vals, flags))
		return usage();
	int n = cli_args(argc, argv, vals, args, 4);
	if (n < 1)
		return usage();
	const char *c = args[0];
	struct tk_error err = {0};
	int64_t id = 0, merchant = 0, month = 0, limit = 0;
	const char *m = cli_opt(argc, argv, "--merchant"), *mo = cli_opt(argc, argv, "--month");
	if (m && !parse_id("--merchant", m, &merchant))
		return CLI_EXIT_USAGE;
	if (mo && statements_month_parse(mo, &month, &err))
		return cli_fail(&err);
	enum stmt_move move;
	bool is_move = stmt_move_parse(c, &move);
	if (strcmp(c, "generate") == 0) {
		if (n != 2)
			return usage();
		if (statements_month_parse(args[1], &month, &err))
			return cli_fail(&err);
	} else if (strcmp(c, "list") == 0) {
		const char *l = cli_opt(argc, argv, "--limit");
		if (n != 1 || (l && (!cli_parse_i64("--limit", l, &limit) || limit < 1)))
			return usage();
	} else if (strcmp(c, "show") == 0 || strcmp(c, "export") == 0 ||
		   (is_move && move != STMT_INVOICE)) {
		if (n != 2 || !parse_id("ID", args[1], &id))
			return usage();
	} else if (is_move) { /* invoice ID NUMBER */
		if (n != 3 || !parse_id("ID", args[1], &id))
			return usage();
	} else {
		return usage();
	}
	enum stmt_format format = STMT_CSV;
	enum stmt_lang lang = STMT_ZH;
	const char *out_path = cli_opt(argc, argv, "--out");
	if (strcmp(c, "export") == 0) {
		if (!out_path)
			return usage();
		if (statements_format_parse(cli_opt(argc, argv, "--format"), &format, &err) ||
		    statements_lang_parse(cli_opt(argc, argv, "--lang"), &lang, &err))
			return cli_fail(&err);
	}
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	json_t *doc = NULL;
	enum tk_rc r;
	if (strcmp(c, "generate") == 0) {
		r = statements_generate(st, month, merchant, engine_now(), &doc, &err);
	} else if (strcmp(c, "list") == 0) {
		struct statement_filter f = {.month = month,
					     .merchant = merchant,
					     .state = cli_opt(argc, argv, "--state"),
					     .limit = (int)(limit > 0 && limit < 100000 ? limit : 0)};
		r = statements_list(st, &f, &doc, &err);
		if (!r && !cli_flag(argc, argv, "--json")) {
			list_row(json_object_get(doc, "statements"));
			json_decref(doc);
			doc = NULL;
		}
	} else if (strcmp(c, "show") == 0) {
		r = statements_show(st, id, &doc, &err);
	} else if (strcmp(c, "export") == 0) {
		char *data = NULL, name[64];
		size_t len = 0;
		const char *type;
		r = statements_export(st, id, format, lang, &data, &len, name, &type, &err);
		if (!r) {
			rc = write_file(out_path, data, len);
			if (!rc)
				printf("%s: %zu bytes (%s)\n", out_path, len, name);
		}
		free(data);
	} else {
		const char *arg = move == STMT_INVOICE ? args[2]
				  : move == STMT_REOPEN ? cli_opt(argc, argv, "--reason")
							: NULL;
		r = statements_move(st, id, move, arg, engine_now(), &doc, &err);
	}
	if (r)
		rc = cli_fail(&err);
	else if (doc)
		cli_print_json(doc);
	engine_close(e);
	return rc;
}

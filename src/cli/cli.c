/* cli.c — option parsing, opening the engine, and printing for commands. */
#include "cli/cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/actions.h"

const char *cli_opt(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], name, n) == 0) {
			if (argv[i][n] == '=')
				return argv[i] + n + 1;
			if (argv[i][n] == '\0' && i + 1 < argc)
				return argv[i + 1];
		}
	}
	return NULL;
}

bool cli_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], name) == 0)
			return true;
	}
	return false;
}

static bool takes_value(const char *arg, const char *const *value_opts)
{
	if (strcmp(arg, "--db") == 0 || strcmp(arg, "--reason") == 0)
		return true;
	for (; value_opts && *value_opts; value_opts++)
		if (strcmp(arg, *value_opts) == 0)
			return true;
	return false;
}

int cli_args(int argc, char **argv, const char *const *value_opts, char **out, int max)
{
	int n = 0;
	bool rest = false;
	for (int i = 1; i < argc; i++) {
		if (!rest && strcmp(argv[i], "--") == 0) {
			rest = true;
			continue;
		}
		if (!rest && strncmp(argv[i], "--", 2) == 0) {
			if (!strchr(argv[i], '=') && takes_value(argv[i], value_opts))
				i++;
			continue;
		}
		if (n < max)
			out[n] = argv[i];
		n++;
	}
	return n;
}

bool cli_known_opts(int argc, char **argv, const char *const *value_opts,
		    const char *const *flags)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return true;
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		size_t len = strcspn(argv[i], "=");
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)len, argv[i]);
		bool known = takes_value(name, value_opts);
		for (const char *const *f = flags; !known && f && *f; f++)
			known = strcmp(name, *f) == 0;
		if (!known) {
			fprintf(stderr, "tuike: unknown option \"%s\"\n", name);
			return false;
		}
		if (!strchr(argv[i], '=') && takes_value(name, value_opts))
			i++;
	}
	return true;
}

bool cli_parse_i64(const char *what, const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "tuike: %s: must be an integer, got \"%s\"\n", what, s);
		return false;
	}
	*out = v;
	return true;
}

/* Who acts for the action log: "cli:USER@HOST" from "cli", with --reason
 * (checked as the API's X-Reason is). */
static enum tk_rc cli_actor(int argc, char **argv, struct tk_error *err)
{
	struct action_actor a = {0};
	char host[64] = "";
	const char *user = getenv("USER");
	struct passwd *pw = user && *user ? NULL : getpwuid(geteuid());
	if (!user || !*user)
		user = pw && pw->pw_name ? pw->pw_name : "unknown";
	if (gethostname(host, sizeof(host) - 1) != 0 || !host[0])
		snprintf(host, sizeof(host), "localhost");
	snprintf(a.who, sizeof(a.who), "cli:%.48s@%.56s", user, host);
	snprintf(a.source, sizeof(a.source), "cli");
	const char *reason = cli_opt(argc, argv, "--reason");
	if (reason) {
		enum tk_rc rc = actions_reason_check(reason, "--reason", err);
		if (rc)
			return rc;
		snprintf(a.reason, sizeof(a.reason), "%s", reason);
	}
	actions_actor_set(&a);
	return TK_OK;
}

int cli_open(int argc, char **argv, struct engine **e)
{
	struct tk_error err = {0};
	struct store *st;
	if (cli_actor(argc, argv, &err) ||
	    store_open(cli_opt(argc, argv, "--db"), NULL, &st, &err) || engine_open(st, e, &err))
		return cli_fail(&err);
	return CLI_EXIT_OK;
}

int cli_fail(const struct tk_error *err)
{
	char buf[1024];
	tk_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "tuike: %s\n", buf);
	return err->rc == TK_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
}

int cli_usage(const char *usage)
{
	fprintf(stderr, "usage: tuike %s\n", usage);
	return CLI_EXIT_USAGE;
}

void cli_print_json(json_t *doc)
{
	if (!doc) {
		fprintf(stderr, "tuike: out of memory\n");
		return;
	}
	json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
}

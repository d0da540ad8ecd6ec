/* cmd_demo.c — `tuike demo generate`: writes a realistic, reproducible
 * dataset (plan, members, order feed) for demos and benchmarks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "demo/generate.h"

static const char usage_text[] =
	"tuike demo generate --members N --out DIR [--items M] [--seed S] [--now ISO8601] "
	"[--settle-all] [--json]";

/* Creates dir and its missing parents. */
static enum tk_rc make_dirs(const char *dir, struct tk_error *err)
{
	char path[4096];
	size_t len = strlen(dir);
	if (len == 0 || len >= sizeof(path))
		return tk_fail(err, TK_EINVAL, "out", "must be a path of 1..%zu bytes",
			       sizeof(path) - 1);
	memcpy(path, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return tk_fail(err, TK_EIO, "out", "cannot create directory %s: %s", path,
				       strerror(errno));
		path[i] = c;
	}
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return tk_fail(err, TK_EINVAL, "out", "%s is not a directory", dir);
	return TK_OK;
}

static json_t *stats_json(const struct demo_params *p, const char *dir,
			  const struct demo_stats *st)
{
	char now[TKTIME_BUF], first[TKTIME_BUF], last[TKTIME_BUF];
	json_t *levels = json_object(), *depth = json_array(), *rows = json_object(),
	       *final = json_object();
	static const char *const status[5] = {"unpaid", "paid", "received", "settled", "invalid"};
	for (int i = 0; i < 4; i++)
		json_object_set_new(levels, demo_level_keys[i], json_integer(st->levels[i]));
	for (int i = 0; i < DEMO_DEPTH_BUCKETS; i++)
		json_array_append_new(depth, json_integer(st->depth[i]));
	for (int i = 0; i < 5; i++) {
		json_object_set_new(rows, status[i], json_integer(st->rows_by_status[i]));
		json_object_set_new(final, status[i], json_integer(st->final_by_status[i]));
	}
	return json_pack(
		"{s:s, s:I, s:s, s:b, s:{s:I, s:I, s:I, s:I, s:I, s:o, s:o}, "
		"s:{s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:I, s:s, s:s}}",
		"out", dir, "seed", (json_int_t)p->seed,
		"now", tktime_format_iso8601(p->now, TKTIME_BEIJING_OFFSET, now),
		"settle_all", p->settle_all,
		"members", "count", (json_int_t)st->members, "teams", (json_int_t)st->roots,
		"largest_team", (json_int_t)st->largest_team, "teams_over_1000",
		(json_int_t)st->teams_over_1000, "max_depth", (json_int_t)st->max_depth,
		"levels", levels, "depth", depth,
		"orders", "items", (json_int_t)st->items, "orders", (json_int_t)st->orders,
		"rows", (json_int_t)st->rows, "rows_by_status", rows, "items_by_last_status", final,
		"self_purchases", (json_int_t)st->self_purchases, "outside_buyers",
		(json_int_t)st->outside_buyers, "unattributed", (json_int_t)st->unattributed,
		"commission_settled", (json_int_t)st->commission_settled,
		"first_at", tktime_format_iso8601(st->first_at, TKTIME_BEIJING_OFFSET, first),
		"last_at", tktime_format_iso8601(st->last_at, TKTIME_BEIJING_OFFSET, last));
}

static void print_text(const struct demo_params *p, const char *dir, const struct demo_stats *st)
{
	char now[TKTIME_BUF];
	printf("generated %s (seed %llu, now %s%s)\n", dir, (unsigned long long)p->seed,
	       tktime_format_iso8601(p->now, TKTIME_BEIJING_OFFSET, now),
	       p->settle_all ? ", every item settles" : "");
	printf("  plan.json      differential; member 30%%, super 50%%, mentor 70%%, partner 80%%; "
	       "hold 7 days\n");
	printf("  members.jsonl  %lld members in %lld teams (largest %lld, %lld over 1000), "
	       "depth up to %lld\n",
	       (long long)st->members, (long long)st->roots, (long long)st->largest_team,
	       (long long)st->teams_over_1000, (long long)st->max_depth);
	printf("                 levels: member %lld, super %lld, mentor %lld, partner %lld\n",
	       (long long)st->levels[0], (long long)st->levels[1], (long long)st->levels[2],
	       (long long)st->levels[3]);
	printf("  orders.jsonl   %lld rows for %lld items in %lld orders "
	       "(%lld self-purchases, %lld outside buyers)\n",
	       (long long)st->rows, (long long)st->items, (long long)st->orders,
	       (long long)st->self_purchases, (long long)st->outside_buyers);
	printf("                 items now: paid %lld, received %lld, settled %lld, invalid %lld\n",
	       (long long)(st->final_by_status[0] + st->final_by_status[1]),
	       (long long)st->final_by_status[2], (long long)st->final_by_status[3],
	       (long long)st->final_by_status[4]);
}

static int generate(int argc, char **argv)
{
	static const char *const value_opts[] = {"--members", "--out", "--items", "--seed",
						 "--now", NULL};
	char *args[4];
	struct demo_params p = {.items_per_member = 1, .seed = 1};
	struct demo_stats st;
	struct tk_error err = {0};

	if (cli_args(argc, argv, value_opts, args, 4) != 0)
		return cli_usage(usage_text);
	const char *members = cli_opt(argc, argv, "--members");
	const char *dir = cli_opt(argc, argv, "--out");
	const char *items = cli_opt(argc, argv, "--items");
	const char *seed = cli_opt(argc, argv, "--seed");
	const char *now = cli_opt(argc, argv, "--now");
	if (!now)
		now = getenv("TUIKE_NOW");
	if (!members || !dir)
		return cli_usage(usage_text);
	int64_t v;
	if (!cli_parse_i64("--members", members, &p.members))
		return CLI_EXIT_USAGE;
	if (items && !cli_parse_i64("--items", items, &p.items_per_member))
		return CLI_EXIT_USAGE;
	if (seed) {
		if (!cli_parse_i64("--seed", seed, &v))
			return CLI_EXIT_USAGE;
		if (v < 0) {
			fprintf(stderr, "tuike: --seed must be >= 0, got %lld\n", (long long)v);
			return CLI_EXIT_USAGE;
		}
		p.seed = (uint64_t)v;
	}
	if (now) {
		if (!tktime_parse_iso8601(now, &p.now)) {
			fprintf(stderr, "tuike: --now must be ISO 8601 with an offset "
					"(2026-11-01T10:00:00+08:00), got \"%s\"\n", now);
			return CLI_EXIT_USAGE;
		}
	} else {
		p.now = (int64_t)time(NULL);
	}
	p.settle_all = cli_flag(argc, argv, "--settle-all");

	if (make_dirs(dir, &err) || demo_generate(&p, dir, &st, &err))
		return cli_fail(&err);
	if (cli_flag(argc, argv, "--json"))
		cli_print_json(stats_json(&p, dir, &st));
	else
		print_text(&p, dir, &st);
	return CLI_EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "generate") == 0)
		return generate(argc - 1, argv + 1);
	return cli_usage(usage_text);
}

/* cli.h — what every `tuike` command shares: options, opening the engine,
 * printing JSON and errors.
 *
 * A command is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * command's own name; it returns the process exit status: 0 success,
 * 1 failure (message on stderr), 2 usage error or rejected input. */
#ifndef TK_CLI_H
#define TK_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "engine/engine.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

/* The value of "--name VALUE" or "--name=VALUE", or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
/* Whether "--name" is present. */
bool cli_flag(int argc, char **argv, const char *name);
/* The arguments that are neither options nor option values, in order.
 * `value_opts` lists the options that take a value (NULL-terminated); every
 * command also accepts --db VALUE.  Returns their number (<= max). */
int cli_args(int argc, char **argv, const char *const *value_opts, char **out, int max);
/* Whether every "--option" is one of value_opts, flags (both
 * NULL-terminated) or --db; names the first unknown one on stderr. */
bool cli_known_opts(int argc, char **argv, const char *const *value_opts,
		    const char *const *flags);

/* Parses an int64 ("1250"); false with a message on stderr on error. */
bool cli_parse_i64(const char *what, const char *s, int64_t *out);

/* Opens the engine on --db (or TUIKE_DB, or ./tuike.db), and says who
 * acts for the action log: "cli:USER@HOST", with --reason TEXT (every
 * command takes it, as --db). */
int cli_open(int argc, char **argv, struct engine **e);

/* Prints "tuike: <formatted error>" on stderr; returns CLI_EXIT_FAIL, or
 * CLI_EXIT_USAGE for TK_EINVAL. */
int cli_fail(const struct tk_error *err);
/* Prints "tuike: <msg>" and the usage line on stderr; returns CLI_EXIT_USAGE. */
int cli_usage(const char *usage);

/* Prints a JSON document on stdout (one line per document unless pretty),
 * then releases it. */
void cli_print_json(json_t *doc);

/* The commands, each in its own cli/cmd_*.c. */
int cmd_init(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_member(int argc, char **argv);
int cmd_orders(int argc, char **argv);
int cmd_order(int argc, char **argv);
int cmd_settle(int argc, char **argv);
int cmd_balance(int argc, char **argv);
int cmd_withdraw(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_campaign_rematch(int argc, char **argv); /* cmd_campaign_orders.c: campaign rematch */
int cmd_demo(int argc, char **argv);
int cmd_tag(int argc, char **argv);      /* cmd_feeds.c */
int cmd_sync(int argc, char **argv);     /* cmd_feeds.c */
int cmd_products(int argc, char **argv); /* cmd_products.c */
int cmd_copy(int argc, char **argv);     /* cmd_products.c */
int cmd_serve(int argc, char **argv);    /* cmd_serve.c */
int cmd_apikey(int argc, char **argv);   /* cmd_serve.c */
int cmd_link(int argc, char **argv);     /* cmd_serve.c */
int cmd_link_convert(int argc, char **argv); /* cmd_convert.c: link convert */
int cmd_link_allow(int argc, char **argv);   /* cmd_link_hosts.c: link allow */
int cmd_link_check(int argc, char **argv);   /* cmd_link_hosts.c: link check */
int cmd_member_quota(int argc, char **argv); /* cmd_link_hosts.c: member quota */
int cmd_group(int argc, char **argv);    /* cmd_groups.c */
int cmd_channel(int argc, char **argv);  /* cmd_channels.c: the head's partner channels */
int cmd_report_groups(int argc, char **argv); /* cmd_group_report.c: report groups */
int cmd_push(int argc, char **argv);     /* cmd_push.c */
int cmd_actions(int argc, char **argv);  /* cmd_actions.c: the action log */
int cmd_statements(int argc, char **argv); /* cmd_statements.c: merchants' statements */
int cmd_merchant(int argc, char **argv); /* cmd_promo.c: the promotion head's merchants */
int cmd_campaign(int argc, char **argv); /* cmd_promo.c: ... campaigns and slot fees */
/* cmd_growth.c: member register|move|moves|team|path (else cmd_member),
 * levels, report compliance (else cmd_report) */
int cmd_growth_member(int argc, char **argv);
int cmd_levels(int argc, char **argv);
int cmd_growth_report(int argc, char **argv);

#endif

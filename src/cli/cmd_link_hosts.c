/* cmd_link_hosts.c — where member links may lead and how many they may
 * make, from the command line: `tuike link allow add|remove|list`, `tuike
 * link check` (the links whose host is not allowed now) and `tuike member
 * quota`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "store/server_store.h"
#include "tracking/link_host.h"
#include "tracking/links.h"
#include "tracking/tracking.h"

static void print_host(json_t *list, bool json, const char *domain, const char *source,
		       int64_t added_at)
{
	char when[TKTIME_BUF] = "";
	if (added_at)
		tktime_format_iso8601(added_at, TKTIME_BEIJING_OFFSET, when);
	if (!json) {
		printf("%s %s%s%s\n", domain, source, when[0] ? " " : "", when);
		return;
	}
	json_t *doc = json_pack("{s:s, s:s}", "domain", domain, "source", source);
	if (doc && when[0])
		json_object_set_new(doc, "added_at", json_string(when));
	json_array_append_new(list, doc);
}

struct host_print {
	json_t *list;
	bool json;
};

static bool host_cb(void *ctx, const char *domain, int64_t added_at)
{
	struct host_print *p = ctx;
	print_host(p->list, p->json, domain, "added", added_at);
	return true;
}

/* tuike link allow add|remove DOMAIN | list [--json] */
int cmd_link_allow(int argc, char **argv)
{
	static const char usage[] = "link allow add DOMAIN | link allow remove DOMAIN | "
				    "link allow list [--json]";
	static const char *const vals[] = {NULL};
	char *args[3];
	int n = cli_args(argc, argv, vals, args, 3);
	bool list = n == 1 && strcmp(args[0], "list") == 0;
	bool add = n == 2 && strcmp(args[0], "add") == 0;
	if (!list && !add && !(n == 2 && strcmp(args[0], "remove") == 0))
		return cli_usage(usage);
	struct engine *e;
	struct tk_error err = {0};
	char norm[LINK_HOST_MAX];
	bool added;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	if (list) {
		struct host_print p = {json_array(), cli_flag(argc, argv, "--json")};
		for (size_t i = 0; link_hosts_builtin[i]; i++)
			print_host(p.list, p.json, link_hosts_builtin[i], "builtin", 0);
		if (st->server->link_host_each(st, host_cb, &p, &err)) {
			json_decref(p.list);
			rc = cli_fail(&err);
		} else if (p.json) {
			cli_print_json(p.list);
		} else {
			json_decref(p.list);
		}
	} else if (add) {
		if (tracking_link_host_add(st, args[1], engine_now(), norm, &added, &err))
			rc = cli_fail(&err);
		else
			printf("%s %s\n", norm,
			       added ? "allowed" : link_host_is_builtin(norm) ? "is built in already"
									  : "was allowed already");
	} else {
		if (tracking_link_host_remove(st, args[1], engine_now(), norm, &err))
			rc = cli_fail(&err);
		else
			printf("%s removed: links to it stop redirecting unless made with "
			       "--allow-host\n", norm);
	}
	engine_close(e);
	return rc;
}

/* ---- link check ---- */

struct check {
	struct link_hosts hosts;
	json_t *list;
	bool json;
	int64_t blocked, overridden;
};

static const char *origin_name(int origin)
{
	switch (origin) {
	case LINK_ORIGIN_MEMBER: return "member";
	case LINK_ORIGIN_OPERATOR: return "operator";
	case LINK_ORIGIN_PUSHER: return "pusher";
	default: return "unknown";
	}
}

static bool check_cb(void *ctx, const struct link_rec *l)
{
	struct check *c = ctx;
	struct link_url u;
	struct tk_error why = {0};
	if (l->revoked_at || l->product[0])
		return true; /* stopped already, or a union's product */
	const char *state;
	if (link_url_parse(l->target, LINK_TARGET_MAX, &u, &why) != TK_OK) {
		state = "blocked";
	} else if (u.https && link_hosts_match(&c->hosts, u.host)) {
		return true;
	} else {
		state = l->host_override ? "override" : "blocked";
		snprintf(why.msg, sizeof(why.msg), "%s", u.https ? "host not allowed" : "not https");
	}
	if (l->host_override)
		c->overridden++;
	else
		c->blocked++;
	char when[TKTIME_BUF];
	tktime_format_iso8601(l->created_at, TKTIME_BEIJING_OFFSET, when);
	if (!c->json) {
		printf("%s %s %s %s %s %s: %s\n", l->code, state, l->member_ext,
		       u.host[0] ? u.host : "-", origin_name(l->origin), when, why.msg);
		return true;
	}
	json_array_append_new(c->list,
			      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", l->code,
					"state", state, "member", l->member_ext, "host", u.host,
					"origin", origin_name(l->origin), "created_at", when,
					"why", why.msg));
	return true;
}

/* tuike link check [--json]: every redirecting URL link whose address is
 * not allowed now — "blocked" (answers 410) or "override" (an operator let
 * it through); exit 1 when any is blocked. */
int cmd_link_check(int argc, char **argv)
{
	static const char *const vals[] = {NULL};
	static const char *const flags[] = {"--json", NULL};
	char *args[1];
	if (cli_args(argc, argv, vals, args, 1) != 0 || !cli_known_opts(argc, argv, vals, flags))
		return cli_usage("link check [--json]");
	struct engine *e;
	struct tk_error err = {0};
	struct check c = {.list = json_array(), .json = cli_flag(argc, argv, "--json")};
	int rc = cli_open(argc, argv, &e);
	if (rc) {
		json_decref(c.list);
		return rc;
	}
	struct store *st = engine_store(e);
	if (links_hosts_load(st, &c.hosts, &err) ||
	    st->server->link_each(st, check_cb, &c, &err)) {
		rc = cli_fail(&err);
		json_decref(c.list);
	} else {
		if (c.json)
			cli_print_json(c.list);
		else
			json_decref(c.list);
		fprintf(stderr, "tuike: %lld links blocked, %lld let through by an operator\n",
			(long long)c.blocked, (long long)c.overridden);
		rc = c.blocked ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	}
	links_hosts_free(&c.hosts);
	engine_close(e);
	return rc;
}

/* ---- member quota ---- */

/* tuike member quota MEMBER [--links-per-hour N] [--links-per-day M]
 * [--default] [--json]: shows, sets or drops a member's own link quota. */
int cmd_member_quota(int argc, char **argv)
{
	static const char usage[] = "member quota MEMBER [--links-per-hour N] [--links-per-day M] "
				    "[--default] [--json]";
	static const char *const vals[] = {"--links-per-hour", "--links-per-day", NULL};
	static const char *const flags[] = {"--default", "--json", NULL};
	char *args[3];
	int n = cli_args(argc, argv, vals, args, 3);
	if (n != 2 || !cli_known_opts(argc, argv, vals, flags))
		return cli_usage(usage);
	const char *ho = cli_opt(argc, argv, "--links-per-hour");
	const char *dy = cli_opt(argc, argv, "--links-per-day");
	bool drop = cli_flag(argc, argv, "--default");
	if (drop && (ho || dy)) {
		fprintf(stderr, "tuike: --default goes back to the defaults: no other value with it\n");
		return CLI_EXIT_USAGE;
	}
	struct engine *e;
	struct tk_error err = {0};
	struct member_rec m;
	int64_t hour, day, used_hour, used_day, oldest;
	bool own;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	int64_t now = engine_now();
	if (engine_member_get(e, args[1], &m, &err) ||
	    links_quota_get(st, m.id, &hour, &day, &own, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (drop || ho || dy) {
		if ((ho && !cli_parse_i64("--links-per-hour", ho, &hour)) ||
		    (dy && !cli_parse_i64("--links-per-day", dy, &day))) {
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		if (drop)
			hour = day = 0;
		if (tracking_link_quota_set(st, m.id, hour, day, now, &err) ||
		    links_quota_get(st, m.id, &hour, &day, &own, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
	}
	if (st->server->link_count_since(st, m.id, now - 3600 + 1, &used_hour, &oldest, &err) ||
	    st->server->link_count_since(st, m.id, now - 86400 + 1, &used_day, &oldest, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (cli_flag(argc, argv, "--json"))
		cli_print_json(json_pack("{s:s, s:I, s:I, s:b, s:I, s:I}", "member", m.ext,
					 "links_per_hour", (json_int_t)hour, "links_per_day",
					 (json_int_t)day, "own", own, "used_hour",
					 (json_int_t)used_hour, "used_day", (json_int_t)used_day));
	else
		printf("%s: %lld links an hour, %lld a day (%s); made %lld in the last hour, %lld "
		       "in the last day\n",
		       m.ext, (long long)hour, (long long)day, own ? "its own" : "the defaults",
		       (long long)used_hour, (long long)used_day);
out:
	engine_close(e);
	return rc;
}

/* cmd_serve.c — `tuike serve` (the HTTP API and link redirects), `tuike
 * apikey` (operator keys) and `tuike link` (tracking links, one or a file
 * of them). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "auth/auth.h"
#include "http/server.h"
#include "store/server_store.h"
#include "tracking/clicks.h"
#include "tracking/link_import.h"
#include "tracking/links.h"
#include "tracking/links_convert.h"
#include "tracking/tracking.h"

/* ---- serve ---- */

static const char serve_usage[] =
	"serve [--listen ADDR:PORT] [--db PATH] [--threads N] [--api-workers N]\n"
	"         [--access-log PATH|-|off] [--base-url URL] [--key-rate N] [--login-rate N]\n"
	"         [--session-ttl SECONDS] [--operator-session-hours N] [--flush-ms N]\n"
	"         [--body-max BYTES] [--import-max BYTES]\n"
	"         [--header-max BYTES] [--timeout SECONDS] [--max-connections N]\n"
	"         [--max-connections-per-ip N] [--head-timeout SECONDS] [--body-timeout SECONDS]\n"
	"         [--pressure-at PERCENT] [--pressure-grace-ms N]\n"
	"         [--web DIR|off] [--demo-key] [--config PATH] [--node NAME]\n"
	"         [--trusted-proxy CIDR]... [--login-account-failures N]\n"
	"         [--image-host HOST[:PORT]]...";

/* "127.0.0.1:8080", "[::1]:8080" or ":8080" (loopback). */
static bool parse_listen(const char *s, struct server_config *cfg)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return false;
	const char *host = s;
	size_t hlen = (size_t)(colon - s);
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']')
		host++, hlen -= 2;
	if (hlen >= sizeof(cfg->host))
		return false;
	if (hlen)
		snprintf(cfg->host, sizeof(cfg->host), "%.*s", (int)hlen, host);
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
		return false;
	cfg->port = (int)port;
	return true;
}

/* The numeric options: their bounds and the field each sets (of one of
 * these types). */
enum num_type { NUM_INT, NUM_UNSIGNED, NUM_U32, NUM_I64, NUM_SIZE };

struct num_opt {
	const char *name;
	long min, max;
	enum num_type type;
	size_t offset; /* in struct server_config */
};

#define NUM_OPT(name, min, max, type, field) \
	{name, min, max, type, offsetof(struct server_config, field)}

static const struct num_opt num_opts[] = {
	NUM_OPT("--threads", 1, 64, NUM_INT, threads),
	NUM_OPT("--api-workers", 1, 16, NUM_INT, api_workers),
	NUM_OPT("--key-rate", 1, 1000000, NUM_U32, api.key_rate),
	NUM_OPT("--login-rate", 1, 1000000, NUM_U32, api.login_rate),
	NUM_OPT("--login-account-failures", 1, 1000, NUM_U32, api.account_failures),
	NUM_OPT("--session-ttl", 60, AUTH_SESSION_TTL_MAX, NUM_I64, api.session_ttl),
	NUM_OPT("--flush-ms", 10, 1000, NUM_INT, flush_ms),
	NUM_OPT("--body-max", 1024, 256L * 1024 * 1024, NUM_SIZE, body_max),
	NUM_OPT("--import-max", 1024, 256L * 1024 * 1024, NUM_SIZE, import_max),
	NUM_OPT("--header-max", 4096, 1024 * 1024, NUM_SIZE, header_max),
	NUM_OPT("--timeout", 1, 3600, NUM_UNSIGNED, timeout_s),
	NUM_OPT("--max-connections", 1, 1000000, NUM_UNSIGNED, connection_limit),
	NUM_OPT("--max-connections-per-ip", 0, 1000000, NUM_UNSIGNED, per_ip_limit),
	NUM_OPT("--per-ip", 0, 1000000, NUM_UNSIGNED, per_ip_limit), /* the older name */
	NUM_OPT("--head-timeout", 0, 3600, NUM_UNSIGNED, head_timeout_s),
	NUM_OPT("--body-timeout", 0, 3600, NUM_UNSIGNED, body_timeout_s),
	NUM_OPT("--pressure-at", 0, 100, NUM_UNSIGNED, pressure_pct),
	NUM_OPT("--pressure-grace-ms", 50, 60000, NUM_UNSIGNED, pressure_grace_ms),
};

/* Sets the numeric options given; false (said on stderr) when one is not
 * a number in its bounds. */
static bool read_num_opts(int argc, char **argv, struct server_config *cfg)
{
	for (size_t i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++) {
		const struct num_opt *o = &num_opts[i];
		const char *s = cli_opt(argc, argv, o->name);
		int64_t v;
		if (!s)
			continue;
		if (!cli_parse_i64(o->name, s, &v))
			return false;
		if (v < o->min || v > o->max) {
			fprintf(stderr, "tuike: %s: must be %ld..%ld, got %lld\n", o->name, o->min,
				o->max, (long long)v);
			return false;
		}
		void *field = (char *)cfg + o->offset;
		switch (o->type) {
		case NUM_INT: *(int *)field = (int)v; break;
		case NUM_UNSIGNED: *(unsigned *)field = (unsigned)v; break;
		case NUM_U32: *(uint32_t *)field = (uint32_t)v; break;
		case NUM_I64: *(int64_t *)field = v; break;
		case NUM_SIZE: *(size_t *)field = (size_t)v; break;
		}
	}
	return true;
}

/* Every --trusted-proxy CIDR (the option may be given again and again);
 * false (said on stderr) at the first that is not one. */
static bool read_trusted(int argc, char **argv, struct server_config *cfg)
{
	static const char name[] = "--trusted-proxy";
	const size_t n = sizeof(name) - 1;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
			v = argv[i] + n + 1;
		else if (strcmp(argv[i], name) == 0 && i + 1 < argc)
			v = argv[++i];
		struct tk_error err = {0};
		if (v && client_proxies_add(&cfg->trusted, v, &err)) {
			fprintf(stderr, "tuike: --trusted-proxy: %s\n", err.msg);
			return false;
		}
	}
	return true;
}

/* Every --image-host (again and again): hosts posters may fetch product
 * images from besides the unions' CDNs (a mock, an own CDN); checked when
 * the server starts. */
static bool read_image_hosts(int argc, char **argv, struct server_config *cfg)
{
	static const char name[] = "--image-host";
	const size_t n = sizeof(name) - 1;
	const int max = (int)(sizeof(cfg->image_hosts) / sizeof(cfg->image_hosts[0]));
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
			v = argv[i] + n + 1;
		else if (strcmp(argv[i], name) == 0 && i + 1 < argc)
			v = argv[++i];
		if (!v)
			continue;
		if (cfg->n_image_hosts == max) {
			fprintf(stderr, "tuike: --image-host: at most %d\n", max);
			return false;
		}
		cfg->image_hosts[cfg->n_image_hosts++] = v;
	}
	return true;
}

struct ready_ctx {
	char key[AUTH_TOKEN_MAX]; /* a fresh demo key to show, or "" */
	bool web;                 /* the web pages are served */
	char node[CLICK_NODE_MAX]; /* the node's name */
};

static void on_ready(void *arg, const char *url, size_t links)
{
	struct ready_ctx *r = arg;
	printf("tuike serve: listening on %s (%zu tracking links)\n", url, links);
	printf("  API      %s/api/v1/   (OpenAPI: %s/api/v1/openapi.json)\n", url, url);
	printf("  health   %s/health\n", url);
	printf("  node     %s\n", r->node);
	if (r->web) {
		printf("  console  %s/            (operators: log in with an operator key)\n", url);
		printf("  promoter %s/m/          (members: log in with id and password)\n", url);
	}
	if (r->key[0]) {
		printf("  operator key (shown once): %s\n", r->key);
		printf("  try: curl -H 'Authorization: Bearer %s' %s/api/v1/reports/summary\n",
		       r->key, url);
		sodium_memzero(r->key, sizeof(r->key));
	}
	printf("Stop with Ctrl-C or SIGTERM (buffered clicks are written first).\n");
	fflush(stdout);
}

/* Creates an operator key named "demo" for the quick start: admin, as the
 * one operator of a demo does everything. */
static int demo_key(int argc, char **argv, char key[AUTH_TOKEN_MAX])
{
	struct engine *e;
	struct apikey_rec rec;
	struct tk_error err = {0};
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (auth_apikey_create(engine_store(e), "demo", ROLE_ADMIN, engine_now(), key, &rec,
			       &err))
		rc = cli_fail(&err);
	engine_close(e);
	return rc;
}

/* --web DIR, else $TUIKE_WEB, else the pages built beside the source when
 * they exist; "off" serves none.  NULL: none. */
static const char *web_dir(int argc, char **argv)
{
	const char *dir = cli_opt(argc, argv, "--web");
	if (!dir)
		dir = getenv("TUIKE_WEB");
	if (dir)
		return strcmp(dir, "off") == 0 || !*dir ? NULL : dir;
#ifdef TUIKE_WEB_DIR
	if (access(TUIKE_WEB_DIR "/index.html", R_OK) == 0)
		return TUIKE_WEB_DIR;
#endif
	return NULL;
}

int cmd_serve(int argc, char **argv)
{
	static const char *const vals[] = {
		"--listen", "--threads", "--api-workers", "--access-log", "--base-url",
		"--key-rate", "--login-rate", "--session-ttl", "--flush-ms", "--body-max",
		"--import-max", "--header-max", "--timeout", "--max-connections", "--per-ip",
		"--max-connections-per-ip", "--head-timeout", "--body-timeout", "--pressure-at",
		"--pressure-grace-ms", "--web", "--config", "--node",
		"--trusted-proxy", "--login-account-failures",
		"--operator-session-hours", "--image-host", NULL};
	struct server_config cfg;
	struct ready_ctx ready = {{0}, false, {0}};
	char *args[1];
	int rc;
	server_config_default(&cfg);
	static const char *const flags[] = {"--demo-key", NULL};
	if (!cli_known_opts(argc, argv, vals, flags) || cli_args(argc, argv, vals, args, 1) != 0)
		return cli_usage(serve_usage);
	const char *listen = cli_opt(argc, argv, "--listen");
	if (listen && !parse_listen(listen, &cfg)) {
		fprintf(stderr, "tuike: --listen: must be ADDR:PORT (e.g. 127.0.0.1:8080), got \"%s\"\n",
			listen);
		return CLI_EXIT_USAGE;
	}
	const char *db = cli_opt(argc, argv, "--db");
	cfg.db_path = db ? db : "";
	cfg.config = cli_opt(argc, argv, "--config");
	const char *log = cli_opt(argc, argv, "--access-log");
	if (log)
		cfg.access_log = strcmp(log, "off") == 0 ? NULL : log;
	const char *base = cli_opt(argc, argv, "--base-url");
	if (base) {
		if (!links_url_valid(base) || strlen(base) >= sizeof(cfg.api.base_url)) {
			fprintf(stderr, "tuike: --base-url: must be an http(s) address, got \"%s\"\n",
				base);
			return CLI_EXIT_USAGE;
		}
		snprintf(cfg.api.base_url, sizeof(cfg.api.base_url), "%.*s",
			 (int)(strlen(base) - (base[strlen(base) - 1] == '/')), base);
	}
	if (!read_num_opts(argc, argv, &cfg) || !read_trusted(argc, argv, &cfg) ||
	    !read_image_hosts(argc, argv, &cfg))
		return CLI_EXIT_USAGE;
	const char *hours = cli_opt(argc, argv, "--operator-session-hours");
	if (hours) {
		int64_t h;
		if (!cli_parse_i64("--operator-session-hours", hours, &h))
			return CLI_EXIT_USAGE;
		if (h < 1 || h > AUTH_OPSESSION_HOURS_MAX) {
			fprintf(stderr, "tuike: --operator-session-hours: must be 1..%d, got %lld\n",
				AUTH_OPSESSION_HOURS_MAX, (long long)h);
			return CLI_EXIT_USAGE;
		}
		cfg.api.opsession_ttl = h * 3600;
	}
	const char *node = cli_opt(argc, argv, "--node");
	if (!node)
		node = getenv("TUIKE_NODE");
	if (node && *node) {
		if (!clicks_node_valid(node)) {
			fprintf(stderr, "tuike: --node: must be 1..%d letters, digits or \". _ : -\", "
				"got \"%s\"\n", CLICK_NODE_MAX - 1, node);
			return CLI_EXIT_USAGE;
		}
		snprintf(cfg.node, sizeof(cfg.node), "%s", node);
	}
	server_node_name(&cfg, ready.node);
	cfg.web_dir = web_dir(argc, argv);
	ready.web = cfg.web_dir != NULL;
	if (cli_flag(argc, argv, "--demo-key") && (rc = demo_key(argc, argv, ready.key)))
		return rc;
	struct tk_error err = {0};
	if (server_run(&cfg, on_ready, &ready, &err))
		return cli_fail(&err);
	fprintf(stderr, "tuike serve: stopped; every click is written\n");
	return CLI_EXIT_OK;
}

/* ---- apikey ---- */

static bool print_key(void *ctx, const struct apikey_rec *k)
{
	bool json = *(bool *)ctx;
	char created[TKTIME_BUF], revoked[TKTIME_BUF];
	tktime_format_iso8601(k->created_at, TKTIME_BEIJING_OFFSET, created);
	if (k->revoked_at)
		tktime_format_iso8601(k->revoked_at, TKTIME_BEIJING_OFFSET, revoked);
	if (json)
		cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "id", (json_int_t)k->id,
					 "name", k->name, "prefix", k->prefix, "role", k->role,
					 "created_at", created, "revoked_at",
					 k->revoked_at ? revoked : NULL));
	else
		printf("%-4lld %-24s %-10s %s...  created %s%s%s\n", (long long)k->id, k->name,
		       k->role, k->prefix, created, k->revoked_at ? "  REVOKED " : "",
		       k->revoked_at ? revoked : "");
	return true;
}

/* --role ROLE (default viewer: a key that can only read does least harm
 * when it leaks or was made in haste); false, said, when it names none. */
static bool role_opt(int argc, char **argv, enum operator_role *role)
{
	const char *s = cli_opt(argc, argv, "--role");
	*role = ROLE_VIEWER;
	if (!s || role_parse(s, role))
		return true;
	fprintf(stderr, "tuike: --role: must be admin, finance, operations or viewer, got \"%s\"\n",
		s);
	return false;
}

int cmd_apikey(int argc, char **argv)
{
	static const char usage[] = "apikey create NAME [--role admin|finance|operations|viewer] | "
				    "apikey list [--json] | apikey role ID ROLE | apikey revoke ID";
	static const char *const vals[] = {"--role", NULL};
	char *args[4];
	int n = cli_args(argc, argv, vals, args, 4);
	struct engine *e;
	struct tk_error err = {0};
	enum operator_role role = ROLE_VIEWER;
	int64_t id = 0;
	int rc;
	if (n < 1)
		return cli_usage(usage);
	bool create = strcmp(args[0], "create") == 0 && n == 2;
	bool list = strcmp(args[0], "list") == 0 && n == 1;
	bool revoke = strcmp(args[0], "revoke") == 0 && n == 2;
	bool set_role = strcmp(args[0], "role") == 0 && n == 3;
	if (!create && !list && !revoke && !set_role)
		return cli_usage(usage);
	if ((revoke || set_role) && !cli_parse_i64("ID", args[1], &id))
		return CLI_EXIT_USAGE;
	if (create && !role_opt(argc, argv, &role))
		return CLI_EXIT_USAGE;
	if (set_role && !role_parse(args[2], &role)) {
		fprintf(stderr, "tuike: ROLE: must be admin, finance, operations or viewer, got "
			"\"%s\"\n", args[2]);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	struct store *st = engine_store(e);
	if (create) {
		char key[AUTH_TOKEN_MAX];
		struct apikey_rec rec;
		if (auth_apikey_create(st, args[1], role, engine_now(), key, &rec, &err)) {
			rc = cli_fail(&err);
		} else {
			/* the only time the key is ever shown: it is stored hashed */
			printf("%s\n", key);
			fprintf(stderr, "tuike: API key %lld \"%s\" (%s) created; it is shown only now\n",
				(long long)rec.id, rec.name, rec.role);
			sodium_memzero(key, sizeof(key));
		}
	} else if (list) {
		bool json = cli_flag(argc, argv, "--json");
		if (st->server->apikey_each(st, print_key, &json, &err))
			rc = cli_fail(&err);
	} else if (set_role) {
		if (auth_apikey_set_role(st, id, role, engine_now(), &err)) {
			rc = cli_fail(&err);
		} else {
			printf("API key %lld is %s now; its console sessions are ended\n",
			       (long long)id, role_name(role));
		}
	} else {
		if (auth_apikey_revoke(st, id, engine_now(), &err)) {
			rc = cli_fail(&err);
		} else {
			printf("API key %lld is revoked\n", (long long)id);
		}
	}
	engine_close(e);
	return rc;
}

/* ---- link ---- */

static json_t *link_doc(const struct link_rec *l)
{
	json_t *doc = json_pack("{s:s, s:s, s:s}", "code", l->code, "member", l->member_ext,
				"target", l->target);
	if (doc && l->channel[0])
		json_object_set_new(doc, "channel", json_string(l->channel));
	if (doc && l->host_override)
		json_object_set_new(doc, "host_override", json_true());
	if (doc && l->conversion) {
		char when[TKTIME_BUF];
		tktime_format_iso8601(l->expires_at, TKTIME_BEIJING_OFFSET, when);
		json_object_set_new(doc, "expires_at", json_string(when));
		if (l->demo)
			json_object_set_new(doc, "demo", json_true());
	}
	return doc;
}

/* "UNION:ID" into its parts. */
static bool split_product(const char *s, char *union_, size_t usize, const char **id)
{
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || !colon[1] || (size_t)(colon - s) >= usize)
		return false;
	snprintf(union_, usize, "%.*s", (int)(colon - s), s);
	*id = colon + 1;
	return true;
}

static int link_create(int argc, char **argv, const char *member)
{
	struct link_request req = {.member = member, .url = cli_opt(argc, argv, "--url"),
				   .channel = cli_opt(argc, argv, "--channel"),
				   .origin = LINK_ORIGIN_OPERATOR,
				   .allow_host = cli_flag(argc, argv, "--allow-host")};
	char union_[ORDER_UNION_MAX];
	const char *product = cli_opt(argc, argv, "--product");
	if (product && !split_product(product, union_, sizeof(union_), &req.product)) {
		fprintf(stderr, "tuike: --product: must be UNION:ID, got \"%s\"\n", product);
		return CLI_EXIT_USAGE;
	}
	if (product)
		req.union_ = union_;
	else
		req.union_ = cli_opt(argc, argv, "--union");
	/* a link for one of the member's chat groups carries the group's key */
	const char *group = cli_opt(argc, argv, "--group");
	char group_key[32];
	int64_t gid;
	if (group && (req.channel || !cli_parse_i64("--group", group, &gid) || gid <= 0)) {
		fprintf(stderr, "tuike: --group: a group id, and no --channel with it\n");
		return CLI_EXIT_USAGE;
	}
	if (group) {
		snprintf(group_key, sizeof(group_key), "g%lld", (long long)gid);
		req.channel = group_key;
	}
	struct engine *e;
	struct link_rec l;
	struct tk_error err = {0};
	static struct links_conv conv;
	if (links_conv_load(cli_opt(argc, argv, "--config"), &conv, &err))
		return cli_fail(&err);
	req.conv = &conv;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (links_create(e, &req, engine_now(), &l, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (l.host_override) /* the one-off permission, said where it is seen */
		fprintf(stderr, "tuike: link %s leads to a host not on the allowed list "
			"(--allow-host): %.200s\n", l.code, l.target);
	if (cli_flag(argc, argv, "--json"))
		cli_print_json(link_doc(&l));
	else
		printf("%s %s\n", l.code, l.target);
out:
	engine_close(e);
	return rc;
}

/* Revokes a link: running servers stop redirecting it within a second. */
static int link_revoke(int argc, char **argv, const char *code)
{
	struct engine *e;
	struct link_rec *l = malloc(sizeof(*l));
	struct tk_error err = {0};
	if (!l)
		return CLI_EXIT_FAIL;
	int rc = cli_open(argc, argv, &e);
	if (!rc) {
		if (tracking_link_revoke(engine_store(e), code, 0, engine_now(), l, &err))
			rc = cli_fail(&err);
		else if (cli_flag(argc, argv, "--json"))
			cli_print_json(link_doc(l));
		else
			printf("%s revoked\n", l->code);
		engine_close(e);
	}
	free(l);
	return rc;
}

static void import_created(void *ctx, const struct link_rec *l)
{
	if (*(const bool *)ctx)
		printf("%s\n", l->code);
}

static void import_rejected(void *ctx, const struct tk_error *why)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(why, buf, sizeof(buf));
	fprintf(stderr, "%s\n", buf);
}

/* Creates the links of a JSON Lines file (link_import_file); a bad line is
 * reported and skipped. */
static int link_import(int argc, char **argv, const char *path)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "tuike: cannot open \"%s\"\n", path);
		return CLI_EXIT_FAIL;
	}
	struct engine *e;
	static struct links_conv conv;
	struct tk_error err = {0};
	int rc = links_conv_load(cli_opt(argc, argv, "--config"), &conv, &err)
			 ? cli_fail(&err) : cli_open(argc, argv, &e);
	if (rc) {
		if (in != stdin)
			fclose(in);
		return rc;
	}
	bool codes = cli_flag(argc, argv, "--codes");
	struct link_import_report rep = {import_created, import_rejected, &codes};
	struct link_import_counts n;
	if (link_import_file(e, &conv, in, path, engine_now(), &rep, &n, &err)) {
		rc = cli_fail(&err);
	} else {
		if (!codes)
			cli_print_json(json_pack("{s:I, s:I, s:I}", "read", (json_int_t)n.read,
						 "created", (json_int_t)n.created, "rejected",
						 (json_int_t)n.rejected));
		rc = n.rejected ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	engine_close(e);
	if (in != stdin)
		fclose(in);
	return rc;
}

static void refresh_failed(void *ctx, const struct conversion_rec *c, const struct tk_error *why)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(why, buf, sizeof(buf));
	fprintf(stderr, "tuike: link refresh %s %s: %s\n", c->union_, c->product, buf);
}

/* Makes again the conversions behind links that expire within --within
 * (default 7d); running servers pick the new targets up within a second. */
static int link_refresh(int argc, char **argv)
{
	const char *within_s = cli_opt(argc, argv, "--within");
	int64_t within = 7 * 86400;
	if (within_s) {
		char *end;
		long long d = strtoll(within_s, &end, 10);
		if (end == within_s || strcmp(end, "d") != 0 || d < 0 || d > 365) {
			fprintf(stderr, "tuike: --within: must be days 0d..365d (e.g. 7d), got \"%s\"\n",
				within_s);
			return CLI_EXIT_USAGE;
		}
		within = d * 86400;
	}
	static struct links_conv conv;
	struct tk_error err = {0};
	struct engine *e;
	int refreshed, failed;
	if (links_conv_load(cli_opt(argc, argv, "--config"), &conv, &err))
		return cli_fail(&err);
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	if (links_refresh(e, &conv, engine_now(), within, &refreshed, &failed, refresh_failed, NULL,
			  &err)) {
		rc = cli_fail(&err);
	} else {
		printf("%d conversions refreshed, %d failed\n", refreshed, failed);
		rc = failed ? CLI_EXIT_FAIL : 0;
	}
	engine_close(e);
	return rc;
}

int cmd_link(int argc, char **argv)
{
	static const char usage[] =
		"link create MEMBER (--url URL [--union UNION] [--allow-host] | --product UNION:ID) "
		"[--channel NAME | --group ID] [--json] [--config PATH] | link import FILE [--codes] "
		"[--config PATH] | link allow add|remove DOMAIN | link allow list [--json] "
		"| link check [--json]"
		" | link revoke CODE | link refresh [--within 7d] [--config PATH]"
		" | link convert UNION MATERIAL --member ID [--coupon URL] [--tpwd] [--json]";
	static const char *const vals[] = {"--url", "--union", "--product", "--channel", "--group",
					   "--config", "--within", NULL};
	char *args[3];
	if (argc > 1 && strcmp(argv[1], "convert") == 0)
		return cmd_link_convert(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "allow") == 0)
		return cmd_link_allow(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return cmd_link_check(argc - 1, argv + 1);
	int n = cli_args(argc, argv, vals, args, 3);
	if (n == 2 && strcmp(args[0], "create") == 0)
		return link_create(argc, argv, args[1]);
	if (n == 2 && strcmp(args[0], "import") == 0)
		return link_import(argc, argv, args[1]);
	if (n == 2 && strcmp(args[0], "revoke") == 0)
		return link_revoke(argc, argv, args[1]);
	if (n == 1 && strcmp(args[0], "refresh") == 0)
		return link_refresh(argc, argv);
	return cli_usage(usage);
}

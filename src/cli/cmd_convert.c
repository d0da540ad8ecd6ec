/* cmd_convert.c — `tuike link convert`: the union's own promotion link to a
 * product for one member, made with the member's registered union tag
 * (feeds/convert.h does the call). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "feeds/convert.h"
#include "feeds/union_page.h"
#include "store/server_store.h"

static const char convert_usage[] =
	"link convert jd|taobao|pdd MATERIAL --member ID [--coupon URL] [--tpwd] [--json] "
	"[--config PATH]";

static void on_retry(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
		     const struct tk_error *why)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(why, buf, sizeof(buf));
	fprintf(stderr, "tuike: link convert %s: attempt %d failed (%s); retrying in %lld ms\n",
		sync_union_name(u), attempt, buf, (long long)wait_ms);
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static const char *const tag_hint[SYNC_UNIONS] = {
	"jd subUnionId VALUE (or positionId)",
	"taobao relation_id VALUE (or special_id)",
	"pdd uid VALUE",
};

int cmd_link_convert(int argc, char **argv)
{
	static const char *const vals[] = {"--member", "--coupon", "--config", NULL};
	static const char *const flags[] = {"--tpwd", "--json", NULL};
	static struct convert_req req;
	static struct convert_result res;
	static struct sync_conf conf;
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct member_rec m;
	char *args[3];
	int n = cli_args(argc, argv, vals, args, 3);
	const char *member = cli_opt(argc, argv, "--member");
	const char *coupon = cli_opt(argc, argv, "--coupon");
	if (!cli_known_opts(argc, argv, vals, flags))
		return cli_usage(convert_usage);
	memset(&req, 0, sizeof(req));
	if (n != 2 || !member || !sync_union_parse(args[0], &req.u))
		return cli_usage(convert_usage);
	if (!union_copy(req.material, sizeof(req.material), args[1]) ||
	    (coupon && !union_copy(req.coupon_url, sizeof(req.coupon_url), coupon))) {
		fprintf(stderr, "tuike: MATERIAL and --coupon are at most %d bytes\n",
			CONVERT_URL_MAX - 1);
		return CLI_EXIT_USAGE;
	}
	req.tpwd = cli_flag(argc, argv, "--tpwd");
	if (sync_conf_load(cli_opt(argc, argv, "--config"), &conf, &err))
		return cli_fail(&err);

	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	if (engine_member_get(e, member, &m, &err) ||
	    st->server->member_tags(st, m.id, convert_take_tag, &req, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!convert_main_tag(&req)[0]) {
		fprintf(stderr, "tuike: member %s has no %s tag to convert with: register one with "
				"`tuike tag set %s %s`\n",
			m.ext, sync_union_name(req.u), m.ext, tag_hint[req.u]);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	/* A pdd sid carries the member too, so the union's reports group by
	 * member even where uid is hashed. */
	if (req.u == SYNC_PDD)
		snprintf(req.sid, sizeof(req.sid), "%s", m.ext);
	if (convert_check(&conf, &req, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (convert_link(&conf, &req, &res, on_retry, NULL, &err)) {
		char buf[1024];
		tk_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "tuike: link convert %s %s for %s: %s\n", sync_union_name(req.u),
			req.material, m.ext, buf);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	char expires[TKTIME_BUF] = "";
	if (res.ttl_s)
		tktime_format_iso8601(engine_now() + res.ttl_s, TKTIME_BEIJING_OFFSET, expires);
	if (cli_flag(argc, argv, "--json")) {
		json_t *doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:i}", "union",
					sync_union_name(req.u), "member", m.ext, "material",
					req.material, "short_url", text_or_null(res.short_url),
					"long_url", text_or_null(res.long_url), "mobile_short_url",
					text_or_null(res.mobile_short_url), "tpwd",
					text_or_null(res.tpwd), "expires_at", text_or_null(expires),
					"requests", res.requests);
		cli_print_json(doc);
	} else {
		if (res.short_url[0])
			printf("short   %s\n", res.short_url);
		if (res.long_url[0])
			printf("long    %s\n", res.long_url);
		if (res.mobile_short_url[0])
			printf("mobile  %s\n", res.mobile_short_url);
		if (res.tpwd[0])
			printf("tpwd    %s\n", res.tpwd);
		if (expires[0])
			printf("expires %s\n", expires);
	}
out:
	engine_close(e);
	return rc;
}

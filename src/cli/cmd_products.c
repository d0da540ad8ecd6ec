/* cmd_products.c — `tuike products` and `tuike copy`: the product library
 * (import, search, worth-pushing ranking, price history and substitutes,
 * category fit, demo catalogue, copy templates) and copy text. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "cli/cli.h"
#include "cli/poll_loop.h"
#include "core/money.h"
#include "feeds/product_feed.h"

#define WEIGHTS_FILE_MAX 65536

static const char products_usage[] =
	"products import FILE [--atomic] [--json]\n"
	"       tuike products search QUERY [--union U] [--category C] [--min-price FEN]"
	" [--max-price FEN] [--min-commission FEN] [--coupon-valid]"
	" [--sort popular|relevance|sales|commission|price] [--page N] [--per-page N] [--json]\n"
	"       tuike products top [--category C] [--limit N] [--weights FILE] [--json]\n"
	"       tuike products show UNION PRODUCT [--substitutes N] [--weights FILE] [--json]\n"
	"       tuike products categories [--json]\n"
	"       tuike products generate --count N [--days 90] [--seed S]\n"
	"       tuike products weights [--weights FILE]\n"
	"       tuike products sync [jd|taobao|pdd ...] [--every 10m] [--config PATH]\n"
	"       tuike products template set NAME FILE [--channel text|wecom|telegram]\n"
	"       tuike products template show NAME [--channel C] | template list";

static const char copy_usage[] =
	"copy UNION PRODUCT [--template NAME] [--channel text|wecom|telegram] [--member ID]";

static void print_reject(void *ctx, const struct tk_error *err)
{
	long *shown = ctx;
	char buf[1024];
	if (++*shown > 100) {
		if (*shown == 101)
			fprintf(stderr, "tuike: more rejected lines are not shown\n");
		return;
	}
	tk_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "tuike: rejected %s\n", buf);
}

/* Reads a whole small file (at most `max` bytes) into a malloc'd string. */
static char *read_file(const char *path, size_t max, struct tk_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		tk_fail(err, TK_EINVAL, "", "cannot open \"%s\"", path);
		return NULL;
	}
	char *buf = malloc(max + 2);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!buf) {
		tk_fail(err, TK_ENOMEM, "", "out of memory");
		return NULL;
	}
	if (bad || n > max) {
		tk_fail(err, bad ? TK_EIO : TK_ELIMIT, "", bad ? "cannot read \"%s\""
							 : "\"%s\" is larger than %zu bytes",
			path, max);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The score settings: the defaults, changed by --weights FILE. */
static int load_weights(int argc, char **argv, struct catalog_weights *w)
{
	struct tk_error err = {0};
	const char *path = cli_opt(argc, argv, "--weights");
	*w = catalog_weights_default;
	if (!path)
		return CLI_EXIT_OK;
	char *text = read_file(path, WEIGHTS_FILE_MAX, &err);
	if (!text)
		return cli_fail(&err);
	enum tk_rc rc = catalog_weights_parse(text, strlen(text), w, &err);
	free(text);
	if (rc) {
		tk_error_where(&err, path, 0);
		return cli_fail(&err);
	}
	return CLI_EXIT_OK;
}

/* An optional integer option; -1 when absent. */
static bool opt_i64(int argc, char **argv, const char *name, int64_t min, int64_t max,
		    int64_t *out)
{
	const char *v = cli_opt(argc, argv, name);
	if (!v)
		return true;
	if (!cli_parse_i64(name, v, out))
		return false;
	if (*out < min || *out > max) {
		fprintf(stderr, "tuike: %s: must be %lld..%lld, got %lld\n", name, (long long)min,
			(long long)max, (long long)*out);
		return false;
	}
	return true;
}

static int do_import(int argc, char **argv, const char *path)
{
	struct tk_error err = {0};
	struct engine *e;
	long shown = 0;
	int rc;
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "tuike: cannot open \"%s\"\n", path);
		return CLI_EXIT_FAIL;
	}
	if ((rc = cli_open(argc, argv, &e))) {
		if (in != stdin)
			fclose(in);
		return rc;
	}
	struct catalog_import_stats s;
	if (catalog_import(engine_store(e), in, path, engine_now(), cli_flag(argc, argv, "--atomic"),
			   &s, print_reject, &shown, &err)) {
		rc = cli_fail(&err);
		fprintf(stderr, "tuike: %lld lines were applied before the failure\n",
			(long long)(s.inserted + s.updated + s.unchanged));
	} else {
		if (cli_flag(argc, argv, "--json"))
			cli_print_json(catalog_json_import(&s));
		else
			printf("read %lld: %lld new, %lld updated, %lld unchanged, %lld rejected; "
			       "%lld price changes%s\n",
			       (long long)s.read, (long long)s.inserted, (long long)s.updated,
			       (long long)s.unchanged, (long long)s.rejected,
			       (long long)s.price_changes,
			       s.rolled_back ? " (--atomic: nothing applied)" : "");
		rc = s.rejected ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	if (in != stdin)
		fclose(in);
	engine_close(e);
	return rc;
}

static int do_search(int argc, char **argv, const char *query)
{
	struct tk_error err = {0};
	struct engine *e;
	int rc;
	struct catalog_search_request req = {
		.query = query,
		.union_ = cli_opt(argc, argv, "--union"),
		.category = cli_opt(argc, argv, "--category"),
		.min_price = -1,
		.max_price = -1,
		.min_commission = -1,
		.coupon_valid = cli_flag(argc, argv, "--coupon-valid"),
		.sort = CATALOG_SORT_POPULAR,
		.page = 1,
		.per_page = 20,
	};
	const char *sort = cli_opt(argc, argv, "--sort");
	if (sort && !catalog_sort_parse(sort, &req.sort)) {
		fprintf(stderr, "tuike: --sort: must be popular, relevance, sales, commission or "
				"price, got \"%s\"\n", sort);
		return CLI_EXIT_USAGE;
	}
	if (!opt_i64(argc, argv, "--min-price", 0, CATALOG_PRICE_MAX, &req.min_price) ||
	    !opt_i64(argc, argv, "--max-price", 0, CATALOG_PRICE_MAX, &req.max_price) ||
	    !opt_i64(argc, argv, "--min-commission", 0, CATALOG_PRICE_MAX, &req.min_commission) ||
	    !opt_i64(argc, argv, "--page", 1, CATALOG_DEPTH_MAX, &req.page) ||
	    !opt_i64(argc, argv, "--per-page", 1, CATALOG_PER_PAGE_MAX, &req.per_page))
		return CLI_EXIT_USAGE;
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	req.now = engine_now();
	struct catalog_search_result res;
	if (catalog_search(engine_store(e), &req, &res, &err)) {
		rc = cli_fail(&err);
	} else {
		if (cli_flag(argc, argv, "--json")) {
			cli_print_json(catalog_json_search(&req, &res));
		} else {
			printf("%s%lld matches, page %lld\n", res.total_exact ? "" : "over ",
			       (long long)res.total, (long long)res.page);
			for (int i = 0; i < res.n; i++) {
				char a[MONEY_YUAN_BUF];
				const struct catalog_product *p = &res.items[i];
				printf("%-6s %-14s %10s  %s\n", p->union_, p->product,
				       money_format_yuan(catalog_final_price(p, req.now), a), p->title);
			}
		}
		catalog_search_result_free(&res);
	}
	engine_close(e);
	return rc;
}

static int do_top(int argc, char **argv)
{
	struct tk_error err = {0};
	struct catalog_weights w;
	struct engine *e;
	int64_t limit = 20;
	int rc;
	if ((rc = load_weights(argc, argv, &w)))
		return rc;
	if (!opt_i64(argc, argv, "--limit", 1, CATALOG_TOP_MAX, &limit))
		return CLI_EXIT_USAGE;
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	int64_t now = engine_now();
	const char *category = cli_opt(argc, argv, "--category");
	struct catalog_scored *items;
	int n;
	if (catalog_top(engine_store(e), category, (int)limit, now, &w, &items, &n, &err)) {
		rc = cli_fail(&err);
	} else {
		if (cli_flag(argc, argv, "--json")) {
			cli_print_json(catalog_json_top(items, n, category, now, &w));
		} else {
			for (int i = 0; i < n; i++) {
				const struct catalog_scored *s = &items[i];
				printf("%3d. %3d.%02d  %s %s  %s\n", i + 1, s->score.total / 100,
				       s->score.total % 100, s->product.union_, s->product.product,
				       s->product.title);
				for (int k = 0; k < s->score.n_reasons; k++)
					printf("       - %s\n", s->score.reasons[k].text);
			}
		}
		free(items);
	}
	engine_close(e);
	return rc;
}

static int do_show(int argc, char **argv, const char *union_, const char *product)
{
	struct tk_error err = {0};
	struct catalog_weights w;
	struct engine *e;
	int64_t subs = 5;
	int rc;
	if ((rc = load_weights(argc, argv, &w)))
		return rc;
	if (!opt_i64(argc, argv, "--substitutes", 0, CATALOG_SUBSTITUTES_MAX, &subs))
		return CLI_EXIT_USAGE;
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	int64_t now = engine_now();
	struct catalog_detail d;
	if (catalog_show(engine_store(e), union_, product, (int)subs, now, &w, &d, &err)) {
		rc = cli_fail(&err);
	} else {
		if (cli_flag(argc, argv, "--json")) {
			cli_print_json(catalog_json_detail(&d, now, &w));
		} else {
			char a[MONEY_YUAN_BUF], b[MONEY_YUAN_BUF], c[MONEY_YUAN_BUF];
			const struct catalog_history_summary *h = &d.scored.history;
			printf("%s\n  now %s, lowest %s, highest %s (%lld days tracked)\n  score %d.%02d\n",
			       d.scored.product.title, money_format_yuan(h->current, a),
			       money_format_yuan(h->lowest, b), money_format_yuan(h->highest, c),
			       (long long)h->tracked_days, d.scored.score.total / 100,
			       d.scored.score.total % 100);
			for (int k = 0; k < d.scored.score.n_reasons; k++)
				printf("  - %s\n", d.scored.score.reasons[k].text);
			for (int i = 0; i < d.n_subs; i++)
				printf("  substitute %s %s  %s (earns %s)\n", d.subs[i].product.union_,
				       d.subs[i].product.product,
				       money_format_yuan(d.subs[i].final_price, a),
				       money_format_yuan(d.subs[i].earn, b));
		}
		catalog_detail_free(&d);
	}
	engine_close(e);
	return rc;
}

static int do_categories(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e;
	int rc;
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	struct catalog_fit f;
	if (catalog_category_fit(engine_store(e), &f, &err)) {
		rc = cli_fail(&err);
	} else {
		if (cli_flag(argc, argv, "--json")) {
			cli_print_json(catalog_json_fit(&f));
		} else {
			for (int i = 0; i < f.n; i++) {
				const struct catalog_category_stats *c = &f.cats[i];
				printf("%-12s %8lld products %8lld orders  refunds %lld  %s\n",
				       c->category[0] ? c->category : "(none)", (long long)c->products,
				       (long long)c->orders, (long long)c->refunds,
				       catalog_fit_verdict(c, f.products, f.orders));
			}
		}
		catalog_fit_free(&f);
	}
	engine_close(e);
	return rc;
}

static int do_generate(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e;
	int64_t count = -1, days = 90, seed = 1;
	int rc;
	if (!opt_i64(argc, argv, "--count", 1, CATALOG_GENERATE_MAX, &count) ||
	    !opt_i64(argc, argv, "--days", 0, CATALOG_GENERATE_DAYS_MAX, &days) ||
	    !opt_i64(argc, argv, "--seed", 0, INT64_MAX, &seed))
		return CLI_EXIT_USAGE;
	if (count < 0)
		return cli_usage("products generate --count N [--days 90] [--seed S]");
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	struct catalog_generate_stats s;
	if (catalog_generate(engine_store(e), count, (int)days, (uint64_t)seed, engine_now(), &s,
			     &err))
		rc = cli_fail(&err);
	else
		printf("generated %lld products with %lld price points over %lld days\n",
		       (long long)s.products, (long long)s.points, (long long)days);
	engine_close(e);
	return rc;
}

static bool parse_channel(int argc, char **argv, enum catalog_channel *ch)
{
	const char *c = cli_opt(argc, argv, "--channel");
	*ch = CHANNEL_TEXT;
	if (c && !catalog_channel_parse(c, ch)) {
		fprintf(stderr, "tuike: --channel: must be text, wecom or telegram, got \"%s\"\n", c);
		return false;
	}
	return true;
}

struct tpl_list {
	json_t *arr;
};

static bool tpl_visit(void *ctx, const char *name, enum catalog_channel ch, const char *body,
		      int64_t at)
{
	struct tpl_list *l = ctx;
	(void)at;
	json_array_append_new(l->arr, json_pack("{s:s, s:s, s:s, s:b}", "name", name, "channel",
						catalog_channel_name(ch), "body", body, "builtin",
						0));
	return true;
}

static int do_template(int argc, char **argv, char **args, int n)
{
	struct tk_error err = {0};
	struct engine *e;
	enum catalog_channel ch;
	int rc;
	if (!parse_channel(argc, argv, &ch))
		return CLI_EXIT_USAGE;
	bool set = n == 4 && strcmp(args[1], "set") == 0;
	bool show = n == 3 && strcmp(args[1], "show") == 0;
	bool list = n == 2 && strcmp(args[1], "list") == 0;
	if (!set && !show && !list)
		return cli_usage(products_usage);
	char *body = NULL;
	if (set && !(body = read_file(args[3], CATALOG_TEMPLATE_MAX, &err)))
		return cli_fail(&err);
	if ((rc = cli_open(argc, argv, &e))) {
		free(body);
		return rc;
	}
	if (set) {
		if (catalog_template_set(engine_store(e), args[2], ch, body, engine_now(), &err)) {
			tk_error_where(&err, args[3], 0);
			rc = cli_fail(&err);
		} else {
			printf("template %s for %s saved\n", args[2], catalog_channel_name(ch));
		}
	} else if (show) {
		char *t = malloc(CATALOG_TEMPLATE_MAX + 1);
		bool builtin;
		if (!t)
			rc = cli_fail(&(struct tk_error){.rc = TK_ENOMEM, .msg = "out of memory"});
		else if (catalog_template_find(engine_store(e), args[2], ch, t, &builtin, &err))
			rc = cli_fail(&err);
		else
			printf("%s\n", t);
		free(t);
	} else {
		struct tpl_list l = {json_array()};
		for (int i = 0; catalog_template_builtin_names[i]; i++)
			for (int c = CHANNEL_TEXT; c <= CHANNEL_TELEGRAM; c++)
				json_array_append_new(
					l.arr, json_pack("{s:s, s:s, s:s, s:b}", "name",
							 catalog_template_builtin_names[i], "channel",
							 catalog_channel_name((enum catalog_channel)c),
							 "body",
							 catalog_template_builtin(
								 catalog_template_builtin_names[i],
								 (enum catalog_channel)c),
							 "builtin", 1));
		if (engine_store(e)->catalog->template_each(engine_store(e), tpl_visit, &l, &err)) {
			json_decref(l.arr);
			rc = cli_fail(&err);
		} else {
			cli_print_json(l.arr);
		}
	}
	free(body);
	engine_close(e);
	return rc;
}

/* ---- products sync ---- */

struct pull_ctx {
	struct store *st;
	struct catalog_feed feed;
};

static enum tk_rc apply_page(void *ctx, const struct catalog_product *v, size_t n,
			     struct tk_error *err)
{
	struct pull_ctx *c = ctx;
	return catalog_feed_page(c->st, &c->feed, v, n, err);
}

static void on_pull_retry(void *ctx, enum sync_union u, int attempt, int64_t wait_ms,
			  const struct tk_error *why)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(why, buf, sizeof(buf));
	fprintf(stderr, "tuike: products sync %s: attempt %d failed (%s); retrying in %lld ms\n",
		sync_union_name(u), attempt, buf, (long long)wait_ms);
}

static void on_pull_reject(void *ctx, enum sync_union u, const struct tk_error *why)
{
	char buf[1024];
	(void)ctx;
	tk_error_format(why, buf, sizeof(buf));
	fprintf(stderr, "tuike: products sync %s: refused a product: %s\n", sync_union_name(u),
		buf);
}

/* One pull of one union, applied page by page; one JSON line on stdout. */
static int pull_union(struct engine *e, const struct sync_conf *conf, enum sync_union u,
		      volatile sig_atomic_t *stop)
{
	struct tk_error err = {0};
	struct product_pull_report rep;
	struct pull_ctx c = {.st = engine_store(e)};
	int rc = CLI_EXIT_OK;
	catalog_feed_init(&c.feed, sync_union_name(u), engine_now());
	enum tk_rc prc = product_feed_pull(conf, u, apply_page, on_pull_retry, on_pull_reject, &c,
					   stop, &rep, &err);
	if (prc == TK_OK)
		prc = catalog_feed_finish(c.st, &c.feed, rep.complete, &err);
	const struct catalog_feed_stats *s = &c.feed.stats;
	json_t *doc = json_pack("{s:s, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
				"union", sync_union_name(u), "requests", rep.requests, "pages",
				rep.pages, "products", (json_int_t)rep.products, "inserted",
				(json_int_t)s->inserted, "updated", (json_int_t)s->updated,
				"unchanged", (json_int_t)s->unchanged, "price_changes",
				(json_int_t)s->price_changes, "returned", (json_int_t)s->returned,
				"gone", (json_int_t)s->gone, "rejected", (json_int_t)rep.rejected,
				"complete", prc == TK_OK && rep.complete);
	if (doc && !(prc == TK_OK && rep.complete))
		json_object_set_new(doc, "incomplete",
				    json_string(prc ? "the pull failed" : rep.why_incomplete));
	cli_print_json(doc);
	fflush(stdout);
	if (prc) {
		char buf[1024];
		tk_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "tuike: products sync %s: %s\n", sync_union_name(u), buf);
		rc = CLI_EXIT_FAIL;
	}
	catalog_feed_free(&c.feed);
	return rc;
}

/* One pull of every wanted union (poll_loop.h).  A stop signal ends the
 * pull in flight: its pages are kept and no product is marked gone. */
struct products_round {
	struct engine *e;
	const struct sync_conf *conf;
	const bool *wanted;
};

static int products_round(void *ctx, volatile sig_atomic_t *stop)
{
	struct products_round *r = ctx;
	int rc = CLI_EXIT_OK;
	for (int u = 0; u < SYNC_UNIONS && !*stop; u++)
		if (r->wanted[u] && pull_union(r->e, r->conf, u, stop) != CLI_EXIT_OK)
			rc = CLI_EXIT_FAIL;
	return rc;
}

static int do_sync(int argc, char **argv, char **args, int n)
{
	struct tk_error err = {0};
	struct sync_conf conf;
	bool wanted[SYNC_UNIONS] = {false}, any = false;
	int64_t every_ms = 0;
	for (int i = 1; i < n; i++) {
		enum sync_union u;
		if (!sync_union_parse(args[i], &u)) {
			fprintf(stderr, "tuike: no union \"%s\" (jd, taobao, pdd)\n", args[i]);
			return cli_usage(products_usage);
		}
		wanted[u] = true;
	}
	const char *s = cli_opt(argc, argv, "--every");
	if (s && (!sync_duration_ms(s, &every_ms) || every_ms < 1000)) {
		fprintf(stderr, "tuike: --every: must be a duration of at least 1s (60s, 10m, 1h), "
				"got \"%s\"\n", s);
		return CLI_EXIT_USAGE;
	}
	if (sync_conf_load(cli_opt(argc, argv, "--config"), &conf, &err))
		return cli_fail(&err);
	for (int u = 0; u < SYNC_UNIONS; u++) {
		if (n == 1)
			wanted[u] = sync_conf_has(&conf, u);
		any = any || wanted[u];
	}
	if (!any) {
		fprintf(stderr, "tuike: no union has credentials: set e.g. jd.app_key and "
				"jd.app_secret in --config, or TUIKE_JD_APP_KEY and "
				"TUIKE_JD_APP_SECRET\n");
		return CLI_EXIT_USAGE;
	}
	struct engine *e = NULL;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct products_round r = {.e = e, .conf = &conf, .wanted = wanted};
	rc = poll_loop_run(every_ms, products_round, &r);
	engine_close(e);
	return rc;
}

int cmd_products(int argc, char **argv)
{
	static const char *const vals[] = {
		"--union", "--category", "--min-price", "--max-price", "--min-commission",
		"--page", "--per-page", "--sort", "--limit", "--substitutes", "--count",
		"--days", "--seed", "--weights", "--channel", "--every", "--config", NULL,
	};
	char *args[5];
	int n = cli_args(argc, argv, vals, args, 5);
	if (n < 1 || n > 5)
		return cli_usage(products_usage);
	const char *sub = args[0];
	if (strcmp(sub, "import") == 0 && n == 2)
		return do_import(argc, argv, args[1]);
	if (strcmp(sub, "search") == 0 && n == 2)
		return do_search(argc, argv, args[1]);
	if (strcmp(sub, "top") == 0 && n == 1)
		return do_top(argc, argv);
	if (strcmp(sub, "show") == 0 && n == 3)
		return do_show(argc, argv, args[1], args[2]);
	if (strcmp(sub, "categories") == 0 && n == 1)
		return do_categories(argc, argv);
	if (strcmp(sub, "sync") == 0)
		return do_sync(argc, argv, args, n);
	if (strcmp(sub, "generate") == 0 && n == 1)
		return do_generate(argc, argv);
	if (strcmp(sub, "template") == 0 && n >= 2)
		return do_template(argc, argv, args, n);
	if (strcmp(sub, "weights") == 0 && n == 1) {
		struct catalog_weights w;
		int rc = load_weights(argc, argv, &w);
		if (!rc)
			cli_print_json(catalog_json_weights(&w));
		return rc;
	}
	if (strcmp(sub, "search") == 0 && n > 2)
		fprintf(stderr, "tuike: quote a query of several words: "
				"tuike products search \"iphone 15\"\n");
	return cli_usage(products_usage);
}

int cmd_copy(int argc, char **argv)
{
	static const char *const vals[] = {"--template", "--channel", "--member", "--weights", NULL};
	char *args[3];
	struct tk_error err = {0};
	struct catalog_weights w;
	struct engine *e;
	int rc;
	if (cli_args(argc, argv, vals, args, 3) != 2)
		return cli_usage(copy_usage);
	struct catalog_copy_request req = {
		.union_ = args[0],
		.product = args[1],
		.template_name = cli_opt(argc, argv, "--template"),
	};
	if (!parse_channel(argc, argv, &req.channel))
		return CLI_EXIT_USAGE;
	if ((rc = load_weights(argc, argv, &w)))
		return rc;
	req.window_days = w.window_days;
	if ((rc = cli_open(argc, argv, &e)))
		return rc;
	req.now = engine_now();
	char code[16];
	const char *member = cli_opt(argc, argv, "--member");
	if (member) {
		struct member_rec m;
		if (engine_member_get(e, member, &m, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		engine_invite_code(m.id, code);
		req.invite_code = code;
	}
	char *text = malloc(CATALOG_COPY_BUF);
	bool cut;
	if (!text) {
		fprintf(stderr, "tuike: out of memory\n");
		rc = CLI_EXIT_FAIL;
	} else if (catalog_copy(engine_store(e), &req, text, &cut, &err)) {
		rc = cli_fail(&err);
	} else {
		if (cli_flag(argc, argv, "--json"))
			cli_print_json(json_pack("{s:s, s:s, s:b, s:I}", "channel",
						 catalog_channel_name(req.channel), "text", text,
						 "title_cut", cut, "length",
						 (json_int_t)catalog_copy_measure(req.channel, text)));
		else
			printf("%s\n", text);
	}
	free(text);
out:
	engine_close(e);
	return rc;
}

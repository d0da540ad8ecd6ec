/* cmd_promo.c — `tuike merchant ...` and `tuike campaign ...`: the
 * promotion head's registry from the command line (merchants and shops,
 * campaigns, their products one by one or from a product sheet, slot
 * fees).  Each subcommand parses, calls one operation of src/promo, and
 * prints a line, or the API's document with --json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "promo/promo_registry.h"

static const char *const value_opts[] = {
	"--contact", "--phone",	 "--wechat", "--terms",	   "--note",	 "--q",
	"--state",   "--limit",	 "--before", "--promote",  "--apply",	 "--ext",
	"--merchant", "--status", "--union", "--from",	   "--to",	 "--commission",
	"--service", "--price",	 "--coupon", "--title",	   "--category", "--coupon-url",
	"--reason",  "--name",	 "--since", NULL,
};
static const char *const flags[] = {"--json", NULL};

static int merchant_usage(void)
{
	return cli_usage("merchant add NAME [--contact C] [--phone P] [--wechat W] [--terms T] "
			 "[--note N] | list [--q TEXT] [--state active|archived] [--limit N] "
			 "[--before ID] | show ID | set ID [--name N] [--contact C] [--phone P] "
			 "[--wechat W] [--terms T] [--note N] [--state S] | shop ID UNION SHOP [NAME] "
			 "| unshop ID UNION SHOP   (--json: the API's document)");
}

static int campaign_usage(void)
{
	return cli_usage(
		"campaign add MERCHANT UNION NAME --promote FROM..TO [--apply FROM..TO] [--ext ID] "
		"[--note N] | list [--merchant ID] [--status S] [--union U] [--from D] [--to D] "
		"[--limit N] | show ID | status ID STATUS [--reason R] | item ID PRODUCT "
		"--commission PM --service PM [--price FEN] [--coupon FEN] [--title T] [--category C] "
		"[--coupon-url U] | items ID FILE.csv | slot ID CHANNEL FEN [--note N] | collect SLOT "
		"| waive SLOT\n"
		"  rates: per mille (205) or a percentage (20.5, 20.5%); dates 2026-12-01 (Beijing)");
}

static bool parse_id(const char *what, const char *s, int64_t *id)
{
	return cli_parse_i64(what, s, id) && *id > 0;
}

/* Opens the engine and hands back its store; nonzero exit status on error. */
static int open_store(int argc, char **argv, struct engine **e, struct store **st)
{
	int rc = cli_open(argc, argv, e);
	if (!rc)
		*st = engine_store(*e);
	return rc;
}

/* Prints doc (taken) as JSON, or `line` when not --json. */
static int print(bool json, json_t *doc, const char *line)
{
	if (json)
		cli_print_json(doc);
	else {
		json_decref(doc);
		printf("%s\n", line);
	}
	return CLI_EXIT_OK;
}

/* ---- merchant ---- */

static void merchant_opts(int argc, char **argv, struct promo_merchant_req *r)
{
	r->contact = cli_opt(argc, argv, "--contact");
	r->phone = cli_opt(argc, argv, "--phone");
	r->wechat = cli_opt(argc, argv, "--wechat");
	r->terms = cli_opt(argc, argv, "--terms");
	r->note = cli_opt(argc, argv, "--note");
}

static bool list_limit(int argc, char **argv, int *limit, int64_t *before)
{
	const char *l = cli_opt(argc, argv, "--limit"), *b = cli_opt(argc, argv, "--before");
	int64_t v = 50;
	if (l && (!cli_parse_i64("--limit", l, &v) || v < 1 || v > PROMO_LIST_MAX))
		return false;
	*limit = (int)v;
	*before = 0;
	return !b || cli_parse_i64("--before", b, before);
}

static void print_page(bool json, json_t *doc, const char *key)
{
	if (json) {
		cli_print_json(doc);
		return;
	}
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(doc, key), i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));
		const char *state = json_string_value(json_object_get(row, "state"));
		const char *status = json_string_value(json_object_get(row, "status"));
		if (name)
			printf("%-6lld %-9s %s\n", (long long)json_integer_value(json_object_get(row, "id")),
			       status ? status : state ? state : "", name);
		else
			printf("%-6lld %-9s campaign %lld channel %lld %lld fen\n",
			       (long long)json_integer_value(json_object_get(row, "id")), state,
			       (long long)json_integer_value(json_object_get(row, "campaign")),
			       (long long)json_integer_value(json_object_get(row, "channel")),
			       (long long)json_integer_value(json_object_get(row, "amount_fen")));
	}
	json_decref(doc);
}

int cmd_merchant(int argc, char **argv)
{
	char *args[9] = {argv[0]}; /* args[1] the subcommand, as the usage counts */
	int n = 1 + cli_args(argc, argv, value_opts, args + 1, 8);
	bool json = cli_flag(argc, argv, "--json");
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct store *st;
	int rc;
	char line[256];
	int64_t id = 0;
	if (!cli_known_opts(argc, argv, value_opts, flags) || n < 2)
		return merchant_usage();
	const char *sub = args[1];
	if (strcmp(sub, "list") && strcmp(sub, "add") && n >= 3 && !parse_id("ID", args[2], &id))
		return merchant_usage();
	struct merchant_rec *m = malloc(sizeof(*m));
	if (!m)
		return CLI_EXIT_FAIL;
	if (strcmp(sub, "add") == 0 && n == 3) {
		struct promo_merchant_req r = {.name = args[2]};
		merchant_opts(argc, argv, &r);
		if ((rc = open_store(argc, argv, &e, &st)))
			goto out;
		if (promo_merchant_add(st, &r, engine_now(), m, &err))
			rc = cli_fail(&err);
		else {
			snprintf(line, sizeof(line), "merchant %lld %s", (long long)m->id, m->name);
			rc = print(json, promo_merchant_json(m), line);
		}
	} else if (strcmp(sub, "set") == 0 && n == 3) {
		struct promo_merchant_req r = {.name = cli_opt(argc, argv, "--name"),
					       .state = cli_opt(argc, argv, "--state")};
		merchant_opts(argc, argv, &r);
		if ((rc = open_store(argc, argv, &e, &st)))
			goto out;
		if (promo_merchant_update(st, id, &r, engine_now(), m, &err))
			rc = cli_fail(&err);
		else {
			snprintf(line, sizeof(line), "merchant %lld %s (%s)", (long long)m->id, m->name,
				 m->state);
			rc = print(json, promo_merchant_json(m), line);
		}
	} else if (strcmp(sub, "list") == 0 && n == 2) {
		struct merchant_filter f = {.q = cli_opt(argc, argv, "--q"),
					    .state = cli_opt(argc, argv, "--state")};
		json_t *doc;
		if (!list_limit(argc, argv, &f.limit, &f.before)) {
			rc = merchant_usage();
			goto out;
		}
		if ((rc = open_store(argc, argv, &e, &st)))
			goto out;
		if (promo_merchant_page(st, &f, &doc, &err))
			rc = cli_fail(&err);
		else
			print_page(json, doc, "merchants");
	} else if (strcmp(sub, "show") == 0 && n == 3) {
		json_t *doc;
		if ((rc = open_store(argc, argv, &e, &st)))
			goto out;
		if (promo_merchant_doc(st, id, &doc, &err))
			rc = cli_fail(&err);
		else
			cli_print_json(doc);
	} else if ((strcmp(sub, "shop") == 0 && (n == 5 || n == 6)) ||
		   (strcmp(sub, "unshop") == 0 && n == 5)) {
		struct shop_rec s;
		if ((rc = open_store(argc, argv, &e, &st)))
			goto out;
		if (sub[0] == 'u') {
			if (promo_shop_remove(st, id, args[3], args[4], engine_now(), &err))
				rc = cli_fail(&err);
			else
				printf("removed %s/%s from merchant %lld\n", args[3], args[4],
				       (long long)id);
		} else if (promo_shop_add(st, id, args[3], args[4], n == 6 ? args[5] : NULL,
					  engine_now(), &s, &err)) {
			rc = cli_fail(&err);
		} else {
			snprintf(line, sizeof(line), "shop %s/%s of merchant %lld", s.union_, s.shop,
				 (long long)id);
			rc = print(json, promo_shop_json(&s), line);
		}
	} else {
		rc = merchant_usage();
	}
out:
	if (e)
		engine_close(e);
	free(m);
	return rc;
}

/* ---- campaign ---- */

/* "FROM..TO" into two times (TO a day's end when a date). */
static bool window_opt(const char *v, const char *field, int64_t *from, int64_t *to,
		       struct tk_error *err)
{
	const char *dots = strstr(v, "..");
	char a[48];
	if (!dots || (size_t)(dots - v) >= sizeof(a)) {
		tk_fail(err, TK_EINVAL, field, "must be FROM..TO, got \"%.48s\"", v);
		return false;
	}
	memcpy(a, v, (size_t)(dots - v));
	a[dots - v] = '\0';
	return !promo_time_parse(field, a, false, from, err) &&
	       !promo_time_parse(field, dots + 2, true, to, err);
}

static bool fen_opt(int argc, char **argv, const char *name, int64_t *v)
{
	const char *s = cli_opt(argc, argv, name);
	*v = 0;
	return !s || cli_parse_i64(name, s, v);
}

static int campaign_add(int argc, char **argv, char **args, bool json, struct tk_error *err)
{
	struct promo_campaign_req r = {.union_ = args[3], .name = args[4],
				       .ext_id = cli_opt(argc, argv, "--ext"),
				       .note = cli_opt(argc, argv, "--note")};
	const char *promote = cli_opt(argc, argv, "--promote"), *apply = cli_opt(argc, argv, "--apply");
	struct engine *e = NULL;
	struct store *st;
	char line[256];
	int rc;
	if (!parse_id("MERCHANT", args[2], &r.merchant) || !promote)
		return campaign_usage();
	if (!window_opt(promote, "promote", &r.promote_from, &r.promote_to, err) ||
	    (apply && !window_opt(apply, "apply", &r.apply_from, &r.apply_to, err)))
		return cli_fail(err);
	struct campaign_rec *c = malloc(sizeof(*c));
	if (!c)
		return CLI_EXIT_FAIL;
	if (!(rc = open_store(argc, argv, &e, &st))) {
		if (promo_campaign_add(st, &r, engine_now(), c, err))
			rc = cli_fail(err);
		else {
			snprintf(line, sizeof(line), "campaign %lld %s (%s)", (long long)c->id,
				 c->name, c->status);
			rc = print(json, promo_campaign_json(c), line);
		}
		engine_close(e);
	}
	free(c);
	return rc;
}

static int campaign_item(int argc, char **argv, int64_t id, const char *product, bool json,
			 struct store *st, struct tk_error *err)
{
	struct promo_item_req r = {.product = product,
				   .title = cli_opt(argc, argv, "--title"),
				   .category = cli_opt(argc, argv, "--category"),
				   .coupon_url = cli_opt(argc, argv, "--coupon-url"),
				   .commission = cli_opt(argc, argv, "--commission"),
				   .service = cli_opt(argc, argv, "--service")};
	char line[256];
	bool created;
	if (!fen_opt(argc, argv, "--price", &r.price) || !fen_opt(argc, argv, "--coupon", &r.coupon))
		return CLI_EXIT_USAGE;
	struct campaign_item_rec *i = malloc(sizeof(*i));
	if (!i)
		return CLI_EXIT_FAIL;
	int rc;
	if (promo_item_put(st, id, &r, engine_now(), i, &created, err))
		rc = cli_fail(err);
	else {
		snprintf(line, sizeof(line), "%s product %s of campaign %lld", created ? "added" : "changed",
			 i->product, (long long)id);
		rc = print(json, promo_item_json(i), line);
	}
	free(i);
	return rc;
}

int cmd_campaign(int argc, char **argv)
{
	char *args[9] = {argv[0]}; /* args[1] the subcommand, as the usage counts */
	int n = 1 + cli_args(argc, argv, value_opts, args + 1, 8);
	bool json = cli_flag(argc, argv, "--json");
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct store *st;
	char line[256];
	int64_t id = 0;
	int rc;
	if (!cli_known_opts(argc, argv, value_opts, flags) || n < 2)
		return campaign_usage();
	const char *sub = args[1];
	if (strcmp(sub, "rematch") == 0)
		return cmd_campaign_rematch(argc, argv);
	if (strcmp(sub, "add") == 0)
		return n == 5 ? campaign_add(argc, argv, args, json, &err) : campaign_usage();
	if (strcmp(sub, "list") == 0) {
		struct campaign_filter f = {.status = cli_opt(argc, argv, "--status"),
					    .union_ = cli_opt(argc, argv, "--union")};
		const char *m = cli_opt(argc, argv, "--merchant"), *from = cli_opt(argc, argv, "--from"),
			   *to = cli_opt(argc, argv, "--to");
		json_t *doc;
		if (n != 2 || !list_limit(argc, argv, &f.limit, &f.before) ||
		    (m && !parse_id("--merchant", m, &f.merchant)))
			return campaign_usage();
		if ((from && promo_time_parse("from", from, false, &f.from, &err)) ||
		    (to && promo_time_parse("to", to, true, &f.to, &err)))
			return cli_fail(&err);
		if ((rc = open_store(argc, argv, &e, &st)))
			return rc;
		if (promo_campaign_page(st, &f, &doc, &err))
			rc = cli_fail(&err);
		else
			print_page(json, doc, "campaigns");
		engine_close(e);
		return rc;
	}
	if (n < 3 || !parse_id("ID", args[2], &id))
		return campaign_usage();
	bool ok = (strcmp(sub, "show") == 0 && n == 3) || (strcmp(sub, "status") == 0 && n == 4) ||
		  (strcmp(sub, "item") == 0 && n == 4) || (strcmp(sub, "items") == 0 && n == 4) ||
		  (strcmp(sub, "slot") == 0 && n == 5) || (strcmp(sub, "collect") == 0 && n == 3) ||
		  (strcmp(sub, "waive") == 0 && n == 3);
	if (!ok)
		return campaign_usage();
	FILE *sheet = NULL;
	int64_t channel = 0, fen = 0;
	if (strcmp(sub, "slot") == 0 &&
	    (!parse_id("CHANNEL", args[3], &channel) || !cli_parse_i64("FEN", args[4], &fen)))
		return campaign_usage();
	if (strcmp(sub, "items") == 0 && !(sheet = fopen(args[3], "rb"))) {
		fprintf(stderr, "tuike: cannot read %s\n", args[3]);
		return CLI_EXIT_FAIL;
	}
	if ((rc = open_store(argc, argv, &e, &st))) {
		if (sheet)
			fclose(sheet);
		return rc;
	}
	struct campaign_rec *c = malloc(sizeof(*c));
	struct slot_fee_rec *f = malloc(sizeof(*f));
	json_t *doc;
	if (!c || !f) {
		rc = CLI_EXIT_FAIL;
	} else if (strcmp(sub, "show") == 0) {
		if (promo_campaign_doc(st, id, &doc, &err))
			rc = cli_fail(&err);
		else
			cli_print_json(doc);
	} else if (strcmp(sub, "status") == 0) {
		if (promo_campaign_status(st, id, args[3], cli_opt(argc, argv, "--reason"),
					  engine_now(), c, &err))
			rc = cli_fail(&err);
		else {
			snprintf(line, sizeof(line), "campaign %lld %s", (long long)id, c->status);
			rc = print(json, promo_campaign_json(c), line);
		}
	} else if (strcmp(sub, "item") == 0) {
		rc = campaign_item(argc, argv, id, args[3], json, st, &err);
	} else if (strcmp(sub, "items") == 0) {
		int64_t added, changed;
		if (promo_items_import(st, id, sheet, args[3], engine_now(), &added, &changed, &err))
			rc = cli_fail(&err);
		else {
			snprintf(line, sizeof(line), "campaign %lld: %lld products added, %lld changed",
				 (long long)id, (long long)added, (long long)changed);
			rc = print(json,
				   json_pack("{s:I, s:I, s:I}", "campaign", (json_int_t)id, "added",
					     (json_int_t)added, "changed", (json_int_t)changed),
				   line);
		}
	} else if (strcmp(sub, "slot") == 0) {
		if (promo_slot_book(st, id, channel, fen, cli_opt(argc, argv, "--note"), engine_now(),
				    f, &err))
			rc = cli_fail(&err);
		else {
			snprintf(line, sizeof(line), "slot fee %lld: %lld fen booked", (long long)f->id,
				 (long long)f->amount);
			rc = print(json, promo_slot_json(f), line);
		}
	} else {
		bool waive = strcmp(sub, "waive") == 0;
		if (waive ? promo_slot_waive(st, id, engine_now(), f, &err)
			  : promo_slot_collect(st, id, engine_now(), f, &err))
			rc = cli_fail(&err);
		else {
			snprintf(line, sizeof(line), "slot fee %lld %s", (long long)id, f->state);
			rc = print(json, promo_slot_json(f), line);
		}
	}
	if (sheet)
		fclose(sheet);
	free(c);
	free(f);
	engine_close(e);
	return rc;
}

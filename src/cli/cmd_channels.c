/* cmd_channels.c — `tuike channel ...`: the head's partner channels (add,
 * list, show, set, history), their union ids (id, unid), and channel
 * matching: the channels ranked for a campaign product (match) and the
 * campaign products that suit a channel (suits). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "promo/channels.h"

static int channel_usage(void)
{
	return cli_usage(
		"channel add NAME KIND [--categories a,b] [--contact C] [--note N] | list [--kind K] "
		"[--state S] [--category C] [--name PART] [--limit N] [--before ID] [--json] | show "
		"ID | set ID [--name N] [--kind K] [--contact C] [--note N] [--state S] "
		"[--categories a,b] | id ID UNION KIND VALUE | unid ID UNION KIND VALUE | history ID "
		"| match CAMPAIGN_ITEM [--days N] [--json] | suits CHANNEL [--days N] [--json]\n"
		"  kinds: team talent app wechat weibo zhihu guide other; states: active paused "
		"blocked\n"
		"  union ids: jd rid|channelId, pdd duoid, taobao relation_id|pub_id");
}

static bool parse_id(const char *s, int64_t *id)
{
	return cli_parse_i64("ID", s, id) && *id > 0;
}

/* --categories "a,b": split in place into r (list malloc'd in *list). */
static bool cats_arg(int argc, char **argv, struct channel_req *r, char **copy,
		     const char ***list)
{
	const char *v = cli_opt(argc, argv, "--categories");
	*copy = NULL;
	*list = NULL;
	if (!v)
		return true;
	size_t n = 1;
	for (const char *p = v; *p; p++)
		n += *p == ',';
	*copy = strdup(v);
	*list = calloc(n, sizeof(**list));
	if (!*copy || !*list)
		return false;
	r->cats_set = true;
	r->n_cats = 0;
	if (!v[0]) /* --categories "": none */
		return true;
	for (char *tok = *copy, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		(*list)[r->n_cats++] = tok;
	}
	r->cats = *list;
	return true;
}

static int show(struct store *st, int64_t id)
{
	struct tk_error err = {0};
	json_t *doc;
	if (channels_show(st, id, &doc, &err))
		return cli_fail(&err);
	cli_print_json(doc);
	return CLI_EXIT_OK;
}

/* add and set: the fields from the options. */
static int add_or_set(int argc, char **argv, char **args, bool add)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct channel_req r = {.name = add ? args[1] : cli_opt(argc, argv, "--name"),
				.kind = add ? args[2] : cli_opt(argc, argv, "--kind"),
				.contact = cli_opt(argc, argv, "--contact"),
				.note = cli_opt(argc, argv, "--note"),
				.state = cli_opt(argc, argv, "--state")};
	int64_t id = 0;
	char *copy = NULL;
	const char **list = NULL;
	if (!add && !parse_id(args[1], &id))
		return CLI_EXIT_USAGE;
	struct channel_rec *c = malloc(sizeof(*c));
	int rc = c && cats_arg(argc, argv, &r, &copy, &list) ? cli_open(argc, argv, &e)
							     : CLI_EXIT_FAIL;
	if (!rc) {
		struct store *st = engine_store(e);
		enum tk_rc trc = add ? channels_add(st, &r, engine_now(), c, &err)
				     : channels_update(st, id, &r, engine_now(), c, &err);
		rc = trc ? cli_fail(&err) : show(st, c->id);
		engine_close(e);
	}
	free(copy);
	free(list);
	free(c);
	return rc;
}

static int list(int argc, char **argv)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	struct channel_filter f = {.kind = cli_opt(argc, argv, "--kind"),
				   .state = cli_opt(argc, argv, "--state"),
				   .category = cli_opt(argc, argv, "--category"),
				   .name = cli_opt(argc, argv, "--name"),
				   .limit = CHANNEL_LIST_MAX};
	const char *limit = cli_opt(argc, argv, "--limit"), *before = cli_opt(argc, argv, "--before");
	int64_t v;
	if (limit) {
		if (!cli_parse_i64("--limit", limit, &v) || v < 1 || v > CHANNEL_LIST_MAX)
			return channel_usage();
		f.limit = (int)v;
	}
	if (before && !cli_parse_i64("--before", before, &f.before))
		return CLI_EXIT_USAGE;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	json_t *doc;
	if (channels_list(engine_store(e), &f, &doc, &err)) {
		rc = cli_fail(&err);
	} else if (cli_flag(argc, argv, "--json")) {
		cli_print_json(doc);
	} else {
		size_t i;
		json_t *c;
		json_array_foreach(doc, i, c)
		{
			printf("%lld\t%s\t%s\t%s", (long long)json_integer_value(json_object_get(c, "id")),
			       json_string_value(json_object_get(c, "kind")),
			       json_string_value(json_object_get(c, "state")),
			       json_string_value(json_object_get(c, "name")));
			size_t k;
			json_t *cat;
			json_array_foreach(json_object_get(c, "categories"), k, cat)
				printf("%s%s", k ? "," : "\t", json_string_value(cat));
			printf("\n");
		}
		json_decref(doc);
	}
	engine_close(e);
	return rc;
}

static int ids(int argc, char **argv, char **args, bool add)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	int64_t id, linked = 0;
	if (!parse_id(args[1], &id))
		return CLI_EXIT_USAGE;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	enum tk_rc trc =
		add ? channels_id_add(st, id, args[2], args[3], args[4], engine_now(), &linked, &err)
		    : channels_id_remove(st, id, args[2], args[3], args[4], engine_now(), &err);
	if (trc)
		rc = cli_fail(&err);
	else if (add)
		cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:I}", "channel", (json_int_t)id,
					 "union", args[2], "kind", args[3], "value", args[4],
					 "linked_orders", (json_int_t)linked));
	else
		cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:b}", "channel", (json_int_t)id,
					 "union", args[2], "kind", args[3], "value", args[4],
					 "deleted", 1));
	engine_close(e);
	return rc;
}

/* One reason as text: key{a=1,b=2}. */
static void print_reasons(json_t *reasons)
{
	size_t i, k = 0;
	json_t *r;
	json_array_foreach(reasons, i, r)
	{
		printf("%s%s", i ? " " : "\t", json_string_value(json_object_get(r, "key")));
		const char *name;
		json_t *v;
		k = 0;
		json_object_foreach(json_object_get(r, "params"), name, v)
			printf("%s%s=%lld", k++ ? "," : "{", name, (long long)json_integer_value(v));
		if (k)
			printf("}");
	}
	printf("\n");
}

/* match and suits, and history (always JSON). */
static int reading(int argc, char **argv, char **args)
{
	struct tk_error err = {0};
	struct engine *e = NULL;
	int64_t id, days = 0;
	const char *d = cli_opt(argc, argv, "--days");
	if (!parse_id(args[1], &id) || (d && !cli_parse_i64("--days", d, &days)))
		return CLI_EXIT_USAGE;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	struct store *st = engine_store(e);
	json_t *doc = NULL;
	enum tk_rc trc;
	bool match = strcmp(args[0], "match") == 0;
	if (strcmp(args[0], "history") == 0)
		trc = channels_history(st, id, &doc, &err);
	else if (match)
		trc = channels_match(st, id, (int)days, engine_now(), &doc, &err);
	else
		trc = channels_suits(st, id, (int)days, engine_now(), &doc, &err);
	if (trc) {
		rc = cli_fail(&err);
	} else if (strcmp(args[0], "history") == 0 || cli_flag(argc, argv, "--json")) {
		cli_print_json(doc);
	} else {
		/* one line each: id, score, name or title, reasons */
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(doc, match ? "channels" : "products"), i, x)
		{
			printf("%lld\t%lld\t%s", (long long)json_integer_value(json_object_get(x, "id")),
			       (long long)json_integer_value(json_object_get(x, "score")),
			       json_string_value(json_object_get(x, match ? "name" : "title")));
			print_reasons(json_object_get(x, "reasons"));
		}
		json_decref(doc);
	}
	engine_close(e);
	return rc;
}

int cmd_channel(int argc, char **argv)
{
	static const char *const vals[] = {"--categories", "--contact", "--note",   "--kind",
					   "--state",	   "--category", "--name", "--limit",
					   "--before",	   "--days",	 NULL};
	static const char *const flags[] = {"--json", NULL};
	char *args[6];
	if (!cli_known_opts(argc, argv, vals, flags))
		return channel_usage();
	int n = cli_args(argc, argv, vals, args, 6);
	if (n < 1)
		return channel_usage();
	const char *c = args[0];
	if (strcmp(c, "add") == 0 && n == 3)
		return add_or_set(argc, argv, args, true);
	if (strcmp(c, "set") == 0 && n == 2)
		return add_or_set(argc, argv, args, false);
	if (strcmp(c, "list") == 0 && n == 1)
		return list(argc, argv);
	if (strcmp(c, "show") == 0 && n == 2) {
		struct engine *e = NULL;
		int64_t id;
		if (!parse_id(args[1], &id))
			return CLI_EXIT_USAGE;
		int rc = cli_open(argc, argv, &e);
		if (!rc) {
			rc = show(engine_store(e), id);
			engine_close(e);
		}
		return rc;
	}
	if ((strcmp(c, "id") == 0 || strcmp(c, "unid") == 0) && n == 5)
		return ids(argc, argv, args, strcmp(c, "id") == 0);
	if ((strcmp(c, "match") == 0 || strcmp(c, "suits") == 0 || strcmp(c, "history") == 0) &&
	    n == 2)
		return reading(argc, argv, args);
	return channel_usage();
}

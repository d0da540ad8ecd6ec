/* cmd_orders.c — `tuike orders import` and `tuike order show`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tktime.h"
#include "feeds/feed_pipe.h"
#include "http/api_json.h"

/* Rows commit in batches: each batch is one transaction, and re-running a
 * file after a crash is safe because applying rows is idempotent. */
#define ORDERS_BATCH 250000
#define ORDERS_BATCH_MAX 1000000

struct import_run {
	struct engine *e;
	struct import_stats stats;
	int64_t in_batch, batch;
	const struct order_row *chunk; /* the chunk being applied (on_chunk) */
	int chunk_n;
};

/* Called on the reader thread too: it only prints (rejections are counted
 * by feed_read_pipelined). */
static void on_reject(void *ctx, const struct tk_error *err)
{
	(void)ctx;
	char buf[1024];
	tk_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "%s\n", buf);
}

static enum tk_rc on_row(void *ctx, const struct order_row *row, long line,
			 struct tk_error *err)
{
	struct import_run *r = ctx;
	enum import_outcome outcome;
	(void)line;
	enum tk_rc rc = engine_import_row(r->e, row, &outcome, err);
	if (rc == TK_OK) {
		r->stats.read++;
		outcome == IMPORT_APPLIED ? r->stats.applied++ : r->stats.unchanged++;
		/* a batch ends at --batch rows or after ENGINE_BATCH_MS, so that
		 * an API write waits for at most about one batch */
		if (++r->in_batch == r->batch ||
		    ((r->in_batch & 63) == 0 && engine_import_due(r->e))) {
			r->in_batch = 0;
			if ((rc = engine_import_commit(r->e, err)) ||
			    (rc = engine_import_begin(r->e, err)))
				return TK_EIO;
			/* the new batch reads ahead the rest of the chunk */
			const struct order_row *next = row + 1, *end = r->chunk + r->chunk_n;
			if (r->chunk && next > r->chunk && next < end &&
			    (rc = engine_import_ahead(r->e, next, (int)(end - next), err)))
				return TK_EIO;
		}
	}
	return rc; /* a rejection is counted by on_reject */
}

/* The store may read the items of a chunk's rows in one go. */
static enum tk_rc on_chunk(void *ctx, const struct order_row *rows, int n, struct tk_error *err)
{
	struct import_run *r = ctx;
	r->chunk = rows;
	r->chunk_n = n;
	return engine_import_ahead(r->e, rows, n, err);
}

static int orders_import(int argc, char **argv, const char *path)
{
	struct tk_error err = {0};
	enum feed_format fmt = FEED_JSONL;
	const char *f = cli_opt(argc, argv, "--format");
	if (!f) {
		size_t n = strlen(path);
		if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
			fmt = FEED_CSV;
	} else if (!feed_format_parse(f, &fmt)) {
		fprintf(stderr, "tuike: --format: must be jsonl, csv, jd, taobao, taobao-refund or "
				"pdd, got \"%s\"\n", f);
		return CLI_EXIT_USAGE;
	}
	struct import_run r = {.batch = ORDERS_BATCH};
	const char *b = cli_opt(argc, argv, "--batch");
	if (b && (!cli_parse_i64("--batch", b, &r.batch) || r.batch < 1 ||
		  r.batch > ORDERS_BATCH_MAX)) {
		fprintf(stderr, "tuike: --batch: must be 1..%d rows\n", ORDERS_BATCH_MAX);
		return CLI_EXIT_USAGE;
	}
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "tuike: cannot open \"%s\"\n", path);
		return CLI_EXIT_FAIL;
	}
	int rc = cli_open(argc, argv, &r.e);
	if (rc)
		goto out;
	if (engine_import_begin(r.e, &err) ||
	    feed_read_pipelined_ahead(fmt, in, path, on_chunk, on_row, on_reject, &r,
				      &r.stats.rejected, &err) ||
	    engine_import_commit(r.e, &err)) {
		engine_import_rollback(r.e);
		rc = cli_fail(&err);
		if (rc == CLI_EXIT_USAGE)
			rc = CLI_EXIT_FAIL;
		goto out;
	}
	r.stats.read += r.stats.rejected;
	cli_print_json(json_pack("{s:I, s:I, s:I, s:I}", "read", (json_int_t)r.stats.read,
				 "applied", (json_int_t)r.stats.applied, "unchanged",
				 (json_int_t)r.stats.unchanged, "rejected",
				 (json_int_t)r.stats.rejected));
	rc = r.stats.rejected ? CLI_EXIT_USAGE : CLI_EXIT_OK;
out:
	engine_close(r.e);
	if (in != stdin)
		fclose(in);
	return rc;
}

static void reattributed(void *ctx, const struct item_rec *it, const char *sharer,
			 const char *reason)
{
	json_t *list = ctx;
	if (list)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "union",
						      it->row.union_, "item", it->row.item,
						      "member", sharer, "reason", reason));
	else
		printf("%s/%s -> %s: %s\n", it->row.union_, it->row.item, sharer, reason);
}

static int orders_reattribute(int argc, char **argv)
{
	struct tk_error err = {0};
	struct reattribute_stats st;
	int64_t since = 0;
	const char *s = cli_opt(argc, argv, "--since");
	if (s && !tktime_parse_iso8601(s, &since)) {
		fprintf(stderr, "tuike: --since: must be ISO 8601 with an offset, got \"%s\"\n", s);
		return CLI_EXIT_USAGE;
	}
	bool dry = cli_flag(argc, argv, "--dry-run"), json = cli_flag(argc, argv, "--json");
	struct engine *e;
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	json_t *items = json ? json_array() : NULL;
	if (engine_orders_reattribute(e, since, dry, &st, reattributed, items, &err)) {
		json_decref(items);
		rc = cli_fail(&err);
	} else if (json) {
		cli_print_json(json_pack("{s:I, s:I, s:b, s:o}", "examined", (json_int_t)st.examined,
					 "reattributed", (json_int_t)st.reattributed, "dry_run", dry,
					 "items", items));
	} else {
		printf("%lld of %lld unattributed items %s\n", (long long)st.reattributed,
		       (long long)st.examined, dry ? "would be attributed (dry run)" : "attributed");
	}
	engine_close(e);
	return rc;
}

int cmd_orders(int argc, char **argv)
{
	static const char *const vals[] = {"--format", "--batch", "--since", NULL};
	char *args[2];
	int n = cli_args(argc, argv, vals, args, 2);
	if (n == 1 && strcmp(args[0], "reattribute") == 0)
		return orders_reattribute(argc, argv);
	if (n != 2 || strcmp(args[0], "import") != 0)
		return cli_usage("orders import FILE [--format jsonl|csv|jd|taobao|taobao-refund|pdd] "
				 "[--batch ROWS] | orders reattribute [--since ISO8601] [--dry-run] "
				 "[--json]");
	return orders_import(argc, argv, args[1]);
}

/* The API's item document, with the item's internal id. */
static json_t *item_json(const struct item_view *v)
{
	json_t *doc = api_json_item(v);
	if (doc)
		json_object_set_new(doc, "item_id", json_integer(v->item.id));
	return doc;
}

int cmd_order(int argc, char **argv)
{
	char *args[3];
	int n = cli_args(argc, argv, NULL, args, 3);
	if (n != 3 || strcmp(args[0], "show") != 0)
		return cli_usage("order show UNION ITEM [--json]");
	struct engine *e;
	struct tk_error err = {0};
	int rc = cli_open(argc, argv, &e);
	if (rc)
		return rc;
	static struct item_view v;
	if (engine_order_show(e, args[1], args[2], &v, &err)) {
		rc = cli_fail(&err);
	} else if (cli_flag(argc, argv, "--json")) {
		cli_print_json(item_json(&v));
	} else {
		const struct order_row *r = &v.item.row;
		printf("%s/%s  order %s  %s  commission %lld fen  plan v%lld\n", r->union_, r->item,
		       r->order, order_status_name(r->status), (long long)r->commission,
		       (long long)v.item.plan_version);
		for (int i = 0; i < v.split.n; i++)
			printf("  tier %d  %-12s %-8s %-12s %5d bps  %8lld fen  %s\n", v.split.line[i].tier,
			       v.member_ext[i], v.level_key[i], plan_role_name(v.split.line[i].role),
			       v.split.line[i].rate_bps, (long long)v.item.money.amount[i],
			       bucket_name(v.item.money.bucket[i]));
		printf("  platform %lld fen\n", (long long)v.item.money.platform);
	}
	engine_close(e);
	return rc;
}

/* test_union_readers.c — the JD, Taobao and Pinduoduo adapters against the
 * fixture replies of tests/fixtures (made by tests/feeds/make_fixtures.py):
 * every status code, exact money, times, tags, paging facts, and malformed
 * bodies refused whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/tktime.h"
#include "feeds/union_page.h"
#include "feeds/union_readers.h"

#define MAX_ROWS 64

/* What a reader handed on: rows (with their raw text copied) and rejects. */
struct seen {
	int n_rows, n_rejects;
	struct order_row rows[MAX_ROWS];
	char raw[MAX_ROWS][ORDER_RAW_MAX];
	long lines[MAX_ROWS];
	struct tk_error rejects[MAX_ROWS];
};

static enum tk_rc on_row(void *ctx, const struct order_row *row, long line,
			 struct tk_error *err)
{
	struct seen *s = ctx;
	(void)err;
	assert_true(s->n_rows < MAX_ROWS);
	s->rows[s->n_rows] = *row;
	snprintf(s->raw[s->n_rows], ORDER_RAW_MAX, "%s", row->raw ? row->raw : "");
	s->rows[s->n_rows].raw = s->raw[s->n_rows];
	s->lines[s->n_rows++] = line;
	return TK_OK;
}

static void on_reject(void *ctx, const struct tk_error *err)
{
	struct seen *s = ctx;
	assert_true(s->n_rejects < MAX_ROWS);
	s->rejects[s->n_rejects++] = *err;
}

typedef enum tk_rc (*reader_fn)(FILE *, const char *, feed_row_cb, feed_reject_cb, void *,
				struct tk_error *);

static struct seen *read_fixture(reader_fn fn, const char *rel)
{
	static struct seen s;
	char path[1024];
	const char *dir = getenv("TUIKE_FIXTURES");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", rel);
	FILE *in = fopen(path, "r");
	if (!in)
		fail_msg("cannot open fixture %s", path);
	memset(&s, 0, sizeof(s));
	struct tk_error err = {0};
	enum tk_rc rc = fn(in, rel, on_row, on_reject, &s, &err);
	fclose(in);
	if (rc)
		fail_msg("%s: %s: %s", rel, err.field, err.msg);
	return &s;
}

static const struct order_row *row_of(struct seen *s, const char *item, int nth)
{
	for (int i = 0; i < s->n_rows; i++)
		if (strcmp(s->rows[i].item, item) == 0 && nth-- == 0)
			return &s->rows[i];
	fail_msg("no row %s", item);
	return NULL;
}

static int64_t beijing(const char *local)
{
	int64_t t;
	assert_true(tktime_parse_local(local, TKTIME_BEIJING_OFFSET, &t));
	return t;
}

static void assert_tags(const struct order_row *r, int n, const char *const *kv)
{
	assert_int_equal(r->n_tags, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(r->tags[i].kind, kv[2 * i]);
		assert_string_equal(r->tags[i].value, kv[2 * i + 1]);
	}
}

/* ---- JD ---- */

static void test_jd_every_status(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_jd, "jd/every_status.json");
	assert_int_equal(s->n_rejects, 0);
	assert_int_equal(s->n_rows, 28);
	for (int i = 0; i < s->n_rows; i++) {
		const struct order_row *r = &s->rows[i];
		long code = strtol(r->item + 1, NULL, 10);
		enum order_status want = code == 15		? ST_UNPAID
					 : code == 16 || code == 24 ? ST_PAID
					 : code == 17 || code == 18 ? ST_RECEIVED
								    : ST_INVALID;
		if (r->status != want)
			fail_msg("validCode %ld: got %s", code, order_status_name(r->status));
		assert_string_equal(r->union_, "jd");
		assert_int_equal(r->commission, 100);
		assert_int_equal(r->amount, 9950);
		assert_int_equal(r->modified_at, beijing("2026-10-01 12:00:00"));
		assert_int_equal(r->paid_at, code == 15 ? 0 : beijing("2026-10-01 09:30:00"));
		assert_int_equal(r->settled_at, 0);
		assert_int_equal(s->lines[i], 1); /* one body spread over the file */
	}
}

static void test_jd_lifecycle(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_jd, "jd/lifecycle.jsonl");
	static const char *const alice[] = {"subUnionId", "m-alice"};
	assert_int_equal(s->n_rejects, 0);
	assert_int_equal(s->n_rows, 11);

	const struct order_row *r = row_of(s, "L1", 0);
	assert_int_equal(r->status, ST_PAID);
	assert_int_equal(r->commission, 995);
	assert_int_equal(r->amount, 9950);
	assert_string_equal(r->order, "9001");
	assert_string_equal(r->product, "100012043978");
	assert_string_equal(r->title, "京东京造 枕头");
	assert_int_equal(r->quantity, 1);
	assert_int_equal(r->modified_at, 1790820000); /* 2026-10-01T10:00:00+08:00 */
	assert_tags(r, 1, alice);
	assert_non_null(strstr(r->raw, "\"estimateFee\":9.95,"));
	assert_non_null(strstr(r->raw, "\"id\":\"L1\""));

	assert_int_equal(row_of(s, "L1", 1)->status, ST_RECEIVED);
	r = row_of(s, "L1", 2);
	assert_int_equal(r->status, ST_SETTLED);
	assert_int_equal(r->settled_at, beijing("2026-10-20 00:00:00"));
	assert_int_equal(r->commission, 990);
	assert_int_equal(r->amount, 9900);
	assert_int_equal(r->refunded, 0);
	/* after-sale changes: actualFee is the commission, balanceExt only
	 * dates its changes (and stays in the raw row) */
	r = row_of(s, "L1", 3); /* a refund took 2.50 back */
	assert_int_equal(r->commission, 740);
	assert_int_equal(r->refunded, 0);
	assert_non_null(strstr(r->raw, "\"balanceExt\":\"{20261020:9.9,20261120:-2.5}\""));
	r = row_of(s, "L1", 4); /* then 1.20 added */
	assert_int_equal(r->commission, 860);
	assert_int_equal(r->refunded, 0);
	assert_true(r->modified_at > row_of(s, "L1", 3)->modified_at);

	assert_int_equal(row_of(s, "D1", 0)->commission, 10);
	assert_int_equal(row_of(s, "D2", 0)->commission, 7);
	assert_int_equal(row_of(s, "D3", 0)->commission, 123456789);
	assert_int_equal(row_of(s, "D3", 0)->amount, 123456789);
	assert_int_equal(row_of(s, "D4", 0)->commission, 995);
	r = row_of(s, "N1", 0); /* refunded whole after settlement */
	assert_int_equal(r->status, ST_SETTLED);
	assert_int_equal(r->commission, 0);
	r = row_of(s, "E1", 0); /* actualFee 8, balanceExt {..:10, ..:-2} */
	assert_int_equal(r->status, ST_SETTLED);
	assert_int_equal(r->commission, 800);
	assert_int_equal(r->amount, 8000);
	assert_int_equal(r->refunded, 0);
	assert_int_equal(s->lines[10], 6);
}

static void test_jd_split_order(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_jd, "jd/split.json");
	assert_int_equal(s->n_rows, 3);
	assert_int_equal(row_of(s, "P1", 0)->status, ST_INVALID);
	assert_string_equal(row_of(s, "P1", 0)->order, "7000");
	assert_int_equal(row_of(s, "C1", 0)->status, ST_PAID);
	assert_string_equal(row_of(s, "C1", 0)->order, "7001");
	assert_int_equal(row_of(s, "C1", 0)->commission, 300);
	assert_int_equal(row_of(s, "C2", 0)->commission, 200);
	assert_string_equal(row_of(s, "C2", 0)->product, "1002");
}

static void test_jd_tags(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_jd, "jd/tags.json");
	static const char *const t1[] = {"subUnionId", "m-alice", "positionId", "3001"};
	static const char *const t2[] = {"positionId", "3002"};
	static const char *const t3[] = {"subUnionId", "nobody"};
	assert_int_equal(s->n_rows, 4);
	assert_tags(row_of(s, "T1", 0), 2, t1);
	assert_tags(row_of(s, "T2", 0), 1, t2);
	assert_tags(row_of(s, "T3", 0), 1, t3);
	assert_tags(row_of(s, "T4", 0), 0, NULL);
	assert_string_equal(row_of(s, "T1", 0)->member, "");
}

static void assert_reject(const struct tk_error *e, const char *where, const char *field,
			  const char *text)
{
	if (strcmp(e->where, where) != 0 || strcmp(e->field, field) != 0 ||
	    !strstr(e->msg, text))
		fail_msg("expected %s: %s: ...%s..., got %s: %s: %s", where, field, text, e->where,
			 e->field, e->msg);
}

static void test_jd_malformed(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_jd, "jd/malformed.jsonl");
	assert_int_equal(s->n_rows, 2);
	assert_string_equal(s->rows[0].item, "OK1");
	assert_string_equal(s->rows[1].item, "G1");
	assert_int_equal(s->lines[1], 8);
	assert_int_equal(s->n_rejects, 8);
	assert_reject(&s->rejects[0], "jd/malformed.jsonl:2", "body", "not JSON");
	assert_reject(&s->rejects[1], "jd/malformed.jsonl:3", "body",
		      "no jd_union_open_order_row_query_responce");
	assert_reject(&s->rejects[2], "jd/malformed.jsonl:4", "body", "error 19");
	assert_reject(&s->rejects[3], "jd/malformed.jsonl:5", "queryResult", "JSON object");
	assert_reject(&s->rejects[4], "jd/malformed.jsonl:6", "body", "error 500");
	assert_reject(&s->rejects[5], "jd/malformed.jsonl:7", "body", "not JSON");
	assert_reject(&s->rejects[6], "jd/malformed.jsonl:8", "data[1].estimateFee", "9.999");
	assert_reject(&s->rejects[7], "jd/malformed.jsonl:8", "data[2].modifyTime",
		      "2026/10/05 10:00");
}

/* A body straight from the parser: paging facts and the union's faults. */
static enum tk_rc parse_text(union_parse_fn fn, const char *text, struct union_page *p,
			     struct tk_error *err)
{
	union_page_reset(p);
	return fn(text, strlen(text), p, err);
}

static void test_jd_faults_and_paging(void **state)
{
	(void)state;
	struct union_page p;
	struct tk_error err;
	union_page_init(&p);

	assert_int_equal(parse_text(jd_reply_parse,
				    "{\"error_response\":{\"code\":\"19\",\"zh_desc\":\"x\"}}", &p,
				    &err),
			 TK_EINVAL);
	assert_true(p.fault.present && p.fault.permanent && !p.fault.rate_limited);
	assert_string_equal(p.fault.code, "19");
	assert_int_equal(p.n, 0);

	assert_int_equal(parse_text(jd_reply_parse,
				    "{\"jd_union_open_order_row_query_responce\":{\"code\":\"0\","
				    "\"queryResult\":\"{\\\"code\\\":500,\\\"message\\\":\\\""
				    "请求频率过快\\\"}\"}}",
				    &p, &err),
			 TK_EINVAL);
	assert_true(p.fault.present && p.fault.rate_limited && !p.fault.permanent);

	/* no rows at all, and more pages to come */
	assert_int_equal(parse_text(jd_reply_parse,
				    "{\"jd_union_open_order_row_query_response\":{\"code\":\"0\","
				    "\"queryResult\":\"{\\\"code\\\":200,\\\"hasMore\\\":true}\"}}",
				    &p, &err),
			 TK_OK);
	assert_int_equal(p.n, 0);
	assert_true(p.has_next);
	assert_false(p.fault.present);
	union_page_free(&p);
}

static void test_jd_balance_ext_forms(void **state)
{
	(void)state;
	/* balanceExt dates the changes of the actual commission; they sum to
	 * actualFee, which is the commission: the changes are checked, never
	 * added. */
	static const struct {
		const char *actual;  /* actualFee */
		const char *balance; /* JSON text of the balanceExt value */
		int64_t commission;  /* always actualFee */
		const char *refused; /* or the field of the rejection */
	} cases[] = {
		{"10.0", "\"\"", 1000, NULL},
		{"10.0", "\"{}\"", 1000, NULL},
		{"10.0", "null", 1000, NULL},
		{"8.0", "\"{20191020:10,20191120:-2}\"", 800, NULL},
		{"8", "{\"20191020\":10,\"20191120\":-2}", 800, NULL},
		{"9.93", "\"{20261020:10,20261120:-0.07}\"", 993, NULL},
		{"11.0", "\"{ 20261020 : 10 , 20261120 : 1.5 , 20261220 : -0.5 }\"", 1100, NULL},
		{"7.6", "{\"20261020\":10,\"20261120\":-2.5,\"20261220\":0.1}", 760, NULL},
		{"9.0", "{\"20261020\":\"10\",\"20261120\":\"-1\"}", 900, NULL},
		{"0.0", "\"{\\\"20261020\\\":1,\\\"20261120\\\":-1}\"", 0, NULL},
		{"10.0", "\"{202610:10}\"", 1000, NULL},
		{"10.0", "\"{20261120:abc}\"", 0, "data[0].balanceExt"},
		{"10.0", "\"{20261120:-0.005}\"", 0, "data[0].balanceExt"},
		{"10.0", "\"20261120:1\"", 0, "data[0].balanceExt"},
		{"10.0", "\"{2026.11:1}\"", 0, "data[0].balanceExt"},
		{"10.0", "\"{202611200:1}\"", 0, "data[0].balanceExt"},
		{"10.0", "{\"Nov\":1}", 0, "data[0].balanceExt"},
		{"10.0", "\"{20261120:600000000000,20261220:600000000000}\"", 0,
		 "data[0].balanceExt"},
		{"10.0", "\"{20261120:10,20261220:-2\"", 0, "data[0].balanceExt"},
		{"10.0", "[1]", 0, "data[0].balanceExt"},
	};
	struct union_page p;
	union_page_init(&p);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char row[512], body[2048];
		struct tk_error err = {0};
		snprintf(row, sizeof(row),
			 "{\"id\":\"B\",\"validCode\":17,\"modifyTime\":\"2026-11-21 09:00:00\","
			 "\"estimateFee\":10.0,\"actualFee\":%s,\"payMonth\":20261020,"
			 "\"balanceExt\":%s}",
			 cases[i].actual, cases[i].balance);
		json_t *inner = json_pack("{s:i, s:[o]}", "code", 200, "data",
					  json_loads(row, 0, NULL));
		char *inner_text = json_dumps(inner, JSON_COMPACT);
		json_t *doc = json_pack("{s:{s:s, s:s}}", "jd_union_open_order_row_query_responce",
					"code", "0", "queryResult", inner_text);
		char *text = json_dumps(doc, JSON_COMPACT);
		snprintf(body, sizeof(body), "%s", text);
		free(text);
		free(inner_text);
		json_decref(inner);
		json_decref(doc);
		assert_int_equal(parse_text(jd_reply_parse, body, &p, &err), TK_OK);
		assert_int_equal(p.n, 1);
		if (cases[i].refused) {
			assert_int_equal(p.v[0].err.rc, TK_EINVAL);
			assert_string_equal(p.v[0].err.field, cases[i].refused);
			assert_non_null(strstr(p.v[0].err.msg, "monthly commission changes"));
		} else {
			if (p.v[0].err.rc)
				fail_msg("case %zu: %s: %s", i, p.v[0].err.field, p.v[0].err.msg);
			assert_int_equal(p.v[0].row.status, ST_SETTLED);
			assert_int_equal(p.v[0].row.commission, cases[i].commission);
		}
	}
	union_page_free(&p);
}

/* ---- Taobao ---- */

static void check_taobao_rows(struct seen *s)
{
	static const char *const t12[] = {"special_id", "7001", "adzone_id", "110000001"};
	static const char *const t14[] = {"special_id", "7001", "relation_id", "8002",
					  "adzone_id", "110000001"};
	assert_int_equal(s->n_rows, 7);
	const struct order_row *r = row_of(s, "T11", 0);
	assert_int_equal(r->status, ST_UNPAID);
	assert_int_equal(r->paid_at, 0);
	r = row_of(s, "T12", 0);
	assert_string_equal(r->union_, "taobao");
	assert_int_equal(r->status, ST_PAID);
	assert_int_equal(r->commission, 995);
	assert_int_equal(r->amount, 9950);
	assert_int_equal(r->paid_at, beijing("2026-10-01 09:01:00"));
	assert_int_equal(r->modified_at, beijing("2026-10-01 09:05:00"));
	assert_string_equal(r->order, "PT12");
	assert_string_equal(r->buyer, "7001");
	assert_string_equal(r->channel, "110000001");
	assert_tags(r, 2, t12);
	assert_int_equal(row_of(s, "T13", 0)->status, ST_INVALID);
	r = row_of(s, "T14", 0);
	assert_int_equal(r->status, ST_RECEIVED);
	assert_string_equal(r->channel, "8002");
	assert_tags(r, 3, t14);
	r = row_of(s, "T3", 0);
	assert_int_equal(r->status, ST_SETTLED);
	assert_int_equal(r->commission, 880); /* pub_share_fee once settled */
	assert_int_equal(r->settled_at, beijing("2026-11-21 01:30:00"));
	assert_string_equal(r->buyer, "");
	r = row_of(s, "T900-1", 0);
	assert_string_equal(r->order, "T900");
	assert_int_equal(r->commission, 300);
	r = row_of(s, "T900-2", 0);
	assert_string_equal(r->order, "T900");
	assert_int_equal(r->commission, 7);
	assert_int_equal(r->amount, 70);
	assert_int_equal(r->quantity, 2);
	assert_non_null(strstr(r->raw, "\"pub_share_pre_fee\":\"0.07\""));
}

static void test_taobao_every_status(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_taobao, "taobao/every_status.json");
	assert_int_equal(s->n_rejects, 0);
	check_taobao_rows(s);
}

static void test_taobao_pages(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_taobao, "taobao/pages.jsonl");
	assert_int_equal(s->n_rejects, 0);
	check_taobao_rows(s);
	assert_int_equal(s->lines[6], 3);

	/* the paging facts of the first page */
	char path[1024], *text = NULL;
	size_t cap = 0;
	const char *dir = getenv("TUIKE_FIXTURES");
	snprintf(path, sizeof(path), "%s/taobao/pages.jsonl", dir ? dir : "tests/fixtures");
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	assert_true(getline(&text, &cap, in) > 0);
	fclose(in);
	struct union_page p;
	struct tk_error err;
	union_page_init(&p);
	assert_int_equal(parse_text(taobao_reply_parse, text, &p, &err), TK_OK);
	assert_true(p.has_next);
	assert_string_equal(p.position, "pos-1");
	assert_int_equal(p.n, 3);
	union_page_free(&p);
	free(text);
}

static void test_taobao_refunds(void **state)
{
	(void)state;
	char path[1024];
	const char *dir = getenv("TUIKE_FIXTURES");
	snprintf(path, sizeof(path), "%s/taobao/refunds.json", dir ? dir : "tests/fixtures");
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, in);
	fclose(in);
	text[n] = '\0';

	struct union_page p;
	struct tk_error err;
	union_page_init(&p);
	assert_int_equal(parse_text(taobao_refund_reply_parse, text, &p, &err), TK_OK);
	assert_int_equal(p.n, 8);
	assert_int_equal(p.total, 8);
	static const struct {
		const char *item;
		int64_t refunded;
	} want[] = {{"T12", 400}, {"T3", 220}, {"R3", 0},  {"R4", 0},
		    {"R11", 0},   {"R12", 7},  {"R14", 0}, {"R15", 0}};
	for (size_t i = 0; i < p.n; i++) {
		const struct order_row *r = &p.v[i].row;
		assert_int_equal(p.v[i].err.rc, TK_OK);
		assert_string_equal(r->union_, "taobao");
		assert_string_equal(r->item, want[i].item);
		assert_int_equal(r->refunded, want[i].refunded);
	}
	assert_int_equal(p.v[0].row.modified_at, beijing("2026-10-10 10:00:00"));
	assert_string_equal(p.v[0].row.order, "PT12");
	assert_string_equal(p.v[1].row.channel, "8002");
	/* no modified_time: the refund's completion time orders it */
	assert_int_equal(p.v[7].row.modified_at, beijing("2026-10-23 08:00:00"));
	union_page_free(&p);
}

static void test_taobao_refund_rows_are_marked(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_taobao_refund, "taobao/refunds.json");
	assert_int_equal(s->n_rejects, 0);
	assert_int_equal(s->n_rows, 8);
	for (int i = 0; i < s->n_rows; i++)
		assert_int_equal(s->rows[i].kind, ORDER_ROW_REFUND);
	/* and order rows never are */
	s = read_fixture(feed_read_taobao, "taobao/every_status.json");
	for (int i = 0; i < s->n_rows; i++)
		assert_int_equal(s->rows[i].kind, ORDER_ROW_STATE);
}

static void test_taobao_malformed(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_taobao, "taobao/malformed.jsonl");
	assert_int_equal(s->n_rows, 2);
	assert_string_equal(s->rows[0].item, "TOK1");
	assert_string_equal(s->rows[1].item, "TG1");
	assert_int_equal(s->n_rejects, 8);
	assert_reject(&s->rejects[0], "taobao/malformed.jsonl:2", "body", "App Call Limited");
	assert_reject(&s->rejects[1], "taobao/malformed.jsonl:3", "body", "error 25");
	assert_reject(&s->rejects[2], "taobao/malformed.jsonl:4", "body", "no ");
	assert_reject(&s->rejects[3], "taobao/malformed.jsonl:5", "data.results", "array");
	assert_reject(&s->rejects[4], "taobao/malformed.jsonl:6", "body", "not JSON");
	assert_reject(&s->rejects[5], "taobao/malformed.jsonl:7", "body", "JSON object");
	assert_reject(&s->rejects[6], "taobao/malformed.jsonl:8", "publisher_order_dto[1].tk_status",
		      "got 99");
	assert_reject(&s->rejects[7], "taobao/malformed.jsonl:8",
		      "publisher_order_dto[2].pub_share_pre_fee", "1.234");

	struct union_page p;
	struct tk_error err;
	union_page_init(&p);
	assert_int_equal(parse_text(taobao_reply_parse,
				    "{\"error_response\":{\"code\":7,\"msg\":\"App Call Limited\","
				    "\"sub_code\":\"accesscontrol.limited-by-app-access-count\","
				    "\"sub_msg\":\"This ban will last for 3 more seconds\"}}",
				    &p, &err),
			 TK_EINVAL);
	assert_true(p.fault.rate_limited && !p.fault.permanent);
	assert_int_equal(p.fault.retry_after_s, 3);
	assert_string_equal(p.fault.code, "7/accesscontrol.limited-by-app-access-count");
	assert_int_equal(parse_text(taobao_reply_parse,
				    "{\"error_response\":{\"code\":15,\"msg\":\"Remote service "
				    "error\",\"sub_code\":\"isv.invalid-parameter\"}}",
				    &p, &err),
			 TK_EINVAL);
	assert_true(p.fault.permanent);
	union_page_free(&p);
}

/* ---- Pinduoduo ---- */

static void test_pdd_every_status(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_pdd, "pdd/every_status.json");
	static const char *const s0[] = {"uid", "m-alice", "p_id", "8888888_100000001"};
	static const char *const s3[] = {"uid", "plain-uid", "p_id", "8888888_100000001"};
	static const struct {
		const char *item;
		enum order_status status;
	} want[] = {{"S-1", ST_UNPAID},  {"S0", ST_PAID},    {"S1", ST_PAID},
		    {"S2", ST_RECEIVED}, {"S3", ST_RECEIVED}, {"S4", ST_INVALID},
		    {"S5", ST_SETTLED},  {"S8", ST_INVALID},  {"S10", ST_INVALID}};
	assert_int_equal(s->n_rejects, 0);
	assert_int_equal(s->n_rows, 9);
	for (int i = 0; i < 9; i++) {
		assert_string_equal(s->rows[i].item, want[i].item);
		assert_string_equal(s->rows[i].order, want[i].item);
		assert_int_equal(s->rows[i].status, want[i].status);
		assert_int_equal(s->rows[i].modified_at, 1790841700);
	}
	const struct order_row *r = row_of(s, "S0", 0);
	assert_string_equal(r->union_, "pdd");
	assert_int_equal(r->commission, 199);
	assert_int_equal(r->amount, 1990);
	assert_int_equal(r->paid_at, 1790841660);
	assert_string_equal(r->channel, "8888888_100000001");
	assert_tags(r, 2, s0);
	assert_string_equal(row_of(s, "S1", 0)->channel, "group-7");
	assert_tags(row_of(s, "S3", 0), 2, s3);
	r = row_of(s, "S5", 0);
	assert_int_equal(r->commission, 7);
	assert_int_equal(r->amount, 70);
	assert_int_equal(r->settled_at, 1790841600 + 86400 * 20);
	assert_int_equal(row_of(s, "S2", 0)->settled_at, 0);
	assert_string_equal(row_of(s, "S10", 0)->tags[0].value, "nobody");
}

static void test_pdd_pages_last_to_first(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_pdd, "pdd/pages.jsonl");
	static const char *const order[] = {"W5", "W3", "W4", "W2", "W3", "W1", "W2"};
	assert_int_equal(s->n_rows, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(s->rows[i].item, order[i]);
	assert_int_equal(row_of(s, "W4", 0)->commission, 104);
}

static void test_pdd_malformed(void **state)
{
	(void)state;
	struct seen *s = read_fixture(feed_read_pdd, "pdd/malformed.jsonl");
	assert_int_equal(s->n_rows, 2);
	assert_string_equal(s->rows[0].item, "POK1");
	assert_string_equal(s->rows[1].item, "PG1");
	assert_int_equal(s->n_rejects, 7);
	assert_reject(&s->rejects[0], "pdd/malformed.jsonl:2", "body", "error 70031");
	assert_reject(&s->rejects[1], "pdd/malformed.jsonl:3", "body", "error 20004");
	assert_reject(&s->rejects[2], "pdd/malformed.jsonl:4", "body", "order_list_get_response");
	assert_reject(&s->rejects[3], "pdd/malformed.jsonl:5", "order_list", "array");
	assert_reject(&s->rejects[4], "pdd/malformed.jsonl:6", "body", "not JSON");
	assert_reject(&s->rejects[5], "pdd/malformed.jsonl:7", "order_list[1].order_status",
		      "got 6");
	assert_reject(&s->rejects[6], "pdd/malformed.jsonl:7", "order_list[2].promotion_amount",
		      "\"1.99\"");
}

/* ---- exact money and the file reader ---- */

static void test_yuan_from_json_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		bool ok;
		int64_t fen;
	} cases[] = {
		{"0.1", true, 10},
		{"9.95", true, 995},
		{"1234567.89", true, 123456789},
		{"0.07", true, 7},
		{"0.29", true, 29},
		{"1.005e2", true, 10050},
		{"10", true, 1000},
		{"\"9.95\"", true, 995},
		{"\"0.070\"", true, 7},
		{"-0.5", true, -50},
		{"999999999999.99", true, INT64_C(99999999999999)},
		{"9.999", false, 0},
		{"0.001", false, 0},
		{"1e15", false, 0},
		{"\"abc\"", false, 0},
		{"true", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		int64_t fen = -1;
		struct tk_error err = {0};
		snprintf(text, sizeof(text), "{\"v\":%s}", cases[i].json);
		json_t *obj = json_loads(text, 0, NULL);
		assert_non_null(obj);
		enum tk_rc rc = union_field_yuan(obj, "row", "v", true, &fen, &err);
		json_decref(obj);
		if (cases[i].ok && (rc != TK_OK || fen != cases[i].fen))
			fail_msg("%s: got rc %d fen %lld (%s)", cases[i].json, rc, (long long)fen,
				 err.msg);
		if (!cases[i].ok) {
			assert_int_equal(rc, TK_EINVAL);
			assert_string_equal(err.field, "row.v");
		}
	}
}

static void test_overlong_line_is_refused_and_reading_goes_on(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("{\"order_list_get_response\":{\"order_list\":[]}}\n\n", f);
	fputc('"', f);
	for (int i = 0; i < FEED_LINE_MAX + 10; i++)
		fputc('x', f);
	fputs("\"\n", f);
	fprintf(f, "{\"order_list_get_response\":{\"order_list\":[{\"order_sn\":\"A\","
		   "\"order_status\":0,\"order_modify_at\":1790841600,"
		   "\"promotion_amount\":5}]}}\n");
	rewind(f);
	static struct seen s;
	memset(&s, 0, sizeof(s));
	struct tk_error err = {0};
	assert_int_equal(feed_read_pdd(f, "big.jsonl", on_row, on_reject, &s, &err), TK_OK);
	fclose(f);
	assert_int_equal(s.n_rejects, 1);
	assert_int_equal(s.rejects[0].rc, TK_ELIMIT);
	assert_string_equal(s.rejects[0].where, "big.jsonl:3");
	assert_int_equal(s.n_rows, 1);
	assert_int_equal(s.lines[0], 4);
	assert_int_equal(s.rows[0].commission, 5);
}

static void test_empty_file_has_no_rows(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	fputs("\n  \n", f);
	rewind(f);
	static struct seen s;
	memset(&s, 0, sizeof(s));
	struct tk_error err = {0};
	assert_int_equal(feed_read_jd(f, "empty", on_row, on_reject, &s, &err), TK_OK);
	fclose(f);
	assert_int_equal(s.n_rows + s.n_rejects, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jd_every_status),
		cmocka_unit_test(test_jd_lifecycle),
		cmocka_unit_test(test_jd_split_order),
		cmocka_unit_test(test_jd_tags),
		cmocka_unit_test(test_jd_malformed),
		cmocka_unit_test(test_jd_faults_and_paging),
		cmocka_unit_test(test_jd_balance_ext_forms),
		cmocka_unit_test(test_taobao_every_status),
		cmocka_unit_test(test_taobao_pages),
		cmocka_unit_test(test_taobao_refunds),
		cmocka_unit_test(test_taobao_refund_rows_are_marked),
		cmocka_unit_test(test_taobao_malformed),
		cmocka_unit_test(test_pdd_every_status),
		cmocka_unit_test(test_pdd_pages_last_to_first),
		cmocka_unit_test(test_pdd_malformed),
		cmocka_unit_test(test_yuan_from_json_numbers),
		cmocka_unit_test(test_overlong_line_is_refused_and_reading_goes_on),
		cmocka_unit_test(test_empty_file_has_no_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* sync.c — walking a union's order API window by window: building and
 * signing each request, retrying with backoff, paging the way each union
 * requires (JD: pageIndex while hasMore; Taobao: position_index while
 * has_next; Pinduoduo: last page first), and committing every window
 * together with its cursor. */
#include "feeds/sync.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tktime.h"
#include "feeds/sync_http.h"
#include "feeds/union_call.h"
#include "feeds/sync_params.h"
#include "feeds/union_page.h"
#include "store/feed_store.h"

#define SYNC_PAGES_MAX 10000 /* pages of one window (Pinduoduo's own limit) */
#define SYNC_FORM_MAX 8192   /* bytes of one request body */
#define SYNC_STREAM_ORDERS "orders"

/* One window in flight. */
struct window {
	struct sync_run *r;
	enum sync_union u;
	const struct sync_union_conf *uc;
	int64_t from, to;
	struct union_page page;
	struct sync_window_report rep;
};

static int64_t backoff_ms(const struct sync_conf *c, int attempt)
{
	int64_t ms = c->retry_base_ms;
	for (int i = 1; i < attempt && ms < c->retry_max_ms; i++)
		ms *= 2;
	return ms < c->retry_max_ms ? ms : c->retry_max_ms;
}

/* "2026-10-01 10:00:00": the unions' Beijing wall-clock format. */
static void beijing_text(int64_t t, char buf[TKTIME_BUF])
{
	tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf);
	buf[10] = ' ';
	buf[19] = '\0';
}

/* The system parameters of every call, then the business ones are added by
 * the window drivers. */
static enum tk_rc base_params(struct window *w, struct sync_params *p, struct tk_error *err)
{
	enum tk_rc rc;
	sync_params_init(p);
	switch (w->u) {
	case SYNC_JD:
		if ((rc = sync_params_set(p, "method", "jd.union.open.order.row.query", err)) ||
		    (rc = sync_params_set(p, "app_key", w->uc->app_key, err)) ||
		    (rc = sync_params_set(p, "format", "json", err)) ||
		    (rc = sync_params_set(p, "v", "1.0", err)))
			return rc;
		break;
	case SYNC_TAOBAO:
		if ((rc = sync_params_set(p, "method", "taobao.tbk.order.details.get", err)) ||
		    (rc = sync_params_set(p, "app_key", w->uc->app_key, err)) ||
		    (rc = sync_params_set(p, "format", "json", err)) ||
		    (rc = sync_params_set(p, "v", "2.0", err)))
			return rc;
		break;
	default:
		if ((rc = sync_params_set(p, "type", "pdd.ddk.order.list.increment.get", err)) ||
		    (rc = sync_params_set(p, "client_id", w->uc->app_key, err)) ||
		    (rc = sync_params_set(p, "data_type", "JSON", err)))
			return rc;
		break;
	}
	return sync_params_set(p, "sign_method", "md5", err);
}


/* One call, retried: the page holds the reply, read by `parse`, on
 * success. */
static enum tk_rc fetch(struct window *w, struct sync_params *p, union_parse_fn parse,
			struct tk_error *err)
{
	const struct sync_conf *c = w->r->conf;
	static char form[SYNC_FORM_MAX];
	enum tk_rc rc = TK_OK;
	for (int attempt = 1;; attempt++) {
		struct sync_http_reply reply;
		int64_t wait = backoff_ms(c, attempt);
		bool permanent = false;
		union_page_reset(&w->page);
		if ((rc = union_stamp_and_sign(w->uc, w->u, p, err)) ||
		    (rc = sync_params_encode(p, form, sizeof(form), err)))
			return rc;
		w->rep.requests++;
		rc = sync_http_post(w->uc->url, form, (long)c->timeout_s, UNION_BODY_MAX, &reply, err);
		if (rc == TK_OK) {
			if (reply.status == 200) {
				rc = parse(reply.body, reply.len, &w->page, err);
				const struct union_fault *f = &w->page.fault;
				permanent = f->permanent;
				if (f->rate_limited && f->retry_after_s * 1000 > wait)
					wait = f->retry_after_s * 1000;
			} else {
				rc = tk_fail(err, TK_EIO, "http", "%s answered HTTP %ld", w->uc->url,
					     reply.status);
				/* 429 and 5xx pass; other statuses will not change */
				permanent = reply.status != 429 && reply.status < 500;
				if (reply.retry_after * 1000 > wait)
					wait = reply.retry_after * 1000;
			}
		} else if (rc == TK_ELIMIT || rc == TK_ENOMEM) {
			permanent = true;
		}
		sync_http_reply_free(&reply);
		if (rc == TK_OK)
			return TK_OK;
		if (permanent || attempt >= c->retries) {
			size_t len = strlen(err->msg);
			if (!permanent && len + 32 < sizeof(err->msg))
				snprintf(err->msg + len, sizeof(err->msg) - len, " (after %d attempts)",
					 attempt);
			return rc == TK_EINVAL ? TK_EIO : rc;
		}
		if (w->r->on_retry)
			w->r->on_retry(w->r->ctx, w->u, attempt, wait, err);
		union_nap_ms(wait); /* the window in flight is finished even when asked to stop */
	}
}

/* Records a refused row and tells the caller. */
static enum tk_rc refuse(struct window *w, const struct union_entry *en,
			 const struct tk_error *why, struct tk_error *err)
{
	struct sync_reject_rec rec = {0};
	struct tk_error shown = *why;
	char from[TKTIME_BUF], to[TKTIME_BUF], where[128];
	struct store *st = engine_store(w->r->e);
	snprintf(where, sizeof(where), "%s %s..%s", sync_union_name(w->u),
		 tktime_format_iso8601(w->from, TKTIME_BEIJING_OFFSET, from),
		 tktime_format_iso8601(w->to, TKTIME_BEIJING_OFFSET, to));
	tk_error_where(&shown, where, 0);
	w->rep.rejected++;
	snprintf(rec.union_, sizeof(rec.union_), "%s", sync_union_name(w->u));
	snprintf(rec.item, sizeof(rec.item), "%s", en->row.item);
	rec.window_from = w->from;
	rec.window_to = w->to;
	tk_error_format(why, rec.error, sizeof(rec.error));
	rec.raw = en->raw;
	rec.at = engine_now();
	enum tk_rc rc = st->feeds->sync_reject_insert(st, &rec, err);
	if (rc == TK_OK && w->r->on_reject)
		w->r->on_reject(w->r->ctx, &shown);
	return rc;
}

static enum tk_rc apply_rows(struct window *w, struct tk_error *err)
{
	struct store *st = engine_store(w->r->e);
	enum tk_rc rc;
	for (size_t i = 0; i < w->page.n; i++) {
		const struct union_entry *en = &w->page.v[i];
		struct tk_error rerr;
		enum import_outcome outcome;
		w->rep.rows++;
		if (en->err.rc != TK_OK) {
			if ((rc = refuse(w, en, &en->err, err)))
				return rc;
			continue;
		}
		tk_error_clear(&rerr);
		rc = engine_import_row(w->r->e, &en->row, &outcome, &rerr);
		if (rc == TK_EIO) {
			*err = rerr;
			return rc;
		}
		if (rc != TK_OK) {
			if ((rc = refuse(w, en, &rerr, err)))
				return rc;
			continue;
		}
		if (outcome == IMPORT_UNCHANGED) {
			w->rep.unchanged++;
			continue;
		}
		w->rep.applied++;
		if (en->row.kind != ORDER_ROW_STATE)
			continue;
		static struct item_rec it;
		if ((rc = st->ops->item_get(st, en->row.union_, en->row.item, &it, err)))
			return TK_EIO;
		if (it.attribution == ATTR_NONE)
			w->rep.unattributed++;
	}
	return TK_OK;
}

/* One page applied in a transaction of its own, once it is all here: the
 * write lock is never held while the union is asked (a slow or retried
 * call would make every other writer wait).  A window whose later page
 * fails leaves its earlier pages applied — harmless, as imports are
 * idempotent — and its cursor where it was, so the next run reads the
 * whole window again. */
static enum tk_rc apply_page(struct window *w, struct tk_error *err)
{
	enum tk_rc rc = engine_import_begin(w->r->e, err);
	if (rc)
		return rc;
	if ((rc = apply_rows(w, err)) || (rc = engine_import_commit(w->r->e, err)))
		engine_import_rollback(w->r->e);
	return rc;
}

static enum tk_rc too_many_pages(struct window *w, struct tk_error *err)
{
	return tk_fail(err, TK_ELIMIT, "window",
		       "%s has more than %d pages in %lld seconds: set %s.window smaller",
		       sync_union_name(w->u), SYNC_PAGES_MAX, (long long)(w->to - w->from),
		       sync_union_name(w->u));
}

/* JD: pageIndex 1, 2, ... while hasMore; the query sits in
 * 360buy_param_json. */
static enum tk_rc jd_window(struct window *w, struct tk_error *err)
{
	char from[TKTIME_BUF], to[TKTIME_BUF];
	struct sync_params p;
	enum tk_rc rc;
	beijing_text(w->from, from);
	beijing_text(w->to, to);
	for (int page = 1;; page++) {
		if (page > SYNC_PAGES_MAX)
			return too_many_pages(w, err);
		json_t *req = json_pack("{s:{s:i, s:i, s:i, s:s, s:s}}", "orderReq", "pageIndex", page,
					"pageSize", w->uc->page_size, "type", 3, "startTime", from,
					"endTime", to);
		char *text = req ? json_dumps(req, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(req);
		if (!text)
			return tk_fail(err, TK_ENOMEM, "request", "out of memory");
		rc = base_params(w, &p, err);
		if (rc == TK_OK)
			rc = sync_params_set(&p, "360buy_param_json", text, err);
		free(text);
		if (rc || (rc = fetch(w, &p, jd_reply_parse, err)) || (rc = apply_page(w, err)))
			return rc;
		if (!w->page.has_next)
			return TK_OK;
	}
}

/* Taobao's after-sale refunds (taobao.tbk.relation.refund), which take back
 * commission even after settlement.  The query takes a start time only:
 * refunds are asked for by completion time (search_type 3) from the
 * window's start; reading one twice changes nothing. */
static enum tk_rc taobao_refunds(struct window *w, const char *from, struct tk_error *err)
{
	struct sync_params p;
	enum tk_rc rc;
	for (int page = 1;; page++) {
		if (page > SYNC_PAGES_MAX)
			return too_many_pages(w, err);
		json_t *opt = json_pack("{s:i, s:i, s:i, s:i, s:i, s:s}", "page_size",
					w->uc->page_size, "page_no", page, "search_type", 3,
					"refund_type", 1, "biz_type", 1, "start_time", from);
		char *text = opt ? json_dumps(opt, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(opt);
		if (!text)
			return tk_fail(err, TK_ENOMEM, "request", "out of memory");
		rc = base_params(w, &p, err);
		if (rc == TK_OK)
			rc = sync_params_set(&p, "method", "taobao.tbk.relation.refund", err);
		if (rc == TK_OK)
			rc = sync_params_set(&p, "search_option", text, err);
		free(text);
		if (rc || (rc = fetch(w, &p, taobao_refund_reply_parse, err)) ||
		    (rc = apply_page(w, err)))
			return rc;
		bool more = w->page.total >= 0 ? (int64_t)page * w->uc->page_size < w->page.total
					       : w->page.n == (size_t)w->uc->page_size;
		if (!more)
			return TK_OK;
	}
}

/* Taobao: per order scene, page_no 1, 2, ... while has_next, handing back
 * the position_index of the page before. */
static enum tk_rc taobao_window(struct window *w, struct tk_error *err)
{
	char from[TKTIME_BUF], to[TKTIME_BUF], position[UNION_POSITION_MAX];
	struct sync_params p;
	enum tk_rc rc;
	beijing_text(w->from, from);
	beijing_text(w->to, to);
	for (const char *scene = w->uc->order_scenes; *scene; scene++) {
		if (*scene == ',')
			continue;
		position[0] = '\0';
		for (int page = 1;; page++) {
			char scene_text[2] = {*scene, '\0'};
			if (page > SYNC_PAGES_MAX)
				return too_many_pages(w, err);
			if ((rc = base_params(w, &p, err)) ||
			    (rc = sync_params_set(&p, "query_type", "4", err)) ||
			    (rc = sync_params_set(&p, "start_time", from, err)) ||
			    (rc = sync_params_set(&p, "end_time", to, err)) ||
			    (rc = sync_params_set_int(&p, "page_no", page, err)) ||
			    (rc = sync_params_set_int(&p, "page_size", w->uc->page_size, err)) ||
			    (rc = sync_params_set(&p, "order_scene", scene_text, err)) ||
			    (rc = sync_params_set(&p, "jump_type", "1", err)) ||
			    (position[0] && (rc = sync_params_set(&p, "position_index", position, err))))
				return rc;
			if ((rc = fetch(w, &p, taobao_reply_parse, err)) || (rc = apply_page(w, err)))
				return rc;
			if (!w->page.has_next)
				break;
			snprintf(position, sizeof(position), "%s", w->page.position);
		}
	}
	return taobao_refunds(w, from, err);
}

static enum tk_rc pdd_page(struct window *w, int page, struct tk_error *err)
{
	struct sync_params p;
	enum tk_rc rc;
	if ((rc = base_params(w, &p, err)) ||
	    (rc = sync_params_set_int(&p, "start_update_time", (long long)w->from, err)) ||
	    (rc = sync_params_set_int(&p, "end_update_time", (long long)w->to, err)) ||
	    (rc = sync_params_set_int(&p, "page_size", w->uc->page_size, err)) ||
	    (rc = sync_params_set_int(&p, "page", page, err)) ||
	    (rc = sync_params_set(&p, "return_count", "true", err)))
		return rc;
	return fetch(w, &p, pdd_reply_parse, err);
}

/* Pinduoduo: the first call learns total_count; then the pages are read
 * from the last to the first, as Pinduoduo requires: an order updated
 * while we page moves towards the end, so reading backwards can show it
 * twice (harmless) but never skip one. */
static enum tk_rc pdd_window(struct window *w, struct tk_error *err)
{
	enum tk_rc rc = pdd_page(w, 1, err);
	if (rc)
		return rc;
	if (w->page.total < 0)
		return tk_fail(err, TK_EIO, "total_count", "Pinduoduo's reply did not count orders");
	int64_t pages = (w->page.total + w->uc->page_size - 1) / w->uc->page_size;
	if (pages <= 1)
		return apply_page(w, err);
	if (pages > SYNC_PAGES_MAX)
		return too_many_pages(w, err);
	for (int64_t page = pages; page >= 1; page--)
		if ((rc = pdd_page(w, (int)page, err)) || (rc = apply_page(w, err)))
			return rc;
	return TK_OK;
}

static enum tk_rc (*const drivers[SYNC_UNIONS])(struct window *, struct tk_error *) = {
	jd_window, taobao_window, pdd_window};

enum tk_rc sync_union(struct sync_run *r, enum sync_union u, int64_t since,
		      struct tk_error *err)
{
	struct store *st = engine_store(r->e);
	const char *name = sync_union_name(u);
	int64_t cursor;
	enum tk_rc rc;

	if (!sync_conf_has(r->conf, u))
		return tk_fail(err, TK_EINVAL, name,
			       "no credentials: set %s.app_key and %s.app_secret in the config file, "
			       "or TUIKE_%s_APP_KEY and TUIKE_%s_APP_SECRET",
			       name, name, u == SYNC_JD ? "JD" : u == SYNC_TAOBAO ? "TAOBAO" : "PDD",
			       u == SYNC_JD ? "JD" : u == SYNC_TAOBAO ? "TAOBAO" : "PDD");
	if ((rc = sync_http_global_init(err)) ||
	    (rc = st->feeds->cursor_get(st, name, SYNC_STREAM_ORDERS, &cursor, err)))
		return rc;
	int64_t start = since ? since : cursor - r->conf->overlap_s;
	if (!since && !cursor)
		return tk_fail(err, TK_ENOTFOUND, name,
			       "has never been synced: give --since ISO8601 for the first run");

	struct window w = {.r = r, .u = u, .uc = &r->conf->u[u]};
	union_page_init(&w.page);
	int64_t now = engine_now();
	for (int64_t from = start; from < now && !(r->stop && *r->stop); from = w.to) {
		memset(&w.rep, 0, sizeof(w.rep));
		w.rep.u = u;
		w.from = w.rep.from = from;
		w.to = w.rep.to = now - from > w.uc->window_s ? from + w.uc->window_s : now;
		/* The cursor never moves back, even when --since re-reads old
		 * windows; it moves once every page of the window is applied. */
		cursor = w.to > cursor ? w.to : cursor;
		if ((rc = drivers[u](&w, err)) || (rc = engine_import_begin(r->e, err)))
			break;
		if ((rc = st->feeds->cursor_set(st, name, SYNC_STREAM_ORDERS, cursor, now, err)) ||
		    (rc = engine_import_commit(r->e, err))) {
			engine_import_rollback(r->e);
			break;
		}
		if (r->on_window)
			r->on_window(r->ctx, &w.rep);
	}
	union_page_free(&w.page);
	return rc;
}

/* statements.c — a merchant's monthly statement: its figures built from
 * the month's campaign orders and slot fees (statement_calc.c does the
 * arithmetic), the statement as a document, generation of drafts, the
 * state moves in one transaction each with their action-log entries. */
#include "promo/statements.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions.h"
#include "core/tktime.h"
#include "promo/statement_figures.h"

enum tk_rc statements_month_parse(const char *s, int64_t *month, struct tk_error *err)
{
	if (!s || !stmt_month_parse(s, month)) {
		tk_fail_key(err, TK_EINVAL, "month", "statement.month_invalid",
			    "a month is YYYYMM (2000..2099), got \"%s\"", s ? s : "");
		tk_error_str(err, "value", s ? s : "");
		return TK_EINVAL;
	}
	return TK_OK;
}

enum tk_rc statements_format_parse(const char *s, enum stmt_format *out, struct tk_error *err)
{
	if (s && strcmp(s, "csv") == 0)
		*out = STMT_CSV;
	else if (s && strcmp(s, "xlsx") == 0)
		*out = STMT_XLSX;
	else {
		tk_fail_key(err, TK_EINVAL, "format", "statement.format_invalid",
			    "must be csv or xlsx, got \"%s\"", s ? s : "");
		tk_error_str(err, "value", s ? s : "");
		return TK_EINVAL;
	}
	return TK_OK;
}

enum tk_rc statements_lang_parse(const char *s, enum stmt_lang *out, struct tk_error *err)
{
	if (!s || strcmp(s, "zh-CN") == 0)
		*out = STMT_ZH;
	else if (strcmp(s, "en") == 0)
		*out = STMT_EN;
	else {
		tk_fail_key(err, TK_EINVAL, "lang", "statement.lang_invalid",
			    "must be zh-CN or en, got \"%s\"", s);
		tk_error_str(err, "value", s);
		return TK_EINVAL;
	}
	return TK_OK;
}

/* ---- the figures ---- */

struct build {
	json_t *lines, *campaigns;
	json_t *line, *camp;           /* the ones being summed */
	struct stmt_figures lf, cf, total;
	int64_t campaign;
	char product[STMT_KEY_MAX];
	int64_t n_orders;
	bool oom;
};

static void flush_line(struct build *b)
{
	if (!b->line)
		return;
	stmt_figures_json(b->line, &b->lf);
	json_array_append_new(b->lines, b->line);
	b->line = NULL;
	memset(&b->lf, 0, sizeof(b->lf));
}

static void flush_campaign(struct build *b)
{
	flush_line(b);
	if (!b->camp)
		return;
	stmt_figures_json(b->camp, &b->cf);
	json_array_append_new(b->campaigns, b->camp);
	b->camp = NULL;
	memset(&b->cf, 0, sizeof(b->cf));
}

void stmt_terms_of(const struct statement_order *o, struct stmt_order_terms *t)
{
	t->status = o->status;
	t->paid_at = o->paid_at;
	t->amount = o->amount;
	t->commission = o->commission;
	t->refunded = o->refunded;
	t->commission_pm = o->commission_pm;
	t->service_pm = o->service_pm;
	t->fee = o->fee;
	t->fee_bucket = o->fee_bucket;
}

static bool order_cb(void *ctx, const struct statement_order *o)
{
	struct build *b = ctx;
	if (b->camp && o->campaign != b->campaign)
		flush_campaign(b);
	else if (b->line && strcmp(o->product, b->product) != 0)
		flush_line(b);
	if (!b->camp) {
		b->camp = json_pack("{s:I, s:s}", "campaign", (json_int_t)o->campaign,
				    "campaign_name", o->campaign_name);
		b->campaign = o->campaign;
	}
	if (!b->line) {
		b->line = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "campaign",
				    (json_int_t)o->campaign, "campaign_name", o->campaign_name,
				    "product", o->product, "title", o->title, "commission_pm",
				    (json_int_t)o->commission_pm, "service_pm",
				    (json_int_t)o->service_pm);
		snprintf(b->product, sizeof(b->product), "%s", o->product);
	}
	if (!b->camp || !b->line) {
		b->oom = true;
		return false;
	}
	struct stmt_order_terms t;
	stmt_terms_of(o, &t);
	stmt_figures_add_order(&b->lf, &t);
	stmt_figures_add_order(&b->cf, &t);
	stmt_figures_add_order(&b->total, &t);
	b->n_orders++;
	return true;
}

struct slots {
	json_t *list;
	int64_t collected, outstanding;
};

static json_t *time_doc(int64_t t)
{
	char buf[TKTIME_BUF];
	return t ? json_string(tktime_format_iso8601(t, TKTIME_BEIJING_OFFSET, buf)) : json_null();
}

static bool slot_cb(void *ctx, const struct statement_slot *s)
{
	struct slots *w = ctx;
	if (strcmp(s->state, "collected") == 0)
		w->collected += s->amount;
	else
		w->outstanding += s->amount;
	json_array_append_new(
		w->list, json_pack("{s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:o, s:o}", "id",
				   (json_int_t)s->id, "campaign", (json_int_t)s->campaign,
				   "campaign_name", s->campaign_name, "channel",
				   (json_int_t)s->channel, "channel_name", s->channel_name, "amount",
				   (json_int_t)s->amount, "state", s->state, "booked_at",
				   time_doc(s->booked_at), "collected_at", time_doc(s->collected_at)));
	return true;
}

enum tk_rc stmt_figures_build(struct store *st, int64_t merchant, int64_t month, json_t **out,
			      int64_t *n_orders, struct tk_error *err)
{
	struct build b = {.lines = json_array(), .campaigns = json_array()};
	struct slots sl = {.list = json_array()};
	int64_t from, to;
	stmt_month_bounds(month, &from, &to);
	*out = NULL;
	enum tk_rc rc = TK_OK;
	if (!b.lines || !b.campaigns || !sl.list)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!rc)
		rc = st->statements->orders_each(st, merchant, month, order_cb, &b, err);
	if (!rc && b.oom)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (!rc)
		flush_campaign(&b);
	if (!rc)
		rc = st->statements->slots_each(st, merchant, from, to, slot_cb, &sl, err);
	json_t *totals = rc ? NULL : json_object();
	if (!rc && !totals)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (rc) {
		json_decref(b.line);
		json_decref(b.camp);
		json_decref(b.lines);
		json_decref(b.campaigns);
		json_decref(sl.list);
		return rc;
	}
	stmt_figures_json(totals, &b.total);
	json_object_set_new(totals, "slot_fee_collected", json_integer(sl.collected));
	json_object_set_new(totals, "slot_fee_outstanding", json_integer(sl.outstanding));
	*out = json_pack("{s:o, s:o, s:o, s:o}", "lines", b.lines, "campaigns", b.campaigns,
			 "slot_fees", sl.list, "totals", totals);
	if (n_orders)
		*n_orders = b.n_orders;
	return *out ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

/* ---- the statement as a document ---- */

static json_t *head_doc(const struct statement_rec *r)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s?, s:s?, s:o, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)r->id, "merchant", (json_int_t)r->merchant, "merchant_name",
			 r->merchant_name, "month", (json_int_t)r->month, "state", r->state,
			 "invoice", r->invoice[0] ? r->invoice : NULL, "reason",
			 r->reason[0] ? r->reason : NULL, "created_at", time_doc(r->created_at),
			 "updated_at", time_doc(r->updated_at), "sent_at", time_doc(r->sent_at),
			 "confirmed_at", time_doc(r->confirmed_at), "invoiced_at",
			 time_doc(r->invoiced_at));
}

enum tk_rc stmt_doc_of(struct store *st, const struct statement_rec *r, json_t **out,
		       int64_t *n_orders, struct tk_error *err)
{
	json_t *live = NULL;
	enum tk_rc rc = stmt_figures_build(st, r->merchant, r->month, &live, n_orders, err);
	if (rc)
		return rc;
	json_t *doc = head_doc(r);
	if (!doc) {
		json_decref(live);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	json_t *figs = live, *changes = NULL;
	if (r->snapshot) {
		json_error_t jerr;
		json_t *sent = json_loads(r->snapshot, 0, &jerr);
		if (!sent) {
			json_decref(live);
			json_decref(doc);
			return tk_fail(err, TK_EIO, "statement",
				       "statement %lld: its snapshot is not JSON (%s)",
				       (long long)r->id, jerr.text);
		}
		changes = stmt_figures_diff(sent, live);
		json_decref(live);
		figs = sent;
	}
	json_object_update(doc, figs);
	json_decref(figs);
	json_object_set_new(doc, "figures", json_string(r->snapshot ? "sent" : "live"));
	json_object_set_new(doc, "changed_since_sent",
			    json_boolean(changes && json_array_size(changes) > 0));
	json_object_set_new(doc, "changes", changes ? changes : json_array());
	*out = doc;
	return TK_OK;
}

enum tk_rc statements_show(struct store *st, int64_t id, json_t **out, struct tk_error *err)
{
	struct statement_rec r;
	enum tk_rc rc = st->ops->tx_begin_read(st, err);
	if (rc)
		return rc;
	rc = st->statements->stmt_get(st, id, &r, err);
	if (!rc) {
		rc = stmt_doc_of(st, &r, out, NULL, err);
		free(r.snapshot);
	}
	st->ops->tx_rollback(st);
	return rc;
}

struct list_walk {
	json_t *list;
	int64_t last;
	int n;
};

static bool list_cb(void *ctx, const struct statement_rec *r)
{
	struct list_walk *w = ctx;
	json_array_append_new(w->list, head_doc(r));
	w->last = r->id;
	w->n++;
	return true;
}

enum tk_rc statements_list(struct store *st, const struct statement_filter *f, json_t **out,
			   struct tk_error *err)
{
	struct list_walk w = {.list = json_array()};
	if (!w.list)
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	enum tk_rc rc = st->ops->tx_begin_read(st, err);
	if (!rc) {
		rc = st->statements->stmt_list(st, f, list_cb, &w, err);
		st->ops->tx_rollback(st);
	}
	if (rc) {
		json_decref(w.list);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "statements", w.list, "next_before",
			 f->limit > 0 && w.n == f->limit ? json_integer(w.last) : json_null());
	return *out ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

/* ---- generation ---- */

struct ids {
	int64_t *v;
	size_t n, cap;
	bool oom;
};

static bool id_cb(void *ctx, int64_t id)
{
	struct ids *w = ctx;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		int64_t *v = realloc(w->v, cap * sizeof(*v));
		if (!v) {
			w->oom = true;
			return false;
		}
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n++] = id;
	return true;
}

enum tk_rc statements_generate(struct store *st, int64_t month, int64_t merchant, int64_t now,
			       json_t **out, struct tk_error *err)
{
	struct ids m = {0};
	json_t *created = json_array(), *existing = json_array();
	char name[STMT_NAME_MAX];
	int64_t from, to;
	stmt_month_bounds(month, &from, &to);
	enum tk_rc rc = created && existing ? st->ops->tx_begin(st, err)
					    : tk_fail(err, TK_ENOMEM, "", "out of memory");
	if (rc) {
		json_decref(created);
		json_decref(existing);
		return rc;
	}
	if (merchant) {
		rc = st->statements->merchant_name(st, merchant, name, sizeof(name), err);
		if (!rc)
			id_cb(&m, merchant);
	} else {
		rc = st->statements->active_merchants(st, month, from, to, id_cb, &m, err);
	}
	if (!rc && m.oom)
		rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
	for (size_t i = 0; !rc && i < m.n; i++) {
		int64_t id;
		bool made;
		rc = st->statements->stmt_upsert_draft(st, m.v[i], month, now, &id, &made, err);
		if (!rc)
			json_array_append_new(made ? created : existing, json_integer(id));
	}
	if (!rc && json_array_size(created) > 0) {
		json_t *after = json_pack("{s:I, s:O}", "month", (json_int_t)month, "created", created);
		char subject[48];
		snprintf(subject, sizeof(subject), "statements:%lld", (long long)month);
		rc = actions_record(st, now, "statement.generate", subject, NULL, after, err);
		json_decref(after);
	}
	free(m.v);
	rc = store_tx_end(st, rc, err);
	if (rc) {
		json_decref(created);
		json_decref(existing);
		return rc;
	}
	*out = json_pack("{s:I, s:o, s:o}", "month", (json_int_t)month, "created", created,
			 "existing", existing);
	return *out ? TK_OK : tk_fail(err, TK_ENOMEM, "", "out of memory");
}

/* ---- moves ---- */

/* Checks an invoice number or a reason: 1..max bytes of one line of UTF-8. */
static enum tk_rc text_check(const char *s, const char *field, int max, struct tk_error *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > (size_t)max) {
		tk_fail_key(err, TK_EINVAL, field, "statement.text_length",
			    "is 1..%d bytes, got %zu", max, n);
		tk_error_int(err, "max", max);
		return TK_EINVAL;
	}
	return actions_reason_check(s, field, err);
}

enum tk_rc statements_move(struct store *st, int64_t id, enum stmt_move m, const char *arg,
			   int64_t now, json_t **out, struct tk_error *err)
{
	enum tk_rc rc;
	if (m == STMT_INVOICE && (rc = text_check(arg, "invoice", STMT_INVOICE_LIMIT, err)))
		return rc;
	if (m == STMT_REOPEN && (rc = text_check(arg, "reason", STMT_REASON_LIMIT, err)))
		return rc;
	struct statement_rec r = {0};
	if ((rc = st->ops->tx_begin(st, err)))
		return rc;
	rc = st->statements->stmt_get(st, id, &r, err);
	enum stmt_state from = STMT_DRAFT, to = STMT_DRAFT;
	if (!rc && !stmt_state_parse(r.state, &from))
		rc = tk_fail(err, TK_EIO, "state", "statement %lld has state \"%s\"", (long long)id,
			     r.state);
	if (!rc && !stmt_move_to(from, m, &to)) {
		static const char *const DONE[] = {"sent", "confirmed", "invoiced",
						   "reopened (only a sent one can)"};
		tk_fail_key(err, TK_ECONFLICT, "state", "statement.illegal_move",
			    "a %s statement cannot be %s", r.state, DONE[m]);
		tk_error_str(err, "state", r.state);
		tk_error_str(err, "move", stmt_move_name(m));
		rc = TK_ECONFLICT;
	}
	json_t *before = NULL, *after = NULL;
	if (!rc) {
		before = json_pack("{s:s}", "state", r.state);
		snprintf(r.state, sizeof(r.state), "%s", stmt_state_name(to));
		r.updated_at = now;
		if (m == STMT_SEND) {
			/* freeze what the merchant is asked to confirm */
			json_t *figs = NULL;
			rc = stmt_figures_build(st, r.merchant, r.month, &figs, NULL, err);
			if (!rc) {
				free(r.snapshot);
				r.snapshot = json_dumps(figs, JSON_COMPACT | JSON_PRESERVE_ORDER);
				if (!r.snapshot)
					rc = tk_fail(err, TK_ENOMEM, "", "out of memory");
				else if (strlen(r.snapshot) > STMT_SNAPSHOT_MAX)
					rc = tk_fail(err, TK_ELIMIT, "statement",
						     "the figures are %zu bytes; at most %d",
						     strlen(r.snapshot), STMT_SNAPSHOT_MAX);
				after = json_pack("{s:s, s:O}", "state", r.state, "totals",
						  json_object_get(figs, "totals"));
				json_decref(figs);
			}
			r.sent_at = now;
		} else if (m == STMT_REOPEN) {
			free(r.snapshot);
			r.snapshot = NULL;
			r.sent_at = 0;
			snprintf(r.reason, sizeof(r.reason), "%s", arg);
			after = json_pack("{s:s, s:s}", "state", r.state, "reason", arg);
		} else if (m == STMT_CONFIRM) {
			r.confirmed_at = now;
			after = json_pack("{s:s}", "state", r.state);
		} else {
			snprintf(r.invoice, sizeof(r.invoice), "%s", arg);
			r.invoiced_at = now;
			after = json_pack("{s:s, s:s}", "state", r.state, "invoice", arg);
		}
	}
	if (!rc)
		rc = st->statements->stmt_update(st, &r, err);
	if (!rc) {
		char what[32], subject[32];
		snprintf(what, sizeof(what), "statement.%s", stmt_move_name(m));
		snprintf(subject, sizeof(subject), "statement:%lld", (long long)id);
		rc = actions_record(st, now, what, subject, before, after, err);
	}
	json_decref(before);
	json_decref(after);
	free(r.snapshot);
	rc = store_tx_end(st, rc, err);
	if (rc)
		return rc;
	return statements_show(st, id, out, err);
}

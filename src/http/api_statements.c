/* api_statements.c — the merchants' monthly statements over the API:
 * generate a month's drafts, list, show one (figures, slot fees,
 * changed_since_sent), move it (send, confirm, invoice, reopen) and
 * download it as CSV or XLSX.  Each handler parses, calls one operation of
 * src/promo/statements.c and formats its answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api_handlers.h"
#include "promo/statements.h"

enum tk_rc h_statements_generate(struct api_call *c)
{
	static const char *const fields[] = {"month", "merchant", NULL};
	const char *month_s;
	int64_t month, merchant;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_body_only(c, fields)) || (rc = api_body_str(c, "month", true, 7, &month_s)) ||
	    (rc = api_body_i64(c, "merchant", false, 0, 1, INT64_MAX, &merchant)) ||
	    (rc = statements_month_parse(month_s, &month, &c->err)) ||
	    (rc = statements_generate(api_store(c), month, merchant, c->now, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_statements_list(struct api_call *c)
{
	char mbuf[16], sbuf[16];
	const char *month_s, *state;
	struct statement_filter f = {0};
	enum stmt_state parsed;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_query(c, "month", mbuf, sizeof(mbuf), &month_s)) ||
	    (rc = api_query(c, "state", sbuf, sizeof(sbuf), &state)) ||
	    (rc = api_query_i64(c, "merchant", 0, 1, INT64_MAX, &f.merchant)) ||
	    (rc = api_query_i64(c, "before", 0, 1, INT64_MAX, &f.before)) ||
	    (rc = api_query_limit(c, &f.limit)))
		return rc;
	if (month_s && (rc = statements_month_parse(month_s, &f.month, &c->err)))
		return rc;
	if (state && !stmt_state_parse(state, &parsed))
		return tk_fail(&c->err, TK_EINVAL, "state",
			       "must be draft, sent, confirmed or invoiced, got \"%s\"", state);
	f.state = state;
	if ((rc = statements_list(api_store(c), &f, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_statement_show(struct api_call *c)
{
	int64_t id;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "statement", &id)) ||
	    (rc = statements_show(api_store(c), id, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

/* A move: its argument (reason, invoice) from the body when it takes one. */
static enum tk_rc move(struct api_call *c, enum stmt_move m)
{
	int64_t id;
	const char *arg = NULL;
	json_t *doc;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "statement", &id)))
		return rc;
	if (m == STMT_REOPEN) {
		static const char *const fields[] = {"reason", NULL};
		if ((rc = api_body_only(c, fields)) ||
		    (rc = api_body_str(c, "reason", true, 4 * STMT_REASON_LIMIT, &arg)))
			return rc;
	} else if (m == STMT_INVOICE) {
		static const char *const fields[] = {"invoice", NULL};
		if ((rc = api_body_only(c, fields)) ||
		    (rc = api_body_str(c, "invoice", true, 4 * STMT_INVOICE_LIMIT, &arg)))
			return rc;
	}
	if ((rc = statements_move(api_store(c), id, m, arg, c->now, &doc, &c->err)))
		return rc;
	return api_reply(c, 200, doc);
}

enum tk_rc h_statement_send(struct api_call *c)
{
	return move(c, STMT_SEND);
}

enum tk_rc h_statement_confirm(struct api_call *c)
{
	return move(c, STMT_CONFIRM);
}

enum tk_rc h_statement_invoice(struct api_call *c)
{
	return move(c, STMT_INVOICE);
}

enum tk_rc h_statement_reopen(struct api_call *c)
{
	return move(c, STMT_REOPEN);
}

enum tk_rc h_statement_export(struct api_call *c)
{
	char fbuf[8], lbuf[8];
	const char *format_s, *lang_s, *type;
	enum stmt_format format;
	enum stmt_lang lang;
	int64_t id;
	char *data = NULL, name[64];
	size_t len = 0;
	enum tk_rc rc;
	if ((rc = api_path_id(c, "statement", &id)) ||
	    (rc = api_query(c, "format", fbuf, sizeof(fbuf), &format_s)) ||
	    (rc = api_query(c, "lang", lbuf, sizeof(lbuf), &lang_s)) ||
	    (rc = statements_format_parse(format_s ? format_s : "csv", &format, &c->err)) ||
	    (rc = statements_lang_parse(lang_s, &lang, &c->err)) ||
	    (rc = statements_export(api_store(c), id, format, lang, &data, &len, name, &type,
				    &c->err)))
		return rc;
	c->status = 200;
	c->raw_out = data;
	c->raw_len = len; /* an XLSX is binary; the CSV's length is as good */
	c->content_type = type;
	snprintf(c->download, sizeof(c->download), "%s", name);
	return TK_OK;
}

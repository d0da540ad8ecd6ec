/* actions.c — the action log: the actor of this thread, the entry an
 * operation writes inside its own transaction, and the entry's JSON and
 * CSV forms. */
#include "actions/actions.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/tktime.h"
#include "core/utf8.h"
#include "groups/group_report.h"

/* Per thread: an API call sets it for its own thread, so that two calls
 * on two threads (a handler that let the engine lock go) never see each
 * other's actor. */
static _Thread_local struct action_actor actor_now;
static _Thread_local bool actor_set;

void actions_actor_set(const struct action_actor *a)
{
	actor_set = a != NULL;
	if (a)
		actor_now = *a;
	else
		memset(&actor_now, 0, sizeof(actor_now));
}

const struct action_actor *actions_actor(void)
{
	return actor_set ? &actor_now : NULL;
}

enum tk_rc actions_reason_check(const char *reason, const char *field, struct tk_error *err)
{
	size_t len = strlen(reason);
	if (len > ACTION_REASON_LIMIT)
		return tk_fail(err, TK_EINVAL, field, "is %zu bytes; at most %d", len,
			       ACTION_REASON_LIMIT);
	size_t bad = utf8_invalid_at(reason, len);
	if (bad < len)
		return tk_fail(err, TK_EINVAL, field, "is not UTF-8 (byte %zu)", bad + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)reason[i];
		if (ch < 0x20 || ch == 0x7f)
			return tk_fail(err, TK_EINVAL, field,
				       "holds a control character (byte %zu); one line of text",
				       i + 1);
	}
	return TK_OK;
}

/* A document as stored: compact JSON within the column's limit, or a note
 * saying it was too long (a document is never cut into invalid JSON). */
static void doc_text(const json_t *doc, char out[ACTION_JSON_MAX])
{
	if (!doc) {
		snprintf(out, ACTION_JSON_MAX, "null");
		return;
	}
	size_t need = json_dumpb(doc, out, ACTION_JSON_MAX - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (need == 0 || need > ACTION_JSON_MAX - 1) {
		snprintf(out, ACTION_JSON_MAX, "{\"note\":\"too long to keep (%zu bytes)\"}", need);
		return;
	}
	out[need] = '\0';
}

/* Copies text into a field, cut to fit (the actor's fields are the
 * entry's sizes: nothing is cut in practice). */
static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static enum tk_rc append(struct store *st, struct action_rec *a, int64_t now, const char *what,
			 const char *subject, struct tk_error *err)
{
	const struct action_actor *who = actions_actor();
	a->at = now;
	copy(a->actor, sizeof(a->actor), who && who->who[0] ? who->who : "system");
	copy(a->role, sizeof(a->role), who ? who->role : "");
	copy(a->source, sizeof(a->source), who ? who->source : "");
	copy(a->reason, sizeof(a->reason), who ? who->reason : "");
	copy(a->request, sizeof(a->request), who ? who->request : "");
	copy(a->what, sizeof(a->what), what);
	copy(a->subject, sizeof(a->subject), subject ? subject : "");
	return st->actions->action_insert(st, a, err);
}

enum tk_rc actions_record(struct store *st, int64_t now, const char *what, const char *subject,
			  const json_t *before, const json_t *after, struct tk_error *err)
{
	struct action_rec a;
	doc_text(before, a.before);
	doc_text(after, a.after);
	return append(st, &a, now, what, subject, err);
}

enum tk_rc actions_record_text(struct store *st, int64_t now, const char *what,
			       const char *subject, const char *before, const char *after,
			       struct tk_error *err)
{
	json_error_t jerr;
	json_t *b = before && *before ? json_loads(before, JSON_DECODE_ANY, &jerr) : NULL;
	json_t *f = after && *after ? json_loads(after, JSON_DECODE_ANY, &jerr) : NULL;
	enum tk_rc rc;
	if ((before && *before && !b) || (after && *after && !f))
		rc = tk_fail(err, TK_EINVAL, "action", "a summary of %s is not JSON", what);
	else
		rc = actions_record(st, now, what, subject, b, f, err);
	json_decref(b);
	json_decref(f);
	return rc;
}

enum tk_rc actions_list(struct store *st, const struct action_filter *f, int64_t limit,
			store_action_cb cb, void *ctx, struct tk_error *err)
{
	enum tk_rc rc = st->ops->tx_begin_read(st, err);
	if (rc)
		return rc;
	rc = st->actions->action_each(st, f, limit, cb, ctx, err);
	st->ops->tx_rollback(st);
	return rc;
}

static json_t *parsed(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	return v ? v : json_string(text); /* never expected: stored by doc_text */
}

json_t *actions_doc(const struct action_rec *a)
{
	char at[40];
	tktime_format_iso8601(a->at, TKTIME_BEIJING_OFFSET, at);
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:o, s:o, s:s?, s:s?}", "id",
			 (json_int_t)a->id, "at", at, "actor", a->actor, "role",
			 a->role[0] ? a->role : NULL, "source", a->source, "what", a->what,
			 "subject", a->subject, "before", parsed(a->before), "after",
			 parsed(a->after), "reason", a->reason[0] ? a->reason : NULL,
			 "request_id", a->request[0] ? a->request : NULL);
}

#define CSV_HEADER "id,at,actor,role,source,what,subject,before,after,reason,request_id\r\n"

static void csv_put(struct group_csv *b, const char *s)
{
	if (!b->failed && !textbuf_append(&b->b, s, strlen(s), GROUP_CSV_MAX))
		b->failed = true;
}

void actions_csv_header(struct group_csv *b)
{
	csv_put(b, CSV_HEADER);
}

void actions_csv_row(struct group_csv *b, const struct action_rec *a)
{
	char num[32], at[40];
	snprintf(num, sizeof(num), "%" PRId64 ",", a->id);
	csv_put(b, num);
	tktime_format_iso8601(a->at, TKTIME_BEIJING_OFFSET, at);
	const char *cells[] = {at, a->actor, a->role, a->source, a->what, a->subject,
			       a->before, a->after, a->reason, a->request};
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		if (i)
			csv_put(b, ",");
		group_csv_text(b, cells[i]);
	}
	csv_put(b, "\r\n");
}

/* link_import.c — `tuike link import`: a JSON Lines file of link requests
 * read by the bounded line reader, each line prepared read-only, its union
 * conversion called outside any transaction, and the links stored in
 * batches (link_import.h). */
#include "tracking/link_import.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input/line_reader.h"
#include "tracking/tracking.h"

/* One line of a link file, prepared (read only); a conversion due is left
 * in *pend for the caller to make outside its transaction. */
static enum tk_rc link_line(struct engine *e, const struct links_conv *conv,
			    const struct link_hosts *hosts, struct links_pending *pend,
			    const char *line, size_t len, int64_t now, struct link_rec *l,
			    struct tk_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	enum tk_rc rc;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return tk_fail(err, TK_EINVAL, "", "not a JSON object: %s",
			       doc ? "another JSON value" : jerr.text);
	}
	const char *k;
	json_t *v;
	json_object_foreach(doc, k, v) {
		if (strcmp(k, "member") && strcmp(k, "url") && strcmp(k, "union") &&
		    strcmp(k, "product") && strcmp(k, "channel")) {
			rc = tk_fail(err, TK_EINVAL, k, "unknown field");
			goto out;
		}
		if (!json_is_string(v)) {
			rc = tk_fail(err, TK_EINVAL, k, "must be a string");
			goto out;
		}
	}
	struct link_request req = {
		.member = json_string_value(json_object_get(doc, "member")),
		.url = json_string_value(json_object_get(doc, "url")),
		.union_ = json_string_value(json_object_get(doc, "union")),
		.product = json_string_value(json_object_get(doc, "product")),
		.channel = json_string_value(json_object_get(doc, "channel")),
		.conv = conv,
		.pending = pend,
		/* an operator's file: the allowed hosts hold, without a
		 * per-line permission past them */
		.origin = LINK_ORIGIN_OPERATOR,
		.hosts = hosts,
	};
	pend->needed = false;
	rc = links_prepare(e, &req, now, l, err);
out:
	json_decref(doc);
	return rc;
}

enum tk_rc link_import_file(struct engine *e, const struct links_conv *conv, FILE *in,
			    const char *path, int64_t now, const struct link_import_report *rep,
			    struct link_import_counts *n, struct tk_error *err)
{
	struct tracking_link_batch batch = {.st = engine_store(e)};
	struct line_reader lr;
	enum line_got got;
	enum tk_rc rc = TK_OK;
	*n = (struct link_import_counts){0};
	/* both are large: kept off the stack */
	struct links_pending *pend = malloc(sizeof(*pend));
	struct link_rec *l = malloc(sizeof(*l));
	if (!pend || !l) {
		free(pend);
		free(l);
		return tk_fail(err, TK_ENOMEM, "", "out of memory");
	}
	/* the allowed hosts, read once for the whole file */
	struct link_hosts hosts = {0};
	if ((rc = links_hosts_load(batch.st, &hosts, err))) {
		free(pend);
		free(l);
		return rc;
	}
	line_reader_init(&lr, in, path, LINK_LINE_MAX);
	while ((got = line_reader_next(&lr, err)) != LINE_END) {
		if (got == LINE_FAILED) {
			rc = TK_EIO;
			goto out;
		}
		if (got == LINE_GOT && lr.len == 0)
			continue;
		n->read++;
		if (got == LINE_BAD) { /* too long, or a NUL byte: refused, the rest goes on */
			if (rep && rep->rejected)
				rep->rejected(rep->ctx, err);
			n->rejected++;
			continue;
		}
		enum tk_rc lrc = link_line(e, conv, &hosts, pend, lr.s, lr.len, now, l, err);
		if (lrc == TK_OK && pend->needed) {
			/* the union is called with no transaction open: the batch so
			 * far is committed first */
			rc = tracking_link_batch_commit(&batch, err);
			if (rc)
				goto out;
			lrc = links_conv_call(conv, pend, NULL, err);
		}
		if (lrc == TK_OK) {
			/* the conversion and the link in the batch's transaction */
			struct link_request fin = {.conv = conv, .pending = pend};
			lrc = tracking_link_batch_add(&batch, &fin, l, err);
		}
		if (lrc == TK_EIO) {
			tk_error_where(err, path, lr.lineno);
			rc = lrc;
			goto out;
		}
		if (lrc) {
			tk_error_where(err, path, lr.lineno);
			if (rep && rep->rejected)
				rep->rejected(rep->ctx, err);
			n->rejected++;
			continue;
		}
		n->created++;
		if (rep && rep->created)
			rep->created(rep->ctx, l);
	}
	rc = tracking_link_batch_commit(&batch, err);
out:
	tracking_link_batch_rollback(&batch);
	links_hosts_free(&hosts);
	free(l);
	free(pend);
	line_reader_free(&lr);
	return rc;
}

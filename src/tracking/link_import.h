/* link_import.h — tracking links created from a JSON Lines file (`tuike
 * link import`): each line {"member", "url" | "union"+"product",
 * "channel"} prepared, its conversion made with no transaction open, and
 * the links stored TRACKING_LINK_BATCH per transaction. */
#ifndef TK_TRACKING_LINK_IMPORT_H
#define TK_TRACKING_LINK_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "engine/engine.h"
#include "tracking/links.h"
#include "tracking/links_convert.h"

#define LINK_LINE_MAX 8192       /* bytes of one JSON Lines record */

struct link_import_counts {
	int64_t read;      /* non-empty lines */
	int64_t created;
	int64_t rejected;  /* bad lines, reported through rejected() and skipped */
};

/* What the caller hears of each line: a link made, or a line refused
 * (err names file, line and field).  Either may be NULL. */
struct link_import_report {
	void (*created)(void *ctx, const struct link_rec *l);
	void (*rejected)(void *ctx, const struct tk_error *err);
	void *ctx;
};

/* Creates the links of the file `in` (named `path` in messages) at `now`.
 * A bad line is reported and skipped; TK_EIO (the store, or reading the
 * file) stops the import, the links of committed batches staying and the
 * open batch rolled back.  *n counts what was read, made and refused. */
enum tk_rc link_import_file(struct engine *e, const struct links_conv *conv, FILE *in,
			    const char *path, int64_t now, const struct link_import_report *rep,
			    struct link_import_counts *n, struct tk_error *err);

#endif

/* api_meta.c — the health endpoint (clicks and connections counted) and
 * the OpenAPI document.  Neither touches the database, so both answer even
 * while the API is busy. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/api_handlers.h"
#include "http/edge.h"
#include "tracking/clicks.h"
#include "tracking/link_table.h"

enum tk_rc h_health(struct api_call *c)
{
	struct clicks_stats s = {0};
	struct edge_stats n;
	bool stopping = atomic_load(&c->api->stopping);
	if (c->api->clicks)
		clicks_stats(c->api->clicks, &s);
	edge_stats(c->api->edge, &n);
	return api_reply(
		c, stopping ? 503 : 200,
		json_pack("{s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I}, "
			  "s:{s:I, s:I, s:I, s:I, s:I}}", "status",
			  stopping ? "stopping" : "ok", "uptime_s",
			  (json_int_t)((int64_t)time(NULL) - c->api->started_at), "links",
			  (json_int_t)link_table_count(c->api->links), "clicks", "recorded",
			  (json_int_t)s.recorded, "written", (json_int_t)s.written, "pending",
			  (json_int_t)s.pending, "dropped", (json_int_t)s.dropped, "bots",
			  (json_int_t)s.bots, "failed_flushes", (json_int_t)s.failures,
			  "connections", "open", (json_int_t)n.open, "closed_head_deadline",
			  (json_int_t)n.closed_head, "closed_body_deadline", (json_int_t)n.closed_body,
			  "closed_pressure", (json_int_t)n.closed_pressure, "refused_per_ip",
			  (json_int_t)n.refused_per_ip));
}

enum tk_rc h_openapi(struct api_call *c)
{
	c->raw_out = strdup(c->api->openapi ? c->api->openapi : "{}");
	if (!c->raw_out)
		return tk_fail(&c->err, TK_ENOMEM, "", "out of memory");
	c->status = 200;
	return TK_OK;
}

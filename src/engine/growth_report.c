/* growth_report.c — the compliance report: how deep the invitation tree
 * is, where members' income comes from (their own and their customers'
 * purchases, uplines' tiers, gift-pack margins), who earns from
 * recruitment alone, and the checks of growth_compliance_checks().
 * Read in one transaction, so the figures are one consistent snapshot. */
#include "engine/growth_internal.h"

#include <string.h>

static bool depth_cb(void *ctx, int32_t depth, int64_t members)
{
	struct compliance_report *r = ctx;
	int bucket = depth < GROWTH_DEPTH_BUCKETS ? depth : GROWTH_DEPTH_BUCKETS - 1;
	if (depth >= 0)
		r->depth[bucket] += members;
	r->f.members += members;
	if (depth == 0)
		r->f.roots = members;
	if (depth > r->f.max_depth)
		r->f.max_depth = depth;
	return true;
}

static bool earner_cb(void *ctx, const char *ext, int64_t pack_income)
{
	struct compliance_report *r = ctx;
	if (r->n_sample == COMPLIANCE_SAMPLE)
		return false;
	snprintf(r->sample[r->n_sample].ext, ORDER_KEY_MAX, "%s", ext ? ext : "");
	r->sample[r->n_sample++].pack_income = pack_income;
	return true;
}

enum tk_rc engine_compliance_report(struct engine *e, struct compliance_report *out,
				    struct tk_error *err)
{
	enum tk_rc rc;
	const struct plan *p;
	memset(out, 0, sizeof(*out));
	if ((rc = engine_read_begin(e, err)))
		return rc;
	if ((rc = engine_plan_get(e, 0, &p, NULL, err)))
		goto out; /* the plan as it is once caught up */
	if ((rc = e->st->growth->depth_each(e->st, depth_cb, out, err)) ||
	    (rc = e->st->growth->compliance_figures(e->st, &out->f, COMPLIANCE_SAMPLE, earner_cb,
						    out, err)))
		goto out;
	out->n_checks = growth_compliance_checks(p, &out->f, out->checks, COMPLIANCE_MAX_CHECKS);
out:
	e->st->ops->tx_rollback(e->st); /* read only */
	return rc;
}

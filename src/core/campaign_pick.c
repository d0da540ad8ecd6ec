/* campaign_pick.c — picking a campaign order's campaign among the
 * candidates of its product (campaign_pick.h). */
#include "core/campaign_pick.h"

int campaign_pick(const struct co_candidate *c, int n, bool by_ext, int64_t at)
{
	for (int i = 0; i < n; i++)
		if (at >= c[i].promote_from && at <= c[i].promote_to)
			return i;
	return by_ext && n > 0 ? 0 : -1;
}

/* union_fixture.c — the configuration the gateway unit tests share
 * (union_fixture.h). */
#include "union_fixture.h"

#include <stdio.h>
#include <string.h>

void union_fixture_conf(struct sync_conf *c)
{
	static const char *const keys[SYNC_UNIONS] = {"jk", "tk", "pk"};
	memset(c, 0, sizeof(*c));
	for (int u = 0; u < SYNC_UNIONS; u++) {
		struct sync_union_conf *uc = &c->u[u];
		snprintf(uc->app_key, sizeof(uc->app_key), "%s", keys[u]);
		snprintf(uc->app_secret, sizeof(uc->app_secret), "s3cr3t");
		snprintf(uc->url, sizeof(uc->url), "http://127.0.0.1:1/x");
		uc->product_page_size = 50;
		uc->product_pages = 3;
		uc->product_pull_s = SYNC_PRODUCT_PULL_S_DEFAULT;
	}
	snprintf(c->u[SYNC_JD].union_id, SYNC_ID_MAX, "1001");
	snprintf(c->u[SYNC_JD].position_key, SYNC_CRED_MAX, "k3y");
	snprintf(c->u[SYNC_TAOBAO].pid, SYNC_ID_MAX, "mm_11_22_33");
	snprintf(c->u[SYNC_TAOBAO].channel_invite, SYNC_ID_MAX, "CHAN01");
	snprintf(c->u[SYNC_TAOBAO].member_invite, SYNC_ID_MAX, "MEMB01");
	snprintf(c->u[SYNC_PDD].pid, SYNC_ID_MAX, "1001_2002");
	c->retries = 1;
}

/* union_fixture.h — what the unit tests of calls to the unions' gateways
 * (conversion, tag registration, product feeds) share: one configuration
 * with every union's credentials and ids, reaching no network.
 *
 * Linked into every unit test: CMakeLists.txt builds each file of tests
 * named *_fixture.c into a support library, never registered as a test. */
#ifndef TK_TEST_UNION_FIXTURE_H
#define TK_TEST_UNION_FIXTURE_H

#include "feeds/sync_config.h"

/* Fills c: app keys "jk", "tk", "pk" with the secret "s3cr3t" (the
 * signature vectors are computed with these), URLs to a closed local port,
 * one attempt per call; JD unionId 1001 and position key "k3y", Taobao PID
 * mm_11_22_33 and invite codes CHAN01 / MEMB01, Pinduoduo pid 1001_2002;
 * product pulls of 3 pages of 50.  A test clears what it wants missing. */
void union_fixture_conf(struct sync_conf *c);

#endif

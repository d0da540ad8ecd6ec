// A plan's level names by locale (levels[].names) as the pages say them:
// the console's plan and member pages and the promoter's team page show the
// name in the reader's language, never "Partner (partner)".  The test sets
// a plan with names of its own, then sets the plan it found back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot } from './lib.mjs';

let browser;
let original; // the plan document found, set back at the end

before(async () => {
  browser = await launch();
  const plan = await api('/plan');
  assert.equal(plan.status, 200);
  original = structuredClone(plan.body);
  delete original.version;
  delete original.max_payout_bps;
});

after(async () => {
  if (original) assert.equal((await api('/plan', { method: 'PUT', body: original })).status, 200, 'the plan found is set back');
  await browser?.close();
});

// Names no page has words of its own for: only the plan can have said them.
const zhName = (k) => `${k}级·星`;
const enName = (k) => `Star ${k}`;

async function fresh(locale, width) {
  const p = await newPage(browser, { width, height: 900, locale });
  await p.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
  p.setDefaultTimeout(15000);
  return p;
}

test('level names by locale: console plan and member pages, promoter team page, zh-CN and en', async () => {
  const doc = structuredClone(original);
  for (const l of doc.levels) l.names = { 'zh-CN': zhName(l.key), en: enName(l.key) };
  const set = await api('/plan', { method: 'PUT', body: doc });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body.levels.map((l) => l.names), doc.levels.map((l) => l.names), 'the names are kept');
  // a locale the pages do not speak is refused, with its key and field
  const bad = structuredClone(doc);
  bad.levels[0].names = { fr: 'Membre' };
  const refused = await api('/plan', { method: 'PUT', body: bad });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.key, 'plan.name_locale');
  assert.equal(refused.body.error.field, 'levels[0].names.fr');

  const keys = doc.levels.map((l) => l.key);
  const promoter = (await api(`/members/${env.promoter}`)).body;
  for (const [locale, name] of [
    ['zh-CN', zhName],
    ['en', enName],
  ]) {
    // console: the plan's level table and a member's page
    const c = await fresh(locale, 1440);
    await c.goto(`${env.url}/`);
    await c.getByTestId('login-key').fill(env.key);
    await c.getByTestId('login-submit').click();
    await c.locator('[data-testid="kpis"]').waitFor();
    await c.goto(`${env.url}/#/plans`);
    await c.locator('[data-testid="level-name"]').first().waitFor();
    assert.deepEqual(await c.locator('[data-testid="level-name"]').allInnerTexts(), keys.map(name));
    await shot(c, `level-names-console-plan-${locale}`);
    await c.goto(`${env.url}/#/members/${encodeURIComponent(env.promoter)}`);
    await c.getByTestId('member-profile').waitFor();
    await c.waitForFunction((n) => document.body.innerText.includes(n), name(promoter.level));
    const body = await c.locator('body').innerText();
    for (const k of keys) assert.ok(!body.includes(`(${k})`), `level ${k} said by its name, not "Name (${k})"`);
    await shot(c, `level-names-console-member-${locale}`);
    await c.context().close();

    // promoter: the team's count per level
    const p = await fresh(locale, 360);
    await p.goto(`${env.url}/m/#/team`);
    await p.fill('[data-testid="login-member"]', env.promoter);
    await p.fill('[data-testid="login-password"]', env.promoterPassword);
    await p.click('[data-testid="login-submit"]');
    await p.goto(`${env.url}/m/#/team`);
    await p.waitForFunction(() => document.querySelectorAll('.p-table tbody th').length > 0);
    const shown = await p.locator('.p-table tbody th').allInnerTexts();
    assert.ok(shown.length > 0 && shown.every((s) => keys.map(name).includes(s)), `team levels ${JSON.stringify(shown)}`);
    await shot(p, `level-names-promoter-team-${locale}`);
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
});

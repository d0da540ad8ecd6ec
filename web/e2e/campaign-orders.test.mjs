// 活动订单 / Campaign orders in the console, against a demo server
// (demo-server.sh) into which a campaign and the PDD campaign fixture are
// loaded first (tuike orders import: two rows of other duoduoke under the
// head's zs_duo_id, one of his own): the rows and totals are the API's,
// the head filter goes into the address, and the page fits and speaks one
// language, in zh-CN and en at 1440 and 360 px (screenshots in
// e2e-artifacts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const TIMEOUT = 15_000;
const SIZES = [
  ['zh-CN', 1440, 900],
  ['en', 1440, 900],
  ['zh-CN', 360, 780],
  ['en', 360, 780],
];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let browser;
let operator;

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

before(async () => {
  const db = process.env.TUIKE_DB;
  assert.ok(db, 'TUIKE_DB names the demo database');
  // the registry's tables as its pages would fill them (part of the same feature)
  execFileSync('sqlite3', [
    db,
    `INSERT INTO merchants(name, created_at, updated_at) VALUES ('演示商家', 1, 1);
     INSERT INTO campaigns(merchant, union_, ext_id, name, status, promote_from, promote_to, created_at, updated_at)
       VALUES ((SELECT max(id) FROM merchants), 'pdd', '77000', '演示招商', 'approved', 1793462400, 1796054399, 1, 1);
     INSERT INTO campaign_items(campaign, product, commission_pm, service_pm, status, created_at, updated_at)
       VALUES ((SELECT max(id) FROM campaigns), '4001', 200, 60, 'approved', 1, 1);
     INSERT INTO promo_channels(name, kind, created_at, updated_at) VALUES ('演示团队', 'team', 1, 1);
     INSERT OR IGNORE INTO promo_channel_ids(channel, union_, kind, value) VALUES ((SELECT max(id) FROM promo_channels), 'pdd', 'duoid', '12345');`,
  ]);
  execFileSync(process.env.TUIKE ?? join(root, 'build', 'tuike'), ['orders', 'import', join(root, 'tests/fixtures/pdd/campaign.json'), '--format', 'pdd', '--db', db], { stdio: 'ignore' });
  browser = await launch();
  operator = await ok('/auth/operator-session', { method: 'POST' });
});

after(async () => {
  await browser?.close();
});

async function consolePage(locale, width, height) {
  const p = await newPage(browser, { width, height, locale });
  p.setDefaultTimeout(TIMEOUT);
  const cred = { kind: 'operator', token: operator.token, expires: operator.expires_at, role: operator.role, key: operator.key };
  await p.addInitScript(
    ([c, l]) => {
      localStorage.setItem('tuike.credential.console', c);
      localStorage.setItem('tuike.lang', l);
    },
    [JSON.stringify(cred), locale.startsWith('zh') ? 'zh' : 'en'],
  );
  return p;
}

const listReady = (p) => p.locator('[data-testid="co-list"][data-ready="true"]').waitFor();
const rowKeys = (p) => p.locator('[data-testid="co-table"] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')));
const keysOf = (orders) => orders.map((o) => `${o.union}/${o.item}`);
const noErrors = (p) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);

test("console: the campaign orders and their totals are the API's; the kind filter goes into the address", async () => {
  const p = await consolePage('zh-CN', 1440, 900);
  await p.goto(`${env.url}/#/campaign-orders`);
  await listReady(p);
  const all = await ok('/campaign-orders?limit=50');
  assert.ok(all.orders.length >= 3, 'the fixture rows are listed');
  assert.deepEqual(await rowKeys(p), keysOf(all.orders));
  const tot = await ok('/campaign-orders/totals');
  await p.getByTestId('co-total-orders').waitFor();
  assert.equal(await p.getByTestId('co-total-estimated').innerText(), yuan(tot.fee_estimated));
  assert.equal(await p.getByTestId('co-total-gmv').innerText(), yuan(tot.gmv));
  // PS-1: 100.00 x 60 per mille, estimated
  const ps1 = p.locator('tr[data-item="pdd/PS-1#head"]');
  assert.equal(await ps1.getByTestId('co-fee').innerText(), yuan(600));
  assert.equal(await ps1.getByTestId('co-bucket').getAttribute('data-bucket'), 'estimated');

  await p.getByTestId('co-filter-head').selectOption('true');
  await p.getByTestId('co-apply').click();
  await p.waitForURL(/head=true/);
  await listReady(p);
  const heads = await ok('/campaign-orders?limit=50&head=true');
  assert.deepEqual(await rowKeys(p), keysOf(heads.orders));
  assert.ok(!(await rowKeys(p)).includes('pdd/PS-2'), "the head's own sale is not a service fee row");
  noErrors(p);
  await p.close();
});

test('console: the campaign orders page at every size, one language each', async () => {
  for (const [locale, width, height] of SIZES) {
    const p = await consolePage(locale, width, height);
    await p.goto(`${env.url}/#/campaign-orders`);
    await listReady(p);
    await p.getByTestId('co-total-orders').waitFor();
    const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 1, `${locale} ${width}: the page is ${over}px wider than the window`);
    const text = await p.locator('main').innerText();
    if (locale === 'zh-CN') {
      // item keys and product ids are the unions' own: taken out first
      const rest = text.replace(/[A-Za-z0-9_-]+#head|PS-\d+/g, '');
      assert.equal(rest.match(/[A-Za-z]{3,}/g), null, `English in the zh-CN page: ${rest.match(/[A-Za-z]{3,}/g)}`);
      assert.ok(text.includes('活动订单'));
    } else {
      assert.ok(text.includes('Campaign orders'));
    }
    await shot(p, `campaign-orders-${locale}-${width}`);
    noErrors(p);
    await p.close();
  }
});

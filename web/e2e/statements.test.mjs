// 对账单 / Statements in the console, in zh-CN and en, at 1440 and 360 px,
// against a demo server (demo-server.sh): a merchant of its own with a
// campaign, three campaign orders (items of the demo database) and a slot
// fee in a month nobody else uses; the month's list with its state chip,
// the statement's lines, totals and slot fees as the API gives them, both
// downloads (the CSV with its BOM and the figures in fen, the XLSX a zip
// named statement-<merchant>-<YYYYMM>.xlsx); then the moves through the
// page's own dialogs: send, a late order and the "changed since sent"
// warning, reopen with a reason, send, confirm, invoice with its number;
// a viewer's page with the moves disabled.
// No English word in the zh-CN pages, nothing wider than the viewport.
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/statements.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const MONTH = 203001; // a month of its own: nothing else in the demo lands there
let browser;
let merchant;
let statement;
const db = process.env.TUIKE_DB;

// SQL on the demo database (SQLite, beside the running server): the
// registry's rows, which another part of the console makes.
function sql(text) {
  return execFileSync('sqlite3', [db, text], { encoding: 'utf8' }).trim();
}

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// A campaign order for a demo item not yet one (paid or settled).
function campaignOrder(campaign, campaignItem, channel, fee) {
  const item = sql('SELECT id FROM items WHERE status IN (1, 3) AND id NOT IN (SELECT item FROM campaign_orders) ORDER BY id LIMIT 1');
  sql(
    `INSERT INTO campaign_orders(item, union_, head, campaign, campaign_item, channel, channel_ref, fee_source, service_pm, fee, fee_bucket, month, updated_at) ` +
      `SELECT id, union_, 1, ${campaign}, ${campaignItem}, ${channel}, 'e2e', 'rate', 0, ${fee}, 1, ${MONTH}, 1 FROM items WHERE id = ${item}`,
  );
}

before(async () => {
  assert.ok(db, 'TUIKE_DB is set (demo-server.sh writes it)');
  browser = await launch();
  const now = Math.floor(Date.now() / 1000);
  merchant = Number(sql(`INSERT INTO merchants(name, created_at, updated_at) VALUES ('测试商贸', ${now}, ${now}); SELECT last_insert_rowid();`));
  const channel = Number(sql(`INSERT INTO promo_channels(name, kind, created_at, updated_at) VALUES ('测试达人', 'talent', ${now}, ${now}); SELECT last_insert_rowid();`));
  const campaign = Number(
    sql(
      `INSERT INTO campaigns(merchant, union_, name, status, promote_from, promote_to, created_at, updated_at) VALUES (${merchant}, 'jd', '测试活动', 'approved', ${now}, ${now}, ${now}, ${now}); SELECT last_insert_rowid();`,
    ),
  );
  const ci = Number(
    sql(
      `INSERT INTO campaign_items(campaign, product, title, commission_pm, service_pm, created_at, updated_at) VALUES (${campaign}, '900001', '保温杯', 200, 50, ${now}, ${now}); SELECT last_insert_rowid();`,
    ),
  );
  for (const fee of [120, 340, 560]) campaignOrder(campaign, ci, channel, fee);
  // booked on 2030-01-05 at Beijing time
  sql(`INSERT INTO slot_fees(campaign, channel, amount, state, booked_at) VALUES (${campaign}, ${channel}, 88800, 'booked', ${Date.UTC(2030, 0, 5) / 1000})`);
  const made = await ok('/statements', { method: 'POST', body: { month: String(MONTH), merchant } });
  assert.equal(made.created.length, 1);
  statement = made.created[0];
  globalThis.campaignOrderArgs = [campaign, ci, channel];
});

after(async () => {
  await browser?.close();
});

async function open(locale, width, key = env.key) {
  const p = await newPage(browser, { width, height: 900, locale });
  p.setDefaultTimeout(15_000);
  p.native = [];
  p.on('dialog', (d) => {
    p.native.push(d.message());
    void d.dismiss();
  });
  await p.goto(`${env.url}/`);
  await p.getByTestId('login-key').fill(key);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-statements').waitFor();
  if (locale === 'en') await p.getByTestId('lang-en').click();
  return p;
}

const clean = (p) => {
  assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);
  assert.deepEqual(p.native, [], 'no native dialog');
};

async function fits(p, width, what) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `${what}: the page is ${w}px wide at ${width}px`);
}

// No English word (4+ letters) in the page's own words: the main area's
// text without the data it shows (product ids are digits here).
async function noEnglish(p, what) {
  const text = await p.locator('main').innerText();
  assert.equal(text.match(/[A-Za-z]{4,}/g), null, `${what}: English in the zh-CN page`);
}

for (const locale of ['zh-CN', 'en'])
  for (const width of [1440, 360])
    test(`statements: the list, a statement and both downloads (${locale}, ${width}px)`, async () => {
      const doc = await ok(`/statements/${statement}`);
      const p = await open(locale, width);
      await p.goto(`${env.url}/#/statements?month=2030-01`);
      await p.locator('[data-testid="stmt-list"][data-ready="true"]').waitFor();
      const rowEl = p.locator(`tr[data-id="${statement}"]`);
      assert.equal(await rowEl.getAttribute('data-state'), doc.state);
      assert.equal((await rowEl.getByTestId('stmt-state').innerText()).trim(), locale === 'en' ? doc.state : { draft: '草稿', sent: '已发送', confirmed: '已确认', invoiced: '已开票' }[doc.state]);
      if (locale === 'zh-CN') await noEnglish(p, 'the list');
      await fits(p, width, 'the list');
      await shot(p, `statements-list-${locale}-${width}`);

      await rowEl.getByTestId('stmt-open').click();
      await p.locator('main[data-ready="true"]').waitFor();
      assert.equal(await p.getByTestId('stmt-line').count(), doc.lines.length);
      assert.equal((await p.getByTestId('stmt-total-gmv').innerText()).trim(), yuan(doc.totals.gmv));
      assert.equal((await p.getByTestId('stmt-total-fee').innerText()).trim(), yuan(doc.totals.service_fee));
      assert.equal((await p.getByTestId('stmt-total-orders').innerText()).trim(), String(doc.totals.orders));
      assert.equal((await p.getByTestId('stmt-slot-amount').innerText()).trim(), yuan(88800));
      if (locale === 'zh-CN') await noEnglish(p, 'the statement');
      await fits(p, width, 'the statement');
      await shot(p, `statement-${locale}-${width}`);

      const [csv] = await Promise.all([p.waitForEvent('download'), p.getByTestId('stmt-csv').click()]);
      assert.equal(csv.suggestedFilename(), `statement-${merchant}-${MONTH}.csv`);
      const bytes = await readFile(await csv.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a BOM');
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      assert.equal(lines[0].split(',')[0], locale === 'en' ? 'kind' : '类型');
      const total = lines.find((l) => l.startsWith(locale === 'en' ? 'total,' : '合计,')).split(',');
      assert.equal(total[9], String(doc.totals.gmv), 'the GMV in fen');
      const [xlsx] = await Promise.all([p.waitForEvent('download'), p.getByTestId('stmt-xlsx').click()]);
      assert.equal(xlsx.suggestedFilename(), `statement-${merchant}-${MONTH}.xlsx`);
      const book = await readFile(await xlsx.path());
      assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip');
      clean(p);
      await p.context().close();
    });

test('statements: a viewer reads and downloads but may not move one', async () => {
  const p = await open('zh-CN', 1440, env.viewerKey);
  await p.goto(`${env.url}/#/statements/${statement}`);
  await p.locator('main[data-ready="true"]').waitFor();
  assert.equal(await p.getByTestId('stmt-send').isDisabled(), true, 'send is disabled');
  assert.equal(await p.getByTestId('stmt-send').getAttribute('data-role-denied'), 'statements');
  assert.equal(await p.getByTestId('stmt-csv').isDisabled(), false, 'the CSV is a read');
  await p.goto(`${env.url}/#/statements?month=2030-01`);
  await p.locator('[data-testid="stmt-list"][data-ready="true"]').waitFor();
  assert.equal(await p.getByTestId('stmt-generate').isDisabled(), true, 'generating is disabled');
  clean(p);
  await p.context().close();
});

test('statements: send, a late order, reopen with a reason, confirm, invoice', async () => {
  const p = await open('zh-CN', 1440);
  const show = async () => {
    await p.goto(`${env.url}/#/statements/${statement}`);
    await p.reload();
    await p.locator('main[data-ready="true"]').waitFor();
  };
  await show();
  await p.getByTestId('stmt-send').click();
  await p.getByTestId('dialog-confirm').click();
  await p.locator('[data-testid="stmt-confirm"]').waitFor();
  assert.equal((await ok(`/statements/${statement}`)).state, 'sent');
  assert.equal(await p.getByTestId('stmt-changed').count(), 0);

  // an order lands in the month after sending: the figures as sent stay
  const sent = (await ok(`/statements/${statement}`)).totals;
  campaignOrder(...globalThis.campaignOrderArgs, 700);
  await show();
  await p.getByTestId('stmt-changed').waitFor();
  assert.equal((await p.getByTestId('stmt-total-gmv').innerText()).trim(), yuan(sent.gmv));
  const changes = await p.locator('[data-testid="stmt-changes"] tbody tr').count();
  assert.equal(changes, (await ok(`/statements/${statement}`)).changes.length);
  await shot(p, 'statement-changed-zh-CN');

  // reopen: an empty reason is refused in the dialog, then a reason
  await p.getByTestId('stmt-reopen').click();
  await p.getByTestId('dialog-confirm').click();
  await p.getByTestId('dialog-error').waitFor();
  await p.getByTestId('dialog-reason').fill('补录一笔订单');
  await p.getByTestId('dialog-confirm').click();
  await p.getByTestId('stmt-send').waitFor();
  const reopened = await ok(`/statements/${statement}`);
  assert.equal(reopened.state, 'draft');
  assert.equal(reopened.reason, '补录一笔订单');
  assert.equal((await p.getByTestId('stmt-reason').innerText()).trim(), '补录一笔订单');
  assert.equal(reopened.totals.orders, sent.orders + 1);

  await p.getByTestId('stmt-send').click();
  await p.getByTestId('dialog-confirm').click();
  await p.getByTestId('stmt-confirm').click();
  await p.getByTestId('dialog-confirm').click();
  await p.getByTestId('stmt-invoice').click();
  await p.getByTestId('dialog-reason').fill('FP-2030-0001');
  await p.getByTestId('dialog-confirm').click();
  await p.locator('[data-testid="stmt-invoice-no"]', { hasText: 'FP-2030-0001' }).waitFor();
  const done = await ok(`/statements/${statement}`);
  assert.equal(done.state, 'invoiced');
  assert.equal(done.invoice, 'FP-2030-0001');
  assert.equal(await p.getByTestId('stmt-moves').locator('button').count(), 2, 'only the downloads are left');
  await noEnglish(p, 'the invoiced statement');
  await shot(p, 'statement-invoiced-zh-CN');
  clean(p);
  await p.context().close();
});

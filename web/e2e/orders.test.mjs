// The orders list in the console and 我的订单 on the promoter page, against a
// demo server (demo-server.sh): the rows, their order, pages, filters, the
// CSV and the period figures are checked against what the API answers, in
// zh-CN and en at 1440 and 360 px wide (screenshots in e2e-artifacts).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const TIMEOUT = 15_000;
const SIZES = [
  ['zh-CN', 1440, 900],
  ['en', 1440, 900],
  ['zh-CN', 360, 780],
  ['en', 360, 780],
];
let browser;
let operator; // an operator session token (the console's credential)
let member; // the promoter's session token

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

before(async () => {
  browser = await launch();
  operator = await ok('/auth/operator-session', { method: 'POST' });
  member = await ok('/auth/login', { method: 'POST', body: { member: env.promoter, password: env.promoterPassword } });
});

after(async () => {
  await browser?.close();
});

// A page already logged in (the credential the app keeps, put in first).
async function consolePage(locale, width, height) {
  const p = await newPage(browser, { width, height, locale });
  p.setDefaultTimeout(TIMEOUT);
  const cred = { kind: 'operator', token: operator.token, expires: operator.expires_at, role: operator.role, key: operator.key };
  await p.addInitScript(([c, l]) => {
    localStorage.setItem('tuike.credential.console', c);
    localStorage.setItem('tuike.lang', l);
  }, [JSON.stringify(cred), locale.startsWith('zh') ? 'zh' : 'en']);
  return p;
}

async function promoterPage(locale, width, height) {
  const p = await newPage(browser, { width, height, locale });
  p.setDefaultTimeout(TIMEOUT);
  await p.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
  const cred = { kind: 'member', token: member.token, member: member.member, expires: member.expires_at };
  await p.addInitScript(([c, l]) => {
    localStorage.setItem('tuike.credential.promoter', c);
    localStorage.setItem('tuike.lang', l);
  }, [JSON.stringify(cred), locale.startsWith('zh') ? 'zh' : 'en']);
  return p;
}

const listReady = (p) => p.locator('[data-testid="ol-list"][data-ready="true"]').waitFor();
const rowKeys = (p) => p.locator('[data-testid="ol-row"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')));
const keysOf = (items) => items.map((i) => `${i.union}/${i.item}`);
const noErrors = (p) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);

// The page is no wider than the window: a wide table scrolls in its own box.
async function fits(p) {
  const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 1, `the page is ${over}px wider than the window`);
}

test('console: the orders list is the API\'s, page after page, sorted and filtered; the CSV holds the same filters; a row opens its split', async () => {
  const p = await consolePage('zh-CN', 1440, 900);
  await p.goto(`${env.url}/#/orders`);
  await listReady(p);
  const first = await ok('/order-items?limit=50');
  assert.ok(first.items.length > 0, 'the demo has order items');
  assert.deepEqual(await rowKeys(p), keysOf(first.items), 'the first page, newest paid first');
  const r0 = p.locator('[data-testid="ol-row"]').first();
  assert.equal(await r0.getByTestId('ol-amount').innerText(), yuan(first.items[0].amount));
  assert.equal(await r0.getByTestId('ol-share').innerText(), yuan(first.items[0].share));
  assert.equal(await r0.getByTestId('ol-kind').innerText(), first.items[0].commission_kind === 'actual' ? '实际' : '预估');

  // the next page follows on: the API's second page, nothing twice
  assert.ok(first.next, 'the demo has more than one page');
  const second = await ok(`/order-items?limit=50&before=${encodeURIComponent(first.next)}`);
  await p.getByTestId('ol-more').click();
  await p.locator('[data-testid="ol-row"]').nth(first.items.length + second.items.length - 1).waitFor();
  const two = await rowKeys(p);
  assert.deepEqual(two, [...keysOf(first.items), ...keysOf(second.items)]);
  assert.equal(new Set(two).size, two.length, 'no item shown twice');

  // sort by commission: largest first, then smallest first
  await p.getByTestId('ol-sort-commission').click();
  await p.waitForURL(/sort=commission&dir=desc/);
  await listReady(p);
  const byCommission = await ok('/order-items?limit=50&sort=commission&dir=desc');
  assert.deepEqual(await rowKeys(p), keysOf(byCommission.items));
  assert.equal(await p.locator('th:has([data-testid="ol-sort-commission"])').getAttribute('aria-sort'), 'descending');
  await p.getByTestId('ol-sort-commission').click();
  await p.waitForURL(/sort=commission&dir=asc/);
  await listReady(p);
  assert.deepEqual(await rowKeys(p), keysOf((await ok('/order-items?limit=50&sort=commission&dir=asc')).items));

  // filters: one union, two statuses, one sharer
  const sample = first.items.find((i) => i.member) ?? first.items[0];
  await p.getByTestId('ol-filter-union').selectOption(sample.union);
  await p.getByTestId('ol-status-paid').check();
  await p.getByTestId('ol-status-settled').check();
  if (sample.member) await p.getByTestId('ol-filter-member').fill(sample.member);
  await p.getByTestId('ol-apply').click();
  await p.waitForURL(/status=paid%2Csettled|status=paid,settled/);
  await listReady(p);
  const filter = `union=${sample.union}&status=paid,settled${sample.member ? `&member=${encodeURIComponent(sample.member)}` : ''}&sort=commission&dir=asc`;
  const filtered = await ok(`/order-items?limit=50&${filter}`);
  assert.deepEqual(await rowKeys(p), keysOf(filtered.items));

  // the export: the server's CSV of these filters, every page of them
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('ol-export').click()]);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const res = await fetch(`${env.url}/api/v1/order-items?format=csv&${filter}`, { headers: { Authorization: `Bearer ${env.key}` } });
  assert.equal(csv, await res.text(), 'the file is the server\'s export of the filters shown');
  assert.match(csv.split('\n')[0], /^union,order,item,title,paid_at,status,amount_fen,commission_fen/);

  await p.evaluate(() => window.scrollTo(0, 0));
  await shot(p, 'console-orders-list-zh-1440');

  // a row opens the item's explanation (the split, as before)
  const target = filtered.items[0];
  await p.locator(`[data-testid="ol-row"][data-item="${target.union}/${target.item}"] .ol-title`).click();
  await p.getByTestId('item-splits-card').waitFor();
  assert.ok(p.url().endsWith(`#/orders/${target.union}/${encodeURIComponent(target.item)}`), p.url());
  noErrors(p);
  await p.context().close();
});

test('console: the order box tells an order number, an item id and a product link apart', async () => {
  const p = await consolePage('en', 1440, 900);
  const it = (await ok('/order-items?limit=20&union=jd')).items.find((i) => i.product && i.order !== i.item);
  assert.ok(it, 'a JD item with a product and an order number of its own');
  const look = async (text) => {
    await p.goto(`${env.url}/#/orders`);
    await p.getByTestId('order-no').fill(text);
    await p.getByTestId('order-search').click();
    const found = p.getByTestId('lookup-found');
    await found.waitFor();
    return { kind: await found.getAttribute('data-kind'), text: await found.innerText() };
  };
  let f = await look(it.order);
  assert.equal(f.kind, 'order');
  assert.match(f.text, /order number/);
  await p.locator(`[data-testid="order-results"] tr[data-item="${it.union}/${it.item}"]`).waitFor();
  f = await look(it.item);
  assert.equal(f.kind, 'item');
  assert.match(f.text, /item id/);
  f = await look(`看看这个 https://item.jd.com/${it.product}.html?spm=share 好物`);
  assert.equal(f.kind, 'product');
  assert.match(f.text, new RegExp(it.product));
  await p.getByTestId('lookup-list-product').click();
  await listReady(p);
  const ofProduct = await ok(`/order-items?limit=50&product=jd:${encodeURIComponent(it.product)}`);
  assert.deepEqual(await rowKeys(p), keysOf(ofProduct.items), 'the list shows the product\'s items');
  f = await look('no-such-order-e2e');
  assert.equal(f.kind, 'none');
  f = await look('https://example.com/x');
  assert.equal(f.kind, 'url');
  noErrors(p);
  await p.context().close();
});

test('console: the orders page in both languages at 1440 and 360 px', async () => {
  for (const [locale, width, height] of SIZES) {
    const p = await consolePage(locale, width, height);
    await p.goto(`${env.url}/#/orders`);
    await listReady(p);
    const h2 = await p.locator('[data-testid="order-list"] h2').innerText();
    assert.equal(h2, locale === 'en' ? 'Order items' : '订单明细');
    assert.equal(await p.getByTestId('ol-export').innerText(), locale === 'en' ? 'Export CSV' : '导出 CSV');
    if (width < 500) await fits(p);
    await shot(p, `console-orders-${locale === 'en' ? 'en' : 'zh'}-${width}`);
    noErrors(p);
    await p.context().close();
  }
});

// As the promoter page words statuses.
const STATUS = {
  zh: { unpaid: '待付款', paid: '已付款，待收货', received: '已收货，待结算', settled: '已结算', invalid: '已失效（退款或取消）' },
  en: { unpaid: 'Not paid yet', paid: 'Paid, not yet received', received: 'Received, awaiting settlement', settled: 'Settled', invalid: 'Invalid (refunded or cancelled)' },
};

function beijingDay(offset = 0) {
  return new Date(Date.now() + 8 * 3600_000 - offset * 86400_000).toISOString().slice(0, 10);
}

test('promoter: 我的订单 lists the items that pay the member, its own share, the period figures, pages', async () => {
  const p = await promoterPage('zh-CN', 390, 844);
  // from the earnings screen
  await p.goto(`${env.url}/m/#/earnings`);
  await p.getByTestId('go-my-orders').click();
  await p.locator('[data-testid="myorders"] [data-testid="myorder"]').first().waitFor();
  const mine = await api('/order-items?limit=20', { token: member.token });
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.length > 0, 'the promoter has orders');
  const rows = p.locator('[data-testid="myorder"]');
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item'))), keysOf(mine.body.items));
  for (let i = 0; i < Math.min(5, mine.body.items.length); i++) {
    const it = mine.body.items[i];
    assert.equal(await rows.nth(i).getByTestId('myorder-share').innerText(), yuan(it.share));
    assert.equal(await rows.nth(i).getByTestId('myorder-status').innerText(), STATUS.zh[it.status]);
    assert.equal(await rows.nth(i).getByTestId('myorder-title').innerText(), it.title || it.product);
  }
  // its own share only: the operator's view of the same item splits it
  const op = await ok(`/orders/${mine.body.items[0].union}/${encodeURIComponent(mine.body.items[0].item)}`);
  const line = op.splits.find((s) => s.member === env.promoter);
  assert.ok(line, 'the promoter is in the split of every item listed');
  assert.equal(line.amount, mine.body.items[0].share);

  // the strip: each period's count and estimated income, as the API sums them
  const ranges = { today: [beijingDay(), beijingDay()], yesterday: [beijingDay(1), beijingDay(1)] };
  for (const [period, [from, to]] of Object.entries(ranges)) {
    const s = (await api(`/order-items/totals?from=${from}&to=${to}&status=paid,received,settled`, { token: member.token })).body;
    await p.locator(`[data-testid="period-${period}-share"]`).waitFor();
    assert.equal(await p.getByTestId(`period-${period}-orders`).innerText(), `${new Intl.NumberFormat('zh-CN').format(s.items)} 单`);
    assert.equal(await p.getByTestId(`period-${period}-share`).innerText(), `预估收益 ${yuan(s.share)}`);
  }
  // a period picks the days listed; again, all of them
  await p.getByTestId('period-today').click();
  await p.waitForSelector('[data-testid="period-today"][aria-pressed="true"]');
  const today = (await api(`/order-items?limit=20&from=${beijingDay()}&to=${beijingDay()}`, { token: member.token })).body;
  if (today.items.length) {
    await p.locator('[data-testid="myorder"]').first().waitFor();
    assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item'))), keysOf(today.items));
  } else await p.locator('.state.empty').waitFor();
  await p.getByTestId('period-today').click();
  await p.waitForSelector('[data-testid="period-today"][aria-pressed="false"]');
  await rows.first().waitFor();
  if (mine.body.next) {
    await p.getByTestId('myorders-more').click();
    await rows.nth(mine.body.items.length).waitFor();
    const all = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-item')));
    assert.equal(new Set(all).size, all.length, 'no order twice across pages');
  }
  noErrors(p);
  await p.context().close();
});

test('promoter: 我的订单 in both languages at 1440 and 360 px', async () => {
  for (const [locale, width, height] of SIZES) {
    const p = await promoterPage(locale, width, height);
    await p.goto(`${env.url}/m/#/my-orders`);
    await p.locator('[data-testid="myorder"]').first().waitFor();
    await p.locator('[data-testid="period-lastMonth-share"]').waitFor();
    assert.equal(await p.locator('h1.p-title').innerText(), locale === 'en' ? 'My orders' : '我的订单');
    const status = await p.locator('[data-testid="myorder"]').first().getAttribute('data-status');
    assert.equal(await p.getByTestId('myorder-status').first().innerText(), STATUS[locale === 'en' ? 'en' : 'zh'][status]);
    await fits(p);
    await shot(p, `promoter-my-orders-${locale === 'en' ? 'en' : 'zh'}-${width}`);
    noErrors(p);
    await p.context().close();
  }
});

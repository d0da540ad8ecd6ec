// The operator console, end to end, against a demo server (demo-server.sh):
// every figure the console shows is checked against what the API answers.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api, artifacts, env, launch, newPage, shot, yuan } from './lib.mjs';

const TIMEOUT = 15_000;
let browser;
let page;

// As the console formats them (zh-CN): counts with grouping, bps as percent.
const count = (n) => new Intl.NumberFormat('zh-CN').format(n);
function bps(v) {
  const whole = Math.trunc(v / 100);
  const frac = Math.abs(v % 100);
  return frac ? `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%` : `${whole}%`;
}
// fen -> "12.34" with integers only (what the payout CSV must hold).
function decimal(fen) {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
// RFC 4180 records (quoted cells, doubled quotes, CRLF) — the payout file read back.
function parseCsv(s) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && s[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}
// Today in Beijing (the browser runs in Asia/Shanghai), and n days before.
function beijingDay(offsetDays = 0) {
  const d = new Date(Date.now() + 8 * 3600_000 - offsetDays * 86400_000);
  return d.toISOString().slice(0, 10);
}

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// A screenshot from the top of the page (the header is sticky).
async function snap(p, name) {
  await p.evaluate(() => window.scrollTo(0, 0));
  await shot(p, name);
}

const text = (sel) => page.locator(sel).first().innerText();
// Every field has a label, every button a name, every table headers.
async function accessible(p = page) {
  const faults = await p.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea'))
      if (!el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push(`unlabelled ${el.tagName} ${el.id}`);
    for (const b of document.querySelectorAll('button'))
      if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push(`nameless button ${b.outerHTML.slice(0, 80)}`);
    for (const t of document.querySelectorAll('table')) if (!t.querySelector('thead th')) out.push('a table without headers');
    return out;
  });
  assert.deepEqual(faults, []);
}
const noErrors = (p = page) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);
// The console's own confirm dialog (ui.ts confirmDialog): a reason typed
// when it asks for one, then its confirm button; gone once answered.
async function confirmed(p = page, reason) {
  const d = p.getByTestId('dialog');
  await d.waitFor();
  if (reason !== undefined) await d.getByTestId('dialog-reason').fill(reason);
  await d.getByTestId('dialog-confirm').click();
  await d.waitFor({ state: 'detached' });
}

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', (d) => d.accept()); // the console confirms consequential actions
});

after(async () => {
  await browser?.close();
});

test('log in with the operator key; the dashboard shows the summary of the default range', async () => {
  await page.goto(`${env.url}/`);
  await page.getByTestId('login').waitFor();
  // a wrong key is refused in words
  await page.getByTestId('login-key').fill('tk_not_a_real_key_at_all_0000000000000');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').filter({ hasText: /\S/ }).waitFor();
  assert.equal(await page.getByTestId('kpis').count(), 0);

  await page.getByTestId('login-key').fill(env.key);
  await page.getByTestId('login-submit').click();
  const kpis = page.locator('[data-testid="kpis"][data-ready="true"]');
  await kpis.waitFor();
  assert.match(await page.getByTestId('who').innerText(), /\S/, 'the key name is shown');
  assert.equal(await page.getByTestId('who').getAttribute('data-role'), 'admin');
  // the key was traded for a session that expires: only the session is kept
  const kept = JSON.parse(await page.evaluate(() => localStorage.getItem('tuike.credential.console')));
  assert.match(kept.token, /^tko_/);
  assert.notEqual(kept.token, env.key);
  assert.equal(kept.role, 'admin');
  assert.ok(!JSON.stringify(await page.evaluate(() => ({ ...localStorage }))).includes(env.key), 'the key is nowhere in storage');

  // the default range is the last 30 days, today included
  const from = await kpis.getAttribute('data-from');
  const to = await kpis.getAttribute('data-to');
  assert.equal(to, beijingDay(0));
  assert.equal(from, beijingDay(29));

  const s = (await ok(`/reports/summary?from=${from}&to=${to}`)).totals;
  assert.ok(s.orders > 0, 'the demo has orders in the last 30 days');
  assert.equal(await text('[data-testid="kpi-gmv"]'), yuan(s.gmv));
  assert.equal(await text('[data-testid="kpi-commission"]'), yuan(s.commission));
  assert.equal(await text('[data-testid="kpi-members_share"]'), yuan(s.members_share));
  assert.equal(await text('[data-testid="kpi-platform_share"]'), yuan(s.platform_share));
  assert.equal(await text('[data-testid="kpi-orders"]'), count(s.orders));
  assert.equal(await text('[data-testid="kpi-clicks"]'), count(s.clicks));
  assert.equal(await text('[data-testid="kpi-new_members"]'), count(s.new_members));
  const { funnel: f, conversion } = await ok(`/reports/funnel?from=${from}&to=${to}`);
  await page.locator('[data-testid="kpi-conversion"]:not(:has(.skeleton))').waitFor();
  // the links' own conversion: link orders per unique click (dashboard.test.mjs)
  assert.equal(await text('[data-testid="kpi-conversion"]'), bps(conversion.link_order_per_unique_click_bps));
  assert.equal(await text('[data-testid="rate-settled"]'), bps(f.settled_per_order_bps));

  // the charts are drawn (canvas) and have a label and a table of their figures
  for (const c of ['chart-money', 'chart-counts', 'chart-funnel']) {
    const box = page.locator(`[data-testid="${c}"][data-drawn="true"]`);
    await box.waitFor();
    assert.equal(await box.locator('canvas').count() > 0, true, `${c} has a canvas`);
    assert.match((await box.locator('[role="img"]').getAttribute('aria-label')) ?? '', /\S/);
    assert.ok((await box.locator('details table tbody tr').count()) > 0, `${c} has a text alternative`);
  }
  const days = (await ok(`/reports/daily?from=${from}&to=${to}`)).days;
  assert.equal(await page.locator('[data-testid="chart-money"] details tbody tr').count(), days.length);

  // the top lists: the first product and promoter are the API's
  const topP = await ok(`/reports/top?by=products&metric=commission&limit=10&from=${from}&to=${to}`);
  const topM = await ok(`/reports/top?by=members&metric=commission&limit=10&from=${from}&to=${to}`);
  await page.locator('[data-testid="top-products"] tbody tr').first().waitFor();
  assert.equal(await page.locator('[data-testid="top-products"] tbody tr').first().getAttribute('data-key'), topP.items[0].key);
  assert.equal(await page.locator('[data-testid="top-members"] tbody tr').count(), topM.items.length);
  assert.equal(await page.locator('[data-testid="top-members"] tbody tr').first().getAttribute('data-key'), topM.items[0].key);
  // named, not only keyed: the product's title and the member's name
  for (const [box, item] of [['top-products', topP.items[0]], ['top-members', topM.items[0]]])
    if (item.label) assert.ok((await page.locator(`[data-testid="${box}"] tbody tr`).first().textContent()).includes(item.label));
  await accessible();
  await snap(page, 'console-dashboard');

  // another range: the last 7 days
  await page.getByTestId('preset-7').click();
  const k7 = page.locator(`[data-testid="kpis"][data-ready="true"][data-from="${beijingDay(6)}"]`);
  await k7.waitFor();
  const s7 = (await ok(`/reports/summary?from=${beijingDay(6)}&to=${beijingDay(0)}`)).totals;
  assert.equal(await text('[data-testid="kpi-gmv"]'), yuan(s7.gmv));
  assert.equal(await text('[data-testid="kpi-orders"]'), count(s7.orders));

  // the language switch draws the console again in English, and back
  await page.getByTestId('lang-en').click();
  assert.equal(await page.getByTestId('nav-dashboard').innerText(), 'Dashboard');
  await page.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
  await page.getByTestId('lang-zh').click();
  assert.equal(await page.getByTestId('nav-dashboard').innerText(), '数据看板');
  noErrors();
});

test('the dashboard paints at once; the timings are written to e2e-artifacts/timings.json', async () => {
  await page.goto(`${env.url}/#/`);
  await page.reload();
  await page.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
  await page.locator('[data-testid="chart-money"][data-drawn="true"]').waitFor();
  const t = await page.evaluate(() => {
    const paint = performance.getEntriesByType('paint');
    const fcp = paint.find((p) => p.name === 'first-contentful-paint');
    const fp = paint.find((p) => p.name === 'first-paint');
    const nav = performance.getEntriesByType('navigation')[0];
    const kpi = Number(document.querySelector('[data-testid="kpis"]')?.getAttribute('data-ready-ms'));
    const chart = performance.getEntriesByType('resource').find((r) => /\/assets\/charts-.*\.js$/.test(r.name));
    return {
      first_paint_ms: fp ? Math.round(fp.startTime) : null,
      first_contentful_paint_ms: fcp ? Math.round(fcp.startTime) : null,
      dom_content_loaded_ms: nav ? Math.round(nav.domContentLoadedEventEnd) : null,
      kpis_shown_ms: Number.isFinite(kpi) ? kpi : null,
      chart_code_loaded_ms: chart ? Math.round(chart.responseEnd) : null,
    };
  });
  const timings = { page: 'console dashboard', members: Number(process.env.TUIKE_MEMBERS ?? 2000), at: new Date().toISOString(), ...t };
  console.log('console timings:', JSON.stringify(timings));
  await writeFile(join(artifacts, 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
  assert.ok(t.first_contentful_paint_ms !== null, 'first-contentful-paint measured');
  assert.ok(t.kpis_shown_ms !== null, 'the KPI time measured');
  noErrors();
});

test('at 360 px wide every section fits the screen (tables scroll inside their box)', async () => {
  const narrow = await newPage(browser, { width: 360, height: 780 });
  narrow.setDefaultTimeout(TIMEOUT);
  // logged in as the console keeps it: an operator session, never the key
  const s = await ok('/auth/operator-session', { method: 'POST', body: {} });
  await narrow.context().addInitScript((cred) => {
    localStorage.setItem('tuike.credential.console', cred);
  }, JSON.stringify({ kind: 'operator', token: s.token, role: s.role, key: s.key, expires: s.expires_at }));
  const fits = async (what) => {
    const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${what}: the page is ${width}px wide at a 360px viewport`);
  };
  await narrow.goto(`${env.url}/#/`);
  await narrow.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
  await narrow.locator('[data-testid="chart-money"][data-drawn="true"]').waitFor();
  await narrow.locator('[data-testid="top-products"] table').waitFor();
  await fits('dashboard');
  await snap(narrow, 'console-dashboard-360');

  const views = [
    [`/members/${env.promoter}`, '[data-testid="team-tree"] li.node', 'console-member-360'],
    ['/plans', '[data-testid="simulator"]'],
    ['/withdrawals?status=all', '[data-testid="wd-list"][data-ready="true"]', 'console-withdrawals-360'],
    ['/products/top', '[data-testid="products-top"] li'],
    ['/groups', '[data-testid="groups"]', 'console-groups-360'],
  ];
  for (const [path, ready, name] of views) {
    await narrow.goto(`${env.url}/#${path}`);
    await narrow.locator(ready).first().waitFor();
    await fits(path);
    if (name) await snap(narrow, name);
  }
  noErrors(narrow);
  await narrow.context().close();
});

test('an order item: its splits shown are the API\'s', async () => {
  // an item with a split: from the ledger of the best-earning promoter
  const top = await ok('/reports/top?by=members&metric=commission&limit=5');
  let item = null;
  for (const m of top.items) {
    const ledger = await ok(`/members/${m.key}/ledger?limit=50`);
    for (const e of ledger.entries.filter((x) => x.item)) {
      const it = await ok(`/orders/${encodeURIComponent(e.item.union)}/${encodeURIComponent(e.item.item)}`);
      if (it.splits.length >= 2) {
        item = it;
        break;
      }
      item ??= it;
    }
    if (item?.splits.length >= 2) break;
  }
  assert.ok(item && item.order, 'found an order item with splits');

  // find it by its order number, then open it
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('order-no').fill(item.order);
  await page.getByTestId('order-search').click();
  const link = page.locator(`[data-testid="order-results"] tr[data-item="${item.union}/${item.item}"] a`).first();
  await link.click();
  await page.getByTestId('item-splits').waitFor();

  const lines = [...item.splits].sort((a, b) => a.tier - b.tier);
  const rows = page.locator('[data-testid="item-splits"] tbody tr[data-tier]');
  assert.equal(await rows.count(), lines.length);
  for (let i = 0; i < lines.length; i++) {
    const r = rows.nth(i);
    assert.equal(await r.getAttribute('data-member'), lines[i].member);
    assert.equal(await r.getAttribute('data-tier'), String(lines[i].tier));
    assert.equal(await r.locator('[data-testid="split-amount"]').innerText(), yuan(lines[i].amount));
    assert.match(await r.locator('.why').innerText(), /\S/, 'each line says why');
  }
  assert.equal(await text('[data-testid="item-platform"]'), yuan(item.platform_share));
  assert.equal(await text('[data-testid="item-commission"]'), yuan(item.commission));
  assert.equal(await page.getByTestId('item-plan-link').getAttribute('href'), `#/plans?version=${item.plan_version}`);
  if (Array.isArray(item.events))
    assert.equal(await page.locator('[data-testid="item-events"] > li').count(), item.events.length);
  const differential = lines.find((l) => l.role === 'differential');
  if (differential) {
    const i = lines.indexOf(differential);
    assert.match(await rows.nth(i).locator('.why').innerText(), /级差/);
  }
  await accessible();
  await snap(page, 'console-order-item');
  noErrors();
});

test('plans: simulate a split, a refused plan shows the server\'s reason, a valid one becomes a new version', async () => {
  const plan = await ok('/plan');
  const sharer = plan.levels.find((l) => l.can_share !== false) ?? plan.levels[0];
  const upline = [...plan.levels].sort((a, b) => b.rate_bps - a.rate_bps)[0];

  await page.getByTestId('nav-plans').click();
  await page.getByTestId('simulator').waitFor();
  assert.equal(await text('[data-testid="plan-active-version"]'), `当前生效：v${plan.version}`);
  assert.equal(await page.locator('[data-testid="plan-levels"] tbody tr').count(), plan.levels.length);
  assert.ok((await text('[data-testid="plan-max-payout"]')).startsWith(bps(plan.max_payout_bps)));

  // simulate: sharer + one upline, ¥123.45
  await page.getByTestId('sim-level-1').selectOption(sharer.key);
  await page.getByTestId('sim-add').click();
  await page.getByTestId('sim-level-2').selectOption(upline.key);
  await page.getByTestId('sim-commission').fill('123.45');
  await page.getByTestId('sim-run').click();
  await page.locator('[data-testid="sim-result"][data-ready]').waitFor();
  const sim = await ok('/plan/simulate', {
    method: 'POST',
    body: { commission: 12345, chain: [{ level: sharer.key }, { level: upline.key }], version: plan.version },
  });
  const shown = await page.locator('[data-testid="sim-amount"]').allInnerTexts();
  assert.deepEqual(shown, [...sim.lines].sort((a, b) => a.tier - b.tier).map((l) => yuan(l.amount)));
  assert.equal(await text('[data-testid="sim-platform"]'), yuan(sim.platform));
  await accessible();
  await snap(page, 'console-plans');

  // a refused plan, in the editor's JSON: the field named before saving, nothing to save
  await page.getByTestId('plan-mode-json').click();
  const doc = JSON.parse(await page.getByTestId('plan-json').inputValue());
  assert.equal(doc.version, undefined, 'the editor holds the plan without its version');
  assert.equal(doc.max_payout_bps, undefined);
  const bad = structuredClone(doc);
  bad.levels[0].rate_bps = 20000;
  const refusal = await api('/plan', { method: 'PUT', body: bad });
  assert.equal(refusal.status, 400);
  await page.getByTestId('plan-json').fill(JSON.stringify(bad, null, 2));
  await page.locator(`[data-testid="plan-error"] [data-issue-field="${refusal.body.error.field}"]`).waitFor();
  assert.equal(await page.getByTestId('plan-save').isDisabled(), true);
  assert.equal((await ok('/plan')).version, plan.version, 'nothing was saved');
  await snap(page, 'console-plan-refused');

  // a valid one: a new version, active
  const good = { ...doc, name: `e2e ${Date.now()}` };
  await page.getByTestId('plan-json').fill(JSON.stringify(good, null, 2));
  await page.getByTestId('plan-save').click();
  await page.getByTestId('plan-confirm-save').click();
  await page.getByTestId('plan-saved').waitFor();
  const now = await ok('/plan');
  assert.equal(now.version, plan.version + 1);
  assert.equal(now.name, good.name);
  await page.locator(`[data-testid="plan-active-version"]:has-text("v${now.version}")`).waitFor();
  noErrors();
});

test('withdrawals: approve one from the queue, then download the payout file', async () => {
  // a member with money to withdraw (not the promoter page's member)
  const plan = await ok('/plan');
  const amount = Math.max(plan.withdraw_min ?? 0, 100);
  const top = await ok('/reports/top?by=members&metric=commission&limit=30');
  let member = null;
  for (const m of top.items) {
    if (m.key === env.promoter || m.key === env.other) continue;
    const b = await ok(`/members/${m.key}/balance`);
    if (b.available >= amount) {
      member = m.key;
      break;
    }
  }
  assert.ok(member, 'a member with enough available money');
  // an account a spreadsheet would run as a formula
  const account = `=HYPERLINK("http://e2e-${Date.now()}.example.com")`;
  const w = await ok('/withdrawals', { method: 'POST', body: { member, amount, method: 'alipay', account, payee: '测试 收款人' } });
  assert.equal(w.status, 'requested');

  await page.goto(`${env.url}/#/withdrawals?status=requested`);
  await page.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  const row = page.locator(`[data-testid="wd-table"] tr[data-id="${w.id}"]`);
  await row.locator('[data-testid="wd-check"]').check();
  assert.match(await page.getByTestId('wd-selected').innerText(), new RegExp(yuan(w.net).replace(/[$.]/g, '\\$&')));
  await page.getByTestId('wd-approve').click();
  await confirmed();
  await page.locator(`[data-testid="wd-table"] tr[data-id="${w.id}"][data-status="approved"]`).waitFor();
  assert.match(await row.getByTestId('wd-result').innerText(), /已批准/);
  assert.equal((await ok(`/withdrawals/${w.id}`)).status, 'approved');
  await accessible();
  await snap(page, 'console-withdrawals');

  // the payout file: the server's, of every approved withdrawal not yet paid
  await page.getByTestId('wd-tab-approved').click();
  await page.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  await page.getByTestId('wd-format').selectOption('plain');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wd-export').click()]);
  assert.match(download.suggestedFilename(), /^payout-plain-\d{8}\.csv$/);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
  const rows = parseCsv(bytes.subarray(3).toString('utf8'));
  assert.deepEqual(rows[0], ['withdrawal_id', 'member', 'payee_name', 'method', 'account', 'amount_yuan', 'fee_yuan', 'net_yuan', 'status', 'requested_at', 'approved_at']);
  // exactly the approved ones the API lists (none whose member owes), oldest first
  const approved = [];
  for (let before = null; ; ) {
    const p = await ok(`/withdrawals?status=approved&limit=100${before ? `&before=${before}` : ''}`);
    approved.push(...p.withdrawals.filter((x) => !x.blocked).map((x) => x.id));
    if (!p.next) break;
    before = p.next;
  }
  assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), approved.sort((a, b) => a - b));
  const fresh = await ok(`/withdrawals/${w.id}`);
  const mine = rows.find((r) => Number(r[0]) === w.id);
  assert.deepEqual(mine.slice(0, 9), [String(w.id), member, '测试 收款人', 'alipay', `'${account}`, decimal(fresh.amount), decimal(fresh.fee), decimal(fresh.net), 'approved']);
  assert.equal(mine[9], fresh.requested_at);
  assert.equal(mine[10], fresh.decided_at);
  for (const r of rows.slice(1)) for (const cell of r) assert.ok(!/^[=+\-@\t\r]/.test(cell), `a cell a spreadsheet would run: ${cell}`);

  // Alipay's batch transfer template, in GBK
  await page.getByTestId('wd-format').selectOption('alipay');
  const [alipay] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wd-export').click()]);
  assert.match(alipay.suggestedFilename(), /^payout-alipay-\d{8}\.csv$/);
  const lines = new TextDecoder('gbk').decode(await readFile(await alipay.path())).split('\r\n');
  assert.equal(lines[0], '支付宝批量付款文件模板');
  assert.equal(lines[1], '序号（必填）,收款方支付宝账号（必填）,收款方姓名（必填）,金额（必填，单位：元）,备注（选填）');
  const arow = parseCsv(lines.slice(2).join('\r\n')).find((r) => r[4] === `提现单 ${w.id}`);
  assert.deepEqual(arow.slice(1, 4), [`'${account}`, '测试 收款人', decimal(fresh.net)]);
  noErrors();
});

test('withdrawals: a member who owes after a clawback is held, with the reason on its row', async () => {
  // a member with released money (not the pages' own members), and an item it was released for
  const plan = await ok('/plan');
  const top = await ok('/reports/top?by=members&metric=commission&limit=30');
  let member = null;
  let item = null;
  let stored = null;
  let available = 0;
  for (const m of top.items) {
    if (member || m.key === env.promoter || m.key === env.other) continue;
    const b = await ok(`/members/${m.key}/balance`);
    if (b.available < Math.max(plan.withdraw_min ?? 0, 100)) continue;
    const ledger = await ok(`/members/${m.key}/ledger?limit=100`);
    for (const e of ledger.entries) {
      if (e.type !== 'release' || !e.item) continue;
      // still earning, its share still released: a refund now claws it back
      const it = await ok(`/orders/${e.item.union}/${encodeURIComponent(e.item.item)}`);
      if (it.status === 'invalid' || !it.splits.some((l) => l.member === m.key && l.state === 'available' && l.amount > 0)) continue;
      member = m.key;
      item = e.item;
      stored = it;
      available = b.available;
      break;
    }
  }
  assert.ok(member, 'a member with released money to withdraw');
  // it withdraws everything, then the union refunds the item: the clawback leaves it owing
  const w = await ok('/withdrawals', { method: 'POST', body: { member, amount: available, method: 'alipay', account: 'e2e-debt@example.com' } });
  assert.equal(w.blocked, null);
  const { order, paid_at, amount, commission, quantity, product, title, buyer, link, channel } = stored;
  const refund = JSON.stringify({ union: item.union, item: item.item, order, status: 'invalid', modified_at: new Date().toISOString(), paid_at, amount, commission, quantity, product, title, buyer, link, channel });
  const res = await fetch(`${env.url}/api/v1/orders/import`, { method: 'POST', headers: { Authorization: `Bearer ${env.key}` }, body: `${refund}\n` });
  assert.equal(res.status, 200);
  const held = await ok(`/withdrawals/${w.id}`);
  assert.equal(held.blocked, 'member_in_debt');
  assert.ok(held.available < 0, 'the member owes');
  const refused = await api(`/withdrawals/${w.id}/approve`, { method: 'POST', body: {} });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'member_in_debt');

  await page.goto(`${env.url}/#/withdrawals?status=requested&member=${encodeURIComponent(member)}`);
  await page.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  const row = page.locator(`[data-testid="wd-table"] tr[data-id="${w.id}"]`);
  assert.equal(await row.getAttribute('data-blocked'), 'member_in_debt');
  const reason = await row.getByTestId('wd-blocked').innerText();
  assert.ok(reason.includes('欠款') && reason.includes(yuan(-held.available)), reason);
  await row.locator('[data-testid="wd-check"]').check();
  assert.equal(await page.getByTestId('wd-approve').isDisabled(), true, 'approve is not offered');
  assert.equal(await page.getByTestId('wd-paid').isDisabled(), true, 'mark paid is not offered');
  await snap(page, 'console-withdrawals-blocked');
  // rejecting stays open: the money returns and pays the debt down
  await page.getByTestId('wd-reject').click();
  await confirmed(page, '退款追回后欠款');
  await page.locator(`[data-testid="wd-table"] tr[data-id="${w.id}"][data-status="rejected"]`).waitFor();
  assert.equal(await row.getAttribute('data-blocked'), null);
  assert.equal((await ok(`/members/${member}/balance`)).available, held.available + w.amount);
  noErrors();
});

test('members: search, open a member, expand the team tree; the counts are the API\'s', async () => {
  const m = await ok(`/members/${env.promoter}`);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('member-q').fill(m.invite_code);
  await page.getByTestId('member-search').click();
  await page.locator(`[data-testid="member-results"] tr[data-member="${m.id}"]`).waitFor();
  await page.locator(`[data-testid="member-results"] tr[data-member="${m.id}"] a[data-member="${m.id}"]`).first().click();

  await page.getByTestId('member-direct').waitFor();
  assert.equal(await text('[data-testid="member-direct"]'), count(m.direct_count));
  assert.equal(await text('[data-testid="member-team-count"]'), count(m.team_count));
  assert.match(await text('[data-testid="member-invite"]'), new RegExp(m.invite_code));
  const stats = await ok(`/members/${m.id}/stats`);
  await page.getByTestId('member-months').waitFor();
  assert.equal(await page.locator('[data-testid="member-months"] tbody tr').first().locator('td').nth(1).innerText(), yuan(stats.this_month.own_gmv));
  const path = await ok(`/members/${m.id}/path`);
  if (path.path.length > 1) assert.equal(await page.locator('[data-testid="member-path"] li').count(), path.path.length);
  const balance = await ok(`/members/${m.id}/balance`);
  await page.getByTestId('balance-available').waitFor();
  assert.equal(await text('[data-testid="balance-available"]'), yuan(balance.available));

  // the first level of the tree is the direct invitees
  const team = await ok(`/members/${m.id}/team?limit=20`);
  const tree = page.getByTestId('team-tree');
  await tree.locator(':scope > li.node').first().waitFor();
  assert.equal(await tree.locator(':scope > li.node').count(), team.members.length);
  // expand the first with invitees of its own: one more level, with the API's counts
  const parent = team.members.find((x) => x.direct_count > 0);
  assert.ok(parent, 'the promoter has an invitee with its own team');
  const node = tree.locator(`:scope > li.node[data-member="${parent.id}"]`);
  await node.getByTestId('tree-toggle').first().click();
  assert.equal(await node.getByTestId('tree-toggle').first().getAttribute('aria-expanded'), 'true');
  const sub = await ok(`/members/${parent.id}/team?limit=20`);
  const kids = node.locator(':scope > ul > li.node');
  await kids.first().waitFor();
  assert.equal(await kids.count(), sub.members.length);
  for (const k of sub.members) {
    const kid = node.locator(`:scope > ul > li.node[data-member="${k.id}"]`);
    assert.equal(await kid.getByTestId('node-direct').first().innerText(), count(k.direct_count));
    assert.equal(await kid.getByTestId('node-team').first().innerText(), count(k.team_count));
  }
  await accessible();
  await snap(page, 'console-member');

  // an unknown member or item: the error in words, with a retry
  await page.goto(`${env.url}/#/members/no-such-member-e2e`);
  await page.locator('[data-testid="member-profile"] [role="alert"]').filter({ hasText: '未找到' }).waitFor();
  assert.equal(await page.locator('[data-testid="member-profile"] [role="alert"] button').innerText(), '重试');
  await page.goto(`${env.url}/#/orders/jd/no-such-item-e2e`);
  await page.locator('[data-testid="item-page"] [role="alert"]').filter({ hasText: '未找到' }).waitFor();
  noErrors();
});

test('products: the list to push, a product page with its price history and copy text', async () => {
  await page.getByTestId('nav-products').click();
  await page.getByTestId('product-q').fill('耳机');
  await page.getByTestId('product-search').click();
  await page.locator('[data-testid="product-results"] table').waitFor();
  const found = await ok(`/products?q=${encodeURIComponent('耳机')}&sort=popular&page=1&per_page=20`);
  assert.equal(await page.locator('[data-testid="product-results"] tbody tr').count(), found.items.length);
  assert.equal(await page.locator('[data-testid="product-results"] tbody tr').first().getAttribute('data-product'), `${found.items[0].union}:${found.items[0].product}`);
  await accessible();
  await snap(page, 'console-products');
  await page.getByTestId('products-tab-top').click();
  const first = page.locator('[data-testid="products-top"] li[data-product]').first();
  await first.waitFor();
  const key = await first.getAttribute('data-product');
  const topApi = await ok('/products/top?limit=30');
  assert.equal(key, `${topApi.items[0].product.union}:${topApi.items[0].product.product}`);
  assert.equal(await first.locator('.reasons li').count(), topApi.items[0].score.reasons.length);
  await first.locator('a').first().click();

  const [union, id] = key.split(':');
  const detail = await ok(`/products/${union}/${id}`);
  await page.getByTestId('product-final-price').waitFor();
  assert.equal(await text('[data-testid="product-final-price"]'), yuan(detail.product.final_price));
  if (detail.history?.points?.length) await page.locator('[data-testid="price-chart"][data-drawn="true"]').waitFor();

  await page.getByTestId('copy-member').fill(env.promoter);
  await page.getByTestId('copy-get').click();
  const copy = await ok(`/products/${union}/${id}/copy?member=${env.promoter}&link=1`);
  await page.waitForFunction((want) => document.querySelector('[data-testid="copy-text"]')?.value === want, copy.text);
  await page.getByTestId('copy-button').click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), copy.text);
  // the member's converted link beside the text (demo mode: DEMO links)
  assert.equal(await text('[data-testid="link-short"]'), copy.link.short_url);
  assert.equal(await text('[data-testid="link-target"] a'), copy.link.target);
  assert.match(copy.link.target, /^https:\/\/(u\.jd\.com|s\.click\.taobao\.com|p\.pinduoduo\.com)\/DEMO/);
  assert.equal(await text('[data-testid="link-demo"]'), '演示链接');
  assert.equal(await text('[data-testid="link-kind"]'), '联盟转链');
  assert.notEqual(await text('[data-testid="link-expires"]'), '—');
  await accessible();
  await snap(page, 'console-product');

  // a Taobao product: the 淘口令 the WeChat text carries, copyable alone
  const tb = (await ok('/products/top?limit=30')).items.find((x) => x.product.union === 'taobao').product;
  await page.goto(`${env.url}/#/products/taobao/${tb.product}`);
  await page.getByTestId('copy-member').fill(env.promoter);
  await page.getByTestId('copy-get').click();
  await page.getByTestId('link-tpwd').waitFor();
  const tbCopy = await ok(`/products/taobao/${tb.product}/copy?member=${env.promoter}&link=1`);
  const tpwd = await text('[data-testid="link-tpwd"]');
  assert.match(tpwd, /^￥DEMO[0-9a-f]+￥$/);
  assert.equal(tpwd, tbCopy.tpwd);
  assert.ok((await page.getByTestId('copy-text').inputValue()).includes(tpwd));
  await page.getByTestId('link-tpwd-copy').click();
  await page.waitForFunction((want) => navigator.clipboard.readText().then((v) => v === want), tpwd);
  await page.setViewportSize({ width: 360, height: 800 });
  // the price chart follows the new width when its resize observer fires
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 360, null, { timeout: 5000 }).catch(() => {});
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the product page with its link is ${width}px wide at 360px`);
  await snap(page, 'console-product-link-360');
  await page.setViewportSize({ width: 1440, height: 900 });
  await snap(page, 'console-product-link');
  await page.setViewportSize({ width: 1366, height: 900 });

  // a union's refusal in its words (demo mode has none: the answer is made to fail)
  const refuse = (route) =>
    route.fulfill({
      status: 502,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'union_refused', message: 'Taobao refused the conversion: error 11/isv.permission-api-package-limit: 无权限调用', field: 'taobao', union: 'taobao', union_code: '11/isv.permission-api-package-limit' } }),
    });
  await page.route('**/api/v1/products/taobao/*/copy?*', refuse);
  await page.getByTestId('copy-get').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-error"]')?.textContent.includes('淘宝联盟拒绝了转链（错误码 11/isv.permission-api-package-limit）：无权限调用'));
  assert.equal(await page.getByTestId('link-tpwd').count(), 0, 'no stale link beside a refusal');
  await page.unroute('**/api/v1/products/taobao/*/copy?*', refuse);
  noErrors();
});

// A manual group of the promoter's (made once, through the API): the
// groups list and a group's page show what the API answers.
async function promoterGroup() {
  const mine = await ok(`/groups?member=${encodeURIComponent(env.promoter)}`);
  const found = mine.groups.find((g) => g.kind === 'manual' && g.state === 'active');
  if (found) return found;
  return ok('/groups', { method: 'POST', body: { member: env.promoter, kind: 'manual', name: 'e2e 手动群' } });
}

test("groups: the list shows the last days' figures of the API, a group's page its settings and results", async () => {
  const g = await promoterGroup();
  const report = await ok('/reports/groups');
  const r = report.groups.find((x) => x.id === g.id);
  assert.ok(r, 'the report has the group');
  await page.goto(`${env.url}/#/groups`);
  const rowEl = page.getByTestId(`group-row-${g.id}`);
  await rowEl.waitFor();
  assert.equal((await rowEl.getByTestId('group-sends').innerText()).trim(), count(r.last_days.sends));
  assert.equal((await rowEl.getByTestId('group-clicks').innerText()).trim(), count(r.last_days.clicks));
  assert.equal((await rowEl.getByTestId('group-orders').innerText()).trim(), count(r.last_days.orders));
  assert.equal((await rowEl.getByTestId('group-commission').innerText()).trim(), yuan(r.last_days.commission));
  assert.equal(await rowEl.getByTestId('group-dormant').count(), r.dormant || r.suggestion ? 1 : 0);
  await accessible();
  await snap(page, 'console-groups');

  await rowEl.getByTestId('group-link').click();
  await page.getByTestId('group-settings').waitFor();
  assert.equal((await text('[data-testid="group-channel"]')).trim(), g.channel);
  const results = await ok(`/groups/${g.id}/results`);
  await page.locator('[data-testid="group-total-orders"]').waitFor();
  assert.equal((await text('[data-testid="group-total-orders"]')).trim(), count(results.group.totals.orders));
  assert.equal((await text('[data-testid="group-total-commission"]')).trim(), yuan(results.group.totals.commission));
  await page.locator('[data-testid="group-trend"][data-drawn="true"]').waitFor();
  // the queue: a send now through the page, then the table shows the API's jobs
  const before = (await ok(`/groups/${g.id}/jobs?per_page=50`)).jobs.length;
  await page.getByTestId('group-send').click();
  // the group may have had jobs before: wait for the send's own row
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="group-jobs"] tbody tr').length > n,
    before,
  );
  const jobs = await ok(`/groups/${g.id}/jobs?per_page=50`);
  assert.ok(jobs.jobs.length > 0, 'the group has a job');
  assert.equal(await page.locator('[data-testid="group-jobs"] tbody tr').count(), jobs.jobs.length);
  assert.ok(await page.getByTestId(`job-${jobs.jobs[0].id}`).isVisible(), 'the newest job is shown');
  // the preview: the rendered text of what the group would receive
  const preview = await ok(`/groups/${g.id}/preview`);
  await page.getByTestId('group-preview').click();
  await page.getByTestId('group-preview-text').waitFor();
  assert.equal(await text('[data-testid="group-preview-text"]'), preview.text);
  // pause and resume through the page
  await page.getByTestId('group-pause').click();
  await page.getByTestId('group-resume').waitFor();
  assert.equal((await ok(`/groups/${g.id}`)).state, 'paused');
  await page.getByTestId('group-resume').click();
  await page.getByTestId('group-pause').waitFor();
  assert.equal((await ok(`/groups/${g.id}`)).state, 'active');
  await accessible();
  await snap(page, 'console-group');
  noErrors();
});

test('a viewer: its role shown, the writes disabled, a forced write refused; an ended session returns to the login', async () => {
  const p = await newPage(browser);
  p.setDefaultTimeout(TIMEOUT);
  p.on('dialog', (d) => d.accept());
  await p.goto(`${env.url}/`);
  await p.getByTestId('login-key').fill(env.viewerKey);
  await p.getByTestId('login-submit').click();
  await p.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
  assert.equal(await p.getByTestId('who').getAttribute('data-role'), 'viewer');
  assert.match(await p.getByTestId('who-role').innerText(), /只读/);
  const session = JSON.parse(await p.evaluate(() => localStorage.getItem('tuike.credential.console'))).token;
  assert.match(session, /^tko_/);

  // a withdrawal waiting for a decision: selected, the viewer still cannot decide it
  const list = await ok('/withdrawals?status=requested&limit=1');
  let w = list.withdrawals[0];
  if (!w) {
    const top = await ok('/reports/top?by=members&metric=commission&limit=30');
    for (const m of top.items) {
      const b = await ok(`/members/${m.key}/balance`);
      if (b.available >= 100) {
        w = await ok('/withdrawals', { method: 'POST', body: { member: m.key, amount: 100, method: 'alipay', account: 'viewer@example.com' } });
        break;
      }
    }
  }
  assert.ok(w, 'a requested withdrawal');
  await p.goto(`${env.url}/#/withdrawals?status=requested`);
  await p.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  await p.locator(`[data-testid="wd-table"] tr[data-id="${w.id}"] [data-testid="wd-check"]`).check();
  for (const b of ['wd-approve', 'wd-reject', 'wd-paid', 'wd-export']) assert.equal(await p.getByTestId(b).isDisabled(), true, `${b} is disabled for a viewer`);
  assert.equal(await p.getByTestId('wd-approve').getAttribute('data-role-denied'), 'money');
  // forced past the page, the server refuses it
  const forced = await api(`/withdrawals/${w.id}/approve`, { method: 'POST', body: {}, token: session });
  assert.equal(forced.status, 403);
  assert.equal(forced.body.error.code, 'forbidden_role');
  assert.match(forced.body.error.message, /this key's role is viewer/);
  assert.equal((await ok(`/withdrawals/${w.id}`)).status, 'requested', 'nothing changed');

  // the plan cannot be saved, the simulator not run
  await p.goto(`${env.url}/#/plans`);
  await p.getByTestId('plan-save').waitFor();
  assert.equal(await p.getByTestId('plan-save').isDisabled(), true);
  await shot(p, 'console-viewer');

  // the session ends behind the page's back (as at expiry): the next call returns to the login, saying why
  assert.equal((await api('/auth/logout', { method: 'POST', body: {}, token: session })).status, 200);
  await p.getByTestId('nav-dashboard').click();
  await p.getByTestId('login').waitFor();
  assert.match(await p.getByTestId('login-error').innerText(), /过期|失效/);
  assert.equal(await p.evaluate(() => localStorage.getItem('tuike.credential.console')), null);
  noErrors(p);
  await p.context().close();
});

test('action log: a level changed in the console shows there with before and after, and exports as CSV', async () => {
  const m = await ok(`/members/${env.other}`);
  const plan = await ok('/plan');
  const to = plan.levels.find((l) => l.key !== m.level).key;
  const me = await ok('/me');
  await page.goto(`${env.url}/#/members/${encodeURIComponent(m.id)}`);
  await page.getByTestId('member-level-select').selectOption(to);
  await page.getByTestId('member-level-reason').fill('季度考核 = promoted');
  await page.getByTestId('member-level-save').click();
  await confirmed();
  for (let i = 0; (await ok(`/members/${encodeURIComponent(m.id)}`)).level !== to; i++) {
    assert.ok(i < 100, 'the level was saved');
    await page.waitForTimeout(100);
  }

  await page.getByTestId('nav-actions').click();
  await page.getByTestId('act-filter-subject').fill(`member:${m.id}`);
  await page.getByTestId('act-filter-what').selectOption('member.level');
  await page.getByTestId('act-apply').click();
  const entry = page.locator(`[data-testid="act-table"] tr[data-what="member.level"][data-subject="member:${m.id}"]`).first();
  await entry.waitFor();
  assert.equal(await entry.getByTestId('act-actor').innerText(), `key:${me.key}`);
  assert.equal(await entry.locator('[data-testid="act-diff"] li[data-key="level"] [data-testid="act-before"]').innerText(), m.level);
  assert.equal(await entry.locator('[data-testid="act-diff"] li[data-key="level"] [data-testid="act-after"]').innerText(), to);
  assert.equal(await entry.getByTestId('act-reason').innerText(), '季度考核 = promoted');
  // the page shows what the API says, newest first
  const log = await ok(`/actions?what=member.level&subject=${encodeURIComponent(`member:${m.id}`)}`);
  assert.equal(await entry.getAttribute('data-id'), String(log.actions[0].id));
  assert.deepEqual([log.actions[0].before, log.actions[0].after, log.actions[0].reason], [{ level: m.level }, { level: to }, '季度考核 = promoted']);
  await accessible();
  await snap(page, 'console-actions');

  // the export is the server's CSV of the same filter
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('act-export').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
  assert.equal(lines[0], 'id,at,actor,role,source,what,subject,before,after,reason,request_id');
  assert.equal(lines.length, 1 + log.actions.length);
  assert.ok(lines[1].startsWith(`${log.actions[0].id},`), lines[1]);
  assert.ok(lines[1].includes(`,member.level,member:${m.id},`), lines[1]);

  // put the level back, so the other tests see the demo as it was
  await ok(`/members/${encodeURIComponent(m.id)}/level`, { method: 'PUT', body: { level: m.level } });
  noErrors();
});

test('log out: the session is ended and forgotten', async () => {
  const session = JSON.parse(await page.evaluate(() => localStorage.getItem('tuike.credential.console'))).token;
  assert.equal((await api('/me', { token: session })).status, 200);
  await page.getByTestId('logout').click();
  await page.getByTestId('login').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('tuike.credential.console')), null);
  // the server ended it too (the logout is sent as the page leaves)
  let status = 200;
  for (let i = 0; i < 50 && status === 200; i++) {
    status = (await api('/me', { token: session })).status;
    if (status === 200) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 401);
  noErrors();
});

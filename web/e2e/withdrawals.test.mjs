// Withdrawals across both pages, in zh-CN and en, at 1440 and 360 px, against
// a demo server (demo-server.sh): the promoter's form shows the plan's
// minimum, fee and what arrives (floor(amount × bps / 10000), exact in fen)
// and refuses below the minimum before sending anything; a bank withdrawal
// carries its bank and branch and is remembered for next time; the console's
// queue shows the member's name, id and available balance (the API's) and
// its recent withdrawals; a rejection asks for a reason in the console's own
// dialog (Esc cancels, an empty reason is refused, Tab stays inside, Enter
// confirms) and the promoter then reads that reason; the date filter and
// "more" page through exactly what the API lists.  No native dialog opens.
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/withdrawals.test.mjs
//
// It runs the plan with a fee of 0.5 % (a new plan version) and puts the
// plan it found back afterwards, and rejects every withdrawal it leaves open.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const M = `${env.url}/m/`;
const FEE_BPS = 50;
let browser;
let planBefore;
let terms;
let credential; // the promoter's session, as the promoter page stores it
const opened = new Set(); // withdrawals made here, rejected at the end if still open

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// A plan document as PUT /plan takes it: without what the server derives.
function planBody(p, change = {}) {
  const { version: _v, max_payout_bps: _m, ...doc } = p;
  return { ...doc, ...change };
}

// The Beijing day of a time, YYYY-MM-DD (what the API's from/to mean).
const beijingDay = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

before(async () => {
  browser = await launch();
  planBefore = await ok('/plan');
  await ok('/plan', { method: 'PUT', body: planBody(planBefore, { withdraw_fee_bps: FEE_BPS, name: 'e2e withdrawals' }) });
  terms = await ok('/withdrawal-terms');
  assert.equal(terms.fee_bps, FEE_BPS);
  const res = await fetch(`${env.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ member: env.promoter, password: env.promoterPassword }) });
  assert.equal(res.status, 200, 'the promoter logs in');
  const login = await res.json();
  credential = JSON.stringify({ kind: 'member', token: login.token, member: env.promoter, expires: login.expires_at ?? undefined });
});

after(async () => {
  for (const id of opened) {
    const w = (await api(`/withdrawals/${id}`)).body;
    if (w && (w.status === 'requested' || w.status === 'approved')) await api(`/withdrawals/${id}/reject`, { method: 'POST', body: { reason: 'e2e: put back' } });
  }
  if (planBefore) await api('/plan', { method: 'PUT', body: planBody(planBefore) });
  await browser?.close();
});

// A page that fails its test on a native dialog (window.confirm and the like).
async function open(locale, width, height = 900) {
  const p = await newPage(browser, { width, height, locale });
  p.setDefaultTimeout(15_000);
  p.native = [];
  p.on('dialog', (d) => {
    p.native.push(d.message());
    void d.dismiss();
  });
  return p;
}

const clean = (p) => {
  assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);
  assert.deepEqual(p.native, [], 'no native dialog');
};

async function consoleLogin(p) {
  await p.goto(`${env.url}/`);
  await p.getByTestId('login-key').fill(env.key);
  await p.getByTestId('login-submit').click();
  await p.getByTestId('nav-withdrawals').waitFor();
}

async function promoter(p, hash) {
  await p.goto(`${M}#/products`, { waitUntil: 'domcontentloaded' });
  await p.evaluate((c) => localStorage.setItem('tuike.credential.promoter', c), credential);
  await p.goto(`${M}#${hash}`, { waitUntil: 'domcontentloaded' });
  await p.reload({ waitUntil: 'domcontentloaded' });
}

// Nothing scrolls sideways: the page is as wide as the viewport.
async function fits(p, width, what) {
  const w = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `${what}: the page is ${w}px wide at ${width}px`);
}

// Every POST to /withdrawals the page sends, until stop().
function posts(p) {
  const seen = [];
  const on = (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/withdrawals') seen.push(r.postData());
  };
  p.on('request', on);
  seen.stop = () => p.off('request', on);
  return seen;
}

const words = {
  'zh-CN': {
    terms: (min, fee) => `最低 ${min}，手续费 ${fee}`,
    net: (net) => `实际到账 ${net}`,
    belowMin: '低于最低提现金额',
    badCard: '银行卡号',
    reason: '支付宝账号与实名不符，请核对后重新申请',
    shown: '未通过，原因：',
    required: '请填写原因',
    name: '会员',
  },
  en: {
    terms: (min, fee) => `Minimum ${min}, fee ${fee}`,
    net: (net) => `you receive ${net}`,
    belowMin: 'Below the minimum withdrawal',
    badCard: 'bank card number',
    reason: 'The card holder does not match the payee name; check and ask again',
    shown: 'Not approved: ',
    required: 'Give a reason',
    name: 'Member',
  },
};

for (const [locale, w] of Object.entries(words)) {
  test(`${locale}: the promoter's form shows minimum, fee and net, refuses below the minimum before sending; a bank withdrawal keeps its bank`, async () => {
    const p = await open(locale, 360, 740);
    await promoter(p, '/withdraw');
    const t = p.getByTestId('withdraw-terms');
    await p.locator('[data-testid="withdraw-terms"][data-fee-bps]').waitFor();
    assert.equal(await t.innerText(), w.terms(yuan(terms.min), '0.5%'));
    // exact in fen: 12.34 yuan, fee floor(1234 × 50 / 10000) = 6 fen
    await p.getByTestId('withdraw-amount').fill('12.34');
    assert.ok((await t.innerText()).includes(w.net(yuan(1234 - Math.floor((1234 * FEE_BPS) / 10000)))), await t.innerText());
    assert.ok((await t.innerText()).includes(yuan(1228)));
    await p.getByTestId('withdraw-amount').fill('100');
    assert.ok((await t.innerText()).includes(w.net(yuan(9950))), await t.innerText());
    // 13.00 yuan: a fee of 6.5 fen is 6 (floor, never rounded to 7)
    await p.getByTestId('withdraw-amount').fill('13.00');
    assert.ok((await t.innerText()).includes(w.net(yuan(1294))), await t.innerText());

    const sent = posts(p);
    // below the plan's minimum: refused on the page, nothing sent
    await p.getByTestId('withdraw-amount').fill(((terms.min - 1) / 100).toFixed(2));
    await p.getByTestId('withdraw-method').selectOption('alipay');
    await p.getByTestId('withdraw-account').fill('e2e@example.com');
    await p.getByTestId('withdraw-submit').click();
    await p.locator('[data-testid="withdraw-error"]', { hasText: w.belowMin }).waitFor();
    assert.ok((await p.getByTestId('withdraw-error').innerText()).includes(yuan(terms.min)));
    assert.equal(await p.getByTestId('withdraw-amount').getAttribute('aria-invalid'), 'true');
    // a bank card: its bank fields appear; a card number that is none is refused too
    await p.getByTestId('withdraw-method').selectOption('bank');
    assert.equal(await p.getByTestId('withdraw-bank-fields').isVisible(), true);
    await p.getByTestId('withdraw-amount').fill('12.34');
    await p.getByTestId('withdraw-account').fill('not-a-card');
    await p.getByTestId('withdraw-submit').click();
    await p.locator('[data-testid="withdraw-error"]', { hasText: w.badCard }).waitFor();
    await p.waitForTimeout(300);
    assert.equal(sent.length, 0, 'nothing was sent');

    const before_ = new Set((await ok(`/withdrawals?member=${env.promoter}&limit=100`)).withdrawals.map((x) => x.id));
    await p.getByTestId('withdraw-account').fill('6222 0000 1111 2222');
    await p.getByTestId('withdraw-bank').fill('招商银行');
    await p.getByTestId('withdraw-branch').fill('深圳科技园支行');
    await p.getByTestId('withdraw-payee').fill('王小明');
    await fits(p, 360, 'the withdraw form');
    await shot(p, `withdrawals-promoter-form-${locale}-360`);
    await p.getByTestId('withdraw-submit').click();
    await p.locator('#toast.show').waitFor();
    sent.stop();
    assert.equal(sent.length, 1);
    const made = (await ok(`/withdrawals?member=${env.promoter}&limit=100`)).withdrawals.filter((x) => !before_.has(x.id));
    assert.equal(made.length, 1, 'one withdrawal');
    for (const x of made) opened.add(x.id);
    assert.deepEqual(
      [made[0].amount, made[0].fee, made[0].net, made[0].method, made[0].account, made[0].bank, made[0].branch, made[0].payee],
      [1234, 6, 1228, 'bank', '6222 0000 1111 2222', '招商银行', '深圳科技园支行', '王小明'],
    );

    // next time: the last withdrawal's account filled in (from the server, not this browser)
    const q = await open(locale, 1440, 900);
    await promoter(q, '/withdraw');
    await q.waitForFunction(() => document.querySelector('[data-testid="withdraw-bank"]')?.value === '招商银行');
    assert.equal(await q.getByTestId('withdraw-method').inputValue(), 'bank');
    assert.equal(await q.getByTestId('withdraw-account').inputValue(), '6222 0000 1111 2222');
    assert.equal(await q.getByTestId('withdraw-branch').inputValue(), '深圳科技园支行');
    assert.equal(await q.getByTestId('withdraw-payee').inputValue(), '王小明');
    await shot(q, `withdrawals-promoter-form-${locale}-1440`);
    clean(p);
    clean(q);
    await p.context().close();
    await q.context().close();
  });

  test(`${locale}: the queue shows name, id and balance; a reject in the styled dialog with a reason the promoter then reads`, async () => {
    // an open withdrawal of the promoter's
    const w0 = await ok('/withdrawals', { method: 'POST', body: { member: env.promoter, amount: terms.min, method: 'alipay', account: `e2e-${locale}@example.com` } });
    opened.add(w0.id);
    const m = await ok(`/members/${env.promoter}`);
    const bal = await ok(`/members/${env.promoter}/balance`);

    const c = await open(locale, 1440);
    await consoleLogin(c);
    await c.goto(`${env.url}/#/withdrawals?status=requested&member=${encodeURIComponent(env.promoter)}`);
    await c.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
    const row = c.locator(`[data-testid="wd-table"] tr[data-id="${w0.id}"]`);
    assert.equal(await row.locator(`a[data-member="${env.promoter}"]`).innerText(), m.name || env.promoter);
    assert.equal(await row.getByTestId('wd-member-id').innerText(), env.promoter);
    assert.equal(await row.getByTestId('wd-available').innerText(), yuan(bal.available));
    // its recent withdrawals and ledger, under the row
    await row.getByTestId('wd-toggle').click();
    assert.equal(await row.getByTestId('wd-toggle').getAttribute('aria-expanded'), 'true');
    await c.locator(`[data-testid="wd-recent-withdrawals"] li[data-id="${w0.id}"]`).waitFor();
    await c.getByTestId('wd-recent-ledger').waitFor();
    await row.getByTestId('wd-toggle').click();
    assert.equal(await c.getByTestId('wd-detail').count(), 0);

    await row.getByTestId('wd-check').check();
    // Esc cancels: nothing sent, still requested
    await c.getByTestId('wd-reject').click();
    const dlg = c.getByTestId('dialog');
    await dlg.waitFor();
    assert.equal(await dlg.getAttribute('role'), 'dialog');
    assert.equal(await dlg.getAttribute('aria-modal'), 'true');
    assert.equal(await c.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'dialog-reason');
    await c.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
    assert.equal((await ok(`/withdrawals/${w0.id}`)).status, 'requested');
    // an empty reason is refused in the dialog; Tab stays inside it
    await c.getByTestId('wd-reject').click();
    await dlg.waitFor();
    await dlg.getByTestId('dialog-confirm').click();
    await dlg.locator('[data-testid="dialog-error"]', { hasText: w.required }).waitFor();
    assert.equal(await dlg.isVisible(), true);
    for (let i = 0; i < 5; i++) {
      await c.keyboard.press('Tab');
      assert.equal(await c.evaluate(() => !!document.activeElement?.closest('[data-testid="dialog"]')), true, `Tab ${i + 1} stays in the dialog`);
    }
    await dlg.getByTestId('dialog-reason').fill(w.reason);
    await shot(c, `withdrawals-reject-dialog-${locale}-1440`);
    await dlg.getByTestId('dialog-reason').press('Enter');
    await dlg.waitFor({ state: 'detached' });
    await c.locator(`[data-testid="wd-table"] tr[data-id="${w0.id}"][data-status="rejected"]`).waitFor();
    assert.ok((await row.getByTestId('wd-reason').innerText()).includes(w.reason));
    const after_ = await ok(`/withdrawals/${w0.id}`);
    assert.deepEqual([after_.status, after_.reason], ['rejected', w.reason]);
    assert.equal(await row.getByTestId('wd-available').innerText(), yuan(after_.available));
    await shot(c, `withdrawals-queue-${locale}-1440`);

    // the promoter reads why, beside the withdrawal
    const p = await open(locale, 360, 740);
    await promoter(p, '/withdraw');
    const mine = p.locator(`[data-testid="withdrawal-row"][data-id="${w0.id}"] [data-testid="withdrawal-reason"]`);
    await mine.waitFor();
    assert.ok((await mine.innerText()).includes(w.shown), await mine.innerText());
    assert.ok((await mine.innerText()).includes(w.reason));
    await fits(p, 360, 'my withdrawals');
    await shot(p, `withdrawals-promoter-rejected-${locale}-360`);

    // the queue at 360 px: the table scrolls in its box, the dialog fits;
    // cancelled, it sends nothing
    const w1 = await ok('/withdrawals', { method: 'POST', body: { member: env.promoter, amount: terms.min, method: 'alipay', account: `e2e-${locale}-360@example.com` } });
    opened.add(w1.id);
    const s = await open(locale, 360, 740);
    await consoleLogin(s);
    await s.goto(`${env.url}/#/withdrawals?status=all&member=${encodeURIComponent(env.promoter)}`);
    await s.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
    await fits(s, 360, 'the queue');
    await s.locator(`[data-testid="wd-table"] tr[data-id="${w1.id}"] [data-testid="wd-check"]`).check();
    await s.getByTestId('wd-reject').click();
    await s.getByTestId('dialog').waitFor();
    const box = await s.getByTestId('dialog').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `the dialog fits: ${JSON.stringify(box)}`);
    await shot(s, `withdrawals-reject-dialog-${locale}-360`);
    await s.getByTestId('dialog-cancel').click();
    await s.getByTestId('dialog').waitFor({ state: 'detached' });
    assert.equal((await ok(`/withdrawals/${w1.id}`)).status, 'requested', 'cancelled: nothing sent');
    await shot(s, `withdrawals-queue-${locale}-360`);
    for (const x of [c, p, s]) {
      clean(x);
      await x.context().close();
    }
  });
}

test('the date filter and "more" list exactly what the API lists for those days', async () => {
  // enough open withdrawals today for more than one page (50) of the queue
  const top = await ok('/reports/top?by=members&metric=commission&limit=30');
  let need = 53;
  for (const m of top.items) {
    if (!need) break;
    if (m.key === env.promoter || m.key === env.other) continue;
    const b = await ok(`/members/${m.key}/balance`);
    for (let left = b.available; need && left >= terms.min; left -= terms.min, need--) {
      const x = await ok('/withdrawals', { method: 'POST', body: { member: m.key, amount: terms.min, method: 'alipay', account: `e2e-page-${need}@example.com` } });
      opened.add(x.id);
    }
  }
  assert.equal(need, 0, 'enough money among the demo members');
  const today = beijingDay(new Date());
  const tomorrow = beijingDay(new Date(Date.now() + 86_400_000));
  const listed = [];
  for (let before_ = null; ; ) {
    const pg = await ok(`/withdrawals?status=requested&from=${today}&to=${today}&limit=100${before_ ? `&before=${before_}` : ''}`);
    listed.push(...pg.withdrawals.map((x) => x.id));
    if (!pg.next) break;
    before_ = pg.next;
  }
  assert.ok(listed.length > 50, `${listed.length} requested today`);

  const c = await open('zh-CN', 1440);
  await consoleLogin(c);
  await c.goto(`${env.url}/#/withdrawals?status=requested`);
  await c.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  // the filter form puts the days in the address and the request
  await c.getByTestId('wd-from').fill(today);
  await c.getByTestId('wd-to').fill(today);
  const [req] = await Promise.all([
    c.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/withdrawals' && new URL(r.url()).searchParams.get('from') === today),
    c.getByTestId('wd-filter').click(),
  ]);
  assert.equal(new URL(req.url()).searchParams.get('to'), today);
  await c.waitForFunction((d) => location.hash.includes(`from=${d}`) && location.hash.includes(`to=${d}`), today);
  await c.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  const rows = c.locator('[data-testid="wd-table"] tbody tr[data-id]');
  assert.equal(await rows.count(), 50, 'one page');
  await c.getByTestId('wd-more').click();
  await c.waitForFunction((n) => document.querySelectorAll('[data-testid="wd-table"] tbody tr[data-id]').length === n, listed.length);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
  assert.deepEqual(shown, listed, 'the rows are the API\'s, in its order');
  assert.equal(await c.getByTestId('wd-more').count(), 0, 'no more after the last page');
  // the status tab keeps the days
  assert.ok((await c.getByTestId('wd-tab-all').getAttribute('href')).includes(`from=${today}`));
  await shot(c, 'withdrawals-filtered-zh-CN-1440');
  // a day with nothing: the empty state
  await c.goto(`${env.url}/#/withdrawals?status=requested&from=${tomorrow}&to=${tomorrow}`);
  await c.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  assert.equal(await rows.count(), 0);
  // the end before the start: said on the page, not sent
  await c.getByTestId('wd-from').fill(tomorrow);
  await c.getByTestId('wd-to').fill(today);
  await c.getByTestId('wd-filter').click();
  await c.locator('[data-testid="wd-filter-error"]', { hasText: '结束日期早于开始日期' }).waitFor();
  clean(c);
  await c.context().close();

  const e = await open('en', 360, 740);
  await consoleLogin(e);
  await e.goto(`${env.url}/#/withdrawals?status=requested&from=${today}&to=${today}`);
  await e.locator('[data-testid="wd-list"][data-ready="true"]').waitFor();
  assert.equal(await e.locator('[data-testid="wd-table"] tbody tr[data-id]').count(), 50);
  assert.equal(await e.getByTestId('wd-more').innerText(), 'Load more');
  await fits(e, 360, 'the filtered queue');
  await shot(e, 'withdrawals-filtered-en-360');
  clean(e);
  await e.context().close();
});

// The promoter page (/m/) in a phone-sized Chromium against a demo server
// (web/e2e/demo-server.sh): what it shows is checked against the API.
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/promoter.test.mjs
//
// It logs in twice (a wrong password, then the right one) and signs one
// member up; the server allows --login-rate (10) login attempts a minute per
// address, so it can run about three times a minute against one server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const M = `${env.url}/m/`;
let browser;
let page; // 390 × 844, logged in as env.promoter from the first test on
let token; // the promoter's session token, read from the page

before(async () => {
  browser = await launch();
  page = await phone(390, 844);
});

after(async () => {
  await browser?.close();
});

// A page whose requests never leave the demo server (product images point
// at union hosts that are unreachable here).
async function phone(width, height) {
  const p = await newPage(browser, { width, height });
  await p.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
  p.setDefaultTimeout(15000);
  return p;
}

async function open(p, hash) {
  await p.goto(`${M}#${hash}`, { waitUntil: 'domcontentloaded' });
  await settled(p);
}

// Nothing is loading any more (regions, lists, buttons waiting for an answer).
async function settled(p) {
  await p.waitForFunction(() => document.querySelector('#app')?.childElementCount > 0 && !document.querySelector('.state.loading, [aria-busy="true"]'));
}

async function tab(p, name) {
  await p.click(`[data-testid="tab-${name}"]`);
  await p.waitForSelector(`[data-testid="tab-${name}"][aria-current="page"]`);
  await settled(p);
}

const text = (p, sel) => p.locator(sel).first().innerText();

async function waitText(p, sel, expected) {
  await p.waitForFunction(
    ([s, e]) => [...document.querySelectorAll(s)].some((el) => el.textContent.includes(e)),
    [sel, expected],
  );
}

async function clipboard(p) {
  return p.evaluate(() => navigator.clipboard.readText());
}

// Waits until the clipboard holds something other than `old`.
// (waitForFunction does not await a promise: each poll starts a read and
// looks at the last one finished.)
async function clipboardChanged(p, old) {
  await p.evaluate(() => (window.__clip = undefined));
  await p.waitForFunction(
    (o) => {
      navigator.clipboard.readText().then((v) => (window.__clip = v));
      return window.__clip !== undefined && window.__clip !== o;
    },
    old,
    { polling: 50 },
  );
  return clipboard(p);
}

// The Idempotency-Key of every withdrawal POST the page sends, until stop().
function watchWithdrawals(p) {
  const keys = [];
  const on = (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/withdrawals') keys.push(r.headers()['idempotency-key']);
  };
  p.on('request', on);
  keys.stop = () => p.off('request', on);
  return keys;
}

function noErrors(p) {
  assert.deepEqual(p.errors, [], 'uncaught errors in the page');
}

async function noOverflow(p, width, what) {
  const sw = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(sw <= width, `${what}: the page is ${sw} px wide at ${width} px`);
}

function fenText(fen) {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// Today and the first of the month in Beijing time, as the page computes them.
function monthRange() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return { from: `${today.slice(0, 8)}01`, to: today };
}

test('log in: a wrong password is refused in words, the right one opens the products', async () => {
  await open(page, '/products');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.fill('[data-testid="login-member"]', env.promoter);
  await page.fill('[data-testid="login-password"]', 'not the password');
  await page.click('[data-testid="login-submit"]');
  await waitText(page, '[data-testid="login-error"]', '会员编号或密码错误');
  await shot(page, 'promoter-login-error');

  await page.fill('[data-testid="login-password"]', env.promoterPassword);
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('[data-testid="product-card"]');
  await settled(page);
  token = await page.evaluate(() => JSON.parse(localStorage.getItem('tuike.credential.promoter')).token);
  assert.match(token, /^tks_/);
  const me = await api('/me', { token });
  assert.equal(me.status, 200);
  assert.equal(me.body.member.id, env.promoter);
  noErrors(page);
});

test('products: the feed is the API top list; the copy button copies the API copy text', async () => {
  const top = await api('/products/top?limit=20', { token });
  assert.equal(top.status, 200);
  const cards = page.locator('[data-testid="product-card"]');
  assert.equal(await cards.count(), top.body.items.length);
  const first = top.body.items[0].product;
  assert.equal(await cards.first().getAttribute('data-product'), first.product);
  assert.equal(await cards.first().locator('[data-testid="product-final"]').innerText(), yuan(first.final_price));
  assert.ok((await cards.first().locator('[data-testid="product-earn"]').innerText()).includes(yuan(first.commission)));
  await shot(page, 'promoter-products');

  await page.evaluate(() => navigator.clipboard.writeText('(before)'));
  await cards.first().locator('[data-testid="copy-button"]').click();
  const copied = await clipboardChanged(page, '(before)');
  await waitText(page, '#toast.show', '已复制');
  let want = await api(`/products/${first.union}/${first.product}/copy?link=1`, { token });
  if (want.status === 409) want = await api(`/products/${first.union}/${first.product}/copy`, { token });
  assert.equal(want.status, 200);
  assert.equal(copied, want.body.text);
  assert.ok(copied.includes(first.title.slice(0, 10)), 'the copy text names the product');
  assert.match(copied, /https?:\/\//, 'the copy text carries a link');

  // search
  await page.fill('[data-testid="search-input"]', '抽纸');
  await page.click('[data-testid="search-submit"]');
  await page.waitForFunction(() => location.hash.includes('q='));
  await settled(page);
  const found = await api(`/products?q=${encodeURIComponent('抽纸')}&sort=popular&page=1&per_page=20`, { token });
  const shown = page.locator('[data-testid="product-card"]');
  assert.equal(await shown.count(), found.body.items.length);
  assert.equal(await shown.first().getAttribute('data-product'), found.body.items[0].product);
  await shot(page, 'promoter-search');
  noErrors(page);
});

test("products: a copy says what it carries — Taobao's 淘口令 (copyable alone), the short link to JD's DEMO link; demo marked; a refusal in words", async () => {
  await open(page, '/products');
  // Taobao in WeChat text: the 淘口令 in place of the link, and alone
  const tb = page.locator('[data-testid="product-card"][data-union="taobao"]').first();
  await page.evaluate(() => navigator.clipboard.writeText('(before)'));
  await tb.locator('[data-testid="copy-button"]').click();
  const copied = await clipboardChanged(page, '(before)');
  const tpwd = await tb.locator('[data-testid="copy-tpwd"]').innerText();
  assert.match(tpwd, /^￥DEMO[0-9a-f]+￥$/, 'a demo 淘口令');
  assert.ok(copied.includes(tpwd), 'the copied text carries the 淘口令');
  assert.doesNotMatch(copied, /https?:\/\//, 'no Taobao link in text for WeChat');
  assert.equal(await tb.locator('[data-testid="copy-demo"]').innerText(), '演示链接');
  const want = await api(`/products/taobao/${await tb.getAttribute('data-product')}/copy?link=1`, { token });
  assert.equal(want.body.tpwd, tpwd);
  assert.equal(want.body.link.demo, true);
  await tb.locator('[data-testid="copy-tpwd-button"]').click();
  assert.equal(await clipboardChanged(page, copied), tpwd, 'the 淘口令 copied alone');

  // JD: tuike's short link, which leads to JD's (demo) promotion link
  const jd = page.locator('[data-testid="product-card"][data-union="jd"]').first();
  await page.evaluate(() => navigator.clipboard.writeText('(before)'));
  await jd.locator('[data-testid="copy-button"]').click();
  const jdText = await clipboardChanged(page, '(before)');
  const short = await jd.locator('[data-testid="copy-link"]').innerText();
  assert.match(short, new RegExp(`^${env.url.replace(/[.]/g, '\\.')}/s/[0-9A-Za-z]{7}$`));
  assert.ok(jdText.includes(short), 'the copied text carries the short link');
  assert.ok((await jd.locator('[data-testid="copy-target"]').innerText()).includes('u.jd.com'));
  assert.equal(await jd.locator('[data-testid="copy-demo"]').count(), 1);
  const hop = await fetch(short, { redirect: 'manual' });
  assert.equal(hop.status, 302);
  assert.match(hop.headers.get('location'), /^https:\/\/u\.jd\.com\/DEMO/);
  await shot(page, 'promoter-products-copied');

  // a union's refusal (demo mode has none: the answer is made to fail)
  const pdd = page.locator('[data-testid="product-card"][data-union="pdd"]').first();
  const refuse = (route) =>
    route.fulfill({
      status: 502,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'union_refused', message: 'Pinduoduo refused the conversion: error 60001: 商品已下架', field: 'pdd', union: 'pdd', union_code: '60001' } }),
    });
  await page.route('**/api/v1/products/pdd/*/copy?*', refuse);
  await pdd.locator('[data-testid="copy-button"]').click();
  await waitText(page, '[data-union="pdd"] [data-testid="copy-error"]', '拼多多联盟拒绝了转链（错误码 60001）：商品已下架');
  await waitText(page, '#toast.show', '商品已下架');
  await page.unroute('**/api/v1/products/pdd/*/copy?*', refuse);
  await shot(page, 'promoter-products-refused');
  noErrors(page);
});

test('earnings: the balances shown equal the API', async () => {
  await tab(page, 'earnings');
  const b = (await api(`/members/${env.promoter}/balance`, { token })).body;
  for (const k of ['available', 'pending', 'frozen', 'withdrawing', 'paid'])
    assert.equal(await text(page, `[data-testid="balance-${k}"]`), yuan(b[k]), k);

  const { from, to } = monthRange();
  const s = (await api(`/reports/summary?from=${from}&to=${to}`, { token })).body;
  assert.equal(await text(page, '[data-testid="month-gmv"]'), yuan(s.totals.gmv));
  assert.equal(await text(page, '[data-testid="month-commission"]'), yuan(s.totals.commission));

  const ledger = (await api(`/members/${env.promoter}/ledger?limit=20`, { token })).body;
  assert.equal(await page.locator('[data-testid="ledger-entry"]').count(), ledger.entries.length);
  if (ledger.next) {
    await page.click('[data-testid="ledger-more"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="ledger-entry"]').length > n, ledger.entries.length);
  }
  await shot(page, 'promoter-earnings');
  noErrors(page);
});

test('team: the counts equal the API, and a team member opens its own page', async () => {
  await tab(page, 'team');
  const s = (await api(`/members/${env.promoter}/stats`, { token })).body;
  assert.equal(await text(page, '[data-testid="team-direct"]'), s.direct_count.toLocaleString('zh-CN'));
  assert.equal(await text(page, '[data-testid="team-total"]'), s.team_count.toLocaleString('zh-CN'));
  assert.equal(await text(page, '[data-testid="team-gmv"]'), yuan(s.this_month.team_gmv));
  const team = (await api(`/members/${env.promoter}/team?limit=20`, { token })).body;
  assert.equal(await page.locator('[data-testid="team-member"]').count(), team.members.length);
  await shot(page, 'promoter-team');

  const link = page.locator('[data-testid="team-member"] a').first();
  const id = await link.getAttribute('data-member');
  await link.click();
  await page.waitForSelector('[data-testid="member-name"]');
  await settled(page);
  const m = (await api(`/members/${encodeURIComponent(id)}`, { token })).body;
  assert.equal(await text(page, '[data-testid="member-name"]'), m.name || m.id);
  assert.equal(await text(page, '[data-testid="team-direct"]'), m.direct_count.toLocaleString('zh-CN'));
  await shot(page, 'promoter-member');
  await page.click('[data-testid="back"]');
  await page.waitForFunction(() => location.hash === '#/team');
  await page.waitForSelector('[data-testid="team-direct"]');
  noErrors(page);
});

test("another member's data is refused, in words", async () => {
  for (const hash of [`/member/${env.other}`, `/team/${env.other}`]) {
    await open(page, hash);
    await waitText(page, '[data-testid="refused"]', '无权查看或操作');
    assert.equal(await page.locator('[data-testid="member-name"]').count(), 0, 'nothing of the member is shown');
  }
  await shot(page, 'promoter-refused');
  assert.equal((await api(`/members/${env.other}/balance`, { token })).status, 403);
  assert.equal((await api(`/members/${env.other}`, { token })).status, 403);
  assert.equal((await api(`/members/${env.other}/team`, { token })).status, 403);
  noErrors(page);
});

test('360 px: every screen fits without horizontal scrolling', async () => {
  // the promoter's session from the first test (logins are limited to
  // --login-rate a minute per address: the test logs in once)
  const small = await phone(360, 740);
  const credential = await page.evaluate(() => localStorage.getItem('tuike.credential.promoter'));
  await small.goto(`${M}#/products`, { waitUntil: 'domcontentloaded' });
  await small.evaluate((c) => localStorage.setItem('tuike.credential.promoter', c), credential);
  await small.reload({ waitUntil: 'domcontentloaded' });
  await small.waitForSelector('[data-testid="product-card"]');
  await settled(small);
  await noOverflow(small, 360, 'products');
  // what a copy carried, under the cards: the 淘口令 and a short link
  for (const union of ['taobao', 'jd']) {
    const c = small.locator(`[data-testid="product-card"][data-union="${union}"]`).first();
    await c.locator('[data-testid="copy-button"]').click();
    await c.locator(union === 'taobao' ? '[data-testid="copy-tpwd"]' : '[data-testid="copy-link"]').waitFor();
  }
  await noOverflow(small, 360, 'products with copies');
  await shot(small, 'promoter-products-360');
  for (const name of ['earnings', 'team', 'me']) {
    await tab(small, name);
    await noOverflow(small, 360, name);
    await shot(small, `promoter-${name}-360`);
  }
  await open(small, '/withdraw');
  await noOverflow(small, 360, 'withdraw');
  await shot(small, 'promoter-withdraw-360');
  const team = (await api(`/members/${env.promoter}/team?limit=1`)).body.members;
  if (team.length) {
    await open(small, `/member/${team[0].id}`);
    await noOverflow(small, 360, 'member');
  }
  await open(small, `/member/${env.other}`);
  await waitText(small, '[data-testid="refused"]', '无权查看或操作');
  await noOverflow(small, 360, 'refusal');
  await open(small, '/products?q=%E6%8A%BD%E7%BA%B8&sort=sales');
  await noOverflow(small, 360, 'search');
  // logged out (forgetting the session here; the other page still uses it)
  await small.evaluate(() => localStorage.removeItem('tuike.credential.promoter'));
  await small.reload({ waitUntil: 'domcontentloaded' });
  await small.waitForSelector('[data-testid="login-submit"]');
  await noOverflow(small, 360, 'login');
  await shot(small, 'promoter-login-360');
  await open(small, '/join/ABCDEFGH');
  await noOverflow(small, 360, 'join');
  noErrors(small);
  await small.context().close();
});

test('withdraw: errors in words; one request makes exactly one withdrawal, even on a double click', async () => {
  const plan = await api('/plan');
  const min = plan.status === 200 ? plan.body.withdraw_min ?? 0 : 0;
  const amount = Math.max(min, 100);
  const before = (await api(`/members/${env.promoter}/balance`)).body;
  assert.ok(before.available >= amount, `the promoter has ${before.available} fen available, needs ${amount}`);
  const listBefore = (await api(`/withdrawals?member=${env.promoter}&limit=100`)).body.withdrawals;

  await open(page, '/earnings');
  await page.click('[data-testid="go-withdraw"]');
  await page.waitForSelector('[data-testid="withdraw-form"]');
  await settled(page);
  assert.equal(await text(page, '[data-testid="withdraw-available"]'), yuan(before.available));

  // not an amount
  await page.fill('[data-testid="withdraw-amount"]', '12.345');
  await page.fill('[data-testid="withdraw-account"]', 'e2e@example.com');
  await page.click('[data-testid="withdraw-submit"]');
  await waitText(page, '[data-testid="withdraw-error"]', '请输入正确的金额');
  // more than available: the server's refusal in words
  await page.fill('[data-testid="withdraw-amount"]', fenText(before.available + 100000));
  await page.click('[data-testid="withdraw-submit"]');
  await waitText(page, '[data-testid="withdraw-error"]', '可提现余额不足');
  if (min > 1) {
    await page.fill('[data-testid="withdraw-amount"]', '0.01');
    await page.click('[data-testid="withdraw-submit"]');
    await waitText(page, '[data-testid="withdraw-error"]', '低于最低提现金额'); // the plan's minimum, said before sending
  }

  const posts = watchWithdrawals(page);
  await page.fill('[data-testid="withdraw-amount"]', fenText(amount));
  await page.selectOption('[data-testid="withdraw-method"]', 'alipay');
  await page.fill('[data-testid="withdraw-account"]', 'e2e@example.com');
  await page.dblclick('[data-testid="withdraw-submit"]');
  await waitText(page, '#toast.show', `已申请提现 ${yuan(amount)}`);
  await settled(page);
  await waitText(page, '[data-testid="withdraw-available"]', yuan(before.available - amount));
  await waitText(page, '[data-testid="withdrawal-row"]:first-child [data-testid="withdrawal-amount"]', yuan(amount));
  assert.equal(await page.inputValue('[data-testid="withdraw-amount"]'), '');

  assert.equal(posts.length, 1, 'a double click sends one request');
  assert.match(posts[0] ?? '', /^[0-9a-f]{32}$/, 'the POST carries an Idempotency-Key');
  const seen = new Set(listBefore.map((w) => w.id));
  const added = (await api(`/withdrawals?member=${env.promoter}&limit=100`)).body.withdrawals.filter((w) => !seen.has(w.id));
  assert.equal(added.length, 1, 'exactly one new withdrawal');
  assert.equal(added[0].amount, amount);
  assert.equal(added[0].method, 'alipay');
  assert.equal(added[0].account, 'e2e@example.com');
  const afterB = (await api(`/members/${env.promoter}/balance`)).body;
  assert.equal(afterB.available, before.available - amount);
  assert.equal(afterB.withdrawing, before.withdrawing + amount);
  await shot(page, 'promoter-withdraw');
  posts.stop();
  noErrors(page);
});

test('withdraw: when the answer is lost, tapping again retries with the same key and withdraws once', async () => {
  const plan = await api('/plan');
  const amount = Math.max(plan.status === 200 ? plan.body.withdraw_min ?? 0 : 0, 100) + 1;
  const before = (await api(`/members/${env.promoter}/balance`)).body;
  assert.ok(before.available >= amount, `the promoter has ${before.available} fen available, needs ${amount}`);
  const seen = new Set((await api(`/withdrawals?member=${env.promoter}&limit=100`)).body.withdrawals.map((w) => w.id));
  await open(page, '/withdraw');

  // the request reaches the server, the answer never reaches the page
  const withdrawals = (url) => url.pathname === '/api/v1/withdrawals';
  const lost = async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await route.fetch();
    await route.abort('failed');
  };
  await page.route(withdrawals, lost);
  const posts = watchWithdrawals(page);
  await page.fill('[data-testid="withdraw-amount"]', fenText(amount));
  await page.selectOption('[data-testid="withdraw-method"]', 'wechat');
  await page.fill('[data-testid="withdraw-account"]', 'e2e-wechat');
  await page.click('[data-testid="withdraw-submit"]');
  await waitText(page, '[data-testid="withdraw-error"]', '不会重复提现');
  await page.unroute(withdrawals, lost);

  await page.click('[data-testid="withdraw-submit"]');
  await waitText(page, '#toast.show', `已申请提现 ${yuan(amount)}`);
  await settled(page);
  posts.stop();
  assert.equal(posts.length, 2);
  assert.equal(new Set(posts).size, 1, 'the retry carries the first attempt\'s Idempotency-Key');
  const added = (await api(`/withdrawals?member=${env.promoter}&limit=100`)).body.withdrawals.filter((w) => !seen.has(w.id));
  assert.equal(added.length, 1, 'exactly one new withdrawal');
  assert.equal(added[0].amount, amount);
  assert.equal((await api(`/members/${env.promoter}/balance`)).body.available, before.available - amount);
  await waitText(page, '[data-testid="withdraw-available"]', yuan(before.available - amount));
  noErrors(page);
});

test("my groups: each group's figures are the API's; a manual group's offer is copied in one tap", async () => {
  // a manual group of the promoter's (the console test may have made it)
  const mine = (await api(`/groups?member=${encodeURIComponent(env.promoter)}`)).body.groups;
  let g = mine.find((x) => x.kind === 'manual' && x.state === 'active');
  if (!g) g = (await api('/groups', { method: 'POST', body: { member: env.promoter, kind: 'manual', name: 'e2e 手动群' } })).body;
  await open(page, '/me');
  // an offer of the day: a send now, made ready by one round of the pusher
  const sent = await api(`/groups/${g.id}/send`, { method: 'POST', body: {} });
  assert.ok(sent.status === 201 || sent.status === 200, `send now: ${sent.status}`);
  execFileSync(process.env.TUIKE ?? 'tuike', ['push', 'run', '--once', '--db', process.env.TUIKE_DB], { stdio: 'ignore' });
  await page.click('[data-testid="me-groups"]');
  await page.waitForSelector(`[data-testid="my-group-${g.id}"]`);
  await settled(page);
  const r = (await api(`/me/groups/${g.id}/results`, { token })).body;
  assert.equal(await text(page, `[data-testid="mg-sends-${g.id}"]`), String(r.group.last_days.sends));
  assert.equal(await text(page, `[data-testid="mg-orders-${g.id}"]`), String(r.group.last_days.orders));
  assert.equal(await text(page, `[data-testid="mg-earned-${g.id}"]`), yuan(r.group.last_days.owner_share));
  const offers = await api(`/me/groups/${g.id}/offers`, { token });
  assert.equal(offers.status, 200);
  assert.ok(offers.body.offers.length, 'the manual group has a ready offer');
  const box = page.locator(`[data-testid="offers-${g.id}"]`);
  const first = box.locator('[data-testid="offer"]').first();
  const shown = await first.locator('[data-testid="offer-text"]').innerText();
  assert.ok(shown.includes(offers.body.offers[0].link), 'the offer shows its link');
  await first.locator('[data-testid="offer-copy"]').click();
  await page.waitForFunction(() => document.getElementById('toast')?.classList.contains('show'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
  await noOverflow(page, 390, 'my groups');
  await shot(page, 'promoter-groups');
});

test('me: invite code and link, language switch, log out', async () => {
  await tab(page, 'me');
  const me = (await api('/me', { token })).body.member;
  assert.equal(await text(page, '[data-testid="invite-code"]'), me.invite_code);
  const link = `${env.url}/m/#/join/${me.invite_code}`;
  assert.equal(await text(page, '[data-testid="invite-link"]'), link);
  await page.evaluate(() => navigator.clipboard.writeText('(before)'));
  await page.click('[data-testid="invite-link-copy"]');
  assert.equal(await clipboardChanged(page, '(before)'), link);
  await shot(page, 'promoter-me');

  await page.locator('[data-testid="lang-en"]').first().click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  assert.equal(await text(page, '[data-testid="tab-me"]'), 'Me');
  assert.equal(await text(page, '[data-testid="logout"]'), 'Log out');
  await shot(page, 'promoter-me-en');
  await page.locator('[data-testid="lang-zh"]').first().click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await settled(page);
  assert.equal(await text(page, '[data-testid="tab-me"]'), '我的');

  await page.click('[data-testid="logout"]');
  await page.waitForSelector('[data-testid="login-submit"]');
  assert.equal((await api('/me', { token })).status, 401, 'the session ended on the server');
  noErrors(page);
});

test('join: the invite link signs a new member up under the inviter, logged in', async () => {
  const code = (await api(`/members/${env.promoter}`)).body.invite_code;
  const id = `e2e${Date.now().toString(36)}`;
  await open(page, `/join/${code}`);
  assert.equal(await text(page, '[data-testid="join-code"]'), code);
  await page.fill('[data-testid="join-id"]', id);
  await page.fill('[data-testid="join-name"]', '测试推客');
  await page.fill('[data-testid="join-password"]', 'short');
  await page.click('[data-testid="join-submit"]');
  await waitText(page, '[data-testid="join-error"]', '密码至少 8 位');
  await shot(page, 'promoter-join');
  await page.fill('[data-testid="join-password"]', 'e2e-password-2026');
  await page.click('[data-testid="join-submit"]');
  const outcome = await Promise.race([
    page.waitForSelector('[data-testid="product-card"]').then(() => 'joined'),
    page.waitForFunction(() => document.querySelector('[data-testid="join-error"]')?.textContent).then(() => 'refused'),
  ]);
  if (outcome === 'refused') {
    // a server without sign-up: the error in words, not a blank page
    const words = await text(page, '[data-testid="join-error"]');
    assert.ok(words.length > 0);
    assert.equal((await api(`/members/${id}`)).status, 404, `sign-up refused: ${words}`);
    return;
  }
  const m = await api(`/members/${id}`);
  assert.equal(m.status, 200);
  assert.equal(m.body.parent, env.promoter);
  assert.equal(m.body.name, '测试推客');
  const cred = await page.evaluate(() => JSON.parse(localStorage.getItem('tuike.credential.promoter')));
  assert.equal(cred.member, id);

  // a new member has no union tags: no tracking link (409), the plain copy text instead
  await settled(page);
  const card = page.locator('[data-testid="product-card"]').first();
  const [union, product] = [await card.getAttribute('data-union'), await card.getAttribute('data-product')];
  assert.equal((await api(`/products/${union}/${product}/copy?link=1`, { token: cred.token })).status, 409);
  const plain = await api(`/products/${union}/${product}/copy`, { token: cred.token });
  await page.evaluate(() => navigator.clipboard.writeText('(before)'));
  await card.locator('[data-testid="copy-button"]').click();
  assert.equal(await clipboardChanged(page, '(before)'), plain.body.text);
  noErrors(page);
});

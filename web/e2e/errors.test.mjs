// Real server refusals as the two pages show them, in zh-CN and en at
// 1440 and 360 px: a join with an invite code that names no member, a
// withdrawal below the minimum and one over the balance (promoter page), a
// plan over its budget and action-log date ranges the server refuses
// (console).  Each is said from the answer's key and params: in zh-CN no
// English word of the server's message appears.  Screenshots of each.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const SIZES = [
  { width: 1440, height: 900 },
  { width: 360, height: 780 },
];
const LOCALES = ['zh-CN', 'en'];

async function fresh(locale, size) {
  const p = await newPage(browser, { ...size, locale });
  await p.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
  p.setDefaultTimeout(15000);
  p.on('dialog', (d) => d.accept()); // the console confirms a plan save
  return p;
}

// What is left of a zh-CN error once the tokens it may quote (ids, codes,
// field paths, union names) are taken out: no English word of 4+ letters.
function assertNoEnglish(text, allowed, what) {
  let rest = text;
  for (const a of allowed) rest = rest.split(a).join(' ');
  const words = rest.match(/[A-Za-z]{4,}/g);
  assert.equal(words, null, `${what}: English in the zh-CN text "${text}"`);
}

// The text of the first element of sel once it says something.
async function said(p, sel) {
  const el = p.locator(sel).filter({ hasText: /\S/ }).first();
  await el.waitFor();
  return (await el.innerText()).trim();
}

async function noOverflow(p, width, what) {
  const sw = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(sw <= width, `${what}: the page is ${sw} px wide at ${width} px`);
}

for (const locale of LOCALES)
  for (const size of SIZES) {
    const tag = `${locale}-${size.width}`;
    const zh = locale === 'zh-CN';

    test(`promoter page, ${tag}: a join with an unknown invite code and withdrawals refused by the server, in the reader's language`, async () => {
      const p = await fresh(locale, size);

      // join: a well-formed code naming no member (the server decides)
      const id = `e2eerr${Date.now().toString(36)}`;
      const bad = 'ZZZZZZZZ';
      // (the page's own request is read: each failed sign-up counts
      // against the address's limit on failed logins)
      await p.goto(`${env.url}/m/#/join/${bad}`);
      await p.fill('[data-testid="join-id"]', id);
      await p.fill('[data-testid="join-password"]', 'e2e-password-2026');
      const answer = p.waitForResponse((r) => r.url().endsWith('/api/v1/auth/register'));
      await p.click('[data-testid="join-submit"]');
      const res = await answer;
      assert.equal(res.status(), 400);
      const refusal = { body: await res.json() };
      assert.match(refusal.body.error.key, /^invite\.(unknown|malformed)$/);
      const join = await said(p, '[data-testid="join-error"]');
      const joinWant =
        refusal.body.error.key === 'invite.unknown'
          ? zh ? `邀请码 ${bad} 不存在` : `Invite code ${bad} does not exist`
          : zh ? '这不是邀请码' : 'This is not an invite code';
      assert.ok(join.includes(joinWant), `join error "${join}"`);
      assert.ok(!join.includes(refusal.body.error.message));
      if (zh) assertNoEnglish(join, [bad], 'join');
      await noOverflow(p, size.width, 'join');
      await shot(p, `errors-promoter-join-${tag}`);

      // log in, then withdraw below the minimum and over the balance
      await p.goto(`${env.url}/m/#/withdraw`);
      await p.fill('[data-testid="login-member"]', env.promoter);
      await p.fill('[data-testid="login-password"]', env.promoterPassword);
      await p.click('[data-testid="login-submit"]');
      await p.waitForSelector('[data-testid="withdraw-form"]');
      const plan = (await api('/plan')).body;
      const money = (await api(`/members/${env.promoter}/balance`)).body;
      assert.ok(plan.withdraw_min > 1, 'the demo plan has a minimum withdrawal');
      await p.fill('[data-testid="withdraw-amount"]', '0.01');
      await p.fill('[data-testid="withdraw-account"]', 'e2e@example.com');
      await p.click('[data-testid="withdraw-submit"]');
      const below = await said(p, '[data-testid="withdraw-error"]');
      // the form knows the plan's minimum (GET /withdrawal-terms) and says so before sending
      assert.equal(
        below,
        zh ? `低于最低提现金额 ${yuan(plan.withdraw_min)}，请多提一些` : `Below the minimum withdrawal of ${yuan(plan.withdraw_min)}: withdraw a little more`,
      );
      if (zh) assertNoEnglish(below, [], 'below minimum');
      await shot(p, `errors-promoter-withdraw-minimum-${tag}`);

      const over = money.available + 100000;
      await p.fill('[data-testid="withdraw-amount"]', `${Math.trunc(over / 100)}.${String(over % 100).padStart(2, '0')}`);
      await p.click('[data-testid="withdraw-submit"]');
      await p.waitForFunction((old) => document.querySelector('[data-testid="withdraw-error"]')?.textContent !== old, below);
      const funds = await said(p, '[data-testid="withdraw-error"]');
      assert.equal(
        funds,
        zh ? `可提现余额不足：${yuan(over)} 超过可提现余额 ${yuan(money.available)}` : `Not enough available balance: ${yuan(over)} is more than ${yuan(money.available)}`,
      );
      if (zh) assertNoEnglish(funds, [], 'over available');
      await noOverflow(p, size.width, 'withdraw');
      await shot(p, `errors-promoter-withdraw-balance-${tag}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    });

    test(`console, ${tag}: date ranges the server refuses, in the reader's language`, async () => {
      const p = await fresh(locale, size);
      await p.goto(`${env.url}/`);
      await p.getByTestId('login-key').fill(env.key);
      await p.getByTestId('login-submit').click();
      await p.locator('[data-testid="kpis"]').waitFor();

      // (a plan the server refuses, in the reader's language: plans.test.mjs)
      // the action log's range: from after to, then a date that is none
      await p.goto(`${env.url}/#/actions?from=2026-03-01&to=2026-01-01`);
      const order = await said(p, '.state.error');
      assert.ok(order.includes(zh ? '开始日期不能晚于结束日期' : 'The start date must not be after the end date'), `range error "${order}"`);
      if (zh) assertNoEnglish(order, [], 'range order');
      await shot(p, `errors-console-range-${tag}`);

      await p.goto(`${env.url}/#/actions?from=2026-02-30`);
      await p.waitForFunction((old) => {
        const el = document.querySelector('.state.error');
        return el && el.textContent !== old;
      }, order);
      const day = await said(p, '.state.error');
      assert.ok(day.includes(zh ? '日期须为 年-月-日（YYYY-MM-DD），当前为 2026-02-30' : 'A date is YYYY-MM-DD, got 2026-02-30'), `date error "${day}"`);
      if (zh) assertNoEnglish(day, ['YYYY-MM-DD'], 'bad date');
      await noOverflow(p, size.width, 'actions');
      await shot(p, `errors-console-date-${tag}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    });
  }

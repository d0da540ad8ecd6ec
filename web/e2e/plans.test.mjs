// The plan form editor, end to end against the demo server, in zh-CN and en
// at 1440 and 360 px: a rate typed in percent (and amounts in yuan) saves
// exact integers; an over-budget plan shows its message beside the rate
// that breaks it and cannot be saved; a refusal on save marks and scrolls
// to the refused field; the versions list matches the API and two versions
// compare field by field. The plan is put back as it was at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot } from './lib.mjs';

const TIMEOUT = 15_000;
let browser;
let original;

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const docOf = (p) => {
  const d = { ...p };
  delete d.version;
  delete d.max_payout_bps;
  return d;
};

// A console page logged in with an operator session, on the plans page.
async function plansPage(width, locale) {
  const p = await newPage(browser, { width, height: 900, locale });
  p.setDefaultTimeout(TIMEOUT);
  const s = await ok('/auth/operator-session', { method: 'POST', body: {} });
  await p.context().addInitScript((cred) => localStorage.setItem('tuike.credential.console', cred), JSON.stringify({ kind: 'operator', token: s.token, role: s.role, key: s.key, expires: s.expires_at }));
  await p.goto(`${env.url}/#/plans`);
  await p.getByTestId('plan-form').waitFor();
  return p;
}
const field = (p, name) => p.locator(`[data-field="${name}"]`);
const slot = (p, name) => p.locator(`[data-error-for="${name}"]`);
// The server's dry run answered for what is in the form now.
const checked = (p) => p.locator('.plan-edit-box[data-checked]').waitFor();
const noErrors = (p) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);

before(async () => {
  browser = await launch();
  original = docOf(await ok('/plan'));
});

after(async () => {
  // the other browser tests expect the demo plan's figures
  if (original) await ok('/plan', { method: 'PUT', body: original });
  await browser?.close();
});

// rates whose decimal text a float would miss (4.35 * 100 = 434.99999999999994)
const runs = [
  { locale: 'zh-CN', width: 1440, tag: 'zh-1440', rate: '4.35', bps: 435, words: { confirm: '保存并生效', over: '超过' } },
  { locale: 'en', width: 1440, tag: 'en-1440', rate: '16.1', bps: 1610, words: { confirm: 'Save and activate', over: 'more than' } },
  { locale: 'zh-CN', width: 360, tag: 'zh-360', rate: '0.07', bps: 7, words: { confirm: '保存并生效', over: '超过' } },
  { locale: 'en', width: 360, tag: 'en-360', rate: '1.15', bps: 115, words: { confirm: 'Save and activate', over: 'more than' } },
];

for (const run of runs) {
  test(`plans (${run.tag}): a rate in percent and amounts in yuan save exact integers, after a dialog of the changes`, async () => {
    await ok('/plan', { method: 'PUT', body: original }); // each run from the demo plan
    const before = await ok('/plan');
    assert.equal(before.levels.find((l) => l.key === 'super').rate_bps, 5000);
    assert.equal(before.withdraw_min, 1000);
    const p = await plansPage(run.width, run.locale);
    const superAt = before.levels.findIndex((l) => l.key === 'super');
    const mentorAt = before.levels.findIndex((l) => l.key === 'mentor');
    assert.equal(await field(p, `levels[${superAt}].rate_bps`).inputValue(), String(before.levels[superAt].rate_bps / 100), 'shown in percent');
    await field(p, `levels[${superAt}].rate_bps`).fill(run.rate);
    await field(p, 'withdraw_min').fill('12.34');
    // an upgrade rule on mentor: own GMV of ¥1,000.50 over 30 days
    await p.locator(`[data-level-index="${mentorAt}"] [data-testid="pf-upgrade-on"]`).check();
    await field(p, `levels[${mentorAt}].upgrade.conditions[0].kind`).selectOption('own_gmv');
    await field(p, `levels[${mentorAt}].upgrade.conditions[0].min`).fill('1000.50');
    await field(p, `levels[${mentorAt}].upgrade.conditions[0].days`).fill('30');
    await checked(p);
    assert.equal(await p.locator('[data-testid="field-error"]').count(), 0);
    assert.equal(await p.getByTestId('plan-save').isDisabled(), false);
    await p.getByTestId('plan-save').click();
    const dlg = p.getByTestId('plan-confirm');
    await dlg.waitFor();
    const rateRow = dlg.locator('tr[data-path="levels[super].rate_bps"]');
    assert.match(await rateRow.innerText(), new RegExp(`50%[\\s\\S]*${run.rate.replace('.', '\\.')}%`));
    assert.match(await dlg.locator('tr[data-path="withdraw_min"]').innerText(), /¥10\.00[\s\S]*¥12\.34/);
    assert.match(await dlg.locator('tr[data-path="levels[mentor].upgrade"]').innerText(), /¥1,000\.50/);
    await shot(p, `plans-${run.tag}-confirm`);
    assert.equal(await p.getByTestId('plan-confirm-save').innerText(), run.words.confirm);
    await p.getByTestId('plan-confirm-save').click();
    await p.getByTestId('plan-saved').waitFor();
    const now = await ok('/plan');
    assert.equal(now.version, before.version + 1);
    assert.equal(now.levels[superAt].rate_bps, run.bps, 'exact bps');
    assert.equal(now.withdraw_min, 1234, 'exact fen');
    assert.deepEqual(now.levels[mentorAt].upgrade.conditions, [{ kind: 'own_gmv', days: 30, min: 100050 }]);
    noErrors(p);
    await p.context().close();
  });

  test(`plans (${run.tag}): over budget, the message sits beside the rate that breaks it and nothing can be saved`, async () => {
    const before = await ok('/plan');
    const p = await plansPage(run.width, run.locale);
    const top = before.levels.length - 1;
    await field(p, `levels[${top}].rate_bps`).fill('86');
    const msg = slot(p, `levels[${top}].rate_bps`);
    await msg.locator('[data-testid="field-error"]').waitFor();
    assert.match(await msg.innerText(), new RegExp(`91%.*${run.words.over}.*90%`));
    assert.equal(await p.locator(`[data-level-index="${top}"] [data-error-for="levels[${top}].rate_bps"]`).count(), 1, 'inside that level');
    assert.equal(await field(p, `levels[${top}].rate_bps`).getAttribute('aria-invalid'), 'true');
    assert.equal(await p.getByTestId('plan-save').isDisabled(), true);
    assert.equal(await p.getByTestId('plan-budget').getAttribute('class'), 'plan-budget over');
    // the server's dry run agrees: the same plan refused on platform_min_bps
    const draft = { ...docOf(before), levels: before.levels.map((l, i) => (i === top ? { ...l, rate_bps: 8600 } : l)) };
    const dry = await api('/plan/validate', { method: 'POST', body: draft });
    assert.equal(dry.status, 400);
    assert.equal(dry.body.error.field, 'platform_min_bps');
    await field(p, `levels[${top}].rate_bps`).scrollIntoViewIfNeeded();
    await shot(p, `plans-${run.tag}-over-budget`);
    // lowering the peer bonus makes room: the message goes, saving is possible
    await field(p, 'peer_bonus_bps').fill('4');
    await checked(p);
    assert.equal(await msg.innerText(), '');
    assert.equal(await p.getByTestId('plan-save').isDisabled(), false);
    assert.equal((await ok('/plan')).version, before.version, 'nothing saved');
    noErrors(p);
    await p.context().close();
  });

  test(`plans (${run.tag}): a refusal on save marks the refused field and scrolls to it; JSON keeps the content and says where it breaks`, async () => {
    const before = await ok('/plan');
    // a refusal as the server words it, for a plan the checks here pass (as
    // when another rule on the server refuses it)
    const bad = { ...docOf(before), levels: before.levels.map((l, i) => (i === 2 ? { ...l, rate_bps: 10001 } : l)) };
    const refusal = await api('/plan', { method: 'PUT', body: bad });
    assert.equal(refusal.status, 400);
    assert.equal(refusal.body.error.field, 'levels[2].rate_bps');
    const p = await plansPage(run.width, run.locale);
    await p.route('**/api/v1/plan', (r) => (r.request().method() === 'PUT' ? r.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(refusal.body) }) : r.continue()));
    await field(p, 'name').fill(`refused ${run.tag}`);
    await checked(p);
    await p.getByTestId('plan-save').click();
    await p.getByTestId('plan-confirm-save').click();
    const msg = slot(p, 'levels[2].rate_bps');
    await msg.locator('[data-testid="field-error"]').waitFor();
    // the server's key and params in the reader's language, never its English
    assert.equal(refusal.body.error.key, 'plan.bps_range');
    const said = await msg.innerText();
    assert.notEqual(said, refusal.body.error.message);
    assert.ok(said.includes('100.01%'), said);
    if (run.locale === 'zh-CN') assert.ok(said.includes('须为 0% 到 100% 之间的比例'), said);
    assert.equal(await field(p, 'levels[2].rate_bps').getAttribute('aria-invalid'), 'true');
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('data-field')), 'levels[2].rate_bps', 'focused');
    assert.ok(await field(p, 'levels[2].rate_bps').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), 'scrolled into view');
    assert.equal(await p.getByTestId('plan-error-field').count(), 1);
    await shot(p, `plans-${run.tag}-refused`);
    await p.unroute('**/api/v1/plan');

    // JSON (advanced) holds what the form holds; broken JSON says where
    await p.getByTestId('plan-mode-json').click();
    const json = JSON.parse(await p.getByTestId('plan-json').inputValue());
    assert.equal(json.name, `refused ${run.tag}`);
    await p.getByTestId('plan-json').fill('{\n  "name": "x",\n  "mode" "fixed"\n}');
    await p.getByTestId('plan-error').filter({ hasText: /3/ }).waitFor();
    assert.match(await p.getByTestId('plan-error').innerText(), run.locale === 'en' ? /line 3, column 10/ : /第 3 行第 10 列/);
    assert.equal(await p.getByTestId('plan-save').isDisabled(), true);
    await p.getByTestId('plan-mode-form').click();
    assert.equal(await p.getByTestId('plan-form').count(), 0, 'stays in JSON while it does not parse');
    await p.getByTestId('plan-json').fill(JSON.stringify({ ...json, name: `back ${run.tag}` }));
    await p.getByTestId('plan-mode-form').click();
    assert.equal(await field(p, 'name').inputValue(), `back ${run.tag}`);
    assert.equal((await ok('/plan')).version, before.version, 'nothing saved');
    noErrors(p);
    await p.context().close();
  });

  test(`plans (${run.tag}): the versions as the API lists them, two compared field by field`, async () => {
    const list = await ok('/plan/versions?limit=100');
    const p = await plansPage(run.width, run.locale);
    await p.locator('[data-testid="pv-table"] tbody tr').first().waitFor();
    const rows = p.locator('[data-testid="pv-table"] tbody tr');
    assert.equal(await rows.count(), list.versions.length);
    assert.equal(await rows.first().getAttribute('data-version'), String(list.versions[0].version));
    assert.match(await rows.first().innerText(), new RegExp(list.versions[0].actor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // this run's save (the newest) against the demo plan put back before it
    const [older, newer] = [list.versions[1].version, list.versions[0].version];
    await p.getByTestId('pv-from').selectOption(String(older));
    await p.getByTestId('pv-to').selectOption(String(newer));
    await p.locator(`[data-testid="pv-result"][data-ready="${older}-${newer}"]`).waitFor();
    const diff = p.getByTestId('pv-diff');
    assert.match(await diff.locator('tr[data-path="levels[super].rate_bps"]').innerText(), new RegExp(`50%[\\s\\S]*${run.rate.replace('.', '\\.')}%`));
    assert.match(await diff.locator('tr[data-path="withdraw_min"]').innerText(), /¥10\.00[\s\S]*¥12\.34/);
    assert.equal(await diff.locator('tr[data-path="levels[mentor].upgrade"]').count(), 1);
    assert.equal(await diff.locator('tbody tr').count(), 3, 'nothing else changed');
    await p.getByTestId('pv-diff').scrollIntoViewIfNeeded();
    await shot(p, `plans-${run.tag}-versions`);
    noErrors(p);
    await p.context().close();
  });
}

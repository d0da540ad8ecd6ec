// The web code's guard rails as the browser sees them: the chart tooltips
// give money to the fen from the API's integer fen (while the axis rounds),
// dates in one format (YYYY-MM-DD HH:mm) in both languages, and the group
// states in the page's language.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, yuan } from './lib.mjs';

const TIMEOUT = 15_000;
let browser;

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// A console page logged in with an operator session, in `locale`.
async function opened(locale, width = 1280) {
  const p = await newPage(browser, { width, height: 900, locale });
  p.setDefaultTimeout(TIMEOUT);
  const s = await ok('/auth/operator-session', { method: 'POST', body: {} });
  await p.context().addInitScript((cred) => {
    localStorage.setItem('tuike.credential.console', cred);
  }, JSON.stringify({ kind: 'operator', token: s.token, role: s.role, key: s.key, expires: s.expires_at }));
  return p;
}

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("the money chart tooltip shows the day's GMV and commission to the fen", async () => {
  const p = await opened('en');
  await p.goto(`${env.url}/#/`); // the last 30 days
  const box = p.locator('[data-testid="chart-money"][data-drawn="true"]');
  await box.waitFor();
  const range = await p.getByTestId('kpis').evaluate((el) => ({ from: el.dataset.from, to: el.dataset.to }));
  const daily = await ok(`/reports/daily?from=${range.from}&to=${range.to}`);
  const area = box.locator('.chart');
  const size = await area.boundingBox();
  let checked = 0;
  // a few points across the chart: each tooltip names its day and that day's figures
  for (const x of [0.3, 0.5, 0.7, 0.9]) {
    await area.hover({ position: { x: size.width * x, y: size.height * 0.5 } });
    const tip = box.locator('.chart-tooltip');
    await tip.waitFor({ state: 'visible' });
    const lines = (await tip.innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
    const day = daily.days.find((d) => d.date.slice(5) === lines[0]);
    assert.ok(day, `the tooltip's day ${lines[0]} is one of the range`);
    assert.deepEqual(lines.slice(1), [`GMV: ${yuan(day.gmv)}`, `Commission: ${yuan(day.commission)}`]);
    checked++;
  }
  assert.equal(checked, 4);
  // the axis rounds to the yuan, the tooltip does not
  assert.ok(daily.days.some((d) => d.gmv % 100 !== 0), 'the demo has GMV with fen');
  assert.deepEqual(p.errors, []);
  await p.close();
});

for (const [locale, active] of [
  ['zh-CN', '使用中'],
  ['en', 'active'],
]) {
  test(`dates in one format and group states in words (${locale})`, async () => {
    const p = await opened(locale);
    await p.goto(`${env.url}/#/actions`);
    await p.locator('[data-testid="act-list"][data-ready="true"]').waitFor();
    const times = await p.locator('[data-testid="act-table"] time').allInnerTexts();
    assert.ok(times.length > 0, 'the action log has entries');
    for (const s of times) assert.match(s.trim(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const groups = (await ok('/reports/groups')).groups.filter((g) => g.state === 'active');
    assert.ok(groups.length > 0, 'the demo has an active group');
    await p.goto(`${env.url}/#/groups`);
    const badge = p.getByTestId(`group-row-${groups[0].id}`).locator('.badge[data-status="active"]');
    await badge.waitFor();
    assert.equal((await badge.innerText()).trim(), active);
    assert.deepEqual(p.errors, []);
    await p.close();
  });
}


// The members list, in zh-CN and en, wide (1440 px) and on a phone (360 px):
// the total, the rows and their sales as the API answers them, the filter
// bar, sorting by a column header (twice: the order turns round), "more"
// without a repeated row, the CSV of the current filters, a row opening the
// member, and search results with their total.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const TIMEOUT = 15_000;
let browser;

const CASES = [
  ['zh-CN', 'zh', 1440],
  ['en', 'en', 1440],
  ['zh-CN', 'zh', 360],
  ['en', 'en', 360],
];
const count = (n, tag) => new Intl.NumberFormat(tag === 'zh' ? 'zh-CN' : 'en-US').format(n);
const totalText = (r, tag) =>
  tag === 'zh' ? `${r.total_more ? '超过' : '共'} ${count(r.total, tag)} 人` : `${r.total_more ? 'More than ' : ''}${count(r.total, tag)} members`;

async function ok(path) {
  const r = await api(path);
  assert.ok(r.status === 200, `GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
async function opened(width, locale) {
  const p = await newPage(browser, { width, height: 900, locale });
  p.setDefaultTimeout(TIMEOUT);
  const s = (await api('/auth/operator-session', { method: 'POST', body: {} })).body;
  await p.context().addInitScript((cred) => {
    localStorage.setItem('tuike.credential.console', cred);
  }, JSON.stringify({ kind: 'operator', token: s.token, role: s.role, key: s.key, expires: s.expires_at }));
  return p;
}
const noErrors = (p) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);
const shownIds = (p) => p.locator('[data-testid="ml-table"] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-member')));
async function ready(p) {
  await p.locator('[data-testid="member-results"][data-ready="true"]:not([data-stale])').waitFor();
}
// Marks the list shown now, so that ready() waits for the one an action brings
// (the address changes before the new list is drawn).
async function stale(p) {
  await p.evaluate(() => document.querySelector('[data-testid="member-results"]')?.setAttribute('data-stale', '1'));
}
// RFC 4180 records (quoted cells, doubled quotes, CRLF).
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

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [locale, tag, width] of CASES) {
  test(`${locale} ${width}px: list, filters, sort, more, CSV, a row opens the member`, async () => {
    const page = await opened(width, locale);
    await page.goto(`${env.url}/#/members`);
    await ready(page);

    // the whole list: newest first, its total, the API's rows and sales
    const all = await ok('/members?limit=50');
    assert.equal(await page.getByTestId('ml-total').innerText(), totalText(all, tag));
    assert.deepEqual(await shownIds(page), all.members.map((m) => m.id));
    const first = page.locator('[data-testid="ml-table"] tbody tr').first();
    assert.equal(await first.locator('td').nth(4).innerText(), yuan(all.members[0].sales));
    assert.match(await page.getByTestId('ml-period').innerText(), new RegExp(`${all.sales_from}.*${all.sales_to}`));
    // on a phone the page never scrolls sideways (the table does, inside its box)
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width, 'no sideways scroll');
    await shot(page, `members-list-${tag}-${width}`);

    // "more": the next page appended, no member twice, as the API pages
    await page.getByTestId('ml-more').click();
    await page.locator('[data-testid="ml-table"] tbody tr').nth(50).waitFor();
    const second = await ok(`/members?limit=50&cursor=${encodeURIComponent(all.next)}`);
    const ids = await shownIds(page);
    assert.deepEqual(ids, [...all.members, ...second.members].map((m) => m.id));
    assert.equal(new Set(ids).size, ids.length, 'no member twice');

    // the filter bar: a level and a team minimum (both in the address)
    const plan = await ok('/plan');
    const level = plan.levels.find((l) => l.key === 'mentor')?.key ?? plan.levels[1].key;
    await page.getByTestId(`ml-level-${level}`).check();
    await page.getByTestId('ml-team_min').fill('5');
    await stale(page);
    await page.getByTestId('member-search').click();
    await page.waitForURL(new RegExp(`level=${level}.*team_min=5`));
    await ready(page);
    const filtered = await ok(`/members?limit=50&level=${level}&team_min=5`);
    assert.ok(filtered.total > 0, 'the demo has such members');
    assert.equal(await page.getByTestId('ml-total').innerText(), totalText(filtered, tag));
    assert.deepEqual(await shownIds(page), filtered.members.map((m) => m.id));
    for (const m of filtered.members) assert.ok(m.level === level && m.team_count >= 5);

    // sort by sales: the header, then again for the other way round
    await stale(page);
    await page.getByTestId('ml-sort-sales').click();
    await page.waitForURL(/sort=sales/);
    await ready(page);
    const bySales = await ok(`/members?limit=50&level=${level}&team_min=5&sort=sales`);
    assert.deepEqual(await shownIds(page), bySales.members.map((m) => m.id));
    assert.equal(await page.locator('th[aria-sort="descending"] [data-testid="ml-sort-sales"]').count(), 1);
    await stale(page);
    await page.getByTestId('ml-sort-sales').click();
    await page.waitForURL(/order=asc/);
    await ready(page);
    const bySalesUp = await ok(`/members?limit=50&level=${level}&team_min=5&sort=sales&order=asc`);
    assert.deepEqual(await shownIds(page), bySalesUp.members.map((m) => m.id));

    // the sales minimum is typed in yuan and sent in fen
    const floor = bySales.members.length ? bySales.members[Math.floor(bySales.members.length / 2)].sales : 1;
    await page.getByTestId('ml-sales_min').fill((floor / 100).toFixed(2));
    await stale(page);
    await page.getByTestId('member-search').click();
    await page.waitForURL(new RegExp(`sales_min=${floor}`));
    await ready(page);
    const rich = await ok(`/members?limit=50&level=${level}&team_min=5&sales_min=${floor}&sort=sales&order=asc`);
    assert.deepEqual(await shownIds(page), rich.members.map((m) => m.id));
    for (const m of rich.members) assert.ok(m.sales >= floor);
    await shot(page, `members-filtered-${tag}-${width}`);

    // the CSV holds the same members, in the same order, every one of them
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ml-export').click()]);
    const csv = parseCsv((await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, ''));
    assert.deepEqual(csv[0], ['id', 'name', 'level', 'inviter', 'direct', 'team', 'sales_fen', 'invite_code', 'joined']);
    assert.equal(csv.length - 1, rich.total);
    assert.deepEqual(csv.slice(1, 51).map((r) => r[0]), rich.members.map((m) => m.id));
    assert.deepEqual(csv.slice(1, 51).map((r) => Number(r[6])), rich.members.map((m) => m.sales));

    // a click on the row (not its link) opens the member
    const target = rich.members[0] ?? filtered.members[0];
    await page.locator(`[data-testid="ml-table"] tr[data-member="${target.id}"] td`).nth(5).click();
    await page.waitForURL(new RegExp(`#/members/${target.id}$`));
    await page.getByTestId('member-direct').waitFor();
    assert.equal(await page.getByTestId('member-direct').innerText(), count(target.direct_count, tag));
    noErrors(page);
    await page.context().close();
  });
}

test('search results: their total, "more", and the filters with them', async () => {
  const page = await opened(1440, 'zh-CN');
  await page.goto(`${env.url}/#/members`);
  await ready(page);
  await page.getByTestId('member-q').fill('m1');
  await stale(page);
  await page.getByTestId('member-search').click();
  await page.waitForURL(/q=m1/);
  await ready(page);
  const r = await ok('/members?limit=50&q=m1');
  assert.ok(r.total > 50, 'the demo has more than a page of m1…');
  assert.equal(r.members[0].id, 'm1', 'the exact id first');
  assert.equal(await page.getByTestId('ml-total').innerText(), totalText(r, 'zh'));
  assert.deepEqual(await shownIds(page), r.members.map((m) => m.id));
  await page.getByTestId('ml-more').click();
  await page.locator('[data-testid="ml-table"] tbody tr').nth(50).waitFor();
  const ids = await shownIds(page);
  assert.equal(new Set(ids).size, ids.length, 'no member twice');
  // the search combines with a level
  await page.getByTestId('ml-level-super').check();
  await stale(page);
  await page.getByTestId('member-search').click();
  await page.waitForURL(/level=super/);
  await ready(page);
  const sup = await ok('/members?limit=50&q=m1&level=super');
  assert.deepEqual(await shownIds(page), sup.members.map((m) => m.id));
  await shot(page, 'members-search-zh-1440');
  // a bad amount is refused before asking
  await page.getByTestId('ml-sales_min').fill('abc');
  await page.getByTestId('member-search').click();
  assert.equal(await page.getByTestId('ml-error').innerText(), '请输入金额，如 100 或 99.50');
  noErrors(page);
  await page.context().close();
});

// The dashboard's first glance, in zh-CN and en, wide and on a phone: the
// links' conversion and the other attribution apart, the change on the
// period before, today and yesterday, the to-do box, top lists whose
// figures are never cut, the range limit checked before asking, one error
// for the page.  Every figure is checked against the API's answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const TIMEOUT = 15_000;
let browser;

const LOCALES = [
  ['zh-CN', 'zh'],
  ['en', 'en'],
];
const count = (n, tag) => new Intl.NumberFormat(tag === 'zh' ? 'zh-CN' : 'en-US').format(n);
function bps(v) {
  const whole = Math.trunc(v / 100);
  const frac = Math.abs(v % 100);
  return frac ? `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%` : `${whole}%`;
}
// The change in tenths of a percent, half away from zero, from exact
// rationals: "+12.3%", "−4.0%", "—" without a base.
function change(cur, prev) {
  if (prev === 0) return '—';
  const num = (BigInt(cur) - BigInt(prev)) * 1000n;
  const den = BigInt(Math.abs(prev));
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / den;
  if ((a % den) * 2n >= den) q += 1n;
  return `${q === 0n ? '' : neg ? '\u2212' : '+'}${q / 10n}.${q % 10n}%`;
}
function beijingDay(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600_000 - offsetDays * 86400_000).toISOString().slice(0, 10);
}
async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// A page logged in as the console keeps it (an operator session).
async function opened(width, locale, height = 900) {
  const p = await newPage(browser, { width, height, locale });
  p.setDefaultTimeout(TIMEOUT);
  const s = await ok('/auth/operator-session', { method: 'POST', body: {} });
  await p.context().addInitScript((cred) => {
    localStorage.setItem('tuike.credential.console', cred);
  }, JSON.stringify({ kind: 'operator', token: s.token, role: s.role, key: s.key, expires: s.expires_at }));
  return p;
}
const noErrors = (p) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);

before(async () => {
  browser = await launch();
  // two orders today through a tracked link (fresh buyers: no binding, no
  // self-purchase), so that the links' conversion has something to count
  const link = (await ok(`/links?member=${env.promoter}&limit=1`)).links[0];
  assert.ok(link, 'the promoter has a link');
  const now = new Date().toISOString();
  const rows = [1, 2].map((i) =>
    JSON.stringify({ union: 'jd', item: `dash-e2e-${Date.now()}-${i}`, order: `dash-e2e-${Date.now()}`, status: 'paid', modified_at: now, paid_at: now, amount: 9900, commission: 990, quantity: 1, product: '100000130647', title: 'e2e', buyer: `dash-buyer-${Date.now()}-${i}`, link: link.code }),
  );
  const res = await fetch(`${env.url}/api/v1/orders/import`, { method: 'POST', headers: { Authorization: `Bearer ${env.key}` }, body: rows.join('\n') + '\n' });
  assert.equal(res.status, 200, await res.text());
});

after(async () => {
  await browser?.close();
});

for (const [locale, tag] of LOCALES) {
  test(`${locale}: link conversion, other attribution apart, change on the period before, today/yesterday, to-do`, async () => {
    const page = await opened(1440, locale);
    await page.goto(`${env.url}/#/`);
    const kpis = page.locator('[data-testid="kpis"][data-ready="true"]');
    await kpis.waitFor();
    const from = await kpis.getAttribute('data-from');
    const to = await kpis.getAttribute('data-to');
    const s = await ok(`/reports/summary?from=${from}&to=${to}`);
    const text = (id) => page.getByTestId(id).innerText();

    // conversion: link orders over unique clicks, exact, and never over 100 %
    const c = s.conversion;
    assert.ok(c.link_orders >= 2, 'the orders through a link are counted');
    assert.equal(c.link_orders, s.totals.link_orders);
    assert.equal(c.link_order_per_unique_click_bps, c.unique_clicks ? Math.floor((c.link_orders * 10000) / c.unique_clicks) : 0);
    assert.ok(c.link_order_per_unique_click_bps <= 10000, `conversion ${bps(c.link_order_per_unique_click_bps)} is at most 100 %`);
    assert.equal(await text('kpi-conversion'), bps(c.link_order_per_unique_click_bps));
    // the other attribution shown apart, never folded into the rate
    assert.equal(c.other_orders, s.totals.orders - s.totals.link_orders);
    assert.equal(c.other_share_bps, Math.floor((c.other_orders * 10000) / s.totals.orders));
    assert.equal(await text('kpi-other_orders'), `${count(c.other_orders, tag)} (${bps(c.other_share_bps)})`);
    assert.ok(c.other_orders > 0, 'the demo has orders attributed otherwise');
    // the funnel's rate is the same
    await page.getByTestId('rate-order').waitFor();
    assert.equal(await text('rate-order'), bps(c.link_order_per_unique_click_bps));
    assert.equal(await text('rate-other'), `${count(c.other_orders, tag)} (${bps(c.other_share_bps)})`);

    // the change on the period of the same length right before
    const days = (Date.parse(to) - Date.parse(from)) / 86400_000 + 1;
    assert.equal(await kpis.getAttribute('data-prev-to'), new Date(Date.parse(from) - 86400_000).toISOString().slice(0, 10));
    assert.equal(await kpis.getAttribute('data-prev-from'), new Date(Date.parse(from) - days * 86400_000).toISOString().slice(0, 10));
    const p = s.previous;
    for (const k of ['gmv', 'commission', 'orders', 'clicks', 'new_members']) {
      const want = change(s.totals[k], p.totals[k]);
      assert.ok((await text(`kpi-${k}-change`)).includes(want), `${k}: ${await text(`kpi-${k}-change`)} shows ${want}`);
    }
    assert.ok((await text('kpi-conversion-change')).includes(change(c.link_order_per_unique_click_bps, p.conversion.link_order_per_unique_click_bps)));
    // the demo had no clicks in the period before: no base, a dash
    if (p.totals.clicks === 0) assert.match(await text('kpi-clicks-change'), /—/);

    // today and yesterday
    const d = await ok(`/reports/daily?from=${beijingDay(1)}&to=${beijingDay(0)}`);
    const [yd, td] = d.days;
    await page.getByTestId('strip-table').waitFor();
    assert.equal(await text('strip-today-orders'), count(td.orders, tag));
    assert.equal(await text('strip-today-gmv'), yuan(td.gmv));
    assert.equal(await text('strip-today-commission'), yuan(td.commission));
    assert.equal(await text('strip-today-clicks'), count(td.clicks, tag));
    assert.equal(await text('strip-yesterday-orders'), count(yd.orders, tag));
    assert.equal(await text('strip-yesterday-gmv'), yuan(yd.gmv));
    assert.ok(td.orders >= 2, "today's orders include the two through the link");

    // the to-do box: what the API says waits, each linked to its page
    const todo = page.locator('[data-testid="todo"][aria-busy="false"]');
    await todo.waitFor();
    const requested = (await ok('/withdrawals?status=requested&limit=100')).withdrawals;
    const approved = (await ok('/withdrawals?status=approved&limit=100')).withdrawals;
    const groups = (await ok(`/reports/groups?from=${beijingDay(1)}&to=${beijingDay(0)}`)).groups;
    const expected = [];
    if (requested.length) {
      expected.push('todo-withdrawals');
      const t = await text('todo-withdrawals');
      assert.ok(t.includes(count(requested.length, tag)) && t.includes(yuan(requested.reduce((a, w) => a + w.amount, 0))), t);
      assert.equal(await page.getByTestId('todo-withdrawals').getAttribute('href'), '#/withdrawals?status=requested');
    }
    const owing = new Set([...requested, ...approved].filter((w) => w.available < 0).map((w) => w.member));
    if (owing.size) {
      expected.push('todo-debt');
      assert.ok((await text('todo-debt')).includes(count(owing.size, tag)));
    }
    if (approved.length) {
      expected.push('todo-approved');
      assert.equal(await page.getByTestId('todo-approved').getAttribute('href'), '#/withdrawals?status=approved');
    }
    const failures = groups.reduce((a, g) => a + g.totals.failures, 0);
    if (failures) {
      expected.push('todo-groups');
      assert.equal(await page.getByTestId('todo-groups').getAttribute('href'), '#/groups');
    }
    const shown = await page.locator('[data-testid="todo"] a[data-testid^="todo-"]').evaluateAll((as) => as.map((a) => a.dataset.testid));
    assert.deepEqual(shown.sort(), expected.sort());
    assert.equal(await page.getByTestId('todo-empty').count(), expected.length ? 0 : 1);
    if (expected.length) {
      // a link leads to its page
      await page.getByTestId(expected[0]).click();
      await page.waitForURL(/#\/(withdrawals|groups)/);
      await page.goBack();
      await kpis.waitFor();
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `dashboard-${tag}-1440`);
    noErrors(page);
    await page.context().close();
  });
}

test('top products: the figures are never cut or wrapped at 1280 and 1440 px, titles cut with their full text in a tooltip', async () => {
  for (const width of [1280, 1440]) {
    for (const [locale, tag] of LOCALES) {
      const page = await opened(width, locale);
      await page.goto(`${env.url}/#/`);
      await page.locator('[data-testid="top-products"] table tbody tr').first().waitFor();
      const cells = await page.locator('[data-testid="top-products"] td.num').evaluateAll((tds) =>
        tds.map((td) => ({ text: td.textContent, scroll: td.scrollWidth, client: td.clientWidth, wrap: getComputedStyle(td).whiteSpace, lines: Math.round(td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight || '20')) })),
      );
      assert.ok(cells.length >= 4, 'the top products have figures');
      for (const c of cells) {
        assert.ok(c.scroll <= c.client, `${width}px ${locale}: "${c.text}" is cut (${c.scroll} > ${c.client})`);
        assert.equal(c.wrap, 'nowrap', `${c.text} may wrap`);
      }
      // nothing of the table hides beyond its box
      const box = await page.locator('[data-testid="top-products"] .table-wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      assert.ok(box.scroll <= box.client, `${width}px ${locale}: the top products table is ${box.scroll}px in a ${box.client}px box`);
      const names = await page.locator('[data-testid="top-products"] td.name .cut').evaluateAll((els) => els.map((e) => ({ title: e.getAttribute('title'), text: e.textContent, overflow: getComputedStyle(e).textOverflow })));
      for (const n of names) {
        assert.equal(n.title, n.text, 'the full title is in the tooltip');
        assert.equal(n.overflow, 'ellipsis');
      }
      await shot(page, `dashboard-top-${tag}-${width}`);
      noErrors(page);
      await page.context().close();
    }
  }
});

test('at 360 px: no page-level horizontal scroll; the top products scroll inside their card', async () => {
  for (const [locale, tag] of LOCALES) {
    const page = await opened(360, locale, 780);
    await page.goto(`${env.url}/#/`);
    await page.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
    await page.locator('[data-testid="top-products"] table').waitFor();
    await page.locator('[data-testid="todo"][aria-busy="false"]').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${locale}: the page is ${width}px wide at a 360px viewport`);
    const overflow = await page.locator('[data-testid="top-products"] .table-wrap').evaluate((el) => getComputedStyle(el).overflowX);
    assert.match(overflow, /auto|scroll/);
    await shot(page, `dashboard-${tag}-360`);
    noErrors(page);
    await page.context().close();
  }
});

test('a 367-day range is refused in the browser, on the date inputs, without a request', async () => {
  for (const [locale] of LOCALES) {
    const page = await opened(1440, locale);
    await page.goto(`${env.url}/#/`);
    await page.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
    await page.locator('[data-testid="top-channels"] :is(table, .state)').waitFor();
    await page.locator('[data-testid="todo"][aria-busy="false"]').waitFor();
    const asked = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/reports/')) asked.push(r.url());
    });
    const to = beijingDay(0);
    const from = new Date(Date.parse(to) - 366 * 86400_000).toISOString().slice(0, 10); // 367 days with both ends
    await page.getByTestId('range-from').fill(from);
    await page.getByTestId('range-to').fill(to);
    await page.getByTestId('range-apply').click();
    await page.locator('[data-testid="range-error"]').filter({ hasText: /366/ }).waitFor();
    assert.equal(await page.getByTestId('range-from').getAttribute('aria-invalid'), 'true');
    // the same range typed into the address: refused as well
    await page.goto(`${env.url}/#/?preset=custom&from=${from}&to=${to}`);
    await page.locator('[data-testid="range-error"]').filter({ hasText: /366/ }).waitFor();
    assert.equal(await page.getByTestId('kpis').count(), 0);
    await page.waitForTimeout(300);
    assert.deepEqual(asked, [], 'no report was asked for');
    // 366 days are taken
    const from366 = new Date(Date.parse(to) - 365 * 86400_000).toISOString().slice(0, 10);
    await page.goto(`${env.url}/#/?preset=custom&from=${from366}&to=${to}`);
    await page.locator(`[data-testid="kpis"][data-ready="true"][data-from="${from366}"]`).waitFor();
    noErrors(page);
    await page.context().close();
  }
});

test('when the API fails: one error for the page, with a retry that recovers', async () => {
  for (const [locale, tag] of LOCALES) {
    const page = await opened(1440, locale);
    const fail = (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'the database is unavailable' } }) });
    await page.route('**/api/v1/reports/**', fail);
    await page.goto(`${env.url}/#/`);
    await page.locator('[data-testid="page-error"] .state.error').waitFor();
    // every region has settled before counting
    await page.locator('[data-testid="todo"][aria-busy="false"]').waitFor();
    await page.locator('[data-testid="top-products"] .muted').waitFor();
    assert.equal(await page.locator('.state.error').count(), 1, 'one error, not one per card');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `dashboard-${tag}-error`);
    await page.unroute('**/api/v1/reports/**', fail);
    await page.locator('[data-testid="page-error"] button').click();
    await page.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
    assert.equal(await page.locator('.state.error').count(), 0);
    await page.context().close();
  }
});

test("the dashboard's first paint and the time until its KPIs are ready (printed)", async () => {
  const page = await opened(1440, 'zh-CN');
  await page.goto(`${env.url}/#/`);
  await page.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
  const t = await page.evaluate(() => {
    const paint = performance.getEntriesByType('paint');
    const at = (name) => Math.round(paint.find((p) => p.name === name)?.startTime ?? NaN);
    return { first_paint_ms: at('first-paint'), first_contentful_paint_ms: at('first-contentful-paint'), kpis_ready_ms: Number(document.querySelector('[data-testid="kpis"]').getAttribute('data-ready-ms')) };
  });
  console.log('dashboard timings:', JSON.stringify(t));
  await page.context().close();
});

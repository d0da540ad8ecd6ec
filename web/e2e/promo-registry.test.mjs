// The promotion head's registry in the console, in zh-CN and en, at 1440
// and 360 px, against a demo server (demo-server.sh): 商家 adds a merchant
// through its dialog, registers a shop and edits the merchant; 活动 adds a
// campaign, filters the list by status and union from the address; a
// campaign's page adds a product at 20.5 % (shown as the API holds it:
// 205 per mille), refuses a pasted sheet with a rate of 20.55 naming its
// line and takes a good one, approves the campaign with a reason, books a
// slot fee and waives it, with the totals the API gives; a finance key
// collects a slot fee, its other slot buttons closed.  No English word
// in the zh-CN pages; no page errors.
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/promo-registry.test.mjs
//
// Partner channels belong to the channels' registry: the test writes two
// rows into the demo database (TUIKE_DB) as that registry would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

const TIMEOUT = 15000;
const stamp = Date.now().toString(36);
let browser;

async function ok(path, opts) {
  const r = await api(path, opts);
  assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function opened(width, locale, token = env.key) {
  const p = await newPage(browser, { width, height: 900, locale });
  p.setDefaultTimeout(TIMEOUT);
  const s = (await api('/auth/operator-session', { method: 'POST', body: {}, token })).body;
  await p.context().addInitScript(
    (cred) => {
      localStorage.setItem('tuike.credential.console', cred);
    },
    JSON.stringify({ kind: 'operator', token: s.token, role: s.role, key: s.key, expires: s.expires_at }),
  );
  await p.goto(`${env.url}/`);
  // the language as the reader chose it
  const want = locale === 'en' ? 'en' : 'zh';
  await p.locator(`[data-testid="lang-${want}"]`).click();
  return p;
}

const noErrors = (p) => assert.deepEqual(p.errors, [], `uncaught page errors: ${p.errors.join('\n')}`);

// The words of the page a reader sees, without what the data holds (names,
// ids typed into it) and the union's own abbreviations.
async function assertNoEnglish(p, allowed) {
  const text = await p.locator('main').innerText();
  let rest = text;
  for (const a of allowed) rest = rest.split(a).join(' ');
  const words = rest.match(/[A-Za-z]{3,}/g);
  assert.equal(words, null, `English in the zh-CN page: ${words?.join(' ')}`);
}

function channels() {
  const sql = "INSERT INTO promo_channels(id, name, kind, created_at, updated_at) VALUES (901, '达人小美', 'talent', 0, 0), (902, '应用乙', 'app', 0, 0) ON CONFLICT DO NOTHING";
  if (/^postgres(ql)?:\/\//.test(process.env.TUIKE_DB ?? '')) execFileSync('psql', ['-X', '-q', process.env.TUIKE_DB, '-c', sql]);
  else execFileSync('sqlite3', [process.env.TUIKE_DB, sql]);
}

async function dialogField(p, testid, value) {
  await p.locator(`[data-testid="dialog"] [data-testid="${testid}"]`).fill(value);
}

before(async () => {
  browser = await launch();
  channels();
});

after(async () => {
  await browser?.close();
});

for (const [locale, width] of [
  ['zh-CN', 1440],
  ['en', 360],
]) {
  const zh = locale === 'zh-CN';
  test(`merchants and a campaign end to end (${locale}, ${width} px)`, async () => {
    const p = await opened(width, locale);
    const name = `${zh ? '好物旗舰店' : 'Goods Store'} ${stamp}${width}`;
    // --- 商家
    await p.goto(`${env.url}/#/merchants`);
    await p.locator('[data-testid="nav-merchants"]').waitFor();
    assert.equal(await p.locator('[data-testid="nav-merchants"]').innerText(), zh ? '商家' : 'Merchants');
    assert.equal(await p.locator('[data-testid="nav-campaigns"]').innerText(), zh ? '活动' : 'Campaigns');
    await p.locator('[data-testid="merchant-add"]').click();
    await dialogField(p, 'merchant-name', name);
    await dialogField(p, 'merchant-contact', '王经理');
    await p.locator('[data-testid="dialog-confirm"]').click();
    await p.waitForURL(/#\/merchants\/\d+$/);
    const mid = Number(p.url().split('/').pop());
    await p.locator('h1', { hasText: name }).waitFor();
    assert.equal((await ok(`/merchants/${mid}`)).contact, '王经理');

    // a shop, then one another merchant holds is refused in the reader's words
    const shopId = `S${stamp}${width}`;
    await p.locator('[data-testid="shop-id"]').fill(shopId);
    await p.locator('[data-testid="shop-name"]').fill('旗舰店');
    await p.locator('[data-testid="shop-add"]').click();
    await p.locator(`[data-testid="shop-jd-${shopId}"]`).waitFor();
    const other = await ok('/merchants', { method: 'POST', body: { name: `other ${stamp}${width}` } });
    await ok(`/merchants/${other.id}/shops`, { method: 'POST', body: { union: 'pdd', shop: `T${shopId}` } });
    await p.locator('[data-testid="shop-union"]').selectOption('pdd');
    await p.locator('[data-testid="shop-id"]').fill(`T${shopId}`);
    await p.locator('[data-testid="shop-add"]').click();
    const toast = p.locator('#toast');
    await toast.filter({ hasText: zh ? '已属于商家' : 'belongs to merchant' }).waitFor();

    // the edit dialog
    await p.locator('[data-testid="merchant-edit"]').click();
    await dialogField(p, 'merchant-phone', '13800000000');
    await p.locator('[data-testid="dialog-confirm"]').click();
    await p.locator('[data-testid="merchant-facts"]', { hasText: '13800000000' }).waitFor();
    if (zh) await assertNoEnglish(p, [name, shopId]);
    await shot(p, `promo-merchant-${locale}-${width}`);

    // the list finds it by a part of its name
    await p.goto(`${env.url}/#/merchants?q=${encodeURIComponent(name)}`);
    await p.locator(`[data-testid="merchant-row-${mid}"]`).waitFor();
    assert.equal(await p.locator('[data-testid="merchants-table"] tbody tr').count(), 1);

    // --- 活动: a campaign through its dialog
    await p.goto(`${env.url}/#/campaigns?merchant=${mid}`);
    await p.locator('[data-testid="campaign-add"]').click();
    await dialogField(p, 'campaign-name', zh ? `双十二 ${stamp}` : `Dec sale ${stamp}`);
    await p.locator('[data-testid="dialog"] [data-testid="campaign-union"]').selectOption('jd');
    await dialogField(p, 'campaign-ext', '778899');
    await dialogField(p, 'campaign-promote_from', '2026-12-01');
    await dialogField(p, 'campaign-promote_to', '2026-12-12');
    await p.locator('[data-testid="dialog-confirm"]').click();
    await p.waitForURL(/#\/campaigns\/\d+$/);
    const cid = Number(p.url().split('/').pop());
    await p.locator('[data-testid="campaign-promote"]', { hasText: '2026-12-01' }).waitFor();
    assert.match(await p.locator('[data-testid="campaign-promote"]').innerText(), /2026-12-12/);

    // a product at 20.5 %
    await p.locator('[data-testid="item-add"]').click();
    await dialogField(p, 'item-product', 'P1');
    await dialogField(p, 'item-title', '保温杯');
    await dialogField(p, 'item-price', '99');
    await dialogField(p, 'item-commission', '20.5%');
    await dialogField(p, 'item-service', '5%');
    await p.locator('[data-testid="dialog-confirm"]').click();
    await p.locator('[data-testid="item-P1"] [data-testid="item-commission-value"]', { hasText: '20.5%' }).waitFor();
    const held = (await ok(`/campaigns/${cid}`)).items.find((i) => i.product === 'P1');
    assert.deepEqual([held.commission_permille, held.service_fee_permille, held.price_fen], [205, 50, 9900]);

    // a sheet with a rate of 20.55: refused, its line named, nothing written
    await p.locator('[data-testid="item-sheet-box"] summary').click();
    await p.locator('[data-testid="item-sheet"]').fill('product,commission_permille,service_fee_permille\nP2,20.5,3\nP3,1,20.55\n');
    await p.locator('[data-testid="item-import"]').click();
    await toast.filter({ hasText: zh ? '第 3 行' : 'Line 3' }).waitFor();
    assert.equal((await ok(`/campaigns/${cid}`)).items.length, 1);
    await p.locator('[data-testid="item-sheet"]').fill('product,title,commission_permille,service_fee_permille\nP2,碗,20.5,3\nP3,盘,1,2\n');
    await p.locator('[data-testid="item-import"]').click();
    await p.locator('[data-testid="item-P3"]').waitFor();
    assert.equal((await ok(`/campaigns/${cid}`)).items.length, 3);

    // approved, with a reason
    await p.locator('[data-testid="campaign-to-approved"]').click();
    await p.locator('[data-testid="dialog-reason"]').fill('资料齐全');
    await p.locator('[data-testid="dialog-confirm"]').click();
    await p.locator('[data-testid="campaign-status"] [data-status="approved"]').waitFor();
    assert.equal((await ok(`/campaigns/${cid}`)).status, 'approved');

    // a slot fee booked, then waived
    // the merchant by its name; the channel picked by name from the registry's list
    assert.equal(await p.locator('[data-testid="campaign-facts"] [data-testid="campaign-merchant"]').innerText(), name);
    await p.locator('[data-testid="slot-channel"] option[value="901"]').waitFor({ state: 'attached' });
    assert.match(await p.locator('[data-testid="slot-channel"] option[value="901"]').innerText(), zh ? /达人小美 · 达人/ : /达人小美 · Talent/);
    await p.locator('[data-testid="slot-channel"]').selectOption('901');
    await p.locator('[data-testid="slot-amount"]').fill('500');
    await p.locator('[data-testid="slot-book"]').click();
    await p.locator('[data-testid="slot-total-booked"]', { hasText: yuan(50000) }).waitFor();
    assert.equal(await p.locator('[data-testid="slot-channel-name"]').innerText(), '达人小美');
    assert.equal(await p.locator('[data-testid="slot-channel"] option[value="901"]').count(), 0, 'a booked channel is not offered again');
    await p.locator('[data-testid="slot-waive"]').click();
    await p.locator('[data-testid="dialog-confirm"]').click();
    await p.locator('[data-testid="slot-total-waived"]', { hasText: yuan(50000) }).waitFor();
    const c = await ok(`/campaigns/${cid}`);
    assert.deepEqual(c.slot_totals, { booked_fen: 0, collected_fen: 0, waived_fen: 50000 });
    const channelNames = (await ok('/channels?limit=100')).channels.map((x) => x.name);
    if (zh) await assertNoEnglish(p, [c.name, name, 'P1', 'P2', 'P3', '#', ...channelNames]);
    await shot(p, `promo-campaign-${locale}-${width}`);

    // the list, filtered by status and union from the address
    await p.goto(`${env.url}/#/campaigns?status=approved&union=jd&merchant=${mid}`);
    await p.locator(`[data-testid="campaign-row-${cid}"]`).waitFor();
    assert.equal(await p.locator(`[data-testid="campaign-row-${cid}"] [data-testid="campaign-merchant"]`).innerText(), name);
    await p.goto(`${env.url}/#/campaigns?status=pending&merchant=${mid}`);
    await p.locator('[data-testid="campaigns-empty"]').waitFor();
    if (zh) await assertNoEnglish(p, [name]);
    noErrors(p);
    await p.close();
  });
}

test('the other sizes and languages draw the pages', async () => {
  for (const [locale, width] of [
    ['en', 1440],
    ['zh-CN', 360],
  ]) {
    const p = await opened(width, locale);
    await p.goto(`${env.url}/#/merchants`);
    await p.locator('[data-testid="merchants-table"], [data-testid="merchants-empty"]').first().waitFor();
    await p.goto(`${env.url}/#/campaigns`);
    await p.locator('[data-testid="campaigns-table"], [data-testid="campaigns-empty"]').first().waitFor();
    const first = p.locator('[data-testid="campaign-link"]').first();
    if (await first.count()) {
      await first.click();
      await p.locator('[data-testid="campaign-facts"]').waitFor();
    }
    if (locale === 'zh-CN') {
      const names = await p.locator('main h1, main a, main option').allInnerTexts();
      await assertNoEnglish(p, names);
    }
    // nothing wider than the window
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${locale} ${width}: the page is ${overflow}px wider than the window`);
    await shot(p, `promo-pages-${locale}-${width}`);
    noErrors(p);
    await p.close();
  }
});

test('finance collects a slot fee, and only that', async () => {
  const tuike = process.env.TUIKE ?? new URL('../../build/tuike', import.meta.url).pathname;
  const key = execFileSync(tuike, ['apikey', 'create', `books-${stamp}`, '--role', 'finance', '--db', process.env.TUIKE_DB], { encoding: 'utf8' }).trim();
  const m = await ok('/merchants', { method: 'POST', body: { name: `财务商家 ${stamp}` } });
  const c = await ok('/campaigns', { method: 'POST', body: { merchant: m.id, union: 'jd', name: `坑位 ${stamp}`, promote_from: '2026-12-01', promote_to: '2026-12-31' } });
  const f = await ok(`/campaigns/${c.id}/slot-fees`, { method: 'POST', body: { channel: 902, amount_fen: 30000 } });
  const p = await opened(1440, 'zh-CN', key);
  await p.goto(`${env.url}/#/campaigns/${c.id}`);
  const fee = p.locator(`[data-testid="slot-${f.id}"]`);
  await fee.waitFor();
  assert.ok(await fee.locator('[data-testid="slot-waive"]').isDisabled(), 'finance does not waive');
  assert.ok(await p.locator('[data-testid="slot-book"]').isDisabled(), 'nor book');
  await fee.locator('[data-testid="slot-collect"]').click();
  await p.locator('[data-testid="slot-total-collected"]', { hasText: yuan(30000) }).waitFor();
  assert.equal((await ok(`/slot-fees?campaign=${c.id}`)).slot_fees[0].state, 'collected');
  noErrors(p);
  await p.close();
});

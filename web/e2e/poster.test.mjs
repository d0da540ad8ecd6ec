// Posters on the promoter page (/m/): a product card's "海报" opens the
// product's poster (drawn by the server with the member's own link in its
// QR code) as an image at a signed address to long-press, with a save
// button; the me page opens
// the invitation's QR code and poster.  In zh-CN and en, at 1440 and 360 px,
// with screenshots.
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/poster.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { artifacts, env, launch, newPage } from './lib.mjs';

const M = `${env.url}/m/`;
let browser;
let credential; // the promoter's stored session, as the page keeps it

before(async () => {
  browser = await launch();
  // one login for every page (logins are limited per address)
  const res = await fetch(`${env.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ member: env.promoter, password: env.promoterPassword }),
  });
  assert.equal(res.status, 200);
  const s = await res.json();
  credential = JSON.stringify({ kind: 'member', token: s.token, member: s.member, expires: s.expires_at ?? undefined });
});

after(async () => {
  await browser?.close();
});

// A logged-in page in a language whose requests stay on the demo server.
async function promoterPage(width, lang) {
  const p = await newPage(browser, { width, height: 900, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  await p.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
  await p.addInitScript(
    ([c, l]) => {
      localStorage.setItem('tuike.credential.promoter', c);
      localStorage.setItem('tuike.lang', l);
    },
    [credential, lang],
  );
  p.setDefaultTimeout(20000);
  return p;
}

// Waits for the sheet's image to be drawn; its natural size.
async function posterShown(p) {
  await p.waitForSelector('[data-testid="poster-sheet"][open]');
  await p.waitForFunction(() => {
    const img = document.querySelector('[data-testid="poster-image"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  return p.evaluate(() => {
    const img = document.querySelector('[data-testid="poster-image"]');
    return { w: img.naturalWidth, h: img.naturalHeight, shownWidth: img.getBoundingClientRect().width };
  });
}

// The screen as the member sees it with the sheet open (not the long page behind).
async function shot(p, name) {
  await p.screenshot({ path: join(artifacts, `${name}.png`) });
}

async function noOverflow(p, width, what) {
  const scroll = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide at ${width} px`);
}

const WORDS = {
  zh: { button: '海报', title: '商品海报', save: '保存图片', qr: '邀请二维码', poster: '邀请海报' },
  en: { button: 'Poster', title: 'Product poster', save: 'Save image', qr: 'Invite QR code', poster: 'Invite poster' },
};

for (const lang of ['zh', 'en'])
  for (const width of [1440, 360])
    test(`product poster and invitation, ${lang} at ${width} px`, async () => {
      const w = WORDS[lang];
      const p = await promoterPage(width, lang);
      const pngs = [];
      p.on('response', (r) => {
        if (r.url().includes('.png') && r.url().includes('/api/v1/')) pngs.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
      });
      await p.goto(`${M}#/products`, { waitUntil: 'domcontentloaded' });
      const button = p.locator('[data-testid="product-card"] [data-testid="poster-button"]').first();
      await button.waitFor();
      assert.equal((await button.innerText()).trim(), w.button);
      const card = p.locator('[data-testid="product-card"]').first();
      const union = await card.getAttribute('data-union');
      const product = await card.getAttribute('data-product');
      await button.click();
      const img = await posterShown(p);
      assert.deepEqual([img.w, img.h], [750, 1334], 'a 750×1334 poster');
      assert.ok(img.shownWidth <= Math.min(width, 375) + 1, `shown within the sheet (${img.shownWidth} px)`);
      const got = pngs.find((r) => r.url.includes(`/products/${union}/${product}/poster.png`));
      assert.ok(got, 'the poster came from the product poster route');
      assert.equal(got.status, 200);
      assert.equal(got.type, 'image/png');
      assert.ok(got.url.includes(`lang=${lang}`), 'drawn in the page language');
      assert.equal((await p.locator('[data-testid="poster-sheet"] h2').innerText()).trim(), w.title);
      const save = p.locator('[data-testid="poster-save"]');
      assert.equal((await save.innerText()).trim(), w.save);
      // a real address, loadable with no credential (as WeChat's long-press needs)
      const href = await save.getAttribute('href');
      assert.match(href, /^\/api\/v1\/products\/.*\/poster\.png\?lang=(zh|en)&m=.*&exp=\d+&sig=[0-9a-f]{64}$/);
      const plain = await fetch(`${env.url}${href}`);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers.get('content-type'), 'image/png');
      assert.equal(await save.getAttribute('download'), `poster-${union}-${product}.png`);
      await noOverflow(p, width, 'product poster');
      await shot(p, `promoter-poster-${lang}-${width}`);
      await p.click('[data-testid="poster-close"]');
      assert.equal(await p.locator('[data-testid="poster-sheet"]').count(), 0, 'closed and gone');

      await p.goto(`${M}#/me`, { waitUntil: 'domcontentloaded' });
      const qr = p.locator('[data-testid="invite-qr"]');
      await qr.waitFor();
      assert.equal((await qr.innerText()).trim(), w.qr);
      await qr.click();
      const q = await posterShown(p);
      assert.deepEqual([q.w, q.h], [512, 512], 'a 512 px QR code');
      await shot(p, `promoter-invite-qr-${lang}-${width}`);
      await p.click('[data-testid="poster-close"]');
      const poster = p.locator('[data-testid="invite-poster"]');
      assert.equal((await poster.innerText()).trim(), w.poster);
      await poster.click();
      const ip = await posterShown(p);
      assert.deepEqual([ip.w, ip.h], [750, 1334], 'a 750×1334 invitation poster');
      await noOverflow(p, width, 'invitation poster');
      await shot(p, `promoter-invite-poster-${lang}-${width}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    });

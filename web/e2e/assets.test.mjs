// How the pages' own files are served and drawn: the chart chunk compressed
// (brotli or gzip by Accept-Encoding, identity when neither is taken), the
// favicon and the promoter page's web manifest, and every input's border at
// 3:1 contrast or more against what surrounds it (WCAG 1.4.11).
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/assets.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { env, launch, newPage, shot } from './lib.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

// A raw request: node:http, unlike fetch, neither asks for nor undoes any
// encoding, so what is measured is what went over the wire.
function raw(path, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${env.url}${path}`, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The chart chunk's path: the console's entry imports it on demand.
async function chartChunk() {
  const index = (await raw('/')).body.toString();
  const entry = index.match(/\/assets\/console-[\w-]+\.js/);
  assert.ok(entry, 'index.html names the console script');
  const js = (await raw(entry[0])).body.toString();
  const chunk = js.match(/charts-[\w-]+\.js/);
  assert.ok(chunk, 'the console script imports the chart chunk');
  return `/assets/${chunk[0]}`;
}

const CHROMIUM_ACCEPT = 'gzip, deflate, br, zstd';

test('the chart chunk goes out brotli or gzip, under 200 KB, identity when neither is accepted', async () => {
  const path = await chartChunk();
  const plain = await raw(path, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.ok(plain.body.length > 400_000, `the chunk itself is ${plain.body.length} bytes`);
  assert.match(plain.headers.etag, /^"[0-9a-f]{16}"$/);

  const br = await raw(path, { headers: { 'Accept-Encoding': CHROMIUM_ACCEPT } });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(br.headers['cache-control'], plain.headers['cache-control']);
  assert.equal(Number(br.headers['content-length']), br.body.length);
  assert.ok(br.body.length < 200_000, `brotli: ${br.body.length} bytes on the wire`);
  assert.ok(brotliDecompressSync(br.body).equals(plain.body), 'brotli decodes to the file');
  assert.equal(br.headers.etag, plain.headers.etag.replace(/"$/, '-br"'));

  const gz = await raw(path, { headers: { 'Accept-Encoding': 'br;q=0, gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gz.body.length < 200_000, `gzip: ${gz.body.length} bytes on the wire`);
  assert.ok(gunzipSync(gz.body).equals(plain.body), 'gzip decodes to the file');
  assert.equal(gz.headers.etag, plain.headers.etag.replace(/"$/, '-gz"'));

  for (const accept of [undefined, 'gzip;q=0, br;q=0', 'zstd', '']) {
    const r = await raw(path, { headers: accept === undefined ? {} : { 'Accept-Encoding': accept } });
    assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${accept}`);
    assert.ok(r.body.equals(plain.body), `Accept-Encoding: ${accept}: the file as it is`);
  }

  // HEAD: the variant's length, no body
  const head = await raw(path, { method: 'HEAD', headers: { 'Accept-Encoding': 'br' } });
  assert.equal(head.headers['content-encoding'], 'br');
  assert.equal(Number(head.headers['content-length']), br.body.length);
  assert.equal(head.body.length, 0);

  // revalidation is per encoding
  const same = await raw(path, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag } });
  assert.equal(same.status, 304);
  assert.equal(same.headers.etag, br.headers.etag);
  const other = await raw(path, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': plain.headers.etag } });
  assert.equal(other.status, 200);

  // a page is compressed too; a file without twins varies on nothing
  const page = await raw('/m/', { headers: { 'Accept-Encoding': CHROMIUM_ACCEPT } });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.ok(page.headers['content-security-policy'], 'the page keeps its policy when compressed');

  // what the browser itself receives
  const p = await newPage(browser);
  const sizes = [];
  p.on('response', async (r) => {
    if (r.url().endsWith(path)) sizes.push({ encoding: (await r.allHeaders())['content-encoding'], size: (await r.request().sizes()).responseBodySize });
  });
  await p.goto(`${env.url}/`);
  await p.evaluate((u) => import(u), path);
  await p.waitForFunction(() => true);
  await p.context().close();
  assert.equal(sizes.length, 1, 'the browser loaded the chunk');
  assert.equal(sizes[0].encoding, 'br');
  assert.ok(sizes[0].size < 200_000, `the browser read ${sizes[0].size} bytes`);
  console.log(`chart chunk: ${plain.body.length} bytes, brotli ${br.body.length}, gzip ${gz.body.length}`);
});

test('the favicon and the promoter page\'s manifest load with their types; the manifest starts at /m/', async () => {
  const p = await newPage(browser, { width: 390, height: 844 });
  for (const [page, wantManifest] of [['/', false], ['/m/', true]]) {
    await p.goto(`${env.url}${page}`);
    const head = await p.evaluate(() => ({
      icons: [...document.querySelectorAll('link[rel~="icon"]')].map((l) => ({ href: l.href, type: l.type })),
      manifest: document.querySelector('link[rel="manifest"]')?.href ?? null,
      theme: document.querySelector('meta[name="theme-color"]')?.content ?? null,
    }));
    assert.ok(head.icons.length > 0, `${page}: a <link rel="icon">`);
    assert.match(head.theme ?? '', /^#[0-9a-f]{6}$/i, `${page}: a theme-color`);
    for (const icon of head.icons) {
      const r = await p.evaluate(async (u) => {
        const res = await fetch(u);
        return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
      }, icon.href);
      assert.equal(r.status, 200, icon.href);
      assert.equal(r.type, 'image/svg+xml', icon.href);
      assert.match(r.text, /^<svg[\s>]/, `${icon.href} is an SVG`);
    }
    assert.equal(head.manifest !== null, wantManifest, `${page}: a manifest link`);
    if (!wantManifest) continue;
    const m = await p.evaluate(async (u) => {
      const res = await fetch(u);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, head.manifest);
    assert.equal(m.status, 200);
    assert.equal(m.type, 'application/manifest+json');
    const manifest = JSON.parse(m.text);
    assert.equal(new URL(manifest.start_url, head.manifest).pathname, '/m/');
    assert.equal(new URL(manifest.scope, head.manifest).pathname, '/m/');
    assert.match(manifest.name, /推客/);
    assert.ok(manifest.short_name);
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.theme_color.toLowerCase(), head.theme.toLowerCase());
    assert.ok(manifest.icons.length > 0);
    for (const icon of manifest.icons) {
      const r = await raw(new URL(icon.src, head.manifest).pathname);
      assert.equal(r.status, 200, icon.src);
      assert.equal(r.headers['content-type'], icon.type, icon.src);
      if (icon.type === 'image/png') {
        // the PNG's own size (IHDR) is the one the manifest gives
        assert.equal(r.body.subarray(1, 4).toString(), 'PNG', icon.src);
        assert.equal(`${r.body.readUInt32BE(16)}x${r.body.readUInt32BE(20)}`, icon.sizes, icon.src);
      }
    }
    assert.ok(manifest.icons.some((i) => i.sizes === '192x192') && manifest.icons.some((i) => i.sizes === '512x512'), 'icons of 192 and 512 px');
  }
  assert.deepEqual(p.errors, []);
  await p.context().close();
});

// For every visible input, select and textarea: its border's contrast with
// the colour outside it (the first ancestor with a background) and inside it
// (its own background), the lower of the two.  Checkboxes and radios are the
// browser's own drawing, not our border, and are left out.
async function inputContrasts(p) {
  return p.evaluate(() => {
    const rgba = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top, under) => ({
      r: top.r * top.a + under.r * (1 - top.a),
      g: top.g * top.a + under.g * (1 - top.a),
      b: top.b * top.a + under.b * (1 - top.a),
      a: 1,
    });
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      return layers.reduceRight((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
    };
    const lum = ({ r, g, b }) => {
      const ch = (v) => {
        v /= 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const ratio = (x, y) => {
      const [hi, lo] = [lum(x), lum(y)].sort((a, b) => b - a);
      return (hi + 0.05) / (lo + 0.05);
    };
    const hex = ({ r, g, b }) => '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (['checkbox', 'radio', 'hidden'].includes(el.type)) continue;
      const rect = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || cs.visibility === 'hidden') continue;
      const outside = el.parentElement ? backdrop(el.parentElement) : { r: 255, g: 255, b: 255, a: 1 };
      const inside = backdrop(el);
      const border = over(rgba(cs.borderTopColor), outside);
      const width = parseFloat(cs.borderTopWidth);
      out.push({
        what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}`,
        border: hex(border),
        outside: hex(outside),
        inside: hex(inside),
        width,
        ratio: width > 0 ? Math.min(ratio(border, outside), ratio(border, inside)) : 0,
      });
    }
    return out;
  });
}

function assertContrast(where, found) {
  assert.ok(found.length > 0, `${where}: no inputs found`);
  const low = found.filter((f) => !(f.ratio >= 3));
  assert.deepEqual(low, [], `${where}: input borders under 3:1 (${found.length} inputs looked at)`);
}

test('every input\'s border is at 3:1 against its surroundings: console login and dashboard, promoter login and withdraw form', async () => {
  const c = await newPage(browser);
  await c.goto(`${env.url}/`);
  await c.getByTestId('login').waitFor();
  assertContrast('console login', await inputContrasts(c));
  await shot(c, 'contrast-console-login');
  await c.getByTestId('login-key').fill(env.key);
  await c.getByTestId('login-submit').click();
  await c.locator('[data-testid="kpis"][data-ready="true"]').waitFor();
  await c.getByTestId('top-metric').waitFor();
  const dash = await inputContrasts(c);
  assert.ok(dash.some((f) => f.what.includes('range-from')), 'the date filters are looked at');
  assertContrast('console dashboard', dash);
  await c.context().close();

  const m = await newPage(browser, { width: 390, height: 844 });
  await m.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
  await m.goto(`${env.url}/m/#/withdraw`);
  await m.waitForSelector('[data-testid="login-member"]');
  assertContrast('promoter login', await inputContrasts(m));
  await m.fill('[data-testid="login-member"]', env.promoter);
  await m.fill('[data-testid="login-password"]', env.promoterPassword);
  await m.click('[data-testid="login-submit"]');
  await m.waitForSelector('[data-testid="product-card"], [data-testid="withdraw-form"]');
  await m.goto(`${env.url}/m/#/withdraw`);
  await m.waitForSelector('[data-testid="withdraw-form"]');
  const form = await inputContrasts(m);
  assert.ok(form.some((f) => f.what.includes('withdraw-amount')), 'the amount is looked at');
  assertContrast('promoter withdraw form', form);
  await shot(m, 'contrast-promoter-withdraw');
  await m.context().close();
});

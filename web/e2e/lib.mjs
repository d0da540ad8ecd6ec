// What the browser tests share: Debian's Chromium through playwright-core,
// the demo server's details (from the environment, see demo-server.sh),
// API calls for checking what a page shows, and screenshots kept as
// artifacts in web/e2e-artifacts/.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const env = {
  url: must('TUIKE_URL'),
  key: must('TUIKE_KEY'),
  viewerKey: must('TUIKE_VIEWER_KEY'),
  promoter: must('TUIKE_PROMOTER'),
  promoterPassword: must('TUIKE_PROMOTER_PASSWORD'),
  other: must('TUIKE_OTHER'),
};

function must(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: start the server with web/e2e/demo-server.sh and source its env`);
  return v;
}

export const artifacts = process.env.TUIKE_ARTIFACTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'e2e-artifacts');
mkdirSync(artifacts, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A fresh page: viewport, language, clipboard permission.  Errors in the
// page's console fail the test that calls assertNoPageErrors().
export async function newPage(browser, { width = 1366, height = 900, locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, timezoneId: 'Asia/Shanghai' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// An API call with the operator key (or a given token); the parsed answer.
export async function api(path, { method = 'GET', body, token = env.key } = {}) {
  const res = await fetch(`${env.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// "¥1,234.56" for fen, as the pages show it.
export function yuan(fen) {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

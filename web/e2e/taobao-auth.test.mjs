// The promoter page's Taobao authorization in Chromium: a second server on
// the demo database, its Taobao settings pointing at the mock union
// (tests/feeds/mock_union.py, whose authorize page agrees at once), a new
// member clicking "授权淘宝，绑定渠道ID" and coming back with its channel id.
//
//   cd web && set -a && . /tmp/X/env && node --test e2e/taobao-auth.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { env, launch, shot } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tuike = process.env.TUIKE ?? join(root, 'build', 'tuike');
const work = mkdtempSync(join(tmpdir(), 'tuike-tbauth-'));
let mock, server, url, mockUrl, browser;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(path, { method = 'GET', body, token = env.key } = {}) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  writeFileSync(join(work, 'data.json'), JSON.stringify({ keys: { taobao: ['taobao-key', 'taobao-secret'] } }));
  mock = spawn('python3', [join(root, 'tests/feeds/mock_union.py'), '--data', join(work, 'data.json'), '--port-file', join(work, 'port'), '--max-requests', '200'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(join(work, 'port')); i++) await sleep(50);
  mockUrl = `http://127.0.0.1:${readFileSync(join(work, 'port'), 'utf8').trim()}`;
  writeFileSync(
    join(work, 'c.conf'),
    [
      'taobao.app_key = taobao-key',
      'taobao.app_secret = taobao-secret',
      `taobao.url = ${mockUrl}/taobao`,
      `taobao.oauth_url = ${mockUrl}/authorize`,
      'taobao.channel_invite_code = CHAN01',
      'taobao.member_invite_code = MEMB01',
      'sync.retry_base = 5ms',
      '',
    ].join('\n'),
  );
  server = spawn(tuike, ['serve', '--listen', '127.0.0.1:0', '--config', join(work, 'c.conf'), '--web', join(root, 'web', 'dist'), '--access-log', 'off'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // a node of its own: the demo server serves the same database
    env: { ...process.env, TUIKE_NODE: 'e2e-taobao' },
  });
  url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`tuike serve exited: ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  mock?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

test('a member binds its Taobao channel id through Taobao authorization', async () => {
  const id = `tbauth${Date.now() % 1000000}`;
  assert.equal((await call('/members', { method: 'POST', body: { id } })).status, 201);
  assert.equal((await call(`/members/${id}/password`, { method: 'PUT', body: { password: 'correct horse' } })).status, 200);
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ member: id, password: 'correct horse' }) }).then((r) => r.json());
  assert.ok(login.token);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // only this server and the mock union: nothing leaves the machine
  await context.route((u) => !u.href.startsWith(url) && !u.href.startsWith(mockUrl), (route) => route.abort());
  await context.addInitScript(
    ([c]) => localStorage.setItem('tuike.credential.promoter', c),
    [JSON.stringify({ kind: 'member', token: login.token, member: id, expires: login.expires_at })],
  );
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(15000);
  await page.goto(`${url}/m/#/me`);
  const button = page.locator('[data-testid="taobao-authorize-relation_id"]');
  await button.waitFor();
  assert.equal(await page.locator('[data-testid="taobao-authorize-special_id"]').count(), 1);
  await shot(page, 'promoter-taobao-authorize');

  // the click goes to Taobao's page (the mock agrees at once), then the
  // callback, then back here with the outcome
  await button.click();
  await page.waitForURL((u) => u.href.startsWith(`${url}/m/`) && u.hash === '#/me');
  const outcome = page.locator('[data-testid="taobao-outcome"]');
  await outcome.waitFor();
  const tags = (await call(`/members/${id}/tags`)).body.tags;
  const rel = tags.find((g) => g.union === 'taobao' && g.kind === 'relation_id');
  assert.ok(rel, 'the channel id is stored');
  assert.match(await outcome.innerText(), new RegExp(`淘宝授权成功.*渠道ID.*${rel.value}`));
  await page.locator(`[data-testid="union-tag"][data-kind="relation_id"]`).waitFor();
  assert.match(await page.locator('[data-testid="union-tag"][data-kind="relation_id"]').innerText(), new RegExp(rel.value));
  // the channel is held now: only the member id is still offered
  assert.equal(await button.count(), 0);
  assert.equal(await page.locator('[data-testid="taobao-authorize-special_id"]').count(), 1);
  await shot(page, 'promoter-taobao-authorized');
  assert.deepEqual(errors, []);
  await context.close();
});

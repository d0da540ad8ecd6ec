// csv.test.mjs — console/csv.ts: a file the server made is saved with the
// server's name and its bytes as sent (GBK stays GBK), a UTF-8 byte-order
// mark put first only when asked, and a refusal turned into an ApiError.
// (Quoting, the formula guard and CRLF are the server's: tests/core/test_csv_cell.c.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './load.mjs';

const { downloadFile } = load('console/csv.js');
const { ApiError } = load('lib/api.js');

// fetch, <a download> and object URLs, recorded
function browser(response) {
  const seen = { requests: [], saved: [] };
  globalThis.fetch = async (url, init) => {
    seen.requests.push({ url, headers: init.headers });
    return response();
  };
  globalThis.URL.createObjectURL = (blob) => {
    seen.blob = blob;
    return 'blob:test';
  };
  globalThis.URL.revokeObjectURL = () => {};
  globalThis.document.body = { appendChild: () => {} };
  globalThis.document.createElement = () => {
    const a = { click: () => seen.saved.push({ href: a.href, download: a.download }), remove: () => {} };
    return a;
  };
  return seen;
}

const bytes = async (blob) => [...new Uint8Array(await blob.arrayBuffer())];

test('the server file is saved under its name, bytes unchanged', async () => {
  const gbk = new Uint8Array([0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x27, 0x3d, 0x31, 0x0d, 0x0a]); // 张三,'=1\r\n
  const seen = browser(() => new Response(gbk, { headers: { 'Content-Type': 'text/csv; charset=GBK', 'Content-Disposition': 'attachment; filename="payout-2026-12-06.csv"' } }));
  const name = await downloadFile('/withdrawals/payout.csv', { format: 'alipay' }, 'fallback.csv');
  assert.equal(name, 'payout-2026-12-06.csv');
  assert.equal(seen.requests[0].url, '/api/v1/withdrawals/payout.csv?format=alipay');
  assert.equal(seen.requests[0].headers.Accept, 'text/csv');
  assert.deepEqual(seen.saved, [{ href: 'blob:test', download: 'payout-2026-12-06.csv' }]);
  assert.deepEqual(await bytes(seen.blob), [...gbk]);
});

test('bom: a UTF-8 byte-order mark first, then the bytes with their CRLF', async () => {
  const body = 'when,what\r\n2026-12-06,"a ""quoted"" cell"\r\n';
  const seen = browser(() => new Response(body, { headers: { 'Content-Type': 'text/csv; charset=utf-8' } }));
  const name = await downloadFile('/actions.csv', {}, 'actions-2026-12-06.csv', true);
  assert.equal(name, 'actions-2026-12-06.csv'); // no Content-Disposition: the fallback
  const got = await bytes(seen.blob);
  assert.deepEqual(got.slice(0, 3), [0xef, 0xbb, 0xbf]);
  assert.equal(Buffer.from(got.slice(3)).toString('utf8'), body);
  assert.equal(got.filter((b) => b === 0xef).length, 1); // one mark, not two
});

test('a refusal is an ApiError with the server code and field', async () => {
  const seen = browser(
    () => new Response(JSON.stringify({ error: { code: 'forbidden', message: 'role finance needed', field: 'role' } }), { status: 403, headers: { 'Content-Type': 'application/json' } }),
  );
  await assert.rejects(downloadFile('/withdrawals/payout.csv', {}, 'x.csv'), (e) => e instanceof ApiError && e.status === 403 && e.code === 'forbidden' && e.field === 'role');
  assert.equal(seen.saved.length, 0);
});

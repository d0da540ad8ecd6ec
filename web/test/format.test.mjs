// format.test.mjs — lib/format.ts: fen shown as yuan with separators and
// back, exactly (no floating point on the way), and the one date format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './load.mjs';

const { yuan, parseYuan, date, dateTime, shortDay } = load('lib/format.js');
const { setLang } = load('lib/i18n.js');

// the money ceiling of the engine (src/core/money.h: TK_MONEY_MAX fen)
const MONEY_MAX = 100_000_000_000_000;

test('yuan: fen to ¥ with thousands separators', () => {
  assert.equal(yuan(0), '¥0.00');
  assert.equal(yuan(1), '¥0.01');
  assert.equal(yuan(10), '¥0.10');
  assert.equal(yuan(123456), '¥1,234.56');
  assert.equal(yuan(100000000), '¥1,000,000.00');
  assert.equal(yuan(-123456), '-¥1,234.56');
  assert.equal(yuan(-5), '-¥0.05');
  assert.equal(yuan(123456, { sign: true }), '+¥1,234.56');
  assert.equal(yuan(0, { sign: true }), '¥0.00');
  assert.equal(yuan(123456, { symbol: false }), '1,234.56');
});

test('yuan: large amounts up to the money maximum stay exact', () => {
  assert.equal(yuan(MONEY_MAX), '¥1,000,000,000,000.00');
  assert.equal(yuan(MONEY_MAX - 1), '¥999,999,999,999.99');
  assert.equal(yuan(-(MONEY_MAX - 1)), '-¥999,999,999,999.99');
  // where a float of yuan would print 90071992547409.9 or worse
  assert.equal(yuan(Number.MAX_SAFE_INTEGER), '¥90,071,992,547,409.91');
});

test('yuan: no amount is a dash', () => {
  assert.equal(yuan(null), '—');
  assert.equal(yuan(undefined), '—');
  assert.equal(yuan(Number.NaN), '—');
  assert.equal(yuan(Infinity), '—');
});

test('parseYuan: yuan as typed to fen, exactly', () => {
  assert.equal(parseYuan('12.34'), 1234);
  assert.equal(parseYuan('12'), 1200);
  assert.equal(parseYuan('12.3'), 1230);
  assert.equal(parseYuan('0.01'), 1);
  assert.equal(parseYuan(' 1,234.56 '), 123456);
  assert.equal(parseYuan('¥8.88'), 888);
  assert.equal(parseYuan('￥0.29'), 29); // 0.29 * 100 is 28.999999999999996 as a float
  assert.equal(parseYuan('1.13'), 113); // 112.99999999999999 as a float
  assert.equal(parseYuan('999999999999.99'), 99999999999999);
});

test('parseYuan: refuses what is not an amount', () => {
  for (const s of ['', ' ', 'abc', '-1', '+1', '1.234', '1e3', '1.', '.5', '0x10', '1 2', '1000000000000', 'NaN']) assert.equal(parseYuan(s), null, JSON.stringify(s));
});

test('date and dateTime: one format, YYYY-MM-DD HH:mm in both languages', () => {
  assert.equal(shortDay('2026-11-03'), '11-03');
  // the runner sets TZ=Asia/Shanghai: the viewer's zone, +08:00
  for (const l of ['zh', 'en']) {
    setLang(l);
    assert.equal(dateTime('2026-11-03T06:05:09Z'), '2026-11-03 14:05', l);
    assert.equal(dateTime('2026-12-31T16:00:00Z'), '2027-01-01 00:00', l);
    assert.equal(date('2026-11-03T20:00:00Z'), '2026-11-04', l);
    assert.equal(date('2026-11-03'), '2026-11-03', l);
    assert.equal(dateTime(null), '—');
    assert.equal(date(''), '—');
    assert.equal(dateTime('not a date'), 'not a date');
  }
});

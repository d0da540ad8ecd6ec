// messages.test.mjs — every page's tables: each key in both languages,
// none empty.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './load.mjs';

const i18n = load('lib/i18n.js');
const tables = [];
i18n.addMessages = (zh, en) => (tables.push({ zh, en }), en);
// the console's [中文, English] tables go through addPairs
i18n.addPairs = (pairs) => {
  const side = (i) => Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, v[i]]));
  tables.push({ zh: side(0), en: side(1) });
};

for (const page of ['console/messages.js', 'console/groups-messages.js', 'console/member-list-messages.js', 'console/plans-messages.js', 'promoter/messages.js', 'promoter/groups-messages.js']) {
  test(`${page}: the same keys in both languages, none empty`, () => {
    const before = tables.length;
    load(page);
    assert.equal(tables.length, before + 1, 'it adds one table');
    const { zh, en } = tables.at(-1);
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) {
      assert.ok(typeof v === 'string' && v.trim() !== '', `en ${k}`);
      assert.ok(typeof zh[k] === 'string' && zh[k].trim() !== '', `zh ${k}`);
    }
  });
}

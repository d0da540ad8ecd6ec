// load.mjs — the unit tests' way to a compiled web module (see
// scripts/unit.mjs), with the few browser globals they touch stubbed.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dir = process.env.TUIKE_WEB_UNIT;
if (!dir) throw new Error('run the unit tests with `npm run test:unit`');

const store = new Map();
globalThis.localStorage ??= {
  getItem: (k) => store.get(k) ?? null,
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
globalThis.document ??= { documentElement: {} };

const require = createRequire(import.meta.url);
export const load = (path) => require(join(dir, path));

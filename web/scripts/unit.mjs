// unit.mjs — `npm run test:unit`: the web code's unit tests (test/*.test.mjs)
// under `node --test`.  Node 20 cannot strip TypeScript, so the modules
// under test are first compiled with the project's tsc to CommonJS in a
// temp dir, which the tests load from TUIKE_WEB_UNIT.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const web = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'tuike-web-unit-'));
// the modules the tests load (and what they import)
const sources = [
  'src/lib/format.ts',
  'src/console/chart-tooltip.ts',
  'src/lib/i18n.ts',
  'src/console/csv.ts',
  'src/console/messages.ts',
  'src/console/groups-messages.ts',
  'src/console/member-list-messages.ts',
  'src/console/plans-messages.ts',
  'src/promoter/messages.ts',
  'src/promoter/groups-messages.ts',
];
const config = {
  compilerOptions: {
    target: 'ES2022',
    module: 'CommonJS',
    moduleResolution: 'node10',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    strict: true,
    skipLibCheck: true,
    types: [],
    rootDir: join(web, 'src'),
    outDir: join(out, 'src'),
  },
  files: sources.map((s) => join(web, s)),
};
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(config));
writeFileSync(join(out, 'package.json'), '{"type": "commonjs"}\n');
let rc = 1;
try {
  const tsc = spawnSync(process.execPath, [join(web, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('tsc failed');
  const tests = readdirSync(join(web, 'test'))
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => join(web, 'test', f));
  const run = spawnSync(process.execPath, ['--test', ...tests], { stdio: 'inherit', env: { ...process.env, TUIKE_WEB_UNIT: join(out, 'src'), TZ: 'Asia/Shanghai' } });
  rc = run.status ?? 1;
} catch (e) {
  console.error(`unit.mjs: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(rc);

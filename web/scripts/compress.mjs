// compress.mjs — after `vite build`: writes a brotli (.br, quality 11) and a
// gzip (.gz, level 9) twin beside each text file of web/dist over 1 KB, so
// that `tuike serve` answers compressed without compressing per request.
// node:zlib only; a twin no smaller than its file is not kept.
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
const MIN_BYTES = 1024; // below this the headers cost more than is saved

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let before = 0, afterBr = 0, count = 0;
for (const path of [...files(dist)]) {
  // a twin left by an earlier run is rewritten from its file, or dropped
  if (/\.(br|gz)$/.test(path)) { unlinkSync(path); continue; }
  if (!TEXT.test(path)) continue;
  const data = readFileSync(path);
  if (data.length < MIN_BYTES) continue;
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  if (br.length < data.length) writeFileSync(path + '.br', br);
  if (gz.length < data.length) writeFileSync(path + '.gz', gz);
  before += data.length;
  afterBr += Math.min(br.length, data.length);
  count++;
}
console.log(`compress: ${count} files under ${relative(process.cwd(), dist) || '.'}, ${before} bytes, ${afterBr} as brotli`);

// icons.mjs — after `vite build`: draws the promoter page's app icons,
// dist/m/icon-192.png and icon-512.png, for the web manifest (launchers that
// take no SVG).  The mark is public/favicon.svg's — a rounded red square and
// a white arrow of three round-capped strokes — drawn here by coverage with
// 4×4 samples a pixel and written as PNG with node:zlib: no image library.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

// favicon.svg, in its 64-unit viewBox: keep the two in step
const RED = [0xe0, 0x30, 0x1e];
const RADIUS = 14; // rect rx
const HALF_STROKE = 3.5; // stroke-width 7
const STROKES = [
  [19, 45, 43, 21],
  [25, 19, 45, 19],
  [45, 19, 45, 39],
];

function inRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), 64 - RADIUS);
  const cy = Math.min(Math.max(y, RADIUS), 64 - RADIUS);
  return x >= 0 && y >= 0 && x <= 64 && y <= 64 && (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

function onStroke(x, y) {
  for (const [ax, ay, bx, by] of STROKES) {
    const dx = bx - ax, dy = by - ay;
    const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= HALF_STROKE ** 2) return true;
  }
  return false;
}

function draw(size) {
  const N = 4;
  const rows = Buffer.alloc(size * (1 + 4 * size)); // each row: filter byte 0, then RGBA
  for (let py = 0; py < size; py++) {
    const row = py * (1 + 4 * size);
    for (let px = 0; px < size; px++) {
      let square = 0, white = 0;
      for (let sy = 0; sy < N; sy++)
        for (let sx = 0; sx < N; sx++) {
          const x = ((px + (sx + 0.5) / N) * 64) / size, y = ((py + (sy + 0.5) / N) * 64) / size;
          if (!inRoundedSquare(x, y)) continue;
          square++;
          if (onStroke(x, y)) white++;
        }
      const o = row + 1 + 4 * px;
      if (square === 0) continue; // transparent
      for (let c = 0; c < 3; c++) rows[o + c] = Math.round((RED[c] * (square - white) + 255 * white) / square);
      rows[o + 3] = Math.round((255 * square) / (N * N));
    }
  }
  return png(size, size, rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(width, height, rows) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(join(dist, 'm'), { recursive: true });
for (const size of [192, 512]) writeFileSync(join(dist, 'm', `icon-${size}.png`), draw(size));

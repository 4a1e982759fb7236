#!/usr/bin/env node
// Draws the app icons (public/icons/*.png) with plain node: a shoebox with photos in it. No image libraries, no
// network; the output is deterministic, so the PNGs are committed and this only reruns when the design changes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'public/icons');
const BG = '#1f2937'; // the manifest's theme_color

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)).concat(255);

// Shapes in unit coordinates (0..1 across the icon). Each answers "is this point inside?".
function roundRect(cx, cy, w, h, r, angleDeg = 0) {
  const a = (-angleDeg * Math.PI) / 180, cos = Math.cos(a), sin = Math.sin(a);
  return (x, y) => {
    const dx = x - cx, dy = y - cy;
    const lx = Math.abs(dx * cos - dy * sin) - (w / 2 - r), ly = Math.abs(dx * sin + dy * cos) - (h / 2 - r);
    return Math.hypot(Math.max(lx, 0), Math.max(ly, 0)) + Math.min(Math.max(lx, ly), 0) <= r;
  };
}
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const and = (a, b) => (x, y) => a(x, y) && b(x, y);

/** A tilted photo: white border, sky, sun and a green hill. */
function photo(cx, cy, angle, sky) {
  const card = roundRect(cx, cy, 0.34, 0.27, 0.02, angle);
  const inner = roundRect(cx, cy, 0.3, 0.23, 0.01, angle);
  const a = (angle * Math.PI) / 180;
  const at = (u, v) => [cx + u * Math.cos(a) - v * Math.sin(a), cy + u * Math.sin(a) + v * Math.cos(a)];
  return [
    [card, hex('#f9fafb')],
    [inner, hex(sky)],
    [and(inner, circle(...at(0.08, -0.05), 0.03)), hex('#fde047')],
    [and(inner, circle(...at(-0.04, 0.2), 0.19)), hex('#22c55e')],
  ];
}

const content = [
  ...photo(0.6, 0.36, 12, '#7dd3fc'),
  ...photo(0.41, 0.34, -9, '#60a5fa'),
  [roundRect(0.5, 0.69, 0.64, 0.32, 0.03), hex('#f59e0b')], // box
  [roundRect(0.5, 0.53, 0.72, 0.08, 0.02), hex('#d97706')], // rim
  [roundRect(0.5, 0.7, 0.2, 0.08, 0.015), hex('#fef3c7')], // label
];

/** Renders at size px; content scaled about the centre (maskable icons keep it inside the 80% safe circle). */
function render(size, { maskable }) {
  const scale = maskable ? 0.78 : 0.9;
  const bg = maskable ? () => true : roundRect(0.5, 0.5, 1, 1, 0.22);
  const SS = 4; // 4×4 samples a pixel for smooth edges
  const px = Buffer.alloc(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const acc = [0, 0, 0, 0];
      for (let sj = 0; sj < SS; sj++) {
        for (let si = 0; si < SS; si++) {
          const x = (i + (si + 0.5) / SS) / size, y = (j + (sj + 0.5) / SS) / size;
          let c = bg(x, y) ? hex(BG) : [0, 0, 0, 0];
          const cx = (x - 0.5) / scale + 0.5, cy = (y - 0.5) / scale + 0.5;
          if (c[3]) for (const [inside, color] of content) if (inside(cx, cy)) c = color;
          // Premultiplied, so transparent samples do not darken the edge.
          acc[0] += (c[0] * c[3]) / 255; acc[1] += (c[1] * c[3]) / 255; acc[2] += (c[2] * c[3]) / 255; acc[3] += c[3];
        }
      }
      const n = SS * SS, a = acc[3] / n, o = (j * size + i) * 4;
      px[o + 3] = Math.round(a);
      for (let k = 0; k < 3; k++) px[o + k] = a ? Math.round(((acc[k] / n) * 255) / a) : 0;
    }
  }
  return png(size, size, px);
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4), crc = Buffer.alloc(4), td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  len.writeUInt32BE(data.length);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** An 8-bit RGBA PNG. */
function png(w, h, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4); // filter byte 0
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync(out, { recursive: true });
const icons = {
  'icon-192.png': render(192, { maskable: false }),
  'icon-512.png': render(512, { maskable: false }),
  'maskable-512.png': render(512, { maskable: true }),
  'apple-touch-icon-180.png': render(180, { maskable: true }), // iOS rounds the corners itself and shows no transparency
  'favicon-32.png': render(32, { maskable: false }),
};
for (const [name, buf] of Object.entries(icons)) {
  writeFileSync(join(out, name), buf);
  console.log(`${name}: ${buf.length} bytes`);
}

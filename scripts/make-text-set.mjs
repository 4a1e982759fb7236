#!/usr/bin/env node
// The rendered text set for the text-in-photos eval and bench: words drawn by headless Chromium in several fonts,
// sizes and angles, on plain, gradient and busy backgrounds (../shared/photos). Deterministic (seeded); written to
// test/.tmp/text-set/ (ignored) with truth.json: { file: [words] }. Nothing here is committed but the script.
//   node scripts/make-text-set.mjs [--count 60] [--plain 30] [--out DIR] [--fixture]
// --plain N adds N of the shared photos as they are (words []): what photos without text cost, and false hits.
// --fixture also writes the unit tests' small BMP (test/unit/fixtures/text/espresso.bmp).
import { chromium } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const count = Number(arg('count', 60));
const out = arg('out', join(root, 'test/.tmp/text-set'));
const fixture = process.argv.includes('--fixture');
const plain = Number(arg('plain', 30));

const WORDS = `espresso exit total street garden market bakery coffee station museum library harbour closed
open monday friday sunday ticket platform parking office hotel pharmacy bridge avenue river north south
welcome danger caution private entrance receipt invoice amount cash change thank visit again table window
summer winter autumn spring ocean forest mountain valley pizza pasta salad bread butter cheese orange lemon
apple banana cherry grape mango tomato pepper garlic onion potato carrot chicken salmon dinner lunch breakfast
menu price sale discount free today night morning evening hours delivery bicycle train airport terminal gate
flight police hospital school college theatre cinema concert festival gallery castle tower square central
green yellow purple silver golden happy birthday holiday travel journey history science nature animal`
  .split(/\s+/)
  .filter(Boolean);
const SHORT = ['bus', 'tea', 'car', 'inn', 'art', 'map', 'sun', 'sky', 'no', 'to'];
const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'DejaVu Sans Condensed', 'DejaVu Sans Light'];

// mulberry32
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shared = join(root, '../shared/photos');
const photoDirs = [shared, join(shared, 'imagenet-dev')].filter(existsSync);
const photos = photoDirs.flatMap((d) => readdirSync(d).filter((f) => /\.(jpe?g|png)$/i.test(f)).map((f) => join(d, f)));

const random = rng(15);
const pick = (a) => a[Math.floor(random() * a.length)];
const specs = [];
for (let i = 0; i < count; i++) {
  const kind = i % 3 === 0 ? 'plain' : i % 3 === 1 ? 'gradient' : 'photo';
  const lines = [];
  const nLines = 1 + Math.floor(random() * 3);
  for (let l = 0; l < nLines; l++) {
    const n = 1 + Math.floor(random() * 3);
    lines.push(Array.from({ length: n }, () => (random() < 0.12 ? pick(SHORT) : pick(WORDS))));
  }
  specs.push({
    file: `text-${String(i).padStart(3, '0')}.jpg`,
    kind,
    width: 800 + Math.floor(random() * 5) * 100,
    height: 600 + Math.floor(random() * 4) * 100,
    photo: kind === 'photo' && photos.length ? pick(photos) : null,
    font: FONTS[i % FONTS.length],
    weight: random() < 0.3 ? 'bold' : 'normal',
    style: random() < 0.15 ? 'italic' : 'normal',
    // Text height in px on the image; the eval reports recall by size.
    size: [18, 24, 32, 44, 60][Math.floor(random() * 5)],
    angle: random() < 0.4 ? 0 : Math.round((random() * 30 - 15) * 10) / 10,
    upper: random() < 0.3,
    lines,
    hue: Math.floor(random() * 360),
    // Where the block sits, as fractions of the room left around it.
    jx: random() - 0.5,
    jy: random() - 0.5,
  });
}

for (let i = 0; i < plain && photos.length; i++) {
  specs.push({ file: `none-${String(i).padStart(3, '0')}.jpg`, kind: 'none', width: 1024, height: 768, photo: pick(photos), lines: [], font: FONTS[0], size: 0, angle: 0, weight: 'normal', style: 'normal', upper: false, hue: 0, jx: 0, jy: 0 });
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.setContent('<html><body></body></html>');
mkdirSync(out, { recursive: true });
const truth = {};
for (const s of specs) {
  const photo = s.photo ? `data:image/${extname(s.photo).slice(1).toLowerCase().replace('jpg', 'jpeg')};base64,${readFileSync(s.photo).toString('base64')}` : null;
  const dataUrl = await page.evaluate(async ({ s, photo }) => {
    const c = document.createElement('canvas');
    c.width = s.width;
    c.height = s.height;
    const g = c.getContext('2d');
    if (s.kind === 'plain') {
      g.fillStyle = `hsl(${s.hue} 30% 92%)`;
      g.fillRect(0, 0, c.width, c.height);
    } else if (s.kind === 'gradient') {
      const grad = g.createLinearGradient(0, 0, c.width, c.height);
      grad.addColorStop(0, `hsl(${s.hue} 60% 25%)`);
      grad.addColorStop(1, `hsl(${(s.hue + 120) % 360} 60% 45%)`);
      g.fillStyle = grad;
      g.fillRect(0, 0, c.width, c.height);
    } else if (photo) {
      // Busy background, or a photo left as it is (kind 'none').
      const img = new Image();
      img.src = photo;
      await img.decode();
      g.drawImage(img, 0, 0, c.width, c.height);
    }
    const dark = s.kind === 'plain';
    g.font = `${s.style} ${s.weight} ${s.size}px "${s.font}"`;
    g.textBaseline = 'middle';
    const texts = s.lines.map((l) => l.join(' ')).map((t) => (s.upper ? t.toUpperCase() : t));
    const lineH = s.size * 1.6;
    const widest = Math.max(...texts.map((t) => g.measureText(t).width));
    const cx = c.width / 2 + s.jx * Math.max(0, c.width - widest - 80) * 0.5;
    const cy = c.height / 2 + s.jy * Math.max(0, c.height - lineH * texts.length - 80) * 0.5;
    g.translate(cx, cy);
    g.rotate((s.angle * Math.PI) / 180);
    texts.forEach((t, i) => {
      const y = (i - (texts.length - 1) / 2) * lineH;
      const x = -widest / 2;
      if (!dark) {
        // Light text with a dark outline, as on signs and captions over busy scenes.
        g.lineWidth = Math.max(2, s.size / 10);
        g.strokeStyle = 'rgba(0,0,0,0.85)';
        g.strokeText(t, x, y);
        g.fillStyle = '#fff';
      } else g.fillStyle = `hsl(${s.hue} 50% 15%)`;
      g.fillText(t, x, y);
    });
    return c.toDataURL('image/jpeg', 0.9);
  }, { s, photo });
  writeFileSync(join(out, s.file), Buffer.from(dataUrl.split(',')[1], 'base64'));
  truth[s.file] = { words: s.lines.flat(), font: s.font, size: s.size, angle: s.angle, kind: s.kind };
}
writeFileSync(join(out, 'truth.json'), JSON.stringify(truth, null, 1));

if (fixture) {
  // A receipt line for the unit tests, as a 24-bit BMP (Node has no image decoder).
  const rgba = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 96;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = '#111';
    g.font = '28px "DejaVu Sans"';
    g.textBaseline = 'middle';
    g.fillText('ESPRESSO 2.50', 24, 30);
    g.font = '22px "DejaVu Serif"';
    g.fillText('Thank you', 24, 70);
    return Array.from(g.getImageData(0, 0, c.width, c.height).data);
  });
  const [w, h] = [320, 96];
  const stride = Math.ceil((w * 3) / 4) * 4;
  const b = Buffer.alloc(54 + stride * h);
  b.write('BM', 0);
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(stride * h, 34);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = 54 + (h - 1 - y) * stride + x * 3;
      const i = (y * w + x) * 4;
      b[o] = rgba[i + 2];
      b[o + 1] = rgba[i + 1];
      b[o + 2] = rgba[i];
    }
  mkdirSync(join(root, 'test/unit/fixtures/text'), { recursive: true });
  writeFileSync(join(root, 'test/unit/fixtures/text/espresso.bmp'), b);
}
await browser.close();
console.log(`[text-set] ${specs.length} images in ${out}${fixture ? ', fixture written' : ''}`);

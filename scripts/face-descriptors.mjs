#!/usr/bin/env node
/**
 * Writes test/fixtures/faceDescriptors.json: real face-api descriptors for clustering tests and tuning.
 *
 * Runs the app's own engine (the production build, WASM backend) in Chromium through
 * `window.shoebox.pool.analyze`, on face-api's demo photos, face.jpg and grace_hopper.bmp, and on rescaled,
 * re-encoded, cropped, darkened and mirrored copies of them. Every detected face is mapped back to the source photo's
 * pixels and labelled with the source face it overlaps, so copies of one face share an identity.
 *
 *   npm run build && node scripts/face-descriptors.mjs [--sheet /tmp/faces.png]
 *
 * --sheet writes a contact sheet of the source faces with their identity labels, to check by eye which
 * faces in different photos are the same person (recorded in SAME_PERSON below).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.E2E_PORT ?? 4199);
const out = join(root, 'test/fixtures/faceDescriptors.json');
const sheetArg = process.argv.indexOf('--sheet');
const sheetPath = sheetArg > 0 ? process.argv[sheetArg + 1] : null;

const SOURCES = [
  'faceapi/sample1.jpg', 'faceapi/sample2.jpg', 'faceapi/sample3.jpg',
  'faceapi/sample4.jpg', 'faceapi/sample5.jpg', 'faceapi/sample6.jpg',
  'shared/face.jpg', 'shared/grace_hopper.bmp',
];

/** Whole-photo copies; `crop` is the share cut from every side. */
const VARIANTS = {
  original: null,
  small: { scale: 0.5, quality: 0.7 },
  large: { scale: 1.5, quality: 0.9 },
  crop: { crop: 0.08 },
  mirror: { mirror: true },
  dark: { filter: 'brightness(0.65) contrast(1.15)', quality: 0.85 },
};
/** Plus, per source face, a portrait crop: the box grown by this share of its size on every side. */
const PORTRAIT_MARGIN = 0.8;

/**
 * Faces in different source photos that are one person, checked by eye on the contact sheet
 * (identities are "<source>#<n>", faces numbered left to right). Empty: no one appears twice.
 */
const SAME_PERSON = [];

function serve() {
  const child = spawn(join(root, 'node_modules/.bin/vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: root,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/`;
  return new Promise((resolveUrl, reject) => {
    child.on('exit', (code) => reject(new Error(`vite preview exited with ${code} (run npm run build first)`)));
    const poll = () =>
      fetch(url).then(
        () => resolveUrl({ child, url }),
        () => setTimeout(poll, 200),
      );
    poll();
  });
}

const iou = (a, b) => {
  const x1 = Math.max(a[0], b[0]), y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]), y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
};

const { child, url } = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`${url}?backend=wasm&workers=2`);
  await page.waitForFunction(() => window.shoebox?.pool);
  await page.evaluate(() => window.shoebox.pool.start());

  // Runs in the page: transform a photo with a canvas, analyse it, and return faces in source pixels.
  const analyze = (rel, t) =>
    page.evaluate(
      async ([rel, t]) => {
        const blob = window.__src[rel];
        let input = blob;
        let map = (box) => box;
        if (t) {
          const bmp = await createImageBitmap(blob);
          const { scale = 1, quality = 0.92, crop = 0, mirror = false, filter = 'none', rect } = t;
          const [sx, sy, sw, sh] = rect ?? [bmp.width * crop, bmp.height * crop, bmp.width * (1 - 2 * crop), bmp.height * (1 - 2 * crop)];
          const c = new OffscreenCanvas(Math.round(sw * scale), Math.round(sh * scale));
          const ctx = c.getContext('2d');
          ctx.filter = filter;
          if (mirror) ctx.setTransform(-1, 0, 0, 1, c.width, 0);
          ctx.drawImage(bmp, sx, sy, sw, sh, 0, 0, c.width, c.height);
          input = await c.convertToBlob({ type: 'image/jpeg', quality });
          const kx = sw / c.width, ky = sh / c.height;
          map = ([x, y, w, h]) => [sx + (mirror ? c.width - x - w : x) * kx, sy + y * ky, w * kx, h * ky];
        }
        const a = await window.shoebox.pool.analyze(input, rel);
        return {
          width: a.width,
          height: a.height,
          faces: a.faces.map((f) => ({ box: map(f.box), score: f.score, descriptor: Array.from(f.descriptor) })),
        };
      },
      [rel, t],
    );

  for (const rel of SOURCES) {
    const b64 = readFileSync(join(root, 'test/photos', rel)).toString('base64');
    await page.evaluate(([rel, b64]) => {
      window.__src ??= {};
      window.__src[rel] = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
    }, [rel, b64]);
  }

  const faces = [];
  const round = (x) => Math.round(x * 1e5) / 1e5;
  const push = (source, variant, identity, f) =>
    faces.push({ source, variant, identity, score: round(f.score), box: f.box.map((v) => Math.round(v)), descriptor: f.descriptor.map(round) });

  const sourceFaces = {};
  for (const rel of SOURCES) {
    const orig = await analyze(rel, null);
    const own = orig.faces.slice().sort((a, b) => a.box[0] - b.box[0]);
    sourceFaces[rel] = own;
    own.forEach((f, i) => push(rel, 'original', `${rel}#${i}`, f));
    const label = (box) => {
      let best = -1, bestIou = 0.3;
      own.forEach((f, i) => {
        const o = iou(f.box, box);
        if (o > bestIou) [best, bestIou] = [i, o];
      });
      return best < 0 ? null : `${rel}#${best}`;
    };
    for (const [name, t] of Object.entries(VARIANTS)) {
      if (!t) continue;
      for (const f of (await analyze(rel, t)).faces) push(rel, name, label(f.box), f);
    }
    for (const [i, f] of own.entries()) {
      const [x, y, w, h] = f.box;
      const m = PORTRAIT_MARGIN;
      const x0 = Math.max(0, x - m * w), y0 = Math.max(0, y - m * h);
      const rect = [x0, y0, Math.min(orig.width, x + w + m * w) - x0, Math.min(orig.height, y + h + m * h) - y0];
      for (const g of (await analyze(rel, { rect })).faces) {
        const id = label(g.box);
        push(rel, 'portrait', id, g);
        if (id !== `${rel}#${i}`) console.warn(`portrait of ${rel}#${i} also holds ${id ?? 'an unknown face'}`);
      }
    }
    console.log(rel, own.length, 'faces;', faces.length, 'so far');
  }

  // Faces that are one person across photos share the first one's identity.
  for (const group of SAME_PERSON) for (const f of faces) if (group.includes(f.identity)) f.identity = group[0];

  if (sheetPath) {
    const png = await page.evaluate(async (sourceFaces) => {
      const cell = 160;
      const all = Object.entries(sourceFaces).flatMap(([rel, fs]) => fs.map((f, i) => ({ rel, i, box: f.box })));
      const cols = 8;
      const c = new OffscreenCanvas(cols * cell, Math.ceil(all.length / cols) * (cell + 20));
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, c.width, c.height);
      for (const [k, f] of all.entries()) {
        const bmp = await createImageBitmap(window.__src[f.rel]);
        const [x, y, w, h] = f.box;
        const px = (k % cols) * cell, py = Math.floor(k / cols) * (cell + 20);
        ctx.drawImage(bmp, x - w * 0.2, y - h * 0.2, w * 1.4, h * 1.4, px, py, cell, cell);
        ctx.fillStyle = '#000';
        ctx.font = '12px sans-serif';
        ctx.fillText(`${f.rel.split('/')[1]}#${f.i}`, px + 4, py + cell + 14);
      }
      const blob = await c.convertToBlob({ type: 'image/png' });
      return new Promise((done) => {
        const r = new FileReader();
        r.onload = () => done(String(r.result).split(',')[1]);
        r.readAsDataURL(blob);
      });
    }, sourceFaces);
    writeFileSync(sheetPath, Buffer.from(png, 'base64'));
    console.log('contact sheet:', sheetPath);
  }

  const info = await page.evaluate(() => window.shoebox.engine ?? window.shoebox.pool.start());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({
      generatedBy: 'scripts/face-descriptors.mjs',
      backend: info.backend,
      variants: { ...VARIANTS, portrait: { margin: PORTRAIT_MARGIN } },
      faces,
    }).replace(/\},\{"source"/g, '},\n{"source"') + '\n',
  );
  console.log(`${faces.length} faces → ${out}`);
} finally {
  await browser.close();
  child.kill();
}

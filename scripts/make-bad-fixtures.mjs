#!/usr/bin/env node
// Builds test/fixtures/bad/: the messy folder of issue 8, made from the real test photos (copies, truncated,
// re-encoded). Nothing here is committed; the e2e spec calls makeBadFixtures() with its own app page, and
// `node scripts/make-bad-fixtures.mjs` (after `npm run build`) starts a preview server and Chromium itself.
//
// Pixels come from Chromium (createImageBitmap + OffscreenCanvas); formats Chromium cannot write (16-bit PNG,
// CMYK JPEG, animated GIF, EXIF) are written here in Node. No npm package or Debian package ships a CMYK JPEG
// or a real HEIC sample, so the CMYK JPEG comes from the small baseline encoder below and the HEIC is an
// ISO-BMFF 'ftyp heic' header with no picture, named as such.
import { deflateSync, crc32 } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import gifenc from 'gifenc';

const { GIFEncoder } = gifenc;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PHOTOS = join(root, 'test/photos');
export const BAD_DIR = join(root, 'test/fixtures/bad');

function photo(rel) {
  const p = join(PHOTOS, rel);
  if (!existsSync(p)) throw new Error(`Missing test photo ${rel}: run 'npm run models' first`);
  return readFileSync(p);
}

// ── PNG ────────────────────────────────────────────────────

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** RGB PNG, 8 or 16 bits per sample, from RGBA8 pixels (16-bit samples are v × 257, i.e. full-range). */
export function writePng(rgba, width, height, bitDepth = 8) {
  const bps = bitDepth / 8;
  const stride = width * 3 * bps;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const v = rgba[(y * width + x) * 4 + c];
        const at = row + 1 + (x * 3 + c) * bps;
        if (bps === 2) raw.writeUInt16BE(v * 257, at);
        else raw[at] = v;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The same PNG with one bit of the first IDAT chunk's CRC flipped. */
export function breakPngCrc(png) {
  const out = Buffer.from(png);
  let at = 8;
  while (at < out.length) {
    const len = out.readUInt32BE(at);
    const type = out.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') {
      out[at + 8 + len] ^= 0x01;
      return out;
    }
    at += 12 + len;
  }
  throw new Error('no IDAT chunk');
}

// ── EXIF ───────────────────────────────────────────────────

/** An APP1 Exif segment (big-endian TIFF) with Orientation and, optionally, Make and Model strings. */
export function exifSegment({ orientation, make, model }) {
  const entries = [];
  const extra = [];
  const ascii = (tag, s) => entries.push({ tag, type: 2, count: Buffer.byteLength(s) + 1, data: Buffer.concat([Buffer.from(s), Buffer.alloc(1)]) });
  if (make) ascii(0x010f, make);
  if (model) ascii(0x0110, model);
  if (orientation) entries.push({ tag: 0x0112, type: 3, count: 1, data: Buffer.from([orientation >> 8, orientation & 0xff, 0, 0]) });
  entries.sort((a, b) => a.tag - b.tag);
  const ifdSize = 2 + entries.length * 12 + 4;
  let dataAt = 8 + ifdSize;
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16BE(entries.length, 0);
  entries.forEach((e, i) => {
    const o = 2 + i * 12;
    ifd.writeUInt16BE(e.tag, o);
    ifd.writeUInt16BE(e.type, o + 2);
    ifd.writeUInt32BE(e.count, o + 4);
    if (e.data.length <= 4) e.data.copy(ifd, o + 8);
    else {
      ifd.writeUInt32BE(dataAt, o + 8);
      extra.push(e.data);
      dataAt += e.data.length;
    }
  });
  const tiff = Buffer.concat([Buffer.from('MM\0*\0\0\0\x08', 'latin1'), ifd, ...extra]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** Inserts a segment after SOI (and after a JFIF APP0, which must come first). */
export function insertSegment(jpeg, segment) {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, at), segment, jpeg.subarray(at)]);
}

// ── CMYK JPEG ──────────────────────────────────────────────

const ZIGZAG = (() => {
  const order = [];
  for (let s = 0; s < 15; s++) {
    const cells = [];
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) if (x + y === s) cells.push(y * 8 + x);
    // Odd diagonals run top-right to bottom-left; even ones bottom-left to top-right.
    order.push(...(s % 2 ? cells : cells.reverse()));
  }
  return order;
})();

const BASE_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/**
 * A baseline JPEG with four components, as Photoshop writes CMYK: an Adobe APP14 marker (transform 0) and
 * inverted samples. Huffman tables are flat (every DC code 4 bits, every AC code 8 bits): valid, just not small.
 */
export function writeCmykJpeg(rgba, width, height, quality = 90) {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  const quant = BASE_QUANT.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
  const dcSymbols = Array.from({ length: 12 }, (_, i) => i);
  const acSymbols = [0x00, 0xf0];
  for (let run = 0; run < 16; run++) for (let size = 1; size <= 10; size++) acSymbols.push((run << 4) | size);
  const dcCode = new Map(dcSymbols.map((s, i) => [s, [i, 4]]));
  const acCode = new Map(acSymbols.map((s, i) => [s, [i, 8]]));

  // Photoshop's convention: stored = 255 × (1 − ink), so decoders compute R = c × k / 255.
  const planes = [0, 1, 2, 3].map(() => new Uint8Array(width * height));
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]];
    const max = Math.max(r, g, b);
    planes[0][i] = max ? Math.round((255 * r) / max) : 0;
    planes[1][i] = max ? Math.round((255 * g) / max) : 0;
    planes[2][i] = max ? Math.round((255 * b) / max) : 0;
    planes[3][i] = max;
  }

  const bytes = [];
  let acc = 0;
  let nbits = 0;
  const put = (code, len) => {
    for (let i = len - 1; i >= 0; i--) {
      acc = (acc << 1) | ((code >> i) & 1);
      if (++nbits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0);
        acc = 0;
        nbits = 0;
      }
    }
  };
  const category = (v) => (v === 0 ? 0 : 32 - Math.clz32(Math.abs(v)));
  const putValue = (v, size) => put(v < 0 ? v + (1 << size) - 1 : v, size);

  const cos = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i % 8) + 1) * Math.floor(i / 8) * Math.PI) / 16));
  const c = (u) => (u === 0 ? Math.SQRT1_2 : 1);
  const block = new Float64Array(64);
  const coef = new Int32Array(64);
  const pred = [0, 0, 0, 0];
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      for (let comp = 0; comp < 4; comp++) {
        const plane = planes[comp];
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            const px = Math.min(width - 1, bx * 8 + x);
            const py = Math.min(height - 1, by * 8 + y);
            block[y * 8 + x] = plane[py * width + px] - 128;
          }
        }
        for (let v = 0; v < 8; v++) {
          for (let u = 0; u < 8; u++) {
            let sum = 0;
            for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * cos[u * 8 + x] * cos[v * 8 + y];
            coef[v * 8 + u] = Math.round((0.25 * c(u) * c(v) * sum) / quant[v * 8 + u]);
          }
        }
        const dc = coef[0] - pred[comp];
        pred[comp] = coef[0];
        const dcSize = category(dc);
        put(...dcCode.get(dcSize));
        putValue(dc, dcSize);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const v = coef[ZIGZAG[k]];
          if (v === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            put(...acCode.get(0xf0));
            run -= 16;
          }
          const size = category(v);
          put(...acCode.get((run << 4) | size));
          putValue(v, size);
          run = 0;
        }
        if (run > 0) put(...acCode.get(0x00));
      }
    }
  }
  if (nbits > 0) put((1 << (8 - nbits)) - 1, 8 - nbits);

  const seg = (marker, body) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, Buffer.from(body)]);
  };
  const sof = Buffer.alloc(6 + 4 * 3);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 4;
  for (let i = 0; i < 4; i++) sof.set([i + 1, 0x11, 0], 6 + i * 3);
  const bitsOf = (n, len) => Array.from({ length: 16 }, (_, i) => (i === len - 1 ? n : 0));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 0]),
    seg(0xdb, [0, ...ZIGZAG.map((i) => quant[i])]),
    seg(0xc0, sof),
    seg(0xc4, [0x00, ...bitsOf(12, 4), ...dcSymbols, 0x10, ...bitsOf(acSymbols.length, 8), ...acSymbols]),
    seg(0xda, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]),
    Buffer.from(bytes),
    Buffer.from([0xff, 0xd9]),
  ]);
}

// ── GIF ────────────────────────────────────────────────────

/** An animated GIF from grey frames (a grey palette keeps faces detectable without dithering). */
export function writeGreyGif(frames, width, height) {
  const palette = Array.from({ length: 256 }, (_, i) => [i, i, i]);
  const gif = GIFEncoder();
  frames.forEach((rgba, i) => {
    const index = new Uint8Array(width * height);
    for (let p = 0; p < index.length; p++) index[p] = Math.round(0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2]);
    gif.writeFrame(index, width, height, { palette, delay: 500, repeat: i === 0 ? 0 : undefined });
  });
  gif.finish();
  return Buffer.from(gif.bytes());
}

// ── Chromium side ──────────────────────────────────────────

const b64 = (buf) => Buffer.from(buf).toString('base64');
const unb64 = (s) => Buffer.from(s, 'base64');

/** Decodes a photo in the page: RGBA pixels, optionally scaled to `width`. */
async function pixels(page, bytes, width) {
  const r = await page.evaluate(
    async ([data, width]) => {
      const blob = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
      const bmp = await createImageBitmap(blob);
      const w = width ?? bmp.width;
      const h = Math.round((bmp.height * w) / bmp.width);
      const ctx = new OffscreenCanvas(w, h).getContext('2d');
      ctx.drawImage(bmp, 0, 0, w, h);
      const px = ctx.getImageData(0, 0, w, h).data;
      let s = '';
      for (let i = 0; i < px.length; i += 0x8000) s += String.fromCharCode(...px.subarray(i, i + 0x8000));
      return { w, h, data: btoa(s) };
    },
    [b64(bytes), width ?? null],
  );
  return { width: r.w, height: r.h, rgba: unb64(r.data) };
}

/** Draws a photo through a canvas transform (a, b, c, d, e, f) onto a canvas of w×h and encodes it as JPEG. */
async function renderJpeg(page, bytes, { w, h, transform = [1, 0, 0, 1, 0, 0], drawW, drawH, quality = 0.92 }) {
  const data = await page.evaluate(
    async ([data, w, h, t, drawW, drawH, quality]) => {
      const blob = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
      const bmp = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d');
      ctx.imageSmoothingQuality = 'high';
      ctx.setTransform(...t);
      ctx.drawImage(bmp, 0, 0, drawW ?? bmp.width, drawH ?? bmp.height);
      const out = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality })).arrayBuffer());
      let s = '';
      for (let i = 0; i < out.length; i += 0x8000) s += String.fromCharCode(...out.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [b64(bytes), w, h, transform, drawW ?? null, drawH ?? null, quality],
  );
  return unb64(data);
}

async function imageSize(page, bytes) {
  return page.evaluate(async (data) => {
    const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]));
    return { width: bmp.width, height: bmp.height };
  }, b64(bytes));
}

/**
 * Canvas transforms that turn an upright W×H picture into what a camera stores with EXIF orientation N,
 * so that a viewer applying N shows it upright again.
 */
export function storedTransform(n, W, H) {
  return {
    1: { w: W, h: H, t: [1, 0, 0, 1, 0, 0] },
    2: { w: W, h: H, t: [-1, 0, 0, 1, W, 0] },
    3: { w: W, h: H, t: [-1, 0, 0, -1, W, H] },
    4: { w: W, h: H, t: [1, 0, 0, -1, 0, H] },
    5: { w: H, h: W, t: [0, 1, 1, 0, 0, 0] },
    6: { w: H, h: W, t: [0, -1, 1, 0, 0, W] },
    7: { w: H, h: W, t: [0, -1, -1, 0, H, W] },
    8: { w: H, h: W, t: [0, 1, -1, 0, H, 0] },
  }[n];
}

/** Face boxes through the app's engine pool (the page must be the app). */
async function faceBoxes(page, bytes) {
  return page.evaluate(async (data) => {
    const blob = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
    const faces = await window.shoebox.pool.facesOf(blob);
    return faces.map((f) => f.box);
  }, b64(bytes));
}

/** A 6×5 collage of 30 face crops from the group photos (mirrored copies fill up when there are fewer). */
async function faceCollage(page) {
  const sources = ['faceapi/sample1.jpg', 'faceapi/sample2.jpg', 'faceapi/sample3.jpg', 'faceapi/sample4.jpg', 'faceapi/sample5.jpg', 'faceapi/sample6.jpg', 'shared/face.jpg', 'shared/grace_hopper.bmp', 'debian/astronaut.png'];
  const crops = [];
  for (const rel of sources) {
    const bytes = photo(rel);
    for (const box of await faceBoxes(page, bytes)) crops.push({ data: b64(bytes), box });
  }
  const TILE = 200;
  const data = await page.evaluate(
    async ([crops, TILE]) => {
      const canvas = new OffscreenCanvas(TILE * 6, TILE * 5);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#808080';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      const bitmaps = new Map();
      for (let i = 0; i < 30; i++) {
        const { data, box } = crops[i % crops.length];
        if (!bitmaps.has(data)) bitmaps.set(data, await createImageBitmap(new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))])));
        const bmp = bitmaps.get(data);
        const [x, y, w, h] = box;
        // A face with some hair around it, as the detector was trained on; the oval keeps neighbours' faces out.
        const side = Math.max(w, h) * 1.7;
        const cx = x + w / 2;
        const cy = y + h / 2;
        const tx = (i % 6) * TILE;
        const ty = Math.floor(i / 6) * TILE;
        ctx.save();
        ctx.beginPath();
        ctx.ellipse(tx + TILE / 2, ty + TILE / 2, TILE * 0.4, TILE * 0.48, 0, 0, 2 * Math.PI);
        ctx.clip();
        if (i >= crops.length) ctx.setTransform(-1, 0, 0, 1, 2 * tx + TILE, 0);
        ctx.drawImage(bmp, cx - side / 2, cy - side / 2, side, side, tx, ty, TILE, TILE);
        ctx.restore();
      }
      const out = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
      let s = '';
      for (let i = 0; i < out.length; i += 0x8000) s += String.fromCharCode(...out.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [crops, TILE],
  );
  const bytes = unb64(data);
  const found = (await faceBoxes(page, bytes)).length;
  if (found !== 30) throw new Error(`The face collage should hold 30 faces the engine finds, but it finds ${found}`);
  return { bytes, sourceFaces: crops.length };
}

// ── the corpus ─────────────────────────────────────────────

/** A seeded PRNG (mulberry32), so the corrupted bytes are the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NESTED_DIR = Array.from({ length: 20 }, (_, i) => `level ${String(i + 1).padStart(2, '0')}`).join('/');
export const ORIENTATION_SOURCE = 'faceapi/sample1.jpg';

/**
 * Writes the corpus into outDir (emptied first). `page` must be the app (window.shoebox), since the face
 * collage is cut around faces the engine finds. Returns what each file is, for the spec's expectations.
 */
export async function makeBadFixtures(page, outDir = BAD_DIR) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const write = (rel, bytes) => {
    mkdirSync(dirname(join(outDir, rel)), { recursive: true });
    writeFileSync(join(outDir, rel), bytes);
  };
  const cat = photo('shared/cat_720p.jpg');

  write('empty.jpg', Buffer.alloc(0));
  write('notes.jpg', Buffer.from('Shopping list: milk, eggs, a new camera.\n'));
  write('truncated.jpg', cat.subarray(0, Math.floor(cat.length / 2)));

  const garbled = Buffer.from(cat);
  const rand = prng(8);
  const mid = Math.floor(garbled.length / 2);
  for (let i = 0; i < 4096; i++) garbled[mid + i] = Math.floor(rand() * 256);
  write('garbage in the middle.jpg', garbled);

  write('bad-crc.png', breakPngCrc(photo('debian/chelsea.png')));

  // 8660 × 5774 ≈ 50 MP, from a real photo scaled up.
  write('huge-50mp.jpg', await renderJpeg(page, photo('shared/cat_1080p.jpg'), { w: 8660, h: 5774, drawW: 8660, drawH: 5774, quality: 0.85 }));

  const one = Buffer.from([128, 64, 32, 255]);
  write('one-pixel.png', writePng(one, 1, 1));

  const chelsea = await pixels(page, photo('debian/chelsea.png'));
  write('cmyk.jpg', writeCmykJpeg(chelsea.rgba, chelsea.width, chelsea.height));

  const astronaut = await pixels(page, photo('debian/astronaut.png'));
  write('16-bit.png', writePng(astronaut.rgba, astronaut.width, astronaut.height, 16));

  // First frame: Grace Hopper (one face); second: a cat (none). Indexing the first frame means one face.
  const grace = await pixels(page, photo('shared/grace_hopper.bmp'));
  const catFrame = await pixels(page, await renderJpeg(page, cat, { w: grace.width, h: grace.height, drawW: grace.width, drawH: grace.height }));
  write('animated.gif', writeGreyGif([grace.rgba, catFrame.rgba], grace.width, grace.height));

  // 'ftyp' box with the 'heic' brand, then an empty 'meta' box: sniffs as HEIC, holds no picture.
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  write('heic header only (no picture).heic', Buffer.concat([ftyp, Buffer.from([0, 0, 0, 8]), Buffer.from('meta', 'latin1')]));

  write(
    'drawing.svg',
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="alert(\'svg onload\')">' +
      '<script>alert("svg script")</script><circle cx="32" cy="32" r="30" fill="red"/></svg>\n',
  );

  write('🐱 my cat – photo (1).jpg', cat);
  write(`${NESTED_DIR}/deep parrot.jpg`, photo('shared/parrot.jpg'));

  const upright = photo(ORIENTATION_SOURCE);
  const { width: W, height: H } = await imageSize(page, upright);
  for (let n = 1; n <= 8; n++) {
    const { w, h, t } = storedTransform(n, W, H);
    const stored = await renderJpeg(page, upright, { w, h, transform: t, quality: 0.95 });
    write(`orientation/orientation-${n}.jpg`, insertSegment(stored, exifSegment({ orientation: n })));
  }

  write('no-faces.jpg', photo('shared/hot_dog.jpg'));
  const collage = await faceCollage(page);
  write('30-faces.jpg', collage.bytes);

  // A folder that contains itself; whether a picker follows it depends on the platform (the spec checks).
  symlinkSync('.', join(outDir, 'loop'), 'dir');

  return { orientationSize: { width: W, height: H }, collageSourceFaces: collage.sourceFaces };
}

// ── CLI ────────────────────────────────────────────────────

/** Runs fn with a page of the built app (vite preview of dist/ and Debian's Chromium), then stops both. */
export async function withAppPage(fn, port = Number(process.env.FIXTURE_PORT ?? 4390)) {
  const { chromium } = await import('playwright-core');
  if (!existsSync(join(root, 'dist/index.html'))) throw new Error('Run `npm run build` first: this needs the app');
  const server = spawn(join(root, 'node_modules/.bin/vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    for (let i = 0; ; i++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/?backend=wasm`);
        break;
      } catch (err) {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await page.waitForFunction(() => window.shoebox?.db);
    await page.evaluate(() => window.shoebox.pool.start());
    return await fn(page);
  } finally {
    await browser.close();
    server.kill();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const info = await withAppPage((page) => makeBadFixtures(page));
  console.log(`[bad-fixtures] written to ${BAD_DIR}`, info);
}

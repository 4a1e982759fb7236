import { chromium } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { detect, fromArtifacts, inputSize, LONG_SIDE, MODEL_FILE } from '../../src/engine/objectDetector';
import { readGraphModel } from '../unit/graphModelFiles';
import hierarchy from '../../src/engine/imagenetHierarchy.json';

// `npm run eval:objects`: how often the object detector finds an ImageNet photo's COCO class, per input size, in
// Node on WASM (one thread, as in an engine worker). Chromium decodes and resizes each photo as the engine does.
// The truth: a photo (named nXXXXXXXX_class.ext) has a COCO class when that class's WordNet synset is the photo's
// ImageNet class or one of its ancestors, by the app's hierarchy; photos without one are skipped.
// OBJECT_PHOTOS=DIR (default ../shared/photos/imagenet-dev); OBJECT_SIDES='512,448' (long sides at the photo's
// own aspect ratio, besides the old 512² squeeze); OUT=FILE.json.
const root = join(import.meta.dirname, '../..');
const dir = process.env.OBJECT_PHOTOS ?? join(root, '../shared/photos/imagenet-dev');
const sides = (process.env.OBJECT_SIDES ?? `512,${LONG_SIDE}`).split(',').map(Number);
const MIN_SCORE = 0.3;

const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, ' ').trim();
const synset = (words: string[]) => words.map(norm).join('|');

/** COCO classes that are the ImageNet class named in the file, or one of its ancestors. */
function cocoTruth(): (file: string) => number[] | null {
  const classOf = new Map<string, number>();
  hierarchy.classes.forEach((c, i) => i && c.s.forEach((s) => classOf.has(norm(s)) || classOf.set(norm(s), i)));
  const coco = hierarchy.coco.map((c) => synset(c.s));
  return (file) => {
    const i = classOf.get(norm(file.replace(/^n\d+_/, '').replace(/\.\w+$/, '')));
    if (i === undefined) return null;
    const own = new Set([synset(hierarchy.classes[i].s), ...hierarchy.classes[i].a.flat().map((a) => synset(hierarchy.ancestors[a].words))]);
    return coco.flatMap((s, c) => (own.has(s) ? [c] : []));
  };
}

it('finds the ImageNet photos\' COCO objects', async () => {
  if (!existsSync(dir)) throw new Error(`${dir} missing (OBJECT_PHOTOS=DIR)`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  const graph = await fromArtifacts(readGraphModel(join(root, 'public/models', MODEL_FILE)));
  const truthOf = cocoTruth();
  const files = readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const inputs = [{ name: 'squeezed 512²', side: 512, square: true }, ...sides.map((side) => ({ name: `${side} px long`, side, square: false }))];
  const tally = inputs.map(() => ({ photos: 0, found: 0, foundSure: 0, objects: 0, ms: 0 }));

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.setContent('<html><body></body></html>');
  for (const file of files) {
    const truth = truthOf(file);
    if (!truth?.length) continue;
    const b64 = readFileSync(join(dir, file)).toString('base64');
    const photo = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
      (globalThis as unknown as { photo: ImageBitmap }).photo = bitmap;
      return { width: bitmap.width, height: bitmap.height };
    }, b64);
    // Each input's size as the engine sizes it (inputSize), and the old square.
    const sizes = inputs.map(({ side, square }) => (square ? { width: side, height: side } : inputSize(photo.width, photo.height, side)));
    const copies: { width: number; height: number; rgb: string }[] = await page.evaluate((sizes) => {
      const bitmap = (globalThis as unknown as { photo: ImageBitmap }).photo;
      return sizes.map(({ width, height }) => {
        const ctx = new OffscreenCanvas(width, height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0, width, height);
        const rgba = ctx.getImageData(0, 0, width, height).data;
        const rgb = new Uint8Array(width * height * 3);
        for (let i = 0, o = 0; i < rgba.length; i += 4) (rgb[o++] = rgba[i]), (rgb[o++] = rgba[i + 1]), (rgb[o++] = rgba[i + 2]);
        let text = '';
        for (let i = 0; i < rgb.length; i += 32768) text += String.fromCharCode(...rgb.subarray(i, i + 32768));
        return { width, height, rgb: btoa(text) };
      });
    }, sizes);
    for (const [k, copy] of copies.entries()) {
      const image = tf.tensor3d(Int32Array.from(Buffer.from(copy.rgb, 'base64')), [copy.height, copy.width, 3], 'int32');
      const start = performance.now();
      const found = await detect(graph, image, { minScore: MIN_SCORE });
      // The first photo pays for the first calls.
      if (tally[k].photos) tally[k].ms += performance.now() - start;
      image.dispose();
      tally[k].photos++;
      tally[k].objects += found.length;
      if (found.some((o) => truth.includes(o.classIndex))) tally[k].found++;
      if (found.some((o) => truth.includes(o.classIndex) && o.score >= 0.5)) tally[k].foundSure++;
    }
  }
  await browser.close();
  const report = inputs.map((input, k) => ({
    input: input.name,
    photos: tally[k].photos,
    found: tally[k].found,
    recall: Math.round((tally[k].found / tally[k].photos) * 1000) / 1000,
    foundAtHalf: tally[k].foundSure,
    objects: tally[k].objects,
    msPerPhoto: Math.round(tally[k].ms / Math.max(1, tally[k].photos - 1)),
  }));
  console.table(report);
  if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify(report, null, 1));
  expect(report[0].photos).toBeGreaterThan(0);
});
